"""Ownership rules (OFAC 50%, BIS Affiliates, EU owned-or-controlled) computed in Neo4j.

:func:`restricted_on_server` answers :func:`graphkit.restricted` for a graph stored in
Neo4j without pulling it: the rule's fixpoint runs on the server, in rounds of Cypher
statements (:mod:`graphkit.backends.cypher`, section "restriction rules").

1. *Seed*: the entities with a listing in force on the day, on the lists (and programs)
   the rule covers, get two temporary labels, ``lo`` and ``hi``.
2. *Rounds*: from the entities caught in the last round, the server follows ``OWNS``
   relations in force to entities not caught yet, adds up what every caught owner holds
   (lower bounds of the share ranges for ``lo``, upper bounds for ``hi``; several reports
   of one stake count once, as in :func:`graphkit.algorithms.ownership.owns_pairs`) and
   labels those whose total meets the rule's threshold. Where control counts (``eu50``)
   what a caught entity ``CONTROLS`` is caught too. Rounds repeat until nothing changes.
3. *Totals*: one statement sums, per entity, what owners caught for certain hold (lower
   bounds) and what owners possibly caught hold (upper bounds), and finds red flags.

The labels are named per run (``GkRun_<random>_lo0``), so concurrent runs never mix,
and removed at the end, also after an error (if the connection is lost before that,
they stay on the nodes; they are labels, not properties, so pulls and paths ignore them).

Which rule terms apply on the day (threshold, inclusive, aggregation, control,
suspension windows) and which lists and programs count are read from the rule in
Python; statuses are then set in Python from the sets the server computed, exactly as
:func:`graphkit.restricted` sets them.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from graphkit.algorithms.restricted import STATUSES
from graphkit.backends import cypher
from graphkit.model import get_model
from graphkit.rules import ListScope, Rule, Terms, get_rule
from graphkit.types import date as date_type
from graphkit.types.share import format_range

if TYPE_CHECKING:
    from graphkit.backends.neo4j import Neo4jBackend

__all__ = ["COMPARED_COLUMNS", "program_pattern", "restricted_on_server"]

log = logging.getLogger(__name__)

#: Columns equal to :func:`graphkit.restricted`'s (``explanation`` is shorter on the server).
COMPARED_COLUMNS = ("id", "name", "status", "share_min", "share_max", "red_flag", "rule", "as_of")
_EPS = 1e-9
_TAG = re.compile(r"^[A-Z0-9][A-Z0-9-]*$")
_NEVER = 1e300


def program_pattern(programs: tuple[str, ...] | None) -> str | None:
    """A Java regex matching an upper-cased program text that holds one of ``programs`` as a
    tag, the way :func:`graphkit.algorithms.restricted` splits programs into tags
    (runs of ``A-Z``, ``0-9`` and ``-`` that do not start with ``-``); None for every program.

    >>> import re
    >>> p = program_pattern(("SDGT", "RUSSIA-EO14024"))
    >>> [bool(re.fullmatch(p, t)) for t in ["SDGT", "IRAN] [SDGT", "X-SDGT", "RUSSIA-EO14024", "SDGTX"]]
    [True, True, False, True, False]
    """
    if programs is None:
        return None
    tags = sorted(t for t in programs if _TAG.match(t))
    if not tags:
        return "(?!)"   # matches nothing
    return "(?s)(.*[^A-Z0-9-])?-*(" + "|".join(tags) + ")([^A-Z0-9-].*)?"


def _scopes(scopes: tuple[ListScope, ...]) -> list[dict[str, Any]]:
    return [{"list": s.list, "pattern": program_pattern(s.programs)} for s in scopes]


class _Run:
    """One fixpoint on the server for one aggregation group (its own pair of labels)."""

    def __init__(self, db: Neo4jBackend, token: str, group: int, terms: Terms, day: str) -> None:
        self.db, self.day, self.terms = db, day, terms
        self.lo = f"GkRun_{token}_lo{group}"
        self.hi = f"GkRun_{token}_hi{group}"
        self.common = {"day": day, "eps": _EPS, "threshold": float(terms.threshold),
                       "inclusive": bool(terms.inclusive), "aggregate": bool(terms.aggregate)}

    def seed(self, scopes: tuple[ListScope, ...]) -> set[str]:
        rows = self.db._write_read(cypher.RULE_SEED, scopes=_scopes(scopes), day=self.day,
                                   lo=self.lo, hi=self.hi)
        return {r["id"] for r in rows}

    def fixpoint(self, seeds: set[str], upper: bool) -> set[str]:
        label = self.hi if upper else self.lo
        caught = set(seeds)
        frontier = sorted(seeds)
        rounds = 0
        while frontier:
            rounds += 1
            new = {r["id"] for r in self.db._write_read(cypher.RULE_ROUND_OWNS, frontier=frontier, caught=label,
                                                        upper=upper, **self.common)}
            if self.terms.control_counts:
                new |= {r["id"] for r in self.db._write_read(cypher.RULE_ROUND_CONTROLS, frontier=frontier,
                                                             caught=label, day=self.day)}
            new -= caught
            caught |= new
            frontier = sorted(new)
        log.debug("fixpoint %s: %d caught in %d rounds", label, len(caught), rounds)
        return caught

    def totals(self, red_flag_min: float | None) -> list[dict[str, Any]]:
        return self.db._read(cypher.RULE_TOTALS, lo=self.lo, hi=self.hi, day=self.day, eps=_EPS,
                             red_flag_min=_NEVER if red_flag_min is None else float(red_flag_min))

    def controlled(self) -> set[str]:
        return {r["id"] for r in self.db._read(cypher.RULE_CONTROLLED, lo=self.lo, day=self.day)}

    def cleanup(self) -> None:
        for label in (self.lo, self.hi):
            self.db._autocommit(cypher.RULE_CLEANUP, label=label, batch=10_000)


def restricted_on_server(db: Neo4jBackend, rule: str | Rule = "ofac50", as_of: object = None) -> pd.DataFrame:
    """:func:`graphkit.restricted` for the graph stored behind ``db``, computed on the server.

    Returns the columns of :func:`graphkit.restricted` (``id, name, status, share_min,
    share_max, red_flag, rule, as_of, explanation``), one row per legal entity, sorted by
    id. Every column but ``explanation`` equals the in-memory result (``COMPARED_COLUMNS``);
    the explanation here is one sentence with the status and the share bounds, without
    the per-owner evidence (use :func:`graphkit.restricted` on a pulled neighbourhood
    for that).
    """
    rule = get_rule(rule)
    day = date_type.as_of_text(as_of)
    terms = rule.terms(day)
    groups: list[tuple[ListScope, ...]] = ([rule.lists] if rule.aggregate_across_lists
                                           else [(s,) for s in rule.lists])
    token = uuid.uuid4().hex[:12]
    listed: set[str] = set()
    certain: set[str] = set()
    possible: set[str] = set()
    lo_tot: dict[str, float] = {}
    hi_tot: dict[str, float] = {}
    red: set[str] = set()
    runs = [_Run(db, token, i, terms, day) for i in range(len(groups))]
    try:
        for run, scopes in zip(runs, groups):
            seeds = run.seed(scopes)
            listed |= seeds
            certain |= run.fixpoint(seeds, upper=False)
            possible |= run.fixpoint(seeds, upper=True)
            agg = terms.aggregate
            for r in run.totals(rule.red_flag_min):
                i = r["id"]
                lo_tot[i] = max(lo_tot.get(i, 0.0), float(r["lo_sum"] if agg else r["lo_max"]))
                hi_tot[i] = max(hi_tot.get(i, 0.0), float(r["hi_sum"] if agg else r["hi_max"]))
                if r["big_stake"]:
                    red.add(i)
            if not terms.control_counts:
                red |= run.controlled()
    finally:
        for run in runs:
            run.cleanup()
    ents = db._read(cypher.RULE_ENTITIES, kinds=sorted(get_model().kinds_extending("legal_entity")))
    ids = [r["id"] for r in ents]

    def word(i: str) -> str:
        return ("listed" if i in listed else "restricted" if i in certain
                else "unknown" if i in possible else "clear")

    would_be = [word(i) for i in ids]
    status = [("listed" if w == "listed" else "clear") if terms.suspended else w for w in would_be]
    flags = [(i in red or (terms.suspended and w != "clear")) and s not in ("listed", "restricted")
             for i, w, s in zip(ids, would_be, status)]
    lo = [min(lo_tot.get(i, 0.0), 100.0) for i in ids]
    hi = [min(hi_tot.get(i, 0.0), 100.0) for i in ids]
    text = [_sentence(r.get("name"), s, w, a, b, f, rule, terms, day)
            for r, s, w, a, b, f in zip(ents, status, would_be, lo, hi, flags)]
    # id and name as object arrays: pandas infers their dtype as it does for graphkit.restricted
    return pd.DataFrame({
        "id": np.array(ids, dtype=object), "name": np.array([r.get("name") for r in ents], dtype=object),
        "status": pd.Categorical(status, categories=list(STATUSES)),
        "share_min": pd.Series(lo, dtype=float), "share_max": pd.Series(hi, dtype=float),
        "red_flag": pd.Series(flags, dtype=bool), "rule": rule.name, "as_of": day,
        "explanation": pd.Series(text, dtype=object)})


def _sentence(name: object, status: str, would_be: str, lo: float, hi: float, flag: bool, rule: Rule,
              terms: Terms, day: str) -> str:
    """A one-line explanation (the in-memory result cites every owner and source)."""
    if status == "clear" and not flag:
        return ""
    held = "nothing" if lo == 0 and hi == 0 else format_range(lo, hi)
    head = f"{name} is {status} under the {rule.label} as of {day}"
    if status == "listed":
        text = f"{head}: on a list the rule covers."
    else:
        text = (f"{head}: owners that are or may be listed or restricted hold {held} in aggregate "
                f"(threshold: {terms.threshold_text}).")
    if terms.suspended and would_be not in ("clear", "listed"):
        text += f" The rule is suspended on that day; without that it would be {would_be}."
    if flag:
        text += " RED FLAG: a listed or restricted party holds a significant stake or control."
    text += "".join(f" Caveat: {c}" for c in terms.caveats)
    return text + " (Computed on the Neo4j server; graphkit.restricted on the pulled graph cites the evidence.)"
