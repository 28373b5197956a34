"""Speakers: from a mention as written to the canonical name of the entity it refers to.

A light, rule-based coreference inside one document:

- a mention that contains a name takes the fullest name of that entity in the document
  ("Smith" → "Jane Smith": a shorter PERSON name whose tokens end a longer one);
- a personal pronoun takes the nearest preceding person; "it"/"they" the nearest preceding
  organisation, country or group;
- a definite description ("the minister", "the agency") takes the nearest preceding entity of
  the matching kind.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "i", "we"}
GROUP_PRONOUNS = {"it", "they", "them", "its", "their"}
PERSON_NOUNS = {
    "minister", "president", "leader", "spokesman", "spokeswoman", "spokesperson", "official",
    "secretary", "chancellor", "senator", "governor", "mayor", "premier", "prime", "chief",
    "director", "chairman", "chairwoman", "chair", "ambassador", "general", "king", "queen",
    "envoy", "diplomat", "lawmaker", "man", "woman", "head",
}  # fmt: skip
GROUP_LABELS = ("ORG", "GPE", "NORP")


def _name_key(span: Span) -> tuple[str, ...]:
    return tuple(t.lower_ for t in span if not t.is_punct)


def canonical_names(doc: Doc) -> dict[tuple[int, int], str]:
    """Map each entity's ``(start, end)`` to the fullest name of its entity in ``doc``."""
    names: dict[tuple[int, int], str] = {}
    persons = [e for e in doc.ents if e.label_ == "PERSON"]
    for ent in doc.ents:
        key = _name_key(ent)
        best = ent.text
        if ent.label_ == "PERSON":
            for other in persons:
                other_key = _name_key(other)
                longer = len(other_key) > len(key) and other_key[-len(key) :] == key
                if longer and len(other.text) > len(best):
                    best = other.text
        names[(ent.start, ent.end)] = best
    return names


def resolve_speaker(speaker: Span, names: dict[tuple[int, int], str]) -> str | None:
    """The canonical name of the speaker mention ``speaker``."""
    doc = speaker.doc
    inside = [e for e in doc.ents if e.start >= speaker.start and e.end <= speaker.end]
    inside = [e for e in inside if e.label_ in ("PERSON", *GROUP_LABELS)]
    if inside:
        persons = [e for e in inside if e.label_ == "PERSON"]
        ent = persons[0] if persons else inside[0]
        return names.get((ent.start, ent.end), ent.text)
    head = speaker.root
    lower = head.lower_
    if lower in PERSON_PRONOUNS or (head.pos_ == "NOUN" and lower in PERSON_NOUNS):
        antecedent = _preceding_entity(doc, speaker.start, ("PERSON",))
    elif lower in GROUP_PRONOUNS or head.pos_ in ("NOUN", "PROPN"):
        antecedent = _preceding_entity(doc, speaker.start, GROUP_LABELS)
    else:
        antecedent = None
    if antecedent is not None:
        return names.get((antecedent.start, antecedent.end), antecedent.text)
    if head.pos_ == "PRON":
        return None
    return speaker.text


def _preceding_entity(doc: Doc, before: int, labels: tuple[str, ...]) -> Span | None:
    for ent in reversed(doc.ents):
        if ent.end <= before and ent.label_ in labels:
            return ent
    return None
