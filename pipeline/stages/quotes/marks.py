"""Direct speech: pairing quotation marks inside paragraphs."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

import numpy
from spacy.attrs import ORTH
from spacy.tokens import Doc

from newspipe.pipeline.stages.quotes.lexicons import QuoteMarks
from newspipe.pipeline.stages.sentences import paragraphs
from newspipe.pipeline.stages.wordlists import string_hashes


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
    spans = list(paragraphs(doc))
    hashes = string_hashes(doc.vocab.strings, all_marks)
    at_marks = numpy.flatnonzero(numpy.isin(doc.to_array([ORTH]).reshape(-1), hashes)).tolist()
    texts = {i: doc[i].text for i in at_marks}  # the tokens that are quotation marks
    resume: int | None = (
        None  # where pairing goes on after a quote run on from the paragraph before
    )
    for n, (first, end) in enumerate(spans):
        opener: int | None = None
        begin = resume if resume is not None else first
        for i in at_marks[bisect_left(at_marks, begin) : bisect_left(at_marks, end)]:
            text = texts[i]
            if opener is not None and text in marks.pairs[texts[opener]]:
                if i > opener + 1:
                    found.append(Marked((opener + 1, i), (opener, i + 1), True))
                opener = None
            elif text in marks.pairs:
                opener = i
        resume = None
        if opener is None:
            continue
        closer = _run_on_closer(doc, marks, opener, spans[n + 1] if n + 1 < len(spans) else None)
        if closer is not None:
            # a quotation that runs on to the next line without a reopening mark
            found.append(Marked((opener + 1, closer), (opener, closer + 1), True))
            resume = closer + 1
            continue
        last = end
        while last > opener + 1 and doc[last - 1].is_space:
            last -= 1
        if last > opener + 1:
            found.append(Marked((opener + 1, last), (opener, last), False))
    return found


def _run_on_closer(
    doc: Doc, marks: QuoteMarks, opener: int, following: tuple[int, int] | None
) -> int | None:
    """The closing mark of a quotation left open at a paragraph end that runs on into the next
    line without a reopening mark: that line does not start with a mark, and its first mark can
    close the opener and stands where a closing mark stands (after a word or punctuation, and
    followed by a space, punctuation or the end of the line, not glued to a next word)."""
    if following is None:
        return None
    first, end = following
    words = [t for t in doc[first:end] if not t.is_space]
    if not words or words[0].text in marks.all_marks:
        return None
    found = [t for t in words if t.text in marks.all_marks]
    if not found:
        return None
    closer = found[0]
    if closer.text not in marks.pairs[doc[opener].text]:
        return None
    if closer.text in marks.pairs:  # a mark that opens as well as closes: look where it stands
        glued_after = (
            not closer.whitespace_
            and closer.i + 1 < end
            and not (doc[closer.i + 1].is_punct or doc[closer.i + 1].is_space)
        )
        space_before = closer.i > first and bool(doc[closer.i - 1].whitespace_)
        if glued_after or space_before:
            return None
    return closer.i


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


DASHES = frozenset({"-", "–", "—", "--"})


def credit_of(doc: Doc, item: Marked) -> tuple[int, int] | None:
    """A name that attributes a quotation by punctuation alone: after it, a dash and the name
    ("“…” – Ola Berg"), or before it, at the start of its line, the name and a colon ("Ola
    Berg: “…”"). Token range of the name, or None."""
    after = item.outer[1]
    while after < len(doc) and doc[after].is_space and "\n" not in doc[after].text:
        after += 1
    if after < len(doc) and doc[after].text in DASHES:
        start = end = after + 1
        while end < len(doc) and doc[end].pos_ == "PROPN" and end - start < 5:
            end += 1
        if end > start:
            return start, end
    before = item.outer[0] - 1
    while before >= 0 and doc[before].is_space and "\n" not in doc[before].text:
        before -= 1
    if before >= 1 and doc[before].text == ":":
        end = start = before
        while start > 0 and doc[start - 1].pos_ == "PROPN":
            start -= 1
        line_start = start == 0 or "\n" in doc[start - 1].text or doc[start - 1].is_space
        if start < end and line_start:
            return start, end
    return None
