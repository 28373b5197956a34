"""Progress on stderr for commands that run in steps (``score``): a rich bar per step that
moves with every document, shown by default only when stderr is a terminal."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


def show_progress(wanted: bool | None) -> bool:
    """``--progress/--no-progress``, or by default: whether stderr is a terminal."""
    return sys.stderr.isatty() if wanted is None else wanted


class StepProgress:
    """A bar per step of a run, each moving with every document: ``update(description, done,
    total)`` (the signature of :data:`newspipe.eval.run.Progress`); a new description starts a
    new bar, and finished bars stay with their counts and times. Disabled, it shows nothing.
    Use as a context manager."""

    def __init__(self, enabled: bool, console: Console | None = None) -> None:
        self.enabled = enabled
        self.console = console
        self._progress: Progress | None = None
        self._task: Any = None
        self._step: str | None = None

    def __enter__(self) -> StepProgress:
        if self.enabled:
            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("documents"),
                TimeElapsedColumn(),
                console=self.console or Console(stderr=True),
            )
            self._progress.start()
        return self

    def update(self, description: str, done: int, total: int) -> None:
        if self._progress is None:
            return
        if description != self._step:
            self._task = self._progress.add_task(description, total=total)
            self._step = description
        self._progress.update(self._task, completed=done, total=total)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
