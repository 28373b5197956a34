"""Our gold quotes as training items of the stance model (``newspipe train stance gold/``).

Each gold quote with a stance becomes one item: its content, the article's target, its cue and
its label; its group is the article, so that cross-validation never scores a quote of an
article the model was trained on. Only the gold of this repository is read here (the public
stance sets are JSONL, read by :func:`newspipe.pipeline.stages.stance.train.read_stance_data`).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newspipe.eval.datasets import load_gold_set
from newspipe.eval.gold import gold_files
from newspipe.pipeline.stages.stance.features import StanceExample
from newspipe.pipeline.stages.stance.train import StanceItem

GOLD_SUFFIXES = (".gold.yaml", ".gold.yml", ".gold.json")


def is_gold_path(path: str | Path) -> bool:
    """A gold file, or a directory (of gold files): read as gold, not as JSONL."""
    path = Path(path)
    return path.is_dir() or path.name.endswith(GOLD_SUFFIXES)


def gold_stance_items(paths: Sequence[str | Path]) -> tuple[list[StanceItem], dict[str, Any]]:
    """The stance items of the gold files in ``paths`` (files or directories), and a
    description of them (name, sha256 over the files, item and label counts).

    Raises:
        DatasetError: A gold file that does not load (see ``newspipe gold validate``).
    """
    gold = load_gold_set(paths)
    name = " ".join(str(p) for p in paths)
    items: list[StanceItem] = []
    counts: Counter[str] = Counter()
    for record in gold.records:
        target = record.get("target")
        if not target:
            continue
        for quote in record["quotes"]:
            label = quote.get("stance")
            if label is None:
                continue
            cue = quote["cue"]["text"] if quote["cue"] is not None else None
            example = StanceExample(quote["content"]["text"], target, cue)
            items.append(StanceItem(example, label, f"article:{record['id']}", name))
            counts[label] += 1
    digest = hashlib.sha256()
    for path in gold_files(paths):
        digest.update(Path(path).read_bytes())
    for record in gold.records:
        digest.update(record["text"].encode("utf-8"))
    description = {
        "path": name,
        "sha256": digest.hexdigest(),
        "items": len(items),
        "articles": len({item.group for item in items}),
        "labels": dict(sorted(counts.items())),
        "grouped_by": "article",
    }
    return items, description
