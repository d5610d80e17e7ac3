"""Where does ``OwnershipGraph.from_frames`` + ``g.index`` spend its time and memory?

Wraps the steps of ``graphkit.validate.check_tables`` and ``graphkit.index.compile_index``
(without changing graphkit: the module attributes are replaced in this process only) and
prints a tree of calls with wall seconds, CPU seconds, resident memory added, and the peak
above the RSS at entry (the kernel's peak counter is reset around every step, Linux only).

Usage::

    python benchmarks/profile_build.py                 # 1M / 3M, seed 0
    python benchmarks/profile_build.py --quick         # 100k / 300k
    python benchmarks/profile_build.py --cprofile 25   # also the 25 costliest functions (cProfile)
"""

from __future__ import annotations

import argparse
import functools
import gc
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_build import _reset_peak, _status_mb  # noqa: E402


class _Node:
    def __init__(self, label: str, parent: _Node | None):
        self.label, self.parent = label, parent
        self.children: dict[str, _Node] = {}
        self.calls = 0
        self.wall = self.cpu = self.added = 0.0
        self.peak = 0.0          # highest RSS seen while inside, minus RSS at entry (max over calls)
        self._entry = 0.0
        self._seen = 0.0


ROOT = _Node("total", None)
_stack: list[_Node] = [ROOT]


def _cpu() -> float:
    t = time.process_time()
    return t


def _sample_peak() -> None:
    """Fold the peak since the last reset into every open step, then reset it."""
    h = _status_mb("VmHWM") or 0.0
    for node in _stack:
        node._seen = max(node._seen, h)
    _reset_peak()


def _label(fn: Any, args: tuple[Any, ...]) -> str:
    name = fn.__name__
    extra = []
    if args and type(args[0]).__name__ == "_Table":
        if hasattr(args[0], "name"):
            extra.append(args[0].name)
        args = args[1:]
    if args and isinstance(args[0], str):
        extra.append(args[0])
    elif args and isinstance(args[0], (tuple, list)) and all(isinstance(a, str) for a in args[0]):
        extra.append("/".join(args[0]))
    return f"{name}({', '.join(extra)})" if extra else name


def wrap(fn: Any, label: str | None = None) -> Any:
    @functools.wraps(fn)
    def inner(*args: Any, **kw: Any) -> Any:
        lab = label or _label(fn, args)
        parent = _stack[-1]
        node = parent.children.get(lab) or parent.children.setdefault(lab, _Node(lab, parent))
        _sample_peak()
        rss0 = _status_mb("VmRSS") or 0.0
        node._seen, node._entry = rss0, rss0
        _stack.append(node)
        w0, c0 = time.perf_counter(), _cpu()
        try:
            return fn(*args, **kw)
        finally:
            w1, c1 = time.perf_counter(), _cpu()
            _sample_peak()
            _stack.pop()
            node.calls += 1
            node.wall += w1 - w0
            node.cpu += c1 - c0
            node.added += (_status_mb("VmRSS") or 0.0) - rss0
            node.peak = max(node.peak, node._seen - rss0)
    return inner


def instrument() -> None:
    import graphkit.graph as graph
    import graphkit.index as index
    import graphkit.validate as validate
    import graphkit.validate_base as validate_base
    import graphkit.validate_values as validate_values

    modules = (validate, validate_base, validate_values)  # validation is split over three modules
    for name in ("_entities", "_relations", "_listings", "_references", "_kind_compat", "_required", "_ids",
                 "_duplicates", "_choice", "_lists", "_dates", "_bools", "_texts", "_shares", "_map_unique",
                 "_check_columns"):
        found = next(getattr(m, name) for m in modules if hasattr(m, name))
        wrapped = wrap(found)
        for m in modules:  # every module that calls it by this name
            if hasattr(m, name):
                setattr(m, name, wrapped)
    T = validate._Table
    T.__init__ = wrap(T.__init__, None)
    T.finish = wrap(T.finish, None)
    T.text = wrap(T.text, None)
    T.report = wrap(T.report, None)
    graph.check_tables = wrap(validate.check_tables, "check_tables")
    graph.compile_index = wrap(index.compile_index, "compile_index")
    index._csr = wrap(index._csr, "_csr")


def show(node: _Node, depth: int = 0, min_share: float = 0.005) -> None:
    if depth == 0:
        print(f"{'step':<52} {'calls':>5} {'wall s':>8} {'cpu s':>8} {'+RSS MB':>8} {'peak MB':>8}")
        print("-" * 94)
    else:
        print(f"{'  ' * (depth - 1) + node.label:<52} {node.calls:>5} {node.wall:>8.2f} {node.cpu:>8.2f} "
              f"{node.added:>8.0f} {node.peak:>8.0f}")
    total = ROOT.wall or 1.0
    for child in sorted(node.children.values(), key=lambda n: -n.wall):
        if child.wall >= min_share * total or child.peak > 50:
            show(child, depth + 1, min_share)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entities", type=int, default=1_000_000)
    ap.add_argument("--relations", type=int, default=3_000_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--quick", action="store_true", help="100k entities / 300k relations")
    ap.add_argument("--cprofile", type=int, default=0, metavar="N",
                    help="run again under cProfile and print the N functions with most own time")
    a = ap.parse_args(argv)
    if a.quick:
        a.entities, a.relations = 100_000, 300_000
    from generate import make_frames

    import graphkit as gk

    ents, rels, lists = make_frames(a.entities, a.relations, a.seed)
    gc.collect()
    instrument()
    print(f"{a.entities:,} entities, {a.relations:,} relations; baseline RSS {_status_mb('VmRSS'):.0f} MB")
    _reset_peak()
    base = _status_mb("VmRSS") or 0.0
    w0, c0 = time.perf_counter(), _cpu()
    g = gk.OwnershipGraph.from_frames(ents, rels, lists)
    g.index  # noqa: B018
    ROOT.wall, ROOT.cpu = time.perf_counter() - w0, _cpu() - c0
    _sample_peak()
    ROOT.calls, ROOT.added, ROOT.peak = 1, (_status_mb("VmRSS") or 0.0) - base, ROOT._seen - base
    show(ROOT)
    print(f"{'total':<52} {1:>5} {ROOT.wall:>8.2f} {ROOT.cpu:>8.2f} {ROOT.added:>8.0f} {ROOT.peak:>8.0f}")
    print("(+RSS: resident memory added and still held on return; peak: highest RSS inside the step "
          "minus RSS at its entry; steps under 0.5% of the time and 50 MB of peak are not shown)")
    if a.cprofile:
        import cProfile
        import pstats

        del g
        gc.collect()
        prof = cProfile.Profile()
        prof.enable()
        g = gk.OwnershipGraph.from_frames(ents, rels, lists)
        g.index  # noqa: B018
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(a.cprofile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
