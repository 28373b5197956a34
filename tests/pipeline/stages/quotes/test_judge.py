"""The judge's pieces on hand-built Docs: where a line stands, features of quotation marks,
the linear model with its calibration, and the word lists it reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.stages.quotes import (
    DEFAULT_CLASSES,
    DEFAULT_JUDGE,
    DEFAULT_MARKS,
    DEFAULT_QUOTE_NOUNS,
    DEFAULT_SPEAKER_NOUNS,
)
from newspipe.pipeline.stages.quotes.judge import (
    POSITIVE_CLASSES,
    DocContext,
    LinearModel,
    Vocabulary,
    marks_features,
    read_model,
)
from newspipe.pipeline.stages.quotes.lexicons import (
    read_cue_classes,
    read_quote_marks,
    read_quote_nouns,
    read_speaker_nouns,
)
from newspipe.pipeline.stages.quotes.marks import find_marked

MARKS = read_quote_marks(DEFAULT_MARKS)


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    nouns = read_speaker_nouns(DEFAULT_SPEAKER_NOUNS)
    kinds = read_quote_nouns(DEFAULT_QUOTE_NOUNS)
    classes = read_cue_classes(DEFAULT_CLASSES)
    return Vocabulary(
        classes, nouns.person, nouns.group, kinds.document, kinds.evidence, kinds.title
    )


def context(doc: Doc, vocab: Vocabulary) -> DocContext:
    return DocContext.build(doc, find_marked(doc, MARKS), vocab)


def test_line_kinds(blank: Language, vocab: Vocabulary) -> None:
    doc = blank("Council approves tunnel\nThe council voted on Monday.\nSources\n")
    ctx = context(doc, vocab)
    assert ctx.headline
    assert ctx.line_kind(0) == "headline"
    assert ctx.line_kind(4) == "text"
    assert ctx.line_kind(len(doc) - 2) == "short"


def test_a_first_line_with_final_punctuation_is_no_headline(
    blank: Language, vocab: Vocabulary
) -> None:
    ctx = context(blank("The council voted on Monday.\nIt met again."), vocab)
    assert not ctx.headline and ctx.line_kind(0) == "text"


def test_marks_features_see_titles_and_naming_words(blank: Language, vocab: Vocabulary) -> None:
    doc = blank("The print called “Cowboys and Indians” hangs in the hall.")
    for token in doc:
        token.is_sent_start = token.i == 0
    ctx = context(doc, vocab)
    (item,) = find_marked(doc, MARKS)
    feats = marks_features(ctx, item, None, "marks:none", False)
    assert "qtitle=True" in feats and "naming-before" in feats


def test_marks_features_see_a_quoted_sentence_after_a_quote(
    blank: Language, vocab: Vocabulary
) -> None:
    doc = blank("“We won,” Berg said. “It was hard.”")
    for token in doc:
        if token.text == "said":
            token.pos_, token.lemma_ = "VERB", "say"
        token.is_sent_start = token.i == 0 or doc[token.i - 1].text == "."
    marked = find_marked(doc, MARKS)
    ctx = DocContext.build(doc, marked, vocab)
    feats = marks_features(ctx, marked[1], None, "marks:none", False)
    assert "continuation" in feats


def test_linear_model_calibration_is_monotone() -> None:
    model = LinearModel({"lemma=say": 2.0}, 0.0, 0.5, calibration=(0.5, -1.0))
    raw = LinearModel({"lemma=say": 2.0}, 0.0, 0.5)
    assert model.score(["lemma=say"]) < raw.score(["lemma=say"])
    assert model.score([]) < model.score(["lemma=say"])


def test_packaged_judge_reads(tmp_path: Path) -> None:
    model = read_model(DEFAULT_JUDGE)
    assert 0.0 < model.threshold < 1.0
    assert model.calibration[0] > 0
    assert len(model.weights) > 100


def test_judge_file_must_be_plain_json(tmp_path: Path) -> None:
    path = tmp_path / "judge.json"
    path.write_text(json.dumps({"weights": {"a": "x"}, "intercept": 0, "threshold": 0.5}))
    with pytest.raises(PipelineError, match="not a quote model"):
        read_model(path)


def test_cue_classes(tmp_path: Path, vocab: Vocabulary) -> None:
    assert vocab.cue_class("say") in POSITIVE_CLASSES
    assert vocab.cue_class("show") == "evidence"
    assert vocab.cue_class("plan") == "intention"
    assert vocab.cue_class("zzz") == "unknown"
    bad = tmp_path / "classes.tsv"
    bad.write_text("say speech\n", encoding="utf-8")
    with pytest.raises(PipelineError, match="not a cue-class table"):
        read_cue_classes(bad)
