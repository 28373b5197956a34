"""Gold files on disk: reading and parsing one, its article, finding the gold files under
folders and named gold sets, and validating them.

A gold file names its article (``text_file``) by a relative path that must stay inside the
gold tree: it is resolved (links followed) and must lie under the tree's root
(:func:`gold_root`: the nearest folder above the gold file holding ``pyproject.toml`` or
``.git``, else the gold file's own folder) or under a root the caller adds. So
``../seeds/article.txt`` is fine in a repository, while ``/etc/passwd`` or
``../../../../etc/passwd`` are refused. Gold files and articles are read only if they are
regular files of bounded size.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from newspipe.eval.gold.resolve import resolve_gold
from newspipe.eval.gold.spec import GOLD_SUFFIXES, GoldError
from newspipe.pipeline.files import MAX_TEXT_BYTES, read_bounded
from newspipe.pipeline.records import Record
from newspipe.pipeline.run.documents import InputProblem, decode_text

ROOT_MARKERS = ("pyproject.toml", ".git")
"""What marks the root of a gold tree (a project or repository)."""


def read_gold_data(path: Path) -> Any:
    """The parsed content of a gold file (``yaml.safe_load``, or ``json`` for ``.json``).

    Raises:
        GoldError: If the file cannot be read or parsed.
    """
    try:
        raw = read_bounded(path, MAX_TEXT_BYTES).decode("utf-8-sig")
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
        reason = getattr(err, "problem", None) or (str(err).splitlines() or ["unreadable"])[0]
        raise GoldError(str(path), [f"malformed YAML: {reason}{where}"]) from None
    except RecursionError:
        raise GoldError(str(path), ["nested too deeply"]) from None


def read_article(path: Path, source: str) -> str:
    """The text of an article file, decoded as the pipeline decodes its inputs.

    Raises:
        GoldError: If the file cannot be read or is not UTF-8 text.
    """
    try:
        data = read_bounded(path, MAX_TEXT_BYTES)
    except (OSError, ValueError) as err:  # ValueError: a name no file system takes
        reason = getattr(err, "strerror", None) or err
        raise GoldError(source, [f"text_file {str(path)!r}: cannot read ({reason})"]) from None
    text = decode_text(data, str(path))
    if isinstance(text, InputProblem):
        raise GoldError(source, [f"text_file: {text}"])
    return text


def gold_root(path: str | Path) -> Path:
    """The root of the gold tree ``path`` (a gold file) belongs to: the nearest folder above
    it holding ``pyproject.toml`` or ``.git``, else the gold file's own folder (resolved)."""
    folder = Path(path).absolute().parent
    for candidate in (folder, *folder.parents):
        if any((candidate / marker).exists() for marker in ROOT_MARKERS):
            return candidate.resolve()
    return folder.resolve()


def article_path(path: str | Path, text_file: str, roots: Sequence[str | Path] = ()) -> Path:
    """The article a gold file names: ``text_file`` relative to the gold file's folder,
    confined to the gold tree (:func:`gold_root`, or one of ``roots``).

    Raises:
        GoldError: If ``text_file`` is absolute, or resolves (links followed) outside every
            allowed root.
    """
    path = Path(path)
    source = str(path)
    if Path(text_file).is_absolute():
        raise GoldError(
            source, [f"text_file {text_file!r}: must be relative to the gold file's folder"]
        )
    article = path.parent / text_file
    try:
        resolved = article.resolve()
    except (OSError, RuntimeError, ValueError) as err:  # a loop of links, a lone surrogate
        raise GoldError(source, [f"text_file {text_file!r}: cannot resolve ({err})"]) from None
    allowed = [gold_root(path), *(Path(root).resolve() for root in roots)]
    if not any(resolved.is_relative_to(root) for root in allowed):
        raise GoldError(
            source,
            [
                f"text_file {text_file!r}: resolves to {resolved}, outside the gold root "
                f"{allowed[0]}; another root must be allowed explicitly"
            ],
        )
    return article


def load_gold(path: str | Path, roots: Sequence[str | Path] = ()) -> Record:
    """Load one gold file and resolve it into a record.

    Args:
        path: A ``*.gold.yaml`` or ``*.gold.json`` file.
        roots: Folders besides the gold tree's root (:func:`gold_root`) that its article may
            lie in.

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
    if "\x00" in text_file:
        raise GoldError(source, ["text_file must be a path (it holds a NUL character)"])
    text = read_article(article_path(path, text_file, roots), source)
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


def validate_gold(
    paths: Iterable[str | Path], roots: Sequence[str | Path] = ()
) -> list[GoldCheck]:
    """Validate gold files and directories of them; every problem of every file is kept.
    ``roots``: as for :func:`load_gold`.

    Raises:
        GoldError: If a path does not exist or a directory holds no gold file.
    """
    checks = []
    for path in gold_files(paths):
        try:
            checks.append(GoldCheck(path, load_gold(path, roots), []))
        except GoldError as err:
            checks.append(GoldCheck(path, None, err.lines()))
    return checks


def relative_path(target: Path, start_dir: Path) -> str:
    """``target`` relative to ``start_dir``, with forward slashes."""
    return Path(os.path.relpath(target.resolve(), start_dir.resolve())).as_posix()
