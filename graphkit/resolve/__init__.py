"""Name resolution: match messy names to the entities of a graph.

>>> import graphkit as gk
>>> from graphkit.resolve import match, NameIndex
>>> index = NameIndex.from_graph(gk.example_graph())
>>> match(["Sub Limited"], index=index)[["id", "status"]].values.tolist()
[['sub', 'matched']]

See :func:`match` for the result columns and :mod:`graphkit.resolve.normalise` for what
normalisation does (legal forms, abbreviations, Chinese characters to pinyin, other scripts,
Russian organisation words and the acronyms of Russian names).
"""

from graphkit.resolve.index import NameIndex
from graphkit.resolve.match import DEFAULT_THRESHOLD, MatchInputError, match
from graphkit.resolve.normalise import Normalised, normalise

__all__ = ["DEFAULT_THRESHOLD", "MatchInputError", "NameIndex", "Normalised", "match",
           "normalise"]
