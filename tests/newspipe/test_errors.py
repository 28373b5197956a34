"""The command line turns the library's data-carrying errors into advice about its flags."""

from __future__ import annotations

from pathlib import Path

from newspipe.errors import message, problem_message
from newspipe.eval.datasets import DatasetSpecError, GoldSetError
from newspipe.pipeline.errors import (
    MissingExtra,
    ModelRequired,
    RunInterrupted,
    UnknownChoice,
    WorkerDied,
)
from newspipe.pipeline.run.documents import InputProblem


def test_library_errors_become_messages_with_flags() -> None:
    cases = [
        (UnknownChoice("the output format", "xml", ("jsonl", "parquet")), "--output-format"),
        (RunInterrupted(None, 3, Path(".out.jsonl.part")), "run again with --resume"),
        (WorkerDied(), "--resume"),
        (MissingExtra("the Ray engine", "Ray", "ray", "ray[data]>=2.9"), "--engine ray needs Ray"),
        (ModelRequired("newspipe_stance_model_v1", "model"), "newspipe train stance"),
        (DatasetSpecError("gum", ("gum", "conll")), "--dataset wants KIND:PATH"),
        (GoldSetError("a.gold.yaml: bad", 2), "see newspipe gold validate"),
    ]
    for error, flag in cases:
        assert "--" not in str(error) and "newspipe " not in str(error)  # the library's words
        assert flag in message(error)
    assert message(ValueError("plain")) == "plain"


def test_a_problem_that_a_flag_resolves_names_it() -> None:
    problem = InputProblem("d", "several splits (a, b); choose one", needs="split")
    assert problem_message(problem) == "d: several splits (a, b); choose one with --split"
    assert problem_message(InputProblem("f.txt", "empty text")) == "f.txt: empty text"
