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

Speed notes (benchmarks/bench_neo4j.py): columns that are null in every row of a table
(or of one relation kind) are left out of the write statements; relation rows are sent
grouped by source; lookups carry index hints, because right after an index is built the
planner's statistics are stale and it may otherwise scan the index once per row.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Iterable, Sequence
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
    plain_values,
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
    def ensure_schema(self, *, indexes: bool = True) -> None:
        """Create the constraints and (``indexes``) the indexes graphkit uses, if missing."""
        for stmt in cypher.CONSTRAINTS:
            self._write(stmt)
        if indexes:
            for stmt in cypher.INDEXES:
                self._write(stmt)
            for kind in get_model().relation_kinds:
                self._write(cypher.rel_index(kind))
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
        """Write ``graph`` (see :func:`graphkit.neo4j.push`)."""
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
        # Neo4j stores no null: columns null in every row are left out of the statements
        # (less to encode and to evaluate per row; the layout keeps them for pulls).
        columns = _filled(ents, ents.columns)
        # Into an empty database (the count store answers at once) CREATE is enough and faster.
        fresh = self._read(cypher.COUNT_ENTITIES)[0]["n"] == 0
        work = _entity_writer(columns, fresh)
        self._run(report, self._plan("entities", "", work, _rows(ents, columns),
                                     ents["id"].to_numpy(dtype=object)))

        report.phases["entities"] = time.perf_counter() - mark
        mark = time.perf_counter()
        rels = graph.relations
        all_columns = [str(c) for c in rels.columns if c not in ("source", "target", "kind")]
        kinds = rels["kind"].astype(object).to_numpy()
        ids = rels["id"].to_numpy(dtype=object)
        sources = rels["source"].to_numpy(dtype=str)
        plan = []
        for kind in get_model().relation_kinds:
            pos = np.flatnonzero(kinds == kind)
            if len(pos):
                # Rows in source order: a batch then touches few source nodes, close together
                # in the store, and concurrent batches rarely lock the same node.
                pos = pos[np.argsort(sources[pos], kind="stable")]
                fresh = self._read(cypher.count_relations(kind))[0]["n"] == 0
                if not fresh:  # updates look stored relations up by id: index first
                    self._write(cypher.rel_index(kind))
                    self._write(cypher.AWAIT_INDEXES, seconds=600)
                part = rels.iloc[pos]
                columns = _filled(part, all_columns)
                plan += self._plan("relations", kind, _relation_writer(kind, columns, fresh),
                                   _rows(part, ["source", "target", *columns]), ids[pos])
        self._run(report, plan)
        report.phases["relations"] = time.perf_counter() - mark
        mark = time.perf_counter()

        lst = graph.listings
        props = plain_records(lst, drop=("entity",))
        dicts = [{"entity": e, "props": p} for e, p in zip(lst["entity"].to_numpy(dtype=object), props)]
        self._run(report, self._plan("listings", "", _simple(cypher.MERGE_LISTINGS), dicts,
                                     lst["id"].to_numpy(dtype=object)))
        report.phases["listings"] = time.perf_counter() - mark
        mark = time.perf_counter()
        self.ensure_schema()
        report.phases["indexes"] = time.perf_counter() - mark
        report.seconds = time.perf_counter() - began
        log.info("pushed %r", report)
        return report

    def _plan(self, table: str, part: str, work: Writer, rows: Sequence[Any],
              ids: np.ndarray) -> list[tuple[Batch, Writer, Sequence[Any]]]:
        size = self.batch_size
        out = []
        for number, first in enumerate(range(0, len(rows), size), 1):
            batch = rows[first:first + size]
            info = Batch(table, number, first, len(batch), part, str(ids[first]),
                         str(ids[first + len(batch) - 1]))
            out.append((info, work, batch))
        return out

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

    def _run(self, report: PushReport, plan: list[tuple[Batch, Writer, Sequence[Any]]]) -> None:
        """Write the batches of ``plan`` with ``workers`` concurrent transactions; on a
        failure, let the batches in flight finish, then raise PushError."""
        errors = (*self._errors, _ShortBatch)
        failed: tuple[Batch, BaseException] | None = None
        todo = iter(plan)
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            running: dict[Future[Batch], Batch] = {}
            for item in itertools.islice(todo, self.workers):
                running[pool.submit(self._write_batch, *item)] = item[0]
            while running:
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    info = running.pop(future)
                    try:
                        report.batches.append(future.result())
                        log.debug("committed %s", info)
                    except errors as exc:
                        failed = failed or (info, exc)
                    following = next(todo, None) if failed is None else None
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
        rel_cols = [c for c, _, _ in layout["relations"]]
        found = []
        for nodes, steps in chosen:
            records = []
            for s in steps:
                r = rels[s[2]]
                rec = {**r["p"], "source": r["source"], "target": r["target"],
                       "kind": cypher.kind_of(r["type"])}
                records.append({c: rec.get(c) for c in rel_cols})
            found.append(Path(
                nodes=list(nodes), relations=records, forward=[s[3] for s in steps],
                names={n: str(ents[n].get("name", n)) for n in nodes},
                kinds={n: str(ents[n].get("kind")) for n in nodes},
                illustrative={n: bool(ents[n].get("illustrative", False)) for n in nodes},
                end_listings=ends.get(nodes[-1], []), as_of=q.day))
        return found


def _rows(frame: Any, columns: list[str]) -> list[list[Any]]:
    """Rows as positional lists of plain values (None for null), in ``columns`` order."""
    arrays = [plain_values(frame[c]) for c in columns]
    return [list(r) for r in zip(*arrays)] if arrays else [[] for _ in range(len(frame))]


def _filled(frame: Any, columns: Iterable[Any]) -> list[str]:
    """The columns (``id`` always) that hold a value in at least one row of ``frame``."""
    return [str(c) for c in columns if str(c) == "id" or bool(frame[c].notna().any())]


class _ShortBatch(Exception):
    pass


Writer = Callable[[Any, Sequence[Any], bool], int]   # (transaction, rows, is_retry) -> rows written


def _simple(query: str) -> Writer:
    def work(tx: Any, batch: Sequence[Any], retry: bool) -> int:
        return int(tx.run(query, rows=batch).single()["written"])
    return work


def _entity_writer(columns: list[str], fresh: bool) -> Writer:
    """CREATE into an empty database, MERGE otherwise, and MERGE when the driver retries a
    batch (its first attempt may have committed before the connection was lost)."""
    create = _simple(cypher.create_entities(columns))
    merge = _simple(cypher.merge_entities(columns))

    def work(tx: Any, batch: Sequence[Any], retry: bool) -> int:
        return (create if fresh and not retry else merge)(tx, batch, retry)
    return work


def _relation_writer(kind: str, columns: list[str], fresh: bool) -> Writer:
    """One transaction per batch: create new relations, update stored ones (same id, same
    ends), and replace those stored with the same id between other entities. ``fresh``:
    the database held no relation of this kind when the push began, so the first attempt
    only creates; a retried attempt creates only what its predecessor did not commit."""
    id_pos = columns.index("id") + 2
    create = cypher.create_relations(kind, columns)
    create_grouped = cypher.create_relations_grouped(kind, columns)
    update = cypher.update_relations(kind, columns)
    existing = cypher.existing_relations(kind)
    existing_here = cypher.existing_relations_between(kind, id_pos)
    delete = cypher.delete_relations(kind)

    def work(tx: Any, batch: Sequence[list[Any]], retry: bool) -> int:
        if fresh and not retry:
            return int(tx.run(create_grouped, rows=_by_source(batch)).single()["written"])
        if fresh:
            there = {r["id"] for r in tx.run(existing_here, rows=batch)}
            rest = [row for row in batch if row[id_pos] not in there]
            return len(there) + (int(tx.run(create, rows=rest).single()["written"]) if rest else 0)
        ids = [row[id_pos] for row in batch]
        stored = {r["id"]: (r["source"], r["target"]) for r in tx.run(existing, ids=ids)}
        if not stored:
            return int(tx.run(create, rows=batch).single()["written"])
        same = [row for row in batch if stored.get(row[id_pos]) == (row[0], row[1])]
        fresh_rows = [row for row in batch if stored.get(row[id_pos]) != (row[0], row[1])]
        moved = [row[id_pos] for row in fresh_rows if row[id_pos] in stored]
        if moved:
            tx.run(delete, ids=moved).consume()
        written = 0
        if same:
            written += int(tx.run(update, rows=same).single()["written"])
        if fresh_rows:
            written += int(tx.run(create, rows=fresh_rows).single()["written"])
        return written
    return work


def _by_source(rows: Sequence[list[Any]]) -> list[list[Any]]:
    """Rows ``[source, target, ...]`` (sorted by source) as ``[source, [[target, ...], ...]]``."""
    out: list[list[Any]] = []
    last: object = object()
    for row in rows:
        if row[0] != last:
            last = row[0]
            out.append([last, []])
        out[-1][1].append(row[1:])
    return out


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
