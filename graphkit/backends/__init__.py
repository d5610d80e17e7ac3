"""Where a graph lives: in memory (the reference) or in Neo4j, behind one small contract.

>>> from graphkit.backends import MemoryBackend, Backend
>>> isinstance(MemoryBackend(), Backend)
True

``Neo4jBackend`` is imported on first use, so graphkit works without the ``neo4j``
driver; without it, making one raises :class:`MissingDependency` saying
``pip install graphkit[neo4j]``.
"""

from __future__ import annotations

from typing import Any

from graphkit.backends.base import (
    Backend,
    BackendError,
    Batch,
    MissingDependency,
    PushError,
    PushReport,
)
from graphkit.backends.memory import MemoryBackend

__all__ = ["Backend", "BackendError", "Batch", "MemoryBackend", "MissingDependency", "Neo4jBackend",
           "PushError", "PushReport"]


def __getattr__(name: str) -> Any:
    if name == "Neo4jBackend":
        from graphkit.backends.neo4j import Neo4jBackend

        return Neo4jBackend
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
