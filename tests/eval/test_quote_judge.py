"""The quote judge's training pieces: the PolNeAR speech-and-writing subset, calibration and the
reliability table."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newspipe.eval.quote_judge import (
    calibrated,
    cue_head_lemma,
    fit_platt,
    quote_outcomes,
    reliability_table,
    speech_class,
)

CLASSES = {"say": "speech", "show": "evidence", "accord": "source", "think": "cognition"}


def span(text: str, piece: str) -> tuple[int, int]:
    start = text.index(piece)
    return start, start + len(piece)


@pytest.mark.model
def test_cue_head_lemma_and_speech_class(nlp: Language) -> None:
    text = (
        "Berg has said the line will close. According to Dahl, it will not. The figures show "
        "rents rose. Lund thinks so. Holm muttered it. The poll suggests a win."
    )
    doc = nlp(text)
    assert cue_head_lemma(doc, span(text, "has said")) == "say"
    assert cue_head_lemma(doc, span(text, "According to")) == "accord"
    assert speech_class(doc, span(text, "has said"), CLASSES) == "speech"
    assert speech_class(doc, span(text, "According to"), CLASSES) == "speech"
    assert speech_class(doc, span(text, "show"), CLASSES) == "other"
    assert speech_class(doc, span(text, "thinks"), CLASSES) == "other"
    assert speech_class(doc, span(text, "muttered"), CLASSES) == "unknown"
    assert speech_class(doc, None, CLASSES) == "speech"  # attributed by punctuation alone
    poll = speech_class(
        doc,
        span(text, "suggests"),
        {"suggest": "speech"},
        span(text, "The poll"),
        frozenset({"poll"}),
    )
    assert poll == "other"  # evidence shows, whatever the verb


def test_platt_scaling_is_fitted_and_increasing() -> None:
    outcomes = [
        (i % 4, p, int(p > 0.5)) for i, p in enumerate([0.1, 0.3, 0.45, 0.6, 0.8, 0.95] * 5)
    ]
    a, b = fit_platt(outcomes)
    assert a > 0
    assert calibrated(0.9, (a, b)) > calibrated(0.2, (a, b))
    assert fit_platt([(0, 0.5, 1), (1, 0.7, 1)]) == (1.0, 0.0)  # one class: identity


def test_reliability_table_bins_held_out_confidences() -> None:
    outcomes = [
        (i % 4, p, int(p > 0.5)) for i, p in enumerate([0.1, 0.3, 0.45, 0.6, 0.8, 0.95] * 8)
    ]
    rows = reliability_table(outcomes, [0, 1, 2, 3])
    assert sum(r["quotes"] for r in rows) == len(outcomes)
    low, high = rows[0], rows[-1]
    assert low["observed"] < high["observed"]
    for row in rows:
        assert row["bin"][0] <= row["predicted"] <= row["bin"][1]


def test_quote_outcomes_match_one_to_one() -> None:
    def quote(start: int, end: int, confidence: float | None = None) -> dict:
        return {"content": {"start": start, "end": end}, "confidence": confidence}

    gold = [{"quotes": [quote(0, 10)]}]
    pred = [{"quotes": [quote(0, 10, 0.9), quote(1, 9, 0.8), quote(20, 30, 0.2)]}]
    assert quote_outcomes(pred, gold) == [(0, 0.9, 1), (0, 0.8, 0), (0, 0.2, 0)]
