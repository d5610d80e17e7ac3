"""Show a graph inline in Jupyter (JupyterLab, Notebook, VS Code) without writing files.

:func:`show` wraps the page from :func:`graphkit.to_html` in an ``<iframe srcdoc=...>``:
the whole page, HTML-escaped, travels inside the notebook output, and the browser
runs its scripts in a sandboxed frame of their own, apart from the notebook's page.
Nothing is written to disk.

>>> import graphkit as gk
>>> g = gk.example_graph()
>>> frame = show(g, height=400, as_of="2024-01-01")
>>> frame._repr_html_().startswith('<iframe srcdoc="')
True
>>> "new vis.Network" in frame.page
True
"""

from __future__ import annotations

import html
from typing import Any

from graphkit.graph import OwnershipGraph

__all__ = ["InlinePage", "show"]


class InlinePage:
    """An HTML page to show inline: Jupyter calls :meth:`_repr_html_` to display it.

    Attributes
    ----------
    page : str
        The full HTML page (what :func:`graphkit.to_html` returned).
    height : str
        CSS height of the frame, e.g. ``"600px"``.
    """

    def __init__(self, page: str, height: int | str = 600, title: str = "graphkit graph") -> None:
        if not isinstance(page, str):
            raise TypeError(f"page must be an HTML string, not {type(page).__name__}")
        self.page = page
        self.height = f"{height}px" if isinstance(height, int) else str(height)
        self.title = title

    def _repr_html_(self) -> str:
        # quote=True escapes & < > " ' so the page cannot end the attribute early.
        return (f'<iframe srcdoc="{html.escape(self.page, quote=True)}" '
                f'title="{html.escape(self.title, quote=True)}" '
                f'sandbox="allow-scripts" '
                f'style="width: 100%; height: {html.escape(self.height, quote=True)}; '
                f'border: 1px solid #ddd;"></iframe>')

    def __repr__(self) -> str:
        return (f"<InlinePage {len(self.page)} characters; shown as a graph in Jupyter "
                "(or write .page to a file)>")


def show(graph_or_html: OwnershipGraph | str, height: int | str = 600, **to_html_kwargs: Any
         ) -> InlinePage:
    """Display a graph (or a page from :func:`graphkit.to_html`) inline in a notebook.

    Parameters
    ----------
    graph_or_html : OwnershipGraph or str
        A graph or subgraph, drawn with :func:`graphkit.to_html` (``path`` is never
        passed, so nothing is written), or an HTML page already made.
    height : int or str
        Height of the frame: pixels, or any CSS length such as ``"80vh"``.
    **to_html_kwargs
        ``highlight``, ``title``, ``as_of``, ``rule``, ``restricted``: passed to
        :func:`graphkit.to_html` when a graph is given.

    Returns
    -------
    InlinePage
        The last expression of a cell, or ``IPython.display.display(...)``, shows it.

    Raises
    ------
    TypeError
        If ``graph_or_html`` is neither, or keyword arguments come with a page.
    """
    if isinstance(graph_or_html, OwnershipGraph):
        from graphkit.viz import to_html

        if "path" in to_html_kwargs:
            raise TypeError("show() writes no files; call gk.to_html(..., path=...) for that")
        page = to_html(graph_or_html, **to_html_kwargs)
        title = str(to_html_kwargs.get("title") or "graphkit graph")
        return InlinePage(page, height, title)
    if isinstance(graph_or_html, str):
        if to_html_kwargs:
            raise TypeError("keyword arguments apply only when a graph is given")
        return InlinePage(graph_or_html, height)
    raise TypeError(f"show() needs an OwnershipGraph or an HTML string, not "
                    f"{type(graph_or_html).__name__}")
