"""The connection layer of the Neo4j backend: driver, statements, schema.

:class:`~graphkit.backends.neo4j.Neo4jBackend` is built in three layers, one
module each, so that each stays short enough to read:

- this module: :func:`driver_module` (imports the ``neo4j`` driver only when a
  backend is made, or raises :class:`~graphkit.backends.base.MissingDependency`
  saying ``pip install graphkit[neo4j]``) and :class:`_Neo4jConnection`, which
  connects to the server, runs one statement per managed transaction (read,
  write, or self-committing ``CALL ... IN TRANSACTIONS``), turns driver errors
  into :class:`~graphkit.backends.base.BackendError` naming the server, creates
  graphkit's constraints and indexes (:meth:`~_Neo4jConnection.ensure_schema`) and
  reads the stored table layout;
- :mod:`graphkit.backends.neo4j_push`: writing a graph (``push``, ``clear``);
- :mod:`graphkit.backends.neo4j`: reading (``pull``, ``query``), rules and paths,
  and the public class itself.

Every Cypher statement used here is in :mod:`graphkit.backends.cypher`.
"""

from __future__ import annotations

from typing import Any

from graphkit.backends import cypher
from graphkit.backends.base import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_WORKERS,
    Backend,
    BackendError,
    Layout,
    MissingDependency,
    default_layout,
    layout_from_json,
)
from graphkit.model import get_model

__all__ = ["DEFAULT_URI", "driver_module"]

DEFAULT_URI = "bolt://127.0.0.1:7687"
_INSTALL = "pip install graphkit[neo4j]"


def driver_module() -> Any:
    """The ``neo4j`` driver package, or a MissingDependency naming what to install."""
    try:
        import neo4j
    except ImportError as exc:
        raise MissingDependency(f"the Neo4j backend needs the neo4j Python driver: {_INSTALL}") from exc
    return neo4j


class _Neo4jConnection(Backend):
    """Connection, statements and schema of :class:`~graphkit.backends.neo4j.Neo4jBackend`
    (its parameters are documented there)."""

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
