"""``newspipe train quotes`` through Typer's runner, on the small fixture gold and PolNeAR files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newspipe.cli import app
from newspipe.pipeline.build import load_pipeline
from newspipe.pipeline.records import doc_to_record

runner = CliRunner()
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
POLNEAR = FIXTURES / "datasets" / "polnear.jsonl"
GOLD = FIXTURES / "gold"


def one_line_error(result, needle: str) -> None:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0], lines
    assert "Traceback" not in result.output


@pytest.mark.model
def test_train_newsroom_judge_writes_model_report_and_out_of_fold_records(tmp_path: Path) -> None:
    out, report, oof = tmp_path / "model", tmp_path / "report.json", tmp_path / "oof.jsonl"
    args = ["train", "quotes", str(POLNEAR), "--convention", "newspipe", "--gold", str(GOLD)]
    args += ["--folds", "2"]
    args += ["-o", str(out), "--report", str(report), "--oof", str(oof)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    model = json.loads((out / "quote_judge.json").read_text())
    assert model["convention"] == "newspipe" and 0 < model["threshold"] < 1
    assert model["calibration"][0] > 0 and model["weights"]
    data = json.loads(report.read_text())
    assert set(data["polnear_attributions_by_class"]) <= {"speech", "other", "unknown"}
    assert data["out_of_fold"]["quotes_f"] is not None
    assert all(0 <= row["observed"] <= 1 for row in data["reliability"])
    records = [json.loads(line) for line in oof.read_text().splitlines()]
    assert [r["id"] for r in records] == ["harbour_strike"]
    # the judge it wrote runs in the pipeline
    nlp = load_pipeline(
        overrides={
            "nlp.stages": ["sentences", "entities", "quotes"],
            "components.quotes.model": str(out / "quote_judge.json"),
        }
    )
    record = doc_to_record(nlp("Anna Berg said the bridge would reopen in May."), "t")
    assert all(q["source"] for q in record["quotes"])


def test_unknown_convention(tmp_path: Path) -> None:
    result = runner.invoke(app, ["train", "quotes", str(POLNEAR), "--convention", "parc"])
    one_line_error(result, "unknown quote convention 'parc'")


def test_missing_polnear_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["train", "quotes", str(tmp_path / "no.jsonl")])
    one_line_error(result, "cannot read training data")
