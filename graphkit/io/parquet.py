"""Lossless save and load of an OwnershipGraph as a folder of Parquet files.

The folder holds ``entities.parquet``, ``relations.parquet``, ``listings.parquet``,
``problems.parquet`` and ``graphkit.json`` (format version and counts).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa

from graphkit.errors import Problem, ReadError

if TYPE_CHECKING:
    from graphkit.graph import OwnershipGraph

__all__ = ["FORMAT", "load", "save"]

FORMAT = "graphkit-parquet/1"
_TABLES = ("entities", "relations", "listings")
_LIST_COLUMNS = ("aliases", "roles", "identifiers")


def save(graph: OwnershipGraph, path: str | Path) -> Path:
    """Write ``graph`` into the folder ``path`` (created if needed; files replaced)."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    for name in _TABLES:
        getattr(graph, name).to_parquet(folder / f"{name}.parquet", index=False)
    graph.problems_frame().astype(object).to_parquet(folder / "problems.parquet", index=False)
    meta = {"format": FORMAT, **{name: len(getattr(graph, name)) for name in _TABLES},
            "problems": len(graph.problems)}
    (folder / "graphkit.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return folder


def load(path: str | Path) -> OwnershipGraph:
    """Read a graph written by ``OwnershipGraph.save``.

    Raises
    ------
    ReadError
        When the folder is missing, is not a graphkit folder, or a file is damaged.
    """
    from graphkit.graph import OwnershipGraph

    folder = Path(path)
    meta_file = folder / "graphkit.json"
    if not meta_file.is_file():
        raise ReadError(f"{folder}: not a saved graphkit graph (no graphkit.json)")
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT:
        raise ReadError(f"{folder}: format {meta.get('format')!r} is not {FORMAT!r}")
    frames = {}
    for name in _TABLES:
        try:
            frames[name] = _one_chunk(pd.read_parquet(folder / f"{name}.parquet"))
        except (OSError, ValueError) as exc:
            raise ReadError(f"{folder / (name + '.parquet')}: cannot read ({exc})") from exc
    ents = frames["entities"]
    for col in _LIST_COLUMNS:
        if col in ents:
            ents[col] = ents[col].map(lambda v: None if v is None else list(v)).astype(object)
    problems: list[Problem] = []
    pfile = folder / "problems.parquet"
    if pfile.is_file():
        pf = pd.read_parquet(pfile)
        for rec in pf.to_dict("records"):
            clean: dict[str, Any] = {str(k): (None if _missing(v) else v) for k, v in rec.items()}
            for k in ("line", "row"):
                if clean.get(k) is not None:
                    clean[k] = int(clean[k])
            problems.append(Problem(**clean))
    return OwnershipGraph(ents, frames["relations"], frames["listings"], problems)


def _one_chunk(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns read from Parquet come in one piece per row group; join the pieces once.

    Picking rows out of a column in many pieces (as screening's explanations do) is
    several times slower than out of one.
    """
    for col in frame.columns:
        arr = frame[col].array
        data = getattr(arr, "_pa_array", None)  # pandas' Arrow-backed arrays
        if isinstance(data, pa.ChunkedArray) and data.num_chunks > 1:
            frame[col] = pd.Series(type(arr)(pa.chunked_array([data.combine_chunks()])), index=frame.index,
                                   name=col)
    return frame


def _missing(v: object) -> bool:
    if isinstance(v, (list, np.ndarray)):
        return False
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False
