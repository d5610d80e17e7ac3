"""Ownership shares as ranges in percent.

Registers publish exact shares, bands ("25-50%", "more than 50%") or nothing. A
share is ``(share_min, share_max)`` in percent, ``0 <= min <= max <= 100``; an
unknown share is ``(0, 100)``.

Examples
--------
>>> parse("50")
(50.0, 50.0)
>>> parse("25-50%")
(25.0, 50.0)
>>> parse("more than 50%")
(50.0, 100.0)
>>> parse("")
(0.0, 100.0)
"""

from __future__ import annotations

import math
import re

__all__ = ["UNKNOWN", "parse", "format_range"]

UNKNOWN: tuple[float, float] = (0.0, 100.0)

_NUM = r"(\d+(?:\.\d+)?)"
_RANGE = re.compile(rf"^{_NUM}\s*%?\s*(?:-|–|—|to)\s*{_NUM}\s*%?$")
_ABOVE = re.compile(rf"^(?:>=?|≥|more than|over|above|at least|not less than)\s*{_NUM}\s*%?$")
_ABOVE_POST = re.compile(rf"^{_NUM}\s*%?\s*(?:or more|\+|and above|or greater)$")
_BELOW = re.compile(rf"^(?:<=?|≤|less than|under|below|up to|at most)\s*{_NUM}\s*%?$")
_EXACT = re.compile(rf"^{_NUM}\s*%?$")


def parse(value: object) -> tuple[float, float]:
    """Parse a share given as a number, a band or nothing.

    Parameters
    ----------
    value : str, float, int or None
        ``50``, ``"50%"``, ``"25-50"``, ``">50"``, ``"more than 50%"``,
        ``"50 or more"``, ``"<25"``; empty or None means unknown.

    Returns
    -------
    tuple of float
        ``(share_min, share_max)`` in percent. "More than 50%" gives
        ``(50, 100)``: the lower bound is kept inclusive, which is the cautious
        reading for a 50%-or-more rule (the result says ``unknown`` rather than
        ``clear`` where it matters).

    Raises
    ------
    ValueError
        If the text is not a share, or a bound is outside 0..100, or min > max.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return UNKNOWN
    if isinstance(value, bool):
        raise ValueError("a share must be a number or a band, not true/false")
    if isinstance(value, (int, float)):
        return _check(float(value), float(value), value)
    text = str(value).strip().lower().replace(",", ".")
    if text in ("", "unknown", "n/a", "na", "?", "-"):
        return UNKNOWN
    for pattern, kind in ((_RANGE, "range"), (_ABOVE, "above"), (_ABOVE_POST, "above"),
                          (_BELOW, "below"), (_EXACT, "exact")):
        m = pattern.match(text)
        if not m:
            continue
        if kind == "range":
            return _check(float(m.group(1)), float(m.group(2)), value)
        x = float(m.group(1))
        if kind == "above":
            return _check(x, 100.0, value)
        if kind == "below":
            return _check(0.0, x, value)
        return _check(x, x, value)
    raise ValueError(f"cannot read {value!r} as a share (use 50, 25-50, >50 or leave empty)")


def _check(lo: float, hi: float, raw: object) -> tuple[float, float]:
    if lo < 0 or hi < 0:
        raise ValueError(f"share {raw!r} is negative")
    if lo > 100 or hi > 100:
        raise ValueError(f"share {raw!r} is over 100%")
    if lo > hi:
        raise ValueError(f"share {raw!r} has its lower bound above its upper bound")
    return (lo, hi)


def format_range(lo: float, hi: float) -> str:
    """Write a share range for people: ``50%``, ``25-50%``, ``unknown``.

    >>> format_range(50, 50), format_range(25, 50), format_range(0, 100)
    ('50%', '25-50%', 'unknown share')
    """
    if math.isnan(lo) or math.isnan(hi):
        return "no share"
    if lo == 0 and hi == 100:
        return "unknown share"
    if lo == hi:
        return f"{lo:g}%"
    return f"{lo:g}-{hi:g}%"
