"""Writing gold: a record as gold file data that resolves back to it, laid out as YAML for
people, and the canonical form records are compared in."""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Mapping
from typing import Any

import yaml

from newspipe.eval.gold.checks import check_record
from newspipe.eval.gold.resolve import _Resolver, resolve_gold
from newspipe.eval.gold.spec import _QUOTE_PARTS, GoldError, SpanSpec, find_occurrences


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
