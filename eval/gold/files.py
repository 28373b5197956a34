"""Gold files on disk: reading and parsing one, its article, finding the gold files under
folders and named gold sets, and validating them."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from newspipe.eval.gold.resolve import resolve_gold
from newspipe.eval.gold.spec import GOLD_SUFFIXES, GoldError
from newspipe.pipeline.records import Record
from newspipe.pipeline.run.documents import InputProblem, decode_text


def read_gold_data(path: Path) -> Any:
    """The parsed content of a gold file (``yaml.safe_load``, or ``json`` for ``.json``).

    Raises:
        GoldError: If the file cannot be read or parsed.
    """
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except OSError as err:
        raise GoldError(str(path), [f"cannot read ({err.strerror or err})"]) from None
    except UnicodeDecodeError as err:
        raise GoldError(str(path), [f"not UTF-8 (invalid byte at offset {err.start})"]) from None
    try:
        if path.name.endswith(".json"):
            return json.loads(raw)
        return yaml.safe_load(raw)
    except json.JSONDecodeError as err:
        raise GoldError(str(path), [f"malformed JSON: {err.msg} (line {err.lineno})"]) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        reason = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise GoldError(str(path), [f"malformed YAML: {reason}{where}"]) from None


def read_article(path: Path, source: str) -> str:
    """The text of an article file, decoded as the pipeline decodes its inputs.

    Raises:
        GoldError: If the file cannot be read or is not UTF-8 text.
    """
    try:
        data = path.read_bytes()
    except OSError as err:
        raise GoldError(
            source, [f"text_file {str(path)!r}: cannot read ({err.strerror or err})"]
        ) from None
    text = decode_text(data, str(path))
    if isinstance(text, InputProblem):
        raise GoldError(source, [f"text_file: {text}"])
    return text


def load_gold(path: str | Path) -> Record:
    """Load one gold file and resolve it into a record.

    Args:
        path: A ``*.gold.yaml`` or ``*.gold.json`` file.

    Returns:
        The record (see :func:`resolve_gold`).

    Raises:
        GoldError: With every problem of the file.
    """
    path = Path(path)
    source = str(path)
    data = read_gold_data(path)
    if not isinstance(data, dict):
        raise GoldError(
            source, ["a gold file must be a mapping with id, text_file, sentences, ..."]
        )
    text_file = data.get("text_file")
    if not isinstance(text_file, str) or not text_file.strip():
        raise GoldError(source, ["text_file must name the article's text file"])
    text = read_article(path.parent / text_file, source)
    return resolve_gold(data, source, text)


def gold_files(paths: Iterable[str | Path], *, recursive: bool = True) -> list[Path]:
    """The gold files named by ``paths``: files as given, directories by the gold files in them
    and (``recursive``) in their subfolders; folders whose name starts with "." are skipped,
    such as the raw annotations kept in ``.annotators/``.

    Raises:
        GoldError: If a path does not exist or a directory holds no gold file.
    """
    found: list[Path] = []
    for item in map(Path, paths):
        if item.is_dir():
            inside = sorted(
                path
                for path in (item.rglob("*") if recursive else item.iterdir())
                if path.name.endswith(GOLD_SUFFIXES)
                and not any(part.startswith(".") for part in path.relative_to(item).parts[:-1])
                and path.is_file()
            )
            if not inside:
                raise GoldError(
                    str(item), [f"no gold files ({', '.join(GOLD_SUFFIXES)}) in this directory"]
                )
            found.extend(inside)
        elif item.exists():
            found.append(item)
        else:
            raise GoldError(str(item), ["no such file or directory"])
    return found


GOLD_SETS: dict[str, str] = {
    "all": "every gold file under the gold folder",
    "seed": "the gold files directly in the gold folder (the seed article)",
    "news": "the news development set in its news/ subfolder",
}
"""Named parts of the project's gold folder (``newspipe score --gold-set``)."""


def gold_set_files(name: str, root: str | Path = "gold") -> list[Path]:
    """The gold files of the named set (:data:`GOLD_SETS`) in the gold folder ``root``.

    Raises:
        ValueError: If ``name`` is not a known set.
        GoldError: If the set's folder is missing or holds no gold file.
    """
    root = Path(root)
    if name == "all":
        return gold_files([root])
    if name == "seed":
        return gold_files([root], recursive=False)
    if name == "news":
        return gold_files([root / "news"])
    raise ValueError(f"unknown gold set {name!r}; known: {', '.join(GOLD_SETS)}")


@dataclass(frozen=True)
class GoldCheck:
    """The outcome of validating one gold file.

    Attributes:
        path: The gold file.
        record: The resolved record, or None if the file has problems.
        problems: The problem lines, each starting with the file name.
    """

    path: Path
    record: Record | None
    problems: list[str]


def validate_gold(paths: Iterable[str | Path]) -> list[GoldCheck]:
    """Validate gold files and directories of them; every problem of every file is kept.

    Raises:
        GoldError: If a path does not exist or a directory holds no gold file.
    """
    checks = []
    for path in gold_files(paths):
        try:
            checks.append(GoldCheck(path, load_gold(path), []))
        except GoldError as err:
            checks.append(GoldCheck(path, None, err.lines()))
    return checks


def relative_path(target: Path, start_dir: Path) -> str:
    """``target`` relative to ``start_dir``, with forward slashes."""
    return Path(os.path.relpath(target.resolve(), start_dir.resolve())).as_posix()
