"""The view model: what a picture of an OwnershipGraph shows, before any styling.

:func:`build_view` reads a graph once and says, for every entity and relation,
what it *is* on the as-of date (listed or not, role, suspected, illustrative,
in force, highlighted) and which facts its tooltip lists. Values here are plain
text, never HTML: escaping is the renderer's job (:mod:`graphkit.viz.network`,
:mod:`graphkit.viz.page`), styling is a table lookup (:mod:`graphkit.viz.styles`).

Examples
--------
>>> import graphkit as gk
>>> g = gk.example_graph()
>>> view = build_view(g, highlight=gk.paths(g, "buyer", as_of="2024-01-01"), as_of="2024-01-01")
>>> [(n.id, n.category, n.highlighted) for n in view.nodes][:3]
[('parent', 'listed', True), ('sub', 'company', True), ('buyer', 'company', True)]
>>> view.highlight_summary
['Buyer Trading Ltd → Sub Ltd → Parent Group']
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import pandas as pd

from graphkit.algorithms.paths import Path
from graphkit.errors import GraphkitError
from graphkit.explain import describe_listing
from graphkit.graph import OwnershipGraph, _plain
from graphkit.model import get_model
from graphkit.types.share import format_range
from graphkit.viz.layout import positions
from graphkit.viz.status import RuleStatus, as_of_day, folded_status, rule_label, rule_statuses
from graphkit.viz.styles import CATEGORY_RULES, CUT_ADVICE_NODES, LARGE_GRAPH_NODES

__all__ = ["EdgeView", "GraphView", "Highlight", "NodeView", "build_view"]

#: What ``highlight`` accepts: a Path, an entity id, or an iterable of those.
Highlight: TypeAlias = "Path | str | Iterable[Path | str] | None"

# Columns shown in the tooltip in a fixed order; any other column follows.
_ENTITY_ORDER = ("id", "kind", "aliases", "country", "roles", "identifiers", "illustrative",
                 "note", "source_ref")
_RELATION_ORDER = ("id", "kind", "share", "start", "end", "observed", "confidence", "source_ref",
                   "role", "item", "eccn", "quantity", "price", "illustrative", "note")
_RELATION_SKIP = ("source", "target", "share_min", "share_max")


@dataclass
class NodeView:
    """One entity as the picture shows it; ``fields`` are (name, plain text) pairs."""

    id: str
    name: str
    kind: str
    category: str
    illustrative: bool = False
    highlighted: bool = False
    fields: list[tuple[str, str]] = field(default_factory=list)
    x: float | None = None
    y: float | None = None
    aliases: list[str] = field(default_factory=list)
    folded: int = 0  # entities this node stands for (gk.viz.collapse); 0 for a plain entity

    @property
    def search_text(self) -> str:
        """Name, id and aliases in lower case, one per line (what the page's search box reads)."""
        return "\n".join([self.name, self.id, *self.aliases]).lower()


@dataclass
class EdgeView:
    """One relation as the picture shows it; ``fields`` are (name, plain text) pairs."""

    id: str
    source: str
    target: str
    kind: str
    caption: str = ""
    suspected: bool = False
    illustrative: bool = False
    active: bool = True
    highlighted: bool = False
    fields: list[tuple[str, str]] = field(default_factory=list)

    def value(self, name: str) -> str:
        """The text of field ``name`` ('' when the relation does not have it)."""
        return next((v for k, v in self.fields if k == name), "")


@dataclass
class GraphView:
    """Everything a renderer needs: nodes, edges, title and what is highlighted."""

    title: str
    as_of: str
    nodes: list[NodeView]
    edges: list[EdgeView]
    highlight_summary: list[str] = field(default_factory=list)
    fixed_layout: bool = False
    rule: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def categories(self) -> set[str]:
        return {n.category for n in self.nodes}

    @property
    def relation_kinds(self) -> set[str]:
        return {e.kind for e in self.edges}


def build_view(graph: OwnershipGraph, highlight: Highlight = None, *, title: str | None = None,
               as_of: object = None, rule: str | None = None,
               restricted: pd.DataFrame | None = None, progress: bool = False) -> GraphView:
    """Describe ``graph`` on ``as_of`` (default today) for drawing.

    ``rule`` (a rule name such as ``"ofac50"``) applies :func:`graphkit.restricted`
    to ``graph``; ``restricted`` passes a table that call already returned (for
    example on the whole graph, when ``graph`` is a cut of it). Either way
    entities the rule calls ``restricted`` or ``unknown`` get their own colour and
    the rule's explanation in their tooltip. With ``restricted`` and no ``as_of``
    the table's own as-of date is used.

    Raises
    ------
    TypeError
        If ``graph`` is not an OwnershipGraph or ``highlight`` has the wrong type.
    NodeNotFound
        If a highlighted entity is not in the graph.
    GraphkitError
        If a highlighted path uses a relation that is not in the graph.
    ValueError
        If ``as_of`` is not a full date, ``restricted`` lacks the columns of
        :func:`graphkit.restricted` or holds another as-of date than ``as_of``, or
        both ``rule`` and ``restricted`` are given.
    graphkit.rules.RuleError
        If ``rule`` is not a known rule.
    """
    if not isinstance(graph, OwnershipGraph):
        raise TypeError(f"to_html needs an OwnershipGraph, got {type(graph).__name__}")
    day = as_of_day(as_of, restricted)
    hl_nodes, hl_rels, summary = _resolve_highlight(graph, highlight)
    statuses = rule_statuses(graph, rule=rule, restricted=restricted, as_of=day)
    nodes = _nodes(graph, day, hl_nodes, statuses)
    edges = _edges(graph, day, hl_rels)
    fixed = len(nodes) > LARGE_GRAPH_NODES
    if fixed:
        pos = positions([n.id for n in nodes], [(e.source, e.target) for e in edges],
                        progress=progress)
        for n in nodes:
            n.x, n.y = pos[n.id]
    heading = title if title is not None else (
        f"{_count(len(nodes), 'entity', 'entities')}, {_count(len(edges), 'relation')}")
    rule_name = rule_label(next(iter(statuses.values())).rule) if statuses else ""
    notes = [CUT_ADVICE] if len(nodes) > CUT_ADVICE_NODES else []
    return GraphView(heading, day, nodes, edges, summary, fixed, rule_name, notes)


#: What the page (and a log warning) says when a graph is too large to read well.
CUT_ADVICE = ("This picture is large. To see what matters, cut the graph first: "
              "gk.viz.focus(g, ids, hops=2) keeps the neighbourhood of some entities, "
              "gk.viz.paths_graph(g, paths) only the paths found, gk.viz.collapse(g, max_group=20) "
              "folds large groups of look-alike subsidiaries into one node each "
              "(command line: graphkit html FILE --focus ID --hops 2 --collapse 20).")


# -- highlight --------------------------------------------------------------------------
def _resolve_highlight(g: OwnershipGraph, highlight: Highlight) -> tuple[set[str], set[str], list[str]]:
    """Entity ids and relation ids to highlight, and one line of words per item."""
    if highlight is None:
        return set(), set(), []
    items: list[Any] = [highlight] if isinstance(highlight, (Path, str)) else _as_list(highlight)
    nodes: set[str] = set()
    rels: set[str] = set()
    summary: list[str] = []
    loose: list[str] = []
    for item in items:
        if isinstance(item, Path):
            g.check_ids(item.nodes)
            nodes.update(item.nodes)
            rels.update(str(r["id"]) for r in item.relations)
            summary.append(" → ".join(g.name_of(i) for i in item.nodes))
        elif isinstance(item, str):
            loose.append(item)
        else:
            raise TypeError(f"highlight takes Paths or entity ids, not {type(item).__name__}")
    if loose:
        nodes.update(g.check_ids(loose))
        summary.append("Entities: " + ", ".join(g.name_of(i) for i in loose))
    missing = rels - set(g.relations["id"].astype(str))
    if missing:
        raise GraphkitError(f"highlighted path uses relations not in the graph: {sorted(missing)}")
    return nodes, rels, summary


def _as_list(highlight: object) -> list[Any]:
    try:
        return list(highlight)  # type: ignore[call-overload]
    except TypeError:
        raise TypeError("highlight takes a Path, an entity id, or a list of those, "
                        f"not {type(highlight).__name__}") from None


# -- nodes ------------------------------------------------------------------------------
def _nodes(g: OwnershipGraph, day: str, highlighted: set[str],
           statuses: Mapping[str, RuleStatus]) -> list[NodeView]:
    active = g.active_listings(day)
    listed_now = set(active["entity"].astype(str))
    active_ids = set(active["id"].astype(str))
    listings: dict[str, list[dict[str, Any]]] = {}
    for rec in g.listings.to_dict("records"):
        listings.setdefault(str(rec["entity"]), []).append({k: _plain(v) for k, v in rec.items()})
    out: list[NodeView] = []
    for raw in g.entities.to_dict("records"):
        rec = {k: _plain(v) for k, v in raw.items()}
        eid, kind = str(rec["id"]), str(rec["kind"])
        own = listings.get(eid, [])
        status = "listed" if eid in listed_now else "listed_other_date" if own else "not_listed"
        members = rec.get("members") if isinstance(rec.get("members"), list) else None
        ruled = folded_status(members, statuses) if members else statuses.get(eid)
        category = _category(kind, rec.get("roles") or [], status, ruled.status if ruled else "")
        fields = _fields(rec, _ENTITY_ORDER, skip=("name", "members"))
        fields.append(("status", _status_text(status, day)))
        for lst in own:
            fields.append(("listing", _listing_text(lst, str(lst.get("id")) in active_ids)))
        if ruled is not None:
            flag = " (red flag)" if ruled.red_flag else ""
            fields.append(("rule status", f"{ruled.status}{flag} under {rule_label(ruled.rule)} "
                                          f"on {day}"))
            if ruled.explanation and (ruled.status in ("restricted", "unknown") or ruled.red_flag):
                fields.append(("rule explanation", ruled.explanation))
        aliases = rec.get("aliases") or []
        out.append(NodeView(eid, str(rec["name"]), kind, category, bool(rec.get("illustrative")),
                            eid in highlighted, fields,
                            aliases=[str(a) for a in aliases] if isinstance(aliases, list) else
                            [str(aliases)], folded=len(members) if members else 0))
    return out


def _category(kind: str, roles: Iterable[str], status: str, rule_status: str = "") -> str:
    model = get_model()
    role_set = set(roles)
    for what, value, category in CATEGORY_RULES:
        if ((what == "status" and status == value) or (what == "role" and value in role_set)
                or (what == "rule" and rule_status == value)
                or (what == "kind" and model.is_a(kind, value))):
            return category
    return "company"


def _status_text(status: str, day: str) -> str:
    return {"listed": f"listed on {day}",
            "listed_other_date": f"not listed on {day} (listed at another date)",
            }.get(status, f"not listed on {day}")


def _listing_text(rec: Mapping[str, Any], in_force: bool) -> str:
    text = f"{rec.get('list')}: {describe_listing(rec)}"
    if rec.get("note"):
        text += f" Note: {rec['note']}"
    return text + (" (in force)" if in_force else " (not in force on the as-of date)")


# -- edges ------------------------------------------------------------------------------
def _edges(g: OwnershipGraph, day: str, highlighted: set[str]) -> list[EdgeView]:
    model = get_model()
    active = g.active_relations(day)
    names = dict(zip(g.entities["id"].astype(str), g.entities["name"].astype(str)))
    out: list[EdgeView] = []
    for i, raw in enumerate(g.relations.to_dict("records")):
        rec = {k: _plain(v) for k, v in raw.items()}
        kind = str(rec["kind"])
        rk = model.relation_kinds.get(kind)
        if rk is not None and rk.has_share:
            lo, hi = rec.get("share_min"), rec.get("share_max")
            rec["share"] = format_range(0.0 if lo is None else float(lo),
                                        100.0 if hi is None else float(hi))
        rec["kind"] = f"{kind} ({rk.direction})" if rk is not None and rk.direction else kind
        src, dst = str(rec["source"]), str(rec["target"])
        fields = [("from", f"{names.get(src, src)} ({src})"), ("to", f"{names.get(dst, dst)} ({dst})")]
        fields += _fields(rec, _RELATION_ORDER, skip=_RELATION_SKIP)
        fields.append(("in force", f"yes, on {day}" if active[i] else f"no, not on {day}"))
        verb = rk.verb if rk is not None else kind
        caption = f"{names.get(src, src)} {verb} {names.get(dst, dst)}"
        out.append(EdgeView(str(rec["id"]), src, dst, kind, caption,
                            suspected=rec.get("confidence") == "suspected",
                            illustrative=bool(rec.get("illustrative")), active=bool(active[i]),
                            highlighted=str(rec["id"]) in highlighted, fields=fields))
    return out


# -- values -----------------------------------------------------------------------------
def _fields(rec: Mapping[str, Any], order: tuple[str, ...], skip: tuple[str, ...] = ()
            ) -> list[tuple[str, str]]:
    """Non-empty fields as text: the known ones in ``order``, then any others."""
    names = [c for c in order if c in rec] + [c for c in rec if c not in order and c not in skip]
    out: list[tuple[str, str]] = []
    for name in names:
        text = _text(rec[name])
        if text:
            out.append((name, text))
    return out


def _text(value: Any) -> str:
    """A cell as text for people; '' for empty values and False."""
    if value is None or value is False:
        return ""
    if value is True:
        return "yes"
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:g}"
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value if v is not None and str(v))
    return str(value)


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"
