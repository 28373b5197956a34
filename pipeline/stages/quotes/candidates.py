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

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy
from spacy.attrs import DEP, ENT_TYPE, LOWER, POS
from spacy.symbols import AUX, NOUN, VERB
from spacy.tokens import Doc, Span, Token

from newspipe.pipeline.stages.quotes.speakers import noun_phrase, speaker_of
from newspipe.pipeline.stages.wordlists import string_hashes

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
    original: tuple[int, int] | None = None  # the content before it was snapped to marks

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
    for i in range(start + 1, end):
        if doc[i].text == ":" and _opens_quotation(doc, i + 1):
            end = i  # "told X any process “must be …”: “Moves …”": the block is its own quote
            break
    start, end = _trim(doc, start, end)
    if not keep_mark:
        while start < end and doc[start].dep_ == "mark" and doc[start].head == child:
            start += 1
        start, end = _trim(doc, start, end)  # "said that, as …"
    return start, end


def _opens_quotation(doc: Doc, i: int) -> bool:
    """Whether the first token from ``i`` on that is not a space is a quotation mark."""
    while i < len(doc) and doc[i].is_space:
        i += 1
    return i < len(doc) and doc[i].is_quote


def _extend_over_conjunct(
    doc: Doc, cue: Token, child: Token, rng: tuple[int, int], cue_lemmas: frozenset[str]
) -> tuple[int, int]:
    """A reported clause continued by "and" + a clause with a subject of its own, which the
    parser hung from the cue rather than from the clause ("claims that her passport was taken
    and she was forced to work"): the content runs to the end of that clause. Not when the
    conjunct is a reporting verb (a new statement) or follows a comma (the author narrating
    on: "…, and then the union returned")."""
    start, end = rng
    for conj in cue.rights:
        if conj.dep_ != "conj" or conj.i < child.i:
            continue
        cc = [c for c in cue.children if c.dep_ == "cc" and end <= c.i < conj.i]
        if not cc or cc[0].lower_ != "and" or doc[cc[0].i - 1].text == ",":
            return rng
        if conj.lemma_.lower() in cue_lemmas:
            return rng
        if not any(c.dep_ in ("nsubj", "nsubjpass") for c in conj.children):
            return rng
        if any(t.is_sent_start for t in doc[end + 1 : conj.right_edge.i + 1]):
            return rng
        return _trim(doc, start, conj.right_edge.i + 1)
    return rng


def _after_that(doc: Doc, cue: Token, rng: tuple[int, int]) -> tuple[int, int] | None:
    """ "states that few if any makers use it": a "that" the parser took for the object of a
    reporting verb opens the reported clause; the content is the rest of the verb's clause."""
    start, end = rng
    if doc[start].lower_ != "that" or end >= len(doc) or doc[end].is_punct:
        return None
    last = min(cue.right_edge.i + 1, cue.sent.end)
    if last <= end:
        return None
    return _trim(doc, start + 1, last)


def _with_purpose(doc: Doc, cue: Token, obj: Token, rng: tuple[int, int]) -> tuple[int, int]:
    """ "announced the start of a process to suggest designs …": an infinitive the parser hung
    from the cue right after its object belongs to the object."""
    start, end = rng
    for child in cue.rights:
        if (
            child.dep_ in ("xcomp", "advcl")
            and child.left_edge.i == end
            and doc[end].lower_ == "to"
        ):
            return _trim(doc, start, child.right_edge.i + 1)
    return rng


def colon_block(doc: Doc, colon: int, cue_lemmas: frozenset[str]) -> tuple[int, int] | None:
    """The words a speech verb introduces with a colon that ends its line (``denied the
    allegations:`` + the statement on the next line, without quotation marks): the sentences of
    the next paragraph up to one that reports a new statement (a reporting verb with a
    subject), at most three."""
    i = colon + 1
    while i < len(doc) and doc[i].is_space:
        if "\n" in doc[i].text:
            break
        i += 1
    if i >= len(doc) or "\n" not in doc[i].text:
        return None
    while i < len(doc) and doc[i].is_space:
        i += 1
    if i >= len(doc) or doc[i].is_quote:
        return None  # a quotation in marks: the marks give it
    first = doc[i].sent
    end = first.end
    sent = first
    for _ in range(2):
        if end >= len(doc) or any(
            "\n" in t.text for t in doc[sent.end - 1 : end + 1] if t.is_space
        ):
            break
        nxt = doc[end].sent
        if any(
            t.lemma_.lower() in cue_lemmas
            and t.pos_ in VERB_POS
            and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)
            for t in nxt
        ):
            break
        sent, end = nxt, nxt.end
    return _trim(doc, first.start, end)


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
    speaker: Span | Callable[[], Span | None] | None,
    min_tokens: int = 1,
) -> Candidate | None:
    if content[1] - content[0] < min_tokens:
        return None
    envelope = relation.startswith(("inside", "according"))
    if content[0] < cue[1] and cue[0] < content[1] and not envelope:
        return None
    span, head = _speaker_tuple(speaker() if callable(speaker) else speaker)
    return Candidate(content, cue, cue_token.i, relation, span, head)


def verb_candidates(
    doc: Doc,
    token: Token,
    keep_mark: bool,
    cue_lemmas: frozenset[str],
    keep_apposition: bool = False,
) -> Iterator[Candidate]:
    """Candidates where verb ``token`` introduces a complement, or sits inside its content."""
    found_speaker: list[Span | None] = []

    def speaker() -> Span | None:  # computed once, and only for a verb that has a candidate
        if not found_speaker:
            found_speaker.append(speaker_of(token, keep_apposition=keep_apposition))
        return found_speaker[0]

    cue = cue_span(token)
    for child in token.children:
        dep = child.dep_
        if dep in COMPLEMENT_DEPS:
            if dep == "xcomp" and child.i < token.i:
                continue
            rng = _complement_range(doc, token, child, keep_mark, cue_lemmas)
            listed = token.lemma_.lower() in cue_lemmas
            if dep == "ccomp" and child.i > token.i:
                rng = _extend_over_conjunct(doc, token, child, rng, cue_lemmas)
            elif dep == "dobj" and child.tag_ in ("WDT", "WP") and token.dep_ == "relcl":
                # "a policy which the UN criticised": the content is what "which" stands for
                antecedent = token.head
                if antecedent.pos_ in NOUN_POS:
                    rng = _trim(doc, antecedent.left_edge.i, token.left_edge.i)
            elif dep == "dobj" and listed and rng[1] > rng[0]:
                rng = _after_that(doc, token, rng) or rng
                rng = _with_purpose(doc, token, child, rng)
                after = rng[1]
                while after < len(doc) and doc[after].is_space:
                    after += 1
                if after < len(doc) and doc[after].text == ":":
                    block = colon_block(doc, after, cue_lemmas)
                    if block is not None:
                        found = _make(doc, block, cue, token, "colon", speaker)
                        if found:
                            yield found
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
    speaker: Span | Callable[[], Span | None] | None,
    keep_mark: bool,
    cue_lemmas: frozenset[str],
) -> Candidate | None:
    objects = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
    if not objects:
        return None
    rng = _complement_range(doc, token, objects[0], keep_mark, cue_lemmas)
    return _make(doc, rng, cue, token, f"prep:{prep.lower_}", speaker)


def noun_candidates(
    doc: Doc,
    token: Token,
    keep_mark: bool,
    cue_lemmas: frozenset[str],
    keep_apposition: bool = False,
) -> Iterator[Candidate]:
    """Candidates where noun ``token`` introduces content: "the claim that …", "her criticism
    of …", "the proposal to …"."""
    speaker = None
    for child in token.children:
        if child.dep_ == "poss":
            speaker = noun_phrase(doc, child, avoid=token, keep_apposition=keep_apposition)
    if speaker is None:
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in ("by", "from"):
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if objs:
                    speaker = noun_phrase(
                        doc, objs[0], avoid=token, keep_apposition=keep_apposition
                    )
    if speaker is None:
        # "a World Health Organisation recommendation that …": the name before the noun
        names = [c for c in token.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
        if names:
            speaker = doc[names[0].left_edge.i : names[-1].i + 1]
    if speaker is None and token.dep_ == "ROOT" and token.tag_ == "NNS":
        # "The ministry notes, …": a reporting verb the tagger took for a plural noun
        left = [c for c in token.lefts if c.dep_ in ("compound", "nmod", "nsubj", "amod")]
        if left and any(t.pos_ == "PROPN" for t in doc[left[0].left_edge.i : token.i]):
            speaker = doc[left[0].left_edge.i : token.i]
            while len(speaker) > 1 and speaker[-1].is_punct:
                speaker = speaker[:-1]
    if speaker is None and token.dep_ in ("dobj", "pobj", "attr"):
        verb = token.head if token.dep_ != "pobj" else token.head.head
        if verb.pos_ in VERB_POS:
            speaker = speaker_of(verb, keep_apposition=keep_apposition)
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


def according_candidates(
    doc: Doc, token: Token, phrases: frozenset[str], keep_apposition: bool = False
) -> Iterator[Candidate]:
    """ "according to X" and the like: a preposition whose object is the source, the rest of the
    clause (or sentence) the content."""
    phrase = None
    for candidate in phrases:
        words = candidate.split()
        piece = doc[token.i : token.i + len(words)]
        if len(piece) == len(words) and [t.lower_ for t in piece] == words:
            phrase = piece
            break
    if phrase is None:
        return
    nxt = phrase[-1]
    objects = [c for c in nxt.children if c.dep_ == "pobj"] or [
        c for c in token.children if c.dep_ == "pobj"
    ]
    if not objects and nxt.i + 1 < len(doc) and doc[nxt.i + 1].pos_ in NOUN_POS:
        objects = [doc[nxt.i + 1]]  # the parser often misses the object of a longer phrase
    if not objects:
        return
    speaker = noun_phrase(doc, objects[0], keep_apposition=keep_apposition)
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
    before = [t for t in doc[sent.start : token.i] if t.pos_ in VERB_POS]
    after = [t for t in doc[phrase_end : sent.end] if t.pos_ in VERB_POS]
    follow = phrase_end
    while follow < sent.end and (doc[follow].is_space or doc[follow].text in (",", ":")):
        follow += 1
    if follow < sent.end and doc[follow].is_quote:
        start, end = follow, sent.end  # "in the words of X, “…”": the quotation
    elif not before and after:
        start, end = phrase_end, sent.end  # "According to X, …": the rest of the sentence
    elif before and not after:
        start, end = sent.start, token.i  # "…, according to X[, an apposition]."
    elif token.i <= start:
        start = phrase_end
    elif phrase_end >= end:
        end = token.i
    # otherwise the phrase interrupts the content; keep the envelope
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
    keep_apposition: bool = False,
) -> list[Candidate]:
    """Every candidate attribution of ``doc``, in one pass over its tokens."""
    found: list[Candidate] = []
    first_words = {phrase.split()[0] for phrase in phrases}
    for token in _cue_positions(doc, first_words):
        pos = token.pos_
        if token.lower_ in first_words:
            before = len(found)
            found.extend(according_candidates(doc, token, phrases, keep_apposition))
            if len(found) > before:
                continue
        if pos in VERB_POS:
            found.extend(verb_candidates(doc, token, keep_mark, cue_lemmas, keep_apposition))
        elif pos == "NOUN" and token.dep_ != "compound" and not token.ent_type_:
            found.extend(noun_candidates(doc, token, keep_mark, cue_lemmas, keep_apposition))
    return found


def _cue_positions(doc: Doc, first_words: set[str]) -> Iterator[Token]:
    """The tokens :func:`find_candidates` looks at, in order: the first word of a cue phrase, a
    verb or auxiliary, a noun that is neither a compound's part nor in an entity (found over
    arrays: most tokens are none of these)."""
    if not len(doc):
        return
    strings = doc.vocab.strings
    columns = doc.to_array([LOWER, POS, DEP, ENT_TYPE]).reshape(len(doc), 4)
    words = string_hashes(strings, first_words)
    wanted = numpy.isin(columns[:, 0], words) | numpy.isin(columns[:, 1], [VERB, AUX])
    wanted |= (
        (columns[:, 1] == NOUN) & (columns[:, 2] != strings.add("compound")) & (columns[:, 3] == 0)
    )
    for i in numpy.flatnonzero(wanted).tolist():
        yield doc[i]
