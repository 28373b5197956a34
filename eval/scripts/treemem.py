"""Run a command; report its wall time, CPU time and the peak summed RSS of its whole process
tree, and the peak of its main process and of its largest worker.

python eval/scripts/treemem.py CMD...      (samples /proc every 0.1 s; Linux only)

The measuring is :func:`newspipe.eval.treemem.run_sampled`, which ``newspipe bench`` uses too.
"""

import sys

from newspipe.eval.treemem import run_sampled


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}MB"


if __name__ == "__main__":
    run = run_sampled(sys.argv[1:])
    print(
        f"exit={run.returncode} wall={run.wall_s:.1f}s cpu={run.cpu_s:.1f}s "
        f"main_cpu={run.cpu_of('main'):.1f}s "
        f"peak_tree_rss={run.peak_tree_mb:.0f}MB main={_mb(run.peak_of('main'))} "
        f"workers={run.count('worker')} largest_worker={_mb(run.peak_of('worker'))}",
        file=sys.stderr,
    )
    sys.exit(run.returncode)
