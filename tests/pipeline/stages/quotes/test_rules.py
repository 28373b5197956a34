"""Each attribution rule of the quote stage on small hand-written texts (needs the parser).

Both backends run every case; a case that only one backend handles says so."""

from __future__ import annotations

from typing import Any

import pytest
from spacy.language import Language

from newspipe.pipeline.build import load_pipeline
from newspipe.pipeline.records import doc_to_record

pytestmark = pytest.mark.model

BACKENDS = ["newspipe_quotes_hybrid_v1", "newspipe_quotes_rules_v1"]


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Language:
    return load_pipeline(
        overrides={
            "nlp.stages": ["sentences", "entities", "quotes"],
            "components.quotes.factory": request.param,
        }
    )


@pytest.fixture(scope="module")
def parc() -> Language:
    """The hybrid backend under PolNeAR's content convention."""
    return load_pipeline(
        overrides={
            "nlp.stages": ["sentences", "entities", "quotes"],
            "components.quotes.convention": "polnear",
        }
    )


def quotes(nlp: Language, text: str) -> list[dict[str, Any]]:
    return doc_to_record(nlp(text), "t")["quotes"]


def only(found: list[dict[str, Any]], content_start: str) -> dict[str, Any]:
    hits = [q for q in found if q["content"]["text"].startswith(content_start)]
    assert len(hits) == 1, [q["content"]["text"] for q in found]
    return hits[0]


def test_attribution_before_a_direct_quote(backend: Language) -> None:
    found = quotes(backend, "Mayor Anna Berg said: “The bridge will reopen next week.”")
    quote = only(found, "The bridge")
    assert quote["type"] == "direct"
    assert quote["content"]["text"] == "The bridge will reopen next week."
    assert quote["speaker"]["text"] == "Mayor Anna Berg"
    assert quote["speaker_name"] == "Anna Berg"


def test_attribution_in_the_middle_gives_two_quotes_by_default(backend: Language) -> None:
    text = "“The bridge is safe,” the engineer Tom Lund said, “and it will reopen next week.”"
    found = quotes(backend, text)
    first, second = only(found, "The bridge"), only(found, "and it will")
    assert first["type"] == second["type"] == "direct"
    assert first["speaker_name"] == second["speaker_name"] == "Tom Lund"


def test_interrupted_quote_is_one_under_the_polnear_convention(parc: Language) -> None:
    text = "“The bridge is safe,” the engineer Tom Lund said, “and it will reopen next week.”"
    found = quotes(parc, text)
    assert len(found) == 1
    assert found[0]["content"]["text"] == text
    assert found[0]["speaker"]["text"] == "the engineer Tom Lund"


def test_polnear_convention_keeps_that(parc: Language) -> None:
    found = quotes(parc, "Anna Berg said that the bridge would reopen next week.")
    assert only(found, "that")["content"]["text"] == "that the bridge would reopen next week"


def test_quote_over_two_paragraphs_is_one_quote(backend: Language) -> None:
    text = (
        "Tom Lund spoke to reporters on Friday.\n"
        "“The repairs took longer than anyone expected.\n"
        "“But the bridge is now safer than it has ever been,” he said."
    )
    found = quotes(backend, text)
    quote = only(found, "The repairs")
    assert quote["content"]["text"].endswith("has ever been,")
    assert quote["speaker_name"] == "Tom Lund"


def test_unbalanced_marks_stay_in_their_paragraph(backend: Language) -> None:
    text = (
        "The minister said “we will not give up on the project.\n"
        "Critics disagreed. “It has failed every test so far,” said Ola Nilsen."
    )
    found = quotes(backend, text)
    assert all("\n" not in q["content"]["text"] for q in found)
    assert only(found, "It has failed")["speaker_name"] == "Ola Nilsen"


def test_passive_attribution_takes_the_agent(backend: Language) -> None:
    text = "The company has been accused by regulators of hiding its losses from investors."
    if backend.get_pipe_meta("quotes").factory == "newspipe_quotes_rules_v1":
        pytest.skip("the rules backend's lexicon does not reach this relation")
    found = quotes(backend, text)
    quote = only(found, "hiding")
    assert quote["speaker"]["text"] == "regulators"
    assert quote["cue"]["text"] == "has been accused"


def test_according_to(backend: Language) -> None:
    found = quotes(backend, "According to the ministry, the bridge will reopen in May.")
    quote = only(found, "the bridge")
    assert quote["content"]["text"] == "the bridge will reopen in May"
    assert quote["cue"]["text"] == "According to"
    assert quote["speaker"]["text"] == "the ministry"


def test_possessive_owner_of_a_statement_is_the_speaker(backend: Language) -> None:
    found = quotes(backend, "Anna Berg's statement said the budget was balanced.")
    quote = only(found, "the budget")
    assert quote["speaker"]["text"] == "Anna Berg"


def test_participial_cue_takes_the_main_subject(backend: Language) -> None:
    text = "Senator Ola Nilsen criticised the bill on Monday, saying it would raise taxes."
    found = quotes(backend, text)
    quote = only(found, "it would raise taxes")
    assert quote["cue"]["text"] == "saying"
    assert quote["speaker_name"] == "Ola Nilsen"


def test_floating_quote_continues_the_previous_speaker(backend: Language) -> None:
    text = (
        "“We will win this election,” said Anna Berg.\n"
        "“Nobody can stop us now that we have a plan.”"
    )
    found = quotes(backend, text)
    floating = only(found, "Nobody")
    assert floating["type"] == "direct"
    # a continuation takes the cue and speaker of the quote it continues (GUIDELINES §3)
    assert floating["cue"] is not None and floating["cue"]["text"] == "said"
    assert floating["speaker_name"] == "Anna Berg"
    assert floating["source"] == "marks:continuation"


def test_definite_description_resolves_to_the_organisation(backend: Language) -> None:
    text = (
        "The Nordic Rail Agency opened a new line on Monday. "
        "The agency said the trains would run every hour."
    )
    quote = only(quotes(backend, text), "the trains")
    assert quote["speaker"]["text"] == "The agency"
    assert quote["speaker_name"] == "Nordic Rail Agency"


def test_organisation_as_speaker(backend: Language) -> None:
    text = "The Ministry of Transport announced that the coastal road would close in winter."
    quote = only(quotes(backend, text), "the coastal road")
    assert quote["speaker_name"] == "Ministry of Transport"
    assert quote["type"] == "indirect"


def test_nested_direct_quote_inside_reported_speech(backend: Language) -> None:
    text = "Anna Berg has promised to cut taxes and to fight what she calls “a war on small firms.”"
    found = quotes(backend, text)
    inner = only(found, "a war on small firms")
    assert inner["type"] == "direct"
    assert inner["cue"]["text"] == "calls"
    assert inner["speaker_name"] == "Anna Berg"
