"""Our gold quotes as stance training items (the seed gold file of the repository)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from newspipe.eval.datasets import load_gold_set
from newspipe.eval.stance_data import gold_stance_items, is_gold_path

SEED_GOLD = Path(__file__).resolve().parents[2] / "gold" / "putin_visit_north_korea.gold.yaml"


def test_each_gold_quote_with_a_stance_is_one_item_grouped_by_its_article() -> None:
    items, described = gold_stance_items([SEED_GOLD])
    [record] = load_gold_set([SEED_GOLD]).records
    labelled = [q for q in record["quotes"] if q.get("stance")]
    assert len(items) == len(labelled) == described["items"]
    assert {item.group for item in items} == {f"article:{record['id']}"}
    assert all(item.example.target == record["target"] for item in items)
    assert described["labels"] == dict(sorted(Counter(q["stance"] for q in labelled).items()))
    assert len(described["sha256"]) == 64


def test_gold_paths_are_gold_files_or_directories(tmp_path: Path) -> None:
    assert is_gold_path(SEED_GOLD) and is_gold_path(tmp_path)
    assert not is_gold_path(tmp_path / "train.jsonl")
