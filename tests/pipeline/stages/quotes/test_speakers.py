"""Canonical speaker names on small hand-written texts (needs the parser and the NER): the
fullest name, pronouns by gender and number, descriptions only to the entity given the role,
titles and ages out, acronyms, documents and unnamed sources."""

from __future__ import annotations

from typing import Any

import pytest
from spacy.language import Language

from newspipe.pipeline.build import load_pipeline
from newspipe.pipeline.records import doc_to_record

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def news() -> Language:
    return load_pipeline(overrides={"nlp.stages": ["sentences", "entities", "quotes"]})


def names(nlp: Language, text: str) -> list[tuple[str | None, str | None]]:
    """(speaker mention, canonical name) of every quote."""
    found: list[dict[str, Any]] = doc_to_record(nlp(text), "t")["quotes"]
    return [(q["speaker"] and q["speaker"]["text"], q["speaker_name"]) for q in found]


def test_pronoun_takes_the_person_of_its_gender(news: Language) -> None:
    text = (
        "Mayor Anna Berg met Tom Lund, the harbour master, on Monday. Mr Lund said the port "
        "was ready. “We will open on time,” she said."
    )
    assert names(news, text)[-1] == ("she", "Anna Berg")


def test_surname_takes_the_full_name(news: Language) -> None:
    text = (
        "Grace Okafor, 52, runs the clinic. Okafor said the clinic would stay open. "
        "Okafor, 52, said the staff had not been paid."
    )
    assert [name for _, name in names(news, text)] == ["Grace Okafor", "Grace Okafor"]


def test_title_stays_out_of_the_name(news: Language) -> None:
    text = "Councillor Tom Becker said the vote would be held in June."
    assert names(news, text) == [("Councillor Tom Becker", "Tom Becker")]


def test_a_description_links_only_to_the_entity_given_that_role(news: Language) -> None:
    text = (
        "Environment Minister Kari Holm visited the plant. Energy analyst Per Dahl was also "
        "there. The environment minister said the plant would close."
    )
    assert names(news, text)[-1][1] == "Kari Holm"


def test_a_description_without_a_named_holder_stays_a_description(news: Language) -> None:
    text = (
        "Kari Holm, an analyst at the bank, studied the plan. The minister said the plan "
        "would cost too much."
    )
    assert names(news, text)[-1][1] == "minister"


def test_acronym_takes_its_full_name(news: Language) -> None:
    text = (
        "The World Health Organization (WHO) published new guidance on Monday. "
        "The WHO said that most countries were not ready."
    )
    assert names(news, text)[-1][1] == "World Health Organization"


def test_organisation_description_takes_the_fullest_name(news: Language) -> None:
    text = (
        "The Church of the Open Sky runs a school in the town. The Church said the school "
        "would stay open."
    )
    assert names(news, text)[-1][1] == "Church of the Open Sky"


def test_a_document_speaks_for_its_author(news: Language) -> None:
    text = "The Ministry of Transport's letter said the line would close in May."
    assert names(news, text)[-1][1] == "Ministry of Transport"


def test_an_unnamed_source_loses_its_quantifier(news: Language) -> None:
    text = "One poster wrote that the site had been down since Friday."
    assert names(news, text)[-1][1] == "poster"


def test_a_newspaper_keeps_its_capital_the(news: Language) -> None:
    text = "The Harbour Gazette reported that the ferry would stop running in May."
    assert names(news, text)[-1][1] == "The Harbour Gazette"


def test_an_organisation_does_not_take_a_capital_the(news: Language) -> None:
    text = "The Harbour Authority said that the ferry would stop running in May."
    assert names(news, text)[-1][1] == "Harbour Authority"
