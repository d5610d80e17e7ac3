"""Fixtures for the backend tests: a Neo4j server, and the shared suite's backends.

The Neo4j server is found at ``$GRAPHKIT_NEO4J_URI`` or ``bolt://127.0.0.1:7687``. When
none answers the Neo4j tests skip, or fail when ``$CI`` is set or
``GRAPHKIT_REQUIRE_NEO4J=1`` (so CI cannot pass without running them). The tests own
the server's default database: each test starts from an empty database.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphkit.backends import Backend, BackendError, MemoryBackend

DEFAULT_URI = "bolt://127.0.0.1:7687"
START_HINT = "start it with scripts/neo4j-server start"


def neo4j_uri_setting() -> str:
    return os.environ.get("GRAPHKIT_NEO4J_URI") or DEFAULT_URI


def neo4j_required() -> bool:
    ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    return ci or os.environ.get("GRAPHKIT_REQUIRE_NEO4J") == "1"


class ServerLock:
    """Serialise test sessions (and benchmarks) that wipe the same server on this machine.

    The tests empty the database at every test; two pytest runs against one server
    would delete each other's data. This holds an exclusive file lock named after the
    URI for the whole session (POSIX only; elsewhere it does nothing).
    """

    def __init__(self, uri: str, wait: float = 1800.0) -> None:
        digest = hashlib.sha1(uri.encode()).hexdigest()[:12]
        self.path = Path(tempfile.gettempdir()) / f"graphkit-neo4j-{digest}.lock"
        self.wait = wait
        self.handle = None

    def __enter__(self) -> ServerLock:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return self
        self.handle = open(self.path, "w")  # noqa: SIM115 - held for the session
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"another test run holds {self.path}") from None
                time.sleep(0.5)

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[Backend]:
    """One connection to the Neo4j server for the whole test session (holding ServerLock)."""
    uri = neo4j_uri_setting()
    try:
        from graphkit.backends.neo4j import Neo4jBackend

        db = Neo4jBackend(uri, timeout=5.0, batch_size=500)
    except BackendError as exc:  # includes MissingDependency (no driver installed)
        message = f"no Neo4j server answers at {uri} ({exc}); {START_HINT}"
        if neo4j_required():
            pytest.fail(message + " [required: CI or GRAPHKIT_REQUIRE_NEO4J=1 is set]", pytrace=False)
        pytest.skip(f"no Neo4j server at {uri}: {START_HINT}")
    with ServerLock(uri):
        db.ensure_schema()
        yield db
    db.close()


@pytest.fixture()
def neo4j_db(neo4j_server: Backend) -> Backend:
    """The session's Neo4j backend, with the database wiped (every node) for this test."""
    neo4j_server.clear(everything=True)  # type: ignore[call-arg]
    return neo4j_server


@pytest.fixture(params=["memory", "neo4j"])
def backend(request: pytest.FixtureRequest) -> Backend:
    """Each backend in turn, empty: the shared suite runs once per backend."""
    if request.param == "memory":
        return MemoryBackend()
    return request.getfixturevalue("neo4j_db")
