"""Who owns this company, looking through the chain? Effective and ultimate ownership.

Look-through (beneficial-ownership) questions, which are **not** the sanctions
"50% rules" of :func:`graphkit.algorithms.restricted.restricted`:

- here a stake is *multiplied* along a chain (60% of a holding that owns 50% is an
  effective 30%) and parallel chains are *summed*;
- under the OFAC 50 Percent Rule, the BIS Affiliates Rule and the EU criterion a
  subsidiary caught by the rule counts with its *whole* stake, and stakes are never
  multiplied. A listed party with an effective 30% can still make a company
  restricted (FAQ 401 example 2), and one with an effective 40% may not.

Use :func:`effective_ownership` and :func:`ultimate_owners` for "who ultimately
owns 25% or more" (anti-money-laundering beneficial ownership thresholds); use
``restricted`` for "is this company blocked / on the Entity List by ownership".

Shares are ranges: every result has a lower bound (from ``share_min``) and an
upper bound (from ``share_max``; an unknown share counts as 0..100%).
"""

from __future__ import annotations

import logging
import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from graphkit.graph import OwnershipGraph
from graphkit.types import date as date_type

__all__ = ["OwnsPairs", "effective_ownership", "joining_rows", "owns_pairs", "party_any", "restated", "same_parties", "stronger", "ultimate_owners"]

log = logging.getLogger(__name__)
_EPS = 1e-9


@dataclass
class OwnsPairs:
    """The ``owns`` relations in force on a day, one row per (owner, owned) pair.

    ``src``/``dst`` are entity positions sorted by ``(src, dst)``; ``lo``/``hi``
    the share range in percent; ``conflict`` marks pairs whose sources
    contradict each other; the raw relation rows of pair ``j`` are
    ``raw[pair_start[j]:pair_start[j + 1]]``.
    """

    n: int
    src: np.ndarray
    dst: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    conflict: np.ndarray
    pair_start: np.ndarray
    raw: np.ndarray
    _up: tuple[np.ndarray, np.ndarray] | None = None

    def upward(self) -> tuple[np.ndarray, np.ndarray]:
        """CSR by owned entity: the owners of ``v`` are ``owners[ptr[v]:ptr[v + 1]]``."""
        if self._up is None:
            order = np.argsort(self.dst, kind="stable")
            ptr = np.zeros(self.n + 1, dtype=np.int64)
            np.cumsum(np.bincount(self.dst, minlength=self.n), out=ptr[1:])
            self._up = (ptr, self.src[order])
        return self._up


# Per graph, the pairs of the last few days asked for: repeated questions on a large
# graph (ultimate owners of many entities, several rules on one day) read the
# relations table once. Keyed on the relations table's identity, so a graph whose
# table is replaced is read again.
_CACHE: weakref.WeakKeyDictionary[OwnershipGraph, dict[tuple[str, int, int], OwnsPairs]] = \
    weakref.WeakKeyDictionary()
_CACHE_DAYS = 2


def active_rows(rel: pd.DataFrame, rows: np.ndarray, day: str) -> np.ndarray:
    """Which of ``rows`` of the relations table are in force on ``day``
    (:func:`graphkit.types.date.active_mask` on those rows)."""
    return date_type.active_mask(rel["start"].take(rows), rel["end"].take(rows), day)


def same_parties(g: OwnershipGraph, day: str, upto: int | None = None,
                 rows: np.ndarray | None = None) -> np.ndarray | None:
    """Each entity's *party* on ``day``: records joined by ``same_as`` relations in force
    describe one party (the joining is transitive). Only legal entities of the same sort
    are joined (two companies, two persons): a ``same_as`` between a company and an
    address, or a person and a company, joins nothing. Returns, per entity position, the
    smallest position of its party, or None when no ``same_as`` relation is in force
    (every entity is then a party of its own).

    The ownership rules count a party once: a listing of one record lists every record,
    and stakes held by or in any of its records are the party's.

    Examples
    --------
    >>> import pandas as pd, graphkit as gk
    >>> ents = pd.DataFrame({"id": ["a", "a2", "c"], "name": ["Alpha", "Alpha Co", "C"], "kind": "company"})
    >>> rels = pd.DataFrame({"source": ["a2"], "target": ["a"], "kind": ["same_as"]})
    >>> g = gk.OwnershipGraph.from_frames(ents, rels, pd.DataFrame(columns=["entity", "list"]))
    >>> same_parties(g, "2025-01-01").tolist()
    [0, 0, 2]
    """
    idx = g.index
    if rows is None:  # the joining rows, unless the caller has them already
        rows = joining_rows(g, day, upto)
    if not len(rows):
        return None
    from scipy.sparse.csgraph import connected_components

    s, d = idx.src[rows].astype(np.int64), idx.dst[rows].astype(np.int64)
    adj = sp.coo_matrix((np.ones(len(s), dtype=np.int8), (s, d)), shape=(idx.n, idx.n)).tocsr()
    _, label = connected_components(adj, directed=False)
    _, first = np.unique(label, return_index=True)  # each component's first (smallest) position
    return first.astype(np.int64)[label]


def joining_rows(g: OwnershipGraph, day: str, upto: int | None = None) -> np.ndarray:
    """The relation rows that join records into parties on ``day``: ``same_as`` relations in
    force between two different legal entities of the same sort (see :func:`same_parties`),
    as strongly evidenced as ``upto`` or more (see :func:`stronger`) when given."""
    idx = g.index
    rows = np.flatnonzero(idx.kind_mask("same_as"))
    if not len(rows):
        return rows
    rows = rows[active_rows(g.relations, rows, day)]
    rows = rows[stronger(g.relations, rows, upto)]
    s, d = idx.src[rows].astype(np.int64), idx.dst[rows].astype(np.int64)
    return rows[(s != d) & _joinable(g, s, d)] if len(rows) else rows


def stronger(table: pd.DataFrame, rows: np.ndarray, upto: int | None) -> np.ndarray:
    """Which ``rows`` of a relations or listings table have a confidence of rank ``upto`` or
    stronger (0 = confirmed, 1 = reported, 2 = suspected; a missing confidence is the weakest).
    All of them when ``upto`` is None.

    >>> t = pd.DataFrame({"confidence": ["confirmed", "suspected", None, "reported"]})
    >>> stronger(t, np.arange(4), 1).tolist()
    [True, False, False, True]
    """
    if upto is None or not len(rows):
        return np.ones(len(rows), dtype=bool)
    if "confidence" not in table:
        return np.zeros(len(rows), dtype=bool) if upto < len(_levels()) - 1 else np.ones(len(rows), dtype=bool)
    from graphkit.algorithms.nearest import confidence_codes

    return np.asarray(confidence_codes(table[["confidence"]])[0][rows]) <= upto


def _levels() -> list[str]:
    from graphkit.model import get_model

    return list(get_model().confidence)


def _joinable(g: OwnershipGraph, s: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Which (source, target) pairs of a ``same_as`` may join two records into one party: both
    legal entities of the same sort (:meth:`graphkit.model.Model.party_sort`: a company is never
    "the same as" its address or its owner; such a relation is a data error, not a reason to
    merge two parties)."""
    from graphkit.model import get_model

    if not len(s):
        return np.zeros(0, dtype=bool)
    model = get_model()
    kind = g.entities["kind"]
    cat = kind if isinstance(kind.dtype, pd.CategoricalDtype) else kind.astype("category")
    sorts = [model.party_sort(c) for c in cat.cat.categories] + [None]  # only the categories are read as text
    sort_code = np.array([{"person": 1, "organisation": 2}.get(x or "", 0) for x in sorts], dtype=np.int8)
    codes = cat.cat.codes.to_numpy()  # -1 (missing) reads the last entry: not a legal entity
    ss, sd = sort_code[codes[s]], sort_code[codes[d]]
    return (ss > 0) & (ss == sd)


def party_any(mask: np.ndarray, party: np.ndarray | None) -> np.ndarray:
    """``mask`` spread over parties: True for every record of a party where any record is True.

    >>> party_any(np.array([False, True, False]), np.array([0, 0, 2])).tolist()
    [True, True, False]
    """
    if party is None:
        return mask
    anyone = np.zeros(len(mask), dtype=bool)
    anyone[party[mask]] = True
    return anyone[party]


def restated(rel: pd.DataFrame) -> np.ndarray:
    """Relations flagged ``indirect``: a chain restated end to end (a BODS indirect
    interest, a GLEIF ultimate parent). Counting them beside the chain they restate
    would count the same holding twice, so ownership computations skip them."""
    if "indirect" not in rel:
        return np.zeros(len(rel), dtype=bool)
    return rel["indirect"].fillna(False).astype(bool).to_numpy()


def owns_pairs(g: OwnershipGraph, day: str, party: np.ndarray | None = None, upto: int | None = None) -> OwnsPairs:
    """The ``owns`` relations in force on ``day``, deduplicated per (owner, owned) pair.

    Several relations between the same owner and owned entity in force the same
    day are reports of one stake: when their ranges overlap the intersection is
    used (every source is right); when they contradict each other, the envelope
    from the lowest minimum to the highest maximum (and ``conflict`` is set).
    A relation from an entity to itself is ignored, and so are relations flagged
    ``indirect`` (see :func:`restated`). Results are cached per graph
    and day (the graph is never changed by graphkit's algorithms).

    With ``party`` (each position's party, from :func:`same_parties`) the pairs are
    between parties: every relation from a record of one party to a record of another
    reports the one stake between them, and relations inside a party are ignored
    (not cached). With ``upto``, only relations whose confidence is that strong or
    stronger count (rank: 0 = confirmed; see :func:`stronger`; not cached).
    """
    if party is not None or upto is not None:  # from the day's pairs: their relations, regrouped
        every = owns_pairs(g, day)
        rows = every.raw
        keep = stronger(g.relations, rows, upto)
        if party is None:  # the same pairs, keeping the reports that strongly evidenced: still sorted
            sorted_key = np.repeat(every.src * every.n + every.dst, np.diff(every.pair_start))
            return _sorted_pairs(every.n, sorted_key[keep], rows[keep], g.relations)
        rows = rows[keep]
        s, d = party[g.index.src[rows]], party[g.index.dst[rows]]
        inside = s == d  # relations inside one party: not a stake between parties
        rows, s, d = rows[~inside], s[~inside], d[~inside]
        pair_key = s * every.n + d
        order = np.argsort(pair_key, kind="stable")
        return _sorted_pairs(every.n, pair_key[order], rows[order], g.relations)
    key = (day, id(g.relations), len(g.relations))
    per_graph = _CACHE.setdefault(g, {})
    hit = per_graph.get(key)
    if hit is not None:
        return hit
    pairs = _owns_pairs(g, day)
    if len(per_graph) >= _CACHE_DAYS:
        per_graph.pop(next(iter(per_graph)))
    per_graph[key] = pairs
    return pairs


def _owns_pairs(g: OwnershipGraph, day: str) -> OwnsPairs:
    idx = g.index
    n = idx.n
    rel = g.relations
    rows = np.flatnonzero(idx.kind_mask("owns") & ~restated(rel))
    rows = rows[active_rows(rel, rows, day)]
    s, d = idx.src[rows].astype(np.int64), idx.dst[rows].astype(np.int64)
    keep = s != d
    rows, s, d = rows[keep], s[keep], d[keep]
    key = s * n + d
    order = np.argsort(key, kind="stable")
    return _sorted_pairs(n, key[order], rows[order], rel)


def _sorted_pairs(n: int, key: np.ndarray, rows: np.ndarray, rel: pd.DataFrame) -> OwnsPairs:
    """:class:`OwnsPairs` from relation ``rows`` sorted by ``key`` (owner * n + owned)."""
    lo_all = rel["share_min"].to_numpy(dtype=float)[rows]
    hi_all = rel["share_max"].to_numpy(dtype=float)[rows]
    lo_all = np.where(np.isnan(lo_all), 0.0, lo_all)
    hi_all = np.where(np.isnan(hi_all), 100.0, hi_all)
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    starts = np.flatnonzero(first)
    if len(starts) == len(key):
        lo, hi, conflict = lo_all, hi_all, np.zeros(len(key), dtype=bool)
    else:
        lo_max = np.maximum.reduceat(lo_all, starts)
        hi_min = np.minimum.reduceat(hi_all, starts)
        conflict = lo_max > hi_min + _EPS
        lo = np.where(conflict, np.minimum.reduceat(lo_all, starts), lo_max)
        hi = np.where(conflict, np.maximum.reduceat(hi_all, starts), hi_min)
    ukey = key[starts]
    return OwnsPairs(n, ukey // n, ukey % n, lo, hi, conflict,
                     np.append(starts, len(key)).astype(np.int64), rows)


def _ancestors(pairs: OwnsPairs, target: int) -> tuple[np.ndarray, np.ndarray]:
    """Every entity with an ownership chain to ``target``, with its hop distance."""
    ptr, srcs = pairs.upward()
    dist = np.full(pairs.n, -1, dtype=np.int64)
    dist[target] = 0
    frontier = np.array([target], dtype=np.int64)
    level = 0
    from graphkit.algorithms.traverse import _ranges

    while len(frontier):
        level += 1
        nxt = np.unique(srcs[_ranges(ptr, frontier)])
        nxt = nxt[dist[nxt] < 0]
        dist[nxt] = level
        frontier = nxt
    found = np.flatnonzero(dist > 0)
    return found, dist[found]


def _look_through(pairs: OwnsPairs, nodes: np.ndarray, target: int, weight: np.ndarray,
                  max_iter: int, tol: float) -> np.ndarray:
    """Effective fraction of ``target`` held by each of ``nodes`` (sum over walks of products).

    Iterates ``x = min(1, b + S x)`` from ``x = b``, where ``S`` holds the stakes
    among ``nodes`` and ``b`` their direct stakes in ``target``. The sequence
    grows monotonically and is capped at 100%, so it converges even when upper
    bounds (unknown shares read as 100%) form cycles.
    """
    local = np.full(pairs.n, -1, dtype=np.int64)
    local[nodes] = np.arange(len(nodes))
    k = len(nodes)
    ls, ld = local[pairs.src], local[pairs.dst]
    frac = weight / 100.0
    direct = (ls >= 0) & (pairs.dst == target)
    b = np.bincount(ls[direct], weights=frac[direct], minlength=k)
    inner = (ls >= 0) & (ld >= 0)
    S = sp.csr_matrix((frac[inner], (ls[inner], ld[inner])), shape=(k, k))
    x = np.minimum(b, 1.0)
    for _ in range(max_iter):
        nxt = np.minimum(b + S @ x, 1.0)
        if np.max(np.abs(nxt - x), initial=0.0) <= tol:
            return nxt
        x = nxt
    log.warning("look-through ownership did not converge in %d iterations (cross-holdings close "
                "to 100%%); results are lower estimates", max_iter)
    return x


def effective_ownership(g: OwnershipGraph, entity: str, *, as_of: object = None,
                        max_iter: int = 10_000, tol: float = 1e-12) -> pd.DataFrame:
    """Look-through ownership of ``entity``: what every direct or indirect owner holds.

    Stakes are multiplied along each chain and summed over parallel chains; a
    cross-holding (cycle) adds the geometric series of its walks, which converges
    while the stakes around the cycle are below 100%.

    Parameters
    ----------
    g : OwnershipGraph
    entity : str
        The owned entity.
    as_of : date, optional
        Use the ``owns`` relations in force that day (default today).
    max_iter, tol : int, float
        Iteration limit and tolerance (fraction) for cycles.

    Returns
    -------
    DataFrame
        One row per owner with ``owner, name, kind, hops`` (shortest chain),
        ``direct_min, direct_max`` (its own direct stake, 0 when indirect only),
        ``share_min, share_max`` (effective stake in percent, upper bound capped at
        100), ``ultimate`` (True when it has no owner itself in the graph on that
        day) and ``chain`` (the single chain with the largest stake, as entity
        ids ``"owner > ... > entity"``; other chains may add to the total),
        sorted by ``share_max`` then ``share_min``, largest first.

    Raises
    ------
    NodeNotFound
        If ``entity`` is not in the graph.

    Examples
    --------
    >>> import pandas as pd, graphkit as gk
    >>> from graphkit.algorithms.ownership import effective_ownership
    >>> g = gk.OwnershipGraph.from_frames(
    ...     entities=pd.DataFrame({"id": ["p", "q", "h", "t"], "name": ["P", "Q", "Holding", "Target"],
    ...                            "kind": ["person", "person", "company", "company"]}),
    ...     relations=pd.DataFrame({"source": ["p", "q", "h", "p"], "target": ["h", "h", "t", "t"],
    ...                             "kind": ["owns"] * 4, "share": ["60", "40", "50", "10"]}))
    >>> effective_ownership(g, "t", as_of="2025-01-01")[["owner", "hops", "share_min", "share_max"]]
      owner  hops  share_min  share_max
    0     h     1       50.0       50.0
    1     p     1       40.0       40.0
    2     q     2       20.0       20.0

    See Also
    --------
    ultimate_owners : the owners at the top of the chains, above a threshold.
    graphkit.algorithms.restricted.restricted : the sanctions 50% rules (no multiplying).

    Notes
    -----
    This is "integrated ownership": the effective stake of ``o`` in ``t`` is the
    sum over all chains ``o -> ... -> t`` of the product of the stakes. It answers
    beneficial-ownership questions (e.g. the 25% threshold of anti-money-laundering
    rules), **not** whether a company is blocked or restricted under the OFAC 50
    Percent Rule, the BIS Affiliates Rule or the EU criterion: those count the
    whole stake of a blocked intermediary and never multiply (OFAC FAQ 401).
    """
    pos = g.index.position(g.check_ids([entity])[0])
    day = date_type.as_of_text(as_of)
    pairs = owns_pairs(g, day)
    return _effective(g, pairs, pos, max_iter, tol)


def _effective(g: OwnershipGraph, pairs: OwnsPairs, pos: int, max_iter: int, tol: float) -> pd.DataFrame:
    nodes, hops = _ancestors(pairs, pos)
    lo = _look_through(pairs, nodes, pos, pairs.lo, max_iter, tol) * 100.0
    hi = _look_through(pairs, nodes, pos, pairs.hi, max_iter, tol) * 100.0
    direct = pairs.dst == pos
    dmin = np.zeros(pairs.n)
    dmax = np.zeros(pairs.n)
    dmin[pairs.src[direct]] = pairs.lo[direct]
    dmax[pairs.src[direct]] = pairs.hi[direct]
    owned = np.zeros(pairs.n, dtype=bool)
    owned[pairs.dst] = True
    ents = g.entities
    ids = ents["id"].take(nodes).to_numpy(dtype=object)
    out = pd.DataFrame({
        "owner": ids,
        "name": ents["name"].take(nodes).to_numpy(dtype=object),
        "kind": ents["kind"].take(nodes).astype(str).to_numpy(dtype=object),
        "hops": hops.astype(int),
        "direct_min": dmin[nodes], "direct_max": dmax[nodes],
        "share_min": np.round(lo, 9), "share_max": np.round(np.minimum(hi, 100.0), 9),
        "ultimate": ~owned[nodes],
        "chain": _strongest_chains(g, pairs, nodes, pos),
    })
    return out.sort_values(["share_max", "share_min", "owner"], ascending=[False, False, True],
                           kind="stable").reset_index(drop=True)


def _strongest_chains(g: OwnershipGraph, pairs: OwnsPairs, nodes: np.ndarray, target: int) -> list[str]:
    """Per owner, the chain to ``target`` with the largest product of upper-bound shares,
    written as entity ids ``"owner > ... > target"``."""
    import networkx as nx

    inside = np.zeros(pairs.n, dtype=bool)
    inside[nodes] = True
    inside[target] = True
    m = inside[pairs.src] & inside[pairs.dst] & (pairs.hi > 0) & (pairs.src != target)
    G = nx.DiGraph()
    for a, b, h in zip(pairs.src[m].tolist(), pairs.dst[m].tolist(), pairs.hi[m].tolist()):
        G.add_edge(b, a, weight=-np.log(h / 100.0) + 0.0)  # walked from the target upwards
    if target not in G:
        return ["" for _ in nodes]
    _, found = nx.single_source_dijkstra(G, target)
    ids = g.entities["id"]
    out = []
    for o in nodes.tolist():
        path = found.get(o)
        out.append(" > ".join(str(ids.iat[p]) for p in reversed(path)) if path else "")
    return out


def ultimate_owners(g: OwnershipGraph, entity: str, threshold: float = 25, *, as_of: object = None,
                    max_iter: int = 10_000, tol: float = 1e-12) -> pd.DataFrame:
    """The owners at the top of the chains that hold ``threshold`` percent or more, looking through.

    Parameters
    ----------
    g : OwnershipGraph
    entity : str
        The owned entity.
    threshold : float
        Percent (default 25, the usual beneficial-ownership threshold).
    as_of : date, optional
        Use the ``owns`` relations in force that day (default today).

    Returns
    -------
    DataFrame
        The rows of :func:`effective_ownership` for owners that have no owner
        themselves in the graph on that day and whose effective ``share_max``
        reaches ``threshold``, with a ``status`` column: ``"yes"`` when
        ``share_min`` reaches it too, ``"possible"`` when only the upper bound
        does (shares known as ranges or not at all).

    Raises
    ------
    NodeNotFound
        If ``entity`` is not in the graph.
    ValueError
        If ``threshold`` is not between 0 and 100.

    Examples
    --------
    >>> import pandas as pd, graphkit as gk
    >>> from graphkit.algorithms.ownership import ultimate_owners
    >>> g = gk.OwnershipGraph.from_frames(
    ...     entities=pd.DataFrame({"id": ["p", "q", "h", "t"], "name": ["P", "Q", "Holding", "Target"],
    ...                            "kind": ["person", "person", "company", "company"]}),
    ...     relations=pd.DataFrame({"source": ["p", "q", "h", "p"], "target": ["h", "h", "t", "t"],
    ...                             "kind": ["owns"] * 4, "share": ["60", "40", "50", "10"]}))
    >>> ultimate_owners(g, "t", as_of="2025-01-01")[["owner", "share_min", "status"]]
      owner  share_min status
    0     p       40.0    yes

    Notes
    -----
    An owner at the top of the chains is only "ultimate" as far as the graph
    knows: a company with no recorded owner is reported, and its own owners
    should be looked for. This is a beneficial-ownership question, different from
    the sanctions 50% rules (see :func:`effective_ownership`).
    """
    if not 0 <= float(threshold) <= 100:
        raise ValueError("threshold must be a percentage between 0 and 100")
    eff = effective_ownership(g, entity, as_of=as_of, max_iter=max_iter, tol=tol)
    top = eff[eff["ultimate"] & (eff["share_max"] >= threshold - _EPS)].copy()
    top["status"] = np.where(top["share_min"] >= threshold - _EPS, "yes", "possible")
    return top.drop(columns="ultimate").reset_index(drop=True)
