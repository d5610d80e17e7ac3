"""Findings of an investigation: who reaches a listed party, and how.

:func:`findings` looks at the entities that buy, rent or front (by role, or because
they buy through ``supplies`` or rent through ``rents_compute_from``), finds their
shortest paths to listed parties, and returns a table and the paths. :func:`report`
writes the findings as Markdown for people.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from tqdm.auto import tqdm

from graphkit.algorithms.paths import Path, paths
from graphkit.explain import describe_listing
from graphkit.graph import OwnershipGraph
from graphkit.types import date as date_type

__all__ = ["Findings", "findings", "channel_entities"]

CHANNEL_ROLES = ("buyer", "shell_front", "distributor", "cloud_provider", "compute_centre")
CHANNEL_RELATIONS = {"supplies": "target", "rents_compute_from": "source", "front_for": "source"}


@dataclass
class Findings:
    """The result of :func:`findings`: a table, the paths, and the day they hold for."""

    table: pd.DataFrame
    paths: list[Path]
    listed: pd.DataFrame
    as_of: str

    def reach_counts(self) -> tuple[int, int, int]:
        """How many channel entities are listed themselves (a path of 0 steps), how many
        reach a listed party through at least one relation, and how many were looked at.

        >>> import graphkit as gk
        >>> findings(gk.example_graph(), as_of="2024-01-01").reach_counts()
        (0, 3, 3)
        """
        hops = self.table["hops"]
        return int((hops == 0).sum()), int((hops > 0).sum()), len(self.table)

    def reach_summary(self) -> str:
        """One sentence saying what the reach count counts (the console and the report use it).

        A channel entity that is itself listed is counted apart from those that reach a
        listed party through others, so "reach" always means at least one step.

        >>> import graphkit as gk
        >>> print(findings(gk.example_graph(), as_of="2024-01-01").reach_summary())
        3 of 3 channel entities reach a listed party through 1 or more relations; 0 are on a list themselves (channels: buyers, fronts, resellers, cloud and compute providers).
        """
        listed, reach, total = self.reach_counts()
        return (f"{reach} of {total} channel entities reach a listed party through 1 or more "
                f"relations; {listed} {'is' if listed == 1 else 'are'} on a list themselves "
                "(channels: buyers, fronts, resellers, cloud and compute providers).")

    def report(self, title: str = "graphkit findings") -> str:
        """The findings as Markdown: listed parties, then each channel and its path."""
        lines = [f"# {title}", "", f"As of {self.as_of}.", "",
                 "Every step below cites its source and how sure it is (confirmed, reported, "
                 "suspected). Entities marked ILLUSTRATIVE are invented to show a pattern; "
                 "they are not allegations about real companies.", "", "## Listed parties", ""]
        for name, group in self.listed.groupby("name", sort=True):
            for rec in group.to_dict("records"):
                lines.append(f"- **{name}** is {describe_listing(rec)}")
        reach = self.table[self.table["hops"].notna()].sort_values(["hops", "name"])
        n_listed, n_reach, total = self.reach_counts()
        lines += ["", f"## Who reaches a listed party ({n_reach} of {total} channels; "
                  f"{n_listed} listed themselves)", "", self.reach_summary(),
                  "Channels that are on a list themselves come first (0 steps).", ""]
        by_source: dict[str, list[Path]] = {}
        for p in self.paths:
            by_source.setdefault(p.nodes[0], []).append(p)
        for rec in reach.to_dict("records"):
            lines.append(f"### {rec['name']}")
            lines.append("")
            for p in by_source.get(rec["id"], []):
                lines += ["```", p.explain(), "```", ""]
        none = self.table[self.table["hops"].isna()]
        if len(none):
            lines += ["## No path to a listed party within the hop limit", ""]
            lines += [f"- {n}" for n in none["name"]]
        return "\n".join(lines) + "\n"

    def _repr_html_(self) -> str:
        """The findings for Jupyter: a summary, the table, the best path of each channel.

        Every value is HTML-escaped; nothing is written to disk. The graph itself is
        drawn by ``gk.show(g, highlight=f.paths)``.
        """
        import html

        cols = ["name", "roles", "listed", "hops", "nearest_name", "lists", "relation_kinds",
                "weakest_confidence", "uses_illustrative"]
        table = self.table[[c for c in cols if c in self.table.columns]]
        parts = ['<div class="graphkit-findings">',
                 f"<p><b>Findings as of {html.escape(self.as_of)}</b>: "
                 f"{html.escape(self.reach_summary())} ({len(self.paths)} paths). "
                 "Entities marked ILLUSTRATIVE are invented to "
                 "show a pattern; they are not allegations about real companies.</p>",
                 table.to_html(index=False, escape=True, na_rep="", border=0)]
        best: dict[str, Path] = {}
        for p in self.paths:
            best.setdefault(p.nodes[0], p)
        parts += [p._repr_html_() for p in best.values()]
        parts.append("</div>")
        return "\n".join(parts)


def channel_entities(g: OwnershipGraph) -> list[str]:
    """Entities that buy, rent, resell or front: by role or by their relations."""
    ents = g.entities
    has_role = ents["roles"].map(lambda r: bool(r) and any(x in CHANNEL_ROLES for x in r))
    ids = set(ents.loc[has_role.astype(bool), "id"])
    rels = g.relations
    for kind, side in CHANNEL_RELATIONS.items():
        ids |= set(rels.loc[rels["kind"] == kind, side])
    order = {e: i for i, e in enumerate(ents["id"])}
    return sorted(ids, key=order.__getitem__)


def findings(g: OwnershipGraph, entities: Iterable[str] | None = None, *, as_of: object = None,
             k: int = 3, max_hops: int = 6, progress: bool = False) -> Findings:
    """Shortest paths from each channel entity to listed parties.

    Parameters
    ----------
    g : OwnershipGraph
    entities : iterable of str, optional
        Whom to look at (default: :func:`channel_entities`).
    as_of : date, optional
        Day to evaluate (default today).
    k, max_hops : int
        Passed to :func:`graphkit.paths`.
    progress : bool
        Show a progress bar.

    Returns
    -------
    Findings
        ``table`` has one row per entity: id, name, roles, listed (bool), hops to
        the nearest listed party (empty when none within ``max_hops``), nearest
        listed id and name, lists, relation kinds, weakest confidence, whether the
        path uses illustrative facts, and the explanation of the best path.

    Examples
    --------
    >>> import graphkit as gk
    >>> f = findings(gk.example_graph(), as_of="2024-01-01")
    >>> f.table[["id", "hops", "nearest"]].to_dict("records")
    [{'id': 'buyer', 'hops': 2, 'nearest': 'parent'}, {'id': 'cloud', 'hops': 3, 'nearest': 'parent'}, {'id': 'other', 'hops': 4, 'nearest': 'parent'}]
    """
    day = date_type.as_of_text(as_of)
    ids = list(entities) if entities is not None else channel_entities(g)
    listed = g.listed_mask(day)
    rows, found = [], []
    for eid in tqdm(ids, desc="paths", disable=not progress):
        ps = paths(g, eid, to="listed", k=k, max_hops=max_hops, as_of=day)
        found += ps
        best = ps[0] if ps else None
        pos = g.index.position(eid)
        rows.append({
            "id": eid, "name": g.name_of(eid),
            "roles": "; ".join(g.entities["roles"].iloc[pos] or []),
            "listed": bool(listed[pos]),
            "hops": best.hops if best else None,
            "nearest": best.nodes[-1] if best else None,
            "nearest_name": best.names[best.nodes[-1]] if best else None,
            "lists": "; ".join(sorted({str(r["list"]) for r in best.end_listings})) if best else None,
            "relation_kinds": " > ".join(best.relation_kinds) if best else None,
            "weakest_confidence": best.weakest if best else None,
            "uses_illustrative": (any(bool(r.get("illustrative")) for r in best.relations)
                                  or any(best.illustrative.values())) if best else None,
            "paths_found": len(ps),
            "explanation": best.explain() if best else None,
            "as_of": day,
        })
    table = pd.DataFrame(rows, columns=["id", "name", "roles", "listed", "hops", "nearest",
                                        "nearest_name", "lists", "relation_kinds",
                                        "weakest_confidence", "uses_illustrative", "paths_found",
                                        "explanation", "as_of"])
    table["hops"] = table["hops"].astype("Int64")  # whole steps; empty when no path
    active = g.active_listings(day).merge(g.entities[["id", "name"]], left_on="entity",
                                          right_on="id", suffixes=("", "_entity"))
    return Findings(table, found, active, day)
