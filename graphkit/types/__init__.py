"""Value types: cleaning and validation of shares, dates and country codes.

Each type is a small module with a scalar ``parse`` function (raises ``ValueError``
with a plain message) used by readers, and vectorised helpers used by the graph.
"""

from graphkit.types import country, date, share

__all__ = ["country", "date", "share"]
