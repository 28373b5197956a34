"""parse = "candidates": the parser only over sentences that can hold an attribution."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from newspipe.pipeline.build import load_pipeline
from newspipe.pipeline.parse import CandidateParser, _runs, cue_words
from newspipe.pipeline.records import make_doc


def _doc(nlp: Language, words: list[str], starts: list[int], lemmas: list[str]) -> Doc:
    # starts: 1 a sentence starts, -1 none does, 0 left to the parser
    spaces = [word not in ("well", "-") for word in words]  # "well-kept"
    doc = Doc(nlp.vocab, words=words, spaces=spaces, lemmas=lemmas)
    for token, start in zip(doc, starts, strict=True):
        token.is_sent_start = {1: True, -1: False, 0: None}[start]
    return doc


def test_cue_words_hold_reporting_verbs_and_phrase_heads() -> None:
    words = cue_words()
    assert {"say", "tell", "according"} <= words
    assert "the" not in words and "be" not in words


def test_units_mark_cues_marks_dashes_and_undecided_boundaries(blank: Language) -> None:
    parser = CandidateParser(blank, "candidate_parser")
    words = ["Rain", "fell", ".", "She", "said", "no", ".", "Roads", "shut", ":", "all", ".",
             "A", "well", "-", "kept", "park", ".", "Dr.", "Ray", "left", "."]  # fmt: skip
    starts = [1, -1, -1, 1, -1, -1, -1, 1, -1, -1, -1, -1,
              1, -1, -1, -1, -1, -1, 1, 0, -1, -1]  # fmt: skip
    lemmas = [w.lower() for w in words]
    lemmas[4] = "say"
    doc = _doc(blank, words, starts, lemmas)
    assert parser.units(doc) == [
        (0, 3, False),  # nothing
        (3, 7, True),  # a cue lemma
        (7, 12, True),  # a colon
        (12, 18, False),  # a hyphen inside a word is no dash
        (18, 22, True),  # a boundary left to the parser
    ]


TEXT = (
    "Harbour council backs ferry plan\n"
    "The council met on Monday. Mayor Lena Brandt said the new ferry line would open in May. "
    "Boats were painted white and blue for the season. “It is a good day,” she told reporters. "
    "The weather was mild."
)


@pytest.mark.model
def test_candidate_sentences_get_the_whole_document_parse() -> None:
    everything = load_pipeline()  # the default
    candidates = load_pipeline(overrides={"nlp.parse": "candidates"})
    assert "parser" not in candidates.pipe_names and "candidate_parser" in candidates.pipe_names
    full = everything(make_doc(everything, TEXT))
    some = candidates(make_doc(candidates, TEXT))
    assert [s.text for s in some.sents] == [s.text for s in full.sents]
    parsed = [s for s in some.sents if any(t.dep_ not in ("dep", "ROOT") for t in s)]
    marked = candidates.get_pipe("candidate_parser").units(some)
    assert [s.text for s in parsed] == [some[a:b].text for a, b, c in marked if c and b - a > 1]
    assert {
        "Mayor Lena Brandt said the new ferry line would open in May.",
        "“It is a good day,” she told reporters.",
    } <= {s.text for s in parsed}
    for sent in parsed:
        twin = full[sent.start : sent.end]
        assert [(t.dep_, t.head.i) for t in sent] == [(t.dep_, t.head.i) for t in twin]
    flat = next(s for s in some.sents if s.text.startswith("The weather"))
    assert all(t.head.i == flat.start for t in flat)
    # The quotes of the candidate sentences are the same (a sentence without a listed cue word
    # loses what the quote stage would have found in it: the cost measured in the README).
    inside = [
        q.text
        for q in full.spans["quotes"]
        if any(q.start >= s.start and q.end <= s.end for s in parsed)
    ]
    assert inside and [q.text for q in some.spans["quotes"]] == inside


def test_consecutive_candidate_sentences_are_parsed_as_one_run() -> None:
    units = [(0, 3, True), (3, 7, True), (7, 9, False), (9, 12, False), (12, 15, True)]
    assert _runs(units) == [(0, 7, True), (7, 9, False), (9, 12, False), (12, 15, True)]
    assert _runs([]) == []
