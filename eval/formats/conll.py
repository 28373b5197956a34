"""CoNLL-2003 export of gold records (entities only), for scoring on CoNLL's labels.

Each record is tokenized by ``spacy.blank("en")`` and written one token per line as
``token _ _ TAG`` (IOB2 tags), a blank line after each gold sentence, and a
``-DOCSTART- -X- -X- O`` line before each document. Entity labels are mapped with
``label_map`` (default: OntoNotes → CoNLL's PER / LOC / ORG / MISC, the numeric labels
dropped), so our gold can be scored like any CoNLL file with ``newspipe score --dataset
conll:FILE``. Whitespace tokens are left out; an entity that does not end on a token boundary
covers the tokens it touches.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import spacy

from newspipe.eval.scorers.entities import CONLL_LABELS
from newspipe.pipeline.files import atomic_writer
from newspipe.pipeline.records import Record

DOCSTART = "-DOCSTART- -X- -X- O"


def conll_lines(
    record: Record, label_map: Mapping[str, str | None] | None = CONLL_LABELS
) -> list[str]:
    """One document as CoNLL lines (its ``-DOCSTART-`` line first)."""
    nlp = spacy.blank("en")
    text = record["text"]
    doc = nlp.make_doc(text)
    tags = ["O"] * len(doc)
    for entity in record["entities"]:
        label = entity["label"] if label_map is None else label_map.get(entity["label"])
        span = doc.char_span(entity["start"], entity["end"], alignment_mode="expand")
        if label is None or span is None:
            continue
        for i in range(span.start, span.end):
            tags[i] = f"{'B' if i == span.start else 'I'}-{label}"
    starts = sorted({s["start"] for s in record.get("sentences") or []})
    lines = [DOCSTART, ""]
    boundary = 1
    for token in doc:
        if token.is_space:
            continue
        while boundary < len(starts) and token.idx >= starts[boundary]:
            if lines[-1] != "":
                lines.append("")
            boundary += 1
        lines.append(f"{token.text} _ _ {tags[token.i]}")
    if lines[-1] != "":
        lines.append("")
    return lines


def write_conll(
    records: Iterable[Record],
    path: str | Path,
    label_map: Mapping[str, str | None] | None = CONLL_LABELS,
) -> Path:
    """Write the records' entities as one CoNLL-2003 file, atomically."""
    lines = [line for record in records for line in conll_lines(record, label_map)]
    path = Path(path)
    with atomic_writer(path) as handle:
        handle.write("\n".join(lines) + "\n")
    return path
