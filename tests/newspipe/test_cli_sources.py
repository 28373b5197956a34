"""``newspipe sources`` through Typer's CliRunner: outputs, errors, gold scoring."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from newspipe.cli import app

ROOT = Path(__file__).resolve().parents[2]
STRIKE_GOLD = ROOT / "tests" / "fixtures" / "gold" / "harbour_strike.gold.yaml"

runner = CliRunner()


def _span(text: str, piece: str) -> dict[str, Any]:
    match = re.search(re.escape(piece), text)
    assert match is not None
    return {"start": match.start(), "end": match.end(), "text": piece}


def _record(doc_id: str, text: str, mention: str, name: str, content: str) -> dict[str, Any]:
    quote = {
        "content": _span(text, content),
        "cue": _span(text, "said"),
        "speaker": _span(text, mention),
        "speaker_name": name,
        "type": "indirect",
        "stance": None,
    }
    return {
        "id": doc_id,
        "text": text,
        "target": None,
        "sentences": [],
        "entities": [{**_span(text, name), "label": "PERSON"}],
        "quotes": [quote],
    }


@pytest.fixture
def records(tmp_path: Path) -> Path:
    path = tmp_path / "records.jsonl"
    rows = [
        _record(
            "a",
            "Ms Ana Lima said the <b>ferry</b> was late.",
            "Ana Lima",
            "Ana Lima",
            "the <b>ferry</b> was late",
        ),
        _record("b", "Lima said the ferry ran again.", "Lima", "Lima", "the ferry ran again"),
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_writes_csv_jsonl_and_json(records: Path, tmp_path: Path) -> None:
    outs = [tmp_path / f"s.{suffix}" for suffix in ("csv", "jsonl", "json")]
    result = runner.invoke(
        app, ["sources", str(records), *(arg for o in outs for arg in ("-o", str(o)))]
    )
    assert result.exit_code == 0, result.output
    assert "2 documents, 2 quotes" in result.output
    (row,) = list(csv.DictReader(outs[0].open(encoding="utf-8")))
    assert (row["name"], row["gender"], row["documents"], row["quotes"]) == (
        "Ana Lima",
        "female",
        "2",
        "2",
    )
    assert "Lima: surname of the only full name" in row["merged"]
    (line,) = outs[1].read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["gender_evidence"][0]["word"].lower() == "ms"
    data = json.loads(outs[2].read_text(encoding="utf-8"))
    assert data["summary"]["people_by_gender"]["female"] == {"quotes": 2, "sources": 1}
    assert data["merges"][0]["joined"] is True
    assert not list(tmp_path.glob("*.tmp*")) and not list(tmp_path.glob(".*"))


def test_no_merge(records: Path) -> None:
    result = runner.invoke(app, ["sources", str(records), "--no-merge"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "2 distinct sources" in result.output and "names not merged" in result.output


def test_bad_records_are_skipped_with_one_line_each(records: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "t"}\nnot json\n', encoding="utf-8")
    result = runner.invoke(app, ["sources", str(records), str(bad)])
    assert result.exit_code == 2
    assert "bad.jsonl:1: id x: no quotes list" in result.output
    assert "bad.jsonl:2: malformed JSON" in result.output
    assert "2 documents" in result.output  # the good ones are still counted
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["missing.jsonl"], "missing.jsonl: no such file or directory"),
        (["RECORDS", "-o", "out.xml"], "--output must end in .csv, .jsonl, .json, .html"),
        (["RECORDS", "--period", "hour"], "--period must be"),
        (["EMPTY"], "no record to read"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    records: Path, tmp_path: Path, args: list[str], error: str
) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    args = [str(records) if a == "RECORDS" else str(empty) if a == "EMPTY" else a for a in args]
    result = runner.invoke(app, ["sources", *args])
    assert result.exit_code == 2
    assert error in result.output and "Traceback" not in result.output


def test_an_unwritable_output_leaves_nothing_behind(records: Path, tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "dir.csv"
    result = runner.invoke(app, ["sources", str(records), "-o", str(out)])
    assert result.exit_code == 2 and "output directory does not exist" in result.output
    assert not out.parent.exists()


def test_gold_files_as_records_and_scored(tmp_path: Path) -> None:
    """Gold files are read as records (their gold quotes) and scored against their own
    speakers layer: names all match; kind and gender are what the rules infer."""
    shutil.copy(STRIKE_GOLD.with_name("harbour_strike.txt"), tmp_path)
    gold = tmp_path / "harbour_strike.gold.yaml"
    gold.write_text(
        STRIKE_GOLD.read_text(encoding="utf-8")
        + "speakers:\n"
        + "  - {name: Mari Dahl, kind: person, gender: female}\n"
        + "  - {name: port authority, kind: unnamed, gender: unknown}\n"
        + "  - {name: Ministry of Transport, kind: organisation, gender: unknown}\n",
        encoding="utf-8",
    )
    out = tmp_path / "s.json"
    result = runner.invoke(app, ["sources", str(gold), "--gold", str(gold), "-o", str(out)])
    assert result.exit_code == 0, result.output
    speakers = json.loads(out.read_text(encoding="utf-8"))["evaluation"]["speakers"]
    assert speakers["matched_speakers"] == speakers["gold_speakers"] == 3
    assert "Against the gold speakers layer: 3 of 3" in result.output


def test_gold_without_speakers_layer_is_an_error(records: Path) -> None:
    result = runner.invoke(app, ["sources", str(records), "--gold", str(STRIKE_GOLD)])
    assert result.exit_code == 2 and "no speakers layer" in result.output


def test_writes_an_html_page(records: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.html"
    result = runner.invoke(app, ["sources", str(records), "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Share of voice" in html and "Ana Lima" in html and "<b>" not in html


def test_outputs_are_checked_before_any_work(records: Path, tmp_path: Path) -> None:
    same = runner.invoke(app, ["sources", str(records), "-o", str(records)])
    assert same.exit_code == 2 and "is one of the inputs" in same.output
    folder = runner.invoke(app, ["sources", str(records), "-o", str(tmp_path)])
    assert folder.exit_code == 2 and "is a directory" in folder.output
    twice = tmp_path / "a.csv"
    result = runner.invoke(app, ["sources", str(records), "-o", str(twice), "-o", str(twice)])
    assert result.exit_code == 2 and "given twice" in result.output
    assert records.read_text(encoding="utf-8").count("\n") == 2  # the input is untouched


def test_only_regular_files_and_text_are_read(records: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    result = runner.invoke(app, ["sources", str(fifo)])
    assert result.exit_code == 2 and "not a regular file" in result.output
    lone = tmp_path / "lone.jsonl"
    row = json.loads(records.read_text(encoding="utf-8").splitlines()[0])
    row["id"] = "c"
    row["quotes"][0]["speaker_name"] = "Ana \ud800"
    lone.write_text(json.dumps(row) + "\n", encoding="utf-8")  # ASCII: the escape survives
    out = tmp_path / "s.jsonl"
    result = runner.invoke(app, ["sources", str(records), str(lone), "-o", str(out)])
    assert result.exit_code == 2 and "lone surrogate" in result.output
    assert out.exists() and "Traceback" not in result.output


def test_reads_the_quote_records_extract_writes_and_filters_on_confidence(
    tmp_path: Path,
) -> None:
    """extract writes ``confidence`` and ``source`` (the candidate rule) on every quote:
    ``source`` is not a quoted source and is ignored; ``--min-confidence`` leaves out the
    quotes below it; a confidence outside 0–1 is a bad record, one line."""
    rows = [
        _record("a", "Ana Lima said the ferry was late.", "Ana Lima", "Ana Lima", "the ferry"),
        _record("b", "Ola Berg said the pier was shut.", "Ola Berg", "Ola Berg", "the pier"),
        _record("c", "Eva Holm said the bus was full.", "Eva Holm", "Eva Holm", "the bus"),
    ]
    for row, confidence in zip(rows, (0.91, 0.31, 1.5), strict=True):
        row["quotes"][0] |= {"confidence": confidence, "source": "parse:ccomp"}
    path = tmp_path / "extracted.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "all.csv"
    result = runner.invoke(app, ["sources", str(path), "-o", str(out)])
    assert result.exit_code == 2  # record c
    assert "extracted.jsonl:3: id c: quotes[0].confidence must be a number from 0 to 1" in (
        result.output
    )
    with out.open(encoding="utf-8") as handle:
        assert sorted(r["name"] for r in csv.DictReader(handle)) == ["Ana Lima", "Ola Berg"]
    kept = tmp_path / "kept.csv"
    result = runner.invoke(app, ["sources", str(path), "--min-confidence", "0.5", "-o", str(kept)])
    with kept.open(encoding="utf-8") as handle:
        assert [r["name"] for r in csv.DictReader(handle)] == ["Ana Lima"]
