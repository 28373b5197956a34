"""The record: newspipe's JSON contract for one document, and the only code that knows it.

A record holds the document's id, text and stance target, and its sentences, entities and
quotes as character offsets into ``text`` (end exclusive)::

    {"id": str, "text": str, "target": str | None,
     "sentences": [{"start": int, "end": int}],
     "entities": [{"start": int, "end": int, "label": str, "text": str}],
     "quotes": [{"content": {"start", "end", "text"}, "cue": {...} | None,
                 "speaker": {...} | None, "speaker_name": str | None,
                 "type": "direct" | "indirect" | "mixed",
                 "stance": "FAVOR" | "AGAINST" | "NONE" | None}]}

The JSON Schema is ``schema/record.schema.json``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span

from newspipe.pipeline.extensions import QUOTES_KEY

SCHEMA_PATH = Path(__file__).parent / "schema" / "record.schema.json"

Record = dict[str, Any]


def span_record(span: Span | None) -> dict[str, Any] | None:
    """``{"start", "end", "text"}`` of a span in character offsets, whitespace trimmed."""
    if span is None:
        return None
    text = span.text  # built from the span's own tokens: cost grows with the span, not the doc
    stripped = text.strip()
    if not stripped:
        return None
    start = span.start_char + (len(text) - len(text.lstrip()))
    return {"start": start, "end": start + len(stripped), "text": stripped}


def sentence_records(doc: Doc) -> list[dict[str, int]]:
    """Sentence offsets, whitespace trimmed; whitespace-only sentences are dropped."""
    if not doc.has_annotation("SENT_START"):
        return []
    sentences = []
    for sent in doc.sents:
        span = span_record(sent)
        if span is not None:
            sentences.append({"start": span["start"], "end": span["end"]})
    return sentences


def quote_record(quote: Span) -> dict[str, Any]:
    """One quote of ``doc.spans["quotes"]`` as a record."""
    return {
        "content": span_record(quote),
        "cue": span_record(quote._.cue),
        "speaker": span_record(quote._.speaker),
        "speaker_name": quote._.speaker_name,
        "type": quote._.quote_type,
        "stance": quote._.stance,
        "stance_evidence": quote._.stance_evidence,  # optional extra: what decided the stance
    }


def doc_to_record(doc: Doc, doc_id: str) -> Record:
    """Everything the stages wrote on ``doc``, as a record."""
    quotes = doc.spans.get(QUOTES_KEY, [])
    records = [quote_record(q) for q in quotes]
    return {
        "id": doc_id,
        "text": doc.text,
        "target": doc._.target if Doc.has_extension("target") else None,
        "sentences": sentence_records(doc),
        "entities": [
            {**span, "label": ent.label_}
            for ent in doc.ents
            if (span := span_record(ent)) is not None
        ],
        "quotes": [q for q in records if q["content"] is not None],
    }


@lru_cache(maxsize=1)
def record_schema() -> dict[str, Any]:
    """The JSON Schema of a record."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def record_problems(record: Record) -> list[str]:
    """Everything wrong with ``record``: schema violations and offsets that do not match text."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(record_schema())
    problems = [
        f"{'/'.join(map(str, e.absolute_path)) or '(record)'}: {e.message}"
        for e in validator.iter_errors(record)
    ]
    if problems:
        return problems
    text = record["text"]
    spans: list[tuple[str, dict[str, Any]]] = [
        (f"sentences/{i}", s) for i, s in enumerate(record["sentences"])
    ]
    spans += [(f"entities/{i}", e) for i, e in enumerate(record["entities"])]
    for i, quote in enumerate(record["quotes"]):
        for part in ("content", "cue", "speaker"):
            if quote[part] is not None:
                spans.append((f"quotes/{i}/{part}", quote[part]))
    for where, span in spans:
        if not 0 <= span["start"] < span["end"] <= len(text):
            problems.append(f"{where}: offsets {span['start']}–{span['end']} outside the text")
        elif "text" in span and text[span["start"] : span["end"]] != span["text"]:
            problems.append(f"{where}: text does not match offsets")
    return problems
