"""Direct speech: pairing quotation marks inside paragraphs."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from newspipe.pipeline.stages.quotes.lexicons import QuoteMarks
from newspipe.pipeline.stages.sentences import paragraphs


@dataclass(frozen=True)
class Marked:
    """Text in quotation marks, in token offsets: ``inner`` without the marks, ``outer`` with
    the marks that are there (a quote left open at a paragraph end has no closing mark)."""

    inner: tuple[int, int]
    outer: tuple[int, int]
    closed: bool
    parts: tuple[tuple[int, int], ...] = ()  # the quoted stretches, when joined from several

    @property
    def quoted(self) -> tuple[tuple[int, int], ...]:
        """The stretches of quoted words (one, unless joined around an interruption)."""
        return self.parts or (self.inner,)

    def in_quoted(self, i: int) -> bool:
        """Whether token ``i`` is among the quoted words."""
        return any(start <= i < end for start, end in self.quoted)

    def content(self, with_marks: bool) -> tuple[int, int]:
        return self.outer if with_marks else self.inner


def find_marked(doc: Doc, marks: QuoteMarks) -> list[Marked]:
    """Every stretch of text in quotation marks, in document order.

    Marks are paired within a paragraph only, so an unbalanced mark can never swallow the rest
    of the article; a quote left open at the end of a paragraph runs to the paragraph's end
    (the news convention for quotes over several paragraphs).
    """
    all_marks = marks.all_marks
    found: list[Marked] = []
    for first, end in paragraphs(doc):
        opener: int | None = None
        for i in range(first, end):
            text = doc[i].text
            if text not in all_marks:
                continue
            if opener is not None and text in marks.pairs[doc[opener].text]:
                if i > opener + 1:
                    found.append(Marked((opener + 1, i), (opener, i + 1), True))
                opener = None
            elif text in marks.pairs:
                opener = i
        if opener is not None:
            last = end
            while last > opener + 1 and doc[last - 1].is_space:
                last -= 1
            if last > opener + 1:
                found.append(Marked((opener + 1, last), (opener, last), False))
    return found


def join_continued(doc: Doc, marked: list[Marked]) -> list[Marked]:
    """Join a quote left open at a paragraph end with the quote that opens the next paragraph
    (one quotation over several paragraphs)."""
    joined: list[Marked] = []
    for item in marked:
        if joined and not joined[-1].closed and _opens_next_paragraph(doc, joined[-1], item):
            item = join(joined.pop(), item)
        joined.append(item)
    return joined


def join(first: Marked, second: Marked) -> Marked:
    """One quotation from two stretches, with what lies between them inside its envelope."""
    return Marked(
        (first.inner[0], second.inner[1]),
        (first.outer[0], second.outer[1]),
        second.closed,
        first.quoted + second.quoted,
    )


def join_interrupted(doc: Doc, marked: list[Marked], cue_lemmas: frozenset[str]) -> list[Marked]:
    """Join "“A,” she said, “B.”": two quotations of one paragraph separated only by an
    attribution — the first ends in a comma or dash inside its marks, and between them lies
    one clause (at most 40 tokens, no sentence boundary but a final one) with a reporting verb
    among its first six tokens."""
    joined: list[Marked] = []
    for item in marked:
        if joined and joined[-1].closed and _is_attribution_gap(doc, joined[-1], item, cue_lemmas):
            joined.append(join(joined.pop(), item))
            continue
        joined.append(item)
    return joined


def _is_attribution_gap(
    doc: Doc, first: Marked, second: Marked, cue_lemmas: frozenset[str]
) -> bool:
    gap = doc[first.outer[1] : second.outer[0]]
    if not 0 < len(gap) <= 40 or "\n" in gap.text:
        return False
    if doc[first.inner[1] - 1].text not in (",", "—", "–", "-", "--", "...", "…"):
        return False
    if any(t.is_sent_start for t in gap[1:] if t.i < gap.end - 1 and not t.is_punct):
        return False
    cues = [t for t in gap if t.lemma_.lower() in cue_lemmas and t.pos_ in ("VERB", "AUX")]
    # one reporting verb, early, and not a participle handing over to a new cue (", adding")
    return len(cues) == 1 and cues[0].i < gap.start + 6 and cues[0].tag_ != "VBG"


def _opens_next_paragraph(doc: Doc, prev: Marked, item: Marked) -> bool:
    between = doc[prev.outer[1] : item.outer[0]]
    return (all(t.is_space for t in between) and any("\n" in t.text for t in between)) or (
        len(between) == 0 and "\n" in doc[prev.outer[1] - 1].whitespace_
    )


def find_marked_spans(doc: Doc, marks: QuoteMarks) -> list[tuple[int, int]]:
    """Token ranges ``(start, end)`` of text inside quotation marks (marks excluded)."""
    return [m.inner for m in find_marked(doc, marks)]
