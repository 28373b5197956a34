"""Fixtures for the gold and format tests: the hand-written fixture gold and a gold writer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from newspipe.eval.gold import load_gold
from newspipe.pipeline.records import Record

STRIKE_GOLD = (
    Path(__file__).resolve().parent.parent / "fixtures" / "gold" / "harbour_strike.gold.yaml"
)


@pytest.fixture
def strike_record() -> Record:
    """The fixture article's gold, resolved."""
    return load_gold(STRIKE_GOLD)


@pytest.fixture
def make_gold(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write ``doc.txt`` and ``doc.gold.yaml`` (id and text_file added); return the gold path."""

    def write(text: str, body: str) -> Path:
        (tmp_path / "doc.txt").write_text(text, encoding="utf-8")
        gold = tmp_path / "doc.gold.yaml"
        gold.write_text(f"id: doc\ntext_file: doc.txt\n{body}", encoding="utf-8")
        return gold

    return write
