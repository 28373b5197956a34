"""The dependency parse only where a stage reads it: ``[nlp] parse = "candidates"``.

The parse is the model's most expensive part, and the quote stage (and the stance stage, which
works on quotes) reads it only in sentences that can hold an attribution. With
``parse = "candidates"`` the model's parser is disabled and :class:`CandidateParser` takes its
place after the tagger, attribute ruler and lemmatizer. It takes the sentence stage's sentences
(a sentence whose inner boundaries the stage left to the parser is one unit) and parses only
the units that contain

- a cue word: a lemma of the quote stage's list of reporting verbs (``cue_verbs.txt``), the
  first word of a cue phrase ("according to"), or a lemma of the quote stage's cue lexicon
  (counted on PolNeAR train) that heads an attribution at least :data:`MIN_CUE_COUNT` times
  and in at least :data:`MIN_CUE_PRECISION` of its occurrences,
- a quotation mark, a colon or a dash (a hyphen only with a space before it: "well-known" is
  no dash),
- a boundary the sentence stage left undecided (so every sentence boundary is the parser's, as
  with ``parse = "all"``).

Each unit is parsed as a Doc of its own carrying the document's tok2vec output (the parser
reads ``doc.tensor``), so its parse is the one the whole-document parse gives it but for the
parser's own boundary decisions. Every other sentence gets a flat tree (its first token the
root, every other token attached to it with the label ``dep``), which keeps its boundaries.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice, pairwise
from typing import Any

import numpy
from spacy.attrs import DEP, HEAD, LEMMA, LOWER, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc

from newspipe.pipeline.resources import resource_path

CANDIDATE_PARSER = "newspipe_candidate_parser_v1"
PARSE_MODES = ("all", "candidates")
MIN_CUE_COUNT = 3
MIN_CUE_PRECISION = 0.1
MARKS = frozenset("\"“”„‟«»‘’'‹›:–—") | {"--", "―"}
HYPHEN = "-"
FLAT_LABEL = "dep"


def cue_words() -> frozenset[str]:
    """The lemmas and word forms that make a sentence a candidate (lower case)."""
    words = set(_lines("cue_verbs.txt"))
    for phrase in _lines("cue_phrases.txt"):
        words.add(phrase.split()[0])
    attributions: dict[str, int] = {}
    occurrences: dict[str, int] = {}
    for line in _lines("cue_lexicon.tsv"):
        parts = line.split("\t")
        if len(parts) >= 4 and parts[2].isdigit() and parts[3].isdigit():
            attributions[parts[0]] = attributions.get(parts[0], 0) + int(parts[2])
            occurrences[parts[0]] = occurrences.get(parts[0], 0) + int(parts[3])
    words.update(
        lemma
        for lemma, count in attributions.items()
        if count >= MIN_CUE_COUNT and count >= MIN_CUE_PRECISION * occurrences[lemma]
    )
    return frozenset(word.lower() for word in words)


def _lines(name: str) -> list[str]:
    text = resource_path(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


class CandidateParser:
    """Runs the model's parser (a disabled component of the same pipeline) over the candidate
    sentences only; see the module docstring."""

    def __init__(self, nlp: Language, name: str, parser: str = "parser") -> None:
        self.nlp = nlp
        self.name = name
        self.parser_name = parser
        self._words: frozenset[str] | None = None
        self._hashes: numpy.ndarray | None = None

    def _cue_hashes(self) -> numpy.ndarray:
        if self._hashes is None:
            self._words = cue_words()
            strings = self.nlp.vocab.strings
            marks = [strings.add(mark) for mark in MARKS]
            self._hashes = numpy.asarray(
                sorted({strings.add(word) for word in self._words} | set(marks)), dtype="uint64"
            )
        return self._hashes

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        iterator = iter(docs)
        while batch := list(islice(iterator, batch_size)):
            yield from self._parse(batch, batch_size)

    def units(self, doc: Doc) -> list[tuple[int, int, bool]]:
        """The document's units (start, end, candidate): its sentences as the sentence stage
        set them, a sentence with an undecided inner boundary being one unit."""
        if not len(doc):
            return []
        starts = doc.to_array([SENT_START]).astype("int64")
        words = doc.to_array([LEMMA, LOWER, SPACY])
        hit: numpy.ndarray = numpy.asarray(numpy.isin(words[:, :2], self._cue_hashes()).any(axis=1))
        # A hyphen with a space before it is a dash.
        hyphen = words[:, 1] == self.nlp.vocab.strings.add(HYPHEN)
        hit[1:] |= hyphen[1:] & (words[:-1, 2] == 1)
        undecided = starts == 0
        undecided[0] = False
        bounds = [*numpy.flatnonzero(starts == 1).tolist(), len(doc)]
        if not bounds or bounds[0] != 0:
            bounds.insert(0, 0)
        units = []
        for start, end in pairwise(bounds):
            if end > start:
                candidate = bool(hit[start:end].any() or undecided[start + 1 : end].any())
                units.append((start, end, candidate))
        return units

    def _parse(self, docs: list[Doc], batch_size: int) -> list[Doc]:
        parser: Any = self.nlp.get_pipe(self.parser_name)
        plans = [_runs(self.units(doc)) for doc in docs]
        pieces = [
            doc[start:end].as_doc()
            for doc, units in zip(docs, plans, strict=True)
            for start, end, candidate in units
            if candidate
        ]
        parsed = iter(parser.pipe(pieces, batch_size=batch_size)) if pieces else iter(())
        flat = self.nlp.vocab.strings.add(FLAT_LABEL)
        root = self.nlp.vocab.strings.add("ROOT")
        for doc, units in zip(docs, plans, strict=True):
            if not units:
                continue
            values = numpy.zeros((len(doc), 2), dtype="uint64")
            heads = numpy.zeros(len(doc), dtype="int64")
            for start, end, candidate in units:
                if candidate:
                    piece = next(parsed)
                    array = piece.to_array([HEAD, DEP])
                    heads[start:end] = array[:, 0].astype("int64")
                    values[start:end, 1] = array[:, 1]
                else:
                    heads[start:end] = start - numpy.arange(start, end)
                    values[start:end, 1] = flat
                    values[start, 1] = root
            values[:, 0] = heads.astype("uint64")
            doc.from_array([HEAD, DEP], values)  # type: ignore[arg-type]
        return docs


def _runs(units: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    """Consecutive candidate units joined: a run of candidate sentences is parsed as one Doc
    (the parser keeps the boundaries set in it), so the parser sees the same neighbours as in
    the whole document, and a document pays for a Doc per run, not per sentence. Every other
    unit stays one sentence with its flat tree."""
    runs: list[tuple[int, int, bool]] = []
    for start, end, candidate in units:
        if candidate and runs and runs[-1][2] and runs[-1][1] == start:
            runs[-1] = (runs[-1][0], end, candidate)
        else:
            runs.append((start, end, candidate))
    return runs


@Language.factory(
    CANDIDATE_PARSER,
    assigns=["token.dep", "token.head", "token.is_sent_start", "doc.sents"],
    requires=["token.lemma"],
    default_config={"parser": "parser"},
)
def make_candidate_parser(nlp: Language, name: str, parser: str) -> CandidateParser:
    """The model's parser over candidate sentences only (``[nlp] parse = "candidates"``)."""
    return CandidateParser(nlp, name, parser)
