"""Result tables written to CSV and Excel: list text is shown, never run."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest


def test_names_from_lists_are_never_run_as_formulas(tmp_path: Path) -> None:
    """A listed name may be any text; a spreadsheet must show it, not run it."""
    openpyxl = pytest.importorskip("openpyxl")
    from graphkit.io.tables import EXCEL_CELL_LIMIT, write_table

    evil = '=HYPERLINK("http://evil.example","click")'
    frame = pd.DataFrame({"name": [evil, "+1 Telecom", "Sub Ltd", None], "risk": [1, 2, 3, 4],
                          "path": pd.array(["x" * (EXCEL_CELL_LIMIT + 10), "-", "ok", None], dtype="string")})
    xl = write_table(frame, tmp_path / "out.xlsx")
    ws = openpyxl.load_workbook(xl).active
    cells = [(c.value, c.data_type) for c in ws["A"][1:4]]
    assert cells == [(evil, "s"), ("+1 Telecom", "s"), ("Sub Ltd", "s")]  # exact text, stored as text
    long_ = ws["C2"].value
    assert len(long_) == EXCEL_CELL_LIMIT and long_.endswith(
        f"[cut: {EXCEL_CELL_LIMIT + 10:,} characters in all; write a .csv to keep the whole text]")
    back = pd.read_csv(write_table(frame, tmp_path / "out.csv"))
    assert back["name"].tolist()[:3] == ["'" + evil, "'+1 Telecom", "Sub Ltd"]
    assert back["path"].iloc[0] == "x" * (EXCEL_CELL_LIMIT + 10) and back["path"].iloc[1] == "'-"
    assert back["risk"].tolist() == [1, 2, 3, 4]


def test_excel_sheet_is_readable(tmp_path: Path) -> None:
    """Header frozen and filterable, columns sized, multi-line paths wrapped."""
    openpyxl = pytest.importorskip("openpyxl")
    from graphkit.io.tables import write_table

    frame = pd.DataFrame({"name": ["Sub Ltd", "A very long company name " * 4], "risk": [90, 10],
                          "path": ["Sub Ltd (company) reaches X:\n  1. step one", None]})
    ws = openpyxl.load_workbook(write_table(frame, tmp_path / "out.xlsx")).active
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:C3"
    assert ws.column_dimensions["A"].width == 62 and ws.column_dimensions["B"].width == 10
    assert ws["C2"].alignment.wrap_text and not ws["B2"].alignment.wrap_text
