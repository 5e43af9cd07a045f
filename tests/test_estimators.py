"""Estimators against reference values computed outside cxkit (see refs_estimators.py)."""

import math

import numpy as np
import pytest
from scipy import optimize, stats
from statsmodels.stats.proportion import proportion_confint

import cxkit
from cxkit.stats.estimators import nps_score_interval

from refs_estimators import (ALL_PROMOTERS_10, CHURN_200_30, CSAT_8, KISH, MEAN_1_5, NPS_VARIANCE,
                             RETENTION, TINY_WEIGHTED, WORKED, WORKED_QUOTED)

ALPHA = 0.05
Z = stats.norm.ppf(1 - ALPHA / 2)


def worked_scores():
    return [0] * WORKED["detractors"] + [7] * WORKED["passives"] + [10] * WORKED["promoters"]


# ------------------------------------------------------------------ NPS worked reference
def test_wald_worked_reference():
    e = cxkit.nps_from_counts(20, 30, 50, method="wald", conf=1 - ALPHA)
    assert e.value == pytest.approx(WORKED["nps"])
    assert e.se == pytest.approx(WORKED["se"], rel=1e-10)
    assert (e.ci_low, e.ci_high) == pytest.approx(WORKED["wald"], rel=1e-10)
    assert round(e.se, 3) == WORKED_QUOTED["se"]
    assert (round(e.ci_low, 2), round(e.ci_high, 2)) == WORKED_QUOTED["wald"]
    assert e.method == "wald" and e.n == 100 and e.n_eff == 100 and not e.weighted


def test_adjusted_wald_worked_reference():
    e = cxkit.nps_from_counts(20, 30, 50, method="adjusted-wald")
    assert e.method == "adjusted-wald"
    assert e.value == pytest.approx(30.0)          # value stays the raw NPS
    assert e.se == pytest.approx(WORKED["se"])     # se is the raw estimate's SE
    assert (e.ci_low, e.ci_high) == pytest.approx(WORKED["adjusted_wald"], rel=1e-10)
    assert (round(e.ci_low, 2), round(e.ci_high, 2)) == WORKED_QUOTED["adjusted_wald"]


def test_nps_from_raw_scores_matches_counts():
    for method in ("wald", "adjusted-wald", "score"):
        a = cxkit.nps(worked_scores(), method=method)
        b = cxkit.nps_from_counts(20, 30, 50, method=method)
        assert (a.value, a.ci_low, a.ci_high) == pytest.approx((b.value, b.ci_low, b.ci_high))
    # issue 11.2: the default NPS interval is the score interval (closest to nominal coverage
    # on benchmarks/coverage.py's grid); its ends solve T(Δ)² = z² (independent statistic)
    d = cxkit.nps(worked_scores())
    assert d.method == "score" and cxkit.nps_from_counts(20, 30, 50).method == "score"
    for end in (d.ci_low, d.ci_high):
        assert _independent_score_stat2(50, 30, 20, end / 100) == pytest.approx(Z ** 2, rel=1e-5)


def test_estimate_from_histogram_full_scale_same_as_collapsed():
    scores = np.arange(11)
    n = np.array([5, 3, 2, 4, 1, 3, 2, 10, 20, 25, 25])     # D = 20, M = 30, P = 50
    e = cxkit.estimate_from_histogram(scores, n, method="wald")
    assert (e.ci_low, e.ci_high) == pytest.approx(WORKED["wald"])


# ------------------------------------------------------------------ score interval
def _independent_score_stat2(P, M, D, delta):
    """Score statistic with the restricted MLE found numerically (not cxkit's closed form)."""
    N = P + M + D

    def negll(d):
        a = d + delta
        m = 1 - a - d
        return -(P * np.log(a) + D * np.log(d) + M * np.log(m))

    lo_d = max(0.0, -delta) + 1e-12
    hi_d = (1 - delta) / 2 - 1e-12
    d = optimize.minimize_scalar(negll, bounds=(lo_d, hi_d), method="bounded",
                                 options={"xatol": 1e-13}).x
    a = d + delta
    return N * ((P - D) / N - delta) ** 2 / (a + d - delta ** 2)


@pytest.mark.parametrize("counts", [(20, 30, 50), (5, 10, 35), (40, 40, 20), (3, 5, 12)])
def test_score_interval_defining_property(counts):
    D, M, P = counts
    lo, hi = nps_score_interval(D, M, P, conf=1 - ALPHA)
    for end in (lo, hi):
        assert _independent_score_stat2(P, M, D, end / 100) == pytest.approx(Z ** 2, rel=1e-5)
    n = D + M + P
    est = 100 * (P - D) / n
    assert lo < est < hi
    # sensible bounds: each end within 0.75 SE of the Wald end, width within 0.8–1.1 × Wald's
    w = cxkit.nps_from_counts(D, M, P, method="wald")
    assert abs(lo - w.ci_low) < 0.75 * w.se and abs(hi - w.ci_high) < 0.75 * w.se
    assert 0.8 < (hi - lo) / (w.ci_high - w.ci_low) < 1.1


def test_score_interval_worked_between_bounds():
    e = cxkit.nps_from_counts(20, 30, 50, method="score")
    assert 13.5 < e.ci_low < 15.0 and 43.5 < e.ci_high < 45.5
    assert e.method == "score"


# ------------------------------------------------------------------ edge cases
def test_all_promoters():
    w = cxkit.nps_from_counts(0, 0, 10, method="wald")
    assert (w.value, w.se) == (100.0, 0.0)
    assert (w.ci_low, w.ci_high) == ALL_PROMOTERS_10["wald"]
    assert "zero width" in w.note
    a = cxkit.nps_from_counts(0, 0, 10, method="adjusted-wald")
    assert (a.ci_low, a.ci_high) == pytest.approx(ALL_PROMOTERS_10["adjusted_wald"])
    s = cxkit.nps_from_counts(0, 0, 10, method="score")
    assert s.ci_high == 100.0 and 0 < s.ci_low < 100
    assert _independent_score_stat2(10, 0, 0, s.ci_low / 100) == pytest.approx(Z ** 2, rel=1e-5)
    d = cxkit.nps_from_counts(10, 0, 0, method="score")
    assert d.ci_low == -100.0 and d.ci_high == pytest.approx(-s.ci_low)


def test_n_one_and_n_zero():
    e = cxkit.nps_from_counts(0, 0, 1, method="adjusted-wald")
    assert e.n == 1 and e.value == 100.0
    # by hand: +3/4 promoter, +3/2 passive, +3/4 detractor -> P' 1.75, D' 0.75, n' 4, NPS' 25,
    # SE' = sqrt((0.4375 + 0.1875 - 0.25**2) / 4) = 0.375, interval 25 ± 1.959964 × 37.5
    assert (e.ci_low, e.ci_high) == (pytest.approx(25 - 1.959964 * 37.5, abs=1e-3),
                                     pytest.approx(25 + 1.959964 * 37.5, abs=1e-3))
    z = cxkit.nps_from_counts(0, 0, 0)
    assert z.n == 0 and math.isnan(z.value) and math.isnan(z.ci_low) and z.note == "no valid responses"
    assert math.isnan(cxkit.nps([np.nan, np.nan]).value)
    m = cxkit.mean_score([4])
    assert m.value == 4 and math.isnan(m.se) and "one response" in m.note


def test_argument_errors():
    with pytest.raises(ValueError, match="method"):
        cxkit.nps_from_counts(1, 2, 3, method="wilson")
    with pytest.raises(ValueError, match="0–10"):
        cxkit.nps([11, 3])
    with pytest.raises(ValueError):
        cxkit.nps_from_counts(-1, 2, 3)
    with pytest.raises(ValueError, match="bootstrap"):
        cxkit.nps([9, 3], weights=[1, 2], method="bootstrap")
    with pytest.raises(ValueError):
        cxkit.nps([9, 3], conf=1.5)


# ------------------------------------------------------------------ bootstrap
def test_bootstrap_seeded_and_close_to_wald():
    a = cxkit.nps_from_counts(200, 300, 500, method="bootstrap", seed=1)
    b = cxkit.nps_from_counts(200, 300, 500, method="bootstrap", seed=1)
    assert (a.ci_low, a.ci_high) == (b.ci_low, b.ci_high)
    w = cxkit.nps_from_counts(200, 300, 500, method="wald")
    assert a.ci_low == pytest.approx(w.ci_low, abs=0.6) and a.ci_high == pytest.approx(w.ci_high, abs=0.6)
    g = np.random.default_rng(5)
    assert cxkit.csat([5, 4, 1, 2, 5] * 20, method="bootstrap", seed=g).method == "bootstrap"


# ------------------------------------------------------------------ proportions and means
@pytest.mark.parametrize("method", ["wilson", "wald", "agresti-coull", "beta"])
def test_csat_matches_statsmodels(method):
    e = cxkit.csat(CSAT_8["scores"], method=method)
    lo, hi = proportion_confint(5, 8, alpha=ALPHA, method={"wald": "normal", "agresti-coull": "agresti_coull"}.get(method, method))
    assert e.value == pytest.approx(CSAT_8["value"])
    assert (e.ci_low, e.ci_high) == pytest.approx((max(lo, 0) * 100, min(hi, 1) * 100))
    assert e.metric == "csat"


def test_csat_wilson_reference_and_top_box():
    e = cxkit.csat(CSAT_8["scores"])
    assert (e.ci_low, e.ci_high) == pytest.approx(CSAT_8["wilson"])
    t = cxkit.top_box([7, 6, 5, 7, 1], top_box=(6, 7))
    assert t.value == pytest.approx(60.0) and t.metric == "top_box"


def test_mean_t_interval():
    e = cxkit.mean_score([1, 2, 3, 4, 5])
    assert e.value == MEAN_1_5["value"]
    assert (e.ci_low, e.ci_high) == pytest.approx((3 - MEAN_1_5["half_width"], 3 + MEAN_1_5["half_width"]))
    rng = np.random.default_rng(3)
    x = rng.integers(1, 8, 137)
    c = cxkit.ces(x)
    ref = stats.t.interval(1 - ALPHA, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    assert (c.ci_low, c.ci_high) == pytest.approx(ref) and c.metric == "ces"
    assert c.se == pytest.approx(stats.sem(x))


# ------------------------------------------------------------------ weights
def svymean_se(x, w):
    """R survey::svymean SE (weights only) by hand from raw rows."""
    x, w = np.asarray(x, float), np.asarray(w, float)
    n = len(x)
    m = (w * x).sum() / w.sum()
    return math.sqrt(n / (n - 1) * ((w * (x - m)) ** 2).sum() / w.sum() ** 2)


def test_weighted_tiny_hand_worked():
    e = cxkit.nps(TINY_WEIGHTED["scores"], weights=TINY_WEIGHTED["weights"])
    assert e.value == pytest.approx(TINY_WEIGHTED["value"])
    assert e.se == pytest.approx(TINY_WEIGHTED["se"])
    assert e.n_eff == pytest.approx(TINY_WEIGHTED["n_eff"]) and e.n == 3
    assert e.method == "linearized" and e.weighted
    assert (e.ci_low, e.ci_high) == pytest.approx((max(e.value - Z * e.se, -100), min(e.value + Z * e.se, 100)))


def test_weighted_matches_svymean_on_raw_rows():
    rng = np.random.default_rng(11)
    s = rng.integers(0, 11, 400).astype(float)
    w = rng.lognormal(0, 0.5, 400)
    x = np.where(s >= 9, 100.0, np.where(s >= 7, 0.0, -100.0))
    e = cxkit.nps(s, weights=w)
    assert e.value == pytest.approx((w * x).sum() / w.sum())
    assert e.se == pytest.approx(svymean_se(x, w))
    assert e.n_eff == pytest.approx(w.sum() ** 2 / (w ** 2).sum())
    c = cxkit.csat(s % 5 + 1, weights=w, method="linearized")
    xc = np.where(s % 5 + 1 >= 4, 100.0, 0.0)
    assert c.se == pytest.approx(svymean_se(xc, w))
    # Wilson with Kish effective counts
    cw = cxkit.csat(s % 5 + 1, weights=w)
    ne = w.sum() ** 2 / (w ** 2).sum()
    p = (w * xc).sum() / w.sum() / 100
    lo, hi = proportion_confint(p * ne, ne, alpha=ALPHA, method="wilson")
    assert (cw.ci_low, cw.ci_high) == pytest.approx((lo * 100, hi * 100))
    m = cxkit.ces(s % 7 + 1, weights=w)
    assert m.se == pytest.approx(svymean_se(s % 7 + 1, w))
    tq = stats.t.ppf(1 - ALPHA / 2, 399)
    assert m.ci_high - m.value == pytest.approx(tq * m.se)


def test_equal_weights_reduce_to_unweighted_value():
    s = worked_scores()
    e = cxkit.nps(s, weights=np.full(len(s), 2.0))
    assert e.value == pytest.approx(30.0) and e.n_eff == pytest.approx(100)
    # issue 11.2: equal weights give the unweighted result (plug-in SE, adjusted-Wald default);
    # and a named method gives what it gives unweighted
    assert e.se == pytest.approx(WORKED["se"]) and e.method == "score"
    lin = cxkit.nps(s, weights=np.full(len(s), 2.0), method="linearized")
    assert lin.se == pytest.approx(cxkit.nps(s, method="linearized").se)
    # unequal weights keep the svymean SE: two weights 2, 1 on identical halves
    w = np.where(np.arange(len(s)) % 2 == 0, 2.0, 1.0)
    assert cxkit.nps(s, weights=w).method == "linearized"


def test_weighted_adjusted_wald_uses_effective_counts():
    s = worked_scores()
    w = np.r_[np.full(50, 1.0), np.full(50, 3.0)]
    e = cxkit.nps(s, weights=w, method="adjusted-wald")
    ne = w.sum() ** 2 / (w ** 2).sum()
    sa = np.asarray(s)
    x = np.select([sa >= 9, sa >= 7], [100, 0], -100)         # recoded by hand
    pP = w[x == 100].sum() / w.sum()
    pD = w[x == -100].sum() / w.sum()
    P, D = pP * ne + 0.75, pD * ne + 0.75
    n2 = ne + 3
    c = (P - D) / n2
    se = math.sqrt((P / n2 + D / n2 - c * c) / n2)
    assert (e.ci_low, e.ci_high) == pytest.approx((100 * (c - Z * se), 100 * (c + Z * se)))
    assert "Kish" in e.note


# ------------------------------------------------------------------ small helpers
def test_nps_variance_kish_rates():
    pP, pD = NPS_VARIANCE["promoters"], NPS_VARIANCE["detractors"]   # fractions
    assert cxkit.nps_variance(100 * pD, 100 * (1 - pP - pD), 100 * pP) == pytest.approx(NPS_VARIANCE["value"])
    assert cxkit.nps_variance(np.array([20, 0]), np.array([30, 0]), np.array([50, 100])) == pytest.approx([0.61, 0.0])
    assert cxkit.effective_n(KISH["weights"]) == pytest.approx(KISH["n_eff"])
    assert cxkit.design_effect(KISH["weights"]) == pytest.approx(KISH["deff"])
    assert cxkit.design_effect([2, 2, 2]) == pytest.approx(1.0)
    c = cxkit.churn_rate(200, 30)
    assert c.value == CHURN_200_30["value"] and (c.ci_low, c.ci_high) == pytest.approx(CHURN_200_30["wilson"])
    r = cxkit.retention_rate(RETENTION["start"], RETENTION["end"], RETENTION["new"])
    lo, hi = proportion_confint(170, 200, alpha=ALPHA, method="wilson")
    assert r.value == RETENTION["value"] and (r.ci_low, r.ci_high) == pytest.approx((lo * 100, hi * 100))
    with pytest.raises(ValueError):
        cxkit.retention_rate(100, 50, 60)
    with pytest.raises(ValueError):
        cxkit.nps_variance(50, 0, 80)


def test_zero_total_weight_is_nan_with_note():
    e = cxkit.nps([9, 3], weights=[0.0, 0.0])
    assert math.isnan(e.value) and math.isnan(e.ci_low) and e.note == "all weights are zero"


def test_vectorised_score_interval_equals_the_scalar_search():
    """summarize's group engine (vectorised bisection) = nps_score_interval (brentq) per group,
    including effective counts, one-category samples and n = 1."""
    from cxkit.stats.estimators import _nps_score_arrays
    rng = np.random.default_rng(3)
    rows = [rng.multinomial(n, rng.dirichlet([0.4, 0.4, 0.4])) for n in (1, 2, 5, 20, 200, 3000)
            for _ in range(25)]
    rows += [[0, 0, 10], [10, 0, 0], [0, 10, 0], [0, 0, 1], [5, 0, 5]]
    rows = np.array(rows, float)
    rows = np.vstack([rows, rows[:40] * 0.61])
    lo, hi = _nps_score_arrays(rows[:, 0], rows[:, 1], rows[:, 2], 0.95)
    ref = np.array([nps_score_interval(*r, conf=0.95) for r in rows])
    assert lo == pytest.approx(ref[:, 0], abs=1e-9) and hi == pytest.approx(ref[:, 1], abs=1e-9)
