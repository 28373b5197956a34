"""The corpus writer: journal, resume after a kill, the Parquet contract. No model needed."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from newspipe.pipeline.errors import PipelineError, UnknownSuffix
from newspipe.pipeline.run.writers import (
    CorpusWriter,
    output_format,
    read_ids,
    read_records,
    records_to_table,
)


def record(doc_id: str, text: str = "Ann said “yes” — ok.") -> dict[str, Any]:
    return {
        "id": doc_id,
        "text": text,
        "target": None if doc_id.endswith("0") else "the plan",
        "sentences": [{"start": 0, "end": len(text)}],
        "entities": [{"start": 0, "end": 3, "label": "PERSON", "text": text[:3]}],
        "quotes": [
            {
                "content": {"start": 10, "end": 13, "text": text[10:13]},
                "cue": {"start": 4, "end": 8, "text": text[4:8]},
                "speaker": None,
                "speaker_name": None,
                "type": "direct",
                "stance": None,
                "stance_evidence": ["a reason"],
                "confidence": 0.9,
                "source": "marks:near",
            }
        ]
        if doc_id.endswith("1")
        else [],
    }


def test_unknown_record_field_is_an_error_not_dropped() -> None:
    with pytest.raises(PipelineError, match="extra"):
        records_to_table([{**record("r1"), "extra": 1}])
    quoted = record("r1")
    quoted["quotes"][0]["novel"] = "x"
    with pytest.raises(PipelineError, match=r"quotes\.novel"):
        records_to_table([quoted])


@pytest.mark.parametrize("name", ["out.jsonl", "out.parquet"])
def test_writer_round_trip(tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    fmt = output_format(out)
    records = [record(f"r{i}") for i in range(2500)]  # several Parquet row groups
    with CorpusWriter(out, fmt) as writer:
        for r in records:
            writer.write(r)
        writer.finish()
    assert list(read_records(out, fmt)) == records
    # The lock file stays (filelock's way: removing it would let two runs lock two files).
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".{name}.lock", name]


@pytest.mark.parametrize("name", ["out.jsonl", "out.parquet"])
def test_resume_adds_new_records_after_the_old(tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    fmt = output_format(out)
    with CorpusWriter(out, fmt) as writer:
        writer.write(record("r1"))
        writer.finish()
    with CorpusWriter(out, fmt, resume=True) as writer:
        assert writer.done == {"r1"} and writer.kept == 1
        writer.write(record("r2"))
        writer.finish()
    assert list(read_ids(out, fmt)) == ["r1", "r2"]


def test_unfinished_run_keeps_its_records_and_a_half_line_is_cut(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(json.dumps(record("old")) + "\n")
    with CorpusWriter(out) as writer:  # a run without resume, which never finishes
        writer.write(record("r1"))
        writer.write(record("r2"))
        writer.sync()
        journal = writer.journal
    assert journal.exists() and out.read_text().startswith('{"id": "old"')
    with journal.open("ab") as handle:  # what a kill in the middle of a write leaves
        handle.write(json.dumps(record("r3")).encode()[:40])
    with CorpusWriter(out, resume=True) as writer:
        assert writer.done == {"r1", "r2"}  # the run replaces "old": it did not resume
        writer.write(record("r3"))
        writer.finish()
    assert list(read_ids(out, "jsonl")) == ["r1", "r2", "r3"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.jsonl.lock", "out.jsonl"]


def test_kill_between_replace_and_cleanup_duplicates_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with CorpusWriter(out) as writer:
        writer.write(record("r1"))
        writer.finish()
    journal = tmp_path / ".out.jsonl.resume-part"
    journal.write_text(json.dumps(record("r1")) + "\n" + json.dumps(record("r2")) + "\n")
    with CorpusWriter(out, resume=True) as writer:
        assert writer.done == {"r1", "r2"}
        writer.finish()
    assert list(read_ids(out, "jsonl")) == ["r1", "r2"]


def test_a_run_without_resume_starts_over(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    (tmp_path / ".out.jsonl.part").write_text(json.dumps(record("stale")) + "\n")
    with CorpusWriter(out) as writer:
        assert writer.done == set()
        writer.write(record("r1"))
        writer.finish()
    assert list(read_ids(out, "jsonl")) == ["r1"]


def test_two_runs_on_one_output_are_refused(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with CorpusWriter(out), pytest.raises(PipelineError, match="another run"):
        CorpusWriter(out).__enter__()
    with CorpusWriter(out):  # released: the next run takes it
        pass


def test_nothing_written_leaves_no_files_but_the_lock(tmp_path: Path) -> None:
    with CorpusWriter(tmp_path / "out.jsonl"):
        pass
    assert os.listdir(tmp_path) == [".out.jsonl.lock"]


@pytest.mark.parametrize(
    ("name", "explicit", "expected"),
    [
        ("out.jsonl", None, "jsonl"),
        ("out.NDJSON", None, "jsonl"),
        ("out.parquet", None, "parquet"),
        ("quotes.csv", None, "csv"),
        ("records", None, "jsonl"),  # no suffix: a directory of part files (Ray)
        ("out.txt", "jsonl", "jsonl"),  # asked for: any name
        ("out.jsonl", "csv", "csv"),
    ],
)
def test_the_suffix_names_the_format(name: str, explicit: str | None, expected: str) -> None:
    assert output_format(Path(name), explicit) == expected
    assert output_format(None) == "jsonl"


@pytest.mark.parametrize("name", ["out.json", "quotes.xlsx", "page.html", "out.txt"])
def test_a_suffix_that_names_no_format_is_an_error_not_jsonl(name: str) -> None:
    with pytest.raises(UnknownSuffix) as caught:
        output_format(Path(name))
    assert caught.value.suffix == Path(name).suffix and ".csv" in caught.value.known
    assert "no output format is written as" in str(caught.value)


def test_csv_output_is_written_from_the_journal_atomically(tmp_path: Path) -> None:
    out = tmp_path / "quotes.csv"
    with CorpusWriter(out, output_format(out)) as writer:
        for i in range(3):
            writer.write(record(f"r{i}"))
        writer.sync()
        assert not out.exists()  # nothing but the journal until the run is done
        writer.finish()
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("document_id,quote_index,type,content,cue,")
    assert len(lines) == 2 and lines[1].startswith("r1,1,direct,")  # only r1 has a quote
    assert sorted(p.name for p in tmp_path.iterdir()) == [".quotes.csv.lock", "quotes.csv"]
    entities = tmp_path / "entities.csv"
    with CorpusWriter(entities, "csv", csv_layer="entities") as writer:
        writer.write(record("r0"))
        writer.finish()
    assert entities.read_text(encoding="utf-8").splitlines()[1] == "r0,1,PERSON,Ann,0,3"


def test_a_finished_csv_cannot_be_resumed_but_an_unfinished_run_can(tmp_path: Path) -> None:
    out = tmp_path / "quotes.csv"
    with CorpusWriter(out, "csv") as writer:  # killed before the end: the journal stays
        writer.write(record("r1"))
        writer.sync()
    with CorpusWriter(out, "csv", resume=True) as writer:
        assert writer.done == {"r1"}
        writer.write(record("r11"))
        writer.finish()
    assert [line.split(",")[0] for line in out.read_text().splitlines()[1:]] == ["r1", "r11"]
    with pytest.raises(PipelineError, match="cannot be resumed"):
        CorpusWriter(out, "csv", resume=True).__enter__()


@pytest.mark.parametrize("name", ["out.jsonl", "out.parquet"])
def test_stances_per_target_survive_both_formats(tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    fmt = output_format(out)
    rec = record("r1")
    rec["targets"] = ["the plan", "the levy"]
    rec["quotes"][0]["stances"] = {"the plan": "FAVOR", "the levy": None}
    with CorpusWriter(out, fmt) as writer:
        writer.write(rec)
        writer.finish()
    [back] = read_records(out, fmt)
    assert back["targets"] == ["the plan", "the levy"]
    assert back["quotes"][0]["stances"] == {"the plan": "FAVOR", "the levy": None}
