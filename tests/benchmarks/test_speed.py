"""Speed benchmarks (pytest-benchmark): one per stage and backend, the shared model, and the
pipeline end to end beside the bare spaCy model.

``make test`` runs them once each, untimed (``--benchmark-disable`` in pyproject's addopts), so
the code is exercised; ``make bench`` times them and saves the JSON under ``.benchmarks/``, so
``pytest-benchmark compare`` shows a regression between commits, group by group. Each stage's
backend is timed on the seed article as it reaches that stage in the default pipeline (the
components before it already run, outside the timing).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from newspipe.eval.bench import SUBSETS, Subset
from newspipe.pipeline.build import load_config, load_model, load_pipeline
from newspipe.pipeline.extensions import QUOTES_KEY

pytestmark = pytest.mark.model

TARGET = "the visit"
SHARED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "candidate_parser")


def backends(stage: str) -> list[str]:
    """Every registered factory of a stage (``newspipe_<stage>_<backend>_v<N>``)."""
    import newspipe.pipeline  # noqa: F401  (registers the factories)

    names = spacy.registry.factories.get_all()
    return sorted(name for name in names if name.startswith(f"newspipe_{stage}_"))


@pytest.fixture(scope="module")
def bare() -> Language:
    """The bare spaCy model the pipeline builds on, with all its own components."""
    return load_model(load_config()["nlp"]["model"])


@pytest.fixture
def doc_before(nlp: Language, seed_text: str) -> Callable[[str], Doc]:
    """The seed article as it reaches the named component of the default pipeline."""

    def run_until(component: str) -> Doc:
        doc = nlp.make_doc(seed_text)
        doc._.target = TARGET
        for name, process in nlp.pipeline:
            if name == component:
                return doc
            doc = process(doc)
        raise AssertionError(f"no component {component} in {nlp.pipe_names}")

    return run_until


def backend(nlp: Language, factory: str) -> Callable[[Doc], Doc]:
    """A stage backend built with its default settings, or a skip if it cannot be."""
    try:
        return nlp.create_pipe(factory, name=f"benchmark_{factory}")
    except Exception as err:  # e.g. a trained backend without its model file
        pytest.skip(f"{factory} cannot be built with its defaults: {err}")


@pytest.mark.benchmark(group="end-to-end")
def test_bare_spacy(benchmark, bare: Language, seed_text: str) -> None:
    docs = benchmark(lambda: list(bare.pipe([seed_text])))
    assert docs[0].has_annotation("DEP") and docs[0].ents


@pytest.mark.benchmark(group="end-to-end")
def test_pipeline(benchmark, nlp: Language, seed_text: str) -> None:
    def run() -> list[Doc]:
        doc = nlp.make_doc(seed_text)
        doc._.target = TARGET
        return list(nlp.pipe([doc]))

    docs = benchmark(run)
    assert docs[0].spans[QUOTES_KEY] and len(list(docs[0].sents)) > 5


@pytest.mark.benchmark(group="model")
def test_shared_model(benchmark, nlp: Language, seed_text: str) -> None:
    """The model components every stage builds on (with the tokenizer)."""
    shared = [name for name in nlp.pipe_names if name in SHARED]

    def run() -> Doc:
        doc = nlp.make_doc(seed_text)
        for name in shared:
            doc = nlp.get_pipe(name)(doc)
        return doc

    doc = benchmark(run)
    assert doc.has_annotation("DEP") and doc.has_annotation("LEMMA")


@pytest.mark.benchmark(group="sentences")
@pytest.mark.parametrize("factory", backends("sentences"))
def test_sentences(benchmark, nlp: Language, doc_before, factory: str) -> None:
    splitter = backend(nlp, factory)
    doc = benchmark(splitter, doc_before("sentences"))
    assert doc[0].is_sent_start and sum(1 for t in doc if t.is_sent_start) > 5


@pytest.mark.benchmark(group="entities")
@pytest.mark.parametrize("factory", backends("entities"))
def test_entities(benchmark, nlp: Language, doc_before, factory: str) -> None:
    recognizer = backend(nlp, factory)
    doc = benchmark(recognizer, doc_before("entities"))
    assert doc.has_annotation("ENT_IOB")


@pytest.mark.benchmark(group="entities")
def test_model_ner(benchmark, nlp: Language, doc_before) -> None:
    """The model's statistical NER, which the model entity backend builds on."""
    doc = benchmark(nlp.get_pipe("ner"), doc_before("ner"))
    assert doc.ents


@pytest.mark.benchmark(group="quotes")
@pytest.mark.parametrize("factory", backends("quotes"))
def test_quotes(benchmark, nlp: Language, doc_before, factory: str) -> None:
    attributor = backend(nlp, factory)
    doc = benchmark(attributor, doc_before("quotes"))
    assert doc.spans[QUOTES_KEY]


@pytest.mark.benchmark(group="stance")
@pytest.mark.parametrize("factory", backends("stance"))
def test_stance(benchmark, nlp: Language, doc_before, factory: str) -> None:
    classifier = backend(nlp, factory)
    doc = benchmark(classifier, doc_before("stance"))
    quotes = doc.spans[QUOTES_KEY]
    assert quotes and any(q._.stance is not None for q in quotes)


@pytest.mark.benchmark(group="subsets")
@pytest.mark.parametrize("subset", SUBSETS, ids=[s.name for s in SUBSETS])
def test_stage_subset(benchmark, subset: Subset, seed_text: str) -> None:
    """Each stage subset of ``newspipe bench`` (its matching bare model is ``test_bare_*``)."""
    overrides = {**dict(subset.overrides), "nlp.stages": list(subset.stages)}
    nlp = load_pipeline(overrides=overrides)

    def run() -> Doc:
        doc = nlp.make_doc(seed_text)
        doc._.target = TARGET
        return nlp(doc)

    doc = benchmark(run)
    assert len(list(doc.sents)) > 5 if "sentences" in subset.stages else doc.ents


@pytest.mark.benchmark(group="subsets")
@pytest.mark.parametrize("subset", [s for s in SUBSETS if s.bare], ids=lambda s: s.name)
def test_bare_subset(benchmark, subset: Subset, seed_text: str) -> None:
    """The bare model configured to match a subset (spaCy's NER alone, its parser alone)."""
    bare = load_model(load_config()["nlp"]["model"])
    for name in list(bare.pipe_names):
        if name not in subset.bare:
            bare.disable_pipe(name)
    docs = benchmark(lambda: list(bare.pipe([seed_text])))
    assert len(docs[0])
