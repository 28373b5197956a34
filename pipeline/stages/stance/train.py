"""Training the stance model: read labelled items, cross-validate, fit, describe.

Input lines are ``{"text", "target", "label", ...}``. Labels are mapped onto FAVOR / AGAINST /
NONE (:data:`~newspipe.pipeline.stages.PUBLIC_STANCE_LABELS`: agree/for/favor/positive,
disagree/against/negative, neutral/observing/none). Cross-validation keeps items that share a
group (by default the same text; ``group_by="claim_id"`` keeps a claim's headlines together)
in one fold, so a score is never earned on a text the model was trained on. Items from other
sources (the gold quotes of our articles, made by :mod:`newspipe.eval.stance_data`) come with
their own group — the article — and are trained on together with the files
(:func:`train_stance_items`).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedGroupKFold
from threadpoolctl import threadpool_limits

from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.stages import PUBLIC_STANCE_LABELS, STANCE_LABELS, stance_label
from newspipe.pipeline.stages.stance.embeddings import MODEL_NAME as EMBEDDING_MODEL
from newspipe.pipeline.stages.stance.embeddings import require as require_embeddings
from newspipe.pipeline.stages.stance.features import FeatureSpace, StanceExample
from newspipe.pipeline.stages.stance.lexicons import load_lexicons
from newspipe.pipeline.stages.stance.model import StanceModel, claim_verbs


@dataclass(frozen=True)
class StanceItem:
    """One labelled training example."""

    example: StanceExample
    label: str
    group: str
    source: str


@dataclass(frozen=True)
class TrainSettings:
    """Settings of :func:`train_stance`."""

    c: float = 3.0
    folds: int = 5
    seed: int = 0
    min_df: int = 2
    max_text_features: int = 60000
    group_by: str = "text"
    embeddings: bool = False


def read_stance_data(
    paths: Sequence[str | Path], group_by: str = "text"
) -> tuple[list[StanceItem], list[dict[str, Any]]]:
    """Labelled items from JSONL files, and per file its sha256, size and label counts."""
    items: list[StanceItem] = []
    files = []
    for raw in paths:
        path = Path(raw)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise PipelineError(f"{path}: file not found") from None
        except OSError as err:
            raise PipelineError(f"{path}: cannot read ({err.strerror or err})") from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise PipelineError(f"{path}: not UTF-8 text") from None
        counts: Counter[str] = Counter()
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path}:{n}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise PipelineError(f"{where}: not a JSON object ({err.msg})") from None
            if not isinstance(row, dict):
                raise PipelineError(f"{where}: not a JSON object")
            for key in ("text", "target"):
                if not isinstance(row.get(key), str) or not row[key].strip():
                    raise PipelineError(f"{where}: '{key}' must be a non-empty string")
            label = stance_label(row.get("label"))
            if label is None:
                known = ", ".join(sorted(PUBLIC_STANCE_LABELS))
                raise PipelineError(f"{where}: unknown label {row.get('label')!r} (known: {known})")
            if group_by not in row:
                raise PipelineError(f"{where}: no field '{group_by}' to group folds by")
            cue = row.get("cue") if isinstance(row.get("cue"), str) else None
            items.append(
                StanceItem(
                    StanceExample(row["text"], row["target"], cue),
                    label,
                    json.dumps(row[group_by], sort_keys=True),
                    path.name,
                )
            )
            counts[label] += 1
        if not counts:
            raise PipelineError(f"{path}: no labelled items")
        files.append(
            {
                "path": path.name,
                "sha256": hashlib.sha256(data).hexdigest(),
                "items": sum(counts.values()),
                "labels": dict(sorted(counts.items())),
            }
        )
    return items, files


def fit_stance_model(
    items: Sequence[StanceItem],
    settings: TrainSettings,
    cache: dict[StanceExample, tuple[list[str], list[float]]] | None = None,
) -> StanceModel:
    """Fit the feature space and a logistic regression on ``items``."""
    labels = sorted({item.label for item in items}, key=STANCE_LABELS.index)
    if len(labels) < 2:
        raise PipelineError("training data needs at least two different labels")
    space = FeatureSpace(
        load_lexicons(),
        min_df=settings.min_df,
        max_text_features=settings.max_text_features,
        claim_verbs=claim_verbs(),
        cache=cache,
        embeddings=EMBEDDING_MODEL if settings.embeddings else None,
    )
    examples = [item.example for item in items]
    matrix = space.fit(examples).transform(examples)
    classifier = LogisticRegression(C=settings.c, class_weight="balanced", max_iter=3000)
    # One BLAS thread: the problem is small, and spinning threads on a busy machine cost 100x.
    with threadpool_limits(limits=1):
        classifier.fit(matrix, [item.label for item in items])
    order = [list(classifier.classes_).index(label) for label in labels]
    coef = np.asarray(classifier.coef_, dtype=float)
    intercept = np.asarray(classifier.intercept_, dtype=float)
    if len(labels) == 2:  # scikit-learn keeps one row for two classes: expand to softmax form
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
        order = [0, 1]
    return StanceModel(space, tuple(labels), coef[order], intercept[order])


def scores(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """Macro-F1 over FAVOR/AGAINST/NONE, accuracy, per-label F1, counts."""
    per_label = f1_score(gold, predicted, labels=list(STANCE_LABELS), average=None, zero_division=0)
    return {
        "macro_f1": round(
            float(
                f1_score(
                    gold, predicted, labels=list(STANCE_LABELS), average="macro", zero_division=0
                )
            ),
            4,
        ),
        "accuracy": round(float(accuracy_score(gold, predicted)), 4),
        "f1": {
            label: round(float(f), 4) for label, f in zip(STANCE_LABELS, per_label, strict=True)
        },
        "items": len(gold),
    }


def cross_validate(items: Sequence[StanceItem], settings: TrainSettings) -> dict[str, Any]:
    """Out-of-fold scores: overall, per fold and per source file."""
    groups = [item.group for item in items]
    labels = [item.label for item in items]
    n_groups = len(set(groups))
    folds = min(settings.folds, n_groups)
    if folds < 2:
        raise PipelineError("cross-validation needs at least two groups of items")
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=settings.seed)
    predicted = [""] * len(items)
    per_fold = []
    cache: dict[StanceExample, tuple[list[str], list[float]]] = {}
    for train_index, test_index in splitter.split(np.zeros(len(items)), labels, groups):
        model = fit_stance_model([items[i] for i in train_index], settings, cache)
        fold_predictions = model.predict([items[i].example for i in test_index])
        for i, label in zip(test_index, fold_predictions, strict=True):
            predicted[i] = label
        per_fold.append(scores([labels[i] for i in test_index], fold_predictions)["macro_f1"])
    by_source = {}
    for source in dict.fromkeys(item.source for item in items):
        index = [i for i, item in enumerate(items) if item.source == source]
        by_source[source] = scores([labels[i] for i in index], [predicted[i] for i in index])
    mean = sum(per_fold) / len(per_fold)
    spread = math.sqrt(sum((f - mean) ** 2 for f in per_fold) / len(per_fold))
    by_article = any(item.group.startswith("article:") for item in items)
    by_field = any(not item.group.startswith("article:") for item in items)
    grouped_by = " and ".join(
        [*(["article (gold)"] if by_article else []), *([settings.group_by] if by_field else [])]
    )
    return {
        "folds": folds,
        "grouped_by": grouped_by,
        **scores(labels, predicted),
        "fold_macro_f1": per_fold,
        "fold_macro_f1_mean": round(mean, 4),
        "fold_macro_f1_sd": round(spread, 4),
        "by_source": by_source,
    }


def train_stance(
    paths: Sequence[str | Path], settings: TrainSettings | None = None
) -> tuple[StanceModel, dict[str, Any]]:
    """Cross-validate on the JSONL files, fit on all of it, and return the model and its
    report."""
    settings = settings or TrainSettings()
    items, files = read_stance_data(paths, settings.group_by)
    return train_stance_items(items, files, settings)


def train_stance_items(
    items: Sequence[StanceItem],
    files: Sequence[dict[str, Any]],
    settings: TrainSettings | None = None,
) -> tuple[StanceModel, dict[str, Any]]:
    """Cross-validate on ``items`` (folds keep each item's group together), fit on all of
    them, and return the model and its report; ``files`` describe where the items came from
    (name, sha256, counts), for the model's record of its training data."""
    settings = settings or TrainSettings()
    if settings.c <= 0 or settings.min_df < 1 or settings.max_text_features < 1:
        raise PipelineError("c must be > 0, min_df and max_text_features >= 1")
    if settings.embeddings:
        require_embeddings()
    if not items:
        raise PipelineError("no labelled items to train on")
    evaluation = cross_validate(items, settings) if settings.folds >= 2 else None
    model = fit_stance_model(items, settings)
    model.space.cache = {}
    combined = hashlib.sha256("".join(f["sha256"] for f in files).encode()).hexdigest()
    report = {
        "training": {
            "data": files,
            "data_sha256": combined,
            "items": len(items),
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "scikit_learn": sklearn.__version__,
            "classifier": "LogisticRegression(class_weight=balanced)",
            "features": model.space.n_features,
        },
        "settings": asdict(settings),
        "cross_validation": evaluation,
    }
    model.info = report
    return model, report
