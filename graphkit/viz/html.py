"""``gk.to_html``: an interactive, self-contained HTML picture of an OwnershipGraph.

Three steps, each in its own module so each can change alone:

1. :func:`graphkit.viz.view.build_view` -- what each entity and relation *is* on the
   as-of date (listed, role, suspected, illustrative, in force, highlighted) and the
   facts its tooltip lists; no styling, no HTML.
2. :func:`graphkit.viz.network.to_network` -- look-up in the style tables of
   :mod:`graphkit.viz.styles`, escaped tooltip HTML, a pyvis ``Network``.
3. :func:`graphkit.viz.page.render_page` -- the page: vis-network inlined, data as
   script-safe JSON, legend and title escaped.

Only :func:`to_html` touches the file system, and only to write ``path`` when given.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path as FilePath

import pandas as pd

from graphkit.graph import OwnershipGraph
from graphkit.viz.network import to_network
from graphkit.viz.page import render_page
from graphkit.viz.view import Highlight, build_view

__all__ = ["to_html"]

log = logging.getLogger(__name__)


def to_html(graph: OwnershipGraph, path: str | os.PathLike[str] | None = None,
            highlight: Highlight = None, *, title: str | None = None,
            as_of: object = None, rule: str | None = None,
            restricted: pd.DataFrame | None = None, progress: bool = False) -> str:
    """An interactive HTML graph that works offline: nodes, edges, evidence, legend.

    Parameters
    ----------
    graph : OwnershipGraph
        The graph or a subgraph (``g.neighbourhood(...)``, ``g.subgraph(...)``).
    path : str or path-like, optional
        Where to write the page (UTF-8). Nothing is written when omitted, and
        nothing else is ever written (no ``lib/`` folder, no temporary files).
    highlight : Path, entity id, or a list of those, optional
        Paths (from :func:`graphkit.paths`) are drawn with their entities and
        relations thick and in a strong colour; entity ids highlight those entities.
    title : str, optional
        Page heading (default: the number of entities and relations).
    as_of : date, optional
        The day whose listings colour the nodes and whose relations are drawn as in
        force (default: today). Shown under the title.
    rule : str, optional
        An ownership rule (``"ofac50"``, ``"bis-affiliates"``, ``"eu50"``, ...):
        :func:`graphkit.restricted` is applied to ``graph`` on ``as_of`` and the
        entities it calls restricted or unknown get their own colours, with the
        rule's explanation in their tooltips. Listed entities stay red.
    restricted : DataFrame, optional
        A table :func:`graphkit.restricted` already returned, instead of
        ``rule`` (not with it). Pass it when ``graph`` is a cut of a larger graph: the rule then
        sees every owner, not only those in the picture. Without ``as_of`` the
        table's as-of date is used.
    progress : bool
        Show a progress bar (tqdm; a widget in Jupyter) while a large graph's
        layout is computed (default False).

    Returns
    -------
    str
        The page. All JavaScript and CSS is inlined (vis-network from the pyvis
        package); it loads nothing from the network. Every text from the data is
        HTML-escaped.

    Raises
    ------
    TypeError
        If ``graph`` is not an OwnershipGraph or ``highlight`` has the wrong type.
    NodeNotFound
        If a highlighted entity is not in the graph.
    GraphkitError
        If pyvis is not installed, or a highlighted path uses a relation that is
        not in the graph.
    ValueError
        If ``as_of`` is not a full date, ``restricted`` is not a table from
        :func:`graphkit.restricted` for the same date, or both ``rule`` and
        ``restricted`` are given.
    RuleError
        If ``rule`` is unknown.

    Examples
    --------
    >>> import graphkit as gk
    >>> g = gk.example_graph()
    >>> page = gk.to_html(g, highlight=gk.paths(g, "buyer", as_of="2024-01-01"),
    ...                   as_of="2024-01-01")
    >>> "new vis.Network" in page and "As of 2024-01-01" in page
    True
    >>> page = gk.to_html(g, rule="bis-affiliates", as_of="2025-10-15")  # Sub Ltd: restricted
    >>> "Restricted under the rule" in page
    True

    See Also
    --------
    graphkit.paths : paths to highlight.
    graphkit.viz.focus, graphkit.viz.paths_graph, graphkit.viz.collapse : cut a
        large graph down to what matters before drawing it.

    Notes
    -----
    Node colour shows status and role (listed on ``as_of`` in red, restricted and
    unknown under ``rule`` in salmon and yellow, then shell
    fronts, cloud providers and compute centres, data centres, public bodies,
    people, addresses, other companies); node shape shows the entity kind.
    Illustrative entities have a dashed border and ``[illustrative]`` after their
    name; suspected relations are dashed, illustrative ones dotted, relations not
    in force on ``as_of`` faint. Above
    :data:`graphkit.viz.styles.LARGE_GRAPH_NODES` nodes the layout is computed in
    Python (seeded, so repeatable) and the browser's physics is off; above
    :data:`graphkit.viz.styles.CUT_ADVICE_NODES` a warning is logged and the page
    says how to cut the graph. The page has a search box (name, id, alias) and
    check boxes that hide or show entity kinds and relation kinds.
    """
    view = build_view(graph, highlight, title=title, as_of=as_of, rule=rule,
                      restricted=restricted, progress=progress)
    for note in view.notes:
        log.warning("%d entities in one picture. %s", len(view.nodes), note)
    page = render_page(view, to_network(view))
    if path is not None:
        FilePath(path).write_text(page, encoding="utf-8")
    return page
