"""graphkit.holdings: ownership facts that cannot all be true are reported, never dropped."""

from __future__ import annotations

import pandas as pd

import graphkit as gk
from graphkit.cli import problems_line


def _graph(rows: list[tuple[str, str, str, str | None]], **extra: list[object]) -> gk.OwnershipGraph:
    ids = sorted({r[0] for r in rows} | {r[1] for r in rows})
    ents = pd.DataFrame({"id": ids, "name": [i.upper() for i in ids], "kind": "company"})
    rels = pd.DataFrame(rows, columns=["source", "target", "share", "end"]).assign(kind="owns", **extra)
    return gk.OwnershipGraph.from_frames(ents, rels)  # strict: a "check" never stops the build


def test_shares_over_100_in_total_are_reported_on_every_owner() -> None:
    g = _graph([("p", "x", "60", None), ("q", "x", "70", None), ("r", "y", "50", None)])
    assert len(g.relations) == 3
    assert [(p.row, p.action, p.column) for p in g.problems] == [(1, "check", "share"), (2, "check", "share")]
    assert "minimum shares of 'x' add up to 130% (over 100%)" in g.problems[0].message
    line = problems_line(g.problems, ["case/"])
    assert line is not None and "2 thing(s) to check (facts that cannot all be true" in line


def test_what_is_not_counted() -> None:
    # one owner stated twice (shares and voting rights): once; a holding that ended; an indirect restatement
    g = _graph([("p", "x", "80", None), ("p", "x", "80", None), ("q", "x", "60", "2020-01-01"),
                ("r", "x", "40", None)], indirect=[False, False, False, True])
    assert g.problems == []
    # a range counts at its minimum: 40-60 + 60 may be 100
    assert _graph([("p", "x", "40-60", None), ("q", "x", "60", None)]).problems == []


def test_majority_ownership_in_a_circle() -> None:
    g = _graph([("a", "b", "60", None), ("b", "c", "51", None), ("c", "a", "75", None), ("c", "d", "90", None)])
    assert [p.row for p in g.problems] == [1, 2, 3]  # the ring, not the way out of it
    assert "runs in a circle: 'a' -> 'b' -> 'c' -> 'a'" in g.problems[0].message
    # cross-holdings below a majority are ordinary
    assert _graph([("a", "b", "30", None), ("b", "a", "20", None)]).problems == []
    # the rule engine still answers on such a graph
    lst = pd.DataFrame({"entity": ["a"], "list": ["us-ofac-sdn"]})
    g2 = gk.OwnershipGraph.from_frames(g.entities, g.relations, lst)
    assert gk.restricted(g2, as_of="2025-01-01").set_index("id").loc["d", "status"] == "restricted"
