"""One source across documents: which documents' speakers are the same source, and why.

Each document has already chosen one canonical name per speaker (the quote stage's
``speaker_name``: the fullest name of that speaker in the document). Across documents:

1. **Same name.** Names that are the same under :func:`~newspipe.pipeline.sources.names.name_key`
   (case, full stops, hyphens, a leading ``the``, a trailing possessive do not count) are one
   source — but a person and a non-person of the same name (``Jordan``) are kept apart.
2. **Forms of one person's name.** Among people, a name joins another of the same surname
   when the first names agree (equal, or an initial of the other) and middle names do not
   contradict (``Ola K. Berg`` joins ``Ola Berg``; ``Ola T. K. Berg`` does not join
   ``Ola K. Berg``). A surname alone or an initial joins only when exactly one group of
   full names fits it (``Berg`` joins ``Ola Berg`` unless another Berg is quoted too).
   Two different full names never merge: ``John Smith`` and ``Jane Smith`` stay apart, and
   ``Smith`` then joins neither.

Names are processed most specific first (full first name, then more words, then more
documents), so each form meets the full names before the short ones. Every decision —
joined, and kept apart because ambiguous or of another kind — is recorded as a
:class:`MergeNote`. With ``merge=False`` only names written exactly alike are one source.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from newspipe.pipeline.sources.documents import DocumentSpeaker
from newspipe.pipeline.sources.names import PersonName, compatible, name_key, person_name
from newspipe.pipeline.sources.words import SourceWords, source_words

SAME_NAME = "same name"
FIRST_AND_SURNAME = "first name and surname agree"
INITIAL_AND_SURNAME = "initial and surname agree with the only such full name"
SURNAME_ONLY = "surname of the only full name with it"
SURNAME_DOMINANT = "surname of the full name quoted in most documents"
DOMINANT_SHARE = 0.9
"""A surname alone (or an initial) that fits several people's full names joins the one
quoted in at least this share of their documents (``Berg`` → ``Ola Berg`` when the other
Bergs are quoted in a few documents); else it is kept apart."""


@dataclass(frozen=True)
class MergeNote:
    """One decision of the merge."""

    name: str
    """A name as written in a document."""
    source: str
    """The source it is part of (its own name when kept apart)."""
    rule: str
    """Why it joined, or why it was kept apart."""
    documents: int
    joined: bool


@dataclass
class SourceCluster:
    """The documents' speakers that are one source."""

    members: list[DocumentSpeaker] = field(default_factory=list)
    forms: Counter[str] = field(default_factory=Counter)
    """Each name as written → documents."""
    person: bool = False
    parts: list[PersonName] = field(default_factory=list)
    """The name forms' parts (people only)."""
    joined: list[MergeNote] = field(default_factory=list)
    """How each name form other than the one shown joined it."""

    @property
    def name(self) -> str:
        """The name shown: the form in most documents among those with a first name written
        out (for a person), else among all."""
        forms = list(self.forms)
        if self.person:
            full = [f for f in forms if (p := person_name(f)) is not None and p.full]
            forms = full or forms
        return max(forms, key=lambda f: (self.forms[f], len(f), f))


def _specificity(parts: PersonName | None) -> tuple[int, int]:
    if parts is None:
        return (0, 0)
    return (2 if parts.full else 1 if parts.first else 0, len(parts.middles))


@dataclass
class _Group:
    """Speakers whose names share one key (and personhood)."""

    key: str
    person: bool
    members: list[DocumentSpeaker] = field(default_factory=list)

    @property
    def documents(self) -> int:
        return len({m.doc_id for m in self.members})

    def forms(self) -> Counter[str]:
        seen: dict[str, set[str]] = {}
        for member in self.members:
            seen.setdefault(member.name, set()).add(member.doc_id)
        return Counter({name: len(docs) for name, docs in seen.items()})

    @property
    def shown(self) -> str:
        forms = self.forms()
        return max(forms, key=lambda f: (forms[f], len(f), f))


def merge_speakers(
    speakers: Iterable[DocumentSpeaker],
    merge: bool = True,
    words: SourceWords | None = None,
) -> tuple[list[SourceCluster], list[MergeNote]]:
    """The sources of a corpus from its documents' speakers, and how each was decided.

    Args:
        speakers: Every document's speakers (kind already inferred).
        merge: False: only names written exactly alike are one source.
        words: The word lists (name prefixes and suffixes).
    """
    words = words or source_words()
    if not merge:
        return _unmerged(speakers)
    groups: dict[tuple[str, bool], _Group] = {}
    for speaker in speakers:
        person = speaker.kind == "person"
        key = (name_key(speaker.name), person)
        groups.setdefault(key, _Group(key[0], person)).members.append(speaker)
    notes: list[MergeNote] = []
    clusters: list[SourceCluster] = []
    by_key: dict[str, list[_Group]] = {}
    for group in groups.values():
        by_key.setdefault(group.key, []).append(group)
    for same_key in by_key.values():
        if len(same_key) > 1:
            a_person = next(g for g in same_key if g.person)
            other = next(g for g in same_key if not g.person)
            rule = (
                f"a person in {a_person.documents} document(s), another kind in "
                f"{other.documents}: kept apart"
            )
            notes += [MergeNote(g.shown, g.shown, rule, g.documents, False) for g in same_key]
    for group in groups.values():
        if not group.person:
            clusters.append(_cluster([group], notes))
    clusters += _merge_people([g for g in groups.values() if g.person], notes, words)
    return clusters, notes


def _unmerged(speakers: Iterable[DocumentSpeaker]) -> tuple[list[SourceCluster], list[MergeNote]]:
    clusters: dict[str, SourceCluster] = {}
    for speaker in speakers:
        cluster = clusters.setdefault(speaker.name, SourceCluster())
        cluster.members.append(speaker)
    for cluster in clusters.values():
        documents = len({m.doc_id for m in cluster.members})
        cluster.forms = Counter({cluster.members[0].name: documents})
        cluster.person = Counter(m.kind == "person" for m in cluster.members).most_common(1)[0][0]
    return list(clusters.values()), []


def _rule(form: str, shown: str, person: bool) -> str:
    """Why a name form is part of the source shown as ``shown``."""
    if name_key(form) == name_key(shown) or not person:
        return SAME_NAME
    parts = person_name(form)
    if parts is not None and parts.full:
        return FIRST_AND_SURNAME
    return INITIAL_AND_SURNAME if parts is not None and parts.first else SURNAME_ONLY


def _cluster(
    groups: Sequence[_Group], notes: list[MergeNote], rules: Mapping[str, str] | None = None
) -> SourceCluster:
    """One source from groups of speakers; a note for every form that joined another
    (``rules``: the rule by group key, where it is not the rule the form shows)."""
    cluster = SourceCluster(person=groups[0].person)
    for group in groups:
        cluster.members += group.members
        cluster.forms.update(group.forms())
    shown = cluster.name
    for group in groups:
        for form, documents in group.forms().items():
            if form != shown:
                rule = (rules or {}).get(group.key) or _rule(form, shown, cluster.person)
                cluster.joined.append(MergeNote(form, shown, rule, documents, True))
    notes += cluster.joined
    return cluster


@dataclass
class _Person:
    """A person being assembled: the name groups that joined, their parts, special rules."""

    groups: list[_Group]
    parts: list[PersonName]
    rules: dict[str, str] = field(default_factory=dict)

    @property
    def documents(self) -> int:
        return sum(g.documents for g in self.groups)


def _dominant(fits: Sequence[_Person]) -> _Person | None:
    """Among full names that a surname (or initial) fits, the one quoted in at least
    :data:`DOMINANT_SHARE` of their documents, if any."""
    best = max(fits, key=lambda p: p.documents)
    return best if best.documents >= DOMINANT_SHARE * sum(p.documents for p in fits) else None


def _merge_people(
    groups: Sequence[_Group], notes: list[MergeNote], words: SourceWords
) -> list[SourceCluster]:
    """Person names of one surname joined when their first and middle names agree."""
    by_surname: dict[str, list[tuple[_Group, PersonName]]] = {}
    clusters: list[SourceCluster] = []
    for group in groups:
        parts = person_name(group.shown, words)
        if parts is None:
            clusters.append(_cluster([group], notes))
        else:
            by_surname.setdefault(parts.last, []).append((group, parts))
    for variants in by_surname.values():
        variants.sort(key=lambda v: (_specificity(v[1]), v[0].documents, v[0].shown), reverse=True)
        found: list[_Person] = []
        for group, parts in variants:
            fits = [p for p in found if all(compatible(parts, other) for other in p.parts)]
            target = fits[0] if len(fits) == 1 else None
            if len(fits) > 1 and not parts.full and (target := _dominant(fits)) is not None:
                share = target.documents / sum(p.documents for p in fits)
                target.rules[group.key] = f"{SURNAME_DOMINANT} ({share:.0%})"
            if target is not None:
                target.groups.append(group)
                target.parts.append(parts)
                continue
            if len(fits) > 1:
                names = " and ".join(sorted(p.groups[0].shown for p in fits))
                rule = f"fits {names}: kept apart"
                notes.append(MergeNote(group.shown, group.shown, rule, group.documents, False))
            found.append(_Person([group], [parts]))
        for person in found:
            cluster = _cluster(person.groups, notes, person.rules)
            cluster.parts = person.parts
            clusters.append(cluster)
    return clusters
