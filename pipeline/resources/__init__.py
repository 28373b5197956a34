"""The data files the stages are built on: word lists, rule tables, patterns and the quote
model, as text, TSV and JSON (nothing is unpickled and no data is ever ``eval``'d).

A stage setting that names one of these files is ``null`` in the config, meaning "the packaged
file", so that no install path is ever written into a saved pipeline's ``config.cfg``; a
component copies the files it uses into the pipeline directory (``to_disk``) and reads them
back from there (``from_disk``).
"""

from __future__ import annotations

from pathlib import Path

DIRECTORY = Path(__file__).resolve().parent
"""Where the packaged data files are."""


def resource_path(name: str) -> Path:
    """The packaged data file ``name`` (e.g. ``"cue_verbs.txt"``)."""
    return DIRECTORY / name
