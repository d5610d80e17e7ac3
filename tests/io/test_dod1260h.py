"""graphkit.io.dod1260h: the real DoD 1260H and NDAA s.889 files, and small bad inputs."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

import graphkit as gk
from graphkit.io.detect import read_any
from graphkit.io.dod1260h import _slug, read_dod1260h, read_ndaa889

HEADER = "Name,Clean Name,Alias,Previous Name,Parent Name,Note,Start date,End date,Source Url\n"
HIKVISION = "dod1260h:hangzhou-hikvision-digital-technology-co-ltd"
CETC = "dod1260h:china-electronics-technology-group-corporation"


@pytest.fixture(scope="module")
def dod_csv(shared_data: Path) -> Path:
    return shared_data / "us-china-lists" / "dod_chinese_milcorps__sanctions.csv"


@pytest.fixture(scope="module")
def dod(dod_csv: Path) -> gk.OwnershipGraph:
    return read_dod1260h(dod_csv)


# -- the real file -------------------------------------------------------------------------

def test_real_counts(dod: gk.OwnershipGraph) -> None:
    assert len(dod.listings) == 397
    assert set(dod.listings["list"]) == {"us-dod-1260h"}
    # 234 distinct Clean Names; 7 pairs differ only in case/punctuation and 5 more only by a
    # trailing "(...)" or legal form: 12 merges, 222 companies (227 before the second kind).
    assert len(dod) == 222
    assert set(dod.entities["kind"]) == {"company"}
    assert len(dod.relations) == 136
    assert dod.listings["start"].value_counts().to_dict() == {
        "2026-06-08": 188, "2025-01-07": 133, "2021-06-03": 47, "2024-01-31": 16, "2022-10-05": 13}
    assert dod.listings["end"].notna().sum() == 21
    pf = dod.problems_frame()
    assert len(pf) == 12 and set(pf["action"]) == {"kept"} and set(pf["column"]) == {"Clean Name"}
    assert pf["message"].str.contains("only in case or punctuation").sum() == 7


@pytest.mark.parametrize("entity, spellings, starts", [
    ("dawning-information-industry-co-ltd",
     {"Dawning Information Industry Co., Ltd.", "Dawning Information Industry Co., Ltd. (Sugon)"},
     ["2022-10-05", "2025-01-07", "2026-06-08"]),
    ("aerospace-ch-uav-co-ltd", {"Aerospace CH UAV Co., Ltd", "Aerospace CH UAV Co., Ltd (CH UAV)"}, None),
    ("inner-mongolia-first-machinery-group-co-ltd",
     {"Inner Mongolia First Machinery Group Co., Ltd.",
      "Inner Mongolia First Machinery Group Co., Ltd. (Inner Mongolia)"}, None),
    ("mgi-tech-co-ltd", {"MGI Tech Co., Ltd.", "MGI Tech Co., Ltd. (MGI)"}, None),
    ("china-spacesat-co", {"China SpaceSat Co.", "China SpaceSat Co., Ltd."}, None),
])
def test_real_editions_of_one_company_are_one_entity(dod: gk.OwnershipGraph, entity: str,
                                                     spellings: set[str], starts: list[str] | None) -> None:
    """A company named with and without a trailing "(Sugon)" or legal form in different
    editions is one entity with every listing period, the merge reported."""
    e = dod.entity(f"dod1260h:{entity}")
    assert spellings <= {e["name"], *e["aliases"]}
    assert len(e["listings"]) >= 2
    if starts:
        assert sorted(x["start"] for x in e["listings"]) == starts
    for name in spellings:  # no other entity keeps any of the spellings
        assert (dod.entities["name"] == name).sum() <= 1
    [merge] = [p for p in dod.problems if p.value in spellings]
    assert merge.action == "kept" and "read as the same entity" in merge.message


def test_real_sensetime_periods(dod: gk.OwnershipGraph) -> None:
    st = dod.entity("dod1260h:sensetime-group-inc")
    assert st["name"] == "SenseTime Group, Inc."
    assert "SenseTime" in st["aliases"]
    periods = sorted((x["start"], x["end"]) for x in st["listings"])
    assert periods == [("2025-01-07", None), ("2026-06-08", None)]
    assert {x["listed_name"] for x in st["listings"]} == {"SenseTime Group, Inc.",
                                                          "SenseTime Group, Inc. (SenseTime)"}
    assert all(x["source_ref"].startswith("https://media.defense.gov/") for x in st["listings"])
    note = next(x["note"] for x in st["listings"] if x["start"] == "2026-06-08")
    assert note.startswith("SenseTime is indirectly affiliated with SASAC")


def test_real_hikvision_parent(dod: gk.OwnershipGraph) -> None:
    rels = dod.relations[(dod.relations["target"] == HIKVISION) & (dod.relations["kind"] == "owns")]
    [rel] = rels.to_dict("records")
    assert rel["source"] == CETC
    assert dod.name_of(CETC) == "China Electronics Technology Group Corporation"
    assert (rel["share_min"], rel["share_max"], rel["confidence"]) == (0.0, 100.0, "reported")
    assert rel["observed"] == "2025-01-07"
    assert "without stating a share" in rel["note"]
    # line 25 has no Source Url: cited by file and line
    assert rel["source_ref"].startswith("DoD 1260H list, dod_chinese_milcorps__sanctions.csv:25; https://")
    hik = dod.entity(HIKVISION)
    assert sorted(x["start"] for x in hik["listings"]) == ["2021-06-03", "2025-01-07", "2026-06-08"]
    lst = next(x for x in hik["listings"] if x["start"] == "2021-06-03")
    assert lst["source_ref"] == "DoD 1260H list, dod_chinese_milcorps__sanctions.csv:25"


def test_real_every_parent_is_an_owns_relation(dod: gk.OwnershipGraph, dod_csv: Path) -> None:
    with dod_csv.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["Parent Name"]]
    assert len(rows) == 197
    owns = dod.relations[dod.relations["kind"] == "owns"]
    assert len(owns) == len(dod.relations) == 136  # one per (parent, child) pair
    assert ((owns["share_min"] == 0) & (owns["share_max"] == 100)).all()
    assert (owns["confidence"] == "reported").all()
    pairs = set(zip(owns["source"], owns["target"]))
    # the entity of each Clean Name: by its name, else (a merged spelling) by its aliases
    ents = list(dod.entities[["id", "name", "aliases"]].itertuples(index=False))
    spelled = {n: eid for eid, _, aliases in ents for n in (aliases if aliases is not None else [])}
    spelled.update({name: eid for eid, name, _ in ents})
    for r in rows:
        child = spelled[r["Clean Name"]]
        parents = [s for s, t in pairs if t == child]
        names = {_slug(n) for s in parents
                 for n in [dod.name_of(s), *(dod.entity(s)["aliases"] or [])]}
        assert _slug(r["Parent Name"]) in names, r
    # every parent is itself a listed entity (by Clean Name or by Name as written)
    assert dod.listings["entity"].isin(owns["source"]).groupby(dod.listings["entity"]).any().sum() == 26
    assert not dod.entities["note"].notna().any()  # no unlisted-parent entities were needed
    casic = "dod1260h:china-aerospace-science-and-industry-corporation-limited"
    # 10 rows name CASIC, 5 of them as '... Limited (CASIC)': one parent, 5 distinct children
    assert (owns["source"] == casic).sum() == 5
    assert (casic, "dod1260h:addsino-co-ltd") in pairs


def test_real_merged_spellings(dod: gk.OwnershipGraph) -> None:
    a = dod.entity("dod1260h:addsino-co-ltd")
    assert a["name"] == "Addsino Co., Ltd."  # the 2026 edition's spelling
    assert "Addsino Co. Ltd." in a["aliases"]
    assert len(a["listings"]) == 2


def test_real_ndaa889(shared_data: Path) -> None:
    g = read_ndaa889(shared_data / "us-china-lists" / "special_leg__section_889.csv")
    assert sorted(g.entities["name"]) == ["Dahua Technology Company",
                                          "Hangzhou Hikvision Digital Technology Company",
                                          "Huawei Technologies Company",
                                          "Hytera Communications Corporation", "ZTE Corporation"]
    assert set(g.listings["list"]) == {"us-ndaa-889"} and len(g.listings) == 5
    # the statute names them: listed from the day it became law (Pub. L. 115-232, 2018-08-13), said in the note
    assert set(g.listings["start"]) == {"2018-08-13"} and not g.problems
    assert g.listings["note"].str.contains("Pub. L. 115-232").all()
    assert not g.listed_mask("2018-08-12").any() and g.listed_mask("2018-08-13").sum() == 5
    assert set(g.listings["source_ref"]) == {"https://www.congress.gov/115/plaws/publ232/PLAW-115publ232.pdf"}


# -- small inline files --------------------------------------------------------------------

def _write(tmp_path: Path, body: str, name: str = "dod.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_unlisted_parent_and_bad_dates(tmp_path: Path) -> None:
    path = _write(tmp_path,
                  "Child Co. (CC)*,Child Co.,CC,Old Child Co.; OCC,Mystery Holdings Ltd.,,2021-06-03,,\n"
                  "Child Co.,Child Co.,,,Mystery Holdings Ltd.,A note.,2025-01-07,sometime,\n"
                  "Other Co,Other Co,,,,,June 2021,,\n")
    g = read_dod1260h(path)
    parent = g.entity("dod1260h:mystery-holdings-ltd")
    assert parent["kind"] == "company" and "not itself a row" in parent["note"]
    [rel] = g.relations.to_dict("records")
    assert (rel["source"], rel["target"]) == ("dod1260h:mystery-holdings-ltd", "dod1260h:child-co")
    assert rel["observed"] == "2025-01-07"
    child = g.entity("dod1260h:child-co")
    assert child["aliases"] == ["CC", "Old Child Co.", "OCC", "Child Co. (CC)"]
    where = [(p.line, p.column, p.value, p.action) for p in g.problems]
    assert where == [(3, "End date", "sometime", "kept"), (4, "Start date", "June 2021", "kept")]
    lst = g.listings.set_index("id")
    assert lst.loc["dod1260h:child-co:2025-01-07", "note"] == "A note. End date as written: 'sometime'"
    assert pd.isna(lst.loc["dod1260h:other-co:4", "start"])


def test_malformed_row_and_empty_names(tmp_path: Path) -> None:
    path = _write(tmp_path,
                  "A Co,A Co,,,,,2021-06-03,,,extra,cells\n"
                  ",,,,,,2021-06-03,,\n"
                  "B Co (B)*,,,,,,2021-06-03,,\n"
                  "C Co,C Co,,,C Co,,2021-06-03,2020-01-01,\n")
    g = read_dod1260h(path)
    assert sorted(g.entities["id"]) == ["dod1260h:b-co-b", "dod1260h:c-co"]
    got = [(p.line, p.column, p.action) for p in g.problems]
    # an end before its start: the listing is kept with both dates unknown (in force: the cautious reading)
    assert got == [(2, None, "rejected"), (3, "Clean Name", "rejected"), (4, "Clean Name", "kept"),
                   (5, "target", "rejected"), (5, "end", "kept")]
    c_listing = g.listings.set_index("entity").loc["dod1260h:c-co"]
    assert pd.isna(c_listing["start"]) and pd.isna(c_listing["end"])
    assert all(p.file == str(path) for p in g.problems)
    with pytest.raises(gk.GraphValidationError):
        read_dod1260h(path, strict=True)


def test_bad_encoding_missing_column_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "latin.csv"
    bad.write_bytes((HEADER + "Caf\xe9 Co,Caf\xe9 Co,,,,,2021-06-03,,\n").encode("latin-1"))
    with pytest.raises(gk.ReadError, match=r"latin\.csv:2:4: byte"):
        read_dod1260h(bad)
    short = tmp_path / "short.csv"
    short.write_text("Name,Clean Name\nA,A\n", encoding="utf-8")
    with pytest.raises(gk.ReadError, match="short.csv:1: no column 'Alias'"):
        read_dod1260h(short)
    with pytest.raises(gk.ReadError, match="no such file"):
        read_dod1260h(tmp_path / "nope.csv")


def test_real_ndaa1286_is_its_own_list(shared_data: Path) -> None:
    """The section 1286 file is read by the same reader but is another list: institutions of
    concern, not the five section 889 companies."""
    path = shared_data / "us-china-lists" / "special_leg__section_1286.csv"
    g = read_ndaa889(path)
    assert set(g.listings["list"]) == {"us-ndaa-1286"}
    # four names differ between editions only in case or punctuation: merged and reported
    assert [(p.line, p.column, p.action) for p in g.problems] == [
        (210, "name", "kept"), (311, "name", "kept"), (383, "name", "kept"), (431, "name", "kept")]
    assert "Sun Yat-sen University" in g.entity("ndaa889:sun-yat-sen-university")["aliases"]
    assert len(g.listings) == sum(1 for _ in path.open(encoding="utf-8")) - 1  # every row listed
    assert "Academy of Military Medical Sciences" in set(g.entities["name"])
    assert read_any(path).listings["list"].tolist() == g.listings["list"].tolist()


def _special_leg(path: Path, *rows: str) -> Path:
    """A CSV in OpenSanctions' special_leg layout with ``rows`` under its header."""
    path.write_text("schema,name,aliases,topics,program,authority,reason,report-date,start-date,"
                    "end-date,country,notes,source_url\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_ndaa_program_decides_the_list(tmp_path: Path) -> None:
    path = _special_leg(tmp_path / "legs.csv",
                        "Company,Foo Corp,,debarment,Section 889 of the NDAA,Congress,,,,,,,",
                        "Company,Bar Institute,,debarment,Section 1286 of the NDAA,DoD,,,,,,,",
                        "Company,Baz Lab,,debarment,Some other law,DoD,,,,,,,")
    g = read_ndaa889(path)
    assert g.listings["list"].tolist() == ["us-ndaa-889", "us-ndaa-1286", "us-ndaa-889"]
    assert g.listings["source_ref"].tolist()[:2] == ["NDAA s.889, legs.csv:2", "NDAA s.1286, legs.csv:3"]
    [p] = g.problems
    assert (p.line, p.column, p.value, p.action) == (4, "program", "Some other law", "kept")
    assert "neither section 889 nor 1286" in p.message
    assert read_any(path).listings["list"].tolist() == g.listings["list"].tolist()


def test_ndaa889_inline(tmp_path: Path) -> None:
    path = _special_leg(tmp_path / "s889.csv",
                        "Company,Foo Corp,Foo;FC,debarment,Section 889,Congress,,,,,Atlantis,,",
                        "Vessel,Bar Ship,,debarment,Section 889,Congress,,,2019-13-01,,cn,,")
    g = read_ndaa889(path)
    foo, bar = g.entity("ndaa889:foo-corp"), g.entity("ndaa889:bar-ship")
    assert foo["aliases"] == ["Foo", "FC"] and foo["country"] is None
    assert bar["kind"] == "legal_entity" and bar["country"] == "CN"
    assert foo["listings"][0]["source_ref"] == "NDAA s.889, s889.csv:2"
    got = [(p.line, p.column, p.value, p.action) for p in g.problems]
    assert got == [(2, "country", "Atlantis", "kept"), (3, "schema", "Vessel", "kept"),
                   (3, "start-date", "2019-13-01", "kept")]


# -- NDAA 1286: editions give the listing dates ------------------------------------------------

def test_real_ndaa1286_dates_from_the_edition(shared_data: Path) -> None:
    """Tianjin University is first named in the 2022 edition: not listed in 2019."""
    g = read_ndaa889(shared_data / "us-china-lists" / "special_leg__section_1286.csv")
    assert g.listings["start"].notna().all()
    assert g.listings["start"].value_counts().to_dict() == {"2025": 156, "2024": 134, "2023": 105, "2022": 48}
    tju = g.entity("ndaa889:tianjin-university")
    assert sorted(x["start"] for x in tju["listings"]) == ["2022", "2023", "2024", "2025"]
    assert all("start: the report date of the edition that names it" in x["note"] for x in tju["listings"])
    assert tju["country"] == "CN"  # only line 436 (the 2025 row) gives it
    def listed(day: str) -> set[str]:
        return set(g.entities["id"][g.listed_mask(as_of=day)])

    assert "ndaa889:tianjin-university" not in listed("2019-06-01")
    assert "ndaa889:tianjin-university" in listed("2022-06-01")
    assert not listed("2021-12-31")  # the first edition is the 2022 one


def test_ndaa_report_date_start_country_and_merge(tmp_path: Path) -> None:
    path = _special_leg(tmp_path / "s1286.csv",
                        "Company,Foo University,,debarment,Section 1286,DoD,,2022,,,,,",
                        "Company,Foo university,,debarment,Section 1286,DoD,,2023,,,China,,",
                        "Company,Foo University,,debarment,Section 1286,DoD,,2024,2021-05-01,,Russia,,",
                        "Company,Bar Lab,,debarment,Section 1286,DoD,,soon,,,,,")
    g = read_ndaa889(path)
    foo = g.entity("ndaa889:foo-university")
    assert foo["name"] == "Foo University" and foo["aliases"] == ["Foo university"]
    assert foo["country"] == "CN"  # the first country its rows give
    periods = sorted((x["start"], x["note"]) for x in foo["listings"])
    assert [s for s, _ in periods] == ["2021-05-01", "2022", "2023"]  # start-date wins over report-date
    assert periods[0][1] is None and "report date of the edition" in periods[1][1]
    got = [(p.line, p.column, p.value, p.action) for p in g.problems]
    assert got == [(3, "name", "Foo university", "kept"), (4, "country", "Russia", "kept"),
                   (5, "report-date", "soon", "kept")]
    assert pd.isna(g.entity("ndaa889:bar-lab")["listings"][0]["start"])


def test_ndaa_without_report_date_column(tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    path.write_text("schema,name,aliases,program,start-date,end-date,country,notes,source_url\n"
                    "Company,ZTE Corporation,,Section 889,,,China,,\n", encoding="utf-8")
    g = read_ndaa889(path)
    assert g.listings["start"].tolist() == ["2018-08-13"] and not g.problems  # section 889: the statute's date
    assert g.entity("ndaa889:zte-corporation")["country"] == "CN"


# -- DoD 1260H: one company across editions -----------------------------------------------------

def test_trailing_parenthesis_and_legal_form_merge(tmp_path: Path) -> None:
    path = _write(tmp_path,
                  "Dawning Co Ltd,Dawning Information Industry Co Ltd,,,,,2022-10-05,,\n"
                  "Dawning (Sugon),Dawning Information Industry Co Ltd (Sugon),Sugon,,,,2025-01-07,,\n"
                  "SpaceSat,China SpaceSat Co.,,,,,2021-06-03,,\n"
                  "SpaceSat,\"China SpaceSat Co., Ltd.\",,,,,2025-01-07,,\n"
                  "Sugon Sub,Sugon Sub Co,,,Dawning Information Industry Co Ltd (Sugon),,2025-01-07,,\n"
                  "Other Group,Other Group,,,,,2021-06-03,,\n"
                  "Other Group Co,Other Group (Beijing) Co,,,,,2021-06-03,,\n")
    g = read_dod1260h(path)
    assert sorted(g.entities["id"]) == [
        "dod1260h:china-spacesat-co", "dod1260h:dawning-information-industry-co-ltd",
        "dod1260h:other-group", "dod1260h:other-group-beijing-co", "dod1260h:sugon-sub-co"]
    d = g.entity("dod1260h:dawning-information-industry-co-ltd")
    assert d["name"] == "Dawning Information Industry Co Ltd (Sugon)"  # the latest edition's
    assert "Dawning Information Industry Co Ltd" in d["aliases"] and len(d["listings"]) == 2
    [rel] = g.relations.to_dict("records")  # the parent named with "(Sugon)" is the merged entity
    assert (rel["source"], rel["target"]) == (d["id"], "dod1260h:sugon-sub-co")
    msgs = [(p.line, p.message) for p in g.problems]
    assert [line for line, _ in msgs] == [3, 5]
    assert "only by the trailing '(Sugon)'" in msgs[0][1]
    assert "only in a trailing legal form" in msgs[1][1]
    assert all(p.action == "kept" and p.column == "Clean Name" for p in g.problems)
