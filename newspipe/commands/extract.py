"""``newspipe extract``: run all stages over articles or corpora and write records."""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import ProgressColumn
from rich.text import Text
from spacy.language import Language

from newspipe.errors import EXIT_BAD_INPUT, fail, warn
from newspipe.options import (
    CONFIG_HELP,
    IdField,
    SplitOption,
    TargetField,
    TextField,
    build_nlp,
    config_overrides,
    split_overrides,
)
from newspipe.pipeline.build import load_config, load_pipeline
from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.files import atomic_writer
from newspipe.pipeline.run.documents import Document, Fields, InputProblem, Item
from newspipe.pipeline.run.extract import check_pipeline, extract_records
from newspipe.pipeline.run.readers import read_documents
from newspipe.pipeline.run.writers import CorpusWriter, output_format
from newspipe.render import print_records

ENGINES = ("local", "ray")


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
    if display not in ("auto", "jsonl", "pretty"):
        fail(f"--format must be auto, jsonl or pretty, not '{display}'")
    if engine not in ENGINES:
        fail(f"--engine must be local or ray, not '{engine}'")
    try:
        fmt = output_format(output, file_format)
    except PipelineError as err:
        fail(str(err))
    inputs, override_args = split_overrides([*inputs, *ctx.args])
    if not inputs:
        fail("no input given (a .txt file, a directory, a .jsonl file, or - for stdin)")
    if resume and output is None:
        fail("--resume needs --output (the file to resume)")
    if fmt == "parquet" and output is None:
        fail("Parquet output needs --output FILE.parquet")
    if address is not None and engine != "ray":
        fail("--address is for --engine ray")
    fields = Fields(text=text_field, id=id_field, target=target_field)
    overrides = config_overrides(override_args, target)
    if engine == "ray":
        _extract_ray(
            inputs,
            output,
            fmt,
            config,
            overrides,
            fields,
            batch_size,
            n_process,
            address,
            resume,
            errors,
        )
        return
    if output is not None and output.parent and not output.parent.is_dir():
        fail(f"{output}: output directory does not exist")
    if errors is not None and errors.parent and not errors.parent.is_dir():
        fail(f"{errors}: directory does not exist")
    pretty = display == "pretty" or (display == "auto" and output is None and sys.stdout.isatty())
    make_nlp = functools.partial(load_pipeline, config, overrides)
    nlp: Language | None = None
    if n_process == 1:
        nlp = build_nlp(config, overrides)  # checks config and model before any work starts
        size = batch_size or nlp.batch_size
    else:  # each worker builds its own; the model is not loaded here
        size = batch_size or _configured_batch_size(config, overrides)
        problem = check_pipeline(make_nlp)
        if problem is not None:
            fail(problem)
    show_progress = sys.stderr.isatty() if progress is None else progress
    run = _LocalRun(size, fields, split, errors, show_progress)
    documents = read_documents(inputs, fields=fields, split=split)

    def results(skip: set[str]) -> Iterator[Any]:
        return extract_records(
            nlp,
            run.counted(_skip_done(documents, skip, run), inputs),
            batch_size=size,
            n_process=n_process,
            make_nlp=make_nlp,
        )

    if output is None:
        records: list[dict[str, Any]] = []
        run.go(results(set()), lambda r: records.append(r) if pretty else _print_line(r))
        if pretty:
            print_records(records, Console())
    else:
        _extract_to_file(run, output, fmt, resume, results)
    if run.problems:
        raise typer.Exit(EXIT_BAD_INPUT)


class _LocalRun:
    """Consumes results: records to a sink, problems to stderr (and --errors), progress."""

    def __init__(
        self, batch_size: int, fields: Fields, split: str | None, errors: Path | None, show: bool
    ) -> None:
        self.batch_size = batch_size
        self.fields = fields
        self.split = split
        self.errors = errors
        self.show = show
        self.problems = 0
        self.skipped = 0
        self._progress: Any = None
        self._task: Any = None

    def counted(self, items: Iterable[Item], inputs: list[str]) -> Iterator[Item]:
        """``items``, starting the progress bar first (its total when cheap to know)."""
        if self.show:
            from newspipe.pipeline.run.readers import count_documents

            self._start_progress(count_documents(inputs, self.split, self.fields))
        yield from items

    def skip(self) -> None:
        self.skipped += 1
        self.advance()

    def advance(self) -> None:
        if self._progress is not None:
            self._progress.advance(self._task)

    def go(self, results: Iterable[Any], sink: Any, sync: Any = None) -> None:
        with contextlib.ExitStack() as stack:
            error_log = stack.enter_context(atomic_writer(self.errors)) if self.errors else None
            stack.callback(self._stop_progress)
            for n, result in enumerate(results, 1):
                if isinstance(result, InputProblem):
                    self.problems += 1
                    warn(str(result))
                    if error_log is not None:
                        error_log.write(_error_line(result))
                else:
                    sink(result)
                self.advance()
                if sync is not None and n % self.batch_size == 0:
                    sync()
            if sync is not None:
                sync()

    def _start_progress(self, total: int | None) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
        from rich.progress import TimeElapsedColumn as Elapsed

        run = self

        def rate(task: Any) -> float | None:
            """Documents per second since the start: steady, unlike a windowed rate when
            results arrive a batch at a time. Skipped (resumed) documents do not count."""
            done = task.completed - run.skipped
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

    def _stop_progress(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def _skip_done(items: Iterable[Item], done: set[str], run: _LocalRun) -> Iterator[Item]:
    for item in items:
        if isinstance(item, Document) and item.id in done:
            run.skip()
        else:
            yield item


def _extract_to_file(run: _LocalRun, output: Path, fmt: str, resume: bool, results: Any) -> None:
    try:
        with CorpusWriter(output, fmt, resume=resume) as out:
            if resume and out.kept:
                warn(f"resuming: {out.kept} documents already written to {output} are skipped")
            try:
                run.go(results(out.done), out.write, out.sync)
            except KeyboardInterrupt:
                _interrupted(out)
            except PipelineError as err:
                _interrupted(out, str(err))
            if out.written or out.kept:
                out.finish()
            else:
                warn(f"{output}: no document was extracted; the file was left as it was")
    except PipelineError as err:
        fail(str(err))


def _interrupted(out: CorpusWriter, reason: str | None = None) -> None:
    out.sync()
    kept = f"{out.written + out.kept} finished records are kept in {out.journal}"
    message = f"{reason}; {kept}" if reason else f"interrupted: {kept}"
    fail(f"{message}; run again with --resume to finish")


def _configured_batch_size(config: Path | None, overrides: dict[str, Any]) -> int:
    try:
        return int(load_config(config, overrides)["nlp"].get("batch_size", 32))
    except PipelineError as err:
        fail(str(err))


def _print_line(record: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _error_line(problem: InputProblem) -> str:
    entry = {"id": problem.id, "source": problem.source, "error": problem.message}
    return json.dumps(entry, ensure_ascii=False) + "\n"


def _extract_ray(
    inputs: list[str],
    output: Path | None,
    fmt: str,
    config: Path | None,
    overrides: dict[str, Any],
    fields: Fields,
    batch_size: int | None,
    n_process: int,
    address: str | None,
    resume: bool,
    errors: Path | None,
) -> None:
    if output is None:
        fail("--engine ray needs --output (a directory or URI for the part files)")
    if resume:
        fail("--resume is not supported with --engine ray (yet); use the local engine")
    try:
        from newspipe.pipeline.run.ray import run_ray_extract

        load_pipeline(config, overrides)  # fail on a bad config here, not in every actor
        summary = run_ray_extract(
            inputs,
            str(output),
            fmt=fmt,
            config=config,
            overrides=overrides,
            fields=fields,
            workers=n_process,
            batch_size=batch_size,
            address=address,
        )
    except PipelineError as err:
        fail(str(err))
    for problem in summary.problems:
        warn(str(problem))
    if errors is not None:
        with atomic_writer(errors) as handle:
            for problem in summary.problems:
                handle.write(_error_line(problem))
    if summary.problems:
        raise typer.Exit(EXIT_BAD_INPUT)
