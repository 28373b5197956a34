"""Fixtures for the entity correction tests: entities given as (text, label), corrected;
Docs with sentence starts and part-of-speech tags."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from spacy.language import Language
from spacy.tokens import Doc, Span

from newspipe.pipeline.stages.entities import correct_entities, read_entity_rules

RULES = read_entity_rules()


def find(doc: Doc, text: str, label: str, used: set[int]) -> Span:
    """The first token span of ``doc`` whose text is ``text`` and whose tokens are not in
    ``used``, labelled."""
    for start in range(len(doc)):
        for end in range(start + 1, len(doc) + 1):
            if doc[start:end].text == text and not used.intersection(range(start, end)):
                used.update(range(start, end))
                return Span(doc, start, end, label=label)
    raise AssertionError(f"{text!r} is not (again) in {doc.text!r}")


def corrected(
    doc: Doc, ents: Sequence[tuple[str, str]], corrections: Sequence[str]
) -> list[tuple[str, str]]:
    """``ents`` (text, label; each the first occurrence not yet used, in order) corrected."""
    used: set[int] = set()
    spans = [find(doc, text, label, used) for text, label in ents]
    return [(e.text, e.label_) for e in correct_entities(doc, spans, RULES, corrections)]


def tagged(nlp: Language, text: str, pos: dict[str, str] | None = None) -> Doc:
    """``text`` tokenized, with sentence starts after final stops and optional POS tags."""
    doc = nlp.make_doc(text)
    words = [t.text for t in doc]
    spaces = [bool(t.whitespace_) for t in doc]
    starts = [i == 0 or words[i - 1] in {".", "!", "?"} for i in range(len(words))]
    tags = [(pos or {}).get(w, "X") for w in words]
    return Doc(nlp.vocab, words=words, spaces=spaces, sent_starts=starts, pos=tags)


Correct = Callable[[Doc, Sequence[tuple[str, str]], Sequence[str]], list[tuple[str, str]]]


@pytest.fixture
def correct() -> Correct:
    """``correct(doc, [(text, label), …], corrections)`` → the corrected (text, label) list."""
    return corrected


@pytest.fixture
def parsed(blank: Language) -> Callable[..., Doc]:
    """``parsed(text, pos={word: POS})``: a Doc with sentence starts and POS tags."""
    return lambda text, pos=None: tagged(blank, text, pos)
