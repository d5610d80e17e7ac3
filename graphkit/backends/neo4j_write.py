"""How the Neo4j backend writes: rows to send, and the transaction functions that write
them (used by :meth:`graphkit.backends.neo4j.Neo4jBackend.push`).

A push sends positional rows (lists, which the driver encodes faster than maps), leaves
out what Neo4j would not store anyway (null values and false flags), writes the
relations of each kind in source order, and, for relation kinds the database does not
hold yet, names their ends by the internal node ids that the entity writes of the same
push returned. Every writer can be retried by the driver: a retried attempt merges, or
checks what its predecessor committed, instead of creating twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from graphkit.backends import cypher
from graphkit.backends.base import Batch, plain_values
from graphkit.graph import OwnershipGraph
from graphkit.model import get_model

__all__ = ["Planned", "Writer"]


def _values(column: pd.Series) -> np.ndarray:
    """A column as plain values to store: None for null and, in a flag column (numpy bool,
    which holds no null), for False. Neo4j stores no null, so a None is a property left
    out; a pull reads a missing flag as False (the stored layout says the column is bool)."""
    out = plain_values(column)
    if column.dtype == np.bool_:
        out[~column.to_numpy()] = None
    return out


def _rows(frame: Any, columns: list[str]) -> list[list[Any]]:
    """Rows as positional lists of the values :func:`_values` stores, in ``columns`` order."""
    arrays = [_values(frame[c]) for c in columns]
    return [list(r) for r in zip(*arrays)] if arrays else [[] for _ in range(len(frame))]


def _filled(frame: Any, columns: Iterable[Any]) -> list[str]:
    """The columns (``id`` always) that hold a value to store in at least one row of
    ``frame`` (not null; for a flag column, True)."""
    def stored(c: Any) -> bool:
        col = frame[c]
        return bool(col.to_numpy().any()) if col.dtype == np.bool_ else bool(col.notna().any())
    return [str(c) for c in columns if str(c) == "id" or stored(c)]


class _ShortBatch(Exception):
    pass


Writer = Callable[[Any, Sequence[Any], bool], int]   # (transaction, rows, is_retry) -> rows written
Planned = tuple[Batch, Writer, Sequence[Any]]        # a batch, its writer, its rows


def _simple(query: str) -> Writer:
    def work(tx: Any, batch: Sequence[Any], retry: bool) -> int:
        return int(tx.run(query, rows=batch).single()["written"])
    return work


def _entity_writer(columns: list[str], fresh: bool, nodes: dict[str, int] | None = None) -> Writer:
    """CREATE into an empty database, MERGE otherwise, and MERGE when the driver retries a
    batch (its first attempt may have committed before the connection was lost). Each
    attempt records the internal node ids of its rows in ``nodes`` (a retry overwrites
    them; a batch that fails for good makes the push fail, so none are used)."""
    create = cypher.with_node_ids(cypher.create_entities(columns))
    merge = cypher.with_node_ids(cypher.merge_entities(columns))
    nodes = {} if nodes is None else nodes

    def work(tx: Any, batch: Sequence[Any], retry: bool) -> int:
        record = tx.run(create if fresh and not retry else merge, rows=batch).single()
        nodes.update(zip(record["ids"], record["nodes"]))
        return int(record["written"])
    return work


@dataclass
class _KindRows:
    """The relations of one kind, in source order, ready to send."""

    kind: str
    pos: np.ndarray              # rows of the relation table
    ids: np.ndarray              # relation ids
    columns: list[str]           # the columns sent (``id`` among them)
    values: list[np.ndarray]     # their values (see _values)
    source_row: np.ndarray | None   # row of each end in the entity table (None: not all found)
    target_row: np.ndarray | None


def _end_rows(graph: OwnershipGraph) -> tuple[np.ndarray, np.ndarray]:
    """The row in the entity table of the source and target of each relation (-1: not
    there), from the graph's compiled index when it can be built (usually at hand)."""
    rels = graph.relations
    try:
        index = graph.index
        if len(index.src) == len(rels):
            return index.src.astype(np.int64), index.dst.astype(np.int64)
    except (ValueError, IndexError):   # a graph not validated (a relation to a missing entity)
        pass
    ids = pd.Index(graph.entities["id"].to_numpy(dtype=object), dtype=object)
    return (ids.get_indexer(rels["source"].to_numpy(dtype=object)),
            ids.get_indexer(rels["target"].to_numpy(dtype=object)))


def _prepare_relations(graph: OwnershipGraph) -> list[_KindRows]:
    """Split the relations by kind, each kind in source order (a batch then touches few
    source nodes, close together in the store, and concurrent batches rarely lock the same
    node), with the values to send and, when every end is in the entity table, the row of
    each end in that table."""
    rels = graph.relations
    all_columns = [str(c) for c in rels.columns if c not in ("source", "target", "kind")]
    kinds = rels["kind"].astype(object).to_numpy()
    ids = rels["id"].to_numpy(dtype=object)
    source_row, target_row = _end_rows(graph)
    by_row = not ((source_row < 0).any() or (target_row < 0).any())
    sources = None if by_row else rels["source"].to_numpy(dtype=str)
    out = []
    for kind in get_model().relation_kinds:
        pos = np.flatnonzero(kinds == kind)
        if not len(pos):
            continue
        pos = pos[np.argsort(source_row[pos] if sources is None else sources[pos], kind="stable")]
        columns, values = [], []
        for c in all_columns:   # column by column: those null in every row are not copied
            col = rels[c].iloc[pos]
            if _filled(col.to_frame(), [c]):
                columns.append(c)
                values.append(_values(col))
        out.append(_KindRows(kind, pos, ids[pos], columns, values,
                             source_row[pos] if by_row else None, target_row[pos] if by_row else None))
    return out


def _node_of_row(entity_ids: np.ndarray, nodes: dict[str, int]) -> np.ndarray | None:
    """The internal node id of each entity row (None when one was not written)."""
    out = np.fromiter((nodes.get(i, -1) for i in entity_ids), dtype=np.int64, count=len(entity_ids))
    return None if (out < 0).any() else out


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


def _relation_node_writer(kind: str, columns: list[str]) -> Writer:
    """Relations of a kind the database held none of when the push began, rows ``[source
    node, target node, ...]`` (internal node ids): the first attempt only creates; a retried
    attempt creates only what its predecessor did not commit."""
    id_pos = columns.index("id") + 2
    create = cypher.create_relations_by_node_flat(kind, columns)
    create_grouped = cypher.create_relations_by_node(kind, columns)
    existing = cypher.existing_relations_by_node(kind, id_pos)

    def work(tx: Any, batch: Sequence[list[Any]], retry: bool) -> int:
        if not retry:
            return int(tx.run(create_grouped, rows=_by_source(batch)).single()["written"])
        there = {r["id"] for r in tx.run(existing, rows=batch)}
        rest = [row for row in batch if row[id_pos] not in there]
        return len(there) + (int(tx.run(create, rows=rest).single()["written"]) if rest else 0)
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
