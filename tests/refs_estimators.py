"""Reference values for tests/test_estimators.py, test_tally.py and test_summary.py.

All values were computed OUTSIDE cxkit: from the published worked example / hand algebra
(Python `math` and scipy.stats.norm only), statsmodels `proportion_confint`, scipy.stats.t.
How each was obtained is written next to it; the snippet at the bottom reproduces the
hand-algebra numbers with plain math.
"""

# ---- NPS worked reference: 20 detractors, 30 passives, 50 promoters (n = 100) --------------
# Given in the cxkit issue (after Rocks 2016 / MeasuringU); recomputed by hand:
#   pP = .5, pD = .2, NPS = 30, SE = 100*sqrt((.5 + .2 - .3**2)/100) = 7.8102497
#   Wald: 30 ± 1.959964*7.8102497
#   adjusted-Wald: P' = 50.75, D' = 20.75, n' = 103; NPS' = 29.126214,
#   SE' = 100*sqrt((P'/n' + D'/n' - NPS'^2)/n') = 7.6915104, interval NPS' ± z*SE'
WORKED = dict(detractors=20, passives=30, promoters=50, nps=30.0, se=7.810249675906654,
              wald=(14.69219192495733, 45.307808075042665),
              adjusted_wald=(14.051130178761607, 44.20129700570441),
              adjusted_center=29.126213592233007, adjusted_se=7.6915104218147565)
# Rounded figures as quoted in the issue text (2 decimals).
WORKED_QUOTED = dict(se=7.810, wald=(14.69, 45.31), adjusted_wald=(14.05, 44.20))

# ---- all promoters, n = 10 -------------------------------------------------------------------
# Wald: SE 0 -> [100, 100].  Adjusted-Wald by hand: P' = 10.75, D' = .75, n' = 13,
# NPS' = .769231, SE' = sqrt((.826923 + .057692 - .591716)/13) = .150087 -> lower 47.50355,
# upper clipped to 100.
ALL_PROMOTERS_10 = dict(wald=(100.0, 100.0), adjusted_wald=(47.5035515447902, 100.0))

# ---- weighted NPS, tiny hand-worked example ----------------------------------------------------
# scores [10, 0, 8] -> values [+100, -100, 0], weights [1, 2, 3]:
#   mean = (100 - 200 + 0)/6 = -50/3;  residuals 350/3, -250/3, 50/3
#   sum w^2 r^2 = (1*122500 + 4*62500 + 9*2500)/9 = 395000/9
#   SE^2 = n/(n-1) * sum w^2 r^2 / (sum w)^2 = 1.5 * 395000/9/36 = 1828.7037
#   n_eff = 6^2 / 14 = 2.571429
TINY_WEIGHTED = dict(scores=[10, 0, 8], weights=[1, 2, 3], value=-50 / 3,
                     se=(1.5 * 395000 / 9 / 36) ** 0.5, n_eff=36 / 14)

# ---- proportions (statsmodels.stats.proportion.proportion_confint, method="wilson") ----------
# proportion_confint(5, 8, method="wilson")  -> CSAT of [5, 4, 3, 5, 2, 4, 4, 1], top box 4-5
CSAT_8 = dict(scores=[5, 4, 3, 5, 2, 4, 4, 1], value=62.5,
              wilson=(30.57423946026273, 86.31557141764027))
# churn 30 of 200: proportion_confint(30, 200, method="wilson")
CHURN_200_30 = dict(value=15.0, wilson=(10.713593562241994, 20.60557928416666))
# retention: start 200, end 210, new 40 -> retained 170 of 200; proportion_confint(170, 200, "wilson")
RETENTION = dict(start=200, end=210, new=40, value=85.0)

# ---- means: [1, 2, 3, 4, 5]: mean 3, s^2 = 2.5, half-width = t_{.975,4} * sqrt(2.5/5) ----------
# scipy.stats.t.ppf(.975, 4) * sqrt(.5) = 1.9632431614775572
MEAN_1_5 = dict(value=3.0, half_width=1.9632431614775572)

# ---- nps_variance, Kish ------------------------------------------------------------------------
NPS_VARIANCE = dict(promoters=0.5, detractors=0.2, value=0.61)   # .5 + .2 - .3^2
KISH = dict(weights=[1, 1, 2, 2], n_eff=3.6, deff=4 / 3.6)       # 6^2/10; n/n_eff


def _recompute():  # pragma: no cover - documentation of how the numbers above were made
    import math
    from scipy.stats import norm
    z = norm.ppf(0.975)
    pp, pd_ = 0.5, 0.2
    e = pp - pd_
    se = math.sqrt((pp + pd_ - e * e) / 100)
    P, D, n = 50.75, 20.75, 103
    e2 = (P - D) / n
    se2 = math.sqrt((P / n + D / n - e2 * e2) / n)
    return 100 * se, (100 * (e - z * se), 100 * (e + z * se)), (100 * (e2 - z * se2), 100 * (e2 + z * se2))
