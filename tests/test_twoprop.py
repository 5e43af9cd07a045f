"""Barnard's exact test and the Miettinen–Nurminen interval against references computed outside
cxkit: an independent brute-force Barnard test written here (exact rational statistics, every
table enumerated, a very fine grid of the common share), published values (Mehta & Senchaudhuri
2003; Newcombe 1998, Table II) and hand algebra.  Reference values: tests/refs_changes.py."""

import math
from fractions import Fraction

import numpy as np
import pytest
from scipy import optimize, stats

import cxkit
from cxkit.stats import twoprop

import refs_changes as R


# --------------------------------------------------------------------------------------------
# independent brute-force Barnard test
# --------------------------------------------------------------------------------------------
def _signed_t2(a, b, n1, n2):
    """sign(T)·T² of the pooled statistic as an exact fraction (T = 0 when p̄ ∈ {0, 1}):
    T² = (a n2 − b n1)² N / (n1 n2 s (N − s)), s = a + b."""
    N, s = n1 + n2, a + b
    if s in (0, N):
        return Fraction(0)
    num = a * n2 - b * n1
    return (1 if num > 0 else -1 if num < 0 else 0) * Fraction(num * num * N, n1 * n2 * s * (N - s))


def brute_barnard(x1, n1, x2, n2, alternative="two-sided", n_grid=40_001):
    """sup over a fine grid of π of Σ over the tables as or more extreme (exact comparison) of
    Binom(x1; n1, π)·Binom(x2; n2, π).  Grid: n_grid uniform points in (0, 1) plus 4,000
    geometric points in each of (1e-9, 1e-2) and (1 − 1e-2, 1 − 1e-9)."""
    key = [[_signed_t2(a, b, n1, n2) for b in range(n2 + 1)] for a in range(n1 + 1)]
    obs = key[x1][x2]
    if alternative == "two-sided":
        mask = np.array([[abs(k) >= abs(obs) for k in row] for row in key], float)
    elif alternative == "larger":
        mask = np.array([[k >= obs for k in row] for row in key], float)
    else:
        mask = np.array([[k <= obs for k in row] for row in key], float)
    edge = np.geomspace(1e-9, 1e-2, 4000)
    grid = np.concatenate([np.linspace(0, 1, n_grid)[1:-1], edge, 1 - edge])
    best, arg = 0.0, math.nan
    for chunk in np.array_split(grid, max(1, grid.size // 5000)):
        p1 = stats.binom.pmf(np.arange(n1 + 1)[None, :], n1, chunk[:, None])
        p2 = stats.binom.pmf(np.arange(n2 + 1)[None, :], n2, chunk[:, None])
        prob = ((p1 @ mask) * p2).sum(axis=1)
        i = int(np.argmax(prob))
        if prob[i] > best:
            best, arg = float(prob[i]), float(chunk[i])
    return best, arg


@pytest.mark.parametrize("case", R.BARNARD_BRUTE, ids=lambda c: "{}/{} vs {}/{} {}".format(*c[:5]))
def test_barnard_matches_the_brute_force_reference(case):
    x1, n1, x2, n2, alt, p_ref, pi_ref = case
    t, p = twoprop.barnard(x1, n1, x2, n2, alt)
    assert p == pytest.approx(p_ref, rel=1e-6)
    sign_t2 = _signed_t2(x1, x2, n1, n2)
    assert math.copysign(t * t, t) == pytest.approx(float(sign_t2), rel=1e-12)


@pytest.mark.parametrize("case", R.BARNARD_BRUTE[:4], ids=lambda c: "{}/{} vs {}/{} {}".format(*c[:5]))
def test_brute_force_reference_values_are_reproduced_here(case):
    """The stored references come from brute_barnard above (run live on the small tables)."""
    x1, n1, x2, n2, alt, p_ref, pi_ref = case
    p, arg = brute_barnard(x1, n1, x2, n2, alt)
    assert p == pytest.approx(p_ref, rel=1e-6)
    assert min(abs(arg - pi_ref), abs(arg - (1 - pi_ref))) < 1e-3


def test_barnard_issue_example_and_scipy_default_is_too_small():
    # 34/41 vs 117/176: exact two-sided p ≈ 0.086; scipy's default 32 points give 0.041
    x1, n1, x2, n2 = R.BARNARD_ISSUE
    t, p = twoprop.barnard(x1, n1, x2, n2)
    assert p == pytest.approx(R.BARNARD_ISSUE_P, rel=1e-6)
    assert round(p, 3) == 0.086
    scipy_p = stats.barnard_exact([[x1, x2], [n1 - x1, n2 - x2]], pooled=True).pvalue
    assert scipy_p < 0.05 < p                       # scipy's default flips significance here
    # through the public API (b = 34/41, a = 117/176, both below 200: Barnard by default)
    a = np.repeat([5.0, 1.0], [x2, n2 - x2])
    b = np.repeat([5.0, 1.0], [x1, n1 - x1])
    r = cxkit.compare(a, b, metric="csat")
    assert r.method == "barnard" and r.p_value == pytest.approx(R.BARNARD_ISSUE_P, rel=1e-6)


def test_barnard_keeps_tables_that_tie_in_floating_point():
    # 10/10 vs 17/20: tables tying |T| exactly (rationally) but a few ulp below in floats
    x1, n1, x2, n2 = R.BARNARD_TIE
    t, lc, s = twoprop.table_terms(n1, n2)
    t_obs = float(twoprop.pooled_z(x1, n1, x2, n2))
    strict = np.abs(t) >= abs(t_obs)
    kept = twoprop.extreme_mask(t, t_obs, "two-sided")
    assert kept.sum() > strict.sum()                 # the tolerance keeps the tied tables
    p_strict, _ = twoprop.sup_probability(twoprop.region_weights(lc, s, strict, n1 + n2), n1 + n2)
    _, p = twoprop.barnard(x1, n1, x2, n2)
    assert p == pytest.approx(R.BARNARD_TIE_P, rel=1e-6)
    assert p_strict < p - 0.03                       # dropping them would understate p


def test_barnard_published_vaccine_example():
    (cb, nb), (ca, na) = R.BARNARD_B, R.BARNARD_A
    t, p = twoprop.barnard(cb, nb, ca, na, "smaller")
    assert t == pytest.approx(R.BARNARD_Z_HAND, rel=1e-12)
    assert p == pytest.approx(R.BARNARD["p_one_sided"], abs=5e-5)


def test_barnard_degenerate_tables():
    assert twoprop.barnard(0, 10, 0, 12) == (0.0, 1.0)
    assert twoprop.barnard(10, 10, 12, 12) == (0.0, 1.0)


# --------------------------------------------------------------------------------------------
# Miettinen–Nurminen score interval
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("i", range(len(R.NEWCOMBE_EXAMPLES)))
def test_score_interval_newcombe_table_ii(i):
    x1, n1, x2, n2 = R.NEWCOMBE_EXAMPLES[i]
    lo, hi = twoprop.score_interval(x1, n1, x2, n2, 0.95)                       # MN (default)
    assert (round(lo, 4), round(hi, 4)) == pytest.approx(R.NEWCOMBE_MN[i], abs=1e-4 + 1e-12)
    lo, hi = twoprop.score_interval(x1, n1, x2, n2, 0.95, correction=False)     # Mee
    assert (round(lo, 4), round(hi, 4)) == pytest.approx(R.NEWCOMBE_MEE[i], abs=1e-4 + 1e-12)


def _restricted_mle_numeric(x1, n1, x2, n2, delta):
    """Restricted MLE under p1 − p2 = δ by maximising the binomial log-likelihood over p2."""
    lo, hi = max(0.0, -delta), min(1.0, 1.0 - delta)

    def nll(p2):
        p1 = p2 + delta
        out = 0.0
        for x, n, p in ((x1, n1, p1), (x2, n2, p2)):
            if x > 0:
                out -= x * math.log(max(p, 1e-300))
            if n - x > 0:
                out -= (n - x) * math.log(max(1 - p, 1e-300))
        return out

    res = optimize.minimize_scalar(nll, bounds=(lo, hi), method="bounded",
                                   options={"xatol": 1e-13})
    return res.x + delta, res.x


def mn_interval_numeric(x1, n1, x2, n2, conf=0.95):
    """An independent MN interval: numeric restricted MLE, z(δ) with N/(N − 1), and limits by
    bisection on a bracket found by scanning δ in steps of 0.001."""
    N, q = n1 + n2, stats.norm.ppf(0.5 + conf / 2)
    d = x1 / n1 - x2 / n2

    def z(delta):
        p1, p2 = _restricted_mle_numeric(x1, n1, x2, n2, delta)
        v = (p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2) * N / (N - 1)
        return (d - delta) / math.sqrt(v) if v > 0 else math.copysign(math.inf, d - delta)

    out = []
    for sign, target in ((-1, q), (1, -q)):
        prev = d
        cur = d
        while True:
            cur = prev + sign * 0.001
            if abs(cur) >= 1:
                out.append(float(sign))
                break
            if (z(cur) - target) * (z(prev) - target) <= 0:
                out.append(optimize.brentq(lambda v: z(v) - target, min(prev, cur), max(prev, cur),
                                           xtol=1e-12))
                break
            prev = cur
    return tuple(out)


@pytest.mark.parametrize("case", [(180, 250, 140, 200), (264, 323, 1834, 2338), (3, 40, 9, 35),
                                  (1, 12, 0, 15)])
def test_score_interval_matches_a_numeric_inversion(case):
    lo, hi = twoprop.score_interval(*case)
    rlo, rhi = mn_interval_numeric(*case)
    assert lo == pytest.approx(rlo, abs=2e-7) and hi == pytest.approx(rhi, abs=2e-7)


def test_restricted_mle_closed_form_equals_numeric_maximum():
    for x1, n1, x2, n2 in R.NEWCOMBE_EXAMPLES[:4]:
        for delta in (-0.6, -0.2, 0.1, 0.45):
            if not (-1 < delta < 1):
                continue
            p1, p2 = twoprop.restricted_mle(x1, n1, x2, n2, delta)
            r1, r2 = _restricted_mle_numeric(x1, n1, x2, n2, delta)
            assert p1 - p2 == pytest.approx(delta, abs=1e-12)
            assert p1 == pytest.approx(r1, abs=1e-6)


def test_score_test_is_the_pooled_statistic_with_the_mn_factor():
    # z(0) = T·√((N − 1)/N), T the pooled statistic (hand algebra)
    x1, n1, x2, n2 = 56, 70, 48, 80
    pbar = 104 / 150
    t = (56 / 70 - 48 / 80) / math.sqrt(pbar * (1 - pbar) * (1 / 70 + 1 / 80))
    z, p = twoprop.score_test(x1, n1, x2, n2)
    assert z == pytest.approx(t * math.sqrt(149 / 150), rel=1e-12)
    assert p == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-12)


def test_compare_csat_uses_the_mn_interval():
    x1, n1, x2, n2 = R.NEWCOMBE_EXAMPLES[0]                 # b = 56/70, a = 48/80
    a = np.repeat([5.0, 1.0], [x2, n2 - x2])
    b = np.repeat([5.0, 1.0], [x1, n1 - x1])
    for method in ("score", "barnard", None):
        r = cxkit.compare(a, b, metric="csat", method=method)
        assert (round(r.ci_low / 100, 4), round(r.ci_high / 100, 4)) == pytest.approx(R.NEWCOMBE_MN[0])
