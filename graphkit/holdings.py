"""Ownership facts that cannot all be true at once: checked when a graph is built.

Each relation can be valid on its own and the set still be impossible:

- the owners' stated *minimum* shares of one company add up to more than 100%;
- majority ownership runs in a circle (A owns more than 50% of B, and B more than 50%
  of A, or a longer ring).

Either means a share, a date or an owner is wrong (or a holding ended and the end
date is missing). graphkit keeps every relation as given, since it cannot tell which
one is wrong, and reports each one involved (Problem ``check``, which never stops a
graph from being built) so a person checks the sources. Only direct holdings with no end date are compared: shares held at different
times may add up to more than 100% without any error, and an ``indirect`` relation
restates a chain that is already there.

:func:`same_as_checks` reports ``same_as`` relations that cannot join one party: a
company "the same as" an address or a person. graphkit ignores them when it joins
records into parties (:func:`graphkit.algorithms.ownership.same_parties`).

:func:`graphkit.validate.check_tables` calls :func:`holding_checks` and :func:`same_as_checks`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

__all__ = ["holding_checks", "same_as_checks"]

_EPS = 1e-6


def holding_checks(rel: pd.DataFrame, usable: np.ndarray) -> list[tuple[np.ndarray, str, Callable[[int], str]]]:
    """Impossible sets of ``owns`` relations among the ``usable`` rows of ``rel``.

    Returns ``(rows, column, message)`` triples: a boolean mask over ``rel``, the column
    to name, and the message for a row (called with its position).

    >>> rel = pd.DataFrame({"source": ["p", "q", "a", "b"], "target": ["x", "x", "b", "a"],
    ...                     "kind": "owns", "share_min": [60.0, 70.0, 60.0, 55.0], "end": None})
    >>> for rows, col, msg in holding_checks(rel, np.ones(4, dtype=bool)):
    ...     print(col, np.flatnonzero(rows).tolist(), msg(int(np.flatnonzero(rows)[0])))
    share [0, 1] owners' stated minimum shares of 'x' add up to 130% (over 100%) among holdings with no end date: a share, a date or an owner is wrong; every share is used as given
    share [2, 3] majority ownership runs in a circle: 'a' -> 'b' -> 'a' (each holds more than 50% of the next, with no end date): unusual, check the sources (a share, a date or an owner may be wrong); every share is used as given
    """
    need = {"source", "target", "kind", "share_min"}
    if not need <= set(rel.columns) or not len(rel):
        return []
    kind = rel["kind"]
    if isinstance(kind.dtype, pd.CategoricalDtype):  # as validation leaves it: compare codes, no text
        cats = list(kind.cat.categories)
        is_owns = kind.cat.codes.to_numpy() == cats.index("owns") if "owns" in cats else np.zeros(len(rel), bool)
    else:
        is_owns = (kind.astype(str) == "owns").to_numpy()
    owns = np.asarray(usable, dtype=bool) & is_owns
    lo = pd.to_numeric(rel["share_min"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    owns &= lo > 0
    if not owns.any():
        return []
    rows = np.flatnonzero(owns)
    if "end" in rel.columns:
        rows = rows[rel["end"].take(rows).isna().to_numpy()]
    if "indirect" in rel.columns and len(rows):  # a restatement of a chain (BODS indirect interest) is not a holding
        rows = rows[~rel["indirect"].take(rows).fillna(False).astype(bool).to_numpy()]
    if not len(rows):
        return []
    src = rel["source"].take(rows).astype(str).to_numpy(dtype=object)
    dst = rel["target"].take(rows).astype(str).to_numpy(dtype=object)
    out: list[tuple[np.ndarray, str, Callable[[int], str]]] = []
    out += _over_100(rel, rows, src, dst, lo[rows])
    out += _majority_rings(rel, rows, src, dst, lo[rows])
    return out


def _over_100(rel: pd.DataFrame, rows: np.ndarray, src: np.ndarray, dst: np.ndarray,
              lo: np.ndarray) -> list[tuple[np.ndarray, str, Callable[[int], str]]]:
    codes, targets = pd.factorize(dst)
    # one owner may be stated several times (shares and voting rights, two sources): count
    # each owner once, at the lowest minimum its statements give
    pair = pd.DataFrame({"t": codes, "o": pd.factorize(src)[0], "lo": lo}).groupby(["t", "o"], sort=False)["lo"].min()
    total = np.bincount(pair.index.get_level_values("t").to_numpy(), weights=pair.to_numpy(), minlength=len(targets))
    over = np.flatnonzero(total > 100 + _EPS)
    if not len(over):
        return []
    hit = np.isin(codes, over)
    mask = np.zeros(len(rel), dtype=bool)
    mask[rows[hit]] = True
    sums = {str(targets[c]): float(total[c]) for c in over.tolist()}
    target_col = rel["target"].astype(str)

    def message(r: int) -> str:
        t = target_col.iloc[r]
        return (f"owners' stated minimum shares of {t!r} add up to {sums[t]:g}% (over 100%) among holdings "
                "with no end date: a share, a date or an owner is wrong; every share is used as given")
    return [(mask, "share", message)]


def _majority_rings(rel: pd.DataFrame, rows: np.ndarray, src: np.ndarray, dst: np.ndarray,
                    lo: np.ndarray) -> list[tuple[np.ndarray, str, Callable[[int], str]]]:
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    major = lo > 50 + _EPS
    if major.sum() < 2:
        return []
    rows, src, dst = rows[major], src[major], dst[major]
    codes, ids = pd.factorize(np.concatenate([src, dst]))
    s, d = codes[:len(src)], codes[len(src):]
    n = len(ids)
    graph = csr_matrix((np.ones(len(s), dtype=np.int8), (s, d)), shape=(n, n))
    _, comp = connected_components(graph, directed=True, connection="strong")
    size = np.bincount(comp)
    inside = (comp[s] == comp[d]) & (size[comp[s]] > 1)
    if not inside.any():
        return []
    mask = np.zeros(len(rel), dtype=bool)
    mask[rows[inside]] = True
    ring_of: dict[int, str] = {}
    for c in np.unique(comp[s[inside]]).tolist():
        ring_of[c] = _ring_text(s[inside & (comp[s] == c)], d[inside & (comp[s] == c)], ids)
    comp_of_row = dict(zip(rows[inside].tolist(), comp[s[inside]].tolist()))

    def message(r: int) -> str:
        return (f"majority ownership runs in a circle: {ring_of[comp_of_row[r]]} (each holds more than 50% "
                "of the next, with no end date): unusual, check the sources (a share, a date or an owner may be "
                "wrong); every share is used as given")
    return [(mask, "share", message)]


def _ring_text(s: np.ndarray, d: np.ndarray, ids: np.ndarray, limit: int = 6) -> str:
    """One walk round the ring from its first member: ``'a' -> 'b' -> 'a'``."""
    nxt: dict[int, int] = {}
    for a, b in zip(s.tolist(), d.tolist()):
        nxt.setdefault(a, b)
    start = min(nxt)
    walk, seen, at = [start], {start}, nxt[start]
    while at not in seen and at in nxt and len(walk) < limit:
        walk.append(at)
        seen.add(at)
        at = nxt[at]
    text = " -> ".join(repr(str(ids[i])) for i in walk)
    return text + (f" -> {str(ids[at])!r}" if at in seen else " -> ...")


def same_as_checks(rel: pd.DataFrame, usable: np.ndarray,
                   ents: pd.DataFrame) -> list[tuple[np.ndarray, str, Callable[[int], str]]]:
    """``same_as`` relations among the ``usable`` rows of ``rel`` whose two ends are not both
    legal entities of the same sort (two persons, or two that are not persons): they join
    nothing, so that two companies registered at one address never become one party.

    >>> ents = pd.DataFrame({"id": ["a", "addr", "b"], "kind": ["company", "address", "company"]})
    >>> rel = pd.DataFrame({"source": ["a", "a"], "target": ["addr", "b"], "kind": "same_as"})
    >>> [(np.flatnonzero(r).tolist(), c, m(0)) for r, c, m in same_as_checks(rel, np.ones(2, bool), ents)]
    [([0], 'kind', "'a' (company) cannot be the same party as 'addr' (address): this same_as joins nothing (only two companies, organisations or bodies, or two persons, are joined); check the ids")]
    """
    from graphkit.model import get_model

    if not {"source", "target", "kind"} <= set(rel.columns) or not len(rel) or not len(ents):
        return []
    kind = rel["kind"]
    if isinstance(kind.dtype, pd.CategoricalDtype):  # as validation leaves it: compare codes, no text
        cats = list(kind.cat.categories)
        is_same = (kind.cat.codes.to_numpy() == cats.index("same_as") if "same_as" in cats
                   else np.zeros(len(rel), dtype=bool))
    else:
        is_same = (kind.astype(str) == "same_as").to_numpy()
    same = np.asarray(usable, dtype=bool) & is_same
    if not same.any():
        return []
    model = get_model()
    ends = set(rel["source"][same].astype(str)) | set(rel["target"][same].astype(str))
    mine = ents[ents["id"].astype(str).isin(ends)]
    kind_of = dict(zip(mine["id"].astype(str), mine["kind"].astype(str)))
    src = rel["source"].astype(str).to_numpy(dtype=object)
    dst = rel["target"].astype(str).to_numpy(dtype=object)
    bad = np.zeros(len(rel), dtype=bool)
    for i in np.flatnonzero(same).tolist():
        a, b = kind_of.get(src[i]), kind_of.get(dst[i])
        if a is None or b is None:
            continue  # a dangling reference: reported on its own
        sort = model.party_sort(a)
        bad[i] = sort is None or sort != model.party_sort(b)
    if not bad.any():
        return []

    def message(i: int) -> str:
        return (f"{src[i]!r} ({kind_of.get(src[i])}) cannot be the same party as {dst[i]!r} ({kind_of.get(dst[i])}): "
                "this same_as joins nothing (only two companies, organisations or bodies, or two persons, "
                "are joined); check the ids")

    return [(bad, "kind", message)]
