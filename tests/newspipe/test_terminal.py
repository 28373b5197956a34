"""What a terminal of 80 columns shows: help without value types after flags, tables that wrap
names and never cut a figure, progress per document that is off when stderr is no terminal.
No model needed."""

from __future__ import annotations

import io
import re
import sys

import pytest
from rich.console import Console
from typer.testing import CliRunner

from newspipe.cli import app
from newspipe.commands.bench import print_report
from newspipe.commands.score import print_scores
from newspipe.commands.train import _table
from newspipe.eval.bench import BenchReport, EngineRow, Row, Scaling, Spread
from newspipe.eval.datasets import STAGES, GoldSet
from newspipe.eval.run import score
from newspipe.progress import StepProgress, show_progress

runner = CliRunner()
COMMANDS = [
    [],
    ["extract"],
    ["score"],
    ["bench"],
    ["view"],
    ["gold"],
    ["gold", "validate"],
    ["gold", "show"],
    ["gold", "import"],
    ["gold", "export"],
    ["gold", "agree"],
    ["train"],
    ["train", "stance"],
    ["train", "quotes"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_fits_80_columns_and_shows_no_type_after_a_flag(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"], terminal_width=80, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.output
    assert max(len(line) for line in result.output.splitlines()) <= 80
    if command == ["extract"]:
        assert re.search(r"--resume / --no-resume +Skip ids", result.output)


def spread(median: float) -> Spread:
    return Spread(median, median * 0.97, median * 1.03, median * 0.95, median * 1.05, 20)


def bench_report() -> BenchReport:
    shared = "tok2vec + tagger + parser + attribute_ruler + lemmatizer"
    rows = [
        Row("spaCy model (bare)", "baseline", f"{shared} + ner", spread(2712.4), spread(3.9),
            250.3, 410.7, 1.0, None, 512.0),
        Row("pipeline", "pipeline", f"{shared} + ner + a + b + c", spread(2451.2), spread(3.5),
            270.3, 450.7, 0.9, None, 1612.0),
        Row("model", "stage", shared, spread(3402.2), spread(4.5), 200.3, 350.7, 1.25, 0.72,
            12.0),
        Row("sentences", "stage", "newspipe_sentences_hybrid_v1", spread(81234.2),
            spread(120.5), 8.3, 15.7, 29.95, 0.03, 1.0),
        Row("stance", "stage", "newspipe_stance_rules_v1", spread(1234567.2), spread(1940.5),
            0.3, 0.7, 455.2, 0.001, 0.0),
        Row("pysbd_v1", "alternative", "newspipe_sentences_pysbd_v1", spread(21234.2),
            spread(30.5), 18.3, 25.7, 7.83),
    ]
    scaling = [
        Scaling(1, spread(2700), spread(2450), 0.91, 1.0),
        Scaling(2, spread(4700), spread(4250), 0.9, 1.74),
    ]
    command = "newspipe extract CORPUS.jsonl -o OUT.jsonl -n 2 --batch-size 32 --no-progress"
    engine = [
        EngineRow(10000, 504383, n, command, [217.7, 1226.4], spread(45.0), spread(2272.0),
                  spread(1212.5), spread(212.5), spread(2217.0), 217.0, worker, workers,
                  [2.6, 12.9], speedup, speedup / n, True)
        for n, worker, workers, speedup in ((1, None, 0, 1.0), (2, 1208.0, 2, 1.05))
    ]
    words = "tokens as spaCy counts them (len(doc), punctuation and whitespace included)"
    return BenchReport("en_core_web_sm", {}, 23, 14321, words, 32, 5, 1, rows, scaling,
                       {"cpu": "x86_64", "cores": 2, "spacy": "3.8"}, engine=engine,
                       capacity=[0.83, 1.05])


def rendered(draw, width: int = 80) -> str:
    out = io.StringIO()
    draw(Console(file=out, width=width, force_terminal=False, color_system=None))
    return out.getvalue()


def test_bench_tables_fit_80_columns_with_every_figure_whole() -> None:
    text = rendered(lambda console: print_report(bench_report(), console))
    assert max(len(line) for line in text.splitlines()) <= 80
    for figure in ("2,712", "81.2k", "78.8k–83.7k", "1.23M", "1.20M–1.27M", "455.20", "1,940.5",
                   "410.7", "1,612", "72.0%", "0.1%", "4,250", "1.74",
                   # newspipe extract -n N
                   "10,000", "2.6–12.9", "217.7–1,226.4", "2,272", "0.53", "1,212.5", "2,217",
                   "1,208", "yes"):
        assert figure in text, figure
    table_lines = [line for line in text.splitlines() if line.startswith(("│", "┃"))]
    assert table_lines and not any("…" in line for line in table_lines)


def test_train_table_fits_80_columns() -> None:
    rows = {
        name: {"items": 12345, "macro_f1": 0.512, "accuracy": 0.634,
               "f1": {"FAVOR": 0.101, "AGAINST": 0.202, "NONE": 0.303}}
        for name in ("gwsd_dev.jsonl, 5 folds by document", "vast")
    }
    text = rendered(lambda console: console.print(_table("Stance model", rows)))
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "…" not in text and "AGAINST" in text and "12345" in text and "0.303" in text


def test_score_tables_fit_80_columns_with_every_interval_whole() -> None:
    text_ = "Ana Ruiz said the dam is safe. Critics disagree."
    gold = {
        "id": "dam",
        "text": text_,
        "target": "the dam",
        "sentences": [{"start": 0, "end": 30}, {"start": 31, "end": 48}],
        "entities": [{"start": 0, "end": 8, "label": "PERSON", "text": "Ana Ruiz"}],
        "quotes": [],
    }
    pred = {**gold, "entities": [], "sentences": [{"start": 0, "end": 48}]}
    gold_set = GoldSet("gold", "t", [gold], layers=frozenset(STAGES), scored=frozenset(STAGES))
    run = score(gold_set, pred={"dam": pred}, bootstrap=20)
    text = rendered(lambda console: print_scores(run, console, errors_shown=0), width=80)
    table_lines = [line for line in text.splitlines() if line.startswith(("│", "┃"))]
    assert table_lines and max(len(line) for line in text.splitlines()) <= 80
    assert not any("…" in line for line in table_lines)
    assert re.search(r"0\.000 \[0\.000–0\.000\]", text)


def test_progress_moves_per_document_and_keeps_a_line_per_step() -> None:
    out = io.StringIO()
    console = Console(file=out, width=80, force_terminal=True, color_system=None)
    with StepProgress(True, console) as bar:
        for done in (1, 2, 3):
            bar.update("end to end", done, 3)
        bar.update("isolated: quotes on gold entities", 1, 3)
    text = out.getvalue()
    assert "end to end" in text and "3/3" in text and "isolated: quotes" in text
    quiet = io.StringIO()
    with StepProgress(False, Console(file=quiet)) as bar:
        bar.update("end to end", 1, 3)
    assert quiet.getvalue() == ""


def test_progress_is_off_by_default_when_stderr_is_no_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert show_progress(None) is False and show_progress(True) is True
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert show_progress(None) is True and show_progress(False) is False
