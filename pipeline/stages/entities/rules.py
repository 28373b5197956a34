"""The word lists of the entity corrections, read from data files.

- ``entity_rules.json``: named lists (title heads, facility heads, approximators, date words,
  organisation heads …), see the file itself;
- ``entity_titles.tsv``: titles, roles and honorifics (civil, military, religious, local
  government …) that stay outside a PERSON span;
- ``currencies.tsv``: currency symbols, codes and words for MONEY.

Every word is matched in lower case (currency symbols and codes as written).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.resources import resource_path
from newspipe.pipeline.stages.wordlists import read_word_lists

DEFAULT_RULES = resource_path("entity_rules.json")
DEFAULT_TITLES = resource_path("entity_titles.tsv")
DEFAULT_CURRENCIES = resource_path("currencies.tsv")

TITLE_KINDS = (
    "civil", "military", "religious", "local", "honorific", "role", "modifier", "postnominal",
)  # fmt: skip
CURRENCY_KINDS = ("symbol", "code", "word", "prefix", "ambiguous")
REQUIRED_LISTS = ("title_heads", "title_modifiers", "portfolio_words", "facility_heads")


@dataclass(frozen=True)
class EntityRules:
    """Word lists the corrections use (lower-case unless said otherwise)."""

    title_heads: frozenset[str]
    title_modifiers: frozenset[str]
    portfolio_words: frozenset[str]
    facility_heads: frozenset[str]
    facility_labels: frozenset[str]
    place_prepositions: frozenset[str]
    facility_exceptions: frozenset[str]
    # titles (entity_titles.tsv)
    titles: frozenset[str] = frozenset()
    title_qualifiers: frozenset[str] = frozenset()
    honorifics: frozenset[str] = frozenset()
    postnominals: frozenset[str] = frozenset()
    # numbers and dates
    approximators: frozenset[str] = frozenset()
    approximator_pairs: frozenset[tuple[str, ...]] = frozenset()
    outside_numbers: frozenset[str] = frozenset()
    date_prepositions: frozenset[str] = frozenset()
    weekdays: frozenset[str] = frozenset()
    day_words: frozenset[str] = frozenset()
    day_parts: frozenset[str] = frozenset()
    months: frozenset[str] = frozenset()
    relative_time_words: frozenset[str] = frozenset()
    age_prefixes: tuple[tuple[str, ...], ...] = ()
    match_units: frozenset[str] = frozenset()
    time_units_date: frozenset[str] = frozenset()
    time_units_time: frozenset[str] = frozenset()
    frequencies: frozenset[str] = frozenset()
    fractions: frozenset[str] = frozenset()
    rank_words: frozenset[str] = frozenset()
    timezones: frozenset[str] = frozenset()  # as written
    percent_words: frozenset[str] = frozenset()
    # money (currencies.tsv; symbols, codes and prefixes as written)
    currency_symbols: frozenset[str] = frozenset()
    currency_codes: frozenset[str] = frozenset()
    currency_words: frozenset[str] = frozenset()
    currency_prefixes: frozenset[str] = frozenset()
    currency_ambiguous: frozenset[str] = frozenset()
    # names
    publication_heads: frozenset[str] = frozenset()
    organisation_heads: frozenset[str] = frozenset()
    organisation_connectors: frozenset[str] = frozenset()
    organisation_role_words: frozenset[str] = frozenset()
    compass_words: frozenset[str] = frozenset()
    hyphen_prefixes: frozenset[str] = frozenset()
    award_heads: frozenset[str] = frozenset()
    tournament_groups: frozenset[str] = frozenset()
    name_connectors: frozenset[str] = frozenset()


CARDINAL_POINTS = frozenset({"north", "south", "east", "west"})


def _with_adjectives(compass: frozenset[str]) -> frozenset[str]:
    """Compass words and the adjectives of the cardinal points among them (north → northern)."""
    return compass | {word + "ern" for word in compass & CARDINAL_POINTS}


def _read_tsv(path: Path, kind: str, kinds: tuple[str, ...]) -> dict[str, set[str]]:
    """``form<TAB>kind`` lines (``#`` comments and blank lines skipped) grouped by kind."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        raise PipelineError(f"{path}: {kind} file not found or unreadable") from None
    except UnicodeDecodeError:
        raise PipelineError(f"{path}: {kind} file is not UTF-8 text") from None
    groups: dict[str, set[str]] = {k: set() for k in kinds}
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        form, sep, which = line.partition("\t")
        which = which.strip()
        if not sep or not form.strip() or which not in groups:
            raise PipelineError(
                f"{path}:{number}: want 'form<TAB>kind' with kind one of {', '.join(kinds)}"
            )
        groups[which].add(form.strip())
    return groups


def read_entity_rules(
    path: str | Path | None = None,
    titles: str | Path | None = None,
    currencies: str | Path | None = None,
) -> EntityRules:
    """Read the correction word lists (defaults: the packaged files)."""
    path = Path(path) if path is not None else DEFAULT_RULES
    data = read_word_lists(path, "entity rules", REQUIRED_LISTS)

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in data.get(key, []))

    def phrases(key: str) -> frozenset[tuple[str, ...]]:
        return frozenset(tuple(str(w).lower().split()) for w in data.get(key, []))

    title_groups = _read_tsv(Path(titles) if titles else DEFAULT_TITLES, "titles", TITLE_KINDS)
    money = _read_tsv(
        Path(currencies) if currencies else DEFAULT_CURRENCIES, "currencies", CURRENCY_KINDS
    )
    lower_titles = {k: {w.lower().rstrip(".") for w in v} for k, v in title_groups.items()}
    all_titles = set().union(*(v for k, v in lower_titles.items() if k != "postnominal"))
    return EntityRules(
        title_heads=words("title_heads"),
        title_modifiers=words("title_modifiers"),
        portfolio_words=words("portfolio_words"),
        facility_heads=words("facility_heads"),
        facility_labels=frozenset(str(w) for w in data.get("facility_labels", ["ORG", "GPE"])),
        place_prepositions=words("place_prepositions"),
        facility_exceptions=words("facility_exceptions"),
        titles=frozenset(all_titles),
        title_qualifiers=frozenset(lower_titles["modifier"]),
        honorifics=frozenset(lower_titles["honorific"]),
        postnominals=frozenset(lower_titles["postnominal"]),
        approximators=words("approximators"),
        approximator_pairs=phrases("approximator_pairs"),
        outside_numbers=words("outside_numbers"),
        date_prepositions=words("date_prepositions"),
        weekdays=words("weekdays"),
        day_words=words("day_words"),
        day_parts=words("day_parts"),
        months=words("months"),
        relative_time_words=words("relative_time_words"),
        age_prefixes=tuple(sorted(phrases("age_prefixes"), key=len, reverse=True)),
        match_units=words("match_units"),
        time_units_date=words("time_units_date"),
        time_units_time=words("time_units_time"),
        frequencies=words("frequencies"),
        fractions=words("fractions"),
        rank_words=words("rank_words"),
        timezones=frozenset(str(w) for w in data.get("timezones", [])),
        percent_words=words("percent_words"),
        currency_symbols=frozenset(money["symbol"]),
        currency_codes=frozenset(money["code"]),
        currency_words=frozenset(w.lower() for w in money["word"]),
        currency_prefixes=frozenset(money["prefix"]),
        currency_ambiguous=frozenset(w.lower() for w in money["ambiguous"]),
        publication_heads=words("publication_heads"),
        organisation_heads=words("organisation_heads"),
        organisation_connectors=words("organisation_connectors"),
        organisation_role_words=words("organisation_role_words"),
        compass_words=_with_adjectives(words("compass_words")),
        hyphen_prefixes=words("hyphen_prefixes"),
        award_heads=words("award_heads"),
        tournament_groups=words("tournament_groups"),
        name_connectors=words("name_connectors"),
    )
