"""Speakers: the source mention of a cue, and its canonical name in the document.

**The mention** of a cue is its subject, the agent of a passive ("was criticised by X"), an
inverted subject ("…,” said X; "Recipients, said X, must …"), the noun a relative clause hangs
from, or the subject of the verb that a participle or infinitive depends on ("…, saying …").
It is the whole noun phrase with titles and determiners, without a possessive "'s" and without
edge punctuation. Under the newsroom convention (``gold/GUIDELINES.md``) a description set off
by commas after a name is not part of the mention ("[Ola Berg], head of the port authority,
said"), while words before the name are ("[the port authority's head, Ola Berg]"); a relative
pronoun ("the magazine, which attacked …") stands for the noun phrase it refers back to. Under
PARC's convention the apposition and a comma-led relative clause stay in the mention.

**The canonical name** comes from a light, rule-based coreference inside one document
(:class:`SpeakerResolver`):

- a person is named by the fullest name of the same person in the document, without titles,
  honorifics or ages: a surname ("Okafor", even when the entity stage labelled it otherwise)
  takes the longer name it ends ("Ada Okafor"); two spellings of one name take the more
  frequent one;
- an acronym takes the name it abbreviates ("WHO" after "World Health Organization (WHO)",
  or whose initials it is);
- a pronoun takes the most recent compatible mention: the gender and number of the pronoun
  (spaCy's morphology) must agree with what the article says of the person (honorifics,
  gendered nouns, the pronouns that follow a lone mention of them); subjects and earlier
  speakers are preferred, and mentions inside someone else's quotation are skipped;
- a description ("the minister", "the church") takes a name only when the article gives that
  name the role (a title before it, an apposition) or, for an organisation, has the noun in
  the name ("the church" → "Church of Scientology"); otherwise it stays a description;
- a description with a name inside ("the security firm Secunia") takes the name; a document
  ("the ministry's letter") takes its author when the article names one, else its head noun
  with its noun modifiers ("Internet posting"); other unnamed sources keep the mention without
  leading determiner or quantifier ("spokesman", "sites such as Gawker.com").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy
from spacy.attrs import DEP, IS_TITLE, LOWER, ORTH, POS, TAG
from spacy.symbols import PRON
from spacy.tokens import Doc, Span, Token

from newspipe.pipeline.stages.wordlists import string_hashes

SUBJECT_DEPS = frozenset({"nsubj", "csubj", "nsubjpass"})
CLIMB_DEPS = frozenset({"advcl", "xcomp", "conj", "ccomp", "acomp"})
INVERTED_DEPS = frozenset({"dobj", "attr", "npadvmod", "appos", "dative", "oprd", "nsubj"})
GROUP_LABELS = ("ORG", "GPE", "NORP", "FAC")
NAME_LABELS = ("PERSON", *GROUP_LABELS)
# Nouns naming an utterance: as the subject of a cue, their owner is the speaker.
SPEECH_NOUNS = frozenset(
    {"remark", "statement", "comment", "speech", "tweet", "message", "announcement",
     "claim", "testimony", "interview", "address", "response", "reply", "argument",
     "assertion", "warning", "words"}
)  # fmt: skip
RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})
LEADING_WORDS = frozenset(
    {"the", "both", "all", "some", "many", "several", "a", "an", "one", "other", "another",
     "this", "that", "these", "those", "his", "her", "its", "their", "our", "my", "your",
     "two", "three", "four", "few", "most", "any", "each", "various", "numerous"}
)  # fmt: skip
EDGE = frozenset({",", ";", ":", "—", "–", "-", "(", "'s", "’s", "'", "’", "--"})
POSTNOMINALS = frozenset({"qc", "sc", "kc", "jr", "jr.", "sr", "sr.", "mp", "phd", "md"})


# --------------------------------------------------------------------------- mentions


def noun_phrase(
    doc: Doc,
    head: Token,
    avoid: Token | None = None,
    keep_apposition: bool = False,
) -> Span:
    """The mention headed by ``head``: its subtree, without edge punctuation and "'s", cut
    before the clause of ``avoid`` (the cue). Unless ``keep_apposition``, a comma-led relative
    clause, and an apposition set off by commas after a name, are cut off; an apposition that
    is itself the name ("the agency's head, Ola Berg") is kept."""
    start, end = head.left_edge.i, head.right_edge.i + 1
    if not keep_apposition:
        for token in doc[head.i + 1 : end]:
            if token.dep_ == "relcl" and doc[token.left_edge.i - 1].text == ",":
                end = token.left_edge.i
                break
        for child in head.rights:
            if child.dep_ != "appos" or child.i >= end:
                continue
            if doc[child.left_edge.i - 1].text not in (",", "(", "—", "–"):
                continue
            if child.lower_ in POSTNOMINALS or head.ent_type_ in NAME_LABELS or not _is_name(child):
                end = min(end, child.left_edge.i)
            else:
                # "the port authority's head, Ola Berg": the name closes the mention
                end = min(end, child.right_edge.i + 1)
            break
    for child in head.lefts:
        # "Writing in a blog post, Matthew Ingram …": a clause before a comma is not the mention
        if child.dep_ in ("compound", "det", "amod", "poss", "nmod", "nummod", "punct"):
            continue
        if child.right_edge.i + 1 < head.i and doc[child.right_edge.i + 1].text == ",":
            start = max(start, child.right_edge.i + 2)
    if not keep_apposition and _is_name(head):
        for child in head.rights:
            if child.dep_ == "prep" and child.i < end and doc[child.i - 1].text == ",":
                end = min(end, child.i - 1)  # "Mu Li, of the University of NSW"
                break
    if avoid is not None and start <= avoid.i < end:
        branch = avoid
        while branch.head.i != branch.i and branch.head.i != head.i:
            branch = branch.head
        if branch.i > head.i:
            end = min(end, branch.left_edge.i)
        else:
            start = max(start, branch.right_edge.i + 1)
    if not start <= head.i < end:
        start, end = min(start, head.i), max(end, head.i + 1)
    while end > start + 1 and (doc[end - 1].text in EDGE or doc[end - 1].is_space):
        end -= 1
    while start < end - 1 and (doc[start].text in EDGE or doc[start].is_space):
        start += 1
    span = _hyphen_compound(doc, doc[start:end])
    if (
        len(span)
        and span.root.pos_ == "NOUN"
        and span.end < len(doc)
        and doc[span.end].pos_ == "PROPN"
    ):
        # "according to curator Elaine Gustafon": a title noun with the name after it
        stop = span.end
        while stop < len(doc) and doc[stop].pos_ == "PROPN":
            stop += 1
        span = doc[span.start : stop]
    return span


def _is_name(token: Token) -> bool:
    return token.pos_ == "PROPN" or token.ent_type_ in NAME_LABELS


def _hyphen_compound(doc: Doc, span: Span) -> Span:
    """A mention the parser cut inside a hyphenated title ("Facebook co" | "-founder Mark
    Zuckerberg"): extended over the hyphen and the names that follow it."""
    end = span.end
    if end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_:
        end += 2
        while end < len(doc) and doc[end].pos_ == "PROPN":
            end += 1
        return doc[span.start : end]
    return span


def speaker_of(cue: Token, depth: int = 0, keep_apposition: bool = False) -> Span | None:
    """The speaker mention of a cue verb, or None.

    In order: the agent of a passive; a name right after the cue when the cue stands between
    commas inside the content ("Recipients, said Berg, must …"); the subject (a relative
    pronoun as subject is the mention, as PolNeAR writes it; the noun phrase it refers to is
    found when the name is resolved); a name or noun right after the verb in an inverted
    attribution ("…,” said the minister); the noun a reduced relative clause hangs from; the
    speaker of the verb an infinitive, participle or gerund depends on.
    """
    doc = cue.doc
    keep = keep_apposition
    for child in cue.children:
        if child.dep_ == "agent":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                mention = noun_phrase(doc, objects[0], avoid=cue, keep_apposition=keep)
                for prep in objects[0].rights:
                    if prep.dep_ == "prep" and prep.lower_ in ("of", "for", "over"):
                        return doc[mention.start : max(mention.start + 1, prep.i)]
                return mention
    inverted = _inverted_name(cue)
    if inverted is not None:
        return noun_phrase(doc, inverted, avoid=cue, keep_apposition=keep)
    for child in cue.children:
        if child.dep_ in SUBJECT_DEPS and child.dep_ != "nsubjpass":
            if child.lemma_.lower() in SPEECH_NOUNS:
                # "Her statement said …", "the agency's remarks praised …": the owner speaks
                owners = [c for c in child.children if c.dep_ == "poss"]
                if owners:
                    return noun_phrase(doc, owners[0], keep_apposition=keep)
            return _with_name_after(noun_phrase(doc, child, avoid=cue, keep_apposition=keep), cue)
    if any(child.dep_ == "nsubjpass" for child in cue.children):
        return None
    for child in cue.rights:
        if (
            child.dep_ in INVERTED_DEPS
            and child.i <= cue.i + 4
            and child.pos_ in ("PROPN", "NOUN")
            and any(c.dep_ in ("ccomp", "parataxis") and c.i < cue.i for c in cue.children)
        ):
            return noun_phrase(doc, child, avoid=cue, keep_apposition=keep)
    if depth < 3 and cue.head.i != cue.i:
        head = cue.head
        if cue.dep_ in ("relcl", "acl") and head.pos_ in ("NOUN", "PROPN", "PRON"):
            return noun_phrase(doc, head, avoid=cue, keep_apposition=keep)
        if cue.dep_ == "pcomp" and head.dep_ == "prep" and head.head.i != head.i:
            head = head.head
            if head.pos_ in ("VERB", "AUX"):
                return speaker_of(head, depth + 1, keep)
        if cue.dep_ in CLIMB_DEPS and head.pos_ in ("VERB", "AUX", "ADJ"):
            return speaker_of(head, depth + 1, keep)
    return _name_before(cue)


def _with_name_after(mention: Span, cue: Token) -> Span:
    """A description followed by a name the parser left out of it, right before the cue
    ("Malaysia's Prime Minister, Najib Razak said"): the name belongs to the mention."""
    doc = mention.doc
    verb = cue.i
    while verb > 0 and doc[verb - 1].dep_ in ("aux", "auxpass", "neg", "advmod"):
        verb -= 1  # "…, Nunzio Galantino, has called"
    i = mention.end
    if i < verb and doc[i].text == ")":
        i += 1  # "The secretary general of CEI (Italian Episcopal Conference), Nunzio Galantino"
    if not len(mention) or mention.root.ent_type_ or i >= verb or doc[i].text != ",":
        return mention
    j = i + 1
    while j < verb and doc[j].pos_ == "PROPN":
        j += 1
    if j == i + 1 or j < verb - 1 or (j == verb - 1 and doc[j].text != ","):
        return mention
    return doc[mention.start : j]


def _name_before(cue: Token) -> Span | None:
    """A name right before a cue that has no subject in the parse ("Speaking in their defence,
    Tom Molomby, SC, said …"): the run of proper nouns before it, past commas and a
    post-nominal title."""
    doc = cue.doc
    i = cue.i
    while i > 0 and doc[i - 1].dep_ in ("aux", "auxpass", "neg", "advmod"):
        i -= 1
    while i > 0 and (doc[i - 1].text == "," or doc[i - 1].lower_ in POSTNOMINALS):
        i -= 1
    end = i
    while i > 0 and doc[i - 1].pos_ == "PROPN":
        i -= 1
    if i == end or i < end - 5 or doc[end - 1].ent_type_ in ("DATE", "TIME", "GPE"):
        return None
    return doc[i:end]


def _inverted_name(cue: Token) -> Token | None:
    """The head of a name right after a cue that stands between commas inside its content
    ("Recipients, said Mauer, are required …"), which the parser often takes for the object."""
    doc = cue.doc
    if cue.i == 0 or doc[cue.i - 1].text not in (",", "—", "–"):
        return None
    i = cue.i + 1
    while i < len(doc) and doc[i].pos_ == "PROPN":
        i += 1
    if i == cue.i + 1 or i >= len(doc) or doc[i].text not in (",", ".", "—", "–"):
        return None
    names = doc[cue.i + 1 : i]
    return names.root


# --------------------------------------------------------------------------- names


@dataclass
class Person:
    """One person of the document: the spellings of their full name and what the article says
    of them."""

    names: Counter[str] = field(default_factory=Counter)
    gender: Counter[str] = field(default_factory=Counter)
    roles: set[str] = field(default_factory=set)

    cached: str = ""

    @property
    def name(self) -> str:
        """The fullest name, in the spelling used most often (fixed once the document's names
        are collected)."""
        if self.cached:
            return self.cached
        longest = max(len(n.split()) for n in self.names)
        full = [(count, n) for n, count in self.names.items() if len(n.split()) == longest]
        return max(full)[1]

    def freeze(self) -> None:
        self.cached = ""
        self.cached = self.name

    @property
    def sex(self) -> str | None:
        """male / female when the article says so (a clear majority of the evidence)."""
        if not self.gender:
            return None
        (top, n), *rest = self.gender.most_common()
        return top if not rest or n >= rest[0][1] + 2 else None


@dataclass
class Mention:
    """A mention of a named or resolved source at a token position."""

    start: int
    name: str
    kind: str  # person | group
    person: Person | None
    sent: int
    subject: bool
    quoted: bool
    speaker: bool = False
    plural: bool = False
    head: str = ""  # the head lemma of an unnamed speaker's mention


@dataclass
class SpeakerResolver:
    """Canonical names of speaker mentions in one document (see the module docstring)."""

    doc: Doc
    person_nouns: frozenset[str]
    group_nouns: frozenset[str]
    titles: frozenset[str] = frozenset()
    male: frozenset[str] = frozenset()
    female: frozenset[str] = frozenset()
    document_nouns: frozenset[str] = frozenset()
    quoted: bytearray | None = None
    publications: frozenset[str] = frozenset()
    persons: dict[str, list[Person]] = field(default_factory=dict)  # surname → persons
    aliases: dict[str, str] = field(default_factory=dict)  # acronym → name
    mentions: list[Mention] = field(default_factory=list)
    sent_of: list[int] = field(default_factory=list)
    ents: list[Span] = field(default_factory=list)
    org_names: list[str] = field(default_factory=list)
    full_persons: list[Person] = field(default_factory=list)

    def __post_init__(self) -> None:
        doc = self.doc
        self.ents = list(doc.ents)  # self.ents builds new spans on every access
        self.org_names = [_clean(e) for e in self.ents if e.label_ == "ORG"]
        self.sent_of = [0] * len(doc)
        if doc.has_annotation("SENT_START"):
            for n, sent in enumerate(doc.sents):
                for i in range(sent.start, sent.end):
                    self.sent_of[i] = n
        if self.quoted is None:
            self.quoted = bytearray(len(doc))
        self._collect_persons()
        self._merge_persons()
        for people in self.persons.values():
            for person in people:
                person.freeze()
        unique = {id(p): p for people in self.persons.values() for p in people}
        self.full_persons = [p for p in unique.values() if len(p.name.split()) > 1]
        self._collect_aliases()
        self._collect_mentions()

    # -- building ----------------------------------------------------------------------------

    def _person_tokens(self, span: Span) -> list[Token]:
        """The name words of a PERSON span: titles, honorifics, possessives and ages out; when
        the span holds a description ("Executive director of X Alia Salem") its last run of
        proper nouns."""
        tokens = [t for t in span if t.lower_ not in ("'s", "’s", "'")]
        if any(t.lower_ in ("of", "for", "at") or t.is_lower for t in tokens):
            run: list[Token] = []
            for t in reversed(tokens):
                if t.pos_ == "PROPN" and t.lower_ not in self.titles:
                    run.insert(0, t)
                elif run:
                    break
            tokens = run or tokens
        while tokens and (
            tokens[0].lower_.rstrip(".") in self.titles or tokens[0].lower_ in self.titles
        ):
            tokens = tokens[1:]
        while tokens and (tokens[-1].is_punct or tokens[-1].like_num):
            tokens = tokens[:-1]
        return tokens

    def _person_spans(self) -> list[Span]:
        """PERSON entities, and runs of two or more proper nouns that the article calls a person
        although the entity stage did not (a title before them, or an apposition whose head is a
        person noun: "Valeska Paris, an Australian woman, …")."""
        doc = self.doc
        in_ents = {i for e in self.ents for i in range(e.start, e.end)}
        spans = []
        for ent in self.ents:
            if ent.label_ != "PERSON":
                continue
            start = ent.start
            first = doc[start - 1] if start > 0 else None
            if (
                first is not None
                and first.pos_ == "PROPN"
                and first.is_title
                and first.i not in in_ents
                and first.lower_.rstrip(".") not in self.titles
                and (first.i == 0 or doc[first.i - 1].i in in_ents)
            ):
                start -= 1  # "Refugee Council Enver [Solomon]": a first name left out
            spans.append(doc[start : ent.end])
        covered = {i for e in spans for i in range(e.start, e.end)}
        i = 0
        while i < len(doc):
            if doc[i].pos_ != "PROPN" or i in covered:
                i += 1
                continue
            j = i
            while j < len(doc) and doc[j].pos_ == "PROPN" and j not in covered:
                j += 1
            run = doc[i:j]
            if len(run) >= 2:
                title = i > 0 and doc[i - 1].lower_.rstrip(".") in self.titles
                appos = any(
                    c.dep_ == "appos"
                    and c.lemma_.lower() in self.person_nouns | self.male | self.female
                    for c in run.root.rights
                )
                if title or appos:
                    spans.append(run)
            i = j
        return spans

    def _collect_persons(self) -> None:
        for ent in self._person_spans():
            tokens = self._person_tokens(ent)
            if not tokens:
                continue
            text = self.doc[tokens[0].i : tokens[-1].i + 1].text
            surname = tokens[-1].lower_
            people = self.persons.setdefault(surname, [])
            person = self._same_person(people, text)
            if person is None:
                person = Person()
                people.append(person)
            person.names[text] += 1
            self._evidence(person, ent, tokens)

    def _merge_persons(self) -> None:
        """A person known only by one word takes the fuller name of the one person whose first
        name it is, or whose surname it is but for one letter ("Mauer" / "K.C. Maurer")."""
        everyone = [p for people in self.persons.values() for p in people]
        full = [p for p in everyone if len(p.name.split()) > 1]
        for people in list(self.persons.values()):
            for person in list(people):
                if len(person.name.split()) > 1:
                    continue
                word = person.name.lower()
                same = [p for p in full if p.name.lower().split()[0] == word]
                if len(same) != 1 and len(word) >= 5:
                    same = [p for p in full if _close(p.name.lower().split()[-1], word)]
                if len(same) == 1:
                    target = same[0]
                    target.names.update({n: 0 for n in person.names})
                    target.gender.update(person.gender)
                    target.roles |= person.roles
                    people.remove(person)
                    people.append(target)

    def _same_person(self, people: list[Person], text: str) -> Person | None:
        words = text.lower().split()
        for person in people:
            for name in person.names:
                other = name.lower().split()
                if words == other[-len(words) :] or other == words[-len(other) :]:
                    return person
                if (
                    len(words) == len(other) > 1
                    and words[-1] == other[-1]
                    and words[0][0] == other[0][0]
                    and _close(words[0], other[0])
                ):
                    return person  # two spellings of one name (Kristin / Kristen)
        return None

    def _evidence(self, person: Person, ent: Span, tokens: list[Token]) -> None:
        """Gender and roles the article gives a person at one mention: honorifics and titles
        before the name, an apposition after it."""
        doc = self.doc
        i = ent.start - 1
        before: list[Token] = []
        while i >= 0 and (doc[i].pos_ in ("PROPN", "NOUN", "ADJ") or doc[i].lower_ in self.titles):
            if doc[i].ent_type_ and doc[i].ent_type_ != "PERSON":
                break
            before.insert(0, doc[i])
            i -= 1
        before += [t for t in ent if t.i < tokens[0].i]
        for t in before:
            self._gender_word(person, t.lower_)
            if t.pos_ == "NOUN" or t.lower_ in self.person_nouns:
                person.roles.add(t.lemma_.lower())
        head = ent.root
        for child in head.rights:
            if child.dep_ == "appos":
                person.roles.add(child.lemma_.lower())
                self._gender_word(person, child.lower_)
        if head.dep_ == "appos" and head.head.pos_ == "NOUN":
            person.roles.add(head.head.lemma_.lower())
            self._gender_word(person, head.head.lower_)

    def _gender_word(self, person: Person, word: str) -> None:
        if word in self.male:
            person.gender["male"] += 3
        elif word in self.female:
            person.gender["female"] += 3

    def _collect_aliases(self) -> None:
        """Acronyms: "World Health Organisation (WHO)" and acronyms whose letters are the
        initials of an organisation's name."""
        doc = self.doc
        names = [e for e in self.ents if e.label_ in GROUP_LABELS and len(e) > 1]
        for ent in names:
            tokens = list(ent) + list(doc[ent.end : min(len(doc), ent.end + 3)])
            for k in range(1, len(tokens) - 1):
                if tokens[k].text != "(" or tokens[k].i < ent.start + 1:
                    continue
                acronym = tokens[k + 1].text
                closed = k + 2 >= len(tokens) or tokens[k + 2].text == ")"
                if acronym.isupper() and 2 <= len(acronym) <= 8 and closed:
                    name = _clean(doc[ent.start : tokens[k].i])
                    self.aliases.setdefault(acronym, name)
                break
        orths = doc.to_array([ORTH]).reshape(-1)
        after_bracket = numpy.flatnonzero(orths[1:-1] == doc.vocab.strings.add("(")) + 2
        for token in (doc[i] for i in after_bracket.tolist()):
            text = token.text
            if not (text.isupper() and 2 <= len(text) <= 8 and text.isalnum()):
                continue
            if text not in self.aliases:
                # "The Union of Rationalist Atheists and Agnostics (UAAR)": the capitalised
                # words before the bracket, whatever entities the entity stage made of them
                start = token.i - 1
                while start > 0 and (
                    doc[start - 1].is_title
                    or doc[start - 1].like_num
                    or doc[start - 1].lower_ in ("of", "and", "for", "&")
                ):
                    start -= 1
                words = [t for t in doc[start : token.i - 1] if t.is_title]
                if words and words[0].lower_ == "the":
                    words = words[1:]
                if len(words) >= 2 and words[0].text[0] == text[0]:
                    self.aliases[text] = doc[words[0].i : token.i - 1].text
        for token in doc:
            text = token.text
            if not (text.isupper() and 2 <= len(text) <= 6 and text.isalnum()):
                continue
            if text in self.aliases:
                continue
            for ent in names:
                initials = [t.text for t in ent if t.lower_ not in ("of", "and", "the", "for", "&")]
                if len(initials) == len(text) and all(
                    w[0].upper() == c for w, c in zip(initials, text, strict=True)
                ):
                    self.aliases[text] = _clean(ent)
                    break

    def _collect_mentions(self) -> None:
        """Every mention of a person or organisation, for pronouns to refer back to, and what
        the pronouns after a lone person say of their gender."""
        doc = self.doc
        for ent in self.ents:
            if ent.label_ not in NAME_LABELS:
                continue
            person = self.person_of(ent)
            if person is not None:
                self._add(ent, person.name, "person", person)
            elif ent.label_ in GROUP_LABELS:
                self._add(ent, self._group_name(ent), "group", None, plural=ent.label_ == "NORP")
        in_ents = {i for e in self.ents for i in range(e.start, e.end)}
        strings = doc.vocab.strings
        columns = doc.to_array([IS_TITLE, LOWER, TAG, DEP, POS]).reshape(len(doc), 5)
        surnames = string_hashes(strings, self.persons)
        for i in numpy.flatnonzero(
            (columns[:, 0] == 1) & numpy.isin(columns[:, 1], surnames)
        ).tolist():
            if i not in in_ents:
                span = doc[i : i + 1]
                person = self.person_of(span)
                if person is not None:
                    self._add(span, person.name, "person", person)
        subjects = (columns[:, 2] == strings.add("NNS")) & numpy.isin(
            columns[:, 3], string_hashes(strings, ("nsubj", "nsubjpass"))
        )
        for i in numpy.flatnonzero(subjects).tolist():
            token = doc[i]
            if token.head.dep_ == "ROOT" and i not in in_ents:
                span = noun_phrase(doc, token)
                self._add(span, _clean(span), "group", None, plural=True)
        self.mentions.sort(key=lambda m: m.start)
        # "Berg met the press on his return": a gendered pronoun (not a subject, whose referent
        # is what is being resolved) after the only person of its sentence, who is its subject
        by_sent: dict[int, list[Mention]] = {}
        for m in self.mentions:
            if m.kind == "person" and not m.quoted:
                by_sent.setdefault(m.sent, []).append(m)
        for i in numpy.flatnonzero(columns[:, 4] == PRON).tolist():
            token = doc[i]
            gender = _pronoun_gender(token)
            if gender is None or self.quoted[token.i] or token.dep_ in SUBJECT_DEPS:  # type: ignore[index]
                continue
            here = [m for m in by_sent.get(self.sent_of[token.i], []) if m.start < token.i]
            people = {id(m.person): m.person for m in here if m.person is not None}
            if len(people) == 1 and any(m.subject for m in here):
                (person,) = people.values()
                person.gender[gender] += 1

    def _add(
        self, span: Span, name: str, kind: str, person: Person | None, plural: bool = False
    ) -> None:
        root = span.root
        subject = root.dep_ in SUBJECT_DEPS or (
            root.dep_ in ("compound", "appos") and root.head.dep_ in SUBJECT_DEPS
        )
        self.mentions.append(
            Mention(
                span.start,
                name,
                kind,
                person,
                self.sent_of[span.start],
                subject,
                bool(self.quoted[span.start]),  # type: ignore[index]
                plural=plural,
            )
        )

    # -- lookups -----------------------------------------------------------------------------

    def person_of(self, span: Span) -> Person | None:
        """The person a name span names (matched by the words of the name, whatever label the
        entity stage gave it: a surname, a full name, a first name that only one person has, or
        a surname spelt with one letter more or less), or None."""
        tokens = self._person_tokens(span) if span.label_ == "PERSON" else _name_run(span)
        if not tokens:
            return None
        words = [t.lower_ for t in tokens]
        matches = []
        for person in self.persons.get(words[-1], []):
            for name in person.names:
                other = name.lower().split()
                if len(other) >= len(words) and other[-len(words) :] == words:
                    matches.append(person)
                    break
        if not matches and len(words) == 1:
            full = self.full_persons
            matches = [p for p in full if p.name.lower().split()[0] == words[0]]
            if len(matches) != 1 and len(words[0]) >= 5:
                matches = [p for p in full if _close(p.name.lower().split()[-1], words[0])]
        if not matches:
            return None
        if len(matches) == 1:
            return matches[0]
        before = [m for m in self.mentions if m.start < span.start and m.person in matches]
        if before:
            return before[-1].person
        return max(matches, key=lambda p: sum(p.names.values()))

    def _group_name(self, ent: Span) -> str:
        """An organisation's or place's canonical name: what an acronym stands for, else the
        fullest organisation name in the document that holds the name's words ("Church" →
        "Church of Scientology", "Home Office" → "United Kingdom Home Office")."""
        text = _clean(ent)
        if text in self.aliases:
            return self.aliases[text]
        if ent.label_ in ("GPE", "NORP", "LOC"):
            return text
        before = self.doc[ent.start - 1] if ent.start > 0 else None
        capital_the = ent[0].text == "The" or (before is not None and before.text == "The")
        publication = text.split()[-1].lower() in self.publications
        if capital_the and publication and f"the {text}" not in self.doc.text:
            return f"The {text}"  # "The Harbour Gazette": the article is part of the title
        words = text.split()
        best = text
        for name in self.org_names:
            longer = name.split()
            if len(longer) <= len(best.split()) or len(longer) <= len(words):
                continue
            if any(
                longer[k : k + len(words)] == words for k in range(len(longer) - len(words) + 1)
            ):
                best = name
        return best

    def note(
        self, position: int, kind: str, name: str, plural: bool = False, head: str = ""
    ) -> None:
        """Remember a resolved speaker (for later pronouns and descriptions)."""
        person = None
        if kind == "person":
            for people in self.persons.values():
                for p in people:
                    if p.name == name:
                        person = p
        self.mentions.append(
            Mention(
                position,
                name,
                kind,
                person,
                self.sent_of[position] if position < len(self.sent_of) else 0,
                True,
                bool(self.quoted[position]) if position < len(self.doc) else False,  # type: ignore[index]
                speaker=True,
                plural=plural,
                head=head,
            )
        )
        self.mentions.sort(key=lambda m: (m.start, m.speaker))

    # -- resolving ---------------------------------------------------------------------------

    def resolve(self, speaker: Span) -> tuple[str | None, str]:
        """The canonical name of a speaker mention, and its kind ("person", "group" or "")."""
        doc = self.doc
        first = speaker.root
        if first.lower_ in RELATIVE_PRONOUNS and first.head.dep_ in ("relcl", "acl"):
            clause = first.head
            if clause.head.i != clause.i and clause.head.pos_ in ("NOUN", "PROPN", "PRON"):
                return self.resolve(noun_phrase(doc, clause.head, avoid=clause))
        head = speaker.root
        lower = head.lower_
        pronoun = head.pos_ == "PRON" or lower in ("he", "she", "they", "it", "we", "i")
        if (pronoun and not head.text.isupper()) or lower in ("he", "she", "they", "it"):
            return self._pronoun(head)
        inside = [
            e
            for e in self.ents
            if e.start >= speaker.start and e.end <= speaker.end and e.label_ in NAME_LABELS
        ]
        names = [e for e in inside if e.label_ in ("PERSON", "ORG", "GPE")]
        if any(t.dep_ == "cc" for t in speaker) and len(names) != 1:
            return _clean(speaker), "group"
        lemma = head.lemma_.lower()
        titled = lower in self.titles or lemma in self.person_nouns
        # a person named in the mention: the head's name, or a name the head is the title of
        own = [e for e in inside if e.start <= head.i < e.end]
        run = _name_run(speaker, head)
        spans = ([own[0]] if own else []) + ([doc[run[0].i : run[-1].i + 1]] if run else [])
        for span in spans:
            person = self.person_of(span)
            if person is not None:
                return person.name, "person"
        if titled or head.pos_ == "PROPN":
            for ent in reversed(inside):
                person = self.person_of(ent)
                if person is not None:
                    return person.name, "person"
                if ent.label_ == "PERSON":
                    tokens = self._person_tokens(ent)
                    if tokens:
                        return doc[tokens[0].i : tokens[-1].i + 1].text, "person"
        if own and own[0].label_ == "PERSON":
            tokens = self._person_tokens(own[0])
            if tokens:
                return doc[tokens[0].i : tokens[-1].i + 1].text, "person"
        if own or (run and (head.pos_ == "PROPN" or head.text.isupper())):
            if own:
                return self._group_name(own[0]), "group"
            text = _clean(spans[-1])
            return self.aliases.get(text, text), "group"
        people = [
            e
            for e in inside
            if (e.label_ == "PERSON" or self.person_of(e) is not None)
            and e.root.dep_ != "poss"
            and not (e.end < len(doc) and doc[e.end].text in ("'s", "’s", "'", "’"))
        ]
        if len(people) == 1 and head.pos_ == "NOUN" and lemma not in self.document_nouns:
            # "American academic and professor Marc Lamont Hill", "Facebook co-founder X"
            person = self.person_of(people[0])
            if person is not None:
                return person.name, "person"
            tokens = self._person_tokens(people[0])
            if tokens:
                return doc[tokens[0].i : tokens[-1].i + 1].text, "person"
        if lemma in self.document_nouns:
            # a document speaks for its author: its possessor or a name before its head,
            # else its head noun with its noun modifiers
            owners = [c for c in head.children if c.dep_ == "poss"]
            if owners and owners[0].pos_ != "PRON":
                return self.resolve(noun_phrase(doc, owners[0]))
            authors = [e for e in inside if e.end <= head.i]
            if authors:
                author = authors[-1]
                person = self.person_of(author)
                if person is not None:
                    return person.name, "person"
                return self._group_name(author), "group"
            return _with_compounds(head), "group"
        if inside and head.pos_ == "NOUN":
            names = [e for e in inside if e.root.head.i == head.i and e.root.dep_ == "appos"]
            if names:
                return self._group_name(names[0]), "group"
        definite = speaker[0].lower_ in ("the", "this", "that") and len(speaker) <= 4
        if lemma in self.group_nouns:
            compounds = [e for e in inside if e.root.head.i == head.i and e.root.dep_ == "compound"]
            if compounds:
                return self._group_name(compounds[-1]), "group"  # "the M5S party"
            propns = [c for c in head.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
            if propns:
                text = doc[propns[0].i : propns[-1].i + 1].text
                return self.aliases.get(text, text), "group"
        if definite:
            for m in reversed(self.mentions):
                if m.start < speaker.start and m.speaker and m.head == lemma:
                    return m.name, m.kind  # "The report's authors say" … "The authors say"
        if lemma in self.person_nouns and definite:
            found = self._role(lemma, speaker.start)
            if found is not None:
                return found, "person"
            return _clean(speaker), "person"
        if lemma in self.group_nouns and definite:
            found = self._named_group(lemma, speaker.start)
            if found is not None:
                return found, "group"
        return _clean(speaker), "group" if lemma in self.group_nouns else ""

    def _role(self, noun: str, before: int) -> str | None:
        """The person the article gives the role ``noun`` (the most recent one before)."""
        for m in reversed(self.mentions):
            if m.start < before and m.person is not None and noun in m.person.roles:
                return m.person.name
        return None

    def _named_group(self, noun: str, before: int) -> str | None:
        """The fullest organisation name that holds ``noun`` ("the church" → "Church of
        Scientology"), preferring names mentioned before."""
        found = [
            m
            for m in self.mentions
            if m.kind == "group" and noun in m.name.lower().split() and m.person is None
        ]
        if not found:
            return None
        earlier = [m for m in found if m.start < before] or found
        return max(earlier, key=lambda m: (len(m.name.split()), m.start)).name

    def _pronoun(self, token: Token) -> tuple[str | None, str]:
        """The most recent compatible mention before a pronoun."""
        lower = token.lower_
        gender = _pronoun_gender(token)
        plural = "Plur" in token.morph.get("Number", []) or lower in ("they", "we", "them")
        if lower in ("i", "you", "we") and not self.quoted[token.i]:  # type: ignore[index]
            return None, ""
        kind = "group" if plural or lower in ("it", "its") else "person"
        here = self.sent_of[token.i]
        quoted = bool(self.quoted[token.i])  # type: ignore[index]
        best: tuple[float, int] | None = None
        best_mention: Mention | None = None
        for m in self.mentions:
            if m.start >= token.i:
                break
            distance = here - m.sent
            if distance > 4:
                continue
            if m.quoted and not quoted:
                continue
            score = -1.0 * distance + (1.0 if m.subject else 0.0) + (1.0 if m.speaker else 0.0)
            if kind == "person":
                if m.kind != "person" or m.person is None:
                    continue
                sex = m.person.sex
                if gender is not None and sex is not None:
                    if sex != gender:
                        continue
                    score += 1.0
            else:
                if m.kind != "group" and not (plural and m.plural):
                    continue
                if lower in ("it", "its") and m.plural:
                    continue
            key = (score, m.start)
            if best is None or key > best:
                best, best_mention = key, m
        if best_mention is None:
            return None, kind
        return best_mention.name, kind


# --------------------------------------------------------------------------- helpers


def _pronoun_gender(token: Token) -> str | None:
    if token.pos_ != "PRON":
        return None
    gender = token.morph.get("Gender", [])
    if "Masc" in gender:
        return "male"
    if "Fem" in gender:
        return "female"
    return None


def _close(a: str, b: str) -> bool:
    """Whether two words differ by at most one edit (one spelling of a name for another)."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _name_run(span: Span, head: Token | None = None) -> list[Token]:
    """The run of capitalised words (proper nouns, or words in title case that are not the
    first of a sentence) around ``head`` (default: the span's root, else its last proper
    noun), within the span."""
    doc = span.doc

    def named(t: Token) -> bool:
        if t.pos_ == "PROPN" or (t.text.isupper() and len(t.text) > 1 and t.is_alpha):
            return True
        return t.is_title and t.pos_ not in ("PRON", "DET", "ADP")

    root = head or span.root
    if not named(root):
        names = [t for t in span if named(t)]
        if not names or head is not None:
            return []
        root = names[-1]
    start = end = root.i
    while start - 1 >= span.start and named(doc[start - 1]):
        start -= 1
    while end + 1 < span.end and named(doc[end + 1]):
        end += 1
    return list(doc[start : end + 1])


def _with_compounds(head: Token) -> str:
    """A head noun with the noun modifiers right before it ("Internet posting")."""
    doc = head.doc
    start = head.i
    while start - 1 >= 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].head.i == head.i:
        start -= 1
    return doc[start : head.i + 1].text


def _clean(span: Span) -> str:
    """A mention as a name: no possessive "'s", no leading determiner or quantifier (a
    capitalised "The" that belongs to a publication's name stays when the entity holds it)."""
    tokens = [t for t in span if t.lower_ not in ("'s", "’s")]
    while tokens and tokens[-1].text in ("(", ")", ",", "-"):
        tokens = tokens[:-1]
    if tokens and tokens[-1].text.isupper() and len(tokens) > 2 and tokens[-2].text == "(":
        tokens = tokens[:-2]  # "World Health Organisation (WHO"
    keep_the = (
        tokens
        and tokens[0].text == "The"
        and tokens[0].ent_iob_ == "B"
        and not tokens[0].is_sent_start
    )
    while tokens and tokens[0].lower_ in LEADING_WORDS and not keep_the:
        tokens = tokens[1:]
    if not tokens:
        return span.text
    return span.doc[tokens[0].i : tokens[-1].i + 1].text


__all__ = ["Mention", "Person", "SpeakerResolver", "noun_phrase", "speaker_of"]
