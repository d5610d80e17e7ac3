"""graphkit.io.excel: dates and percent shares read as the spreadsheet shows them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import graphkit as gk

ENTS = [["id", "name", "kind"], ["parent", "Parent Co", "company"], ["sub", "Sub Co", "company"],
        [12345, "Numeric Id Co", "company"]]


def _book(path: Path, relations: list[list[Any]], listings: list[list[Any]] | None = None,
          formats: dict[str, str] | None = None) -> Path:
    """A workbook with the three sheets; ``formats`` maps ``sheet!A1`` cells to number formats."""
    wb = openpyxl.Workbook()
    sheets = {"entities": ENTS, "relations": relations, "listings": listings}
    wb.remove(wb.active)
    for name, rows in sheets.items():
        if rows is None:
            continue
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    for where, fmt in (formats or {}).items():
        sheet, cell = where.split("!")
        wb[sheet][cell].number_format = fmt
    wb.save(path)
    return path


REL_HEAD = ["id", "source", "target", "kind", "share", "start", "confidence", "source_ref"]
LST_HEAD = ["id", "entity", "list", "start", "source_ref"]


def test_date_cells_keep_the_listing(tmp_path: Path) -> None:
    """A start typed as a real Excel date used to reject the listing ("cannot read
    '2019-10-09 00:00:00' as a date"): the listed parent then showed as clear."""
    path = _book(tmp_path / "case.xlsx",
                 [REL_HEAD, ["r1", "parent", "sub", "owns", 60, dt.datetime(2020, 5, 1), "confirmed", "reg"]],
                 [LST_HEAD, ["l1", "parent", "us-ofac-sdn", dt.datetime(2019, 10, 9), "SDN"]],
                 {"relations!F2": "yyyy-mm-dd h:mm:ss", "listings!D2": "yyyy-mm-dd h:mm:ss"})
    g = gk.read_excel(path)
    assert g.problems == []
    assert g.listings["start"].tolist() == ["2019-10-09"]
    assert g.relations["start"].tolist() == ["2020-05-01"]
    res = gk.restricted(g, rule="ofac50", as_of="2024-01-01").set_index("id")["status"]
    assert (res["parent"], res["sub"]) == ("listed", "restricted")


def test_time_of_day_is_dropped_and_said(tmp_path: Path) -> None:
    path = _book(tmp_path / "t.xlsx", [REL_HEAD],
                 [LST_HEAD, ["l1", "parent", "us-ofac-sdn", dt.datetime(2019, 10, 9, 13, 45), "SDN"]])
    g = gk.read_excel(path)
    assert g.listings["start"].tolist() == ["2019-10-09"]
    [p] = g.problems
    assert (p.line, p.column, p.action, p.file) == (2, "start", "kept", f"{path}[listings]")
    assert "time of day (13:45:00)" in p.message


def test_percent_cells_are_percent(tmp_path: Path) -> None:
    """60% typed in a percent-formatted cell is stored as 0.6: read as 60, not 0.6%."""
    path = _book(tmp_path / "case2.xlsx",
                 [REL_HEAD, ["r1", "parent", "sub", "owns", 0.6, "2020-05-01", "confirmed", "reg"],
                  ["r2", "parent", 12345, "owns", 1, "2021", "confirmed", "reg"],
                  ["r3", "sub", 12345, "owns", 0.005, "2021", "confirmed", "reg"]],
                 [LST_HEAD, ["l1", "parent", "us-ofac-sdn", "2019-10-09", "SDN"]],
                 {"relations!E2": "0%", "relations!E3": "0%", "relations!E4": "0.0%"})
    g = gk.read_excel(path)
    # nothing wrong with the cells; the check that owners' shares fit in 100% notices 100% + 0.5%
    assert [p for p in g.problems if p.action != "check"] == []
    assert {p.line for p in g.problems} == {3, 4} and "add up to 100.5%" in g.problems[0].message
    rel = g.relations.set_index("id")
    assert rel.loc["r1", ["share_min", "share_max"]].tolist() == [60.0, 60.0]
    assert rel.loc["r2", "share_min"] == 100.0 and rel.loc["r3", "share_min"] == 0.5
    assert gk.restricted(g, rule="ofac50").set_index("id").loc["sub", "status"] == "restricted"


@pytest.mark.parametrize("value", [0.6, "0.6", 1])
def test_small_share_without_percent_format_is_flagged(tmp_path: Path, value: Any) -> None:
    path = _book(tmp_path / "f.xlsx", [REL_HEAD, ["r1", "parent", "sub", "owns", value, None, "confirmed", "reg"],
                                       ["r2", "sub", 12345, "owns", 30, None, "confirmed", "reg"]])
    g = gk.read_excel(path)
    assert g.relations.set_index("id").loc["r1", "share_min"] == float(value)  # kept as written
    [p] = g.problems
    assert (p.line, p.column, p.action) == (2, "share", "kept")
    x = float(value)
    assert f"{x:g} may be a fraction ({x * 100:g}%?); read as {x:g}%" in p.message


def test_spreadsheet_rows_and_blank_rows(tmp_path: Path) -> None:
    path = _book(tmp_path / "b.xlsx", [REL_HEAD, [], ["r1", "parent", "ghost", "owns", 150, None, "confirmed", "x"]])
    g = gk.read_excel(path)
    lines = {p.line for p in g.problems}
    assert lines == {3}  # the blank row 2 is skipped but counted
    assert all(p.file == f"{path}[relations]" for p in g.problems)


def test_not_a_workbook_and_missing_sheet(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a zip")
    with pytest.raises(gk.ReadError, match="not a readable Excel workbook"):
        gk.read_excel(bad)
    wb = openpyxl.Workbook()
    wb.active.title = "people"
    wb.save(tmp_path / "nosheet.xlsx")
    with pytest.raises(gk.ReadError, match="no sheet named 'entities' \\(found: people\\)"):
        gk.read_excel(tmp_path / "nosheet.xlsx")

