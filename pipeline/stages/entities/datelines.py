"""Entities of a story's dateline (``OSLO, Norway (Reuters) –``, ``BERGEN, June 3 (NTB) –``,
``LIMA (AP) —``): the place and its comma parts are GPE, a date part is a DATE and the agency in
parentheses is an ORG. The sentence stage finds the same datelines
(:func:`~newspipe.pipeline.stages.sentences.story_dateline_match`); the model, which rarely sees
a place in capitals before a dash, often leaves it out or calls it a PERSON.
"""

from __future__ import annotations

import re

import numpy
from spacy.attrs import ORTH, SPACY
from spacy.tokens import Doc, Span

from newspipe.pipeline.stages.sentences import (
    SentenceRules,
    dateline_end,
    paragraphs,
    story_dateline_match,
)


def doc_text(doc: Doc) -> str:
    """``doc.text``, from two arrays (``Doc.text`` makes a ``Token`` of every token)."""
    strings = doc.vocab.strings
    array = doc.to_array([ORTH, SPACY]).reshape(len(doc), 2)
    words = [strings[orth] for orth in array[:, 0].tolist()]
    for i in numpy.flatnonzero(array[:, 1]).tolist():
        words[i] += " "
    return "".join(words)


def dateline_entities(doc: Doc, rules: SentenceRules) -> list[Span]:
    """The entities of every story dateline that opens a paragraph of ``doc`` (after a date
    line, if the paragraph has one), in order, none overlapping."""
    months = "|".join(re.escape(m.rstrip(".")) for m in rules.months)
    date_part = re.compile(rf"(?i:{months})\.?\s+\d")
    spans: list[Span] = []
    whole = doc_text(doc)
    for start, end in paragraphs(doc):
        if start >= end:
            continue
        offset = doc[start].idx
        text = whole[offset : doc[end - 1].idx + len(doc[end - 1])]
        first = dateline_end(text, rules) or 0
        match = story_dateline_match(text, rules, first)
        if match is None:
            continue
        found = [(match.start("place"), match.end("place"), "GPE")]
        if match["parts"]:
            at = match.start("parts")
            for part in match["parts"].split(","):
                word = part.strip()
                if word:
                    begin = at + part.index(word)
                    label = "DATE" if date_part.match(word) else "GPE"
                    found.append((begin, begin + len(word), label))
                at += len(part) + 1
        if match["agency"]:
            inner = match["agency"][1:-1].strip()
            if inner:
                begin = match.start("agency") + match["agency"].index(inner)
                found.append((begin, begin + len(inner), "ORG"))
        for begin, stop, label in found:
            span = doc.char_span(offset + begin, offset + stop, label=label)
            if span is not None:
                spans.append(span)
    return spans
