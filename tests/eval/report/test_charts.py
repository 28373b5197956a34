"""Chart geometry: bars where their values are, whiskers on the intervals, log axes, shaded
confusion cells. No browser needed (the browser tests draw them)."""

from __future__ import annotations

import math

import pytest

from newspipe.eval.report.charts import bar_chart, compact_number, heat_table, shade


def test_bars_and_whiskers_sit_on_their_values() -> None:
    chart = bar_chart(
        "F1",
        [("sentences", [(0.5, [0.4, 0.6]), (1.0, None)]), ("quotes", [(None, None), (0.0, None)])],
        ["isolated", "end-to-end"],
    )
    left, right = chart.plot_left, chart.plot_right
    span = right - left
    first, second = chart.groups[0].bars
    assert first.x == pytest.approx(left) and first.width == pytest.approx(span / 2)
    assert first.low_x == pytest.approx(left + 0.4 * span)
    assert first.high_x == pytest.approx(left + 0.6 * span)
    assert first.text == "0.500 [0.400–0.600]" and first.text_x > first.high_x
    assert second.width == pytest.approx(span) and second.low_x is None
    missing, zero = chart.groups[1].bars
    assert missing.value is None and missing.text == "not scored"
    assert zero.width == pytest.approx(0.0)
    assert chart.groups[1].y > chart.groups[0].y + chart.groups[0].height  # groups stack
    assert [s.name for s in chart.series] == ["isolated", "end-to-end"]
    assert [t.label for t in chart.ticks] == ["0", "0.2", "0.4", "0.6", "0.8", "1"]
    assert right < chart.width and chart.height > chart.plot_bottom


def test_log_axis_spans_whole_powers_of_ten() -> None:
    chart = bar_chart(
        "words/s",
        [("model", [(1_500.0, None)]), ("stance", [(60_000.0, None)])],
        ["end-to-end"],
        scale="log",
        domain=None,
    )
    assert [t.label for t in chart.ticks] == ["1k", "10k", "100k"]
    model, stance = chart.groups[0].bars[0], chart.groups[1].bars[0]
    span = chart.plot_right - chart.plot_left
    assert model.width == pytest.approx(span * (math.log10(1.5) / 2), rel=1e-6)
    assert stance.width > model.width


def test_bad_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="linear or log"):
        bar_chart("x", [("a", [(1.0, None)])], ["m"], scale="sqrt")


def test_tick_labels() -> None:
    assert [compact_number(v) for v in (0.5, 950, 1000, 12000, 1_500_000)] == [
        "0.5",
        "950",
        "1k",
        "12k",
        "1.5M",
    ]


def test_confusion_cells_are_shaded_by_their_share_of_the_row() -> None:
    table = heat_table("stance", ["FAVOR", "NONE"], [[3, 1], [0, 0]])
    favor, none = table.rows
    assert favor[0] == "FAVOR" and none[0] == "NONE"
    right, wrong = favor[1]
    assert (right.count, right.share, right.diagonal) == (3, 0.75, True)
    assert (wrong.count, wrong.share, wrong.diagonal) == (1, 0.25, False)
    assert right.background == shade(0.75, True)[0] != shade(0.25, True)[0]
    assert right.foreground == "#ffffff" and wrong.foreground != "#ffffff"
    assert [cell.share for cell in none[1]] == [0.0, 0.0]  # an empty row: no division by zero
    assert shade(0.0, False)[0] == "rgb(255, 255, 255)"
