"""``graphkit html``: draw a graph, or the part around some entities, as an offline HTML page.

Example::

    graphkit html data/seed --focus il-hk-distributor --hops 2 --rule ofac50 \\
        --highlight-paths -o case.html

The ownership rule is applied to the *whole* graph read, then the picture is cut
(:func:`graphkit.viz.focus`, paths, :func:`graphkit.viz.collapse`): an entity's
colour never depends on how much of the graph is drawn.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from graphkit.algorithms.paths import Path
from graphkit.errors import NodeNotFound

__all__ = ["add_html_parser", "cli_html"]


def add_html_parser(sub: Any) -> argparse.ArgumentParser:
    """Add the ``html`` subcommand to an argparse ``add_subparsers()`` object."""
    from graphkit.rules import rules

    h = sub.add_parser("html", help="draw the graph (or the part around some entities) as HTML",
                       description="Write an interactive, self-contained HTML page (works offline: "
                       "no request to any network address) of the graph read from FILE, or of "
                       "the neighbourhood of --focus entities, with listed, restricted and "
                       "unknown entities coloured, paths to listed parties highlighted, evidence "
                       "in every tooltip, a search box and filters by kind.")
    h.add_argument("files", nargs="+", metavar="FILE")
    h.add_argument("-o", "--output", required=True, help="the .html file to write")
    h.add_argument("--focus", action="append", default=None, metavar="ENTITY",
                   help="entity id to centre on (repeat for several; default: the whole graph)")
    h.add_argument("--hops", type=int, default=2,
                   help="with --focus: how many steps around it to draw (default 2)")
    h.add_argument("--as-of", default=None, help="date YYYY-MM-DD (default today)")
    h.add_argument("--rule", default=None, choices=sorted(rules()),
                   help="colour entities restricted or unknown under this rule (e.g. ofac50)")
    h.add_argument("--highlight-paths", action="store_true",
                   help="with --focus: find the shortest paths from each focus entity to listed "
                   "parties, draw them thick and add their entities to the picture")
    h.add_argument("--k", type=int, default=3, help="paths per focus entity (default 3)")
    h.add_argument("--max-hops", type=int, default=6, help="longest path (default 6)")
    h.add_argument("--collapse", type=int, default=None, metavar="N",
                   help="fold groups of more than N look-alike leaf entities into one node each")
    h.add_argument("--title", default=None, help="page heading")
    h.set_defaults(func=cli_html)
    return h


def cli_html(args: argparse.Namespace) -> int:
    """``graphkit html``: read, apply the rule, cut, draw, write. Returns the exit code.

    0 when the page was written; 2 (and one line on standard error) when a
    ``--focus`` entity is not in the graph or an option is out of range.
    """
    from graphkit.algorithms.paths import paths
    from graphkit.algorithms.restricted import restricted
    from graphkit.cli import load_graph
    from graphkit.types import date as date_type
    from graphkit.viz.cut import collapse, focus
    from graphkit.viz.html import to_html

    if args.hops < 0 or args.k < 1 or args.max_hops < 1 or (args.collapse is not None
                                                            and args.collapse < 1):
        sys.stderr.write("graphkit html: --hops must be 0 or more; --k, --max-hops and "
                         "--collapse 1 or more\n")
        return 2
    if args.highlight_paths and not args.focus:
        sys.stderr.write("graphkit html: --highlight-paths needs --focus ENTITY (paths start there)\n")
        return 2
    day = date_type.as_of_text(args.as_of)
    g = load_graph(args.files)
    found: list[Path] = []
    try:
        picture = g if not args.focus else focus(g, args.focus, hops=args.hops)
        if args.focus and args.highlight_paths:
            for entity in args.focus:
                found += paths(g, entity, to="listed", k=args.k, max_hops=args.max_hops, as_of=day)
            on_paths = {n for p in found for n in p.nodes}
            picture = g.subgraph(list(dict.fromkeys([*picture.entities["id"], *on_paths])))
    except NodeNotFound as exc:
        sys.stderr.write(f"graphkit html: {exc} (see `graphkit info FILE` for what the files hold)\n")
        return 2
    table = restricted(g, rule=args.rule, as_of=day) if args.rule else None
    if args.collapse is not None:
        keep = {*(args.focus or []), *(n for p in found for n in p.nodes)}
        picture = collapse(picture, max_group=args.collapse, keep=keep, restricted=table)
    to_html(picture, path=args.output, highlight=found or None, title=args.title, as_of=day,
            restricted=table, progress=bool(getattr(args, "verbose", False)))
    sys.stdout.write(f"wrote {args.output}: {len(picture)} entities, {len(picture.relations)} "
                     f"relations, {len(found)} highlighted paths (as of {day})\n")
    return 0
