"""Who is restricted, as of a date, and why? Ownership rules applied to the graph.

A rule (``graphkit/schema/rules/*.yaml``: ``ofac50``, ``bis-affiliates``, ``eu50``)
starts from the parties on the lists it covers and adds every entity that those
parties, or entities already caught, own in aggregate at or above its threshold
(and, for ``eu50``, every entity they control). Shares are ranges, so each entity
gets bounds: ``share_min`` is what owners that are certainly listed or restricted
hold at least, ``share_max`` what owners that are or may be listed or restricted
hold at most. An entity is

``listed``
    on a list the rule covers, in force on ``as_of``;
``restricted``
    caught by the rule for certain (``share_min`` reaches the threshold, or it is
    controlled by a listed or restricted party where control counts);
``unknown``
    caught only for some values within the published share ranges or if an
    owner whose own status is unknown is caught: the bounds straddle the
    threshold. Never reported as ``clear``;
``clear``
    not caught. Significant minority stakes (from the rule's ``red_flag_min``,
    25%, up to the threshold) and control ties by listed or restricted parties are
    flagged (``red_flag``) and explained.

This is the "50% rule" question a sanctions lawyer asks, not a beneficial-ownership
question: stakes are never multiplied along chains here. Once an entity is
restricted its whole stake in its subsidiaries counts, and a stake held by an
owner that is not restricted never counts, however large (OFAC FAQ 401). For
look-through ownership (multiplying along chains) see
:func:`graphkit.algorithms.ownership.effective_ownership` and
:func:`~graphkit.algorithms.ownership.ultimate_owners`.
"""

from __future__ import annotations

import argparse
import logging
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graphkit.algorithms.ownership import active_rows, owns_pairs, restated
from graphkit.algorithms.traverse import _ranges
from graphkit.explain import describe_listing, describe_step
from graphkit.graph import OwnershipGraph
from graphkit.model import get_model
from graphkit.rules import Rule, Terms, get_rule
from graphkit.types import date as date_type
from graphkit.types.share import format_range

__all__ = ["STATUSES", "add_restricted_parser", "cli_restricted", "restricted", "write_table"]

log = logging.getLogger(__name__)

STATUSES = ("listed", "restricted", "unknown", "clear")
COLUMNS = ["id", "name", "status", "share_min", "share_max", "red_flag", "rule", "as_of", "explanation"]
_EPS = 1e-9


# -- public function ----------------------------------------------------------------------
def restricted(g: OwnershipGraph, rule: str | Rule = "ofac50", as_of: object = None, *,
               explain: bool = True) -> pd.DataFrame:
    """Apply an ownership rule: who is listed, restricted, unknown or clear on ``as_of``.

    Parameters
    ----------
    g : OwnershipGraph
    rule : str or Rule
        ``"ofac50"`` (OFAC 50 Percent Rule, default), ``"bis-affiliates"`` (BIS
        Affiliates Rule), ``"eu50"`` (EU owned-or-controlled), or any rule declared
        in ``graphkit/schema/rules/`` (see :func:`graphkit.rules.rules`).
    as_of : date, optional
        Evaluate the graph as it stood that day: listings, ``owns`` and
        ``controls`` relations in force then, and the rule's terms then
        (threshold changes, suspensions). Default: today.
    explain : bool
        Write the ``explanation`` column (default True). False skips the text and
        is faster on very large graphs; statuses and bounds are the same.

    Returns
    -------
    DataFrame
        One row per legal entity (persons, companies, bodies, vessels, ...; not
        addresses or data centres), in the entity table's order, with columns
        ``id, name, status, share_min, share_max, red_flag, rule, as_of,
        explanation``. ``share_min`` / ``share_max`` are the aggregate stake (percent,
        capped at 100) held by owners that are certainly / possibly listed or
        restricted. ``explanation`` names each such owner, its stake, its listings
        or status, and the source of every fact; it is empty for ``clear`` rows
        without red flags.

    Raises
    ------
    graphkit.rules.RuleError
        If the rule is unknown.
    ValueError
        If ``as_of`` is not a full date.

    Examples
    --------
    >>> import graphkit as gk
    >>> from graphkit.algorithms.restricted import restricted
    >>> g = gk.example_graph()   # Parent Group (Entity List) owns 60% of Sub Ltd
    >>> r = restricted(g, rule="bis-affiliates", as_of="2025-10-15")
    >>> r[["id", "status", "share_min", "share_max"]].head(2)
           id      status  share_min  share_max
    0  parent      listed        0.0        0.0
    1     sub  restricted       60.0       60.0
    >>> print(r.loc[1, "explanation"])
    Sub Ltd is restricted under the BIS Affiliates Rule as of 2025-10-15: owners that are listed or themselves restricted hold 60% in aggregate (threshold: 50% or more).
      - Parent Group owns Sub Ltd (60%) [confirmed; source: example]; Parent Group is on the BIS Entity List since 2019-10-09 [...source: example]
    Rule: BIS, Expansion of End-User Controls To Cover Affiliates of Certain Listed Entities, ...
    >>> restricted(g, rule="bis-affiliates", as_of="2025-12-01").loc[1, "status"]
    'clear'

    Notes
    -----
    The rules implemented are declared as data; the defaults cite

    - OFAC, Revised Guidance on Entity Property and Interests in Property Blocked
      (13 Aug 2014) and FAQs 398-401: 50 percent or more, in aggregate across
      blocked persons and programs, ownership only (not control), direct or
      indirect through blocked entities.
    - BIS Affiliates Rule, 90 FR 47201 (effective 29 Sep 2025): 50 percent or more
      by Entity List, MEU List or certain SDN parties (not the Unverified List),
      suspended from 10 Nov 2025 to 9 Nov 2026.
    - EU Best Practices: owned (50% or more since 3 Jul 2024; more than 50% before)
      or controlled.

    Algorithm: two monotone worklist fixpoints over the ``owns`` relations in
    force (and ``controls`` where control counts). The first starts from the
    listed parties and adds an entity once the lower bounds of stakes held by
    entities already added reach the threshold; the second does the same with
    upper bounds and gives the entities that *may* be caught. Each entity enters
    each worklist at most once and each relation is read once per fixpoint, so
    the time is linear in the graph; cycles need no special care (an entity is
    only added when owners already added reach the threshold, so a cycle of
    unlisted companies never catches itself).

    Relations flagged ``indirect`` (a chain restated end to end, as BODS indirect
    interests and GLEIF ultimate parents are) are skipped: the chain itself counts.

    Several ``owns`` relations between the same owner and owned entity in force on
    the same day (the same stake reported by several sources) count once: when
    their ranges overlap, their intersection is used (every source is right);
    when they contradict each other, the envelope from the lowest minimum to the
    highest maximum is used and the explanation says the sources disagree.
    """
    rule = get_rule(rule)
    day = date_type.as_of_text(as_of)
    terms = rule.terms(day)
    ctx = _prepare(g, rule, terms, day)
    res = _evaluate(ctx, rule, terms)
    return _frame(g, ctx, res, rule, terms, day, explain)


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
    listings: pd.DataFrame            # listings in scope, in force


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


def _prepare(g: OwnershipGraph, rule: Rule, terms: Terms, day: str) -> _Context:
    idx = g.index
    n = idx.n
    listings = _scoped_listings(g, rule, day)
    pos = idx.positions(listings["entity"].to_numpy(dtype=object))
    listings = listings.assign(_pos=pos)
    groups_codes = range(len(rule.lists)) if not rule.aggregate_across_lists else [None]
    listed_groups = []
    for gi in groups_codes:
        m = np.zeros(n, dtype=bool)
        p = pos if gi is None else pos[listings["_group"].to_numpy() == gi]
        m[p[p >= 0]] = True
        listed_groups.append(m)
    listed = np.logical_or.reduce(listed_groups) if listed_groups else np.zeros(n, bool)

    # owns relations in force, deduplicated per (owner, owned) pair
    pairs = owns_pairs(g, day)
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(pairs.src, minlength=n), out=ptr[1:])

    # controls relations in force (used when control counts, and for red flags)
    c_rows = np.flatnonzero(idx.kind_mask("controls") & ~restated(g.relations))
    c_rows = c_rows[active_rows(g.relations, c_rows, day)]
    cs, cd = idx.src[c_rows].astype(np.int64), idx.dst[c_rows].astype(np.int64)
    corder = np.argsort(cs, kind="stable")
    cs, cd, c_rows = cs[corder], cd[corder], c_rows[corder]
    cptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(cs, minlength=n), out=cptr[1:])
    return _Context(n, listed_groups, listed, pairs.src, pairs.dst, pairs.lo, pairs.hi, pairs.conflict,
                    ptr, pairs.pair_start, pairs.raw, cs, cd, c_rows, cptr, listings)


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
    return _Result(status, np.minimum(lo_tot, 100.0), np.minimum(hi_tot, 100.0), certain, possible,
                   would_be)


# -- the table and its explanations ------------------------------------------------------------
def _frame(g: OwnershipGraph, ctx: _Context, res: _Result, rule: Rule, terms: Terms, day: str,
           explain: bool) -> pd.DataFrame:
    model = get_model()
    legal = g.entities["kind"].astype(str).isin(model.kinds_extending("legal_entity")).to_numpy(bool)
    red = _red_flags(ctx, res, rule, terms)
    text = np.full(ctx.n, "", dtype=object)
    if explain:
        _Explainer(g, ctx, res, rule, terms, day, red).fill(text)
    rows = np.flatnonzero(legal)
    codes = np.zeros(ctx.n, dtype=np.int8)
    for i, word in enumerate(STATUSES):
        codes[res.status == word] = i
    out = pd.DataFrame({
        "id": g.entities["id"].take(rows).to_numpy(),
        "name": g.entities["name"].take(rows).to_numpy(),
        "status": pd.Categorical.from_codes(codes[rows], categories=list(STATUSES)),
        "share_min": res.share_min[rows], "share_max": res.share_max[rows],
        "red_flag": red[rows], "rule": rule.name, "as_of": day,
        "explanation": pd.Series(text[rows], dtype=object),
    })
    return out


def _red_flags(ctx: _Context, res: _Result, rule: Rule, terms: Terms) -> np.ndarray:
    """Entities not caught for certain that a listed or restricted party holds a
    significant minority stake in, or controls when control does not count."""
    flag = np.zeros(ctx.n, dtype=bool)
    owner_bad = res.certain[ctx.src]
    if rule.red_flag_min is not None:
        m = owner_bad & (ctx.hi >= rule.red_flag_min - _EPS)
        flag[ctx.dst[m]] = True
    if not terms.control_counts:
        flag[ctx.cdst[res.certain[ctx.csrc]]] = True
    if terms.suspended:
        flag |= res.would_be != "clear"
    flag &= ~np.isin(res.status, ["listed", "restricted"])
    return flag


_STEP_COLUMNS = ("kind", "share_min", "share_max", "role", "item", "eccn", "quantity", "price", "start",
                 "end", "confidence", "illustrative", "source_ref")


def _records(rel: pd.DataFrame, rows: np.ndarray) -> dict[int, dict[str, Any]]:
    """Relation rows as plain dicts (None for missing), only the columns explanations use."""
    cols: dict[str, list[Any]] = {}
    for c in _STEP_COLUMNS:
        if c not in rel:
            continue
        col = rel[c].take(rows)
        values = np.array(col.astype(object), dtype=object)
        values[col.isna().to_numpy()] = None
        cols[c] = values.tolist()
    keys = list(cols)
    return {r: dict(zip(keys, vals)) for r, vals in zip(rows.tolist(), zip(*cols.values()))}


class _Explainer:
    """Builds the explanation of each row that needs one (not clear, or red-flagged)."""

    def __init__(self, g: OwnershipGraph, ctx: _Context, res: _Result, rule: Rule, terms: Terms,
                 day: str, red: np.ndarray) -> None:
        self.g, self.ctx, self.res, self.rule, self.terms, self.day, self.red = g, ctx, res, rule, terms, day, red
        self.names = g.entities["name"].astype(str).to_numpy(dtype=object)
        self.word = f"the {rule.label}"

    def fill(self, text: np.ndarray) -> None:
        ctx, res = self.ctx, self.res
        need = (res.would_be != "clear") | self.red
        # parties listed on lists this rule does not cover: say why they are clear
        other = self.g.active_listings(self.day)
        other = other[~other.index.isin(ctx.listings.index)]
        other_pos = self.g.index.positions(other["entity"].to_numpy(dtype=object))
        self.other_text: dict[int, list[str]] = {}
        for p, rec in zip(other_pos.tolist(), other.to_dict("records")):
            if p >= 0 and res.would_be[p] == "clear":
                self.other_text.setdefault(int(p), []).append(describe_listing(rec))
                need[p] = True
        if not need.any():
            return
        # owners (possibly) listed or restricted, grouped by the owned entity
        useful = res.possible[ctx.src] & need[ctx.dst]
        pairs = np.flatnonzero(useful)
        pairs = pairs[np.argsort(ctx.dst[pairs], kind="stable")]
        by_owned: dict[int, list[int]] = {}
        for j, d in zip(pairs.tolist(), ctx.dst[pairs].tolist()):
            by_owned.setdefault(d, []).append(j)
        cuse = np.flatnonzero(res.certain[ctx.csrc] & need[ctx.cdst])
        ctrl_by: dict[int, list[int]] = {}
        for j, d in zip(cuse.tolist(), ctx.cdst[cuse].tolist()):
            ctrl_by.setdefault(d, []).append(j)
        # listings of the listed parties that matter
        wanted = set(np.flatnonzero(need).tolist())
        wanted |= set(ctx.src[pairs].tolist()) | set(ctx.csrc[cuse].tolist())
        lst = ctx.listings[ctx.listings["_pos"].isin(list(wanted))]
        self.listing_text: dict[int, list[str]] = {}
        for p, rec in zip(lst["_pos"].tolist(), lst.to_dict("records")):
            self.listing_text.setdefault(int(p), []).append(describe_listing(rec))
        raw_needed = np.concatenate([ctx.raw[ctx.pair_start[j]:ctx.pair_start[j + 1]] for j in pairs.tolist()]
                                    + [ctx.crow[cuse], np.empty(0, dtype=np.int64)]).astype(np.int64)
        self._records = _records(self.g.relations, raw_needed)
        for e in np.flatnonzero(need).tolist():
            text[e] = self.one(e, by_owned.get(e, []), ctrl_by.get(e, []))

    # -- pieces -------------------------------------------------------------------------------
    def _owner_status(self, o: int) -> str:
        st = self.res.would_be[o]
        if st == "listed":
            found = self.listing_text.get(o, [])
            return f"{self.names[o]} is " + "; and ".join(found) if found else f"{self.names[o]} is listed"
        if st == "restricted":
            return f"{self.names[o]} is itself restricted through ownership (see its row)"
        return f"{self.names[o]}'s own status is unknown (see its row)"

    def _pair_lines(self, j: int, e: int) -> list[str]:
        ctx = self.ctx
        o = int(ctx.src[j])
        rows = ctx.raw[ctx.pair_start[j]:ctx.pair_start[j + 1]].tolist()
        steps = [describe_step(self._records[r], True, self.names[o], self.names[e]) for r in rows]
        line = "; ".join(steps)
        if len(rows) > 1:
            used = format_range(float(ctx.lo[j]), float(ctx.hi[j]))
            how = "contradict each other; counted as" if ctx.conflict[j] else "agree; counted once as"
            line += f" (the {len(rows)} sources {how} {used})"
        return [f"  - {line}; {self._owner_status(o)}"]

    def one(self, e: int, pairs: list[int], ctrl: list[int]) -> str:
        res, ctx, terms, rule = self.res, self.ctx, self.terms, self.rule
        name = self.names[e]
        held = format_range(float(res.share_min[e]), float(res.share_max[e]))
        if res.share_min[e] == 0 and res.share_max[e] == 0:
            held = "nothing"
        st = res.would_be[e]
        lines: list[str] = []
        on = f"as of {self.day}"
        if terms.suspended and st != "listed":
            w = terms.window
            lines.append(f"{name} is not restricted by ownership {on}: {self.word} is "
                         f"{w.describe() if w else 'not in force'}; only listed parties are restricted. "
                         f"Without that, it would be {st}.")
        if st == "listed":
            found = self.listing_text.get(e, [])
            lines.append(f"{name} is listed {on}: " + ("; ".join(found) if found else "on a list the rule covers") + ".")
            if pairs:
                lines.append(f"Listed or restricted owners also hold {held} of it:")
        elif st == "restricted" and not terms.suspended:
            how = (f"owners that are listed or themselves restricted hold {held} in aggregate "
                   f"(threshold: {terms.threshold_text})")
            if not terms.meets(float(res.share_min[e])) and terms.control_counts:
                how = "it is controlled by a listed or restricted party (control counts under this rule)"
            elif terms.control_counts and ctrl:
                how += "; it is also controlled by a listed or restricted party"
            lines.append(f"{name} is restricted under {self.word} {on}: {how}.")
        elif st == "unknown" and not terms.suspended:
            reasons = []
            if any(not res.certain[ctx.src[j]] for j in pairs):
                reasons.append("some owners' own status is unknown")
            if any(ctx.lo[j] < ctx.hi[j] for j in pairs):
                reasons.append("some stakes are known only as a range or not at all")
            lines.append(f"{name}: status unknown under {self.word} {on}: owners that are or may be "
                         f"listed or restricted hold between {res.share_min[e]:g}% and {res.share_max[e]:g}% "
                         f"in aggregate, and {terms.threshold_text} would make it restricted "
                         f"({'; '.join(reasons) or 'the bounds straddle the threshold'}). "
                         f"Establish the missing facts before relying on a 'clear'.")
        elif st == "clear":
            lines.append(f"{name} is not restricted under {self.word} {on}: listed or restricted owners "
                         f"hold {held} ({terms.threshold_text} needed).")
            for other in self.other_text.get(e, []):
                lines.append(f"  It is {other}; {self.word} does not draw on that listing.")
        if terms.suspended and st in ("restricted", "unknown"):
            lines.append(f"Owners that are or may be listed or restricted hold {held} "
                         f"(threshold when in force: {terms.threshold_text}):")
        for j in pairs:
            lines += self._pair_lines(j, e)
        for j in ctrl:
            o = int(ctx.csrc[j])
            step = describe_step(self._records[int(ctx.crow[j])], True, self.names[o], name)
            lines.append(f"  - {step}; {self._owner_status(o)}")
        if res.share_min[e] >= 100 - _EPS and res.share_min[e] > 0:
            total = self._raw_total(pairs)
            if total > 100 + _EPS:
                lines.append(f"  Note: the stakes reported add up to {total:g}%, more than 100%; "
                             "check the sources.")
        lines += self._flag_lines(e, pairs, ctrl)
        cite = rule.citation()
        if cite:
            lines.append(f"Rule: {cite}.")
        return "\n".join(lines)

    def _raw_total(self, pairs: list[int]) -> float:
        ctx = self.ctx
        return float(sum(ctx.lo[j] for j in pairs if self.res.certain[ctx.src[j]]))

    def _flag_lines(self, e: int, pairs: list[int], ctrl: list[int]) -> list[str]:
        if not self.red[e]:
            return []
        ctx, res, rule, terms = self.ctx, self.res, self.rule, self.terms
        out = []
        if rule.red_flag_min is not None:
            for j in pairs:
                o = int(ctx.src[j])
                if res.certain[o] and ctx.hi[j] >= rule.red_flag_min - _EPS and not terms.meets(float(ctx.lo[j])):
                    what = (f"a significant minority stake ({rule.red_flag_min:g}% or more, below the "
                            "threshold)" if ctx.lo[j] >= rule.red_flag_min - _EPS
                            else f"which may be a significant stake ({rule.red_flag_min:g}% or more)")
                    out.append(f"  RED FLAG: {self.names[o]} ({res.would_be[o]}) holds "
                               f"{format_range(float(ctx.lo[j]), float(ctx.hi[j]))}, {what}: "
                               "due diligence needed.")
        if not terms.control_counts:
            for j in ctrl:
                o = int(ctx.csrc[j])
                out.append(f"  RED FLAG: {self.names[o]} ({res.would_be[o]}) controls {self.names[e]}; "
                           f"control without ownership does not count under {self.word}, but calls for "
                           "caution (dealings through the controlling party may still be prohibited).")
        if terms.suspended and res.would_be[e] != "clear":
            out.append(f"  RED FLAG: majority or aggregate ownership by listed parties while {self.word} is "
                       "suspended.")
        return out


# -- command line helpers -------------------------------------------------------------------------
def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a result table to ``.csv`` or ``.xlsx`` (chosen by the file's extension)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            import openpyxl  # noqa: F401
        except ImportError:  # pragma: no cover
            raise ImportError("writing Excel needs openpyxl: pip install 'graphkit[excel]'") from None
        frame.to_excel(path, index=False)
    elif suffix in (".csv", ".txt", ""):
        frame.to_csv(path, index=False)
    else:
        raise ValueError(f"cannot write {path.name!r}: use a .csv or .xlsx file name")
    return path


def add_restricted_parser(sub: Any) -> argparse.ArgumentParser:
    """Add the ``restricted`` subcommand to an argparse ``add_subparsers()`` object."""
    from graphkit.rules import rules

    r = sub.add_parser("restricted", help="who is restricted under an ownership rule, and why",
                       description="Apply an ownership rule (OFAC 50% rule, BIS Affiliates Rule, EU "
                       "owned-or-controlled) as of a date: listed, restricted, unknown and clear "
                       "entities with share bounds and explanations citing their sources.")
    r.add_argument("files", nargs="+", metavar="FILE")
    r.add_argument("--rule", default="ofac50", choices=sorted(rules()),
                   help="rule to apply (default ofac50)")
    r.add_argument("--as-of", default=None, help="date YYYY-MM-DD (default today)")
    r.add_argument("-o", "--output", default=None,
                   help="write the table to this .csv or .xlsx file (default: print a summary only)")
    r.add_argument("--all", action="store_true",
                   help="include clear entities without red flags in the output file")
    r.set_defaults(func=cli_restricted)
    return r


def cli_restricted(args: argparse.Namespace) -> int:
    """``graphkit restricted``: run :func:`restricted`, print a summary, write the table.

    Rows are written listed first, then restricted, unknown and red-flagged clear
    entities (all clear entities with ``--all``). Returns the exit code (0).
    """
    import sys

    from graphkit.graph import merge
    from graphkit.io.detect import read_any

    graphs = [read_any(f) for f in args.files]
    g = graphs[0] if len(graphs) == 1 else merge(*graphs)
    table = restricted(g, rule=args.rule, as_of=args.as_of)
    out = table if getattr(args, "all", False) else table[(table["status"] != "clear") | table["red_flag"]]
    out = out.sort_values(["status", "name"], kind="stable")
    counts = table["status"].value_counts()
    rule = get_rule(args.rule)
    terms = rule.terms(table["as_of"].iloc[0] if len(table) else args.as_of)
    w = sys.stdout.write
    w(f"{rule.label} as of {table['as_of'].iloc[0] if len(table) else args.as_of}"
      f"{' (SUSPENDED: ' + terms.window.describe() + ')' if terms.suspended and terms.window else ''}\n")
    for s in STATUSES:
        w(f"  {s}: {int(counts.get(s, 0))}\n")
    w(f"  red flags: {int(table['red_flag'].sum())}\n")
    if args.output:
        path = write_table(out, args.output)
        w(f"wrote {len(out)} rows to {path}\n")
    return 0
