"""Customer (buyer) lists for screening: CSV or Excel, every row kept with its line.

A list typed by sales staff has a name column (``name``, ``customer``, ``company``
...) and perhaps a country, an identifier (registration number, LEI, unified social
credit code) or an entity id. :func:`read_buyers` finds those columns by name, keeps
every row in order with its line in the file, and marks the rows that cannot be
screened (empty name, bytes that are not UTF-8, a row with too many cells) with the
reason, instead of dropping them. Fully blank lines are skipped, as everywhere in
graphkit.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graphkit.errors import GraphkitError, Problem, ReadError
from graphkit.io.csv import numbered_rows

__all__ = ["read_buyers"]

# column names as sales and compliance exports write them (compared after lower-casing and
# turning every run of spaces and punctuation into "_": "Registration No." -> registration_no),
# with the Chinese headers of a list kept in China; the first one present wins
_ALIASES = {"name": ("name", "customer", "customer_name", "buyer", "buyer_name", "company", "company_name",
                     "account_name", "account", "client", "client_name", "organisation", "organization",
                     "organisation_name", "organization_name", "legal_name", "entity_name", "counterparty",
                     "party_name", "end_user", "consignee", "客户名称", "公司名称", "企业名称", "客户", "名称"),
            "country": ("country", "country_code", "jurisdiction", "billing_country", "shipping_country",
                        "country_name", "国家", "国家_地区", "国家或地区"),
            "identifier": ("identifier", "identifiers", "registration", "registration_number",
                           "registration_no", "reg_no", "company_number", "lei", "uscc",
                           "unified_social_credit_code", "credit_code", "统一社会信用代码", "注册号"),
            "id": ("id", "entity_id")}
_PUNCT = re.compile(r"[\W_]+")


def _column_key(name: object) -> str:
    """A column name as :data:`_ALIASES` spells it.

    >>> _column_key(" Registration No. "), _column_key("国家/地区")
    ('registration_no', '国家_地区')
    """
    return _PUNCT.sub("_", str(name).strip().lower()).strip("_")


def read_buyers(buyers: pd.DataFrame | pd.Series | list[str] | tuple[str, ...] | str | Path, *,
                encoding: str = "utf-8") -> pd.DataFrame:
    """The customer list as a frame ``name, country, identifier, id, line, invalid``.

    ``invalid`` holds the reason a row cannot be screened (with its line), else
    None. Columns are found by name, case and punctuation aside (``name`` may also
    be ``Customer``, ``Company Name``, ``Account Name``, 客户名称 ...; ``identifier``
    may be ``Registration No.``, ``LEI``, 统一社会信用代码 ...; see ``_ALIASES``).
    A CSV file may separate cells with commas, or with semicolons, tabs or bars
    when its header has no comma. A list (or Series) of names is read as a
    ``name`` column. Every row is kept.

    >>> read_buyers(pd.DataFrame({"Name": ["Sub Ltd", " "]}))[["name", "invalid"]]
          name        invalid
    0  Sub Ltd           None
    1     None  row 2: empty name
    """
    if isinstance(buyers, (str, Path)):
        raw = _read_file(Path(buyers), encoding)
        line_col, invalid_col = raw["_line"], raw["_invalid"]
    elif isinstance(buyers, pd.DataFrame):
        raw = buyers  # only read, never changed
        line_col = raw["_line"] if "_line" in raw.columns else None
        invalid_col = None
    elif isinstance(buyers, (list, tuple, pd.Series)):
        raw = pd.DataFrame({"name": pd.Series(list(buyers), dtype=object)})
        line_col = invalid_col = None
    else:
        raise GraphkitError("buyers must be a DataFrame, a list of names, or the path of a .csv or .xlsx file "
                            f"(got {type(buyers).__name__})")
    n = len(raw)
    cols: dict[str, Any] = {}
    for c in raw.columns:
        cols.setdefault(_column_key(c), c)
    pick: dict[str, Any] = {}
    for key, names in _ALIASES.items():
        pick[key] = next((cols[alias] for alias in names if alias in cols), None)
    if pick["name"] is None and pick["id"] is None:
        shown = ", ".join(str(c) for c in raw.columns if not str(c).startswith("_"))
        raise GraphkitError(f"the customer list needs a 'name' (or 'id') column; found: {shown or 'none'}")
    out: dict[str, Any] = {}
    missing = np.ones(n, dtype=bool)  # no name, id or identifier
    for key in ("name", "country", "identifier", "id"):
        col = pick[key]
        if col is None:
            out[key] = pd.Series(np.full(n, None, dtype=object), dtype=object)
            continue
        text = raw[col].astype("string").str.strip()  # vectorised; numbers become their text
        blank = (text.isna() | (text == "")).to_numpy(dtype=bool, na_value=True)
        values = text.to_numpy(dtype=object, na_value=None)
        values[blank] = None
        out[key] = pd.Series(values, dtype=object)
        if key != "country":
            missing &= blank
    if line_col is None:
        line = pd.arrays.IntegerArray(np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool))
    else:
        line = pd.array(line_col.tolist(), dtype="Int64")
    out["line"] = line
    invalid = (np.full(n, None, dtype=object) if invalid_col is None
               else invalid_col.to_numpy(dtype=object, na_value=None).copy())
    empty = missing & pd.isna(invalid)
    lines = line.to_numpy(dtype=object, na_value=None)
    for i in np.flatnonzero(empty).tolist():
        where = f"line {lines[i]}" if lines[i] is not None else f"row {i + 1}"
        invalid[i] = f"{where}: empty name"
    out["invalid"] = pd.Series(invalid, dtype=object)
    return pd.DataFrame(out)


def _read_file(path: Path, encoding: str) -> pd.DataFrame:
    if not path.is_file():
        raise ReadError(f"{path}: no such file")
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        try:
            grid = pd.read_excel(path, dtype=object, header=None)
        except ImportError as exc:  # pragma: no cover
            raise ReadError("reading Excel needs openpyxl: pip install 'graphkit[excel]'") from exc
        except ValueError as exc:
            raise ReadError(f"{path}: not a readable Excel workbook ({exc})") from exc
        top = _header_row(grid)  # a title or a note may stand above the header
        header = [str(h).strip() if pd.notna(h) else f"column {j + 1}" for j, h in enumerate(grid.iloc[top])]
        frame = grid.iloc[top + 1:].dropna(how="all")
        sheet_rows = frame.index + 1  # the sheet's row numbers
        frame = frame.set_axis(header, axis=1)
        frame["_line"] = sheet_rows
        frame["_invalid"] = None
        return frame.reset_index(drop=True)
    text = path.read_bytes().decode(encoding, errors="surrogateescape").lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ReadError(f"{path}: the file is empty (a header row is needed)") from None
    except csv.Error as exc:
        raise ReadError(f"{path}:1: {exc}") from None
    if any(_bad_bytes(h) for h in header):
        raise ReadError(f"{path}:1: the header is not valid {encoding}; save the file as UTF-8")
    problems: list[Problem] = []
    rows: list[list[str]] = []
    lines: list[int] = []
    invalid: list[str | None] = []
    for line, cells in numbered_rows(reader, path, problems):
        while problems:  # rows the csv module could not parse: kept, empty, with the reason
            p = problems.pop(0)
            rows.append([""] * len(header))
            lines.append(p.line or 0)
            invalid.append(f"line {p.line}: {p.message}")
        reason = None
        if len(cells) > len(header):
            reason = f"line {line}: {len(cells)} cells but the header has {len(header)} (an unquoted comma?)"
        for col, cell in zip(header, cells):
            if _bad_bytes(cell):
                reason = (f"line {line}, column {col!r}: bytes that are not valid {encoding} "
                          "(save the file as UTF-8)")
                break
        cells = [_show(c) for c in cells[: len(header)]] + [""] * (len(header) - len(cells))
        rows.append(cells)
        lines.append(line)
        invalid.append(reason)
    for p in problems:
        rows.append([""] * len(header))
        lines.append(p.line or 0)
        invalid.append(f"line {p.line}: {p.message}")
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    frame["_line"] = lines
    frame["_invalid"] = invalid
    return frame


def _header_row(grid: pd.DataFrame, look: int = 20) -> int:
    """The first of the top ``look`` rows that names a name or id column (else row 0)."""
    wanted = set(_ALIASES["name"]) | set(_ALIASES["id"])
    for i in range(min(look, len(grid))):
        if any(pd.notna(v) and _column_key(v) in wanted for v in grid.iloc[i].tolist()):
            return i
    return 0


def _delimiter(text: str) -> str:
    """The cell separator: a comma, unless the header has none and has semicolons (what
    Excel writes where the comma is the decimal mark), tabs or bars.

    >>> _delimiter("Name;Country\\nA;CN\\n"), _delimiter("name,country\\n"), _delimiter("name\\nA; B\\n")
    (';', ',', ',')
    """
    first = text.split("\n", 1)[0]
    if "," in first:
        return ","
    return next((d for d in (";", "\t", "|") if d in first), ",")


_SURROGATE = re.compile("[\udc80-\udcff]")


def _bad_bytes(text: str) -> bool:
    return bool(_SURROGATE.search(text))


def _show(text: str) -> str:
    """A cell with undecodable bytes shown as U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)
