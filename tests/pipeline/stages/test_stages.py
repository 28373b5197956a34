"""The stage table: every backend is registered and declared, and components map to stages."""

from __future__ import annotations

import tomllib
from pathlib import Path

import spacy
from spacy.language import Language

import newspipe.pipeline  # noqa: F401  (registers the factories)
from newspipe.pipeline.model_rules import ATTRIBUTE_RULER, LEMMATIZER
from newspipe.pipeline.parse import CANDIDATE_PARSER
from newspipe.pipeline.stages import (
    SHARED,
    STAGE_NAMES,
    STAGES,
    alternatives,
    backend,
    stage,
    stage_of,
    stage_of_factory,
    stance_label,
)

ROOT = Path(__file__).resolve().parents[3]


def test_every_backend_is_a_registered_factory_declared_as_an_entry_point() -> None:
    table = {f for s in STAGES for f in s.factories}
    assert table <= set(spacy.registry.factories.get_all())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    # and the factories outside the stages: the parser over candidate sentences, the array
    # versions of the model's attribute ruler and lemmatizer
    declared = set(project["project"]["entry-points"]["spacy_factories"])
    assert declared == table | {CANDIDATE_PARSER, ATTRIBUTE_RULER, LEMMATIZER}


def test_stages_in_order_and_defaults_as_in_the_config() -> None:
    assert STAGE_NAMES == ("sentences", "entities", "quotes", "stance")
    config = (ROOT / "pipeline" / "config" / "default.cfg").read_text(encoding="utf-8")
    for s in STAGES:
        assert f'factory = "{s.default.factory}"' in config


def test_factories_map_to_their_stage() -> None:
    assert stage_of_factory("newspipe_quotes_rules_v1") == "quotes"
    assert stage_of_factory("parser") is None
    assert backend("newspipe_sentences_pysbd_v1").short == "pysbd_v1"  # type: ignore[union-attr]
    assert alternatives("newspipe_stance_rules_v1") == ("newspipe_stance_model_v1",)
    assert alternatives("ner") == ()
    assert stage("entities").model_components == ("ner",)


def test_components_of_a_pipeline_map_to_stages(blank: Language) -> None:
    blank.add_pipe("newspipe_sentences_rules_v1", name="boundaries")
    blank.add_pipe("sentencizer")
    assert stage_of(blank, "boundaries") == "sentences"  # by factory, not by name
    assert stage_of(blank, "sentencizer") == SHARED
    assert stage_of(blank, "ner") == "entities"  # the model's ner belongs to the entity stage
    assert stage_of(blank, "tokenizer") == SHARED


def test_public_stance_labels() -> None:
    labels = ("agree", "For", "observing", "negative", "FAVOR", "maybe", 3)
    assert [stance_label(x) for x in labels] == [
        "FAVOR",
        "FAVOR",
        "NONE",
        "AGAINST",
        "FAVOR",
        None,
        None,
    ]
