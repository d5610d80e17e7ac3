"""Dates, kept as ISO text at the precision the source gives.

Sources give full dates (``2019-10-09``), months (``2023-03``) or years
(``2020``). graphkit keeps that precision and, when it must decide whether a
fact held on a day, reads a partial start as its first day and a partial end as
its last day: a listing that ended "in 2020" is treated as still in force on
2020-06-01. That is the cautious reading for screening.

Examples
--------
>>> parse("2019-10-09"), parse("2023-03"), parse("10 Dec 2021")
('2019-10-09', '2023-03', '2021-12-10')
>>> parse("2019-10-09 00:00:00")  # a spreadsheet's date written out as text
'2019-10-09'

>>> lower("2020"), upper("2020"), upper("2020-02")
('2020-01-01', '2020-12-31', '2020-02-31')
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

__all__ = ["parse", "lower", "upper", "today", "as_of_text", "active_mask", "bounds", "day_number"]

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# A date followed by a time of day, as spreadsheets and databases write them out.
_WITH_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")
_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%Y/%m/%d", "%m/%d/%Y", "%d.%m.%Y")


def parse(value: object) -> str | None:
    """Parse a date into ISO text at the precision given; empty gives None.

    A date with a time of day (``2019-10-09 00:00:00``, ``2019-10-09T13:45Z``) gives
    its date: facts are dated by the day. Readers that see a time other than
    midnight say so (the Excel reader reports it as a ``kept`` problem).

    Raises
    ------
    ValueError
        If the value is not a date graphkit can read, or the day does not exist.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, (_dt.datetime, pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    if "T" in text[:11] and len(text) > 10:
        text = text[:10]
    elif len(text) > 10 and (m := _WITH_TIME.match(text)):
        text = m.group(1)
    m = _ISO.match(text)
    if m:
        y, mo, d = m.groups()
        try:
            _dt.date(int(y), int(mo or 1), int(d or 1))
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a real date ({exc})") from None
        return text
    for fmt in _FORMATS:
        try:
            return _dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise ValueError(f"cannot read {value!r} as a date (use YYYY-MM-DD, YYYY-MM or YYYY)")


def lower(text: str) -> str:
    """First day a partial date can mean."""
    return text + ("-01-01" if len(text) == 4 else "-01" if len(text) == 7 else "")


def upper(text: str) -> str:
    """Last day a partial date can mean (as sortable text; ``-31`` for any month)."""
    return text + ("-12-31" if len(text) == 4 else "-31" if len(text) == 7 else "")


def today() -> str:
    """Today's date as ISO text."""
    return _dt.date.today().isoformat()


def as_of_text(as_of: object) -> str:
    """Normalise an ``as_of`` argument (None means today) to a full ISO date."""
    if as_of is None:
        return today()
    parsed = parse(as_of)
    if parsed is None:
        return today()
    if len(parsed) != 10:
        raise ValueError(f"as_of must be a full date (YYYY-MM-DD), got {as_of!r}")
    return parsed


def day_number(text: str) -> int:
    """A full ISO date as a day number (days since 1970-01-01), for fast comparisons.

    >>> day_number("1970-01-02"), day_number("2019-10-09")
    (1, 18178)
    """
    return int(np.datetime64(text, "D").astype(np.int64))


def _first_day(text: str) -> int:
    return day_number(lower(text))


def _last_day(text: str) -> int:
    if len(text) == 7:  # the month's real last day
        return int((np.datetime64(text, "M") + 1).astype("datetime64[D]").astype(np.int64)) - 1
    return day_number(upper(text))


#: Day numbers standing for "since ever" and "still in force".
EVER, FOREVER = np.iinfo(np.int32).min, np.iinfo(np.int32).max


def bounds(start: pd.Series, end: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the first and last day a fact may hold, as int32 day numbers.

    Partial dates are read cautiously (a start "in 2020" is 2020-01-01, an end
    "in 2020" is 2020-12-31); an empty start is :data:`EVER`, an empty end
    :data:`FOREVER`. Each distinct date is read once. Compute once, then
    ``(lo <= d) & (d <= hi)`` answers "in force on day d" for millions of rows
    in milliseconds.

    >>> lo, hi = bounds(pd.Series(["2020", None]), pd.Series(["2021-02", "2019-10-09"]))
    >>> [str(np.datetime64(int(x), "D")) for x in (lo[0], hi[0], hi[1])], bool(lo[1] == EVER)
    (['2020-01-01', '2021-02-28', '2019-10-09'], True)
    """
    return _days(start, _first_day, EVER), _days(end, _last_day, FOREVER)


def _days(column: pd.Series, fix: Callable[[str], int], empty: int) -> np.ndarray:
    codes, uniq = pd.factorize(column, use_na_sentinel=True)
    codes = np.asarray(codes)
    if not len(uniq):
        return np.full(len(column), empty, dtype=np.int32)
    days = np.array([fix(str(u)) for u in uniq], dtype=np.int32)
    return np.where(codes < 0, np.int32(empty), days[np.maximum(codes, 0)]).astype(np.int32, copy=False)


def active_mask(start: pd.Series, end: pd.Series, as_of: str) -> np.ndarray:
    """Which facts held on ``as_of``: start <= as_of <= end, partial dates read cautiously.

    Empty start means "since ever", empty end "still in force". Each distinct date
    is read once, so millions of rows cost little; callers that ask about many
    days keep :func:`bounds` instead (as :class:`~graphkit.OwnershipGraph` does).
    """
    lo, hi = bounds(start, end)
    day = day_number(as_of)
    return (lo <= day) & (day <= hi)
