"""Investigators' own tables: CSV files or an Excel workbook.

The layout (one table per file or sheet) is the one in ``schema/tables.yaml`` and
``data/seed/README.md``; ``data/templates/`` has empty templates.

- ``entities.csv``: ``id, name, kind, aliases, country, roles, identifiers,
  illustrative, note, source_ref`` (lists separated by ``;``)
- ``relations.csv``: ``id, source, target, kind, share, start, end, observed,
  confidence, role, item, eccn, quantity, price, illustrative, note, source_ref``
- ``listings.csv``: ``id, entity, list, program, listed_name, start, end,
  source_ref, note``

Every problem names the file and the line (the header is line 1; a quoted cell
that spans lines counts its lines). Rows that cannot be used are listed in
``graph.problems``; ``strict=True`` raises instead.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from graphkit.errors import Problem, ReadError
from graphkit.graph import OwnershipGraph

__all__ = ["decode_text", "numbered_rows", "read_csv", "read_excel", "read_tables", "read_table_csv",
           "swallowed_rows", "unclosed_quote"]

_NAMES = ("entities", "relations", "listings")
logger = logging.getLogger(__name__)


def decode_text(path: Path, encoding: str) -> str:
    """Read a file as text, naming line and column of the first byte that is not ``encoding``.

    A file that starts with a UTF-16 byte-order mark (``FF FE`` or ``FE FF``, as Excel's
    "Unicode text" and some Windows tools write), or whose first bytes are ASCII text
    with a zero byte after (or before) each character (UTF-16 without the mark), is read
    as UTF-16 whatever ``encoding`` says, and an INFO log line says so. A UTF-8
    byte-order mark is dropped.

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = f.write_bytes("id,name\\na,商汤\\n".encode("utf-16"))
    >>> decode_text(f, "utf-8").splitlines()
    ['id,name', 'a,商汤']
    """
    data = path.read_bytes()
    if not encoding.lower().replace("-", "").replace("_", "").startswith("utf16"):
        utf16 = _utf16(data)
        if utf16:
            logger.info("%s is UTF-16 text (%s): read as %s, not as %s", path,
                        "byte-order mark" if utf16 == "utf-16" else "every other byte is 0", utf16,
                        encoding)
            encoding = utf16
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ReadError(
            f"{path}:{line}:{col}: byte {data[exc.start:exc.start + 1]!r} is not valid {encoding}; "
            f"save the file as UTF-8 (in Python: pass encoding='latin-1' or 'gb18030')"
        ) from None
    return text.lstrip("\ufeff")


def _utf16(data: bytes) -> str | None:
    """The UTF-16 codec a file is in, by its byte-order mark or (no mark) its zero bytes."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    head = data[:400] if len(data) % 2 == 0 else b""
    if len(head) < 8 or b"\x00" not in head:
        return None
    half = len(head) // 2
    even, odd = head[0::2].count(0) / half, head[1::2].count(0) / half
    if odd >= 0.7 and even == 0:  # a header row is mostly ASCII: "i\0d\0,\0"
        return "utf-16-le"
    if even >= 0.7 and odd == 0:
        return "utf-16-be"
    return None


def numbered_rows(reader: Iterator[list[str]], path: Path,
                  problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` for each non-blank row of a ``csv.reader``.

    ``line`` is the file line the row starts on (a quoted cell may span lines); a
    row the csv module cannot parse becomes a Problem and reading goes on.
    """
    line = reader.line_num + 1  # type: ignore[attr-defined]
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(Problem(f"cannot parse CSV row: {exc}", file=str(path), line=line))
            line = reader.line_num + 1  # type: ignore[attr-defined]
            continue
        here, line = line, reader.line_num + 1  # type: ignore[attr-defined]
        if any(c.strip() for c in cells):
            yield here, cells


def swallowed_rows(cells: list[str], columns: int, delimiter: str = ",") -> int | None:
    """Which cell of a row holds whole rows of the table because a quote was left open.

    A quoted cell may span lines (a note with line breaks, an address with commas). But
    when the row does not have the table's number of cells (or a cell runs to the end of
    the file) *and* a line the cell took in
    holds ``columns - 1`` delimiters or more (at least 2), that line is almost surely the
    next row of the table, read as text because an opening quote was never closed.
    Returns the position of the first such cell, or None.

    >>> swallowed_rows(["q", 'Unclosed,company,CN\\nq2,Next,company,CN\\n'], 4)
    1
    >>> swallowed_rows(["a", "two\\nlines"], 4) is None
    True
    >>> swallowed_rows(["a", "A Ltd", "company", "Office:\\nRoom 1, Floor 2, Beijing"], 4) is None
    True
    """
    # a whole row whose cells all end normally: a multi-line cell in it is written on purpose
    # (a quote left open to the end of the file leaves the last line break inside the cell)
    if len(cells) == columns and not any(c.endswith("\n") for c in cells):
        return None
    need = max(columns - 1, 2)  # a note line with one comma is not a row of a 2-column table
    for k, cell in enumerate(cells):
        if "\n" in cell and any(ln.count(delimiter) >= need for ln in cell.split("\n")[1:]):
            return k
    return None


def unclosed_quote(cells: list[str], k: int, line: int, raw_lines: list[str]) -> str:
    """The message for a row whose cell ``k`` swallowed later rows (see :func:`swallowed_rows`)."""
    opened = line + sum(c.count("\n") for c in cells[:k])
    last = opened + cells[k].rstrip("\n").count("\n")
    closed = last <= len(raw_lines) and '"' in raw_lines[last - 1]
    how = f"is only closed on line {last}" if closed else "is never closed"
    after = f"line {opened + 1}" if last == opened + 1 else f"lines {opened + 1}-{last}"
    return (f"a quote opened on line {opened} {how}; the rows after it ({after}) were read into "
            "one cell. The row is left out: close the quote (or quote the whole cell)")


def read_table_csv(path: str | Path, *, encoding: str = "utf-8",
                   problems: list[Problem] | None = None) -> pd.DataFrame:
    """Read one CSV table as text, with ``_file`` and ``_line`` columns for error reports.

    Rows with more cells than the header are reported and left out; rows with
    fewer are padded (empty cells). Blank lines are skipped. A row whose quoted
    cell ran on over later rows of the table (an opening quote never closed) is
    reported, naming the line where the quote opened, and left out, so the rows
    it swallowed are not used as text.
    """
    p = Path(path)
    if not p.is_file():
        raise ReadError(f"{p}: no such file")
    problems = problems if problems is not None else []
    text = decode_text(p, encoding)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ReadError(f"{p}: the file is empty (a header row is needed)") from None
    except csv.Error as exc:
        raise ReadError(f"{p}:1: {exc}") from None
    header = [h.strip() for h in header]
    if len(set(header)) != len(header):
        dup = sorted({h for h in header if header.count(h) > 1})
        raise ReadError(f"{p}:1: column name(s) repeated in the header: {', '.join(dup)}")
    rows: list[list[str]] = []
    lines: list[int] = []
    raw_lines: list[str] | None = None
    for line, row in numbered_rows(reader, p, problems):
        k = swallowed_rows(row, len(header))
        if k is not None:
            raw_lines = raw_lines if raw_lines is not None else io.StringIO(text, newline="").readlines()
            problems.append(Problem(unclosed_quote(row, k, line, raw_lines), file=str(p), line=line,
                                    column=header[k] if k < len(header) else None,
                                    value=row[k][:200]))
        elif len(row) > len(header):
            problems.append(Problem(
                f"{len(row)} cells but the header has {len(header)} columns (an unquoted comma?)",
                file=str(p), line=line, value=",".join(row)[:200]))
        else:
            rows.append(row + [""] * (len(header) - len(row)))
            lines.append(line)
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    frame["_file"] = str(p)
    frame["_line"] = lines
    return frame


def read_csv(path: str | Path | None = None, *, entities: str | Path | None = None,
             relations: str | Path | None = None, listings: str | Path | None = None,
             encoding: str = "utf-8", strict: bool = False) -> OwnershipGraph:
    """Read an investigation from CSV files.

    Parameters
    ----------
    path : str or Path, optional
        A folder holding ``entities.csv`` and optionally ``relations.csv`` and
        ``listings.csv``.
    entities, relations, listings : str or Path, optional
        Paths to the individual files (override the folder).
    encoding : str
        Text encoding of the files (default UTF-8; a BOM is accepted).
    strict : bool
        Raise GraphValidationError on any problem instead of reporting it.

    Returns
    -------
    OwnershipGraph
        With ``problems`` listing every row that was left out or repaired.

    Examples
    --------
    >>> import graphkit as gk
    >>> g = gk.read_csv(gk.seed_path())
    >>> len(g) > 20 and not g.problems
    True
    """
    files: dict[str, Path | None] = dict.fromkeys(_NAMES)
    if path is not None:
        folder = Path(path)
        if not folder.is_dir():
            raise ReadError(f"{folder}: not a folder (pass entities=..., relations=..., listings=... for files)")
        for name in _NAMES:
            f = folder / f"{name}.csv"
            files[name] = f if f.is_file() else None
    for name, given in (("entities", entities), ("relations", relations), ("listings", listings)):
        if given is not None:
            files[name] = Path(given)
    if files["entities"] is None:
        raise ReadError(f"{path}: no entities.csv found")
    problems: list[Problem] = []
    frames = {name: (read_table_csv(f, encoding=encoding, problems=problems) if f else None)
              for name, f in files.items()}
    return _build(frames, problems, strict)


def read_excel(path: str | Path, *, strict: bool = False) -> OwnershipGraph:
    """Read an investigation from an Excel workbook with sheets entities, relations, listings.

    Cells are read as the spreadsheet shows them (see :mod:`graphkit.io.excel`): a
    date cell becomes an ISO date, a percent-formatted share (``60%``, stored as 0.6)
    is read as 60, and a share between 0 and 1 without a percent format is kept as
    written with a ``kept`` problem asking whether a fraction was meant. Line numbers
    in problems are the spreadsheet's row numbers (header is row 1). ``.xlsx`` and
    ``.xlsm`` need the ``excel`` extra (``pip install graphkit[excel]``); an old
    ``.xls`` book is read through pandas (``xlrd`` needed), without cell formats.

    Examples
    --------
    >>> import tempfile, pathlib, datetime, openpyxl, graphkit as gk
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "case.xlsx"
    >>> wb = openpyxl.Workbook(); ws = wb.active; ws.title = "entities"
    >>> for row in (["id", "name", "kind"], ["p", "Parent", "company"], ["s", "Sub", "company"]):
    ...     ws.append(row)
    >>> rel = wb.create_sheet("relations"); rel.append(["source", "target", "kind", "share"])
    >>> rel.append(["p", "s", "owns", 0.6]); rel["D2"].number_format = "0%"
    >>> lst = wb.create_sheet("listings"); lst.append(["entity", "list", "start"])
    >>> lst.append(["p", "us-ofac-sdn", datetime.datetime(2019, 10, 9)])
    >>> wb.save(f)
    >>> g = gk.read_excel(f)
    >>> float(g.relations.loc[0, "share_min"]), g.listings.loc[0, "start"], g.problems
    (60.0, '2019-10-09', [])
    """
    p = Path(path)
    if not p.is_file():
        raise ReadError(f"{p}: no such file")
    if p.suffix.lower() == ".xls":
        return _build(_read_xls(p), [], strict)
    from graphkit.io.excel import read_sheets

    frames, problems = read_sheets(p, _NAMES)
    if frames["entities"] is None:
        import openpyxl

        book = openpyxl.load_workbook(p, read_only=True)
        found = ", ".join(book.sheetnames)
        book.close()
        raise ReadError(f"{p}: no sheet named 'entities' (found: {found})")
    return _build(frames, problems, strict)


def _read_xls(p: Path) -> dict[str, pd.DataFrame | None]:
    """Sheets of an old ``.xls`` book through pandas (values only: cell formats are not read)."""
    try:
        sheets = pd.read_excel(p, sheet_name=None, dtype=object)
    except ImportError as exc:
        raise ReadError("reading an old .xls workbook needs xlrd (pip install xlrd), or save it "
                        "as .xlsx") from exc
    except ValueError as exc:
        raise ReadError(f"{p}: not a readable Excel workbook ({exc})") from exc
    lower = {k.strip().lower(): v for k, v in sheets.items()}
    if "entities" not in lower:
        raise ReadError(f"{p}: no sheet named 'entities' (found: {', '.join(sheets)})")
    frames: dict[str, pd.DataFrame | None] = {}
    for name in _NAMES:
        df = lower.get(name)
        if df is not None:
            df = df.dropna(how="all").copy()
            df["_file"] = f"{p}[{name}]"
            df["_line"] = df.index + 2
        frames[name] = df
    return frames


def _build(frames: dict[str, pd.DataFrame | None], problems: list[Problem],
           strict: bool) -> OwnershipGraph:
    entities = frames["entities"]
    if entities is None:
        raise ReadError("no entities table")
    return OwnershipGraph.from_frames(entities, frames["relations"], frames["listings"],
                                      on_error="raise" if strict else "report", problems=problems)


def read_tables(path: str | Path, **kwargs: object) -> OwnershipGraph:
    """Read a folder of CSV files, an Excel workbook, or a saved Parquet graph by its look."""
    p = Path(path)
    if p.is_dir() and (p / "graphkit.json").is_file():
        from graphkit.io.parquet import load

        return load(p)
    if p.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        return read_excel(p, **kwargs)  # type: ignore[arg-type]
    return read_csv(p, **kwargs)  # type: ignore[arg-type]
