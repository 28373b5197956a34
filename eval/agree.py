"""Inter-annotator agreement between two sets of gold files, with the matching of ``score``.

Agreement is computed by scoring one annotation against the other with the stage scorers
(:mod:`eval.scorers`), so it is the ceiling the pipeline's own scores are read against:

- sentences: boundary F1; entities: strict F1 (span and label);
- quotes: content F1 under the overlap match of ``score`` (each content span covered by at
  least ``overlap`` of the other), then over matched quotes the agreement on cue, speaker
  mention, canonical speaker name and type;
- stance: over quotes matched in both annotations, raw agreement, macro-F1 (B against A) and
  Cohen's kappa (chance-corrected, symmetric);
- speakers (the optional ``speakers`` layer): over canonical names both annotators list,
  agreement and Cohen's kappa of kind and of referenced gender.

F1 and kappa are symmetric in the two annotators; precision and recall are reported with A as
the reference. Documents are paired by ``id``; ids in only one set are listed, not scored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from newspipe.eval.scorers.bootstrap import DEFAULT_SEED
from newspipe.eval.scorers.entities import score_entities
from newspipe.eval.scorers.matching import DEFAULT_OVERLAP, Pair, context, match_spans
from newspipe.eval.scorers.quotes import name_key, score_quotes
from newspipe.eval.scorers.sentences import score_sentences
from newspipe.eval.scorers.stance import score_stance
from newspipe.pipeline.records import Record


def kappa(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Cohen's kappa of two label sequences; None when undefined (no items, or one label only)."""
    if not a or len(set(a) | set(b)) < 2:
        return None
    from sklearn.metrics import cohen_kappa_score  # imported when used: it takes seconds

    return float(cohen_kappa_score(a, b))


def stance_pairs(pairs: Sequence[Pair], overlap: float) -> tuple[list[str], list[str]]:
    """The stance labels of A and of B over quotes matched in both annotations."""
    labels_a: list[str] = []
    labels_b: list[str] = []
    for b, a in pairs:
        matches = match_spans(
            [q["content"] for q in a["quotes"]], [q["content"] for q in b["quotes"]], overlap
        )
        for ai, bi in matches:
            stance_a, stance_b = a["quotes"][ai]["stance"], b["quotes"][bi]["stance"]
            if stance_a is not None and stance_b is not None:
                labels_a.append(stance_a)
                labels_b.append(stance_b)
    return labels_a, labels_b


def speaker_agreement(pairs: Sequence[Pair]) -> dict[str, Any]:
    """Agreement on kind and referenced gender over canonical names both annotators list."""
    kinds: tuple[list[str], list[str]] = ([], [])
    genders: tuple[list[str], list[str]] = ([], [])
    only_one = 0
    for pair in pairs:
        # The speakers layer is gold-only (eval.gold), not part of the extract record.
        speakers_a = cast(Mapping[str, Any], pair.gold).get("speakers")
        speakers_b = cast(Mapping[str, Any], pair.pred).get("speakers")
        if speakers_a is None or speakers_b is None:
            continue
        listed_b = {name_key(s["name"]): s for s in speakers_b}
        shared = 0
        for speaker in speakers_a:
            other = listed_b.get(name_key(speaker["name"]))
            if other is None:
                continue
            shared += 1
            kinds[0].append(speaker["kind"])
            kinds[1].append(other["kind"])
            genders[0].append(speaker["gender"])
            genders[1].append(other["gender"])
        only_one += len(speakers_a) + len(speakers_b) - 2 * shared
    n = len(kinds[0])
    return {
        "speakers_shared": n,
        "speakers_in_one_only": only_one,
        "speaker_kind_agree": sum(x == y for x, y in zip(*kinds, strict=True)) / n if n else None,
        "speaker_kind_kappa": kappa(*kinds),
        "speaker_gender_agree": (
            sum(x == y for x, y in zip(*genders, strict=True)) / n if n else None
        ),
        "speaker_gender_kappa": kappa(*genders),
    }


def agreement(
    records_a: Sequence[Record],
    records_b: Sequence[Record],
    *,
    overlap: float = DEFAULT_OVERLAP,
    bootstrap: int = 0,
    seed: int = DEFAULT_SEED,
) -> dict[str, Any]:
    """Agreement of annotation B with annotation A, per layer, over documents both annotated.

    Args:
        records_a: Gold records of annotator A.
        records_b: Gold records of annotator B (paired with A's by ``id``).
        overlap: Quote match threshold, as in ``newspipe score``.
        bootstrap: Resamples for intervals over documents (0: none).
        seed: Seed of the resampling.

    Returns:
        ``documents`` (ids scored), ``only_in_a`` / ``only_in_b`` (ids not paired),
        ``metrics`` (the scorers' flat keys: ``sents_f``, ``ents_f``, ``quotes_f``,
        ``cue_acc``, ``speaker_acc``, ``speaker_name_acc``, ``quote_type_acc``,
        ``stance_acc``, ``stance_macro_f`` …, plus ``stance_kappa`` and the speaker-layer
        keys of :func:`speaker_agreement`), ``per_document``: the headline figures of
        each document, and ``differences``: per layer, every disagreement as ``{"id",
        "kind", "a", "b", "context"}`` (kind ``only in A`` / ``only in B`` / ``… differs``;
        ``context`` is ``[before, span, after]`` of the text).

    Raises:
        ValueError: If two paired records do not have the same text.
    """
    by_id_b = {record["id"]: record for record in records_b}
    ids_a = [record["id"] for record in records_a]
    pairs: list[Pair] = []
    for record in records_a:
        other = by_id_b.get(record["id"])
        if other is None:
            continue
        if other["text"] != record["text"]:
            raise ValueError(f"{record['id']}: the two annotations are of different texts")
        pairs.append(Pair(pred=other, gold=record))
    differences: dict[str, list[dict[str, Any]]] = {}
    metrics = _layer_metrics(
        pairs, overlap=overlap, bootstrap=bootstrap, seed=seed, differences=differences
    )
    per_document = {}
    for pair in pairs:
        one = _layer_metrics([pair], overlap=overlap, bootstrap=0, seed=seed, differences={})
        per_document[pair.gold["id"]] = {
            key: one[key]
            for key in (
                "sents_f",
                "ents_f",
                "quotes_f",
                "quotes_matched",
                "speaker_name_acc",
                "stance_acc",
                "stance_kappa",
            )
        } | {"quotes_a": len(pair.gold["quotes"]), "quotes_b": len(pair.pred["quotes"])}
    return {
        "documents": [pair.gold["id"] for pair in pairs],
        "only_in_a": [i for i in ids_a if i not in by_id_b],
        "only_in_b": [i for i in by_id_b if i not in set(ids_a)],
        "metrics": metrics,
        "per_document": per_document,
        "differences": differences,
    }


def _layer_metrics(
    pairs: Sequence[Pair],
    *,
    overlap: float,
    bootstrap: int,
    seed: int,
    differences: dict[str, list[dict[str, Any]]],
) -> dict[str, Any]:
    """The scorers' metrics of B against A; their error lists go to ``differences``."""
    if not pairs:
        return {}
    metrics: dict[str, Any] = {}
    for layer, result, errors in (
        ("sentences", score_sentences(pairs, bootstrap=bootstrap, seed=seed), "sents_errors"),
        ("entities", score_entities(pairs, bootstrap=bootstrap, seed=seed), "ents_errors"),
        (
            "quotes",
            score_quotes(pairs, overlap=overlap, bootstrap=bootstrap, seed=seed),
            "quotes_errors",
        ),
        (
            "stance",
            score_stance(pairs, overlap=overlap, bootstrap=bootstrap, seed=seed),
            "stance_errors",
        ),
    ):
        differences[layer] = [_difference(error, pairs) for error in result.pop(errors)]
        metrics.update(result)
    metrics["stance_kappa"] = kappa(*stance_pairs(pairs, overlap))
    metrics.update(speaker_agreement(pairs))
    return metrics


def _difference(error: dict[str, Any], pairs: Sequence[Pair]) -> dict[str, Any]:
    """A scorer's error entry (B scored against A) told as a disagreement of A and B."""
    kind: str = error["kind"]
    if kind.startswith("missed"):
        kind = "only in A" + kind.removeprefix("missed")
    elif kind.startswith("spurious"):
        kind = "only in B" + kind.removeprefix("spurious")
    elif kind.startswith("wrong "):
        kind = kind.removeprefix("wrong ") + " differs"
    a, b = error.get("gold"), error.get("pred")
    if "label" in error:  # an entity: the error is B's entity, or A's when only A has it
        b = None if kind.startswith("only in A") else error["label"]
        a = error["label"] if kind.startswith("only in A") else (a or {}).get("label")
    record = pairs[error["doc"]].gold
    return {
        "id": record["id"],
        "kind": kind,
        "a": a,
        "b": b,
        "context": list(context(record["text"], error["start"], error["end"])),
    }
