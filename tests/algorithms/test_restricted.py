"""Tests of the restriction engine (graphkit.algorithms.restricted) and the rule files.

Every case cites the text it is derived from in ``source``. The shared cases in
``../shared/cases/ownership-rules.json`` (OFAC FAQ 398, 399, 401 examples 1-3) are
run one by one.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import graphkit as gk
from graphkit.algorithms.restricted import add_restricted_parser, cli_restricted, restricted
from graphkit.rules import RuleError, get_rule, parse_rule, rules

REPO = Path(__file__).resolve().parents[2]
OFAC_GUIDANCE = ("OFAC, Revised Guidance on Entity Property and Interests in Property Blocked, "
                 "13 Aug 2014 ('50 percent or more', 'directly or indirectly', 'in the aggregate')")
BIS_IFR = "BIS Affiliates Rule, 90 FR 47201 (30 Sep 2025), effective 29 Sep 2025"
BIS_SUSPENSION = "BIS one-year suspension of the Affiliates Rule, 10 Nov 2025 to 9 Nov 2026"
EU_BP = "EU Best Practices for the effective implementation of restrictive measures (owned or controlled)"


# -- building small graphs from case data ---------------------------------------------------------
def build(owns: list[tuple[Any, ...]], listed: dict[str, Any] | None = None,
          controls: list[tuple[str, str]] = (), extra: list[str] = (), kinds: dict[str, str] | None = None,
          ) -> gk.OwnershipGraph:
    """owns: (owner, owned, share[, start, end[, source_ref]]); listed: id -> list code or dict."""
    listed = listed or {}
    ids: dict[str, None] = {}
    for o in owns:
        ids.setdefault(o[0], None)
        ids.setdefault(o[1], None)
    for a, b in controls:
        ids.setdefault(a, None)
        ids.setdefault(b, None)
    for i in list(listed) + list(extra):
        ids.setdefault(i, None)
    kinds = kinds or {}
    ents = pd.DataFrame({"id": list(ids), "name": [f"{i} Co" for i in ids],
                         "kind": [kinds.get(i, "company") for i in ids]})
    rows = []
    for o in owns:
        rows.append({"source": o[0], "target": o[1], "kind": "owns",
                     "share": None if o[2] is None else str(o[2]),
                     "start": o[3] if len(o) > 3 else None, "end": o[4] if len(o) > 4 else None,
                     "source_ref": o[5] if len(o) > 5 else f"register {o[0]}>{o[1]}",
                     "confidence": "confirmed"})
    for a, b in controls:
        rows.append({"source": a, "target": b, "kind": "controls", "share": None, "start": None,
                     "end": None, "source_ref": f"board minutes {a}>{b}", "confidence": "reported"})
    rels = pd.DataFrame(rows, columns=["source", "target", "kind", "share", "start", "end",
                                       "source_ref", "confidence"])
    lrows = []
    for i, spec in listed.items():
        specs = spec if isinstance(spec, list) else [spec]
        for s in specs:
            s = {"list": s} if isinstance(s, str) else s
            lrows.append({"entity": i, "source_ref": f"listing of {i}", **s})
    lists = pd.DataFrame(lrows, columns=sorted({"entity", "list", "source_ref", "program", "start", "end"}
                                               | {k for r in lrows for k in r}))
    return gk.OwnershipGraph.from_frames(ents, rels, lists)


def statuses(g: gk.OwnershipGraph, rule: str = "ofac50", as_of: str = "2025-10-15") -> dict[str, str]:
    r = restricted(g, rule=rule, as_of=as_of)
    return dict(zip(r["id"], r["status"].astype(str)))


def row(g: gk.OwnershipGraph, entity: str, rule: str = "ofac50", as_of: str = "2025-10-15") -> dict[str, Any]:
    r = restricted(g, rule=rule, as_of=as_of)
    return r[r["id"] == entity].iloc[0].to_dict()


# -- the shared cases (OFAC FAQ 398, 399, 401) ----------------------------------------------------
def _cases_file() -> Path:
    env = os.environ.get("GRAPHKIT_SHARED_DATA")
    base = Path(env).parent if env else REPO.parent / "shared"
    return base / "cases" / "ownership-rules.json"


def _shared_cases() -> list[Any]:
    path = _cases_file()
    if not path.is_file():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"shared cases not found at {path}"))]
    return [pytest.param(c, id=c["id"]) for c in json.loads(path.read_text(encoding="utf-8"))]


def _graph_from_case(case: dict[str, Any]) -> gk.OwnershipGraph:
    owns = [(o["owner"], o["owned"], o.get("pct")) for o in case.get("ownership", [])]
    ctrl = [(c["controller"], c["controlled"]) for c in case.get("control", [])]
    listed = {n["id"]: "us-ofac-sdn" for n in case["nodes"] if n.get("listed")}
    return build(owns, listed, ctrl, extra=[n["id"] for n in case["nodes"]])


@pytest.mark.parametrize("case", _shared_cases())
def test_shared_case(case: dict[str, Any]) -> None:
    assert case["source"]
    g = _graph_from_case(case)
    got = statuses(g, rule=case["rule"])
    for n in case["nodes"]:
        if n.get("listed"):
            assert got[n["id"]] == "listed", n["id"]
    for e in case["expected_restricted"]:
        assert got[e] == "restricted", (case["id"], e, got)
    for e in case["expected_not_restricted"]:
        assert got[e] == "clear", (case["id"], e, got)


def test_all_shared_cases_are_run() -> None:
    path = _cases_file()
    if not path.is_file():
        pytest.skip(f"shared cases not found at {path}")
    ids = {c["id"] for c in json.loads(path.read_text(encoding="utf-8"))}
    assert {"ofac-faq401-ex1-chain", "ofac-faq401-ex2-two-blocked-intermediaries",
            "ofac-faq401-ex3-direct-plus-indirect", "ofac-faq399-aggregate-two-blocked-persons",
            "ofac-faq398-control-without-ownership"} <= ids


# -- more cases derived from the rule texts -----------------------------------------------------------
# (id, source, owns, listed, controls, rule, as_of, expected statuses)
CASES: list[dict[str, Any]] = [
    dict(id="faq401-ex1-in-full", source="OFAC FAQ 401 example 1 (share counted in full, not 25%)",
         owns=[("X", "A", 50), ("A", "B", 50)], listed={"X": "us-ofac-sdn"},
         expect={"A": "restricted", "B": "restricted"}),
    dict(id="non-blocked-intermediaries", source=OFAC_GUIDANCE + "; a stake held by a non-blocked "
         "entity never counts (25% in two companies that each own 50% of a third)",
         owns=[("X", "A", 25), ("X", "B", 25), ("A", "C", 50), ("B", "C", 50)],
         listed={"X": "us-ofac-sdn"}, expect={"A": "clear", "B": "clear", "C": "clear"}),
    dict(id="just-below", source=OFAC_GUIDANCE + ": 49.99% is not 50 percent or more",
         owns=[("X", "A", 49.99)], listed={"X": "us-ofac-sdn"}, expect={"A": "clear"}),
    dict(id="exactly-50", source=OFAC_GUIDANCE + ": exactly 50% is '50 percent or more'",
         owns=[("X", "A", 50)], listed={"X": "us-ofac-sdn"}, expect={"A": "restricted"}),
    dict(id="three-owners-aggregate", source="OFAC FAQ 399: aggregate of several blocked persons "
         "(20 + 20 + 10)", owns=[("X", "A", 20), ("Y", "A", 20), ("Z", "A", 10)],
         listed={"X": "us-ofac-sdn", "Y": "us-ofac-sdn", "Z": "us-ofac-sdn"}, expect={"A": "restricted"}),
    dict(id="aggregate-mixed-unblocked", source="OFAC FAQ 399 / Revised Guidance: only blocked persons' "
         "stakes add up (30 blocked + 30 unblocked)", owns=[("X", "A", 30), ("P", "A", 30)],
         listed={"X": "us-ofac-sdn"}, expect={"A": "clear", "P": "clear"}),
    dict(id="listed-person", source=OFAC_GUIDANCE + ": 'one or more blocked persons' includes individuals",
         owns=[("Mr X", "A", 60)], listed={"Mr X": "us-ofac-sdn"}, kinds={"Mr X": "person"},
         expect={"A": "restricted"}),
    dict(id="deep-chain", source="OFAC FAQ 401 example 1 applied repeatedly: indirect ownership "
         "through blocked entities at any depth",
         owns=[("X", "A1", 100), ("A1", "A2", 100), ("A2", "A3", 60), ("A3", "A4", 50), ("A4", "A5", 51)],
         listed={"X": "us-ofac-sdn"},
         expect={"A1": "restricted", "A2": "restricted", "A3": "restricted", "A4": "restricted",
                 "A5": "restricted"}),
    dict(id="cycle-with-listed", source="OFAC FAQ 401 (indirect ownership) with a cross-holding: "
         "the cycle is evaluated to a fixpoint",
         owns=[("X", "A", 50), ("A", "B", 60), ("B", "A", 30)], listed={"X": "us-ofac-sdn"},
         expect={"A": "restricted", "B": "restricted"}),
    dict(id="cycle-not-self-catching", source=OFAC_GUIDANCE + ": a cross-holding of unblocked "
         "companies does not block itself (A is 30% X + 30% B; B is blocked only if A is)",
         owns=[("X", "A", 30), ("B", "A", 30), ("A", "B", 60)], listed={"X": "us-ofac-sdn"},
         expect={"A": "clear", "B": "clear"}),
    dict(id="cycle-unlisted", source=OFAC_GUIDANCE + ": no blocked person, no blocked entity",
         owns=[("A", "B", 60), ("B", "A", 60)], listed={}, expect={"A": "clear", "B": "clear"}),
    dict(id="band-straddles", source="Issue: a share range straddling the threshold is unknown, "
         "never a silent clear", owns=[("X", "A", "25-75")], listed={"X": "us-ofac-sdn"},
         expect={"A": "unknown"}),
    dict(id="share-unknown", source="Issue: a listed owner's unknown share gives unknown",
         owns=[("X", "A", None)], listed={"X": "us-ofac-sdn"}, expect={"A": "unknown"}),
    dict(id="band-above", source=OFAC_GUIDANCE + ": a published band of 'more than 50%' is at "
         "least 50%", owns=[("X", "A", ">50")], listed={"X": "us-ofac-sdn"}, expect={"A": "restricted"}),
    dict(id="band-below", source=OFAC_GUIDANCE + ": a band entirely under 50% cannot block",
         owns=[("X", "A", "0-25")], listed={"X": "us-ofac-sdn"}, expect={"A": "clear"}),
    dict(id="unknown-propagates", source="Issue: an owner whose own status is unknown makes its "
         "majority subsidiary unknown", owns=[("X", "A", "25-75"), ("A", "B", 100)],
         listed={"X": "us-ofac-sdn"}, expect={"A": "unknown", "B": "unknown"}),
    dict(id="other-list-does-not-count", source="OFAC FAQ 398-401 speak of blocked persons "
         "(SDN List); a BIS Entity List owner does not block under the OFAC rule",
         owns=[("X", "A", 100)], listed={"X": "us-bis-entity-list"}, expect={"X": "clear", "A": "clear"}),
    dict(id="ofac-control-only", source="OFAC FAQ 398: control does not block by itself",
         owns=[], listed={"X": "us-ofac-sdn"}, controls=[("X", "A")], expect={"A": "clear"}),
    # EU
    dict(id="eu-control", source=EU_BP + ": an entity controlled by a listed person is covered",
         owns=[("X", "A", 10)], listed={"X": "eu-fsf"}, controls=[("X", "A")], rule="eu50",
         expect={"A": "restricted"}),
    dict(id="eu-control-chain", source=EU_BP + ": control through an owned entity",
         owns=[("X", "A", 60)], listed={"X": "eu-fsf"}, controls=[("A", "B")], rule="eu50",
         expect={"A": "restricted", "B": "restricted"}),
    dict(id="eu-before-change", source="EU 'more than 50%' before 3 Jul 2024 (issue; rule file eu50)",
         owns=[("X", "A", 50)], listed={"X": "eu-fsf"}, rule="eu50", as_of="2024-07-02",
         expect={"A": "clear"}),
    dict(id="eu-after-change", source="EU '50% or more' from 3 Jul 2024 (issue; rule file eu50)",
         owns=[("X", "A", 50)], listed={"X": "eu-fsf"}, rule="eu50", as_of="2024-07-03",
         expect={"A": "restricted"}),
    dict(id="eu-more-than-50-before", source="EU 'more than 50%' before 3 Jul 2024: 50.5% counts",
         owns=[("X", "A", 50.5)], listed={"X": "eu-fsf"}, rule="eu50", as_of="2024-01-01",
         expect={"A": "restricted"}),
    # BIS
    dict(id="bis-entity-list", source=BIS_IFR + ": 50 percent or more by an Entity List party",
         owns=[("X", "A", 50)], listed={"X": "us-bis-entity-list"}, rule="bis-affiliates",
         expect={"A": "restricted"}),
    dict(id="bis-across-lists", source=BIS_IFR + ": aggregate of Entity List (30%) and MEU List (20%) owners",
         owns=[("X", "A", 30), ("Y", "A", 20)], listed={"X": "us-bis-entity-list", "Y": "us-bis-meu"},
         rule="bis-affiliates", expect={"A": "restricted"}),
    dict(id="bis-not-uvl", source=BIS_IFR + ": the Unverified List is not covered",
         owns=[("X", "A", 100)], listed={"X": "us-bis-uvl"}, rule="bis-affiliates",
         expect={"X": "clear", "A": "clear"}),
    dict(id="bis-sdn-program", source=BIS_IFR + ": SDNs under the programs of 15 CFR 744.8(a)(1) "
         "([NPWMD])", owns=[("X", "A", 60)], listed={"X": {"list": "us-ofac-sdn", "program": "NPWMD"}},
         rule="bis-affiliates", expect={"X": "listed", "A": "restricted"}),
    dict(id="bis-sdn-other-program", source=BIS_IFR + ": SDNs under other programs ([CUBA]) are not "
         "covered by the Affiliates Rule", owns=[("X", "A", 60)],
         listed={"X": {"list": "us-ofac-sdn", "program": "CUBA"}}, rule="bis-affiliates",
         expect={"X": "clear", "A": "clear"}),
    dict(id="bis-sdn-blocked-affiliate", source=BIS_IFR + ": affiliates of entities themselves "
         "blocked under OFAC's 50% rule count (propagation through restricted entities)",
         owns=[("X", "A", 50), ("A", "B", 50)], listed={"X": {"list": "us-ofac-sdn", "program": "[NPWMD]"}},
         rule="bis-affiliates", expect={"A": "restricted", "B": "restricted"}),
    dict(id="bis-before-effective", source=BIS_IFR + ": not in force before 29 Sep 2025",
         owns=[("X", "A", 60)], listed={"X": "us-bis-entity-list"}, rule="bis-affiliates",
         as_of="2025-09-28", expect={"X": "listed", "A": "clear"}),
    dict(id="bis-first-day", source=BIS_IFR + ": effective 29 Sep 2025",
         owns=[("X", "A", 60)], listed={"X": "us-bis-entity-list"}, rule="bis-affiliates",
         as_of="2025-09-29", expect={"A": "restricted"}),
    dict(id="bis-suspended", source=BIS_SUSPENSION, owns=[("X", "A", 60)],
         listed={"X": "us-bis-entity-list"}, rule="bis-affiliates", as_of="2025-11-10",
         expect={"X": "listed", "A": "clear"}),
    dict(id="bis-suspended-last-day", source=BIS_SUSPENSION, owns=[("X", "A", 60)],
         listed={"X": "us-bis-entity-list"}, rule="bis-affiliates", as_of="2026-11-09",
         expect={"A": "clear"}),
    dict(id="bis-reinstated", source=BIS_SUSPENSION + " (reimposed from 10 Nov 2026 absent extension)",
         owns=[("X", "A", 60)], listed={"X": "us-bis-entity-list"}, rule="bis-affiliates",
         as_of="2026-11-10", expect={"A": "restricted"}),
    # dates
    dict(id="delisted", source="Issue: listings have validity dates (delisted before as_of)",
         owns=[("X", "A", 60)], listed={"X": {"list": "us-ofac-sdn", "start": "2020-01-01",
                                               "end": "2024-12-31"}},
         expect={"X": "clear", "A": "clear"}),
    dict(id="not-yet-listed", source="Issue: listings have validity dates (listed after as_of)",
         owns=[("X", "A", 60)], listed={"X": {"list": "us-ofac-sdn", "start": "2026-01-01"}},
         expect={"X": "clear", "A": "clear"}),
    dict(id="divested", source="Issue: ownership has validity dates (stake sold before as_of)",
         owns=[("X", "A", 60, "2010", "2024-06")], listed={"X": "us-ofac-sdn"}, expect={"A": "clear"}),
    dict(id="held-then", source="Issue: as_of evaluates the graph as it stood that day",
         owns=[("X", "A", 60, "2010", "2024-06")], listed={"X": "us-ofac-sdn"}, as_of="2024-06-15",
         expect={"A": "restricted"}),
]


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in CASES])
def test_rule_case(case: dict[str, Any]) -> None:
    assert case["source"]
    g = build(case["owns"], case["listed"], case.get("controls", []), kinds=case.get("kinds"))
    got = statuses(g, rule=case.get("rule", "ofac50"), as_of=case.get("as_of", "2025-10-15"))
    for e, want in case["expect"].items():
        assert got[e] == want, (case["id"], e, got)


# -- bounds, deduplication, explanations ----------------------------------------------------------------
def test_bounds_faq401_ex3() -> None:
    """OFAC FAQ 401 example 3: 10% direct + 40% through blocked A = 50%."""
    g = build([("X", "A", 50), ("X", "B", 10), ("A", "B", 40)], {"X": "us-ofac-sdn"})
    r = row(g, "B")
    assert (r["share_min"], r["share_max"]) == (50.0, 50.0)


def test_bounds_of_unknown() -> None:
    """Issue: unknown status comes with the bounds (25-75% band)."""
    g = build([("X", "A", "25-75"), ("Y", "A", 10)], {"X": "us-ofac-sdn", "Y": "us-ofac-sdn"})
    r = row(g, "A")
    assert r["status"] == "unknown" and (r["share_min"], r["share_max"]) == (35.0, 85.0)
    assert "between 35% and 85%" in r["explanation"]


def test_repeated_relation_counts_once() -> None:
    """Design: the same stake reported by two sources is one stake (30% + 30% is not 60%)."""
    g = build([("X", "A", 30, None, None, "register"), ("X", "A", 30, None, None, "press")],
              {"X": "us-ofac-sdn"})
    r = row(g, "A")
    assert r["status"] == "clear" and r["share_min"] == 30.0
    assert "register" in r["explanation"] and "press" in r["explanation"]
    assert "agree; counted once as 30%" in r["explanation"]


def test_repeated_relation_narrows() -> None:
    """Design: overlapping reports (a band and an exact figure) narrow to their intersection."""
    g = build([("X", "A", "25-75", None, None, "register"), ("X", "A", 60, None, None, "filing")],
              {"X": "us-ofac-sdn"})
    assert row(g, "A")["status"] == "restricted"


def test_contradicting_sources_give_unknown() -> None:
    """Design: contradicting reports (30% vs 60%) give their envelope, hence unknown."""
    g = build([("X", "A", 30, None, None, "register"), ("X", "A", 60, None, None, "press")],
              {"X": "us-ofac-sdn"})
    r = row(g, "A")
    assert r["status"] == "unknown" and (r["share_min"], r["share_max"]) == (30.0, 60.0)
    assert "contradict" in r["explanation"]


def test_explanation_names_owners_listings_and_sources() -> None:
    """Issue: the explanation names the owners, their shares, their listings and sources."""
    g = build([("X", "A", 25, None, None, "HK register 2024"), ("Y", "A", 25, None, None, "annual report")],
              {"X": {"list": "us-ofac-sdn", "program": "SDGT", "start": "2019-10-09"}, "Y": "us-ofac-sdn"})
    text = row(g, "A")["explanation"]
    for piece in ("A Co is restricted under the OFAC 50 Percent Rule as of 2025-10-15",
                  "hold 50% in aggregate", "X Co owns A Co (25%)", "HK register 2024", "annual report",
                  "X Co is on the OFAC Specially Designated Nationals and Blocked Persons List since 2019-10-09",
                  "program SDGT", "source: listing of X", "FAQ 401"):
        assert piece in text, piece


def test_explanation_restricted_owner() -> None:
    g = build([("X", "A", 50), ("A", "B", 50)], {"X": "us-ofac-sdn"})
    text = row(g, "B")["explanation"]
    assert "A Co is itself restricted through ownership" in text


def test_red_flag_minority() -> None:
    """BIS Affiliates Rule (Supplement No. 8): significant minority ownership is a red flag;
    issue: 25-49% stakes are flagged."""
    g = build([("X", "A", 30), ("X", "B", 10)], {"X": "us-bis-entity-list"})
    r = restricted(g, rule="bis-affiliates", as_of="2025-10-15").set_index("id")
    assert r.loc["A", "status"] == "clear" and bool(r.loc["A", "red_flag"])
    assert "RED FLAG" in r.loc["A", "explanation"] and "30%" in r.loc["A", "explanation"]
    assert not r.loc["B", "red_flag"] and r.loc["B", "explanation"] == ""


def test_red_flag_control_without_ownership() -> None:
    """OFAC FAQ 398/400: control without ownership does not block, but calls for caution."""
    g = build([], {"X": "us-ofac-sdn"}, controls=[("X", "E")])
    r = row(g, "E")
    assert r["status"] == "clear" and r["red_flag"]
    assert "control without ownership does not count" in r["explanation"]


def test_suspension_explained() -> None:
    """BIS suspension 10 Nov 2025 - 9 Nov 2026: listed stay listed, the rest is clear, and the
    explanation says so and cites the window."""
    g = build([("X", "A", 60)], {"X": "us-bis-entity-list"})
    r = restricted(g, rule="bis-affiliates", as_of="2026-01-15").set_index("id")
    assert list(r["status"].astype(str)) == ["listed", "clear"]
    text = r.loc["A", "explanation"]
    assert "suspended from 2025-11-10 to 2026-11-09" in text and "would be restricted" in text
    assert bool(r.loc["A", "red_flag"])


def test_not_in_force_explained() -> None:
    g = build([("X", "A", 60)], {"X": "us-bis-entity-list"})
    text = row(g, "A", rule="bis-affiliates", as_of="2025-01-01")["explanation"]
    assert "not in force up to and including 2025-09-28 (in force from 2025-09-29)" in text
    assert "RED FLAG: majority or aggregate ownership by listed parties while the BIS Affiliates Rule is not in force" in text
    assert "suspended" not in text.split("Rule:")[0]  # before the rule, nothing was suspended


def test_owner_not_called_restricted_when_the_rule_does_not_apply() -> None:
    # the listed party's row names its owner; that owner is only what it *would* be that day
    g = build([("X", "A", 60), ("A", "X", 50)], {"X": "us-bis-entity-list"})
    for day, what in (("2025-01-01", "not in force"), ("2026-01-15", "suspended")):
        r = restricted(g, rule="bis-affiliates", as_of=day).set_index("id")
        assert str(r.loc["A", "status"]) == "clear"
        text = r.loc["X", "explanation"]
        assert "A Co is itself restricted" not in text
        assert f"A Co would itself be restricted through ownership if the BIS Affiliates Rule were in force (it is {what}" in text
    r = restricted(g, rule="bis-affiliates", as_of="2025-10-15").set_index("id")
    assert "is itself restricted through ownership (see its row; it rests on reported facts)" in r.loc["X", "explanation"]


def test_columns_and_order() -> None:
    g = build([("X", "A", 60)], {"X": "us-ofac-sdn"}, extra=["Z"])
    r = restricted(g, as_of="2025-10-15")
    assert list(r.columns) == ["id", "name", "status", "confidence", "share_min", "share_max", "red_flag", "rule",
                               "as_of", "explanation"]
    assert list(r["id"]) == ["X", "A", "Z"]
    assert set(r["rule"]) == {"ofac50"} and set(r["as_of"]) == {"2025-10-15"}


def test_only_legal_entities() -> None:
    ents = pd.DataFrame({"id": ["x", "addr"], "name": ["X", "Room 1"], "kind": ["company", "address"]})
    rels = pd.DataFrame({"source": ["x"], "target": ["addr"], "kind": ["registered_at"]})
    g = gk.OwnershipGraph.from_frames(ents, rels, pd.DataFrame({"entity": ["x"], "list": ["us-ofac-sdn"]}))
    assert list(restricted(g, as_of="2025-01-01")["id"]) == ["x"]


def test_graph_not_changed() -> None:
    g = build([("X", "A", 60)], {"X": "us-ofac-sdn"})
    before = (g.entities.copy(), g.relations.copy(), g.listings.copy())
    restricted(g, as_of="2025-10-15")
    for a, b in zip(before, (g.entities, g.relations, g.listings)):
        pd.testing.assert_frame_equal(a, b)


def test_explain_false_same_statuses() -> None:
    g = build([("X", "A", 60), ("A", "B", "25-75")], {"X": "us-ofac-sdn"})
    a = restricted(g, as_of="2025-10-15")
    b = restricted(g, as_of="2025-10-15", explain=False)
    pd.testing.assert_frame_equal(a.drop(columns="explanation"), b.drop(columns="explanation"))
    assert (b["explanation"] == "").all()


def test_long_chain_and_big_cycle() -> None:
    """Linear worklist: a 5,000-long chain and a 5,000-long cycle finish and give the right answer."""
    n = 5000
    owns = [(f"C{i}", f"C{i + 1}", 100) for i in range(n)] + [(f"C{n}", "C0", 100)]
    g = build(owns, {"C0": "us-ofac-sdn"})
    r = restricted(g, as_of="2025-10-15", explain=False)
    assert (r["status"].astype(str) == "restricted").sum() == n
    g2 = build(owns, {})
    assert (restricted(g2, as_of="2025-10-15", explain=False)["status"] == "clear").all()


# -- rules as data ------------------------------------------------------------------------------------
def test_rules_declared() -> None:
    assert set(rules()) >= {"ofac50", "bis-affiliates", "eu50"}
    bis = get_rule("bis-affiliates")
    assert "us-bis-uvl" not in bis.list_codes
    assert {"us-bis-entity-list", "us-bis-meu", "us-ofac-sdn"} <= set(bis.list_codes)
    assert not get_rule("ofac50").control_counts and get_rule("eu50").control_counts


def test_rule_change_is_data() -> None:
    """A rule change is a YAML edit: the same mapping with aggregate: false stops aggregation."""
    import yaml

    path = REPO / "graphkit" / "schema" / "rules" / "ofac50.yaml"
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    spec.update(name="ofac50-single", aggregate=False)
    single = parse_rule(spec)
    g = build([("X", "A", 25), ("Y", "A", 25)], {"X": "us-ofac-sdn", "Y": "us-ofac-sdn"})
    assert row(g, "A")["status"] == "restricted"
    r = restricted(g, rule=single, as_of="2025-10-15").set_index("id")
    assert r.loc["A", "status"] == "clear"
    spec.update(name="ofac25", aggregate=True, threshold=25)
    assert restricted(build([("X", "A", 25)], {"X": "us-ofac-sdn"}), rule=parse_rule(spec),
                      as_of="2025-10-15").set_index("id").loc["A", "status"] == "restricted"


def test_aggregate_within_list_only() -> None:
    spec = {"name": "t", "label": "Test", "lists": ["us-bis-entity-list", "us-bis-meu"], "threshold": 50,
            "inclusive": True, "aggregate": True, "aggregate_across_lists": False, "control_counts": False}
    g = build([("X", "A", 30), ("Y", "A", 20)], {"X": "us-bis-entity-list", "Y": "us-bis-meu"})
    assert restricted(g, rule=parse_rule(spec), as_of="2025-10-15").set_index("id").loc["A", "status"] == "clear"


@pytest.mark.parametrize("bad, message", [
    ({"lists": ["no-such-list"]}, "unknown list code"),
    ({"threshold": 150}, "between 0 and 100"),
    ({"inclusive": "yes"}, "true or false"),
    ({"windows": [{"from": "2025-01-01", "effect": "paused"}]}, "effect must be"),
    ({"windows": [{"from": "2025-02-01", "to": "2025-01-01", "effect": "suspended"}]}, "after"),
    ({"colour": "red"}, "unknown field"),
    ({"lists": [{"list": "us-ofac-sdn", "programmes": ["SDGT"]}]}, "unknown field"),
    ({"lists": [{"list": "us-ofac-sdn", "programs": "SDGT"}]}, "list of program tags"),
    ({"in_force": {"from": "2025"}}, "full dates"),
    ({"changes": [{"inclusive": False}]}, "needs 'from' and/or 'to'"),
])
def test_rule_validation(bad: dict[str, Any], message: str) -> None:
    spec = {"name": "t", "label": "Test", "lists": ["us-ofac-sdn"], "threshold": 50, "inclusive": True,
            "aggregate": True, "control_counts": False}
    spec.update(bad)
    with pytest.raises(RuleError, match=message):
        parse_rule(spec, "t.yaml")


def test_unknown_rule() -> None:
    with pytest.raises(RuleError, match="known rules"):
        restricted(gk.example_graph(), rule="nope")


# -- command line --------------------------------------------------------------------------------------
def test_cli_writes_csv_and_excel(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    g = build([("X", "A", 60), ("X", "B", 30)], {"X": "us-ofac-sdn"}, extra=["Z"])
    folder = tmp_path / "case"
    folder.mkdir()
    g.entities[["id", "name", "kind"]].to_csv(folder / "entities.csv", index=False)
    rels = g.relations[["source", "target", "kind", "share_min", "share_max", "source_ref"]]
    rels.to_csv(folder / "relations.csv", index=False)
    g.listings[["entity", "list", "source_ref"]].to_csv(folder / "listings.csv", index=False)
    parser = argparse.ArgumentParser()
    add_restricted_parser(parser.add_subparsers())
    for name in ("out.csv", "out.xlsx"):
        args = parser.parse_args(["restricted", str(folder), "--rule", "ofac50", "--as-of", "2025-10-15",
                                  "-o", str(tmp_path / name)])
        assert cli_restricted(args) == 0
    out = pd.read_csv(tmp_path / "out.csv")
    assert dict(zip(out["id"], out["status"])) == {"X": "listed", "A": "restricted", "B": "clear"}
    assert pd.read_excel(tmp_path / "out.xlsx").shape[0] == 3
    printed = capsys.readouterr().out
    assert "restricted: 1" in printed and "red flags: 1" in printed
    assert "but not on a list or program this rule starts from" not in printed
    # an SDN entry without a program the BIS rule names is not a listed party for it: counted
    # apart, not hidden in "listed: 0"
    args = parser.parse_args(["restricted", str(folder), "--rule", "bis-affiliates", "--as-of", "2025-10-15"])
    assert cli_restricted(args) == 0
    printed = capsys.readouterr().out
    assert "  listed: 0\n" in printed and "  listed that day, but not on a list or program this rule starts from: us-ofac-sdn 1\n" in printed


def test_result_dtypes() -> None:
    g = build([("X", "A", 60)], {"X": "us-ofac-sdn"})
    r = restricted(g, as_of="2025-10-15")
    assert r["share_min"].dtype == np.float64 and r["red_flag"].dtype == bool


# -- cross-check against a plain reference implementation ------------------------------------------
def _reference(owns: list[tuple[str, str, float, float]], listed: set[str], nodes: list[str],
               threshold: float = 50.0) -> dict[str, str]:
    """Repeated full passes until nothing changes (slow, obviously right): the least fixpoint."""
    def closure(use_max: bool) -> set[str]:
        caught = set(listed)
        while True:
            total: dict[str, float] = {}
            for o, t, lo, hi in owns:
                if o in caught:
                    total[t] = total.get(t, 0.0) + (hi if use_max else lo)
            new = {t for t, v in total.items() if v >= threshold - 1e-9} - caught
            if not new:
                return caught
            caught |= new
    certain, possible = closure(False), closure(True)
    return {n: "listed" if n in listed else "restricted" if n in certain else
            "unknown" if n in possible else "clear" for n in nodes}


@pytest.mark.parametrize("seed", range(25))
def test_matches_reference_on_random_graphs(seed: int) -> None:
    """Design: the worklist fixpoint gives the same answer as repeated full passes, cycles included."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 40))
    nodes = [f"N{i}" for i in range(n)]
    pairs = {(int(a), int(b)) for a, b in rng.integers(0, n, (int(rng.integers(n, 3 * n)), 2)) if a != b}
    owns, spec = [], []
    for a, b in sorted(pairs):
        kind = rng.integers(0, 3)
        if kind == 0:
            v = float(rng.choice([10, 20, 25, 30, 40, 50, 60, 100]))
            owns.append((nodes[a], nodes[b], v, v))
            spec.append((nodes[a], nodes[b], v))
        elif kind == 1:
            lo, hi = sorted(float(x) for x in rng.choice([0, 10, 25, 50, 75, 100], 2, replace=False))
            owns.append((nodes[a], nodes[b], lo, hi))
            spec.append((nodes[a], nodes[b], f"{lo:g}-{hi:g}"))
        else:
            owns.append((nodes[a], nodes[b], 0.0, 100.0))
            spec.append((nodes[a], nodes[b], None))
    listed = {nodes[i] for i in rng.choice(n, size=max(1, n // 8), replace=False)}
    g = build(spec, {i: "us-ofac-sdn" for i in listed}, extra=nodes)
    assert statuses(g) == _reference(owns, listed, nodes)


def test_no_relations_no_listings() -> None:
    g = gk.OwnershipGraph.from_frames(pd.DataFrame({"id": ["a"], "name": ["A"], "kind": ["company"]}))
    r = restricted(g, as_of="2025-10-15")
    assert list(r["status"].astype(str)) == ["clear"] and r.loc[0, "explanation"] == ""


def test_listing_not_covered_is_explained() -> None:
    """BIS Affiliates Rule (90 FR 47201) does not draw on the Unverified List: the party is clear,
    and the explanation says it is listed elsewhere."""
    g = build([("X", "A", 100)], {"X": "us-bis-uvl"})
    r = restricted(g, rule="bis-affiliates", as_of="2025-10-15").set_index("id")
    assert r.loc["X", "status"] == "clear"
    text = r.loc["X", "explanation"]
    assert "It is on the BIS Unverified List" in text
    assert "the BIS Affiliates Rule does not draw on that listing" in text
    # the company it owns is clear too, and its row says who owns it and on which list
    assert r.loc["A", "status"] == "clear"
    assert ("X Co holds 100% of it and is on the BIS Unverified List (no dates given: counted as in force on "
            "every day) [reported; source: listing of X]; the BIS Affiliates Rule does not draw on that listing "
            "(another rule may).") in r.loc["A", "explanation"]
