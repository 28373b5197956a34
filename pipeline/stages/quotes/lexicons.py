"""Word lists and mark tables of the quote stage, read from ``pipeline/resources``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.resources import DIRECTORY

RESOURCES = DIRECTORY


def read_word_list(path: str | Path) -> frozenset[str]:
    """Read a word list: one entry per line, ``#`` starts a comment, case-folded."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise PipelineError(f"{path}: cannot read word list ({err})") from None
    words = (line.split("#", 1)[0].strip().lower() for line in lines)
    return frozenset(word for word in words if word)


@dataclass(frozen=True)
class QuoteMarks:
    """Which opening quotation marks close with which marks."""

    pairs: dict[str, frozenset[str]]
    min_direct_tokens: int

    @property
    def all_marks(self) -> frozenset[str]:
        marks = set(self.pairs)
        for closers in self.pairs.values():
            marks.update(closers)
        return frozenset(marks)


def read_quote_marks(path: str | Path) -> QuoteMarks:
    """Read the quotation-mark table (JSON with ``pairs`` and ``min_direct_tokens``)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        pairs = {opener: frozenset(closers) for opener, closers in data["pairs"].items()}
        return QuoteMarks(pairs=pairs, min_direct_tokens=int(data["min_direct_tokens"]))
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as err:
        raise PipelineError(f"{path}: not a quotation-mark table ({err})") from None


@lru_cache(maxsize=16)
def cached_word_list(path: str) -> frozenset[str]:
    """:func:`read_word_list`, read once per path."""
    return read_word_list(path)


@dataclass(frozen=True)
class SpeakerNouns:
    """Head nouns of definite descriptions that refer back to a person or a group."""

    person: frozenset[str]
    group: frozenset[str]


def read_speaker_nouns(path: str | Path) -> SpeakerNouns:
    """Read the speaker-noun table (JSON with ``person`` and ``group`` lists)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return SpeakerNouns(
            person=frozenset(str(w).lower() for w in data["person"]),
            group=frozenset(str(w).lower() for w in data["group"]),
        )
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as err:
        raise PipelineError(f"{path}: not a speaker-noun table ({err})") from None


@dataclass(frozen=True)
class CueLexicon:
    """How often each (cue lemma, relation) introduced an attribution in the training data.

    ``table[(lemma, relation)] = (attributions, occurrences)``.
    """

    table: dict[tuple[str, str], tuple[int, int]]

    def precision(self, lemma: str, relation: str, min_count: int) -> float | None:
        """Share of occurrences that were attributions, or None when seen too rarely."""
        counts = self.table.get((lemma, relation))
        if counts is None or counts[1] < min_count:
            return None
        return counts[0] / counts[1]


def read_cue_lexicon(path: str | Path) -> CueLexicon:
    """Read a cue lexicon: TSV lines ``lemma<TAB>relation<TAB>attributions<TAB>occurrences``."""
    path = Path(path)
    table: dict[tuple[str, str], tuple[int, int]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        for line in lines:
            if not line.strip() or line.startswith("#"):
                continue
            lemma, relation, hits, total = line.split("\t")
            table[(lemma, relation)] = (int(hits), int(total))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise PipelineError(f"{path}: not a cue lexicon ({err})") from None
    return CueLexicon(table)


@lru_cache(maxsize=8)
def cached_cue_lexicon(path: str) -> CueLexicon:
    """:func:`read_cue_lexicon`, read once per path."""
    return read_cue_lexicon(path)
