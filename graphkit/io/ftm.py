"""FollowTheMoney (FtM) entities as published by OpenSanctions, one JSON object per line.

Each line is ``{id, caption, schema, properties: {prop: [values]}, datasets,
referents, first_seen, last_seen, target, ...}``. A JSON array of such objects is
read too (then ``_line`` and every Problem's ``line`` is the record number, 1-based).
Ids become ``ftm:<id>``; relation and listing ids are the FtM id of the record
(``#2``, ``#3``... when one record names several endpoints), so re-reading gives
the same ids.

Entities
    ``Company`` -> company, ``Organization`` -> organization, ``LegalEntity`` ->
    legal_entity, ``PublicBody`` -> public_body, ``Person`` -> person, ``Vessel`` ->
    vessel, ``Airplane`` -> aircraft, ``Address`` -> address (name from ``full``, or
    street, postal code, city, region). ``name`` is OpenSanctions' ``caption`` when
    it is one of the ``name`` values (the first ``name`` is arbitrary: for Kalashnikov
    Concern it is the former name "JSC NPO IZHMASH"), else the first ``name``;
    ``aliases`` are the other names plus ``alias``, ``previousName``, ``weakAlias``,
    ``abbreviation``. ``country`` is the first readable value of ``jurisdiction``,
    ``mainCountry``, ``nationality``, ``citizenship``, ``country``, ``flag`` (most
    specific first); an unreadable one is a Problem (kept). ``identifiers`` are
    ``scheme:value`` from the identifier properties (see ``_IDENTIFIERS``) and
    ``ofac_ent_num:N`` from an ``ofac-N`` referent. Extra columns: ``datasets``,
    ``topics``, ``referents`` (``;``-separated), ``first_seen``, ``last_seen``.
    ``source_ref`` is ``file: id (OpenSanctions datasets: ...)``.
Addresses
    ``addressEntity`` -> ``registered_at`` relations. The free-text ``address``
    property is kept in the entity's ``note`` ("address as written"), not turned into
    entities: OpenSanctions already links the structured Address entities, and
    deciding which texts are the same place is resolve/'s work.
Relations (FtM interval schemata, source -> target)
    ``Ownership`` owner -> asset: ``owns``; ``percentage`` parsed by
    :func:`graphkit.types.share.parse` into a range (several values: the min..max
    envelope; unreadable or over 100: Problem, kept with an unknown share),
    ``sharesCount``, ``role`` and other share fields into ``note``. ``Control`` ->
    ``controls``. ``Directorship`` director -> organization: ``officer_of`` with
    ``role``. ``UnknownLink`` subject -> object, ``Family`` person -> relative,
    ``Associate`` person -> associate, ``Representation`` agent -> client,
    ``Membership`` member -> organization, ``Employment`` employee -> employer,
    ``Succession`` predecessor -> successor: ``linked_to`` with the schema,
    ``relationship`` and ``role`` in ``note`` (none of them is an officer, owner or
    front in graphkit's sense). ``startDate`` (earliest) / ``endDate`` (latest) ->
    ``start`` / ``end``; ``last_seen`` -> ``observed``. Confidence is ``reported``:
    OpenSanctions republishes and merges records from registers, lists and research,
    so an edge read here is one step removed from the register and rests on
    OpenSanctions' entity resolution.
Listings
    ``Sanction`` entity -> one listing, ``confidence`` ``confirmed`` (each record is
    one authority's designation, with its URL). The list code is the first match of
    ``list_map`` then :data:`DEFAULT_LIST_MAP`: a key equal to one of the record's
    datasets, else a key found (case-insensitive) in its authority, program or
    programId; no match gives ``other``. National copies of EU lists (Belgium,
    France), UK, Swiss, SAM.gov exclusions and the Ukrainian lists are ``other``.
    ``program`` is the program (``authority: program`` for ``other``); ``start`` is
    the earliest ``startDate``, else the earliest ``listingDate``; ``end`` the latest
    ``endDate``; authority ids, programId, listing dates, status, provisions,
    duration and reason go into ``note``; ``observed`` is ``last_seen``.
Identification documents
    ``Passport`` / ``Identification`` -> ``passport:<number>`` / ``<type>:<number>``
    on the holder (a record without a number is noted on the holder).
Missing endpoints
    A relation, listing or addressEntity naming an id that is not a usable entity in
    the file gets a stub entity (kind from the FtM range: person, organization,
    address or legal_entity) and a Problem with ``action="stub"``.
Left out
    Other schemata (Position, Occupancy, BankAccount, Security, Document, ...) are
    each a Problem (rejected) naming the schema and line. Contact details (email,
    phone, website), name parts, gender, ``target`` and ``last_change`` are not kept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
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
DEFAULT_LIST_MAP: dict[str, str] = {
    "us_ofac_sdn": "us-ofac-sdn",
    "eu_fsf": "eu-fsf",
    "US-BIS-EL": "us-bis-entity-list",
}
_KINDS = {"Company": "company", "Organization": "organization", "LegalEntity": "legal_entity",
          "PublicBody": "public_body", "Person": "person", "Vessel": "vessel",
          "Airplane": "aircraft", "Address": "address"}
_LINKS = {"Ownership": ("owner", "asset", "owns"), "Control": ("controller", "controlled", "controls"),
          "Directorship": ("director", "organization", "officer_of"),
          "UnknownLink": ("subject", "object", "linked_to"), "Family": ("person", "relative", "linked_to"),
          "Associate": ("person", "associate", "linked_to"), "Representation": ("agent", "client", "linked_to"),
          "Membership": ("member", "organization", "linked_to"),
          "Employment": ("employee", "employer", "linked_to"),
          "Succession": ("predecessor", "successor", "linked_to")}
_IDENTIFIERS = {"registrationNumber": "registration", "innCode": "inn", "ogrnCode": "ogrn",
                "kppCode": "kpp", "okpoCode": "okpo", "leiCode": "lei", "uscCode": "uscc",
                "taxNumber": "tax", "vatCode": "vat", "idNumber": "id", "passportNumber": "passport",
                "dunsCode": "duns", "uniqueEntityId": "uei", "swiftBic": "bic", "permId": "permid",
                "bvdId": "bvd", "npiCode": "npi", "wikidataId": "wikidata", "imoNumber": "imo",
                "mmsi": "mmsi", "callSign": "call_sign", "serialNumber": "serial"}
_NAMES = ("name", "alias", "previousName", "weakAlias", "abbreviation")
_COUNTRIES = ("jurisdiction", "mainCountry", "nationality", "citizenship", "country", "flag")
_NOTES = (("legalForm", "legal form"), ("status", "status"), ("incorporationDate", "incorporated"),
          ("dissolutionDate", "dissolved"), ("birthDate", "born"), ("birthPlace", "birth place"),
          ("deathDate", "died"), ("position", "position"), ("address", "address as written"),
          ("summary", "summary"), ("notes", "notes"))
_LINK_NOTES = (("relationship", "relationship"), ("role", "role"), ("sharesCount", "shares"),
               ("sharesValue", "shares value"), ("sharesCurrency", "currency"),
               ("sharesType", "share type"), ("ownershipType", "ownership type"),
               ("controlType", "control type"), ("legalBasis", "legal basis"),
               ("status", "status"), ("summary", "summary"), ("description", "description"))
_SANCTION_NOTES = (("authorityId", "authority id"), ("unscId", "UN SC id"), ("programId", "program id"),
                   ("listingDate", "listing date"), ("status", "status"), ("provisions", "provisions"),
                   ("duration", "duration"), ("reason", "reason"), ("summary", "summary"))
_STUB_KINDS = {"person": "person", "relative": "person", "associate": "person", "employee": "person",
               "organization": "organization", "employer": "organization", "addressEntity": "address"}
_OFAC_REFERENT = re.compile(r"^ofac-(\d+)$")


def _vals(props: Mapping[str, Any], key: str) -> list[str]:
    """Non-empty text values of an FtM property (a list; a lone value is accepted)."""
    raw = props.get(key)
    items = raw if isinstance(raw, list) else [] if raw is None else [raw]
    out: list[str] = []
    for v in items:
        text = str(v).strip() if v is not None else ""
        if text and text not in out:
            out.append(text)
    return out


def _day(value: Any) -> str | None:
    try:
        return date_type.parse(value)
    except ValueError:
        return None


def _records(path: Path) -> Iterator[tuple[int, Any, json.JSONDecodeError | None]]:
    """Yield ``(line, object, error)``; raise ReadError for a file that cannot be read."""
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise ReadError(f"{path}: cannot open ({exc.strerror})") from None
    with fh:
        head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
        fh.seek(0)
        if head.startswith(b"["):
            data = fh.read()
            try:
                records = json.loads(_text(data, path, 1).lstrip("\ufeff"))
            except json.JSONDecodeError as exc:
                raise ReadError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg})") from None
            for n, obj in enumerate(records, 1):
                yield n, obj, None
            return
        for n, raw in enumerate(fh, 1):
            text = _text(raw, path, n).lstrip("\ufeff") if n == 1 else _text(raw, path, n)
            if not text.strip():
                continue
            try:
                yield n, json.loads(text), None
            except json.JSONDecodeError as exc:
                yield n, None, exc


def _text(data: bytes, path: Path, line: int) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line += data[: exc.start].count(b"\n")
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ReadError(f"{path}:{line}:{col}: byte {data[exc.start:exc.start + 1]!r} is not "
                        "valid UTF-8 (FtM files are UTF-8)") from None


class _Reader:
    """State of one read: the rows of the three tables and the problems found."""

    def __init__(self, path: Path, list_map: Mapping[str, str] | None) -> None:
        self.path, self.file = path, str(path)
        self.maps = [dict(list_map or {}), DEFAULT_LIST_MAP]
        self.problems: list[Problem] = []
        self.entities: dict[str, dict[str, Any]] = {}
        self.relations: list[dict[str, Any]] = []
        self.listings: list[dict[str, Any]] = []
        self.refs: list[tuple[str, str, int, str]] = []  # (ftm id, property, line, who)
        self.idents: list[tuple[str, str | None, int, str]] = []  # (holder, identifier, line, note)
        self.rejected: dict[str, str] = {}

    def problem(self, message: str, line: int, column: str | None = None,
                value: str | None = None, action: str = "rejected") -> None:
        self.problems.append(Problem(message, file=self.file, line=line, column=column,
                                     value=value, action=action))

    def source_ref(self, rec: Mapping[str, Any], urls: list[str] | None = None) -> str:
        datasets = ", ".join(_vals(rec, "datasets")) or "unknown"
        ref = f"{self.path.name}: {rec['id']} (OpenSanctions datasets: {datasets})"
        return "; ".join([ref, *(urls or [])])

    def add(self, line: int, rec: Any, err: json.JSONDecodeError | None) -> None:
        if err is not None:
            self.problem(f"not valid JSON: {err.msg} (column {err.colno})", line,
                         column=str(err.colno), value=err.doc[:200].strip())
            return
        if not isinstance(rec, dict) or not isinstance(rec.get("id"), str) or not rec["id"].strip() \
                or not isinstance(rec.get("schema"), str):
            self.problem("not an FtM entity (an object with 'id' and 'schema' is expected)", line,
                         value=json.dumps(rec, ensure_ascii=False)[:200])
            return
        props = rec.get("properties")
        rec = {**rec, "id": rec["id"].strip(), "properties": props if isinstance(props, dict) else {}}
        schema = rec["schema"]
        if schema in _KINDS:
            self.entity(rec, _KINDS[schema], line)
        elif schema in _LINKS:
            self.link(rec, line)
        elif schema == "Sanction":
            self.sanction(rec, line)
        elif schema in ("Passport", "Identification"):
            self.identification(rec, line)
        else:
            self.rejected[rec["id"]] = f"schema {schema!r} at line {line}"
            self.problem(f"FtM schema {schema!r} is not mapped to a graphkit entity, relation or "
                         f"listing; record {rec['id']!r} left out", line, column="schema", value=schema)

    def entity(self, rec: dict[str, Any], kind: str, line: int) -> None:
        p, eid = rec["properties"], rec["id"]
        names = [n for k in _NAMES for n in _vals(p, k)]
        caption = str(rec.get("caption") or "").strip()
        if kind == "address":
            names = _vals(p, "full") or [", ".join(v for k in ("street", "postalCode", "city", "region")
                                                   for v in _vals(p, k))]
            names = [n for n in names if n]
            name = names[0] if names else caption
        else:
            given = _vals(p, "name")
            name = caption if caption in given else (given[0] if given else caption)
        if not name:
            name = eid
            self.problem(f"{rec['schema']} {eid!r} has no name; its id is used", line,
                         column="name", action="kept")
        notes = [f"FtM {rec['schema']}"]
        country, others = None, []
        for prop in _COUNTRIES:
            for v in _vals(p, prop):
                try:
                    code = country_type.parse(v)
                except ValueError:
                    self.problem(f"{prop} {v!r} is not an ISO country code", line, column=prop,
                                 value=v, action="kept")
                    notes.append(f"{prop} as given: {v}")
                    continue
                if country is None:
                    country = code
                elif code != country and code not in others:
                    others.append(str(code))
        if others:
            notes.append("other countries: " + ", ".join(others))
        idents = [f"{scheme}:{v}" for prop, scheme in _IDENTIFIERS.items() for v in _vals(p, prop)]
        idents += [f"ofac_ent_num:{m.group(1)}" for r in _vals(rec, "referents")
                   if (m := _OFAC_REFERENT.match(r))]
        notes += [f"{label}: {' | '.join(vs)}" for prop, label in _NOTES
                  if kind != "address" and (vs := _vals(p, prop))]
        self.entities[eid] = {
            "id": PREFIX + eid, "name": name, "kind": kind,
            "aliases": list(dict.fromkeys(n for n in names if n != name)) or None,
            "country": country, "identifiers": list(dict.fromkeys(idents)) or None,
            "note": "; ".join(notes), "source_ref": self.source_ref(rec),
            "datasets": ";".join(_vals(rec, "datasets")) or None,
            "topics": ";".join(_vals(p, "topics")) or None,
            "referents": ";".join(_vals(rec, "referents")) or None,
            "first_seen": _day(rec.get("first_seen")), "last_seen": _day(rec.get("last_seen")),
            "_file": self.file, "_line": line,
        }
        texts = _vals(p, "address")
        who = f"{rec['schema']} {eid} (line {line})" + (f"; its address text: {' | '.join(texts)}"
                                                         if texts else "")
        for aid in _vals(p, "addressEntity"):
            self.refs.append((aid, "addressEntity", line, who))
            self.relations.append({
                "id": f"{PREFIX}{eid}>addressEntity>{aid}", "source": PREFIX + eid,
                "target": PREFIX + aid, "kind": "registered_at", "confidence": "reported",
                "observed": _day(rec.get("last_seen")), "source_ref": self.source_ref(rec),
                "note": "FtM addressEntity", "_file": self.file, "_line": line})

    def dates(self, p: Mapping[str, Any], prop: str, line: int, notes: list[str]) -> list[str]:
        out = []
        for v in _vals(p, prop):
            try:
                d = date_type.parse(v)
            except ValueError as exc:
                self.problem(str(exc), line, column=prop, value=v, action="kept")
                notes.append(f"{prop} as given: {v}")
                continue
            if d:
                out.append(d)
        return sorted(out, key=date_type.lower)

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
                               "end": ends[-1] if ends else None, "confidence": "reported",
                               "observed": _day(rec.get("last_seen")),
                               "source_ref": self.source_ref(rec, _vals(p, "sourceUrl")),
                               "_file": self.file, "_line": line}
        if kind == "officer_of":
            row["role"] = "; ".join(_vals(p, "role")) or None
        if kind == "owns":
            lo = hi = None
            for v in _vals(p, "percentage"):
                try:
                    a, b = share_type.parse(v)
                except ValueError as exc:
                    self.problem(f"{exc}; the share is left unknown", line, column="percentage",
                                 value=v, action="kept")
                    notes.append(f"percentage as given: {v}")
                    continue
                lo, hi = (a if lo is None else min(lo, a)), (b if hi is None else max(hi, b))
            row["share_min"], row["share_max"] = lo, hi
        notes += [f"{label}: {' | '.join(vs)}" for prop, label in _LINK_NOTES
                  if not (prop == "role" and kind == "officer_of") and (vs := _vals(p, prop))]
        row["note"] = "; ".join(notes)
        pairs = [(s, t) for s in sources for t in targets]
        for i, (s, t) in enumerate(pairs, 1):
            self.refs += [(s, src_prop, line, f"{schema} {rid} (line {line})"),
                          (t, dst_prop, line, f"{schema} {rid} (line {line})")]
            self.relations.append({**row, "id": PREFIX + rid + (f"#{i}" if i > 1 else ""),
                                   "source": PREFIX + s, "target": PREFIX + t})

    def list_code(self, rec: Mapping[str, Any]) -> str:
        p = rec["properties"]
        datasets = set(_vals(rec, "datasets"))
        text = " | ".join(v for k in ("authority", "program", "programId") for v in _vals(p, k)).lower()
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
        code = self.list_code(rec)
        notes = ["FtM Sanction"]
        starts = self.dates(p, "startDate", line, notes) or self.dates(p, "listingDate", line, notes)
        ends = self.dates(p, "endDate", line, notes)
        authority, program = " / ".join(_vals(p, "authority")), "; ".join(_vals(p, "program"))
        if code == "other":
            program = ": ".join(x for x in (authority, program or "; ".join(_vals(p, "programId"))) if x)
        else:
            program = program or "; ".join(_vals(p, "programId"))
            notes.append(f"authority: {authority}")
        notes += [f"{label}: {' | '.join(vs)}" for prop, label in _SANCTION_NOTES if (vs := _vals(p, prop))]
        for i, ent in enumerate(targets, 1):
            self.refs.append((ent, "entity", line, f"Sanction {sid} (line {line})"))
            self.listings.append({
                "id": PREFIX + sid + (f"#{i}" if i > 1 else ""), "entity": PREFIX + ent, "list": code,
                "program": program or None, "start": starts[0] if starts else None,
                "end": ends[-1] if ends else None, "confidence": "confirmed",
                "observed": _day(rec.get("last_seen")),
                "source_ref": self.source_ref(rec, _vals(p, "sourceUrl")),
                "note": "; ".join(notes), "_file": self.file, "_line": line})

    def identification(self, rec: dict[str, Any], line: int) -> None:
        p, schema = rec["properties"], rec["schema"]
        holders = _vals(p, "holder")
        if not holders:
            self.problem(f"{schema} {rec['id']!r} has no holder; left out", line, column="holder")
            return
        numbers = _vals(p, "number") + _vals(p, "passportNumber")
        types = _vals(p, "type")
        scheme = "passport" if schema == "Passport" else re.sub(r"\W+", "_", types[0].lower()) if types else "id"
        where = f"{schema} record {rec['id']} (line {line}, datasets {', '.join(_vals(rec, 'datasets'))})"
        for h in holders:
            if numbers:
                self.idents += [(h, f"{scheme}:{n}", line, where) for n in dict.fromkeys(numbers)]
            else:
                self.idents.append((h, None, line, f"{where} names this holder but gives no number"))

    def finish(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        for holder, ident, line, note in self.idents:
            row = self.entities.get(holder)
            if row is None:
                self.problem(f"holder {holder!r} is not an entity in the file; {note} left out",
                             line, column="holder", value=holder)
            elif ident is None:
                row["note"] = f"{row['note']}; {note}"
            else:
                row["identifiers"] = list(dict.fromkeys([*(row["identifiers"] or []), ident]))
        stubs: dict[str, dict[str, Any]] = {}
        for fid, prop, line, who in self.refs:
            if fid in self.entities:
                continue
            why = (f"was rejected ({self.rejected[fid]})" if fid in self.rejected
                   else "is not in the file")
            self.problem(f"{prop} {fid!r} of {who.split(';')[0]} {why}: a stub entity was created",
                         line, column=prop, value=fid, action="stub")
            if fid not in stubs:
                kind = _STUB_KINDS.get(prop, "legal_entity")
                stubs[fid] = {"id": PREFIX + fid, "name": f"{kind} {fid}" if kind == "address" else fid,
                              "kind": kind, "note": f"Stub: named as {prop} by {who}, but {why}.",
                              "source_ref": f"{self.path.name}: {fid}", "_file": self.file,
                              "_line": line}
        ents = pd.DataFrame([*self.entities.values(), *stubs.values()],
                            columns=["id", "name", "kind", "aliases", "country", "identifiers",
                                     "note", "source_ref", "datasets", "topics", "referents",
                                     "first_seen", "last_seen", "_file", "_line"])
        rels = pd.DataFrame(self.relations, columns=[
            "id", "source", "target", "kind", "share_min", "share_max", "start", "end", "observed",
            "confidence", "role", "note", "source_ref", "_file", "_line"])
        lsts = pd.DataFrame(self.listings, columns=[
            "id", "entity", "list", "program", "start", "end", "observed", "confidence",
            "source_ref", "note", "_file", "_line"])
        return ents, rels, lsts


def read_ftm(path: str | Path, *, strict: bool = False,
             list_map: Mapping[str, str] | None = None) -> OwnershipGraph:
    """Read FollowTheMoney entities (OpenSanctions JSON lines) into a graph.

    Parameters
    ----------
    path : str or Path
        A ``.ftm.json`` / ``entities.ftm.json`` file: one FtM entity per line (a JSON
        array of entities is accepted too).
    strict : bool
        Raise GraphValidationError on any problem instead of reporting it.
    list_map : mapping of str to str, optional
        Extra rules choosing a listing's list code, tried before
        :data:`DEFAULT_LIST_MAP`: a key equal to one of the Sanction record's datasets
        (``"gb_fcdo_sanctions"``), or a text found in its authority, program or
        programId (``"SECO"``), mapped to a code from ``schema/lists.yaml``.

    Returns
    -------
    OwnershipGraph
        With ``problems`` naming every record (file, line) left out, repaired or
        completed with a stub. See the module docstring for the mapping.

    Raises
    ------
    ReadError
        The file is missing, not UTF-8 or (as a JSON array) not JSON.
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
    >>> g.relations.loc[0, ["source", "target", "kind", "share_min", "share_max"]].tolist()
    ['ftm:p', 'ftm:a', 'owns', 25.0, 50.0]
    >>> g.listings.loc[0, ["entity", "list", "program", "start"]].tolist()
    ['ftm:a', 'us-ofac-sdn', 'RUSSIA-EO14024', '2023-11-02']
    """
    p = Path(path)
    if not p.is_file():
        raise ReadError(f"{p}: no such file")
    reader = _Reader(p, list_map)
    parsed = failed = 0
    first_error: tuple[int, json.JSONDecodeError] | None = None
    for line, rec, err in _records(p):
        if err is None:
            parsed += 1
        else:
            failed += 1
            first_error = first_error or (line, err)
        reader.add(line, rec, err)
    if not parsed and first_error is not None:
        line, err = first_error
        raise ReadError(f"{p}:{line}:{err.colno}: not JSON lines ({err.msg}); "
                        "expected one FtM entity (a JSON object) per line")
    ents, rels, lsts = reader.finish()
    if strict and reader.problems:
        raise GraphValidationError(reader.problems)
    return OwnershipGraph.from_frames(ents, rels, lsts, on_error="raise" if strict else "report",
                                      problems=reader.problems)
