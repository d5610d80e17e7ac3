"""The HTML page: one self-contained file with vis-network, data, legend and title.

The page loads nothing from the network: vis-network's JavaScript and CSS (shipped
inside the pyvis package) are inlined, fonts are the system's. The template
(``templates/page.html.j2``) is autoescaped, so titles, names in the legend and
any other text from the data are HTML-escaped. The graph data is embedded as JSON
in a ``<script type="application/json">`` element with ``<``, ``>`` and ``&``
written as ``\\u003c``, ``\\u003e``, ``\\u0026``, so that no value (a name
containing ``</script>``, say) can end the element early.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from graphkit.errors import GraphkitError
from graphkit.explain import visible
from graphkit.model import get_model
from graphkit.viz.network import shape_of
from graphkit.viz.styles import (
    DEFAULT_EDGE_STYLE,
    EDGE_DASHES,
    EDGE_STYLES,
    HIGHLIGHT,
    ILLUSTRATIVE_BORDER_DASHES,
    INACTIVE_EDGE_OPACITY,
    NODE_STYLES,
)
from graphkit.viz.view import GraphView

__all__ = ["Filter", "Legend", "LegendItem", "filters", "legend", "render_page", "script_json",
           "vis_assets"]

_TEMPLATE = "page.html.j2"


@dataclass(frozen=True)
class LegendItem:
    text: str
    fill: str = "none"
    stroke: str = "#555555"
    shape: str = "dot"
    width: float = 1.5
    dashes: tuple[int, ...] = ()
    arrow: bool = True


@dataclass(frozen=True)
class Legend:
    categories: list[LegendItem]
    shapes: list[LegendItem]
    relations: list[LegendItem]
    marks: list[LegendItem]


@dataclass(frozen=True)
class Filter:
    """One check box of the page: hides or shows every entity (or relation) of a kind."""

    group: str  # "kind" (entity kind) or "relation"
    value: str
    text: str
    count: int


def filters(view: GraphView) -> list[Filter]:
    """Check boxes for the entity kinds and relation kinds present, with their counts."""
    model = get_model()
    kinds: dict[str, int] = {}
    for n in view.nodes:
        kinds[n.kind] = kinds.get(n.kind, 0) + 1
    rels: dict[str, int] = {}
    for e in view.edges:
        rels[e.kind] = rels.get(e.kind, 0) + 1
    out = [Filter("kind", k, model.entity_kinds[k].label if k in model.entity_kinds else k, c)
           for k, c in sorted(kinds.items())]
    order = [k for k in EDGE_STYLES if k in rels] + sorted(set(rels) - set(EDGE_STYLES))
    out += [Filter("relation", k, model.relation_kinds[k].label if k in model.relation_kinds else k,
                   rels[k]) for k in order]
    return out


def render_page(view: GraphView, net: Any) -> str:
    """The full HTML page for ``view``, drawn from the pyvis Network ``net``."""
    from markupsafe import Markup

    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    data = {"nodes": nodes, "edges": edges,
            "options": json.loads(options) if isinstance(options, str) else options}
    js, css = vis_assets()
    return _template().render(
        title=view.title, as_of=view.as_of, n_nodes=len(view.nodes), n_edges=len(view.edges),
        fixed_layout=view.fixed_layout, highlight_summary=view.highlight_summary,
        rule=view.rule, notes=view.notes, filters=filters(view),
        highlight_color=HIGHLIGHT.color, legend=legend(view),
        data_json=Markup(script_json(data)),
        vis_js=Markup(_inline_js(js)), vis_css=Markup(_inline_css(css)),
    )


@lru_cache(maxsize=1)
def _template() -> Any:
    try:
        from jinja2 import Environment, PackageLoader, StrictUndefined
    except ImportError as exc:  # pragma: no cover - jinja2 comes with pyvis
        raise GraphkitError("HTML graphs need jinja2 (installed with pyvis): "
                            "pip install 'graphkit[viz]'") from exc
    from markupsafe import Markup

    def shown(value: Any) -> Any:  # every text from the data, as people should see it (not the page's own code)
        return visible(value) if isinstance(value, str) and not isinstance(value, Markup) else value

    env = Environment(loader=PackageLoader("graphkit.viz", "templates"), autoescape=True,
                      undefined=StrictUndefined, keep_trailing_newline=True, finalize=shown)
    return env.get_template(_TEMPLATE)


def legend(view: GraphView) -> Legend:
    """Legend entries for what ``view`` contains (categories, kinds, relation kinds, marks)."""
    model = get_model()
    cats = view.categories
    categories = [LegendItem(s.legend, s.background, s.border) for c, s in NODE_STYLES.items()
                  if c in cats]
    kinds = sorted({n.kind for n in view.nodes})
    shapes = [LegendItem(model.entity_kinds[k].label if k in model.entity_kinds else k,
                         shape=shape_of(k)) for k in kinds]
    present = view.relation_kinds
    ordered = [k for k in EDGE_STYLES if k in present] + sorted(present - set(EDGE_STYLES))
    relations = []
    for k in ordered:
        st = EDGE_STYLES.get(k, DEFAULT_EDGE_STYLE)
        rk = model.relation_kinds.get(k)
        text = f"{rk.label} ({rk.direction})" if rk and rk.direction else k
        relations.append(LegendItem(text, stroke=st.color, shape="line", width=st.width,
                                    dashes=st.dashes, arrow=st.arrow))
    marks: list[LegendItem] = []
    if any(e.suspected and not e.illustrative for e in view.edges):
        marks.append(LegendItem("Suspected relation (dashed)", stroke="#555555", shape="line",
                                dashes=EDGE_DASHES["suspected"]))
    if any(e.illustrative for e in view.edges):
        marks.append(LegendItem("Illustrative relation, invented to show a pattern (dotted)",
                                stroke="#555555", shape="line", dashes=EDGE_DASHES["illustrative"]))
    if any(n.illustrative for n in view.nodes):
        marks.append(LegendItem("Illustrative entity, invented to show a pattern "
                                "(dashed border, label ends in [illustrative])", fill="#ffffff",
                                dashes=ILLUSTRATIVE_BORDER_DASHES))
    if any(n.folded for n in view.nodes):
        marks.append(LegendItem("Group of look-alike entities folded into one node (large, thick "
                                "border; the tooltip names a sample)", fill="#ffffff",
                                stroke="#333333"))
    if any(not e.active for e in view.edges):
        marks.append(LegendItem(f"Relation not in force on {view.as_of} (faint)",
                                stroke=_faded("#555555", INACTIVE_EDGE_OPACITY), shape="line"))
    if any(n.highlighted for n in view.nodes) or any(e.highlighted for e in view.edges):
        marks.append(LegendItem("Highlighted", stroke=HIGHLIGHT.color, shape="line", width=4))
    return Legend(categories, shapes, relations, marks)


def _visible(obj: Any) -> Any:
    """``obj`` with every text in it passed through :func:`graphkit.explain.visible`."""
    if isinstance(obj, str):
        return visible(obj)
    if isinstance(obj, dict):
        return {k: _visible(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_visible(v) for v in obj]
    return obj


def script_json(obj: Any) -> str:
    """JSON that is safe inside a ``<script>`` element (and still valid JSON).

    Texts show invisible and direction-changing characters as ``[U+XXXX]``
    (:func:`graphkit.explain.visible`): a right-to-left override in a name must not
    turn the names after it around.

    >>> script_json({"name": "</script><b>&"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(_visible(obj), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for raw, esc in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                     ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, esc)
    return text


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """vis-network's JavaScript and CSS as shipped inside the installed pyvis package."""
    try:
        import pyvis
    except ImportError as exc:
        raise GraphkitError("HTML graphs need pyvis: pip install 'graphkit[viz]'") from exc
    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib"
    found = [d for d in lib.glob("vis-*") if (d / "vis-network.min.js").is_file()
             and (d / "vis-network.css").is_file()]
    if not found:
        raise GraphkitError(f"vis-network is missing from the pyvis package ({lib}); "
                            "reinstall pyvis")
    best = max(found, key=lambda d: tuple(int(p) for p in re.findall(r"\d+", d.name)))
    return ((best / "vis-network.min.js").read_text(encoding="utf-8"),
            (best / "vis-network.css").read_text(encoding="utf-8"))


def _inline_js(text: str) -> str:
    """Script text that cannot close or comment out its ``<script>`` element."""
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE).replace("<!--", "<\\!--")


def _inline_css(text: str) -> str:
    return re.sub(r"</(style)", r"<\\/\1", text, flags=re.IGNORECASE)


def _faded(color: str, opacity: float) -> str:
    """``#rrggbb`` mixed with white, as a legend swatch for a faint line."""
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    mix = [round(255 - (255 - c) * opacity) for c in (r, g, b)]
    return "#" + "".join(f"{c:02x}" for c in mix)
