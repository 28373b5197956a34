"""The record contract: types → schemas, Doc → record, record → Doc, checks."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from spacy.language import Language
from spacy.tokens import Span

from newspipe.pipeline.errors import RecordAlignmentError
from newspipe.pipeline.extensions import QUOTES_KEY
from newspipe.pipeline.records import (
    SCHEMA_PATH,
    Record,
    doc_to_record,
    json_schema_text,
    record_arrow_schema,
    record_problems,
    record_schema,
    record_to_doc,
    set_entities,
    set_quotes,
    set_sentences,
)
from newspipe.pipeline.stages import ENTITY_LABELS, QUOTE_TYPES, STANCE_LABELS

TEXT = "Ana Ruiz said the dam is safe. Critics disagree."


def _span(start: int, end: int) -> dict[str, Any]:
    return {"start": start, "end": end, "text": TEXT[start:end]}


RECORD: Record = {
    "id": "dam",
    "text": TEXT,
    "target": "the dam",
    "sentences": [{"start": 0, "end": 30}, {"start": 31, "end": 48}],
    "entities": [{**_span(0, 8), "label": "PERSON"}],  # type: ignore[list-item]
    "quotes": [
        {
            "content": _span(14, 29),  # type: ignore[typeddict-item]
            "cue": _span(9, 13),  # type: ignore[typeddict-item]
            "speaker": _span(0, 8),  # type: ignore[typeddict-item]
            "speaker_name": "Ana Ruiz",
            "type": "indirect",
            "stance": "FAVOR",
            "stance_evidence": ["a reason"],
        }
    ],
}


def test_schema_file_is_what_the_types_say() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == json_schema_text()
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$defs"]["entity"]["properties"]["label"]["enum"] == list(ENTITY_LABELS)
    quote = schema["$defs"]["quote"]
    assert quote["properties"]["type"]["enum"] == list(QUOTE_TYPES)
    assert quote["properties"]["stance"]["enum"] == [*STANCE_LABELS, None]
    assert "stance_evidence" not in quote["required"]


def test_arrow_schema_has_every_field_of_the_contract() -> None:
    schema = record_arrow_schema()
    contract = record_schema()
    assert schema.names == list(contract["properties"])
    quote = schema.field("quotes").type.value_type
    assert [quote.field(i).name for i in range(quote.num_fields)] == list(
        contract["$defs"]["quote"]["properties"]
    )


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
    assert record["quotes"][0]["stance_evidence"] is None  # present, null: no stance stage ran
    assert "stance_evidence" not in doc_to_record(doc, stance_evidence=False)["quotes"][0]
    assert record_problems(record) == []


def test_record_to_doc_and_back_is_the_same_record(blank: Language) -> None:
    doc = record_to_doc(RECORD, blank)
    assert (doc._.doc_id, doc._.target) == ("dam", "the dam")
    assert [s.text for s in doc.sents] == ["Ana Ruiz said the dam is safe.", "Critics disagree."]
    quote = doc.spans[QUOTES_KEY][0]
    assert (quote.label_, quote._.cue.text, quote._.stance) == ("indirect", "said", "FAVOR")
    assert doc_to_record(doc) == RECORD


def test_strict_record_to_doc_names_every_unaligned_span(blank: Language) -> None:
    record = {**RECORD, "entities": [{**_span(0, 6), "label": "PERSON"}]}
    with pytest.raises(RecordAlignmentError) as caught:
        record_to_doc(record, blank)  # type: ignore[arg-type]
    assert caught.value.doc_id == "dam"
    assert caught.value.problems == [
        'entities[0] "Ana Ru" (0-6) does not align with spaCy tokens; '
        'the nearest token span is "Ana Ruiz" (0-8)'
    ]
    lenient = record_to_doc(record, blank, strict=False)  # type: ignore[arg-type]
    assert [e.text for e in lenient.ents] == ["Ana Ruiz"]


def test_lenient_setters_widen_to_tokens_and_leave_the_stance_to_predict(
    blank: Language,
) -> None:
    doc = blank.make_doc(TEXT)
    set_sentences(doc, RECORD["sentences"])
    assert [s.text for s in doc.sents] == ["Ana Ruiz said the dam is safe.", "Critics disagree."]
    set_entities(doc, [{"start": 1, "end": 6, "label": "PERSON"}])  # type: ignore[list-item]
    assert [(e.text, e.label_) for e in doc.ents] == [("Ana Ruiz", "PERSON")]
    kept = set_quotes(doc, RECORD["quotes"], with_stance=False)
    quote = doc.spans[QUOTES_KEY][0]
    assert kept == [0]
    assert (quote.text, quote._.cue.text, quote._.speaker.text) == (
        "the dam is safe",
        "said",
        "Ana Ruiz",
    )
    assert (quote._.speaker_name, quote._.quote_type, quote._.stance) == (
        "Ana Ruiz",
        "indirect",
        None,
    )


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
    record["entities"][0]["label"] = "PER"  # type: ignore[index]
    assert any("entities/0/label" in p for p in record_problems(record))


@pytest.mark.model
def test_seed_record_is_consistent_and_valid(nlp: Language, seed_text: str) -> None:
    record = doc_to_record(nlp(seed_text), "seed")
    jsonschema.validate(record, record_schema())
    assert record_problems(record) == []
    assert len(record["sentences"]) >= 20
    assert {e["label"] for e in record["entities"]} >= {"PERSON", "GPE"}
    assert any(q["type"] == "direct" for q in record["quotes"])
