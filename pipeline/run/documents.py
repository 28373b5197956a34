"""Documents to extract from, and the problems met reading them.

A reader never raises for a bad document: it yields an :class:`InputProblem` naming the input
and the problem, and goes on with the next one. :func:`record_to_item` turns one record (a JSON
object or a table row) into a :class:`Document`, or says what is wrong with it; every reader
(:mod:`newspipe.pipeline.run.readers`, :mod:`newspipe.pipeline.run.tables`, the Ray engine)
goes through it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Document:
    """One document to extract from."""

    id: str
    text: str
    target: str | tuple[str, ...] | None = None
    """The stance target, or several (a record may carry a list)."""
    source: str = ""


@dataclass(frozen=True)
class InputProblem:
    """A document or input that could not be read (or processed), and why.

    ``id`` is the document's id when it is known (a document that failed in a stage);
    ``needs`` names the reading setting that would resolve the problem (``"split"``), so that
    a caller can say how to give it.
    """

    source: str
    message: str
    id: str | None = None
    needs: str | None = None

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


Item = Document | InputProblem


@dataclass(frozen=True)
class Fields:
    """Which record field (or table column) holds a document's text, id and stance target."""

    text: str = "text"
    id: str = "id"
    target: str = "target"


DEFAULT_FIELDS = Fields()


def decode_text(data: bytes, source: str) -> str | InputProblem:
    """UTF-8 text of ``data``, or the problem with it (binary, not UTF-8, empty)."""
    if b"\x00" in data:
        return InputProblem(source, "binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return InputProblem(source, f"not UTF-8 text (invalid byte at offset {err.start})")
    if not text.strip():
        return InputProblem(source, "empty text")
    return text


def parse_record(line: str, source: str, default_id: str, fields: Fields = DEFAULT_FIELDS) -> Item:
    """One JSONL line ``{"id", "text", "target"?}`` as a document."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        return InputProblem(source, f"malformed JSON ({json_error(err)})")
    except RecursionError:
        return InputProblem(source, "malformed JSON (nested too deeply)")
    if not isinstance(record, dict):
        return InputProblem(source, "a record must be a JSON object")
    return record_to_item(record, source, default_id, fields)


def json_error(err: json.JSONDecodeError) -> str:
    """A JSON syntax error in a few words: ``Expecting value at column 1``, ``Unterminated
    string starting at column 9`` (json's own message may already end in "at")."""
    at = "" if err.msg.endswith(" at") else " at"
    return f"{err.msg}{at} column {err.colno}"


def record_to_item(
    record: Mapping[str, Any], source: str, default_id: str, fields: Fields = DEFAULT_FIELDS
) -> Item:
    """A record (a JSON object or a table row) as a document, or the problem with it; a
    problem carries the id the document has (its own, else ``default_id``)."""
    doc_id = record.get(fields.id)
    if doc_id is None or doc_id == "":
        doc_id = default_id
    doc_id = str(doc_id)
    if not _encodable(doc_id):  # a JSON escape such as "\ud800": no file can hold it
        return InputProblem(source, f"'{fields.id}' {LONE_SURROGATE}")
    text = record.get(fields.text)
    if not isinstance(text, str):
        return InputProblem(source, f"record has no '{fields.text}' string", doc_id)
    if not text.strip():
        return InputProblem(source, "empty text", doc_id)
    if not _encodable(text):
        return InputProblem(source, f"'{fields.text}' {LONE_SURROGATE}", doc_id)
    target = record.get(fields.target)
    if isinstance(target, list | tuple) and all(isinstance(t, str) for t in target):
        target = tuple(t for t in target if t.strip()) or None
    elif target is not None and not isinstance(target, str):
        return InputProblem(
            source, f"'{fields.target}' must be a string, a list of strings, or null", doc_id
        )
    targets = (target,) if isinstance(target, str) else target or ()
    if not all(_encodable(t) for t in targets):
        return InputProblem(source, f"'{fields.target}' {LONE_SURROGATE}", doc_id)
    return Document(id=doc_id, text=text, target=target, source=source)


LONE_SURROGATE = "is not valid Unicode (a lone surrogate, such as a JSON escape \\ud800)"


def _encodable(value: str) -> bool:
    """Whether ``value`` can be written as UTF-8 (it holds no lone surrogate)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
