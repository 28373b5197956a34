"""The article view and the score report in a real headless Chromium: a screenshot of each is
taken, and the rendered page is checked — no script ran, hostile text is shown as text, the
charts and colours are drawn, no word is split across lines in a table, nothing overflows the
page sideways, at a desktop and at a narrow width."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from newspipe.eval.browser import Chromium, find_chromium
from newspipe.eval.report import render_report
from newspipe.eval.report.article import render_articles
from newspipe.eval.run import ScoreRun

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(find_chromium() is None, reason="needs chromium (apt-get install chromium)"),
]

ATTACK = "<script>document.title='owned'</script>"

SPLIT_WORDS = """(() => {
  const split = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest("td, th")) continue;
    const words = /\\S+/g;
    for (let m = words.exec(node.textContent); m; m = words.exec(node.textContent)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
                              .map(r => Math.round(r.top)));
      if (tops.size > 1) split.push(m[0]);
    }
  }
  return split;
})()"""
"""Words of table cells drawn on more than one line (a word split to fit a column)."""

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    with Chromium(width=1280, height=900) as chromium:
        yield chromium


def png_size_and_colours(path: Path) -> tuple[int, int, int]:
    """Width, height and the number of distinct byte values of the pixel data of a PNG (a
    blank page has almost none)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    chunks, position = b"", 8
    while position < len(data):
        length = struct.unpack(">I", data[position : position + 4])[0]
        kind = data[position + 4 : position + 8]
        if kind == b"IDAT":
            chunks += data[position + 8 : position + 8 + length]
        position += 12 + length
    return width, height, len(set(zlib.decompress(chunks)))


def look(browser: Chromium, page: Path, shot: Path, width: int = 1280) -> dict[str, Any]:
    """Open ``page`` at ``width``, take a screenshot, and return what the checks need."""
    browser.resize(width, 900)
    browser.open(page)
    browser.screenshot(shot, full_page=True, max_height=3000)
    width_px, height_px, colours = png_size_and_colours(shot)
    assert width_px == width and height_px > 500 and colours > 50, "a blank screenshot"
    return {
        "title": browser.evaluate("document.title"),
        "scripts": browser.evaluate("document.scripts.length"),
        "text": browser.evaluate("document.body.innerText"),
        "split": browser.evaluate(SPLIT_WORDS),
        "overflow": browser.evaluate(OVERFLOW),
    }


def background(browser: Chromium, selector: str) -> str:
    return str(
        browser.evaluate(
            f"getComputedStyle(document.querySelector({selector!r})).backgroundColor"
        )
    )


@pytest.mark.parametrize("width", [1280, 800])
def test_article_view_in_chromium(
    browser: Chromium,
    hostile_record: Callable[..., dict[str, Any]],
    tmp_path: Path,
    width: int,
) -> None:
    page = tmp_path / "article.html"
    page.write_text(render_articles([hostile_record()]), encoding="utf-8")
    seen = look(browser, page, tmp_path / f"article-{width}.png", width)
    assert seen["title"] == "newspipe: ../../etc/<b>doc</b>"  # the article's script never ran
    assert seen["scripts"] == 0
    assert ATTACK in seen["text"] and "<img src=x onerror=alert(1)>" in seen["text"]
    assert seen["split"] == [] and seen["overflow"] <= 0
    # quotes coloured by stance, the evidence on hover, entities by displaCy, the speakers
    assert background(browser, ".quotes .q.against") == "rgb(254, 226, 226)"
    assert background(browser, ".quotes .q.favor") == "rgb(220, 252, 231)"
    hover = browser.evaluate("document.querySelector('.quotes .q.against').title")
    assert "stance AGAINST" in hover and "<i>negative</i> words" in hover
    assert browser.evaluate("document.querySelectorAll('mark.entity').length") == 2
    speakers = browser.evaluate(
        "[...document.querySelectorAll('table.speakers tr')].map(r => r.innerText)"
    )
    assert speakers[1].split("\t")[:4] == ["Ben Ode", "<img src=x onerror=alert(1)>", "2", "0"]


@pytest.mark.parametrize("width", [1280, 800])
def test_score_report_in_chromium(
    browser: Chromium, report_run: ScoreRun, tmp_path: Path, width: int
) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_report(report_run), encoding="utf-8")
    seen = look(browser, page, tmp_path / f"report-{width}.png", width)
    assert seen["title"] == "newspipe score report" and seen["scripts"] == 0
    assert ATTACK in seen["text"] and "<em>sure</em> words" in seen["text"]
    assert seen["split"] == [] and seen["overflow"] <= 0
    # the charts are drawn: a bar per stage as long as its F1 (the prediction gets only the
    # quote right), whiskers on the intervals
    bars = browser.evaluate(
        "[...document.querySelectorAll('#chart-stages rect.bar')]"
        ".map(r => r.getBoundingClientRect().width)"
    )
    assert len(bars) == 4 and bars[2] > 100 and bars[0] == bars[1] == bars[3] == 0
    assert browser.evaluate("document.querySelectorAll('#chart-stages line.whisker').length") > 0
    # the confusion matrix is shaded: the wrong cell of a full row is the darkest orange
    shades = browser.evaluate(
        "[...document.querySelectorAll('table.heat td')].map(td => getComputedStyle(td)"
        ".backgroundColor)"
    )
    assert "rgb(234, 88, 12)" in shades and "rgb(255, 255, 255)" in shades
    # an error row names the predicted speaker and cue and shows the stance evidence
    row = browser.evaluate(
        "[...document.querySelectorAll('table.errors.stance tr')].map(r => r.innerText)[1]"
    )
    assert "<u>someone</u>" in row and "cue: said" in row and "<em>sure</em> words" in row
