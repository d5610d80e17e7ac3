"""Cells of an investigator's Excel workbook, read as the spreadsheet shows them.

pandas reads a cell's value but not its format, and an Excel cell's format carries
meaning an investigator relies on:

- A **date** typed into a cell is stored as a date and time. It becomes an ISO date
  (``2019-10-09``); a time of day other than midnight is dropped, and a ``kept``
  problem says so (facts are dated by the day).
- A **share** typed as ``60%`` is stored as ``0.6`` in a percent-formatted cell. In a
  ``share``, ``share_min`` or ``share_max`` column such a cell is read as 60 (percent,
  as everywhere in graphkit). A share between 0 and 1 in a cell *without* a percent
  format stays as written (``0.6`` means 0.6%) and a ``kept`` problem asks whether a
  fraction (60%) was meant: a 60% owner read as 0.6% would make a company look clear.

Line numbers are the spreadsheet's row numbers (the header is row 1).
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import Any

import pandas as pd

from graphkit.errors import Problem, ReadError

__all__ = ["SHARE_COLUMNS", "read_sheets"]

#: Columns whose numbers are shares in percent.
SHARE_COLUMNS = frozenset({"share", "share_min", "share_max"})
_PLAIN_NUMBER = re.compile(r"^\s*\d*\.?\d+\s*$")


def _is_percent(number_format: str | None) -> bool:
    """Whether an Excel number format shows a percent (``0%``, ``0.00%``), quoted text aside."""
    return bool(number_format) and "%" in re.sub(r'"[^"]*"|\\.', "", str(number_format))


def _cell(value: Any, number_format: str | None, column: str, where: dict[str, Any],
          problems: list[Problem]) -> Any:
    """One cell's value as graphkit reads it (see the module notes)."""
    if isinstance(value, _dt.datetime):
        day = value.date().isoformat()
        if value.time() != _dt.time(0, 0):
            problems.append(Problem(
                f"the cell holds a time of day ({value.time().isoformat()}); the date {day} is kept "
                "and the time left out", column=column, value=str(value), action="kept", **where))
        return day
    if isinstance(value, _dt.date):
        return value.isoformat()
    if column in SHARE_COLUMNS and not isinstance(value, bool):
        if isinstance(value, (int, float)) and _is_percent(number_format):
            return round(float(value) * 100, 10)
        number = (float(value) if isinstance(value, (int, float))
                  else float(value) if isinstance(value, str) and _PLAIN_NUMBER.match(value) else None)
        if number is not None and 0 < number <= 1:
            problems.append(Problem(
                f"{number:g} may be a fraction ({number * 100:g}%?); read as {number:g}%. Type "
                f"{number * 100:g} or format the cell as a percentage if {number * 100:g}% is meant",
                column=column, value=str(value), action="kept", **where))
    return value


def read_sheets(path: Path, names: tuple[str, ...]) -> tuple[dict[str, pd.DataFrame | None], list[Problem]]:
    """Read the sheets called ``names`` (any case) of a workbook into text-ready frames.

    Parameters
    ----------
    path : Path
        An ``.xlsx`` or ``.xlsm`` workbook.
    names : tuple of str
        Sheet names wanted, lower case; a missing sheet gives None.

    Returns
    -------
    frames : dict
        Sheet name -> DataFrame (header from row 1, blank rows left out) with ``_file``
        (``book.xlsx[sheet]``) and ``_line`` (the spreadsheet row) columns.
    problems : list of Problem
        Cells read with a caution (``kept``): a time of day dropped, a share that may
        be a fraction.

    Raises
    ------
    ReadError
        The file is not a workbook openpyxl can read.

    Examples
    --------
    >>> import tempfile, pathlib, datetime, openpyxl
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "case.xlsx"
    >>> wb = openpyxl.Workbook(); ws = wb.active; ws.title = "relations"
    >>> ws.append(["source", "target", "kind", "share", "start"])
    >>> ws.append(["a", "b", "owns", 0.6, datetime.datetime(2020, 5, 1)])
    >>> ws["D2"].number_format = "0%"
    >>> wb.save(f)
    >>> frames, problems = read_sheets(f, ("entities", "relations"))
    >>> frames["relations"][["share", "start", "_line"]].values.tolist(), frames["entities"], problems
    ([[60.0, '2020-05-01', 2]], None, [])
    """
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - openpyxl is a dependency of the excel extra
        raise ReadError("reading Excel needs openpyxl: pip install 'graphkit[excel]'") from exc
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zipfile, KeyError, InvalidFileException)
        raise ReadError(f"{path}: not a readable Excel workbook ({exc})") from exc
    problems: list[Problem] = []
    frames: dict[str, pd.DataFrame | None] = dict.fromkeys(names)
    try:
        found = {title.strip().lower(): title for title in book.sheetnames}
        for name in names:
            if name in found:
                frames[name] = _sheet(book[found[name]], f"{path}[{name}]", problems)
    finally:
        book.close()
    return frames, problems


def _sheet(ws: Any, file: str, problems: list[Problem]) -> pd.DataFrame:
    ws.reset_dimensions()  # some writers store a wrong sheet size; read every cell there is
    rows = ws.iter_rows()
    header_cells = next(rows, ())
    header = [str(c.value).strip() if c.value is not None else f"Unnamed: {k}"
              for k, c in enumerate(header_cells)]
    if len(set(header)) != len(header):
        dup = sorted({h for h in header if header.count(h) > 1})
        raise ReadError(f"{file}:1: column name(s) repeated in the header: {', '.join(dup)}")
    records: list[list[Any]] = []
    lines: list[int] = []
    for line, cells in enumerate(rows, start=2):
        if not any(c.value is not None and str(c.value).strip() for c in cells):
            continue
        where: dict[str, Any] = {"file": file, "line": line}
        values = [_cell(c.value, getattr(c, "number_format", None), header[k], where, problems)
                  for k, c in enumerate(cells[: len(header)])]
        extra = [c.value for c in cells[len(header):] if c.value is not None]
        if extra:
            problems.append(Problem(f"{len(extra)} cell(s) right of the last column of the header "
                                    "are left out", value=str(extra[0])[:200], action="kept", **where))
        records.append(values + [None] * (len(header) - len(values)))
        lines.append(line)
    frame = pd.DataFrame(records, columns=header, dtype=object)
    frame["_file"] = file
    frame["_line"] = lines
    return frame
