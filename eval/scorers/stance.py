"""Stance scores over quotes that match a gold quote with a gold stance.

The quotes are matched as in :mod:`newspipe.eval.scorers.quotes` (overlap of at least half of each
content span, one-to-one); only matched quotes whose gold stance is set are scored, so end to
end the stance scores are conditional on quote detection (``stance_coverage`` says which share
of the gold stances was reached). A predicted stance of None (no target) is counted as the
label ``MISSING``: always wrong, and not one of the labels averaged.

- ``stance_acc``: share of scored quotes with the gold label (scikit-learn ``accuracy_score``);
- ``stance_macro_f``: unweighted mean of the per-label F1 over the labels FAVOR, AGAINST, NONE
  that occur in the gold or the predictions of the scored quotes (``f1_score(average="macro")``);
- ``stance_per_label``: precision, recall, F1 (with ``f_ci``) and gold support per label;
- ``stance_confusion``: rows gold, columns predicted, over ``stance_labels``;
- ``stance_majority_*``: the same scores for always predicting the most frequent gold label of
  the scored quotes — the baseline to beat;
- ``stance_vader_*``: the same scores for VADER's polarity of each scored quote's gold content
  (compound >= 0.05 FAVOR, <= -0.05 AGAINST, else NONE) — a target-blind sentiment baseline.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from newspipe.eval.scorers.bootstrap import (
    DEFAULT_SEED,
    Statistic,
    Tally,
    interval,
    macro_f_statistic,
)
from newspipe.eval.scorers.matching import DEFAULT_OVERLAP, Pair, match_spans
from newspipe.pipeline.stages import STANCE_LABELS

MISSING = "MISSING"
VADER_THRESHOLD = 0.05
"""VADER's usual cut-off for a positive or negative compound score."""
ALL_LABELS: tuple[str, ...] = (*STANCE_LABELS, MISSING)


def macro_f(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Macro-F1 over the stance labels present in ``gold`` or ``pred``."""
    from sklearn.metrics import f1_score  # imported when scoring: it takes seconds

    labels = [label for label in STANCE_LABELS if label in set(gold) | set(pred)]
    return float(f1_score(gold, pred, labels=labels, average="macro", zero_division=0))


def score_stance(
    pairs: Sequence[Pair],
    *,
    overlap: float = DEFAULT_OVERLAP,
    bootstrap: int = 0,
    seed: int = DEFAULT_SEED,
) -> dict[str, Any]:
    """Stance scores over ``pairs`` of predicted and gold records.

    Returns:
        ``stance_acc``, ``stance_macro_f`` (each with ``_ci``), ``stance_per_label``,
        ``stance_confusion`` (``{"labels", "matrix"}``), ``stance_n`` (quotes scored),
        ``stance_coverage``, ``stance_majority_label``/``_acc``/``_macro_f``, and
        ``stance_errors``: ``{"doc", "kind", "start", "end", "gold", "pred"}`` per wrong label.
    """
    gold_labels: list[str] = []
    pred_labels: list[str] = []
    vader_labels: list[str] = []
    units = Tally(len(ALL_LABELS) ** 2)
    errors: list[dict[str, Any]] = []
    wanted = 0
    for i, (pred_record, gold_record) in enumerate(pairs):
        gold, pred = gold_record["quotes"], pred_record["quotes"]
        wanted += sum(1 for q in gold if q["stance"] is not None)
        matches = match_spans([q["content"] for q in gold], [q["content"] for q in pred], overlap)
        for gi, pi in matches:
            expected = gold[gi]["stance"]
            if expected is None:
                continue
            found = pred[pi]["stance"] or MISSING
            gold_labels.append(expected)
            pred_labels.append(found)
            vader_labels.append(vader_label(gold[gi]["content"]["text"]))
            row = [0] * len(ALL_LABELS) ** 2
            row[ALL_LABELS.index(expected) * len(ALL_LABELS) + ALL_LABELS.index(found)] = 1
            units.add(i, row)
            if found != expected:
                content = gold[gi]["content"]
                errors.append(
                    {
                        "doc": i,
                        "kind": "wrong stance",
                        "start": content["start"],
                        "end": content["end"],
                        "gold": expected,
                        "pred": found,
                    }
                )
    if not gold_labels:
        keys = ("acc", "acc_ci", "macro_f", "macro_f_ci", "per_label", "confusion", "coverage")
        empty: dict[str, Any] = {f"stance_{key}": None for key in keys}
        return {
            **empty,
            "stance_n": 0,
            "stance_majority_label": None,
            "stance_majority_acc": None,
            "stance_majority_macro_f": None,
            "stance_vader_acc": None,
            "stance_vader_macro_f": None,
            "stance_errors": [],
        }
    from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

    n = len(pairs)
    statistic = macro_f_statistic(len(ALL_LABELS), len(STANCE_LABELS))
    precision, recall, f, support = precision_recall_fscore_support(
        gold_labels, pred_labels, labels=list(STANCE_LABELS), zero_division=0
    )
    majority = Counter(gold_labels).most_common(1)[0][0]
    baseline = [majority] * len(gold_labels)
    shown = [label for label in ALL_LABELS if label != MISSING or MISSING in pred_labels]
    return {
        "stance_acc": float(accuracy_score(gold_labels, pred_labels)),
        "stance_acc_ci": interval(units, _accuracy(len(ALL_LABELS)), n, bootstrap, seed),
        "stance_macro_f": macro_f(gold_labels, pred_labels),
        "stance_macro_f_ci": interval(units, statistic, n, bootstrap, seed),
        "stance_per_label": {
            label: {
                "p": float(p),
                "r": float(r),
                "f": float(fs),
                "f_ci": interval(units, _label_f(len(ALL_LABELS), k), n, bootstrap, seed),
                "support": int(s),
            }
            for k, (label, p, r, fs, s) in enumerate(
                zip(STANCE_LABELS, precision, recall, f, support, strict=True)
            )
        },
        "stance_confusion": {
            "labels": shown,
            "matrix": confusion_matrix(gold_labels, pred_labels, labels=shown).tolist(),
        },
        "stance_n": len(gold_labels),
        "stance_coverage": len(gold_labels) / wanted if wanted else None,
        "stance_majority_label": majority,
        "stance_majority_acc": float(accuracy_score(gold_labels, baseline)),
        "stance_majority_macro_f": macro_f(gold_labels, baseline),
        "stance_vader_acc": float(accuracy_score(gold_labels, vader_labels)),
        "stance_vader_macro_f": macro_f(gold_labels, vader_labels),
        "stance_errors": errors,
    }


@lru_cache(maxsize=1)
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def vader_label(text: str) -> str:
    """VADER's polarity of ``text`` as a stance label (the target-blind baseline)."""
    compound = _vader().polarity_scores(text)["compound"]
    if compound >= VADER_THRESHOLD:
        return "FAVOR"
    if compound <= -VADER_THRESHOLD:
        return "AGAINST"
    return "NONE"


def _label_f(n_labels: int, label: int) -> Statistic:
    """F1 of one label from a flattened confusion matrix; NaN where it occurs nowhere."""

    def statistic(sums: np.ndarray) -> np.ndarray:
        matrices = sums.reshape(len(sums), n_labels, n_labels)
        tp = matrices[:, label, label]
        total = matrices[:, label, :].sum(axis=1) + matrices[:, :, label].sum(axis=1)
        return np.where(total > 0, 2 * tp / np.where(total > 0, total, 1), np.nan)

    return statistic


def _accuracy(n_labels: int) -> Statistic:
    """Accuracy from a flattened confusion matrix (vectorised over resamples)."""

    def statistic(sums: np.ndarray) -> np.ndarray:
        matrices = sums.reshape(len(sums), n_labels, n_labels)
        total = matrices.sum(axis=(1, 2))
        correct = np.trace(matrices, axis1=1, axis2=2)
        return np.where(total > 0, correct / np.where(total > 0, total, 1), np.nan)

    return statistic
