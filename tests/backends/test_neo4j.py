"""Neo4j-only behaviour: errors, schema, partial pushes, what the database holds."""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
from urllib.parse import urlparse

import pytest

import graphkit as gk
import graphkit.neo4j  # noqa: F401  (gk.neo4j, also when graphkit/__init__ does not import it)
from graphkit.backends import Backend, BackendError, MissingDependency, PushError
from tests.backends.compare import assert_same_graph, generated_graph


def count(db: Backend, query: str) -> int:
    return int(db._read(query)[0]["n"])  # type: ignore[attr-defined]


def test_unreachable_server_is_a_clear_error() -> None:
    from graphkit.backends.neo4j import Neo4jBackend

    with socket.socket() as s:  # a port where nothing listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(BackendError, match=rf"(?s)cannot reach Neo4j at bolt://127.0.0.1:{port}.*running"):
        Neo4jBackend(f"bolt://127.0.0.1:{port}", timeout=2.0)
    with pytest.raises(BackendError, match="cannot reach"):
        gk.neo4j.push(gk.example_graph(), f"bolt://127.0.0.1:{port}")  # type: ignore[attr-defined]


def test_missing_driver_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from graphkit.backends.neo4j import Neo4jBackend

    monkeypatch.setitem(sys.modules, "neo4j", None)  # makes `import neo4j` fail
    with pytest.raises(MissingDependency, match=r"pip install graphkit\[neo4j\]"):
        Neo4jBackend()
    with pytest.raises(ImportError):
        Neo4jBackend()


def test_schema_and_model(neo4j_db: Backend) -> None:
    g = gk.read_csv(gk.seed_path())
    report = gk.neo4j.push(g, neo4j_db.uri)  # type: ignore[attr-defined]
    assert report.rows("relations") == len(g.relations)
    names = {r["name"] for r in neo4j_db._read("SHOW CONSTRAINTS YIELD name RETURN name")}  # type: ignore[attr-defined]
    assert {"graphkit_entity_id", "graphkit_listing_id"} <= names
    indexes = {r["name"] for r in neo4j_db._read("SHOW INDEXES YIELD name RETURN name")}  # type: ignore[attr-defined]
    assert "graphkit_rel_owns_id" in indexes
    assert count(neo4j_db, "MATCH (n:Entity) RETURN count(n) AS n") == len(g.entities)
    assert count(neo4j_db, "MATCH (:Entity)-[r:OWNS]->(:Entity) RETURN count(r) AS n") == \
        int((g.relations["kind"] == "owns").sum())
    assert count(neo4j_db, "MATCH (:Listing)-[:LISTS]->(:Entity) RETURN count(*) AS n") == len(g.listings)
    # share ranges are floats, dates text, lists lists
    row = neo4j_db._read("MATCH ()-[r:OWNS {id: 'r001'}]->() RETURN r.share_min AS lo, "  # type: ignore[attr-defined]
                         "r.observed AS seen")[0]
    assert row == {"lo": 100.0, "seen": "2021-12-10"}
    gk.neo4j.push(g, neo4j_db.uri)  # type: ignore[attr-defined]
    assert count(neo4j_db, "MATCH ()-[r]->() RETURN count(r) AS n") == len(g.relations) + len(g.listings)
    assert_same_graph(gk.neo4j.pull(neo4j_db.uri), g)  # type: ignore[attr-defined]
    got = gk.neo4j.paths(neo4j_db.uri, "shenzhen-sensetime", as_of="2024-01-01")  # type: ignore[attr-defined]
    want = gk.paths(g, "shenzhen-sensetime", as_of="2024-01-01")
    assert [p.explain() for p in got] == [p.explain() for p in want]


class CuttingProxy:
    """A TCP proxy to the server that drops every connection after ``limit`` bytes sent
    by the client, and refuses new ones: a connection lost in the middle of a push."""

    def __init__(self, host: str, port: int, limit: int) -> None:
        self.upstream = (host, port)
        self.limit = limit
        self.sent = 0
        self.cut = threading.Event()
        self.sockets: list[socket.socket] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.cut.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            self.sockets += [client, server]
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket, counted: bool) -> None:
        try:
            while not self.cut.is_set():
                data = a.recv(65536)
                if not data:
                    break
                if counted:
                    self.sent += len(data)
                    if self.sent > self.limit:
                        self.close()
                        return
                b.sendall(data)
        except OSError:
            pass

    def close(self) -> None:
        self.cut.set()
        for s in [self.listener, *self.sockets]:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()


def _push_cut_after(neo4j_db: Backend, g: gk.OwnershipGraph, limit: int) -> tuple[PushError, int]:
    """Push ``g`` through a proxy that cuts the connection after ``limit`` bytes from the
    client; the PushError raised and the number of concurrent writers."""
    from graphkit.backends.neo4j import Neo4jBackend

    url = urlparse(neo4j_db.uri)  # type: ignore[attr-defined]
    proxy = CuttingProxy(url.hostname or "127.0.0.1", url.port or 7687, limit=limit)
    try:
        db = Neo4jBackend(f"bolt://127.0.0.1:{proxy.port}", batch_size=100, retry_seconds=1.0)
        with pytest.raises(PushError) as info:
            db.push(g)
    finally:
        proxy.close()
    return info.value, db.workers


def test_lost_connection_reports_committed_batches(neo4j_db: Backend) -> None:
    g = generated_graph(800, 2400, seed=5)
    err, _ = _push_cut_after(neo4j_db, g, 150_000)
    assert err.failed is not None
    assert err.committed, "some batches should have committed before the cut"
    assert "Committed so far" in str(err) and str(err.failed) in str(err)
    # every batch reported as committed is in the database
    for batch in err.committed:
        if batch.table == "entities":
            ids = g.entities["id"].iloc[batch.first_row:batch.first_row + batch.rows].tolist()
            found = neo4j_db._read("UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN count(n) AS n",  # type: ignore[attr-defined]
                                   ids=ids)[0]["n"]
            assert found == len(ids), batch
    stored = count(neo4j_db, "MATCH (n:Entity) RETURN count(n) AS n")
    committed = sum(b.rows for b in err.committed if b.table == "entities")
    assert committed <= stored <= committed + err.failed.rows
    # pushing again completes the graph
    neo4j_db.push(g)
    assert_same_graph(neo4j_db.pull(), g)


def test_lost_connection_in_the_relation_phase(neo4j_db: Backend) -> None:
    """Relations of a new kind are written by internal node id; a cut there still names
    the committed batches, and pushing again completes the graph."""
    from graphkit.backends.neo4j import Neo4jBackend

    g = generated_graph(800, 2400, seed=5)
    url = urlparse(neo4j_db.uri)  # type: ignore[attr-defined]
    host, port = url.hostname or "127.0.0.1", url.port or 7687

    def sent(graph: gk.OwnershipGraph) -> int:
        """Bytes the client sends to push ``graph`` into an empty database."""
        neo4j_db.clear()  # type: ignore[attr-defined]
        counter = CuttingProxy(host, port, limit=10**12)
        try:
            with Neo4jBackend(f"bolt://127.0.0.1:{counter.port}", batch_size=100) as db:
                db.push(graph)
        finally:
            counter.close()
        return counter.sent

    entities_only = sent(gk.OwnershipGraph(g.entities, g.relations.iloc[:0], g.listings.iloc[:0]))
    total = sent(g)
    neo4j_db.clear()  # type: ignore[attr-defined]
    err, workers = _push_cut_after(neo4j_db, g, entities_only + (total - entities_only) // 2)
    assert err.failed is not None and err.failed.table == "relations", err
    assert sum(b.rows for b in err.committed if b.table == "entities") == len(g.entities)
    committed = sum(b.rows for b in err.committed if b.table == "relations")
    assert committed > 0
    stored = count(neo4j_db, "MATCH (:Entity)-[r]->(:Entity) RETURN count(r) AS n")
    assert committed <= stored <= committed + workers * err.failed.rows
    neo4j_db.push(g)
    assert_same_graph(neo4j_db.pull(), g)


def test_connection_lost_during_read(neo4j_db: Backend) -> None:
    from graphkit.backends.neo4j import Neo4jBackend

    neo4j_db.push(gk.read_csv(gk.seed_path()))
    url = urlparse(neo4j_db.uri)  # type: ignore[attr-defined]
    proxy = CuttingProxy(url.hostname or "127.0.0.1", url.port or 7687, limit=10**9)
    db = Neo4jBackend(f"bolt://127.0.0.1:{proxy.port}", retry_seconds=1.0)
    proxy.close()
    with pytest.raises(BackendError, match="Neo4j at bolt://127.0.0.1"):
        db.pull()
    with pytest.raises(BackendError):
        db.paths("iflytek")


def test_dangling_reference_is_reported(neo4j_db: Backend) -> None:
    g = gk.example_graph()
    broken = gk.OwnershipGraph(g.entities[g.entities["id"] != "parent"].reset_index(drop=True),
                               g.relations, g.listings)  # not validated: "parent" is missing
    with pytest.raises(PushError, match="wrote 0 of 1 rows") as info:
        neo4j_db.push(broken)
    assert info.value.failed is not None and info.value.failed.table == "relations"
    assert sum(b.rows for b in info.value.committed if b.table == "entities") == 4


def test_retried_batches_write_nothing_twice(neo4j_db: Backend) -> None:
    from graphkit.backends.neo4j_write import (
        _entity_writer,
        _relation_node_writer,
        _relation_writer,
        _rows,
    )

    g = gk.read_csv(gk.seed_path())
    neo4j_db.push(g)
    before = count(neo4j_db, "MATCH ()-[r]->() RETURN count(r) AS n")
    rels = g.relations[g.relations["kind"] == "owns"]
    columns = [c for c in rels.columns if c not in ("source", "target", "kind")]
    rows = _rows(rels, ["source", "target", *columns])
    ents = _rows(g.entities, list(g.entities.columns))
    # A retry after a commit whose answer was lost: the first attempt's rows are there.
    with neo4j_db._driver.session() as session:  # type: ignore[attr-defined]
        assert session.execute_write(_relation_writer("owns", columns, True), rows, True) == len(rows)
        assert session.execute_write(_relation_writer("owns", columns, False), rows, False) == len(rows)
        assert session.execute_write(_entity_writer(list(g.entities.columns), True), ents, True) == len(ents)
        # The same with rows that name their ends by internal node id (a push into a
        # database that held no relation of the kind).
        nodes = {r["id"]: r["n"] for r in neo4j_db._read(  # type: ignore[attr-defined]
            "MATCH (e:Entity) RETURN e.id AS id, id(e) AS n")}
        by_node = [[nodes[r[0]], nodes[r[1]], *r[2:]] for r in rows]
        assert session.execute_write(_relation_node_writer("owns", columns), by_node, True) == len(rows)
    assert count(neo4j_db, "MATCH ()-[r]->() RETURN count(r) AS n") == before
    assert_same_graph(neo4j_db.pull(), g)


def test_rewired_relation_replaces_the_old_one(neo4j_db: Backend) -> None:
    g = gk.example_graph()
    neo4j_db.push(g)
    rels = g.relations.copy()
    rels.loc[rels["id"] == rels["id"].iloc[0], "target"] = "other"   # parent now owns other
    moved = gk.OwnershipGraph(g.entities, rels, g.listings)
    neo4j_db.push(moved)
    assert_same_graph(neo4j_db.pull(), moved)


def test_clear_schema_and_push_into_an_empty_database(neo4j_db: Backend) -> None:
    neo4j_db.clear(schema=True)  # type: ignore[call-arg]
    names = {r["name"] for r in neo4j_db._read("SHOW INDEXES YIELD name RETURN name")}  # type: ignore[attr-defined]
    assert not {n for n in names if n.startswith("graphkit_")}
    g = gk.read_csv(gk.seed_path())
    report = neo4j_db.push(g)
    assert set(report.phases) >= {"entities", "relations", "listings", "indexes"}
    names = {r["name"] for r in neo4j_db._read("SHOW INDEXES YIELD name RETURN name")}  # type: ignore[attr-defined]
    assert {"graphkit_entity_id", "graphkit_rel_owns_id", "graphkit_entity_name"} <= names
    assert_same_graph(neo4j_db.pull(), g)


def test_restricted_leaves_no_state(neo4j_db: Backend) -> None:
    """The fixpoint's temporary labels are removed, after success and after an error."""
    from graphkit.backends import neo4j_rules

    seed = gk.read_csv(gk.seed_path())
    neo4j_db.push(seed)
    got = gk.neo4j.restricted(neo4j_server_uri(neo4j_db), "bis-affiliates", as_of="2025-10-15")  # type: ignore[attr-defined]
    assert (got["status"] == "restricted").any()
    leftover = "MATCH (n) WHERE any(l IN labels(n) WHERE l STARTS WITH 'GkRun_') RETURN count(n) AS n"
    assert count(neo4j_db, leftover) == 0

    def broken(self: object, red_flag_min: object) -> list[object]:
        raise BackendError("simulated failure after the rounds")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(neo4j_rules._Run, "totals", broken)
        with pytest.raises(BackendError, match="simulated"):
            neo4j_db.restricted("bis-affiliates", as_of="2025-10-15")  # type: ignore[attr-defined]
    assert count(neo4j_db, leftover) == 0
    assert_same_graph(neo4j_db.pull(), seed)   # nothing else changed


def test_restricted_hostile_text_and_programs(neo4j_db: Backend) -> None:
    """Names, ids and program texts that look like Cypher or regex stay data."""
    import pandas as pd

    from tests.backends.compare import assert_same_restricted

    ents = pd.DataFrame({"id": ["a'1", "b})//", "c$x", "d`"], "name": ["O'Brien \"X\" Ltd", "}) DETACH DELETE n //",
                                                                        ".*", "(?s).*"],
                         "kind": ["company"] * 4})
    rels = pd.DataFrame({"id": ["r1", "r2", "r3"], "source": ["a'1", "b})//", "a'1"],
                         "target": ["b})//", "c$x", "d`"], "kind": ["owns", "owns", "owns"],
                         "share": ["60", "25-75", "50"]})
    lsts = pd.DataFrame({"id": ["l1", "l2"], "entity": ["a'1", "d`"], "list": ["us-ofac-sdn", "us-ofac-sdn"],
                         "program": [".*) MATCH (n) DETACH DELETE n // [SDGT]", "(?s).*"], "start": ["2020", "2020"]})
    g = gk.OwnershipGraph.from_frames(ents, rels, lsts)
    neo4j_db.push(g)
    for rule in ("ofac50", "bis-affiliates"):
        want = gk.restricted(g, rule, as_of="2024-01-01")
        assert_same_restricted(neo4j_db.restricted(rule, as_of="2024-01-01"), want, rule)  # type: ignore[attr-defined]
    assert count(neo4j_db, "MATCH (n:Entity) RETURN count(n) AS n") == 4


def neo4j_server_uri(db: Backend) -> str:
    return str(db.uri)  # type: ignore[attr-defined]
