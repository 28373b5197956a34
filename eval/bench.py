"""Speed of the pipeline, stage by stage, measured against the bare spaCy model in the same run.

The method follows ``spacy benchmark speed``: a warm-up, then many timed batches, words per
second per batch, and a spread (bootstrap 95% interval of the median, and the quartiles)
rather than one number. What is measured, in one process, batch after batch:

- **throughput**: ``nlp.pipe`` over each batch, for the bare spaCy model (``load_model`` of the
  configured model, all its default components) and for the full pipeline, in alternating
  order so that a change in machine load hits both alike. Tokenization is included.
- **stages**: the full pipeline run component by component over the same batch
  (:func:`newspipe.eval.timing.time_components`); components map to stages with
  :func:`newspipe.pipeline.stages.stage_of`, and the model components every stage builds on
  (tokenizer, ``tok2vec``, ``tagger``, ``parser`` …) are the shared ``model`` row, so the
  stage rows add up to the ``stages (sum)`` row. Other registered backends of a stage are
  timed on copies of the same docs at the same point of the pipeline (``alternative`` rows,
  not in the sum).
- **latency**: each document alone (batch of one), component by component; every document
  once, or in more rounds (at most ``repeats``) until there are 20 samples.
- **scaling**: with ``n_process`` values above 1, ``nlp.pipe(..., n_process=N)`` over all
  documents, once per repeat, for both the bare model and the pipeline.
- **engine**: with ``n_process`` values above 1, ``newspipe extract CORPUS -o OUT.jsonl -n N``
  itself, whole process (start-up, reading, writing included), in a fresh process tree for
  each N = 1 and above, at each corpus size asked for (the first documents): docs/s, words/s,
  speed-up over N = 1 at the same size, efficiency = speed-up / N, the CPU seconds the tree
  used, and peak memory (the tree's summed RSS, the main process, the largest worker;
  :mod:`newspipe.eval.treemem`). The N runs alternate in order from repeat to repeat, the
  load average is read before each, every output is compared byte for byte with N = 1's, and
  the machine's parallel capacity (what N busy processes get, in cores) is probed before and
  after, since a shared machine can give two processes less than two cores.

Peak memory is a high-water mark (``VmHWM``, or ``ru_maxrss`` off Linux), so it is measured
first, in fresh processes, one per configuration: the bare model running ``nlp.pipe``, and
the pipeline run component by component. A stage's figure is its working memory: the peak
is set back to the resident size before each component (Linux ``clear_refs``) and read after
it, so it says how far the stage pushed memory above what was already resident.

Words are tokens as spaCy counts them (:data:`newspipe.eval.timing.WORDS`).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from newspipe.eval.timing import TOKENIZER, WORDS, count_words, time_components
from newspipe.eval.treemem import run_sampled
from newspipe.pipeline.build import build_pipeline, load_config, load_model
from newspipe.pipeline.run.documents import Document, InputProblem
from newspipe.pipeline.run.extract import extract_records, make_doc
from newspipe.pipeline.stages import SHARED, STAGE_NAMES, alternatives, backend, stage_of

BASELINE = "spaCy model (bare)"
PIPELINE = "pipeline"
STAGES_TOTAL = "stages (sum)"
STAGE_ORDER = (SHARED, *STAGE_NAMES)
BOOTSTRAP_ITERATIONS = 2000
LATENCY_SAMPLES = 20
"""Documents timed alone: every document once, or more rounds (up to ``repeats``) until there
are this many latency samples."""
PORTABLE_FACTORY = "newspipe_bench_portable_user_data"

Progress = Callable[[str, int, int], None]
"""``progress(description, done, total)``: called as the run advances."""


@dataclass
class Spread:
    """A sample summarized: median, bootstrap 95% interval of the median, quartiles."""

    median: float
    low: float
    high: float
    q1: float
    q3: float
    n: int

    @classmethod
    def of(cls, samples: Sequence[float], seed: int = 0) -> Spread:
        values = numpy.asarray(samples, dtype=float)
        if values.size == 0:
            nan = float("nan")
            return cls(nan, nan, nan, nan, nan, 0)
        rng = numpy.random.default_rng(seed)
        resampled = rng.choice(values, size=(BOOTSTRAP_ITERATIONS, values.size), replace=True)
        medians = numpy.median(resampled, axis=1)
        return cls(
            median=float(numpy.median(values)),
            low=float(numpy.quantile(medians, 0.025)),
            high=float(numpy.quantile(medians, 0.975)),
            q1=float(numpy.quantile(values, 0.25)),
            q3=float(numpy.quantile(values, 0.75)),
            n=int(values.size),
        )


@dataclass
class Row:
    """One line of the speed table."""

    name: str
    kind: str  # "baseline" | "pipeline" | "stage" | "total" | "alternative"
    backend: str
    words_per_s: Spread
    docs_per_s: Spread
    latency_ms_p50: float | None
    latency_ms_p95: float | None
    ratio_to_spacy: float
    """Median words/s of this row over the bare model's median words/s."""
    share: float | None = None
    """Fraction of the pipeline's time spent in this stage (stage rows)."""
    peak_rss_mb: float | None = None
    """Peak RSS of a fresh process (baseline, pipeline); for a stage, its working memory: how
    far the process's peak rose above its resident size while the stage ran (largest batch)."""


@dataclass
class Scaling:
    """Throughput over all documents with ``n_process`` worker processes."""

    n_process: int
    spacy_words_per_s: Spread
    pipeline_words_per_s: Spread
    ratio_to_spacy: float
    speedup: float | None = None
    """Pipeline words/s over its words/s with one process."""


@dataclass
class EngineRow:
    """``newspipe extract`` over the first ``docs`` documents with ``n_process`` workers, whole
    process, in a fresh process tree (one sample per repeat)."""

    docs: int
    words: int
    n_process: int
    command: str
    wall_s: list[float]
    """Wall seconds of each repeat."""
    docs_per_s: Spread
    words_per_s: Spread
    cpu_s: Spread
    """User + system CPU seconds of the whole tree."""
    main_cpu_s: Spread
    """User + system CPU seconds of the main process alone (start-up, reading, writing, and
    with N = 1 the pipeline too)."""
    peak_tree_mb: Spread
    """Peak summed RSS of the process tree."""
    peak_main_mb: float | None
    """Peak RSS of the main process (largest over the repeats)."""
    peak_worker_mb: float | None
    """Peak RSS of the largest worker process (largest over the repeats); None with N = 1."""
    workers: int
    """Worker processes seen."""
    load: list[float]
    """1-minute load average before each repeat."""
    speedup: float | None = None
    """Median docs/s over the median docs/s of N = 1 at the same size."""
    efficiency: float | None = None
    """``speedup / n_process``."""
    identical: bool | None = None
    """Whether every output was byte-identical to N = 1's at the same size."""


@dataclass(frozen=True)
class Subset:
    """A configuration of some stages, timed against the bare model configured to match it.

    Attributes:
        name: The row's name.
        stages: ``nlp.stages`` of the subset.
        bare: The model components the matching bare spaCy runs (empty: all of its defaults).
        overrides: Further config overrides (a stage's backend).
    """

    name: str
    stages: tuple[str, ...]
    bare: tuple[str, ...] = ()
    overrides: tuple[tuple[str, Any], ...] = ()


SUBSETS: tuple[Subset, ...] = (
    # spaCy's NER alone, as a user who wants only entities runs it: tagger, parser, attribute
    # ruler and lemmatizer disabled.
    Subset("entities only", ("entities",), ("tok2vec", "ner")),
    # The sentence rules against the whole bare model, and the hybrid (which leaves some
    # boundaries to the parser) against spaCy's own sentences, the parser's.
    Subset(
        "sentences only (rules)",
        ("sentences",),
        (),
        (("components.sentences.factory", "newspipe_sentences_rules_v1"),),
    ),
    Subset("sentences only (hybrid)", ("sentences",), ("tok2vec", "parser")),
    # The quote stage reads the sentences and the entities (speaker names); stance is left out.
    Subset("quotes (no stance)", ("sentences", "entities", "quotes"), ()),
    # Every stage, the parser only over the sentences that can hold an attribution.
    Subset(
        'all stages, parse = "candidates"',
        ("sentences", "entities", "quotes", "stance"),
        (),
        (("nlp.parse", "candidates"),),
    ),
)
"""The subsets ``newspipe bench`` times by default."""


@dataclass
class SubsetRow:
    """A stage subset beside the matching bare spaCy configuration, timed alternately."""

    name: str
    stages: list[str]
    components: list[str]
    """The model components the subset runs (the builder enables only what its stages read)."""
    bare_components: list[str]
    words_per_s: Spread
    spacy_words_per_s: Spread
    ratio_to_spacy: float
    """The median of :attr:`ratios`."""
    ratios: Spread = field(default_factory=lambda: Spread.of([]))
    """Batch by batch, the subset's words/s over the bare model's on the same batch, timed
    one right after the other: a machine that slows down or speeds up during the run moves
    both sides of a pair, so these vary less than the two rows' medians do."""


@dataclass
class BenchReport:
    """Everything ``newspipe bench`` measured; ``to_dict`` is the ``--output`` JSON."""

    model: str
    stages: dict[str, str]
    docs: int
    words: int
    words_definition: str
    batch_size: int
    repeats: int
    warmup: int
    rows: list[Row]
    scaling: list[Scaling]
    machine: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Documents left out because a stage failed on them (``source: message``)."""
    subsets: list[SubsetRow] = field(default_factory=list)
    engine: list[EngineRow] = field(default_factory=list)
    capacity: list[float] = field(default_factory=list)
    """Cores' worth of CPU that N busy processes got, N the largest process count, probed
    before and after the engine runs (:func:`parallel_capacity`)."""

    def row(self, name: str) -> Row:
        return next(row for row in self.rows if row.name == name)

    @property
    def ratio(self) -> float | None:
        """The full pipeline's median words/s over the bare model's (None: not measured)."""
        if not any(row.name == PIPELINE for row in self.rows):
            return None
        return self.row(PIPELINE).ratio_to_spacy

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (a figure that could not be measured is ``None``)."""
        return _finite(asdict(self))


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if numpy.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


@dataclass
class _Samples:
    """Raw measurements of one row."""

    words_per_s: list[float] = field(default_factory=list)
    docs_per_s: list[float] = field(default_factory=list)
    latency_s: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, words: int, docs: int, seconds: float) -> None:
        """One timed batch (a batch too fast for the clock to see is left out)."""
        self.seconds += seconds
        if seconds > 0:
            self.words_per_s.append(words / seconds)
            self.docs_per_s.append(docs / seconds)


def machine_info() -> dict[str, Any]:
    """The CPU, core count and software versions the figures were measured with."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "platform": platform.platform(),
    }


def _status_mb(key: str) -> float | None:
    """A ``/proc/self/status`` memory figure (``VmRSS``, ``VmHWM``) in MB, where there is one."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB.

    Linux's ``VmHWM`` where available: unlike ``ru_maxrss`` it starts afresh in a spawned
    process (``ru_maxrss`` keeps the high-water mark of the parent it was forked from)."""
    peak = _status_mb("VmHWM")
    if peak is not None:
        return peak
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def reset_peak() -> bool:
    """Set the peak RSS back to the current RSS (Linux ``clear_refs``); False if impossible."""
    try:
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")
    except OSError:
        return False
    return True


def parse_n_process(value: str) -> list[int]:
    """``"1,2"`` → ``[1, 2]``; raises ``ValueError`` for anything but positive integers."""
    numbers = [int(part) for part in value.split(",") if part.strip()]
    if not numbers or any(n < 1 for n in numbers):
        raise ValueError(f"expected positive integers separated by commas, not '{value}'")
    return sorted(set(numbers))


def batches(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def alternative_backends(
    nlp: Language,
) -> tuple[dict[str, dict[str, Callable[[Doc], Doc]]], list[str]]:
    """For each newspipe component, the other registered backends of its stage, built with
    their default settings: ``{component: {factory: component}}``, and a line for each
    backend that cannot be built that way (one that needs a trained model, say)."""
    found: dict[str, dict[str, Callable[[Doc], Doc]]] = {}
    unbuilt: list[str] = []
    for name in nlp.pipe_names:
        factory = nlp.get_pipe_meta(name).factory
        built = {}
        for other in sorted(alternatives(factory)):
            try:
                component = nlp.create_pipe(other, name=f"bench_{other}")
                if hasattr(component, "initialize"):
                    component.initialize()  # its data files are read now, not while timed
                built[other] = component
            except Exception as err:  # any backend that its defaults cannot build
                message = str(err).strip().splitlines()[0][:200] if str(err).strip() else ""
                unbuilt.append(f"{other} not timed: {type(err).__name__}: {message}")
        if built:
            found[name] = built
    return found, unbuilt


@Language.component(PORTABLE_FACTORY)
def portable_user_data(doc: Doc) -> Doc:
    """Replace Span values of extension attributes by ``(start_char, end_char)``, so that a
    Doc can be serialized (``nlp.pipe(n_process>1)`` sends docs between processes)."""
    for key, value in list(doc.user_data.items()):
        if isinstance(value, Span):
            doc.user_data[key] = (value.start_char, value.end_char)
    return doc


def _serializable(doc: Doc) -> bool:
    try:
        doc.to_bytes()
    except (TypeError, ValueError):
        return False
    return True


def run_bench(
    documents: Sequence[Document],
    config_path: str | Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    batch_size: int | None = None,
    n_process: Sequence[int] = (1,),
    repeats: int = 5,
    warmup: int = 1,
    memory: bool = True,
    alternatives: bool = True,
    subsets: Sequence[Subset] = (),
    progress: Progress | None = None,
    engine_sizes: Sequence[int] = (),
    engine_repeats: int = 1,
    engine_only: bool = False,
) -> BenchReport:
    """Measure the configured pipeline and the bare model on ``documents``.

    With a process count above 1 in ``n_process``, ``newspipe extract`` itself is also run
    (:func:`engine_rows`) at each of ``engine_sizes`` (the first so many documents; default:
    all), ``engine_repeats`` times; ``engine_only`` measures nothing else.

    Raises :class:`newspipe.pipeline.errors.PipelineError` for a bad config or model and
    ``ValueError`` for bad settings (no documents, repeats < 1 …).
    """
    if not documents:
        raise ValueError("no documents to benchmark")
    if repeats < 1 or warmup < 0 or engine_repeats < 1:
        raise ValueError("repeats must be at least 1 and warmup at least 0")
    n_process = sorted(set(n_process)) or [1]
    if engine_only and max(n_process) < 2:
        raise ValueError("the engine runs compare process counts: give one above 1, e.g. 1,2")
    sizes = sorted({min(n, len(documents)) for n in engine_sizes}) or [len(documents)]
    if sizes[0] < 1:
        raise ValueError("engine corpus sizes must be at least 1")
    config = load_config(config_path, overrides)
    nlp = build_pipeline(config)
    size = batch_size or nlp.batch_size
    if size < 1:
        raise ValueError("batch size must be at least 1")
    if engine_only:
        return _engine_report(
            nlp, config, documents, config_path, overrides, size, n_process, sizes,
            engine_repeats, progress,
        )  # fmt: skip
    bare = load_model(config["nlp"]["model"])
    docs, skipped = _runnable(nlp, documents, size)
    groups = batches(docs, size)
    alts, unbuilt = alternative_backends(nlp) if alternatives else ({}, [])
    extra = [n for n in n_process if n > 1]
    latency_rounds = min(repeats, -(-LATENCY_SAMPLES // len(docs)))
    total_steps = (
        (warmup + repeats) * len(groups)
        + latency_rounds * len(docs)
        + repeats * len(extra)
        + (engine_repeats * len(sizes) * len(n_process) + 2 if extra else 0)
        + (2 if memory else 0)
        + (warmup + repeats) * len(subsets)
    )
    done = 0

    def step(description: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(description, done, total_steps)

    def full_doc(document: Document) -> Doc:
        return make_doc(nlp, document)

    rows: dict[str, _Samples] = {BASELINE: _Samples(), PIPELINE: _Samples()}
    stage_samples: dict[str, _Samples] = {}
    alt_samples: dict[str, _Samples] = {}
    stages_total = _Samples()
    corpus_seconds = {BASELINE: [0.0] * repeats, PIPELINE: [0.0] * repeats}
    words_total = 0

    def timed_pipe(model: Language, group: Sequence[Document]) -> tuple[float, int]:
        start = time.perf_counter()
        if model is bare:
            out = list(model.pipe((d.text for d in group), batch_size=size))
        else:
            out = list(model.pipe((full_doc(d) for d in group), batch_size=size))
        return time.perf_counter() - start, count_words(out)

    notes: list[str] = list(unbuilt)
    memory_mb = (
        _memory(config_path, overrides, docs, size, step, notes)
        if memory
        else ({}, {BASELINE: None})
    )
    for epoch in range(warmup + repeats):
        measuring = epoch >= warmup
        for n, group in enumerate(groups):
            order = (bare, nlp) if (epoch + n) % 2 == 0 else (nlp, bare)
            results = {id(model): timed_pipe(model, group) for model in order}
            _, times = time_components(
                nlp, group, batch_size=size, make_doc=full_doc, alternatives=alts
            )
            step("warm-up" if not measuring else f"repeat {epoch - warmup + 1}/{repeats}")
            if not measuring:
                continue
            if epoch == warmup:
                words_total += times.words
            for name, model in ((BASELINE, bare), (PIPELINE, nlp)):
                seconds, words = results[id(model)]
                rows[name].add(words, len(group), seconds)
                corpus_seconds[name][epoch - warmup] += seconds
            for stage, seconds in times.by_stage(nlp).items():
                samples = stage_samples.setdefault(stage, _Samples())
                samples.add(times.words, len(group), seconds)
            stages_total.add(times.words, len(group), times.total)
            for key, seconds in times.alternative_seconds.items():
                alt_samples.setdefault(key, _Samples()).add(times.words, len(group), seconds)

    for repeat in range(latency_rounds):
        for document in docs:
            _, times = time_components(bare, [document.text], batch_size=1)
            rows[BASELINE].latency_s.append(times.total)
            _, times = time_components(nlp, [document], batch_size=1, make_doc=full_doc)
            rows[PIPELINE].latency_s.append(times.total)
            stages_total.latency_s.append(times.total)
            for stage, seconds in times.by_stage(nlp).items():
                stage_samples.setdefault(stage, _Samples()).latency_s.append(seconds)
            step(f"latency {repeat + 1}/{latency_rounds}")

    scaling = _scaling(
        nlp, bare, docs, size, extra, repeats, corpus_seconds, words_total, notes, step
    )
    engine: list[EngineRow] = []
    capacity: list[float] = []
    if extra:
        engine, capacity = engine_rows(
            nlp, docs, config_path, overrides, size, n_process, sizes, engine_repeats, step
        )
    stance = [c for n, c in nlp.pipeline if stage_of(nlp, n) == "stance"]
    if stance and not any(d.target for d in docs) and not getattr(stance[0], "target", None):
        notes.append(
            "no stance target was given (the documents bring none and the config sets none): "
            "the stance stage had nothing to do"
        )
    subset_rows = [
        _subset_row(subset, config_path, overrides, docs, size, repeats, warmup, step)
        for subset in subsets
    ]
    report_rows = _rows(nlp, bare, rows, stage_samples, stages_total, alt_samples, memory_mb)
    return BenchReport(
        model=config["nlp"]["model"],
        stages={name: nlp.get_pipe_meta(name).factory for name in config["nlp"]["stages"]},
        docs=len(docs),
        words=words_total,
        words_definition=WORDS,
        batch_size=size,
        repeats=repeats,
        warmup=warmup,
        rows=report_rows,
        scaling=scaling,
        machine=machine_info(),
        notes=notes,
        skipped=skipped,
        subsets=subset_rows,
        engine=engine,
        capacity=capacity,
    )


def _subset_row(
    subset: Subset,
    config_path: str | Path | None,
    overrides: Mapping[str, Any] | None,
    docs: Sequence[Document],
    size: int,
    repeats: int,
    warmup: int,
    step: Callable[[str], None],
) -> SubsetRow:
    """Time ``subset`` and its matching bare model batch by batch, in alternating order."""
    settings = {
        **dict(overrides or {}),
        **dict(subset.overrides),
        "nlp.stages": list(subset.stages),
    }
    config = load_config(config_path, settings)
    nlp = build_pipeline(config)
    bare = load_model(config["nlp"]["model"])
    for name in list(bare.pipe_names):
        if subset.bare and name not in subset.bare:
            bare.disable_pipe(name)
    stage_names = set(config["nlp"]["stages"])
    samples = {"subset": _Samples(), "bare": _Samples()}
    ratios: list[float] = []
    for epoch in range(warmup + repeats):
        for n, group in enumerate(batches(docs, size)):
            runs = [("bare", bare), ("subset", nlp)]
            rates: dict[str, float] = {}
            for key, model in runs if (epoch + n) % 2 == 0 else runs[::-1]:
                start = time.perf_counter()
                if model is bare:
                    out = list(bare.pipe((d.text for d in group), batch_size=size))
                else:
                    out = list(nlp.pipe((make_doc(nlp, d) for d in group), batch_size=size))
                seconds = time.perf_counter() - start
                if epoch >= warmup:
                    words = count_words(out)
                    samples[key].add(words, len(group), seconds)
                    if seconds > 0:
                        rates[key] = words / seconds
            if len(rates) == 2 and rates["bare"] > 0:
                ratios.append(rates["subset"] / rates["bare"])
        step(f"{subset.name} {'warm-up' if epoch < warmup else epoch - warmup + 1}")
    mine, theirs = Spread.of(samples["subset"].words_per_s), Spread.of(samples["bare"].words_per_s)
    paired = Spread.of(ratios)
    return SubsetRow(
        name=subset.name,
        stages=list(config["nlp"]["stages"]),
        components=[n for n in nlp.pipe_names if n not in stage_names],
        bare_components=list(bare.pipe_names),
        words_per_s=mine,
        spacy_words_per_s=theirs,
        ratio_to_spacy=paired.median,
        ratios=paired,
    )


def _runnable(
    nlp: Language, documents: Sequence[Document], size: int
) -> tuple[list[Document], list[str]]:
    """The documents the pipeline runs on without an error, and a line for each other one."""
    docs: list[Document] = []
    skipped: list[str] = []
    results = extract_records(nlp, documents, batch_size=size)
    for document, result in zip(documents, results, strict=True):
        if isinstance(result, InputProblem):
            skipped.append(str(result))
        else:
            docs.append(document)
    if not docs:
        raise ValueError(f"the pipeline failed on every document ({skipped[0]})")
    return docs, skipped


def _scaling(
    nlp: Language,
    bare: Language,
    docs: Sequence[Document],
    size: int,
    extra: Sequence[int],
    repeats: int,
    corpus_seconds: Mapping[str, Sequence[float]],
    words: int,
    notes: list[str],
    step: Callable[[str], None],
) -> list[Scaling]:
    """Whole-corpus words/s per number of processes with ``nlp.pipe(n_process=N)``; for one
    process they come from the batch runs. (What ``newspipe extract`` does with N workers is
    measured by :func:`engine_rows`.)"""
    if not extra:
        return []
    single = {name: [words / s for s in seconds] for name, seconds in corpus_seconds.items()}
    results = [(1, single[BASELINE], single[PIPELINE])]
    portable = all(_serializable(make_doc(nlp, d)) for d in docs[:1]) and _serializable(
        nlp(make_doc(nlp, docs[0]))
    )
    added = False
    if not portable:
        nlp.add_pipe(PORTABLE_FACTORY, name="bench_portable", last=True)
        added = True
        notes.append(
            "the pipeline's docs hold Span objects in extension attributes, which "
            "nlp.pipe(n_process>1) cannot send between processes; the n_process>1 runs add "
            f"a last step ({PORTABLE_FACTORY}) that stores them as character offsets"
        )
    try:
        for n in extra:
            spacy_wps: list[float] = []
            pipeline_wps: list[float] = []
            for repeat in range(repeats):
                start = time.perf_counter()
                list(bare.pipe((d.text for d in docs), batch_size=size, n_process=n))
                spacy_wps.append(words / (time.perf_counter() - start))
                start = time.perf_counter()
                list(nlp.pipe((make_doc(nlp, d) for d in docs), batch_size=size, n_process=n))
                pipeline_wps.append(words / (time.perf_counter() - start))
                step(f"{n} processes {repeat + 1}/{repeats}")
            results.append((n, spacy_wps, pipeline_wps))
    finally:
        if added:
            nlp.remove_pipe("bench_portable")
    base = float(numpy.median(results[0][2]))
    scaling = []
    for n, spacy_wps, pipeline_wps in results:
        spacy_spread, pipeline_spread = Spread.of(spacy_wps), Spread.of(pipeline_wps)
        scaling.append(
            Scaling(
                n_process=n,
                spacy_words_per_s=spacy_spread,
                pipeline_words_per_s=pipeline_spread,
                ratio_to_spacy=pipeline_spread.median / spacy_spread.median,
                speedup=pipeline_spread.median / base,
            )
        )
    return scaling


# -- the engine, whole process -------------------------------------------------------------

CAPACITY_LOOP = 5_000_000
"""Iterations of the busy loop of :func:`parallel_capacity` (about half a second)."""


def parallel_capacity(n: int, loop: int = CAPACITY_LOOP) -> float:
    """Cores' worth of CPU that ``n`` busy processes get on this machine now: ``n`` times the
    wall time of one busy loop alone over the wall time of ``n`` of them at once (about ``n``
    on an idle machine with ``n`` cores; less when other work shares them)."""
    script = f"for i in range({loop}): pass"

    def wall(count: int) -> float:
        start = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-S", "-c", script]) for _ in range(count)]
        for proc in procs:
            proc.wait()
        return time.perf_counter() - start

    alone = wall(1)
    return n * alone / wall(n) if n > 1 else 1.0


def load_average() -> float | None:
    """The 1-minute load average, where there is one."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def extract_command(
    corpus: Path,
    output: Path,
    n_process: int,
    batch_size: int,
    config_path: str | Path | None,
    overrides: Mapping[str, Any] | None,
) -> list[str]:
    """The ``newspipe extract`` command line of an engine run (overrides as ``--key JSON``)."""
    command = [sys.executable, "-m", "newspipe", "extract", str(corpus), "-o", str(output)]
    command += ["-n", str(n_process), "--batch-size", str(batch_size), "--no-progress"]
    if config_path is not None:
        command += ["--config", str(Path(config_path).resolve())]
    for key, value in (overrides or {}).items():
        command += [f"--{key}", json.dumps(value)]
    return command


def write_corpus(documents: Iterable[Document], path: Path) -> None:
    """Documents as a JSONL corpus ``{id, text, target?}`` (what ``newspipe extract`` reads)."""
    with path.open("w", encoding="utf-8") as out:
        for document in documents:
            row: dict[str, Any] = {"id": document.id, "text": document.text}
            if document.target is not None:
                row["target"] = (
                    document.target if isinstance(document.target, str) else list(document.target)
                )
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def engine_rows(
    nlp: Language,
    docs: Sequence[Document],
    config_path: str | Path | None,
    overrides: Mapping[str, Any] | None,
    size: int,
    n_process: Sequence[int],
    sizes: Sequence[int],
    repeats: int,
    step: Callable[[str], None],
) -> tuple[list[EngineRow], list[float]]:
    """``newspipe extract`` with each of ``n_process`` (1 included) at each corpus size, in
    fresh process trees, and the machine's parallel capacity before and after (see the
    module docstring)."""
    counts = sorted({1, *n_process})
    capacity = [parallel_capacity(counts[-1])]
    step("parallel capacity")
    runs: dict[tuple[int, int], list[Any]] = {}
    digests: dict[tuple[int, int], list[str]] = {}
    loads: dict[tuple[int, int], list[float]] = {}
    shown: dict[int, str] = {}
    with tempfile.TemporaryDirectory(prefix="newspipe-bench-") as folder:
        work = Path(folder)
        for count in sizes:
            write_corpus(docs[:count], work / f"corpus_{count}.jsonl")
        for repeat in range(repeats):
            for count in sizes:
                for n in counts if repeat % 2 == 0 else counts[::-1]:
                    corpus, output = work / f"corpus_{count}.jsonl", work / f"out_{n}.jsonl"
                    command = extract_command(corpus, output, n, size, config_path, overrides)
                    shown[n] = " ".join(
                        ["newspipe extract CORPUS.jsonl -o OUT.jsonl", *command[7:]]
                    )
                    loads.setdefault((count, n), []).append(load_average() or float("nan"))
                    run = run_sampled(command, cwd=work, quiet=True)
                    if run.returncode not in (0, 2) or not output.exists():  # 2: bad documents
                        raise ValueError(
                            f"newspipe extract -n {n} failed (exit {run.returncode}); run "
                            "it alone to see why"
                        )
                    digest = hashlib.sha256(output.read_bytes()).hexdigest()
                    digests.setdefault((count, n), []).append(digest)
                    runs.setdefault((count, n), []).append(run)
                    output.unlink()
                    step(f"newspipe extract, {count} docs, -n {n} ({repeat + 1}/{repeats})")
    capacity.append(parallel_capacity(counts[-1]))
    step("parallel capacity")
    rows = []
    for count in sizes:
        words = count_words(nlp.make_doc(d.text) for d in docs[:count])
        reference = digests[(count, 1)][0]
        base: float | None = None
        for n in counts:
            measured = runs[(count, n)]
            seconds = [run.wall_s for run in measured]
            docs_per_s = Spread.of([count / s for s in seconds])
            workers = [run.peak_of("worker") for run in measured]
            mains = [run.peak_of("main") for run in measured]
            base = docs_per_s.median if n == 1 else base
            speedup = docs_per_s.median / base if base else None
            rows.append(
                EngineRow(
                    docs=count,
                    words=words,
                    n_process=n,
                    command=shown[n],
                    wall_s=seconds,
                    docs_per_s=docs_per_s,
                    words_per_s=Spread.of([words / s for s in seconds]),
                    cpu_s=Spread.of([run.cpu_s for run in measured]),
                    main_cpu_s=Spread.of([run.cpu_of("main") for run in measured]),
                    peak_tree_mb=Spread.of([run.peak_tree_mb for run in measured]),
                    peak_main_mb=max((m for m in mains if m is not None), default=None),
                    peak_worker_mb=max((w for w in workers if w is not None), default=None),
                    workers=max(run.count("worker") for run in measured),
                    load=loads[(count, n)],
                    speedup=speedup,
                    efficiency=speedup / n if speedup is not None else None,
                    identical=all(d == reference for d in digests[(count, n)]),
                )
            )
    return rows, capacity


def _engine_report(
    nlp: Language,
    config: Any,
    documents: Sequence[Document],
    config_path: str | Path | None,
    overrides: Mapping[str, Any] | None,
    size: int,
    n_process: Sequence[int],
    sizes: Sequence[int],
    repeats: int,
    progress: Progress | None,
) -> BenchReport:
    """A report of the engine runs alone (``engine_only``)."""
    total = repeats * len(sizes) * len(set([1, *n_process])) + 2
    done = 0

    def step(description: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(description, done, total)

    engine, capacity = engine_rows(
        nlp, documents, config_path, overrides, size, n_process, sizes, repeats, step
    )
    largest = engine[-1] if engine else None
    return BenchReport(
        model=config["nlp"]["model"],
        stages={name: nlp.get_pipe_meta(name).factory for name in config["nlp"]["stages"]},
        docs=largest.docs if largest else 0,
        words=largest.words if largest else 0,
        words_definition=WORDS,
        batch_size=size,
        repeats=repeats,
        warmup=0,
        rows=[],
        scaling=[],
        machine=machine_info(),
        engine=engine,
        capacity=capacity,
    )


def _rows(
    nlp: Language,
    bare: Language,
    rows: Mapping[str, _Samples],
    stages: Mapping[str, _Samples],
    stages_total: _Samples,
    alternatives: Mapping[str, _Samples],
    memory_mb: tuple[Mapping[str, float], Mapping[str, float | None]],
) -> list[Row]:
    stage_memory, process_memory = memory_mb
    spacy_wps = Spread.of(rows[BASELINE].words_per_s).median
    total_seconds = sum(s.seconds for s in stages.values())

    def make(name: str, kind: str, backend: str, samples: _Samples, **extra: Any) -> Row:
        wps = Spread.of(samples.words_per_s)
        latency = numpy.asarray(samples.latency_s) * 1000
        return Row(
            name=name,
            kind=kind,
            backend=backend,
            words_per_s=wps,
            docs_per_s=Spread.of(samples.docs_per_s),
            latency_ms_p50=float(numpy.quantile(latency, 0.5)) if latency.size else None,
            latency_ms_p95=float(numpy.quantile(latency, 0.95)) if latency.size else None,
            ratio_to_spacy=wps.median / spacy_wps,
            **extra,
        )

    result = [
        make(
            BASELINE,
            "baseline",
            " + ".join(bare.pipe_names),
            rows[BASELINE],
            peak_rss_mb=process_memory.get(BASELINE),
        ),
        make(
            PIPELINE,
            "pipeline",
            " + ".join(nlp.pipe_names),
            rows[PIPELINE],
            peak_rss_mb=process_memory.get(PIPELINE),
        ),
    ]
    ordered = sorted(stages, key=lambda s: STAGE_ORDER.index(s) if s in STAGE_ORDER else 99)
    for stage in ordered:
        samples = stages[stage]
        components = [n for n in (TOKENIZER, *nlp.pipe_names) if stage_of(nlp, n) == stage]
        result.append(
            make(
                stage,
                "stage",
                " + ".join(_backend_name(nlp, n) for n in components),
                samples,
                share=samples.seconds / total_seconds if total_seconds else None,
                peak_rss_mb=max(stage_memory.get(c, 0.0) for c in components)
                if stage_memory
                else None,
            )
        )
    result.append(make(STAGES_TOTAL, "total", "component by component", stages_total, share=1.0))
    for key, samples in sorted(alternatives.items()):
        component, factory = key.split(":", 1)
        result.append(make(stage_of(nlp, component), "alternative", factory, samples))
    return result


def _backend_name(nlp: Language, component: str) -> str:
    """A newspipe component by its factory (the backend), a model component by its name."""
    if component in nlp.pipe_names:
        factory = nlp.get_pipe_meta(component).factory
        if backend(factory) is not None:
            return factory
    return component


def _memory(
    config_path: str | Path | None,
    overrides: Mapping[str, Any] | None,
    docs: Sequence[Document],
    size: int,
    step: Callable[[str], None],
    notes: list[str],
) -> tuple[dict[str, float], dict[str, float | None]]:
    """Peak RSS of the bare model and of the pipeline, each in a fresh process, and per
    component its working memory (see :func:`_pipeline_memory`)."""
    payload = [(d.text, d.target) for d in docs]
    context = get_context("spawn")
    process_memory: dict[str, float | None] = {}
    per_component: dict[str, float] = {}
    try:
        with ProcessPoolExecutor(1, mp_context=context) as pool:
            process_memory[BASELINE] = pool.submit(
                _bare_memory, config_path, dict(overrides or {}), payload, size
            ).result()
        step("memory: bare model")
        with ProcessPoolExecutor(1, mp_context=context) as pool:
            peak, per_component = pool.submit(
                _pipeline_memory, config_path, dict(overrides or {}), payload, size
            ).result()
        step("memory: pipeline")
        process_memory[PIPELINE] = peak
    except BrokenProcessPool:
        notes.append("memory not measured: the measuring process died (out of memory?)")
    except Exception as err:  # the fresh process could not build the pipeline
        message = str(err).strip().splitlines()[-1][:200] if str(err).strip() else ""
        notes.append(f"memory not measured: {type(err).__name__}: {message}")
    return per_component, process_memory


def _bare_memory(
    config_path: str | Path | None,
    overrides: dict[str, Any],
    payload: Sequence[tuple[str, str | tuple[str, ...] | None]],
    size: int,
) -> float:
    """In a fresh process: load the bare model, run ``nlp.pipe``, return the peak RSS."""
    bare = load_model(load_config(config_path, overrides)["nlp"]["model"])
    for group in batches(payload, size):
        list(bare.pipe((text for text, _ in group), batch_size=size))
    return peak_rss_mb()


def _pipeline_memory(
    config_path: str | Path | None,
    overrides: dict[str, Any],
    payload: Sequence[tuple[str, str | tuple[str, ...] | None]],
    size: int,
) -> tuple[float, dict[str, float]]:
    """In a fresh process: build the pipeline, run it component by component, and return the
    peak RSS and, per component, its working memory: how far the peak rose above the resident
    size it started from (the largest over the batches)."""
    nlp = build_pipeline(load_config(config_path, overrides))
    working: dict[str, float] = {}
    overall = peak_rss_mb()

    def start() -> float:
        nonlocal overall
        overall = max(overall, peak_rss_mb())
        resident = _status_mb("VmRSS") if reset_peak() else None
        return peak_rss_mb() if resident is None else resident

    def stop(name: str, before: float) -> None:
        working[name] = max(working.get(name, 0.0), peak_rss_mb() - before)

    for group in batches(payload, size):
        before = start()
        docs = [
            make_doc(nlp, Document(id=str(i), text=text, target=target))
            for i, (text, target) in enumerate(group)
        ]
        stop(TOKENIZER, before)
        for name, component in nlp.pipeline:
            before = start()
            if hasattr(component, "pipe"):
                docs = list(component.pipe(docs, batch_size=size))
            else:
                docs = [component(doc) for doc in docs]
            stop(name, before)
    return max(overall, peak_rss_mb()), working


def iter_documents(items: Iterable[Any]) -> tuple[list[Document], list[InputProblem]]:
    """Split read items into documents and problems."""
    documents: list[Document] = []
    problems: list[InputProblem] = []
    for item in items:
        if isinstance(item, Document):
            documents.append(item)
        else:
            problems.append(item)
    return documents, problems
