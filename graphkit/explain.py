"""Plain-language sentences about entities, relations and listings, with sources.

Shared by every algorithm so that an explanation reads the same everywhere: what
the fact is, how sure it is, when it held, and where it comes from.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from graphkit.model import get_model
from graphkit.types.share import format_range

__all__ = ["describe_entity", "describe_listing", "describe_party", "describe_step", "visible", "when"]

# characters that change how the text around them is shown, or are not shown at all:
# control characters (not tab or newline), and the bidirectional marks and overrides
_HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u061c\u200b-\u200f\u202a-\u202e"
                     "\u2060-\u2064\u2066-\u2069\ufeff]")


def visible(text: str) -> str:
    """``text`` with invisible and direction-changing characters written out as ``[U+XXXX]``.

    A name from a list may hold a right-to-left override (U+202E) that makes the
    text after it read backwards on screen, or a control character that shows as
    nothing. In a page or a table meant for people, graphkit shows such characters
    instead of obeying them (the data itself keeps them).

    >>> visible("Harmless Trading \u202eLtd")
    'Harmless Trading [U+202E]Ltd'
    >>> visible("Sub Ltd")
    'Sub Ltd'
    """
    return _HIDDEN.sub(lambda m: f"[U+{ord(m.group()):04X}]", text) if _HIDDEN.search(text) else text


def _val(rec: Mapping[str, Any], key: str) -> Any:
    v = rec.get(key)
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    try:
        import pandas as pd

        if v is pd.NA:
            return None
    except ImportError:  # pragma: no cover
        pass
    return v


UNDATED = "(no dates given: counted as in force on every day)"
"""What a listing without start or end says: the reader must know the date was assumed."""


def when(rec: Mapping[str, Any]) -> str:
    """'from 2019-10-09', 'from 2020 to 2021-05', '' when undated."""
    s, e = _val(rec, "start"), _val(rec, "end")
    if s and e:
        return f"from {s} to {e}"
    if s:
        return f"since {s}"
    if e:
        return f"until {e}"
    return ""


def describe_entity(name: str, kind: str | None, illustrative: bool = False) -> str:
    """'SenseTime Group Limited (company)'."""
    label = kind.replace("_", " ") if kind else "entity"
    mark = ", ILLUSTRATIVE" if illustrative else ""
    return f"{name} ({label}{mark})"


def describe_step(rec: Mapping[str, Any], forward: bool, from_name: str, to_name: str) -> str:
    """One step of a path as a sentence, read in the direction walked.

    >>> describe_step({"kind": "owns", "share_min": 100.0, "share_max": 100.0,
    ...                "confidence": "confirmed", "source_ref": "Treasury, 2021-12-10"},
    ...               False, "Shenzhen SenseTime", "SenseTime Group")
    'Shenzhen SenseTime is owned by SenseTime Group (100%) [confirmed; source: Treasury, 2021-12-10]'
    """
    kind = str(_val(rec, "kind"))
    rk = get_model().relation_kinds.get(kind)
    verb = (rk.verb if forward else rk.inverse) if rk else kind
    details: list[str] = []
    lo, hi = _val(rec, "share_min"), _val(rec, "share_max")
    if lo is not None and hi is not None:
        details.append(format_range(float(lo), float(hi)))
    for key in ("role", "item", "eccn", "quantity", "price"):
        v = _val(rec, key)
        if v:
            details.append(f"ECCN {v}" if key == "eccn" else str(v))
    period = when(rec)
    if period:
        details.append(period)
    detail = f" ({'; '.join(details)})" if details else ""
    conf = _val(rec, "confidence") or "unrated"
    evidence = [str(conf)]
    if _val(rec, "illustrative"):
        evidence.append("ILLUSTRATIVE")
    src = _val(rec, "source_ref")
    evidence.append(f"source: {src}" if src else "no source given")
    return f"{from_name} {verb} {to_name}{detail} [{'; '.join(evidence)}]"


def describe_party(record: tuple[str, str], others: list[tuple[str, str]], steps: list[str], total: int,
                   day: str | None = None) -> str:
    """Why a record answers as one party with others: the ``same_as`` relations that join them.

    ``record`` and ``others`` are (name, id); ``steps`` the joining relations in words
    (:func:`describe_step`), the first few of ``total``.

    >>> describe_party(("Alpha Co", "a2"), [("Alpha", "a")], ["Alpha Co is the same as Alpha [reported; source: note]"], 1)
    'Alpha Co (a2) is one party with Alpha (a) (records joined by same_as relations in force): Alpha Co is the same as Alpha [reported; source: note]'
    """
    names = ", ".join(f"{n} ({i})" for n, i in others[:5]) + (" and more" if len(others) > 5 else "")
    on = f" as of {day}" if day else ""
    more = f"; and {total - len(steps)} more" if total > len(steps) else ""
    return (f"{record[0]} ({record[1]}) is one party with {names}{on} (records joined by same_as relations in "
            f"force): {'; '.join(steps)}{more}")


def describe_listing(rec: Mapping[str, Any]) -> str:
    """'on the BIS Entity List since 2019-10-09 as "IFLYTEK" [source: 84 FR 54002]'."""
    code = str(_val(rec, "list"))
    lc = get_model().lists.get(code)
    label = lc.label if lc else code
    parts = [f"on the {label}", when(rec) or UNDATED]
    listed = _val(rec, "listed_name")
    if listed:
        parts.append(f'as "{listed}"')
    prog = _val(rec, "program")
    if prog:
        parts.append(f"(program {prog})")
    src = _val(rec, "source_ref")
    conf = _val(rec, "confidence")
    evidence = [str(conf)] if conf else []
    evidence.append(f"source: {src}" if src else "no source given")
    return " ".join(parts) + f" [{'; '.join(evidence)}]"
