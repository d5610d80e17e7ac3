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
RULE_COLUMNS = ["id", "name", "status", "confidence", "share_min", "share_max", "red_flag", "rule", "as_of"]


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
    stakes, control ties, addresses, listings with programs that start and end, facts of
    every confidence level (and none), and ``same_as`` relations (about 5% of relations;
    see :func:`same_as_rows`)."""
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
    # confidences from their own generator (the rest of the graph is as it was without them):
    # mostly reported, some confirmed, suspected or missing, so every grade of a verdict occurs
    levels = np.array(["confirmed", "reported", "suspected", None], dtype=object)
    crng = np.random.default_rng(seed + 2000)
    rels["confidence"] = crng.choice(levels, len(rels), p=[0.3, 0.5, 0.15, 0.05])
    lsts = pd.DataFrame(lst).assign(confidence=crng.choice(levels, len(lst), p=[0.5, 0.35, 0.1, 0.05]))
    rels = pd.concat([rels, pd.DataFrame(same_as_rows(seed, n, rows, listed.tolist()))], ignore_index=True)
    return gk.OwnershipGraph.from_frames(ents, rels, lsts)


def same_as_rows(seed: int, n: int, rows: list[dict[str, Any]], listed: list[int]) -> list[dict[str, Any]]:
    """``same_as`` relations between the legal entities of :func:`rule_graph` (drawn from
    their own generator, so the rest of the graph is as it was without them): a listed
    record joined to a record that owns something, an owner joined to what it owns, two
    chains of three records, random pairs; a third
    start or end on some day, so that parties differ from day to day."""
    import numpy as np

    rng = np.random.default_rng(seed + 1000)
    owns = [r for r in rows if r["kind"] == "owns"]
    dates = ["2018", "2024-01-01", "2025-09-30", "2025-11-15", "2026-05", "2026-11-09"]

    def pick_owns() -> dict[str, Any]:
        return owns[int(rng.integers(len(owns)))]

    pairs: list[tuple[str, str]] = []
    for _ in range(max(4, len(rows) // 20) - 4):
        r = rng.random()
        if r < 0.3:     # a listed record and a record that owns something (the Alpha case)
            pairs.append((pick_owns()["source"], f"e{int(rng.choice(listed)):03d}"))
        elif r < 0.55:  # an owner and what it owns
            o = pick_owns()
            pairs.append((o["target"], o["source"]) if rng.random() < 0.5 else (o["source"], o["target"]))
        else:
            a, b = rng.choice(n, size=2, replace=False).tolist()
            pairs.append((f"e{a:03d}", f"e{b:03d}"))
    for _ in range(2):  # chains of three records
        a, b, c = rng.choice(n, size=3, replace=False).tolist()
        pairs += [(f"e{a:03d}", f"e{b:03d}"), (f"e{c:03d}", f"e{b:03d}")]
    out = []
    for k, (a, b) in enumerate(p for p in pairs if p[0] != p[1]):
        start = end = None
        if rng.random() < 0.35:
            if rng.random() < 0.5:
                start = str(rng.choice(dates))
            else:
                end = str(rng.choice(dates))
        out.append({"id": f"rs{k:03d}", "source": a, "target": b, "kind": "same_as", "start": start, "end": end,
                    "confidence": str(rng.choice(["confirmed", "reported", "suspected"]))})
    return out


def strict_rule() -> object:
    """A rule unlike the declared ones: per-list groups, no aggregation, 'more than 50%',
    control counts, program scopes (covers the code paths the YAML rules leave out)."""
    from graphkit.rules import parse_rule

    return parse_rule({"name": "test-strict", "label": "test rule", "threshold": 50, "inclusive": False,
                       "aggregate": False, "aggregate_across_lists": False, "control_counts": True,
                       "red_flag_min": 25,
                       "lists": [{"list": "us-ofac-sdn", "programs": ["SDGT", "NPWMD"]}, "eu-fsf",
                                 "us-bis-entity-list"]})
