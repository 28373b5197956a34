"""The stage scorers as spaCy scorers: ``Language.evaluate`` and ``spacy evaluate`` report the
scores ``newspipe score`` reports, on the DocBin that ``newspipe gold export`` writes."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language
from spacy.training import Example
from spacy.util import registry
from typer.testing import CliRunner

from newspipe.cli import app
from newspipe.eval.formats.docbin import encode_span_attributes
from newspipe.eval.gold import load_gold
from newspipe.eval.scorers.entities import score_entities
from newspipe.eval.scorers.matching import Pair
from newspipe.eval.scorers.quotes import score_quotes
from newspipe.eval.scorers.sentences import score_sentences
from newspipe.eval.scorers.stance import score_stance
from newspipe.pipeline.build import load_pipeline
from newspipe.pipeline.records import Record, record_to_doc
from newspipe.pipeline.stages import STAGES

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "gold"
GOLD = FIXTURES / "harbour_strike.gold.yaml"


def _prediction(gold: Record) -> Record:
    """A poorer prediction: one sentence boundary, one entity and the stances lost."""
    return {
        **gold,
        "sentences": [{"start": 0, "end": gold["sentences"][1]["end"]}, *gold["sentences"][2:]],
        "entities": gold["entities"][1:],
        "quotes": [{**q, "stance": "NONE"} for q in gold["quotes"]],
    }


def test_each_scorer_is_the_stage_function_on_the_example_records(blank: Language) -> None:
    gold = load_gold(GOLD)
    predicted = _prediction(gold)
    reference = encode_span_attributes(record_to_doc(gold, blank))  # as read from a DocBin
    examples = [Example(record_to_doc(predicted, blank), reference)]
    pairs = [Pair(predicted, gold)]
    expected = {
        "sentences": score_sentences(pairs, bootstrap=1000),
        "entities": score_entities(pairs, bootstrap=1000),
        "quotes": score_quotes(pairs, bootstrap=1000),
        "stance": score_stance(pairs, bootstrap=1000),
    }
    for stage in STAGES:
        scores = registry.scorers.get(stage.scorer)()(examples)
        wanted = {k: v for k, v in expected[stage.name].items() if not k.endswith("_errors")}
        assert {k: scores[k] for k in wanted} == wanted
        assert set(stage.default_score_weights) <= set(scores)
    assert scores["cats_score"] == expected["stance"]["stance_macro_f"]


def test_language_evaluate_reports_the_stages(blank: Language) -> None:
    gold = load_gold(GOLD)
    blank.add_pipe("newspipe_sentences_rules_v1")
    blank.add_pipe("newspipe_entities_rules_v1")
    reference = encode_span_attributes(record_to_doc(gold, blank))
    scores = blank.evaluate([Example(blank.make_doc(gold["text"]), reference)])
    assert scores["sents_f"] is not None and scores["sents_f"] > 0.5
    assert "ents_strict_f" in scores  # newspipe's entity scorer, not spaCy's
    assert "quotes_f" not in scores  # no quote stage, no quote scores


def _close(a: Any, b: Any) -> bool:
    """Equal, floats to 9 decimals (spaCy writes its JSON with 10)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, abs_tol=1e-9)
    return bool(a == b)


@pytest.mark.model
@pytest.mark.slow
def test_spacy_evaluate_agrees_with_newspipe_score(tmp_path: Path) -> None:
    gold = load_gold(GOLD)
    docbin = tmp_path / "gold.spacy"
    runner = CliRunner()
    exported = runner.invoke(
        app, ["gold", "export", str(FIXTURES), "--format", "docbin", "-o", str(docbin)]
    )
    assert exported.exit_code == 0, exported.output
    ours = tmp_path / "newspipe.json"
    scored = runner.invoke(
        app, ["score", str(FIXTURES), "--mode", "end-to-end", "--output", str(ours)]
    )
    assert scored.exit_code == 0, scored.output
    # spacy evaluate makes its documents from the text alone: the stance target comes from
    # the saved pipeline's config (this gold set has one target).
    saved = tmp_path / "pipeline"
    load_pipeline(overrides={"components.stance.target": gold["target"]}).to_disk(saved)
    theirs = tmp_path / "spacy.json"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run(
        [sys.executable, "-m", "spacy", "evaluate", str(saved), str(docbin), "-o", str(theirs)],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    newspipe_scores = json.loads(ours.read_text())["modes"]["end-to-end"]["metrics"]
    spacy_scores = json.loads(theirs.read_text())
    for key in ("sents_f", "ents_f", "ents_per_type", "quotes_f", "speaker_acc", "stance_acc"):
        assert key in spacy_scores
    assert set(newspipe_scores) <= set(spacy_scores)
    differ = [k for k in newspipe_scores if not _close(newspipe_scores[k], spacy_scores[k])]
    assert differ == []
