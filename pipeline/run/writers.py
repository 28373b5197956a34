"""Writing the records of a corpus run: JSONL or Parquet, atomic, resumable after a kill.

A run never writes into its output file while it runs. Records go to a *journal* beside it
(``.OUT.part``, JSONL), one complete line per record, flushed and ``fsync``-ed after every
batch. At the end the output is made from the journal in one atomic step (a rename, or a
temporary file that replaces the output) and the journal is removed. So:

- a reader never sees a half-written output, and a failed or killed run leaves the old output
  as it was;
- a killed run keeps every record it finished in the journal (a half-written last line is cut
  off when the journal is opened again);
- ``resume=True`` skips every id already in the output or the journal, appends new records,
  and at the end writes old records + new ones, no id twice.

A run without ``resume`` that finds an unfinished run's journal starts over. A journal
started by a run without ``resume`` (``.OUT.part``) replaces the output when finished; one
started by a resumed run (``.OUT.resume-part``) is added to the output. A lock
(``.OUT.lock``, a ``filelock`` lock: the file stays, so that no two runs ever lock two
different files of one name) keeps two runs from writing the same output at once.

Parquet output holds the record contract as Arrow columns
(:func:`newspipe.pipeline.records.record_arrow_schema`): spans are structs ``{start, end,
text}``, sentences/entities/quotes lists of structs. CSV output holds one layer of the records,
a row per quote, entity or sentence (:mod:`newspipe.pipeline.run.csv_layers`); since it does not
hold the records, a finished CSV output cannot be resumed (an unfinished run's journal can).

The format comes from the output's suffix (:data:`SUFFIXES`) unless it is given; a suffix that
names no format is an error, never JSONL under another name.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

import filelock

from newspipe.pipeline.errors import OutputUnwritable, PipelineError, UnknownChoice, UnknownSuffix
from newspipe.pipeline.files import (
    atomic_writer,
    open_regular,
    read_line_bounded,
    writable_output_problem,
)
from newspipe.pipeline.records import Record, record_arrow_schema
from newspipe.pipeline.run.csv_layers import check_layer, write_csv

if TYPE_CHECKING:
    import pyarrow as pa

FORMATS = ("jsonl", "parquet", "csv")
SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".csv": "csv"}
"""Output file suffix → format; a file name without a suffix is JSONL (a directory of part
files, Ray)."""
PARQUET_ROWS = 1000
"""Records per Parquet row group (and per chunk when converting the journal)."""


def output_format(path: Path | None, explicit: str | None = None) -> str:
    """One of :data:`FORMATS`: ``explicit`` if given, else from the suffix of ``path``
    (:data:`SUFFIXES`; JSONL without a suffix or a path).

    Raises:
        UnknownChoice: If ``explicit`` is not a format.
        UnknownSuffix: If the suffix of ``path`` names no format (``out.csv`` is never
            silently written as JSONL).
    """
    if explicit:
        if explicit not in FORMATS:
            raise UnknownChoice("the output format", explicit, FORMATS)
        return explicit
    suffix = path.suffix.lower() if path is not None else ""
    if not suffix:
        return "jsonl"
    if suffix not in SUFFIXES:
        raise UnknownSuffix(str(path), suffix, tuple(SUFFIXES))
    return SUFFIXES[suffix]


def output_problem(path: Path) -> str | None:
    """Why ``path`` cannot be a run's output, or None (see
    :func:`~newspipe.pipeline.files.writable_output_problem`)."""
    return writable_output_problem(path)


def encode_record(record: Record) -> bytes:
    """A record as its line in a JSONL output or journal: UTF-8 JSON, non-ASCII as it is, and
    a newline."""
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")


def records_to_table(records: list[Record]) -> pa.Table:
    """Records as an Arrow table of :func:`record_arrow_schema`; a field the schema does not
    know is an error (it would be dropped silently otherwise)."""
    import pyarrow as pa

    schema = record_arrow_schema()
    known = set(schema.names)
    quote_type = schema.field("quotes").type.value_type
    quote_known = {quote_type.field(i).name for i in range(quote_type.num_fields)}
    for record in records:
        unknown = set(record) - known
        for quote in record.get("quotes") or ():
            unknown |= {f"quotes.{key}" for key in set(quote) - quote_known}
        if unknown:
            raise PipelineError(
                f"record field(s) {', '.join(sorted(unknown))} have no Parquet column; "
                "add it to newspipe.pipeline.records.Record"
            )
    return pa.Table.from_pylist(records, schema=schema)


def _from_arrow(record: Record) -> Record:
    """A record written through Arrow (Parquet, or the JSON of a Ray job) as the local JSONL
    writer has it: Arrow gives a map (a quote's ``stances``) as a list of (key, value) pairs,
    and a null for the optional ``targets`` and ``stances`` that JSONL leaves out."""
    if record.get("targets") is None:
        record.pop("targets", None)
    for quote in record.get("quotes") or ():
        if isinstance(quote.get("stances"), list):
            quote["stances"] = dict(quote["stances"])  # type: ignore[arg-type]
        elif quote.get("stances") is None:
            quote.pop("stances", None)
    return record


def read_records(path: Path, fmt: str) -> Iterator[Record]:
    """The records of an output file, in order."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            parquet = pq.ParquetFile(path)
        except Exception as err:
            raise PipelineError(f"{path}: not a readable Parquet file ({err})") from None
        for batch in parquet.iter_batches(batch_size=PARQUET_ROWS):
            yield from map(_from_arrow, batch.to_pylist())
        return
    try:
        handle = open_regular(path)
    except OSError as err:
        raise PipelineError(f"{path}: cannot read ({err.strerror or err})") from None
    with handle:
        n = 0
        while (raw := read_line_bounded(handle)) != b"":
            n += 1
            if raw is not None and not raw.strip():
                continue
            try:
                record = json.loads(raw) if raw is not None else None
            except (ValueError, RecursionError):
                record = None
            if not isinstance(record, dict):
                raise PipelineError(f"{path}:{n}: not a JSONL record")
            yield _from_arrow(cast(Record, record))


def read_ids(path: Path, fmt: str) -> Iterator[str]:
    """The ids of an output file's records."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            parquet = pq.ParquetFile(path)
            for batch in parquet.iter_batches(batch_size=10 * PARQUET_ROWS, columns=["id"]):
                yield from (str(i) for i in batch.column(0).to_pylist())
        except (OSError, KeyError, ValueError) as err:
            raise PipelineError(f"{path}: not a readable Parquet output ({err})") from None
        return
    for record in read_records(path, fmt):
        yield str(record.get("id"))


class CorpusWriter:
    """The output of a corpus run (see the module docstring). Use as a context manager::

        with CorpusWriter(path, "jsonl", resume=True) as out:
            for record in records:
                if record["id"] not in out.done: out.write(record)
                ...; out.sync()  # after each batch
            out.finish()

    Leaving the block without :meth:`finish` (an error, Ctrl-C) keeps the journal for a later
    ``resume``; a journal with no record is removed.
    """

    def __init__(
        self, path: Path, fmt: str = "jsonl", resume: bool = False, csv_layer: str = "quotes"
    ) -> None:
        self.path = Path(path)
        self.fmt = output_format(self.path, fmt)
        self.resume = resume
        self.csv_layer = check_layer(csv_layer)
        directory = self.path.parent
        self.fresh_journal = directory / f".{self.path.name}.part"
        self.append_journal = directory / f".{self.path.name}.resume-part"
        self.lock_path = directory / f".{self.path.name}.lock"
        self.done: set[str] = set()
        """Ids already written: by earlier runs (when resuming) and by this one."""
        self.kept = 0
        """Records carried over from earlier runs (:attr:`kept_in_output` +
        :attr:`kept_in_journal`)."""
        self.kept_in_output = 0
        """Records carried over from the existing output."""
        self.kept_in_journal = 0
        """Records carried over from the journal of an unfinished run."""
        self.written = 0
        """Records written by this run."""
        self._base_ids: set[str] = set()
        self._journal: Path = self.fresh_journal
        self._appending = False
        self._handle: IO[bytes] | None = None
        self._lock = filelock.FileLock(self.lock_path, timeout=0)

    def lock(self) -> None:
        """Take the output's lock now (entering the block takes it if it is not taken): a
        run takes it before its slow start, so that a second run is refused at once.

        Raises:
            OutputUnwritable: If the output cannot be written (its folder, a read-only file).
            PipelineError: If another run holds the lock.
        """
        if self._lock.is_locked:
            return
        problem = output_problem(self.path)
        if problem is not None:
            raise OutputUnwritable(str(self.path), problem)
        try:
            self._lock.acquire()
        except filelock.Timeout:
            raise PipelineError(f"{self.path}: another run is writing this output") from None
        except OSError as err:
            raise OutputUnwritable(
                str(self.path), f"cannot create the lock file ({err.strerror or err})"
            ) from None

    def unlock(self) -> None:
        """Release the output's lock (leaving the block releases it too)."""
        self._release_lock()

    def __enter__(self) -> CorpusWriter:
        self.lock()
        try:
            self._open_journal()
        except OSError as err:
            self._release_lock()
            raise OutputUnwritable(
                str(self.path), f"cannot write the journal ({err.strerror or err})"
            ) from None
        except BaseException:
            self._release_lock()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:  # not finished: keep what was written, for --resume
            self.sync()
            self._handle.close()
            self._handle = None
            if self._journal.exists() and self._journal.stat().st_size == 0:
                self._journal.unlink()
        self._release_lock()

    @property
    def journal(self) -> Path:
        """The journal file this run appends to."""
        return self._journal

    def write(self, record: Record) -> None:
        """Append one record (a complete line) to the journal."""
        self.write_line(str(record["id"]), encode_record(record))

    def write_line(self, record_id: str, line: bytes) -> None:
        """Append one record given as its line (:func:`encode_record`) and its id: what a
        worker process that encoded the record hands over."""
        assert self._handle is not None, "write() outside the with block or after finish()"
        self._handle.write(line)
        self.done.add(record_id)
        self.written += 1

    def sync(self) -> None:
        """Make everything written so far survive a kill (flush and fsync the journal)."""
        if self._handle is not None:
            self._handle.flush()
            os.fsync(self._handle.fileno())

    def finish(self) -> None:
        """Make the output: atomically, old records (when resuming) + this run's, no id twice."""
        assert self._handle is not None
        self.sync()
        self._handle.close()
        self._handle = None
        if not self._appending and self.fmt == "jsonl":
            os.replace(self._journal, self.path)
            return
        if self._appending and self._journal.stat().st_size == 0:
            self._journal.unlink()  # nothing new: the output stays as it is
            return
        records = self._all_records()
        if self.fmt == "jsonl":
            with atomic_writer(self.path) as out:
                for record in records:
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
        elif self.fmt == "csv":
            with atomic_writer(self.path) as out:
                write_csv(records, out, self.csv_layer)
        else:
            self._write_parquet(records)
        self._journal.unlink()

    # -- internals --------------------------------------------------------------------------

    def _release_lock(self) -> None:
        # The lock file is never removed: a run that opened it just before would otherwise
        # lock a file that no longer has the name, while a third run locks a new one.
        if self._lock.is_locked:
            self._lock.release(force=True)

    def _open_journal(self) -> None:
        if not self.resume:
            for journal in (self.fresh_journal, self.append_journal):
                with contextlib.suppress(FileNotFoundError):
                    journal.unlink()
            self._journal, self._appending = self.fresh_journal, False
        elif self.fresh_journal.exists():  # an unfinished run that will replace the output
            self._journal, self._appending = self.fresh_journal, False
        else:
            self._journal, self._appending = self.append_journal, True
            if self.path.exists():
                if self.fmt == "csv":
                    raise PipelineError(
                        f"{self.path}: a finished CSV output cannot be resumed (it holds one "
                        "layer of the records, not the records); write JSONL or Parquet to add "
                        "documents later"
                    )
                self._base_ids = set(read_ids(self.path, self.fmt))
        journal_ids = _repair_journal(self._journal) if self._journal.exists() else []
        self.done = self._base_ids | set(journal_ids)
        self.kept = len(self.done)
        self.kept_in_output = len(self._base_ids)
        self.kept_in_journal = self.kept - self.kept_in_output
        self._handle = self._journal.open("ab")

    def _all_records(self) -> Iterator[Record]:
        if self._appending and self.path.exists():
            yield from read_records(self.path, self.fmt)
        for record in read_records(self._journal, "jsonl"):
            if str(record["id"]) not in self._base_ids:
                yield record

    def _write_parquet(self, records: Iterable[Record]) -> None:
        import pyarrow.parquet as pq

        with atomic_writer(self.path, "wb") as out:
            writer = pq.ParquetWriter(out, record_arrow_schema())
            chunk: list[Record] = []
            for record in records:
                chunk.append(record)
                if len(chunk) == PARQUET_ROWS:
                    writer.write_table(records_to_table(chunk))
                    chunk = []
            if chunk:
                writer.write_table(records_to_table(chunk))
            writer.close()


def _repair_journal(journal: Path) -> list[str]:
    """Ids of the journal's complete records; anything after the last good line is cut off
    (a run killed while writing leaves at most one half-written line)."""
    ids: list[str] = []
    good = 0
    with journal.open("rb") as handle:
        for raw in handle:
            if not raw.endswith(b"\n"):
                break
            try:
                record: Any = json.loads(raw)
                ids.append(str(record["id"]))
            except (ValueError, KeyError, TypeError):
                break
            good += len(raw)
    if good < journal.stat().st_size:
        with journal.open("r+b") as handle:
            handle.truncate(good)
    return ids
