"""How does this buyer reach a listed party? Shortest paths with their evidence.

A path walks relations in whichever direction the relation kind allows (declared
as ``traverse`` in ``schema/relations.yaml``): a buyer reaches a listed parent by
walking an ``owns`` relation backwards ("is owned by"), a listed tenant through a
cloud provider by walking ``rents_compute_from`` both ways. A path ends at the
first listed party it meets.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from graphkit.algorithms.traverse import bfs_levels, direction_masks
from graphkit.errors import GraphkitError
from graphkit.explain import describe_entity, describe_listing, describe_step, visible
from graphkit.graph import OwnershipGraph, _plain
from graphkit.model import get_model
from graphkit.types import date as date_type

__all__ = ["DEFAULT_AVOID", "Path", "avoid_mask", "paths", "paths_frame", "step_weight", "target_mask"]

_SINK = -1


@dataclass(repr=False)
class Path:
    """A chain of relations from an entity to a listed party (or another target).

    Attributes
    ----------
    nodes : list of str
        Entity ids from the start to the end.
    relations : list of dict
        One relation record per step (every column: kind, share, dates,
        confidence, source_ref, ...). ``len(relations) == len(nodes) - 1``.
    forward : list of bool
        Per step, True when walked in the relation's own direction (source ->
        target), False when walked backwards.
    names : dict
        Entity id -> name for the entities on the path.
    end_listings : list of dict
        The listings (in force on ``as_of``) of the last entity.
    as_of : str
        The day the path was evaluated for.
    """

    nodes: list[str]
    relations: list[dict[str, Any]]
    forward: list[bool]
    names: dict[str, str]
    kinds: dict[str, str]
    end_listings: list[dict[str, Any]] = field(default_factory=list)
    illustrative: dict[str, bool] = field(default_factory=dict)
    as_of: str = ""

    @property
    def hops(self) -> int:
        """Number of steps."""
        return len(self.relations)

    @property
    def relation_kinds(self) -> list[str]:
        return [str(r["kind"]) for r in self.relations]

    @property
    def weakest(self) -> str:
        """The weakest evidence the conclusion rests on (confirmed > reported > suspected).

        That is every step's confidence and the listing that makes the end a listed
        party: a confirmed chain to a party whose listing is only reported is reported.
        When the end has several listings, its best evidenced one counts. A relation or
        listing without a confidence counts as the weakest level.
        """
        order = list(get_model().confidence)

        def rank(c: object) -> int:
            return order.index(str(c)) if c is not None and str(c) in order else len(order) - 1

        ranks = [rank(r.get("confidence")) for r in self.relations]
        if self.end_listings:
            ranks.append(min(rank(rec.get("confidence")) for rec in self.end_listings))
        return order[max(ranks)] if ranks else order[0]

    def _label(self, i: str) -> str:
        return describe_entity(self.names.get(i, i), self.kinds.get(i), self.illustrative.get(i, False))

    def steps(self) -> list[str]:
        """One sentence per step, in the direction walked, each with its source."""
        return [describe_step(r, f, self.names.get(a, a), self.names.get(b, b))
                for r, f, a, b in zip(self.relations, self.forward, self.nodes, self.nodes[1:])]

    def explain(self) -> str:
        """The path in plain words: a headline, one line per step with its source, the listing."""
        start, end = self.nodes[0], self.nodes[-1]
        if self.hops == 0:
            head = f"{self._label(start)} is itself listed (as of {self.as_of}):"
        else:
            head = (f"{self._label(start)} reaches {self._label(end)} in {self.hops} "
                    f"step{'s' if self.hops != 1 else ''} (as of {self.as_of}; weakest evidence: "
                    f"{self.weakest}):")
        lines = [head]
        lines += [f"  {i}. {s}" for i, s in enumerate(self.steps(), 1)]
        for rec in self.end_listings:
            lines.append(f"  -> {self.names.get(end, end)} is {describe_listing(rec)}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.explain()

    def __repr__(self) -> str:
        return f"<Path {' > '.join(self.nodes)} ({self.hops} step{'s' if self.hops != 1 else ''})>"

    def _repr_html_(self) -> str:
        """The explanation as HTML for Jupyter: headline, numbered steps, listings (escaped)."""
        import html

        def esc(text: str) -> str:  # escaped, and a right-to-left override in a name shown, not obeyed
            return html.escape(visible(text), quote=True)

        end = self.nodes[-1]
        head = self.explain().splitlines()[0]
        illustrative = (any(self.illustrative.get(n, False) for n in self.nodes)
                        or any(bool(r.get("illustrative")) for r in self.relations))
        parts = ['<div class="graphkit-path">', f"<p><b>{esc(head)}</b>"]
        if illustrative:
            parts.append(' <span style="background:#fff3cd;padding:0 4px;">ILLUSTRATIVE: uses '
                         "invented facts that show a pattern; not an allegation</span>")
        parts.append("</p>")
        if self.steps():
            parts.append("<ol>" + "".join(f"<li>{esc(s)}</li>" for s in self.steps()) + "</ol>")
        if self.end_listings:
            parts.append("<ul>" + "".join(
                f"<li>&rarr; {esc(self.names.get(end, end))} is {esc(describe_listing(rec))}</li>"
                for rec in self.end_listings) + "</ul>")
        parts.append("</div>")
        return "".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """A flat record for tables and CSV."""
        return {
            "source": self.nodes[0], "source_name": self.names.get(self.nodes[0]),
            "target": self.nodes[-1], "target_name": self.names.get(self.nodes[-1]),
            "hops": self.hops, "relation_kinds": " > ".join(self.relation_kinds),
            "weakest_confidence": self.weakest,
            "lists": "; ".join(sorted({str(r["list"]) for r in self.end_listings})),
            "nodes": " > ".join(self.nodes), "as_of": self.as_of, "explanation": self.explain(),
        }


def paths_frame(found: Iterable[Path]) -> pd.DataFrame:
    """Paths as a DataFrame, one row per path (see :meth:`Path.to_dict`)."""
    cols = ["source", "source_name", "target", "target_name", "hops", "relation_kinds",
            "weakest_confidence", "lists", "nodes", "as_of", "explanation"]
    return pd.DataFrame([p.to_dict() for p in found], columns=cols)


def target_mask(g: OwnershipGraph, to: str | Iterable[str], as_of: str) -> tuple[np.ndarray, bool]:
    """Which entities a search ends at; second value is True when targets are listings."""
    model = get_model()
    if isinstance(to, str) and to == "listed":
        return g.listed_mask(as_of), True
    names = [to] if isinstance(to, str) else list(to)
    codes = [n for n in names if n in model.lists]
    if codes and len(codes) == len(names):
        return g.listed_mask(as_of, codes), True
    ids = g.check_ids(names)
    mask = np.zeros(len(g), dtype=bool)
    mask[g.index.positions(ids)] = True
    return mask, False


DEFAULT_AVOID = ("chip_vendor",)


def step_weight(confidence: object) -> float:
    """Weight of one step: 1 plus the confidence penalty from ``schema/relations.yaml``.

    Paths are ranked by total weight, so among paths of equal length the better
    evidenced come first. Every backend ranks with this function.
    """
    return 1.0 + get_model().confidence.get(str(confidence), 0.01)


def paths(g: OwnershipGraph, source: str, to: str | Iterable[str] = "listed", max_hops: int = 6,
          kinds: Iterable[str] | None = None, k: int = 3, as_of: object = None,
          avoid: Iterable[str] = DEFAULT_AVOID) -> list[Path]:
    """The k shortest paths from ``source`` to listed parties (or other targets).

    Parameters
    ----------
    g : OwnershipGraph
    source : str
        Entity id to start from (a buyer, a tenant, a customer).
    to : "listed", list code(s) or entity id(s)
        ``"listed"`` (default): any entity listed on ``as_of``; a list code such as
        ``"us-bis-entity-list"`` or several; or explicit entity ids.
    max_hops : int
        Longest path considered (default 6).
    kinds : iterable of str, optional
        Relation kinds that may be walked (default: all).
    k : int
        How many paths at most (default 3), shortest first; among paths of equal
        length, better-evidenced ones (confirmed over reported over suspected)
        come first.
    as_of : date, optional
        Use only relations and listings in force that day (default: today).
    avoid : iterable of str
        Roles or entity ids that a path may start or end at but not pass
        through. Default: chip vendors, which sell to everyone and would
        otherwise connect every buyer to every other ("both buy from Nvidia" is
        not exposure). Pass ``()`` to allow every entity.

    Returns
    -------
    list of Path
        Empty when no target is within ``max_hops``. If ``source`` is itself a
        target, the first path has 0 steps.

    Raises
    ------
    NodeNotFound
        If ``source`` (or a target id) is not in the graph.
    GraphkitError
        If a relation kind is unknown, or ``max_hops`` / ``k`` is not positive.

    Examples
    --------
    >>> import graphkit as gk
    >>> g = gk.example_graph()
    >>> [p.nodes for p in gk.paths(g, "buyer", as_of="2024-01-01")]
    [['buyer', 'sub', 'parent']]
    >>> print(gk.paths(g, "buyer", as_of="2024-01-01")[0].explain())
    Buyer Trading Ltd (company) reaches Parent Group (company) in 2 steps (as of 2024-01-01; weakest evidence: reported):
      1. Buyer Trading Ltd is a front for Sub Ltd [reported; source: example]
      2. Sub Ltd is owned by Parent Group (60%) [confirmed; source: example]
      -> Parent Group is on the BIS Entity List since 2019-10-09 [confirmed; source: example]

    Notes
    -----
    A breadth-first search on the compiled integer index finds every entity
    within ``max_hops`` and prunes those that cannot lie on a short enough path;
    Yen's algorithm (networkx ``shortest_simple_paths``) then enumerates the k
    shortest simple paths on that small neighbourhood.
    """
    model = get_model()
    if max_hops < 1 or k < 1:
        raise GraphkitError("max_hops and k must be at least 1")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else list(kinds)
        for kind in kinds:
            model.relation(kind)
    day = date_type.as_of_text(as_of)
    start = g.index.position(g.check_ids([source])[0])
    targets, by_listing = target_mask(g, to, day)
    context = _Context(g, day, by_listing)
    if targets[start]:
        return [context.make([start], [], [])]
    rel_mask = g.index.kind_mask(kinds) & g.active_relations(day)
    traverse = {n: rk.traverse for n, rk in model.relation_kinds.items()}
    fwd, bwd = direction_masks(g.index, traverse, rel_mask)
    stop = targets | avoid_mask(g, avoid)
    stop[start] = targets[start]
    dist = bfs_levels(g.index, np.array([start]), fwd, bwd, max_hops, stop=stop)
    reached = np.flatnonzero((dist > 0) & targets)
    if not len(reached):
        return []
    # Backward distances from the reached targets prune entities off every short path.
    back = bfs_levels(g.index, reached, bwd, fwd, max_hops, stop=None)
    # Deepen one hop at a time: a path of h hops weighs between h and h + 0.06 (the
    # confidence penalties are small), so the k best paths of at most ``bound`` hops
    # are the k best overall once there are k of them; every entity on such a path
    # has dist + back <= bound, so the networkx graph stays small.
    found: list[Path] = []
    exact = max_hops * (max(get_model().confidence.values(), default=0.0) + 0.01) < 1
    for bound in range(int(dist[reached].min()) if exact else max_hops, max_hops + 1):
        useful = (dist >= 0) & (back >= 0) & (dist + back <= bound)
        H = _small_graph(g, useful, targets, stop, fwd, bwd)
        found = []
        for nodes in _k_shortest(H, start, k, bound):
            steps = [H.edges[u, v] for u, v in zip(nodes, nodes[1:])]
            found.append(context.make(nodes, [s["rel"] for s in steps], [s["forward"] for s in steps]))
        if len(found) == k:
            break
    return found


def avoid_mask(g: OwnershipGraph, avoid: Iterable[str]) -> np.ndarray:
    """Entities a path may not pass through: those with an ``avoid`` role or id."""
    avoid = [avoid] if isinstance(avoid, str) else list(avoid)
    mask = np.zeros(len(g), dtype=bool)
    if not avoid:
        return mask
    roles = set(avoid) & set(get_model().roles)
    if roles:  # only the entities that have roles are read
        col = g.entities["roles"]
        rows = np.flatnonzero(col.notna().to_numpy())
        mask[rows] = [bool(r) and not roles.isdisjoint(r) for r in col.to_numpy(dtype=object)[rows]]
    ids = [a for a in avoid if a not in roles]
    if ids:
        pos = g.index.positions(ids)
        mask[pos[pos >= 0]] = True
    return mask


def _small_graph(g: OwnershipGraph, useful: np.ndarray, targets: np.ndarray, stop: np.ndarray,
                 fwd: np.ndarray, bwd: np.ndarray) -> nx.DiGraph:
    """Directed graph over the useful entities; targets have no way out but to the sink,
    and ``stop`` entities (targets, avoided hubs) are never passed through."""
    idx = g.index
    in_set = useful[idx.src] & useful[idx.dst]
    conf = g.relations["confidence"].astype(object).to_numpy()
    H = nx.DiGraph()
    for direction, allowed in ((True, fwd), (False, bwd)):
        rows = np.flatnonzero(in_set & allowed)
        a = idx.src[rows] if direction else idx.dst[rows]
        b = idx.dst[rows] if direction else idx.src[rows]
        for r, u, v in zip(rows.tolist(), a.tolist(), b.tolist()):
            if stop[u]:
                continue  # a path ends at the first target it meets, never crosses a hub
            w = step_weight(conf[r])
            old = H.get_edge_data(u, v)
            if old is None or w < old["weight"] or (w == old["weight"] and r < old["rel"]):
                H.add_edge(u, v, weight=w, rel=r, forward=direction)
    for t in np.flatnonzero(useful & targets).tolist():
        H.add_edge(t, _SINK, weight=0.0, rel=-1, forward=True)
    return H


def _k_shortest(H: nx.DiGraph, start: int, k: int, max_hops: int) -> Iterator[list[int]]:
    if start not in H or _SINK not in H:
        return
    try:
        gen = nx.shortest_simple_paths(H, start, _SINK, weight="weight")
        for p in itertools.islice(gen, 10 * k + 100):
            nodes = p[:-1]
            if len(nodes) - 1 > max_hops:
                break
            yield nodes
            k -= 1
            if k == 0:
                return
    except nx.NetworkXNoPath:
        return


class _Context:
    """Turns positions and relation rows into Path objects."""

    def __init__(self, g: OwnershipGraph, day: str, by_listing: bool) -> None:
        self.g = g
        self.day = day
        self.listings = g.active_listings(day) if by_listing else g.listings.iloc[0:0]
        self.ids = g.entities["id"].to_numpy()

    def make(self, nodes: list[int], rels: list[int], forward: list[bool]) -> Path:
        g = self.g
        ids = [str(self.ids[n]) for n in nodes]
        ents = g.entities.iloc[nodes]
        records = [{k: _plain(v) for k, v in g.relations.iloc[r].items()} for r in rels]
        end = self.listings[self.listings["entity"] == ids[-1]]
        return Path(
            nodes=ids, relations=records, forward=list(forward),
            names=dict(zip(ids, ents["name"].astype(str))),
            kinds=dict(zip(ids, ents["kind"].astype(str))),
            illustrative=dict(zip(ids, ents["illustrative"].astype(bool))),
            end_listings=[{k: _plain(v) for k, v in r.items()} for r in end.to_dict("records")],
            as_of=self.day,
        )


