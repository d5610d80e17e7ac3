"""Ownership rules (OFAC 50%, BIS Affiliates, EU owned-or-controlled) computed in Neo4j.

:func:`restricted_on_server` answers :func:`graphkit.restricted` for a graph stored in
Neo4j without pulling it: the rule's fixpoint runs on the server, in rounds of Cypher
statements (:mod:`graphkit.backends.cypher`, section "restriction rules").

0. *Parties*: the ``SAME_AS`` relations in force on the day between two legal entities
   of the same sort (two persons, or two that are not persons: a company is never one
   party with a person or an address) are read, and the records they join
   (transitively) are one party, as in :func:`graphkit.algorithms.ownership.same_parties`.
   The components are computed in Python and sent with every statement as two maps,
   record id -> party key (its smallest id) and party key -> record ids, for parties of
   two records or more (empty maps when no ``same_as`` is in force). Any other entity
   is a party of its own.
1. *Seed*: the parties with a listing in force on the day (on any of their records), on
   the lists (and programs) the rule covers, get two temporary labels, ``lo`` and ``hi``,
   on every record.
2. *Rounds*: from the records caught in the last round, the server follows ``OWNS``
   relations in force to parties not caught yet, adds up what every caught owner party
   holds through any of its records (lower bounds of the share ranges for ``lo``, upper
   bounds for ``hi``; all relations from one party to another are reports of one stake
   and count once, as in :func:`graphkit.algorithms.ownership.owns_pairs`; relations
   inside a party are ignored) and labels every record of the parties whose total meets
   the rule's threshold. Where control counts (``eu50``) what a caught party ``CONTROLS``
   is caught too. Rounds repeat until nothing changes.
3. *Totals*: one statement sums, per party, what owner parties caught for certain hold
   (lower bounds) and what owner parties possibly caught hold (upper bounds), and finds
   red flags; every record of a party gets the party's figures and flag.

The labels are named per run (``GkRun_<random>_lo0``), so concurrent runs never mix,
and removed at the end, also after an error (if the connection is lost before that,
they stay on the nodes; they are labels, not properties, so pulls and paths ignore them).

The ``confidence`` of each verdict (the weakest confidence level of the facts it needs)
is graded as :func:`graphkit.restricted` grades it: the seed and the fixpoints run again
with only confirmed facts, then only confirmed and reported ones (facts of other levels
are left out by a parameter of every statement). A record that these stronger facts
alone judge more severely than all facts do (a weaker report narrowing or contradicting a
stake, or a weak ``same_as`` join) is red-flagged, as in memory.

Which rule terms apply on the day (threshold, inclusive, aggregation, control,
suspension windows) and which lists and programs count are read from the rule in
Python; statuses are then set in Python from the sets the server computed, exactly as
:func:`graphkit.restricted` sets them (same parties, same stakes, same results).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
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

__all__ = ["COMPARED_COLUMNS", "program_pattern", "restricted_on_server", "same_parties"]

log = logging.getLogger(__name__)

#: Columns equal to :func:`graphkit.restricted`'s (``explanation`` is shorter on the server).
COMPARED_COLUMNS = ("id", "name", "status", "confidence", "share_min", "share_max", "red_flag", "rule", "as_of")
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


def same_parties(pairs: Iterable[tuple[str, str]]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The parties formed by ``same_as`` pairs of entity ids: records joined directly or
    through other records (connected components) are one party.

    Returns ``(party, members)``: ``party`` maps every record of a party of two or more
    records to the party's key (its smallest id), ``members`` maps each key to the
    party's record ids, sorted. Entities in no pair are parties of their own and appear
    in neither map; a pair of an id with itself joins nothing.

    >>> party, members = same_parties([("a2", "a"), ("c", "d"), ("b", "c"), ("x", "x")])
    >>> party["a2"], members["b"], "x" in party
    ('a', ['b', 'c', 'd'], False)
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    left, right = [], []
    for a, b in pairs:
        if a != b:
            left.append(a)
            right.append(b)
    if not left:
        return {}, {}
    codes, ids = pd.factorize(pd.Series(left + right, dtype=object), sort=True)
    n = len(ids)
    adj = coo_matrix((np.ones(len(left), dtype=np.int8), (codes[:len(left)], codes[len(left):])), shape=(n, n))
    _, comp = connected_components(adj.tocsr(), directed=False)
    members: dict[int, list[str]] = {}
    for i in np.argsort(comp, kind="stable").tolist():   # ids are sorted: each list comes out sorted
        members.setdefault(int(comp[i]), []).append(ids[i])
    keyed = {m[0]: m for m in members.values()}
    return {i: key for key, m in keyed.items() for i in m}, keyed


def _scopes(scopes: tuple[ListScope, ...]) -> list[dict[str, Any]]:
    return [{"list": s.list, "pattern": program_pattern(s.programs)} for s in scopes]


class _Run:
    """One fixpoint on the server for one aggregation group (its own pair of labels).

    ``parties`` holds the two maps of :func:`same_parties` (``party``, ``members``) and the
    confidence ``levels`` of the facts that count (None: all), sent with every statement;
    the sets of ids returned name every record of a caught party, and :meth:`totals` and
    :meth:`controlled` answer per party key.
    """

    def __init__(self, db: Neo4jBackend, token: str, group: int, terms: Terms, day: str,
                 parties: dict[str, Any]) -> None:
        self.db, self.day, self.terms, self.parties = db, day, terms, parties
        self.lo = f"GkRun_{token}_lo{group}"
        self.hi = f"GkRun_{token}_hi{group}"
        self.common = {"day": day, "eps": _EPS, "threshold": float(terms.threshold),
                       "inclusive": bool(terms.inclusive), "aggregate": bool(terms.aggregate), **parties}

    def seed(self, scopes: tuple[ListScope, ...]) -> set[str]:
        rows = self.db._write_read(cypher.RULE_SEED, scopes=_scopes(scopes), day=self.day,
                                   lo=self.lo, hi=self.hi, **self.parties)
        return set(rows[0]["ids"])

    def fixpoint(self, seeds: set[str], upper: bool) -> set[str]:
        label = self.hi if upper else self.lo
        caught = set(seeds)
        frontier = sorted(seeds)
        rounds = 0
        while frontier:
            rounds += 1
            new = set(self.db._write_read(cypher.RULE_ROUND_OWNS, frontier=frontier, caught=label,
                                          upper=upper, **self.common)[0]["ids"])
            if self.terms.control_counts:
                new |= set(self.db._write_read(cypher.RULE_ROUND_CONTROLS, frontier=frontier,
                                               caught=label, day=self.day, **self.parties)[0]["ids"])
            new -= caught
            caught |= new
            frontier = sorted(new)
        log.debug("fixpoint %s: %d caught in %d rounds", label, len(caught), rounds)
        return caught

    def totals(self, red_flag_min: float | None) -> list[list[Any]]:
        """Rows ``[party key, lo_sum, lo_max, hi_sum, hi_max, big_stake]``."""
        rows: list[list[Any]] = self.db._read(
            cypher.RULE_TOTALS, lo=self.lo, hi=self.hi, day=self.day, eps=_EPS,
            red_flag_min=_NEVER if red_flag_min is None else float(red_flag_min), **self.parties)[0]["rows"]
        return rows

    def controlled(self) -> set[str]:
        return set(self.db._read(cypher.RULE_CONTROLLED, lo=self.lo, day=self.day, **self.parties)[0]["ids"])

    def cleanup(self) -> None:
        for label in (self.lo, self.hi):
            self.db._autocommit(cypher.RULE_CLEANUP, label=label, batch=10_000)


@dataclass
class _Caught:
    """What one evaluation of a rule found (ids of records): listed, caught for certain
    (listed or restricted) and possibly caught (also unknown); with ``totals``, the share
    bounds per record and the red-flagged records."""

    listed: set[str] = field(default_factory=set)
    certain: set[str] = field(default_factory=set)
    possible: set[str] = field(default_factory=set)
    lo: dict[str, float] = field(default_factory=dict)
    hi: dict[str, float] = field(default_factory=dict)
    red: set[str] = field(default_factory=set)


def _evaluate(db: Neo4jBackend, rule: Rule, terms: Terms, day: str, levels: list[str] | None,
              totals: bool) -> _Caught:
    """Run the rule on the server: parties, then per aggregation group the seed and the two
    fixpoints (and with ``totals`` the share bounds and red flags). ``levels``: the
    confidence values of the facts that count (None: every fact)."""
    model = get_model()
    joined = db._read(cypher.RULE_SAME_AS, day=day, levels=levels,
                      legal=sorted(model.kinds_extending("legal_entity")),
                      persons=sorted(model.kinds_extending("person")))[0]["pairs"]
    party, members = same_parties((a, b) for a, b in joined)
    if members:
        log.debug("%d parties of several records (%d records) as of %s", len(members), len(party), day)
    groups: list[tuple[ListScope, ...]] = ([rule.lists] if rule.aggregate_across_lists
                                           else [(s,) for s in rule.lists])
    token = uuid.uuid4().hex[:12]
    shared = {"party": party, "members": members, "levels": levels}
    runs = [_Run(db, token, i, terms, day, shared) for i in range(len(groups))]
    out = _Caught()

    def records(key: str) -> list[str]:
        return members.get(key, [key])

    try:
        for run, scopes in zip(runs, groups):
            seeds = run.seed(scopes)
            out.listed |= seeds
            out.certain |= run.fixpoint(seeds, upper=False)
            out.possible |= run.fixpoint(seeds, upper=True)
            if not totals:
                continue
            agg = terms.aggregate
            for key, lo_sum, lo_max, hi_sum, hi_max, big in run.totals(rule.red_flag_min):
                lo_r, hi_r = float(lo_sum if agg else lo_max), float(hi_sum if agg else hi_max)
                for i in records(key):   # every record gets its party's figures
                    out.lo[i] = max(out.lo.get(i, 0.0), lo_r)
                    out.hi[i] = max(out.hi.get(i, 0.0), hi_r)
                    if big:
                        out.red.add(i)
            if not terms.control_counts:
                out.red.update(i for key in run.controlled() for i in records(key))
    finally:
        for run in runs:
            run.cleanup()
    return out


def _confidence(db: Neo4jBackend, rule: Rule, terms: Terms, day: str,
                found: _Caught) -> tuple[dict[str, str], set[str]]:
    """How well evidenced each verdict is, as :func:`graphkit.restricted` grades it: the
    strongest confidence level whose facts (and stronger ones) alone still give the
    verdict (a listing of the party for ``listed``; caught for certain for ``restricted``,
    possibly for ``unknown``). Also the records that the stronger facts alone would judge
    more severely (weaker facts make their verdict milder: red-flagged). The rule runs
    again on the server for each level but the weakest."""
    levels = list(get_model().confidence)
    out: dict[str, str] = {}
    want_listed = set(found.listed)
    want_certain = found.certain - found.listed
    want_possible = found.possible - found.certain
    milder: set[str] = set()
    for rank in range(len(levels) - 1):
        r = _evaluate(db, rule, terms, day, levels[:rank + 1], totals=False)
        for want, got in ((want_listed, r.listed), (want_certain, r.certain), (want_possible, r.possible)):
            hit = want & got
            out.update(dict.fromkeys(hit, levels[rank]))
            want -= hit
        milder |= (r.certain - found.certain) | (r.possible - found.possible)
    out.update(dict.fromkeys(want_listed | want_certain | want_possible, levels[-1]))
    return out, milder


def restricted_on_server(db: Neo4jBackend, rule: str | Rule = "ofac50", as_of: object = None) -> pd.DataFrame:
    """:func:`graphkit.restricted` for the graph stored behind ``db``, computed on the server.

    Returns the columns of :func:`graphkit.restricted` (``id, name, status, confidence,
    share_min, share_max, red_flag, rule, as_of, explanation``), one row per legal entity,
    sorted by id. Every column but ``explanation`` equals the in-memory result (``COMPARED_COLUMNS``);
    the explanation here is one sentence with the status and the share bounds, without
    the per-owner evidence (use :func:`graphkit.restricted` on a pulled neighbourhood
    for that).

    Records joined by ``same_as`` relations in force on the day (two legal entities of
    the same sort) are one party, as in :func:`graphkit.restricted`: a listing of one record lists them all, every stake
    held by or in any record is the party's, and every record gets the party's status,
    share bounds and red flag.

    Notes
    -----
    The parties travel as parameters with every statement of the run: with no
    ``same_as`` in force this costs nothing; measured on a local server, about 35 ms per
    statement when 24,000 records are in parties of two or more (a run on a 100,000-entity
    graph sends a few dozen statements).
    """
    rule = get_rule(rule)
    day = date_type.as_of_text(as_of)
    terms = rule.terms(day)
    model = get_model()
    found = _evaluate(db, rule, terms, day, None, totals=True)
    graded, milder = _confidence(db, rule, terms, day, found)
    listed, certain, possible = found.listed, found.certain, found.possible
    lo_tot, hi_tot, red = found.lo, found.hi, found.red
    ents = sorted(db._read(cypher.RULE_ENTITIES, kinds=sorted(model.kinds_extending("legal_entity")))[0]["rows"],
                  key=lambda r: r[0])
    ids = [r[0] for r in ents]
    names = [r[1] for r in ents]

    def word(i: str) -> str:
        return ("listed" if i in listed else "restricted" if i in certain
                else "unknown" if i in possible else "clear")

    would_be = [word(i) for i in ids]
    status = [("listed" if w == "listed" else "clear") if terms.suspended else w for w in would_be]
    flags = [(i in red or i in milder or (terms.suspended and w != "clear")) and s not in ("listed", "restricted")
             for i, w, s in zip(ids, would_be, status)]
    lo = [min(lo_tot.get(i, 0.0), 100.0) for i in ids]
    hi = [min(hi_tot.get(i, 0.0), 100.0) for i in ids]
    conf = [None if s == "clear" else graded.get(i) for i, s in zip(ids, status)]  # clear: no grade
    text = [_sentence(n, s, w, a, b, f, c, rule, terms, day)
            for n, s, w, a, b, f, c in zip(names, status, would_be, lo, hi, flags, conf)]
    # id and name as object arrays: pandas infers their dtype as it does for graphkit.restricted
    return pd.DataFrame({
        "id": np.array(ids, dtype=object), "name": np.array(names, dtype=object),
        "status": pd.Categorical(status, categories=list(STATUSES)),
        "confidence": pd.Categorical(conf, categories=list(model.confidence)),
        "share_min": pd.Series(lo, dtype=float), "share_max": pd.Series(hi, dtype=float),
        "red_flag": pd.Series(flags, dtype=bool), "rule": rule.name, "as_of": day,
        "explanation": pd.Series(text, dtype=object)})


def _sentence(name: object, status: str, would_be: str, lo: float, hi: float, flag: bool,
              confidence: str | None, rule: Rule, terms: Terms, day: str) -> str:
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
    if confidence is not None:
        text += f" Evidence: {confidence} (the weakest confidence level of the facts this verdict needs)."
    text += "".join(f" Caveat: {c}" for c in terms.caveats)
    return text + " (Computed on the Neo4j server; graphkit.restricted on the pulled graph cites the evidence.)"
