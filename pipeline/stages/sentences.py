"""Sentence boundaries: four backends, each paragraph-aware.

Every backend runs before the dependency parser (which respects boundaries already set), and
every backend treats a line break as a boundary, so headlines, datelines and paragraphs never
run into each other.

- ``newspipe_sentences_model_v1`` sets only the paragraph boundaries (and keeps a closing
  quotation mark after final punctuation with its sentence) and lets the model's parser (or
  senter) place the others.
- ``newspipe_sentences_rules_v1`` is spaCy's rule ``sentencizer`` plus paragraph boundaries.
- ``newspipe_sentences_pysbd_v1`` runs pySBD's rule segmenter on each paragraph, with
  corrections (each switchable): sentences inside double quotation marks are split too,
  a piece that is only closing punctuation joins the sentence it closes, a dateline
  (``Friday, July 21, 2017``) that runs into the first sentence is split off, no sentence
  starts with a lower-case letter or a dash except at a line break, an elision mark ``[...]``
  before a capital ends a sentence, a picture credit (``Image: …``) starts one, and an initialism
  (``D.C.``) followed by a word that typically opens a sentence (``The``) ends a sentence.
  The ``datelines`` correction also splits off a story's dateline (below).
- ``newspipe_sentences_hybrid_v1`` decides the clear cases by rules on spaCy's tokens and leaves
  only the ambiguous ones (a word with an abbreviation period followed by a capitalised word)
  to the model's parser: after final punctuation (the tokenizer has already kept abbreviation
  periods inside their words) a capitalised word, digit or opening quote starts a sentence and
  a lower-case word does not; closing quotes and brackets stay with the sentence they close;
  nowhere else does a sentence start except at a line break or after a dateline.

A story's *dateline* (gold/GUIDELINES.md, section 1) is its own sentence, ending with the dash:
``OSLO, Norway (Reuters) – The…``, ``BERGEN, June 3 (NTB) – …``, ``LIMA (AP) — …``,
``Springfield, Illinois, United States - …``. The hybrid and pySBD backends split it off where a
paragraph (or a date line's sentence) starts with a place — capitalised words — followed by
``, Country``/``, Month Day`` parts and/or an agency in brackets, then a dash and a sentence
that starts with a capital or a digit. Without a comma part or an agency the place must be in
capitals (``LIMA —``), so ``Group B — Norway 2 – 1 Chile`` and ``Kim Ode — the mayor —``
stay whole (:meth:`SentenceRules.story_dateline`).

Word lists (title abbreviations, words that open sentences, weekdays and months) are in
``resources/sentence_rules.json``; another file can be given with the ``rules`` setting.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import numpy
import pysbd
from spacy.attrs import IS_SPACE, SENT_START
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.scorer import Scorer as Scorer_
from spacy.tokens import Doc, Token
from spacy.training import Example
from spacy.util import registry

from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.resources import resource_path
from newspipe.pipeline.stages import (
    DEPENDENCY_SCORER,
    SENTENCES_HYBRID,
    SENTENCES_MODEL,
    SENTENCES_PYSBD,
    SENTENCES_RULES,
    stage,
)
from newspipe.pipeline.stages.base import BatchComponent, DataFiles, Scorer
from newspipe.pipeline.stages.wordlists import read_word_lists

STAGE = stage("sentences")

SENT_ASSIGNS = ["token.is_sent_start"]
DEFAULT_RULES = resource_path("sentence_rules.json")

DOUBLE_QUOTES = '"“”„‟«»'
OPENING_MARKS = "\"“‘'«„‟‹([{"
CLOSING_MARKS = "\"”’'»›)]}"
FINAL_PUNCT = ".!?…"
PYSBD_CORRECTIONS = (
    "quotes",
    "lowercase",
    "fragments",
    "datelines",
    "initialisms",
    "elisions",
    "credits",
)
DASHES = "-–—"
LIST_MARKER = re.compile(r"[a-z][.)]\s")
ELISION_BREAK = re.compile(r"\[(?:\.\.\.|…)\]\s+(?=[\"“]?[A-Z])")


@dataclass(frozen=True)
class SentenceRules:
    """Word lists the rule corrections use (all lower-case)."""

    title_abbreviations: frozenset[str]
    sentence_starters: frozenset[str]
    weekdays: tuple[str, ...]
    months: tuple[str, ...]
    credit_labels: frozenset[str] = frozenset()
    dateline_connectors: frozenset[str] = frozenset()

    @cached_property
    def dateline(self) -> re.Pattern[str]:
        """A dateline at the start of a paragraph: ``Friday, July 21, 2017``."""
        days = "|".join(re.escape(d) for d in self.weekdays)
        months = "|".join(re.escape(m) for m in self.months)
        return re.compile(
            rf"\s*(?:{days}),?\s+(?:{months})\s+\d{{1,2}},?\s+\d{{4}}\s+(?=[\"“]?[A-Z0-9])",
            re.IGNORECASE,
        )

    @cached_property
    def story_dateline(self) -> re.Pattern[str]:
        """A story's dateline at the start of a paragraph, up to the start of the sentence
        after its dash: ``PLACE[, PART]…[ (AGENCY)] DASH`` (see the module docstring). Groups:
        ``place``, ``parts`` (the comma parts) and ``agency``."""
        word = r"[A-ZÀ-ÖØ-Þ][\w'’.&-]*"
        connectors = "|".join(re.escape(w) for w in sorted(self.dateline_connectors))
        joiner = rf"[ \t]+(?:(?:{connectors})[ \t]+)?" if connectors else r"[ \t]+"
        place = rf"{word}(?:{joiner}{word}){{0,4}}"
        months = "|".join(re.escape(m.rstrip(".")) for m in self.months)
        date = rf"(?i:{months})\.?[ \t]+\d{{1,2}}(?:,?[ \t]+\d{{4}})?"
        agency = r"\([^()\n]{1,40}\)"
        dash = r"(?:[ \t]*[—–][ \t]*|[ \t]*--[ \t]*|[ \t]+-[ \t]+)"
        return re.compile(
            rf"(?P<place>{place})(?P<parts>(?:,[ \t]+(?:{date}|{place})){{0,3}})"
            rf"(?:[ \t]+(?P<agency>{agency}))?{dash}(?=[\"“‘']?[A-Z0-9])"
        )

    @cached_property
    def credit_line(self) -> re.Pattern[str]:
        """A picture credit inside a paragraph (``… the stage Image: Ann Lee.``): ``Image:``
        after a word, with no punctuation to end the caption before it."""
        labels = "|".join(re.escape(w) for w in sorted(self.credit_labels))
        if not labels:
            return re.compile(r"(?!)")
        return re.compile(rf"(?<=\S)\s+(?=(?i:{labels}):\s)(?=[A-Z])")

    @cached_property
    def initialism_starter(self) -> re.Pattern[str]:
        """An initialism (``D.C.``) and a capitalised word that typically opens a sentence."""
        starters = "|".join(re.escape(w) for w in sorted(self.sentence_starters, key=len)[::-1])
        return re.compile(rf"\b(?:[A-Za-z]\.){{2,}}\s+(?=(?i:{starters})\b)(?=[A-Z])")


def read_sentence_rules(path: str | Path | None = None) -> SentenceRules:
    """Read the word lists (default: ``resources/sentence_rules.json``)."""
    path = Path(path) if path is not None else DEFAULT_RULES
    keys = ("title_abbreviations", "sentence_starters", "weekdays", "months")
    data = read_word_lists(path, "sentence rules", keys)
    return SentenceRules(
        title_abbreviations=frozenset(str(w).lower() for w in data["title_abbreviations"]),
        sentence_starters=frozenset(str(w).lower() for w in data["sentence_starters"]),
        weekdays=tuple(str(w).lower() for w in data["weekdays"]),
        months=tuple(str(w).lower() for w in data["months"]),
        credit_labels=frozenset(str(w).lower() for w in data.get("credit_labels", [])),
        dateline_connectors=frozenset(str(w).lower() for w in data.get("dateline_connectors", [])),
    )


def paragraph_starts(doc: Doc, min_newlines: int = 1) -> list[int]:
    """Indices of the tokens that open a paragraph.

    A paragraph opens at the first non-space token of the document and at the first non-space
    token after a run of whitespace holding at least ``min_newlines`` line breaks. (Only space
    tokens hold line breaks: a token's trailing whitespace is one space or none.)
    """
    if not len(doc):
        return []
    is_space = doc.to_array([IS_SPACE]).reshape(-1)
    breaks = numpy.zeros(len(doc) + 1, dtype="int64")  # breaks[i]: line breaks before token i
    for i in numpy.flatnonzero(is_space).tolist():
        breaks[i + 1] = doc[i].text.count("\n")
    breaks = numpy.cumsum(breaks)
    words = numpy.flatnonzero(is_space == 0)
    if not len(words):
        return []
    # The line breaks between each word and the word before it; the document start is a break.
    between = breaks[words] - breaks[numpy.concatenate(([0], words[:-1] + 1))]
    between[0] += min_newlines
    return words[between >= min_newlines].tolist()


def paragraphs(doc: Doc, min_newlines: int = 1) -> Iterator[tuple[int, int]]:
    """Token ranges ``(start, end)`` of the paragraphs, end exclusive, trailing space included."""
    starts = paragraph_starts(doc, min_newlines)
    for n, start in enumerate(starts):
        yield start, starts[n + 1] if n + 1 < len(starts) else len(doc)


def write_sent_starts(doc: Doc, flags: Sequence[bool | None], keep_unset: bool = True) -> None:
    """Write one decision per token in one call (``Token.is_sent_start`` one token at a time
    rescans the whole doc each time). None keeps the token's current value, or, without
    ``keep_unset``, clears it for a later component to decide."""
    values = doc.to_array([SENT_START]).astype("int64") if keep_unset else None
    if values is None:
        values = numpy.zeros(len(doc), dtype="int64")
    for i, flag in enumerate(flags):
        if flag is not None:
            values[i] = 1 if flag else -1
    doc.from_array([SENT_START], values.astype("uint64"))  # type: ignore[arg-type]


def _set_boundaries(
    doc: Doc, starts: Iterable[int], complete: bool, never: Collection[int] = ()
) -> Doc:
    """Write sentence starts to ``doc``.

    With ``complete`` every token gets True or False; otherwise only the given starts are set
    (True), the tokens in ``never`` False, and the others are left for a later component to
    decide. Whitespace tokens never start a sentence.
    """
    start_set = set(starts)
    flags: list[bool | None] = []
    for token in doc:
        if token.i in never:
            flags.append(False)
        elif token.i in start_set and not (token.is_space and token.i > 0):
            flags.append(True)
        elif complete or token.is_space:
            flags.append(token.i == 0)
        else:
            flags.append(None)
    write_sent_starts(doc, flags)
    return doc


class SentenceRulesFile(DataFiles):
    """The word lists file of a backend (``rules``: a path, or None for the packaged one)."""

    data_attributes = frozenset({"rules"})
    rules: SentenceRules
    rules_path: str | None

    def data_sources(self) -> dict[str, Path]:
        return {"sentence_rules.json": Path(self.rules_path) if self.rules_path else DEFAULT_RULES}

    def read_data(self, files: Mapping[str, Path]) -> None:
        self.rules = read_sentence_rules(files["sentence_rules.json"])


class ParagraphSentencizer(BatchComponent):
    """Paragraph boundaries only; the model's parser places the rest."""

    def __init__(self, name: str, min_newlines: int = 1) -> None:
        self.name = name
        self.min_newlines = min_newlines

    def predict(self, docs: list[Doc]) -> list[list[int]]:
        return [paragraph_starts(doc, self.min_newlines) for doc in docs]

    def set_annotations(self, docs: list[Doc], starts: list[list[int]]) -> list[Doc]:
        for doc, doc_starts in zip(docs, starts, strict=True):
            _set_boundaries(doc, doc_starts, complete=False, never=set(attached_closers(doc)))
        return docs


def attached_closers(doc: Doc) -> list[int]:
    """Closing quotation marks and brackets written right after final punctuation (``."``,
    ``?”``, ``.)``): they belong to the sentence they close, even before a line break."""
    found: list[int] = []
    for token in doc[1:]:
        before = doc[token.i - 1]
        if (
            token.text in CLOSING_MARKS
            and not before.whitespace_
            and (before.text[-1] in FINAL_PUNCT or (found and found[-1] == before.i))
        ):
            found.append(token.i)
    return found


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
            # One pass over the whole document: the punctuation rules never look across a
            # paragraph break, and the paragraph starts are added anyway. (A copy of each
            # paragraph as its own Doc cost 20x more.)
            starts = set(paragraph_starts(doc, self.min_newlines))
            flags = self._sentencizer.predict([doc])[0]
            starts.update(i for i, flag in enumerate(flags) if flag)
            predictions.append(sorted(starts))
        return predictions

    def set_annotations(self, docs: list[Doc], starts: list[list[int]]) -> list[Doc]:
        return [_set_boundaries(doc, s, complete=True) for doc, s in zip(docs, starts, strict=True)]


# ----------------------------------------------------------------------------- pySBD


def mask_double_quotes(text: str) -> str:
    """``text`` with every double quotation mark replaced by a space (offsets unchanged), so
    that pySBD splits the sentences of a quotation as it splits any others."""
    return text.translate({ord(c): " " for c in DOUBLE_QUOTES})


def reattach_opening_quote(text: str, start: int) -> int:
    """Move a sentence start back over the opening quotation marks right before it."""
    while (
        start > 0
        and text[start - 1] in DOUBLE_QUOTES
        and (start == 1 or text[start - 2].isspace() or text[start - 2] in OPENING_MARKS)
    ):
        start -= 1
    return start


def join_fragments(text: str, starts: Sequence[int]) -> list[int]:
    """Drop the starts of pieces without a letter or digit (a lone closing quote or bracket)
    and of pieces that open with a dash (``- Name`` after a quotation): each joins the
    sentence before it."""
    kept: list[int] = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(text)
        if kept and (text[start] in DASHES or not any(c.isalnum() for c in text[start:end])):
            continue
        kept.append(start)
    return kept


def dateline_end(text: str, rules: SentenceRules) -> int | None:
    """Where the sentence after a leading date line (``Friday, July 21, 2017``) starts, if one
    runs into it."""
    match = rules.dateline.match(text)
    return match.end() if match else None


STORY_DATELINE_CHARS = 80
"""The longest story dateline (longer: a sentence that happens to have a dash)."""


def story_dateline_match(text: str, rules: SentenceRules, start: int = 0) -> re.Match[str] | None:
    """The story dateline (``OSLO, Norway (Reuters) –``) starting at ``start`` of ``text``, with
    its groups ``place``, ``parts`` and ``agency``, or None when there is none. A dateline
    without comma parts or an agency must have its place in capitals (``LIMA —``)."""
    match = rules.story_dateline.match(text, start)
    if match is None or match.end() - start > STORY_DATELINE_CHARS:
        return None
    place = match["place"]
    capitals = place.upper() == place and sum(c.isalpha() for c in place) >= 2
    if not (match["parts"] or match["agency"] or capitals):
        return None
    return match


def story_dateline_end(text: str, rules: SentenceRules, start: int = 0) -> int | None:
    """Where the sentence after a story dateline starting at ``start`` begins, or None when
    ``text`` has none there (:func:`story_dateline_match`)."""
    match = story_dateline_match(text, rules, start)
    return None if match is None else match.end()


def dateline_starts(text: str, rules: SentenceRules) -> list[tuple[int, int]]:
    """The date line and story dateline that open a paragraph's ``text``, as ``(start,
    end)`` of each: a date line at 0, and a story dateline at 0 or right after the date line.
    ``end`` is where the next sentence starts."""
    found: list[tuple[int, int]] = []
    start = 0
    date_line = dateline_end(text, rules)
    if date_line is not None:
        found.append((0, date_line))
        start = date_line
    story = story_dateline_end(text, rules, start)
    if story is not None:
        found.append((start, story))
    return found


def initialism_breaks(text: str, rules: SentenceRules) -> list[int]:
    """Starts of the sentence-opening words that follow an initialism (``D.C. The``)."""
    return [m.end() for m in rules.initialism_starter.finditer(text)]


def segment_paragraph(
    segmenter: pysbd.Segmenter,
    text: str,
    rules: SentenceRules,
    corrections: Sequence[str] = PYSBD_CORRECTIONS,
) -> list[int]:
    """Character offsets in ``text`` where pySBD (with ``corrections``) starts a sentence."""
    masked = mask_double_quotes(text) if "quotes" in corrections else text
    starts: set[int] = set()
    for segment in segmenter.segment(masked):
        offset = segment.start + len(segment.sent) - len(segment.sent.lstrip())
        if offset < len(text):
            starts.add(reattach_opening_quote(text, offset) if "quotes" in corrections else offset)
    if "lowercase" in corrections:
        starts = {
            s for s in starts if s == 0 or not text[s].islower() or LIST_MARKER.match(text, s)
        }
    if "datelines" in corrections:
        for start, end in dateline_starts(text, rules):
            starts = {s for s in starts if not start < s < end} | {start, end}
    if "initialisms" in corrections:
        starts.update(initialism_breaks(text, rules))
    if "elisions" in corrections:
        starts.update(m.end() for m in ELISION_BREAK.finditer(text))
    if "credits" in corrections:
        starts.update(m.end() for m in rules.credit_line.finditer(text))
    ordered = sorted(starts)
    return join_fragments(text, ordered) if "fragments" in corrections else ordered


class PySBDSentencizer(RuleSentencizer, SentenceRulesFile):
    """pySBD's Golden-Rules segmenter inside each paragraph, with corrections."""

    def __init__(
        self,
        name: str,
        min_newlines: int = 1,
        language: str = "en",
        corrections: Sequence[str] = PYSBD_CORRECTIONS,
        rules: str | None = None,
    ) -> None:
        super().__init__(name, min_newlines)
        unknown = sorted(set(corrections) - set(PYSBD_CORRECTIONS))
        if unknown:
            known = ", ".join(PYSBD_CORRECTIONS)
            raise PipelineError(f"unknown sentence correction '{unknown[0]}' (known: {known})")
        self.corrections = tuple(corrections)
        self.rules_path = rules
        self._segmenter = pysbd.Segmenter(language=language, clean=False, char_span=True)

    def predict(self, docs: list[Doc]) -> list[list[int]]:
        predictions: list[list[int]] = []
        for doc in docs:
            starts = set(paragraph_starts(doc, self.min_newlines))
            for first, end in paragraphs(doc, self.min_newlines):
                span = doc[first:end]
                for offset in segment_paragraph(
                    self._segmenter, span.text, self.rules, self.corrections
                ):
                    token = _token_at(doc, span.start_char + offset)
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


# ----------------------------------------------------------------------------- hybrid


def _is_final_punct(token: Token) -> bool:
    return all(c in FINAL_PUNCT for c in token.text)


def _opens_with_word(doc: Doc, i: int) -> str:
    """The first character of the word at ``i``, skipping opening quotes and brackets."""
    while i < len(doc) and doc[i].text in OPENING_MARKS:
        i += 1
    return doc[i].text[0] if i < len(doc) and not doc[i].is_space else ""


PERIOD_RUNS = {".", "...", "…", "...."}


def _ellipsis_before(doc: Doc, k: int) -> tuple[int, bool]:
    """The number of dots in the run of period tokens ending at token ``k`` (``...``,
    ``. . .`` and ``…`` count 3) and whether whitespace precedes the run."""
    dots, start = 0, k
    while True:
        text = doc[start].text
        dots += 3 if text == "…" else len(text)
        if start == 0 or doc[start - 1].text not in PERIOD_RUNS:
            break
        start -= 1
    return dots, start == 0 or bool(doc[start - 1].whitespace_)


def boundary_decision(doc: Doc, i: int, rules: SentenceRules) -> bool | None:
    """Whether token ``i`` (not a paragraph start) starts a sentence: True, False, or None
    when the rules leave it to the parser."""
    last = doc[i - 1].text[-1]
    if last not in FINAL_PUNCT and last not in CLOSING_MARKS and not doc[i - 1].is_space:
        return False  # the common case: a plain word before
    j = i - 1
    while j >= 0 and doc[j].is_space:
        j -= 1
    if j < 0 or not (doc[j].whitespace_ or j < i - 1):
        return False  # no space before it: inside "word." or '."' or ".)"
    k = j
    while k >= 0 and doc[k].text in CLOSING_MARKS and not (k > 0 and doc[k - 1].whitespace_):
        k -= 1
    if k < 0:
        return False
    first = _opens_with_word(doc, i)
    if not first or not first.isalnum():
        return False
    if _is_final_punct(doc[k]):
        if first.islower():
            return False
        dots, spaced = _ellipsis_before(doc, k)
        if dots == 3 and spaced and k == j:
            return False  # a free-standing ellipsis marks an omission, not an end
        if first.isdigit():
            return False  # "N°. 1026": a number after a period goes on the sentence
        if doc[i].text in "([{":
            return None  # a citation "(Smith 55)" or a new bracketed sentence: the parser decides
        return True
    text = doc[k].text
    if text.endswith(".") and len(text) > 1:
        if text.lower() in rules.title_abbreviations or first.islower():
            return False
        if re.fullmatch(r"(?:[A-Za-z]\.){2,}", text) and doc[i].lower_ in rules.sentence_starters:
            return True
        return None
    return False


BULLETS = "•·▪‣⁃◦*–-"


def list_marker_end(doc: Doc, i: int) -> int | None:
    """If a list-item marker (``1.``, ``2)``, ``1.)``, ``a.``, ``•``, ``• 9.``, ``⁃9.``)
    starts at token ``i``, the index of the token after it."""
    text = doc[i].text
    end = i
    if text in BULLETS:
        end = i + 1
        if end >= len(doc) or not doc[i].whitespace_:
            return end if end < len(doc) else None
        text = doc[end].text
        i = end
    elif text[:1] in BULLETS and text[1:].isdigit():
        text = text[1:]
    if re.fullmatch(r"[a-z]\.", text):
        return i + 1
    if re.fullmatch(r"\d{1,2}|[a-z]", text):
        end = i + 1
        for mark in (".", ")"):
            if end < len(doc) and doc[end].text == mark and not doc[end - 1].whitespace_:
                end += 1
        if end > i + 1:
            return end
        return None
    return end if end > i else None


def list_items(doc: Doc, first: int, end: int) -> dict[int, int]:
    """In a paragraph that opens with a list marker, every marker after whitespace opens an
    item: the marker's first token → the token after the marker."""
    if list_marker_end(doc, first) is None:
        return {}
    items: dict[int, int] = {}
    i = first
    while i < end:
        after = list_marker_end(doc, i) if i == first or doc[i - 1].whitespace_ else None
        if after is not None and after < end:
            items[i] = after
            i = after
        else:
            i += 1
    return items


class HybridSentencizer(BatchComponent, SentenceRulesFile):
    """Rules for the clear cases, the model's parser for abbreviations before capitals."""

    def __init__(self, name: str, min_newlines: int = 1, rules: str | None = None) -> None:
        self.name = name
        self.min_newlines = min_newlines
        self.rules_path = rules

    def predict(self, docs: list[Doc]) -> list[list[bool | None]]:
        """Per token: True (starts a sentence), False, or None (left to the parser)."""
        return [self.decide(doc) for doc in docs]

    def decide(self, doc: Doc) -> list[bool | None]:
        rules = self.rules
        starts: set[int] = set()
        inside: set[int] = set()  # marker tokens and the word after a list marker
        for first, end in paragraphs(doc, self.min_newlines):
            starts.add(first)
            for marker, after in list_items(doc, first, end).items():
                starts.add(marker)
                inside.update(range(marker + 1, after + 1))
            span = doc[first:end]
            for start, stop in dateline_starts(span.text, rules):
                opener = _token_at(doc, span.start_char + stop)
                if opener is not None:
                    starts.add(opener)
                    begin = span.start_char + start
                    inside.update(
                        t.i for t in doc[first:opener] if t.idx > begin and not t.is_space
                    )
        decisions: list[bool | None] = []
        for token in doc:
            if token.is_space or token.i == 0:
                decisions.append(token.i == 0)
            elif token.i in starts:
                decisions.append(True)
            elif token.i in inside:
                decisions.append(False)
            elif (
                token.lower_ in rules.credit_labels
                and token.is_title
                and token.i + 1 < len(doc)
                and doc[token.i + 1].text == ":"
            ):
                decisions.append(True)  # a picture credit: "… the stage Image: Ann Lee."
            else:
                decisions.append(boundary_decision(doc, token.i, rules))
        return decisions

    def set_annotations(self, docs: list[Doc], decisions: list[list[bool | None]]) -> list[Doc]:
        for doc, flags in zip(docs, decisions, strict=True):
            write_sent_starts(doc, flags, keep_unset=False)
        return docs


@Language.factory(
    SENTENCES_MODEL,
    assigns=SENT_ASSIGNS,
    default_config={"min_newlines": 1, "scorer": STAGE.scorer_config},
    default_score_weights=STAGE.default_score_weights,
)
def make_paragraph_sentencizer(
    nlp: Language, name: str, min_newlines: int, scorer: Scorer | None
) -> ParagraphSentencizer:
    """Paragraph boundaries; the model's parser decides within paragraphs."""
    return _scored(ParagraphSentencizer(name, min_newlines=min_newlines), scorer)


@Language.factory(
    SENTENCES_RULES,
    assigns=SENT_ASSIGNS,
    default_config={"min_newlines": 1, "punct_chars": None, "scorer": STAGE.scorer_config},
    default_score_weights=STAGE.default_score_weights,
)
def make_rule_sentencizer(
    nlp: Language,
    name: str,
    min_newlines: int,
    punct_chars: list[str] | None,
    scorer: Scorer | None,
) -> RuleSentencizer:
    """spaCy's rule sentencizer with paragraph boundaries."""
    sentencizer = RuleSentencizer(name, min_newlines=min_newlines, punct_chars=punct_chars)
    return _scored(sentencizer, scorer)


@Language.factory(
    SENTENCES_PYSBD,
    assigns=SENT_ASSIGNS,
    default_config={
        "min_newlines": 1,
        "language": "en",
        "corrections": list(PYSBD_CORRECTIONS),
        "rules": None,
        "scorer": STAGE.scorer_config,
    },
    default_score_weights=STAGE.default_score_weights,
)
def make_pysbd_sentencizer(
    nlp: Language,
    name: str,
    min_newlines: int,
    language: str,
    corrections: list[str],
    rules: str | None,
    scorer: Scorer | None,
) -> PySBDSentencizer:
    """pySBD segmentation with paragraph boundaries and rule corrections."""
    sentencizer = PySBDSentencizer(
        name, min_newlines=min_newlines, language=language, corrections=corrections, rules=rules
    )
    return _scored(sentencizer, scorer)


@Language.factory(
    SENTENCES_HYBRID,
    assigns=SENT_ASSIGNS,
    default_config={"min_newlines": 1, "rules": None, "scorer": STAGE.scorer_config},
    default_score_weights=STAGE.default_score_weights,
)
def make_hybrid_sentencizer(
    nlp: Language, name: str, min_newlines: int, rules: str | None, scorer: Scorer | None
) -> HybridSentencizer:
    """Rules on tokens for the clear cases; the parser decides abbreviations before capitals."""
    return _scored(HybridSentencizer(name, min_newlines=min_newlines, rules=rules), scorer)


_Component = TypeVar("_Component", bound=BatchComponent)


def _scored(component: _Component, scorer: Scorer | None) -> _Component:
    component.scorer = scorer
    return component


@registry.scorers(DEPENDENCY_SCORER)
def make_dependency_scorer() -> Scorer:
    """The parser's scorer without ``sents_*``: with a newspipe sentence stage, the boundaries
    are that stage's to score (the parser only fills in the ones it was left)."""
    return dependency_score


def dependency_score(examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
    """spaCy's parser scores of dependencies (``dep_uas``, ``dep_las``, per type)."""

    def dep_getter(token: Token, attr: str) -> str:
        return str(token.vocab.strings.as_string(getattr(token, attr))).lower()

    kwargs.setdefault("getter", dep_getter)
    kwargs.setdefault("ignore_labels", ("p", "punct"))
    return Scorer_.score_deps(examples, "dep", **kwargs)
