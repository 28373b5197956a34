from __future__ import annotations

import os
from pathlib import Path

import pytest

from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.files import (
    FileRefused,
    atomic_writer,
    file_name_problem,
    open_regular,
    read_bounded,
    read_line_bounded,
    safe_file_name,
    writable_output_problem,
    write_text_atomic,
)


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


# -- bounded reads of regular files only (issue #17, case 2) -----------------------------------


def test_read_bounded_refuses_a_device_even_through_a_link(tmp_path: Path) -> None:
    link = tmp_path / "article.txt"
    link.symlink_to("/dev/zero")  # st_size is 0: a size check before reading would pass
    with pytest.raises(FileRefused, match="character device, not a regular file"):
        read_bounded(link)


def test_read_bounded_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)  # nobody writes: opening it for reading would block
    with pytest.raises(FileRefused, match="named pipe"):
        read_bounded(fifo)
    with pytest.raises(FileRefused, match="directory"):
        read_bounded(tmp_path)


def test_read_bounded_counts_the_bytes_it_reads(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 101)
    assert read_bounded(big, 101) == b"x" * 101
    with pytest.raises(FileRefused, match="larger than the limit"):
        read_bounded(big, 100)


def test_an_overlong_line_is_skipped_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(b"short\n" + b"y" * 50 + b"\nlast")
    with open_regular(path) as handle:
        lines = [read_line_bounded(handle, 10) for _ in range(4)]
    assert lines == [b"short\n", None, b"last", b""]


# -- file names made from data (issue #17, case 1) ----------------------------------------------


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("../../escaped", "path separator"),
        ("/etc/passwd", "path separator"),
        ("a\\b", "path separator"),
        ("..", "starts with a dot"),
        (".hidden", "starts with a dot"),
        ("", "is empty"),
        ("tab\there", "control character"),
        ("x" * 201, "longer than 200 bytes"),
        ("\ud800", "lone surrogate"),
    ],
)
def test_ids_that_are_not_one_plain_path_component_are_refused(name: str, problem: str) -> None:
    assert problem in (file_name_problem(name) or "")
    with pytest.raises(PipelineError, match="cannot be a file name"):
        safe_file_name(name)


def test_ordinary_ids_are_file_names() -> None:
    for name in ("putin_visit_north_korea", "GUM_news_afghan", "a.b-c 1", "é" * 100):
        assert safe_file_name(name) == name


# -- outputs (issue #17, case 6) ---------------------------------------------------------------


def test_a_read_only_output_is_never_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("kept\n")
    out.chmod(0o444)
    with pytest.raises(PermissionError, match="read-only"), atomic_writer(out) as handle:
        handle.write("new\n")
    assert out.read_text() == "kept\n" and out.stat().st_mode & 0o777 == 0o444
    assert writable_output_problem(out) == "the existing file is read-only; not replaced"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("old\n")
    out.chmod(0o600)
    write_text_atomic(out, "new\n")
    assert out.read_text() == "new\n" and out.stat().st_mode & 0o777 == 0o600


def test_a_directory_is_not_an_output(tmp_path: Path) -> None:
    assert writable_output_problem(tmp_path) == "is a directory; give a file name"
    assert writable_output_problem(tmp_path / "no" / "x.jsonl") == "output directory does not exist"
    with pytest.raises(IsADirectoryError), atomic_writer(tmp_path):
        pass
