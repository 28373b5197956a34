"""Candidate attributions read off the dependency parse.

Every place where the parse shows a word introducing content is a candidate: a verb with a
clausal complement (``said that …``, ``promised to …``), an object (``rejected the claims``)
or a prepositional complement (``accused X of …``); a verb inside the content it reports
(``The plan, he said, failed``; ``As reported by X, …``); a noun with a complement (``the
claim that …``, ``her criticism of …``); and the phrase ``according to X``. Whether a
candidate is an attribution is decided later (a lexicon in the rules backend, a linear model
in the hybrid backend); this module only proposes, once per cue and relation, in one pass
over the tokens.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from newspipe.pipeline.stages.quotes.speakers import noun_phrase, speaker_of

VERB_POS = frozenset({"VERB", "AUX"})
NOUN_POS = frozenset({"NOUN", "PROPN"})
VERB_GROUP_DEPS = frozenset({"aux", "auxpass", "neg"})
# Relations from a cue to the content it introduces.
COMPLEMENT_DEPS = ("ccomp", "xcomp", "dobj", "oprd", "csubj")
NOUN_COMPLEMENT_DEPS = ("acl", "ccomp")
# Relations by which a cue hangs inside the content it reports.
INSIDE_DEPS = frozenset({"parataxis", "advcl", "relcl", "ccomp", "conj", "acl"})
NOUN_DEPS = frozenset({"dobj", "pobj", "oprd", "attr"})
NP_CUT_DEPS = frozenset({"appos", "relcl", "acl"})
EDGE_PUNCT = frozenset({",", ";", ":", "—", "–", "-", "(", ")", "--"})


@dataclass
class Candidate:
    """One proposed attribution, in token offsets (end exclusive)."""

    content: tuple[int, int]
    cue: tuple[int, int]
    cue_token: int
    relation: str  # how the cue introduces the content: "ccomp", "prep:of", "inside:parataxis"…
    speaker: tuple[int, int] | None
    speaker_token: int | None  # the head of the speaker mention
    score: float = 0.0
    marked: str = "none"  # how the content relates to quotation marks: none, direct, mixed

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.cue_token, *self.content)


def cue_span(cue: Token) -> tuple[int, int]:
    """The verb group of ``cue``: the word with its auxiliaries and negation right before it."""
    start = cue.i
    for child in reversed(list(cue.lefts)):
        adjacent = child.i == start - 1
        in_group = child.dep_ in VERB_GROUP_DEPS or (
            child.dep_ == "advmod" and child.i > cue.left_edge.i
        )
        if not (adjacent and in_group):
            break
        start = child.i
    while start < cue.i and cue.doc[start].dep_ == "advmod":
        start += 1  # an adverb only counts between auxiliary and verb
    return start, cue.i + 1


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Strip edge punctuation (not quotation marks) and whitespace from a token range."""
    while start < end and (doc[start].is_space or doc[start].text in EDGE_PUNCT):
        start += 1
    while end > start and (
        doc[end - 1].is_space or doc[end - 1].text in EDGE_PUNCT or doc[end - 1].text == "."
    ):
        end -= 1
    return start, end


def _complement_range(
    doc: Doc, cue: Token, child: Token, keep_mark: bool, cue_lemmas: frozenset[str] = frozenset()
) -> tuple[int, int]:
    """The span of ``child``'s subtree as content of ``cue``, never reaching over the cue.

    A noun phrase stops before a comma that opens an apposition or a relative clause
    ("the bill, which includes …"); any content stops before a comma that opens a participial
    attribution of its own (", noting that …").
    """
    start, end = child.left_edge.i, child.right_edge.i + 1
    if child.i > cue.i:
        start = max(start, cue.i + 1)
    else:
        end = min(end, cue_span(cue)[0])
    if child.pos_ in NOUN_POS or child.dep_ in NOUN_DEPS:
        for sub in child.rights:
            if sub.dep_ in NP_CUT_DEPS and doc[sub.left_edge.i - 1].text == ",":
                end = min(end, sub.left_edge.i - 1)
                break
    for sub in doc[child.i + 1 : end]:
        if (
            sub.dep_ in ("advcl", "conj", "xcomp")
            and sub.tag_ == "VBG"
            and sub.lemma_.lower() in cue_lemmas
            and doc[sub.left_edge.i - 1].text == ","
            and sub.left_edge.i > start
        ):
            end = min(end, sub.left_edge.i - 1)
            break
    start, end = _trim(doc, start, end)
    if not keep_mark:
        while start < end and doc[start].dep_ == "mark" and doc[start].head == child:
            start += 1
    return start, end


def _inside_range(doc: Doc, cue: Token) -> tuple[int, int]:
    """Content around a cue that hangs inside it: the head's subtree without the cue's own
    subtree when that sits at an edge ("The plan failed, officials said" / "As X said, …")."""
    head = cue.head
    start, end = head.left_edge.i, head.right_edge.i + 1
    cue_start, cue_end = cue.left_edge.i, cue.right_edge.i + 1
    if cue_start <= start:
        start = max(start, cue_end)
    elif cue_end >= end:
        end = min(end, cue_start)
    return _trim(doc, start, end)


def _speaker_tuple(span: Span | None) -> tuple[tuple[int, int] | None, int | None]:
    if span is None or len(span) == 0:
        return None, None
    return (span.start, span.end), span.root.i


def _make(
    doc: Doc,
    content: tuple[int, int],
    cue: tuple[int, int],
    cue_token: Token,
    relation: str,
    speaker: Span | None,
    min_tokens: int = 1,
) -> Candidate | None:
    if content[1] - content[0] < min_tokens:
        return None
    envelope = relation.startswith(("inside", "according"))
    if content[0] < cue[1] and cue[0] < content[1] and not envelope:
        return None
    span, head = _speaker_tuple(speaker)
    return Candidate(content, cue, cue_token.i, relation, span, head)


def verb_candidates(
    doc: Doc, token: Token, keep_mark: bool, cue_lemmas: frozenset[str]
) -> Iterator[Candidate]:
    """Candidates where verb ``token`` introduces a complement, or sits inside its content."""
    speaker = speaker_of(token)
    cue = cue_span(token)
    for child in token.children:
        dep = child.dep_
        if dep in COMPLEMENT_DEPS:
            if dep == "xcomp" and child.i < token.i:
                continue
            rng = _complement_range(doc, token, child, keep_mark, cue_lemmas)
            found = _make(doc, rng, cue, token, dep, speaker)
            if found:
                yield found
        elif dep in ("prep", "dative") and child.i > token.i:
            found = _prep_candidate(doc, token, child, cue, speaker, keep_mark, cue_lemmas)
            if found:
                yield found
        elif dep == "agent":
            # "was accused by X of …": the parser often hangs the "of" from X
            for agent_object in child.children:
                for prep in agent_object.rights:
                    if prep.dep_ == "prep" and prep.lower_ in ("of", "for", "over"):
                        found = _prep_candidate(
                            doc, token, prep, cue, speaker, keep_mark, cue_lemmas
                        )
                        if found:
                            yield found
    if token.dep_ in INSIDE_DEPS and token.head.i != token.i:
        rng = _inside_range(doc, token)
        found = _make(doc, rng, cue, token, f"inside:{token.dep_}", speaker, min_tokens=2)
        if found:
            yield found


def _prep_candidate(
    doc: Doc,
    token: Token,
    prep: Token,
    cue: tuple[int, int],
    speaker: Span | None,
    keep_mark: bool,
    cue_lemmas: frozenset[str],
) -> Candidate | None:
    objects = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
    if not objects:
        return None
    rng = _complement_range(doc, token, objects[0], keep_mark, cue_lemmas)
    return _make(doc, rng, cue, token, f"prep:{prep.lower_}", speaker)


def noun_candidates(
    doc: Doc, token: Token, keep_mark: bool, cue_lemmas: frozenset[str]
) -> Iterator[Candidate]:
    """Candidates where noun ``token`` introduces content: "the claim that …", "her criticism
    of …", "the proposal to …"."""
    speaker = None
    for child in token.children:
        if child.dep_ == "poss":
            speaker = noun_phrase(doc, child, avoid=token)
    if speaker is None:
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in ("by", "from"):
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if objs:
                    speaker = noun_phrase(doc, objs[0], avoid=token)
    if speaker is None and token.dep_ in ("dobj", "pobj", "attr"):
        verb = token.head if token.dep_ != "pobj" else token.head.head
        if verb.pos_ in VERB_POS:
            speaker = speaker_of(verb)
    cue = (token.i, token.i + 1)
    for child in token.children:
        if child.dep_ in NOUN_COMPLEMENT_DEPS and child.i > token.i:
            rng = _complement_range(doc, token, child, keep_mark, cue_lemmas)
            found = _make(doc, rng, cue, token, f"noun:{child.dep_}", speaker, min_tokens=2)
            if found:
                yield found
        elif child.dep_ == "prep" and child.i > token.i and child.lower_ in ("of", "about", "on"):
            objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if objects:
                rng = _complement_range(doc, token, objects[0], keep_mark, cue_lemmas)
                found = _make(doc, rng, cue, token, f"noun:prep:{child.lower_}", speaker)
                if found:
                    yield found


def according_candidates(doc: Doc, token: Token, phrases: frozenset[str]) -> Iterator[Candidate]:
    """ "according to X" and the like: a preposition whose object is the source, the rest of the
    clause (or sentence) the content."""
    nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if nxt is None or f"{token.lower_} {nxt.lower_}" not in phrases:
        return
    objects = [c for c in nxt.children if c.dep_ == "pobj"] or [
        c for c in token.children if c.dep_ == "pobj"
    ]
    if not objects:
        return
    speaker = noun_phrase(doc, objects[0])
    phrase_end = max(nxt.right_edge.i, objects[0].right_edge.i) + 1
    sent = token.sent
    head = token.head if token.head.i != token.i else token
    if head.i == token.i:
        start, end = sent.start, sent.end
    else:
        start, end = head.left_edge.i, head.right_edge.i + 1
        if head.dep_ not in ("ROOT",) and token.i <= head.left_edge.i + 1:
            root = sent.root
            start, end = root.left_edge.i, root.right_edge.i + 1
    if token.i <= start:
        start = phrase_end
    elif phrase_end >= end:
        end = token.i
    else:
        # the phrase interrupts the content; keep the envelope
        pass
    rng = _trim(doc, start, end)
    cue = (token.i, nxt.i + 1)
    found = _make(doc, rng, cue, token, "according", speaker, min_tokens=2)
    if found:
        yield found


def find_candidates(
    doc: Doc,
    phrases: frozenset[str],
    keep_mark: bool = True,
    cue_lemmas: frozenset[str] = frozenset(),
) -> list[Candidate]:
    """Every candidate attribution of ``doc``, in one pass over its tokens."""
    found: list[Candidate] = []
    first_words = {phrase.split()[0] for phrase in phrases}
    for token in doc:
        pos = token.pos_
        if token.lower_ in first_words:
            before = len(found)
            found.extend(according_candidates(doc, token, phrases))
            if len(found) > before:
                continue
        if pos in VERB_POS:
            found.extend(verb_candidates(doc, token, keep_mark, cue_lemmas))
        elif pos == "NOUN" and token.dep_ != "compound" and not token.ent_type_:
            found.extend(noun_candidates(doc, token, keep_mark, cue_lemmas))
    return found
