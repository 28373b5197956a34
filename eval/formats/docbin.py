"""spaCy ``DocBin`` export and import of gold records.

Each record becomes one ``Doc`` tokenized by ``spacy.blank("en")``, annotated as follows
(the scheme is lossless: importing an exported DocBin gives back the same records):

- sentences: ``token.is_sent_start`` is True on the first token of each gold sentence and
  False on every other token (left unset when the record has no sentences);
- entities: ``doc.ents``, labelled with their OntoNotes label;
- quotes: ``doc.spans["quotes"]`` holds the content spans in record order, each labelled
  with the quote type (``direct``/``indirect``/``mixed``);
  ``doc.spans["quote_cues"]`` and ``doc.spans["quote_speakers"]`` hold the cue and speaker
  spans, each labelled with the index of its quote in ``doc.spans["quotes"]`` (``"0"``,
  ``"1"``, …), so a quote without a cue or speaker simply has none there;
- ``doc.user_data["newspipe.gold"]`` holds ``{"id", "target", "speaker_names",
  "stances"}``, the two lists aligned with ``doc.spans["quotes"]``.

Spans live on tokens inside spaCy, so a gold span must start and end on token boundaries.
Each span is mapped with ``doc.char_span(..., alignment_mode="expand")`` and its offsets are
checked: a span that does not align is reported with the token span it would become.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.vocab import Vocab

from newspipe.eval.gold import GoldError, check_record
from newspipe.pipeline.extensions import QUOTES_KEY
from newspipe.pipeline.files import atomic_writer
from newspipe.pipeline.records import Record, sentence_records

CUES_KEY = "quote_cues"
SPEAKERS_KEY = "quote_speakers"
USER_DATA_KEY = "newspipe.gold"


def blank_nlp() -> Language:
    """The tokenizer every gold Doc is made with."""
    return spacy.blank("en")


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _token_span(
    doc: Doc, span: dict[str, Any], where: str, problems: list[str], label: str = ""
) -> Span | None:
    """The token span of a character span, or None (with a problem) if it does not align."""
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


def record_to_doc(record: Record, nlp: Language | None = None) -> Doc:
    """A ``Doc`` holding a record's annotations in the scheme of this module.

    Args:
        record: A valid record.
        nlp: The tokenizer to use; ``spacy.blank("en")`` if None.

    Raises:
        GoldError: Listing every span that does not align with the tokens.
    """
    nlp = nlp or blank_nlp()
    doc = nlp.make_doc(record["text"])
    problems: list[str] = []
    starts = []
    for i, sentence in enumerate(record["sentences"]):
        tokens = _token_span(doc, sentence, f"sentences[{i}]", problems)
        if tokens is not None:
            starts.append(tokens.start)
    if record["sentences"] and len(doc):
        for token in doc:
            token.is_sent_start = token.i == 0 or token.i in set(starts)
    entities = [
        _token_span(doc, entity, f"entities[{i}]", problems, entity["label"])
        for i, entity in enumerate(record["entities"])
    ]
    contents: list[Span] = []
    cues: list[Span] = []
    speakers: list[Span] = []
    for i, quote in enumerate(record["quotes"]):
        content = _token_span(
            doc, quote["content"], f"quotes[{i}].content", problems, quote["type"]
        )
        if content is not None:
            contents.append(content)
        for part, group in (("cue", cues), ("speaker", speakers)):
            if quote[part] is not None:
                tokens = _token_span(doc, quote[part], f"quotes[{i}].{part}", problems, str(i))
                if tokens is not None:
                    group.append(tokens)
    if problems:
        raise GoldError(record["id"], problems)
    doc.ents = [span for span in entities if span is not None]
    doc.spans[QUOTES_KEY] = contents
    doc.spans[CUES_KEY] = cues
    doc.spans[SPEAKERS_KEY] = speakers
    doc.user_data[USER_DATA_KEY] = {
        "id": record["id"],
        "target": record.get("target"),
        "speaker_names": [quote["speaker_name"] for quote in record["quotes"]],
        "stances": [quote["stance"] for quote in record["quotes"]],
    }
    return doc


def _span(span: Span) -> dict[str, Any]:
    return {"start": span.start_char, "end": span.end_char, "text": span.text}


def doc_to_record(doc: Doc, default_id: str = "doc") -> Record:
    """A record from a ``Doc`` annotated in the scheme of this module.

    Args:
        doc: The Doc (e.g. read from a DocBin).
        default_id: The id to use when the Doc carries none.

    Raises:
        GoldError: If the quote layers do not fit together or the record has problems.
    """
    meta = doc.user_data.get(USER_DATA_KEY) or {}
    doc_id = str(meta.get("id") or default_id)
    contents = list(doc.spans[QUOTES_KEY]) if QUOTES_KEY in doc.spans else []
    names = list(meta.get("speaker_names") or [None] * len(contents))
    stances = list(meta.get("stances") or [None] * len(contents))
    problems: list[str] = []
    if not len(names) == len(stances) == len(contents):
        problems.append(
            f"{len(contents)} quotes but {len(names)} speaker names and {len(stances)} stances"
        )
        raise GoldError(doc_id, problems)
    parts: dict[str, list[Span | None]] = {}
    for part, key in (("cue", CUES_KEY), ("speaker", SPEAKERS_KEY)):
        found: list[Span | None] = [None] * len(contents)
        for span in doc.spans.get(key, []):
            label = span.label_
            if not label.isdigit() or int(label) >= len(contents):
                problems.append(f'{key} span "{span.text}" has label {label!r}, not a quote index')
            elif found[int(label)] is not None:
                problems.append(f"quote {label} has two {part} spans")
            else:
                found[int(label)] = span
        parts[part] = found
    quotes = []
    for i, content in enumerate(contents):
        cue, speaker = parts["cue"][i], parts["speaker"][i]
        quotes.append(
            {
                "content": _span(content),
                "cue": None if cue is None else _span(cue),
                "speaker": None if speaker is None else _span(speaker),
                "speaker_name": names[i],
                "type": content.label_,
                "stance": stances[i],
            }
        )
    record: Record = {
        "id": doc_id,
        "text": doc.text,
        "target": meta.get("target"),
        "sentences": sentence_records(doc),
        "entities": [{**_span(ent), "label": ent.label_} for ent in doc.ents],
        "quotes": quotes,
    }
    problems += check_record(record)
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
        docbin = DocBin(store_user_data=True).from_bytes(path.read_bytes())
    except OSError as err:
        raise GoldError(str(path), [f"cannot read ({err.strerror or err})"]) from None
    except Exception as err:  # spaCy raises various errors on bytes that are not a DocBin
        raise GoldError(str(path), [f"not a spaCy DocBin ({type(err).__name__})"]) from None
    try:
        return docbin_to_records(docbin)
    except GoldError as err:
        raise GoldError(str(path), err.lines()) from None
