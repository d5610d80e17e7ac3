"""gk.to_html: self-contained, escaped, complete, highlighted, and writes only where asked."""

from __future__ import annotations

import json
import re
from pathlib import Path as FilePath
from typing import Any

import pandas as pd
import pytest

import graphkit as gk
from graphkit.viz.styles import (
    EDGE_DASHES,
    HIGHLIGHT,
    ILLUSTRATIVE_SUFFIX,
    INACTIVE_EDGE_OPACITY,
    NODE_STYLES,
)

pytest.importorskip("pyvis")

EVIL_SCRIPT = "<script>alert(1)</script>"
EVIL_IMG = "<img src=x onerror=alert(1)>"
CLOSE_SCRIPT = "Evil </script><script>alert(2)</script>"


# -- helpers ----------------------------------------------------------------------------
def data_of(page: str) -> dict[str, Any]:
    """The graph data embedded in the page (nodes, edges, options)."""
    m = re.search(r'<script type="application/json" id="graphkit-data">(.*?)</script>', page, re.S)
    assert m, "no embedded graph data"
    return json.loads(m.group(1))


def nodes_by_id(page: str) -> dict[str, dict[str, Any]]:
    return {n["id"]: n for n in data_of(page)["nodes"]}


def edges_by_id(page: str) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in data_of(page)["edges"]}


def small_graph(name_a: str = "Alpha Ltd", name_b: str = "Beta Ltd", **extra: str) -> gk.OwnershipGraph:
    ents = pd.DataFrame({"id": ["a", "b"], "name": [name_a, name_b], "kind": ["company", "company"],
                         "note": [extra.get("note"), None], "source_ref": [extra.get("source"), None],
                         "aliases": [extra.get("alias"), None]})
    rels = pd.DataFrame({"source": ["a"], "target": ["b"], "kind": ["owns"], "share": ["25-50"],
                         "note": [extra.get("rel_note")], "source_ref": [extra.get("source")]})
    lists = pd.DataFrame({"entity": ["a"], "list": ["us-bis-entity-list"], "start": ["2019-10-09"],
                          "program": [extra.get("program")]})
    return gk.OwnershipGraph.from_frames(ents, rels, lists)


@pytest.fixture(scope="module")
def seed() -> gk.OwnershipGraph:
    return gk.read_csv(gk.seed_path())


@pytest.fixture(scope="module")
def seed_page(seed: gk.OwnershipGraph) -> str:
    return gk.to_html(seed, as_of="2024-01-01")


# -- self-contained ---------------------------------------------------------------------
EXTERNAL = [
    re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I),   # src=/href= to a URL
    re.compile(r"@import", re.I),
    re.compile(r"""url\(\s*["']?\s*(?:https?:)?//""", re.I),
    re.compile(r"<script\b[^>]*\bsrc\s*=", re.I),                        # any external script
    re.compile(r"<link\b", re.I),                                        # any linked stylesheet/font
]


def test_page_loads_nothing_from_the_network(seed_page: str) -> None:
    for pattern in EXTERNAL:
        assert not pattern.search(seed_page), pattern.pattern


def test_vis_network_is_inlined(seed_page: str) -> None:
    from graphkit.viz.page import vis_assets

    js, css = vis_assets()
    assert "vis-network" in js[:300] and len(js) > 100_000
    body = re.search(r"<script>(.*?)</script>", seed_page, re.S)
    assert body and body.group(1) == js  # the first script is vis-network itself, whole
    assert css[:2000] in seed_page
    assert "new vis.Network(" in seed_page


def test_seed_graph_has_every_entity_and_relation(seed: gk.OwnershipGraph, seed_page: str) -> None:
    nodes, edges = nodes_by_id(seed_page), edges_by_id(seed_page)
    assert set(nodes) == set(seed.entities["id"])
    assert set(edges) == set(seed.relations["id"])
    for eid in seed.entities["id"]:
        assert f'"{eid}"' in seed_page
    assert "As of 2024-01-01" in seed_page


# -- escaping ---------------------------------------------------------------------------
def test_names_and_values_from_data_are_escaped() -> None:
    g = small_graph(EVIL_SCRIPT, EVIL_IMG, note=EVIL_IMG, source=EVIL_SCRIPT, alias=EVIL_IMG,
                    rel_note=EVIL_SCRIPT, program=EVIL_IMG)
    page = gk.to_html(g, highlight=["a", "b"], title=f"Case {EVIL_SCRIPT}", as_of="2024-01-01")
    for raw in (EVIL_SCRIPT, EVIL_IMG, "<img", "onerror=alert(1)>"):
        assert raw not in page
    # title, legend (highlight summary) are escaped HTML
    assert "<h1>Case &lt;script&gt;alert(1)&lt;/script&gt;</h1>" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    # tooltips (HTML for vis-network) carry the escaped text; labels keep the plain name
    nodes, edges = nodes_by_id(page), edges_by_id(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in nodes["a"]["title"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in nodes["b"]["title"]
    assert "<script" not in nodes["a"]["title"] and "<img" not in nodes["a"]["title"]
    assert "&lt;script&gt;" in edges[next(iter(edges))]["title"]
    assert nodes["a"]["label"] == EVIL_SCRIPT  # drawn on canvas as text
    # the escaped form survives the JSON embedding as \u0026lt; ...
    assert "\\u0026lt;script\\u0026gt;alert(1)\\u0026lt;/script\\u0026gt;" in page


def test_direction_overrides_and_control_characters_are_shown_not_obeyed() -> None:
    # a right-to-left override in one name would turn the names after it around on screen
    rlo, nul = "Harmless Trading \u202eLtd", "Null\x00 Corp"
    g = small_graph(rlo, nul, note="\u2067isolate\u2069", source="src \u200f")
    page = gk.to_html(g, highlight=["a", "b"], title=f"Case {rlo}", as_of="2024-01-01")
    for raw in ("\u202e", "\x00", "\u2067", "\u2069", "\u200f", "\\u0000"):
        assert raw not in page
    nodes = nodes_by_id(page)
    assert nodes["a"]["label"] == "Harmless Trading [U+202E]Ltd"
    assert nodes["b"]["label"] == "Null[U+0000] Corp"
    assert "[U+2067]isolate[U+2069]" in nodes["a"]["title"]
    assert "<h1>Case Harmless Trading [U+202E]Ltd</h1>" in page
    assert g.entity("a")["name"] == rlo  # the data keep the characters; only the page shows them


def test_close_script_in_a_name_does_not_end_the_script() -> None:
    benign = gk.to_html(small_graph(), as_of="2024-01-01")
    evil = gk.to_html(small_graph(CLOSE_SCRIPT, "<!-- <script>", note="</SCRIPT >"),
                      as_of="2024-01-01", title="</script>")
    expected = 3  # vis-network, the JSON data, the start-up script
    assert benign.lower().count("</script") == expected
    assert evil.lower().count("</script") == expected
    assert "<!--" not in evil
    nodes = nodes_by_id(evil)
    assert nodes["a"]["label"] == CLOSE_SCRIPT and nodes["b"]["label"] == "<!-- <script>"


# -- content ----------------------------------------------------------------------------
def test_colours_shapes_and_marks(seed: gk.OwnershipGraph, seed_page: str) -> None:
    nodes, edges = nodes_by_id(seed_page), edges_by_id(seed_page)
    assert nodes["iflytek"]["color"]["background"] == NODE_STYLES["listed"].background
    assert nodes["iflytek"]["category"] == "listed"
    assert nodes["ai-galaxy"]["category"] == "compute"
    assert nodes["unnamed-shell-companies"]["category"] == "shell_front"
    assert nodes["il-person"]["shape"] == "diamond"
    assert nodes["addr-ugland-house"]["category"] == "address"
    assert nodes["state-backed-compute-clusters"]["shape"] == "hexagon"
    assert nodes["sasac"]["category"] == "public_body"
    # illustrative entities: dashed border and label suffix
    ill = nodes["il-front-trading"]
    assert ill["label"].endswith(ILLUSTRATIVE_SUFFIX) and ill["shapeProperties"]["borderDashes"]
    assert "shapeProperties" not in nodes["iflytek"]
    # owns has a share label; suspected relations dashed; illustrative dotted; arrows follow direction
    assert edges["r001"]["label"] == "100%" and edges["r002"]["label"] == "unknown share"
    assert (edges["r001"]["from"], edges["r001"]["to"]) == ("sensetime-group", "shenzhen-sensetime")
    assert edges["r001"]["arrows"]["to"]["enabled"] is True
    assert edges["r007"]["arrows"]["to"]["enabled"] is False  # linked_to: no direction
    assert edges["r016"]["dashes"] == list(EDGE_DASHES["suspected"])
    assert edges["r030"]["dashes"] == list(EDGE_DASHES["illustrative"])
    assert edges["r001"]["dashes"] is False
    assert edges["r003"]["color"]["color"] != edges["r017"]["color"]["color"]  # by kind


def test_tooltips_list_every_field(seed_page: str) -> None:
    nodes, edges = nodes_by_id(seed_page), edges_by_id(seed_page)
    tip = nodes["sensetime-group"]["title"]
    for text in ("<th>kind</th>", "<th>country</th><td>HK</td>", "<th>roles</th>",
                 "<th>identifiers</th>", "ofac_ent_num:33114", "<th>listing</th>",
                 "us-ofac-ns-cmic", "since 2021-12-10", "<th>source_ref</th>", "<th>aliases</th>"):
        assert text in tip
    rtip = edges["r001"]["title"]
    for text in ("<th>kind</th>", "<th>share</th><td>100%</td>", "<th>observed</th>",
                 "<th>confidence</th><td>confirmed</td>", "<th>source_ref</th>", "<th>note</th>"):
        assert text in rtip
    for text in ("<th>item</th>", "<th>eccn</th>", "<th>price</th>", "<th>start</th>"):
        assert any(text in e["title"] for e in edges.values()), text


def test_as_of_decides_who_is_listed(seed: gk.OwnershipGraph) -> None:
    def cat(day: str) -> str:
        return nodes_by_id(gk.to_html(seed, as_of=day))["sensetime-group"]["category"]

    assert cat("2019-11-01") == "listed"            # BIS Entity List, 2019-10-09 .. 2020
    assert cat("2021-06-01") == "listed_other_date"  # between BIS and NS-CMIC
    assert cat("2022-01-01") == "listed"            # NS-CMIC since 2021-12-10
    before = edges_by_id(gk.to_html(seed, as_of="2020-06-01"))
    assert before["r026"]["color"]["opacity"] == INACTIVE_EDGE_OPACITY  # starts in 2021
    assert before["r001"]["color"]["opacity"] == 1.0


def test_highlight_a_path() -> None:
    g = gk.example_graph()
    found = gk.paths(g, "buyer", as_of="2024-01-01")
    page = gk.to_html(g, highlight=found[0], as_of="2024-01-01")
    nodes, edges = nodes_by_id(page), edges_by_id(page)
    on_path = set(found[0].nodes)
    path_rels = {str(r["id"]) for r in found[0].relations}
    assert on_path == {"buyer", "sub", "parent"}
    for nid, n in nodes.items():
        hl = nid in on_path
        assert (n["color"]["border"] == HIGHLIGHT.color) is hl
        assert (n["borderWidth"] == HIGHLIGHT.node_border_width) is hl
    for rid, e in edges.items():
        hl = rid in path_rels
        assert (e["color"]["color"] == HIGHLIGHT.color) is hl
        assert (e["width"] == HIGHLIGHT.edge_width) is hl
    assert "Buyer Trading Ltd → Sub Ltd → Parent Group" in page
    # a list of paths gives the same picture
    assert data_of(gk.to_html(g, highlight=found, as_of="2024-01-01")) == data_of(page)


def test_highlight_entity_ids_and_bad_input() -> None:
    g = gk.example_graph()
    nodes = nodes_by_id(gk.to_html(g, highlight="cloud"))
    assert nodes["cloud"]["borderWidth"] == HIGHLIGHT.node_border_width
    assert nodes["buyer"]["borderWidth"] != HIGHLIGHT.node_border_width
    with pytest.raises(gk.NodeNotFound):
        gk.to_html(g, highlight=["cloud", "nobody"])
    with pytest.raises(TypeError):
        gk.to_html(g, highlight=42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        gk.to_html(g.entities)
    # a path found on another graph whose relations this graph does not have
    other = gk.OwnershipGraph.from_frames(g.entities, g.relations.assign(id=lambda r: "x" + r["id"]),
                                          g.listings)
    with pytest.raises(gk.GraphkitError, match="relations not in the graph"):
        gk.to_html(other, highlight=gk.paths(g, "buyer", as_of="2024-01-01"))


def test_large_graph_uses_a_fixed_layout() -> None:
    n = 320
    ids = [f"e{i}" for i in range(n)]
    ents = pd.DataFrame({"id": ids, "name": [f"Entity {i}" for i in range(n)], "kind": "company"})
    rels = pd.DataFrame({"source": ids[1:], "target": [ids[(i - 1) // 2] for i in range(1, n)],
                         "kind": "owns"})
    g = gk.OwnershipGraph.from_frames(ents, rels)
    page = gk.to_html(g, as_of="2024-01-01")
    data = data_of(page)
    assert data["options"]["physics"]["enabled"] is False
    assert all(isinstance(nd["x"], float) and isinstance(nd["y"], float) for nd in data["nodes"])
    assert data_of(gk.to_html(g, as_of="2024-01-01"))["nodes"] == data["nodes"]  # seeded
    small = data_of(gk.to_html(gk.example_graph()))
    assert small["options"]["physics"]["enabled"] is True
    assert "x" not in small["nodes"][0]


# -- files ------------------------------------------------------------------------------
def test_without_path_nothing_is_written(tmp_path: FilePath, monkeypatch: pytest.MonkeyPatch,
                                         seed: gk.OwnershipGraph) -> None:
    monkeypatch.chdir(tmp_path)
    page = gk.to_html(seed, highlight=gk.paths(seed, "iflytek", as_of="2024-01-01"))
    assert page.startswith("<!DOCTYPE html>")
    assert list(tmp_path.iterdir()) == []


def test_with_path_exactly_that_file_is_written(tmp_path: FilePath, monkeypatch: pytest.MonkeyPatch) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    out = tmp_path / "out" / "graph.html"
    out.parent.mkdir()
    page = gk.to_html(gk.example_graph(), out, as_of="2024-01-01")
    assert list(cwd.iterdir()) == []
    assert list(out.parent.iterdir()) == [out]
    assert out.read_text(encoding="utf-8") == page
    gk.to_html(gk.example_graph(), "relative.html")  # a relative path lands in the cwd
    assert [p.name for p in cwd.iterdir()] == ["relative.html"]
