"""From the view model to a pyvis Network: style lookup and tooltip HTML.

Each node and edge of a :class:`~graphkit.viz.view.GraphView` becomes a
vis-network record whose look comes from :mod:`graphkit.viz.styles`. Tooltips
(``title``) are HTML, as pyvis and vis-network expect, built here with every
value escaped: a name such as ``<img src=x onerror=...>`` reads as text.

The returned :class:`pyvis.network.Network` can be rendered by
:func:`graphkit.viz.page.render_page` (self-contained) or by pyvis itself.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from graphkit.errors import GraphkitError
from graphkit.model import get_model
from graphkit.viz.styles import (
    DEFAULT_EDGE_STYLE,
    DEFAULT_SHAPE,
    EDGE_DASHES,
    EDGE_STYLES,
    FOLDED_BORDER_WIDTH,
    FOLDED_SIZE_EXTRA,
    HIGHLIGHT,
    ILLUSTRATIVE_BORDER_DASHES,
    ILLUSTRATIVE_SUFFIX,
    INACTIVE_EDGE_OPACITY,
    KIND_SHAPES,
    LABEL_MAX_CHARS,
    NODE_STYLES,
)
from graphkit.viz.view import EdgeView, GraphView, NodeView

__all__ = ["edge_record", "network_options", "node_record", "shape_of", "to_network",
           "tooltip_html"]

_CURVE_STEP = 0.2  # roundness added per pair of parallel edges


def to_network(view: GraphView) -> Any:
    """A directed :class:`pyvis.network.Network` holding the styled nodes and edges.

    Raises
    ------
    GraphkitError
        If pyvis is not installed (``pip install graphkit[viz]``).
    """
    try:
        from pyvis.network import Network
    except ImportError as exc:
        raise GraphkitError("HTML graphs need pyvis: pip install 'graphkit[viz]' "
                            "(or pip install pyvis)") from exc
    # pyvis's own template puts the heading in the page unescaped: hand it escaped text.
    net = Network(height="100%", width="100%", directed=True, heading=html.escape(view.title),
                  cdn_resources="in_line")
    # pyvis's add_node / add_edge scan every node per call (quadratic on large graphs)
    # and check input with assert; the view is already consistent, so fill the lists.
    for n in view.nodes:
        rec = node_record(n)
        net.nodes.append(rec)
        net.node_ids.append(n.id)
        net.node_map[n.id] = rec
    curves = _curves(view.edges)
    net.edges.extend(edge_record(e, curves.get(i)) for i, e in enumerate(view.edges))
    net.options = network_options(view)
    return net


def node_record(n: NodeView) -> dict[str, Any]:
    """The vis-network node for ``n``."""
    style = NODE_STYLES[n.category]
    border = HIGHLIGHT.color if n.highlighted else style.border
    color = {"background": style.background, "border": border}
    label = _shorten(n.name) + (ILLUSTRATIVE_SUFFIX if n.illustrative else "")
    rec: dict[str, Any] = {
        "id": n.id,
        "label": label,
        "shape": shape_of(n.kind),
        "size": style.size + (HIGHLIGHT.node_size_extra if n.highlighted else 0),
        "color": {**color, "highlight": color, "hover": color},
        "borderWidth": HIGHLIGHT.node_border_width if n.highlighted else 2,
        "title": tooltip_html(n.name, n.fields),
        "category": n.category,
        "kind": n.kind,
        "gkName": n.name,
        "gkSearch": n.search_text,
    }
    if n.folded and not n.highlighted:
        rec["size"] += FOLDED_SIZE_EXTRA
        rec["borderWidth"] = FOLDED_BORDER_WIDTH
    if n.illustrative:
        rec["shapeProperties"] = {"borderDashes": list(ILLUSTRATIVE_BORDER_DASHES)}
    if n.highlighted:
        rec["font"] = {"size": 16, "strokeWidth": 5}
    if n.x is not None and n.y is not None:
        rec["x"], rec["y"] = round(n.x, 1), round(n.y, 1)
    return rec


def edge_record(e: EdgeView, curve: dict[str, Any] | None = None) -> dict[str, Any]:
    """The vis-network edge for ``e``; ``curve`` bends one of several parallel edges."""
    style = EDGE_STYLES.get(e.kind, DEFAULT_EDGE_STYLE)
    if e.illustrative:
        dashes: Sequence[int] = EDGE_DASHES["illustrative"]
    elif e.suspected:
        dashes = EDGE_DASHES["suspected"]
    else:
        dashes = style.dashes
    color = HIGHLIGHT.color if e.highlighted else style.color
    opacity = 1.0 if e.active or e.highlighted else INACTIVE_EDGE_OPACITY
    rec: dict[str, Any] = {
        "id": e.id,
        "from": e.source,
        "to": e.target,
        "arrows": {"to": {"enabled": style.arrow, "scaleFactor": 0.7}},
        "color": {"color": color, "highlight": color, "hover": color, "opacity": opacity},
        "width": HIGHLIGHT.edge_width if e.highlighted else style.width,
        "dashes": list(dashes) if dashes else False,
        "title": tooltip_html(e.caption, e.fields),
        "kind": e.kind,
    }
    label = e.value(style.label) if style.label else ""
    if label:
        rec["label"] = _shorten(label, 24)
    if curve is not None:
        rec["smooth"] = curve
    return rec


def network_options(view: GraphView) -> dict[str, Any]:
    """vis-network options: physics for small graphs, fixed positions for large ones."""
    opts: dict[str, Any] = {
        "interaction": {"hover": True, "tooltipDelay": 120, "multiselect": True},
        "nodes": {"font": {"size": 13, "face": "sans-serif", "strokeWidth": 3,
                           "strokeColor": "#ffffff"}},
        "edges": {"font": {"size": 11, "face": "sans-serif", "align": "middle",
                           "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "smooth": False if view.fixed_layout else {"enabled": True, "type": "dynamic"}},
    }
    if view.fixed_layout:
        opts["physics"] = {"enabled": False}
        opts["layout"] = {"improvedLayout": False}
    else:
        opts["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -80, "springLength": 130,
                                 "avoidOverlap": 0.4},
            "stabilization": {"enabled": True, "iterations": 400},
        }
    return opts


def tooltip_html(caption: str, fields: Sequence[tuple[str, str]]) -> str:
    """A tooltip as HTML: a heading and one table row per field, every text escaped.

    >>> tooltip_html("<b>X</b>", [("note", "a & b")])
    '<div class="gk-tip"><div class="gk-tip-head">&lt;b&gt;X&lt;/b&gt;</div><table><tr><th>note</th><td>a &amp; b</td></tr></table></div>'
    """
    rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in fields)
    return (f'<div class="gk-tip"><div class="gk-tip-head">{html.escape(caption)}</div>'
            f"<table>{rows}</table></div>")


def shape_of(kind: str) -> str:
    """The vis-network shape of an entity kind (or of the nearest kind it extends)."""
    if kind in KIND_SHAPES:
        return KIND_SHAPES[kind]
    ek = get_model().entity_kinds.get(kind)
    for ancestor in sorted(ek.ancestors) if ek else ():
        if ancestor in KIND_SHAPES:
            return KIND_SHAPES[ancestor]
    return DEFAULT_SHAPE


def _shorten(text: str, limit: int = LABEL_MAX_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _curves(edges: Sequence[EdgeView]) -> dict[int, dict[str, Any]]:
    """Bends for edges that share their two ends, so that none hides another."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, e in enumerate(edges):
        groups[(min(e.source, e.target), max(e.source, e.target))].append(i)
    out: dict[int, dict[str, Any]] = {}
    for (low, _), members in groups.items():
        if len(members) < 2:
            continue
        for j, i in enumerate(members):
            clockwise = j % 2 == 0
            if edges[i].source != low:  # walked the other way round: CW bends to the other side
                clockwise = not clockwise
            out[i] = {"enabled": True, "type": "curvedCW" if clockwise else "curvedCCW",
                      "roundness": _CURVE_STEP * (1 + j // 2)}
    return out
