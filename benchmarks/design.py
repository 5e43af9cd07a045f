"""Does the design-based variance keep the histogram fast path?

Times cxkit.summarize (weights only) against cxkit.design_summary (strata + clusters, from the
histogram tallied by stratum and PSU) and against a per-row numpy implementation of the same
formula, on 1,000,000 generated responses (20 strata × 50 PSUs); prints the ratios and checks
the SEs agree.  Run: PYTHONPATH=. .venv/bin/python benchmarks/design.py
"""
import time

import numpy as np
import pandas as pd

import cxkit

rng = np.random.default_rng(17)
N = 1_000_000
h = rng.integers(0, 20, N)
c = rng.integers(0, 50, N)
df = pd.DataFrame({"nps": rng.integers(0, 11, N).astype(float),
                   "h": pd.Categorical(h), "c": pd.Categorical(c),
                   "weight": rng.uniform(0.5, 2.0, N)})
df.attrs = {"cxkit": {"weight": "weight"}}


def best(f, k=3):
    ts = []
    for _ in range(k):
        t0 = time.perf_counter()
        out = f()
        ts.append(time.perf_counter() - t0)
    return min(ts), out


t_srs, a = best(lambda: cxkit.summarize(df, "nps", weighted=True))
t_des, b = best(lambda: cxkit.design_summary(df, "nps", design={"strata": "h", "cluster": "c"}))


def per_row():
    x = np.where(df["nps"] >= 9, 100.0, np.where(df["nps"] <= 6, -100.0, 0.0))
    w = df["weight"].to_numpy()
    m = (w * x).sum() / w.sum()
    z = w * (x - m) / w.sum()
    psu = h * 50 + c
    zu = np.bincount(psu, z, minlength=1000)
    ph = np.arange(1000) // 50
    s1 = np.bincount(ph, zu, minlength=20)
    s2 = np.bincount(ph, zu * zu, minlength=20)
    return np.sqrt(np.sum(50 / 49 * (s2 - s1 * s1 / 50)))


t_row, se_row = best(per_row)
print(f"1,000,000 responses, 20 strata x 50 PSUs (best of 3)")
print(f"summarize (weights only)         {t_srs * 1000:8.1f} ms")
print(f"design_summary (strata+clusters) {t_des * 1000:8.1f} ms   ratio to summarize {t_des / t_srs:5.2f}")
print(f"per-row numpy, same formula      {t_row * 1000:8.1f} ms   ratio to summarize {t_row / t_srs:5.2f}")
print(f"SE design {b['se'][0]:.6f} vs per-row {se_row:.6f} (agree: {abs(b['se'][0] - se_row) < 1e-9})")

# item non-response (20% of NPS blank, one whole PSU blank): domain estimation over the full
# design — the blank rows stay PSU members with z = 0 (R svymean(na.rm = TRUE))
dm = df.assign(nps=df["nps"].mask((rng.random(N) < 0.2) | ((h == 3) & (c == 7))))
dm.attrs = df.attrs
t_mis, bm = best(lambda: cxkit.design_summary(dm, "nps", design={"strata": "h", "cluster": "c"}))


def per_row_missing():
    s = dm["nps"].to_numpy()
    ok = ~np.isnan(s)
    x = np.where(s >= 9, 100.0, np.where(s <= 6, -100.0, 0.0))
    w = np.where(ok, dm["weight"].to_numpy(), 0.0)
    m = (w * x).sum() / w.sum()
    z = np.where(ok, w * (x - m) / w.sum(), 0.0)
    zu = np.bincount(h * 50 + c, z, minlength=1000)
    ph = np.arange(1000) // 50
    s1 = np.bincount(ph, zu, minlength=20)
    s2 = np.bincount(ph, zu * zu, minlength=20)
    return np.sqrt(np.sum(50 / 49 * (s2 - s1 * s1 / 50)))


se_mis = per_row_missing()
print(f"design_summary, 20% blank NPS     {t_mis * 1000:8.1f} ms   ratio to summarize {t_mis / t_srs:5.2f}")
print(f"SE blank design {bm['se'][0]:.6f} vs per-row over the full design {se_mis:.6f} "
      f"(agree: {abs(bm['se'][0] - se_mis) < 1e-9})")
