"""The gold file format: its keys, suffixes and value sets, how a person writes a span
(:class:`SpanSpec`), finding text, and :class:`GoldError`, which collects every problem of a
file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

SPEAKER_KINDS: tuple[str, ...] = ("person", "organisation", "government", "group", "unnamed")
"""Kinds of source in the gold ``speakers`` layer (gold/GUIDELINES.md, section 5)."""

SPEAKER_GENDERS: tuple[str, ...] = ("male", "female", "nonbinary", "unknown")
"""Referenced gender: how the article refers to a speaker (gold/GUIDELINES.md, section 5)."""

GOLD_SUFFIXES: tuple[str, ...] = (".gold.yaml", ".gold.yml", ".gold.json")

QUOTE_MARKS = "\"“”„‟‘’‚‛«»‹›'"
"""Characters that may enclose a direct quote."""

FRAGMENT_MARKS = '"“”„‟«»‹›‘'
"""Characters that show a quoted fragment inside reported speech (apostrophes excluded)."""

_TOP_KEYS = {"id", "text_file", "target", "sentences", "entities", "quotes", "speakers"}

_SPEAKER_KEYS = {"name", "kind", "gender"}

_SPAN_KEYS = {"text", "in", "occurrence", "at", "sentence"}

_QUOTE_KEYS = {"sentence", "content", "cue", "speaker", "speaker_name", "type", "stance"}

_QUOTE_PARTS = ("content", "cue", "speaker")


class GoldError(ValueError):
    """A gold file (or an imported annotation) with problems; one message line per problem.

    Attributes:
        source: The file the problems are in.
        problems: The problems, each naming the entry it is about.
    """

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems = list(problems)
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """Each problem as one line that starts with the file name."""
        return [f"{self.source}: {problem}" for problem in self.problems]


def _word_bounded(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` neither starts nor ends inside a word."""
    if start > 0 and text[start].isalnum() and text[start - 1].isalnum():
        return False
    return not (end < len(text) and text[end - 1].isalnum() and text[end].isalnum())


def find_occurrences(text: str, needle: str, lo: int = 0, hi: int | None = None) -> list[int]:
    """Start offsets of ``needle`` lying wholly inside ``text[lo:hi]``, at word boundaries.

    Args:
        text: The text to search.
        needle: What to find (case-sensitive).
        lo: First offset of the search window.
        hi: End of the search window (exclusive); the end of the text if None.

    Returns:
        The start offsets in increasing order.
    """
    hi = len(text) if hi is None else hi
    starts: list[int] = []
    if not needle:
        return starts
    position = text.find(needle, lo, hi)
    while position != -1:
        if _word_bounded(text, position, position + len(needle)):
            starts.append(position)
        position = text.find(needle, position + 1, hi)
    return starts


def _short(value: str, width: int = 40) -> str:
    """``value`` on one line, cut to ``width`` characters."""
    value = " ".join(value.split())
    return value if len(value) <= width else value[: width - 1] + "…"


def _describe(value: Any) -> str:
    """A value in a message: its type for non-strings that YAML produced."""
    if isinstance(value, bool):
        return f"the boolean {value}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if value is None:
        return "null"
    return type(value).__name__


@dataclass(frozen=True)
class SpanSpec:
    """A span as a person writes it: its text, and what tells repeated occurrences apart.

    Attributes:
        text: The exact text of the span.
        context: A longer text that contains the span once (``in:``).
        occurrence: Which occurrence in the search scope, counted from 1.
        at: The character offset, as a last resort.
        sentence: The sentence (1-based) or sentence range to search, overriding the default.
    """

    text: str
    context: str | None = None
    occurrence: int | None = None
    at: int | None = None
    sentence: int | tuple[int, int] | None = None
