"""``newspipe extract`` on corpora: tables with named columns, Parquet output, bad records,
``--errors``, ``--resume``, a run killed with SIGKILL and resumed, the hub without a network."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import datasets
import pytest
from typer.testing import CliRunner

from newspipe.cli import app
from newspipe.pipeline.records import record_problems
from newspipe.pipeline.run.writers import read_records

pytestmark = pytest.mark.model
ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()

PEOPLE = ["Ana Ruiz", "Tom Berg", "Lena Okafor", "the minister", "a spokeswoman"]
CLAIMS = [
    "the budget would be cut",
    "the bridge was unsafe",
    "talks had stalled",
    "the plan was a mistake",
]


def news(n: int) -> list[dict[str, str]]:
    """``n`` small invented news paragraphs with ids."""
    rows = []
    for i in range(n):
        who, claim = PEOPLE[i % len(PEOPLE)], CLAIMS[i % len(CLAIMS)]
        text = (
            f"{who} said on Monday that {claim}. "
            f'"We will not accept this," {who} told reporters in the capital. '
            f"Officials declined to comment on item {i}."
        )
        rows.append({"id": f"n{i:04d}", "text": text})
    return rows


def write_jsonl(path: Path, rows: list[dict[str, str]], extra: str = "") -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows) + extra, encoding="utf-8")
    return path


def run(*args: str):
    return runner.invoke(app, ["extract", *args])


def ids(path: Path, fmt: str = "jsonl") -> list[str]:
    return [r["id"] for r in read_records(path, fmt)]


def test_csv_with_named_columns_to_jsonl_and_parquet(tmp_path: Path) -> None:
    rows = [{"key": r["id"], "body": r["text"], "topic": "the budget"} for r in news(5)]
    csv = tmp_path / "news.csv"
    datasets.Dataset.from_list(rows).to_csv(str(csv), index=False)
    fields = ["--text-field", "body", "--id-field", "key", "--target-field", "topic"]
    jsonl, parquet = tmp_path / "out.jsonl", tmp_path / "out.parquet"
    assert run(str(csv), *fields, "-o", str(jsonl)).exit_code == 0
    result = run(str(csv), *fields, "-o", str(parquet), "--batch-size", "2")
    assert result.exit_code == 0, result.output
    records = list(read_records(jsonl, "jsonl"))
    assert [r["id"] for r in records] == [r["key"] for r in rows]
    assert all(r["target"] == "the budget" and not record_problems(r) for r in records)
    assert list(read_records(parquet, "parquet")) == records  # nested fields survive Arrow


def test_malformed_records_are_reported_skipped_and_logged(tmp_path: Path) -> None:
    rows = news(4)
    corpus = write_jsonl(tmp_path / "c.jsonl", rows[:2], '{"id": "x", "text": \n')
    with corpus.open("a") as handle:
        handle.write(json.dumps({"id": "e", "text": "  "}) + "\n")
        handle.write("".join(json.dumps(r) + "\n" for r in rows[2:]))
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    result = run(str(corpus), "-o", str(out), "--errors", str(errors), "-n", "1")
    assert result.exit_code == 2
    assert ids(out) == [r["id"] for r in rows]
    assert f"{corpus}:3: malformed JSON" in result.stderr
    logged = [json.loads(line) for line in errors.read_text().splitlines()]
    assert [(e["id"], e["source"]) for e in logged] == [
        (None, f"{corpus}:3"),  # malformed: no id can be read
        ("e", f"{corpus}:4"),  # the record's own id
    ]
    assert logged[1]["error"] == "empty text"


def test_resume_skips_what_is_written_and_adds_the_rest(tmp_path: Path) -> None:
    rows = news(6)
    out = tmp_path / "out.parquet"
    assert run(str(write_jsonl(tmp_path / "a.jsonl", rows[:4])), "-o", str(out)).exit_code == 0
    full = write_jsonl(tmp_path / "all.jsonl", rows)
    result = run(str(full), "-o", str(out), "--resume")
    assert result.exit_code == 0, result.output
    assert f"resuming: 4 documents already done (4 in {out}) are skipped" in result.stderr
    assert ids(out, "parquet") == [r["id"] for r in rows]
    again = run(str(full), "-o", str(out), "--resume")  # nothing left: output unchanged
    assert again.exit_code == 0 and ids(out, "parquet") == [r["id"] for r in rows]


def test_killed_run_resumes_without_losing_or_repeating_a_document(tmp_path: Path) -> None:
    rows = news(300)
    corpus = write_jsonl(tmp_path / "c.jsonl", rows)
    out = tmp_path / "out.jsonl"
    journal = tmp_path / ".out.jsonl.part"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "newspipe", "extract", str(corpus), "-o", str(out)]
    process = subprocess.Popen(
        [*command, "--batch-size", "4"], env=env, cwd=ROOT, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if journal.exists() and journal.read_bytes().count(b"\n") >= 12:
            break
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    assert not out.exists()  # the output appears only when a run finishes
    finished = journal.read_bytes().count(b"\n")
    assert 12 <= finished < len(rows)

    resumed = subprocess.run(
        [*command, "--resume", "-n", "2"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert resumed.returncode == 0, resumed.stderr
    # They were only in the journal: the message says so (not "written to out.jsonl").
    assert f"({finished} in the journal of an unfinished run)" in resumed.stderr
    assert ids(out) == [r["id"] for r in rows]  # each document exactly once, in order
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.jsonl.lock", "c.jsonl", "out.jsonl"]


def test_hub_dataset_offline_fails_fast_with_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    output = str(tmp_path / "o.jsonl")
    result = subprocess.run(
        [sys.executable, "-m", "newspipe", "extract", "hf:nobody/no-such-news", "-o", output],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    [problem, *_] = [line for line in result.stderr.splitlines() if "hf:nobody" in line]
    assert "cannot load in the local cache (offline)" in problem


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--resume"], "--resume needs --output"),
        (["--output-format", "parquet"], "Parquet output needs --output"),
        (["-o", "x.xlsx"], "'.xlsx' files (known: .jsonl, .ndjson, .parquet, .csv, .html)"),
        (["-o", "x.json"], "or choose one with --output-format"),
        (["--output-format", "xml"], "--output-format must be jsonl, parquet, csv or html"),
        (["-o", "x.csv", "--csv-layer", "words"], "--csv-layer must be quotes or entities or"),
        (["-o", "x.jsonl", "--csv-layer", "entities"], "--csv-layer is for CSV output"),
        (["-o", "x.html", "--resume"], "no --resume or --engine ray"),
        (["--format", "pretty", "-o", "x.html"], "an .html output is the article view"),
        (["--address", "auto"], "--address is for --engine ray"),
        (["--engine", "spark"], "--engine must be local or ray"),
    ],
)
def test_option_mistakes_are_one_line(tmp_path: Path, args: list[str], needle: str) -> None:
    corpus = write_jsonl(tmp_path / "c.jsonl", news(1))
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    result = run(str(corpus), *args)
    assert result.exit_code == 2
    assert needle in result.stderr and "Traceback" not in result.output


def test_ray_engine_without_ray_is_one_line(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now raises ImportError
    corpus = write_jsonl(tmp_path / "c.jsonl", news(1))
    result = run(str(corpus), "--engine", "ray", "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "--engine ray needs Ray: pip install 'newspipe[ray]'" in result.stderr


def test_progress_bar_shows_docs_per_second(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "c.jsonl", news(3))
    result = run(str(corpus), "-o", str(tmp_path / "o.jsonl"), "--progress")
    assert result.exit_code == 0
    assert "3/3" in result.stderr and "docs/s" in result.stderr


def test_bad_config_with_workers_is_one_line_before_any_work(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "c.jsonl", news(2))
    out = tmp_path / "out.jsonl"
    result = run(str(corpus), "-o", str(out), "-n", "2", "--components.stance.colour", "red")
    assert result.exit_code == 2
    [line] = [line for line in result.stderr.splitlines() if line.strip()]
    assert "colour" in line and not out.exists()


def test_csv_output_has_a_row_per_quote_of_every_document(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "c.jsonl", news(3))
    out = tmp_path / "quotes.csv"
    result = run(str(corpus), "-o", str(out), "--target", "the plan")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    records = {r["id"]: r for r in read_records(_jsonl(corpus, tmp_path), "jsonl")}
    assert len(rows) == sum(len(r["quotes"]) for r in records.values()) > 0
    assert {row["document_id"] for row in rows} == set(records)
    for row in rows:
        text = records[row["document_id"]]["text"]
        start, end = int(row["content_start"]), int(row["content_end"])
        assert text[start:end] == row["content"]
        assert row["type"] in ("direct", "indirect", "mixed") and row["stance"]
    left = [p.name for p in tmp_path.iterdir() if p.name.startswith(".") and p.suffix != ".lock"]
    assert left == []  # no journal left (lock files stay, see writers.py)


def _jsonl(corpus: Path, tmp_path: Path) -> Path:
    """The same run's records as JSONL, to check the CSV against."""
    out = tmp_path / "records.jsonl"
    assert run(str(corpus), "-o", str(out), "--target", "the plan").exit_code == 0
    return out


def test_csv_layers_and_csv_on_stdout(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "c.jsonl", news(2))
    entities = tmp_path / "entities.csv"
    result = run(str(corpus), "-o", str(entities), "--csv-layer", "entities")
    assert result.exit_code == 0, result.output
    header = entities.read_text(encoding="utf-8").splitlines()[0]
    assert header == "document_id,entity_index,label,text,start,end"
    result = run(str(corpus), "--output-format", "csv", "--csv-layer", "sentences")
    assert result.exit_code == 0, result.output
    lines = list(csv.reader(io.StringIO(result.stdout)))
    assert lines[0] == ["document_id", "sentence_index", "text", "start", "end"]
    assert [line[0] for line in lines[1:]] == ["n0000"] * 3 + ["n0001"] * 3


def test_html_output_is_one_page_with_every_document(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "c.jsonl", news(3))
    page = tmp_path / "corpus.html"
    result = run(str(corpus), "-o", str(page), "--target", "the plan")
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.count('<section class="doc article"') == 3
    assert '<a href="#n0000">n0000</a>' in html and "Speakers in all articles" in html
    result = run(str(corpus), "--format", "html")  # to stdout
    assert result.exit_code == 0 and result.stdout.startswith("<!DOCTYPE html>")
