"""Readers and writers, one module per format.

Every reader returns an :class:`~graphkit.graph.OwnershipGraph` whose ``problems``
list names each row it could not use (file, line, column, why) — nothing is dropped
silently. Pass ``strict=True`` to raise instead.
"""

from graphkit.io.csv import read_csv, read_excel, read_tables
from graphkit.io.parquet import load

__all__ = ["load", "read_csv", "read_excel", "read_tables"]
