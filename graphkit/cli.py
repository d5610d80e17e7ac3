"""The ``graphkit`` command.

Subcommands: ``demo`` (the seed investigation), ``info`` (what is in files),
``paths`` (how an entity reaches listed parties), ``restricted`` (status under an
ownership rule), ``screen`` (a customer list's exposure), ``html`` (an offline picture),
``convert`` (save files as a graphkit Parquet folder). ``graphkit SUBCOMMAND --help`` explains each.

Exit codes: 0 success, 1 the question has no answer (e.g. no path), 2 bad input.
"""

from __future__ import annotations

import argparse
import logging
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from graphkit.errors import GraphkitError, GraphValidationError, NodeNotFound, Problem
from graphkit.graph import OwnershipGraph
from graphkit.types import date as date_type

__all__ = ["load_graph", "main", "problems_line", "suggest_ids"]

log = logging.getLogger("graphkit")


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


class _NoProblemsAdvice(logging.Filter):
    """Hide the library's "see graph.problems" warning: the command line says it in its own words."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name == "graphkit.graph" and "see graph.problems" in str(record.msg))


def load_graph(files: Sequence[str], *, announce: bool = True) -> OwnershipGraph:
    """Read (and merge) the FILE arguments of a command; the one loader every command uses.

    After reading, when the input had problems and ``announce`` is true, one line on
    stderr says how many rows were not used and how many values were read as unknown,
    and how to list them (see :func:`problems_line`).

    Parameters
    ----------
    files : sequence of str
        Paths as given on the command line (any format :func:`graphkit.io.detect.read_any` knows).
    announce : bool
        Write the summary line to stderr (``graphkit info`` lists the problems itself).

    Returns
    -------
    OwnershipGraph

    Examples
    --------
    >>> import graphkit as gk
    >>> len(load_graph([str(gk.seed_path())])) > 20
    True
    """
    from graphkit.graph import merge
    from graphkit.io.detect import read_any

    quiet = _NoProblemsAdvice()
    glog = logging.getLogger("graphkit.graph")
    glog.addFilter(quiet)
    try:
        graphs = [read_any(f) for f in files]
        g = graphs[0] if len(graphs) == 1 else merge(*graphs)
    finally:
        glog.removeFilter(quiet)
    line = problems_line(g.problems, files)
    if announce and line:
        sys.stderr.write(line + "\n")
    return g


_load = load_graph  # the old private name


def problems_line(problems: Sequence[Problem], files: Sequence[str]) -> str | None:
    """One line summing up input problems for the command line, or None when there are none.

    Rows not used are counted once each however many problems they have.

    >>> from graphkit.errors import Problem
    >>> print(problems_line([Problem("bad kind", file="r.csv", line=3),
    ...                      Problem("bad date", file="r.csv", line=3),
    ...                      Problem("odd share", file="r.csv", line=4, action="kept")], ["case/"]))
    3 input problem(s): 1 row(s) not used, 1 value(s) kept with a note (read as unknown, merged or assumed); run `graphkit info case/` to list them
    """
    if not problems:
        return None
    rows: set[object] = set()  # one key per row left out: (file or table, line or row)
    for i, p in enumerate(problems):
        if p.action == "rejected":
            at = p.line if p.line is not None else p.row
            rows.add((p.file or p.table, at) if at is not None else i)
    kept = sum(p.action == "kept" for p in problems)
    stubs = sum(p.action == "stub" for p in problems)
    checks = sum(p.action == "check" for p in problems)
    parts = [f"{len(rows)} row(s) not used", f"{kept} value(s) kept with a note (read as unknown, merged or assumed)"]
    if stubs:
        parts.append(f"{stubs} reference(s) to entities not described (stub entities made)")
    if checks:
        parts.append(f"{checks} thing(s) to check (facts that cannot all be true, such as shares over 100% "
                     "in total; probable duplicates across lists)")
    return (f"{len(problems)} input problem(s): {', '.join(parts)}; "
            f"run `graphkit info {shlex.join(files)}` to list them")


def cmd_demo(args: argparse.Namespace) -> int:
    import graphkit as gk
    from graphkit.investigation import findings
    from graphkit.io.tables import write_table

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    g = gk.read_csv(gk.seed_path(), strict=True)
    f = findings(g, as_of=args.as_of, k=args.k, max_hops=args.max_hops)
    write_table(f.table.drop(columns=["explanation"]), out / "findings.csv")
    write_table(gk.paths_frame(f.paths), out / "paths.csv")
    report = f.report("graphkit seed investigation: AI chips and listed Chinese AI firms")
    (out / "report.md").write_text(report, encoding="utf-8")
    best: dict[str, gk.Path] = {}
    for p in f.paths:  # paths come shortest first per entity: keep each one's best
        if p.hops > 0:
            best.setdefault(p.nodes[0], p)
    highlight = list(best.values())
    gk.to_html(g, path=out / "case.html", highlight=highlight,
               title="Seed investigation: AI chips and listed Chinese AI firms", as_of=f.as_of)
    g.save(out / "graph")
    reach = f.table[f.table["hops"] > 0].sort_values(["hops", "name"])
    _out(f"Seed investigation ({len(g)} entities, {len(g.relations)} relations, "
         f"{len(g.listings)} listings), as of {f.as_of}")
    _out(f.reach_summary())
    _out()
    for name in f.table.loc[f.table["hops"] == 0, "name"].sort_values():
        _out(f"- {name} is on a list itself (0 steps)")
    for rec in reach.to_dict("records"):
        tag = " [uses illustrative facts]" if rec["uses_illustrative"] else ""
        _out(f"- {rec['name']} -> {rec['nearest_name']} in {int(rec['hops'])} step(s) via "
             f"{rec['relation_kinds']} (weakest evidence: {rec['weakest_confidence']}){tag}")
    _out()
    sourced = [p for p in f.paths if p.hops > 0 and not any(r.get("illustrative") for r in p.relations)]
    if sourced:
        _out("Example, from sourced facts only:")
        _out(sourced[0].explain())
        _out()
    for name in ("report.md", "findings.csv", "paths.csv", "case.html", "graph/"):
        _out(f"wrote {out / name}")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from graphkit.report import dangling_report, graph_summary

    g = load_graph(args.files, announce=False)
    _out(repr(g))
    for title, counts in graph_summary(g).items():
        _out(f"\n{title}:")
        if not len(counts):
            _out("  (none)")
        for k, v in counts.items():
            _out(f"  {k}: {int(v)}")
    dangling = dangling_report(g)
    _out(f"\ndangling references (stub entities created): {len(dangling)}")
    for rec in dangling.head(args.limit).to_dict("records"):
        _out(f"  {rec['where']}: {rec['entity']}")
    if g.problems:
        _out(f"\ninput problems ({len(g.problems)}; first {min(args.limit, len(g.problems))}):")
        for p in g.problems[: args.limit]:
            _out(f"  [{p.action}] {p}")
    return 0


def cmd_paths(args: argparse.Namespace) -> int:
    import graphkit as gk
    from graphkit.io.tables import write_table

    g = load_graph(args.files)
    _check_endpoints(g, args.source, args.to)
    kinds = args.kinds.split(",") if args.kinds else None
    found = gk.paths(g, args.source, to=args.to, max_hops=args.max_hops, kinds=kinds, k=args.k,
                     as_of=args.as_of)
    if args.csv:
        write_table(gk.paths_frame(found), args.csv)
    if not found:
        day = date_type.as_of_text(args.as_of)
        _out(f"No path from {g.name_of(args.source)} to {args.to} within {args.max_hops} steps (as of {day}).")
        from graphkit.algorithms.pathtext import listing_history

        past = listing_history(g, day, [g.index.position(args.source)])[0]
        if past:  # delisted before the day, or listed only after it
            _out(f"  Note: {g.name_of(args.source)} {past}.")
        return 1
    for p in found:
        _out(p.explain())
        _out()
    return 0


def _check_endpoints(g: OwnershipGraph, source: str, to: str) -> None:
    """``--from`` must be an entity id; ``--to`` 'listed', a list code or an entity id."""
    from graphkit.model import get_model

    if source not in g:
        raise NodeNotFound(f"--from {source!r} is not in the graph: no entity has this id"
                           f"{_suggest(g, source)}")
    codes = list(get_model().lists)
    if to != "listed" and to not in codes and to not in g:
        raise NodeNotFound(f"--to {to!r} is not a list code or an entity id; use 'listed' (any "
                           f"list), a list code ({', '.join(codes)}) or an entity id{_suggest(g, to)}")


def suggest_ids(g: OwnershipGraph, text: str, limit: int = 5) -> list[str]:
    """Entity ids whose id, name or alias is ``text`` ignoring case (else contains it).

    >>> import graphkit as gk
    >>> suggest_ids(gk.read_csv(gk.seed_path()), "AI-Galaxy")
    ['ai-galaxy']
    """
    import pandas as pd

    want = text.strip().casefold()
    if not want:
        return []
    ents = g.entities
    ids = ents["id"].astype(str)
    names = ents["name"].astype(str).str.casefold()
    aliases = ents["aliases"].map(lambda v: [str(a).casefold() for a in v] if isinstance(v, list) else [])
    exact = (ids.str.casefold() == want) | (names == want) | aliases.map(lambda v: want in v)
    hits = ids[exact]
    if not len(hits):
        part = (ids.str.casefold().str.contains(want, regex=False)
                | names.str.contains(want, regex=False)
                | aliases.map(lambda v: any(want in a for a in v)))
        hits = ids[pd.Series(part, index=ids.index).fillna(False).astype(bool)]
    return hits.head(limit).tolist()


def _suggest(g: OwnershipGraph, text: str) -> str:
    hits = suggest_ids(g, text)
    return f" (did you mean {' or '.join(map(repr, hits))}?)" if hits else ""


def cmd_convert(args: argparse.Namespace) -> int:
    g = load_graph(args.files)
    path = g.save(args.output)
    _out(f"{g!r} saved to {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="graphkit", description=(
        "Trace how companies on restricted-party lists reach what they are barred from. "
        "FILE arguments may be a folder of CSV tables (entities.csv, relations.csv, "
        "listings.csv), an Excel workbook, a saved graphkit folder, an OFAC legacy CSV "
        "(sdn.csv / cons_prim.csv), a FollowTheMoney .json/.jsonl file, a DoD 1260H CSV, "
        "GLEIF API JSON or BODS JSON."))
    p.add_argument("-v", "--verbose", action="store_true", help="show progress and warnings")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    d = sub.add_parser("demo", help="run the seed investigation and write its report",
                       description="Load the seed case (data/seed), find who reaches a listed "
                       "party and how, print the findings and write report.md, findings.csv, "
                       "paths.csv, case.html and the graph into the output folder.")
    d.add_argument("--out", default="out", help="output folder (default: out/)")
    d.add_argument("--as-of", default=None, help="evaluate on this date, YYYY-MM-DD (default today)")
    d.add_argument("--k", type=int, default=3, help="paths per entity (default 3)")
    d.add_argument("--max-hops", type=int, default=6, help="longest path (default 6)")
    d.set_defaults(func=cmd_demo)

    i = sub.add_parser("info", help="counts by kind and list, dangling references, input problems",
                       description="Read the files and report what they hold and what could "
                       "not be used, with file and line.")
    i.add_argument("files", nargs="+", metavar="FILE")
    i.add_argument("--limit", type=int, default=50, help="problems to show (default 50)")
    i.set_defaults(func=cmd_info)

    pa = sub.add_parser("paths", help="how an entity reaches listed parties",
                        description="The k shortest paths from an entity to listed parties, each "
                        "step with its source.")
    pa.add_argument("files", nargs="+", metavar="FILE")
    pa.add_argument("--from", dest="source", required=True, help="entity id to start from")
    pa.add_argument("--to", default="listed",
                    help="'listed' (default), a list code (us-bis-entity-list) or an entity id")
    pa.add_argument("--kinds", default=None, help="relation kinds to walk, comma separated")
    pa.add_argument("--max-hops", type=int, default=6, help="longest path (default 6)")
    pa.add_argument("--k", type=int, default=3, help="how many paths (default 3)")
    pa.add_argument("--as-of", default=None, help="date YYYY-MM-DD (default today)")
    pa.add_argument("--csv", default=None, help="also write the paths to this CSV file")
    pa.set_defaults(func=cmd_paths)

    from graphkit.algorithms.restricted import add_restricted_parser

    add_restricted_parser(sub)

    from graphkit.algorithms.screen import add_screen_parser

    add_screen_parser(sub)

    from graphkit.viz.command import add_html_parser

    add_html_parser(sub)

    c = sub.add_parser("convert", help="read files and save them as a graphkit Parquet folder",
                       description="Read and merge the files, then save a lossless Parquet folder "
                       "that graphkit.load() and every command read back.")
    c.add_argument("files", nargs="+", metavar="FILE")
    c.add_argument("-o", "--output", required=True, help="folder to write")
    c.set_defaults(func=cmd_convert)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.ERROR,
                        format="%(levelname)s: %(message)s")
    try:
        return int(args.func(args))
    except GraphValidationError as exc:  # the library's "(see .problems)" means nothing here
        sys.stderr.write(f"graphkit: {str(exc).replace('(see .problems)', '')}\n".replace(" \n", "\n"))
        return 2
    except GraphkitError as exc:
        sys.stderr.write(f"graphkit: {exc}\n")
        return 2
    except (FileNotFoundError, ValueError) as exc:
        sys.stderr.write(f"graphkit: {exc}\n")
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
