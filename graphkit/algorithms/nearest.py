"""Nearest target for every entity at once: one multi-source search on the integer index.

Screening asks the same question for many buyers: "which listed (or restricted)
party is nearest, and by which relations?". Instead of one search per buyer,
:func:`nearest_targets` runs a single breadth-first search that starts from all
targets together and walks the relations backwards (from a target to whoever could
reach it), as one compiled pass over the CSR arrays (:mod:`graphkit.algorithms._kernels`).
Every entity ends up with its hop distance to the nearest target, that target, and
the first step of a best path towards it; a buyer's path is then read off by
following those steps (:func:`walk`) and written out by
:class:`graphkit.algorithms.pathtext.PathWriter`.

Among paths of the same length the search keeps the best evidenced one: each step
costs its confidence penalty (:func:`graphkit.algorithms.paths.step_weight`), the
same ranking :func:`graphkit.paths` uses, so the path chosen here is the first path
``gk.paths`` would list (ties broken by the lower relation row).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from graphkit.algorithms import _kernels
from graphkit.algorithms.traverse import direction_tables
from graphkit.graph import OwnershipGraph
from graphkit.index import CompiledIndex
from graphkit.model import get_model
from graphkit.types import date as date_type

__all__ = ["Nearest", "confidence_codes", "nearest_targets", "search_slots", "slot_steps", "walk"]


def confidence_codes(relations: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per relation: rank of its confidence (0 = strongest, missing = weakest) and its path penalty.

    The penalty is :func:`graphkit.algorithms.paths.step_weight` minus one.
    """
    model = get_model()
    order = list(model.confidence)
    col = relations["confidence"]
    cat = col if isinstance(col.dtype, pd.CategoricalDtype) else col.astype("category")
    cats = [str(c) for c in cat.cat.categories]
    codes = cat.cat.codes.to_numpy()
    last = len(order) - 1
    rank = np.array([order.index(c) if c in order else last for c in cats] + [last], dtype=np.int8)
    penalty = np.array([model.confidence.get(c, 0.01) for c in cats] + [0.01])
    return rank[codes], penalty[codes]


@dataclass(frozen=True)
class Nearest:
    """Result of :func:`nearest_targets`, one entry per entity position.

    Attributes
    ----------
    dist : ndarray of int32
        Hops to the nearest target (0 for a target itself, -1 when none is within
        ``max_hops``).
    target : ndarray of int64
        Position of that target (-1 when none).
    rel : ndarray of int64
        Relation row of the first step towards it (-1 for targets and unreached).
    next : ndarray of int64
        Entity position that step leads to.
    forward : ndarray of bool
        True when the step walks the relation in its own direction (source -> target).
    cost : ndarray of float64
        Sum of the confidence penalties along the path (smaller is better evidenced).
    """

    dist: np.ndarray
    target: np.ndarray
    rel: np.ndarray
    next: np.ndarray
    forward: np.ndarray
    cost: np.ndarray


def nearest_targets(index: CompiledIndex, targets: np.ndarray, fwd: np.ndarray, bwd: np.ndarray,
                    penalty: np.ndarray, max_hops: int, avoid: np.ndarray | None = None) -> Nearest:
    """Multi-source search from ``targets`` over the reversed walking directions.

    Parameters
    ----------
    index : CompiledIndex
    targets : ndarray of bool
        Entities a path ends at (mask over positions).
    fwd, bwd : ndarray of bool
        Per relation, may a walk *from a buyer* go source -> target (``fwd``) or
        target -> source (``bwd``) (see :func:`~graphkit.algorithms.traverse.direction_masks`).
    penalty : ndarray of float
        Per relation, the confidence penalty of walking it.
    max_hops : int
    avoid : ndarray of bool, optional
        Entities a path may start at but not pass through (hubs such as chip vendors).

    Returns
    -------
    Nearest

    Examples
    --------
    >>> import numpy as np, graphkit as gk
    >>> g = gk.example_graph()
    >>> idx = g.index
    >>> both = np.ones(len(idx.src), dtype=bool)
    >>> res = nearest_targets(idx, g.listed_mask("2024-01-01"), both, both, np.zeros(len(idx.src)), 6)
    >>> dict(zip(idx.ids, res.dist.tolist()))
    {'parent': 0, 'sub': 1, 'buyer': 2, 'cloud': 3, 'other': 4}
    """
    step = np.rint(np.asarray(penalty, dtype=np.float64) * 1e6).astype(np.int32)
    # per adjacency slot: the cost of the step towards the slot's owner, -1 where not allowed
    out_step = np.where(np.asarray(bwd, dtype=bool), step, np.int32(-1))[index.out_rel]
    in_step = np.where(np.asarray(fwd, dtype=bool), step, np.int32(-1))[index.in_rel]
    return search_slots(index, targets, out_step, in_step, max_hops, avoid)


def search_slots(index: CompiledIndex, targets: np.ndarray, out_step: np.ndarray, in_step: np.ndarray,
                 max_hops: int, avoid: np.ndarray | None = None) -> Nearest:
    """:func:`nearest_targets` with the steps given per adjacency slot (see :func:`slot_steps`).

    ``out_step[j]`` is the cost, in millionths, of walking the relation in out-slot
    ``j`` from its target to its source (-1: not allowed); ``in_step[j]`` the same for
    in-slot ``j``, from its source to its target.
    """
    n = index.n
    # hop counts fit in 16 bits: a smaller array the search reads at random stays in cache
    dist = np.full(n, -1, dtype=np.int16 if max_hops < np.iinfo(np.int16).max else np.int32)
    target = np.full(n, -1, dtype=np.int64)
    rel = np.full(n, -1, dtype=np.int64)
    nxt = np.full(n, -1, dtype=np.int64)
    forward = np.zeros(n, dtype=bool)
    micro = np.zeros(n, dtype=np.int64)  # path cost in millionths: exact sums, exact ties
    starts = np.flatnonzero(targets).astype(np.int64)
    avoid_arr = np.zeros(n, dtype=bool) if avoid is None else np.asarray(avoid, dtype=bool)
    _kernels.search(index.out_ptr, index.out_dst, out_step, index.out_rel, index.in_ptr, index.in_src, in_step,
                    index.in_rel, starts, avoid_arr, int(max_hops), dist, target, rel, nxt, forward, micro)
    return Nearest(dist.astype(np.int32), target, rel, nxt, forward, micro / 1e6)


@dataclass(frozen=True)
class _Slots:
    """Per-graph facts about each adjacency slot, in slot order (read sequentially by the search)."""

    rank: np.ndarray  # per relation: confidence rank (0 = strongest)
    lo: tuple[np.ndarray, np.ndarray]  # (out, in): first day the slot's relation holds
    hi: tuple[np.ndarray, np.ndarray]  # last day
    kind: tuple[np.ndarray, np.ndarray]  # relation-kind code
    cost: tuple[np.ndarray, np.ndarray]  # confidence penalty in millionths


_SLOTS: weakref.WeakKeyDictionary[OwnershipGraph, _Slots] = weakref.WeakKeyDictionary()


def _slots(g: OwnershipGraph) -> _Slots:
    """The slot facts of ``g``, gathered once per graph (dates, kinds and confidences do not change)."""
    found = _SLOTS.get(g)
    if found is None:
        idx = g.index
        rank, penalty = confidence_codes(g.relations)
        lo, hi = g.relation_days
        micro = np.rint(penalty * 1e6).astype(np.int32)
        sides = (idx.out_rel, idx.in_rel)
        found = _Slots(rank, tuple(lo[s] for s in sides), tuple(hi[s] for s in sides),
                       tuple(idx.kind[s] for s in sides), tuple(micro[s] for s in sides))
        _SLOTS[g] = found
    return found


def slot_steps(g: OwnershipGraph, day: str, traverse: dict[str, str], kinds: Iterable[str] | None = None
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per adjacency slot, the cost of walking its relation towards the slot's owner on ``day``.

    The same steps :func:`nearest_targets` derives from relation masks (relations
    in force on the day, of ``kinds``, walked as ``traverse`` allows: see
    :func:`~graphkit.algorithms.traverse.direction_masks`), computed from facts
    gathered once per graph, so a screening pays a few passes over the slots.

    Returns
    -------
    out_step, in_step : ndarray of int32
        Cost in millionths, -1 where the walk is not allowed.
    rank : ndarray of int8
        Per relation, the confidence rank (0 = strongest), for the weakest-evidence column.
    """
    idx = g.index
    slots = _slots(g)
    d = date_type.day_number(day)
    fwd_ok, bwd_ok = direction_tables(idx.kind_names, traverse, None if kinds is None else set(kinds))
    steps = []
    for side, allowed in ((0, bwd_ok), (1, fwd_ok)):  # out-slots walk back, in-slots walk forward
        held = (slots.lo[side] <= d) & (d <= slots.hi[side]) & allowed[slots.kind[side]]
        steps.append(np.where(held, slots.cost[side], np.int32(-1)))
    return steps[0], steps[1], slots.rank


def walk(res: Nearest, starts: np.ndarray, max_hops: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Follow the first steps from each start: nodes, relation rows and directions.

    Returns three arrays of shape ``(len(starts), max_hops + 1)`` /
    ``(len(starts), max_hops)``: positions along each path (-1 past its end),
    relation rows (-1 past the end) and directions (a compiled loop over the starts).
    """
    k = len(starts)
    nodes = np.full((k, max_hops + 1), -1, dtype=np.int64)
    rels = np.full((k, max_hops), -1, dtype=np.int64)
    fws = np.zeros((k, max_hops), dtype=bool)
    _kernels.walk_steps(res.rel, res.next, res.forward, np.asarray(starts, dtype=np.int64), nodes, rels, fws)
    return nodes, rels, fws
