"""The engine behind :func:`graphkit.restricted`: the facts in force on the day and the fixpoints.

This module decides, for one rule and one day, which entities an ownership rule
catches and what share of each is held by owners that are listed or restricted.
It holds no public function; call :func:`graphkit.algorithms.restricted.restricted`.

- :func:`_prepare` gathers the facts in force on the day: the listings the rule
  draws on (by list and program), the ``owns`` relations deduplicated per
  (owner, owned) pair with their share bounds, and the ``controls`` relations, as
  integer arrays over the graph's index (:class:`_Context`).
- :func:`_evaluate` runs two worklist fixpoints per aggregation group, one over the
  lower bounds of the stakes (who is caught *for certain*) and one over the upper
  bounds (who *may* be caught), and turns them into the status of each entity
  (:class:`_Result`): ``listed``, ``restricted``, ``unknown`` or ``clear``, with
  the status the rule would give if it were not suspended.

The explanation text and the result table are built in
:mod:`graphkit.algorithms.restricted_explain`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from graphkit.algorithms.ownership import (
    active_rows,
    joining_rows,
    owns_pairs,
    restated,
    same_parties,
    stronger,
)
from graphkit.algorithms.traverse import _ranges
from graphkit.graph import OwnershipGraph
from graphkit.rules import Rule, Terms

__all__ = ["STATUSES"]

STATUSES = ("listed", "restricted", "unknown", "clear")
_EPS = 1e-9


# -- preparation: the facts in force on the day ------------------------------------------------
@dataclass
class _Context:
    n: int
    listed_groups: list[np.ndarray]   # one boolean mask per aggregation group
    listed: np.ndarray                # union of the groups
    src: np.ndarray                   # deduplicated owns pairs, sorted by (src, dst)
    dst: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    conflict: np.ndarray              # sources of the pair disagree
    ptr: np.ndarray                   # CSR over src
    pair_start: np.ndarray            # raw relation rows of pair j: raw[pair_start[j]:pair_start[j+1]]
    raw: np.ndarray
    csrc: np.ndarray                  # controls relations in force (raw rows ``crow``)
    cdst: np.ndarray
    crow: np.ndarray
    cptr: np.ndarray
    listings: pd.DataFrame            # listings in scope, in force (``_pos``: the record listed)
    party: np.ndarray | None = None   # each position's party (records joined by same_as), None: no same_as
    same_rows: np.ndarray | None = None  # the same_as relation rows in force that join them


_TAG = re.compile(r"[A-Z0-9][A-Z0-9-]*")


def _program_tags(value: object) -> frozenset[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return frozenset()
    return frozenset(_TAG.findall(str(value).upper()))


def _scoped_listings(g: OwnershipGraph, rule: Rule, day: str) -> pd.DataFrame:
    """Listings in force on ``day`` on the lists (and programs) the rule covers, with ``group``."""
    active = g.active_listings(day, rule.list_codes)
    parts = []
    for i, scope in enumerate(rule.lists):
        sel = active[active["list"] == scope.list]
        if scope.programs is not None and len(sel):
            wanted = set(scope.programs)
            prog = sel["program"] if "program" in sel else pd.Series(None, index=sel.index)
            tags = {v: bool(wanted & _program_tags(v)) for v in pd.unique(prog.astype(object))}
            sel = sel[prog.astype(object).map(tags).fillna(False).to_numpy(bool)]
        parts.append(sel.assign(_group=i))
    out = pd.concat(parts) if parts else active.assign(_group=0)
    return out[~out.index.duplicated()]


def _prepare(g: OwnershipGraph, rule: Rule, terms: Terms, day: str, upto: int | None = None) -> _Context:
    """The facts in force on ``day``. Records joined by ``same_as`` relations in force are
    one party (:func:`~graphkit.algorithms.ownership.same_parties`): every position is then
    replaced by its party's (the smallest position of the party) in the listed masks, the
    stakes and the control ties, and :func:`_evaluate` gives each record its party's result.
    With ``upto`` (a confidence rank, 0 = confirmed), only facts that strongly evidenced count
    (:func:`_confidence`)."""
    idx = g.index
    n = idx.n
    joins = joining_rows(g, day, upto)
    party = same_parties(g, day, rows=joins)
    listings = _scoped_listings(g, rule, day)
    if upto is not None:
        listings = listings[stronger(listings, np.arange(len(listings)), upto)]
    pos = idx.positions(listings["entity"].to_numpy(dtype=object))
    listings = listings.assign(_pos=pos)
    groups_codes = range(len(rule.lists)) if not rule.aggregate_across_lists else [None]
    listed_groups = []
    for gi in groups_codes:
        m = np.zeros(n, dtype=bool)
        p = pos if gi is None else pos[listings["_group"].to_numpy() == gi]
        p = p[p >= 0]
        m[p if party is None else party[p]] = True
        listed_groups.append(m)
    listed = np.logical_or.reduce(listed_groups) if listed_groups else np.zeros(n, bool)

    # owns relations in force, deduplicated per (owner, owned) pair: per pair of parties
    # when records are joined (not cached: the parties depend on the day's same_as relations)
    pairs = owns_pairs(g, day, party, upto)
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(pairs.src, minlength=n), out=ptr[1:])

    # controls relations in force (used when control counts, and for red flags)
    c_rows = np.flatnonzero(idx.kind_mask("controls") & ~restated(g.relations))
    c_rows = c_rows[active_rows(g.relations, c_rows, day)]
    c_rows = c_rows[stronger(g.relations, c_rows, upto)]
    cs, cd = idx.src[c_rows].astype(np.int64), idx.dst[c_rows].astype(np.int64)
    same_rows = None
    if party is not None:
        cs, cd = party[cs], party[cd]
        inside = cs == cd  # control of one record of a party by another: not a tie between parties
        cs, cd, c_rows = cs[~inside], cd[~inside], c_rows[~inside]
        same_rows = joins
    corder = np.argsort(cs, kind="stable")
    cs, cd, c_rows = cs[corder], cd[corder], c_rows[corder]
    cptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(cs, minlength=n), out=cptr[1:])
    return _Context(n, listed_groups, listed, pairs.src, pairs.dst, pairs.lo, pairs.hi, pairs.conflict,
                    ptr, pairs.pair_start, pairs.raw, cs, cd, c_rows, cptr, listings, party, same_rows)


# -- the fixpoints ----------------------------------------------------------------------------
def _fixpoint(ctx: _Context, seeds: np.ndarray, weight: np.ndarray, meets: Callable[[np.ndarray], np.ndarray],
              aggregate: bool, control: bool) -> tuple[np.ndarray, np.ndarray]:
    """Least fixpoint: entities caught starting from ``seeds``, and what caught owners hold.

    Worklist in rounds: each round reads the ``owns`` (and ``controls``) relations
    leaving the entities caught in the previous round, adds their weights to the
    owned entities' totals and catches those whose total now meets the threshold.
    An entity is caught once, so each relation is read once.
    """
    n = ctx.n
    caught = seeds.copy()
    total = np.zeros(n, dtype=float)
    frontier = np.flatnonzero(seeds)
    while len(frontier):
        at = _ranges(ctx.ptr, frontier)
        d, w = ctx.dst[at], weight[at]
        new: np.ndarray = np.empty(0, dtype=np.int64)
        if len(d):
            targets, inv = np.unique(d, return_inverse=True)
            if aggregate:
                total[targets] += np.bincount(inv, weights=w, minlength=len(targets))
            else:
                best = np.zeros(len(targets))
                np.maximum.at(best, inv, w)
                total[targets] = np.maximum(total[targets], best)
            new = targets[~caught[targets] & meets(total[targets])]
        if control:
            cd = ctx.cdst[_ranges(ctx.cptr, frontier)]
            if len(cd):
                new = np.union1d(new, cd[~caught[cd]])
        caught[new] = True
        frontier = new
    return caught, total


@dataclass
class _Result:
    status: np.ndarray        # object array of status words
    share_min: np.ndarray
    share_max: np.ndarray
    certain: np.ndarray       # listed or restricted (as computed, even if suspended)
    possible: np.ndarray      # listed, restricted or unknown (as computed)
    would_be: np.ndarray      # status the rule would give if it were not suspended


def _evaluate(ctx: _Context, rule: Rule, terms: Terms) -> _Result:
    def meets(x: np.ndarray) -> np.ndarray:
        t = terms.threshold
        return x >= t - _EPS if terms.inclusive else x > t + _EPS

    certain = np.zeros(ctx.n, dtype=bool)
    possible = np.zeros(ctx.n, dtype=bool)
    lo_tot = np.zeros(ctx.n)
    hi_tot = np.zeros(ctx.n)
    for seeds in ctx.listed_groups:
        c, lt = _fixpoint(ctx, seeds, ctx.lo, meets, terms.aggregate, terms.control_counts)
        p, ht = _fixpoint(ctx, seeds, ctx.hi, meets, terms.aggregate, terms.control_counts)
        certain |= c
        possible |= p
        lo_tot = np.maximum(lo_tot, lt)
        hi_tot = np.maximum(hi_tot, ht)
    status = np.full(ctx.n, "clear", dtype=object)
    status[possible] = "unknown"
    status[certain] = "restricted"
    status[ctx.listed] = "listed"
    would_be = status.copy()
    if terms.suspended:
        status = np.where(ctx.listed, "listed", "clear").astype(object)
    res = _Result(status, np.minimum(lo_tot, 100.0), np.minimum(hi_tot, 100.0), certain, possible, would_be)
    if ctx.party is not None:  # every record of a party gets the party's result
        res = _Result(*(getattr(res, f)[ctx.party] for f in
                        ("status", "share_min", "share_max", "certain", "possible", "would_be")))
    return res


@dataclass
class _Grades:
    """How well evidenced each verdict is (see :func:`_confidence`)."""

    confidence: np.ndarray   # level name per entity (None: no grade)
    stronger: np.ndarray     # level name where stronger facts alone give a *severer* verdict (None: none)
    stronger_word: np.ndarray  # that severer verdict ("listed", "restricted", "unknown")


def _levels_listed(ctx: _Context) -> np.ndarray:
    """The listed mask of a context, spread to every record of each party."""
    return ctx.listed if ctx.party is None else ctx.listed[ctx.party]


def _confidence(g: OwnershipGraph, rule: Rule, terms: Terms, day: str, ctx: _Context, res: _Result) -> _Grades:
    """How well evidenced each verdict is.

    ``confidence`` is the strongest confidence level (``confirmed``, ``reported``,
    ``suspected``) such that the facts of that level or stronger alone (listings, stakes,
    control ties, same_as joins) still give the verdict: a listing of the party for
    ``listed``, being caught for certain for ``restricted``, possibly for ``unknown``; None
    for ``clear`` (the caller blanks it).

    Fewer facts can also give a *severer* verdict: a weaker report of a stake can narrow
    its range or contradict a stronger one (the envelope is then used), and a weak
    ``same_as`` join can make two owners' reports one stake. ``stronger`` names the
    strongest level at which the facts of that level or stronger alone give a severer
    verdict (``stronger_word``), so that a ``clear`` or ``unknown`` resting on weaker facts
    is flagged, never silent.

    The fixpoints run again for each level but the weakest (two more runs).
    """
    from graphkit.model import get_model

    levels = list(get_model().confidence)
    n = len(res.certain)
    conf = np.full(n, None, dtype=object)
    stronger = np.full(n, None, dtype=object)
    word = np.full(n, None, dtype=object)
    seen = np.zeros(n, dtype=bool)  # a severer verdict found at a stronger level already
    listed = _levels_listed(ctx)
    severity = np.where(res.certain, 2, np.where(res.possible, 1, 0))
    want = {"listed": listed.copy(), "certain": res.certain & ~listed, "possible": res.possible & ~res.certain}
    for rank in range(len(levels) - 1):
        lctx = _prepare(g, rule, terms, day, upto=rank)
        r = _evaluate(lctx, rule, terms)
        l_listed = _levels_listed(lctx)
        for key, got in (("listed", l_listed), ("certain", r.certain), ("possible", r.possible)):
            hit = want[key] & got
            conf[hit] = levels[rank]
            want[key] &= ~hit
        sev = np.where(r.certain, 2, np.where(r.possible, 1, 0))
        severer = (sev > severity) & ~seen
        seen |= severer
        stronger[severer] = levels[rank]
        word[severer] = np.where(l_listed[severer], "listed", np.where(sev[severer] == 2, "restricted", "unknown"))
    for mask in want.values():
        conf[mask] = levels[-1]
    return _Grades(conf, stronger, word)
