"""FollowTheMoney (FtM) entities as published by OpenSanctions: one JSON object per line.

A line is ``{id, caption, schema, properties: {prop: [values]}, datasets, referents,
first_seen, last_seen, ...}``; ``_line`` and every Problem's ``line`` is the file line.
Ids are ``ftm:<FtM id>``; a relation or listing takes its record's id (``#2``, ``#3``
when a record names several endpoints), so re-reading gives the same ids.

- **Entities**: Company, Organization, LegalEntity, PublicBody, Person, Vessel,
  Airplane, Address -> company, organization, legal_entity, public_body, person,
  vessel, aircraft, address. ``name`` is the ``caption`` when it is one of the
  ``name`` values (OpenSanctions' display choice; the first ``name`` is arbitrary,
  e.g. the former name "JSC NPO IZHMASH" for Kalashnikov Concern), else the first
  ``name``; an Address is named by ``full`` (or street, postcode, city, region).
  ``aliases``: the other names, ``alias``, ``previousName``, ``weakAlias``,
  ``abbreviation``. ``country``: first readable ``jurisdiction``, ``mainCountry``,
  ``nationality``, ``citizenship``, ``country``, ``flag`` (most specific first;
  unreadable: Problem, kept). ``identifiers``: ``scheme:value`` from ``_IDENTIFIERS``
  and ``ofac_ent_num:N`` from an ``ofac-N`` referent. Extra columns ``datasets``,
  ``topics``, ``referents`` (``;``-separated), ``first_seen``, ``last_seen``; legal
  form, status, dates, birth place, position and summary go into ``note``.
- **Addresses**: ``addressEntity`` -> ``registered_at``. The free-text ``address`` is
  kept in ``note`` ("address as written"), not made into entities: OpenSanctions
  already links the structured Address entities, and matching texts is resolve/'s work.
- **Relations** (``reported``: OpenSanctions republishes and merges registers, lists
  and research, so an edge here is one step from its source and rests on
  OpenSanctions' entity resolution): Ownership owner -> asset: ``owns``, ``percentage``
  read by :func:`graphkit.types.share.parse` (several values: min..max envelope;
  unreadable or over 100: Problem, kept with an unknown share), share count, role and
  type in ``note``. Control -> ``controls``. Directorship director -> organization:
  ``officer_of`` with ``role``. UnknownLink subject -> object, Family person ->
  relative, Associate person -> associate, Representation agent -> client,
  Membership member -> organization, Employment employee -> employer, Succession
  predecessor -> successor: ``linked_to``, schema, relationship and role in ``note``
  (none is an officer, owner or front in graphkit's sense). ``start`` is the earliest
  ``startDate``, ``end`` the latest ``endDate``, ``observed`` the ``last_seen`` day.
- **Listings**: one per Sanction entity, ``confidence`` ``confirmed`` (each record is
  one authority's designation, with its URL). List code: the first key of
  ``list_map``, then :data:`DEFAULT_LIST_MAP`, equal to one of the record's datasets
  or found (any case) in its authority, program or programId; else ``other``, whose
  ``program`` reads ``authority: program [datasets]``. National copies of EU lists,
  UK, Swiss, Japanese, SAM.gov and Ukrainian records are ``other``. ``start``: earliest
  ``startDate``, else earliest ``listingDate``; ``end``: latest ``endDate``; authority
  country and id, programId, listing dates, status, provisions, duration, reason in
  ``note``.
- **Passport / Identification**: ``passport:<number>`` / ``<type>:<number>`` on the
  holder; a record without a number is noted on the holder.
- **Missing endpoints**: an id named by a relation, listing or ``addressEntity`` that
  is not a usable entity in the file gets a stub (kind from the FtM range: person,
  organization, address, else legal_entity) and a Problem with ``action="stub"``.
- **Left out**: other schemata (Position, Occupancy, BankAccount, Document, ...), each
  a Problem (rejected) naming schema and line; entity ``notes`` (long aggregated
  remarks; the authorities' reasons are on the listings), contact details, name
  parts, gender, ``target``, ``last_change``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from graphkit.errors import GraphValidationError, Problem, ReadError
from graphkit.graph import OwnershipGraph
from graphkit.types import country as country_type
from graphkit.types import date as date_type
from graphkit.types import share as share_type

__all__ = ["DEFAULT_LIST_MAP", "read_ftm"]

PREFIX = "ftm:"
#: Dataset names or authority/program texts -> list codes, tried after ``list_map``.
DEFAULT_LIST_MAP: dict[str, str] = {
    "us_ofac_sdn": "us-ofac-sdn", "eu_fsf": "eu-fsf", "US-BIS-EL": "us-bis-entity-list"}
_KINDS = {"Company": "company", "Organization": "organization", "LegalEntity": "legal_entity",
          "PublicBody": "public_body", "Person": "person", "Vessel": "vessel",
          "Airplane": "aircraft", "Address": "address"}
_LINKS = {  # schema: (source property, target property, relation kind)
    "Ownership": ("owner", "asset", "owns"), "Control": ("controller", "controlled", "controls"),
    "Directorship": ("director", "organization", "officer_of"),
    "UnknownLink": ("subject", "object", "linked_to"),
    "Family": ("person", "relative", "linked_to"),
    "Associate": ("person", "associate", "linked_to"),
    "Representation": ("agent", "client", "linked_to"),
    "Membership": ("member", "organization", "linked_to"),
    "Employment": ("employee", "employer", "linked_to"),
    "Succession": ("predecessor", "successor", "linked_to")}
_IDENTIFIERS = {
    "registrationNumber": "registration", "innCode": "inn", "ogrnCode": "ogrn", "kppCode": "kpp",
    "okpoCode": "okpo", "leiCode": "lei", "uscCode": "uscc", "taxNumber": "tax", "vatCode": "vat",
    "idNumber": "id", "passportNumber": "passport", "dunsCode": "duns", "uniqueEntityId": "uei",
    "swiftBic": "bic", "permId": "permid", "bvdId": "bvd", "npiCode": "npi",
    "wikidataId": "wikidata", "imoNumber": "imo", "mmsi": "mmsi", "callSign": "call_sign",
    "serialNumber": "serial"}
_NAMES = ("name", "alias", "previousName", "weakAlias", "abbreviation")
_COUNTRIES = ("jurisdiction", "mainCountry", "nationality", "citizenship", "country", "flag")
_ENTITY_NOTES = {"legalForm": "legal form", "status": "status", "incorporationDate": "incorporated",
                 "dissolutionDate": "dissolved", "birthDate": "born", "birthPlace": "birth place",
                 "deathDate": "died", "position": "position", "address": "address as written",
                 "summary": "summary"}
_LINK_NOTES = {"relationship": "relationship", "role": "role", "sharesCount": "shares",
               "sharesValue": "shares value", "sharesCurrency": "currency",
               "sharesType": "share type", "ownershipType": "ownership type",
               "controlType": "control type", "legalBasis": "legal basis", "status": "status",
               "summary": "summary", "description": "description"}
_SANCTION_NOTES = {"country": "authority country", "authorityId": "authority id",
                   "unscId": "UN SC id", "programId": "program id", "listingDate": "listing date",
                   "status": "status", "provisions": "provisions", "duration": "duration",
                   "reason": "reason", "summary": "summary"}
_STUB_KINDS = {"person": "person", "relative": "person", "associate": "person",
               "employee": "person", "organization": "organization",
               "employer": "organization", "addressEntity": "address"}
_OFAC_REFERENT = re.compile(r"^ofac-(\d+)$")
_COLUMNS = {
    "entities": ["id", "name", "kind", "aliases", "country", "identifiers", "note", "source_ref",
                 "datasets", "topics", "referents", "first_seen", "last_seen", "_file", "_line"],
    "relations": ["id", "source", "target", "kind", "share_min", "share_max", "start", "end",
                  "observed", "confidence", "role", "note", "source_ref", "_file", "_line"],
    "listings": ["id", "entity", "list", "program", "start", "end", "observed", "confidence",
                 "source_ref", "note", "_file", "_line"],
}


def _vals(props: Mapping[str, Any], key: str) -> list[str]:
    """Distinct non-empty text values of an FtM property (a list; a lone value is accepted)."""
    raw = props.get(key)
    items = raw if isinstance(raw, list) else [] if raw is None else [raw]
    return list(dict.fromkeys(t for v in items if v is not None and (t := str(v).strip())))


def _notes(props: Mapping[str, Any], labels: Mapping[str, str],
           skip: tuple[str, ...] = ()) -> list[str]:
    return [f"{label}: {' | '.join(vs)}" for prop, label in labels.items()
            if prop not in skip and (vs := _vals(props, prop))]


def _day(value: Any) -> str | None:
    try:
        return date_type.parse(value)
    except ValueError:
        return None


def _lines(path: Path) -> Iterator[tuple[int, Any, json.JSONDecodeError | None]]:
    """Yield ``(line, parsed object or None, JSON error or None)`` for each non-blank line."""
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise ReadError(f"{path}: cannot open ({exc.strerror})") from None
    with fh:
        for n, raw in enumerate(fh, 1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad = raw[exc.start:exc.start + 1]
                raise ReadError(f"{path}:{n}:{exc.start + 1}: byte {bad!r} is not valid UTF-8 "
                                "(FtM files are UTF-8)") from None
            text = text.lstrip("\ufeff") if n == 1 else text
            if text.strip():
                try:
                    yield n, json.loads(text.rstrip("\r\n")), None
                except json.JSONDecodeError as exc:
                    yield n, None, exc


class _Reader:
    """One read in progress: rows of the three tables, references to check, problems."""

    def __init__(self, path: Path, list_map: Mapping[str, str] | None) -> None:
        self.path, self.file = path, str(path)
        self.maps = [dict(list_map or {}), DEFAULT_LIST_MAP]
        self.problems: list[Problem] = []
        self.rows: list[dict[str, Any]] = []
        self.entities: dict[str, dict[str, Any]] = {}  # FtM id -> first row with that id
        self.relations: list[dict[str, Any]] = []
        self.listings: list[dict[str, Any]] = []
        self.refs: list[tuple[str, str, int, str]] = []  # (FtM id, property, line, named by)
        self.idents: list[tuple[str, str | None, int, str]] = []  # (holder, identifier, line, what)
        self.not_entity: dict[str, str] = {}
        self.address_text: dict[str, str] = {}

    def problem(self, message: str, line: int, column: str | None = None,
                value: str | None = None, action: str = "rejected") -> None:
        self.problems.append(Problem(message, file=self.file, line=line, column=column,
                                     value=value, action=action))

    def source_ref(self, rec: Mapping[str, Any], urls: list[str] | None = None) -> str:
        datasets = ", ".join(_vals(rec, "datasets"))
        ref = f"{self.path.name}: {rec['id']} (OpenSanctions datasets: {datasets})"
        return "; ".join([ref, *(urls or [])])

    def provenance(self, rec: Mapping[str, Any], line: int, confidence: str,
                   urls: bool = True) -> dict[str, Any]:
        links = _vals(rec["properties"], "sourceUrl") if urls else []
        return {"observed": _day(rec.get("last_seen")), "confidence": confidence,
                "source_ref": self.source_ref(rec, links),
                "_file": self.file, "_line": line}

    def parsed(self, fn: Callable[[str], Any], props: Mapping[str, Any], prop: str, line: int,
               notes: list[str], hint: str = "") -> list[Any]:
        """``fn`` of each value of ``prop``; a value it rejects is a Problem (kept) and noted."""
        out = []
        for v in _vals(props, prop):
            try:
                out.append(fn(v))
            except ValueError as exc:
                self.problem(f"{exc}{hint}", line, column=prop, value=v, action="kept")
                notes.append(f"{prop} as given: {v}")
        return [x for x in out if x is not None]

    def dates(self, props: Mapping[str, Any], prop: str, line: int, notes: list[str]) -> list[str]:
        """Readable dates of ``prop``, earliest first."""
        return sorted(self.parsed(date_type.parse, props, prop, line, notes), key=date_type.lower)

    def add(self, line: int, rec: Any, err: json.JSONDecodeError | None) -> None:
        if err is not None:
            self.problem(f"not valid JSON: {err.msg} (column {err.colno})", line,
                         column=str(err.colno), value=err.doc.strip()[:200])
            return
        if not (isinstance(rec, dict) and isinstance(rec.get("id"), str) and rec["id"].strip()
                and isinstance(rec.get("schema"), str)):
            self.problem("not an FtM entity (an object with 'id' and 'schema' is expected)", line,
                         value=json.dumps(rec, ensure_ascii=False)[:200])
            return
        props = rec.get("properties")
        props = props if isinstance(props, dict) else {}
        rec = {**rec, "id": rec["id"].strip(), "properties": props}
        schema = rec["schema"]
        if schema in _KINDS:
            self.entity(rec, _KINDS[schema], line)
            return
        self.not_entity[rec["id"]] = f"is the {schema} record at line {line}, not an entity"
        if schema in _LINKS:
            self.link(rec, line)
        elif schema == "Sanction":
            self.sanction(rec, line)
        elif schema in ("Passport", "Identification"):
            self.identification(rec, line)
        else:
            self.not_entity[rec["id"]] = f"was left out (schema {schema!r}, line {line})"
            self.problem(f"FtM schema {schema!r} is not mapped to a graphkit entity, relation "
                         f"or listing; record {rec['id']!r} left out", line, column="schema",
                         value=schema)

    def entity(self, rec: dict[str, Any], kind: str, line: int) -> None:
        p, eid, caption = rec["properties"], rec["id"], str(rec.get("caption") or "").strip()
        if kind == "address":
            composed = ", ".join(v for k in ("street", "postalCode", "city", "region")
                                 for v in _vals(p, k))
            names = _vals(p, "full") or ([composed] if composed else [])
            name = names[0] if names else caption
        else:
            names, given = [n for k in _NAMES for n in _vals(p, k)], _vals(p, "name")
            name = caption if caption in given else (given[0] if given else caption)
        if not name:
            name = eid
            self.problem(f"{rec['schema']} {eid!r} has no name; its id is used", line,
                         column="name", action="kept")
        notes = [f"FtM {rec['schema']}"]
        codes = list(dict.fromkeys(c for prop in _COUNTRIES
                                   for c in self.parsed(country_type.parse, p, prop, line, notes)))
        notes += [f"other countries: {', '.join(codes[1:])}"] if len(codes) > 1 else []
        idents = [f"{scheme}:{v}" for prop, scheme in _IDENTIFIERS.items() for v in _vals(p, prop)]
        idents += [f"ofac_ent_num:{m.group(1)}" for r in _vals(rec, "referents")
                   if (m := _OFAC_REFERENT.match(r))]
        notes += _notes(p, _ENTITY_NOTES) if kind != "address" else []
        row = {
            "id": PREFIX + eid, "name": name, "kind": kind,
            "aliases": list(dict.fromkeys(n for n in names if n != name)) or None,
            "country": codes[0] if codes else None,
            "identifiers": list(dict.fromkeys(idents)) or None,
            "note": "; ".join(notes), "source_ref": self.source_ref(rec),
            **{k: ";".join(_vals(src, k)) or None
               for k, src in (("datasets", rec), ("topics", p), ("referents", rec))},
            "first_seen": _day(rec.get("first_seen")), "last_seen": _day(rec.get("last_seen")),
            "_file": self.file, "_line": line}
        self.rows.append(row)  # a repeated id is reported by validation (with both lines)
        self.entities.setdefault(eid, row)
        by = f"{rec['schema']} {eid}"
        if _vals(p, "address"):
            self.address_text[by] = " | ".join(_vals(p, "address"))
        for aid in _vals(p, "addressEntity"):
            self.refs.append((aid, "addressEntity", line, by))
            self.relations.append({
                **self.provenance(rec, line, "reported", urls=False),
                "id": f"{PREFIX}{eid}>addressEntity>{aid}", "source": PREFIX + eid,
                "target": PREFIX + aid, "kind": "registered_at", "note": "FtM addressEntity"})

    def link(self, rec: dict[str, Any], line: int) -> None:
        p, rid, schema = rec["properties"], rec["id"], rec["schema"]
        src_prop, dst_prop, kind = _LINKS[schema]
        sources, targets = _vals(p, src_prop), _vals(p, dst_prop)
        for prop, vs in ((src_prop, sources), (dst_prop, targets)):
            if not vs:
                self.problem(f"{schema} {rid!r} has no {prop}; left out", line, column=prop)
                return
        notes = [f"FtM {schema}"]
        starts = self.dates(p, "startDate", line, notes) or self.dates(p, "date", line, notes)
        ends = self.dates(p, "endDate", line, notes)
        row: dict[str, Any] = {"kind": kind, "start": starts[0] if starts else None,
                               "end": ends[-1] if ends else None,
                               **self.provenance(rec, line, "reported")}
        if kind == "officer_of":
            row["role"] = "; ".join(_vals(p, "role")) or None
        if kind == "owns":
            bounds = self.parsed(share_type.parse, p, "percentage", line, notes,
                                 "; the share is left unknown")
            row["share_min"] = min(b[0] for b in bounds) if bounds else None
            row["share_max"] = max(b[1] for b in bounds) if bounds else None
        skip = ("role",) if kind == "officer_of" else ()
        row["note"] = "; ".join(notes + _notes(p, _LINK_NOTES, skip))
        for i, (s, t) in enumerate([(s, t) for s in sources for t in targets], 1):
            by = f"{schema} {rid}"
            self.refs += [(s, src_prop, line, by), (t, dst_prop, line, by)]
            self.relations.append({**row, "id": PREFIX + rid + (f"#{i}" if i > 1 else ""),
                                   "source": PREFIX + s, "target": PREFIX + t})

    def list_code(self, rec: Mapping[str, Any]) -> str:
        datasets = set(_vals(rec, "datasets"))
        text = " | ".join(v for k in ("authority", "program", "programId")
                          for v in _vals(rec["properties"], k)).lower()
        for mapping in self.maps:
            for key, code in mapping.items():
                if key in datasets:
                    return code
            for key, code in mapping.items():
                if key.lower() in text:
                    return code
        return "other"

    def sanction(self, rec: dict[str, Any], line: int) -> None:
        p, sid = rec["properties"], rec["id"]
        targets = _vals(p, "entity")
        if not targets:
            self.problem(f"Sanction {sid!r} names no entity; left out", line, column="entity")
            return
        code, notes = self.list_code(rec), ["FtM Sanction"]
        starts = (self.dates(p, "startDate", line, notes)
                  or self.dates(p, "listingDate", line, notes))
        ends = self.dates(p, "endDate", line, notes)
        authority = " / ".join(_vals(p, "authority"))
        program = "; ".join(_vals(p, "program")) or "; ".join(_vals(p, "programId"))
        if code == "other":
            program = ": ".join(x for x in (authority, program) if x)
            program += f" [{', '.join(_vals(rec, 'datasets'))}]" if _vals(rec, "datasets") else ""
        elif authority:
            notes.append(f"authority: {authority}")
        row = {"list": code, "program": program or None, "start": starts[0] if starts else None,
               "end": ends[-1] if ends else None, **self.provenance(rec, line, "confirmed"),
               "note": "; ".join(notes + _notes(p, _SANCTION_NOTES))}
        for i, ent in enumerate(targets, 1):
            self.refs.append((ent, "entity", line, f"Sanction {sid}"))
            self.listings.append({**row, "id": PREFIX + sid + (f"#{i}" if i > 1 else ""),
                                  "entity": PREFIX + ent})

    def identification(self, rec: dict[str, Any], line: int) -> None:
        p, schema = rec["properties"], rec["schema"]
        holders, types = _vals(p, "holder"), _vals(p, "type")
        numbers = list(dict.fromkeys(_vals(p, "number") + _vals(p, "passportNumber")))
        if not holders:
            self.problem(f"{schema} {rec['id']!r} has no holder; left out", line, column="holder")
            return
        scheme = ("passport" if schema == "Passport"
                  else re.sub(r"\W+", "_", types[0].lower()) if types else "id")
        datasets = ", ".join(_vals(rec, "datasets"))
        what = f"{schema} record {rec['id']} (line {line}; datasets {datasets})"
        for h in holders:
            self.idents += ([(h, f"{scheme}:{n}", line, what) for n in numbers]
                            or [(h, None, line, f"{what} names this holder but gives no number")])

    def finish(self) -> dict[str, pd.DataFrame]:
        for holder, ident, line, what in self.idents:
            row = self.entities.get(holder)
            if row is None:
                self.problem(f"holder {holder!r} is not an entity in the file; {what} left out",
                             line, column="holder", value=holder)
            elif ident is None:
                row["note"] = f"{row['note']}; {what}"
            else:
                row["identifiers"] = list(dict.fromkeys([*(row["identifiers"] or []), ident]))
        stubs: dict[str, dict[str, Any]] = {}
        for fid, prop, line, by in self.refs:
            if fid in self.entities:
                continue
            why = self.not_entity.get(fid, "is not in the file")
            self.problem(f"{prop} {fid!r} of {by} (line {line}) {why}: a stub entity was created",
                         line, column=prop, value=fid, action="stub")
            if fid not in stubs:
                kind = _STUB_KINDS.get(prop, "legal_entity")
                text = self.address_text.get(by) if kind == "address" else None
                note = f"Stub: named as {prop} by {by} (line {line}) but {why}." + (
                    f" That entity's address text: {text}" if text else "")
                name = f"{kind} {fid}" if kind == "address" else fid
                stubs[fid] = {"id": PREFIX + fid, "name": name, "kind": kind, "note": note,
                              "source_ref": f"{self.path.name}: {fid}", "_file": self.file,
                              "_line": line}
        rows = {"entities": [*self.rows, *stubs.values()],
                "relations": self.relations, "listings": self.listings}
        return {name: pd.DataFrame(rows[name], columns=cols) for name, cols in _COLUMNS.items()}


def read_ftm(path: str | Path, *, strict: bool = False,
             list_map: Mapping[str, str] | None = None) -> OwnershipGraph:
    """Read FollowTheMoney entities (OpenSanctions JSON lines) into a graph.

    Parameters
    ----------
    path : str or Path
        An ``entities.ftm.json`` file: one FtM entity (a JSON object) per line.
    strict : bool
        Raise GraphValidationError on any problem instead of reporting it.
    list_map : mapping of str to str, optional
        Rules choosing a listing's list code, tried before :data:`DEFAULT_LIST_MAP`:
        a key equal to one of the Sanction record's datasets (``"gb_fcdo_sanctions"``)
        or found in its authority, program or programId (``"SECO"``), mapped to a
        code of ``schema/lists.yaml``.

    Returns
    -------
    OwnershipGraph
        With ``problems`` naming each record (file, line) left out, repaired or
        completed with a stub. The module docstring gives the full mapping.

    Raises
    ------
    ReadError
        The file is missing, not UTF-8, or has no line holding a JSON object.
    GraphValidationError
        With ``strict=True``, when any problem is found.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> import graphkit as gk
    >>> lines = [
    ...     {"id": "a", "schema": "Company", "caption": "Alpha LLC",
    ...      "properties": {"name": ["Alpha LLC"], "jurisdiction": ["ru"]}},
    ...     {"id": "p", "schema": "Person", "properties": {"name": ["Ivan Petrov"]}},
    ...     {"id": "o", "schema": "Ownership",
    ...      "properties": {"owner": ["p"], "asset": ["a"], "percentage": ["25-50"]}},
    ...     {"id": "s", "schema": "Sanction", "datasets": ["us_ofac_sdn"],
    ...      "properties": {"entity": ["a"], "program": ["RUSSIA-EO14024"],
    ...                     "startDate": ["2023-11-02"]}}]
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "sample.ftm.json"
    >>> _ = path.write_text("\\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    >>> g = gk.read_ftm(path)
    >>> g
    <OwnershipGraph: 2 entities, 1 relation, 1 listing>
    >>> g.relations.loc[0, ["source", "target", "kind"]].tolist()
    ['ftm:p', 'ftm:a', 'owns']
    >>> g.relations.loc[0, ["share_min", "share_max"]].tolist()
    [25.0, 50.0]
    >>> g.listings.loc[0, ["entity", "list", "program", "start"]].tolist()
    ['ftm:a', 'us-ofac-sdn', 'RUSSIA-EO14024', '2023-11-02']
    """
    p = Path(path)
    if not p.is_file():
        raise ReadError(f"{p}: no such file")
    reader = _Reader(p, list_map)
    objects, first_bad = 0, None
    for line, rec, err in _lines(p):
        objects += isinstance(rec, dict)
        if not isinstance(rec, dict) and first_bad is None:
            first_bad = f"{line}:{err.colno}: {err.msg}" if err else f"{line}:1: not a JSON object"
        reader.add(line, rec, err)
    if not objects and first_bad is not None:
        raise ReadError(f"{p}:{first_bad}; not FtM JSON lines (one entity, a JSON object, "
                        "per line is expected)")
    frames = reader.finish()
    if strict and reader.problems:
        raise GraphValidationError(reader.problems)
    return OwnershipGraph.from_frames(frames["entities"], frames["relations"], frames["listings"],
                                      on_error="raise" if strict else "report",
                                      problems=reader.problems)
