"""``newspipe extract``: run all stages over articles or corpora and write records.

The command parses its options into the engines' settings and callbacks
(:mod:`newspipe.pipeline.run.engine`), runs the engine, and prints: problems and a progress
bar on stderr, records on stdout when there is no output file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import ProgressColumn
from rich.text import Text

from newspipe.errors import EXIT_BAD_INPUT, fail, fail_with, message, problem_message, warn
from newspipe.options import (
    CONFIG_HELP,
    IdField,
    SplitOption,
    TargetField,
    TextField,
    config_overrides,
    split_overrides,
)
from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.records import Record
from newspipe.pipeline.run.documents import Fields, InputProblem
from newspipe.pipeline.run.engine import ENGINE_NAMES, Callbacks, RunSettings, engine_named
from newspipe.pipeline.run.writers import output_format
from newspipe.render import print_records


def extract(
    ctx: typer.Context,
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="A .txt file (id = file stem), a directory of .txt files, a .jsonl file of "
            '{"id", "text", "target"?} records, - for stdin, a .csv or .parquet file, a '
            "dataset directory saved by `datasets`, or hf:NAME (a hub dataset).",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write records here (atomically): JSONL, or Parquet for a .parquet name. "
            "With --engine ray: a directory (or URI) of part files.",
        ),
    ] = None,
    config: Annotated[Path | None, typer.Option("--config", "-c", help=CONFIG_HELP)] = None,
    target: Annotated[
        str | None, typer.Option(help="Stance target for documents that bring none.")
    ] = None,
    display: Annotated[
        str,
        typer.Option(
            "--format",
            help="jsonl, pretty, or auto (pretty on a terminal without -o, else jsonl).",
        ),
    ] = "auto",
    file_format: Annotated[
        str | None,
        typer.Option(
            "--output-format", help="jsonl or parquet (default: from the -o suffix, else jsonl)."
        ),
    ] = None,
    text_field: TextField = "text",
    id_field: IdField = "id",
    target_field: TargetField = "target",
    split: SplitOption = None,
    batch_size: Annotated[
        int | None, typer.Option(min=1, help="Documents per batch (default: the config's).")
    ] = None,
    n_process: Annotated[
        int,
        typer.Option(
            "--n-process", "-n", min=1, help="Worker processes (local) or Ray actors (ray)."
        ),
    ] = 1,
    resume: Annotated[
        bool,
        typer.Option(help="Skip ids already in the output (or an unfinished run's); add the rest."),
    ] = False,
    errors: Annotated[
        Path | None,
        typer.Option(help="Also write each skipped document as JSONL {id, source, error}."),
    ] = None,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress", help="Progress bar on stderr (default: on a terminal)."
        ),
    ] = None,
    min_confidence: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Keep only quotes at least this likely to be right (their 'confidence'); "
            "default: the quote judge's threshold, chosen on development data.",
        ),
    ] = None,
    engine: Annotated[
        str,
        typer.Option(help="local (this machine) or ray (a Ray Data job; needs the ray extra)."),
    ] = "local",
    address: Annotated[
        str | None,
        typer.Option(
            help="Ray cluster to join: auto, ray://HEAD:10001, or none for a local instance."
        ),
    ] = None,
) -> None:
    """Extract sentences, entities, quotes and stance from news articles.

    Dotted config overrides may follow, e.g. --components.sentences.factory
    newspipe_sentences_rules_v1. A bad document is reported on stderr and skipped; the exit
    code is then 2, and every other document is still written.
    """
    inputs, override_args = split_overrides([*inputs, *ctx.args], ctx)
    if display not in ("auto", "jsonl", "pretty"):
        fail(f"--format must be auto, jsonl or pretty, not '{display}'")
    if engine not in ENGINE_NAMES:
        fail(f"--engine must be local or ray, not '{engine}'")
    try:
        fmt = output_format(output, file_format)
    except PipelineError as err:
        fail(message(err))
    if not inputs:
        fail("no input given (a .txt file, a directory, a .jsonl file, or - for stdin)")
    if resume and output is None:
        fail("--resume needs --output (the file to resume)")
    if fmt == "parquet" and output is None:
        fail("Parquet output needs --output FILE.parquet")
    if address is not None and engine != "ray":
        fail("--address is for --engine ray")
    if engine == "ray" and output is None:
        fail("--engine ray needs --output (a directory or URI for the part files)")
    if engine == "ray" and resume:
        fail("--resume is not supported with --engine ray (yet); use the local engine")
    overrides = config_overrides(override_args, target)
    if min_confidence is not None:
        overrides["components.quotes.min_confidence"] = min_confidence
    settings = RunSettings(
        fmt=fmt,
        config=config,
        overrides=overrides,
        fields=Fields(text=text_field, id=id_field, target=target_field),
        split=split,
        workers=n_process,
        batch_size=batch_size,
        resume=resume,
        errors=errors,
        address=address,
    )
    pretty = display == "pretty" or (display == "auto" and output is None and sys.stdout.isatty())
    shown: list[Record] = []
    callbacks = Callbacks(
        record=None if output is not None else shown.append if pretty else _print_line,
        problem=_warn_problem,
        resumed=lambda in_output, in_journal: warn(_resumed(output, in_output, in_journal)),
    )
    bar = _ProgressBar() if engine == "local" and _show_progress(progress) else None
    if bar is not None:
        callbacks.start, callbacks.progress = bar.start, bar.update
    try:
        summary = engine_named(engine)(inputs, output, settings, callbacks)
    except PipelineError as err:
        fail_with(err)
    finally:
        if bar is not None:
            bar.stop()
    if pretty:
        print_records(shown, Console())
    if summary.unchanged:
        warn(f"{output}: no document was extracted; the file was left as it was")
    if summary.problems:
        raise typer.Exit(EXIT_BAD_INPUT)


def _resumed(output: Path | None, in_output: int, in_journal: int) -> str:
    """What a resumed run keeps, and where it was found."""
    found = []
    if in_output:
        found.append(f"{in_output} in {output}")
    if in_journal:
        found.append(f"{in_journal} in the journal of an unfinished run")
    total = in_output + in_journal
    return f"resuming: {total} documents already done ({', '.join(found)}) are skipped"


def _show_progress(progress: bool | None) -> bool:
    return sys.stderr.isatty() if progress is None else progress


def _warn_problem(problem: InputProblem) -> None:
    warn(problem_message(problem))


def _print_line(record: Record) -> None:
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    sys.stdout.flush()


class _ProgressBar:
    """A progress bar on stderr: done/total, documents per second, elapsed time and ETA."""

    def __init__(self) -> None:
        self._progress: Any = None
        self._task: Any = None
        self.skipped = 0

    def start(self, total: int | None) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
        from rich.progress import TimeElapsedColumn as Elapsed

        bar = self

        def rate(task: Any) -> float | None:
            """Documents per second since the start: steady, unlike a windowed rate when
            results arrive a batch at a time. Skipped (resumed) documents do not count."""
            done = task.completed - bar.skipped
            return done / task.elapsed if task.elapsed and done > 0 else None

        class DocsPerSecond(ProgressColumn):
            def render(self, task: Any) -> Text:
                speed = rate(task)
                return Text(f"{speed:.1f} docs/s" if speed else "– docs/s")

        class Remaining(ProgressColumn):
            def render(self, task: Any) -> Text:
                speed = rate(task)
                if task.total is None or not speed:
                    return Text("ETA –")
                seconds = int(max(task.total - task.completed, 0) / speed)
                return Text(f"ETA {seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}")

        self._progress = Progress(
            TextColumn("extract"),
            BarColumn(),
            MofNCompleteColumn(),
            DocsPerSecond(),
            Elapsed(),
            Remaining(),
            console=Console(stderr=True),
        )
        self._progress.start()
        self._task = self._progress.add_task("extract", total=total)

    def update(self, done: int, skipped: int) -> None:
        self.skipped = skipped
        if self._progress is not None:
            self._progress.update(self._task, completed=done)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
