"""Exposure screening: gk.screen / graphkit.algorithms.screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import graphkit as gk
from graphkit.algorithms.nearest import confidence_codes, nearest_targets, search_slots, slot_steps
from graphkit.algorithms.paths import avoid_mask, step_weight
from graphkit.algorithms.screen import COLUMNS, read_buyers, risk_score, screen
from graphkit.algorithms.sentences import describe_listings, describe_steps
from graphkit.algorithms.traverse import bfs_levels, direction_masks
from graphkit.errors import GraphkitError, NodeNotFound
from graphkit.explain import describe_listing, describe_step
from graphkit.graph import _plain
from graphkit.model import get_model

REPO = Path(__file__).resolve().parents[2]
DAY = "2025-10-15"


@pytest.fixture(scope="module")
def seed() -> gk.OwnershipGraph:
    return gk.read_csv(gk.seed_path())


def _graph(rels: list[tuple[str, ...]], listed: list[str], roles: dict[str, str] | None = None,
           extra: dict[str, list[object]] | None = None) -> gk.OwnershipGraph:
    ids = sorted({x for r in rels for x in r[:2]} | set(listed))
    roles = roles or {}
    ents = pd.DataFrame({"id": ids, "name": [f"{i.title()} Ltd" for i in ids], "kind": "company",
                         "roles": [roles.get(i) for i in ids]})
    frame = pd.DataFrame(rels, columns=["source", "target", "kind", "share", "confidence"][: len(rels[0])])
    for k, v in (extra or {}).items():
        frame[k] = v
    if "confidence" not in frame:
        frame["confidence"] = "confirmed"
    frame["source_ref"] = "test"
    lists = pd.DataFrame({"entity": listed, "list": "us-ofac-sdn", "start": "2020-01-01", "source_ref": "test",
                          "confidence": "confirmed"})
    return gk.OwnershipGraph.from_frames(ents, frame, lists)


def test_example_graph_columns_and_order(example: gk.OwnershipGraph) -> None:
    buyers = pd.DataFrame({"id": ["other", "nobody", "buyer", "parent", "buyer"]})
    s = screen(example, buyers, as_of="2024-01-01", progress=False)
    assert list(s.columns) == [c for c in COLUMNS if c != "line"]  # no line: not read from a file
    assert s["row"].tolist() == [0, 1, 2, 3, 4]
    assert s["match_status"].tolist() == ["matched", "unmatched", "matched", "matched", "matched"]
    assert s["hops"].tolist()[2:] == [2, 0, 2] and s["hops"].iloc[0] == 4 and pd.isna(s["hops"].iloc[1])
    assert s["nearest_listed"].iloc[2] == "parent" and s["nearest_listed_name"].iloc[2] == "Parent Group"
    assert s["relation_kinds"].iloc[2] == "front_for > owns"
    assert s["weakest_confidence"].iloc[2] == "reported"
    assert s["risk"].tolist()[2:] == [48, 100, 48]
    assert "not in the graph" in s["match_reason"].iloc[1]
    assert pd.isna(s["risk"].iloc[1]) and "manually" in s["risk_reason"].iloc[1]
    assert s["lists"].iloc[3] == "us-bis-entity-list"


def test_path_text_is_the_one_gk_paths_gives(seed: gk.OwnershipGraph) -> None:
    ids = seed.entities["id"].tolist()
    s = screen(seed, pd.DataFrame({"id": ids}), as_of=DAY, rule="bis-affiliates", progress=False)
    listed = seed.listed_mask(DAY)
    checked = 0
    for rec in s.to_dict("records"):
        found = gk.paths(seed, rec["id"], as_of=DAY, k=20)
        if not found:
            assert pd.isna(rec["hops"]) or rec["nearest_status"] == "restricted"
            continue
        if rec["nearest_status"] != "listed":
            continue  # screening also ends at restricted parties, gk.paths only at listed ones
        assert rec["hops"] == found[0].hops
        # the best evidenced of the shortest paths (ties between equally good ones may differ)
        weights = [sum(step_weight(r.get("confidence")) for r in p.relations) for p in found]
        best = [p.explain() for p, w in zip(found, weights) if p.hops == found[0].hops and w == min(weights)]
        assert rec["path"] in best
        checked += 1
    assert checked > 20 and listed.sum() > 5


def test_multi_source_search_equals_one_search_per_entity() -> None:
    rng = np.random.default_rng(3)
    n, m = 300, 700
    src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = src != dst
    ids = [f"e{i}" for i in range(n)]
    rels = pd.DataFrame({"source": np.array(ids)[src[keep]], "target": np.array(ids)[dst[keep]],
                         "kind": "linked_to"})
    listed = [f"e{i}" for i in rng.choice(n, 6, replace=False)]
    g = gk.OwnershipGraph.from_frames(pd.DataFrame({"id": ids, "name": ids, "kind": "company"}), rels,
                                      pd.DataFrame({"entity": listed, "list": "us-ofac-sdn"}))
    idx = g.index
    both = np.ones(len(idx.src), dtype=bool)
    targets = g.listed_mask()
    res = nearest_targets(idx, targets, both, both, np.zeros(len(idx.src)), 4)
    for p in range(n):
        d = bfs_levels(idx, np.array([p]), both, both, 4, stop=targets)
        reach = np.flatnonzero(targets & (d >= 0))
        expect = int(d[reach].min()) if len(reach) else -1
        assert res.dist[p] == expect


def test_best_evidenced_path_among_equally_short_ones() -> None:
    g = _graph([("buyer", "a", "linked_to", None, "suspected"), ("a", "top", "linked_to", None, "confirmed"),
                ("buyer", "b", "linked_to", None, "confirmed"), ("b", "top", "linked_to", None, "confirmed")],
               ["top"])
    s = screen(g, pd.DataFrame({"id": ["buyer"]}), as_of=DAY, progress=False)
    assert s["weakest_confidence"].iloc[0] == "confirmed"
    assert "B Ltd" in s["path"].iloc[0] and "A Ltd" not in s["path"].iloc[0]


def test_restricted_parties_end_paths_and_score(seed: gk.OwnershipGraph) -> None:
    g = _graph([("parent", "sub", "owns", "60"), ("buyer", "sub", "supplies", None)], ["parent"])
    s = screen(g, pd.DataFrame({"id": ["sub", "buyer", "parent"]}), as_of=DAY, progress=False)
    assert s["rule_status"].tolist() == ["restricted", "clear", "listed"]
    assert s["risk"].tolist() == [90, 80, 100]
    assert s["nearest_listed"].iloc[1] == "sub" and s["nearest_status"].iloc[1] == "restricted"
    assert s["hops"].iloc[1] == 1
    assert "Sub Ltd is restricted under" in s["path"].iloc[1]
    # the path names the owners the verdict rests on, with the share, evidence and listing
    assert "\n       - Parent Ltd owns Sub Ltd (60%) [confirmed; source: test]; Parent Ltd is on the OFAC Specially" \
        in s["path"].iloc[1]
    assert "Parent Ltd owns Sub Ltd (60%)" in s["path"].iloc[0]  # the restricted party itself: the same lines
    # a precomputed restriction frame gives the same answer
    r = gk.restricted(g, rule="ofac50", as_of=DAY)
    again = screen(g, pd.DataFrame({"id": ["sub", "buyer", "parent"]}), as_of=DAY, restricted=r, progress=False)
    pd.testing.assert_frame_equal(s, again)


def test_as_of_and_avoid() -> None:
    g = _graph([("buyer", "old", "linked_to", None, "confirmed"), ("old", "top", "owns", "100", "confirmed"),
                ("buyer2", "nv", "supplies", None, "confirmed"), ("nv", "top", "supplies", None, "confirmed")],
               ["top"], roles={"nv": "chip_vendor"},
               extra={"end": ["2021-01-01", None, None, None], "start": [None, None, None, None]})
    s = screen(g, pd.DataFrame({"id": ["buyer", "buyer2", "nv"]}), as_of=DAY, progress=False)
    assert pd.isna(s["hops"].iloc[0])          # the only tie ended in 2021
    assert pd.isna(s["hops"].iloc[1])          # chip vendors are not passed through
    assert s["hops"].iloc[2] == 1              # ... but a path may start at one
    assert s["risk"].iloc[0] == 0
    before = screen(g, pd.DataFrame({"id": ["buyer"]}), as_of="2020-06-01", progress=False)
    assert before["hops"].iloc[0] == 2
    allowed = screen(g, pd.DataFrame({"id": ["buyer2"]}), as_of=DAY, avoid=(), progress=False)
    assert allowed["hops"].iloc[0] == 2
    only_owns = screen(g, pd.DataFrame({"id": ["buyer2"]}), as_of=DAY, avoid=(), kinds=["owns"],
                       progress=False)
    assert pd.isna(only_owns["hops"].iloc[0])


def test_names_are_matched_and_ambiguous_rows_flagged(seed: gk.OwnershipGraph) -> None:
    buyers = pd.DataFrame({"name": ["SenseTime Group Limited", "科大讯飞", "Megvii", "Nothing Like It GmbH", " "],
                           "country": ["HK", "CN", None, "DE", None]})
    s = screen(seed, buyers, as_of=DAY, progress=False)
    assert s["match_status"].tolist() == ["matched", "matched", "ambiguous", "unmatched", "invalid"]
    assert s["id"].tolist()[:2] == ["sensetime-group", "iflytek"]
    assert s["risk"].tolist()[:3] == [100, 100, 100]
    assert s["risk_reason"].iloc[2].startswith("AMBIGUOUS MATCH")
    assert "megvii" in s["candidates"].iloc[2]
    assert s["match_reason"].iloc[4] == "row 5: empty name"


def test_csv_file_rows_lines_and_bad_bytes(tmp_path: Path, seed: gk.OwnershipGraph) -> None:
    path = tmp_path / "buyers.csv"
    path.write_bytes(
        b"name,country\n"
        b"iFlytek,CN\n"
        b"\n"
        b'"SenseTime Group\nLimited",HK\n'
        b",CN\n" + b"Bad \xff\xfe Name,CN\n" + b"too,many,cells\nYitu Technologies,CN\n")
    s = screen(seed, path, as_of=DAY, progress=False)
    assert len(s) == 6
    assert s["line"].tolist() == [2, 4, 6, 7, 8, 9]
    assert s["match_status"].tolist() == ["matched", "matched", "invalid", "invalid", "invalid", "matched"]
    assert s["match_reason"].iloc[2] == "line 6: empty name"
    assert s["match_reason"].iloc[3].startswith("line 7, column 'name': bytes that are not valid utf-8")
    assert "\ufffd" in s["name"].iloc[3]
    assert s["match_reason"].iloc[4].startswith("line 8: 3 cells but the header has 2")


def test_excel_input_and_outputs(tmp_path: Path, seed: gk.OwnershipGraph) -> None:
    pytest.importorskip("openpyxl")
    from graphkit.algorithms.restricted import write_table

    pd.DataFrame({"Customer": ["iFlytek", None, "Yitu Technologies"], "Country": ["CN", "CN", None]}).to_excel(
        tmp_path / "b.xlsx", index=False)
    s = screen(seed, tmp_path / "b.xlsx", as_of=DAY, progress=False)
    assert s["line"].tolist() == [2, 3, 4] and s["match_status"].tolist() == ["matched", "invalid", "matched"]
    write_table(s, tmp_path / "out.xlsx")
    back = pd.read_excel(tmp_path / "out.xlsx")
    assert len(back) == 3 and back["path"].iloc[0].startswith("iFlytek (company) is itself listed")
    write_table(s, tmp_path / "out.csv")
    assert len(pd.read_csv(tmp_path / "out.csv")) == 3


def test_example_customer_list(seed: gk.OwnershipGraph) -> None:
    path = REPO / "data" / "examples" / "customers.csv"
    s = screen(seed, path, as_of=DAY, progress=False)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert len(s) == len(raw) and raw["illustrative"].eq("true").all()
    single = raw["refers_to"].str.match(r"^[a-z0-9-]+$")
    assert (s.loc[single.to_numpy(), "id"].tolist() == raw.loc[single, "refers_to"].tolist())
    assert s.loc[raw["refers_to"].eq("(none)").to_numpy(), "match_status"].tolist() == ["unmatched", "invalid"]


def test_bad_input() -> None:
    g = gk.example_graph()
    with pytest.raises(GraphkitError, match="needs a 'name'"):
        screen(g, pd.DataFrame({"customer_no": [1]}), progress=False)
    with pytest.raises(GraphkitError, match="max_hops"):
        screen(g, pd.DataFrame({"id": ["buyer"]}), max_hops=0, progress=False)
    with pytest.raises(GraphkitError):
        screen(g, pd.DataFrame({"id": ["buyer"]}), kinds=["not_a_kind"], progress=False)
    with pytest.raises(gk.ReadError, match="no such file"):
        screen(g, "/nonexistent/buyers.csv", progress=False)
    with pytest.raises(GraphkitError):
        screen(g, 42, progress=False)  # type: ignore[arg-type]
    assert not issubclass(GraphkitError, NodeNotFound)


def test_read_buyers_keeps_every_row() -> None:
    b = read_buyers(pd.DataFrame({"Company Name": ["A", None, "B"], "LEI": [None, "X1", None]}))
    assert b["name"].tolist() == ["A", None, "B"] and b["identifier"].tolist() == [None, "X1", None]
    assert b["invalid"].tolist() == [None, None, None]  # an identifier alone is enough to try


def test_risk_score_documented_values() -> None:
    assert risk_score("listed", 0, None)[0] == 100
    assert risk_score("restricted", 3, "confirmed")[0] == 90
    assert risk_score("unknown", None, None)[0] == 70
    assert risk_score("clear", None, None, red_flag=True)[0] == 50
    assert [risk_score("clear", h, "confirmed")[0] for h in (1, 2, 3, 6)] == [80, 60, 45, 19]
    assert [risk_score("clear", 1, c)[0] for c in ("confirmed", "reported", "suspected")] == [80, 64, 48]
    assert risk_score("clear", None, None) == (0, "not listed, not restricted, no listed or restricted party "
                                                   "within the hop limit")


def test_describe_steps_matches_describe_step(seed: gk.OwnershipGraph) -> None:
    rel = seed.relations
    rows = np.arange(len(rel))
    for fw in (True, False):
        fast = describe_steps(rel, rows, np.full(len(rows), fw), ["A"] * len(rows), ["B"] * len(rows))
        slow = [describe_step({k: _plain(v) for k, v in rel.iloc[r].items()}, fw, "A", "B") for r in rows]
        assert fast == slow


def test_describe_steps_matches_describe_step_on_awkward_rows() -> None:
    """Empty texts, missing confidence, partial shares and dates, illustrative flags, quotes."""
    rel = pd.DataFrame({
        "kind": pd.Categorical(["owns", "owns", "supplies", "front_for", "owns", "supplies"]),
        "share_min": [50.0, None, None, None, 0.0, None],
        "share_max": [50.0, 60.0, None, None, 25.0, None],
        "role": pd.array(["", None, "reseller", None, None, "x"], dtype="string"),
        "item": pd.array([None, None, "A100 \"SXM\"", None, None, ""], dtype="string"),
        "eccn": pd.array([None, None, "3A090", "", None, None], dtype="string"),
        "quantity": pd.array([None, None, "8", None, None, None], dtype="string"),
        "price": pd.array([None, None, "USD 10/hour", None, None, None], dtype="string"),
        "start": pd.array(["2020", None, "2021-05-01", "", None, "2019"], dtype="string"),
        "end": pd.array(["2021-02", "2022", None, None, None, "2019-12"], dtype="string"),
        "confidence": pd.Categorical(["confirmed", None, "suspected", "reported", None, "reported"]),
        "illustrative": pd.array([False, True, None, True, False, None], dtype="boolean"),
        "source_ref": pd.array(["FR 84 54002", "", None, "O'Brien <b>", None, "x; y"], dtype="string"),
    })
    rows = np.array([5, 0, 3, 1, 4, 2, 0])
    names_a = ["A", "O'Brien \"X\" Ltd", "C", "D", "E", "F", "G"]
    for fw in (True, False):
        fast = describe_steps(rel, rows, np.full(len(rows), fw), names_a, ["B"] * len(rows))
        slow = [describe_step({k: _plain(v) for k, v in rel.iloc[r].items()}, fw, a, "B")
                for r, a in zip(rows, names_a)]
        assert fast == slow


def test_describe_listings_matches_describe_listing(seed: gk.OwnershipGraph) -> None:
    odd = pd.DataFrame({
        "entity": ["a", "b", "c"], "list": ["us-bis-entity-list", "no-such-list", None],
        "start": pd.array(["2019", None, ""], dtype="string"), "end": pd.array([None, "2020-05", None], dtype="string"),
        "listed_name": pd.array(['IFLYTEK "X"', "", None], dtype="string"),
        "program": pd.array([None, "SDGT", ""], dtype="string"),
        "confidence": pd.Categorical(["confirmed", None, "reported"]),
        "source_ref": pd.array([None, "O'Brien <b>", "84 FR 54002"], dtype="string"),
    })
    for frame in (seed.listings, odd):
        fast = describe_listings(frame).to_pylist()
        slow = [describe_listing({k: _plain(v) for k, v in frame.iloc[r].items()}) for r in range(len(frame))]
        assert fast == slow


@pytest.mark.parametrize("day", ["2019-01-01", "2021-06-30", DAY, "2026-01-01"])
@pytest.mark.parametrize("kinds", [None, ("owns", "controls"), ("front_for", "supplies", "rents_compute_from")])
def test_slot_steps_search_equals_the_mask_search(seed: gk.OwnershipGraph, day: str, kinds: Any) -> None:
    """screen's per-slot steps (cached per graph) give the same search as the relation masks."""
    idx = seed.index
    traverse = {n: rk.traverse for n, rk in get_model().relation_kinds.items()}
    rel_mask = idx.kind_mask(kinds) & seed.active_relations(day)
    fwd, bwd = direction_masks(idx, traverse, rel_mask)
    _, penalty = confidence_codes(seed.relations)
    targets, avoid = seed.listed_mask(day), avoid_mask(seed, ("chip_vendor",))
    a = nearest_targets(idx, targets, fwd, bwd, penalty, 6, avoid=avoid)
    out_step, in_step, _ = slot_steps(seed, day, traverse, kinds)
    b = search_slots(idx, targets, out_step, in_step, 6, avoid=avoid)
    for name in ("dist", "target", "rel", "next", "forward", "cost"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


def test_explain_false_gives_the_same_answers(seed: gk.OwnershipGraph) -> None:
    buyers = pd.DataFrame({"id": seed.entities["id"]})
    full = screen(seed, buyers, as_of=DAY, progress=False)
    fast = screen(seed, buyers, as_of=DAY, progress=False, explain=False)
    assert fast["path"].isna().all() and full["path"].notna().sum() > 20
    pd.testing.assert_frame_equal(full.drop(columns=["path"]), fast.drop(columns=["path"]))
    assert "multi-source search" in full.attrs["timings"]


def test_closing_lines_with_or_without_the_rule_rows(seed: gk.OwnershipGraph) -> None:
    """A path's closing line: each listing in force, or the rule's first line for a party it catches."""
    from graphkit.algorithms.pathtext import PathWriter, TextColumn
    from graphkit.algorithms.screen import _rule_arrays
    from graphkit.rules import get_rule

    seed = gk.merge(seed, _graph([("parent", "sub", "owns", "60"), ("sub", "subsub", "owns", "80")], ["parent"]))
    frame = gk.restricted(seed, rule="ofac50", as_of=DAY)
    status, _, caught, rows = _rule_arrays(seed, frame)
    listed = seed.listed_mask(DAY)
    ends = np.flatnonzero(listed | caught)
    args = (seed, status, listed, np.zeros(len(seed.relations), dtype=np.int64), frame, get_rule("ofac50"), DAY,
            TextColumn(seed.entities["name"]))
    given, looked_up = PathWriter(*args, rows).end_texts(ends), PathWriter(*args).end_texts(ends)
    assert given.to_pylist() == looked_up.to_pylist()
    texts = dict(zip(ends.tolist(), given.to_pylist()))
    name = seed.entities["name"].astype(object).to_numpy()
    for pos in np.flatnonzero(listed).tolist():
        assert texts[pos].startswith(f"\n  -> {name[pos]} is on the ")
    only_caught = np.flatnonzero(caught & ~listed).tolist()
    assert only_caught, "the seed has parties restricted by ownership alone"
    expl = dict(zip(frame["id"], frame["explanation"]))
    for pos in only_caught:  # the rule's verdict, every owner line it rests on, and how well evidenced it is
        lines = expl[seed.index.ids[pos]].splitlines()
        owners = [ln.strip() for ln in lines[1:] if ln.startswith("  - ")]
        assert owners, "a party restricted by ownership names its owners"
        kept = [ln.strip() for ln in lines[1:] if ln.startswith(("  - ", "Evidence: ", "RED FLAG: "))]
        assert any(k.startswith("Evidence: ") for k in kept)
        assert texts[pos] == "\n  -> " + lines[0] + "".join("\n       " + o for o in kept)


def test_rule_caveat_after_a_suspension_reaches_the_screening() -> None:
    ents = pd.DataFrame({"id": ["parent", "sub", "buyer"], "name": ["Parent Ltd", "Sub Ltd", "Buyer Ltd"],
                         "kind": "company"})
    rels = pd.DataFrame({"source": ["parent", "buyer"], "target": ["sub", "sub"], "kind": ["owns", "supplies"],
                         "share": ["60", None], "confidence": "confirmed", "source_ref": "test"})
    lists = pd.DataFrame({"entity": ["parent"], "list": ["us-bis-entity-list"], "start": ["2020-01-01"],
                          "source_ref": "test"})
    g = gk.OwnershipGraph.from_frames(ents, rels, lists)
    after = screen(g, pd.DataFrame({"id": ["buyer"]}), as_of="2026-11-23", rule="bis-affiliates", progress=False)
    assert after.attrs["caveats"] and "absent a future extension" in after.attrs["caveats"][0]
    assert after["nearest_listed"].iloc[0] == "sub"
    assert "\n     Caveat: " in after["path"].iloc[0]
    during = screen(g, pd.DataFrame({"id": ["buyer"]}), as_of="2026-01-15", rule="bis-affiliates", progress=False)
    assert during.attrs["caveats"] == [] and "Caveat" not in str(during["path"].iloc[0])


def test_listings_not_in_force_are_named_in_the_risk_reason() -> None:
    """A party delisted before the day, or listed only after it, is clear on the day, but the
    investigator is told (the score does not change); a relisting on the same list is not.
    The graph has no relations at all, which screening must also take (it raised IndexError)."""
    ents = pd.DataFrame({"id": ["gone", "later", "back", "plain"], "name": ["Gone Co", "Later Co", "Back Co", "Plain Co"],
                         "kind": "company"})
    lists = pd.DataFrame({"entity": ["gone", "later", "back", "back"],
                          "list": ["us-bis-entity-list", "us-ofac-sdn", "us-ofac-sdn", "us-ofac-sdn"],
                          "start": ["2019-01-01", "2030-01-01", "2018-01-01", "2024-01-01"],
                          "end": ["2024-12-31", None, "2020-01-01", None], "source_ref": "example"})
    g = gk.OwnershipGraph.from_frames(entities=ents, listings=lists)
    s = screen(g, pd.DataFrame({"id": ["gone", "later", "back", "plain"]}), as_of="2025-06-01", progress=False)
    reason = s["risk_reason"].tolist()
    assert s["risk"].tolist() == [0, 0, 100, 0]
    assert reason[0].endswith("; was on the BIS Entity List until 2024-12-31")
    assert reason[1].endswith("; on the OFAC Specially Designated Nationals and Blocked Persons List from "
                              "2030-01-01, after 2025-06-01")
    assert "was on" not in reason[2] and ";" not in reason[3]
    before = screen(g, pd.DataFrame({"id": ["gone"]}), as_of="2020-06-01", progress=False)
    assert before["risk"].iloc[0] == 100 and "was on" not in before["risk_reason"].iloc[0]


def test_weakest_evidence_counts_the_listing_reached() -> None:
    # a confirmed step to a party whose only listing is reported: the conclusion is only reported
    g = _graph([("buyer", "top", "owns", 100.0, "confirmed")], ["top"])
    lists = g.listings.assign(confidence="reported")
    g = gk.OwnershipGraph.from_frames(g.entities, g.relations, lists)
    s = screen(g, pd.DataFrame({"id": ["buyer", "top"]}), as_of=DAY, progress=False)
    assert s["weakest_confidence"].tolist() == ["reported", "reported"]  # the listed party itself: its listing
    assert s["risk"].tolist() == [64, 100]  # 80 x 0.8 for reported evidence; listed: 100 whatever the evidence
    assert "weakest evidence: reported" in s["path"].iloc[0]
    (p,) = gk.paths(g, "buyer", as_of=DAY)
    assert p.weakest == "reported" and "weakest evidence: reported" in p.explain()


def test_weakest_evidence_takes_the_best_of_several_listings() -> None:
    g = _graph([("buyer", "top", "owns", 100.0, "confirmed")], ["top", "top"])
    lists = g.listings.assign(confidence=["suspected", "confirmed"], list=["us-ofac-sdn", "us-bis-entity-list"])
    g = gk.OwnershipGraph.from_frames(g.entities, g.relations, lists)
    s = screen(g, pd.DataFrame({"id": ["buyer"]}), as_of=DAY, progress=False)
    assert s["weakest_confidence"].tolist() == ["confirmed"]
    assert gk.paths(g, "buyer", as_of=DAY)[0].weakest == "confirmed"


def test_ambiguous_row_takes_the_most_severe_candidate_and_every_list() -> None:
    # the same company read from two lists: two entities with one name; a customer matches both
    ents = pd.DataFrame({"id": ["a-dod", "b-bis"], "name": ["Hik Vision Co", "Hik Vision Co"], "kind": "company"})
    lists = pd.DataFrame({"entity": ["a-dod", "b-bis"], "list": ["us-dod-1260h", "us-bis-entity-list"],
                          "start": "2020-01-01", "source_ref": "test", "confidence": "confirmed"})
    g = gk.OwnershipGraph.from_frames(ents, None, lists)
    s = screen(g, ["Hik Vision Co"], as_of=DAY, rule="bis-affiliates", progress=False)
    assert s["match_status"].tolist() == ["ambiguous"] and s["risk"].tolist() == [100]
    assert s["rule_status"].tolist() == ["listed"]  # the BIS-listed candidate, not the first in order
    assert s["lists"].tolist() == ["us-bis-entity-list; us-dod-1260h"]
    assert "scored as the most exposed, b-bis" in s["risk_reason"].iloc[0]


def test_a_listed_runner_up_above_the_threshold_is_named() -> None:
    # the same company from two lists; the customer's country differs from the listed copy's,
    # so the unlisted copy (no country) wins; the listed twin must not go unseen
    ents = pd.DataFrame({"id": ["dod:hik", "hik"], "name": ["Hangzhou Hikvision Digital Technology Co., Ltd."] * 2,
                         "kind": "company", "country": [None, "CN"]})
    lists = pd.DataFrame({"entity": ["hik"], "list": ["us-bis-entity-list"], "start": "2019-10-09",
                          "source_ref": "84 FR 54002", "confidence": "confirmed"})
    g = gk.OwnershipGraph.from_frames(ents, None, lists)
    s = screen(g, pd.DataFrame({"name": ["Hangzhou Hikvision Digital Technology Co Ltd"], "country": ["US"]}),
               as_of=DAY, rule="bis-affiliates", progress=False)
    assert s["match_status"].tolist() == ["matched"] and s["id"].tolist() == ["dod:hik"]
    reason = s["risk_reason"].iloc[0]
    assert ("a close candidate above the match threshold, hik (Hangzhou Hikvision Digital Technology Co., Ltd.), "
            "is on us-bis-entity-list: check whether it is the same party") in reason
