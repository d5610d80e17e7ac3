"""How a graph looks: colours, shapes and dash patterns, declared as data.

Nothing here knows about graphs, pyvis or HTML. :mod:`graphkit.viz.view` decides
*what* a node or an edge is (its category, whether it is suspected, illustrative,
highlighted, in force); :mod:`graphkit.viz.network` looks the answer up in these
tables. Changing the look of a kind is an edit to a table, not to code.

A node's **colour** comes from its category (status first, then role, then kind:
see :data:`CATEGORY_RULES`); its **shape** comes from its entity kind
(:data:`KIND_SHAPES`). An edge's colour, width, arrows and label come from its
relation kind (:data:`EDGE_STYLES`); suspected and illustrative relations are
dashed (:data:`EDGE_DASHES`).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CATEGORY_RULES",
    "CUT_ADVICE_NODES",
    "DEFAULT_EDGE_STYLE",
    "DEFAULT_SHAPE",
    "EDGE_DASHES",
    "EDGE_STYLES",
    "FOLDED_BORDER_WIDTH",
    "FOLDED_SIZE_EXTRA",
    "HIGHLIGHT",
    "ILLUSTRATIVE_BORDER_DASHES",
    "ILLUSTRATIVE_SUFFIX",
    "INACTIVE_EDGE_OPACITY",
    "KIND_SHAPES",
    "LABEL_MAX_CHARS",
    "LARGE_GRAPH_NODES",
    "NODE_STYLES",
    "EdgeStyle",
    "NodeStyle",
]


@dataclass(frozen=True)
class NodeStyle:
    """Colour of a node category and the words the legend uses for it."""

    legend: str
    background: str
    border: str
    size: int = 16


@dataclass(frozen=True)
class EdgeStyle:
    """How one relation kind is drawn.

    ``label`` names the relation field written on the edge (``"share"`` means the
    formatted share range), or is empty for no label. ``arrow`` draws an arrow
    head at the target, i.e. in the relation's own direction (source -> target).
    """

    color: str
    width: float = 1.5
    arrow: bool = True
    dashes: tuple[int, ...] = ()
    label: str = ""


#: Node categories, in the order the legend lists them.
NODE_STYLES: dict[str, NodeStyle] = {
    "listed": NodeStyle("Listed on the as-of date", "#d62728", "#7f0000", 22),
    "restricted": NodeStyle("Restricted under the rule (owned by listed parties)", "#fb6a4a",
                            "#7f0000", 20),
    "unknown": NodeStyle("Unknown under the rule (share bounds straddle the threshold)",
                         "#ffd92f", "#8c6d00", 18),
    "listed_other_date": NodeStyle("Listed at another date only", "#f4b6b6", "#d62728", 18),
    "shell_front": NodeStyle("Shell or front company", "#ff7f0e", "#a64d00"),
    "compute": NodeStyle("Cloud provider or compute centre", "#1f77b4", "#0b3c66"),
    "data_centre": NodeStyle("Data centre", "#9467bd", "#4b2a6b"),
    "public_body": NodeStyle("Public body", "#8c564b", "#4a2a23"),
    "person": NodeStyle("Person", "#2ca02c", "#145214"),
    "address": NodeStyle("Address", "#c7c7c7", "#6f6f6f", 12),
    "company": NodeStyle("Other company or organisation", "#9ecae1", "#3d6f8e"),
}

#: How a node's category is chosen: the first rule that matches wins.
#: ``("status", s)`` matches the entity's listing status on the as-of date,
#: ``("role", r)`` an entry in its ``roles``, ``("kind", k)`` its entity kind or
#: any kind it extends, ``("rule", s)`` the status an ownership rule gave it
#: (:func:`graphkit.restricted`, when ``to_html`` is given a rule). Entities no
#: rule matches are ``"company"``.
CATEGORY_RULES: tuple[tuple[str, str, str], ...] = (
    ("status", "listed", "listed"),
    ("rule", "restricted", "restricted"),
    ("rule", "unknown", "unknown"),
    ("status", "listed_other_date", "listed_other_date"),
    ("role", "shell_front", "shell_front"),
    ("role", "cloud_provider", "compute"),
    ("role", "compute_centre", "compute"),
    ("kind", "data_centre", "data_centre"),
    ("kind", "public_body", "public_body"),
    ("kind", "person", "person"),
    ("kind", "address", "address"),
)

#: vis-network shape per entity kind (label drawn under the shape).
KIND_SHAPES: dict[str, str] = {
    "company": "dot",
    "organization": "dot",
    "legal_entity": "dot",
    "public_body": "triangle",
    "person": "diamond",
    "address": "square",
    "data_centre": "hexagon",
    "vessel": "triangleDown",
    "aircraft": "triangleDown",
}
DEFAULT_SHAPE = "dot"

#: Relation kinds, in the order the legend lists them.
EDGE_STYLES: dict[str, EdgeStyle] = {
    "owns": EdgeStyle("#08306b", 2.5, label="share"),
    "controls": EdgeStyle("#6a3d9a", 2.0),
    "officer_of": EdgeStyle("#2ca02c", 1.5, label="role"),
    "front_for": EdgeStyle("#ff7f0e", 2.5),
    "supplies": EdgeStyle("#17becf", 2.0, label="item"),
    "rents_compute_from": EdgeStyle("#1f77b4", 2.0, label="item"),
    "operates": EdgeStyle("#9467bd", 1.5),
    "registered_at": EdgeStyle("#999999", 1.0),
    "same_as": EdgeStyle("#555555", 1.0, dashes=(1, 3)),
    "linked_to": EdgeStyle("#b5a642", 1.0, arrow=False),
}
DEFAULT_EDGE_STYLE = EdgeStyle("#777777", 1.0)

#: Dash patterns that override a kind's own: an illustrative relation is dotted,
#: a suspected one dashed (illustrative wins when both apply).
EDGE_DASHES: dict[str, tuple[int, ...]] = {
    "illustrative": (2, 4),
    "suspected": (8, 6),
}

#: Relations not in force on the as-of date are drawn faint.
INACTIVE_EDGE_OPACITY = 0.25

#: Illustrative (invented) entities: dashed border and a label suffix.
ILLUSTRATIVE_BORDER_DASHES: tuple[int, ...] = (5, 4)
ILLUSTRATIVE_SUFFIX = " [illustrative]"


@dataclass(frozen=True)
class _Highlight:
    color: str
    node_border_width: int
    node_size_extra: int
    edge_width: float


#: Highlighted nodes and edges (a path, or chosen entities).
HIGHLIGHT = _Highlight(color="#e6007e", node_border_width=6, node_size_extra=8, edge_width=6.0)

#: A node standing for a folded group (gk.viz.collapse): larger, with a thick border.
FOLDED_SIZE_EXTRA = 10
FOLDED_BORDER_WIDTH = 5

#: Longer names are shortened on the canvas (the tooltip has the full name).
LABEL_MAX_CHARS = 40

#: Above this many nodes physics is off and positions are computed in Python.
LARGE_GRAPH_NODES = 300

#: Above this many nodes ``to_html`` logs a warning and the page says how to cut the
#: graph (:mod:`graphkit.viz.cut`): the page still opens (5,000 nodes do), but a
#: picture that size is hard to read.
CUT_ADVICE_NODES = 1000
