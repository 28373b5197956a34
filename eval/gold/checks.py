"""Checks on resolved gold layers (offsets, overlaps, labels, types, stance, the speakers
layer), on records made elsewhere, and the layer counts of a record."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from newspipe.eval.gold.spec import (
    _QUOTE_PARTS,
    _SPEAKER_KEYS,
    FRAGMENT_MARKS,
    QUOTE_MARKS,
    SPEAKER_GENDERS,
    SPEAKER_KINDS,
    _describe,
    _short,
)
from newspipe.pipeline.stages import ENTITY_LABELS, QUOTE_TYPES, STANCE_LABELS

_OPENING_APOSTROPHE = re.compile(r"(?:^|[\s(\[])'\w")
"""A straight single quote that opens a quotation (`called him 'the anti-christ'`), not an
apostrophe inside or at the end of a word."""


def _has_fragment_mark(piece: str) -> bool:
    """Whether ``piece`` holds a quotation mark of a quoted fragment (for ``mixed`` quotes)."""
    return any(mark in piece for mark in FRAGMENT_MARKS) or bool(_OPENING_APOSTROPHE.search(piece))


def _label(where: str, span: Mapping[str, Any]) -> str:
    return where if '"' in where else f'{where} "{_short(span["text"])}"'


def check_layers(
    text: str,
    target: str | None,
    sentences: Sequence[tuple[str, Mapping[str, Any]]],
    entities: Sequence[tuple[str, Mapping[str, Any]]],
    quotes: Sequence[tuple[str, Mapping[str, Any]]],
    complete: bool = True,
) -> list[str]:
    """Problems of resolved layers, each entry given with the name to report it under.

    Checks that spans lie in the text without whitespace at their edges, that sentences
    neither overlap nor leave text out, that entities have OntoNotes labels, lie inside one
    sentence and do not overlap, and that quotes have valid types and stance values, parts
    that do not overlap, and contents that are neither duplicated nor crossing.

    Args:
        text: The document text.
        target: The stance target, or None.
        sentences: ``(name, {"start", "end"})`` pairs.
        entities: ``(name, {"start", "end", "label", ...})`` pairs.
        quotes: ``(name, quote)`` pairs, quotes as in the record contract.
        complete: Whether ``sentences`` is the whole sentence layer; text left out of the
            sentences is only reported then.

    Returns:
        The problems, one line each, ``name: message``.
    """
    problems: list[str] = []

    def bad_span(where: str, span: Any) -> bool:
        if not isinstance(span, dict) or not all(
            isinstance(span.get(k), int) and not isinstance(span.get(k), bool)
            for k in ("start", "end")
        ):
            problems.append(f"{where}: not a span with integer start and end")
            return True
        start, end = span["start"], span["end"]
        if not 0 <= start < end <= len(text):
            problems.append(
                f"{where}: offsets {start}-{end} lie outside the text (length {len(text)})"
            )
            return True
        if "text" in span and span["text"] != text[start:end]:
            problems.append(
                f'{where}: text "{_short(span["text"])}" differs from the text at {start}-{end}'
            )
            return True
        piece = text[start:end]
        if piece != piece.strip():
            problems.append(f"{where}: has whitespace at its start or end ({piece!r})")
            return True
        return False

    good_sentences = sorted(
        (
            (span["start"], span["end"], where)
            for where, span in sentences
            if not bad_span(where, span)
        ),
    )
    for (_, prev_end, prev), (start, _, where) in itertools.pairwise(good_sentences):
        if start < prev_end:
            problems.append(f"{where}: overlaps {prev}")
        elif complete and (gap := text[prev_end:start].strip()):
            problems.append(f'text between {prev} and {where} is in no sentence: "{_short(gap)}"')
    if complete and good_sentences and len(good_sentences) == len(sentences):
        first, last = good_sentences[0], good_sentences[-1]
        if head := text[: first[0]].strip():
            problems.append(f'text before {first[2]} is in no sentence: "{_short(head)}"')
        if tail := text[last[1] :].strip():
            problems.append(f'text after {last[2]} is in no sentence: "{_short(tail)}"')
    sentence_starts = [start for start, _, _ in good_sentences]

    def sentence_of(start: int, end: int) -> str | None:
        """None if [start, end) lies in one sentence, else what is wrong."""
        if not good_sentences:
            return None
        index = bisect_right(sentence_starts, start) - 1
        if index < 0 or start >= good_sentences[index][1]:
            return "lies outside every sentence"
        if end > good_sentences[index][1]:
            return f"crosses the end of {good_sentences[index][2]}"
        return None

    placed: list[tuple[int, int, str]] = []
    for where, entity in entities:
        where = _label(where, entity) if isinstance(entity, dict) and "text" in entity else where
        if bad_span(where, entity):
            continue
        if entity.get("label") not in ENTITY_LABELS:
            problems.append(f"{where}: label {entity.get('label')!r} is not an OntoNotes label")
        if (issue := sentence_of(entity["start"], entity["end"])) is not None:
            problems.append(f"{where}: {issue}")
        placed.append((entity["start"], entity["end"], where))
    placed.sort()
    for (prev_start, prev_end, prev), (start, end, where) in itertools.pairwise(placed):
        if (start, end) == (prev_start, prev_end):
            problems.append(f"{where}: duplicates {prev}")
        elif start < prev_end:
            problems.append(f"{where}: overlaps {prev}")

    contents: list[tuple[int, int, str]] = []
    for where, quote in quotes:
        if not isinstance(quote, dict):
            problems.append(f"{where}: a quote must be a mapping")
            continue
        parts: list[tuple[int, int, str]] = []
        for part in _QUOTE_PARTS:
            span = quote.get(part)
            if span is None:
                if part == "content":
                    problems.append(f"{where}: has no content")
                continue
            part_where = (
                _label(f"{where}.{part}", span)
                if isinstance(span, dict) and "text" in span
                else f"{where}.{part}"
            )
            if not bad_span(part_where, span):
                parts.append((span["start"], span["end"], part_where))
        parts.sort()
        for (_, prev_end, prev), (start, _, part_where) in itertools.pairwise(parts):
            if start < prev_end:
                problems.append(f"{part_where}: overlaps {prev}")
        kind, stance = quote.get("type"), quote.get("stance")
        if kind not in QUOTE_TYPES:
            problems.append(f"{where}: type {kind!r} is not one of {', '.join(QUOTE_TYPES)}")
        if target is not None and stance not in STANCE_LABELS:
            problems.append(f"{where}: stance {stance!r} is not one of {', '.join(STANCE_LABELS)}")
        if target is None and stance is not None:
            problems.append(f"{where}: has a stance but the document has no target")
        name = quote.get("speaker_name")
        if name is not None and (not isinstance(name, str) or not name.strip()):
            problems.append(f"{where}: speaker_name must be a non-empty string or null")
        good_content = [part for part in parts if part[2].startswith(f"{where}.content")]
        if not good_content:
            continue
        start, end, content_where = good_content[0]
        piece = text[start:end]
        # The marks may stand apart from the words by spaces (`said," We agree ".`).
        opening, closing = text[:start].rstrip()[-1:], text[end:].lstrip()[:1]
        enclosed = bool(opening and closing) and {opening, closing} <= set(QUOTE_MARKS)
        if kind == "direct" and not enclosed:
            problems.append(f"{where}: direct content is not enclosed in quotation marks")
        if kind == "mixed" and not _has_fragment_mark(piece):
            problems.append(f"{where}: mixed content contains no quotation mark")
        contents.append((start, end, content_where))
    for i, (start, end, where) in enumerate(contents):
        for other_start, other_end, other in contents[:i]:
            if (start, end) == (other_start, other_end):
                problems.append(f"{where}: has the same content as {other}")
            elif (
                start < other_end
                and other_start < end
                and not (
                    (other_start <= start and end <= other_end)
                    or (start <= other_start and other_end <= end)
                )
            ):
                problems.append(f"{where}: content crosses the content of {other}")
    return problems


def check_speakers(speakers: Any, quotes: Sequence[Mapping[str, Any]]) -> list[str]:
    """Problems of a ``speakers`` layer: one entry per distinct ``speaker_name`` of ``quotes``.

    Each entry is ``{name, kind, gender}`` with ``kind`` in :data:`SPEAKER_KINDS` and
    ``gender`` in :data:`SPEAKER_GENDERS`; every name must be some quote's ``speaker_name``,
    and every ``speaker_name`` of a quote must have an entry.
    """
    if not isinstance(speakers, list):
        return [f"speakers: must be a list, got {_describe(speakers)}"]
    problems: list[str] = []
    seen: set[str] = set()
    for i, entry in enumerate(speakers):
        where = f"speakers[{i}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be a mapping with name, kind and gender")
            continue
        if unknown := set(entry) - _SPEAKER_KEYS:
            problems.append(f"{where}: unknown keys {sorted(map(str, unknown))}")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{where}: name must be a non-empty string")
            continue
        where = f'{where} "{_short(name)}"'
        if name in seen:
            problems.append(f"{where}: listed twice")
        seen.add(name)
        if entry.get("kind") not in SPEAKER_KINDS:
            problems.append(
                f"{where}: kind {entry.get('kind')!r} is not one of {', '.join(SPEAKER_KINDS)}"
            )
        if entry.get("gender") not in SPEAKER_GENDERS:
            problems.append(
                f"{where}: gender {entry.get('gender')!r} is not one of "
                f"{', '.join(SPEAKER_GENDERS)}"
            )
    names = {q.get("speaker_name") for q in quotes if isinstance(q, dict)} - {None}
    problems += [
        f'speakers: "{_short(str(name))}" is the speaker_name of no quote'
        for name in sorted(seen - names)
    ]
    problems += [
        f'speakers: no entry for the speaker_name "{_short(str(name))}"'
        for name in sorted(names - seen, key=str)
    ]
    return problems


def check_record(record: Mapping[str, Any]) -> list[str]:
    """Problems of a record made elsewhere (an import): the checks of :func:`check_layers`."""
    problems = check_layers(
        record["text"],
        record.get("target"),
        [(f"sentences[{i}]", s) for i, s in enumerate(record.get("sentences", []))],
        [(f"entities[{i}]", e) for i, e in enumerate(record.get("entities", []))],
        [(f"quotes[{i}]", q) for i, q in enumerate(record.get("quotes", []))],
    )
    if "speakers" in record:
        problems += check_speakers(record["speakers"], record.get("quotes", []))
    return problems


def layer_counts(record: Mapping[str, Any]) -> dict[str, Any]:
    """Counts per layer: sentences, entities per label, quotes per type, stance per label."""
    quotes = record["quotes"]
    return {
        "sentences": len(record["sentences"]),
        "entities": len(record["entities"]),
        "entities_per_label": dict(Counter(e["label"] for e in record["entities"]).most_common()),
        "quotes": len(quotes),
        "quotes_per_type": dict(Counter(q["type"] for q in quotes).most_common()),
        "stance_per_label": dict(Counter(q["stance"] for q in quotes if q["stance"]).most_common()),
        **(
            {
                "speakers_per_kind": dict(
                    Counter(s["kind"] for s in record["speakers"]).most_common()
                ),
                "speakers_per_gender": dict(
                    Counter(s["gender"] for s in record["speakers"]).most_common()
                ),
            }
            if "speakers" in record
            else {}
        ),
    }


def total_counts(records: Iterable[Mapping[str, Any] | None]) -> dict[str, Any]:
    """:func:`layer_counts` summed over several records (None entries are skipped)."""
    total: dict[str, Any] = {}
    for record in records:
        if record is None:
            continue
        for key, value in layer_counts(record).items():
            if isinstance(value, dict):
                merged = Counter(total.get(key, {}))
                merged.update(value)
                total[key] = dict(merged.most_common())
            else:
                total[key] = total.get(key, 0) + value
    return total
