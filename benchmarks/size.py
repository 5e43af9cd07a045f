"""Size (type I error) of cxkit's two-sample change tests under no change, at alpha = 0.05.

For each test, sample size per side (50 … 2000) and true distribution, both samples are drawn
from the SAME distribution, so every rejection is a false alarm.  The target: the rejection
rate is at most alpha + 0.5 percentage points (5.5 %).

* NPS (Wald and adjusted Wald) and CES (Welch): Monte Carlo with multinomial score histograms
  (vectorised; R replications per cell, Monte-Carlo SE ≈ sqrt(.05·.95/R)).
* NPS weighted (linearised SE; default t on min(n_eff) − 1 df, ``"linearized-t"``, and the
  z form ``"linearized"``, from the same draws): Monte Carlo with per-response log-normal
  weights (sd 0.5 on the log scale, design effect ≈ 1.28), 40,000 replications; one extra row
  with unequal sides (b has 4 × the responses of a).
* CSAT (top box): EXACT size, summing the binomial probabilities of every (count_a, count_b)
  pair the test rejects (pairs with probability < 1e-13 skipped), so there is no simulation
  noise.  Score (statsmodels' vectorised test at δ = 0, identical to cxkit's own
  Miettinen–Nurminen score test, checked) / Wald / Agresti–Caffo as ``compare`` calls them,
  and the default ``"auto"``: Barnard's exact test (``cxkit.stats.twoprop``) when both sides
  have fewer than 200 responses, else the score test.  Barnard's rejection region is
  {|T| ≥ t*}; t* is found by bisection with cxkit's own p-values (``barnard_reject``), and
  checked against ``cxkit.compare`` on the tables nearest t*, so every decision is cxkit's.
* Paired NPS (``compare(..., paired=True)``: default paired t, and the paired Wald z):
  Monte Carlo over 3 × 3 joint tables with equal margins, P = (1 − λ) m mᵀ + λ diag(m)
  (λ = 0: independent ratings; λ = 0.5: strongly correlated), 200,000 replications.
* Paired CSAT (top box; paired t default, paired Wald): EXACT over the trinomial of
  (a only, b only, both/neither) pairs with P(a only) = P(b only) = discordance / 2.

The vectorised statistics are cxkit's own internals (``_nps_diff_arrays``, ``_welch_arrays``;
the same statsmodels / scipy calls as ``compare``), checked first against the public calls.

Run: .venv/bin/python benchmarks/size.py   (a few minutes)
"""

from __future__ import annotations

import math
import sys
import time

import numpy as np
from scipy import stats
from statsmodels.stats.proportion import test_proportions_2indep

import cxkit
from cxkit.stats import twoprop
from cxkit.stats.twosample import EXACT_MAX_N, _nps_diff_arrays, _welch_arrays

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
        ma, sa, ca, wa, _ = _weighted_nps_se(rng, (0.2, 0.3, 0.5), 80, 1)
        mb, sb, cb, wb, _ = _weighted_nps_se(rng, (0.2, 0.3, 0.5), 60, 1)
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


WEIGHTED_REPS = 40_000
WEIGHTED_CHUNK = 2_000


def _weighted_nps_se(rng, probs, n, reps):
    """NPS, linearised SE and Kish n_eff per replication (histogram_moments, vectorised)."""
    x = np.array([-100.0, 0.0, 100.0])
    cat = rng.choice(3, size=(reps, n), p=probs)
    w = rng.lognormal(0.0, 0.5, size=(reps, n))
    sw = np.stack([(w * (cat == k)).sum(axis=1) for k in range(3)], axis=1)
    sw2 = np.stack([(w * w * (cat == k)).sum(axis=1) for k in range(3)], axis=1)
    tot = sw.sum(axis=1)
    mean = sw @ x / tot
    resid2 = (x[None, :] - mean[:, None]) ** 2
    se = np.sqrt(n / (n - 1) * (sw2 * resid2).sum(axis=1) / tot ** 2)
    n_eff = tot ** 2 / sw2.sum(axis=1)
    return mean, se, cat, w, n_eff


def weighted_nps_size(rng, probs, n_a, n_b):
    """(t on min(n_eff) − 1 df, z) rejection rates of the weighted (linearised) test."""
    rej_t = rej_z = 0
    for start in range(0, WEIGHTED_REPS, WEIGHTED_CHUNK):
        k = min(WEIGHTED_CHUNK, WEIGHTED_REPS - start)
        ma, sa, _, _, ea = _weighted_nps_se(rng, probs, n_a, k)
        mb, sb, _, _, eb = _weighted_nps_se(rng, probs, n_b, k)
        with np.errstate(all="ignore"):
            z = np.nan_to_num((mb - ma) / np.hypot(sa, sb))
        df = np.maximum(np.minimum(ea, eb) - 1, 1)
        rej_t += int((2 * stats.t.sf(np.abs(z), df) < ALPHA).sum())
        rej_z += int((2 * stats.norm.sf(np.abs(z)) < ALPHA).sum())
    return rej_t / WEIGHTED_REPS, rej_z / WEIGHTED_REPS


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


_REJECT_CACHE = {}


def barnard_reject(n1, n2):
    """Rejection matrix (rows: x1 of n1 = b, columns: x2 of n2 = a) of cxkit's two-sided
    Barnard test at ALPHA (p < ALPHA), with cxkit's own pieces (``cxkit.stats.twoprop``).

    p is non-decreasing as |T| falls (a larger region has a larger sup), so the rejection
    region is {|T| ≥ t*}: t* is found by bisection over the distinct |T| values, each step one
    cxkit p-value (the same region, sup and tie tolerance as ``_barnard``).  Returns
    (reject, number of p-values computed).
    """
    key = (n1, n2)
    if key in _REJECT_CACHE:
        return _REJECT_CACHE[key]
    t, lc, s = twoprop.table_terms(n1, n2)
    N = n1 + n2
    u = np.unique(np.abs(t))[::-1]
    u = u[u > 0]

    def p_at(v):
        mask = twoprop.extreme_mask(t, v, "two-sided")
        return twoprop.sup_probability(twoprop.region_weights(lc, s, mask, N), N)[0]

    evals = 1
    if not p_at(u[0]) < ALPHA:
        rej = np.zeros(t.size, bool)
    else:
        lo, hi = 0, len(u) - 1          # p(u[lo]) < ALPHA; find the last such index
        if p_at(u[hi]) < ALPHA:
            lo = hi
        evals += 1
        while hi - lo > 1:
            mid = (lo + hi) // 2
            evals += 1
            if p_at(u[mid]) < ALPHA:
                lo = mid
            else:
                hi = mid
        rej = twoprop.extreme_mask(t, u[lo], "two-sided")
    out = rej.reshape(n1 + 1, n2 + 1), evals
    _REJECT_CACHE[key] = out
    return out


def _score_reject(n_b, n_a):
    """Rejection matrix of the statsmodels score test (rows: b's count, columns: a's)."""
    import warnings
    kb, ka = np.meshgrid(np.arange(n_b + 1), np.arange(n_a + 1), indexing="ij")
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        res = test_proportions_2indep(kb.ravel(), n_b, ka.ravel(), n_a, method="score",
                                      compare="diff")
    p = np.nan_to_num(np.asarray(res.pvalue, dtype=float), nan=1.0).reshape(kb.shape)
    return p < ALPHA


def csat_auto_reject(n_b, n_a):
    """Rejection matrix (rows: b's top-box count, columns: a's) of the default ("auto") test.

    Barnard (both sides < EXACT_MAX_N): :func:`barnard_reject` (cxkit's own p-values);
    otherwise the score test.  Returns (reject, number of Barnard p-values computed).
    """
    if max(n_a, n_b) >= EXACT_MAX_N:
        return _score_reject(n_b, n_a), 0
    return barnard_reject(n_b, n_a)


def _exact_size(rej, p, n_b, n_a):
    return float((np.outer(stats.binom.pmf(np.arange(n_b + 1), n_b, p),
                           stats.binom.pmf(np.arange(n_a + 1), n_a, p)) * rej).sum())


OFFGRID_P = np.round(np.arange(0.30, 0.951, 0.05), 2)
OFFGRID_N = ((30, 30), (40, 40), (60, 60), (150, 150), (199, 199), (50, 150), (100, 199),
             (200, 200), (250, 250), (300, 300), (400, 400), (150, 250), (50, 500))


def offgrid_csat():
    """Worst exact size of the CSAT default over top-box shares 30 %…95 % (off the grid)."""
    print("\nCSAT default off the grid: worst exact size over top-box shares "
          f"{OFFGRID_P[0]:.0%}…{OFFGRID_P[-1]:.0%} (step 5 %), score test alongside\n")
    print("| n_a vs n_b | default test | default worst % (at share) | score worst % (at share) |")
    print("|---|---|---|---|")
    for n_a, n_b in OFFGRID_N:
        rej, _ = csat_auto_reject(n_b, n_a)
        rej_s = _score_reject(n_b, n_a)
        d = max((_exact_size(rej, p, n_b, n_a), p) for p in OFFGRID_P)
        sc = max((_exact_size(rej_s, p, n_b, n_a), p) for p in OFFGRID_P)
        test = "barnard" if max(n_a, n_b) < EXACT_MAX_N else "score"
        flag = "*" if d[0] > LIMIT else ""
        print(f"| {n_a} vs {n_b} | {test} | {100 * d[0]:.2f}{flag} ({d[1]:.2f}) | "
              f"{100 * sc[0]:.2f}{'*' if sc[0] > LIMIT else ''} ({sc[1]:.2f}) |")


def csat_auto_size(p, n):
    """Exact size of compare(metric="csat")'s default ("auto") at n per side."""
    rej, near = csat_auto_reject(n, n)
    return _exact_size(rej, p, n, n), near


PAIRED_REPS = 200_000
PAIRED_DISTS = {  # (margins D/Pa/P, lambda)
    "typical, λ .5": ((0.20, 0.30, 0.50), 0.5),
    "polarised, λ .5": ((0.40, 0.10, 0.50), 0.5),
    "skewed, λ .5": ((0.05, 0.15, 0.80), 0.5),
    "typical, independent": ((0.20, 0.30, 0.50), 0.0),
}
_D_VALUES = np.array([-200.0, -100.0, 0.0, 100.0, 200.0])


def _joint(m, lam):
    m = np.asarray(m)
    return (1 - lam) * np.outer(m, m) + lam * np.diag(m)


def _d_probs(P):
    """P(d = −200, −100, 0, 100, 200) of d = x_b − x_a, rows a, columns b."""
    i, j = np.meshgrid(np.arange(3), np.arange(3), indexing="ij")
    return np.bincount((j - i + 2).ravel(), weights=P.ravel(), minlength=5)


def _paired_p(counts, n):
    """(paired t, paired Wald) two-sided p-values from histograms of d (vectorised)."""
    mean = counts @ _D_VALUES / n
    var = counts @ _D_VALUES ** 2 / n - mean ** 2
    with np.errstate(all="ignore"):
        t = mean / np.sqrt(var / (n - 1))
        z = mean / np.sqrt(var / n)
    pt = np.nan_to_num(2 * stats.t.sf(np.abs(t), n - 1), nan=1.0)
    pz = np.nan_to_num(2 * stats.norm.sf(np.abs(z)), nan=1.0)
    return pt, pz


def paired_nps_size(rng, m, lam, n):
    counts = rng.multinomial(n, _d_probs(_joint(m, lam)), size=PAIRED_REPS)
    pt, pz = _paired_p(counts, n)
    return float(np.mean(pt < ALPHA)), float(np.mean(pz < ALPHA))


PAIRED_CSAT_DISC = {"discordance 10%": 0.10, "discordance 30%": 0.30, "discordance 50%": 0.50}


def paired_csat_size(disc, n):
    """Exact (paired t, paired Wald) size for top box: trinomial (a only, b only, rest)."""
    q = disc / 2
    sd = math.sqrt(n * q)
    lo, hi = max(0, int(n * q - 12 * sd) - 1), min(n, int(n * q + 12 * sd) + 1)
    k = np.arange(lo, hi + 1)
    a, b = (x.ravel() for x in np.meshgrid(k, k, indexing="ij"))
    ok = a + b <= n
    a, b = a[ok], b[ok]
    prob = np.exp(stats.multinomial.logpmf(np.stack([a, b, n - a - b], axis=1), n,
                                           [q, q, 1 - 2 * q]))
    mean = 100.0 * (b - a) / n
    var = 10_000.0 * (a + b) / n - mean ** 2
    with np.errstate(all="ignore"):
        pt = np.nan_to_num(2 * stats.t.sf(np.abs(mean / np.sqrt(var / (n - 1))), n - 1), nan=1.0)
        pz = np.nan_to_num(2 * stats.norm.sf(np.abs(mean / np.sqrt(var / n))), nan=1.0)
    return float((prob * (pt < ALPHA)).sum()), float((prob * (pz < ALPHA)).sum())


def self_check_new(rng):
    """The new vectorised pieces give what the public API gives."""
    for _ in range(10):
        tab = rng.multinomial(60, _joint((0.2, 0.3, 0.5), 0.5).ravel()).reshape(3, 3)
        i, j = np.meshgrid(np.arange(3), np.arange(3), indexing="ij")
        counts = np.bincount((j - i + 2).ravel(), weights=tab.ravel(), minlength=5)
        pt, pz = _paired_p(counts[None, :], 60)
        scores = np.array([3.0, 8.0, 10.0])
        a = np.repeat(scores[i.ravel()], tab.ravel())
        b = np.repeat(scores[j.ravel()], tab.ravel())
        r_t = cxkit.compare(a, b, paired=True)
        r_z = cxkit.compare_nps_paired_counts(tab, method="paired-wald")
        if not (r_t.method == "paired-t" and math.isclose(pt[0], r_t.p_value, rel_tol=1e-9)
                and math.isclose(pz[0], r_z.p_value, rel_tol=1e-9)):
            sys.exit("self-check failed for paired NPS")
    rej, _ = barnard_reject(50, 50)
    t = np.abs(twoprop.table_terms(50, 50)[0]).reshape(51, 51)
    thr = t[rej].min()
    # the tables nearest the critical value on both sides, and random ones
    near = np.argsort(np.abs(t - thr), axis=None)[:12]
    cells = [divmod(int(i), 51) for i in near] + [tuple(rng.integers(5, 46, size=2)) for _ in range(6)]
    for kb, ka in cells:
        a = np.repeat([5.0, 1.0], [ka, 50 - ka])
        b = np.repeat([5.0, 1.0], [kb, 50 - kb])
        r = cxkit.compare(a, b, metric="csat")
        if r.method != "barnard" or (r.p_value < ALPHA) != bool(rej[kb, ka]):
            sys.exit(f"self-check failed for CSAT Barnard ({kb}, {ka}): p {r.p_value}, "
                     f"region {rej[kb, ka]}")
    for _ in range(20):   # the vectorised statsmodels score test = cxkit's own score test
        kb, ka = (int(v) for v in rng.integers(0, 201, size=2))
        a = np.repeat([5.0, 1.0], [ka, 200 - ka])
        b = np.repeat([5.0, 1.0], [kb, 200 - kb])
        r = cxkit.compare(a, b, metric="csat", method="score")
        if bool(_score_reject(200, 200)[kb, ka]) != (r.p_value < ALPHA):
            sys.exit(f"self-check failed for the CSAT score test ({kb}, {ka})")
    for _ in range(3):
        ma, sa, ca, wa, ea = _weighted_nps_se(rng, (0.2, 0.3, 0.5), 80, 1)
        mb, sb, cb, wb, eb = _weighted_nps_se(rng, (0.2, 0.3, 0.5), 60, 1)
        scores = np.array([3.0, 8.0, 10.0])
        r = cxkit.compare(scores[ca[0]], scores[cb[0]], weights_a=wa[0], weights_b=wb[0])
        z = (mb[0] - ma[0]) / math.hypot(sa[0], sb[0])
        p = 2 * stats.t.sf(abs(z), min(ea[0], eb[0]) - 1)
        if not (r.method == "linearized-t" and math.isclose(r.p_value, p, rel_tol=1e-9)):
            sys.exit("self-check failed for weighted NPS (linearized-t)")


def main():
    t0 = time.perf_counter()
    rng = np.random.default_rng(SEED)
    self_check(rng)
    self_check_new(rng)
    mc_se = math.sqrt(ALPHA * (1 - ALPHA) / REPS)
    rows = []
    for name, probs in NPS_DISTS.items():
        for method, adj in (("adjusted-wald (default)", True), ("wald", False)):
            rows.append((f"NPS {method}", name, [nps_size(rng, probs, n, adj) for n in NS], "MC"))
    for name, probs in NPS_DISTS.items():
        both = [weighted_nps_size(rng, probs, n, n) for n in NS]
        rows.append(("NPS weighted linearized-t (default)", name, [b[0] for b in both], "MC 40k"))
        rows.append(("NPS weighted linearized (z)", name, [b[1] for b in both], "MC 40k"))
    probs = NPS_DISTS["polarised D.40/Pa.10/P.50"]
    unequal = [weighted_nps_size(rng, probs, n, 4 * n) if n <= 500 else (math.nan, math.nan)
               for n in NS]
    rows.append(("NPS weighted linearized-t (default)", "polarised, n_b = 4 n_a (n = n_a)",
                 [u[0] for u in unequal], "MC 40k"))
    rows.append(("NPS weighted linearized (z)", "polarised, n_b = 4 n_a (n = n_a)",
                 [u[1] for u in unequal], "MC 40k"))
    boundary = 0
    for name, p in CSAT_P.items():
        auto = [csat_auto_size(p, n) for n in NS]
        boundary += sum(a[1] for a in auto)
        rows.append(("CSAT auto (default: Barnard < 200, else score)", name,
                     [a[0] for a in auto], "exact"))
        for method in ("score", "wald", "agresti-caffo"):
            rows.append((f"CSAT {method}", name, [csat_size(p, n, method) for n in NS], "exact"))
    for name, probs in CES_DISTS.items():
        rows.append(("CES welch (default)", name, [ces_size(rng, probs, n) for n in NS], "MC"))
    for name, (m, lam) in PAIRED_DISTS.items():
        both = [paired_nps_size(rng, m, lam, n) for n in NS]
        rows.append(("NPS paired-t (default)", name, [b[0] for b in both], "MC"))
        rows.append(("NPS paired-wald", name, [b[1] for b in both], "MC"))
    for name, disc in PAIRED_CSAT_DISC.items():
        both = [paired_csat_size(disc, n) for n in NS]
        rows.append(("CSAT paired-t (default)", name, [b[0] for b in both], "exact"))
        rows.append(("CSAT paired-wald", name, [b[1] for b in both], "exact"))
    head = f"| test | true distribution | {' | '.join(f'n={n}' for n in NS)} | how |"
    print(f"Rejection rate (%) under no change, alpha = {ALPHA}, limit {100 * LIMIT:.1f} %; "
          f"MC: {REPS:,} replications per cell (MC SE {100 * mc_se:.2f} points; "
          f"40k: {100 * math.sqrt(ALPHA * (1 - ALPHA) / WEIGHTED_REPS):.2f}); "
          f"exact: enumerated.  n = responses (pairs) per side.  * = above the limit.\n")
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
    default_misses = [m for m in misses if "default" in m]
    print(f"Cells above the limit: {len(misses)} ({len(default_misses)} of a default method)"
          if misses else "No cell above the limit.")
    for m in misses:
        print(f"  - {m}")
    print(f"\nCSAT Barnard: rejection regions from {boundary} cxkit p-values (bisection on |T|).")
    offgrid_csat()
    print(f"seed {SEED}; numpy {np.__version__}; time {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
