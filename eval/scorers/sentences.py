"""Sentence segmentation scores: boundary P/R/F1 and exact sentence-span F1.

A *boundary* is the start offset of every sentence but the first, after trimming the
whitespace around each sentence, so a segmenter that keeps a trailing space or newline in a
sentence is not penalised. An *exact* sentence match is a predicted sentence whose trimmed
``(start, end)`` equals a gold sentence's. A document is *all correct* when its predicted
sentences equal its gold sentences exactly (the Golden Rules pass rate).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newspipe.eval.scorers.bootstrap import DEFAULT_SEED, Tally, accuracy_metrics, prf_metrics
from newspipe.eval.scorers.matching import Pair, trimmed
from newspipe.pipeline.records import Record


def sentence_spans(record: Record) -> list[tuple[int, int]]:
    """The record's sentences as trimmed ``(start, end)``, sorted, whitespace-only ones dropped."""
    text = record["text"]
    spans = {trimmed(text, s["start"], s["end"]) for s in record["sentences"]}
    return sorted(span for span in spans if span[1] > span[0])


def boundaries(spans: Sequence[tuple[int, int]]) -> set[int]:
    """Start offsets of every sentence but the first."""
    return {start for start, _ in spans[1:]}


def score_sentences(
    pairs: Sequence[Pair], *, bootstrap: int = 0, seed: int = DEFAULT_SEED
) -> dict[str, Any]:
    """Sentence scores over ``pairs`` of predicted and gold records.

    Returns:
        ``sents_p``, ``sents_r``, ``sents_f`` (boundaries), ``sents_exact_p/r/f`` (sentence
        spans), ``sents_doc_acc`` (share of documents with every sentence exactly right), each
        F1/accuracy with a ``_ci`` interval, and ``sents_errors``: one entry per missed or
        spurious boundary, ``{"doc", "kind", "start", "end"}``.
    """
    boundary_tally, exact_tally, doc_tally = Tally(3), Tally(3), Tally(2)
    errors: list[dict[str, Any]] = []
    for i, (pred, gold) in enumerate(pairs):
        gold_spans, pred_spans = sentence_spans(gold), sentence_spans(pred)
        gold_bounds, pred_bounds = boundaries(gold_spans), boundaries(pred_spans)
        for offset in sorted(gold_bounds | pred_bounds):
            found, wanted = offset in pred_bounds, offset in gold_bounds
            boundary_tally.add(
                i, (int(found and wanted), int(found and not wanted), int(wanted and not found))
            )
            if found != wanted:
                kind = "spurious boundary" if found else "missed boundary"
                errors.append({"doc": i, "kind": kind, "start": offset, "end": offset})
        gold_set, pred_set = set(gold_spans), set(pred_spans)
        for span in sorted(gold_set | pred_set):
            found, wanted = span in pred_set, span in gold_set
            exact_tally.add(
                i, (int(found and wanted), int(found and not wanted), int(wanted and not found))
            )
        doc_tally.add(i, (int(gold_spans == pred_spans), 1))
    n = len(pairs)
    return {
        **prf_metrics("sents", boundary_tally, n, bootstrap, seed),
        **prf_metrics("sents_exact", exact_tally, n, bootstrap, seed),
        **accuracy_metrics("sents_doc_acc", doc_tally, n, bootstrap, seed),
        "sents_errors": errors,
    }
