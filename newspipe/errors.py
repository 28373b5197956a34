"""How a command fails: one line on stderr, exit code 2, never a traceback."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer

EXIT_BAD_INPUT = 2


def fail(message: str) -> NoReturn:
    """Print ``newspipe: error: MESSAGE`` on stderr and exit with code 2."""
    print(f"newspipe: error: {message}", file=sys.stderr)
    raise typer.Exit(EXIT_BAD_INPUT)


def warn(message: str) -> None:
    """Print one problem line on stderr (the run goes on)."""
    print(f"newspipe: {message}", file=sys.stderr)
