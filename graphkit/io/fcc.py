"""The FCC Covered List, as transcribed by OpenSanctions (``fcc_covered_list__table.csv``).

The FCC's Covered List names *equipment and services*, not parties: "Telecommunications
equipment produced by Huawei Technologies Company, including ...". Each row is a sentence
and a date (``covered_equipment_or_services, date_of_inclusion_on_covered_list``).
:func:`read_fcc_covered` takes the companies out of those sentences:

- A company is the name after "produced by", "provided by" or "supplied, directly or
  indirectly, by", up to where the sentence goes on (", including", ", to the extent",
  "subject to", "or any of its ...", the full stop). Entity ``fcc:<slug of the name>``,
  kind company.
- "X and its wholly-owned subsidiary Y" names two companies: both are listed, and an
  ``owns`` relation X -> Y of 100% (confidence ``reported``: the list states it, it is not
  a register) is added with the row as its source.
- One ``us-fcc-covered`` listing per company and row, id ``fcc:<slug>:<date>``:
  ``start`` is the date of inclusion, ``listed_name`` the name as written, ``note`` the
  whole entry (what is covered: only some equipment, "to the extent it is used for ...",
  "or any of its predecessors, successors, parents, subsidiaries, or affiliates"), so a
  reader sees the scope the FCC wrote. ``source_ref`` cites the FCC page and the file line.
  Confidence is the default ``reported``: the file is a transcription, and the name is taken
  out of a sentence; check it on the FCC page before relying on it.
- A date cell with later updates ("December 22, 2025Updated:January 7, 2026 ...") gives
  the first date as ``start``; the updates are kept in the note.
- A row that names no company ("Routers produced in a foreign country ...", "Foreign-produced
  power inverters ...") covers a kind of equipment, not a party: it becomes no entity and
  is reported in ``graph.problems`` with its line, so nothing is left out unseen.

Left out: who makes the equipment that a category row covers (the list does not say), and
the exceptions it grants (Conditional Approvals, the Blue UAS list): read the note.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from graphkit.errors import GraphValidationError, Problem
from graphkit.graph import OwnershipGraph
from graphkit.io.dod1260h import _read_frame, _slug
from graphkit.types import date as date_type

__all__ = ["read_fcc_covered", "covered_companies"]

COLUMNS = ("covered_equipment_or_services", "date_of_inclusion_on_covered_list")
FCC_URL = "https://www.fcc.gov/supplychain/coveredlist"
_BY = re.compile(r"\b(?:produced|provided|supplied)(?:,\s*directly or indirectly,)?\s+by\s+", re.IGNORECASE)
# where the name ends: the sentence goes on with a clause, a scope or its full stop
_END = re.compile(r",?\s+(?:including\b|to the extent\b|subject to\b|or any of\b|for the purpose\b)|,\s+|\.\s*$"
                  r"|\.\s+(?=[A-Z])", re.IGNORECASE)
_SUBSIDIARY = re.compile(r"\s+and its wholly[- ]owned subsidiary\s+", re.IGNORECASE)
_LEGAL_END = re.compile(r"\b(?:inc|corp|co|ltd|llc|plc|s\.a|n\.v)\.$", re.IGNORECASE)
_MONTH_DATE = re.compile(r"(January|February|March|April|May|June|July|August|September|October|November|December)"
                         r"\s+\d{1,2},\s*\d{4}")


def covered_companies(text: str) -> list[str]:
    """The companies an entry of the Covered List names (none for a category of equipment).

    The first is the one whose equipment or services are covered; a second follows
    "and its wholly-owned subsidiary".

    >>> covered_companies("Telecommunications equipment produced by Huawei Technologies Company, "
    ...                   "including telecommunications services provided by such entity.")
    ['Huawei Technologies Company']
    >>> covered_companies("International telecommunications services provided by Pacific Networks Corp "
    ...                   "and its wholly-owned subsidiary ComNet (USA) LLC subject to section 214.")
    ['Pacific Networks Corp', 'ComNet (USA) LLC']
    >>> covered_companies("Telecommunications services provided by China Telecom (Americas) Corp. "
    ...                   "subject to section 214 of the Communications Act of 1934.")
    ['China Telecom (Americas) Corp.']
    >>> covered_companies("Routers produced in a foreign country, except routers ...")
    []
    """
    found = _BY.search(text)
    if found is None:
        return []
    rest = text[found.end():]
    if rest.lower().startswith(("such entity", "such entities")):
        return []
    name = _cut(rest)
    if not name or name[0].islower():  # "produced in a foreign country", "provided by such entity"
        return []
    parts = _SUBSIDIARY.split(name, maxsplit=1)
    return [p.strip(" ,;") for p in parts if p.strip(" ,;")]


def _cut(rest: str) -> str:
    """The name at the start of ``rest``: up to the first clause that is not part of it.

    A comma or full stop right after a legal form ("Kaspersky Lab, Inc.", "Technology Inc.,")
    belongs to the name, so the search for the end goes on past it.
    """
    at = 0
    while True:
        end = _END.search(rest, at)
        if end is None:
            return rest.strip()
        piece = rest[:end.start()]
        tail = rest[end.start():end.end()]
        if tail.startswith(",") and tail.strip() == "," and re.match(r"\s*(?:Inc|Ltd|LLC|Corp|Co)\b\.?", rest[end.end():]):
            at = end.end()  # "Kaspersky Lab, Inc.": the legal form after the comma is part of the name
            continue
        if tail.startswith(".") and not tail.strip(". ") and _LEGAL_END.search(piece + "."):
            piece += "."  # "... Corp." at the end of the sentence: the dot is the legal form's
        return piece.strip()


def _dates(cell: str) -> tuple[str | None, list[str]]:
    """The first date of inclusion (ISO) and the update dates written after it."""
    found = [m.group(0) for m in _MONTH_DATE.finditer(cell)]
    iso = [date_type.parse(d) for d in found]
    if not iso:
        return date_type.parse(cell), []
    return iso[0], [d for d in iso[1:] if d]


def read_fcc_covered(path: str | Path, *, strict: bool = False) -> OwnershipGraph:
    """Read the FCC Covered List (OpenSanctions transcription, ``fcc_covered_list__table.csv``).

    Parameters
    ----------
    path : str or Path
        The CSV file (UTF-8, header ``covered_equipment_or_services,
        date_of_inclusion_on_covered_list``).
    strict : bool
        Raise GraphValidationError on any problem instead of reporting it (entries
        that name no company are reported, never raised: the list is written so).

    Returns
    -------
    OwnershipGraph
        One company per name the entries give, one ``us-fcc-covered`` listing per company
        and entry (the entry's words in the note: the FCC covers equipment and services,
        sometimes only for some uses), and an ``owns`` relation where an entry names a
        wholly-owned subsidiary. Entries that name no company are in ``graph.problems``.

    Raises
    ------
    ReadError
        The file is missing, not UTF-8, or lacks a column of the layout.

    Examples
    --------
    >>> import tempfile, pathlib, graphkit as gk
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "fcc.csv"
    >>> _ = f.write_text(
    ...     "covered_equipment_or_services,date_of_inclusion_on_covered_list\\n"
    ...     '"Telecommunications equipment produced by ZTE Corporation, including services.","March 12, 2021"\\n'
    ...     '"Routers produced in a foreign country.","March 23, 2026"\\n', encoding="utf-8")
    >>> g = gk.read_fcc_covered(f)
    >>> g.listings[["entity", "list", "start"]].values.tolist()
    [['fcc:zte-corporation', 'us-fcc-covered', '2021-03-12']]
    >>> print(g.problems[0].message)
    names no company (it covers a kind of equipment or service); no entity or listing made: check whether what your customer buys falls under it
    """
    problems: list[Problem] = []
    frame = _read_frame(path, COLUMNS, problems)
    file, fname = str(path), Path(path).name
    ents: dict[str, dict[str, Any]] = {}
    listings: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    for rec in frame.to_dict("records"):
        text = " ".join(str(rec[COLUMNS[0]] or "").split())
        cell = str(rec[COLUMNS[1]] or "").strip()
        line = rec["_line"]
        if not text:
            problems.append(Problem("the entry is empty", file=file, line=line, column=COLUMNS[0]))
            continue
        names = covered_companies(text)
        if not names:
            problems.append(Problem("names no company (it covers a kind of equipment or service); "
                                    "no entity or listing made: check whether what your customer "
                                    "buys falls under it", file=file, line=line,
                                    column=COLUMNS[0], value=text[:200], action="check"))
            continue
        notes = [f"FCC Covered List entry: {text}"]
        try:
            start, updates = _dates(cell)
        except ValueError as exc:
            start, updates = None, []
            problems.append(Problem(f"{exc}; the listing is kept without a start", file=file, line=line,
                                    column=COLUMNS[1], value=cell, action="kept"))
            notes.append(f"date as written: {cell!r}")
        if updates:
            notes.append(f"entry updated on {', '.join(updates)}")
        source = f"{FCC_URL} (FCC Covered List, {fname}:{line})"
        for name in names:
            slug = _slug(name)
            ent = ents.setdefault(slug, {"id": f"fcc:{slug}", "name": name, "kind": "company",
                                         "aliases": [], "source_ref": source, "_file": file, "_line": line})
            if name != ent["name"] and name not in ent["aliases"]:
                ent["aliases"].append(name)
            lid = f"fcc:{slug}:{start or line}"
            lid += f":{line}" if any(x["id"] == lid for x in listings) else ""
            listings.append({"id": lid, "entity": ent["id"], "list": "us-fcc-covered",
                             "program": "Secure and Trusted Communications Networks Act",
                             "listed_name": name, "start": start, "end": None, "source_ref": source,
                             "note": " ".join(notes), "_file": file, "_line": line})
        for parent, child in zip(names, names[1:]):
            relations.append({"id": f"fcc:owns:{_slug(parent)}:{_slug(child)}", "source": f"fcc:{_slug(parent)}",
                              "target": f"fcc:{_slug(child)}", "kind": "owns", "share_min": 100.0,
                              "share_max": 100.0, "confidence": "reported", "observed": start,
                              "source_ref": source,
                              "note": f"The FCC Covered List calls {child!r} the wholly-owned subsidiary of "
                                      f"{parent!r} (line {line}).", "_file": file, "_line": line})
    # an entry that names only a kind of equipment is how the list is written, not an error
    errors = [p for p in problems if p.action != "check"]
    if strict and errors:
        raise GraphValidationError(errors)
    rel_cols = ["id", "source", "target", "kind", "share_min", "share_max", "confidence", "observed",
                "source_ref", "note", "_file", "_line"]
    ent_cols = ["id", "name", "kind", "aliases", "source_ref", "_file", "_line"]
    lst_cols = ["id", "entity", "list", "program", "listed_name", "start", "end", "source_ref", "note",
                "_file", "_line"]
    return OwnershipGraph.from_frames(pd.DataFrame(list(ents.values()), columns=ent_cols),
                                      pd.DataFrame(relations, columns=rel_cols),
                                      pd.DataFrame(listings, columns=lst_cols),
                                      on_error="raise" if strict else "report", problems=problems)
