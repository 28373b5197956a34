from __future__ import annotations

import pytest
from spacy.language import Language

from pipeline.sentences import paragraph_starts


def sentences(nlp: Language, text: str) -> list[str]:
    return [s.text.strip() for s in nlp(text).sents if s.text.strip()]


def test_paragraph_starts_at_every_line_break(blank: Language) -> None:
    doc = blank("Headline here\nFirst paragraph. Two.\n\nThird")
    starts = [doc[i].text for i in paragraph_starts(doc)]
    assert starts == ["Headline", "First", "Third"]


def test_paragraph_starts_with_min_newlines(blank: Language) -> None:
    doc = blank("A wrapped\nline.\n\nNew paragraph")
    assert [doc[i].text for i in paragraph_starts(doc, min_newlines=2)] == ["A", "New"]


@pytest.mark.parametrize("factory", ["newspipe_sentences_rules_v1", "newspipe_sentences_pysbd_v1"])
def test_rule_backends_split_headline_and_paragraphs(blank: Language, factory: str) -> None:
    blank.add_pipe(factory)
    text = "Storm hits coast\nThe storm arrived at noon. It left at dusk.\nNo one was hurt"
    assert sentences(blank, text) == [
        "Storm hits coast",
        "The storm arrived at noon.",
        "It left at dusk.",
        "No one was hurt",
    ]


def test_pysbd_keeps_abbreviations_and_closing_quotes(blank: Language) -> None:
    blank.add_pipe("newspipe_sentences_pysbd_v1")
    text = 'Mr. J. Smith arrived at 3 p.m. on Friday. "We are ready." She left.'
    assert sentences(blank, text) == [
        "Mr. J. Smith arrived at 3 p.m. on Friday.",
        '"We are ready."',
        "She left.",
    ]


def test_every_token_gets_a_decision_from_rule_backends(blank: Language) -> None:
    blank.add_pipe("newspipe_sentences_rules_v1")
    doc = blank("One two. Three\n\nfour five.")
    assert all(t.is_sent_start is not None for t in doc)
    assert not any(t.is_sent_start for t in doc if t.is_space)


def test_model_backend_sets_only_paragraph_starts(blank: Language) -> None:
    blank.add_pipe("newspipe_sentences_model_v1")
    doc = blank("One two. Three\nfour five.")
    flags = {t.text: t.is_sent_start for t in doc}
    assert flags["One"] is True and flags["four"] is True
    assert flags["Three"] is None  # left for the parser


@pytest.mark.model
@pytest.mark.parametrize(
    "factory",
    ["newspipe_sentences_model_v1", "newspipe_sentences_rules_v1", "newspipe_sentences_pysbd_v1"],
)
def test_parser_keeps_the_boundaries_it_is_given(factory: str) -> None:
    from pipeline.build import load_pipeline

    nlp = load_pipeline(overrides={"components.sentences.factory": factory})
    text = "Floods hit the north\nRescue teams arrived on Monday. They found the village empty."
    assert sentences(nlp, text) == [
        "Floods hit the north",
        "Rescue teams arrived on Monday.",
        "They found the village empty.",
    ]
