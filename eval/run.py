"""Running the pipeline on gold documents, isolated and end to end, and scoring every stage.

*End to end*, the full pipeline runs on each text and every stage consumes the predictions of
the stages before it. *Isolated*, each stage receives gold input from the stages before it,
as far as the gold set annotates them:

1. the Doc is tokenized and, with gold sentences, its ``is_sent_start`` set from them (our
   sentence stage is skipped; the parser keeps preset boundaries); gold layers go onto the
   Doc with the setters of :mod:`newspipe.pipeline.records`;
2. the model's components and the entity stage run → the entities are scored here;
3. with gold entities, ``doc.ents`` is set from them (``char_span(..., alignment_mode=
   "expand")``); the quote stage runs → the quotes are scored here;
4. with gold quotes, ``doc.spans["quotes"]`` is set from them (cue, speaker, speaker name and
   type on each span); the stance stage runs → the stance is scored on the gold quotes.

A stage is scored in isolated mode only when the inputs it needs are gold (entities: sentences;
quotes: sentences and entities; stance: quotes); sentences come first, so their isolated
score is their end-to-end score. Each stage's time is measured in the same run
(:func:`newspipe.eval.timing.time_components`); throughput is words per second of the stage,
words counted as in ``newspipe bench`` and ``spacy benchmark speed`` (spaCy tokens,
:data:`newspipe.eval.timing.WORDS`).

The documents go through each run a group at a time (about one article: the groups of
:func:`newspipe.pipeline.run.extract.text_groups`), so ``progress`` hears of every document.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from newspipe.eval.datasets import STAGES, GoldSet
from newspipe.eval.scorers.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED
from newspipe.eval.scorers.entities import score_entities
from newspipe.eval.scorers.matching import DEFAULT_OVERLAP, Pair, context, match_spans
from newspipe.eval.scorers.quotes import score_quotes
from newspipe.eval.scorers.sentences import score_sentences
from newspipe.eval.scorers.stance import score_stance
from newspipe.eval.timing import ComponentTimes, count_words, stage_of, time_components
from newspipe.pipeline.extensions import QUOTES_KEY
from newspipe.pipeline.records import (
    Record,
    doc_to_record,
    make_doc,
    set_entities,
    set_quotes,
    set_sentences,
)
from newspipe.pipeline.run.extract import text_groups

Progress = Callable[[str, int, int], None]
"""``progress(description, done, total)``: documents done in the current step of the run."""

STAGE_INPUTS: dict[str, tuple[str, ...]] = {
    "sentences": (),
    "entities": ("sentences",),
    "quotes": ("sentences", "entities"),
    "stance": ("quotes",),
}
"""The gold layers a stage needs to be scored in isolated mode."""

ERROR_KEYS = {
    "sentences": "sents_errors",
    "entities": "ents_errors",
    "quotes": "quotes_errors",
    "stance": "stance_errors",
}


@dataclass
class Predictions:
    """What one run predicted: per stage, a record per gold document (None: the document
    failed), plus timings and problems."""

    mode: str
    by_stage: dict[str, list[Record | None]]
    times: ComponentTimes | None = None
    stage_seconds: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- gold → Doc


def make_docs(nlp: Language, records: Sequence[Record]) -> list[Doc]:
    """Tokenized Docs of the gold texts, carrying their stance targets."""
    docs = []
    for record in records:
        docs.append(make_doc(nlp, record["text"], target=record.get("target")))
    return docs


# --------------------------------------------------------------------------- running


def _run(
    nlp: Language,
    names: Sequence[str],
    docs: list[Doc | None],
    times: ComponentTimes,
    problems: list[str],
    ids: Sequence[str],
    progress: Callable[[int, int], None] | None = None,
) -> list[Doc | None]:
    """Run the components ``names`` over the docs, a group at a time, adding to ``times``; a
    doc that breaks a component is reported in ``problems`` and becomes None. ``progress(done,
    total)`` is told after each group."""
    if not names:
        return docs
    alive = [i for i, doc in enumerate(docs) if doc is not None]
    out: list[Doc | None] = list(docs)
    done = 0
    with nlp.select_pipes(enable=list(names)):
        for group in text_groups(alive, lambda i: len(docs[i].text)):  # type: ignore[union-attr]
            # Components change the Docs in place: keep copies to rerun from if one Doc fails.
            pristine = {i: _copy(docs[i]) for i in group}  # type: ignore[arg-type]
            try:
                result, part = time_components(nlp, [docs[i] for i in group])
                _add(times, part)
                for i, doc in zip(group, result, strict=True):
                    out[i] = doc
            except Exception:  # one document broke a stage: find it, keep the rest
                for i in group:
                    try:
                        (doc,), part = time_components(nlp, [pristine[i]])
                        _add(times, part)
                        out[i] = doc
                    except Exception as err:
                        message = f"{type(err).__name__}: {err}".splitlines()[0][:200]
                        problems.append(
                            f"{ids[i]}: skipped, the pipeline failed on it ({message})"
                        )
                        out[i] = None
            done += len(group)
            if progress is not None:
                progress(done, len(alive))
    return out


def _copy(doc: Doc) -> Doc:
    """A copy of ``doc``; the doc itself when it cannot be copied (``Doc.copy`` deep-copies
    extension values, and spans such as a quote's ``_.cue`` cannot be)."""
    try:
        return doc.copy()
    except NotImplementedError:
        return doc


def _add(total: ComponentTimes, part: ComponentTimes) -> None:
    for name, seconds in part.seconds.items():
        total.seconds[name] = total.seconds.get(name, 0.0) + seconds


def _words(docs: Sequence[Doc | None]) -> int:
    return count_words(doc for doc in docs if doc is not None)


def _step(progress: Progress | None, description: str) -> Callable[[int, int], None] | None:
    if progress is None:
        return None
    report = progress
    return lambda done, total: report(description, done, total)


def _stage_seconds(nlp: Language, times: ComponentTimes) -> dict[str, float]:
    return times.by_stage(nlp)


def run_end_to_end(nlp: Language, gold: GoldSet, progress: Progress | None = None) -> Predictions:
    """The full pipeline on every gold text."""
    ids = [r["id"] for r in gold.records]
    times = ComponentTimes()
    problems: list[str] = []
    start_docs: list[Doc | None] = list(make_docs(nlp, gold.records))
    step = _step(progress, "end to end")
    docs = _run(nlp, nlp.pipe_names, start_docs, times, problems, ids, step)
    times.words, times.docs = _words(docs), sum(d is not None for d in docs)
    records = [None if d is None else doc_to_record(d, i) for d, i in zip(docs, ids, strict=True)]
    return Predictions(
        "end-to-end",
        {stage: list(records) for stage in STAGES},
        times,
        _stage_seconds(nlp, times),
        problems,
    )


def isolated_stages(gold: GoldSet) -> list[str]:
    """The stages of ``gold`` that can be scored in isolated mode."""
    return [
        stage
        for stage in STAGES
        if stage in gold.scored and all(layer in gold.layers for layer in STAGE_INPUTS[stage])
    ]


def run_isolated(nlp: Language, gold: GoldSet, progress: Progress | None = None) -> Predictions:
    """Each stage on gold input from the stages before it (see the module docstring)."""
    ids = [r["id"] for r in gold.records]
    stages = {name: stage_of(nlp, name) for name in nlp.pipe_names}
    gold_sentences = "sentences" in gold.layers
    scored = isolated_stages(gold)
    times = ComponentTimes()
    problems: list[str] = []
    docs: list[Doc | None] = list(make_docs(nlp, gold.records))
    if gold_sentences:
        for doc, record in zip(docs, gold.records, strict=True):
            set_sentences(doc, record["sentences"])  # type: ignore[arg-type]
    upstream = [
        name
        for name, stage in stages.items()
        if stage not in ("quotes", "stance") and not (gold_sentences and stage == "sentences")
    ]
    step = _step(progress, "isolated: model and entities")
    docs = _run(nlp, upstream, docs, times, problems, ids, step)
    by_stage: dict[str, list[Record | None]] = {}
    upstream_records = [
        None if d is None else doc_to_record(d, i) for d, i in zip(docs, ids, strict=True)
    ]
    by_stage["entities"] = upstream_records
    if gold_sentences:  # sentences were not predicted here
        by_stage["sentences"] = [None] * len(docs)
    else:
        by_stage["sentences"] = upstream_records
    if "entities" in gold.layers:
        for doc, record in zip(docs, gold.records, strict=True):
            if doc is not None:
                set_entities(doc, record["entities"])
    if "quotes" in scored:
        quote_names = [n for n, s in stages.items() if s == "quotes"]
        step = _step(progress, "isolated: quotes on gold entities")
        docs = _run(nlp, quote_names, docs, times, problems, ids, step)
        by_stage["quotes"] = [
            None if d is None else doc_to_record(d, i) for d, i in zip(docs, ids, strict=True)
        ]
    if "stance" in scored:
        kept: list[list[int]] = []
        for doc, record in zip(docs, gold.records, strict=True):
            kept.append([] if doc is None else set_quotes(doc, record["quotes"], with_stance=False))
        stance_names = [n for n, s in stages.items() if s == "stance"]
        step = _step(progress, "isolated: stance on gold quotes")
        docs = _run(nlp, stance_names, docs, times, problems, ids, step)
        by_stage["stance"] = [
            None if d is None else _stance_record(d, record, indices)
            for d, record, indices in zip(docs, gold.records, kept, strict=True)
        ]
    times.words, times.docs = _words(docs), sum(d is not None for d in docs)
    return Predictions("isolated", by_stage, times, _stage_seconds(nlp, times), problems)


def _stance_record(doc: Doc, gold: Record, kept: list[int]) -> Record:
    """The gold quotes (those set on ``doc``) with the predicted stance of each."""
    spans = list(doc.spans.get(QUOTES_KEY, []))
    record = doc_to_record(doc, gold["id"])
    if len(spans) != len(kept):  # the stance stage changed the quotes: score what it left
        return record
    record["quotes"] = [
        {**gold["quotes"][i], "stance": span._.stance, "stance_evidence": span._.stance_evidence}
        for i, span in zip(kept, spans, strict=True)
    ]
    return record


def predictions_from_records(gold: GoldSet, records: dict[str, Record]) -> Predictions:
    """Saved predictions matched to the gold documents by id (``--pred``)."""
    problems: list[str] = []
    matched: list[Record | None] = []
    for record in gold.records:
        pred = records.get(record["id"])
        if pred is None:
            problems.append(f"{record['id']}: no prediction; scored as an empty one")
            pred = {**record, "sentences": [], "entities": [], "quotes": []}
        elif pred["text"] != record["text"]:
            problems.append(f"{record['id']}: predicted text differs from the gold text; skipped")
            pred = None
        matched.append(pred)
    extra = sorted(set(records) - {r["id"] for r in gold.records})
    if extra:
        problems.append(f"{len(extra)} predicted ids not in the gold (first: '{extra[0]}')")
    return Predictions("pred", {stage: list(matched) for stage in STAGES}, problems=problems)


# --------------------------------------------------------------------------- scoring


def score_predictions(
    gold: GoldSet,
    predictions: Predictions,
    stages: Sequence[str],
    *,
    overlap: float = DEFAULT_OVERLAP,
    bootstrap: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> dict[str, Any]:
    """Metrics of ``stages`` (others: not scored), errors with context, and throughput."""
    scorers: dict[str, Callable[[list[Pair]], dict[str, Any]]] = {
        "sentences": lambda p: score_sentences(p, bootstrap=bootstrap, seed=seed),
        "entities": lambda p: score_entities(
            p, label_map=gold.label_map, bootstrap=bootstrap, seed=seed
        ),
        "quotes": lambda p: score_quotes(
            p, overlap=overlap, speaker_names=gold.speaker_names, bootstrap=bootstrap, seed=seed
        ),
        "stance": lambda p: score_stance(p, overlap=overlap, bootstrap=bootstrap, seed=seed),
    }
    metrics: dict[str, Any] = {}
    errors: dict[str, list[dict[str, Any]]] = {}
    for stage in stages:
        pairs = [
            Pair(pred, record)
            for pred, record in zip(predictions.by_stage[stage], gold.records, strict=True)
            if pred is not None
        ]
        if not pairs:
            continue
        result = scorers[stage](pairs)
        stage_errors = result.pop(ERROR_KEYS[stage])
        metrics.update(result)
        errors[stage] = [_with_context(error, pairs) for error in stage_errors]
        if stage in ("quotes", "stance"):
            for error in errors[stage]:
                error.update(_quote_details(error, pairs[error["doc"]], overlap))
    return {
        "stages": list(stages),
        "metrics": metrics,
        "throughput": throughput(predictions),
        "errors": errors,
        "problems": predictions.problems,
    }


def _with_context(error: dict[str, Any], pairs: Sequence[Pair]) -> dict[str, Any]:
    record = pairs[error["doc"]].gold
    before, text, after = context(record["text"], error["start"], error["end"])
    gold = error.get("gold")
    if isinstance(gold, dict) and "start" in gold:
        error = {**error, "gold": {**gold, "text": record["text"][gold["start"] : gold["end"]]}}
    return {**error, "id": record["id"], "context": [before, text, after]}


def quote_summary(quote: Mapping[str, Any]) -> dict[str, Any]:
    """What an error row shows of a quote: speaker mention and canonical name, cue, type,
    stance and the stance's evidence (texts, or None)."""
    return {
        "speaker": (quote.get("speaker") or {}).get("text"),
        "speaker_name": quote.get("speaker_name"),
        "cue": (quote.get("cue") or {}).get("text"),
        "type": quote.get("type"),
        "stance": quote.get("stance"),
        "stance_evidence": quote.get("stance_evidence"),
    }


def _quote_details(error: dict[str, Any], pair: Pair, overlap: float) -> dict[str, Any]:
    """The gold and the predicted quote of a quote or stance error (``gold_quote``,
    ``pred_quote``; None where there is none), found by the scorers' one-to-one matching."""
    gold, pred = pair.gold["quotes"], pair.pred["quotes"]
    where = (error["start"], error["end"])
    matches = match_spans([q["content"] for q in gold], [q["content"] for q in pred], overlap)

    def at(quotes: Sequence[Mapping[str, Any]]) -> int | None:
        spans = [(q["content"]["start"], q["content"]["end"]) for q in quotes]
        return spans.index(where) if where in spans else None

    gold_index = at(gold)
    if error["kind"] == "spurious quote":
        gold_index, pred_index = None, at(pred)
    else:
        pred_index = dict(matches).get(gold_index) if gold_index is not None else None
    return {
        "gold_quote": None if gold_index is None else quote_summary(gold[gold_index]),
        "pred_quote": None if pred_index is None else quote_summary(pred[pred_index]),
    }


def throughput(predictions: Predictions) -> dict[str, Any] | None:
    """Seconds and words per second of each stage (and of the whole run)."""
    times = predictions.times
    if times is None or not times.words:
        return None
    stages = {
        stage: {"seconds": seconds, "words_per_s": times.words / seconds if seconds else None}
        for stage, seconds in predictions.stage_seconds.items()
    }
    total = times.total
    return {
        "words": times.words,
        "docs": times.docs,
        "seconds": total,
        "words_per_s": times.words / total if total else None,
        "stages": stages,
    }


@dataclass
class ScoreRun:
    """The outcome of :func:`score`: the metrics (what ``--output`` writes) and, per mode, the
    predictions they were computed from (for the report)."""

    metrics: dict[str, Any]
    gold: GoldSet
    predictions: dict[str, Predictions]


def score(
    gold: GoldSet,
    nlp: Language | None = None,
    *,
    modes: Sequence[str] = ("isolated", "end-to-end"),
    pred: dict[str, Record] | None = None,
    overlap: float = DEFAULT_OVERLAP,
    bootstrap: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> ScoreRun:
    """Score the pipeline ``nlp`` (or the saved predictions ``pred``) on ``gold``.

    Returns:
        The run; its ``metrics`` are ``{"dataset": {...}, "settings": {...}, "modes": {mode:
        {"stages", "metrics", "throughput", "errors", "problems"}}, "problems": [...]}``, where
        the only mode is ``pred`` when scoring saved predictions. ``progress(description,
        done, total)`` is told of every document of every step of the run.
    """
    result: dict[str, Any] = {
        "dataset": {
            "kind": gold.kind,
            "source": gold.source,
            "docs": len(gold.records),
            "scored": [s for s in STAGES if s in gold.scored],
            "gold_layers": [s for s in STAGES if s in gold.layers],
        },
        "settings": {"overlap": overlap, "bootstrap": bootstrap, "seed": seed},
        "modes": {},
        "problems": list(gold.problems),
        "notes": [],
    }
    scored = [s for s in STAGES if s in gold.scored]
    runs: dict[str, Predictions] = {}
    if pred is not None:
        runs["pred"] = predictions_from_records(gold, pred)
        result["modes"]["pred"] = score_predictions(
            gold, runs["pred"], scored, overlap=overlap, bootstrap=bootstrap, seed=seed
        )
        return ScoreRun(result, gold, runs)
    if nlp is None:
        raise ValueError("score() needs a pipeline or saved predictions")
    if "end-to-end" in modes and set(isolated_stages(gold)) <= {"sentences"}:
        if "isolated" in modes:
            result["notes"].append(
                "isolated = end to end here (only sentences are scored, and they come first)"
            )
        modes = [mode for mode in modes if mode != "isolated"]
    end_to_end = None
    if "end-to-end" in modes:
        end_to_end = run_end_to_end(nlp, gold, progress)
    if "isolated" in modes:
        stages = isolated_stages(gold)
        # Sentences come first, so their isolated prediction is the end-to-end one.
        if any(stage != "sentences" for stage in stages):
            isolated = run_isolated(nlp, gold, progress)
            if "sentences" in stages:
                source = end_to_end or run_end_to_end(nlp, gold, progress)
                isolated.by_stage["sentences"] = source.by_stage["sentences"]
        else:  # nothing to isolate: no second run (and no throughput of its own)
            source = end_to_end or run_end_to_end(nlp, gold, progress)
            isolated = Predictions("isolated", source.by_stage, problems=source.problems)
        runs["isolated"] = isolated
        result["modes"]["isolated"] = score_predictions(
            gold, isolated, stages, overlap=overlap, bootstrap=bootstrap, seed=seed
        )
    if end_to_end is not None:
        runs["end-to-end"] = end_to_end
        result["modes"]["end-to-end"] = score_predictions(
            gold, end_to_end, scored, overlap=overlap, bootstrap=bootstrap, seed=seed
        )
    return ScoreRun(result, gold, runs)
