"""OwnershipGraph: the facts of an investigation as three tables plus a compiled index.

The tables are pandas DataFrames (one row per entity, relation and listing) whose
columns are declared in ``schema/tables.yaml``. Traversal uses an integer index
compiled once on demand (see :mod:`graphkit.index`); ``to_networkx()`` gives a
networkx view for an analyst's own code.

Examples
--------
>>> import pandas as pd, graphkit as gk
>>> g = gk.OwnershipGraph.from_frames(
...     entities=pd.DataFrame({"id": ["x", "a"], "name": ["X Corp", "A Ltd"],
...                            "kind": ["company", "company"]}),
...     relations=pd.DataFrame({"source": ["x"], "target": ["a"], "kind": ["owns"],
...                             "share": ["50"]}),
...     listings=pd.DataFrame({"entity": ["x"], "list": ["us-ofac-sdn"]}))
>>> g
<OwnershipGraph: 2 entities, 1 relation, 1 listing>
>>> g.relations.loc[0, ["share_min", "share_max"]].tolist()
[50.0, 50.0]
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graphkit.errors import GraphValidationError, NodeNotFound, Problem, problems_frame
from graphkit.index import CompiledIndex, compile_index
from graphkit.types import date as date_type
from graphkit.validate import check_tables

__all__ = ["OwnershipGraph", "merge"]

log = logging.getLogger(__name__)


class OwnershipGraph:
    """Entities, the relations between them and their listings, with provenance.

    Build one with :meth:`from_frames` or a reader (``gk.read_csv``, ``gk.read_ofac``,
    ``gk.read_ftm``, ...). The graph is not changed by any algorithm; methods that
    select or combine return a new graph.

    Attributes
    ----------
    entities, relations, listings : pandas.DataFrame
        The tables (see ``graphkit/schema/tables.yaml`` for the columns).
    problems : list of Problem
        What the readers could not use or had to repair, with file and line.
    """

    def __init__(self, entities: pd.DataFrame, relations: pd.DataFrame, listings: pd.DataFrame,
                 problems: Sequence[Problem] = (),
                 _positions: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        self.entities = entities
        self.relations = relations
        self.listings = listings
        self.problems: list[Problem] = list(problems)
        self._relation_positions = _positions

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_frames(cls, entities: pd.DataFrame, relations: pd.DataFrame | None = None,
                    listings: pd.DataFrame | None = None, *, on_error: str = "raise",
                    problems: Iterable[Problem] = ()) -> OwnershipGraph:
        """Build a graph from three DataFrames, checking every row.

        Parameters
        ----------
        entities : DataFrame
            Columns ``id, name, kind`` and optionally ``aliases, country, roles,
            identifiers, illustrative, note, source_ref`` and any others (kept as is).
        relations : DataFrame, optional
            ``source, target, kind`` and optionally ``share`` (``"50"``, ``"25-50"``,
            ``">50"``) or ``share_min, share_max``, ``start, end, observed,
            confidence, source_ref, role, item, eccn, quantity, price, note``.
            Direction: owner -> owned, officer -> company, tenant -> provider,
            seller -> buyer, front -> principal.
        listings : DataFrame, optional
            ``entity, list`` and optionally ``program, listed_name, start, end,
            source_ref, note``.
        on_error : {"raise", "report"}
            ``"raise"`` (default): any problem raises GraphValidationError naming
            every problem, except ``check`` problems (facts kept as given that
            cannot all be true, such as shares over 100% in total), which are only
            listed in ``graph.problems``. ``"report"``: bad rows are left out and listed in
            ``graph.problems``; references to missing entities create stubs.
        problems : iterable of Problem
            Problems already found by a reader, kept in ``graph.problems``.

        Raises
        ------
        GraphValidationError
            With ``on_error="raise"``, when any row is invalid.
        """
        if on_error not in ("raise", "report"):
            raise ValueError("on_error must be 'raise' or 'report'")
        checked = check_tables(entities, relations, listings, on_error=on_error)
        given = list(problems)
        fatal = [p for p in checked.problems if p.row is None and p.action == "rejected"]
        # "check" problems (facts that cannot all be true, kept as given) never stop a build
        blocking = [p for p in given + checked.problems if p.action != "check"]
        if fatal or (on_error == "raise" and blocking):
            # A missing column makes the whole table unusable: never a partial graph.
            # In "raise" mode, problems a reader found count as much as validation's.
            raise GraphValidationError(fatal or blocking)
        # a "check" a merged graph carries already (with its file and line) is not repeated
        carried = {p.message for p in given if p.action == "check"}
        all_problems = given + [p for p in checked.problems if not (p.action == "check" and p.message in carried)]
        if all_problems:
            log.warning("%d input problem(s); see graph.problems", len(all_problems))
        return cls(checked.entities, checked.relations, checked.listings, all_problems,
                   checked.positions)

    # -- basic access -------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.entities)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._positions

    def __repr__(self) -> str:
        def n(x: int, w: str) -> str:
            return f"{x} {w}{'' if x == 1 else 's'}"
        extra = f", {n(len(self.problems), 'input problem')}" if self.problems else ""
        return (f"<OwnershipGraph: {n(len(self.entities), 'entity').replace('entitys', 'entities')}, "
                f"{n(len(self.relations), 'relation')}, {n(len(self.listings), 'listing')}{extra}>")

    def _repr_html_(self) -> str:
        """Counts by kind and list for Jupyter (escaped; nothing written), and how to draw it."""
        from graphkit.report import graph_summary_html

        hint = ('<div style="color:#555"><i>Draw it inline with <code>gk.show(g)</code>, or to a '
                "file with <code>gk.to_html(g, path=...)</code>; cut a large graph first with "
                "<code>gk.viz.focus(g, ids, hops=2)</code>.</i></div>")
        return graph_summary_html(self) + "\n" + hint

    @cached_property
    def index(self) -> CompiledIndex:
        """The compiled integer index (built on first use)."""
        index = compile_index(self.entities, self.relations, self._relation_positions)
        self._relation_positions = None
        return index

    @cached_property
    def _positions(self) -> pd.Index:
        return pd.Index(self.entities["id"])

    def entity(self, entity_id: str) -> dict[str, Any]:
        """One entity's row as a dict, with its listings under ``"listings"``."""
        pos = self._positions.get_indexer([entity_id])[0]
        if pos < 0:
            raise NodeNotFound(f"entity {entity_id!r} is not in the graph")
        row = {k: _plain(v) for k, v in self.entities.iloc[pos].items()}
        lst = self.listings[self.listings["entity"] == entity_id]
        row["listings"] = [{k: _plain(v) for k, v in r.items()} for r in lst.to_dict("records")]
        return row

    def name_of(self, entity_id: str) -> str:
        """The main name of an entity (the id itself if unknown)."""
        pos = self._positions.get_indexer([entity_id])[0]
        return str(self.entities["name"].iloc[pos]) if pos >= 0 else str(entity_id)

    def check_ids(self, ids: Iterable[str]) -> list[str]:
        """Return ``ids`` as a list, raising NodeNotFound naming those not in the graph."""
        ids = [ids] if isinstance(ids, str) else list(ids)
        pos = self._positions.get_indexer(ids)
        missing = [i for i, p in zip(ids, pos) if p < 0]
        if missing:
            shown = ", ".join(map(repr, missing[:5])) + (" ..." if len(missing) > 5 else "")
            raise NodeNotFound(f"not in the graph: {shown}")
        return ids

    # -- time ---------------------------------------------------------------------------
    def active_relations(self, as_of: object = None) -> np.ndarray:
        """Mask of relations in force on ``as_of`` (None: today)."""
        return _in_force(self.relation_days, as_of)

    @cached_property
    def relation_days(self) -> tuple[np.ndarray, np.ndarray]:
        """First and last day each relation may hold, as int32 day numbers (days since
        1970-01-01; partial dates read cautiously, see :func:`graphkit.types.date.bounds`),
        read once per graph."""
        return date_type.bounds(self.relations["start"], self.relations["end"])

    def active_listings(self, as_of: object = None, lists: Iterable[str] | None = None, *,
                        positions: bool = False) -> pd.DataFrame:
        """Listings in force on ``as_of`` (None: today), optionally only some lists.

        With ``positions=True`` a column ``_pos`` gives each listed entity's position
        in the index (-1 if it is not in the graph).
        """
        keep = self._listings_in_force(as_of)
        out = self.listings.loc[keep]
        if positions:
            out = out.assign(_pos=self._listing_positions[keep])
        if lists is not None:
            out = out[out["list"].isin(list(lists))]
        return out

    def listings_not_in_force(self, as_of: object = None) -> pd.DataFrame:
        """Listings *not* in force on ``as_of`` (None: today): ended before it or starting
        after it (column ``_ended`` says which), with ``_pos`` as in :meth:`active_listings`,
        ordered by entity position, then first day.

        >>> import graphkit as gk
        >>> gk.example_graph().listings_not_in_force("2019-01-01")[["entity", "list", "_ended"]].values.tolist()
        [['parent', 'us-bis-entity-list', False]]
        """
        lo, hi = self._listing_days
        day = date_type.day_number(date_type.as_of_text(as_of))
        rows = np.flatnonzero((lo > day) | (day > hi))
        rows = rows[np.lexsort((lo[rows], self._listing_positions[rows]))]
        return self.listings.iloc[rows].assign(_pos=self._listing_positions[rows], _ended=hi[rows] < day)

    def listed_mask(self, as_of: object = None, lists: Iterable[str] | None = None) -> np.ndarray:
        """Boolean mask over entity positions: listed on ``as_of``."""
        keep = self._listings_in_force(as_of)
        if lists is not None:
            keep &= self.listings["list"].isin(list(lists)).to_numpy(dtype=bool)
        pos = self._listing_positions[keep]
        mask = np.zeros(len(self.entities), dtype=bool)
        mask[pos[pos >= 0]] = True
        return mask

    def _listings_in_force(self, as_of: object) -> np.ndarray:
        return _in_force(self._listing_days, as_of)

    @cached_property
    def _listing_days(self) -> tuple[np.ndarray, np.ndarray]:
        """First and last day each listing may hold (day numbers), read once per graph."""
        return date_type.bounds(self.listings["start"], self.listings["end"])

    @cached_property
    def _listing_positions(self) -> np.ndarray:
        """Entity position of each listing (-1 if its entity is missing), looked up once."""
        return self.index.positions(self.listings["entity"])

    # -- selection and combination -------------------------------------------------------
    def subgraph(self, ids: Iterable[str]) -> OwnershipGraph:
        """The entities ``ids`` with the relations among them and their listings."""
        keep = set(self.check_ids(ids))
        ents = self.entities[self.entities["id"].isin(keep)].reset_index(drop=True)
        rels = self.relations[self.relations["source"].isin(keep) & self.relations["target"].isin(keep)]
        lsts = self.listings[self.listings["entity"].isin(keep)]
        return OwnershipGraph(ents, rels.reset_index(drop=True), lsts.reset_index(drop=True))

    def neighbourhood(self, ids: Iterable[str], hops: int = 1, *, kinds: Iterable[str] | None = None,
                      as_of: object | None = None) -> OwnershipGraph:
        """Subgraph of everything within ``hops`` steps of ``ids`` (either direction)."""
        start = self.index.positions(self.check_ids(ids))
        mask = self.index.kind_mask(kinds)
        if as_of is not None:
            mask &= self.active_relations(as_of)
        seen = np.zeros(self.index.n, dtype=bool)
        seen[start] = True
        frontier = start
        src, dst = self.index.src[mask], self.index.dst[mask]
        for _ in range(hops):
            nxt = np.concatenate([dst[np.isin(src, frontier)], src[np.isin(dst, frontier)]])
            nxt = np.unique(nxt[~seen[nxt]])
            if not len(nxt):
                break
            seen[nxt] = True
            frontier = nxt
        return self.subgraph(self.entities["id"].to_numpy()[seen])

    def merge(self, other: OwnershipGraph) -> OwnershipGraph:
        """Combine two graphs (see :func:`merge`)."""
        return merge(self, other)

    # -- conversion ---------------------------------------------------------------------
    def to_networkx(self, nodes: Iterable[str] | None = None) -> Any:
        """A networkx MultiDiGraph of the whole graph or of the entities ``nodes``.

        Node attributes are the entity columns plus ``listings`` (a list of dicts);
        edges are keyed by relation id and carry every relation column.
        """
        import networkx as nx

        g = self if nodes is None else self.subgraph(nodes)
        G = nx.MultiDiGraph()
        by_entity: dict[str, list[dict[str, Any]]] = {}
        for rec in g.listings.to_dict("records"):
            by_entity.setdefault(rec["entity"], []).append({k: _plain(v) for k, v in rec.items()})
        for rec in g.entities.to_dict("records"):
            attrs = {k: _plain(v) for k, v in rec.items() if k != "id"}
            attrs["listings"] = by_entity.get(rec["id"], [])
            G.add_node(rec["id"], **attrs)
        for rec in g.relations.to_dict("records"):
            attrs = {k: _plain(v) for k, v in rec.items() if k not in ("source", "target")}
            G.add_edge(rec["source"], rec["target"], key=rec["id"], **attrs)
        return G

    def save(self, path: str | Path) -> Path:
        """Write the graph to a folder of Parquet files (lossless; see ``gk.load``)."""
        from graphkit.io.parquet import save

        return save(self, path)

    def problems_frame(self) -> pd.DataFrame:
        """The input problems as a DataFrame (file, line, column, message, action)."""
        return problems_frame(self.problems)


def _plain(v: Any) -> Any:
    """A cell as a plain Python value (None for missing)."""
    if isinstance(v, (list, dict)):
        return v
    if isinstance(v, np.ndarray):
        return v.tolist()
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        return v
    if isinstance(v, np.generic):
        return v.item()
    return v


def merge(*graphs: OwnershipGraph) -> OwnershipGraph:
    """Combine graphs: entities with the same id become one, facts are kept from all.

    For an entity present in several graphs, the first non-empty value of each
    column wins and list columns (aliases, roles, identifiers) are united. A stub
    (an entity only named by a relation, whose name is its id) yields to a
    described entity. When the graphs give one id different names, the first is
    the name and the others become aliases, and ``problems`` says so (``kept``).
    Relations and listings are concatenated; exact repeats (same id, same content)
    are kept once. Two entities with the same id but different kinds, or two
    different relations with the same id, raise GraphValidationError. Entities with
    *different* ids that share an identifier (an OFAC entity number, a registration
    number), or companies from different sources with the same name once case,
    punctuation and legal form are set aside, stay separate and are reported
    (``check``): a person decides whether to join them.

    Examples
    --------
    >>> import pandas as pd, graphkit as gk
    >>> a = gk.OwnershipGraph.from_frames(pd.DataFrame({"id": ["x"], "name": ["X Ltd"], "kind": ["company"]}))
    >>> b = gk.OwnershipGraph.from_frames(pd.DataFrame({"id": ["x"], "name": ["X Limited"], "kind": ["company"]}))
    >>> m = merge(a, b)
    >>> m.entity("x")["name"], m.entity("x")["aliases"], m.problems[0].action
    ('X Ltd', ['X Limited'], 'kept')
    """
    if not graphs:
        raise ValueError("merge needs at least one graph")
    ents = pd.concat([g.entities for g in graphs], ignore_index=True)
    problems = list(dict.fromkeys(p for g in graphs for p in g.problems))
    ents = _most_specific_kinds(ents)
    dup = ents["id"].duplicated(keep=False)
    if dup.any():
        lists = ("aliases", "roles", "identifiers")
        agg = {c: ("first" if c not in lists else _union) for c in ents.columns if c != "id"}
        rows = ents[dup]
        placeholder = (rows["name"].isna() | (rows["name"].astype(object) == rows["id"].astype(object)))
        if "note" in rows:  # a stub's "absent from the entities table" is no longer true
            stale = (placeholder & rows["id"].isin(set(rows.loc[~placeholder, "id"]))
                     & rows["note"].astype(object).map(lambda v: isinstance(v, str) and v.startswith("Stub:")))
            if stale.any():
                rows = rows.copy()
                rows.loc[stale, "note"] = None
        rows = rows.iloc[np.argsort(placeholder.to_numpy(dtype=bool), kind="stable")]  # stubs last
        merged = rows.groupby("id", sort=False).agg(agg).reset_index()
        merged, renamed = _other_names_as_aliases(rows, merged)
        problems += renamed
        ents = pd.concat([ents[~dup], merged], ignore_index=True)
    if len(graphs) > 1:
        problems += _shared_identifiers(ents)
        problems += _same_names(ents)
    rel_cols = list(dict.fromkeys(c for g in graphs for c in g.relations.columns))
    rels = pd.concat([g.relations for g in graphs], ignore_index=True)[rel_cols]
    lsts = pd.concat([g.listings for g in graphs], ignore_index=True)
    out_rel: list[pd.DataFrame] = []
    out_lst: list[pd.DataFrame] = []
    for frame, name, out in ((rels, "relations", out_rel), (lsts, "listings", out_lst)):
        frame = frame.drop_duplicates()
        clashing = frame["id"][frame["id"].duplicated()]
        if len(clashing):
            raise GraphValidationError([Problem(f"two different {name} share the id {i!r}", table=name,
                                                column="id") for i in clashing])
        out.append(frame.reset_index(drop=True))
    return OwnershipGraph.from_frames(ents, out_rel[0], out_lst[0], on_error="report", problems=problems)


_STAY_SEPARATE = ("they stay separate (graphkit.duplicates lists them; join the ones you have checked with "
                  "graphkit.join_same, or give them one id)")


def _ids_text(ids: list[str] | tuple[str, ...], most: int = 5) -> str:
    """``'a', 'b' and 3 more``."""
    return ", ".join(map(repr, ids[:most])) + (f" and {len(ids) - most} more" if len(ids) > most else "")


def _shared_identifiers(ents: pd.DataFrame, limit: int = 1000) -> list[Problem]:
    """Entities with different ids that carry the same identifier
    (:func:`graphkit.duplicates.identifier_groups`): probably one party described by two
    sources. Reported (``check``), not joined: only a person can decide
    (:func:`graphkit.duplicates.join_same`, or one id in their own tables).
    """
    from graphkit.duplicates import identifier_groups

    shared = identifier_groups(ents)
    out = []
    for ids, idents in shared[:limit]:
        out.append(Problem(f"entities {_ids_text(ids)} share the identifier(s) {', '.join(map(repr, idents))}: "
                           f"probably one party described by several sources; {_STAY_SEPARATE}",
                           table="entities", column="identifiers", value="; ".join(idents), action="check"))
    if len(shared) > limit:
        out.append(Problem(f"{len(shared) - limit} more groups of entities share identifiers (not listed)",
                           table="entities", column="identifiers", action="check"))
    return out


def _same_names(ents: pd.DataFrame, limit: int = 1000) -> list[Problem]:
    """Companies from different sources with the same name once case, punctuation and legal
    form are set aside (:func:`graphkit.duplicates.name_groups`): possibly one party read
    from several lists. Reported (``check``), never joined: same-named companies can be
    different companies.
    """
    from graphkit.duplicates import name_groups

    out: list[Problem] = []
    for ids, k in name_groups(ents):
        if len(out) == limit:
            out.append(Problem("more companies from different sources share a name (not listed)",
                               table="entities", column="name", action="check"))
            break
        out.append(Problem(f"entities {_ids_text(ids)}, from different sources, have the same name "
                           f"once case, punctuation and legal form are set aside ({k!r}): possibly one party read "
                           f"from several lists; {_STAY_SEPARATE}",
                           table="entities", column="name", value=str(k), action="check"))
    return out


def _other_names_as_aliases(rows: pd.DataFrame, merged: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Names a repeated id has besides the chosen one become aliases, with a Problem each id."""
    names = rows.loc[rows["name"].notna() & (rows["name"].astype(object) != rows["id"].astype(object)),
                     ["id", "name"]].astype(str).drop_duplicates()
    counts = names["id"].value_counts()
    clashing = set(counts.index[counts > 1])
    if not clashing:
        return merged, []
    problems: list[Problem] = []
    merged = merged.copy()
    aliases = merged["aliases"].astype(object) if "aliases" in merged else pd.Series([None] * len(merged))
    aliases = aliases.tolist()
    where = {eid: i for i, eid in enumerate(merged["id"].astype(str))}
    for eid, group in names[names["id"].isin(clashing)].groupby("id", sort=False):
        i = where[str(eid)]
        chosen = str(merged["name"].iloc[i])
        others = [n for n in group["name"] if n != chosen]
        have = list(aliases[i]) if isinstance(aliases[i], (list, tuple, np.ndarray)) else []
        aliases[i] = have + [n for n in others if n not in have]
        problems.append(Problem(
            f"entity {eid!r} has different names in the merged graphs; {chosen!r} is kept as its "
            f"name and {', '.join(map(repr, others))} as alias(es)",
            table="entities", column="name", value="; ".join([chosen, *others]), action="kept"))
    merged["aliases"] = pd.Series(aliases, index=merged.index, dtype=object)
    return merged, problems


def _most_specific_kinds(ents: pd.DataFrame) -> pd.DataFrame:
    """Give each repeated id its most specific kind (a stub's legal_entity yields to company).

    Kinds that are not on one line of descent (company vs person) raise GraphValidationError.
    """
    from graphkit.model import get_model

    kinds = ents["kind"].astype(object)
    n_kinds = kinds.groupby(ents["id"]).nunique()
    clashing = n_kinds[n_kinds > 1].index
    if not len(clashing):
        return ents
    model = get_model()
    chosen: dict[str, str] = {}
    bad: list[Problem] = []
    for eid, group in kinds[ents["id"].isin(clashing)].groupby(ents["id"]):
        distinct = list(dict.fromkeys(group))
        best = max(distinct, key=lambda k: len(model.entity_kinds[k].ancestors))
        if all(model.is_a(best, k) for k in distinct):
            chosen[str(eid)] = best
        else:
            bad.append(Problem(f"entity {eid!r} has different kinds in the merged graphs "
                               f"({', '.join(distinct)})", table="entities", column="kind"))
    if bad:
        raise GraphValidationError(bad)
    ents = ents.copy()
    fix = ents["id"].isin(list(chosen))
    ents.loc[fix, "kind"] = ents.loc[fix, "id"].map(chosen).to_numpy()
    return ents


def _union(values: pd.Series) -> list[str] | None:
    seen: dict[str, None] = {}
    for v in values:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            continue
        for item in v:
            seen.setdefault(item, None)
    return list(seen) or None


def _in_force(days: tuple[np.ndarray, np.ndarray], as_of: object) -> np.ndarray:
    """Rows whose (first day, last day) bounds hold ``as_of`` (None: today)."""
    day = date_type.day_number(date_type.as_of_text(as_of))
    lo, hi = days
    return (lo <= day) & (day <= hi)
