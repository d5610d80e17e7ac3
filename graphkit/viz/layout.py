"""Node positions computed in Python, for graphs too large for in-browser physics.

The browser's force simulation is fine for a few hundred nodes; above that the page
opens with physics off and these positions. Both layouts are seeded: the same graph
gives the same picture.

- Up to :data:`NX_MAX_NODES` nodes: networkx ``spring_layout`` (Fruchterman-Reingold).
- Above: the grid variant of Fruchterman-Reingold (repulsion only between nodes
  closer than ``2k``, found with a k-d tree), which stays near-linear per iteration
  where networkx's all-pairs versions take minutes for a few thousand nodes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from tqdm.auto import tqdm

__all__ = ["positions"]

#: Seed of the layouts, so that the same graph gives the same picture.
SEED = 7
#: Pixels between two tied nodes, roughly.
SPACING = 90.0
#: Up to this many nodes networkx's spring layout is used.
NX_MAX_NODES = 500
#: Iterations of the grid layout.
ITERATIONS = 60


def positions(nodes: Sequence[str], edges: Sequence[tuple[str, str]], *, progress: bool = False
              ) -> dict[str, tuple[float, float]]:
    """x, y in screen pixels for every node, centred near 0.

    Directions and parallel edges are ignored: only who is tied to whom counts.
    ``progress`` shows a progress bar (tqdm) over the iterations of the large-graph
    layout.

    >>> pos = positions(["a", "b", "c"], [("a", "b"), ("b", "c")])
    >>> sorted(pos) == ["a", "b", "c"] and pos == positions(["a", "b", "c"], [("a", "b"), ("b", "c")])
    True
    """
    n = len(nodes)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = np.array([(index[a], index[b]) for a, b in edges if a != b and a in index and b in index],
                     dtype=np.int64).reshape(-1, 2)
    xy = _networkx_spring(n, pairs) if n <= NX_MAX_NODES else grid_spring(n, pairs, seed=SEED,
                                                                         progress=progress)
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(nodes, xy)}


def _networkx_spring(n: int, pairs: np.ndarray) -> np.ndarray:
    import networkx as nx

    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_edges_from(pairs.tolist())
    raw = nx.spring_layout(G, seed=SEED, k=1.0 / math.sqrt(n))
    # spring_layout fits the drawing into [-1, 1]; scaled by sqrt(n) * SPACING, tied
    # nodes end up about 1.5 * SPACING apart (measured on trees and sparse random graphs
    # of 400-500 nodes), close to the grid layout's spacing.
    return np.array([raw[i] for i in range(n)], dtype=float) * (SPACING * math.sqrt(n))


def grid_spring(n: int, pairs: np.ndarray, *, seed: int = SEED, iterations: int = ITERATIONS,
                progress: bool = False) -> np.ndarray:
    """Fruchterman-Reingold with short-range repulsion; positions in pixels, shape (n, 2).

    Each connected part is laid out on its own (no force acts between parts, and a
    weak pull holds each part around its own centre); the parts are then packed in
    rows, largest first, so that no part hides another. Ideal edge length is
    ``SPACING``.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    src, dst = pairs[:, 0], pairs[:, 1]
    adjacency = coo_matrix((np.ones(len(src)), (src, dst)), shape=(n, n))
    _, part = connected_components(adjacency, directed=False)
    pos = _relax(n, src, dst, part, seed=seed, iterations=iterations, progress=progress)
    return _pack(pos, part) * SPACING


def _relax(n: int, src: np.ndarray, dst: np.ndarray, part: np.ndarray, *, seed: int,
           iterations: int, progress: bool = False) -> np.ndarray:
    """The force simulation, in units of the ideal edge length (k = 1)."""
    from scipy.spatial import cKDTree

    rng = np.random.default_rng(seed)
    sizes = np.bincount(part).astype(float)
    # Start each part in its own square, apart from the others, so that the k-d tree
    # finds few pairs across parts (they exert no force on each other anyway).
    pos = _pack(rng.uniform(-1.0, 1.0, size=(n, 2)) * np.sqrt(sizes[part])[:, None], part, margin=4.0)
    temp = math.sqrt(sizes.max()) / 4
    for step in tqdm(range(iterations), desc=f"layout of {n} nodes", disable=not progress):
        disp = np.zeros((n, 2))
        close = cKDTree(pos).query_pairs(2.0, output_type="ndarray")
        close = close[part[close[:, 0]] == part[close[:, 1]]] if len(close) else close
        if len(close):
            d = pos[close[:, 0]] - pos[close[:, 1]]
            push = d / np.maximum((d * d).sum(axis=1), 1e-6)[:, None]  # magnitude 1 / dist
            np.add.at(disp, close[:, 0], push)
            np.add.at(disp, close[:, 1], -push)
        if len(src):
            d = pos[src] - pos[dst]
            pull = d * np.sqrt((d * d).sum(axis=1))[:, None]  # magnitude dist^2
            np.add.at(disp, src, -pull)
            np.add.at(disp, dst, pull)
        centre = np.stack([np.bincount(part, pos[:, i]) / sizes for i in (0, 1)], axis=1)
        off = pos - centre[part]
        disp -= 0.1 * off / np.maximum(np.sqrt((off * off).sum(axis=1)), 1e-9)[:, None]  # gravity
        length = np.sqrt((disp * disp).sum(axis=1, keepdims=True))
        step_len = temp * (1 - step / iterations) + 0.01
        pos += disp / np.maximum(length, 1e-9) * np.minimum(length, step_len)
    return pos


def _pack(pos: np.ndarray, part: np.ndarray, margin: float = 1.5) -> np.ndarray:
    """Move each connected part into its own box; boxes in rows, largest part first."""
    n_parts = int(part.max()) + 1
    order = np.argsort(part, kind="stable")
    bounds = np.searchsorted(part[order], np.arange(n_parts + 1))
    boxes = []
    for p in range(n_parts):
        members = order[bounds[p]:bounds[p + 1]]
        lo, hi = pos[members].min(axis=0), pos[members].max(axis=0)
        boxes.append((members, lo, hi - lo + margin))
    boxes.sort(key=lambda b: -len(b[0]))
    row_width = max(math.sqrt(sum(float(w * h) for _, _, (w, h) in boxes)) * 1.2,
                    max(float(size[0]) for _, _, size in boxes))
    out = np.empty_like(pos)
    x = y = row_height = 0.0
    for members, lo, (w, h) in boxes:
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        out[members] = pos[members] - lo + (x, y)
        x += float(w)
        row_height = max(row_height, float(h))
    return out - out.mean(axis=0)
