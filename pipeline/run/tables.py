"""Corpora read through ``datasets``: CSV and Parquet files, saved datasets, hub datasets.

Every reader streams: rows come in batches of :data:`READ_BATCH` (``IterableDataset`` for
files and the hub, the memory-mapped Arrow table of a saved dataset), so memory does not grow
with the corpus. A row that is not a usable document (no text, empty text, a target that is
not a string) becomes an :class:`~newspipe.pipeline.run.documents.InputProblem` and reading
goes on; a file that cannot be read at all is one problem naming the file.

Row sources are ``PATH:row N`` (N counts data rows from 1); a row without an id gets
``STEM-N``, as a JSONL line without one gets ``STEM-LINE``.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from newspipe.pipeline.files import open_regular
from newspipe.pipeline.run.documents import (
    DEFAULT_FIELDS,
    Fields,
    InputProblem,
    Item,
    record_to_item,
)

HUB_PREFIX = "hf:"
"""An input named ``hf:NAME`` is a dataset on the Hugging Face hub."""
READ_BATCH = 256
"""Rows read from a table at a time."""

HUB_PROBE_SECONDS = 3.0
OFFLINE_VARIABLES = ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE")


def is_saved_dataset(path: Path) -> bool:
    """Whether ``path`` is a directory written by ``Dataset(Dict).save_to_disk``."""
    return (path / "dataset_dict.json").is_file() or (
        (path / "state.json").is_file() and (path / "dataset_info.json").is_file()
    )


def read_table_file(path: Path, fields: Fields = DEFAULT_FIELDS) -> Iterator[Item]:
    """Documents from the rows of a ``.csv`` or ``.parquet`` file, streamed by ``datasets``."""
    import datasets

    builder = path.suffix.lower().lstrip(".")
    try:
        open_regular(path).close()  # never a device or a FIFO
    except OSError as err:
        yield InputProblem(str(path), f"cannot read ({err.strerror or err})")
        return
    try:
        dataset = datasets.load_dataset(
            builder, data_files=[str(path)], split="train", streaming=True
        )
    except Exception as err:
        yield InputProblem(str(path), f"cannot read {builder} ({_one_line(err)})")
        return
    yield from _read_rows(dataset, str(path), path.stem, fields)


def read_saved_dataset(
    path: Path, fields: Fields = DEFAULT_FIELDS, split: str | None = None
) -> Iterator[Item]:
    """Documents from a dataset directory saved by ``datasets`` (memory-mapped, not copied)."""
    import datasets

    try:
        loaded = datasets.load_from_disk(str(path))
    except Exception as err:
        yield InputProblem(str(path), f"cannot read saved dataset ({_one_line(err)})")
        return
    if isinstance(loaded, datasets.DatasetDict):
        chosen = _choose_split(list(loaded), split)
        if isinstance(chosen, str):
            yield from _read_rows(loaded[chosen], f"{path}[{chosen}]", path.name, fields)
        else:
            yield InputProblem(str(path), chosen.message, needs=chosen.needs)
        return
    yield from _read_rows(loaded, str(path), path.name, fields)


def read_hub_dataset(
    name: str, fields: Fields = DEFAULT_FIELDS, split: str | None = None
) -> Iterator[Item]:
    """Documents of a dataset on the Hugging Face hub, streamed (nothing is saved first).

    Without a network this fails at once with one problem, instead of retrying for long:
    the hub is probed with a short timeout first, unless ``HF_HUB_OFFLINE`` or
    ``HF_DATASETS_OFFLINE`` is set, in which case only the local cache is used.
    """
    source = f"{HUB_PREFIX}{name}"
    if not name:
        yield InputProblem(source, "no dataset name after 'hf:'")
        return
    offline = any(_truthy(os.environ.get(v)) for v in OFFLINE_VARIABLES)
    if not offline and not hub_reachable():
        yield InputProblem(
            source,
            f"cannot reach the Hugging Face hub ({hub_endpoint()}); download the dataset "
            "where there is a network and pass its path (CSV, Parquet, JSONL or a saved "
            "dataset directory), or set HF_HUB_OFFLINE=1 to use the local cache",
        )
        return
    import datasets

    try:
        dataset = datasets.load_dataset(name, split=split or "train", streaming=True)
    except Exception as err:
        where = "in the local cache (offline)" if offline else "on the hub"
        yield InputProblem(source, f"cannot load {where} ({_one_line(err)})")
        return
    yield from _read_rows(dataset, source, name.replace("/", "_"), fields)


def hub_endpoint() -> str:
    """The hub's base address (``HF_ENDPOINT`` or huggingface.co)."""
    return os.environ.get("HF_ENDPOINT", "https://huggingface.co")


def hub_reachable(timeout: float = HUB_PROBE_SECONDS) -> bool:
    """Whether a TCP connection to the hub opens within ``timeout`` seconds."""
    url = urlparse(hub_endpoint())
    host = url.hostname or "huggingface.co"
    port = url.port or (80 if url.scheme == "http" else 443)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def saved_dataset_rows(path: Path, split: str | None) -> int:
    """Rows of a saved dataset (of its chosen split; 1 when no split can be chosen)."""
    import datasets

    loaded = datasets.load_from_disk(str(path))
    if isinstance(loaded, datasets.DatasetDict):
        chosen = _choose_split(list(loaded), split)
        return len(loaded[chosen]) if isinstance(chosen, str) else 1
    return len(loaded)


def _choose_split(splits: list[str], wanted: str | None) -> str | InputProblem:
    if wanted is not None:
        if wanted in splits:
            return wanted
        return InputProblem("", f"no split '{wanted}' (splits: {', '.join(splits)})")
    if len(splits) == 1:
        return splits[0]
    if "train" in splits:
        return "train"
    return InputProblem("", f"several splits ({', '.join(splits)}); choose one", needs="split")


def _read_rows(dataset: Any, source: str, stem: str, fields: Fields) -> Iterator[Item]:
    """Rows of a ``datasets`` Dataset or IterableDataset as documents, batch by batch."""
    wanted = [fields.text, fields.id, fields.target]
    row = 0
    try:
        for batch in dataset.iter(batch_size=READ_BATCH):
            if row == 0 and fields.text not in batch:
                names = ", ".join(batch) or "none"
                yield InputProblem(source, f"no '{fields.text}' column (columns: {names})")
                return
            columns = {name: batch[name] for name in wanted if name in batch}
            for values in zip(*columns.values(), strict=True):
                row += 1
                record = {name: _plain(value) for name, value in zip(columns, values, strict=True)}
                yield record_to_item(record, f"{source}:row {row}", f"{stem}-{row}", fields)
    except Exception as err:
        where = f"after row {row}" if row else "at the start"
        yield InputProblem(source, f"cannot read further {where} ({_one_line(err)})")


def _plain(value: Any) -> Any:
    """A cell as a JSON-like value: integral floats (CSV ids with gaps) become ints."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _one_line(err: BaseException) -> str:
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    text = " ".join(lines) if lines else type(err).__name__
    return text[:300]
