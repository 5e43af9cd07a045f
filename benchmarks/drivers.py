"""Speed of ``cxkit.drivers`` (issue 13): 10 drivers × 100,000 responses × 1,000 bootstrap
resamples, target under 10 s.

Synthetic CX table (seeded): one latent satisfaction per respondent; ten 1–5 driver ratings
load on it with different strengths plus their own noise; the 0–10 outcome depends on the
latent and, directly, on the first three drivers.  5 % of each driver's answers are missing, so
the complete-case filter does real work (a second table has no missing answers: all 100,000
respondents in the model).

Timed (wall clock, best of 3; the machine is shared, so the best run is the least disturbed):
* ``method="shapley"`` (exact over all 1,023 subsets), ``bootstrap="auto"`` — at this size the
  normal form of the respondent bootstrap (exact mean and covariance of the multinomial
  resampled cross-product sums);
* the same with ``bootstrap="multinomial"`` (resampling counts × per-respondent products);
* ``method="johnson"`` (auto bootstrap);
* ``missing="pairwise"`` (auto bootstrap);
* ``pain_map`` (auto bootstrap);
and the ratio to the 10 s target.  A second block shows that the two bootstrap kinds give the
same interval (to Monte Carlo error) on this table.

Run: ``PYTHONPATH=$PWD .venv/bin/python benchmarks/drivers.py`` (about a minute).
"""

import time

import numpy as np
import pandas as pd

import cxkit

N, P, B, SEED, TARGET = 100_000, 10, 1_000, 20261201, 10.0


def make_table(n=N, p=P, seed=SEED, missing=0.05):
    rng = np.random.default_rng(seed)
    lat = rng.normal(size=n)
    load = np.linspace(0.9, 0.3, p)
    X = np.clip(np.rint(3.4 + lat[:, None] * load + rng.normal(0, 0.9, (n, p))), 1, 5)
    y = np.clip(np.rint(7.2 + 1.1 * lat + 0.5 * (X[:, 0] - 3) + 0.3 * (X[:, 1] - 3)
                        + 0.2 * (X[:, 2] - 3) + rng.normal(0, 1.2, n)), 0, 10)
    X[rng.random((n, p)) < missing] = np.nan
    df = pd.DataFrame(X, columns=[f"q{i + 1:02d}" for i in range(p)])
    df["nps"] = y
    return df


def best_of(fn, k=3):
    times, out = [], None
    for _ in range(k):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main():
    df = make_table()
    names = [c for c in df.columns if c != "nps"]
    cc = int(df.dropna().shape[0])
    print(f"cxkit.drivers speed: {P} drivers, {N:,} responses ({cc:,} complete cases), "
          f"{B:,} bootstrap resamples, best of 3 runs, target {TARGET:.0f} s\n")
    full = make_table(missing=0.0)
    cases = [
        ("no missing answers: shapley, auto", lambda: cxkit.drivers(full, "nps", names,
                                                                    n_boot=B, seed=1)),
        ("no missing answers: shapley, multinomial", lambda: cxkit.drivers(
            full, "nps", names, n_boot=B, seed=1, bootstrap="multinomial")),
        ("shapley, bootstrap auto (normal)", lambda: cxkit.drivers(df, "nps", names, n_boot=B,
                                                                   seed=1)),
        ("shapley, bootstrap multinomial", lambda: cxkit.drivers(
            df, "nps", names, n_boot=B, seed=1, bootstrap="multinomial")),
        ("johnson, bootstrap auto", lambda: cxkit.drivers(df, "nps", names, n_boot=B, seed=1,
                                                          method="johnson")),
        ("shapley, pairwise, bootstrap auto", lambda: cxkit.drivers(
            df, "nps", names, n_boot=B, seed=1, missing="pairwise")),
        ("pain_map, bootstrap auto", lambda: cxkit.pain_map(df, "nps", names, n_boot=B,
                                                            seed=1)),
    ]
    print(f"{'case':42s} {'seconds':>8s} {'÷ target':>9s}  check")
    results = {}
    for label, fn in cases:
        sec, out = best_of(fn)
        results[label] = out
        print(f"{label:42s} {sec:8.2f} {sec / TARGET:9.2f}  {'pass' if sec < TARGET else 'FAIL'}")

    a = results["shapley, bootstrap auto (normal)"].set_index("driver")
    m = results["shapley, bootstrap multinomial"].set_index("driver")
    print("\nInterval of the importance (% of R²) by bootstrap kind, first 4 drivers:")
    print(f"{'driver':8s} {'importance':>10s} {'normal':>16s} {'multinomial':>16s}")
    for d in a.index[:4]:
        print(f"{d:8s} {a.loc[d, 'importance']:10.2f} "
              f"{a.loc[d, 'ci_low']:7.2f}–{a.loc[d, 'ci_high']:<7.2f} "
              f"{m.loc[d, 'ci_low']:7.2f}–{m.loc[d, 'ci_high']:<7.2f}")


if __name__ == "__main__":
    main()
