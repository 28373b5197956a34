"""Loading, resolving and validating gold files (the eval/gold package)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from newspipe.eval.gold import (
    ENTITY_LABELS,
    QUOTE_TYPES,
    GoldError,
    canonical,
    check_record,
    find_occurrences,
    gold_files,
    gold_set_files,
    gold_yaml,
    layer_counts,
    load_gold,
    resolve_gold,
    validate_gold,
)
from newspipe.pipeline.records import Record, record_problems, record_schema

GOLD_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "gold"
STRIKE_GOLD = GOLD_FIXTURES / "harbour_strike.gold.yaml"
MakeGold = Callable[[str, str], Path]

TWO_SENTENCES = "Ana Lima met Ola Berg in Oslo. He said the deal was done.\n"
HEADER = (
    "target: null\n"
    'sentences:\n  - "Ana Lima met Ola Berg in Oslo."\n  - "He said the deal was done."\n'
)


def problems_of(path: Path) -> list[str]:
    """The problem lines of a gold file that must fail."""
    with pytest.raises(GoldError) as caught:
        load_gold(path)
    return caught.value.lines()


# --------------------------------------------------------------------------- resolving


def test_fixture_resolves_every_layer_to_exact_offsets(strike_record: Record) -> None:
    text = strike_record["text"]
    sentences = [text[s["start"] : s["end"]] for s in strike_record["sentences"]]
    assert sentences[0] == "Dockworkers strike at Port of Halden"  # headline, no full stop
    assert sentences[3] == "She added that the strike could last “for weeks, if needed.”"
    assert len(sentences) == 7
    for entity in strike_record["entities"]:
        assert text[entity["start"] : entity["end"]] == entity["text"]
    assert [e["text"] for e in strike_record["entities"]][-2:] == ["Dahl", "Dahl"]
    last_two = strike_record["entities"][-2:]
    assert last_two[0]["start"] < last_two[1]["start"]  # repeated name: two different places
    assert strike_record["target"] == "the dockworkers’ strike"


def test_quote_parts_resolve_within_their_sentence(strike_record: Record) -> None:
    text = strike_record["text"]
    quotes = strike_record["quotes"]
    assert [q["type"] for q in quotes] == ["direct", "mixed", "indirect", "indirect", "indirect"]
    direct = quotes[0]
    assert text[direct["content"]["start"] - 1] == "“"
    assert text[direct["content"]["end"]] == "”"
    # "said" occurs three times in the text; the quote's sentence makes it unique
    said = [q["cue"]["start"] for q in quotes if q["cue"]["text"] == "said"]
    assert len(set(said)) == 3
    last = quotes[-1]
    assert last["speaker"]["text"] == "Dahl"
    assert text[last["speaker"]["start"] :].startswith("Dahl said")
    assert quotes[3]["cue"]["text"] == "According to"


def test_find_occurrences_respects_word_boundaries() -> None:
    text = "The hen saw he and she."
    assert find_occurrences(text, "he") == [12]
    assert find_occurrences(text, "The") == [0]
    assert find_occurrences("US-led and USA", "US") == [0]


def test_in_occurrence_and_at_forms(make_gold: MakeGold) -> None:
    text = "Oslo and Oslo and Oslo."
    gold = make_gold(
        text,
        'sentences: ["Oslo and Oslo and Oslo."]\n'
        "entities:\n"
        "  - {sentence: 1, text: Oslo, label: GPE, occurrence: 2}\n"
        "  - {sentence: 1, text: Oslo, label: GPE, in: and Oslo.}\n"
        "quotes: []\n",
    )
    record = load_gold(gold)
    assert [e["start"] for e in record["entities"]] == [9, 18]


def test_record_passes_the_extract_schema(strike_record: Record) -> None:
    assert record_problems(strike_record) == []
    assert list(strike_record) == ["id", "text", "target", "sentences", "entities", "quotes"]


def test_scheme_matches_the_record_schema() -> None:
    schema = record_schema()
    assert list(ENTITY_LABELS) == schema["$defs"]["entity"]["properties"]["label"]["enum"]
    quote = schema["$defs"]["quote"]["properties"]
    assert list(QUOTE_TYPES) == quote["type"]["enum"]


def test_json_gold_and_directories(tmp_path: Path, strike_record: Record) -> None:
    (tmp_path / "harbour_strike.txt").write_bytes(
        (GOLD_FIXTURES / "harbour_strike.txt").read_bytes()
    )
    data = yaml.safe_load(STRIKE_GOLD.read_text(encoding="utf-8"))
    (tmp_path / "harbour_strike.gold.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not gold", encoding="utf-8")
    assert [p.name for p in gold_files([tmp_path])] == ["harbour_strike.gold.json"]
    assert load_gold(tmp_path / "harbour_strike.gold.json") == strike_record


def test_layer_counts(strike_record: Record) -> None:
    counts = layer_counts(strike_record)
    assert counts["sentences"] == 7
    assert counts["entities"] == 12
    assert counts["entities_per_label"]["PERSON"] == 3
    assert counts["quotes_per_type"] == {"indirect": 3, "direct": 1, "mixed": 1}
    assert counts["stance_per_label"] == {"FAVOR": 3, "AGAINST": 1, "NONE": 1}


def test_project_gold_is_valid_and_complete() -> None:
    """Every gold file of the project (seed and news set) resolves, with every layer."""
    root = Path(__file__).resolve().parents[2]
    checks = validate_gold([root / "gold"])
    assert [c.path.name for c in checks if c.problems] == []
    assert len(checks) == 23
    for check in checks:
        assert check.record is not None
        counts = layer_counts(check.record)
        assert counts["sentences"] > 0 and counts["entities"] > 0
        assert check.record["target"], check.path
        assert all(q["stance"] is not None for q in check.record["quotes"])
        assert "speakers" in check.record, check.path
        assert record_problems(check.record) == []
    assert sum(layer_counts(c.record)["quotes"] for c in checks if c.record) > 200


def test_raw_annotations_of_both_annotators_are_kept_and_valid() -> None:
    root = Path(__file__).resolve().parents[2] / "gold"
    final = {c.path.name for c in validate_gold([root])}
    for annotator in ("A", "B"):
        checks = validate_gold([root / ".annotators" / annotator])
        assert [c.path.name for c in checks if c.problems] == []
        assert {c.path.name for c in checks} == final


# --------------------------------------------------------------------------- writing gold


def test_written_gold_resolves_back(strike_record: Record, tmp_path: Path) -> None:
    text = gold_yaml(strike_record, "harbour_strike.txt")
    again = resolve_gold(yaml.safe_load(text), "again", strike_record["text"])
    assert canonical(again) == canonical(strike_record)
    assert '  - [7, "Dahl", "PERSON"]' in text


def test_written_gold_falls_back_to_occurrence_and_offset() -> None:
    text = "Bergen or Bergen. USAir flies."
    record: Record = {
        "id": "x",
        "text": text,
        "target": None,
        "sentences": [{"start": 0, "end": 17}, {"start": 18, "end": 30}],
        "entities": [
            {"start": 10, "end": 16, "label": "GPE", "text": "Bergen"},
            {"start": 18, "end": 20, "label": "ORG", "text": "US"},  # inside a word
        ],
        "quotes": [],
    }
    written = gold_yaml(record, "x.txt")
    data = yaml.safe_load(written)
    assert data["entities"][0] == {"sentence": 1, "text": "Bergen", "occurrence": 2, "label": "GPE"}
    assert data["entities"][1]["at"] == 18
    assert canonical(resolve_gold(data, "x", text)) == canonical(record)


# --------------------------------------------------------------------------- validation


BROKEN = {
    "entity text not found": (
        "entities:\n  - [1, Bergen, GPE]\n",
        'entities[0] "Bergen": text not found in sentence 1',
    ),
    "label outside the scheme": (
        "entities:\n  - [1, Oslo, CITY]\n",
        "entities[0] \"Oslo\": label 'CITY' is not an OntoNotes label",
    ),
    "no such sentence": ("entities:\n  - [9, Oslo, GPE]\n", "no sentence 9"),
    "overlapping entities": (
        "entities:\n  - [1, Ana Lima, PERSON]\n  - [Lima, PERSON]\n",
        'entities[1] "Lima": overlaps entities[0] "Ana Lima"',
    ),
    "duplicate entities": (
        "entities:\n  - [1, Oslo, GPE]\n  - [Oslo, GPE]\n",
        "duplicates entities[0]",
    ),
    "entity crossing sentences": (
        "entities:\n  - [Oslo. He, GPE]\n",
        'entities[0] "Oslo. He": crosses the end of sentence 1',
    ),
    "ambiguous quote part": (
        "quotes:\n  - {content: the deal was done, cue: said, speaker: e, type: indirect}\n",
        'quotes[0].speaker "e": text not found in the text',
    ),
    "quote type": (
        "quotes:\n  - {sentence: 2, content: the deal was done, type: reported}\n",
        "quotes[0]: type 'reported' is not one of direct, indirect, mixed",
    ),
    "direct without marks": (
        "quotes:\n  - {sentence: 2, content: the deal was done, type: direct}\n",
        "direct content is not enclosed in quotation marks",
    ),
    "mixed without marks": (
        "quotes:\n  - {sentence: 2, content: the deal was done, type: mixed}\n",
        "mixed content contains no quotation mark",
    ),
    "stance without target": (
        "quotes:\n  - {sentence: 2, content: the deal was done, type: indirect, stance: FAVOR}\n",
        "has a stance but the file has no target",
    ),
    "overlapping quote parts": (
        "quotes:\n  - {sentence: 2, content: said the deal, cue: said, type: indirect}\n",
        'quotes[0].content "said the deal": overlaps quotes[0].cue "said"',
    ),
    "duplicate quote contents": (
        "quotes:\n  - {sentence: 2, content: the deal was done, type: indirect}\n"
        "  - {sentence: 2, content: the deal was done, type: indirect}\n",
        "has the same content as",
    ),
    "crossing quote contents": (
        "quotes:\n  - {sentence: 2, content: said the deal, type: indirect}\n"
        "  - {sentence: 2, content: the deal was done, type: indirect}\n",
        "content crosses the content of",
    ),
    "number read by YAML": ("entities:\n  - [1, 30, CARDINAL]\n", "put it in quotes"),
    "unknown key": ("entites: []\n", "unknown keys ['entites']"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_validator_catches(case: str, make_gold: MakeGold) -> None:
    body, expected = BROKEN[case]
    gold = make_gold(TWO_SENTENCES, HEADER + body)
    lines = problems_of(gold)
    assert any(expected in line for line in lines), lines
    assert all(line.startswith(f"{gold}: ") for line in lines)


def test_ambiguous_part_asks_for_disambiguation(make_gold: MakeGold) -> None:
    gold = make_gold(
        "He said it. He said no.\n",
        'target: null\nsentences: ["He said it.", "He said no."]\n'
        "quotes:\n  - {content: it, cue: said, speaker: He, type: indirect}\n",
    )
    lines = problems_of(gold)
    assert (
        f'{gold}: quotes[0].cue "said": text occurs 2 times in the text; add "in:" or "occurrence:"'
        in lines
    )
    assert any('quotes[0].speaker "He": text occurs 2 times' in line for line in lines)


def test_sentence_problems(make_gold: MakeGold) -> None:
    gold = make_gold(
        "First one. Lost words. Last one.",
        'sentences: ["First one.", "Last one."]\n',
    )
    assert problems_of(gold) == [
        f'{gold}: text between sentence 1 and sentence 2 is in no sentence: "Lost words."'
    ]
    gold = make_gold("First one. Last one.", 'sentences: ["First one.", "Missing."]\n')
    assert problems_of(gold) == [
        f'{gold}: sentence 2 "Missing.": text not found after the previous sentence'
    ]


def test_all_problems_of_a_file_are_reported(make_gold: MakeGold) -> None:
    gold = make_gold(
        TWO_SENTENCES,
        HEADER
        + "entities:\n  - [1, Bergen, GPE]\n  - [1, Oslo, TOWN]\n"
        + "quotes:\n  - {sentence: 2, content: the deal was done, type: said}\n",
    )
    lines = problems_of(gold)
    assert len(lines) == 3
    assert "Bergen" in lines[0] and "TOWN" in lines[1] and "'said'" in lines[2]


def test_unsafe_yaml_is_refused(make_gold: MakeGold, tmp_path: Path) -> None:
    marker = tmp_path / "touched"
    gold = make_gold(TWO_SENTENCES, f"x: !!python/object/apply:os.system ['touch {marker}']\n")
    lines = problems_of(gold)
    assert len(lines) == 1 and "malformed YAML" in lines[0]
    assert not marker.exists()


def test_unreadable_inputs(tmp_path: Path, make_gold: MakeGold) -> None:
    gold = make_gold(TWO_SENTENCES, "sentences: [unclosed\n")
    assert "malformed YAML" in problems_of(gold)[0]
    gold.write_text("id: doc\nsentences: []\n", encoding="utf-8")
    assert problems_of(gold) == [f"{gold}: text_file must name the article's text file"]
    gold.write_text("id: doc\ntext_file: nowhere.txt\n", encoding="utf-8")
    assert "cannot read" in problems_of(gold)[0]
    with pytest.raises(GoldError, match="no such file"):
        gold_files([tmp_path / "absent.gold.yaml"])


def test_check_record_on_offsets() -> None:
    record: Record = {
        "id": "x",
        "text": "Ana met Ola.",
        "target": None,
        "sentences": [{"start": 0, "end": 12}],
        "entities": [
            {"start": 0, "end": 3, "label": "PERSON", "text": "Ana"},
            {"start": 8, "end": 20, "label": "PERSON", "text": "Ola."},
            {"start": 7, "end": 11, "label": "PERSON", "text": " Ola"},
        ],
        "quotes": [],
    }
    problems = check_record(record)
    assert 'entities[1] "Ola.": offsets 8-20 lie outside the text (length 12)' in problems
    assert "entities[2] \"Ola\": has whitespace at its start or end (' Ola')" in problems


# --------------------------------------------------------------------------- speakers layer

SPOKEN = HEADER + (
    "quotes:\n  - sentence: 2\n    content: the deal was done\n    cue: said\n"
    "    speaker: He\n    speaker_name: Ola Berg\n    type: indirect\n"
)


def test_speakers_layer_resolves_into_the_record(make_gold: MakeGold) -> None:
    body = SPOKEN + "speakers:\n  - {name: Ola Berg, kind: person, gender: male}\n"
    record = load_gold(make_gold(TWO_SENTENCES, body))
    assert record["speakers"] == [{"name": "Ola Berg", "kind": "person", "gender": "male"}]
    counts = layer_counts(record)
    assert counts["speakers_per_kind"] == {"person": 1}
    assert counts["speakers_per_gender"] == {"male": 1}


def test_speakers_layer_is_optional(make_gold: MakeGold) -> None:
    record = load_gold(make_gold(TWO_SENTENCES, SPOKEN))
    assert "speakers" not in record
    assert "speakers_per_kind" not in layer_counts(record)


def test_speakers_layer_problems(make_gold: MakeGold) -> None:
    body = SPOKEN + (
        "speakers:\n"
        "  - {name: Ana Lima, kind: person, gender: female}\n"
        "  - {name: Ana Lima, kind: robot, gender: woman, age: 40}\n"
    )
    problems = problems_of(make_gold(TWO_SENTENCES, body))
    joined = "\n".join(problems)
    assert 'speakers[1] "Ana Lima": listed twice' in joined
    assert "kind 'robot' is not one of person, organisation" in joined
    assert "gender 'woman' is not one of male, female" in joined
    assert "speakers[1]: unknown keys ['age']" in joined
    assert 'speakers: "Ana Lima" is the speaker_name of no quote' in joined
    assert 'speakers: no entry for the speaker_name "Ola Berg"' in joined
    assert all(line.startswith(str(make_gold(TWO_SENTENCES, body))) for line in problems)


def test_speakers_layer_survives_the_yaml_round_trip(make_gold: MakeGold) -> None:
    body = SPOKEN + "speakers:\n  - {name: Ola Berg, kind: person, gender: unknown}\n"
    record = load_gold(make_gold(TWO_SENTENCES, body))
    again = resolve_gold(yaml.safe_load(gold_yaml(record, "doc.txt")), "again", record["text"])
    assert canonical(again) == canonical(record)
    assert again["speakers"] == record["speakers"]


def test_directories_are_searched_below_but_not_in_hidden_folders(
    tmp_path: Path, make_gold: MakeGold
) -> None:
    top = make_gold(TWO_SENTENCES, SPOKEN)
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "doc.txt").write_text(TWO_SENTENCES, encoding="utf-8")
    nested = tmp_path / "news" / "other.gold.yaml"
    nested.write_text(f"id: other\ntext_file: doc.txt\n{SPOKEN}", encoding="utf-8")
    raw = tmp_path / "news" / ".annotators" / "A"
    raw.mkdir(parents=True)
    (raw / "other.gold.yaml").write_text("not even yaml: [", encoding="utf-8")
    assert gold_files([tmp_path]) == [top, nested]


def test_named_gold_sets(tmp_path: Path, make_gold: MakeGold) -> None:
    top = make_gold(TWO_SENTENCES, SPOKEN)
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "doc.txt").write_text(TWO_SENTENCES, encoding="utf-8")
    nested = tmp_path / "news" / "other.gold.yaml"
    nested.write_text(f"id: other\ntext_file: doc.txt\n{SPOKEN}", encoding="utf-8")
    assert gold_set_files("all", tmp_path) == [top, nested]
    assert gold_set_files("seed", tmp_path) == [top]
    assert gold_set_files("news", tmp_path) == [nested]
    with pytest.raises(ValueError, match="unknown gold set"):
        gold_set_files("everything", tmp_path)


def test_direct_content_may_stand_apart_from_its_marks_by_spaces(make_gold: MakeGold) -> None:
    text = 'Berg said," We agree ". Lima left.\n'
    body = (
        "target: null\n"
        'sentences:\n  - \'Berg said," We agree ".\'\n  - "Lima left."\n'
        "quotes:\n  - sentence: 1\n    content: We agree\n    cue: said\n    speaker: Berg\n"
        "    speaker_name: Berg\n    type: direct\n"
    )
    assert load_gold(make_gold(text, body))["quotes"][0]["content"]["text"] == "We agree"
    unquoted = make_gold(
        "Berg said We agree. Lima left.\n",
        body.replace("'Berg said,\" We agree \".'", '"Berg said We agree."'),
    )
    assert any("not enclosed in quotation marks" in line for line in problems_of(unquoted))


def test_mixed_content_may_quote_its_fragment_in_straight_single_quotes(
    make_gold: MakeGold,
) -> None:
    def gold(sentence: str, content: str) -> Path:
        body = (
            f'target: null\nsentences:\n  - "{sentence}"\n  - "Lima left."\n'
            f'quotes:\n  - sentence: 1\n    content: "{content}"\n    cue: called\n'
            "    speaker: Officials\n    speaker_name: Officials\n    type: mixed\n"
        )
        return make_gold(f"{sentence} Lima left.\n", body)

    quoted = gold("Officials called him 'the anti-christ' on Monday.", "him 'the anti-christ'")
    assert load_gold(quoted)["quotes"][0]["type"] == "mixed"
    plain = gold("Officials called the plan Ola's idea.", "the plan Ola's idea")
    assert any("mixed content contains no quotation mark" in line for line in problems_of(plain))
