"""Shared pieces of the JSON readers (GLEIF, BODS): files, decoding, parsing, problems."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from graphkit.errors import GraphValidationError, Problem, ReadError
from graphkit.graph import OwnershipGraph
from graphkit.types import country as country_type
from graphkit.types import date as date_type

__all__ = ["JsonReader", "Where", "decode", "files", "get", "parse"]

Where = tuple[str, int]


def files(paths: str | Path | Iterable[str | Path], suffixes: tuple[str, ...] = (".json",)) -> list[Path]:
    """Files to read: each file given, and those ending in ``suffixes`` under each folder."""
    out: list[Path] = []
    for item in [paths] if isinstance(paths, (str, Path)) else list(paths):
        p = Path(item)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix in suffixes)
            if not found:
                raise ReadError(f"{p}: no {' or '.join(suffixes)} files in this folder")
            out += found
        elif p.is_file():
            out.append(p)
        else:
            raise ReadError(f"{p}: no such file or folder")
    return out


def decode(path: Path) -> str:
    """The text of a UTF-8 file (BOM accepted); ReadError at line:column of a bad byte."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ReadError(f"{path}:{line}:{col}: byte {data[exc.start:exc.start + 1]!r} is not "
                        "valid UTF-8 (JSON must be UTF-8)") from None


def parse(text: str, path: Path, line: int | None = None) -> Any:
    """Parse JSON; ReadError at line:column (``line``: the text is that line of the file)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(f"{path}:{line or exc.lineno}:{exc.colno}: not valid JSON ({exc.msg})") from None


def get(obj: Any, *keys: str) -> Any:
    """Nested dict lookup that tolerates missing levels and nulls."""
    for k in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(k)
    return obj


class JsonReader:
    """What the JSON readers share: problems, value parsing, building the graph."""

    entity_columns = ["id", "name", "kind", "aliases", "country", "identifiers", "note", "source_ref",
                      "jurisdiction", "_file", "_line"]
    relation_columns = ["id", "source", "target", "kind", "share_min", "share_max", "start", "end",
                        "observed", "confidence", "source_ref", "role", "indirect", "note", "_file", "_line"]

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, message: str, where: Where, column: str | None = None,
                value: object = None, action: str = "rejected") -> None:
        self.problems.append(Problem(message, file=where[0], line=where[1], column=column,
                                     value=None if value is None else str(value)[:200], action=action))

    def date(self, value: object, where: Where, column: str, notes: list[str]) -> str | None:
        """ISO date; a bad one gives None, a Problem (kept) and the raw value in ``notes``."""
        try:
            return date_type.parse(value)
        except ValueError as exc:
            self.problem(f"{exc}; left empty", where, column, value, "kept")
            notes.append(f"{column} as given: {value}")
            return None

    def country(self, value: object, where: Where, column: str, notes: list[str]) -> str | None:
        """ISO country code (``US-DE`` gives ``US``); a bad one as in :meth:`date`."""
        code = str(value or "").strip()
        try:
            return country_type.parse(code[:2] if len(code) > 3 and code[2] == "-" else code)
        except ValueError as exc:
            self.problem(f"{exc}; left empty", where, column, value, "kept")
            notes.append(f"{column} as given: {value}")
            return None

    def finish(self, ents: list[dict[str, Any]], rels: list[dict[str, Any]], strict: bool) -> OwnershipGraph:
        if strict and self.problems:
            raise GraphValidationError(self.problems)
        return OwnershipGraph.from_frames(
            pd.DataFrame(ents, columns=self.entity_columns),
            pd.DataFrame(rels, columns=self.relation_columns),
            None, on_error="raise" if strict else "report", problems=self.problems)
