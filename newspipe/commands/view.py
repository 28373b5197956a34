"""``newspipe view``: saved records as pages to look at — one HTML page per document and an
index with the document list and the speakers of all documents."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from newspipe.errors import EXIT_BAD_INPUT, fail, warn
from newspipe.pipeline.records import Record, record_problems

READABLE = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}


def view(
    records: Annotated[
        list[Path],
        typer.Argument(
            help="Records written by newspipe extract (or any tool): .jsonl or .parquet files.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="The folder to write index.html and one page per document to."
        ),
    ],
    title: Annotated[str, typer.Option(help="The title of the index page.")] = "newspipe view",
) -> None:
    """Write one self-contained HTML page per record and an index.html to a folder.

    Each page shows the text with its quotes (coloured by stance, with speaker, cue and the
    stance evidence on hover) and its entities (displaCy), a quote table and a speaker table.
    A record that is not in the record contract is reported and skipped (exit code 2).
    """
    for path in records:
        if path.suffix.lower() not in READABLE:
            known = ", ".join(READABLE)
            fail(f"{path}: records are read from {known} files, not '{path.suffix or path.name}'")
        if not path.is_file():
            fail(f"{path}: no such file")
    if output.exists() and not output.is_dir():
        fail(f"{output}: exists and is not a folder")
    if not output.absolute().parent.is_dir():
        fail(f"{output}: parent folder does not exist")
    problems = 0

    def counted(items: Iterator[Record | str]) -> Iterator[Record]:
        nonlocal problems
        for item in items:
            if isinstance(item, str):
                problems += 1
                warn(item)
            else:
                yield item

    good = counted(itertools.chain.from_iterable(_read(path) for path in records))
    first = next(good, None)
    if first is None:
        fail("no valid record to show")
    from newspipe.eval.report.article import write_view

    pages = write_view(itertools.chain([first], good), output, title=title)
    print(f"wrote {pages} page(s) and index.html to {output}")
    if problems:
        raise typer.Exit(EXIT_BAD_INPUT)


def _read(path: Path) -> Iterator[Record | str]:
    """The records of a file in order, or a problem line (``path:line: what``) for each bad
    one."""
    if READABLE[path.suffix.lower()] == "parquet":
        yield from _read_parquet(path)
        return
    try:
        handle = path.open(encoding="utf-8")
    except OSError as err:
        yield f"{path}: cannot read ({err.strerror or err})"
        return
    with handle:
        try:
            for n, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record: Any = json.loads(line)
                except json.JSONDecodeError as err:
                    yield f"{path}:{n}: malformed JSON ({err.msg})"
                    continue
                yield _checked(record, f"{path}:{n}")
        except UnicodeDecodeError as err:
            yield f"{path}: not UTF-8 (invalid byte at offset {err.start})"


def _read_parquet(path: Path) -> Iterator[Record | str]:
    from newspipe.pipeline.errors import PipelineError
    from newspipe.pipeline.run.writers import read_records

    try:
        for n, record in enumerate(read_records(path, "parquet"), 1):
            yield _checked(record, f"{path}:row {n}")
    except PipelineError as err:
        yield str(err)


def _checked(record: Any, where: str) -> Record | str:
    issues = record_problems(record) if isinstance(record, dict) else ["not a JSON object"]
    if issues:
        return f"{where}: {issues[0]}"
    return record
