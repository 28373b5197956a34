"""What the corrections read of a Doc, taken once per document, and the span tuples they pass.

The corrections run on every document after the model's NER, so they read the tokens once
(texts, whitespace, sentence starts, part of speech and a few lexical flags, in plain lists)
and pass entities as ``(start, end, label)`` token tuples; spaCy ``Span`` objects are made
once, at the end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy
from spacy.attrs import (
    IS_PUNCT,
    IS_QUOTE,
    IS_SPACE,
    IS_STOP,
    LIKE_NUM,
    LOWER,
    ORTH,
    POS,
    SENT_START,
    SPACY,
)
from spacy.symbols import ADJ, NOUN, PROPN
from spacy.tokens import Doc

from newspipe.pipeline.stages.wordlists import string_hashes

Ent = tuple[int, int, str]
"""An entity as token offsets (end exclusive) and a label."""

NAME_LABELS = frozenset(
    {
        "PERSON",
        "NORP",
        "FAC",
        "ORG",
        "GPE",
        "LOC",
        "PRODUCT",
        "EVENT",
        "WORK_OF_ART",
        "LAW",
        "LANGUAGE",
    }
)
NUMERIC_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
OPENERS = frozenset({"(", ":", "—", "–", "-", "[", "|"})


@dataclass
class Tokens:
    """Per-token values of one Doc, as lists indexed by token position (and the texts' hashes
    as arrays, to find words)."""

    doc: Doc
    text: list[str]
    lower: list[str]
    space: list[bool]  # whitespace after the token
    sent_start: list[bool]
    pos: list[int]
    like_num: list[bool]
    is_punct: list[bool]
    is_space: list[bool]
    is_quote: list[bool]
    is_stop: list[bool]
    orth: numpy.ndarray = field(default_factory=lambda: numpy.zeros(0, "uint64"), repr=False)
    lower_orth: numpy.ndarray = field(
        default_factory=lambda: numpy.zeros(0, "uint64"), repr=False
    )
    _lowercase_words: set[str] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, doc: Doc) -> Tokens:
        attrs = [ORTH, LOWER, SPACY, SENT_START, POS]
        flags = [LIKE_NUM, IS_PUNCT, IS_SPACE, IS_QUOTE, IS_STOP]
        array = doc.to_array([*attrs, *flags]).reshape(len(doc), len(attrs) + len(flags))
        strings = doc.vocab.strings
        text = [strings[orth] for orth in array[:, 0].tolist()]
        sent_start = (array[:, 3] == 1).tolist()
        if sent_start:
            sent_start[0] = True
        like_num, is_punct, is_space, is_quote, is_stop = (array[:, len(attrs) :] == 1).T.tolist()
        return cls(
            doc=doc,
            text=text,
            lower=[t.lower() for t in text],
            space=(array[:, 2] == 1).tolist(),
            sent_start=sent_start,
            pos=array[:, 4].tolist(),
            like_num=like_num,
            is_punct=is_punct,
            is_space=is_space,
            is_quote=is_quote,
            is_stop=is_stop,
            orth=array[:, 0],
            lower_orth=array[:, 1],
        )

    def where(self, text: str) -> list[int]:
        """Positions of the tokens written ``text``."""
        found: list[int] = numpy.flatnonzero(self.orth == self.doc.vocab.strings[text]).tolist()
        return found

    def where_lower(self, words: Iterable[str]) -> list[int]:
        """Positions of the tokens that are one of ``words`` in lower case, in order."""
        hashes = string_hashes(self.doc.vocab.strings, words)
        found: list[int] = numpy.flatnonzero(numpy.isin(self.lower_orth, hashes)).tolist()
        return found

    def lowercase_words(self) -> set[str]:
        """The words the document writes in lower case."""
        if self._lowercase_words is None:
            self._lowercase_words = set(filter(str.islower, self.text))
        return self._lowercase_words

    def __len__(self) -> int:
        return len(self.text)

    def title(self, i: int) -> bool:
        """Whether token ``i`` is written with a capital and then lower case ("Oslo")."""
        return self.text[i].istitle()

    def capital(self, i: int) -> bool:
        """Whether token ``i`` starts with a capital letter."""
        return self.text[i][:1].isupper()

    def alpha(self, i: int) -> bool:
        return self.text[i].isalpha()

    def is_lower(self, i: int) -> bool:
        return self.text[i].islower()

    def propn(self, i: int) -> bool:
        return self.pos[i] == PROPN

    def noun(self, i: int) -> bool:
        return self.pos[i] == NOUN

    def adj(self, i: int) -> bool:
        return self.pos[i] == ADJ

    def number(self, i: int) -> bool:
        """A numeral: digits first, or a number word ("seven", "million")."""
        return self.like_num[i] or self.text[i][:1].isdigit()

    def line_or_sentence_start(self, i: int) -> bool:
        """Whether token ``i`` starts a sentence or a line (not a quotation or bracket)."""
        return i == 0 or self.sent_start[i] or self.is_space[i - 1] or "\n" in self.text[i - 1]

    def sentence_initial(self, i: int) -> bool:
        """Whether token ``i`` starts a sentence, a line, a bracket or a quotation."""
        if i == 0 or self.sent_start[i]:
            return True
        prev = i - 1
        return (
            self.is_space[prev]
            or "\n" in self.text[prev]
            or self.text[prev] in OPENERS
            or (self.is_quote[prev] and not self.space[prev])
        )


def filter_ents(ents: Iterable[Ent]) -> list[Ent]:
    """Non-overlapping entities, longer ones first (as ``spacy.util.filter_spans``), in order."""
    unique = list(dict.fromkeys(ents))
    if not unique:
        return []
    in_order = sorted(unique)
    last = 0
    for start, end, _ in in_order:  # most often none overlaps: nothing to choose
        if start >= end or start < last:
            break
        last = end
    else:
        return in_order
    ordered = sorted(unique, key=lambda e: (e[1] - e[0], -e[0]), reverse=True)
    taken = bytearray(max(end for _, end, _ in unique))
    kept = []
    for start, end, label in ordered:
        if start >= end or taken.find(1, start, end) >= 0:
            continue
        kept.append((start, end, label))
        taken[start:end] = b"\x01" * (end - start)
    return sorted(kept)


def covered(ents: Iterable[Ent]) -> set[int]:
    """The token positions inside ``ents``."""
    return {i for start, end, _ in ents for i in range(start, end)}
