"""Quote scores: overlap matching, exact matching, per type, cue / speaker / name accuracy."""

from __future__ import annotations

import pytest

from newspipe.eval.scorers.matching import Pair, match_spans, overlaps_enough
from newspipe.eval.scorers.quotes import score_quotes

TEXT = "y" * 120


def span(start: int, end: int) -> dict:
    return {"start": start, "end": end, "text": TEXT[start:end]}


def quote(content, kind, cue=None, speaker=None, name=None, stance=None) -> dict:
    return {
        "content": span(*content),
        "cue": span(*cue) if cue else None,
        "speaker": span(*speaker) if speaker else None,
        "speaker_name": name,
        "type": kind,
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


GOLD = record(
    [
        quote((10, 30), "direct", cue=(0, 4), speaker=(5, 9), name="Ann Lee", stance="FAVOR"),
        quote((40, 60), "indirect", cue=(31, 35), stance="AGAINST"),
        quote((70, 80), "mixed", stance="NONE"),  # missed
    ]
)
PRED = record(
    [
        quote((12, 30), "direct", cue=(0, 4), speaker=(5, 8), name="ann  LEE", stance="FAVOR"),
        quote((45, 70), "mixed"),  # no cue (wrong), no speaker (right), wrong type, no stance
        quote((90, 100), "direct", stance="NONE"),  # spurious
    ]
)


def test_overlap_rule_needs_half_of_each_span() -> None:
    assert overlaps_enough(span(40, 60), span(45, 70))  # 15 of 20 and 15 of 25
    assert not overlaps_enough(span(40, 60), span(50, 100))  # 10 of 20 but 10 of 50
    assert overlaps_enough(span(40, 60), span(50, 100), fraction=0.2)
    assert not overlaps_enough(span(0, 5), span(5, 9), fraction=0.0)


def test_matching_is_one_to_one_and_greedy_by_overlap() -> None:
    gold = [span(0, 20)]
    pred = [span(2, 20), span(0, 19)]  # overlaps 18 and 19: the larger wins
    assert match_spans(gold, pred) == [(0, 1)]


def test_content_and_attribute_scores_have_known_values() -> None:
    scores = score_quotes([Pair(PRED, GOLD)])
    assert scores["quotes_p"] == pytest.approx(2 / 3)  # tp 2, fp 1, fn 1
    assert scores["quotes_r"] == pytest.approx(2 / 3)
    assert scores["quotes_exact_f"] == 0.0
    assert scores["quotes_matched"] == 2
    assert scores["cue_acc"] == 0.5
    assert scores["speaker_acc"] == 1.0  # (5, 8) overlaps 3 of 4 and 3 of 3; None == None
    assert scores["speaker_name_acc"] == 1.0  # case and spaces ignored; None == None
    assert scores["quote_type_acc"] == 0.5
    per_type = scores["quotes_per_type"]
    assert per_type["direct"]["r"] == 1.0 and per_type["direct"]["p"] == 0.5
    assert per_type["indirect"]["r"] == 1.0 and per_type["indirect"]["p"] == 0.0
    assert per_type["mixed"]["r"] == 0.0 and per_type["mixed"]["p"] == 1.0
    kinds = [(e["start"], e["kind"]) for e in scores["quotes_errors"]]
    assert kinds == [
        (40, "wrong cue"),
        (40, "wrong type"),
        (70, "missed quote"),
        (90, "spurious quote"),
    ]


def test_per_type_intervals_bracket_the_estimate() -> None:
    pairs = [Pair(PRED, GOLD), Pair(GOLD, GOLD), Pair(PRED, GOLD)]
    per_type = score_quotes(pairs, bootstrap=200)["quotes_per_type"]
    for kind in ("direct", "indirect", "mixed"):
        low, high = per_type[kind]["f_ci"]
        assert low <= per_type[kind]["f"] <= high
    assert per_type["direct"]["support"] == 3


def test_speaker_name_not_annotated_gives_none_and_stricter_overlap_matches_less() -> None:
    scores = score_quotes([Pair(PRED, GOLD)], speaker_names=False, overlap=0.9)
    assert scores["speaker_name_acc"] is None
    assert scores["quotes_matched"] == 1  # (12, 30) covers 18 of 20; (45, 70) only 15 of 25
