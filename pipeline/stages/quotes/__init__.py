"""Quote attribution: who said what, as direct, indirect or mixed quotes.

Two backends share one attributor and differ only in how a candidate is judged:

- ``newspipe_quotes_rules_v1``: a candidate (cue word + relation + content, see
  :mod:`newspipe.pipeline.stages.quotes.candidates`) is an attribution when the cue lexicon
  (``resources/cue_lexicon.tsv``, counted on PolNeAR train) says that this lemma in this
  relation introduced an attribution at least ``threshold`` of the time, or, for a clausal
  complement, when the lemma is in the hand list of reporting verbs (``cue_verbs.txt``).
- ``newspipe_quotes_hybrid_v1``: a logistic regression over features of the candidate
  (``resources/quote_model.json``, trained by ``newspipe train quotes``).

Then, for both: overlapping candidates keep the best one; text in quotation marks snaps a
candidate whose content it mostly covers (a direct quote), makes a covering candidate mixed,
and otherwise becomes a direct quote of its own with the nearest cue, or — with no cue — a
continuation of the previous speaker. Speakers resolve to canonical names by
:mod:`newspipe.pipeline.stages.quotes.speakers`.

The content convention is a setting, ``convention``: ``"newspipe"`` (default, after
``gold/GUIDELINES.md``: no leading "that", no quotation marks, a quote interrupted by its
attribution is two quotes) or ``"polnear"`` (PolNeAR/PARC: "that" and the marks belong to
the content, and "“A,” she said, “B.”" is one quote running from A to B). In code, the four
switches behind it are the attributor's ``include_complementizer``, ``include_marks``,
``join_interrupted`` and ``join_paragraphs``.

Results: ``doc.spans["quotes"]`` holds the content spans; on each span ``._.cue``,
``._.speaker`` (spans or None), ``._.speaker_name`` and ``._.quote_type``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.extensions import QUOTES_KEY, register_extensions
from newspipe.pipeline.stages import QUOTES_HYBRID, QUOTES_RULES, stage
from newspipe.pipeline.stages.base import BatchComponent, DataFiles, Scorer
from newspipe.pipeline.stages.quotes.candidates import Candidate, cue_span, find_candidates
from newspipe.pipeline.stages.quotes.lexicons import (
    RESOURCES,
    CueLexicon,
    QuoteMarks,
    cached_cue_lexicon,
    cached_word_list,
    read_quote_marks,
    read_speaker_nouns,
)
from newspipe.pipeline.stages.quotes.marks import (
    Marked,
    find_marked,
    join_continued,
    join_interrupted,
)
from newspipe.pipeline.stages.quotes.model import LinearModel, cached_model, candidate_features
from newspipe.pipeline.stages.quotes.speakers import (
    NameIndex,
    canonical_names,
    resolve_speaker,
    speaker_of,
)

STAGE = stage("quotes")
DEFAULT_CUES = RESOURCES / "cue_verbs.txt"
DEFAULT_MARKS = RESOURCES / "quote_marks.json"
DEFAULT_PHRASES = RESOURCES / "cue_phrases.txt"
DEFAULT_SPEAKER_NOUNS = RESOURCES / "speaker_nouns.json"
DEFAULT_LEXICON = RESOURCES / "cue_lexicon.tsv"
DEFAULT_MODEL = RESOURCES / "quote_model.json"
CLAUSAL = frozenset({"ccomp", "inside:parataxis", "inside:advcl", "inside:ccomp", "according"})


@dataclass
class Quote:
    """One attribution, in token offsets of its document (end exclusive)."""

    content: tuple[int, int]
    cue: tuple[int, int] | None
    speaker: tuple[int, int] | None
    speaker_name: str | None
    type: str


@dataclass
class _Draft:
    content: tuple[int, int]
    cand: Candidate | None
    kind: str
    cue: tuple[int, int] | None = None
    speaker: tuple[int, int] | None = None


def _overlap_index(marked: list[Marked]) -> Callable[[tuple[int, int]], list[Marked]]:
    """A function giving, in document order, the quotations whose marks overlap a token range.

    Quotations are paired one after another inside paragraphs, so they never overlap and their
    ends are sorted: a binary search finds the first candidate, instead of a scan of all of
    them for every candidate of the document. (Should they ever overlap, it scans.)
    """
    ends = [item.outer[1] for item in marked]
    disjoint = all(a.outer[1] <= b.outer[0] for a, b in pairwise(marked))

    def overlapping(span: tuple[int, int]) -> list[Marked]:
        if not disjoint:
            return [item for item in marked if _overlap(span, item.outer) > 0]
        found = []
        for item in marked[bisect_right(ends, span[0]) :]:
            if item.outer[0] >= span[1]:
                break
            found.append(item)
        return found

    return overlapping


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _same(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two ranges overlap over at least half of each."""
    o = _overlap(a, b)
    return o > 0 and 2 * o >= a[1] - a[0] and 2 * o >= b[1] - b[0]


class QuoteAttributor(BatchComponent, DataFiles):
    """Finds direct, indirect and mixed quotes with their cues and speakers.

    The data files (cue verbs, quotation marks, cue phrases, speaker nouns, the cue lexicon and,
    for the hybrid backend, the candidate model) are paths, or None for the packaged ones. With
    a model, its decision threshold replaces ``threshold``.
    """

    data_attributes = frozenset(
        {"cue_lemmas", "marks", "phrases", "person_nouns", "group_nouns", "lexicon", "model"}
        | {"threshold"}
    )
    cue_lemmas: frozenset[str]
    marks: QuoteMarks
    phrases: frozenset[str]
    person_nouns: frozenset[str]
    group_nouns: frozenset[str]
    lexicon: CueLexicon
    model: LinearModel | None
    threshold: float

    def __init__(
        self,
        name: str,
        *,
        cues: str | Path | None = None,
        marks: str | Path | None = None,
        phrases: str | Path | None = None,
        speaker_nouns: str | Path | None = None,
        lexicon: str | Path | None = None,
        model: str | Path | None = None,
        use_model: bool = False,
        threshold: float = 0.5,
        min_count: int = 3,
        include_complementizer: bool = False,
        include_marks: bool = False,
        join_interrupted: bool = False,
        join_paragraphs: bool = True,
    ) -> None:
        self.name = name
        self.paths = {
            "cue_verbs.txt": cues or DEFAULT_CUES,
            "quote_marks.json": marks or DEFAULT_MARKS,
            "cue_phrases.txt": phrases or DEFAULT_PHRASES,
            "speaker_nouns.json": speaker_nouns or DEFAULT_SPEAKER_NOUNS,
            "cue_lexicon.tsv": lexicon or DEFAULT_LEXICON,
        }
        if model or use_model:
            self.paths["quote_model.json"] = model or DEFAULT_MODEL
        self.threshold_setting = threshold
        self.min_count = min_count
        self.include_complementizer = include_complementizer
        self.include_marks = include_marks
        self.join_interrupted = join_interrupted
        self.join_paragraphs = join_paragraphs
        self.max_spill = 2  # content words outside the marks that still make a quote direct

    def data_sources(self) -> dict[str, Path]:
        return {name: Path(path) for name, path in self.paths.items()}

    def read_data(self, files: Mapping[str, Path]) -> None:
        self.cue_lemmas = cached_word_list(str(files["cue_verbs.txt"]))
        self.marks = read_quote_marks(files["quote_marks.json"])
        self.phrases = cached_word_list(str(files["cue_phrases.txt"]))
        nouns = read_speaker_nouns(files["speaker_nouns.json"])
        self.person_nouns, self.group_nouns = nouns.person, nouns.group
        self.lexicon = cached_cue_lexicon(str(files["cue_lexicon.tsv"]))
        model = files.get("quote_model.json")
        self.model = cached_model(str(model)) if model is not None else None
        self.threshold = self.threshold_setting if self.model is None else self.model.threshold

    def predict(self, docs: list[Doc]) -> list[list[Quote]]:
        self.ensure_data()
        return [self.find_quotes(doc) for doc in docs]

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

    # -- finding -----------------------------------------------------------------------------

    def marked_spans(self, doc: Doc) -> list[Marked]:
        """Text in quotation marks, joined over paragraphs if so configured."""
        marked = find_marked(doc, self.marks)
        if self.join_paragraphs:
            marked = join_continued(doc, marked)
        if self.join_interrupted:
            marked = join_interrupted(doc, marked, self.cue_lemmas)
        return marked

    def scored_candidates(self, doc: Doc, marked: list[Marked]) -> list[Candidate]:
        """Every candidate of ``doc`` with its score, contents snapped to quotation marks."""
        cands = find_candidates(
            doc, self.phrases, keep_mark=self.include_complementizer, cue_lemmas=self.cue_lemmas
        )
        overlapping = _overlap_index(marked)
        for cand in cands:
            cand.marked = self._snap(cand, overlapping(cand.content))
            cand.score = self.judge(doc, cand, cand.marked)
        return cands

    def _snap(self, cand: Candidate, marked: list[Marked]) -> str:
        """Snap a candidate's content to the quotation it mostly is; say how it relates to marks."""
        state = "none"
        for item in marked:
            outer = item.outer
            inside = item.in_quoted(cand.cue_token)
            spill = cand.content[1] - cand.content[0] - _overlap(cand.content, outer)
            if not inside and spill <= self.max_spill and _overlap(cand.content, outer) > 0:
                cand.content = item.content(self.include_marks)
                return "direct"
            if _overlap(cand.content, outer):
                state = "mixed"
        return state

    def judge(self, doc: Doc, cand: Candidate, marked: str) -> float:
        """How likely a candidate is an attribution (0–1)."""
        lemma = doc[cand.cue_token].lemma_.lower()
        listed = lemma in self.cue_lemmas
        if self.model is not None:
            return self.model.score(candidate_features(doc, cand, listed, marked))
        precision = self.lexicon.precision(lemma, cand.relation, self.min_count)
        if precision is not None:
            return precision
        if cand.relation in CLAUSAL and listed:
            return max(self.threshold, 0.5)
        return 0.0

    def find_quotes(self, doc: Doc) -> list[Quote]:
        """All quotes of ``doc``, in document order."""
        marked = self.marked_spans(doc)
        cands = self.scored_candidates(doc, marked)
        accepted = self._select(cands)
        drafts = self._with_marks(doc, accepted, cands, marked)
        return self._resolve(doc, drafts, marked)

    def _select(self, cands: list[Candidate]) -> list[Candidate]:
        """Candidates above the threshold, best first, one per cue and per content."""
        chosen: list[Candidate] = []
        used_cues: set[int] = set()
        for cand in sorted(cands, key=lambda c: -c.score):
            if cand.score < self.threshold:
                break
            if cand.cue_token in used_cues:
                continue
            if any(_same(cand.content, other.content) for other in chosen):
                continue
            chosen.append(cand)
            used_cues.add(cand.cue_token)
        return chosen

    def _with_marks(
        self, doc: Doc, accepted: list[Candidate], cands: list[Candidate], marked: list[Marked]
    ) -> list[_Draft]:
        drafts = [_Draft(c.content, c, "indirect") for c in accepted]
        for item in marked:
            outer = item.content(self.include_marks)
            full = item.outer
            matched = [d for d in drafts if d.content in (outer, full, item.inner)]
            if matched:
                matched[0].content, matched[0].kind = outer, "direct"
                continue
            covering = [d for d in drafts if 2 * _overlap(d.content, full) >= full[1] - full[0]]
            speaking = [
                d
                for d in covering
                if d.cand is not None
                and d.cand.relation.startswith("inside")
                and d.cand.cue[1] <= full[0]
                and d.kind != "direct"
            ]
            if speaking:
                # "…, he said, “…”": the quotation is what the cue inside the clause introduces
                speaking[0].content, speaking[0].kind = outer, "direct"
                continue
            if covering:
                for d in covering:
                    d.kind = "mixed" if d.kind != "direct" else d.kind
                inner_cue = self._cue_for(doc, item, cands, nested=True)
                if inner_cue is None or not (
                    inner_cue.score >= self.threshold / 2
                    or doc[inner_cue.cue_token].lemma_.lower() in self.cue_lemmas
                ):
                    continue
                drafts.append(_Draft(outer, inner_cue, "direct"))
                continue
            if any(_overlap(d.content, full) for d in drafts if d.kind == "direct"):
                continue
            cue = self._cue_for(doc, item, cands, nested=False)
            if cue is None and item.inner[1] - item.inner[0] < self.marks.min_direct_tokens:
                continue  # a scare quote or a title, not speech
            if cue is None:
                drafts.append(_Draft(outer, None, "direct"))
            else:
                drafts.append(_Draft(outer, cue, "direct"))
        for d in drafts:
            if d.kind == "indirect" and any(
                _overlap(d.content, m.outer) for m in marked if d.content != m.content(True)
            ):
                d.kind = "mixed"
        drafts.sort(key=lambda d: d.content)
        return drafts

    def _cue_for(
        self, doc: Doc, item: Marked, cands: list[Candidate], nested: bool
    ) -> Candidate | None:
        """The candidate that best explains a quotation: one whose content it mostly is, else a
        listed reporting verb in the same sentences, nearest to the marks."""
        outer = item.outer
        best: Candidate | None = None
        for cand in cands:
            if item.in_quoted(cand.cue_token):
                continue
            fits = cand.content == item.content(self.include_marks) or (
                not nested and _same(cand.content, outer)
            )
            if fits and (best is None or cand.score > best.score):
                best = cand
        short = item.inner[1] - item.inner[0] < self.marks.min_direct_tokens
        if best is not None and short and not nested:
            listed = doc[best.cue_token].lemma_.lower() in self.cue_lemmas
            if best.score < self.threshold / 2 and not listed:
                return None
        if best is not None or nested:
            return best
        if item.inner[1] - item.inner[0] < self.marks.min_direct_tokens:
            return None
        first = doc[outer[0]].sent.start
        last = doc[max(outer[0], outer[1] - 1)].sent.end
        if last < len(doc) and doc[last - 1].text in ("”", '"', "."):
            last = doc[last].sent.end if last < len(doc) else last
        nearest = None
        for token in doc[first:last]:
            if item.in_quoted(token.i) or token.pos_ not in ("VERB", "AUX"):
                continue
            if token.lemma_.lower() not in self.cue_lemmas:
                continue
            dist = min(abs(token.i - outer[0]), abs(token.i - outer[1]))
            if nearest is None or dist < nearest[0]:
                nearest = (dist, token)
        if nearest is None:
            nearest = self._introduced(doc, outer[0])
        if nearest is None:
            return None
        token = nearest[1]
        speaker = speaker_of(token)
        spk = (speaker.start, speaker.end) if speaker is not None and len(speaker) else None
        head = speaker.root.i if speaker is not None and len(speaker) else None
        return Candidate(outer, cue_span(token), token.i, "near", spk, head)

    def _introduced(self, doc: Doc, start: int) -> tuple[int, Token] | None:
        """A reporting verb in the sentence before ``start`` when that sentence ends in a colon
        ("She put it this way:" + a quotation)."""
        if start == 0 or (doc[start].sent.start != start and doc[start - 1].text not in (":",)):
            return None
        before = start - 1
        while before > 0 and (doc[before].is_space or doc[before].text in ("“", '"', "''")):
            before -= 1
        if doc[before].text != ":":
            return None
        sent = doc[before].sent
        verbs = [
            t
            for t in sent
            if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in self.cue_lemmas and t.i < before
        ]
        return (0, verbs[-1]) if verbs else None

    def _resolve(self, doc: Doc, drafts: list[_Draft], marked: list[Marked]) -> list[Quote]:
        quoted = [part for m in marked for part in m.quoted]
        index = NameIndex(canonical_names(doc), list(doc.ents), self.person_nouns, self.group_nouns)
        quotes: list[Quote] = []
        previous: Quote | None = None
        for d in drafts:
            cand = d.cand
            if cand is None:
                # a quotation with no cue: the previous speaker goes on talking
                close = previous is not None and d.content[0] - previous.content[1] <= 120
                if previous is not None and close:
                    quote = Quote(d.content, None, previous.speaker, previous.speaker_name, d.kind)
                else:
                    quote = Quote(d.content, None, None, None, d.kind)
            else:
                speaker = cand.speaker
                if speaker is not None and any(m[0] <= speaker[0] < m[1] for m in quoted):
                    speaker = None  # words inside quotation marks are not their own source
                name = None
                if speaker is not None:
                    name, kind = resolve_speaker(doc[speaker[0] : speaker[1]], index)
                    if name is not None and kind:
                        index.note(speaker[0], kind, name)
                quote = Quote(d.content, cand.cue, speaker, name, d.kind)
            quotes.append(quote)
            previous = quote
        return quotes


_SETTINGS: dict[str, Any] = {
    # Data files: None is the packaged file (so no install path is written into a saved
    # pipeline's config; the files themselves are saved with the pipeline).
    "cues": None,
    "marks": None,
    "phrases": None,
    "speaker_nouns": None,
    "lexicon": None,
    "convention": "newspipe",
    "scorer": STAGE.scorer_config,
}

CONVENTIONS: dict[str, dict[str, bool]] = {
    # gold/GUIDELINES.md: content without "that" and without the quotation marks; a quote
    # interrupted by its attribution is two quotes.
    "newspipe": {
        "include_complementizer": False,
        "include_marks": False,
        "join_interrupted": False,
        "join_paragraphs": True,
    },
    # PolNeAR (PARC): "that" and the marks are part of the content, and "“A,” she said,
    # “B.”" is one attribution whose content runs from A to B.
    "polnear": {
        "include_complementizer": True,
        "include_marks": True,
        "join_interrupted": True,
        "join_paragraphs": True,
    },
}


def convention_settings(convention: str) -> dict[str, bool]:
    """The content-span settings of a named convention."""
    if convention not in CONVENTIONS:
        known = ", ".join(sorted(CONVENTIONS))
        raise PipelineError(f"unknown quote convention '{convention}' (known: {known})")
    return CONVENTIONS[convention]


@Language.factory(
    QUOTES_RULES,
    requires=["token.dep", "token.head", "token.lemma", "doc.ents"],
    assigns=["doc.spans"],
    default_config={**_SETTINGS, "threshold": 0.5, "min_count": 3},
    default_score_weights=STAGE.default_score_weights,
)
def make_quote_attributor(
    nlp: Language,
    name: str,
    cues: str | None,
    marks: str | None,
    phrases: str | None,
    speaker_nouns: str | None,
    lexicon: str | None,
    threshold: float,
    min_count: int,
    convention: str,
    scorer: Scorer | None,
) -> QuoteAttributor:
    """Rule-based quote attribution: cue lexicon over the dependency parse, quotation marks."""
    return _attributor(
        name,
        convention,
        cues=cues,
        marks=marks,
        phrases=phrases,
        speaker_nouns=speaker_nouns,
        lexicon=lexicon,
        threshold=threshold,
        min_count=min_count,
        scorer=scorer,
    )


@Language.factory(
    QUOTES_HYBRID,
    requires=["token.dep", "token.head", "token.lemma", "doc.ents"],
    assigns=["doc.spans"],
    default_config={**_SETTINGS, "model": None},
    default_score_weights=STAGE.default_score_weights,
)
def make_hybrid_quote_attributor(
    nlp: Language,
    name: str,
    cues: str | None,
    marks: str | None,
    phrases: str | None,
    speaker_nouns: str | None,
    lexicon: str | None,
    model: str | None,
    convention: str,
    scorer: Scorer | None,
) -> QuoteAttributor:
    """Quote attribution with a trained linear classifier judging the parse's candidates."""
    return _attributor(
        name,
        convention,
        cues=cues,
        marks=marks,
        phrases=phrases,
        speaker_nouns=speaker_nouns,
        lexicon=lexicon,
        model=model,
        use_model=True,
        scorer=scorer,
    )


def _attributor(
    name: str, convention: str, scorer: Scorer | None, **settings: Any
) -> QuoteAttributor:
    """A QuoteAttributor with the span settings of a content ``convention``."""
    register_extensions()
    spans: dict[str, Any] = dict(convention_settings(convention))
    attributor = QuoteAttributor(name, **settings, **spans)
    attributor.scorer = scorer
    return attributor


__all__ = [
    "Quote",
    "QuoteAttributor",
    "Span",
    "make_hybrid_quote_attributor",
    "make_quote_attributor",
]
