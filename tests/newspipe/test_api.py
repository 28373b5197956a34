"""The Python API: newspipe.load, make_doc, to_record, from_record."""

from __future__ import annotations

import pytest
from spacy.language import Language

import newspipe


def test_make_doc_to_record_and_back(blank: Language) -> None:
    blank.add_pipe("newspipe_sentences_rules_v1")
    doc = blank(newspipe.make_doc(blank, "One here. Two there.", target="x", doc_id="d1"))
    record = newspipe.to_record(doc)
    assert (record["id"], record["target"]) == ("d1", "x")
    assert record["sentences"] == [{"start": 0, "end": 9}, {"start": 10, "end": 20}]
    again = newspipe.from_record(record, blank)
    assert newspipe.to_record(again) == record
    assert newspipe.to_record(doc, "other")["id"] == "other"


@pytest.mark.model
def test_load_takes_dotted_overrides_either_way() -> None:
    nlp = newspipe.load(components__stance__target="the plan")
    assert nlp.get_pipe("stance").target == "the plan"
    nlp = newspipe.load(**{"nlp.stages": ["sentences"]})
    assert "quotes" not in nlp.pipe_names and "sentences" in nlp.pipe_names
