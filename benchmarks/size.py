"""Size (type I error) of cxkit's two-sample change tests under no change, at alpha = 0.05.

For each test, sample size per side (50 … 2000) and true distribution, both samples are drawn
from the SAME distribution, so every rejection is a false alarm.  The target: the rejection
rate is at most alpha + 0.5 percentage points (5.5 %).

* NPS (Wald and adjusted Wald) and CES (Welch): Monte Carlo with multinomial score histograms
  (vectorised; R replications per cell, Monte-Carlo SE ≈ sqrt(.05·.95/R)).
* NPS weighted (linearised z, ``method="linearized"``): Monte Carlo with per-response
  log-normal weights (sd 0.5 on the log scale, design effect ≈ 1.28), 20,000 replications.
* CSAT (top box, statsmodels score / Wald / Agresti–Caffo): EXACT size, summing the binomial
  probabilities of every (count_a, count_b) pair the test rejects (pairs with probability
  < 1e-13 skipped), so there is no simulation noise.

The vectorised statistics are cxkit's own internals (``_nps_diff_arrays``, ``_welch_arrays``;
the same statsmodels call as ``compare``), checked first against the public ``compare`` calls.

Run: .venv/bin/python benchmarks/size.py   (under a minute)
"""

from __future__ import annotations

import math
import sys
import time

import numpy as np
from scipy import stats
from statsmodels.stats.proportion import test_proportions_2indep

import cxkit
from cxkit.changes import _nps_diff_arrays, _welch_arrays

ALPHA = 0.05
LIMIT = ALPHA + 0.005
NS = (50, 100, 200, 500, 1000, 2000)
REPS = 200_000
SEED = 20261123

NPS_DISTS = {  # (detractors, passives, promoters)
    "typical D.20/Pa.30/P.50": (0.20, 0.30, 0.50),
    "polarised D.40/Pa.10/P.50": (0.40, 0.10, 0.50),
    "skewed D.05/Pa.15/P.80": (0.05, 0.15, 0.80),
}
CSAT_P = {"top box 50%": 0.50, "top box 80%": 0.80, "top box 95%": 0.95}
CES_DISTS = {  # P(score = 1..7)
    "low effort (skewed)": (0.35, 0.30, 0.15, 0.10, 0.05, 0.03, 0.02),
    "flat": (1 / 7,) * 7,
    "bimodal 1 & 7": (0.45, 0.10, 0.05, 0.05, 0.05, 0.10, 0.20),
}


def self_check(rng):
    """The vectorised internals give what the public API gives."""
    for _ in range(20):
        a = rng.multinomial(120, (0.2, 0.3, 0.5))
        b = rng.multinomial(90, (0.25, 0.3, 0.45))
        for method, adj in (("wald", False), ("adjusted-wald", True)):
            c, se = _nps_diff_arrays(a, b, adj)
            r = cxkit.compare_nps_counts(a, b, method=method)
            if not (math.isclose(c / se, r.statistic, rel_tol=1e-10)):
                sys.exit(f"self-check failed for NPS {method}")
        sa = np.repeat(np.arange(1, 8.0), rng.multinomial(60, CES_DISTS["flat"]))
        sb = np.repeat(np.arange(1, 8.0), rng.multinomial(45, CES_DISTS["flat"]))
        t, p, _, _ = _welch_arrays(sa.mean(), sa.var(), 60, sb.mean(), sb.var(), 45)
        r = cxkit.compare(sa, sb, metric="ces")
        if not math.isclose(float(p), r.p_value, rel_tol=1e-10):
            sys.exit("self-check failed for CES Welch")
    for _ in range(5):
        ma, sa, ca, wa = _weighted_nps_se(rng, (0.2, 0.3, 0.5), 80, 1)
        mb, sb, cb, wb = _weighted_nps_se(rng, (0.2, 0.3, 0.5), 60, 1)
        scores = np.array([3.0, 8.0, 10.0])
        r = cxkit.compare(scores[ca[0]], scores[cb[0]], weights_a=wa[0], weights_b=wb[0])
        if not math.isclose(r.se, float(np.hypot(sa[0], sb[0])), rel_tol=1e-10):
            sys.exit("self-check failed for weighted NPS")


def nps_size(rng, probs, n, adjusted):
    a = rng.multinomial(n, probs, size=REPS)
    b = rng.multinomial(n, probs, size=REPS)
    c, se = _nps_diff_arrays(a, b, adjusted)
    with np.errstate(all="ignore"):
        z = c / se
    p = 2 * stats.norm.sf(np.abs(z))
    return float(np.mean(np.nan_to_num(p, nan=1.0) < ALPHA))


WEIGHTED_REPS = 20_000
WEIGHTED_NS = (50, 200, 1000)


def _weighted_nps_se(rng, probs, n, reps):
    """NPS and linearised SE per replication (the histogram_moments formulas, vectorised)."""
    x = np.array([-100.0, 0.0, 100.0])
    cat = rng.choice(3, size=(reps, n), p=probs)
    w = rng.lognormal(0.0, 0.5, size=(reps, n))
    sw = np.stack([(w * (cat == k)).sum(axis=1) for k in range(3)], axis=1)
    sw2 = np.stack([(w * w * (cat == k)).sum(axis=1) for k in range(3)], axis=1)
    tot = sw.sum(axis=1)
    mean = sw @ x / tot
    resid2 = (x[None, :] - mean[:, None]) ** 2
    se = np.sqrt(n / (n - 1) * (sw2 * resid2).sum(axis=1) / tot ** 2)
    return mean, se, cat, w


def weighted_nps_size(rng, probs, n):
    rej = 0
    for start in range(0, WEIGHTED_REPS, 2000):
        k = min(2000, WEIGHTED_REPS - start)
        ma, sa, _, _ = _weighted_nps_se(rng, probs, n, k)
        mb, sb, _, _ = _weighted_nps_se(rng, probs, n, k)
        with np.errstate(all="ignore"):
            z = (mb - ma) / np.hypot(sa, sb)
        rej += int((2 * stats.norm.sf(np.abs(np.nan_to_num(z))) < ALPHA).sum())
    return rej / WEIGHTED_REPS


def ces_size(rng, probs, n):
    x = np.arange(1, 8, dtype=float)
    a = rng.multinomial(n, probs, size=REPS)
    b = rng.multinomial(n, probs, size=REPS)
    ma, mb = a @ x / n, b @ x / n
    va, vb = a @ x ** 2 / n - ma ** 2, b @ x ** 2 / n - mb ** 2
    _, p, _, _ = _welch_arrays(ma, va, n, mb, vb, n)
    return float(np.mean(np.nan_to_num(p, nan=1.0) < ALPHA))


def csat_size(p, n, method):
    k = np.arange(n + 1)
    pmf = stats.binom.pmf(k, n, p)
    keep = pmf > 1e-13
    k, pmf = k[keep], pmf[keep]
    ka, kb = np.meshgrid(k, k, indexing="ij")
    prob = np.outer(pmf, pmf)
    import warnings
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        res = test_proportions_2indep(kb.ravel(), n, ka.ravel(), n, method=method, compare="diff")
    rej = np.nan_to_num(np.asarray(res.pvalue, dtype=float), nan=1.0) < ALPHA
    return float((prob.ravel() * rej).sum())


def main():
    t0 = time.perf_counter()
    rng = np.random.default_rng(SEED)
    self_check(rng)
    mc_se = math.sqrt(ALPHA * (1 - ALPHA) / REPS)
    rows = []
    for name, probs in NPS_DISTS.items():
        for method, adj in (("wald", False), ("adjusted-wald", True)):
            rows.append((f"NPS {method}", name, [nps_size(rng, probs, n, adj) for n in NS], "MC"))
    for name, probs in NPS_DISTS.items():
        rates = [weighted_nps_size(rng, probs, n) if n in WEIGHTED_NS else math.nan for n in NS]
        rows.append(("NPS weighted (linearized)", name, rates, "MC 20k"))
    for name, p in CSAT_P.items():
        for method in ("score", "wald", "agresti-caffo"):
            rows.append((f"CSAT {method}", name, [csat_size(p, n, method) for n in NS], "exact"))
    for name, probs in CES_DISTS.items():
        rows.append(("CES welch", name, [ces_size(rng, probs, n) for n in NS], "MC"))
    head = f"| test | true distribution | {' | '.join(f'n={n}' for n in NS)} | how |"
    print(f"Rejection rate (%) under no change, alpha = {ALPHA}, limit {100 * LIMIT:.1f} %; "
          f"MC: {REPS:,} replications per cell (MC SE {100 * mc_se:.2f} points); "
          f"exact: enumerated.  * = above the limit.\n")
    print(head)
    print("|" + "---|" * (len(NS) + 3))
    misses = []
    for test, dist, rates, how in rows:
        cells = []
        for n, r in zip(NS, rates):
            if math.isnan(r):
                cells.append("–")
                continue
            flag = "*" if r > LIMIT else ""
            if flag:
                misses.append(f"{test}, {dist}, n={n}: {100 * r:.2f} %")
            cells.append(f"{100 * r:.2f}{flag}")
        print(f"| {test} | {dist} | {' | '.join(cells)} | {how} |")
    print()
    print("Cells above the limit:" if misses else "No cell above the limit.")
    for m in misses:
        print(f"  - {m}")
    print(f"\nseed {SEED}; numpy {np.__version__}; time {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
