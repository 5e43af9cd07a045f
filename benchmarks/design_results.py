"""Do trend, decompose_change and brand_comparison keep their speed under a survey design?

Times each with weights only and with strata + clusters (design-based, from histograms tallied
by stratum and PSU — joint histograms by PSU for the paired brand gaps) on 1,000,000 generated
respondents (20 strata × 50 PSUs, 12 months, 4 brands); prints the ratios and checks one
paired-gap SE against a per-row numpy implementation of the same formula.
Run: PYTHONPATH=. .venv/bin/python benchmarks/design_results.py
"""
import time

import numpy as np
import pandas as pd

import cxkit

rng = np.random.default_rng(17)
N = 1_000_000
h = rng.integers(0, 20, N)
c = rng.integers(0, 50, N)
lat = 7 + rng.normal(0, 1, 1000)[h * 50 + c] + rng.normal(0, 1.5, N)


def rating(shift, rated):
    s = np.clip(np.round(lat + shift + rng.normal(0, 1.5, N)), 0, 10)
    return np.where(rng.random(N) < rated, s, np.nan)


df = pd.DataFrame({"period": pd.PeriodIndex(pd.period_range("2025-01", periods=12, freq="M")
                                            [rng.integers(0, 12, N)]),
                   "channel": pd.Categorical(rng.choice(["web", "phone", "store"], N)),
                   "h": pd.Categorical(h), "c": pd.Categorical(c),
                   "weight": rng.uniform(0.5, 2.0, N),
                   "nps": np.clip(np.round(lat + rng.normal(0, 1.5, N)), 0, 10),
                   "b1": rating(0.3, 0.8), "b2": rating(-0.5, 0.6), "b3": rating(0.0, 0.5)})
D = {"strata": "h", "cluster": "c"}
brands = ["nps", "b1", "b2", "b3"]


def best(f, k=3):
    ts = []
    for _ in range(k):
        t0 = time.perf_counter()
        out = f()
        ts.append(time.perf_counter() - t0)
    return min(ts), out


cases = [
    ("trend (12 months)", lambda d: cxkit.trend(df, "nps", weighted="weight", design=d)),
    ("decompose_change by channel", lambda d: cxkit.decompose_change(
        df, "nps", by="channel", period="2025-12", baseline="2025-11", weighted="weight",
        design=d)),
    ("brand_comparison (4 brands)", lambda d: cxkit.brand_comparison(
        df, own="nps", brands=brands, weighted="weight", n_boot=0, design=d)),
]
print("1,000,000 respondents, 20 strata x 50 PSUs, 12 months, 4 brands (best of 3)")
print(f"{'':30s} {'weights only':>13s} {'design':>10s} {'ratio':>6s}")
res = None
for name, f in cases:
    t0, _ = best(lambda: f(False))
    t1, out = best(lambda: f(D))
    print(f"{name:30s} {t0 * 1000:10.1f} ms {t1 * 1000:7.1f} ms {t1 / t0:6.2f}")
    res = out


def per_row():   # the paired gap b1 − own, per-respondent linearised values
    x = lambda s: np.where(s >= 9, 100.0, np.where(s <= 6, -100.0, 0.0))
    both = ~np.isnan(df["b1"].to_numpy())
    w = np.where(both, df["weight"].to_numpy(), 0.0)
    d = np.where(both, x(df["b1"].to_numpy()) - x(df["nps"].to_numpy()), 0.0)
    gap = (w * d).sum() / w.sum()
    z = w * (d - gap) / w.sum()
    zu = np.bincount(h * 50 + c, z, minlength=1000)
    ph = np.arange(1000) // 50
    s1, s2 = np.bincount(ph, zu, minlength=20), np.bincount(ph, zu * zu, minlength=20)
    return np.sqrt(np.sum(50 / 49 * (s2 - s1 * s1 / 50)))


t_row, se_row = best(per_row)
se = float(res.gaps["se"].iloc[0])
print(f"paired gap SE: design {se:.6f} vs per-row {se_row:.6f} (agree: {abs(se - se_row) < 1e-9});"
      f" per-row numpy for that one gap {t_row * 1000:.1f} ms")
