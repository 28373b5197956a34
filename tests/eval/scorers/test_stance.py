"""Stance scores over matched quotes: accuracy, macro-F1, per label, confusion, baseline."""

from __future__ import annotations

import pytest

from newspipe.eval.scorers.matching import Pair
from newspipe.eval.scorers.stance import score_stance

TEXT = "y" * 120


def span(start: int, end: int) -> dict:
    return {"start": start, "end": end, "text": TEXT[start:end]}


def quote(content: tuple[int, int], stance: str | None = None) -> dict:
    return {
        "content": span(*content),
        "cue": None,
        "speaker": None,
        "speaker_name": None,
        "type": "direct",
        "stance": stance,
    }


def record(quotes: list[dict]) -> dict:
    return {
        "id": "d",
        "text": TEXT,
        "target": "t",
        "sentences": [],
        "entities": [],
        "quotes": quotes,
    }


GOLD = record([quote((10, 30), "FAVOR"), quote((40, 60), "AGAINST"), quote((70, 80), "NONE")])
PRED = record([quote((12, 30), "FAVOR"), quote((45, 70)), quote((90, 100), "NONE")])


def test_stance_over_matched_quotes_with_missing_prediction_counted_wrong() -> None:
    scores = score_stance([Pair(PRED, GOLD)])
    assert scores["stance_n"] == 2  # the missed gold quote is not scored
    assert scores["stance_coverage"] == pytest.approx(2 / 3)
    assert scores["stance_acc"] == 0.5
    # FAVOR: p 1, r 1 -> F 1; AGAINST: r 0 -> F 0; NONE occurs nowhere -> not averaged
    assert scores["stance_macro_f"] == pytest.approx(0.5)
    assert scores["stance_confusion"]["labels"] == ["FAVOR", "AGAINST", "NONE", "MISSING"]
    assert scores["stance_confusion"]["matrix"][1] == [0, 0, 0, 1]
    assert [e["kind"] for e in scores["stance_errors"]] == ["wrong stance"]


def test_stance_labels_and_majority_baseline() -> None:
    labels = ["FAVOR", "FAVOR", "FAVOR", "AGAINST", "NONE"]
    predicted = ["FAVOR", "AGAINST", "FAVOR", "AGAINST", "FAVOR"]
    gold = record([quote((i * 10, i * 10 + 5), s) for i, s in enumerate(labels)])
    pred = record([quote((i * 10, i * 10 + 5), s) for i, s in enumerate(predicted)])
    scores = score_stance([Pair(pred, gold)], bootstrap=100)
    assert scores["stance_acc"] == pytest.approx(0.6)
    # FAVOR p 2/3 r 2/3 F 2/3; AGAINST p 1/2 r 1 F 2/3; NONE F 0
    assert scores["stance_macro_f"] == pytest.approx((2 / 3 + 2 / 3 + 0) / 3)
    assert scores["stance_per_label"]["AGAINST"]["support"] == 1
    assert scores["stance_majority_label"] == "FAVOR"
    assert scores["stance_majority_acc"] == pytest.approx(0.6)
    assert scores["stance_majority_macro_f"] == pytest.approx((0.75 + 0 + 0) / 3)
    assert scores["stance_per_label"]["NONE"]["f_ci"] == [0.0, 0.0]
    low, high = scores["stance_macro_f_ci"]
    assert low <= scores["stance_macro_f"] <= high


def test_no_gold_stance_gives_none() -> None:
    gold = record([quote((0, 5))])
    scores = score_stance([Pair(gold, gold)])
    assert scores["stance_acc"] is None
    assert scores["stance_n"] == 0


def test_vader_baseline_reads_the_gold_content_blind_to_the_target() -> None:
    text = "What a wonderful, great plan. A terrible, awful mess. The meeting is on Monday."
    spans = [(0, 28), (29, 53), (54, len(text))]
    quotes = [
        {**quote(s, label), "content": {"start": s[0], "end": s[1], "text": text[s[0] : s[1]]}}
        for s, label in zip(spans, ["FAVOR", "FAVOR", "FAVOR"], strict=True)
    ]
    gold = {**record(quotes), "text": text}
    scores = score_stance([Pair(gold, gold)])
    # VADER says FAVOR, AGAINST, NONE: one of three right, FAVOR F1 = 2 * 1 * 1/3 / (4/3)
    assert scores["stance_vader_acc"] == pytest.approx(1 / 3)
    assert scores["stance_vader_macro_f"] == pytest.approx((0.5 + 0 + 0) / 3)
    assert scores["stance_acc"] == 1.0
