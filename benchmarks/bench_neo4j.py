"""Benchmark the Neo4j backend: push, re-push, pull, and paths for many buyers.

Usage::

    scripts/neo4j-server start
    python benchmarks/bench_neo4j.py [--entities 100000] [--relations 300000] [--buyers 1000]
                                     [--repeat 3] [--warmup 1] [--push-only]
                                     [--uri bolt://127.0.0.1:7687] [--json results.json]

The graph comes from ``benchmarks/generate.py`` (``make_frames``, seeded). The script
EMPTIES graphkit's data in the database at ``--uri`` first (and takes the same lock file
as the test suite, so it waits for a running test session). It prints:

- push: seconds and relations per second for a push into an empty database (target:
  30,000 relations a second or more), per phase with the server's and this process's
  CPU seconds; first ``--warmup`` pushes (default 3: the Java server compiles its hot
  code during the first pushes after it starts, so on a server started just before, the
  first push is the *cold* figure; they are printed, labelled, and left out of the
  median), then ``--repeat N`` pushes
  (emptying the database in between) whose median is the result, with the load average
  and, for a local server started by scripts/neo4j-server, the CPU seconds the server
  used (a figure that depends much less on other work on the machine); after each push,
  the seconds until the relation-id indexes the push left filling are online (not part
  of the push: nothing but a later re-push uses them);
- re-push of the same graph (idempotent: the counts must not change);
- pull of the whole graph, and whether it equals the pushed tables (it must);
- ``paths`` for ``--buyers`` companies on the server and with the in-memory engine:
  seconds each, and how many answers agree (same path weights; same paths except among
  equally good ones at the cut-off);
- ``restricted`` for the three rules (ofac50, bis-affiliates, eu50) on the server (the
  fixpoint runs in Cypher) and in memory: seconds each, and whether statuses, share bounds
  and red flags agree (they must).

The driver's Rust extension (``pip install neo4j-rust-ext``) makes the client about four
times faster at encoding rows; the script says whether it is in use.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import generate  # noqa: E402

import graphkit as gk  # noqa: E402
from graphkit.algorithms.paths import step_weight  # noqa: E402
from graphkit.backends.neo4j import Neo4jBackend  # noqa: E402


def lock(uri: str) -> object:
    """The lock file the test suite holds while it wipes the server (see tests/backends)."""
    import fcntl

    digest = hashlib.sha1(uri.encode()).hexdigest()[:12]
    handle = open(Path(tempfile.gettempdir()) / f"graphkit-neo4j-{digest}.lock", "w")  # noqa: SIM115
    print(f"waiting for the server lock {handle.name} ...", file=sys.stderr)
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


class RetryCounter(logging.Handler):
    """Counts the driver's "transaction will be retried" warnings (deadlocks, lock timeouts)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "retried" in record.getMessage():
            self.count += 1


RETRIES = RetryCounter()
logging.getLogger("neo4j").addHandler(RETRIES)
logging.getLogger("neo4j").propagate = False


def server_cpu() -> float | None:
    """CPU seconds used so far by the local server of scripts/neo4j-server (None if not local)."""
    try:
        pid = int((HERE.parent / ".neo4j" / "neo4j.pid").read_text())
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def server_age() -> float | None:
    """Seconds since the local server of scripts/neo4j-server started (None if not local)."""
    try:
        pid = int((HERE.parent / ".neo4j" / "neo4j.pid").read_text())
        start = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])
        return float(Path("/proc/uptime").read_text().split()[0]) - start / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


class MeasuredBackend(Neo4jBackend):
    """The Neo4j backend, noting the server's and this process's CPU seconds around the
    steps of a push (``entities``, ``relations``, ``listings`` are its ``_run`` calls, in
    that order; ``prepare`` and ``indexes`` are the time before and after them)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.steps: list[tuple[float | None, float]] = []   # (server, client) at each mark

    def mark(self) -> None:
        self.steps.append((server_cpu(), time.process_time()))

    def push(self, graph: gk.OwnershipGraph, *, clear: bool = False) -> gk.neo4j.PushReport:
        self.mark()
        try:
            return super().push(graph, clear=clear)
        finally:
            self.mark()

    def _run(self, report, plan) -> None:  # type: ignore[no-untyped-def]
        self.mark()
        try:
            super()._run(report, plan)
        finally:
            self.mark()

    def _spans(self) -> dict[str, tuple[float | None, float]]:
        # marks: push start, then start and end of each _run, then push end
        spans = {"prepare": (0, 1), "entities": (1, 2), "relations": (2, 4), "listings": (4, 6), "indexes": (6, 7)}
        out: dict[str, tuple[float | None, float]] = {}
        if len(self.steps) != 8:
            return out
        for name, (i, j) in spans.items():
            a, b = self.steps[i], self.steps[j]
            out[name] = (None if a[0] is None or b[0] is None else b[0] - a[0], b[1] - a[1])
        return out

    def cpu_text(self, phase: str) -> str:
        server, client = self._spans().get(phase, (None, 0.0))
        return f" ({'?' if server is None else f'{server:.1f}'}/{client:.1f})"

    def total(self) -> tuple[float | None, float]:
        a, b = self.steps[0], self.steps[-1]
        return (None if a[0] is None or b[0] is None else b[0] - a[0], b[1] - a[1])


def same_tables(a: gk.OwnershipGraph, b: gk.OwnershipGraph) -> bool:
    for name in ("entities", "relations", "listings"):
        x = getattr(a, name).sort_values("id").reset_index(drop=True)
        y = getattr(b, name).sort_values("id").reset_index(drop=True)
        try:
            pd.testing.assert_frame_equal(x, y)
        except AssertionError as exc:
            print(f"  {name} differ: {str(exc)[:300]}")
            return False
    return True


def weight(p: gk.Path) -> float:
    return round(sum(step_weight(r["confidence"]) for r in p.relations), 9)


def agree(got: list[gk.Path], want: list[gk.Path]) -> tuple[bool, bool]:
    """(exactly the same node sequences, the same up to ties at the cut-off weight)."""
    g = sorted((weight(p), tuple(p.nodes)) for p in got)
    w = sorted((weight(p), tuple(p.nodes)) for p in want)
    exact = g == w
    if [x[0] for x in g] != [x[0] for x in w]:
        return exact, False
    worst = w[-1][0] if w else 0.0
    return exact, [x for x in g if x[0] < worst] == [x for x in w if x[0] < worst]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entities", type=int, default=100_000)
    ap.add_argument("--relations", type=int, default=300_000)
    ap.add_argument("--buyers", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--uri", default=os.environ.get("GRAPHKIT_NEO4J_URI", "bolt://127.0.0.1:7687"))
    ap.add_argument("--batch-size", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--k", type=int, default=3)
    ap.add_argument("--max-hops", type=int, default=6)
    ap.add_argument("--as-of", default="2025-01-01")
    ap.add_argument("--repeat", type=int, default=1, help="pushes into an empty database (median reported)")
    ap.add_argument("--warmup", type=int, default=3,
                    help="pushes before the measured ones, printed (the first one is the cold figure) "
                         "but not in the median (default 3: a server started moments ago needs about "
                         "three pushes of this size before its JIT has compiled the hot code; 0 for none)")
    ap.add_argument("--push-only", action="store_true", help="stop after the pushes (no re-push, pull, paths, rules)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    out: dict[str, object] = {"entities": args.entities, "relations": args.relations,
                              "buyers": args.buyers, "seed": args.seed,
                              "rust_extension": importlib.util.find_spec("neo4j._rust") is not None,
                              "workers": args.workers, "batch_size": args.batch_size}

    t = time.perf_counter()
    ents, rels, lsts = generate.make_frames(args.entities, args.relations, seed=args.seed, with_roles=True)
    g = gk.OwnershipGraph.from_frames(ents, rels, lsts)
    print(f"graph: {g} built in {time.perf_counter() - t:.1f} s; "
          f"neo4j-rust-ext in use: {out['rust_extension']}")

    held = lock(args.uri)
    db = MeasuredBackend(args.uri, batch_size=args.batch_size, workers=args.workers, timeout=10)
    db.clear(schema=True)  # an empty database: no data, no indexes

    rates, cpus, warm_up = [], [], []
    age = server_age()
    if age is not None:
        print(f"local server: started {age:.0f} s ago, {server_cpu():.0f} CPU s used so far "
              "(a server started moments ago runs its first push with a cold JIT)")
    runs = [("warm-up", i + 1) for i in range(max(0, args.warmup))] + [("push", i + 1) for i in range(max(1, args.repeat))]
    for n, (what, number) in enumerate(runs):
        if n:
            db.clear(schema=True)
        load = os.getloadavg()[0]
        RETRIES.count = 0
        db.steps.clear()
        rep = db.push(g)
        cpu = db.total()
        t = time.perf_counter()
        db.ensure_schema()   # the relation-id indexes a push leaves filling in the background
        index_wait = time.perf_counter() - t
        rate = len(g.relations) / rep.seconds
        rel_rate = len(g.relations) / rep.phases["relations"]
        phases = "; ".join(f"{k} {v:.2f} s" + db.cpu_text(k) for k, v in rep.phases.items())
        label = (f"warm-up push {number} (NOT in the median; the first push after a server start "
                 "includes JIT warm-up)" if what == "warm-up" else f"push {number}")
        print(f"{label} (empty database): {rep.seconds:.2f} s = {rate:,.0f} relations/s overall "
              f"(target >= 30,000); relation phase {rel_rate:,.0f} relations/s; "
              f"load average {load:.1f}; retried transactions {RETRIES.count}"
              + (f"; server CPU {cpu[0]:.1f} s" if cpu[0] is not None else "") + f", client CPU {cpu[1]:.1f} s",
              flush=True)
        print(f"    phases (wall s, server/client CPU s): {phases}")
        print(f"    after the push: relation-id indexes (used only by a later re-push) online "
              f"{index_wait:.2f} s later (not counted in the push)")
        if what == "push":
            rates.append(rate)
            if cpu[0] is not None:
                cpus.append(cpu[0])
        else:
            warm_up.append(rate)
    rate = statistics.median(rates)
    first = f"; first push of this run (warm-up, cold if the server had just started): {warm_up[0]:,.0f}" \
        if warm_up else ""
    print(f"push: median {rate:,.0f} relations/s over {len(rates)} push(es) after {len(warm_up)} warm-up "
          f"[{', '.join(f'{r:,.0f}' for r in rates)}]{first} "
          f"({'MET' if rate >= 30_000 else 'NOT MET'}: target >= 30,000; {os.cpu_count()} CPUs, "
          f"load average now {os.getloadavg()[0]:.1f})")
    out.update(push_warmup_rates=warm_up)
    out.update(push_seconds=rep.seconds, push_relations_per_second=rate, push_rates=rates,
               push_server_cpu_seconds=cpus, push_relation_phase_per_second=rel_rate, push_phases=rep.phases)

    if args.push_only:
        db.close()
        held.close()  # type: ignore[attr-defined]
        if args.json:
            args.json.write_text(json.dumps(out, indent=2, default=str))
        return 0

    counts = db._read("MATCH (n) RETURN count(n) AS n")[0]["n"], db._read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
    RETRIES.count = 0
    rep2 = db.push(g)
    counts2 = db._read("MATCH (n) RETURN count(n) AS n")[0]["n"], db._read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
    print(f"re-push (same graph): {rep2.seconds:.1f} s = {len(g.relations) / rep2.seconds:,.0f} relations/s; "
          f"nodes/relationships {counts} -> {counts2} ({'unchanged' if counts == counts2 else 'CHANGED'}); "
          f"retried transactions {RETRIES.count}; "
          + ", ".join(f"{k} {v:.1f} s" for k, v in rep2.phases.items()))
    out.update(repush_seconds=rep2.seconds, repush_unchanged=counts == counts2)

    t = time.perf_counter()
    back = db.pull()
    pull_s = time.perf_counter() - t
    lossless = same_tables(back, g)
    print(f"pull (whole graph): {pull_s:.1f} s; equal to the pushed tables: {lossless}")
    out.update(pull_seconds=pull_s, pull_lossless=lossless)

    rng = np.random.default_rng(args.seed + 1)
    companies = g.entities["id"][g.entities["kind"] == "company"].to_numpy()
    buyers = [str(b) for b in rng.choice(companies, min(args.buyers, len(companies)), replace=False)]
    kw = {"k": args.k, "max_hops": args.max_hops, "as_of": args.as_of}

    t = time.perf_counter()
    server = [db.paths(b, **kw) for b in buyers]  # type: ignore[arg-type]
    server_s = time.perf_counter() - t
    print(f"paths on the server: {len(buyers)} buyers in {server_s:.1f} s "
          f"({1000 * server_s / len(buyers):.0f} ms each)", flush=True)
    t = time.perf_counter()
    memory = [gk.paths(g, b, **kw) for b in buyers]  # type: ignore[arg-type]
    memory_s = time.perf_counter() - t
    print(f"paths in memory:     {len(buyers)} buyers in {memory_s:.1f} s "
          f"({1000 * memory_s / len(buyers):.0f} ms each)")
    results = [agree(s, m) for s, m in zip(server, memory)]
    exact = sum(e for e, _ in results)
    tie = sum(a for _, a in results)
    with_paths = sum(bool(m) for m in memory)
    print(f"agreement: {tie}/{len(buyers)} equal up to ties at the cut-off ({exact} identical); "
          f"{with_paths} buyers have a path")
    out.update(paths_server_seconds=server_s, paths_memory_seconds=memory_s, paths_agree=tie,
               paths_identical=exact, buyers_with_paths=with_paths)

    rules_ok = True
    for rule in ("ofac50", "bis-affiliates", "eu50"):
        t = time.perf_counter()
        on_server = db.restricted(rule, as_of=args.as_of)
        server_r = time.perf_counter() - t
        t = time.perf_counter()
        in_memory = gk.restricted(g, rule, as_of=args.as_of, explain=False)
        memory_r = time.perf_counter() - t
        cols = ["id", "status", "confidence", "share_min", "share_max", "red_flag"]
        a = on_server[cols].sort_values("id").reset_index(drop=True)
        b = in_memory[cols].sort_values("id").reset_index(drop=True)
        same = (a["id"].astype(str).equals(b["id"].astype(str)) and a["status"].astype(str).equals(b["status"].astype(str))
                and bool(np.allclose(a["share_min"], b["share_min"], rtol=0, atol=1e-9))
                and bool(np.allclose(a["share_max"], b["share_max"], rtol=0, atol=1e-9))
                and a["red_flag"].equals(b["red_flag"]))
        rules_ok &= same
        counts_r = ", ".join(f"{k} {v}" for k, v in a["status"].astype(str).value_counts().items())
        print(f"restricted {rule} as of {args.as_of}: server {server_r:.1f} s, memory {memory_r:.1f} s; "
              f"statuses, bounds and red flags agree: {same} ({counts_r})")
        out[f"restricted_{rule}"] = {"server_seconds": server_r, "memory_seconds": memory_r, "agree": same}
    db.close()
    held.close()  # type: ignore[attr-defined]
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, default=str))
    ok = lossless and counts == counts2 and tie == len(buyers) and rules_ok
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
