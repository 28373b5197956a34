"""``newspipe extract`` through Typer's runner: output contract and every bad-input case."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from newspipe.cli import app
from newspipe.pipeline.records import record_problems, record_schema

pytestmark = pytest.mark.model
runner = CliRunner()


def run(*args: str, stdin: str | None = None):
    return runner.invoke(app, ["extract", *args], input=stdin)


def one_line_error(result, *needles: str) -> None:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines, "expected an error line on stderr"
    assert "Traceback" not in result.output
    for needle in needles:
        assert any(needle in line for line in lines), (needle, lines)


def test_seed_gives_valid_records(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    seed = Path(__file__).resolve().parents[2] / "seeds" / "putin_visit_north_korea.txt"
    result = run(str(seed), "-o", str(out), "--target", "the visit")
    assert result.exit_code == 0, result.output
    [record] = [json.loads(line) for line in out.read_text().splitlines()]
    jsonschema.validate(record, record_schema())
    assert record_problems(record) == []
    assert record["id"] == "putin_visit_north_korea" and record["target"] == "the visit"
    assert record["quotes"] and all(
        q["stance"] in {"FAVOR", "AGAINST", "NONE"} for q in record["quotes"]
    )


def test_jsonl_to_stdout_and_record_target(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        json.dumps({"id": "n1", "text": "Ana Ruiz said the plan failed.", "target": "plan"}) + "\n"
    )
    result = run(str(corpus), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["id"] == "n1" and record["target"] == "plan"


def test_stdin_text() -> None:
    result = run("-", "--format", "jsonl", stdin="Officials said the road was closed.")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["id"] == "stdin"


def test_bad_document_is_skipped_and_the_rest_is_written(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("The council said the vote would go ahead.")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01")
    out = tmp_path / "out.jsonl"
    result = run(str(good), str(tmp_path / "bin.txt"), "-o", str(out))
    one_line_error(result, "bin.txt: binary file, not text")
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["good"]


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda d: str(d / "missing.txt"), "no such file or directory"),
        (lambda d: (d / "e").mkdir() or str(d / "e"), "directory holds no .txt files"),
        (lambda d: (d / "b.txt").write_bytes(b"\x00") and str(d / "b.txt"), "binary file"),
        (lambda d: (d / "l.txt").write_bytes(b"\xe9t\xe9") and str(d / "l.txt"), "not UTF-8"),
        (lambda d: (d / "z.txt").write_text(" ") and str(d / "z.txt"), "empty text"),
        (lambda d: (d / "m.jsonl").write_text("{nope\n") and str(d / "m.jsonl"), "malformed JSON"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, make, needle: str) -> None:
    one_line_error(run(make(tmp_path), "--format", "jsonl"), needle)


def test_unknown_backend_config_key_and_model(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("Words here.")
    one_line_error(
        run(str(text), "--components.quotes.factory", "newspipe_nope_v1"), "unknown factory"
    )
    one_line_error(run(str(text), "--components.stance.colour", "red"), "colour")
    one_line_error(run(str(text), "--nlp.model", "no_such_model_xyz"), "is not installed")
    one_line_error(run(str(text), "--config", str(tmp_path / "none.cfg")), "config file not found")


def test_failed_run_leaves_no_partial_output(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n")
    result = run(str(tmp_path / "missing.txt"), "-o", str(out))
    assert result.exit_code == 2
    assert out.read_text() == "previous\n"
    # Nothing but the (empty) lock file, which stays: see pipeline/run/writers.py.
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.jsonl.lock", "out.jsonl"]


def test_seed_as_an_article_page(tmp_path: Path) -> None:
    page = tmp_path / "article.html"
    seed = Path(__file__).resolve().parents[2] / "seeds" / "putin_visit_north_korea.txt"
    target = "cooperation between Russia and North Korea"
    result = run(str(seed), "--format", "html", "-o", str(page), "--target", target)
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert "<title>newspipe: putin_visit_north_korea</title>" in html
    for needle in ('class="entities"', "Vladimir Putin", "Speakers", "stance evidence"):
        assert needle in html
    assert html.count('<sup class="n">') > 5  # quotes numbered in the text


def test_several_targets_give_a_stance_per_target(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    rows = [
        {"id": "one", "text": '"The new fuel levy is a disaster for families," said Ann Smith.'},
        {"id": "two", "text": "Tom Ode said the strike hurts us all.", "target": ["the strike"]},
    ]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "out.jsonl"
    result = run(str(corpus), "-o", str(out), "--target", "the fuel levy", "--target", "a strike")
    assert result.exit_code == 0, result.output
    one, two = (json.loads(line) for line in out.read_text().splitlines())
    for record in (one, two):
        jsonschema.validate(record, record_schema())
        assert record_problems(record) == []
    assert one["target"] == "the fuel levy" and one["targets"] == ["the fuel levy", "a strike"]
    [quote] = one["quotes"]
    assert quote["stances"] == {"the fuel levy": "AGAINST", "a strike": "NONE"}
    assert quote["stance"] == "AGAINST"
    assert two["target"] == "the strike"  # the record's own target wins over --target
    assert set(two["quotes"][0]["stances"]) == {"the strike"}


def test_stages_short_form(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    text = "Mayor Lena Brandt said on Monday that the new rail tunnel would bring jobs."
    corpus.write_text(json.dumps({"id": "n1", "text": text}) + "\n")
    result = run(str(corpus), "--stages", "entities, sentences", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(record["sentences"]) == 1 and record["entities"] and record["quotes"] == []
    one_line_error(run(str(corpus), "--stages", "sentences,quote"), "unknown stage 'quote'")
