"""Records joined by ``same_as`` are one party for the ownership rules and for screening.

Joining duplicates (graphkit.join_same, or a same_as relation of one's own) must change
the answers: a listing of one record lists them all, and stakes held by or in any record
are the party's, counted once.
"""

from __future__ import annotations

import pandas as pd

import graphkit as gk
from graphkit.algorithms.ownership import same_parties

DAY = "2024-01-01"


def graph(rels: list[dict], listings: list[dict] | None = None, ids: str = "a a2 a3 c c2 x y b") -> gk.OwnershipGraph:
    names = {"a": "Alpha Tech", "a2": "Alpha Technologies", "a3": "Alpha Technology Co", "c": "Charlie Ltd",
             "c2": "Charlie Limited", "x": "X Holdings", "y": "Y Holdings", "b": "Buyer Co"}
    ents = pd.DataFrame({"id": ids.split(), "name": [names[i] for i in ids.split()], "kind": "company"})
    rows = pd.DataFrame(rels)
    for col in ("share_min", "share_max", "start", "end", "confidence"):
        if col not in rows:
            rows[col] = None
    rows["source_ref"] = rows.get("source_ref", pd.Series(["register"] * len(rows))).fillna("register")
    lst = pd.DataFrame(listings if listings is not None else
                       [{"entity": "a", "list": "us-ofac-sdn", "start": "2020-01-01", "source_ref": "ofac",
                         "confidence": "confirmed"}])
    return gk.OwnershipGraph.from_frames(ents, rows, lst)


def same(a: str, b: str, **kw: object) -> dict:
    return {"source": a, "target": b, "kind": "same_as", "source_ref": "analyst note 7", "confidence": "reported",
            **kw}


def owns(a: str, b: str, share: float | None, **kw: object) -> dict:
    return {"source": a, "target": b, "kind": "owns", "share_min": share, "share_max": share,
            "confidence": "confirmed", **kw}


def status(g: gk.OwnershipGraph, rule: str = "ofac50", day: str = DAY) -> dict[str, str]:
    r = gk.restricted(g, rule, as_of=day)
    return dict(zip(r["id"], r["status"].astype(str)))


def test_a_listing_lists_every_record_and_their_stakes_count() -> None:
    g = graph([same("a2", "a"), owns("a2", "c", 60)])
    r = gk.restricted(g, "ofac50", as_of=DAY).set_index("id")
    assert r.loc["a2", "status"] == "listed"
    assert r.loc["c", "status"] == "restricted"   # was clear: the stake is held by the listed party
    assert r.loc["c", "share_min"] == 60
    why = r.loc["a2", "explanation"]
    assert why.startswith("Alpha Technologies (a2) is one party with Alpha Tech (a) as of 2024-01-01")
    assert "Alpha Technologies is the same as Alpha Tech [reported; source: analyst note 7]" in why
    assert "on the OFAC Specially Designated Nationals" in why
    owner = r.loc["c", "explanation"]
    assert "Alpha Technologies owns Charlie Ltd (60%) [confirmed; source: register]" in owner
    assert "Alpha Tech (one party with Alpha Technologies (a2)) is on the OFAC" in owner


def test_without_same_as_in_force_records_stay_apart() -> None:
    g = graph([same("a2", "a", start="2025-01-01"), owns("a2", "c", 60)])
    assert same_parties(g, DAY) is None
    assert status(g)["a2"] == "clear" and status(g)["c"] == "clear"
    assert status(g, day="2025-06-01")["c"] == "restricted"


def test_one_stake_reported_under_two_records_counts_once() -> None:
    # the party's 30% reported by two sources, one per record: 30%, not 60%
    g = graph([same("a2", "a"), owns("a", "c", 30), owns("a2", "c", 30)])
    r = gk.restricted(g, "ofac50", as_of=DAY).set_index("id")
    assert (r.loc["c", "status"], r.loc["c", "share_min"], r.loc["c", "share_max"]) == ("clear", 30, 30)
    assert r.loc["c", "red_flag"]
    assert "the 2 sources agree; counted once as 30%" in r.loc["c", "explanation"]


def test_contradicting_reports_under_two_records_give_the_envelope() -> None:
    g = graph([same("a2", "a"), owns("a", "c", 30), owns("a2", "c", 60)])
    r = gk.restricted(g, "ofac50", as_of=DAY).set_index("id")
    assert (r.loc["c", "status"], r.loc["c", "share_min"], r.loc["c", "share_max"]) == ("unknown", 30, 60)
    assert "contradict each other" in r.loc["c", "explanation"]


def test_joining_is_transitive_and_the_owned_party_adds_up() -> None:
    # a3 ~ a2 ~ a (a listed); x and y listed; c ~ c2: x's 30% of c and y's 30% of c2 are 60% of one party
    listings = [{"entity": e, "list": "us-ofac-sdn", "start": "2020-01-01"} for e in ("a", "x", "y")]
    g = graph([same("a3", "a2"), same("a2", "a"), owns("x", "c", 30), owns("y", "c2", 30), same("c2", "c")],
              listings)
    st = status(g)
    assert st["a3"] == "listed"
    assert st["c"] == st["c2"] == "restricted"


def test_control_through_another_record_counts_where_control_counts() -> None:
    g = graph([same("a2", "a"), {"source": "a2", "target": "c", "kind": "controls"}],
              [{"entity": "a", "list": "eu-fsf", "start": "2020-01-01"}])
    r = gk.restricted(g, "eu50", as_of=DAY).set_index("id")
    assert r.loc["a2", "status"] == "listed"
    assert r.loc["c", "status"] == "restricted"
    assert "Alpha Technologies controls Charlie Ltd" in r.loc["c", "explanation"]


def test_ownership_inside_a_party_is_ignored() -> None:
    g = graph([same("a2", "a"), owns("a", "a2", 100), owns("a2", "c", 10)])
    r = gk.restricted(g, "ofac50", as_of=DAY).set_index("id")
    assert r.loc["a2", "status"] == "listed"
    assert (r.loc["a2", "share_min"], r.loc["a2", "share_max"]) == (0, 0)   # its own stake is not an owner's
    assert r.loc["c", "status"] == "clear"


def test_screening_shows_the_party_listing_and_how_records_are_joined() -> None:
    g = graph([{**same("a2", "a"), "confidence": "suspected"}, owns("a2", "c", 60)])
    out = gk.screen(g, ["Alpha Technologies", "Buyer Co"], as_of=DAY, progress=False).set_index("name")
    row = out.loc["Alpha Technologies"]
    assert (row["id"], row["lists"], row["rule_status"], row["risk"]) == ("a2", "us-ofac-sdn", "listed", 100)
    assert row["hops"] == 0
    assert row["weakest_confidence"] == "suspected"   # the listing is confirmed; the join is not
    text = row["path"]
    assert "Alpha Technologies (a2) is one party with Alpha Tech (a) (records joined by same_as relations in force)" in text
    assert "[suspected; source: analyst note 7]" in text
    assert "-> Alpha Tech is on the OFAC Specially Designated Nationals" in text
    assert out.loc["Buyer Co", "rule_status"] == "clear"


def test_paths_and_lists_of_unjoined_graphs_are_unchanged() -> None:
    g = graph([owns("a2", "c", 60)])
    assert same_parties(g, DAY) is None
    out = gk.screen(g, ["Alpha Technologies"], as_of=DAY, progress=False)
    assert out.loc[0, "rule_status"] == "clear" and pd.isna(out.loc[0, "lists"])


def test_same_as_across_sorts_of_record_joins_nothing() -> None:
    """A company is never 'the same as' its address or a person: two companies registered at
    one address must not become one party through it."""
    ents = pd.DataFrame({"id": ["addr", "a", "b", "c", "p"], "name": ["1 Main St", "Alpha", "Bravo", "Charlie", "Pat"],
                         "kind": ["address", "company", "company", "company", "person"]})
    rels = pd.DataFrame([same("a", "addr"), same("b", "addr"), same("p", "b"), owns("b", "c", 60)])
    lst = pd.DataFrame({"entity": ["a", "p"], "list": ["us-ofac-sdn", "us-ofac-sdn"], "start": ["2020-01-01"] * 2})
    g = gk.OwnershipGraph.from_frames(ents, rels, lst)
    assert same_parties(g, DAY) is None
    assert status(g)["b"] == "clear" and status(g)["c"] == "clear"


def test_every_record_of_a_party_is_explained() -> None:
    # the first record is on a list the rule does not use; the second holds the stake
    g = graph([same("a2", "a"), owns("a2", "c", 60)],
              [{"entity": "a", "list": "us-ndaa-889", "start": "2020-01-01", "source_ref": "NDAA"}])
    r = gk.restricted(g, "ofac50", as_of=DAY).set_index("id")
    assert r.loc["a2", "status"] == "clear"
    assert r.loc["a2", "explanation"].startswith("Alpha Technologies (a2) is one party with Alpha Tech (a)")
    assert "NDAA" in r.loc["a2", "explanation"]
    assert "Alpha Technologies (a2) holds 60% of it" in r.loc["c", "explanation"]   # the record that holds it


def test_weakest_evidence_takes_the_better_route_to_a_listing() -> None:
    # a2 is itself on the 1260H list (reported); through a suspected join it is also on SDN (confirmed)
    g = graph([{**same("a2", "a"), "confidence": "suspected"}],
              [{"entity": "a", "list": "us-ofac-sdn", "start": "2020-01-01", "confidence": "confirmed"},
               {"entity": "a2", "list": "us-dod-1260h", "start": "2021-01-01", "confidence": "reported"}])
    out = gk.screen(g, ["Alpha Technologies", "Alpha Tech"], as_of=DAY, progress=False).set_index("name")
    assert out.loc["Alpha Technologies", "weakest_confidence"] == "reported"   # its own listing, not the join
    assert out.loc["Alpha Tech", "weakest_confidence"] == "confirmed"


def test_a_tie_between_records_of_one_party_is_a_match() -> None:
    ents = pd.DataFrame({"id": ["ofac:1", "dod:1"], "name": ["Hangzhou Hikvision", "Hangzhou Hikvision"],
                         "kind": "company"})
    lst = pd.DataFrame({"entity": ["ofac:1"], "list": ["us-ofac-sdn"], "start": ["2020-01-01"]})
    g = gk.OwnershipGraph.from_frames(ents, None, lst)
    before = gk.screen(g, ["Hangzhou Hikvision"], as_of=DAY, progress=False).iloc[0]
    assert before["match_status"] == "ambiguous"
    joined = gk.join_same(g, [["ofac:1", "dod:1"]], source_ref="analyst review")
    row = gk.screen(joined, ["Hangzhou Hikvision"], as_of=DAY, progress=False).iloc[0]
    assert (row["match_status"], row["rule_status"], row["lists"]) == ("matched", "listed", "us-ofac-sdn")
    assert "the tied candidates are records of one party (joined by same_as)" in row["match_reason"]


def test_a_same_as_across_sorts_is_reported_when_the_graph_is_built() -> None:
    ents = pd.DataFrame({"id": ["addr", "a", "p"], "name": ["1 Main St", "Alpha", "Pat"],
                         "kind": ["address", "company", "person"]})
    rels = pd.DataFrame([same("a", "addr"), same("p", "a")])
    g = gk.OwnershipGraph.from_frames(ents, rels, None)
    checks = [p for p in g.problems if p.action == "check" and p.column == "kind"]
    assert len(checks) == 2 and len(g.relations) == 2     # kept as given, reported, joins nothing
    assert "'a' (company) cannot be the same party as 'addr' (address): this same_as joins nothing" in checks[0].message
