"""US China-related lists as transcribed by OpenSanctions: DoD 1260H and NDAA section 889.

:func:`read_dod1260h` reads ``dod_chinese_milcorps__sanctions.csv``, the DoD Section 1260H
"Chinese military companies" list: UTF-8 with a header ``Name, Clean Name, Alias,
Previous Name, Parent Name, Note, Start date, End date, Source Url`` and one row per
listing period (an entity named in several editions has several rows).

- Entity ``dod1260h:<slug of Clean Name>``, kind company. Editions spell one company
  differently; Clean Names that differ only in case or punctuation (``Addsino Co. Ltd.`` /
  ``Addsino Co., Ltd.``), by a trailing parenthesised part (``Dawning Information Industry
  Co., Ltd.`` / ``... Co., Ltd. (Sugon)``) or by a trailing legal form (``China SpaceSat
  Co.`` / ``China SpaceSat Co., Ltd.``) are one entity, so its listing periods stay
  together. Its id is the slug of a spelling without the ``(...)`` (else of the earliest
  edition's), its name the latest edition's spelling; the other spellings become aliases
  and each merge is reported (``action="kept"``). Aliases: Alias and Previous Name
  (``;`` between several) and Name without its trailing ``*`` when it differs.
- Listing per row on ``us-dod-1260h``, id ``dod1260h:<slug>:<Start date>``: ``start``,
  ``end``, ``listed_name`` = Name as written, ``note`` = Note, ``source_ref`` = Source Url
  or ``"DoD 1260H list, <file>:<line>"`` when the URL is empty.
- Parent Name -> ``owns`` relation parent -> entity, one per (parent, entity) pair, id
  ``dod1260h:owns:<parent slug>:<slug>``, share unknown (0..100), confidence
  ``reported``: the list names a parent without stating a share. ``observed`` is the
  latest edition that states it. The parent is matched to an entity by the slug of its
  Clean Name or of its Name as written (``... Limited (CASIC)``); a parent that is not
  itself a row becomes a company entity with a note.

:func:`read_ndaa889` reads ``special_leg__section_889.csv`` and
``special_leg__section_1286.csv`` (OpenSanctions' layout ``schema, name, aliases, topics,
program, authority, reason, report-date, start-date, end-date, country, notes,
source_url``): entity ``ndaa889:<slug>`` (the same id prefix for both files, as in earlier
versions, so saved graphs keep their ids) and one listing per row, on the list its
``program`` names: ``us-ndaa-1286`` for "Section 1286", ``us-ndaa-889`` for "Section 889"
(a program naming neither is reported and taken from the file name, 889 by default).
``start`` is ``start-date``, else ``report-date`` (the year of the DoD 1286 edition that
names the row; the listing note says so), so a listing is not in force before the
edition that first names it; the 889 file gives neither (the statute names the five
companies), so its listings start on 2018-08-13, the day the statute became law (the note
says so). An optional ``report-date`` column may be
missing. One entity gets the first country its rows give; names that differ only in case
or punctuation are one entity, and the merge is reported (``kept``).

The FCC Covered List (``fcc_covered_list__table.csv``) is read by
:func:`graphkit.io.fcc.read_fcc_covered`.

Lines are CSV line numbers (the header is line 1). Left out: nothing else; the 1260H
``*`` marks are kept in ``listed_name``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from graphkit.errors import GraphValidationError, Problem, ReadError
from graphkit.graph import OwnershipGraph
from graphkit.io.csv import read_table_csv
from graphkit.types import country as country_type
from graphkit.types import date as date_type

__all__ = ["read_dod1260h", "read_ndaa889"]

DOD_COLUMNS = ("Name", "Clean Name", "Alias", "Previous Name", "Parent Name", "Note",
               "Start date", "End date", "Source Url")
LEG_COLUMNS = ("schema", "name", "aliases", "program", "start-date", "end-date", "country",
               "notes", "source_url")
PROGRAM_1260H = "NDAA FY2021 s.1260H"
NDAA_FY2019_ENACTED = "2018-08-13"  # Pub. L. 115-232, John S. McCain NDAA for FY2019
_SCHEMA_KINDS = {"company": "company", "organization": "organization", "person": "person",
                 "legalentity": "legal_entity", "publicbody": "public_body"}


def _slug(text: str) -> str:
    """Lower-case, accents and punctuation folded: ``Xi’an Co., Ltd.`` -> ``xi-an-co-ltd``."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "-", folded.lower()).strip("-")


# Trailing legal forms ignored when deciding whether two Clean Names name one company.
_LEGAL_FORMS = frozenset({"co", "company", "ltd", "limited", "corp", "corporation", "inc",
                          "incorporated", "llc", "plc", "lp", "llp", "sa", "ag", "gmbh", "jsc",
                          "pjsc", "ojsc", "oao", "zao", "ooo"})
_TRAILING_PAREN = re.compile(r"\s*\([^()]*\)\s*$")


def _merge_key(name: str) -> str:
    """The part of a Clean Name that decides whether two spellings are one company.

    Case, punctuation, one trailing parenthesised part and trailing legal forms are
    ignored: ``Dawning Information Industry Co., Ltd. (Sugon)`` and ``Dawning Information
    Industry Co Ltd`` both give ``dawning-information-industry``; ``China SpaceSat Co.``
    and ``China SpaceSat Co., Ltd.`` both give ``china-spacesat``.

    >>> _merge_key("MGI Tech Co., Ltd. (MGI)"), _merge_key("China SpaceSat Co.")
    ('mgi-tech', 'china-spacesat')
    """
    tokens = _slug(_TRAILING_PAREN.sub("", name)).split("-")
    while len(tokens) > 1 and tokens[-1] in _LEGAL_FORMS:
        tokens.pop()
    return "-".join(tokens)


def _why_merged(name: str, first: str) -> str:
    """Why two Clean Names were read as one company, in words."""
    if _slug(name) == _slug(first):
        return "only in case or punctuation"
    for a, b in ((name, first), (first, name)):
        paren = _TRAILING_PAREN.search(a)
        if paren and _slug(a[: paren.start()]) == _slug(b):
            return f"only by the trailing {paren.group().strip()!r}"
    if _slug(_TRAILING_PAREN.sub("", name)) == _slug(_TRAILING_PAREN.sub("", first)):
        return "only by a trailing part in parentheses"
    return "only in a trailing legal form (Co., Ltd., Corporation ...)"


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(";") if v.strip()]


def _read_frame(path: str | Path, columns: tuple[str, ...],
                problems: list[Problem]) -> pd.DataFrame:
    frame = read_table_csv(path, problems=problems)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ReadError(f"{path}:1: no column {', '.join(map(repr, missing))} in the header "
                        f"(found: {', '.join(c for c in frame.columns if not c.startswith('_'))})")
    for c in columns:
        frame[c] = frame[c].fillna("").astype(str).str.strip()
    return frame


def _date(rec: dict[str, Any], col: str, problems: list[Problem], notes: list[str]) -> str | None:
    """A date cell as ISO text; an unreadable one is reported, kept in ``notes``, and None."""
    try:
        return date_type.parse(rec[col])
    except ValueError as exc:
        problems.append(Problem(f"{exc}; the listing is kept without it", file=rec["_file"],
                                line=rec["_line"], column=col, value=rec[col], action="kept"))
        notes.append(f"{col} as written: {rec[col]!r}")
        return None


@dataclass
class _Entity:
    slug: str
    names: dict[str, str] = field(default_factory=dict)  # spelling -> latest start seen
    aliases: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


def _entities_frame(found: dict[str, _Entity], prefix: str, file: str, label: str) -> pd.DataFrame:
    rows = []
    for e in found.values():
        name = max(e.names, key=lambda n: e.names[n])  # the latest edition's spelling
        aliases = [a for a in dict.fromkeys([*e.names, *e.aliases]) if a != name]
        lines = ", ".join(map(str, e.lines))
        rows.append({"id": f"{prefix}:{e.slug}", "name": name, "kind": "company",
                     "aliases": aliases, "source_ref": f"{label}, {Path(file).name} lines {lines}",
                     "_file": file, "_line": e.lines[0]})
    return pd.DataFrame(rows, columns=["id", "name", "kind", "aliases", "source_ref", "_file",
                                       "_line"])


def read_dod1260h(path: str | Path, *, strict: bool = False) -> OwnershipGraph:
    """Read the DoD Section 1260H Chinese military companies list (OpenSanctions CSV).

    Parameters
    ----------
    path : str or Path
        ``dod_chinese_milcorps__sanctions.csv`` (UTF-8, with a header row).
    strict : bool
        Raise GraphValidationError on any problem instead of reporting it.

    Returns
    -------
    OwnershipGraph
        One company per Clean Name (spellings merged as the module notes say, each
        merge reported), one ``us-dod-1260h`` listing per row,
        and an ``owns`` relation (unknown share) from each named parent. Problems
        name the file and CSV line (the header is line 1).

    Raises
    ------
    ReadError
        The file is missing, not UTF-8, or lacks a column of the layout.

    Examples
    --------
    >>> import tempfile, pathlib, graphkit as gk
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "dod.csv"
    >>> _ = f.write_text(
    ...     "Name,Clean Name,Alias,Previous Name,Parent Name,Note,Start date,End date,Source Url\\n"
    ...     "Big Group (BG),Big Group,BG,,,,2021-06-03,,\\n"
    ...     "Small Co.,Small Co.,,Old Co.,Big Group,,2025-01-07,,https://example.org/list.pdf\\n",
    ...     encoding="utf-8")
    >>> g = gk.read_dod1260h(f)
    >>> g
    <OwnershipGraph: 2 entities, 1 relation, 2 listings>
    >>> rel = g.relations.iloc[0]
    >>> rel["source"], rel["target"], rel["kind"], float(rel["share_min"]), float(rel["share_max"])
    ('dod1260h:big-group', 'dod1260h:small-co', 'owns', 0.0, 100.0)
    >>> g.entity("dod1260h:small-co")["aliases"]
    ['Old Co.']
    """
    problems: list[Problem] = []
    frame = _read_frame(path, DOD_COLUMNS, problems)
    file = str(path)
    records = frame.to_dict("records")
    ids = _entity_slugs(records)
    found: dict[str, _Entity] = {}
    by_name: dict[str, str] = {}  # slug of the Name as written -> entity slug
    listings: list[dict[str, Any]] = []
    listing_ids: set[str] = set()
    parents: list[tuple[dict[str, Any], str, str | None]] = []  # (row, entity slug, start)
    for rec in records:
        clean, raw = rec["Clean Name"], rec["Name"].rstrip("*").strip()
        if not clean:
            if not raw:
                problems.append(Problem("Name and Clean Name are empty", file=file,
                                        line=rec["_line"], column="Clean Name"))
                continue
            problems.append(Problem("Clean Name is empty; Name used", file=file, line=rec["_line"],
                                    column="Clean Name", value=rec["Name"], action="kept"))
            clean = raw
        slug = ids[_merge_key(clean)]
        notes = [rec["Note"]] if rec["Note"] else []
        start = _date(rec, "Start date", problems, notes)
        end = _date(rec, "End date", problems, notes)
        ent = found.setdefault(slug, _Entity(slug))
        if ent.names and clean not in ent.names:
            first = next(iter(ent.names))
            problems.append(Problem(f"Clean Name differs from {first!r} (line {ent.lines[0]}) "
                                    f"{_why_merged(clean, first)}: read as the same entity "
                                    f"({'dod1260h:' + slug}), the other spelling kept as an alias",
                                    file=file, line=rec["_line"], column="Clean Name", value=clean,
                                    action="kept"))
        ent.names[clean] = max(start or "", ent.names.get(clean, ""))
        ent.aliases += [*_split(rec["Alias"]), *_split(rec["Previous Name"]), raw]
        ent.lines.append(rec["_line"])
        by_name.setdefault(_slug(raw), slug)
        by_name.setdefault(_slug(clean), slug)
        lid = f"dod1260h:{slug}:{start or rec['_line']}"
        lid += f":{rec['_line']}" if lid in listing_ids else ""
        listing_ids.add(lid)
        listings.append({"id": lid, "entity": f"dod1260h:{slug}", "list": "us-dod-1260h",
                         "program": PROGRAM_1260H, "listed_name": rec["Name"], "start": start,
                         "end": end, "source_ref": rec["Source Url"] or
                         f"DoD 1260H list, {Path(file).name}:{rec['_line']}",
                         "note": " ".join(notes) or None, "_file": file, "_line": rec["_line"]})
        if rec["Parent Name"]:
            parents.append((rec, slug, start))
    relations, extra = _parents(parents, found, by_name, file)
    ents = pd.concat([_entities_frame(found, "dod1260h", file, "DoD 1260H list"), extra],
                     ignore_index=True)
    if strict and problems:
        raise GraphValidationError(problems)
    return OwnershipGraph.from_frames(ents, relations, pd.DataFrame(listings),
                                      on_error="raise" if strict else "report", problems=problems)


def _entity_slugs(records: list[dict[str, Any]]) -> dict[str, str]:
    """Merge key -> the entity's slug: that of a spelling without a trailing ``(...)``
    if there is one, else of the earliest edition's.

    Ids so stay the same when a later edition adds a spelling (``... (Sugon)``).
    """
    first: dict[str, tuple[bool, str, int, str]] = {}  # key -> (paren, start, line, slug)
    for rec in records:
        clean = rec["Clean Name"] or rec["Name"].rstrip("*").strip()
        if not clean:
            continue
        try:
            start = date_type.parse(rec["Start date"]) or "9999"
        except ValueError:
            start = "9999"
        here = (bool(_TRAILING_PAREN.search(clean)), start, int(rec["_line"]), _slug(clean))
        key = _merge_key(clean)
        first[key] = min(first.get(key, here), here)
    return {key: slug for key, (_, _, _, slug) in first.items()}


def _parents(parents: list[tuple[dict[str, Any], str, str | None]], found: dict[str, _Entity],
             by_name: dict[str, str], file: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One owns relation per (parent, entity) pair, and entities for unlisted parents."""
    pairs: dict[tuple[str, str], list[tuple[dict[str, Any], str | None]]] = {}
    unlisted: dict[str, dict[str, Any]] = {}
    for rec, child, start in parents:
        parent = rec["Parent Name"]
        pslug = _slug(parent)
        pslug = pslug if pslug in found else by_name.get(pslug, pslug)
        if pslug not in found:  # a spelling merged into another entity
            pslug = by_name.get(_slug(_TRAILING_PAREN.sub("", parent)), pslug)
        if pslug not in found and pslug not in unlisted:
            unlisted[pslug] = {
                "id": f"dod1260h:{pslug}", "name": parent, "kind": "company",
                "note": f"Named as a parent in the DoD 1260H list ({Path(file).name} line "
                        f"{rec['_line']}) but not itself a row of it.",
                "source_ref": f"DoD 1260H list, {Path(file).name}:{rec['_line']}",
                "_file": file, "_line": rec["_line"]}
        pairs.setdefault((pslug, child), []).append((rec, start))
    relations = []
    for (pslug, child), recs in pairs.items():
        starts = sorted(s for _, s in recs if s)
        refs = dict.fromkeys(r["Source Url"] or f"DoD 1260H list, {Path(file).name}:{r['_line']}"
                             for r, _ in recs)
        lines = ", ".join(str(r["_line"]) for r, _ in recs)
        relations.append({
            "id": f"dod1260h:owns:{pslug}:{child}", "source": f"dod1260h:{pslug}",
            "target": f"dod1260h:{child}", "kind": "owns", "share_min": None, "share_max": None,
            "confidence": "reported", "observed": starts[-1] if starts else None,
            "source_ref": "; ".join(refs),
            "note": f"The DoD 1260H list names {recs[0][0]['Parent Name']!r} as the parent (lines {lines}, "
                    f"editions {', '.join(starts) or 'undated'}) without stating a share.",
            "_file": file, "_line": recs[0][0]["_line"]})
    rel_cols = ["id", "source", "target", "kind", "share_min", "share_max", "confidence",
                "observed", "source_ref", "note", "_file", "_line"]
    ent_cols = ["id", "name", "kind", "note", "source_ref", "_file", "_line"]
    return (pd.DataFrame(relations, columns=rel_cols),
            pd.DataFrame(list(unlisted.values()), columns=ent_cols))


def _ndaa_list(program: str) -> str | None:
    """The list a special_leg row is on, from its program: ``us-ndaa-1286`` or ``us-ndaa-889``
    (None when the program names neither section).

    >>> _ndaa_list("Section 1286 of the John S. McCain NDAA ..."), _ndaa_list("Sec. 889"), _ndaa_list("")
    ('us-ndaa-1286', 'us-ndaa-889', None)
    """
    says = {sec for sec in ("889", "1286")
            if re.search(rf"\b(?:section|sec\.?|s\.)\s*{sec}\b", program, re.IGNORECASE)}
    return f"us-ndaa-{says.pop()}" if len(says) == 1 else None


def _same_entity(ent: dict[str, Any], rec: dict[str, Any], country: str | None,
                 problems: list[Problem]) -> None:
    """Fold a later row of an entity into it: a name spelled otherwise becomes an alias
    (reported), the first country given is the entity's (another one is reported)."""
    file, line = rec["_file"], rec["_line"]
    if rec["name"] != ent["name"] and rec["name"] not in ent["aliases"]:
        problems.append(Problem(f"name differs from {ent['name']!r} (line {ent['_line']}) only in "
                                "case or punctuation: read as the same entity, this spelling kept "
                                "as an alias", file=file, line=line, column="name", value=rec["name"],
                                action="kept"))
        ent["aliases"].append(rec["name"])
    if country and ent["country"] is None:
        ent["country"] = country
    elif country and country != ent["country"]:
        problems.append(Problem(f"country differs from {ent['country']} given on an earlier row; "
                                f"{ent['country']} kept", file=file, line=line, column="country",
                                value=rec["country"], action="kept"))


def read_ndaa889(path: str | Path, *, strict: bool = False) -> OwnershipGraph:
    """Read the NDAA FY2019 section 889 named companies or the section 1286 list
    (OpenSanctions special_leg CSV).

    Each row's list follows its ``program`` column: "Section 1286 ..." is the DoD list of
    foreign talent programs and institutions of concern (``us-ndaa-1286``), "Section 889
    ..." the companies whose equipment agencies may not buy (``us-ndaa-889``).

    Parameters
    ----------
    path : str or Path
        ``special_leg__section_889.csv`` or ``special_leg__section_1286.csv`` (UTF-8, with a
        header row).
    strict : bool
        Raise GraphValidationError on any problem instead of reporting it.

    Returns
    -------
    OwnershipGraph
        One entity ``ndaa889:<slug>`` per name and one ``us-ndaa-889`` or ``us-ndaa-1286``
        listing per row.

    Examples
    --------
    >>> import tempfile, pathlib, graphkit as gk
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "s889.csv"
    >>> _ = f.write_text("schema,name,aliases,program,start-date,end-date,country,notes,source_url\\n"
    ...                  "Company,ZTE Corporation,,Section 889,,,,,https://example.org\\n")
    >>> read_ndaa889(f).listings[["entity", "list"]].values.tolist()
    [['ndaa889:zte-corporation', 'us-ndaa-889']]
    """
    problems: list[Problem] = []
    frame = _read_frame(path, LEG_COLUMNS, problems)
    frame["report-date"] = (frame["report-date"].fillna("").astype(str).str.strip()
                            if "report-date" in frame else "")
    file = str(path)
    ents: dict[str, dict[str, Any]] = {}
    listings: list[dict[str, Any]] = []
    listing_ids: set[str] = set()
    for rec in frame.to_dict("records"):
        line = rec["_line"]
        if not rec["name"]:
            problems.append(Problem("name is empty", file=file, line=line, column="name"))
            continue
        slug, notes = _slug(rec["name"]), [rec["notes"]] if rec["notes"] else []
        kind = _SCHEMA_KINDS.get(rec["schema"].lower())
        if kind is None:
            problems.append(Problem("unknown schema; kind set to legal_entity", file=file,
                                    line=line, column="schema", value=rec["schema"], action="kept"))
        try:
            country = country_type.parse(rec["country"])
        except ValueError:
            country = None
            problems.append(Problem("country not recognised", file=file, line=line,
                                    column="country", value=rec["country"], action="kept"))
            notes.append(f"country as written: {rec['country']!r}")
        ent = ents.setdefault(slug, {"id": f"ndaa889:{slug}", "name": rec["name"],
                                     "kind": kind or "legal_entity", "aliases": [],
                                     "country": country, "source_ref": rec["source_url"] or None,
                                     "_file": file, "_line": line})
        _same_entity(ent, rec, country, problems)
        ent["aliases"] += [a for a in _split(rec["aliases"]) if a not in ent["aliases"]]
        start = _date(rec, "start-date", problems, notes)
        end = _date(rec, "end-date", problems, notes)
        if start is None and rec["report-date"]:
            start = _date(rec, "report-date", problems, notes)
            if start is not None:
                notes.append(f"start: the report date of the edition that names it ({start}); "
                             "the list gives no listing date")
        code = _ndaa_list(rec["program"])
        if code is None:
            code = "us-ndaa-1286" if "1286" in Path(file).name else "us-ndaa-889"
            problems.append(Problem(f"program names neither section 889 nor 1286; listed on {code} "
                                    "(from the file name)", file=file, line=line, column="program",
                                    value=rec["program"], action="kept"))
        if start is None and end is None and code == "us-ndaa-889":
            start = NDAA_FY2019_ENACTED  # the statute names the companies: listed from the day it became law
            notes.append(f"start: {start}, the day the NDAA for FY2019 (Pub. L. 115-232), whose section 889 "
                         "names the company, became law; its bans took effect on 2019-08-13 (buying) and "
                         "2020-08-13 (contracting with users)")
        lid = f"{ent['id']}:{start or 'listed'}"
        lid += f":{line}" if lid in listing_ids else ""
        listing_ids.add(lid)
        listings.append({"id": lid, "entity": ent["id"],
                         "list": code, "program": rec["program"] or None,
                         "listed_name": rec["name"], "start": start, "end": end,
                         "source_ref": rec["source_url"] or f"NDAA s.{code.rsplit('-', 1)[1]}, "
                                                            f"{Path(file).name}:{line}",
                         "note": " ".join(notes) or None, "_file": file, "_line": line})
    if strict and problems:
        raise GraphValidationError(problems)
    return OwnershipGraph.from_frames(pd.DataFrame(list(ents.values())), None,
                                      pd.DataFrame(listings),
                                      on_error="raise" if strict else "report", problems=problems)
