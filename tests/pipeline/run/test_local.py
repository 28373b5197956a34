"""The local engine: records to a file or a sink, problems and progress through callbacks, a
summary back, resume. A blank English pipeline with the rule sentence stage; no model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from newspipe.pipeline.errors import PipelineError, UnknownChoice
from newspipe.pipeline.records import Record
from newspipe.pipeline.run.documents import InputProblem
from newspipe.pipeline.run.engine import Callbacks, RunSettings, engine_named
from newspipe.pipeline.run.local import run_local
from newspipe.pipeline.run.writers import output_format


@pytest.fixture
def settings(tmp_path: Path) -> RunSettings:
    """A config whose model is a saved blank English pipeline, with one stage."""
    model = tmp_path / "blank_en"
    spacy.blank("en").to_disk(model)
    config = tmp_path / "blank.cfg"
    config.write_text(
        f'[nlp]\nmodel = "{model}"\nstages = ["sentences"]\nbatch_size = 2\n\n'
        '[components]\n\n[components.sentences]\nfactory = "newspipe_sentences_rules_v1"\n',
        encoding="utf-8",
    )
    return RunSettings(config=config)


def corpus(path: Path, ids: list[str], bad_line: bool = False) -> Path:
    lines = [json.dumps({"id": i, "text": f"The text {i} is here. Another one."}) for i in ids]
    if bad_line:
        lines.insert(1, '{"id": "broken", ')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_records_to_a_file_problems_and_progress_to_callbacks(
    settings: RunSettings, tmp_path: Path
) -> None:
    source = corpus(tmp_path / "c.jsonl", ["a", "b", "c"], bad_line=True)
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    problems: list[InputProblem] = []
    progress: list[tuple[int, int]] = []
    totals: list[int | None] = []
    callbacks = Callbacks(problem=problems.append, progress=lambda *p: progress.append(p))
    callbacks.start = totals.append
    summary = run_local(
        [str(source)], out, RunSettings(config=settings.config, errors=errors), callbacks
    )
    assert (summary.written, summary.problems, summary.skipped) == (3, 1, 0)
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["a", "b", "c"]
    assert [p.message.split(" (")[0] for p in problems] == ["malformed JSON"]
    assert json.loads(errors.read_text())["source"] == f"{source}:2"
    assert totals == [4] and progress[-1] == (4, 0)


def test_resume_keeps_the_old_records_and_skips_their_documents(
    settings: RunSettings, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    run_local([str(corpus(tmp_path / "c1.jsonl", ["a", "b"]))], out, settings)
    kept: list[tuple[int, int]] = []
    resumed = RunSettings(config=settings.config, resume=True)
    source = corpus(tmp_path / "c2.jsonl", ["a", "b", "c"])
    callbacks = Callbacks(resumed=lambda output, journal: kept.append((output, journal)))
    summary = run_local([str(source)], out, resumed, callbacks)
    assert (summary.kept, summary.skipped, summary.written) == (2, 2, 1)
    assert kept == [(2, 0)]  # both in the output, none in a journal
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["a", "b", "c"]


def test_without_an_output_records_go_to_the_callback(
    settings: RunSettings, tmp_path: Path
) -> None:
    records: list[Record] = []
    engine = engine_named("local")
    source = corpus(tmp_path / "c.jsonl", ["x", "y"])
    summary = engine([str(source)], None, settings, Callbacks(record=records.append))
    assert [r["id"] for r in records] == ["x", "y"] and summary.output is None
    assert records[0]["sentences"] == [{"start": 0, "end": 19}, {"start": 20, "end": 32}]


def test_library_errors_carry_data_and_name_no_flag(settings: RunSettings, tmp_path: Path) -> None:
    with pytest.raises(UnknownChoice) as caught:
        output_format(None, "xml")
    assert (caught.value.value, caught.value.choices) == ("xml", ("jsonl", "parquet", "csv"))
    cases = [
        (None, RunSettings(config=settings.config, resume=True)),
        (tmp_path / "missing" / "out.jsonl", settings),
        (None, RunSettings(config=settings.config, fmt="parquet")),
    ]
    for output, wrong in cases:
        with pytest.raises(PipelineError) as err:
            run_local([str(corpus(tmp_path / "c.jsonl", ["a"]))], output, wrong)
        assert "--" not in str(err.value)
    with pytest.raises(PipelineError, match="unknown engine 'spark'"):
        engine_named("spark")
