"""Quote attribution: who said what, as direct, indirect or mixed quotes.

``newspipe_quotes_rules_v1`` reads quotation marks (direct speech) and the dependency parse
(reporting verbs with a clausal complement: reported speech), then finds each quote's cue and
speaker and resolves the speaker to the fullest name of that entity in the document.

Results: ``doc.spans["quotes"]`` holds the content spans; on each span ``._.cue``,
``._.speaker`` (spans or None), ``._.speaker_name`` and ``._.quote_type``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from pipeline.extensions import QUOTES_KEY, register_extensions
from pipeline.quotes.lexicons import RESOURCES, cached_word_list, read_quote_marks
from pipeline.quotes.marks import find_marked_spans
from pipeline.quotes.reported import is_cue, reported_clause, speaker_of
from pipeline.quotes.speakers import canonical_names, resolve_speaker

DEFAULT_CUES = RESOURCES / "cue_verbs.txt"
DEFAULT_MARKS = RESOURCES / "quote_marks.json"


@dataclass
class Quote:
    """One attribution, in token offsets of its document (end exclusive)."""

    content: tuple[int, int]
    cue: tuple[int, int] | None
    speaker: tuple[int, int] | None
    speaker_name: str | None
    type: str


class QuoteAttributor:
    """Finds direct, indirect and mixed quotes with their cues and speakers."""

    def __init__(self, name: str, cues: str | Path, marks: str | Path) -> None:
        self.name = name
        self.cue_lemmas = cached_word_list(str(cues))
        self.marks = read_quote_marks(marks)

    def __call__(self, doc: Doc) -> Doc:
        return self.set_annotations([doc], self.predict([doc]))[0]

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def predict(self, docs: list[Doc]) -> list[list[Quote]]:
        return [self._find_quotes(doc) for doc in docs]

    def set_annotations(self, docs: list[Doc], quotes: list[list[Quote]]) -> list[Doc]:
        for doc, doc_quotes in zip(docs, quotes, strict=True):
            spans = []
            for quote in doc_quotes:
                span = doc[quote.content[0] : quote.content[1]]
                span._.cue = doc[quote.cue[0] : quote.cue[1]] if quote.cue else None
                span._.speaker = doc[quote.speaker[0] : quote.speaker[1]] if quote.speaker else None
                span._.speaker_name = quote.speaker_name
                span._.quote_type = quote.type
                spans.append(span)
            doc.spans[QUOTES_KEY] = spans
        return docs

    def _find_quotes(self, doc: Doc) -> list[Quote]:
        names = canonical_names(doc)
        marked = find_marked_spans(doc, self.marks)
        quotes: list[Quote] = []
        # Reported speech, with quotation marks inside it making it mixed.
        for token in doc:
            if not is_cue(token, self.cue_lemmas):
                continue
            clause = reported_clause(token)
            if clause is None:
                continue
            inner = [m for m in marked if m[0] < clause[1] and m[1] > clause[0]]
            kind = "indirect"
            covering = [m for m in inner if m[0] <= clause[0] and m[1] >= clause[1]]
            if covering:
                kind, clause = "direct", covering[0]
            elif inner:
                kind = "mixed"
            quotes.append(self._make(doc, clause, token, kind, names))
        # Direct speech not inside a reported clause.
        for start, end in marked:
            if any(q.content[0] - 1 <= start and end <= q.content[1] + 1 for q in quotes):
                continue
            if end - start < self.marks.min_direct_tokens:
                continue  # a scare quote or a title, not speech
            cue = self._cue_near(doc, start, end)
            quotes.append(self._make(doc, (start, end), cue, "direct", names))
        quotes.sort(key=lambda q: q.content)
        return quotes

    def _cue_near(self, doc: Doc, start: int, end: int) -> Token | None:
        """The reporting verb of a direct quote: in the sentences it touches, outside the marks,
        nearest to the quote."""
        first = doc[start].sent.start
        last = doc[end - 1].sent.end
        if last < len(doc):
            last = doc[last].sent.end if doc[end].is_punct or doc[end].text in ("”", '"') else last
        candidates = [
            t for t in doc[first:last] if not start - 1 <= t.i <= end and is_cue(t, self.cue_lemmas)
        ]
        if not candidates:
            return None
        return min(candidates, key=lambda t: min(abs(t.i - start), abs(t.i - end)))

    def _make(
        self,
        doc: Doc,
        content: tuple[int, int],
        cue: Token | None,
        kind: str,
        names: dict[tuple[int, int], str],
    ) -> Quote:
        speaker = speaker_of(cue) if cue is not None else None
        if speaker is not None and content[0] <= speaker.start < content[1]:
            speaker = None
        return Quote(
            content=content,
            cue=(cue.i, cue.i + 1) if cue is not None else None,
            speaker=(speaker.start, speaker.end) if speaker is not None else None,
            speaker_name=resolve_speaker(speaker, names) if speaker is not None else None,
            type=kind,
        )


@Language.factory(
    "newspipe_quotes_rules_v1",
    requires=["token.dep", "token.head", "token.lemma", "token.tag"],
    assigns=["doc.spans"],
    default_config={"cues": str(DEFAULT_CUES), "marks": str(DEFAULT_MARKS)},
)
def make_quote_attributor(nlp: Language, name: str, cues: str, marks: str) -> QuoteAttributor:
    """Rule-based quote attribution over quotation marks and the dependency parse."""
    register_extensions()
    return QuoteAttributor(name, cues=cues, marks=marks)


__all__ = ["Quote", "QuoteAttributor", "Span", "make_quote_attributor"]
