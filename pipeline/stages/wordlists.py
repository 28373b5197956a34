"""Reading a JSON file of named word lists, the format of the stages' rule resources."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy
from spacy.strings import StringStore

from newspipe.pipeline.errors import PipelineError


def read_word_lists(path: Path, kind: str, required: tuple[str, ...]) -> dict[str, Any]:
    """The JSON object in ``path``, checked to hold a list under each ``required`` key.

    ``kind`` names the file in errors ("entity rules" → "…: entity rules file not found").
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        raise PipelineError(f"{path}: {kind} file not found or unreadable") from None
    except ValueError as err:
        raise PipelineError(f"{path}: not a JSON {kind} file ({err})") from None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), list) for k in required):
        raise PipelineError(f"{path}: {kind} need the lists {', '.join(required)}")
    return data


def string_hashes(strings: StringStore, words: Iterable[str]) -> numpy.ndarray:
    """The string hashes of ``words`` (added to ``strings``), for ``numpy.isin`` over a Doc's
    arrays (``Doc.to_array``)."""
    return numpy.asarray([strings.add(word) for word in words], dtype="uint64")
