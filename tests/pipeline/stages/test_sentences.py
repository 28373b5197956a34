from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.stages.sentences import paragraph_starts, read_sentence_rules


def sentences(nlp: Language, text: str) -> list[str]:
    return [s.text.strip() for s in nlp(text).sents if s.text.strip()]


def test_paragraph_starts_at_every_line_break(blank: Language) -> None:
    doc = blank("Headline here\nFirst paragraph. Two.\n\nThird")
    starts = [doc[i].text for i in paragraph_starts(doc)]
    assert starts == ["Headline", "First", "Third"]


def test_paragraph_starts_with_min_newlines(blank: Language) -> None:
    doc = blank("A wrapped\nline.\n\nNew paragraph")
    assert [doc[i].text for i in paragraph_starts(doc, min_newlines=2)] == ["A", "New"]


@pytest.mark.parametrize(
    "factory",
    ["newspipe_sentences_rules_v1", "newspipe_sentences_pysbd_v1", "newspipe_sentences_hybrid_v1"],
)
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
    [
        "newspipe_sentences_model_v1",
        "newspipe_sentences_rules_v1",
        "newspipe_sentences_pysbd_v1",
        "newspipe_sentences_hybrid_v1",
    ],
)
def test_parser_keeps_the_boundaries_it_is_given(factory: str) -> None:
    from newspipe.pipeline.build import load_pipeline

    nlp = load_pipeline(overrides={"components.sentences.factory": factory})
    text = "Floods hit the north\nRescue teams arrived on Monday. They found the village empty."
    assert sentences(nlp, text) == [
        "Floods hit the north",
        "Rescue teams arrived on Monday.",
        "They found the village empty.",
    ]


PYSBD = "newspipe_sentences_pysbd_v1"
HYBRID = "newspipe_sentences_hybrid_v1"


@pytest.mark.parametrize("factory", [PYSBD, HYBRID])
def test_closing_quote_stays_with_the_sentence_it_closes(blank: Language, factory: str) -> None:
    blank.add_pipe(factory)
    text = 'The mayor said: “We are ready.” Crews left.\nShe added: "It is over."\nNext line'
    assert sentences(blank, text) == [
        "The mayor said: “We are ready.”",
        "Crews left.",
        'She added: "It is over."',
        "Next line",
    ]


@pytest.mark.parametrize("factory", [PYSBD, HYBRID])
def test_sentences_inside_a_quotation_are_split(blank: Language, factory: str) -> None:
    blank.add_pipe(factory)
    text = '“It failed. We retry,” he said. "Nice try." she said.'
    assert sentences(blank, text) == ["“It failed.", "We retry,” he said.", '"Nice try." she said.']


@pytest.mark.parametrize("factory", [PYSBD, HYBRID])
def test_dateline_running_into_the_text_is_split(blank: Language, factory: str) -> None:
    blank.add_pipe(factory)
    text = "Bridge reopens\nMonday, March 2, 2020 On Sunday the bridge reopened."
    assert sentences(blank, text) == [
        "Bridge reopens",
        "Monday, March 2, 2020",
        "On Sunday the bridge reopened.",
    ]


def test_pysbd_corrections_on_initialisms_dashes_and_elisions(blank: Language) -> None:
    blank.add_pipe(PYSBD)
    text = (
        'The fair was held in Washington D.C. The team won. "It is a long game." - Ann Lee. '
        "Prices rose [...] However, sales held."
    )
    assert sentences(blank, text) == [
        "The fair was held in Washington D.C.",
        "The team won.",
        '"It is a long game." - Ann Lee.',
        "Prices rose [...]",
        "However, sales held.",
    ]


def test_pysbd_corrections_can_be_switched_off(blank: Language) -> None:
    blank.add_pipe(PYSBD, config={"corrections": []})
    assert sentences(blank, '"One. Two." Three.') == ['"One. Two."', "Three."]


def test_unknown_pysbd_correction_is_a_clear_error(blank: Language) -> None:
    with pytest.raises(PipelineError, match="unknown sentence correction 'typo'"):
        blank.add_pipe(PYSBD, config={"corrections": ["typo"]})


def test_bad_sentence_rules_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "rules.json"
    bad.write_text('{"weekdays": []}')
    with pytest.raises(PipelineError, match="need the lists"):
        read_sentence_rules(bad)
    with pytest.raises(PipelineError, match="not found"):
        read_sentence_rules(tmp_path / "missing.json")


def test_hybrid_leaves_only_abbreviations_before_capitals_open(blank: Language) -> None:
    blank.add_pipe(HYBRID)
    doc = blank("Dr. Ruiz met the U.S. Senate. Then he left at 6 p.m. and slept.")
    flags = {t.text: t.is_sent_start for t in doc}
    assert flags["Ruiz"] is False  # a title abbreviation
    assert flags["Senate"] is None  # ambiguous: left to the parser
    assert flags["Then"] is True
    assert flags["and"] is False
    assert flags["met"] is False


def test_hybrid_splits_an_initialism_before_a_sentence_opener(blank: Language) -> None:
    blank.add_pipe(HYBRID)
    doc = blank("They met in Washington D.C. The talks ended.")
    assert {t.text: t.is_sent_start for t in doc}["The"] is True


@pytest.mark.model
def test_hybrid_with_the_parser_keeps_abbreviations() -> None:
    from newspipe.pipeline.build import load_pipeline

    nlp = load_pipeline(overrides={"components.sentences.factory": HYBRID})
    text = 'Prices rose\nMr. J. Smith arrived in the U.S. on Friday. "We are ready." She left.'
    assert sentences(nlp, text) == [
        "Prices rose",
        "Mr. J. Smith arrived in the U.S. on Friday.",
        '"We are ready."',
        "She left.",
    ]


def test_model_backend_keeps_a_closing_quote_before_a_line_break(blank: Language) -> None:
    blank.add_pipe("newspipe_sentences_model_v1")
    doc = blank('He said: "We are ready."\nCrews left.')
    assert [t.is_sent_start for t in doc if t.text == '"'] == [None, False]


def test_hybrid_list_items_and_ellipses(blank: Language) -> None:
    blank.add_pipe(HYBRID)
    assert sentences(blank, "1.) The first item 2.) The second item") == [
        "1.) The first item",
        "2.) The second item",
    ]
    assert sentences(blank, "• 9. Pack food. • 10. Lock up.") == [
        "• 9. Pack food.",
        "• 10. Lock up.",
    ]
    assert sentences(blank, "I meant . . . I did not mean it. Then . . . . Next one.") == [
        "I meant . . . I did not mean it.",
        "Then . . . .",
        "Next one.",
    ]
    # outside a list paragraph a number after a period does not open a sentence
    assert sentences(blank, "It is at N°. 1026.253. That is all.") == [
        "It is at N°. 1026.253.",
        "That is all.",
    ]


@pytest.mark.parametrize("factory", [PYSBD, HYBRID])
def test_picture_credit_after_an_unpunctuated_caption_is_a_sentence(
    blank: Language, factory: str
) -> None:
    blank.add_pipe(factory)
    text = "The crowd at the gate Image: Ann Lee.\nThe image: a storm."
    assert sentences(blank, text) == [
        "The crowd at the gate",
        "Image: Ann Lee.",
        "The image: a storm.",
    ]


@pytest.mark.parametrize("factory", [PYSBD, HYBRID])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ferry fares rise\nOSLO, Norway (Reuters) – The ministry said fares would rise.",
            ["Ferry fares rise", "OSLO, Norway (Reuters) –", "The ministry said fares would rise."],
        ),
        (
            "BERGEN, June 3 (NTB) – Fishermen protested. Police watched.",
            ["BERGEN, June 3 (NTB) –", "Fishermen protested.", "Police watched."],
        ),
        ("LIMA (AP) — Protesters gathered.", ["LIMA (AP) —", "Protesters gathered."]),
        (
            "Springfield, Illinois, United States - This week the fair opened.",
            ["Springfield, Illinois, United States -", "This week the fair opened."],
        ),
        ("ST. LOUIS — The river rose.", ["ST. LOUIS —", "The river rose."]),
        ("WASHINGTON--The senate voted.", ["WASHINGTON--", "The senate voted."]),
        ("Lyon, France — 12 people were hurt.", ["Lyon, France —", "12 people were hurt."]),
        (
            "Rio de Janeiro, Brazil — The parade began.",
            ["Rio de Janeiro, Brazil —", "The parade began."],
        ),
        (
            "Friday, July 21, 2017\nGENEVA, Switzerland (AFP) — Talks resumed.",
            ["Friday, July 21, 2017", "GENEVA, Switzerland (AFP) —", "Talks resumed."],
        ),
        (  # a date line, a dateline and the story on one line
            "Friday, July 21, 2017 GENEVA (AFP) — Talks resumed.",
            ["Friday, July 21, 2017", "GENEVA (AFP) —", "Talks resumed."],
        ),
    ],
)
def test_a_story_dateline_is_its_own_sentence(
    blank: Language, factory: str, text: str, expected: list[str]
) -> None:
    blank.add_pipe(factory)
    assert sentences(blank, text) == expected


@pytest.mark.parametrize("factory", [PYSBD, HYBRID])
@pytest.mark.parametrize(
    "text",
    [
        "Group B — Norway 2 – 1 Chile",  # a heading: the place is not in capitals, no comma
        "Kim Larsen — the mayor — said the plan was good.",
        "Oslo — a city of fjords — welcomed the visitors.",  # lower case after the dash
        "Mayor Kim Larsen, the new leader — Residents cheered.",  # not capitalised words
        "The mayor said WASHINGTON — The senate voted.",  # not at the start of a paragraph
    ],
)
def test_dashes_that_are_not_datelines_split_nothing(
    blank: Language, factory: str, text: str
) -> None:
    blank.add_pipe(factory)
    assert len(sentences(blank, text)) == 1


def test_no_boundary_inside_a_dateline(blank: Language) -> None:
    blank.add_pipe(HYBRID)
    doc = blank("WASHINGTON, D.C. (AP) — The senate voted.")
    assert [t.text for t in doc if t.is_sent_start] == ["WASHINGTON", "The"]
    assert [s.text.strip() for s in doc.sents] == ["WASHINGTON, D.C. (AP) —", "The senate voted."]


@pytest.mark.model
def test_a_dateline_is_never_part_of_a_quote(nlp: Language) -> None:
    text = (
        "Harbour strike ends\n\nOSLO, Norway (Reuters) – The union leader said the new contract "
        'was fair. "We got what we asked for," she told reporters.\n\nLIMA (AP) — Officials '
        "said the bridge would reopen on Monday."
    )
    doc = nlp(text)
    lines = ["OSLO, Norway (Reuters) –", "LIMA (AP) —"]
    assert set(lines) <= {s.text for s in doc.sents}
    datelines = [(text.index(line), text.index(line) + len(line)) for line in lines]
    quotes = doc.spans["quotes"]
    assert len(quotes) == 3
    for quote in quotes:
        parts = [quote, quote._.cue, quote._.speaker]
        for part in (p for p in parts if p is not None):
            for start, end in datelines:
                assert part.end_char <= start or part.start_char >= end, part.text
