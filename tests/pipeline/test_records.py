from __future__ import annotations

import json

import jsonschema
import pytest
from spacy.language import Language
from spacy.tokens import Span

from newspipe.pipeline.extensions import QUOTES_KEY
from newspipe.pipeline.records import SCHEMA_PATH, doc_to_record, record_problems, record_schema


def test_schema_file_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json.loads(SCHEMA_PATH.read_text()))


def test_token_spans_become_character_offsets(blank: Language) -> None:
    blank.add_pipe("newspipe_sentences_rules_v1")
    doc = blank("Ana Ruiz said no.\nThe end.")
    doc.ents = [Span(doc, 0, 2, label="PERSON")]
    quote = doc[3:4]
    quote._.cue, quote._.speaker = doc[2:3], doc[0:2]
    quote._.speaker_name, quote._.quote_type = "Ana Ruiz", "indirect"
    doc.spans[QUOTES_KEY] = [quote]
    record = doc_to_record(doc, "x")
    assert record["sentences"] == [{"start": 0, "end": 17}, {"start": 18, "end": 26}]
    assert record["entities"] == [{"start": 0, "end": 8, "text": "Ana Ruiz", "label": "PERSON"}]
    assert record["quotes"][0]["cue"] == {"start": 9, "end": 13, "text": "said"}
    assert record["quotes"][0]["content"] == {"start": 14, "end": 16, "text": "no"}
    assert record_problems(record) == []


def test_problems_name_bad_offsets_and_schema_errors() -> None:
    record = {
        "id": "x",
        "text": "abc",
        "target": None,
        "sentences": [{"start": 0, "end": 9}],
        "entities": [{"start": 0, "end": 1, "text": "b", "label": "PERSON"}],
        "quotes": [],
    }
    assert record_problems(record) == [
        "sentences/0: offsets 0–9 outside the text",
        "entities/0: text does not match offsets",
    ]
    record["entities"][0]["label"] = "PER"
    assert any("entities/0/label" in p for p in record_problems(record))


@pytest.mark.model
def test_seed_record_is_consistent_and_valid(nlp: Language, seed_text: str) -> None:
    record = doc_to_record(nlp(seed_text), "seed")
    jsonschema.validate(record, record_schema())
    assert record_problems(record) == []
    assert len(record["sentences"]) >= 20
    assert {e["label"] for e in record["entities"]} >= {"PERSON", "GPE"}
    assert any(q["type"] == "direct" for q in record["quotes"])
