"""What a target phrase is made of: what the rules need to know about it, and how to find it
in a quote under other words.

:func:`analyse_target` gives a :class:`TargetAnalysis`: the target's content words and names
(for the plain look-up of :func:`mention_mask`), whether it is a *claim* (a clause: agreement
with it is its stance) or a *topic* (a noun phrase: sentiment toward it), and its shape.

A target (*the dockworkers' strike*, *restoring funding for rural hospitals*, *Ann Smith*) is
read once, from a Doc of the pipeline's own model components (tags, lemmas, parse, entities),
into a :class:`TargetShape`:

- its **head noun** (*strike*) and the words around it (*dockworker*), or its **action** when
  it is a verbal phrase (*restoring* → *restore*, a change upward, acting on *funding*);
- the **names** in it: a person's given and family names, the acronym of a multi-word name
  (*Open Data Format 2* → *ODF2*), the head of a multi-word name (*Format*);
- **derivational stems** (*privatisation* and *privatising* share *privatis*), so that a quote
  may use another form of the word;
- the **synonyms and hypernyms** of the curated list that stand for its head, action or
  words (*walkout* for *strike*, *health care* for *hospital*).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span, Token

from newspipe.pipeline.stages.stance.lexicons import (
    ReadingLexicons,
    StanceLexicons,
    phrase_hits,
    score_tokens,
)

FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
"""Penn tags of finite verbs and modals."""

SUFFIXES = (
    "isations", "izations", "isation", "ization", "ations", "ation", "itions", "ition", "ions",
    "tion", "ion", "ments", "ment", "ings", "ing", "ised", "ized", "ises", "izes", "ise", "ize",
    "ous", "ates", "ated", "ate", "ers", "er", "al", "ed", "es", "s", "e",
)  # fmt: skip
"""Derivational and inflectional endings, longest first (see :func:`stem`)."""
MIN_STEM = 4
"""A stem keeps at least this many letters (*tax* stays *tax*, *taxing* becomes *tax*)."""


def stem(word: str) -> str:
    """A derivational stem: *reduction*, *reducing* → *reduc*; *privatisation*, *privatising* →
    *privatis*; *taxing* keeps *tax* (a stem has at least :data:`MIN_STEM` letters)."""
    w = word.lower()
    for suffix in SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= MIN_STEM:
            return w[: -len(suffix)]
    return w


@dataclass(frozen=True)
class TargetShape:
    """What a target phrase is made of, for matching and for reading evaluations."""

    heads: frozenset[str] = frozenset()
    """Lemmas of the target's head noun (and of the head of each multi-word name)."""
    action_lemma: str | None = None
    """The lemma of a verbal head (*taxing* → *tax*)."""
    action: str | None = None
    """The stem of a verbal head (*reducing ozone pollution* → *reduc*)."""
    direction: int = 0
    """+1 / -1 when the action is a change upward / downward (*restoring*, *cutting*), else 0."""
    objects: frozenset[str] = frozenset()
    """Lemmas of the action's object (*pollution*, *ozone*) or of the modifiers of a noun head."""
    name_parts: frozenset[str] = frozenset()
    """Given and family names of a person target (lower-cased)."""
    acronyms: frozenset[str] = frozenset()
    """Acronyms of its multi-word names (*odf2*)."""
    label: str | None = None
    """The entity label of a target that is one name."""
    stems: frozenset[str] = frozenset()
    """Derivational stems of the head and action (*privatisation* matches *privatising*)."""
    synonyms: dict[str, tuple[str, str]] = field(default_factory=dict)
    """A word of a quote → (the target word it stands for, 'synonym' | 'hypernym')."""
    synonym_phrases: tuple[tuple[str, ...], ...] = ()
    """The multi-word keys of :attr:`synonyms`, as word sequences."""
    plural: bool = False
    """The head is a plural noun (*they* may stand for it)."""
    modifier_kinds: frozenset[str] = frozenset()
    """Entity labels (NORP, GPE, ORG, LOC) of names that modify the head (*Afghan* in *the
    Afghan team*): another name of that kind on the head is another one of its kind."""

    @property
    def is_action(self) -> bool:
        return self.action is not None


def _acronym(tokens: list[Token]) -> str | None:
    caps = [t.text[0] for t in tokens if t.text[:1].isupper() and t.is_alpha]
    digits = "".join(t.text for t in tokens if t.text.isdigit())
    if len(caps) < 2:
        return None
    return ("".join(caps) + digits).lower()


def _lemma(token: Token) -> str:
    return (token.lemma_ or token.text).lower()


def _root(doc: Doc) -> Token | None:
    if not len(doc):
        return None
    if doc.has_annotation("DEP"):
        roots = [t for t in doc if t.dep_ == "ROOT"]
        if roots:
            return roots[0]
    content = [t for t in doc if t.is_alpha and not t.is_stop]
    return content[-1] if content else doc[-1]


def is_action(root: Token) -> bool:
    """Whether a target's root is a verbal action (*fluoridating water*, *ban plastic bags*); a
    single word is one only as a gerund (a tagger may call a lone *acupuncture* a verb)."""
    if root.tag_ == "VBG" or (root.pos_ == "VERB" and root.lower_.endswith("ing")):
        return True
    return root.pos_ == "VERB" and any(c.dep_ in ("dobj", "obj") for c in root.children)


def target_shape(doc: Doc, lexicons: ReadingLexicons) -> TargetShape:
    """The shape of the target phrase in ``doc`` (tagged and parsed when the model has it)."""
    root = _root(doc)
    if root is None:
        return TargetShape()
    heads: set[str] = set()
    objects: set[str] = set()
    stems: set[str] = set()
    action = action_lemma = None
    direction = 0
    if is_action(root):
        action_lemma = _lemma(root)
        particle = next((c.lower_ for c in root.children if c.dep_ == "prt"), None)
        if particle is not None:
            action_lemma = f"{action_lemma} {particle}"
        action = stem(_lemma(root))
        direction = lexicons.effects.get(action_lemma, lexicons.effects.get(_lemma(root), 0))
        stems.add(action)
        for child in root.children:
            if child.dep_ in ("dobj", "obj", "attr", "prep", "pobj", "nsubjpass"):
                for t in child.subtree:
                    if t.pos_ in ("NOUN", "PROPN", "ADJ") and not t.is_stop:
                        objects.add(_lemma(t))
    else:
        heads.add(_lemma(root))
        stems.add(stem(_lemma(root)))
        for t in root.children:
            if t.dep_ in ("compound", "amod", "poss", "nmod", "prep"):
                for u in t.subtree:
                    if u.pos_ in ("NOUN", "PROPN", "ADJ") and not u.is_stop and u.is_alpha:
                        objects.add(_lemma(u))
    label = None
    name_parts: set[str] = set()
    content = [t for t in doc if not t.is_punct and t.pos_ != "DET"]
    for ent in doc.ents:
        covers_root = ent.start <= root.i < ent.end
        if covers_root and len(ent) >= max(1, len(content) - 1):
            label = ent.label_
        if ent.label_ == "PERSON" and len(ent) >= 2:
            name_parts.update(t.lower_ for t in ent if t.is_alpha and len(t) > 2)
    # The head of a name stands for it alone only in a descriptive name (*the Society* of *the
    # Society of Friends*), not in a proper one (*Ohio* of *Comic Fair Ohio*).
    descriptive = doc[0].lower_ == "the" and root.pos_ in ("NOUN", "PROPN")
    if label is not None and label != "PERSON" and _lemma(root) in heads and not descriptive:
        heads.discard(_lemma(root))
        stems.discard(stem(_lemma(root)))
    persons = {t.i for ent in doc.ents if ent.label_ == "PERSON" for t in ent}
    modifier_kinds = frozenset(
        ent.label_
        for ent in doc.ents
        if ent.label_ in ("NORP", "GPE", "ORG", "LOC") and not ent.start <= root.i < ent.end
    )
    runs: list[list[Token]] = []  # runs of proper nouns, with a number after them (IE 6)
    for t in doc:
        follows = bool(runs) and runs[-1][-1].i + 1 == t.i
        if t.i in persons:
            continue
        if t.pos_ == "PROPN" or (t.text.isdigit() and follows):
            if follows:
                runs[-1].append(t)
            else:
                runs.append([t])
    acronyms = {a for run in runs if len(run) >= 2 and (a := _acronym(run))}
    synonyms: dict[str, tuple[str, str]] = {}
    for word in sorted({*heads, *objects, *([action_lemma] if action_lemma else [])}):
        for other, kind in sorted(lexicons.synonyms.get(word, ())):
            synonyms.setdefault(other, (word, kind))
    return TargetShape(
        heads=frozenset(heads),
        action_lemma=action_lemma,
        action=action,
        direction=direction,
        objects=frozenset(objects),
        name_parts=frozenset(name_parts),
        acronyms=frozenset(acronyms),
        label=label,
        stems=frozenset(stems),
        synonyms=synonyms,
        synonym_phrases=tuple(sorted(tuple(k.split()) for k in synonyms if " " in k)),
        modifier_kinds=modifier_kinds,
        plural=action is None and root.tag_ in ("NNS", "NNPS"),
    )


def target_terms(target: str) -> set[str]:
    """Content words of a target phrase, lower-cased."""
    words = {w.strip(".,;:!?\"'’“”()").lower() for w in target.split()}
    return {w for w in words if w and w not in STOP_WORDS}


def _is_content(token: Token) -> bool:
    return (
        (token.is_alpha or token.like_num)
        and len(token.text) > 1
        and token.lower_ not in STOP_WORDS
        and token.lemma_.lower() not in STOP_WORDS
    )


def _name_runs(doc: Doc) -> list[Span]:
    """The names in a target: its entities, else runs of proper nouns / capitalised words."""
    if doc.ents:
        return list(doc.ents)
    tagged = doc.has_annotation("TAG") or doc.has_annotation("POS")
    runs: list[Span] = []
    start = None
    for token in doc:
        is_name = token.pos_ == "PROPN" if tagged else (token.is_title or token.is_upper)
        is_name = is_name and token.is_alpha and token.lower_ not in STOP_WORDS
        if is_name and start is None:
            start = token.i
        elif not is_name and start is not None:
            runs.append(doc[start : token.i])
            start = None
    if start is not None:
        runs.append(doc[start:])
    return runs


def name_stem(word: str) -> str:
    """A short prefix that a name shares with its demonym (*Ruritania*/*Ruritanian*)."""
    return word if len(word) < 4 else word[:5]


@dataclass(frozen=True)
class TargetAnalysis:
    """What the rules need to know about a target phrase."""

    text: str
    terms: frozenset[str]
    """Content words (forms and lemmas, lower-cased) outside multi-word names."""
    phrases: tuple[tuple[str, ...], ...]
    """Multi-word names and aliases, as lower-cased word sequences."""
    names: tuple[tuple[str, ...], ...]
    """The names in the target (entities), lower-cased words, for the speaker relation."""
    name_stems: tuple[tuple[str, ...], ...]
    """The names as stems, so that a demonym matches its name (*Ruritanian* → *Ruritania*)."""
    is_claim: bool
    valence: float
    """The lexicon compound of the target's own words."""
    shape: TargetShape = field(default_factory=TargetShape)
    """Head, action, names and synonyms, for finding the target under other words."""
    evaluative_threshold: float = 0.3

    @property
    def size(self) -> int:
        """How many separate things a mention can match (terms plus phrases)."""
        return max(1, len({t for t in self.terms if " " not in t}) + len(self.phrases))

    @property
    def is_evaluative(self) -> bool:
        """A claim whose own words carry sentiment (*… is a serious concern*)."""
        return self.is_claim and abs(self.valence) >= self.evaluative_threshold

    @property
    def sign(self) -> int:
        """-1 when agreement with the target shows as negative sentiment."""
        return -1 if self.is_evaluative and self.valence < 0 else 1


def analyse_target(
    target: str,
    doc: Doc,
    lexicons: StanceLexicons,
    claim_verbs: frozenset[str] = frozenset(),
    reading: ReadingLexicons | None = None,
) -> TargetAnalysis:
    """Analyse a target phrase from its (tokenised, and if available tagged and parsed) ``doc``.

    A target is a claim when it has a verb (by the tagger), or without a tagger, one of
    ``claim_verbs`` (auxiliaries and modals).
    """
    names = _name_runs(doc)
    name_tokens = {t.i for span in names for t in span}
    terms: set[str] = set()
    for token in doc:
        if not _is_content(token):
            continue
        if token.i in name_tokens and len(_span_of(names, token)) > 1:
            continue  # a word of a multi-word name matches only as part of the name
        terms.update({token.lower_, token.lemma_.lower()} - {""})
    phrases = {tuple(t.lower_ for t in span if not t.is_punct) for span in names if len(span) > 1}
    # The last word of a person's name also stands for it: "Smith" for "Ann Smith" (not the
    # last word of another name: "Ohio" is not "Comic Fair Ohio").
    for span in names:
        if (
            len(span) > 1
            and span[-1].is_alpha
            and len(span[-1]) > 2
            and span.label_ in ("PERSON", "")
        ):
            terms.add(span[-1].lower_)
    forms = [t.lower_ for t in doc]
    for group in lexicons.aliases:
        members = [tuple(name.split()) for name in group]
        if any(phrase_hits(forms, [m]) for m in members):
            for member in members:
                if len(member) > 1:
                    phrases.add(member)
                else:
                    terms.add(member[0])
    tagged = doc.has_annotation("TAG") or doc.has_annotation("POS")
    if tagged:
        # A finite verb makes a clause (*X is …*, *A bought B*), so does a participle right
        # after its subject (*a spider burrowed …*, *X captured by Y*); a gerund or a
        # participle used as an adjective does not (*judging others*, *the proposed tax*).
        is_claim = any(
            t.pos_ == "AUX"
            or t.tag_ in FINITE_TAGS
            or (t.tag_ == "VBN" and t.i > 0 and doc[t.i - 1].pos_ in ("NOUN", "PROPN"))
            for t in doc
        )
    else:
        is_claim = any(t.lower_ in claim_verbs for t in doc)
    score = score_tokens(lexicons, forms, [t.lemma_.lower() or t.lower_ for t in doc])
    name_words = [tuple(t.lower_ for t in span if t.is_alpha) for span in names]
    return TargetAnalysis(
        text=target,
        terms=frozenset(terms),
        phrases=tuple(sorted(p for p in phrases if p)),
        names=tuple(words for words in name_words if words),
        name_stems=tuple(tuple(name_stem(w) for w in words) for words in name_words if words),
        is_claim=is_claim,
        valence=score.compound,
        shape=target_shape(doc, reading) if reading is not None else TargetShape(),
    )


def _span_of(spans: list[Span], token: Token) -> Span:
    for span in spans:
        if span.start <= token.i < span.end:
            return span
    raise ValueError("token is in no span")


def mention_mask(target: TargetAnalysis, span: Span) -> list[bool]:
    """Which tokens of ``span`` belong to a mention of the target's words or names
    (lemma-aware; a demonym matches its name)."""
    forms = [t.lower_ for t in span]
    lemmas = [_lemma(t) for t in span]
    mask = [
        form in target.terms or lemma in target.terms
        for form, lemma in zip(forms, lemmas, strict=True)
    ]
    for words in (forms, lemmas):
        for start, phrase in phrase_hits(words, target.phrases):
            for i in range(start, start + len(phrase)):
                mask[i] = True
    stems = [name_stem(t.lower_) if t.is_title or t.is_upper else "" for t in span]
    for start, phrase in phrase_hits(stems, target.name_stems):
        for i in range(start, start + len(phrase)):
            mask[i] = True
    return mask


def mentioned_terms(target: TargetAnalysis, span: Span) -> list[str]:
    """The target's terms and phrases found in ``span`` (lemma-aware)."""
    forms = [t.lower_ for t in span]
    lemmas = [_lemma(t) for t in span]
    found = [
        form
        for form, lemma in zip(forms, lemmas, strict=True)
        if form in target.terms or lemma in target.terms
    ]
    found += [" ".join(p) for _, p in phrase_hits(forms, target.phrases)]
    found += [" ".join(p) for _, p in phrase_hits(lemmas, target.phrases)]
    stems = [name_stem(t.lower_) if t.is_title or t.is_upper else "" for t in span]
    found += [span[i : i + len(p)].text.lower() for i, p in phrase_hits(stems, target.name_stems)]
    return sorted(set(found))
