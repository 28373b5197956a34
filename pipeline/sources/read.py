"""Records in: the output of ``newspipe extract`` (JSONL or Parquet files, or directories of
them), and tables of document fields (``--meta``: JSONL, CSV or Parquet keyed by id).

A reader never raises for a bad record: it yields a :class:`RecordProblem` naming the file,
line and problem, and goes on. A record is checked only for what the source analysis reads
(id, text, quotes with their types, spans and names; entities and sentences when present), so
that a bad record is reported in one line instead of failing deep inside the analysis.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.files import (
    MAX_TEXT_BYTES,
    FileRefused,
    open_regular,
    read_bounded,
    read_line_bounded,
    too_large,
)
from newspipe.pipeline.sources.documents import QUOTE_TYPES

RECORD_SUFFIXES = (".jsonl", ".parquet")
META_SUFFIXES = (".jsonl", ".csv", ".parquet")
PARQUET_ROWS = 1000


@dataclass(frozen=True)
class RecordProblem:
    """A record that was skipped, and why."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


def record_files(paths: Sequence[Path]) -> list[Path]:
    """The record files named: files as given, directories by their ``.jsonl`` and
    ``.parquet`` files (sorted). A missing path or a directory without records is an error."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in RECORD_SUFFIXES)
            if not found:
                raise PipelineError(f"{path}: directory holds no .jsonl or .parquet records")
            files += found
        elif path.exists():  # a file, or something else that reading refuses in one line
            if path.suffix.lower() not in RECORD_SUFFIXES:
                raise PipelineError(f"{path}: records must be .jsonl or .parquet (extract output)")
            files.append(path)
        else:
            raise PipelineError(f"{path}: no such file or directory")
    return files


def _span_problem(span: Any, text: str, where: str) -> str | None:
    if not isinstance(span, Mapping):
        return f"{where} is not a span"
    start, end = span.get("start"), span.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
        return f"{where} has offsets outside the text"
    return None


def _unencodable(record: Mapping[str, Any]) -> str | None:
    """The first field written out (id, text, target, speaker names) that cannot be UTF-8."""
    fields = [("id", record.get("id")), ("text", record.get("text"))]
    fields.append(("target", record.get("target")))
    for i, quote in enumerate(record.get("quotes") or []):
        if isinstance(quote, Mapping):
            fields.append((f"quotes[{i}].speaker_name", quote.get("speaker_name")))
    for name, value in fields:
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return name
    return None


def record_problem(record: Any) -> str | None:
    """What makes ``record`` unreadable for the source analysis, or None."""
    if not isinstance(record, Mapping):
        return "not a JSON object"
    doc_id = record.get("id")
    if not isinstance(doc_id, str | int) or str(doc_id) == "":
        return "no id"
    text = record.get("text")
    if not isinstance(text, str):
        return f"id {doc_id}: no text"
    if (bad := _unencodable(record)) is not None:
        return f"id {doc_id!r}: {bad} holds a lone surrogate (not text)"
    quotes = record.get("quotes")
    if not isinstance(quotes, list):
        return f"id {doc_id}: no quotes list (is this extract output?)"
    for i, quote in enumerate(quotes):
        where = f"id {doc_id}: quotes[{i}]"
        if not isinstance(quote, Mapping):
            return f"{where} is not an object"
        if quote.get("type") not in QUOTE_TYPES:
            return f"{where}.type must be direct, indirect or mixed"
        if (problem := _span_problem(quote.get("content"), text, f"{where}.content")) is not None:
            return problem
        speaker = quote.get("speaker")
        if (
            speaker is not None
            and (problem := _span_problem(speaker, text, f"{where}.speaker")) is not None
        ):
            return problem
        if not isinstance(quote.get("speaker_name"), str | None):
            return f"{where}.speaker_name must be a string or null"
        confidence = quote.get("confidence")
        if confidence is not None and (
            isinstance(confidence, bool)
            or not isinstance(confidence, int | float)
            or not 0 <= confidence <= 1
        ):
            return f"{where}.confidence must be a number from 0 to 1"
    for layer in ("entities", "sentences"):
        items = record.get(layer)
        if items is None:
            continue
        if not isinstance(items, list):
            return f"id {doc_id}: {layer} must be a list"
        for i, item in enumerate(items):
            if (problem := _span_problem(item, text, f"id {doc_id}: {layer}[{i}]")) is not None:
                return problem
            if layer == "entities" and not isinstance(item.get("label"), str):
                return f"id {doc_id}: entities[{i}] has no label"
    return None


def _rows(path: Path) -> Iterator[tuple[str, Any]]:
    """(where, row) of a JSONL or Parquet file; a malformed or overlong JSON line gives
    (where, RecordProblem). Only regular files are read, and no line beyond
    :data:`~newspipe.pipeline.files.MAX_TEXT_BYTES`."""
    try:
        handle = open_regular(path)
    except FileRefused as err:
        raise PipelineError(f"{path}: {err.strerror}") from None
    except OSError as err:
        raise PipelineError(f"{path}: cannot be read ({err.strerror})") from None
    with handle:
        if path.suffix.lower() == ".parquet":
            import pyarrow.parquet as pq

            try:
                table = pq.ParquetFile(handle)
            except Exception as err:
                raise PipelineError(f"{path}: not a readable Parquet file ({err})") from None
            row = 0
            for batch in table.iter_batches(batch_size=PARQUET_ROWS):
                for item in batch.to_pylist():
                    row += 1
                    yield f"{path}:row {row}", item
            return
        n = 0
        while True:
            raw = read_line_bounded(handle)
            n += 1
            where = f"{path}:{n}"
            if raw == b"":
                return
            if raw is None:
                yield where, RecordProblem(where, f"line {too_large(MAX_TEXT_BYTES)}")
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                yield where, RecordProblem(where, "not UTF-8 text")
                continue
            if not line.strip():
                continue
            try:
                yield where, json.loads(line)
            except json.JSONDecodeError as err:
                problem = f"malformed JSON ({err.msg} at column {err.colno})"
                yield where, RecordProblem(where, problem)


def read_records(paths: Sequence[Path]) -> Iterator[dict[str, Any] | RecordProblem]:
    """Every record of the files named (see :func:`record_files`), in order; a bad record or
    a repeated id is a :class:`RecordProblem` and is skipped."""
    seen: set[str] = set()
    for path in record_files(paths):
        for where, row in _rows(path):
            if isinstance(row, RecordProblem):
                yield row
                continue
            problem = record_problem(row)
            if problem is not None:
                yield RecordProblem(where, problem)
                continue
            doc_id = str(row["id"])
            if doc_id in seen:
                yield RecordProblem(where, f"id {doc_id} was read before; skipped")
                continue
            seen.add(doc_id)
            yield row


def read_meta(path: Path, id_field: str = "id") -> dict[str, dict[str, Any]]:
    """Fields per document id from a JSONL, CSV or Parquet table (the corpus given to
    ``extract``, say); the text column, if any, is not kept."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise PipelineError(f"{path}: no such file")
    if suffix not in META_SUFFIXES:
        raise PipelineError(f"{path}: document fields must be .jsonl, .csv or .parquet")
    meta: dict[str, dict[str, Any]] = {}

    def keep(row: Any, where: str) -> None:
        if not isinstance(row, Mapping) or row.get(id_field) in (None, ""):
            raise PipelineError(f"{where}: no '{id_field}' field")
        meta[str(row[id_field])] = {k: v for k, v in row.items() if k != "text"}

    if suffix == ".csv":
        try:
            text = read_bounded(path).decode("utf-8")
        except FileRefused as err:
            raise PipelineError(f"{path}: {err.strerror}") from None
        except UnicodeDecodeError:
            raise PipelineError(f"{path}: not UTF-8 text") from None
        except OSError as err:
            raise PipelineError(f"{path}: cannot be read ({err.strerror})") from None
        for n, row in enumerate(csv.DictReader(io.StringIO(text, newline="")), 2):
            keep(row, f"{path}:{n}")
        return meta
    for where, row in _rows(path):
        if isinstance(row, RecordProblem):
            raise PipelineError(str(row))
        keep(row, where)
    return meta
