"""Sentence boundaries: three backends, each paragraph-aware.

Every backend runs before the dependency parser (which respects boundaries already set), and
every backend treats a line break as a boundary, so headlines, datelines and paragraphs never
run into each other.

- ``newspipe_sentences_model_v1`` sets only the paragraph boundaries and lets the model's
  parser (or senter) place the others.
- ``newspipe_sentences_rules_v1`` is spaCy's rule ``sentencizer`` plus paragraph boundaries.
- ``newspipe_sentences_pysbd_v1`` runs pySBD's rule segmenter on each paragraph.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pysbd
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

SENT_ASSIGNS = ["token.is_sent_start"]


def paragraph_starts(doc: Doc, min_newlines: int = 1) -> list[int]:
    """Indices of the tokens that open a paragraph.

    A paragraph opens at the first non-space token of the document and at the first non-space
    token after a run of whitespace holding at least ``min_newlines`` line breaks.
    """
    starts: list[int] = []
    newlines = min_newlines  # the document start counts as a break
    for token in doc:
        if token.is_space:
            newlines += token.text.count("\n")
        else:
            if newlines >= min_newlines:
                starts.append(token.i)
            newlines = 0
        newlines += token.whitespace_.count("\n")
    return starts


def paragraphs(doc: Doc, min_newlines: int = 1) -> Iterator[tuple[int, int]]:
    """Token ranges ``(start, end)`` of the paragraphs, end exclusive, trailing space included."""
    starts = paragraph_starts(doc, min_newlines)
    for n, start in enumerate(starts):
        yield start, starts[n + 1] if n + 1 < len(starts) else len(doc)


def _set_boundaries(doc: Doc, starts: Iterable[int], complete: bool) -> Doc:
    """Write sentence starts to ``doc``.

    With ``complete`` every token gets True or False; otherwise only the given starts are set
    (True) and the tokens in between are left for a later component to decide. Whitespace
    tokens never start a sentence.
    """
    start_set = set(starts)
    for token in doc:
        if token.i in start_set and not (token.is_space and token.i > 0):
            token.is_sent_start = True
        elif complete or token.is_space:
            token.is_sent_start = token.i == 0
    return doc


class ParagraphSentencizer:
    """Paragraph boundaries only; the model's parser places the rest."""

    def __init__(self, name: str, min_newlines: int = 1) -> None:
        self.name = name
        self.min_newlines = min_newlines

    def __call__(self, doc: Doc) -> Doc:
        return self.set_annotations([doc], self.predict([doc]))[0]

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def predict(self, docs: list[Doc]) -> list[list[int]]:
        return [paragraph_starts(doc, self.min_newlines) for doc in docs]

    def set_annotations(self, docs: list[Doc], starts: list[list[int]]) -> list[Doc]:
        return [
            _set_boundaries(doc, s, complete=False) for doc, s in zip(docs, starts, strict=True)
        ]


class RuleSentencizer(ParagraphSentencizer):
    """spaCy's punctuation rules inside each paragraph."""

    def __init__(
        self, name: str, min_newlines: int = 1, punct_chars: list[str] | None = None
    ) -> None:
        super().__init__(name, min_newlines)
        self._sentencizer = Sentencizer(punct_chars=punct_chars)

    def predict(self, docs: list[Doc]) -> list[list[int]]:
        predictions: list[list[int]] = []
        for doc in docs:
            starts = set(paragraph_starts(doc, self.min_newlines))
            for first, end in paragraphs(doc, self.min_newlines):
                flags = self._sentencizer.predict([doc[first:end].as_doc()])[0]
                starts.update(first + i for i, flag in enumerate(flags) if flag)
            predictions.append(sorted(starts))
        return predictions

    def set_annotations(self, docs: list[Doc], starts: list[list[int]]) -> list[Doc]:
        return [_set_boundaries(doc, s, complete=True) for doc, s in zip(docs, starts, strict=True)]


class PySBDSentencizer(RuleSentencizer):
    """pySBD's Golden-Rules segmenter inside each paragraph."""

    def __init__(self, name: str, min_newlines: int = 1, language: str = "en") -> None:
        super().__init__(name, min_newlines)
        self._segmenter = pysbd.Segmenter(language=language, clean=False, char_span=True)

    def predict(self, docs: list[Doc]) -> list[list[int]]:
        predictions: list[list[int]] = []
        for doc in docs:
            starts = set(paragraph_starts(doc, self.min_newlines))
            for first, end in paragraphs(doc, self.min_newlines):
                span = doc[first:end]
                for segment in self._segmenter.segment(span.text):
                    offset = span.start_char + segment.start
                    offset += len(segment.sent) - len(segment.sent.lstrip())
                    token = _token_at(doc, offset)
                    if token is not None:
                        starts.add(token)
            predictions.append(sorted(starts))
        return predictions


def _token_at(doc: Doc, char: int) -> int | None:
    """Index of the non-space token that starts at or contains character ``char``."""
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span[0].i


@Language.factory(
    "newspipe_sentences_model_v1",
    assigns=SENT_ASSIGNS,
    default_config={"min_newlines": 1},
)
def make_paragraph_sentencizer(nlp: Language, name: str, min_newlines: int) -> ParagraphSentencizer:
    """Paragraph boundaries; the model's parser decides within paragraphs."""
    return ParagraphSentencizer(name, min_newlines=min_newlines)


@Language.factory(
    "newspipe_sentences_rules_v1",
    assigns=SENT_ASSIGNS,
    default_config={"min_newlines": 1, "punct_chars": None},
)
def make_rule_sentencizer(
    nlp: Language, name: str, min_newlines: int, punct_chars: list[str] | None
) -> RuleSentencizer:
    """spaCy's rule sentencizer with paragraph boundaries."""
    return RuleSentencizer(name, min_newlines=min_newlines, punct_chars=punct_chars)


@Language.factory(
    "newspipe_sentences_pysbd_v1",
    assigns=SENT_ASSIGNS,
    default_config={"min_newlines": 1, "language": "en"},
)
def make_pysbd_sentencizer(
    nlp: Language, name: str, min_newlines: int, language: str
) -> PySBDSentencizer:
    """pySBD segmentation with paragraph boundaries."""
    return PySBDSentencizer(name, min_newlines=min_newlines, language=language)
