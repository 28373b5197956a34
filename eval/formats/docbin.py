"""spaCy ``DocBin`` export and import of gold records.

A record becomes a ``Doc`` by :func:`newspipe.pipeline.records.record_to_doc`, tokenized by
``spacy.blank("en")``, annotated as the pipeline annotates its own Docs: sentences as
``token.is_sent_start`` (True on the first token of each sentence, False on every other; unset
when the record has no sentences), entities as ``doc.ents``, quotes as ``doc.spans["quotes"]``
(each content span labelled with its quote type) with their extension attributes
(``span._.quote_type``, ``._.speaker_name``, ``._.stance``), and ``doc._.doc_id``,
``doc._.target``. A ``DocBin`` with ``store_user_data`` keeps all of that by itself, extension
values being user data, except the attributes whose values are spans: a quote's cue and
speaker. This module encodes those two, and only those:

- ``doc.spans["quote_cues"]`` and ``doc.spans["quote_speakers"]`` hold the cue and speaker
  spans, each labelled with the index of its quote in ``doc.spans["quotes"]`` (``"0"``,
  ``"1"``, …), so a quote without a cue or speaker simply has none there.

Importing an exported DocBin gives back the same records. A DocBin written by an earlier
version (quote attributes in ``doc.user_data["newspipe.gold"]``) is still read.

Spans live on tokens inside spaCy, so a gold span must start and end on token boundaries; a
span that does not align is reported with the token span it would become.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.vocab import Vocab

from newspipe.eval.gold import GoldError, check_record
from newspipe.pipeline import records as contract
from newspipe.pipeline.errors import RecordAlignmentError
from newspipe.pipeline.extensions import QUOTES_KEY, register_extensions
from newspipe.pipeline.files import MAX_DATA_BYTES, atomic_writer, read_bounded
from newspipe.pipeline.records import Record

CUES_KEY = "quote_cues"
SPEAKERS_KEY = "quote_speakers"
SPAN_ATTRIBUTES = {"cue": CUES_KEY, "speaker": SPEAKERS_KEY}
"""The span-valued quote attributes and the span group that encodes each."""
LEGACY_USER_DATA_KEY = "newspipe.gold"


def blank_nlp() -> Language:
    """The tokenizer every gold Doc is made with."""
    return spacy.blank("en")


def encode_span_attributes(doc: Doc) -> Doc:
    """Move each quote's cue and speaker (spans, which a ``DocBin`` cannot store) into the
    span groups of :data:`SPAN_ATTRIBUTES`, labelled with the quote's index."""
    quotes = list(doc.spans.get(QUOTES_KEY, []))
    for attribute, key in SPAN_ATTRIBUTES.items():
        group: list[Span] = []
        for i, quote in enumerate(quotes):
            value = getattr(quote._, attribute)
            if value is not None:
                group.append(Span(doc, value.start, value.end, label=str(i)))
            setattr(quote._, attribute, None)
        doc.spans[key] = group
    return doc


def decode_span_attributes(doc: Doc, default_id: str = "doc") -> Doc:
    """Set each quote's cue and speaker from the span groups of :data:`SPAN_ATTRIBUTES` (the
    inverse of :func:`encode_span_attributes`; also reads the layout of earlier versions).

    Raises:
        GoldError: If the groups do not fit the quotes.
    """
    register_extensions()
    quotes = list(doc.spans.get(QUOTES_KEY, []))
    problems = _decode_legacy(doc, quotes)
    if problems:
        raise GoldError(str(doc._.doc_id or default_id), problems)
    for attribute, key in SPAN_ATTRIBUTES.items():
        found: list[Span | None] = [None] * len(quotes)
        for span in doc.spans.get(key, []):
            label = span.label_
            if not label.isdigit() or int(label) >= len(quotes):
                problems.append(f'{key} span "{span.text}" has label {label!r}, not a quote index')
            elif found[int(label)] is not None:
                problems.append(f"quote {label} has two {attribute} spans")
            else:
                found[int(label)] = doc[span.start : span.end]
        for quote, value in zip(quotes, found, strict=True):
            setattr(quote._, attribute, value)
    if problems:
        raise GoldError(str(doc._.doc_id or default_id), problems)
    return doc


def _decode_legacy(doc: Doc, quotes: list[Span]) -> list[str]:
    """Quote attributes of the earlier layout: ``user_data["newspipe.gold"]`` = ``{"id",
    "target", "speaker_names", "stances"}`` and the quote type as the content span's label."""
    meta = doc.user_data.pop(LEGACY_USER_DATA_KEY, None)
    if meta is None:
        return []
    doc._.doc_id, doc._.target = meta.get("id"), meta.get("target")
    names = list(meta.get("speaker_names") or [None] * len(quotes))
    stances = list(meta.get("stances") or [None] * len(quotes))
    if not len(names) == len(stances) == len(quotes):
        return [f"{len(quotes)} quotes but {len(names)} speaker names and {len(stances)} stances"]
    for quote, name, stance in zip(quotes, names, stances, strict=True):
        quote._.quote_type, quote._.speaker_name, quote._.stance = quote.label_, name, stance
    return []


def record_to_doc(record: Record, nlp: Language | None = None) -> Doc:
    """A ``Doc`` holding a record's annotations, ready for a ``DocBin``.

    Args:
        record: A valid record.
        nlp: The tokenizer to use; ``spacy.blank("en")`` if None.

    Raises:
        GoldError: Listing every span that does not align with the tokens.
    """
    try:
        doc = contract.record_to_doc(record, nlp or blank_nlp())
    except RecordAlignmentError as err:
        raise GoldError(err.doc_id, err.problems) from None
    return encode_span_attributes(doc)


def doc_to_record(doc: Doc, default_id: str = "doc") -> Record:
    """A record from a ``Doc`` read from a DocBin of this module.

    Args:
        doc: The Doc (e.g. read from a DocBin).
        default_id: The id to use when the Doc carries none.

    Raises:
        GoldError: If the quote layers do not fit together or the record has problems.
    """
    decode_span_attributes(doc, default_id)
    doc_id = str(doc._.doc_id or default_id)
    record = contract.doc_to_record(doc, doc_id, stance_evidence=False)
    problems = check_record(record)
    if problems:
        raise GoldError(doc_id, problems)
    return record


def records_to_docbin(records: Iterable[Record], nlp: Language | None = None) -> DocBin:
    """A ``DocBin`` (with user data) of the records' Docs.

    Raises:
        GoldError: Listing the unaligned spans of every record that has some.
    """
    nlp = nlp or blank_nlp()
    docbin = DocBin(store_user_data=True)
    problems: list[str] = []
    for record in records:
        try:
            docbin.add(record_to_doc(record, nlp))
        except GoldError as err:
            problems += err.lines()
    if problems:
        raise GoldError("DocBin export", problems)
    return docbin


def docbin_to_records(docbin: DocBin, vocab: Vocab | None = None) -> list[Record]:
    """The records of a ``DocBin`` written by :func:`records_to_docbin`.

    Raises:
        GoldError: With the problems of every document that has some.
    """
    vocab = vocab or blank_nlp().vocab
    records, problems = [], []
    for i, doc in enumerate(docbin.get_docs(vocab)):
        try:
            records.append(doc_to_record(doc, default_id=f"doc{i}"))
        except GoldError as err:
            problems += err.lines()
    if problems:
        raise GoldError("DocBin import", problems)
    return records


def write_docbin(records: Iterable[Record], path: str | Path) -> Path:
    """Write the records as one ``.spacy`` DocBin file, atomically."""
    data = records_to_docbin(records).to_bytes()
    path = Path(path)
    with atomic_writer(path, "wb") as handle:
        handle.write(data)
    return path


def read_docbin(path: str | Path) -> list[Record]:
    """The records of a ``.spacy`` DocBin file.

    Raises:
        GoldError: If the file cannot be read or holds documents with problems.
    """
    path = Path(path)
    try:
        docbin = DocBin(store_user_data=True).from_bytes(read_bounded(path, MAX_DATA_BYTES))
    except OSError as err:
        raise GoldError(str(path), [f"cannot read ({err.strerror or err})"]) from None
    except Exception as err:  # spaCy raises various errors on bytes that are not a DocBin
        raise GoldError(str(path), [f"not a spaCy DocBin ({type(err).__name__})"]) from None
    try:
        return docbin_to_records(docbin)
    except GoldError as err:
        raise GoldError(str(path), err.lines()) from None
