from __future__ import annotations

from spacy.language import Language

from pipeline.extract import extract_records
from pipeline.inputs import Document, InputProblem


def test_a_failing_document_is_reported_and_the_rest_come_out(blank: Language) -> None:
    @Language.component("fails_on_boom")
    def fails_on_boom(doc):
        if "boom" in doc.text:
            raise RuntimeError("cannot handle boom")
        return doc

    blank.add_pipe("fails_on_boom")
    items = [
        Document("a", "fine one"),
        InputProblem("bad.txt", "empty text"),
        Document("b", "boom here", source="b.txt"),
        Document("c", "fine two"),
    ]
    results = list(extract_records(blank, items, batch_size=8))
    assert [r["id"] if isinstance(r, dict) else str(r) for r in results] == [
        "a",
        "bad.txt: empty text",
        "b.txt: extraction failed (RuntimeError: cannot handle boom)",
        "c",
    ]
