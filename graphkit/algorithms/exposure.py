"""The screening result: the risk score, and one output row per customer.

:func:`graphkit.algorithms.screen.screen` finds who each customer is and runs the
search; this module turns that into the table an investigator reads: the risk
score (documented in ``screen``'s docstring, Notes, and computed by
:func:`risk_score`), the nearest listed or restricted party, the path and its
weakest evidence, one row per input row, in order.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from graphkit.algorithms.nearest import walk
from graphkit.algorithms.pathtext import CodedColumn, PathWriter, TextColumn, level_names
from graphkit.graph import OwnershipGraph
from graphkit.model import get_model

__all__ = ["COLUMNS", "EVIDENCE_FACTOR", "result_frame", "risk_score"]

COLUMNS = ["row", "line", "name", "match_status", "id", "matched_name", "score", "match_reason",
           "candidates", "lists", "rule_status", "rule_confidence", "nearest_listed", "nearest_listed_name", "nearest_status", "hops",
           "weakest_confidence", "relation_kinds", "path", "risk", "risk_reason", "rule", "as_of"]

# -- the risk score (documented in screen's docstring; keep both in step) --------------------------
RISK_LISTED = 100
RISK_RESTRICTED = 90
RISK_UNKNOWN = 70
RISK_RED_FLAG = 50
RISK_ONE_HOP = 80.0
RISK_DECAY = 0.75
EVIDENCE_FACTOR = {"confirmed": 1.0, "reported": 0.8, "suspected": 0.6}


def risk_score(status: object, hops: object, weakest: object, red_flag: bool = False) -> tuple[int, str]:
    """Risk (0-100) and the reason, for one matched entity (see :func:`screen`, Notes).

    >>> risk_score("clear", 2, "reported")
    (48, 'reaches a listed or restricted party in 2 steps (80 x 0.75^1 x 0.8 for reported evidence)')
    >>> risk_score("listed", 0, None)
    (100, 'listed')
    """
    parts: list[tuple[float, str]] = []
    if status == "listed":
        parts.append((RISK_LISTED, "listed"))
    elif status == "restricted":
        parts.append((RISK_RESTRICTED, "restricted under the ownership rule"))
    elif status == "unknown":
        parts.append((RISK_UNKNOWN, "may be restricted (published share ranges straddle the threshold)"))
    elif red_flag:
        parts.append((RISK_RED_FLAG, "red flag from the ownership rule (minority stake or control by "
                                     "listed or restricted parties)"))
    if hops is not None and not pd.isna(hops) and int(hops) > 0:  # type: ignore[call-overload]
        h = int(hops)  # type: ignore[call-overload]
        factor = EVIDENCE_FACTOR.get(str(weakest), EVIDENCE_FACTOR["suspected"])
        value = RISK_ONE_HOP * RISK_DECAY ** (h - 1) * factor
        parts.append((value, f"reaches a listed or restricted party in {h} step{'s' if h != 1 else ''} "
                             f"({RISK_ONE_HOP:g} x {RISK_DECAY:g}^{h - 1} x {factor:g} for {weakest} evidence)"))
    if not parts:
        return 0, "not listed, not restricted, no listed or restricted party within the hop limit"
    best = max(parts, key=lambda p: p[0])
    return int(math.floor(best[0] + 0.5)), best[1]




# -- the output frame ---------------------------------------------------------------------------
def _only(mask: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``values`` where ``mask``, None elsewhere (object array)."""
    out = np.full(len(mask), None, dtype=object)
    out[mask] = values[mask]
    return out


def _pairs(g: OwnershipGraph, matched: pd.DataFrame, where: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row, entity position) to screen, in row order: the matched entity, or every tied
    candidate of an ambiguous row (in the order the matcher listed them)."""
    one = where >= 0
    rows = [np.flatnonzero(one)]
    pos = [where[one]]
    status = matched["match_status"].to_numpy(dtype=object)
    cands = matched["candidates"].to_numpy(dtype=object)
    amb = np.flatnonzero(~one & (status == "ambiguous"))
    ids: list[str] = []
    owners: list[int] = []
    for r in amb.tolist():
        for c, _ in _candidates(cands[r]):
            owners.append(r)
            ids.append(c)
    if ids:
        found = g.index.positions(ids)
        keep = found >= 0
        rows.append(np.asarray(owners, dtype=np.int64)[keep])
        pos.append(found[keep])
    prow, ppos = np.concatenate(rows), np.concatenate(pos)
    order = np.argsort(prow, kind="stable")
    return prow[order], ppos[order]


def result_frame(g: OwnershipGraph, frame: pd.DataFrame, matched: pd.DataFrame, where: np.ndarray, res: Any,
            status: CodedColumn, red: np.ndarray, listed: np.ndarray, rank: np.ndarray, ent_names: TextColumn,
            restricted: pd.DataFrame, rule: Any, day: str, max_hops: int,
            explain: bool, clock: Callable[[str], None],
            rule_rows: np.ndarray | None = None, party: np.ndarray | None = None,
            joins: np.ndarray | None = None) -> pd.DataFrame:
    """The output table of :func:`graphkit.algorithms.screen.screen` (see its Returns).

    ``frame`` is the customer list as read, ``matched`` the match per row and
    ``where`` the matched entity's position (-1 when none); ``res`` is the search
    result; ``rule_rows`` each entity's row in ``restricted`` (-1: none; looked up
    when not given); ``party`` each entity's party (records joined by ``same_as``, see
    :func:`~graphkit.algorithms.ownership.same_parties`) and ``joins`` the ``same_as`` rows that
    join them (:func:`~graphkit.algorithms.ownership.joining_rows`; read again when not given).
    ``clock(stage)`` is called as each stage ends.
    """
    n = len(frame)
    prow, ppos = _pairs(g, matched, where)
    m = len(prow)
    dist = res.dist[ppos]
    reach = dist >= 0
    writer = PathWriter(g, status, listed, rank, restricted, rule, day, ent_names, rule_rows, party=party,
                        joins=joins)
    nodes, rels, fws = walk(res, ppos[reach], max_hops)
    clock("read paths off the search")
    ends = nodes[np.arange(len(nodes)), (rels >= 0).sum(axis=1)] if len(nodes) else np.zeros(0, dtype=np.int64)
    kinds_text, weakest = writer.kinds(rels, ends)  # weakest: the steps and the listing reached
    clock("relation kinds")
    lists = writer.lists_of(ppos)
    path = np.full(m, -1, dtype=np.int64)  # each pair's place among the paths walked
    kinds = np.full(m, None, dtype=object)
    weak = np.full(m, None, dtype=object)
    path[reach], kinds[reach], weak[reach] = np.arange(int(reach.sum())), kinds_text, weakest
    risk, why = _risks(listed[ppos], status[ppos], dist, weak, red[ppos], lists)
    # one pair per row: the most exposed (for an ambiguous row, the worst tied candidate: highest
    # risk, then the most severe status under the rule, then the matcher's order)
    severity = np.zeros(m, dtype=np.int64)
    rule_word = status[ppos]
    for rank_, word in enumerate(("clear", "unknown", "restricted", "listed"), start=1):
        severity[rule_word == word] = rank_
    order = np.lexsort((np.arange(m), -severity, -risk, prow))
    first = np.ones(m, dtype=bool)
    first[1:] = prow[order][1:] != prow[order][:-1]
    best = order[first]
    rows = prow[best]

    def column(values: np.ndarray, fill: Any = None) -> np.ndarray:
        arr = np.full(n, fill, dtype=values.dtype if fill is not None else object)
        arr[rows] = values[best]
        return arr

    if explain:
        row_path = column(path, -1)  # per row: the place of its chosen pair's path, -1 if none
        has = np.flatnonzero(row_path >= 0)
        sel = row_path[has]
        texts = writer.write(nodes[sel], rels[sel], fws[sel], weakest[sel], rows=has, total=n)
        clock("explanations")
    else:
        texts = pa.nulls(n, pa.large_string())
    mstatus = matched["match_status"].to_numpy(dtype=object)
    reason = np.where(mstatus == "invalid", "invalid row: fix it and screen again",
                      "not matched: screen this row manually").astype(object)
    reason[rows] = why[best]
    amb = rows[mstatus[rows] == "ambiguous"]
    ents = g.index.ids
    row_lists = column(lists)
    for r in amb.tolist():
        # the lists of every tied candidate, and the reason of the one scored
        lo, hi = np.searchsorted(prow, r, side="left"), np.searchsorted(prow, r, side="right")
        union = sorted({x for v in lists[lo:hi].tolist() if isinstance(v, str) for x in v.split("; ")})
        row_lists[r] = "; ".join(union) or None
        k = best[np.searchsorted(rows, r)]
        reason[r] = (f"AMBIGUOUS MATCH (check the candidates; scored as the most exposed, "
                     f"{ents[ppos[k]]}): {why[k]}")
    past = writer.history(ppos[best])  # listings ended before the day, or starting after it
    has_past = np.flatnonzero(pd.notna(past))
    if len(has_past):
        reason[rows[has_past]] = reason[rows[has_past]] + "; " + past[has_past]
    for r, note in _close_listed(g, matched, mstatus, listed, status, writer).items():
        reason[r] = f"{reason[r]}; {note}"
    tgt = np.where(reach, res.target[ppos], -1)
    t0 = np.maximum(tgt, 0)
    near = column(np.where(reach, np.arange(m), -1), -1)  # per row: its pair's place in t0, -1 if none
    ent_ids = TextColumn(g.entities["id"])
    hops = column(np.where(reach, dist, -1).astype(np.int64), -1)
    score = column(risk, -1)
    cols: dict[str, Any] = {
        "row": np.arange(n), "line": frame["line"].array, "name": frame["name"].array,
        **{c: matched[c].to_numpy() for c in ("match_status", "id", "matched_name", "score", "match_reason",
                                              "candidates")},
        "lists": row_lists,
        "rule_status": column(status[ppos]),
        "rule_confidence": column(level_names(writer.verdict_rank(ppos))),
        "nearest_listed": _arrow_text(ent_ids.arrow(t0), near),
        "nearest_listed_name": _arrow_text(ent_names.arrow(t0), near),
        "nearest_status": column(_only(reach, np.where(listed[t0], "listed", "restricted").astype(object))),
        "hops": pd.arrays.IntegerArray(hops, hops < 0),
        "weakest_confidence": column(weak),
        "relation_kinds": column(kinds),
        "path": pd.arrays.ArrowStringArray(texts),
        "risk": pd.arrays.IntegerArray(score, score < 0),
        "risk_reason": reason,
        "rule": _same_text(rule.name, n),
        "as_of": _same_text(day, n),
    }
    for col in _TEXT:
        cols[col] = _text(cols[col])
    out = pd.DataFrame(cols, columns=COLUMNS)
    clock("risk and output frame")
    return out


def _candidates(text: object) -> list[tuple[str, float | None]]:
    """The matcher's ``candidates`` text as (entity id, score) pairs.

    >>> _candidates("ofac:1 (0.95); hik (0.91)"), _candidates(None)
    ([('ofac:1', 0.95), ('hik', 0.91)], [])
    """
    if not isinstance(text, str) or not text:
        return []
    out: list[tuple[str, float | None]] = []
    for part in text.split("; "):
        cid, _, score = part.rpartition(" (")
        try:
            out.append((cid.strip(), float(score.rstrip(")"))))
        except ValueError:
            out.append((part.strip(), None))
    return out


def _close_listed(g: OwnershipGraph, matched: pd.DataFrame, mstatus: np.ndarray, listed: np.ndarray,
                  status: Any, writer: PathWriter) -> dict[int, str]:
    """Rows matched to one entity whose runner-up, also above the match threshold, is listed or
    restricted: the same company read from another list often scores just below its twin
    (a country on one copy only). Returns row -> a note naming it, to check by hand."""
    from graphkit.resolve import DEFAULT_THRESHOLD

    cands = matched["candidates"].to_numpy(dtype=object)
    ids = matched["id"].to_numpy(dtype=object)
    rows, names = [], []
    for r in np.flatnonzero(mstatus == "matched").tolist():
        for cid, score in _candidates(cands[r]):
            if score is not None and score >= DEFAULT_THRESHOLD and cid != ids[r]:
                rows.append(r)
                names.append(cid)
    if not rows:
        return {}
    pos = g.index.positions(names)
    ok = pos >= 0
    safe = np.maximum(pos, 0)
    hit = ok & (listed[safe] | (np.asarray(status[safe], dtype=object) == "restricted"))
    if writer.party is not None:  # a record already joined to the match (same_as) is not a look-alike
        mine = g.index.positions(ids[np.asarray(rows, dtype=np.int64)].tolist())
        hit &= ~((mine >= 0) & (writer.party[np.maximum(mine, 0)] == writer.party[safe]))
    lists = writer.lists_of(safe)
    found: dict[int, list[tuple[str, str]]] = {}
    for r, cid, h, lst in zip(rows, names, hit.tolist(), lists.tolist()):
        if h:
            found.setdefault(r, []).append((cid, f"on {lst}" if isinstance(lst, str) else "restricted under the rule"))
    out: dict[int, str] = {}
    for r, hits in found.items():
        if len(hits) == 1:
            (cid, what), = hits
            out[r] = (f"a close candidate above the match threshold, {cid} ({g.name_of(cid)}), is {what}: "
                      "check whether it is the same party")
        else:
            each = "; ".join(f"{cid} ({g.name_of(cid)}, {what})" for cid, what in hits)
            out[r] = (f"close candidates above the match threshold are listed or restricted: {each}: "
                      "check whether they are the same party")
    return out


def _risks(is_listed: np.ndarray, status: np.ndarray, dist: np.ndarray, weak: np.ndarray, red: np.ndarray,
           lists: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`risk_score` for many (entity, path) pairs: computed once per distinct
    (verdict, hops, weakest evidence, red flag), then spread."""
    verdict = np.where(is_listed, "listed", status).astype(object)  # any list counts, not only the rule's
    vcode = np.zeros(len(verdict), dtype=np.int64)  # 0: anything else (decided by risk_score itself)
    for i, word in enumerate(("listed", "restricted", "unknown", "clear"), start=1):
        vcode[verdict == word] = i
    levels = list(get_model().confidence)
    wcode = np.full(len(weak), len(levels), dtype=np.int64)
    for i, level in enumerate(levels):
        wcode[weak == level] = i
    span = int(dist.max(initial=0)) + 2
    key = ((vcode.astype(np.int64) * (len(levels) + 1) + wcode) * span + (dist.astype(np.int64) + 1)) * 2 + red
    uniq, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    risk_u = np.empty(len(uniq), dtype=np.int64)
    why_u = np.empty(len(uniq), dtype=object)
    for i, k in enumerate(first.tolist()):
        v = verdict[k]
        risk_u[i], why_u[i] = risk_score(None if v is None else str(v), int(dist[k]) if dist[k] >= 0 else None,
                                         weak[k], bool(red[k]))
    risk, why = risk_u[inverse], why_u[inverse]
    if is_listed.any():
        why[is_listed] = "listed (" + lists[is_listed].astype(str).astype(object) + ")"
    return risk, why


def _arrow_text(texts: pa.Array, at: np.ndarray) -> Any:
    """``texts[at]`` as pandas' ``string`` dtype (missing where ``at`` is -1), without Python strings."""
    return pd.arrays.ArrowStringArray(texts.take(pa.array(at, mask=at < 0)))


def _same_text(text: str, n: int) -> Any:
    """``text`` ``n`` times, as pandas' ``string`` dtype."""
    one = pa.array([text], type=pa.large_string())
    return pd.arrays.ArrowStringArray(one.take(pa.array(np.zeros(n, dtype=np.int64))))


def _text(values: Any) -> Any:
    """Texts (None for missing) as an array of pandas' ``string`` dtype, converted by Arrow
    in one pass (letting pandas infer each column's type costs more than the screening)."""
    if isinstance(values, pd.arrays.ArrowStringArray) and values.dtype == "string":
        return values
    data = getattr(values, "_pa_array", None)  # text kept by Arrow already (a customer list's names)
    if isinstance(data, pa.ChunkedArray) and (pa.types.is_string(data.type) or pa.types.is_large_string(data.type)):
        return pd.arrays.ArrowStringArray(data.cast(pa.large_string()))
    obj = np.asarray(values, dtype=object)
    try:
        return pd.arrays.ArrowStringArray(pa.array(obj, type=pa.large_string(), from_pandas=True))
    except (pa.ArrowException, TypeError):  # something that is not text: let pandas convert it
        return pd.array(obj, dtype="string")


_TEXT = ("name", "match_status", "id", "matched_name", "match_reason", "candidates", "lists", "rule_status",
         "rule_confidence",
         "nearest_status", "weakest_confidence", "relation_kinds", "risk_reason", "rule",
         "as_of")  # ``path`` comes from Arrow already
