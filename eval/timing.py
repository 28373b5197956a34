"""Where the time goes: seconds per pipeline component over a set of documents.

Each component runs over the whole batch in turn (``component.pipe`` where it has one), so the
times add up to the pipeline's total. Components map to stages by the stage table
(:func:`newspipe.pipeline.stages.stage_of`): newspipe's own components are their stage; the
model's ``ner`` belongs to the entities stage; the rest of the model (``tok2vec``, ``tagger``,
``parser`` …) is shared by every stage and reported as ``model``.

Words are counted as ``spacy benchmark speed`` counts them: every token of the Doc
(``len(doc)``, punctuation and whitespace tokens included), so words/s figures compare
directly with spaCy's published speeds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from newspipe.pipeline.stages import SHARED, stage_of

__all__ = ["SHARED", "TOKENIZER", "WORDS", "ComponentTimes", "count_words", "stage_of"]

TOKENIZER = "tokenizer"
WORDS = "tokens as spaCy counts them (len(doc), punctuation and whitespace included)"
"""What a "word" is in every words/s figure of newspipe."""

Process = Callable[[Doc], Doc]


@dataclass
class ComponentTimes:
    """Seconds spent in the tokenizer and each component, and how many words and docs.

    ``alternative_seconds`` holds the time of components that were run on copies of the docs
    for comparison only (keyed ``"<component>:<alternative>"``); they are not in ``total``.
    """

    seconds: dict[str, float] = field(default_factory=dict)
    words: int = 0
    docs: int = 0
    alternative_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(self.seconds.values())

    def by_stage(self, nlp: Language) -> dict[str, float]:
        """Seconds per stage: ``sentences``, ``entities``, ``quotes``, ``stance``, ``model``
        (shared model components and the tokenizer)."""
        stages: dict[str, float] = {}
        for name, seconds in self.seconds.items():
            stage = stage_of(nlp, name)
            stages[stage] = stages.get(stage, 0.0) + seconds
        return stages


def count_words(docs: Iterable[Doc]) -> int:
    """Words in ``docs`` (see :data:`WORDS`)."""
    return sum(len(doc) for doc in docs)


def time_components(
    nlp: Language,
    texts: Sequence[Any] | Iterable[Any],
    batch_size: int = 32,
    *,
    make_doc: Callable[[Any], Doc] | None = None,
    alternatives: Mapping[str, Mapping[str, Process]] | None = None,
) -> tuple[list[Doc], ComponentTimes]:
    """Run ``nlp`` component by component over all ``texts``; return the docs and the times.

    ``make_doc`` turns an input into a Doc (default: ``nlp.make_doc`` for strings; Docs pass
    through) and is timed as the tokenizer. ``alternatives`` maps a component name to other
    components to time just before it, each on copies of the docs as they reach it (the
    copying is not timed and the pipeline's own docs are left as they were).
    """
    times = ComponentTimes()
    start = time.perf_counter()
    if make_doc is not None:
        docs = [make_doc(t) for t in texts]
    else:
        docs = [t if isinstance(t, Doc) else nlp.make_doc(t) for t in texts]
    times.seconds[TOKENIZER] = time.perf_counter() - start
    for name, component in nlp.pipeline:
        for alt_name, alternative in (alternatives or {}).get(name, {}).items():
            copies = [copy_doc(doc) for doc in docs]
            start = time.perf_counter()
            for doc in copies:
                alternative(doc)
            key = f"{name}:{alt_name}"
            elapsed = time.perf_counter() - start
            times.alternative_seconds[key] = times.alternative_seconds.get(key, 0.0) + elapsed
        start = time.perf_counter()
        if hasattr(component, "pipe"):
            docs = list(component.pipe(docs, batch_size=batch_size))
        else:
            docs = [component(doc) for doc in docs]
        times.seconds[name] = time.perf_counter() - start
    times.words = count_words(docs)
    times.docs = len(docs)
    return docs, times


def copy_doc(doc: Doc) -> Doc:
    """``doc.copy()`` for a Doc whose extension values hold Spans (a quote's cue and speaker):
    spaCy deep-copies ``user_data`` and cannot copy a Span, so each such value becomes the same
    span of the copy."""
    spans = {key: value for key, value in doc.user_data.items() if isinstance(value, Span)}
    for key in spans:
        doc.user_data[key] = None
    try:
        other = doc.copy()
    finally:
        doc.user_data.update(spans)
    for key, span in spans.items():
        other.user_data[key] = Span(other, span.start, span.end, label=span.label)
    return other
