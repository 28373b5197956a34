"""The ``newspipe`` command: a Typer app with one sub-command per job."""

from __future__ import annotations

import typer

from newspipe.commands.bench import bench
from newspipe.commands.extract import extract
from newspipe.commands.gold import app as gold_app
from newspipe.commands.score import score
from newspipe.commands.sources import sources
from newspipe.commands.train import app as train_app
from newspipe.commands.view import view
from newspipe.options import OVERRIDE_CONTEXT

app = typer.Typer(
    name="newspipe",
    help="News articles → sentences, entities, quotes with speakers, and stance; scored and "
    "benchmarked stage by stage.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,  # click's plain help: rewrapped to the terminal, no type after flags
)
app.command(context_settings=OVERRIDE_CONTEXT)(extract)
app.command(context_settings=OVERRIDE_CONTEXT)(bench)
app.command(context_settings=OVERRIDE_CONTEXT)(score)
app.command()(view)
app.command()(sources)
app.add_typer(gold_app, name="gold")
app.add_typer(train_app, name="train")


@app.callback()
def newspipe() -> None:
    """News articles → sentences, entities, quotes with speakers, and stance."""


def main() -> None:
    """Entry point of the console script (see :mod:`newspipe.console`, which the installed
    ``newspipe`` command calls directly, before anything heavy is imported)."""
    from newspipe.console import main as console_main

    console_main()
