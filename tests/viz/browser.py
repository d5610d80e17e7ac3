"""Open a page in a real headless Chromium (Debian's package) and report what happened.

Used by the browser tests. Chromium is driven over the DevTools protocol on a pipe
(``--remote-debugging-pipe``, standard library only), so the helper *waits in real
time* for the page to say it has drawn, instead of guessing a virtual-time budget
that a loaded machine may not meet. It reports:

- the page's DOM once its first frame was drawn (or the deadline passed),
- every console message, uncaught exception and browser log entry of the page,
- every network request the page itself started (only the page's own session is
  watched, so Chromium's background calls never appear), ``file:``/``data:``/
  ``blob:`` excluded,
- a screenshot, kept as a test artefact,
- the values of JavaScript ``actions`` run, in order, once the page has drawn
  (typing into the search box, unticking a filter, ...); the DOM and the
  screenshot are taken after them.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--hide-scrollbars", "--disable-dev-shm-usage",
         "--remote-debugging-pipe"]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
#: JavaScript that returns the drawn-node mark, "" while not yet drawn, or "absent"
#: when the page has no graphkit network at all.
DRAWN_PROBE = ("(() => { const c = document.getElementById('graphkit-network');"
               " return c ? (c.getAttribute('data-drawn-nodes') || '') : 'absent'; })()")


@dataclass
class PageRun:
    dom: str
    console: list[str]
    requests: list[str]
    screenshot: Path
    waited_s: float = 0.0
    stderr_tail: list[str] = field(default_factory=list)
    results: list[Any] = field(default_factory=list)


class BrowserError(RuntimeError):
    """Chromium did not answer as the DevTools protocol says it should."""


def chromium() -> str:
    """Path of the Chromium binary; skips (or fails in CI) when it is missing."""
    exe = os.environ.get("GRAPHKIT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if exe:
        return exe
    message = "Chromium not found: `make test` installs Debian's chromium package (scripts/ensure-chromium)"
    if os.environ.get("CI") or os.environ.get("GRAPHKIT_REQUIRE_CHROMIUM"):
        pytest.fail(message)
    pytest.skip(message)


class _Pipe:
    """One DevTools connection: JSON messages separated by NUL bytes on fds 3/4."""

    def __init__(self, to_browser: int, from_browser: int) -> None:
        self._out, self._in = to_browser, from_browser
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("no answer from Chromium before the deadline")
            ready, _, _ = select.select([self._in], [], [], left)
            if ready:
                chunk = os.read(self._in, 1 << 20)
                if not chunk:
                    raise BrowserError("Chromium closed the DevTools pipe (it exited)")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def call(self, method: str, params: dict[str, Any] | None = None, *,
             session: str | None = None, timeout: float = 30.0) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") != self._next_id:
                self.events.append(answer)
                continue
            if "error" in answer:
                raise BrowserError(f"{method}: {answer['error']}")
            result: dict[str, Any] = answer.get("result", {})
            return result

    def drain(self, wait: float = 0.0) -> None:
        """Collect events that arrived without a call (e.g. after the last one)."""
        deadline = time.monotonic() + wait
        while True:
            if b"\0" not in self._buffer:
                left = max(0.0, deadline - time.monotonic())
                ready, _, _ = select.select([self._in], [], [], left)
                if not ready:
                    return
            try:
                self.events.append(self._read_message(time.monotonic() + 1.0))
            except BrowserError:
                return


def _console_lines(events: list[dict[str, Any]]) -> list[str]:
    lines = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled":
            args = " ".join(str(a.get("value", a.get("description", a.get("type"))))
                            for a in params.get("args", []))
            lines.append(f"console.{params.get('type')}: {args}")
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            text = details.get("exception", {}).get("description") or details.get("text")
            lines.append(f"uncaught: {text}")
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            if entry.get("level") == "verbose":
                continue  # Chromium's own timing notes ("[Violation] handler took 60ms")
            lines.append(f"log.{entry.get('level')}: {entry.get('text')} {entry.get('url', '')}".rstrip())
    return lines


def _page_requests(events: list[dict[str, Any]]) -> list[str]:
    urls = []
    for event in events:
        if event.get("method") == "Network.requestWillBeSent":
            url = event["params"]["request"]["url"]
            if not url.startswith(LOCAL_SCHEMES):
                urls.append(url)
    return urls


def open_page(page: Path, screenshot: Path, *, size: tuple[int, int] = (1400, 900),
              timeout_s: float = 90.0, actions: Sequence[str] = ()) -> PageRun:
    """Load ``page``, wait (real time, up to ``timeout_s``) until it has drawn, report.

    A page without a ``graphkit-network`` element is reported as soon as it loaded.
    Each of ``actions`` is a JavaScript expression evaluated in the page after it
    has drawn (a returned promise is awaited); their JSON values are in
    ``PageRun.results``. An action that throws raises :class:`BrowserError`.
    """
    exe = chromium()
    with tempfile.TemporaryDirectory() as tmp:
        to_browser_r, to_browser_w = os.pipe()
        from_browser_r, from_browser_w = os.pipe()

        def wire_pipes() -> None:  # runs in the child, before exec
            # Move both ends out of the way first: os.pipe() may itself have handed
            # out fds 3 and 4, and dup2 onto the same number keeps close-on-exec.
            read_end = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
            write_end = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
            os.dup2(read_end, 3)  # dup2 clears close-on-exec on the new fd
            os.dup2(write_end, 4)

        stderr_path = Path(tmp) / "stderr.txt"
        with stderr_path.open("wb") as stderr:
            proc = subprocess.Popen(
                [exe, *FLAGS, f"--user-data-dir={tmp}/profile", f"--window-size={size[0]},{size[1]}",
                 "about:blank"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
                close_fds=False, preexec_fn=wire_pipes)  # noqa: PLW1509 - fds 3/4 are the protocol
        os.close(to_browser_r)
        os.close(from_browser_w)
        pipe = _Pipe(to_browser_w, from_browser_r)
        try:
            run = _drive(pipe, page, screenshot, size, timeout_s, actions)
        except BrowserError as exc:
            tail = stderr_path.read_text(errors="replace").splitlines()[-20:]
            raise BrowserError(f"{exc}; Chromium's last log lines:\n" + "\n".join(tail)) from None
        finally:
            with contextlib.suppress(BrowserError, OSError):
                pipe.call("Browser.close", timeout=5)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            os.close(to_browser_w)
            os.close(from_browser_r)
        run.stderr_tail = stderr_path.read_text(errors="replace").splitlines()[-20:]
    return run


def _run_actions(pipe: _Pipe, session: str, actions: Sequence[str]) -> list[Any]:
    results = []
    for i, expression in enumerate(actions):
        answer = pipe.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True}, session=session)
        if "exceptionDetails" in answer:
            details = answer["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"action {i} threw: {text}\n{expression}")
        results.append(answer["result"].get("value"))
    return results


def _drive(pipe: _Pipe, page: Path, screenshot: Path, size: tuple[int, int], timeout_s: float,
           actions: Sequence[str] = ()) -> PageRun:
    targets = pipe.call("Target.getTargets", timeout=60)["targetInfos"]
    target = next(t["targetId"] for t in targets if t["type"] == "page")
    session = pipe.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        pipe.call(f"{domain}.enable", session=session)
    pipe.call("Emulation.setDeviceMetricsOverride",
              {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": False},
              session=session)
    start = time.monotonic()
    pipe.call("Page.navigate", {"url": page.resolve().as_uri()}, session=session, timeout=timeout_s)
    deadline = start + timeout_s
    while True:
        mark = pipe.call("Runtime.evaluate", {"expression": DRAWN_PROBE, "returnByValue": True},
                         session=session)["result"].get("value")
        ready = pipe.call("Runtime.evaluate", {"expression": "document.readyState", "returnByValue": True},
                          session=session)["result"].get("value")
        if ready == "complete" and (mark == "absent" or mark):
            break
        if time.monotonic() > deadline:
            break  # report what is there; the test's assertion says what is missing
        time.sleep(0.1)
    waited = time.monotonic() - start
    results = _run_actions(pipe, session, actions)
    dom = pipe.call("Runtime.evaluate", {"expression": "document.documentElement.outerHTML",
                                         "returnByValue": True}, session=session)["result"]["value"]
    shot = pipe.call("Page.captureScreenshot", {"format": "png"}, session=session, timeout=60)
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    screenshot.write_bytes(base64.b64decode(shot["data"]))
    pipe.drain(wait=0.2)
    return PageRun("<!DOCTYPE html>" + dom, _console_lines(pipe.events), _page_requests(pipe.events),
                   screenshot, waited, results=results)
