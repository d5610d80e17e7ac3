"""The row policy of validation, the same for every table.

A bad value in a column that places the row (id, name, kind, source, target, entity,
list) leaves the row out (``rejected``). A bad value anywhere else keeps the row with
that value unknown (``kept``), names file, line, column, the value and what was
assumed, and writes the value as written into the row's ``note``. The worst outcome
this guards against: a listed party shown as ``clear`` because one date was mistyped.
"""

from pathlib import Path

import pandas as pd
import pytest

import graphkit as gk
from graphkit.errors import GraphValidationError

ENTS = "id,name,kind,country\nparent,Parent Co,company,CN\nsub,Sub Co,company,CN\nbuyer,Buyer Co,company,HK\n"
RELS = "id,source,target,kind,share,confidence,source_ref\nr1,parent,sub,owns,100,confirmed,reg\n"
LSTS = "id,entity,list,start,source_ref\nl1,parent,us-ofac-sdn,2019-10-09,press release\n"


def write(folder: Path, entities: str = ENTS, relations: str = RELS, listings: str = LSTS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (("entities", entities), ("relations", relations), ("listings", listings)):
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def only(g: gk.OwnershipGraph, action: str = "kept"):
    found = [p for p in g.problems if p.action == action]
    assert len(found) == 1, g.problems
    return found[0]


@pytest.mark.parametrize("start", ["2019-31-10", "31/12/2020", "sometime"])
def test_unreadable_listing_start_keeps_the_party_listed(tmp_path, start):
    folder = write(tmp_path / "t", listings=f"id,entity,list,start,source_ref\nl1,parent,us-ofac-sdn,{start},x\n")
    g = gk.read_csv(folder)
    assert len(g.listings) == 1 and pd.isna(g.listings.loc[0, "start"])
    assert g.listings.loc[0, "note"] == f"start as written: {start!r}"
    p = only(g)
    assert (p.file, p.line, p.column, p.value) == (str(folder / "listings.csv"), 2, "start", start)
    assert "in force" in p.message and "cautious" in p.message
    table = gk.restricted(g, rule="ofac50", as_of="2024-01-01").set_index("id")
    assert table.loc["parent", "status"] == "listed"
    assert table.loc["sub", "status"] == "restricted"


def test_unreadable_listing_end_keeps_the_listing_in_force(tmp_path):
    folder = write(tmp_path / "t", listings="entity,list,start,end\nparent,us-ofac-sdn,2019-10-09,2023-02-30\n")
    g = gk.read_csv(folder)
    p = only(g)
    assert p.column == "end" and "still in force" in p.message
    assert g.listed_mask("2030-01-01")[g.index.position("parent")]


def test_end_before_start_leaves_both_dates_unknown(tmp_path):
    folder = write(tmp_path / "t", listings="entity,list,start,end,note\nparent,us-ofac-sdn,2021-01-01,2019-01-01,from the list\n")
    g = gk.read_csv(folder)
    rec = g.listings.iloc[0]
    assert pd.isna(rec["start"]) and pd.isna(rec["end"])
    assert rec["note"] == "from the list. end as written: '2019-01-01'. start as written: '2021-01-01'"
    p = only(g)
    assert p.column == "end" and p.line == 2 and "before start" in p.message
    assert g.listed_mask("2020-06-01")[g.index.position("parent")]


def test_unreadable_relation_dates_keep_the_relation_in_force(tmp_path):
    rels = "source,target,kind,share,start,observed\nparent,sub,owns,60,2020-02-31,yesterday\n"
    g = gk.read_csv(write(tmp_path / "t", relations=rels))
    assert len(g.relations) == 1
    assert [(p.column, p.action) for p in g.problems] == [("start", "kept"), ("observed", "kept")]
    assert g.active_relations("2000-01-01").all()
    assert g.relations.loc[0, "note"] == "start as written: '2020-02-31'. observed as written: 'yesterday'"


@pytest.mark.parametrize("share, why", [
    ("120", "over 100%"), ("-5", "cannot read '-5'"), ("60-40", "lower bound above"),
    ("abc", "cannot read 'abc'"),
])
def test_bad_share_keeps_the_relation_with_an_unknown_share(tmp_path, share, why):
    rels = f"id,source,target,kind,share\nr1,parent,sub,owns,60\nr2,buyer,sub,owns,{share}\n"
    folder = write(tmp_path / "t", relations=rels)
    g = gk.read_csv(folder)
    assert g.relations["id"].tolist() == ["r1", "r2"]
    assert g.relations.loc[1, ["share_min", "share_max"]].tolist() == [0.0, 100.0]
    assert g.relations.loc[1, "note"] == f"share as written: {share!r}"
    p = only(g)
    assert (p.line, p.column, p.value) == (3, "share", share)
    assert why in p.message and "the share is left unknown (0 to 100%)" in p.message


@pytest.mark.parametrize("lo, hi, read, why", [
    ("abc", "50", [0.0, 50.0], "not a number"),  # the unreadable bound is the widest; the other stands
    ("20", "150", [20.0, 100.0], "outside 0 to 100%"),
    ("-5", "60", [0.0, 60.0], "outside 0 to 100%"),
    ("60", "40", [40.0, 60.0], "share_min is above share_max; read the other way round"),
])
def test_bad_share_bounds_are_read_one_by_one(lo, hi, read, why):
    ents = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "kind": ["company", "company"]})
    rels = pd.DataFrame({"source": ["a"], "target": ["b"], "kind": ["owns"], "share_min": [lo], "share_max": [hi]})
    g = gk.OwnershipGraph.from_frames(ents, rels, on_error="report")
    assert g.relations.loc[0, ["share_min", "share_max"]].tolist() == read
    assert [p.action for p in g.problems] == ["kept"] and why in g.problems[0].message


def test_share_on_a_relation_without_shares_is_not_used():
    ents = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "kind": ["company", "company"]})
    rels = pd.DataFrame({"source": ["a"], "target": ["b"], "kind": ["controls"], "share": ["40"]})
    g = gk.OwnershipGraph.from_frames(ents, rels, on_error="report")
    assert len(g.relations) == 1 and pd.isna(g.relations.loc[0, "share_min"])
    p = only(g)
    assert "the share is not used" in p.message and g.relations.loc[0, "note"] == "share as written: '40'"


def test_unknown_confidence_reads_as_the_default(tmp_path):
    rels = "source,target,kind,share,confidence\nparent,sub,owns,60,certain\n"
    g = gk.read_csv(write(tmp_path / "t", relations=rels, listings="entity,list,confidence\nparent,us-ofac-sdn,sure\n"))
    assert g.relations.loc[0, "confidence"] == "reported" and g.listings.loc[0, "confidence"] == "reported"
    assert [(p.table, p.column, p.value, p.action) for p in g.problems] == [
        ("relations", "confidence", "certain", "kept"), ("listings", "confidence", "sure", "kept")]
    assert "read as 'reported', the default" in g.problems[0].message


def test_bad_country_keeps_the_entity_and_its_relations(tmp_path):
    ents = ENTS + "c2,C2 Co,company,XX\n"
    rels = RELS + "r2,c2,buyer,owns,30,reported,x\n"
    g = gk.read_csv(write(tmp_path / "t", entities=ents, relations=rels))
    e = g.entity("c2")
    assert e["name"] == "C2 Co" and e["country"] is None and e["note"] == "country as written: 'XX'"
    p = only(g)
    assert (p.table, p.line, p.column, p.value) == ("entities", 5, "country", "XX")
    assert not [q for q in g.problems if q.action == "stub"]
    assert len(g.relations) == 2


def test_unknown_roles_are_left_out_and_the_others_kept():
    ents = pd.DataFrame({"id": ["a"], "name": ["A"], "kind": ["company"], "roles": ["cloud_provider;wizard"]})
    g = gk.OwnershipGraph.from_frames(ents, on_error="report")
    e = g.entity("a")
    assert e["roles"] == ["cloud_provider"] and e["note"] == "roles as written: 'wizard'"
    assert only(g).column == "roles"


def test_bad_flags_are_read_cautiously():
    ents = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "kind": ["company", "company"],
                         "illustrative": ["ture", "no"]})
    rels = pd.DataFrame({"source": ["a"], "target": ["b"], "kind": ["owns"], "indirect": ["perhaps"]})
    g = gk.OwnershipGraph.from_frames(ents, rels, on_error="report")
    assert g.entities["illustrative"].tolist() == [True, False]
    assert not g.relations.loc[0, "indirect"]
    assert [(p.column, p.action) for p in g.problems] == [("illustrative", "kept"), ("indirect", "kept")]


@pytest.mark.parametrize("table, text, column", [
    ("entities", ENTS + "x,Xeno,spaceship,CN\n", "kind"),
    ("relations", RELS + "r2,buyer,sub,befriends,,,x\n", "kind"),
    ("relations", RELS + "r2,,sub,owns,10,,x\n", "source"),
    ("listings", LSTS + "l2,buyer,us-made-up,2020-01-01,x\n", "list"),
    ("listings", LSTS + "l2,,us-ofac-sdn,2020-01-01,x\n", "entity"),
])
def test_bad_required_values_still_reject_the_row(tmp_path, table, text, column):
    g = gk.read_csv(write(tmp_path / "t", **{table: text}))
    p = only(g, "rejected")
    assert (p.table, p.column) == (table, column)
    assert len(getattr(g, table)) == len(pd.read_csv(tmp_path / "t" / f"{table}.csv")) - 1


def test_strict_mode_still_raises_on_values_read_as_unknown(tmp_path):
    folder = write(tmp_path / "t", listings="entity,list,start\nparent,us-ofac-sdn,2019-31-10\n")
    with pytest.raises(GraphValidationError, match="not a real date"):
        gk.read_csv(folder, strict=True)


def test_a_kept_value_on_a_row_rejected_for_another_reason_says_so():
    ents = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "kind": ["company", "company"]})
    rels = pd.DataFrame({"source": ["a"], "target": ["a"], "kind": ["owns"], "start": ["2020-13-01"]})
    g = gk.OwnershipGraph.from_frames(ents, rels, on_error="report")
    assert len(g.relations) == 0
    assert [(p.column, p.action) for p in g.problems] == [("start", "rejected"), ("target", "rejected")]
    assert "not used anyway" in g.problems[0].message


def test_excel_follows_the_same_policy(tmp_path):
    pytest.importorskip("openpyxl")
    path = tmp_path / "case.xlsx"
    with pd.ExcelWriter(path) as xl:
        pd.read_csv(write(tmp_path / "t") / "entities.csv").to_excel(xl, sheet_name="entities", index=False)
        pd.DataFrame({"source": ["parent"], "target": ["sub"], "kind": ["owns"], "share": ["120"]}).to_excel(
            xl, sheet_name="relations", index=False)
        pd.DataFrame({"entity": ["parent"], "list": ["us-ofac-sdn"], "start": ["2019-31-10"]}).to_excel(
            xl, sheet_name="listings", index=False)
    g = gk.read_excel(path)
    assert (len(g.relations), len(g.listings)) == (1, 1)
    assert sorted((p.file, p.line, p.column, p.action) for p in g.problems) == [
        (f"{path}[listings]", 2, "start", "kept"), (f"{path}[relations]", 2, "share", "kept")]


def test_missing_name_column_is_an_error_not_a_traceback(tmp_path):
    folder = write(tmp_path / "t", entities="id,kind\nsub,company\n")  # relations name parent, buyer...
    with pytest.raises(GraphValidationError) as info:
        gk.read_csv(folder)
    (p,) = info.value.problems
    assert "no column 'name' (columns found: id, kind)" in p.message
    assert "_file" not in str(info.value) and "_line" not in str(info.value)


@pytest.mark.parametrize("sep, said", [(";", "';'"), ("\t", "a tab")])
def test_a_file_with_another_separator_is_named(tmp_path, sep, said):
    folder = write(tmp_path / "t", entities=ENTS.replace(",", sep))
    with pytest.raises(GraphValidationError) as info:
        gk.read_csv(folder)
    msg = str(info.value)
    assert f"the file seems to use {said} between cells; graphkit tables use commas" in msg
    assert "_line" not in msg


def test_an_empty_name_keeps_the_entity_under_its_id(tmp_path):
    ents = ENTS.replace("parent,Parent Co,", "parent,,")
    g = gk.read_csv(write(tmp_path / "t", entities=ents))
    e = g.entity("parent")
    assert e["name"] == "parent" and e["kind"] == "company" and e["country"] == "CN"
    p = only(g)
    assert (p.line, p.column) == (2, "name") and "the id is used as the name" in p.message
    assert not [q for q in g.problems if q.action == "stub"]
    assert g.listed_mask("2024-01-01")[g.index.position("parent")]


def test_capitalised_column_names_are_pointed_out(tmp_path):
    folder = write(tmp_path / "t", entities="ID,Name,Kind\na,A,company\n", relations="source,target,kind\n",
                   listings="entity,list\n")
    with pytest.raises(GraphValidationError, match=r"column names are written in lower case \('id', not 'ID'"):
        gk.read_csv(folder)
