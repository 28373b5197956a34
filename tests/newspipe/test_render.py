"""The pretty view's per-speaker table (no model needed: hand-built records)."""

from __future__ import annotations

from typing import Any

from rich.console import Console

from newspipe.render import render_record, speaker_stances


def quote(speaker: str | None, stances: dict[str, str | None] | None, stance: str | None) -> dict:
    return {
        "content": {"start": 0, "end": 1, "text": "x"},
        "cue": None,
        "speaker": {"start": 0, "end": 1, "text": speaker} if speaker else None,
        "speaker_name": speaker,
        "type": "indirect",
        "stance": stance,
        "stances": stances,
    }


def record(**fields: Any) -> dict[str, Any]:
    return {"id": "r", "text": "x", "sentences": [], "entities": [], **fields}


def test_stance_counts_per_speaker_and_target() -> None:
    targets = ["the levy", "the strike"]
    rec = record(
        target="the levy",
        targets=targets,
        quotes=[
            quote("Ann Smith", {"the levy": "AGAINST", "the strike": "NONE"}, "AGAINST"),
            quote("Ann Smith", {"the levy": "AGAINST", "the strike": "FAVOR"}, "AGAINST"),
            quote(None, {"the levy": "FAVOR", "the strike": None}, "FAVOR"),
        ],
    )
    rows = speaker_stances(rec)
    assert rows["Ann Smith"]["quotes"] == 2
    assert dict(rows["Ann Smith"]["stances"]["the levy"]) == {"AGAINST": 2}
    assert dict(rows["Ann Smith"]["stances"]["the strike"]) == {"NONE": 1, "FAVOR": 1}
    assert dict(rows["—"]["stances"]["the strike"]) == {}
    console = Console(width=120, record=True)
    console.print(render_record(rec))
    text = console.export_text()
    assert (
        "Speakers" in text
        and "2 AGAINST" in text
        and "1 NONE · 1 FAVOR" in text.replace("1 FAVOR · 1 NONE", "1 NONE · 1 FAVOR")
    )


def test_a_record_with_one_target_and_no_stances_field() -> None:
    rec = record(target="the plan", quotes=[quote("Tom Ode", None, "FAVOR")])
    assert dict(speaker_stances(rec)["Tom Ode"]["stances"]["the plan"]) == {"FAVOR": 1}
    assert speaker_stances(record(target=None, quotes=[])) == {}
