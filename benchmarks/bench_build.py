"""Build benchmark: graphkit's columnar graph against a networkx MultiDiGraph.

Target (design.md, "Columnar core" / "Scale"): 1M entities and 3M relations built from
frames in under 1/10 of the networkx time and under 1/3 of its peak memory.

One run measures both, each in a fresh subprocess so that peak memory is clean:

* **graphkit**: ``gk.OwnershipGraph.from_frames(entities, relations, listings)`` (every
  row checked and normalised) followed by ``g.index`` (the compiled CSR index);
* **networkx**: an ``nx.MultiDiGraph`` built the idiomatic way, ``add_nodes_from`` over
  ``itertuples`` with ``name``/``kind`` node attributes, then ``add_edges_from`` with
  ``kind, share_min, share_max, start, confidence, source_ref`` edge attributes.
  (Entity ``country`` and the listings are *not* put into the networkx graph: the
  baseline is the cheapest faithful one, so the comparison is conservative.)

In each child the frames are generated first (``benchmarks/generate.py``, same seed),
then ``gc.collect()``; the resident set size at that moment is the *baseline* (the
library imported, the frames in memory). The peak is ``getrusage(RUSAGE_SELF).ru_maxrss``
after the build; the kernel's peak counter is reset after generation (``/proc/self/
clear_refs``) so generation temporaries do not hide the build's peak. The figure compared
is peak minus baseline; both are printed, as is the memory still held after the build.

Usage::

    python benchmarks/bench_build.py                      # 1M entities / 3M relations
    python benchmarks/bench_build.py --quick              # 100k / 300k
    python benchmarks/bench_build.py --entities 2000000 --relations 6000000 --seed 1 --json out.json

The script exits 0 whatever the outcome (it is a report); PASS/FAIL is printed.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TIME_TARGET = 1 / 10      # graphkit seconds / networkx seconds must be below this
MEMORY_TARGET = 1 / 3     # graphkit peak above baseline / networkx's must be below this
CASES = ("networkx", "graphkit")
RESULT = "BENCH-RESULT "


# --- measuring (runs in the child) ---------------------------------------------------
def _status_mb(field: str) -> float | None:
    """A memory field of /proc/self/status (VmRSS, VmHWM) in MB, or None off Linux."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _maxrss_mb() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r / (1024 * 1024) if sys.platform == "darwin" else r / 1024   # bytes on macOS, KB on Linux


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS counter (Linux >= 4.0); True if it worked."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
    except OSError:
        return False
    hwm, rss = _status_mb("VmHWM"), _status_mb("VmRSS")
    return hwm is not None and rss is not None and hwm <= rss + 1


def _build_graphkit(ents: Any, rels: Any, lists: Any) -> tuple[Any, dict[str, float]]:
    import graphkit as gk

    t0 = time.perf_counter()
    g = gk.OwnershipGraph.from_frames(ents, rels, lists)
    t1 = time.perf_counter()
    g.index  # noqa: B018 - force the compiled CSR index
    t2 = time.perf_counter()
    return g, {"from_frames_s": t1 - t0, "index_s": t2 - t1}


def _build_networkx(ents: Any, rels: Any, lists: Any) -> tuple[Any, dict[str, float]]:
    import networkx as nx

    t0 = time.perf_counter()
    G = nx.MultiDiGraph()
    G.add_nodes_from((e.id, {"name": e.name, "kind": e.kind})
                     for e in ents[["id", "name", "kind"]].itertuples(index=False))
    t1 = time.perf_counter()
    G.add_edges_from((r.source, r.target, {"kind": r.kind, "share_min": r.share_min,
                                           "share_max": r.share_max, "start": r.start,
                                           "confidence": r.confidence, "source_ref": r.source_ref})
                     for r in rels.itertuples(index=False))
    t2 = time.perf_counter()
    return G, {"nodes_s": t1 - t0, "edges_s": t2 - t1}


def child(case: str, n_entities: int, n_relations: int, seed: int) -> dict[str, Any]:
    import gc

    sys.path.insert(0, str(HERE))
    from generate import make_frames

    if case == "graphkit":
        import graphkit  # noqa: F401 - imported before the baseline, like networkx
        build = _build_graphkit
    else:
        import networkx  # noqa: F401
        build = _build_networkx
    t = time.perf_counter()
    ents, rels, lists = make_frames(n_entities, n_relations, seed)
    gen_s = time.perf_counter() - t
    gc.collect()
    baseline = _status_mb("VmRSS")
    peak_during_generation = _maxrss_mb()
    reset = _reset_peak()
    load_before = os.getloadavg()[0]
    t, c = time.perf_counter(), time.process_time()
    obj, stages = build(ents, rels, lists)
    seconds, cpu = time.perf_counter() - t, time.process_time() - c
    load_after = os.getloadavg()[0]
    peak = _maxrss_mb()
    hwm = _status_mb("VmHWM")
    gc.collect()
    after = _status_mb("VmRSS")
    if baseline is None:          # not Linux: fall back on the peak counter before the build
        baseline = peak_during_generation
    if case == "graphkit":
        size = {"entities": len(obj.entities), "relations": len(obj.relations), "listings": len(obj.listings)}
    else:
        size = {"entities": obj.number_of_nodes(), "relations": obj.number_of_edges(), "listings": 0}
    return {
        "case": case, "seconds": seconds, "cpu_s": cpu, "stages": stages, "generate_s": gen_s,
        "load_1min": [load_before, load_after],
        "baseline_mb": baseline, "peak_mb": peak, "vmhwm_mb": hwm,
        "peak_above_baseline_mb": peak - baseline,
        "retained_mb": None if after is None else after - baseline,
        "peak_reset": reset, "peak_during_generation_mb": peak_during_generation,
        # Without a reset, a build whose peak stays under generation's peak is not seen.
        "peak_hidden": (not reset) and peak <= peak_during_generation + 1, "built": size,
        "frames": {"entities": len(ents), "relations": len(rels), "listings": len(lists)},
    }


# --- orchestrating (parent; imports nothing heavy so the children start clean) ---------
def run_case(case: str, a: argparse.Namespace) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", case, "--entities", str(a.entities),
           "--relations", str(a.relations), "--seed", str(a.seed)]
    print(f"[{case}] running in a fresh process ...", flush=True)
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(RESULT)]
    if proc.returncode != 0 or not lines:
        sys.stderr.write(proc.stdout + proc.stderr)
        return {"case": case, "error": f"child exited with {proc.returncode}", "stderr": proc.stderr[-4000:]}
    res = json.loads(lines[-1][len(RESULT):])
    res["wall_s"] = wall
    print(f"[{case}] frames {res['generate_s']:.1f} s, build {res['seconds']:.2f} s, "
          f"peak +{res['peak_above_baseline_mb']:.0f} MB", flush=True)
    return res


def _machine() -> dict[str, Any]:
    mem_gb = None
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            mem_gb = round(int(fh.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="ascii") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), cpu)
    except OSError:
        pass
    versions = {}
    for mod in ("numpy", "pandas", "pyarrow", "networkx", "graphkit"):
        try:
            versions[mod] = __import__(mod).__version__ if mod != "graphkit" else _graphkit_version()
        except Exception:  # noqa: BLE001 - a report, not a test
            versions[mod] = None
    return {"cpus": os.cpu_count(), "memory_gb": mem_gb, "cpu": cpu, "platform": platform.platform(),
            "python": platform.python_version(), "versions": versions}


def _graphkit_version() -> str:
    out = subprocess.run([sys.executable, "-c", "import graphkit; print(graphkit.__version__)"],
                         capture_output=True, text=True, check=False)
    return out.stdout.strip() or "?"


def report(a: argparse.Namespace, results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    nx_, gk_ = results.get("networkx"), results.get("graphkit")
    ok = lambda r: r is not None and "error" not in r  # noqa: E731
    print()
    print(f"Build from frames: {a.entities:,} entities, {a.relations:,} relations (seed {a.seed})")
    hdr = (f"{'case':<10} {'entities':>10} {'relations':>10} {'seconds':>9} {'cpu s':>8} {'peak MB':>9} "
           f"{'baseline':>9} {'peak RSS':>9} {'retained':>9} {'time x':>8} {'peak x':>8}")
    print(hdr)
    print("-" * len(hdr))
    for case in CASES:
        r = results.get(case)
        if r is None:
            continue
        if not ok(r):
            print(f"{case:<10} ERROR: {r['error']}")
            continue
        tr = f"{r['seconds'] / nx_['seconds']:.3f}" if ok(nx_) else "-"
        mr = f"{r['peak_above_baseline_mb'] / nx_['peak_above_baseline_mb']:.3f}" if ok(nx_) else "-"
        print(f"{case:<10} {r['built']['entities']:>10,} {r['built']['relations']:>10,} {r['seconds']:>9.2f} "
              f"{r['cpu_s']:>8.2f} "
              f"{r['peak_above_baseline_mb']:>9.0f} {r['baseline_mb']:>9.0f} {r['peak_mb']:>9.0f} "
              f"{r['retained_mb']:>9.0f} {tr:>8} {mr:>8}")
    print("  seconds = wall clock (the target); cpu s = CPU time of the process; peak MB = peak RSS (ru_maxrss)")
    print("  minus baseline RSS (frames generated, library imported); retained = RSS after the build minus")
    print("  baseline; x = ratio to networkx")
    verdict: dict[str, Any] = {}
    if ok(gk_):
        st = gk_["stages"]
        print(f"  graphkit stages: from_frames {st['from_frames_s']:.2f} s, index {st['index_s']:.2f} s")
    if ok(nx_):
        st = nx_["stages"]
        print(f"  networkx stages: add_nodes_from {st['nodes_s']:.2f} s, add_edges_from {st['edges_s']:.2f} s")
    for r in (gk_, nx_):
        if ok(r) and r["peak_hidden"]:
            print(f"  WARNING: {r['case']}: the peak counter could not be reset and the build's peak may be "
                  "hidden by the generator's; the peak figure is a lower bound.")
    if ok(gk_) and ok(nx_):
        t_ratio = gk_["seconds"] / nx_["seconds"]
        m_ratio = gk_["peak_above_baseline_mb"] / nx_["peak_above_baseline_mb"]
        verdict = {"time_ratio": t_ratio, "time_target": TIME_TARGET, "time_pass": t_ratio < TIME_TARGET,
                   "memory_ratio": m_ratio, "memory_target": MEMORY_TARGET, "memory_pass": m_ratio < MEMORY_TARGET}
        print()
        print(f"  time:   graphkit {gk_['seconds']:.2f} s vs networkx {nx_['seconds']:.2f} s = {t_ratio:.3f} "
              f"(target < {TIME_TARGET:.3f})  {'PASS' if verdict['time_pass'] else 'FAIL'}")
        print(f"  memory: graphkit +{gk_['peak_above_baseline_mb']:.0f} MB vs networkx "
              f"+{nx_['peak_above_baseline_mb']:.0f} MB = {m_ratio:.3f} (target < {MEMORY_TARGET:.3f})  "
              f"{'PASS' if verdict['memory_pass'] else 'FAIL'}")
        cpu_ratio = gk_["cpu_s"] / nx_["cpu_s"]
        verdict["cpu_ratio"] = cpu_ratio
        print(f"  (cpu:   graphkit {gk_['cpu_s']:.2f} s vs networkx {nx_['cpu_s']:.2f} s = {cpu_ratio:.3f}; "
              f"1-min load average during the builds: graphkit {gk_['load_1min'][1]:.1f}, "
              f"networkx {nx_['load_1min'][1]:.1f} on {os.cpu_count()} CPUs)")
        overall = verdict["time_pass"] and verdict["memory_pass"]
        verdict["pass"] = overall
        print(f"  overall: {'PASS' if overall else 'FAIL'}")
    return verdict


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="graphkit vs networkx: build 1M entities / 3M relations from frames.")
    ap.add_argument("--entities", type=int, default=1_000_000)
    ap.add_argument("--relations", type=int, default=3_000_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--quick", action="store_true", help="100k entities / 300k relations")
    ap.add_argument("--cases", default=",".join(CASES), help="comma-separated subset of: " + ", ".join(CASES))
    ap.add_argument("--json", type=Path, help="write the figures to this JSON file")
    ap.add_argument("--child", choices=CASES, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.quick:
        a.entities, a.relations = 100_000, 300_000
    if a.child:
        print(RESULT + json.dumps(child(a.child, a.entities, a.relations, a.seed)), flush=True)
        return 0
    cases = [c for c in CASES if c in a.cases.split(",")]
    started = _dt.datetime.now().astimezone()
    results = {c: run_case(c, a) for c in cases}
    verdict = report(a, results)
    if a.json:
        out = {"benchmark": "build", "date": started.isoformat(timespec="seconds"),
               "params": {"entities": a.entities, "relations": a.relations, "seed": a.seed},
               "machine": _machine(), "results": results, "verdict": verdict}
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
        print(f"  figures written to {a.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
