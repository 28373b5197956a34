"""Stage subsets: the builder enables only the model components the configured stages read,
and the records of the stages that run are those of the full pipeline."""

from __future__ import annotations

from typing import Any

import pytest
from spacy.language import Language

from newspipe.pipeline.build import load_pipeline
from newspipe.pipeline.records import doc_to_record, make_doc

TEXT = (
    "Harbour council backs ferry plan\n"
    "OSLO (Nordic Wire) - Mayor Lena Brandt said on Monday that the new ferry line would "
    "open in May. “It is a good day for the harbour,” she told reporters at the Lindqvist "
    "Hall. Dr. Jonas Berg, who leads the opposition, said the plan cost too much. "
    "The U.S. Coast Guard declined to comment."
)
FULL = ["sentences", "entities", "quotes", "stance"]


def _record(nlp: Language) -> dict[str, Any]:
    record = dict(doc_to_record(nlp(make_doc(nlp, TEXT, target="the new ferry line")), "t"))
    # The stance stage writes its label into the quote records; without it they are null.
    record["quotes"] = [
        {k: v for k, v in quote.items() if not k.startswith("stance")}
        for quote in record["quotes"]
    ]
    return record


def _enabled(nlp: Language) -> set[str]:
    stages = {"sentences", "entities", "quotes", "stance"}
    return {name for name in nlp.pipe_names if name not in stages}


@pytest.fixture(scope="module")
def full() -> dict[str, Any]:
    return _record(load_pipeline(overrides={"nlp.stages": FULL}))


@pytest.mark.model
@pytest.mark.parametrize(
    "stages",
    [["sentences"], ["sentences", "entities"], ["sentences", "entities", "quotes"]],
)
def test_records_of_the_stages_that_run_are_the_full_runs(
    stages: list[str], full: dict[str, Any]
) -> None:
    record = _record(load_pipeline(overrides={"nlp.stages": stages}))
    assert record["sentences"] == full["sentences"]
    if "entities" in stages:
        assert record["entities"] == full["entities"]
    else:
        assert record["entities"] == []
    if "quotes" in stages:
        assert record["quotes"] == full["quotes"]
    else:
        assert record["quotes"] == []


@pytest.mark.model
def test_each_subset_enables_only_the_model_components_it_reads() -> None:
    entities = load_pipeline(overrides={"nlp.stages": ["entities"]})
    assert _enabled(entities) == {"tok2vec", "tagger", "attribute_ruler", "ner"}
    assert {"parser", "lemmatizer"} <= set(entities.disabled)
    rules = load_pipeline(
        overrides={
            "nlp.stages": ["sentences"],
            "components.sentences.factory": "newspipe_sentences_rules_v1",
        }
    )
    assert _enabled(rules) == set()
    # The hybrid backend leaves abbreviations before a capital to the parser.
    assert _enabled(load_pipeline(overrides={"nlp.stages": ["sentences"]})) == {
        "tok2vec",
        "parser",
    }
    quotes = load_pipeline(overrides={"nlp.stages": ["sentences", "entities", "quotes"]})
    assert _enabled(quotes) == {
        "tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"
    }  # fmt: skip
    # Rule sentences alone: a statistical component never runs, sentences still come out.
    record = doc_to_record(rules(make_doc(rules, TEXT)), "t")
    assert len(record["sentences"]) == 5 and record["entities"] == []
