"""Bootstrap intervals: resampling documents, or units when there is one document."""

from __future__ import annotations

import numpy as np
import pytest

from newspipe.eval.scorers.bootstrap import (
    Tally,
    accuracy_statistic,
    f_statistic,
    interval,
    macro_f_statistic,
)


def test_tally_sums_per_document() -> None:
    tally = Tally(2)
    tally.add(0, (1, 1))
    tally.add(2, (0, 1))
    tally.add(0, (1, 1))
    assert tally.total().tolist() == [2, 3]
    assert tally.per_doc(3).tolist() == [[2, 2], [0, 0], [0, 1]]
    with pytest.raises(ValueError):
        tally.add(0, (1,))


def test_statistics_on_known_sums() -> None:
    sums = np.array([[2.0, 1.0, 1.0], [0.0, 0.0, 0.0]])
    f = f_statistic(sums)
    assert f[0] == pytest.approx(2 * 2 / (2 * 2 + 1 + 1))
    assert np.isnan(f[1])
    assert accuracy_statistic(np.array([[3.0, 4.0]]))[0] == pytest.approx(0.75)
    # labels (A, B): gold A predicted A twice, gold B predicted A once -> F(A) = 0.8, F(B) = 0
    confusion = np.array([[2.0, 0.0, 1.0, 0.0]])
    assert macro_f_statistic(2, 2)(confusion)[0] == pytest.approx(0.4)


def test_all_right_gives_a_point_interval_and_zero_resamples_none() -> None:
    tally = Tally(2)
    for doc in range(5):
        tally.add(doc, (1, 1))
    assert interval(tally, accuracy_statistic, 5, resamples=100) == [1.0, 1.0]
    assert interval(tally, accuracy_statistic, 5, resamples=0) is None
    assert interval(Tally(2), accuracy_statistic, 5, resamples=100) is None


def test_single_document_resamples_units() -> None:
    tally = Tally(2)
    for right in (1, 0, 1, 1, 0, 1, 1, 1):
        tally.add(0, (right, 1))
    low, high = interval(tally, accuracy_statistic, 1, resamples=500, seed=1)  # type: ignore[misc]
    assert low < 0.75 < high  # resampling a single document would give a point
