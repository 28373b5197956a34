"""The README's Python example runs, and prints what the README says it prints."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def readme_example() -> tuple[str, str]:
    """The code and the printed output of the README's "Python" section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    printed = re.search(r"prints\n\n```text\n(.*?)```", section, re.S)
    assert code is not None and printed is not None
    return code.group(1), printed.group(1)


@pytest.mark.model
@pytest.mark.slow
def test_the_python_example_prints_what_the_readme_shows(tmp_path: Path) -> None:
    code, printed = readme_example()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == printed
    assert (tmp_path / "newspipe_pipeline" / "config.cfg").is_file()
