"""How a command fails: one line on stderr, exit code 2, never a traceback.

The library's errors carry data and speak of settings; :func:`message` turns them into advice
in terms of this command line (its flags and commands).
"""

from __future__ import annotations

import sys
from typing import NoReturn

import typer

from newspipe.console import exit_code, report_interrupt
from newspipe.pipeline.errors import (
    MissingExtra,
    ModelRequired,
    RunInterrupted,
    UnknownChoice,
    UnknownSuffix,
    WorkerDied,
)
from newspipe.pipeline.run.documents import InputProblem

EXIT_BAD_INPUT = 2

FLAGS = {
    "the output format": "--output-format",
    "the Ray engine": "--engine ray",
    "split": "--split",
    "the CSV layer": "--csv-layer",
}
"""Library settings and features → the flag that gives them."""


def message(err: Exception) -> str:
    """A library error as one line for this command line."""
    from newspipe.eval.datasets import DatasetSpecError, GoldSetError  # as the commands import

    if isinstance(err, UnknownChoice) and err.setting in FLAGS:
        return f"{FLAGS[err.setting]} must be {' or '.join(err.choices)}, not '{err.value}'"
    if isinstance(err, UnknownSuffix):  # the command line also writes the article view
        known = ", ".join([*err.known, ".html"])
        return (
            f"{err.path}: no output format is written as '{err.suffix}' files (known: {known}); "
            "or choose one with --output-format"
        )
    if isinstance(err, RunInterrupted):
        return f"{err}; run again with --resume to finish" if err.kept else str(err)
    if isinstance(err, WorkerDied):
        return f"{err}; records written so far are kept: run again with --resume"
    if isinstance(err, MissingExtra):
        feature = FLAGS.get(err.feature, err.feature)
        return str(err).replace(err.feature, feature, 1)
    if isinstance(err, ModelRequired) and err.factory == "newspipe_stance_model_v1":
        return f"{err} (train one with: newspipe train stance DATA.jsonl --output DIR)"
    if isinstance(err, DatasetSpecError):
        return f"--dataset wants KIND:PATH, got '{err.spec}' (kinds: {', '.join(err.kinds)})"
    if isinstance(err, GoldSetError) and err.more:
        return f"{err.first} (and {err.more} more; see newspipe gold validate)"
    return str(err)


def gold_advice(line: str) -> str:
    """A gold problem line, with the flag that widens the gold root where it would help."""
    if "outside the gold root" in line:
        return line.replace(
            "another root must be allowed explicitly", "allow another with --gold-root DIR"
        )
    return line


def problem_message(problem: InputProblem) -> str:
    """A skipped document's problem as one line, with the flag that resolves it, if any."""
    if problem.needs in FLAGS:
        return f"{problem} with {FLAGS[problem.needs]}"
    return str(problem)


def fail_with(err: Exception) -> NoReturn:
    """Fail with a library error: an interrupted run exits with the interrupt's code (130
    after Ctrl-C), anything else with code 2."""
    if isinstance(err, RunInterrupted) and err.interrupt is not None:
        report_interrupt(message(err))
        raise typer.Exit(exit_code(err.interrupt))
    fail(message(err))


def fail(message: str) -> NoReturn:
    """Print ``newspipe: error: MESSAGE`` on stderr and exit with code 2."""
    print(f"newspipe: error: {message}", file=sys.stderr)
    raise typer.Exit(EXIT_BAD_INPUT)


def warn(message: str) -> None:
    """Print one problem line on stderr (the run goes on)."""
    print(f"newspipe: {message}", file=sys.stderr)
