from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Span

from pipeline.entities import correct_span, read_patterns
from pipeline.errors import PipelineError


def test_possessive_and_determiner_move_outside(blank: Language) -> None:
    doc = blank("The United Nations’s envoy spoke.")
    span = correct_span(Span(doc, 0, 4, label="ORG"))
    assert span is not None and span.text == "United Nations" and span.label_ == "ORG"


def test_span_of_only_a_determiner_disappears(blank: Language) -> None:
    doc = blank("the")
    assert correct_span(Span(doc, 0, 1, label="ORG")) is None


def test_corrector_fixes_earlier_entities_and_adds_patterns(
    blank: Language, tmp_path: Path
) -> None:
    patterns = tmp_path / "patterns.jsonl"
    patterns.write_text(json.dumps({"label": "ORG", "pattern": "Acme Corp"}) + "\n")

    def fake_ner(doc):  # stands in for a statistical NER
        doc.ents = [Span(doc, 0, 3, label="PERSON")]
        return doc

    blank.add_pipe("newspipe_entities_model_v1", config={"patterns": str(patterns)})
    doc = blank.make_doc("Jane Doe's company Acme Corp grew.")
    doc = blank.get_pipe("newspipe_entities_model_v1")(fake_ner(doc))
    assert [(e.text, e.label_) for e in doc.ents] == [("Jane Doe", "PERSON"), ("Acme Corp", "ORG")]


def test_rules_backend_alone_finds_dates_and_numbers(blank: Language) -> None:
    blank.add_pipe("newspipe_entities_rules_v1")
    doc = blank("On Monday 12 people met for the first time in 1998.")
    found = {(e.text, e.label_) for e in doc.ents}
    assert {("Monday", "DATE"), ("12", "CARDINAL"), ("first", "ORDINAL"), ("1998", "DATE")} <= found


def test_bad_patterns_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"label": "ORG"}\n')
    with pytest.raises(PipelineError, match="needs 'label' and 'pattern'"):
        read_patterns(bad)
    with pytest.raises(PipelineError, match="not found"):
        read_patterns(tmp_path / "missing.jsonl")
