"""Compiled loops for screening (private): the multi-source search, the path walk, and
the joining of the explanations' texts.

Screening a long customer list is one breadth-first search over every relation in
the graph. Written with numpy, each level of that search builds several arrays as
long as the frontier's relations; compiled with numba, it is a single pass over the
CSR arrays that touches each relation once or twice, which is what makes screening
100,000 customers over millions of relations take about as long as one plain
breadth-first search. Writing the customers' explanations is the same kind of work:
:func:`join_texts` copies each paragraph's pieces into one buffer (two threads share
the copy on a machine with two cores or more, as it waits on memory), and
:func:`first_seen` numbers the distinct steps without sorting them.

The functions are compiled on first use and the machine code is cached on disk
(numba's ``cache=True``, next to this file or in the user's cache folder), so only
the very first call on a machine pays the compile time (about a second).
:func:`graphkit.algorithms.nearest.nearest_targets` documents the meaning of the
results; these functions only fill arrays.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import numpy as np

__all__ = ["first_seen", "join_texts", "search", "walk_steps"]

_compiled: dict[str, Any] = {}


def _jit(name: str) -> Any:
    """The compiled function ``name`` (numba is imported on first use, not with graphkit)."""
    fn = _compiled.get(name)
    if fn is None:
        import numba

        # the on-disk cache only when imported as part of graphkit: run as a loose file
        # (``python -m doctest _kernels.py``) its entries would name a module "_kernels" that
        # graphkit's own import then cannot load
        cache = __name__.startswith("graphkit.")
        try:
            fn = numba.njit(cache=cache, nogil=True)(_PY[name])
        except RuntimeError:  # no writable cache folder anywhere: compile in memory, every process
            fn = numba.njit(nogil=True)(_PY[name])
        _compiled[name] = fn
    return fn


def _search_py(out_ptr: np.ndarray, out_nbr: np.ndarray, out_step: np.ndarray, out_rel: np.ndarray,
               in_ptr: np.ndarray, in_nbr: np.ndarray, in_step: np.ndarray, in_rel: np.ndarray, starts: np.ndarray, avoid: np.ndarray, max_hops: int,
               dist: np.ndarray, target: np.ndarray, rel: np.ndarray, nxt: np.ndarray,
               forward: np.ndarray, cost: np.ndarray) -> int:  # pragma: no cover - compiled
    """Level-synchronous search backwards from ``starts``; fills the result arrays in place.

    Per adjacency slot ``j`` of entity ``v``: ``*_nbr[j]`` is the entity at the other
    end, ``*_rel[j]`` the relation row and ``*_step[j]`` the cost of walking it (its
    confidence penalty in integer millionths), or -1 when a buyer may not walk that
    relation towards ``v`` (out-slots: from its target to its source; in-slots: from
    its source to its target). Among steps reaching an entity at the same level the one with
    the smallest (path cost, relation row) wins. Returns the number of entities reached.
    """
    n = dist.shape[0]
    reached = 0
    for i in range(starts.shape[0]):
        t = starts[i]
        if dist[t] < 0:
            dist[t] = 0
            target[t] = t
            reached += 1
    for level in range(1, max_hops + 1):
        count = 0
        # the frontier is every entity at level - 1, visited in position order: the CSR
        # arrays are then read front to back (much faster than in discovery order)
        for v in range(n):
            if dist[v] != level - 1 or (level > 1 and avoid[v]):
                continue  # not on the frontier, or a hub: it may start a path, never carry one
            base = cost[v]
            for side in range(2):
                if side == 0:
                    ptr, nbr, step, rows = out_ptr, out_nbr, out_step, out_rel
                else:
                    ptr, nbr, step, rows = in_ptr, in_nbr, in_step, in_rel
                for j in range(ptr[v], ptr[v + 1]):
                    k = step[j]
                    if k < 0:
                        continue
                    u = nbr[j]
                    d = dist[u]
                    if d >= 0 and d != level:
                        continue  # reached at an earlier level
                    c = base + k
                    r = rows[j]
                    if d < 0:
                        dist[u] = level
                        count += 1
                    elif c > cost[u] or (c == cost[u] and r >= rel[u]):
                        continue  # reached at this level by a better (or equal, lower-row) step
                    target[u] = target[v]
                    rel[u] = r
                    nxt[u] = v
                    forward[u] = side == 1  # in-slot: the buyer walks it source -> target
                    cost[u] = c
        if count == 0:
            break
        reached += count
    return reached


def _walk_py(rel: np.ndarray, nxt: np.ndarray, forward: np.ndarray, starts: np.ndarray,
             nodes: np.ndarray, rels: np.ndarray, fws: np.ndarray) -> None:  # pragma: no cover - compiled
    """Follow the first steps from each start, filling ``nodes`` / ``rels`` / ``fws`` row by row."""
    width = rels.shape[1]
    for k in range(starts.shape[0]):
        cur = starts[k]
        nodes[k, 0] = cur
        for h in range(width):
            if cur < 0:
                break
            r = rel[cur]
            if r < 0:
                break
            rels[k, h] = r
            fws[k, h] = forward[cur]
            cur = nxt[cur]
            nodes[k, h + 1] = cur


def _lengths_py(slots: np.ndarray, offs: np.ndarray, out_off: np.ndarray) -> None:  # pragma: no cover - compiled
    """``out_off[i + 1]``: where row ``i``'s text ends (the sum of its pieces' byte lengths, cumulated)."""
    m, k = slots.shape
    total = 0
    for i in range(k):
        for j in range(m):
            p = slots[j, i]
            if p >= 0:
                total += offs[p + 1] - offs[p]
        out_off[i + 1] = total


def _fill_py(slots: np.ndarray, offs: np.ndarray, data: np.ndarray, out_off: np.ndarray,
             out: np.ndarray, lo: int, hi: int) -> None:  # pragma: no cover - compiled
    """Copy the pieces of rows ``lo .. hi - 1``, in slot order, into ``out`` from ``out_off[i]``."""
    m = slots.shape[0]
    for i in range(lo, hi):
        at = out_off[i]
        for j in range(m):
            p = slots[j, i]
            if p >= 0:
                start = offs[p]
                n = offs[p + 1] - start
                if n <= 16:  # short pieces (most): a byte loop costs less than a slice copy
                    for b in range(n):
                        out[at + b] = data[start + b]
                else:
                    out[at:at + n] = data[start:start + n]
                at += n


def _first_seen_py(keys: np.ndarray, table: np.ndarray, ids: np.ndarray) -> int:  # pragma: no cover - compiled
    """Number the distinct ``keys`` in the order they first appear; ``table`` (all -1, indexed by
    key) is filled on the way. Returns how many are distinct."""
    n = 0
    for i in range(keys.shape[0]):
        k = keys[i]
        if table[k] < 0:
            table[k] = n
            n += 1
        ids[i] = table[k]
    return n


_PY = {"search": _search_py, "first_seen": _first_seen_py, "walk": _walk_py, "lengths": _lengths_py, "fill": _fill_py}


def search(*args: Any) -> int:
    """Compiled :func:`_search_py` (same arguments)."""
    return int(_jit("search")(*args))


def walk_steps(*args: Any) -> None:
    """Compiled :func:`_walk_py` (same arguments)."""
    _jit("walk")(*args)


def join_texts(slots: np.ndarray, offs: np.ndarray, data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row ``i``'s text: pieces ``slots[0, i], slots[1, i], ...`` (-1: none) joined.

    Piece ``p`` is the UTF-8 bytes ``data[offs[p]:offs[p + 1]]``. Returns the Arrow
    ``large_string`` offsets and data of the joined texts.
    """
    out_off = np.zeros(slots.shape[1] + 1, dtype=np.int64)
    _jit("lengths")(slots, offs, out_off)
    out = np.empty(int(out_off[-1]), dtype=np.uint8)
    k = slots.shape[1]
    fill = _jit("fill")
    if k < 20_000 or (os.cpu_count() or 1) < 2:
        fill(slots, offs, data, out_off, out, 0, k)
    else:  # two halves at once: the copy waits on memory, and the compiled loop runs without the GIL
        half = k // 2
        other = threading.Thread(target=fill, args=(slots, offs, data, out_off, out, half, k))
        other.start()
        fill(slots, offs, data, out_off, out, 0, half)
        other.join()
    return out_off, out


def first_seen(keys: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``keys`` (integers in ``0 .. size - 1``) in order of first appearance, and
    each key's number among them: like ``np.unique(..., return_inverse=True)`` without sorting.

    >>> first_seen(np.array([5, 2, 5, 7]), 8)
    (array([5, 2, 7]), array([0, 1, 0, 2]))
    """
    keys = np.asarray(keys, dtype=np.int64)
    table = np.full(size, -1, dtype=np.int32)
    ids = np.empty(len(keys), dtype=np.int64)
    n = int(_jit("first_seen")(keys, table, ids))
    distinct = np.empty(n, dtype=np.int64)
    distinct[ids] = keys
    return distinct, ids
