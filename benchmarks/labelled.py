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
- One company (cluster) in five, chosen by a hash of its key, is *held out*: none of its
  entities is indexed, and their names and aliases become **negatives** (real names of real
  companies and people that are not in the index; many share words with indexed names, e.g.
  other Shell or AVIC firms).
- Every alias of an indexed entity becomes a **positive** query. The queries are split in
  ``folds``; for each fold the index is built without any name or alias equal (same simple
  key) to a query of that fold, so the matcher has to find the entity from its *other* names.
  A query whose cluster has no name left in that index is dropped.

That is the *hard* set (:func:`build`). The *cross-list* set (:func:`build_cross`) looks each
list's names up among the other lists' entities, all names and aliases indexed; see there.
Both sets use the same clusters, joined further by the hand-checked ``HAND_LINKS``
(:func:`company_clusters`): one cluster is one real-world *company*, with one key (its smallest
entity id, column ``company``). Both carry a ``split`` column, tune / test by a hash of that key
(:func:`split_of`), so a company is in the same half in both sets: nothing tuned on in one set
is tested in the other.

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

__all__ = ["HAND_LINKS", "Fold", "build", "build_cross", "company_clusters", "load_universe",
           "split_of"]

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
        One company (cluster, see :func:`company_clusters`) in ``holdout`` is held out as a
        negative.
    """
    u = load_universe(data)
    _base, clusters, ckey = company_clusters(u)
    u["cluster"] = clusters
    held = {c for c in set(clusters) if zlib.crc32(ckey[c].encode()) % holdout == 0}
    u["held"] = u["cluster"].isin(held)
    members: dict[int, set[str]] = {}
    for i, c in zip(u["id"], u["cluster"]):
        members.setdefault(c, set()).add(i)
    negatives: list[dict[str, Any]] = []
    for _, r in u[u["held"]].iterrows():
        for text in dict.fromkeys([r["name"], *r["aliases"]]):
            negatives.append({"query": text, "expected": frozenset(), "cluster": -1,
                              "kind": "negative", "source": r["source"],
                              "company": ckey[r["cluster"]],
                              "split": split_of(ckey[r["cluster"]])})
    positives: list[dict[str, Any]] = []
    for _, r in u[~u["held"]].iterrows():
        names = [r["name"], *r["aliases"]]
        for text in dict.fromkeys(r["aliases"]):
            if _simple(text) == _simple(r["name"]) or len(_simple(text)) < 2:
                continue
            others = [n for n in names if n != text]
            positives.append({"query": text, "expected": frozenset(members[r["cluster"]]),
                              "cluster": r["cluster"], "kind": _kind(text, others, r["kind"]),
                              "source": r["source"], "company": ckey[r["cluster"]],
                              "split": split_of(ckey[r["cluster"]])})
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


# ----------------------------------------------------------------------------- split
def company_clusters(u: pd.DataFrame) -> tuple[list[int], list[int], dict[int, str]]:
    """One real-world-company cluster per row of the universe, shared by both sets.

    Returns the simple-name clusters (:func:`_clusters`), the same joined by ``HAND_LINKS``
    (the *company*), and each company's key: the smallest entity id in it. Both sets split
    tune/test by :func:`split_of` of that key, so no company is tuned on in one set and
    tested in the other.
    """
    base = _clusters(u)
    clusters, _hand_rows = _hand_clusters(u, base)
    key: dict[int, str] = {}
    for i, c in zip(u["id"], clusters):
        key[c] = min(key.get(c, i), i)
    return base, clusters, key


def split_of(cluster_key: str) -> str:
    """``"tune"`` or ``"test"``, fixed by a hash of the cluster's key (half and half).

    All queries of one real-world company fall in the same half, so a rule tuned on the
    tune half has never seen the test half's companies.
    """
    return "test" if zlib.crc32(("split/" + cluster_key).encode()) % 2 else "tune"


# ----------------------------------------------------------------------------- cross-list set
# Same company on two lists, checked by hand because the simple-name rule does not link them.
# Each pair: (id on one list, id on the other) and why it is the same company.
HAND_LINKS: list[tuple[str, str]] = [
    # s.889(a)(1)(A) names "Dahua Technology Company"; the company it means is Zhejiang Dahua
    # Technology Co., Ltd. (浙江大华技术股份有限公司), which DoD 1260H lists with alias "Dahua".
    ("ndaa889/ndaa889:dahua-technology-company", "dod1260h/dod1260h:zhejiang-dahua-technology-co-ltd"),
    # "SZ" is the usual short form of Shenzhen in the company's own English name
    # (深圳市大疆创新科技有限公司 = SZ DJI Technology Co., Ltd.); DoD lists the same name spelt out.
    ("ofac/ofac:33111", "dod1260h/dod1260h:shenzhen-dji-technology-co-ltd"),
    # DoD's second DJI row is another English rendering of the same Chinese name (创新 =
    # Innovation); both DoD rows carry the alias "DJI" and are clustered together already.
    ("ofac/ofac:33111", "dod1260h/dod1260h:shenzhen-dji-innovation-technology-co-ltd"),
    # OFAC NS-CMIC and DoD 1260H both designate SenseTime (the FT case); OFAC writes the
    # listed holding company's legal form "Limited", DoD writes "Inc." for the same group top.
    ("ofac/ofac:33114", "dod1260h/dod1260h:sensetime-group-inc"),
    # OFAC NS-CMIC lists "MEGVII TECHNOLOGY LIMITED", DoD 1260H "Beijing Megvii Technology
    # Co., Ltd." (alias "Megvii"): both designate the Megvii face-recognition group (OFAC the
    # listed holding company, DoD its Beijing operating company). Counted as one target, as
    # the simple-name rule already does for "YITU LIMITED" and DoD's alias "Yitu".
    ("ofac/ofac:33091", "dod1260h/dod1260h:beijing-megvii-technology-co-ltd"),
    # (DoD 1260H lists Dawning Information Industry Co., Ltd. twice, once as "... (Sugon)";
    # read_dod1260h now reads the two spellings as one company, so no link is needed.)
]
# Not linked on purpose (different companies that share a word): OFAC "XIAMEN MEIYA PICO
# INFORMATION" vs DoD "Xiamen Meiya Zhongmin Electronic Technology"; OFAC "NORTH NAVIGATION
# CONTROL TECHNOLOGY" (alias "Beijing North Phenix") vs DoD "Phenix Optical Company".
# Known leniency of the simple-name rule: a short alias can join a parent and its subsidiary
# ("Huawei Holding" -> "huawei"; "CNOOC" names both the group and CNOOC Limited), so a hit on
# either counts as correct for those queries.


def _hand_clusters(u: pd.DataFrame, base: list[int]) -> tuple[list[int], set[int]]:
    """Join the clusters of ``HAND_LINKS``; return the clusters and the rows joined by hand."""
    pos = {i: k for k, i in enumerate(u["id"])}
    parent = {c: c for c in set(base)}

    def find(c: int) -> int:
        while parent[c] != c:
            c = parent[c]
        return c

    hand_rows: set[int] = set()
    for a, b in HAND_LINKS:
        if a not in pos or b not in pos:
            raise KeyError(f"HAND_LINKS: {a if a not in pos else b} is not in the lists")
        ca, cb = find(base[pos[a]]), find(base[pos[b]])
        if ca != cb:
            parent[ca] = cb
        hand_rows.update((pos[a], pos[b]))
    return [find(c) for c in base], hand_rows


def build_cross(data: str | Path) -> list[Fold]:
    """The cross-list set: each list's names looked up among the *other* lists' entities.

    For each source list S (OFAC non-SDN, DoD 1260H, s.889, s.1286, FtM, GLEIF, BODS), the
    index holds every entity of the other lists with all its names and aliases, as in real
    use. Every name and alias of an entity of S is a query:

    - **positive** when the entity's cluster has members on other lists (the expected answer:
      those members). Clusters come from the simple-name rule of :func:`_clusters` (a name or
      alias equal after case, punctuation and common English legal words are removed: this
      makes those positives *easy*, at least one name of the pair is the same) or from
      ``HAND_LINKS`` (checked by hand, reason given per pair). Column ``link`` says which;
    - **negative** otherwise: a real name of a company or person that is on no other list.

    ``kind`` says how the query differs from the expected entity's names (see :func:`_kind`;
    ``same simple name`` when one of them is equal after the simple rule), ``split`` is the
    tune/test half by :func:`split_of`.
    """
    u = load_universe(data)
    base, clusters, ckey = company_clusters(u)
    u["base"] = base
    u["cluster"] = clusters
    folds: list[Fold] = []
    for src in sorted(u["source"].unique()):
        inside, outside = u[u["source"] == src], u[u["source"] != src]
        out_members: dict[int, set[str]] = {}
        out_names: dict[int, list[str]] = {}
        for i, c, n, a in zip(outside["id"], outside["cluster"], outside["name"], outside["aliases"]):
            out_members.setdefault(c, set()).add(i)
            out_names.setdefault(c, []).extend([n, *a])
        rows: list[dict[str, Any]] = []
        for _, r in inside.iterrows():
            c = r["cluster"]
            exp = frozenset(out_members.get(c, ()))
            # linked by hand only: no expected member shares the simple-name cluster
            hand = bool(exp) and not (set(outside["id"][outside["base"] == r["base"]]) & exp)
            for text in dict.fromkeys([r["name"], *r["aliases"]]):
                if len(_simple(text)) < 2:
                    continue
                if exp:
                    others = out_names[c]
                    same = any(_core(text) == _core(o) for o in others)
                    kind = "same simple name" if same else _kind(text, others, r["kind"])
                else:
                    kind = "negative"
                rows.append({"query": text, "expected": exp, "cluster": c, "kind": kind,
                             "source": src, "link": ("hand-checked" if hand else
                                                     "simple-name rule") if exp else "",
                             "company": ckey[c], "split": split_of(ckey[c])})
        q = pd.DataFrame(rows).drop_duplicates("query").reset_index(drop=True)
        ents = pd.DataFrame({"id": outside["id"], "name": outside["name"],
                             "aliases": outside["aliases"], "country": outside["country"],
                             "identifiers": outside["identifiers"]}).reset_index(drop=True)
        folds.append(Fold(ents, q))
    return folds
