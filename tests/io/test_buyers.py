"""Customer lists as sales and compliance staff export them: other separators, column names
from CRMs and Chinese offices, wrong encodings. Every row is kept, with its line."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import graphkit as gk
from graphkit.errors import GraphkitError
from graphkit.io.buyers import read_buyers


def test_semicolon_and_tab_separated_files(tmp_path: Path) -> None:
    semi = tmp_path / "excel-eu.csv"
    semi.write_text("Account Name;Billing Country;Registration No.\nSub Ltd;GB;123\nParent Group, Inc.;;\n",
                    encoding="utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte-order mark
    b = read_buyers(semi)
    assert b["name"].tolist() == ["Sub Ltd", "Parent Group, Inc."]
    assert b["country"].tolist() == ["GB", None] and b["identifier"].tolist() == ["123", None]
    assert b["line"].tolist() == [2, 3] and b["invalid"].isna().all()
    tab = tmp_path / "export.tsv.csv"
    tab.write_text("Customer\tCountry\nSub Ltd\tGB\n", encoding="utf-8")
    assert read_buyers(tab)[["name", "country"]].values.tolist() == [["Sub Ltd", "GB"]]


def test_chinese_headers(tmp_path: Path) -> None:
    f = tmp_path / "客户.csv"
    f.write_text("客户名称,国家/地区,统一社会信用代码\n商汤科技,CN,91110108MA00A1B2C3\n", encoding="utf-8")
    b = read_buyers(f)
    assert b[["name", "country", "identifier"]].values.tolist() == [["商汤科技", "CN", "91110108MA00A1B2C3"]]


def test_a_list_in_another_encoding_is_reported_row_by_row(tmp_path: Path) -> None:
    f = tmp_path / "cp1252.csv"
    f.write_bytes("name;country\nSociété Générale;FR\nSub Ltd;GB\n".encode("cp1252"))
    b = read_buyers(f)
    assert b["invalid"].iloc[0] == ("line 2, column 'name': bytes that are not valid utf-8 "
                                    "(save the file as UTF-8)")
    assert b["name"].iloc[1] == "Sub Ltd" and pd.isna(b["invalid"].iloc[1])
    s = gk.screen(gk.example_graph(), f, as_of="2024-01-01", progress=False)
    assert s["match_status"].tolist() == ["invalid", "matched"] and s["line"].tolist() == [2, 3]


def test_no_name_column_names_what_was_found(tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text("Firma;Land\nA;DE\n", encoding="utf-8")
    with pytest.raises(GraphkitError, match="needs a 'name' .*found: Firma, Land"):
        read_buyers(f)



def test_excel_with_a_title_above_the_header(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    f = tmp_path / "customers.xlsx"
    rows = [["Customer list, Q3 (export)", None], [None, None], ["Company Name", "Country"],
            ["Sub Ltd", "GB"], [None, None], ["", "CN"]]
    pd.DataFrame(rows).to_excel(f, index=False, header=False)
    b = read_buyers(f)
    assert b["name"].tolist() == ["Sub Ltd", None] and b["country"].tolist() == ["GB", "CN"]
    assert b["line"].tolist() == [4, 6]  # the sheet's own row numbers; the blank row 5 is skipped
    assert b["invalid"].tolist() == [None, "line 6: empty name"]


def test_a_list_of_names_is_a_name_column() -> None:
    b = read_buyers(["Sub Ltd", " ", "Parent Group"])
    assert b["name"].tolist() == ["Sub Ltd", None, "Parent Group"]
    assert b["invalid"].tolist() == [None, "row 2: empty name", None]
    out = gk.screen(gk.example_graph(), pd.Series(["Sub Ltd"]), progress=False)
    assert out["name"].tolist() == ["Sub Ltd"] and out["match_status"].tolist() == ["matched"]


def test_something_else_names_its_type() -> None:
    with pytest.raises(GraphkitError, match="a list of names, or the path .*got int"):
        read_buyers(3)  # type: ignore[arg-type]
