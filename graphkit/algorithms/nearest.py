"""Nearest target for every entity at once: one multi-source search on the integer index.

Screening asks the same question for many buyers: "which listed (or restricted)
party is nearest, and by which relations?". Instead of one search per buyer,
:func:`nearest_targets` runs a single breadth-first search that starts from all
targets together and walks the relations backwards (from a target to whoever could
reach it), as one compiled pass over the CSR arrays (:mod:`graphkit.algorithms._kernels`). Every entity ends up with its hop distance to the nearest target, that
target, and the first step of a best path towards it; a buyer's path is then read
off by following those steps.

Among paths of the same length the search keeps the best evidenced one: each step
costs its confidence penalty (:func:`graphkit.algorithms.paths.step_weight`), the
same ranking :func:`graphkit.paths` uses, so the path chosen here is the first path
``gk.paths`` would list (ties broken by the lower relation row).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from graphkit.algorithms import _kernels
from graphkit.explain import describe_entity, describe_listing
from graphkit.graph import OwnershipGraph
from graphkit.index import CompiledIndex
from graphkit.model import get_model
from graphkit.rules import Rule
from graphkit.types.share import format_range

__all__ = ["Nearest", "PathWriter", "TextColumn", "confidence_codes", "describe_steps", "nearest_targets", "walk"]


class TextColumn:
    """A text column (such as every entity's name) read only at the positions asked for.

    Turning a million names into Python strings takes longer than screening a
    customer list; this keeps the column as Arrow data and converts the few
    positions a result needs.

    >>> import pandas as pd
    >>> names = TextColumn(pd.Series(["Sub Ltd", "Parent Group", None], dtype="string"))
    >>> names[1], names[np.array([0, 2])].tolist()
    ('Parent Group', ['Sub Ltd', None])
    """

    def __init__(self, column: pd.Series) -> None:
        arr = pa.array(column, from_pandas=True)  # no copy when the column is Arrow-backed already
        self._arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr

    def __len__(self) -> int:
        return len(self._arr)

    def __getitem__(self, pos: Any) -> Any:
        if np.ndim(pos) == 0:
            return self._arr[int(pos)].as_py()
        taken = self._arr.take(pa.array(np.asarray(pos, dtype=np.int64)))
        return taken.to_numpy(zero_copy_only=False).astype(object, copy=False)


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
    step = np.rint(np.asarray(penalty, dtype=np.float64) * 1e6).astype(np.int32)
    # per adjacency slot: the cost of the step towards the slot's owner, -1 where not allowed
    out_step = np.where(np.asarray(bwd, dtype=bool), step, np.int32(-1))[index.out_rel]
    in_step = np.where(np.asarray(fwd, dtype=bool), step, np.int32(-1))[index.in_rel]
    _kernels.search(index.out_ptr, index.out_dst, out_step, index.out_rel, index.in_ptr, index.in_src, in_step,
                    index.in_rel, starts, avoid_arr, int(max_hops), dist, target, rel, nxt, forward, micro)
    return Nearest(dist.astype(np.int32), target, rel, nxt, forward, micro / 1e6)


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


class PathWriter:
    """Explains many paths found by :func:`nearest_targets` at once, as :meth:`Path.explain` does.

    Each distinct step is described once (a relation, walked one way, with its
    confidence and source); each path's text joins its steps under a headline and
    ends with the listings, or the rule's verdict, of the party it reaches.
    """

    def __init__(self, g: OwnershipGraph, status: np.ndarray, listed: np.ndarray, conf_rank: np.ndarray,
                 restricted: pd.DataFrame, rule: Rule, day: str, names: TextColumn | np.ndarray) -> None:
        self.g, self.status, self.listed, self.rule, self.day = g, status, listed, rule, day
        ents = g.entities
        self.names = names
        kind = ents["kind"]
        self.kinds = (np.asarray(kind.cat.categories.astype(object))[kind.cat.codes.to_numpy()]
                      if isinstance(kind.dtype, pd.CategoricalDtype) else kind.to_numpy(dtype=object))
        self.illustrative = (ents["illustrative"].fillna(False).astype(bool).to_numpy()
                             if "illustrative" in ents.columns else np.zeros(len(ents), dtype=bool))
        self.levels = list(get_model().confidence)
        self.conf_rank = conf_rank
        active = g.active_listings(day)
        self.listings = active.assign(_pos=g.index.positions(active["entity"]))
        self.restricted = restricted
        self._lists: dict[int, str] | None = None

    def lists_of(self, positions: np.ndarray) -> list[str | None]:
        """The list codes each entity is on as of the day (``"a; b"``), None when none."""
        if self._lists is None:
            pairs = self.listings[["_pos", "list"]].astype({"list": object}).drop_duplicates()
            pairs = pairs.sort_values(["_pos", "list"], kind="stable")
            joined: dict[int, list[str]] = {}
            for p, code in zip(pairs["_pos"].tolist(), pairs["list"].tolist()):
                joined.setdefault(p, []).append(str(code))
            self._lists = {p: "; ".join(c) for p, c in joined.items()}
        get = self._lists.get
        return [get(p) for p in np.asarray(positions).tolist()]

    def _end_lines(self, ends: np.ndarray) -> dict[int, list[str]]:
        lines: dict[int, list[str]] = {}
        ends = np.asarray(ends, dtype=np.int64)
        name_of = dict(zip(ends.tolist(), self.names[ends].tolist()))
        id_of = dict(zip(ends.tolist(), self.g.index.ids[ends].tolist()))
        sub = self.listings[self.listings["_pos"].isin(ends)]
        for rec in sub.to_dict("records"):
            p = int(rec["_pos"])
            lines.setdefault(p, []).append(f"  -> {name_of[p]} is {describe_listing(rec)}")
        todo = [e for e in ends.tolist() if e not in lines]
        if todo:
            expl = {}
            if "explanation" in self.restricted.columns:
                r = self.restricted[["id", "explanation"]]
                r = r[r["id"].isin([id_of[p] for p in todo])]
                expl = dict(zip(r["id"].astype(object), r["explanation"].astype(object)))
            for p in todo:
                text = expl.get(id_of[p])
                first = str(text).splitlines()[0] if isinstance(text, str) and text else (
                    f"{name_of[p]} is {self.status[p]} under {self.rule.label} as of {self.day} "
                    "(see graphkit.restricted for the owners, shares and sources)")
                lines[p] = [f"  -> {first}"]
        return lines

    def write(self, nodes: np.ndarray, rels: np.ndarray, fws: np.ndarray, *, progress: bool | None = None,
              explain: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Explanations, relation kinds (``"owns > front_for"``) and weakest confidence per path.

        Built column by column on object arrays (one pass per hop), not path by path.
        With ``explain=False`` the explanations are None (the rest is the same).
        """
        _, kinds_text, weakest = self._kinds_only(rels)
        if not explain:
            return _, kinds_text, weakest
        g = self.g
        idx = g.index
        k, width = rels.shape
        used = rels >= 0
        hops = used.sum(axis=1)
        safe = np.where(used, rels, 0)
        keys_m = safe * 2 + fws
        keys = np.unique(keys_m[used])
        urel, ufw = keys // 2, (keys % 2).astype(bool)
        frm = np.where(ufw, idx.src[urel], idx.dst[urel])
        to = np.where(ufw, idx.dst[urel], idx.src[urel])
        steps_u = np.asarray(describe_steps(g.relations, urel, ufw, self.names[frm], self.names[to]) + [""],
                             dtype=object)
        step_m = steps_u[np.where(used, np.searchsorted(keys, keys_m), len(keys))]
        starts, ends = nodes[:, 0], nodes[np.arange(k), hops]
        uniq = np.unique(np.concatenate([starts, ends]))
        labels = np.asarray([describe_entity(str(name), str(kind), bool(ill)) for name, kind, ill in
                             zip(self.names[uniq].tolist(), self.kinds[uniq].tolist(),
                                 self.illustrative[uniq].tolist())], dtype=object)
        start_lab = labels[np.searchsorted(uniq, starts)]
        end_lab = labels[np.searchsorted(uniq, ends)]
        steps_word = np.asarray([""] + [f" in {h} step{'s' if h != 1 else ''}" for h in range(1, width + 1)],
                                dtype=object)
        texts = np.empty(k, dtype=object)
        moving = hops > 0
        texts[moving] = (start_lab[moving] + " reaches " + end_lab[moving] + steps_word[hops[moving]]
                         + f" (as of {self.day}; weakest evidence: " + weakest[moving].astype(str) + "):")
        still = ~moving
        word = np.where(self.listed[starts[still]], "listed", self.status[starts[still]].astype(str))
        texts[still] = start_lab[still] + " is itself " + word.astype(object) + f" (as of {self.day}):"
        for h in range(width):
            m = hops > h
            if not m.any():
                break
            texts[m] = texts[m] + f"\n  {h + 1}. " + step_m[m, h]
        uends = np.unique(ends)
        lines = self._end_lines(uends)
        end_text = np.asarray(["".join("\n" + t for t in lines.get(int(e), [])) for e in uends], dtype=object)
        texts = texts + end_text[np.searchsorted(uends, ends)]
        return texts, kinds_text, weakest

    def _kinds_only(self, rels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        idx = self.g.index
        k, width = rels.shape
        used = rels >= 0
        hops = used.sum(axis=1)
        safe = np.where(used, rels, 0)
        ranks = np.where(used, self.conf_rank[safe], -1).max(axis=1) if width else np.full(k, -1)
        levels = np.asarray(self.levels + [None], dtype=object)
        weakest = levels[np.where((hops > 0) & (ranks >= 0), ranks, len(self.levels))]
        # one text per distinct sequence of kinds (a few hundred), then spread to the paths
        codes = np.where(used, idx.kind[safe].astype(np.int64) + 1, 0)
        base = len(idx.kind_names) + 1
        if width and base ** width < 2 ** 62:  # one integer per sequence: a fast 1-d unique
            key = codes @ (base ** np.arange(width, dtype=np.int64))
            _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
            uniq = codes[first]
        else:
            uniq, inverse = np.unique(codes, axis=0, return_inverse=True)
        names = ("",) + tuple(idx.kind_names)
        texts = np.asarray([" > ".join(names[c] for c in row if c) for row in uniq.tolist()] + [""], dtype=object)
        kinds_text = texts[inverse.reshape(-1)] if k else np.full(0, "", dtype=object)
        return np.full(k, None, dtype=object), kinds_text, weakest



_STEP_COLUMNS = ("kind", "share_min", "share_max", "role", "item", "eccn", "quantity", "price", "start", "end",
                 "confidence", "illustrative", "source_ref")


def _column(rel: pd.DataFrame, name: str, rows: np.ndarray) -> list[Any]:
    """Values of one relation column at ``rows``, missing values as None."""
    if name not in rel.columns:
        return [None] * len(rows)
    col = rel[name].iloc[rows]
    values = col.astype(object).to_numpy().copy()
    values[col.isna().to_numpy()] = None
    return values.tolist()


def describe_steps(rel: pd.DataFrame, rows: np.ndarray, forward: np.ndarray, from_names: Iterable[Any],
                   to_names: Iterable[Any]) -> list[str]:
    """:func:`graphkit.explain.describe_step` for many relation rows at once (the same text).

    Vectorised over the rows on object arrays; ``tests/algorithms/test_screen.py`` checks
    that every sentence equals the one ``describe_step`` writes.

    >>> import numpy as np, graphkit as gk
    >>> g = gk.example_graph()
    >>> describe_steps(g.relations, np.array([0]), np.array([False]), ["Sub Ltd"], ["Parent Group"])
    ['Sub Ltd is owned by Parent Group (60%) [confirmed; source: example]']
    """
    k = len(rows)
    if not k:
        return []
    kinds = get_model().relation_kinds
    c = {name: np.asarray(_column(rel, name, rows) + [None], dtype=object)[:k] for name in _STEP_COLUMNS}
    fw = np.asarray(forward, dtype=bool)
    kind = np.asarray([str(x) for x in c["kind"]], dtype=object)
    verbs = {kd: ((rk.verb, rk.inverse) if (rk := kinds.get(kd)) else (kd, kd)) for kd in set(kind.tolist())}
    verb = np.asarray([verbs[kd][0 if f else 1] for kd, f in zip(kind.tolist(), fw.tolist())], dtype=object)
    details = np.full(k, "", dtype=object)

    def add(mask: np.ndarray, text: np.ndarray) -> None:
        sep = np.where(details[mask] == "", "", "; ").astype(object)
        details[mask] = details[mask] + sep + text

    lo, hi = c["share_min"], c["share_max"]
    has = np.asarray([a is not None and b is not None for a, b in zip(lo.tolist(), hi.tolist())], dtype=bool)
    if has.any():
        ranges: dict[tuple[float, float], str] = {}
        texts = []
        for a, b in zip(lo[has].tolist(), hi[has].tolist()):
            key = (float(a), float(b))
            if key not in ranges:
                ranges[key] = format_range(*key)
            texts.append(ranges[key])
        add(has, np.asarray(texts, dtype=object))
    for name in ("role", "item", "eccn", "quantity", "price"):
        v = c[name]
        m = np.asarray([bool(x) for x in v.tolist()], dtype=bool)
        if m.any():
            text = np.asarray([str(x) for x in v[m].tolist()], dtype=object)
            add(m, ("ECCN " + text) if name == "eccn" else text)
    start = np.asarray([bool(x) for x in c["start"].tolist()], dtype=bool)
    end = np.asarray([bool(x) for x in c["end"].tolist()], dtype=bool)
    both = start & end
    if both.any():
        add(both, "from " + c["start"][both].astype(str).astype(object) + " to "
            + c["end"][both].astype(str).astype(object))
    if (start & ~end).any():
        add(start & ~end, "since " + c["start"][start & ~end].astype(str).astype(object))
    if (end & ~start).any():
        add(end & ~start, "until " + c["end"][end & ~start].astype(str).astype(object))
    detail = np.where(details == "", "", " (" + details + ")").astype(object)
    conf = np.asarray([str(x or "unrated") for x in c["confidence"].tolist()], dtype=object)
    illus = np.asarray([bool(x) for x in c["illustrative"].tolist()], dtype=bool)
    evidence = conf + np.where(illus, "; ILLUSTRATIVE", "").astype(object)
    src = c["source_ref"]
    given = np.asarray([bool(x) for x in src.tolist()], dtype=bool)
    evidence = evidence + np.where(given, "; source: " + src.astype(str).astype(object), "; no source given")
    a = np.asarray([str(x) for x in from_names], dtype=object)
    b = np.asarray([str(x) for x in to_names], dtype=object)
    out = a + " " + verb + " " + b + detail + " [" + evidence + "]"
    return [str(x) for x in out.tolist()]
