"""Check and normalise the three tables of an OwnershipGraph.

The column layout is declared in ``schema/tables.yaml``; this module applies it.
Each check is vectorised (a graph may have millions of rows) and every problem is
reported with its table, row and, when the frame came from a file, the file and
line (frames may carry ``_file`` and ``_line`` columns for that purpose; they are
removed after validation).

Nothing is dropped silently: in ``on_error="raise"`` mode any problem raises
:class:`~graphkit.errors.GraphValidationError` listing all of them; in
``on_error="report"`` mode every problem is returned, and:

- a bad value in a column that is *needed to place the row* (``id``, ``kind``,
  ``source``, ``target``, ``entity``, ``list``; a duplicate id; a relation from
  an entity to itself or between kinds it cannot join) leaves the row out
  (Problem ``rejected``);
- a bad value in any other column (dates, share, confidence, country, roles,
  true/false flags, an empty name) keeps the row with that value unknown
  (Problem ``kept``, naming the value and what was assumed); the value as written
  is added to the row's ``note``. The assumptions are the cautious ones for
  screening: an unreadable listing or relation date, or an end before the start,
  leaves the fact in force; an unreadable share is 0 to 100%; an unknown
  confidence is the default (``reported``); an empty name is the id;
- relations or listings that point to a missing entity get a stub entity
  (Problem ``stub``) instead of being dropped.

Examples
--------
>>> import pandas as pd
>>> c = check_tables(pd.DataFrame({"id": ["a"], "name": ["A"], "kind": ["company"]}), None,
...                  pd.DataFrame({"entity": ["a"], "list": ["us-ofac-sdn"], "start": ["2019-31-10"]}),
...                  on_error="report")
>>> len(c.listings), pd.isna(c.listings.loc[0, "start"]), c.listings.loc[0, "note"]
(1, True, "start as written: '2019-31-10'")
>>> print(c.problems[0].action, c.problems[0].column)
kept start
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from graphkit.errors import Problem
from graphkit.holdings import holding_checks, same_as_checks
from graphkit.model import Model, get_model
from graphkit.types import country as country_type
from graphkit.validate_base import (
    LIST_SEP,
    TEXT,
    _arrow,
    _check_columns,
    _choice,
    _ids,
    _isna,
    _map_unique,
    _required,
    _Table,
    columns_message,
    to_list,
)
from graphkit.validate_values import _bools, _dates, _lists, _shares, _texts

__all__ = ["Checked", "check_tables", "columns_message", "to_list"]



@dataclass
class Checked:
    entities: pd.DataFrame
    relations: pd.DataFrame
    listings: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    # Positions of each relation's source and target in ``entities`` (reused by the index).
    positions: tuple[np.ndarray, np.ndarray] | None = None


def _entities(t: _Table, model: Model) -> None:
    if not _check_columns(t, model):
        return
    _required(t, model, skip=("name",))
    _ids(t, "e")
    # An empty name does not stop the entity being placed: its id stands in (kept).
    names = t.text("name")
    empty = names.isna().to_numpy() & ~t.bad
    if empty.any():
        t.keep(empty, "name", "name is empty; the id is used as the name", None)
        names = names.where(~empty, t.df["id"])
    t.df["name"] = names
    _choice(t, "kind", model.entity_kinds, "entity kind")
    _lists(t, ("aliases", "roles", "identifiers"))
    roles = t.df["roles"]
    has = roles.notna().to_numpy()
    if has.any():
        unknown = np.zeros(len(roles), dtype=bool)
        unknown[has] = [any(r not in model.roles for r in v) for v in roles[has]]
        if unknown.any():
            odd = pd.Series([None] * len(roles), dtype=object)
            rows = np.flatnonzero(unknown)
            odd.iloc[rows] = [LIST_SEP.join(r for r in roles.iloc[i] if r not in model.roles) for i in rows]
            t.keep(unknown, "roles", f"unknown role (known: {', '.join(model.roles)}); the known "
                   "roles are kept, the unknown ones left out", odd)
            kept = roles.copy()
            kept.iloc[rows] = [[r for r in roles.iloc[i] if r in model.roles] or None for i in rows]
            t.df["roles"] = kept
    raw = t.text("country")
    out, bad, msgs = _map_unique(raw, country_type.parse)
    t.keep(bad, "country", lambda r: f"{msgs.iloc[r]}; the country is left unknown", raw)
    t.df["country"] = out.astype(TEXT)
    _bools(t, "illustrative")
    _texts(t, ("name", "note", "source_ref"))


def _relations(t: _Table, model: Model) -> None:
    if not _check_columns(t, model):
        return
    _required(t, model)
    _ids(t, "r")
    _choice(t, "kind", model.relation_kinds, "relation kind")
    _choice(t, "confidence", model.confidence, "confidence level", default=model.default_confidence)
    _shares(t, model)
    _dates(t, ("start", "end", "observed"))
    _bools(t, "illustrative")
    _bools(t, "indirect")
    _texts(t, [c for c, spec in model.tables["relations"].items()
               if spec.type == "text" and c not in ("source", "target")])
    self_loop = (t.df["source"] == t.df["target"]).fillna(False).to_numpy(dtype=bool)
    t.report(self_loop, "target", "relation from an entity to itself")


def _listings(t: _Table, model: Model) -> None:
    if not _check_columns(t, model):
        return
    _required(t, model)
    _ids(t, "l")
    _choice(t, "list", model.lists, "list code")
    _choice(t, "confidence", model.confidence, "confidence level", default=model.default_confidence)
    _dates(t, ("start", "end", "observed"))
    _texts(t, ("program", "listed_name", "source_ref", "note"))


def _references(rel: _Table, lst: _Table, ents: pd.DataFrame, model: Model,
                on_error: str) -> tuple[pd.DataFrame, tuple[np.ndarray, np.ndarray] | None]:
    """Dangling references and kind compatibility.

    Returns the stub entities to add (report mode) and, per relation row, the
    positions of source and target in the entity table with the stubs appended.
    """
    empty = pd.DataFrame({"id": pd.Series([], dtype=TEXT)})
    if "id" not in ents or "kind" not in ents:  # the entities table itself was unusable
        return empty, None
    id_set = _arrow(ents["id"])
    stubs: dict[str, tuple[str, str]] = {}
    positions: dict[str, np.ndarray] = {}
    for t, cols in ((rel, ("source", "target")), (lst, ("entity",))):
        if t.bad.all() or not len(t.df):
            continue
        for col in cols:
            vals = t.df[col]
            pos = pc.fill_null(pc.index_in(_arrow(vals), value_set=id_set), -1)
            pos_np = np.asarray(pos.to_numpy(), dtype=np.int64)
            if t is rel:
                positions[col] = pos_np
            missing = (pos_np < 0) & vals.notna().to_numpy() & ~t.bad
            if not missing.any():
                continue
            if on_error == "report":
                t.report(missing, col, lambda r, v=vals: f"refers to entity {v.iloc[r]!r}, which is not "  # type: ignore[misc]
                         "in the entities table: a stub entity was created", vals, action="stub")
                for r in np.flatnonzero(missing):
                    kind = _stub_kind(model, t.df["kind"].iloc[r] if t.name == "relations" else None, col)
                    stubs.setdefault(str(vals.iloc[r]), (f"{t.name} {col}", kind))
            else:
                t.report(missing, col, lambda r, v=vals: f"refers to entity {v.iloc[r]!r}, which is not "  # type: ignore[misc]
                         "in the entities table", vals)
    stub_frame = pd.DataFrame({
        "id": pd.Series(list(stubs), dtype=TEXT),
        "name": pd.Series(list(stubs), dtype=TEXT),
        "kind": pd.Categorical([k for _, k in stubs.values()], categories=list(model.entity_kinds)),
        "note": pd.Series([f"Stub: named in the {w} column but absent from the entities table."
                           for w, _ in stubs.values()], dtype=TEXT),
    })
    if not positions:
        return stub_frame, None
    if stubs:  # stubs are appended after the entities: point the dangling rows at them
        stub_pos = {sid: len(ents) + i for i, sid in enumerate(stubs)}
        for col in ("source", "target"):
            pos = positions[col]
            for r in np.flatnonzero(pos < 0):
                pos[r] = stub_pos.get(str(rel.df[col].iloc[r]), -1)
    kinds = pd.concat([ents["kind"].astype(object), stub_frame["kind"].astype(object)], ignore_index=True)
    kind_cat = pd.Categorical(kinds, categories=list(model.entity_kinds))
    _kind_compat(rel, np.asarray(kind_cat.codes, dtype=np.int64), positions, model)
    return stub_frame, (positions["source"], positions["target"])


def _stub_kind(model: Model, relation_kind: object, column: str) -> str:
    """Kind for a stub entity: what the relation requires at that end (legal_entity if open)."""
    rk = model.relation_kinds.get(str(relation_kind)) if not _isna(relation_kind) else None
    if rk is None:
        return "legal_entity"
    allowed = rk.target_kinds if column == "target" else rk.source_kinds
    return "legal_entity" if "legal_entity" in allowed or not allowed else allowed[0]


def _kind_compat(t: _Table, entity_kind_codes: np.ndarray, positions: dict[str, np.ndarray],
                 model: Model) -> None:
    """Each relation's ends must be of the kinds its relation kind allows (checked on codes)."""
    df = t.df

    def ek_of(r: int, side: str) -> int:
        return int(entity_kind_codes[positions[side][r]])

    rel_cats = list(df["kind"].cat.categories)
    ent_cats = list(model.entity_kinds)
    rk = np.asarray(df["kind"].cat.codes, dtype=np.int64)
    for side, attr in (("source", "source_kinds"), ("target", "target_kinds")):
        pos = positions[side]
        ek = np.where(pos >= 0, entity_kind_codes[np.maximum(pos, 0)], -1)
        pair = rk * 1024 + ek
        wrong = [int(p) for p in np.unique(pair[(rk >= 0) & (ek >= 0)])
                 if not any(model.is_a(ent_cats[p % 1024], a)
                            for a in getattr(model.relation_kinds[rel_cats[p // 1024]], attr))]
        if not wrong:
            continue
        mask = np.isin(pair, wrong) & ~t.bad
        t.report(mask, side, lambda r, sd=side, at=attr: (  # type: ignore[misc]
            f"a {df['kind'].iloc[r]} relation cannot have a {ent_cats[int(ek_of(r, sd))]} as its {sd} "
            f"(expected {' or '.join(getattr(model.relation_kinds[df['kind'].iloc[r]], at))})"),
            df[side])


def check_tables(entities: pd.DataFrame, relations: pd.DataFrame | None,
                 listings: pd.DataFrame | None, *, on_error: str = "raise",
                 model: Model | None = None) -> Checked:
    """Check and normalise the three tables (see the module docstring)."""
    model = model or get_model()
    problems: list[Problem] = []
    empty_rel = pd.DataFrame(columns=["source", "target", "kind"])
    empty_lst = pd.DataFrame(columns=["entity", "list"])
    te = _Table("entities", entities, problems)
    tr = _Table("relations", relations if relations is not None else empty_rel, problems)
    tl = _Table("listings", listings if listings is not None else empty_lst, problems)
    _entities(te, model)
    _relations(tr, model)
    _listings(tl, model)
    ents = te.finish()
    if not te.usable:
        # The entities table lacks a required column (already reported): the graph cannot be
        # built, and stubs for every reference would only bury that problem.
        return Checked(ents, tr.finish(), tl.finish(), problems, None)
    stubs, positions = _references(tr, tl, ents, model, on_error)
    for rows, column, message in holding_checks(tr.df, ~tr.bad):  # facts that cannot all be true
        tr.report(rows & ~tr.bad, column, message, action="check")
    for rows, column, message in same_as_checks(tr.df, ~tr.bad, ents):  # a join that joins nothing
        tr.report(rows & ~tr.bad, column, message, action="check")
    if len(stubs):
        ents = pd.concat([ents, stubs], ignore_index=True)
        if "illustrative" in ents:
            ents["illustrative"] = ents["illustrative"].fillna(False).astype(bool)
        for c in ("aliases", "roles", "identifiers"):
            if c in ents:
                ents[c] = ents[c].astype(object)
        for c in ("country", "source_ref"):
            if c in ents:
                ents[c] = ents[c].astype(TEXT)
    if positions is not None:
        keep = ~tr.bad
        positions = (positions[0][keep].astype(np.int32), positions[1][keep].astype(np.int32))
    return Checked(ents, tr.finish(), tl.finish(), problems, positions)
