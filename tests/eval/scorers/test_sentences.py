"""Sentence scores on hand-built records with known counts."""

from __future__ import annotations

import pytest

from newspipe.eval.scorers.matching import Pair
from newspipe.eval.scorers.sentences import score_sentences

TEXT = "A b. C d. E f."  # sentences at 0-4, 5-9, 10-14


def record(spans: list[tuple[int, int]], text: str = TEXT) -> dict:
    return {
        "id": "d",
        "text": text,
        "target": None,
        "sentences": [{"start": s, "end": e} for s, e in spans],
        "entities": [],
        "quotes": [],
    }


def test_boundaries_and_exact_spans_have_known_counts() -> None:
    gold = record([(0, 4), (5, 9), (10, 14)])
    pred = record([(0, 5), (5, 14)])  # trailing space kept in the first sentence
    scores = score_sentences([Pair(pred, gold)])
    # boundaries: gold {5, 10}, predicted {5}: tp 1, fp 0, fn 1
    assert scores["sents_p"] == pytest.approx(1.0)
    assert scores["sents_r"] == pytest.approx(0.5)
    assert scores["sents_f"] == pytest.approx(2 / 3)
    # spans: predicted (0, 4) after trimming, (5, 14): tp 1, fp 1, fn 2
    assert scores["sents_exact_p"] == pytest.approx(0.5)
    assert scores["sents_exact_r"] == pytest.approx(1 / 3)
    assert scores["sents_exact_f"] == pytest.approx(0.4)
    assert scores["sents_doc_acc"] == 0.0
    assert scores["sents_errors"] == [{"doc": 0, "kind": "missed boundary", "start": 10, "end": 10}]
    assert scores["sents_f_ci"] is None  # no bootstrap asked


def test_surrounding_whitespace_does_not_matter() -> None:
    text = "  A b.\n\nC d.  "
    gold = record([(2, 6), (8, 12)], text)
    pred = record([(0, 8), (8, 14)], text)  # whitespace on both sides
    scores = score_sentences([Pair(pred, gold)])
    assert scores["sents_f"] == 1.0
    assert scores["sents_exact_f"] == 1.0
    assert scores["sents_doc_acc"] == 1.0
    assert scores["sents_errors"] == []


def test_spurious_boundary_is_listed_and_one_sentence_docs_count_for_doc_accuracy() -> None:
    one = record([(0, 14)])
    split = record([(0, 4), (5, 14)])
    scores = score_sentences([Pair(split, one), Pair(one, one)])
    assert scores["sents_p"] == 0.0
    assert scores["sents_r"] == 0.0  # PRFScore: 0 / (0 + 0)
    assert scores["sents_doc_acc"] == 0.5
    assert scores["sents_errors"] == [{"doc": 0, "kind": "spurious boundary", "start": 5, "end": 5}]


def test_nothing_to_score_gives_none() -> None:
    empty = record([])
    scores = score_sentences([Pair(empty, empty)])
    assert scores["sents_f"] is None
    assert scores["sents_exact_f"] is None


def test_bootstrap_interval_is_reproducible_and_brackets_the_estimate() -> None:
    gold = record([(0, 4), (5, 9), (10, 14)])
    preds = [record([(0, 4), (5, 14)]), record([(0, 4), (5, 9), (10, 14)]), record([(0, 14)])]
    pairs = [Pair(p, gold) for p in preds]
    first = score_sentences(pairs, bootstrap=200, seed=3)
    again = score_sentences(pairs, bootstrap=200, seed=3)
    low, high = first["sents_f_ci"]
    assert first["sents_f_ci"] == again["sents_f_ci"]
    assert 0.0 <= low <= first["sents_f"] <= high <= 1.0
    assert low < high  # the three documents disagree, so resampling them varies the F1
