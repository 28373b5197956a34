"""Where the time goes: seconds per pipeline component over a set of documents.

Each component runs over the whole batch in turn (``component.pipe`` where it has one), so the
times add up to the pipeline's total. Components map to stages: newspipe's own components are
their stage; the model's ``ner`` belongs to the entities stage; the rest of the model
(``tok2vec``, ``tagger``, ``parser`` …) is shared by every stage and reported as ``model``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

TOKENIZER = "tokenizer"
SHARED = "model"


@dataclass
class ComponentTimes:
    """Seconds spent in the tokenizer and each component, and how many words and docs."""

    seconds: dict[str, float] = field(default_factory=dict)
    words: int = 0
    docs: int = 0

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


def stage_of(nlp: Language, component: str) -> str:
    """The stage a component's time counts toward."""
    if component == "ner":
        return "entities"
    if component in nlp.pipe_names:
        factory = nlp.get_pipe_meta(component).factory
        if factory.startswith("newspipe_"):
            return factory.split("_")[1]
    return SHARED


def time_components(
    nlp: Language, texts: Sequence[str] | Iterable[Doc], batch_size: int = 32
) -> tuple[list[Doc], ComponentTimes]:
    """Run ``nlp`` component by component over all ``texts``; return the docs and the times."""
    times = ComponentTimes()
    start = time.perf_counter()
    docs = [t if isinstance(t, Doc) else nlp.make_doc(t) for t in texts]
    times.seconds[TOKENIZER] = time.perf_counter() - start
    for name, component in nlp.pipeline:
        start = time.perf_counter()
        if hasattr(component, "pipe"):
            docs = list(component.pipe(docs, batch_size=batch_size))
        else:
            docs = [component(doc) for doc in docs]
        times.seconds[name] = time.perf_counter() - start
    times.words = sum(sum(1 for t in doc if not (t.is_space or t.is_punct)) for doc in docs)
    times.docs = len(docs)
    return docs, times
