"""Build a labelled name-matching set from the real lists in ../shared/data, at run time.

Nothing here is copied into the repository: the lists are read with graphkit's own readers
(OFAC non-SDN, OpenSanctions FtM, GLEIF, DoD 1260H, NDAA 889 / 1286, BODS examples).

How the set is made
-------------------
- Entities (not addresses) of all lists together form the *universe*. Entities that are the
  same company on several lists are put in one *cluster* when a name or alias is the same
  after case folding, removing common English legal-form words (Co, Ltd, Inc, Group, JSC ...)
  and everything but letters and digits (a deliberately simple rule, independent of the
  matcher under test). A hit on any member of the right
  cluster counts as correct.
- One entity in five (chosen by a hash of its id) is *held out*: it is not indexed, and its
  names and aliases become **negatives** (real names of real companies and people that are
  not in the index; many share words with indexed names, e.g. other Shell or AVIC firms).
  Its whole cluster is held out with it.
- Every alias of an indexed entity becomes a **positive** query. The queries are split in
  ``folds``; for each fold the index is built without any name or alias equal (same simple
  key) to a query of that fold, so the matcher has to find the entity from its *other* names.
  A query whose cluster has no name left in that index is dropped.

Each query carries its ``kind`` (why it is hard) for the misses table: ``other script``,
``acronym``, ``person name``, ``legal form / punctuation``, ``extra words``, ``fewer words``,
``different words``.
"""

from __future__ import annotations

import glob
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

import graphkit as gk

__all__ = ["Fold", "build", "load_universe"]

_SIMPLE = re.compile(r"[\W_]+")
_LEGAL = re.compile(r"\b(co|company|ltd|limited|inc|incorporated|corp|corporation|llc|plc|jsc|"
                    r"pjsc|group|holdings?|gmbh|ag|sa|pte|oao|ooo|ao|zao|the)\b")


def _simple(text: str) -> str:
    return _SIMPLE.sub("", text.casefold())


def _core(text: str) -> str:
    """Simple key without the common English legal-form words (for clustering only)."""
    return _SIMPLE.sub("", _LEGAL.sub(" ", _SIMPLE.sub(" ", text.casefold())))


@dataclass
class Fold:
    """One fold: the index frame and the queries asked against it."""

    entities: pd.DataFrame   # id, name, aliases, country, identifiers
    queries: pd.DataFrame    # query, expected (set of ids, empty for negatives), kind, source


def load_universe(data: str | Path) -> pd.DataFrame:
    """All non-address entities of the shared lists: id, name, aliases, country, identifiers,
    kind, source."""
    d = Path(data)
    frames: list[pd.DataFrame] = []

    def add(source: str, g: gk.OwnershipGraph) -> None:
        e = g.entities
        e = e[~e["kind"].astype(str).isin(["address"])]
        cols = ["id", "name", "kind", "aliases", "country", "identifiers"]
        f = pd.DataFrame({c: e[c].tolist() if c in e.columns else [None] * len(e) for c in cols})
        f["id"] = source + "/" + f["id"].astype(str)
        f["kind"] = f["kind"].astype(str)
        f["source"] = source
        frames.append(f)

    add("ofac", gk.read_ofac(d / "ofac-nonsdn" / "cons_prim.csv", d / "ofac-nonsdn" / "cons_add.csv"))
    add("ftm", gk.read_ftm(d / "ftm-zala" / "entities.ftm.json"))
    add("gleif", gk.read_gleif(sorted(glob.glob(str(d / "gleif" / "*" / "*.json")))))
    lists = d / "us-china-lists"
    add("dod1260h", gk.read_dod1260h(lists / "dod_chinese_milcorps__sanctions.csv"))
    add("ndaa889", gk.read_ndaa889(lists / "special_leg__section_889.csv"))
    add("ndaa1286", gk.read_ndaa889(lists / "special_leg__section_1286.csv"))
    add("bods", gk.read_bods(sorted(glob.glob(str(d / "bods" / "*.json")))))
    u = pd.concat(frames, ignore_index=True)
    u["aliases"] = u["aliases"].map(lambda v: [a for a in v if isinstance(a, str) and a.strip()]
                                    if isinstance(v, list) else [])
    u["name"] = u["name"].astype(str)
    return u


def _clusters(u: pd.DataFrame) -> list[int]:
    parent = list(range(len(u)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, (name, aliases) in enumerate(zip(u["name"], u["aliases"])):
        for text in [name, *aliases]:
            k = _core(text)
            if len(k) < 3:
                continue
            j = first.setdefault(k, i)
            parent[find(i)] = find(j)
    return [find(i) for i in range(len(u))]


def _script(text: str) -> str:
    from graphkit.resolve.normalise import script_of

    return script_of(text)


def _kind(query: str, others: list[str], entity_kind: str) -> str:
    if _script(query) not in ("latin",) and any(_script(o) == "latin" for o in others):
        return "other script"
    bare = query.replace(".", "").replace("-", "").strip()
    if " " not in bare and len(bare) <= 8 and sum(c.isupper() for c in bare) >= 2:
        return "acronym"
    if entity_kind == "person":
        return "person name"
    qk = {w for w in _LEGAL.sub(" ", _SIMPLE.sub(" ", query.casefold())).split() if w}
    best = ""
    for o in others:
        ok = {w for w in _LEGAL.sub(" ", _SIMPLE.sub(" ", o.casefold())).split() if w}
        if qk == ok:
            return "legal form / punctuation"
        if ok and ok < qk:
            best = best or "extra words"
        elif qk and qk < ok:
            best = best or "fewer words"
    return best or "different words"


def build(data: str | Path, *, folds: int = 4, holdout: int = 5) -> list[Fold]:
    """Build the labelled folds; see the module docstring.

    Parameters
    ----------
    data : path
        The shared data folder (``../shared/data``).
    folds : int
        Number of folds the positive queries are split in.
    holdout : int
        One entity (cluster) in ``holdout`` is held out as a negative.
    """
    u = load_universe(data)
    u["cluster"] = _clusters(u)
    held = {c for c in set(u["cluster"]) if zlib.crc32(str(u["id"][c]).encode()) % holdout == 0}
    u["held"] = u["cluster"].isin(held)
    members: dict[int, set[str]] = {}
    for i, c in zip(u["id"], u["cluster"]):
        members.setdefault(c, set()).add(i)
    negatives: list[dict[str, Any]] = []
    for _, r in u[u["held"]].iterrows():
        for text in dict.fromkeys([r["name"], *r["aliases"]]):
            negatives.append({"query": text, "expected": frozenset(), "cluster": -1,
                              "kind": "negative", "source": r["source"]})
    positives: list[dict[str, Any]] = []
    for _, r in u[~u["held"]].iterrows():
        names = [r["name"], *r["aliases"]]
        for text in dict.fromkeys(r["aliases"]):
            if _simple(text) == _simple(r["name"]) or len(_simple(text)) < 2:
                continue
            others = [n for n in names if n != text]
            positives.append({"query": text, "expected": frozenset(members[r["cluster"]]),
                              "cluster": r["cluster"], "kind": _kind(text, others, r["kind"]),
                              "source": r["source"]})
    pos = pd.DataFrame(positives).drop_duplicates("query").reset_index(drop=True)
    neg = pd.DataFrame(negatives).drop_duplicates("query").reset_index(drop=True)
    neg = neg[~neg["query"].map(_simple).isin(set(pos["query"].map(_simple)))]
    indexed = u[~u["held"]].reset_index(drop=True)
    out: list[Fold] = []
    for k in range(folds):
        fold_pos = pos[pos.index % folds == k]
        drop = set(fold_pos["query"].map(_simple))
        rows = []
        for _, r in indexed.iterrows():
            keep = [t for t in [r["name"], *r["aliases"]] if _simple(t) not in drop]
            if not keep:
                continue
            rows.append({"id": r["id"], "name": keep[0], "aliases": keep[1:],
                         "country": r["country"], "identifiers": r["identifiers"],
                         "cluster": r["cluster"]})
        ents = pd.DataFrame(rows)
        alive = set(ents["cluster"])
        fold_pos = fold_pos[fold_pos["cluster"].isin(alive)]
        fold_neg = neg[neg.index % folds == k]
        out.append(Fold(ents.drop(columns="cluster"),
                        pd.concat([fold_pos, fold_neg], ignore_index=True)))
    return out
