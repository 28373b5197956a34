"""The target-aware rule backend of the stance stage (``newspipe_stance_rules_v1``).

For each quote and each of the document's targets the rules ask, in order:

1. **What kind of target is it?** The target is read once (:mod:`.target`) with the model's own
   components: a *topic* (a noun or verbal phrase: *gun control*, *restoring funding for
   rural hospitals*) takes the speaker's evaluation of it; a *claim* (a clause: *X is a serious
   concern*, *A bought B*) takes agreement with it.
2. **Is the quote about the target?** Its words, head noun, action, names, acronyms, stems,
   synonyms and hypernyms (and vectors, with a model that has them), anaphors that point back
   to it, or the speaker being the target; a target that names two or more parties is also met
   by *both nations* or *each other*. A quote that is not about the target is NONE. The
   evidence names each match and its kind.
3. **What does the quote say about it?** A topic is read by :class:`~.reading.TopicReader`:
   the cue's polarity toward its own object, demands, effects, self-defence and the content
   words, each toward what the parse says it is about. A claim is denied (*a hoax*, *not
   true*, a denial cue), hedged (*reportedly*, *could*, a question: NONE) or asserted (FAVOR);
   a claim whose own words are negative (*… is a serious concern*) is agreed with by alarm.

Each quote gets ``span._.stance`` and ``span._.stance_evidence`` for the first target, and
``span._.stances`` (target → label) for all of them. The targets of a document are
``doc._.targets`` (or ``doc._.target``) when set, else the component's ``target`` setting (one
phrase or a list).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newspipe.pipeline.extensions import QUOTES_KEY, register_extensions
from newspipe.pipeline.stages import STANCE_RULES, stage, stage_of_factory
from newspipe.pipeline.stages.base import BatchComponent, DataFiles, Scorer
from newspipe.pipeline.stages.stance.lexicons import (
    READING_FILES,
    RESOURCES,
    LexiconScore,
    ReadingLexicons,
    StanceLexicons,
    load_lexicons,
    load_reading_lexicons,
    phrase_hits,
    read_word_list,
    score_tokens,
)
from newspipe.pipeline.stages.stance.reading import TopicReader
from newspipe.pipeline.stages.stance.target import (
    TargetAnalysis,
    analyse_target,
    mention_mask,
    mentioned_terms,
    target_terms,
)

STAGE = stage("stance")
DEFAULT_CUE_POLARITY = RESOURCES / "stance_cues.tsv"
TARGET_CACHE_SIZE = 4096
FUNCTION_POS = frozenset({"ADP", "SCONJ", "CCONJ", "DET", "PRON", "AUX", "PART", "PUNCT"})
"""Parts of speech that carry no sentiment (*like* as a preposition is not *like* the verb)."""
Targets = str | list[str] | tuple[str, ...] | None
"""A stance target setting: one phrase, several, or none."""

__all__ = [
    "DEFAULT_CUE_POLARITY",
    "RuleStance",
    "StanceDecision",
    "TargetAnalysis",
    "analyse_target",
    "document_targets",
    "make_rule_stance",
    "target_terms",
]


def _as_list(targets: Targets) -> list[str]:
    if targets is None:
        return []
    if isinstance(targets, str):
        return [targets] if targets.strip() else []
    return [t for t in dict.fromkeys(targets) if isinstance(t, str) and t.strip()]


def document_targets(doc: Doc, configured: Targets = None) -> list[str]:
    """The stance targets of ``doc``: ``doc._.targets`` when set, else ``doc._.target``, else
    the ``configured`` target(s); in order, without repeats."""
    own = doc._.targets if Doc.has_extension("targets") else None
    if own:
        return _as_list(own)
    if doc._.target:
        return _as_list(doc._.target)
    return _as_list(configured)


def write_stances(
    docs: list[Doc], decisions: list[list[dict[str, StanceDecision]]], configured: Targets
) -> None:
    """Write each quote's stance per target: ``stance`` and ``stance_evidence`` of the first,
    ``stances`` of all (None without a target); and the targets onto the doc."""
    for doc, doc_decisions in zip(docs, decisions, strict=True):
        targets = document_targets(doc, configured)
        if doc._.target is None and targets:
            doc._.target = targets[0]
        if targets and not doc._.targets:
            doc._.targets = targets
        for quote, by_target in zip(doc.spans.get(QUOTES_KEY, []), doc_decisions, strict=True):
            first = next(iter(by_target.values()), StanceDecision(None, ["no target"]))
            quote._.stance = first.label
            quote._.stance_evidence = first.evidence
            quote._.stances = {t: d.label for t, d in by_target.items()} if by_target else None


@dataclass
class StanceDecision:
    """A stance label with the evidence that decided it."""

    label: str | None
    evidence: list[str] = field(default_factory=list)


def _context(quote: Span) -> Span:
    """The sentence(s) the quote is in, or the quote itself when there are no sentences."""
    doc = quote.doc
    if not len(quote) or not (doc.has_annotation("SENT_START") or doc.has_annotation("DEP")):
        return quote
    start = quote[0].sent.start
    end = quote[-1].sent.end
    return doc[min(start, quote.start) : max(end, quote.end)]


def _lemma(token: Token) -> str:
    return token.lemma_.lower() or token.lower_


def _negated(token: Token) -> bool:
    return any(child.dep_ == "neg" for child in token.children)


STANCE_FILES = (
    "stance_sentiment.tsv",
    "stance_denials.tsv",
    "stance_hedges.txt",
    "stance_negations.txt",
    "stance_aliases.tsv",
    "stance_opposition.txt",
    "stance_relational.txt",
    "stance_claim_verbs.txt",
    *READING_FILES,
)
"""The word lists the rules read from their ``resources`` directory (besides the cue lexicon)."""
CUES_FILE = "stance_cues.tsv"


class RuleStance(BatchComponent, DataFiles):
    """Target-aware rules: target kind, relevance, then the reading of a topic or the
    agreement with a claim.

    ``target`` is one phrase or a list; ``resources`` is the directory of the word lists (None:
    the packaged one), ``cue_polarity`` the cue lexicon (None: the one in ``resources``);
    ``similarity`` the least cosine similarity of static vectors for a noun to stand for the
    target's head (with a model that has vectors; 0 turns it off).
    """

    data_attributes = frozenset({"lexicons", "reading", "reader", "relational", "claim_verbs"})
    lexicons: StanceLexicons
    reading: ReadingLexicons
    reader: TopicReader
    relational: tuple[tuple[str, ...], ...]
    claim_verbs: frozenset[str]

    def __init__(
        self,
        nlp: Language | None,
        name: str,
        target: Targets,
        cue_polarity: str | None = None,
        threshold: float = 0.2,
        min_overlap: float = 0.0,
        resources: str | None = None,
        similarity: float = 0.7,
        topic_threshold: float = 0.1,
    ) -> None:
        self.nlp = nlp
        self.off_from_start = frozenset(nlp.disabled) if nlp is not None else frozenset()
        self.name = name
        self.target = target
        self.threshold = threshold
        self.min_overlap = min_overlap
        self.similarity = similarity
        self.topic_threshold = topic_threshold
        self.resources = Path(resources) if resources else RESOURCES
        self.cues_path = Path(cue_polarity) if cue_polarity else self.resources / CUES_FILE
        self._targets: dict[str, TargetAnalysis] = {}

    def data_sources(self) -> dict[str, Path]:
        return {CUES_FILE: self.cues_path} | {f: self.resources / f for f in STANCE_FILES}

    def read_data(self, files: Mapping[str, Path]) -> None:
        root = files[STANCE_FILES[0]].parent  # the word lists lie together
        self.lexicons = load_lexicons(str(root), str(files[CUES_FILE]))
        self.relational = tuple(
            tuple(line.split())
            for line in sorted(read_word_list(files["stance_relational.txt"], "list"))
        )
        self.claim_verbs = read_word_list(files["stance_claim_verbs.txt"], "list")
        self.reading = load_reading_lexicons(str(root))
        self.reader = TopicReader(
            self.lexicons, self.reading, self.topic_threshold, self.relational, self.similarity
        )

    # spaCy component protocol -------------------------------------------------------------

    def predict(self, docs: list[Doc]) -> list[list[dict[str, StanceDecision]]]:
        """Per document, per quote: the decision toward each target (in order)."""
        self.ensure_data()
        targets = [document_targets(doc, self.target) for doc in docs]
        self.analyse_many(t for doc_targets in targets for t in doc_targets)
        predictions = []
        for doc, doc_targets in zip(docs, targets, strict=True):
            quotes = doc.spans.get(QUOTES_KEY, [])
            predictions.append(
                [{t: self.decide(quote, t) for t in doc_targets} for quote in quotes]
            )
        return predictions

    def set_annotations(
        self, docs: list[Doc], decisions: list[list[dict[str, StanceDecision]]]
    ) -> list[Doc]:
        write_stances(docs, decisions, self.target)
        return docs

    # target ------------------------------------------------------------------------------

    def analyse(self, target: str) -> TargetAnalysis:
        """The analysis of ``target``, computed once per distinct target string."""
        cached = self._targets.get(target)
        if cached is None:
            self.analyse_many([target])
            cached = self._targets[target]
        return cached

    def analyse_many(self, targets: Iterable[str]) -> None:
        """Analyse the targets not yet cached, in one batch.

        The targets are tokenised (and tagged and parsed, when the pipeline has a tagger and a
        parser) by the model's components that run before this one — a few words per distinct
        target, batched, not per quote; newspipe's own stages do not run on them.
        """
        new = [t for t in dict.fromkeys(targets) if t not in self._targets]
        if not new:
            return
        if len(self._targets) + len(new) > TARGET_CACHE_SIZE:
            self._targets.clear()
        if self.nlp is not None:
            docs = [self.nlp.make_doc(t) for t in new]
            # The model's components before this one, also those a caller disabled for this
            # run (an evaluation that runs one stage at a time), not those off from the start.
            for name, proc in self.nlp.components:
                if name == self.name:
                    break
                factory = self.nlp.get_pipe_meta(name).factory
                if name in self.off_from_start or stage_of_factory(factory) is not None:
                    continue  # the model's own components are enough for a short phrase
                if factory == "senter":
                    continue
                if hasattr(proc, "pipe"):
                    docs = list(proc.pipe(docs))
                else:
                    docs = [proc(doc) for doc in docs]
        else:
            from spacy.lang.en import English

            tokenizer = English()
            docs = [tokenizer.make_doc(t) for t in new]
        for target, doc in zip(new, docs, strict=True):
            self._targets[target] = analyse_target(
                target, doc, self.lexicons, self.claim_verbs, self.reading
            )

    def mention_mask(self, target: TargetAnalysis, span: Span) -> list[bool]:
        """Which tokens of ``span`` belong to a mention of the target (lemma-aware)."""
        return mention_mask(target, span)

    def mentions(self, target: TargetAnalysis, span: Span) -> list[str]:
        """The target's terms and phrases found in ``span`` (lemma-aware)."""
        return mentioned_terms(target, span)

    # decision ----------------------------------------------------------------------------

    def decide(self, quote: Span, target: str | None) -> StanceDecision:
        """The stance of ``quote`` toward ``target``, with the evidence.

        A topic in a parsed document is read by the :class:`TopicReader`; a claim, or any
        target without a parse (a blank pipeline), by the lexical rules below.
        """
        if not target:
            return StanceDecision(None, ["no target"])
        analysis = self.analyse(target)
        context = _context(quote)
        if not analysis.is_claim and quote.doc.has_annotation("DEP"):
            return StanceDecision(*self.reader.read(quote, analysis, context))
        in_quote = self.mentions(analysis, quote)
        in_context = in_quote or self.mentions(analysis, context)
        evidence: list[str] = []
        if in_context:
            where = "quote" if in_quote else "sentence"
            evidence.append(f"target mentioned in the {where}: {', '.join(in_context)}")
        elif not analysis.terms and not analysis.phrases:
            evidence.append("target has no content words (a pronoun): every quote is about it")
        elif len(analysis.names) >= 2 and (
            hits := phrase_hits([t.lower_ for t in quote], self.relational)
        ):
            evidence.append(f"the parties of the target together: '{' '.join(hits[0][1])}'")
        else:
            return StanceDecision("NONE", ["target not mentioned in the quote or its sentence"])
        score = self.content_score(quote, analysis)
        cue = self.cue_polarity(quote)
        if analysis.is_claim:
            factual = not analysis.is_evaluative
            mask = self.mention_mask(analysis, quote)
            denial = self.denial(quote, score, factual=factual, mask=mask)
            label = self.claim_stance(analysis, score, cue, denial, in_context, evidence)
        elif self.denies_allegation(quote):
            evidence.append("a denial of allegations says nothing of the target itself")
            label = "NONE"
        else:
            label = self.topic_stance(score, cue, evidence)
        return StanceDecision(label, [*evidence, f"→ {label}"])

    def content_score(self, quote: Span, target: TargetAnalysis) -> LexiconScore:
        """Lexicon score of the quote.

        The target's own words and function words do not count (*warming* is no opinion about
        warming, *like* as a preposition is no liking); when the
        quote spans several sentences, those that do not mention the target count half.
        """
        mask = self.mention_mask(target, quote)
        weights = [
            0.0 if masked or token.pos_ in FUNCTION_POS else 1.0
            for masked, token in zip(mask, quote, strict=True)
        ]
        doc = quote.doc
        if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
            sents = [s for s in doc.sents if s.start < quote.end and s.end > quote.start]
            if len(sents) > 1:
                for sent in sents:
                    lo, hi = max(sent.start, quote.start), min(sent.end, quote.end)
                    if not any(mask[lo - quote.start : hi - quote.start]):
                        for i in range(lo, hi):
                            weights[i - quote.start] *= 0.5
        return score_tokens(
            self.lexicons,
            [t.lower_ for t in quote],
            [_lemma(t) for t in quote],
            weights=weights,
        )

    def cue_polarity(self, quote: Span) -> tuple[str, str] | None:
        """(FAVOR|AGAINST, cue text) when the quote's cue is polar; negation flips it."""
        cue = quote._.cue
        if cue is None:
            return None
        for token in cue:
            polarity = self.lexicons.cue(token.lower_, _lemma(token))
            if polarity is None:
                continue
            if _negated(token):
                return ("AGAINST" if polarity == "FAVOR" else "FAVOR", f"not {cue.text}")
            return polarity, cue.text
        return None

    def denial(
        self, quote: Span, score: LexiconScore, factual: bool, mask: list[bool] | None = None
    ) -> str | None:
        """Why the quote denies what it reports, if it does.

        A denial cue or a refuting word (*hoax*, *not true*) always counts; a denial verb or a
        negated main verb inside the content only against a factual claim (in an opinion,
        *reject* and *not* usually aim at something else than the target).
        """
        cue = quote._.cue
        if cue is not None:
            for token in cue:
                if _lemma(token) in self.lexicons.denials.verbs and not _negated(token):
                    return f"denial cue '{cue.text}'"
        if score.refutations:
            return f"refutation: {', '.join(sorted(set(score.refutations)))}"
        if mask is not None:
            negated_mention = self.negated_mention(quote, mask)
            if negated_mention:
                return negated_mention
        if not factual:
            return None
        for token in quote:
            if _lemma(token) in self.lexicons.denials.verbs and not _negated(token):
                return f"denial verb '{token.text}'"
        for token in quote:
            if token.dep_ == "neg" and token.head.dep_ == "ROOT":
                return f"negated main clause: '{token.text} {token.head.text}'"
        return None

    def negated_mention(self, quote: Span, mask: list[bool]) -> str | None:
        """A target mention in scare quotes, or under a negation (*no evidence of X*)."""
        doc = quote.doc
        marks = self.lexicons.quote_marks
        for i, masked in enumerate(mask):
            if not masked or (i > 0 and mask[i - 1]):
                continue
            end = i
            while end + 1 < len(mask) and mask[end + 1]:
                end += 1
            token, last = quote[i], quote[end]
            if (
                token.i > 0
                and last.i + 1 < len(doc)
                and doc[token.i - 1].text in marks
                and doc[last.i + 1].text in marks
            ):
                return f"target in scare quotes: {doc[token.i - 1 : last.i + 2].text}"
        if not quote.doc.has_annotation("DEP"):
            return None
        mentioned = {quote[i].i for i, masked in enumerate(mask) if masked}
        for token in quote:
            if token.lower_ not in self.lexicons.negations or token.dep_ not in ("neg", "det"):
                continue
            head = token.head
            if any(m == head.i or head.is_ancestor(doc[m]) for m in mentioned):
                return f"negated statement about the target: '{token.text} {head.text}'"
        return None

    def denies_allegation(self, quote: Span) -> bool:
        """A denial cue whose content is an accusation (*rejected the allegations*)."""
        cue = quote._.cue
        if cue is None or not any(_lemma(t) in self.lexicons.denials.verbs for t in cue):
            return False
        return any(_lemma(t) in self.lexicons.denials.nouns for t in quote)

    def claim_stance(
        self,
        target: TargetAnalysis,
        score: LexiconScore,
        cue: tuple[str, str] | None,
        denial: str | None,
        mentions: list[str],
        evidence: list[str],
    ) -> str:
        """Agreement with a claim: denied, hedged, or asserted (with sentiment if evaluative)."""
        kind = "an evaluative claim" if target.is_evaluative else "a claim"
        evidence.append(f"target is {kind} (own valence {target.valence:+.2f})")
        if denial:
            evidence.append(denial)
            return "AGAINST"
        if cue is not None:
            label = cue[0] if target.sign > 0 else _opposite(cue[0])
            evidence.append(f"cue '{cue[1]}' is {cue[0]}")
            return label
        hedges = [*score.hedges, *(["?"] if score.questions else [])]
        signed = score.compound * target.sign
        if target.is_evaluative:
            # Alarm agrees with an alarmed claim; but cheer does not deny it (it is mostly about
            # remedies): disagreement with a negative claim shows as refutation, handled above.
            evidence.append(f"content sentiment {score.compound:+.2f} ({_words(score)})")
            if signed >= self.threshold:
                return "FAVOR"
            if signed <= -self.threshold and target.sign > 0:
                return "AGAINST"
            return "NONE"
        if hedges:
            evidence.append(f"hedged or attributed: {', '.join(sorted(set(hedges)))}")
            return "NONE"
        overlap = len(mentions) / target.size
        if overlap >= self.min_overlap:
            evidence.append(f"asserts the claim (overlap {overlap:.2f})")
            return "FAVOR"
        evidence.append(f"too little of the claim (overlap {overlap:.2f})")
        return "NONE"

    def topic_stance(
        self, score: LexiconScore, cue: tuple[str, str] | None, evidence: list[str]
    ) -> str:
        """Sentiment toward a topic without a parse: the cue's polarity, else the content's.
        (A side's neutral words are NONE: being a party to the target is no evaluation.)"""
        if cue is not None:
            evidence.append(f"cue '{cue[1]}' is {cue[0]}")
            return cue[0]
        evidence.append(f"content sentiment {score.compound:+.2f} ({_words(score)})")
        if score.compound >= self.threshold:
            return "FAVOR"
        if score.compound <= -self.threshold:
            return "AGAINST"
        return "NONE"


def _opposite(label: str) -> str:
    return {"FAVOR": "AGAINST", "AGAINST": "FAVOR"}.get(label, label)


def _words(score: LexiconScore) -> str:
    return ", ".join(score.words[:6]) or "no sentiment words"


@Language.factory(
    STANCE_RULES,
    requires=["doc.spans"],
    assigns=["doc.spans"],
    default_config={
        "target": None,
        # None: the packaged word lists (saved with the pipeline; no path in its config)
        "cue_polarity": None,
        "threshold": 0.2,
        "min_overlap": 0.0,
        "resources": None,
        "similarity": 0.7,
        "topic_threshold": 0.1,
        "scorer": STAGE.scorer_config,
    },
    default_score_weights=STAGE.default_score_weights,
)
def make_rule_stance(
    nlp: Language,
    name: str,
    target: str | list[str] | None,
    cue_polarity: str | None,
    threshold: float,
    min_overlap: float,
    resources: str | None,
    similarity: float,
    topic_threshold: float,
    scorer: Scorer | None,
) -> RuleStance:
    """Target-aware rule stance."""
    register_extensions()
    stance = RuleStance(
        nlp,
        name,
        target=target,
        cue_polarity=cue_polarity,
        threshold=threshold,
        min_overlap=min_overlap,
        resources=resources,
        similarity=similarity,
        topic_threshold=topic_threshold,
    )
    stance.scorer = scorer
    return stance
