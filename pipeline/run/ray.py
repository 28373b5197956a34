"""The pipeline as a Ray Data job: corpora on shared storage, on a cluster or one machine.

The job reads Parquet, CSV or JSONL files with Ray's readers, runs the pipeline in a pool of
actors (each builds it once, from the same config and overrides as the local engine, and turns
its Docs into records itself) and writes the records with Ray's Parquet or JSON writer: one
part file per block in the output directory, in the record contract (Parquet: the Arrow schema
of :func:`newspipe.pipeline.records.record_arrow_schema`).

JSONL input is read as text lines and parsed in the actors, so a malformed line is one
problem, not the end of the job. Problems (and the number of records) go to a small collector
actor and come back to the caller at the end, through the same callbacks as the local engine's:
:func:`run_ray` has the local engine's signature
(:data:`~newspipe.pipeline.run.engine.Engine`). Unlike the local engine, each record must
carry its id (row and line numbers are not stable across Ray's blocks), duplicate ids are not
detected, an output is required, and a run cannot be resumed.

A local output directory is written beside itself and renamed into place when the job is done
(an old one is replaced only then); a URI (``s3://…``) is written in place.

Ray is an optional dependency (the ``ray`` extra); it is imported only here.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from newspipe.pipeline.build import load_pipeline
from newspipe.pipeline.errors import MissingExtra, PipelineError, UnknownChoice
from newspipe.pipeline.files import atomic_writer
from newspipe.pipeline.run.documents import (
    Document,
    Fields,
    InputProblem,
    Item,
    parse_record,
    record_to_item,
)
from newspipe.pipeline.run.engine import Callbacks, RunSettings, RunSummary
from newspipe.pipeline.run.extract import extract_records
from newspipe.pipeline.run.local import error_line
from newspipe.pipeline.run.writers import output_format, records_to_table

READERS = {".parquet": "parquet", ".csv": "csv", ".jsonl": "jsonl", ".json": "jsonl"}
NO_ID = ""
RAY_FORMATS = ("jsonl", "parquet")
"""What the Ray engine writes (part files of records)."""
BLOCKS_PER_WORKER = 4


def require_ray() -> Any:
    """The ``ray`` module, or a one-line error saying how to install it."""
    try:
        import ray
        import ray.data
    except ImportError:
        raise MissingExtra("the Ray engine", "Ray", "ray", "ray[data]>=2.9") from None
    return ray


def input_kind(inputs: list[str]) -> str:
    """``parquet``, ``csv`` or ``jsonl``: what all the inputs are (files or directories of
    files, local or URIs); mixed or unknown kinds are an error."""
    kinds = set()
    for name in inputs:
        suffix = Path(name.rstrip("/")).suffix.lower()
        if suffix in READERS:
            if "://" not in name and not Path(name).exists():
                raise PipelineError(f"{name}: no such file or directory")
            kinds.add(READERS[suffix])
        elif "://" in name or Path(name).is_dir():
            found = {READERS[s] for s in _directory_suffixes(name) if s in READERS}
            if not found:
                raise PipelineError(f"{name}: directory holds no .parquet, .csv or .jsonl files")
            kinds |= found
        elif not Path(name).exists():
            raise PipelineError(f"{name}: no such file or directory")
        else:
            raise PipelineError(
                f"{name}: the ray engine reads .parquet, .csv or .jsonl files (or directories)"
            )
    if len(kinds) != 1:
        raise PipelineError(f"inputs mix file kinds ({', '.join(sorted(kinds))}); run them apart")
    return kinds.pop()


def _directory_suffixes(name: str) -> set[str]:
    """Suffixes of the files in a local directory or a directory URI (``s3://bucket/news/``)."""
    if "://" not in name:
        return {p.suffix.lower() for p in Path(name).iterdir() if p.is_file()}
    import pyarrow.fs

    try:
        filesystem, path = pyarrow.fs.FileSystem.from_uri(name)
        infos = filesystem.get_file_info(pyarrow.fs.FileSelector(path, recursive=False))
    except Exception as err:
        raise PipelineError(f"{name}: cannot list ({_one_line(err)})") from None
    return {Path(i.path).suffix.lower() for i in infos if i.type == pyarrow.fs.FileType.File}


class RayExtractor:
    """The callable class of ``map_batches``: one pipeline per actor, Arrow batches in,
    Arrow batches of records out; problems go to the collector actor."""

    def __init__(
        self,
        config: str | None,
        overrides: Mapping[str, Any],
        fields: Fields,
        kind: str,
        batch_size: int | None,
        problem_log: Any,
    ) -> None:
        self.nlp = load_pipeline(config, overrides)
        self.fields = fields
        self.kind = kind
        self.batch_size = batch_size or self.nlp.batch_size
        self.problem_log = problem_log

    def __call__(self, batch: Any) -> Any:
        items = [self._item(row) for row in batch.to_pylist()]
        records = []
        problems = []
        for result in extract_records(self.nlp, items, batch_size=self.batch_size):
            if isinstance(result, InputProblem):
                problems.append((result.source, result.message, result.id))
            else:
                records.append(result)
        self.problem_log.add.remote(problems, len(records))
        return records_to_table(records)

    def _item(self, row: dict[str, Any]) -> Item:
        source = str(row.get("path") or "")
        if self.kind == "jsonl":
            item = parse_record(row.get("text") or "", source, NO_ID, self.fields)
        else:
            row = {k: _plain(v) for k, v in row.items()}
            item = record_to_item(row, source, NO_ID, self.fields)
        if isinstance(item, Document) and item.id == NO_ID:
            return InputProblem(
                source, f"record has no '{self.fields.id}' (the ray engine needs ids)"
            )
        return item


def run_ray(
    inputs: Sequence[str],
    output: str | Path | None = None,
    settings: RunSettings | None = None,
    callbacks: Callbacks | None = None,
) -> RunSummary:
    """Run the pipeline over ``inputs`` as a Ray Data job and write records to ``output`` (a
    directory or URI) as part files in the settings' format (default: from the suffix).

    ``settings.address``: None starts a local Ray instance (and stops it after), ``"auto"`` or
    ``"ray://HEAD:10001"`` joins a running cluster; ``settings.workers`` actors each run the
    pipeline. Problems are reported through ``callbacks.problem`` (and the error log) when the
    job is done.

    Raises:
        PipelineError: For a bad config, model or input, before the job starts.
    """
    settings = settings or RunSettings()
    callbacks = callbacks or Callbacks()
    if output is None:
        raise PipelineError("the Ray engine needs an output (a directory or URI for part files)")
    if settings.resume:
        raise PipelineError("the Ray engine cannot resume a run (yet); the local engine can")
    fmt = output_format(Path(str(output)), settings.fmt)
    if fmt not in RAY_FORMATS:
        raise UnknownChoice("the output format of the Ray engine", fmt, RAY_FORMATS)
    ray = require_ray()
    kind = input_kind(list(inputs))
    load_pipeline(settings.config, settings.overrides)  # fail here, not in every actor
    started = _connect(ray, settings.address, settings.workers)
    try:
        written, problems = _run(ray, list(inputs), str(output), kind, fmt, settings)
    finally:
        if started:
            ray.shutdown()
    summary = RunSummary(written=written, problems=len(problems), output=str(output))
    with contextlib.ExitStack() as stack:
        log = stack.enter_context(atomic_writer(settings.errors)) if settings.errors else None
        for problem in problems:
            if callbacks.problem is not None:
                callbacks.problem(problem)
            if log is not None:
                log.write(error_line(problem))
    return summary


def _connect(ray: Any, address: str | None, workers: int) -> bool:
    if ray.is_initialized():
        return False
    logging.getLogger("ray").setLevel(logging.WARNING)
    try:
        if address is None:
            cpus = max(os.cpu_count() or 1, workers + 1)  # room for read/write tasks
            ray.init(
                num_cpus=cpus,
                include_dashboard=False,
                log_to_driver=False,
                logging_level=logging.WARNING,
            )
        else:
            ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
    except Exception as err:
        where = "a local Ray instance" if address is None else f"Ray at {address}"
        raise PipelineError(f"cannot start or reach {where} ({_one_line(err)})") from None
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    return True


def _run(
    ray: Any, inputs: list[str], output: str, kind: str, fmt: str, settings: RunSettings
) -> tuple[int, list[InputProblem]]:
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False

    @ray.remote(num_cpus=0)
    class ProblemLog:
        def __init__(self) -> None:
            self.problems: list[tuple[str, str, str | None]] = []
            self.records = 0

        def add(self, problems: list[tuple[str, str, str | None]], records: int) -> None:
            self.problems.extend(problems)
            self.records += records

        def all(self) -> tuple[int, list[tuple[str, str, str | None]]]:
            return self.records, self.problems

    problem_log = ProblemLog.remote()  # type: ignore[attr-defined]
    # Ray reads a file in one task; a few big files would keep most actors idle, so their
    # rows are split into several blocks (directories of many files need no help).
    workers = settings.workers
    few_files = all("://" in name or Path(name).is_file() for name in inputs)
    blocks = max(len(inputs), BLOCKS_PER_WORKER * workers) if few_files else None
    try:
        if kind == "parquet":
            dataset = ray.data.read_parquet(inputs, include_paths=True, override_num_blocks=blocks)
        elif kind == "csv":
            dataset = ray.data.read_csv(inputs, include_paths=True, override_num_blocks=blocks)
        else:
            dataset = ray.data.read_text(inputs, include_paths=True, override_num_blocks=blocks)
    except Exception as err:
        raise PipelineError(f"cannot read {', '.join(inputs)} ({_one_line(err)})") from None
    records = dataset.map_batches(
        RayExtractor,
        fn_constructor_kwargs={
            "config": None if settings.config is None else str(settings.config),
            "overrides": dict(settings.overrides),
            "fields": settings.fields,
            "kind": kind,
            "batch_size": settings.batch_size,
            "problem_log": problem_log,
        },
        batch_size=settings.batch_size or 64,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=workers),
    )
    local = "://" not in output
    target = _staging_dir(Path(output)) if local else output
    try:
        if fmt == "parquet":
            records.write_parquet(str(target))
        else:
            records.write_json(str(target), force_ascii=False)
    except Exception as err:
        if local:
            shutil.rmtree(target, ignore_errors=True)
        raise PipelineError(f"the Ray job failed ({_one_line(err)})") from None
    if local:
        _move_into_place(Path(target), Path(output))
    records, problems = ray.get(problem_log.all.remote())
    return records, [InputProblem(s, m, i) for s, m, i in problems]


def _staging_dir(output: Path) -> Path:
    if not output.parent.is_dir():
        raise PipelineError(f"{output}: output directory does not exist")
    if output.exists() and not output.is_dir():
        raise PipelineError(f"{output}: exists and is not a directory (the ray engine writes one)")
    return output.parent / f".{output.name}.{uuid.uuid4().hex[:8]}.tmp"


def _move_into_place(staging: Path, output: Path) -> None:
    old = output.parent / f".{output.name}.old-{uuid.uuid4().hex[:8]}"
    if output.exists():
        os.replace(output, old)
    os.replace(staging, output)
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(old)


def _plain(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _one_line(err: BaseException) -> str:
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    return (" ".join(lines) if lines else type(err).__name__)[:300]
