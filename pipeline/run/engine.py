"""What the engines share: their settings, their callbacks, their summary, and the lookup.

Both engines — :func:`newspipe.pipeline.run.local.run_local` and
:func:`newspipe.pipeline.run.ray.run_ray` — are :data:`Engine` s: ``(inputs, output, settings,
callbacks) -> summary``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.records import Record
from newspipe.pipeline.run.documents import DEFAULT_FIELDS, Fields, InputProblem

ENGINE_NAMES = ("local", "ray")


@dataclass(frozen=True)
class RunSettings:
    """How to run: the pipeline (config file and dotted overrides), how to read the inputs,
    how many workers, and what to write.

    Attributes:
        fmt: Output format, ``jsonl``, ``parquet`` or ``csv``; None: from the output's suffix.
        config: A pipeline config file; None: the packaged one.
        overrides: Dotted config overrides (``{"components.stance.target": "…"}``).
        fields: The record fields (table columns) that hold text, id and target.
        split: The split of a saved dataset dictionary or a hub dataset.
        workers: Worker processes (local) or actors (Ray).
        batch_size: Documents per batch; None: the config's.
        resume: Keep the records already in the output (or an unfinished run's) and add the
            documents whose ids are not there.
        errors: Also write every problem as a JSONL line ``{id, source, error}`` here.
        address: The Ray cluster to join (Ray only): ``auto``, ``ray://HEAD:10001``, or None
            for a local instance started for the run.
        csv_layer: The layer a CSV output holds, a row per item: ``quotes``, ``entities`` or
            ``sentences`` (:mod:`newspipe.pipeline.run.csv_layers`).
    """

    fmt: str | None = None
    config: str | Path | None = None
    overrides: Mapping[str, Any] = field(default_factory=dict)
    fields: Fields = DEFAULT_FIELDS
    split: str | None = None
    workers: int = 1
    batch_size: int | None = None
    resume: bool = False
    errors: Path | None = None
    address: str | None = None
    csv_layer: str = "quotes"


@dataclass
class Callbacks:
    """What an engine tells its caller while it runs (each optional).

    Attributes:
        record: Each record (in input order); the only place records go without an output.
        problem: Each document that could not be read or processed (skipped).
        start: The run starts; the number of documents when it is cheap to know, else None.
            Asking for it (giving this callback) costs a pass over line counts and metadata.
        progress: After each document: documents done and, of those, skipped because they were
            already in the output (resume).
        resumed: A resumed run keeps records of earlier runs: how many are in the output, and
            how many in the journal of an unfinished run.
    """

    record: Callable[[Record], None] | None = None
    problem: Callable[[InputProblem], None] | None = None
    start: Callable[[int | None], None] | None = None
    progress: Callable[[int, int], None] | None = None
    resumed: Callable[[int, int], None] | None = None


@dataclass
class RunSummary:
    """What a run did.

    Attributes:
        written: Records this run wrote (or handed to the record callback).
        kept: Records of an earlier run that the output keeps (resume).
        skipped: Documents skipped because their ids were already in the output.
        problems: Documents reported as problems and skipped.
        output: Where the records went (None: the record callback).
        unchanged: Nothing was extracted, and an existing output was left as it was.
    """

    written: int = 0
    kept: int = 0
    skipped: int = 0
    problems: int = 0
    output: str | None = None
    unchanged: bool = False


Engine = Callable[[Sequence[str], "str | Path | None", RunSettings, Callbacks], RunSummary]
"""An engine: ``(inputs, output, settings, callbacks) -> summary``."""


def engine_named(name: str) -> Engine:
    """The engine called ``name`` (``local`` or ``ray``; Ray is imported only when used)."""
    if name == "local":
        from newspipe.pipeline.run.local import run_local

        return run_local
    if name == "ray":
        from newspipe.pipeline.run.ray import run_ray

        return run_ray
    raise PipelineError(f"unknown engine '{name}' (engines: {', '.join(ENGINE_NAMES)})")
