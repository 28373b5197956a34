"""Wall time, CPU time and peak memory of a command's whole process tree (Linux ``/proc``).

:func:`run_sampled` starts a command and, every :data:`SAMPLE_SECONDS` until it ends, reads
every process of its tree: the tree's summed resident size (its peak is the largest sum seen),
and each process's own high-water mark (``VmHWM``, kept by the kernel, so a process's peak is
exact up to the last sample before it ends). Each process gets a role: ``main`` (the command),
``worker`` (a ``multiprocessing`` worker it spawned), or ``helper`` (anything else, such as
multiprocessing's resource tracker).

``eval/scripts/treemem.py`` is the command-line front end; ``newspipe bench`` uses it for the
whole-process runs of ``newspipe extract``.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_SECONDS = 0.1


@dataclass
class ProcessPeak:
    """One process of the tree: its role and its peak resident size."""

    pid: int
    role: str
    peak_mb: float
    cpu_s: float = 0.0
    """User + system CPU seconds, as last seen (up to one sample short of the end)."""


@dataclass
class TreeRun:
    """What :func:`run_sampled` measured."""

    returncode: int
    wall_s: float
    cpu_s: float
    """User + system CPU seconds of the command and every descendant it waited for."""
    peak_tree_mb: float
    """The largest summed RSS of the tree over the samples."""
    processes: list[ProcessPeak] = field(default_factory=list)

    def peak_of(self, role: str) -> float | None:
        """The largest peak of a process with ``role``, or None if there was none."""
        peaks = [p.peak_mb for p in self.processes if p.role == role]
        return max(peaks) if peaks else None

    def count(self, role: str) -> int:
        return sum(1 for p in self.processes if p.role == role)

    def cpu_of(self, role: str) -> float:
        """CPU seconds of the processes with ``role``, together."""
        return sum(p.cpu_s for p in self.processes if p.role == role)


def children_of() -> dict[int, list[int]]:
    """Every process's children, by parent pid."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
        except (OSError, IndexError, ValueError):
            pass
    return children


def tree_pids(root: int) -> list[int]:
    """``root`` and all its descendants."""
    children = children_of()
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def memory_kb(pid: int) -> tuple[int, int] | None:
    """``(VmRSS, VmHWM)`` of ``pid`` in kB, or None if it is gone (or a zombie)."""
    rss = hwm = None
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None if rss is None or hwm is None else (rss, hwm)


TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of ``pid`` so far, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS
    except (OSError, IndexError, ValueError):
        return None


def tree_rss_kb(root: int) -> int:
    """Summed VmRSS (kB) of ``root`` and all its descendants."""
    return sum(m[0] for pid in tree_pids(root) if (m := memory_kb(pid)) is not None)


def role_of(pid: int, root: int) -> str:
    """``main``, ``worker`` (a multiprocessing worker) or ``helper``."""
    if pid == root:
        return "main"
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        return "helper"
    if b"multiprocessing.resource_tracker import" in command:  # not a -W option naming it
        return "helper"
    return "worker" if b"multiprocessing" in command else "helper"


def run_sampled(
    command: Sequence[str], *, cwd: str | Path | None = None, quiet: bool = False
) -> TreeRun:
    """Run ``command`` to its end, sampling its process tree (see the module docstring).
    ``quiet`` sends its stdout and stderr to /dev/null."""
    sink = subprocess.DEVNULL if quiet else None
    start = time.perf_counter()
    process = subprocess.Popen(list(command), cwd=cwd, stdout=sink, stderr=sink)
    peak_tree = 0
    peaks: dict[int, int] = {}
    cpu: dict[int, float] = {}
    roles: dict[int, str] = {}
    while True:
        tree = 0
        for pid in tree_pids(process.pid):
            memory = memory_kb(pid)
            if memory is None:
                continue
            tree += memory[0]
            peaks[pid] = max(peaks.get(pid, 0), memory[1])
            cpu[pid] = cpu_seconds(pid) or cpu.get(pid, 0.0)
            if pid not in roles:
                roles[pid] = role_of(pid, process.pid)
        peak_tree = max(peak_tree, tree)
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        time.sleep(SAMPLE_SECONDS)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return TreeRun(
        returncode=process.returncode,
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_tree_mb=peak_tree / 1024,
        processes=[
            ProcessPeak(pid, roles[pid], kb / 1024, cpu.get(pid, 0.0)) for pid, kb in peaks.items()
        ],
    )
