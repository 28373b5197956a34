"""The HTML score report: self-contained, every piece of data text escaped, charts, merged
error lists, error rows with the predicted quote (the browser tests render it)."""

from __future__ import annotations

from newspipe.eval.datasets import STAGES
from newspipe.eval.report import render_report
from newspipe.eval.report.tables import error_lists
from newspipe.eval.run import ScoreRun


def test_every_piece_of_text_is_escaped(report_run: ScoreRun) -> None:
    html = render_report(report_run)
    assert "<script" not in html
    assert "&lt;script&gt;document.title=&#39;owned&#39;&lt;/script&gt;" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<b>Ruiz" not in html and "<u>someone" not in html and "<i>Ruiz" not in html
    assert "doc&lt;script&gt;1" in html and "tests &lt;here&gt;" in html
    assert "&lt;em&gt;sure&lt;/em&gt;" in html  # stance evidence


def test_report_is_self_contained_with_tables_errors_and_annotations(
    report_run: ScoreRun,
) -> None:
    html = render_report(report_run)
    assert html.startswith("<!DOCTYPE html>")
    assert (
        "http://" not in html
        and "https://" not in html
        and "src=" not in html.replace("&lt;img src=x", "")
    )
    for needle in (
        "strict F1",
        "content F1 (overlap)",
        "macro-F1",
        "wrong stance",
        "missed boundary",
    ):
        assert needle in html
    assert 'class="entities"' in html  # displaCy
    assert 'class="against q"' in html and 'class="stance against"' in html  # stance colours
    assert "overflow-wrap: anywhere" not in html  # words are never split to fit a column


def test_report_draws_charts_as_inline_svg(report_run: ScoreRun) -> None:
    html = render_report(report_run)
    for chart in ("chart-stages", "chart-quote-types"):
        assert f'<figure class="chart" id="{chart}">' in html
    assert html.count('<rect class="bar"') >= 5  # four stages + a quote type
    assert 'class="whisker"' in html  # bootstrap intervals
    assert '<table class="heat">' in html and "background: rgb(" in html


def test_error_rows_show_the_predicted_speaker_cue_and_stance_evidence(
    report_run: ScoreRun,
) -> None:
    html = render_report(report_run)
    errors = html[html.index('id="errors"') : html.index('id="documents"')]
    row = errors[errors.index("wrong stance") :]
    row = row[: row.index("</tr>")]
    assert "Ana &lt;b&gt;Ruiz&lt;/b&gt; → &lt;u&gt;someone&lt;/u&gt;" in row  # predicted speaker
    assert "cue: said" in row and "AGAINST" in row and "FAVOR" in row
    assert "&lt;em&gt;sure&lt;/em&gt; words" in row  # the predicted stance's evidence


def test_one_error_list_when_the_modes_agree_two_when_they_differ(report_run: ScoreRun) -> None:
    run = report_run
    metrics = run.metrics
    pred = metrics["modes"]["pred"]
    same = {**metrics, "modes": {"isolated": pred, "end-to-end": pred}}
    lists = error_lists(same)
    assert [(e.stage, e.modes) for e in lists] == [
        (stage, ("isolated", "end-to-end")) for stage in STAGES
    ]
    changed = {**pred, "errors": {**pred["errors"], "entities": []}}
    lists = error_lists({**metrics, "modes": {"isolated": changed, "end-to-end": pred}})
    assert [(e.stage, e.modes) for e in lists if e.stage == "entities"] == [
        ("entities", ("isolated",)),
        ("entities", ("end-to-end",)),
    ]
    both = {"isolated": run.predictions["pred"], "end-to-end": run.predictions["pred"]}
    html = render_report(ScoreRun(same, run.gold, both))
    assert "(the same in every mode)" in html
    assert html.count("entities — isolated and end-to-end") == 1
