"""The shape of the code: the dependency direction CLI (newspipe/) → eval → pipeline, every
import under the newspipe name, no stage read from a factory's name, and nothing of the seed
article in the library."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLI_MODULES = ("newspipe.cli", "newspipe.commands", "newspipe.errors", "newspipe.options")
CLI_MODULES += ("newspipe.render", "newspipe.__main__")


def python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """Every module ``path`` imports (lazy imports inside functions included), by line."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.lineno, node.module


def first_party(module: str) -> bool:
    return module.split(".")[0] in ("newspipe", "pipeline", "eval")


def violations(folder: str, allowed: tuple[str, ...]) -> list[str]:
    found = []
    for path in python_files(folder):
        for line, module in imports(path):
            if first_party(module) and not module.startswith(allowed):
                found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return found


def test_pipeline_imports_neither_eval_nor_the_cli() -> None:
    assert violations("pipeline", ("newspipe.pipeline",)) == []


def test_eval_imports_the_pipeline_but_not_the_cli() -> None:
    assert violations("eval", ("newspipe.eval", "newspipe.pipeline")) == []


def test_nothing_but_the_cli_imports_the_cli() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for folder in ("pipeline", "eval")
        for path in python_files(folder)
        for line, module in imports(path)
        if module == "newspipe" or module.startswith(CLI_MODULES)
    ]
    assert found == []


@pytest.mark.parametrize("folder", ["pipeline", "eval", "newspipe", "tests"])
def test_first_party_imports_name_newspipe(folder: str) -> None:
    """``import pipeline`` would work from the repository root and nowhere else."""
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in python_files(folder)
        if "newspipe/pipeline" not in path.as_posix() and "newspipe/eval" not in path.as_posix()
        for line, module in imports(path)
        if module.split(".")[0] in ("pipeline", "eval")
    ]
    assert found == []


def test_no_code_reads_a_stage_from_a_factory_name() -> None:
    """Only the stage table knows which stage a factory belongs to."""
    pattern = re.compile(r"""startswith\(\s*["']newspipe_|\.split\(\s*["']_["']\s*\)\[""")
    table = ROOT / "pipeline" / "stages" / "__init__.py"
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for folder in ("pipeline", "eval", "newspipe")
        for path in python_files(folder)
        if path != table and "newspipe/pipeline" not in path.as_posix()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert found == []


def test_the_library_names_nothing_of_the_seed_article() -> None:
    """The rules are general: no name or place of the seed article in pipeline/ or eval/."""
    from newspipe.eval.gold import load_gold

    seed = load_gold(ROOT / "gold" / "putin_visit_north_korea.gold.yaml")
    labels = ("PERSON", "GPE", "ORG", "FAC", "NORP", "LOC")
    names = {e["text"] for e in seed["entities"] if e["label"] in labels and len(e["text"]) > 3}
    words = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names))) + r")\b", re.IGNORECASE)
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for folder in ("pipeline", "eval")
        for path in sorted((ROOT / folder).rglob("*"))
        if path.is_file() and path.suffix in (".py", ".json", ".jsonl", ".txt", ".tsv", ".cfg")
        for match in words.finditer(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert len(names) > 10 and found == []
