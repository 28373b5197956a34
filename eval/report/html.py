"""The HTML report of a score run: one self-contained page (``templates/score.html.j2``, on the
base template the article view shares) with

- charts as inline SVG: F1 of every stage with its bootstrap interval, isolated beside end to
  end; words per second of every stage (log axis); quote F1 per type;
- the score table with intervals, the stance confusion matrices shaded by row share, and the
  throughput table;
- every error in context — one list per stage when the modes made the same errors, one per
  mode when they differ — with, for quotes and stance, the gold and the predicted speaker, cue
  and stance and the stance's evidence;
- each document (the first :data:`MAX_DOCUMENTS`) with gold beside prediction: sentence
  boundaries, entities drawn by displaCy, quotes highlighted with cue, speaker and stance.

Text from data is escaped by the templates' autoescaping; a ``<script>`` in an article is
shown, never run (and the page's content security policy allows no script anyway).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from newspipe.eval.report.article import (
    Piece,
    QuoteRow,
    entities_markup,
    quote_pieces,
    quote_rows,
    stance_class,
)
from newspipe.eval.report.charts import BarChart, HeatTable, bar_chart, heat_table
from newspipe.eval.report.pages import render_page
from newspipe.eval.report.tables import (
    Row,
    confusion_tables,
    error_lists,
    format_value,
    metric_rows,
    modes_label,
    throughput_rows,
)
from newspipe.eval.run import ScoreRun
from newspipe.eval.scorers.sentences import boundaries, sentence_spans
from newspipe.eval.timing import WORDS
from newspipe.pipeline.records import Record

MAX_DOCUMENTS = 200
"""Documents drawn in full; the error lists always hold every error."""

STAGE_F1 = (
    ("sentences", "sentences: boundary F1", "sents_f"),
    ("entities", "entities: strict F1", "ents_f"),
    ("quotes", "quotes: content F1", "quotes_f"),
    ("stance", "stance: macro-F1", "stance_macro_f"),
)
"""The headline figure of each stage, drawn in the first chart."""
STAGE_ORDER = ("model", "sentences", "entities", "quotes", "stance")


# --------------------------------------------------------------------------- charts


def stage_chart(result: Mapping[str, Any]) -> BarChart | None:
    """Each scored stage's headline F1 with its interval, one bar per mode."""
    modes = list(result["modes"])
    scored = result["dataset"]["scored"]
    groups = []
    for stage, label, key in STAGE_F1:
        if stage in scored:
            values = [
                (
                    result["modes"][mode]["metrics"].get(key),
                    result["modes"][mode]["metrics"].get(f"{key}_ci"),
                )
                for mode in modes
            ]
            groups.append((label, values))
    if not groups:
        return None
    return bar_chart(
        "F1 per stage, 95% bootstrap interval",
        groups,
        modes,
        axis_label="F1",
        note="Isolated: each stage on gold input; end to end: on the stages' own predictions.",
    )


def throughput_chart(result: Mapping[str, Any]) -> BarChart | None:
    """Words per second of each stage and of the whole run, one bar per mode (log axis)."""
    modes = [m for m, data in result["modes"].items() if data.get("throughput")]
    if not modes:
        return None
    stages: list[str] = []
    for mode in modes:
        stages += [s for s in result["modes"][mode]["throughput"]["stages"] if s not in stages]
    stages.sort(key=lambda s: STAGE_ORDER.index(s) if s in STAGE_ORDER else len(STAGE_ORDER))
    groups = []
    for stage in [*stages, "all stages"]:
        values: list[tuple[float | None, None]] = []
        for mode in modes:
            timing = result["modes"][mode]["throughput"]
            entry = timing if stage == "all stages" else timing["stages"].get(stage)
            values.append((None if entry is None else entry.get("words_per_s"), None))
        groups.append((stage, values))
    return bar_chart(
        "Words per second per stage (this run)",
        groups,
        modes,
        scale="log",
        domain=None,
        value_format=lambda v, _: f"{v:,.0f} words/s",
        axis_label="words per second (log scale)",
        note=f"Words = {WORDS}. model: the spaCy model's components every stage builds on "
        "(tokenizer, tagger, parser …). One measurement per run; for spreads, newspipe bench.",
    )


def quote_type_chart(result: Mapping[str, Any]) -> BarChart | None:
    """Quote content F1 per quote type (direct, indirect, mixed), one bar per mode."""
    modes = list(result["modes"])
    tables = {m: result["modes"][m]["metrics"].get("quotes_per_type") or {} for m in modes}
    types: list[str] = []
    for table in tables.values():
        types += [t for t in table if t not in types]
    if not types:
        return None
    groups = []
    for kind in types:
        support = max(table.get(kind, {}).get("support", 0) for table in tables.values())
        values = [
            (table[kind]["f"], table[kind].get("f_ci")) if kind in table else (None, None)
            for table in tables.values()
        ]
        groups.append((f"{kind} (gold {support})", values))
    return bar_chart("Quote F1 per type, 95% bootstrap interval", groups, modes, axis_label="F1")


def confusion_heat(result: Mapping[str, Any]) -> list[tuple[str, HeatTable]]:
    """Each mode's stance confusion matrix, shaded by row share."""
    return [
        (mode, heat_table(f"Stance ({mode}): rows gold, columns predicted", labels, matrix))
        for mode, labels, matrix in confusion_tables(dict(result))
    ]


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class ErrorRow:
    """One error as the report shows it."""

    id: str
    kind: str
    detail: str
    before: str
    text: str
    after: str
    gold_quote: QuoteRow | None
    pred_quote: QuoteRow | None


@dataclass(frozen=True)
class ErrorListView:
    """A stage's errors under one heading."""

    stage: str
    modes: str
    shared: bool
    quotes: bool
    rows: list[ErrorRow]


def describe(error: Mapping[str, Any]) -> str:
    """The gold and predicted value of an error, in a few words (empty when the context and
    the quote columns say it all)."""
    gold, pred = error.get("gold"), error.get("pred")
    if "label" in error:
        if isinstance(gold, dict):
            return f"{error['label']} (gold: {gold['label']} “{gold.get('text', '')}”)"
        return str(error["label"])
    if (gold is None and pred is None) or error["kind"] in ("missed quote", "spurious quote"):
        return ""
    return f"gold: {gold if gold is not None else '—'} · predicted: {pred if pred else '—'}"


def _summary_row(summary: Mapping[str, Any] | None) -> QuoteRow | None:
    """An error's quote summary (``gold_quote``/``pred_quote``) as a row for the macros."""
    if summary is None:
        return None
    return QuoteRow(
        number=0,
        content="",
        speaker=summary.get("speaker"),
        speaker_name=summary.get("speaker_name"),
        cue=summary.get("cue"),
        type=str(summary.get("type") or "—"),
        stance=summary.get("stance"),
        stance_class=stance_class(summary.get("stance")),
        evidence=[str(line) for line in summary.get("stance_evidence") or []],
        confidence=None,
        start=0,
        end=0,
    )


def error_views(result: Mapping[str, Any]) -> list[ErrorListView]:
    """The error lists of the report (see :func:`newspipe.eval.report.tables.error_lists`)."""
    views = []
    for found in error_lists(dict(result)):
        rows = [
            ErrorRow(
                id=str(error["id"]),
                kind=error["kind"],
                detail=describe(error),
                before=error["context"][0],
                text=error["context"][1],
                after=error["context"][2],
                gold_quote=_summary_row(error.get("gold_quote")),
                pred_quote=_summary_row(error.get("pred_quote")),
            )
            for error in found.errors
        ]
        views.append(
            ErrorListView(
                found.stage,
                modes_label(found.modes),
                len(found.modes) > 1,
                found.stage in ("quotes", "stance"),
                rows,
            )
        )
    return views


# --------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class Boundary:
    """A piece of text and the sentence boundary after it (``ok``, ``fp``, ``fn`` or none)."""

    text: str
    mark: str = ""


def boundary_pieces(gold: Record, pred: Record) -> list[Boundary]:
    """The text cut at every gold or predicted sentence boundary, each marked right,
    spurious or missed."""
    text = gold["text"]
    gold_bounds = boundaries(sentence_spans(gold))
    pred_bounds = boundaries(sentence_spans(pred))
    pieces = []
    cursor = 0
    for offset in sorted(gold_bounds | pred_bounds):
        if offset in gold_bounds and offset in pred_bounds:
            mark = "ok"
        elif offset in pred_bounds:
            mark = "fp"
        else:
            mark = "fn"
        pieces.append(Boundary(text[cursor:offset], mark))
        cursor = offset
    pieces.append(Boundary(text[cursor:]))
    return pieces


@dataclass(frozen=True)
class Layer:
    """One drawing of a document: its title, the mode predicted from, and what to draw."""

    stage: str
    title: str
    mode: str
    boundaries: list[Boundary] | None = None
    gold_entities: Markup | None = None
    pred_entities: Markup | None = None
    gold_pieces: list[Piece] | None = None
    pred_pieces: list[Piece] | None = None
    gold_quotes: list[QuoteRow] | None = None
    pred_quotes: list[QuoteRow] | None = None
    missing: bool = False


@dataclass(frozen=True)
class DocumentView:
    """A document of the report: its id, target and layers."""

    id: str
    target: str | None
    layers: list[Layer]


def _mode_for(run: ScoreRun, stage: str) -> str | None:
    """The mode whose predictions are drawn for ``stage`` (end to end when it was scored)."""
    scored = [m for m, data in run.metrics["modes"].items() if stage in data["stages"]]
    if not scored:
        return None
    return "end-to-end" if "end-to-end" in scored else scored[0]


def document_view(run: ScoreRun, index: int) -> DocumentView:
    """One document's gold and predicted annotations."""
    gold = run.gold.records[index]
    layers = []
    for stage in ("sentences", "entities", "quotes", "stance"):
        mode = _mode_for(run, stage)
        if mode is None or (stage == "stance" and _mode_for(run, "quotes") == mode):
            continue  # stance is drawn with the quotes when both come from the same mode
        pred = run.predictions[mode].by_stage[stage][index]
        if pred is None:
            layers.append(Layer(stage, stage, mode, missing=True))
        elif stage == "sentences":
            layers.append(Layer(stage, "sentences", mode, boundaries=boundary_pieces(gold, pred)))
        elif stage == "entities":
            layers.append(
                Layer(
                    stage,
                    "entities",
                    mode,
                    gold_entities=entities_markup(gold),
                    pred_entities=entities_markup(pred),
                )
            )
        else:
            title = "quotes and stance" if stage == "quotes" else "stance (on gold quotes)"
            layers.append(
                Layer(
                    stage,
                    title,
                    mode,
                    gold_pieces=quote_pieces(gold),
                    pred_pieces=quote_pieces(pred),
                    gold_quotes=quote_rows(gold),
                    pred_quotes=quote_rows(pred),
                )
            )
    return DocumentView(str(gold["id"]), gold.get("target"), layers)


# --------------------------------------------------------------------------- the page


@dataclass(frozen=True)
class MetricLine:
    """A row of the score table: stage (on its first row only), metric, a cell per mode."""

    stage: str
    label: str
    cells: list[str]
    first: bool


def metric_lines(result: Mapping[str, Any]) -> list[MetricLine]:
    """The score table's rows, values formatted with their intervals."""
    modes = list(result["modes"])
    lines = []
    previous = None
    rows: Sequence[Row] = metric_rows(dict(result))
    for row in rows:
        first = row.stage != previous
        cells = [format_value(*row.cells[mode]) for mode in modes]
        lines.append(MetricLine(row.stage if first else "", row.label, cells, first))
        previous = row.stage
    return lines


def render_report(run: ScoreRun, max_documents: int = MAX_DOCUMENTS) -> str:
    """The whole report as one HTML page."""
    result = run.metrics
    count = len(run.gold.records)
    problems = result["problems"] + [p for d in result["modes"].values() for p in d["problems"]]
    charts = [
        (name, chart)
        for name, chart in (
            ("chart-stages", stage_chart(result)),
            ("chart-quote-types", quote_type_chart(result)),
            ("chart-throughput", throughput_chart(result)),
        )
        if chart is not None
    ]
    return render_page(
        "score.html.j2",
        title="newspipe score report",
        dataset=result["dataset"],
        settings=result["settings"],
        count=count,
        modes=list(result["modes"]),
        charts=charts,
        metric_lines=metric_lines(result),
        notes=result.get("notes", []),
        confusions=confusion_heat(result),
        throughput=throughput_rows(result),
        words=WORDS,
        problems=problems,
        error_lists=error_views(result),
        documents=[document_view(run, i) for i in range(min(count, max_documents))],
        max_documents=max_documents,
    )
