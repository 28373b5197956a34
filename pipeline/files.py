"""Files: atomic writes, bounded reads of regular files only, and safe file names.

- :func:`atomic_writer`: a reader never sees a half-written output, a read-only output is
  never replaced, and a replaced file keeps its permissions.
- :func:`open_regular` / :func:`read_bounded`: a data file is read only if it is a regular
  file (never a device, a FIFO or a directory, whatever a symbolic link points to), and never
  beyond a size limit. The limit is enforced by counting the bytes read, not by trusting
  ``st_size`` (which is 0 for ``/dev/zero``).
- :func:`file_name_problem` / :func:`safe_file_name`: a value that comes from data (a
  document id) becomes a file name only if it is one plain path component.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, BinaryIO

from newspipe.pipeline.errors import PipelineError

MB = 1_000_000
MAX_TEXT_BYTES = 100 * MB
"""The largest document text, article, JSONL line or gold file read (a news article is a few
kilobytes; a book is a few megabytes)."""
MAX_DATA_BYTES = 2_000 * MB
"""The largest data file of a stage read (word lists, rule tables, model arrays)."""
MAX_NAME_BYTES = 200
"""The longest file name made from data (the file system allows 255 bytes, with suffixes)."""


class FileRefused(OSError):
    """A file that is not read: not a regular file, or larger than the limit. An ``OSError``
    (with ``strerror`` set), so that every reader's ``except OSError`` reports it."""

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(reason)
        self.strerror = reason
        self.filename = str(path)


@contextlib.contextmanager
def atomic_writer(path: str | Path, mode: str = "w") -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success it replaces ``path`` in one step.

    If the block raises, the temporary file is removed and ``path`` is left as it was. A new
    file gets the permissions an ordinary new file would (0666 less the umask), not the 0600
    of a temporary file; a replaced file keeps its own.

    Raises:
        PermissionError: If ``path`` exists and is read-only (it is not replaced), or its
            directory is not writable.
        IsADirectoryError: If ``path`` is a directory.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    permissions = 0o666 & ~_umask()
    if path.is_dir():
        raise IsADirectoryError(21, "is a directory", str(path))
    if path.exists():
        if is_read_only(path):
            raise PermissionError(13, "the existing file is read-only; not replaced", str(path))
        permissions = stat.S_IMODE(path.stat().st_mode)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        os.fchmod(fd, permissions)
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically."""
    with atomic_writer(path) as handle:
        handle.write(text)


def writable_output_problem(path: str | Path) -> str | None:
    """Why ``path`` cannot be written as an output (replaced in one step), or None: a
    directory, a missing or unwritable folder, a read-only existing file."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        return "is a directory; give a file name"
    if not directory.is_dir():
        return "output directory does not exist"
    if not os.access(directory, os.W_OK | os.X_OK):
        return f"cannot write into {directory} (permission denied)"
    if path.exists() and is_read_only(path):
        return "the existing file is read-only; not replaced"
    return None


def is_read_only(path: str | Path) -> bool:
    """Whether an existing file is read-only: no write permission bit is set, or this user
    may not write it (the first holds for root too, who may write anything)."""
    return not stat.S_IMODE(os.stat(path).st_mode) & 0o222 or not os.access(path, os.W_OK)


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def open_regular(path: str | Path) -> BinaryIO:
    """Open ``path`` for reading bytes, refusing anything but a regular file.

    The check is made on the opened file (``fstat``), so a symbolic link to a device or a
    file swapped after a check is refused too; opening does not block on a FIFO.

    Raises:
        FileRefused: If the file is not a regular file.
        OSError: If it cannot be opened.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise FileRefused(path, f"{_kind(mode)}, not a regular file")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def too_large(limit: int) -> str:
    """The reason given for a file or line over ``limit`` bytes."""
    return f"larger than the limit of {limit / MB:g} MB"


def read_bounded(path: str | Path, limit: int = MAX_TEXT_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Raises:
        FileRefused: If it is not a regular file, or holds more than ``limit`` bytes (counted
            while reading, never trusted from ``st_size``).
        OSError: If it cannot be read.
    """
    with open_regular(path) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileRefused(path, too_large(limit))
    return data


def read_line_bounded(handle: BinaryIO, limit: int = MAX_TEXT_BYTES) -> bytes | None:
    """The next line of ``handle`` (with its newline); ``b""`` at the end of the file; None
    for a line longer than ``limit`` bytes, whose rest is skipped (read and dropped in
    pieces, so memory stays bounded)."""
    line = handle.readline(limit + 1)
    if len(line) <= limit or line.endswith(b"\n"):
        return line
    while True:  # skip the rest of the overlong line
        rest = handle.readline(MB)
        if not rest or rest.endswith(b"\n"):
            return None


def file_name_problem(name: str) -> str | None:
    """Why ``name`` (a value from data, such as a document id) cannot be a file name, or None.

    A usable name is one path component: not empty, no ``/`` or ``\\``, no control
    character, not starting with a dot (no ``.``, ``..`` or hidden files), valid Unicode, and
    at most :data:`MAX_NAME_BYTES` bytes in UTF-8.
    """
    if not name:
        return "is empty"
    if "/" in name or "\\" in name:
        return "contains a path separator"
    if name.startswith("."):
        return "starts with a dot"
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return "contains a control character"
    try:
        size = len(name.encode("utf-8"))
    except UnicodeEncodeError:
        return "is not valid Unicode (a lone surrogate)"
    if size > MAX_NAME_BYTES:
        return f"is longer than {MAX_NAME_BYTES} bytes"
    return None


def safe_file_name(name: str, what: str = "id") -> str:
    """``name`` itself, if it can be a file name (:func:`file_name_problem`).

    Raises:
        PipelineError: Naming the value and why it cannot be a file name.
    """
    problem = file_name_problem(name)
    if problem is not None:
        raise PipelineError(f"{what} {name[:80]!r} cannot be a file name: it {problem}")
    return name
