"""graphkit.io.ftm: the real OpenSanctions Zala Aero / LLC CST cluster, and small bad inputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import graphkit as gk
from graphkit.io.ftm import read_ftm

CST = "ftm:NK-abdzbEBkqyT29GyREbiURZ"  # LLC CST (Zala Aero Group)
ZALA_JSC = "ftm:NK-cPks3aTbes8k4aCerfBAzN"  # JSC "Zala Aero" (registered 2024)
KALASHNIKOV = "ftm:NK-nR5AXM9AVPq4pQaSPSaVam"
ZAKHAROV = "ftm:NK-aU5ybkbRFJucf8YMwsJvDw"  # Alexander Vyacheslavovich Zakharov
NIKITA = "ftm:NK-JseaPJctnK9o8wrmz8xmoT"
LAVRENTIY = "ftm:NK-hUAjuiA3vTKXF6v2X6MYnS"
ABASHKIN = "ftm:NK-mCEmxFfuhfdjpC8gsxH74o"
ASSOCIATION = "ftm:NK-SiYwWfxwLVrVeFswsvAvsm"  # Association of Unmanned Systems


@pytest.fixture(scope="module")
def zala(shared_data: Path) -> gk.OwnershipGraph:
    return read_ftm(shared_data / "ftm-zala" / "entities.ftm.json")


def _rel(g: gk.OwnershipGraph, rid: str) -> dict[str, Any]:
    rows = g.relations[g.relations["id"] == rid].to_dict("records")
    assert len(rows) == 1, rid
    return rows[0]


def _lst(g: gk.OwnershipGraph, lid: str) -> dict[str, Any]:
    rows = g.listings[g.listings["id"] == lid].to_dict("records")
    assert len(rows) == 1, lid
    return rows[0]


# -- the real file -------------------------------------------------------------------------

def test_real_counts(zala: gk.OwnershipGraph) -> None:
    kinds = zala.entities["kind"].astype(str).value_counts().to_dict()
    # 11 Company, 6 Person, 11 Address lines + 16 address stubs (addressEntity ids not in the file)
    assert kinds == {"address": 27, "company": 11, "person": 6}
    rels = zala.relations["kind"].astype(str).value_counts().to_dict()
    assert rels == {"registered_at": 27, "owns": 14, "linked_to": 4, "officer_of": 3}
    assert len(zala.listings) == 41
    assert zala.listings["list"].astype(str).value_counts().to_dict() == {
        "other": 35, "us-ofac-sdn": 3, "eu-fsf": 2, "us-bis-entity-list": 1}
    assert (zala.relations["confidence"] == "reported").all()
    assert (zala.listings["confidence"] == "confirmed").all()


def test_real_problems_are_the_missing_addresses(zala: gk.OwnershipGraph) -> None:
    # The file is closed for owners, assets, directors and sanctioned entities, but 16
    # addressEntity references point to Address entities the fixture did not include.
    assert len(zala.problems) == 16
    assert {(p.action, p.column) for p in zala.problems} == {("stub", "addressEntity")}
    first = zala.problems[0]
    assert first.file and first.file.endswith("entities.ftm.json")
    assert (first.line, first.value) == (1, "addr-bb65387b6e14a1dba2427e79358ba418377b9f28")
    stub = zala.entity("ftm:addr-bb65387b6e14a1dba2427e79358ba418377b9f28")
    assert stub["kind"] == "address"
    assert "272 Pushkinskaya St., Apt. 41, Izhevsk, 426008" in stub["note"]


def test_real_entities(zala: gk.OwnershipGraph) -> None:
    cst = zala.entity(CST)
    assert (cst["name"], cst["kind"], cst["country"]) == ("LLC CST", "company", "RU")
    assert {"inn:1841015504", "ogrn:1101841007938", "ofac_ent_num:45928",
            "ofac_ent_num:45934"} <= set(cst["identifiers"])
    assert {"Zala Aero", "ZALA Aero Group", "TsST"} <= set(cst["aliases"])
    assert "incorporated: 2010-12-24" in cst["note"]
    assert "us_ofac_sdn" in cst["datasets"].split(";")
    assert cst["first_seen"] == "2023-04-20" and cst["last_seen"] == "2026-04-29"
    assert "OpenSanctions datasets: " in cst["source_ref"]
    # the caption, not the first `name` (which is the former name)
    kal = zala.entity(KALASHNIKOV)
    assert kal["name"] == "JSC Kalashnikov Concern"
    assert "JSC NPO IZHMASH" in kal["aliases"]
    zak = zala.entity(ZAKHAROV)
    assert (zak["name"], zak["kind"], zak["country"]) == (
        "Alexander Vyacheslavovich ZAKHAROV", "person", "RU")
    assert "born: 1965-09-21" in zak["note"]
    # a Passport record with only a holder: noted, not lost
    assert "Passport record gb-fcdo-217caa5aa607244044b49706d04d8d6c5ec992bd" in zak["note"]
    assert "passport:089132114" in zala.entity(LAVRENTIY)["identifiers"]
    addr = zala.entity("ftm:NK-oPoYieLmcZgkCCnJGPRhBN")
    assert addr["name"] == "P.O. Box 9050, Izhevsk, Russian Federation, 426011"
    assert addr["kind"] == "address" and addr["country"] == "RU"


def test_real_ownership_of_cst(zala: gk.OwnershipGraph) -> None:
    r = zala.relations
    owners = r[(r["target"] == CST) & (r["kind"] == "owns")]
    assert len(owners) == 7
    kal = _rel(zala, "ftm:ru-29477727b21c0f44d9c8b2e0c3697b8e028f8f5f")
    assert (kal["source"], kal["share_min"], kal["share_max"], kal["start"], kal["end"]) == (
        KALASHNIKOV, 49.0, 49.0, "2016-03-29", None)
    assert "shares: 6401.77" in kal["note"]
    assert kal["observed"] == "2026-04-23"
    assert "ext_ru_egrul" in kal["source_ref"]
    zak = _rel(zala, "ftm:ru-dfe0a021cb69f99e198bb8cbbcb93e81130b32a7")
    assert (zak["source"], zak["share_min"], zak["share_max"], zak["start"]) == (
        ZAKHAROV, 51.0, 51.0, "2015-11-25")
    ended = _rel(zala, "ftm:ru-770bdf5f22537fa2a94176f53fa87fe28ecf94fa")
    assert (ended["share_min"], ended["start"], ended["end"]) == (50.0, "2015-11-25", "2023-03-02")
    # UK FCDO "subsidiary of": no percentage -> unknown share 0..100
    sub = _rel(zala, "ftm:NK-3NyeuT6JeJDLhGEyH3JD52")
    assert (sub["source"], sub["share_min"], sub["share_max"]) == (KALASHNIKOV, 0.0, 100.0)
    assert "role: subsidiary of" in sub["note"]


def test_real_ownership_of_zala_aero_jsc(zala: gk.OwnershipGraph) -> None:
    rel = _rel(zala, "ftm:ru-d8c939aacb1246eaa23ea7277fcfe4563cdb9f18")
    assert (rel["source"], rel["target"], rel["kind"]) == (ZAKHAROV, ZALA_JSC, "owns")
    assert (rel["share_min"], rel["share_max"]) == (0.0, 100.0)  # EGRUL gives shares, no percentage
    assert (rel["start"], rel["end"]) == ("2024-03-22", "2024-06-24")
    assert "shares: 10000" in rel["note"]
    aeroscan = _rel(zala, "ftm:ru-159c785ad927d3e153b23a26620730465ed26f1c")
    assert (aeroscan["share_min"], aeroscan["start"], aeroscan["end"]) == (
        100.0, "2024-03-01", "2024-03-24")


def test_real_directorships_and_family(zala: gk.OwnershipGraph) -> None:
    ofac = _rel(zala, "ftm:ofac-d8ecdd62dca8ba39b832a77c170926630683ea05")
    assert (ofac["source"], ofac["target"], ofac["kind"], ofac["role"]) == (
        ZAKHAROV, CST, "officer_of", "Leader or official of")
    assert ofac["start"] is None and ofac["observed"] == "2026-04-29"
    assoc = _rel(zala, "ftm:ru-a3e0c9ed6b5611383fdcd0fe8c8f100e6d31cadb")
    assert (assoc["source"], assoc["target"], assoc["role"], assoc["start"]) == (
        ZAKHAROV, ASSOCIATION, "Исполнительный директор", "2005-07-11")
    ceo = _rel(zala, "ftm:ru-a9285fbd0d02aebe28295dd37885191822789ad8")
    assert (ceo["source"], ceo["target"], ceo["role"], ceo["start"]) == (
        ABASHKIN, CST, "ГЕНЕРАЛЬНЫЙ ДИРЕКТОР", "2017-10-23")
    fam = _rel(zala, "ftm:ofac-6d023267c742427bc92220ad97daca2e17b136ff")
    assert (fam["source"], fam["target"], fam["kind"]) == (NIKITA, ZAKHAROV, "linked_to")
    assert "FtM Family" in fam["note"] and "relationship: Family member of" in fam["note"]


def test_real_sanctions(zala: gk.OwnershipGraph) -> None:
    eu = _lst(zala, "ftm:eu-fsf-fca984f109185655c61bb72201265924b6afe734")
    assert (eu["entity"], eu["list"], eu["program"], eu["start"], eu["end"]) == (
        ZAKHAROV, "eu-fsf", "UKR", "2025-02-24", None)
    assert eu["source_ref"].endswith(
        "(OpenSanctions datasets: eu_fsf); https://eur-lex.europa.eu/legal-content/EN/TXT/PDF/"
        "?uri=OJ:L_202500389")
    assert "authority: Directorate‑General for Financial Stability" in eu["note"]
    assert "authority id: EU.12789.10" in eu["note"]
    # EU listing of LLC CST: in force from 2023-12-18 (startDate), re-listed 2025-03-15
    cst_eu = _lst(zala, "ftm:eu-fsf-6ac27c949ff687d02ddec05f5e53ce9c6690e34f")
    assert cst_eu["start"] == "2023-12-18" and "listing date: 2025-03-15" in cst_eu["note"]
    sdn = _lst(zala, "ftm:ofac-927f7a4547f68cd05570180fed763dd2d5d8eca7")
    assert (sdn["entity"], sdn["list"], sdn["program"]) == (
        ZAKHAROV, "us-ofac-sdn", "RUSSIA-EO14024")
    assert "authority: Office of Foreign Assets Control" in sdn["note"]
    bis = _lst(zala, "ftm:trade-csl-220a432fb6c7fd3e4d3af470f0f86f1f8e1ca513")
    assert (bis["entity"], bis["list"], bis["start"]) == (CST, "us-bis-entity-list", "2023-11-02")
    assert "authority id: 88 FR 76128" in bis["note"]
    ua = _lst(zala, "ftm:ua-nsdc-3531f935d268a134880b64ba29518e35dafd049f")
    assert (ua["list"], ua["start"], ua["end"]) == ("other", "2023-07-01", "2033-07-01")
    assert ua["program"] == "National Security and Defense Council: 364/2023 [ua_nsdc_sanctions]"
    # SAM.gov exclusions say authority "OFAC" but are not SDN listings
    sam = zala.listings[zala.listings["program"].str.contains("us_sam_exclusions", regex=False)]
    assert len(sam) == 5 and (sam["list"] == "other").all()
    assert zala.listings[zala.listings["entity"] == CST].shape[0] == 28
    assert zala.listings[zala.listings["entity"] == ZAKHAROV].shape[0] == 13


def test_real_ids_are_stable_and_graph_round_trips(zala: gk.OwnershipGraph, shared_data: Path,
                                                   tmp_path: Path) -> None:
    again = read_ftm(shared_data / "ftm-zala" / "entities.ftm.json")
    for name in ("entities", "relations", "listings"):
        assert getattr(again, name)["id"].tolist() == getattr(zala, name)["id"].tolist()
    loaded = gk.load(zala.save(tmp_path / "g"))
    assert len(loaded.relations) == len(zala.relations) and len(loaded.problems) == 16


def test_real_path_from_zala_aero_to_a_listed_owner(zala: gk.OwnershipGraph) -> None:
    found = gk.paths(zala, ZALA_JSC, as_of="2024-05-01")
    assert found and found[0].nodes == [ZALA_JSC, ZAKHAROV]
    assert gk.paths(zala, ZALA_JSC, as_of="2025-01-01", kinds=["owns"]) == []


def test_real_list_map(shared_data: Path) -> None:
    g = read_ftm(shared_data / "ftm-zala" / "entities.ftm.json",
                 list_map={"gb_fcdo_sanctions": "other", "us_ofac_sdn": "us-ofac-nonsdn"})
    assert (g.listings["list"] == "us-ofac-nonsdn").sum() == 3  # the caller's map comes first


# -- small inputs --------------------------------------------------------------------------

def _ent(eid: str, schema: str, **props: Any) -> dict[str, Any]:
    return {"id": eid, "schema": schema, "caption": eid, "datasets": ["test"],
            "last_seen": "2025-01-02T03:04:05",
            "properties": {k: v if isinstance(v, list) else [v] for k, v in props.items()}}


def _write(tmp_path: Path, *lines: dict[str, Any] | str) -> Path:
    path = tmp_path / "entities.ftm.json"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n",
                    encoding="utf-8")
    return path


BASE = (_ent("a", "Company", name="Alpha LLC", jurisdiction="cn"),
        _ent("p", "Person", name="Ivan Petrov", nationality="ru"))


def test_broken_json_line_is_reported_and_the_rest_read(tmp_path: Path) -> None:
    path = _write(tmp_path, *BASE, '{"id": "b", "schema": "Company", "properties": {"name": ["B"]',
                  "", _ent("o", "Ownership", owner="p", asset="a", percentage="50"))
    g = read_ftm(path)
    [p] = g.problems
    assert (p.file, p.line, p.column, p.action) == (str(path), 3, "62", "rejected")
    assert "not valid JSON" in p.message
    assert len(g.entities) == 2 and len(g.relations) == 1
    assert g.relations["id"].tolist() == ["ftm:o"]


def test_unknown_schema_is_rejected_by_name_and_line(tmp_path: Path) -> None:
    g = read_ftm(_write(tmp_path, *BASE, _ent("pos", "Position", name="Minister"),
                        _ent("x", "Spaceship", name="Enterprise")))
    assert [(p.line, p.column, p.value, p.action) for p in g.problems] == [
        (3, "schema", "Position", "rejected"), (4, "schema", "Spaceship", "rejected")]
    assert "'Spaceship'" in g.problems[1].message and "'x'" in g.problems[1].message
    assert len(g.entities) == 2


def test_percentage_over_100_is_kept_with_an_unknown_share(tmp_path: Path) -> None:
    g = read_ftm(_write(tmp_path, *BASE, _ent("o", "Ownership", owner="p", asset="a",
                                              percentage="150", startDate="2020-01-01")))
    [p] = g.problems
    assert (p.line, p.column, p.value, p.action) == (3, "percentage", "150", "kept")
    assert "over 100%" in p.message
    rel = g.relations.iloc[0]
    assert (rel["share_min"], rel["share_max"], rel["start"]) == (0.0, 100.0, "2020-01-01")
    assert "percentage as given: 150" in rel["note"]


def test_several_percentages_give_their_envelope(tmp_path: Path) -> None:
    g = read_ftm(_write(tmp_path, *BASE, _ent("o", "Ownership", owner="p", asset="a",
                                              percentage=["30", "25-50", "more than 25%"])))
    rel = g.relations.iloc[0]
    assert (rel["share_min"], rel["share_max"], rel["observed"]) == (25.0, 100.0, "2025-01-02")
    assert not g.problems


def test_dangling_owner_gets_a_stub(tmp_path: Path) -> None:
    g = read_ftm(_write(tmp_path, *BASE, _ent("o", "Ownership", owner="ghost", asset="a"),
                        _ent("f", "Family", person="p", relative="cousin", relationship="cousin")))
    assert [(p.line, p.column, p.value, p.action) for p in g.problems] == [
        (3, "owner", "ghost", "stub"), (4, "relative", "cousin", "stub")]
    assert g.entity("ftm:ghost")["kind"] == "legal_entity"
    assert g.entity("ftm:cousin")["kind"] == "person"  # Family's range is Person
    assert "not in the file" in g.entity("ftm:ghost")["note"]
    assert len(g.relations) == 2


def test_reference_to_a_rejected_record_says_so(tmp_path: Path) -> None:
    g = read_ftm(_write(tmp_path, *BASE, _ent("re", "RealEstate", name="Dacha"),
                        _ent("o", "Ownership", owner="p", asset="re"),
                        _ent("u", "UnknownLink", subject="a", object="o", role="partner")))
    assert [(p.line, p.action) for p in g.problems] == [(3, "rejected"), (4, "stub"), (5, "stub")]
    assert "was left out (schema 'RealEstate', line 3)" in g.problems[1].message
    assert "is the Ownership record at line 4, not an entity" in g.problems[2].message
    link = g.relations[g.relations["id"] == "ftm:u"].iloc[0]
    assert (link["kind"], link["note"]) == ("linked_to", "FtM UnknownLink; role: partner")


def test_sanction_list_codes_and_list_map(tmp_path: Path) -> None:
    sdn = {**_ent("s1", "Sanction", entity="a", program="RUSSIA-EO14024"),
           "datasets": ["us_ofac_sdn"]}
    bis = _ent("s2", "Sanction", entity="a", authority="Bureau of Industry and Security",
               listingDate=["2023-05-01", "2022-01-01"], endDate="2030-01-01")
    gone = _ent("s3", "Sanction", entity="nobody", authority="Somewhere")
    path = _write(tmp_path, *BASE, sdn, bis, gone)
    g = read_ftm(path)
    assert g.listings["list"].astype(str).tolist() == ["us-ofac-sdn", "other", "other"]
    row = g.listings.iloc[1]
    assert (row["start"], row["end"]) == ("2022-01-01", "2030-01-01")
    assert row["program"] == "Bureau of Industry and Security [test]"
    assert [(p.line, p.column, p.action) for p in g.problems] == [(5, "entity", "stub")]
    mapped = read_ftm(path, list_map={"industry and SECURITY": "us-bis-entity-list",
                                      "us_ofac_sdn": "us-ofac-nonsdn"})
    assert mapped.listings["list"].astype(str).tolist()[:2] == [
        "us-ofac-nonsdn", "us-bis-entity-list"]
    bad = read_ftm(path, list_map={"test": "no-such-list"})
    assert any(p.column == "list" and p.table == "listings" for p in bad.problems)


def test_bad_values_are_kept_and_noted(tmp_path: Path) -> None:
    g = read_ftm(_write(tmp_path, _ent("a", "Company", name="Alpha", jurisdiction=["zz", "hk"]),
                        _ent("p", "Person", name="Ivan"),
                        _ent("d", "Directorship", director="p", organization="a",
                             role="director", startDate="2023-13-45")))
    assert [(p.line, p.column, p.value, p.action) for p in g.problems] == [
        (1, "jurisdiction", "zz", "kept"), (3, "startDate", "2023-13-45", "kept")]
    assert g.entity("ftm:a")["country"] == "HK"
    rel = g.relations.iloc[0]
    assert (rel["kind"], rel["role"]) == ("officer_of", "director") and pd.isna(rel["start"])
    assert "startDate as given: 2023-13-45" in rel["note"]


def test_identification_and_passport(tmp_path: Path) -> None:
    g = read_ftm(_write(tmp_path, *BASE,
                        _ent("pp", "Passport", holder="p", number="AB123", country="ru"),
                        _ent("id", "Identification", holder="p", type="National ID", number="77"),
                        _ent("lost", "Passport", holder="nobody", number="X1")))
    assert g.entity("ftm:p")["identifiers"] == ["passport:AB123", "national_id:77"]
    [p] = g.problems
    assert (p.line, p.column, p.value) == (5, "holder", "nobody")


def test_address_entities_and_registered_at(tmp_path: Path) -> None:
    g = read_ftm(_write(tmp_path,
                        _ent("a", "Company", name="Alpha", addressEntity=["ad", "gone"],
                             address="1 Main St"),
                        _ent("ad", "Address", street="1 Main St", city="Shanghai", country="cn")))
    assert g.entity("ftm:ad")["name"] == "1 Main St, Shanghai"
    assert "address as written: 1 Main St" in g.entity("ftm:a")["note"]
    assert sorted(g.relations["target"]) == ["ftm:ad", "ftm:gone"]
    assert g.entity("ftm:gone")["kind"] == "address"
    assert [(p.line, p.column, p.action) for p in g.problems] == [(1, "addressEntity", "stub")]


def test_several_endpoints_give_numbered_ids(tmp_path: Path) -> None:
    g = read_ftm(_write(tmp_path, *BASE, _ent("b", "Company", name="Beta"),
                        _ent("o", "Ownership", owner=["p", "b"], asset="a")))
    assert g.relations["id"].tolist() == ["ftm:o", "ftm:o#2"]


def test_duplicate_ids_and_non_objects(tmp_path: Path) -> None:
    g = read_ftm(_write(tmp_path, *BASE, _ent("a", "Company", name="Again"), "[1, 2]"))
    lines = sorted((p.line, p.column) for p in g.problems)
    assert lines == [(3, "id"), (4, None)]
    assert g.entity("ftm:a")["name"] == "Alpha LLC"


def test_strict_raises(tmp_path: Path) -> None:
    path = _write(tmp_path, *BASE, _ent("o", "Ownership", owner="ghost", asset="a"))
    with pytest.raises(gk.GraphValidationError, match="ghost"):
        read_ftm(path, strict=True)
    assert len(read_ftm(_write(tmp_path, *BASE), strict=True)) == 2


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(gk.ReadError, match="no such file"):
        read_ftm(tmp_path / "missing.json")
    bad = tmp_path / "latin1.json"
    bad.write_bytes(json.dumps(BASE[0]).encode() + b'\n{"id": "x\xe9"}\n')
    with pytest.raises(gk.ReadError, match=r"latin1\.json:2:10: .*not valid UTF-8"):
        read_ftm(bad)
    csv = tmp_path / "entities.csv"
    csv.write_text("id,name,kind\na,Alpha,company\n", encoding="utf-8")
    with pytest.raises(gk.ReadError, match=r"entities\.csv:1:1: .*not FtM JSON lines"):
        read_ftm(csv)


def test_empty_file_gives_an_empty_graph(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_text("\n", encoding="utf-8")
    g = read_ftm(path)
    assert len(g) == 0 and isinstance(g.relations, pd.DataFrame) and not g.problems
