"""The errors the pipeline raises for bad configuration or input.

Each carries its data as attributes, and its message is one line that names the input and the
problem in the library's terms; a command line interface turns them into advice about its own
options (the library never names a command-line flag).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


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


class UnknownChoice(PipelineError):
    """A setting given a value it does not take.

    Attributes:
        setting: What was set (``output format``).
        value: The value given.
        choices: The values it takes.
    """

    def __init__(self, setting: str, value: str, choices: Sequence[str]) -> None:
        self.setting, self.value, self.choices = setting, value, tuple(choices)
        super().__init__(f"{setting} must be {' or '.join(self.choices)}, not '{value}'")


class WorkerDied(PipelineError):
    """A worker process died (out of memory, or killed); the run cannot go on."""

    def __init__(self) -> None:
        super().__init__("a worker process died (out of memory, or killed)")


class RunInterrupted(PipelineError):
    """A run that stopped before its end; its finished records are kept for a resumed run.

    Attributes:
        reason: What stopped it (None: an interrupt).
        kept: Finished records kept (in the journal, or carried over from the output).
        journal: The file that keeps them (it exists only when a record was finished).
        interrupt: The interrupt that stopped it (a ``KeyboardInterrupt``, or a subclass that
            a caller raises for another signal), else None.
    """

    def __init__(
        self,
        reason: str | None,
        kept: int,
        journal: Path,
        interrupt: BaseException | None = None,
    ) -> None:
        self.reason, self.kept, self.journal = reason, kept, journal
        self.interrupt = interrupt
        what = reason if reason is not None else "interrupted"
        if kept:
            super().__init__(f"{what}; {kept} finished records are kept in {journal}")
        else:
            super().__init__(f"{what} before any document was finished; nothing was kept")


class MissingExtra(PipelineError):
    """An optional part of newspipe whose dependencies are not installed.

    Attributes:
        feature: What needs them (``the Ray engine``).
        package: What is missing, by name (``Ray``).
        extra: The extra that installs it (``pip install 'newspipe[EXTRA]'``).
        requirement: The requirement the extra adds.
    """

    def __init__(self, feature: str, package: str, extra: str, requirement: str) -> None:
        self.feature, self.package, self.extra = feature, package, extra
        self.requirement = requirement
        super().__init__(
            f"{feature} needs {package}: pip install 'newspipe[{extra}]' (or '{requirement}')"
        )


class ModelRequired(PipelineError):
    """A backend that needs a trained model and was given none.

    Attributes:
        factory: The backend's factory.
        setting: The setting that names the model.
    """

    def __init__(self, factory: str, setting: str) -> None:
        self.factory, self.setting = factory, setting
        super().__init__(f'{factory} needs a model directory: set {setting} = "DIR"')


class UnknownSuffix(PipelineError):
    """An output file whose suffix names no output format (``out.csv`` with no CSV writer).

    Attributes:
        path: The output.
        suffix: Its suffix.
        known: The suffixes there are writers for.
    """

    def __init__(self, path: str, suffix: str, known: Sequence[str]) -> None:
        self.path, self.suffix, self.known = path, suffix, tuple(known)
        super().__init__(
            f"{path}: no output format is written as '{suffix}' files "
            f"(known: {', '.join(self.known)})"
        )


class OutputUnwritable(PipelineError):
    """An output that cannot be written: a directory, a missing or unwritable folder, a
    read-only existing file.

    Attributes:
        path: The output.
        reason: Why.
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path, self.reason = path, reason
        super().__init__(f"{path}: {reason}")
