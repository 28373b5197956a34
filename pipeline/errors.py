"""The errors the pipeline raises for bad configuration or input.

Each carries its data as attributes, and its message is one line that names the input and the
problem in the library's terms; a command line interface turns them into advice about its own
options (the library never names a command-line flag).
"""

from __future__ import annotations

from collections.abc import Sequence


class PipelineError(ValueError):
    """A problem the user can fix: bad config, missing model, unreadable resource or input.

    Its message is one line that names the input and the problem.
    """


class RecordAlignmentError(PipelineError):
    """Spans of a record that do not start and end on the tokens of its ``Doc``.

    Attributes:
        doc_id: The record's id.
        problems: One line per span, naming it and the nearest token span.
    """

    def __init__(self, doc_id: str, problems: Sequence[str]) -> None:
        self.doc_id = doc_id
        self.problems = list(problems)
        super().__init__(f"{doc_id}: {'; '.join(self.problems)}")
