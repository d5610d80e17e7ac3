"""Open a page in a real headless Chromium (Debian's package) and report what happened.

Used by the browser tests: the page's DOM after its scripts ran, its console
messages, every network request the page itself started (Chromium's own background
calls are told apart by their initiator), and a screenshot.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--hide-scrollbars", "--run-all-compositor-stages-before-draw"]
DRAWN_MARK = "data-drawn-nodes="


@dataclass
class PageRun:
    dom: str
    console: list[str]
    requests: list[str]
    screenshot: Path


def chromium() -> str:
    """Path of the Chromium binary; skips (or fails in CI) when it is missing."""
    exe = os.environ.get("GRAPHKIT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if exe:
        return exe
    message = "Chromium not found: `make test` installs Debian's chromium package (scripts/ensure-chromium)"
    if os.environ.get("CI") or os.environ.get("GRAPHKIT_REQUIRE_CHROMIUM"):
        pytest.fail(message)
    pytest.skip(message)


def _page_requests(netlog: Path) -> list[str]:
    data = json.loads(netlog.read_text(encoding="utf-8"))
    types = {v: k for k, v in data["constants"]["logEventTypes"].items()}
    urls = []
    for event in data["events"]:
        params = event.get("params") or {}
        url = params.get("url") or ""
        if types.get(event["type"]) != "URL_REQUEST_START_JOB" or not url:
            continue
        if params.get("initiator") == "not an origin":
            continue  # the browser's own background call, not the page's
        if not url.startswith(("file:", "data:", "blob:")):
            urls.append(url)
    return urls


def open_page(page: Path, screenshot: Path, *, size: str = "1400,900", budget_ms: int = 8000) -> PageRun:
    """Load ``page``: once to dump the DOM and log, once for the screenshot.

    On a loaded machine the first frame may not be drawn within the virtual-time
    budget; the page is then loaded again with twice the budget (at most twice), so
    a slow machine does not read as a page that draws nothing.
    """
    run = _open(page, screenshot, size, budget_ms)
    for factor in (2, 4):
        if DRAWN_MARK in run.dom or "graphkit-network" not in run.dom:
            break
        run = _open(page, screenshot, size, budget_ms * factor)
    return run


def _open(page: Path, screenshot: Path, size: str, budget_ms: int) -> PageRun:
    exe = chromium()
    url = page.resolve().as_uri()
    with tempfile.TemporaryDirectory() as tmp:
        netlog = Path(tmp) / "netlog.json"
        run = subprocess.run(
            [exe, *FLAGS, f"--user-data-dir={tmp}/profile", "--enable-logging=stderr", "--v=0",
             f"--log-net-log={netlog}", f"--virtual-time-budget={budget_ms}", f"--window-size={size}",
             "--dump-dom", url],
            capture_output=True, text=True, timeout=120, check=False)
        console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
        requests = _page_requests(netlog) if netlog.is_file() else ["<no net log written>"]
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [exe, *FLAGS, f"--user-data-dir={tmp}/profile2", f"--virtual-time-budget={budget_ms}",
             f"--window-size={size}", f"--screenshot={screenshot.resolve()}", url],
            capture_output=True, text=True, timeout=120, check=False)
    return PageRun(run.stdout, console, requests, screenshot)
