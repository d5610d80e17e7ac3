"""One module per investigator's question; each function is pure (never changes the graph)."""

from graphkit.algorithms.paths import Path, paths, paths_frame

__all__ = ["Path", "paths", "paths_frame"]
