"""Plain-language text for many screening paths at once.

:func:`graphkit.algorithms.screen.screen` explains every customer's path, step by
step, with each step's confidence and source. Writing 100,000 such paragraphs one
Python string at a time costs more than the search; here each distinct step and
listing is described once (:mod:`graphkit.algorithms.sentences`: the same sentences
as :func:`graphkit.explain.describe_step` and :func:`~graphkit.explain.describe_listing`)
and every paragraph is assembled from those pieces in one compiled pass
(:class:`graphkit.algorithms.textjoin.Pieces`, used by :class:`PathWriter`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphkit.algorithms._kernels import first_seen
from graphkit.algorithms.nearest import confidence_codes
from graphkit.algorithms.sentences import _describe_steps, _join, describe_listings
from graphkit.algorithms.textjoin import Pieces
from graphkit.explain import describe_entity
from graphkit.graph import OwnershipGraph
from graphkit.model import get_model
from graphkit.rules import Rule

__all__ = ["CodedColumn", "PathWriter", "TextColumn", "level_names", "listing_history"]


def level_names(ranks: np.ndarray) -> np.ndarray:
    """Confidence ranks (0 = confirmed; -1: none) as level names, None for -1 (object array).

    >>> level_names(np.array([0, 2, -1])).tolist()
    ['confirmed', 'suspected', None]
    """
    levels = np.asarray([*get_model().confidence, None], dtype=object)
    return levels[np.where(np.asarray(ranks) >= 0, ranks, len(levels) - 1)]


def listing_history(g: OwnershipGraph, day: str, positions: np.ndarray | list[int],
                    active: pd.DataFrame | None = None) -> np.ndarray:
    """Per entity at ``positions``: its listings *not* in force on ``day``, in words
    (``"was on the BIS Entity List until 2025-01-07"``, ``"on the ... from 2026-06-08,
    after 2025-10-15"``, joined by ``"; "``), None when it has none (object array).

    A list the entity is on that day is not repeated (a relisting, or a second row for
    the same list). Delisted and later-listed parties deserve a look even when they are
    clear on the day. ``active`` is ``g.active_listings(day, positions=True)`` when the
    caller has it already.

    >>> import graphkit as gk
    >>> listing_history(gk.example_graph(), "2019-01-01", np.array([0, 1])).tolist()  # parent, sub
    ['on the BIS Entity List from 2019-10-09, after 2019-01-01', None]
    """
    if active is None:
        active = g.active_listings(day, positions=True)
    positions = np.asarray(positions, dtype=np.int64)
    out = np.full(len(positions), None, dtype=object)
    if not len(positions) or not len(g.listings):
        return out
    off = g.listings_not_in_force(day)
    if not len(off):
        return out
    asked = np.zeros(g.index.n, dtype=bool)
    asked[positions] = True
    lpos = off["_pos"].to_numpy(dtype=np.int64)
    off = off[(lpos >= 0) & asked[np.maximum(lpos, 0)]]
    if not len(off):
        return out
    lpos = off["_pos"].to_numpy(dtype=np.int64)
    lists = off["list"].astype(object).tolist()
    starts, ends = off["start"].astype(object).tolist(), off["end"].astype(object).tolist()
    ended = off["_ended"].tolist()
    active = active[active["_pos"].isin(lpos)]
    now = set(zip(active["_pos"].tolist(), active["list"].astype(object).tolist()))
    known = get_model().lists
    notes: dict[int, list[str]] = {}
    for i, pos in enumerate(lpos.tolist()):
        code = lists[i]
        if (pos, code) in now:
            continue
        label = known[code].label if code in known else str(code)
        text = (f"was on the {label} until {ends[i]}" if ended[i]
                else f"on the {label} from {starts[i]}, after {day}")
        got = notes.setdefault(pos, [])
        if text not in got:
            got.append(text)
    if notes:
        which = np.full(g.index.n, -1, dtype=np.int64)
        which[np.fromiter(notes, dtype=np.int64, count=len(notes))] = np.arange(len(notes))
        table = np.asarray(["; ".join(t) for t in notes.values()], dtype=object)
        at = which[positions]
        out[at >= 0] = table[at[at >= 0]]
    return out


class CodedColumn:
    """A value per entity position kept as small integer codes (-1: None).

    A million rule statuses as Python objects cost more to build than screening
    uses; indexing this gives the values (an object array, or one value).

    >>> col = CodedColumn(np.array([1, -1, 0], dtype=np.int8), ["clear", "restricted"])
    >>> col[np.array([0, 1])].tolist(), col[2]
    (['restricted', None], 'clear')
    """

    def __init__(self, codes: np.ndarray, values: list[Any]) -> None:
        self.codes = codes
        self._table = np.asarray([*values, None], dtype=object)  # code -1 reads the last entry: None

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, pos: Any) -> Any:
        return self._table[self.codes[pos]]


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

    def arrow(self, positions: np.ndarray) -> pa.Array:
        """The texts at ``positions`` as an Arrow ``large_string`` array."""
        return self._arr.take(pa.array(np.asarray(positions, dtype=np.int64))).cast(pa.large_string())

    def __getitem__(self, pos: Any) -> Any:
        if np.ndim(pos) == 0:
            return self._arr[int(pos)].as_py()
        taken = self._arr.take(pa.array(np.asarray(pos, dtype=np.int64)))
        return taken.to_numpy(zero_copy_only=False).astype(object, copy=False)


class PathWriter:
    """Explains many paths found by :func:`nearest_targets` at once, as :meth:`Path.explain` does.

    Each distinct step is described once (a relation, walked one way, with its
    confidence and source); each path's text joins its steps under a headline and
    ends with the listings, or the rule's verdict, of the party it reaches.
    """

    def __init__(self, g: OwnershipGraph, status: np.ndarray | CodedColumn, listed: np.ndarray, conf_rank: np.ndarray,
                 restricted: pd.DataFrame, rule: Rule, day: str, names: TextColumn | np.ndarray,
                 restricted_rows: np.ndarray | None = None, party: np.ndarray | None = None,
                 joins: np.ndarray | None = None) -> None:
        self.g, self.status, self.listed, self.rule, self.day = g, status, listed, rule, day
        # each entity's party (records joined by same_as in force count as one), None: no same_as
        self.party = party
        self.names = names
        self.levels = list(get_model().confidence)
        self.conf_rank = conf_rank
        self.listings = g.active_listings(day, positions=True)
        self.restricted = restricted
        self._restricted_rows = restricted_rows  # each entity's row in ``restricted`` (-1: none)
        self._lists: tuple[np.ndarray, np.ndarray] | None = None
        self._listing_rank: np.ndarray | None = None
        self._joins = joins  # the same_as rows that join records into parties (read when first needed)

    def _illustrative_at(self, positions: np.ndarray) -> np.ndarray:
        ents = self.g.entities
        if "illustrative" not in ents.columns:
            return np.zeros(len(positions), dtype=bool)
        return np.asarray(ents["illustrative"].take(positions).to_numpy(dtype=bool, na_value=False))

    def lists_of(self, positions: np.ndarray) -> np.ndarray:
        """The list codes each entity is on as of the day (``"a; b"``), None when none (object array).

        A record joined to others by ``same_as`` relations in force shows its party's lists."""
        if self._lists is None:
            pos = self.listings["_pos"].to_numpy(dtype=np.int64)
            codes, names = pd.factorize(self.listings["list"].astype(str), sort=True)
            keep = pos >= 0
            pos = np.where(keep, self._party_of(np.maximum(pos, 0)), pos)  # a party's lists are each record's
            if len(names) <= 62:  # each entity's lists as the bits of one integer: no Python loop
                listed, at = np.unique(pos[keep], return_inverse=True)
                bits = np.zeros(len(listed), dtype=np.int64)
                np.bitwise_or.at(bits, at.reshape(-1), np.left_shift(1, codes[keep].astype(np.int64)))
                sets, which = np.unique(bits, return_inverse=True)
                texts = ["; ".join(str(names[b]) for b in range(len(names)) if m >> b & 1) for m in sets.tolist()]
                code_of = np.full(self.g.index.n, len(texts), dtype=np.int32)  # len(texts): not listed
                code_of[listed] = which.reshape(-1)
                self._lists = (code_of, np.asarray([*texts, None], dtype=object))
            else:  # many lists: per entity in Python
                joined: dict[int, set[str]] = {}
                for p, c in zip(pos[keep].tolist(), codes[keep].tolist()):
                    joined.setdefault(p, set()).add(str(names[c]))
                uniq = sorted({"; ".join(sorted(c)) for c in joined.values()})
                number = {t: i for i, t in enumerate(uniq)}
                code_of = np.full(self.g.index.n, len(uniq), dtype=np.int32)  # len(uniq): not listed
                for p, c in joined.items():
                    code_of[p] = number["; ".join(sorted(c))]
                self._lists = (code_of, np.asarray([*uniq, None], dtype=object))
        code_of, table = self._lists
        return table[code_of[self._party_of(np.asarray(positions, dtype=np.int64))]]

    def _party_of(self, positions: np.ndarray) -> np.ndarray:
        """The party (its first record's position) of each entity at ``positions``."""
        return positions if self.party is None else self.party[positions]

    def _same_rows(self) -> np.ndarray:
        """The ``same_as`` relation rows that join records into parties on the day (read once)."""
        from graphkit.algorithms.ownership import joining_rows

        if self._joins is None:
            self._joins = joining_rows(self.g, self.day)
        return self._joins

    def _party_lines(self, ends: np.ndarray, wanted: np.ndarray) -> list[str | None]:
        """For each end where ``wanted``, the line that says which records make its party:
        ``"\\n  -> X is one party with Y (...): X is the same as Y [reported; source: ...]"``."""
        from graphkit.algorithms.restricted_explain import _records
        from graphkit.explain import describe_party, describe_step

        out: list[str | None] = [None] * len(ends)
        if self.party is None or not wanted.any():
            return out
        idx = self.g.index
        asked = np.unique(self.party[ends[wanted]])
        rows = self._same_rows()
        rows = rows[np.isin(self.party[idx.src[rows]], asked)]
        records = np.flatnonzero(np.isin(self.party, asked))
        shown = np.unique(np.concatenate([records, idx.src[rows], idx.dst[rows]]).astype(np.int64))
        name = dict(zip(shown.tolist(), self._name_texts(shown).to_pylist()))
        members: dict[int, list[int]] = {}
        for p in records.tolist():
            members.setdefault(int(self.party[p]), []).append(p)
        links: dict[int, list[int]] = {}
        for r, p in zip(rows.tolist(), self.party[idx.src[rows]].tolist()):
            links.setdefault(int(p), []).append(int(r))
        recs = _records(self.g.relations, rows)
        for i in np.flatnonzero(wanted).tolist():
            e = int(ends[i])
            party = int(self.party[e])
            others = [(name[p], str(idx.ids[p])) for p in members[party] if p != e]
            mine = links.get(party, [])
            steps = [describe_step(recs[r], True, name[int(idx.src[r])], name[int(idx.dst[r])]) for r in mine[:6]]
            out[i] = "\n  -> " + describe_party((name[e], str(idx.ids[e])), others, steps, len(mine))
        return out

    def history(self, positions: np.ndarray) -> np.ndarray:
        """Per entity at ``positions``: its listings *not* in force on the day, in words
        (see :func:`listing_history`), None when it has none."""
        return listing_history(self.g, self.day, positions, self.listings)

    def _rows_in_rule_table(self, positions: np.ndarray) -> np.ndarray:
        """Each entity's row in the restriction table (-1: none)."""
        if self._restricted_rows is None:
            ids = pa.array(self.restricted["id"], from_pandas=True)
            at = pc.index_in(pa.array(self.g.index.ids[positions].tolist()), value_set=ids)
            return np.asarray(pc.fill_null(at, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
        return self._restricted_rows[positions]

    def verdict_rank(self, positions: np.ndarray) -> np.ndarray:
        """The confidence rank (0 = strongest) of the rule's verdict on each entity at ``positions``
        (the restriction table's ``confidence``), -1 where it has none."""
        positions = np.asarray(positions, dtype=np.int64)
        out = np.full(len(positions), -1, dtype=np.int64)
        if "confidence" not in self.restricted.columns or not len(positions) or not len(self.restricted):
            return out
        rows = self._rows_in_rule_table(positions)
        col = self.restricted["confidence"]
        cat = col if isinstance(col.dtype, pd.CategoricalDtype) else col.astype("category")
        rank = {level: i for i, level in enumerate(self.levels)}
        by_code = np.array([rank.get(str(c), -1) for c in cat.cat.categories] + [-1], dtype=np.int64)
        ok = rows >= 0
        out[ok] = by_code[cat.cat.codes.to_numpy()[rows[ok]]]  # code -1 (missing) reads the last entry
        return out

    def _rule_explanations(self, positions: np.ndarray) -> list[Any]:
        """The restriction engine's explanation of each entity at ``positions`` (None where it has none)."""
        if "explanation" not in self.restricted.columns or not len(positions):
            return [None] * len(positions)
        rows = self._rows_in_rule_table(positions)
        col = self.restricted["explanation"]
        values = col.take(np.maximum(rows, 0)).tolist() if len(col) else [None] * len(rows)
        return [v if r >= 0 else None for v, r in zip(values, rows.tolist())]

    def end_texts(self, ends: np.ndarray) -> pa.Array:
        """The closing lines of a path that ends at each of ``ends`` (increasing positions).

        One line per listing in force (``  -> X is on the ... [evidence]``), or, for a
        party caught by the ownership rule, the rule's verdict and the owners it rests on
        (``       - P owns X (60%) [confirmed; source: ...]; P is on the ...``); each
        line starts with a newline.
        """
        ends = np.asarray(ends, dtype=np.int64)
        p = Pieces(len(ends))
        names = self._name_texts(ends)
        lpos = self.listings["_pos"].to_numpy(dtype=np.int64)
        if self.party is None:
            hit = np.flatnonzero(np.isin(lpos, ends))
            hit = hit[np.argsort(lpos[hit], kind="stable")]  # by entity, then in table order
            owner = np.searchsorted(ends, lpos[hit])
        else:  # every listing of the end's party, each under the name of the record listed
            lparty = np.where(lpos >= 0, self.party[np.maximum(lpos, 0)], -1)
            order = np.argsort(lparty, kind="stable")
            keys = lparty[order]
            lo = np.searchsorted(keys, self.party[ends], side="left")
            hi = np.searchsorted(keys, self.party[ends], side="right")
            owner = np.repeat(np.arange(len(ends)), hi - lo)
            hit = order[np.concatenate([np.arange(a, b) for a, b in zip(lo.tolist(), hi.tolist())]
                                       + [np.empty(0, dtype=np.int64)]).astype(np.int64)]
            mine = lpos[hit] == ends[owner]
            joined = np.zeros(len(ends), dtype=bool)
            joined[owner[~mine]] = True
            p.add(self._party_lines(ends, joined), at=np.where(joined, np.arange(len(ends)), -1))
        texts = describe_listings(self.listings.iloc[hit])
        line = np.arange(len(owner)) - np.searchsorted(owner, owner, side="left")  # line number per entity
        listed = np.zeros(len(ends), dtype=bool)
        listed[owner] = True
        who = names if self.party is None else self._name_texts(lpos[hit])  # the record each listing names
        for n in range(int(line.max(initial=-1)) + 1):
            at = np.full(len(ends), -1, dtype=np.int64)
            at[owner[line == n]] = np.flatnonzero(line == n)
            p.literal("\n  -> ", where=at >= 0)
            if self.party is None:
                p.add(names, where=at >= 0)
            else:
                p.add(who, at=at)
            p.literal(" is ", where=at >= 0)
            p.add(texts, at=at)
        todo = np.flatnonzero(~listed)
        if len(todo):
            # a party the rule catches: the rule's own first line, and its caveats for the day
            # (such as a suspension that may have been extended)
            caveats = "".join(f"\n     Caveat: {c}" for c in self.rule.terms(self.day).caveats)
            first = []
            for pos, name, text in zip(ends[todo].tolist(), names.take(pa.array(todo)).to_pylist(),
                                       self._rule_explanations(ends[todo])):
                if isinstance(text, str) and text:
                    lines = text.splitlines()
                    # the verdict, then the owners it rests on, each with its share, evidence and listing
                    # (and how well evidenced the verdict is, with any red flag on that)
                    said = lines[0] + "".join(f"\n       {ln.strip()}" for ln in lines[1:]
                                              if ln.startswith(("  - ", "Evidence: ", "RED FLAG: ")))
                else:
                    said = (f"{name} is {self.status[pos]} under {self.rule.label} as of {self.day} "
                            "(see graphkit.restricted for the owners, shares and sources)")
                first.append("\n  -> " + said + caveats)
            at = np.full(len(ends), -1, dtype=np.int64)
            at[todo] = np.arange(len(todo))
            p.add(first, at=at)
        return p.join()

    def write(self, nodes: np.ndarray, rels: np.ndarray, fws: np.ndarray, weakest: np.ndarray, *,
              rows: np.ndarray | None = None, total: int | None = None) -> pa.Array:
        """The explanation of each path, as :meth:`Path.explain` writes it (Arrow text).

        ``nodes``, ``rels``, ``fws`` hold one path per row (as :func:`walk` returns
        them) and ``weakest`` each path's weakest confidence (:meth:`kinds`). Each
        distinct step is described once and every paragraph is assembled in one pass
        (:class:`~graphkit.algorithms.textjoin.Pieces`). With ``rows`` and ``total``,
        path ``i`` is written at row ``rows[i]`` (increasing) of ``total`` rows, and
        the other rows are null: the result is then a whole output column.
        """
        k, width = rels.shape
        g = self.g
        idx = g.index
        used = rels >= 0
        hops = used.sum(axis=1)
        safe = np.where(used, rels, 0)
        # the distinct steps, numbered in the order the paragraphs first use them (every first
        # step, in row order, then every second step ...): the texts are then read nearly in order
        keys, ids = first_seen((safe * 2 + fws).T[used.T], 2 * max(len(idx.src), 1))
        at = np.full((width, k), -1, dtype=np.int64)  # each step's place among the distinct steps
        at[used.T] = ids
        at = at.T
        urel, ufw = keys // 2, (keys % 2).astype(bool)
        frm = np.where(ufw, idx.src[urel], idx.dst[urel])
        to = np.where(ufw, idx.dst[urel], idx.src[urel])
        steps_u = _describe_steps(g.relations, urel, ufw, self._name_texts(frm), self._name_texts(to))
        starts, ends = nodes[:, 0], nodes[np.arange(k), hops]
        uends, which = np.unique(ends, return_inverse=True)
        which = which.reshape(-1)
        start_labels, end_labels = self._labels(starts), self._labels(uends)  # starts: in row order
        moving = hops > 0
        p = Pieces(k)
        # headline: "A (company) reaches B (company) in 2 steps (as of D; weakest evidence: reported):"
        # or, for a listed or restricted party itself, "A (company) is itself listed (as of D):"
        p.add(start_labels)
        p.literal(" reaches ", where=moving)
        p.add(end_labels, at=np.where(moving, which, -1))
        p.add([f" in {h} step{'s' if h != 1 else ''}" for h in range(width + 1)], at=np.where(moving, hops, -1))
        p.literal(f" (as of {self.day}; weakest evidence: ", where=moving)
        weak_texts, weak_at = np.unique(weakest.astype(str), return_inverse=True)
        p.add(weak_texts.tolist(), at=np.where(moving, weak_at.reshape(-1), -1))
        p.literal("):", where=moving)
        p.literal(" is itself ", where=~moving)
        word = np.where(self.listed[starts], "listed", self.status[starts].astype(str)).astype(str)
        word_texts, word_at = np.unique(word, return_inverse=True)
        p.add(word_texts.tolist(), at=np.where(moving, -1, word_at.reshape(-1)))
        p.literal(f" (as of {self.day}):", where=~moving)
        for h in range(width):
            if not used[:, h].any():
                break
            p.literal(f"\n  {h + 1}. ", where=used[:, h])
            p.add(steps_u, at=at[:, h])
        p.add(self.end_texts(uends), at=which)
        return p.join(rows=rows, total=total)

    def _labels(self, positions: np.ndarray) -> pa.Array:
        """:func:`graphkit.explain.describe_entity` of each entity at ``positions`` (the same text)."""
        positions = np.asarray(positions, dtype=np.int64)
        kind = self.g.entities["kind"]
        if isinstance(kind.dtype, pd.CategoricalDtype):
            cats = [describe_entity("", str(c), False)[2:-1] for c in kind.cat.categories.tolist()]
            label = pa.array(cats + ["None"], type=pa.large_string()).take(
                pa.array(np.where(kind.cat.codes.to_numpy()[positions] < 0, len(cats),
                                  kind.cat.codes.to_numpy()[positions])))
        else:
            label = pa.array([describe_entity("", str(k), False)[2:-1] for k in kind.take(positions).tolist()],
                             type=pa.large_string())
        mark = pc.if_else(pa.array(self._illustrative_at(positions), type=pa.bool_()),
                          pa.scalar(", ILLUSTRATIVE", pa.large_string()), pa.scalar("", pa.large_string()))
        return _join(self._name_texts(positions), " (", label, mark, ")")

    def _name_texts(self, positions: np.ndarray) -> pa.Array:
        """Names at ``positions`` as Arrow text (a missing name reads "None", as ``str`` writes it)."""
        if isinstance(self.names, TextColumn):
            return pc.coalesce(self.names.arrow(positions), pa.scalar("None", pa.large_string()))
        return pa.array([str(x) for x in self.names[positions]], type=pa.large_string())

    def listing_rank(self) -> np.ndarray:
        """Per entity position: the confidence rank (0 = strongest) of its best evidenced listing
        in force on the day, -1 when it has none (a listing without a confidence: the weakest).
        A record of a party may also count its party's listings, through the weakest ``same_as``
        link of the party: the better evidenced of the two routes."""
        if self._listing_rank is None:
            rank = np.full(self.g.index.n, np.iinfo(np.int16).max, dtype=np.int16)
            pos = self.listings["_pos"].to_numpy(dtype=np.int64)
            codes = (confidence_codes(self.listings)[0].astype(np.int16) if "confidence" in self.listings
                     else np.full(len(pos), len(self.levels) - 1, dtype=np.int16))
            keep = pos >= 0
            np.minimum.at(rank, pos[keep], codes[keep])  # each record's own listings
            if self.party is not None:  # or its party's, through the same_as links (the weakest of them)
                best = np.full(self.g.index.n, np.iinfo(np.int16).max, dtype=np.int16)
                np.minimum.at(best, self.party[pos[keep]], codes[keep])
                join = np.zeros(self.g.index.n, dtype=np.int16)
                rows = self._same_rows()
                np.maximum.at(join, self.party[self.g.index.src[rows]],
                              np.maximum(self.conf_rank[rows], 0).astype(np.int16))
                route = best[self.party]
                route = np.where(route != np.iinfo(np.int16).max, np.maximum(route, join[self.party]), route)
                rank = np.minimum(rank, route).astype(np.int16)
            rank[rank == np.iinfo(np.int16).max] = -1
            self._listing_rank = rank
        return self._listing_rank

    def kinds(self, rels: np.ndarray, ends: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Per path: its relation kinds (``"owns > front_for"``) and weakest evidence (object arrays).

        The weakest evidence counts every step's confidence and, given the path ``ends``
        (entity positions), the best evidenced listing in force of the party reached, as
        :attr:`Path.weakest` does; for a party the rule catches (no listing), the
        ``confidence`` of the rule's verdict (see :func:`graphkit.restricted`), None
        when the table has none.
        """
        idx = self.g.index
        k, width = rels.shape
        used = rels >= 0
        if not used.any():  # no steps at all (a graph may have no relations): nothing to look up
            width, used, rels = 0, used[:, :0], rels[:, :0]
        safe = np.where(used, rels, 0)
        ranks = np.where(used, self.conf_rank[safe], -1).max(axis=1) if width else np.full(k, -1)
        ranks = np.asarray(ranks, dtype=np.int64)
        if ends is not None and k:
            ends = np.asarray(ends, dtype=np.int64)
            end_rank = self.listing_rank()[ends].astype(np.int64)
            # the rule's graded verdict (a party it catches, or lists through a same_as join) when
            # better evidenced than the listings the search counts: the better of the two
            verdict = self.verdict_rank(ends)
            both = (end_rank >= 0) & (verdict >= 0)
            end_rank = np.where(both, np.minimum(end_rank, verdict), np.maximum(end_rank, verdict))
            ranks = np.maximum(ranks, end_rank)
        weakest = level_names(ranks)
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
        return kinds_text, weakest
