"""Issue #17 with real processes and real signals: no worker outlives its run (SIGKILL, SIGTERM,
Ctrl-C to the parent of ``extract -n 2``), and an interrupt at any moment — spaCy still
importing, the model loading, the run waiting for input — is one line and exit code 128 +
the signal (130 for Ctrl-C), never a traceback. Linux: processes are found in /proc."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.model,
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)"),
]
ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
NEWSPIPE = [sys.executable, "-m", "newspipe"]


def corpus(path: Path, n: int) -> Path:
    rows = (
        {"id": f"n{i:04d}", "text": f'Ana Ruiz said the plan would fail. "No," Tom Berg said {i}.'}
        for i in range(n)
    )
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie waiting to be reaped is not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def survivors(pids: list[int], seconds: float = 30.0) -> list[int]:
    """Those of ``pids`` still running after waiting up to ``seconds`` for them to end."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(running(pid) for pid in pids):
        time.sleep(0.05)
    return [pid for pid in pids if running(pid)]


def handles_sigterm(pid: int) -> bool:
    """Whether ``pid`` has installed its SIGTERM handler (newspipe's first act)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    caught = next(line for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(int(caught.split()[1], 16) >> (signal.SIGTERM - 1) & 1)


def wait_for(condition, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_no_process_of_the_run_survives_its_parent(tmp_path: Path, signum: int) -> None:
    source = corpus(tmp_path / "c.jsonl", 2000)
    journal = tmp_path / ".out.jsonl.part"
    run = subprocess.Popen(
        [*NEWSPIPE, "extract", str(source), "-o", "out.jsonl", "-n", "2", "--batch-size", "4"],
        cwd=tmp_path,
        env=ENV,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Both workers have built their pipelines and are extracting.
        wait_for(lambda: journal.exists() and journal.read_bytes().count(b"\n") >= 8)
        workers = children(run.pid)  # two workers and multiprocessing's resource tracker
        assert len(workers) == 3, workers
        run.send_signal(signum)
        _, err = run.communicate(timeout=60)
    finally:
        run.kill()
    assert survivors(workers) == []
    if signum == signal.SIGKILL:
        return
    assert run.returncode == 128 + signum
    [line] = [line for line in err.splitlines() if line.strip()]
    assert line.startswith("newspipe: interrupted; ") and line.endswith(
        "finished records are kept in .out.jsonl.part; run again with --resume to finish"
    )
    kept = journal.read_bytes().count(b"\n")
    assert f"; {kept} finished records" in line


@pytest.mark.parametrize("workers", ["1", "2"])
@pytest.mark.parametrize("delay", [0.0, 1.0, 3.0, 30.0])
def test_ctrl_c_at_any_moment_of_start_up_is_one_line(
    tmp_path: Path, delay: float, workers: str
) -> None:
    """The run reads stdin, which stays open: whenever the interrupt comes, it comes before
    the run could end by itself. 0 s: spaCy is being imported; 30 s: the run waits for input
    (the model loads in a few seconds)."""
    run = subprocess.Popen(
        [*NEWSPIPE, "extract", "-", "-o", "out.jsonl", "-n", workers],
        cwd=tmp_path,
        env=ENV,
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: handles_sigterm(run.pid) or run.poll() is not None)
        time.sleep(delay)
        run.send_signal(signal.SIGINT)
        run.wait(timeout=60)  # stdin stays open: closing it could end the run before the signal
        assert run.stderr is not None
        err = run.stderr.read()
        helpers = children(run.pid)
    finally:
        run.kill()
        for stream in (run.stdin, run.stderr):
            if stream is not None:
                stream.close()
    assert run.returncode == 130, err
    assert err in (
        "newspipe: interrupted\n",
        "newspipe: interrupted before any document was finished; nothing was kept\n",
    )
    assert survivors(helpers) == []
    assert sorted(p.name for p in tmp_path.iterdir()) in ([], [".out.jsonl.lock"])


def test_sigterm_keeps_the_finished_records_for_resume(tmp_path: Path) -> None:
    source = corpus(tmp_path / "c.jsonl", 400)
    journal = tmp_path / ".out.jsonl.part"
    command = [*NEWSPIPE, "extract", str(source), "-o", "out.jsonl", "--batch-size", "4"]
    run = subprocess.Popen(command, cwd=tmp_path, env=ENV, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: journal.exists() and journal.read_bytes().count(b"\n") >= 8)
        run.send_signal(signal.SIGTERM)
        _, err = run.communicate(timeout=60)
    finally:
        run.kill()
    assert run.returncode == 143 and "run again with --resume" in err
    resumed = subprocess.run(
        [*command, "--resume"], cwd=tmp_path, env=ENV, capture_output=True, text=True
    )
    assert resumed.returncode == 0, resumed.stderr
    assert "in the journal of an unfinished run" in resumed.stderr
    ids = [json.loads(line)["id"] for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert ids == [f"n{i:04d}" for i in range(400)]
