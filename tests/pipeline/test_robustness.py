"""Arbitrary Unicode never crashes extraction, and what comes out is always consistent."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from newspipe.pipeline.records import doc_to_record, record_problems

pytestmark = pytest.mark.model

news_like = st.text(
    alphabet=st.sampled_from(list("abc XYZ.,;:!?\n\"'“”‘’«»—-()0123456789")), max_size=300
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(max_size=200), news_like))
def test_any_text_gives_a_consistent_record(nlp: Language, text: str) -> None:
    doc = nlp.make_doc(text)
    doc._.target = "xyz"
    record = doc_to_record(nlp(doc), "h")
    assert record_problems(record) == []
