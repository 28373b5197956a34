"""Headless Chromium for looking at newspipe's pages: a screenshot and questions about the
rendered page (layout included), over the DevTools protocol on a pipe.

Used by the tests of the HTML pages and by ``eval/scripts/screenshots.py`` (the README's
screenshots). Chromium runs with a fresh profile, no sandbox (containers), no GPU, no
background networking or component updates; the page itself allows no script (its content
security policy), so the questions are asked through the protocol, never from the page.

    with Chromium() as browser:
        browser.open(Path("report.html"))
        browser.evaluate("document.title")
        browser.screenshot(Path("report.png"))
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Any

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)


LAUNCHER = (
    "import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); "
    "os.close(int(sys.argv[1])); os.close(int(sys.argv[2])); os.execv(sys.argv[3], sys.argv[3:])"
)
"""Run as ``python -c LAUNCHER READ WRITE CHROMIUM ARGS…``: Chromium with the pipe on fds 3, 4."""


class BrowserError(RuntimeError):
    """Chromium is missing, failed, or answered with an error."""


def find_chromium() -> str | None:
    """The path of an installed Chromium (or Chrome), or None."""
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


class Chromium:
    """A headless Chromium driven over ``--remote-debugging-pipe`` (file descriptors 3 and 4,
    JSON messages ended by a NUL byte)."""

    def __init__(
        self, executable: str | None = None, width: int = 1280, height: int = 900
    ) -> None:
        found = executable or find_chromium()
        if found is None:
            raise BrowserError("no chromium found (Debian: apt-get install chromium)")
        self.executable = found
        self.width, self.height = width, height
        self._profile = tempfile.mkdtemp(prefix="newspipe-chromium-")
        self._process: subprocess.Popen[bytes] | None = None
        self._to: IO[bytes] | None = None
        self._from: IO[bytes] | None = None
        self._buffer = b""
        self._next_id = 0
        self._session: str | None = None

    # -- lifecycle ------------------------------------------------------------------------

    def __enter__(self) -> Chromium:
        low_read, to_browser = os.pipe()  # we write commands, Chromium reads them on fd 3
        from_browser, low_write = os.pipe()  # Chromium writes answers on fd 4
        # Chromium's ends, moved to 10 and up: the redirections below never clobber them.
        to_read = fcntl.fcntl(low_read, fcntl.F_DUPFD_CLOEXEC, 10)
        to_write = fcntl.fcntl(low_write, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(low_read)
        os.close(low_write)
        arguments = [
            *FLAGS,
            f"--user-data-dir={self._profile}",
            f"--window-size={self.width},{self.height}",
            "about:blank",
        ]
        # A small launcher puts the pipe ends on the descriptors Chromium expects (3: commands
        # in, 4: answers out) and then becomes Chromium (exec): no preexec hook in this process.
        self._process = subprocess.Popen(  # fixed programs; no argument is a shell word
            [sys.executable, "-c", LAUNCHER, str(to_read), str(to_write), self.executable,
             *arguments],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(to_read, to_write),
        )
        os.close(to_read)
        os.close(to_write)
        self._to = os.fdopen(to_browser, "wb", buffering=0)
        self._from = os.fdopen(from_browser, "rb", buffering=0)
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        attached = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})
        self._session = attached["sessionId"]
        self.send("Page.enable")
        self.resize(self.width, self.height)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """End Chromium (the process this object started) and remove its profile."""
        if self._process is not None:
            try:
                self._session = None
                self.send("Browser.close")
            except (BrowserError, OSError):
                pass
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)
            self._process = None
        for handle in (self._to, self._from):
            if handle is not None:
                handle.close()
        self._to = self._from = None
        shutil.rmtree(self._profile, ignore_errors=True)

    # -- protocol -------------------------------------------------------------------------

    def send(
        self, method: str, params: dict[str, Any] | None = None, timeout: float = 60
    ) -> dict[str, Any]:
        """Send one command (to the page once attached) and wait for its answer."""
        if self._to is None:
            raise BrowserError("the browser is not running")
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if self._session is not None and not method.startswith(("Target.", "Browser.")):
            message["sessionId"] = self._session
        self._to.write(json.dumps(message).encode("utf-8") + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            answer = self._read(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error'].get('message')}")
                result: dict[str, Any] = answer.get("result", {})
                return result

    def _read(self, deadline: float) -> dict[str, Any]:
        assert self._from is not None
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise BrowserError("chromium did not answer in time")
            chunk = self._from.read(65536)
            if not chunk:
                raise BrowserError("chromium closed the pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    # -- what the tests and scripts use ----------------------------------------------------

    def resize(self, width: int, height: int) -> None:
        """Set the viewport (CSS pixels, scale 1); screenshots have this width."""
        self.width, self.height = width, height
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )

    def open(self, page: Path | str, timeout: float = 60) -> None:
        """Load a file (or URL) and wait until it and its layout are done."""
        text = str(page)
        url = text if text.startswith(("file:", "about:")) else Path(page).resolve().as_uri()
        self.send("Page.navigate", {"url": url})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.evaluate("document.readyState")
            if state == "complete":
                return
            time.sleep(0.05)
        raise BrowserError(f"{url} did not finish loading")

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (returned by value, as JSON)."""
        answer = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in answer:
            detail = answer["exceptionDetails"]
            text = detail.get("exception", {}).get("description") or detail.get("text")
            raise BrowserError(f"the expression failed: {text}")
        return answer.get("result", {}).get("value")

    def screenshot(self, path: Path, full_page: bool = False, max_height: int = 4000) -> Path:
        """A PNG of the viewport (or of the whole page, up to ``max_height`` pixels)."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            height = min(int(self.evaluate("document.documentElement.scrollHeight")), max_height)
            params["clip"] = {"x": 0, "y": 0, "width": self.width, "height": height, "scale": 1}
            params["captureBeyondViewport"] = True
        data = self.send("Page.captureScreenshot", params)["data"]
        path.write_bytes(base64.b64decode(data))
        return path
