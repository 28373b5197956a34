"""Reading documents: text files, directories of them, JSONL records, stdin, and corpora.

Reading is lazy (one document at a time) and never raises for a bad document: it yields an
:class:`~newspipe.pipeline.run.documents.InputProblem` naming the input and the problem, and
goes on with the next one. Corpora in CSV or Parquet files, a dataset saved with ``datasets``'
``save_to_disk``, or a Hugging Face hub dataset (``hf:NAME``) are read through ``datasets``
(:mod:`newspipe.pipeline.run.tables`), in batches, so memory does not grow with the corpus.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from newspipe.pipeline.files import (
    MAX_TEXT_BYTES,
    open_regular,
    read_bounded,
    read_line_bounded,
    too_large,
)
from newspipe.pipeline.run.documents import (
    DEFAULT_FIELDS,
    Document,
    Fields,
    InputProblem,
    Item,
    decode_text,
    parse_record,
)
from newspipe.pipeline.run.tables import (
    HUB_PREFIX,
    is_saved_dataset,
    read_hub_dataset,
    read_saved_dataset,
    read_table_file,
    saved_dataset_rows,
)

CORPUS_SUFFIXES = (".csv", ".parquet")
"""Files read as tables (through ``datasets``)."""


def read_text_file(path: Path) -> Item:
    """A ``.txt`` file as one document whose id is the file's stem (a regular file of at most
    :data:`~newspipe.pipeline.files.MAX_TEXT_BYTES`)."""
    try:
        data = read_bounded(path, MAX_TEXT_BYTES)
    except OSError as err:
        return InputProblem(str(path), f"cannot read ({err.strerror or err})", path.stem)
    text = decode_text(data, str(path))
    if isinstance(text, InputProblem):
        return InputProblem(text.source, text.message, path.stem)
    return Document(id=path.stem, text=text, source=str(path))


def read_jsonl(lines: Iterable[str], name: str, fields: Fields = DEFAULT_FIELDS) -> Iterator[Item]:
    """Documents from JSONL lines; a bad line is a problem, not the end of the file."""
    for n, line in enumerate(lines, 1):
        if line.strip():
            yield parse_record(line, f"{name}:{n}", f"{Path(name).stem}-{n}", fields)


def _read_jsonl_file(path: Path, fields: Fields) -> Iterator[Item]:
    """Records of a JSONL file, line by line: a regular file, each line at most
    :data:`~newspipe.pipeline.files.MAX_TEXT_BYTES` (a longer one is a problem, skipped)."""
    try:
        with open_regular(path) as handle:
            n = 0
            while (raw := read_line_bounded(handle, MAX_TEXT_BYTES)) != b"":
                n += 1
                source = f"{path}:{n}"
                if raw is None:
                    yield InputProblem(source, f"line {too_large(MAX_TEXT_BYTES)}")
                    continue
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
    for item in _each_input_gives_something(inputs, stdin, fields, split):
        if isinstance(item, Document):
            if item.id in seen:
                yield InputProblem(item.source, f"duplicate document id '{item.id}'", item.id)
                continue
            seen.add(item.id)
        yield item


def _each_input_gives_something(
    inputs: Iterable[str], stdin: TextIO | None, fields: Fields, split: str | None
) -> Iterator[Item]:
    """The items of every input; an input that gives none at all (an empty ``.jsonl``, a
    table without rows) is a problem, as an empty text or stdin is."""
    for name in inputs:
        given = False
        for item in _read_one(name, stdin, fields, split):
            given = True
            yield item
        if not given:
            yield InputProblem("<stdin>" if name == "-" else name, "no documents (empty input)")


def _read_one(name: str, stdin: TextIO | None, fields: Fields, split: str | None) -> Iterator[Item]:
    if name == "-":
        yield from _read_stdin(stdin if stdin is not None else sys.stdin, fields)
        return
    if name.startswith(HUB_PREFIX):
        yield from read_hub_dataset(name[len(HUB_PREFIX) :], fields, split)
        return
    path = Path(name)
    if not path.exists():
        yield InputProblem(name, "no such file or directory")
    elif path.is_dir():
        if is_saved_dataset(path):
            yield from read_saved_dataset(path, fields, split)
            return
        files = sorted(p for p in path.glob("*.txt") if p.is_file())
        if not files:
            yield InputProblem(name, "directory holds no .txt files")
        for file in files:
            yield read_text_file(file)
    elif path.suffix.lower() == ".jsonl":
        yield from _read_jsonl_file(path, fields)
    elif path.suffix.lower() in CORPUS_SUFFIXES:
        yield from read_table_file(path, fields)
    else:
        yield read_text_file(path)


def _read_stdin(stream: TextIO, fields: Fields) -> Iterator[Item]:
    """Standard input, read whole (at most :data:`~newspipe.pipeline.files.MAX_TEXT_BYTES`;
    a larger corpus is read from a file, line by line)."""
    limit = MAX_TEXT_BYTES
    try:
        if hasattr(stream, "buffer"):
            data = stream.buffer.read(limit + 1)
        else:
            data = stream.read(limit + 1).encode("utf-8", "surrogateescape")
    except (OSError, UnicodeError) as err:  # UnicodeError: a lone surrogate in a text stream
        yield InputProblem("<stdin>", f"cannot read ({err})")
        return
    if len(data) > limit:
        yield InputProblem("<stdin>", f"{too_large(limit)}; give a larger corpus as a file")
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


def count_documents(
    inputs: Iterable[str], split: str | None = None, fields: Fields = DEFAULT_FIELDS
) -> int | None:
    """How many documents (and problems) reading ``inputs`` will give, when that is cheap to
    know — Parquet metadata, a saved dataset's length, lines of JSONL, number of ``.txt``
    files; ``None`` when it is not (CSV, stdin, the hub). Used for a progress bar's ETA."""
    total = 0
    for name in inputs:
        path = Path(name)
        if name == "-" or name.startswith(HUB_PREFIX) or not path.exists():
            return None
        if not path.is_dir() and not path.is_file():  # a device or a FIFO: never read twice
            return None
        try:
            if path.is_dir():
                if is_saved_dataset(path):
                    total += saved_dataset_rows(path, split)
                else:
                    total += sum(1 for p in path.glob("*.txt") if p.is_file()) or 1
            elif path.suffix.lower() == ".parquet":
                import pyarrow.parquet as pq

                total += pq.ParquetFile(path).metadata.num_rows
            elif path.suffix.lower() == ".jsonl":
                total += _count_nonblank_lines(path)
            elif path.suffix.lower() in CORPUS_SUFFIXES:
                return None
            else:
                total += 1
        except Exception:
            return None
    return total


def _count_nonblank_lines(path: Path) -> int:
    count = 0
    with open_regular(path) as handle:
        while (line := read_line_bounded(handle, MAX_TEXT_BYTES)) != b"":
            count += line is None or bool(line.strip())
    return count
