"""Beneficial Ownership Data Standard (BODS) 0.4 statements.

BODS (Open Ownership, https://standard.openownership.org) publishes statements about
``entity``, ``person`` and ``relationship`` records. A file is a package (a JSON
array of statements), one statement, or a JSON Lines stream (``.jsonl``); files
and folders are read together.

Versions: statements sharing a ``recordId`` are versions of one record (``recordStatus``
new, updated, closed). The latest by ``statementDate`` (then file order) is used and
its row's note says how many earlier statements it replaces, with their dates. An
update is ordinary BODS, not an input problem, so it is not reported as one; nor is
it turned into history, since updates do not reliably say when a superseded
interest ended (the examples keep the first ``startDate``). A ``closed``
relationship without ``endDate`` ends on the closing statement's date.

Entities ``bods:<recordId>`` (``bods:<statementId>`` without a ``recordId``):
``entityType`` registeredEntity / legalEntity -> ``company``, state / stateBody ->
``public_body``, arrangement / anonymousEntity / unknownEntity (or none) ->
``legal_entity``, the type and subtype (trust, nomination) in the note; persons ->
``person``. ``name``: the entity's ``name`` or the person's ``legal`` name, other
names -> ``aliases``; a record without a name is called ``(anonymous person, record
<id>)`` and the like, never a generic name that matching would merge.
``identifiers``: ``scheme:id``, scheme in lower case (``gb-coh:07444723``;
``XI-LEI`` -> ``lei`` to meet :mod:`graphkit.io.gleif`). ``country``: the
jurisdiction's (the ``jurisdiction`` column keeps ``US-DE``) or a registered
address's; for a person, the first nationality. Addresses become ``address``
entities ``bods:<recordId>/address/<n>`` with ``registered_at``. Note: founding,
dissolution, birth and death dates, other nationalities, tax residencies,
political exposure, public listing, unspecified reasons, annotations.

Relationships: one relation per interest, ``interestedParty -> subject``.
``shareholding``, ``votingRights`` and ``beneficiaryOfLegalArrangement`` (a trust's
equity) -> ``owns``, the interest type first in the note. Registers give shares and
votes side by side for one holding (tecido.json: 80% and 80%): the two ``owns``
relations of one pair are two statements about one holding, and
:mod:`graphkit.algorithms.restricted` reads them so (it intersects their ranges): they do
not add up to 160%; dual-class holdings (30% of shares, 60% of votes) come out as
an ``unknown`` 30-60%. appointmentOfBoard, otherInfluenceOrControl,
controlViaCompanyRulesOrArticles, controlByLegalFramework, settlor, trustee,
protector -> ``controls``. boardMember, boardChair, seniorManagingOfficial ->
``officer_of`` with ``role``. Rights to profit, income, surplus or assets and rights
by contract -> ``linked_to``, the share in the note (economic rights, not
ownership of the entity). nominee, nominator -> ``linked_to`` party -> arrangement, plus a
derived ``front_for`` from each nominee to each nominator of the arrangement.
unknownInterest, unpublishedInterest, no type, or no interests -> ``linked_to``.

Shares: ``exact`` -> both bounds, ``minimum``/``maximum`` as given. graphkit ranges
are closed, so ``exclusiveMinimum`` 25 -> ``share_min`` 25 and ``exclusiveMaximum`` 50
-> ``share_max`` 50, the note keeping the strict reading ("more than 25% to less
than 50%"). A bound outside 0..100 or not a number: Problem ``action="kept"``, the
relation stays with an unknown share. ``directOrIndirect: "indirect"``: the note
starts with ``indirect:``; such a relation restates end to end what its component
relationships say, and ownership aggregation must skip it or count twice.

Provenance: ``startDate``/``endDate`` -> ``start``/``end``; ``statementDate`` ->
``observed``; ``source_ref``: publisher, source URL or description, statement id and
file; ``confidence`` ``confirmed`` when ``source.type`` has officialRegister,
verified or selfDeclaration (a declaration to a register), else ``reported``. An
unspecified ``interestedParty`` or ``subject`` (reason, description) becomes a stub
``bods:<recordId>/interestedParty`` of kind ``legal_entity``; a reference to a
record not in the files is left to validation, which creates a stub and reports
it (``action="stub"``).

Problems name the file and, as the line, the statement's position in the array
(1..n) or its line in a ``.jsonl`` stream. Left out: declarations, securities
listings, PEP details beyond the reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from graphkit.errors import ReadError
from graphkit.graph import OwnershipGraph
from graphkit.io._json import JsonReader, Where, decode, files, get, parse
from graphkit.types import country as country_type

__all__ = ["read_bods"]

_ENTITY_KINDS = {"registeredEntity": "company", "legalEntity": "company", "state": "public_body",
                 "stateBody": "public_body", "arrangement": "legal_entity",
                 "anonymousEntity": "legal_entity", "unknownEntity": "legal_entity"}
_ROLES = {"boardMember": "board member", "boardChair": "board chair",
          "seniorManagingOfficial": "senior managing official"}
_INTERESTS: dict[str, str] = {
    **dict.fromkeys(("shareholding", "votingRights", "beneficiaryOfLegalArrangement"), "owns"),
    **dict.fromkeys(_ROLES, "officer_of"),
    **dict.fromkeys(("appointmentOfBoard", "otherInfluenceOrControl", "settlor", "trustee", "protector",
                     "controlViaCompanyRulesOrArticles", "controlByLegalFramework"), "controls"),
    **dict.fromkeys(("rightsToSurplusAssetsOnDissolution", "rightsToProfitOrIncome",
                     "rightsGrantedByContract", "conditionalRightsGrantedByContract",
                     "enjoymentAndUseOfAssets",
                     "rightToProfitOrIncomeFromAssets", "nominee", "nominator", "unknownInterest",
                     "unpublishedInterest"), "linked_to")}
_CONFIRMED = {"officialRegister", "verified", "selfDeclaration"}


def read_bods(paths: str | Path | Iterable[str | Path], *, strict: bool = False) -> OwnershipGraph:
    """Read BODS 0.4 statements: packages, single statements or JSON Lines streams.

    Parameters
    ----------
    paths : str, Path or iterable of them
        ``.json`` / ``.jsonl`` files, or folders (every such file in them and their
        subfolders). Records from all files are read together.
    strict : bool
        Raise GraphValidationError on any problem instead of reporting it.

    Returns
    -------
    OwnershipGraph
        Entities ``bods:<recordId>``, one relation per interest; ``graph.problems``
        give the file and the statement's number (``.jsonl``: its line).

    Raises
    ------
    ReadError
        A file is missing, not UTF-8, not JSON, or neither a statement nor an array.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> pub = {"publicationDate": "2020-03-04", "bodsVersion": "0.4", "publisher": {"name": "Register"}}
    >>> package = [
    ...     {"statementId": "s1", "recordId": "c1", "recordType": "entity", "statementDate": "2020-03-04",
    ...      "publicationDetails": pub, "recordDetails": {"entityType": {"type": "registeredEntity"},
    ...      "name": "Profitech Ltd", "identifiers": [{"scheme": "GB-COH", "id": "2063384560"}]}},
    ...     {"statementId": "s2", "recordId": "p1", "recordType": "person", "statementDate": "2020-03-04",
    ...      "publicationDetails": pub, "recordDetails": {"personType": "knownPerson",
    ...      "names": [{"type": "legal", "fullName": "Jennifer Hewitson-Smith"}]}},
    ...     {"statementId": "s3", "recordId": "r1", "recordType": "relationship",
    ...      "statementDate": "2020-03-04", "publicationDetails": pub, "recordDetails": {
    ...      "subject": "c1", "interestedParty": "p1", "interests": [{"type": "shareholding",
    ...      "share": {"minimum": 25, "exclusiveMaximum": 50}, "startDate": "2016-04-06"}]}}]
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "package.json"
    >>> _ = path.write_text(json.dumps(package))
    >>> g = read_bods(path)
    >>> g.relations[["source", "target", "kind", "share_min", "share_max", "note"]].values.tolist()
    [['bods:p1', 'bods:c1', 'owns', 25.0, 50.0, 'shareholding 25% to less than 50%']]
    """
    reader = _Reader()
    for path in files(paths, (".json", ".jsonl")):
        reader.read_file(path)
    return reader.graph(strict)


def _statements(path: Path) -> list[tuple[Any, int]]:
    """The statements of a file with their number (array position, or line for .jsonl)."""
    text = decode(path)
    if path.suffix == ".jsonl":
        return [(parse(line, path, n), n) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    doc = parse(text, path)
    doc = [doc] if isinstance(doc, dict) else doc
    if not isinstance(doc, list):
        raise ReadError(f"{path}: not a BODS package (expected an array of statements)")
    return [(s, n) for n, s in enumerate(doc, 1)]


def _person_names(details: dict[str, Any]) -> list[str]:
    """A person's names, the legal one first."""
    names = []
    for n in details.get("names") or []:
        if isinstance(n, dict):
            full = n.get("fullName") or " ".join(x for x in (n.get("givenName"), n.get("familyName")) if x)
            names += [(n.get("type") != "legal", full)] if full else []
    return list(dict.fromkeys(f for _, f in sorted(names, key=lambda t: t[0])))


class _Reader(JsonReader):
    def __init__(self) -> None:
        super().__init__()
        self.records: dict[str, list[tuple[str, int, dict[str, Any], Where]]] = {}
        self.ents: list[dict[str, Any]] = []
        self.rels: list[dict[str, Any]] = []

    def read_file(self, path: Path) -> None:
        for st, n in _statements(path):
            where = (str(path), n)
            if not isinstance(st, dict):
                self.problem("statement is not a JSON object", where, None, json.dumps(st))
                continue
            if st.get("recordType") not in ("entity", "person", "relationship"):
                hint = " (a BODS 0.2/0.3 statement: only 0.4 is read)" if "statementType" in st else ""
                self.problem(f"unknown recordType (known: entity, person, relationship){hint}",
                             where, "recordType", st.get("recordType"))
                continue
            rid = st.get("recordId") or st.get("statementId")
            if not rid or not isinstance(st.get("recordDetails"), dict):
                self.problem("statement without recordId/statementId or recordDetails", where,
                             "recordDetails" if rid else "recordId")
                continue
            versions = self.records.setdefault(str(rid), [])
            versions.append((str(st.get("statementDate") or ""), len(versions), st, where))

    def graph(self, strict: bool) -> OwnershipGraph:
        for rid, versions in self.records.items():
            *earlier, (_, _, st, where) = sorted(versions, key=lambda t: (t[0], t[1]))
            notes = [f"latest of {len(versions)} statements for this record (earlier: "
                     f"{', '.join(d[:10] for d, *_ in earlier)})"] if earlier else []
            if st.get("recordStatus") == "closed":
                notes.append(f"record closed on {str(st.get('statementDate'))[:10]}")
            notes += [f"annotation ({a.get('motivation')}): {a.get('description') or ''} {a.get('url') or ''}"
                      .strip() for a in st.get("annotations") or [] if isinstance(a, dict)]
            if st["recordType"] == "relationship":
                self._relationship(rid, st, where, notes)
            else:
                self._entity(rid, st, where, notes)
        self._fronts()
        return self.finish(self.ents, self.rels, strict)

    def _place(self, value: Any, where: Where, column: str, notes: list[str]) -> str | None:
        """Country of a BODS ``{code, name}``: a bad code is a Problem; a name is tried,
        and put in ``notes`` when not understood."""
        if not isinstance(value, dict):
            return None
        if value.get("code"):
            return self.country(value["code"], where, column, notes)
        try:
            return country_type.parse(value.get("name"))
        except ValueError:
            notes.append(f"{column} {value.get('name')}")
            return None

    def _provenance(self, st: dict[str, Any], where: Where) -> dict[str, Any]:
        source: dict[str, Any] = st["source"] if isinstance(st.get("source"), dict) else {}
        types = source.get("type") or []
        pub = get(st, "publicationDetails", "publisher")
        pub = pub if isinstance(pub, dict) else {}
        extra = source.get("url") or source.get("description") or ", ".join(map(str, types))
        ref = " / ".join(str(x) for x in (pub.get("name") or pub.get("url"), extra) if x)
        ref = f"{ref} (BODS statement {st.get('statementId')} in {Path(where[0]).name})".strip()
        return {"source_ref": ref,
                "confidence": "confirmed" if _CONFIRMED & set(types) else "reported",
                "_file": where[0], "_line": where[1]}

    def _entity(self, rid: str, st: dict[str, Any], where: Where, notes: list[str]) -> None:
        d = st["recordDetails"]
        if st["recordType"] == "person":
            kind, country = "person", None
            label = str(d.get("personType") or "person").replace("Person", " person")
            names = _person_names(d)
            for nat in d.get("nationalities") or []:
                country = country or self._place(nat, where, "nationalities", notes)
            for key, word, more in (("nationalities", "nationalities", 1),
                                    ("taxResidencies", "tax residencies", 0)):
                places = [str(x.get("code") or x.get("name")) for x in d.get(key) or []
                          if isinstance(x, dict)]
                notes += [f"{word} {', '.join(places)}"] if len(places) > more else []
            notes += [f"{w} {d[k]}" for k, w in (("birthDate", "born"), ("deathDate", "died")) if d.get(k)]
            if get(d, "politicalExposure", "status") == "isPep":
                why = "; ".join(str(x.get("reason")) for x in get(d, "politicalExposure", "details") or []
                                if isinstance(x, dict))
                notes.append("politically exposed person" + (f": {why}" if why else ""))
            unspecified = d.get("unspecifiedPersonDetails")
        else:
            raw = get(d, "entityType", "type")
            kind, label = _ENTITY_KINDS.get(str(raw), "legal_entity"), str(raw or "entity")
            if raw not in _ENTITY_KINDS:
                self.problem("unknown entityType; read as legal_entity", where, "entityType.type",
                             raw, "kept")
            detail = [get(d, "entityType", k) for k in ("subtype", "details")]
            if raw not in ("registeredEntity", "legalEntity") or any(detail):
                notes.insert(0, "BODS " + " / ".join(str(x) for x in (raw, *detail) if x))
            names = [d["name"]] if d.get("name") else []
            names += [a for a in d.get("alternateNames") or [] if isinstance(a, str)]
            country = self._place(d.get("jurisdiction"), where, "jurisdiction", notes)
            notes += [f"{w} {d[k]}" for k, w in (("foundingDate", "founded"),
                                                   ("dissolutionDate", "dissolved")) if d.get(k)]
            notes += ["publicly listed"] if get(d, "publicListing", "hasPublicListing") else []
            unspecified = d.get("unspecifiedEntityDetails")
        if isinstance(unspecified, dict):
            why = f"{unspecified.get('reason')} {unspecified.get('description') or ''}"
            notes.append(f"unspecified: {why.strip()}")
        idents = []
        for i in d.get("identifiers") or []:
            if isinstance(i, dict) and i.get("id"):
                scheme = str(i.get("scheme") or i.get("schemeName") or "id").strip()
                idents.append(f"{'lei' if scheme.upper() == 'XI-LEI' else scheme.lower()}:{i['id']}")
        prov = self._provenance(st, where)
        eid = f"bods:{rid}"
        for n, addr in enumerate(d.get("addresses") or [], 1):
            if isinstance(addr, dict) and addr.get("address"):
                text = str(addr["address"]).strip().rstrip(",")
                text += "".join(f", {x}" for x in (addr.get("postCode"), get(addr, "country", "name"))
                                if x and str(x) not in text)
                acountry = self._place(addr.get("country"), where, "addresses.country", [])
                country = country or (acountry if kind != "person" else None)
                self.ents.append({"id": f"{eid}/address/{n}", "name": text, "kind": "address",
                                  "country": acountry, "source_ref": prov["source_ref"],
                                  "_file": where[0], "_line": where[1]})
                self.rels.append({**prov, "id": f"{eid}/address/{n}/registered_at", "source": eid,
                                  "target": f"{eid}/address/{n}", "kind": "registered_at",
                                  "note": f"{addr.get('type') or 'unknown'} address",
                                  "observed": self.date(st.get("statementDate"), where, "statementDate", [])})
        self.ents.append({"id": eid, "name": names[0] if names else f"({label}, record {rid})", "kind": kind,
                          "aliases": names[1:], "country": country, "identifiers": idents,
                          "note": "; ".join(notes), "source_ref": prov["source_ref"],
                          "jurisdiction": get(d, "jurisdiction", "code") or get(d, "jurisdiction", "name"),
                          "_file": where[0], "_line": where[1]})

    def _party(self, rid: str, side: str, value: Any, st: dict[str, Any],
               where: Where) -> tuple[str | None, dict[str, Any] | None]:
        """Entity id for a subject / interestedParty, and a stub row if it is unspecified."""
        if isinstance(value, str) and value.strip():
            return f"bods:{value.strip()}", None
        if isinstance(value, dict) and value.get("reason"):
            why = f"{value['reason']} {value.get('description') or ''}".strip()
            return f"bods:{rid}/{side}", {
                "id": f"bods:{rid}/{side}", "name": f"(unspecified {side}: {value['reason']})",
                "kind": "legal_entity", "note": f"Stub: unspecified {side} of relationship {rid}: {why}",
                "source_ref": self._provenance(st, where)["source_ref"], "_file": where[0], "_line": where[1]}
        self.problem(f"relationship without a usable {side}", where, side, value)
        return None, None

    def _relationship(self, rid: str, st: dict[str, Any], where: Where, notes: list[str]) -> None:
        d = st["recordDetails"]
        (target, stub1), (source, stub2) = (self._party(rid, side, d.get(side), st, where)
                                            for side in ("subject", "interestedParty"))
        if source is None or target is None:
            return
        self.ents += [row for row in (stub1, stub2) if row]
        base = {**self._provenance(st, where), "source": source, "target": target,
                "observed": self.date(st.get("statementDate"), where, "statementDate", notes)}
        closed_on = base["observed"] if st.get("recordStatus") == "closed" else None
        via = [f"via {len(d['componentRecords'])} component records"] if d.get("componentRecords") else []
        interests = [i for i in d.get("interests") or [] if isinstance(i, dict)]
        if not interests:
            self.rels.append({**base, "id": f"bods:{rid}", "kind": "linked_to", "end": closed_on,
                              "note": "; ".join(["no interests stated", *notes])})
        for n, it in enumerate(interests, 1):
            itype, col = it.get("type"), f"interests[{n - 1}]"
            kind = _INTERESTS.get(str(itype), "linked_to")
            if itype is not None and str(itype) not in _INTERESTS:
                self.problem("unknown interest type; read as linked_to", where, f"{col}.type", itype, "kept")
            own: list[str] = [str(it["details"])] if it.get("details") else []
            lo, hi, share = self._share(it.get("share"), where, f"{col}.share", own)
            own += ["beneficial ownership or control"] if it.get("beneficialOwnershipOrControl") else []
            start = self.date(it.get("startDate"), where, f"{col}.startDate", own)
            end = self.date(it.get("endDate"), where, f"{col}.endDate", own) or closed_on
            label = f"{itype or 'interest type not given'}{' ' + share if share else ''}"
            indirect = it.get("directOrIndirect") == "indirect"
            row = {**base, "id": f"bods:{rid}/{n}", "kind": kind, "start": start, "end": end,
                   "_interest": itype, "indirect": indirect, "note": ("indirect: " if indirect else "")
                   + "; ".join([label, *own, *(via if indirect else []), *notes])}
            row.update({"share_min": lo, "share_max": hi} if kind == "owns" else {})
            row.update({"role": _ROLES[str(itype)]} if kind == "officer_of" else {})
            self.rels.append(row)

    def _share(self, share: Any, where: Where, column: str, notes: list[str]) -> tuple[Any, Any, str]:
        """Closed share bounds and a text for the note; a bad bound leaves the share unknown."""
        if not isinstance(share, dict):
            return None, None, ""
        vals: dict[str, float] = {}
        for key in ("exact", "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
            v = share.get(key)
            if v is None:
                continue
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 100:
                self.problem("share bound is not a number from 0 to 100; the share is left unknown",
                             where, f"{column}.{key}", v, "kept")
                notes.append(f"share {key} as given: {v}")
                return None, None, ""
            vals[key] = float(v)
        if "exact" in vals:
            return vals["exact"], vals["exact"], f"{vals['exact']:g}%"
        lo = vals.get("minimum", vals.get("exclusiveMinimum"))
        hi = vals.get("maximum", vals.get("exclusiveMaximum"))
        if lo is not None and hi is not None and lo > hi:
            self.problem("share minimum is above its maximum; the share is left unknown", where, column,
                         json.dumps(share), "kept")
            return None, None, ""
        low = "" if lo is None else ("" if "minimum" in vals else "more than ") + f"{lo:g}%"
        high = "" if hi is None else ("at most " if "maximum" in vals else "less than ") + f"{hi:g}%"
        return lo, hi, f"{low} to {high}" if low and high else low or high

    def _fronts(self) -> None:
        """Derive ``front_for`` nominee -> nominator within each nomination arrangement."""
        sides: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for r in self.rels:
            if r.get("_interest") in ("nominee", "nominator"):
                sides.setdefault((r["target"], r["_interest"]), []).append(r)
        for (arrangement, side), nominees in sorted(sides.items()):
            for nee in nominees if side == "nominee" else []:
                for nor in sides.get((arrangement, "nominator"), []):
                    starts = [s for s in (nee.get("start"), nor.get("start")) if s]
                    ends = [e for e in (nee.get("end"), nor.get("end")) if e]
                    self.rels.append({
                        **{k: nee[k] for k in ("source_ref", "confidence", "observed", "_file", "_line")},
                        "id": f"{nee['id']}/front_for/{nor['source'][5:]}", "kind": "front_for",
                        "source": nee["source"], "target": nor["source"], "start": max(starts, default=None),
                        "end": min(ends, default=None),
                        "note": "derived: nominee and nominator of the nomination arrangement "
                                f"{arrangement}"})
