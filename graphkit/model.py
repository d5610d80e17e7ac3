"""The data model, loaded once from the YAML files in ``graphkit/schema/``.

Kinds of entity and relation, list codes, confidence levels and the layout of the
three tables are data. Adding a list or a relation kind is a YAML edit; this module
only reads and checks those files and answers questions about them.

Examples
--------
>>> m = get_model()
>>> m.is_a("company", "legal_entity")
True
>>> m.relation("owns").has_share
True
>>> "us-ofac-sdn" in m.lists
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from graphkit.errors import GraphkitError

__all__ = ["Column", "EntityKind", "Model", "RelationKind", "ListCode", "get_model"]


@dataclass(frozen=True)
class EntityKind:
    name: str
    label: str
    description: str
    ancestors: frozenset[str]  # includes the kind itself


@dataclass(frozen=True)
class RelationKind:
    name: str
    label: str
    direction: str
    source_kinds: tuple[str, ...]
    target_kinds: tuple[str, ...]
    has_share: bool
    traverse: str  # both | forward | backward
    verb: str
    inverse: str
    properties: tuple[str, ...]


@dataclass(frozen=True)
class ListCode:
    code: str
    label: str
    authority: str
    legal_basis: str
    effect: str
    url: str


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool
    doc: str


@dataclass(frozen=True)
class Model:
    """Everything declared under ``graphkit/schema/``."""

    entity_kinds: dict[str, EntityKind]
    relation_kinds: dict[str, RelationKind]
    lists: dict[str, ListCode]
    roles: dict[str, str]
    confidence: dict[str, float]  # level -> path penalty, strongest first
    default_confidence: str
    tables: dict[str, dict[str, Column]]
    extra: dict[str, Any] = field(default_factory=dict)

    def is_a(self, kind: str, ancestor: str) -> bool:
        """True when entity kind ``kind`` is ``ancestor`` or extends it."""
        k = self.entity_kinds.get(kind)
        return k is not None and ancestor in k.ancestors

    def relation(self, kind: str) -> RelationKind:
        """The relation kind called ``kind``."""
        try:
            return self.relation_kinds[kind]
        except KeyError:
            known = ", ".join(self.relation_kinds)
            raise GraphkitError(f"unknown relation kind {kind!r}; known kinds: {known}") from None

    def kinds_extending(self, ancestor: str) -> set[str]:
        """Entity kinds that are ``ancestor`` or extend it."""
        return {n for n, k in self.entity_kinds.items() if ancestor in k.ancestors}

    def party_sort(self, kind: object) -> str | None:
        """``"person"`` or ``"organisation"`` for a legal entity kind, None for any other
        (address, data centre, unknown). Two records can be one party (``same_as``) only
        when they are of the same sort.

        >>> get_model().party_sort("company"), get_model().party_sort("person"), get_model().party_sort("address")
        ('organisation', 'person', None)
        """
        k = self.entity_kinds.get(str(kind))
        if k is None or "legal_entity" not in k.ancestors:
            return None
        return "person" if "person" in k.ancestors else "organisation"


def _read_yaml(name: str) -> dict[str, Any]:
    text = resources.files("graphkit.schema").joinpath(name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise GraphkitError(f"graphkit/schema/{name} must hold a mapping")
    return data


def _resolve_kinds(raw: dict[str, dict[str, Any]]) -> dict[str, EntityKind]:
    out: dict[str, EntityKind] = {}

    def ancestors(name: str, seen: tuple[str, ...]) -> frozenset[str]:
        if name in seen:
            raise GraphkitError(f"entity kinds extend each other in a loop: {' -> '.join(seen + (name,))}")
        spec = raw.get(name)
        if spec is None:
            raise GraphkitError(f"entity kind {seen[-1]!r} extends unknown kind {name!r}")
        parent = spec.get("extends")
        up = ancestors(parent, seen + (name,)) if parent else frozenset()
        return up | {name}

    for name, spec in raw.items():
        out[name] = EntityKind(name, spec.get("label", name), spec.get("description", ""),
                               ancestors(name, ()))
    return out


@lru_cache(maxsize=1)
def get_model() -> Model:
    """Load and check the schema (cached: the files are read once per process)."""
    ents = _read_yaml("entities.yaml")
    rels = _read_yaml("relations.yaml")
    lists = _read_yaml("lists.yaml")
    tables = _read_yaml("tables.yaml")
    entity_kinds = _resolve_kinds(ents["kinds"])
    relation_kinds: dict[str, RelationKind] = {}
    for name, spec in rels["kinds"].items():
        for side in ("source_kinds", "target_kinds"):
            for k in spec.get(side, []):
                if k not in entity_kinds:
                    raise GraphkitError(f"relation kind {name!r}: {side} names unknown kind {k!r}")
        traverse = spec.get("traverse", "both")
        if traverse not in ("both", "forward", "backward"):
            raise GraphkitError(f"relation kind {name!r}: traverse must be both, forward or backward")
        relation_kinds[name] = RelationKind(
            name=name, label=spec.get("label", name), direction=spec.get("direction", ""),
            source_kinds=tuple(spec.get("source_kinds", ["legal_entity"])),
            target_kinds=tuple(spec.get("target_kinds", ["legal_entity"])),
            has_share=bool(spec.get("share", False)), traverse=traverse,
            verb=spec.get("verb", name), inverse=spec.get("inverse", name),
            properties=tuple(spec.get("properties", [])),
        )
    confidence = {k: float(v.get("penalty", 0.0)) for k, v in rels["confidence"].items()}
    default_conf = rels.get("default_confidence", "reported")
    if default_conf not in confidence:
        raise GraphkitError(f"default_confidence {default_conf!r} is not a confidence level")
    list_codes = {
        code: ListCode(code, s.get("label", code), s.get("authority", ""), s.get("legal_basis", ""),
                       s.get("effect", ""), s.get("url", ""))
        for code, s in lists["lists"].items()
    }
    table_cols = {
        t: {c: Column(c, s["type"], bool(s.get("required", False)), s.get("doc", ""))
            for c, s in cols.items()}
        for t, cols in tables.items()
    }
    return Model(entity_kinds, relation_kinds, list_codes, dict(ents.get("roles", {})),
                 confidence, default_conf, table_cols)
