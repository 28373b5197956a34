from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Span

from newspipe.pipeline.stages.entities import correct_entities, read_entity_rules

RULES = read_entity_rules()


def test_a_surname_after_the_full_name_is_the_person(blank, correct) -> None:
    doc = blank("Laura Okafor won. Okafor said she was glad, and critics of Okafor agreed.")
    ents = [("Laura Okafor", "PERSON"), ("Okafor", "ORG"), ("Okafor", "GPE")]
    assert correct(doc, ents, ["consistency"]) == [
        ("Laura Okafor", "PERSON"), ("Okafor", "PERSON"), ("Okafor", "PERSON")
    ]  # fmt: skip


def test_an_unlabelled_mention_of_a_known_name_is_labelled(parsed, correct) -> None:
    doc = parsed("Laura Okafor won. Later Okafor left.")
    found = correct(doc, [("Laura Okafor", "PERSON")], ["consistency"])
    assert found == [("Laura Okafor", "PERSON"), ("Okafor", "PERSON")]
    assert correct(doc, [("Laura Okafor", "PERSON")], []) == [("Laura Okafor", "PERSON")]


def test_the_initials_of_an_organisation_are_the_organisation(blank, correct) -> None:
    doc = blank("The Halden Port Authority met. HPA officials left; HPA said no.")
    ents = [("Halden Port Authority", "ORG"), ("HPA", "PERSON")]
    assert correct(doc, ents, ["consistency"]) == [
        ("Halden Port Authority", "ORG"), ("HPA", "ORG"), ("HPA", "ORG")
    ]  # fmt: skip


def test_the_majority_of_the_model_votes_decides(blank, correct) -> None:
    doc = blank("Port Halden grew. Port Halden is busy. Port Halden was built in 1900.")
    ents = [("Port Halden", "FAC"), ("Port Halden", "LOC"), ("Port Halden", "FAC")]
    assert {label for _, label in correct(doc, ents, ["consistency"])} == {"FAC"}
    tie = [("Port Halden", "FAC"), ("Port Halden", "LOC")]
    assert [lab for _, lab in correct(doc, tie, ["consistency"])] == ["FAC", "LOC"]  # no majority


def test_a_name_beginning_with_another_persons_surname_is_no_full_name(blank, correct) -> None:
    doc = blank("Ana Berg spoke. The Berg Kamera sold; a Kamera is a camera brand.")
    ents = [("Ana Berg", "PERSON"), ("Berg Kamera", "PERSON"), ("Kamera", "ORG")]
    assert ("Kamera", "ORG") in correct(doc, ents, ["consistency"])


def test_a_word_the_article_writes_in_lowercase_is_not_propagated(blank, correct) -> None:
    doc = blank("Salinity Council met. Salinity is rising; salinity harms.")
    found = correct(doc, [("Salinity", "ORG")], ["consistency"])
    assert found == [("Salinity", "ORG")]


def test_patterns_decide_the_label_of_their_names(blank: Language) -> None:
    doc = blank.make_doc("Nordic Wire reported it. Nordic Wire said more.")
    model = [Span(doc, 0, 2, label="PERSON"), Span(doc, 5, 7, label="PERSON")]
    ruler = [Span(doc, 0, 2, label="ORG")]
    found = correct_entities(doc, model, RULES, ["consistency"], fixed=ruler)
    assert [(e.text, e.label_) for e in found] == [("Nordic Wire", "ORG"), ("Nordic Wire", "ORG")]


def test_a_word_of_a_place_name_is_no_surname(blank, correct) -> None:
    doc = blank("N. Ireland voted first. Northern Ireland agreed, an Ireland expert said.")
    ents = [("N. Ireland", "PERSON"), ("Northern Ireland", "GPE"), ("Ireland", "GPE")]
    assert ("Ireland", "GPE") in correct(doc, ents, ["consistency"])
