"""One module per investigator's question; each function is pure (never changes the graph)."""

from graphkit.algorithms.ownership import effective_ownership, ultimate_owners
from graphkit.algorithms.paths import Path, paths, paths_frame
from graphkit.algorithms.restricted import restricted

__all__ = ["Path", "effective_ownership", "paths", "paths_frame", "restricted", "ultimate_owners"]
