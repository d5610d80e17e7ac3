"""The ``confidence`` of a verdict of gk.restricted: the strongest level of evidence at which
the facts alone still give it. A restricted resting on a suspected fact must not look like
one resting on confirmed facts."""

from __future__ import annotations

import pandas as pd

import graphkit as gk

DAY = "2025-10-15"


def build(rels: list[tuple[str, str, object, str]], listed: dict[str, str], kind: str = "owns",
          extra: list[dict] | None = None) -> gk.OwnershipGraph:
    ids = sorted({x for r in rels for x in r[:2]} | set(listed) | {"z"})
    ents = pd.DataFrame({"id": ids, "name": [f"{i.upper()} Ltd" for i in ids], "kind": "company"})
    rows = [{"source": a, "target": b, "kind": kind, "share": s, "confidence": c, "source_ref": "src"}
            for a, b, s, c in rels] + (extra or [])
    lst = pd.DataFrame([{"entity": e, "list": "us-ofac-sdn", "start": "2020-01-01", "confidence": c}
                        for e, c in listed.items()])
    return gk.OwnershipGraph.from_frames(ents, pd.DataFrame(rows), lst)


def grades(g: gk.OwnershipGraph, rule: str = "ofac50", day: str = DAY) -> dict[str, object]:
    r = gk.restricted(g, rule, as_of=day)
    return {i: (s, None if pd.isna(c) else c) for i, s, c in zip(r["id"], r["status"].astype(str), r["confidence"])}


def test_the_weakest_fact_a_verdict_needs_sets_its_confidence() -> None:
    g = build([("x", "a", 60, "confirmed"), ("y", "b", 60, "reported"), ("x", "c", 60, "suspected")],
              {"x": "confirmed", "y": "confirmed"})
    got = grades(g)
    assert got["x"] == ("listed", "confirmed")
    assert got["a"] == ("restricted", "confirmed")
    assert got["b"] == ("restricted", "reported")
    assert got["c"] == ("restricted", "suspected")
    assert got["z"] == ("clear", None)
    why = gk.restricted(g, "ofac50", as_of=DAY).set_index("id").loc["c", "explanation"]
    assert "Evidence: suspected: it rests on at least one suspected fact: a lead to verify, not a finding." in why


def test_the_best_evidenced_way_to_the_verdict_counts() -> None:
    # 30% confirmed + 30% suspected reach 50% only with the suspected stake; a reported 60% suffices alone
    g = build([("x", "a", 30, "confirmed"), ("y", "a", 30, "suspected")], {"x": "confirmed", "y": "confirmed"})
    assert grades(g)["a"] == ("restricted", "suspected")
    g = build([("x", "a", 30, "confirmed"), ("y", "a", 30, "suspected"), ("w", "a", 60, "reported")],
              {"x": "confirmed", "y": "confirmed", "w": "confirmed"})
    assert grades(g)["a"] == ("restricted", "reported")


def test_a_listing_counts_with_its_own_confidence() -> None:
    g = build([("x", "a", 100, "confirmed")], {"x": "suspected"})
    assert grades(g)["x"] == ("listed", "suspected")
    assert grades(g)["a"] == ("restricted", "suspected")


def test_unknown_verdicts_are_graded_too() -> None:
    g = build([("x", "a", "40-60", "confirmed")], {"x": "confirmed"})
    assert grades(g)["a"] == ("unknown", "confirmed")


def test_a_suspected_join_weakens_what_rests_on_it() -> None:
    join = {"source": "x2", "target": "x", "kind": "same_as", "confidence": "suspected", "source_ref": "note"}
    g = build([("x2", "a", 60, "confirmed")], {"x": "confirmed"}, extra=[join])
    got = grades(g)
    assert got["x2"] == ("listed", "suspected") and got["a"] == ("restricted", "suspected")
    out = gk.screen(g, ["A Ltd"], as_of=DAY, progress=False).iloc[0]
    assert (out["rule_status"], out["hops"], out["weakest_confidence"]) == ("restricted", 0, "suspected")


def test_no_grade_for_a_clear_verdict_while_the_rule_is_suspended() -> None:
    g = build([("x", "a", 60, "confirmed")], {"x": "confirmed"})
    g = gk.OwnershipGraph.from_frames(g.entities, g.relations, g.listings.assign(list="us-bis-entity-list"))
    assert grades(g, "bis-affiliates", "2026-06-01")["a"] == ("clear", None)
    why = gk.restricted(g, "bis-affiliates", as_of="2026-06-01").set_index("id").loc["a", "explanation"]
    assert "Evidence, were the rule in force: confirmed: confirmed facts alone give this verdict." in why
    assert grades(g, "bis-affiliates", "2026-06-01")["x"] == ("listed", "confirmed")
    assert grades(g, "bis-affiliates", DAY)["a"] == ("restricted", "confirmed")


def test_weaker_facts_that_make_a_verdict_milder_are_flagged() -> None:
    # a suspected report narrows a confirmed "unknown share" to 20%: clear, but only thanks to it
    g = build([("x", "a", None, "confirmed"), ("x", "a", 20, "suspected")], {"x": "confirmed"})
    r = gk.restricted(g, "ofac50", as_of=DAY).set_index("id")
    assert (r.loc["a", "status"], r.loc["a", "red_flag"]) == ("clear", True)
    assert ("RED FLAG: confirmed facts alone make it unknown; weaker facts (a less certain report narrowing or "
            "contradicting a stake, or a same_as join) make it clear") in r.loc["a", "explanation"]
    # a suspected join makes two owners' stakes one contradicted stake: unknown, where confirmed facts say restricted
    join = {"source": "x2", "target": "x", "kind": "same_as", "confidence": "suspected", "source_ref": "note"}
    g = build([("x", "a", 60, "confirmed"), ("x2", "a", 40, "confirmed")], {"x": "confirmed"}, extra=[join])
    r = gk.restricted(g, "ofac50", as_of=DAY).set_index("id")
    assert (r.loc["a", "status"], r.loc["a", "red_flag"]) == ("unknown", True)
    assert "confirmed facts alone make it restricted" in r.loc["a", "explanation"]


def test_a_listing_is_graded_by_the_listing() -> None:
    g = build([("y", "x", 100, "confirmed")], {"x": "suspected", "y": "confirmed"})
    assert grades(g)["x"] == ("listed", "suspected")   # not by the confirmed ownership


def test_screening_shows_the_rule_grade_and_keeps_it_in_the_path() -> None:
    g = build([("x", "h", 60, "suspected"), ("h", "a", 60, "confirmed"), ("a", "c", 10, "confirmed")],
              {"x": "confirmed"})
    out = gk.screen(g, ["A Ltd", "C Ltd"], as_of=DAY, progress=False).set_index("name")
    assert (out.loc["A Ltd", "rule_status"], out.loc["A Ltd", "rule_confidence"]) == ("restricted", "suspected")
    assert pd.isna(out.loc["C Ltd", "rule_confidence"]) and out.loc["C Ltd", "rule_status"] == "clear"
    assert out.loc["C Ltd", "weakest_confidence"] == "suspected"
    assert "Evidence: suspected: it rests on at least one suspected fact" in out.loc["C Ltd", "path"]
