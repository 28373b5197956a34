"""A screenshot of the top of an HTML page in headless Chromium (the README's screenshots).

    python eval/scripts/screenshots.py build/article.html docs/images/article.png

The shot is 1,100 × 800 CSS pixels unless --width/--height say otherwise.

``make screenshots`` makes both README screenshots: the article view of the seed article and
the score report of the gold set.
"""

from __future__ import annotations

import argparse
import base64
import sys
from pathlib import Path

from newspipe.eval.browser import BrowserError, Chromium


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path, help="the HTML page")
    parser.add_argument("output", type=Path, help="the PNG to write")
    parser.add_argument("--width", type=int, default=1100, help="viewport width (CSS pixels)")
    parser.add_argument("--height", type=int, default=800, help="height of the shot")
    args = parser.parse_args(argv)
    if not args.page.is_file():
        print(f"screenshots: {args.page}: no such file", file=sys.stderr)
        return 2
    try:
        with Chromium(width=args.width, height=args.height) as browser:
            browser.open(args.page)
            clip = {"x": 0, "y": 0, "width": args.width, "height": args.height, "scale": 1}
            data = browser.send("Page.captureScreenshot", {"format": "png", "clip": clip})
    except BrowserError as err:
        print(f"screenshots: {err}", file=sys.stderr)
        return 2
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(base64.b64decode(data["data"]))
    print(f"wrote {args.output} ({args.width}×{args.height}) from {args.page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
