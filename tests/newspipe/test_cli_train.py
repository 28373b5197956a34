"""``newspipe train stance`` through Typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newspipe.cli import app
from newspipe.pipeline.build import load_pipeline
from newspipe.pipeline.stages.stance.model import load_stance_model

runner = CliRunner()

GOOD = ("{t} is a wonderful idea", "officials praised {t}", "we support {t}, it is great")
BAD = ("{t} is a terrible idea", "critics condemned {t}", "we oppose {t}, it is awful")
NEUTRAL = ("the council discussed {t}", "{t} was on the agenda", "a meeting about {t}")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    rows = [
        {"text": text.format(t=target), "target": target, "label": label, "claim": target}
        for target in ("the new bridge", "the parking fee", "the school plan")
        for label, texts in (("agree", GOOD), ("disagree", BAD), ("neutral", NEUTRAL))
        for text in texts
    ]
    path = tmp_path / "train.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def one_line_error(result, needle: str) -> None:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0], lines
    assert "Traceback" not in result.output


def test_train_writes_a_model_with_report(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "model"
    report = tmp_path / "report.json"
    result = runner.invoke(
        app,
        [
            "train",
            "stance",
            str(data),
            "--output",
            str(out),
            "--folds",
            "3",
            "--report",
            str(report),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "cross-validation" in result.output and "model written to" in result.output
    written = json.loads(report.read_text())
    assert written["cross_validation"]["folds"] == 3
    assert load_stance_model(out).labels == ("FAVOR", "AGAINST", "NONE")


def test_train_groups_folds_by_a_field(data: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["train", "stance", str(data), "-o", str(tmp_path / "m"), "--folds", "3",
         "--group-by", "claim"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "grouped by claim" in result.output


def test_missing_data_file(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["train", "stance", str(tmp_path / "none.jsonl"), "-o", str(tmp_path / "m")]
    )
    one_line_error(result, "file not found")


def test_bad_label_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "a", "target": "b", "label": "perhaps"}\n')
    result = runner.invoke(app, ["train", "stance", str(path), "-o", str(tmp_path / "m")])
    one_line_error(result, f"{path}:1: unknown label 'perhaps'")
    assert not (tmp_path / "m").exists()


def test_output_that_is_a_file(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "taken"
    out.write_text("x")
    result = runner.invoke(app, ["train", "stance", str(data), "-o", str(out), "--folds", "0"])
    one_line_error(result, "is not a directory")


def test_pipeline_with_an_unusable_model_directory_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "model.json").write_text("[]")
    with pytest.raises(ValueError, match=r"components\.stance: .*not a valid newspipe stance"):
        load_pipeline(
            overrides={
                "nlp.stages": ["stance"],
                "components.stance.factory": "newspipe_stance_model_v1",
                "components.stance.model": str(tmp_path),
            }
        )


@pytest.mark.model
def test_trained_model_runs_in_the_pipeline(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "model"
    result = runner.invoke(app, ["train", "stance", str(data), "-o", str(out), "--folds", "0"])
    assert result.exit_code == 0, result.output
    nlp = load_pipeline(
        overrides={
            "components.stance.factory": "newspipe_stance_model_v1",
            "components.stance.model": str(out),
        }
    )
    assert not nlp.analyze_pipes()["problems"]["stance"]
    doc = nlp.make_doc('Critics said: "The new bridge is a terrible idea."')
    doc._.target = "the new bridge"
    doc = nlp(doc)
    for quote in doc.spans.get("quotes", []):
        assert quote._.stance in ("FAVOR", "AGAINST", "NONE")
        assert quote._.stance_evidence


QUOTED = [
    ("Ana Ruiz said the budget would be cut.", "the budget would be cut"),
    ("The minister said that talks had stalled.", "that talks had stalled"),
    ("Officials said the road was closed.", "the road was closed"),
    ("Lena Brandt told reporters the plan was fair.", "the plan was fair"),
    ("The union said it would strike on Monday.", "it would strike on Monday"),
    ("Critics argued the tax was too high.", "the tax was too high"),
]


@pytest.mark.model
def test_train_quotes_writes_a_lexicon_and_a_model_the_pipeline_loads(tmp_path: Path) -> None:
    rows = []
    for n, (text, content) in enumerate(QUOTED):
        start = text.index(content)
        quotes = [{"content": [start, start + len(content)]}]
        rows.append({"id": f"q{n}", "text": f"{text} The weather was mild.", "quotes": quotes})
    data = tmp_path / "train.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "quotes_model"
    result = runner.invoke(
        app, ["train", "quotes", str(data), "-o", str(out), "--threshold", "0.3"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["documents"] == 6 and summary["threshold"] == 0.3
    assert sorted(p.name for p in out.iterdir()) == ["cue_lexicon.tsv", "quote_model.json"]
    nlp = load_pipeline(
        overrides={
            "components.quotes.model": str(out / "quote_model.json"),
            "components.quotes.lexicon": str(out / "cue_lexicon.tsv"),
        }
    )
    assert nlp.get_pipe("quotes").threshold == 0.3


def test_train_quotes_with_missing_data_is_one_line(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["train", "quotes", str(tmp_path / "none.jsonl"), "-o", str(tmp_path)]
    )
    one_line_error(result, "cannot read training data")


SEED_GOLD = Path(__file__).resolve().parents[2] / "gold" / "putin_visit_north_korea.gold.yaml"


def test_train_on_our_gold_mixed_with_a_jsonl_file(data: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = runner.invoke(
        app,
        ["train", "stance", str(data), str(SEED_GOLD), "-o", str(tmp_path / "m"),
         "--folds", "2", "--report", str(report)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    written = json.loads(report.read_text())
    gold = written["training"]["data"][-1]
    assert gold["grouped_by"] == "article" and gold["articles"] == 1 and gold["items"] > 0
    assert written["cross_validation"]["grouped_by"] == "article (gold) and text"
    assert set(written["cross_validation"]["by_source"]) == {data.name, str(SEED_GOLD)}


def test_a_gold_directory_without_stance_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "gold").mkdir()
    out = str(tmp_path / "m")
    result = runner.invoke(app, ["train", "stance", str(tmp_path / "gold"), "-o", out])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
