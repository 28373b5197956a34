"""One source across documents: which speakers merge, which stay apart, and the notes."""

from __future__ import annotations

from newspipe.pipeline.sources.documents import DocumentSpeaker
from newspipe.pipeline.sources.merge import (
    FIRST_AND_SURNAME,
    SAME_NAME,
    SURNAME_DOMINANT,
    SURNAME_ONLY,
    merge_speakers,
)


def speaker(doc: str, name: str, kind: str = "person") -> DocumentSpeaker:
    out = DocumentSpeaker(doc, name, kind=kind)
    out.types["direct"] += 1
    return out


def sources(*speakers: DocumentSpeaker, merge: bool = True) -> dict[str, set[str]]:
    clusters, _ = merge_speakers(speakers, merge)
    return {c.name: {f"{m.doc_id}:{m.name}" for m in c.members} for c in clusters}


def test_surname_joins_the_only_full_name_with_it() -> None:
    clusters, notes = merge_speakers(
        [speaker("a", "Ola Berg"), speaker("b", "Berg"), speaker("c", "Mr. Berg")]
    )
    assert len(clusters) == 1 and clusters[0].name == "Ola Berg"
    rules = {n.name: n.rule for n in notes if n.joined}
    assert rules == {"Berg": SURNAME_ONLY, "Mr. Berg": SURNAME_ONLY}


def test_two_full_names_never_merge_and_a_surname_then_joins_neither() -> None:
    clusters, notes = merge_speakers(
        [speaker("a", "Ola Berg"), speaker("b", "Ana Berg"), speaker("c", "Berg")]
    )
    assert sorted(c.name for c in clusters) == ["Ana Berg", "Berg", "Ola Berg"]
    (apart,) = [n for n in notes if not n.joined]
    assert apart.name == "Berg" and "kept apart" in apart.rule


def test_a_surname_joins_the_full_name_quoted_in_most_documents() -> None:
    many = [speaker(f"d{i}", "Ola Berg") for i in range(10)]
    clusters, notes = merge_speakers([*many, speaker("x", "Ana Berg"), speaker("y", "Berg")])
    by_name = {c.name: c for c in clusters}
    assert set(by_name) == {"Ola Berg", "Ana Berg"}
    assert {m.doc_id for m in by_name["Ola Berg"].members} == {*(f"d{i}" for i in range(10)), "y"}
    (note,) = [n for n in notes if n.name == "Berg"]
    assert note.rule.startswith(SURNAME_DOMINANT)


def test_fuller_forms_and_written_variants_join() -> None:
    clusters, notes = merge_speakers(
        [
            speaker("a", "Ola Berg"),
            speaker("b", "Ola K. Berg"),
            speaker("c", "OLA K. BERG"),
            speaker("d", "Ola K. Berg"),
        ]
    )
    assert len(clusters) == 1 and clusters[0].name == "Ola K. Berg"
    rules = {n.name: n.rule for n in notes if n.joined}
    assert rules == {"OLA K. BERG": SAME_NAME, "Ola Berg": FIRST_AND_SURNAME}


def test_a_person_and_an_organisation_of_one_name_stay_apart() -> None:
    clusters, notes = merge_speakers(
        [speaker("a", "Jordan"), speaker("b", "Jordan", kind="government")]
    )
    assert len(clusters) == 2
    assert all(not n.joined and "kept apart" in n.rule for n in notes)


def test_organisations_merge_by_name_key_only() -> None:
    found = sources(
        speaker("a", "the Harbour Board", "organisation"),
        speaker("b", "Harbour Board", "organisation"),
        speaker("c", "Harbour Authority", "organisation"),
    )
    assert len(found) == 2


def test_no_merge_keeps_names_as_written() -> None:
    found = sources(speaker("a", "Ola Berg"), speaker("b", "Berg"), merge=False)
    assert found == {"Ola Berg": {"a:Ola Berg"}, "Berg": {"b:Berg"}}
    _, notes = merge_speakers([speaker("a", "Ola Berg"), speaker("b", "Berg")], merge=False)
    assert notes == []
