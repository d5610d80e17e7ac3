"""Writing a graph to Neo4j: the ``push`` and ``clear`` of the Neo4j backend.

Layer two of :class:`~graphkit.backends.neo4j.Neo4jBackend` (layer one, the
connection, is :mod:`graphkit.backends.neo4j_connection`). :class:`_Neo4jPush`
writes the entities, then the relations kind by kind, then the listings, in
batches of ``batch_size`` rows, one transaction each, ``workers`` at a time.
Writes are keyed by id, so pushing the same graph twice changes nothing. When a
batch fails (server gone, connection lost, a row naming an entity that is not in
the database) the batches in flight finish and
:class:`~graphkit.backends.base.PushError` names the batches that committed and
the one that failed. ``report.phases`` gives the seconds of each step.

How each batch's rows and statement are made is in
:mod:`graphkit.backends.neo4j_write`; the Cypher text is in
:mod:`graphkit.backends.cypher`.
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

from graphkit.backends import cypher
from graphkit.backends.base import (
    BackendError,
    Batch,
    PushError,
    PushReport,
    layout_from_json,
    layout_of,
    layout_to_json,
    merge_layouts,
    plain_records,
)
from graphkit.backends.neo4j_connection import _Neo4jConnection
from graphkit.backends.neo4j_write import (
    Planned,
    Writer,
    _entity_writer,
    _filled,
    _KindRows,
    _node_of_row,
    _prepare_relations,
    _relation_node_writer,
    _relation_writer,
    _ShortBatch,
    _simple,
    _values,
)
from graphkit.graph import OwnershipGraph

__all__ = ["FORMAT"]

# The records keep the logger name they had before this module was split from neo4j.py.
log = logging.getLogger("graphkit.backends.neo4j")

FORMAT = "graphkit-neo4j/1"


class _Neo4jPush(_Neo4jConnection):
    """Writing of :class:`~graphkit.backends.neo4j.Neo4jBackend` (see there)."""

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
