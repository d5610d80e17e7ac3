"""graphkit.io.ofac: the real OFAC Consolidated Non-SDN files, and small bad inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

import graphkit as gk
from graphkit.io.ofac import read_ofac

NULLS = ",".join(["-0- "] * 7)


def _prim(ent: str, name: str, kind: str, program: str, remarks: str = "-0- ") -> str:
    kind = f'"{kind}"' if kind else "-0- "
    remarks = f'"{remarks}"' if remarks != "-0- " else remarks
    return f'{ent},"{name}",{kind},"{program}",{NULLS},{remarks}\n'


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_bytes(text.encode("latin-1"))
    return path


@pytest.fixture(scope="module")
def cons(shared_data: Path) -> gk.OwnershipGraph:
    folder = shared_data / "ofac-nonsdn"
    return read_ofac(folder / "cons_prim.csv", folder / "cons_add.csv")


# -- the real files ------------------------------------------------------------------------

def test_real_counts(cons: gk.OwnershipGraph) -> None:
    ents = cons.entities
    primary = ents[ents["id"].str.fullmatch(r"ofac:\d+")]
    assert len(primary) == 443
    assert (ents["kind"] == "address").sum() == 572 - 52
    assert primary["kind"].astype(str).value_counts().to_dict() == {"company": 363, "person": 80}
    assert len(cons.listings) == 525
    assert cons.listings["list"].value_counts()[["us-ofac-nonsdn", "us-ofac-ns-cmic"]].tolist() == [457, 68]
    assert (cons.relations["kind"] == "registered_at").sum() == 520
    assert (cons.relations["kind"] == "linked_to").sum() == 283
    assert (cons.relations["confidence"] == "confirmed").all()


def test_real_sensetime(cons: gk.OwnershipGraph) -> None:
    st = cons.entity("ofac:33114")
    assert st["name"] == "SENSETIME GROUP LIMITED"
    assert st["kind"] == "company"
    assert st["identifiers"] == ["ofac_ent_num:33114", "hk_cr:2162198"]
    assert st["country"] == "HK"  # from the Hong Kong C.R. No.
    [lst] = st["listings"]
    assert (lst["list"], lst["program"], lst["start"]) == ("us-ofac-ns-cmic", "CMIC-EO13959", "2021-12-10")
    assert lst["end"] is None
    assert "Purchase/Sales For Divestment Date (CMIC) 2022-12-10" in lst["note"]
    assert lst["source_ref"] == "OFAC Consolidated Non-SDN list, cons_prim.csv ent_num 33114"
    rel = cons.relations[(cons.relations["source"] == "ofac:33114")
                         & (cons.relations["kind"] == "registered_at")]
    assert rel["target"].tolist() == ["ofac:addr:49789"]
    addr = cons.entity("ofac:addr:49789")
    assert addr["kind"] == "address" and addr["country"] == "CN"
    assert addr["name"].startswith("Block 1, 1F & 2F Harbour View, 12 Science Park")


def test_real_dawning_aliases_and_identifiers(cons: gk.OwnershipGraph) -> None:
    d = cons.entity("ofac:33113")
    assert d["name"] == "DAWNING INFORMATION INDUSTRY CO., LTD"
    assert "SUGON" in d["aliases"]
    assert "Sugon Information Industry Co., Ltd." in d["aliases"]  # Issuer Name
    assert {"uscc:91120000783342508F", "isin:CNE100001TW7", "stock:603019CN"} <= set(d["identifiers"])
    assert d["country"] == "CN"
    assert d["listings"][0]["start"] == "2021-12-16"


def test_real_linked_to(cons: gk.OwnershipGraph) -> None:
    rels = cons.relations.set_index("id")
    r = rels.loc["ofac:cons:32087:linked_to:0"]
    assert (r["source"], r["target"], r["kind"]) == ("ofac:32087", "ofac:30947", "linked_to")
    assert cons.name_of("ofac:30947") == "HUAWEI TECHNOLOGIES CO., LTD."
    # "Linked To: HAMAS." names no entry of the consolidated file: one stub, one problem.
    assert cons.entity("ofac:linked:hamas")["kind"] == "legal_entity"
    [stub] = [p for p in cons.problems if p.action == "stub"]
    assert (Path(stub.file).name, stub.line, stub.column, stub.value) == ("cons_prim.csv", 9, "Remarks", "HAMAS")


def test_real_problems(cons: gk.OwnershipGraph) -> None:
    pf = cons.problems_frame()
    assert len(pf) == 63
    assert pf["action"].value_counts().to_dict() == {"rejected": 52, "kept": 10, "stub": 1}
    empty = pf[pf["message"].str.startswith("address record has no address")]
    assert len(empty) == 52 and (empty["action"] == "rejected").all()
    assert set(empty["file"].map(lambda f: Path(f).name)) == {"cons_add.csv"}
    assert empty["line"].iloc[0] == 1  # ent_num 9639: all -0-
    cut = pf[pf["message"].str.startswith("Remarks cut")]
    assert cut["line"].tolist() == [81, 83, 85, 88, 91, 92, 377, 397, 398, 399]
    # Every address country (including OFAC's "Palestinian" and "Region: Gaza") now resolves.
    assert len(pf[pf["column"] == "Country"]) == 0
    assert cons.entity("ofac:addr:12128")["country"] == "PS"


# -- small inline files --------------------------------------------------------------------

def test_sdn_sample_individual_and_linked(tmp_path: Path) -> None:
    prim = _write(tmp_path, "sdn.csv",
                  _prim("100", "EXAMPLE SHIPPING CO", "", "IRAN] [SDGT",
                        "Registration ID 12345 (Cyprus); a.k.a. 'EXSHIP'; f.k.a. 'OLD NAME'; "
                        "Linked To: SMITH, John.")
                  + _prim("101", "SMITH, John", "individual", "SDGT",
                          "DOB 1960; citizen Turkey; Passport X123 (Turkey)."))
    add = _write(tmp_path, "add.csv", '100,500,"1 Main St","Limassol","Cyprus",-0- \n')
    alt = _write(tmp_path, "alt.csv", '101,7,"aka","SMITH, Johnny",-0- \n')
    g = read_ofac(prim, add, alt_csv=alt)
    assert not g.problems
    co, john = g.entity("ofac:100"), g.entity("ofac:101")
    assert co["kind"] == "company" and co["aliases"] == ["EXSHIP", "OLD NAME"]
    assert co["identifiers"] == ["ofac_ent_num:100", "registration:cy:12345"] and co["country"] == "CY"
    assert john["kind"] == "person" and john["country"] == "TR"
    assert john["identifiers"] == ["ofac_ent_num:101", "passport:tr:X123"]
    assert john["aliases"] == ["SMITH, Johnny"]
    assert sorted(g.listings["program"]) == ["IRAN", "SDGT", "SDGT"]
    assert set(g.listings["list"]) == {"us-ofac-sdn"}
    linked = g.relations[g.relations["kind"] == "linked_to"]
    assert linked[["source", "target"]].values.tolist() == [["ofac:100", "ofac:101"]]
    assert g.relations[g.relations["kind"] == "registered_at"]["target"].tolist() == ["ofac:addr:500"]
    # re-reading gives the same ids
    assert read_ofac(prim, add).relations["id"].tolist() == g.relations["id"].tolist()


def test_malformed_rows(tmp_path: Path) -> None:
    prim = _write(tmp_path, "cons_prim.csv",
                  _prim("1", "GOOD CO", "", "CMIC-EO13959", "Listing Date (CMIC) 03 Jun 2021.")
                  + '2,"SHORT ROW","-0- "\n'
                  + _prim("X3", "BAD NUMBER", "", "NS-PLC")
                  + _prim("4", "ODD TYPE", "submarine", "NS-PLC")
                  + "\x1a")
    g = read_ofac(prim)
    assert g.entities["id"].tolist() == ["ofac:1", "ofac:4"]
    assert g.entity("ofac:1")["listings"][0]["list"] == "us-ofac-ns-cmic"
    assert g.entity("ofac:4")["kind"] == "legal_entity"
    where = [(p.line, p.column, p.action) for p in g.problems]
    assert where == [(2, None, "rejected"), (3, "ent_num", "rejected"), (4, "SDN_Type", "kept")]
    assert all(p.file == str(prim) for p in g.problems)
    with pytest.raises(gk.GraphValidationError):
        read_ofac(prim, strict=True)


def test_dangling_linked_to_and_address(tmp_path: Path) -> None:
    prim = _write(tmp_path, "sdn.csv", _prim("1", "A CO", "", "SDGT", "Linked To: NOWHERE LTD."))
    add = _write(tmp_path, "add.csv", '1,10,-0- ,"Ulaanbaatar","Atlantis",-0- \n'
                                      '99,11,-0- ,"Paris","France",-0- \n')
    g = read_ofac(prim, add)
    assert g.entity("ofac:linked:nowhere-ltd")["name"] == "NOWHERE LTD"
    stubs = [p for p in g.problems if p.action == "stub"]
    assert [(Path(p.file).name, p.line, p.column) for p in stubs] == [("sdn.csv", 1, "Remarks"),
                                                                     ("add.csv", 2, "source")]
    assert "ofac:99" in g  # the address's entry is not in the primary file: stub by validation
    [kept] = [p for p in g.problems if p.action == "kept"]
    assert (kept.line, kept.column, kept.value) == (1, "Country", "Atlantis")


def test_bad_encoding_and_missing_file(tmp_path: Path) -> None:
    prim = _write(tmp_path, "sdn.csv", _prim("1", "CAFÉ CO", "", "SDGT"))
    assert read_ofac(prim).name_of("ofac:1") == "CAFÉ CO"
    with pytest.raises(gk.ReadError, match=r"sdn\.csv:1:\d+: byte"):
        read_ofac(prim, encoding="utf-8")
    with pytest.raises(gk.ReadError, match="no such file"):
        read_ofac(tmp_path / "sdn_missing.csv")


def test_list_detection(tmp_path: Path) -> None:
    prim = _write(tmp_path, "entries.csv", _prim("1", "CMIC CO", "", "CMIC-EO13959"))
    # the name says neither list: decided by the programs, and the choice reported on line 1
    g = read_ofac(prim)
    assert g.listings["list"].tolist() == ["us-ofac-ns-cmic"]
    [p] = g.problems
    assert (p.line, p.column, p.action) == (1, "Program", "kept")
    assert "read as the Consolidated Non-SDN list" in p.message and "list='sdn'" in p.message
    assert read_ofac(prim, list="consolidated").listings["list"].tolist() == ["us-ofac-ns-cmic"]
    assert read_ofac(prim, list="sdn").listings["list"].tolist() == ["us-ofac-sdn"]
    with pytest.raises(ValueError, match="list must be"):
        read_ofac(prim, list="us-ofac-sdn")


def test_truncated_remarks(tmp_path: Path) -> None:
    remarks = ("a.k.a. 'LONG'; " + "x" * 960 + "; Registration ID 77 (Rus")[:1000]
    assert len(remarks) == 1000
    g = read_ofac(_write(tmp_path, "sdn.csv", _prim("5", "LONG CO", "", "SDGT", remarks)))
    assert g.entity("ofac:5")["aliases"] == ["LONG"]
    assert g.entity("ofac:5")["identifiers"] == ["ofac_ent_num:5"]
    [p] = g.problems
    assert (p.line, p.column, p.action) == (1, "Remarks", "kept")


@pytest.mark.parametrize("name", ["non_sdn_prim.csv", "nonsdn.csv", "NON-SDN_PRIM.CSV", "cons_prim.csv",
                                  "consolidated.csv"])
def test_non_sdn_file_names_are_not_sdn(tmp_path: Path, name: str) -> None:
    """``non_sdn_prim.csv`` contains "sdn" but is the non-SDN list: NS-PLC parties are not blocked."""
    prim = _write(tmp_path, name, _prim("1", "PLC CO", "", "NS-PLC") + _prim("2", "CMIC CO", "", "CMIC-EO13959"))
    g = read_ofac(prim)
    assert g.listings["list"].tolist() == ["us-ofac-nonsdn", "us-ofac-ns-cmic"]
    assert not g.problems


def test_unnamed_file_decided_by_programs(tmp_path: Path) -> None:
    sdn = _write(tmp_path, "list.csv", _prim("1", "A CO", "", "SDGT") + _prim("2", "B CO", "", "IRAN"))
    g = read_ofac(sdn)
    assert set(g.listings["list"]) == {"us-ofac-sdn"}
    [p] = g.problems
    assert (p.line, p.action) == (1, "kept") and "read as the SDN list" in p.message
    assert "0 of 2 entries" in p.message


def test_sdn_named_file_of_non_sdn_programs_warns(tmp_path: Path) -> None:
    prim = _write(tmp_path, "sdn.csv", _prim("1", "SSI CO", "", "UKRAINE-EO13662")
                  + _prim("2", "PLC CO", "", "NS-PLC") + _prim("3", "X CO", "", "SDGT"))
    g = read_ofac(prim)
    assert set(g.listings["list"]) == {"us-ofac-sdn"}  # read as named ...
    [p] = g.problems  # ... with a warning
    assert (p.line, p.column, p.action) == (1, "Program", "kept")
    assert "2 of 3 entries" in p.message and "list='consolidated'" in p.message


def test_real_consolidated_file_under_other_names(shared_data: Path, tmp_path: Path) -> None:
    data = (shared_data / "ofac-nonsdn" / "cons_prim.csv").read_bytes()
    for name in ("non_sdn_prim.csv", "ofac_2024.csv"):
        (tmp_path / name).write_bytes(data)
        g = read_ofac(tmp_path / name)
        counts = g.listings["list"].value_counts()
        assert counts["us-ofac-sdn"] == 0
        assert counts[["us-ofac-nonsdn", "us-ofac-ns-cmic"]].tolist() == [457, 68]
    assert any(p.line == 1 and "353 of 443 entries" in p.message for p in g.problems)


def test_unclosed_quote_in_remarks_does_not_swallow_entries(tmp_path: Path) -> None:
    unquoted = f"{NULLS},-0- \n"
    prim = _write(tmp_path, "sdn.csv",
                  f'1,"A CO",-0- ,"SDGT",{NULLS},"a.k.a. \'A\n'  # the Remarks quote is never closed
                  f"2,B CO,-0- ,SDGT,{unquoted}3,C CO,-0- ,SDGT,{unquoted}")
    g = read_ofac(prim)
    [p] = g.problems
    assert (p.line, p.action) == (1, "rejected") and "a quote opened on line 1" in p.message
    assert "lines 2-3" in p.message
    assert g.entities["id"].tolist() == []  # B and C are not silently used as A's remarks text


def test_read_any_knows_non_sdn_names(tmp_path: Path) -> None:
    from graphkit.io.detect import read_any

    prim = _write(tmp_path, "non_sdn_prim.csv", _prim("1", "PLC CO", "", "NS-PLC"))
    _write(tmp_path, "non_sdn_add.csv", '1,10,"1 Main St","Moscow","Russia",-0- \n')
    g = read_any(prim)
    assert g.listings["list"].tolist() == ["us-ofac-nonsdn"]
    assert g.entity("ofac:addr:10")["country"] == "RU"


def test_a_name_with_sdn_inside_is_the_sdn_list(tmp_path: Path) -> None:
    from graphkit.io.ofac import _mode

    for name, mode in (("ofac_sdn.csv", "sdn"), ("my_non_sdn_copy.csv", "cons"), ("sdn.csv", "sdn")):
        problems: list = []
        assert _mode(tmp_path / name, "auto", [], problems) == mode and not problems
