"""The score tables as data: rows of (stage, metric, value per mode), for the terminal and HTML.

A cell is ``(value, interval)``; ``value`` None means "not scored" and is shown as a dash.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

METRIC_ROWS: tuple[tuple[str, str, str], ...] = (
    ("sentences", "boundary P", "sents_p"),
    ("sentences", "boundary R", "sents_r"),
    ("sentences", "boundary F1", "sents_f"),
    ("sentences", "exact sentence F1", "sents_exact_f"),
    ("sentences", "documents all right", "sents_doc_acc"),
    ("entities", "strict P", "ents_p"),
    ("entities", "strict R", "ents_r"),
    ("entities", "strict F1", "ents_f"),
    ("entities", "exact-boundary F1", "ents_exact_f"),
    ("entities", "partial F1", "ents_partial_f"),
    ("entities", "type F1", "ents_type_f"),
    ("quotes", "content P (overlap)", "quotes_p"),
    ("quotes", "content R (overlap)", "quotes_r"),
    ("quotes", "content F1 (overlap)", "quotes_f"),
    ("quotes", "content F1 (exact)", "quotes_exact_f"),
    ("quotes", "cue accuracy", "cue_acc"),
    ("quotes", "speaker accuracy", "speaker_acc"),
    ("quotes", "speaker name accuracy", "speaker_name_acc"),
    ("quotes", "type accuracy", "quote_type_acc"),
    ("stance", "accuracy", "stance_acc"),
    ("stance", "macro-F1", "stance_macro_f"),
    ("stance", "majority baseline accuracy", "stance_majority_acc"),
    ("stance", "majority baseline macro-F1", "stance_majority_macro_f"),
    ("stance", "VADER baseline accuracy", "stance_vader_acc"),
    ("stance", "VADER baseline macro-F1", "stance_vader_macro_f"),
    ("stance", "quotes scored", "stance_n"),
    ("stance", "gold stances reached", "stance_coverage"),
)
"""(stage, label, metric key) of the rows shown, in order."""

PER_LABEL_KEYS = {
    "entities": "ents_per_type",
    "quotes": "quotes_per_type",
    "stance": "stance_per_label",
}


@dataclass(frozen=True)
class Row:
    """One table row: a metric of a stage and its value (and interval) per mode."""

    stage: str
    label: str
    key: str
    cells: dict[str, tuple[Any, list[float] | None]]


def metric_rows(result: dict[str, Any]) -> list[Row]:
    """The rows of every scored stage, with a cell per mode of ``result``: its metrics, then
    its F1 per label (entity label, quote type, stance label)."""
    modes = result["modes"]
    rows = []
    for stage in result["dataset"]["scored"]:
        for row_stage, label, key in METRIC_ROWS:
            if row_stage == stage:
                cells = {
                    mode: (data["metrics"].get(key), data["metrics"].get(f"{key}_ci"))
                    for mode, data in modes.items()
                }
                rows.append(Row(stage, label, key, cells))
        rows.extend(_per_label_rows(stage, modes))
    return rows


def _per_label_rows(stage: str, modes: dict[str, Any]) -> list[Row]:
    key = PER_LABEL_KEYS.get(stage)
    if key is None:
        return []
    tables = {mode: data["metrics"].get(key) or {} for mode, data in modes.items()}
    labels: list[str] = []
    for table in tables.values():
        labels += [name for name in table if name not in labels]
    rows = []
    for name in labels:
        cells: dict[str, tuple[Any, list[float] | None]] = {
            mode: (table[name]["f"], table[name].get("f_ci")) if name in table else (None, None)
            for mode, table in tables.items()
        }
        support = max(table.get(name, {}).get("support", 0) for table in tables.values())
        rows.append(Row(stage, f"F1 {name} (gold {support})", f"{key}.{name}", cells))
    return rows


def format_value(value: Any, interval: list[float] | None = None) -> str:
    """``0.812 [0.750–0.871]``, an integer as is, or a dash for None."""
    if value is None:
        return "—"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = f"{value:.3f}"
    if interval is not None:
        text += f" [{interval[0]:.3f}–{interval[1]:.3f}]"
    return text


def throughput_rows(result: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    """(stage, {mode: "words/s"}) for each stage timed in any mode, then the total."""
    stages: list[str] = []
    for data in result["modes"].values():
        for stage in (data.get("throughput") or {}).get("stages") or {}:
            if stage not in stages:
                stages.append(stage)
    order = ("sentences", "entities", "quotes", "stance")
    stages.sort(key=lambda s: order.index(s) if s in order else len(order))
    rows = []
    for stage in [*stages, "all stages"]:
        cells = {}
        for mode, data in result["modes"].items():
            timing = data.get("throughput")
            if not timing:
                cells[mode] = "—"
                continue
            entry = timing if stage == "all stages" else timing["stages"].get(stage)
            speed = None if entry is None else entry.get("words_per_s")
            cells[mode] = "—" if speed is None else f"{speed:,.0f}"
        rows.append((stage, cells))
    return rows


def confusion_tables(result: dict[str, Any]) -> list[tuple[str, list[str], list[list[int]]]]:
    """(mode, labels, matrix) of each mode's stance confusion matrix (rows gold, columns
    predicted)."""
    tables = []
    for mode, data in result["modes"].items():
        confusion = data["metrics"].get("stance_confusion")
        if confusion:
            tables.append((mode, confusion["labels"], confusion["matrix"]))
    return tables


@dataclass(frozen=True)
class ErrorList:
    """The errors of one stage, shared by ``modes`` (one list when the modes made the same
    errors, one per mode when they differ)."""

    stage: str
    modes: tuple[str, ...]
    errors: list[dict[str, Any]]


def _error_key(error: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two errors the same: where, what kind, gold and predicted values, and the
    predicted quote's speaker, cue and type (its stance only in a stance error: the quote stage
    is scored isolated before any stance is predicted)."""
    quote = error.get("pred_quote") or {}
    fields = ["speaker", "speaker_name", "cue", "type"]
    if error["kind"] == "wrong stance":
        fields += ["stance", "stance_evidence"]
    return (
        error["id"],
        error["kind"],
        error["start"],
        error["end"],
        repr(error.get("gold")),
        repr(error.get("pred")),
        repr(error.get("label")),
        repr([quote.get(key) for key in fields]),
    )


def error_lists(result: dict[str, Any]) -> list[ErrorList]:
    """Every stage's errors, stage by stage: one list for all modes when they are the same
    errors (see :func:`_error_key`), else one list per mode."""
    stages: list[str] = []
    for data in result["modes"].values():
        stages += [stage for stage in data["errors"] if stage not in stages]
    order = ("sentences", "entities", "quotes", "stance")
    stages.sort(key=lambda s: order.index(s) if s in order else len(order))
    lists = []
    for stage in stages:
        by_mode = {
            mode: data["errors"][stage]
            for mode, data in result["modes"].items()
            if stage in data["errors"]
        }
        keys = {tuple(_error_key(e) for e in errors) for errors in by_mode.values()}
        if len(by_mode) > 1 and len(keys) == 1:  # shown as end to end has them (stances too)
            shown = by_mode.get("end-to-end") or next(iter(by_mode.values()))
            lists.append(ErrorList(stage, tuple(by_mode), shown))
        else:
            lists += [ErrorList(stage, (mode,), errors) for mode, errors in by_mode.items()]
    return lists


def modes_label(modes: tuple[str, ...]) -> str:
    """``isolated``, or ``isolated and end-to-end`` for a list two modes share."""
    return " and ".join(modes)
