"""Word lists of the stance stage, read from ``pipeline/resources``, and the lexicon scoring
both stance backends share.

Every list is a data file (one entry a line, ``#`` starts a comment):

- ``stance_cues.tsv``: reporting verbs and nouns with the polarity they give their quote
  (*criticised*, *voiced concerns* → AGAINST; *praised*, *welcomed* → FAVOR).
- ``stance_denials.tsv``: denial verbs, the nouns they reject (*allegations*), and words and
  phrases that call a claim false (*hoax*, *not true*).
- ``stance_hedges.txt``: words that report or hedge a claim without asserting it.
- ``stance_negations.txt``: negation cues.
- ``stance_sentiment.tsv``: news-domain valences on top of the VADER lexicon.
- ``stance_aliases.tsv``: groups of names that stand for the same target.
- ``stance_opposition.txt``: words of opposing or ending (*fight*, *confront*, *against*): a
  negative word shortly after them counts as positive (*fight the crisis*).
- ``stance_relational.txt``: phrases that refer to two parties together (*both nations*).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentimentIntensityAnalyzer

from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.resources import DIRECTORY
from newspipe.pipeline.stages import STANCE_LABELS

POLAR_LABELS = tuple(label for label in STANCE_LABELS if label != "NONE")
"""The labels a polar cue word gives its quote (FAVOR, AGAINST)."""

RESOURCES = DIRECTORY
NEGATION_WINDOW = 3
"""A negation cue flips the valence of a sentiment word up to this many tokens after it."""
OPPOSITION_WINDOW = 5
"""An opposition word turns a negative word positive up to this many tokens after it."""
CLAUSE_BREAKS = frozenset({",", ";", ":", ".", "!", "?", "but"})
"""Tokens that end the scope of a negation or an opposition word."""
BOOST = 0.293
"""VADER's increment for an intensifier (*deeply troubling*)."""
CUE_VALENCE = 2.0
"""The valence a polar cue word counts for when it occurs inside a quote's content."""


def _lines(path: Path, what: str) -> list[tuple[int, str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise PipelineError(f"{path}: cannot read {what} ({err})") from None
    lines = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if line:
            lines.append((n, line))
    return lines


def read_word_list(path: Path, what: str) -> frozenset[str]:
    """One lower-cased entry per line."""
    return frozenset(line.lower() for _, line in _lines(path, what))


def read_cue_polarity(path: str | Path) -> dict[str, str]:
    """Read ``lemma<TAB>FAVOR|AGAINST`` lines."""
    path = Path(path)
    polarity: dict[str, str] = {}
    for n, line in _lines(path, "cue polarity lexicon"):
        parts = line.split("\t")
        if len(parts) != 2 or parts[1] not in POLAR_LABELS:
            raise PipelineError(f"{path}:{n}: expected 'lemma<TAB>FAVOR|AGAINST'")
        polarity[parts[0].lower()] = parts[1]
    return polarity


def read_valences(path: Path) -> dict[str, float]:
    """Read ``word<TAB>valence`` lines."""
    valences: dict[str, float] = {}
    for n, line in _lines(path, "sentiment lexicon"):
        parts = line.split("\t")
        try:
            value = float(parts[1]) if len(parts) == 2 else math.nan
        except ValueError:
            value = math.nan
        if not -4.0 <= value <= 4.0:
            raise PipelineError(f"{path}:{n}: expected 'word<TAB>valence' with -4 <= valence <= 4")
        valences[parts[0].lower()] = value
    return valences


@dataclass(frozen=True)
class Denials:
    """Denial verbs, what they deny, and words and phrases that call a claim false."""

    verbs: frozenset[str]
    nouns: frozenset[str]
    words: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]


def read_denials(path: Path) -> Denials:
    """Read ``kind<TAB>entry`` lines (kinds: verb, noun, word, phrase)."""
    kinds: dict[str, set[str]] = {"verb": set(), "noun": set(), "word": set(), "phrase": set()}
    for n, line in _lines(path, "denial lexicon"):
        parts = line.split("\t")
        if len(parts) != 2 or parts[0] not in kinds:
            raise PipelineError(f"{path}:{n}: expected 'verb|noun|word|phrase<TAB>entry'")
        kinds[parts[0]].add(parts[1].lower())
    return Denials(
        verbs=frozenset(kinds["verb"]),
        nouns=frozenset(kinds["noun"]),
        words=frozenset(kinds["word"]),
        phrases=tuple(sorted(tuple(p.split()) for p in kinds["phrase"])),
    )


def read_aliases(path: Path) -> tuple[tuple[str, ...], ...]:
    """Read tab-separated alias groups, lower-cased."""
    groups = []
    for n, line in _lines(path, "alias table"):
        names = tuple(name.strip().lower() for name in line.split("\t") if name.strip())
        if len(names) < 2:
            raise PipelineError(f"{path}:{n}: an alias group needs at least two names")
        groups.append(names)
    return tuple(groups)


@dataclass(frozen=True)
class StanceLexicons:
    """All word lists of the stance stage."""

    cues: dict[str, str]
    denials: Denials
    hedges: frozenset[str]
    negations: frozenset[str]
    valences: dict[str, float]
    aliases: tuple[tuple[str, ...], ...]
    opposition: frozenset[str] = frozenset()
    boosters: dict[str, float] = field(default_factory=dict)
    quote_marks: frozenset[str] = frozenset({'"', "“", "”", "‘", "’", "'", "«", "»"})

    def valence(self, form: str, lemma: str) -> float:
        """The valence of a word (its form first, then its lemma); 0 if not in the lexicon."""
        value = self.valences.get(form)
        if value is None:
            value = self.valences.get(lemma, 0.0)
        return value

    def cue(self, form: str, lemma: str) -> str | None:
        """FAVOR / AGAINST if the word is a polar reporting verb or noun."""
        return self.cues.get(lemma) or self.cues.get(form)


@lru_cache(maxsize=8)
def load_lexicons(
    resources: str | Path = RESOURCES, cues: str | Path | None = None
) -> StanceLexicons:
    """Read the stance word lists from ``resources`` (``cues`` overrides the cue lexicon)."""
    root = Path(resources)
    valences = {k.lower(): float(v) for k, v in SentimentIntensityAnalyzer().lexicon.items()}
    valences.update(read_valences(root / "stance_sentiment.tsv"))
    return StanceLexicons(
        cues=read_cue_polarity(cues if cues is not None else root / "stance_cues.tsv"),
        denials=read_denials(root / "stance_denials.tsv"),
        hedges=read_word_list(root / "stance_hedges.txt", "hedge list"),
        negations=read_word_list(root / "stance_negations.txt", "negation list"),
        valences=valences,
        aliases=read_aliases(root / "stance_aliases.tsv"),
        opposition=read_word_list(root / "stance_opposition.txt", "opposition list"),
        boosters={k.lower(): float(v) for k, v in BOOSTER_DICT.items()},
    )


def normalise(score: float, alpha: float = 15.0) -> float:
    """VADER's squashing of a summed valence into (-1, 1)."""
    return score / math.sqrt(score * score + alpha) if score else 0.0


def phrase_hits(
    forms: Sequence[str], phrases: Sequence[tuple[str, ...]]
) -> list[tuple[int, tuple[str, ...]]]:
    """Where each phrase occurs in ``forms`` as (start index, phrase)."""
    hits = []
    for phrase in phrases:
        size = len(phrase)
        for i in range(len(forms) - size + 1):
            if tuple(forms[i : i + size]) == phrase:
                hits.append((i, phrase))
    return hits


@dataclass
class LexiconScore:
    """What the word lists find in a stretch of text."""

    positive: float = 0.0
    negative: float = 0.0
    favor_cues: list[str] = field(default_factory=list)
    against_cues: list[str] = field(default_factory=list)
    refutations: list[str] = field(default_factory=list)
    hedges: list[str] = field(default_factory=list)
    negations: int = 0
    questions: int = 0
    words: list[str] = field(default_factory=list)
    """The words that carried valence, with their signed contribution, for explanations."""

    @property
    def total(self) -> float:
        return self.positive + self.negative

    @property
    def compound(self) -> float:
        return normalise(self.total)


def score_tokens(
    lexicons: StanceLexicons,
    forms: Sequence[str],
    lemmas: Sequence[str],
    weights: Sequence[float] | None = None,
    negated: Sequence[bool] | None = None,
) -> LexiconScore:
    """Score lower-cased ``forms`` (with their ``lemmas``) against the word lists.

    A sentiment or polar-cue word counts with its valence times its weight (1 by default),
    raised by a preceding intensifier (*deeply*), flipped when a negation cue precedes it within
    :data:`NEGATION_WINDOW` tokens (or ``negated``, from a parse, says so), and turned positive
    when it is negative and an opposition word (*fight*, *against*) precedes it within
    :data:`OPPOSITION_WINDOW` tokens; opposition words carry no valence of their own. A clause
    break (comma, *but* …) ends both scopes.
    """
    result = LexiconScore()
    last_negation = last_opposition = -OPPOSITION_WINDOW - 1
    denials = lexicons.denials
    for i, (form, lemma) in enumerate(zip(forms, lemmas, strict=True)):
        weight = weights[i] if weights is not None else 1.0
        if form in CLAUSE_BREAKS:
            last_negation = last_opposition = -OPPOSITION_WINDOW - 1
            if form == "?":
                result.questions += 1
            continue
        if form in lexicons.negations or lemma in lexicons.negations:
            last_negation = i
            result.negations += 1
            continue
        if lemma in lexicons.opposition or form in lexicons.opposition:
            last_opposition = i
            continue
        flip = (i - last_negation <= NEGATION_WINDOW) or (negated is not None and negated[i])
        if (form in denials.words or lemma in denials.words) and not flip:
            result.refutations.append(form)
        if form in lexicons.hedges or lemma in lexicons.hedges:
            result.hedges.append(form)
        cue = lexicons.cue(form, lemma)
        if cue is not None:
            if (cue == "FAVOR") != flip:
                result.favor_cues.append(form)
            else:
                result.against_cues.append(form)
            value = CUE_VALENCE if cue == "FAVOR" else -CUE_VALENCE
        else:
            value = lexicons.valence(form, lemma)
        if not value:
            continue
        if i > 0 and forms[i - 1] in lexicons.boosters:
            value += math.copysign(BOOST, value) * math.copysign(1, lexicons.boosters[forms[i - 1]])
        if flip:
            value *= -0.74  # VADER's negation factor
        if value < 0 and i - last_opposition <= OPPOSITION_WINDOW:
            value = -value
        value *= weight
        if value > 0:
            result.positive += value
        elif value < 0:
            result.negative += value
        else:
            continue
        result.words.append(f"{form} {value:+.1f}")
    for _, phrase in phrase_hits(forms, denials.phrases):
        result.refutations.append(" ".join(phrase))
    return result


# --------------------------------------------------------------------------- reading lexicons


@dataclass(frozen=True)
class ReadingLexicons:
    """The word lists of the target-aware reading (what an evaluation is about)."""

    demand_cues: frozenset[str]
    """Reporting verbs whose quote is a demand (*urged … to*)."""
    demand_nouns: frozenset[str]
    """Nouns that name a demand (*calls for*, *a recommendation that*)."""
    modals: frozenset[str]
    """Words that make their clause a demand (*should*, *must*)."""
    effects: dict[str, int]
    """Verbs and nouns of change: +1 up (*boost*), -1 down (*cut*); with a particle as
    ``"turn away"``."""
    neutral_changes: frozenset[str]
    """The changes that only say which way (*increase*, *cut*): no sentiment of their own."""
    goods: dict[str, int]
    """What changes: +1 when more of it is good (*jobs*), -1 when bad (*emissions*)."""
    opponents: frozenset[str]
    """Nouns that name opponents (*critics*, *attackers*)."""
    shell_nouns: frozenset[str]
    """Nouns that refer back to a plan or act (*the idea*, *this move*)."""
    class_nouns: dict[str, frozenset[str]]
    """Entity label → nouns that refer back to a name of that label (*the organisation*)."""
    synonyms: dict[str, frozenset[tuple[str, str]]]
    """A target word → {(a word that stands for it, 'synonym' | 'hypernym')}."""
    light_verbs: frozenset[str]
    """Verbs whose object judges their subject (*has a strong case*)."""
    defences: frozenset[str]
    """Cue lemmas of a target defending itself (*denied*, *rejected*)."""
    fixed_phrases: tuple[tuple[str, ...], ...] = ()
    """Fixed phrases whose words carry no evaluation (*in question*, *as well as*)."""


def _pairs(path: Path, what: str, kinds: tuple[str, ...] | None = None) -> list[list[str]]:
    rows = []
    for n, line in _lines(path, what):
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) < 2 or (kinds is not None and parts[0] not in kinds):
            expected = f"{'|'.join(kinds)}<TAB>…" if kinds else "two tab-separated fields"
            raise PipelineError(f"{path}:{n}: expected {expected}")
        rows.append([p.lower() for p in parts])
    return rows


def read_directions(
    path: Path, values: dict[str, int], what: str, flags: tuple[str, ...] = ()
) -> tuple[dict[str, int], frozenset[str]]:
    """Read ``lemma<TAB>value[<TAB>flag]`` lines whose value is one of ``values`` (e.g.
    up/down); returns the values and the words that carry a flag of ``flags``."""
    out: dict[str, int] = {}
    flagged: set[str] = set()
    for n, (word, value, *rest) in enumerate(_pairs(path, what), 1):
        if value not in values or len(rest) > 1 or (rest and rest[0] not in flags):
            expected = " | ".join(values) + (f" [{' | '.join(flags)}]" if flags else "")
            raise PipelineError(f"{path}: entry {n} ({word}): expected {expected}")
        out[word] = values[value]
        if rest:
            flagged.add(word)
    return out, frozenset(flagged)


def read_synonyms(path: Path) -> dict[str, frozenset[tuple[str, str]]]:
    """Read ``synonym<TAB>a<TAB>b…`` and ``hypernym<TAB>narrow<TAB>wide`` lines."""
    found: dict[str, set[tuple[str, str]]] = {}
    for kind, *words in _pairs(path, "synonym table", ("synonym", "hypernym")):
        if len(words) < 2 or (kind == "hypernym" and len(words) != 2):
            raise PipelineError(f"{path}: '{kind}' needs two words or more ({' '.join(words)})")
        if kind == "synonym":
            for a in words:
                found.setdefault(a, set()).update((b, "synonym") for b in words if b != a)
        else:
            narrow, wide = words
            found.setdefault(narrow, set()).add((wide, "hypernym"))
    return {word: frozenset(others) for word, others in found.items()}


READING_FILES = (
    "stance_demands.tsv",
    "stance_effects.tsv",
    "stance_goods.tsv",
    "stance_opponents.txt",
    "stance_shell_nouns.txt",
    "stance_class_nouns.tsv",
    "stance_synonyms.tsv",
    "stance_light_verbs.txt",
    "stance_defences.txt",
    "stance_fixed_phrases.txt",
)
"""The files of :class:`ReadingLexicons`, in the resources directory."""


@lru_cache(maxsize=8)
def load_reading_lexicons(resources: str | Path = RESOURCES) -> ReadingLexicons:
    """Read the word lists of the target-aware reading from ``resources``."""
    root = Path(resources)
    demand: dict[str, set[str]] = {"cue": set(), "noun": set(), "modal": set()}
    for kind, word, *_ in _pairs(root / "stance_demands.tsv", "demand list", tuple(demand)):
        demand[kind].add(word)
    effects, neutral = read_directions(
        root / "stance_effects.tsv", {"up": 1, "down": -1}, "effect list", ("neutral",)
    )
    classes: dict[str, set[str]] = {}
    for label, word, *_ in _pairs(root / "stance_class_nouns.tsv", "class noun list"):
        classes.setdefault(label.upper(), set()).add(word)
    return ReadingLexicons(
        demand_cues=frozenset(demand["cue"]),
        demand_nouns=frozenset(demand["noun"]),
        modals=frozenset(demand["modal"]),
        effects=effects,
        neutral_changes=neutral,
        goods=read_directions(root / "stance_goods.tsv", {"+1": 1, "-1": -1}, "goods list")[0],
        opponents=read_word_list(root / "stance_opponents.txt", "opponent list"),
        shell_nouns=read_word_list(root / "stance_shell_nouns.txt", "shell noun list"),
        class_nouns={label: frozenset(words) for label, words in classes.items()},
        synonyms=read_synonyms(root / "stance_synonyms.tsv"),
        light_verbs=read_word_list(root / "stance_light_verbs.txt", "light verb list"),
        defences=read_word_list(root / "stance_defences.txt", "defence list"),
        fixed_phrases=tuple(
            sorted(
                tuple(p.split())
                for p in read_word_list(root / "stance_fixed_phrases.txt", "fixed phrase list")
            )
        ),
    )
