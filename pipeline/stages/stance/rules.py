"""The target-aware rule backend of the stance stage (``newspipe_stance_rules_v1``).

For each quote the rules ask, in order:

1. **Is the quote about the target?** The target's content words (lemma-aware), its names
   (entities or proper-noun runs) and their aliases are looked up in the quote and its
   sentence; a target that names two or more parties is also met by phrases such as
   *both nations* or *each other*. A quote that is not about the target is NONE.
2. **What kind of target is it?** A *topic* (a noun phrase: *gun control*, *trade between A and
   B*) takes the sentiment toward it; a *claim* (a clause: *X is a serious concern*, *A bought
   B*) takes agreement with it. A claim whose own words are negative (*… is a serious
   concern*) flips the sign of sentiment: alarm agrees with it, reassurance disagrees.
3. **What does the quote say?** In order: a denial (*rejected the allegations*, *a hoax*,
   *not true*, a negated main verb), the cue's polarity (*condemned* AGAINST, *praised*
   FAVOR, negation-aware), hedging (*reportedly*, *could*, a question: reports a claim without
   taking a side), the lexicon sentiment of the content (VADER plus news words; words in
   sentences that mention the target count fully, others half; negation flips within three
   tokens), and the speaker's relation to the target (a party to the target who speaks about
   it without negativity is FAVOR).

Each quote gets ``span._.stance`` and ``span._.stance_evidence``: the lines that decided.
The target of a document is ``doc._.target`` when set, else the component's ``target``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newspipe.pipeline.extensions import QUOTES_KEY, register_extensions
from newspipe.pipeline.stages import STANCE_RULES, stage, stage_of_factory
from newspipe.pipeline.stages.base import BatchComponent, DataFiles, Scorer
from newspipe.pipeline.stages.stance.lexicons import (
    RESOURCES,
    LexiconScore,
    StanceLexicons,
    load_lexicons,
    phrase_hits,
    read_word_list,
    score_tokens,
)

STAGE = stage("stance")
DEFAULT_CUE_POLARITY = RESOURCES / "stance_cues.tsv"
TARGET_CACHE_SIZE = 4096
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
"""Penn tags of finite verbs and modals."""
FUNCTION_POS = frozenset({"ADP", "SCONJ", "CCONJ", "DET", "PRON", "AUX", "PART", "PUNCT"})
"""Parts of speech that carry no sentiment (*like* as a preposition is not *like* the verb)."""

__all__ = [
    "DEFAULT_CUE_POLARITY",
    "RuleStance",
    "StanceDecision",
    "TargetAnalysis",
    "analyse_target",
    "make_rule_stance",
    "target_terms",
]


def target_terms(target: str) -> set[str]:
    """Content words of a target phrase, lower-cased."""
    words = {w.strip(".,;:!?\"'’“”()").lower() for w in target.split()}
    return {w for w in words if w and w not in STOP_WORDS}


def _is_content(token: Token) -> bool:
    return (
        (token.is_alpha or token.like_num)
        and len(token.text) > 1
        and token.lower_ not in STOP_WORDS
        and token.lemma_.lower() not in STOP_WORDS
    )


def _name_runs(doc: Doc) -> list[Span]:
    """The names in a target: its entities, else runs of proper nouns / capitalised words."""
    if doc.ents:
        return list(doc.ents)
    tagged = doc.has_annotation("TAG") or doc.has_annotation("POS")
    runs: list[Span] = []
    start = None
    for token in doc:
        is_name = token.pos_ == "PROPN" if tagged else (token.is_title or token.is_upper)
        is_name = is_name and token.is_alpha and token.lower_ not in STOP_WORDS
        if is_name and start is None:
            start = token.i
        elif not is_name and start is not None:
            runs.append(doc[start : token.i])
            start = None
    if start is not None:
        runs.append(doc[start:])
    return runs


def _stem(word: str) -> str:
    """A short prefix that a name shares with its demonym (*Ruritania*/*Ruritanian*)."""
    return word if len(word) < 4 else word[:5]


@dataclass(frozen=True)
class TargetAnalysis:
    """What the rules need to know about a target phrase."""

    text: str
    terms: frozenset[str]
    """Content words (forms and lemmas, lower-cased) outside multi-word names."""
    phrases: tuple[tuple[str, ...], ...]
    """Multi-word names and aliases, as lower-cased word sequences."""
    names: tuple[tuple[str, ...], ...]
    """The names in the target (entities), lower-cased words, for the speaker relation."""
    name_stems: tuple[tuple[str, ...], ...]
    """The names as stems, so that a demonym matches its name (*Ruritanian* → *Ruritania*)."""
    is_claim: bool
    valence: float
    """The lexicon compound of the target's own words."""
    evaluative_threshold: float = 0.3

    @property
    def size(self) -> int:
        """How many separate things a mention can match (terms plus phrases)."""
        return max(1, len({t for t in self.terms if " " not in t}) + len(self.phrases))

    @property
    def is_evaluative(self) -> bool:
        """A claim whose own words carry sentiment (*… is a serious concern*)."""
        return self.is_claim and abs(self.valence) >= self.evaluative_threshold

    @property
    def sign(self) -> int:
        """-1 when agreement with the target shows as negative sentiment."""
        return -1 if self.is_evaluative and self.valence < 0 else 1


def analyse_target(
    target: str, doc: Doc, lexicons: StanceLexicons, claim_verbs: frozenset[str] = frozenset()
) -> TargetAnalysis:
    """Analyse a target phrase from its (tokenised, and if available tagged) ``doc``.

    A target is a claim when it has a verb (by the tagger), or without a tagger, one of
    ``claim_verbs`` (auxiliaries and modals).
    """
    names = _name_runs(doc)
    name_tokens = {t.i for span in names for t in span}
    terms: set[str] = set()
    for token in doc:
        if not _is_content(token):
            continue
        if token.i in name_tokens and len(_span_of(names, token)) > 1:
            continue  # a word of a multi-word name matches only as part of the name
        terms.update({token.lower_, token.lemma_.lower()} - {""})
    phrases = {tuple(t.lower_ for t in span if not t.is_punct) for span in names if len(span) > 1}
    # The head of a multi-word name (its last word) also stands for it: "Smith" for "Ann Smith".
    for span in names:
        if len(span) > 1 and span[-1].is_alpha and len(span[-1]) > 2:
            terms.add(span[-1].lower_)
    forms = [t.lower_ for t in doc]
    for group in lexicons.aliases:
        members = [tuple(name.split()) for name in group]
        if any(phrase_hits(forms, [m]) for m in members):
            for member in members:
                if len(member) > 1:
                    phrases.add(member)
                else:
                    terms.add(member[0])
    tagged = doc.has_annotation("TAG") or doc.has_annotation("POS")
    if tagged:
        # A finite verb makes a clause (*X is …*, *A bought B*), so does a participle right
        # after its subject (*a spider burrowed …*, *X captured by Y*); a gerund or a
        # participle used as an adjective does not (*judging others*, *the proposed tax*).
        is_claim = any(
            t.pos_ == "AUX"
            or t.tag_ in FINITE_TAGS
            or (t.tag_ == "VBN" and t.i > 0 and doc[t.i - 1].pos_ in ("NOUN", "PROPN"))
            for t in doc
        )
    else:
        is_claim = any(t.lower_ in claim_verbs for t in doc)
    score = score_tokens(lexicons, forms, [t.lemma_.lower() or t.lower_ for t in doc])
    name_words = [tuple(t.lower_ for t in span if t.is_alpha) for span in names]
    return TargetAnalysis(
        text=target,
        terms=frozenset(terms),
        phrases=tuple(sorted(p for p in phrases if p)),
        names=tuple(words for words in name_words if words),
        name_stems=tuple(tuple(_stem(w) for w in words) for words in name_words if words),
        is_claim=is_claim,
        valence=score.compound,
    )


def _span_of(spans: list[Span], token: Token) -> Span:
    for span in spans:
        if span.start <= token.i < span.end:
            return span
    raise ValueError("token is in no span")


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
)
"""The word lists the rules read from their ``resources`` directory (besides the cue lexicon)."""
CUES_FILE = "stance_cues.tsv"


class RuleStance(BatchComponent, DataFiles):
    """Target-aware rules: relevance, target kind, then denial, cue, hedging, content, speaker.

    ``resources`` is the directory of the word lists (None: the packaged one), ``cue_polarity``
    the cue lexicon (None: the one in ``resources``).
    """

    data_attributes = frozenset({"lexicons", "relational", "claim_verbs"})
    lexicons: StanceLexicons
    relational: tuple[tuple[str, ...], ...]
    claim_verbs: frozenset[str]

    def __init__(
        self,
        nlp: Language | None,
        name: str,
        target: str | None,
        cue_polarity: str | None = None,
        threshold: float = 0.2,
        min_overlap: float = 0.0,
        resources: str | None = None,
    ) -> None:
        self.nlp = nlp
        self.off_from_start = frozenset(nlp.disabled) if nlp is not None else frozenset()
        self.name = name
        self.target = target
        self.threshold = threshold
        self.min_overlap = min_overlap
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

    # spaCy component protocol -------------------------------------------------------------

    def predict(self, docs: list[Doc]) -> list[list[StanceDecision]]:
        self.ensure_data()
        self.analyse_many(t for doc in docs if (t := doc._.target or self.target))
        predictions = []
        for doc in docs:
            target = doc._.target or self.target
            quotes = doc.spans.get(QUOTES_KEY, [])
            predictions.append([self.decide(quote, target) for quote in quotes])
        return predictions

    def set_annotations(self, docs: list[Doc], decisions: list[list[StanceDecision]]) -> list[Doc]:
        for doc, doc_decisions in zip(docs, decisions, strict=True):
            if doc._.target is None:
                doc._.target = self.target
            quotes = doc.spans.get(QUOTES_KEY, [])
            for quote, decision in zip(quotes, doc_decisions, strict=True):
                quote._.stance = decision.label
                quote._.stance_evidence = decision.evidence
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

        The targets are tokenised (and tagged, when the pipeline has a tagger) by the
        components that run before this one — a few words per distinct target, batched, not
        per quote.
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
                if factory in ("parser", "senter"):
                    continue  # tags, lemmas and entities suffice; the parse costs the most
                if hasattr(proc, "pipe"):
                    docs = list(proc.pipe(docs))
                else:
                    docs = [proc(doc) for doc in docs]
        else:
            from spacy.lang.en import English

            tokenizer = English()
            docs = [tokenizer.make_doc(t) for t in new]
        for target, doc in zip(new, docs, strict=True):
            self._targets[target] = analyse_target(target, doc, self.lexicons, self.claim_verbs)

    def mention_mask(self, target: TargetAnalysis, span: Span) -> list[bool]:
        """Which tokens of ``span`` belong to a mention of the target (lemma-aware)."""
        forms = [t.lower_ for t in span]
        lemmas = [_lemma(t) for t in span]
        mask = [
            form in target.terms or lemma in target.terms
            for form, lemma in zip(forms, lemmas, strict=True)
        ]
        for words in (forms, lemmas):
            for start, phrase in phrase_hits(words, target.phrases):
                for i in range(start, start + len(phrase)):
                    mask[i] = True
        stems = [_stem(t.lower_) if t.is_title or t.is_upper else "" for t in span]
        for start, phrase in phrase_hits(stems, target.name_stems):
            for i in range(start, start + len(phrase)):
                mask[i] = True
        return mask

    def mentions(self, target: TargetAnalysis, span: Span) -> list[str]:
        """The target's terms and phrases found in ``span`` (lemma-aware)."""
        forms = [t.lower_ for t in span]
        lemmas = [_lemma(t) for t in span]
        found = [
            form
            for form, lemma in zip(forms, lemmas, strict=True)
            if form in target.terms or lemma in target.terms
        ]
        found += [" ".join(p) for _, p in phrase_hits(forms, target.phrases)]
        found += [" ".join(p) for _, p in phrase_hits(lemmas, target.phrases)]
        stems = [_stem(t.lower_) if t.is_title or t.is_upper else "" for t in span]
        found += [
            span[i : i + len(p)].text.lower() for i, p in phrase_hits(stems, target.name_stems)
        ]
        return sorted(set(found))

    def speaker_party(self, quote: Span, target: TargetAnalysis) -> str | None:
        """The target name the speaker belongs to (*Ruritanian minister* → Ruritania), if any."""
        if not target.names:
            return None
        words: list[str] = []
        speaker = quote._.speaker
        if speaker is not None:
            words += [t.lower_ for t in speaker]
        name = quote._.speaker_name
        if name:
            words += name.lower().split()
            first = _first_mention(quote.doc, name.split()[-1])
            if first is not None:
                words += [t.lower_ for t in first]
        stems = {_stem(w) for w in words if w.isalpha()}
        for name_words in target.names:
            if name_words and all(_stem(w) in stems for w in name_words):
                return " ".join(name_words)
        return None

    # decision ----------------------------------------------------------------------------

    def decide(self, quote: Span, target: str | None) -> StanceDecision:
        """The stance of ``quote`` toward ``target``, with the evidence."""
        if not target:
            return StanceDecision(None, ["no target"])
        analysis = self.analyse(target)
        context = _context(quote)
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
        party = self.speaker_party(quote, analysis)
        if analysis.is_claim:
            factual = not analysis.is_evaluative
            mask = self.mention_mask(analysis, quote)
            denial = self.denial(quote, score, factual=factual, mask=mask)
            label = self.claim_stance(analysis, score, cue, denial, in_context, evidence)
        elif self.denies_allegation(quote):
            evidence.append("a denial of allegations says nothing of the target itself")
            label = "NONE"
        else:
            label = self.topic_stance(score, cue, party, evidence)
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
        self,
        score: LexiconScore,
        cue: tuple[str, str] | None,
        party: str | None,
        evidence: list[str],
    ) -> str:
        """Sentiment toward a topic: the cue's polarity, else the content's, else the speaker's."""
        if cue is not None:
            evidence.append(f"cue '{cue[1]}' is {cue[0]}")
            return cue[0]
        evidence.append(f"content sentiment {score.compound:+.2f} ({_words(score)})")
        if score.compound >= self.threshold:
            return "FAVOR"
        if score.compound <= -self.threshold:
            return "AGAINST"
        if party is not None and score.compound >= 0:
            evidence.append(f"speaker is a party to the target ({party})")
            return "FAVOR"
        return "NONE"


def _opposite(label: str) -> str:
    return {"FAVOR": "AGAINST", "AGAINST": "FAVOR"}.get(label, label)


def _words(score: LexiconScore) -> str:
    return ", ".join(score.words[:6]) or "no sentiment words"


def _first_mention(doc: Doc, word: str) -> Span | None:
    """The noun phrase around the first token spelled ``word`` (titles included)."""
    for token in doc:
        if token.text == word:
            start = token.left_edge.i if doc.has_annotation("DEP") else max(0, token.i - 3)
            return doc[start : token.i + 1]
    return None


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
        "scorer": STAGE.scorer_config,
    },
    default_score_weights=STAGE.default_score_weights,
)
def make_rule_stance(
    nlp: Language,
    name: str,
    target: str | None,
    cue_polarity: str | None,
    threshold: float,
    min_overlap: float,
    resources: str | None,
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
    )
    stance.scorer = scorer
    return stance
