"""Tests of cxkit.changes against reference values computed outside cxkit (tests/refs_changes.py,
scipy and statsmodels called directly here)."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep
from statsmodels.stats.proportion import test_proportions_2indep as sm_test_2indep

import cxkit
from cxkit.stats.changes import parse_baseline  # noqa: F401  (import path check)

import refs_changes as R
from test_twoprop import mn_interval_numeric


def _expand(counts, scores=(0, 7, 10)):
    return np.repeat(np.asarray(scores, dtype=float), counts)


# --------------------------------------------------------------------------------------------
# two-sample NPS
# --------------------------------------------------------------------------------------------
def test_nps_counts_wald_reference():
    r = cxkit.compare_nps_counts(R.NPS_A, R.NPS_B, method="wald")
    assert r.diff == pytest.approx(R.NPS_WALD["diff"], abs=1e-12)
    assert r.se == pytest.approx(R.NPS_WALD["se"], abs=5e-4)
    assert r.se == pytest.approx(R.NPS_WALD_EXACT_SE, rel=1e-12)
    assert r.statistic == pytest.approx(R.NPS_WALD["z"], abs=5e-4)
    assert r.p_value == pytest.approx(R.NPS_WALD["p"], abs=5e-5)
    assert (r.n_a, r.n_b, r.method, r.paired) == (200, 200, "wald", False)
    z = stats.norm.ppf(0.975)
    assert r.ci_low == pytest.approx(-22.5 - z * R.NPS_WALD_EXACT_SE)


def test_nps_counts_adjusted_wald_hand_algebra():
    r = cxkit.compare_nps_counts(R.NPS_A, R.NPS_B)
    assert r.method == "adjusted-wald"
    assert r.diff == pytest.approx(-22.5)               # raw difference reported
    assert r.se == pytest.approx(R.NPS_ADJ["se"], rel=1e-12)
    assert r.statistic == pytest.approx(R.NPS_ADJ["z"], rel=1e-12)
    z = stats.norm.ppf(0.975)
    mid = (r.ci_low + r.ci_high) / 2
    assert mid == pytest.approx(R.NPS_ADJ["center"], rel=1e-12)   # interval centred on adjusted
    assert r.ci_high - r.ci_low == pytest.approx(2 * z * R.NPS_ADJ["se"])


def test_compare_raw_equals_counts_and_alternatives():
    a, b = _expand(R.NPS_A), _expand(R.NPS_B)
    r = cxkit.compare(a, b, method="wald")
    assert r.diff == pytest.approx(R.NPS_WALD["diff"])
    assert r.se == pytest.approx(R.NPS_WALD_EXACT_SE)
    smaller = cxkit.compare(a, b, method="wald", alternative="smaller")
    larger = cxkit.compare(a, b, method="wald", alternative="larger")
    z_ref = R.NPS_WALD["diff"] / R.NPS_WALD_EXACT_SE     # reference z, not cxkit's
    assert smaller.p_value == pytest.approx(stats.norm.cdf(z_ref))
    assert larger.p_value == pytest.approx(stats.norm.sf(z_ref))
    # swapping a and b flips the sign of diff and statistic
    s = cxkit.compare(b, a, method="wald")
    assert s.diff == pytest.approx(-r.diff) and s.statistic == pytest.approx(-r.statistic)
    # blanks are dropped
    r2 = cxkit.compare(np.append(a, np.nan), b, method="wald")
    assert r2.n_a == 200 and r2.diff == pytest.approx(r.diff)


def test_compare_to_dict_and_str():
    r = cxkit.compare_nps_counts(R.NPS_A, R.NPS_B, method="wald")
    d = r.to_dict()
    for key in ("diff", "se", "ci_low", "ci_high", "statistic", "p_value", "n_a", "n_b",
                "n_eff_a", "n_eff_b", "method"):
        assert key in d
    assert isinstance(d["diff"], float) and d["df"] is None
    assert "−22.5 points" in str(r) and "p = 0.004" in str(r)
    assert cxkit.describe_changes(r).startswith("NPS fell from 50.0 to 27.5 (−22.5 points")


# --------------------------------------------------------------------------------------------
# paired NPS
# --------------------------------------------------------------------------------------------
def test_paired_counts_reference():
    r = cxkit.compare_nps_paired_counts(R.PAIRED_TABLE, method="paired-wald")
    assert r.value_a == pytest.approx(R.PAIRED["value_a"])
    assert r.value_b == pytest.approx(R.PAIRED["value_b"])
    assert r.diff == pytest.approx(R.PAIRED["diff"])
    assert r.se == pytest.approx(R.PAIRED["se"], abs=5e-4)
    assert r.statistic == pytest.approx(R.PAIRED["z"], abs=5e-4)
    assert r.paired and r.method == "paired-wald"
    # transposing (rows = own brand as b) gives the issue's +29.0
    t = cxkit.compare_nps_paired_counts(np.asarray(R.PAIRED_TABLE).T, method="paired-wald")
    assert t.diff == pytest.approx(29.0) and t.statistic == pytest.approx(5.551, abs=5e-4)
    # NOT the independent-samples SE
    ind = cxkit.compare_nps_counts((30, 40, 130), (45, 68, 87), method="wald")
    assert ind.se == pytest.approx(R.PAIRED_INDEPENDENT_SE, abs=5e-4)
    assert abs(r.se - ind.se) > 2


def test_paired_raw_matches_table_and_excludes_blanks():
    cat_scores = np.array([3.0, 8.0, 10.0])
    tab = np.asarray(R.PAIRED_TABLE)
    a, b = [], []
    for i in range(3):
        for j in range(3):
            a += [cat_scores[i]] * tab[i, j]
            b += [cat_scores[j]] * tab[i, j]
    a = np.array(a + [np.nan, 9.0, np.nan])
    b = np.array(b + [10.0, np.nan, np.nan])
    r = cxkit.compare(a, b, paired=True, method="paired-wald")
    assert r.n_excluded == 3 and r.n_a == 200 and r.method == "paired-wald"
    assert r.diff == pytest.approx(R.PAIRED["diff"])
    assert r.se == pytest.approx(R.PAIRED["se"], abs=5e-4)
    assert r.statistic == pytest.approx(R.PAIRED["z"], abs=5e-4)
    # the default is the paired t on the recoded values: scipy ttest_rel on the complete pairs
    t = cxkit.compare(a, b, paired=True)
    ok = ~(np.isnan(a) | np.isnan(b))
    xa = np.select([a[ok] >= 9, a[ok] >= 7], [100.0, 0.0], -100.0)
    xb = np.select([b[ok] >= 9, b[ok] >= 7], [100.0, 0.0], -100.0)
    ref = stats.ttest_rel(xb, xa)
    assert t.method == "paired-t" and t.df == 199 and t.n_excluded == 3
    assert t.statistic == pytest.approx(ref.statistic) and t.p_value == pytest.approx(ref.pvalue)
    diff, se, tt, df = R.paired_t_from_table(R.PAIRED_TABLE)
    assert t.se == pytest.approx(se) and t.diff == pytest.approx(diff)
    q = stats.t.ppf(0.975, 199)
    assert (t.ci_low, t.ci_high) == (pytest.approx(diff - q * se), pytest.approx(diff + q * se))
    assert cxkit.compare(a, b, paired=True, method="paired").method == "paired-t"
    with pytest.raises(ValueError):
        cxkit.compare(a[:-1], b, paired=True)
    with pytest.raises(ValueError, match="method"):
        cxkit.compare(a, b, paired=True, method="wald")


def test_paired_counts_paired_t_method():
    r = cxkit.compare_nps_paired_counts(R.PAIRED_TABLE, method="paired-t")
    diff, se, t, df = R.paired_t_from_table(R.PAIRED_TABLE)
    assert (r.diff, r.se, r.statistic, r.df) == (pytest.approx(diff), pytest.approx(se),
                                                 pytest.approx(t), df)
    assert r.p_value == pytest.approx(2 * stats.t.sf(abs(t), df)) and r.method == "paired-t"
    one = cxkit.compare_nps_paired_counts(R.PAIRED_TABLE, method="paired-t", alternative="smaller")
    assert one.p_value == pytest.approx(stats.t.cdf(t, df))
    # one default for the same data (issue 11.3): the counts function and compare(paired=True)
    # both default to the paired t test
    default = cxkit.compare_nps_paired_counts(R.PAIRED_TABLE)
    assert default.method == "paired-t"
    assert (default.se, default.p_value) == (pytest.approx(se), pytest.approx(r.p_value))
    i, j = np.meshgrid(np.arange(3), np.arange(3), indexing="ij")
    cells = np.asarray(R.PAIRED_TABLE).ravel()
    scores = np.array([0.0, 8.0, 10.0])
    raw = cxkit.compare(np.repeat(scores[i.ravel()], cells), np.repeat(scores[j.ravel()], cells),
                        paired=True)
    assert raw.method == default.method
    assert (raw.diff, raw.se, raw.p_value) == (pytest.approx(default.diff), pytest.approx(default.se),
                                               pytest.approx(default.p_value))


def test_paired_ces_is_paired_t():
    rng = np.random.default_rng(5)
    a = rng.integers(1, 8, 120).astype(float)
    b = np.clip(a + rng.integers(-1, 2, 120), 1, 7)
    r = cxkit.compare(a, b, metric="ces", paired=True)
    ref = stats.ttest_rel(b, a)
    assert r.statistic == pytest.approx(ref.statistic) and r.p_value == pytest.approx(ref.pvalue)
    assert r.method == "paired-t" and r.df == 119


# --------------------------------------------------------------------------------------------
# CSAT / top box and CES
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["score", "wald", "agresti-caffo", "newcomb"])
def test_csat_against_statsmodels(method):
    a = np.repeat([2.0, 3.0, 4.0, 5.0], [20, 40, 80, 60])     # top box 140/200
    b = np.repeat([1.0, 3.0, 4.0, 5.0], [10, 60, 90, 90])     # top box 180/250
    r = cxkit.compare(a, b, metric="csat", method=method)
    test_m = "score" if method == "newcomb" else method
    ref = sm_test_2indep(180, 250, 140, 200, method=test_m, compare="diff")
    if method == "score":   # statsmodels' score interval is wrong (issue 10269): numeric MN
        lo, hi = mn_interval_numeric(180, 250, 140, 200)
    else:
        lo, hi = confint_proportions_2indep(180, 250, 140, 200, method=method, compare="diff")
    assert r.diff == pytest.approx(100 * (180 / 250 - 140 / 200))
    assert r.statistic == pytest.approx(ref.statistic)
    assert r.p_value == pytest.approx(ref.pvalue)
    assert (r.ci_low, r.ci_high) == (pytest.approx(100 * lo), pytest.approx(100 * hi))
    assert r.method == method


def test_top_box_spec():
    spec = cxkit.metric_spec("top_box", top_box=(9, 10), name="t2b")
    a = np.repeat([5.0, 9.0, 10.0], [50, 30, 20])
    b = np.repeat([5.0, 9.0, 10.0], [30, 40, 30])
    r = cxkit.compare(a, b, metric=spec, method="score")
    ref = sm_test_2indep(70, 100, 50, 100, method="score")
    assert r.p_value == pytest.approx(ref.pvalue) and r.metric == "t2b"


def test_csat_default_barnard_below_200_score_above():
    # 100 per side: Barnard's exact test (scipy called directly: its sup is right for this
    # table), score interval (an independent numeric Miettinen–Nurminen inversion)
    a = np.repeat([2.0, 5.0], [50, 50])
    b = np.repeat([2.0, 5.0], [35, 65])
    r = cxkit.compare(a, b, metric="csat")
    ref = stats.barnard_exact([[65, 50], [35, 50]], alternative="two-sided", pooled=True)
    lo, hi = mn_interval_numeric(65, 100, 50, 100)
    assert r.method == "barnard"
    assert r.statistic == pytest.approx(ref.statistic) and r.p_value == pytest.approx(ref.pvalue)
    assert (r.ci_low, r.ci_high) == (pytest.approx(100 * lo), pytest.approx(100 * hi))
    assert r.se == pytest.approx(15.0 / ref.statistic)      # 65% − 50% over scipy's statistic
    # explicit method="barnard" and "auto" agree; at 199 vs 199 still Barnard, at 200 the score test
    assert cxkit.compare(a, b, metric="csat", method="barnard").p_value == r.p_value
    a199, b199 = np.repeat([2.0, 5.0], [99, 100]), np.repeat([2.0, 5.0], [80, 119])
    assert cxkit.compare(a199, b199, metric="csat").method == "barnard"
    a2, b2 = np.repeat([2.0, 5.0], [100, 100]), np.repeat([2.0, 5.0], [80, 120])
    r2 = cxkit.compare(a2, b2, metric="csat")
    assert r2.method == "score"
    assert r2.p_value == pytest.approx(sm_test_2indep(120, 200, 100, 200, method="score").pvalue)
    # unbalanced: the larger side decides (250 vs 60 -> score test)
    a3, b3 = np.repeat([2.0, 5.0], [100, 150]), np.repeat([2.0, 5.0], [20, 40])
    assert cxkit.compare(a3, b3, metric="csat").method == "score"


def test_barnard_published_example():
    (cb, nb), (ca, na) = R.BARNARD_B, R.BARNARD_A
    a = np.repeat([5.0, 1.0], [ca, na - ca])
    b = np.repeat([5.0, 1.0], [cb, nb - cb])
    r = cxkit.compare(a, b, metric="csat", alternative="smaller")
    assert r.method == "barnard"
    assert r.statistic == pytest.approx(R.BARNARD["z"], abs=5e-4)
    assert r.statistic == pytest.approx(R.BARNARD_Z_HAND, rel=1e-10)
    assert r.p_value == pytest.approx(R.BARNARD["p_one_sided"], abs=5e-5)
    larger = cxkit.compare(a, b, metric="csat", alternative="larger")
    table = [[R.BARNARD_B[0], R.BARNARD_A[0]],
             [R.BARNARD_B[1] - R.BARNARD_B[0], R.BARNARD_A[1] - R.BARNARD_A[0]]]
    assert stats.barnard_exact(table, alternative="less").pvalue == pytest.approx(R.BARNARD["p_one_sided"], abs=5e-5)
    assert larger.p_value == pytest.approx(stats.barnard_exact(table, alternative="greater").pvalue)
    # a table with only top-box answers: no evidence, p = 1
    same = cxkit.compare(np.full(40, 5.0), np.full(30, 5.0), metric="csat")
    assert same.p_value == 1.0 and same.diff == 0.0


def test_ces_welch_against_scipy():
    rng = np.random.default_rng(7)
    a = rng.integers(1, 8, 150).astype(float)
    b = rng.integers(1, 6, 90).astype(float)
    r = cxkit.compare(a, b, metric="ces")
    ref = stats.ttest_ind(b, a, equal_var=False)
    assert r.statistic == pytest.approx(ref.statistic)
    assert r.p_value == pytest.approx(ref.pvalue)
    va, vb = a.var(ddof=1) / 150, b.var(ddof=1) / 90
    df = (va + vb) ** 2 / (va ** 2 / 149 + vb ** 2 / 89)      # Welch–Satterthwaite by hand
    assert r.df == pytest.approx(df)
    half = stats.t.ppf(0.975, df) * math.sqrt(va + vb)
    assert r.ci_high - r.ci_low == pytest.approx(2 * half)
    one = cxkit.compare(a, b, metric="ces", alternative="smaller")
    assert one.p_value == pytest.approx(stats.ttest_ind(b, a, equal_var=False,
                                                        alternative="less").pvalue)


def test_weighted_uses_linearised_se():
    rng = np.random.default_rng(3)
    a, b = rng.integers(0, 11, 80).astype(float), rng.integers(0, 11, 60).astype(float)
    wa, wb = rng.uniform(0.5, 2, 80), rng.uniform(0.5, 2, 60)
    r = cxkit.compare(a, b, weights_a=wa, weights_b=wb, method="linearized")
    xa = [100.0 if s >= 9 else 0.0 if s >= 7 else -100.0 for s in a]
    xb = [100.0 if s >= 9 else 0.0 if s >= 7 else -100.0 for s in b]
    ma, sa = R.svymean_se(xa, list(wa))
    mb, sb = R.svymean_se(xb, list(wb))
    assert r.method == "linearized" and r.weighted
    assert r.diff == pytest.approx(mb - ma)
    assert r.se == pytest.approx(math.hypot(sa, sb))
    assert r.p_value == pytest.approx(2 * stats.norm.sf(abs((mb - ma) / math.hypot(sa, sb))))
    assert r.n_eff_a == pytest.approx(wa.sum() ** 2 / (wa ** 2).sum())
    # default: the same SE with a t reference on min(n_eff_a, n_eff_b) - 1 df (Hsu 1938)
    t = cxkit.compare(a, b, weights_a=wa, weights_b=wb)
    df = min(wa.sum() ** 2 / (wa ** 2).sum(), wb.sum() ** 2 / (wb ** 2).sum()) - 1
    tstat = (mb - ma) / math.hypot(sa, sb)
    assert t.method == "linearized-t" and t.df == pytest.approx(df)
    assert t.se == pytest.approx(math.hypot(sa, sb)) and t.statistic == pytest.approx(tstat)
    assert t.p_value == pytest.approx(2 * stats.t.sf(abs(tstat), df))
    q = stats.t.ppf(0.975, df)
    assert t.ci_high - t.ci_low == pytest.approx(2 * q * math.hypot(sa, sb))
    one = cxkit.compare(a, b, weights_a=wa, weights_b=wb, alternative="larger")
    assert one.p_value == pytest.approx(stats.t.sf(tstat, df))
    with pytest.raises(ValueError):
        cxkit.compare(a, b, weights_a=wa)
    with pytest.raises(ValueError):
        cxkit.compare(a, b, weights_a=wa, weights_b=wb, method="wald")


def test_argument_errors():
    with pytest.raises(ValueError, match="method"):
        cxkit.compare_nps_counts(R.NPS_A, R.NPS_B, method="bogus")
    with pytest.raises(ValueError, match="alternative"):
        cxkit.compare([1, 2], [3, 4], alternative="greater")
    with pytest.raises(ValueError):
        cxkit.compare_nps_counts((1, 2), R.NPS_B)
    with pytest.raises(ValueError):
        cxkit.compare_nps_paired_counts([[1, 2], [3, 4]])
    empty = cxkit.compare([np.nan], [9.0, 10.0])
    assert math.isnan(empty.diff) and empty.note


# --------------------------------------------------------------------------------------------
# score_changes, decomposition, trend on synthetic frames
# --------------------------------------------------------------------------------------------
def _frame(seed=1, months=6, n=400, shift=None):
    rng = np.random.default_rng(seed)
    rows = []
    per = pd.period_range("2026-05", periods=months, freq="M")
    for k, p in enumerate(per):
        seg = rng.choice(["A", "B", "C"], size=n, p=[0.5, 0.3, 0.2])
        latent = rng.normal(8, 1.8, n)
        if shift and k == months - 1:
            latent[seg == shift[0]] += shift[1]
        s = np.clip(np.round(latent), 0, 10)
        rows.append(pd.DataFrame({"period": p, "seg": seg, "nps": s,
                                  "weight": rng.uniform(0.5, 1.5, n)}))
    df = pd.concat(rows, ignore_index=True)
    df["seg"] = df["seg"].astype("category")
    return df


def test_score_changes_rows_match_compare():
    df = _frame(shift=("B", -1.5))
    res = cxkit.score_changes(df, "nps", period="2026-10", by=["seg"])
    assert res.baseline == "2026-09" and res.period == "2026-10"
    a = df.loc[df.period == pd.Period("2026-09", "M")]
    b = df.loc[df.period == pd.Period("2026-10", "M")]
    direct = cxkit.compare(a.nps, b.nps)
    assert res.overall.diff == pytest.approx(direct.diff)
    assert res.overall.p_value == pytest.approx(direct.p_value)
    row = res.table.set_index("level").loc["B"]
    cb = cxkit.compare(a.nps[a.seg == "B"], b.nps[b.seg == "B"])
    assert row["diff"] == pytest.approx(cb.diff) and row["p_value"] == pytest.approx(cb.p_value)
    # Holm over the segment rows, via statsmodels directly
    seg = res.table.iloc[1:]
    assert np.allclose(seg["p_adj"], multipletests(seg["p_value"], method="holm")[1])
    assert bool(row["significant"])
    assert res.table.iloc[0]["p_adj"] == res.table.iloc[0]["p_value"]
    # vs rest: B against A+C of the same month
    vr = res.vs_rest.set_index("level").loc["B"]
    rest = cxkit.compare(b.nps[b.seg != "B"], b.nps[b.seg == "B"])
    assert vr["diff"] == pytest.approx(rest.diff) and vr["p_value"] == pytest.approx(rest.p_value)
    assert "fell" in str(res) or "went" in str(res)


def test_score_changes_fdr_weighted_window_too_few():
    df = _frame()
    res = cxkit.score_changes(df, "nps", "2026-10", baseline="previous-3", by="seg",
                              correction="fdr-bh", weighted=True, min_n=150)
    assert res.baseline == "2026-07..2026-09" and res.weighted
    a = df.loc[df.period.isin(pd.period_range("2026-07", "2026-09", freq="M"))]
    b = df.loc[df.period == pd.Period("2026-10", "M")]
    direct = cxkit.compare(a.nps, b.nps, weights_a=a.weight, weights_b=b.weight)
    assert res.overall.diff == pytest.approx(direct.diff)
    assert res.overall.se == pytest.approx(direct.se)
    t = res.table.set_index("level")
    assert bool(t.loc["C", "too_few"]) and math.isnan(t.loc["C", "p_value"])   # ~80 in 2026-10
    assert not bool(t.loc["A", "too_few"])
    seg = res.table.iloc[1:]
    ok = seg["p_value"].notna()
    assert np.allclose(seg.loc[ok, "p_adj"], multipletests(seg.loc[ok, "p_value"],
                                                           method="fdr_bh")[1])
    assert "not tested" in cxkit.describe_changes(res)


def test_parse_baseline():
    p = pd.Period("2026-10", "M")
    assert cxkit.parse_baseline("previous", p) == [pd.Period("2026-09", "M")]
    assert cxkit.parse_baseline("same-last-year", p) == [pd.Period("2025-10", "M")]
    assert cxkit.parse_baseline("2026-04", p) == [pd.Period("2026-04", "M")]
    assert cxkit.parse_baseline(pd.Period("2017", "Y"), pd.Period("2018", "Y")) == \
        [pd.Period("2017", "Y")]
    with pytest.raises(ValueError):
        cxkit.parse_baseline("2026-10", p)
    with pytest.raises(ValueError):
        cxkit.parse_baseline("sometime", p)


def test_score_changes_missing_period_errors():
    df = _frame(months=3)
    with pytest.raises(ValueError, match="No responses"):
        cxkit.score_changes(df, "nps", "2026-07", baseline="same-last-year", by="seg")


def test_decomposition_hand_reference():
    df = pd.DataFrame(R.DECOMP_DATA)
    df["period"] = pd.PeriodIndex(df["period"], freq="M")
    d = cxkit.decompose_change(df, "nps", by="seg", period="2026-10")
    ref = R.DECOMP_THREE_WAY
    assert (d.value_a, d.value_b, d.change) == (pytest.approx(ref["value_a"]),
                                                pytest.approx(ref["value_b"]),
                                                pytest.approx(ref["change"]))
    t = d.table.set_index("level")
    for k in ("mix", "rate", "interaction"):
        for lv in ("x", "y"):
            assert t.loc[lv, k] == pytest.approx(ref[k][lv], abs=1e-12)
    s = cxkit.decompose_change(df, "nps", by="seg", period="2026-10", method="symmetric")
    ts = s.table.set_index("level")
    for k in ("mix", "rate"):
        for lv in ("x", "y"):
            assert ts.loc[lv, k] == pytest.approx(R.DECOMP_SYMMETRIC[k][lv], abs=1e-12)
    assert s.interaction == 0 and s.mix + s.rate == pytest.approx(-50.0, abs=1e-12)


@pytest.mark.parametrize("weighted", [False, True])
def test_decomposition_identity_and_new_segment(weighted):
    df = _frame(seed=4, shift=("A", -1.0))
    # segment D appears only in the report month, C disappears from it
    last = df.period == pd.Period("2026-10", "M")
    df["seg"] = df["seg"].cat.add_categories(["D"])
    df.loc[last & (df.seg == "C"), "seg"] = "D"
    d = cxkit.decompose_change(df, "nps", by="seg", period="2026-10", weighted=weighted)
    assert d.change == pytest.approx(d.mix + d.rate + d.interaction, abs=1e-10)
    assert d.table["total"].sum() == pytest.approx(d.change, abs=1e-10)
    # overall values equal the directly computed (weighted) NPS of each month
    for side, val in (("2026-09", d.value_a), ("2026-10", d.value_b)):
        sub = df[df.period == pd.Period(side, "M")]
        x = np.where(sub.nps >= 9, 100.0, np.where(sub.nps >= 7, 0.0, -100.0))
        w = sub.weight.to_numpy() if weighted else np.ones(len(sub))
        assert val == pytest.approx((w * x).sum() / w.sum(), abs=1e-10)
    t = d.table.set_index("level")
    assert t.loc["D", "n_a"] == 0 and t.loc["C", "n_b"] == 0
    assert t.loc["D", "rate"] == 0 and t.loc["C", "rate"] == 0


def test_trend_against_hand_wls():
    df = _frame(seed=9, months=8)
    tr = cxkit.trend(df, "nps")
    pts = tr.points
    assert len(pts) == 8
    x = list(range(8))
    b1, se_est, se_fix = R.wls_slope(x, list(pts["value"]), list(pts["se"]))
    s = tr.slopes.iloc[0]
    assert s["slope"] == pytest.approx(b1, rel=1e-10)
    assert s["se"] == pytest.approx(se_est, rel=1e-10)
    assert s["p_value"] == pytest.approx(2 * stats.t.sf(abs(b1 / se_est), 6))
    fixed = cxkit.trend(df, "nps", scale="fixed").slopes.iloc[0]
    assert fixed["se"] == pytest.approx(se_fix, rel=1e-10)
    # per-period values are the plain NPS and its Wald SE
    sub = df[df.period == pd.Period("2026-05", "M")]
    x0 = np.where(sub.nps >= 9, 100.0, np.where(sub.nps >= 7, 0.0, -100.0))
    assert pts["value"].iloc[0] == pytest.approx(x0.mean())
    assert pts["se"].iloc[0] == pytest.approx(x0.std() / math.sqrt(len(x0)))
    # a gap in the periods is respected (x = periods since the first)
    tr3 = cxkit.trend(df, "nps", periods=["2026-05", "2026-06", "2026-09"])
    b1g, _, _ = R.wls_slope([0, 1, 4], list(tr3.points["value"]), list(tr3.points["se"]))
    assert tr3.slopes.iloc[0]["slope"] == pytest.approx(b1g, rel=1e-10)
    by = cxkit.trend(df, "nps", periods=4, by="seg")
    assert set(by.slopes["seg"]) == {"A", "B", "C"} and len(by.points) == 12
    with pytest.raises(ValueError):
        cxkit.trend(df, "nps", periods=2)


def test_plots_return_axes():
    import matplotlib.axes
    df = _frame(seed=2, shift=("B", -1.5))
    res = cxkit.score_changes(df, "nps", "2026-10", by="seg")
    assert isinstance(cxkit.plot_changes_forest(res), matplotlib.axes.Axes)
    assert isinstance(cxkit.plot_changes_forest(res, which="vs_rest"), matplotlib.axes.Axes)
    d = cxkit.decompose_change(df, "nps", by="seg", period="2026-10")
    assert isinstance(cxkit.plot_decomposition(d), matplotlib.axes.Axes)
    tr = cxkit.trend(df, "nps", by="seg")
    assert isinstance(cxkit.plot_change_trend(tr, group={"seg": "B"}), matplotlib.axes.Axes)
    assert isinstance(cxkit.plot_change_trend(cxkit.trend(df, "nps")), matplotlib.axes.Axes)
    with pytest.raises(TypeError):
        cxkit.plot_decomposition(res)


# --------------------------------------------------------------------------------------------
# demo data: the planted change (data/README.md) must be found, and nothing else flagged
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo():
    responses, _ = cxkit.load_survey("demo")
    return responses


def test_demo_finds_planted_south_drop(demo):
    res = cxkit.score_changes(demo, "nps", "2026-10", baseline="previous",
                              by=["channel", "region", "product"])
    t = res.table.set_index(["dimension", "level"])
    south = t.loc[("region", "South")]
    assert bool(south["significant"]) and south["diff"] < 0
    assert south["diff"] == pytest.approx(R.DEMO_SOUTH_VS_PREVIOUS, abs=0.05)
    flagged = set(res.significant()["level"])
    assert flagged == {"South"}                      # West's -5 vs the 6-month mean is noise
    assert "region South −14.1 points" in cxkit.describe_changes(res)
    # pooled 6-month baseline as in data/README.md (2026-04..2026-09): South still flagged
    res6 = cxkit.score_changes(demo, "nps", "2026-10", baseline="previous-6", by="region")
    r6 = res6.table.set_index("level")
    assert bool(r6.loc["South", "significant"]) and not bool(r6.loc["West", "significant"])
    # weighted run works and also finds it
    resw = cxkit.score_changes(demo, "nps", "2026-10", by="region", weighted=True)
    assert bool(resw.table.set_index("level").loc["South", "significant"])
    assert resw.overall.method == "linearized-t" and resw.weighted


def test_demo_decomposition_identity(demo):
    for by in ("channel", "region"):
        d = cxkit.decompose_change(demo, "nps", by=by, period="2026-10")
        assert d.change == pytest.approx(d.mix + d.rate + d.interaction, abs=1e-10)
        res = cxkit.score_changes(demo, "nps", "2026-10", by=[])
        assert d.change == pytest.approx(res.overall.diff, abs=1e-10)


def test_trend_end_and_json_safe_results():
    import json
    df = _frame(seed=9, months=8)
    tr = cxkit.trend(df, "nps", periods=4, end="2026-10")
    assert [str(p) for p in tr.points["period"]] == ["2026-07", "2026-08", "2026-09", "2026-10"]
    tr2 = cxkit.trend(df, "nps", periods=3, end="2026-09")
    assert str(tr2.points["period"].iloc[-1]) == "2026-09"
    res = cxkit.score_changes(df, "nps", "2026-10", "previous", ["seg"], 0.05, "holm", 30)
    d = cxkit.decompose_change(df, "nps", by="seg", period="2026-10")
    for obj in (res.to_dict(), res.headline(), d.to_dict(), tr.to_dict(), res.overall.to_dict()):
        json.dumps(obj)
    h = res.headline()
    assert h["diff"] == pytest.approx(res.overall.diff) and h["baseline"] == "2026-09"


def test_paired_csat_dependent_proportions_by_hand():
    # 2×2 of (a top box, b top box): both 50, a only 10, b only 25, neither 15  (n = 100)
    a = np.repeat([5.0, 5.0, 2.0, 2.0], [50, 10, 25, 15])
    b = np.repeat([5.0, 2.0, 5.0, 2.0], [50, 10, 25, 15])
    r = cxkit.compare(a, b, metric="csat", paired=True, method="paired-wald")
    p10, p01, n = 0.10, 0.25, 100          # Agresti (2013) §11.1: Var = [p10 + p01 - (p01 - p10)^2]/n
    se = 100 * math.sqrt((p10 + p01 - (p01 - p10) ** 2) / n)
    assert r.diff == pytest.approx(100 * (p01 - p10))
    assert r.se == pytest.approx(se)
    assert r.method == "paired-wald" and r.paired
    # default: paired t on the 0/100 top-box values (scipy ttest_rel), SE = se·sqrt(n/(n - 1))
    t = cxkit.compare(a, b, metric="csat", paired=True)
    ref = stats.ttest_rel(100.0 * (b >= 4), 100.0 * (a >= 4))
    assert t.method == "paired-t" and t.df == 99
    assert t.se == pytest.approx(se * math.sqrt(n / (n - 1)))
    assert t.statistic == pytest.approx(ref.statistic) and t.p_value == pytest.approx(ref.pvalue)


def test_weighted_paired_linearized_t():
    rng = np.random.default_rng(11)
    a = rng.integers(0, 11, 90).astype(float)
    b = np.clip(a + rng.integers(-3, 3, 90), 0, 10)
    w = rng.uniform(0.5, 2.0, 90)
    r = cxkit.compare(a, b, weights_a=w, paired=True)
    z = cxkit.compare(a, b, weights_a=w, paired=True, method="paired-linearized")
    rec = lambda s: np.select([s >= 9, s >= 7], [100.0, 0.0], -100.0)   # noqa: E731
    m, se = R.svymean_se(list(rec(b) - rec(a)), list(w))
    df = w.sum() ** 2 / (w ** 2).sum() - 1
    assert r.method == "paired-linearized-t" and z.method == "paired-linearized"
    assert r.diff == pytest.approx(m) and r.se == pytest.approx(se) and z.se == pytest.approx(se)
    assert r.df == pytest.approx(df)
    assert r.p_value == pytest.approx(2 * stats.t.sf(abs(m / se), df))
    assert z.p_value == pytest.approx(2 * stats.norm.sf(abs(m / se)))


def test_describe_as_list():
    df = _frame(seed=2, shift=("B", -1.5))
    res = cxkit.score_changes(df, "nps", "2026-10", by="seg")
    parts = cxkit.describe_changes(res, as_list=True)
    assert isinstance(parts, list) and " ".join(parts) == cxkit.describe_changes(res)
    both = cxkit.describe_changes([res, res], as_list=True)
    assert both == parts + parts


def test_csat_score_interval_where_statsmodels_bracket_fails():
    # statsmodels 0.15 confint_proportions_2indep(264, 323, 1834, 2338, method="score") raises;
    # cxkit's own Miettinen–Nurminen inversion finds both limits (checked against an
    # independent numeric inversion: restricted MLE by optimisation, limits by bisection).
    a = np.repeat([5.0, 2.0], [1834, 2338 - 1834])
    b = np.repeat([5.0, 2.0], [264, 323 - 264])
    r = cxkit.compare(a, b, metric="csat")
    assert r.ci_low < r.diff < r.ci_high
    lo, hi = mn_interval_numeric(264, 323, 1834, 2338)
    assert (r.ci_low, r.ci_high) == (pytest.approx(100 * lo, abs=1e-5), pytest.approx(100 * hi, abs=1e-5))


def test_describe_says_no_significant_change_plainly():
    r = cxkit.compare_nps_counts((30, 40, 130), (32, 40, 128))
    text = cxkit.describe_changes(r)
    assert text.startswith("NPS went from 50.0 to 48.0") and text.endswith("no significant change.")
    assert "fell" not in text and "rose" not in text


def test_results_carry_the_metric_kind_for_configured_score_names():
    """A configured top-box score ("ease_find") is reported in percentage points with one
    decimal, as CSAT is; the kind comes from the MetricSpec, not from the score's name."""
    spec = cxkit.metric_spec("top_box", top_box=(4, 5), name="ease_find")
    r = cxkit.compare([5, 5, 4, 1] * 30, [5, 1, 1, 1] * 30, metric=spec)  # 75% -> 25% by hand
    assert r.kind == "top_box" and r.units == "points"
    assert r.diff == pytest.approx(-50.0)
    assert "−50.0 points" in str(r) and "75.0 → 25.0" in str(r)
    m = cxkit.compare([1.0, 2.0, 3.0] * 20, [2.0, 3.0, 4.0] * 20, metric=cxkit.metric_spec("mean", name="effort2"))
    assert m.kind == "mean" and "+1.00" in str(m)


def test_default_adjusted_wald_on_raw_scores_matches_the_hand_reference():
    r = cxkit.compare(_expand(R.NPS_A), _expand(R.NPS_B))      # default method on raw scores
    assert r.method == "adjusted-wald"
    assert r.se == pytest.approx(R.NPS_ADJ["se"], rel=1e-12)
    assert r.statistic == pytest.approx(R.NPS_ADJ["z"], rel=1e-12)


def test_forest_plot_draws_each_rows_change_and_interval():
    responses, _ = cxkit.load_survey("demo")
    res = cxkit.score_changes(responses, "csat", period="2026-10")
    ax = cxkit.plot_changes_forest(res)
    assert ax.get_xlabel().endswith("(percentage points)")
    points = sorted(float(line.get_xdata()[0]) for line in ax.lines if line.get_marker() == "o")
    spans = sorted(tuple(map(float, line.get_xdata())) for line in ax.lines
                   if line.get_marker() in (None, "None", "") and len(line.get_xdata()) == 2
                   and line.get_ydata()[0] == line.get_ydata()[1])
    t = res.table
    assert points == pytest.approx(sorted(t["diff"]))
    assert spans == [pytest.approx(s) for s in sorted(zip(t["ci_low"], t["ci_high"]))]


def test_where_names_the_dimension_of_the_change():
    """ScoreChanges.where(): the dimension of the most significant segment change (built by
    hand: region North collapses from NPS +60 to −60 while channel levels stay mixed alike)."""
    rows = []
    for period, north in (("2026-01", 10), ("2026-02", 0)):
        for region in ("North", "South"):
            for channel in ("web", "phone"):
                score = north if region == "North" else 10
                rows += [{"period": period, "region": region, "channel": channel, "nps": score}] * 80
                rows += [{"period": period, "region": region, "channel": channel, "nps": 8}] * 20
    df = pd.DataFrame(rows)
    df["period"] = pd.PeriodIndex(df["period"], freq="M")
    res = cxkit.score_changes(df, "nps", period="2026-02", baseline="2026-01", by=["channel", "region"])
    dim, why = res.where()
    assert dim == "region" and "significant" in why
    none, why = cxkit.score_changes(df, "nps", period="2026-02", baseline="2026-01", by=[]).where()
    assert none is None and "no segments" in why


def test_compare_two_frames_uses_the_metric_column_and_the_named_weights():
    """Two frames of respondents (no design): the metric's column, weights by column name (or
    True: the configured one) — the same Comparison as the arrays; a misspelt column is named."""
    import cxkit
    r, _ = cxkit.load_survey("demo")
    last = r["period"].max()
    a, b = r[r["period"] == last - 1], r[r["period"] == last]
    plain = cxkit.compare(a, b, metric="nps")
    arrays = cxkit.compare(a["nps"].to_numpy(), b["nps"].to_numpy(), metric="nps")
    assert (plain.diff, plain.se, plain.p_value) == (arrays.diff, arrays.se, arrays.p_value)
    w = cxkit.compare(a, b, metric="csat", weights_a=True)
    wa = cxkit.compare(a["csat"].to_numpy(), b["csat"].to_numpy(), metric="csat",
                       weights_a=a["weight"].to_numpy(), weights_b=b["weight"].to_numpy())
    assert w.weighted and (w.diff, w.se, w.p_value) == (wa.diff, wa.se, wa.p_value)
    with pytest.raises(cxkit.SurveyDataError, match="weight"):
        cxkit.compare(a, b, weights_a="wieght")
