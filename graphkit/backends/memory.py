"""The in-memory backend: the reference every other backend is tested against.

It keeps one :class:`~graphkit.graph.OwnershipGraph` and answers with graphkit's own
algorithms. Pushing rows whose id is already stored replaces them (as a database
``MERGE ... SET`` does), so pushing the same graph twice changes nothing.

Examples
--------
>>> import graphkit as gk
>>> from graphkit.backends import MemoryBackend
>>> store = MemoryBackend()
>>> store.push(gk.example_graph())
<PushReport memory: 5 entities, 4 relations, 1 listings in 3 batches, ...>
>>> [p.nodes for p in store.paths("buyer", as_of="2024-01-01")]
[['buyer', 'sub', 'parent']]
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import pandas as pd

from graphkit.algorithms.paths import DEFAULT_AVOID, Path
from graphkit.algorithms.paths import paths as memory_paths
from graphkit.algorithms.restricted import restricted as memory_restricted
from graphkit.backends.base import TABLES, Backend, Batch, PushReport
from graphkit.graph import OwnershipGraph
from graphkit.rules import Rule

__all__ = ["MemoryBackend"]


class MemoryBackend(Backend):
    """Holds the graph in this process (optionally starting from ``graph``)."""

    name = "memory"

    def __init__(self, graph: OwnershipGraph | None = None) -> None:
        self.graph: OwnershipGraph | None = graph

    def push(self, graph: OwnershipGraph, *, clear: bool = False) -> PushReport:
        began = time.perf_counter()
        if clear or self.graph is None:
            self.graph = OwnershipGraph(graph.entities.copy(), graph.relations.copy(),
                                        graph.listings.copy(), graph.problems)
        else:
            old = self.graph
            tables = {}
            for name in TABLES:
                both = pd.concat([getattr(old, name), getattr(graph, name)], ignore_index=True)
                tables[name] = both.drop_duplicates("id", keep="last").reset_index(drop=True)
            self.graph = OwnershipGraph(tables["entities"], tables["relations"], tables["listings"],
                                        old.problems + graph.problems)
        batches = [Batch(name, 1, 0, len(getattr(graph, name))) for name in TABLES]
        return PushReport("memory", batches, time.perf_counter() - began)

    def _stored(self) -> OwnershipGraph:
        if self.graph is None:
            return OwnershipGraph.from_frames(pd.DataFrame({"id": [], "name": [], "kind": []}))
        return self.graph

    def pull(self, ids: Iterable[str] | None = None, *, hops: int = 1, kinds: Iterable[str] | None = None,
             as_of: object | None = None) -> OwnershipGraph:
        g = self._stored()
        if ids is None:
            return OwnershipGraph(g.entities.copy(), g.relations.copy(), g.listings.copy())
        return g.neighbourhood(ids, hops, kinds=kinds, as_of=as_of)

    def paths(self, source: str, to: str | Iterable[str] = "listed", max_hops: int = 6,
              kinds: Iterable[str] | None = None, k: int = 3, as_of: object = None,
              avoid: Iterable[str] = DEFAULT_AVOID) -> list[Path]:
        return memory_paths(self._stored(), source, to=to, max_hops=max_hops, kinds=kinds, k=k,
                            as_of=as_of, avoid=avoid)

    def restricted(self, rule: str | Rule = "ofac50", as_of: object = None) -> pd.DataFrame:
        return memory_restricted(self._stored(), rule, as_of)

    def clear(self) -> None:
        self.graph = None
