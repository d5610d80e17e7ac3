"""Small HTML and text summaries of a graph, for Jupyter and the command line."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from graphkit.graph import OwnershipGraph

__all__ = ["graph_summary", "graph_summary_html", "dangling_report"]


def graph_summary(g: OwnershipGraph) -> dict[str, pd.Series]:
    """Counts: entities by kind, relations by kind, listings by list, problems by action."""
    return {
        "entities by kind": g.entities["kind"].value_counts().loc[lambda s: s > 0],
        "relations by kind": g.relations["kind"].value_counts().loc[lambda s: s > 0],
        "listings by list": g.listings["list"].value_counts().loc[lambda s: s > 0],
        "input problems": (pd.Series([p.action for p in g.problems], dtype=object).value_counts()
                           if g.problems else pd.Series(dtype=int)),
    }


def dangling_report(g: OwnershipGraph) -> pd.DataFrame:
    """References that needed a stub entity (an entity named but never described)."""
    rows = [p for p in g.problems if p.action == "stub"]
    return pd.DataFrame({"where": [p.where() for p in rows], "entity": [p.value for p in rows]})


def graph_summary_html(g: OwnershipGraph) -> str:
    """An HTML block with the counts (all text escaped)."""
    parts = [f"<div><b>{html.escape(repr(g))}</b>"]
    for title, counts in graph_summary(g).items():
        if len(counts):
            items = ", ".join(f"{html.escape(str(k))}: {int(v)}" for k, v in counts.items())
            parts.append(f"<div><i>{html.escape(title)}</i>: {items}</div>")
    parts.append("</div>")
    return "\n".join(parts)
