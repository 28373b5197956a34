"""Inter-annotator agreement (eval/agree.py) on hand-changed copies of one annotation."""

from __future__ import annotations

import copy

import pytest

from newspipe.eval.agree import agreement, kappa, speaker_agreement, stance_pairs
from newspipe.eval.scorers.matching import Pair
from newspipe.pipeline.records import Record


def test_identical_annotations_agree_fully(strike_record: Record) -> None:
    result = agreement([strike_record], [copy.deepcopy(strike_record)])
    metrics = result["metrics"]
    assert result["documents"] == ["harbour_strike"]
    for key in ("sents_f", "ents_f", "quotes_f", "speaker_name_acc", "stance_acc"):
        assert metrics[key] == 1.0, key
    assert metrics["stance_kappa"] == 1.0
    assert metrics["quotes_matched"] == 5


def test_each_layer_sees_its_own_disagreement(strike_record: Record) -> None:
    other = copy.deepcopy(strike_record)
    other["entities"][0]["label"] = "ORG"  # one of 12 entities relabelled
    del other["quotes"][-1]  # one of 5 quotes missed
    other["quotes"][0]["stance"] = "AGAINST"  # FAVOR in A
    other["quotes"][1]["speaker_name"] = "Dahl"  # "Mari Dahl" in A
    metrics = agreement([strike_record], [other])["metrics"]
    assert metrics["sents_f"] == 1.0
    assert metrics["ents_f"] == pytest.approx(11 / 12)
    assert metrics["quotes_f"] == pytest.approx(2 * 4 / (4 + 5))  # P 1, R 4/5
    assert metrics["quotes_matched"] == 4
    assert metrics["speaker_name_acc"] == pytest.approx(3 / 4)
    assert metrics["stance_acc"] == pytest.approx(3 / 4)
    labels_a, labels_b = stance_pairs([Pair(pred=other, gold=strike_record)], 0.5)
    assert len(labels_a) == len(labels_b) == 4
    assert metrics["stance_kappa"] == pytest.approx(kappa(labels_a, labels_b))


def test_differences_name_both_sides_in_context(strike_record: Record) -> None:
    other = copy.deepcopy(strike_record)
    other["entities"][0]["label"] = "ORG"
    del other["quotes"][-1]
    other["quotes"][0]["stance"] = "AGAINST"
    differences = agreement([strike_record], [other])["differences"]
    assert differences["sentences"] == []
    (entity,) = differences["entities"]
    assert (entity["kind"], entity["a"], entity["b"]) == ("label differs", "FAC", "ORG")
    assert entity["context"][1] == "Port of Halden"
    (quote,) = differences["quotes"]
    assert quote["kind"] == "only in A quote"
    assert quote["context"][1] == strike_record["quotes"][-1]["content"]["text"]
    (stance,) = differences["stance"]
    assert (stance["kind"], stance["a"], stance["b"]) == ("stance differs", "FAVOR", "AGAINST")


def test_kappa_is_chance_corrected_and_undefined_on_one_label() -> None:
    assert kappa(["FAVOR", "AGAINST"], ["FAVOR", "AGAINST"]) == 1.0
    # Observed 0.5, expected 0.5 (each annotator says FAVOR half the time): kappa 0.
    assert kappa(["FAVOR", "FAVOR", "NONE", "NONE"], ["FAVOR", "NONE", "FAVOR", "NONE"]) == 0.0
    assert kappa(["NONE", "NONE"], ["NONE", "NONE"]) is None
    assert kappa([], []) is None


def test_speaker_layer_agreement_over_names_both_list(strike_record: Record) -> None:
    a = {**strike_record, "speakers": [
        {"name": "Mari Dahl", "kind": "person", "gender": "female"},
        {"name": "port authority", "kind": "organisation", "gender": "unknown"},
        {"name": "Ministry of Transport", "kind": "organisation", "gender": "unknown"},
    ]}  # fmt: skip
    b = {**strike_record, "speakers": [
        {"name": "mari  dahl", "kind": "person", "gender": "unknown"},
        {"name": "port authority", "kind": "unnamed", "gender": "unknown"},
    ]}  # fmt: skip
    result = speaker_agreement([Pair(pred=b, gold=a)])
    assert result["speakers_shared"] == 2
    assert result["speakers_in_one_only"] == 1
    assert result["speaker_kind_agree"] == 0.5
    assert result["speaker_gender_agree"] == 0.5


def test_documents_pair_by_id_and_texts_must_match(strike_record: Record) -> None:
    lone = {**copy.deepcopy(strike_record), "id": "other"}
    result = agreement([strike_record, lone], [strike_record])
    assert result["documents"] == ["harbour_strike"]
    assert result["only_in_a"] == ["other"]
    changed = {**strike_record, "text": strike_record["text"] + " More."}
    with pytest.raises(ValueError, match="different texts"):
        agreement([strike_record], [changed])
