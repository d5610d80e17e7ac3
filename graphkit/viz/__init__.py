"""Interactive HTML graphs (pyvis), self-contained for offline use."""

from graphkit.viz.html import to_html

__all__ = ["to_html"]
