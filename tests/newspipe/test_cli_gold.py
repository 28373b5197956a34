"""``newspipe gold validate | show | import | export`` through Typer's CliRunner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newspipe.cli import app
from newspipe.eval.gold import load_gold
from newspipe.pipeline.records import record_problems

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "gold"
STRIKE = FIXTURES / "harbour_strike.gold.yaml"
SEED_GOLD = ROOT / "gold" / "putin_visit_north_korea.gold.yaml"

runner = CliRunner()


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A gold file with two problems."""
    (tmp_path / "doc.txt").write_text("Ana met Ola in Oslo.", encoding="utf-8")
    gold = tmp_path / "doc.gold.yaml"
    gold.write_text(
        "id: doc\ntext_file: doc.txt\nsentences: ['Ana met Ola in Oslo.']\n"
        "entities:\n  - [1, Bergen, GPE]\n  - [1, Oslo, CITY]\n",
        encoding="utf-8",
    )
    return gold


def test_validate_ok_prints_counts_per_layer() -> None:
    result = runner.invoke(app, ["gold", "validate", str(FIXTURES)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        f"{STRIKE}: OK, 7 sentences, 12 entities (PERSON 3, FAC 2, GPE 2, DATE 2, CARDINAL 1, "
        "MONEY 1, ORG 1), 5 quotes (indirect 3, direct 1, mixed 1), "
        "stance (FAVOR 3, AGAINST 1, NONE 1)"
    )


def test_validate_the_project_gold() -> None:
    result = runner.invoke(app, ["gold", "validate", str(ROOT / "gold")])
    assert result.exit_code == 0, result.output
    assert "OK, " in result.stdout


def test_validate_prints_every_problem_and_exits_2(broken: Path) -> None:
    result = runner.invoke(app, ["gold", "validate", str(broken), str(STRIKE)])
    assert result.exit_code == 2
    problems = [line for line in result.stdout.splitlines() if not line.startswith(str(STRIKE))]
    assert problems == [
        f'{broken}: entities[0] "Bergen": text not found in sentence 1',
        f"{broken}: entities[1] \"Oslo\": label 'CITY' is not an OntoNotes label",
    ]
    assert result.stderr.strip() == "newspipe: error: 2 problem(s) in 1 of 2 gold file(s)"
    assert "Traceback" not in result.output


def test_bad_paths_fail_in_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["gold", "validate", str(tmp_path / "absent.gold.yaml")])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"newspipe: error: {tmp_path / 'absent.gold.yaml'}: no such file or directory"
    ]
    result = runner.invoke(app, ["gold", "validate", str(tmp_path)])
    assert result.exit_code == 2
    assert "no gold files" in result.stderr


def test_show_prints_one_record_in_the_extract_contract() -> None:
    result = runner.invoke(app, ["gold", "show", str(STRIKE)])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.strip().splitlines()) == 1
    record = json.loads(result.stdout)
    assert record == load_gold(STRIKE)
    assert record_problems(record) == []


def test_show_seed_gold_has_all_four_layers() -> None:
    result = runner.invoke(app, ["gold", "show", str(SEED_GOLD), "--indent", "2"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record_problems(record) == []
    assert record["target"]
    assert record["sentences"] and record["entities"] and record["quotes"]
    assert all(quote["stance"] in ("FAVOR", "AGAINST", "NONE") for quote in record["quotes"])


def test_show_bad_file_exits_2(broken: Path) -> None:
    result = runner.invoke(app, ["gold", "show", str(broken)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "entities[0]" in result.stderr and "Traceback" not in result.output


def test_brat_export_then_import_gives_the_same_gold(tmp_path: Path) -> None:
    out = tmp_path / "brat"
    result = runner.invoke(app, ["gold", "export", str(STRIKE), "--format", "brat", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "annotation.conf",
        "harbour_strike.ann",
        "harbour_strike.txt",
    ]
    back = tmp_path / "back.gold.yaml"
    result = runner.invoke(
        app,
        ["gold", "import", str(out / "harbour_strike.ann"), "--format", "brat", "-o", str(back)],
    )
    assert result.exit_code == 0, result.output
    assert 'text_file: "brat/harbour_strike.txt"' in back.read_text(encoding="utf-8")
    assert load_gold(back) == load_gold(STRIKE)


def test_brat_import_takes_the_directory_that_export_writes(tmp_path: Path) -> None:
    second = tmp_path / "gold"
    second.mkdir()
    for name in ("harbour_strike.txt", "harbour_strike.gold.yaml"):
        shutil.copy(FIXTURES / name, second / name)
    text = (second / "harbour_strike.gold.yaml").read_text(encoding="utf-8")
    (second / "strike_two.gold.yaml").write_text(
        text.replace("id: harbour_strike", "id: strike_two"), encoding="utf-8"
    )
    brat = tmp_path / "brat"
    result = runner.invoke(
        app, ["gold", "export", str(second), "--format", "brat", "-o", str(brat)]
    )
    assert result.exit_code == 0, result.output
    back = tmp_path / "back"
    result = runner.invoke(app, ["gold", "import", str(brat), "--format", "brat", "-o", str(back)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in back.iterdir()) == [
        "harbour_strike.gold.yaml",
        "strike_two.gold.yaml",
    ]
    assert load_gold(back / "harbour_strike.gold.yaml", roots=[tmp_path]) == load_gold(STRIKE)
    assert load_gold(back / "strike_two.gold.yaml", roots=[tmp_path])["id"] == "strike_two"
    one = tmp_path / "one.gold.yaml"  # a directory of one document to one file
    (brat / "strike_two.ann").unlink()
    result = runner.invoke(app, ["gold", "import", str(brat), "--format", "brat", "-o", str(one)])
    assert result.exit_code == 0, result.output
    assert load_gold(one) == load_gold(STRIKE)


def test_brat_directory_import_writes_nothing_if_a_document_is_bad(tmp_path: Path) -> None:
    brat = tmp_path / "brat"
    runner.invoke(app, ["gold", "export", str(STRIKE), "--format", "brat", "-o", str(brat)])
    (brat / "bad.txt").write_text("Ana met Ola.", encoding="utf-8")
    (brat / "bad.ann").write_text("T1\tPERSON 0 30\tAna met Ola.\n", encoding="utf-8")
    back = tmp_path / "back"
    result = runner.invoke(app, ["gold", "import", str(brat), "--format", "brat", "-o", str(back)])
    assert result.exit_code == 2 and "nothing written" in result.stderr
    assert not back.exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["gold", "import", str(empty), "--format", "brat", "-o", str(back)])
    assert result.exit_code == 2 and "no brat documents" in result.stderr


def test_docbin_export_then_import(tmp_path: Path) -> None:
    spacy_file = tmp_path / "gold.spacy"
    result = runner.invoke(
        app, ["gold", "export", str(FIXTURES), "--format", "docbin", "-o", str(spacy_file)]
    )
    assert result.exit_code == 0, result.output
    assert spacy_file.stat().st_size > 0
    out = tmp_path / "imported"
    out.mkdir()
    result = runner.invoke(
        app, ["gold", "import", str(spacy_file), "--format", "docbin", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert (out / "harbour_strike.txt").read_bytes() == (
        FIXTURES / "harbour_strike.txt"
    ).read_bytes()
    assert load_gold(out / "harbour_strike.gold.yaml") == load_gold(STRIKE)


def test_export_refuses_broken_gold_and_writes_nothing(broken: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.spacy"
    result = runner.invoke(
        app, ["gold", "export", str(broken), "--format", "docbin", "-o", str(out)]
    )
    assert result.exit_code == 2
    assert not out.exists()
    assert "nothing written" in result.stderr


def test_unknown_format_and_missing_output_dir(tmp_path: Path) -> None:
    result = runner.invoke(app, ["gold", "export", str(STRIKE), "--format", "xml", "-o", "x"])
    assert result.exit_code == 2
    assert "--format must be one of brat, docbin, conll" in result.stderr
    shutil.copy(FIXTURES / "harbour_strike.txt", tmp_path / "a.txt")
    (tmp_path / "a.ann").write_text("", encoding="utf-8")
    result = runner.invoke(
        app, ["gold", "import", str(tmp_path / "a.ann"), "-o", str(tmp_path / "no" / "a.gold.yaml")]
    )
    assert result.exit_code == 2
    assert "output directory does not exist" in result.stderr


def test_export_conll_writes_a_file_the_conll_reader_scores(tmp_path: Path) -> None:
    out = tmp_path / "gold.conll"
    result = runner.invoke(
        app, ["gold", "export", str(STRIKE), "--format", "conll", "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "-DOCSTART- -X- -X- O"
    assert any(line.endswith(("B-PER", "B-ORG", "B-LOC", "B-MISC")) for line in lines)


def test_agree_prints_every_layer_and_writes_json(tmp_path: Path) -> None:
    second = tmp_path / "b"
    second.mkdir()
    shutil.copy(FIXTURES / "harbour_strike.txt", second)
    text = STRIKE.read_text(encoding="utf-8").replace("stance: FAVOR", "stance: NONE", 1)
    (second / STRIKE.name).write_text(text, encoding="utf-8")
    out = tmp_path / "agree.json"
    result = runner.invoke(
        app, ["gold", "agree", str(STRIKE), str(second), "--bootstrap", "0", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    for measure in ("boundary F1", "strict F1", "content F1 (overlap)", "Cohen's kappa"):
        assert measure in result.stdout
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["documents"] == ["harbour_strike"]
    assert figures["metrics"]["quotes_f"] == 1.0
    assert figures["metrics"]["stance_acc"] == pytest.approx(4 / 5)


def test_agree_without_shared_ids_is_an_error(tmp_path: Path, broken: Path) -> None:
    (tmp_path / "doc.txt").write_text("Ana met Ola in Oslo.", encoding="utf-8")
    broken.write_text(
        "id: doc\ntext_file: doc.txt\nsentences: ['Ana met Ola in Oslo.']\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["gold", "agree", str(STRIKE), str(broken)])
    assert result.exit_code == 2
    assert "share no document id" in result.output
