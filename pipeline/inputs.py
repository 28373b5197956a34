"""Reading documents: text files, directories of them, JSONL records, stdin, and corpora.

Reading is lazy (one document at a time) and never raises for a bad document: it yields an
:class:`InputProblem` naming the input and the problem, and goes on with the next one.
Corpora in CSV or Parquet files, a dataset saved with ``datasets``' ``save_to_disk``, or a
Hugging Face hub dataset (``hf:NAME``) are read through ``datasets``
(:mod:`newspipe.pipeline.corpus`), in batches, so memory does not grow with the corpus.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO


@dataclass(frozen=True)
class Document:
    """One document to extract from."""

    id: str
    text: str
    target: str | None = None
    source: str = ""


@dataclass(frozen=True)
class InputProblem:
    """A document or input that could not be read (or processed), and why.

    ``id`` is the document's id when it is known (a document that failed in a stage).
    """

    source: str
    message: str
    id: str | None = None

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


Item = Document | InputProblem


@dataclass(frozen=True)
class Fields:
    """Which record field (or table column) holds a document's text, id and stance target."""

    text: str = "text"
    id: str = "id"
    target: str = "target"


DEFAULT_FIELDS = Fields()
CORPUS_SUFFIXES = (".csv", ".parquet")
HUB_PREFIX = "hf:"


def decode_text(data: bytes, source: str) -> str | InputProblem:
    """UTF-8 text of ``data``, or the problem with it (binary, not UTF-8, empty)."""
    if b"\x00" in data:
        return InputProblem(source, "binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return InputProblem(source, f"not UTF-8 text (invalid byte at offset {err.start})")
    if not text.strip():
        return InputProblem(source, "empty text")
    return text


def read_text_file(path: Path) -> Item:
    """A ``.txt`` file as one document whose id is the file's stem."""
    try:
        data = path.read_bytes()
    except OSError as err:
        return InputProblem(str(path), f"cannot read ({err.strerror or err})")
    text = decode_text(data, str(path))
    if isinstance(text, InputProblem):
        return text
    return Document(id=path.stem, text=text, source=str(path))


def parse_record(line: str, source: str, default_id: str, fields: Fields = DEFAULT_FIELDS) -> Item:
    """One JSONL line ``{"id", "text", "target"?}`` as a document."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        return InputProblem(source, f"malformed JSON ({err.msg} at column {err.colno})")
    if not isinstance(record, dict):
        return InputProblem(source, "a record must be a JSON object")
    return record_to_item(record, source, default_id, fields)


def record_to_item(
    record: Mapping[str, Any], source: str, default_id: str, fields: Fields = DEFAULT_FIELDS
) -> Item:
    """A record (a JSON object or a table row) as a document, or the problem with it."""
    text = record.get(fields.text)
    if not isinstance(text, str):
        return InputProblem(source, f"record has no '{fields.text}' string")
    if not text.strip():
        return InputProblem(source, "empty text")
    doc_id = record.get(fields.id)
    if doc_id is None or doc_id == "":
        doc_id = default_id
    target = record.get(fields.target)
    if target is not None and not isinstance(target, str):
        return InputProblem(source, f"'{fields.target}' must be a string or null")
    return Document(id=str(doc_id), text=text, target=target, source=source)


def read_jsonl(lines: Iterable[str], name: str, fields: Fields = DEFAULT_FIELDS) -> Iterator[Item]:
    """Documents from JSONL lines; a bad line is a problem, not the end of the file."""
    for n, line in enumerate(lines, 1):
        if line.strip():
            yield parse_record(line, f"{name}:{n}", f"{Path(name).stem}-{n}", fields)


def _read_jsonl_file(path: Path, fields: Fields) -> Iterator[Item]:
    try:
        with path.open("rb") as handle:
            for n, raw in enumerate(handle, 1):
                source = f"{path}:{n}"
                if not raw.strip():
                    continue
                try:
                    line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
                except UnicodeDecodeError:
                    yield InputProblem(source, "not UTF-8 text")
                    continue
                yield parse_record(line, source, f"{path.stem}-{n}", fields)
    except OSError as err:
        yield InputProblem(str(path), f"cannot read ({err.strerror or err})")


def read_documents(
    inputs: Iterable[str],
    stdin: TextIO | None = None,
    *,
    fields: Fields = DEFAULT_FIELDS,
    split: str | None = None,
) -> Iterator[Item]:
    """Documents from each input: a ``.txt`` file, a directory of them, a ``.jsonl`` file,
    ``-`` for standard input (JSONL when every line is a JSON object, else one text), a
    ``.csv`` or ``.parquet`` file, a dataset directory saved by ``datasets``, or ``hf:NAME``
    for a hub dataset. ``fields`` names the text, id and target fields of records and tables;
    ``split`` picks the split of a saved dataset dictionary or a hub dataset."""
    seen: set[str] = set()
    for item in _read_all(inputs, stdin, fields, split):
        if isinstance(item, Document):
            if item.id in seen:
                yield InputProblem(item.source, f"duplicate document id '{item.id}'", item.id)
                continue
            seen.add(item.id)
        yield item


def _read_all(
    inputs: Iterable[str], stdin: TextIO | None, fields: Fields, split: str | None
) -> Iterator[Item]:
    for name in inputs:
        if name == "-":
            yield from _read_stdin(stdin if stdin is not None else sys.stdin, fields)
            continue
        if name.startswith(HUB_PREFIX):
            from newspipe.pipeline.corpus import read_hub_dataset

            yield from read_hub_dataset(name[len(HUB_PREFIX) :], fields, split)
            continue
        path = Path(name)
        if not path.exists():
            yield InputProblem(name, "no such file or directory")
        elif path.is_dir():
            from newspipe.pipeline.corpus import is_saved_dataset, read_saved_dataset

            if is_saved_dataset(path):
                yield from read_saved_dataset(path, fields, split)
                continue
            files = sorted(p for p in path.glob("*.txt") if p.is_file())
            if not files:
                yield InputProblem(name, "directory holds no .txt files")
            for file in files:
                yield read_text_file(file)
        elif path.suffix.lower() == ".jsonl":
            yield from _read_jsonl_file(path, fields)
        elif path.suffix.lower() in CORPUS_SUFFIXES:
            from newspipe.pipeline.corpus import read_table_file

            yield from read_table_file(path, fields)
        else:
            yield read_text_file(path)


def _read_stdin(stream: TextIO, fields: Fields) -> Iterator[Item]:
    try:
        data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read().encode()
    except (OSError, UnicodeDecodeError) as err:
        yield InputProblem("<stdin>", f"cannot read ({err})")
        return
    text = decode_text(data, "<stdin>")
    if isinstance(text, InputProblem):
        yield text
        return
    lines = [line for line in text.splitlines() if line.strip()]
    if lines and all(line.lstrip().startswith("{") for line in lines):
        yield from read_jsonl(text.splitlines(), "<stdin>", fields)
    else:
        yield Document(id="stdin", text=text, source="<stdin>")
