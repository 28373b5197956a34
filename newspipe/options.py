"""Options shared by several commands."""

from __future__ import annotations

import difflib
import importlib
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any

import click
import typer
from spacy.cli._util import parse_config_overrides
from spacy.language import Language

from newspipe.errors import fail, message
from newspipe.pipeline.build import load_pipeline
from newspipe.pipeline.errors import PipelineError
from newspipe.pipeline.files import writable_output_problem
from newspipe.pipeline.stages import STAGE_NAMES

CONFIG_HELP = "Pipeline config file (spaCy config format); default: the packaged one."
OVERRIDE_CONTEXT = {"allow_extra_args": True, "ignore_unknown_options": True}
"""Context settings that let a command take dotted config overrides (--components.x.y VALUE)."""


# Where a record's or table's columns are named otherwise (extract and bench take the same).
TextField = Annotated[
    str, typer.Option(help="Field (column) of records and tables holding the text.")
]
IdField = Annotated[str, typer.Option(help="Field (column) holding the document id.")]
TargetField = Annotated[str, typer.Option(help="Field (column) holding the stance target.")]
StagesOption = Annotated[
    str | None,
    typer.Option(
        "--stages",
        help="Comma-separated stages to run, e.g. sentences,entities (short for "
        "--nlp.stages); only the model components they read are run.",
    ),
]
SplitOption = Annotated[
    str | None,
    typer.Option(help="Split of a saved dataset dictionary or hub dataset (default train)."),
]


def split_overrides(
    tokens: list[str], ctx: typer.Context | None = None
) -> tuple[list[str], list[str]]:
    """Separate dotted config overrides (``--a.b VALUE`` or ``--a.b=VALUE``) from positional
    arguments. Click hands unknown options to a variadic argument, so both arrive mixed.

    Raises:
        click.NoSuchOption: For an option that is neither the command's nor a dotted config
            setting (a typo such as ``--tagret``), with the closest of the command's options
            suggested; Click reports it in one line with exit code 2.
    """
    positional: list[str] = []
    overrides: list[str] = []
    tokens = list(tokens)
    while tokens:
        token = tokens.pop(0)
        if token.startswith("--") and len(token) > 2:
            name = token.split("=", 1)[0]
            if "." not in name.strip("-.") or name.startswith("--."):
                raise unknown_option(name, ctx)
            overrides.append(token)
            if "=" not in token and tokens:
                overrides.append(tokens.pop(0))
        elif len(token) > 1 and token.startswith("-") and token[1].isalpha():
            raise unknown_option(token, ctx)
        else:
            positional.append(token)
    return positional, overrides


def unknown_option(name: str, ctx: typer.Context | None) -> Exception:
    """Click's error for an option the command does not have, suggesting the closest ones."""
    known: list[str] = []
    if ctx is not None:
        for param in ctx.command.params:
            if getattr(param, "param_type_name", None) == "option":
                known += [*param.opts, *param.secondary_opts]
    long = [o for o in known if o.startswith("--")] or known
    close = difflib.get_close_matches(name, long, n=1)
    error: Exception = _click_exceptions(ctx).NoSuchOption(
        name, possibilities=close or None, ctx=ctx
    )
    return error


def _click_exceptions(ctx: typer.Context | None) -> ModuleType:
    """The exceptions of the Click that runs the command: Typer's own copy of Click (newer
    Typer), or Click itself. Only its own exceptions become its one-line usage errors."""
    for cls in type(ctx).__mro__ if ctx is not None else ():
        module = cls.__module__
        if cls.__name__ == "Context" and module.endswith(".core"):
            return importlib.import_module(module.rsplit(".", 1)[0] + ".exceptions")
    return click.exceptions


def config_overrides(
    args: list[str], target: str | list[str] | None = None, stages: str | None = None
) -> dict[str, Any]:
    """Dotted overrides from extra command-line arguments, plus ``--target`` (given once: one
    target; several times: a list) and ``--stages``."""
    try:
        overrides = parse_config_overrides(list(args))
    except SystemExit:  # spaCy's parser exits on a malformed override
        fail(f"malformed config override in: {' '.join(args)}")
    targets = [target] if isinstance(target, str) else [t for t in target or [] if t.strip()]
    if len(targets) == 1:
        overrides["components.stance.target"] = targets[0]
    elif targets:
        overrides["components.stance.target"] = targets
    if stages is not None:
        overrides["nlp.stages"] = stage_list(stages)
    return overrides


def stage_list(value: str) -> list[str]:
    """``"entities,sentences"`` → ``["sentences", "entities"]`` (in the pipeline's order), or a
    one-line error for a name that is not a stage."""
    names = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [name for name in names if name not in STAGE_NAMES]
    if not names or unknown:
        fail(
            f"--stages: {'unknown stage ' + repr(unknown[0]) if unknown else 'no stage given'} "
            f"(stages: {', '.join(STAGE_NAMES)})"
        )
    return [name for name in STAGE_NAMES if name in names]


def build_nlp(config: Path | None, overrides: dict[str, Any]) -> Language:
    """The configured pipeline, or a one-line error."""
    try:
        return load_pipeline(config, overrides)
    except PipelineError as err:
        fail(message(err))


def check_output(path: Path | None) -> None:
    """Fail at once, before any work, if ``path`` cannot be written as an output file."""
    if path is not None:
        problem = writable_output_problem(path)
        if problem is not None:
            fail(f"{path}: {problem}")
