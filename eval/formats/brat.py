"""brat standoff (``.txt`` + ``.ann``) for gold records, read and written.

The layout follows what brat and INCEpTION exchange and what PolNeAR uses::

    T1	Sentence 0 42	The council approved the tunnel on Monday.
    T2	DATE 34 40	Monday
    T3	Content 50 71	the tunnel is too expensive
    T4	Cue 72 76	said
    T5	Source 77 86	the mayor
    T6	Attribution 72 76	said
    E1	Attribution:T6 Content:T3 Cue:T4 Source:T5
    A1	Type E1 indirect
    A2	Stance E1 AGAINST
    #1	AnnotatorNotes E1	Lena Brandt
    #2	AnnotatorNotes T1	target: the new rail tunnel

- entities are text-bound annotations typed with their OntoNotes label, sentences are
  ``Sentence`` annotations;
- a quote is an ``Attribution`` event whose trigger lies on the cue (on the content when
  there is no cue), with the roles ``Content``, ``Cue`` and ``Source``; its ``type`` and
  ``stance`` are the attributes ``Type`` and ``Stance``, its ``speaker_name`` the event's
  AnnotatorNotes;
- the document's stance target is an AnnotatorNotes line ``target: …`` on the first
  text-bound annotation.

Reading also accepts quotes tied by ``R`` relations between a ``Content`` annotation and
its ``Cue``/``Source`` annotations, attributes and notes placed on the ``Content``
annotation, and PolNeAR's ``Attribution-no-source`` events. A quote without a ``Type``
attribute gets its type from its quotation marks. A span broken only at line breaks is
joined; other discontinuous spans cannot be represented in a record and are reported.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from newspipe.eval.gold import (
    ENTITY_LABELS,
    FRAGMENT_MARKS,
    QUOTE_MARKS,
    QUOTE_TYPES,
    STANCE_LABELS,
    GoldError,
    check_record,
    read_article,
)
from newspipe.pipeline.files import (
    MAX_TEXT_BYTES,
    atomic_writer,
    file_name_problem,
    read_bounded,
    write_text_atomic,
)
from newspipe.pipeline.records import Record

SENTENCE = "Sentence"
CONTENT, CUE, SOURCE = "Content", "Cue", "Source"
ATTRIBUTION = "Attribution"
TARGET_NOTE = "target: "
_TRIGGER_TYPES = {ATTRIBUTION, "Attribution-no-source"}
_TEXT_BOUND = re.compile(r"^(\S+) (\d+ \d+(?:;\d+ \d+)*)$")

ANNOTATION_CONF = f"""# brat configuration for newspipe gold (written by `newspipe gold export`)
[entities]
{SENTENCE}
{chr(10).join(ENTITY_LABELS)}
{CONTENT}
{CUE}
{SOURCE}

[relations]
<OVERLAP> Arg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>

[events]
{ATTRIBUTION} Content:{CONTENT}, Cue?:{CUE}, Source?:{SOURCE}

[attributes]
Type Arg:{ATTRIBUTION}, Value:{"|".join(QUOTE_TYPES)}
Stance Arg:{ATTRIBUTION}, Value:{"|".join(STANCE_LABELS)}
"""
"""An ``annotation.conf`` that lets brat display and edit exported files."""


# --------------------------------------------------------------------------- writing


def _fragments(text: str, start: int, end: int) -> str:
    """brat offsets of ``[start, end)``, split where the span crosses a line break."""
    pieces: list[tuple[int, int]] = []
    position = start
    for line in text[start:end].split("\n"):
        stripped_start = position + (len(line) - len(line.lstrip()))
        stripped_end = position + len(line.rstrip())
        if stripped_end > stripped_start:
            pieces.append((stripped_start, stripped_end))
        position += len(line) + 1
    return ";".join(f"{a} {b}" for a, b in pieces)


def record_to_ann(record: Record) -> str:
    """The ``.ann`` content for a record (its ``.txt`` is ``record["text"]`` as is)."""
    text = record["text"]
    lines: list[str] = []
    counters = {"T": 0, "E": 0, "A": 0, "#": 0}

    def new_id(kind: str) -> str:
        counters[kind] += 1
        return f"{kind}{counters[kind]}"

    def text_bound(label: str, span: Mapping[str, Any]) -> str:
        ident = new_id("T")
        start, end = span["start"], span["end"]
        shown = " ".join(text[start:end].split("\n"))
        lines.append(f"{ident}\t{label} {_fragments(text, start, end)}\t{shown}")
        return ident

    first_text_bound: str | None = None
    for sentence in record["sentences"]:
        ident = text_bound(SENTENCE, sentence)
        first_text_bound = first_text_bound or ident
    for entity in record["entities"]:
        ident = text_bound(entity["label"], entity)
        first_text_bound = first_text_bound or ident
    for quote in record["quotes"]:
        content = text_bound(CONTENT, quote["content"])
        first_text_bound = first_text_bound or content
        roles = [f"{CONTENT}:{content}"]
        if quote["cue"] is not None:
            roles.append(f"{CUE}:{text_bound(CUE, quote['cue'])}")
        if quote["speaker"] is not None:
            roles.append(f"{SOURCE}:{text_bound(SOURCE, quote['speaker'])}")
        trigger = text_bound(ATTRIBUTION, quote["cue"] or quote["content"])
        event = new_id("E")
        lines.append(f"{event}\t{ATTRIBUTION}:{trigger} {' '.join(roles)}")
        lines.append(f"{new_id('A')}\tType {event} {quote['type']}")
        if quote["stance"] is not None:
            lines.append(f"{new_id('A')}\tStance {event} {quote['stance']}")
        if quote["speaker_name"] is not None:
            name = " ".join(quote["speaker_name"].split())
            lines.append(f"{new_id('#')}\tAnnotatorNotes {event}\t{name}")
    target = record.get("target")
    if target is not None:
        if first_text_bound is None:
            raise GoldError(
                record["id"], ["brat needs at least one annotation to carry the target"]
            )
        target_line = " ".join(target.split())
        lines.append(
            f"{new_id('#')}\tAnnotatorNotes {first_text_bound}\t{TARGET_NOTE}{target_line}"
        )
    return "".join(f"{line}\n" for line in lines)


def write_brat(record: Record, directory: str | Path) -> tuple[Path, Path]:
    """Write ``<id>.txt`` and ``<id>.ann`` into ``directory`` (created if missing).

    Returns:
        The paths of the text and annotation files.
    """
    directory = Path(directory)
    name = record_file_name(record)
    directory.mkdir(parents=True, exist_ok=True)
    txt, ann = directory / f"{name}.txt", directory / f"{name}.ann"
    annotations = record_to_ann(record)
    with atomic_writer(txt, "wb") as handle:  # bytes: no newline translation, offsets stay valid
        handle.write(record["text"].encode("utf-8"))
    write_text_atomic(ann, annotations)
    return txt, ann


def record_file_name(record: Record) -> str:
    """The record's id, if it can be a file name (one path component: no separator, no
    leading dot, bounded length).

    Raises:
        GoldError: If it cannot.
    """
    doc_id = str(record["id"])
    problem = file_name_problem(doc_id)
    if problem is not None:
        raise GoldError(repr(doc_id[:80]), [f"the id cannot be a file name: it {problem}"])
    return doc_id


def write_annotation_conf(directory: str | Path) -> Path:
    """Write brat's ``annotation.conf`` for newspipe gold into ``directory``."""
    path = Path(directory) / "annotation.conf"
    write_text_atomic(path, ANNOTATION_CONF)
    return path


# --------------------------------------------------------------------------- reading


@dataclass
class _Annotations:
    """The parsed lines of one ``.ann`` file."""

    text_bound: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    events: dict[str, dict[str, str]] = field(default_factory=dict)
    event_types: dict[str, str] = field(default_factory=dict)
    relations: list[tuple[str, str, str]] = field(default_factory=list)
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)


def _parse_ann(ann: str, text: str, problems: list[str]) -> _Annotations:
    parsed = _Annotations()
    for number, raw in enumerate(ann.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        where = f"line {number}"
        ident, _, rest = line.partition("\t")
        kind = ident[:1]
        if kind == "T":
            head, _, shown = rest.partition("\t")
            match = _TEXT_BOUND.match(head)
            if not match:
                problems.append(f'{where} ({ident}): malformed text-bound annotation "{head}"')
                continue
            label = match.group(1)
            pieces = [tuple(map(int, p.split())) for p in match.group(2).split(";")]
            start, end = pieces[0][0], pieces[-1][1]
            gaps = [text[a[1] : b[0]] for a, b in itertools.pairwise(pieces)]
            if any(gap.strip() for gap in gaps) or any(
                b[0] < a[1] for a, b in itertools.pairwise(pieces)
            ):
                problems.append(
                    f"{where} ({ident}): discontinuous span {match.group(2)} cannot be "
                    "represented in a record"
                )
                continue
            if not 0 <= start < end <= len(text):
                problems.append(f"{where} ({ident}): offsets {start}-{end} lie outside the text")
                continue
            expected = " ".join(text[start:end].split())
            if shown and " ".join(shown.split()) != expected:
                problems.append(
                    f'{where} ({ident}): text "{shown}" differs from the text at {start}-{end}'
                )
                continue
            parsed.text_bound[ident] = (label, start, end)
        elif kind == "E":
            parts = rest.split()
            if not parts or ":" not in parts[0]:
                problems.append(f"{where} ({ident}): malformed event")
                continue
            event_type, _, trigger = parts[0].partition(":")
            roles = dict(part.split(":", 1) for part in parts[1:] if ":" in part)
            roles = {re.sub(r"\d+$", "", role): arg for role, arg in roles.items()}
            parsed.events[ident] = {**roles, "": trigger}
            parsed.event_types[ident] = event_type
        elif kind == "R":
            parts = rest.split()
            args = dict(part.split(":", 1) for part in parts[1:] if ":" in part)
            if len(args) != 2:
                problems.append(f"{where} ({ident}): malformed relation")
                continue
            first, second = args.values()
            parsed.relations.append((parts[0], first, second))
        elif kind in "AM":
            parts = rest.split()
            if len(parts) != 3:
                problems.append(f"{where} ({ident}): attribute without a value")
                continue
            name, owner, value = parts
            parsed.attributes.setdefault(owner, {})[name] = value
        elif kind == "#":
            head, _, note = rest.partition("\t")
            head_parts = head.split()
            if len(head_parts) == 2:
                parsed.notes.setdefault(head_parts[1], []).append(note.strip())
        # other lines (normalisations "N", equivalences "*") carry nothing a record holds
    return parsed


def _infer_type(text: str, start: int, end: int) -> str:
    """A quote's type from its quotation marks, for files without a ``Type`` attribute."""
    if (
        start > 0
        and end < len(text)
        and text[start - 1] in QUOTE_MARKS
        and text[end] in QUOTE_MARKS
    ):
        return "direct"
    if any(mark in text[start:end] for mark in FRAGMENT_MARKS):
        return "mixed"
    return "indirect"


def brat_to_record(text: str, ann: str, doc_id: str, source: str = "(brat)") -> Record:
    """A record from a brat document.

    Args:
        text: The content of the ``.txt`` file.
        ann: The content of the ``.ann`` file.
        doc_id: The document id (usually the files' stem).
        source: Name used in problem messages.

    Raises:
        GoldError: With every problem of the annotation file and of the resulting record.
    """
    problems: list[str] = []
    parsed = _parse_ann(ann, text, problems)

    def span(ident: str | None, where: str, expected: str) -> dict[str, Any] | None:
        if ident is None:
            return None
        if ident not in parsed.text_bound:
            problems.append(f"{where}: refers to unknown or unusable annotation {ident}")
            return None
        label, start, end = parsed.text_bound[ident]
        if label != expected:
            problems.append(f"{where}: {ident} is a {label}, expected a {expected}")
        return {"start": start, "end": end, "text": text[start:end]}

    sentences, entities = [], []
    for ident, (label, start, end) in parsed.text_bound.items():
        if label == SENTENCE:
            sentences.append({"start": start, "end": end})
        elif label in ENTITY_LABELS:
            entities.append({"start": start, "end": end, "label": label, "text": text[start:end]})
        elif label not in (CONTENT, CUE, SOURCE) and label not in _TRIGGER_TYPES:
            problems.append(
                f"{ident}: type {label!r} is neither an OntoNotes label nor a quote part"
            )

    # Quotes, keyed by their content annotation: from events, then from relations.
    links: dict[str, dict[str, str | None]] = {}
    owners: dict[str, str] = {}  # annotation id (event or content) -> content id
    for event, roles in parsed.events.items():
        if parsed.event_types[event] not in _TRIGGER_TYPES:
            problems.append(f"{event}: event type {parsed.event_types[event]!r} is not Attribution")
            continue
        content = roles.get(CONTENT)
        if content is None:
            problems.append(f"{event}: attribution without Content")
            continue
        links[content] = {"cue": roles.get(CUE), "speaker": roles.get(SOURCE)}
        owners[event] = owners[content] = content
    for relation, first, second in parsed.relations:
        kinds = {parsed.text_bound.get(arg, ("?", 0, 0))[0]: arg for arg in (first, second)}
        if CONTENT not in kinds or not (CUE in kinds or SOURCE in kinds):
            problems.append(
                f"relation {relation} {first} {second}: not between Content and Cue/Source"
            )
            continue
        content = kinds[CONTENT]
        entry = links.setdefault(content, {"cue": None, "speaker": None})
        owners[content] = content
        if CUE in kinds:
            entry["cue"] = kinds[CUE]
        if SOURCE in kinds:
            entry["speaker"] = kinds[SOURCE]
    for ident, (label, _, _) in parsed.text_bound.items():
        if label == CONTENT and ident not in links:
            links[ident] = {"cue": None, "speaker": None}
            owners[ident] = ident

    target = None
    names: dict[str, str] = {}
    for owner, notes in parsed.notes.items():
        for note in notes:
            if note.startswith(TARGET_NOTE):
                target = note[len(TARGET_NOTE) :].strip() or None
            elif owner in owners:
                names[owners[owner]] = note
    values: dict[str, dict[str, str]] = {}
    for owner, attributes in parsed.attributes.items():
        if owner not in owners:
            problems.append(f"attributes {sorted(attributes)} on {owner}, which is not a quote")
            continue
        values.setdefault(owners[owner], {}).update(attributes)

    quotes = []
    for content_id, parts in links.items():
        where = f"quote {content_id}"
        content_span = span(content_id, where, CONTENT)
        if content_span is None:
            continue
        attributes = values.get(content_id, {})
        kind = attributes.get("Type") or _infer_type(
            text, content_span["start"], content_span["end"]
        )
        quotes.append(
            {
                "content": content_span,
                "cue": span(parts["cue"], where, CUE),
                "speaker": span(parts["speaker"], where, SOURCE),
                "speaker_name": names.get(content_id),
                "type": kind,
                "stance": attributes.get("Stance"),
            }
        )
    record: dict[str, Any] = {
        "id": doc_id,
        "text": text,
        "target": target,
        "sentences": sorted(sentences, key=lambda s: s["start"]),
        "entities": sorted(entities, key=lambda e: (e["start"], e["end"])),
        "quotes": sorted(quotes, key=lambda q: (q["content"]["start"], -q["content"]["end"])),
    }
    problems += check_record(record)
    if problems:
        raise GoldError(source, problems)
    return cast(Record, record)


def brat_paths(path: str | Path) -> tuple[Path, Path]:
    """The ``.txt`` and ``.ann`` files of a brat document given by either file or the stem."""
    path = Path(path)
    stem = path.with_suffix("") if path.suffix in (".txt", ".ann") else path
    return stem.with_name(f"{stem.name}.txt"), stem.with_name(f"{stem.name}.ann")


def read_brat(path: str | Path, doc_id: str | None = None) -> Record:
    """A record from a brat document on disk (``x.txt`` + ``x.ann``; give either, or ``x``).

    Raises:
        GoldError: If a file is missing or unreadable, or the annotations have problems.
    """
    txt, ann = brat_paths(path)
    source = str(ann)
    text = read_article(txt, source)
    try:
        annotations = read_bounded(ann, MAX_TEXT_BYTES).decode("utf-8-sig")
    except OSError as err:
        raise GoldError(source, [f"cannot read ({err.strerror or err})"]) from None
    except UnicodeDecodeError as err:
        raise GoldError(source, [f"not UTF-8 (invalid byte at offset {err.start})"]) from None
    return brat_to_record(text, annotations, doc_id or txt.stem, source)
