"""Speed of the tally → vectorised-estimates path against DuckDB and pandas groupby-apply.

Data: 10 million synthetic responses, 24 monthly periods × 50 segments (1 200 groups), NPS
0–10 as float64 (a few NaN), ``period`` a pandas Period[M] column and ``segment`` a category,
as in cxkit's canonical responses table.

Timed (cxkit and DuckDB in 9 interleaved repetitions; others best of 5 after one warm-up, same process; the machine's load average is printed because
other processes share its 2 cores):

* cxkit: ``cxkit.summarize(df, "nps", by=["period", "segment"], method="wald")`` (the
  adjusted-Wald closed form is timed too; the default score interval, since issue 11.2, is a
  vectorised bisection over all groups): tally in one bincount pass + closed-form intervals over arrays.
* DuckDB: one GROUP BY over the same pandas frame (registered, zero-copy where DuckDB can)
  computing promoters/detractors counts, NPS and its Wald interval per group.
* pandas: ``df.groupby(["period", "segment"]).apply(per_group_nps)`` with a per-group function
  computing NPS and its Wald interval.
* bootstrap: ``cxkit.nps_from_counts(..., method="bootstrap", n_boot=10_000, seed=1)`` on the
  histogram of a 1-million-response sample, and ``cxkit.nps(scores_1M, method="bootstrap")``
  including the tally of the raw scores.

Run: .venv/bin/python benchmarks/tally.py
"""

from __future__ import annotations

import os
import sys
import time

# this folder holds a coverage.py script, which would shadow the coverage package that numba
# imports (numba then fails to import and cxkit silently uses its numpy path)
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import numpy as np
import pandas as pd

import cxkit

N = 10_000_000
MONTHS, SEGMENTS = 24, 50
SEED = 7
REPS = 9
Z = 1.959963984540054


def make_data(rng):
    month = rng.integers(0, MONTHS, N, dtype=np.int16)
    seg = rng.integers(0, SEGMENTS, N, dtype=np.int16)
    # segment-dependent score distribution so groups differ
    base = rng.integers(0, 11, N, dtype=np.int16)
    lift = (seg % 3 == 0) & (rng.random(N) < 0.3)
    nps = np.minimum(base + lift * 3, 10).astype(np.float64)
    nps[rng.random(N) < 0.01] = np.nan
    periods = pd.period_range("2024-11", periods=MONTHS, freq="M")
    df = pd.DataFrame({
        "period": pd.Series(periods.take(month)),
        "segment": pd.Categorical.from_codes(seg, categories=[f"S{i:02d}" for i in range(SEGMENTS)]),
        "nps": nps,
    })
    return df


def best(fn, repeat=5):
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


SQL = f"""
SELECT period_str, segment,
       count(*) AS n,
       sum(CASE WHEN nps >= 9 THEN 1 ELSE 0 END) AS promoters,
       sum(CASE WHEN nps <= 6 THEN 1 ELSE 0 END) AS detractors,
       100.0 * (promoters - detractors) / n AS value,
       100.0 * sqrt(((promoters + detractors) / n - power((promoters - detractors) / n, 2)) / n) AS se,
       value - {Z} * se AS ci_low,
       value + {Z} * se AS ci_high
FROM responses
WHERE nps IS NOT NULL
GROUP BY period_str, segment
"""


def per_group_nps(g):
    s = g["nps"].dropna().to_numpy()
    n = len(s)
    pp, pd_ = (s >= 9).mean(), (s <= 6).mean()
    v = pp - pd_
    se = np.sqrt((pp + pd_ - v * v) / n)
    return pd.Series({"n": n, "value": 100 * v, "se": 100 * se,
                      "ci_low": 100 * (v - Z * se), "ci_high": 100 * (v + Z * se)})


def main():
    import duckdb

    rng = np.random.default_rng(SEED)
    t0 = time.perf_counter()
    df = make_data(rng)
    print(f"data: {N:,} responses, {MONTHS} months × {SEGMENTS} segments; generated in "
          f"{time.perf_counter() - t0:.1f} s; {os.cpu_count()} CPU cores; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    # DuckDB: give it the period as text (it cannot scan pandas Period objects), category as ENUM
    ddf = pd.DataFrame({"period_str": df["period"].astype(str).astype("category"),
                        "segment": df["segment"], "nps": df["nps"]})
    con = duckdb.connect()
    con.register("responses", ddf)

    def run_cx():
        return cxkit.summarize(df, "nps", by=["period", "segment"], method="wald")

    from cxkit.stats import kernels
    t0 = time.perf_counter()
    run_cx()
    t_first = time.perf_counter() - t0
    t0 = time.perf_counter()
    run_cx()
    t_second = time.perf_counter() - t0
    compiled = any(v not in (None, False) for k, v in kernels._KERNELS.items() if k != "numba")
    print(f"tally kernel: {'compiled (numba)' if compiled else 'numpy path (numba unavailable)'}; "
          f"first call {t_first:.3f} s (numba import + JIT compile or cache load), second "
          f"{t_second:.3f} s")

    def run_np():                               # the numpy path, for comparison
        saved = dict(kernels._KERNELS)
        kernels._KERNELS["numba"] = False
        for k in list(kernels._KERNELS):
            if k != "numba":
                del kernels._KERNELS[k]
        try:
            return run_cx()
        finally:
            kernels._KERNELS.clear()
            kernels._KERNELS.update(saved)

    def run_duck():
        return con.execute(SQL).df()

    # interleaved repetitions so both see the same machine load; report best times and the
    # median of the per-repetition ratios
    res, dres = run_cx(), run_duck()
    cx_times, duck_times, np_times = [], [], []
    for _ in range(REPS):
        for fn, acc in ((run_cx, cx_times), (run_duck, duck_times), (run_np, np_times)):
            t0 = time.perf_counter()
            fn()
            acc.append(time.perf_counter() - t0)
    t_cx, t_duck = min(cx_times), min(duck_times)
    ratio_duck = float(np.median(np.array(duck_times) / np.array(cx_times)))
    t_cx_adj, _ = best(lambda: cxkit.summarize(df, "nps", by=["period", "segment"],
                                               method="adjusted-wald"))
    t_tally, _ = best(lambda: cxkit.tally(df, "nps", by=["period", "segment"]))
    t_pd, pres = best(lambda: df.groupby(["period", "segment"], observed=True).apply(
        per_group_nps, include_groups=False), repeat=2)

    # agreement check (Wald values) between the three
    a = res.assign(period=res["period"].astype(str), segment=res["segment"].astype(str)) \
        .set_index(["period", "segment"]).sort_index()
    b = dres.assign(segment=dres["segment"].astype(str), period=dres["period_str"].astype(str)) \
        .set_index(["period", "segment"]).sort_index()
    c = pres.reset_index().assign(period=lambda d: d["period"].astype(str),
                                  segment=lambda d: d["segment"].astype(str)) \
        .set_index(["period", "segment"]).sort_index()
    agree = (np.allclose(a["value"], b["value"]) and np.allclose(a["ci_low"], b["ci_low"])
             and np.allclose(a["value"], c["value"]) and np.allclose(a["ci_high"], c["ci_high"]))

    # bootstrap on a 1-million-response sample
    sample = df["nps"].to_numpy()[:1_000_000]
    x = cxkit.nps_values(sample)
    D, M, P = int((x == -100).sum()), int((x == 0).sum()), int((x == 100).sum())
    t_boot, eb = best(lambda: cxkit.nps_from_counts(D, M, P, method="bootstrap", n_boot=10_000, seed=1))
    t_boot_raw, eb2 = best(lambda: cxkit.nps(sample, method="bootstrap", n_boot=10_000, seed=1))

    print(f"groups: {len(res)}; cxkit, DuckDB and pandas agree on value/interval: {agree}")
    print()
    print("| what | time (s) | ratio |")
    print("|---|---:|---:|")
    print(f"| cxkit summarize (tally + Wald intervals, all groups) | {t_cx:.3f} | 1.0 |")
    print(f"| cxkit summarize, numpy tally path (no numba) | {min(np_times):.3f} | "
          f"{min(np_times) / t_cx:.2f} (median ratio to DuckDB "
          f"{float(np.median(np.array(duck_times) / np.array(np_times))):.2f}×) |")
    print(f"| cxkit summarize, adjusted-Wald | {t_cx_adj:.3f} | {t_cx_adj / t_cx:.2f} |")
    print(f"| cxkit tally only | {t_tally:.3f} | {t_tally / t_cx:.2f} |")
    print(f"| DuckDB GROUP BY (counts, NPS, Wald) | {t_duck:.3f} | {t_duck / t_cx:.2f}× cxkit "
          f"(median of interleaved runs {ratio_duck:.2f}×) |")
    print(f"| pandas groupby().apply(per-group NPS) | {t_pd:.3f} | {t_pd / t_cx:.1f}× cxkit |")
    print(f"| bootstrap 10,000 resamples, 1M responses (from counts) | {t_boot:.4f} | |")
    print(f"| bootstrap 10,000 resamples, 1M raw scores (incl. tally) | {t_boot_raw:.4f} | |")
    print()
    ok1, ok2, ok3 = ratio_duck >= 2, t_pd / t_cx >= 10, t_boot_raw < 0.1
    print(f"target ≥ 2× faster than DuckDB: {'met' if ok1 else 'MISSED'} (median ratio "
          f"{ratio_duck:.2f}×, best-time ratio {t_duck / t_cx:.2f}×; per-run ratios "
          f"{np.min(np.array(duck_times) / np.array(cx_times)):.2f}–"
          f"{np.max(np.array(duck_times) / np.array(cx_times)):.2f}×)")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"target ≥ 10× faster than groupby-apply: {'met' if ok2 else 'MISSED'} ({t_pd / t_cx:.1f}×)")
    print(f"target bootstrap < 0.1 s on 1M responses: {'met' if ok3 else 'MISSED'} "
          f"({t_boot_raw:.4f} s incl. tally, {t_boot:.4f} s from counts); interval "
          f"[{eb2.ci_low:.2f}, {eb2.ci_high:.2f}] (seed 1, reproducible: "
          f"{cxkit.nps(sample, method='bootstrap', seed=1).ci_low == eb2.ci_low})")


if __name__ == "__main__":
    main()
