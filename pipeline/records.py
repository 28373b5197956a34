"""The record: newspipe's contract for one document, and the only code that knows it.

A record holds the document's id, text and stance target, and its sentences, entities and
quotes as character offsets into ``text`` (end exclusive). This module owns all of it:

- the types (:class:`Record` and the TypedDicts of its parts): the single description of the
  contract, from which the JSON Schema (``schema/record.schema.json``, checked to be
  :func:`record_json_schema`) and the Arrow schema of Parquet output
  (:func:`record_arrow_schema`) are made;
- both conversions: :func:`doc_to_record` (what the stages wrote on a ``Doc``) and
  :func:`record_to_doc` (a record back onto a ``Doc``, with the layer setters
  :func:`set_sentences`, :func:`set_entities`, :func:`set_quotes` that evaluation also uses);
- :func:`record_problems`: a record checked against the schema and its own text.

On the ``Doc`` side the contract is spaCy's own slots plus newspipe's extension attributes
(:mod:`newspipe.pipeline.extensions`): ``doc.sents``, ``doc.ents``, ``doc.spans["quotes"]``
with ``span._.cue``, ``._.speaker``, ``._.speaker_name``, ``._.quote_type``, ``._.stance``,
``._.stance_evidence``, ``._.confidence``, ``._.quote_source``, and ``doc._.target``,
``doc._.doc_id``.

After a change to the types, ``write_json_schema()`` rewrites the schema file (a test checks
that the file is what the types say).
"""

from __future__ import annotations

import json
import types
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    Literal,
    TypedDict,
    Union,
    get_args,
    get_origin,
    get_type_hints,
    is_typeddict,
)

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from newspipe.pipeline.errors import RecordAlignmentError
from newspipe.pipeline.extensions import QUOTES_KEY, register_extensions
from newspipe.pipeline.stages import EntityLabel, QuoteType, StanceLabel

if TYPE_CHECKING:
    import pyarrow as pa
    from spacy.language import Language

SCHEMA_PATH = Path(__file__).parent / "schema" / "record.schema.json"

OFFSET = "offset"
"""Marks an ``int`` field as a character offset (``minimum: 0`` in the JSON Schema)."""
Offset = Annotated[int, OFFSET]
PROBABILITY = "probability"
"""Marks a ``float`` field as a probability (``minimum: 0, maximum: 1`` in the JSON Schema)."""
Probability = Annotated[float, PROBABILITY]


class SpanRecord(TypedDict):
    """A stretch of the text: ``text[start:end] == text``."""

    start: Offset
    end: Offset
    text: str


class SentenceRecord(TypedDict):
    """A sentence, whitespace trimmed."""

    start: Offset
    end: Offset


class EntityRecord(TypedDict):
    """A named entity with its OntoNotes label."""

    start: Offset
    end: Offset
    text: str
    label: EntityLabel


class _RequiredQuoteFields(TypedDict):
    content: SpanRecord
    cue: SpanRecord | None
    speaker: SpanRecord | None
    speaker_name: str | None
    type: QuoteType
    stance: StanceLabel | None


class QuoteRecord(_RequiredQuoteFields, total=False):
    """Who said what: the content, its cue and speaker, the speaker's name, type and stance.

    (The optional fields are declared in a ``total=False`` subclass rather than with
    ``NotRequired``, which postponed annotations hide from ``TypedDict`` at run time.)
    """

    stance_evidence: list[str] | None
    confidence: Probability | None
    source: str | None
    stances: dict[str, StanceLabel | None] | None


class _RequiredRecordFields(TypedDict):
    id: str
    text: str
    target: str | None
    sentences: list[SentenceRecord]
    entities: list[EntityRecord]
    quotes: list[QuoteRecord]


class Record(_RequiredRecordFields, total=False):
    """One document as newspipe extracts it."""

    targets: list[str] | None


DESCRIPTIONS: dict[str, str] = {
    "Record": "One document as newspipe extracts it. Offsets are character offsets into "
    "`text`, end exclusive; `text[start:end]` equals the span's `text`. Other fields may be "
    "added.",
    "Record.id": "Document id (a file's stem, or the input record's id).",
    "Record.text": "The document text, exactly as read.",
    "Record.target": "The stance target of this document (the first, when it has several).",
    "Record.targets": "Optional, present when a document has a list of targets: all of them, "
    "in order (the first is `target`).",
    "Record.sentences": "Every sentence, headline and dateline lines included, whitespace trimmed.",
    "Record.entities": "Named entities (OntoNotes 5 labels).",
    "Record.quotes": "Direct, indirect and mixed quotes, in text order.",
    "QuoteRecord.content": "What was said: inside the marks for a direct quote, the reported "
    "clause otherwise.",
    "QuoteRecord.cue": "The reporting verb or phrase.",
    "QuoteRecord.speaker": "The speaker mention as written.",
    "QuoteRecord.speaker_name": "The speaker's canonical (fullest) name in the document.",
    "QuoteRecord.type": "direct (all inside quotation marks), indirect (none) or mixed (part).",
    "QuoteRecord.stance": "Stance toward the target (the first target); null when there is no "
    "target.",
    "QuoteRecord.stances": "Optional: the stance toward each target of the document, by target.",
    "QuoteRecord.stance_evidence": "Optional: what decided the stance (cue, words, rule), for "
    "users who need to trust it.",
    "QuoteRecord.confidence": "How likely the quote is right, 0–1 (the judge's calibrated "
    "probability; newspipe writes it on every quote).",
    "QuoteRecord.source": "The candidate rule that proposed the quote, e.g. 'parse:ccomp', "
    "'according', 'marks:near', 'marks:continuation' (newspipe writes it on every quote).",
}
"""The prose of the JSON Schema, by ``Type.field``."""

_DEFS = {SpanRecord: "span", SentenceRecord: "sentence", EntityRecord: "entity"}
_DEFS |= {QuoteRecord: "quote"}


# --------------------------------------------------------------------------- Doc → record


def span_record(span: Span | None) -> SpanRecord | None:
    """``{"start", "end", "text"}`` of a span in character offsets, whitespace trimmed."""
    if span is None:
        return None
    text = span.text  # built from the span's own tokens: cost grows with the span, not the doc
    stripped = text.strip()
    if not stripped:
        return None
    start = span.start_char + (len(text) - len(text.lstrip()))
    return {"start": start, "end": start + len(stripped), "text": stripped}


def sentence_records(doc: Doc) -> list[SentenceRecord]:
    """Sentence offsets, whitespace trimmed; whitespace-only sentences are dropped."""
    if not doc.has_annotation("SENT_START"):
        return []
    sentences: list[SentenceRecord] = []
    for sent in doc.sents:
        span = span_record(sent)
        if span is not None:
            sentences.append({"start": span["start"], "end": span["end"]})
    return sentences


def quote_record(quote: Span, stance_evidence: bool = True) -> QuoteRecord | None:
    """One quote of ``doc.spans["quotes"]`` as a record (None if its content is blank)."""
    content = span_record(quote)
    if content is None:
        return None
    record: QuoteRecord = {
        "content": content,
        "cue": span_record(quote._.cue),
        "speaker": span_record(quote._.speaker),
        "speaker_name": quote._.speaker_name,
        "type": quote._.quote_type,
        "stance": quote._.stance,
    }
    if stance_evidence:
        record["stance_evidence"] = quote._.stance_evidence
    if quote._.confidence is not None:  # the quote stage sets both on every quote it finds
        record["confidence"] = round(float(quote._.confidence), 4)
    if quote._.quote_source is not None:
        record["source"] = quote._.quote_source
    stances = quote._.stances if Span.has_extension("stances") else None
    if stances:
        record["stances"] = stances
    return record


def doc_to_record(doc: Doc, doc_id: str | None = None, *, stance_evidence: bool = True) -> Record:
    """Everything the stages wrote on ``doc``, as a record.

    Args:
        doc: A Doc the pipeline (or :func:`record_to_doc`) annotated.
        doc_id: The record's id; default ``doc._.doc_id``, else the empty string.
        stance_evidence: Whether quotes carry the optional ``stance_evidence`` field.
    """
    if doc_id is None:
        doc_id = (doc._.doc_id if Doc.has_extension("doc_id") else None) or ""
    quotes = (quote_record(q, stance_evidence) for q in doc.spans.get(QUOTES_KEY, []))
    targets = doc._.targets if Doc.has_extension("targets") else None
    record: Record = {
        "id": doc_id,
        "text": doc.text,
        "target": doc._.target if Doc.has_extension("target") else None,
        "sentences": sentence_records(doc),
        "entities": [
            {**span, "label": ent.label_}  # type: ignore[typeddict-item]
            for ent in doc.ents
            if (span := span_record(ent)) is not None
        ],
        "quotes": [q for q in quotes if q is not None],
    }
    if targets:
        record["targets"] = list(targets)
    return record


# --------------------------------------------------------------------------- record → Doc


def make_doc(
    nlp: Language,
    text: str,
    *,
    target: str | Sequence[str] | None = None,
    doc_id: str | None = None,
) -> Doc:
    """A tokenized ``Doc`` of ``text`` carrying its stance target(s) and id (no component
    runs). Several targets go to ``doc._.targets``, the first of them to ``doc._.target``."""
    register_extensions()
    doc = nlp.make_doc(text)
    if target is not None and not isinstance(target, str):
        doc._.targets = list(target)
        target = doc._.targets[0] if doc._.targets else None
    doc._.target = target
    doc._.doc_id = doc_id
    return doc


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _aligned(
    doc: Doc, span: Mapping[str, Any], where: str, problems: list[str], label: str = ""
) -> Span | None:
    """The token span of exactly a character span, or None (with a problem)."""
    start, end = span["start"], span["end"]
    tokens = doc.char_span(start, end, label=label, alignment_mode="expand")
    piece = doc.text[start:end]
    if tokens is None:
        problems.append(f'{where} "{_short(piece)}" ({start}-{end}): covers no token')
        return None
    if (tokens.start_char, tokens.end_char) != (start, end):
        problems.append(
            f'{where} "{_short(piece)}" ({start}-{end}) does not align with spaCy tokens; '
            f'the nearest token span is "{_short(tokens.text)}" '
            f"({tokens.start_char}-{tokens.end_char})"
        )
        return None
    return tokens


def _expanded(doc: Doc, span: Mapping[str, Any] | None, label: str = "") -> Span | None:
    """The token span covering a character span (None for none)."""
    if span is None:
        return None
    return doc.char_span(span["start"], span["end"], label=label, alignment_mode="expand")


def _token_at(doc: Doc, offset: int) -> int | None:
    """Index of the first token that ends after ``offset`` (the token holding it, or the next)."""
    for token in doc:
        if token.idx + len(token.text) > offset:
            return token.i
    return None


def set_sentences(
    doc: Doc, sentences: Sequence[SentenceRecord], problems: list[str] | None = None
) -> None:
    """Preset ``is_sent_start`` on every token from sentence offsets: True where a sentence
    starts (and on the first token), False elsewhere.

    With ``problems`` (strict), a sentence that does not align with the tokens is reported
    there and left out; without, a sentence starts at the token that holds its first character.
    """
    starts = {0}
    for i, sentence in enumerate(sentences):
        if problems is not None:
            tokens = _aligned(doc, sentence, f"sentences[{i}]", problems)
            index = None if tokens is None else tokens.start
        else:
            index = _token_at(doc, sentence["start"])
        if index is not None:
            starts.add(index)
    if len(doc):
        for token in doc:
            token.is_sent_start = token.i in starts


def set_entities(
    doc: Doc, entities: Sequence[EntityRecord], problems: list[str] | None = None
) -> None:
    """``doc.ents`` from entity offsets.

    With ``problems`` (strict), an entity that does not align with the tokens is reported
    there and left out; without, each is widened to token boundaries and overlaps are
    resolved as spaCy's ``filter_spans`` does.
    """
    if problems is not None:
        aligned = (
            _aligned(doc, e, f"entities[{i}]", problems, e["label"]) for i, e in enumerate(entities)
        )
        doc.ents = [span for span in aligned if span is not None]
    else:
        widened = (_expanded(doc, e, e["label"]) for e in entities)
        doc.ents = filter_spans([span for span in widened if span is not None])


def set_quotes(
    doc: Doc,
    quotes: Sequence[QuoteRecord],
    problems: list[str] | None = None,
    *,
    with_stance: bool = True,
) -> list[int]:
    """``doc.spans["quotes"]`` from quote records: each content span (labelled with the quote
    type) with its cue, speaker, speaker name, type and — ``with_stance`` — stance and stance
    evidence (else None, for a stance stage to fill in).

    With ``problems`` (strict), a part that does not align with the tokens is reported there;
    without, parts are widened to token boundaries. Returns the indices of the quotes set.
    """
    spans: list[Span] = []
    kept: list[int] = []
    for i, quote in enumerate(quotes):
        cue, speaker = quote["cue"], quote["speaker"]
        if problems is not None:
            where = f"quotes[{i}]"
            content = _aligned(doc, quote["content"], f"{where}.content", problems, quote["type"])
            cue_span = None if cue is None else _aligned(doc, cue, f"{where}.cue", problems)
            speaker_span = (
                None if speaker is None else _aligned(doc, speaker, f"{where}.speaker", problems)
            )
        else:
            content = _expanded(doc, quote["content"], quote["type"])
            cue_span, speaker_span = _expanded(doc, cue), _expanded(doc, speaker)
        if content is None:
            continue
        content._.cue = cue_span
        content._.speaker = speaker_span
        content._.speaker_name = quote["speaker_name"]
        content._.quote_type = quote["type"]
        content._.stance = quote["stance"] if with_stance else None
        content._.stance_evidence = quote.get("stance_evidence") if with_stance else None
        content._.confidence = quote.get("confidence")
        content._.quote_source = quote.get("source")
        content._.stances = quote.get("stances") if with_stance else None
        spans.append(content)
        kept.append(i)
    doc.spans[QUOTES_KEY] = spans
    return kept


def record_to_doc(record: Record, nlp: Language, *, strict: bool = True) -> Doc:
    """A ``Doc`` of ``nlp``'s tokenizer carrying a record's annotations, as the stages write
    them (the inverse of :func:`doc_to_record`).

    Args:
        record: A record.
        nlp: Its tokenizer makes the Doc (no component runs).
        strict: Every span must start and end on token boundaries; otherwise spans are widened
            to the tokens they touch.

    Raises:
        RecordAlignmentError: (strict) listing every span that does not align with the tokens.
    """
    register_extensions()
    doc = nlp.make_doc(record["text"])
    doc._.doc_id = record["id"]
    doc._.target = record.get("target")
    doc._.targets = record.get("targets")
    problems: list[str] | None = [] if strict else None
    if record["sentences"]:
        set_sentences(doc, record["sentences"], problems)
    set_entities(doc, record["entities"], problems)
    set_quotes(doc, record["quotes"], problems)
    if problems:
        raise RecordAlignmentError(record["id"], problems)
    return doc


# --------------------------------------------------------------------------- checking


@lru_cache(maxsize=1)
def record_schema() -> dict[str, Any]:
    """The JSON Schema of a record (the packaged file)."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def record_problems(record: Any) -> list[str]:
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


# --------------------------------------------------------------------------- schemas


def _parts(annotation: Any) -> tuple[list[Any], bool]:
    """The members of a union and whether None is one of them."""
    if get_origin(annotation) in (Union, types.UnionType):
        members = list(get_args(annotation))
        return [m for m in members if m is not type(None)], type(None) in members
    return [annotation], False


def _hints(typed_dict: Any) -> dict[str, Any]:
    hints = get_type_hints(typed_dict, include_extras=True)
    return {name: hints[name] for name in typed_dict.__annotations__}


def _json_type(annotation: Any, owner: str, field: str) -> dict[str, Any]:
    members, nullable = _parts(annotation)
    (member,) = members
    if get_origin(member) is Annotated:
        base, *marks = get_args(member)
        schema = _json_type(base, owner, field)
        if OFFSET in marks:
            schema["minimum"] = 0
        if PROBABILITY in marks:
            schema |= {"minimum": 0, "maximum": 1}
    elif get_origin(member) is Literal:
        schema = {"enum": [*get_args(member), *([None] if nullable else [])]}
        nullable = False
    elif member is str:
        schema = {"type": "string"}
    elif member is int:
        schema = {"type": "integer"}
    elif member is float:
        schema = {"type": "number"}
    elif get_origin(member) is list:
        schema = {"type": "array", "items": _json_type(get_args(member)[0], owner, field)}
    elif get_origin(member) is dict and get_args(member)[0] is str:
        values = _json_type(get_args(member)[1], owner, field)
        schema = {"type": "object", "additionalProperties": values}
    elif is_typeddict(member) and member in _DEFS:
        schema = {"$ref": f"#/$defs/{_DEFS[member]}"}
        if nullable:
            schema = {"oneOf": [schema, {"type": "null"}]}
            nullable = False
    else:
        raise TypeError(f"{owner}.{field}: no JSON Schema for {member!r}")
    if nullable:
        schema["type"] = [schema["type"], "null"]
    return schema


def _json_object(typed_dict: Any) -> dict[str, Any]:
    name = typed_dict.__name__
    properties = {}
    for field, annotation in _hints(typed_dict).items():
        schema = _json_type(annotation, name, field)
        if f"{name}.{field}" in DESCRIPTIONS:
            schema["description"] = DESCRIPTIONS[f"{name}.{field}"]
        properties[field] = schema
    required = [f for f in typed_dict.__annotations__ if f in typed_dict.__required_keys__]
    return {"type": "object", "required": required, "properties": properties}


def record_json_schema() -> dict[str, Any]:
    """The JSON Schema of :class:`Record`, made from the types of this module."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://newspipe.invalid/schema/record.schema.json",
        "title": "newspipe record",
        "description": DESCRIPTIONS["Record"],
        **_json_object(Record),
        "$defs": {name: _json_object(typed_dict) for typed_dict, name in _DEFS.items()},
    }


def _arrow_type(annotation: Any) -> pa.DataType:
    import pyarrow as pa

    (member,), _ = _parts(annotation)
    if get_origin(member) is Annotated:
        return _arrow_type(get_args(member)[0])
    if get_origin(member) is Literal or member is str:
        return pa.string()
    if member is int:
        return pa.int64()
    if member is float:
        return pa.float64()
    if get_origin(member) is list:
        return pa.list_(_arrow_type(get_args(member)[0]))
    if get_origin(member) is dict:
        key, value = get_args(member)
        return pa.map_(_arrow_type(key), _arrow_type(value))
    if is_typeddict(member):
        return pa.struct([(f, _arrow_type(a)) for f, a in _hints(member).items()])
    raise TypeError(f"no Arrow type for {member!r}")


def record_arrow_schema() -> pa.Schema:
    """The record contract as an Arrow schema (Parquet output), made from :class:`Record`:
    spans are structs ``{start, end, text}``, sentences/entities/quotes lists of structs."""
    import pyarrow as pa

    return pa.schema([(f, _arrow_type(a)) for f, a in _hints(Record).items()])


def json_schema_text() -> str:
    """:func:`record_json_schema` as the text of ``schema/record.schema.json``."""
    return json.dumps(record_json_schema(), indent=2, ensure_ascii=False) + "\n"


def write_json_schema(path: str | Path = SCHEMA_PATH) -> None:
    """Write ``schema/record.schema.json`` from the types (after a change to the contract)."""
    Path(path).write_text(json_schema_text(), encoding="utf-8")
