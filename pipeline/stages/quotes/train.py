"""What every training of the quote stage's judges shares: parsing with a cache, the
candidate examples of a document with their features, matching them to gold quotes, and fitting
a logistic regression over binary features.

The trainings themselves — the PARC judge (``quote_model.json``) and cue lexicon
(``cue_lexicon.tsv``) from PolNeAR train, and the newsroom judge (``quote_judge.json``) from
the gold set and PolNeAR's speech and writing attributions — are run by ``newspipe train
quotes`` (:mod:`newspipe.eval.quote_judge`), which needs the gold files and the scorers.
Models are plain JSON; nothing is pickled.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc, DocBin

from newspipe.pipeline.build import load_pipeline
from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.stages.quotes import QuoteAttributor, convention_settings
from newspipe.pipeline.stages.quotes.judge import marks_features, parse_features

Span = tuple[int, int]


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The documents of a JSONL file with ``text`` and ``quotes``."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise PipelineError(f"{path}: cannot read training data ({err})") from None


def parse(texts: Sequence[str], cache: Path | None) -> list[Doc]:
    """Parse the texts (every sentence) with the default pipeline's sentence and entity stages
    and the model components the quote stage reads; with ``cache``,
    the parses are kept in a DocBin and read back when the texts are the same."""
    # The model components the quote stage reads (lemmas, the parse of every sentence) run
    # only when that stage is configured; the stage itself is not run.
    stages = ["sentences", "entities", "quotes"]
    nlp = load_pipeline(overrides={"nlp.stages": stages, "nlp.parse": "all"})
    nlp.disable_pipe("quotes")
    if cache is not None and cache.is_file():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if [d.text for d in docs] == list(texts):
            return docs
    docs = list(nlp.pipe(texts, batch_size=16))
    if cache is not None:
        bin_ = DocBin(store_user_data=True)
        for doc in docs:
            bin_.add(doc)
        bin_.to_disk(cache)
    return docs


def training_attributor(convention: str) -> QuoteAttributor:
    """An attributor that only generates candidates (no judge) under ``convention``."""
    return QuoteAttributor("train", **convention_settings(convention))


@dataclass
class Example:
    """One candidate of a training document: its kind (``parse`` or ``marks``), content and cue
    in character offsets, the lemma and relation of its cue, and its features."""

    kind: str
    content: Span
    cue: Span | None
    lemma: str
    relation: str
    features: list[str]


def candidate_examples(attributor: QuoteAttributor, doc: Doc) -> Iterator[Example]:
    """Every candidate the judge sees in ``doc``: each parse candidate, and each stretch in
    quotation marks with the cue found for it."""
    marked = attributor.marked_spans(doc)
    ctx = attributor.context(doc, marked)
    cands = attributor.scored_candidates(doc, marked, ctx)
    for cand in cands:
        span = doc[cand.content[0] : cand.content[1]]
        cue = doc[cand.cue_token]
        yield Example(
            "parse",
            (span.start_char, span.end_char),
            (cue.idx, cue.idx + len(cue.text)),
            cue.lemma_.lower(),
            cand.relation,
            parse_features(ctx, cand, attributor.listed(doc, cand)),
        )
    for item in marked:
        start, end = item.content(attributor.include_marks)
        span = doc[start:end]
        found, source = attributor.mark_candidate(doc, item, cands)
        yield Example(
            "marks",
            (span.start_char, span.end_char),
            None,
            doc[found.cue_token].lemma_.lower() if found else "",
            source,
            marks_features(
                ctx,
                item,
                found,
                source,
                attributor.listed(doc, found),
                credit=source == "marks:credit",
            ),
        )


def overlaps(a: Span, b: Span) -> bool:
    """Whether two character spans overlap over at least half of each (the scoring rule)."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared > 0 and 2 * shared >= a[1] - a[0] and 2 * shared >= b[1] - b[0]


def matching(example: Example, golds: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The gold quotes (``{"content": (s, e), "cue": (s, e) | None, …}``) an example matches:
    contents overlapping by half of each and, for a parse candidate with a gold cue, the cue
    word inside the gold cue."""
    found = []
    for gold in golds:
        if not overlaps(example.content, gold["content"]):
            continue
        cue, gold_cue = example.cue, gold.get("cue")
        same_cue = (
            cue is None or gold_cue is None or (cue[0] < gold_cue[1] and gold_cue[0] < cue[1])
        )
        if same_cue:
            found.append(gold)
    return found


def fit_logistic(
    features: Sequence[Sequence[str]],
    labels: Sequence[int],
    weights: Sequence[float] | None = None,
    c: float = 0.3,
) -> tuple[dict[str, float], float]:
    """A logistic regression over binary string features: (feature → weight, intercept)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([dict.fromkeys(f, 1) for f in features])
    model = LogisticRegression(C=c, max_iter=3000)
    model.fit(x, np.asarray(labels), sample_weight=None if weights is None else np.asarray(weights))
    names = vectorizer.get_feature_names_out()
    coef = model.coef_[0]
    kept = {str(n): round(float(w), 5) for n, w in zip(names, coef, strict=True) if abs(w) > 1e-5}
    return kept, float(model.intercept_[0])


def decision(weights: dict[str, float], intercept: float, features: Sequence[str]) -> float:
    """The linear model's decision value (log-odds) for ``features``."""
    return intercept + sum(weights.get(f, 0.0) for f in features)


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


__all__ = [
    "Example",
    "candidate_examples",
    "decision",
    "fit_logistic",
    "matching",
    "overlaps",
    "parse",
    "read_rows",
    "sigmoid",
    "training_attributor",
]
