"""Target-aware reading of a quote (the TopicReader), on the parsed pipeline.

One test per case of issue #19's "Why", each on sentences written for this test: the cue's
polarity goes to its own object, criticising an opponent of the target supports it, demands and
effects are read by what they do to the target, and paraphrases of the target are matched.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from newspipe.pipeline.extensions import QUOTES_KEY

pytestmark = pytest.mark.model


def stance(
    nlp: Language, text: str, content: str, target: str, cue: str | None = None, speaker: str = ""
) -> tuple[str | None, list[str]]:
    with nlp.select_pipes(disable=["quotes", "stance"]):
        doc = nlp(text)

    def span(piece: str):
        start = text.index(piece)
        return doc.char_span(start, start + len(piece), alignment_mode="expand")

    quote = span(content)
    quote._.cue = span(cue) if cue else None
    if speaker:
        quote._.speaker = span(speaker)
        quote._.speaker_name = speaker
    doc.spans[QUOTES_KEY] = [quote]
    doc._.target = target
    decision = nlp.get_pipe("stance").decide(quote, target)
    return decision.label, decision.evidence


CASES = [
    # disappointed with X: AGAINST X, even after "like many residents"
    (
        '"Like most parents, I am disappointed with the board\'s decision," said Ana Ruiz.',
        "Like most parents, I am disappointed with the board's decision",
        "the board's decision",
        "said",
        "Ana Ruiz",
        "AGAINST",
    ),
    # a judging noun phrase about the target named by its head (levy/tax)
    (
        'The levy came up again. "It is a tax on growth," said Tom Ode.',
        "It is a tax on growth",
        "the new fuel levy",
        "said",
        "Tom Ode",
        "AGAINST",
    ),
    # evaluative participles about the target
    (
        'The mayor called the parking plan "badly drafted and pushed through".',
        "badly drafted and pushed through",
        "the parking plan",
        "called",
        "The mayor",
        "AGAINST",
    ),
    # praising / hailing / dismissing: the cue toward its object
    ("The union praised the ruling.", "the ruling", "the ruling", "praised", "The union", "FAVOR"),
    ("Farmers hailed the vote.", "the vote", "the vote", "hailed", "Farmers", "FAVOR"),
    (
        "The senator dismissed the governor's proposal.",
        "the governor's proposal",
        "the governor's proposal",
        "dismissed",
        "The senator",
        "AGAINST",
    ),
    # an effect takes the polarity of what it changes: reducing deaths is good
    (
        "Ms Lee said the toll could reduce traffic deaths in the city.",
        "the toll could reduce traffic deaths in the city",
        "the congestion toll",
        "said",
        "Ms Lee",
        "FAVOR",
    ),
    # accusing the other side of doing the opposite of the target: FAVOR the target
    (
        "She accused the ministry of slowly starving rural clinics.",
        "slowly starving rural clinics",
        "restoring funding for rural clinics",
        "accused",
        "She",
        "FAVOR",
    ),
    # criticising attacks on the target is support for it
    (
        "Critics condemned the attacks on the charity.",
        "the attacks on the charity",
        "the charity",
        "condemned",
        "Critics",
        "FAVOR",
    ),
    # a demand not to do the target
    (
        "He urged the council not to close the library.",
        "not to close the library",
        "closing the library",
        "urged",
        "He",
        "AGAINST",
    ),
]


@pytest.mark.parametrize(("text", "content", "target", "cue", "speaker", "expected"), CASES)
def test_the_evaluation_is_read_toward_the_target(
    nlp: Language, text: str, content: str, target: str, cue: str, speaker: str, expected: str
) -> None:
    label, evidence = stance(nlp, text, content, target, cue, speaker)
    assert label == expected, evidence


def test_a_synonym_of_the_target_is_a_mention_and_says_so(nlp: Language) -> None:
    text = "The port union said the walkout was a great success for its members."
    label, evidence = stance(
        nlp, text, "the walkout was a great success for its members", "the dockworkers' strike",
        "said", "The port union",
    )  # fmt: skip
    assert label == "FAVOR", evidence
    assert any("walkout" in e and "synonym" in e for e in evidence), evidence


def test_praise_of_something_else_is_no_stance_toward_the_target(nlp: Language) -> None:
    text = "Residents praised the new playground on Friday."
    label, evidence = stance(
        nlp, text, "the new playground on Friday", "the fuel levy", "praised", "Residents"
    )
    assert label == "NONE", evidence
