"""Training the quote stage's judges (``newspipe train quotes``), cross-validated by article.

Two judges, one per content convention, both logistic regressions over the features of
:mod:`newspipe.pipeline.stages.quotes.judge`, saved as plain JSON:

**newspipe** (``quote_judge.json``, the default): what a newsroom calls a quote — speech and
writing acts (``gold/GUIDELINES.md`` §3). Trained on

- the gold set (every candidate of every article labelled by whether it matches a gold quote:
  contents overlapping by half of each, and the cue word inside the gold cue), and
- PolNeAR train restricted to speech and writing. PolNeAR (PARC) also annotates beliefs,
  perceptions and intentions; the subset is derived from the cue lexicon's lemmas: the head
  lemma of each attribution's cue (the word that is not an auxiliary, a negation or an adverb
  and whose syntactic head lies outside the cue; *according* for "according to") is looked
  up in ``cue_classes.tsv``, which gives every lemma of ``cue_lexicon.tsv`` that introduced an
  attribution at least 3 times a class. An attribution whose cue is a *speech*, *writing* or
  *source* lemma — or only punctuation (a colon, a dash) — is a quote of our convention; one
  whose lemma has another class (evidence, cognition, intention, support, topic, naming,
  declined, action) is not, and its candidates become negatives; one whose lemma the table
  does not know is left out (its candidates get no label). Candidates that match no
  attribution are negatives.

Gold articles are split into folds; each fold's judge learns from PolNeAR's subset and the
other folds, and the attributor with that judge runs end to end on the fold's articles. These
out-of-fold records give the development figures: the decision threshold is the one with the
best out-of-fold content F1 (overlap 0.5) on a grid; the calibration (Platt scaling of the
judge's log-odds into the probability that a quote is right) is fitted on the out-of-fold quotes
kept at a low threshold; and the reliability table is computed with, for each fold, a
calibration fitted on the other folds only. The shipped judge is then fitted on all the data.

**polnear** (``quote_model.json`` and the cue lexicon ``cue_lexicon.tsv``): PARC's broad notion
of attribution, from PolNeAR train alone (every attribution a positive), with folds over its
documents; the threshold is the one with the best out-of-fold F1 on PolNeAR train. PolNeAR dev
is never used.
"""

from __future__ import annotations

import json
import math
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc

from newspipe.eval.datasets import DatasetError, load_gold_set
from newspipe.eval.scorers.matching import Pair, match_spans
from newspipe.eval.scorers.quotes import score_quotes
from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.records import Record, doc_to_record
from newspipe.pipeline.stages.quotes import QuoteAttributor, convention_settings
from newspipe.pipeline.stages.quotes.judge import POSITIVE_CLASSES
from newspipe.pipeline.stages.quotes.lexicons import read_cue_classes, read_word_list
from newspipe.pipeline.stages.quotes.train import (
    Example,
    candidate_examples,
    decision,
    fit_logistic,
    matching,
    parse,
    sigmoid,
    training_attributor,
)

Progress = Callable[[str], None]
THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
"""The grid of decision thresholds (on the judge's uncalibrated probability) tried."""
PARC_THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
"""The (shorter) grid for the PARC judge, whose cross-validation runs on 840 documents."""
LOW_THRESHOLD = 0.05
"""Quotes kept at this threshold are the ones the calibration is fitted on."""
BINS = (0.0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)
"""Confidence bins of the reliability table."""


@dataclass
class JudgeSettings:
    """How a judge is trained."""

    c: float = 0.3
    gold_weight: float = 5.0
    folds: int = 5
    polnear_weight: float = 1.0
    threshold: float | None = None  # the stored threshold; None: chosen on out-of-fold F1


@dataclass
class TrainingSet:
    """Parsed documents with their gold quotes (records) and each document's examples."""

    name: str
    docs: list[Doc]
    records: list[Record]
    examples: list[list[tuple[Example, int | None]]] = field(default_factory=list)


# --------------------------------------------------------------------------- data


def attribution_records(path: str | Path) -> list[Record]:
    """PolNeAR-style JSONL (``text`` and ``quotes`` with ``content`` and optionally ``cue``,
    ``speaker``, ``type`` as ``[start, end]``) as gold records, one per line."""
    from newspipe.pipeline.stages.quotes.train import read_rows

    records: list[Record] = []
    for n, row in enumerate(read_rows(Path(path))):
        text = row.get("text")
        if not isinstance(text, str) or not isinstance(row.get("quotes"), list):
            raise PipelineError(f"{path}:{n + 1}: a line needs text and quotes")
        quotes = []
        for quote in row["quotes"]:
            parts = {key: _char_span(text, quote.get(key)) for key in ("content", "cue", "speaker")}
            if parts["content"] is None:
                raise PipelineError(f"{path}:{n + 1}: a quote needs a content [start, end]")
            quotes.append(
                {
                    **parts,
                    "speaker_name": None,
                    "type": quote.get("type") or "indirect",
                    "stance": None,
                }
            )
        record = {
            "id": str(row.get("id") or f"doc-{n}"),
            "text": text,
            "target": None,
            "sentences": [],
            "entities": [],
            "quotes": quotes,
        }
        records.append(record)  # type: ignore[arg-type]
    return records


def _char_span(text: str, value: Any) -> dict[str, Any] | None:
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    start, end = int(value[0]), int(value[1])
    if not 0 <= start < end <= len(text):
        return None
    return {"start": start, "end": end, "text": text[start:end]}


def cue_head_lemma(doc: Doc, cue: tuple[int, int] | None) -> str | None:
    """The head lemma of a cue given in character offsets: ``":"`` for a cue that is only
    punctuation, ``"accord"`` for "according to", None without a cue."""
    if cue is None:
        return None
    span = doc.char_span(cue[0], cue[1], alignment_mode="expand")
    if span is None or not len(span):
        return None
    words = [t for t in span if not t.is_punct and not t.is_space]
    if not words:
        return ":"
    content = [t for t in words if t.dep_ not in ("aux", "auxpass", "neg", "advmod")] or words
    heads = [t for t in content if not span.start <= t.head.i < span.end or t.head.i == t.i]
    head = (heads or content)[0]
    if head.lower_ == "according":
        return "accord"
    return head.lemma_.lower()


def speech_class(
    doc: Doc,
    cue: tuple[int, int] | None,
    classes: dict[str, str],
    source: tuple[int, int] | None = None,
    evidence: frozenset[str] = frozenset(),
) -> str:
    """``speech`` when a PolNeAR attribution with this cue (and source) is a quote of the
    newsroom convention, ``other`` when it is not, ``unknown`` when the cue lexicon's classes
    do not say. A source that is a piece of evidence (its head noun is an evidence noun: a
    study, a poll, figures) shows rather than says, whatever the verb ("polls suggest")."""
    lemma = cue_head_lemma(doc, cue)
    if source is not None and evidence:
        span = doc.char_span(source[0], source[1], alignment_mode="expand")
        if span is not None and len(span) and span.root.lemma_.lower() in evidence:
            return "other"
    if lemma is None or lemma == ":":
        return "speech"
    cls = classes.get(lemma)
    if cls is None:
        return "unknown"
    return "speech" if cls in POSITIVE_CLASSES else "other"


def _gold_quotes(
    doc: Doc,
    record: Record,
    classes: dict[str, str] | None,
    evidence: frozenset[str] = frozenset(),
) -> list[dict[str, Any]]:
    quotes = []
    for quote in record["quotes"]:
        cue = (quote["cue"]["start"], quote["cue"]["end"]) if quote["cue"] else None
        source = (quote["speaker"]["start"], quote["speaker"]["end"]) if quote["speaker"] else None
        cls = "speech" if classes is None else speech_class(doc, cue, classes, source, evidence)
        content = (quote["content"]["start"], quote["content"]["end"])
        quotes.append({"content": content, "cue": cue, "class": cls})
    return quotes


def label_examples(
    attributor: QuoteAttributor,
    doc: Doc,
    golds: Sequence[dict[str, Any]],
    relabel_inside: bool = False,
) -> list[tuple[Example, int | None]]:
    """The examples of ``doc`` with labels: 1 when they match a gold quote of class speech,
    None when they match only quotes of unknown class, else 0. With ``relabel_inside`` (PARC
    data for the newsroom judge) a quotation that lies inside a longer attribution without
    matching it gets no label: the conventions disagree about it."""
    labelled: list[tuple[Example, int | None]] = []
    for example in candidate_examples(attributor, doc):
        found = matching(example, golds)
        label: int | None = 0
        if any(g["class"] == "speech" for g in found):
            label = 1
        elif any(g["class"] == "unknown" for g in found):
            label = None
        elif relabel_inside and example.kind == "marks":
            # a quotation inside a longer attribution: PARC joins a quote and the sentences
            # that continue it, which the newsroom convention counts as quotes of their own
            around = [g for g in golds if _within(example.content, g["content"])]
            if any(g["class"] != "other" for g in around):
                label = None
        labelled.append((example, label))
    return labelled


def _within(inner: tuple[int, int], outer: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def load_training_set(
    name: str,
    records: list[Record],
    cache: Path | None,
    convention: str,
    classes: dict[str, str] | None,
    progress: Progress | None = None,
) -> TrainingSet:
    """Parse (or read from the cache) and label the candidates of a set of gold records."""
    if progress:
        progress(f"{name}: parsing {len(records)} documents")
    docs = parse([r["text"] for r in records], cache / f"{name}.spacy" if cache else None)
    data = TrainingSet(name, docs, records)
    attributor = training_attributor(convention)
    evidence = attributor.vocab.evidence_nouns if classes is not None else frozenset()
    if progress:
        progress(f"{name}: candidates")
    for doc, record in zip(docs, records, strict=True):
        golds = _gold_quotes(doc, record, classes, evidence)
        data.examples.append(label_examples(attributor, doc, golds, classes is not None))
    return data


# --------------------------------------------------------------------------- fitting


def _fit(
    parts: Sequence[tuple[Sequence[list[tuple[Example, int | None]]], float]], c: float
) -> tuple[dict[str, float], float]:
    features: list[list[str]] = []
    labels: list[int] = []
    weights: list[float] = []
    for docs, weight in parts:
        for examples in docs:
            for example, label in examples:
                if label is not None:
                    features.append(example.features)
                    labels.append(label)
                    weights.append(weight)
    return fit_logistic(features, labels, weights, c)


def _model_file(weights: dict[str, float], intercept: float, threshold: float, tmp: Path) -> Path:
    path = tmp / f"judge-{len(list(tmp.iterdir()))}.json"
    path.write_text(
        json.dumps({"weights": weights, "intercept": intercept, "threshold": threshold}),
        encoding="utf-8",
    )
    return path


def _run(
    model: Path, convention: str, threshold: float, docs: Sequence[Doc], records: Sequence[Record]
) -> list[Record]:
    attributor = QuoteAttributor(
        "quotes", model=model, min_confidence=threshold, **convention_settings(convention)
    )
    out = []
    for doc, record in zip(docs, records, strict=True):
        out.append(doc_to_record(attributor(doc), record["id"], stance_evidence=False))
    return out


@dataclass
class CrossValidation:
    """Out-of-fold records at every threshold of the grid (and at :data:`LOW_THRESHOLD`)."""

    folds: list[int]
    by_threshold: dict[float, list[Record]]


def cross_validate(
    data: TrainingSet,
    extra: Sequence[tuple[TrainingSet, float]],
    settings: JudgeSettings,
    convention: str,
    weight: float,
    progress: Progress | None = None,
    thresholds: Sequence[float] = THRESHOLDS,
) -> CrossValidation:
    """Fit one judge per fold of ``data``'s documents (with all of ``extra``) and run it end to
    end on that fold's documents at every threshold."""
    n = len(data.docs)
    folds = [i % settings.folds for i in range(n)]
    grid = (LOW_THRESHOLD, *thresholds)
    out: dict[float, list[Record]] = {t: [data.records[i] for i in range(n)] for t in grid}
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(settings.folds):
            if progress:
                progress(f"{data.name}: fold {k + 1}/{settings.folds}")
            train = [data.examples[i] for i in range(n) if folds[i] != k]
            parts = [(train, weight), *((s.examples, w) for s, w in extra)]
            weights, intercept = _fit(parts, settings.c)
            model = _model_file(weights, intercept, 0.5, Path(tmp))
            test = [i for i in range(n) if folds[i] == k]
            for threshold in grid:
                found = _run(
                    model,
                    convention,
                    threshold,
                    [data.docs[i] for i in test],
                    [data.records[i] for i in test],
                )
                for i, record in zip(test, found, strict=True):
                    out[threshold][i] = record
    return CrossValidation(folds, out)


def scores(predicted: Sequence[Record], gold: Sequence[Record], names: bool) -> dict[str, Any]:
    """Quote scores (overlap 0.5) of predicted against gold records."""
    metrics = score_quotes(
        [Pair(p, g) for p, g in zip(predicted, gold, strict=True)], speaker_names=names
    )
    per_type = metrics["quotes_per_type"]
    summary = {
        key: metrics[key]
        for key in (
            "quotes_p",
            "quotes_r",
            "quotes_f",
            "cue_acc",
            "speaker_acc",
            "speaker_name_acc",
        )
    }
    for kind in ("direct", "indirect", "mixed"):
        if kind in per_type:
            summary[f"{kind}_r"] = per_type[kind]["r"]
    return summary


# --------------------------------------------------------------------------- calibration


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def quote_outcomes(
    predicted: Sequence[Record], gold: Sequence[Record]
) -> list[tuple[int, float, int]]:
    """(document, judge probability, right) for every predicted quote: right when it matches a
    gold quote (the scorer's one-to-one matching, overlap 0.5)."""
    rows = []
    for n, (pred, ref) in enumerate(zip(predicted, gold, strict=True)):
        matches = match_spans(
            [q["content"] for q in ref["quotes"]], [q["content"] for q in pred["quotes"]]
        )
        right = {p for _, p in matches}
        for i, quote in enumerate(pred["quotes"]):
            rows.append((n, float(quote.get("confidence") or 0.0), int(i in right)))
    return rows


def fit_platt(outcomes: Sequence[tuple[int, float, int]]) -> tuple[float, float]:
    """Platt scaling ``sigmoid(a · logit(p) + b)`` of the judge's probability, fitted to whether
    each quote was right (the identity when that cannot be fitted or would not be increasing)."""
    from sklearn.linear_model import LogisticRegression

    x = np.asarray([[_logit(p)] for _, p, _ in outcomes])
    y = np.asarray([r for _, _, r in outcomes])
    if len(set(y.tolist())) < 2:
        return 1.0, 0.0
    model = LogisticRegression(C=100.0).fit(x, y)
    a, b = float(model.coef_[0][0]), float(model.intercept_[0])
    return (a, b) if a > 0 else (1.0, 0.0)


def calibrated(p: float, platt: tuple[float, float]) -> float:
    return sigmoid(platt[0] * _logit(p) + platt[1])


def reliability_table(
    outcomes: Sequence[tuple[int, float, int]], folds: Sequence[int]
) -> list[dict[str, Any]]:
    """Predicted against observed precision per confidence bin, each quote's confidence from a
    calibration fitted on the other folds' quotes (nothing is calibrated on itself)."""
    platts = {k: fit_platt([o for o in outcomes if folds[o[0]] != k]) for k in sorted(set(folds))}
    rows = []
    conf = [(calibrated(p, platts[folds[n]]), right) for n, p, right in outcomes]
    for low, high in pairwise(BINS):
        inside = [(c, r) for c, r in conf if low <= c < high]
        if not inside:
            continue
        rows.append(
            {
                "bin": [low, min(high, 1.0)],
                "quotes": len(inside),
                "predicted": round(sum(c for c, _ in inside) / len(inside), 3),
                "observed": round(sum(r for _, r in inside) / len(inside), 3),
            }
        )
    return rows


# --------------------------------------------------------------------------- trainings


def train_newspipe_judge(
    gold_paths: Sequence[str | Path],
    polnear_path: str | Path | None,
    settings: JudgeSettings,
    cache: Path | None = None,
    progress: Progress | None = None,
    classes_path: str | Path | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The newsroom judge (a JSON-ready model) and the training report (cross-validated
    figures, threshold, calibration, reliability table)."""
    from newspipe.pipeline.stages.quotes import DEFAULT_CLASSES

    classes = read_cue_classes(classes_path or DEFAULT_CLASSES)
    try:
        gold_set = load_gold_set(list(gold_paths))
    except DatasetError as err:
        raise PipelineError(str(err)) from None
    gold = load_training_set("gold", gold_set.records, cache, "newspipe", None, progress)
    extra: list[tuple[TrainingSet, float]] = []
    subset: dict[str, int] = {}
    if polnear_path is not None:
        records = attribution_records(polnear_path)
        data = load_training_set("polnear", records, cache, "polnear", classes, progress)
        extra.append((data, settings.polnear_weight))
        counts: Counter[str] = Counter()
        evidence = training_attributor("polnear").vocab.evidence_nouns
        for doc, record in zip(data.docs, data.records, strict=True):
            counts.update(q["class"] for q in _gold_quotes(doc, record, classes, evidence))
        subset = dict(counts)
    cv = cross_validate(gold, extra, settings, "newspipe", settings.gold_weight, progress)
    by_threshold = {
        t: scores(records, gold.records, True) for t, records in cv.by_threshold.items()
    }
    best = max(THRESHOLDS, key=lambda t: (by_threshold[t]["quotes_f"] or 0.0, -t))
    outcomes = quote_outcomes(cv.by_threshold[LOW_THRESHOLD], gold.records)
    platt = fit_platt(outcomes)
    reliability = reliability_table(outcomes, cv.folds)
    if progress:
        progress("fitting the judge on all the data")
    weights, intercept = _fit(
        [(gold.examples, settings.gold_weight), *((s.examples, w) for s, w in extra)], settings.c
    )
    threshold = round(calibrated(best, platt), 4)
    if settings.threshold is not None:
        threshold = settings.threshold
    model = {
        "format": "newspipe-quote-judge/2",
        "convention": "newspipe",
        "trained_on": "gold set (newsroom convention) + PolNeAR train, speech and writing",
        "settings": settings.__dict__,
        "threshold": threshold,
        "calibration": [round(platt[0], 6), round(platt[1], 6)],
        "intercept": intercept,
        "weights": weights,
    }
    oof = []
    for record in cv.by_threshold[best]:
        quotes = [
            {**q, "confidence": round(calibrated(float(q.get("confidence") or 0.0), platt), 4)}
            for q in record["quotes"]
        ]
        oof.append({**record, "quotes": quotes})
    report = {
        "convention": "newspipe",
        "gold_documents": len(gold.docs),
        "polnear_attributions_by_class": subset,
        "settings": settings.__dict__,
        "folds": settings.folds,
        "out_of_fold_by_threshold": {str(t): s for t, s in by_threshold.items()},
        "chosen_threshold_uncalibrated": best,
        "threshold": threshold,
        "out_of_fold": by_threshold[best],
        "calibration": model["calibration"],
        "reliability": reliability,
        "out_of_fold_records": oof,
    }
    return model, report


def _cue_lexicon(data: TrainingSet, min_count: int, listed: frozenset[str]) -> str:
    hits: Counter[tuple[str, str]] = Counter()
    seen: Counter[tuple[str, str]] = Counter()
    for examples in data.examples:
        for example, label in examples:
            if example.kind == "parse":
                seen[(example.lemma, example.relation)] += 1
                hits[(example.lemma, example.relation)] += int(label or 0)
    lines = [
        "# cue lemma\trelation\tattributions\toccurrences — counted on PolNeAR train by "
        "newspipe train quotes --convention polnear; do not edit by hand"
    ]
    for (lemma, relation), total in sorted(seen.items()):
        if total >= min_count and (hits[(lemma, relation)] > 0 or lemma in listed):
            lines.append(f"{lemma}\t{relation}\t{hits[(lemma, relation)]}\t{total}")
    return "\n".join(lines) + "\n"


def train_parc_judge(
    polnear_path: str | Path,
    settings: JudgeSettings,
    cache: Path | None = None,
    progress: Progress | None = None,
    min_count: int = 3,
) -> tuple[dict[str, Any], dict[str, Any], str]:
    """The PARC judge, its report, and the cue lexicon (TSV text), from PolNeAR train."""
    from newspipe.pipeline.stages.quotes import DEFAULT_CUES

    records = attribution_records(polnear_path)
    data = load_training_set("polnear", records, cache, "polnear", None, progress)
    cv = cross_validate(data, (), settings, "polnear", 1.0, progress, PARC_THRESHOLDS)
    by_threshold = {
        t: scores(records, data.records, False) for t, records in cv.by_threshold.items()
    }
    best = max(PARC_THRESHOLDS, key=lambda t: (by_threshold[t]["quotes_f"] or 0.0, -t))
    if progress:
        progress("fitting the judge on all the data")
    weights, intercept = _fit([(data.examples, 1.0)], settings.c)
    if settings.threshold is not None:
        best = settings.threshold
    model = {
        "format": "newspipe-quote-judge/2",
        "convention": "polnear",
        "trained_on": "PolNeAR train (all attributions)",
        "settings": settings.__dict__,
        "threshold": best,
        "calibration": [1.0, 0.0],
        "intercept": intercept,
        "weights": weights,
    }
    report = {
        "convention": "polnear",
        "documents": len(data.docs),
        "settings": settings.__dict__,
        "out_of_fold_by_threshold": {str(t): s for t, s in by_threshold.items()},
        "threshold": best,
        "out_of_fold": by_threshold[best],
    }
    return model, report, _cue_lexicon(data, min_count, read_word_list(DEFAULT_CUES))


def decision_value(model: dict[str, Any], features: Sequence[str]) -> float:
    """The uncalibrated log-odds of a saved judge for ``features`` (for tests and checks)."""
    return decision(model["weights"], model["intercept"], features)
