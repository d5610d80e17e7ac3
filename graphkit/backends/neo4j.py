"""The Neo4j backend: a real server reached over Bolt (local, cluster or hosted).

The data model in Neo4j and every Cypher statement are in :mod:`graphkit.backends.cypher`.
The ``neo4j`` Python driver is imported when a backend is made, not when graphkit is
imported; without it you get a :class:`~graphkit.backends.base.MissingDependency` that
says ``pip install graphkit[neo4j]``.

Writes go in batches (``UNWIND $rows ... MERGE``), one transaction each, keyed by id, so
a push can be repeated: the second push of the same graph changes nothing. A push that
stops part-way (server gone, connection lost) raises
:class:`~graphkit.backends.base.PushError` naming the batches that committed and the one
that failed.

Path searches run on the server with Cypher quantified path patterns and ``SHORTEST k
GROUPS``; Python only chooses among the walks returned (simple paths, weights by
confidence), so the answers equal :func:`graphkit.paths` on the same graph.

Ownership rules (``restricted``) run their fixpoint on the server too (see
:mod:`graphkit.backends.neo4j_rules`); this needs write access, as the rounds keep
their state in temporary labels. ``query`` runs an investigator's own read-only,
parameterised Cypher.

Speed notes (benchmarks/bench_neo4j.py, which prints the time and the server and client
CPU of each phase): columns that are null (or, for flags, false) in every row of a table
(or of one relation kind) are left out of the write statements; relation rows are sent
grouped by source; relations of a kind new to the database name their ends by the
internal node ids that the entity writes returned, so each end is one record read, not
an index search; the rows of each batch are made when a writer is free for it, so the
server starts writing relations while the client still prepares later kinds; the node
indexes fill while the relations are written; lookups carry index hints, because right
after an index is built the planner's statistics are stale and it may otherwise scan
the index once per row.

The class is built in three layers, one module each:
:mod:`graphkit.backends.neo4j_connection` (driver, statements, schema),
:mod:`graphkit.backends.neo4j_push` (``push``, ``clear``) and this module (``pull``,
``query``, ``restricted``, ``paths`` and :class:`Neo4jBackend` itself). Every name
of the public API (``Neo4jBackend``, ``DEFAULT_URI``, ``driver_module``) is importable
from here as before; the batch writers are in :mod:`graphkit.backends.neo4j_write`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from graphkit.algorithms.paths import DEFAULT_AVOID, Path, step_weight
from graphkit.backends import cypher
from graphkit.backends.base import PathQuery, check_path_query, frame_from_records
from graphkit.backends.neo4j_connection import DEFAULT_URI, driver_module
from graphkit.backends.neo4j_push import _Neo4jPush
from graphkit.errors import NodeNotFound
from graphkit.graph import OwnershipGraph
from graphkit.model import get_model
from graphkit.rules import Rule

__all__ = ["DEFAULT_URI", "Neo4jBackend", "driver_module"]

log = logging.getLogger(__name__)

_MAX_TARGET_PARAM = 50_000


class Neo4jBackend(_Neo4jPush):
    """A graph stored in Neo4j 5 (Community or Enterprise), reached at ``uri``.

    Parameters
    ----------
    uri : str
        Bolt URI: ``bolt://host:7687`` (one server), ``neo4j://host:7687`` (cluster),
        ``neo4j+s://...`` (AuraDB).
    auth : tuple (user, password), optional
        None when the server has authentication off.
    database : str, optional
        Database name (default: the server's default database).
    batch_size : int
        Rows per write transaction (default 1,000; larger batches were slower in
        benchmarks/bench_neo4j.py).
    workers : int
        Write transactions run at once (default 3: one more than the server needs to
        stay busy while the client encodes the next batch). Batches of one table never depend
        on each other; Neo4j retries the rare lock conflict (the driver does it).
    timeout : float
        Seconds to wait for a connection (default 10).
    retry_seconds : float
        How long the driver retries a transaction after a transient failure (default 10).

    Raises
    ------
    BackendError
        When no server answers at ``uri`` (or it refuses the credentials).
    MissingDependency
        When the ``neo4j`` package is not installed.
    """

    name = "neo4j"

    # -- reading ----------------------------------------------------------------------------
    def pull(self, ids: Iterable[str] | None = None, *, hops: int = 1, kinds: Iterable[str] | None = None,
             as_of: object | None = None) -> OwnershipGraph:
        """Read the whole graph, or the neighbourhood of ``ids`` (see :func:`graphkit.neo4j.pull`)."""
        layout = self._layout()
        all_kinds = list(get_model().relation_kinds)
        if ids is None:
            ents = [r["p"] for r in self._read(cypher.READ_ENTITIES)]
            rels = self._read(cypher.read_relations(all_kinds))
            lsts = self._read(cypher.READ_LISTINGS)
        else:
            keep = self._neighbourhood(ids, hops, kinds, as_of)
            ents = [r["p"] for r in self._read(cypher.READ_ENTITIES_BY_ID, ids=keep)]
            rels = self._read(cypher.read_relations_among(all_kinds), ids=keep)
            lsts = self._read(cypher.READ_LISTINGS_OF, ids=keep)
        rel_records = [{**r["p"], "source": r["source"], "target": r["target"],
                        "kind": cypher.kind_of(r["type"])} for r in rels]
        lst_records = [{**r["p"], "entity": r["entity"]} for r in lsts]
        return OwnershipGraph(frame_from_records(ents, layout["entities"]),
                              frame_from_records(rel_records, layout["relations"]),
                              frame_from_records(lst_records, layout["listings"]))

    def _check_ids(self, ids: Iterable[str]) -> list[str]:
        wanted = [ids] if isinstance(ids, str) else [str(i) for i in ids]
        found = {r["id"] for r in self._read(cypher.EXISTING_IDS, ids=wanted)}
        missing = [i for i in wanted if i not in found]
        if missing:
            shown = ", ".join(map(repr, missing[:5])) + (" ..." if len(missing) > 5 else "")
            raise NodeNotFound(f"not in the graph: {shown}")
        return wanted

    def _neighbourhood(self, ids: Iterable[str], hops: int, kinds: Iterable[str] | None,
                       as_of: object | None) -> list[str]:
        from graphkit.types import date as date_type

        start = self._check_ids(ids)
        model = get_model()
        if kinds is None:
            use = list(model.relation_kinds)
        else:
            use = [k for k in ([kinds] if isinstance(kinds, str) else kinds) if k in model.relation_kinds]
        seen = dict.fromkeys(start)
        frontier = list(seen)
        if not use:
            return frontier
        query = cypher.expand(use, as_of is not None)
        day = date_type.as_of_text(as_of) if as_of is not None else None
        for _ in range(hops):
            found = [r["id"] for r in self._read(query, frontier=frontier, day=day)]
            frontier = [i for i in found if i not in seen]
            if not frontier:
                break
            seen.update(dict.fromkeys(frontier))
        return list(seen)

    def query(self, cypher_text: str, **params: Any) -> pd.DataFrame:
        """Run your own read-only Cypher and get a DataFrame (one column per returned name).

        Pass every value as a parameter (``$name`` in the text, ``name=value`` here), never
        by pasting it into the text: names from lists contain quotes, braces and worse.
        Write statements are refused by the server (the query runs in a read transaction).

        Examples
        --------
        >>> import graphkit as gk
        >>> db = gk.neo4j.connect("bolt://127.0.0.1:7687")                 # doctest: +SKIP
        >>> db.query("MATCH (e:Entity {id: $id})-[r:OWNS]->(s:Entity) "   # doctest: +SKIP
        ...          "RETURN s.name AS owned, r.share_min AS share_min", id="sensetime-group")
        """
        records, keys = self._execute(cypher_text, params, "r")
        return pd.DataFrame([r.values() for r in records], columns=list(keys))

    # -- rules --------------------------------------------------------------------------------
    def restricted(self, rule: str | Rule = "ofac50", as_of: object = None) -> pd.DataFrame:
        """:func:`graphkit.restricted` computed on the server (see
        :func:`graphkit.backends.neo4j_rules.restricted_on_server`)."""
        from graphkit.backends.neo4j_rules import restricted_on_server

        return restricted_on_server(self, rule, as_of)

    # -- paths --------------------------------------------------------------------------------
    def paths(self, source: str, to: str | Iterable[str] = "listed", max_hops: int = 6,
              kinds: Iterable[str] | None = None, k: int = 3, as_of: object = None,
              avoid: Iterable[str] = DEFAULT_AVOID) -> list[Path]:
        """The k shortest paths from ``source``, computed on the server (see :func:`graphkit.paths`)."""
        q = check_path_query(source, to, max_hops, kinds, k, as_of, avoid)
        model = get_model()
        use = list(q.kinds) if q.kinds is not None else list(model.relation_kinds)
        fwd = [kd for kd in use if model.relation_kinds[kd].traverse == "forward"]
        bwd = [kd for kd in use if model.relation_kinds[kd].traverse == "backward"]
        params = {
            "source": q.source, "day": q.day,
            "lists": list(q.target_lists) if q.target_lists else None,
            "target_ids": list(q.target_ids or ()), "avoid_ids": list(q.avoid_ids),
            "avoid_roles": list(q.avoid_roles),
            "forward_types": [cypher.rel_type(kd) for kd in fwd],
            "backward_types": [cypher.rel_type(kd) for kd in bwd],
        }
        status = self._read(cypher.source_status(q.by_listing), **params)
        if not status:
            raise NodeNotFound(f"entity {q.source!r} is not in the graph")
        if q.target_ids is not None:
            self._check_ids(q.target_ids)
        if status[0]["target"]:
            return self._make_paths([([q.source], [])], q)
        by_listing = q.by_listing
        if by_listing:  # a parameter list of targets is faster than a listing check per step
            listed = self._read(cypher.LISTED_ON, day=q.day, lists=params["lists"])
            if len(listed) <= _MAX_TARGET_PARAM:
                params["target_ids"] = [r["id"] for r in listed]
                by_listing = False
        # Deepen the search (hops ``reach``) and widen it (``groups`` lengths per target)
        # until the best k paths are known (see choose_paths).
        reach, groups = 1, 1
        while True:
            walks = self._read(cypher.shortest_groups(use, fwd, bwd, reach, groups, by_listing), **params)
            chosen, more = choose_paths(walks, groups, q.k, reach, q.max_hops)
            if more is None:
                break
            if more == "deeper":
                reach += 1
            else:
                groups += 1
        return self._make_paths(chosen, q)

    def _make_paths(self, chosen: list[tuple[list[str], list[tuple[float, str, str, bool]]]],
                    q: PathQuery) -> list[Path]:
        if not chosen:
            return []
        layout = self._layout()
        eids = [s[2] for _, steps in chosen for s in steps]
        rels = {r["eid"]: r for r in self._read(cypher.READ_PATH_RELATIONS, eids=eids)} if eids else {}
        node_ids = sorted({n for nodes, _ in chosen for n in nodes})
        ents = {r["p"]["id"]: r["p"] for r in self._read(cypher.READ_ENTITIES_BY_ID, ids=node_ids)}
        ends: dict[str, list[dict[str, Any]]] = {}
        if q.by_listing:
            end_ids = sorted({nodes[-1] for nodes, _ in chosen})
            rows = self._read(cypher.active_listings_of(), ids=end_ids, day=q.day)
            for r in sorted(rows, key=lambda r: str(r["p"].get("id"))):
                rec = {**r["p"], "entity": r["entity"]}
                ends.setdefault(r["entity"], []).append(
                    {c: rec.get(c) for c, _, _ in layout["listings"]})
        flags = {c for c, code, _ in layout["relations"] if code == "bool"}   # a missing flag is False
        found = []
        for nodes, steps in chosen:
            records = []
            for s in steps:
                r = rels[s[2]]
                rec = {**r["p"], "source": r["source"], "target": r["target"],
                       "kind": cypher.kind_of(r["type"])}
                records.append({c: bool(rec.get(c)) if c in flags else rec.get(c)
                                for c, _, _ in layout["relations"]})
            found.append(Path(
                nodes=list(nodes), relations=records, forward=[s[3] for s in steps],
                names={n: str(ents[n].get("name", n)) for n in nodes},
                kinds={n: str(ents[n].get("kind")) for n in nodes},
                illustrative={n: bool(ents[n].get("illustrative", False)) for n in nodes},
                end_listings=ends.get(nodes[-1], []), as_of=q.day))
        return found


Step = tuple[float, str, str, bool]   # weight, relation id, element id, walked forward


def choose_paths(walks: Sequence[dict[str, Any]], groups: int, k: int, reach: int, max_hops: int
                 ) -> tuple[list[tuple[list[str], list[Step]]], str | None]:
    """The k best simple paths among walks returned by ``SHORTEST groups GROUPS`` with at
    most ``reach`` hops.

    Walks come per target entity (Neo4j partitions shortest-path searches by their end
    nodes): for each target the walks of its ``groups`` shortest lengths up to ``reach``.
    Walks that repeat an entity are dropped; walks over the same entities (parallel
    relations) become one path using, per step, the best-evidenced relation (ties: the
    smallest relation id). Paths rank by weight (hops plus confidence penalties), as in
    :func:`graphkit.paths`; a longer path always weighs more than a shorter one.

    Every walk up to ``horizon`` hops is present: ``reach``, or less when a target
    returned all ``groups`` lengths (its walks beyond its last length are missing). When
    at least ``k`` paths lie within the horizon, or nothing more can be found, the first
    k are the answer (second value None). Otherwise the second value says what to ask
    for next: ``"deeper"`` (a larger reach) or ``"wider"`` (more groups).
    """
    best: dict[tuple[str, ...], list[Step]] = {}
    lengths: dict[str, set[int]] = {}
    for w in walks:
        nodes = w["nodes"]
        lengths.setdefault(nodes[-1], set()).add(len(nodes) - 1)
        if len(set(nodes)) != len(nodes):
            continue
        steps = [(step_weight(conf), str(rid), eid, start == nodes[i])
                 for i, (eid, rid, conf, start) in enumerate(w["rels"])]
        key = tuple(nodes)
        old = best.get(key)
        best[key] = steps if old is None else [min(a, b, key=lambda s: (s[0], s[1]))
                                                for a, b in zip(old, steps)]
    full = [max(ls) for ls in lengths.values() if len(ls) >= groups]
    horizon = min([reach, *full])
    ranked = sorted(best.items(), key=lambda kv: (round(sum(s[0] for s in kv[1]), 9), kv[0]))
    within = [(list(n), s) for n, s in ranked if len(n) - 1 <= horizon]
    if len(within) >= k or horizon >= max_hops:
        return within[:k], None
    return within[:k], ("deeper" if horizon == reach else "wider")
