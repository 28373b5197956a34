"""The target-aware rule backend of the stance stage."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc, Span
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from pipeline.errors import PipelineError
from pipeline.extensions import QUOTES_KEY, register_extensions

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
DEFAULT_CUE_POLARITY = RESOURCES / "stance_cues.tsv"
LABELS = ("FAVOR", "AGAINST", "NONE")


def read_cue_polarity(path: str | Path) -> dict[str, str]:
    """Read ``lemma<TAB>FAVOR|AGAINST`` lines; ``#`` starts a comment."""
    path = Path(path)
    polarity: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise PipelineError(f"{path}: cannot read cue polarity lexicon ({err})") from None
    for n, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split("\t")
        if len(parts) != 2 or parts[1] not in ("FAVOR", "AGAINST"):
            raise PipelineError(f"{path}:{n}: expected 'lemma<TAB>FAVOR|AGAINST'")
        polarity[parts[0].lower()] = parts[1]
    return polarity


def target_terms(target: str) -> set[str]:
    """Content words of a target phrase, lower-cased."""
    words = {w.strip(".,;:!?\"'’“”()").lower() for w in target.split()}
    return {w for w in words if w and w not in STOP_WORDS}


@dataclass
class StanceDecision:
    """A stance label with the evidence that decided it."""

    label: str | None
    evidence: list[str] = field(default_factory=list)


class RuleStance:
    """Target-aware rules: relevance first, then cue polarity, then content sentiment."""

    def __init__(self, name: str, target: str | None, cue_polarity: str, threshold: float) -> None:
        self.name = name
        self.target = target
        self.cue_polarity = read_cue_polarity(cue_polarity)
        self.threshold = threshold
        self.sentiment = SentimentIntensityAnalyzer()

    def __call__(self, doc: Doc) -> Doc:
        return self.set_annotations([doc], self.predict([doc]))[0]

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def predict(self, docs: list[Doc]) -> list[list[StanceDecision]]:
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

    def decide(self, quote: Span, target: str | None) -> StanceDecision:
        """The stance of ``quote`` toward ``target``."""
        if not target:
            return StanceDecision(None, ["no target"])
        terms = target_terms(target)
        context = quote.sent if quote.sent.end >= quote.end else quote
        words = {t.lower_ for t in context} | {t.lemma_.lower() for t in context}
        hits = sorted(terms & words)
        if not hits:
            return StanceDecision("NONE", ["target not mentioned"])
        evidence = [f"target words: {', '.join(hits)}"]
        cue = quote._.cue
        if cue is not None:
            lemma = cue.root.lemma_.lower()
            if lemma in self.cue_polarity:
                label = self.cue_polarity[lemma]
                return StanceDecision(label, [*evidence, f"cue '{cue.text}' is {label}"])
        score = self.sentiment.polarity_scores(quote.text)["compound"]
        if score >= self.threshold:
            return StanceDecision("FAVOR", [*evidence, f"content sentiment {score:+.2f}"])
        if score <= -self.threshold:
            return StanceDecision("AGAINST", [*evidence, f"content sentiment {score:+.2f}"])
        return StanceDecision("NONE", [*evidence, f"neutral content ({score:+.2f})"])


@Language.factory(
    "newspipe_stance_rules_v1",
    requires=["doc.spans"],
    assigns=["doc.spans"],
    default_config={
        "target": None,
        "cue_polarity": str(DEFAULT_CUE_POLARITY),
        "threshold": 0.3,
    },
)
def make_rule_stance(
    nlp: Language, name: str, target: str | None, cue_polarity: str, threshold: float
) -> RuleStance:
    """Target-aware rule stance."""
    register_extensions()
    return RuleStance(name, target=target, cue_polarity=cue_polarity, threshold=threshold)
