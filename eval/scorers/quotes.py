"""Quote attribution scores: content P/R/F1 (overlap and exact), per type, and the accuracy of
cue, speaker mention, canonical speaker name and quote type over matched quotes.

Matching: a predicted and a gold quote *match* when their content spans overlap by at least
``overlap`` (default one half) of EACH span; the matching is one-to-one, greedy by overlap size
(:func:`newspipe.eval.scorers.matching.match_spans`). *Exact* matching requires identical content
offsets. Over the matched quotes:

- cue: right when both cues are absent, or both present and overlapping by the same rule;
- speaker: the speaker mention, by the same rule;
- speaker name: case- and whitespace-insensitive string equality (both None counts as right);
- type: direct / indirect / mixed equal.

Per type: recall counts gold quotes by their gold type, precision counts predicted quotes by
their predicted type (a match need not agree on the type).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from spacy.scorer import PRFScore

from newspipe.eval.scorers.bootstrap import (
    DEFAULT_SEED,
    Tally,
    accuracy_metrics,
    interval,
    prf_metrics,
)
from newspipe.eval.scorers.matching import DEFAULT_OVERLAP, Pair, match_spans, same_optional_span
from newspipe.pipeline.stages import QUOTE_TYPES


def name_key(name: str) -> str:
    """A speaker name as names are compared: case and runs of whitespace ignored."""
    return " ".join(name.casefold().split())


def same_name(gold: str | None, pred: str | None) -> bool:
    """Whether two speaker names are equal ignoring case and runs of whitespace."""
    if gold is None or pred is None:
        return gold is None and pred is None
    return name_key(gold) == name_key(pred)


def _span_text(span: dict[str, Any] | None) -> str | None:
    return None if span is None else span.get("text")


def score_quotes(
    pairs: Sequence[Pair],
    *,
    overlap: float = DEFAULT_OVERLAP,
    speaker_names: bool = True,
    bootstrap: int = 0,
    seed: int = DEFAULT_SEED,
) -> dict[str, Any]:
    """Quote scores over ``pairs`` of predicted and gold records.

    Args:
        pairs: Predicted and gold records.
        overlap: Share of each content span the overlap must cover for a match.
        speaker_names: Whether the gold annotates canonical speaker names (else
            ``speaker_name_acc`` is None).
        bootstrap: Resamples for the intervals (0: none).
        seed: Seed of the resampling.

    Returns:
        ``quotes_p/r/f`` (overlap matching), ``quotes_exact_p/r/f``, ``quotes_per_type``
        (``{type: {"p", "r", "f", "f_ci", "support", "predicted"}}``), ``cue_acc``,
        ``speaker_acc``,
        ``speaker_name_acc``, ``quote_type_acc``, ``quotes_matched``; every F1 and accuracy
        with a ``_ci`` interval; ``quotes_errors``: ``{"doc", "kind", "start", "end", "gold",
        "pred"}`` for each missed or spurious quote and each wrong cue, speaker, name or type.
    """
    content, exact = Tally(3), Tally(3)
    accuracy = {key: Tally(2) for key in ("cue_acc", "speaker_acc", "speaker_name_acc")}
    accuracy["quote_type_acc"] = Tally(2)
    # Units per type, columns (tp by predicted type, fp, tp by gold type, fn).
    by_type: dict[str, Tally] = {t: Tally(4) for t in QUOTE_TYPES}
    errors: list[dict[str, Any]] = []
    matched = 0
    for i, (pred_record, gold_record) in enumerate(pairs):
        gold, pred = gold_record["quotes"], pred_record["quotes"]
        matches = match_spans([q["content"] for q in gold], [q["content"] for q in pred], overlap)
        matched += len(matches)
        gold_matched = {gi: pi for gi, pi in matches}
        pred_matched = {pi for _, pi in matches}
        for gi, g in enumerate(gold):
            if gi not in gold_matched:
                content.add(i, (0, 0, 1))
                by_type.setdefault(g["type"], Tally(4)).add(i, (0, 0, 0, 1))
                errors.append(_error(i, "missed quote", g["content"], g, None))
                continue
            content.add(i, (1, 0, 0))
            p = pred[gold_matched[gi]]
            if g["type"] == p["type"]:
                by_type.setdefault(g["type"], Tally(4)).add(i, (1, 0, 1, 0))
            else:
                by_type.setdefault(p["type"], Tally(4)).add(i, (1, 0, 0, 0))
                by_type.setdefault(g["type"], Tally(4)).add(i, (0, 0, 1, 0))
            checks = {
                "cue_acc": same_optional_span(g["cue"], p["cue"], overlap),
                "speaker_acc": same_optional_span(g["speaker"], p["speaker"], overlap),
                "speaker_name_acc": same_name(g["speaker_name"], p["speaker_name"]),
                "quote_type_acc": g["type"] == p["type"],
            }
            if not speaker_names:
                del checks["speaker_name_acc"]
            for key, right in checks.items():
                accuracy[key].add(i, (int(right), 1))
            if not checks["cue_acc"]:
                errors.append(_error(i, "wrong cue", g["content"], *_texts(g, p, "cue")))
            if not checks["speaker_acc"]:
                errors.append(_error(i, "wrong speaker", g["content"], *_texts(g, p, "speaker")))
            if not checks.get("speaker_name_acc", True):
                errors.append(
                    _error(
                        i, "wrong speaker name", g["content"], g["speaker_name"], p["speaker_name"]
                    )
                )
            if not checks["quote_type_acc"]:
                errors.append(_error(i, "wrong type", g["content"], g["type"], p["type"]))
        for pi, p in enumerate(pred):
            if pi not in pred_matched:
                content.add(i, (0, 1, 0))
                by_type.setdefault(p["type"], Tally(4)).add(i, (0, 1, 0, 0))
                errors.append(_error(i, "spurious quote", p["content"], None, p))
        gold_exact = {(q["content"]["start"], q["content"]["end"]) for q in gold}
        pred_exact = {(q["content"]["start"], q["content"]["end"]) for q in pred}
        for span in gold_exact | pred_exact:
            found, wanted = span in pred_exact, span in gold_exact
            exact.add(
                i, (int(found and wanted), int(found and not wanted), int(wanted and not found))
            )
    n = len(pairs)
    metrics: dict[str, Any] = {
        **prf_metrics("quotes", content, n, bootstrap, seed),
        **prf_metrics("quotes_exact", exact, n, bootstrap, seed),
        "quotes_matched": matched,
    }
    for key, tally in accuracy.items():
        metrics.update(accuracy_metrics(key, tally, n, bootstrap, seed))
    if not speaker_names:
        metrics["speaker_name_acc"] = metrics["speaker_name_acc_ci"] = None
    metrics["quotes_per_type"] = {
        kind: _per_type(tally, n, bootstrap, seed) for kind, tally in by_type.items() if tally.rows
    }
    metrics["quotes_errors"] = sorted(errors, key=lambda e: (e["doc"], e["start"], e["end"]))
    return metrics


def _type_f(sums: np.ndarray) -> np.ndarray:
    """F1 from columns (tp by predicted type, fp, tp by gold type, fn); NaN when the type
    occurs in neither gold nor prediction."""
    tp_pred, fp, tp_gold, fn = sums[:, 0], sums[:, 1], sums[:, 2], sums[:, 3]
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(tp_pred + fp > 0, tp_pred / (tp_pred + fp), 0.0)
        recall = np.where(tp_gold + fn > 0, tp_gold / (tp_gold + fn), 0.0)
        f = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    return np.where(tp_pred + fp + tp_gold + fn > 0, f, np.nan)


def _per_type(tally: Tally, n_docs: int, resamples: int, seed: int) -> dict[str, Any]:
    tp_pred, fp, tp_gold, fn = (int(x) for x in tally.total())
    return {
        "p": PRFScore(tp=tp_pred, fp=fp).precision,
        "r": PRFScore(tp=tp_gold, fn=fn).recall,
        "f": float(_type_f(tally.total()[None, :])[0]),
        "f_ci": interval(tally, _type_f, n_docs, resamples, seed),
        "support": tp_gold + fn,
        "predicted": tp_pred + fp,
    }


def _texts(gold: Mapping[str, Any], pred: Mapping[str, Any], part: str) -> tuple[Any, Any]:
    return _span_text(gold[part]), _span_text(pred[part])


def _error(doc: int, kind: str, where: Mapping[str, Any], gold: Any, pred: Any) -> dict[str, Any]:
    """An error entry located at ``where``; whole quotes are shown by their content text."""
    if isinstance(gold, dict):
        gold = gold["content"]["text"]
    if isinstance(pred, dict):
        pred = pred["content"]["text"]
    return {
        "doc": doc,
        "kind": kind,
        "start": where["start"],
        "end": where["end"],
        "gold": gold,
        "pred": pred,
    }
