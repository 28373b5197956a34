"""Kind and referenced gender against a gold speakers layer, per speaker and for the merged
table (hand-built records; sentences of our own)."""

from __future__ import annotations

import re
from typing import Any

from newspipe.eval.sources import evaluate_sources, gold_sources


def _span(text: str, piece: str) -> dict[str, Any]:
    match = re.search(r"(?<!\w)" + re.escape(piece) + r"(?!\w)", text)
    assert match is not None
    return {"start": match.start(), "end": match.end(), "text": piece}


def _record(doc_id: str, text: str, said: list[tuple[str, str, str]], **more: Any) -> dict:
    """(content, speaker mention, speaker_name) quotes; every capitalised pair a PERSON."""
    quotes = [
        {
            "content": _span(text, content),
            "cue": None,
            "speaker": _span(text, mention),
            "speaker_name": name,
            "type": "indirect",
            "stance": None,
        }
        for content, mention, name in said
    ]
    people = {m.group(0) for m in re.finditer(r"[A-Z][a-z]+ [A-Z][a-z]+", text)}
    entities = [{**_span(text, p), "label": "PERSON"} for p in sorted(people)]
    return {
        "id": doc_id,
        "text": text,
        "target": None,
        "sentences": [],
        "entities": entities,
        "quotes": quotes,
        **more,
    }


ONE = "Mr Ola Berg said the dam held. Ana Lima said the river rose."
TWO = "Ola Berg said repairs began. Lind Varg said nothing."


def gold() -> list[dict[str, Any]]:
    return [
        _record(
            "one",
            ONE,
            [("the dam held", "Ola Berg", "Ola Berg"), ("the river rose", "Ana Lima", "Ana Lima")],
            speakers=[
                {"name": "Ola Berg", "kind": "person", "gender": "male"},
                {"name": "Ana Lima", "kind": "person", "gender": "female"},
            ],
        ),
        _record(
            "two",
            TWO,
            [("repairs began", "Ola Berg", "Ola Berg"), ("nothing", "Lind Varg", "Lind Varg")],
            speakers=[
                {"name": "Ola Berg", "kind": "person", "gender": "male"},
                {"name": "Lind Varg", "kind": "person", "gender": "unknown"},
            ],
        ),
    ]


def test_gold_sources_join_one_name_across_documents() -> None:
    reference = gold_sources(gold())
    assert set(reference) == {"ola berg", "ana lima", "lind varg"}
    assert reference["ola berg"]["documents"] == {"one", "two"}
    assert reference["ola berg"]["quotes"] == 2 and reference["ola berg"]["gender"] == "male"


def test_scores_on_the_gold_records_themselves() -> None:
    records = [{k: v for k, v in r.items() if k != "speakers"} for r in gold()]
    result = evaluate_sources(records, gold(), resamples=0)
    speakers = result["speakers"]
    assert (speakers["gold_speakers"], speakers["matched_speakers"]) == (4, 4)
    assert speakers["kind"]["acc"] == 1.0
    # no pronoun, honorific or noun for Ana Lima, nor for Ola Berg in the second article
    assert speakers["gender"]["acc"] == 0.5
    errors = {(e["id"], e["name"]) for e in speakers["errors"]}
    assert errors == {("one", "Ana Lima"), ("two", "Ola Berg")}
    table = result["table"]
    assert (table["gold_sources"], table["matched_gold_sources"]) == (3, 3)
    assert table["merge_pairs_gold"] == 1 and table["merge_r"] == 1.0
    assert table["quotes_exact"] == 1.0
    assert table["gender_acc"] == 2 / 3  # the merged row has the first article's 'Mr'


def test_a_missed_speaker_lowers_recall_not_accuracy() -> None:
    records = [{k: v for k, v in r.items() if k != "speakers"} for r in gold()]
    records[1]["quotes"] = records[1]["quotes"][:1]  # Lind Varg not found
    result = evaluate_sources(records, gold(), resamples=0)
    assert result["speakers"]["matched_speakers"] == 3
    assert result["speakers"]["name_r"] == 0.75
    assert result["table"]["sources_r"] == 2 / 3
