"""Check and normalise the three tables of an OwnershipGraph.

The column layout is declared in ``schema/tables.yaml``; this module applies it.
Each check is vectorised (a graph may have millions of rows) and every problem is
reported with its table, row and, when the frame came from a file, the file and
line (frames may carry ``_file`` and ``_line`` columns for that purpose; they are
removed after validation).

Nothing is dropped silently: in ``on_error="raise"`` mode any problem raises
:class:`~graphkit.errors.GraphValidationError` listing all of them; in
``on_error="report"`` mode every problem is returned, and:

- a bad value in a column that is *needed to place the row* (``id``, ``kind``,
  ``source``, ``target``, ``entity``, ``list``; a duplicate id; a relation from
  an entity to itself or between kinds it cannot join) leaves the row out
  (Problem ``rejected``);
- a bad value in any other column (dates, share, confidence, country, roles,
  true/false flags, an empty name) keeps the row with that value unknown
  (Problem ``kept``, naming the value and what was assumed); the value as written
  is added to the row's ``note``. The assumptions are the cautious ones for
  screening: an unreadable listing or relation date, or an end before the start,
  leaves the fact in force; an unreadable share is 0 to 100%; an unknown
  confidence is the default (``reported``); an empty name is the id;
- relations or listings that point to a missing entity get a stub entity
  (Problem ``stub``) instead of being dropped.

Examples
--------
>>> import pandas as pd
>>> c = check_tables(pd.DataFrame({"id": ["a"], "name": ["A"], "kind": ["company"]}), None,
...                  pd.DataFrame({"entity": ["a"], "list": ["us-ofac-sdn"], "start": ["2019-31-10"]}),
...                  on_error="report")
>>> len(c.listings), pd.isna(c.listings.loc[0, "start"]), c.listings.loc[0, "note"]
(1, True, "start as written: '2019-31-10'")
>>> print(c.problems[0].action, c.problems[0].column)
kept start
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphkit.errors import Problem
from graphkit.holdings import holding_checks
from graphkit.model import Model, get_model
from graphkit.types import country as country_type
from graphkit.types import date as date_type

__all__ = ["Checked", "check_tables", "columns_message", "to_list"]

_TRUE = {"true", "yes", "y", "1", "t", "x"}
_FALSE = {"false", "no", "n", "0", "f", ""}
LIST_SEP = ";"
TEXT = pd.StringDtype("pyarrow")


@dataclass
class Checked:
    entities: pd.DataFrame
    relations: pd.DataFrame
    listings: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    # Positions of each relation's source and target in ``entities`` (reused by the index).
    positions: tuple[np.ndarray, np.ndarray] | None = None


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


_DATE_UNKNOWN = {
    "start": "the start is left unknown: the {what} counts as in force from any date (the cautious reading)",
    "end": "the end is left unknown: the {what} counts as still in force (the cautious reading)",
    "observed": "the observed date is left unknown",
}


def _dates(t: _Table, cols: Iterable[str]) -> None:
    """Date columns as ISO text; an unreadable date is kept as unknown (see ``_DATE_UNKNOWN``)."""
    what = t.name.rstrip("s")  # listing, relation
    for col in cols:
        if col not in t.df:
            t.df[col] = pd.Series(pd.NA, index=t.df.index, dtype=TEXT)
            continue
        raw = t.text(col)
        arr = _arrow(raw)
        uniq = pc.drop_null(pc.unique(arr)).to_pylist()
        parsed: list[str | None] = []
        errors: dict[str, str] = {}
        for u in uniq:
            try:
                parsed.append(date_type.parse(u))
            except ValueError as exc:
                parsed.append(None)
                errors[u] = str(exc)
        if errors:
            bad = raw.isin(list(errors)).fillna(False).to_numpy(dtype=bool)
            assumed = _DATE_UNKNOWN.get(col, f"the {col} date is left unknown").format(what=what)
            t.keep(bad, col, lambda r, v=raw, err=errors, a=assumed: f"{err[v.iloc[r]]}; {a}", raw)  # type: ignore[misc]
        if parsed != uniq:  # canonical already: keep the column as it is (no copy)
            arr = pc.take(pa.array(parsed, pa.string()), pc.index_in(arr, value_set=pa.array(uniq, pa.string())))
        t.df[col] = _series(arr, t.df.index)
    if "start" in t.df and "end" in t.df:
        s, e = t.df["start"], t.df["end"]
        both = s.notna().to_numpy() & e.notna().to_numpy()
        if both.any():
            lo = s[both].map(date_type.lower).to_numpy(dtype=object)
            hi = e[both].map(date_type.upper).to_numpy(dtype=object)
            wrong = np.zeros(len(t.df), dtype=bool)
            wrong[np.flatnonzero(both)] = lo > hi
            wrong &= ~t.bad
            if wrong.any():
                s_was, e_was = s.copy(), e.copy()
                t.keep(wrong, "end", lambda r: (
                    f"end {e_was.iloc[r]} is before start {s_was.iloc[r]}; both dates are left "
                    f"unknown: the {what} counts as in force at any date (the cautious reading)"), e_was)
                for r in np.flatnonzero(wrong):
                    t.notes.setdefault(int(r), []).append(f"start as written: {str(s_was.iloc[r])!r}")
                t.df["start"] = s.where(~wrong, None)
                t.df["end"] = e.where(~wrong, None)


# What an unreadable true/false value is read as, and why.
_BOOL_UNKNOWN = {
    "illustrative": (True, "read as true: the fact is marked illustrative (flagged, not presented "
                           "as sourced)"),
    "indirect": (False, "read as false: the relation counts as a direct holding"),
}


def _bools(t: _Table, col: str) -> None:
    if col not in t.df:
        t.df[col] = np.zeros(len(t.df), dtype=bool)
        return
    if t.df[col].dtype == bool:
        return
    raw = t.text(col)

    def parse(v: Any) -> bool:
        text = str(v).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError("must be true or false")

    out, bad, _ = _map_unique(raw, parse)
    value, assumed = _BOOL_UNKNOWN.get(col, (False, "read as false"))
    t.keep(bad, col, f"must be true or false; {assumed}", raw)
    out = out.where(~bad, value)
    t.df[col] = out.where(out.notna(), False).astype(bool)


def _lists(t: _Table, cols: Iterable[str]) -> None:
    for col in cols:
        if col in t.df:
            t.df[col] = t.df[col].map(to_list).astype(object)
        else:
            t.df[col] = pd.Series([None] * len(t.df), dtype=object)


def _texts(t: _Table, cols: Iterable[str]) -> None:
    for col in cols:
        t.df[col] = t.text(col)


def _entities(t: _Table, model: Model) -> None:
    if not _check_columns(t, model):
        return
    _required(t, model, skip=("name",))
    _ids(t, "e")
    # An empty name does not stop the entity being placed: its id stands in (kept).
    names = t.text("name")
    empty = names.isna().to_numpy() & ~t.bad
    if empty.any():
        t.keep(empty, "name", "name is empty; the id is used as the name", None)
        names = names.where(~empty, t.df["id"])
    t.df["name"] = names
    _choice(t, "kind", model.entity_kinds, "entity kind")
    _lists(t, ("aliases", "roles", "identifiers"))
    roles = t.df["roles"]
    has = roles.notna().to_numpy()
    if has.any():
        unknown = np.zeros(len(roles), dtype=bool)
        unknown[has] = [any(r not in model.roles for r in v) for v in roles[has]]
        if unknown.any():
            odd = pd.Series([None] * len(roles), dtype=object)
            rows = np.flatnonzero(unknown)
            odd.iloc[rows] = [LIST_SEP.join(r for r in roles.iloc[i] if r not in model.roles) for i in rows]
            t.keep(unknown, "roles", f"unknown role (known: {', '.join(model.roles)}); the known "
                   "roles are kept, the unknown ones left out", odd)
            kept = roles.copy()
            kept.iloc[rows] = [[r for r in roles.iloc[i] if r in model.roles] or None for i in rows]
            t.df["roles"] = kept
    raw = t.text("country")
    out, bad, msgs = _map_unique(raw, country_type.parse)
    t.keep(bad, "country", lambda r: f"{msgs.iloc[r]}; the country is left unknown", raw)
    t.df["country"] = out.astype(TEXT)
    _bools(t, "illustrative")
    _texts(t, ("name", "note", "source_ref"))


def _relations(t: _Table, model: Model) -> None:
    if not _check_columns(t, model):
        return
    _required(t, model)
    _ids(t, "r")
    _choice(t, "kind", model.relation_kinds, "relation kind")
    _choice(t, "confidence", model.confidence, "confidence level", default=model.default_confidence)
    _shares(t, model)
    _dates(t, ("start", "end", "observed"))
    _bools(t, "illustrative")
    _bools(t, "indirect")
    _texts(t, [c for c, spec in model.tables["relations"].items()
               if spec.type == "text" and c not in ("source", "target")])
    self_loop = (t.df["source"] == t.df["target"]).fillna(False).to_numpy(dtype=bool)
    t.report(self_loop, "target", "relation from an entity to itself")


def _shares(t: _Table, model: Model) -> None:
    """``share`` or ``share_min``/``share_max`` as a range in percent.

    A ``share`` that cannot be read is left unknown (0 to 100%). Each bound is read on
    its own: one that is not a number or is outside 0..100 is read as the widest it
    can be (0 for the minimum, 100 for the maximum) and the other bound is kept;
    bounds the wrong way round are read the other way round. The row is kept in each
    case (Problem ``kept``); a share on a relation kind that carries none is not used.
    """
    from graphkit.types import share as share_type

    n = len(t.df)
    unknown = np.zeros(n, dtype=bool)  # rows whose share is left unknown
    lo = pd.to_numeric(t.df["share_min"], errors="coerce") if "share_min" in t.df else pd.Series(np.nan, index=t.df.index)
    hi = pd.to_numeric(t.df["share_max"], errors="coerce") if "share_max" in t.df else pd.Series(np.nan, index=t.df.index)
    written: dict[str, pd.Series] = {}
    for col, num in (("share_min", lo), ("share_max", hi)):
        if col in t.df and not pd.api.types.is_numeric_dtype(t.df[col].dtype):
            raw = t.text(col)
            written[col] = raw
            notnum = raw.notna().to_numpy() & num.isna().to_numpy()
            bound = "0, the lowest" if col == "share_min" else "100, the highest"
            t.keep(notnum, col, f"not a number (percent, 0 to 100); this bound is read as {bound} possible", raw)
        elif col in t.df:
            written[col] = t.df[col]
    lo = lo.to_numpy(dtype=float, copy=True)
    hi = hi.to_numpy(dtype=float, copy=True)
    if "share" in t.df:
        raw = t.text("share")
        written["share"] = raw
        parsed, bad, msgs = _map_unique(raw, share_type.parse)
        t.keep(bad, "share", lambda r: f"{msgs.iloc[r]}; the share is left unknown (0 to 100%)", raw)
        unknown |= bad
        given = parsed.notna().to_numpy() & np.isnan(lo) & np.isnan(hi)
        if given.any():
            pairs = parsed[given]
            lo[given] = [p[0] for p in pairs]
            hi[given] = [p[1] for p in pairs]
    kinds = t.df["kind"]
    share_kinds = [k for k, v in model.relation_kinds.items() if v.has_share]
    is_share = kinds.isin(share_kinds).to_numpy()
    # One bound given: the other is open.
    lo = np.where(is_share & np.isnan(lo), 0.0, lo)
    hi = np.where(is_share & np.isnan(hi), 100.0, hi)
    # each bound on its own: one outside 0..100 is read as the widest it can be (0 or 100), the
    # other is kept; bounds the wrong way round are read the other way round
    with np.errstate(invalid="ignore"):
        lo_out = (lo > 100) | (lo < 0)
        hi_out = (hi > 100) | (hi < 0)
    out = lo_out | hi_out
    if out.any():
        t.keep(out, "share", "share outside 0 to 100%; a bound outside is read as the widest possible "
                             "(0 for the minimum, 100 for the maximum), a bound inside is kept",
               _share_as_written(written, n, out))
        lo = np.where(lo_out, 0.0, lo)
        hi = np.where(hi_out, 100.0, hi)
    with np.errstate(invalid="ignore"):
        swapped = lo > hi
    if swapped.any():
        t.keep(swapped, "share", "share_min is above share_max; read the other way round",
               _share_as_written(written, n, swapped))
        lo, hi = np.where(swapped, hi, lo), np.where(swapped, lo, hi)
    stray = ~is_share & (~np.isnan(lo) | ~np.isnan(hi)) & kinds.notna().to_numpy()
    if stray.any():
        t.keep(stray, "share",
               lambda r: f"a share is given on a {kinds.iloc[r]!r} relation; only "
                         f"{', '.join(share_kinds)} relations carry shares; the share is not used",
               _share_as_written(written, n, stray))
    lo = np.where(unknown, 0.0, lo)
    hi = np.where(unknown, 100.0, hi)
    t.df["share_min"] = np.where(is_share, lo, np.nan)
    t.df["share_max"] = np.where(is_share, hi, np.nan)
    if "share" in t.df:
        t.df = t.df.drop(columns=["share"])


def _share_as_written(written: dict[str, pd.Series], n: int, rows: np.ndarray) -> pd.Series:
    """The share cells as the file wrote them (``share`` or ``min..max``), for the rows in
    ``rows`` only (None elsewhere): a few bad rows never cost a pass over every row."""
    out = np.full(n, None, dtype=object)
    at = np.flatnonzero(rows)
    if "share_min" in written or "share_max" in written:
        empty = pd.Series([None] * n, dtype=object)
        mn = written.get("share_min", empty).take(at).tolist()
        mx = written.get("share_max", empty).take(at).tolist()
        out[at] = [None if _isna(a) and _isna(b) else f"{'' if _isna(a) else a}..{'' if _isna(b) else b}"
                   for a, b in zip(mn, mx)]
    if "share" in written:
        sh = written["share"].take(at).astype(object).tolist()
        out[at] = [v if not _isna(v) else o for v, o in zip(sh, out[at].tolist())]
    return pd.Series(out, dtype=object)


def _listings(t: _Table, model: Model) -> None:
    if not _check_columns(t, model):
        return
    _required(t, model)
    _ids(t, "l")
    _choice(t, "list", model.lists, "list code")
    _choice(t, "confidence", model.confidence, "confidence level", default=model.default_confidence)
    _dates(t, ("start", "end", "observed"))
    _texts(t, ("program", "listed_name", "source_ref", "note"))


def _references(rel: _Table, lst: _Table, ents: pd.DataFrame, model: Model,
                on_error: str) -> tuple[pd.DataFrame, tuple[np.ndarray, np.ndarray] | None]:
    """Dangling references and kind compatibility.

    Returns the stub entities to add (report mode) and, per relation row, the
    positions of source and target in the entity table with the stubs appended.
    """
    empty = pd.DataFrame({"id": pd.Series([], dtype=TEXT)})
    if "id" not in ents or "kind" not in ents:  # the entities table itself was unusable
        return empty, None
    id_set = _arrow(ents["id"])
    stubs: dict[str, tuple[str, str]] = {}
    positions: dict[str, np.ndarray] = {}
    for t, cols in ((rel, ("source", "target")), (lst, ("entity",))):
        if t.bad.all() or not len(t.df):
            continue
        for col in cols:
            vals = t.df[col]
            pos = pc.fill_null(pc.index_in(_arrow(vals), value_set=id_set), -1)
            pos_np = np.asarray(pos.to_numpy(), dtype=np.int64)
            if t is rel:
                positions[col] = pos_np
            missing = (pos_np < 0) & vals.notna().to_numpy() & ~t.bad
            if not missing.any():
                continue
            if on_error == "report":
                t.report(missing, col, lambda r, v=vals: f"refers to entity {v.iloc[r]!r}, which is not "  # type: ignore[misc]
                         "in the entities table: a stub entity was created", vals, action="stub")
                for r in np.flatnonzero(missing):
                    kind = _stub_kind(model, t.df["kind"].iloc[r] if t.name == "relations" else None, col)
                    stubs.setdefault(str(vals.iloc[r]), (f"{t.name} {col}", kind))
            else:
                t.report(missing, col, lambda r, v=vals: f"refers to entity {v.iloc[r]!r}, which is not "  # type: ignore[misc]
                         "in the entities table", vals)
    stub_frame = pd.DataFrame({
        "id": pd.Series(list(stubs), dtype=TEXT),
        "name": pd.Series(list(stubs), dtype=TEXT),
        "kind": pd.Categorical([k for _, k in stubs.values()], categories=list(model.entity_kinds)),
        "note": pd.Series([f"Stub: named in the {w} column but absent from the entities table."
                           for w, _ in stubs.values()], dtype=TEXT),
    })
    if not positions:
        return stub_frame, None
    if stubs:  # stubs are appended after the entities: point the dangling rows at them
        stub_pos = {sid: len(ents) + i for i, sid in enumerate(stubs)}
        for col in ("source", "target"):
            pos = positions[col]
            for r in np.flatnonzero(pos < 0):
                pos[r] = stub_pos.get(str(rel.df[col].iloc[r]), -1)
    kinds = pd.concat([ents["kind"].astype(object), stub_frame["kind"].astype(object)], ignore_index=True)
    kind_cat = pd.Categorical(kinds, categories=list(model.entity_kinds))
    _kind_compat(rel, np.asarray(kind_cat.codes, dtype=np.int64), positions, model)
    return stub_frame, (positions["source"], positions["target"])


def _stub_kind(model: Model, relation_kind: object, column: str) -> str:
    """Kind for a stub entity: what the relation requires at that end (legal_entity if open)."""
    rk = model.relation_kinds.get(str(relation_kind)) if not _isna(relation_kind) else None
    if rk is None:
        return "legal_entity"
    allowed = rk.target_kinds if column == "target" else rk.source_kinds
    return "legal_entity" if "legal_entity" in allowed or not allowed else allowed[0]


def _kind_compat(t: _Table, entity_kind_codes: np.ndarray, positions: dict[str, np.ndarray],
                 model: Model) -> None:
    """Each relation's ends must be of the kinds its relation kind allows (checked on codes)."""
    df = t.df

    def ek_of(r: int, side: str) -> int:
        return int(entity_kind_codes[positions[side][r]])

    rel_cats = list(df["kind"].cat.categories)
    ent_cats = list(model.entity_kinds)
    rk = np.asarray(df["kind"].cat.codes, dtype=np.int64)
    for side, attr in (("source", "source_kinds"), ("target", "target_kinds")):
        pos = positions[side]
        ek = np.where(pos >= 0, entity_kind_codes[np.maximum(pos, 0)], -1)
        pair = rk * 1024 + ek
        wrong = [int(p) for p in np.unique(pair[(rk >= 0) & (ek >= 0)])
                 if not any(model.is_a(ent_cats[p % 1024], a)
                            for a in getattr(model.relation_kinds[rel_cats[p // 1024]], attr))]
        if not wrong:
            continue
        mask = np.isin(pair, wrong) & ~t.bad
        t.report(mask, side, lambda r, sd=side, at=attr: (  # type: ignore[misc]
            f"a {df['kind'].iloc[r]} relation cannot have a {ent_cats[int(ek_of(r, sd))]} as its {sd} "
            f"(expected {' or '.join(getattr(model.relation_kinds[df['kind'].iloc[r]], at))})"),
            df[side])


def check_tables(entities: pd.DataFrame, relations: pd.DataFrame | None,
                 listings: pd.DataFrame | None, *, on_error: str = "raise",
                 model: Model | None = None) -> Checked:
    """Check and normalise the three tables (see the module docstring)."""
    model = model or get_model()
    problems: list[Problem] = []
    empty_rel = pd.DataFrame(columns=["source", "target", "kind"])
    empty_lst = pd.DataFrame(columns=["entity", "list"])
    te = _Table("entities", entities, problems)
    tr = _Table("relations", relations if relations is not None else empty_rel, problems)
    tl = _Table("listings", listings if listings is not None else empty_lst, problems)
    _entities(te, model)
    _relations(tr, model)
    _listings(tl, model)
    ents = te.finish()
    if not te.usable:
        # The entities table lacks a required column (already reported): the graph cannot be
        # built, and stubs for every reference would only bury that problem.
        return Checked(ents, tr.finish(), tl.finish(), problems, None)
    stubs, positions = _references(tr, tl, ents, model, on_error)
    for rows, column, message in holding_checks(tr.df, ~tr.bad):  # facts that cannot all be true
        tr.report(rows & ~tr.bad, column, message, action="check")
    if len(stubs):
        ents = pd.concat([ents, stubs], ignore_index=True)
        if "illustrative" in ents:
            ents["illustrative"] = ents["illustrative"].fillna(False).astype(bool)
        for c in ("aliases", "roles", "identifiers"):
            if c in ents:
                ents[c] = ents[c].astype(object)
        for c in ("country", "source_ref"):
            if c in ents:
                ents[c] = ents[c].astype(TEXT)
    if positions is not None:
        keep = ~tr.bad
        positions = (positions[0][keep].astype(np.int32), positions[1][keep].astype(np.int32))
    return Checked(ents, tr.finish(), tl.finish(), problems, positions)
