"""Plain-language text for many screening paths at once, written with Arrow.

:func:`graphkit.algorithms.screen.screen` explains every customer's path, step by
step, with each step's confidence and source. Writing 100,000 such paragraphs one
Python string at a time costs more than the search; here each distinct step and
listing is described once (:func:`describe_steps`, :func:`describe_listings`, the
same sentences as :func:`graphkit.explain.describe_step` and
:func:`~graphkit.explain.describe_listing`) and the paragraphs are joined with
Arrow's string functions (:class:`PathWriter`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphkit.explain import describe_entity
from graphkit.graph import OwnershipGraph
from graphkit.model import get_model
from graphkit.rules import Rule
from graphkit.types.share import format_range

__all__ = ["CodedColumn", "PathWriter", "TextColumn", "describe_listings", "describe_steps"]


class CodedColumn:
    """A value per entity position kept as small integer codes (-1: None).

    A million rule statuses as Python objects cost more to build than screening
    uses; indexing this gives the values (an object array, or one value).

    >>> col = CodedColumn(np.array([1, -1, 0], dtype=np.int8), ["clear", "restricted"])
    >>> col[np.array([0, 1])].tolist(), col[2]
    (['restricted', None], 'clear')
    """

    def __init__(self, codes: np.ndarray, values: list[Any]) -> None:
        self.codes = codes
        self._table = np.asarray([*values, None], dtype=object)  # code -1 reads the last entry: None

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, pos: Any) -> Any:
        return self._table[self.codes[pos]]


class TextColumn:
    """A text column (such as every entity's name) read only at the positions asked for.

    Turning a million names into Python strings takes longer than screening a
    customer list; this keeps the column as Arrow data and converts the few
    positions a result needs.

    >>> import pandas as pd
    >>> names = TextColumn(pd.Series(["Sub Ltd", "Parent Group", None], dtype="string"))
    >>> names[1], names[np.array([0, 2])].tolist()
    ('Parent Group', ['Sub Ltd', None])
    """

    def __init__(self, column: pd.Series) -> None:
        arr = pa.array(column, from_pandas=True)  # no copy when the column is Arrow-backed already
        self._arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr

    def __len__(self) -> int:
        return len(self._arr)

    def arrow(self, positions: np.ndarray) -> pa.Array:
        """The texts at ``positions`` as an Arrow ``large_string`` array."""
        return self._arr.take(pa.array(np.asarray(positions, dtype=np.int64))).cast(pa.large_string())

    def __getitem__(self, pos: Any) -> Any:
        if np.ndim(pos) == 0:
            return self._arr[int(pos)].as_py()
        taken = self._arr.take(pa.array(np.asarray(pos, dtype=np.int64)))
        return taken.to_numpy(zero_copy_only=False).astype(object, copy=False)


class PathWriter:
    """Explains many paths found by :func:`nearest_targets` at once, as :meth:`Path.explain` does.

    Each distinct step is described once (a relation, walked one way, with its
    confidence and source); each path's text joins its steps under a headline and
    ends with the listings, or the rule's verdict, of the party it reaches.
    """

    def __init__(self, g: OwnershipGraph, status: np.ndarray | CodedColumn, listed: np.ndarray, conf_rank: np.ndarray,
                 restricted: pd.DataFrame, rule: Rule, day: str, names: TextColumn | np.ndarray) -> None:
        self.g, self.status, self.listed, self.rule, self.day = g, status, listed, rule, day
        self.names = names
        self.levels = list(get_model().confidence)
        self.conf_rank = conf_rank
        self.listings = g.active_listings(day, positions=True)
        self.restricted = restricted
        self._lists: tuple[np.ndarray, np.ndarray] | None = None

    def _illustrative_at(self, positions: np.ndarray) -> np.ndarray:
        ents = self.g.entities
        if "illustrative" not in ents.columns:
            return np.zeros(len(positions), dtype=bool)
        return np.asarray(ents["illustrative"].take(positions).to_numpy(dtype=bool, na_value=False))

    def lists_of(self, positions: np.ndarray) -> np.ndarray:
        """The list codes each entity is on as of the day (``"a; b"``), None when none (object array)."""
        if self._lists is None:
            pairs = self.listings[["_pos", "list"]].astype({"list": object}).drop_duplicates()
            pairs = pairs.sort_values(["_pos", "list"], kind="stable")
            joined: dict[int, list[str]] = {}
            for p, code in zip(pairs["_pos"].tolist(), pairs["list"].tolist()):
                if p >= 0:
                    joined.setdefault(p, []).append(str(code))
            texts = sorted({"; ".join(c) for c in joined.values()})
            number = {t: i for i, t in enumerate(texts)}
            code_of = np.full(self.g.index.n, len(texts), dtype=np.int32)  # len(texts): not listed
            for p, c in joined.items():
                code_of[p] = number["; ".join(c)]
            self._lists = (code_of, np.asarray([*texts, None], dtype=object))
        code_of, table = self._lists
        return table[code_of[np.asarray(positions, dtype=np.int64)]]

    def _end_lines(self, ends: np.ndarray) -> dict[int, list[str]]:
        lines: dict[int, list[str]] = {}
        ends = np.asarray(ends, dtype=np.int64)
        name_of = dict(zip(ends.tolist(), self.names[ends].tolist()))
        id_of = dict(zip(ends.tolist(), self.g.index.ids[ends].tolist()))
        sub = self.listings[self.listings["_pos"].isin(ends)]
        for p, text in zip(sub["_pos"].tolist(), describe_listings(sub).to_pylist()):
            lines.setdefault(int(p), []).append(f"  -> {name_of[int(p)]} is {text}")
        todo = [e for e in ends.tolist() if e not in lines]
        if todo:
            expl = {}
            if "explanation" in self.restricted.columns:
                r = self.restricted[["id", "explanation"]]
                r = r[r["id"].isin([id_of[p] for p in todo])]
                expl = dict(zip(r["id"].astype(object), r["explanation"].astype(object)))
            for p in todo:
                text = expl.get(id_of[p])
                first = str(text).splitlines()[0] if isinstance(text, str) and text else (
                    f"{name_of[p]} is {self.status[p]} under {self.rule.label} as of {self.day} "
                    "(see graphkit.restricted for the owners, shares and sources)")
                lines[p] = [f"  -> {first}"]
        return lines

    def write(self, nodes: np.ndarray, rels: np.ndarray, fws: np.ndarray, *, progress: bool | None = None,
              explain: bool = True) -> tuple[pa.Array, np.ndarray, np.ndarray]:
        """Explanations, relation kinds (``"owns > front_for"``) and weakest confidence per path.

        The explanations are an Arrow text array, built hop by hop with Arrow's string
        functions from the distinct steps (each described once), not path by path.
        With ``explain=False`` they are all null (the rest is the same).
        """
        _, kinds_text, weakest = self._kinds_only(rels)
        k, width = rels.shape
        if not explain:
            return pa.nulls(k, pa.large_string()), kinds_text, weakest
        g = self.g
        idx = g.index
        used = rels >= 0
        hops = used.sum(axis=1)
        safe = np.where(used, rels, 0)
        keys, inverse = np.unique((safe * 2 + fws)[used], return_inverse=True)
        at = np.full((k, width), -1, dtype=np.int64)  # each step's place among the distinct steps
        at[used] = inverse.reshape(-1)
        urel, ufw = keys // 2, (keys % 2).astype(bool)
        frm = np.where(ufw, idx.src[urel], idx.dst[urel])
        to = np.where(ufw, idx.dst[urel], idx.src[urel])
        steps_u = _describe_steps(g.relations, urel, ufw, self._name_texts(frm), self._name_texts(to))
        starts, ends = nodes[:, 0], nodes[np.arange(k), hops]
        uniq, where = np.unique(np.concatenate([starts, ends]), return_inverse=True)
        where = where.reshape(-1)
        labels = self._labels(uniq)
        start_lab = labels.take(pa.array(where[:k]))
        end_lab = labels.take(pa.array(where[k:]))
        steps_word = pa.array([""] + [f" in {h} step{'s' if h != 1 else ''}" for h in range(1, width + 1)],
                              type=pa.large_string()).take(pa.array(hops))
        weak = pa.array(weakest.astype(str), type=pa.large_string())
        moving = _join(start_lab, " reaches ", end_lab, steps_word, f" (as of {self.day}; weakest evidence: ",
                       weak, "):")
        word = pa.array(np.where(self.listed[starts], "listed", self.status[starts].astype(str)).astype(str),
                        type=pa.large_string())
        still = _join(start_lab, " is itself ", word, f" (as of {self.day}):")
        parts = [pc.if_else(pa.array(hops > 0), moving, still)]
        for h in range(width):
            if not used[:, h].any():
                break
            number = pa.array([f"\n  {h + 1}. ", ""], type=pa.large_string())  # "" past the path's end
            parts += [number.take(pa.array((~used[:, h]).astype(np.int8))),
                      steps_u.take(pa.array(at[:, h], mask=~used[:, h]))]
        uends, which = np.unique(ends, return_inverse=True)
        lines = self._end_lines(uends)
        end_text = pa.array(["".join("\n" + t for t in lines.get(int(e), [])) for e in uends.tolist()],
                            type=pa.large_string())
        parts.append(end_text.take(pa.array(which.reshape(-1))))
        empty = pa.scalar("", pa.large_string())
        return _join(*(pc.coalesce(part, empty) for part in parts)), kinds_text, weakest

    def _labels(self, positions: np.ndarray) -> pa.Array:
        """:func:`graphkit.explain.describe_entity` of each entity at ``positions`` (the same text)."""
        positions = np.asarray(positions, dtype=np.int64)
        kind = self.g.entities["kind"]
        if isinstance(kind.dtype, pd.CategoricalDtype):
            cats = [describe_entity("", str(c), False)[2:-1] for c in kind.cat.categories.tolist()]
            label = pa.array(cats + ["None"], type=pa.large_string()).take(
                pa.array(np.where(kind.cat.codes.to_numpy()[positions] < 0, len(cats),
                                  kind.cat.codes.to_numpy()[positions])))
        else:
            label = pa.array([describe_entity("", str(k), False)[2:-1] for k in kind.take(positions).tolist()],
                             type=pa.large_string())
        mark = pc.if_else(pa.array(self._illustrative_at(positions), type=pa.bool_()),
                          pa.scalar(", ILLUSTRATIVE", pa.large_string()), pa.scalar("", pa.large_string()))
        return _join(self._name_texts(positions), " (", label, mark, ")")

    def _name_texts(self, positions: np.ndarray) -> pa.Array:
        """Names at ``positions`` as Arrow text (a missing name reads "None", as ``str`` writes it)."""
        if isinstance(self.names, TextColumn):
            return pc.coalesce(self.names.arrow(positions), pa.scalar("None", pa.large_string()))
        return pa.array([str(x) for x in self.names[positions]], type=pa.large_string())

    def _kinds_only(self, rels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        idx = self.g.index
        k, width = rels.shape
        used = rels >= 0
        hops = used.sum(axis=1)
        safe = np.where(used, rels, 0)
        ranks = np.where(used, self.conf_rank[safe], -1).max(axis=1) if width else np.full(k, -1)
        levels = np.asarray(self.levels + [None], dtype=object)
        weakest = levels[np.where((hops > 0) & (ranks >= 0), ranks, len(self.levels))]
        # one text per distinct sequence of kinds (a few hundred), then spread to the paths
        codes = np.where(used, idx.kind[safe].astype(np.int64) + 1, 0)
        base = len(idx.kind_names) + 1
        if width and base ** width < 2 ** 62:  # one integer per sequence: a fast 1-d unique
            key = codes @ (base ** np.arange(width, dtype=np.int64))
            _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
            uniq = codes[first]
        else:
            uniq, inverse = np.unique(codes, axis=0, return_inverse=True)
        names = ("",) + tuple(idx.kind_names)
        texts = np.asarray([" > ".join(names[c] for c in row if c) for row in uniq.tolist()] + [""], dtype=object)
        kinds_text = texts[inverse.reshape(-1)] if k else np.full(0, "", dtype=object)
        return np.full(k, None, dtype=object), kinds_text, weakest



def _texts(rel: pd.DataFrame, name: str, take: pa.Array) -> pa.Array:
    """Column ``name`` at rows ``take`` as Arrow text, null where missing or empty."""
    k = len(take)
    if name not in rel.columns:
        return pa.nulls(k, pa.large_string())
    arr = pa.array(rel[name], from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = arr.take(take)
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.large_string())
    else:  # numbers, dates: the text Python's str() gives, as describe_step writes it
        arr = pa.array([None if v is None else str(v) for v in arr.to_pylist()], type=pa.large_string())
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.large_string()), arr)


def _join(*parts: Any, sep: str = "") -> pa.Array:
    """Arrow's element-wise join of texts; null where a part is null."""
    args = [pa.scalar(p, pa.large_string()) if isinstance(p, str) else p for p in parts]
    return pc.binary_join_element_wise(*args, pa.scalar(sep, pa.large_string()))


def _join_present(parts: list[pa.Array], sep: str) -> pa.Array:
    """Join the parts that are not null, with ``sep`` ("" where all are null).

    Built pairwise with ``coalesce`` because Arrow's own ``null_handling="skip"``
    drops rows where every part is null (pyarrow 26).
    """
    acc = parts[0]
    for part in parts[1:]:
        acc = pc.coalesce(_join(acc, part, sep=sep), acc, part)
    return pc.coalesce(acc, pa.scalar("", pa.large_string()))


def describe_listings(listings: pd.DataFrame) -> pa.Array:
    """:func:`graphkit.explain.describe_listing` of every row, as Arrow text (the same sentences).

    >>> import graphkit as gk
    >>> g = gk.example_graph()
    >>> describe_listings(g.listings).to_pylist()
    ['on the BIS Entity List since 2019-10-09 [confirmed; source: example]']
    """
    k = len(listings)
    take = pa.array(np.arange(k, dtype=np.int64))
    codes = _texts(listings, "list", take).to_pylist()
    known = get_model().lists
    label = pa.array([f"on the {known[c].label if c in known else c}" for c in codes], type=pa.large_string())
    start, end = _texts(listings, "start", take), _texts(listings, "end", take)
    none = pa.scalar(None, pa.large_string())
    period = pc.coalesce(_join("from ", start, " to ", end),
                         pc.if_else(pc.is_null(end), _join("since ", start), none),
                         pc.if_else(pc.is_null(start), _join("until ", end), none))
    head = _join_present([label, period, _join('as "', _texts(listings, "listed_name", take), '"'),
                          _join("(program ", _texts(listings, "program", take), ")")], " ")
    source = pc.coalesce(_join("source: ", _texts(listings, "source_ref", take)),
                         pa.scalar("no source given", pa.large_string()))
    evidence = _join_present([_texts(listings, "confidence", take), source], "; ")
    return _join(head, " [", evidence, "]")


def describe_steps(rel: pd.DataFrame, rows: np.ndarray, forward: np.ndarray, from_names: Iterable[Any],
                   to_names: Iterable[Any]) -> list[str]:
    """:func:`graphkit.explain.describe_step` for many relation rows at once (the same text).

    Vectorised over the rows with Arrow's string functions; ``tests/algorithms/test_screen.py``
    checks that every sentence equals the one ``describe_step`` writes.

    >>> import numpy as np, graphkit as gk
    >>> g = gk.example_graph()
    >>> describe_steps(g.relations, np.array([0]), np.array([False]), ["Sub Ltd"], ["Parent Group"])
    ['Sub Ltd is owned by Parent Group (60%) [confirmed; source: example]']
    """
    if not len(rows):
        return []
    return [str(x) for x in _describe_steps(rel, rows, forward, from_names, to_names).to_pylist()]


def _describe_steps(rel: pd.DataFrame, rows: np.ndarray, forward: np.ndarray, from_names: Iterable[Any] | pa.Array,
                    to_names: Iterable[Any] | pa.Array) -> pa.Array:
    """:func:`describe_steps` as an Arrow text array."""
    k = len(rows)
    take = pa.array(np.asarray(rows, dtype=np.int64))
    kinds = get_model().relation_kinds
    # the verb of each distinct kind, both ways; then one code per step: 2 x kind + (walked backwards)
    encoded = pc.dictionary_encode(_texts(rel, "kind", take))
    kind_names = [*encoded.dictionary.to_pylist(), None]
    kind_codes = pc.fill_null(encoded.indices, len(kind_names) - 1).to_numpy()
    table: list[str] = []
    for kd in kind_names:
        rk = kinds.get(str(kd))
        table += [rk.verb, rk.inverse] if rk else [str(kd), str(kd)]
    verb = pa.array(table, type=pa.large_string()).take(
        pa.array(np.asarray(kind_codes, dtype=np.int64) * 2 + ~np.asarray(forward, dtype=bool)))
    share = pa.nulls(k, pa.large_string())
    if "share_min" in rel.columns and "share_max" in rel.columns:
        lo = rel["share_min"].to_numpy(dtype=float, na_value=np.nan)[rows]
        hi = rel["share_max"].to_numpy(dtype=float, na_value=np.nan)[rows]
        has = ~np.isnan(lo) & ~np.isnan(hi)
        # each distinct (min, max) formatted once: the pair as one complex number
        pairs, which = np.unique(lo[has] + 1j * hi[has], return_inverse=True)
        texts = pa.array([format_range(float(p.real), float(p.imag)) for p in pairs.tolist()] + [None],
                         type=pa.large_string())
        at = np.full(k, len(pairs), dtype=np.int64)
        at[has] = which.reshape(-1)
        share = texts.take(pa.array(at))
    start, end = _texts(rel, "start", take), _texts(rel, "end", take)
    none = pa.scalar(None, pa.large_string())
    period = pc.coalesce(_join("from ", start, " to ", end),
                         pc.if_else(pc.is_null(end), _join("since ", start), none),
                         pc.if_else(pc.is_null(start), _join("until ", end), none))
    details = _join_present([share, _texts(rel, "role", take),
                             _texts(rel, "item", take), _join("ECCN ", _texts(rel, "eccn", take)),
                             _texts(rel, "quantity", take), _texts(rel, "price", take), period], "; ")
    detail = pc.if_else(pc.equal(details, ""), pa.scalar("", pa.large_string()), _join(" (", details, ")"))
    if "illustrative" in rel.columns:
        illus = rel["illustrative"].fillna(False).to_numpy(dtype=bool)[rows]
    else:
        illus = np.zeros(k, dtype=bool)
    mark = pc.if_else(pa.array(illus), pa.scalar("ILLUSTRATIVE", pa.large_string()), none)
    source = pc.coalesce(_join("source: ", _texts(rel, "source_ref", take)),
                         pa.scalar("no source given", pa.large_string()))
    conf = pc.coalesce(_texts(rel, "confidence", take), pa.scalar("unrated", pa.large_string()))
    evidence = _join_present([conf, mark, source], "; ")
    a, b = (names if isinstance(names, pa.Array) else pa.array([str(x) for x in names], type=pa.large_string())
            for names in (from_names, to_names))
    return _join(_join(a, verb, b, sep=" "), detail, " [", evidence, "]")
