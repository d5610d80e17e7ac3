"""Tiny built-in graphs for examples and doctests, and the path of the seed case."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from graphkit.graph import OwnershipGraph

__all__ = ["example_graph", "seed_path"]


def example_graph() -> OwnershipGraph:
    """A five-entity graph: a listed parent, its subsidiary, a front and a cloud provider.

    >>> example_graph()
    <OwnershipGraph: 5 entities, 4 relations, 1 listing>
    """
    ents = pd.DataFrame({
        "id": ["parent", "sub", "buyer", "cloud", "other"],
        "name": ["Parent Group", "Sub Ltd", "Buyer Trading Ltd", "Cloud Co", "Other Ltd"],
        "kind": ["company"] * 5,
        "roles": [None, None, "buyer", "cloud_provider", None],
    })
    rels = pd.DataFrame({
        "source": ["parent", "buyer", "buyer", "other"],
        "target": ["sub", "sub", "cloud", "cloud"],
        "kind": ["owns", "front_for", "rents_compute_from", "rents_compute_from"],
        "share": ["60", None, None, None],
        "confidence": ["confirmed", "reported", "confirmed", "suspected"],
        "source_ref": ["example"] * 4,
    })
    lists = pd.DataFrame({"entity": ["parent"], "list": ["us-bis-entity-list"],
                          "start": ["2019-10-09"], "source_ref": ["example"],
                          "confidence": ["confirmed"]})
    return OwnershipGraph.from_frames(ents, rels, lists)


def seed_path() -> Path:
    """Folder of the seed investigation (``data/seed`` in a checkout, bundled in a wheel)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_seed", here.parent / "data" / "seed"):
        if (candidate / "entities.csv").is_file():
            return candidate
    raise FileNotFoundError("the seed investigation is not installed (data/seed/entities.csv)")
