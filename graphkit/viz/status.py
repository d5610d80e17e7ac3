"""What an ownership rule says about the entities of a picture.

``gk.to_html(g, rule="ofac50")`` applies :func:`graphkit.restricted` to the graph;
``gk.to_html(cut, restricted=table)`` reuses a table already computed (on the whole
graph, so that a cut never changes an entity's status). Either way each entity of
the picture gets a :class:`RuleStatus`, which :mod:`graphkit.viz.view` turns into a
colour (restricted, unknown) and tooltip lines. A node folded by
:func:`graphkit.viz.collapse` takes the most severe status of its members.

Examples
--------
>>> import graphkit as gk
>>> g = gk.example_graph()
>>> statuses = rule_statuses(g, rule="bis-affiliates", as_of="2025-10-15")
>>> statuses["sub"].status, rule_label(statuses["sub"].rule)
('restricted', 'BIS Affiliates Rule')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from graphkit.graph import OwnershipGraph
from graphkit.types import date as date_type

__all__ = ["RuleStatus", "as_of_day", "folded_status", "rule_label", "rule_statuses"]


@dataclass(frozen=True)
class RuleStatus:
    """What an ownership rule said about one entity (a row of :func:`graphkit.restricted`)."""

    status: str
    rule: str
    explanation: str = ""
    red_flag: bool = False


_RULE_COLUMNS = ("id", "status", "rule", "as_of", "explanation")


def as_of_day(as_of: object, restricted: pd.DataFrame | None) -> str:
    """The picture's day: ``as_of``, or the ``restricted`` table's own date (they must agree)."""
    if restricted is None or "as_of" not in getattr(restricted, "columns", ()) or not len(restricted):
        return date_type.as_of_text(as_of)
    days = sorted({str(d) for d in restricted["as_of"]})
    if len(days) != 1:
        raise ValueError(f"the restricted table mixes as-of dates: {days[:3]}")
    if as_of is None:
        return days[0]
    day = date_type.as_of_text(as_of)
    if day != days[0]:
        raise ValueError(f"the restricted table is as of {days[0]} but the picture is asked "
                         f"as of {day}: pass the same as_of to gk.restricted and gk.to_html")
    return day


def rule_statuses(graph: OwnershipGraph, *, rule: str | None = None,
                  restricted: pd.DataFrame | None = None, as_of: str) -> dict[str, RuleStatus]:
    """Entity id -> what the rule said, for the entities of ``graph``.

    Give ``rule`` (applied to ``graph`` on ``as_of``) or ``restricted`` (a
    :func:`graphkit.restricted` table; rows for entities not in ``graph`` are
    ignored), not both. Neither given: an empty dict.
    """
    if restricted is not None and rule is not None:
        raise ValueError("give either rule (applied to this graph) or restricted (a table "
                         "gk.restricted already returned), not both")
    if restricted is None:
        if rule is None:
            return {}
        from graphkit.algorithms.restricted import restricted as apply_rule

        restricted = apply_rule(graph, rule=rule, as_of=as_of)
    if not isinstance(restricted, pd.DataFrame):
        raise TypeError(f"restricted must be the DataFrame gk.restricted returns, not "
                        f"{type(restricted).__name__}")
    missing = [c for c in _RULE_COLUMNS if c not in restricted.columns]
    if missing:
        raise ValueError(f"restricted lacks the columns {missing}: pass the table gk.restricted returns")
    ids = set(graph.entities["id"].astype(str))
    if "members" in graph.entities.columns:  # nodes folded by gk.viz.collapse
        ids.update(str(m) for ms in graph.entities["members"] if isinstance(ms, list) for m in ms)
    out: dict[str, RuleStatus] = {}
    flags = restricted["red_flag"] if "red_flag" in restricted.columns else [False] * len(restricted)
    for eid, status, name, text, flag in zip(restricted["id"], restricted["status"],
                                             restricted["rule"], restricted["explanation"], flags):
        if str(eid) in ids:
            out[str(eid)] = RuleStatus(str(status), str(name), _plain_text(text), bool(flag))
    return out


def rule_label(name: str) -> str:
    from graphkit.rules import RuleError, get_rule

    try:
        return str(get_rule(name).label)
    except RuleError:
        return name


_SEVERITY = ("listed", "restricted", "unknown", "clear")


def folded_status(members: list[Any], statuses: Mapping[str, RuleStatus]) -> RuleStatus | None:
    """The rule status of a node folded by gk.viz.collapse: its most severe member's."""
    found = [statuses[str(m)] for m in members if str(m) in statuses]
    if not found:
        return None
    counts: dict[str, int] = {}
    for r in found:
        counts[r.status] = counts.get(r.status, 0) + 1
    worst = min(counts, key=lambda st: _SEVERITY.index(st) if st in _SEVERITY else len(_SEVERITY))
    example = next(r for r in found if r.status == worst)
    words = ", ".join(f"{c} {st}" for st, c in counts.items())
    text = f"Of the {len(members)} entities folded into this node: {words}."
    if example.explanation:
        text += f" For example: {example.explanation}"
    return RuleStatus(worst, example.rule, text, any(r.red_flag for r in found))


def _plain_text(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
