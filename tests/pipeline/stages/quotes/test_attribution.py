"""Quote attribution on small hand-written texts (needs the parser)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newspipe.pipeline.records import doc_to_record

pytestmark = pytest.mark.model


def quotes(nlp: Language, text: str) -> list[dict]:
    return doc_to_record(nlp(text), "t")["quotes"]


def test_direct_quote_with_trailing_attribution(nlp: Language) -> None:
    found = quotes(nlp, "“The bridge will reopen next week,” said Mayor Anna Berg.")
    assert len(found) == 1
    quote = found[0]
    assert quote["type"] == "direct"
    assert quote["content"]["text"] == "The bridge will reopen next week,"
    assert quote["cue"]["text"] == "said"
    assert quote["speaker"]["text"] == "Mayor Anna Berg"
    assert quote["speaker_name"] == "Anna Berg"


def test_indirect_quote_drops_the_complementiser(nlp: Language) -> None:
    found = quotes(nlp, "Anna Berg said that the bridge would reopen next week.")
    assert [(q["type"], q["content"]["text"], q["cue"]["text"]) for q in found] == [
        ("indirect", "the bridge would reopen next week", "said")
    ]


def test_pronoun_speaker_resolves_to_fullest_earlier_name(nlp: Language) -> None:
    text = (
        "Mayor Anna Berg visited the site on Monday. Berg was pleased. "
        "She said the work was nearly done."
    )
    found = quotes(nlp, text)
    assert found and found[-1]["speaker"]["text"] == "She"
    assert found[-1]["speaker_name"] == "Anna Berg"


def test_mixed_quote(nlp: Language) -> None:
    text = "The minister said the plan was “a disaster for every family in the region”."
    found = quotes(nlp, text)
    assert [q["type"] for q in found] == ["mixed"]
    assert found[0]["content"]["text"].startswith("the plan was")


def test_scare_quotes_are_not_speech(nlp: Language) -> None:
    assert quotes(nlp, "The so-called “reform” passed on Tuesday.") == []
