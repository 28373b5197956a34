"""How right the source table is: kind and referenced gender per speaker, and the merged
table, against the gold ``speakers`` layer (gold/GUIDELINES.md, section 5).

- **Per speaker** (one document's canonical name): the predicted records' speakers are
  matched to the gold speakers of the same document by canonical name (case and whitespace
  ignored, as ``speaker_name_acc`` compares names). Over matched speakers: accuracy of kind and
  of referenced gender (95% bootstrap intervals over documents), their confusion matrices,
  precision and recall of each gender, and the baselines of always answering the most frequent
  gold value. Run on the gold records themselves, the quotes, speakers and entities are gold
  and only the kind and gender inference is measured.
- **Merged table**: the gold sources are the gold speakers with the same canonical name across
  documents (kind: the gold kind; gender: the gender most documents give, as the table
  decides), with their quotes and documents counted from the gold quotes. A predicted row
  matches a gold source when one of its name forms is the gold name. Reported: rows and gold
  sources matched (precision and recall of the table's sources), kind and gender accuracy of
  matched rows, how often the quote and document counts are exact, gold sources split over
  several rows, and the pairwise precision and recall of "these two documents' speakers are one
  source" over speakers matched in both.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations
from typing import Any

from newspipe.eval.scorers.bootstrap import (
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    Tally,
    accuracy_statistic,
    interval,
)
from newspipe.eval.scorers.quotes import name_key
from newspipe.pipeline.sources.documents import KINDS, document_sources
from newspipe.pipeline.sources.table import GENDER_VALUES, SourceTable, build_source_table


def _accuracy(tally: Tally, n_docs: int, resamples: int, seed: int) -> dict[str, Any]:
    correct, total = (float(x) for x in tally.total())
    return {
        "acc": correct / total if total else None,
        "acc_ci": interval(tally, accuracy_statistic, n_docs, resamples, seed),
        "n": int(total),
    }


def _per_label(gold: Sequence[str], pred: Sequence[str], labels: Iterable[str]) -> dict[str, Any]:
    result = {}
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
        n_pred, n_gold = pred.count(label), gold.count(label)
        result[label] = {
            "p": tp / n_pred if n_pred else None,
            "r": tp / n_gold if n_gold else None,
            "support": n_gold,
            "predicted": n_pred,
        }
    return result


def _confusion(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    counts = Counter(zip(gold, pred, strict=True))
    return {g: {p: counts[(g, p)] for p in labels if counts[(g, p)]} for g in labels}


def score_speakers(
    predicted: Mapping[str, Mapping[str, Any]],
    gold: Sequence[Mapping[str, Any]],
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> dict[str, Any]:
    """Kind and referenced gender of each document's speakers against the gold layer.

    Args:
        predicted: Records by id (extract output, or the gold records themselves).
        gold: Gold records with a ``speakers`` layer.
        resamples: Bootstrap resamples for the intervals (0: none).
        seed: Seed of the bootstrap.
    """
    kind_tally, gender_tally = Tally(2), Tally(2)
    kinds: tuple[list[str], list[str]] = ([], [])
    genders: tuple[list[str], list[str]] = ([], [])
    gold_n = pred_n = 0
    missing: list[str] = []
    errors: list[dict[str, Any]] = []
    scored = [g for g in gold if "speakers" in g]
    for d, record in enumerate(scored):
        listed = {name_key(s["name"]): s for s in record["speakers"]}
        gold_n += len(listed)
        pred = predicted.get(str(record["id"]))
        if pred is None:
            missing.append(str(record["id"]))
            continue
        speakers = document_sources(pred).speakers
        pred_n += len(speakers)
        for speaker in speakers:
            truth = listed.get(name_key(speaker.name))
            if truth is None:
                continue
            kinds[0].append(truth["kind"])
            kinds[1].append(speaker.kind)
            genders[0].append(truth["gender"])
            genders[1].append(speaker.gender)
            kind_tally.add(d, (truth["kind"] == speaker.kind, 1))
            gender_tally.add(d, (truth["gender"] == speaker.gender, 1))
            if truth["kind"] != speaker.kind or truth["gender"] != speaker.gender:
                errors.append(
                    {
                        "id": record["id"],
                        "name": speaker.name,
                        "gold": f"{truth['kind']}/{truth['gender']}",
                        "pred": f"{speaker.kind}/{speaker.gender}",
                        "why": f"{speaker.kind_reason}; {speaker.gender_reason}",
                        "evidence": [e.describe() for e in speaker.evidence],
                    }
                )
    n_docs = len(scored)
    matched = len(kinds[0])
    majority_kind = Counter(kinds[0]).most_common(1)[0] if kinds[0] else ("", 0)
    majority_gender = Counter(genders[0]).most_common(1)[0] if genders[0] else ("", 0)
    return {
        "documents": n_docs,
        "documents_missing": missing,
        "gold_speakers": gold_n,
        "predicted_speakers": pred_n,
        "matched_speakers": matched,
        "name_p": matched / pred_n if pred_n else None,
        "name_r": matched / gold_n if gold_n else None,
        "kind": _accuracy(kind_tally, n_docs, resamples, seed)
        | {
            "majority": majority_kind[0],
            "majority_acc": majority_kind[1] / matched if matched else None,
            "per_label": _per_label(*kinds, KINDS),
            "confusion": _confusion(*kinds, KINDS),
        },
        "gender": _accuracy(gender_tally, n_docs, resamples, seed)
        | {
            "majority": majority_gender[0],
            "majority_acc": majority_gender[1] / matched if matched else None,
            "per_label": _per_label(*genders, GENDER_VALUES),
            "confusion": _confusion(*genders, GENDER_VALUES),
        },
        "errors": errors,
    }


def gold_sources(gold: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The gold source table: speakers with the same canonical name across documents are one
    source; quotes and documents counted from the gold quotes."""
    sources: dict[str, dict[str, Any]] = {}
    for record in gold:
        if "speakers" not in record:
            continue
        quotes = Counter(name_key(q["speaker_name"]) for q in record["quotes"] if q["speaker_name"])
        for speaker in record["speakers"]:
            key = name_key(speaker["name"])
            entry = sources.setdefault(
                key,
                {"name": speaker["name"], "kinds": Counter(), "genders": Counter(), "quotes": 0},
            )
            entry["kinds"][speaker["kind"]] += 1
            entry["genders"][speaker["gender"]] += 1
            entry["quotes"] += quotes[key]
            entry.setdefault("documents", set()).add(str(record["id"]))
    for entry in sources.values():
        entry["kind"] = entry["kinds"].most_common(1)[0][0]
        said = Counter({g: n for g, n in entry["genders"].items() if g != "unknown"}).most_common()
        tie = len(said) > 1 and said[0][1] == said[1][1]
        entry["gender"] = said[0][0] if said and not tie else "unknown"
    return sources


def score_table(
    table: SourceTable,
    predicted: Mapping[str, Mapping[str, Any]],
    gold: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """The merged source table against the gold sources (see the module docstring)."""
    reference = gold_sources(gold)
    ids = {str(g["id"]) for g in gold if "speakers" in g}
    rows = [r for r in table.rows if r.documents & ids]
    by_gold: dict[str, list[Any]] = {}
    for row in rows:
        keys = {name_key(form) for form in row.names} & reference.keys()
        for key in keys:
            by_gold.setdefault(key, []).append(row)
    matched_rows = {id(r) for found in by_gold.values() for r in found}
    kind = gender = quotes_exact = documents_exact = 0
    for key, found in by_gold.items():
        best = max(found, key=lambda r: r.quotes)
        truth = reference[key]
        kind += best.kind == truth["kind"]
        gender += best.gender == truth["gender"]
        quotes_exact += best.quotes == truth["quotes"]
        documents_exact += len(best.documents & ids) == len(truth["documents"])
    n = len(by_gold)
    pairs = _pair_scores(table, predicted, gold)
    return {
        "gold_sources": len(reference),
        "rows": len(rows),
        "matched_gold_sources": n,
        "matched_rows": len(matched_rows),
        "sources_p": len(matched_rows) / len(rows) if rows else None,
        "sources_r": n / len(reference) if reference else None,
        "kind_acc": kind / n if n else None,
        "gender_acc": gender / n if n else None,
        "quotes_exact": quotes_exact / n if n else None,
        "documents_exact": documents_exact / n if n else None,
        "split_gold_sources": sum(len(found) > 1 for found in by_gold.values()),
        **pairs,
    }


def _pair_scores(
    table: SourceTable,
    predicted: Mapping[str, Mapping[str, Any]],
    gold: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """Pairwise precision and recall of "one source" over document speakers matched in both."""
    row_of: dict[tuple[str, str], int] = {}
    for r, row in enumerate(table.rows):
        for doc_id in row.documents:
            for form in row.names:
                row_of[(doc_id, name_key(form))] = r
    units: list[tuple[str, int]] = []  # (gold key, predicted row) of each matched speaker
    for record in gold:
        if "speakers" not in record or str(record["id"]) not in predicted:
            continue
        for speaker in record["speakers"]:
            key = name_key(speaker["name"])
            found = row_of.get((str(record["id"]), key))
            if found is not None:
                units.append((key, found))
    same_gold = same_pred = both = 0
    for (key_a, row_a), (key_b, row_b) in combinations(units, 2):
        same_gold += key_a == key_b
        same_pred += row_a == row_b
        both += key_a == key_b and row_a == row_b
    return {
        "merge_pairs_gold": same_gold,
        "merge_pairs_predicted": same_pred,
        "merge_p": both / same_pred if same_pred else None,
        "merge_r": both / same_gold if same_gold else None,
    }


def evaluate_sources(
    records: Sequence[Mapping[str, Any]],
    gold: Sequence[Mapping[str, Any]],
    table: SourceTable | None = None,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> dict[str, Any]:
    """Per-speaker and merged-table scores of ``records`` (and their ``table``, built here
    when not given) against ``gold``."""
    predicted = {str(r["id"]): r for r in records}
    if table is None:
        table = build_source_table(records)
    return {
        "speakers": score_speakers(predicted, gold, resamples, seed),
        "table": score_table(table, predicted, gold),
    }
