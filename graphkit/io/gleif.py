"""GLEIF LEI data: responses of the GLEIF API v1 (JSON:API documents).

GLEIF publishes who is who (Level 1: the LEI record of a legal entity) and who owns
whom (Level 2: accounting consolidation parents, or a reporting exception saying
why none is given). An API response is a JSON:API document whose ``data`` is one
resource or a list; any number of files and folders are read together.

Level 1 (``lei-records``) -> entity ``lei:<LEI>``, kind ``company`` (``public_body``
for category ``RESIDENT_GOVERNMENT_ENTITY``, ``organization`` for
``INTERNATIONAL_ORGANIZATION``; the thousands of ELF legal-form codes are not
mapped, the code goes in the note). ``name``: ``legalName``; ``aliases``:
``otherNames`` and ``transliteratedOtherNames``; ``country``: ``legalAddress.country``
(the extra column ``jurisdiction`` keeps ``US-DE``); ``identifiers``: ``lei:<LEI>``,
``gleif-ra:<registeredAt.id>:<registeredAs>`` (local register number and GLEIF's
code for that register), ``opencorporates:<ocid>``, ``bic:<BIC>``; ``note``: legal
form, entity and registration status, last update, reporting exceptions;
``source_ref``: the record's API URL. The legal and headquarters addresses become
``address`` entities ``lei:<LEI>:legal-address`` / ``lei:<LEI>:hq-address`` (one if
they are equal) with ``registered_at`` relations.

Level 2 (``relationship-records``): ``startNode`` is the child, ``endNode`` the
parent. ``IS_DIRECTLY_CONSOLIDATED_BY`` / ``IS_ULTIMATELY_CONSOLIDATED_BY`` become
``controls`` parent -> child: consolidation is accounting control, not a known
share, and the note says "accounting consolidation (GLEIF Level 2); share not
stated". Ultimate consolidation usually runs through intermediate parents, so its
note starts with ``indirect:`` (as in :mod:`graphkit.io.bods`) for a look-through to
skip. A record carrying RR-CDF quantifiers (``quantifiers`` or
``relationshipQuantifiers`` with a ``quantifierAmount`` in ``PERCENTAGE``) becomes
``owns`` with that share instead (the captured API responses carry none). Other
Level 2 types (branches, funds) become ``linked_to``, the type in the note. The
``RELATIONSHIP_PERIOD`` gives ``start``/``end``; an ``INACTIVE`` relationship with
no end date says so in the note (and stays in force: the cautious reading for
screening). ``registration.lastUpdateDate`` -> ``observed``; registration status
and corroboration level -> note; ``source_ref``: the API URL of the child's
parent relationship. ``confidence`` is ``confirmed``: LEI issuers (LOUs) register
and validate the data under GLEIF's oversight (a relationship corroborated by the
entity only says so in the note).

Reporting exceptions are facts, not input problems: each goes in its entity's
note ("no direct parent reported to GLEIF: NON_PUBLIC"). An LEI named by a
relationship or exception whose LEI record was not read becomes a stub
``lei:<LEI>`` (kind ``legal_entity``, the LEI as name and identifier) with a Problem
``action="stub"``: API captures are partial, so this is expected (partial pages
are logged). A record read twice is kept once; of two versions of one LEI record
the later ``lastUpdateDate`` wins and the other is reported (``action="kept"``).

Problems name the file and, as the line, the record's position in ``data`` (1 for
a single resource, 1..n for a list): API responses are one-line JSON. Left out:
event history, LEI issuer details, managed funds, accounting periods.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from graphkit.errors import Problem, ReadError
from graphkit.graph import OwnershipGraph
from graphkit.io._json import JsonReader, Where, decode, files, get, parse

__all__ = ["read_gleif"]

log = logging.getLogger(__name__)

API = "https://api.gleif.org/api/v1/lei-records/"
_CONSOLIDATION = {"IS_DIRECTLY_CONSOLIDATED_BY": "direct", "IS_ULTIMATELY_CONSOLIDATED_BY": "ultimate"}
_KINDS = {"RESIDENT_GOVERNMENT_ENTITY": "public_body", "INTERNATIONAL_ORGANIZATION": "organization"}
_EXCEPTIONS = {"DIRECT_ACCOUNTING_CONSOLIDATION_PARENT": "direct parent",
               "ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT": "ultimate parent"}


def read_gleif(paths: str | Path | Iterable[str | Path], *, strict: bool = False) -> OwnershipGraph:
    """Read GLEIF API responses: Level 1 LEI records, Level 2 relationships, exceptions.

    Parameters
    ----------
    paths : str, Path or iterable of them
        JSON files saved from the GLEIF API v1, or folders (every ``*.json`` in
        them and their subfolders).
    strict : bool
        Raise GraphValidationError on any problem (stubs for LEIs whose record
        was not read included) instead of reporting it.

    Returns
    -------
    OwnershipGraph
        Entities ``lei:<LEI>`` and their addresses, ``controls`` parent -> child;
        ``graph.problems`` give the file and the record's number in ``data``.

    Raises
    ------
    ReadError
        A file is missing, not UTF-8, not JSON, or not a JSON object.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> rec = {"type": "lei-records", "id": "5493001KJTIIGC8Y1R12", "attributes": {
    ...     "lei": "5493001KJTIIGC8Y1R12", "entity": {"legalName": {"name": "Bloomberg Finance L.P."},
    ...     "legalAddress": {"addressLines": ["731 Lexington Avenue"], "country": "US"}},
    ...     "registration": {"status": "ISSUED", "lastUpdateDate": "2025-01-06T14:35:04Z"}}}
    >>> rel = {"type": "relationship-records", "id": "r1", "attributes": {"relationship": {
    ...     "startNode": {"id": "5493001KJTIIGC8Y1R12", "type": "LEI"},
    ...     "endNode": {"id": "549300B56MD0ZC402L06", "type": "LEI"},
    ...     "type": "IS_DIRECTLY_CONSOLIDATED_BY", "status": "ACTIVE",
    ...     "periods": [{"startDate": "2007-06-05T00:00:00Z", "type": "RELATIONSHIP_PERIOD"}]}}}
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "gleif.json"
    >>> _ = path.write_text(json.dumps({"data": [rec, rel]}))
    >>> g = read_gleif(path)
    >>> g.relations.loc[g.relations["kind"] == "controls", ["source", "target", "start"]].values.tolist()
    [['lei:549300B56MD0ZC402L06', 'lei:5493001KJTIIGC8Y1R12', '2007-06-05']]
    >>> [p.action for p in g.problems]  # the parent's LEI record was not read
    ['stub']
    """
    reader = _Reader()
    for path in files(paths):
        reader.read_file(path)
    return reader.graph(strict)


class _Reader(JsonReader):
    def __init__(self) -> None:
        super().__init__()
        self.leis: dict[str, tuple[dict[str, Any], Where]] = {}
        self.rels: dict[str, tuple[dict[str, Any], Where]] = {}
        self.exceptions: dict[str, list[tuple[str, Where]]] = {}

    def read_file(self, path: Path) -> None:
        doc = parse(decode(path), path)
        if not isinstance(doc, dict):
            raise ReadError(f"{path}: not a JSON:API document (a JSON {type(doc).__name__}, not an object)")
        if "data" not in doc:
            errors = "; ".join(str(e.get("title") or e.get("detail") or e)
                               for e in doc.get("errors") or [] if isinstance(e, dict))
            self.problems.append(Problem("JSON:API document without 'data'"
                                         + (f" (errors: {errors})" if errors else ""),
                                         file=str(path), column="data"))
            return
        records = doc["data"] if isinstance(doc["data"], list) else [doc["data"]]
        page = get(doc, "meta", "pagination")
        if isinstance(page, dict) and (page.get("lastPage") or 1) > 1:
            log.info("%s: page %s of %s (%s of %s records); the other pages are not in this file",
                     path, page.get("currentPage"), page.get("lastPage"), len(records), page.get("total"))
        handlers = {"lei-records": self._lei_record, "relationship-records": self._relationship,
                    "reporting-exceptions": self._exception}
        for n, rec in enumerate(records, 1):
            where = (str(path), n)
            handler = handlers.get(str(rec.get("type"))) if isinstance(rec, dict) else None
            if handler is None:
                self.problem(f"not a GLEIF record (type must be one of {', '.join(handlers)})", where,
                             "type", rec.get("type") if isinstance(rec, dict) else json.dumps(rec))
            else:
                handler(rec, where)

    def _lei_record(self, rec: dict[str, Any], where: Where) -> None:
        lei = get(rec, "attributes", "lei") or rec.get("id")
        if not isinstance(lei, str) or not lei.strip():
            self.problem("LEI record without an LEI", where, "lei")
            return
        lei = lei.strip().upper()
        old = self.leis.setdefault(lei, (rec, where))
        if old[0] != rec:
            def updated(r: dict[str, Any]) -> str:
                return str(get(r, "attributes", "registration", "lastUpdateDate") or "")
            keep, drop = (old, (rec, where)) if updated(old[0]) >= updated(rec) else ((rec, where), old)
            self.problem(f"two versions of LEI record {lei}: kept the one in {keep[1][0]} record "
                         f"{keep[1][1]} (later lastUpdateDate)", drop[1], "lastUpdateDate", lei, "kept")
            self.leis[lei] = keep

    def _relationship(self, rec: dict[str, Any], where: Where) -> None:
        rel = get(rec, "attributes", "relationship")
        if not isinstance(rel, dict):
            self.problem("relationship record without 'relationship'", where, "relationship")
            return
        for side in ("startNode", "endNode"):
            if not get(rel, side, "id"):
                self.problem(f"relationship record without {side} id", where, side)
                return
            if (get(rel, side, "type") or "LEI") != "LEI":
                self.problem(f"{side} is not an LEI", where, side, get(rel, side, "type"))
                return
        self.rels.setdefault(str(rec.get("id") or json.dumps(rel, sort_keys=True)), (rec, where))

    def _exception(self, rec: dict[str, Any], where: Where) -> None:
        attrs = rec.get("attributes") or {}
        lei = attrs.get("lei")
        if not isinstance(lei, str) or not lei.strip():
            self.problem("reporting exception without an LEI", where, "lei")
            return
        what = _EXCEPTIONS.get(str(attrs.get("category")), str(attrs.get("category")))
        text = f"no {what} reported to GLEIF: {attrs.get('reason')}"
        text += f" ({attrs['reference']})" if attrs.get("reference") else ""
        items = self.exceptions.setdefault(lei.strip().upper(), [])
        if text not in (t for t, _ in items):
            items.append((text, where))

    # -- building ---------------------------------------------------------------------
    def graph(self, strict: bool) -> OwnershipGraph:
        ents: list[dict[str, Any]] = []
        rels: list[dict[str, Any]] = []
        for lei, (rec, where) in self.leis.items():
            self._entity_rows(lei, rec, where, ents, rels)
        stubs: dict[str, tuple[Where, str]] = {}
        seen: dict[str, int] = {}
        for rec, where in self.rels.values():
            row = self._relation_row(rec, where)
            seen[row["id"]] = n = seen.get(row["id"], 0) + 1
            row["id"] += f":{n}" if n > 1 else ""
            rels.append(row)
            for col, side in (("source", "endNode"), ("target", "startNode")):
                if row[col][4:] not in self.leis:
                    stubs.setdefault(row[col][4:], (where, side))
        for lei, items in self.exceptions.items():
            if lei not in self.leis:
                stubs.setdefault(lei, (items[0][1], "lei"))
        for lei, (where, side) in stubs.items():
            self.problem(f"LEI {lei} is named here but its LEI record is not among the files read: "
                         "a stub entity was created", where, side, lei, "stub")
            notes = [f"Stub: LEI record not read (see {API}{lei})"]
            notes += [t for t, _ in self.exceptions.get(lei, [])]
            ents.append({"id": f"lei:{lei}", "name": lei, "kind": "legal_entity",
                         "identifiers": [f"lei:{lei}"], "note": "; ".join(notes), "source_ref": f"{API}{lei}",
                         "_file": where[0], "_line": where[1]})
        return self.finish(ents, rels, strict)

    def _entity_rows(self, lei: str, rec: dict[str, Any], where: Where,
                     ents: list[dict[str, Any]], rels: list[dict[str, Any]]) -> None:
        attrs = rec.get("attributes") or {}
        ent = attrs.get("entity") or {}
        reg = attrs.get("registration") or {}
        names = (ent.get("otherNames") or []) + (ent.get("transliteratedOtherNames") or [])
        idents = [f"lei:{lei}"]
        if ent.get("registeredAs"):
            ra = get(ent, "registeredAt", "id") or get(ent, "registeredAt", "other") or "unknown"
            idents.append(f"gleif-ra:{ra}:{ent['registeredAs']}")
        idents += [f"opencorporates:{attrs['ocid']}"] if attrs.get("ocid") else []
        bics = attrs.get("bic") or []
        idents += [f"bic:{b}" for b in ([bics] if isinstance(bics, str) else bics)]
        notes: list[str] = []
        form = " ".join(str(x) for x in (get(ent, "legalForm", "id"), get(ent, "legalForm", "other")) if x)
        notes += [f"legal form {form}"] if form else []
        notes += [f"category {ent['category']}"] if ent.get("category") not in (None, "GENERAL") else []
        last = self.date(reg.get("lastUpdateDate"), where, "lastUpdateDate", notes)
        notes.append(f"GLEIF: entity {ent.get('status')}, registration {reg.get('status')}"
                     + (f" (last update {last})" if last else ""))
        successor = get(ent, "successorEntity", "lei")
        notes += [f"successor lei:{successor}"] if successor else []
        notes += [t for t, _ in self.exceptions.get(lei, [])]
        country = self.country(get(ent, "legalAddress", "country"), where, "legalAddress.country", notes)
        source = get(rec, "links", "self") or f"{API}{lei}"
        row = {"_file": where[0], "_line": where[1]}
        ents.append({**row, "id": f"lei:{lei}", "name": get(ent, "legalName", "name"),
                     "kind": _KINDS.get(ent.get("category") or "", "company"),
                     "aliases": [n.get("name") for n in names if isinstance(n, dict) and n.get("name")],
                     "country": country, "identifiers": idents, "note": "; ".join(notes),
                     "source_ref": source, "jurisdiction": ent.get("jurisdiction")})
        legal, hq = ent.get("legalAddress"), ent.get("headquartersAddress")
        addresses = [("legal-address", legal, "legal address"), ("hq-address", hq, "headquarters address")]
        if isinstance(legal, dict) and legal == hq:
            addresses = [("legal-address", legal, "legal and headquarters address")]
        for tag, addr, label in addresses:
            text = _address_text(addr)
            if text:
                aid = f"lei:{lei}:{tag}"
                ents.append({**row, "id": aid, "name": text, "kind": "address", "source_ref": source,
                             "country": self.country(get(addr, "country"), where, f"{label}.country", [])})
                rels.append({**row, "id": f"lei:{lei}:registered_at:{tag}", "source": f"lei:{lei}",
                             "target": aid, "kind": "registered_at", "observed": last,
                             "confidence": "confirmed", "source_ref": source,
                             "note": f"{label} (GLEIF Level 1)"})

    def _relation_row(self, rec: dict[str, Any], where: Where) -> dict[str, Any]:
        rel = rec["attributes"]["relationship"]
        reg = get(rec, "attributes", "registration") or {}
        child, parent = rel["startNode"]["id"].upper(), rel["endNode"]["id"].upper()
        rtype = str(rel.get("type"))
        notes: list[str] = []
        period = next((p for p in rel.get("periods") or []
                       if isinstance(p, dict) and p.get("type") == "RELATIONSHIP_PERIOD"), {})
        start = self.date(period.get("startDate"), where, "periods.startDate", notes)
        end = self.date(period.get("endDate"), where, "periods.endDate", notes)
        row: dict[str, Any] = {"id": f"gleif-rr:{child}:{rtype}:{parent}", "start": start, "end": end,
                               "confidence": "confirmed", "_file": where[0], "_line": where[1]}
        level, share = _CONSOLIDATION.get(rtype), _quantifier(rel)
        if level is None:
            row.update(source=f"lei:{child}", target=f"lei:{parent}", kind="linked_to",
                       source_ref=f"GLEIF relationship record {rec.get('id')}")
            notes.insert(0, f"GLEIF Level 2 relationship {rtype} (start node -> end node)")
        else:
            row.update(source=f"lei:{parent}", target=f"lei:{child}", indirect=level == "ultimate",
                       source_ref=f"{API}{child}/{level}-parent-relationship")
            what = ("indirect: ultimate" if level == "ultimate" else "direct") + \
                " accounting consolidation (GLEIF Level 2); "
            if share is None:
                row["kind"] = "controls"
                notes.insert(0, what + "share not stated")
            else:
                row.update(kind="owns", share_min=share, share_max=share)
                notes.insert(0, what + f"consolidation quantifier {share:g}% taken as the share")
        if rel.get("status") == "INACTIVE" and end is None:
            notes.append("relationship INACTIVE per GLEIF, end date not given")
        notes.append(f"registration {reg.get('status')}, corroboration {reg.get('corroborationLevel')}")
        row["observed"] = self.date(reg.get("lastUpdateDate"), where, "lastUpdateDate", notes)
        row["note"] = "; ".join(notes)
        return row


def _quantifier(rel: dict[str, Any]) -> float | None:
    """The percentage of an RR-CDF relationship quantifier, if the record carries one."""
    for q in rel.get("quantifiers") or rel.get("relationshipQuantifiers") or []:
        if isinstance(q, dict) and str(q.get("quantifierUnits", "PERCENTAGE")).upper() == "PERCENTAGE":
            try:
                return float(q["quantifierAmount"])
            except (KeyError, TypeError, ValueError):
                continue
    return None


def _address_text(addr: Any) -> str | None:
    """One line for an address; None when it says no more than the country."""
    if not isinstance(addr, dict) or not any(addr.get(k) for k in ("addressLines", "city", "postalCode")):
        return None
    parts = [*(addr.get("addressLines") or []), addr.get("addressNumber"), addr.get("city"),
             addr.get("region"), addr.get("postalCode"), addr.get("country")]
    return ", ".join(str(p).strip() for p in parts if p and str(p).strip()) or None
