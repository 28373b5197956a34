"""The stage scorers as spaCy scorers: registered functions over ``Example`` s.

Every newspipe factory declares one of these in its config (``scorer = {"@scorers":
"newspipe.quotes_scorer.v1"}``, the name is in the stage table) with its score weights, so
``Language.evaluate`` — and ``python -m spacy evaluate PIPELINE gold.spacy`` — reports the same
scores as ``newspipe score``: each scorer turns the predicted and the reference Doc of every
example into records (:func:`newspipe.pipeline.records.doc_to_record`; a reference read from a
DocBin of ``newspipe gold export`` has its span-valued attributes decoded first) and runs the
project's scoring function on them, with the same defaults (overlap 0.5, 1,000 bootstrap
resamples, seed 0). The ``<stage>_errors`` lists are left out.

So that ``spacy evaluate``'s table shows every stage, two scorers also fill spaCy's own slots:
the quote scores as ``spans_quotes_*`` (shown with ``--spans-key quotes``: quote contents are
the span group ``quotes``), and the stance macro F1 as ``cats_score`` (with ``cats_score_desc``
saying what it is) and its per-label scores as ``cats_f_per_type``. ``-o scores.json`` writes
every key.

spaCy finds these functions through the ``spacy_scorers`` entry points of the distribution,
so the pipeline package names them without importing them; this module imports the scoring
code only when a scorer runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from spacy.training import Example
from spacy.util import registry

from newspipe.eval.scorers.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED
from newspipe.eval.scorers.matching import DEFAULT_OVERLAP
from newspipe.pipeline.stages import stage

if TYPE_CHECKING:
    from newspipe.eval.scorers.matching import Pair

Scorer = Callable[..., dict[str, Any]]


def example_pairs(examples: Iterable[Example]) -> list[Pair]:
    """A (predicted, gold) record pair for each example."""
    from newspipe.eval.formats.docbin import decode_span_attributes
    from newspipe.eval.scorers.matching import Pair
    from newspipe.pipeline.records import doc_to_record

    pairs = []
    for example in examples:
        reference = decode_span_attributes(example.reference)
        pairs.append(
            Pair(doc_to_record(example.predicted), doc_to_record(reference, stance_evidence=False))
        )
    return pairs


def _without_errors(scores: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in scores.items() if not key.endswith("_errors")}


@registry.scorers(stage("sentences").scorer)
def make_sentences_scorer(bootstrap: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED) -> Scorer:
    """``sents_*``: boundary and exact P/R/F1 and the share of documents all right."""

    def score(examples: Iterable[Example], **_: Any) -> dict[str, Any]:
        from newspipe.eval.scorers.sentences import score_sentences

        pairs = example_pairs(examples)
        return _without_errors(score_sentences(pairs, bootstrap=bootstrap, seed=seed))

    return score


@registry.scorers(stage("entities").scorer)
def make_entities_scorer(bootstrap: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED) -> Scorer:
    """``ents_*``: strict, exact, partial and type P/R/F1, and ``ents_per_type``."""

    def score(examples: Iterable[Example], **_: Any) -> dict[str, Any]:
        from newspipe.eval.scorers.entities import score_entities

        pairs = example_pairs(examples)
        return _without_errors(score_entities(pairs, bootstrap=bootstrap, seed=seed))

    return score


@registry.scorers(stage("quotes").scorer)
def make_quotes_scorer(
    overlap: float = DEFAULT_OVERLAP,
    speaker_names: bool = True,
    bootstrap: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> Scorer:
    """``quotes_*``, ``cue_acc``, ``speaker_acc``, ``speaker_name_acc``, ``quote_type_acc``;
    the content P/R/F1 also as ``spans_quotes_*``."""

    def score(examples: Iterable[Example], **_: Any) -> dict[str, Any]:
        from newspipe.eval.scorers.quotes import score_quotes

        pairs = example_pairs(examples)
        scores = _without_errors(
            score_quotes(
                pairs,
                overlap=overlap,
                speaker_names=speaker_names,
                bootstrap=bootstrap,
                seed=seed,
            )
        )
        spans = {f"spans_quotes_{k}": scores[f"quotes_{k}"] for k in ("p", "r", "f")}
        return {**scores, **spans, "spans_quotes_per_type": scores["quotes_per_type"]}

    return score


@registry.scorers(stage("stance").scorer)
def make_stance_scorer(
    overlap: float = DEFAULT_OVERLAP,
    bootstrap: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> Scorer:
    """``stance_*`` over the quotes matched to a gold quote with a gold stance; the macro F1
    also as ``cats_score``, per-label P/R/F1 as ``cats_f_per_type``."""

    def score(examples: Iterable[Example], **_: Any) -> dict[str, Any]:
        from newspipe.eval.scorers.stance import score_stance

        pairs = example_pairs(examples)
        scores = _without_errors(
            score_stance(pairs, overlap=overlap, bootstrap=bootstrap, seed=seed)
        )
        return {
            **scores,
            "cats_score": scores["stance_macro_f"],
            "cats_score_desc": "stance macro F",
            "cats_f_per_type": scores["stance_per_label"],
        }

    return score
