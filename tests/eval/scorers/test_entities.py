"""Entity scores: nervaluate's strict / exact / partial / type schemes on a hand-built case."""

from __future__ import annotations

import pytest

from newspipe.eval.scorers.entities import CONLL_LABELS, score_entities
from newspipe.eval.scorers.matching import Pair

TEXT = "x" * 60


def record(entities: list[tuple[int, int, str]]) -> dict:
    return {
        "id": "d",
        "text": TEXT,
        "target": None,
        "sentences": [],
        "entities": [
            {"start": s, "end": e, "label": label, "text": TEXT[s:e]} for s, e, label in entities
        ],
        "quotes": [],
    }


GOLD = record([(0, 5, "A"), (10, 15, "A"), (20, 25, "B"), (30, 35, "A"), (40, 45, "B")])
PRED = record(
    [
        (0, 5, "A"),  # correct
        (20, 25, "A"),  # same boundaries, wrong label
        (30, 38, "A"),  # overlap, same label
        (41, 46, "A"),  # overlap, wrong label
        (50, 55, "A"),  # spurious
    ]
)  # (10, 15, A) is missing


def test_the_four_schemes_have_known_scores() -> None:
    scores = score_entities([Pair(PRED, GOLD)])
    # strict: COR 1, INC 3, MIS 1, SPU 1 -> P = R = 1/5
    assert scores["ents_p"] == pytest.approx(0.2)
    assert scores["ents_r"] == pytest.approx(0.2)
    assert scores["ents_f"] == pytest.approx(0.2)
    assert scores["ents_strict_f"] == scores["ents_f"]
    # exact: COR 2 (correct + wrong label), INC 2
    assert scores["ents_exact_p"] == pytest.approx(0.4)
    assert scores["ents_exact_f"] == pytest.approx(0.4)
    # partial: COR 2, PAR 2 -> (2 + 1) / 5
    assert scores["ents_partial_p"] == pytest.approx(0.6)
    assert scores["ents_partial_r"] == pytest.approx(0.6)
    # type: COR 2 (correct, overlap same label), INC 2
    assert scores["ents_type_f"] == pytest.approx(0.4)


def test_per_type_counts_precision_by_predicted_and_recall_by_gold_label() -> None:
    per_type = score_entities([Pair(PRED, GOLD)])["ents_per_type"]
    assert per_type["A"]["p"] == pytest.approx(1 / 5)
    assert per_type["A"]["r"] == pytest.approx(1 / 3)
    assert per_type["A"]["support"] == 3
    assert per_type["B"]["r"] == 0.0
    assert per_type["B"]["support"] == 2


def test_every_wrong_entity_is_listed_with_its_kind() -> None:
    errors = score_entities([Pair(PRED, GOLD)])["ents_errors"]
    kinds = [(e["start"], e["kind"]) for e in errors]
    assert kinds == [
        (10, "missed"),
        (20, "wrong label"),
        (30, "wrong boundary"),
        (41, "wrong boundary and label"),
        (50, "spurious"),
    ]
    assert errors[1]["gold"] == {"start": 20, "end": 25, "label": "B"}


def test_conll_mapping_renames_and_drops_predicted_labels() -> None:
    gold = record([(0, 5, "PER"), (10, 15, "LOC")])
    pred = record([(0, 5, "PERSON"), (10, 15, "GPE"), (20, 25, "DATE")])
    scores = score_entities([Pair(pred, gold)], label_map=CONLL_LABELS)
    assert scores["ents_f"] == 1.0
    assert CONLL_LABELS["FAC"] == "LOC"
    assert CONLL_LABELS["NORP"] == "MISC"
    assert CONLL_LABELS["CARDINAL"] is None


def test_perfect_prediction_and_interval() -> None:
    scores = score_entities([Pair(GOLD, GOLD)] * 3, bootstrap=50)
    for scheme in ("strict", "exact", "partial", "type"):
        assert scores[f"ents_{scheme}_f"] == 1.0
    assert scores["ents_f_ci"] == [1.0, 1.0]
    assert scores["ents_per_type"]["B"]["f_ci"] == [1.0, 1.0]
    assert scores["ents_errors"] == []
