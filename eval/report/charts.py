"""Charts for the HTML pages, as geometry: this module places bars, whiskers, ticks and shaded
cells; the templates (``templates/charts.html.j2``) draw them as inline SVG and HTML, so every
label goes through the template's autoescaping like any other text. No script, no network,
no plotting library.

- :func:`bar_chart`: horizontal bars in groups (one bar per series, e.g. per scoring mode),
  each with an optional interval drawn as a whisker, on a linear or a log axis;
- :func:`heat_table`: a table of counts shaded by their share of the row (a confusion matrix).

A page that wants a chart builds it here and passes it to the macros::

    {% from "charts.html.j2" import bar_chart, heat_table %}
    {{ bar_chart(chart) }}
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

WIDTH = 720
"""Width of a chart in SVG units (the SVG scales down with the page)."""
ROW = 18
"""Height of one bar."""
GAP = 10
"""Space between groups."""
CHAR = 7.0
"""Average width of a character of the 12px label font, for placing text."""
PALETTE = ("#4c78a8", "#f58518", "#54a24b", "#b279a2", "#9d755d", "#e45756")
"""Fill colours of the series, in order (also readable in grey)."""


@dataclass(frozen=True)
class Bar:
    """One bar: its series, value and interval, where it is drawn and the text beside it."""

    series: int
    value: float | None
    x: float
    y: float
    width: float
    height: float
    text: str
    text_x: float
    low_x: float | None = None
    high_x: float | None = None


@dataclass(frozen=True)
class Group:
    """Bars under one label (a stage, a quote type)."""

    label: str
    y: float
    height: float
    bars: list[Bar]


@dataclass(frozen=True)
class Tick:
    """A gridline of the value axis."""

    x: float
    label: str


@dataclass(frozen=True)
class Series:
    """A legend entry."""

    name: str
    colour: str
    x: float


@dataclass(frozen=True)
class BarChart:
    """A horizontal grouped bar chart, laid out (all coordinates in SVG units)."""

    title: str
    width: float
    height: float
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    groups: list[Group]
    ticks: list[Tick]
    series: list[Series]
    axis_label: str
    note: str = ""
    colours: tuple[str, ...] = field(default=PALETTE)


Value = tuple[float | None, Sequence[float] | None]
"""A bar's value and its interval ``[low, high]`` (either may be None)."""


def _linear(low: float, high: float, left: float, right: float) -> Callable[[float], float]:
    span = (high - low) or 1.0
    return lambda v: left + (min(max(v, low), high) - low) / span * (right - left)


def _log(low: float, high: float, left: float, right: float) -> Callable[[float], float]:
    a, b = math.log10(low), math.log10(high)
    span = (b - a) or 1.0
    return lambda v: left + (min(max(math.log10(max(v, low)), a), b) - a) / span * (right - left)


def compact_number(value: float) -> str:
    """``950``, ``12k``, ``1.5M``: a tick label."""
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            scaled = value / size
            return f"{scaled:.0f}{suffix}" if scaled == int(scaled) else f"{scaled:.1f}{suffix}"
    return f"{value:g}"


def bar_chart(
    title: str,
    groups: Sequence[tuple[str, Sequence[Value]]],
    series: Sequence[str],
    *,
    scale: str = "linear",
    domain: tuple[float, float] | None = (0.0, 1.0),
    value_format: Callable[[float, Sequence[float] | None], str] | None = None,
    axis_label: str = "",
    note: str = "",
) -> BarChart:
    """Lay out a grouped horizontal bar chart.

    Args:
        title: The chart's title (also its accessible name).
        groups: ``(label, values)`` per group; ``values[i]`` belongs to ``series[i]``; a None
            value draws no bar and writes "not scored".
        series: The names of the series (legend), e.g. the scoring modes.
        scale: ``linear`` or ``log`` (for rates that span orders of magnitude).
        domain: The axis range; None: from the data (``log``: whole powers of ten around it).
        value_format: The text beside a bar from its value and interval (default: 3 decimals
            and the interval in brackets).
        axis_label: What the axis measures.
        note: A line under the chart.
    """
    if scale not in ("linear", "log"):
        raise ValueError(f"scale must be linear or log, not {scale!r}")
    fmt = value_format or _default_format
    label_width = max((len(label) for label, _ in groups), default=4) * CHAR + 16
    texts = [
        fmt(v, ci) for _, values in groups for v, ci in values if v is not None
    ] or ["not scored"]
    text_width = max(len(t) for t in texts) * CHAR + 12
    plot_left = min(max(label_width, 80.0), WIDTH * 0.4)
    plot_right = WIDTH - text_width
    plot_top = 40.0
    numbers = [
        x
        for _, values in groups
        for v, ci in values
        for x in ([v] if v is not None else []) + (list(ci) if ci and v is not None else [])
        if x is not None and math.isfinite(x)
    ]
    low, high = _domain(numbers, scale, domain)
    place = (_log if scale == "log" else _linear)(low, high, plot_left, plot_right)
    y = plot_top
    laid: list[Group] = []
    for label, values in groups:
        bars: list[Bar] = []
        top = y
        for i, (value, interval) in enumerate(values):
            base = place(low)
            if value is None or not math.isfinite(value):
                bars.append(Bar(i, None, base, y, 0.0, ROW - 4, "not scored", base + 4))
            else:
                end = place(value)
                low_x = high_x = None
                if interval is not None and len(interval) == 2:
                    low_x, high_x = place(interval[0]), place(interval[1])
                right = max(end, high_x or end)
                bars.append(
                    Bar(i, value, base, y, end - base, ROW - 4, fmt(value, interval), right + 6,
                        low_x, high_x)
                )
            y += ROW
        laid.append(Group(label, top, y - top, bars))
        y += GAP
    plot_bottom = y - GAP + 4
    ticks = [Tick(place(v), compact_number(v)) for v in _ticks(low, high, scale)]
    legend: list[Series] = []
    x = plot_left
    for i, name in enumerate(series):
        legend.append(Series(name, PALETTE[i % len(PALETTE)], x))
        x += 28 + len(name) * CHAR
    return BarChart(
        title=title,
        width=WIDTH,
        height=plot_bottom + 34,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        groups=laid,
        ticks=ticks,
        series=legend,
        axis_label=axis_label,
        note=note,
    )


def _default_format(value: float, interval: Sequence[float] | None) -> str:
    text = f"{value:.3f}"
    if interval is not None and len(interval) == 2:
        text += f" [{interval[0]:.3f}–{interval[1]:.3f}]"
    return text


def _domain(
    numbers: list[float], scale: str, domain: tuple[float, float] | None
) -> tuple[float, float]:
    if domain is not None:
        return domain
    positive = [n for n in numbers if n > 0]
    if scale == "log":
        if not positive:
            return 1.0, 10.0
        low = 10 ** math.floor(math.log10(min(positive)))
        high = 10 ** math.ceil(math.log10(max(positive)))
        return low, high if high > low else low * 10
    top = max(numbers, default=1.0)
    return 0.0, top * 1.05 if top > 0 else 1.0


def _ticks(low: float, high: float, scale: str) -> list[float]:
    if scale == "log":
        start, stop = round(math.log10(low)), round(math.log10(high))
        return [10.0**k for k in range(start, stop + 1)]
    step = _nice_step((high - low) / 5)
    first = math.ceil(low / step) * step
    count = int((high - first) / step + 1e-9) + 1
    return [round(first + k * step, 10) for k in range(count)]


def _nice_step(raw: float) -> float:
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


# --------------------------------------------------------------------------- heat tables


@dataclass(frozen=True)
class HeatCell:
    """A count and its share of the row, with the colours that show the share."""

    count: int
    share: float
    background: str
    foreground: str
    diagonal: bool


@dataclass(frozen=True)
class HeatTable:
    """A matrix of counts (rows and columns labelled), each cell shaded by its row share."""

    title: str
    row_title: str
    column_title: str
    columns: list[str]
    rows: list[tuple[str, list[HeatCell]]]


def shade(share: float, diagonal: bool) -> tuple[str, str]:
    """Background and text colour of a cell: the darker, the larger the share; the diagonal
    (right answers) blue, the rest orange."""
    share = min(max(share, 0.0), 1.0)
    hue = (37, 99, 235) if diagonal else (234, 88, 12)
    r, g, b = (round(255 - (255 - c) * share) for c in hue)
    text = "#ffffff" if share > 0.55 else "#1f2937"
    return f"rgb({r}, {g}, {b})", text


def heat_table(
    title: str,
    labels: Sequence[str],
    matrix: Sequence[Sequence[int]],
    *,
    columns: Sequence[str] | None = None,
    row_title: str = "gold",
    column_title: str = "predicted",
) -> HeatTable:
    """A confusion matrix (rows ``labels``, columns ``columns`` or the same labels) shaded by
    each cell's share of its row."""
    columns = list(columns if columns is not None else labels)
    rows: list[tuple[str, list[HeatCell]]] = []
    for label, counts in zip(labels, matrix, strict=True):
        total = sum(counts) or 1
        cells = []
        for column, count in zip(columns, counts, strict=True):
            share = count / total
            background, foreground = shade(share, column == label)
            cells.append(HeatCell(int(count), share, background, foreground, column == label))
        rows.append((label, cells))
    return HeatTable(title, row_title, column_title, columns, rows)
