"""Records as CSV, one layer per file: a row per quote (the default), per entity or per sentence.

Spreadsheets are where much newsroom analysis happens, so a CSV output holds one layer of the
records as a flat table (:data:`COLUMNS`), one row per item, documents in input order and items
in text order. Quotes are numbered from 1 in text order within their document, as the article
view (``newspipe extract --format html``) numbers them. Offsets are character offsets into the
document text, end exclusive; an absent cue or speaker is an empty cell; the stance evidence is
its lines joined by `` | ``.

A cell that a spreadsheet would read as a formula (text starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) starts with an apostrophe, so that opening an article's
CSV runs nothing; the offsets still refer to the text without it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

from newspipe.pipeline.errors import UnknownChoice

CSV_LAYERS = ("quotes", "entities", "sentences")
COLUMNS: dict[str, tuple[str, ...]] = {
    "quotes": (
        "document_id",
        "quote_index",
        "type",
        "content",
        "cue",
        "speaker_mention",
        "canonical_speaker",
        "stance",
        "confidence",
        "content_start",
        "content_end",
        "cue_start",
        "cue_end",
        "speaker_start",
        "speaker_end",
        "stance_evidence",
    ),
    "entities": ("document_id", "entity_index", "label", "text", "start", "end"),
    "sentences": ("document_id", "sentence_index", "text", "start", "end"),
}
"""The columns of each layer, in order."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EVIDENCE_SEPARATOR = " | "


def check_layer(layer: str) -> str:
    """``layer`` if it is a CSV layer, else :class:`UnknownChoice`."""
    if layer not in CSV_LAYERS:
        raise UnknownChoice("the CSV layer", layer, CSV_LAYERS)
    return layer


def cell(value: Any) -> Any:
    """A value as a CSV cell: None is empty, text that looks like a formula is defused."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _span(span: Mapping[str, Any] | None) -> tuple[Any, Any, Any]:
    if span is None:
        return None, None, None
    return span.get("text"), span["start"], span["end"]


def layer_rows(record: Mapping[str, Any], layer: str) -> Iterator[dict[str, Any]]:
    """The rows of one record's ``layer`` (values not yet made cells)."""
    doc_id = record["id"]
    text = record["text"]
    if layer == "quotes":
        quotes = sorted(
            record["quotes"], key=lambda q: (q["content"]["start"], q["content"]["end"])
        )
        for n, quote in enumerate(quotes, 1):
            content, start, end = _span(quote["content"])
            cue, cue_start, cue_end = _span(quote.get("cue"))
            mention, speaker_start, speaker_end = _span(quote.get("speaker"))
            evidence = quote.get("stance_evidence")
            yield {
                "document_id": doc_id,
                "quote_index": n,
                "type": quote.get("type"),
                "content": content,
                "cue": cue,
                "speaker_mention": mention,
                "canonical_speaker": quote.get("speaker_name"),
                "stance": quote.get("stance"),
                "confidence": quote.get("confidence"),
                "content_start": start,
                "content_end": end,
                "cue_start": cue_start,
                "cue_end": cue_end,
                "speaker_start": speaker_start,
                "speaker_end": speaker_end,
                "stance_evidence": EVIDENCE_SEPARATOR.join(evidence) if evidence else None,
            }
    elif layer == "entities":
        entities = sorted(record["entities"], key=lambda e: (e["start"], e["end"]))
        for n, entity in enumerate(entities, 1):
            yield {
                "document_id": doc_id,
                "entity_index": n,
                "label": entity["label"],
                "text": entity.get("text", text[entity["start"] : entity["end"]]),
                "start": entity["start"],
                "end": entity["end"],
            }
    else:
        check_layer(layer)
        for n, sentence in enumerate(record["sentences"], 1):
            yield {
                "document_id": doc_id,
                "sentence_index": n,
                "text": text[sentence["start"] : sentence["end"]],
                "start": sentence["start"],
                "end": sentence["end"],
            }


def write_csv(records: Iterable[Mapping[str, Any]], handle: IO[str], layer: str = "quotes") -> int:
    """Write the header and every record's ``layer`` rows to ``handle`` (a text file opened
    with ``newline=""``). Returns the number of rows."""
    columns = COLUMNS[check_layer(layer)]
    writer = csv.DictWriter(handle, fieldnames=columns)
    writer.writeheader()
    rows = 0
    for record in records:
        for row in layer_rows(record, layer):
            writer.writerow({key: cell(value) for key, value in row.items()})
            rows += 1
    return rows
