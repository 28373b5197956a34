"""The word lists of the source analysis (``resources/source_words.json``), read once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from newspipe.pipeline.resources import resource_path
from newspipe.pipeline.stages.wordlists import read_word_lists

GENDERS = ("male", "female", "nonbinary")
"""The referenced genders that evidence can give (``unknown`` is the absence of evidence)."""

_LISTS = (
    "male_pronouns",
    "female_pronouns",
    "they_pronouns",
    "unresolved_names",
    "male_honorifics",
    "female_honorifics",
    "nonbinary_honorifics",
    "male_nouns",
    "female_nouns",
    "person_nouns",
    "government_nouns",
    "organisation_words",
    "description_nouns",
    "plural_collectives",
    "name_suffixes",
    "name_prefixes",
    "phrase_breaks",
)


@dataclass(frozen=True)
class SourceWords:
    """Lowercase word sets, each by what it tells about a speaker."""

    pronouns: dict[str, str]
    """he/she/they … → the referenced gender they give (they → ``nonbinary``)."""
    honorifics: dict[str, str]
    """mr/mrs/mx … → gender."""
    gendered_nouns: dict[str, str]
    """spokeswoman/father … → gender."""
    unresolved_names: frozenset[str]
    """Pronouns (and ``someone``) left as a speaker name: the quote stage did not resolve them."""
    person_nouns: frozenset[str]
    """Nouns for a person without gender (minister, lawyer): another person in a sentence."""
    government_nouns: frozenset[str]
    organisation_words: frozenset[str]
    description_nouns: frozenset[str]
    """Heads of unnamed sources also when capitalised at a sentence start (Officials, Critics)."""
    plural_collectives: frozenset[str]
    name_suffixes: frozenset[str]
    name_prefixes: frozenset[str]
    phrase_breaks: frozenset[str]


def read_source_words(path: Path | None = None) -> SourceWords:
    """The word lists in ``path`` (default: the packaged ``source_words.json``)."""
    data = read_word_lists(path or resource_path("source_words.json"), "source words", _LISTS)

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in data[key])

    def by_gender(prefix: str) -> dict[str, str]:
        table: dict[str, str] = {}
        for gender in ("male", "female"):
            table.update(dict.fromkeys(words(f"{gender}_{prefix}"), gender))
        return table

    pronouns = by_gender("pronouns") | dict.fromkeys(words("they_pronouns"), "nonbinary")
    honorifics = by_gender("honorifics") | dict.fromkeys(words("nonbinary_honorifics"), "nonbinary")
    return SourceWords(
        pronouns=pronouns,
        honorifics=honorifics,
        gendered_nouns=by_gender("nouns"),
        unresolved_names=words("unresolved_names"),
        person_nouns=words("person_nouns"),
        government_nouns=words("government_nouns"),
        organisation_words=words("organisation_words"),
        description_nouns=words("description_nouns"),
        plural_collectives=words("plural_collectives"),
        name_suffixes=words("name_suffixes"),
        name_prefixes=words("name_prefixes"),
        phrase_breaks=words("phrase_breaks"),
    )


@cache
def source_words() -> SourceWords:
    """The packaged word lists (read once)."""
    return read_source_words()
