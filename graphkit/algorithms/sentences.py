"""Sentences for relations and listings, many at once: the steps and closing lines of a path.

:func:`describe_steps` and :func:`describe_listings` write, for many rows of the
relation or listing table at once, the same sentences as
:func:`graphkit.explain.describe_step` and :func:`graphkit.explain.describe_listing`
(``tests/algorithms/test_screen.py`` checks every one). Screening uses them to
explain 100,000 paths (:class:`graphkit.algorithms.pathtext.PathWriter`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphkit.algorithms.textjoin import Pieces, present
from graphkit.explain import UNDATED
from graphkit.model import get_model
from graphkit.types.share import format_range

__all__ = ["describe_listings", "describe_steps"]


def _texts(rel: pd.DataFrame, name: str, take: pa.Array) -> pa.Array:
    """Column ``name`` at rows ``take`` as Arrow text, null where missing or empty."""
    k = len(take)
    if name not in rel.columns:
        return pa.nulls(k, pa.large_string())
    arr = pa.array(rel[name], from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):  # a take across many chunks is slower than joining them first
        arr = arr.combine_chunks()
    arr = arr.take(take)
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.large_string())
    else:  # numbers, dates: the text Python's str() gives, as describe_step writes it
        arr = pa.array([None if v is None else str(v) for v in arr.to_pylist()], type=pa.large_string())
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.large_string()), arr)


def _join(*parts: Any, sep: str = "") -> pa.Array:
    """Arrow's element-wise join of texts; null where a part is null."""
    args = [pa.scalar(p, pa.large_string()) if isinstance(p, str) else p for p in parts]
    return pc.binary_join_element_wise(*args, pa.scalar(sep, pa.large_string()))


def _join_present(parts: list[pa.Array], sep: str) -> pa.Array:
    """Join the parts that are not null, with ``sep`` ("" where all are null).

    Built pairwise with ``coalesce`` because Arrow's own ``null_handling="skip"``
    drops rows where every part is null (pyarrow 26).
    """
    acc = parts[0]
    for part in parts[1:]:
        acc = pc.coalesce(_join(acc, part, sep=sep), acc, part)
    return pc.coalesce(acc, pa.scalar("", pa.large_string()))


def describe_listings(listings: pd.DataFrame) -> pa.Array:
    """:func:`graphkit.explain.describe_listing` of every row, as Arrow text (the same sentences).

    >>> import graphkit as gk
    >>> g = gk.example_graph()
    >>> describe_listings(g.listings).to_pylist()
    ['on the BIS Entity List since 2019-10-09 [confirmed; source: example]']
    """
    k = len(listings)
    take = pa.array(np.arange(k, dtype=np.int64))
    codes = _texts(listings, "list", take).to_pylist()
    known = get_model().lists
    label = pa.array([f"on the {known[c].label if c in known else c}" for c in codes], type=pa.large_string())
    start, end = _texts(listings, "start", take), _texts(listings, "end", take)
    none = pa.scalar(None, pa.large_string())
    period = pc.coalesce(_join("from ", start, " to ", end),
                         pc.if_else(pc.is_null(end), _join("since ", start), none),
                         pc.if_else(pc.is_null(start), _join("until ", end), none),
                         pa.scalar(UNDATED, pa.large_string()))
    head = _join_present([label, period, _join('as "', _texts(listings, "listed_name", take), '"'),
                          _join("(program ", _texts(listings, "program", take), ")")], " ")
    source = pc.coalesce(_join("source: ", _texts(listings, "source_ref", take)),
                         pa.scalar("no source given", pa.large_string()))
    evidence = _join_present([_texts(listings, "confidence", take), source], "; ")
    return _join(head, " [", evidence, "]")


def describe_steps(rel: pd.DataFrame, rows: np.ndarray, forward: np.ndarray, from_names: Iterable[Any],
                   to_names: Iterable[Any]) -> list[str]:
    """:func:`graphkit.explain.describe_step` for many relation rows at once (the same text).

    Vectorised over the rows with Arrow's string functions; ``tests/algorithms/test_screen.py``
    checks that every sentence equals the one ``describe_step`` writes.

    >>> import numpy as np, graphkit as gk
    >>> g = gk.example_graph()
    >>> describe_steps(g.relations, np.array([0]), np.array([False]), ["Sub Ltd"], ["Parent Group"])
    ['Sub Ltd is owned by Parent Group (60%) [confirmed; source: example]']
    """
    if not len(rows):
        return []
    return [str(x) for x in _describe_steps(rel, rows, forward, from_names, to_names).to_pylist()]


def _describe_steps(rel: pd.DataFrame, rows: np.ndarray, forward: np.ndarray, from_names: Iterable[Any] | pa.Array,
                    to_names: Iterable[Any] | pa.Array) -> pa.Array:
    """:func:`describe_steps` as an Arrow text array, assembled piece by piece (:class:`Pieces`)."""
    k = len(rows)
    take = pa.array(np.asarray(rows, dtype=np.int64))
    kinds = get_model().relation_kinds
    # the verb of each distinct kind, both ways; then one code per step: 2 x kind + (walked backwards)
    encoded = pc.dictionary_encode(_texts(rel, "kind", take))
    kind_names = [*encoded.dictionary.to_pylist(), None]
    kind_codes = pc.fill_null(encoded.indices, len(kind_names) - 1).to_numpy()
    table: list[str] = []
    for kd in kind_names:
        rk = kinds.get(str(kd))
        table += [rk.verb, rk.inverse] if rk else [str(kd), str(kd)]
    verb_at = np.asarray(kind_codes, dtype=np.int64) * 2 + ~np.asarray(forward, dtype=bool)
    p = Pieces(k)
    p.add(from_names)
    p.literal(" ")
    p.add(table, at=verb_at)
    p.literal(" ")
    p.add(to_names)
    # details in brackets, "; " between those present: share, role, item, ECCN, quantity, price, period
    details: list[tuple[np.ndarray, Callable[[], None]]] = []

    def text_part(texts: pa.Array, prefix: str = "") -> None:
        there = present(texts)

        def write() -> None:
            if prefix:
                p.literal(prefix, where=there)
            p.add(texts)
        details.append((there, write))

    if "share_min" in rel.columns and "share_max" in rel.columns:
        lo = rel["share_min"].to_numpy(dtype=float, na_value=np.nan)[rows]
        hi = rel["share_max"].to_numpy(dtype=float, na_value=np.nan)[rows]
        has = ~np.isnan(lo) & ~np.isnan(hi)
        # each distinct (min, max) formatted once: the pair as one complex number
        pairs, which = np.unique(lo[has] + 1j * hi[has], return_inverse=True)
        at = np.full(k, -1, dtype=np.int64)
        at[has] = which.reshape(-1)
        text_part(pa.array([format_range(float(x.real), float(x.imag)) for x in pairs.tolist()],
                           type=pa.large_string()).take(pa.array(at, mask=at < 0)))
    for col, prefix in (("role", ""), ("item", ""), ("eccn", "ECCN "), ("quantity", ""), ("price", "")):
        text_part(_texts(rel, col, take), prefix)
    start, end = _texts(rel, "start", take), _texts(rel, "end", take)
    has_start, has_end = present(start), present(end)

    def period() -> None:
        p.literal("from ", where=has_start & has_end)
        p.literal("since ", where=has_start & ~has_end)
        p.literal("until ", where=~has_start & has_end)
        p.add(start)
        p.literal(" to ", where=has_start & has_end)
        p.add(end)
    details.append((has_start | has_end, period))
    before = np.zeros(k, dtype=bool)
    for there, write in details:
        if there.any():
            p.literal("; ", where=there & before)
            p.literal(" (", where=there & ~before)
            write()
            before |= there
    p.literal(")", where=before)
    p.literal(" [")
    p.add(pc.coalesce(_texts(rel, "confidence", take), pa.scalar("unrated", pa.large_string())))
    if "illustrative" in rel.columns:
        illus = rel["illustrative"].fillna(False).to_numpy(dtype=bool)[rows]
        p.literal("; ILLUSTRATIVE", where=illus)
    p.literal("; ")
    source = _texts(rel, "source_ref", take)
    has_source = present(source)
    p.literal("source: ", where=has_source)
    p.add(source)
    p.literal("no source given", where=~has_source)
    p.literal("]")
    return p.join()
