"""The backend contract: what every place that holds a graph must answer.

A backend stores an :class:`~graphkit.graph.OwnershipGraph` (``push``), gives it back
whole or as the neighbourhood of some entities (``pull``), and answers the path
question (``paths``) with the same rules as :func:`graphkit.paths` and the ownership-rule
question (``restricted``) as :func:`graphkit.restricted` does. The in-memory
backend is the reference; every other backend must give the same answers (the shared
test suite in ``tests/backends`` runs over all of them).

This module also holds the steps every backend shares: checking path arguments,
choosing among equally short paths, and turning plain records back into tables with
exactly the dtypes the in-memory graph uses (the *layout*).
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import numpy as np
import pandas as pd

from graphkit.algorithms.paths import DEFAULT_AVOID, Path
from graphkit.errors import GraphkitError
from graphkit.graph import OwnershipGraph, _plain
from graphkit.model import get_model
from graphkit.rules import Rule

__all__ = [
    "Backend", "BackendError", "Batch", "Layout", "MissingDependency", "PathQuery", "PushError",
    "PushReport", "check_path_query", "default_layout", "frame_from_records", "layout_of",
    "plain_values",
    "plain_records",
]

# Measured best on 2 cores (benchmarks/bench_neo4j.py): 1,000-row batches, 3 writers.
DEFAULT_BATCH_SIZE = 1_000
DEFAULT_WORKERS = 3

TABLES = ("entities", "relations", "listings")
_TEXT = pd.StringDtype("pyarrow")


# -- errors and reports ---------------------------------------------------------------------
class BackendError(GraphkitError):
    """A backend cannot do what was asked: server unreachable, connection lost, query refused."""


class MissingDependency(BackendError, ImportError):
    """An optional backend's Python package is not installed (the message says what to install)."""


@dataclass(frozen=True)
class Batch:
    """One batch of rows written in one transaction."""

    table: str           # entities | relations | listings
    number: int          # 1-based, per table
    first_row: int       # 0-based row of the table where the batch starts
    rows: int
    part: str = ""       # relation kind for relation batches (rows then count that kind only)
    first_id: str = ""   # id of the first and last row of the batch
    last_id: str = ""
    seconds: float = 0.0

    def __str__(self) -> str:
        part = f" ({self.part})" if self.part else ""
        ids = f", ids {self.first_id!r}..{self.last_id!r}" if self.first_id else ""
        return (f"{self.table}{part} batch {self.number} (rows {self.first_row}.."
                f"{self.first_row + self.rows - 1}{ids})")


@dataclass
class PushReport:
    """What a push wrote: every committed batch, in order, and the time it took."""

    target: str
    batches: list[Batch] = field(default_factory=list)
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)   # step -> wall-clock seconds

    def rows(self, table: str) -> int:
        """Rows of ``table`` committed."""
        return sum(b.rows for b in self.batches if b.table == table)

    def time(self, table: str) -> float:
        """Seconds spent in the transactions of ``table``'s batches."""
        return sum(b.seconds for b in self.batches if b.table == table)

    def __repr__(self) -> str:
        counts = ", ".join(f"{self.rows(t)} {t}" for t in TABLES)
        return f"<PushReport {self.target}: {counts} in {len(self.batches)} batches, {self.seconds:.1f} s>"


class PushError(BackendError):
    """A push stopped part-way. ``committed`` lists the batches that are in the store,
    ``failed`` the batch that was being written (it may or may not have committed when
    the connection was lost; pushing the same graph again is safe and completes it)."""

    def __init__(self, message: str, committed: Sequence[Batch], failed: Batch | None) -> None:
        self.committed = list(committed)
        self.failed = failed
        done = ", ".join(f"{t}: {sum(b.rows for b in self.committed if b.table == t)} rows"
                         for t in TABLES)
        where = f"; failed at {failed}" if failed else ""
        super().__init__(f"{message}{where}. Committed so far: {len(self.committed)} batches "
                         f"({done}). Pushing the same graph again is safe (writes are idempotent).")


# -- layout: columns and dtypes of the three tables -----------------------------------------
Column = tuple[str, str, "list[str] | None"]   # column, dtype code, categories
Layout = dict[str, list[Column]]               # table -> columns in order


def _dtype_code(dtype: Any) -> str:
    if isinstance(dtype, pd.StringDtype):
        nan = getattr(dtype, "na_value", pd.NA) is not pd.NA   # pandas 3 "str": missing is NaN
        return f"{'str' if nan else 'string'}:{dtype.storage}"
    if isinstance(dtype, pd.CategoricalDtype):
        return "category"
    return str(dtype)


def layout_of(graph: OwnershipGraph) -> Layout:
    """The columns of each table with their dtypes (and categories), in table order."""
    out: Layout = {}
    for name in TABLES:
        frame: pd.DataFrame = getattr(graph, name)
        cols: list[Column] = []
        for col in frame.columns:
            dt = frame[col].dtype
            cats = [str(c) for c in dt.categories] if isinstance(dt, pd.CategoricalDtype) else None
            cols.append((str(col), _dtype_code(dt), cats))
        out[name] = cols
    return out


def default_layout() -> Layout:
    """The layout graphkit's validation gives, from ``schema/tables.yaml``."""
    model = get_model()
    cats = {"entity_kind": list(model.entity_kinds), "relation_kind": list(model.relation_kinds),
            "list_code": list(model.lists), "confidence": list(model.confidence)}
    out: Layout = {}
    for name in TABLES:
        cols: list[Column] = []
        for col, spec in model.tables[name].items():
            if spec.type in cats:
                cols.append((col, "category", cats[spec.type]))
            elif spec.type == "list":
                cols.append((col, "object", None))
            elif spec.type == "bool":
                cols.append((col, "bool", None))
            elif spec.type == "share":
                cols.append((col, "float64", None))
            else:
                cols.append((col, "string:pyarrow", None))
        out[name] = cols
    return out


def merge_layouts(old: Layout | None, new: Layout) -> Layout:
    """Columns of both (old order first); the new dtype wins where both have a column."""
    if not old:
        return new
    out: Layout = {}
    for name in TABLES:
        newcols = {c[0]: c for c in new.get(name, [])}
        cols = [newcols.pop(c[0], c) for c in old.get(name, [])]
        out[name] = cols + list(newcols.values())
    return out


def layout_to_json(layout: Layout) -> str:
    return json.dumps(layout, sort_keys=True)


def layout_from_json(text: str) -> Layout:
    raw = json.loads(text)
    return {t: [(c[0], c[1], c[2]) for c in cols] for t, cols in raw.items()}


def _column(values: list[Any], code: str, cats: list[str] | None) -> pd.Series:
    if code == "category":
        return pd.Series(pd.Categorical(values, categories=cats or sorted({v for v in values if v})))
    if code.startswith(("string:", "str:")):
        kind, storage = code.split(":", 1)
        dtype = pd.StringDtype(storage) if kind == "string" else pd.StringDtype(storage, na_value=np.nan)
        return pd.Series(values, dtype=dtype)
    if code == "bool":
        return pd.Series([bool(v) for v in values], dtype=bool)
    if code.startswith("float"):
        return pd.Series([np.nan if v is None else v for v in values], dtype=code)
    if code == "object":
        return pd.Series(values, dtype=object)
    try:
        return pd.Series(values, dtype=pd.api.types.pandas_dtype(code))
    except (TypeError, ValueError):
        return pd.Series(values, dtype=object)


def frame_from_records(records: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str, list[str] | None]]
                       ) -> pd.DataFrame:
    """A table from plain records (missing keys are null) with the dtypes of ``columns``.

    Keys present in the records but not in ``columns`` are kept as text columns at the end.
    """
    known = [c[0] for c in columns]
    extra = sorted({k for r in records for k in r} - set(known))
    spec = list(columns) + [(k, "object", None) for k in extra]
    data = {col: _column([r.get(col) for r in records], code, cats) for col, code, cats in spec}
    return pd.DataFrame(data, columns=[c[0] for c in spec])


def plain_values(s: pd.Series) -> np.ndarray:
    """One column as an object array of plain Python values, None for missing (vectorised)."""
    dt = s.dtype
    if isinstance(dt, (pd.CategoricalDtype, pd.StringDtype)):
        out = s.astype(object).to_numpy(copy=True)
        out[s.isna().to_numpy()] = None
        return out
    if dt.kind == "f":
        arr = s.to_numpy()
        out = arr.astype(object)
        out[np.isnan(arr)] = None
        return out
    if dt.kind in "iub":
        return s.to_numpy().astype(object)
    out = np.empty(len(s), dtype=object)
    for i, v in enumerate(s.to_numpy()):
        out[i] = _plain(v)
    return out


def plain_records(frame: pd.DataFrame, drop: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values, null cells left out (for a store without null)."""
    skip = set(drop)
    cols = [str(c) for c in frame.columns if c not in skip]
    if not cols:
        return [{} for _ in range(len(frame))]
    arrays = [plain_values(frame[c]) for c in cols]
    return [{c: v for c, v in zip(cols, row) if v is not None} for row in zip(*arrays)]


# -- path queries ---------------------------------------------------------------------------
@dataclass(frozen=True)
class PathQuery:
    """The arguments of a path search, checked once."""

    source: str
    day: str
    max_hops: int
    k: int
    kinds: tuple[str, ...] | None      # relation kinds that may be walked (None: all)
    target_lists: tuple[str, ...] | None   # list codes (None: any list) when by_listing
    target_ids: tuple[str, ...] | None     # explicit target entities (not by listing)
    avoid_roles: tuple[str, ...]
    avoid_ids: tuple[str, ...]

    @property
    def by_listing(self) -> bool:
        return self.target_ids is None


def check_path_query(source: str, to: str | Iterable[str], max_hops: int, kinds: Iterable[str] | None,
                     k: int, as_of: object, avoid: Iterable[str]) -> PathQuery:
    """Check the arguments of ``paths`` the way :func:`graphkit.paths` does."""
    from graphkit.types import date as date_type

    model = get_model()
    if max_hops < 1 or k < 1:
        raise GraphkitError("max_hops and k must be at least 1")
    kind_list: tuple[str, ...] | None = None
    if kinds is not None:
        kind_list = tuple([kinds] if isinstance(kinds, str) else kinds)
        for kind in kind_list:
            model.relation(kind)
    day = date_type.as_of_text(as_of)
    names = [to] if isinstance(to, str) else list(to)
    lists: tuple[str, ...] | None = None
    ids: tuple[str, ...] | None = None
    if names != ["listed"]:
        codes = [n for n in names if n in model.lists]
        if codes and len(codes) == len(names):
            lists = tuple(codes)
        else:
            ids = tuple(names)
    avoid = [avoid] if isinstance(avoid, str) else list(avoid)
    roles = tuple(a for a in avoid if a in model.roles)
    return PathQuery(str(source), day, int(max_hops), int(k), kind_list, lists, ids, roles,
                     tuple(a for a in avoid if a not in model.roles))


# -- the contract ---------------------------------------------------------------------------
class Backend(ABC):
    """Where a graph lives. Implementations: ``MemoryBackend`` (reference), ``Neo4jBackend``.

    Backends are context managers; ``close()`` releases connections.
    """

    name: str = "backend"

    @abstractmethod
    def push(self, graph: OwnershipGraph, *, clear: bool = False) -> PushReport:
        """Store ``graph``. Entities, relations and listings are keyed by id: pushing the
        same graph twice leaves the store as after one push. ``clear`` empties it first."""

    @abstractmethod
    def pull(self, ids: Iterable[str] | None = None, *, hops: int = 1, kinds: Iterable[str] | None = None,
             as_of: object | None = None) -> OwnershipGraph:
        """The whole stored graph, or (``ids`` given) the neighbourhood of ``ids`` as
        :meth:`OwnershipGraph.neighbourhood` defines it."""

    @abstractmethod
    def paths(self, source: str, to: str | Iterable[str] = "listed", max_hops: int = 6,
              kinds: Iterable[str] | None = None, k: int = 3, as_of: object = None,
              avoid: Iterable[str] = DEFAULT_AVOID) -> list[Path]:
        """The k shortest paths from ``source``, with the rules of :func:`graphkit.paths`."""

    @abstractmethod
    def restricted(self, rule: str | Rule = "ofac50", as_of: object = None) -> pd.DataFrame:
        """Who is listed, restricted, unknown or clear under ``rule`` on ``as_of``: the
        columns of :func:`graphkit.restricted` (``id, name, status, share_min, share_max,
        red_flag, rule, as_of, explanation``), one row per legal entity. Every backend gives
        the same statuses, bounds and red flags; explanations may be shorter than the
        reference's."""

    @abstractmethod
    def clear(self) -> None:
        """Remove every graphkit entity, relation and listing from the store."""

    def close(self) -> None:  # noqa: B027 - optional for backends without resources
        """Release resources (connections); the default does nothing."""

    def __enter__(self) -> Backend:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
