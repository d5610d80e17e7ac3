"""OFAC lists in the legacy CSV format (``sdn.csv`` or ``cons_prim.csv``, with addresses).

The files have no header, are latin-1, and write "no value" as ``-0-`` (trailing space):
primary (``sdn.csv``, ``cons_prim.csv``): ``ent_num, SDN_Name, SDN_Type, Program, Title,
Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks``; addresses
(``add.csv``, ``cons_add.csv``): ``ent_num, Add_num, Address, City/State/Province/Postal
Code, Country, Add_remarks``; alternate names (``alt.csv``): ``ent_num, alt_num, alt_type,
alt_name, alt_remarks``.

- Entity ``ofac:<ent_num>``: name = SDN_Name; kind from SDN_Type (``individual`` ->
  person, ``vessel``, ``aircraft``; empty -> company: OFAC's "entity" type covers
  companies *and* other organisations such as HAMAS; an unknown type -> legal_entity and
  a problem). Identifiers: ``ofac_ent_num:<n>`` and from Remarks ``hk_cr`` (C.R. No. or
  Company Number, Hong Kong), ``uscc``, ``lei``, ``registration:<cc>:<v>`` (Registration
  ID/Number, Business/Public Registration Number, C.R. No. elsewhere), ``tax_id:<cc>:<v>``,
  ``passport:<cc>:<v>``, ``national_id:<cc>:<v>``, ``stock:<ticker>``, ``isin:<v>``,
  ``swift_bic:<v>`` (``<cc>`` lower-case ISO code; left out when the country cannot be
  read). Aliases: a.k.a./f.k.a./n.k.a., "Issuer Name" and the alt file. Country:
  nationality, citizen or "Nationality of Registration", else the country of the
  registration numbers when they agree. Title, vessel fields and the full Remarks go to
  ``note``, so nothing in the row is lost.
- One listing per program (Program joins them with ``"] ["``), confidence ``confirmed``
  (OFAC's own file is the designation): SDN file -> ``us-ofac-sdn``;
  consolidated file -> ``us-ofac-ns-cmic`` for ``CMIC-EO13959``, ``us-ofac-nonsdn``
  otherwise (an SDN program tag such as SDGT on a consolidated entry means the party is
  *also* on the SDN list; read ``sdn.csv`` for that). ``start`` = "Listing Date (<tag>)"
  of the matching program; effective and divestment dates go to the listing ``note``.
- "Linked To: NAME." -> ``linked_to`` to the entry of that name in the file (case and
  final full stop ignored); a name not in the file gets a stub ``ofac:linked:<slug>`` and
  a problem with ``action="stub"``.
- Address ``ofac:addr:<Add_num>`` with ``registered_at`` from the entry; a record with no
  address, city or country is left out and reported.

Lines are CSV line numbers (first row = line 1). OFAC's trailing DOS end-of-file byte
(``\\x1a``) is ignored. This format cuts Remarks at 1,000 characters: such rows are
reported (``action="kept"``) and their cut last item is not parsed. Not mapped: birth
dates and places, gender, websites, directive texts (they stay in the entity note).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from graphkit.errors import GraphValidationError, Problem, ReadError
from graphkit.graph import OwnershipGraph
from graphkit.io.csv import decode_text, numbered_rows, swallowed_rows, unclosed_quote
from graphkit.types import country as country_type
from graphkit.types import date as date_type

__all__ = ["read_ofac", "PRIM_COLUMNS", "ADD_COLUMNS", "ALT_COLUMNS"]

PRIM_COLUMNS = ("ent_num", "SDN_Name", "SDN_Type", "Program", "Title", "Call_Sign", "Vess_type",
                "Tonnage", "GRT", "Vess_flag", "Vess_owner", "Remarks")
ADD_COLUMNS = ("ent_num", "Add_num", "Address", "City/State/Province/Postal Code", "Country",
               "Add_remarks")
ALT_COLUMNS = ("ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks")

_KINDS = {"individual": "person", "vessel": "vessel", "aircraft": "aircraft"}
_VESSEL = (("Call_Sign", "call sign"), ("Vess_type", "vessel type"), ("Tonnage", "tonnage"),
           ("GRT", "GRT"), ("Vess_flag", "flag"), ("Vess_owner", "owner"))
# Remarks label -> identifier scheme; "registration" schemes also give the entity's country.
_COUNTRY_IDS = {"C.R. No.": "registration", "Company Number": "registration",
                "Registration ID": "registration", "Registration Number": "registration",
                "Business Registration Number": "registration",
                "Public Registration Number": "registration",
                "Unified Social Credit Code (USCC)": "uscc", "Legal Entity Number": "lei",
                "Tax ID No.": "tax_id", "Passport": "passport", "National ID No.": "national_id"}
_PLAIN_IDS = {"Equity Ticker": "stock", "ISIN": "isin", "SWIFT/BIC": "swift_bic"}
_ID_RE = re.compile(r"^(?:alt\. )?(?P<label>" + "|".join(
    re.escape(k) for k in sorted(_COUNTRY_IDS, key=len, reverse=True))
    + r")\s+(?P<value>.+?)\s+\((?P<country>[^()]+)\)$")
_PLAIN_RE = re.compile(r"^(?:alt\. )?(?P<label>" + "|".join(map(re.escape, _PLAIN_IDS))
                       + r")\s+(?P<value>\S.*)$")
_ALIAS_RE = re.compile(r"^[afn]\.k\.a\.\s+'(?P<name>.+)'$")
_ISSUER_RE = re.compile(r"^(?:alt\. )?Issuer Name\s+(?P<name>.+)$")
_LINKED_RE = re.compile(r"^Linked To:\s*(?P<name>.+)$")
_DATE_RE = re.compile(r"^(?P<what>Listing Date|Effective Date|Purchase/Sales For Divestment Date)"
                      r"\s+\((?P<tag>[^()]+)\):?\s*(?P<date>.+)$")
_NATION_RE = re.compile(r"^(?:nationality|citizen|Nationality of Registration)\s+(?P<c>.+)$")
_REMARKS_LIMIT = 1000


@dataclass
class _Row:
    file: str
    line: int
    cells: dict[str, str | None]
    cut: bool  # the last cell has the format's full 1,000 characters: probably cut off


@dataclass
class _Parsed:
    """What the reader takes from one Remarks cell."""

    aliases: list[str] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)
    dates: list[tuple[str, str, str]] = field(default_factory=list)  # (what, tag, ISO date)
    identifiers: list[str] = field(default_factory=list)
    reg_countries: set[str] = field(default_factory=set)
    nationality: str | None = None
    notes: list[str] = field(default_factory=list)


def _problem(row: _Row, message: str, column: str | None = None, value: str | None = None,
             action: str = "rejected") -> Problem:
    return Problem(message, file=row.file, line=row.line, column=column, value=value, action=action)


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _name_key(name: str) -> str:
    return " ".join(name.lower().split()).rstrip(".").strip()


def _rows(path: Path, columns: tuple[str, ...], encoding: str,
          problems: list[Problem], numeric: tuple[str, ...]) -> Iterator[_Row]:
    """Rows of a headerless OFAC CSV with nulls as None; bad rows become problems."""
    if not path.is_file():
        raise ReadError(f"{path}: no such file")
    text = decode_text(path, encoding)
    reader = csv.reader(io.StringIO(text, newline=""))
    for here, cells in numbered_rows(reader, path, problems):
        if cells == ["\x1a"]:  # the DOS end-of-file byte OFAC's files end with
            continue
        k = swallowed_rows(cells, len(columns))
        if k is not None:  # an unclosed quote took in later entries as text: never use them so
            lines = io.StringIO(text, newline="").readlines()
            problems.append(Problem(unclosed_quote(cells, k, here, lines),
                                    file=str(path), line=here, column=columns[min(k, len(columns) - 1)],
                                    value=cells[k][:200]))
            continue
        if len(cells) != len(columns):
            problems.append(Problem(f"{len(cells)} cells, expected {len(columns)} "
                                    f"({', '.join(columns)})", file=str(path), line=here,
                                    value=",".join(cells)[:200]))
            continue
        clean = {c: (None if v.strip() in ("", "-0-") else v.strip()) for c, v in zip(columns, cells)}
        bad = next((c for c in numeric if not (clean[c] or "").isdigit()), None)
        if bad:
            problems.append(Problem(f"{bad} must be a whole number", file=str(path), line=here,
                                    column=bad, value=clean[bad]))
            continue
        yield _Row(str(path), here, clean, len(cells[-1]) >= _REMARKS_LIMIT)


def _parse_remarks(row: _Row, problems: list[Problem]) -> _Parsed:
    out = _Parsed()
    text = row.cells["Remarks"] or ""
    items = [i.strip() for i in re.split(r";\s+", text) if i.strip()]
    if row.cut and not text.endswith("."):
        problems.append(_problem(row, f"Remarks cut at {_REMARKS_LIMIT} characters (a limit of "
                                 "the legacy CSV format); the last item is not parsed", "Remarks",
                                 text[-60:], "kept"))
        items = items[:-1]
    elif items:
        items[-1] = items[-1][:-1] if items[-1].endswith(".") else items[-1]

    def kept(message: str, value: str) -> None:
        problems.append(_problem(row, message, "Remarks", value, "kept"))
        out.notes.append(f"{message}: {value!r}")

    for item in items:
        if m := _ALIAS_RE.match(item) or _ISSUER_RE.match(item):
            out.aliases.append(m["name"])
        elif m := _LINKED_RE.match(item):
            out.linked.append(m["name"].strip())
        elif m := _DATE_RE.match(item):
            try:
                day = date_type.parse(m["date"])
            except ValueError:
                kept(f"{m['what']} is not a date", m["date"])
                continue
            if day:
                out.dates.append((m["what"], m["tag"], day))
        elif m := _NATION_RE.match(item):
            try:
                out.nationality = country_type.parse(m["c"])
            except ValueError:
                kept("nationality not recognised as a country", m["c"])
        elif m := _ID_RE.match(item):
            scheme, value = _COUNTRY_IDS[m["label"]], m["value"]
            try:
                cc = country_type.parse(m["country"])
            except ValueError:
                kept(f"country of {m['label']} {value} not recognised; identifier left out",
                     m["country"])
                continue
            if scheme in ("uscc", "lei"):
                out.identifiers.append(f"{scheme}:{value}")
            elif m["label"] in ("C.R. No.", "Company Number") and cc == "HK":
                out.identifiers.append(f"hk_cr:{value}")
            else:
                out.identifiers.append(f"{scheme}:{(cc or '').lower()}:{value}")
            if scheme in ("registration", "uscc") and cc:
                out.reg_countries.add(cc)
        elif m := _PLAIN_RE.match(item):
            out.identifiers.append(f"{_PLAIN_IDS[m['label']]}:{m['value']}")
    return out


def _program_of(tag: str, programs: list[str]) -> str | None:
    """The program a remark's date tag ("CMIC", "EO 14024 Directive 2") belongs to."""
    m = re.search(r"EO\s*(\d+)", tag)
    key = "CMIC" if tag.upper().startswith("CMIC") else f"EO{m[1]}" if m else None
    return next((p for p in programs if key and key in p.replace(" ", "").upper()), None)


class _Builder:
    def __init__(self, mode: str, problems: list[Problem]) -> None:
        self.mode = mode  # "sdn" or "cons"
        self.problems = problems
        self.entities: list[dict[str, Any]] = []
        self.relations: list[dict[str, Any]] = []
        self.listings: list[dict[str, Any]] = []
        self.by_ent: dict[str, dict[str, Any]] = {}
        self.names: dict[str, list[str]] = {}
        self.linked: list[tuple[_Row, str, str, int]] = []  # (row, entity id, name, k-th)

    def source(self, row: _Row, what: str) -> str:
        label = "SDN list" if self.mode == "sdn" else "Consolidated Non-SDN list"
        return f"OFAC {label}, {Path(row.file).name} {what}"

    def list_code(self, program: str) -> str:
        if self.mode == "sdn":
            return "us-ofac-sdn"
        return "us-ofac-ns-cmic" if program.upper().startswith("CMIC") else "us-ofac-nonsdn"

    def primary(self, row: _Row) -> None:
        c, ent = row.cells, row.cells["ent_num"] or ""
        eid, name = f"ofac:{ent}", c["SDN_Name"] or ""
        parsed = _parse_remarks(row, self.problems)
        raw_type = (c["SDN_Type"] or "").lower()
        kind = _KINDS.get(raw_type, "company" if not raw_type else "legal_entity")
        notes = list(parsed.notes)
        if raw_type and raw_type not in _KINDS:
            self.problems.append(_problem(row, "unknown SDN_Type; kind set to legal_entity",
                                          "SDN_Type", c["SDN_Type"], "kept"))
            notes.append(f"SDN_Type {c['SDN_Type']!r}")
        if c["Title"]:
            notes.insert(0, f"Title: {c['Title']}")
        vessel = [f"{label} {c[col]}" for col, label in _VESSEL if c[col]]
        if vessel:
            notes.append("Vessel: " + ", ".join(vessel))
        if c["Remarks"]:
            notes.append(f"OFAC remarks: {c['Remarks']}")
        country = parsed.nationality
        if country is None and len(parsed.reg_countries) == 1:
            country = next(iter(parsed.reg_countries))
        ent_row = {"id": eid, "name": name, "kind": kind,
                   "aliases": list(dict.fromkeys(a for a in parsed.aliases if a != name)),
                   "country": country, "identifiers": [f"ofac_ent_num:{ent}", *parsed.identifiers],
                   "note": "; ".join(notes) or None, "source_ref": self.source(row, f"ent_num {ent}"),
                   "_file": row.file, "_line": row.line}
        self.entities.append(ent_row)
        self.by_ent.setdefault(ent, ent_row)
        self.names.setdefault(_name_key(name), []).append(eid)
        self.program_listings(row, eid, name, parsed.dates)
        self.linked += [(row, eid, target, k) for k, target in enumerate(parsed.linked)]

    def program_listings(self, row: _Row, eid: str, name: str,
                         dates: list[tuple[str, str, str]]) -> None:
        """One listing per program, with the Remarks dates that belong to it."""
        ent = row.cells["ent_num"]
        programs = [p.strip(" []") for p in (row.cells["Program"] or "").split("] [")
                    if p.strip(" []")]
        if not programs:
            self.problems.append(_problem(row, "no Program: the entry is on no program", "Program",
                                          action="kept"))
        starts: dict[str, str] = {}
        extra: dict[str, list[str]] = {p: [] for p in programs}
        for what, tag, day in dates:
            prog = _program_of(tag, programs) or (programs[0] if len(programs) == 1 else None)
            for p in [prog] if prog else programs:
                if what == "Listing Date" and prog:
                    starts[p] = min(day, starts.get(p, day))
                else:
                    extra[p].append(f"{what} ({tag}) {day}")
        for p in programs:
            code = self.list_code(p)
            self.listings.append({
                "id": f"ofac:{self.mode}:{ent}:{code}:{p}", "entity": eid, "list": code,
                "program": p, "listed_name": name, "start": starts.get(p),
                "confidence": "confirmed",  # OFAC's own file: the designation itself
                "source_ref": self.source(row, f"ent_num {ent}"),
                "note": "; ".join(extra[p]) or None, "_file": row.file, "_line": row.line})

    def resolve_links(self) -> None:
        stubs: set[str] = set()
        for row, eid, target, k in self.linked:
            ids = self.names.get(_name_key(target), [])
            if len(ids) > 1:
                self.problems.append(_problem(row, f"Linked To name matches {len(ids)} entries; "
                                              f"linked to the first ({ids[0]})", "Remarks", target,
                                              "kept"))
            tid = ids[0] if ids else f"ofac:linked:{_slug(target)}"
            if not ids:
                self.problems.append(_problem(row, f"Linked To names {target!r}, which is not an "
                                              f"entry of this file: a stub entity {tid!r} was "
                                              "created", "Remarks", target, "stub"))
                if tid not in stubs:
                    stubs.add(tid)
                    self.entities.append({
                        "id": tid, "name": target.rstrip("."), "kind": "legal_entity",
                        "note": f"Stub: named in 'Linked To:' of OFAC ent_num "
                                f"{row.cells['ent_num']} but not an entry of {Path(row.file).name}.",
                        "source_ref": self.source(row, f"ent_num {row.cells['ent_num']}"),
                        "_file": row.file, "_line": row.line})
            ent = row.cells["ent_num"]
            self.relations.append({
                "id": f"ofac:{self.mode}:{ent}:linked_to:{k}", "source": eid, "target": tid,
                "kind": "linked_to", "confidence": "confirmed",
                "source_ref": self.source(row, f"ent_num {ent} (Remarks: Linked To: {target})"),
                "_file": row.file, "_line": row.line})

    def address(self, row: _Row) -> None:
        c = row.cells
        parts = [c["Address"], c["City/State/Province/Postal Code"], c["Country"]]
        if not any(parts):
            self.problems.append(_problem(row, "address record has no address, city or country; "
                                          "left out", "Address", c["Add_num"]))
            return
        note = [f"OFAC address remarks: {c['Add_remarks']}"] if c["Add_remarks"] else []
        try:
            cc = country_type.parse(c["Country"])
        except ValueError:
            cc = None
            self.problems.append(_problem(row, "country not recognised; address kept without "
                                          "country", "Country", c["Country"], "kept"))
            note.append(f"Country as OFAC writes it: {c['Country']!r} (not read as a country)")
        aid, ent = f"ofac:addr:{c['Add_num']}", c["ent_num"]
        ref = self.source(row, f"Add_num {c['Add_num']} (ent_num {ent})")
        self.entities.append({"id": aid, "name": ", ".join(p for p in parts if p), "kind": "address",
                              "country": cc, "note": "; ".join(note) or None, "source_ref": ref,
                              "_file": row.file, "_line": row.line})
        self.relations.append({"id": f"ofac:{self.mode}:addr:{c['Add_num']}", "source": f"ofac:{ent}",
                               "target": aid, "kind": "registered_at", "confidence": "confirmed",
                               "source_ref": ref, "_file": row.file, "_line": row.line})

    def alt(self, row: _Row) -> None:
        c = row.cells
        ent_row = self.by_ent.get(c["ent_num"] or "")
        if ent_row is None:
            self.problems.append(_problem(row, "alternate name for an ent_num that is not in the "
                                          "primary file; left out", "ent_num", c["ent_num"]))
        elif c["alt_name"] and c["alt_name"] not in ent_row["aliases"] + [ent_row["name"]]:
            ent_row["aliases"].append(c["alt_name"])


# Programs found only on OFAC's non-SDN lists: NS-CMIC, NS-PLC, the Sectoral Sanctions
# Identifications (SSI, tagged UKRAINE-EO13662 in the consolidated file), FSE, NS-ISA ...
_NONSDN_PROGRAMS = frozenset({"CMIC-EO13959", "NS-PLC", "UKRAINE-EO13662"})
_NONSDN_PREFIXES = ("NS-", "FSE-", "SSI-", "CMIC")
_SDN_NAMES = ("sdn",)
_CONS_NAMES = ("cons", "non_sdn", "non-sdn", "nonsdn", "non sdn")


def _programs(row: _Row) -> list[str]:
    return [p.strip(" []") for p in (row.cells["Program"] or "").split("] [") if p.strip(" []")]


def _non_sdn_only(program: str) -> bool:
    """Whether a program tag is used only on the non-SDN lists (``NS-PLC``, ``CMIC-EO13959``).

    >>> _non_sdn_only("CMIC-EO13959"), _non_sdn_only("NS-PLC"), _non_sdn_only("SDGT")
    (True, True, False)
    """
    p = program.upper().replace(" ", "")
    return p in _NONSDN_PROGRAMS or p.startswith(_NONSDN_PREFIXES)


def _looks_non_sdn(rows: list[_Row]) -> tuple[int, int]:
    """``(entries whose every program is a non-SDN-only program, entries with a program)``."""
    tagged = [ps for ps in map(_programs, rows) if ps]
    return sum(all(map(_non_sdn_only, ps)) for ps in tagged), len(tagged)


def _mode(path: Path, given: str, rows: list[_Row], problems: list[Problem]) -> str:
    """``"sdn"`` or ``"cons"``: as given, else by the file name's start, else by the programs.

    A name starting ``sdn`` is the SDN list; ``cons``, ``non_sdn`` or ``nonsdn`` the
    consolidated (non-SDN) list. A name that says neither is decided by the entries'
    programs and the choice is reported on line 1 (``kept``). An SDN file whose entries
    are mostly on non-SDN-only programs is read as SDN, with a warning (``kept``).
    """
    if given not in ("auto", "sdn", "consolidated"):
        raise ValueError(f"list must be 'auto', 'sdn' or 'consolidated', not {given!r}")
    name = path.name.lower()
    nonsdn, tagged = _looks_non_sdn(rows)
    examples = ", ".join(sorted(_NONSDN_PROGRAMS))
    if given != "auto":
        mode = given[:4]
    elif name.startswith(_CONS_NAMES) or any(c in name for c in _CONS_NAMES[1:]):
        mode = "cons"  # "cons_prim.csv", "non_sdn_prim.csv", "my_non_sdn_copy.csv"
    elif "sdn" in name:
        mode = "sdn"  # "sdn.csv", "ofac_sdn.csv"
    else:
        mode = "cons" if tagged and 2 * nonsdn >= tagged else "sdn"
        label = "Consolidated Non-SDN list" if mode == "cons" else "SDN list (every entry blocked)"
        problems.append(Problem(
            f"the file name does not say which OFAC list this is (sdn... or cons_.../non_sdn...); "
            f"read as the {label} because {nonsdn} of {tagged} entries carry only programs "
            f"that appear only on non-SDN lists ({examples}, NS-..., FSE-...). Pass list='sdn' or "
            "list='consolidated' to choose", file=str(path), line=1, column="Program",
            value=path.name, action="kept"))
        return mode
    if mode == "sdn" and tagged and 2 * nonsdn >= tagged:
        problems.append(Problem(
            f"read as the SDN list (every entry blocked), but {nonsdn} of {tagged} entries carry only "
            f"programs that appear only on non-SDN lists ({examples}, NS-..., FSE-...): is this the "
            "consolidated list? Pass list='consolidated' if so", file=str(path), line=1,
            column="Program", value=path.name, action="kept"))
    return mode


def _frame(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(columns) + ["_file", "_line"])


def read_ofac(prim_csv: str | Path, add_csv: str | Path | None = None, *,
              alt_csv: str | Path | None = None, list: str = "auto",
              encoding: str = "latin-1", strict: bool = False) -> OwnershipGraph:
    """Read an OFAC list in the legacy CSV format (SDN or Consolidated Non-SDN).

    Parameters
    ----------
    prim_csv : str or Path
        The primary file: ``sdn.csv`` or ``cons_prim.csv`` (no header row).
    add_csv : str or Path, optional
        The addresses: ``add.csv`` or ``cons_add.csv``.
    alt_csv : str or Path, optional
        The alternate names: ``alt.csv`` or ``cons_alt.csv``.
    list : {"auto", "sdn", "consolidated"}
        Which list the primary file is. ``"auto"`` (default) decides by the start of
        the file name: ``cons...``, ``non_sdn...`` or ``nonsdn...`` is the consolidated
        list (``CMIC-EO13959`` -> ``us-ofac-ns-cmic``, other programs ->
        ``us-ofac-nonsdn``), ``sdn...`` the SDN list (every program -> ``us-ofac-sdn``:
        blocked, and counted by the 50% rule). A name that says neither is decided by
        the programs (mostly non-SDN-only programs such as ``CMIC-EO13959``, ``NS-PLC``,
        ``UKRAINE-EO13662`` -> consolidated) and a ``kept`` problem on line 1 says which
        was assumed. An SDN file whose entries are mostly on such programs is read as
        SDN, with a ``kept`` problem.
    encoding : str
        Text encoding (OFAC writes latin-1).
    strict : bool
        Raise GraphValidationError on any problem instead of reporting it.

    Returns
    -------
    OwnershipGraph
        ``problems`` names every row left out or repaired, by file and CSV line
        (the first row of a file is line 1).

    Raises
    ------
    ReadError
        A file is missing or cannot be decoded.
    ValueError
        ``list`` is not a known value.

    Examples
    --------
    >>> import tempfile, pathlib, graphkit as gk
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "sdn.csv").write_text(
    ...     '1,"ACME TRADING LLC",-0- ,"IRAN",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    ...     '"a.k.a. \\'ACME\\'; Linked To: DOE, John."\\n'
    ...     '2,"DOE, John","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \\n',
    ...     encoding="latin-1")
    >>> g = gk.read_ofac(folder / "sdn.csv")
    >>> g
    <OwnershipGraph: 2 entities, 1 relation, 2 listings>
    >>> g.entity("ofac:1")["aliases"], g.relations.loc[0, ["target", "kind"]].tolist()
    (['ACME'], ['ofac:2', 'linked_to'])
    """
    if list not in ("auto", "sdn", "consolidated"):
        raise ValueError(f"list must be 'auto', 'sdn' or 'consolidated', not {list!r}")
    return _read(Path(prim_csv), list, add_csv, alt_csv, encoding, strict)


def _read(prim: Path, given: str, add_csv: str | Path | None, alt_csv: str | Path | None,
          encoding: str, strict: bool) -> OwnershipGraph:
    problems: list[Problem] = []
    rows = [*_rows(prim, PRIM_COLUMNS, encoding, problems, ("ent_num",))]
    b = _Builder(_mode(prim, given, rows, problems), problems)
    for row in rows:
        b.primary(row)
    b.resolve_links()
    if alt_csv is not None:
        for row in _rows(Path(alt_csv), ALT_COLUMNS, encoding, problems, ("ent_num", "alt_num")):
            b.alt(row)
    if add_csv is not None:
        for row in _rows(Path(add_csv), ADD_COLUMNS, encoding, problems, ("ent_num", "Add_num")):
            b.address(row)
    ents = _frame(b.entities, ("id", "name", "kind", "aliases", "country", "identifiers", "note",
                               "source_ref"))
    rels = _frame(b.relations, ("id", "source", "target", "kind", "confidence", "source_ref"))
    lsts = _frame(b.listings, ("id", "entity", "list", "program", "listed_name", "start", "confidence",
                               "source_ref", "note"))
    if strict and problems:
        raise GraphValidationError(problems)
    return OwnershipGraph.from_frames(ents, rels, lsts, on_error="raise" if strict else "report",
                                      problems=problems)
