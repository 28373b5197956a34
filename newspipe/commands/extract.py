"""``newspipe extract``: run all stages over articles or corpora and write records.

The command parses its options into the engines' settings and callbacks
(:mod:`newspipe.pipeline.run.engine`), runs the engine, and prints: problems and a progress
bar on stderr, records on stdout when there is no output file. Records go out as JSONL,
Parquet or CSV (one layer, written by the engine), or as an HTML page to look at (the
article view, made here from the records when the run is done).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
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
    StagesOption,
    TargetField,
    TextField,
    config_overrides,
    split_overrides,
)
from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.files import write_text_atomic
from newspipe.pipeline.records import Record
from newspipe.pipeline.run.csv_layers import check_layer
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
            help="Write here (atomically), in the format its suffix names: .jsonl records, "
            ".parquet records, .csv (one row per quote; see --csv-layer) or .html (a page to "
            "look at). With --engine ray: a directory (or URI) of part files.",
        ),
    ] = None,
    config: Annotated[Path | None, typer.Option("--config", "-c", help=CONFIG_HELP)] = None,
    target: Annotated[
        list[str] | None,
        typer.Option(
            help="Stance target for documents that bring none; repeat it for several targets "
            "(each quote then gets a stance per target)."
        ),
    ] = None,
    stages: StagesOption = None,
    display: Annotated[
        str,
        typer.Option(
            "--format",
            help="jsonl, pretty, html (the article view: one page; to -o or stdout), or auto "
            "(pretty on a terminal without -o, else from --output-format or the -o suffix).",
        ),
    ] = "auto",
    file_format: Annotated[
        str | None,
        typer.Option(
            "--output-format",
            help="jsonl, parquet, csv or html (default: from the -o suffix, else jsonl).",
        ),
    ] = None,
    csv_layer: Annotated[
        str | None,
        typer.Option(
            help="What a CSV holds, one row each: quotes (default), entities or sentences.",
            show_default=False,
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
    if display not in DISPLAYS:
        fail(f"--format must be {', '.join(DISPLAYS[:-1])} or {DISPLAYS[-1]}, not '{display}'")
    if engine not in ENGINE_NAMES:
        fail(f"--engine must be local or ray, not '{engine}'")
    if file_format is not None and file_format not in FILE_FORMATS:
        fail(f"--output-format must be {', '.join(FILE_FORMATS[:-1])} or html, not '{file_format}'")
    html = _wants_html(display, file_format, output)
    try:
        fmt = "jsonl" if html else output_format(output, file_format)
        layer = check_layer(csv_layer or "quotes")
    except PipelineError as err:
        fail(message(err))
    if csv_layer is not None and fmt != "csv":
        fail("--csv-layer is for CSV output (-o FILE.csv or --output-format csv)")
    if display == "jsonl" and fmt != "jsonl":
        fail(f"--format jsonl and {fmt} output: give one of them")
    if not inputs:
        fail("no input given (a .txt file, a directory, a .jsonl file, or - for stdin)")
    if resume and output is None:
        fail("--resume needs --output (the file to resume)")
    if html and (resume or engine == "ray"):
        fail("HTML output is made on this machine in one go: no --resume or --engine ray")
    if fmt == "parquet" and output is None:
        fail("Parquet output needs --output FILE.parquet")
    if address is not None and engine != "ray":
        fail("--address is for --engine ray")
    if engine == "ray" and output is None:
        fail("--engine ray needs --output (a directory or URI for the part files)")
    if engine == "ray" and resume:
        fail("--resume is not supported with --engine ray (yet); use the local engine")
    if html and output is not None:
        if output.is_dir():
            fail(f"{output}: is a directory; HTML output is one page (newspipe view: a folder)")
        if not output.absolute().parent.is_dir():
            fail(f"{output}: output directory does not exist")
    overrides = config_overrides(override_args, target, stages)
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
        csv_layer=layer,
    )
    pretty = not html and (
        display == "pretty"
        or (display == "auto" and output is None and fmt == "jsonl" and sys.stdout.isatty())
    )
    shown: list[Record] = []
    csv_out = _CsvLines(layer) if fmt == "csv" and output is None else None
    if html or pretty:
        sink: Callable[[Record], None] | None = shown.append
    elif csv_out is not None:
        sink = csv_out.write
    else:
        sink = _print_line
    callbacks = Callbacks(
        record=sink if output is None or html else None,
        problem=_warn_problem,
        resumed=lambda in_output, in_journal: warn(_resumed(output, in_output, in_journal)),
    )
    bar = _ProgressBar() if engine == "local" and _show_progress(progress) else None
    if bar is not None:
        callbacks.start, callbacks.progress = bar.start, bar.update
    try:
        summary = engine_named(engine)(inputs, None if html else output, settings, callbacks)
    except PipelineError as err:
        fail_with(err)
    finally:
        if bar is not None:
            bar.stop()
    if html:
        _write_html(shown, output)
    elif pretty:
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


DISPLAYS = ("auto", "jsonl", "pretty", "html")
FILE_FORMATS = ("jsonl", "parquet", "csv", "html")
HTML_SUFFIXES = (".html", ".htm")


def _wants_html(display: str, file_format: str | None, output: Path | None) -> bool:
    """Whether the output is the article view: asked for, or named by the -o suffix."""
    if display == "html" or file_format == "html":
        if file_format not in (None, "html") or (display not in ("auto", "html")):
            fail("--format html and --output-format other than html: give one of them")
        return True
    if file_format is None and output is not None and output.suffix.lower() in HTML_SUFFIXES:
        if display not in ("auto", "html"):
            fail(f"{output}: an .html output is the article view, not --format {display}")
        return True
    return False


def _write_html(records: list[Record], output: Path | None) -> None:
    """The article view of the extracted records: to ``output`` atomically, or to stdout.
    Nothing extracted: an existing output is left as it was."""
    from newspipe.eval.report.article import render_articles

    if not records:
        if output is not None:
            warn(f"{output}: no document was extracted; nothing written")
        return
    page = render_articles(records)
    if output is None:
        sys.stdout.write(page)
    else:
        write_text_atomic(output, page)


class _CsvLines:
    """CSV rows of one layer on stdout, the header first, as records arrive."""

    def __init__(self, layer: str) -> None:
        import csv

        from newspipe.pipeline.run.csv_layers import COLUMNS

        self.layer = layer
        self._writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS[layer])
        self._writer.writeheader()

    def write(self, record: Record) -> None:
        from newspipe.pipeline.run.csv_layers import cell, layer_rows

        for row in layer_rows(record, self.layer):
            self._writer.writerow({key: cell(value) for key, value in row.items()})
        sys.stdout.flush()


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
