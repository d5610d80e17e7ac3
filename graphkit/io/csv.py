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
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from graphkit.errors import Problem, ReadError
from graphkit.graph import OwnershipGraph

__all__ = ["decode_text", "numbered_rows", "read_csv", "read_excel", "read_tables", "read_table_csv"]

_NAMES = ("entities", "relations", "listings")


def decode_text(path: Path, encoding: str) -> str:
    """Read a file as text, naming line and column of the first byte that is not ``encoding``."""
    data = path.read_bytes()
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ReadError(
            f"{path}:{line}:{col}: byte {data[exc.start:exc.start + 1]!r} is not valid {encoding}; "
            f"save the file as UTF-8 or pass encoding= (for example 'latin-1' or 'gb18030')"
        ) from None
    return text.lstrip("\ufeff")


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


def read_table_csv(path: str | Path, *, encoding: str = "utf-8",
                   problems: list[Problem] | None = None) -> pd.DataFrame:
    """Read one CSV table as text, with ``_file`` and ``_line`` columns for error reports.

    Rows with more cells than the header are reported and left out; rows with
    fewer are padded (empty cells). Blank lines are skipped.
    """
    p = Path(path)
    if not p.is_file():
        raise ReadError(f"{p}: no such file")
    problems = problems if problems is not None else []
    reader = csv.reader(io.StringIO(decode_text(p, encoding), newline=""))
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
    for line, row in numbered_rows(reader, p, problems):
        if len(row) > len(header):
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

    Line numbers in problems are the spreadsheet's row numbers (header is row 1).
    Needs the ``excel`` extra (``pip install graphkit[excel]``).
    """
    p = Path(path)
    if not p.is_file():
        raise ReadError(f"{p}: no such file")
    try:
        sheets = pd.read_excel(p, sheet_name=None, dtype=object)
    except ImportError as exc:
        raise ReadError("reading Excel needs openpyxl: pip install 'graphkit[excel]'") from exc
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
    return _build(frames, [], strict)


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
