"""The distribution installs one top-level package, ``newspipe``: the folders ``pipeline/`` and
``eval/`` arrive as ``newspipe.pipeline`` and ``newspipe.eval``, never under their own names."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
"""Subprocesses see neither this checkout (PYTHONPATH) nor the test venv."""
SKIP = (".git", ".venv", "build", "dist", "*.egg-info", "*_cache", ".benchmarks", ".hypothesis")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the source tree (the symlinks kept as symlinks)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "src"
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(*SKIP))
    out = tmp / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
        env=CLEAN_ENV,
    )
    (built,) = out.glob("newspipe-*.whl")
    return built


@pytest.mark.slow
def test_wheel_holds_only_the_newspipe_package(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/")[0] for name in names} == {"newspipe", "newspipe-0.1.0.dist-info"}
    for module in (
        "pipeline/build.py",
        "eval/run.py",
        "pipeline/resources/quote_model.json",
        "eval/report/templates/base.html.j2",  # the pages' templates and style
        "eval/report/templates/base.css",
    ):
        assert f"newspipe/{module}" in names
    entry_points = zipfile.ZipFile(wheel).read("newspipe-0.1.0.dist-info/entry_points.txt")
    assert b"= pipeline." not in entry_points and b"= eval." not in entry_points


@pytest.mark.slow
def test_install_puts_no_pipeline_or_eval_into_site_packages(wheel: Path, tmp_path: Path) -> None:
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
        check=True,
        capture_output=True,
        env=CLEAN_ENV,
    )
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
        env=CLEAN_ENV,
    ).stdout.strip()
    top_level = {path.name for path in Path(purelib).iterdir()}
    assert "newspipe" in top_level
    assert not top_level & {"pipeline", "eval", "pipeline.py", "eval.py"}
    assert (Path(purelib) / "newspipe" / "pipeline" / "records.py").is_file()
