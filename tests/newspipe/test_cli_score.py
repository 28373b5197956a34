"""``newspipe score`` through Typer's runner: saved predictions, public data sets, both modes,
outputs, and every bad-input case (one line on stderr, exit code 2)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from newspipe.cli import app
from newspipe.eval.gold import gold_files, load_gold

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
GOLD_DIR = ROOT / "gold"
FIXTURES = ROOT / "tests" / "fixtures" / "datasets"
REQUIRED_KEYS = (
    "sents_f",
    "ents_f",
    "ents_per_type",
    "quotes_f",
    "speaker_acc",
    "stance_acc",
    "stance_macro_f",
)


def run(*args: str):
    return runner.invoke(app, ["score", *args])


def one_line_error(result, *needles: str) -> None:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in lines[0], (needle, lines)


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def test_gold_as_prediction_scores_one_everywhere(tmp_path: Path) -> None:
    records = [load_gold(path) for path in gold_files([GOLD_DIR])]  # seed and news set
    pred = write_jsonl(tmp_path / "pred.jsonl", records)
    out = tmp_path / "metrics.json"
    result = run(str(GOLD_DIR), "--pred", str(pred), "--output", str(out), "--bootstrap", "20")
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text("utf-8"))
    assert list(data["modes"]) == ["pred"]
    metrics = data["modes"]["pred"]["metrics"]
    for key in REQUIRED_KEYS:
        assert key in metrics
    for key in ("sents_f", "ents_f", "quotes_f", "cue_acc", "speaker_acc", "stance_acc"):
        assert metrics[key] == pytest.approx(1.0), key
        assert metrics[f"{key}_ci"] == [pytest.approx(1.0), pytest.approx(1.0)]
    assert data["modes"]["pred"]["throughput"] is None
    assert "boundary F1" in result.stdout and "1.000" in result.stdout


def test_partial_prediction_on_a_public_set_with_a_missing_document(tmp_path: Path) -> None:
    polnear = FIXTURES / "polnear.jsonl"
    row = json.loads(polnear.read_text("utf-8").splitlines()[0])
    text = row["text"]
    start, end = row["quotes"][0]["content"]
    pred = {
        "id": row["id"],
        "text": text,
        "target": None,
        "sentences": [],
        "entities": [],
        "quotes": [
            {
                "content": {"start": start, "end": end, "text": text[start:end]},
                "cue": None,
                "speaker": None,
                "speaker_name": None,
                "type": "indirect",
                "stance": None,
            }
        ],
    }
    path = write_jsonl(tmp_path / "pred.jsonl", [pred])
    out = tmp_path / "m.json"
    result = run("--dataset", f"polnear:{polnear}", "--pred", str(path), "-o", str(out))
    assert result.exit_code == 0, result.output
    metrics = json.loads(out.read_text("utf-8"))["modes"]["pred"]["metrics"]
    assert metrics["quotes_p"] == 1.0
    assert metrics["quotes_r"] == pytest.approx(1 / 3)
    assert metrics["cue_acc"] == 0.0 and metrics["speaker_name_acc"] is None
    assert "polnear/dev/budget: no prediction; scored as an empty one" in result.stderr


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["--mode", "sideways"], ["--mode must be one of"]),
        (["--overlap", "0"], ["--overlap must be in (0, 1]"]),
        (["--bootstrap", "-1"], ["--bootstrap must be 0 or more"]),
        (["--dataset", "nope:x.jsonl"], ["unknown dataset kind 'nope'"]),
        (["--dataset", "gum"], ["KIND:PATH"]),
        (["--dataset", "gum:/no/such/file.jsonl"], ["no such file"]),
        (["--dataset", f"stance:{FIXTURES / 'stance.jsonl'}", "--mode", "end-to-end"],
         ["scored isolated only"]),
        ([str(GOLD_DIR), "--dataset", f"gum:{FIXTURES / 'gum.jsonl'}"], ["not both"]),
        ([str(GOLD_DIR), "--output", "/no/such/dir/m.json"], ["output directory does not exist"]),
        ([str(GOLD_DIR), "--report", str(FIXTURES)], ["is a directory"]),
        (["/no/such/gold.gold.yaml"], ["no such file or directory"]),
        ([str(GOLD_DIR), "--pred", "/no/such/pred.jsonl"], ["cannot read"]),
        ([str(GOLD_DIR), "--pred", str(FIXTURES / "conll.txt")], ["no valid record"]),
        (["--dataset", f"gum:{FIXTURES / 'stance.jsonl'}"], ["no usable document", "missing"]),
        (["--dataset", f"conll:{FIXTURES / 'gum.jsonl'}"], ["not an IOB tag"]),
        (["--dataset", f"stance:{FIXTURES / 'conll.txt'}"], ["cannot be read as JSONL"]),
        (["--gold-set", "everything"], ["--gold-set must be one of all, seed, news"]),
        (["--gold-set", "seed", str(GOLD_DIR)], ["not both"]),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_2(args: list[str], needles: list[str]) -> None:
    one_line_error(run(*args), *needles)


def test_default_gold_directory_is_gold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    one_line_error(run(), "gold", "no such file or directory")


def test_gold_set_news_needs_the_news_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "gold").mkdir()
    monkeypatch.chdir(tmp_path)
    one_line_error(run("--gold-set", "news"), "gold/news", "no such file or directory")


@pytest.mark.model
def test_seed_gold_both_modes_with_json_and_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # --gold-set names parts of ./gold
    out, report = tmp_path / "metrics.json", tmp_path / "report.html"
    result = run(
        "--gold-set", "seed", "--bootstrap", "50", "-o", str(out), "--report", str(report)
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text("utf-8"))
    assert list(data["modes"]) == ["isolated", "end-to-end"]
    for mode in data["modes"].values():
        for key in REQUIRED_KEYS:
            assert key in mode["metrics"]
        assert mode["metrics"]["ents_f_ci"] is not None
        assert mode["throughput"]["words"] > 0
        assert set(mode["throughput"]["stages"]) >= {"entities", "quotes", "stance"}
    assert data["modes"]["isolated"]["metrics"]["stance_coverage"] == 1.0  # on gold quotes
    html = report.read_text("utf-8")
    assert "newspipe score report" in html and "content F1 (overlap)" in html
    assert "isolated" in result.stdout and "end-to-end" in result.stdout
    assert "Throughput" in result.stdout
    assert "documents" not in result.stderr  # stderr is no terminal here: no progress bar


@pytest.mark.model
def test_progress_bar_per_step_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run("--gold-set", "seed", "--bootstrap", "0", "--errors", "0", "--progress")
    assert result.exit_code == 0, result.output
    for step in ("end to end", "isolated: model and entities", "isolated: stance on gold"):
        assert re.search(rf"{step}.*1/1 documents", result.stderr), step


@pytest.mark.model
@pytest.mark.parametrize(
    ("spec", "modes", "keys"),
    [
        ("golden-rules:golden_rules.jsonl", ["end-to-end"], ["sents_doc_acc"]),
        ("gum:gum.jsonl", ["end-to-end"], ["sents_f", "sents_exact_f"]),
        ("polnear:polnear.jsonl", ["end-to-end"], ["quotes_f", "cue_acc", "speaker_acc"]),
        ("conll:conll.txt", ["isolated", "end-to-end"], ["ents_f", "ents_partial_f"]),
        ("stance:stance.jsonl", ["isolated"], ["stance_acc", "stance_majority_acc"]),
    ],
)  # fmt: skip
def test_every_dataset_kind_runs(
    tmp_path: Path, spec: str, modes: list[str], keys: list[str]
) -> None:
    kind, name = spec.split(":")
    out = tmp_path / "m.json"
    result = run("--dataset", f"{kind}:{FIXTURES / name}", "--bootstrap", "10", "-o", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text("utf-8"))
    assert list(data["modes"]) == modes
    for mode in data["modes"].values():
        for key in keys:
            assert isinstance(mode["metrics"][key], float), (mode["metrics"], key)
