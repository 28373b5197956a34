"""The data-file handling every stage shares (``newspipe.pipeline.stages.base``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

import newspipe.pipeline  # noqa: F401  (registers the factories)
from newspipe.pipeline.stages.base import SPACY_PROTOCOL_NAMES, DataFiles


def _data_file_classes() -> list[type[DataFiles]]:
    found, todo = [], list(DataFiles.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_the_protocol_names_are_those_spacy_checks_when_a_component_is_added() -> None:
    assert {"model", "listeners", "listener_map", "initialize"} <= SPACY_PROTOCOL_NAMES


def test_no_stage_loads_its_data_under_a_name_spacy_checks() -> None:
    classes = _data_file_classes()
    assert len(classes) >= 4  # sentences, entities, quotes, stance (rules and model)
    for cls in classes:
        assert not cls.data_attributes & SPACY_PROTOCOL_NAMES, cls.__name__


def test_a_data_attribute_with_a_protocol_name_is_refused_at_class_definition() -> None:
    with pytest.raises(TypeError, match="model"):

        class Clash(DataFiles):
            data_attributes = frozenset({"model"})


@pytest.mark.parametrize(
    ("factory", "config"),
    [
        ("newspipe_stance_model_v1", {"model": "none"}),
        ("newspipe_quotes_rules_v1", {"cues": "none.txt"}),
        ("newspipe_quotes_hybrid_v1", {"model": "none.json"}),
    ],
)
def test_adding_a_component_reads_no_data_file(
    blank: Language, tmp_path: Path, factory: str, config: dict[str, str]
) -> None:
    # spaCy's add_pipe asks hasattr() of every protocol name, in the order a set of strings
    # happens to iterate (PYTHONHASHSEED): ask them all, so every order is covered
    missing = {key: str(tmp_path / value) for key, value in config.items()}
    component = blank.add_pipe(factory, config=missing)
    for name in sorted(SPACY_PROTOCOL_NAMES):
        hasattr(component, name)
    assert "_data_files" not in component.__dict__
