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
    """Nouns of speakers: heads of descriptions that refer to a person or a group, title words
    before names, and words that give a person's referenced gender."""

    person: frozenset[str]
    group: frozenset[str]
    titles: frozenset[str] = frozenset()
    male: frozenset[str] = frozenset()
    female: frozenset[str] = frozenset()


def read_speaker_nouns(path: str | Path) -> SpeakerNouns:
    """Read the speaker-noun table (JSON with ``person`` and ``group`` lists, and optionally
    ``titles``, ``male`` and ``female``)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        lists = {
            key: frozenset(str(w).lower() for w in data.get(key, []))
            for key in ("person", "group", "titles", "male", "female")
        }
        if "person" not in data or "group" not in data:
            raise KeyError("person and group")
        return SpeakerNouns(**lists)
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


def read_cue_classes(path: str | Path) -> dict[str, str]:
    """Read the cue-class table: TSV lines ``lemma<TAB>class`` (``#`` starts a comment)."""
    path = Path(path)
    table: dict[str, str] = {}
    try:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split("\t")
            if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
                raise ValueError(f"line {n}: expected lemma<TAB>class")
            table.setdefault(parts[0].strip().lower(), parts[1].strip().lower())
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise PipelineError(f"{path}: not a cue-class table ({err})") from None
    return table


@dataclass(frozen=True)
class QuoteNouns:
    """Head nouns by what they name: documents that speak for their authors, evidence that
    shows rather than says, and works or things whose title may follow in quotation marks."""

    document: frozenset[str]
    evidence: frozenset[str]
    title: frozenset[str]
    publication: frozenset[str] = frozenset()


def read_quote_nouns(path: str | Path) -> QuoteNouns:
    """Read the quote-noun table (JSON with ``document``, ``evidence`` and ``title`` lists and
    an optional ``publication`` list)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))

        def words(key: str) -> frozenset[str]:
            return frozenset(str(w).lower() for w in data[key])

        return QuoteNouns(
            document=words("document"),
            evidence=words("evidence"),
            title=words("title"),
            publication=frozenset(str(w).lower() for w in data.get("publication", [])),
        )
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as err:
        raise PipelineError(f"{path}: not a quote-noun table ({err})") from None
