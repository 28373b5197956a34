"""Resolving a gold file's spans, written as text, to character offsets in its article."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from newspipe.eval.gold.checks import check_layers, check_speakers
from newspipe.eval.gold.spec import (
    _QUOTE_KEYS,
    _QUOTE_PARTS,
    _SPAN_KEYS,
    _TOP_KEYS,
    GoldError,
    SpanSpec,
    _describe,
    _short,
    find_occurrences,
)
from newspipe.pipeline.files import file_name_problem
from newspipe.pipeline.records import Record
from newspipe.pipeline.stages import ENTITY_LABELS, QUOTE_TYPES, STANCE_LABELS


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
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            self.problem(where, "is not valid Unicode (a lone surrogate)")
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
    name_problem = file_name_problem(doc_id) if doc_id is not None else None
    if name_problem is not None:  # ids become file names (brat export, DocBin import)
        resolver.problem("id", f"{_short(str(doc_id))!r} cannot be a file name: it {name_problem}")
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
