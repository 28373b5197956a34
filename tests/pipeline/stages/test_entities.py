from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc, Span

from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.stages.entities import (
    CORRECTIONS,
    correct_entities,
    correct_span,
    read_entity_rules,
    read_patterns,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


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


RULES = read_entity_rules()


def _ents(doc: Doc, spans: list[tuple[int, int, str]], corrections: list[str]) -> list[tuple]:
    found = correct_entities(
        doc, [Span(doc, s, e, label=lab) for s, e, lab in spans], RULES, corrections
    )
    return [(e.text, e.label_) for e in found]


def test_portfolio_word_inside_a_job_title_is_not_an_organisation(blank: Language) -> None:
    doc = blank("Defense Minister Ana Lima met the Secretary of State and the Defense Council.")
    spans = [(0, 1, "ORG"), (2, 4, "PERSON"), (8, 9, "ORG"), (11, 13, "ORG")]
    assert _ents(doc, spans, ["titles"]) == [("Ana Lima", "PERSON"), ("Defense Council", "ORG")]
    assert len(_ents(doc, spans, [])) == 4  # switched off: nothing changes


def test_an_organisation_inside_a_title_stays(blank: Language) -> None:
    doc = blank("WHO Director-General Ana Lima spoke.")
    spans = [(0, 1, "ORG"), (2, 4, "PERSON")]
    assert ("WHO", "ORG") in _ents(doc, spans, ["titles"])


def test_title_words_move_out_of_a_person(blank: Language) -> None:
    doc = blank("Prime Minister Ana Lima and Mr. Tan left.")
    spans = [(0, 4, "PERSON"), (5, 7, "PERSON")]
    assert _ents(doc, spans, ["titles"]) == [("Ana Lima", "PERSON"), ("Tan", "PERSON")]


def test_acronym_in_parentheses_takes_the_label_of_the_name(blank: Language) -> None:
    doc = blank("The Food and Drug Administration (FDA) and Nordic Rail (XYZ) met.")
    spans = [(1, 5, "ORG"), (9, 11, "ORG"), (12, 13, "PERSON")]
    found = _ents(doc, spans, ["acronyms"])
    assert ("FDA", "ORG") in found
    assert ("XYZ", "ORG") not in found  # letters are not the name's initials
    assert ("XYZ", "PERSON") in found  # so the model's own label is left alone


def test_name_ending_in_a_facility_head_is_a_facility(blank: Language) -> None:
    doc = blank("They landed at Heathrow Airport near the House and Oslo airport.")
    spans = [(3, 5, "GPE"), (6, 8, "PERSON"), (9, 10, "GPE")]
    assert _ents(doc, spans, ["facilities"]) == [
        ("Heathrow Airport", "FAC"),
        ("the House", "PERSON"),  # one word after the determiner: could be a chamber
        ("Oslo", "GPE"),
    ]


def test_an_org_becomes_a_facility_only_as_a_place_in_the_parse(blank: Language) -> None:
    doc = blank("They flew to Heathrow Airport.")
    assert _ents(doc, [(3, 5, "ORG")], ["facilities"]) == [("Heathrow Airport", "ORG")]  # no parse
    words = ["They", "flew", "to", "Heathrow", "Airport", "."]
    heads, deps = [1, 1, 1, 4, 2, 1], ["nsubj", "ROOT", "prep", "compound", "pobj", "punct"]
    parsed = Doc(blank.vocab, words=words, heads=heads, deps=deps)
    assert _ents(parsed, [(3, 5, "ORG")], ["facilities"]) == [("Heathrow Airport", "FAC")]
    words = ["The", "White", "House", "said", "no", "to", "White", "House", "staff", "."]
    heads, deps = [2, 2, 3, 3, 3, 3, 7, 8, 5, 3], ["det", "compound", "nsubj", "ROOT", "dobj"]
    deps += ["prep", "compound", "compound", "pobj", "punct"]
    parsed = Doc(blank.vocab, words=words, heads=heads, deps=deps)
    spans = [(0, 3, "ORG"), (6, 8, "ORG")]
    assert [lab for _, lab in _ents(parsed, spans, ["facilities"])] == ["ORG", "ORG"]


def test_unknown_correction_and_bad_rules_file_are_clear_errors(
    blank: Language, tmp_path: Path
) -> None:
    with pytest.raises(PipelineError, match="unknown entity correction 'typo'"):
        blank.add_pipe("newspipe_entities_model_v1", config={"corrections": ["typo"]})
    bad = tmp_path / "rules.json"
    bad.write_text("[]")
    with pytest.raises(PipelineError, match="need the lists"):
        read_entity_rules(bad)


def read_conll(path: Path) -> list[tuple[str, set[tuple[int, int, str]]]]:
    """Sentences of a CoNLL-2003 file as (text joined by spaces, gold character spans)."""
    sentences, tokens = [], []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.strip() and not line.startswith("-DOCSTART-"):
            tokens.append((line.split()[0], line.split()[-1]))
            continue
        if not tokens:
            continue
        text, spans, offset, open_span = "", set(), 0, None
        for token, tag in tokens:
            start = offset
            text += token + " "
            offset += len(token) + 1
            if open_span and not tag.startswith("I-"):
                spans.add(open_span)
                open_span = None
            if tag.startswith("B-") or (tag.startswith("I-") and open_span is None):
                open_span = (start, start + len(token), tag[2:])
            elif tag.startswith("I-") and open_span:
                open_span = (open_span[0], start + len(token), open_span[2])
        if open_span:
            spans.add(open_span)
        sentences.append((text.strip(), spans))
        tokens = []
    return sentences


def test_conll_fixture_reader(tmp_path: Path) -> None:
    sentences = read_conll(FIXTURES / "conll_news_sample.txt")
    text, spans = sentences[0]
    assert text.startswith("The Food and Drug Administration ( FDA )")
    assert {text[s:e] for s, e, _ in spans} == {"Food and Drug Administration", "FDA"}


@pytest.mark.model
def test_corrections_lose_nothing_on_conll_style_sentences() -> None:
    from newspipe.pipeline.build import load_pipeline

    conll = {"PERSON": "PER", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "ORG": "ORG"}
    conll.update(dict.fromkeys(("NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"), "MISC"))
    sentences = read_conll(FIXTURES / "conll_news_sample.txt")

    def correct(corrections: list[str]) -> int:
        overrides = {"components.entities.corrections": corrections}
        nlp = load_pipeline(overrides={**overrides, "nlp.stages": ["sentences", "entities"]})
        hits = 0
        for doc, (_, gold) in zip(nlp.pipe(t for t, _ in sentences), sentences, strict=True):
            pred = {(e.start_char, e.end_char, conll.get(e.label_)) for e in doc.ents}
            hits += len(pred & gold)
        return hits

    assert correct(list(CORRECTIONS)) > correct([])
