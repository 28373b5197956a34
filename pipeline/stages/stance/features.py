"""Target-conditioned features of the trainable stance backend.

An example is ``(text, target, cue)`` as plain strings, so that training (from JSONL) and
tagging (from a quote span) see the same input and nothing re-runs spaCy. Four blocks:

- **text**: TF-IDF of the text's words and word pairs (sublinear tf, l2);
- **target**: TF-IDF of the target's words;
- **pairs**: interactions of the target with what the lexicons find in the text —
  ``target word × lexicon class`` (*warming|neg*, *castle|hedge*), ``target kind × class``,
  and ``negative target × class`` — so one weight can mean "negative words agree with *this*
  target";
- **embeddings** (optional, ``embeddings="all-MiniLM-L6-v2"``, needs the ``embeddings``
  extra): the sentence embedding of the text and its product with the target's;
- **dense**: lexicon scores (sentiment with negation and opposition scope, polar cue words,
  refutations, hedges, questions), the explicit cue's polarity, the overlap of text and
  target, and sentiment signed by the target's own polarity; standardised.

The fitted state is plain data (vocabularies as dicts, statistics as float arrays), saved by
:mod:`newspipe.pipeline.stages.stance.model` as JSON + ``.npy`` — nothing that can run code on load.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from spacy.lang.en.stop_words import STOP_WORDS

from newspipe.pipeline.stages.stance.lexicons import (
    LexiconScore,
    StanceLexicons,
    load_lexicons,
    score_tokens,
)

EMBEDDING_DIMENSIONS = 384
"""Width of the all-MiniLM-L6-v2 sentence embeddings (the optional fifth block)."""
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[?!]")
LEXICON_CLASSES = ("pos", "neg", "refute", "hedge", "cue+", "cue-", "question", "negation")
DENSE_NAMES = (
    "compound",
    "positive",
    "negative",
    "refutations",
    "hedges",
    "negations",
    "favor_cues",
    "against_cues",
    "questions",
    "exclamations",
    "overlap",
    "overlap_any",
    "target_valence",
    "signed_compound",
    "cue_polarity",
    "cue_denial",
    "log_length",
)


@dataclass(frozen=True)
class StanceExample:
    """One input of the stance model."""

    text: str
    target: str
    cue: str | None = None


def words(text: str) -> list[str]:
    """Lower-cased word tokens (and ``?``/``!``) of ``text``."""
    return WORD.findall(text.lower().replace("’", "'").replace("‘", "'"))


def bigrams(tokens: Sequence[str]) -> list[str]:
    """Words and adjacent word pairs."""
    return [*tokens, *(f"{a} {b}" for a, b in itertools.pairwise(tokens))]


@lru_cache(maxsize=1)
def _known_words() -> tuple[frozenset[str], frozenset[str]]:
    """Lemmas of the word lists (cue, denial, hedge, opposition words), and every listed word."""
    lexicons = load_lexicons()
    lemmas = frozenset(
        {
            *lexicons.cues,
            *lexicons.hedges,
            *lexicons.denials.verbs,
            *lexicons.opposition,
        }
    )
    return lemmas, frozenset({*lemmas, *lexicons.valences, *lexicons.negations})


@lru_cache(maxsize=65536)
def lemma_guess(word: str) -> str:
    """A lemma for lexicon look-up without a tagger: the word, or a listed word it inflects
    (a cue or denial lemma first: *condemned* → *condemn*, though VADER lists *condemned*)."""
    candidates = [word]
    if word.endswith("ies"):
        candidates.append(word[:-3] + "y")
    if word.endswith(("s", "d")):
        candidates.append(word[:-1])
    if word.endswith(("es", "ed")):
        candidates.append(word[:-2])
    if word.endswith("ing"):
        candidates += [word[:-3], word[:-3] + "e"]
    if len(word) > 4 and word[-3] == word[-4] and word.endswith(("ed", "ing")):
        candidates.append(word[: -3 if word.endswith("ed") else -4])  # stopped → stop
    for known in _known_words():
        for candidate in candidates:
            if candidate in known:
                return candidate
    return word


def stem(word: str) -> str:
    """A crude stem for matching text and target words (*sells*/*sell*, *killed*/*kill*)."""
    for suffix in ("ing", "ies", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_stems(tokens: Sequence[str]) -> list[str]:
    """Stems of the content words (no stop words, no single characters)."""
    return [stem(w) for w in tokens if w.isalnum() and len(w) > 1 and w not in STOP_WORDS]


def lexicon_score(lexicons: StanceLexicons, tokens: Sequence[str]) -> LexiconScore:
    """The shared lexicon score over regex tokens."""
    return score_tokens(lexicons, tokens, [lemma_guess(w) for w in tokens])


@dataclass(frozen=True)
class TargetView:
    """What the features use of a target."""

    stems: tuple[str, ...]
    valence: float
    is_claim: bool


class FeatureSpace:
    """Fit on training examples; turn examples into one sparse matrix."""

    def __init__(
        self,
        lexicons: StanceLexicons | None = None,
        min_df: int = 2,
        max_text_features: int = 60000,
        claim_verbs: frozenset[str] = frozenset(),
        cache: dict[StanceExample, tuple[list[str], list[float]]] | None = None,
        embeddings: str | None = None,
    ) -> None:
        self.lexicons = lexicons if lexicons is not None else load_lexicons()
        # None, or the name of the sentence-embedding model (an optional extra) whose
        # embeddings of the text, and of the text times the target, form a fifth block.
        self.embeddings = embeddings
        # Lexicon signals of an example do not depend on the fit: spaces of one training run
        # (cross-validation folds) can share them.
        self.cache = cache if cache is not None else {}
        self.min_df = min_df
        self.max_text_features = max_text_features
        self.claim_verbs = claim_verbs
        self.text_vocabulary: dict[str, int] = {}
        self.text_idf = np.zeros(0)
        self.target_vocabulary: dict[str, int] = {}
        self.target_idf = np.zeros(0)
        self.pair_vocabulary: dict[str, int] = {}
        self.dense_mean = np.zeros(len(DENSE_NAMES))
        self.dense_scale = np.ones(len(DENSE_NAMES))

    # --- fitting ---------------------------------------------------------------------------

    def fit(self, examples: Sequence[StanceExample]) -> FeatureSpace:
        """Learn vocabularies, idf and the dense statistics from ``examples``."""
        text_terms = [bigrams(words(e.text)) for e in examples]
        target_terms = [words(e.target) for e in examples]
        self.text_vocabulary, self.text_idf = _fit_idf(
            text_terms, self.min_df, self.max_text_features
        )
        self.target_vocabulary, self.target_idf = _fit_idf(target_terms, 1, None)
        pair_counts: Counter[str] = Counter()
        dense = []
        for example in examples:
            pairs, values = self._pairs_and_dense(example)
            pair_counts.update(set(pairs))
            dense.append(values)
        kept = sorted(p for p, n in pair_counts.items() if n >= self.min_df)
        self.pair_vocabulary = {p: i for i, p in enumerate(kept)}
        matrix = np.array(dense, dtype=float).reshape(len(examples), len(DENSE_NAMES))
        self.dense_mean = matrix.mean(axis=0) if len(examples) else np.zeros(len(DENSE_NAMES))
        scale = matrix.std(axis=0) if len(examples) else np.ones(len(DENSE_NAMES))
        self.dense_scale = np.where(scale > 1e-9, scale, 1.0)
        return self

    # --- transforming ----------------------------------------------------------------------

    @property
    def n_embedding_features(self) -> int:
        return 2 * EMBEDDING_DIMENSIONS if self.embeddings else 0

    @property
    def n_features(self) -> int:
        return (
            len(self.text_vocabulary)
            + len(self.target_vocabulary)
            + len(self.pair_vocabulary)
            + len(DENSE_NAMES)
            + self.n_embedding_features
        )

    def feature_names(self) -> list[str]:
        """The name of every column, in order."""
        names = [""] * self.n_features
        offset = 0
        for prefix, vocabulary in (
            ("text", self.text_vocabulary),
            ("target", self.target_vocabulary),
            ("pair", self.pair_vocabulary),
        ):
            for term, i in vocabulary.items():
                names[offset + i] = f"{prefix}:{term}"
            offset += len(vocabulary)
        for i, name in enumerate(DENSE_NAMES):
            names[offset + i] = f"lexicon:{name}"
        offset += len(DENSE_NAMES)
        for i in range(self.n_embedding_features):
            kind = "text" if i < EMBEDDING_DIMENSIONS else "text*target"
            names[offset + i] = f"embedding:{kind}[{i % EMBEDDING_DIMENSIONS}]"
        return names

    def transform(self, examples: Sequence[StanceExample]) -> sp.csr_matrix:
        """The feature matrix of ``examples`` (one row each)."""
        text = _tfidf(
            [bigrams(words(e.text)) for e in examples], self.text_vocabulary, self.text_idf
        )
        target = _tfidf(
            [words(e.target) for e in examples], self.target_vocabulary, self.target_idf
        )
        rows, cols, dense = [], [], []
        for n, example in enumerate(examples):
            pairs, values = self._pairs_and_dense(example)
            indices = sorted({self.pair_vocabulary[p] for p in pairs if p in self.pair_vocabulary})
            rows += [n] * len(indices)
            cols += indices
            dense.append(values)
        data = np.ones(len(cols))
        pair = sp.csr_matrix((data, (rows, cols)), shape=(len(examples), len(self.pair_vocabulary)))
        counts = np.asarray(pair.sum(axis=1)).ravel()
        pair = sp.diags(1.0 / np.sqrt(np.maximum(counts, 1.0))) @ pair
        matrix = np.array(dense, dtype=float).reshape(len(examples), len(DENSE_NAMES))
        standard = (matrix - self.dense_mean) / self.dense_scale
        blocks = [text, target, pair, sp.csr_matrix(standard)]
        if self.embeddings:
            from newspipe.pipeline.stages.stance.embeddings import embedder

            encoder = embedder()
            texts = encoder.encode([e.text for e in examples])
            targets = encoder.encode([e.target for e in examples])
            blocks.append(sp.csr_matrix(np.hstack([texts, texts * targets])))
        return sp.hstack(blocks, format="csr")

    @lru_cache(maxsize=4096)  # noqa: B019  (one space per model; targets repeat)
    def target_view(self, target: str) -> TargetView:
        tokens = words(target)
        score = lexicon_score(self.lexicons, tokens)
        return TargetView(
            stems=tuple(dict.fromkeys(content_stems(tokens))),
            valence=score.compound,
            is_claim=any(w in self.claim_verbs for w in tokens) or len(tokens) >= 6,
        )

    def _pairs_and_dense(self, example: StanceExample) -> tuple[list[str], list[float]]:
        cached = self.cache.get(example)
        if cached is None:
            cached = self._signals(example)
            if len(self.cache) < 200_000:
                self.cache[example] = cached
        return cached

    def _signals(self, example: StanceExample) -> tuple[list[str], list[float]]:
        tokens = words(example.text)
        score = lexicon_score(self.lexicons, tokens)
        target = self.target_view(example.target)
        text_stems = set(content_stems(tokens))
        overlap = sum(s in text_stems for s in target.stems) / max(1, len(target.stems))
        classes = []
        if score.positive > 0:
            classes.append("pos")
        if score.negative < 0:
            classes.append("neg")
        for name, present in (
            ("refute", score.refutations),
            ("hedge", score.hedges),
            ("cue+", score.favor_cues),
            ("cue-", score.against_cues),
            ("question", score.questions),
            ("negation", score.negations),
        ):
            if present:
                classes.append(name)
        classes.append("ovl+" if overlap > 0 else "ovl0")
        kind = "claim" if target.is_claim else "topic"
        pairs = [f"{kind}|{c}" for c in classes]
        pairs += [f"{s}|{c}" for s in target.stems[:10] for c in classes]
        if target.valence <= -0.3:
            pairs += [f"negative-target|{c}" for c in classes]
        cue_polarity = 0.0
        cue_denial = 0.0
        if example.cue:
            cue_tokens = words(example.cue)
            for w in cue_tokens:
                lemma = lemma_guess(w)
                polarity = self.lexicons.cue(w, lemma)
                if polarity is not None:
                    cue_polarity = 1.0 if polarity == "FAVOR" else -1.0
                if lemma in self.lexicons.denials.verbs:
                    cue_denial = 1.0
            if cue_polarity:
                pairs.append(f"cue{'+' if cue_polarity > 0 else '-'}|{kind}")
        sign = -1.0 if target.valence <= -0.3 else 1.0
        dense = [
            score.compound,
            math.log1p(score.positive),
            -math.log1p(-score.negative),
            len(score.refutations),
            len(score.hedges),
            score.negations,
            len(score.favor_cues),
            len(score.against_cues),
            score.questions,
            tokens.count("!"),
            overlap,
            float(overlap > 0),
            target.valence,
            score.compound * sign,
            cue_polarity,
            cue_denial,
            math.log1p(len(tokens)),
        ]
        return pairs, dense

    # --- state -----------------------------------------------------------------------------

    def state(self) -> tuple[dict[str, object], dict[str, np.ndarray]]:
        """The fitted state as JSON-able settings and vocabularies, and float arrays."""
        meta: dict[str, object] = {
            "min_df": self.min_df,
            "max_text_features": self.max_text_features,
            "text_vocabulary": self.text_vocabulary,
            "target_vocabulary": self.target_vocabulary,
            "pair_vocabulary": self.pair_vocabulary,
            "dense_names": list(DENSE_NAMES),
            "embeddings": self.embeddings,
        }
        arrays = {
            "text_idf": self.text_idf,
            "target_idf": self.target_idf,
            "dense_mean": self.dense_mean,
            "dense_scale": self.dense_scale,
        }
        return meta, arrays


def space_from_state(
    meta: dict[str, object],
    arrays: dict[str, np.ndarray],
    lexicons: StanceLexicons | None = None,
    claim_verbs: frozenset[str] = frozenset(),
) -> FeatureSpace:
    """A fitted :class:`FeatureSpace` from :meth:`FeatureSpace.state` (already validated)."""
    space = FeatureSpace(
        lexicons,
        min_df=int(meta["min_df"]),  # type: ignore[call-overload]
        max_text_features=int(meta["max_text_features"]),  # type: ignore[call-overload]
        claim_verbs=claim_verbs,
        embeddings=meta.get("embeddings"),  # type: ignore[arg-type]
    )
    space.text_vocabulary = dict(meta["text_vocabulary"])  # type: ignore[call-overload]
    space.target_vocabulary = dict(meta["target_vocabulary"])  # type: ignore[call-overload]
    space.pair_vocabulary = dict(meta["pair_vocabulary"])  # type: ignore[call-overload]
    space.text_idf = arrays["text_idf"]
    space.target_idf = arrays["target_idf"]
    space.dense_mean = arrays["dense_mean"]
    space.dense_scale = arrays["dense_scale"]
    return space


def _fit_idf(
    documents: Sequence[Sequence[str]], min_df: int, max_features: int | None
) -> tuple[dict[str, int], np.ndarray]:
    """Vocabulary (terms in at least ``min_df`` documents, the most frequent first) and
    smoothed idf, as scikit-learn's ``TfidfVectorizer(smooth_idf=True)`` computes it."""
    df: Counter[str] = Counter()
    for terms in documents:
        df.update(set(terms))
    kept = [(t, n) for t, n in df.items() if n >= min_df]
    kept.sort(key=lambda item: (-item[1], item[0]))
    if max_features is not None:
        kept = kept[:max_features]
    terms = sorted(t for t, _ in kept)
    vocabulary = {t: i for i, t in enumerate(terms)}
    n = len(documents)
    idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in terms], dtype=float)
    return vocabulary, idf


def _tfidf(
    documents: Sequence[Sequence[str]], vocabulary: dict[str, int], idf: np.ndarray
) -> sp.csr_matrix:
    """Sublinear-tf TF-IDF rows, l2-normalised."""
    rows, cols, data = [], [], []
    for n, terms in enumerate(documents):
        counts = Counter(vocabulary[t] for t in terms if t in vocabulary)
        if not counts:
            continue
        values = {i: (1.0 + math.log(c)) * idf[i] for i, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in values.values()))
        for i, v in values.items():
            rows.append(n)
            cols.append(i)
            data.append(v / norm)
    return sp.csr_matrix((data, (rows, cols)), shape=(len(documents), len(vocabulary)))
