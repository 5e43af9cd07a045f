"""Reference values for the competitor-NPS tests, computed outside cxkit.

Paired NPS difference from a 3 × 3 joint table (rows: own-brand category D/Pa/P; columns:
competitor category D/Pa/P), worked by hand:

* per-respondent value x ∈ {−1, 0, 1} (detractor, passive, promoter), difference
  d = x_own − x_comp ∈ {−2, …, 2};
* NPS difference = 100 · mean(d); SE = 100 · sqrt(Var(d) / n) with the plug-in variance
  Var(d) = Σ p_ij (d_ij − mean(d))² (divisor n: the Wald form, as for one NPS);
* "as if independent": SE = 100 · sqrt(v_own/n + v_comp/n), v = pP + pD − (pP − pD)²
  (Rocks 2016) from each margin.

For JOINT_TABLE: own margins D 30, Pa 40, P 130 (NPS 50); competitor margins D 45, Pa 68, P 87
(NPS 21); n = 200.  mean(d) = 0.29; E(d²) = 0.63, Var(d) = 0.63 − 0.0841 = 0.5459 → SE = sqrt(0.5459/200) =
0.052245; z = 0.29 / 0.052245 = 5.5508.  Independent: v_own = 0.8 − 0.25 = 0.55,
v_comp = 0.66 − 0.0441 = 0.6159, SE = sqrt((0.55 + 0.6159)/200) = 0.076351.
"""

#: Joint table from the issue: rows own D/Pa/P, columns competitor D/Pa/P.
JOINT_TABLE = [[20, 8, 2], [10, 25, 5], [15, 35, 80]]
JOINT_N = 200
#: NPS of each brand from the margins.
JOINT_OWN_NPS = 50.0
JOINT_COMP_NPS = 21.0
#: Own − competitor, in NPS points; cxkit's gap (competitor − own) is the negative.
JOINT_DIFF_OWN_MINUS_COMP = 29.0
JOINT_PAIRED_SE = 5.2245
JOINT_PAIRED_Z = 5.5508
#: Paired t (cxkit's default paired test): the same mean difference with the unbiased variance
#: Var(d)·n/(n − 1): SE = 100·sqrt(0.5459/199) = 5.2376, t = 29/5.2376 = 5.5369 on 199 df,
#: two-sided p = 2·t.sf(5.5369, 199) = 9.651e-08 (scipy.stats.t).
JOINT_PAIRED_T_SE = 5.2376
JOINT_PAIRED_T = 5.5369
JOINT_PAIRED_T_P = 9.651e-08
#: What treating the two brands as independent samples would give (must NOT be paired SE).
JOINT_INDEPENDENT_SE = 7.6351

#: "overlap" method (linearised, N/(N − 1) factor) in its two limiting cases: full overlap
#: gives the paired-t SE above (N = 200); no overlap (the same 200 + 200 ratings from 400
#: different respondents) gives the two-sample Wald SE × sqrt(400/399) = 7.6351 × 1.0012523
#: = 7.6447.
OVERLAP_FULL_SE = JOINT_PAIRED_T_SE
OVERLAP_NONE_SE = 7.6447

#: A table with a small gap, for the rank-probability check.  Competitor − own = +8.0 points,
#: paired SE 4.6022 → P(competitor ranks first) ≈ Φ(8.0 / 4.6022) = Φ(1.7383) = 0.9589
#: (normal approximation of the bootstrap distribution); an independent-samples bootstrap
#: would give ≈ Φ(8.0 / 8.0031) = 0.8413.  (scipy.stats.norm.cdf.)
RANK_TABLE = [[30, 10, 9], [6, 40, 10], [4, 8, 83]]
RANK_GAP = 8.0
RANK_P_FIRST_PAIRED = 0.9589
RANK_P_FIRST_INDEPENDENT = 0.8413

# --- benchmarks (hand algebra; p-values from scipy.stats.norm.sf) ----------------------------
#: Estimate 30.0 with SE 4.0 against a published 22: z = 8/4 = 2, two-sided p = 2·Φ(−2).
BENCH_EST_VALUE, BENCH_EST_SE, BENCH_VALUE = 30.0, 4.0, 22.0
BENCH_ONE_SAMPLE_Z = 2.0
BENCH_ONE_SAMPLE_P = 0.0455003
#: Our 100 scores: 60 promoters, 25 passives, 15 detractors → NPS 45, v = 0.75 − 0.2025 =
#: 0.5475, SE² = 54.75.  Benchmark NPS 30 with n = 400, promoters 50 %, detractors 20 %:
#: v0 = 0.70 − 0.09 = 0.61, SE0² = 6100/400 = 15.25.  z = 15 / sqrt(70) = 1.792843,
#: p = 0.072998.  Without shares (variance bound 1 − 0.3² = 0.91): SE0² = 22.75,
#: z = 15 / sqrt(77.5) = 1.703886, p = 0.088402.
BENCH_SCORES_COUNTS = {10: 60, 8: 25, 3: 15}
BENCH_TWO_NPS, BENCH_TWO_N, BENCH_TWO_SHARES = 30.0, 400, (20.0, 30.0, 50.0)  # (D, Pa, P) %
BENCH_TWO_OUR_NPS = 45.0
BENCH_TWO_SE = 8.366600          # sqrt(70)
BENCH_TWO_Z = 1.792843
BENCH_TWO_P = 0.072998
BENCH_BOUND_SE = 8.803408        # sqrt(77.5)
BENCH_BOUND_Z = 1.703886
BENCH_BOUND_P = 0.088402
