"""Bootstrap 95% intervals for metrics that are functions of summed counts.

A scorer records, for each scored unit (a sentence boundary, an entity, a quote …), a row of
counts and the document it belongs to, in a :class:`Tally`. A metric is a function of the
column sums (``tp, fp, fn`` → F1; ``correct, total`` → accuracy; a flattened confusion
matrix → macro-F1). The interval resamples documents with replacement (the unit of
independence in news text) or, when there is a single document, the units themselves; the
metric is recomputed on each resample and the 2.5th and 97.5th percentiles are reported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from spacy.scorer import PRFScore

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 0

Statistic = Callable[[np.ndarray], np.ndarray]
"""Maps summed counts, shape ``(resamples, width)``, to metric values, shape ``(resamples,)``
(NaN where the metric is undefined)."""


@dataclass
class Tally:
    """Rows of counts, one per scored unit, each with the index of its document."""

    width: int
    docs: list[int] = field(default_factory=list)
    rows: list[Sequence[float]] = field(default_factory=list)

    def add(self, doc: int, row: Sequence[float]) -> None:
        """Add one unit's counts."""
        if len(row) != self.width:
            raise ValueError(f"row of width {len(row)} in a tally of width {self.width}")
        self.docs.append(doc)
        self.rows.append(row)

    def total(self) -> np.ndarray:
        """The column sums."""
        if not self.rows:
            return np.zeros(self.width)
        return np.asarray(self.rows, dtype=float).sum(axis=0)

    def per_doc(self, n_docs: int) -> np.ndarray:
        """Column sums per document, shape ``(n_docs, width)`` (documents without units: 0)."""
        sums = np.zeros((n_docs, self.width))
        if self.rows:
            np.add.at(sums, np.asarray(self.docs), np.asarray(self.rows, dtype=float))
        return sums


def interval(
    tally: Tally,
    statistic: Statistic,
    n_docs: int,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    level: float = 0.95,
) -> list[float] | None:
    """The percentile bootstrap interval ``[low, high]`` of ``statistic`` over ``tally``.

    Args:
        tally: The units' counts.
        statistic: The metric as a function of summed counts (vectorised over resamples).
        n_docs: How many documents were scored (documents without units count too).
        resamples: Number of bootstrap resamples; 0 disables the interval.
        seed: Seed of the random generator (fixed, so reruns give the same interval).
        level: Coverage of the interval.

    Returns:
        ``[low, high]``, or None if disabled, if there is nothing to resample, or if the metric
        is undefined on every resample.
    """
    if resamples <= 0 or not tally.rows:
        return None
    units = tally.per_doc(n_docs) if n_docs > 1 else np.asarray(tally.rows, dtype=float)
    n_units = len(units)
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(n_units, np.full(n_units, 1.0 / n_units), size=resamples)
    values = statistic(weights @ units)
    values = values[~np.isnan(values)]
    if not len(values):
        return None
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.percentile(values, [tail, 100.0 - tail])
    return [float(low), float(high)]


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1), 0.0)


def f_statistic(sums: np.ndarray) -> np.ndarray:
    """F1 from columns ``tp, fp, fn``; NaN when all three are 0."""
    tp, fp, fn = sums[:, 0], sums[:, 1], sums[:, 2]
    f = _ratio(2 * tp, 2 * tp + fp + fn)
    return np.where(tp + fp + fn > 0, f, np.nan)


def accuracy_statistic(sums: np.ndarray) -> np.ndarray:
    """Accuracy from columns ``correct, total``; NaN when the total is 0."""
    correct, total = sums[:, 0], sums[:, 1]
    return np.where(total > 0, _ratio(correct, total), np.nan)


def macro_f_statistic(n_labels: int, scored: int) -> Statistic:
    """Macro-F1 from a flattened ``n_labels × n_labels`` confusion matrix (rows gold, columns
    predicted), averaged over the first ``scored`` labels that occur in gold or prediction."""

    def statistic(sums: np.ndarray) -> np.ndarray:
        matrices = sums.reshape(len(sums), n_labels, n_labels)
        tp = np.diagonal(matrices, axis1=1, axis2=2)[:, :scored]
        gold = matrices.sum(axis=2)[:, :scored]
        pred = matrices.sum(axis=1)[:, :scored]
        f = _ratio(2 * tp, gold + pred)
        present = (gold + pred) > 0
        count = present.sum(axis=1)
        return np.where(count > 0, _ratio((f * present).sum(axis=1), count), np.nan)

    return statistic


def prf_metrics(
    prefix: str, tally: Tally, n_docs: int, resamples: int, seed: int = DEFAULT_SEED
) -> dict[str, float | list[float] | None]:
    """``{prefix}_p``, ``_r``, ``_f`` (spaCy's :class:`PRFScore`) and ``_f_ci`` from a tally of
    ``tp, fp, fn`` rows; all None when nothing was counted."""
    tp, fp, fn = (float(x) for x in tally.total())
    if tp + fp + fn == 0:
        return {f"{prefix}_{key}": None for key in ("p", "r", "f", "f_ci")}
    score = PRFScore(tp=tp, fp=fp, fn=fn)  # type: ignore[arg-type]
    return {
        f"{prefix}_p": score.precision,
        f"{prefix}_r": score.recall,
        f"{prefix}_f": score.fscore,
        f"{prefix}_f_ci": interval(tally, f_statistic, n_docs, resamples, seed),
    }


def accuracy_metrics(
    key: str, tally: Tally, n_docs: int, resamples: int, seed: int = DEFAULT_SEED
) -> dict[str, float | list[float] | None]:
    """``{key}`` and ``{key}_ci`` from a tally of ``correct, total`` rows (None if empty)."""
    correct, total = (float(x) for x in tally.total())
    if total == 0:
        return {key: None, f"{key}_ci": None}
    return {
        key: correct / total,
        f"{key}_ci": interval(tally, accuracy_statistic, n_docs, resamples, seed),
    }
