"""One record's speakers: kind, and referenced gender from the article's own words."""

from __future__ import annotations

from typing import Any

from newspipe.pipeline.sources.documents import DocumentSpeaker, document_sources


def speakers(record: dict[str, Any]) -> dict[str, DocumentSpeaker]:
    return {s.name: s for s in document_sources(record).speakers}


def test_pronoun_speaker_mention_is_direct_evidence(make: Any) -> None:
    text = "Ana Lima runs the ferry. The timetable will change, she said."
    found = speakers(
        make.record(
            "d",
            text,
            [make.quote(text, "The timetable will change", "she", "Ana Lima")],
            [("Ana Lima", "PERSON")],
        )
    )
    ana = found["Ana Lima"]
    assert (ana.kind, ana.gender) == ("person", "female")
    assert [(e.cue, e.word, e.how, e.direct) for e in ana.evidence] == [
        ("pronoun", "she", "speaker mention", True)
    ]


def test_honorific_and_gendered_noun_in_the_mention(make: Any) -> None:
    text = "Mr Ola Berg said the road was closed. A spokeswoman said it would reopen."
    found = speakers(
        make.record(
            "d",
            text,
            [
                make.quote(text, "the road was closed", "Ola Berg", "Ola Berg"),
                make.quote(text, "it would reopen", "A spokeswoman", "A spokeswoman"),
            ],
            [("Ola Berg", "PERSON")],
        )
    )
    assert found["Ola Berg"].gender == "male"
    assert [e.cue for e in found["Ola Berg"].evidence] == ["honorific"]
    assert found["Ola Berg"].evidence[0].how == "title"
    spokeswoman = found["A spokeswoman"]
    assert (spokeswoman.kind, spokeswoman.gender) == ("unnamed", "female")


def test_apposition_noun_counts_but_a_noun_after_a_preposition_does_not(make: Any) -> None:
    text = (
        "Ana Lima, a mother of two, said the school was full. "
        "Ola Berg, a friend of the queen, said nothing had changed."
    )
    found = speakers(
        make.record(
            "d",
            text,
            [
                make.quote(text, "the school was full", "Ana Lima", "Ana Lima"),
                make.quote(text, "nothing had changed", "Ola Berg", "Ola Berg"),
            ],
            [("Ana Lima", "PERSON"), ("Ola Berg", "PERSON")],
        )
    )
    assert found["Ana Lima"].gender == "female"
    assert [(e.word, e.how) for e in found["Ana Lima"].evidence] == [("mother", "apposition")]
    assert found["Ola Berg"].gender == "unknown"
    assert found["Ola Berg"].evidence == []


def test_context_pronoun_only_when_one_person_is_in_reach(make: Any) -> None:
    alone = "Ana Lima said the bridge was safe. She inspected it in May."
    found = speakers(
        make.record(
            "d",
            alone,
            [make.quote(alone, "the bridge was safe", "Ana Lima", "Ana Lima")],
            [("Ana Lima", "PERSON")],
        )
    )
    assert found["Ana Lima"].gender == "female"
    assert [(e.how, e.direct) for e in found["Ana Lima"].evidence] == [("sentence before", False)]

    crowded = "Ana Lima said the bridge was safe after Ola Berg checked it. She inspected it."
    found = speakers(
        make.record(
            "d",
            crowded,
            [
                make.quote(
                    crowded, "the bridge was safe after Ola Berg checked it", "Ana Lima", "Ana Lima"
                )
            ],
            [("Ana Lima", "PERSON"), ("Ola Berg", "PERSON")],
        )
    )
    assert found["Ana Lima"].gender == "unknown"  # two people before 'She': no evidence


def test_pronouns_inside_quotation_marks_are_not_evidence(make: Any) -> None:
    text = "Ana Lima said the fares would rise. “He never listens,” a passenger said."
    found = speakers(
        make.record(
            "d",
            text,
            [make.quote(text, "the fares would rise", "Ana Lima", "Ana Lima")],
            [("Ana Lima", "PERSON")],
        )
    )
    assert found["Ana Lima"].gender == "unknown"


def test_direct_evidence_outweighs_context_and_conflict_is_unknown(make: Any) -> None:
    text = "Mrs Ana Lima said the pier was open. He disagreed."
    found = speakers(
        make.record(
            "d",
            text,
            [make.quote(text, "the pier was open", "Ana Lima", "Ana Lima")],
            [("Ana Lima", "PERSON")],
        )
    )
    assert found["Ana Lima"].gender == "female"  # the honorific is direct; 'He' is context
    text = "The plan is sound, he said. The plan is late, she said."
    quotes = [
        make.quote(text, "The plan is sound", "he", "Ana Lima"),
        make.quote(text, "The plan is late", "she", "Ana Lima"),
    ]
    found = speakers(make.record("d", text, quotes))
    assert found["Ana Lima"].gender == "unknown"
    assert "conflicting" in found["Ana Lima"].gender_reason


def test_organisations_governments_and_groups_have_no_gender(make: Any) -> None:
    text = (
        "The Harbour Board said he was wrong. Norway said talks would go on. "
        "Oslo and Bergen said the rail link was needed. Officials said she had left."
    )
    quotes = [
        make.quote(text, "he was wrong", "The Harbour Board", "Harbour Board"),
        make.quote(text, "talks would go on", "Norway", "Norway"),
        make.quote(text, "the rail link was needed", "Oslo and Bergen", "Oslo and Bergen"),
        make.quote(text, "she had left", "Officials", "Officials"),
    ]
    ents = [("Harbour Board", "ORG"), ("Norway", "GPE"), ("Oslo", "GPE"), ("Bergen", "GPE")]
    found = speakers(make.record("d", text, quotes, ents))
    kinds = {name: (s.kind, s.gender) for name, s in found.items()}
    assert kinds == {
        "Harbour Board": ("organisation", "unknown"),
        "Norway": ("government", "unknown"),
        "Oslo and Bergen": ("group", "unknown"),
        "Officials": ("unnamed", "unknown"),
    }


def test_they_for_a_named_person_is_nonbinary_only_without_he_or_she(make: Any) -> None:
    text = "Kim Lind leads the choir. The hall is too small, they said."
    quotes = [make.quote(text, "The hall is too small", "they", "Kim Lind")]
    found = speakers(make.record("d", text, quotes, [("Kim Lind", "PERSON")]))
    assert found["Kim Lind"].gender == "nonbinary"


def test_counts_stance_unattributed_and_unresolved_pronouns(make: Any) -> None:
    text = "“Build it,” Ana Lima said. Ana Lima said it was needed. It will pass, he said. Fine."
    quotes = [
        make.quote(text, "Build it", "Ana Lima", "Ana Lima", "direct", "FAVOR"),
        make.quote(text, "it was needed", "Ana Lima", "Ana Lima", "indirect", "FAVOR", 2),
        make.quote(text, "It will pass", "he", "he", "indirect", "NONE"),
        make.quote(text, "Fine", None, None, "indirect", "NONE"),
    ]
    sources = document_sources(make.record("d", text, quotes, target="the bridge"))
    (ana,) = sources.speakers
    assert ana.types == {"direct": 1, "indirect": 1}
    assert ana.stances == {"the bridge": {"FAVOR": 2}}
    assert (sources.quotes, sources.unattributed, dict(sources.unresolved)) == (4, 1, {"he": 1})


def test_low_confidence_quotes_can_be_left_out(make: Any) -> None:
    text = "Ana Lima said the tunnel was safe. Ola Berg said it leaked."
    quotes = [
        make.quote(text, "the tunnel was safe", "Ana Lima", "Ana Lima") | {"confidence": 0.9},
        make.quote(text, "it leaked", "Ola Berg", "Ola Berg") | {"confidence": 0.2},
    ]
    record = make.record("d", text, quotes, [("Ana Lima", "PERSON"), ("Ola Berg", "PERSON")])
    assert len(document_sources(record).speakers) == 2
    kept = document_sources(record, min_confidence=0.5).speakers
    assert [s.name for s in kept] == ["Ana Lima"]
