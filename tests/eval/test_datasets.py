"""Loading gold data: public data set formats (small fixtures written for these tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newspipe.eval.datasets import (
    DatasetError,
    iob_spans,
    load_dataset_spec,
    load_gold_set,
    read_conll,
    read_predictions,
    stance_label,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "datasets"


def test_golden_rules_locate_each_sentence_in_order() -> None:
    gold = load_dataset_spec(f"golden-rules:{FIXTURES / 'golden_rules.jsonl'}")
    assert gold.kind == "golden-rules"
    assert gold.scored == {"sentences"}
    first = gold.records[0]
    assert [first["text"][s["start"] : s["end"]] for s in first["sentences"]] == [
        "The ferry left at noon.",
        "Nobody waved.",
    ]
    assert len(gold.records) == 3 and not gold.problems


def test_gum_offsets_become_sentences() -> None:
    gold = load_dataset_spec(f"gum:{FIXTURES / 'gum.jsonl'}")
    record = gold.records[0]
    assert record["id"] == "gum_harbor"
    assert record["text"][record["sentences"][0]["start"] : record["sentences"][0]["end"]] == (
        "Storm closes harbor"
    )
    assert len(record["sentences"]) == 4


def test_polnear_quotes_with_cue_speaker_and_no_speaker_names() -> None:
    gold = load_dataset_spec(f"polnear:{FIXTURES / 'polnear.jsonl'}")
    assert gold.scored == {"quotes"} and gold.modes == ("end-to-end",)
    assert gold.speaker_names is False
    quotes = gold.records[0]["quotes"]
    assert [q["content"]["text"] for q in quotes] == [
        "the bridge would reopen in May",
        "“We are ahead of schedule,”",
        "the cost is too high",
    ]
    assert quotes[0]["speaker"]["text"] == "Mayor Lina Ortiz"
    assert quotes[2]["cue"]["text"] == "believe"
    assert gold.records[1]["quotes"] == []


def test_stance_items_become_one_quote_documents_with_mapped_labels() -> None:
    gold = load_dataset_spec(f"stance:{FIXTURES / 'stance.jsonl'}")
    assert gold.modes == ("isolated",)
    assert [r["quotes"][0]["stance"] for r in gold.records] == [
        "FAVOR",
        "AGAINST",
        "NONE",
        "FAVOR",
    ]
    record = gold.records[0]
    assert record["target"] == "bike lanes"
    assert record["quotes"][0]["content"]["text"] == record["text"]
    assert record["quotes"][0]["cue"] is None
    assert len(gold.problems) == 1 and "unknown stance label 'maybe'" in gold.problems[0]


@pytest.mark.parametrize(
    ("label", "mapped"),
    [
        ("agree", "FAVOR"),
        ("disagree", "AGAINST"),
        ("neutral", "NONE"),
        ("for", "FAVOR"),
        ("against", "AGAINST"),
        ("observing", "NONE"),
        ("favor", "FAVOR"),
        ("positive", "FAVOR"),
        ("negative", "AGAINST"),
        ("FAVOR", "FAVOR"),
        ("Neutral", "NONE"),
        ("unrelated", None),
        (3, None),
    ],
)
def test_stance_label_mapping(label: object, mapped: str | None) -> None:
    assert stance_label(label) == mapped


def test_iob1_and_iob2_tags() -> None:
    assert iob_spans(["I-PER", "I-PER", "O", "I-LOC"]) == [(0, 2, "PER"), (3, 4, "LOC")]
    assert iob_spans(["B-PER", "B-PER", "I-PER", "I-LOC"]) == [
        (0, 1, "PER"),
        (1, 3, "PER"),
        (3, 4, "LOC"),
    ]


def test_conll_documents_sentences_and_entities() -> None:
    gold = load_dataset_spec(f"conll:{FIXTURES / 'conll.txt'}")
    assert gold.scored == {"entities"} and "sentences" in gold.layers
    assert gold.label_map is not None and gold.label_map["PERSON"] == "PER"
    first, second = gold.records
    assert first["text"] == "Maria Santos visited Lisbon .\nThe Harbor Trust agreed ."
    assert [(e["text"], e["label"]) for e in first["entities"]] == [
        ("Maria Santos", "PER"),
        ("Lisbon", "LOC"),
        ("Harbor Trust", "ORG"),
    ]
    assert len(first["sentences"]) == 2
    assert [(e["text"], e["label"]) for e in second["entities"]] == [
        ("Jonas", "PER"),
        ("Ana Lee", "PER"),
        ("Oslo", "LOC"),
        ("Nordic Games", "MISC"),
    ]


def test_conll_without_docstart_makes_one_document_per_sentence() -> None:
    lines = ["A DT O", "Pedro NNP B-PER", "", "Rome NNP B-LOC", "."]
    with pytest.raises(DatasetError, match="no tag column"):
        list(read_conll(lines, "x.conll"))
    with pytest.raises(DatasetError, match="not an IOB tag"):
        list(read_conll(['{"id": "x", "text": "JSON, not CoNLL"}'], "x.conll"))
    records = list(read_conll(lines[:-1], "x.conll"))
    assert [r["text"] for r in records] == ["A Pedro", "Rome"]


def test_iobes_and_bilou_tags() -> None:
    assert iob_spans(["S-PER", "B-ORG", "I-ORG", "E-ORG", "O", "U-LOC"]) == [
        (0, 1, "PER"),
        (1, 4, "ORG"),
        (5, 6, "LOC"),
    ]
    assert iob_spans(["B-MISC", "L-MISC", "B-PER", "E-PER"]) == [(0, 2, "MISC"), (2, 4, "PER")]


def test_conll_comments_ontonotes_labels_and_muc_spellings(tmp_path: Path) -> None:
    onto = tmp_path / "onto.conll"
    onto.write_text(
        "# sent_id = 1\nAna\tB-PERSON\nvisited\tO\nOslo\tB-GPE\n#\tO\n\n", encoding="utf-8"
    )
    gold = load_dataset_spec(f"conll:{onto}")
    assert gold.label_map is None  # OntoNotes labels: scored as they are
    assert [(e["text"], e["label"]) for e in gold.records[0]["entities"]] == [
        ("Ana", "PERSON"),
        ("Oslo", "GPE"),
    ]
    assert gold.records[0]["text"] == "Ana visited Oslo #"
    muc = tmp_path / "muc.conll"
    muc.write_text("Ana B-PERSON\nin O\nOslo B-LOCATION\n", encoding="utf-8")
    gold = load_dataset_spec(f"conll:{muc}")
    assert gold.label_map is not None and gold.label_map["GPE"] == "LOC"
    assert [e["label"] for e in gold.records[0]["entities"]] == ["PER", "LOC"]
    assert any("read as CoNLL's" in p for p in gold.problems)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("gum", "KIND:PATH"),
        ("nope:x.jsonl", "unknown dataset kind 'nope'"),
        ("gum:/does/not/exist.jsonl", "no such file"),
        ("conll:/does/not/exist.conll", "no such file"),
    ],
)
def test_bad_specs_fail_with_one_line(spec: str, message: str) -> None:
    with pytest.raises(DatasetError, match=message) as info:
        load_dataset_spec(spec)
    assert "\n" not in str(info.value)


def test_conll_hub_id_without_network_fails_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import datasets

    def offline(*args: object, **kwargs: object) -> None:
        raise ConnectionError("Couldn't reach the Hugging Face Hub\n(offline)")

    monkeypatch.setattr(datasets, "load_dataset", offline)
    with pytest.raises(DatasetError, match="hub failed") as info:
        load_dataset_spec("conll:someone/no-such-conll-set")
    assert "\n" not in str(info.value)


def test_malformed_jsonl_fails_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "x", "sentences": [[0, 1]]}\n{not json\n', encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        load_dataset_spec(f"gum:{bad}")
    assert str(bad) in str(info.value) and "\n" not in str(info.value)


def test_rows_with_problems_are_skipped_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "gum.jsonl"
    rows = [
        {"id": "ok", "text": "One. Two.", "sentences": [[0, 4], [5, 9]]},
        {"id": "bad", "text": "One.", "sentences": [[0, 40]]},
        {"id": "ok", "text": "Again.", "sentences": [[0, 6]]},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    gold = load_dataset_spec(f"gum:{path}")
    assert [r["id"] for r in gold.records] == ["ok"]
    assert len(gold.problems) == 2


def test_our_gold_files_load_with_every_layer() -> None:
    root = Path(__file__).resolve().parents[2]
    gold = load_gold_set([root / "gold"])
    assert gold.kind == "gold" and gold.scored == {"sentences", "entities", "quotes", "stance"}
    assert all(r["target"] for r in gold.records)
    with pytest.raises(DatasetError, match="no such file"):
        load_gold_set([root / "no-such-gold"])


def test_saved_predictions_are_read_by_id_and_bad_lines_reported(tmp_path: Path) -> None:
    good = {
        "id": "a",
        "text": "Hi.",
        "target": None,
        "sentences": [{"start": 0, "end": 3}],
        "entities": [],
        "quotes": [],
    }
    path = tmp_path / "pred.jsonl"
    path.write_text(
        json.dumps(good) + "\n{oops\n" + json.dumps({"id": "b"}) + "\n", encoding="utf-8"
    )
    records, problems = read_predictions(path)
    assert list(records) == ["a"]
    assert len(problems) == 2
