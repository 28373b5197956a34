from __future__ import annotations

import os
from pathlib import Path

import pytest

from newspipe.pipeline.files import atomic_writer, write_text_atomic


def test_atomic_write_replaces_in_one_step(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    write_text_atomic(out, "old\n")
    write_text_atomic(out, "new\n")
    assert out.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("kept\n")
    with pytest.raises(RuntimeError), atomic_writer(out) as handle:
        handle.write("half")
        raise RuntimeError("boom")
    assert out.read_text() == "kept\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_written_file_has_ordinary_permissions(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    old = os.umask(0o022)
    try:
        write_text_atomic(out, "{}")
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o644
