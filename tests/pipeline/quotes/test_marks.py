from __future__ import annotations

from spacy.language import Language

from pipeline.quotes import DEFAULT_MARKS
from pipeline.quotes.lexicons import read_quote_marks
from pipeline.quotes.marks import find_marked_spans

MARKS = read_quote_marks(DEFAULT_MARKS)


def inside(blank: Language, text: str) -> list[str]:
    doc = blank(text)
    return [doc[s:e].text for s, e in find_marked_spans(doc, MARKS)]


def test_curly_and_straight_marks(blank: Language) -> None:
    text = 'She said “we will win” and he said "we will not".'
    assert inside(blank, text) == ["we will win", "we will not"]


def test_unbalanced_mark_never_crosses_a_paragraph(blank: Language) -> None:
    text = "He said “this runs on\nA new paragraph with “a proper quote” here."
    assert inside(blank, text) == ["this runs on", "a proper quote"]


def test_quote_over_paragraphs_reopens_each_paragraph(blank: Language) -> None:
    text = "“First part of the speech.\n“Second part,” she said."
    assert inside(blank, text) == ["First part of the speech.", "Second part,"]


def test_no_marks_no_spans(blank: Language) -> None:
    assert inside(blank, "Nothing quoted here.") == []
