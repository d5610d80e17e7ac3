"""The result table of :func:`graphkit.restricted` and the explanation of each row.

This module turns the statuses and share bounds computed by
:mod:`graphkit.algorithms.restricted_fixpoint` into the DataFrame an investigator
reads. It holds no public function; call
:func:`graphkit.algorithms.restricted.restricted`.

- :func:`_frame` builds the table: one row per legal entity with ``id, name,
  status, share_min, share_max, red_flag, rule, as_of, explanation``.
- :func:`_red_flags` marks entities that are not caught for certain but in which a
  listed or restricted party holds a significant minority stake (from the rule's
  ``red_flag_min``), or which such a party controls where control does not count,
  or which would be caught if the rule were not suspended.
- :class:`_Explainer` writes the plain-language explanation of every row that needs
  one (not ``clear``, or red-flagged, or listed on a list the rule does not draw
  on): who holds what, the listings and status of each owner, the source of every
  fact, where sources disagree, and the legal citation of the rule.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from graphkit.algorithms.ownership import party_any
from graphkit.algorithms.restricted_fixpoint import _EPS, STATUSES, _Context, _Grades, _Result
from graphkit.explain import describe_listing, describe_party, describe_step
from graphkit.graph import OwnershipGraph
from graphkit.model import get_model
from graphkit.rules import Rule, Terms
from graphkit.types.share import format_range

__all__: list[str] = []



# -- the table and its explanations ------------------------------------------------------------
_EVIDENCE = {
    "confirmed": "confirmed facts alone give this verdict",
    "reported": "it rests on at least one reported fact (confirmed facts alone do not give it): check the "
                "reported sources before relying on it",
    "suspected": "it rests on at least one suspected fact: a lead to verify, not a finding",
}


def _frame(g: OwnershipGraph, ctx: _Context, res: _Result, rule: Rule, terms: Terms, day: str,
           explain: bool, grades: _Grades | None = None) -> pd.DataFrame:
    model = get_model()
    legal = g.entities["kind"].astype(str).isin(model.kinds_extending("legal_entity")).to_numpy(bool)
    red = _red_flags(ctx, res, rule, terms)
    n = ctx.n
    conf = np.full(n, None, dtype=object) if grades is None else grades.confidence.copy()
    # while the rule is suspended, the verdict it would give is graded too (in the explanation only)
    would = conf.copy()
    would[(res.status != "clear") | (res.would_be == "clear")] = None
    conf[res.status == "clear"] = None  # a verdict of clear (also while the rule is suspended): no grade
    # stronger facts alone give a severer verdict than all facts: weaker facts make it milder
    milder = (np.zeros(n, dtype=bool) if grades is None
              else pd.notna(grades.stronger) & ~np.isin(res.status, ["listed", "restricted"]))
    red = red | milder
    text = np.full(n, "", dtype=object)
    if explain:
        _Explainer(g, ctx, res, rule, terms, day, red, conf).fill(text)
        for e in np.flatnonzero((pd.notna(conf) | pd.notna(would) | milder) & (text != "")).tolist():
            lines = []
            if pd.notna(conf[e]):
                lines.append(f"Evidence: {conf[e]}: {_EVIDENCE.get(str(conf[e]), '')}.")
            elif pd.notna(would[e]):
                lines.append(f"Evidence, were the rule in force: {would[e]}: {_EVIDENCE.get(str(would[e]), '')}.")
            if milder[e] and grades is not None:
                lines.append(f"RED FLAG: {grades.stronger[e]} facts alone make it {grades.stronger_word[e]}; "
                             f"weaker facts (a less certain report narrowing or contradicting a stake, or a "
                             f"same_as join) make it {res.status[e]}: verify them before relying on this "
                             f"'{res.status[e]}'.")
            said = str(text[e])
            at = said.find("\nRule: ")
            add = "\n".join(lines)
            text[e] = said + "\n" + add if at < 0 else said[:at] + "\n" + add + said[at:]
    rows = np.flatnonzero(legal)
    codes = np.zeros(ctx.n, dtype=np.int8)
    for i, word in enumerate(STATUSES):
        codes[res.status == word] = i
    out = pd.DataFrame({
        "id": g.entities["id"].take(rows).to_numpy(),
        "name": g.entities["name"].take(rows).to_numpy(),
        "status": pd.Categorical.from_codes(codes[rows], categories=list(STATUSES)),
        "confidence": pd.Categorical(conf[rows], categories=list(model.confidence)),
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
    if ctx.party is not None:  # flags were set on each party's first record: every record shares them
        flag = flag[ctx.party]
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
                 day: str, red: np.ndarray, confidence: np.ndarray | None = None) -> None:
        self.g, self.ctx, self.res, self.rule, self.terms, self.day, self.red = g, ctx, res, rule, terms, day, red
        self.confidence = confidence  # each verdict's grade (None: not graded)
        self.names = g.entities["name"].astype(str).to_numpy(dtype=object)
        self.word = f"the {rule.label}"
        self.party = ctx.party
        # records of each party of two or more (by the party's first position)
        self.members: dict[int, list[int]] = {}
        self.links: dict[int, list[int]] = {}  # the same_as rows in force of each party
        if self.party is not None:
            joined = np.flatnonzero(np.bincount(self.party, minlength=ctx.n)[self.party] > 1)
            for p, r in zip(joined.tolist(), self.party[joined].tolist()):
                self.members.setdefault(int(r), []).append(int(p))
            rows = ctx.same_rows if ctx.same_rows is not None else np.empty(0, dtype=np.int64)
            for x, r in zip(rows.tolist(), self.party[g.index.src[rows]].tolist()):
                self.links.setdefault(int(r), []).append(int(x))
        self._same_records: dict[int, dict[str, Any]] | None = None

    def _of(self, p: int) -> int:
        """The party of position ``p`` (its first record's position)."""
        return int(self.party[p]) if self.party is not None else p

    def _as(self, p: int) -> str:
        """`` (as <record name>)`` when record ``p`` is not its party's first record, else ``""``."""
        return f" (as {self.names[p]})" if self._of(p) != p else ""

    def _label(self, o: int) -> str:
        """The name of party ``o``, and its other records' names when it has several."""
        ids = self.g.index.ids
        others = [f"{self.names[p]} ({ids[p]})" for p in self.members.get(o, []) if p != o]
        if not others:
            return str(self.names[o])
        return f"{self.names[o]} (one party with {', '.join(others[:5])}{' and more' if len(others) > 5 else ''})"

    def _grade(self, o: int) -> str:
        """``"; it rests on suspected facts"`` for an owner whose own verdict needs weaker than
        confirmed facts (so that a weak fact upstream can be found), else ``""``."""
        level = self.confidence[o] if self.confidence is not None else None
        return f"; it rests on {level} facts" if isinstance(level, str) and level != "confirmed" else ""

    def _holders(self, j: int) -> str:
        """Who holds the stake of owns pair ``j``: the owner, or the records of the owning party
        that the relations name (``"Alpha Co (a2)"``), with ids when a party has several records."""
        o = int(self.ctx.src[j])
        if o not in self.members:
            return str(self.names[o])
        ids = self.g.index.ids
        rows = self.ctx.raw[self.ctx.pair_start[j]:self.ctx.pair_start[j + 1]]
        who = dict.fromkeys(int(p) for p in self.g.index.src[rows].tolist())
        return " and ".join(f"{self.names[p]} ({ids[p]})" for p in who)

    def _party_line(self, p: int) -> str:
        """Why record ``p`` shares its party's result: the ``same_as`` relations in force that join it."""
        r = self._of(p)
        rows = self.links.get(r, [])
        idx = self.g.index
        if self._same_records is None:  # every joining relation read once
            every = self.ctx.same_rows if self.ctx.same_rows is not None else np.empty(0, dtype=np.int64)
            self._same_records = _records(self.g.relations, every)
        recs = self._same_records
        steps = [describe_step(recs[x], True, self.names[idx.src[x]], self.names[idx.dst[x]]) for x in rows[:6]]
        ids = idx.ids
        others = [(str(self.names[m]), str(ids[m])) for m in self.members.get(r, []) if m != p]
        return describe_party((str(self.names[p]), str(ids[p])), others, steps, len(rows), self.day) + "."

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
                self.other_text.setdefault(self._of(p), []).append(describe_listing(rec) + self._as(p))
                need[p] = True
                need[self._of(p)] = True
        # clear companies that parties on those other lists own: a "clear" must say so
        self.other_owners: dict[int, list[int]] = {}
        if self.other_text:
            on_other = np.zeros(ctx.n, dtype=bool)
            on_other[np.fromiter(self.other_text, dtype=np.int64, count=len(self.other_text))] = True
            js = np.flatnonzero(on_other[ctx.src] & (res.would_be[ctx.dst] == "clear") & (ctx.hi > 0))
            for j, d in zip(js.tolist(), ctx.dst[js].tolist()):
                self.other_owners.setdefault(int(d), []).append(j)
                need[d] = True
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
        lpos = ctx.listings["_pos"].to_numpy(dtype=np.int64)
        lparty = np.where(lpos >= 0, self.party[np.maximum(lpos, 0)], lpos) if self.party is not None else lpos
        lst = ctx.listings[np.isin(lparty, list(wanted))]
        self.listing_text: dict[int, list[str]] = {}
        for p, rec in zip(lst["_pos"].tolist(), lst.to_dict("records")):
            said = self.listing_text.setdefault(self._of(p), [])
            text_p = describe_listing(rec) + self._as(p)
            if text_p not in said:  # the same listing read twice (two records of one party): once
                said.append(text_p)
        raw_needed = np.concatenate([ctx.raw[ctx.pair_start[j]:ctx.pair_start[j + 1]] for j in pairs.tolist()]
                                    + [ctx.crow[cuse], np.empty(0, dtype=np.int64)]).astype(np.int64)
        self._records = _records(self.g.relations, raw_needed)
        # each party is explained once, from its first record, and every record gets that text
        todo = np.flatnonzero(party_any(need, self.party))
        base = {e: self.one(e, by_owned.get(e, []), ctrl_by.get(e, [])) for e in todo.tolist() if self._of(e) == e}
        for e in todo.tolist():
            whole = base[self._of(e)]
            # a record of a party of several: first the same_as relations that make it one party
            text[e] = self._party_line(e) + "\n" + whole if e in self.members.get(self._of(e), ()) else whole

    # -- pieces -------------------------------------------------------------------------------
    def _owner_status(self, o: int) -> str:
        st = self.res.would_be[o]
        if st == "listed":
            found = self.listing_text.get(o, [])
            return f"{self._label(o)} is " + "; and ".join(found) if found else f"{self._label(o)} is listed"
        off = self.terms.suspended  # the rule does not apply that day: owners are only what they would be
        what = self.terms.window.what if off and self.terms.window else "not in force"
        if st == "restricted":
            return (f"{self._label(o)} would itself be restricted through ownership if {self.word} were in force "
                    f"(it is {what} that day; see its row)" if off
                    else f"{self._label(o)} is itself restricted through ownership (see its row{self._grade(o)})")
        return (f"{self._label(o)}'s own status would be unknown if {self.word} were in force (see its row)" if off
                else f"{self._label(o)}'s own status is unknown (see its row)")

    def _pair_lines(self, j: int, e: int) -> list[str]:
        ctx = self.ctx
        o = int(ctx.src[j])
        rows = ctx.raw[ctx.pair_start[j]:ctx.pair_start[j + 1]].tolist()
        idx = self.g.index  # each report names the records it is about (a party may have several)
        steps = [describe_step(self._records[r], True, self.names[idx.src[r]], self.names[idx.dst[r]]) for r in rows]
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
            for j in self.other_owners.get(e, []):
                o = int(ctx.src[j])
                lines.append(f"  {self._holders(j)} holds {format_range(float(ctx.lo[j]), float(ctx.hi[j]))} of it "
                             f"and is " + "; and ".join(self.other_text[o]) +
                             f"; {self.word} does not draw on that listing (another rule may).")
        if terms.suspended and st in ("restricted", "unknown"):
            lines.append(f"Owners that are or may be listed or restricted hold {held} "
                         f"(threshold when in force: {terms.threshold_text}):")
        for j in pairs:
            lines += self._pair_lines(j, e)
        idx = self.g.index
        for j in ctrl:
            o, r = int(ctx.csrc[j]), int(ctx.crow[j])
            step = describe_step(self._records[r], True, self.names[idx.src[r]], self.names[idx.dst[r]])
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
        lines += [f"Caveat: {c}" for c in terms.caveats]
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
                    out.append(f"  RED FLAG: {self._holders(j)} ({res.would_be[o]}) holds "
                               f"{format_range(float(ctx.lo[j]), float(ctx.hi[j]))}, {what}: "
                               "due diligence needed.")
        if not terms.control_counts:
            for j in ctrl:
                o = int(ctx.csrc[j])
                out.append(f"  RED FLAG: {self.names[o]} ({res.would_be[o]}) controls {self.names[e]}; "
                           f"control without ownership does not count under {self.word}, but calls for "
                           "caution (dealings through the controlling party may still be prohibited).")
        if terms.suspended and res.would_be[e] != "clear":
            what = terms.window.what if terms.window else "not in force"
            out.append(f"  RED FLAG: majority or aggregate ownership by listed parties while {self.word} is "
                       f"{what}.")
        return out
