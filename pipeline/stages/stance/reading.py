"""The target-aware reading of a quote toward a *topic* target (a noun or verbal phrase).

A quote is read in three steps:

1. **Where is the target?** Its mentions in the quote and its sentence, each with the kind of
   match that found it (:class:`Mention`): its own words or names (``word``), its head noun,
   its action, a derivational stem, an acronym, a name part, a hashtag, a synonym or hypernym
   of the curated list, a word whose vectors are close to the head's (with a model that has
   vectors), or an anaphor (*the idea*, *the organisation*, *it*) after a mention in the
   sentences before. The speaker may be the target itself.
2. **What is evaluated, and how?** Each evaluation (:class:`Evaluation`) has a polarity toward
   the target, found from what it is *about*:

   - the **cue** carries its polarity toward its own object (*dismissed the plan*: AGAINST the
     plan; *condemned the attacks on X*: the attacks are against X, so FAVOR X); cue
     adjectives count too (*were critical of*, *disappointed with*);
   - a **demand** (*urged … to*, *should*, *calls for*) for the target is FAVOR, a negated one
     (*not to close*) AGAINST;
   - an **effect** takes the polarity of what it changes (*cut emissions* is good, *cut jobs*
     bad), toward whoever causes it; undoing what the target does is a complaint for it;
   - a target that speaks for itself and **defends** itself is FAVOR;
   - **content words** count toward what the parse anchors them to (an adjective → its noun or
     the subject of its copula, an evaluative noun → its *of*/*on* object, an attitude verb →
     its object, an action → its agent); words about something else do not count, the thing
     judged is no judgement itself, and unanchored words count less.
3. **The label**: the evaluations are summed and squashed as VADER does; FAVOR at or above the
   threshold, AGAINST at or below minus it, else NONE. Every evaluation is one line of evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Span, Token

from newspipe.pipeline.stages.stance.lexicons import (
    ReadingLexicons,
    StanceLexicons,
    normalise,
    phrase_hits,
)
from newspipe.pipeline.stages.stance.target import (
    TargetAnalysis,
    TargetShape,
    mention_mask,
    stem,
)

TARGET = "target"
"""A mention that stands for the target as a whole."""
PART = "part"
"""A mention of one of the target's words that is not its head (*funding* in *restoring
funding*): the target is near, but an evaluation of it is not an evaluation of the target."""
DETERMINERS = frozenset({"the", "this", "that", "these", "those", "its", "their"})
PRONOUNS = frozenset({"it", "this", "that"})
FIRST_PERSON_PLURAL = frozenset({"we", "us", "our", "ours"})
HEDGING_MODALS = frozenset({"may", "might", "could"})
"""Modals of possibility (a grammatical class, not a word list to tune)."""
MAX_DESCRIPTION = 12
"""At most this many words describe a speaker (a longer stretch is not a description)."""
CUE_WEIGHT = 2.0
"""The weight of a cue, a demand, an effect or a self-defence (content words weigh their
valence)."""
PART_WEIGHT = 0.5
"""How much judging a word of a noun-phrase target (not its head) counts (see
:meth:`Reading.weight`)."""
UNANCHORED_WEIGHT = 0.5
"""The share an unanchored word counts for when the target is only in the quote's sentence."""
EVENT_WEIGHT = 0.5
"""The share an unanchored event word (a noun or verb, not a judging adjective) counts for."""
NEGATION_FACTOR = -0.74
"""VADER's factor for a negated sentiment word."""
FUNCTION_POS = frozenset({"ADP", "SCONJ", "CCONJ", "DET", "PRON", "AUX", "PART", "PUNCT", "PROPN"})
"""Parts of speech that carry no sentiment here (names included: *Better Idea*)."""
EVALUATIVE_PREPOSITIONS = frozenset(
    {"of", "on", "to", "for", "against", "about", "toward", "towards", "with", "over"}
)
CLAUSE_BREAKS = frozenset({",", ";", ":", ".", "but"})
ATTACK_PREPOSITIONS = frozenset({"on", "against", "at", "upon", "to", "toward", "towards"})
"""*attacks on X*, *threats against X*: a harmful act done to X."""


@dataclass(frozen=True)
class Mention:
    """A token that stands for the target (or one of its words), and how it was matched."""

    i: int
    kind: str
    role: str
    text: str


@dataclass(frozen=True)
class Evaluation:
    """One judgement found in the quote, with its polarity toward the target."""

    polarity: float
    weight: float
    why: str

    @property
    def value(self) -> float:
        return self.polarity * self.weight


@dataclass
class Reading:
    """What is known about one quote while it is read."""

    quote: Span
    target: TargetAnalysis
    mentions: dict[int, Mention]
    """Mentions in the quote's sentence(s), quote included, by token index."""
    in_quote: dict[int, Mention]
    speaker_side: bool = False
    """The speaker is the target or speaks for it (*we*, *our* are the target)."""
    evaluations: list[Evaluation] = field(default_factory=list)
    used: set[int] = field(default_factory=set)
    """Tokens already read (a cue, an effect): content words skip them."""

    @property
    def shape(self) -> TargetShape:
        return self.target.shape

    def is_target(self, i: int) -> bool:
        """Whether token ``i`` stands for the target (wholly, or as a part that counts)."""
        return self.weight(i) > 0

    def weight(self, i: int) -> float:
        """How much an evaluation of token ``i`` is one of the target: 1 for a mention of the
        whole, :data:`PART_WEIGHT` for one of its words in a noun-phrase target (*the
        questionnaires* of *the questionnaire-based asylum process*), 0 for the object of an
        action target (*pollution* of *reducing pollution*: judging it is not judging the
        action) and for anything else."""
        mention = self.mentions.get(i)
        if mention is None:
            return 0.0
        if mention.role == TARGET:
            return 1.0
        return 0.0 if self.shape.is_action else PART_WEIGHT

    def add(self, polarity: float, weight: float, why: str) -> None:
        self.evaluations.append(Evaluation(polarity, weight, why))


def lemma(token: Token) -> str:
    return token.lemma_.lower() or token.lower_


def variants(token: Token) -> set[str]:
    """The lemma and the form with an inflection stripped, in case the lemmatizer errs
    (*taxes* → *taxis*)."""
    low = token.lower_
    found = {lemma(token), low}
    for suffix in ("es", "s", "ed", "ing"):
        if low.endswith(suffix) and len(low) - len(suffix) >= 3:
            found.add(low[: -len(suffix)])
    return found


def negated(token: Token) -> bool:
    return any(child.dep_ == "neg" for child in token.children)


def objects_of(token: Token) -> list[Token]:
    """The direct objects and prepositional objects of a verb or adjective."""
    found = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass")]
    for child in token.children:
        if child.dep_ == "prep":
            found += [g for g in child.children if g.dep_ == "pobj"]
    return found


def subject_of(token: Token) -> Token | None:
    return next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)


class TopicReader:
    """Reads quotes toward topic targets with the stance stage's word lists."""

    unanchored_weight = UNANCHORED_WEIGHT
    event_weight = EVENT_WEIGHT
    other_weight = 1.0
    """The share a word counts for that the parse anchors to something else than the target."""
    patient_weight = 0.0
    """The share an action done to the target counts for (its sentiment, not a judgement)."""
    far_weight = 1.0
    hedge_weight = 0.5
    """The share a word counts for under *may*, *might*, *could* (see :meth:`_hedged`)."""
    """The share words count for in a quote's sentences that do not mention the target."""

    def __init__(
        self,
        lexicons: StanceLexicons,
        reading: ReadingLexicons,
        threshold: float = 0.2,
        relational: tuple[tuple[str, ...], ...] = (),
        similarity: float = 0.0,
    ) -> None:
        self.lexicons = lexicons
        self.words = reading
        self.threshold = threshold
        self.relational = relational
        self.similarity = similarity
        """Least cosine similarity of vectors for a noun to stand for the target's head
        (0: vectors are not used)."""

    # ------------------------------------------------------------------ mentions

    def find_mentions(
        self, target: TargetAnalysis, span: Span, skip: frozenset[int] = frozenset()
    ) -> dict[int, Mention]:
        """The tokens of ``span`` (but those in ``skip``) that stand for the target or one of
        its words."""
        shape = target.shape
        found: dict[int, Mention] = {}
        mask = mention_mask(target, span)
        name_words = {w for phrase in target.phrases for w in phrase if w not in STOP_WORDS}
        names = {w for name in target.names for w in name if w not in STOP_WORDS}
        synonym_hits = self._synonym_phrases(shape, span)
        for tok, masked in zip(span, mask, strict=True):
            if tok.i in skip or self._another(tok, target):
                continue
            lem = lemma(tok)
            if masked:
                is_name = tok.lower_ in name_words or (tok.is_title and tok.lower_ in names)
                is_whole = (
                    lem in shape.heads
                    or (is_name and shape.label is not None)
                    or stem(lem) in shape.stems
                    or (
                        shape.action is not None
                        and lem not in shape.objects
                        and stem(lem) == shape.action
                    )
                )
                found[tok.i] = Mention(tok.i, "word", TARGET if is_whole else PART, tok.text)
            elif shape.action_lemma is not None and self._is_action(tok, shape.action_lemma):
                found[tok.i] = Mention(tok.i, "action", TARGET, tok.text)
            elif variants(tok) & shape.heads and tok.pos_ in ("NOUN", "PROPN"):
                found[tok.i] = Mention(tok.i, "head noun", TARGET, tok.text)
            elif len(lem) > 4 and stem(lem) in shape.stems:
                found[tok.i] = Mention(tok.i, "stem", TARGET, tok.text)
            elif tok.lower_ in shape.acronyms and not tok.is_lower:
                found[tok.i] = Mention(tok.i, "acronym", TARGET, tok.text)
            elif tok.lower_ in shape.name_parts and tok.is_title:
                found[tok.i] = Mention(tok.i, "name part", TARGET, tok.text)
            elif self._hashtag(tok, target):
                found[tok.i] = Mention(tok.i, "hashtag", TARGET, tok.text)
            elif tok.i in synonym_hits or lem in shape.synonyms:
                word, kind = synonym_hits.get(tok.i) or shape.synonyms[lem]
                role = TARGET if (word in shape.heads or stem(word) in shape.stems) else PART
                found[tok.i] = Mention(tok.i, f"{kind} of '{word}'", role, tok.text)
            elif self._name_word(tok, target, names):
                found[tok.i] = Mention(tok.i, "name word", PART, tok.text)
            elif self.similarity > 0 and (similar := self._similar(tok, shape)) is not None:
                word, score = similar
                found[tok.i] = Mention(tok.i, f"vectors {score:.2f} to '{word}'", TARGET, tok.text)
        return found

    @staticmethod
    def _another(tok: Token, target: TargetAnalysis) -> bool:
        """A head noun of the target named as another one of its kind (*the Estonian team*
        for *the Afghan girls' robotics team*): a name of a kind the target has in its own
        modifiers (a nationality, a place, an organisation), but another one."""
        kinds = target.shape.modifier_kinds
        if not kinds or not variants(tok) & target.shape.heads:
            return False
        own = target.terms | target.shape.objects | {w for n in target.names for w in n}
        for child in tok.children:
            if child.dep_ not in ("amod", "compound", "poss", "nmod"):
                continue
            if child.ent_type_ in kinds and child.lower_ not in own and lemma(child) not in own:
                return True
        return False

    @staticmethod
    def _name_word(tok: Token, target: TargetAnalysis, names: set[str]) -> bool:
        """A word of the target's own name (*Odinism* for *the Temple of Odinism*),
        when the target is a name; not a person's name inside another kind of name (*Berg*
        of *the Ola Berg … Fund*, where the quote speaks of the man)."""
        label = target.shape.label
        if label is None or tok.lower_ not in names or tok.is_lower:
            return False
        return not (tok.ent_type_ == "PERSON" and label != "PERSON")

    @staticmethod
    def _is_action(tok: Token, action: str) -> bool:
        """The target's action (*turn away* needs its particle)."""
        verb, _, particle = action.partition(" ")
        if verb not in variants(tok):
            return False
        return not particle or any(c.lower_ == particle for c in tok.children)

    @staticmethod
    def _hashtag(tok: Token, target: TargetAnalysis) -> bool:
        if not (tok.text.startswith("#") or (tok.i > 0 and tok.doc[tok.i - 1].text == "#")):
            return False
        word = tok.lower_.lstrip("#")
        parts = target.shape.name_parts | target.shape.acronyms
        return any(p in word for p in parts) or any("".join(n) in word for n in target.names if n)

    @staticmethod
    def _synonym_phrases(shape: TargetShape, span: Span) -> dict[int, tuple[str, str]]:
        """Multi-word synonyms (*health care*, *asylum seeker*): every word of the hit."""
        if not shape.synonym_phrases:
            return {}
        lemmas = [lemma(t) for t in span]
        hits: dict[int, tuple[str, str]] = {}
        for start, phrase in phrase_hits(lemmas, shape.synonym_phrases):
            for k in range(start, start + len(phrase)):
                hits[span[k].i] = shape.synonyms[" ".join(phrase)]
        return hits

    def _similar(self, tok: Token, shape: TargetShape) -> tuple[str, float] | None:
        """The target head whose static vector is nearest to this noun's, if at least
        :attr:`similarity` (only with a model that has static vectors)."""
        if tok.pos_ != "NOUN" or not shape.heads:
            return None
        vocab = tok.vocab
        word = lemma(tok)
        if vocab.vectors.size == 0 or not vocab.has_vector(word):
            return None
        own = np.asarray(vocab.get_vector(word), dtype=float)
        best: tuple[str, float] | None = None
        for head in sorted(shape.heads - {word}):
            if not vocab.has_vector(head):
                continue
            other = np.asarray(vocab.get_vector(head), dtype=float)
            norm = float(np.linalg.norm(own) * np.linalg.norm(other))
            score = float(own @ other / norm) if norm else 0.0
            if best is None or score > best[1]:
                best = (head, score)
        return best if best is not None and best[1] >= self.similarity else None

    def anaphors(self, target: TargetAnalysis, quote: Span, context: Span) -> dict[int, Mention]:
        """Mentions that refer back to the target mentioned before: *it*/*this* and class
        nouns of the target's label (*the organisation*) after a mention in the two sentences
        before (or earlier in the quote's own sentence); shell nouns (*the idea*, *this move*,
        *the court's ruling*) after a mention anywhere earlier in the document."""
        doc = quote.doc
        end = max(quote.start, context.start)
        before_sents = [s for s in doc.sents if s.end <= context.start][-2:]
        start = before_sents[0].start if before_sents else context.start
        near = any(m.role == TARGET for m in self.find_mentions(target, doc[start:end]).values())
        far = near or any(
            m.role == TARGET for m in self.find_mentions(target, doc[0:start]).values()
        )
        if not far:
            return {}
        if not near:  # a shell noun just before refers back too, so a pronoun may follow it
            near = any(self._shell_noun(t) for t in doc[start:end])
        class_nouns = self.words.class_nouns.get(target.shape.label or "", frozenset())
        found: dict[int, Mention] = {}
        for tok in context:
            lem = lemma(tok)
            determiners = self._definite(tok)
            if tok.pos_ != "NOUN" or not determiners:
                if (
                    near
                    and tok.lower_ in PRONOUNS
                    and tok.pos_ == "PRON"
                    and self._referring_pronoun(tok)
                ):
                    found[tok.i] = Mention(tok.i, f"anaphor ('{tok.text}')", TARGET, tok.text)
                continue
            if lem in self.words.shell_nouns:
                what = f"anaphor (shell noun '{determiners[0].text} {tok.text}')"
                found[tok.i] = Mention(tok.i, what, TARGET, tok.text)
            elif near and lem in class_nouns:
                what = f"anaphor (class noun '{determiners[0].text} {tok.text}')"
                found[tok.i] = Mention(tok.i, what, TARGET, tok.text)
        return found

    @staticmethod
    def _definite(tok: Token) -> list[Token]:
        """The determiners that make a noun definite (*the*, *this*, *its*, *the court's*)."""
        return [
            c
            for c in tok.children
            if (c.dep_ == "det" and c.lower_ in DETERMINERS)
            or (c.dep_ == "poss" and (c.lower_ in DETERMINERS or c.pos_ in ("NOUN", "PROPN")))
        ]

    def _shell_noun(self, tok: Token) -> bool:
        return (
            tok.pos_ == "NOUN"
            and lemma(tok) in self.words.shell_nouns
            and bool(self._definite(tok))
        )

    @staticmethod
    def _referring_pronoun(tok: Token) -> bool:
        """*recommended it*, *it is a tax on jobs*; not *it is time to …* or *it would be
        worse* (a dummy subject, or no noun to judge)."""
        if tok.dep_ == "dobj":
            return True
        if tok.dep_ != "nsubj":
            return False
        verb = tok.head
        attributes = [c for c in verb.children if c.dep_ == "attr" and c.pos_ == "NOUN"]
        clauses = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp", "advcl")]
        if not attributes or clauses:
            return False
        return not any(c.dep_ in ("acl", "relcl", "xcomp") for c in attributes[0].children)

    def speaker_is_target(self, quote: Span, target: TargetAnalysis) -> str | None:
        """The speaker's name when the speaker is the target: a target that is one name (a
        person or organisation) speaking for itself."""
        if target.shape.label is None:
            return None
        texts = [quote._.speaker_name or ""]
        if quote._.speaker is not None:
            texts.append(quote._.speaker.text)
        for text in texts:
            low = text.lower()
            if not low:
                continue
            for phrase in target.phrases:
                if " ".join(phrase) in low or " ".join(w for w in phrase if w != "the") in low:
                    return text
            if any(" ".join(n) == low.removeprefix("the ") for n in target.names):
                return text
        return None

    @staticmethod
    def speaker_descriptions(quote: Span) -> list[list[Token]]:
        """The words that describe the speaker: the mention with its modifiers, appositions
        and *of*/*for*/*from* phrases (*Norway captain Ola Berg*, *a spokesman for the
        temple*), here and at the first mention of the speaker's name; never quoted words."""
        doc = quote.doc
        heads: list[Token] = []
        speaker = quote._.speaker
        if speaker is not None and len(speaker):
            heads.append(speaker.root)
        name = (quote._.speaker_name or "").split()
        if name:
            first = next((t for t in doc if t.text == name[-1]), None)
            if first is not None:
                heads.append(first.head if first.dep_ in ("compound", "appos") else first)
        quoted = {t.i for q in doc.spans.get("quotes", []) for t in q}
        found = []
        for head in heads:
            words = [head]
            for child in head.children:
                if child.dep_ in ("compound", "amod", "appos", "poss", "nmod") or (
                    child.dep_ == "prep" and child.lower_ in ("of", "for", "from", "at")
                ):
                    words += list(child.subtree)
            words = [t for t in words if t.i not in quoted and not t.is_punct]
            if 0 < len(words) <= MAX_DESCRIPTION:
                found.append(sorted(words, key=lambda t: t.i))
        return found

    def speaker_side(self, quote: Span, target: TargetAnalysis) -> str | None:
        """What shows the speaker speaks for the target: the target named in the speaker's
        description (*Norway captain Ola Berg*, *Odinist officials*, *a spokesman for
        the temple*). Not for a target between two or more parties (a party speaks for
        itself, not for the relation)."""
        if len(target.names) >= 2:
            return None
        doc = quote.doc
        for words in self.speaker_descriptions(quote):
            for tok in words:
                found = self.find_mentions(target, doc[tok.i : tok.i + 1]).get(tok.i)
                whole = found is not None and (
                    found.role == TARGET
                    or (found.kind == "name word" and target.shape.label is not None)
                )
                if whole and found is not None:
                    return f"'{found.text}' in '{' '.join(t.text for t in words)}'"
        return None

    def other_side(self, quote: Span, target: TargetAnalysis) -> str | None:
        """A name in the speaker's description of a kind the target has among its modifiers,
        but another one (*Chile coach* when the target is *Norway's national team*): the
        speaker's *the team* is their own."""
        kinds = target.shape.modifier_kinds
        if not kinds:
            return None
        own = target.terms | target.shape.objects | {w for n in target.names for w in n}
        for words in self.speaker_descriptions(quote):
            for tok in words:
                if tok.ent_type_ in kinds and tok.lower_ not in own and lemma(tok) not in own:
                    return tok.text
        return None

    # ------------------------------------------------------------------ what is evaluated

    def relation(self, tok: Token, r: Reading, depth: int = 0) -> tuple[float, str]:
        """How the noun phrase headed by ``tok`` relates to the target: positive when it is
        the target (or the target's: *its plan*, *the plan of X*, *X's website*), negative
        when it is an opponent of the target or an attack on it (*critics*, *attacks on X*),
        0 when it is something else; with a description for the evidence."""
        mention = r.mentions.get(tok.i)
        if mention is not None and r.is_target(tok.i):
            return r.weight(tok.i), f"the target ('{tok.text}', {mention.kind})"
        lem = lemma(tok)
        if depth < 2 and (
            tok.dep_ == "attr" or (tok.dep_ == "dobj" and lemma(tok.head) in self.words.light_verbs)
        ):  # "X is a disaster", "X has a strong rationale": about the subject
            subject = subject_of(tok.head)
            if subject is not None:
                return self.relation(subject, r, depth + 1)
        if lem in self.words.opponents:
            return -1.0, f"an opponent ('{tok.text}')"
        owner = self._owner(tok, r)
        if owner > 0:
            return owner, f"the target's '{tok.text}'"
        if tok.pos_ == "NOUN" and self.joins_parties(tok, r):
            return 1.0, f"the parties' '{tok.text}'"
        attacked = self._attacked(tok, r)
        if attacked > 0 and tok.pos_ == "NOUN" and self.lexicons.valence(tok.lower_, lem) < 0:
            return -attacked, f"an attack on the target ('{tok.text}')"
        if (
            r.shape.is_action
            and tok.pos_ == "VERB"
            and any(
                c.dep_ in ("dobj", "nsubjpass") and any(t.i in r.mentions for t in c.subtree)
                for c in tok.children
            )
        ):
            return 1.0, f"an action on the target's object ('{tok.text}')"
        if mention is not None:
            return 0.0, f"part of the target ('{tok.text}')"
        return 0.0, f"something else ('{tok.text}')"

    @staticmethod
    def joins_parties(tok: Token, r: Reading) -> bool:
        """Whether a noun names something between two or more parties of a relational target
        (*support from A for B*, *A's desperation for allies like B*)."""
        names = r.target.names
        if len(names) < 2:
            return False
        words = [t.lower_ for t in tok.subtree if t.i in r.mentions]
        met = {k for k, name in enumerate(names) if any(w in name for w in words)}
        return len(met) >= 2

    @staticmethod
    def _owner(tok: Token, r: Reading) -> float:
        """The target's weight when ``tok`` is the target's (*its website*, *the website of
        X*, *the X website*), else 0."""
        best = 0.0
        for child in tok.children:
            if child.dep_ in ("poss", "compound", "acl"):  # acl: "loudspeakers broadcasting X"
                best = max(best, r.weight(child.i))
            elif child.dep_ == "amod" and r.shape.is_action and r.weight(child.i) > 0:
                best = max(best, r.weight(child.i))  # "fluoridated water": the target's product
            elif child.dep_ == "prep" and child.lower_ == "of":
                for g in child.children:
                    if g.dep_ == "pobj":
                        best = max(
                            best,
                            r.weight(g.i),
                            *(r.weight(c.i) for c in g.children if c.dep_ in ("compound", "poss")),
                        )
        return best

    @staticmethod
    def _attacked(tok: Token, r: Reading) -> float:
        """The target's weight when ``tok`` is done to it (*attacks on X*, *threats against
        X*), else 0."""
        best = 0.0
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ in ATTACK_PREPOSITIONS:
                for g in child.children:
                    if g.dep_ == "pobj":
                        best = max(best, r.weight(g.i), *(r.weight(t.i) for t in g.subtree))
        return best

    def anchor(self, tok: Token) -> Token | None:
        """The noun phrase head that an evaluative word is about (None: not anchored)."""
        dep = tok.dep_
        if tok.pos_ == "ADJ" or tok.tag_ in ("JJ", "JJR", "JJS"):
            if dep == "amod" and tok.head.pos_ == "ADP" and tok.head.lower_ == "as":
                # "describe X as historic": about the object of the verb
                verb = tok.head.head
                return next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")), None)
            if dep == "amod":
                return tok.head
            if dep == "conj":
                return self.anchor(tok.head)
            for child in tok.children:  # "disappointed with X", "proud of X", "critical of X"
                if child.dep_ == "prep" and child.lower_ in EVALUATIVE_PREPOSITIONS:
                    objects = [g for g in child.children if g.dep_ == "pobj"]
                    if objects:
                        return objects[0]
            if dep in ("acomp", "attr", "oprd", "ROOT", "ccomp", "xcomp"):
                verb = tok if dep == "ROOT" else tok.head
                subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
                if subjects:
                    return subjects[0]
            return None
        if tok.pos_ == "ADV":
            if tok.head.i != tok.i and tok.head.pos_ in ("VERB", "ADJ", "AUX"):
                return self.anchor(tok.head)
            return None
        if tok.pos_ == "NOUN":
            if dep == "dobj" and lemma(tok.head) in self.words.light_verbs:
                subject = subject_of(tok.head)  # "X causes damage to Y", "X drew criticism"
                if subject is not None:
                    return subject
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ in EVALUATIVE_PREPOSITIONS:
                    objects = [g for g in child.children if g.dep_ == "pobj"]
                    if objects:
                        return objects[0]
            for child in tok.children:
                if child.dep_ == "poss":
                    return child
            if dep == "attr":
                return subject_of(tok.head)
            return None
        if tok.pos_ in ("VERB", "AUX"):
            if self.is_attitude(tok):
                objects = objects_of(tok)
                return objects[0] if objects else None
            return self.agent(tok)
        return None

    def is_attitude(self, tok: Token) -> bool:
        """A verb of judging or feeling (a polar cue verb: *condemn*, *praise*, *fear*)."""
        return tok.pos_ == "VERB" and self.lexicons.cue(tok.lower_, lemma(tok)) is not None

    @staticmethod
    def agent(tok: Token) -> Token | None:
        """Who does what a verb says: its subject or passive agent, else the controller of an
        infinitive or participle (*X helped improve* → X)."""
        for _ in range(3):
            subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subject is not None:
                return subject
            agent = next((c for c in tok.children if c.dep_ == "agent"), None)
            if agent is not None:
                return next((g for g in agent.children if g.dep_ == "pobj"), None)
            if tok.dep_ not in ("xcomp", "conj") or tok.head.i == tok.i:
                return None
            tok = tok.head
        return None

    def pronoun_weight(self, tok: Token, r: Reading) -> float:
        """Whether a pronoun may stand for the target: *it*, *they* may; *he*, *she* only for
        a person target; *I*, *we* only when the speaker speaks for the target."""
        low = tok.lower_
        if low in ("i", "me", "my", "we", "us", "our"):
            return 1.0 if r.speaker_side else 0.0
        if low in ("he", "him", "his", "she", "her", "hers"):
            return 1.0 if r.shape.label == "PERSON" else 0.0
        if low in ("they", "them", "their", "theirs"):  # people, a group, or plural things
            return 1.0 if r.shape.label is not None or r.shape.plural else 0.0
        return 1.0

    # ------------------------------------------------------------------ the decision

    def read(self, quote: Span, target: TargetAnalysis, context: Span) -> tuple[str, list[str]]:
        """The label of ``quote`` toward the topic ``target`` and the evidence for it."""
        doc = quote.doc
        in_quote = self.find_mentions(target, quote)
        speaker = quote._.speaker
        own = frozenset(t.i for t in speaker) if speaker is not None else frozenset()
        mentions = self.find_mentions(target, context, own - set(range(quote.start, quote.end)))
        if doc.has_annotation("DEP") and doc.has_annotation("SENT_START"):
            for i, mention in self.anaphors(target, quote, context).items():
                mentions.setdefault(i, mention)
                if quote.start <= i < quote.end:
                    in_quote.setdefault(i, mention)
        speaker_self = self.speaker_is_target(quote, target)
        side = None if speaker_self else self.speaker_side(quote, target)
        rival = None if speaker_self or side else self.other_side(quote, target)
        if rival is not None:  # "the team" in the words of the other side's coach is theirs
            for found in (in_quote, mentions):
                for i in [i for i, m in found.items() if _bare_head(doc[i], target)]:
                    del found[i]
        if speaker_self or side:
            for tok in quote:
                if tok.lower_ in FIRST_PERSON_PLURAL and tok.i not in in_quote:
                    mention = Mention(tok.i, "'we' of the target's side", TARGET, tok.text)
                    in_quote[tok.i] = mentions[tok.i] = mention
        evidence: list[str] = []
        if mentions:
            shown = sorted({f"{m.text} ({m.kind})" for m in mentions.values()})
            where = "quote" if in_quote else "sentence"
            evidence.append(f"target matched in the {where}: {', '.join(shown[:6])}")
        if speaker_self:
            evidence.append(f"the speaker is the target ({speaker_self})")
        elif side:
            evidence.append(f"the speaker speaks for the target ({side})")
        if not mentions and not speaker_self and len(target.names) >= 2:
            hits = phrase_hits([t.lower_ for t in context], self.relational)
            if hits:
                i = context.start + hits[0][0]
                mention = Mention(i, "parties together", TARGET, doc[i].text)
                evidence.append(f"the parties of the target together: '{' '.join(hits[0][1])}'")
                mentions[i] = mention
                if quote.start <= i < quote.end:
                    in_quote[i] = mention
        if not mentions and not speaker_self:
            if target.terms or target.phrases:
                return "NONE", ["target not mentioned in the quote or its sentence", "→ NONE"]
            evidence.append("target has no content words (a pronoun): every quote is about it")
        r = Reading(quote, target, mentions, in_quote, speaker_side=bool(speaker_self or side))
        if doc.has_annotation("DEP"):
            self.read_cue(r)
            self.read_demand(r)
            self.read_effects(r)
        else:
            self.read_cue_alone(r)
        if speaker_self or side:
            self.read_self_defence(r)
        whole_in_quote = any(m.role == TARGET for m in in_quote.values())
        self.read_content(r, 1.0 if whole_in_quote else self.unanchored_weight)
        compound = normalise(sum(e.value for e in r.evaluations))
        for e in r.evaluations[:8]:
            evidence.append(f"{'+' if e.value > 0 else '-'}{abs(e.weight):.1f} {e.why}")
        label = "NONE"
        if compound >= self.threshold:
            label = "FAVOR"
        elif compound <= -self.threshold:
            label = "AGAINST"
        evidence.append(f"score {compound:+.2f}")
        return label, [*evidence, f"→ {label}"]

    # ------------------------------------------------------------------ cue

    def cue_word(self, quote: Span) -> tuple[Token, int] | None:
        """The polar word of the cue and its sign: a polar cue verb or noun, a denial verb
        (-1), a polar adjective (*critical of*, *disappointed*) or *against*."""
        cue = quote._.cue
        if cue is None:
            return None
        for token in cue:
            lem = lemma(token)
            polarity = self.lexicons.cue(token.lower_, lem)
            if polarity is not None:
                return token, 1 if polarity == "FAVOR" else -1
            if lem in self.lexicons.denials.verbs:
                return token, -1
            if token.pos_ == "ADJ":
                valence = self.lexicons.valence(token.lower_, lem)
                if abs(valence) >= 1:
                    return token, 1 if valence > 0 else -1
            if token.lower_ == "against":
                return token, -1
        return None

    def read_cue_alone(self, r: Reading) -> None:
        """Without a parse: the cue's polarity toward the quote (negation flips)."""
        found = self.cue_word(r.quote)
        if found is None:
            return
        word, sign = found
        if self._denies_allegation(r.quote, word, []):
            return
        r.used.add(word.i)
        r.add(-sign if negated(word) else sign, CUE_WEIGHT, f"cue '{r.quote._.cue.text}'")

    def _denies_allegation(self, quote: Span, word: Token, objects: list[Token]) -> bool:
        if lemma(word) not in self.lexicons.denials.verbs:
            return False
        nouns = self.lexicons.denials.nouns
        return any(lemma(t) in nouns for t in quote) or any(lemma(t) in nouns for t in objects)

    def read_cue(self, r: Reading) -> None:
        """The cue's polarity toward its own object: the target (+1), an opponent of it or an
        attack on it (-1), or the quote when the cue has no object outside it."""
        quote = r.quote
        found = self.cue_word(quote)
        if found is None:
            return
        word, sign = found

        def outside(t: Token) -> bool:
            return not (quote.start <= t.i < quote.end)

        if word.lower_ == "against":
            objects = [g for g in word.children if g.dep_ == "pobj"]
        else:
            objects = [c for c in word.children if c.dep_ in ("dobj", "nsubjpass") and outside(c)]
            for child in word.children:
                if child.dep_ == "prep" and (outside(child) or word.pos_ == "ADJ"):
                    objects += [g for g in child.children if g.dep_ == "pobj"]
        if self._denies_allegation(quote, word, objects):
            return  # a denial of allegations: judged by who denies (self-defence)
        if negated(word):
            sign = -sign
        for obj in objects:
            if not outside(obj):
                r.used.update(
                    t.i
                    for t in obj.subtree
                    if self.lexicons.valence(t.lower_, lemma(t)) and t.i not in r.mentions
                )
        if objects:
            polarity, what = self.relation(objects[0], r)
        else:
            polarity, what = self.relation(quote.root, r)
            if polarity == 0 and r.in_quote:
                polarity, what = 1, "the quote, which mentions the target"
            root = quote.root
            if (
                polarity
                and root.i not in r.mentions
                and self.lexicons.valence(root.lower_, lemma(root))
            ):
                r.used.add(root.i)
        if polarity == 0:
            return
        r.used.add(word.i)
        side = "for" if sign > 0 else "against"
        r.add(sign * polarity, CUE_WEIGHT, f"cue '{quote._.cue.text}' {side} {what}")

    # ------------------------------------------------------------------ demands

    def read_demand(self, r: Reading) -> None:
        """A demand is read by what it demands be done to the target.

        The demands: a demand cue (*urged … to*, *called for*; the quote is what is demanded),
        a demand verb of the speaker inside the quote (*we urge … to*), a modal (*should*,
        *must*), a demand noun (*a recommendation that …*). Demanding the target (*to pay the
        tax*, *that all water be fluoridated*, *a ban on X* with X the target) is FAVOR, demanding
        it be reduced or ended (*should be scrapped*, *a ban on the target*) or its opposite
        (*to rescue the migrants* when the target is turning them away) AGAINST; a negated
        demand (*not to close*, *no country should*) flips."""
        quote = r.quote
        cue = quote._.cue
        demands: list[tuple[Token, str]] = []
        makers: dict[int, Token] = {}  # a demanded clause → the demand verb inside the quote
        cue_word = None
        if cue is not None:
            cue_word = next(
                (t for t in cue if lemma(t) in self.words.demand_cues | self.words.demand_nouns),
                None,
            )
        if cue_word is not None:  # the quote's top-level words are what is demanded
            for t in quote:
                top = t.head.i == t.i or not quote.start <= t.head.i < quote.end
                if top and t.pos_ not in ("PUNCT", "DET", "PART", "ADP", "SPACE"):
                    demands.append((t, f"demand cue '{cue.text}'"))
        for t in quote:
            lem = lemma(t)
            if lem in self.words.modals and t.dep_ in ("aux", "ROOT", "ccomp", "xcomp"):
                demands.append((t.head if t.dep_ == "aux" else t, f"demand '{t.text}'"))
            elif lem in self.words.demand_cues and t.pos_ == "VERB" and t.i not in r.mentions:
                subject = self.agent(t)
                if subject is None or subject.pos_ == "PRON":
                    for c in t.children:
                        if c.dep_ in ("xcomp", "ccomp"):
                            demands.append((c, f"demand '{t.text}'"))
                            makers[c.i] = t
            elif lem in self.words.demand_nouns and t.pos_ == "NOUN" and t.i not in r.mentions:
                for c in t.children:
                    if c.dep_ in ("acl", "ccomp"):
                        demands.append((c, f"demand '{t.text}'"))
                    elif c.dep_ == "prep" and c.lower_ in ("for", "of"):
                        demands += [
                            (g, f"demand '{t.text} {c.text}'")
                            for g in c.children
                            if g.dep_ == "pobj"
                        ]
        seen: set[int] = set()
        for head, why in demands:
            for clause in _clauses(head):
                if clause.i in seen:
                    continue
                seen.add(clause.i)
                found = self._demanded(clause, r)
                if found is None:
                    continue
                sign, what = found
                is_negated = self._negated_demand(clause, head)
                if is_negated:
                    sign = -sign
                if cue_word is not None:
                    r.used.add(cue_word.i)
                if head.i in makers:
                    r.used.add(makers[head.i].i)
                r.used.add(clause.i)
                flag = " (negated)" if is_negated else ""
                r.add(sign, CUE_WEIGHT, f"{why}{flag}: {what}")
                return

    def _demanded(self, head: Token, r: Reading) -> tuple[int, str] | None:
        """What a demanded clause (or noun) does to the target: +1 (the target itself, or
        done to it), -1 (reducing or ending it, or its opposite), None (nothing)."""
        if r.is_target(head.i):
            return 1, f"the target ('{head.text}')"
        direction = self.words.effects.get(lemma(head))
        particle = next((c.lower_ for c in head.children if c.dep_ == "prt"), None)
        if particle is not None:
            direction = self.words.effects.get(f"{lemma(head)} {particle}", direction)
        if head.pos_ in ("NOUN", "PROPN"):
            if self.relation(head, r)[0] > 0:
                return 1, f"the target ('{head.text}')"
            for child in head.children:
                if child.dep_ == "prep" and child.lower_ in ("on", "of", "against", "to"):
                    for g in child.children:
                        if g.dep_ == "pobj" and self.relation(g, r)[0] > 0:
                            sign = direction or 1
                            return sign, f"'{head.text} {child.text} {g.text}'"
            return None
        if head.pos_ not in ("VERB", "AUX"):
            return None
        objects = [c for c in head.children if c.dep_ in ("dobj", "nsubjpass", "attr")]
        objects += [  # "help the girls enter": who is helped
            g
            for c in head.children
            if c.dep_ in ("ccomp", "xcomp")
            for g in c.children
            if g.dep_ == "nsubj"
        ]
        for obj in objects:
            if self.relation(obj, r)[0] > 0:
                if obj.dep_ == "nsubjpass" and direction is None:
                    return None  # "X must be well thought out": how X should be, not X itself
                return direction or 1, f"'{head.text} {obj.text}'"
        opposite = r.shape.direction and direction and direction != r.shape.direction
        if opposite and any(t.i in r.mentions for o in objects for t in o.subtree):
            return -1, f"'{head.text}', the opposite of the target"
        return None

    @staticmethod
    def _negated_demand(clause: Token, head: Token) -> bool:
        """*not to close*, *should not*, *never to*, *no country should*."""
        for t in (clause, head):
            if negated(t):
                return True
            left = t.doc[t.i - 2 : t.i] if t.i >= 2 else t.doc[0 : t.i]
            if [w.lower_ for w in left][-2:-1] in (["not"], ["never"]) and left[-1].lower_ == "to":
                return True
            subject = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None and any(c.lower_ == "no" for c in subject.children):
                return True
        return False

    # ------------------------------------------------------------------ effects

    def read_effects(self, r: Reading) -> None:
        """A change (*cut*, *boost*, *a tax on*) takes the polarity of what it changes, toward
        its agent; someone undoing what the target does, complained of, is a point for it."""
        for tok in r.quote:
            direction = self.words.effects.get(lemma(tok))
            if direction is None or (tok.i in r.mentions and tok.dep_ != "attr"):
                continue
            obj: Token | None = None
            if tok.pos_ == "VERB":
                obj = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")), None)
            elif tok.pos_ == "NOUN":
                for child in tok.children:
                    if child.dep_ == "prep" and child.lower_ in ("on", "to", "for", "of"):
                        obj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if obj is None:
                continue
            value = self.good(obj)
            if negated(tok):
                direction = -direction
            agent = self._agent(tok)
            agent_relation = self.relation(agent, r) if agent is not None else (0, "")
            object_mentioned = any(t.i in r.mentions for t in obj.subtree)
            if agent_relation[0] != 0 and value:
                r.used.add(tok.i)
                change = "raises" if direction > 0 else "lowers"
                r.add(
                    direction * (1 if value > 0 else -1) * agent_relation[0],
                    CUE_WEIGHT,
                    f"effect: {agent_relation[1]} {change} '{obj.text}' ({value:+.1f})",
                )
            elif object_mentioned and r.shape.direction and direction != r.shape.direction:
                # someone does the opposite of the target to its object: a complaint about them
                cue = r.quote._.cue
                complaint = self.lexicons.valence(tok.lower_, lemma(tok)) < 0 or (
                    cue is not None
                    and any(self.lexicons.cue(t.lower_, lemma(t)) == "AGAINST" for t in cue)
                )
                if complaint:
                    r.used.add(tok.i)
                    r.add(
                        1, CUE_WEIGHT, f"complains that '{tok.text} {obj.text}' undoes the target"
                    )

    def good(self, head: Token) -> float:
        """How good more of the thing headed by ``head`` is: the goods list, else its
        sentiment (its compounds too: *traffic deaths*)."""
        for t in (head, *(c for c in head.children if c.dep_ in ("compound", "amod"))):
            listed = self.words.goods.get(lemma(t))
            if listed is not None:
                return float(listed)
        for t in (head, *(c for c in head.children if c.dep_ == "compound")):
            value = self.lexicons.valence(t.lower_, lemma(t))
            if value:
                return value
        return 0.0

    def _agent(self, tok: Token) -> Token | None:
        """Who causes a change: a noun's owner (*X's tax on jobs*) or the subject of *X is a
        tax on jobs*; a verb's agent (also of an adverbial clause: *X …, cutting jobs*)."""
        if tok.pos_ == "NOUN":
            if tok.dep_ == "attr":
                return next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
            return next((c for c in tok.children if c.dep_ == "poss"), None)
        found = self.agent(tok)
        if found is None and tok.dep_ == "advcl" and tok.head.i != tok.i:
            found = self.agent(tok.head)
        return found

    # ------------------------------------------------------------------ self-defence

    def read_self_defence(self, r: Reading) -> None:
        """The target (or its side), speaking, rejects, disputes or counters something, or
        says it is not so: it stands by itself."""
        cue = r.quote._.cue
        lemmas = {lemma(t) for t in cue} if cue is not None else set()
        denies = negated(r.quote.root) and r.quote.root.pos_ in ("VERB", "AUX")
        if lemmas & self.words.defences or (denies and lemmas):
            cue_text = cue.text if cue is not None else ""
            r.add(1, CUE_WEIGHT, f"the target defends itself ('{cue_text}')")

    # ------------------------------------------------------------------ content words

    def _governing_change(self, tok: Token, span: Span) -> bool:
        """Whether the word is what a verb of lowering or opposing in ``span`` acts on
        (*prevent disorders*, *fight the crisis*, *cut jobs*): then it counts with the opposite
        sign."""
        head = tok
        for _ in range(4):
            if head.dep_ not in (
                "dobj",
                "pobj",
                "compound",
                "amod",
                "nsubjpass",
                "prep",
                "conj",
                "oprd",
                "ccomp",
                "relcl",
            ):
                return False
            head = head.head
            if not span.start <= head.i < span.end:
                return False
            lem = lemma(head)
            if head.pos_ in ("VERB", "NOUN") and (
                self.words.effects.get(lem) == -1 or lem in self.lexicons.opposition
            ):
                return True
        return False

    def read_content(self, r: Reading, free: float) -> None:
        """Sentiment words of the content, each toward what it is about.

        Skipped: function words, names, the target's own words, words already read (the cue,
        effects), noun modifiers (*support* in *a support group*), words of change (read as
        effects), light verbs and fixed phrases (*in question*, *as well as*). A judging verb
        whose subject is someone else reports their attitude, not the speaker's."""
        has_parse = r.quote.doc.has_annotation("DEP")
        fixed = self._fixed_phrase_tokens(r.quote)
        grounds = self._grounds(r.quote) if has_parse else set()
        far_sentences = self._far_sentences(r)
        last_negation = -10
        items: list[tuple[Token, float, Token | None]] = []
        for k, tok in enumerate(r.quote):
            lem = lemma(tok)
            if tok.lower_ in CLAUSE_BREAKS:
                last_negation = -10
                continue
            if tok.lower_ in self.lexicons.negations or lem in self.lexicons.negations:
                last_negation = k
                continue
            if tok.i in r.used or tok.i in r.mentions or tok.pos_ in FUNCTION_POS or tok.i in fixed:
                continue
            if has_parse and (tok.dep_ == "compound" or lem in self.words.light_verbs):
                continue
            if lem in self.words.neutral_changes:
                continue
            if lem in self.lexicons.opposition and not self.is_attitude(tok):
                continue  # "fight", "confront": what they act on decides (see below)
            if tok.i in grounds or (
                k > 1 and r.quote[k - 1].text == "-" and r.quote[k - 2].lower_ == "non"
            ):
                continue  # the grounds of a criticism or praise; "non-profit"
            attitude = self.is_attitude(tok) and (not has_parse or bool(objects_of(tok)))
            cue = self.lexicons.cue(tok.lower_, lem)
            if attitude or (
                cue is not None
                and tok.pos_ == "NOUN"
                and (tok.i == r.quote.root.i or self._about_target(tok, r))
            ):
                # a judging verb; a cue noun that is the quote ("similar concerns") or is
                # about the target ("criticism of X", "X drew criticism")
                value = 2.0 if cue == "FAVOR" else -2.0
                subject = self.agent(tok) if has_parse and tok.pos_ == "VERB" else None
                if subject is not None and self._third_party(subject, r):
                    continue  # someone else's attitude, reported
            elif has_parse and tok.pos_ == "VERB" and self._feeling(tok):
                continue  # "X wishes to …": the subject's wish, no judgement of anyone
            elif has_parse and self._required(tok):
                continue  # "X must be well thought out": a requirement, not a judgement
            else:
                value = self.lexicons.valence(tok.lower_, lem)
            if not value:
                continue
            if k - last_negation <= 3 or negated(tok) or (has_parse and _no_subject(tok)):
                value *= NEGATION_FACTOR
            if has_parse and self._governing_change(tok, r.quote):
                value = -value
            if has_parse and self._hedged(tok):
                value *= self.hedge_weight
            items.append((tok, value, self.anchor(tok) if has_parse else None))
        judged = {a.i for _, _, a in items if a is not None}
        for tok, value, anchor in items:
            if tok.i in judged:
                continue  # the thing judged ("the support … is troubling"), not a judgement
            relation = (
                self.relation(anchor, r) if anchor is not None and anchor.i != tok.i else None
            )
            if tok.pos_ == "VERB" and (relation is None or relation[0] <= 0):
                means = self._means(tok, r)
                if means is not None:
                    relation = means
            if relation is not None and relation[0] == 0 and tok.pos_ == "VERB":
                patient = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")), None)
                patient_relation = self.relation(patient, r) if patient is not None else (0, "")
                if patient_relation[0] != 0:
                    if anchor is not None and anchor.lower_ in ("i", "we"):
                        r.add(
                            1 if value > 0 else -1,
                            abs(value),
                            f"the speaker's '{tok.text}' ({value:+.1f}) on {patient_relation[1]}",
                        )
                    elif self.patient_weight:  # what is done to the target, weakly
                        w = self.patient_weight * patient_relation[0]
                        why = f"'{tok.text}' ({value:+.1f}) done to {patient_relation[1]}"
                        r.add(1 if value > 0 else -1, abs(value * w), why)
                    continue  # the target undergoes it: no judgement of the target
            judging = (
                tok.pos_ in ("ADJ", "ADV")
                or self.is_attitude(tok)
                or (
                    tok.i == r.quote.root.i
                    and self.lexicons.cue(tok.lower_, lemma(tok)) is not None
                )
            )
            if (
                (relation is None or relation[0] == 0)
                and tok.pos_ == "NOUN"
                and self.joins_parties(tok, r)
            ):
                relation = (1.0, f"the parties' '{tok.text}'")
            if relation is None:
                weight = free * (1.0 if judging else self.event_weight)
                why = f"'{tok.text}' ({value:+.1f})"
            elif relation[0] == 0 and anchor is not None and anchor.pos_ == "PRON":
                weight = (
                    free * (1.0 if judging else self.event_weight) * self.pronoun_weight(anchor, r)
                )
                why = f"'{tok.text}' ({value:+.1f}) about '{anchor.text}'"
            else:
                polarity, what = relation
                if (
                    polarity == 0
                    and r.shape.is_action
                    and anchor is not None
                    and anchor.i in r.mentions
                ):
                    continue  # about the object of the target's action (the problem), not it
                if polarity == 0:
                    weight = free * (1.0 if judging else self.event_weight) * self.other_weight
                    why = f"'{tok.text}' ({value:+.1f}) about {what}"
                else:
                    weight = polarity
                    why = f"'{tok.text}' ({value:+.1f}) about {what}"
            if weight and tok.i in far_sentences:
                weight *= self.far_weight
            if weight:
                r.add(1 if value * weight > 0 else -1, abs(value * weight), why)

    @staticmethod
    def _far_sentences(r: Reading) -> set[int]:
        """Tokens of a quote's sentences that do not mention the target, when the quote
        spans several sentences (they count :attr:`far_weight`)."""
        doc = r.quote.doc
        if not doc.has_annotation("SENT_START"):
            return set()
        sents = [s for s in doc.sents if s.start < r.quote.end and s.end > r.quote.start]
        if len(sents) < 2:
            return set()
        far: set[int] = set()
        for sent in sents:
            if not any(sent.start <= i < sent.end for i in r.mentions):
                far.update(range(max(sent.start, r.quote.start), min(sent.end, r.quote.end)))
        return far

    def _about_target(self, noun: Token, r: Reading) -> bool:
        anchor = self.anchor(noun)
        return anchor is not None and self.relation(anchor, r)[0] > 0

    def _grounds(self, span: Span) -> set[int]:
        """Tokens that give the grounds of a cue noun (*criticism for making it easier …*):
        what is criticised or praised, not the speaker's own words."""
        found: set[int] = set()
        for tok in span:
            if tok.pos_ != "NOUN" or self.lexicons.cue(tok.lower_, lemma(tok)) is None:
                continue
            holders = [tok]
            if tok.dep_ == "dobj" and lemma(tok.head) in self.words.light_verbs:
                holders.append(tok.head)  # "X drew criticism for …"
            for holder in holders:
                for child in holder.children:
                    if child.dep_ == "prep" and child.lower_ in ("for", "over"):
                        found.update(t.i for t in child.subtree)
        return found

    def _hedged(self, tok: Token) -> bool:
        """A word of a clause under a modal of possibility (*may*, *might*, *could*): what might
        be is weighed less than what is."""
        verb = tok
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        return any(c.dep_ == "aux" and c.lower_ in HEDGING_MODALS for c in verb.children)

    def _required(self, tok: Token) -> bool:
        """A word of a clause under a modal of demand (*must be fair*, *should be well
        planned*)."""
        verb = tok
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        return any(lemma(c) in self.words.modals and c.dep_ == "aux" for c in verb.children)

    @staticmethod
    def _feeling(verb: Token) -> bool:
        """A verb of wishing or trying with a clause (*wishes to use*, *hopes that*): its
        valence is its subject's wish, not a judgement (unless the speaker is the subject)."""
        if not any(c.dep_ in ("xcomp", "ccomp") for c in verb.children):
            return False
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        return subject is not None and subject.lower_ not in ("i", "we")

    def _means(self, verb: Token, r: Reading) -> tuple[float, str] | None:
        """The target as the means of an act (*remedy the situation by using X*, *with X*):
        the act's valence is the target's."""
        for child in verb.children:
            if child.dep_ != "prep" or child.lower_ not in ("by", "with", "through"):
                continue
            for g in child.children:
                if g.dep_ in ("pcomp", "pobj"):
                    weight = max((r.weight(t.i) for t in g.subtree), default=0.0)
                    if weight > 0:
                        return weight, f"the means ('{child.text} {g.text}')"
        return None

    def _third_party(self, subject: Token, r: Reading) -> bool:
        """A subject that is neither the speaker (a pronoun, *her party*, *our members*) nor
        the target: its attitudes are reported, not the speaker's own."""
        if subject.pos_ == "PRON" or any(
            c.dep_ == "poss" and c.pos_ == "PRON" for c in subject.children
        ):
            return False
        return self.relation(subject, r)[0] <= 0

    def _fixed_phrase_tokens(self, span: Span) -> set[int]:
        """Tokens of fixed phrases that carry no evaluation (*in question*, *as well as*)."""
        lemmas = [t.lower_ for t in span]
        return {
            span[start + k].i
            for start, phrase in phrase_hits(lemmas, self.words.fixed_phrases)
            for k in range(len(phrase))
        }


def _bare_head(tok: Token, target: TargetAnalysis) -> bool:
    """The target's head noun without any of its modifiers (*the team*)."""
    if not variants(tok) & target.shape.heads:
        return False
    return not any(c.dep_ in ("amod", "compound", "poss", "nmod") for c in tok.children)


def _no_subject(token: Token) -> bool:
    """*no one will be refused*, *nobody liked it*: the clause is negated by its subject."""
    verb = token if token.pos_ in ("VERB", "AUX") else token.head
    return any(
        child.dep_ in ("nsubj", "nsubjpass")
        and (
            child.lower_ in ("nobody", "nothing", "none")
            or any(c.lower_ == "no" for c in child.children)
        )
        for child in verb.children
    )


def _clauses(head: Token, depth: int = 2) -> list[Token]:
    """A demanded clause and the clauses it continues into (*to work together … to save*)."""
    found = [head]
    if depth:
        for child in head.children:
            if child.dep_ in ("xcomp", "advcl", "conj", "acl", "relcl") and child.pos_ in (
                "VERB",
                "AUX",
                "NOUN",
            ):
                found += _clauses(child, depth - 1)
    return found


def _core(head: Token) -> set[int]:
    """The clause of ``head`` without its adverbial and relative clauses."""
    out: set[int] = set()
    stack = [head]
    while stack:
        t = stack.pop()
        out.add(t.i)
        stack += [c for c in t.children if c.dep_ not in ("advcl", "relcl", "acl", "mark")]
    return out
