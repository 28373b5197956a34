"""CSV output: one row per quote (or entity, or sentence), the columns of the issue, formulas
defused. No model needed."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from newspipe.pipeline.errors import UnknownChoice
from newspipe.pipeline.run.csv_layers import COLUMNS, cell, layer_rows, write_csv

TEXT = "Ana Ruiz said the dam is safe. “=SUM(A1) is no proof,” Ben Ode replied."


def _span(part: str, occurrence: int = 0) -> dict[str, Any]:
    start = TEXT.index(part)
    for _ in range(occurrence):
        start = TEXT.index(part, start + 1)
    return {"start": start, "end": start + len(part), "text": part}


def record() -> dict[str, Any]:
    return {
        "id": "dam-1",
        "text": TEXT,
        "target": "the dam",
        "sentences": [
            {"start": 0, "end": TEXT.index(" “")},
            {"start": TEXT.index("“"), "end": len(TEXT)},
        ],
        "entities": [
            {**_span("Ben Ode"), "label": "PERSON"},
            {**_span("Ana Ruiz"), "label": "PERSON"},
        ],
        "quotes": [  # out of text order on purpose
            {
                "content": _span("=SUM(A1) is no proof,"),
                "cue": _span("replied"),
                "speaker": _span("Ben Ode"),
                "speaker_name": "Ben Ode",
                "type": "direct",
                "stance": "AGAINST",
                "stance_evidence": ["negation of support", "→ AGAINST"],
                "confidence": 0.875,
            },
            {
                "content": _span("the dam is safe"),
                "cue": _span("said"),
                "speaker": None,
                "speaker_name": None,
                "type": "indirect",
                "stance": None,
                "stance_evidence": None,
            },
        ],
    }


def read(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_one_row_per_quote_in_text_order_with_every_column() -> None:
    out = io.StringIO(newline="")
    assert write_csv([record(), {**record(), "id": "dam-2"}], out) == 4
    rows = read(out.getvalue())
    assert list(rows[0]) == list(COLUMNS["quotes"])
    assert [(r["document_id"], r["quote_index"]) for r in rows] == [
        ("dam-1", "1"),
        ("dam-1", "2"),
        ("dam-2", "1"),
        ("dam-2", "2"),
    ]
    first, second = rows[0], rows[1]
    assert first["content"] == "the dam is safe" and first["type"] == "indirect"
    assert first["speaker_mention"] == first["canonical_speaker"] == first["stance"] == ""
    assert first["confidence"] == "" and first["speaker_start"] == ""
    assert (int(first["content_start"]), int(first["content_end"])) == (14, 29)
    assert TEXT[int(first["cue_start"]) : int(first["cue_end"])] == first["cue"] == "said"
    assert second["canonical_speaker"] == "Ben Ode" and second["stance"] == "AGAINST"
    assert second["confidence"] == "0.875"
    assert second["stance_evidence"] == "negation of support | → AGAINST"


def test_text_that_a_spreadsheet_would_run_is_defused() -> None:
    rows = read(_csv([record()]))
    assert rows[1]["content"] == "'=SUM(A1) is no proof,"
    offsets = int(rows[1]["content_start"]), int(rows[1]["content_end"])
    assert TEXT[offsets[0] : offsets[1]] == "=SUM(A1) is no proof,"  # the offsets stay true
    for hostile in ("=1+1", "+1", "-2", "@cmd", "\tx", "\rx"):
        assert cell(hostile) == "'" + hostile
    assert cell("plain") == "plain" and cell(-2) == -2 and cell(None) == ""


def _csv(records: list[dict[str, Any]], layer: str = "quotes") -> str:
    out = io.StringIO(newline="")
    write_csv(records, out, layer)
    return out.getvalue()


def test_entity_and_sentence_layers() -> None:
    entities = read(_csv([record()], "entities"))
    assert list(entities[0]) == list(COLUMNS["entities"])
    assert [(e["entity_index"], e["text"], e["label"]) for e in entities] == [
        ("1", "Ana Ruiz", "PERSON"),
        ("2", "Ben Ode", "PERSON"),
    ]
    sentences = read(_csv([record()], "sentences"))
    assert [s["text"] for s in sentences] == [
        "Ana Ruiz said the dam is safe.",
        "“=SUM(A1) is no proof,” Ben Ode replied.",
    ]
    assert [int(s["start"]) for s in sentences] == [0, TEXT.index("“")]


def test_a_record_without_items_gives_no_rows_but_the_header() -> None:
    empty = {**record(), "quotes": [], "entities": []}
    assert read(_csv([empty])) == []
    assert _csv([empty]).splitlines()[0].split(",") == list(COLUMNS["quotes"])
    assert list(layer_rows(empty, "entities")) == []


def test_unknown_layer_is_an_error() -> None:
    with pytest.raises(UnknownChoice, match="quotes or entities or sentences"):
        _csv([record()], "paragraphs")
