"""Interactive HTML graphs (pyvis), self-contained for offline use, and cuts of large graphs."""

from graphkit.viz.cut import collapse, focus, paths_graph
from graphkit.viz.html import to_html

__all__ = ["collapse", "focus", "paths_graph", "to_html"]
