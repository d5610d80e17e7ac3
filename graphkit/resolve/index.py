"""A blocking index over entity names, aliases and identifiers.

A batch of names is never compared with every entity: each name entry (main name or alias)
is filed under a few *blocking keys* made from its normalised tokens, and a query is only
scored against the entries that share its rarest keys.

Blocking keys of a normalised name (see :mod:`graphkit.resolve.blocking`): every token,
adjacent tokens written together, the ends of long tokens, the whole key without spaces
and the initials of the name in several forms (so an acronym finds the long name).


Keys are weighted by rarity (inverse document frequency); very common keys (``china``,
``technology``) are only used when a name has nothing rarer.
"""

from __future__ import annotations

import gc
import heapq
import logging
import math
from array import array
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import numpy as np
from tqdm.auto import tqdm

from graphkit.errors import GraphkitError
from graphkit.resolve.blocking import _ENDS, _Form, _forms, blocking_keys, query_keys
from graphkit.resolve.blocking import (
    _legal_tail as _legal_tail,  # re-exported (tests import it here)
)
from graphkit.resolve.normalise import Normalised

if TYPE_CHECKING:
    from graphkit.graph import OwnershipGraph

__all__ = ["NameIndex", "blocking_keys", "normalise_identifier"]

log = logging.getLogger(__name__)

_BUDGET = 600  # postings read per query at most (beyond the rarest key)
_MAX_DF = 500  # keys filed under more entries than this are used only as a last resort
# (NameIndex.candidates relies on _MAX_DF <= _BUDGET: tests/resolve/test_rules_m5.py checks it)
_CACHE = 200_000  # names whose forms are kept while building (names repeat: people, units)


def normalise_identifier(value: str) -> tuple[str | None, str]:
    """Split ``scheme:value`` and normalise the value (upper case, no spaces, dots or dashes).

    The scheme is lower case, or None when the text has none.

    >>> normalise_identifier("lei: 5493001kjtiigc8y1r12")
    ('lei', '5493001KJTIIGC8Y1R12')
    >>> normalise_identifier("91110108-MA01")
    (None, '91110108MA01')
    """
    scheme: str | None = None
    text = str(value).strip()
    head, sep, tail = text.partition(":")
    if sep and head.strip() and head.strip().replace("_", "").replace("-", "").isalnum() \
            and not head.strip().isdigit():
        scheme, text = head.strip().lower(), tail
        # OFAC style keeps a country in the middle: "reg:cn:12345"
        mid, sep2, rest = text.partition(":")
        if sep2 and len(mid.strip()) == 2 and mid.strip().isalpha():
            text = rest
    return scheme, "".join(ch for ch in text.upper() if ch.isalnum())


class _KeyIds(dict[str, int]):
    """Blocking key -> number, a new key getting the next number when first looked up.

    >>> ids = _KeyIds()
    >>> [ids[k] for k in ("huawei", "tech", "huawei")]
    [0, 1, 0]
    """

    def __missing__(self, key: str) -> int:
        number = self[key] = len(self)
        return number


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector (the index makes millions of small objects
    and no reference cycles; collecting would only walk them again and again)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _postings(post_key: array[int], n_keys: array[int], n_key_ids: int
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group postings by key: (entries key after key, each key's start, entries per key).

    ``post_key`` lists the key numbers of entry 0, then of entry 1, ...; ``n_keys`` says how
    many each entry has. Within a key, entries stay in increasing order.

    >>> post, ptr, counts = _postings(array("i", [0, 1, 1, 2]), array("i", [2, 2]), 3)
    >>> post.tolist(), ptr.tolist(), counts.tolist()
    ([0, 0, 1, 1], [0, 1, 3, 4], [1, 2, 1])
    """
    keys = np.frombuffer(post_key, dtype=np.int32)
    # one sort of (key, entry) pairs packed in 64 bits: by key, then entry (a stable order)
    packed = keys.astype(np.int64)
    packed <<= 32
    packed |= np.repeat(np.arange(len(n_keys), dtype=np.int32),
                        np.frombuffer(n_keys, dtype=np.int32))
    packed.sort()
    post = packed.astype(np.int32)  # the low 32 bits: the entry
    del packed
    counts = np.bincount(keys, minlength=n_key_ids)
    ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return post, ptr, counts


def _as_list(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and value != value):
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(";") if v.strip()]
    try:
        return [str(v) for v in value if isinstance(v, str) and v.strip()]
    except TypeError:
        return []


class NameIndex:
    """Entities' names, aliases and identifiers, ready to be matched against many queries.

    Build it once (:meth:`from_graph` or :meth:`from_names`) and pass it to
    :func:`graphkit.resolve.match` for every batch.

    Parameters
    ----------
    ids : sequence of str
        Entity ids, one per entity.
    names : sequence of str
        Main name of each entity.
    aliases : sequence of (list of str or ';'-separated str or None), optional
        Other names of each entity (a.k.a., former names, names in other scripts).
    countries : sequence of (str or None), optional
        ISO 3166-1 alpha-2 country of each entity.
    identifiers : sequence of (list of str or None), optional
        ``scheme:value`` identifiers of each entity (``lei:...``, ``uscc:...``).
    progress : bool or None, optional
        Show a tqdm bar while building (None: only on a terminal).

    Examples
    --------
    >>> idx = NameIndex.from_names(["a", "b"], ["Huawei Technologies Co., Ltd.", "ZTE Corp"],
    ...                            aliases=[["华为技术有限公司"], None])
    >>> len(idx), idx.n_entries
    (2, 3)
    """

    def __init__(self, ids: Sequence[str], names: Sequence[str], *,
                 aliases: Sequence[Any] | None = None, countries: Sequence[Any] | None = None,
                 identifiers: Sequence[Any] | None = None, progress: bool | None = None) -> None:
        n = len(ids)
        for label, seq in (("names", names), ("aliases", aliases), ("countries", countries),
                           ("identifiers", identifiers)):
            if seq is not None and len(seq) != n:
                raise GraphkitError(f"NameIndex: {label} has {len(seq)} items, ids has {n}")
        self.ids: list[str] = [str(i) for i in ids]
        self.names: list[str] = ["" if v is None else str(v) for v in names]
        self.countries: list[str | None] = (
            [c if isinstance(c, str) and c else None for c in countries] if countries is not None
            else [None] * n)
        self._position = {e: i for i, e in enumerate(self.ids)}
        # one entry per name or alias
        entity = array("i")
        alias = array("b")
        part = array("b")  # 1: the entry is a part of its text (one of its variants)
        self.entry_text: list[str] = []
        self.entry_key: list[str] = []
        self.entry_legal: list[tuple[str, ...]] = []
        # acronyms of names in Cyrillic or transliterated Russian (Normalised.acronyms)
        self.entry_acronyms: dict[int, tuple[str, ...]] = {}
        interned: dict[tuple[str, ...], tuple[str, ...]] = {}
        key_ids = _KeyIds()
        post_key = array("i")    # blocking-key numbers of every entry, entry after entry
        n_keys = array("i")      # how many of them each entry has
        cache: dict[str, tuple[_Form, ...]] = {}
        it: Iterable[int] = range(n)
        if progress is not False:
            it = tqdm(it, total=n, desc="indexing names", unit="entity", disable=None if progress is None else not progress, leave=False)
        names_ = self.names
        entry_key, entry_text, entry_legal = self.entry_key, self.entry_text, self.entry_legal
        with _gc_paused():  # millions of small objects, no cycles: collecting only costs time
            for i in it:
                seen: dict[str, int] = {}  # key -> entry, for this entity
                texts = [names_[i], *_as_list(aliases[i])] if aliases is not None else [names_[i]]
                for ti, text in enumerate(texts):
                    forms = cache.get(text)
                    if forms is None:
                        forms = _forms(text, interned)
                        if len(cache) < _CACHE:
                            cache[text] = forms
                    for form in forms:
                        if form.key in seen:
                            if form.whole:  # a part of the name that is also a whole alias
                                part[seen[form.key]] = 0
                            continue
                        e = len(entry_key)
                        seen[form.key] = e
                        entity.append(i)
                        alias.append(1 if ti else 0)
                        part.append(0 if form.whole else 1)
                        entry_text.append(text)
                        entry_key.append(form.key)
                        entry_legal.append(form.legal)
                        if form.acronyms:
                            self.entry_acronyms[e] = form.acronyms
                        kids = form.key_ids(key_ids)
                        post_key.extend(kids)
                        n_keys.append(len(kids))
            del cache
            _ENDS.clear()  # the ends of this build's words: queries do not use them
            self._post, self._ptr, counts = _postings(post_key, n_keys, len(key_ids))
            del post_key
            self._identifiers(n, identifiers)
        self.entry_entity = np.frombuffer(entity, dtype=np.int32).copy()
        self.entry_is_alias = np.frombuffer(alias, dtype=np.int8).astype(bool)
        #: True when the entry is a name or alias with a part left out (:func:`variants`: its
        #: bracketed ending, a dedication, an affiliation); a name in brackets is not a part
        self.entry_is_part = np.frombuffer(part, dtype=np.int8).astype(bool)
        self.part_entries: frozenset[int] = frozenset(np.flatnonzero(self.entry_is_part).tolist())
        self._keys: dict[str, int] = key_ids  # a _KeyIds: look up with .get or "in" only
        n_entries = max(len(self.entry_key), 1)
        self._idf = np.log(1.0 + n_entries / np.maximum(counts, 1)).astype(np.float32)
        log.debug("NameIndex: %d entities, %d names, %d blocking keys", n, n_entries, len(key_ids))

    def _identifiers(self, n: int, identifiers: Sequence[Any] | None) -> None:
        """Index the identifiers: normalised value -> entity positions."""
        self._ident: dict[str, list[int]] = {}
        self.identifiers: list[list[str]] = [[] for _ in range(n)]
        if identifiers is not None:
            for i, vals in enumerate(identifiers):
                for raw in _as_list(vals):
                    scheme, value = normalise_identifier(raw)
                    if len(value) < 4:
                        continue
                    self.identifiers[i].append(f"{scheme}:{value}" if scheme else value)
                    self._ident.setdefault(value, []).append(i)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_names(cls, ids: Sequence[str], names: Sequence[str], *,
                   aliases: Sequence[Any] | None = None, countries: Sequence[Any] | None = None,
                   identifiers: Sequence[Any] | None = None,
                   progress: bool | None = None) -> NameIndex:
        """Index plain sequences; see the class docstring for the parameters."""
        return cls(ids, names, aliases=aliases, countries=countries, identifiers=identifiers,
                   progress=progress)

    @classmethod
    def from_graph(cls, g: OwnershipGraph, *, kinds: Iterable[str] | None = None,
                   progress: bool | None = None) -> NameIndex:
        """Index every entity of a graph (or only those of the given ``kinds``).

        Uses the entity columns ``id``, ``name``, ``aliases``, ``country``, ``identifiers``.

        >>> import graphkit as gk
        >>> len(NameIndex.from_graph(gk.example_graph()))
        5
        """
        ents = g.entities
        if kinds is not None:
            ents = ents[ents["kind"].astype(str).isin(set(kinds))]

        def col(name: str) -> list[Any] | None:
            if name not in ents.columns:
                return None
            return [None if v is None or v is _NA else v for v in ents[name].tolist()]

        return cls(ents["id"].astype(str).tolist(), ents["name"].fillna("").astype(str).tolist(),
                   aliases=col("aliases"), countries=col("country"),
                   identifiers=col("identifiers"), progress=progress)

    # ------------------------------------------------------------------ queries
    def __len__(self) -> int:
        return len(self.ids)

    @property
    def n_entries(self) -> int:
        """Number of names indexed (main names plus distinct aliases)."""
        return len(self.entry_key)

    def position(self, entity_id: str) -> int | None:
        """Position of an entity id in :attr:`ids`, or None."""
        return self._position.get(entity_id)

    def by_identifier(self, raw: str) -> tuple[str | None, str, list[int]]:
        """Entities holding the identifier ``raw`` (scheme ignored): (scheme, value, positions)."""
        scheme, value = normalise_identifier(raw)
        return scheme, value, list(dict.fromkeys(self._ident.get(value, [])))

    def idf(self, token: str) -> float:
        """Rarity weight of a token (higher is rarer); unseen tokens get the highest weight."""
        kid = self._keys.get(token)
        if kid is None:
            return math.log(1.0 + max(self.n_entries, 1))
        return float(self._idf[kid])

    def same_compact(self, norm: Normalised) -> list[int]:
        """Entries whose key has exactly the letters of ``norm.key`` (spaces aside)."""
        kid = self._keys.get("=" + norm.compact)
        if kid is None:
            return []
        return self._post[self._ptr[kid]:self._ptr[kid + 1]].tolist()

    def is_own_acronym(self, entry: int) -> bool:
        """True when the name ``entry`` is one word that is the acronym of another name of
        the same entity ("CETC" for China Electronics Technology Group Corporation).

        >>> idx = NameIndex.from_names(["a"], ["China Electronics Technology Group Corp"],
        ...                            aliases=[["CETC"]])
        >>> idx.is_own_acronym(1), idx.is_own_acronym(0)
        (True, False)
        """
        from graphkit.resolve.score import score_parts

        key = self.entry_key[entry]
        if " " in key:
            return False
        ent = self.entry_entity
        mine = ent[entry]
        lo, hi = entry, entry + 1  # an entity's names are filed one after the other
        while lo > 0 and ent[lo - 1] == mine:
            lo -= 1
        while hi < len(ent) and ent[hi] == mine:
            hi += 1
        q = Normalised(key, (), key)
        for e in range(lo, hi):
            other, legal = self.entry_key[e], self.entry_legal[e]
            if e != entry and " " in other and "acronym of the name" in score_parts(
                    q, other, legal, c_full=" ".join([other, *legal]))[1]:
                return True
        return False

    def initials_go_on(self, key: str, but: str, *, entity: int = -1) -> bool:
        """True when another name, of an entity other than position ``entity``, has initials
        that begin as those of ``key`` (a normalised key of three words or more) and go on
        with a word (not a legal form or a place) whose initial is not ``but``; names that
        begin with ``key`` itself (its units: "X Research Institute 2") do not count.

        >>> idx = NameIndex.from_names(["a", "b"], ["China Avionics Systems Co", "China "
        ...                            "Aerospace Science and Industry Corporation"])
        >>> idx.initials_go_on("china avionics systems", "c")
        True
        >>> idx.initials_go_on("china avionics systems", "i")
        False
        """
        initials = "".join(t[0] for t in key.split())
        ent, post, ptr, keys = self.entry_entity, self._post, self._ptr, self.entry_key
        for letter in "abcdefghijklmnopqrstuvwxyz0123456789":
            kid = self._keys.get("!" + initials + letter)
            if letter != but and kid is not None and any(
                    int(ent[e]) != entity and not keys[e].startswith(key)
                    for e in post[ptr[kid]:ptr[kid + 1]].tolist()):
                return True
        return False

    def _query_keys(self, norm: Normalised) -> list[str]:
        return query_keys(norm, self._keys)

    def candidates(self, norm: Normalised, *, limit: int = 40) -> list[int]:
        """Entry numbers worth scoring against ``norm``, most promising first.

        Entries are ranked by the summed rarity of the blocking keys they share with the
        query; keys filed under more than ``_MAX_DF`` entries are skipped unless nothing
        rarer exists.
        """
        ptr = self._ptr
        spans = []
        for x in dict.fromkeys(self._query_keys(norm)):
            k = self._keys.get(x)
            if k is not None:
                a, b = int(ptr[k]), int(ptr[k + 1])
                spans.append((b - a, a, b, k))
        if not spans:
            return []
        spans.sort()
        if spans[0][0] > _MAX_DF:  # only common keys: the rarest one, capped
            _, a, b, _k = spans[0]
            return self._post[a:min(b, a + 4 * limit)].tolist()
        use: list[tuple[int, int, int, int]] = []
        total = 0
        for sp in spans:  # rarest first, until enough postings are gathered
            if sp[0] > _MAX_DF or (use and total + sp[0] > _BUDGET):
                break
            use.append(sp)
            total += sp[0]
        # at most _BUDGET postings are read (the first key has at most _MAX_DF < _BUDGET), so
        # summing the weights in a dict is quick
        post = self._post
        idf = self._idf
        acc: dict[int, float] = {}
        for _, a, b, k in use:
            w = float(idf[k])
            for e in post[a:b].tolist():
                acc[e] = acc.get(e, 0.0) + w
        if len(acc) <= limit:
            return sorted(acc, key=acc.__getitem__, reverse=True)
        return heapq.nlargest(limit, acc, key=acc.__getitem__)


_NA: Any
try:
    import pandas as _pd

    _NA = _pd.NA
except ImportError:  # pragma: no cover
    _NA = object()
