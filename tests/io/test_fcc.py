"""graphkit.io.fcc: the real FCC Covered List transcription, and small odd inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

import graphkit as gk
from graphkit.errors import GraphValidationError, ReadError
from graphkit.io.detect import read_any
from graphkit.io.fcc import covered_companies, read_fcc_covered

HEADER = "covered_equipment_or_services,date_of_inclusion_on_covered_list\n"


@pytest.fixture(scope="module")
def fcc(shared_data: Path) -> gk.OwnershipGraph:
    return read_any(shared_data / "us-china-lists" / "fcc_covered_list__table.csv")


def _write(tmp_path: Path, body: str) -> Path:
    f = tmp_path / "fcc.csv"
    f.write_text(HEADER + body, encoding="utf-8")
    return f


# -- the real file -------------------------------------------------------------------------

def test_real_file_every_entry_accounted_for(fcc: gk.OwnershipGraph) -> None:
    # 16 entries: 12 name companies (one names two), 4 cover a kind of equipment
    assert len(fcc.listings) == 13 and len(fcc) == 13
    assert set(fcc.listings["list"]) == {"us-fcc-covered"}
    assert len(fcc.problems) == 4
    assert {p.line for p in fcc.problems} == {13, 14, 16, 17}
    assert all("names no company" in p.message for p in fcc.problems)
    assert fcc.listings["start"].value_counts().to_dict() == {
        "2021-03-12": 5, "2022-03-25": 3, "2022-09-20": 3, "2024-07-23": 1, "2026-07-07": 1}


def test_real_file_names(fcc: gk.OwnershipGraph) -> None:
    names = set(fcc.entities["name"])
    assert {"Huawei Technologies Company", "ZTE Corporation", "Hytera Communications Corporation",
            "Hangzhou Hikvision Digital Technology Company", "Dahua Technology Company", "AO Kaspersky Lab",
            "China Mobile International USA Inc.", "China Telecom (Americas) Corp.", "Pacific Networks Corp",
            "ComNet (USA) LLC", "China Unicom (Americas) Operations Limited", "Kaspersky Lab, Inc.",
            "Digitalsystem Technology Inc."} == names


def test_real_file_subsidiary_and_scope(fcc: gk.OwnershipGraph) -> None:
    rel = fcc.relations.iloc[0]
    assert len(fcc.relations) == 1
    assert (rel["source"], rel["target"], rel["kind"]) == ("fcc:pacific-networks-corp", "fcc:comnet-usa-llc", "owns")
    assert float(rel["share_min"]) == float(rel["share_max"]) == 100.0
    assert rel["confidence"] == "reported"
    hik = fcc.listings.set_index("entity").loc["fcc:hangzhou-hikvision-digital-technology-company"]
    assert "to the extent it is used for the purpose of public safety" in hik["note"]
    assert "fcc.gov/supplychain/coveredlist" in hik["source_ref"] and ":5)" in hik["source_ref"]


def test_real_file_screens(fcc: gk.OwnershipGraph) -> None:
    out = gk.screen(fcc, ["Huawei Technologies Co., Ltd.", "ComNet USA LLC"], as_of="2026-08-01",
                    progress=False)
    assert out["id"].tolist() == ["fcc:huawei-technologies-company", "fcc:comnet-usa-llc"]
    assert out["lists"].tolist() == ["us-fcc-covered", "us-fcc-covered"]


# -- sentences -----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "names"), [
    ("Cybersecurity and anti-virus software produced or provided by Kaspersky Lab, Inc. or any of its "
     "successors and assignees.", ["Kaspersky Lab, Inc."]),
    ("Information security products, solutions, and services supplied, directly or indirectly, by AO "
     "Kaspersky Lab or any of its predecessors, successors, parents, subsidiaries, or affiliates.",
     ["AO Kaspersky Lab"]),
    ("International telecommunications services provided by Digitalsystem Technology Inc., subject to "
     "section 214 of the Communications Act of 1934.", ["Digitalsystem Technology Inc."]),
    ("Equipment produced by Example Widgets Ltd.", ["Example Widgets Ltd."]),
    ("Equipment produced by Example Widgets Ltd. Services are covered too.", ["Example Widgets Ltd."]),
    ("Telecommunications services provided by such entity.", []),
    ("Foreign-produced power inverters, except those with a Conditional Approval by DoW.", []),
])
def test_covered_companies(text: str, names: list[str]) -> None:
    assert covered_companies(text) == names


# -- odd inputs ------------------------------------------------------------------------------

def test_updated_dates_kept_in_note(tmp_path: Path) -> None:
    f = _write(tmp_path, '"Equipment produced by Example Widgets Ltd.","December 22, 2025Updated:January 7, '
                         '2026Updated:March 18, 2026"\n')
    g = read_fcc_covered(f)
    row = g.listings.iloc[0]
    assert row["start"] == "2025-12-22"
    assert "entry updated on 2026-01-07, 2026-03-18" in row["note"]


def test_bad_date_is_reported_and_the_listing_kept(tmp_path: Path) -> None:
    f = _write(tmp_path, '"Equipment produced by Example Widgets Ltd.","sometime in 2021"\n')
    g = read_fcc_covered(f)
    assert len(g.listings) == 1 and g.listings["start"].isna().all()
    (p,) = g.problems
    assert (p.line, p.column, p.action) == (2, "date_of_inclusion_on_covered_list", "kept")
    with pytest.raises(GraphValidationError, match="fcc.csv:2"):
        read_fcc_covered(f, strict=True)


def test_empty_entry_and_category_are_reported_with_lines(tmp_path: Path) -> None:
    f = _write(tmp_path, '"","March 12, 2021"\n"Routers produced in a foreign country.","March 23, 2026"\n')
    g = read_fcc_covered(f)
    assert len(g) == 0
    assert [(p.line, p.message.split(" (")[0]) for p in g.problems] == [
        (2, "the entry is empty"), (3, "names no company")]


def test_same_company_in_two_entries_is_one_entity(tmp_path: Path) -> None:
    f = _write(tmp_path, '"Equipment produced by Example Widgets Ltd.","March 12, 2021"\n'
                         '"Services provided by Example Widgets Ltd, including repairs.","March 12, 2022"\n')
    g = read_fcc_covered(f)
    assert len(g) == 1 and len(g.listings) == 2
    assert g.entity("fcc:example-widgets-ltd")["aliases"] == ["Example Widgets Ltd"]


def test_wrong_header_names_the_columns(tmp_path: Path) -> None:
    f = tmp_path / "fcc.csv"
    f.write_text("covered_equipment_or_services,date\nx,y\n", encoding="utf-8")
    with pytest.raises(ReadError, match="no column 'date_of_inclusion_on_covered_list'"):
        read_fcc_covered(f)


def test_strict_does_not_raise_for_category_entries(tmp_path: Path) -> None:
    f = _write(tmp_path, '"Equipment produced by Example Widgets Ltd.","March 12, 2021"\n'
                         '"Routers produced in a foreign country.","March 23, 2026"\n')
    g = read_fcc_covered(f, strict=True)
    assert len(g) == 1 and len(g.problems) == 1
