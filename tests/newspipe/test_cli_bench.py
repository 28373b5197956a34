"""``newspipe bench`` through Typer's runner: the table, the JSON, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newspipe.cli import app

runner = CliRunner()
QUICK = ["--repeats", "1", "--warmup", "0", "--no-memory", "--no-alternatives"]


def run(*args: str):
    return runner.invoke(app, ["bench", *args])


def one_line_error(result, needle: str) -> None:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines and any(needle in line for line in lines), lines
    assert "Traceback" not in result.output


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(
        "Harbour strike ends\n"
        'Union leader Mara Quist said the deal was "a fair one". The port reopens on Monday.',
        encoding="utf-8",
    )
    return path


@pytest.mark.model
def test_table_and_json(article: Path, tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = run(str(article), *QUICK, "--target", "the deal", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "spaCy model (bare)" in result.stdout
    assert "pipeline / bare spaCy words/s:" in result.stdout
    report = json.loads(out.read_text())
    assert report["docs"] == 1 and report["repeats"] == 1
    rows = {row["name"]: row for row in report["rows"]}
    assert {"spaCy model (bare)", "pipeline", "model", "sentences", "quotes", "stance"} <= set(rows)
    assert rows["pipeline"]["words_per_s"]["median"] > 0
    assert f"{rows['pipeline']['ratio_to_spacy']:.2f}" in result.stdout
    assert report["notes"] == []  # a target was given, so stance had work to do


@pytest.mark.model
def test_backend_override_and_no_target_note(article: Path, tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = run(
        str(article),
        *QUICK,
        "-o",
        str(out),
        "--components.sentences.factory",
        "newspipe_sentences_rules_v1",
    )
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert report["stages"]["sentences"] == "newspipe_sentences_rules_v1"
    assert any("no stance target" in note for note in report["notes"])


@pytest.mark.model
def test_records_with_other_field_names(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    lines = [{"key": f"n{n}", "body": f"Officials said road {n} was closed."} for n in range(3)]
    corpus.write_text("".join(json.dumps(line) + "\n" for line in lines))
    out = tmp_path / "bench.json"
    result = run(str(corpus), *QUICK, "--text-field", "body", "--id-field", "key", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["docs"] == 3


@pytest.mark.model
def test_bad_document_is_reported_and_the_rest_benchmarked(article: Path, tmp_path: Path) -> None:
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01")
    out = tmp_path / "bench.json"
    result = run(str(tmp_path), *QUICK, "-o", str(out))
    one_line_error(result, "binary.txt: binary file, not text")
    assert json.loads(out.read_text())["docs"] == 1


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--n-process", "0"], "--n-process"),
        (["--n-process", "one"], "--n-process"),
        (["--repeats", "0"], "--repeats"),
        (["--engine-repeats", "0"], "--engine-repeats"),
        (["--engine-sizes", "0"], "--engine-sizes"),
        (["--engine-only"], "--n-process 1,2"),
        (["--batch-size", "0"], "--batch-size"),
        (["-o", "/no/such/dir/bench.json"], "output directory does not exist"),
    ],
)
def test_bad_options(article: Path, args: list[str], needle: str) -> None:
    one_line_error(run(str(article), *args), needle)


def test_no_readable_document(tmp_path: Path) -> None:
    result = run(str(tmp_path / "missing.txt"))
    assert "no such file or directory" in result.stderr
    one_line_error(result, "no document to benchmark")


@pytest.mark.model
def test_unknown_factory_is_one_line(article: Path) -> None:
    one_line_error(
        run(str(article), *QUICK, "--components.quotes.factory", "newspipe_nope_v1"),
        "unknown factory",
    )
