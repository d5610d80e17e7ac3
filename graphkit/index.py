"""The compiled integer index: entity positions and CSR adjacency arrays.

Built once per graph (lazily) and shared by the algorithms. Entities are numbered
``0..n-1`` in table order; each relation ``r`` joins ``src[r] -> dst[r]``. Out- and
in-adjacency are stored as CSR: the relations leaving entity ``i`` are
``out_rel[out_ptr[i]:out_ptr[i+1]]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import scipy.sparse as sp

from graphkit.errors import NodeNotFound

__all__ = ["CompiledIndex", "compile_index"]


@dataclass(frozen=True)
class CompiledIndex:
    ids: pd.Index            # position -> entity id
    src: np.ndarray          # int32, per relation
    dst: np.ndarray          # int32, per relation
    kind: np.ndarray         # int16 relation-kind code, per relation
    kind_names: tuple[str, ...]
    out_ptr: np.ndarray      # int64, n + 1
    out_rel: np.ndarray      # int32 relation rows sorted by src
    in_ptr: np.ndarray
    in_rel: np.ndarray

    @property
    def n(self) -> int:
        return len(self.ids)

    @cached_property
    def out_dst(self) -> np.ndarray:
        """Per out-adjacency slot, the entity the relation leads to (``dst[out_rel]``), cached."""
        return self.dst[self.out_rel]

    @cached_property
    def in_src(self) -> np.ndarray:
        """Per in-adjacency slot, the entity the relation comes from (``src[in_rel]``), cached."""
        return self.src[self.in_rel]

    def position(self, entity_id: str) -> int:
        """Position of one entity id; raises NodeNotFound."""
        pos = self.ids.get_indexer([entity_id])[0]
        if pos < 0:
            raise NodeNotFound(f"entity {entity_id!r} is not in the graph")
        return int(pos)

    def positions(self, entity_ids: object) -> np.ndarray:
        """Positions of many ids (-1 where absent)."""
        return np.asarray(self.ids.get_indexer(pd.Index(entity_ids)), dtype=np.int64)

    def kind_mask(self, kinds: object | None) -> np.ndarray:
        """Boolean mask over relations whose kind is in ``kinds`` (None: all)."""
        if kinds is None:
            return np.ones(len(self.src), dtype=bool)
        names = [kinds] if isinstance(kinds, str) else list(kinds)  # type: ignore[call-overload]
        codes = [self.kind_names.index(k) for k in names if k in self.kind_names]
        return np.isin(self.kind, np.asarray(codes, dtype=self.kind.dtype))

    def adjacency(self, rel_mask: np.ndarray | None = None, *, undirected: bool = False) -> sp.csr_matrix:
        """Sparse adjacency matrix over the chosen relations (for scipy.csgraph)."""
        m = np.ones(len(self.src), dtype=bool) if rel_mask is None else rel_mask
        s, d = self.src[m], self.dst[m]
        if undirected:
            s, d = np.concatenate([s, d]), np.concatenate([d, s])
        data = np.ones(len(s), dtype=np.int8)
        return sp.csr_matrix((data, (s, d)), shape=(self.n, self.n))


def _csr(keys: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """CSR pointers and the stable order of ``keys`` (two 16-bit radix passes: O(m))."""
    k = keys.astype(np.int64)
    low = np.argsort((k & 0xFFFF).astype(np.uint16), kind="stable")
    order = low[np.argsort((k[low] >> 16).astype(np.uint32), kind="stable")].astype(np.int32)
    counts = np.bincount(keys, minlength=n)
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    return ptr, order


def compile_index(entities: pd.DataFrame, relations: pd.DataFrame,
                  positions: tuple[np.ndarray, np.ndarray] | None = None) -> CompiledIndex:
    """Number entities and build CSR adjacency for the relations table.

    The tables must already be validated (every reference resolves). ``positions``
    (source and target positions per relation, as validation found them) saves
    looking every id up again.
    """
    ids = pd.Index(entities["id"])
    n = len(ids)
    if positions is not None and len(positions[0]) == len(relations):
        src, dst = positions
    else:
        src = ids.get_indexer(relations["source"]).astype(np.int32)
        dst = ids.get_indexer(relations["target"]).astype(np.int32)
    kinds = relations["kind"]
    if isinstance(kinds.dtype, pd.CategoricalDtype):
        kind_codes = kinds.cat.codes.to_numpy().astype(np.int16)
        kind_names = tuple(str(c) for c in kinds.cat.categories)
    else:
        cat = pd.Categorical(kinds)
        kind_codes = cat.codes.astype(np.int16)
        kind_names = tuple(str(c) for c in cat.categories)
    out_ptr, out_rel = _csr(src, n)
    in_ptr, in_rel = _csr(dst, n)
    return CompiledIndex(ids, src, dst, kind_codes, kind_names, out_ptr, out_rel, in_ptr, in_rel)
