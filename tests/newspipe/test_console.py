"""The console script's set-up (``newspipe.console``)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from newspipe.console import RESOURCE_TRACKER_QUIET, quiet_resource_tracker


def test_the_resource_tracker_is_started_with_its_warnings_ignored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "warnoptions", [])
    quiet_resource_tracker()
    quiet_resource_tracker()  # once only
    assert sys.warnoptions == [RESOURCE_TRACKER_QUIET]
    # multiprocessing starts its resource tracker with these interpreter flags
    flags = subprocess._args_from_interpreter_flags()  # type: ignore[attr-defined]
    assert f"-W{RESOURCE_TRACKER_QUIET}" in flags or RESOURCE_TRACKER_QUIET in flags


def test_the_option_silences_the_trackers_warning() -> None:
    code = (
        "import warnings, multiprocessing.resource_tracker as rt\n"
        "warnings.warn_explicit('resource_tracker: x: [Errno 2]', UserWarning, 'f', 1,"
        " module='multiprocessing.resource_tracker')\n"
        "warnings.warn_explicit('another', UserWarning, 'f', 1, module='elsewhere')\n"
    )
    result = subprocess.run(
        [sys.executable, f"-W{RESOURCE_TRACKER_QUIET}", "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "resource_tracker" not in result.stderr and "another" in result.stderr
