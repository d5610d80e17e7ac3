"""gk.viz.focus, paths_graph and collapse: smaller graphs that stay valid input for to_html."""

from __future__ import annotations

import pandas as pd
import pytest

import graphkit as gk
from graphkit.viz.cut import COLLAPSED_PREFIX
from tests.viz.test_html import nodes_by_id


def fan(n_subs: int = 480, hostile: bool = False) -> gk.OwnershipGraph:
    """Parent (listed) owns n subsidiaries; one of them also supplies a buyer."""
    subs = [f"s{i}" for i in range(n_subs)]
    names = [f"Sub {i}" for i in range(n_subs)]
    if hostile:
        names[0] = "<script>alert(1)</script>"
    ents = pd.DataFrame({"id": ["p", "buyer", *subs], "name": ["Parent <b>X</b>", "Buyer", *names],
                         "kind": "company"})
    rels = pd.DataFrame({"source": ["p"] * n_subs + ["s7"], "target": [*subs, "buyer"],
                         "kind": ["owns"] * n_subs + ["supplies"],
                         "share": ["100"] * (n_subs - 1) + ["51-75", None],
                         "source_ref": "register"})
    lists = pd.DataFrame({"entity": ["p"], "list": ["us-bis-entity-list"], "start": ["2019-10-09"]})
    return gk.OwnershipGraph.from_frames(ents, rels, lists)


def test_collapse_folds_the_leaf_group_and_keeps_the_rest() -> None:
    g = fan()
    small = gk.viz.collapse(g, max_group=20, keep=["s3"])
    assert len(g) == 482  # the original is unchanged
    ids = set(small.entities["id"])
    assert {"p", "buyer", "s7", "s3"} <= ids  # s7 has another tie, s3 is kept
    folded = small.entities[small.entities["id"].str.startswith(COLLAPSED_PREFIX)]
    assert folded["name"].tolist() == ["478 more companies owned by Parent <b>X</b>"]
    note = folded["note"].iloc[0]
    assert "Sub 0; Sub 1; Sub 2; Sub 4" in note and "more" in note
    rel = small.relations[small.relations["target"] == folded["id"].iloc[0]].iloc[0]
    assert (rel["source"], rel["kind"], rel["share_min"], rel["share_max"]) == ("p", "owns", 51.0, 100.0)
    assert rel["source_ref"] == "register"
    assert len(small) == 5 and len(small.relations) == 4


def test_collapsed_graph_draws_and_stays_escaped() -> None:
    small = gk.viz.collapse(fan(hostile=True), max_group=20)
    page = gk.to_html(small, as_of="2024-01-01")
    node = next(n for i, n in nodes_by_id(page).items() if i.startswith(COLLAPSED_PREFIX))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in node["title"]
    assert "<script>alert" not in node["title"] and "<b>X" not in node["title"]
    assert node["label"].startswith("479 more companies owned by")
    assert node["borderWidth"] > nodes_by_id(page)["p"]["borderWidth"]
    assert "Group of look-alike entities folded into one node" in page


def test_small_groups_are_left_alone() -> None:
    g = fan(10)
    assert gk.viz.collapse(g, max_group=20) is g
    with pytest.raises(ValueError):
        gk.viz.collapse(g, max_group=0)


def test_focus_is_the_neighbourhood() -> None:
    g = fan(30)
    assert sorted(gk.viz.focus(g, "buyer", hops=1).entities["id"]) == ["buyer", "s7"]
    assert len(gk.viz.focus(g, ["buyer"], hops=2)) == 3
    assert len(gk.viz.focus(g, "buyer", hops=0)) == 1
    with pytest.raises(gk.NodeNotFound):
        gk.viz.focus(g, "nobody")
    with pytest.raises(ValueError):
        gk.viz.focus(g, "buyer", hops=-1)


def test_focus_as_of_walks_only_relations_in_force() -> None:
    ents = pd.DataFrame({"id": ["a", "b", "c"], "name": ["A", "B", "C"], "kind": "company"})
    rels = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "kind": "owns",
                         "share": "60", "end": ["2030-01-01", "2020-01-01"]})
    g = gk.OwnershipGraph.from_frames(ents, rels)
    assert len(gk.viz.focus(g, "a", hops=2, as_of="2024-01-01")) == 2
    assert len(gk.viz.focus(g, "a", hops=2)) == 3


def test_paths_graph_keeps_only_the_paths() -> None:
    g = gk.read_csv(gk.seed_path())
    found = gk.paths(g, "il-hk-distributor", k=2, as_of="2024-06-01")
    small = gk.viz.paths_graph(g, found)
    nodes = {n for p in found for n in p.nodes}
    rels = {str(r["id"]) for p in found for r in p.relations}
    assert set(small.entities["id"]) == nodes and set(small.relations["id"]) == rels
    page = gk.to_html(small, highlight=found, as_of="2024-06-01")
    assert all(n["id"] in nodes for n in nodes_by_id(page).values())
    with pytest.raises(TypeError):
        gk.viz.paths_graph(g, ["il-hk-distributor"])  # type: ignore[list-item]


def test_collapse_splits_groups_by_rule_status_and_the_page_colours_them() -> None:
    g = fan(40)
    table = gk.restricted(g, rule="bis-affiliates", as_of="2025-10-15")  # 100% / 51-75% owned
    table.loc[table["id"] == "s5", "status"] = "clear"  # pretend one is clear
    small = gk.viz.collapse(g, max_group=5, restricted=table)
    folded = small.entities[small.entities["id"].str.startswith(COLLAPSED_PREFIX)]
    assert folded["name"].tolist() == ["38 more companies owned by Parent <b>X</b> (restricted)"]
    assert "s5" in set(small.entities["id"])  # a group of one is not folded
    members = folded["members"].iloc[0]
    assert len(members) == 38 and "s0" in members and "s7" not in members
    nodes = nodes_by_id(gk.to_html(small, restricted=table))
    node = nodes[folded["id"].iloc[0]]
    assert node["category"] == "restricted" and "38 restricted" in node["title"]
    assert "members" not in node["title"]  # 38 ids are not a tooltip
    mixed = gk.viz.collapse(g, max_group=5)  # without the table: one group, worst status shown
    node = next(n for i, n in nodes_by_id(gk.to_html(mixed, restricted=table)).items()
                if i.startswith(COLLAPSED_PREFIX))
    assert node["category"] == "restricted" and "38 restricted, 1 clear" in node["title"]
