"""Breadth-first traversal on the compiled CSR arrays (private helpers).

These work on integer positions and relation masks only; the public algorithms
check their inputs and turn results back into ids and explanations.
"""

from __future__ import annotations

import numpy as np

from graphkit.index import CompiledIndex

__all__ = ["expand", "bfs_levels", "direction_masks", "direction_tables"]


def direction_masks(index: CompiledIndex, traverse: dict[str, str],
                    rel_mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per relation: may a walk go source->target (fwd) and target->source (bwd)?"""
    fwd_ok, bwd_ok = direction_tables(index.kind_names, traverse)
    return rel_mask & fwd_ok[index.kind], rel_mask & bwd_ok[index.kind]


def direction_tables(kind_names: tuple[str, ...], traverse: dict[str, str],
                     kinds: set[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per relation-kind code: may a walk go source->target (fwd), target->source (bwd)?

    Kinds outside ``kinds`` (when given) may not be walked at all. Both tables have
    one entry more than ``kind_names``, False, so a code of -1 reads "not walkable".
    """
    ok = [kinds is None or k in kinds for k in kind_names]
    fwd = [o and traverse.get(k, "both") in ("both", "forward") for o, k in zip(ok, kind_names)]
    bwd = [o and traverse.get(k, "both") in ("both", "backward") for o, k in zip(ok, kind_names)]
    return np.asarray(fwd + [False], dtype=bool), np.asarray(bwd + [False], dtype=bool)


def _ranges(ptr: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    """Concatenate ``arange(ptr[v], ptr[v+1])`` for every v in nodes, vectorised."""
    starts = ptr[nodes]
    lens = ptr[nodes + 1] - starts
    total = int(lens.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    offs = np.repeat(starts - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens)
    return np.arange(total, dtype=np.int64) + offs


def expand(index: CompiledIndex, frontier: np.ndarray, fwd: np.ndarray,
           bwd: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """All allowed steps out of ``frontier``.

    Returns ``(from_pos, to_pos, relation_row, forward)`` arrays, one entry per step.
    """
    out_idx = _ranges(index.out_ptr, frontier)
    rel_o = index.out_rel[out_idx]
    keep_o = fwd[rel_o]
    rel_o = rel_o[keep_o]
    in_idx = _ranges(index.in_ptr, frontier)
    rel_i = index.in_rel[in_idx]
    keep_i = bwd[rel_i]
    rel_i = rel_i[keep_i]
    frm = np.concatenate([index.src[rel_o], index.dst[rel_i]])
    to = np.concatenate([index.dst[rel_o], index.src[rel_i]])
    rels = np.concatenate([rel_o, rel_i])
    forward = np.concatenate([np.ones(len(rel_o), bool), np.zeros(len(rel_i), bool)])
    return frm, to, rels, forward


def bfs_levels(index: CompiledIndex, sources: np.ndarray, fwd: np.ndarray, bwd: np.ndarray,
               max_hops: int, stop: np.ndarray | None = None) -> np.ndarray:
    """Hop distance from the nearest source to every entity (-1: not reached).

    Entities in ``stop`` are reached but not expanded (for example listed parties,
    so that a path ends at the first listed party it meets).
    """
    dist = np.full(index.n, -1, dtype=np.int32)
    frontier = np.unique(np.asarray(sources, dtype=np.int64))
    dist[frontier] = 0
    for level in range(1, max_hops + 1):
        if stop is not None:
            frontier = frontier[~stop[frontier]]
        if not len(frontier):
            break
        _, to, _, _ = expand(index, frontier, fwd, bwd)
        to = np.unique(to)
        to = to[dist[to] < 0]
        dist[to] = level
        frontier = to.astype(np.int64)
    return dist
