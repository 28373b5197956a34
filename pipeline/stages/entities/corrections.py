"""The entity corrections, each switchable, applied in one fixed order."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from spacy.tokens import Doc, Span

from newspipe.pipeline.stages.entities.consistency import Key, consistency
from newspipe.pipeline.stages.entities.names import names
from newspipe.pipeline.stages.entities.numbers import dates, money, numbers
from newspipe.pipeline.stages.entities.rules import EntityRules
from newspipe.pipeline.stages.entities.spans import acronyms, facilities, titles, trim
from newspipe.pipeline.stages.entities.tokens import Ent, Tokens, filter_ents

Correction = Callable[[Tokens, list[Ent], EntityRules], list[Ent]]

LOCAL_CORRECTIONS: dict[str, Correction] = {
    "trim": trim,
    "titles": titles,
    "facilities": facilities,
    "acronyms": acronyms,
    "numbers": numbers,
    "money": money,
    "dates": dates,
    "names": names,
}
"""Corrections that look at one span and its neighbours, in the order they run."""

CORRECTIONS: tuple[str, ...] = (*LOCAL_CORRECTIONS, "datelines", "consistency")
"""Every correction (the default set), in the order they run (``datelines``: the entities of a
story's dateline, laid over the others like a pattern's matches, :mod:`.datelines`)."""


def correct_ents(
    tok: Tokens,
    ents: Sequence[Ent],
    rules: EntityRules,
    corrections: Sequence[str] = CORRECTIONS,
) -> list[Ent]:
    """The chosen local ``corrections`` applied to ``ents`` (consistency is separate: it
    needs the patterns file's labels, see :func:`correct_entities`)."""
    result = filter_ents(ents)
    for name, correction in LOCAL_CORRECTIONS.items():
        if name in corrections:
            result = filter_ents(correction(tok, result, rules))
    return result


def correct_entities(
    doc: Doc,
    spans: Sequence[Span],
    rules: EntityRules,
    corrections: Sequence[str] = CORRECTIONS,
    *,
    fixed: Sequence[Span] = (),
    overwrite: bool = True,
) -> list[Span]:
    """Apply the chosen ``corrections`` to entity ``spans`` of ``doc``; non-overlapping result.

    ``fixed`` spans (an EntityRuler's matches) are laid over the corrected spans (or, without
    ``overwrite``, added where they overlap nothing) and, for the ``consistency`` correction,
    decide the label of their names.
    """
    tok = Tokens.of(doc)
    ents = correct_ents(tok, [(s.start, s.end, s.label_) for s in spans], rules, corrections)
    if fixed:
        pinned = [(s.start, s.end, s.label_) for s in fixed]
        taken = {i for s, e, _ in pinned for i in range(s, e)}
        if overwrite:
            ents = [x for x in ents if not taken.intersection(range(x[0], x[1]))]
        else:
            held = {i for s, e, _ in ents for i in range(s, e)}
            pinned = [x for x in pinned if not held.intersection(range(x[0], x[1]))]
        ents = filter_ents(pinned + ents)
    if "consistency" in corrections:
        labels: Mapping[Key, str] = {tuple(tok.text[s.start : s.end]): s.label_ for s in fixed}
        ents = filter_ents(consistency(tok, ents, rules, labels))
    ids = {(s.start, s.end, s.label_): s.id for s in fixed if s.id}
    return [Span(doc, s, e, label=label, span_id=ids.get((s, e, label), 0)) for s, e, label in ents]
