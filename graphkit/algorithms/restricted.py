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

The work is split in three modules: this one (the public function and the
``graphkit restricted`` command), :mod:`graphkit.algorithms.restricted_fixpoint`
(the facts in force on the day and the fixpoints that decide each status) and
:mod:`graphkit.algorithms.restricted_explain` (the result table, red flags and
the explanation of each row).
"""

from __future__ import annotations

import argparse
import logging
from typing import Any

import pandas as pd

# The engine and the explanations live in their own modules; their names stay
# importable from here, as they were before the split.
from graphkit.algorithms.restricted_explain import (  # noqa: F401
    _STEP_COLUMNS,
    _Explainer,
    _frame,
    _records,
    _red_flags,
)
from graphkit.algorithms.restricted_fixpoint import (  # noqa: F401
    _EPS,
    _TAG,
    STATUSES,
    _confidence,
    _Context,
    _evaluate,
    _fixpoint,
    _prepare,
    _program_tags,
    _Result,
    _scoped_listings,
)
from graphkit.graph import OwnershipGraph
from graphkit.io.tables import write_table
from graphkit.rules import Rule, get_rule
from graphkit.types import date as date_type

__all__ = ["STATUSES", "add_restricted_parser", "cli_restricted", "restricted", "write_table"]

log = logging.getLogger(__name__)

COLUMNS = ["id", "name", "status", "confidence", "share_min", "share_max", "red_flag", "rule", "as_of",
           "explanation"]


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
        ``id, name, status, confidence, share_min, share_max, red_flag, rule, as_of,
        explanation``. ``confidence`` says how well evidenced a ``listed``,
        ``restricted`` or ``unknown`` verdict is: ``confirmed`` when confirmed facts
        alone (listings, stakes, control, same_as joins) give it, ``reported`` when it
        needs at least one reported fact, ``suspected`` when it needs a suspected one;
        empty for ``clear`` rows. ``share_min`` / ``share_max`` are the aggregate stake (percent,
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
    >>> r[["id", "status", "confidence", "share_min", "share_max"]].head(2)
           id      status confidence  share_min  share_max
    0  parent      listed  confirmed        0.0        0.0
    1     sub  restricted  confirmed       60.0       60.0
    >>> print(r.loc[1, "explanation"])
    Sub Ltd is restricted under the BIS Affiliates Rule as of 2025-10-15: owners that are listed or themselves restricted hold 60% in aggregate (threshold: 50% or more).
      - Parent Group owns Sub Ltd (60%) [confirmed; source: example]; Parent Group is on the BIS Entity List since 2019-10-09 [...source: example]
    Evidence: confirmed: confirmed facts alone give this verdict.
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

    Records joined by ``same_as`` relations in force on the day describe one party
    (:func:`graphkit.algorithms.ownership.same_parties`): a listing of any record lists
    every record; stakes and control held by or in any record are the party's, and the
    stakes reported between two parties count once, as below; every record gets the
    party's row, and its explanation first names the ``same_as`` relations (with their
    sources) that join it.

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
    return _frame(g, ctx, res, rule, terms, day, explain, _confidence(g, rule, terms, day, ctx, res))


# -- command line helpers -------------------------------------------------------------------------
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

    from graphkit.cli import load_graph

    g = load_graph(args.files)
    table = restricted(g, rule=args.rule, as_of=args.as_of)
    out = table if getattr(args, "all", False) else table[(table["status"] != "clear") | table["red_flag"]]
    out = out.sort_values(["status", "name"], kind="stable")
    counts = table["status"].value_counts()
    rule = get_rule(args.rule)
    terms = rule.terms(table["as_of"].iloc[0] if len(table) else args.as_of)
    w = sys.stdout.write
    w(f"{rule.label} as of {table['as_of'].iloc[0] if len(table) else args.as_of}"
      f"{' (' + terms.window.what.upper() + ': ' + terms.window.describe() + ')' if terms.suspended and terms.window else ''}\n")
    for caveat in terms.caveats:
        w(f"  CAVEAT: {caveat}\n")
    for s in STATUSES:
        line = f"  {s}: {int(counts.get(s, 0))}"
        if s != "clear" and "confidence" in table:
            weak = table.loc[table["status"] == s, "confidence"].astype(object).value_counts()
            parts = [f"{int(weak[c])} rest on {c} facts" for c in ("reported", "suspected") if c in weak]
            line += f" ({'; '.join(parts)})" if parts else ""
        w(line + "\n")
    w(f"  red flags: {int(table['red_flag'].sum())}\n")
    day = table["as_of"].iloc[0] if len(table) else args.as_of
    # listed that day, but not a listed party for this rule (another list, or a program the rule
    # leaves out): say so, or "listed: 0" misleads
    other = g.active_listings(day)
    counted = set(table.loc[table["status"] == "listed", "id"].astype(str))
    other = other[~other["entity"].astype(str).isin(counted)]
    if len(other):
        per = other.groupby(other["list"].astype(str))["entity"].nunique().sort_values(ascending=False)
        w("  listed that day, but not on a list or program this rule starts from: "
          + ", ".join(f"{code} {n}" for code, n in per.items()) + "\n")
    if args.output:
        path = write_table(out, args.output)
        w(f"wrote {len(out)} rows to {path}\n")
    return 0
