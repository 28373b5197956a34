"""The speakers of one document: who is quoted, what kind of source each is, and how the
article refers to them (referenced gender), from the record alone.

One record (the ``extract`` contract: text, sentences, entities with labels, quotes with
speaker mention and canonical ``speaker_name``) gives one :class:`DocumentSpeaker` per
distinct ``speaker_name``. Nothing here needs a spaCy model: it reads the record's own
annotations and the words of its text.

**Kind** (gold/GUIDELINES.md, section 5) comes from the form of the canonical name and the
entity labels of the document: coordinated names are a ``group``; a name whose head is a
government noun (``the UK government``, ``the Municipality of X``) is ``government``; an
entity with the same name decides by its label (PERSON → person, GPE/LOC and FAC, a seat
of government → government, NORP → group, anything else → organisation); a name whose head is
a common noun (``a spokesman``, ``officials``, ``the study's authors``) is ``unnamed``;
then organisation words (``Agency``, ``Times``, ``.com``), a PERSON entity of the same
surname, or a gendered pronoun as speaker decide, and a lone capitalised word is an
organisation, several a person.

**Referenced gender** is read from the article's own words, each piece kept as
:class:`Evidence` with its offset:

- *direct*: a pronoun speaker mention resolved to the speaker (``… he said``); an honorific
  before one of the speaker's mentions (``Mr``, ``Ms``, ``Mx``); a gendered noun that is the
  head of a speaker mention (``a spokeswoman``, ``her mother``), a title directly before the
  name (``chairwoman Ana Lima``) or the head of an apposition after it (``Ana Lima, a mother
  of two,``);
- *context*: a he/she pronoun outside quotation marks whose sentence — or, when nobody is
  mentioned before it there, the sentence before — mentions this speaker and no other person
  (no other PERSON entity, person speaker or noun for a person such as ``the minister``).

Direct evidence decides when there is any, else context; a tie is ``unknown``.
Organisations, governments, groups and plural unnamed sources are ``unknown`` whatever the
words around them (the guidelines' rule); ``nonbinary`` needs a named person referred to as
``they`` in a speaker mention (or ``Mx``) and no he/she anywhere for them.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from newspipe.pipeline.sources.names import (
    PersonName,
    compatible,
    display_name,
    name_key,
    person_name,
)
from newspipe.pipeline.sources.words import SourceWords, source_words

KINDS = ("person", "organisation", "government", "group", "unnamed")
"""Kinds of source (gold/GUIDELINES.md, section 5)."""

QUOTE_TYPES = ("direct", "indirect", "mixed")
STANCE_LABELS = ("FAVOR", "AGAINST", "NONE")

PEOPLE = ("person", "unnamed")
"""Kinds that can have a referenced gender (an unnamed source only when singular)."""

ENTITY_KINDS = {"PERSON": "person", "GPE": "government", "LOC": "government"}
ENTITY_KINDS |= {"FAC": "government", "NORP": "group", "ORG": "organisation"}
"""Entity label of a source's name → its kind (other labels: organisation). A facility that
speaks is a seat of government (``the palace said``)."""

_WORD = re.compile(r"\w+(?:[-'’.]\w+)*['’]?")
_BREAK_AFTER = re.compile(r"\s*,\s*")
_CLAUSE_END = re.compile(r"[,.;:()!?\"“”\[\]]")
_PREPOSITIONS = frozenset({"of", "for", "to", "at", "with", "from", "in", "on", "by", "about"})
_RELATIVES = frozenset({"who", "whose", "which", "that", "whom", "where", "said", "says"})
_COORDINATION = re.compile(r"\s*,\s*(?:and\s+|&\s*)?|\s+(?:and|&)\s+")


@dataclass(frozen=True)
class Evidence:
    """One piece of the article's wording that gives a speaker's referenced gender."""

    gender: str
    """male, female or nonbinary."""
    cue: str
    """pronoun, honorific or noun."""
    word: str
    """The word as written."""
    start: int
    """Its offset in the document's text."""
    how: str
    """speaker mention, title, apposition, same sentence, sentence before."""
    direct: bool
    """False for a pronoun tied to the speaker by its context."""
    context: str = ""
    """The words around it (at most 60 characters each side, on one line)."""

    def describe(self) -> str:
        return f"{self.cue} '{self.word}' ({self.how}, at {self.start})"


@dataclass
class DocumentSpeaker:
    """One distinct ``speaker_name`` of a document, with its quotes, kind and gender."""

    doc_id: str
    name: str
    """The canonical name as the record writes it (whitespace collapsed)."""
    kind: str = "unnamed"
    kind_reason: str = ""
    gender: str = "unknown"
    gender_reason: str = ""
    plural: bool = False
    evidence: list[Evidence] = field(default_factory=list)
    types: Counter[str] = field(default_factory=Counter)
    stances: dict[str, Counter[str]] = field(default_factory=dict)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    """Spans of the speaker mentions of its quotes."""
    first_offset: int = 0

    @property
    def quotes(self) -> int:
        return sum(self.types.values())


@dataclass
class DocumentSources:
    """What one record tells about its sources."""

    doc_id: str
    speakers: list[DocumentSpeaker]
    unattributed: int
    """Quotes with no speaker name."""
    quotes: int
    unresolved: Counter[str] = field(default_factory=Counter)
    """Quotes whose speaker name is a pronoun the quote stage left unresolved, by pronoun."""


# --------------------------------------------------------------------------- the document


@dataclass(frozen=True)
class _Entity:
    start: int
    end: int
    label: str
    text: str
    key: str


class _Text:
    """The record's text with the indexes the rules need: word tokens, sentence starts,
    quoted regions, entities."""

    def __init__(self, record: Mapping[str, Any]) -> None:
        self.text: str = record["text"]
        sentences = record.get("sentences") or []
        if sentences:
            self.sentence_starts = sorted(int(s["start"]) for s in sentences)
        else:  # one sentence per line
            self.sentence_starts = [0] + [m.end() for m in re.finditer(r"\n+", self.text)]
        self.entities = [
            _Entity(e["start"], e["end"], e["label"], e["text"], name_key(e["text"]))
            for e in record.get("entities") or []
            if isinstance(e, Mapping) and e.get("text")
        ]
        self.entity_labels: dict[str, Counter[str]] = {}
        for entity in self.entities:
            self.entity_labels.setdefault(entity.key, Counter())[entity.label] += 1
        self.quoted = self._quoted_regions(record)
        self._quoted_starts = [start for start, _ in self.quoted]

    def _quoted_regions(self, record: Mapping[str, Any]) -> list[tuple[int, int]]:
        """Stretches inside quotation marks (a speaker's own words): marked pairs within a
        paragraph, an opening mark left open to the end of its paragraph, and the content of
        every direct quote."""
        regions = [
            (m.start(), m.end())
            for m in re.finditer(r"“[^“”\n]*(?:”|$)|\"[^\"\n]*\"|«[^«»\n]*»", self.text, re.M)
        ]
        for quote in record.get("quotes") or []:
            if quote.get("type") == "direct" and quote.get("content"):
                regions.append((quote["content"]["start"], quote["content"]["end"]))
        regions.sort()
        merged: list[tuple[int, int]] = []
        for start, end in regions:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged

    def in_quotes(self, offset: int) -> bool:
        i = bisect.bisect_right(self._quoted_starts, offset) - 1
        return i >= 0 and self.quoted[i][0] <= offset < self.quoted[i][1]

    def sentence_of(self, offset: int) -> int:
        return max(bisect.bisect_right(self.sentence_starts, offset) - 1, 0)

    def word_before(self, start: int) -> tuple[str, int] | None:
        """The word just before ``start`` (a full stop after it allowed: ``Mr.``)."""
        match = re.search(r"(\w+(?:-\w+)*)\.?\s+$", self.text[max(0, start - 40) : start])
        if match is None:
            return None
        return match.group(1), max(0, start - 40) + match.start(1)

    def context(self, start: int, end: int, width: int = 60) -> str:
        """The text around ``start:end`` on one line, the span in [brackets]."""
        left = self.text[max(0, start - width) : start]
        right = self.text[end : end + width]
        shown = f"{left}[{self.text[start:end]}]{right}"
        return (
            ("…" if start > width else "")
            + " ".join(shown.split())
            + ("…" if end + width < len(self.text) else "")
        )

    def occurrences(self, phrase: str) -> list[tuple[int, int]]:
        """Where ``phrase`` is written as whole words (case as written)."""
        if not phrase.strip():
            return []
        pattern = r"(?<!\w)" + re.escape(phrase) + r"(?!\w)"
        return [(m.start(), m.end()) for m in re.finditer(pattern, self.text)]


def _words(text: str, offset: int = 0) -> list[tuple[str, int]]:
    return [(m.group(0), offset + m.start()) for m in _WORD.finditer(text)]


def _possessive(word: str) -> bool:
    return word.endswith(("'s", "’s", "'", "’")) and len(word) > 2


def _plural(word: str, words: SourceWords) -> bool:
    lower = word.lower()
    if lower in words.plural_collectives:
        return True
    return len(lower) > 3 and lower.endswith("s") and not lower.endswith(("ss", "us", "is"))


# --------------------------------------------------------------------------- kind


def _head(name: str, words: SourceWords) -> tuple[list[str], list[str]]:
    """The words of a name up to its first break (``of``, ``at``, ``such as``, a comma …),
    and the words after it."""
    tokens = [w for w, _ in _words(name)]
    for i, token in enumerate(tokens):
        if i and token.lower() in words.phrase_breaks:
            return tokens[:i], tokens[i + 1 :]
    return tokens, []


def _coordinated(name: str, key: str, doc: _Text) -> bool:
    """Several names joined (``Oslo and Bergen``, ``A, B and the C``), not one entity's
    name, and not an organisation's name of the form ``X of Y and Z``."""
    if key in doc.entity_labels:
        return False
    parts = [display_name(p) for p in _COORDINATION.split(name) if p.strip()]
    if len(parts) < 2 or not all(p[:1].isupper() for p in parts):
        return False
    first = _COORDINATION.search(name)
    return first is None or " of " not in name[: first.start()]


def _entity_kind(labels: Counter[str]) -> tuple[str, str]:
    label = labels.most_common(1)[0][0]
    return ENTITY_KINDS.get(label, "organisation"), f"{label} entity"


def infer_kind(
    name: str,
    doc: _Text,
    mentions: Sequence[tuple[int, int]] = (),
    gendered_pronoun: bool = False,
    words: SourceWords | None = None,
) -> tuple[str, str, bool]:
    """The kind of the source named ``name`` in a document, why, and whether the name is plural.

    Args:
        name: The canonical speaker name.
        doc: The document.
        mentions: Spans of its speaker mentions (entities inside them count for its kind).
        gendered_pronoun: Whether a he/she speaker mention was resolved to it.
        words: The word lists.
    """
    words = words or source_words()
    shown = display_name(name)
    key = name_key(shown)
    pre, _ = _head(shown, words)
    if not pre:
        return "unnamed", "no word in the name", False
    head = pre[-1].rstrip("'’")
    lower = head.lower()
    plural = _plural(head, words)
    if _coordinated(shown, key, doc):
        return "group", "coordinated names", True
    if lower in words.government_nouns or (plural and lower[:-1] in words.government_nouns):
        if plural:
            return "group", f"plural of '{lower[:-1]}'", True
        return "government", f"government noun '{head}'", False
    if len(pre) == 1 and lower in words.description_nouns:
        return "unnamed", f"description '{head}'", plural
    exact = doc.entity_labels.get(key)
    if exact:
        kind, reason = _entity_kind(exact)
        return kind, reason, kind == "group"
    if head[:1].islower() or not head[:1].isalpha():
        return "unnamed", f"description '{head}'", plural
    head_key = name_key(head)
    inner = Counter(
        e.label
        for e in doc.entities
        if e.key
        and e.key.split()[-1] == head_key
        and (f" {e.key} " in f" {key} " or any(s <= e.start and e.end <= t for s, t in mentions))
    )
    if inner:
        kind, reason = _entity_kind(inner)
        return kind, f"{reason} in the name", kind == "group"
    if any(w.lower().rstrip(".") in words.organisation_words for w in pre) or re.search(
        r"\.(?:com|org|net|gov)\b", shown, re.IGNORECASE
    ):
        return "organisation", "organisation word in the name", False
    if len(pre) == 1 and shown.isupper() and len(shown) > 1:
        return "organisation", "acronym", False
    person = person_name(shown, words)
    if person is not None and any(
        e.label == "PERSON"
        and (p := person_name(e.text, words)) is not None
        and p.last == person.last
        for e in doc.entities
    ):
        return "person", "a PERSON entity with this surname", False
    if gendered_pronoun:
        return "person", "referred to as he or she", False
    if len(pre) == 1:
        return "organisation", "one capitalised word, no entity", False
    return "person", "capitalised name, no entity", False


# --------------------------------------------------------------------------- gender


@dataclass
class _Speaker:
    """A document speaker while its mentions are collected."""

    out: DocumentSpeaker
    person: PersonName | None = None
    mentions: list[tuple[int, int, str]] = field(default_factory=list)
    """(start, end, how): speaker mentions and name mentions."""
    zones: list[tuple[int, int]] = field(default_factory=list)
    """Stretches that belong to its mentions: the mention, its title, its apposition."""
    titles: set[str] = field(default_factory=set)
    """Nouns for a person written as its title (``President`` of ``President Ana Lima``)."""

    @property
    def can_be_gendered(self) -> bool:
        return self.out.kind == "person" or (self.out.kind == "unnamed" and not self.out.plural)


def _noun_evidence(
    tokens: Sequence[tuple[str, int]], how: str, words: SourceWords
) -> list[Evidence]:
    """Gendered nouns among the words of a mention or apposition that are not possessive and
    not inside a prepositional phrase (``the boy's father`` → father; ``a friend of the
    queen`` → nothing)."""
    found: list[Evidence] = []
    for word, start in tokens:
        lower = word.lower()
        if lower in _PREPOSITIONS or lower in _RELATIVES:
            break
        if _possessive(word):
            continue
        gender = words.gendered_nouns.get(lower)
        if gender is not None:
            found.append(Evidence(gender, "noun", word, start, how, True))
    return found


def _apposition(doc: _Text, end: int) -> tuple[int, int] | None:
    """The stretch of an apposition right after a mention (``, a spokeswoman for X,``), up to
    the next punctuation (at most 80 characters)."""
    match = _BREAK_AFTER.match(doc.text, end, min(len(doc.text), end + 4))
    if match is None:
        return None
    start = match.end()
    window = doc.text[start : start + 80]
    stop = _CLAUSE_END.search(window)
    return start, start + (stop.start() if stop else len(window))


def _mention_evidence(doc: _Text, speaker: _Speaker, words: SourceWords) -> list[Evidence]:
    """Direct evidence: pronoun speaker mentions, honorifics and gendered nouns of the
    speaker's own mentions (with their titles and appositions)."""
    found: list[Evidence] = []
    for start, end, how in speaker.mentions:
        text = doc.text[start:end]
        tokens = _words(text, start)
        zone_start, zone_end = start, end
        if how == "speaker mention" and len(tokens) == 1 and tokens[0][0].lower() in words.pronouns:
            gender = words.pronouns[tokens[0][0].lower()]
            found.append(Evidence(gender, "pronoun", tokens[0][0], start, how, True))
            speaker.zones.append((start, end))
            continue
        if how == "speaker mention":
            speaker.titles |= {
                w.lower()
                for w, _ in tokens[:-1]
                if w[:1].isupper() and w.lower() in words.person_nouns
            }
            if tokens and tokens[0][0].lower().rstrip(".") in words.honorifics:
                word = tokens[0][0]
                found.append(
                    Evidence(
                        words.honorifics[word.lower().rstrip(".")],
                        "honorific",
                        word,
                        start,
                        how,
                        True,
                    )
                )
            found += _noun_evidence(tokens, "in the speaker mention", words)
        before = doc.word_before(start)
        if before is not None:
            word, at = before
            lower = word.lower()
            if lower in words.honorifics:
                found.append(
                    Evidence(words.honorifics[lower], "honorific", word, at, "title", True)
                )
                zone_start = at
            elif lower in words.gendered_nouns:
                found.append(Evidence(words.gendered_nouns[lower], "noun", word, at, "title", True))
                zone_start = at
            elif lower in words.person_nouns:
                speaker.titles.add(lower)
                zone_start = at
        apposition = _apposition(doc, end)
        if apposition is not None:
            a, b = apposition
            appositive = _words(doc.text[a:b], a)
            if appositive and appositive[0][0].lower() not in _RELATIVES:
                found += _noun_evidence(appositive, "apposition", words)
                cut = next((s for w, s in appositive if w.lower() in _PREPOSITIONS | _RELATIVES), b)
                zone_end = cut
        speaker.zones.append((zone_start, zone_end))
    return found


@dataclass(frozen=True)
class _Candidate:
    """A mention of a person before a pronoun: whose it is (None: someone else)."""

    start: int
    owner: int | None


def _candidates(doc: _Text, speakers: Sequence[_Speaker], words: SourceWords) -> list[_Candidate]:
    """Every mention of a person in the document, with the speaker it belongs to, if one:
    PERSON entities (and their surnames inside other names: ``the Berg Gallery``), mentions of
    people who are quoted, and nouns for a person (``the minister``: the speaker whose title
    it is when only one person has that title)."""
    found: list[_Candidate] = []
    zones = sorted((s, e, i) for i, sp in enumerate(speakers) for s, e in sp.zones)
    zone_starts = [s for s, _, _ in zones]

    def owner_at(start: int, end: int) -> int | None:
        i = bisect.bisect_right(zone_starts, start) - 1
        owners = {o for s, e, o in zones[max(0, i - 3) : i + 1] if s <= start and end <= e}
        return owners.pop() if len(owners) == 1 else None

    people = [i for i, sp in enumerate(speakers) if sp.can_be_gendered]
    full_names = {
        name_key(e.text): p
        for e in doc.entities
        if e.label == "PERSON" and (p := person_name(e.text, words)) is not None and p.full
    }
    surnames: dict[str, int | None] = {}
    other_titles: set[str] = set()
    for entity in doc.entities:
        if entity.label != "PERSON":
            continue
        owner = _entity_owner(entity, speakers, full_names, words)
        found.append(_Candidate(entity.start, owner))
        last = entity.text.split()[-1]
        if last[:1].isupper() and len(last) > 2:
            surnames[last] = owner if surnames.get(last, owner) == owner else None
        if owner is None and (before := doc.word_before(entity.start)) is not None:
            other_titles.add(before[0].lower())
    titles: dict[str, set[int]] = {}
    for i in people:
        found += [_Candidate(start, i) for start, _, _ in speakers[i].mentions]
        for title in speakers[i].titles - other_titles:
            titles.setdefault(title, set()).add(i)
    for match in _WORD.finditer(doc.text):
        word = match.group(0)
        lower = word.lower()
        if word in surnames:
            owner = surnames[word]
            found.append(_Candidate(match.start(), owner if owner in people else None))
        elif lower in words.person_nouns or lower in words.gendered_nouns:
            owner = owner_at(match.start(), match.end())
            after_the = doc.text[max(0, match.start() - 4) : match.start()].lower() == "the "
            if owner is None and len(titles.get(lower, ())) == 1 and after_the:
                (owner,) = titles[lower]
            found.append(_Candidate(match.start(), owner if owner in people else None))
    found.sort(key=lambda c: c.start)
    return found


def _entity_owner(
    entity: _Entity,
    speakers: Sequence[_Speaker],
    full_names: Mapping[str, PersonName],
    words: SourceWords,
) -> int | None:
    """The person speaker a PERSON entity names, when it can name only that one."""
    form = person_name(entity.text, words)
    if form is None:
        return None
    owners = [
        i
        for i, sp in enumerate(speakers)
        if sp.out.kind == "person" and sp.person is not None and compatible(form, sp.person)
    ]
    if len(owners) != 1:
        return None
    own = speakers[owners[0]].person
    assert own is not None
    others = [p for p in full_names.values() if compatible(form, p) and not compatible(p, own)]
    return None if others else owners[0]


def _context_evidence(
    doc: _Text, speakers: Sequence[_Speaker], words: SourceWords
) -> dict[int, list[Evidence]]:
    """he/she pronouns outside quotation marks tied to the only person mentioned before them
    in their sentence (or, when nobody is, in the sentence before)."""
    found: dict[int, list[Evidence]] = {}
    candidates = _candidates(doc, speakers, words)
    starts = [c.start for c in candidates]
    taken = {s for sp in speakers for s, _, how in sp.mentions if how == "speaker mention"}
    pronoun = re.compile(
        r"(?<!\w)("
        + "|".join(p for p, g in words.pronouns.items() if g != "nonbinary")
        + r")(?!\w)",
        re.IGNORECASE,
    )
    for match in pronoun.finditer(doc.text):
        at = match.start()
        if at in taken or doc.in_quotes(at):
            continue
        sentence = doc.sentence_of(at)
        same = doc.sentence_starts[sentence] if doc.sentence_starts else 0
        before = doc.sentence_starts[sentence - 1] if sentence > 0 else same
        lo, mid, hi = (bisect.bisect_left(starts, x) for x in (before, same, at))
        how = "same sentence" if mid < hi else "sentence before"
        if mid < hi:
            lo = mid
        owners = {candidates[k].owner for k in range(lo, hi)}
        if len(owners) != 1:
            continue
        (owner,) = owners
        if owner is None or not speakers[owner].can_be_gendered:
            continue
        word = match.group(0)
        gender = words.pronouns[word.lower()]
        found.setdefault(owner, []).append(Evidence(gender, "pronoun", word, at, how, False))
    return found


AGREEMENT = 2 / 3
"""Share of the deciding evidence that the winning gender needs; less is a conflict (the
quote stage resolved a pronoun to the wrong person, say) and gives unknown."""


def decide_gender(evidence: Sequence[Evidence], kind: str, plural: bool) -> tuple[str, str]:
    """Referenced gender from evidence: direct evidence decides when there is any, else
    context; the winning gender needs :data:`AGREEMENT` of the pieces, else it is unknown.
    ``nonbinary`` (they for a named person, Mx) counts only when no he/she is used for the
    speaker at all. Organisations, governments, groups and plural unnamed sources are
    unknown."""
    if kind not in PEOPLE:
        return "unknown", f"a source of kind {kind}"
    if plural:
        return "unknown", "a plural source"
    none = "no pronoun, honorific or gendered noun for this speaker"
    he_she = any(e.gender != "nonbinary" for e in evidence)
    usable = [e for e in evidence if e.gender != "nonbinary" or not he_she]
    if not he_she and usable and kind != "person":
        return "unknown", "'they' for an unnamed source"
    direct = [e for e in usable if e.direct]
    pool = direct or usable
    if not pool:
        return "unknown", none
    tier = "direct" if direct else "context"
    ranked = Counter(e.gender for e in pool).most_common()
    gender, count = ranked[0]
    if count < AGREEMENT * len(pool):
        shown = ", ".join(f"{g} {n}" for g, n in ranked)
        return "unknown", f"conflicting {tier} evidence ({shown})"
    return gender, f"{count} of {len(pool)} {tier} piece(s) of evidence"


# --------------------------------------------------------------------------- the record


def _stance_items(quote: Mapping[str, Any], target: str | None) -> list[tuple[str, str]]:
    """(target, label) of a quote: ``stances`` per target when the record has them, else its
    ``stance`` toward the document's target."""
    stances = quote.get("stances")
    if isinstance(stances, Mapping) and stances:
        return [(str(t), str(label)) for t, label in stances.items() if label is not None]
    stance = quote.get("stance")
    if stance is None:
        return []
    return [(target if target is not None else "(no target)", str(stance))]


def record_target(record: Mapping[str, Any]) -> str | None:
    """The document's stance target (the first one when it has several)."""
    target = record.get("target")
    if isinstance(target, list):
        target = target[0] if target else None
    return None if target is None else str(target)


def unresolved_name(name: str, words: SourceWords | None = None) -> bool:
    """Whether a speaker name is a pronoun (``he``, ``it``, ``someone``) rather than a name:
    a speaker the quote stage did not resolve. ``US`` and ``IT`` in capitals are names."""
    words = words or source_words()
    shown = display_name(name)
    return shown.lower() in words.unresolved_names and not (shown.isupper() and len(shown) > 1)


def document_sources(
    record: Mapping[str, Any],
    words: SourceWords | None = None,
    min_confidence: float | None = None,
    kinds: Mapping[str, tuple[str, str]] | None = None,
) -> DocumentSources:
    """The sources of one record: one :class:`DocumentSpeaker` per distinct speaker name,
    with its quote counts, stance counts per target, kind and referenced gender.

    Args:
        record: A record of the ``extract`` contract (``confidence``, ``stances`` per quote
            are read when present).
        words: The word lists (default: the packaged ones).
        min_confidence: Leave out quotes whose ``confidence`` is below this (quotes without
            a confidence are kept).
        kinds: Kind and reason by :func:`name_key` of a name, decided elsewhere (over a
            corpus), instead of this document's own.
    """
    words = words or source_words()
    doc_id = str(record["id"])
    target = record_target(record)
    by_name: dict[str, DocumentSpeaker] = {}
    unattributed = quotes = 0
    unresolved: Counter[str] = Counter()
    for quote in record.get("quotes") or []:
        confidence = quote.get("confidence")
        if min_confidence is not None and confidence is not None and confidence < min_confidence:
            continue
        quotes += 1
        raw = quote.get("speaker_name") or (quote.get("speaker") or {}).get("text")
        name = " ".join(str(raw).split()) if raw else ""
        if not name:
            unattributed += 1
            continue
        if unresolved_name(name, words):
            unresolved[display_name(name).lower()] += 1
            continue
        speaker = by_name.get(name)
        if speaker is None:
            offset = (quote.get("speaker") or quote["content"])["start"]
            speaker = by_name[name] = DocumentSpeaker(doc_id, name, first_offset=offset)
        speaker.types[quote["type"]] += 1
        for stance_target, label in _stance_items(quote, target):
            speaker.stances.setdefault(stance_target, Counter())[label] += 1
        if quote.get("speaker"):
            speaker.mentions.append((quote["speaker"]["start"], quote["speaker"]["end"]))
    speakers = list(by_name.values())
    if speakers:
        _analyse(record, speakers, words, kinds or {})
    return DocumentSources(doc_id, speakers, unattributed, quotes, unresolved)


def _analyse(
    record: Mapping[str, Any],
    speakers: list[DocumentSpeaker],
    words: SourceWords,
    kinds: Mapping[str, tuple[str, str]],
) -> None:
    """Kind, mentions and referenced gender of each speaker of a record (in place)."""
    doc = _Text(record)
    found: list[_Speaker] = []
    for out in speakers:
        pronoun_mention = any(
            doc.text[s:e].strip().lower() in words.pronouns
            and words.pronouns[doc.text[s:e].strip().lower()] != "nonbinary"
            for s, e in out.mentions
        )
        out.kind, out.kind_reason, out.plural = infer_kind(
            out.name, doc, out.mentions, pronoun_mention, words
        )
        decided = kinds.get(name_key(out.name))
        if decided is not None and decided[0] != out.kind:
            out.kind, out.kind_reason = decided[0], f"{decided[1]}; here: {out.kind_reason}"
            out.plural = out.plural and out.kind in ("group", "unnamed")
        speaker = _Speaker(out, person_name(out.name, words) if out.kind == "person" else None)
        speaker.mentions = [(s, e, "speaker mention") for s, e in out.mentions]
        found.append(speaker)
    _add_name_mentions(doc, found, words)
    context = {}
    direct = [_mention_evidence(doc, sp, words) for sp in found]
    if any(sp.can_be_gendered for sp in found):
        context = _context_evidence(doc, found, words)
    for i, speaker in enumerate(found):
        out = speaker.out
        unique = {(e.start, e.cue): e for e in direct[i] + context.get(i, [])}
        out.evidence = [
            replace(e, context=doc.context(e.start, e.start + len(e.word)))
            for e in sorted(unique.values(), key=lambda e: e.start)
        ]
        out.mentions = []  # offsets are no longer needed: keep a corpus's speakers small
        out.gender, out.gender_reason = decide_gender(out.evidence, out.kind, out.plural)


def _add_name_mentions(doc: _Text, speakers: list[_Speaker], words: SourceWords) -> None:
    """Each speaker's name mentions: where its name is written, and (for a person) the PERSON
    entities that can only be this person (``Berg`` for ``Ola Berg`` when no other
    person of that surname is in the document)."""
    full_names = {
        name_key(e.text): p
        for e in doc.entities
        if e.label == "PERSON" and (p := person_name(e.text, words)) is not None and p.full
    }
    taken = {(s, e) for sp in speakers for s, e, _ in sp.mentions}
    for i, speaker in enumerate(speakers):
        if speaker.out.kind == "unnamed":  # a description names no one: each use is its own
            continue
        spans = set(doc.occurrences(display_name(speaker.out.name)))
        if speaker.out.kind == "person":
            spans |= {
                (e.start, e.end)
                for e in doc.entities
                if e.label == "PERSON" and _entity_owner(e, speakers, full_names, words) == i
            }
        for start, end in sorted(spans - taken):
            speaker.mentions.append((start, end, "name"))
