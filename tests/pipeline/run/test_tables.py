"""Corpus readers (CSV, Parquet, saved datasets, hub). Small hand-written rows; no model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import datasets
import pytest

from newspipe.pipeline.run import tables
from newspipe.pipeline.run.documents import Document, Fields, InputProblem
from newspipe.pipeline.run.readers import count_documents, read_documents

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
    assert count_documents([str(table_files["parquet"]), str(jsonl)]) == 7
    assert count_documents([str(table_files["split"])], split="dev") == 1
    assert count_documents([str(table_files["csv"])]) is None
    assert count_documents(["-"]) is None


def test_hub_without_network_fails_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("HF_DATASETS_OFFLINE", raising=False)
    monkeypatch.setattr(tables, "hub_reachable", lambda timeout=3.0: False)
    [problem] = read_documents(["hf:someone/news"])
    assert isinstance(problem, InputProblem)
    assert problem.source == "hf:someone/news"
    assert problem.message.startswith("cannot reach the Hugging Face hub")


def test_hub_probe_on_a_closed_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # discard port: nothing listens
    assert tables.hub_reachable(timeout=1.0) is False
