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


# -- restriction rules -------------------------------------------------------------------------
RULE_COLUMNS = ["id", "name", "status", "share_min", "share_max", "red_flag", "rule", "as_of"]


def assert_same_restricted(got: pd.DataFrame, want: pd.DataFrame, context: Any = "") -> None:
    """Same rows (sorted by id) with equal status, share bounds (to 1e-9), red flags, rule and
    date. Explanations are not compared (the server's are shorter), only that every row that
    is not clear, or is red-flagged, has one."""
    assert list(got.columns) == list(want.columns), context
    a = got.sort_values("id").reset_index(drop=True)
    b = want.sort_values("id").reset_index(drop=True)
    pd.testing.assert_frame_equal(a[RULE_COLUMNS], b[RULE_COLUMNS], check_exact=False, rtol=0, atol=1e-9,
                                  obj=str(context))
    needs = (a["status"] != "clear") | a["red_flag"]
    assert (a.loc[needs, "explanation"].str.len() > 0).all(), context


PROGRAMS = [None, "SDGT", "IRAN", "[NPWMD] [IFSR]", "CMIC-EO13959", "X-SDGT", "RUSSIA-EO14024; UKRAINE-EO13662"]
RULE_LISTS = ["us-ofac-sdn", "us-bis-entity-list", "us-bis-meu", "eu-fsf", "us-dod-1260h"]
RULE_DATES = ["2019-06-01", "2024-01-01", "2025-10-15", "2025-11-10", "2026-06-01", "2026-11-09",
              "2026-11-10", "2026-12-01"]


def rule_graph(seed: int, n: int = 70) -> gk.OwnershipGraph:
    """A random graph for the rules: chains, cycles, self-loops, exact / banded / unknown
    shares, the same stake reported twice (agreeing or contradicting), restated (``indirect``)
    stakes, control ties, addresses, and listings with programs that start and end."""
    import numpy as np

    rng = np.random.default_rng(seed)
    kinds = rng.choice(["company"] * 6 + ["person", "public_body"], n).tolist() + ["address"] * 3
    ents = pd.DataFrame({"id": [f"e{i:03d}" for i in range(n + 3)],
                         "name": [f"Entity {i}" for i in range(n + 3)], "kind": kinds})

    def day() -> str | None:
        r = rng.random()
        if r < 0.5:
            return None
        return str(rng.choice(["2018", "2020-03", "2024-01-01", "2025-09-30", "2025-11-15", "2026-05",
                               "2026-11-09", "2026-12-01"]))

    rows = []
    for j in range(int(n * 2.2)):
        a = int(rng.integers(n))
        # mostly down a chain (a owns a later entity), sometimes anywhere (cycles)
        b = int((a + 1 + rng.integers(6)) % n) if rng.random() < 0.85 else int((a + 1 + rng.integers(n - 1)) % n)
        kind = "owns" if rng.random() < 0.8 else "controls"
        r = rng.random()
        share = None if kind == "controls" or r < 0.15 else (
            str(rng.choice(["25-50", "50-75", "more than 50", "10-25", "50-100"])) if r < 0.45
            else str(rng.choice([10, 20, 25, 30, 40, 49.5, 50, 51, 60, 100])))
        start, end = day(), day()
        if start and end and end < start:
            start, end = end, start
        rows.append({"id": f"r{j:04d}", "source": f"e{a:03d}", "target": f"e{b:03d}", "kind": kind,
                     "share": share, "start": start, "end": end, "indirect": bool(rng.random() < 0.05),
                     "confidence": "reported"})
        if kind == "owns" and rng.random() < 0.1:   # the same stake from a second source
            rows.append({**rows[-1], "id": f"r{j:04d}b", "share": ["40-60", "55", "20", None][int(rng.integers(4))]})
    rows += [{"id": f"ra{i}", "source": f"e{i:03d}", "target": f"e{n + i:03d}", "kind": "registered_at"}
             for i in range(3)]
    rels = pd.DataFrame(rows)
    listed = rng.choice(n, size=max(3, n // 8), replace=False)
    lst = []
    for i, e in enumerate(listed.tolist()):
        for m in range(1 + int(rng.random() < 0.3)):
            start = str(rng.choice(["2015", "2019-10-09", "2024-06", "2025-12-01"]))
            end = str(rng.choice(["2020-01-01", "2026-01", "2025-11-10"])) if rng.random() < 0.25 else None
            if end is not None and end < start:
                start, end = end[:4], start
            lst.append({"id": f"l{i:03d}{m}", "entity": f"e{e:03d}", "list": str(rng.choice(RULE_LISTS)),
                        "program": PROGRAMS[int(rng.integers(len(PROGRAMS)))], "start": start, "end": end})
    return gk.OwnershipGraph.from_frames(ents, rels, pd.DataFrame(lst))


def strict_rule() -> object:
    """A rule unlike the declared ones: per-list groups, no aggregation, 'more than 50%',
    control counts, program scopes (covers the code paths the YAML rules leave out)."""
    from graphkit.rules import parse_rule

    return parse_rule({"name": "test-strict", "label": "test rule", "threshold": 50, "inclusive": False,
                       "aggregate": False, "aggregate_across_lists": False, "control_counts": True,
                       "red_flag_min": 25,
                       "lists": [{"list": "us-ofac-sdn", "programs": ["SDGT", "NPWMD"]}, "eu-fsf",
                                 "us-bis-entity-list"]})
