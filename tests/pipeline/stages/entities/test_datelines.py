from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Span

from newspipe.pipeline.stages.entities.datelines import dateline_entities
from newspipe.pipeline.stages.sentences import read_sentence_rules

RULES = read_sentence_rules()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "OSLO, Norway (Reuters) – The ferry left late.",
            [("OSLO", "GPE"), ("Norway", "GPE"), ("Reuters", "ORG")],
        ),
        (
            "BERGEN, June 3 (NTB) – Rain fell.",
            [("BERGEN", "GPE"), ("June 3", "DATE"), ("NTB", "ORG")],
        ),
        ("LIMA (AP) — The vote was close.", [("LIMA", "GPE"), ("AP", "ORG")]),
        ("SAN JOSE, Costa Rica — Markets rose.", [("SAN JOSE", "GPE"), ("Costa Rica", "GPE")]),
        ("Headline\n\nQUITO (AP) – It rained.", [("QUITO", "GPE"), ("AP", "ORG")]),
    ],
)
def test_a_story_dateline_gives_its_place_date_and_agency(
    blank: Language, text: str, expected: list[tuple[str, str]]
) -> None:
    doc = blank.make_doc(text)
    assert [(s.text, s.label_) for s in dateline_entities(doc, RULES)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "The mayor said – after a pause – that the ferry left late.",
        "Lima is a city. OSLO (Reuters) – not at the start of a paragraph.",
        "Ana Ruiz – the new coach – spoke first.",
    ],
)
def test_no_dateline_no_entities(blank: Language, text: str) -> None:
    assert dateline_entities(blank.make_doc(text), RULES) == []


def test_the_corrector_lays_the_dateline_over_the_model(blank: Language) -> None:
    def fake_ner(doc):  # the model's usual mistake: a capitalised place read as a person
        doc.ents = [Span(doc, 0, 1, label="PERSON")]
        return doc

    corrector = blank.add_pipe("newspipe_entities_model_v1")
    doc = corrector(fake_ner(blank.make_doc("LIMA (AP) — The vote was close.")))
    assert [(e.text, e.label_) for e in doc.ents] == [("LIMA", "GPE"), ("AP", "ORG")]
    off = blank.add_pipe(
        "newspipe_entities_model_v1",
        name="without",
        config={"corrections": ["trim", "names"]},
    )
    doc = off(fake_ner(blank.make_doc("LIMA (AP) — The vote was close.")))
    assert [(e.text, e.label_) for e in doc.ents] == [("LIMA", "PERSON")]


@pytest.mark.model
def test_datelines_on_the_model(nlp: Language) -> None:
    doc = nlp("OSLO, Norway (Reuters) – The harbour reopened on Monday, officials said.")
    ents = [(e.text, e.label_) for e in doc.ents]
    assert ents[:3] == [("OSLO", "GPE"), ("Norway", "GPE"), ("Reuters", "ORG")]
    doc = nlp("LIMA (AP) — Voters went to the polls on Sunday.")
    assert [(e.text, e.label_) for e in doc.ents][:2] == [("LIMA", "GPE"), ("AP", "ORG")]
