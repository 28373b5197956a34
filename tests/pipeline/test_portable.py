"""A saved newspipe pipeline is portable: no install path in its config, its data files in its
directory, and ``spacy.load`` of a copy elsewhere, in a fresh process started from another
folder, gives the records of the pipeline that saved it. ``spacy package`` makes a package of
it that loads the same way."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from newspipe.pipeline.build import load_pipeline
from newspipe.pipeline.records import doc_to_record
from newspipe.pipeline.resources import DIRECTORY as RESOURCES

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "putin_visit_north_korea.txt"
TARGET = "cooperation between Russia and North Korea"
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}

# Loads a pipeline (first argument: a directory, or "package:DIR:NAME" for a package made by
# `spacy package`) before anything of newspipe is imported, and prints the seed's record.
LOAD_AND_EXTRACT = """
import importlib, json, sys
import spacy

where = sys.argv[1]
if where.startswith("package:"):
    _, directory, name = where.split(":")
    sys.path.insert(0, directory)
    nlp = importlib.import_module(name).load()
else:
    nlp = spacy.load(where)
doc = nlp.make_doc(open(sys.argv[2], encoding="utf-8").read())
doc._.target = sys.argv[3]
from newspipe.pipeline.records import doc_to_record

print(json.dumps(doc_to_record(nlp(doc), "seed"), ensure_ascii=False))
"""


def _records_elsewhere(where: str, cwd: Path) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", LOAD_AND_EXTRACT, where, str(SEED), TARGET],
        cwd=cwd,
        env=ENV,
        capture_output=True,
        text=True,
        check=True,
    )
    record: dict[str, object] = json.loads(result.stdout)
    return record


def test_saved_blank_pipeline_keeps_a_user_file_that_is_gone(
    blank: Language, tmp_path: Path
) -> None:
    rules = json.loads((RESOURCES / "sentence_rules.json").read_text(encoding="utf-8"))
    rules["title_abbreviations"] = [*rules["title_abbreviations"], "Gen."]
    custom = tmp_path / "my_rules.json"
    custom.write_text(json.dumps(rules), encoding="utf-8")
    blank.add_pipe("newspipe_sentences_hybrid_v1", config={"rules": str(custom)})
    blank.add_pipe("newspipe_entities_rules_v1")
    blank.to_disk(tmp_path / "saved")
    custom.unlink()  # the saved pipeline carries the file; its config's path is not read again
    again = spacy.load(tmp_path / "saved")
    assert "gen." in again.get_pipe("newspipe_sentences_hybrid_v1").rules.title_abbreviations
    assert (tmp_path / "saved" / "newspipe_entities_rules_v1" / "patterns.jsonl").is_file()
    doc = again("Gen. Lee spoke on Monday. Then he left.")
    assert [s.text for s in doc.sents] == ["Gen. Lee spoke on Monday.", "Then he left."]
    assert [(e.text, e.label_) for e in doc.ents] == [("Monday", "DATE")]


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """The default pipeline saved (and removed from memory), and its record of the seed."""
    nlp = load_pipeline()
    doc = nlp.make_doc(SEED.read_text(encoding="utf-8"))
    doc._.target = TARGET
    record = doc_to_record(nlp(doc), "seed")
    path = tmp_path_factory.mktemp("saved") / "newspipe_pipeline"
    nlp.to_disk(path)
    return path, dict(record)


@pytest.mark.model
@pytest.mark.slow
def test_saved_config_names_no_install_path(saved: tuple[Path, dict[str, object]]) -> None:
    path, _ = saved
    config = (path / "config.cfg").read_text(encoding="utf-8")
    for where in (str(ROOT), str(RESOURCES), sys.prefix, str(path)):
        assert where not in config
    assert '"/' not in config  # no absolute path at all
    for stage in ("sentences", "entities", "quotes", "stance"):
        assert any((path / stage).iterdir())  # each stage saved its data files


@pytest.mark.model
@pytest.mark.slow
def test_copy_loads_elsewhere_with_identical_records(
    saved: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    path, record = saved
    copy = tmp_path / "moved" / "pipeline"
    shutil.copytree(path, copy)
    elsewhere = tmp_path / "another_folder"
    elsewhere.mkdir()
    assert _records_elsewhere(str(copy), elsewhere) == record


@pytest.mark.model
@pytest.mark.slow
def test_spacy_package_of_a_saved_pipeline_loads_as_a_package(
    saved: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    path, record = saved
    out = tmp_path / "packages"
    out.mkdir()
    subprocess.run(
        [
            *(sys.executable, "-m", "spacy", "package", str(path), str(out)),
            *("--name", "news", "--version", "0.1.0", "--build", "none"),
        ],
        env=ENV,
        capture_output=True,
        check=True,
    )
    package = out / "en_news-0.1.0"
    meta = json.loads((package / "meta.json").read_text(encoding="utf-8"))
    assert any(r.startswith("newspipe>=") for r in meta["requirements"])
    shutil.copy(package / "meta.json", package / "en_news")  # what its setup.py does on build
    assert _records_elsewhere(f"package:{package}:en_news", tmp_path) == record
