"""Same-party semantics of the ownership rules on the Neo4j server (``restricted_on_server``).

Records joined by ``same_as`` relations in force are one party: a listing of one record
lists them all, stakes held by or in any record are the party's (all reports between two
parties are one stake), relations inside a party are ignored, and every record gets the
party's status, share bounds and red flag. Each graph here is small and made by hand; the
expected rows are worked out by hand, and the server must also agree with
:func:`graphkit.restricted` on every compared column.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

import graphkit as gk
from graphkit.backends import Backend
from graphkit.backends.neo4j_rules import same_parties
from tests.backends.compare import assert_same_restricted

DAY = "2025-01-01"
Row = tuple[str, float, float, bool]   # status, share_min, share_max, red_flag


def graph(ids: list[str], rels: list[dict[str, Any]], listed: list[str], list_code: str = "us-ofac-sdn",
          kinds: dict[str, str] | None = None) -> gk.OwnershipGraph:
    kinds = kinds or {}
    ents = pd.DataFrame({"id": ids, "name": [f"Name of {i}" for i in ids],
                         "kind": [kinds.get(i, "company") for i in ids]})
    table = pd.DataFrame([{"id": f"r{j}", **r} for j, r in enumerate(rels)])
    lsts = pd.DataFrame({"id": [f"l{j}" for j in range(len(listed))], "entity": listed,
                         "list": [list_code] * len(listed), "start": ["2020"] * len(listed)})
    return gk.OwnershipGraph.from_frames(ents, table, lsts)


def same(a: str, b: str, **extra: Any) -> dict[str, Any]:
    return {"source": a, "target": b, "kind": "same_as", **extra}


def owns(a: str, b: str, share: str | None, **extra: Any) -> dict[str, Any]:
    return {"source": a, "target": b, "kind": "owns", "share": share, **extra}


def check(db: Backend, g: gk.OwnershipGraph, rule: str, want: dict[str, Row], day: str = DAY) -> None:
    """The server's rows equal ``want`` (ids not named are clear, 0..0, no flag) and
    :func:`graphkit.restricted`'s."""
    got = db.restricted(rule, as_of=day)  # type: ignore[attr-defined]
    rows = {r.id: (str(r.status), float(r.share_min), float(r.share_max), bool(r.red_flag))
            for r in got.itertuples()}
    expected = {i: want.get(i, ("clear", 0.0, 0.0, False)) for i in rows}
    assert rows == expected, (rule, day)
    assert_same_restricted(got, gk.restricted(g, rule, as_of=day), (rule, day))


def test_same_parties() -> None:
    party, members = same_parties([("b", "a"), ("c", "b"), ("x", "y"), ("z", "z")])
    assert members == {"a": ["a", "b", "c"], "x": ["x", "y"]}
    assert party == {"a": "a", "b": "a", "c": "a", "x": "x", "y": "x"}
    assert same_parties([]) == ({}, {})


def test_alpha_example(neo4j_db: Backend) -> None:
    """a is listed, a2 is the same company (same_as a), a2 owns 60% of c: a2 is listed, c restricted."""
    g = graph(["a", "a2", "c"], [same("a2", "a"), owns("a2", "c", "60")], ["a"])
    neo4j_db.push(g)
    want = {"a": ("listed", 0.0, 0.0, False), "a2": ("listed", 0.0, 0.0, False),
            "c": ("restricted", 60.0, 60.0, False)}
    check(neo4j_db, g, "ofac50", want)
    # the same without the same_as: a2 and c are clear
    plain = graph(["a", "a2", "c"], [owns("a2", "c", "60")], ["a"])
    neo4j_db.clear(everything=True)  # type: ignore[call-arg]
    neo4j_db.push(plain)
    check(neo4j_db, plain, "ofac50", {"a": ("listed", 0.0, 0.0, False)})


def test_two_records_report_one_stake(neo4j_db: Backend) -> None:
    """Reports from different records of one party about one stake count once: overlapping
    ranges give their intersection, contradicting ones their envelope."""
    rels = [same("x1", "x2"), owns("x1", "t", "40-60"), owns("x2", "t", "55"),      # overlap: 55
            same("y1", "y2"), owns("y1", "u", "20"), owns("y2", "u", "60"),         # conflict: 20..60
            same("v1", "v2"), owns("x1", "v1", "30"), owns("x2", "v2", "30")]       # two owned records: 30
    g = graph(["t", "u", "v1", "v2", "x1", "x2", "y1", "y2"], rels, ["x1", "y2"])
    neo4j_db.push(g)
    want = {"x1": ("listed", 0.0, 0.0, False), "x2": ("listed", 0.0, 0.0, False),
            "y1": ("listed", 0.0, 0.0, False), "y2": ("listed", 0.0, 0.0, False),
            "t": ("restricted", 55.0, 55.0, False),
            "u": ("unknown", 20.0, 60.0, True),
            "v1": ("clear", 30.0, 30.0, True), "v2": ("clear", 30.0, 30.0, True)}
    check(neo4j_db, g, "ofac50", want)


def test_stakes_of_several_owners_in_one_party_add_up(neo4j_db: Backend) -> None:
    """Two listed owners hold 30% and 25% of two records of one company: 55% of the party."""
    g = graph(["k", "l1", "l2", "t1", "t2"], [owns("l1", "t1", "30"), owns("l2", "t2", "25"), same("t2", "t1"),
                                            owns("t2", "k", "50")], ["l1", "l2"])
    neo4j_db.push(g)
    want = {"l1": ("listed", 0.0, 0.0, False), "l2": ("listed", 0.0, 0.0, False),
            "t1": ("restricted", 55.0, 55.0, False), "t2": ("restricted", 55.0, 55.0, False),
            "k": ("restricted", 50.0, 50.0, False)}
    check(neo4j_db, g, "ofac50", want)


def test_same_as_not_in_force(neo4j_db: Backend) -> None:
    """A same_as that starts (or ended) later (earlier) than the day joins nothing that day."""
    g = graph(["a", "a2", "b", "b2", "c", "d"],
              [same("a2", "a", start="2026-01"), owns("a2", "c", "60"),
               same("b2", "b", end="2024-06-30"), owns("b2", "d", "70")], ["a", "b"])
    neo4j_db.push(g)
    listed = {"a": ("listed", 0.0, 0.0, False), "b": ("listed", 0.0, 0.0, False)}
    check(neo4j_db, g, "ofac50", listed, day="2025-06-01")
    check(neo4j_db, g, "ofac50", {**listed, "a2": ("listed", 0.0, 0.0, False), "c": ("restricted", 60.0, 60.0, False)},
          day="2026-01-01")
    check(neo4j_db, g, "ofac50", {**listed, "b2": ("listed", 0.0, 0.0, False), "d": ("restricted", 70.0, 70.0, False)},
          day="2024-06-30")


def test_chain_of_records(neo4j_db: Backend) -> None:
    """a ~ b ~ c (same_as both ways round): one party; a is listed, c owns 50% of d."""
    g = graph(["a", "b", "c", "d", "e"], [same("b", "a"), same("b", "c"), owns("c", "d", "50"),
                                          owns("d", "e", "25-75"), owns("a", "e", "10")], ["a"])
    neo4j_db.push(g)
    want = {"a": ("listed", 0.0, 0.0, False), "b": ("listed", 0.0, 0.0, False),
            "c": ("listed", 0.0, 0.0, False), "d": ("restricted", 50.0, 50.0, False),
            "e": ("unknown", 35.0, 85.0, True)}
    check(neo4j_db, g, "ofac50", want)


def test_owner_and_owned_are_one_party(neo4j_db: Backend) -> None:
    """A stake of a record in another record of the same party is ignored (as a self-loop)."""
    g = graph(["p", "q", "s"], [owns("p", "s", "60"), same("s", "p"), owns("q", "s", "40")], ["p"])
    neo4j_db.push(g)
    check(neo4j_db, g, "ofac50", {"p": ("listed", 0.0, 0.0, False), "s": ("listed", 0.0, 0.0, False)})
    # the unlisted q with its listed duplicate: q's stake in s is inside the party too
    g2 = graph(["p", "q", "s"], [owns("q", "s", "60"), same("q", "p")], ["p"])
    neo4j_db.clear(everything=True)  # type: ignore[call-arg]
    neo4j_db.push(g2)
    check(neo4j_db, g2, "ofac50", {"p": ("listed", 0.0, 0.0, False), "q": ("listed", 0.0, 0.0, False),
                                   "s": ("restricted", 60.0, 60.0, False)})


def test_control_through_a_record(neo4j_db: Backend) -> None:
    """A listed party controls k through its other record: restricted under eu50 (control
    counts), red-flagged under ofac50; control between two records of one party is nothing."""
    rels = [same("a2", "a"), {"source": "a2", "target": "k", "kind": "controls"},
            {"source": "k", "target": "k2", "kind": "controls"}, same("k2", "k3"),
            {"source": "k3", "target": "k2", "kind": "controls"}, owns("k2", "m", "50")]
    g = graph(["a", "a2", "k", "k2", "k3", "m"], rels, ["a"], list_code="eu-fsf")
    neo4j_db.push(g)
    check(neo4j_db, g, "eu50", {"a": ("listed", 0.0, 0.0, False), "a2": ("listed", 0.0, 0.0, False),
                                "k": ("restricted", 0.0, 0.0, False), "k2": ("restricted", 0.0, 0.0, False),
                                "k3": ("restricted", 0.0, 0.0, False), "m": ("restricted", 50.0, 50.0, False)})
    neo4j_db.clear(everything=True)  # type: ignore[call-arg]
    g2 = graph(["a", "a2", "k", "k2", "k3", "m"], rels, ["a"])
    neo4j_db.push(g2)
    check(neo4j_db, g2, "ofac50", {"a": ("listed", 0.0, 0.0, False), "a2": ("listed", 0.0, 0.0, False),
                                   "k": ("clear", 0.0, 0.0, True)})


def test_listed_per_group(neo4j_db: Backend) -> None:
    """A rule that does not aggregate across lists: a party is listed per list, and stakes
    count only within one list's fixpoint."""
    from tests.backends.compare import strict_rule

    g = graph(["a", "a2", "b", "c", "d"], [same("a2", "a"), owns("a2", "c", "30"), owns("b", "c", "30"),
                                          owns("a", "d", "60")], ["a"], list_code="us-bis-entity-list")
    lsts = pd.concat([g.listings, pd.DataFrame({"id": ["lb"], "entity": ["b"], "list": ["eu-fsf"],
                                                "start": ["2020"]})], ignore_index=True)
    g = gk.OwnershipGraph.from_frames(g.entities, g.relations, lsts)
    neo4j_db.push(g)
    rule = strict_rule()   # more than 50%, no aggregation, per list
    got = neo4j_db.restricted(rule, as_of=DAY)  # type: ignore[attr-defined]
    assert_same_restricted(got, gk.restricted(g, rule, as_of=DAY), "strict")  # type: ignore[arg-type]
    status = dict(zip(got["id"], got["status"].astype(str)))
    assert status == {"a": "listed", "a2": "listed", "b": "listed", "c": "clear", "d": "restricted"}


def test_hostile_ids_in_parties(neo4j_db: Backend) -> None:
    """Ids that look like Cypher stay data in the party maps too."""
    ids = ["a'1", "b})//", "c$x", "d`"]
    g = graph(ids, [same("b})//", "a'1"), owns("b})//", "c$x", "60"), same("d`", "c$x")], ["a'1"])
    neo4j_db.push(g)
    check(neo4j_db, g, "ofac50", {"a'1": ("listed", 0.0, 0.0, False), "b})//": ("listed", 0.0, 0.0, False),
                                  "c$x": ("restricted", 60.0, 60.0, False), "d`": ("restricted", 60.0, 60.0, False)})


def test_only_records_of_the_same_sort_are_joined(neo4j_db: Backend) -> None:
    """A same_as between a person and a company, or a company and an address, joins nothing
    (a data error, as in graphkit.algorithms.ownership.same_parties); two persons are joined."""
    kinds = {"p": "person", "p2": "person", "q": "person", "addr": "address"}
    g = graph(["a", "addr", "c", "d", "p", "p2", "q"],
              [same("q", "a"), owns("q", "c", "60"), same("addr", "a"), same("p2", "p"), owns("p2", "d", "50")],
              ["a", "p"], kinds=kinds)
    neo4j_db.push(g)
    check(neo4j_db, g, "ofac50", {"a": ("listed", 0.0, 0.0, False), "p": ("listed", 0.0, 0.0, False),
                                  "p2": ("listed", 0.0, 0.0, False), "d": ("restricted", 50.0, 50.0, False)})


def test_confidence_of_verdicts_through_a_join(neo4j_db: Backend) -> None:
    """A verdict that needs a suspected same_as is graded suspected; the listed record itself
    keeps the grade of its listing (here confirmed); without a confirmed stake, reported."""
    ents = ["a", "a2", "c", "d"]
    rels = [same("a2", "a", confidence="suspected"), owns("a2", "c", "60", confidence="confirmed"),
            owns("a", "d", "60", confidence="reported")]
    g0 = graph(ents, rels, ["a"])
    g = gk.OwnershipGraph.from_frames(g0.entities, g0.relations, g0.listings.assign(confidence="confirmed"))
    neo4j_db.push(g)
    check(neo4j_db, g, "ofac50", {"a": ("listed", 0.0, 0.0, False), "a2": ("listed", 0.0, 0.0, False),
                                  "c": ("restricted", 60.0, 60.0, False), "d": ("restricted", 60.0, 60.0, False)})
    got = neo4j_db.restricted("ofac50", as_of=DAY)  # type: ignore[attr-defined]
    assert dict(zip(got["id"], got["confidence"].astype(object))) == {
        "a": "confirmed", "a2": "suspected", "c": "suspected", "d": "reported"}
