from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from newspipe.pipeline.stages.quotes import DEFAULT_MARKS
from newspipe.pipeline.stages.quotes.lexicons import read_quote_marks
from newspipe.pipeline.stages.quotes.marks import (
    Marked,
    credit_of,
    find_marked,
    find_marked_spans,
    join_continued,
    join_interrupted,
)

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


def marked(blank: Language, text: str) -> tuple[Doc, list[Marked]]:
    doc = blank(text)
    return doc, find_marked(doc, MARKS)


def test_typewriter_double_apostrophes_pair(blank: Language) -> None:
    assert inside(blank, "''We are ready,'' he said.") == ["We are ready,"]


def test_marked_spans_know_their_marks(blank: Language) -> None:
    doc, found = marked(blank, "She said “we will win” today.")
    assert [doc[s:e].text for s, e in (found[0].inner, found[0].outer)] == [
        "we will win",
        "“we will win”",
    ]
    assert found[0].closed


def test_quote_left_open_joins_the_next_paragraph(blank: Language) -> None:
    doc, found = marked(blank, "“First part of the speech.\n“Second part,” she said.")
    joined = join_continued(doc, found)
    assert len(joined) == 1
    assert doc[joined[0].inner[0] : joined[0].inner[1]].text == (
        "First part of the speech.\n“Second part,"
    )
    assert [doc[s:e].text for s, e in joined[0].quoted] == [
        "First part of the speech.",
        "Second part,",
    ]


def test_closed_quotes_in_consecutive_paragraphs_stay_apart(blank: Language) -> None:
    doc, found = marked(blank, "“One.” she said.\n“Two three four.”")
    assert len(join_continued(doc, found)) == 2


def _with_verb(doc: Doc, word: str, lemma: str, tag: str = "VBD") -> Doc:
    for token in doc:
        token.pos_ = "VERB" if token.text == word else "X"
        token.lemma_ = lemma if token.text == word else token.lower_
        token.tag_ = tag if token.text == word else "XX"
    return doc


def test_quote_interrupted_by_its_attribution_joins(blank: Language) -> None:
    doc = _with_verb(blank("“The bridge is safe,” she said, “and it will reopen.”"), "said", "say")
    joined = join_interrupted(doc, find_marked(doc, MARKS), frozenset({"say"}))
    assert len(joined) == 1
    assert doc[joined[0].outer[0] : joined[0].outer[1]].text == doc.text
    assert not joined[0].in_quoted(6)  # "said" lies between the quoted parts


def test_no_join_without_a_comma_or_a_reporting_verb(blank: Language) -> None:
    doc = _with_verb(blank("“The bridge is safe.” She left. “It will reopen.”"), "left", "leave")
    assert len(join_interrupted(doc, find_marked(doc, MARKS), frozenset({"say"}))) == 2
    doc = _with_verb(blank("“The bridge is safe,” she left, “and reopens.”"), "left", "leave")
    assert len(join_interrupted(doc, find_marked(doc, MARKS), frozenset({"say"}))) == 2


def test_no_join_when_a_participle_hands_over(blank: Language) -> None:
    doc = _with_verb(blank("“It is safe,” she said, adding: “We reopen.”"), "said", "say")
    doc[7].pos_, doc[7].lemma_, doc[7].tag_ = "VERB", "add", "VBG"
    assert len(join_interrupted(doc, find_marked(doc, MARKS), frozenset({"say", "add"}))) == 2


def test_a_quotation_runs_on_to_the_next_line_without_a_reopening_mark(blank: Language) -> None:
    text = 'He said, "We played well.\nThen we lost our shape." Later, "a new quote" here.'
    assert inside(blank, text) == ["We played well.\nThen we lost our shape.", "a new quote"]


def test_a_reopened_quotation_in_the_next_line_is_not_a_run_on(blank: Language) -> None:
    text = "He said “this runs on\nA new paragraph with “a proper quote” here."
    assert inside(blank, text) == ["this runs on", "a proper quote"]


def test_credit_after_a_dash_and_before_a_colon(blank: Language) -> None:
    doc = blank("“It is a long game.” – Ola Berg\nKari Holm: “We agree.”")
    for token in doc:
        if token.text in ("Ola", "Berg", "Kari", "Holm"):
            token.pos_ = "PROPN"
    first, second = find_marked(doc, MARKS)
    start, end = credit_of(doc, first) or (0, 0)
    assert doc[start:end].text == "Ola Berg"
    start, end = credit_of(doc, second) or (0, 0)
    assert doc[start:end].text == "Kari Holm"


def test_no_credit_without_a_name(blank: Language) -> None:
    doc = blank("“It is a long game,” he said.")
    (item,) = find_marked(doc, MARKS)
    assert credit_of(doc, item) is None
