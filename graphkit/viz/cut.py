"""Cut a large graph down to what matters before drawing it.

A picture of thousands of entities opens (``gk.to_html`` handles 5,000) but is hard
to read. Three cuts, each returning a new, smaller :class:`OwnershipGraph` that
every function of graphkit accepts (the original is never changed):

- :func:`focus` -- the neighbourhood of some entities, within ``hops`` steps;
- :func:`paths_graph` -- only the entities and relations of some paths;
- :func:`collapse` -- every large group of look-alike entities (say 480
  subsidiaries of one parent with nothing else attached) folded into one node,
  "480 more companies owned by X", whose tooltip names a sample.

Apply the ownership rule to the *whole* graph and pass its table to
``gk.to_html(cut, restricted=table)``: a rule run on a cut sees only the owners
left in it.

Examples
--------
>>> import graphkit as gk
>>> g = gk.example_graph()
>>> len(focus(g, "buyer", hops=1)), len(paths_graph(g, gk.paths(g, "buyer", as_of="2024-01-01")))
(3, 3)
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from graphkit.algorithms.paths import Path
from graphkit.errors import GraphkitError
from graphkit.graph import OwnershipGraph
from graphkit.model import get_model

__all__ = ["COLLAPSED_PREFIX", "collapse", "focus", "paths_graph"]

log = logging.getLogger(__name__)

#: Ids of the nodes :func:`collapse` makes start with this.
COLLAPSED_PREFIX = "collapsed:"
#: Names listed in the tooltip of a collapsed node.
SAMPLE_NAMES = 12


def focus(graph: OwnershipGraph, ids: str | Iterable[str], hops: int = 2, *,
          as_of: object = None, kinds: Iterable[str] | None = None) -> OwnershipGraph:
    """Everything within ``hops`` steps of the entities ``ids``, walking relations either way.

    Parameters
    ----------
    graph : OwnershipGraph
    ids : str or iterable of str
        The entities to centre on.
    hops : int
        How many steps away to go (default 2). 0 keeps ``ids`` only.
    as_of : date, optional
        Walk only relations in force that day (default: every relation, whatever
        its dates; the picture then shows out-of-force ones faint).
    kinds : iterable of str, optional
        Walk only these relation kinds (e.g. ``["owns", "controls"]``).

    Returns
    -------
    OwnershipGraph
        The entities reached, every relation among them, their listings.

    Raises
    ------
    NodeNotFound
        If an id is not in the graph.
    ValueError
        If ``hops`` is negative.

    Examples
    --------
    >>> import graphkit as gk
    >>> sorted(focus(gk.example_graph(), "sub", hops=1).entities["id"])
    ['buyer', 'parent', 'sub']
    """
    if not isinstance(hops, (int, np.integer)) or isinstance(hops, bool) or hops < 0:
        raise ValueError(f"hops must be a whole number 0 or more, got {hops!r}")
    start = [ids] if isinstance(ids, str) else list(ids)
    return graph.neighbourhood(start, hops=int(hops), kinds=kinds, as_of=as_of)


def paths_graph(graph: OwnershipGraph, paths: Path | Iterable[Path]) -> OwnershipGraph:
    """Only the entities and relations on ``paths`` (their union), with their listings.

    Relations between these entities that no path uses are left out, so the
    picture shows exactly the routes found. Pass the same paths as ``highlight``
    to draw them thick.

    Raises
    ------
    TypeError
        If an item is not a :class:`graphkit.Path`.
    NodeNotFound, GraphkitError
        If a path names an entity or relation not in ``graph``.

    Examples
    --------
    >>> import graphkit as gk
    >>> g = gk.example_graph()
    >>> sorted(paths_graph(g, gk.paths(g, "buyer", as_of="2024-01-01")).relations["kind"])
    ['front_for', 'owns']
    """
    items = [paths] if isinstance(paths, Path) else list(paths)
    node_ids: dict[str, None] = {}
    rel_ids: set[str] = set()
    for p in items:
        if not isinstance(p, Path):
            raise TypeError(f"paths_graph takes graphkit Paths, not {type(p).__name__}")
        node_ids.update(dict.fromkeys(p.nodes))
        rel_ids.update(str(r["id"]) for r in p.relations)
    keep = set(graph.check_ids(list(node_ids)))
    rel_col = graph.relations["id"].astype(str)
    missing = rel_ids - set(rel_col)
    if missing:
        raise GraphkitError(f"the paths use relations not in the graph: {sorted(missing)[:5]}")
    ents = graph.entities[graph.entities["id"].isin(keep)].reset_index(drop=True)
    rels = graph.relations[rel_col.isin(rel_ids).to_numpy()].reset_index(drop=True)
    lsts = graph.listings[graph.listings["entity"].isin(keep)].reset_index(drop=True)
    return OwnershipGraph(ents, rels, lsts)


def collapse(graph: OwnershipGraph, max_group: int = 20, *, keep: Iterable[str] = (),
             restricted: pd.DataFrame | None = None) -> OwnershipGraph:
    """Fold each large group of look-alike leaf entities into one node.

    A group is the entities that are tied to nothing but one same entity, by the
    same relation kind in the same direction, and are of the same kind: for
    example 480 subsidiaries that one parent owns and that own, rent, supply
    nothing themselves. Groups larger than ``max_group`` become one node named
    "480 more companies owned by X"; its tooltip gives the count, the share
    range and a sample of names. Entities that are listed (at any date), in
    ``keep``, or tied to anything else stay as they are. With ``restricted`` (a
    :func:`graphkit.restricted` table of the same graph), entities of different
    rule statuses are never folded together: "60 more companies owned by X
    (restricted)" and "3 more companies owned by X" are two nodes.

    Parameters
    ----------
    graph : OwnershipGraph
    max_group : int
        Largest group drawn in full (default 20).
    keep : iterable of str
        Entities never folded (e.g. the ones a path goes through).
    restricted : DataFrame, optional
        What an ownership rule said about each entity: groups are split by status.
        Pass the same table to :func:`graphkit.to_html`, which colours a folded
        node by its members' status.

    Returns
    -------
    OwnershipGraph
        A new graph, valid input for :func:`graphkit.to_html` and every other
        function. A folded node's id starts with ``"collapsed:"`` and its
        ``members`` column lists the ids it stands for (empty for other
        entities); its relation
        carries the lowest ``share_min`` and highest ``share_max`` of the group,
        the weakest confidence, and a note naming how many relations it stands for.
        Do not run ownership rules on it: apply them to the original graph.

    Raises
    ------
    ValueError
        If ``max_group`` is less than 1.

    Examples
    --------
    >>> import pandas as pd, graphkit as gk
    >>> ids = ["p"] + [f"s{i}" for i in range(30)]
    >>> g = gk.OwnershipGraph.from_frames(
    ...     pd.DataFrame({"id": ids, "name": ["Parent"] + [f"Sub {i}" for i in range(30)],
    ...                   "kind": "company"}),
    ...     pd.DataFrame({"source": "p", "target": ids[1:], "kind": "owns", "share": "100"}))
    >>> small = collapse(g, max_group=10)
    >>> small.entities["name"].tolist()
    ['Parent', '30 more companies owned by Parent']
    """
    if not isinstance(max_group, (int, np.integer)) or isinstance(max_group, bool) or max_group < 1:
        raise ValueError(f"max_group must be a whole number of at least 1, got {max_group!r}")
    status = _statuses(restricted)
    groups = _groups(graph, set(keep), status)
    big = {key: members for key, members in groups.items() if len(members) > max_group}
    if not big:
        return graph
    folded = {m for members in big.values() for m in members}
    ents = graph.entities[~graph.entities["id"].isin(folded)]
    rels = graph.relations[~(graph.relations["source"].isin(folded)
                             | graph.relations["target"].isin(folded))]
    new_ents, new_rels = [], []
    for (hub, kind, outward, ekind, shared), members in big.items():
        e, r = _folded(graph, hub, kind, outward, ekind, shared, members)
        new_ents.append(e)
        new_rels.append(r)
    log.info("collapse: %d entities folded into %d nodes", len(folded), len(big))
    dtypes = {**graph.entities.dtypes.to_dict(), "members": object}
    ents = pd.concat([ents.assign(members=None) if "members" not in ents else ents, *new_ents],
                     ignore_index=True).astype(dtypes)
    rels = pd.concat([rels, *new_rels], ignore_index=True).astype(graph.relations.dtypes.to_dict())
    return OwnershipGraph(ents, rels, graph.listings.reset_index(drop=True))


Key = tuple[str, str, bool, str, str]


def _statuses(restricted: pd.DataFrame | None) -> dict[str, str]:
    if restricted is None:
        return {}
    if not isinstance(restricted, pd.DataFrame) or not {"id", "status"} <= set(restricted.columns):
        raise ValueError("restricted must be the table gk.restricted returns (columns id, status)")
    return dict(zip(restricted["id"].astype(str), restricted["status"].astype(str)))


def _groups(g: OwnershipGraph, keep: set[str], status: dict[str, str]) -> dict[Key, list[str]]:
    """(hub, relation kind, hub is source, entity kind, rule status) -> leaf members.

    A leaf is tied to exactly one other entity (its hub), by relations of one kind
    in one direction; listed entities and ``keep`` are never leaves.
    """
    rels = g.relations
    src, dst = rels["source"].astype(str).to_numpy(), rels["target"].astype(str).to_numpy()
    ends = np.concatenate([src, dst])
    partners = pd.Series(np.concatenate([dst, src])).groupby(ends).nunique()
    blocked = keep | set(g.listings["entity"].astype(str))
    leaves = {e for e in partners.index[partners.to_numpy() == 1] if e not in blocked}
    keys: dict[str, set[tuple[str, str, bool]]] = {}
    for s, d, k in zip(src, dst, rels["kind"].astype(str)):
        if d in leaves:
            keys.setdefault(d, set()).add((s, k, True))
        if s in leaves:
            keys.setdefault(s, set()).add((d, k, False))
    kind_of = dict(zip(g.entities["id"].astype(str), g.entities["kind"].astype(str)))
    groups: dict[Key, list[str]] = {}
    for leaf, found in keys.items():
        if len(found) == 1:
            hub, kind, outward = next(iter(found))
            if hub not in leaves:
                key = (hub, kind, outward, kind_of.get(leaf, ""), status.get(leaf, ""))
                groups.setdefault(key, []).append(leaf)
    return groups


def _folded(g: OwnershipGraph, hub: str, kind: str, outward: bool, ekind: str, status: str,
            members: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One entity row and one relation row standing for ``members``."""
    model = get_model()
    rk = model.relation_kinds.get(kind)
    ek = model.entity_kinds.get(ekind)
    noun = _plural(ek.label.lower() if ek is not None else ekind)
    hub_name = g.name_of(hub)
    phrase = _phrase(rk.verb if rk else kind, rk.inverse if rk else kind, outward, hub_name)
    n = len(members)
    node_id = (f"{COLLAPSED_PREFIX}{hub}:{kind}:{'out' if outward else 'in'}:{ekind}"
               + (f":{status}" if status else ""))
    marked = f" ({status})" if status in ("restricted", "unknown") else ""
    sample = [g.name_of(m) for m in members[:SAMPLE_NAMES]]
    more = f" and {n - len(sample)} more" if n > len(sample) else ""
    ent: dict[str, Any] = {c: None for c in g.entities.columns}
    ent.update(id=node_id, name=f"{n} more {noun} {phrase}{marked}", kind=ekind, illustrative=False,
               members=list(members),
               note=(f"{n} entities folded into one node by gk.viz.collapse: each is tied only to "
                     f"{hub_name}, by '{kind}'. For example: {'; '.join(sample)}{more}. Draw the "
                     "graph without collapse to see them one by one."))
    rels = g.relations
    ours = set(members)
    if outward:
        rows = rels[rels["source"].eq(hub) & rels["target"].isin(ours) & rels["kind"].eq(kind)]
    else:
        rows = rels[rels["target"].eq(hub) & rels["source"].isin(ours) & rels["kind"].eq(kind)]
    rel: dict[str, Any] = {c: None for c in g.relations.columns}
    rel.update(id=f"{node_id}:relation", kind=kind,
               source=hub if outward else node_id, target=node_id if outward else hub,
               illustrative=bool(rows["illustrative"].any()) if "illustrative" in rows else False,
               note=(f"stands for {len(rows)} '{kind}' relations of {n} entities; a share shown is "
                     "the range of the single relations, not their sum"))
    if "indirect" in rel:
        rel["indirect"] = False
    if rk is not None and rk.has_share and len(rows):
        rel["share_min"] = float(rows["share_min"].min(skipna=True)) if rows["share_min"].notna().any() else 0.0
        rel["share_max"] = float(rows["share_max"].max(skipna=True)) if rows["share_max"].notna().any() else 100.0
    levels = list(model.confidence)
    found = [str(c) for c in rows["confidence"].dropna()] if "confidence" in rows else []
    if found:
        rel["confidence"] = max(found, key=lambda c: levels.index(c) if c in levels else len(levels))
    refs = sorted({str(s) for s in rows["source_ref"].dropna()}) if "source_ref" in rows else []
    if refs:
        rel["source_ref"] = "; ".join(refs[:5]) + (f"; and {len(refs) - 5} more" if len(refs) > 5 else "")
    return pd.DataFrame([ent]), pd.DataFrame([rel])


def _plural(noun: str) -> str:
    if noun.endswith("y") and not noun.endswith(("ay", "ey", "oy")):
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "sh", "ch")):
        return noun + "es"
    return noun + "s"


def _phrase(verb: str, inverse: str, outward: bool, name: str) -> str:
    """How the folded entities relate to their hub: 'owned by X', 'that own X'."""
    if outward:  # hub -> members
        words = inverse.split()
        if words[:1] == ["is"]:
            return " ".join([*words[1:], name])
        return f"tied to {name} ({name} {verb} each)"
    words = verb.split()
    if words[:1] == ["is"]:
        words[0] = "are"
    elif words and words[0].endswith("ies"):
        words[0] = words[0][:-3] + "y"
    elif words and words[0].endswith("s"):
        words[0] = words[0][:-1]
    return " ".join(["that", *words, name])
