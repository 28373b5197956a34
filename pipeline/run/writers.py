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
started by a resumed run (``.OUT.resume-part``) is added to the output. A lock file
(``.OUT.lock``) keeps two runs from writing the same output at once.

Parquet output holds the record contract as Arrow columns
(:func:`newspipe.pipeline.records.record_arrow_schema`): spans are structs ``{start, end,
text}``, sentences/entities/quotes lists of structs.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from newspipe.pipeline.errors import PipelineError, UnknownChoice
from newspipe.pipeline.files import atomic_writer
from newspipe.pipeline.records import Record, record_arrow_schema

if TYPE_CHECKING:
    import pyarrow as pa

FORMATS = ("jsonl", "parquet")
PARQUET_ROWS = 1000
"""Records per Parquet row group (and per chunk when converting the journal)."""


def output_format(path: Path | None, explicit: str | None = None) -> str:
    """``jsonl`` or ``parquet``: ``explicit`` if given, else from the suffix of ``path``."""
    if explicit:
        if explicit not in FORMATS:
            raise UnknownChoice("the output format", explicit, FORMATS)
        return explicit
    if path is not None and path.suffix.lower() == ".parquet":
        return "parquet"
    return "jsonl"


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


def read_records(path: Path, fmt: str) -> Iterator[Record]:
    """The records of an output file, in order."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            parquet = pq.ParquetFile(path)
        except Exception as err:
            raise PipelineError(f"{path}: not a readable Parquet file ({err})") from None
        for batch in parquet.iter_batches(batch_size=PARQUET_ROWS):
            yield from batch.to_pylist()
        return
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if line.strip():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    raise PipelineError(f"{path}:{n}: not a JSONL record") from None
                yield record


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

    def __init__(self, path: Path, fmt: str = "jsonl", resume: bool = False) -> None:
        self.path = Path(path)
        self.fmt = output_format(self.path, fmt)
        self.resume = resume
        directory = self.path.parent
        self.fresh_journal = directory / f".{self.path.name}.part"
        self.append_journal = directory / f".{self.path.name}.resume-part"
        self.lock_path = directory / f".{self.path.name}.lock"
        self.done: set[str] = set()
        """Ids already written: by earlier runs (when resuming) and by this one."""
        self.kept = 0
        """Records carried over from earlier runs."""
        self.written = 0
        """Records written by this run."""
        self._base_ids: set[str] = set()
        self._journal: Path = self.fresh_journal
        self._appending = False
        self._handle: IO[bytes] | None = None
        self._lock: IO[bytes] | None = None

    def __enter__(self) -> CorpusWriter:
        self._take_lock()
        try:
            self._open_journal()
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
        assert self._handle is not None, "write() outside the with block or after finish()"
        line = json.dumps(record, ensure_ascii=False) + "\n"
        self._handle.write(line.encode("utf-8"))
        self.done.add(str(record["id"]))
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
        else:
            self._write_parquet(records)
        self._journal.unlink()

    # -- internals --------------------------------------------------------------------------

    def _take_lock(self) -> None:
        handle = self.lock_path.open("ab")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise PipelineError(f"{self.path}: another run is writing this output") from None
        self._lock = handle

    def _release_lock(self) -> None:
        if self._lock is not None:
            with contextlib.suppress(FileNotFoundError):
                self.lock_path.unlink()
            self._lock.close()
            self._lock = None

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
                self._base_ids = set(read_ids(self.path, self.fmt))
        journal_ids = _repair_journal(self._journal) if self._journal.exists() else []
        self.done = self._base_ids | set(journal_ids)
        self.kept = len(self.done)
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
