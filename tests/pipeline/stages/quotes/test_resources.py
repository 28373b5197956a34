"""The quote stage's data files: readers, bad files, the linear model, the convention setting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.stages.quotes import (
    DEFAULT_LEXICON,
    DEFAULT_MODEL,
    DEFAULT_SPEAKER_NOUNS,
    convention_settings,
)
from newspipe.pipeline.stages.quotes.judge import LinearModel, read_model
from newspipe.pipeline.stages.quotes.lexicons import read_cue_lexicon, read_speaker_nouns


def test_cue_lexicon_precision_needs_enough_occurrences(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.tsv"
    path.write_text("# header\nsay\tccomp\t8\t10\nmention\tdobj\t1\t2\n", encoding="utf-8")
    lexicon = read_cue_lexicon(path)
    assert lexicon.precision("say", "ccomp", min_count=3) == 0.8
    assert lexicon.precision("mention", "dobj", min_count=3) is None
    assert lexicon.precision("walk", "ccomp", min_count=3) is None


def test_bad_cue_lexicon_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.tsv"
    path.write_text("say\tccomp\teight\n", encoding="utf-8")
    with pytest.raises(PipelineError, match="not a cue lexicon"):
        read_cue_lexicon(path)


def test_packaged_resources_read() -> None:
    lexicon = read_cue_lexicon(DEFAULT_LEXICON)
    say = lexicon.precision("say", "ccomp", min_count=1)
    assert say is not None and say > 0.5
    nouns = read_speaker_nouns(DEFAULT_SPEAKER_NOUNS)
    assert "minister" in nouns.person and "agency" in nouns.group
    model = read_model(DEFAULT_MODEL)
    assert 0.0 < model.threshold < 1.0
    assert len(model.weights) > 100


def test_linear_model_scores_by_its_weights() -> None:
    model = LinearModel(
        weights={"lemma=say": 2.0, "lemma=walk": -2.0}, intercept=0.0, threshold=0.5
    )
    assert model.score(["lemma=say"]) > 0.5 > model.score(["lemma=walk"])
    assert model.score([]) == 0.5
    assert model.score(["unknown"]) == 0.5


def test_model_file_must_be_plain_json(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_bytes(b"\x80\x04\x95 pickled bytes")
    with pytest.raises(PipelineError, match="not a quote model"):
        read_model(path)
    path.write_text(json.dumps({"weights": {}, "intercept": 0.0}), encoding="utf-8")
    with pytest.raises(PipelineError, match="not a quote model"):
        read_model(path)


def test_conventions() -> None:
    assert convention_settings("newspipe")["include_complementizer"] is False
    assert convention_settings("polnear")["join_interrupted"] is True
    with pytest.raises(PipelineError, match="unknown quote convention 'parc'"):
        convention_settings("parc")
