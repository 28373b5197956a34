"""Learn the quote stage's cue lexicon and candidate classifier from PolNeAR-style data.

:func:`train_quotes` is what ``newspipe train quotes`` runs. The packaged files were made with
(from the project root)::

    newspipe train quotes ../shared/data/polnear/polnear_train.jsonl \
        --threshold 0.26 --cache /tmp/polnear_train.spacy

(about 4 minutes on 2 cores, most of it parsing, which the cache keeps for the next run). The
threshold 0.26 was chosen by end-to-end F1 on PolNeAR train (0.676 at the cross-validated
0.34, 0.683 at 0.22–0.26); dev was not used.

The input is JSONL with ``text`` and ``quotes`` (each with ``content: [start, end]``,
character offsets), as in ``../shared/data/polnear``. Every document is parsed with the
default pipeline's model stages, every candidate of
:mod:`newspipe.pipeline.stages.quotes.candidates` is generated under PolNeAR's content
convention, and a candidate counts as an attribution when its content overlaps a gold content
over at least half of each (the scoring criterion).

Writes (by default into ``pipeline/resources``):

- ``cue_lexicon.tsv``: per (cue lemma, relation) the number of candidates that were
  attributions and the number seen (rows seen at least ``min_count`` times with at least
  one attribution, or whose lemma is in ``cue_verbs.txt``) — the rules backend's lexicon;
- ``quote_model.json``: a logistic regression over :func:`candidate_features`, with the
  decision threshold that maximises F1 over 5 document folds — the hybrid backend's model.

Both are plain text; nothing is pickled.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from spacy.tokens import Doc, DocBin

from newspipe.pipeline.build import load_pipeline
from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.files import write_text_atomic
from newspipe.pipeline.stages.quotes import (
    DEFAULT_CUES,
    DEFAULT_MARKS,
    DEFAULT_PHRASES,
    DEFAULT_SPEAKER_NOUNS,
    QuoteAttributor,
)
from newspipe.pipeline.stages.quotes.lexicons import RESOURCES, read_word_list
from newspipe.pipeline.stages.quotes.model import candidate_features


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The documents of a JSONL file with ``text`` and ``quotes``."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise PipelineError(f"{path}: cannot read training data ({err})") from None


def parse(rows: list[dict[str, Any]], cache: Path | None) -> list[Doc]:
    """Parse the texts with the default pipeline's sentence and entity stages (cached)."""
    nlp = load_pipeline(overrides={"nlp.stages": ["sentences", "entities"]})
    if cache is not None and cache.is_file():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if len(docs) == len(rows):
            return docs
    docs = list(nlp.pipe((row["text"] for row in rows), batch_size=16))
    if cache is not None:
        bin_ = DocBin(store_user_data=True)
        for doc in docs:
            bin_.add(doc)
        bin_.to_disk(cache)
    return docs


def _matches(
    content: tuple[int, int], cue: tuple[int, int], golds: Sequence[dict[str, Any]]
) -> bool:
    """Whether a candidate is a gold attribution: its content overlaps the gold content over
    at least half of each, and its cue word lies in the gold cue."""
    for gold in golds:
        start, end = gold["content"]
        overlap = min(content[1], end) - max(content[0], start)
        if overlap > 0 and 2 * overlap >= content[1] - content[0] and 2 * overlap >= end - start:
            gold_cue = gold.get("cue")
            if gold_cue is None or (cue[0] < gold_cue[1] and gold_cue[0] < cue[1]):
                return True
    return False


Counts = Counter[tuple[str, str]]


def collect(
    docs: list[Doc], rows: list[dict[str, Any]]
) -> tuple[list[list[str]], list[int], list[int], Counts, Counts]:
    """Features, labels and document index of every candidate; lexicon counts."""
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.tsv"
        empty.write_text("", encoding="utf-8")
        attributor = QuoteAttributor(
            "collect",
            cues=DEFAULT_CUES,
            marks=DEFAULT_MARKS,
            phrases=DEFAULT_PHRASES,
            speaker_nouns=DEFAULT_SPEAKER_NOUNS,
            lexicon=empty,
            include_complementizer=True,
            include_marks=True,
            join_interrupted=True,
            join_paragraphs=True,
        )
        attributor.initialize()  # reads the empty lexicon while it exists
    features: list[list[str]] = []
    labels: list[int] = []
    groups: list[int] = []
    hits: Counter[tuple[str, str]] = Counter()
    seen: Counter[tuple[str, str]] = Counter()
    for n, (doc, row) in enumerate(zip(docs, rows, strict=True)):
        marked = attributor.marked_spans(doc)
        for cand in attributor.scored_candidates(doc, marked):
            span = doc[cand.content[0] : cand.content[1]]
            cue = doc[cand.cue_token]
            cue_chars = (cue.idx, cue.idx + len(cue.text))
            label = int(_matches((span.start_char, span.end_char), cue_chars, row["quotes"]))
            lemma = doc[cand.cue_token].lemma_.lower()
            listed = lemma in attributor.cue_lemmas
            features.append(candidate_features(doc, cand, listed, cand.marked))
            labels.append(label)
            groups.append(n)
            seen[(lemma, cand.relation)] += 1
            hits[(lemma, cand.relation)] += label
    return features, labels, groups, hits, seen


def best_threshold(labels: np.ndarray, probs: np.ndarray) -> tuple[float, float]:
    """The threshold with the best candidate-level F1, and that F1."""
    best = (0.5, 0.0)
    for threshold in np.arange(0.2, 0.8, 0.02):
        pred = probs >= threshold
        tp = float(np.sum(pred & (labels == 1)))
        precision = tp / max(1.0, float(pred.sum()))
        recall = tp / max(1.0, float(labels.sum()))
        f1 = 2 * precision * recall / max(1e-9, precision + recall)
        if f1 > best[1]:
            best = (float(threshold), f1)
    return best


def train_quotes(
    data: str | Path,
    out: str | Path = RESOURCES,
    *,
    cache: str | Path | None = None,
    min_count: int = 3,
    c: float = 0.3,
    threshold: float | None = None,
) -> dict[str, Any]:
    """Count the cue lexicon and train the candidate classifier; write both into ``out``.

    Args:
        data: PolNeAR-style JSONL (``text`` and ``quotes``).
        out: The directory to write ``cue_lexicon.tsv`` and ``quote_model.json`` into.
        cache: A DocBin file that keeps the parses for the next run.
        min_count: Least occurrences of a (cue lemma, relation) row in the lexicon.
        c: Inverse regularisation strength of the logistic regression.
        threshold: The decision threshold to store; None: the one with the best
            cross-validated candidate F1 (end-to-end F1 on train favours a lower one, since
            overlapping candidates are pruned after scoring).

    Returns:
        A summary: data, documents, candidates, positives, C, thresholds, CV candidate F1.

    Raises:
        PipelineError: If the data cannot be read.
    """
    data, out = Path(data), Path(out)
    cache = Path(cache) if cache is not None else None
    out.mkdir(parents=True, exist_ok=True)
    rows = read_rows(data)
    docs = parse(rows, cache)
    features, labels, groups, hits, seen = collect(docs, rows)
    # The rules backend's lexicon.
    listed = read_word_list(DEFAULT_CUES)
    lines = [
        "# cue lemma\trelation\tattributions\toccurrences — counted on "
        f"{data.name} by newspipe train quotes; do not edit by hand"
    ]
    for (lemma, relation), total in sorted(seen.items()):
        if total >= min_count and (hits[(lemma, relation)] > 0 or lemma in listed):
            lines.append(f"{lemma}\t{relation}\t{hits[(lemma, relation)]}\t{total}")
    write_text_atomic(out / "cue_lexicon.tsv", "\n".join(lines) + "\n")

    # The hybrid backend's classifier.
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([dict.fromkeys(f, 1) for f in features])
    y = np.array(labels)
    probs = np.zeros(len(y))
    for train_idx, test_idx in GroupKFold(n_splits=5).split(x, y, groups):
        fold = LogisticRegression(C=c, max_iter=2000)
        fold.fit(x[train_idx], y[train_idx])
        probs[test_idx] = fold.predict_proba(x[test_idx])[:, 1]
    cv_threshold, cv_f1 = best_threshold(y, probs)
    model = LogisticRegression(C=c, max_iter=2000).fit(x, y)
    names = vectorizer.get_feature_names_out()
    weights = {
        str(name): round(float(w), 5)
        for name, w in zip(names, model.coef_[0], strict=True)
        if abs(w) > 1e-4
    }
    summary = {
        "trained_on": data.name,
        "documents": len(rows),
        "candidates": len(y),
        "positives": int(y.sum()),
        "C": c,
        "cv_threshold": round(cv_threshold, 3),
        "cv_candidate_f1": round(cv_f1, 4),
        "threshold": round(threshold if threshold is not None else cv_threshold, 3),
    }
    stored = {**summary, "intercept": float(model.intercept_[0]), "weights": weights}
    write_text_atomic(out / "quote_model.json", json.dumps(stored, indent=0, sort_keys=True))
    return summary
