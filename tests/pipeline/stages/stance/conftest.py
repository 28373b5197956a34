"""A small made-up stance data set, written by the tests (no public data in tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

TARGETS = ("the new bridge", "the city parking fee")
FAVOR = (
    "{t} is a wonderful idea and residents love it",
    "a great success: {t} helps everyone",
    "officials praised {t} as an excellent plan",
    "we strongly support {t}, it is good for families",
    "{t} will bring real benefits, experts welcomed it",
)
AGAINST = (
    "{t} is a terrible waste and residents hate it",
    "a disaster: {t} hurts everyone",
    "critics condemned {t} as a dangerous plan",
    "we strongly oppose {t}, it is bad for families",
    "{t} will bring real harm, experts warned against it",
)
NONE = (
    "the council will discuss {t} on Tuesday",
    "a meeting about {t} is scheduled for next week",
    "{t} was on the agenda of the committee",
    "reporters asked about {t} at the briefing",
    "the schedule for {t} was published online",
)


def stance_rows() -> list[dict[str, str]]:
    rows = []
    for target in TARGETS:
        for label, texts in (("favor", FAVOR), ("against", AGAINST), ("neutral", NONE)):
            for text in texts:
                rows.append({"text": text.format(t=target), "target": target, "label": label})
    return rows


@pytest.fixture
def stance_data(tmp_path: Path) -> Path:
    """A JSONL file of 30 labelled items over two targets."""
    path = tmp_path / "stance.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in stance_rows()), encoding="utf-8")
    return path
