"""Name-matching benchmark: accuracy on real lists, then speed at scale.

Accuracy: the two labelled sets of ``benchmarks/labelled.py`` (built at run time from
``../shared/data``): the *cross-list* set (each list's names and aliases looked up among the
other lists' entities, gold links from a simple-name rule or checked by hand) and the *hard*
set (aliases held out, found from the entity's other names only). Both are split in a tune
and a test half by a hash of the company's cluster; every figure is on the test half.
Prints precision, recall and F1 of ``graphkit.resolve.match`` at its default threshold and at
the threshold best on the tune half, and of two plain baselines (rapidfuzz ``fuzz.ratio`` and
``fuzz.WRatio``, best over every indexed name and alias, lower-cased, at the threshold best on
the tune half), then the misses by kind. ``MATCH_SHOW_MISSES=tune`` lists the tune half's
misses (look at those when tuning, not at the test half's).

Counting: a query is *predicted* when its status is ``matched`` (an ``ambiguous`` answer
whose tied entities all belong to the expected cluster counts as a correct match, other
ambiguous answers as no answer). Precision = correct predictions / predictions; recall =
correct predictions / positive queries. An extra line per set says how many ambiguous answers
at the default threshold are ties inside the expected cluster (one company listed twice, e.g.
on two lists) and gives precision and recall when only status ``matched`` counts.

Speed: an index of ``--entities`` synthetic names (benchmarks/generate.py, pinyin-style company
and person names), then ``--queries`` messy queries (case, legal-form variants, dropped words,
typos, 20% unknown names). Prints build time, memory and names per second on one core.

Run::

    .venv/bin/python benchmarks/bench_match.py                    # accuracy + small speed run
    .venv/bin/python benchmarks/bench_match.py --entities 1000000 --queries 100000   # full size
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process, utils

sys.path.insert(0, str(Path(__file__).resolve().parent))

import labelled  # noqa: E402

from graphkit.resolve import DEFAULT_THRESHOLD, NameIndex, match  # noqa: E402

SHARED = Path(os.environ.get("GRAPHKIT_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _prf(correct: np.ndarray, predicted: np.ndarray, positive: np.ndarray) -> tuple[float, float, float]:
    tp = int((correct & predicted).sum())
    p = tp / max(int(predicted.sum()), 1)
    r = tp / max(int(positive.sum()), 1)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _best_threshold(scores: np.ndarray, correct: np.ndarray, positive: np.ndarray,
                    grid: np.ndarray) -> tuple[float, tuple[float, float, float]]:
    best = (0.0, (0.0, 0.0, 0.0))
    for t in grid:
        pred = scores >= t
        prf = _prf(correct & pred, pred, positive)
        if prf[2] > best[1][2]:
            best = (float(t), prf)
    return best


def run_graphkit(folds: list[labelled.Fold]) -> pd.DataFrame:
    out = []
    for f in folds:
        idx = NameIndex.from_names(f.entities["id"].tolist(), f.entities["name"].tolist(),
                                   aliases=f.entities["aliases"].tolist(),
                                   countries=f.entities["country"].tolist(),
                                   identifiers=f.entities["identifiers"].tolist(), progress=False)
        res = match(f.queries["query"].tolist(), index=idx, threshold=0.0, progress=False)
        res = res.assign(expected=f.queries["expected"].to_numpy(), kind=f.queries["kind"].to_numpy())
        out.append(res)
    return pd.concat(out, ignore_index=True)


def run_baseline(folds: list[labelled.Fold], scorer: Callable[..., float]) -> pd.DataFrame:
    out = []
    for f in folds:
        texts, owners = [], []
        for i, n, a in zip(f.entities["id"], f.entities["name"], f.entities["aliases"]):
            for t in [n, *a]:
                texts.append(t)
                owners.append(i)
        m = process.cdist(f.queries["query"].tolist(), texts, scorer=scorer,
                          processor=utils.default_process, workers=1)
        best = m.argmax(axis=1)
        out.append(pd.DataFrame({"id": [owners[j] for j in best], "score": m.max(axis=1) / 100,
                                 "expected": f.queries["expected"].to_numpy(),
                                 "kind": f.queries["kind"].to_numpy(),
                                 "query": f.queries["query"].to_numpy()}))
    return pd.concat(out, ignore_index=True)


def _correct_ours(r: pd.DataFrame) -> np.ndarray:
    ok = []
    for status, i, exp, cands in zip(r["status"], r["id"], r["expected"], r["candidates"]):
        if status == "ambiguous":
            tied = [c.rsplit(" (", 1)[0] for c in str(cands).split("; ") if c]
            ok.append(bool(exp) and all(t in exp for t in tied))
        else:
            ok.append(isinstance(i, str) and i in exp)
    return np.array(ok)


def _report(title: str, folds: list[labelled.Fold], kinds_apart: tuple[str, ...] = ()) -> None:
    """Print one set: figures on the test half, thresholds of the baselines from the tune half."""
    q = pd.concat([f.queries for f in folds], ignore_index=True)
    # MATCH_HALF=tune reports the tune half instead (for tuning: the test half stays unseen)
    half = os.environ.get("MATCH_HALF", "test")
    test = (q["split"] == half).to_numpy()
    # thresholds are chosen on the tune half; with MATCH_HALF=tune, on the tune half too (the
    # "tune best" rows are then optimistic, but the test half is never read)
    tune = ~test if half == "test" else test
    positive = (q["kind"] != "negative").to_numpy()
    print(f"\n=== {title}: {len(q)} queries ({int(positive.sum())} positives, "
          f"{int((~positive).sum())} negatives); {half} half {int(test.sum())} "
          f"({int((positive & test).sum())} positives), thresholds chosen on {int(tune.sum())}, "
          f"index ~{len(folds[0].entities)} entities")
    grid = np.round(np.arange(0.50, 1.001, 0.01), 2)
    r = run_graphkit(folds)
    correct = _correct_ours(r)
    decided = r["status"].isin(["matched", "ambiguous"]).to_numpy() & correct | \
        (r["status"] == "matched").to_numpy()
    scores = np.where(decided, r["score"].to_numpy(), 0.0)

    def on(mask: np.ndarray, pred: np.ndarray, ok: np.ndarray) -> tuple[float, float, float]:
        return _prf(ok & pred & mask, pred & mask, positive & mask)

    rows = []
    pred = scores >= DEFAULT_THRESHOLD
    rows.append(("graphkit.match", f"{DEFAULT_THRESHOLD:.2f} (default)", *on(test, pred, correct)))
    t, _ = _best_threshold(np.where(tune, scores, 0), correct & tune, positive & tune, grid)
    rows.append(("graphkit.match", f"{t:.2f} (tune best)", *on(test, scores >= t, correct)))
    for name, scorer in (("rapidfuzz fuzz.ratio", fuzz.ratio), ("rapidfuzz fuzz.WRatio", fuzz.WRatio)):
        b = run_baseline(folds, scorer)
        bc = np.array([i in e for i, e in zip(b["id"], b["expected"])])
        bs = b["score"].to_numpy()
        t, _ = _best_threshold(np.where(tune, bs, 0), bc & tune, positive & tune, grid)
        rows.append((name, f"{t:.2f} (tune best)", *on(test, bs >= t, bc)))
    print(f"{'matcher (' + half + ' half)':24} {'threshold':>16} {'precision':>10} {'recall':>8} {'F1':>6}")
    for name, t_, p_, r_, f_ in rows:
        print(f"{name:24} {t_:>16} {p_:>10.3f} {r_:>8.3f} {f_:>6.3f}")
    pred = scores >= DEFAULT_THRESHOLD
    for kind in kinds_apart:
        keep = test & (q["kind"] != kind).to_numpy()
        p_, r_, f_ = on(keep, pred, correct)
        print(f"{'graphkit.match':24} {'without ' + kind[:8]:>16} {p_:>10.3f} {r_:>8.3f} {f_:>6.3f}"
              f"   <- {half} half without the kind {kind!r}")
    # ties that are one company (extra line, for the note): ambiguous answers at or above the
    # threshold whose tied entities are all members of the expected cluster
    amb = (test & positive & (r["status"] == "ambiguous").to_numpy()
           & (r["score"].to_numpy() >= DEFAULT_THRESHOLD))
    one_company = amb & correct
    only_matched = pred & (r["status"] == "matched").to_numpy()
    p_, r_, f_ = on(test, only_matched, correct)
    print(f"  ambiguous, but every tied candidate is in the expected cluster: "
          f"{int(one_company.sum())} / {int(amb.sum())} ambiguous positives at the default "
          f"threshold (the counting rule above counts these as found; counting only status "
          f"'matched': P {p_:.3f} R {r_:.3f} F1 {f_:.3f})")
    if "link" in q.columns:
        for link, grp in q[test & positive].groupby("link"):
            m = grp.index.to_numpy()
            hit = int((correct[m] & pred[m]).sum())
            print(f"  positives linked by {link}: {hit} / {len(m)} found")
    print(f"  threshold sweep (graphkit.match, {half} half): " + ", ".join(
        f"{t_:.2f}: P {on(test, scores >= t_, correct)[0]:.3f} R {on(test, scores >= t_, correct)[1]:.3f}"
        for t_ in (0.80, 0.85, 0.88, 0.90, 0.92)))
    r = r.assign(correct=correct, predicted=pred, split=q["split"].to_numpy())
    rt = r[test]
    print(f"  by kind, {half} half, default threshold {DEFAULT_THRESHOLD:.2f} "
          "(positives: found / total; negatives: false matches / total):")
    for kind, grp in rt.groupby("kind"):
        if kind == "negative":
            print(f"    {kind:26} {int(grp['predicted'].sum()):4d} / {len(grp)} falsely matched")
        else:
            hit = int((grp["correct"] & grp["predicted"]).sum())
            wrong = int((~grp["correct"] & grp["predicted"]).sum())
            print(f"    {kind:26} {hit:4d} / {len(grp)} found, {wrong} wrong entity, "
                  f"{len(grp) - hit - wrong} missed")
    if os.environ.get("MATCH_SHOW_MISSES"):
        half = os.environ["MATCH_SHOW_MISSES"]  # "tune", "test" or "all"
        pos_ = (r["kind"] != "negative").to_numpy()
        bad = r[((pos_ & ~(r["correct"] & r["predicted"])) | (~pos_ & r["predicted"]))
                & ((r["split"] == half) | (half == "all"))]
        print(f"  misses and false matches ({half} half):")
        for x in bad.itertuples():
            print(f"    {x.kind[:10]:10} {x.score:.2f} {x.status[:5]:5} {str(x.query)[:60]!r:62} "
                  f"-> {str(x.id)[-40:]:40} {str(x.reason)[:110]}")


def accuracy() -> None:
    t0 = time.perf_counter()
    cross = labelled.build_cross(SHARED)
    hard = labelled.build(SHARED)
    print(f"labelled sets built from {SHARED} in {time.perf_counter() - t0:.1f}s; every figure "
          "below is on the TEST half (split by a hash of the company's cluster); thresholds "
          "marked 'tune best' were chosen on the tune half")
    halves: dict[str, set[str]] = {}
    for f in [*cross, *hard]:
        for company, half in zip(f.queries["company"], f.queries["split"]):
            halves.setdefault(company, set()).add(half)
    both = {c for c in halves if any(c in set(f.queries["company"]) for f in cross)
            and any(c in set(f.queries["company"]) for f in hard)}
    print(f"split check: {len(halves)} companies, {len(both)} in both sets, "
          f"{sum(len(h) > 1 for h in halves.values())} in both halves (must be 0)")
    _report("cross-list set (each list's names looked up among the other lists)", cross,
            ("same simple name",))
    _report("hard set (aliases held out: found from the entity's OTHER names only)", hard,
            ("different words", "acronym"))


def speed(n_entities: int, n_queries: int) -> None:
    from generate import make_frames, make_queries

    t0 = time.perf_counter()
    ents, _, _ = make_frames(n_entities, 0, seed=0)
    queries = make_queries(ents, n_queries, seed=1)
    print(f"\nspeed: generated {n_entities:,} entities, {n_queries:,} queries in "
          f"{time.perf_counter() - t0:.1f}s")
    gc.collect()
    rss0 = _rss_mb()
    t0 = time.perf_counter()
    idx = NameIndex.from_names(ents["id"].tolist(), ents["name"].tolist(),
                               countries=ents["country"].tolist(), progress=False)
    build = time.perf_counter() - t0
    gc.collect()
    print(f"  index: {len(idx):,} entities, {idx.n_entries:,} names, built in {build:.1f}s, "
          f"memory +{_rss_mb() - rss0:,.0f} MB (RSS)")
    t0 = time.perf_counter()
    if os.environ.get("MATCH_PROFILE"):
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
    res = match(queries["query"].tolist(), index=idx, progress=False)
    dt = time.perf_counter() - t0
    if os.environ.get("MATCH_PROFILE"):
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(18)
    truth = queries["true_id"].to_numpy()
    known = pd.notna(truth)
    got = res["id"].fillna("").to_numpy(dtype=object)
    hit = np.array([g == t for g, t in zip(got, truth)]) & known
    wrong = (res["status"] == "matched").to_numpy() & ~hit
    print(f"  matched {n_queries:,} queries in {dt:.1f}s = {n_queries / dt:,.0f} names/s on one core")
    print(f"  synthetic accuracy: {hit.sum() / known.sum():.3f} of known found, "
          f"{wrong.sum()} wrong matches, status counts {res['status'].value_counts().to_dict()}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--entities", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=10_000)
    ap.add_argument("--no-accuracy", action="store_true")
    ap.add_argument("--no-speed", action="store_true")
    args = ap.parse_args()
    logging.disable(logging.WARNING)
    if not args.no_accuracy:
        if SHARED.is_dir():
            accuracy()
        else:
            print(f"accuracy skipped: {SHARED} not found (set GRAPHKIT_SHARED_DATA)")
    if not args.no_speed:
        speed(args.entities, args.queries)


if __name__ == "__main__":
    main()
