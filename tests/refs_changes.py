"""Reference values for tests/test_changes.py, computed OUTSIDE cxkit.

Sources: the worked examples of the issue "Did the score really change, and where?" (NPS
two-sample Wald test; paired NPS from a 3×3 joint table), hand algebra written out below with
plain Python arithmetic, and R formulas re-done by hand.  scipy/statsmodels references are
called directly in the tests.
"""

import math

# ---------------------------------------------------------------------------------------------
# 1. Two independent NPS samples, Wald form (issue reference; MeasuringU / Rocks 2016 formula)
#    a = (30 detractors, 40 passives, 130 promoters), b = (45, 55, 100), diff = b - a
# ---------------------------------------------------------------------------------------------
NPS_A = (30, 40, 130)
NPS_B = (45, 55, 100)
NPS_WALD = {"diff": -22.5, "se": 7.744, "z": -2.905, "p": 0.0037}


# hand algebra for the same numbers (V = pP + pD - (pP - pD)^2, fraction units)
def _nps_parts(d, pa, p):
    n = d + pa + p
    pp, pd = p / n, d / n
    return 100 * (pp - pd), pp + pd - (pp - pd) ** 2, n


_a = _nps_parts(*NPS_A)   # 50.0, 0.55, 200
_b = _nps_parts(*NPS_B)   # 27.5, 0.649375, 200
NPS_WALD_EXACT_SE = 100 * math.sqrt(0.55 / 200 + 0.649375 / 200)          # 7.74399...

# adjusted Wald (Rocks 2016, MeasuringU): add 3/4 D, 3/2 Pa, 3/4 P to each side, n + 3
_aa = _nps_parts(30.75, 41.5, 130.75)   # n 203
_ba = _nps_parts(45.75, 56.5, 100.75)   # n 203
NPS_ADJ = {
    "center": _ba[0] - _aa[0],                                     # adjusted difference
    "se": 100 * math.sqrt(_aa[1] / 203 + _ba[1] / 203),
}
NPS_ADJ["z"] = NPS_ADJ["center"] / NPS_ADJ["se"]

# ---------------------------------------------------------------------------------------------
# 2. Paired NPS (issue reference): joint table, rows = a's category (D, Pa, P), columns = b's.
#    Row sums (30, 40, 130) -> NPS_a 50; column sums (45, 68, 87) -> NPS_b 21.
#    The issue states own - competitor = +29.0 with rows = own; with diff = b - a and
#    rows = a, the signed difference is -29.0, SE 5.224, z -5.551.
# ---------------------------------------------------------------------------------------------
PAIRED_TABLE = [[20, 8, 2], [10, 25, 5], [15, 35, 80]]
PAIRED = {"value_a": 50.0, "value_b": 21.0, "diff": -29.0, "se": 5.224, "z": -5.551}
PAIRED_INDEPENDENT_SE = 7.635   # what treating the two ratings as independent would give

# ---------------------------------------------------------------------------------------------
# 3. Weighted mean, linearised SE (R: survey::svymean(~x, svydesign(ids=~1, weights=~w)))
#    SE^2 = n/(n-1) * sum(w_i^2 (x_i - xbar_w)^2) / (sum w)^2 — written here per response.
# ---------------------------------------------------------------------------------------------
def svymean_se(x, w):
    n = len(x)
    sw = sum(w)
    m = sum(wi * xi for wi, xi in zip(w, x)) / sw
    return m, math.sqrt(n / (n - 1) * sum((wi * (xi - m)) ** 2 for wi, xi in zip(w, x)) / sw ** 2)


# ---------------------------------------------------------------------------------------------
# 4. Weighted least squares slope by the closed form (Draper & Smith 1998, ch. 9)
#    beta1 = sum w (x - xw)(y - yw) / sum w (x - xw)^2; Var = s2 / sum w (x - xw)^2
#    with s2 = sum w e^2 / (k - 2) ("estimated") or 1 ("fixed").
# ---------------------------------------------------------------------------------------------
def wls_slope(x, y, se):
    w = [1 / s ** 2 for s in se]
    sw = sum(w)
    xw = sum(wi * xi for wi, xi in zip(w, x)) / sw
    yw = sum(wi * yi for wi, yi in zip(w, y)) / sw
    sxx = sum(wi * (xi - xw) ** 2 for wi, xi in zip(w, x))
    b1 = sum(wi * (xi - xw) * (yi - yw) for wi, xi, yi in zip(w, x, y)) / sxx
    b0 = yw - b1 * xw
    rss = sum(wi * (yi - b0 - b1 * xi) ** 2 for wi, xi, yi in zip(w, x, y))
    s2 = rss / (len(x) - 2)
    return b1, math.sqrt(s2 / sxx), math.sqrt(1 / sxx)


# ---------------------------------------------------------------------------------------------
# 5. Mix/rate decomposition worked by hand (Kitagawa 1955; three-way shift-share form)
#    2026-09: segment x scores (10, 10) -> NPS 100; y (0, 10) -> 0;   shares .5/.5, M_a = 50
#    2026-10: segment x (10,) -> 100;  y (0, 10, 0) -> -33.33;        shares .25/.75, M_b = 0
#    three-way: mix_i = ds_i (m_ia - M_a); rate_i = s_ia dm_i; inter_i = ds_i dm_i
#      mix  x = -.25 (100 - 50) = -12.5   y = .25 (0 - 50) = -12.5
#      rate x = 0                          y = .5 (-100/3)  = -16.667
#      inter x = 0                         y = .25 (-100/3) = -8.333
#    symmetric: mix_i = ds_i (mbar_i - Mbar), rate_i = sbar_i dm_i, Mbar = 25
#      mix x = -.25 (100 - 25) = -18.75;  y = .25 (-50/3 - 25) = -10.4167; rate y = .625 (-100/3)
# ---------------------------------------------------------------------------------------------
DECOMP_DATA = {"period": ["2026-09"] * 4 + ["2026-10"] * 4,
               "seg": ["x", "x", "y", "y", "x", "y", "y", "y"],
               "nps": [10, 10, 0, 10, 10, 0, 10, 0]}
DECOMP_THREE_WAY = {"value_a": 50.0, "value_b": 0.0, "change": -50.0,
                    "mix": {"x": -12.5, "y": -12.5},
                    "rate": {"x": 0.0, "y": 0.5 * (-100 / 3)},
                    "interaction": {"x": 0.0, "y": 0.25 * (-100 / 3)}}
DECOMP_SYMMETRIC = {"mix": {"x": -18.75, "y": 0.25 * (-50 / 3 - 25)},
                    "rate": {"x": 0.0, "y": 0.625 * (-100 / 3)}}

# ---------------------------------------------------------------------------------------------
# 6. Demo data (data/README.md): planted South NPS drop in 2026-10; realised -14.1 vs 2026-09
# ---------------------------------------------------------------------------------------------
DEMO_SOUTH_VS_PREVIOUS = -14.1
DEMO_SOUTH_N_2026_10 = 664

# ---------------------------------------------------------------------------------------------
# 7. Barnard's exact unconditional test (Barnard 1947; score/pooled-z statistic): the vaccine
#    example of Mehta & Senchaudhuri (2003), "Conditional versus unconditional exact tests for
#    comparing two binomials" (Cytel), also in the scipy.stats.barnard_exact documentation:
#    7/15 vs 12/15 responders, one-sided p = 0.0341, pooled z = -1.894.  In cxkit's order
#    b = 7/15, a = 12/15, alternative "smaller" (b < a).
# ---------------------------------------------------------------------------------------------
BARNARD_B = (7, 15)
BARNARD_A = (12, 15)
BARNARD = {"z": -1.894, "p_one_sided": 0.0341}
# pooled z by hand: p̄ = 19/30, SE = sqrt(p̄(1 - p̄)(2/15))
BARNARD_Z_HAND = (7 / 15 - 12 / 15) / math.sqrt(19 / 30 * 11 / 30 * (2 / 15))

# ---------------------------------------------------------------------------------------------
# 8. Paired t on the recoded NPS values of the joint table of section 2 (Student 1908):
#    d takes -200..200; Var(d) (divisor n) = Σ n_ij (d_ij - diff)² / n; SE = sqrt(Var/(n - 1)).
# ---------------------------------------------------------------------------------------------
def paired_t_from_table(table):
    x = (-100.0, 0.0, 100.0)
    n = sum(sum(r) for r in table)
    cells = [(table[i][j], x[j] - x[i]) for i in range(3) for j in range(3)]
    diff = sum(c * d for c, d in cells) / n
    var = sum(c * (d - diff) ** 2 for c, d in cells) / n
    se = math.sqrt(var / (n - 1))
    return diff, se, diff / se, n - 1

# ---------------------------------------------------------------------------------------------
# 9. Barnard's exact test, brute force (issue 11.2): p-values of the independent implementation
#    `brute_barnard` in tests/test_twoprop.py — every table enumerated, statistics compared
#    EXACTLY (T² as a fraction), sup over 40,000 uniform shares plus 4,000 geometric shares in
#    each of (1e-9, 0.01) and (0.99, 1 − 1e-9).  Columns: x1, n1, x2, n2 (sample 1 = b),
#    alternative, p, the maximising share π (its mirror 1 − π for two-sided tests).  The first
#    four are re-run live in the test.  Peaks: π = 0.5 (12/17 vs 2/8), near 0 / 1
#    (10/10 vs 55/70, 2/42 vs 4/14, 34/41 vs 117/176 at π ≈ 0.0064 / 0.9936).
# ---------------------------------------------------------------------------------------------
BARNARD_BRUTE = [
    (7, 15, 12, 15, "smaller", 0.0341091547, 0.3366),
    (12, 17, 2, 8, "two-sided", 0.0435684919, 0.5),
    (2, 42, 4, 14, "two-sided", 0.0202991204, 0.0438),
    (10, 10, 17, 20, "two-sided", 0.28903582, 0.8873),
    (10, 10, 55, 70, "two-sided", 0.1169075198, 0.0252),
    (34, 41, 117, 176, "two-sided", 0.0856880482, 0.9936),
    (34, 41, 117, 176, "larger", 0.0856880482, 0.0065),
    (7, 41, 59, 176, "smaller", 0.0856880482, 0.9936),
]
# the issue's table: exact two-sided p ≈ 0.086 (scipy's default 32 sampling points: 0.041)
BARNARD_ISSUE = (34, 41, 117, 176)
BARNARD_ISSUE_P = 0.0856880482
# a table whose tied statistics differ by a few ulp in floating point (kept with a tolerance)
BARNARD_TIE = (10, 10, 17, 20)
BARNARD_TIE_P = 0.28903582

# ---------------------------------------------------------------------------------------------
# 10. Miettinen–Nurminen (with the N/(N − 1) factor) and Mee (without) score intervals for
#     p1 − p2: Newcombe (1998), Statistics in Medicine 17, 873–890, Table II, methods
#     "Miettinen–Nurminen" and "Mee" (4 decimals), for his eight examples (x1/n1 vs x2/n2).
#     Transcribed from the table as reproduced in DeepPSP/DBCI test/test-data/newcombee.csv
#     (the MN column also in GSK-Biostatistics/cicalc tests/testthat/test-prop_ci_mn.R,
#     the Mee row 1 in its snapshot: 0.0533, 0.3377).
# ---------------------------------------------------------------------------------------------
NEWCOMBE_EXAMPLES = [(56, 70, 48, 80), (9, 10, 3, 10), (6, 7, 2, 7), (5, 56, 0, 29),
                     (0, 10, 0, 20), (0, 10, 0, 10), (10, 10, 0, 20), (10, 10, 0, 10)]
NEWCOMBE_MN = [(0.0528, 0.3382), (0.1700, 0.8406), (0.0342, 0.8534), (-0.0326, 0.1933),
               (-0.1658, 0.2844), (-0.2879, 0.2879), (0.7156, 1.0000), (0.6636, 1.0000)]
NEWCOMBE_MEE = [(0.0533, 0.3377), (0.1821, 0.8370), (0.0544, 0.8478), (-0.0313, 0.1926),
                (-0.1611, 0.2775), (-0.2775, 0.2775), (0.7225, 1.0000), (0.6777, 1.0000)]
