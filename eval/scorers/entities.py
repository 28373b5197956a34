"""Named-entity scores under nervaluate's four schemes, micro and per label.

Each predicted entity is classed once against the gold entities, as nervaluate does (Batista
2018, after SemEval-2013 task 9.1):

- same boundaries and label: correct in every scheme;
- same boundaries, other label: strict *incorrect*, exact *correct*, partial *correct*,
  type *incorrect*;
- overlapping the first overlapping gold entity (in text order), same label: strict and
  exact *incorrect*, partial *partial*, type *correct*;
- overlapping, other label: strict and exact *incorrect*, partial *partial*, type *incorrect*;
- overlapping nothing: *spurious* in every scheme.

A gold entity that no prediction matched or overlapped is *missing* in every scheme. With
COR, INC, PAR, MIS, SPU the counts, POS = COR+INC+PAR+MIS (gold) and ACT = COR+INC+PAR+SPU
(predicted): precision = COR/ACT and recall = COR/POS for strict and exact; (COR + PAR/2)/ACT
and (COR + PAR/2)/POS for partial and type.

``ents_p/r/f`` are the strict scores (span and label right: spaCy's ``ents_f``);
``ents_per_type`` gives strict P/R/F1 per label, precision by predicted label and recall by
gold label.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from spacy.scorer import PRFScore

from newspipe.eval.scorers.bootstrap import DEFAULT_SEED, Tally, f_statistic, interval
from newspipe.eval.scorers.matching import Pair, overlap

SCHEMES: tuple[str, ...] = ("strict", "exact", "partial", "type")
COR, INC, PAR, MIS, SPU = range(5)

_MATCH_OUTCOMES = {  # per scheme: (same label, other label)
    "exact-bounds": {
        "strict": (COR, INC),
        "exact": (COR, COR),
        "partial": (COR, COR),
        "type": (COR, INC),
    },
    "overlap": {
        "strict": (INC, INC),
        "exact": (INC, INC),
        "partial": (PAR, PAR),
        "type": (COR, INC),
    },
}

CONLL_LABELS: dict[str, str | None] = {
    "PERSON": "PER",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "ORG": "ORG",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
    "DATE": None,
    "TIME": None,
    "PERCENT": None,
    "MONEY": None,
    "QUANTITY": None,
    "ORDINAL": None,
    "CARDINAL": None,
}
"""OntoNotes labels (the model's) → CoNLL-2003 labels; None: not a CoNLL entity, dropped."""


def entity_list(
    entities: Sequence[Mapping[str, Any]], label_map: Mapping[str, str | None] | None = None
) -> list[dict[str, Any]]:
    """Entities as ``{"start", "end", "label"}`` sorted by offset, labels mapped when a map is
    given (labels mapped to None, or missing from the map, are dropped)."""
    result = []
    for entity in entities:
        label = entity["label"]
        if label_map is not None:
            label = label_map.get(label)
            if label is None:
                continue
        result.append({"start": entity["start"], "end": entity["end"], "label": label})
    return sorted(result, key=lambda e: (e["start"], e["end"], e["label"]))


def classify(
    gold: Sequence[Mapping[str, Any]], pred: Sequence[Mapping[str, Any]]
) -> tuple[list[tuple[dict[str, int], int | None]], list[int]]:
    """nervaluate's outcome of each prediction and the gold entities left missing.

    Returns:
        For each prediction, its outcome per scheme and the index of the gold entity it was
        compared with (None if spurious); and the indices of the missing gold entities.
    """
    exact = {(g["start"], g["end"], g["label"]): i for i, g in enumerate(gold)}
    touched: set[int] = set()
    outcomes: list[tuple[dict[str, int], int | None]] = []
    for p in pred:
        key = (p["start"], p["end"], p["label"])
        if key in exact:
            touched.add(exact[key])
            outcomes.append(({scheme: COR for scheme in SCHEMES}, exact[key]))
            continue
        found: tuple[dict[str, int], int | None] = ({scheme: SPU for scheme in SCHEMES}, None)
        for gi, g in enumerate(gold):
            same_bounds = g["start"] == p["start"] and g["end"] == p["end"]
            if same_bounds or overlap(g, p) > 0:
                table = _MATCH_OUTCOMES["exact-bounds" if same_bounds else "overlap"]
                same_label = g["label"] == p["label"]
                found = ({s: table[s][0 if same_label else 1] for s in SCHEMES}, gi)
                touched.add(gi)
                break
        outcomes.append(found)
    missing = [gi for gi in range(len(gold)) if gi not in touched]
    return outcomes, missing


def per_label_scores(tally: Tally, n_docs: int, resamples: int, seed: int) -> dict[str, Any]:
    """P/R/F1 (spaCy's :class:`PRFScore`), the F1 interval and the gold support of one label
    from its ``(tp, fp, fn)`` units."""
    tp, fp, fn = (int(x) for x in tally.total())
    score = PRFScore(tp=tp, fp=fp, fn=fn)
    return {
        **score.to_dict(),
        "f_ci": interval(tally, f_statistic, n_docs, resamples, seed),
        "support": tp + fn,
    }


def _credit_f(sums: np.ndarray) -> np.ndarray:
    """F1 from columns (credit, predicted, gold): 2·credit / (predicted + gold)."""
    credit, predicted, gold = sums[:, 0], sums[:, 1], sums[:, 2]
    total = predicted + gold
    return np.where(total > 0, 2 * credit / np.where(total > 0, total, 1), np.nan)


def _scheme_metrics(
    scheme: str, tally: Tally, n_docs: int, resamples: int, seed: int
) -> dict[str, Any]:
    """P/R/F1 of one scheme from rows of (credit, predicted, gold); credit is COR (+ PAR/2)."""
    prefix = "ents" if scheme == "strict" else f"ents_{scheme}"
    credit, predicted, gold = (float(x) for x in tally.total())
    if predicted + gold == 0:
        metrics: dict[str, Any] = {f"{prefix}_{key}": None for key in ("p", "r", "f", "f_ci")}
    else:
        score = PRFScore(tp=credit, fp=predicted - credit, fn=gold - credit)  # type: ignore[arg-type]
        metrics = {
            f"{prefix}_p": score.precision,
            f"{prefix}_r": score.recall,
            f"{prefix}_f": score.fscore,
            f"{prefix}_f_ci": interval(tally, _credit_f, n_docs, resamples, seed),
        }
    if scheme == "strict":
        metrics["ents_strict_f"] = metrics["ents_f"]
        metrics["ents_strict_f_ci"] = metrics["ents_f_ci"]
    return metrics


def score_entities(
    pairs: Sequence[Pair],
    *,
    label_map: Mapping[str, str | None] | None = None,
    bootstrap: int = 0,
    seed: int = DEFAULT_SEED,
) -> dict[str, Any]:
    """Entity scores over ``pairs`` of predicted and gold records.

    Args:
        pairs: Predicted and gold records.
        label_map: Maps predicted labels onto the gold scheme (e.g. :data:`CONLL_LABELS`).
        bootstrap: Resamples for the intervals (0: none).
        seed: Seed of the resampling.

    Returns:
        ``ents_p/r/f`` (strict), ``ents_{strict,exact,partial,type}_f`` (and ``_p``, ``_r``
        except for strict, which is ``ents_p/r``), each F1 with a ``_ci`` interval;
        ``ents_per_type``: ``{label: {"p", "r", "f", "f_ci", "support"}}`` under strict
        matching; and
        ``ents_errors``: ``{"doc", "kind", "start", "end", "label", "gold"}`` for every
        prediction that is not strictly correct and every missing gold entity.
    """
    tallies = {scheme: Tally(3) for scheme in SCHEMES}
    per_label: dict[str, Tally] = {}  # strict (tp, fp, fn) units per label
    errors: list[dict[str, Any]] = []
    for i, (pred_record, gold_record) in enumerate(pairs):
        gold = entity_list(gold_record["entities"])
        pred = entity_list(pred_record["entities"], label_map)
        outcomes, missing = classify(gold, pred)
        # Units: each gold entity with the predictions classed against it; each spurious one.
        units = {scheme: [[0.0, 0, 1] for _ in gold] for scheme in SCHEMES}
        for p, (by_scheme, gi) in zip(pred, outcomes, strict=True):
            for scheme, outcome in by_scheme.items():
                credit = 1.0 if outcome == COR else 0.5 if outcome == PAR else 0.0
                if gi is None:
                    tallies[scheme].add(i, (0.0, 1, 0))
                else:
                    units[scheme][gi][0] += credit
                    units[scheme][gi][1] += 1
            label_tally = per_label.setdefault(p["label"], Tally(3))
            if by_scheme["strict"] == COR:
                label_tally.add(i, (1, 0, 0))
                continue
            label_tally.add(i, (0, 1, 0))
            kind = "spurious"
            if gi is not None:
                g = gold[gi]
                if g["start"] == p["start"] and g["end"] == p["end"]:
                    kind = "wrong label"
                elif g["label"] == p["label"]:
                    kind = "wrong boundary"
                else:
                    kind = "wrong boundary and label"
            gold_span = gold[gi] if gi is not None else None
            errors.append({"doc": i, "kind": kind, **p, "gold": gold_span})
        for scheme in SCHEMES:
            for row in units[scheme]:
                tallies[scheme].add(i, tuple(row))
        for gi, g in enumerate(gold):
            if not any(o["strict"] == COR and j == gi for o, j in outcomes):
                per_label.setdefault(g["label"], Tally(3)).add(i, (0, 0, 1))
            if gi in missing:
                errors.append({"doc": i, "kind": "missed", **g, "gold": None})
    n = len(pairs)
    metrics: dict[str, Any] = {}
    for scheme in SCHEMES:
        metrics.update(_scheme_metrics(scheme, tallies[scheme], n, bootstrap, seed))
    metrics["ents_per_type"] = {
        label: per_label_scores(tally, n, bootstrap, seed)
        for label, tally in sorted(per_label.items())
    }
    metrics["ents_errors"] = sorted(errors, key=lambda e: (e["doc"], e["start"], e["end"]))
    return metrics
