"""eval/scripts/readme_blocks.py: the README's output blocks are what their commands print."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "eval" / "scripts" / "readme_blocks.py"


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("readme_blocks", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["readme_blocks"] = module
    spec.loader.exec_module(module)
    return module


readme_blocks = load()


def test_an_output_block_becomes_what_its_command_prints(tmp_path: Path) -> None:
    text = (
        "Intro\n\n<!-- readme-output: printf 'one\\ntwo  \\n'; echo oops >&2 -->\n"
        "```text\ntyped by hand\n```\n\nOutro\n"
    )
    new = readme_blocks.update(text, tmp_path, report=False)
    assert new == (
        "Intro\n\n<!-- readme-output: printf 'one\\ntwo  \\n'; echo oops >&2 -->\n"
        "```text\none\ntwo\noops\n```\n\nOutro\n"
    )


def test_a_session_block_shows_each_command_and_the_previous_exit_status(tmp_path: Path) -> None:
    text = "<!-- readme-session: echo hi ;; false ;; echo $? -->\n```\n```\n"
    new = readme_blocks.update(text, tmp_path, report=False)
    assert new == (
        "<!-- readme-session: echo hi ;; false ;; echo $? -->\n```\n"
        "$ echo hi\nhi\n$ false\n$ echo $?\n1\n```\n"
    )


def test_text_without_markers_is_left_as_it_is(tmp_path: Path) -> None:
    text = "```\n$ newspipe extract x\nnot run\n```\n"
    assert readme_blocks.update(text, tmp_path, report=False) == text


def test_check_says_whether_a_block_is_stale(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("<!-- readme-output: echo fresh -->\n```\nstale\n```\n", encoding="utf-8")
    assert readme_blocks.main([str(readme), "--check"]) == 1
    assert readme_blocks.main([str(readme)]) == 0
    assert readme.read_text(encoding="utf-8").endswith("```\nfresh\n```\n")
    assert readme_blocks.main([str(readme), "--check"]) == 0


@pytest.mark.model
@pytest.mark.slow
def test_the_readme_output_blocks_are_current() -> None:
    """Every output block of README.md is what its command prints now (else: make readme)."""
    assert readme_blocks.main([str(ROOT / "README.md"), "--check"]) == 0
