"""The article view's building blocks and pages: quote highlighting, speakers, safe file
names, escaping of every text. No model; the browser tests render the pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from newspipe.eval.report.article import (
    entities_markup,
    quote_pieces,
    render_articles,
    safe_name,
    speaker_rows,
    write_view,
)

Make = Callable[..., dict[str, Any]]
"""The ``hostile_record`` fixture: makes an article record with hostile strings."""


def test_quote_pieces_carry_stance_cue_speaker_and_hover(hostile_record: Make) -> None:
    pieces = quote_pieces(hostile_record())
    assert "".join(p.text for p in pieces) == hostile_record()["text"]
    by_text = {p.text: p for p in pieces}
    assert by_text["the dam is safe"].classes == "favor q"
    assert by_text["It will fail,"].classes == "against q"
    assert by_text["the dam was a waste"].classes == "nostance q"
    assert by_text["said"].classes == "cue"
    assert by_text["Ben Ode"].classes == "spk"
    numbers = [p.number for p in pieces if p.number is not None]
    assert numbers == [1, 2, 3]  # in text order
    hover = by_text["It will fail,"].title
    assert hover.startswith("[2] Ben Ode · cue “said” · direct · stance AGAINST")
    assert "<i>negative</i> words" in hover  # raw here; the template escapes it


def test_speakers_group_by_canonical_name(hostile_record: Make) -> None:
    rows = speaker_rows([hostile_record(), hostile_record("second")])
    assert [(r.name, r.label, r.quotes) for r in rows] == [
        ("Ben Ode", "<img src=x onerror=alert(1)>", 4),
        ("Ana <b>Ruiz</b>", "PERSON", 2),
    ]
    ben = rows[0]
    assert ben.stances == {"AGAINST": 2, "—": 2}
    assert ben.types == {"direct": 2, "indirect": 2}
    assert ben.documents == {"../../etc/<b>doc</b>", "second"}


@pytest.mark.parametrize(
    "doc_id",
    ["../../etc/passwd", "/abs/path", "a\\b", ".hidden", "CON", "<x>", "", "ü" * 80, "index"],
)
def test_file_names_stay_in_their_folder(doc_id: str) -> None:
    taken: set[str] = {"index"}
    name = safe_name(doc_id, taken)
    assert re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", name)
    assert len(name) <= 80 and name.casefold() != "index"


def test_file_names_are_unique_and_plain_ids_kept() -> None:
    taken: set[str] = set()
    names = [safe_name(i, taken) for i in ("story_1", "Story_1", "story 1", "story_1")]
    assert names[0] == "story_1"
    assert len({n.casefold() for n in names}) == 4


def test_every_text_on_the_page_is_escaped(hostile_record: Make) -> None:
    html = render_articles([hostile_record()])
    assert "<script" not in html and "<img" not in html
    assert "<b>Ruiz" not in html and "<b>doc" not in html and "<i>negative" not in html
    assert "&lt;script&gt;document.title=&#39;owned&#39;&lt;/script&gt;" in html
    assert "../../etc/&lt;b&gt;doc&lt;/b&gt;" in html and "the &lt;dam&gt;" in html
    assert "&lt;i&gt;negative&lt;/i&gt; words" in html  # evidence, in the hover and the table
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # an entity label, through displaCy
    assert "default-src 'none'" in html  # and no script would run anyway


def test_the_page_is_self_contained(hostile_record: Make) -> None:
    html = render_articles([hostile_record()])
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", html)
    assert "http://" not in html and "https://" not in html
    for needle in ("Quotes and stance", "Entities", "Speakers", 'class="entities"'):
        assert needle in html
    assert ">0.42<" in html  # confidence shown when a quote has one


def test_several_records_make_one_page_with_a_document_list(hostile_record: Make) -> None:
    html = render_articles([hostile_record("a"), hostile_record("b")])
    assert html.count('<section class="doc article"') == 2
    assert '<a href="#a">a</a>' in html and '<a href="#b">b</a>' in html
    assert "Speakers in all articles" in html


def test_entity_markup_keeps_the_first_of_overlapping_entities(hostile_record: Make) -> None:
    record = hostile_record()
    start = record["text"].index("Ruiz</b>")
    entity = {"start": start, "end": start + 8, "text": "Ruiz</b>", "label": "GPE"}
    record["entities"].append(entity)
    markup = str(entities_markup(record))
    assert "GPE" not in markup and "PERSON" in markup


def test_view_writes_a_page_per_record_and_an_index(
    hostile_record: Make, tmp_path: Path
) -> None:
    out = tmp_path / "view"
    count = write_view([hostile_record(), hostile_record("plain")], out, title="<t>")
    assert count == 2
    files = sorted(p.name for p in out.iterdir())
    assert "index.html" in files and "plain.html" in files and len(files) == 3
    assert all(p.parent == out for p in out.iterdir())
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "&lt;t&gt;" in index and '<a href="plain.html">plain</a>' in index
    hostile = next(name for name in files if name.startswith("etc_"))
    assert f'href="{hostile}"' in index
    assert "<script" not in (out / hostile).read_text(encoding="utf-8")
