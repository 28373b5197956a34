"""The HTML report: self-contained, every piece of data text escaped, renders in a browser."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from newspipe.eval.datasets import STAGES, GoldSet
from newspipe.eval.report import render_report
from newspipe.eval.run import score

CHROMIUM = Path("/usr/bin/chromium")
ATTACK = "<script>document.title='owned'</script>"
TEXT = f"Ana <b>Ruiz</b> said the dam is safe. {ATTACK} Critics disagree."


def _span(text: str, part: str) -> dict[str, Any]:
    start = text.index(part)
    return {"start": start, "end": start + len(part), "text": part}


def records() -> tuple[dict[str, Any], dict[str, Any]]:
    quote = {
        "content": _span(TEXT, "the dam is safe"),
        "cue": _span(TEXT, "said"),
        "speaker": _span(TEXT, "Ana <b>Ruiz</b>"),
        "speaker_name": "Ana <i>Ruiz",
        "type": "indirect",
        "stance": "FAVOR",
    }
    gold = {
        "id": "doc<script>1",
        "text": TEXT,
        "target": "the <dam>",
        "sentences": [
            {"start": 0, "end": TEXT.index(ATTACK) - 1},
            {"start": TEXT.index(ATTACK), "end": len(TEXT)},
        ],
        "entities": [{**_span(TEXT, "Ana <b>Ruiz</b>"), "label": "PERSON"}],
        "quotes": [quote],
    }
    pred = {
        **gold,
        "sentences": [{"start": 0, "end": len(TEXT)}],
        "entities": [{**_span(TEXT, "Critics"), "label": "<img src=x onerror=alert(1)>"}],
        "quotes": [{**quote, "stance": "AGAINST", "speaker_name": "<u>someone</u>"}],
    }
    return gold, pred


def report_html() -> str:
    gold, pred = records()
    gold_set = GoldSet(
        "gold", "tests <here>", [gold], layers=frozenset(STAGES), scored=frozenset(STAGES)
    )
    run = score(gold_set, pred={gold["id"]: pred}, bootstrap=10)
    return render_report(run)


def test_every_piece_of_text_is_escaped() -> None:
    html = report_html()
    assert "<script" not in html
    assert "&lt;script&gt;document.title=&#x27;owned&#x27;&lt;/script&gt;" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<b>Ruiz" not in html and "<u>someone" not in html and "<i>Ruiz" not in html
    assert "doc&lt;script&gt;1" in html and "tests &lt;here&gt;" in html


def test_report_is_self_contained_with_tables_errors_and_annotations() -> None:
    html = report_html()
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
    assert 'class="q"' in html and 'class="AGAINST"' in html  # quotes with stance


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
def test_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(report_html(), encoding="utf-8")
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--dump-dom",
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)
    assert done.returncode == 0, done.stderr[-500:]
    dom = done.stdout
    assert "<title>newspipe score report</title>" in dom  # the article's script did not run
    assert "owned" in dom and "<script" not in dom  # its text is shown, as text
    assert "content F1 (overlap)" in dom and "Critics" in dom
    assert 'class="entities"' in dom
