"""``newspipe view``: saved records (JSONL, Parquet) as a folder of pages; bad records are
reported and skipped. No model needed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from newspipe.cli import app
from newspipe.pipeline.run.writers import CorpusWriter

runner = CliRunner()
TEXT = "Ana Ruiz said the ferry is late. <script>alert(1)</script>"


def record(doc_id: str) -> dict[str, Any]:
    return {
        "id": doc_id,
        "text": TEXT,
        "target": None,
        "sentences": [{"start": 0, "end": 32}, {"start": 33, "end": len(TEXT)}],
        "entities": [{"start": 0, "end": 8, "label": "PERSON", "text": "Ana Ruiz"}],
        "quotes": [
            {
                "content": {"start": 14, "end": 31, "text": TEXT[14:31]},
                "cue": {"start": 9, "end": 13, "text": "said"},
                "speaker": {"start": 0, "end": 8, "text": "Ana Ruiz"},
                "speaker_name": "Ana Ruiz",
                "type": "indirect",
                "stance": None,
            }
        ],
    }


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_jsonl_records_become_pages_and_an_index(tmp_path: Path) -> None:
    records = write_jsonl(
        tmp_path / "r.jsonl", [json.dumps(record("a1")), json.dumps(record("../b/2"))]
    )
    out = tmp_path / "pages"
    result = runner.invoke(app, ["view", str(records), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote 2 page(s) and index.html" in result.stdout
    names = sorted(p.name for p in out.iterdir())
    assert names[0] == "a1.html" and names[1].startswith("b_2-") and names[2] == "index.html"
    page = (out / "a1.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="a1.html">a1</a>' in index and "../b/2</a>" in index


def test_parquet_records(tmp_path: Path) -> None:
    path = tmp_path / "r.parquet"
    with CorpusWriter(path, "parquet") as writer:
        writer.write(record("p1"))
        writer.finish()
    result = runner.invoke(app, ["view", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "p1.html").exists()


def test_bad_records_are_reported_and_skipped(tmp_path: Path) -> None:
    broken = {**record("x"), "quotes": [{**record("x")["quotes"][0], "type": "rumour"}]}
    records = write_jsonl(
        tmp_path / "r.jsonl", [json.dumps(record("ok")), "{not json", json.dumps(broken)]
    )
    out = tmp_path / "pages"
    result = runner.invoke(app, ["view", str(records), "-o", str(out)])
    assert result.exit_code == 2
    assert "r.jsonl:2: malformed JSON" in result.stderr
    assert "r.jsonl:3: quotes/0/type" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "ok.html"]


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda d: write_jsonl(d / "r.txt", ["x"]), "records are read from .jsonl"),
        (lambda d: d / "missing.jsonl", "no such file"),
        (lambda d: write_jsonl(d / "r.jsonl", ["{"]), "no valid record to show"),
    ],
)
def test_bad_input_is_one_line(tmp_path: Path, make, needle: str) -> None:
    result = runner.invoke(app, ["view", str(make(tmp_path)), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert needle in result.stderr.splitlines()[-1]
    assert not (tmp_path / "o").exists()


def test_output_that_is_a_file_is_refused(tmp_path: Path) -> None:
    records = write_jsonl(tmp_path / "r.jsonl", [json.dumps(record("a"))])
    (tmp_path / "o").write_text("keep me")
    result = runner.invoke(app, ["view", str(records), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "is not a folder" in result.stderr
    assert (tmp_path / "o").read_text() == "keep me"
