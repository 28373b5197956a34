"""The HTML page: every text escaped, charts drawn, renders in headless Chromium."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from newspipe.pipeline.sources.html import render_sources_page
from newspipe.pipeline.sources.table import build_source_table

CHROMIUM = Path("/usr/bin/chromium")
ATTACK = "<script>document.title='owned'</script>"


def page(make: Any) -> str:
    text = f"Ms Ana {ATTACK} Lima said the pier was safe. Ola Berg said it was not."
    name = f"Ana {ATTACK} Lima"
    records = [
        make.record(
            f"<i>{i}</i>",
            text,
            [
                make.quote(text, "the pier was safe", name, name, stance="FAVOR"),
                make.quote(text, "it was not", "Ola Berg", "Ola Berg", stance="AGAINST"),
            ],
            [("Ola Berg", "PERSON")],
            target="the <b>pier</b>",
            date=f"2024-0{i + 1}-01",
        )
        for i in range(3)
    ]
    return render_sources_page(build_source_table(records, date_field="date"))


def test_every_text_is_escaped_and_the_charts_are_there(make: Any) -> None:
    html = page(make)
    assert "<script" not in html and "<i>" not in html and "<b>pier" not in html
    assert "&lt;script&gt;" in html and "the &lt;b&gt;pier&lt;/b&gt;" in html
    assert html.count('class="bar"') >= 6  # kind, gender, people × quotes/sources, stance
    assert html.count('class="col"') == 3  # one timeline column per month
    assert "referenced gender" in html.lower()


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
def test_page_renders_in_headless_chromium(make: Any, tmp_path: Path) -> None:
    path = tmp_path / "sources.html"
    path.write_text(page(make), encoding="utf-8")
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--dump-dom",
        path.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)
    assert done.returncode == 0, done.stderr[-500:]
    dom = done.stdout
    assert "<title>newspipe sources</title>" in dom  # the record's script did not run
    assert "owned" in dom and "<script" not in dom
    assert "Share of voice" in dom and "Over time" in dom and "Ola Berg" in dom
