"""Gold annotations: load hand-written gold files, resolve spans to offsets, validate, convert.

A gold file (``<id>.gold.yaml`` or ``<id>.gold.json``) names the article's text file and
writes every span as its text; this module finds each span in the text and returns the
document as a record (see :mod:`newspipe.pipeline.records`), with character offsets, end exclusive.
The file format and the annotation scheme are described in ``gold/GUIDELINES.md``.

Gold files are untrusted input: YAML is read with ``yaml.safe_load`` only, and every problem
of a file is collected and reported at once in a :class:`GoldError`.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml

from newspipe.pipeline.records import Record
from newspipe.pipeline.run.documents import InputProblem, decode_text
from newspipe.pipeline.stages import ENTITY_LABELS, QUOTE_TYPES, STANCE_LABELS

SPEAKER_KINDS: tuple[str, ...] = ("person", "organisation", "government", "group", "unnamed")
"""Kinds of source in the gold ``speakers`` layer (gold/GUIDELINES.md, section 5)."""
SPEAKER_GENDERS: tuple[str, ...] = ("male", "female", "nonbinary", "unknown")
"""Referenced gender: how the article refers to a speaker (gold/GUIDELINES.md, section 5)."""
GOLD_SUFFIXES: tuple[str, ...] = (".gold.yaml", ".gold.yml", ".gold.json")

QUOTE_MARKS = "\"“”„‟‘’‚‛«»‹›'"
"""Characters that may enclose a direct quote."""
FRAGMENT_MARKS = '"“”„‟«»‹›‘'
"""Characters that show a quoted fragment inside reported speech (apostrophes excluded)."""

_OPENING_APOSTROPHE = re.compile(r"(?:^|[\s(\[])'\w")
"""A straight single quote that opens a quotation (`called him 'the anti-christ'`), not an
apostrophe inside or at the end of a word."""


def _has_fragment_mark(piece: str) -> bool:
    """Whether ``piece`` holds a quotation mark of a quoted fragment (for ``mixed`` quotes)."""
    return any(mark in piece for mark in FRAGMENT_MARKS) or bool(
        _OPENING_APOSTROPHE.search(piece)
    )


_TOP_KEYS = {"id", "text_file", "target", "sentences", "entities", "quotes", "speakers"}
_SPEAKER_KEYS = {"name", "kind", "gender"}
_SPAN_KEYS = {"text", "in", "occurrence", "at", "sentence"}
_QUOTE_KEYS = {"sentence", "content", "cue", "speaker", "speaker_name", "type", "stance"}
_QUOTE_PARTS = ("content", "cue", "speaker")


class GoldError(ValueError):
    """A gold file (or an imported annotation) with problems; one message line per problem.

    Attributes:
        source: The file the problems are in.
        problems: The problems, each naming the entry it is about.
    """

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems = list(problems)
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """Each problem as one line that starts with the file name."""
        return [f"{self.source}: {problem}" for problem in self.problems]


# --------------------------------------------------------------------------- finding text


def _word_bounded(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` neither starts nor ends inside a word."""
    if start > 0 and text[start].isalnum() and text[start - 1].isalnum():
        return False
    return not (end < len(text) and text[end - 1].isalnum() and text[end].isalnum())


def find_occurrences(text: str, needle: str, lo: int = 0, hi: int | None = None) -> list[int]:
    """Start offsets of ``needle`` lying wholly inside ``text[lo:hi]``, at word boundaries.

    Args:
        text: The text to search.
        needle: What to find (case-sensitive).
        lo: First offset of the search window.
        hi: End of the search window (exclusive); the end of the text if None.

    Returns:
        The start offsets in increasing order.
    """
    hi = len(text) if hi is None else hi
    starts: list[int] = []
    if not needle:
        return starts
    position = text.find(needle, lo, hi)
    while position != -1:
        if _word_bounded(text, position, position + len(needle)):
            starts.append(position)
        position = text.find(needle, position + 1, hi)
    return starts


def _short(value: str, width: int = 40) -> str:
    """``value`` on one line, cut to ``width`` characters."""
    value = " ".join(value.split())
    return value if len(value) <= width else value[: width - 1] + "…"


def _describe(value: Any) -> str:
    """A value in a message: its type for non-strings that YAML produced."""
    if isinstance(value, bool):
        return f"the boolean {value}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if value is None:
        return "null"
    return type(value).__name__


# --------------------------------------------------------------------------- span specs


@dataclass(frozen=True)
class SpanSpec:
    """A span as a person writes it: its text, and what tells repeated occurrences apart.

    Attributes:
        text: The exact text of the span.
        context: A longer text that contains the span once (``in:``).
        occurrence: Which occurrence in the search scope, counted from 1.
        at: The character offset, as a last resort.
        sentence: The sentence (1-based) or sentence range to search, overriding the default.
    """

    text: str
    context: str | None = None
    occurrence: int | None = None
    at: int | None = None
    sentence: int | tuple[int, int] | None = None


@dataclass
class _Resolver:
    """Turns one gold file's data into a record, collecting every problem on the way."""

    text: str
    problems: list[str] = field(default_factory=list)
    sentences: list[tuple[int, int] | None] = field(default_factory=list)

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    # ---- reading values

    def string(self, value: Any, where: str, *, allow_null: bool = False) -> str | None:
        if value is None and allow_null:
            return None
        if not isinstance(value, str):
            hint = "; put it in quotes" if isinstance(value, bool | int | float) else ""
            self.problem(where, f"must be a string, got {_describe(value)}{hint}")
            return None
        if not value.strip():
            self.problem(where, "is empty")
            return None
        return value

    def span_text(self, value: Any, where: str) -> str | None:
        text = self.string(value, where)
        if text is not None and text != text.strip():
            self.problem(f'{where} "{_short(text)}"', "has leading or trailing whitespace")
            return None
        return text

    def sentence_ref(self, value: Any, where: str) -> int | tuple[int, int] | None:
        """A sentence number or ``[first, last]``, checked against the sentence layer."""
        numbers = value if isinstance(value, list) else [value]
        valid = len(numbers) in (1, 2) and all(
            isinstance(n, int) and not isinstance(n, bool) for n in numbers
        )
        if not valid:
            self.problem(where, "sentence must be a number or [first, last]")
            return None
        for number in numbers:
            if not 1 <= number <= len(self.sentences):
                self.problem(where, f"no sentence {number} (the file has {len(self.sentences)})")
                return None
        if len(numbers) == 2:
            if numbers[0] > numbers[1]:
                self.problem(where, f"sentence range {numbers} is reversed")
                return None
            return (numbers[0], numbers[1])
        return int(numbers[0])

    def span_spec(self, value: Any, where: str, extra_keys: Iterable[str] = ()) -> SpanSpec | None:
        """A span written as a string or as ``{text, in | occurrence | at, sentence}``."""
        if not isinstance(value, dict):
            text = self.span_text(value, where)
            return None if text is None else SpanSpec(text)
        unknown = set(value) - _SPAN_KEYS - set(extra_keys)
        if unknown:
            self.problem(where, f"unknown keys {sorted(map(str, unknown))}")
        text = self.span_text(value.get("text"), f"{where}.text")
        if text is None:
            return None
        where = f'{where} "{_short(text)}"'
        chosen = [key for key in ("in", "occurrence", "at") if value.get(key) is not None]
        if len(chosen) > 1:
            self.problem(where, f"give only one of in/occurrence/at, not {chosen}")
            return None
        context = self.string(value.get("in"), f"{where} in", allow_null=True)
        occurrence = value.get("occurrence")
        at = value.get("at")
        for key, number, least in (("occurrence", occurrence, 1), ("at", at, 0)):
            if number is not None and (
                not isinstance(number, int) or isinstance(number, bool) or number < least
            ):
                self.problem(where, f"{key} must be a whole number >= {least}")
                return None
        sentence = None
        if value.get("sentence") is not None:
            sentence = self.sentence_ref(value["sentence"], where)
            if sentence is None:
                return None
        if context is not None and text not in context:
            self.problem(where, f'text is not part of its context "{_short(context)}"')
            return None
        return SpanSpec(text, context, occurrence, at, sentence)

    # ---- scopes and locating

    def scope(self, ref: int | tuple[int, int] | None) -> tuple[int, int, str] | None:
        """The character window and name of a sentence reference; None if unresolved."""
        if ref is None:
            return 0, len(self.text), "the text"
        first, last = (ref, ref) if isinstance(ref, int) else ref
        spans = self.sentences[first - 1 : last]
        if any(span is None for span in spans):
            return None  # that sentence already has a problem of its own
        lo, hi = spans[0][0], spans[-1][1]  # type: ignore[index]
        name = f"sentence {first}" if first == last else f"sentences {first}-{last}"
        return lo, hi, name

    def locate(
        self,
        spec: SpanSpec,
        window: tuple[int, int, str],
        where: str,
        cursor: int | None = None,
    ) -> tuple[int, int] | None:
        """Offsets of ``spec`` in ``window``.

        With a ``cursor`` (ordered layers) a plain text is the first match at or after the
        cursor; without one it must occur exactly once in the window.
        """
        lo, hi, name = window
        text, size = spec.text, len(spec.text)
        where = f'{where} "{_short(text)}"'
        if spec.at is not None:
            found = self.text[spec.at : spec.at + size]
            if found != text:
                self.problem(where, f'text not found at offset {spec.at} (found "{_short(found)}")')
            elif not (lo <= spec.at and spec.at + size <= hi):
                self.problem(where, f"offset {spec.at} lies outside {name}")
            elif cursor is not None and spec.at < cursor:
                self.problem(where, f"offset {spec.at} lies before the previous entry in {name}")
            else:
                return spec.at, spec.at + size
            return None
        if spec.context is not None:
            context = spec.context
            starts = find_occurrences(self.text, context, lo if cursor is None else cursor, hi)
            if not starts:
                self.problem(where, f'context "{_short(context)}" not found in {name}')
                return None
            if cursor is None and len(starts) > 1:
                self.problem(
                    where, f'context "{_short(context)}" occurs {len(starts)} times in {name}'
                )
                return None
            inner = find_occurrences(self.text, text, starts[0], starts[0] + len(context))
            if len(inner) != 1:
                count = "not found as a whole word" if not inner else f"occurs {len(inner)} times"
                self.problem(where, f'text {count} in its context "{_short(context)}"')
                return None
            return inner[0], inner[0] + size
        starts = find_occurrences(self.text, text, lo, hi)
        if not starts:
            self.problem(where, f"text not found in {name}")
            return None
        if spec.occurrence is not None:
            if spec.occurrence > len(starts):
                self.problem(
                    where,
                    f"occurrence {spec.occurrence} asked, text occurs {len(starts)}x in {name}",
                )
                return None
            start = starts[spec.occurrence - 1]
            if cursor is not None and start < cursor:
                self.problem(
                    where, f"occurrence {spec.occurrence} lies before the previous entry in {name}"
                )
                return None
            return start, start + size
        if cursor is not None:
            after = [start for start in starts if start >= cursor]
            if not after:
                self.problem(
                    where, f"text not found after the previous entry in {name} (out of order?)"
                )
                return None
            return after[0], after[0] + size
        if len(starts) > 1:
            self.problem(
                where, f'text occurs {len(starts)} times in {name}; add "in:" or "occurrence:"'
            )
            return None
        return starts[0], starts[0] + size

    def span(self, spec: SpanSpec, start_end: tuple[int, int]) -> dict[str, Any]:
        start, end = start_end
        return {"start": start, "end": end, "text": self.text[start:end]}

    # ---- layers

    def resolve_sentences(self, items: list[Any]) -> None:
        cursor = 0
        for i, item in enumerate(items):
            where = f"sentence {i + 1}"
            text = self.span_text(item, where)
            start = None
            if text is not None:
                starts = find_occurrences(self.text, text, cursor)
                if starts:
                    start = starts[0]
                    cursor = start + len(text)
                else:
                    self.problem(
                        f'{where} "{_short(text)}"', "text not found after the previous sentence"
                    )
            self.sentences.append(
                None if start is None or text is None else (start, start + len(text))
            )

    def resolve_entities(self, items: list[Any]) -> list[tuple[str, dict[str, Any]]]:
        cursors: dict[int | tuple[int, int] | None, int] = {}
        resolved: list[tuple[str, dict[str, Any]]] = []
        for i, item in enumerate(items):
            where = f"entities[{i}]"
            ref: Any = None
            if isinstance(item, list) and len(item) in (2, 3):
                *head, text, label = item
                ref = head[0] if head else None
                spec = self.span_spec(text, where)
            elif isinstance(item, dict):
                label = item.get("label")
                ref = item.get("sentence")
                spec = self.span_spec(
                    {k: v for k, v in item.items() if k != "sentence"}, where, ["label"]
                )
            else:
                self.problem(where, "write an entity as [sentence, text, LABEL] or a mapping")
                continue
            if spec is None:
                continue
            where = f'{where} "{_short(spec.text)}"'
            if not isinstance(label, str) or label not in ENTITY_LABELS:
                self.problem(where, f"label {label!r} is not an OntoNotes label")
                continue
            sentence = None if ref is None else self.sentence_ref(ref, where)
            if ref is not None and sentence is None:
                continue
            window = self.scope(sentence)
            if window is None:
                continue
            where = f"entities[{i}]"
            offsets = self.locate(spec, window, where, cursors.get(sentence, window[0]))
            if offsets is None:
                continue
            cursors[sentence] = offsets[1]
            resolved.append(
                (f'{where} "{_short(spec.text)}"', {**self.span(spec, offsets), "label": label})
            )
        return resolved

    def resolve_quotes(
        self, items: list[Any], has_target: bool
    ) -> list[tuple[str, dict[str, Any]]]:
        resolved: list[tuple[str, dict[str, Any]]] = []
        for i, item in enumerate(items):
            where = f"quotes[{i}]"
            if not isinstance(item, dict):
                self.problem(where, "a quote must be a mapping")
                continue
            unknown = set(item) - _QUOTE_KEYS
            if unknown:
                self.problem(where, f"unknown keys {sorted(map(str, unknown))}")
            ok = True
            scope_ref = None
            if item.get("sentence") is not None:
                scope_ref = self.sentence_ref(item["sentence"], where)
                ok = scope_ref is not None
            scope_failed = not ok
            quote: dict[str, Any] = {}
            for part in _QUOTE_PARTS:
                value = item.get(part)
                quote[part] = None
                if value is None:
                    if part == "content":
                        self.problem(where, "has no content")
                        ok = False
                    continue
                spec = self.span_spec(value, f"{where}.{part}")
                window = None
                if spec is not None and not scope_failed:
                    window = self.scope(spec.sentence if spec.sentence is not None else scope_ref)
                offsets = None
                if spec is not None and window is not None:
                    offsets = self.locate(spec, window, f"{where}.{part}")
                if spec is None or offsets is None:
                    ok = False
                    continue
                quote[part] = self.span(spec, offsets)
            name = self.string(item.get("speaker_name"), f"{where}.speaker_name", allow_null=True)
            if item.get("speaker_name") is not None and name is None:
                ok = False
            kind = item.get("type")
            if kind not in QUOTE_TYPES:
                self.problem(where, f"type {kind!r} is not one of {', '.join(QUOTE_TYPES)}")
                ok = False
            stance = item.get("stance")
            if has_target and stance not in STANCE_LABELS:
                self.problem(where, f"stance {stance!r} is not one of {', '.join(STANCE_LABELS)}")
                ok = False
            elif not has_target and stance is not None:
                self.problem(where, "has a stance but the file has no target")
                ok = False
            if ok:
                quote.update({"speaker_name": name, "type": kind, "stance": stance})
                resolved.append((where, quote))
        return resolved


# --------------------------------------------------------------------------- checks on offsets


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


# --------------------------------------------------------------------------- loading


def read_gold_data(path: Path) -> Any:
    """The parsed content of a gold file (``yaml.safe_load``, or ``json`` for ``.json``).

    Raises:
        GoldError: If the file cannot be read or parsed.
    """
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except OSError as err:
        raise GoldError(str(path), [f"cannot read ({err.strerror or err})"]) from None
    except UnicodeDecodeError as err:
        raise GoldError(str(path), [f"not UTF-8 (invalid byte at offset {err.start})"]) from None
    try:
        if path.name.endswith(".json"):
            return json.loads(raw)
        return yaml.safe_load(raw)
    except json.JSONDecodeError as err:
        raise GoldError(str(path), [f"malformed JSON: {err.msg} (line {err.lineno})"]) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        reason = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise GoldError(str(path), [f"malformed YAML: {reason}{where}"]) from None


def resolve_gold(data: Any, source: str, text: str) -> Record:
    """Resolve parsed gold data against its article text into a record.

    Args:
        data: The parsed gold file (a mapping).
        source: The file name, used in problem messages.
        text: The article text.

    Returns:
        The record: ``id``, ``text``, ``target``, ``sentences``, ``entities``, ``quotes``,
        with entities and quotes in text order.

    Raises:
        GoldError: With every problem found.
    """
    if not isinstance(data, dict):
        raise GoldError(
            source, ["a gold file must be a mapping with id, text_file, sentences, ..."]
        )
    resolver = _Resolver(text)
    unknown = set(data) - _TOP_KEYS
    if unknown:
        resolver.problem("(file)", f"unknown keys {sorted(map(str, unknown))}")
    doc_id = resolver.string(data.get("id"), "id")
    target = resolver.string(data.get("target"), "target", allow_null=True)
    layers: dict[str, list[Any]] = {}
    for layer in ("sentences", "entities", "quotes"):
        value = data.get(layer)
        if value is None:
            value = []
        if not isinstance(value, list):
            resolver.problem(layer, f"must be a list, got {_describe(value)}")
            value = []
        layers[layer] = value
    resolver.resolve_sentences(layers["sentences"])
    entities = resolver.resolve_entities(layers["entities"])
    quotes = resolver.resolve_quotes(layers["quotes"], has_target=data.get("target") is not None)
    sentences = [
        (f"sentence {i + 1}", {"start": span[0], "end": span[1]})
        for i, span in enumerate(resolver.sentences)
        if span is not None
    ]
    complete = all(span is not None for span in resolver.sentences)
    problems = resolver.problems + check_layers(
        text, target, sentences, entities, quotes, complete=complete
    )
    speakers = data.get("speakers")
    if speakers is not None:
        problems += check_speakers(speakers, [q for _, q in quotes])
    if problems:
        raise GoldError(source, problems)
    record: dict[str, Any] = {
        "id": doc_id,
        "text": text,
        "target": target,
        "sentences": [span for _, span in sentences],
        "entities": sorted((e for _, e in entities), key=lambda e: (e["start"], e["end"])),
        "quotes": sorted(
            (q for _, q in quotes), key=lambda q: (q["content"]["start"], -q["content"]["end"])
        ),
    }
    if speakers is not None:
        record["speakers"] = [
            {"name": s["name"], "kind": s["kind"], "gender": s["gender"]} for s in speakers
        ]
    return cast(Record, record)  # the contract's fields, and the speakers layer if annotated


def read_article(path: Path, source: str) -> str:
    """The text of an article file, decoded as the pipeline decodes its inputs.

    Raises:
        GoldError: If the file cannot be read or is not UTF-8 text.
    """
    try:
        data = path.read_bytes()
    except OSError as err:
        raise GoldError(
            source, [f"text_file {str(path)!r}: cannot read ({err.strerror or err})"]
        ) from None
    text = decode_text(data, str(path))
    if isinstance(text, InputProblem):
        raise GoldError(source, [f"text_file: {text}"])
    return text


def load_gold(path: str | Path) -> Record:
    """Load one gold file and resolve it into a record.

    Args:
        path: A ``*.gold.yaml`` or ``*.gold.json`` file.

    Returns:
        The record (see :func:`resolve_gold`).

    Raises:
        GoldError: With every problem of the file.
    """
    path = Path(path)
    source = str(path)
    data = read_gold_data(path)
    if not isinstance(data, dict):
        raise GoldError(
            source, ["a gold file must be a mapping with id, text_file, sentences, ..."]
        )
    text_file = data.get("text_file")
    if not isinstance(text_file, str) or not text_file.strip():
        raise GoldError(source, ["text_file must name the article's text file"])
    text = read_article(path.parent / text_file, source)
    return resolve_gold(data, source, text)


def gold_files(paths: Iterable[str | Path], *, recursive: bool = True) -> list[Path]:
    """The gold files named by ``paths``: files as given, directories by the gold files in them
    and (``recursive``) in their subfolders; folders whose name starts with "." are skipped,
    such as the raw annotations kept in ``.annotators/``.

    Raises:
        GoldError: If a path does not exist or a directory holds no gold file.
    """
    found: list[Path] = []
    for item in map(Path, paths):
        if item.is_dir():
            inside = sorted(
                path
                for path in (item.rglob("*") if recursive else item.iterdir())
                if path.name.endswith(GOLD_SUFFIXES)
                and not any(part.startswith(".") for part in path.relative_to(item).parts[:-1])
                and path.is_file()
            )
            if not inside:
                raise GoldError(
                    str(item), [f"no gold files ({', '.join(GOLD_SUFFIXES)}) in this directory"]
                )
            found.extend(inside)
        elif item.exists():
            found.append(item)
        else:
            raise GoldError(str(item), ["no such file or directory"])
    return found


GOLD_SETS: dict[str, str] = {
    "all": "every gold file under the gold folder",
    "seed": "the gold files directly in the gold folder (the seed article)",
    "news": "the news development set in its news/ subfolder",
}
"""Named parts of the project's gold folder (``newspipe score --gold-set``)."""


def gold_set_files(name: str, root: str | Path = "gold") -> list[Path]:
    """The gold files of the named set (:data:`GOLD_SETS`) in the gold folder ``root``.

    Raises:
        ValueError: If ``name`` is not a known set.
        GoldError: If the set's folder is missing or holds no gold file.
    """
    root = Path(root)
    if name == "all":
        return gold_files([root])
    if name == "seed":
        return gold_files([root], recursive=False)
    if name == "news":
        return gold_files([root / "news"])
    raise ValueError(f"unknown gold set {name!r}; known: {', '.join(GOLD_SETS)}")


# --------------------------------------------------------------------------- summaries


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


@dataclass(frozen=True)
class GoldCheck:
    """The outcome of validating one gold file.

    Attributes:
        path: The gold file.
        record: The resolved record, or None if the file has problems.
        problems: The problem lines, each starting with the file name.
    """

    path: Path
    record: Record | None
    problems: list[str]


def validate_gold(paths: Iterable[str | Path]) -> list[GoldCheck]:
    """Validate gold files and directories of them; every problem of every file is kept.

    Raises:
        GoldError: If a path does not exist or a directory holds no gold file.
    """
    checks = []
    for path in gold_files(paths):
        try:
            checks.append(GoldCheck(path, load_gold(path), []))
        except GoldError as err:
            checks.append(GoldCheck(path, None, err.lines()))
    return checks


# --------------------------------------------------------------------------- writing gold


def _locate_quietly(
    resolver: _Resolver, spec: SpanSpec, window: tuple[int, int, str], cursor: int | None
) -> tuple[int, int] | None:
    found = resolver.locate(spec, window, "", cursor)
    resolver.problems.clear()
    return found


def _spec_for(
    resolver: _Resolver,
    span: Mapping[str, Any],
    window: tuple[int, int, str],
    cursor: int | None,
) -> str | dict[str, Any]:
    """The simplest way to write ``span`` that resolves back to it in ``window``."""
    start, end, text = span["start"], span["end"], span["text"]
    plain = SpanSpec(text)
    if _locate_quietly(resolver, plain, window, cursor) == (start, end):
        return text
    starts = find_occurrences(resolver.text, text, window[0], window[1])
    if start in starts:
        occurrence = starts.index(start) + 1
        if _locate_quietly(resolver, SpanSpec(text, occurrence=occurrence), window, cursor) == (
            start,
            end,
        ):
            return {"text": text, "occurrence": occurrence}
    return {"text": text, "at": start}


def record_to_gold(record: Mapping[str, Any], text_file: str) -> dict[str, Any]:
    """Gold file data (as :func:`resolve_gold` reads it) that resolves back to ``record``.

    Args:
        record: A valid record.
        text_file: The article's text file, relative to where the gold file will be written.

    Returns:
        A mapping ready for :func:`dump_gold`.
    """
    text = record["text"]
    resolver = _Resolver(text)
    sentences = sorted(record["sentences"], key=lambda s: s["start"])
    resolver.sentences = [(s["start"], s["end"]) for s in sentences]
    starts = [s["start"] for s in sentences]

    def sentence_number(offset: int, end: int) -> int | None:
        """The 1-based sentence that holds ``[offset, end)``, if one does."""
        index = bisect_right(starts, offset) - 1
        if index >= 0 and end <= sentences[index]["end"]:
            return index + 1
        return None

    def sentence_ref(start: int, end: int) -> int | tuple[int, int] | None:
        """The sentence, or ``(first, last)`` sentences, that hold ``[start, end)``."""
        first, last = sentence_number(start, start + 1), sentence_number(end - 1, end)
        if first is None or last is None:
            return None
        return first if first == last else (first, last)

    entities: list[Any] = []
    cursors: dict[int | None, int] = {}
    for entity in sorted(record["entities"], key=lambda e: (e["start"], e["end"])):
        entity = {**entity, "text": text[entity["start"] : entity["end"]]}
        number = sentence_number(entity["start"], entity["end"])
        window = resolver.scope(number)
        assert window is not None
        spec = _spec_for(resolver, entity, window, cursors.get(number, window[0]))
        cursors[number] = entity["end"]
        if isinstance(spec, str):
            entities.append(
                [spec, entity["label"]] if number is None else [number, spec, entity["label"]]
            )
        else:
            entities.append(
                {**({"sentence": number} if number else {}), **spec, "label": entity["label"]}
            )

    quotes: list[dict[str, Any]] = []
    for quote in record["quotes"]:
        ref = sentence_ref(quote["content"]["start"], quote["content"]["end"])
        item: dict[str, Any] = {}
        if ref is not None:
            item["sentence"] = ref if isinstance(ref, int) else list(ref)
        window = resolver.scope(ref)
        assert window is not None
        for part in _QUOTE_PARTS:
            span = quote[part]
            if span is None:
                item[part] = None
                continue
            span = {**span, "text": text[span["start"] : span["end"]]}
            if window[0] <= span["start"] and span["end"] <= window[1]:
                item[part] = _spec_for(resolver, span, window, None)
                continue
            own = sentence_ref(span["start"], span["end"])
            spec = _spec_for(resolver, span, resolver.scope(own) or window, None)
            own_value = own if isinstance(own, int) else list(own)  # type: ignore[arg-type]
            item[part] = (
                {"text": spec, "sentence": own_value}
                if isinstance(spec, str)
                else {**spec, "sentence": own_value}
            )
        item["speaker_name"] = quote["speaker_name"]
        item["type"] = quote["type"]
        item["stance"] = quote["stance"]
        quotes.append(item)
    data = {
        "id": record["id"],
        "text_file": text_file,
        "target": record.get("target"),
        "sentences": [text[s["start"] : s["end"]] for s in sentences],
        "entities": entities,
        "quotes": quotes,
    }
    if "speakers" in record:
        data["speakers"] = [dict(s) for s in record["speakers"]]
    return data


def _scalar(value: Any) -> str:
    """A YAML scalar: strings double-quoted in JSON style, with YAML's extra line breaks escaped."""
    if isinstance(value, str):
        quoted = json.dumps(value, ensure_ascii=False)
        for char in ("\u0085", "\u2028", "\u2029", "\ufeff"):
            quoted = quoted.replace(char, f"\\u{ord(char):04x}")
        return quoted
    return json.dumps(value)


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    return _scalar(value)


def dump_gold(data: dict[str, Any]) -> str:
    """Gold file data as YAML laid out for people: one sentence and one entity per line."""
    lines = [
        f"id: {_scalar(data['id'])}",
        f"text_file: {_scalar(data['text_file'])}",
        f"target: {_scalar(data.get('target'))}",
        "",
        "sentences:",
    ]
    lines += [f"  - {_scalar(s)}   # {i + 1}" for i, s in enumerate(data["sentences"])]
    lines += ["", "entities:"] + [f"  - {_flow(e)}" for e in data["entities"]]
    lines += ["", "quotes:"]
    for quote in data["quotes"]:
        keys = list(quote)
        lines.append(f"  - {keys[0]}: {_flow(quote[keys[0]])}")
        lines += [f"    {key}: {_flow(quote[key])}" for key in keys[1:]]
        lines.append("")
    if "speakers" in data:
        lines += ["speakers:"] + [f"  - {_flow(s)}" for s in data["speakers"]]
    for layer in ("sentences", "entities", "quotes", "speakers"):
        if layer in data and not data[layer]:
            lines[lines.index(f"{layer}:")] = f"{layer}: []"
    return "\n".join(lines).rstrip() + "\n"


def gold_yaml(record: Mapping[str, Any], text_file: str, source: str = "(import)") -> str:
    """The YAML gold file for ``record``, checked to resolve back to exactly ``record``.

    Args:
        record: A record (e.g. read from brat or a DocBin).
        text_file: Where the gold file will find the article text, relative to itself.
        source: Name used in problem messages.

    Raises:
        GoldError: If the record has problems, or (a bug) the YAML does not resolve back.
    """
    problems = check_record(record)
    if problems:
        raise GoldError(source, problems)
    text = dump_gold(record_to_gold(record, text_file))
    again = resolve_gold(yaml.safe_load(text), source, record["text"])
    if canonical(again) != canonical(record):
        raise GoldError(
            source, ["internal error: the written gold does not resolve back to its record"]
        )
    return text


def canonical(record: Mapping[str, Any]) -> dict[str, Any]:
    """``record`` with its layers in a fixed order and span texts filled in, for comparisons."""
    text = record["text"]

    def span(value: Mapping[str, Any] | None) -> dict[str, Any] | None:
        if value is None:
            return None
        return {
            "start": value["start"],
            "end": value["end"],
            "text": text[value["start"] : value["end"]],
        }

    return {
        "id": record["id"],
        "text": text,
        "target": record.get("target"),
        "sentences": sorted(
            ({"start": s["start"], "end": s["end"]} for s in record["sentences"]),
            key=lambda s: s["start"],
        ),
        "entities": sorted(
            ({**span(e), "label": e["label"]} for e in record["entities"]),  # type: ignore[dict-item]
            key=lambda e: (e["start"], e["end"]),
        ),
        "quotes": sorted(
            (
                {
                    "content": span(q["content"]),
                    "cue": span(q["cue"]),
                    "speaker": span(q["speaker"]),
                    "speaker_name": q["speaker_name"],
                    "type": q["type"],
                    "stance": q["stance"],
                }
                for q in record["quotes"]
            ),
            key=lambda q: (q["content"]["start"], -q["content"]["end"], repr(q)),
        ),
        **(
            {"speakers": sorted(record["speakers"], key=lambda s: s["name"])}
            if "speakers" in record
            else {}
        ),
    }


def relative_path(target: Path, start_dir: Path) -> str:
    """``target`` relative to ``start_dir``, with forward slashes."""
    return Path(os.path.relpath(target.resolve(), start_dir.resolve())).as_posix()
