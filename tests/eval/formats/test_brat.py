"""brat standoff, both ways (eval/formats/brat.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newspipe.eval.formats.brat import (
    ANNOTATION_CONF,
    brat_to_record,
    read_brat,
    record_to_ann,
    write_annotation_conf,
    write_brat,
)
from newspipe.eval.gold import GoldError, canonical
from newspipe.pipeline.records import Record


def test_gold_to_brat_to_gold_is_identical(strike_record: Record) -> None:
    ann = record_to_ann(strike_record)
    again = brat_to_record(strike_record["text"], ann, strike_record["id"])
    assert canonical(again) == canonical(strike_record)
    assert again == strike_record  # same order, same fields


def test_ann_layout(strike_record: Record) -> None:
    lines = record_to_ann(strike_record).splitlines()
    assert lines[0] == "T1\tSentence 0 36\tDockworkers strike at Port of Halden"
    assert "T8\tFAC 0 36\tPort of Halden" not in lines  # the entity is its own span
    assert any(line.startswith("T8\tFAC 22 36\tPort of Halden") for line in lines)
    events = [line for line in lines if line.startswith("E")]
    assert len(events) == len(strike_record["quotes"])
    first_event = events[0].split("\t")[1].split()
    assert first_event[0].startswith("Attribution:")
    assert [role.split(":")[0] for role in first_event[1:]] == ["Content", "Cue", "Source"]
    assert "A1\tType E1 direct" in lines
    assert "A2\tStance E1 FAVOR" in lines
    assert "#1\tAnnotatorNotes E1\tMari Dahl" in lines
    assert lines[-1] == "#6\tAnnotatorNotes T1\ttarget: the dockworkers’ strike"


def test_files_on_disk_round_trip(strike_record: Record, tmp_path: Path) -> None:
    txt, ann = write_brat(strike_record, tmp_path / "brat")
    assert txt.read_bytes() == strike_record["text"].encode("utf-8")
    assert ann.name == "harbour_strike.ann"
    assert read_brat(ann) == strike_record
    assert read_brat(tmp_path / "brat" / "harbour_strike") == strike_record
    conf = write_annotation_conf(tmp_path / "brat")
    assert conf.read_text(encoding="utf-8") == ANNOTATION_CONF
    assert "Attribution Content:Content, Cue?:Cue, Source?:Source" in ANNOTATION_CONF


def test_span_over_a_line_break_is_written_in_fragments_and_joined() -> None:
    text = "Lake\nTana is big."
    record: Record = {
        "id": "lake",
        "text": text,
        "target": None,
        "sentences": [{"start": 0, "end": 17}],
        "entities": [{"start": 0, "end": 9, "label": "LOC", "text": "Lake\nTana"}],
        "quotes": [],
    }
    ann = record_to_ann(record)
    assert "T2\tLOC 0 4;5 9\tLake Tana" in ann.splitlines()
    assert brat_to_record(text, ann, "lake") == record


POLNEAR_TEXT = "Ana said the dam leaks.\n“It holds,” Bo said."
POLNEAR_ANN = (
    "T1\tSource 0 3\tAna\n"
    "T2\tCue 4 8\tsaid\n"
    "T3\tContent 9 22\tthe dam leaks\n"
    "T4\tAttribution 4 8\tsaid\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    "T5\tContent 25 34\tIt holds,\n"
    "T6\tCue 39 43\tsaid\n"
    "T7\tAttribution-no-source 39 43\tsaid\n"
    "E2\tAttribution-no-source:T7 Content:T5 Cue:T6\n"
)


def test_reads_polnear_style_events_and_infers_types() -> None:
    record = brat_to_record(POLNEAR_TEXT, POLNEAR_ANN, "dam")
    first, second = record["quotes"]
    assert first["content"]["text"] == "the dam leaks"
    assert first["speaker"]["text"] == "Ana"
    assert first["type"] == "indirect"  # no Type attribute: inferred from the marks
    assert first["stance"] is None
    assert second["content"]["text"] == "It holds,"
    assert second["cue"]["text"] == "said"
    assert second["speaker"] is None
    assert second["type"] == "direct"
    assert record["target"] is None
    assert record["sentences"] == [] and record["entities"] == []


def test_reads_relations_and_notes_on_content() -> None:
    text = "Ana said the dam leaks."
    ann = (
        "T1\tSource 0 3\tAna\n"
        "T2\tCue 4 8\tsaid\n"
        "T3\tContent 9 22\tthe dam leaks\n"
        "R1\tHasCue Arg1:T3 Arg2:T2\n"
        "R2\tHasSource Arg1:T1 Arg2:T3\n"
        "A1\tType T3 indirect\n"
        "#1\tAnnotatorNotes T3\tAna Lima\n"
    )
    (quote,) = brat_to_record(text, ann, "dam")["quotes"]
    assert quote["cue"]["text"] == "said"
    assert quote["speaker"]["text"] == "Ana"
    assert quote["speaker_name"] == "Ana Lima"


def test_problems_are_all_reported() -> None:
    text = "Ana said the dam leaks.\nTwo lines."
    ann = (
        "T1\tCITY 0 3\tAna\n"
        "T2\tPERSON 0 3\tBob\n"
        "T3\tContent 9 12;24 27\tthe Two\n"
        "T4\tPERSON 0 99\tAna\n"
        "T5 broken line\n"
    )
    with pytest.raises(GoldError) as caught:
        brat_to_record(text, ann, "dam", source="dam.ann")
    lines = caught.value.lines()
    assert all(line.startswith("dam.ann: ") for line in lines)
    joined = "\n".join(lines)
    assert "T1: type 'CITY' is neither an OntoNotes label nor a quote part" in joined
    assert 'line 2 (T2): text "Bob" differs from the text at 0-3' in joined
    assert "line 3 (T3): discontinuous span 9 12;24 27 cannot be represented" in joined
    assert "line 4 (T4): offsets 0-99 lie outside the text" in joined
    assert "line 5 (T5 broken line): malformed text-bound annotation" in joined


def test_missing_files(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("Some text.", encoding="utf-8")
    with pytest.raises(GoldError, match="cannot read"):
        read_brat(tmp_path / "x.ann")
    with pytest.raises(GoldError, match="cannot read"):
        read_brat(tmp_path / "y.txt")
