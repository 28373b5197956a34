"""eval.treemem: a command's process tree measured through /proc."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from newspipe.eval.treemem import run_sampled, tree_pids, tree_rss_kb

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="needs /proc (Linux)"
)

# A main process that spawns one multiprocessing worker holding 60 MB for a moment.
SCRIPT = """
import multiprocessing, time

def hold():
    block = bytearray(60 * 1024 * 1024)
    block[::4096] = b"x" * len(block[::4096])
    time.sleep(0.6)

if __name__ == "__main__":
    worker = multiprocessing.get_context("spawn").Process(target=hold)
    worker.start()
    worker.join()
    raise SystemExit(3)
"""


def test_a_tree_with_a_worker(tmp_path: Path) -> None:
    script = tmp_path / "tree.py"
    script.write_text(SCRIPT)
    run = run_sampled([sys.executable, str(script)], cwd=tmp_path)
    assert run.returncode == 3
    assert run.count("main") == 1 and run.count("worker") == 1
    worker, main = run.peak_of("worker"), run.peak_of("main")
    assert worker is not None and main is not None
    assert worker >= 60 > main
    assert run.peak_tree_mb >= worker
    assert run.cpu_s > 0 and run.wall_s >= 0.6
    assert 0 < run.cpu_of("main") <= run.cpu_s
    assert run.peak_of("nothing") is None


def test_the_tree_of_this_process_holds_it() -> None:
    import os

    assert os.getpid() in tree_pids(os.getpid())
    assert tree_rss_kb(os.getpid()) > 1000


def test_roles_tell_the_resource_tracker_from_a_worker_started_with_a_w_option() -> None:
    import subprocess

    from newspipe.eval.treemem import role_of

    option = "-Wignore::UserWarning:multiprocessing.resource_tracker"  # as workers inherit it
    worker = [sys.executable, option, "-c", "import multiprocessing, time; time.sleep(30)"]
    tracker = [sys.executable, "-c", "import time; time.sleep(30)  # " + TRACKER_START]
    started = [subprocess.Popen(command) for command in (worker, tracker)]
    try:
        roles = [role_of(p.pid, root=-1) for p in started]
    finally:
        for process in started:
            process.kill()
            process.wait()
    assert roles == ["worker", "helper"]


TRACKER_START = "from multiprocessing.resource_tracker import main;main(3)"
