from __future__ import annotations


def test_the_written_as_part_of_a_name_goes_inside(blank, correct) -> None:
    doc = blank('Ana Lima told The Harbour Post. The Fjord Times agreed, as did "The Long Night".')
    ents = [("Harbour Post", "ORG"), ("Fjord Times", "ORG"), ("Long Night", "WORK_OF_ART")]
    assert [t for t, _ in correct(doc, ents, ["names"])] == [
        "The Harbour Post", "The Fjord Times", "The Long Night"
    ]  # fmt: skip


def test_the_stays_outside_at_a_sentence_start_and_when_written_lowercase(blank, correct) -> None:
    doc = blank("The Storting said so. Critics of The Order of Oak and the Order of Oak met.")
    ents = [("Storting", "ORG"), ("Order of Oak", "ORG"), ("Order of Oak", "ORG")]
    assert [t for t, _ in correct(doc, ents, ["names"])] == [
        "Storting",
        "Order of Oak",
        "Order of Oak",
    ]


def test_an_organisation_continues_over_its_of_phrase(blank, correct) -> None:
    doc = blank("The Lima Foundation for the Coastal Arts and the Fjord Society of Norway met.")
    ents = [("Lima Foundation", "ORG"), ("Coastal Arts", "ORG"), ("Society of Norway", "ORG")]
    found = correct(doc, ents, ["names"])
    assert found == [
        ("Lima Foundation for the Coastal Arts", "ORG"),
        ("Fjord Society of Norway", "ORG"),
    ]


def test_a_person_takes_the_rest_of_the_name(parsed, correct) -> None:
    doc = parsed(
        "She met illustrator Johnnie Winter and the campaigner Ivar Holm. "
        "Chan Siu-ming came. Signe Bergen too.",
        {"Ivar": "PROPN"},
    )
    ents = [("Johnnie", "PERSON"), ("Holm", "PERSON"), ("Chan Siu", "PERSON")]
    ents += [("Signe", "GPE"), ("Bergen", "GPE")]
    assert correct(doc, ents, ["names"]) == [
        ("Johnnie Winter", "PERSON"), ("Ivar Holm", "PERSON"), ("Chan Siu-ming", "PERSON"),
        ("Signe Bergen", "PERSON"),
    ]  # fmt: skip


def test_a_person_does_not_take_an_adjective(parsed, correct) -> None:
    doc = parsed("He mocked Crooked Ola again.", {"Crooked": "ADJ"})
    assert correct(doc, [("Ola", "PERSON")], ["names"]) == [("Ola", "PERSON")]


def test_tournament_groups_and_awards(blank, correct) -> None:
    doc = blank("In Group C she won the Golden Oar of the Year award.")
    ents = [("Group C", "ORG"), ("Golden Oar", "PERSON")]
    found = correct(doc, ents, ["names"])
    assert found == [("Group C", "EVENT"), ("Golden Oar of the Year", "WORK_OF_ART")]


def test_places_in_a_list_and_compass_words(blank, correct) -> None:
    doc = blank("She lives in Tromsvik, Norway. Western Norway voted, and Norway too.")
    ents = [("Tromsvik", "PERSON"), ("Norway", "GPE"), ("Western Norway", "LOC"), ("Norway", "GPE")]
    found = correct(doc, ents, ["names"])
    assert ("Tromsvik", "GPE") in found and ("Western Norway", "GPE") in found


def test_common_words_are_not_names(blank, correct) -> None:
    doc = blank("Salinity is rising. The pan-coastalists say salinity matters.")
    ents = [("Salinity", "PERSON"), ("pan-coastalists", "NORP")]
    assert correct(doc, ents, ["names"]) == []


def test_quoted_titles_and_common_words_inside_names_stay(blank, correct) -> None:
    doc = blank('On "Meet the Mayor" she spoke. Lima Campaign aides said the campaign ended.')
    ents = [("Meet the Mayor", "WORK_OF_ART"), ("Lima", "PERSON")]
    assert correct(doc, ents, ["names"]) == ents  # a quoted title; "campaign" is a common word


def test_and_joins_two_organisations(blank, correct) -> None:
    doc = blank("It was filed by the Nordic Union of Towns and Fjordwatch on Monday.")
    ents = [("Nordic Union", "ORG"), ("Fjordwatch", "ORG")]
    found = correct(doc, ents, ["names"])
    assert found == [("Nordic Union of Towns", "ORG"), ("Fjordwatch", "ORG")]
