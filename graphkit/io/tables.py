"""Result tables written for people: CSV and Excel files that open safely in a spreadsheet.

Names in a result come from sanctions lists and customer lists: text graphkit does not
control. A spreadsheet runs a cell that starts with ``=`` as a formula (a name such as
``=HYPERLINK("http://...", "click")`` would become a live link), so:

- **Excel**: every text cell is stored as text, exactly as it is; nothing is run.
- **CSV**: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
  gets a leading apostrophe (``'=...``), the usual guard against formula injection; a
  spreadsheet shows the text, and a program reading the CSV sees the apostrophe. Write
  ``.xlsx`` or Parquet when the exact text matters to a program.
- A cell longer than Excel's limit (32,767 characters) is cut, visibly: it ends with
  ``... [cut: N characters in all; write a .csv to keep the whole text]``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graphkit.errors import GraphkitError

__all__ = ["EXCEL_CELL_LIMIT", "write_table"]

EXCEL_CELL_LIMIT = 32_767
_RISKY = ("=", "+", "-", "@", "\t", "\r")


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns
            if frame[c].dtype == object or isinstance(frame[c].dtype, pd.StringDtype)]


def _starts(col: pd.Series, prefixes: tuple[str, ...]) -> np.ndarray:
    """Where a text cell starts with one of ``prefixes`` (other values: False)."""
    if col.dtype == object:
        return np.fromiter((isinstance(v, str) and v.startswith(prefixes) for v in col), dtype=bool, count=len(col))
    return col.str.startswith(prefixes).fillna(False).to_numpy(dtype=bool)


def _lengths(col: pd.Series) -> np.ndarray:
    """Characters in each text cell (0 for other values)."""
    if col.dtype == object:
        return np.fromiter((len(v) if isinstance(v, str) else 0 for v in col), dtype=np.int64, count=len(col))
    return col.str.len().fillna(0).to_numpy(dtype=np.int64)


def _rewrite(frame: pd.DataFrame, pick: Callable[[pd.Series], np.ndarray],
             change: Callable[[str], str]) -> pd.DataFrame:
    """``frame`` with ``change`` applied to the text cells ``pick`` marks (a copy only if any)."""
    out = frame
    for c in _text_columns(frame):
        col = frame[c]
        rows = np.flatnonzero(pick(col))
        if len(rows):
            if out is frame:
                out = frame.copy()
            fixed = col.astype(object).to_numpy(copy=True)
            fixed[rows] = [change(v) for v in fixed[rows]]
            out[c] = pd.Series(fixed, index=frame.index, dtype=col.dtype)
    return out


def _guard_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with an apostrophe before every text cell a spreadsheet would run."""
    return _rewrite(frame, lambda col: _starts(col, _RISKY), lambda v: "'" + v)


def _cut(text: str) -> str:
    note = f" ... [cut: {len(text):,} characters in all; write a .csv to keep the whole text]"
    return text[: EXCEL_CELL_LIMIT - len(note)] + note


def _cut_long(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with texts over :data:`EXCEL_CELL_LIMIT` characters cut, saying so."""
    return _rewrite(frame, lambda col: _lengths(col) > EXCEL_CELL_LIMIT, _cut)


def _readable(sheet: Any, frame: pd.DataFrame) -> None:
    """A sheet people can read: the header frozen and filterable, columns sized to their
    text (up to 60 characters), and multi-line cells (paths, explanations) wrapped."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    if not len(frame.columns):
        return
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    wrap = Alignment(wrap_text=True, vertical="top")
    for j, c in enumerate(frame.columns, start=1):
        values = frame[c].head(200).tolist()
        texts = [v for v in values if isinstance(v, str)]
        shown = [str(v) for v in values if v is not None and v is not pd.NA and not (isinstance(v, float) and v != v)]
        width = max([len(str(c))] + [len(v.splitlines()[0]) if v else 0 for v in shown])
        sheet.column_dimensions[get_column_letter(j)].width = min(max(width, 8), 60) + 2
        if any("\n" in t or len(t) > 60 for t in texts):
            for cell in sheet.iter_rows(min_row=2, min_col=j, max_col=j):
                cell[0].alignment = wrap


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a result table to ``.csv`` or ``.xlsx`` (chosen by the file's extension).

    Text from lists is never run as a spreadsheet formula (see the module notes).

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "out.csv"
    >>> _ = write_table(pd.DataFrame({"name": ["=1+1", "Sub Ltd"]}), f)
    >>> f.read_text().splitlines()
    ['name', "'=1+1", 'Sub Ltd']
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            import openpyxl  # noqa: F401
        except ImportError:  # pragma: no cover
            raise ImportError("writing Excel needs openpyxl: pip install 'graphkit[excel]'") from None
        frame = _cut_long(frame)
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            frame.to_excel(writer, index=False)
            sheet = next(iter(writer.sheets.values()))
            texts = set(_text_columns(frame))
            for j, c in enumerate(frame.columns):
                if c not in texts:
                    continue
                for i in np.flatnonzero(_starts(frame[c], ("=",))).tolist():
                    sheet.cell(row=i + 2, column=j + 1).data_type = "s"  # text, not a formula
            _readable(sheet, frame)
    elif suffix in (".csv", ".txt", ""):
        _guard_csv(frame).to_csv(path, index=False)
    else:
        raise GraphkitError(f"cannot write {path.name!r}: use a .csv or .xlsx file name")
    return path
