"""gk.duplicates lists records that probably describe one party; gk.join_same joins the
ones a person has checked, and the joined party then answers as one."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import graphkit as gk
from graphkit.errors import GraphkitError
from graphkit.io.dod1260h import read_dod1260h


def one(eid: str, name: str, country: str | None = None, idents: list[str] | None = None) -> gk.OwnershipGraph:
    return gk.OwnershipGraph.from_frames(pd.DataFrame({"id": [eid], "name": [name], "kind": ["company"],
                                                       "country": [country], "identifiers": [idents or []]}))


def test_duplicates_lists_each_group_with_its_reason() -> None:
    g = gk.merge(one("hikvision", "Hangzhou Hikvision Digital Technology Co., Ltd.", "CN", ["uscc:9133"]),
                 one("dod1260h:hik", "Hangzhou Hikvision Digital Technology Co. Ltd"),
                 one("ofac:30946", "HANGZHOU HIKVISION", None, ["USCC: 9133"]),
                 one("ofac:2", "Alpha Trading Ltd", "RU"), one("x:2", "Alpha Trading Ltd", "CN"))
    d = gk.duplicates(g)
    assert list(d.columns) == ["group", "id", "name", "kind", "country", "source", "reason"]
    groups = d.groupby("group")["id"].apply(list).tolist()
    assert groups == [["hikvision", "ofac:30946"], ["dod1260h:hik", "hikvision"]]
    assert d["reason"].iloc[0] == "share the identifier 'uscc:9133'"
    assert d["reason"].iloc[2].startswith("same name once case, punctuation and legal form are set aside "
                                          "('hangzhou hikvision digital technology')")
    assert d.set_index("id").loc["ofac:30946", "source"] == "ofac"
    # the merge reports the same groups, and now names the tools
    msgs = [p.message for p in g.problems if p.action == "check"]
    assert any("graphkit.duplicates lists them; join the ones you have checked with graphkit.join_same" in m
               for m in msgs)


def test_nothing_found_gives_an_empty_table() -> None:
    d = gk.duplicates(gk.example_graph())
    assert d.empty and list(d.columns) == ["group", "id", "name", "kind", "country", "source", "reason"]


def test_join_same_adds_sourced_same_as_relations_once() -> None:
    g = gk.merge(one("a", "Alpha Tech"), one("a2", "Alpha Technologies"), one("a3", "Alpha Tech Co"))
    j = gk.join_same(g, [["a", "a2", "a3"]], source_ref="register extract 2026-11", confidence="confirmed")
    rel = j.relations.set_index("id")
    assert rel.loc["same_as:a2=a", "kind"] == "same_as"
    assert rel.loc["same_as:a3=a", ["source", "target", "source_ref", "confidence"]].tolist() == \
        ["a3", "a", "register extract 2026-11", "confirmed"]
    again = gk.join_same(j, [["a3", "a2"]], source_ref="again")   # already one party: nothing added
    assert len(again.relations) == len(j.relations)


def test_join_same_refuses_unsourced_or_unknown_joins() -> None:
    g = gk.merge(one("a", "Alpha Tech"), one("a2", "Alpha Technologies"))
    with pytest.raises(GraphkitError, match="needs a source_ref"):
        gk.join_same(g, [["a", "a2"]], source_ref=" ")
    with pytest.raises(GraphkitError, match="1 id\\(s\\) not in the graph: 'zz'"):
        gk.join_same(g, [["a", "zz"]], source_ref="note")
    with pytest.raises(GraphkitError, match="lacks the column"):
        gk.join_same(g, pd.DataFrame({"id": ["a"]}), source_ref="note")


def test_joined_hikvision_records_answer_as_one_party(shared_data: Path) -> None:
    """The real case: the DoD 1260H record of Hikvision has no country and no BIS listing;
    the seed's record is on the Entity List. A customer typed "Hikvision" with country US
    matched the DoD record and came out clear under the BIS Affiliates Rule. Once a person
    joins the two records, the row is listed, and says why."""
    dod = read_dod1260h(shared_data / "us-china-lists" / "dod_chinese_milcorps__sanctions.csv")
    g = gk.merge(gk.read_tables(gk.seed_path()), dod)
    d = gk.duplicates(g)
    hik = d[d["id"].eq("hikvision")]["group"].tolist()
    assert hik, "the seed's Hikvision and the DoD record are reported as one group"
    pair = d[d["group"].isin(hik)]
    assert "dod1260h:hangzhou-hikvision-digital-technology-co-ltd" in set(pair["id"])
    joined = gk.join_same(g, pair, source_ref="analyst review: same legal name, DoD 1260H and BIS entries")
    r = gk.restricted(joined, "bis-affiliates", as_of="2025-10-15").set_index("id")
    dod_id = "dod1260h:hangzhou-hikvision-digital-technology-co-ltd"
    assert r.loc[dod_id, "status"] == "listed"
    assert "one party with" in r.loc[dod_id, "explanation"]
    out = gk.screen(joined, pd.DataFrame({"name": ["Hangzhou Hikvision Digital Technology Co. Ltd"]}),
                    as_of="2025-10-15", rule="bis-affiliates", progress=False)
    row = out.iloc[0]
    assert row["rule_status"] == "listed"
    assert "us-bis-entity-list" in row["lists"] and "us-dod-1260h" in row["lists"]
    assert "analyst review" in row["path"] or row["id"] == "hikvision"
    assert "check whether it is the same party" not in row["risk_reason"]   # joined: no longer a look-alike


def test_shared_codes_short_names_and_brands_in_brackets() -> None:
    g = gk.merge(one("ofac:1", "Zala Aero JSC", None, ["kpp:771501001"]),
                 one("ofac:2", "Aeroscan LLC", None, ["KPP: 771501001"]),
                 one("fcc:zte", "ZTE Corporation"), one("ndaa889:zte", "ZTE Corp."),
                 one("dod1260h:dawning", "Dawning Information Industry Co., Ltd. (Sugon)"),
                 one("seed-dawning", "Dawning Information Industry Company Limited"),
                 one("ofac:3", "VNESHECONOMBANK", None, ["tax_id:7750004150"]),
                 one("ofac:4", "BANK BELVEB OJSC", None, ["tax_id:7750004150"]))
    d = gk.duplicates(g)
    groups = d.groupby("group")["id"].apply(sorted).tolist()
    assert ["ofac:1", "ofac:2"] not in groups                      # a KPP is shared by many companies
    assert ["fcc:zte", "ndaa889:zte"] in groups
    assert ["dod1260h:dawning", "seed-dawning"] in groups
    bank = d[d["id"] == "ofac:4"]["reason"].iloc[0]
    assert bank.endswith("their names have no word in common: check the identifier")


def test_join_same_after_an_ended_join_and_with_overlapping_groups() -> None:
    ents = pd.DataFrame({"id": ["a", "a2", "a3"], "name": ["Alpha", "Alpha Co", "Alpha Ltd"], "kind": "company"})
    rels = pd.DataFrame({"source": ["a2"], "target": ["a"], "kind": ["same_as"], "end": ["2020-12-31"],
                         "source_ref": ["old note"]})
    g = gk.OwnershipGraph.from_frames(ents, rels, pd.DataFrame({"entity": ["a"], "list": ["us-ofac-sdn"]}))
    assert gk.duplicates(gk.merge(g)).empty
    j = gk.join_same(g, [["a", "a2"], ["a2", "a3"], ["a", "a3"]], source_ref="re-checked 2024")
    added = j.relations[j.relations["source_ref"] == "re-checked 2024"]
    assert sorted(added["source"] + ">" + added["target"]) == ["a2>a", "a3>a2"]   # the third is implied
    assert not [p for p in j.problems if "duplicate" in p.message]
    r = gk.restricted(j, "ofac50", as_of="2024-01-01").set_index("id")
    assert r.loc["a2", "status"] == r.loc["a3", "status"] == "listed"


def test_join_same_refuses_groups_of_one() -> None:
    g = gk.merge(one("a", "Alpha Tech"), one("a2", "Alpha Technologies"))
    with pytest.raises(GraphkitError, match="every group has one id"):
        gk.join_same(g, pd.DataFrame({"group": [1, 2], "id": ["a", "a2"]}), source_ref="note")
