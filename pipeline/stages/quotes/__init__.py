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
from newspipe.pipeline.stages.quotes.judge import (
    POSITIVE_CLASSES,
    DocContext,
    LinearModel,
    Vocabulary,
    cached_model,
    marks_features,
    parse_features,
)
from newspipe.pipeline.stages.quotes.lexicons import (
    RESOURCES,
    CueLexicon,
    QuoteMarks,
    SpeakerNouns,
    cached_cue_lexicon,
    cached_word_list,
    read_cue_classes,
    read_quote_marks,
    read_quote_nouns,
    read_speaker_nouns,
)
from newspipe.pipeline.stages.quotes.marks import (
    Marked,
    credit_of,
    find_marked,
    join_continued,
    join_interrupted,
)
from newspipe.pipeline.stages.quotes.speakers import SpeakerResolver, noun_phrase, speaker_of

STAGE = stage("quotes")
DEFAULT_CUES = RESOURCES / "cue_verbs.txt"
DEFAULT_MARKS = RESOURCES / "quote_marks.json"
DEFAULT_PHRASES = RESOURCES / "cue_phrases.txt"
DEFAULT_SPEAKER_NOUNS = RESOURCES / "speaker_nouns.json"
DEFAULT_LEXICON = RESOURCES / "cue_lexicon.tsv"
DEFAULT_MODEL = RESOURCES / "quote_model.json"
DEFAULT_JUDGE = RESOURCES / "quote_judge.json"
DEFAULT_CLASSES = RESOURCES / "cue_classes.tsv"
DEFAULT_QUOTE_NOUNS = RESOURCES / "quote_nouns.json"
CLAUSAL = frozenset({"ccomp", "inside:parataxis", "inside:advcl", "inside:ccomp", "according"})


@dataclass
class Quote:
    """One attribution, in token offsets of its document (end exclusive)."""

    content: tuple[int, int]
    cue: tuple[int, int] | None
    speaker: tuple[int, int] | None
    speaker_name: str | None
    type: str
    source: str = ""
    confidence: float = 0.0


@dataclass
class _Draft:
    content: tuple[int, int]
    cand: Candidate | None
    kind: str
    source: str = ""
    confidence: float = 0.0
    credit: tuple[int, int] | None = None  # a speaker given by punctuation: "“…” – Ola Berg"


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


DASHES = frozenset({"—", "–", "-", "--"})


def _without_dateline(doc: Doc, content: tuple[int, int]) -> tuple[int, int]:
    """A content that starts with the story's dateline ("HALDEN, Norway (NTB) — The port …"),
    where the sentence stage left it in the first sentence: the dateline is never content."""
    start, end = content
    if not doc[start].text.isupper() or len(doc[start].text) < 2 or not doc[start].is_alpha:
        return content
    for i in range(start + 1, min(end, start + 10)):
        token = doc[i]
        if token.text in DASHES:
            after = i + 1
            while after < end and doc[after].is_space:
                after += 1
            return (after, end) if after < end else content
        if not (token.is_punct or token.is_title or token.text.isupper() or token.is_space):
            return content
    return content


def _antecedent(doc: Doc, speaker: tuple[int, int]) -> tuple[int, int]:
    """The noun phrase a relative pronoun as speaker stands for ("the magazine, which
    attacked …" → "the magazine"), as the newsroom convention writes the mention."""
    root = doc[speaker[0] : speaker[1]].root
    if speaker[1] - speaker[0] != 1 or root.lower_ not in ("who", "which", "that"):
        return speaker
    clause = root.head
    if clause.dep_ not in ("relcl", "acl") or clause.head.pos_ not in ("NOUN", "PROPN"):
        return speaker
    mention = noun_phrase(doc, clause.head, avoid=clause)
    return (mention.start, mention.end)


def _inside(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether range ``a`` lies within range ``b``."""
    return b[0] <= a[0] and a[1] <= b[1]


def _same(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two ranges overlap over at least half of each."""
    o = _overlap(a, b)
    return o > 0 and 2 * o >= a[1] - a[0] and 2 * o >= b[1] - b[0]


class QuoteAttributor(BatchComponent, DataFiles):
    """Finds direct, indirect and mixed quotes with their cues, speakers, source and confidence.

    The data files (cue verbs, quotation marks, cue phrases, speaker nouns, the cue lexicon, the
    cue classes, the quote nouns and, for the hybrid backend, the judge) are paths, or None for
    the packaged ones; the packaged judge is the one trained for the ``convention``. With a
    judge, a quote is kept when its confidence is at least ``min_confidence`` (None: the
    judge's own threshold, chosen in training); without one (the rules backend), when the cue
    lexicon's share is at least ``threshold``.
    """

    data_attributes = frozenset(
        {"cue_lemmas", "marks", "phrases", "person_nouns", "group_nouns", "lexicon", "judge_model"}
        | {"threshold", "vocab", "speaker_nouns", "publications"}
    )
    cue_lemmas: frozenset[str]
    marks: QuoteMarks
    phrases: frozenset[str]
    person_nouns: frozenset[str]
    group_nouns: frozenset[str]
    lexicon: CueLexicon
    judge_model: LinearModel | None
    threshold: float
    vocab: Vocabulary
    speaker_nouns: SpeakerNouns
    publications: frozenset[str]

    def __init__(
        self,
        name: str,
        *,
        cues: str | Path | None = None,
        marks: str | Path | None = None,
        phrases: str | Path | None = None,
        speaker_nouns: str | Path | None = None,
        lexicon: str | Path | None = None,
        classes: str | Path | None = None,
        quote_nouns: str | Path | None = None,
        model: str | Path | None = None,
        use_model: bool = False,
        threshold: float = 0.5,
        min_confidence: float | None = None,
        min_count: int = 3,
        speech_only: bool = False,
        include_complementizer: bool = False,
        include_marks: bool = False,
        join_interrupted: bool = False,
        join_paragraphs: bool = True,
        speaker_appositions: bool = False,
        default_model: str | Path = DEFAULT_JUDGE,
    ) -> None:
        self.name = name
        self.paths = {
            "cue_verbs.txt": cues or DEFAULT_CUES,
            "quote_marks.json": marks or DEFAULT_MARKS,
            "cue_phrases.txt": phrases or DEFAULT_PHRASES,
            "speaker_nouns.json": speaker_nouns or DEFAULT_SPEAKER_NOUNS,
            "cue_lexicon.tsv": lexicon or DEFAULT_LEXICON,
            "cue_classes.tsv": classes or DEFAULT_CLASSES,
            "quote_nouns.json": quote_nouns or DEFAULT_QUOTE_NOUNS,
        }
        if model or use_model:
            self.paths["quote_model.json"] = model or default_model
        self.threshold_setting = threshold
        self.min_confidence = min_confidence
        self.min_count = min_count
        self.speech_only = speech_only
        self.include_complementizer = include_complementizer
        self.include_marks = include_marks
        self.join_interrupted = join_interrupted
        self.join_paragraphs = join_paragraphs
        self.speaker_appositions = speaker_appositions
        self._quoted: bytearray | None = None  # the document's quoted tokens, while it is read
        self.max_spill = 2  # content words outside the marks that still make a quote direct

    def data_sources(self) -> dict[str, Path]:
        return {name: Path(path) for name, path in self.paths.items()}

    def read_data(self, files: Mapping[str, Path]) -> None:
        self.cue_lemmas = cached_word_list(str(files["cue_verbs.txt"]))
        self.marks = read_quote_marks(files["quote_marks.json"])
        self.phrases = cached_word_list(str(files["cue_phrases.txt"]))
        nouns = read_speaker_nouns(files["speaker_nouns.json"])
        self.speaker_nouns = nouns
        self.person_nouns, self.group_nouns = nouns.person, nouns.group
        self.lexicon = cached_cue_lexicon(str(files["cue_lexicon.tsv"]))
        kinds = read_quote_nouns(files["quote_nouns.json"])
        self.publications = kinds.publication
        self.vocab = Vocabulary(
            read_cue_classes(files["cue_classes.tsv"]),
            nouns.person,
            nouns.group,
            kinds.document,
            kinds.evidence,
            kinds.title,
        )
        model = files.get("quote_model.json")
        self.judge_model = cached_model(str(model)) if model is not None else None
        if self.min_confidence is not None:
            self.threshold = self.min_confidence
        elif self.judge_model is None:
            self.threshold = self.threshold_setting
        else:
            self.threshold = self.judge_model.threshold

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
                span._.quote_source = quote.source
                span._.confidence = quote.confidence
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

    def context(self, doc: Doc, marked: list[Marked]) -> DocContext:
        """What the judge needs to know about the whole document."""
        self.ensure_data()
        return DocContext.build(doc, marked, self.vocab)

    def scored_candidates(
        self, doc: Doc, marked: list[Marked], ctx: DocContext | None = None
    ) -> list[Candidate]:
        """Every candidate of ``doc`` with its score, contents snapped to quotation marks."""
        ctx = ctx or self.context(doc, marked)
        cands = find_candidates(
            doc,
            self.phrases,
            keep_mark=self.include_complementizer,
            cue_lemmas=self.cue_lemmas,
            keep_apposition=self.speaker_appositions,
        )
        overlapping = _overlap_index(marked)
        for cand in cands:
            cand.content = _without_dateline(doc, cand.content)
            cand.marked = self._snap(doc, cand, overlapping(cand.content))
            cand.score = 0.0 if self.excluded(ctx, cand) else self.judge(ctx, cand)
        return cands

    def excluded(self, ctx: DocContext, cand: Candidate) -> bool:
        """Whether the newsroom convention rules a parse candidate out whatever the judge
        says: a cue in the headline, a negated cue (nothing was said), or an agentless passive
        with no source in the text ("It was announced that …", "She was told to leave")."""
        if not self.speech_only:
            return False
        cue = ctx.doc[cand.cue_token]
        if ctx.line_kind(cue.i) == "headline":
            return True
        if cue.pos_ in ("VERB", "AUX") and any(c.dep_ == "neg" for c in cue.children):
            return True
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in cue.children)
        return passive and cand.speaker is None

    def _snap(self, doc: Doc, cand: Candidate, marked: list[Marked]) -> str:
        """Snap a candidate's content to the quotation it mostly is; say how it relates to marks."""
        state = "none"
        for item in marked:
            outer = item.outer
            inside = item.in_quoted(cand.cue_token)
            spill = cand.content[1] - cand.content[0] - _overlap(cand.content, outer)
            if spill > self.max_spill and _overlap(cand.content, outer) > 0:
                # words outside the marks; punctuation and "((it))" markers do not count
                spill = sum(
                    1
                    for i in range(*cand.content)
                    if not outer[0] <= i < outer[1] and doc[i].is_alpha and doc[i].lower_ != "it"
                )
            if not inside and spill <= self.max_spill and _overlap(cand.content, outer) > 0:
                cand.original = cand.content
                cand.content = item.content(self.include_marks)
                return "direct"
            if _overlap(cand.content, outer):
                state = "mixed"
        return state

    def listed(self, doc: Doc, cand: Candidate | None) -> bool:
        """Whether a candidate's cue lemma is in the hand list of reporting verbs."""
        return cand is not None and doc[cand.cue_token].lemma_.lower() in self.cue_lemmas

    def judge(self, ctx: DocContext, cand: Candidate) -> float:
        """How likely a parse candidate is a quote (0–1): the judge's confidence, or without
        one the cue lexicon's share of attributions for this lemma and relation."""
        doc = ctx.doc
        if self.judge_model is not None:
            return self.judge_model.score(parse_features(ctx, cand, self.listed(doc, cand)))
        lemma = doc[cand.cue_token].lemma_.lower()
        if self.speech_only and self.vocab.cue_class(lemma) not in POSITIVE_CLASSES:
            return 0.0
        precision = self.lexicon.precision(lemma, cand.relation, self.min_count)
        if precision is not None:
            return precision
        if cand.relation in CLAUSAL and lemma in self.cue_lemmas:
            return max(self.threshold, 0.5)
        return 0.0

    def mark_candidate(
        self, doc: Doc, item: Marked, cands: list[Candidate]
    ) -> tuple[Candidate | None, str]:
        """The cue found for a quotation that no accepted candidate explains, and the rule
        that found it: ``marks:cue`` (a candidate whose content the quotation is),
        ``marks:near`` (the nearest reporting verb of its sentences), ``marks:colon`` (a
        reporting verb in the sentence before, which ends in a colon) or ``marks:none``."""
        if credit_of(doc, item) is not None:
            return None, "marks:credit"
        cue = self._cue_for(doc, item, cands, nested=False)
        if cue is None:
            return None, "marks:none"
        if cue.relation in ("near", "colon"):
            return cue, f"marks:{cue.relation}"
        return cue, "marks:cue"

    def judge_marks(
        self, ctx: DocContext, item: Marked, cands: list[Candidate]
    ) -> tuple[Candidate | None, str, float]:
        """A quotation's cue, source and confidence that it is a quote."""
        doc = ctx.doc
        cue, source = self.mark_candidate(doc, item, cands)
        if self.speech_only and ctx.line_kind(item.outer[0]) == "headline":
            return cue, source, 0.0  # nothing in a headline is a quote
        if self.judge_model is not None:
            credit = source == "marks:credit"
            feats = marks_features(ctx, item, cue, source, self.listed(doc, cue), credit)
            return cue, source, self.judge_model.score(feats)
        if source == "marks:credit":
            return None, source, 1.0
        if cue is None and item.inner[1] - item.inner[0] < self.marks.min_direct_tokens:
            return None, source, 0.0  # a scare quote or a title, not speech
        return cue, source, 1.0

    def speaks(self, doc: Doc, i: int) -> bool:
        """Whether token ``i`` is a cue of speech or writing (its lemma's class)."""
        return self.vocab.cue_class(doc[i].lemma_.lower()) in POSITIVE_CLASSES

    def judge_nested(self, ctx: DocContext, item: Marked, cue: Candidate) -> float:
        """Confidence of a quotation nested in reported speech, with its own cue (under the
        newsroom convention a cue of speech or writing before the quotation: a fragment in
        someone's reported words is not a quote of its own)."""
        if self.speech_only and (
            not self.speaks(ctx.doc, cue.cue_token) or cue.cue_token > item.outer[0]
        ):
            return 0.0
        if self.judge_model is not None:
            feats = marks_features(ctx, item, cue, "marks:nested", self.listed(ctx.doc, cue))
            return self.judge_model.score(feats)
        listed = self.listed(ctx.doc, cue)
        return 1.0 if cue.score >= self.threshold / 2 or listed else 0.0

    def find_quotes(self, doc: Doc) -> list[Quote]:
        """All quotes of ``doc``, in document order."""
        marked = self.marked_spans(doc)
        ctx = self.context(doc, marked)
        self._quoted = ctx.quoted
        cands = self.scored_candidates(doc, marked, ctx)
        accepted = self._select(cands)
        drafts = self._with_marks(ctx, accepted, cands, marked)
        return self._resolve(ctx, drafts, marked)

    def _select(self, cands: list[Candidate]) -> list[Candidate]:
        """Candidates above the threshold, best first, one per content, and one per cue unless
        the same cue introduces a reported clause and a quotation beside it ("said the talks
        failed, “We will strike.”")."""
        chosen: list[Candidate] = []
        by_cue: dict[int, list[Candidate]] = {}
        for cand in sorted(cands, key=lambda c: -c.score):
            if cand.score < self.threshold:
                break
            if any(_same(cand.content, other.content) for other in chosen):
                continue
            same_cue = by_cue.get(cand.cue_token, [])
            if same_cue and not all(
                _overlap(cand.content, other.content) == 0
                and (cand.marked == "direct") != (other.marked == "direct")
                for other in same_cue
            ):
                continue
            chosen.append(cand)
            by_cue.setdefault(cand.cue_token, []).append(cand)
        # "According to the Herald, Berg said …": the outlet relays Berg's statement; the
        # quote is Berg's, not a second one of the same words
        cues = [c.cue_token for c in chosen]
        return [
            c
            for c in chosen
            if c.relation != "according"
            or not any(c.content[0] <= i < c.content[1] and i != c.cue_token for i in cues)
        ]

    def _with_marks(
        self,
        ctx: DocContext,
        accepted: list[Candidate],
        cands: list[Candidate],
        marked: list[Marked],
    ) -> list[_Draft]:
        doc = ctx.doc
        drafts = [
            _Draft(c.content, c, "indirect", f"parse:{c.relation}", c.score) for c in accepted
        ]
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
                if inner_cue is None:
                    continue
                # a quotation with a cue of its own inside a reported clause ("He outlined
                # plans … what he calls “red tape”"): a nested quote, judged as a quotation
                confidence = self.judge_nested(ctx, item, inner_cue)
                if confidence >= self.threshold:
                    drafts.append(_Draft(outer, inner_cue, "direct", "marks:nested", confidence))
                continue
            if any(_overlap(d.content, full) for d in drafts if d.kind == "direct"):
                continue
            cue, source, confidence = self.judge_marks(ctx, item, cands)
            if confidence < self.threshold:
                continue  # a title, a name, a scare quote: not speech
            credit = credit_of(doc, item) if source == "marks:credit" else None
            drafts.append(_Draft(outer, cue, "direct", source, confidence, credit))
        drafts = self._split_coordinated(doc, drafts, marked)
        for d in drafts:
            # mixed: a quotation (or part of one) inside reported speech; reported speech that
            # lies inside someone's quotation keeps its own type (indirect)
            if d.kind == "indirect" and any(
                _overlap(d.content, m.outer) and not _inside(d.content, m.outer)
                for m in marked
                if d.content != m.content(True)
            ):
                d.kind = "mixed"
        drafts.sort(key=lambda d: d.content)
        return drafts

    def _split_coordinated(
        self, doc: Doc, drafts: list[_Draft], marked: list[Marked]
    ) -> list[_Draft]:
        """ "called it “dangerous” and “ideological”": a reported content that is only
        quotations joined by "and", "or" or commas is a direct quote per quotation, each with
        the cue and speaker."""
        out: list[_Draft] = []
        for d in drafts:
            items = [
                m for m in marked if _inside(m.outer, d.content) or _inside(d.content, m.outer)
            ]
            inner = [m for m in items if _inside(m.outer, d.content)]
            if d.cand is None or len(inner) < 2:
                out.append(d)
                continue
            quoted = {i for m in inner for i in range(m.outer[0], m.outer[1])}
            rest = [t for t in doc[d.content[0] : d.content[1]] if t.i not in quoted]
            glue = all(t.is_punct or t.is_space or t.lower_ in ("and", "or", "it") for t in rest)
            if not glue:
                out.append(d)
                continue
            for m in inner:
                out.append(
                    _Draft(m.content(self.include_marks), d.cand, "direct", d.source, d.confidence)
                )
        return out

    def _cue_for(
        self, doc: Doc, item: Marked, cands: list[Candidate], nested: bool
    ) -> Candidate | None:
        """The candidate that best explains a quotation: one whose content it mostly is, else a
        listed reporting verb in the same sentences, nearest to the marks."""
        outer = item.outer
        best: Candidate | None = None
        own = item.content(self.include_marks)
        quoted = self._quoted
        for cand in cands:
            fits = cand.content == own or (not nested and _same(cand.content, outer))
            if not fits or item.in_quoted(cand.cue_token):
                continue
            if not nested and quoted is not None and quoted[cand.cue_token]:
                continue  # a verb inside another quotation does not introduce this one
            if self.speech_only and not self.speaks(doc, cand.cue_token):
                continue  # "We have to “finish the bridge,”" Berg said: "have" does not say
            if best is None or cand.score > best.score:
                best = cand
        if best is None and not nested:
            # "called it “dangerous” and “ideological”": a quotation coordinated with one the
            # same cue introduces (only "and", "or", commas or "((it))" markers between them)
            for cand in cands:
                original = cand.original
                if original is None or cand.score < self.threshold:
                    continue
                glue = doc[original[1] : outer[0]] if original[1] <= outer[0] else None
                joined = _inside(outer, original) or (
                    glue is not None
                    and len(glue) <= 8
                    and all(
                        t.is_punct or t.is_space or t.lower_ in ("and", "or", "it") for t in glue
                    )
                    and any(t.lower_ in ("and", "or", ",") for t in glue)
                )
                if joined:
                    return Candidate(
                        item.content(self.include_marks),
                        cand.cue,
                        cand.cue_token,
                        cand.relation,
                        cand.speaker,
                        cand.speaker_token,
                        cand.score,
                        "direct",
                    )
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
            if quoted is not None and quoted[token.i]:
                continue  # words of another quotation
            if token.lemma_.lower() not in self.cue_lemmas:
                continue
            if self.speech_only and not self.speaks(doc, token.i):
                continue  # "think", "hope", "fear": not speech under the newsroom convention
            dist = min(abs(token.i - outer[0]), abs(token.i - outer[1]))
            if nearest is None or dist < nearest[0]:
                nearest = (dist, token)
        relation = "near"
        if nearest is None:
            nearest = self._introduced(doc, outer[0])
            relation = "colon"
        if nearest is None:
            return None
        token = nearest[1]
        speaker = speaker_of(token, keep_apposition=self.speaker_appositions)
        spk = (speaker.start, speaker.end) if speaker is not None and len(speaker) else None
        head = speaker.root.i if speaker is not None and len(speaker) else None
        return Candidate(outer, cue_span(token), token.i, relation, spk, head)

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
            if t.pos_ in ("VERB", "AUX")
            and t.i < before
            and (
                t.lemma_.lower() in self.cue_lemmas
                or self.vocab.cue_class(t.lemma_.lower()) in ("speech", "writing", "naming")
            )
        ]
        return (0, verbs[-1]) if verbs else None

    def _resolve(self, ctx: DocContext, drafts: list[_Draft], marked: list[Marked]) -> list[Quote]:
        doc = ctx.doc
        nouns = self.speaker_nouns
        resolver = SpeakerResolver(
            doc,
            nouns.person,
            nouns.group,
            nouns.titles,
            nouns.male,
            nouns.female,
            self.vocab.document_nouns,
            ctx.quoted,
            self.publications,
        )
        quotes: list[Quote] = []
        previous: Quote | None = None
        for d in drafts:
            cand = d.cand
            if d.credit is not None:
                mention = doc[d.credit[0] : d.credit[1]]
                name, kind = resolver.resolve(mention)
                if name is not None and kind:
                    resolver.note(d.credit[0], kind, name)
                quote = Quote(d.content, None, d.credit, name, d.kind, d.source, d.confidence)
            elif cand is None:
                # a quotation with no cue: the previous speaker goes on talking
                close = previous is not None and d.content[0] - previous.content[1] <= 120
                if previous is not None and close:
                    # the continued quote's cue and speaker (gold/GUIDELINES.md, continuation)
                    quote = Quote(
                        d.content,
                        previous.cue,
                        previous.speaker,
                        previous.speaker_name,
                        d.kind,
                        "marks:continuation",
                        d.confidence,
                    )
                else:
                    quote = Quote(d.content, None, None, None, d.kind, d.source, d.confidence)
            else:
                speaker = cand.speaker
                if (
                    speaker is not None
                    and ctx.quoted[speaker[0]]
                    and not ctx.quoted[cand.cue_token]
                ):
                    speaker = None  # words inside quotation marks are not their own source
                name = None
                if speaker is not None and not self.speaker_appositions:
                    speaker = _antecedent(doc, speaker)
                if speaker is not None:
                    mention = doc[speaker[0] : speaker[1]]
                    name, kind = resolver.resolve(mention)
                    if name is not None and kind:
                        plural = mention.root.tag_ in ("NNS", "NNPS") or any(
                            t.dep_ == "cc" for t in mention
                        )
                        unnamed = not mention.root.ent_type_ and mention.root.pos_ == "NOUN"
                        head = mention.root.lemma_.lower() if unnamed else ""
                        resolver.note(speaker[0], kind, name, plural, head)
                quote = Quote(d.content, cand.cue, speaker, name, d.kind, d.source, d.confidence)
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
    "classes": None,
    "quote_nouns": None,
    "convention": "newspipe",
    "scorer": STAGE.scorer_config,
}

CONVENTIONS: dict[str, dict[str, bool]] = {
    # gold/GUIDELINES.md: content without "that" and without the quotation marks; a quote
    # interrupted by its attribution is two quotes; speech and writing acts only.
    "newspipe": {
        "include_complementizer": False,
        "include_marks": False,
        "join_interrupted": False,
        "join_paragraphs": True,
        "speech_only": True,
        "speaker_appositions": False,
    },
    # PolNeAR (PARC): "that" and the marks are part of the content, and "“A,” she said,
    # “B.”" is one attribution whose content runs from A to B; beliefs, perceptions and
    # intentions are attributions too.
    "polnear": {
        "include_complementizer": True,
        "include_marks": True,
        "join_interrupted": True,
        "join_paragraphs": True,
        "speech_only": False,
        "speaker_appositions": True,
    },
}

CONVENTION_MODELS: dict[str, Path] = {"newspipe": DEFAULT_JUDGE, "polnear": DEFAULT_MODEL}
"""The packaged judge of each convention: trained for the newsroom convention on the gold set
and PolNeAR's speech and writing attributions, and for PARC on all of PolNeAR train."""


def convention_settings(convention: str) -> dict[str, Any]:
    """The content-span settings of a named convention."""
    if convention not in CONVENTIONS:
        known = ", ".join(sorted(CONVENTIONS))
        raise PipelineError(f"unknown quote convention '{convention}' (known: {known})")
    return CONVENTIONS[convention]


@Language.factory(
    QUOTES_RULES,
    requires=["token.dep", "token.head", "token.lemma", "doc.ents"],
    assigns=["doc.spans"],
    default_config={**_SETTINGS, "threshold": 0.5, "min_count": 3, "min_confidence": None},
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
    classes: str | None,
    quote_nouns: str | None,
    threshold: float,
    min_count: int,
    min_confidence: float | None,
    convention: str,
    scorer: Scorer | None,
) -> QuoteAttributor:
    """Rule-based quote attribution: cue lexicon over the dependency parse, quotation marks.
    Under the newsroom convention only cues of speech and writing count. A quote's confidence
    is the lexicon's share of attributions for its cue lemma and relation (not calibrated);
    ``min_confidence``, when set, replaces ``threshold``."""
    _check_confidence(min_confidence)
    return _attributor(
        name,
        convention,
        cues=cues,
        marks=marks,
        phrases=phrases,
        speaker_nouns=speaker_nouns,
        lexicon=lexicon,
        classes=classes,
        quote_nouns=quote_nouns,
        threshold=threshold,
        min_count=min_count,
        min_confidence=min_confidence,
        scorer=scorer,
    )


@Language.factory(
    QUOTES_HYBRID,
    requires=["token.dep", "token.head", "token.lemma", "doc.ents"],
    assigns=["doc.spans"],
    default_config={**_SETTINGS, "model": None, "min_confidence": None},
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
    classes: str | None,
    quote_nouns: str | None,
    model: str | None,
    min_confidence: float | None,
    convention: str,
    scorer: Scorer | None,
) -> QuoteAttributor:
    """Quote attribution with a trained judge (a linear model) over the candidates of the parse
    and of quotation marks; ``model`` None is the packaged judge of the convention."""
    _check_confidence(min_confidence)
    return _attributor(
        name,
        convention,
        cues=cues,
        marks=marks,
        phrases=phrases,
        speaker_nouns=speaker_nouns,
        lexicon=lexicon,
        classes=classes,
        quote_nouns=quote_nouns,
        model=model,
        use_model=True,
        min_confidence=min_confidence,
        default_model=CONVENTION_MODELS.get(convention, DEFAULT_JUDGE),
        scorer=scorer,
    )


def _check_confidence(min_confidence: float | None) -> None:
    if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
        raise PipelineError(f"min_confidence must be between 0 and 1, not {min_confidence}")


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
    "CONVENTIONS",
    "Quote",
    "QuoteAttributor",
    "Span",
    "convention_settings",
    "make_hybrid_quote_attributor",
    "make_quote_attributor",
]
