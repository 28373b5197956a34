"""``[nlp] fast_rules``: array versions of the attribute ruler and lemmatizer, spaCy's output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy
import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from newspipe.pipeline import model_rules
from newspipe.pipeline.build import load_model, load_pipeline, resolve_model_name
from newspipe.pipeline.model_rules import (
    ArrayAttributeRuler,
    ArrayLemmatizer,
    one_token_pattern,
    use_array_rules,
)

ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD]

PATTERNS: list[dict[str, Any]] = [
    # one token: tag and word tests, later patterns winning
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"TAG": "NN", "LOWER": "data"}]], "attrs": {"MORPH": "Number=Plur"}},
    {"patterns": [[{"LOWER": {"IN": ["said", "says"]}}]], "attrs": {"LEMMA": "say", "POS": "VERB"}},
    {"patterns": [[{"IS_PUNCT": True}]], "attrs": {"POS": "PUNCT"}},
    {"patterns": [[{"DEP": "nsubj"}]], "attrs": {"TAG": "SUBJ"}},
    # more than one token, with a word to look for; the second token set
    {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "to"}, "index": 1},
    {"patterns": [[{"LOWER": {"REGEX": "^y'?$"}}, {"LOWER": "all"}]], "attrs": {"LEMMA": "you"}},
    # ... and conditions on the word and its neighbour, checked before the Matcher runs
    {"patterns": [[{"DEP": "nsubj"}, {"LOWER": {"IN": ["are", "is"]}, "TAG": "VBP"}]],
     "attrs": {"POS": "AUX"}, "index": 1},
    # an operator: matched over the whole doc; overrides the one-token patterns before it
    {"patterns": [[{"LOWER": "very", "OP": "+"}, {"TAG": "NN"}]], "attrs": {"POS": "X"},
     "index": -1},
    # one token, setting a value the array path does not write (the dependency label)
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"DEP": "dep"}},
    # a one-token pattern after the others: wins over them where both match
    {"patterns": [[{"LOWER": "na"}]], "attrs": {"LEMMA": "na"}},
]  # fmt: skip


def _doc(nlp: Language, words: list[str], tags: list[str], deps: list[str] | None = None) -> Doc:
    doc = Doc(nlp.vocab, words=words, tags=tags)
    if deps is not None:
        values = numpy.asarray([[nlp.vocab.strings.add(d)] for d in deps], dtype="uint64")
        doc.from_array([DEP], values)  # type: ignore[arg-type]
    return doc


def _docs(nlp: Language) -> list[Doc]:
    return [
        _doc(nlp, ["She", "said", "the", "data", "are", "gon", "na", "change", "."],
             ["PRP", "VBD", "DT", "NN", "VBP", "VBG", "TO", "VB", "."],
             ["nsubj", "ROOT", "det", "nsubj", "aux", "ccomp", "aux", "xcomp", "punct"]),
        _doc(nlp, ["Y'", "all", "very", "very", "data", "\n\n", "says", "na", "gon"],
             ["PRP", "DT", "RB", "RB", "NN", "_SP", "VBZ", "TO", "VBG"]),
        _doc(nlp, ["gon"], ["VBG"]),
        # "are" twice, each failing one condition: a subject before it, its tag
        _doc(nlp, ["They", "are", "here", "data", "are"], ["PRP", "VBP", "RB", "NN", "VBZ"],
             ["expl", "ROOT", "advmod", "nsubj", "ROOT"]),
        _doc(nlp, [], []),
    ]  # fmt: skip


def _rulers(nlp: Language) -> tuple[AttributeRuler, ArrayAttributeRuler]:
    spacy_ruler = AttributeRuler(nlp.vocab)
    array_ruler = ArrayAttributeRuler(nlp.vocab)
    for ruler in (spacy_ruler, array_ruler):
        ruler.add_patterns(PATTERNS)
    return spacy_ruler, array_ruler


def test_one_token_patterns_are_told_apart() -> None:
    assert one_token_pattern([{"TAG": "NN", "LOWER": "data"}])
    assert one_token_pattern([{"IS_SPACE": True, "dep": "x"}])
    assert not one_token_pattern([{"LOWER": "gon"}, {"LOWER": "na"}])
    assert not one_token_pattern([{"LOWER": "very", "OP": "+"}])
    assert not one_token_pattern([{"ENT_TYPE": "PERSON"}])
    assert not one_token_pattern([{"IS_SENT_START": True}])


def test_attribute_ruler_sets_what_spacys_sets(blank: Language) -> None:
    spacy_ruler, array_ruler = _rulers(blank)
    for _ in range(2):  # the second time from the table
        for expected, got in zip(_docs(blank), _docs(blank), strict=True):
            assert (spacy_ruler(expected).to_array(ATTRS) == array_ruler(got).to_array(ATTRS)).all()
    doc = array_ruler(_docs(blank)[0])
    assert [t.lemma_ for t in doc][1] == "say" and doc[6].lemma_ == "na"  # the later wins
    assert str(doc[3].morph) == "Number=Plur" and doc[0].tag_ == "SUBJ"
    assert doc[4].pos_ == "AUX"  # "data are": subject, then "are" tagged VBP
    assert [t.pos_ for t in array_ruler(_docs(blank)[3])][1::3] == ["", ""]


def test_distinct_rows_survive_a_collision_of_their_mixed_numbers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = numpy.asarray([[1, 2, 3], [4, 5, 3], [1, 2, 3], [7, 8, 9]], dtype="uint64")
    for mix in (model_rules._MIX, numpy.uint64(0)):  # 0: only the last column counts
        monkeypatch.setattr(model_rules, "_MIX", mix)
        keys, which, first = model_rules._distinct_rows(rows)
        assert sorted(keys) == [(1, 2, 3), (4, 5, 3), (7, 8, 9)]
        assert (numpy.asarray(keys, dtype="uint64")[which] == rows).all()
        assert (rows[first] == numpy.asarray(keys, dtype="uint64")).all()


def test_attribute_ruler_checks_a_pattern_index_as_spacy_does(blank: Language) -> None:
    ruler = ArrayAttributeRuler(blank.vocab)
    ruler.add([[{"LOWER": "a"}, {"LOWER": "b"}]], {"LEMMA": "x"}, index=5)
    with pytest.raises(ValueError, match="E1001"):
        ruler(Doc(blank.vocab, words=["a", "b"]))


def test_attribute_ruler_starts_its_table_afresh_when_full(
    blank: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(model_rules, "MAX_TABLE", 3)
    spacy_ruler, array_ruler = _rulers(blank)
    for expected, got in zip(_docs(blank), _docs(blank), strict=True):
        assert (spacy_ruler(expected).to_array(ATTRS) == array_ruler(got).to_array(ATTRS)).all()
    assert len(array_ruler._table.entries) <= 9  # one doc's combinations at most


def test_new_patterns_clear_the_table(blank: Language) -> None:
    ruler = ArrayAttributeRuler(blank.vocab)
    ruler.add([[{"LOWER": "data"}]], {"POS": "NOUN"})
    assert ruler(Doc(blank.vocab, words=["data"]))[0].pos_ == "NOUN"
    ruler.add([[{"LOWER": "data"}]], {"POS": "PROPN"})
    assert ruler(Doc(blank.vocab, words=["data"]))[0].pos_ == "PROPN"


TEXTS = [
    "There is a cat. There were 3 dogs, weren't there?\n\nHe said it's gonna rain, y'all.",
    "“We ain't done,” said Ms. Lee, 54, whose firms' shares rose 3.5% on Monday.\t  C'mon!",
    "Let's go. The children were running; the mice ran faster than the geese flew.",
    "",
    "   \n",
]


@pytest.fixture(scope="module")
def two_models() -> tuple[Language, Language]:
    name = resolve_model_name("en_core_web_sm")
    return spacy.load(name), spacy.load(name)


@pytest.mark.model
def test_the_models_rules_give_the_same_output(two_models: tuple[Language, Language]) -> None:
    plain, fast = two_models
    assert use_array_rules(fast) == ["attribute_ruler", "lemmatizer"]
    assert isinstance(fast.get_pipe("lemmatizer"), ArrayLemmatizer)
    for _ in range(2):
        for expected, got in zip(plain.pipe(TEXTS), fast.pipe(TEXTS), strict=True):
            assert [t.lemma_ for t in expected] == [t.lemma_ for t in got]
            assert (expected.to_array(ATTRS) == got.to_array(ATTRS)).all()


@pytest.mark.model
def test_the_seed_article_gets_the_same_tags_and_lemmas(
    two_models: tuple[Language, Language], seed_text: str
) -> None:
    plain, fast = two_models
    use_array_rules(fast)
    assert (plain(seed_text).to_array(ATTRS) == fast(seed_text).to_array(ATTRS)).all()


@pytest.mark.model
def test_fast_rules_is_the_default_and_can_be_turned_off() -> None:
    fast = load_pipeline(overrides={"nlp.stages": ["entities"]})
    assert isinstance(fast.get_pipe("attribute_ruler"), ArrayAttributeRuler)
    assert "attribute_ruler" in fast.pipe_names and "lemmatizer" not in fast.pipe_names
    plain = load_pipeline(overrides={"nlp.stages": ["entities"], "nlp.fast_rules": False})
    assert type(plain.get_pipe("attribute_ruler")) is AttributeRuler
    assert fast.pipe_names == plain.pipe_names


@pytest.mark.model
def test_a_saved_pipeline_keeps_the_array_rules(tmp_path: Path) -> None:
    nlp = load_model("en_core_web_sm")
    use_array_rules(nlp)
    nlp.to_disk(tmp_path / "saved")
    loaded = spacy.load(tmp_path / "saved")
    assert isinstance(loaded.get_pipe("attribute_ruler"), ArrayAttributeRuler)
    assert isinstance(loaded.get_pipe("lemmatizer"), ArrayLemmatizer)
    expected = nlp(TEXTS[0]).to_array(ATTRS)
    assert (loaded(TEXTS[0]).to_array(ATTRS) == expected).all()


@pytest.mark.model
def test_values_stay_readable_across_memory_zones(two_models: tuple[Language, Language]) -> None:
    # Words first seen inside a zone have their strings freed when it ends; the tables must
    # not hand out a lemma or tag whose string is gone.
    plain, fast = two_models
    use_array_rules(fast)
    texts = ["The zorblaxes were flurbing quietly.", "Zorblaxes flurbed; the zorblax flurbs."]
    for _ in range(3):
        for text in texts:
            with fast.memory_zone():
                got = [(t.lemma_, t.tag_, str(t.morph)) for t in fast(text)]
            expected = [(t.lemma_, t.tag_, str(t.morph)) for t in plain(text)]
            assert got == expected
