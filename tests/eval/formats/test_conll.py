"""CoNLL export of gold records: tags, sentences, documents, and a round trip through the
CoNLL reader."""

from __future__ import annotations

from pathlib import Path

from newspipe.eval.datasets import load_dataset_spec
from newspipe.eval.formats.conll import conll_lines, write_conll


def _record(doc_id: str, text: str, sentences: list[str], entities: list[tuple[str, str]]):
    spans, offset = [], 0
    for sentence in sentences:
        start = text.index(sentence, offset)
        spans.append({"start": start, "end": start + len(sentence)})
        offset = start + len(sentence)
    ents = []
    for name, label in entities:
        start = text.index(name)
        ents.append({"start": start, "end": start + len(name), "label": label, "text": name})
    return {"id": doc_id, "text": text, "sentences": spans, "entities": ents, "quotes": []}


def test_entities_become_iob2_tags_in_sentences() -> None:
    text = "Laura Okafor met the Halden Port Authority. It paid $ 40 on Monday."
    record = _record(
        "a",
        text,
        ["Laura Okafor met the Halden Port Authority.", "It paid $ 40 on Monday."],
        [("Laura Okafor", "PERSON"), ("Halden Port Authority", "ORG"), ("$ 40", "MONEY")],
    )
    lines = conll_lines(record)
    assert lines[:4] == ["-DOCSTART- -X- -X- O", "", "Laura _ _ B-PER", "Okafor _ _ I-PER"]
    assert "Authority _ _ I-ORG" in lines and "$ _ _ O" in lines  # MONEY is not CoNLL's
    assert lines[lines.index(". _ _ O") + 1] == ""  # a blank line ends the first sentence


def test_exported_gold_reads_back_as_conll(tmp_path: Path) -> None:
    first, second = "Ana Lima spoke in Oslo.", "The Danish team won."
    records = [
        _record("a", first, [first], [("Ana Lima", "PERSON"), ("Oslo", "GPE")]),
        _record("b", second, [second], [("Danish", "NORP")]),
    ]
    path = write_conll(records, tmp_path / "gold.conll")
    gold = load_dataset_spec(f"conll:{path}")
    assert len(gold.records) == 2 and gold.label_map is not None
    assert [(e["text"], e["label"]) for e in gold.records[0]["entities"]] == [
        ("Ana Lima", "PER"),
        ("Oslo", "LOC"),
    ]
    assert [(e["text"], e["label"]) for e in gold.records[1]["entities"]] == [("Danish", "MISC")]
