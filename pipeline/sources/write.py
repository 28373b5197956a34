"""Tables out: the source table as CSV (one row per source), JSONL (one JSON object per
source, with every count and the evidence) or JSON (sources, share of voice, merge decisions
and settings in one object). Every file is written atomically."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from newspipe.pipeline.errors import UnknownChoice
from newspipe.pipeline.files import atomic_writer
from newspipe.pipeline.sources.table import CSV_COLUMNS, SourceTable, csv_row

TABLE_FORMATS = ("csv", "jsonl", "json")


def table_format(path: Path) -> str:
    """``csv``, ``jsonl`` or ``json`` from a file name's suffix."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in TABLE_FORMATS:
        raise UnknownChoice("the sources output", suffix or path.name, TABLE_FORMATS)
    return suffix


def write_table(table: SourceTable, path: Path, extra: dict[str, object] | None = None) -> None:
    """Write ``table`` to ``path`` in the format of its suffix (atomically); ``extra`` adds
    top-level keys to JSON output (an evaluation, say)."""
    fmt = table_format(path)
    with atomic_writer(path) as handle:
        if fmt == "csv":
            grouped = table.settings.get("by") is not None
            columns = (("group",) if grouped else ()) + CSV_COLUMNS
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            for row in table.rows:
                writer.writerow(csv_row(row))
        elif fmt == "jsonl":
            for row in table.rows:
                handle.write(json.dumps(row.to_json(), ensure_ascii=False) + "\n")
        else:
            data = table.to_json() | (extra or {})
            handle.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
