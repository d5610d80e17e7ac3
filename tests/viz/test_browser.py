"""Exported pages in a real headless Chromium: drawn, no console errors, no network."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import graphkit as gk
from tests.viz.browser import open_page

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def drawn(dom: str) -> dict[str, int]:
    found = dict(re.findall(r'data-(drawn-nodes|drawn-edges|positioned-nodes)="(\d+)"', dom))
    return {k: int(v) for k, v in found.items()}


def test_seed_case_is_drawn_offline(tmp_path: Path) -> None:
    g = gk.read_csv(gk.seed_path())
    best = gk.paths(g, "il-hk-distributor", k=1)
    page = tmp_path / "case.html"
    gk.to_html(g, path=page, highlight=best, title="Seed case", as_of="2024-06-01")
    run = open_page(page, ARTIFACTS / "seed-case.png")
    assert run.console == [], run.console
    assert run.requests == [], run.requests
    counts = drawn(run.dom)
    assert counts == {"drawn-nodes": len(g), "drawn-edges": len(g.relations),
                      "positioned-nodes": len(g)}, counts
    assert run.screenshot.stat().st_size > 20_000  # a real picture, kept as a test artefact


def test_hostile_names_stay_text_in_the_browser(tmp_path: Path) -> None:
    ents = pd.DataFrame({"id": ["a", "b"], "kind": ["company", "company"],
                         "name": ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>"]})
    rels = pd.DataFrame({"source": ["a"], "target": ["b"], "kind": ["owns"], "share": ["60"],
                         "source_ref": ["</script><script>alert(3)</script>"]})
    page = tmp_path / "hostile.html"
    gk.to_html(gk.OwnershipGraph.from_frames(ents, rels), path=page, title="<b>t</b>")
    run = open_page(page, ARTIFACTS / "hostile.png")
    assert run.console == [] and run.requests == [], (run.console, run.requests)
    assert drawn(run.dom)["drawn-nodes"] == 2
    assert "<img src=\"x\"" not in run.dom and "onerror=\"alert" not in run.dom


@pytest.mark.slow
def test_large_graph_uses_a_layout_and_draws(tmp_path: Path) -> None:
    n = 2000
    ents = pd.DataFrame({"id": [f"e{i}" for i in range(n)], "name": [f"Company {i}" for i in range(n)],
                         "kind": ["company"] * n})
    rels = pd.DataFrame({"source": [f"e{i // 3}" for i in range(1, n)],
                         "target": [f"e{i}" for i in range(1, n)], "kind": ["owns"] * (n - 1)})
    page = tmp_path / "large.html"
    gk.to_html(gk.OwnershipGraph.from_frames(ents, rels), path=page)
    run = open_page(page, ARTIFACTS / "large-2000.png")
    assert run.console == [] and run.requests == []
    assert drawn(run.dom) == {"drawn-nodes": n, "drawn-edges": n - 1, "positioned-nodes": n}


def test_the_browser_helper_sees_requests_and_console_errors(tmp_path: Path) -> None:
    """The instrument itself: a deliberately bad page must be caught, not pass silently."""
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><html><head>"
                    '<script src="http://127.0.0.1:9/cdn/vis.js"></script></head><body>'
                    "<script>console.error('boom'); undefinedFunction();</script></body></html>",
                    encoding="utf-8")
    run = open_page(page, ARTIFACTS / "bad-page.png")
    assert "http://127.0.0.1:9/cdn/vis.js" in run.requests
    assert any("boom" in line for line in run.console), run.console
    assert any("undefinedFunction" in line for line in run.console), run.console
