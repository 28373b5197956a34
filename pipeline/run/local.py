"""The local engine: the pipeline over documents on this machine, records to a file or a sink.

:func:`run_local` reads the documents, runs them through the pipeline in batches (in worker
processes with ``workers`` above 1), and writes the records atomically and resumably
(:class:`~newspipe.pipeline.run.writers.CorpusWriter`), or hands them to a sink. It reports
through :class:`Callbacks` as it goes (every problem, progress, a resumed output) and returns a
:class:`RunSummary`. A bad document never stops the run: it is a problem, reported and skipped.

The Ray engine (:func:`newspipe.pipeline.run.ray.run_ray`) has the same signature
(:data:`~newspipe.pipeline.run.engine.Engine`). Neither prints: what to show is the caller's
business.
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from spacy.language import Language

from newspipe.pipeline.build import configured_batch_size, load_pipeline
from newspipe.pipeline.errors import OutputUnwritable, PipelineError, RunInterrupted
from newspipe.pipeline.files import atomic_writer, writable_output_problem
from newspipe.pipeline.records import Record
from newspipe.pipeline.run.documents import Document, InputProblem, Item
from newspipe.pipeline.run.engine import Callbacks, RunSettings, RunSummary
from newspipe.pipeline.run.extract import (
    LineResult,
    RecordLine,
    Result,
    Workers,
    extract_lines,
    extract_records,
    worker_processes,
)
from newspipe.pipeline.run.readers import count_documents, read_documents
from newspipe.pipeline.run.writers import CorpusWriter, output_format


def run_local(
    inputs: Sequence[str],
    output: str | Path | None = None,
    settings: RunSettings | None = None,
    callbacks: Callbacks | None = None,
) -> RunSummary:
    """Extract records from ``inputs`` on this machine.

    Args:
        inputs: Files, directories, ``-`` (stdin) or ``hf:NAME``, as
            :func:`~newspipe.pipeline.run.readers.read_documents` reads them.
        output: A JSONL or Parquet file, written atomically (None: records go to
            ``callbacks.record``).
        settings: How to run (:class:`RunSettings`).
        callbacks: What to report while running (:class:`Callbacks`).

    Raises:
        PipelineError: For a bad config, model, output or setting, before any document.
        RunInterrupted: If the run stops early (a worker died, an interrupt): every record
            finished so far is kept in the journal, for a resumed run.
    """
    settings = settings or RunSettings()
    callbacks = callbacks or Callbacks()
    out_path = Path(output) if output is not None else None
    fmt = output_format(out_path, settings.fmt)
    check_paths(inputs, out_path, fmt, settings)
    writer = (
        CorpusWriter(out_path, fmt, resume=settings.resume, csv_layer=settings.csv_layer)
        if out_path
        else None
    )
    try:
        return _run_local(inputs, out_path, fmt, settings, callbacks, writer)
    finally:
        if writer is not None:
            writer.unlock()


def _run_local(
    inputs: Sequence[str],
    out_path: Path | None,
    fmt: str,
    settings: RunSettings,
    callbacks: Callbacks,
    writer: CorpusWriter | None,
) -> RunSummary:
    if writer is not None:
        writer.lock()  # before the slow start: a second run on the output is refused at once
    make_nlp = functools.partial(load_pipeline, settings.config, settings.overrides)
    with contextlib.ExitStack() as stack:
        nlp: Language | None = None
        workers: Workers | None = None
        if settings.workers == 1:
            nlp = make_nlp()  # checks config and model before any work starts
            size = settings.batch_size or nlp.batch_size
        else:  # each worker builds its own; the model is not loaded here
            size = settings.batch_size or configured_batch_size(settings.config, settings.overrides)
            # The workers of the run: they load the model once, all at the same time, and
            # any problem with the config or the model is known before any document is read.
            workers = stack.enter_context(worker_processes(make_nlp, settings.workers))
            problem = workers.check()
            if problem is not None:
                raise PipelineError(problem)
        run = _Run(inputs, settings, callbacks, size)
        # To a file and no one asking for the records: the records are encoded where they are
        # made (in the workers), and this process only writes their lines.
        lines = writer is not None and callbacks.record is None

        def results(done: set[str]) -> Iterator[Result | LineResult]:
            documents = read_documents(inputs, fields=settings.fields, split=settings.split)
            extract = extract_lines if lines else extract_records
            return extract(
                nlp,
                run.started(run.skip_done(documents, done)),
                batch_size=size,
                n_process=settings.workers,
                make_nlp=make_nlp,
                workers=workers,
            )

        summary = RunSummary(output=None if out_path is None else str(out_path))
        if writer is None:
            sink = callbacks.record or (lambda record: None)
            run.consume(results(set()), sink)  # type: ignore[arg-type]  # records
        else:
            _run_to_file(run, writer, settings.resume, results, summary)
    summary.written = summary.written or run.records
    summary.skipped, summary.problems = run.skipped, run.problems
    return summary


def check_paths(
    inputs: Sequence[str], output: Path | None, fmt: str, settings: RunSettings
) -> None:
    """Refuse a run that would lose or overwrite something, before it starts: an output that
    cannot be written (a directory, a missing or unwritable folder, a read-only file), an
    output or error log that is one of the inputs, and an error log that is the output.

    Raises:
        PipelineError: Naming the path and the problem.
    """
    if output is None and settings.resume:
        raise PipelineError("resuming needs an output file to resume")
    if output is None and fmt == "parquet":
        raise PipelineError("Parquet output needs an output file")
    errors = settings.errors
    for path, what in ((output, "output"), (errors, "error log")):
        if path is None:
            continue
        problem = writable_output_problem(path)
        if problem is not None:
            raise OutputUnwritable(str(path) if what == "output" else f"{path} ({what})", problem)
        for name in inputs:
            if name != "-" and _same_file(path, Path(name)):
                raise PipelineError(f"{path}: the {what} is an input; it would be overwritten")
    if output is not None and errors is not None and _same_file(output, errors):
        raise PipelineError(f"{errors}: the error log is the output; give another file")


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (links followed; a missing file by its path)."""
    try:
        return (a.exists() and b.exists() and a.samefile(b)) or a.resolve() == b.resolve()
    except OSError:
        return False


class _Run:
    """Consumes results: records to a sink, problems to the callback and the error log, and
    progress."""

    def __init__(
        self, inputs: Sequence[str], settings: RunSettings, callbacks: Callbacks, size: int
    ) -> None:
        self.inputs = inputs
        self.settings = settings
        self.callbacks = callbacks
        self.batch_size = size
        self.records = 0
        self.problems = 0
        self.skipped = 0
        self.done = 0

    def started(self, items: Iterable[Item]) -> Iterator[Item]:
        """``items``, telling the start (with the total, when cheap to know) first."""
        if self.callbacks.start is not None:
            settings = self.settings
            self.callbacks.start(count_documents(self.inputs, settings.split, settings.fields))
        yield from items

    def skip_done(self, items: Iterable[Item], done: set[str]) -> Iterator[Item]:
        for item in items:
            if isinstance(item, Document) and item.id in done:
                self.skipped += 1
                self._advance()
            else:
                yield item

    def _advance(self) -> None:
        self.done += 1
        if self.callbacks.progress is not None:
            self.callbacks.progress(self.done, self.skipped)

    def consume(
        self,
        results: Iterable[Result | LineResult],
        sink: Callable[[Record | RecordLine], None],
        sync: Callable[[], None] | None = None,
    ) -> None:
        with contextlib.ExitStack() as stack:
            errors = self.settings.errors
            error_log: IO[Any] | None = (
                stack.enter_context(atomic_writer(errors)) if errors is not None else None
            )
            for n, result in enumerate(results, 1):
                if isinstance(result, InputProblem):
                    self.problems += 1
                    if self.callbacks.problem is not None:
                        self.callbacks.problem(result)
                    if error_log is not None:
                        error_log.write(error_line(result))
                else:
                    self.records += 1
                    sink(result)
                self._advance()
                if sync is not None and n % self.batch_size == 0:
                    sync()
            if sync is not None:
                sync()


def _run_to_file(
    run: _Run,
    writer: CorpusWriter,
    resume: bool,
    results: Callable[[set[str]], Iterator[Result | LineResult]],
    summary: RunSummary,
) -> None:
    with writer as out:
        if resume and out.kept and run.callbacks.resumed is not None:
            run.callbacks.resumed(out.kept_in_output, out.kept_in_journal)

        def write(result: Record | RecordLine) -> None:
            if isinstance(result, RecordLine):  # encoded by the worker that made it
                out.write_line(result.id, result.line)
                return
            out.write(result)
            if run.callbacks.record is not None:
                run.callbacks.record(result)

        try:
            run.consume(results(out.done), write, out.sync)
        except KeyboardInterrupt as interrupt:
            out.sync()
            kept = out.written + out.kept_in_journal
            raise RunInterrupted(None, kept, out.journal, interrupt) from None
        except PipelineError as err:
            out.sync()
            kept = out.written + out.kept_in_journal
            raise RunInterrupted(str(err), kept, out.journal) from None
        except OSError as err:  # the disk is full, the folder went away…
            with contextlib.suppress(OSError):
                out.sync()
            kept = out.written + out.kept_in_journal
            reason = f"cannot write ({err.strerror or err})"
            raise RunInterrupted(reason, kept, out.journal) from None
        summary.written, summary.kept = out.written, out.kept
        if out.written or out.kept:
            try:
                out.finish()
            except OSError as err:
                reason = f"{out.path}: cannot write ({err.strerror or err})"
                kept = out.written + out.kept_in_journal
                raise RunInterrupted(reason, kept, out.journal) from None
        else:
            summary.unchanged = True


def error_line(problem: InputProblem) -> str:
    """A problem as the JSONL line of the error log: ``{id, source, error}``."""
    entry = {"id": problem.id, "source": problem.source, "error": problem.message}
    return json.dumps(entry, ensure_ascii=False) + "\n"
