"""The README's output blocks, made by running their commands (no output in the README is
typed by hand).

A block is a fenced code block right after a marker line:

    <!-- readme-output: COMMAND -->       the block is what COMMAND prints (stdout and stderr)
    <!-- readme-session: C1 ;; C2 -->     the block is "$ C1", its output, "$ C2", its output …
                                          (one shell: C2 sees C1's exit status as $?)

Commands run with bash, the running Python's ``bin`` folder (the venv's) first on the PATH,
``COLUMNS=100`` (rich tables are laid
out for 100 columns), in a scratch folder that holds links to the repository's folders, so
they read ``seeds/`` or ``docs/examples/`` as a reader's checkout would and write nothing
into it.

    python eval/scripts/readme_blocks.py README.md           # rewrite the blocks (make readme)
    python eval/scripts/readme_blocks.py README.md --check   # exit 1 if a block is stale
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARKER = re.compile(
    r"^<!-- readme-(?P<kind>output|session): (?P<command>.+?) -->\n```(?P<lang>[^\n]*)\n"
    r"(?P<body>.*?)^```$",
    re.MULTILINE | re.DOTALL,
)
COLUMNS = "100"


def run(command: str, where: Path) -> str:
    """What ``command`` prints, stdout and stderr in the order written (one stream)."""
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "COLUMNS": COLUMNS,
        "NO_COLOR": "1",
    }
    env.pop("FORCE_COLOR", None)
    done = subprocess.run(  # the README's own commands, run as a reader would run them
        ["bash", "-c", command],
        cwd=where,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    return "\n".join(line.rstrip() for line in done.stdout.splitlines())


def scratch() -> tempfile.TemporaryDirectory[str]:
    """A folder with a link to every top-level folder and file of the repository."""
    folder = tempfile.TemporaryDirectory(prefix="newspipe-readme-")
    for entry in ROOT.iterdir():
        if entry.name not in (".git", ".venv", "build"):
            os.symlink(entry, Path(folder.name) / entry.name)
    return folder


def render(kind: str, command: str, where: Path) -> tuple[str, float]:
    """The block's text and the seconds its commands took."""
    start = time.perf_counter()
    if kind == "output":
        text = run(command, where)
    else:
        script = ["__status=0"]
        for step in (c.strip() for c in command.split(";;")):
            shown = "$ " + step
            script.append(f"printf '%s\\n' {shlex.quote(shown)}; (exit $__status); {step}")
            script.append("__status=$?")
        text = run("\n".join(script), where)
    return text, time.perf_counter() - start


def update(readme: str, where: Path, report: bool = True) -> str:
    """``readme`` with every marked block made anew."""
    pieces: list[str] = []
    position = 0
    for match in MARKER.finditer(readme):
        text, seconds = render(match["kind"], match["command"], where)
        if report:
            print(f"{seconds:6.1f} s  {match['command'][:90]}", file=sys.stderr)
        pieces.append(readme[position : match.start("body")])
        pieces.append(text + "\n")
        position = match.end("body")
    pieces.append(readme[position:])
    return "".join(pieces)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("readme", type=Path)
    parser.add_argument("--check", action="store_true", help="only say whether a block is stale")
    args = parser.parse_args(argv)
    old = args.readme.read_text(encoding="utf-8")
    with scratch() as folder:
        new = update(old, Path(folder))
    if args.check:
        if new != old:
            print(f"{args.readme}: output blocks are stale; run make readme", file=sys.stderr)
            return 1
        return 0
    if new != old:
        args.readme.write_text(new, encoding="utf-8")
        print(f"rewrote the output blocks of {args.readme}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
