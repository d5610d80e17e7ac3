"""Records that probably describe one party, and joining them once a person has decided.

Each reader gives its own ids (``ofac:33114``, ``dod1260h:<name>`` ...), so the same
company read from two lists is two records. graphkit never joins them by itself:
same-named companies can be different companies, and an identifier can be mistyped.
It finds the likely ones (:func:`duplicates`: a shared identifier, or the same name
once case, punctuation and legal form are set aside, from different sources), and a
person joins those they have checked (:func:`join_same`), which adds ``same_as``
relations with the person's source. Records joined by ``same_as`` relations are one
party for the ownership rules and screening (see :func:`graphkit.restricted`).

:func:`graphkit.merge` reports the same groups in ``graph.problems`` (``check``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from graphkit.errors import GraphkitError
from graphkit.types import date as date_type

if TYPE_CHECKING:
    from graphkit.graph import OwnershipGraph

__all__ = ["duplicates", "identifier_groups", "join_same", "name_groups"]

log = logging.getLogger(__name__)

COLUMNS = ["group", "id", "name", "kind", "country", "source", "reason"]

# identifier schemes that many different companies share: never evidence of one party
# (a Russian KPP is a tax-office and reason code; contact details are shared by agents)
SHARED_SCHEMES = frozenset({"kpp", "phone", "email", "website", "url", "address"})

_LEGAL_WORDS = r"\b(?:co|company|ltd|limited|inc|incorporated|corp|corporation|llc|plc|jsc|gmbh|ag|sa|bv|nv)\b"


def identifier_groups(ents: pd.DataFrame) -> list[tuple[tuple[str, ...], list[str]]]:
    """Entities with different ids that carry the same identifier (``scheme:value``, case
    and spaces aside): ``[(ids, identifiers as first written), ...]``, one entry per set of
    entities (sharing several identifiers gives one entry), in identifier order. Schemes
    that many companies share (:data:`SHARED_SCHEMES`: a Russian KPP, contact details)
    are not counted."""
    if "identifiers" not in ents or not len(ents):
        return []
    col = ents[["id", "identifiers"]].explode("identifiers").dropna()
    if not len(col):
        return []
    key = col["identifiers"].astype(str).str.strip().str.lower().str.replace(r"\s+", "", regex=True)
    scheme = key.str.split(":", n=1).str[0]
    col = col.assign(key=key)[(key.str.len() >= 4) & ~scheme.isin(list(SHARED_SCHEMES))].drop_duplicates(["key", "id"])
    col = col[col["key"].duplicated(keep=False)]  # only identifiers held by two entities or more
    if not len(col):
        return []
    first = col.drop_duplicates("key")
    written = dict(zip(first["key"], first["identifiers"].astype(str).str.strip()))  # as first written
    groups = col.groupby("key", sort=True)["id"].agg(lambda s: tuple(sorted(map(str, s))))
    groups = groups[groups.map(len) > 1]
    shared: dict[tuple[str, ...], list[str]] = {}
    for ident, ids in groups.items():
        shared.setdefault(tuple(ids), []).append(written.get(str(ident), str(ident)))
    return list(shared.items())


def name_groups(ents: pd.DataFrame) -> list[tuple[tuple[str, ...], str]]:
    """Companies from *different sources* (id prefixes: ``ofac:``, ``dod1260h:``, your own)
    whose names are the same once case, punctuation, legal form and a trailing part in
    brackets are set aside, and whose countries do not disagree: ``[(ids, the name so
    simplified), ...]`` in name order."""
    from graphkit.model import get_model

    legal = get_model().kinds_extending("legal_entity") - {"person"}
    rows = ents[ents["kind"].astype(str).isin(list(legal)) & ents["name"].notna()]
    if len(rows) < 2:
        return []
    key = _name_key(rows["name"])
    frame = pd.DataFrame({"id": rows["id"].astype(str).to_numpy(), "key": key.to_numpy(),
                          "country": rows["country"].astype(object).to_numpy() if "country" in rows else None})
    # a name of three letters or more once legal forms are set aside ("ZTE Corporation": "zte")
    frame = frame[frame["key"].str.len() >= 3]
    frame = frame[frame["key"].duplicated(keep=False)]
    if not len(frame):
        return []
    frame["source"] = _sources(frame["id"])
    out = []
    for k, group in frame.groupby("key", sort=True):
        countries = {c for c in group["country"] if isinstance(c, str) and c}
        if group["source"].nunique() < 2 or len(countries) > 1:
            continue
        out.append((tuple(sorted(group["id"])), str(k)))
    return out


def _name_key(names: pd.Series) -> pd.Series:
    """Names with case, punctuation, legal forms and a trailing part in brackets (a brand or
    former name: "Dawning Information Industry Co., Ltd. (Sugon)") set aside."""
    return (names.astype(str).str.lower().str.replace(r"\s*[(（][^()（）]*[)）]\s*$", "", regex=True)
            .str.replace(r"[^\w]+", " ", regex=True)
            .str.replace(_LEGAL_WORDS, " ", regex=True).str.split().str.join(" "))


def _sources(ids: pd.Series) -> pd.Series:
    """The source of each id: its prefix before ``:`` (``ofac``), or ``(no prefix)``."""
    return ids.astype(str).str.extract(r"^([^:]+):", expand=False).fillna("(no prefix)")


def duplicates(g: OwnershipGraph) -> pd.DataFrame:
    """Records that probably describe one party, for a person to check and join.

    Two kinds of evidence, each its own group: records with different ids that share
    an identifier (an OFAC entity number, a registration number, an LEI); and companies
    from different sources (id prefixes) whose names are the same once case,
    punctuation and legal form are set aside, unless their countries disagree.
    Records already joined by ``same_as`` relations that hold from always and never
    end are still listed, with the reason saying so, so the table is a complete
    review list.

    Returns
    -------
    DataFrame
        One row per record per group: ``group`` (a number), ``id, name, kind,
        country, source`` (the id's prefix) and ``reason``. Empty when nothing is
        found. Pass the groups you have checked to :func:`join_same`. Group numbers
        are only valid for this table: they change when the data changes, so keep
        the *ids* you have checked (or the rows), never a list of group numbers.

    Examples
    --------
    >>> import pandas as pd, graphkit as gk
    >>> ents = pd.DataFrame({"id": ["ofac:1", "dod:hik", "seed-hik"],
    ...                      "name": ["Hikvision Co., Ltd.", "HIKVISION", "Hangzhou Hikvision"],
    ...                      "kind": "company", "identifiers": [["uscc:913300"], [], ["uscc:913300"]]})
    >>> g = gk.OwnershipGraph.from_frames(ents)
    >>> d = duplicates(g)
    >>> d.groupby("group")["id"].apply(list).tolist()
    [['ofac:1', 'seed-hik'], ['dod:hik', 'ofac:1']]
    >>> d.groupby("group")["reason"].first().tolist()[0]
    "share the identifier 'uscc:913300'"
    >>> g2 = join_same(g, d[d["group"] == 1], source_ref="checked: same USCC in the register")
    >>> duplicates(g2)["reason"].iloc[0]
    "share the identifier 'uscc:913300'; already joined by same_as"
    """
    ents = g.entities
    words = dict(zip(ents["id"].astype(str), _name_key(ents["name"]).str.split().map(set)))
    found: list[tuple[tuple[str, ...], str]] = []
    for ids, idents in identifier_groups(ents):
        reason = f"share the identifier{'s' if len(idents) > 1 else ''} " + ", ".join(map(repr, idents))
        if any(not (words.get(a, set()) & words.get(b, set())) for a in ids for b in ids if a < b):
            reason += "; their names have no word in common: check the identifier"  # a related party's number?
        found.append((ids, reason))
    for ids, key in name_groups(ents):
        found.append((ids, f"same name once case, punctuation and legal form are set aside ({key!r}), "
                           "from different sources"))
    if not found:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in COLUMNS}).astype({"group": "int64"})
    joined = _Joins(g)
    rows = []
    for number, (ids, reason) in enumerate(found, start=1):
        done = all(joined.same(ids[0], other) for other in ids[1:])
        for i in ids:
            rows.append({"group": number, "id": i, "reason": reason + ("; already joined by same_as" if done else "")})
    out = pd.DataFrame(rows)
    info = ents.set_index(ents["id"].astype(str))
    for col in ("name", "kind", "country"):
        out[col] = out["id"].map(info[col].astype(object)) if col in info else None
    out["source"] = _sources(out["id"])
    return out[COLUMNS]


class _Joins:
    """Which ids are joined by ``same_as`` relations that never end and hold from ``start``
    (or from always, when ``start`` is None): union-find, grown as joins are added."""

    def __init__(self, g: OwnershipGraph, start: str | None = None) -> None:
        self.parent: dict[str, str] = {}
        rel = g.relations
        sel = rel[(rel["kind"].astype(str) == "same_as") & rel["end"].isna()]
        begins = sel["start"].astype(object)
        held = begins.isna() if start is None else (begins.isna() | (begins.astype(str) <= start))
        for a, b in zip(sel.loc[held, "source"].astype(str), sel.loc[held, "target"].astype(str)):
            self.join(a, b)

    def find(self, x: str) -> str:
        parent = self.parent
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)

    def same(self, a: str, b: str) -> bool:
        return self.find(a) == self.find(b)


def join_same(g: OwnershipGraph, groups: pd.DataFrame | Iterable[Sequence[str]], *, source_ref: str,
              confidence: str = "reported", start: object = None) -> OwnershipGraph:
    """A new graph in which the records of each group are joined by ``same_as`` relations.

    Parameters
    ----------
    g : OwnershipGraph
    groups : DataFrame or iterable of id lists
        The rows of :func:`duplicates` you have checked (columns ``group`` and ``id``),
        or lists of ids, each list one party. The first id of each group is the kept
        record; every other id gets a ``same_as`` relation to it.
    source_ref : str
        Why you join them (your review note, a register extract): every fact in
        graphkit has a source, and explanations cite it.
    confidence : {"confirmed", "reported", "suspected"}
        How sure the join is (default ``reported``). Screening's weakest evidence
        counts it.
    start : date, optional
        The first day the join holds (default: always).

    Returns
    -------
    OwnershipGraph
        The graph with the new relations (ids ``same_as:<id>=<kept id>``); joins that
        are already there are not repeated.

    Raises
    ------
    GraphkitError
        If ``source_ref`` is empty or a group names an id that is not in the graph.

    Examples
    --------
    >>> import pandas as pd, graphkit as gk
    >>> ents = pd.DataFrame({"id": ["a", "a2"], "name": ["Alpha", "Alpha Co"], "kind": "company"})
    >>> lst = pd.DataFrame({"entity": ["a"], "list": ["us-ofac-sdn"]})
    >>> g = join_same(gk.OwnershipGraph.from_frames(ents, None, lst), [["a", "a2"]], source_ref="my review")
    >>> g.relations[["id", "source", "target", "kind", "source_ref"]].iloc[0].tolist()
    ['same_as:a2=a', 'a2', 'a', 'same_as', 'my review']
    >>> gk.restricted(g, "ofac50", as_of="2025-01-01").set_index("id").loc["a2", "status"]
    'listed'
    """
    from graphkit.graph import OwnershipGraph

    if not isinstance(source_ref, str) or not source_ref.strip():
        raise GraphkitError("join_same needs a source_ref: say why these records are one party "
                            "(your review note, a register extract)")
    if isinstance(groups, pd.DataFrame):
        missing = {"group", "id"} - set(groups.columns)
        if missing:
            raise GraphkitError(f"join_same: the table of groups lacks the column(s) {sorted(missing)} "
                                "(give rows of graphkit.duplicates, or lists of ids)")
        lists = [list(dict.fromkeys(map(str, s))) for _, s in groups.groupby("group", sort=False)["id"]]
    else:
        lists = [list(dict.fromkeys(map(str, ids))) for ids in groups]
    known = set(g.entities["id"].astype(str))
    unknown = sorted({i for ids in lists for i in ids} - known)
    if unknown:
        raise GraphkitError(f"join_same: {len(unknown)} id(s) not in the graph: "
                            + ", ".join(map(repr, unknown[:10])) + (" ..." if len(unknown) > 10 else ""))
    single = [ids[0] for ids in lists if len(ids) == 1]
    if single and len(single) == len(lists):
        raise GraphkitError("join_same: nothing to join: every group has one id ("
                            + ", ".join(map(repr, single[:10])) + "); keep at least two rows of a group")
    if single:
        log.warning("join_same: %d group(s) with one id joined nothing: %s", len(single),
                    ", ".join(map(repr, single[:10])))
    day = None if start is None else date_type.as_of_text(start)
    joined = _Joins(g, day)
    have = set(g.relations["id"].astype(str))
    new = []
    for ids in lists:
        kept = ids[0]
        for other in ids[1:]:
            rid = f"same_as:{other}={kept}"
            if joined.same(other, kept):  # already one party from that day on (this call included)
                continue
            while rid in have:  # an earlier join of the pair, ended or later: a new relation beside it
                rid += "+"
            have.add(rid)
            joined.join(other, kept)
            new.append({"id": rid, "source": other, "target": kept, "kind": "same_as", "source_ref": source_ref,
                        "confidence": confidence, "start": day})
    if not new:
        log.info("join_same: every group is one party already; nothing added")
        return g
    rels = pd.concat([g.relations, pd.DataFrame(new)], ignore_index=True)
    out = OwnershipGraph.from_frames(g.entities, rels, g.listings, on_error="report", problems=g.problems)
    out.problems = list(dict.fromkeys(out.problems))  # the checks found again on the same tables: once
    return out
