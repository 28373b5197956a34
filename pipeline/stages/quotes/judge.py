"""The judge of the quote stage: what a candidate looks like, as features, and the linear model
that turns them into a probability.

Candidates come in two kinds. A *parse* candidate is a cue word with the content it introduces
(:mod:`.candidates`); a *marks* candidate is a stretch of text in quotation
marks that no accepted parse candidate explains, with the cue found for it, if any. The judge
sees, for both:

- the cue: its lemma, the class of act the lemma names (``cue_classes.tsv``: speech, writing,
  evidence, cognition, intention, support, topic, naming, action), its frame (the relation to
  the content, the preposition, passive without an agent, a modal or a negation), whether it
  stands inside someone's quotation marks or in the headline;
- the speaker: its kind (a person's or an organisation's name, a pronoun, a role noun, a
  document, a piece of evidence such as a study or figures, none);
- the content: its length, shape (clause, infinitive, noun phrase, question) and how it relates
  to quotation marks;
- for quotation marks: the words inside (length, a sentence with final punctuation or a title
  in capitals), what stands before the opening mark (a colon, a naming word such as *named* or
  *website*), what follows the closing one (a dash and a name), whether the quotation fills its
  line, and the position of the line (headline, first line, a line that is only a title).

Features are strings; the model is a logistic regression stored as JSON (feature → weight), so
nothing in it can run code on load and scoring needs no scikit-learn.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy
from spacy.attrs import IS_SPACE, ORTH
from spacy.tokens import Doc, Token

from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.stages.quotes.candidates import Candidate
from newspipe.pipeline.stages.quotes.marks import Marked

PRONOUNS = {
    "he": "pron:person", "she": "pron:person", "i": "pron:person", "him": "pron:person",
    "her": "pron:person", "we": "pron:group", "they": "pron:group", "it": "pron:it",
    "you": "pron:you", "who": "pron:rel", "which": "pron:rel", "that": "pron:rel",
}  # fmt: skip
POSITIVE_CLASSES = frozenset({"speech", "writing", "source"})
"""Cue classes of speech and writing acts: what the newsroom convention counts as a quote."""
MODALS = frozenset({"will", "would", "may", "might", "could", "should", "must", "can", "shall"})
WH_WORDS = frozenset({"what", "why", "how", "whether", "when", "where", "who", "which", "if"})
FINAL = frozenset({".", "?", "!", "…", "...", ",", ";", ":"})
DASHES = frozenset({"-", "–", "—", "--"})
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _bucket(n: int) -> str:
    for limit in (1, 2, 3, 5, 8, 16, 32):
        if n <= limit:
            return str(limit)
    return "many"


@dataclass(frozen=True)
class Vocabulary:
    """The word lists the features read: cue classes and the kinds of speaker nouns."""

    cue_classes: dict[str, str]
    person_nouns: frozenset[str]
    group_nouns: frozenset[str]
    document_nouns: frozenset[str]
    evidence_nouns: frozenset[str]
    title_nouns: frozenset[str]

    def cue_class(self, lemma: str) -> str:
        return self.cue_classes.get(lemma, "unknown")


@dataclass
class DocContext:
    """What the features need to know about a whole document, computed once per document."""

    doc: Doc
    vocab: Vocabulary
    quoted: bytearray = field(default_factory=bytearray)
    line_of: list[int] = field(default_factory=list)
    lines: list[tuple[int, int]] = field(default_factory=list)
    headline: bool = False
    mark_ends: list[int] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # per line: headline, short or text
    cue_cache: dict[int, tuple[str, str, list[str]]] = field(default_factory=dict)

    @classmethod
    def build(cls, doc: Doc, marked: Sequence[Marked], vocab: Vocabulary) -> DocContext:
        ctx = cls(doc, vocab)
        ctx.quoted = bytearray(len(doc))
        for item in marked:
            for start, end in item.quoted:
                ctx.quoted[start:end] = b"\x01" * (end - start)
        ctx.mark_ends = sorted(item.outer[1] for item in marked)
        strings = doc.vocab.strings
        columns = doc.to_array([ORTH, IS_SPACE]).reshape(len(doc), 2)
        texts = [strings[orth] for orth in columns[:, 0].tolist()]
        # A line ends with a token holding a line break (a token's trailing whitespace is one
        # space or none).
        ends = [i + 1 for i, text in enumerate(texts) if "\n" in text]
        if not ends or ends[-1] < len(doc):
            ends.append(len(doc))
        lines = list(zip([0, *ends[:-1]], ends, strict=True)) if len(doc) else []
        line_of = [0] * len(doc)
        for n, (start, end) in enumerate(lines):
            line_of[start:end] = [n] * (end - start)
        ctx.line_of, ctx.lines = line_of, lines
        words = numpy.flatnonzero(columns[:, 1] == 0).tolist()  # the tokens that are not space
        for n, (start, end) in enumerate(lines):
            first, stop = bisect_left(words, start), bisect_left(words, end)
            count = stop - first
            last = texts[words[stop - 1]] if count else ""
            if n == 0 and count and last not in (".", "!", "”", '"', "’"):
                ctx.headline = True
                ctx.kinds.append("headline")
            elif count and count <= 12 and last not in (".", "!", "?", "”", '"'):
                ctx.kinds.append("short")
            else:
                ctx.kinds.append("text")
        return ctx

    def line_kind(self, i: int) -> str:
        """Where token ``i``'s line stands: the headline (a first line without final
        punctuation), a short line without final punctuation (a title, caption, heading or
        source entry), or an ordinary line."""
        return self.kinds[self.line_of[i]]

    def speech_before(self, i: int) -> bool:
        """Whether a verb of speech or writing stands before token ``i`` in its sentence or in
        the sentence before (outside quotation marks): a quotation there is likely someone's
        words, also when nothing attributes it by itself."""
        doc = self.doc
        sent = doc[i].sent
        first = doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
        for token in doc[first:i]:
            if self.quoted[token.i] or token.pos_ not in ("VERB", "AUX"):
                continue
            if self.vocab.cue_class(token.lemma_.lower()) in ("speech", "writing"):
                return True
        return False

    def after_quote(self, i: int) -> bool:
        """Whether a quotation closed shortly before token ``i`` (within 40 tokens)."""
        k = bisect_left(self.mark_ends, i + 1) - 1
        return k >= 0 and i - self.mark_ends[k] <= 40


def _words(doc: Doc, start: int, end: int) -> list[Token]:
    return [t for t in doc[start:end] if not t.is_space]


def speaker_kind(doc: Doc, token: int | None, vocab: Vocabulary) -> str:
    """What kind of source the head of a speaker mention is."""
    if token is None:
        return "none"
    head = doc[token]
    lower = head.lower_
    if head.pos_ == "PRON" or lower in PRONOUNS:
        return PRONOUNS.get(lower, "pron:other")
    if head.ent_type_:
        return head.ent_type_ if head.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") else "ent"
    lemma = head.lemma_.lower()
    if lemma in vocab.evidence_nouns:
        return "evidence"
    if lemma in vocab.document_nouns:
        return "document"
    if lemma in vocab.person_nouns:
        return "person-noun"
    if lemma in vocab.group_nouns:
        return "group-noun"
    if head.pos_ == "PROPN":
        return "propn"
    return "noun"


def _content_shape(doc: Doc, start: int, end: int) -> str:
    """clause, infinitive, noun phrase (np), gerund or question (wh); a leading "that" or
    quotation mark (part of the content under PARC's convention) is skipped."""
    while start < end - 1 and (doc[start].is_quote or doc[start].lower_ == "that"):
        start += 1
    first = doc[start]
    if first.lower_ in WH_WORDS:
        return "wh"
    if first.lower_ == "to" and end - start > 1 and doc[start + 1].tag_ == "VB":
        return "infinitive"
    root = doc[start:end].root
    if any(t.tag_ in FINITE_TAGS for t in doc[start : min(end, start + 16)]):
        return "clause"
    if root.tag_ == "VBG":
        return "gerund"
    return "np"


def _cue_features(ctx: DocContext, cue: Token, vocab: Vocabulary) -> tuple[str, str, list[str]]:
    """Features of a cue word shared by both kinds of candidate; returns (lemma, class, feats)
    (computed once per cue word of the document)."""
    cached = ctx.cue_cache.get(cue.i)
    if cached is None:
        cached = ctx.cue_cache[cue.i] = _cue_word_features(ctx, cue, vocab)
    lemma, cls, feats = cached
    return lemma, cls, list(feats)


def _cue_word_features(
    ctx: DocContext, cue: Token, vocab: Vocabulary
) -> tuple[str, str, list[str]]:
    lemma = "<name>" if cue.pos_ == "PROPN" or cue.ent_type_ else cue.lemma_.lower()
    cls = vocab.cue_class(lemma)
    children = list(cue.children)
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in children)
    agent = any(c.dep_ == "agent" for c in children)
    modal = any(c.dep_ == "aux" and c.lower_ in MODALS for c in children)
    negated = any(c.dep_ == "neg" for c in children)
    feats = [
        f"lemma={lemma}",
        f"cls={cls}",
        f"tag={cue.tag_}",
        f"dep={cue.dep_}",
        f"cls|tag={cls}|{cue.tag_}",
        f"cls|dep={cls}|{cue.dep_}",
    ]
    if passive:
        feats.append("passive" if agent else "passive-no-agent")
        feats.append(f"cls|passive={cls}|{agent}")
    if modal:
        feats += ["modal", f"cls|modal={cls}"]
    if negated:
        feats += ["neg", f"cls|neg={cls}"]
    if ctx.quoted[cue.i]:
        feats += ["cue-quoted", f"cls|cue-quoted={cls}"]
    line = ctx.line_kind(cue.i)
    feats += [f"line={line}", f"cls|line={cls}|{line}"]
    return lemma, cls, feats


def parse_features(ctx: DocContext, cand: Candidate, listed: bool) -> list[str]:
    """Features of a candidate read off the parse (a cue introducing content)."""
    doc, vocab = ctx.doc, ctx.vocab
    cue = doc[cand.cue_token]
    lemma, cls, feats = _cue_features(ctx, cue, vocab)
    rel = cand.relation
    relg = rel.split(":")[0] if rel.startswith(("prep", "inside")) else rel
    if rel == "colon":
        relg = "ccomp"  # the statement after "denied the allegations:" is reported speech
    start, end = cand.content
    content = doc[start:end]
    root = content.root
    shape = _content_shape(doc, start, end)
    spk = speaker_kind(doc, cand.speaker_token, vocab)
    obj_cls = vocab.cue_class(root.lemma_.lower()) if relg in ("dobj", "prep") else "-"
    quoted_share = sum(ctx.quoted[start:end]) / max(1, end - start)
    qshare = "all" if quoted_share > 0.9 else "some" if quoted_share > 0 else "none"
    feats += [
        "bias",
        "kind=parse",
        f"rel={rel}",
        f"relg={relg}",
        f"lemma|rel={lemma}|{rel}",
        f"lemma|relg={lemma}|{relg}",
        f"cls|rel={cls}|{rel}",
        f"cls|relg={cls}|{relg}",
        f"rel|dep={rel}|{cue.dep_}",
        f"spk={spk}",
        f"cls|spk={cls}|{spk}",
        f"relg|spk={relg}|{spk}",
        f"lemma|spk={lemma}|{spk}",
        f"shape={shape}",
        f"cls|shape={cls}|{shape}",
        f"relg|shape={relg}|{shape}",
        f"len={_bucket(end - start)}",
        f"relg|len={relg}|{_bucket(end - start)}",
        f"root={root.pos_}",
        f"relg|root={relg}|{root.pos_}",
        f"objcls={obj_cls}",
        f"cls|objcls={cls}|{obj_cls}",
        f"marked={cand.marked}",
        f"relg|marked={relg}|{cand.marked}",
        f"quoted={qshare}",
        f"lex={listed}",
        f"relg|lex={relg}|{listed}",
        f"side={'right' if start > cand.cue_token else 'left'}|{relg}",
        f"sent_final={end >= content.sent.end - 1}",
    ]
    if rel.startswith("inside"):
        if any(c.dep_ == "mark" and c.lower_ == "as" for c in cue.children):
            feats += ["as-clause", f"cls|as-clause={cls}"]  # "As Berg told the radio, …"
        head = cue.head
        named = head.pos_ == "PROPN" or head.ent_type_
        feats.append(f"head={'<name>' if named else head.lemma_.lower()}")
    if root.ent_type_:
        feats.append(f"root_ent={root.ent_type_}")
    return feats


def marks_features(
    ctx: DocContext,
    item: Marked,
    cue: Candidate | None,
    source: str,
    listed: bool,
    credit: bool = False,
) -> list[str]:
    """Features of a quotation in marks that no accepted candidate explains, with the cue
    found for it (or None)."""
    doc, vocab = ctx.doc, ctx.vocab
    start, end = item.inner
    words = [t for t in doc[start:end] if not t.is_space]
    n = len(words)
    alpha = [t for t in words if t.is_alpha and not (t.is_stop and t.is_lower)]
    capitals = sum(1 for t in alpha if t.text[0].isupper())
    title = bool(alpha) and n <= 10 and capitals / len(alpha) >= 0.7
    last = words[-1].text if words else ""
    open_i = item.outer[0]
    before = open_i - 1
    while before >= 0 and doc[before].is_space:
        before -= 1
    prev = doc[before] if before >= 0 else None
    after = item.outer[1]
    while after < len(doc) and doc[after].is_space and "\n" not in doc[after].text:
        after += 1
    nxt = doc[after] if after < len(doc) else None
    line = ctx.line_of[open_i]
    line_start, line_end = ctx.lines[line]
    line_words = _words(doc, line_start, line_end)
    opens_line = bool(line_words) and line_words[0].i == open_i
    fills_line = opens_line and line_words[-1].i < item.outer[1] + 2
    feats = [
        "bias",
        "kind=marks",
        f"src={source}",
        f"qlen={_bucket(n)}",
        f"qfinal={last if last in FINAL else 'word'}",
        f"qtitle={title}",
        f"qtitle|qlen={title}|{_bucket(n)}",
        f"qlower={bool(words) and words[0].is_lower}",
        f"closed={item.closed}",
        f"parts={len(item.quoted)}",
        f"opens_line={opens_line}",
        f"fills_line={fills_line}",
        f"mline={ctx.line_kind(open_i)}",
        f"after_quote={ctx.after_quote(open_i)}",
    ]
    if prev is None:
        feats.append("prev=<start>")
    else:
        prev_kind = prev.text if prev.is_punct else prev.pos_
        feats.append(f"prev={prev_kind}")
        plemma = prev.lemma_.lower()
        if plemma in vocab.title_nouns:
            feats.append("prev=title-noun")
        pcls = vocab.cue_class(plemma)
        feats.append(f"prevcls={pcls}")
        if prev.is_punct and before >= 1:
            prev2 = doc[before - 1]
            feats.append(f"prev2cls={vocab.cue_class(prev2.lemma_.lower())}")
            if prev2.lemma_.lower() in vocab.title_nouns:
                feats.append("prev2=title-noun")
    window = [t for t in doc[max(0, open_i - 4) : open_i] if not t.is_space]
    if any(
        vocab.cue_class(t.lemma_.lower()) == "naming" or t.lemma_.lower() in vocab.title_nouns
        for t in window
    ) or any(t.lower_ in ("called", "titled", "entitled", "dubbed", "named") for t in window):
        feats += ["naming-before", f"naming-before|qtitle={title}"]
    if prev is not None and prev.pos_ == "ADP" and title:
        feats.append("adp-before-title")  # says on “The Countdown”, in “Blue Lines”
    speech_before = ctx.speech_before(open_i)
    feats.append(f"speech-before={speech_before}")
    opens_sentence = doc[open_i].is_sent_start or (
        prev is not None and prev.text in (".", "?", "!")
    )
    sentence = bool(words) and words[0].is_title and last in (".", "?", "!", "…", "...")
    if opens_sentence and sentence:
        feats.append(f"sentence|after_quote={ctx.after_quote(open_i)}|{speech_before}")
        if source == "marks:none" and ctx.after_quote(open_i) and speech_before:
            feats.append("continuation")  # "…,” Berg said. “We have no choice.”
    if credit:
        feats.append("credit")
    if nxt is None or "\n" in nxt.text:
        feats.append("next=<end>")
    else:
        feats.append(
            f"next={'dash' if nxt.text in DASHES else nxt.text if nxt.is_punct else nxt.pos_}"
        )
    if cue is not None:
        cue_tok = doc[cue.cue_token]
        _, cls, cue_feats = _cue_features(ctx, cue_tok, vocab)
        spk = speaker_kind(doc, cue.speaker_token, vocab)
        dist = min(abs(cue.cue_token - item.outer[0]), abs(cue.cue_token - item.outer[1]))
        feats += [f"m:{f}" for f in cue_feats]
        feats += [
            f"m:spk={spk}",
            f"m:cls|spk={cls}|{spk}",
            f"m:lex={listed}",
            f"m:dist={_bucket(dist)}",
            f"m:cls|qtitle={cls}|{title}",
            f"m:cls|qlen={cls}|{_bucket(n)}",
        ]
    return feats


@dataclass(frozen=True)
class LinearModel:
    """Weights of a logistic regression over binary features."""

    weights: dict[str, float]
    intercept: float
    threshold: float
    calibration: tuple[float, float] = (1.0, 0.0)  # Platt scaling of the decision value

    def score(self, features: Iterable[str]) -> float:
        """The probability that a candidate with ``features`` is a quote."""
        total = self.intercept + sum(self.weights.get(f, 0.0) for f in features)
        a, b = self.calibration
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, a * total + b))))


def read_model(path: str | Path) -> LinearModel:
    """Read a model saved by training (JSON)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        calibration = data.get("calibration", [1.0, 0.0])
        return LinearModel(
            weights={str(k): float(v) for k, v in data["weights"].items()},
            intercept=float(data["intercept"]),
            threshold=float(data["threshold"]),
            calibration=(float(calibration[0]), float(calibration[1])),
        )
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise PipelineError(f"{path}: not a quote model ({err})") from None


@lru_cache(maxsize=4)
def cached_model(path: str) -> LinearModel:
    """:func:`read_model`, read once per path."""
    return read_model(path)
