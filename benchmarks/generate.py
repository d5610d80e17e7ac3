"""Reproducible synthetic data for graphkit benchmarks.

``make_frames(n_entities, n_relations, seed=0)`` returns three pandas DataFrames in
graphkit's input layout (what ``gk.OwnershipGraph.from_frames`` takes)::

    entities   id, name, kind, country
    relations  source, target, kind, share_min, share_max, start, confidence, source_ref
    listings   entity, list, start

Everything is drawn with vectorised numpy from ``numpy.random.default_rng(seed)``, so
the same arguments give the same frames on every machine (1M entities / 3M relations
take a few seconds). Every row is valid for graphkit's checks: kinds of source and
target follow ``graphkit/schema/relations.yaml``, there are no self-loops, every
reference resolves, dates are ISO text.

What the data looks like (defaults; see the keyword arguments of :func:`make_frames`)
------------------------------------------------------------------------------------
Entities
    55% companies, 30% persons, 12% addresses, 1.5% organisations, 1% public bodies,
    0.5% data centres; rows are shuffled (kinds are not grouped). Ids are ``E00000000``
    style text. Names are pinyin-style company names with legal forms ("Shenzhen
    Xinyuan Technology Co., Ltd."), person names (many repeat, as in real registers),
    street addresses and computing-centre names. ``country`` is mostly CN/HK with
    offshore (KY, VG) and other jurisdictions, about 2% empty.
Ownership (``owns``, 70% of relations)
    Every company has a *depth* drawn from a geometric law (most are depth 0, owned
    only by people or the state; a few hundred per million sit at depth 9). A company
    at depth d >= 1 has a parent company at depth d-1, chosen with Zipf weights so a
    few holding companies own thousands of subsidiaries; depth-0 companies are owned by
    a person or a public body. Chains person -> d0 -> ... -> d9 are therefore up to
    ``max_depth`` (10) ``owns`` hops long. Further shareholders (people, companies at a
    smaller depth, public bodies; all Zipf-weighted, heavy-tailed) are added until the
    budget is spent, and a ``cycle_fraction`` of owns edges point from a company back to
    one of its ancestors (cross-holdings: cycles of length 2 to 10).
Shares
    Per owned company the true shares are a Dirichlet split (the parent usually holds
    a majority), so they sum to at most 100. Each edge then publishes its share as
    exact (45%: share_min == share_max), as a band containing the true value (30%:
    0-10, 10-25, 25-50, 50-75, 75-100 or "more than 50" = 50-100) or unknown (25%:
    both empty; graphkit reads that as 0..100). Non-owns relations have no share.
Other relations
    officer_of (person -> company / organisation / public body; some people sit on many
    boards), registered_at (entity -> address; mass-registration addresses host
    thousands), supplies (seller -> company or data centre; distributors are hubs),
    rents_compute_from (tenant -> one of ~0.5% of companies acting as cloud providers,
    or a data centre), operates (provider -> data centre), front_for (one of ~2% shell
    companies -> a principal, often a listed one), controls (public body / company ->
    company), linked_to (anything -> anything). Relation rows are shuffled.
Provenance
    ``start`` is ISO text at mixed precision (day 70%, month 15%, year 10%, empty 5%);
    ``confidence`` depends on the kind (registers mostly ``confirmed``, fronts mostly
    ``suspected``); ``source_ref`` comes from a pool of a few thousand citations.
Listings
    About 1% of legal entities (persons, companies, public bodies, organisations),
    biased towards big holding companies, on BIS / OFAC / DoD / FCC / EU list codes;
    about 10% of listed entities are on a second list.

Reuse by other benchmarks
-------------------------
``make_frames`` takes keyword arguments for the mix of kinds, the listed fraction, the
depth, the cycle rate, an optional ``end`` column (ended relations, for ``as_of``
benchmarks) and an optional ``roles`` column. :func:`make_queries` derives messy
name queries (case, legal-form variants, dropped words, typos) with their true ids for
screening / matching benchmarks; :func:`make_buyers` a customer list of entity ids (with
repeats and a few ids not in the graph) for ``bench_screen.py``. :func:`describe` prints a short summary of frames.

Command line::

    python benchmarks/generate.py --entities 100000 --relations 300000 --seed 0 [--out DIR]

prints the summary and, with ``--out``, writes ``entities.parquet``,
``relations.parquet`` and ``listings.parquet`` to ``DIR``.
"""

# ruff: noqa: SIM905  (word lists are easier to read as split strings)
from __future__ import annotations

import argparse
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["ENTITY_MIX", "RELATION_MIX", "LIST_MIX", "make_frames", "make_queries", "make_buyers", "describe"]

# Shares of entities by kind (must sum to 1).
ENTITY_MIX: dict[str, float] = {
    "company": 0.55, "person": 0.30, "address": 0.12, "organization": 0.015,
    "public_body": 0.01, "data_centre": 0.005,
}
# Shares of relations by kind (must sum to 1); "owns" absorbs rounding.
RELATION_MIX: dict[str, float] = {
    "owns": 0.70, "officer_of": 0.12, "registered_at": 0.09, "supplies": 0.03,
    "linked_to": 0.02, "rents_compute_from": 0.015, "front_for": 0.01, "controls": 0.01,
    "operates": 0.005,
}
# Listings by list code (codes from graphkit/schema/lists.yaml).
LIST_MIX: dict[str, float] = {
    "us-bis-entity-list": 0.42, "us-ofac-sdn": 0.25, "us-ofac-ns-cmic": 0.07,
    "us-dod-1260h": 0.06, "us-bis-meu": 0.05, "us-bis-uvl": 0.05, "eu-fsf": 0.05,
    "us-fcc-covered": 0.02, "us-ofac-nonsdn": 0.03,
}
# (confirmed, reported, suspected) probabilities per relation kind.
_CONFIDENCE: dict[str, tuple[float, float, float]] = {
    "owns": (0.75, 0.20, 0.05), "officer_of": (0.80, 0.17, 0.03),
    "registered_at": (0.90, 0.08, 0.02), "supplies": (0.30, 0.55, 0.15),
    "linked_to": (0.10, 0.50, 0.40), "rents_compute_from": (0.20, 0.60, 0.20),
    "front_for": (0.05, 0.25, 0.70), "controls": (0.50, 0.40, 0.10),
    "operates": (0.70, 0.28, 0.02),
}
_CONFIDENCE_LEVELS = ["confirmed", "reported", "suspected"]

# --- vocabulary for names -----------------------------------------------------------
_CITIES = np.array("""Beijing Shanghai Shenzhen Guangzhou Hangzhou Nanjing Wuhan Chengdu Chongqing
Tianjin Suzhou Hefei Xian Changsha Qingdao Xiamen Dalian Ningbo Zhengzhou Jinan Shenyang Harbin
Kunming Fuzhou Wuxi Dongguan Foshan Zhuhai Guiyang Nanning Hohhot Urumqi Lanzhou Taiyuan
Shijiazhuang Nanchang Changchun Haikou Yinchuan Xining Lhasa Hong-Kong Macau""".split())
_SYLL = np.array("""an bai bao bei chang chen cheng da de ding dong fang feng fu gao guang hai hang
hao he heng hong hua huang hui jia jian jin jing kai kang ke kun lan li lian long lu mei ming nan
ning peng qi qian qing rui run sen sheng shi shun tai tian tong wei wen xin xing xu ya yang yao
yi ying yong yu yuan yue yun zhan zhi zhong""".split())
_INDUSTRY = np.array("""Technology Information-Technology Electronics Semiconductor Microelectronics
Intelligent-Technology Cloud-Computing Data Network Software Trading Import-and-Export Investment
Holding Industrial Logistics Supply-Chain Equipment Communication Digital Science-and-Technology
Computing Energy Materials Optical Precision-Machinery""".replace("-", "_").split())
_FORMS = np.array(["Co., Ltd.", "Co., Ltd.", "Co., Ltd.", "Limited", "Group Co., Ltd.",
                   "Holdings Limited", "Technology Co., Ltd.", "Corp.", "LLC", "Inc.", "Pte. Ltd.",
                   "Joint Stock Co., Ltd."])
_FAMILY = np.array("""Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Gao Lin
Luo Zheng Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Yuan Pan Yu Jiang Cai Jia
Ding Wei Xue Ye Yan Lu Shi Du Dai Fan Fang Ren Shen Qin Meng Cui Tan Lai Lu Kong""".split())
_GIVEN = np.array("""Wei Fang Na Min Jing Li Qiang Lei Jun Yang Yong Yan Jie Tao Ming Chao Xiuying
Xia Hua Hong Ping Gang Guiying Ling Hui Jian Bo Yu Xin Lin Hao Kai Ning Peng Rui Shu Tian Xiang Yi
Yun Zhen Zhi Zhiqiang Haoran Yuxuan Zihan Xinyi Yichen Junjie Jiahao Wenjing Xiaoming Lihua
Jianguo Guoqiang Dan Mei""".split())
_STREETS = np.array("""Zhongshan Renmin Jiefang Heping Xinhua Chang'an Nanjing Beijing Keji Gaoxin
Chuangye Huaxia Jinqiao Zhangjiang Binhai Century Dongfang Xueyuan Kexue Wenhua Jianshe Yingbin
Huanghe Changjiang Zhujiang""".split())
_DISTRICTS = np.array("""Pudong Haidian Chaoyang Nanshan Futian Tianhe Binjiang Jiangning Hongshan
Gaoxin Xihu Minhang Yangpu Longgang Baoan Huangpu Dongcheng Xicheng Qianhai Lingang""".split())
_PUBLIC = np.array(["Municipal State-owned Assets Supervision and Administration Commission",
                    "Municipal People's Government", "Industrial Investment Fund Management Bureau",
                    "Big Data Development Bureau", "High-tech Zone Administrative Committee",
                    "Finance Bureau", "Development and Reform Commission"])
_ORGS = np.array(["Institute of Computing Technology", "University", "Research Institute",
                  "Artificial Intelligence Industry Alliance", "Academy of Sciences Branch",
                  "Semiconductor Industry Association", "Innovation Centre"])
_DC = np.array(["Computing Centre", "Intelligent Computing Centre", "Supercomputing Centre",
                "Data Centre", "AI Computing Power Centre", "Cloud Data Park"])
_COUNTRY_CO = (np.array(["CN", "HK", "US", "SG", "KY", "VG", "GB", "TW", "DE", "JP", "AE", "MY", "NL", ""],
                        dtype=object),
               np.array([0.70, 0.10, 0.04, 0.03, 0.03, 0.03, 0.02, 0.01, 0.01, 0.01, 0.005, 0.005, 0.005, 0.015]))
_COUNTRY_PERSON = (np.array(["CN", "HK", "US", "SG", "TW", "GB", "CA", "AU", ""], dtype=object),
                   np.array([0.80, 0.07, 0.03, 0.02, 0.02, 0.01, 0.01, 0.01, 0.03]))
_BANDS = np.array([[0, 10], [10, 25], [25, 50], [50, 75], [75, 100]], dtype=float)


# --- small vectorised helpers --------------------------------------------------------
def _zipf_pick(rng: np.random.Generator, pool: np.ndarray, k: int, a: float) -> np.ndarray:
    """``k`` draws from ``pool`` with weight 1/(rank+1)**a (rank = position in pool)."""
    if len(pool) == 0 or k == 0:
        return np.empty(0, dtype=np.int64)
    w = np.arange(1, len(pool) + 1, dtype=float) ** -a
    cdf = np.cumsum(w)
    cdf /= cdf[-1]
    return pool[np.minimum(np.searchsorted(cdf, rng.random(k), side="right"), len(pool) - 1)]


def _uniform_pick(rng: np.random.Generator, pool: np.ndarray, k: int) -> np.ndarray:
    if len(pool) == 0 or k == 0:
        return np.empty(k if len(pool) else 0, dtype=np.int64)
    return pool[rng.integers(0, len(pool), k)]


def _choice(rng: np.random.Generator, p: np.ndarray | list[float], k: int) -> np.ndarray:
    """``k`` category codes 0..len(p)-1 drawn with probabilities ``p``."""
    cdf = np.cumsum(p) / np.sum(p)
    return np.searchsorted(cdf, rng.random(k), side="right").clip(0, len(cdf) - 1)


def _counts(total: int, mix: Mapping[str, float], absorb: str) -> dict[str, int]:
    s = sum(mix.values())
    out = {k: int(round(total * v / s)) for k, v in mix.items()}
    out[absorb] += total - sum(out.values())
    return out


def _no_self(rng: np.random.Generator, src: np.ndarray, dst: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """Redraw targets equal to their source (from ``pool``) until none is left."""
    dst = dst.copy()
    for _ in range(100):
        same = src == dst
        if not same.any():
            return dst
        dst[same] = _uniform_pick(rng, pool, int(same.sum()))
    raise ValueError("cannot avoid self-loops: the target pool is too small")


# Text columns are built in Arrow: a small table of distinct strings, then ``take``
# (no Python string per row), and handed to pandas as its default ``str`` dtype.
def _table(values: Any) -> pa.Array:
    return pa.array([None if v is None else str(v) for v in values], type=pa.string())


def _take(table: pa.Array, idx: np.ndarray) -> pa.Array:
    return pc.take(table, pa.array(np.asarray(idx, dtype=np.int64)))


def _join(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _text_series(arr: pa.Array | pa.ChunkedArray) -> pd.Series:
    return pd.Series(pd.array(arr, dtype="str"))


_NUMBERS = _table(range(3000))
_CORES = _table(a.capitalize() + b for a in _SYLL for b in _SYLL)


class _DateText:
    """ISO dates at day / month / year precision as codes into one text table."""

    first, last = np.datetime64("1990-01-01"), np.datetime64("2035-12-31")

    def __init__(self) -> None:
        days = np.arange(self.first, self.last + 1)
        months = np.arange(self.first.astype("datetime64[M]"), self.last.astype("datetime64[M]") + 1)
        years = np.arange(self.first.astype("datetime64[Y]"), self.last.astype("datetime64[Y]") + 1)
        self.n_days, self.n_months = len(days), len(months)
        self.table = _table(list(np.datetime_as_string(days)) + list(np.datetime_as_string(months))
                            + list(np.datetime_as_string(years)) + [None])
        self.null = len(self.table) - 1

    def day(self, text: str) -> int:
        return int((np.datetime64(text, "D") - self.first).astype(np.int64))

    def draw_days(self, rng: np.random.Generator, k: int, first: str, last: str) -> np.ndarray:
        return rng.integers(self.day(first), self.day(last) + 1, k)

    def codes(self, rng: np.random.Generator, days: np.ndarray, p_day: float = 0.70,
              p_month: float = 0.15, p_year: float = 0.10) -> np.ndarray:
        """Codes for ``days`` (offsets from 1990-01-01), shown at a random precision or empty."""
        dates = self.first + days.astype("timedelta64[D]")
        month = (dates.astype("datetime64[M]") - self.first.astype("datetime64[M]")).astype(np.int64)
        year = (dates.astype("datetime64[Y]") - self.first.astype("datetime64[Y]")).astype(np.int64)
        u = rng.random(len(days))
        out = days.astype(np.int64).copy()
        m = (u >= p_day) & (u < p_day + p_month)
        out[m] = self.n_days + month[m]
        y = (u >= p_day + p_month) & (u < p_day + p_month + p_year)
        out[y] = self.n_days + self.n_months + year[y]
        out[u >= p_day + p_month + p_year] = self.null
        return out


# --- entities ------------------------------------------------------------------------
def _names(rng: np.random.Generator, kind: str, k: int) -> pa.Array:
    def r(values: np.ndarray) -> pa.Array:
        return _take(_table(values), rng.integers(0, len(values), k))

    def num(lo: int, hi: int) -> pa.Array:
        return _take(_NUMBERS, rng.integers(lo, hi, k))

    core = _take(_CORES, rng.integers(0, len(_CORES), k))
    if kind == "company":
        industry = [v.replace("_", " ") for v in _INDUSTRY]
        return _join(r(_CITIES), " ", core, " ", r(np.array(industry)), " ", r(_FORMS))
    if kind == "person":
        return _join(r(_FAMILY), " ", r(_GIVEN))
    if kind == "address":
        return _join("Room ", num(101, 3000), ", No. ", num(1, 999), " ", r(_STREETS), " Road, ",
                     r(_DISTRICTS), ", ", r(_CITIES))
    if kind == "public_body":
        return _join(r(_CITIES), " ", r(_PUBLIC))
    if kind == "organization":
        return _join(r(_CITIES), " ", core, " ", r(_ORGS))
    if kind == "data_centre":
        return _join(r(_CITIES), " ", core, " ", r(_DC), " ", num(1, 20))
    raise ValueError(f"no names for kind {kind!r}")


def _entities(rng: np.random.Generator, n: int, mix: Mapping[str, float]
              ) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    counts = _counts(n, mix, "company")
    block = np.concatenate([np.full(c, i, dtype=np.int64) for i, c in enumerate(counts.values())])
    perm = rng.permutation(n)               # entity position i holds block row perm[i]
    kind_code = block[perm]
    pos = {k: np.flatnonzero(kind_code == i) for i, k in enumerate(counts)}
    # Names and countries are made block by block, then put in entity order.
    names = pa.concat_arrays([_names(rng, k, c) for k, c in counts.items()]) if n else _table([])
    co_tab = _table([c or None for c in (*_COUNTRY_CO[0], *_COUNTRY_PERSON[0])])  # "" -> empty
    country = np.concatenate([np.empty(0, dtype=np.int64)] + [
        (_choice(rng, _COUNTRY_PERSON[1], c) + len(_COUNTRY_CO[0])) if k == "person"
        else _choice(rng, _COUNTRY_CO[1], c) for k, c in counts.items()])
    ids = _join("E", pc.utf8_lpad(pa.array(np.arange(n)).cast(pa.string()), 8, "0"))
    cols = {"id": ids, "name": _take(names, perm), "kind": _take(_table(list(counts)), kind_code),
            "country": _take(co_tab, country[perm])}
    return cols, pos
# --- relations -----------------------------------------------------------------------
def _ownership(rng: np.random.Generator, n_own: int, pos: dict[str, np.ndarray], max_depth: int,
               cycle_fraction: float, zipf_a: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """owns edges (src, dst, is_parent) with chains up to ``max_depth`` hops and some cycles."""
    comp, pers, pub = pos["company"], pos["person"], pos["public_body"]
    nc = len(comp)
    if nc == 0 or n_own == 0:
        e = np.empty(0, dtype=np.int64)
        return e, e, np.empty(0, dtype=bool)
    tops = pers if len(pers) else (pub if len(pub) else None)
    person_a = min(zipf_a, 0.5)                        # people are less concentrated than holdings
    # Depth of each company: geometric, 0..max_depth-1; one full-depth chain guaranteed.
    depth = np.minimum(rng.geometric(0.55, nc) - 1, max_depth - 1)
    m = min(nc, max_depth)
    depth[:m] = np.arange(m)
    if tops is None:                                   # nobody but companies: no depth-0 owner
        depth[:] = np.maximum(depth, 1)
        depth[0] = 0
    levels = [comp[depth == d] for d in range(max_depth)]
    parent = np.full(nc, -1, dtype=np.int64)           # parent entity position per company
    cidx = np.full(int(comp.max()) + 1, -1, dtype=np.int64)
    cidx[comp] = np.arange(nc)                          # entity position -> company index

    n_cycle = int(round(n_own * cycle_fraction)) if max_depth > 1 else 0
    n_parent = min(nc, n_own - n_cycle)
    has_parent = np.zeros(nc, dtype=bool)
    has_parent[rng.permutation(nc)[:n_parent]] = True
    if n_parent >= m:                                   # keep the guaranteed chain whole
        extra = int(m - has_parent[:m].sum())
        has_parent[:m] = True
        if extra:                                       # ... and the edge count exact
            drop = np.flatnonzero(has_parent[m:])[:extra] + m
            has_parent[drop] = False
    # Parent of depth-0 companies: a person (90%) or a public body (10%).
    top = np.flatnonzero(has_parent & (depth == 0))
    if tops is not None:
        owners = _zipf_pick(rng, tops, len(top), person_a)
        state = (rng.random(len(top)) < 0.10) & (len(pub) > 0)
        owners[state] = _zipf_pick(rng, pub, int(state.sum()), zipf_a)
        parent[top] = owners
    # Parent of depth-d companies: a depth d-1 company, Zipf-weighted (holding companies).
    for d in range(1, max_depth):
        sel = np.flatnonzero(has_parent & (depth == d))
        if len(levels[d - 1]):
            parent[sel] = _zipf_pick(rng, levels[d - 1], len(sel), zipf_a)
    sel = np.flatnonzero(parent >= 0)
    src, dst = [parent[sel]], [comp[sel]]
    is_parent = [np.ones(len(sel), dtype=bool)]

    # Cross-holdings: a company owns one of its ancestor companies (cycle of k + 1 edges).
    n_cycle = min(n_cycle, n_own - len(sel))
    deep = np.flatnonzero((depth >= 1) & (parent >= 0))
    if n_cycle > 0 and len(deep):
        who = deep[rng.integers(0, len(deep), n_cycle)]
        hops = 1 + (rng.random(n_cycle) * depth[who]).astype(np.int64)
        anc = np.full(n_cycle, -1, dtype=np.int64)
        cur = who.copy()                                # company index, or -1 once off the top
        for h in range(1, max_depth + 1):
            up = np.where(cur >= 0, parent[np.maximum(cur, 0)], -1)
            take = (hops == h) & (anc < 0)
            anc[take] = up[take]
            cur = np.where(up >= 0, cidx[np.minimum(np.maximum(up, 0), len(cidx) - 1)], -1)
            cur[up > len(cidx) - 1] = -1
        good = (anc >= 0) & np.isin(anc, comp)          # ancestor companies only
        src.append(comp[who[good]])
        dst.append(anc[good])
        is_parent.append(np.zeros(int(good.sum()), dtype=bool))

    # Further shareholders until the budget is spent.
    k = n_own - sum(len(s) for s in src)
    if k > 0:
        # Targets: companies, mildly heavy-tailed (listed companies have many shareholders).
        tgt_c = _zipf_pick(rng, rng.permutation(nc), k, 0.5)
        own = np.empty(k, dtype=np.int64)
        u = rng.random(k)
        tdepth = depth[tgt_c]
        by_company = ((u < 0.40) | (tops is None)) & (tdepth >= 1)
        by_state = ~by_company & (u >= 0.40) & (u < 0.45) & (len(pub) > 0)
        by_person = ~by_company & ~by_state
        if tops is not None:
            own[by_person] = _zipf_pick(rng, tops, int(by_person.sum()), person_a)
        else:                                            # only companies: a depth-0 one
            own[by_person] = _uniform_pick(rng, levels[0], int(by_person.sum()))
        own[by_state] = _zipf_pick(rng, pub, int(by_state.sum()), zipf_a)
        # Company owners sit at a smaller depth than the target (no cycle from these).
        idx = np.flatnonzero(by_company)
        od = (rng.random(len(idx)) * tdepth[idx]).astype(np.int64)
        for d in range(max_depth - 1):
            s = idx[od == d]
            own[s] = _zipf_pick(rng, levels[d], len(s), zipf_a)
        ok = own != comp[tgt_c]                          # only possible in degenerate mixes
        src.append(own[ok])
        dst.append(comp[tgt_c][ok])
        is_parent.append(np.zeros(int(ok.sum()), dtype=bool))
    return np.concatenate(src), np.concatenate(dst), np.concatenate(is_parent)


def _shares(rng: np.random.Generator, dst: np.ndarray, is_parent: np.ndarray, n_entities: int,
            p_exact: float, p_band: float) -> tuple[np.ndarray, np.ndarray]:
    """Dirichlet split per owned entity, published as exact, band or unknown."""
    g = rng.gamma(np.where(is_parent, 4.0, 0.7))
    total = np.bincount(dst, weights=g, minlength=n_entities)[dst]
    true = np.maximum(np.floor(10000.0 * g / total) / 100.0, 0.01)  # percent, 2 decimals, rounded down
    lo = np.full(len(dst), np.nan)
    hi = np.full(len(dst), np.nan)
    u = rng.random(len(dst))
    exact = u < p_exact
    band = (u >= p_exact) & (u < p_exact + p_band)
    lo[exact] = hi[exact] = true[exact]
    b = np.clip(np.searchsorted(_BANDS[:, 1], true[band], side="left"), 0, len(_BANDS) - 1)
    blo, bhi = _BANDS[b, 0].copy(), _BANDS[b, 1].copy()
    over50 = (true[band] > 50) & (rng.random(int(band.sum())) < 0.3)  # "more than 50%"
    blo[over50], bhi[over50] = 50.0, 100.0
    lo[band], hi[band] = blo, bhi
    return lo, hi


def _relations(rng: np.random.Generator, n_rel: int, pos: dict[str, np.ndarray], n_entities: int,
               listed: np.ndarray, mix: Mapping[str, float], max_depth: int, cycle_fraction: float,
               zipf_a: float, p_exact: float, p_band: float) -> dict[str, np.ndarray]:
    """Relations as arrays: src/dst positions, kind/confidence codes, shares, start days."""
    counts = _counts(n_rel, mix, "owns")
    comp, pers, addr = pos["company"], pos["person"], pos["address"]
    pub, org, dc = pos["public_body"], pos["organization"], pos["data_centre"]
    # Kinds that cannot be made with these entities (tiny or odd mixes) give way to owns.
    feasible = {"owns": len(comp) > 0, "officer_of": len(pers) > 0 and len(comp) + len(org) + len(pub) > 0,
                "registered_at": len(addr) > 0 and len(comp) + len(org) + len(pub) + len(dc) > 0,
                "supplies": len(comp) > 1, "rents_compute_from": len(comp) > 1, "operates": len(dc) > 0 and len(comp) > 0,
                "front_for": len(comp) > 1, "controls": len(comp) > 1, "linked_to": n_entities > 1}
    for kind in list(counts):
        if kind != "owns" and not feasible.get(kind, True):
            counts["owns"] += counts[kind]
            counts[kind] = 0
    # Roles inside the company pool (ranked, so Zipf picks favour the first ones).
    shuffled = comp[rng.permutation(len(comp))]
    n_prov = max(1, len(comp) // 200)
    providers = shuffled[:n_prov]
    shells = shuffled[n_prov:n_prov + max(1, len(comp) // 50)]
    sellers = shuffled[n_prov + len(shells):]
    if not len(sellers):
        sellers = shuffled
    legal = np.sort(np.concatenate([comp, pers, pub, org]))
    anything = np.arange(n_entities)
    listed_co = listed[np.isin(listed, comp)]

    parts: list[tuple[str, np.ndarray, np.ndarray]] = []
    is_parent = np.empty(0, dtype=bool)
    for kind, k in counts.items():
        if k <= 0:
            continue
        if kind == "owns":
            s, d, is_parent = _ownership(rng, k, pos, max_depth, cycle_fraction, zipf_a)
        elif kind == "officer_of":
            boards = np.concatenate([np.repeat(comp, 8), org, pub])  # mostly companies
            s = _zipf_pick(rng, pers[rng.permutation(len(pers))], k, 0.6)
            d = _uniform_pick(rng, boards, len(s))
        elif kind == "registered_at":
            srcs = np.concatenate([comp, org, pub, dc])
            s = srcs[rng.permutation(len(srcs))[:k]] if k <= len(srcs) else _uniform_pick(rng, srcs, k)
            d = _zipf_pick(rng, addr, len(s), 1.0)
        elif kind == "supplies":
            s = _zipf_pick(rng, sellers, k, 0.9)
            to_dc = (rng.random(k) < 0.1) & (len(dc) > 0)
            d = _uniform_pick(rng, comp, k)
            d[to_dc] = _uniform_pick(rng, dc, int(to_dc.sum()))
            d = _no_self(rng, s, d, comp)
        elif kind == "rents_compute_from":
            s = _uniform_pick(rng, comp, k)
            to_dc = (rng.random(k) < 0.3) & (len(dc) > 0)
            d = _zipf_pick(rng, providers, k, 1.0)
            d[to_dc] = _uniform_pick(rng, dc, int(to_dc.sum()))
            d = _no_self(rng, s, d, comp)
        elif kind == "operates":
            s = _zipf_pick(rng, providers, k, 1.0)
            d = _uniform_pick(rng, dc, k)
        elif kind == "front_for":
            s = _uniform_pick(rng, shells, k)
            d = _zipf_pick(rng, comp, k, 0.8)
            to_listed = (rng.random(k) < 0.3) & (len(listed_co) > 0)  # often a listed principal
            d[to_listed] = _uniform_pick(rng, listed_co, int(to_listed.sum()))
            d = _no_self(rng, s, d, comp)
        elif kind == "controls":
            s = _zipf_pick(rng, comp, k, 0.8)
            by_state = (rng.random(k) < 0.5) & (len(pub) > 0)
            s[by_state] = _zipf_pick(rng, pub, int(by_state.sum()), 0.8)
            d = _no_self(rng, s, _uniform_pick(rng, comp, k), comp)
        elif kind == "linked_to":
            s = _uniform_pick(rng, legal, k)
            d = _no_self(rng, s, _uniform_pick(rng, anything, k), anything)
        else:
            raise ValueError(f"the generator does not know how to make {kind!r} relations")
        if len(s):
            parts.append((kind, np.asarray(s, dtype=np.int64), np.asarray(d, dtype=np.int64)))

    kinds = list(RELATION_MIX) + [k for k in mix if k not in RELATION_MIX]
    src = np.concatenate([p[1] for p in parts]) if parts else np.empty(0, dtype=np.int64)
    dst = np.concatenate([p[2] for p in parts]) if parts else np.empty(0, dtype=np.int64)
    kind = np.concatenate([np.full(len(p[1]), kinds.index(p[0]), dtype=np.int64) for p in parts]) \
        if parts else np.empty(0, dtype=np.int64)
    n = len(src)
    lo = np.full(n, np.nan)
    hi = np.full(n, np.nan)
    if parts and parts[0][0] == "owns":
        m = len(parts[0][1])
        lo[:m], hi[:m] = _shares(rng, dst[:m], is_parent, n_entities, p_exact, p_band)
    conf = np.empty(n, dtype=np.int64)
    off = 0
    for k_name, s, _ in parts:
        conf[off:off + len(s)] = _choice(rng, _CONFIDENCE.get(k_name, (0.4, 0.4, 0.2)), len(s))
        off += len(s)
    days = _DATES.draw_days(rng, n, "1995-01-01", "2025-06-30")
    order = rng.permutation(n)                          # rows are shuffled, not grouped by kind
    return {"source": src[order], "target": dst[order], "kind": kind[order], "kinds": np.array(kinds),
            "share_min": lo[order], "share_max": hi[order], "confidence": conf[order],
            "start_day": days[order]}


_DATES = _DateText()


def _source_pool(rng: np.random.Generator, k: int = 4000) -> pa.Array:
    """A few thousand citations (register extracts, filings, press, analyst notes)."""
    prefixes = _table(["https://www.gsxt.gov.cn/extract/", "https://opencorporates.com/companies/cn/",
                       "https://find-and-update.company-information.service.gov.uk/company/",
                       "https://www.ft.com/content/", "register:CN-SAMR/", "filing:HKEX/", "analyst-note:"])
    nums = pc.utf8_lpad(pa.array(rng.integers(0, 10**8, k)).cast(pa.string()), 8, "0")
    return _join(_take(prefixes, rng.integers(0, len(prefixes), k)), nums)


def _listings(rng: np.random.Generator, pos: dict[str, np.ndarray], n_entities: int,
              fraction: float, zipf_a: float) -> tuple[np.ndarray, np.ndarray]:
    """Listed entity positions and list codes (indices into LIST_MIX)."""
    legal = np.concatenate([pos["company"], pos["person"], pos["public_body"], pos["organization"]])
    n_listed = min(len(legal), int(round(fraction * n_entities)))
    if n_listed == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    # 40% from the biggest holding companies (Zipf over companies), the rest uniform.
    big = np.unique(_zipf_pick(rng, pos["company"], int(n_listed * 0.4), zipf_a))
    rest = np.setdiff1d(legal, big)
    rest = rest[rng.permutation(len(rest))[:max(0, n_listed - len(big))]]
    listed = np.concatenate([big, rest])
    first = _choice(rng, list(LIST_MIX.values()), len(listed))
    # About 10% of listed entities are on a second, different list.
    again = np.flatnonzero(rng.random(len(listed)) < 0.10)
    n_codes = len(LIST_MIX)
    second = (first[again] + 1 + rng.integers(0, n_codes - 1, len(again))) % n_codes
    return np.concatenate([listed, listed[again]]), np.concatenate([first, second])


# --- public API ----------------------------------------------------------------------
def make_frames(n_entities: int, n_relations: int, seed: int = 0, *,
                entity_mix: Mapping[str, float] | None = None,
                relation_mix: Mapping[str, float] | None = None,
                listed_fraction: float = 0.01, max_depth: int = 10, cycle_fraction: float = 0.002,
                zipf_a: float = 0.8, share_exact: float = 0.45, share_band: float = 0.30,
                end_fraction: float = 0.0, with_roles: bool = False,
                ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Generate ``(entities, relations, listings)`` frames in graphkit's input layout.

    Parameters
    ----------
    n_entities, n_relations : int
        Rows of the entities and relations tables (listings follow ``listed_fraction``).
        ``n_relations`` is met exactly unless the entities are too few to carry them
        (kinds that cannot be made, e.g. ``operates`` without data centres, become ``owns``).
    seed : int
        Seed of ``numpy.random.default_rng``; equal arguments give equal frames.
    entity_mix, relation_mix : mapping, optional
        Share of each entity / relation kind (defaults :data:`ENTITY_MIX`,
        :data:`RELATION_MIX`; kinds left out get 0). Relation kinds must be among
        those of :data:`RELATION_MIX`.
    listed_fraction : float
        Listed entities as a fraction of ``n_entities`` (default 1%).
    max_depth : int
        Longest ownership chain in ``owns`` hops, ignoring cycles (default 10).
    cycle_fraction : float
        Fraction of ``owns`` edges that close a cycle (a company owning an ancestor).
    zipf_a : float
        Zipf exponent for picking owning companies and public bodies (higher: a few
        holding companies own more); people owning shares use ``min(zipf_a, 0.5)``.
    share_exact, share_band : float
        Fractions of ``owns`` edges published with an exact share / a band; the rest
        have an unknown share (both bounds empty).
    end_fraction : float
        If > 0, add an ``end`` column (after ``start``): that fraction of relations
        ended (a full date 30 days to 10 years after the start, at the latest
        2025-10-31), the rest empty. For ``as_of`` benchmarks.
    with_roles : bool
        Add a ``roles`` column (``cloud_provider`` on companies others rent compute
        from, ``shell_front`` on front companies). Off by default: not part of the
        build benchmark's layout.

    Returns
    -------
    entities : DataFrame
        ``id, name, kind, country`` (+ ``roles``); text columns use pandas' ``str`` dtype.
    relations : DataFrame
        ``source, target, kind, share_min, share_max, start, confidence, source_ref``
        (+ ``end``); shares are float percent, NaN when not given.
    listings : DataFrame
        ``entity, list, start``.
    """
    rng = np.random.default_rng(seed)
    emix = {k: 0.0 for k in ENTITY_MIX} | dict(ENTITY_MIX if entity_mix is None else entity_mix)
    rmix = {"owns": 0.0} | dict(RELATION_MIX if relation_mix is None else relation_mix)
    unknown = set(rmix) - set(RELATION_MIX)
    if unknown:
        raise ValueError(f"unknown relation kinds {sorted(unknown)}; known: {list(RELATION_MIX)}")
    ent_cols, pos = _entities(rng, n_entities, emix)
    l_ent, l_code = _listings(rng, pos, n_entities, listed_fraction, zipf_a)
    rel = _relations(rng, n_relations, pos, n_entities, np.unique(l_ent), rmix, max_depth,
                     cycle_fraction, zipf_a, share_exact, share_band)
    ids = ent_cols["id"]
    n = len(rel["source"])

    entities = pd.DataFrame({c: _text_series(a) for c, a in ent_cols.items()})
    if with_roles:
        roles = np.full(n_entities, None, dtype=object)
        kinds = rel["kinds"][rel["kind"]]
        prov = np.unique(rel["target"][kinds == "rents_compute_from"])
        roles[prov[np.isin(prov, pos["company"])]] = "cloud_provider"
        roles[np.unique(rel["source"][kinds == "front_for"])] = "shell_front"
        entities["roles"] = roles
    refs = _source_pool(rng)
    relations = pd.DataFrame({
        "source": _text_series(_take(ids, rel["source"])),
        "target": _text_series(_take(ids, rel["target"])),
        "kind": _text_series(_take(_table(rel["kinds"]), rel["kind"])),
        "share_min": rel["share_min"], "share_max": rel["share_max"],
        "start": _text_series(_take(_DATES.table, _DATES.codes(rng, rel["start_day"]))),
        "confidence": _text_series(_take(_table(_CONFIDENCE_LEVELS), rel["confidence"])),
        "source_ref": _text_series(_take(refs, rng.integers(0, len(refs), n))),
    })
    if end_fraction > 0:
        last = _DATES.day("2025-10-31")
        end_day = np.minimum(rel["start_day"] + rng.integers(30, 3650, n), last)
        code = np.where(rng.random(n) < end_fraction, end_day, _DATES.null)
        relations.insert(relations.columns.get_loc("start") + 1, "end",
                         _text_series(_take(_DATES.table, code)))
    listing_days = _DATES.draw_days(rng, len(l_ent), "2018-01-01", "2025-10-31")
    listings = pd.DataFrame({
        "entity": _text_series(_take(ids, l_ent)),
        "list": _text_series(_take(_table(list(LIST_MIX)), l_code)),
        "start": _text_series(_take(_DATES.table, _DATES.codes(rng, listing_days, 1.0, 0.0, 0.0))),
    })
    return entities, relations, listings


_FORM_VARIANTS = {"Co., Ltd.": ["Co Ltd", "Company Limited", "CO., LTD", "有限公司", ""],
                  "Limited": ["Ltd", "Ltd.", "LIMITED", ""],
                  "Group Co., Ltd.": ["Group", "Group Company Limited", "Grp Co Ltd"],
                  "Holdings Limited": ["Holdings", "Hldgs Ltd", "Holding Ltd"],
                  "Technology Co., Ltd.": ["Tech Co Ltd", "Technology Company Limited"],
                  "Corp.": ["Corporation", "Corp", ""], "LLC": ["L.L.C.", ""], "Inc.": ["Inc", "Incorporated"],
                  "Pte. Ltd.": ["Pte Ltd", "Private Limited"], "Joint Stock Co., Ltd.": ["JSC", "Co., Ltd."]}


def make_queries(entities: pd.DataFrame, n: int, seed: int = 0, *, noise: float = 0.5,
                 kinds: tuple[str, ...] = ("company", "person", "organization", "public_body"),
                 unknown_fraction: float = 0.2) -> pd.DataFrame:
    """Messy name queries for screening / matching benchmarks.

    Returns a DataFrame ``query, true_id`` of ``n`` rows: a ``1 - unknown_fraction`` part
    are names of entities of ``kinds`` altered with probability ``noise`` (case,
    legal-form variant, a dropped word, one typo); the rest are invented names of
    no entity (``true_id`` empty).
    """
    rng = np.random.default_rng(seed)
    pool = entities[entities["kind"].isin(kinds)]
    n_known = int(round(n * (1 - unknown_fraction)))
    pick = pool.iloc[rng.integers(0, len(pool), n_known)]
    names = pick["name"].astype(str).tolist()
    out = []
    for name, u in zip(names, rng.random((n_known, 4))):
        q = name
        if u[0] < noise:
            for form, variants in _FORM_VARIANTS.items():
                if q.endswith(form):
                    q = (q[: -len(form)] + variants[int(u[1] * len(variants))]).strip()
                    break
        if u[1] < noise / 2:
            q = q.upper() if u[2] < 0.5 else q.lower()
        if u[2] < noise / 3:
            words = q.split()
            if len(words) > 2:
                del words[int(u[3] * len(words))]
                q = " ".join(words)
        if u[3] < noise / 3 and len(q) > 4:
            i = int(u[0] * (len(q) - 1))
            q = q[:i] + q[i + 1] + q[i] + q[i + 2:]
        out.append(q)
    fake = _names(rng, "company", n - n_known).to_pylist()
    frame = pd.DataFrame({"query": out + fake,
                          "true_id": pick["id"].astype(object).tolist() + [None] * (n - n_known)})
    return frame.iloc[rng.permutation(n)].reset_index(drop=True)


def make_buyers(entities: pd.DataFrame, n: int, seed: int = 0, *, unknown_fraction: float = 0.01,
                kinds: tuple[str, ...] = ("company", "organization", "public_body", "person")) -> pd.DataFrame:
    """A customer list of ``n`` rows given as already resolved entity ids (screening benchmarks).

    Returns a DataFrame ``id, name``: ids drawn uniformly (with repeats, as real customer
    lists have) from entities of ``kinds``, companies four times as likely as the other
    kinds; an ``unknown_fraction`` of rows carry an id that is not in the graph (they must
    come out ``unmatched``, not dropped). ``name`` is the entity's name (None for unknown ids).
    """
    rng = np.random.default_rng(seed)
    pool = entities[entities["kind"].isin(kinds)]
    weight = np.where(pool["kind"].to_numpy() == "company", 4.0, 1.0)
    n_known = n - int(round(n * unknown_fraction))
    pick = pool.iloc[rng.choice(len(pool), size=n_known, p=weight / weight.sum())]
    ids = pick["id"].astype(object).tolist() + [f"X{i:08d}" for i in range(n - n_known)]
    names = pick["name"].astype(object).tolist() + [None] * (n - n_known)
    order = rng.permutation(n)
    return pd.DataFrame({"id": np.asarray(ids, dtype=object)[order],
                         "name": np.asarray(names, dtype=object)[order]})


def describe(entities: pd.DataFrame, relations: pd.DataFrame, listings: pd.DataFrame) -> str:
    """A short text summary: counts by kind, degree tails, share publication, listings."""
    lines = [f"entities {len(entities):,}: " + ", ".join(f"{k} {v:,}" for k, v in entities["kind"].value_counts().items()),
             f"relations {len(relations):,}: " + ", ".join(f"{k} {v:,}" for k, v in relations["kind"].value_counts().items())]
    own = relations[relations["kind"] == "owns"]
    if len(own):
        deg = own["source"].value_counts()
        indeg = own["target"].value_counts()
        exact = (own["share_min"] == own["share_max"]).mean()
        unknown = own["share_min"].isna().mean()
        lines.append(f"owns: max out-degree {deg.iloc[0]:,}, top-10 owners hold {deg.iloc[:10].sum():,} edges, "
                     f"median out-degree {int(deg.median())}, max in-degree {indeg.iloc[0]:,}; shares exact "
                     f"{exact:.0%}, band {1 - exact - unknown:.0%}, unknown {unknown:.0%}")
    reg = relations[relations["kind"] == "registered_at"]
    if len(reg):
        lines.append(f"registered_at: busiest address hosts {reg['target'].value_counts().iloc[0]:,} entities")
    lines.append(f"listings {len(listings):,} on {listings['entity'].nunique():,} entities: "
                 + ", ".join(f"{k} {v:,}" for k, v in listings["list"].value_counts().items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entities", type=int, default=100_000)
    ap.add_argument("--relations", type=int, default=300_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, help="write entities/relations/listings.parquet here")
    a = ap.parse_args(argv)
    t = time.perf_counter()
    ents, rels, lists = make_frames(a.entities, a.relations, a.seed)
    print(f"generated in {time.perf_counter() - t:.2f} s")
    print(describe(ents, rels, lists))
    if a.out:
        a.out.mkdir(parents=True, exist_ok=True)
        for name, df in (("entities", ents), ("relations", rels), ("listings", lists)):
            df.to_parquet(a.out / f"{name}.parquet", index=False)
        print(f"written to {a.out}")


if __name__ == "__main__":
    main()
