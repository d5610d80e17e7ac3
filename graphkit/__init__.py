"""graphkit: trace how companies on restricted-party lists reach what they are barred from.

Read lists and registers into one :class:`OwnershipGraph`, then ask questions:

>>> import graphkit as gk
>>> g = gk.example_graph()
>>> [p.nodes[-1] for p in gk.paths(g, "buyer", as_of="2024-01-01")]
['parent']
"""

from graphkit import neo4j, viz  # gk.neo4j.push / pull / paths; the driver loads lazily
from graphkit.algorithms.ownership import effective_ownership, ultimate_owners
from graphkit.algorithms.paths import Path, paths, paths_frame
from graphkit.algorithms.restricted import restricted
from graphkit.algorithms.screen import screen
from graphkit.display import show
from graphkit.duplicates import duplicates, join_same
from graphkit.errors import GraphkitError, GraphValidationError, NodeNotFound, Problem, ReadError
from graphkit.examples import example_graph, seed_path
from graphkit.graph import OwnershipGraph, merge
from graphkit.io import load, read_csv, read_excel, read_tables
from graphkit.io.bods import read_bods
from graphkit.io.dod1260h import read_dod1260h, read_ndaa889
from graphkit.io.fcc import read_fcc_covered
from graphkit.io.ftm import read_ftm
from graphkit.io.gleif import read_gleif
from graphkit.io.ofac import read_ofac
from graphkit.model import get_model
from graphkit.resolve import MatchInputError, NameIndex, match
from graphkit.rules import Rule, RuleError, get_rule, rules
from graphkit.viz import to_html

__version__ = "0.1.0"

__all__ = [
    "GraphValidationError", "GraphkitError", "MatchInputError", "NameIndex", "NodeNotFound", "OwnershipGraph", "Path", "Problem",
    "ReadError", "Rule", "RuleError", "duplicates", "effective_ownership", "example_graph", "get_model",
    "get_rule", "join_same", "load", "match", "merge", "neo4j", "paths", "paths_frame", "read_bods", "read_csv",
    "read_dod1260h", "read_excel", "read_fcc_covered", "read_ftm", "read_gleif", "read_ndaa889", "read_ofac",
    "read_tables", "restricted", "rules", "screen", "seed_path", "show", "to_html", "ultimate_owners", "viz",
]
