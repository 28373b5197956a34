"""Speakers: the source mention of a cue, and its canonical name in the document.

The mention of a cue is its subject, the agent of a passive ("was criticised by X"), the
noun a relative clause hangs from ("officials who said …"), or the subject of the verb that
a participle or infinitive depends on ("…, saying …"). It is the whole noun phrase with
titles, determiners and appositions, without a possessive "'s" and without edge punctuation.

The canonical name comes from a light, rule-based coreference inside one document:

- a mention that contains a name takes the fullest name of that entity in the document
  ("Smith" → "Jane Smith": a shorter PERSON name whose tokens end a longer one);
- a personal pronoun takes the most recent person speaker or person name; "it"/"they" the
  most recent organisation, country or group;
- a definite description ("the minister", "the agency") takes the most recent entity of the
  matching kind, preferring one whose name contains the noun ("the agency" → "… News Agency");
- a group without one name ("Danish and Swedish officials") keeps the mention as written,
  without a leading determiner or quantifier.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
CLIMB_DEPS = frozenset({"advcl", "xcomp", "conj", "ccomp", "acomp"})
INVERTED_DEPS = frozenset({"dobj", "attr", "npadvmod", "appos", "dative", "oprd"})
GROUP_LABELS = ("ORG", "GPE", "NORP")
NAME_LABELS = ("PERSON", *GROUP_LABELS)
# Nouns naming an utterance: as the subject of a cue, their owner is the speaker.
SPEECH_NOUNS = frozenset(
    {"remark", "statement", "comment", "speech", "letter", "tweet", "post", "message",
     "announcement", "report", "claim", "testimony", "interview", "address", "note", "memo",
     "release", "response", "reply", "argument", "assertion", "warning", "words"}
)  # fmt: skip
RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})
LEADING_WORDS = frozenset({"the", "both", "all", "some", "many", "several", "a", "an"})
EDGE = frozenset({",", ";", ":", "—", "–", "-", "(", "'s", "’s", "'", "’", "--"})


def noun_phrase(doc: Doc, head: Token, avoid: Token | None = None) -> Span:
    """The mention headed by ``head``: its subtree, without edge punctuation and "'s", cut
    before a comma-led relative clause and before the clause of ``avoid`` (the cue)."""
    start, end = head.left_edge.i, head.right_edge.i + 1
    for token in doc[head.i + 1 : end]:
        if token.dep_ == "relcl" and doc[token.left_edge.i - 1].text == ",":
            end = token.left_edge.i
            break
    if avoid is not None and start <= avoid.i < end:
        branch = avoid
        while branch.head.i != branch.i and branch.head.i != head.i:
            branch = branch.head
        if branch.i > head.i:
            end = min(end, branch.left_edge.i)
        else:
            start = max(start, branch.right_edge.i + 1)
    while end > start + 1 and (doc[end - 1].text in EDGE or doc[end - 1].is_space):
        end -= 1
    while start < end - 1 and (doc[start].text in EDGE or doc[start].is_space):
        start += 1
    return doc[start:end]


def speaker_of(cue: Token, depth: int = 0) -> Span | None:
    """The speaker mention of a cue verb, or None.

    In order: the agent of a passive; the subject (a relative pronoun as subject is the
    mention, as PolNeAR writes it); a name or noun right after the verb in an inverted
    attribution ("…,” said the minister); the noun a reduced relative clause hangs from;
    the speaker of the verb an infinitive, participle or gerund depends on.
    """
    doc = cue.doc
    for child in cue.children:
        if child.dep_ == "agent":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                mention = noun_phrase(doc, objects[0], avoid=cue)
                for prep in objects[0].rights:
                    if prep.dep_ == "prep" and prep.lower_ in ("of", "for", "over"):
                        return doc[mention.start : max(mention.start + 1, prep.i)]
                return mention
    for child in cue.children:
        if child.dep_ in SUBJECT_DEPS:
            if child.lemma_.lower() in SPEECH_NOUNS:
                # "Her statement said …", "the agency's report said …": the owner speaks
                owners = [c for c in child.children if c.dep_ == "poss"]
                if owners:
                    return noun_phrase(doc, owners[0])
            return noun_phrase(doc, child, avoid=cue)
    if any(child.dep_ == "nsubjpass" for child in cue.children):
        return None
    for child in cue.rights:
        if (
            child.dep_ in INVERTED_DEPS
            and child.i <= cue.i + 4
            and child.pos_ in ("PROPN", "NOUN")
            and any(c.dep_ in ("ccomp", "parataxis") and c.i < cue.i for c in cue.children)
        ):
            return noun_phrase(doc, child, avoid=cue)
    if depth < 3 and cue.head.i != cue.i:
        head = cue.head
        if cue.dep_ in ("relcl", "acl") and head.pos_ in ("NOUN", "PROPN", "PRON"):
            return noun_phrase(doc, head, avoid=cue)
        if cue.dep_ == "pcomp" and head.dep_ == "prep" and head.head.i != head.i:
            head = head.head
            if head.pos_ in ("VERB", "AUX"):
                return speaker_of(head, depth + 1)
        if cue.dep_ in CLIMB_DEPS and head.pos_ in ("VERB", "AUX", "ADJ"):
            return speaker_of(head, depth + 1)
    return None


@dataclass
class NameIndex:
    """Canonical names of a document's entities, and recent speakers for pronouns."""

    names: dict[tuple[int, int], str]
    ents: list[Span]
    person_nouns: frozenset[str]
    group_nouns: frozenset[str]
    recent: list[tuple[int, str, str]] = field(default_factory=list)  # (token, kind, name)

    def note(self, position: int, kind: str, name: str) -> None:
        """Remember a resolved speaker (for later pronouns)."""
        self.recent.append((position, kind, name))


def canonical_names(doc: Doc) -> dict[tuple[int, int], str]:
    """Map each entity's ``(start, end)`` to the fullest name of its entity in ``doc``."""
    names: dict[tuple[int, int], str] = {}
    persons: dict[str, list[str]] = {}
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            key = _name_key(ent)
            if key:
                persons.setdefault(key[-1], []).append(_clean(ent))
    for ent in doc.ents:
        best = _clean(ent)
        if ent.label_ == "PERSON":
            key = _name_key(ent)
            for other in persons.get(key[-1], []) if key else []:
                other_key = tuple(other.lower().split())
                longer = len(other_key) > len(key) and other_key[-len(key) :] == key
                if longer and len(other) > len(best):
                    best = other
        names[(ent.start, ent.end)] = best
    return names


def _name_key(span: Span) -> tuple[str, ...]:
    return tuple(t.lower_ for t in span if not t.is_punct and t.lower_ not in ("'s", "’s"))


def _clean(span: Span) -> str:
    tokens = [t for t in span if t.lower_ not in ("'s", "’s")]
    while tokens and tokens[0].lower_ in LEADING_WORDS:
        tokens = tokens[1:]
    if not tokens:
        return span.text
    return span.doc[tokens[0].i : tokens[-1].i + 1].text


def resolve_speaker(speaker: Span, index: NameIndex) -> tuple[str | None, str]:
    """The canonical name of a speaker mention, and its kind ("person", "group" or "")."""
    first = speaker.root
    if first.lower_ in RELATIVE_PRONOUNS and first.head.dep_ in ("relcl", "acl"):
        clause = first.head
        if clause.head.i != clause.i and clause.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return resolve_speaker(noun_phrase(speaker.doc, clause.head, avoid=clause), index)
    inside = [
        e
        for e in index.ents
        if e.start >= speaker.start and e.end <= speaker.end and e.label_ in NAME_LABELS
    ]
    head = speaker.root
    lower = head.lower_
    if inside:
        persons = [e for e in inside if e.label_ == "PERSON"]
        if persons:
            ent = persons[-1]
            return index.names.get((ent.start, ent.end), ent.text), "person"
        coordinated = any(t.dep_ == "cc" for t in speaker)
        if coordinated or (head.pos_ == "NOUN" and head.ent_type_ == ""):
            return _clean(speaker), "group"
        ent = min(inside, key=lambda e: abs(e.root.i - head.i))
        return index.names.get((ent.start, ent.end), ent.text), "group"
    if head.pos_ == "PRON":
        if lower in ("he", "she", "him", "her", "i"):
            return _antecedent(index, speaker.start, "person"), "person"
        if lower in ("it", "they", "we"):
            found = _antecedent(index, speaker.start, "group")
            return found, "group"
        return None, ""
    if lower in index.person_nouns and _is_definite(speaker):
        return _antecedent(index, speaker.start, "person", noun=lower), "person"
    if lower in index.group_nouns and _is_definite(speaker):
        return _antecedent(index, speaker.start, "group", noun=lower), "group"
    return _clean(speaker), "group" if lower in index.group_nouns else ""


def _is_definite(span: Span) -> bool:
    return span[0].lower_ in ("the", "this", "that") and len(span) <= 4


def _antecedent(index: NameIndex, before: int, kind: str, noun: str | None = None) -> str | None:
    """The most recent entity (or resolved speaker) of ``kind`` before token ``before``."""
    labels = ("PERSON",) if kind == "person" else GROUP_LABELS
    best_pos = -1
    best: str | None = None
    for ent in reversed(index.ents):
        if ent.end <= before and ent.label_ in labels:
            if noun is not None and kind == "group" and noun not in ent.text.lower():
                continue
            best_pos, best = ent.start, index.names.get((ent.start, ent.end), ent.text)
            break
    if noun is not None and kind == "group" and best is None:
        for ent in reversed(index.ents):
            if ent.end <= before and ent.label_ == "ORG":
                best_pos, best = ent.start, index.names.get((ent.start, ent.end), ent.text)
                break
    for position, recent_kind, name in reversed(index.recent):
        if position < before and recent_kind == kind and position > best_pos:
            return name
        if position < best_pos:
            break
    return best
