"""Errors and problem reports.

Every complaint graphkit makes about input names *where* (file, line, column or
field) and *what*. Readers collect :class:`Problem` records instead of dropping
rows; :class:`GraphValidationError` carries all problems found at once, so an
investigator can fix a file in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

import pandas as pd

__all__ = [
    "GraphkitError",
    "GraphValidationError",
    "NodeNotFound",
    "Problem",
    "ReadError",
    "problems_frame",
]


class GraphkitError(Exception):
    """Base class of every error graphkit raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, and where it is.

    ``action`` says what graphkit did about it: ``rejected`` (the row is not in
    the graph), ``kept`` (the row is in the graph, the odd value noted),
    ``stub`` (a missing entity was created so no relation is lost), ``check``
    (the rows are in the graph as given, but their facts cannot all be true, such
    as owners' shares adding up to more than 100%: a person should check the
    sources; this one never stops a graph from being built, even in strict mode).
    """

    message: str
    file: str | None = None
    line: int | None = None
    column: str | None = None
    table: str | None = None
    row: int | None = None
    value: str | None = None
    action: str = "rejected"

    def where(self) -> str:
        """Location in the form ``file:line, column 'x'`` (parts that are known)."""
        parts: list[str] = []
        loc = self.file or self.table or ""
        if self.line is not None:
            loc = f"{loc}:{self.line}" if loc else f"line {self.line}"
        elif self.row is not None:
            loc = f"{loc} row {self.row}" if loc else f"row {self.row}"
        if loc:
            parts.append(loc)
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        value = f" (value {self.value!r})" if self.value is not None else ""
        return f"{where}: {self.message}{value}" if where else f"{self.message}{value}"


def problems_frame(problems: Iterable[Problem]) -> pd.DataFrame:
    """Problems as a DataFrame, one row each, for display or export."""
    cols = [f.name for f in Problem.__dataclass_fields__.values()]
    rows = [asdict(p) for p in problems]
    return pd.DataFrame(rows, columns=cols)


@dataclass
class GraphValidationError(GraphkitError):
    """The input frames or files do not make a valid graph.

    ``problems`` lists every problem found (not only the first).
    """

    problems: Sequence[Problem] = field(default_factory=list)
    limit: int = 20

    def __str__(self) -> str:
        n = len(self.problems)
        head = [f"{n} problem{'s' if n != 1 else ''} in the input:"]
        head += [f"  - {p}" for p in self.problems[: self.limit]]
        if n > self.limit:
            head.append(f"  ... and {n - self.limit} more (see .problems)")
        return "\n".join(head)


class ReadError(GraphkitError):
    """A file cannot be read at all (missing, wrong encoding, not the expected format)."""


class NodeNotFound(GraphkitError, KeyError):
    """An entity id asked for is not in the graph."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else "entity not found"
