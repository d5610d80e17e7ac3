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
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from graphkit.algorithms.paths import DEFAULT_AVOID, Path, step_weight
from graphkit.backends import cypher
from graphkit.backends.base import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_WORKERS,
    Backend,
    BackendError,
    Batch,
    Layout,
    MissingDependency,
    PathQuery,
    PushError,
    PushReport,
    check_path_query,
    default_layout,
    frame_from_records,
    layout_from_json,
    layout_of,
    layout_to_json,
    merge_layouts,
    plain_records,
)
from graphkit.backends.neo4j_write import (  # noqa: F401  (_rows, writers: used by the tests)
    Planned,
    Writer,
    _by_source,
    _entity_writer,
    _filled,
    _KindRows,
    _node_of_row,
    _prepare_relations,
    _relation_node_writer,
    _relation_writer,
    _rows,
    _ShortBatch,
    _simple,
    _values,
)
from graphkit.errors import NodeNotFound
from graphkit.graph import OwnershipGraph
from graphkit.model import get_model
from graphkit.rules import Rule

__all__ = ["DEFAULT_URI", "Neo4jBackend", "driver_module"]

log = logging.getLogger(__name__)

DEFAULT_URI = "bolt://127.0.0.1:7687"
_MAX_TARGET_PARAM = 50_000
FORMAT = "graphkit-neo4j/1"
_INSTALL = "pip install graphkit[neo4j]"


def driver_module() -> Any:
    """The ``neo4j`` driver package, or a MissingDependency naming what to install."""
    try:
        import neo4j
    except ImportError as exc:
        raise MissingDependency(f"the Neo4j backend needs the neo4j Python driver: {_INSTALL}") from exc
    return neo4j


class Neo4jBackend(Backend):
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

    def __init__(self, uri: str = DEFAULT_URI, *, auth: tuple[str, str] | None = None,
                 database: str | None = None, batch_size: int = DEFAULT_BATCH_SIZE, workers: int = DEFAULT_WORKERS,
                 timeout: float = 10.0, retry_seconds: float = 10.0) -> None:
        neo4j = driver_module()
        self._errors = (neo4j.exceptions.DriverError, neo4j.exceptions.Neo4jError, OSError)
        self.uri = uri
        self.database = database
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.batch_size = int(batch_size)
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = int(workers)
        try:
            self._driver = neo4j.GraphDatabase.driver(
                uri, auth=auth, connection_timeout=timeout, max_transaction_retry_time=retry_seconds,
                notifications_min_severity="OFF")
            self._driver.verify_connectivity()
        except (*self._errors, ValueError) as exc:
            raise BackendError(f"cannot reach Neo4j at {uri}: {exc}. Is the server running "
                               "(for a local one: scripts/neo4j-server start)?") from exc

    def __repr__(self) -> str:
        return f"<Neo4jBackend {self.uri}{'/' + self.database if self.database else ''}>"

    def close(self) -> None:
        self._driver.close()

    # -- plumbing ---------------------------------------------------------------------------
    def _fail(self, what: str, exc: BaseException) -> BackendError:
        return BackendError(f"Neo4j at {self.uri}: {what} failed: {exc}")

    def _execute(self, query: str, params: dict[str, Any], routing: str) -> tuple[list[Any], list[str]]:
        """One statement in one managed transaction: its records and column names."""
        try:
            records, _, keys = self._driver.execute_query(query, parameters_=params, database_=self.database,
                                                          routing_=routing)
        except self._errors as exc:
            raise self._fail("a read" if routing == "r" else "a write", exc) from exc
        return records, list(keys)

    def _read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        return [dict(r) for r in self._execute(query, params, "r")[0]]

    def _write(self, query: str, **params: Any) -> None:
        self._execute(query, params, "w")

    def _write_read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """Run a write statement in one transaction and return its records."""
        return [dict(r) for r in self._execute(query, params, "w")[0]]

    def _autocommit(self, query: str, **params: Any) -> None:
        """Run a statement that manages its own transactions (CALL ... IN TRANSACTIONS)."""
        try:
            with self._session() as session:
                session.run(query, params).consume()
        except self._errors as exc:
            raise self._fail("a write", exc) from exc

    # -- schema -----------------------------------------------------------------------------
    def ensure_schema(self, *, indexes: bool = True, wait_relations: bool = True) -> None:
        """Create the constraints and (``indexes``) the indexes graphkit uses, if missing,
        and wait until they are online.

        With ``wait_relations=False`` the relation-id indexes (one per relationship type,
        used only to update stored relations, i.e. by a later push of the same relations)
        are created but not waited for: the server fills them in the background. A push
        does that; a push that needs one of them waits for it first.
        """
        for stmt in cypher.CONSTRAINTS:
            self._write(stmt)
        if not indexes:
            self._write(cypher.AWAIT_INDEXES, seconds=600)
            return
        for stmt in cypher.INDEXES:
            self._write(stmt)
        if not wait_relations:  # the node indexes first, without the others competing
            for name in cypher.NODE_SCHEMA_NAMES:
                self._write(cypher.AWAIT_INDEX, name=name, seconds=600)
        for kind in get_model().relation_kinds:
            self._write(cypher.rel_index(kind))
        if wait_relations:
            self._write(cypher.AWAIT_INDEXES, seconds=600)

    def _layout(self) -> Layout:
        """The table layout stored by the last push (another client may have pushed since)."""
        rows = self._read(cypher.READ_META)
        stored = layout_from_json(rows[0]["layout"]) if rows and rows[0]["layout"] else None
        return stored or default_layout()

    def _session(self) -> Any:
        # Share execute_query's bookmarks, so that on a cluster a read after a write sees it.
        return self._driver.session(database=self.database,
                                    bookmark_manager=self._driver.execute_query_bookmark_manager)

    # -- writing ----------------------------------------------------------------------------
    def clear(self, *, everything: bool = False, schema: bool = False) -> None:
        """Delete graphkit's nodes (``Entity``, ``Listing``, ``GraphkitMeta``) and their
        relationships in batches; ``everything=True`` deletes every node of the database;
        ``schema=True`` also drops graphkit's constraints and indexes (a push makes them
        again; into an empty database it builds the indexes after writing, which is faster)."""
        self._autocommit(cypher.CLEAR_ALL if everything else cypher.CLEAR, batch=self.batch_size)
        if schema:
            for query in cypher.SCHEMA_NAMES:
                for row in self._read(query):
                    self._write(cypher.drop(row["what"], row["name"]))

    def push(self, graph: OwnershipGraph, *, clear: bool = False) -> PushReport:
        """Write ``graph`` (see :func:`graphkit.neo4j.push`).

        ``report.phases`` gives the wall-clock seconds of each step: ``prepare``
        (constraints, layout), ``entities``, ``relations``, ``listings`` and ``indexes``
        (creating the indexes a push builds after writing; the relation-id indexes, which
        only a later push that updates relations uses, fill on the server in the background,
        see :meth:`ensure_schema`).
        """
        began = time.perf_counter()
        report = PushReport(self.uri)
        self.ensure_schema(indexes=False)
        if clear:
            self.clear()
        old = None if clear else self._read(cypher.READ_META)
        old_layout = layout_from_json(old[0]["layout"]) if old and old[0]["layout"] else None
        layout = merge_layouts(old_layout, layout_of(graph))
        self._write(cypher.WRITE_META, layout=layout_to_json(layout), format=FORMAT)
        report.phases["prepare"] = time.perf_counter() - began

        mark = time.perf_counter()
        ents = graph.entities
        # Neo4j stores no null: columns null (flags: false) in every row are left out of the
        # statements (less to encode and to evaluate per row; the layout keeps them for pulls).
        columns = _filled(ents, ents.columns)
        # Into an empty database (the count store answers at once) CREATE is enough and faster.
        fresh = self._read(cypher.COUNT_ENTITIES)[0]["n"] == 0
        nodes: dict[str, int] = {}   # entity id -> internal node id, for the relation writes
        entity_ids = ents["id"].to_numpy(dtype=object)
        # The relation rows are prepared by another thread while the entities are written.
        with ThreadPoolExecutor(max_workers=1) as helper:
            prepared = helper.submit(_prepare_relations, graph)
            self._run(report, self._plan("entities", "", _entity_writer(columns, fresh, nodes),
                                         [_values(ents[c]) for c in columns], entity_ids))
            kinds = prepared.result()
        # The node indexes fill in the background while the relations are written (the
        # push waits for them at the end); no relation write uses them.
        for stmt in cypher.INDEXES:
            self._write(stmt)
        report.phases["entities"] = time.perf_counter() - mark

        mark = time.perf_counter()
        self._run(report, self._relation_plan(graph.relations, kinds, _node_of_row(entity_ids, nodes)))
        report.phases["relations"] = time.perf_counter() - mark

        mark = time.perf_counter()
        lst = graph.listings
        props = plain_records(lst, drop=("entity",))
        dicts = [{"entity": e, "props": p} for e, p in zip(lst["entity"].to_numpy(dtype=object), props)]
        self._run(report, self._plan("listings", "", _simple(cypher.MERGE_LISTINGS), [dicts],
                                     lst["id"].to_numpy(dtype=object), whole=True))
        report.phases["listings"] = time.perf_counter() - mark

        mark = time.perf_counter()
        self.ensure_schema(wait_relations=False)
        report.phases["indexes"] = time.perf_counter() - mark
        report.seconds = time.perf_counter() - began
        log.info("pushed %r", report)
        return report

    def _relation_plan(self, rels: pd.DataFrame, kinds: list[_KindRows], node_of_row: np.ndarray | None
                       ) -> Iterator[Planned]:
        """The batches of the relations ``rels`` (split by :func:`_prepare_relations`), kind
        by kind, each made when a writer is free for it. ``node_of_row``: the internal node
        id of each entity row (None: not known)."""
        for k in kinds:
            fresh = self._read(cypher.count_relations(k.kind))[0]["n"] == 0
            if fresh and node_of_row is not None and k.source_row is not None and k.target_row is not None:
                # A kind new to the database: rows [source node, target node, ...].
                arrays = [node_of_row[k.source_row].tolist(), node_of_row[k.target_row].tolist(), *k.values]
                work = _relation_node_writer(k.kind, k.columns)
            else:
                if not fresh:  # updates look stored relations up by id: index first
                    self._write(cypher.rel_index(k.kind))
                    self._write(cypher.AWAIT_INDEXES, seconds=600)
                arrays = [_values(rels[c].iloc[k.pos]) for c in ("source", "target")] + k.values
                work = _relation_writer(k.kind, k.columns, fresh)
            yield from self._plan("relations", k.kind, work, arrays, k.ids)

    def _plan(self, table: str, part: str, work: Writer, arrays: Sequence[Any], ids: np.ndarray,
              whole: bool = False) -> Iterator[Planned]:
        """Batches of ``batch_size`` rows; a batch's rows (positional lists made from the
        column ``arrays``, or with ``whole`` the items of ``arrays[0]``) are made when it is
        taken."""
        size = self.batch_size
        for number, first in enumerate(range(0, len(ids), size), 1):
            last = min(first + size, len(ids))
            rows: list[Any] = (list(arrays[0][first:last]) if whole
                               else [list(r) for r in zip(*(a[first:last] for a in arrays))])
            yield (Batch(table, number, first, last - first, part, str(ids[first]), str(ids[last - 1])),
                   work, rows)

    def _write_batch(self, info: Batch, work: Writer, batch: Sequence[Any]) -> Batch:
        """One batch in one transaction (retried by the driver on transient errors)."""
        attempts = 0

        def attempt(tx: Any, rows: Sequence[Any]) -> int:
            nonlocal attempts
            attempts += 1
            return work(tx, rows, attempts > 1)

        began = time.perf_counter()
        with self._session() as session:
            written = session.execute_write(attempt, batch)
        if written != len(batch):
            raise _ShortBatch(f"a batch wrote {written} of {len(batch)} rows (an entity a row "
                              "refers to is not in the database; the batch committed without those rows)")
        return replace(info, seconds=time.perf_counter() - began)

    def _run(self, report: PushReport, plan: Iterable[Planned]) -> None:
        """Write the batches of ``plan`` with ``workers`` concurrent transactions; on a
        failure (of a batch, or of a step that prepares the next batches), let the batches
        in flight finish, then raise PushError."""
        errors = (*self._errors, _ShortBatch)
        failed: tuple[Batch | None, BaseException] | None = None
        todo = iter(plan)

        def take() -> Planned | None:
            nonlocal failed
            if failed is not None:
                return None
            try:
                return next(todo, None)
            except (*errors, BackendError) as exc:
                failed = (None, exc)
                return None

        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            running: dict[Future[Batch], Batch] = {}
            for _ in range(self.workers):
                item = take()
                if item is None:
                    break
                running[pool.submit(self._write_batch, *item)] = item[0]
            while running:
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    info = running.pop(future)
                    try:
                        report.batches.append(future.result())
                        log.debug("committed %s", info)
                    except errors as exc:   # a failed batch is named before a failed step
                        failed = (info, exc) if failed is None or failed[0] is None else failed
                    following = take()
                    if following is not None:
                        running[pool.submit(self._write_batch, *following)] = following[0]
        if failed is not None:
            raise PushError(f"push to {self.uri} stopped: {failed[1]}", report.batches, failed[0]) \
                from failed[1]

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
