"""Texts assembled from pieces (graphkit.algorithms.textjoin) and the compiled loops behind them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from graphkit.algorithms import _kernels
from graphkit.algorithms._kernels import first_seen, join_texts
from graphkit.algorithms.textjoin import Pieces, present


def _python_join(slots: np.ndarray, pieces: list[str]) -> list[str]:
    return ["".join(pieces[p] for p in slots[:, i] if p >= 0) for i in range(slots.shape[1])]


def _encode(pieces: list[str]) -> tuple[np.ndarray, np.ndarray]:
    raw = [p.encode("utf-8") for p in pieces]
    offs = np.concatenate([[0], np.cumsum([len(b) for b in raw])]).astype(np.int64)
    return offs, np.frombuffer(b"".join(raw), dtype=np.uint8)


@pytest.mark.parametrize("k", [0, 1, 7, 25_000])  # 25,000 rows: copied by two threads, half each
def test_join_texts_equals_python(k: int) -> None:
    rng = np.random.default_rng(k)
    pieces = ["", "a", " reaches ", "Ωmega 商汤 (company)", "x" * 40, "\n  1. ", "y" * 17]
    slots = rng.integers(-1, len(pieces), size=(6, k)).astype(np.int32)
    offs, data = _encode(pieces)
    out_off, out = join_texts(slots, offs, data)
    got = pa.LargeStringArray.from_buffers(k, pa.py_buffer(out_off), pa.py_buffer(out)).to_pylist()
    assert got == _python_join(slots, pieces)


def test_pieces_nulls_literals_and_repeated_tables() -> None:
    steps = pa.array(["A owns B", None, "B owns C"], type=pa.large_string())
    p = Pieces(4)
    p.add(["r0", "r1", None, "r3"])
    p.literal(": ", where=np.array([True, True, False, True]))
    for hop in range(2):  # the same table once per hop: stored once
        p.add(steps, at=np.array([[0, 2], [1, -1], [-1, -1], [2, 0]])[:, hop])
    assert p.join().to_pylist() == ["r0: A owns BB owns C", "r1: ", "", "r3: B owns CA owns B"]
    assert p.join(rows=np.array([0, 2, 3, 5]), total=6).to_pylist() == [
        "r0: A owns BB owns C", None, "r1: ", "", None, "r3: B owns CA owns B"]


def test_pieces_refuse_rows_out_of_order() -> None:
    p = Pieces(2)
    p.add(["a", "b"])
    with pytest.raises(ValueError, match="increasing"):
        p.join(rows=np.array([3, 1]), total=4)
    with pytest.raises(ValueError, match="2 texts for 3 rows"):
        Pieces(3).add(["a", "b"])


def test_present() -> None:
    assert present(pa.array(["", None, "x"])).tolist() == [False, False, True]
    assert present(pa.array([], type=pa.string())).tolist() == []


def test_first_seen_numbers_in_order_of_appearance() -> None:
    keys = np.array([9, 3, 9, 0, 3, 4])
    distinct, ids = first_seen(keys, 10)
    assert distinct.tolist() == [9, 3, 0, 4]
    assert ids.tolist() == [0, 1, 0, 2, 1, 3]
    assert np.array_equal(distinct[ids], keys)
    empty, none = first_seen(np.array([], dtype=np.int64), 1)
    assert len(empty) == 0 and len(none) == 0


def test_kernels_run_as_a_loose_file_leave_no_cache(tmp_path: Path) -> None:
    """``python -m doctest _kernels.py`` must not write numba cache entries: they would name a
    module "_kernels", and graphkit's own screening then failed to load them."""
    copy = tmp_path / "_kernels.py"
    shutil.copy(Path(_kernels.__file__), copy)
    subprocess.run([sys.executable, "-m", "doctest", str(copy)], check=True, cwd=tmp_path)
    assert not list(tmp_path.rglob("*.nb[ic]"))
