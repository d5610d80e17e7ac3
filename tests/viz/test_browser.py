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


# JavaScript run in the page after drawing, as a person would act: type, untick.
TYPE_SEARCH = """(() => {
  const box = document.getElementById('gk-search');
  box.value = %s;
  box.dispatchEvent(new Event('input', {bubbles: true}));
  return {count: document.getElementById('gk-search-count').textContent,
          names: [...document.querySelectorAll('#gk-search-results button')].map(b => b.textContent),
          selected: graphkit.network.getSelectedNodes().sort(),
          scripts: document.querySelectorAll('script').length};
})()"""
UNTICK = """(() => {
  const box = document.querySelector('input[data-gk-group="%s"][value="%s"]');
  box.click();
  const c = document.getElementById('graphkit-network');
  return {checked: box.checked,
          visible: [+c.getAttribute('data-visible-nodes'), +c.getAttribute('data-visible-edges')],
          hidden: graphkit.nodes.get({filter: n => n.hidden}).map(n => n.id).sort(),
          text: document.getElementById('gk-filter-count').textContent};
})()"""


def test_search_and_filters_in_the_browser(tmp_path: Path) -> None:
    evil = "<script>alert(1)</script> Holdings"
    ents = pd.DataFrame({"id": ["a", "b", "c", "d"], "kind": ["company", "company", "person", "company"],
                         "name": [evil, "Beta Ltd", "Jane Doe", "Gamma Ltd"],
                         "aliases": [None, ["Alert Trading"], None, None]})
    rels = pd.DataFrame({"source": ["a", "c", "b"], "target": ["b", "a", "d"],
                         "kind": ["owns", "officer_of", "supplies"], "share": ["60", None, None]})
    page = tmp_path / "search.html"
    gk.to_html(gk.OwnershipGraph.from_frames(ents, rels), path=page, as_of="2024-01-01")
    run = open_page(page, ARTIFACTS / "search-and-filter.png", actions=[
        TYPE_SEARCH % '"ALERT"', TYPE_SEARCH % '"doe"', TYPE_SEARCH % '"nothing like it"',
        UNTICK % ("kind", "person"), UNTICK % ("relation", "supplies"),
        TYPE_SEARCH % '"jane"', UNTICK % ("kind", "person"), TYPE_SEARCH % '"alert"'])
    assert run.console == [] and run.requests == [], (run.console, run.requests)
    found, doe, nothing, no_person, no_supplies, jane_hidden, person_back, final = run.results
    # Name or alias, any case; the hostile name is listed as text and adds no script.
    assert found["count"] == "2 matches" and found["selected"] == ["a", "b"]
    assert sorted(found["names"]) == sorted([evil, "Beta Ltd"])
    assert doe == {**doe, "count": "1 match", "names": ["Jane Doe"], "selected": ["c"]}
    assert nothing["count"] == "No match" and nothing["names"] == []
    assert found["scripts"] == nothing["scripts"]
    # Unticking a kind hides its entities and their relations.
    assert no_person["checked"] is False and no_person["hidden"] == ["c"]
    assert no_person["visible"] == [3, 2] and "Showing 3 of 4 entities" in no_person["text"]
    assert no_supplies["visible"] == [3, 1]
    assert jane_hidden["count"] == "No match"  # hidden entities are not found
    assert person_back["hidden"] == [] and person_back["visible"] == [4, 2]
    assert final["count"] == "2 matches"
    assert "<script>alert(1)</script> Holdings</button>" not in run.dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Holdings</button>" in run.dom


def test_rule_colours_and_a_collapsed_group_in_the_browser(tmp_path: Path) -> None:
    n = 60
    ents = pd.DataFrame({"id": ["p", "q", *[f"s{i}" for i in range(n)]],
                         "name": ["Listed Parent", "Half Owned", *[f"Sub <{i}>" for i in range(n)]],
                         "kind": "company"})
    rels = pd.DataFrame({"source": ["p"] * (n + 1), "target": ["q", *[f"s{i}" for i in range(n)]],
                         "kind": "owns", "share": ["25-75", *["100"] * n]})
    lists = pd.DataFrame({"entity": ["p"], "list": ["us-ofac-sdn"], "start": ["2019-01-01"]})
    g = gk.OwnershipGraph.from_frames(ents, rels, lists)
    table = gk.restricted(g, rule="ofac50", as_of="2024-01-01")
    page = tmp_path / "rule.html"
    gk.to_html(gk.viz.collapse(g, max_group=10, restricted=table), path=page, restricted=table)
    run = open_page(page, ARTIFACTS / "rule-and-collapse.png", actions=[
        "graphkit.nodes.get().map(n => [n.id, n.category]).sort()",
        TYPE_SEARCH % '"more companies"'])
    assert run.console == [] and run.requests == [], (run.console, run.requests)
    assert drawn(run.dom)["drawn-nodes"] == 3
    categories = dict(run.results[0])
    assert categories["p"] == "listed" and categories["q"] == "unknown"
    (collapsed,) = [k for k in categories if k.startswith("collapsed:")]
    assert categories[collapsed] == "restricted"
    assert run.results[1]["names"] == ["60 more companies owned by Listed Parent (restricted)"]


@pytest.mark.slow
def test_5000_nodes_open_and_stay_usable(tmp_path: Path) -> None:
    from tests.viz.bench_html import TIMED, graph

    g = graph(5000)
    page = tmp_path / "5000.html"
    gk.to_html(g, path=page, as_of="2024-01-01")
    run = open_page(page, ARTIFACTS / "large-5000.png", actions=[TIMED])
    assert run.console == [] and run.requests == []
    assert drawn(run.dom) == {"drawn-nodes": 5000, "drawn-edges": 4999, "positioned-nodes": 5000}
    assert run.results[0]["matches"] == "111 matches (first 25 listed)"
    assert 'class="gk-note"' in run.dom  # the page says how to cut
