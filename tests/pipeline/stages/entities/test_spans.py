from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Span

from newspipe.pipeline.stages.entities import correct_span


def test_possessive_and_determiner_move_outside(blank: Language) -> None:
    doc = blank("The United Nations’s envoy spoke.")
    span = correct_span(Span(doc, 0, 4, label="ORG"))
    assert span is not None and span.text == "United Nations" and span.label_ == "ORG"


def test_span_of_only_a_determiner_disappears(blank: Language) -> None:
    doc = blank("the")
    assert correct_span(Span(doc, 0, 1, label="ORG")) is None


def test_dates_keep_their_determiner_but_not_a_preposition(blank, correct) -> None:
    doc = blank("Sales fell over the past 30 days, between July 2003 and May.")
    found = correct(doc, [("the past 30 days", "DATE"), ("between July 2003", "DATE")], ["trim"])
    assert found == [("the past 30 days", "DATE"), ("July 2003", "DATE")]


def test_only_and_ages_stay_outside_numbers(blank, correct) -> None:
    doc = blank("They had only two weeks; she fell ill at the age of four months.")
    ents = [("only two weeks", "DATE"), ("the age of four months", "DATE")]
    assert correct(doc, ents, ["trim"]) == [("two weeks", "DATE"), ("four months", "DATE")]


def test_hyphen_prefix_and_common_nouns_stay_outside_names(blank, correct) -> None:
    doc = blank("The pro-Oslo camp cited the Nordic Wire news agency.")
    ents = [("pro-Oslo", "GPE"), ("Nordic Wire news agency", "ORG")]
    assert correct(doc, ents, ["trim"]) == [("Oslo", "GPE"), ("Nordic Wire", "ORG")]
    doc = blank("The Nordic Wire-owned paper.")  # a hyphenated word is not a common noun
    assert correct(doc, [("Nordic Wire", "ORG")], ["trim"]) == [("Nordic Wire", "ORG")]


def test_portfolio_word_inside_a_job_title_is_not_an_organisation(blank, correct) -> None:
    doc = blank("Defense Minister Ana Lima met the Secretary of State and the Defense Council.")
    ents = [("Defense", "ORG"), ("Ana Lima", "PERSON"), ("State", "ORG")]
    ents.append(("Defense Council", "ORG"))
    assert correct(doc, ents, ["titles"]) == [("Ana Lima", "PERSON"), ("Defense Council", "ORG")]
    assert len(correct(doc, ents, [])) == 4  # switched off: nothing changes


def test_an_organisation_inside_a_title_stays(blank, correct) -> None:
    doc = blank("WHO Director-General Ana Lima spoke.")
    ents = [("WHO", "ORG"), ("Ana Lima", "PERSON")]
    assert ("WHO", "ORG") in correct(doc, ents, ["titles"])


def test_titles_roles_and_honorifics_move_out_of_a_person(blank, correct) -> None:
    doc = blank("Prime Minister Ana Lima, Councillor Tom Becker, Ms Okafor and Mr. Tan left.")
    ents = [("Prime Minister Ana Lima", "PERSON"), ("Councillor Tom Becker", "PERSON")]
    ents += [("Ms Okafor", "PERSON"), ("Mr. Tan", "PERSON")]
    assert correct(doc, ents, ["titles"]) == [
        ("Ana Lima", "PERSON"), ("Tom Becker", "PERSON"), ("Okafor", "PERSON"), ("Tan", "PERSON")
    ]  # fmt: skip


def test_military_religious_and_local_titles(blank, correct) -> None:
    doc = blank("Gen. Ola Berg, Archbishop Ana Lima and Alderman Tom Becker spoke.")
    ents = [("Gen. Ola Berg", "PERSON"), ("Archbishop Ana Lima", "PERSON")]
    ents.append(("Alderman Tom Becker", "PERSON"))
    names = [text for text, _ in correct(doc, ents, ["titles"])]
    assert names == ["Ola Berg", "Ana Lima", "Tom Becker"]


def test_title_only_spans_and_post_nominals_are_not_entities(blank, correct) -> None:
    doc = blank("Emeritus Professor Ana Lima and the lawyer Ola Berg, QC, met Mr. King.")
    ents = [("Emeritus", "ORG"), ("Ana Lima", "PERSON"), ("Ola Berg", "PERSON")]
    ents += [("QC", "GPE"), ("King", "PERSON")]
    assert correct(doc, ents, ["titles"]) == [
        ("Ana Lima", "PERSON"), ("Ola Berg", "PERSON"), ("King", "PERSON")
    ]  # fmt: skip


def test_a_role_word_leaves_an_organisation(blank, correct) -> None:
    doc = blank("Jeff Ruiz, the Transport Department Spokesperson, said no.")
    found = correct(doc, [("Transport Department Spokesperson", "ORG")], ["titles"])
    assert found == [("Transport Department", "ORG")]


def test_acronym_in_parentheses_takes_the_label_of_the_name(blank, correct) -> None:
    doc = blank("The Food and Drug Administration (FDA) and Nordic Rail (XYZ) met.")
    ents = [("Food and Drug Administration", "ORG"), ("Nordic Rail", "ORG"), ("XYZ", "PERSON")]
    found = correct(doc, ents, ["acronyms"])
    assert ("FDA", "ORG") in found
    assert ("XYZ", "ORG") not in found  # letters are not the name's initials
    assert ("XYZ", "PERSON") in found  # so the model's own label is left alone


def test_acronym_spells_a_name_the_model_split(blank, correct) -> None:
    doc = blank(
        "The Union of Coastal Towns and Harbours (UCTH) and NRA (Nordic Rail Authority) met."
    )
    ents = [("Union of Coastal Towns", "ORG"), ("Harbours", "PERSON")]
    found = correct(doc, ents, ["acronyms"])
    assert ("Union of Coastal Towns and Harbours", "ORG") in found
    assert ("UCTH", "ORG") in found
    assert ("Nordic Rail Authority", "ORG") in found and ("NRA", "ORG") in found


def test_a_title_word_alone_that_names_an_institution_stays(blank, correct) -> None:
    doc = blank("The Justice deals did not, and the State paid.")
    assert correct(doc, [("Justice", "ORG"), ("State", "ORG")], ["titles"]) == [("Justice", "ORG")]


def test_an_age_leaves_the_person(blank, correct) -> None:
    doc = blank("Ola Berg, 52, and Councillor Tom Becker, 61, resigned.")
    ents = [("Ola Berg, 52", "PERSON"), ("Councillor Tom Becker", "PERSON")]
    assert correct(doc, ents, ["titles"]) == [
        ("Ola Berg", "PERSON"), ("52", "DATE"), ("Tom Becker", "PERSON")
    ]  # fmt: skip


def test_an_organisation_named_after_a_building_is_a_place_after_a_locative_preposition(
    parsed, correct
) -> None:
    # A place: the object of "to" (an article between them allowed); an institution as the
    # subject; a name that modifies a following noun is no place either. No parse is needed.
    doc = parsed("Guards took her to the Lindqvist Hall.", {"Lindqvist": "PROPN"})
    assert correct(doc, [("Lindqvist Hall", "ORG")], ["facilities"]) == [("Lindqvist Hall", "FAC")]
    doc = parsed("Lindqvist Hall said no.", {"Lindqvist": "PROPN"})
    assert correct(doc, [("Lindqvist Hall", "ORG")], ["facilities"]) == [("Lindqvist Hall", "ORG")]
    doc = parsed("Talks at Lindqvist Hall officials' request.", {"officials": "NOUN"})
    assert correct(doc, [("Lindqvist Hall", "ORG")], ["facilities"]) == [("Lindqvist Hall", "ORG")]
