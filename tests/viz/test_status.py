"""Rule colours (restricted / unknown), search data, filters and the cut advice in the page."""

from __future__ import annotations

import html
import logging
import re

import pandas as pd
import pytest

import graphkit as gk
from graphkit.viz import view as view_module
from graphkit.viz.styles import NODE_STYLES
from tests.viz.test_html import data_of, nodes_by_id

pytest.importorskip("pyvis")

EVIL = "<script>alert(1)</script>"


def unknown_graph() -> gk.OwnershipGraph:
    """p (listed) owns 25-75% of c: unknown under OFAC's 50% rule; 60% of d: restricted."""
    ents = pd.DataFrame({"id": ["p", "c", "d", "e"], "name": ["Parent", "Child", "Daughter", EVIL],
                         "kind": ["company", "company", "company", "person"],
                         "aliases": [None, ["Kind Co", "子公司"], None, None]})
    rels = pd.DataFrame({"source": ["p", "p", "e"], "target": ["c", "d", "p"],
                         "kind": ["owns", "owns", "officer_of"], "share": ["25-75", "60", None]})
    lists = pd.DataFrame({"entity": ["p"], "list": ["us-ofac-sdn"], "start": ["2019-01-01"]})
    return gk.OwnershipGraph.from_frames(ents, rels, lists)


def test_rule_colours_restricted_and_unknown_listed_stays() -> None:
    g = unknown_graph()
    page = gk.to_html(g, rule="ofac50", as_of="2024-01-01")
    nodes = nodes_by_id(page)
    assert {i: nodes[i]["category"] for i in "pcd"} == {
        "p": "listed", "c": "unknown", "d": "restricted"}
    assert nodes["d"]["color"]["background"] == NODE_STYLES["restricted"].background
    assert nodes["c"]["color"]["background"] == NODE_STYLES["unknown"].background
    for category in ("restricted", "unknown", "listed"):
        assert html.escape(NODE_STYLES[category].legend) in page
    assert "rule: OFAC 50 Percent Rule" in page or "rule: OFAC" in page
    tip = nodes["d"]["title"]
    assert "rule status" in tip and "restricted under" in tip and "rule explanation" in tip
    assert "rule explanation" not in nodes["e"]["title"]  # a clear entity: status only


def test_without_a_rule_nothing_is_restricted() -> None:
    nodes = nodes_by_id(gk.to_html(unknown_graph(), as_of="2024-01-01"))
    assert {n["category"] for n in nodes.values()} == {"listed", "company", "person"}
    assert "rule status" not in nodes["d"]["title"]


def test_a_restricted_table_from_the_whole_graph_colours_a_cut() -> None:
    g = unknown_graph()
    table = gk.restricted(g, rule="ofac50", as_of="2024-01-01")
    table.loc[table["id"] == "d", "explanation"] = "Because " + EVIL
    cut = g.subgraph(["d"])  # the owner is not in the picture, the status still is
    page = gk.to_html(cut, restricted=table)  # as_of taken from the table
    node = nodes_by_id(page)["d"]
    assert node["category"] == "restricted"
    assert "As of 2024-01-01" in page
    assert EVIL not in node["title"] and html.escape(EVIL) in node["title"]
    assert EVIL not in page.replace("\\u003c", "<").split("graphkit-data")[0]


def test_restricted_table_is_checked() -> None:
    g = unknown_graph()
    table = gk.restricted(g, rule="ofac50", as_of="2024-01-01")
    with pytest.raises(ValueError, match="as of 2024-01-01"):
        gk.to_html(g, restricted=table, as_of="2025-01-01")
    with pytest.raises(ValueError, match="columns"):
        gk.to_html(g, restricted=table[["id", "status"]])
    with pytest.raises(TypeError):
        gk.to_html(g, restricted=[("d", "restricted")])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not both"):
        gk.to_html(g, restricted=table, rule="ofac50")
    with pytest.raises(gk.RuleError):
        gk.to_html(g, rule="no-such-rule")


def test_search_text_and_full_name_travel_as_data() -> None:
    nodes = nodes_by_id(gk.to_html(unknown_graph(), as_of="2024-01-01"))
    assert nodes["c"]["gkSearch"] == "child\nc\nkind co\n子公司"
    assert nodes["e"]["gkName"] == EVIL  # as JSON data; the page shows it with textContent


def test_filter_boxes_per_entity_and_relation_kind() -> None:
    page = gk.to_html(unknown_graph(), as_of="2024-01-01")
    boxes = re.findall(r'<input type="checkbox" checked data-gk-group="(\w+)" value="(\w+)">', page)
    assert boxes == [("kind", "company"), ("kind", "person"), ("relation", "owns"),
                     ("relation", "officer_of")]
    assert 'id="gk-search"' in page


def test_large_graph_warns_and_says_how_to_cut(monkeypatch: pytest.MonkeyPatch,
                                               caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(view_module, "CUT_ADVICE_NODES", 3)
    with caplog.at_level(logging.WARNING, logger="graphkit.viz.html"):
        page = gk.to_html(unknown_graph(), as_of="2024-01-01")
    assert "gk.viz.focus" in caplog.text
    assert 'class="gk-note"' in page and "gk.viz.collapse" in page
    monkeypatch.setattr(view_module, "CUT_ADVICE_NODES", 1000)
    assert 'class="gk-note"' not in gk.to_html(unknown_graph(), as_of="2024-01-01")


def test_every_data_node_has_search_fields() -> None:
    g = gk.read_csv(gk.seed_path())
    nodes = data_of(gk.to_html(g, as_of="2024-01-01"))["nodes"]
    assert all(n["gkSearch"] and n["gkName"] for n in nodes)
