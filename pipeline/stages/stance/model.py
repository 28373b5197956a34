"""The trainable stance backend (``newspipe_stance_model_v1``) and its model files.

A model is a directory that holds nothing executable:

- ``model.json`` — format name and version, labels, the feature settings and vocabularies
  (word → column), the training data's sha256, the training settings and the
  cross-validated scores, and for every array its file name, shape and sha256;
- ``coef.npy`` (labels × features), ``intercept.npy``, ``text_idf.npy``, ``target_idf.npy``,
  ``dense_mean.npy``, ``dense_scale.npy`` — float arrays, read with ``allow_pickle=False``.

:func:`load_stance_model` checks all of it (format, types, vocabulary indices, shapes, finite
values, hashes) and fails with one :class:`PipelineError` line naming the directory and the
problem. Prediction is a linear model (multinomial logistic regression trained with
scikit-learn): softmax of ``X @ coef.T + intercept``.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from spacy.language import Language
from spacy.tokens import Doc

from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.extensions import QUOTES_KEY, register_extensions
from newspipe.pipeline.files import atomic_writer, read_bounded, write_text_atomic
from newspipe.pipeline.stages import STANCE_LABELS, STANCE_MODEL, stage
from newspipe.pipeline.stages.base import BatchComponent, DataFiles, Scorer
from newspipe.pipeline.stages.stance.embeddings import MODEL_NAME as EMBEDDING_MODEL
from newspipe.pipeline.stages.stance.embeddings import require as require_embeddings
from newspipe.pipeline.stages.stance.features import (
    DENSE_NAMES,
    EMBEDDING_DIMENSIONS,
    FeatureSpace,
    StanceExample,
    space_from_state,
)
from newspipe.pipeline.stages.stance.lexicons import (
    RESOURCES,
    load_lexicons,
    read_word_list,
)
from newspipe.pipeline.stages.stance.rules import (
    StanceDecision,
    Targets,
    document_targets,
    write_stances,
)

STAGE = stage("stance")
FORMAT = "newspipe-stance-model"
FORMAT_VERSION = 1
MODEL_FILE = "model.json"
ARRAYS = ("coef", "intercept", "text_idf", "target_idf", "dense_mean", "dense_scale")
MAX_ARRAY_BYTES = 2_000_000_000
DEFAULT_MODEL = RESOURCES / "stance_model"
"""The packaged model: trained on our news gold set (Wikinews, CC BY 2.5; our annotations), the
only stance data we may redistribute (see its ``model.json`` for data, settings, scores)."""


def claim_verbs() -> frozenset[str]:
    """The auxiliaries that make a target a claim (shared with the rule backend)."""
    return read_word_list(RESOURCES / "stance_claim_verbs.txt", "list")


@dataclass
class StanceModel:
    """A fitted feature space and a linear classifier over it."""

    space: FeatureSpace
    labels: tuple[str, ...]
    coef: np.ndarray
    intercept: np.ndarray
    info: dict[str, Any] = field(default_factory=dict)
    _names: list[str] | None = None

    def probabilities(self, matrix: sp.csr_matrix) -> np.ndarray:
        """Softmax probabilities, one row per example, one column per label."""
        logits = np.asarray(matrix @ self.coef.T) + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        probs: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
        return probs

    def predict(self, examples: Sequence[StanceExample]) -> list[str]:
        """The label of each example."""
        if not examples:
            return []
        probs = self.probabilities(self.space.transform(examples))
        return [self.labels[i] for i in probs.argmax(axis=1)]

    def explain(self, row: sp.csr_matrix, label: int, top: int = 4) -> list[str]:
        """The features that pushed one row most toward ``label``."""
        if self._names is None:
            self._names = self.space.feature_names()
        row = row.tocsr()
        contributions = row.data * self.coef[label, row.indices]
        order = np.argsort(-contributions)[:top]
        return [
            f"{self._names[row.indices[i]]} {contributions[i]:+.2f}"
            for i in order
            if contributions[i] > 0
        ]


# --------------------------------------------------------------------------- saving


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def save_stance_model(model: StanceModel, directory: str | Path) -> Path:
    """Write ``model`` into ``directory`` (created if missing); ``model.json`` is written last,
    each file atomically."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise PipelineError(f"{directory}: exists and is not a directory")
    directory.mkdir(parents=True, exist_ok=True)
    meta, arrays = model.space.state()
    arrays = {**arrays, "coef": model.coef, "intercept": model.intercept}
    entries = {}
    for name in ARRAYS:
        buffer = io.BytesIO()
        np.save(buffer, np.ascontiguousarray(arrays[name], dtype=np.float64), allow_pickle=False)
        data = buffer.getvalue()
        with atomic_writer(directory / f"{name}.npy", "wb") as handle:
            handle.write(data)
        entries[name] = {
            "file": f"{name}.npy",
            "shape": list(np.shape(arrays[name])),
            "sha256": _sha256(data),
        }
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "labels": list(model.labels),
        "features": meta,
        "arrays": entries,
        **model.info,
    }
    write_text_atomic(directory / MODEL_FILE, json.dumps(document, ensure_ascii=False) + "\n")
    return directory


# --------------------------------------------------------------------------- loading


def _fail(directory: Path, problem: str) -> PipelineError:
    return PipelineError(f"{directory}: not a valid newspipe stance model ({problem})")


def _vocabulary(directory: Path, meta: dict[str, Any], key: str) -> dict[str, int]:
    vocabulary = meta.get(key)
    if not isinstance(vocabulary, dict):
        raise _fail(directory, f"features.{key} is not an object")
    size = len(vocabulary)
    indices = set()
    for term, index in vocabulary.items():
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < size:
            raise _fail(directory, f"features.{key}[{term!r}] is not a column index")
        indices.add(index)
    if len(indices) != size:
        raise _fail(directory, f"features.{key} maps two words to one column")
    return vocabulary


def _array(directory: Path, entries: dict[str, Any], name: str) -> np.ndarray:
    entry = entries.get(name)
    if not isinstance(entry, dict) or entry.get("file") != f"{name}.npy":
        raise _fail(directory, f"arrays.{name} is missing")
    path = directory / f"{name}.npy"
    try:  # a regular file, read up to the limit (st_size is 0 for a device)
        data = read_bounded(path, MAX_ARRAY_BYTES)
    except OSError as err:
        raise _fail(directory, f"cannot read {path.name}: {err.strerror or err}") from None
    if _sha256(data) != entry.get("sha256"):
        raise _fail(directory, f"{path.name} does not match its sha256 in {MODEL_FILE}")
    try:
        array = np.load(io.BytesIO(data), allow_pickle=False)
    except (ValueError, OSError) as err:
        raise _fail(directory, f"{path.name} is not a numeric .npy array ({err})") from None
    if not isinstance(array, np.ndarray) or array.dtype.kind != "f":
        raise _fail(directory, f"{path.name} is not a float array")
    if list(array.shape) != entry.get("shape"):
        raise _fail(
            directory, f"{path.name} has shape {list(array.shape)}, not {entry.get('shape')}"
        )
    if not np.all(np.isfinite(array)):
        raise _fail(directory, f"{path.name} holds values that are not finite")
    return array


def load_stance_model(directory: str | Path) -> StanceModel:
    """Read and check a model directory written by :func:`save_stance_model`."""
    directory = Path(directory)
    path = directory / MODEL_FILE
    if not directory.is_dir():
        raise PipelineError(f"{directory}: stance model directory not found")
    try:
        document = json.loads(read_bounded(path, MAX_ARRAY_BYTES).decode("utf-8"))
    except FileNotFoundError:
        raise _fail(directory, f"no {MODEL_FILE}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise _fail(directory, f"{MODEL_FILE} is not readable JSON: {err}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _fail(directory, f"{MODEL_FILE} does not say format '{FORMAT}'")
    if document.get("format_version") != FORMAT_VERSION:
        raise _fail(
            directory,
            f"format_version {document.get('format_version')!r}; this newspipe reads "
            f"{FORMAT_VERSION}",
        )
    labels = document.get("labels")
    if (
        not isinstance(labels, list)
        or len(labels) < 2
        or len(set(labels)) != len(labels)
        or not set(labels) <= set(STANCE_LABELS)
    ):
        raise _fail(directory, f"labels must be distinct values of {', '.join(STANCE_LABELS)}")
    meta = document.get("features")
    entries = document.get("arrays")
    if not isinstance(meta, dict) or not isinstance(entries, dict):
        raise _fail(directory, "features or arrays missing")
    for key in ("min_df", "max_text_features"):
        if not isinstance(meta.get(key), int):
            raise _fail(directory, f"features.{key} is not an integer")
    if meta.get("dense_names") != list(DENSE_NAMES):
        raise _fail(directory, "its lexicon features differ from this newspipe's")
    if meta.get("embeddings") not in (None, EMBEDDING_MODEL):
        raise _fail(directory, f"unknown sentence embeddings {meta.get('embeddings')!r}")
    sizes = {}
    for key in ("text_vocabulary", "target_vocabulary", "pair_vocabulary"):
        sizes[key] = len(_vocabulary(directory, meta, key))
    arrays = {name: _array(directory, entries, name) for name in ARRAYS}
    n_features = sum(sizes.values()) + len(DENSE_NAMES)
    if meta.get("embeddings"):
        n_features += 2 * EMBEDDING_DIMENSIONS
        try:
            require_embeddings()
        except PipelineError as err:
            raise PipelineError(f"{directory}: {err}") from None
    expected = {
        "coef": (len(labels), n_features),
        "intercept": (len(labels),),
        "text_idf": (sizes["text_vocabulary"],),
        "target_idf": (sizes["target_vocabulary"],),
        "dense_mean": (len(DENSE_NAMES),),
        "dense_scale": (len(DENSE_NAMES),),
    }
    for name, shape in expected.items():
        if arrays[name].shape != shape:
            raise _fail(directory, f"{name}.npy has shape {arrays[name].shape}, expected {shape}")
    if np.any(arrays["dense_scale"] <= 0):
        raise _fail(directory, "dense_scale.npy has values <= 0")
    space = space_from_state(meta, arrays, load_lexicons(), claim_verbs())
    info = {
        k: v for k, v in document.items() if k not in ("format", "labels", "features", "arrays")
    }
    return StanceModel(space, tuple(labels), arrays["coef"], arrays["intercept"], info)


# --------------------------------------------------------------------------- component


class ModelStance(BatchComponent, DataFiles):
    """Tags every quote with the trained model; the input is (quote text, target, cue text).

    The model directory's files are saved with the pipeline (under ``model/``)."""

    data_attributes = frozenset({"classifier"})
    classifier: StanceModel

    def __init__(self, name: str, model: str, target: Targets) -> None:
        self.name = name
        self.target = target
        self.model_path = model
        self.model_name = Path(model).name

    def data_sources(self) -> dict[str, Path]:
        directory = Path(self.model_path)
        files = [MODEL_FILE, *(f"{name}.npy" for name in ARRAYS)]
        return {f"model/{name}": directory / name for name in files}

    def read_data(self, files: Mapping[str, Path]) -> None:
        self.classifier = load_stance_model(files[f"model/{MODEL_FILE}"].parent)

    def predict(self, docs: list[Doc]) -> list[list[dict[str, StanceDecision]]]:
        """Per document, per quote: the decision toward each target; the whole batch is
        vectorised at once."""
        self.ensure_data()
        examples = []
        where = []
        results: list[list[dict[str, StanceDecision]]] = []
        for n, doc in enumerate(docs):
            targets = document_targets(doc, self.target)
            quotes = doc.spans.get(QUOTES_KEY, [])
            results.append([{} for _ in quotes])
            for k, quote in enumerate(quotes):
                cue = quote._.cue.text if quote._.cue is not None else None
                for target in targets:
                    examples.append(StanceExample(quote.text, target, cue))
                    where.append((n, k, target))
        if examples:
            matrix = self.classifier.space.transform(examples)
            probs = self.classifier.probabilities(matrix)
            for row, (n, k, target) in enumerate(where):
                best = int(probs[row].argmax())
                shown = " ".join(
                    f"p({label})={p:.2f}"
                    for label, p in zip(self.classifier.labels, probs[row], strict=True)
                )
                top = self.classifier.explain(matrix[row], best)
                evidence = [f"model {self.model_name}: {shown}"]
                if top:
                    evidence.append(f"strongest features: {', '.join(top)}")
                label = self.classifier.labels[best]
                results[n][k][target] = StanceDecision(label, [*evidence, f"→ {label}"])
        return results

    def set_annotations(
        self, docs: list[Doc], predictions: list[list[dict[str, StanceDecision]]]
    ) -> list[Doc]:
        write_stances(docs, predictions, self.target)
        return docs


@Language.factory(
    STANCE_MODEL,
    requires=["doc.spans"],
    assigns=["doc.spans"],
    default_config={"model": None, "target": None, "scorer": STAGE.scorer_config},
    default_score_weights=STAGE.default_score_weights,
)
def make_model_stance(
    nlp: Language,
    name: str,
    model: str | None,
    target: str | list[str] | None,
    scorer: Scorer | None,
) -> ModelStance:
    """Stance from a model trained by ``newspipe train stance`` (``model`` = its directory;
    None: the packaged model, trained on the news gold set)."""
    register_extensions()
    stance = ModelStance(name, model=model or str(DEFAULT_MODEL), target=target)
    stance.scorer = scorer
    return stance
