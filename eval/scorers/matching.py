"""Span matching shared by the scorers: exact, overlap (one-to-one, greedy) and error context.

Spans are record spans: mappings with character offsets ``start`` and ``end`` (end exclusive)
into the document text, as in :mod:`newspipe.pipeline.records`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from newspipe.pipeline.records import Record

SpanLike = Mapping[str, Any]

DEFAULT_OVERLAP = 0.5
"""Share of each span that the overlap must cover for two spans to match."""


class Pair(NamedTuple):
    """A predicted record and the gold record of the same document (same text)."""

    pred: Record
    gold: Record


def overlap(a: SpanLike, b: SpanLike) -> int:
    """Number of characters that spans ``a`` and ``b`` share."""
    return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))


def overlaps_enough(a: SpanLike, b: SpanLike, fraction: float = DEFAULT_OVERLAP) -> bool:
    """Whether the overlap of ``a`` and ``b`` covers at least ``fraction`` of each of them.

    Any positive overlap is needed, so with ``fraction`` 0 two spans match when they share a
    character; with ``fraction`` 1 only identical spans match.
    """
    shared = overlap(a, b)
    if shared <= 0:
        return False
    return shared >= fraction * (a["end"] - a["start"]) and shared >= fraction * (
        b["end"] - b["start"]
    )


def same_optional_span(
    gold: SpanLike | None, pred: SpanLike | None, fraction: float = DEFAULT_OVERLAP
) -> bool:
    """Whether two optional spans agree: both absent, or both present and overlapping enough."""
    if gold is None or pred is None:
        return gold is None and pred is None
    return overlaps_enough(gold, pred, fraction)


def match_spans(
    gold: Sequence[SpanLike], pred: Sequence[SpanLike], fraction: float = DEFAULT_OVERLAP
) -> list[tuple[int, int]]:
    """One-to-one matching of gold and predicted spans, greedy by overlap size.

    Every pair that :func:`overlaps_enough` is a candidate; candidates are taken in order of
    decreasing overlap (ties: earlier gold, then earlier prediction), skipping any whose gold
    or prediction is already matched.

    Returns:
        ``(gold_index, pred_index)`` pairs, sorted by gold index.
    """
    candidates = sorted(
        (-overlap(g, p), gi, pi)
        for gi, g in enumerate(gold)
        for pi, p in enumerate(pred)
        if overlaps_enough(g, p, fraction)
    )
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    matches = []
    for _, gi, pi in candidates:
        if gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        matches.append((gi, pi))
    return sorted(matches)


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` with surrounding whitespace of ``text[start:end]`` cut off."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def context(text: str, start: int, end: int, width: int = 60) -> tuple[str, str, str]:
    """Up to ``width`` characters before ``text[start:end]``, the span, and up to ``width``
    after, each with runs of whitespace turned into one space (so on one line)."""

    def one_line(value: str) -> str:
        return re.sub(r"\s+", " ", value)

    before = one_line(text[max(0, start - width) : start])
    after = one_line(text[end : end + width])
    return before, one_line(text[start:end]), after
