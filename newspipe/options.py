"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from spacy.cli._util import parse_config_overrides
from spacy.language import Language

from newspipe.errors import fail, message
from newspipe.pipeline.build import load_pipeline
from newspipe.pipeline.errors import PipelineError

CONFIG_HELP = "Pipeline config file (spaCy config format); default: the packaged one."
OVERRIDE_CONTEXT = {"allow_extra_args": True, "ignore_unknown_options": True}
"""Context settings that let a command take dotted config overrides (--components.x.y VALUE)."""


# Where a record's or table's columns are named otherwise (extract and bench take the same).
TextField = Annotated[
    str, typer.Option(help="Field (column) of records and tables holding the text.")
]
IdField = Annotated[str, typer.Option(help="Field (column) holding the document id.")]
TargetField = Annotated[str, typer.Option(help="Field (column) holding the stance target.")]
SplitOption = Annotated[
    str | None,
    typer.Option(help="Split of a saved dataset dictionary or hub dataset (default train)."),
]


def split_overrides(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Separate dotted config overrides (``--a.b VALUE`` or ``--a.b=VALUE``) from positional
    arguments. Click hands unknown options to a variadic argument, so both arrive mixed."""
    positional: list[str] = []
    overrides: list[str] = []
    tokens = list(tokens)
    while tokens:
        token = tokens.pop(0)
        if token.startswith("--") and len(token) > 2:
            overrides.append(token)
            if "=" not in token and tokens:
                overrides.append(tokens.pop(0))
        else:
            positional.append(token)
    return positional, overrides


def config_overrides(args: list[str], target: str | None = None) -> dict[str, Any]:
    """Dotted overrides from extra command-line arguments, plus ``--target``."""
    try:
        overrides = parse_config_overrides(list(args))
    except SystemExit:  # spaCy's parser exits on a malformed override
        fail(f"malformed config override in: {' '.join(args)}")
    if target is not None:
        overrides["components.stance.target"] = target
    return overrides


def build_nlp(config: Path | None, overrides: dict[str, Any]) -> Language:
    """The configured pipeline, or a one-line error."""
    try:
        return load_pipeline(config, overrides)
    except PipelineError as err:
        fail(message(err))
