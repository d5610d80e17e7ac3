"""Which of these customers are exposed? Batch screening of a customer list.

:func:`screen` takes a customer (buyer) list as typed by sales staff, finds which
entity each row is, and reports for every row whether that entity is listed or
caught by an ownership rule, the nearest listed or restricted party it reaches,
the path with every step's evidence, and a documented risk score. One row comes
out for every row that went in, in the same order: rows that cannot be matched or
read are reported with the reason (and their file line), never dropped.

The search runs once for the whole list (:func:`graphkit.algorithms.nearest.search_slots`),
not once per customer, so 100,000 customers cost about one breadth-first search.
"""

from __future__ import annotations

import argparse
import logging
import re
import time
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from tqdm.auto import tqdm

from graphkit.algorithms.exposure import (
    COLUMNS,
    EVIDENCE_FACTOR,
    _candidates,
    result_frame,
    risk_score,
)
from graphkit.algorithms.nearest import search_slots, slot_steps
from graphkit.algorithms.ownership import joining_rows, party_any, same_parties
from graphkit.algorithms.paths import DEFAULT_AVOID, avoid_mask
from graphkit.algorithms.pathtext import CodedColumn, TextColumn
from graphkit.errors import GraphkitError
from graphkit.graph import OwnershipGraph
from graphkit.io.buyers import read_buyers
from graphkit.model import get_model
from graphkit.rules import get_rule
from graphkit.types import date as date_type

__all__ = ["COLUMNS", "EVIDENCE_FACTOR", "add_screen_parser", "cli_screen", "read_buyers", "risk_score",
           "screen"]

log = logging.getLogger(__name__)

# -- public function ----------------------------------------------------------------------------
def screen(g: OwnershipGraph, buyers: pd.DataFrame | pd.Series | list[str] | str | Path, as_of: object = None, *,
           rule: str = "ofac50", restricted: pd.DataFrame | None = None, max_hops: int = 6,
           kinds: Iterable[str] | None = None, avoid: Iterable[str] = DEFAULT_AVOID,
           index: Any = None, progress: bool | None = None, explain: bool = True) -> pd.DataFrame:
    """Screen a customer list: who each row is, and how exposed it is.

    Parameters
    ----------
    g : OwnershipGraph
    buyers : DataFrame, list of names or path
        One row per customer with a ``name`` column (as typed: any language, with
        or without legal form) and optionally ``country``, ``identifier``
        (registration number, LEI, ...) and ``id`` (an entity id already
        resolved: such rows skip name matching). A path to a ``.csv`` (UTF-8) or
        ``.xlsx`` file is read with its line numbers; a list of names is a
        ``name`` column.
    as_of : date, optional
        Evaluate listings, relations and the rule as of that day (default today).
    rule : str
        Ownership rule for the ``rule_status`` column (default ``"ofac50"``; see
        :func:`graphkit.restricted`).
    restricted : DataFrame, optional
        A frame from :func:`graphkit.restricted` for the same ``as_of`` and rule,
        to reuse instead of computing it again.
    max_hops : int
        Longest path looked for (default 6).
    kinds : iterable of str, optional
        Relation kinds a path may use (default all).
    avoid : iterable of str
        Roles or ids a path may not pass through (default chip vendors, see
        :func:`graphkit.paths`).
    index : NameIndex, optional
        A prebuilt name index from :mod:`graphkit.resolve`, to reuse.
    progress : bool, optional
        Show progress bars (None: only on a terminal).
    explain : bool
        Write the ``path`` column (default True). False leaves it empty and is
        faster on very long lists; every other column is the same.

    Returns
    -------
    DataFrame
        One row per input row, in order (``row`` is its 0-based position, ``line``
        its line in the file when read from one). ``match_status`` is
        ``matched``, ``ambiguous`` (several candidates; the best is screened and
        the risk reason says so), ``unmatched`` or ``invalid`` (empty name, bytes
        that are not UTF-8, a broken row: ``match_reason`` says what and where).
        ``lists``: lists the entity is on, as of the day (any list; for an
        ambiguous row, those of every tied candidate). ``rule_status``: the rule's
        verdict (``listed``, ``restricted``, ``unknown``, ``clear``; empty when
        not matched or not a legal entity): only the lists the rule starts from
        count, so a party on another list is ``clear`` here and named in ``lists``.
        ``rule_confidence``: how well evidenced that verdict is (the ``confidence`` of
        :func:`graphkit.restricted`: ``confirmed`` when confirmed facts alone give it).
        An ambiguous row is scored as its most exposed tied candidate (highest
        risk, then the most severe rule status). ``nearest_listed``: the nearest listed
        or restricted party (``nearest_status`` says which), ``hops`` steps away
        (0: the entity itself), by ``relation_kinds``; ``path`` explains every
        step with its confidence and source. ``risk`` and ``risk_reason``: see Notes.
        ``attrs["timings"]`` holds the seconds spent per stage; ``attrs["caveats"]``
        the rule's caveats for the day (such as a suspension that may have been
        extended), which the closing line of a path to a party the rule catches repeats.

    Raises
    ------
    GraphkitError
        If the buyers have neither a ``name`` nor an ``id`` column, or options are
        out of range. ReadError if a file cannot be read.

    Examples
    --------
    >>> import pandas as pd, graphkit as gk
    >>> from graphkit.algorithms.screen import screen
    >>> g = gk.example_graph()
    >>> buyers = pd.DataFrame({"id": ["buyer", "other", "nobody"]})
    >>> s = screen(g, buyers, as_of="2024-01-01", progress=False)
    >>> s[["id", "match_status", "nearest_listed", "hops", "risk"]]
          id match_status nearest_listed  hops  risk
    0  buyer      matched         parent     2    48
    1  other      matched         parent     4    20
    2   <NA>    unmatched           <NA>  <NA>  <NA>
    >>> print(s.loc[0, "path"])
    Buyer Trading Ltd (company) reaches Parent Group (company) in 2 steps (as of 2024-01-01; weakest evidence: reported):
      1. Buyer Trading Ltd is a front for Sub Ltd [reported; source: example]
      2. Sub Ltd is owned by Parent Group (60%) [confirmed; source: example]
      -> Parent Group is on the BIS Entity List since 2019-10-09 [confirmed; source: example]

    Notes
    -----
    **Risk score** (0-100, for matched and ambiguous rows; empty for unmatched
    and invalid rows, which need a manual check). The highest of:

    - 100 if the entity is listed on the day (any list);
    - 90 if the rule finds it restricted (owned 50% or more by listed or
      restricted parties, or controlled where the rule counts control);
    - 70 if the rule says ``unknown`` (the published share ranges straddle the
      threshold);
    - 50 for a ``clear`` entity with a rule red flag (a significant minority
      stake, or control, by listed or restricted parties);
    - for a path to the nearest listed or restricted party of ``h`` steps:
      ``80 x 0.75^(h-1) x e`` where ``e`` is 1.0, 0.8 or 0.6 when the weakest
      evidence on the path is ``confirmed``, ``reported`` or ``suspected``
      (1 step: 80/64/48; 2: 60/48/36; 3: 45/36/27; 6: 19/15/11). The weakest
      evidence counts every step and the listing of the party reached (its best
      evidenced one): a confirmed chain to a party whose listing is only
      reported is reported;
    - 0 otherwise (nothing within ``max_hops``).

    Rounded to the nearest integer; ``risk_reason`` names the term that won, and
    then any listing of the entity that is not in force on the day: delisted before
    it ("was on the DoD Section 1260H ... List until 2025-01-07") or listed only
    after it ("on the ... from 2026-06-08, after 2025-10-15"). Those do not change
    the score, but a delisted supplier is still worth a look. A row matched to one
    entity whose runner-up, also above the match threshold, is listed or restricted
    says so ("a close candidate above the match threshold, X, is on ...: check
    whether it is the same party"): the same company read from two lists often
    scores just below its twin. An ``ambiguous`` match is scored on its best candidate and its reason starts
    with ``AMBIGUOUS MATCH``: check the candidates before relying on it. The score
    ranks customers for review; it is not a legal finding: the path and the rule's
    explanation (:func:`graphkit.restricted`) are the evidence.

    **Paths.** One breadth-first search starts from every listed or restricted
    entity at once and walks the relations in force backwards
    (:mod:`graphkit.algorithms.nearest`); each customer's path is the shortest
    one, and among equally short ones the best evidenced, as :func:`graphkit.paths`
    ranks them. A path ends at the first listed or restricted party it meets and
    never passes through avoided hubs.
    """
    model = get_model()
    if max_hops < 1:
        raise GraphkitError("max_hops must be at least 1")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else list(kinds)
        for kind in kinds:
            model.relation(kind)
    day = date_type.as_of_text(as_of)
    rule_obj = get_rule(rule)
    clock = _Clock(progress, stages=6 + explain + (restricted is None))
    frame = read_buyers(buyers)
    names = TextColumn(g.entities["name"])
    matched, where = _resolve(g, frame, names, index=index, progress=progress)
    # records joined by same_as relations in force are one party: a listing of one lists them all
    joins = joining_rows(g, day)
    party = same_parties(g, day, rows=joins)
    _one_party_ties(g, matched, where, party, names)
    clock("read and match")
    if restricted is None:
        restricted = _restricted(g, rule_obj.name, day)
        clock("restriction engine")
    idx = g.index
    status, red, caught, rule_rows = _rule_arrays(g, restricted)
    listed = party_any(g.listed_mask(day), party)
    targets = listed | caught
    traverse = {n: rk.traverse for n, rk in model.relation_kinds.items()}
    out_step, in_step, rank = slot_steps(g, day, traverse, kinds)
    avoided = avoid_mask(g, avoid)
    clock("masks (as of, directions, targets, avoid)")
    res = search_slots(idx, targets, out_step, in_step, max_hops, avoid=avoided)
    clock("multi-source search")
    out = result_frame(g, frame, matched, where, res, status, red, listed, rank, names, restricted, rule_obj, day, max_hops,
                       explain, clock, rule_rows, party=party, joins=joins)
    if "line" not in frame.columns or frame["line"].isna().all():
        out = out.drop(columns=["line"])
    out.attrs["timings"] = clock.stages
    out.attrs["caveats"] = list(rule_obj.terms(day).caveats)
    clock.close()
    return out


class _Clock:
    """Seconds per stage, kept in the result's ``attrs["timings"]``, and a progress bar over the stages."""

    def __init__(self, progress: bool | None, stages: int) -> None:
        self.stages: dict[str, float] = {}
        self._t = time.perf_counter()
        self._bar = tqdm(total=stages, desc="screening", unit="stage",
                         disable=None if progress is None else not progress)

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages[stage] = self.stages.get(stage, 0.0) + now - self._t
        log.debug("screen: %s %.2f s", stage, now - self._t)
        self._t = now
        self._bar.set_postfix_str(stage, refresh=False)
        self._bar.update(1)

    def close(self) -> None:
        self._bar.close()


# -- reading the customer list ------------------------------------------------------------------
# -- matching -----------------------------------------------------------------------------------
def _resolve(g: OwnershipGraph, frame: pd.DataFrame, names: TextColumn, *, index: Any,
             progress: bool | None) -> tuple[pd.DataFrame, np.ndarray]:
    """Columns match_status, id, matched_name, score, match_reason, one row per buyer, and
    the matched entity's position per buyer (-1 when not matched to one entity)."""
    n = len(frame)
    where = np.full(n, -1, dtype=np.int64)
    cols = {c: np.full(n, None, dtype=object)
            for c in ("match_status", "id", "matched_name", "match_reason", "candidates")}
    score = np.full(n, np.nan)
    invalid = frame["invalid"].notna().to_numpy()
    cols["match_status"][invalid] = "invalid"
    cols["match_reason"][invalid] = frame["invalid"].to_numpy(dtype=object)[invalid]
    has_id = ~invalid & frame["id"].notna().to_numpy()
    if has_id.any():
        rows = np.flatnonzero(has_id)
        ids = frame["id"].to_numpy(dtype=object)[rows]
        pos = g.index.positions(ids.tolist())
        found = pos >= 0
        hit, miss = rows[found], rows[~found]
        cols["match_status"][hit] = "matched"
        where[hit] = pos[found]
        cols["id"][hit] = ids[found]
        cols["matched_name"][hit] = names[pos[found]]
        score[hit] = 1.0
        cols["match_reason"][hit] = "id given"
        cols["match_status"][miss] = "unmatched"
        cols["match_reason"][miss] = [f"id {eid!r} is not in the graph" for eid in ids[~found]]
    by_name = ~invalid & ~has_id
    if by_name.any():
        sub = frame.loc[by_name, ["name", "country", "identifier"]].reset_index(drop=True)
        sub["name"] = sub["name"].fillna("")
        m = _match(g, sub, index=index, progress=progress)
        rows = np.flatnonzero(by_name)
        for c in cols:
            cols[c][rows] = m[c].to_numpy(dtype=object)
        score[rows] = m["score"].to_numpy(dtype=float, na_value=np.nan)
        got = rows[pd.notna(m["id"]).to_numpy(dtype=bool)]
        if len(got):
            where[got] = g.index.positions(cols["id"][got].tolist())
    out = pd.DataFrame({**{c: pd.Series(v, dtype=object) for c, v in cols.items()}, "score": score},
                       columns=["match_status", "id", "matched_name", "score", "match_reason", "candidates"])
    return out, where


def _one_party_ties(g: OwnershipGraph, matched: pd.DataFrame, where: np.ndarray, party: np.ndarray | None,
                    names: TextColumn) -> None:
    """An ambiguous row whose candidates are all records of one party (joined by ``same_as``)
    is matched to that party: its first record in the graph's order when it is a candidate,
    else the first candidate, with the reason saying so (in place)."""
    if party is None:
        return
    status = matched["match_status"].to_numpy(dtype=object)
    cands = matched["candidates"].to_numpy(dtype=object)
    for r in np.flatnonzero(status == "ambiguous").tolist():
        tied = [c for c, _ in _candidates(cands[r])]
        pos = g.index.positions(tied)
        if len(pos) < 2 or (pos < 0).any() or len(set(party[pos].tolist())) != 1:
            continue
        first = int(party[pos[0]])  # the party's first record when it is among them (graph order)
        pick = int(np.flatnonzero(pos == first)[0]) if (pos == first).any() else 0
        where[r] = pos[pick]
        matched.loc[r, ["match_status", "id", "matched_name"]] = ["matched", tied[pick], names[int(pos[pick])]]
        matched.loc[r, "match_reason"] = (f"{matched.loc[r, 'match_reason']}; the tied candidates are records of "
                                          f"one party (joined by same_as): {', '.join(tied)}")


def _match(g: OwnershipGraph, names: pd.DataFrame, *, index: Any, progress: bool | None) -> pd.DataFrame:
    """Resolve names with :mod:`graphkit.resolve` when installed, else exact names and aliases."""
    try:
        from graphkit.resolve import match  # lazy: the resolver is heavier than screening
    except ImportError:
        log.info("graphkit.resolve is not available: matching exact names, aliases and identifiers only")
        return _exact_match(g, names)
    m = match(names, g, index=index, progress=progress)
    def values(col: str) -> np.ndarray:
        return m[col].to_numpy(dtype=object, na_value=None) if col in m.columns else np.full(len(m), None)

    return pd.DataFrame({"match_status": values("status"), "id": values("id"), "matched_name": values("name"),
                         "score": m["score"].to_numpy(dtype=float, na_value=np.nan),
                         "match_reason": values("reason"), "candidates": values("candidates")})


def _norm(text: object) -> str:
    t = unicodedata.normalize("NFKC", str(text)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", t).split())


def _exact_match(g: OwnershipGraph, names: pd.DataFrame) -> pd.DataFrame:
    """Fallback matcher: normalised exact name / alias, or an identifier value."""
    ents = g.entities
    ids = ents["id"].astype(object).tolist()
    lookup: dict[str, set[str]] = {}
    idents: dict[str, set[str]] = {}
    for eid, name, aliases, identifiers in zip(ids, ents["name"], ents["aliases"], ents["identifiers"]):
        for text in [name, *(aliases or [])]:
            lookup.setdefault(_norm(text), set()).add(eid)
        for ident in identifiers or []:
            value = str(ident).split(":", 1)[-1]
            idents.setdefault(_norm(value), set()).add(eid)
    name_of = dict(zip(ids, ents["name"].astype(object)))
    rows: list[tuple[Any, ...]] = []
    for name, ident in zip(names["name"], names["identifier"]):
        hit = idents.get(_norm(ident), set()) if ident else set()
        how = f"identifier {ident}"
        if not hit and name:
            hit, how = lookup.get(_norm(name), set()), "exact name or alias"
        if len(hit) == 1:
            eid = next(iter(hit))
            rows.append(("matched", eid, name_of[eid], 1.0, how, None))
        elif hit:
            rows.append(("ambiguous", None, None, 1.0, f"{how} of {len(hit)} entities",
                         "; ".join(f"{e} (1.00)" for e in sorted(hit))))
        else:
            rows.append(("unmatched", None, None, np.nan, "no entity with this exact name, alias or identifier",
                         None))
    return pd.DataFrame(rows, columns=["match_status", "id", "matched_name", "score", "match_reason",
                                       "candidates"], dtype=object)


# -- traversal inputs ---------------------------------------------------------------------------
def _restricted(g: OwnershipGraph, rule: str, day: str) -> pd.DataFrame:
    from graphkit.algorithms.restricted import restricted

    return restricted(g, rule=rule, as_of=day, explain=True)


def _rule_arrays(g: OwnershipGraph,
                 restricted: pd.DataFrame) -> tuple[CodedColumn, np.ndarray, np.ndarray, np.ndarray]:
    """Per entity position: the rule's status (None for entities the rule does not rate),
    its red flag, whether the status is ``restricted``, and its row in ``restricted`` (-1: none)."""
    idx = g.index
    red = np.zeros(idx.n, dtype=bool)
    caught = np.zeros(idx.n, dtype=bool)
    pos = _frame_positions(g, restricted["id"])
    ok = pos >= 0
    col = restricted["status"]
    if isinstance(col.dtype, pd.CategoricalDtype):  # as graphkit.restricted returns it: no text copies
        values, codes = col.cat.categories.tolist(), col.cat.codes.to_numpy()
    else:
        codes, uniq = pd.factorize(col, use_na_sentinel=True)
        values = list(uniq)
    by_pos = np.full(idx.n, -1, dtype=np.int32)
    by_pos[pos[ok]] = np.asarray(codes)[ok]
    rows = np.full(idx.n, -1, dtype=np.int64)
    rows[pos[ok]] = np.flatnonzero(ok)
    if "restricted" in values:
        caught[pos[ok]] = np.asarray(codes)[ok] == values.index("restricted")
    if "red_flag" in restricted.columns:
        red[pos[ok]] = restricted["red_flag"].fillna(False).to_numpy(dtype=bool)[ok]
    return CodedColumn(by_pos, values), red, caught, rows


def _frame_positions(g: OwnershipGraph, ids: pd.Series) -> np.ndarray:
    """Positions of ``ids``; fast when they are the graph's legal entities in table order,
    as :func:`graphkit.restricted` returns them (checked on the Arrow arrays, without
    Python strings)."""
    kinds = g.entities["kind"]
    legal = get_model().kinds_extending("legal_entity")
    rows = np.flatnonzero(kinds.isin(list(legal)).to_numpy())
    if len(rows) == len(ids):
        try:
            mine = pa.array(g.entities["id"], from_pandas=True).take(pa.array(rows))
            theirs = pa.array(ids, from_pandas=True)
            if mine.type != theirs.type:
                theirs = theirs.cast(mine.type)
            if bool(pc.all(pc.equal(mine, theirs)).as_py()) and mine.null_count == 0:
                return rows.astype(np.int64)
        except (pa.ArrowException, TypeError, ValueError):  # ids that are not text: look them up
            pass
    return g.index.positions(ids)


# -- command line -------------------------------------------------------------------------------
def add_screen_parser(sub: Any) -> argparse.ArgumentParser:
    """Add the ``screen`` subcommand to an argparse ``add_subparsers()`` object."""
    from graphkit.rules import rules

    s = sub.add_parser("screen", help="screen a customer list: who each row is, how exposed it is",
                       description="Match each customer (name as typed, optional country, identifier "
                       "or entity id) to an entity and report its lists, its status under an ownership "
                       "rule, the nearest listed or restricted party with the path and its evidence, "
                       "and a risk score (0-100). Every input row gives one output row.")
    s.add_argument("buyers", metavar="BUYERS", help="customer list, .csv (UTF-8) or .xlsx")
    s.add_argument("--graph", nargs="+", required=True, metavar="FILE",
                   help="graph files or folders (as for 'graphkit info')")
    s.add_argument("--as-of", default=None, help="date YYYY-MM-DD (default today)")
    s.add_argument("--rule", default="ofac50", choices=sorted(rules()), help="ownership rule (default ofac50)")
    s.add_argument("--max-hops", type=int, default=6, help="longest path (default 6)")
    s.add_argument("-o", "--output", default=None, help="write the table to this .csv or .xlsx file")
    s.set_defaults(func=cli_screen)
    return s


def cli_screen(args: argparse.Namespace) -> int:
    """``graphkit screen``: run :func:`screen`, print a summary, write the table.

    Returns the exit code: 0 (bad input raises GraphkitError, which the command
    line turns into exit code 2 with a one-line message).
    """
    import sys

    from graphkit.cli import load_graph
    from graphkit.io.tables import write_table

    if args.output and Path(args.output).suffix.lower() not in (".csv", ".txt", ".xlsx", ".xlsm"):
        raise GraphkitError(f"cannot write {args.output!r}: use a .csv or .xlsx file name")
    g = load_graph(args.graph)
    table = screen(g, args.buyers, as_of=args.as_of, rule=args.rule, max_hops=args.max_hops)
    w = sys.stdout.write
    counts = table["match_status"].value_counts()
    w(f"screened {len(table)} rows as of {table['as_of'].iloc[0] if len(table) else args.as_of} "
      f"({get_rule(args.rule).label})\n")
    for caveat in table.attrs.get("caveats", []):
        w(f"  CAVEAT: {caveat}\n")
    for s in ("matched", "ambiguous", "unmatched", "invalid"):
        w(f"  {s}: {int(counts.get(s, 0))}\n")
    risk = table["risk"]
    w(f"  on a list on that day (any list): {int(table['lists'].notna().sum())}; under the rule: listed "
      f"{int((table['rule_status'] == 'listed').sum())}, restricted {int((table['rule_status'] == 'restricted').sum())}; "
      f"risk >= 50: {int((risk >= 50).sum())}\n")
    for reason in table.loc[table["match_status"] == "invalid", "match_reason"].head(20):
        w(f"  invalid: {reason}\n")
    top = table[risk.notna()].sort_values(["risk", "row"], ascending=[False, True], kind="stable").head(10)
    if len(top):
        w("highest risk (see the table for every row, the path and its sources):\n")
    for r in top.itertuples():
        where = f"line {r.line}" if "line" in table.columns and pd.notna(r.line) else f"row {r.row + 1}"
        who = r.matched_name if isinstance(r.matched_name, str) else "(ambiguous)"
        given = r.name if isinstance(r.name, str) else f"id {r.id}"  # a list of ids has no names
        w(f"  {r.risk:>3}  {where}: {given:.40} -> {who:.50}: {r.risk_reason:.120}\n")
    if args.output:
        path = write_table(table, args.output)
        w(f"wrote {len(table)} rows to {path}\n")
    return 0
