"""Precomputed layouts for large graphs: deterministic, every node placed, parts kept apart."""

from __future__ import annotations

import numpy as np
import pytest

from graphkit.viz.layout import NX_MAX_NODES, grid_spring, positions


def forest(n_trees: int, size: int) -> tuple[list[str], list[tuple[str, str]]]:
    nodes = [f"t{t}n{i}" for t in range(n_trees) for i in range(size)]
    edges = [(f"t{t}n{i}", f"t{t}n{(i - 1) // 2}") for t in range(n_trees) for i in range(1, size)]
    return nodes, edges


def test_grid_layout_places_every_node_and_is_repeatable() -> None:
    nodes, edges = forest(12, 50)  # 600 nodes: above NX_MAX_NODES, the grid layout
    assert len(nodes) > NX_MAX_NODES
    pos = positions(nodes, edges)
    assert set(pos) == set(nodes)
    assert all(np.isfinite(x) and np.isfinite(y) for x, y in pos.values())
    assert pos == positions(nodes, edges)


def test_grid_layout_keeps_connected_parts_apart() -> None:
    nodes, edges = forest(8, 60)
    index = {n: i for i, n in enumerate(nodes)}
    xy = grid_spring(len(nodes), np.array([(index[a], index[b]) for a, b in edges]))
    boxes = [(xy[t * 60:(t + 1) * 60].min(axis=0), xy[t * 60:(t + 1) * 60].max(axis=0))
             for t in range(8)]
    for i, (lo1, hi1) in enumerate(boxes):
        for lo2, hi2 in boxes[i + 1:]:
            assert (hi1 < lo2).any() or (hi2 < lo1).any()  # bounding boxes do not overlap
    tied = np.linalg.norm(xy[[index[a] for a, _ in edges]] - xy[[index[b] for _, b in edges]], axis=1)
    assert 20 < np.median(tied) < 400  # readable spacing in pixels


def test_isolated_nodes_and_empty_graph() -> None:
    assert positions([], []) == {}
    nodes = [f"n{i}" for i in range(520)]
    pos = positions(nodes, [])
    assert len(set(pos.values())) == len(nodes)  # no two nodes on the same spot


def test_progress_bar_is_optional(capsys: pytest.CaptureFixture[str]) -> None:
    nodes = [f"n{i}" for i in range(30)]
    edges = [(f"n{i}", f"n{i + 1}") for i in range(29)]
    index = {n: i for i, n in enumerate(nodes)}
    pairs = np.array([(index[a], index[b]) for a, b in edges])
    quiet = grid_spring(len(nodes), pairs, iterations=5)
    assert capsys.readouterr().err == ""
    shown = grid_spring(len(nodes), pairs, iterations=5, progress=True)
    assert "layout of 30 nodes" in capsys.readouterr().err
    assert np.array_equal(quiet, shown)
