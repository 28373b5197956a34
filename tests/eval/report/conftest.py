"""Hostile records for the page tests: every text that reaches a page (ids, article text,
names, labels, evidence, targets, file names) carries markup that must come out as text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from newspipe.eval.datasets import STAGES, GoldSet
from newspipe.eval.run import ScoreRun, score

ATTACK = "<script>document.title='owned'</script>"
ARTICLE = (
    f"Mayor Ana <b>Ruiz</b> said the dam is safe. {ATTACK} "
    "“It will fail,” Ben Ode said. He said the dam was a waste."
)
REPORTED = f"Ana <b>Ruiz</b> said the dam is safe. {ATTACK} Critics disagree."


def span_of(text: str, part: str, occurrence: int = 0) -> dict[str, Any]:
    """The record span of the ``occurrence``-th ``part`` of ``text``."""
    start = text.index(part)
    for _ in range(occurrence):
        start = text.index(part, start + 1)
    return {"start": start, "end": start + len(part), "text": part}


def article_record(doc_id: str = "../../etc/<b>doc</b>") -> dict[str, Any]:
    """An extracted article: three quotes (one per stance colour), hostile strings everywhere."""

    def span(part: str, occurrence: int = 0) -> dict[str, Any]:
        return span_of(ARTICLE, part, occurrence)

    return {
        "id": doc_id,
        "text": ARTICLE,
        "target": "the <dam>",
        "sentences": [{"start": 0, "end": len(ARTICLE)}],
        "entities": [
            {**span("Ana <b>Ruiz</b>"), "label": "PERSON"},
            {**span("Ben Ode"), "label": "<img src=x onerror=alert(1)>"},
        ],
        "quotes": [
            {
                "content": span("It will fail,"),
                "cue": span("said", 1),
                "speaker": span("Ben Ode"),
                "speaker_name": "Ben Ode",
                "type": "direct",
                "stance": "AGAINST",
                "stance_evidence": ["<i>negative</i> words", "→ AGAINST"],
            },
            {
                "content": span("the dam is safe"),
                "cue": span("said"),
                "speaker": span("Mayor Ana <b>Ruiz</b>"),
                "speaker_name": "Ana <b>Ruiz</b>",
                "type": "indirect",
                "stance": "FAVOR",
                "stance_evidence": None,
            },
            {
                "content": span("the dam was a waste"),
                "cue": span("said", 2),
                "speaker": span("He"),
                "speaker_name": "ben  ode",  # the same speaker, other case and spacing
                "type": "indirect",
                "stance": None,
                "confidence": 0.42,
            },
        ],
    }


def reported_records() -> tuple[dict[str, Any], dict[str, Any]]:
    """A gold record and a prediction that gets every stage wrong somewhere."""
    text = REPORTED
    quote = {
        "content": span_of(text, "the dam is safe"),
        "cue": span_of(text, "said"),
        "speaker": span_of(text, "Ana <b>Ruiz</b>"),
        "speaker_name": "Ana <i>Ruiz",
        "type": "indirect",
        "stance": "FAVOR",
    }
    gold = {
        "id": "doc<script>1",
        "text": text,
        "target": "the <dam>",
        "sentences": [
            {"start": 0, "end": text.index(ATTACK) - 1},
            {"start": text.index(ATTACK), "end": len(text)},
        ],
        "entities": [{**span_of(text, "Ana <b>Ruiz</b>"), "label": "PERSON"}],
        "quotes": [quote],
    }
    pred = {
        **gold,
        "sentences": [{"start": 0, "end": len(text)}],
        "entities": [{**span_of(text, "Critics"), "label": "<img src=x onerror=alert(1)>"}],
        "quotes": [
            {
                **quote,
                "stance": "AGAINST",
                "speaker_name": "<u>someone</u>",
                "stance_evidence": ["<em>sure</em> words", "→ AGAINST"],
            }
        ],
    }
    return gold, pred


def reported_run() -> ScoreRun:
    """The score run of :func:`reported_records` (saved predictions, 10 resamples)."""
    gold, pred = reported_records()
    gold_set = GoldSet(
        "gold", "tests <here>", [gold], layers=frozenset(STAGES), scored=frozenset(STAGES)
    )
    return score(gold_set, pred={gold["id"]: pred}, bootstrap=10)


@pytest.fixture
def hostile_record() -> Callable[..., dict[str, Any]]:
    """Make an article record: ``hostile_record(doc_id=...)``."""
    return article_record


@pytest.fixture
def report_run() -> ScoreRun:
    """A score run whose report shows every kind of error, hostile strings in every text."""
    return reported_run()
