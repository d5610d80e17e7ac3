"""graphkit.io.gleif: the recorded GLEIF API responses, and small bad inputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import graphkit as gk
from graphkit.errors import GraphValidationError, ReadError
from graphkit.io.gleif import read_gleif

APPLE_ENERGY, APPLE = "549300YX4S1LLSMK2627", "HWUPKR0MPOU8FGXBT394"
AMAZON_UK, AMAZON = "254900LNRYNOQ9YPU758", "ZXTILKJKG63JELOEG630"
BLOOMBERG = "5493001KJTIIGC8Y1R12"


@pytest.fixture(scope="module")
def gleif(shared_data: Path) -> gk.OwnershipGraph:
    return read_gleif(shared_data / "gleif")


def _ids(g: gk.OwnershipGraph, kind: str) -> set[str]:
    return set(g.entities.loc[g.entities["kind"] == kind, "id"])


# -- the real files ------------------------------------------------------------------------


def test_real_counts(gleif: gk.OwnershipGraph) -> None:
    ents, rels = gleif.entities, gleif.relations
    assert len(_ids(gleif, "company")) == 94  # 157 lei-records objects, 94 distinct LEIs
    assert len(_ids(gleif, "legal_entity")) == 30  # LEIs named by relationships only: stubs
    assert len(_ids(gleif, "address")) == 114
    assert len(ents) == 94 + 30 + 114
    # 121 relationship-record objects in the files, all distinct: 121 relations
    assert (rels["kind"] == "controls").sum() == 121
    assert rels["note"].str.startswith("direct accounting consolidation").sum() == 59
    assert rels["note"].str.startswith("indirect: ultimate accounting consolidation").sum() == 62
    assert (rels["kind"] == "registered_at").sum() == 114
    assert len(rels) == 235 and rels["id"].is_unique
    assert (rels["confidence"] == "confirmed").all()
    assert rels["note"].str.contains("share not stated").sum() == 121
    assert rels.loc[rels["kind"] == "controls", ["share_min", "share_max"]].isna().all().all()


def test_real_problems_are_stubs(gleif: gk.OwnershipGraph) -> None:
    assert len(gleif.problems) == 30
    assert {p.action for p in gleif.problems} == {"stub"}
    p = gleif.problems[0]
    assert Path(p.file or "").name == "direct-child-relationships_21380068P1DRHMJ8KU70.json"
    assert (p.line, p.column, p.value) == (1, "startNode", "2138009AGE4DW1J76R35")
    stub = gleif.entity("lei:2138009AGE4DW1J76R35")
    assert (stub["kind"], stub["name"], stub["identifiers"]) == (
        "legal_entity",
        "2138009AGE4DW1J76R35",
        ["lei:2138009AGE4DW1J76R35"],
    )
    assert stub["note"].startswith("Stub: LEI record not read")


def test_real_apple_energy(gleif: gk.OwnershipGraph) -> None:
    child = gleif.entity(f"lei:{APPLE_ENERGY}")
    assert (child["name"], child["kind"], child["country"], child["jurisdiction"]) == (
        "APPLE ENERGY LLC",
        "company",
        "US",
        "US-DE",
    )
    parent = gleif.entity(f"lei:{APPLE}")
    assert parent["name"] == "Apple Inc." and parent["aliases"] == ["Apple Computer, Inc."]
    rels = gleif.relations.set_index("id")
    direct = rels.loc[f"gleif-rr:{APPLE_ENERGY}:IS_DIRECTLY_CONSOLIDATED_BY:{APPLE}"]
    assert (direct["source"], direct["target"], direct["kind"]) == (
        f"lei:{APPLE}",
        f"lei:{APPLE_ENERGY}",
        "controls",
    )
    assert (direct["start"], direct["observed"]) == ("2018-04-10", "2025-03-04")
    assert direct["source_ref"].endswith(f"/lei-records/{APPLE_ENERGY}/direct-parent-relationship")
    assert direct["note"] == (
        "direct accounting consolidation (GLEIF Level 2); share not stated; "
        "registration PUBLISHED, corroboration ENTITY_SUPPLIED_ONLY"
    )
    ultimate = rels.loc[f"gleif-rr:{APPLE_ENERGY}:IS_ULTIMATELY_CONSOLIDATED_BY:{APPLE}"]
    assert ultimate["start"] == "2018-11-03" and ultimate["note"].startswith("indirect: ")


def test_real_amazon_exception_and_aliases(gleif: gk.OwnershipGraph) -> None:
    uk = gleif.entity(f"lei:{AMAZON_UK}")
    assert uk["name"] == "Amazon Digital UK Limited" and uk["country"] == "GB"
    assert "LOVEFILM LIMITED" in uk["aliases"] and len(uk["aliases"]) == 4
    assert uk["identifiers"] == [
        f"lei:{AMAZON_UK}",
        "gleif-ra:RA000585:06528297",
        "opencorporates:gb/06528297",
    ]
    assert "no direct parent reported to GLEIF: NON_PUBLIC" in uk["note"]
    rel = gleif.relations[
        (gleif.relations["target"] == f"lei:{AMAZON_UK}") & (gleif.relations["kind"] == "controls")
    ]
    assert rel[["source", "start"]].values.tolist() == [[f"lei:{AMAZON}", "2008-10-02"]]
    assert gleif.name_of(f"lei:{AMAZON}") == "AMAZON.COM, INC."


def test_real_addresses(gleif: gk.OwnershipGraph) -> None:
    legal = gleif.entity(f"lei:{BLOOMBERG}:legal-address")
    hq = gleif.entity(f"lei:{BLOOMBERG}:hq-address")
    assert (
        legal["name"]
        == "c/o Corporation Service Company, 251 Little Falls Drive, Wilmington, US-DE, 19808, US"
    )
    assert hq["name"] == "731 Lexington Avenue, New York, US-NY, 10022, US"
    rels = gleif.relations[gleif.relations["source"] == f"lei:{BLOOMBERG}"]
    assert sorted(rels["note"]) == [
        "headquarters address (GLEIF Level 1)",
        "legal address (GLEIF Level 1)",
    ]
    assert (
        gleif.name_of(f"lei:{APPLE}:hq-address")
        == "One Apple Park Way, Cupertino, US-CA, 95014, US"
    )
    # legal and headquarters address the same: one address entity (94 legal, 20 other HQs)
    shell_sg = "lei:2138001KPMR6PD83HC08"
    assert f"{shell_sg}:hq-address" not in gleif
    assert gleif.name_of(f"{shell_sg}:legal-address").startswith(
        "9 NORTH BUONA VISTA DRIVE, #07-01"
    )
    note = gleif.relations.loc[gleif.relations["source"] == shell_sg, "note"].tolist()
    assert note == ["legal and headquarters address (GLEIF Level 1)"]


def test_real_reread_gives_same_ids(gleif: gk.OwnershipGraph, shared_data: Path) -> None:
    again = read_gleif(sorted((shared_data / "gleif").rglob("*.json")))
    assert again.relations["id"].tolist() == gleif.relations["id"].tolist()
    assert set(again.entities["id"]) == set(gleif.entities["id"])


def test_real_strict_raises_on_stubs(shared_data: Path) -> None:
    with pytest.raises(GraphValidationError) as err:
        read_gleif(shared_data / "gleif", strict=True)
    assert len(err.value.problems) == 30


# -- small inputs --------------------------------------------------------------------------


def _lei(
    lei: str, name: str = "X Ltd", updated: str = "2025-01-01T00:00:00Z", **entity: Any
) -> dict[str, Any]:
    return {
        "type": "lei-records",
        "id": lei,
        "attributes": {
            "lei": lei,
            "entity": {"legalName": {"name": name}, "legalAddress": {"country": "CN"}, **entity},
            "registration": {"status": "ISSUED", "lastUpdateDate": updated},
        },
    }


def _rel(child: str, parent: str, **relationship: Any) -> dict[str, Any]:
    return {
        "type": "relationship-records",
        "id": f"{child}|{parent}",
        "attributes": {
            "relationship": {
                "startNode": {"id": child, "type": "LEI"},
                "endNode": {"id": parent, "type": "LEI"},
                "type": "IS_DIRECTLY_CONSOLIDATED_BY",
                "status": "ACTIVE",
                "periods": [{"startDate": "2020-01-01T00:00:00Z", "type": "RELATIONSHIP_PERIOD"}],
                **relationship,
            },
            "registration": {"status": "PUBLISHED", "lastUpdateDate": "2025-01-01T00:00:00Z"},
        },
    }


def _write(folder: Path, name: str, doc: object) -> Path:
    path = folder / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_not_json(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"data": [\n  {"type": "lei-records",}\n]}')
    with pytest.raises(ReadError, match=r"bad\.json:2:\d+: not valid JSON"):
        read_gleif(path)


def test_bad_encoding(tmp_path: Path) -> None:
    path = tmp_path / "latin.json"
    path.write_bytes(b'{"data": []}\n{"x": "caf\xe9"}')
    with pytest.raises(ReadError, match=r"latin\.json:2:11: byte b'\\xe9' is not valid UTF-8"):
        read_gleif(path)


def test_not_an_object_and_missing_paths(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="not a JSON:API document"):
        read_gleif(_write(tmp_path, "list.json", [_lei("A")]))
    with pytest.raises(ReadError, match="no such file"):
        read_gleif(tmp_path / "nope.json")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ReadError, match="no .json files"):
        read_gleif(tmp_path / "empty")


def test_jsonapi_without_data(tmp_path: Path) -> None:
    path = _write(tmp_path, "error.json", {"errors": [{"status": "404", "title": "Not Found"}]})
    g = read_gleif(path)
    [p] = g.problems
    assert (p.file, p.line, p.column, p.action) == (str(path), None, "data", "rejected")
    assert "without 'data'" in p.message and "Not Found" in p.message
    assert len(g) == 0


def test_missing_lei_and_unknown_type(tmp_path: Path) -> None:
    bad = _lei("")
    bad["id"] = None
    del bad["attributes"]["lei"]
    path = _write(
        tmp_path, "recs.json", {"data": [_lei("AAA"), bad, {"type": "lei-issuers", "id": "x"}]}
    )
    g = read_gleif(path)
    assert g.entities["id"].tolist() == ["lei:AAA"]
    lei_p, type_p = g.problems
    assert (lei_p.file, lei_p.line, lei_p.column, lei_p.action) == (str(path), 2, "lei", "rejected")
    assert (type_p.line, type_p.column, type_p.value) == (3, "type", "lei-issuers")


def test_missing_node_and_not_lei(tmp_path: Path) -> None:
    no_end = _rel("AAA", "BBB")
    del no_end["attributes"]["relationship"]["endNode"]
    bic = _rel("AAA", "CCC")
    bic["attributes"]["relationship"]["endNode"]["type"] = "BIC"
    g = read_gleif(_write(tmp_path, "r.json", {"data": [_lei("AAA"), no_end, bic]}))
    assert len(g.relations) == 0
    assert [(p.line, p.column, p.action) for p in g.problems] == [
        (2, "endNode", "rejected"),
        (3, "endNode", "rejected"),
    ]


def test_bad_date_is_kept_with_a_note(tmp_path: Path) -> None:
    rel = _rel("AAA", "BBB", periods=[{"startDate": "31/02/2020", "type": "RELATIONSHIP_PERIOD"}])
    path = _write(tmp_path, "r.json", {"data": [_lei("AAA"), _lei("BBB"), rel]})
    g = read_gleif(path)
    [p] = g.problems
    assert (p.line, p.column, p.value, p.action) == (3, "periods.startDate", "31/02/2020", "kept")
    [row] = g.relations[g.relations["kind"] == "controls"].to_dict("records")
    assert pd.isna(row["start"])
    assert "periods.startDate as given: 31/02/2020" in row["note"]


def test_inactive_quantifier_and_other_types(tmp_path: Path) -> None:
    inactive = _rel("AAA", "BBB", status="INACTIVE")
    ended = _rel(
        "CCC",
        "BBB",
        status="INACTIVE",
        periods=[
            {"startDate": "2019-01-01", "endDate": "2021-06-30", "type": "RELATIONSHIP_PERIOD"}
        ],
    )
    share = _rel(
        "DDD",
        "BBB",
        quantifiers=[
            {
                "measurementMethod": "ACCOUNTING_CONSOLIDATION",
                "quantifierAmount": "60.00",
                "quantifierUnits": "PERCENTAGE",
            }
        ],
    )
    branch = _rel("EEE", "BBB", type="IS_INTERNATIONAL_BRANCH_OF")
    leis = [_lei(x) for x in ("AAA", "BBB", "CCC", "DDD", "EEE")]
    g = read_gleif(_write(tmp_path, "r.json", {"data": [*leis, inactive, ended, share, branch]}))
    assert not g.problems
    rels = g.relations.set_index("target")
    assert "relationship INACTIVE per GLEIF, end date not given" in rels.loc["lei:AAA", "note"]
    assert rels.loc["lei:CCC", "end"] == "2021-06-30"
    assert "INACTIVE" not in rels.loc["lei:CCC", "note"]
    assert (
        rels.loc["lei:DDD", "kind"],
        rels.loc["lei:DDD", "share_min"],
        rels.loc["lei:DDD", "share_max"],
    ) == ("owns", 60.0, 60.0)
    assert rels.loc["lei:BBB", ["source", "kind"]].tolist() == ["lei:EEE", "linked_to"]
    assert "IS_INTERNATIONAL_BRANCH_OF" in rels.loc["lei:BBB", "note"]


def test_duplicates_and_versions(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.json", {"data": _lei("AAA", "Old Name", "2024-01-01T00:00:00Z")})
    b = _write(
        tmp_path,
        "b.json",
        {"data": [_lei("AAA", "New Name", "2025-01-01T00:00:00Z"), _rel("AAA", "BBB")]},
    )
    c = _write(tmp_path, "c.json", {"data": [_rel("AAA", "BBB")]})  # the same record again
    g = read_gleif([a, b, c])
    assert g.name_of("lei:AAA") == "New Name"
    assert len(g.relations[g.relations["kind"] == "controls"]) == 1
    kept, stub = g.problems
    assert (kept.file, kept.line, kept.action) == (str(a), 1, "kept")
    assert (stub.file, stub.column, stub.value, stub.action) == (str(b), "endNode", "BBB", "stub")


def test_exception_for_an_lei_not_read(tmp_path: Path) -> None:
    exc = {
        "type": "reporting-exceptions",
        "id": "x",
        "attributes": {
            "lei": "ZZZ",
            "category": "ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT",
            "reason": "NON_PUBLIC",
        },
    }
    g = read_gleif(_write(tmp_path, "e.json", {"data": exc}))
    [p] = g.problems
    assert (p.line, p.column, p.action) == (1, "lei", "stub")
    assert "no ultimate parent reported to GLEIF: NON_PUBLIC" in g.entity("lei:ZZZ")["note"]
