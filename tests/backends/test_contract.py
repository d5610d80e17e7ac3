"""The shared suite: every backend must give the answers of the in-memory reference."""

from __future__ import annotations

import pandas as pd
import pytest

import graphkit as gk
from graphkit.backends import Backend
from graphkit.errors import GraphkitError, NodeNotFound
from tests.backends.compare import (
    RULE_DATES,
    assert_same_graph,
    assert_same_paths,
    assert_same_restricted,
    generated_graph,
    rule_graph,
    strict_rule,
    weight,
)


@pytest.fixture(scope="module")
def seed() -> gk.OwnershipGraph:
    return gk.read_csv(gk.seed_path())


@pytest.fixture(scope="module")
def generated() -> gk.OwnershipGraph:
    return generated_graph()


def check_paths(backend: Backend, g: gk.OwnershipGraph, sources: list[str], **kw: object) -> int:
    """Compare backend.paths with gk.paths for every source; returns the paths seen."""
    seen = 0
    for src in sources:
        want = gk.paths(g, src, **kw)  # type: ignore[arg-type]
        got = backend.paths(src, **kw)  # type: ignore[arg-type]
        every = {tuple(p.nodes): weight(p) for p in want}
        if sorted(p.nodes for p in got) != sorted(p.nodes for p in want):  # a tie chosen otherwise
            big = {**kw, "k": 200}
            every = {tuple(p.nodes): weight(p) for p in gk.paths(g, src, **big)}  # type: ignore[arg-type]
        assert_same_paths(got, want, every, context=(src, kw))
        seen += len(got)
    return seen


# -- push / pull -------------------------------------------------------------------------
def test_round_trip_seed(backend: Backend, seed: gk.OwnershipGraph) -> None:
    report = backend.push(seed)
    assert report.rows("entities") == len(seed.entities)
    assert report.rows("relations") == len(seed.relations)
    assert report.rows("listings") == len(seed.listings)
    assert_same_graph(backend.pull(), seed)


def test_round_trip_generated(backend: Backend, generated: gk.OwnershipGraph) -> None:
    backend.push(generated)
    assert_same_graph(backend.pull(), generated)


def test_push_twice_changes_nothing(backend: Backend, seed: gk.OwnershipGraph) -> None:
    backend.push(seed)
    backend.push(seed)
    assert_same_graph(backend.pull(), seed)


def test_push_updates_by_id(backend: Backend, seed: gk.OwnershipGraph) -> None:
    backend.push(seed)
    ents = seed.entities.copy()
    ents.loc[0, "note"] = None
    ents.loc[1, "name"] = "Renamed Ltd"
    changed = gk.OwnershipGraph(ents, seed.relations, seed.listings)
    backend.push(changed)
    assert_same_graph(backend.pull(), changed)


def test_clear_then_push_replaces(backend: Backend, seed: gk.OwnershipGraph,
                                  generated: gk.OwnershipGraph) -> None:
    backend.push(generated)
    backend.push(seed, clear=True)
    assert_same_graph(backend.pull(), seed)


HOSTILE = ["O'Brien \"X\" Ltd", "}) DETACH DELETE n //", "Robert'); MATCH (n) DELETE n; --",
           "back\\slash `tick` $param {x}", "深圳市商汤科技有限公司", "  spaced  "]


def test_hostile_names_round_trip(backend: Backend) -> None:
    ents = pd.DataFrame({
        "id": ["a'1", 'b"2', "c})//", "listed`", "x$y", "z\\"],
        "name": HOSTILE, "kind": ["company"] * 6,
        "aliases": ["O'Brien;}) DETACH DELETE n //", None, None, None, None, None],
        "note": HOSTILE[::-1],
        "we`ird }) // col": ["x", None, "y", None, None, "z"],   # an extra column, kept as is
    })
    rels = pd.DataFrame({"id": ["r'1", "r}2", "r\"3"], "source": ["a'1", 'b"2', "c})//"],
                         "target": ['b"2', "c})//", "listed`"], "kind": ["owns", "front_for", "owns"],
                         "share": ["50", None, "25-50"], "source_ref": HOSTILE[:3],
                         "note": ["MATCH (n) DETACH DELETE n", None, "'"]})
    lsts = pd.DataFrame({"id": ["l'1"], "entity": ["listed`"], "list": ["us-ofac-sdn"],
                         "listed_name": ["O'BRIEN \"X\" LTD }) DETACH DELETE n //"],
                         "start": ["2020"]})
    g = gk.OwnershipGraph.from_frames(ents, rels, lsts)
    backend.push(g)
    assert_same_graph(backend.pull(), g)
    assert [p.nodes for p in backend.paths("a'1", as_of="2024-01-01")] == [["a'1", 'b"2', "c})//", "listed`"]]
    near = backend.pull(["c})//"], hops=1)
    assert sorted(near.entities["id"]) == sorted(['b"2', "c})//", "listed`"])


@pytest.mark.parametrize("hops,kinds,as_of", [(1, None, None), (2, None, None), (0, None, None),
                                              (2, ["owns", "controls"], None), (3, None, "2020-06-01")])
def test_pull_neighbourhood(backend: Backend, seed: gk.OwnershipGraph, hops: int,
                            kinds: list[str] | None, as_of: str | None) -> None:
    backend.push(seed)
    ids = ["iflytek", "sensetime-group"]
    want = seed.neighbourhood(ids, hops, kinds=kinds, as_of=as_of)
    assert_same_graph(backend.pull(ids, hops=hops, kinds=kinds, as_of=as_of), want)


def test_pull_unknown_id(backend: Backend, seed: gk.OwnershipGraph) -> None:
    backend.push(seed)
    with pytest.raises(NodeNotFound, match="no-such"):
        backend.pull(["no-such-entity"])


# -- paths ---------------------------------------------------------------------------------
@pytest.mark.parametrize("as_of", ["2019-06-01", "2020-06-01", "2024-01-01", "2026-12-01"])
@pytest.mark.parametrize("kinds", [None, ["owns", "controls", "front_for"]])
def test_paths_seed(backend: Backend, seed: gk.OwnershipGraph, as_of: str,
                    kinds: list[str] | None) -> None:
    backend.push(seed)
    sources = seed.entities["id"].tolist()
    for k in (1, 3):
        check_paths(backend, seed, sources, as_of=as_of, kinds=kinds, k=k)


def test_paths_seed_options(backend: Backend, seed: gk.OwnershipGraph) -> None:
    backend.push(seed)
    sources = seed.entities["id"].tolist()
    check_paths(backend, seed, sources, as_of="2024-01-01", avoid=(), k=3)
    check_paths(backend, seed, sources, as_of="2024-01-01", max_hops=2, k=5)
    check_paths(backend, seed, sources, as_of="2024-01-01", to="us-ofac-sdn", k=2)
    check_paths(backend, seed, sources, as_of="2024-01-01", to=["us-dod-1260h", "us-ofac-ns-cmic"])
    check_paths(backend, seed, sources[:10], as_of="2024-01-01", to=["iflytek", "sensetime-group"])


def test_paths_from_a_listed_entity(backend: Backend, seed: gk.OwnershipGraph) -> None:
    backend.push(seed)
    got = backend.paths("iflytek", as_of="2024-01-01")
    assert [p.nodes for p in got] == [["iflytek"]]
    assert got[0].explain() == gk.paths(seed, "iflytek", as_of="2024-01-01")[0].explain()


def test_paths_generated(backend: Backend, generated: gk.OwnershipGraph) -> None:
    backend.push(generated)
    ids = generated.entities["id"]
    sources = ids[generated.entities["kind"].isin(["company", "person"])].iloc[::7].tolist()[:40]
    seen = check_paths(backend, generated, sources, as_of="2024-06-01", k=3)
    seen += check_paths(backend, generated, sources[:15], as_of="2021-01-01", k=5, max_hops=4,
                        kinds=["owns", "officer_of", "front_for", "supplies", "rents_compute_from"])
    seen += check_paths(backend, generated, sources[:15], as_of="2024-06-01", k=2,
                        avoid=("cloud_provider",))
    assert seen > 20  # the generated graph does have paths


def test_paths_errors(backend: Backend, seed: gk.OwnershipGraph) -> None:
    backend.push(seed)
    with pytest.raises(NodeNotFound):
        backend.paths("no-such-entity")
    with pytest.raises(NodeNotFound):
        backend.paths("iflytek", to=["no-such-entity"])
    with pytest.raises(GraphkitError, match="unknown relation kind"):
        backend.paths("iflytek", kinds=["loves"])
    with pytest.raises(GraphkitError, match="at least 1"):
        backend.paths("iflytek", max_hops=0)


# -- restriction rules ---------------------------------------------------------------------
RULES = ["ofac50", "bis-affiliates", "eu50"]


@pytest.mark.parametrize("rule", RULES)
def test_restricted_seed(backend: Backend, seed: gk.OwnershipGraph, rule: str) -> None:
    backend.push(seed)
    for day in RULE_DATES:
        got = backend.restricted(rule, as_of=day)
        assert_same_restricted(got, gk.restricted(seed, rule, as_of=day), (rule, day))


def test_restricted_seed_bis_suspension(backend: Backend, seed: gk.OwnershipGraph) -> None:
    """Inside the BIS suspension (2025-11-10..2026-11-09) only listed parties are restricted."""
    backend.push(seed)
    before = backend.restricted("bis-affiliates", as_of="2025-10-15")
    during = backend.restricted("bis-affiliates", as_of="2026-06-01")
    assert (before["status"] == "restricted").any()
    assert not (during["status"].isin(["restricted", "unknown"])).any()
    assert during["red_flag"].any()   # the affiliates are red-flagged instead


@pytest.mark.parametrize("seed_no", [1, 2, 3, 4])
def test_restricted_generated(backend: Backend, seed_no: int) -> None:
    g = rule_graph(seed_no)
    backend.push(g)
    seen: set[str] = set()
    for rule in [*RULES, strict_rule()]:
        for day in RULE_DATES[::2] if seed_no > 1 else RULE_DATES:
            want = gk.restricted(g, rule, as_of=day)  # type: ignore[arg-type]
            assert_same_restricted(backend.restricted(rule, as_of=day), want, (seed_no, rule, day))  # type: ignore[arg-type]
            seen |= set(want["status"].astype(str))
    assert seen == {"listed", "restricted", "unknown", "clear"}   # every case is exercised


def test_restricted_benchmark_graph(backend: Backend, generated: gk.OwnershipGraph) -> None:
    backend.push(generated)
    for rule in RULES:
        want = gk.restricted(generated, rule, as_of="2024-06-01")
        assert_same_restricted(backend.restricted(rule, as_of="2024-06-01"), want, rule)


def test_restricted_errors(backend: Backend, seed: gk.OwnershipGraph) -> None:
    backend.push(seed)
    with pytest.raises(GraphkitError, match="no-such-rule"):
        backend.restricted("no-such-rule")
