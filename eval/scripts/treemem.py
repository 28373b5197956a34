"""Run a command; report its wall time and the peak summed RSS of its whole process tree.

python eval/scripts/treemem.py CMD...      (samples /proc every 0.1 s; Linux only)
"""

import os
import subprocess
import sys
import time


def tree_rss_kb(root: int) -> int:
    """Summed VmRSS (kB) of ``root`` and all its descendants."""
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
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
        stack.extend(children.get(pid, []))
    return total


if __name__ == "__main__":
    start = time.time()
    proc = subprocess.Popen(sys.argv[1:])
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss_kb(proc.pid))
        time.sleep(0.1)
    wall = time.time() - start
    print(
        f"exit={proc.returncode} wall={wall:.1f}s peak_tree_rss={peak / 1024:.0f}MB",
        file=sys.stderr,
    )
    sys.exit(proc.returncode)
