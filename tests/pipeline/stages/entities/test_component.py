from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Span

from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.stages.entities import CORRECTIONS, read_entity_rules, read_patterns

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


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


def test_newsroom_patterns_example_labels_its_names(blank: Language) -> None:
    example = Path(__file__).resolve().parents[4] / "docs" / "examples" / "newsroom_patterns.jsonl"
    blank.add_pipe("newspipe_entities_model_v1", config={"patterns": str(example)})
    doc = blank("The Harbour Post quoted Deputy Mayor Ingrid Dahl of the Coastal Alliance.")
    found = {(e.text, e.label_) for e in blank.get_pipe("newspipe_entities_model_v1")(doc).ents}
    assert {
        ("Harbour Post", "ORG"),
        ("Ingrid Dahl", "PERSON"),
        ("Coastal Alliance", "ORG"),
    } <= found


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


def test_every_correction_can_be_switched_off(blank: Language) -> None:
    def fake_ner(doc):
        doc.ents = [Span(doc, 0, 2, label="PERSON"), Span(doc, 3, 4, label="ORG")]
        return doc

    blank.add_pipe("newspipe_entities_model_v1", config={"corrections": []})
    doc = blank.make_doc("The Okafor of Okafor.")
    doc = blank.get_pipe("newspipe_entities_model_v1")(fake_ner(doc))
    assert [(e.text, e.label_) for e in doc.ents] == [("The Okafor", "PERSON"), ("Okafor", "ORG")]
    assert "consistency" in CORRECTIONS and "money" in CORRECTIONS


def test_unknown_correction_and_bad_rule_files_are_clear_errors(
    blank: Language, tmp_path: Path
) -> None:
    with pytest.raises(PipelineError, match="unknown entity correction 'typo'"):
        blank.add_pipe("newspipe_entities_model_v1", config={"corrections": ["typo"]})
    bad = tmp_path / "rules.json"
    bad.write_text("[]")
    with pytest.raises(PipelineError, match="need the lists"):
        read_entity_rules(bad)
    titles = tmp_path / "titles.tsv"
    titles.write_text("mayor\tlocal\ncaptain military\n")
    with pytest.raises(PipelineError, match=r"titles.tsv:2: want 'form<TAB>kind'"):
        read_entity_rules(titles=titles)
    currencies = tmp_path / "currencies.tsv"
    currencies.write_text("$\tsymbol\nkroner\tmoney\n")
    with pytest.raises(PipelineError, match=r"currencies.tsv:2: want"):
        read_entity_rules(currencies=currencies)


def test_another_titles_file_is_used(blank: Language, tmp_path: Path) -> None:
    from newspipe.pipeline.stages.entities import correct_entities

    titles = tmp_path / "titles.tsv"
    titles.write_text("harbourmaster\tlocal\n")
    rules = read_entity_rules(titles=titles)
    doc = blank("Harbourmaster Ola Berg spoke.")
    found = correct_entities(doc, [Span(doc, 0, 3, label="PERSON")], rules, ["titles"])
    assert [e.text for e in found] == ["Ola Berg"]


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
