"""Hand-built records for the source analysis tests (sentences we wrote ourselves): the
``make`` fixture gives :class:`Records` (``make.record(...)``, ``make.quote(...)``)."""

from __future__ import annotations

import re
from typing import Any

import pytest


def span(text: str, piece: str, occurrence: int = 1) -> dict[str, Any]:
    """``{start, end, text}`` of the ``occurrence``-th whole-word match of ``piece``."""
    matches = list(re.finditer(r"(?<!\w)" + re.escape(piece) + r"(?!\w)", text))
    match = matches[occurrence - 1]
    return {"start": match.start(), "end": match.end(), "text": piece}


def quote(
    text: str,
    content: str,
    speaker: str | None,
    name: str | None,
    kind: str = "indirect",
    stance: str | None = None,
    occurrence: int = 1,
) -> dict[str, Any]:
    """A quote record; ``speaker`` is the mention (its ``occurrence``-th match)."""
    return {
        "content": span(text, content),
        "cue": None,
        "speaker": None if speaker is None else span(text, speaker, occurrence),
        "speaker_name": name,
        "type": kind,
        "stance": stance,
    }


def record(
    doc_id: str,
    text: str,
    quotes: list[dict[str, Any]],
    entities: list[tuple[str, str]] = (),  # type: ignore[assignment]
    **fields: Any,
) -> dict[str, Any]:
    """A record with entities given as (text, label) at their first match, sentences split
    after each full stop."""
    sentences = []
    start = 0
    for match in re.finditer(r"[.!?][\"”]?(?:\s+|$)", text):
        end = match.start() + len(match.group(0).rstrip())
        sentences.append({"start": start, "end": end})
        start = match.end()
    seen: dict[str, int] = {}
    ents = []
    for piece, label in entities:
        seen[piece] = seen.get(piece, 0) + 1
        ents.append({**span(text, piece, seen[piece]), "label": label})
    return {
        "id": doc_id,
        "text": text,
        "target": fields.pop("target", None),
        "sentences": sentences,
        "entities": ents,
        "quotes": quotes,
        **fields,
    }


class Records:
    """The builders, as one fixture."""

    span = staticmethod(span)
    quote = staticmethod(quote)
    record = staticmethod(record)


@pytest.fixture
def make() -> Records:
    return Records()
