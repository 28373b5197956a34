"""spaCy DocBin export and import (eval/formats/docbin.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.tokens import DocBin, Span

from newspipe.eval.formats.docbin import (
    CUES_KEY,
    LEGACY_USER_DATA_KEY,
    SPEAKERS_KEY,
    blank_nlp,
    docbin_to_records,
    read_docbin,
    record_to_doc,
    records_to_docbin,
    write_docbin,
)
from newspipe.eval.gold import GoldError, canonical
from newspipe.pipeline.records import Record


def test_gold_to_docbin_to_gold_spans_are_identical(strike_record: Record) -> None:
    data = records_to_docbin([strike_record]).to_bytes()
    (again,) = docbin_to_records(DocBin(store_user_data=True).from_bytes(data))
    assert canonical(again) == canonical(strike_record)
    assert again == strike_record


def test_doc_layout(strike_record: Record) -> None:
    doc = record_to_doc(strike_record)
    text = strike_record["text"]
    sentences = [s.text.strip() for s in doc.sents]
    assert sentences == [text[s["start"] : s["end"]] for s in strike_record["sentences"]]
    assert [(e.text, e.label_) for e in doc.ents][:3] == [
        ("Port of Halden", "FAC"),
        ("HALDEN", "GPE"),
        ("Norway", "GPE"),
    ]
    quotes = doc.spans["quotes"]
    assert [q.label_ for q in quotes] == ["direct", "mixed", "indirect", "indirect", "indirect"]
    assert [q._.quote_type for q in quotes] == [q.label_ for q in quotes]
    # the span-valued attributes are encoded as span groups, labelled with the quote index
    assert [(s.text, s.label_) for s in doc.spans[CUES_KEY]][:2] == [("said", "0"), ("added", "1")]
    assert doc.spans[SPEAKERS_KEY][0].text == "union leader Mari Dahl"
    assert all(q._.cue is None and q._.speaker is None for q in quotes)
    # everything else is an extension value, which a DocBin keeps as user data
    assert (doc._.doc_id, doc._.target) == ("harbour_strike", "the dockworkers’ strike")
    assert [q._.stance for q in quotes] == ["FAVOR", "FAVOR", "AGAINST", "NONE", "FAVOR"]
    assert quotes[0]._.speaker_name == "Mari Dahl"
    assert not any(isinstance(value, Span) for value in doc.user_data.values())


def test_a_docbin_of_the_earlier_layout_is_still_read(strike_record: Record) -> None:
    doc = record_to_doc(strike_record)
    quotes = list(doc.spans["quotes"])
    doc.user_data.clear()  # the earlier layout kept the quote attributes in one dictionary
    doc.user_data[LEGACY_USER_DATA_KEY] = {
        "id": strike_record["id"],
        "target": strike_record["target"],
        "speaker_names": [q["speaker_name"] for q in strike_record["quotes"]],
        "stances": [q["stance"] for q in strike_record["quotes"]],
    }
    assert len(quotes) == len(strike_record["quotes"])
    docbin = DocBin(store_user_data=True)
    docbin.add(doc)
    (again,) = docbin_to_records(DocBin(store_user_data=True).from_bytes(docbin.to_bytes()))
    assert again == strike_record


def test_quote_without_cue_or_speaker_survives(tmp_path: Path) -> None:
    text = "Storms ahead. “We are ready,” Bo said. “Are we?”"
    record: Record = {
        "id": "storm",
        "text": text,
        "target": None,
        "sentences": [],
        "entities": [{"start": 30, "end": 32, "label": "PERSON", "text": "Bo"}],
        "quotes": [
            {
                "content": {"start": 15, "end": 28, "text": "We are ready,"},
                "cue": {"start": 33, "end": 37, "text": "said"},
                "speaker": {"start": 30, "end": 32, "text": "Bo"},
                "speaker_name": "Bo",
                "type": "direct",
                "stance": None,
            },
            {
                "content": {"start": 40, "end": 47, "text": "Are we?"},
                "cue": None,
                "speaker": None,
                "speaker_name": None,
                "type": "direct",
                "stance": None,
            },
        ],
    }
    path = write_docbin([record, record | {"id": "storm2"}], tmp_path / "g.spacy")
    first, second = read_docbin(path)
    assert first == record
    assert second["id"] == "storm2"
    assert first["sentences"] == []  # no sentence layer stays no sentence layer


def test_span_off_token_boundaries_is_reported() -> None:
    text = "Nordicrail cut fares."
    record: Record = {
        "id": "rail",
        "text": text,
        "target": None,
        "sentences": [{"start": 0, "end": 21}],
        "entities": [{"start": 0, "end": 6, "label": "ORG", "text": "Nordic"}],
        "quotes": [],
    }
    with pytest.raises(GoldError) as caught:
        record_to_doc(record, blank_nlp())
    assert caught.value.lines() == [
        'rail: entities[0] "Nordic" (0-6) does not align with spaCy tokens; '
        'the nearest token span is "Nordicrail" (0-10)'
    ]


def test_not_a_docbin(tmp_path: Path) -> None:
    path = tmp_path / "x.spacy"
    path.write_bytes(b"plain text, not msgpack")
    with pytest.raises(GoldError, match="not a spaCy DocBin"):
        read_docbin(path)
    with pytest.raises(GoldError, match="cannot read"):
        read_docbin(tmp_path / "absent.spacy")
