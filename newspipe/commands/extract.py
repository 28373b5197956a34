"""``newspipe extract``: run all stages over articles and write records (JSONL)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Annotated

import typer
from rich.console import Console

from newspipe.errors import EXIT_BAD_INPUT, fail, warn
from newspipe.options import CONFIG_HELP, build_nlp, config_overrides, split_overrides
from newspipe.render import print_records
from pipeline.extract import extract_records
from pipeline.inputs import InputProblem, read_documents
from pipeline.io import atomic_writer


class _NothingWritten(Exception):
    """Raised inside the atomic write to keep an existing output when nothing came out."""


def extract(
    ctx: typer.Context,
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="A .txt file (id = file stem), a directory of .txt files, a .jsonl file of "
            '{"id", "text", "target"?} records, or - for stdin.',
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write JSONL here (atomically).")
    ] = None,
    config: Annotated[Path | None, typer.Option("--config", "-c", help=CONFIG_HELP)] = None,
    target: Annotated[
        str | None, typer.Option(help="Stance target for documents that bring none.")
    ] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            help="jsonl, pretty, or auto (pretty on a terminal without -o, else jsonl).",
        ),
    ] = "auto",
) -> None:
    """Extract sentences, entities, quotes and stance from news articles.

    Dotted config overrides may follow, e.g. --components.sentences.factory
    newspipe_sentences_rules_v1. A bad document is reported on stderr and skipped; the exit
    code is then 2, and every other document is still written.
    """
    if output_format not in ("auto", "jsonl", "pretty"):
        fail(f"--format must be auto, jsonl or pretty, not '{output_format}'")
    if output is not None and output.parent and not output.parent.is_dir():
        fail(f"{output}: output directory does not exist")
    pretty = output_format == "pretty" or (
        output_format == "auto" and output is None and sys.stdout.isatty()
    )
    inputs, override_args = split_overrides([*inputs, *ctx.args])
    if not inputs:
        fail("no input given (a .txt file, a directory, a .jsonl file, or - for stdin)")
    nlp = build_nlp(config, config_overrides(override_args, target))
    problems = 0
    written = 0
    records = []

    def emit(line_sink: IO[str] | None) -> None:
        nonlocal problems, written
        for result in extract_records(nlp, read_documents(inputs), batch_size=nlp.batch_size):
            if isinstance(result, InputProblem):
                problems += 1
                warn(str(result))
            elif pretty:
                records.append(result)
            elif line_sink is not None:
                line_sink.write(json.dumps(result, ensure_ascii=False) + "\n")
                line_sink.flush()
                written += 1

    if output is not None:
        try:
            with atomic_writer(output) as handle:
                emit(handle)
                if not written:
                    raise _NothingWritten
        except _NothingWritten:
            warn(f"{output}: no document was extracted; the file was left as it was")
    else:
        emit(None if pretty else sys.stdout)
    if pretty:
        print_records(records, Console())
    if problems:
        raise typer.Exit(EXIT_BAD_INPUT)
