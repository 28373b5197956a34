"""Named entities: the model's statistical NER with general corrections, or rules alone.

- ``newspipe_entities_model_v1`` runs after the model's ``ner`` and corrects its spans
  (possessive endings and leading determiners move outside the span), then, if a patterns file
  is given, lays an EntityRuler on top.
- ``newspipe_entities_rules_v1`` is an EntityRuler alone (the model's ``ner`` is left out).

Labels are OntoNotes 5 labels as spaCy uses them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import srsly
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.errors import PipelineError

RESOURCES = Path(__file__).parent / "resources"
DEFAULT_PATTERNS = RESOURCES / "entity_patterns.jsonl"

ONTONOTES_LABELS = (
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
    "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL",
)  # fmt: skip

LEADING_DETERMINERS = {"the", "a", "an"}
POSSESSIVE_ENDINGS = {"'s", "’s", "'", "’"}


def read_patterns(path: str | Path) -> list[dict]:
    """Read EntityRuler patterns (JSONL, one ``{"label", "pattern"}`` per line)."""
    path = Path(path)
    if not path.is_file():
        raise PipelineError(f"{path}: entity patterns file not found")
    try:
        patterns = list(srsly.read_jsonl(path))
    except ValueError as err:
        raise PipelineError(f"{path}: not a JSONL patterns file ({err})") from None
    for n, pattern in enumerate(patterns, 1):
        if not isinstance(pattern, dict) or "label" not in pattern or "pattern" not in pattern:
            raise PipelineError(f"{path}:{n}: a pattern needs 'label' and 'pattern'")
    return patterns


def correct_span(span: Span) -> Span | None:
    """Move possessive endings and leading determiners outside an entity span."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in LEADING_DETERMINERS:
        start += 1
    while end > start and doc[end - 1].text in POSSESSIVE_ENDINGS:
        end -= 1
    if start >= end:
        return None
    if (start, end) == (span.start, span.end):
        return span
    return Span(doc, start, end, label=span.label, kb_id=span.kb_id)


class EntityCorrector:
    """Corrects the spans of an earlier NER and optionally adds rule matches on top."""

    def __init__(
        self, nlp: Language, name: str, patterns: str | None, overwrite: bool = True
    ) -> None:
        self.name = name
        self.ruler: EntityRuler | None = None
        if patterns:
            self.ruler = EntityRuler(nlp, f"{name}_ruler", overwrite_ents=overwrite)
            self.ruler.add_patterns(read_patterns(patterns))

    def __call__(self, doc: Doc) -> Doc:
        return self.set_annotations([doc], self.predict([doc]))[0]

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def predict(self, docs: list[Doc]) -> list[list[Span]]:
        predictions = []
        for doc in docs:
            spans = [c for c in (correct_span(e) for e in doc.ents) if c is not None]
            if self.ruler is not None:
                matched = [
                    Span(doc, start, end, label=label)
                    for label, start, end in self.ruler.match(doc)
                ]
                if self.ruler.overwrite:
                    spans = filter_spans(list(matched) + spans)
                else:
                    spans = filter_spans(spans + list(matched))
            predictions.append(sorted(spans))
        return predictions

    def set_annotations(self, docs: list[Doc], spans: list[list[Span]]) -> list[Doc]:
        for doc, doc_spans in zip(docs, spans, strict=True):
            doc.ents = doc_spans
        return docs


@Language.factory(
    "newspipe_entities_model_v1",
    requires=["doc.ents"],
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    default_config={"patterns": None, "overwrite": True},
)
def make_entity_corrector(
    nlp: Language, name: str, patterns: str | None, overwrite: bool
) -> EntityCorrector:
    """Statistical NER (the model's ``ner``, which runs before) with general corrections."""
    return EntityCorrector(nlp, name, patterns=patterns, overwrite=overwrite)


@Language.factory(
    "newspipe_entities_rules_v1",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    default_config={"patterns": None},
)
def make_entity_rules(nlp: Language, name: str, patterns: str | None) -> EntityRuler:
    """An EntityRuler alone, with patterns from a JSONL file (default: the packaged one)."""
    ruler = EntityRuler(nlp, name, overwrite_ents=True)
    ruler.add_patterns(read_patterns(patterns or DEFAULT_PATTERNS))
    return ruler
