"""Tests of look-through ownership (graphkit.algorithms.ownership).

Each test cites where its expectation comes from.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

import graphkit as gk
from graphkit.algorithms.ownership import effective_ownership, owns_pairs, ultimate_owners
from graphkit.algorithms.restricted import restricted
from graphkit.errors import NodeNotFound


def build(owns: list[tuple[Any, ...]], kinds: dict[str, str] | None = None,
          listed: list[str] = ()) -> gk.OwnershipGraph:
    ids: dict[str, None] = {}
    for o in owns:
        ids.setdefault(o[0], None)
        ids.setdefault(o[1], None)
    kinds = kinds or {}
    ents = pd.DataFrame({"id": list(ids), "name": [f"{i} name" for i in ids],
                         "kind": [kinds.get(i, "company") for i in ids]})
    rels = pd.DataFrame({"source": [o[0] for o in owns], "target": [o[1] for o in owns],
                         "kind": "owns", "share": [None if o[2] is None else str(o[2]) for o in owns],
                         "start": [o[3] if len(o) > 3 else None for o in owns],
                         "end": [o[4] if len(o) > 4 else None for o in owns]})
    lists = pd.DataFrame({"entity": list(listed), "list": "us-ofac-sdn"})
    return gk.OwnershipGraph.from_frames(ents, rels, lists)


def shares(frame: pd.DataFrame) -> dict[str, tuple[float, float]]:
    return {o: (round(a, 6), round(b, 6)) for o, a, b in
            zip(frame["owner"], frame["share_min"], frame["share_max"])}


def test_multiply_and_sum() -> None:
    """Look-through: 60% x 50% = 30% indirect, plus 10% direct = 40% (multiplying along chains,
    summing parallel paths; issue text)."""
    g = build([("P", "H", 60), ("Q", "H", 40), ("H", "T", 50), ("P", "T", 10)], {"P": "person", "Q": "person"})
    eff = effective_ownership(g, "T", as_of="2025-01-01")
    assert shares(eff) == {"H": (50.0, 50.0), "P": (40.0, 40.0), "Q": (20.0, 20.0)}
    row = eff.set_index("owner").loc["P"]
    assert (row["direct_min"], row["hops"], bool(row["ultimate"])) == (10.0, 1, True)
    assert not eff.set_index("owner").loc["H", "ultimate"]
    assert eff.set_index("owner").loc["Q", "chain"] == "Q > H > T"
    assert eff.set_index("owner").loc["P", "chain"] == "P > H > T"  # 30% through H beats 10% direct


def test_cycle_geometric_series() -> None:
    """Cross-holding A<->B (50% each way) below the target: walks around the cycle add a
    geometric series, X: 0.5*0.4 / (1 - 0.25) = 26.67% (integrated ownership)."""
    g = build([("X", "A", 50), ("A", "B", 50), ("B", "A", 50), ("A", "T", 40)])
    got = shares(effective_ownership(g, "T", as_of="2025-01-01"))
    assert got["X"][0] == pytest.approx(100 * 0.2 / 0.75)
    assert got["A"][0] == pytest.approx(100 * 0.4 / 0.75)
    assert got["B"][0] == pytest.approx(100 * 0.2 / 0.75)


def test_cycle_through_target_not_counted() -> None:
    """Design choice (documented in Notes): chains passing through the target again are not
    counted, so the target's holding of itself is attributed to no one."""
    g = build([("X", "T", 50), ("T", "S", 50), ("S", "T", 20)])
    got = shares(effective_ownership(g, "T", as_of="2025-01-01"))
    assert got["X"] == (50.0, 50.0) and got["S"] == (20.0, 20.0)


def test_unknown_shares_bounded() -> None:
    """Shares are ranges: an unknown share is 0..100, a band gives bounds; cycles of unknown
    shares converge to a capped upper bound."""
    g = build([("X", "A", None), ("A", "B", None), ("B", "A", None), ("A", "T", "25-50")])
    got = shares(effective_ownership(g, "T", as_of="2025-01-01"))
    assert got["X"] == (0.0, 100.0)
    assert got["A"][0] == 25.0 and got["A"][1] == 100.0


def test_as_of() -> None:
    """Ownership has validity dates: a stake sold before as_of is not looked through."""
    g = build([("X", "A", 100, "2010", "2020-12-31"), ("A", "T", 60)])
    assert "X" not in set(effective_ownership(g, "T", as_of="2024-01-01")["owner"])
    assert shares(effective_ownership(g, "T", as_of="2019-01-01"))["X"] == (60.0, 60.0)


def test_ultimate_owners() -> None:
    """Beneficial ownership at 25%: P holds 40% through and beside H; Q 20% is below;
    R's band 20-30% may reach 25% ('possible')."""
    g = build([("P", "H", 60), ("Q", "H", 40), ("H", "T", 50), ("P", "T", 10), ("R", "T", "20-30")],
              {"P": "person", "Q": "person", "R": "person"})
    top = ultimate_owners(g, "T", as_of="2025-01-01")
    assert dict(zip(top["owner"], top["status"])) == {"P": "yes", "R": "possible"}
    assert "H" not in set(top["owner"])  # H is owned itself: not ultimate
    assert list(ultimate_owners(g, "T", threshold=10, as_of="2025-01-01")["owner"]) == ["P", "R", "Q"]


def test_differs_from_50_percent_rule() -> None:
    """OFAC FAQ 401 example 2: X's effective (look-through) stake in C is 25%, yet C is blocked
    under the 50% rule because blocked A and B hold 50% of it. The two questions differ."""
    g = build([("X", "A", 50), ("X", "B", 50), ("A", "C", 25), ("B", "C", 25)], listed=["X"])
    assert shares(effective_ownership(g, "C", as_of="2025-01-01"))["X"] == (25.0, 25.0)
    r = restricted(g, rule="ofac50", as_of="2025-01-01").set_index("id")
    assert r.loc["C", "status"] == "restricted"


def test_effective_majority_not_enough_without_blocked_intermediary() -> None:
    """OFAC Revised Guidance (2014): X's 40% of A does not block A, so A's 100% of B does not
    count and B is clear; look-through reports X's effective 40% of B."""
    g = build([("X", "A", 40), ("A", "B", 100)], listed=["X"])
    assert shares(effective_ownership(g, "B", as_of="2025-01-01"))["X"] == (40.0, 40.0)
    assert restricted(g, as_of="2025-01-01").set_index("id").loc["B", "status"] == "clear"


def test_errors() -> None:
    g = build([("X", "A", 40)])
    with pytest.raises(NodeNotFound):
        effective_ownership(g, "nope")
    with pytest.raises(ValueError, match="threshold"):
        ultimate_owners(g, "A", threshold=150)


def test_duplicate_reports_counted_once() -> None:
    """Design: the same stake from two sources is one stake."""
    g = build([("X", "A", 30), ("X", "A", 30)])
    assert shares(effective_ownership(g, "A", as_of="2025-01-01"))["X"] == (30.0, 30.0)
    p = owns_pairs(g, "2025-01-01")
    assert len(p.src) == 1 and list(p.pair_start) == [0, 2]


def test_no_owners() -> None:
    g = build([("X", "A", 40)])
    assert effective_ownership(g, "X", as_of="2025-01-01").empty
    assert ultimate_owners(g, "X", as_of="2025-01-01").empty


def test_pairs_cached_per_graph_and_day() -> None:
    """Repeated questions on one graph read the relations once per day."""
    g = build([("X", "A", 40), ("A", "T", 60, "2024-01-01")])
    a = owns_pairs(g, "2025-01-01")
    assert owns_pairs(g, "2025-01-01") is a
    old = owns_pairs(g, "2023-01-01")
    assert old is not a and len(old.src) == 1 and len(a.src) == 2


def test_indirect_restatements_skipped() -> None:
    """tables.yaml `indirect`: a relation restating a chain end to end (BODS indirect interest)
    is not counted beside the chain. X: 25% direct + 40% x 75% through H = 55% look-through;
    under the 50% rule only the direct 25% counts (H is not blocked), so T is clear."""
    ents = pd.DataFrame({"id": ["X", "H", "T"], "name": ["X", "H", "T"], "kind": "company"})
    rels = pd.DataFrame({"source": ["X", "X", "H", "X"], "target": ["T", "H", "T", "T"], "kind": "owns",
                         "share": ["25", "40", "75", "30"], "indirect": [False, False, False, True]})
    g = gk.OwnershipGraph.from_frames(ents, rels, pd.DataFrame({"entity": ["X"], "list": ["us-ofac-sdn"]}))
    assert shares(effective_ownership(g, "T", as_of="2025-01-01"))["X"] == (55.0, 55.0)
    r = restricted(g, as_of="2025-01-01").set_index("id")
    assert r.loc["T", "status"] == "clear" and r.loc["T", "share_min"] == 25.0
