"""Shared fixtures. Tests that need the statistical model take ``nlp`` and carry the ``model``
marker; rule tests build small Docs on ``spacy.blank("en")``."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language

import newspipe.pipeline  # noqa: F401  (registers the factories)
from newspipe.pipeline.build import load_pipeline
from newspipe.pipeline.extensions import register_extensions

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "putin_visit_north_korea.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The default pipeline on the statistical model (loaded once per test session)."""
    return load_pipeline()


@pytest.fixture
def blank() -> Language:
    """A blank English pipeline with newspipe's extensions registered."""
    register_extensions()
    return spacy.blank("en")


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The seed article's text."""
    return SEED.read_text(encoding="utf-8")
