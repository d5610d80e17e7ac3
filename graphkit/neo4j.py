"""Push a graph to Neo4j, pull it back, ask for paths on the server.

``gk.neo4j.push(g, uri)`` writes entities, relations (every provenance field and the
share range) and listings, with constraints and indexes, in batched transactions;
pushing again is safe. ``gk.neo4j.pull(uri)`` reads the whole graph back, or the
neighbourhood of some entities, as an :class:`~graphkit.graph.OwnershipGraph` with the
same tables and dtypes. ``gk.neo4j.paths(uri, source, ...)`` answers
:func:`graphkit.paths` on the server, and ``gk.neo4j.restricted(uri, rule, as_of)``
answers :func:`graphkit.restricted` (the rule's fixpoint runs in Cypher on the server). How the graph is laid out in Neo4j is described
in :mod:`graphkit.backends.cypher`.

Each function opens and closes its own connection; to run many queries, use one
backend: ``with gk.neo4j.connect(uri) as db: db.push(g); db.paths(...)``.

Needs the ``neo4j`` driver (``pip install graphkit[neo4j]``). Errors are
:class:`~graphkit.backends.base.BackendError` (server unreachable, connection lost)
and :class:`~graphkit.backends.base.PushError` (a push stopped part-way; it lists the
batches that committed).

Examples
--------
>>> import graphkit as gk
>>> g = gk.read_csv(gk.seed_path())
>>> report = gk.neo4j.push(g, "bolt://127.0.0.1:7687")          # doctest: +SKIP
>>> back = gk.neo4j.pull("bolt://127.0.0.1:7687")                # doctest: +SKIP
>>> gk.neo4j.paths("bolt://127.0.0.1:7687", "iflytek-sub")        # doctest: +SKIP
>>> gk.neo4j.restricted("bolt://127.0.0.1:7687", "bis-affiliates", as_of="2025-10-15")  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from graphkit.algorithms.paths import DEFAULT_AVOID, Path
from graphkit.backends.base import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_WORKERS,
    BackendError,
    MissingDependency,
    PushError,
    PushReport,
)
from graphkit.graph import OwnershipGraph
from graphkit.rules import Rule

if TYPE_CHECKING:
    import pandas as pd

    from graphkit.backends.neo4j import Neo4jBackend

__all__ = ["DEFAULT_URI", "BackendError", "MissingDependency", "PushError", "PushReport", "connect",
           "paths", "pull", "push", "restricted"]

DEFAULT_URI = "bolt://127.0.0.1:7687"


def connect(uri: str = DEFAULT_URI, *, auth: tuple[str, str] | None = None, database: str | None = None,
            batch_size: int = DEFAULT_BATCH_SIZE, workers: int = DEFAULT_WORKERS, timeout: float = 10.0) -> Neo4jBackend:
    """A connected :class:`~graphkit.backends.neo4j.Neo4jBackend` (close it, or use ``with``).

    Raises
    ------
    BackendError
        When no Neo4j server answers at ``uri``.
    MissingDependency
        When the ``neo4j`` driver is not installed.
    """
    from graphkit.backends.neo4j import Neo4jBackend

    return Neo4jBackend(uri, auth=auth, database=database, batch_size=batch_size, workers=workers,
                        timeout=timeout)


def push(g: OwnershipGraph, uri: str = DEFAULT_URI, *, auth: tuple[str, str] | None = None,
         database: str | None = None, batch_size: int = DEFAULT_BATCH_SIZE, workers: int = DEFAULT_WORKERS,
         clear: bool = False) -> PushReport:
    """Write ``g`` to Neo4j: entities, relations and listings, keyed by id.

    Parameters
    ----------
    g : OwnershipGraph
    uri : str
        Bolt URI of the server (default ``bolt://127.0.0.1:7687``).
    auth : (user, password), optional
    database : str, optional
    batch_size : int
        Rows per transaction (default 1,000).
    workers : int
        Transactions written at once (default 3).
    clear : bool
        Delete graphkit's nodes (and their relationships) first; default False: rows
        with an id already stored are updated, others added.

    Returns
    -------
    PushReport
        Every committed batch (table, rows, first and last id) and the time taken,
        per phase.

    Raises
    ------
    PushError
        When the push stops part-way; ``.committed`` lists the batches written,
        ``.failed`` the one that was in flight. Pushing again completes it.
    BackendError
        When the server cannot be reached.

    Notes
    -----
    Pushing the same graph twice leaves the database as after one push: entities and
    listings are merged on their id (uniqueness constraints), relations are looked up
    by id in a per-type index (Community edition has no relationship key constraint)
    and updated, or replaced when their source or target changed. A relation whose
    *kind* changed under the same id is added as a new relationship beside the old
    one: use ``clear=True`` to replace such a graph. Into an empty database rows are
    created without look-ups and the indexes are built after writing; a batch the
    driver has to retry (its first attempt may have committed) is merged instead.
    Relations of a kind the database does not hold yet find their two entities by the
    internal node ids the entity writes of the same push returned (faster than the id
    index; the ids are never stored). The push returns once the entity and listing
    indexes are online; the relation-id indexes, needed only by a later push that
    updates relations (which waits for them), finish filling on the server shortly after.
    A false flag (``illustrative``, ``indirect``) is stored as a missing property, which
    a pull reads back as False.
    """
    with connect(uri, auth=auth, database=database, batch_size=batch_size, workers=workers) as db:
        return db.push(g, clear=clear)


def pull(uri: str = DEFAULT_URI, ids: Iterable[str] | None = None, *, hops: int = 1,
         kinds: Iterable[str] | None = None, as_of: object | None = None,
         auth: tuple[str, str] | None = None, database: str | None = None) -> OwnershipGraph:
    """Read the graph stored in Neo4j back into an OwnershipGraph.

    Parameters
    ----------
    uri : str
    ids : iterable of str, optional
        None (default): the whole graph. Otherwise the entities within ``hops`` steps
        of ``ids`` (either direction, over ``kinds``, in force ``as_of`` when given),
        with the relations among them and their listings, as
        :meth:`OwnershipGraph.neighbourhood` gives.
    hops, kinds, as_of
        See ``ids``.

    Returns
    -------
    OwnershipGraph
        Tables with the columns and dtypes of the pushed graph: missing properties
        come back as null, shares as floats, dates as text.

    Raises
    ------
    NodeNotFound
        When one of ``ids`` is not stored.
    BackendError
        When the server cannot be reached or the connection is lost.
    """
    with connect(uri, auth=auth, database=database) as db:
        return db.pull(ids, hops=hops, kinds=kinds, as_of=as_of)


def paths(uri: str, source: str, to: str | Iterable[str] = "listed", max_hops: int = 6,
          kinds: Iterable[str] | None = None, k: int = 3, as_of: object = None,
          avoid: Iterable[str] = DEFAULT_AVOID, *, auth: tuple[str, str] | None = None,
          database: str | None = None) -> list[Path]:
    """:func:`graphkit.paths` computed on the server; same arguments, same answers."""
    with connect(uri, auth=auth, database=database) as db:
        return db.paths(source, to=to, max_hops=max_hops, kinds=kinds, k=k, as_of=as_of, avoid=avoid)


def restricted(uri: str = DEFAULT_URI, rule: str | Rule = "ofac50", as_of: object = None, *,
               auth: tuple[str, str] | None = None, database: str | None = None) -> pd.DataFrame:
    """:func:`graphkit.restricted` computed on the server: who is listed, restricted,
    unknown or clear under ``rule`` on ``as_of``, for the graph stored at ``uri``.

    Parameters
    ----------
    uri : str
        Bolt URI of the server.
    rule : str or Rule
        ``"ofac50"`` (default), ``"bis-affiliates"``, ``"eu50"`` or a :class:`~graphkit.rules.Rule`.
    as_of : date, optional
        Default: today.

    Returns
    -------
    DataFrame
        The columns of :func:`graphkit.restricted` (``id, name, status, share_min,
        share_max, red_flag, rule, as_of, explanation``), one row per legal entity, sorted
        by id. Statuses, share bounds and red flags equal the in-memory result on the
        same graph (the shared test suite checks it); the explanation is one sentence
        without the per-owner evidence: run :func:`graphkit.restricted` on a pulled
        neighbourhood for the full, cited explanation.

    Raises
    ------
    graphkit.rules.RuleError
        If the rule is unknown.
    BackendError
        When the server cannot be reached or the connection is lost.

    Notes
    -----
    The fixpoint runs on the server in rounds (see
    :mod:`graphkit.backends.neo4j_rules`): listed entities are seeded, then each round
    sums what caught owners hold in the entities they own (lower and upper share
    bounds separately) and catches those at the threshold, until nothing changes.
    Its state is two temporary labels per run, removed at the end.
    """
    with connect(uri, auth=auth, database=database) as db:
        return db.restricted(rule, as_of=as_of)
