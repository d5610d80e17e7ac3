"""graphkit.io.bods: the BODS 0.4 example packages, and small bad inputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import graphkit as gk
from graphkit.errors import GraphValidationError, ReadError
from graphkit.io.bods import read_bods

PUB = {
    "publicationDate": "2020-03-04",
    "bodsVersion": "0.4",
    "publisher": {"name": "Test Register"},
}


@pytest.fixture(scope="module")
def bods(shared_data: Path) -> Path:
    return shared_data / "bods"


def _rel(g: gk.OwnershipGraph, rel_id: str) -> dict[str, Any]:
    row = g.relations.set_index("id").loc[rel_id]
    return {
        k: (None if not isinstance(v, (list, str)) and pd.isna(v) else v) for k, v in row.items()
    }


def _kinds(frame: pd.DataFrame) -> dict[str, int]:
    counts = frame["kind"].astype(str).value_counts()
    return {k: int(v) for k, v in counts.items()}


# -- the real files ------------------------------------------------------------------------


def test_real_folder_counts(bods: Path) -> None:
    g = read_bods(bods)  # 19 files, 119 statements
    assert not g.problems
    assert _kinds(g.entities) == {
        "company": 28,
        "person": 20,
        "address": 6,
        "legal_entity": 4,
        "public_body": 2,
    }
    assert _kinds(g.relations) == {
        "owns": 34,
        "linked_to": 10,
        "registered_at": 6,
        "controls": 5,
        "officer_of": 4,
        "front_for": 1,
    }
    assert g.relations["id"].is_unique and g.entities["id"].is_unique
    # the same relations, file by file, as read together
    one_by_one = sum(len(read_bods(f).relations) for f in sorted(bods.glob("*.json")))
    assert one_by_one == len(g.relations) == 60


def test_real_joint_ownership(bods: Path) -> None:
    g = read_bods(bods / "joint-ownership.json")
    assert (len(g.entities), len(g.relations)) == (5, 4)
    joint = g.entity("bods:91b4236a7d89")
    assert (joint["name"], joint["kind"], joint["note"]) == (
        "Joint shareholding",
        "legal_entity",
        "BODS arrangement",
    )
    chrinon = g.entity("bods:31c55e425764")
    assert (chrinon["name"], chrinon["country"], chrinon["identifiers"]) == (
        "CHRINON LTD",
        "GB",
        ["gb-coh:07444723"],
    )
    assert (
        g.name_of("bods:31c55e425764/address/1")
        == "Aston House, Cornwall Avenue, London, N3 1LF, United Kingdom"
    )
    whole = _rel(g, "bods:2670f25aee62/1")
    assert (
        whole["source"],
        whole["target"],
        whole["kind"],
        whole["share_min"],
        whole["share_max"],
    ) == ("bods:91b4236a7d89", "bods:31c55e425764", "owns", 100.0, 100.0)
    for rid, person in (("a86c50f8b3dd", "Natalie Coleman"), ("b391a41da07e", "Roberto Lopez")):
        half = _rel(g, f"bods:{rid}/1")
        assert g.name_of(half["source"]) == person
        assert (half["target"], half["share_min"], half["share_max"]) == (
            "bods:91b4236a7d89",
            50.0,
            50.0,
        )
        assert (half["start"], half["observed"], half["confidence"]) == (
            "2018-01-01",
            "2018-01-05",
            "reported",
        )
        assert half["note"] == "shareholding 50%; beneficial ownership or control"
        assert half["source_ref"].startswith("CHRINON LTD (BODS statement ")


def test_real_indirect_ownership(bods: Path) -> None:
    g = read_bods(bods / "indirect-ownership.json")
    assert (len(g.entities), len(g.relations)) == (3, 3)
    direct = _rel(g, "bods:4cf2837bd01f/1")  # Company B owns 60% of Company A
    assert (g.name_of(direct["source"]), g.name_of(direct["target"]), direct["share_min"]) == (
        "Company B",
        "Company A",
        60.0,
    )
    indirect = _rel(g, "bods:d8d75ccf40e4/1")  # Person 1, 30% of Company A through Company B
    assert (g.name_of(indirect["source"]), indirect["share_min"], indirect["share_max"]) == (
        "Person 1",
        30.0,
        30.0,
    )
    assert indirect["note"].startswith("indirect: shareholding 30%")
    assert "via 3 component records" in indirect["note"]
    unknown = _rel(g, "bods:05e81af035e4/1")
    assert (unknown["kind"], unknown["note"]) == ("linked_to", "interest type not given")


def test_real_fermcat_versions(bods: Path) -> None:
    g = read_bods(bods / "fermcat.json")  # 23 statements, 10 records
    assert (len(g.entities), len(g.relations)) == (5, 6)
    assert (g.relations["confidence"] == "confirmed").all()  # selfDeclaration
    patrick = _rel(g, "bods:rel-3fc02d9b6bdfd5ca/1")  # 50% updated to 100% on 2022-01-21
    assert (patrick["share_min"], patrick["start"], patrick["end"], patrick["observed"]) == (
        100.0,
        "2019-09-11",
        None,
        "2022-01-21",
    )
    assert (
        "latest of 4 statements for this record (earlier: 2019-09-11, 2020-09-11, 2021-09-11)"
        in patrick["note"]
    )
    riyadh = _rel(g, "bods:rel-b05e7c91e0a04e4f/1")  # closed, with the interest's endDate
    assert (riyadh["share_min"], riyadh["end"]) == (50.0, "2021-04-03")
    assert "record closed on 2021-09-11" in riyadh["note"]
    board = _rel(g, "bods:rel-b05e7c91e0a04e4f/2")
    assert (board["kind"], board["role"], board["end"]) == (
        "officer_of",
        "board member",
        "2021-04-03",
    )
    declan = _rel(g, "bods:rel-b64a491543d986d0/1")
    assert (declan["start"], declan["end"]) == ("2021-04-03", "2022-01-21")
    person = g.entity("bods:per-5faa4103dee78621")
    assert (person["name"], person["country"], person["identifiers"]) == (
        "Riyadh Byrne-Amin",
        "IQ",
        ["irl-taxid:7700225VH"],
    )
    assert "nationalities IQ, IE" in person["note"] and "died 2021-04-03" in person["note"]
    owners = g.relations[(g.relations["kind"] == "owns") & g.active_relations("2021-06-01")]
    assert sorted(g.name_of(s) for s in owners["source"]) == [
        "Declan Byrne-Amin",
        "Patrick O'Donohue",
    ]


def test_real_tecido_shares_and_votes(bods: Path) -> None:
    g = read_bods(bods / "tecido.json")
    assert (len(g.entities), len(g.relations)) == (3, 5)
    shares, votes = _rel(g, "bods:02089A4E68/1"), _rel(g, "bods:02089A4E68/2")
    assert (
        g.name_of(shares["source"]) == "Shear Trust" and g.name_of(shares["target"]) == "Tecido Ltd"
    )
    assert (shares["kind"], shares["share_min"], shares["start"]) == ("owns", 80.0, "2023-03-01")
    assert (votes["kind"], votes["share_min"], votes["share_max"]) == ("owns", 80.0, 80.0)
    assert votes["note"].startswith("votingRights 80%")
    chair = _rel(g, "bods:022EBEB66B/1")  # closed on 2023-03-03 without endDate
    assert (chair["kind"], chair["role"], chair["start"], chair["end"]) == (
        "officer_of",
        "board chair",
        "2022-09-21",
        "2023-03-03",
    )
    assert chair["note"].startswith("boardChair 30%")  # a share on a board seat: noted only
    assert chair["share_min"] is None
    assert _rel(g, "bods:022EBEB66B/2")["share_max"] == 30.0
    tecido = g.entity("bods:01B68D7633")
    assert (tecido["country"], tecido["jurisdiction"]) == ("US", "US-DE")
    assert tecido["identifiers"] == ["company registry, delaware. company number:758355"]


def test_real_share_bands(bods: Path) -> None:
    g = read_bods(bods / "bods-package-entity-owning-entity.json")
    [row] = g.relations.to_dict("records")
    assert (row["share_min"], row["share_max"], row["note"]) == (
        75.0,
        100.0,
        "shareholding 75% to less than 100%",
    )
    g = read_bods(bods / "bods-package-linking-annotations.json")
    [row] = g.relations.to_dict("records")
    assert (row["share_min"], row["share_max"]) == (25.0, 50.0)
    assert row["note"].startswith("shareholding more than 25% to less than 50%")
    assert "https://www.theyworkforyou.com/regmem/?p=11859" in row["note"]  # a linking annotation
    g = read_bods(bods / "simple-pep-declaration.json")
    assert g.relations[["share_min", "share_max"]].values.tolist() == [[25.0, 50.0], [25.0, 50.0]]
    assert "politically exposed person" in g.entity("bods:c9ceb68d7241")["note"]


def test_real_nomination_front(bods: Path) -> None:
    g = read_bods(bods / "nomination.json")
    [front] = g.relations[g.relations["kind"] == "front_for"].to_dict("records")
    assert (g.name_of(front["source"]), g.name_of(front["target"])) == (
        "Vanessa Rivero",
        "Silvia Teixeira Perez",
    )
    assert (
        front["note"].startswith("derived: nominee and nominator")
        and front["start"] == "2023-04-30"
    )
    nominee = _rel(g, "bods:106AB1984A/1")
    assert (nominee["kind"], nominee["target"], nominee["note"]) == (
        "linked_to",
        "bods:103AB1984D",
        "nominee",
    )
    assert _rel(g, "bods:107AC1984F/1")["role"] == "board member"
    control = _rel(g, "bods:108AC1984E/1")
    assert control["kind"] == "controls" and control["note"].startswith(
        "indirect: otherInfluenceOrControl"
    )


def test_real_state_owned_and_unspecified(bods: Path) -> None:
    g = read_bods(bods / "bods-package-fi-soe.json")
    assert g.entity("bods:7ff95ba3682c")["kind"] == "public_body"
    assert g.entity("bods:05ce06ec97b1")["aliases"] == ["Republic of Finland"]
    gasgrid = g.relations[
        (g.relations["target"] == "bods:19f1c5afe9d7")
        & ~g.relations["note"].str.startswith("indirect:")
    ]
    assert sorted(gasgrid["share_min"]) == [23.5, 76.5]
    g = read_bods(bods / "listed-company-exempt-from-disclosure.json")
    stub = g.entity("bods:fa402c4818f9/interestedParty")
    assert stub["kind"] == "legal_entity" and "subjectExemptFromDisclosure" in stub["note"]
    assert _rel(g, "bods:fa402c4818f9")["kind"] == "linked_to"
    g = read_bods(bods / "levent.json")
    anon = g.entity("bods:81337a6e")
    assert anon["name"] == "(anonymous person, record 81337a6e)" and "underage" in anon["note"]
    beneficiary = _rel(g, "bods:3e47afda/1")
    assert (beneficiary["kind"], beneficiary["share_min"], beneficiary["share_max"]) == (
        "owns",
        0.0,
        100.0,
    )
    g = read_bods(bods / "plc-entity-statement.json")
    assert g.entity("bods:70044236")["identifiers"] == [
        "gb-coh:02723534",
        "lei:PY6ZZQWO2IZFZC3IOL08",
    ]


# -- small inputs --------------------------------------------------------------------------


def _st(
    rid: str, rtype: str, details: dict[str, Any], date: str = "2020-03-04", **extra: Any
) -> dict[str, Any]:
    return {
        "statementId": f"s-{rid}-{date}",
        "recordId": rid,
        "recordType": rtype,
        "statementDate": date,
        "publicationDetails": PUB,
        "recordDetails": details,
        **extra,
    }


def _company(rid: str = "c1") -> dict[str, Any]:
    return _st(rid, "entity", {"entityType": {"type": "registeredEntity"}, "name": "Co Ltd"})


def _person(rid: str = "p1") -> dict[str, Any]:
    return _st(rid, "person", {"personType": "knownPerson", "names": [{"fullName": "A Person"}]})


def _owns(rid: str, subject: str, party: str, **share: Any) -> dict[str, Any]:
    return _st(
        rid,
        "relationship",
        {
            "subject": subject,
            "interestedParty": party,
            "interests": [{"type": "shareholding", "share": share}],
        },
    )


def _write(folder: Path, doc: object, name: str = "package.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return path


def test_not_json_and_bad_encoding(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('[\n  {"recordId": "x",\n  }\n]')
    with pytest.raises(ReadError, match=r"bad\.json:3:3: not valid JSON"):
        read_bods(path)
    path.write_bytes(b'[{"recordId": "\xff"}]')
    with pytest.raises(ReadError, match=r"bad\.json:1:16: byte b'\\xff' is not valid UTF-8"):
        read_bods(path)
    with pytest.raises(ReadError, match="not a BODS package"):
        read_bods(_write(tmp_path, "just text"))


def test_share_over_100_is_kept_unknown(tmp_path: Path) -> None:
    path = _write(
        tmp_path, [_company(), _person(), _owns("r1", "c1", "p1", minimum=50, maximum=150)]
    )
    g = read_bods(path)
    [p] = g.problems
    assert (p.file, p.line, p.column, p.value, p.action) == (
        str(path),
        3,
        "interests[0].share.maximum",
        "150",
        "kept",
    )
    row = _rel(g, "bods:r1/1")
    assert (row["share_min"], row["share_max"]) == (0.0, 100.0)
    assert "share maximum as given: 150" in row["note"]


def test_unknown_record_type_and_missing_id(tmp_path: Path) -> None:
    old = {"statementID": "x" * 32, "statementType": "entityStatement", "name": "Old Style"}
    no_id = _company()
    del no_id["recordId"], no_id["statementId"]
    path = _write(tmp_path, [_company(), _st("q", "trust", {}), old, no_id, "oops"])
    g = read_bods(path)
    assert g.entities["id"].tolist() == ["bods:c1"]
    assert [(p.line, p.column, p.action) for p in g.problems] == [
        (2, "recordType", "rejected"),
        (3, "recordType", "rejected"),
        (4, "recordId", "rejected"),
        (5, None, "rejected"),
    ]
    assert g.problems[0].value == "trust" and "0.2/0.3" in g.problems[1].message


def test_missing_subject_record_makes_a_stub(tmp_path: Path) -> None:
    path = _write(tmp_path, [_person(), _owns("r1", "c-missing", "p1", exact=60)])
    g = read_bods(path)
    [p] = g.problems
    assert (p.file, p.line, p.column, p.value, p.action) == (
        str(path),
        2,
        "target",
        "bods:c-missing",
        "stub",
    )
    assert g.entity("bods:c-missing")["kind"] == "legal_entity"
    assert _rel(g, "bods:r1/1")["share_min"] == 60.0
    with pytest.raises(GraphValidationError):
        read_bods(path, strict=True)


def test_unknown_interest_and_entity_types(tmp_path: Path) -> None:
    odd = _st(
        "r1",
        "relationship",
        {"subject": "c1", "interestedParty": "p1", "interests": [{"type": "godparent"}]},
    )
    ent = _st("e2", "entity", {"entityType": {"type": "club"}, "name": "Club"})
    g = read_bods(_write(tmp_path, [_company(), _person(), odd, ent]))
    assert [(p.line, p.column, p.value, p.action) for p in g.problems] == [
        (3, "interests[0].type", "godparent", "kept"),
        (4, "entityType.type", "club", "kept"),
    ]
    assert _rel(g, "bods:r1/1")["kind"] == "linked_to"
    assert g.entity("bods:e2")["kind"] == "legal_entity"


def test_latest_statement_wins_and_closed_ends(tmp_path: Path) -> None:
    first = _owns("r1", "c1", "p1", exact=40)
    later = _owns("r1", "c1", "p1", exact=70)
    later.update(statementDate="2021-05-01", statementId="s-later")
    closed = _owns("r1", "c1", "p1", exact=70)
    closed.update(statementDate="2022-02-02", statementId="s-closed", recordStatus="closed")
    g = read_bods(
        _write(tmp_path, [_company(), _person(), later, closed, first])
    )  # order does not matter
    row = _rel(g, "bods:r1/1")
    assert (row["share_min"], row["end"], row["observed"]) == (70.0, "2022-02-02", "2022-02-02")
    assert "latest of 3 statements for this record (earlier: 2020-03-04, 2021-05-01)" in row["note"]
    assert not g.problems


def test_exclusive_bounds_and_bad_dates(tmp_path: Path) -> None:
    rel = _owns("r1", "c1", "p1", exclusiveMinimum=25, maximum=50)
    rel["recordDetails"]["interests"][0]["startDate"] = "2020-13-01"
    g = read_bods(_write(tmp_path, [_company(), _person(), rel]))
    row = _rel(g, "bods:r1/1")
    assert (row["share_min"], row["share_max"], row["start"]) == (25.0, 50.0, None)
    assert row["note"].startswith("shareholding more than 25% to at most 50%")
    [p] = g.problems
    assert (p.line, p.column, p.value, p.action) == (
        3,
        "interests[0].startDate",
        "2020-13-01",
        "kept",
    )


def test_jsonl_stream_lines(tmp_path: Path) -> None:
    path = tmp_path / "stream.jsonl"
    lines = [
        json.dumps(_company()),
        "",
        json.dumps(_person()),
        json.dumps(_owns("r1", "c1", "p1", exact=200)),
    ]
    path.write_text("\n".join(lines) + "\n")
    g = read_bods(path)
    [p] = g.problems
    assert (p.line, p.column) == (4, "interests[0].share.exact")
    path.write_text(lines[0] + "\n{broken\n")
    with pytest.raises(ReadError, match=r"stream\.jsonl:2:2: not valid JSON"):
        read_bods(path)


def test_single_statement_file_and_folder(tmp_path: Path) -> None:
    _write(tmp_path, _company(), "one.json")
    _write(tmp_path, [_person(), _owns("r1", "c1", "p1", exact=10)], "two.json")
    g = read_bods(tmp_path)
    assert sorted(g.entities["id"]) == ["bods:c1", "bods:p1"] and not g.problems
    assert (
        _rel(g, "bods:r1/1")["source_ref"]
        == "Test Register (BODS statement s-r1-2020-03-04 in two.json)"
    )


def test_indirect_interests_are_flagged_for_aggregation(shared_data) -> None:
    g = gk.read_bods(shared_data / "bods" / "mixed-direct-and-indirect-ownership.json")
    owns = g.relations[g.relations["kind"] == "owns"]
    assert owns["indirect"].any() and not owns["indirect"].all()
    assert (owns.loc[owns["indirect"], "note"].str.startswith("indirect:")).all()
