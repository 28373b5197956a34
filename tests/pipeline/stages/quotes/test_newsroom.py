"""The newsroom convention (gold/GUIDELINES.md §3) on small hand-written texts: what is not a
quote, where a quote's content ends, and the confidence and source of every quote (needs the
parser and the packaged judge)."""

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


def quotes(nlp: Language, text: str) -> list[dict[str, Any]]:
    return doc_to_record(nlp(text), "t")["quotes"]


def contents(nlp: Language, text: str) -> list[str]:
    return [q["content"]["text"] for q in quotes(nlp, text)]


def test_every_quote_has_a_confidence_and_a_source(news: Language) -> None:
    text = (
        "Mayor Anna Berg said the bridge would reopen in May. “We are ready,” she added. "
        "According to the ministry, the repairs cost 3 million kroner."
    )
    found = quotes(news, text)
    assert len(found) == 3
    for quote in found:
        assert 0.0 <= quote["confidence"] <= 1.0
        assert quote["source"]
    assert {q["source"].split(":")[0] for q in found} <= {"parse", "marks"}


def test_min_confidence_filters(news: Language) -> None:
    text = "Mayor Anna Berg said the bridge would reopen in May."
    strict = load_pipeline(
        overrides={
            "nlp.stages": ["sentences", "entities", "quotes"],
            "components.quotes.min_confidence": 1.0,
        }
    )
    assert quotes(news, text) and not quotes(strict, text)


def test_nothing_in_a_headline_is_a_quote(news: Language) -> None:
    text = "Mayor says bridge will reopen in May\nMayor Anna Berg said the bridge would reopen."
    found = contents(news, text)
    assert found == ["the bridge would reopen"]


def test_agentless_passive_is_not_a_quote(news: Language) -> None:
    assert contents(news, "The residents were told to leave their homes by Friday.") == []


def test_negated_speech_is_not_a_quote(news: Language) -> None:
    text = "Officials have not said why the line was closed for two weeks."
    assert contents(news, text) == []


def test_intentions_and_perception_are_not_quotes(news: Language) -> None:
    assert contents(news, "The council plans to close the old line next year.") == []
    assert contents(news, "The figures show that rents rose by ten percent.") == []


def test_a_title_in_quotation_marks_is_not_a_quote(news: Language) -> None:
    text = "The ministry launched a new website, “Safe Rails Ahead”, on Monday."
    assert contents(news, text) == []


def test_according_to_at_the_end_keeps_the_whole_sentence(news: Language) -> None:
    text = (
        "Last year two million people used the line and this year the company expects three "
        "million, according to the annual report of the operator."
    )
    quote = quotes(news, text)[0]
    assert quote["content"]["text"].startswith("Last year two million")
    assert quote["content"]["text"].endswith("three million")
    assert quote["cue"]["text"] == "according to"


def test_a_relayed_statement_is_one_quote(news: Language) -> None:
    text = "According to the Herald, Mayor Anna Berg said the bridge would reopen in May."
    found = quotes(news, text)
    assert [q["content"]["text"] for q in found] == ["the bridge would reopen in May"]
    assert found[0]["speaker_name"] == "Anna Berg"


def test_a_reported_clause_and_a_quoted_sentence_share_the_cue(news: Language) -> None:
    text = "Anna Berg said the talks had failed, “We will strike on Monday.”"
    found = quotes(news, text)
    assert [q["type"] for q in found] == ["indirect", "direct"]
    assert all(q["cue"]["text"] == "said" for q in found)


def test_a_quotation_that_runs_on_to_the_next_line(news: Language) -> None:
    text = (
        "After the match, coach Tom Lund said, “We played well in the first half.\n"
        "In the second half we lost our shape.”\n"
        "The team travels to Oslo next week."
    )
    quote = quotes(news, text)[0]
    assert quote["type"] == "direct"
    assert quote["content"]["text"].endswith("we lost our shape.")


def test_a_second_clause_with_its_own_subject_stays_in_the_content(news: Language) -> None:
    text = "Anna Berg claims that her passport was taken from her and she was forced to work."
    quote = quotes(news, text)[0]
    assert quote["content"]["text"].endswith("she was forced to work")


def test_a_colon_block_after_a_speech_verb_is_a_candidate(news: Language) -> None:
    text = (
        "In a statement, the company denied the allegations:\n"
        "The workers were never forced to stay on board. They were free to leave.\n"
        "The union said it would appeal."
    )
    with news.select_pipes(disable=["quotes"]):
        doc = news(text)
    attributor = news.get_pipe("quotes")
    marked = attributor.marked_spans(doc)
    cands = attributor.scored_candidates(doc, marked)
    colon = [c for c in cands if c.relation == "colon"]
    assert len(colon) == 1
    assert doc[colon[0].cue_token].text == "denied"
    content = doc[colon[0].content[0] : colon[0].content[1]].text
    assert content.startswith("The workers") and content.endswith("They were free to leave")


def test_apposition_after_a_name_is_not_in_the_mention(news: Language) -> None:
    text = "Tom Lund, the head of the port authority, said the harbour would stay closed."
    quote = quotes(news, text)[0]
    assert quote["speaker"]["text"] == "Tom Lund"


def test_a_name_after_a_description_is_in_the_mention(news: Language) -> None:
    text = "Norway's Transport Minister, Ola Berg, said the bridge would reopen in May."
    quote = quotes(news, text)[0]
    assert quote["speaker_name"] == "Ola Berg"


def test_a_dateline_is_never_content(news: Language) -> None:
    text = "HALDEN, Norway (NTB) — The port will stay closed until Friday, officials said."
    found = quotes(news, text)
    assert [q["content"]["text"] for q in found] == ["The port will stay closed until Friday"]


def test_according_to_with_an_apposition_stays_out_of_the_content(news: Language) -> None:
    text = (
        "The paintings were all donated by a private collector, according to Kari Holm, "
        "the curator of the museum."
    )
    quote = quotes(news, text)[0]
    assert quote["content"]["text"] == "The paintings were all donated by a private collector"
    assert quote["speaker_name"] == "Kari Holm"


def test_a_verb_of_thought_does_not_introduce_a_quotation(news: Language) -> None:
    text = "Tom Lund thinks the new timetable is “a disaster for the town”."
    assert contents(news, text) == []


def test_a_verb_inside_the_quotation_does_not_introduce_it(news: Language) -> None:
    text = "“We need to finish the bridge before winter,” Tom Lund said on Monday."
    found = quotes(news, text)
    assert [(q["content"]["text"], q["cue"]["text"]) for q in found] == [
        ("We need to finish the bridge before winter,", "said")
    ]
