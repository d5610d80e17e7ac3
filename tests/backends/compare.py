"""Helpers to compare graphs and paths across backends."""

from __future__ import annotations

import sys
from pathlib import Path as FsPath
from typing import Any

import pandas as pd
import pytest

import graphkit as gk
from graphkit.algorithms.paths import step_weight

REPO = FsPath(__file__).resolve().parents[2]


def assert_same_graph(got: gk.OwnershipGraph, want: gk.OwnershipGraph) -> None:
    """Equal tables (rows compared after sorting by id), same columns and dtypes."""
    for name in ("entities", "relations", "listings"):
        a = getattr(got, name).sort_values("id").reset_index(drop=True)
        b = getattr(want, name).sort_values("id").reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, obj=name)


def weight(p: gk.Path) -> float:
    return round(sum(step_weight(r["confidence"]) for r in p.relations), 9)


def assert_same_paths(got: list[gk.Path], want: list[gk.Path], every: dict[tuple[str, ...], float],
                      context: Any = "") -> None:
    """The same k best paths, allowing any choice among paths of equal weight.

    ``every`` maps each valid path (node sequence) to its weight (from the reference
    with a large k). Paths strictly better than the worst one returned must be the
    same; at the worst weight, any valid path of that weight may be chosen. Paths with
    the same nodes must carry the same relations, directions, end listings and text.
    """
    g_key = sorted((weight(p), tuple(p.nodes)) for p in got)
    w_key = sorted((weight(p), tuple(p.nodes)) for p in want)
    assert [w for w, _ in g_key] == [w for w, _ in w_key], (context, g_key, w_key)
    if w_key:
        worst = w_key[-1][0]
        assert [x for x in g_key if x[0] < worst] == [x for x in w_key if x[0] < worst], context
    for w, nodes in g_key:
        assert every.get(nodes) == w, (context, nodes, "not a valid path of that weight")
    by_nodes = {tuple(p.nodes): p for p in want}
    for p in got:
        q = by_nodes.get(tuple(p.nodes))
        if q is None:
            continue
        assert p.forward == q.forward, context
        assert p.end_listings == q.end_listings, context
        assert p.as_of == q.as_of, context
        if [r["id"] for r in p.relations] == [r["id"] for r in q.relations]:
            assert p.relations == q.relations, context
            assert p.explain() == q.explain(), context
        else:  # parallel relations of equal confidence: any of them is right
            assert [r["confidence"] for r in p.relations] == [r["confidence"] for r in q.relations]


def generated_graph(n_entities: int = 600, n_relations: int = 1800, seed: int = 3) -> gk.OwnershipGraph:
    """A small graph from benchmarks/generate.py (with roles and ended relations)."""
    bench = str(REPO / "benchmarks")
    if bench not in sys.path:
        sys.path.insert(0, bench)
    try:
        import generate  # type: ignore[import-not-found]
    except ImportError as exc:  # pragma: no cover - the generator is part of the repo
        pytest.skip(f"benchmarks/generate.py not importable: {exc}")
    ents, rels, lsts = generate.make_frames(n_entities, n_relations, seed=seed, with_roles=True,
                                            end_fraction=0.2)
    return gk.OwnershipGraph.from_frames(ents, rels, lsts)
