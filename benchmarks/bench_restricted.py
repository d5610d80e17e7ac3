"""Speed of the restriction engine (gk.restricted) on synthetic graphs.

Target (graphkit issue): 1M entities / 3M ``owns`` relations in under 10 s.

Usage::

    python benchmarks/bench_restricted.py                    # 1M entities, 3M owns
    python benchmarks/bench_restricted.py --entities 100000 --owns 300000

The data comes from ``benchmarks/generate.py`` (``make_frames``) with only ``owns``
relations (plus ``controls`` at 1% so the EU rule has control ties to follow), a
1% listed fraction and some ended relations, so ``as_of`` filtering has work to do.
Printed: time to generate and build the graph (not part of the target), time to
compile the index, and per rule the time of ``restricted`` with and without
explanations, with the count of each status; then the time of look-through
ownership (``effective_ownership`` + ``ultimate_owners``) for three entities.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import make_frames  # noqa: E402

import graphkit as gk  # noqa: E402
from graphkit.algorithms import ownership  # noqa: E402
from graphkit.algorithms.ownership import effective_ownership, ultimate_owners  # noqa: E402
from graphkit.algorithms.restricted import restricted  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entities", type=int, default=1_000_000)
    ap.add_argument("--owns", type=int, default=3_000_000, help="owns relations (default 3M)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--as-of", default="2025-10-15")
    ap.add_argument("--rules", default="ofac50,bis-affiliates,eu50")
    a = ap.parse_args(argv)

    n_rel = int(round(a.owns / 0.99))
    t = time.perf_counter()
    ents, rels, lists = make_frames(a.entities, n_rel, a.seed,
                                    relation_mix={"owns": 0.99, "controls": 0.01}, end_fraction=0.05)
    t_gen = time.perf_counter() - t
    t = time.perf_counter()
    g = gk.OwnershipGraph.from_frames(ents, rels, lists)
    t_build = time.perf_counter() - t
    t = time.perf_counter()
    _ = g.index
    t_index = time.perf_counter() - t
    n_owns = int((g.relations["kind"] == "owns").sum())
    print(f"graph: {len(g):,} entities, {n_owns:,} owns + {len(g.relations) - n_owns:,} other relations, "
          f"{len(g.listings):,} listings")
    print(f"generate {t_gen:.1f} s, build/validate {t_build:.1f} s, compile index {t_index:.1f} s "
          "(not part of the target)")
    worst = 0.0
    for name in a.rules.split(","):
        ownership._CACHE.clear()  # time every rule cold: no relations read by an earlier call
        t = time.perf_counter()
        fast = restricted(g, rule=name, as_of=a.as_of, explain=False)
        t_fast = time.perf_counter() - t
        ownership._CACHE.clear()
        t = time.perf_counter()
        full = restricted(g, rule=name, as_of=a.as_of)
        t_full = time.perf_counter() - t
        worst = max(worst, t_full)
        counts = full["status"].value_counts()
        summary = ", ".join(f"{s} {int(counts.get(s, 0)):,}" for s in ("listed", "restricted", "unknown", "clear"))
        same = (fast["status"] == full["status"]).all()
        print(f"{name:15s} as of {a.as_of}: {t_fast:5.2f} s without explanations, {t_full:5.2f} s with "
              f"({summary}; red flags {int(full['red_flag'].sum()):,}; statuses equal: {same})")
    # look-through ownership (not part of the target): a few restricted entities; the first
    # call reads the relations in force, the next ones reuse them (cached per graph and day)
    ownership._CACHE.clear()
    picks = full[full["status"] == "restricted"]["id"].head(3).tolist()
    for entity in picks:
        t = time.perf_counter()
        eff = effective_ownership(g, entity, as_of=a.as_of)
        top = ultimate_owners(g, entity, as_of=a.as_of)
        print(f"effective_ownership + ultimate_owners of {entity}: {time.perf_counter() - t:.2f} s "
              f"({len(eff):,} direct or indirect owners, {len(top):,} ultimate at 25%+)")
    target = 10.0
    ok = worst < target
    print(f"slowest rule with explanations: {worst:.2f} s -> {'within' if ok else 'OVER'} the {target:g} s target")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
