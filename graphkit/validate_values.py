"""Checks of the values in a table's columns: dates, true/false flags, lists, texts, shares.

Part of :mod:`graphkit.validate`. A bad value here never rejects a row: it is read as
unknown under the cautious assumption, and the problem (``kept``) says what was assumed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphkit.model import Model
from graphkit.types import date as date_type
from graphkit.validate_base import (
    _FALSE,
    _TRUE,
    TEXT,
    _arrow,
    _isna,
    _map_unique,
    _series,
    _Table,
    to_list,
)

__all__: list[str] = []


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

