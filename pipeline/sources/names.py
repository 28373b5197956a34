"""Name forms: the key under which two written names are the same name, and the parts of a
person's name (first name, middle names, surname) that decide whether two forms can be one
person."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from newspipe.pipeline.sources.words import SourceWords, source_words

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "‐": "-", "‑": "-", "–": "-"})
_LEADING = re.compile(r"^(?:the|both|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_WORD = re.compile(r"\w+(?:['-]\w+)*")


def display_name(name: str) -> str:
    """A name as written, with its whitespace collapsed and a leading ``the``/``both`` and a
    trailing possessive removed (``the US’s`` → ``US``)."""
    text = _LEADING.sub("", " ".join(name.split()))
    possessive = _POSSESSIVE.search(text)
    if possessive and possessive.start() > 0:
        text = text[: possessive.start()]
    return text


def name_key(name: str, hyphens: bool = False) -> str:
    """The key under which two written names are the same name: case, accents' composition,
    apostrophes, full stops (``U.S.`` = ``US``), hyphens (``Jong-un`` = ``Jong Un``; kept with
    ``hyphens``), a leading ``the`` and a trailing possessive do not count."""
    text = unicodedata.normalize("NFC", display_name(name)).translate(_APOSTROPHES).casefold()
    text = text.replace(".", " ")
    if not hyphens:
        text = text.replace("-", " ")
    return " ".join(_join_initials(text.split()))


def _join_initials(parts: list[str]) -> list[str]:
    """``u s`` (from ``U.S.``) back to ``us``: runs of single letters are one word when the
    name has nothing else (an acronym), else they stay initials (``J. R. Smith``)."""
    if parts and all(len(p) == 1 for p in parts):
        return ["".join(parts)]
    return parts


@dataclass(frozen=True)
class PersonName:
    """The parts of a person's name, in :func:`name_key` form."""

    first: str | None
    """First name, or its initial (one letter); None for a surname alone."""
    middles: tuple[str, ...]
    last: str
    suffix: str | None = None
    """``jr``, ``iii`` …: a father and son differ only there."""

    @property
    def full(self) -> bool:
        """A first name written out (not an initial, not absent)."""
        return self.first is not None and len(self.first) > 1


def person_name(name: str, words: SourceWords | None = None) -> PersonName | None:
    """First, middle and last name of a person's name (None if it has no word).

    Honorifics and titles in front (``Mr``, ``Dr``) and suffixes (``Jr``, ``III``) are left out;
    the surname is the last word, so names written surname first are compared as written.
    """
    words = words or source_words()
    parts = [p.strip(",") for p in name_key(name, hyphens=True).split()]
    while len(parts) > 1 and parts[0] in words.name_prefixes:
        parts.pop(0)
    suffix = None
    if len(parts) > 1 and parts[-1] in words.name_suffixes:
        suffix = parts.pop()
    parts = [p for p in parts if _WORD.fullmatch(p)]
    if not parts:
        return None
    if len(parts) == 1:
        return PersonName(None, (), parts[0], suffix)
    return PersonName(parts[0], tuple(parts[1:-1]), parts[-1], suffix)


def _same_word(a: str, b: str) -> bool:
    """Two name words agree: equal, or one is the other's initial."""
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return a == b


def compatible(a: PersonName, b: PersonName) -> bool:
    """Whether two forms of a name can be one person: the same surname, first names that agree
    (equal, or an initial of the other; a surname alone agrees with any), and middle names that
    do not contradict each other (``George W.`` and ``George H. W.`` do)."""
    if a.last != b.last or a.suffix != b.suffix:
        return False
    if a.first is not None and b.first is not None and not _same_word(a.first, b.first):
        return False
    if a.middles and b.middles:
        if len(a.middles) != len(b.middles):
            return False
        return all(_same_word(x, y) for x, y in zip(a.middles, b.middles, strict=True))
    return True
