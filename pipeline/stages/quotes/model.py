"""The hybrid backend's candidate classifier: sparse binary features and a linear model.

The model is a logistic regression trained by ``newspipe train quotes`` on PolNeAR train
and stored as plain JSON (feature → weight, intercept, decision threshold): nothing in it
can run code on load, and scoring needs no scikit-learn at run time.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.stages.quotes.candidates import Candidate

PRONOUN_KINDS = {"he": "pron3", "she": "pron3", "they": "pron3", "it": "it", "i": "pron1"}
PRONOUN_KINDS |= {"we": "pron1", "you": "pron2"}


def _bucket(n: int) -> str:
    for limit in (1, 2, 4, 8, 16, 32):
        if n <= limit:
            return str(limit)
    return "many"


def candidate_features(doc: Doc, cand: Candidate, lexicon_hit: bool, marked: str) -> list[str]:
    """Binary features of one candidate (strings; a feature is present or absent).

    ``lexicon_hit``: the cue lemma is in the hand list of reporting verbs; ``marked``: how the
    content relates to quotation marks ("none", "direct", "mixed").
    """
    cue = doc[cand.cue_token]
    # names never become features: the model learns words, not the people of its training data
    lemma = "<name>" if cue.pos_ == "PROPN" or cue.ent_type_ else cue.lemma_.lower()
    rel = cand.relation
    rel_group = rel.split(":")[0] if rel.startswith(("prep", "inside")) else rel
    start, end = cand.content
    content = doc[start:end]
    root = content.root
    first = content[0]
    if cand.speaker_token is None:
        spk = "none"
    else:
        head = doc[cand.speaker_token]
        spk = PRONOUN_KINDS.get(head.lower_) or head.ent_type_ or head.pos_
    negated = any(c.dep_ == "neg" for c in cue.children)
    side = "right" if start > cand.cue_token else "left"
    feats = [
        "bias",
        f"lemma={lemma}",
        f"rel={rel}",
        f"relg={rel_group}",
        f"lemma|rel={lemma}|{rel}",
        f"lemma|relg={lemma}|{rel_group}",
        f"tag={cue.tag_}",
        f"dep={cue.dep_}",
        f"rel|dep={rel}|{cue.dep_}",
        f"spk={spk}",
        f"rel|spk={rel_group}|{spk}",
        f"lemma|spk={lemma}|{spk != 'none'}",
        f"len={_bucket(end - start)}",
        f"rel|len={rel_group}|{_bucket(end - start)}",
        f"root={root.pos_}",
        f"rel|root={rel_group}|{root.pos_}",
        f"first={first.lower_ if first.is_stop or first.is_punct else first.pos_}",
        f"marked={marked}",
        f"rel|marked={rel_group}|{marked}",
        f"lex={lexicon_hit}",
        f"rel|lex={rel_group}|{lexicon_hit}",
        f"side={side}|{rel_group}",
        f"neg={negated}",
        f"sent_final={end >= content.sent.end - 1}",
    ]
    if rel.startswith("inside"):
        head = cue.head
        named = head.pos_ == "PROPN" or head.ent_type_
        feats.append(f"head={'<name>' if named else head.lemma_.lower()}")
    if root.ent_type_:
        feats.append(f"root_ent={root.ent_type_}")
    return feats


@dataclass(frozen=True)
class LinearModel:
    """Weights of a logistic regression over binary features."""

    weights: dict[str, float]
    intercept: float
    threshold: float

    def score(self, features: list[str]) -> float:
        """The probability that a candidate with ``features`` is an attribution."""
        total = self.intercept + sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, total))))


def read_model(path: str | Path) -> LinearModel:
    """Read a model saved by ``newspipe train quotes`` (JSON)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return LinearModel(
            weights={str(k): float(v) for k, v in data["weights"].items()},
            intercept=float(data["intercept"]),
            threshold=float(data["threshold"]),
        )
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise PipelineError(f"{path}: not a quote model ({err})") from None


@lru_cache(maxsize=4)
def cached_model(path: str) -> LinearModel:
    """:func:`read_model`, read once per path."""
    return read_model(path)
