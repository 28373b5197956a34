"""Corpus readers (CSV, Parquet, saved datasets, hub) and the corpus writer (journal, resume,
Parquet contract). Small hand-written rows; no model needed."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import datasets
import pytest

from newspipe.pipeline import corpus
from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.inputs import Document, Fields, InputProblem, read_documents
from newspipe.pipeline.output import (
    CorpusWriter,
    output_format,
    read_ids,
    read_records,
    record_arrow_schema,
    records_to_table,
)
from newspipe.pipeline.records import record_schema

ROWS = [
    {"doc": "a1", "body": "First text here.", "topic": "the plan"},
    {"doc": "a2", "body": "Second text, with a comma.", "topic": None},
    {"doc": None, "body": "No id on this one.", "topic": "x"},
    {"doc": "a4", "body": "   ", "topic": "x"},
    {"doc": "a5", "body": None, "topic": "x"},
]
FIELDS = Fields(text="body", id="doc", target="topic")


def documents(items: list[Any]) -> list[tuple[str, str, str | None]]:
    return [(i.id, i.text, i.target) for i in items if isinstance(i, Document)]


def problems(items: list[Any]) -> list[str]:
    return [str(i) for i in items if isinstance(i, InputProblem)]


@pytest.fixture
def table_files(tmp_path: Path) -> dict[str, Path]:
    dataset = datasets.Dataset.from_list(ROWS)
    files = {"csv": tmp_path / "news.csv", "parquet": tmp_path / "news.parquet"}
    dataset.to_csv(str(files["csv"]), index=False)
    dataset.to_parquet(str(files["parquet"]))
    dataset.save_to_disk(str(tmp_path / "saved"))
    datasets.DatasetDict({"train": dataset, "dev": dataset.select([0])}).save_to_disk(
        str(tmp_path / "split")
    )
    files["saved"] = tmp_path / "saved"
    files["split"] = tmp_path / "split"
    return files


@pytest.mark.parametrize("kind", ["csv", "parquet", "saved", "split"])
def test_tables_with_named_columns(table_files: dict[str, Path], kind: str) -> None:
    path = table_files[kind]
    items = list(read_documents([str(path)], fields=FIELDS))
    stem = path.stem if kind in ("csv", "parquet") else path.name
    assert documents(items) == [
        ("a1", "First text here.", "the plan"),
        ("a2", "Second text, with a comma.", None),
        (f"{stem}-3", "No id on this one.", "x"),
    ]
    where = f"{path}[train]" if kind == "split" else str(path)
    assert problems(items) == [
        f"{where}:row 4: empty text",
        f"{where}:row 5: record has no 'body' string",
    ]


def test_saved_dataset_split_choice(table_files: dict[str, Path]) -> None:
    dev = list(read_documents([str(table_files["split"])], fields=FIELDS, split="dev"))
    assert [d[0] for d in documents(dev)] == ["a1"]
    [problem] = read_documents([str(table_files["split"])], fields=FIELDS, split="test")
    assert isinstance(problem, InputProblem) and "no split 'test' (splits: train, dev)" in str(
        problem
    )


def test_missing_text_column_is_one_problem(table_files: dict[str, Path]) -> None:
    items = list(read_documents([str(table_files["parquet"])]))  # default field "text"
    assert problems(items) == [
        f"{table_files['parquet']}: no 'text' column (columns: doc, body, topic)"
    ]


def test_jsonl_with_named_fields(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in ROWS[:3]))
    assert documents(list(read_documents([str(path)], fields=FIELDS))) == [
        ("a1", "First text here.", "the plan"),
        ("a2", "Second text, with a comma.", None),
        ("c-3", "No id on this one.", "x"),
    ]


def test_unreadable_table_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"not parquet at all")
    items = list(read_documents([str(path)]))
    assert len(items) == 1 and isinstance(items[0], InputProblem)
    assert items[0].source == str(path)


def test_count_documents(table_files: dict[str, Path], tmp_path: Path) -> None:
    jsonl = tmp_path / "c.jsonl"
    jsonl.write_text('{"text": "a"}\n\n{"text": "b"}\n')
    assert corpus.count_documents([str(table_files["parquet"]), str(jsonl)]) == 7
    assert corpus.count_documents([str(table_files["split"])], split="dev") == 1
    assert corpus.count_documents([str(table_files["csv"])]) is None
    assert corpus.count_documents(["-"]) is None


def test_hub_without_network_fails_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("HF_DATASETS_OFFLINE", raising=False)
    monkeypatch.setattr(corpus, "hub_reachable", lambda timeout=3.0: False)
    [problem] = read_documents(["hf:someone/news"])
    assert isinstance(problem, InputProblem)
    assert problem.source == "hf:someone/news"
    assert problem.message.startswith("cannot reach the Hugging Face hub")


def test_hub_probe_on_a_closed_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # discard port: nothing listens
    assert corpus.hub_reachable(timeout=1.0) is False


# -- output ---------------------------------------------------------------------------------


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
            }
        ]
        if doc_id.endswith("1")
        else [],
    }


def test_arrow_schema_covers_the_record_contract() -> None:
    schema = record_arrow_schema()
    contract = record_schema()
    assert set(schema.names) == set(contract["properties"])
    quote = schema.field("quotes").type.value_type
    assert {quote.field(i).name for i in range(quote.num_fields)} >= set(
        contract["properties"]["quotes"]["items"]["properties"]
    )


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
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


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
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


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
    assert not (tmp_path / ".out.jsonl.lock").exists()


def test_nothing_written_leaves_no_files(tmp_path: Path) -> None:
    with CorpusWriter(tmp_path / "out.jsonl"):
        pass
    assert os.listdir(tmp_path) == []
