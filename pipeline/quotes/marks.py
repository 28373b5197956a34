"""Direct speech: pairing quotation marks inside paragraphs."""

from __future__ import annotations

from spacy.tokens import Doc

from pipeline.quotes.lexicons import QuoteMarks
from pipeline.sentences import paragraphs


def find_marked_spans(doc: Doc, marks: QuoteMarks) -> list[tuple[int, int]]:
    """Token ranges ``(start, end)`` of text inside quotation marks.

    Marks are paired within a paragraph only, so an unbalanced mark can never swallow the rest
    of the article; a quote left open at the end of a paragraph runs to the paragraph's end
    (the news convention for quotes over several paragraphs).
    """
    all_marks = marks.all_marks
    spans: list[tuple[int, int]] = []
    for first, end in paragraphs(doc):
        opener: int | None = None
        for i in range(first, end):
            text = doc[i].text
            if text not in all_marks:
                continue
            if opener is not None and text in marks.pairs[doc[opener].text]:
                if i > opener + 1:
                    spans.append((opener + 1, i))
                opener = None
            elif text in marks.pairs:
                opener = i
        if opener is not None:
            last = end
            while last > opener + 1 and doc[last - 1].is_space:
                last -= 1
            if last > opener + 1:
                spans.append((opener + 1, last))
    return spans
