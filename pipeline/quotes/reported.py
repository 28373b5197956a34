"""Reported speech: cue verbs with clausal complements, and the speaker of a cue."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

CLAUSE_DEPS = {"ccomp", "xcomp"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}


def is_cue(token: Token, cue_lemmas: frozenset[str]) -> bool:
    """Whether ``token`` is a reporting verb."""
    return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in cue_lemmas


def reported_clause(cue: Token) -> tuple[int, int] | None:
    """Token range of the clause reported by ``cue``, without a leading complementiser."""
    for child in cue.children:
        if child.dep_ == "ccomp" or (child.dep_ == "xcomp" and child.i > cue.i):
            start, end = child.left_edge.i, child.right_edge.i + 1
            start = max(start, cue.i + 1) if child.i > cue.i else start
            doc = cue.doc
            while start < end and (doc[start].dep_ == "mark" or doc[start].is_punct):
                start += 1
            while end > start and doc[end - 1].is_punct and doc[end - 1].text in ",;:":
                end -= 1
            if end - start >= 2:
                return start, end
    return None


def speaker_of(cue: Token) -> Span | None:
    """The speaker mention of ``cue``: its subject, the agent of a passive, or the subject of the
    verb it hangs from ("…, saying …")."""
    doc = cue.doc
    for child in cue.children:
        if child.dep_ == "agent":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return _noun_phrase(doc, objects[0])
    for child in cue.children:
        if child.dep_ in ("nsubj", "csubj"):
            return _noun_phrase(doc, child)
    if cue.dep_ in ("advcl", "xcomp", "conj") and cue.head is not cue:
        return speaker_of(cue.head)
    return None


def _noun_phrase(doc: Doc, head: Token) -> Span:
    """The subtree of ``head`` cut before a relative clause or a trailing comma."""
    start, end = head.left_edge.i, head.right_edge.i + 1
    for token in doc[head.i + 1 : end]:
        if token.dep_ in ("relcl", "acl") or token.text in (",", "(", "—", "–"):
            end = token.i
            break
    while end > start and doc[end - 1].is_punct:
        end -= 1
    return doc[start:end]
