"""The table under check, and the checks every table uses (columns, ids, words from a set).

Part of :mod:`graphkit.validate`: a :class:`_Table` holds one input table while it is
checked, collects its problems (``rejected`` rows are marked bad, ``kept`` values are
noted in the row's ``note``), and gives the text of a column as Arrow strings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphkit.errors import Problem
from graphkit.model import Model

__all__ = ["LIST_SEP", "TEXT", "columns_message", "to_list"]

_TRUE = {"true", "yes", "y", "1", "t", "x"}
_FALSE = {"false", "no", "n", "0", "f", ""}
LIST_SEP = ";"
TEXT = pd.StringDtype("pyarrow")


def _arrow(s: pd.Series) -> pa.ChunkedArray:
    """The Arrow strings behind a text Series (zero copy when it is already Arrow-backed)."""
    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
        return s.array.__arrow_array__()
    return pa.chunked_array([pa.array(s.astype(object).where(s.notna(), None).tolist(), pa.string())])


def _series(arr: pa.ChunkedArray | pa.Array, index: pd.Index) -> pd.Series:
    return pd.Series(pd.array(arr, dtype=TEXT), index=index)


def to_list(value: Any) -> list[str] | None:
    """Normalise a list cell: a list, a ';'-separated string, or empty (None).

    >>> to_list("a; b;;c"), to_list(["x", " y "]), to_list("")
    (['a', 'b', 'c'], ['x', 'y'], None)
    """
    if value is None:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, str):
        items = [v.strip() for v in value.split(LIST_SEP)]
    elif isinstance(value, (list, tuple, set, np.ndarray, pd.Series)):
        items = [str(v).strip() for v in value if v is not None and str(v).strip()]
    else:
        items = [str(value).strip()]
    items = [v for v in items if v]
    return items or None


class _Table:
    """One table being checked: its frame, where rows came from, and the bad-row mask."""

    def __init__(self, name: str, frame: pd.DataFrame, problems: list[Problem]):
        self.name = name
        self.df = frame.reset_index(drop=True).copy()
        self.bad = np.zeros(len(self.df), dtype=bool)
        self.problems = problems
        self.file: pd.Series | None = self.df.get("_file")
        self.line: pd.Series | None = self.df.get("_line")
        self.usable = True  # False when a required column is missing
        # Row -> values as written that were read as unknown (added to the row's note).
        self.notes: dict[int, list[str]] = {}

    def report(self, mask: np.ndarray, column: str | None, message: str | Callable[[int], str],
               values: pd.Series | None = None, action: str = "rejected") -> None:
        """Record a problem for every row in ``mask`` (and mark it bad when rejected)."""
        rows = np.flatnonzero(mask)
        for r in rows:
            msg = message(int(r)) if callable(message) else message
            val = None if values is None else values.iloc[r]
            self.problems.append(Problem(
                message=msg,
                file=None if self.file is None else _str_or_none(self.file.iloc[r]),
                line=None if self.line is None else _int_or_none(self.line.iloc[r]),
                column=column, table=self.name, row=int(r) + 1,
                value=None if val is None or _isna(val) else str(val), action=action,
            ))
        if action == "rejected":
            self.bad |= mask

    def keep(self, mask: np.ndarray, column: str, message: str | Callable[[int], str],
             values: pd.Series | None) -> None:
        """Rows in ``mask`` stay, with the value of ``column`` unknown: Problem ``kept``.

        The value as written goes into the row's ``note`` (see :meth:`finish`).
        """
        mask = np.asarray(mask, dtype=bool) & ~self.bad
        if not mask.any():
            return
        self.report(mask, column, message, values, action="kept")
        if values is not None:
            for r in np.flatnonzero(mask):
                v = values.iloc[r]
                if not _isna(v):
                    self.notes.setdefault(int(r), []).append(f"{column} as written: {str(v)!r}")

    def text(self, col: str) -> pd.Series:
        """Column as stripped text (Arrow strings), empty strings as missing.

        Arrow-backed text is trimmed and cleaned without leaving Arrow (no copy when
        nothing needs changing); other columns are converted once.
        """
        if col not in self.df:
            return pd.Series(pd.NA, index=self.df.index, dtype=TEXT)
        s = self.df[col]
        if not (isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow"):
            s = s.astype(object).where(s.notna(), None).astype(TEXT)
        arr = _arrow(s)
        trimmed = pc.utf8_trim_whitespace(arr)
        if not pc.all(pc.fill_null(pc.equal(trimmed, arr), True)).as_py():
            arr = trimmed
        empty = pc.fill_null(pc.equal(arr, ""), False)
        if pc.any(empty).as_py():
            arr = pc.if_else(empty, pa.scalar(None, pa.string()), arr)
        return _series(arr, self.df.index)

    def finish(self) -> pd.DataFrame:
        if self.notes and self.usable:
            self._write_notes()
        if self.bad.any():
            self._relabel_kept_on_rejected_rows()
        keep = self.df.loc[~self.bad]
        drop = [c for c in keep.columns if str(c).startswith("_")]
        return keep.drop(columns=drop).reset_index(drop=True)

    def _write_notes(self) -> None:
        note = self.df["note"] if "note" in self.df else pd.Series(pd.NA, index=self.df.index, dtype=TEXT)
        note = note.astype(TEXT).copy()
        rows = sorted(self.notes)
        old = note.iloc[rows].tolist()
        note.iloc[rows] = [". ".join(([str(o)] if not _isna(o) else []) + self.notes[r])
                           for r, o in zip(rows, old)]
        self.df["note"] = note

    def _relabel_kept_on_rejected_rows(self) -> None:
        """A value read as unknown on a row later left out for another reason: say so."""
        for i, p in enumerate(self.problems):
            if (p.action == "kept" and p.table == self.name and p.row is not None
                    and self.bad[p.row - 1]):
                self.problems[i] = replace(p, action="rejected", message=(
                    f"{p.message} (the row is not used anyway: see its other problem)"))


def _isna(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _str_or_none(v: Any) -> str | None:
    return None if _isna(v) else str(v)


def _int_or_none(v: Any) -> int | None:
    return None if _isna(v) else int(v)


def _map_unique(s: pd.Series, fn: Callable[[Any], Any]) -> tuple[pd.Series, np.ndarray, pd.Series]:
    """Apply ``fn`` once per distinct value; return results, error mask and messages."""
    uniq = pd.unique(s.dropna())
    ok: dict[Any, Any] = {}
    err: dict[Any, str] = {}
    for u in uniq:
        try:
            ok[u] = fn(u)
        except ValueError as exc:
            err[u] = str(exc)
    out = s.map(ok).astype(object)
    out = out.where(out.notna(), None)
    bad = s.isin(list(err)).to_numpy() if err else np.zeros(len(s), dtype=bool)
    msgs = s.map(err) if err else pd.Series([None] * len(s), dtype=object)
    return out, bad, msgs


def _check_columns(t: _Table, model: Model) -> bool:
    """Required columns present; returns False (and reports) if the table is unusable."""
    missing = [c for c, spec in model.tables[t.name].items() if spec.required and c not in t.df]
    if missing:
        t.problems.append(Problem(
            message=columns_message(t.name, missing, list(t.df.columns)),
            table=t.name, file=None if t.file is None or t.file.empty else str(t.file.iloc[0])))
        t.bad[:] = True
        t.usable = False
        return False
    return True


def columns_message(table: str, missing: list[str], found: list[object]) -> str:
    """What to say when a table lacks required columns (internal ``_file``/``_line`` hidden).

    >>> columns_message("entities", ["name", "kind"], ["id;name;kind", "_file", "_line"])
    "the entities table has no column 'name', 'kind' (columns found: id;name;kind); the file seems to use ';' between cells; graphkit tables use commas"
    """
    shown = [str(c) for c in found if not str(c).startswith("_")]
    msg = (f"the {table} table has no column {', '.join(map(repr, missing))} "
           f"(columns found: {', '.join(shown) or 'none'})")
    cased = [f"{c!r}, not {f!r}" for c in missing for f in shown if f.strip().lower() == c and f != c]
    if cased:
        msg += f"; column names are written in lower case ({'; '.join(cased)})"
    if len(shown) == 1:
        for sep, name in ((";", "';'"), ("\t", "a tab")):
            if sep in shown[0]:
                msg += f"; the file seems to use {name} between cells; graphkit tables use commas"
                break
    return msg


def _required(t: _Table, model: Model, skip: tuple[str, ...] = ()) -> None:
    for col, spec in model.tables[t.name].items():
        if spec.required and col not in skip:
            vals = t.text(col)
            t.df[col] = vals
            t.report(vals.isna().to_numpy() & ~t.bad, col, f"{col} is empty")


def _ids(t: _Table, prefix: str) -> None:
    if "id" not in t.df:  # generated ids are unique by construction: no duplicate check
        numbers = pa.array(np.arange(1, len(t.df) + 1)).cast(pa.string())
        t.df["id"] = _series(pc.binary_join_element_wise(prefix, numbers, ""), t.df.index)
        return
    ids = t.text("id")
    missing = ids.isna().to_numpy()
    if missing.any():
        ids = ids.copy()
        ids[missing] = [f"{prefix}{i + 1}" for i in np.flatnonzero(missing)]
    t.df["id"] = ids
    _duplicates(t, "id")


def _duplicates(t: _Table, col: str) -> None:
    vals = t.df[col]
    dup = vals.duplicated(keep=False).to_numpy() & vals.notna().to_numpy()
    if not dup.any():
        return
    first_row: dict[Any, int] = {}
    for r in np.flatnonzero(dup):
        first_row.setdefault(vals.iloc[r], int(r))
    later = dup & vals.duplicated(keep="first").to_numpy()

    def msg(r: int) -> str:
        f = first_row[vals.iloc[r]]
        where = f"line {int(t.line.iloc[f])}" if t.line is not None else f"row {f + 1}"
        return f"duplicate {col} {vals.iloc[r]!r}: already used at {where}"

    t.report(later, col, msg, vals)


def _choice(t: _Table, col: str, allowed: Iterable[str], what: str,
            default: str | None = None) -> None:
    """A column of words from a fixed set; stored as a Categorical over ``allowed``.

    Without ``default`` the column is needed to place the row: an unknown word
    rejects it. With ``default`` (an optional column) an unknown word is read as
    the default and the row is kept (Problem ``kept``, the word noted).
    """
    allowed = list(allowed)
    vals = t.text(col)
    arr = _arrow(vals)
    if default is not None:
        arr = pc.fill_null(arr, default)
    enc = pc.dictionary_encode(arr).combine_chunks()
    words = enc.dictionary.to_pylist()
    norm = [w.lower() if what == "list code" else w.lower().replace(" ", "_") for w in words]
    lut = np.array([allowed.index(w) if w in allowed else -2 for w in norm] + [-1], dtype=np.int64)
    idx = pc.fill_null(enc.indices, len(words)).to_numpy(zero_copy_only=False).astype(np.int64)
    codes = lut[idx]
    bad = codes == -2
    if bad.any():
        shown = ", ".join(allowed[:12]) + (", ..." if len(allowed) > 12 else "")
        if default is None:
            t.report(bad, col, f"unknown {what} (known: {shown})", vals)
        else:
            t.keep(bad, col, f"unknown {what} (known: {shown}); read as {default!r}, the default", vals)
            codes = np.where(bad, allowed.index(default), codes)
    t.df[col] = pd.Categorical.from_codes(np.maximum(codes, -1), categories=allowed)

