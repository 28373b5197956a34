"""The ``newspipe`` console script: the Typer app (:mod:`newspipe.cli`), and how a run ends on
Ctrl-C and on signals.

This module imports nothing heavy, so that it is in place before spaCy and the commands load:

- Ctrl-C (SIGINT) at any moment — while spaCy is imported, while a model loads, during a run —
  ends the command with one line on stderr and exit code 130, never a traceback;
- SIGTERM and SIGHUP do the same, with exit codes 143 and 129: they are raised in the main
  thread as :class:`Terminated`, a ``KeyboardInterrupt``, so that every clean-up an interrupt
  runs (the journal synced, worker processes ended) runs for them too;
- a second signal while the first one is handled ends the process at once (worker processes
  end with their parent).

Where Python would lose the exception, the signal is delivered again a moment later instead:
while a module is being imported (an extension module's initialisation may swallow it, and
an interrupt inside code that ``exec`` compiled makes CPython 3.11 end by SIGINT whatever the
exit code), and in a callback whose exceptions Python only reports (``__del__``, weakref
callbacks).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from types import FrameType

EXIT_INTERRUPTED = 128 + signal.SIGINT
"""The exit code after Ctrl-C (a signal's is 128 + its number, as a shell reports it)."""

HANDLED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
RETRY_SECONDS = 0.05
"""How soon a signal that could not be raised yet is delivered again."""


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the main thread is, as Ctrl-C raises
    ``KeyboardInterrupt``.

    Attributes:
        signum: The signal's number.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class _State:
    received: int | None = None
    """The signal received, if any."""
    pending = False
    """Whether it waits to be raised (it came while a module was being imported)."""
    reported = False
    """Whether the interrupt has been reported on stderr."""


def exit_code(interrupt: BaseException | None = None) -> int:
    """128 + the number of the signal that interrupted the run (Ctrl-C: 130)."""
    signum = getattr(interrupt, "signum", None) or _State.received or signal.SIGINT
    return 128 + int(signum)


def report_interrupt(message: str = "interrupted") -> None:
    """Print ``newspipe: MESSAGE`` on stderr, once per run."""
    if not _State.reported:
        _State.reported = True
        print(f"newspipe: {message}", file=sys.stderr, flush=True)


def _importing(frame: FrameType | None) -> bool:
    """Whether ``frame`` runs inside Python's import system (a module being imported)."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib._bootstrap"):
            return True
        frame = frame.f_back
    return False


def _deliver_again(signum: int) -> None:
    _State.pending = True
    timer = threading.Timer(RETRY_SECONDS, os.kill, (os.getpid(), signum))
    timer.daemon = True
    timer.start()


def _on_signal(signum: int, frame: FrameType | None) -> None:
    if _State.received is not None and not _State.pending:  # a second signal: stop now
        os.write(2, b"newspipe: interrupted again; stopping now\n")
        os._exit(128 + signum)
    if _State.received is None:
        _State.received = signum
    if _importing(frame):
        _deliver_again(_State.received)
        return
    _State.pending = False
    if _State.received == signal.SIGINT:
        raise KeyboardInterrupt
    raise Terminated(_State.received)


def _redeliver(unraisable: sys.UnraisableHookArgs) -> None:
    """Python swallows an exception raised in a callback (it calls this hook): when that was
    our interrupt, deliver the signal again, so that it lands in ordinary code."""
    signum = _State.received
    if isinstance(unraisable.exc_value, KeyboardInterrupt) and signum is not None:
        _deliver_again(signum)
        return
    _previous_hook(unraisable)


_previous_hook = sys.unraisablehook


def install_signal_handlers() -> None:
    """Turn SIGINT, SIGTERM and SIGHUP into exceptions in the main thread (see the module
    docstring). A signal that was ignored when the process started (``nohup``) stays
    ignored."""
    for signum in HANDLED_SIGNALS:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, _on_signal)
    sys.unraisablehook = _redeliver


RESOURCE_TRACKER_QUIET = "ignore::UserWarning:multiprocessing.resource_tracker"
"""A ``-W`` option for multiprocessing's resource tracker (see :func:`quiet_resource_tracker`)."""


def quiet_resource_tracker() -> None:
    """Keep multiprocessing's resource tracker off stderr. It is a helper process that
    ``extract -n N`` starts; after a Ctrl-C while workers start, it can warn about a semaphore
    it found already removed, a traceback-like line beside the run's one line. It is started
    with this process's ``-W`` options (``sys.warnoptions``), so one added here silences it."""
    if RESOURCE_TRACKER_QUIET not in sys.warnoptions:
        sys.warnoptions.append(RESOURCE_TRACKER_QUIET)


def main(args: list[str] | None = None) -> None:
    """Run the ``newspipe`` command line (``args``: default ``sys.argv[1:]``)."""
    install_signal_handlers()
    quiet_resource_tracker()
    try:
        from newspipe.cli import app

        app(args=args)
    except KeyboardInterrupt as interrupt:  # before the app runs, or outside its handling
        report_interrupt()
        _exit_interrupted(exit_code(interrupt))
    except SystemExit as end:
        if _State.received is None:
            raise
        # Typer ends an interrupted command with exit code 130 and no word; say it in one
        # line and give the code of the signal that was received.
        if end.code == EXIT_INTERRUPTED:
            report_interrupt()
            _exit_interrupted(exit_code())
        _exit_interrupted(end.code if isinstance(end.code, int) else 1)


def _exit_interrupted(code: int) -> None:
    """End an interrupted run with ``code``: the exit functions run and the streams are
    flushed, but Python's own end is skipped, which could still turn the exit into a SIGINT
    (see the module docstring)."""
    import atexit

    try:
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        os._exit(code)
