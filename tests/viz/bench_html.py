"""Figures for large pictures: build a page, open it in Chromium, search, filter, collapse.

Not a test (no thresholds): run ``.venv/bin/python -m tests.viz.bench_html [N]`` on a
quiet machine and read the figures. Default N = 5000 entities (a tree of ownership
with one fan of leaf subsidiaries, so that collapse has something to fold).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

import graphkit as gk
from tests.viz.browser import open_page

TIMED = """(() => {
  const t0 = performance.now();
  const box = document.getElementById('gk-search');
  box.value = 'company 12'; box.dispatchEvent(new Event('input'));
  const t1 = performance.now();
  document.querySelector('input[data-gk-group="relation"][value="owns"]').click();
  const t2 = performance.now();
  return {search_ms: t1 - t0, filter_ms: t2 - t1,
          matches: document.getElementById('gk-search-count').textContent};
})()"""


def graph(n: int) -> gk.OwnershipGraph:
    fan = n // 10
    ids = [f"e{i}" for i in range(n)]
    ents = pd.DataFrame({"id": ids, "name": [f"Company {i}" for i in range(n)], "kind": "company"})
    src = [f"e{(i - 1) // 3}" for i in range(1, n - fan)] + ["e0"] * fan
    dst = [f"e{i}" for i in range(1, n - fan)] + [f"e{i}" for i in range(n - fan, n)]
    rels = pd.DataFrame({"source": src, "target": dst, "kind": "owns", "share": "60"})
    return gk.OwnershipGraph.from_frames(ents, rels)


def main(n: int = 5000) -> None:
    g = graph(n)
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "big.html"
        t = time.perf_counter()
        gk.to_html(g, path=page, as_of="2024-01-01")
        build = time.perf_counter() - t
        size_mb = page.stat().st_size / 1e6
        t = time.perf_counter()
        run = open_page(page, Path(tmp) / "big.png", actions=[TIMED])
        opened = time.perf_counter() - t
        t = time.perf_counter()
        small = gk.viz.collapse(g, max_group=20)
        folded = time.perf_counter() - t
    print(f"{n} entities, {len(g.relations)} relations")
    print(f"  to_html (layout + page): {build:.2f} s, {size_mb:.1f} MB")
    print(f"  Chromium: first frame after {run.waited_s:.2f} s (whole run {opened:.2f} s); "
          f"console {len(run.console)}, requests {len(run.requests)}")
    print(f"  search {run.results[0]['search_ms']:.0f} ms ({run.results[0]['matches']}), "
          f"filter {run.results[0]['filter_ms']:.0f} ms")
    print(f"  collapse(max_group=20): {folded:.2f} s -> {len(small)} entities")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
