"""Tests of cxkit.competitors against reference values computed outside cxkit (refs_competitors)."""

import doctest
import math
import sys

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

import cxkit
from cxkit.core.errors import SurveyDataError

import refs_competitors as R

# representative 0–10 scores of each category (detractor, passive, promoter), varied within
# the category so the tests do not depend on one score per category
_CAT_SCORES = ([0, 3, 5, 6], [7, 8], [9, 10])


def wide_from_joint(table, own="Acme", comp="Corvo", extra=None):
    """Respondent-level wide data reproducing a 3×3 joint table (rows own, columns competitor)."""
    own_s, comp_s = [], []
    k = 0
    for i in range(3):
        for j in range(3):
            for _ in range(int(table[i][j])):
                own_s.append(_CAT_SCORES[i][k % len(_CAT_SCORES[i])])
                comp_s.append(_CAT_SCORES[j][(k + 1) % len(_CAT_SCORES[j])])
                k += 1
    df = pd.DataFrame({"respondent_id": [f"r{i}" for i in range(len(own_s))],
                       own: np.array(own_s, float), comp: np.array(comp_s, float)})
    if extra:
        for name, scores in extra.items():
            df[name] = scores
    df.attrs["cxkit"] = {"relationship": {"own": own, "brands": [own, comp]}}
    return df


# --- paired gap: the reference joint table --------------------------------------------------

def test_paired_gap_reference_through_brand_table():
    df = wide_from_joint(R.JOINT_TABLE)
    res = cxkit.brand_comparison(df, n_boot=0, paired_method="paired-wald")
    b = res.brands.set_index("brand")
    assert b.loc["Acme", "n"] == R.JOINT_N
    # brand NPS point values are the raw ones whatever the interval method
    assert b.loc["Acme", "nps"] == pytest.approx(R.JOINT_OWN_NPS)
    assert b.loc["Corvo", "nps"] == pytest.approx(R.JOINT_COMP_NPS)
    g = res.gaps.iloc[0]
    assert g["design"] == "paired" and g["n_pairs"] == R.JOINT_N
    # gap is competitor − own
    assert g["gap"] == pytest.approx(-R.JOINT_DIFF_OWN_MINUS_COMP, abs=1e-9)
    assert g["se"] == pytest.approx(R.JOINT_PAIRED_SE, abs=1e-4)
    assert g["statistic"] == pytest.approx(-R.JOINT_PAIRED_Z, abs=1e-4)
    assert g["p_value"] == pytest.approx(2 * stats.norm.sf(R.JOINT_PAIRED_Z), rel=1e-3)
    # and it is NOT the independent-samples SE
    assert abs(g["se"] - R.JOINT_INDEPENDENT_SE) > 2
    q = stats.norm.ppf(0.975)
    assert g["ci_low"] == pytest.approx(-R.JOINT_DIFF_OWN_MINUS_COMP - q * R.JOINT_PAIRED_SE, abs=1e-3)


def test_paired_t_default_reference():
    df = wide_from_joint(R.JOINT_TABLE)
    g = cxkit.brand_comparison(df, n_boot=0).gaps.iloc[0]
    assert g["method"] == "paired-t" and g["design"] == "paired"
    assert g["gap"] == pytest.approx(-R.JOINT_DIFF_OWN_MINUS_COMP)
    assert g["se"] == pytest.approx(R.JOINT_PAIRED_T_SE, abs=1e-4)
    assert g["statistic"] == pytest.approx(-R.JOINT_PAIRED_T, abs=1e-4)
    assert g["p_value"] == pytest.approx(R.JOINT_PAIRED_T_P, rel=1e-3)
    assert abs(g["se"] - R.JOINT_INDEPENDENT_SE) > 2
    # brand_gap directly, own and competitor order: diff = competitor − own
    r = cxkit.brand_gap(df["Corvo"], df["Acme"], method="paired-wald")
    assert r.diff == pytest.approx(R.JOINT_DIFF_OWN_MINUS_COMP)
    assert r.se == pytest.approx(R.JOINT_PAIRED_SE, abs=1e-4)


def test_paired_gap_matches_compare_paired_counts():
    df = wide_from_joint(R.JOINT_TABLE)
    g = cxkit.brand_comparison(df, n_boot=0, paired_method="paired-wald").gaps.iloc[0]
    # compare_nps_paired_counts: diff = columns − rows (rows own, columns competitor)
    r = cxkit.compare_nps_paired_counts(np.asarray(R.JOINT_TABLE), method="paired-wald")   # rows own, cols comp
    assert g["gap"] == pytest.approx(r.diff)
    assert g["se"] == pytest.approx(r.se)


def test_independent_samples_use_independent_test():
    df = wide_from_joint(R.JOINT_TABLE)
    samples = {"Acme": df["Acme"].to_numpy(), "Corvo": df["Corvo"].to_numpy()}
    res = cxkit.brand_comparison(samples, n_boot=0, independent_method="wald")
    g = res.gaps.iloc[0]
    assert res.design == "independent" and g["design"] == "independent"
    assert g["gap"] == pytest.approx(-R.JOINT_DIFF_OWN_MINUS_COMP)
    assert g["se"] == pytest.approx(R.JOINT_INDEPENDENT_SE, abs=1e-4)
    # default independent method is the adjusted Wald of cxkit.compare
    g2 = cxkit.brand_comparison(samples, n_boot=0).gaps.iloc[0]
    assert g2["method"] == "adjusted-wald"
    assert res.crosstab.empty


def test_wide_without_overlap_falls_back_to_independent():
    df = wide_from_joint(R.JOINT_TABLE)
    a = df[["Acme"]].assign(Corvo=np.nan)
    c = df[["Corvo"]].assign(Acme=np.nan)
    both = pd.concat([a, c], ignore_index=True)
    g = cxkit.brand_comparison(both, own="Acme", brands=["Acme", "Corvo"], n_boot=0,
                               independent_method="wald").gaps.iloc[0]
    assert g["design"] == "independent" and g["n_pairs"] == 0
    assert g["se"] == pytest.approx(R.JOINT_INDEPENDENT_SE, abs=1e-4)


def test_overlap_method_limits_and_brand_table_difference(demo):
    df = wide_from_joint(R.JOINT_TABLE)
    full = cxkit.brand_gap(df["Acme"], df["Corvo"], method="overlap")
    assert full.diff == pytest.approx(-R.JOINT_DIFF_OWN_MINUS_COMP)
    assert full.se == pytest.approx(R.OVERLAP_FULL_SE, abs=1e-4)
    assert full.p_value == pytest.approx(R.JOINT_PAIRED_T_P, rel=1e-3)   # = paired t
    a = df[["Acme"]].assign(Corvo=np.nan)
    c = df[["Corvo"]].assign(Acme=np.nan)
    none = pd.concat([a, c], ignore_index=True)
    r = cxkit.brand_gap(none["Acme"], none["Corvo"], method="overlap")
    assert r.se == pytest.approx(R.OVERLAP_NONE_SE, abs=1e-4)
    # partial overlap: the gap is exactly the difference of the brand-table NPS
    for weighted in (False, True):
        res = cxkit.brand_comparison(demo, n_boot=0, paired_method="overlap", weighted=weighted)
        b = res.brands.set_index("brand")["nps"]
        g = res.gaps.set_index("brand")["gap"]
        for brand in ("Brightline", "Corvo", "Dunmore"):
            assert g[brand] == pytest.approx(b[brand] - b["Acme"])
        assert (res.gaps["method"] == "overlap-linearized").all()
    assert "over everyone rating each brand" in cxkit.describe_brands(res)


def test_dont_know_excluded_per_brand_and_pairs():
    df = wide_from_joint(R.JOINT_TABLE)
    extra = df.iloc[:10].copy()
    extra["Acme"] = 10.0
    extra["Corvo"] = np.nan           # know Acme only
    full = pd.concat([df, extra], ignore_index=True)
    full.attrs = df.attrs
    res = cxkit.brand_comparison(full, n_boot=0, paired_method="paired-wald")
    b = res.brands.set_index("brand")
    assert b.loc["Acme", "n"] == 210 and b.loc["Corvo", "n"] == 200
    assert b.loc["Acme", "nps"] == pytest.approx(100 * (130 + 10 - 30) / 210)
    g = res.gaps.iloc[0]
    assert g["n_pairs"] == 200
    assert g["se"] == pytest.approx(R.JOINT_PAIRED_SE, abs=1e-4)       # gap on the pairs only
    assert g["own_nps_pairs"] == pytest.approx(R.JOINT_OWN_NPS)
    assert b.loc["Corvo", "rated_pct"] == pytest.approx(100 * 200 / 210)


# --- multiple testing -----------------------------------------------------------------------

def test_holm_adjustment_matches_statsmodels_and_hand():
    rng = np.random.default_rng(5)
    n = 300
    base = rng.integers(0, 11, n).astype(float)
    df = pd.DataFrame({"A": base,
                       "B": np.clip(base + rng.integers(-2, 3, n), 0, 10),
                       "C": np.clip(base + rng.integers(-3, 2, n), 0, 10),
                       "D": np.clip(base + rng.integers(-1, 3, n), 0, 10)})
    res = cxkit.brand_comparison(df, own="A", brands=["A", "B", "C", "D"], n_boot=0)
    p = res.gaps["p_value"].to_numpy()
    # Holm by hand: sort, multiply by (m − i), running max, cap at 1, unsort
    order = np.argsort(p)
    m = len(p)
    adj_sorted = np.minimum(1, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    hand = np.empty(m)
    hand[order] = adj_sorted
    np.testing.assert_allclose(res.gaps["p_adj"], hand)
    bh = cxkit.brand_comparison(df, own="A", brands=["A", "B", "C", "D"], n_boot=0,
                                correction="bh")
    np.testing.assert_allclose(bh.gaps["p_adj"], multipletests(p, method="fdr_bh")[1])
    none = cxkit.brand_comparison(df, own="A", brands=["A", "B", "C", "D"], n_boot=0,
                                  correction="none")
    np.testing.assert_allclose(none.gaps["p_adj"], p)
    assert (res.gaps["significant"] == (res.gaps["p_adj"] < 0.05)).all()


# --- rank probabilities ---------------------------------------------------------------------

def test_rank_probabilities_keep_the_pairing():
    df = wide_from_joint(R.RANK_TABLE)
    r = cxkit.rank_probabilities(df, n_boot=4000, seed=1).set_index("brand")
    # competitor ahead by 8 points, paired SE 4.60 → P(first) ≈ Φ(1.738) = 0.959 (normal approx.)
    assert r.loc["Corvo", "rank_1"] == pytest.approx(R.RANK_P_FIRST_PAIRED, abs=0.02)
    # the independent-samples value (0.841) is clearly not what a respondent bootstrap gives
    assert abs(r.loc["Corvo", "rank_1"] - R.RANK_P_FIRST_INDEPENDENT) > 0.08
    # a stratified (independent) bootstrap of the same margins gives the independent value
    s = {"Acme": df["Acme"].to_numpy(), "Corvo": df["Corvo"].to_numpy()}
    ri = cxkit.rank_probabilities(s, n_boot=4000, seed=1).set_index("brand")
    assert ri.loc["Corvo", "rank_1"] == pytest.approx(R.RANK_P_FIRST_INDEPENDENT, abs=0.025)


def test_rank_probabilities_are_probabilities_and_seeded():
    rng = np.random.default_rng(3)
    n = 400
    latent = rng.normal(size=n)
    df = pd.DataFrame({b: np.clip(np.rint(7.5 + mu + 1.3 * latent + rng.normal(0, 1.2, n)), 0, 10)
                       for b, mu in zip("ABCD", (0.0, 0.1, 0.05, -0.6))})
    df.loc[rng.random(n) < 0.3, "C"] = np.nan
    r1 = cxkit.rank_probabilities(df, brands=list("ABCD"), n_boot=500, seed=11)
    r2 = cxkit.rank_probabilities(df, brands=list("ABCD"), n_boot=500, seed=11)
    pd.testing.assert_frame_equal(r1, r2)
    P = r1[[f"rank_{k}" for k in range(1, 5)]].to_numpy()
    np.testing.assert_allclose(P.sum(axis=1), 1)
    np.testing.assert_allclose(P.sum(axis=0), 1)
    np.testing.assert_allclose(r1["expected_rank"], P @ np.arange(1, 5))


def test_weighted_rank_bootstrap_with_unit_weights_equals_unweighted():
    df = wide_from_joint(R.RANK_TABLE)
    df["weight"] = 1.0
    r0 = cxkit.rank_probabilities(df, n_boot=300, seed=4)
    r1 = cxkit.rank_probabilities(df, n_boot=300, seed=4, weighted=True)
    pd.testing.assert_frame_equal(r0, r1)
    df["weight"] = 2.5          # a constant weight changes nothing either
    pd.testing.assert_frame_equal(r0, cxkit.rank_probabilities(df, n_boot=300, seed=4,
                                                               weighted=True))


def test_rank_bootstrap_equals_explicit_loop():
    """The matrix-product bootstrap gives the NPS of explicitly resampled respondents."""
    from cxkit.stats.competitors import _as_brands, _boot_nps

    rng = np.random.default_rng(0)
    df = pd.DataFrame({"A": rng.integers(0, 11, 60).astype(float),
                       "B": rng.integers(0, 11, 60).astype(float)})
    df.loc[rng.random(60) < 0.3, "B"] = np.nan
    data = _as_brands(df, own="A", brands=["A", "B"])
    boot = _boot_nps(data, 5, np.random.default_rng(42))
    # same draws: the first replicate's indices are the first row of integers(0, n, (b, n))
    idx = np.random.default_rng(42).integers(0, 60, size=(5, 60))
    for r in range(5):
        s = df.iloc[idx[r]]
        for j, b in enumerate(["A", "B"]):
            v = s[b].dropna()
            want = 100 * ((v >= 9).mean() - (v <= 6).mean())
            assert boot[r, j] == pytest.approx(want)


# --- benchmarks -----------------------------------------------------------------------------

def test_benchmark_one_sample():
    est = cxkit.Estimate("nps", R.BENCH_EST_VALUE, R.BENCH_EST_SE, 0, 0, 400, 400.0)
    r = cxkit.compare_to_benchmark(est, R.BENCH_VALUE)
    assert r.statistic == pytest.approx(R.BENCH_ONE_SAMPLE_Z)
    assert r.p_value == pytest.approx(R.BENCH_ONE_SAMPLE_P, rel=1e-5)
    assert r.method == "one-sample z" and r.n_a is None
    one = cxkit.compare_to_benchmark(est, R.BENCH_VALUE, alternative="larger")
    assert one.p_value == pytest.approx(R.BENCH_ONE_SAMPLE_P / 2, rel=1e-5)


def _bench_scores():
    return np.repeat(list(R.BENCH_SCORES_COUNTS), list(R.BENCH_SCORES_COUNTS.values())).astype(float)


def test_benchmark_two_sample_with_shares_and_bound():
    s = _bench_scores()
    r = cxkit.compare_to_benchmark(s, R.BENCH_TWO_NPS, benchmark_n=R.BENCH_TWO_N,
                                   benchmark_shares=R.BENCH_TWO_SHARES)
    assert r.value == pytest.approx(R.BENCH_TWO_OUR_NPS)
    assert r.se == pytest.approx(R.BENCH_TWO_SE, abs=1e-5)
    assert r.statistic == pytest.approx(R.BENCH_TWO_Z, abs=1e-5)
    assert r.p_value == pytest.approx(R.BENCH_TWO_P, abs=1e-5)
    b = cxkit.compare_to_benchmark(s, R.BENCH_TWO_NPS, benchmark_n=R.BENCH_TWO_N)
    assert b.se == pytest.approx(R.BENCH_BOUND_SE, abs=1e-5)
    assert b.p_value == pytest.approx(R.BENCH_BOUND_P, abs=1e-5)
    with pytest.raises(ValueError, match="percent"):
        cxkit.compare_to_benchmark(s, 30, benchmark_n=400, benchmark_shares=(0.2, 0.3, 0.5))


def test_benchmark_parsing_and_table():
    parsed = cxkit.parse_benchmarks("Industry average=22; Study X=30 n=400 promoters=50 detractors=20")
    assert parsed["Industry average"] == {"nps": 22.0, "n": None, "promoters": None,
                                          "detractors": None}
    assert parsed["Study X"]["n"] == 400
    df = pd.DataFrame({"Acme": _bench_scores(), "Corvo": _bench_scores()[::-1]})
    res = cxkit.brand_comparison(df, own="Acme", brands=["Acme", "Corvo"], n_boot=0,
                                 benchmarks="Study X=30 n=400 promoters=50 detractors=20")
    row = res.benchmarks.iloc[0]
    assert row["p_value"] == pytest.approx(R.BENCH_TWO_P, abs=1e-5)
    with pytest.raises(ValueError, match="name=NPS"):
        cxkit.parse_benchmarks("=22")


# --- who moves where ------------------------------------------------------------------------

def test_crosstab_reproduces_joint_table():
    df = wide_from_joint(R.JOINT_TABLE)
    xt = cxkit.brand_crosstab(df, "Acme", "Corvo")
    np.testing.assert_array_equal(xt.to_numpy(), np.asarray(R.JOINT_TABLE))
    assert list(xt.index) == list(cxkit.CATEGORIES) and xt.attrs["n_pairs"] == R.JOINT_N
    cols = cxkit.brand_crosstab(df, "Acme", "Corvo", normalize="columns")
    T = np.asarray(R.JOINT_TABLE, float)
    np.testing.assert_allclose(cols.to_numpy(), 100 * T / T.sum(axis=0))
    rows = cxkit.brand_crosstab(df, "Acme", "Corvo", normalize="index")
    np.testing.assert_allclose(rows.to_numpy(), 100 * T / T.sum(axis=1, keepdims=True))
    tidy = cxkit.brand_crosstab(df)      # configured own/competitors
    cell = tidy[(tidy.own_category == "Detractor") & (tidy.competitor_category == "Promoter")]
    assert cell["count"].iloc[0] == 2
    assert cell["pct_of_competitor_category"].iloc[0] == pytest.approx(100 * 2 / 87)


# --- data shapes ----------------------------------------------------------------------------

def test_brands_to_wide_round_trip_and_errors():
    df = wide_from_joint(R.JOINT_TABLE)
    long = df.melt(id_vars="respondent_id", var_name="brand", value_name="score").dropna()
    long = long.sample(frac=1, random_state=1)
    wide = cxkit.brands_to_wide(long, brands=["Acme", "Corvo"], own="Acme")
    wide = wide.set_index("respondent_id").loc[df["respondent_id"]]
    np.testing.assert_array_equal(wide["Acme"].to_numpy(), df["Acme"].to_numpy())
    assert cxkit.brands_to_wide(long, own="Acme").attrs["cxkit"]["relationship"]["own"] == "Acme"
    dup = pd.concat([long, long.iloc[:1]])
    with pytest.raises(SurveyDataError, match="more than once"):
        cxkit.brands_to_wide(dup)


def test_brand_samples_long_panel():
    long = pd.DataFrame({"panel": ["p1"] * 3 + ["p2"] * 2, "brand": ["A"] * 3 + ["B"] * 2,
                         "score": [10, 9, 3, 5, 9]})
    s = cxkit.brand_samples(long)
    res = cxkit.brand_comparison(s, n_boot=0)
    assert res.design == "independent"
    assert res.brands.set_index("brand").loc["A", "nps"] == pytest.approx(100 * (2 - 1) / 3)


def test_unrated_brand_and_single_pair():
    df = pd.DataFrame({"A": [10, 9, 3, 8, 7.0], "B": [np.nan] * 5,
                       "C": [9, np.nan, np.nan, np.nan, np.nan]})
    res = cxkit.brand_comparison(df, own="A", brands=["A", "B", "C"], n_boot=50)
    g = res.gaps.set_index("brand")
    assert math.isnan(g.loc["B", "gap"]) and math.isnan(g.loc["C", "gap"])
    assert g.loc["C", "design"] == "paired"          # overlapping respondents: never independent
    assert not g["significant"].any()
    r = res.ranks.set_index("brand")
    assert math.isnan(r.loc["B", "rank_1"])
    assert r.loc["A", "rank_1"] + r.loc["C", "rank_1"] == pytest.approx(1)
    text = cxkit.describe_brands(res)
    assert "no respondent rates this brand" in text and "cannot be estimated" in text
    import json
    json.dumps(res.to_dict())


def test_argument_errors():
    df = wide_from_joint(R.JOINT_TABLE)
    with pytest.raises(ValueError, match="correction"):
        cxkit.brand_comparison(df, correction="sidak-ish")
    with pytest.raises(ValueError, match="no brand column"):
        cxkit.brand_comparison(df, brands=["Acme", "Zeta"])
    bad = df.copy()
    bad.loc[3, "Corvo"] = 11
    with pytest.raises(SurveyDataError, match="outside 0–10"):
        cxkit.brand_comparison(bad)


# --- the demo relationship survey -----------------------------------------------------------

@pytest.fixture(scope="module")
def demo():
    responses, _ = cxkit.load_survey("demo-relationship")
    return responses


def test_demo_brand_comparison(demo):
    res = cxkit.brand_comparison(demo, n_boot=500, benchmarks="Industry average=22")
    assert list(res.brands["brand"]) == ["Acme", "Brightline", "Corvo", "Dunmore"]
    assert (res.gaps["design"] == "paired").all()
    g = res.gaps.set_index("brand")
    assert g.loc["Brightline", "significant"] and not g.loc["Corvo", "significant"]
    # each gap equals cxkit.compare(paired=True) on the respondents rating both
    both = demo[["Acme", "Brightline"]].dropna()
    c = cxkit.compare(both["Acme"], both["Brightline"], paired=True, method="paired-wald")
    assert g.loc["Brightline", "gap"] == pytest.approx(c.diff)
    n = len(both)
    assert g.loc["Brightline", "se"] == pytest.approx(c.se * math.sqrt(n / (n - 1)))
    text = cxkit.describe_brands(res)
    assert text.startswith("Acme (own brand): NPS")
    assert "Brightline" in text and "Industry average" in text
    d = res.to_dict()
    import json
    json.dumps(d)
    w = cxkit.brand_comparison(demo, n_boot=0, weighted=True)
    assert w.gaps["method"].str.contains("linearized").all()


def test_subset(demo):
    sub = cxkit.relationship_subset(demo, "2026-10", "customer_type=Business")
    assert (sub["customer_type"] == "Business").all()
    assert (sub["period"].astype(str) == "2026-10").all()
    assert len(cxkit.relationship_subset(demo, "2026-09:2026-10")) == \
        int(demo["period"].astype(str).isin(["2026-09", "2026-10"]).sum())
    with pytest.raises(ValueError, match="no value"):
        cxkit.relationship_subset(demo, "all", "customer_type=Alien")


def test_plots(demo):
    res = cxkit.brand_comparison(demo, n_boot=200)
    for f in (cxkit.plot_brand_forest, cxkit.plot_brand_shares, cxkit.plot_brand_gaps):
        ax = f(res)
        assert ax.get_title()


def test_docstring_examples():
    mod = sys.modules["cxkit.stats.competitors"]
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 10


def _nps_value(x):
    x = np.asarray(x, float)
    return np.where(x >= 9, 100.0, np.where(x <= 6, -100.0, 0.0))


def test_weighted_brand_gaps_use_a_t_reference_on_n_eff_minus_1_df():
    """Issue 11.2: weighted gaps are linearised t tests (df = n_eff − 1 paired; min(n_eff) − 1
    independent), as the docs now say — checked by hand algebra (svymean's linearised SE)."""
    rng = np.random.default_rng(11)
    n = 60
    own = rng.integers(0, 11, n).astype(float)
    comp = np.clip(own + rng.integers(-3, 4, n), 0, 10).astype(float)
    w = rng.lognormal(0, 0.5, n)
    r = cxkit.brand_gap(own, comp, weights=w)
    d = _nps_value(comp) - _nps_value(own)
    dbar = (w * d).sum() / w.sum()
    se = math.sqrt(n / (n - 1) * ((w * (d - dbar)) ** 2).sum()) / w.sum()
    n_eff = w.sum() ** 2 / (w ** 2).sum()
    t = dbar / se
    assert r.method == "paired-linearized-t"
    assert r.diff == pytest.approx(dbar) and r.se == pytest.approx(se)
    assert r.df == pytest.approx(n_eff - 1)
    assert r.p_value == pytest.approx(2 * stats.t.sf(abs(t), n_eff - 1))
    q = stats.t.ppf(0.975, n_eff - 1)
    assert (r.ci_low, r.ci_high) == (pytest.approx(dbar - q * se), pytest.approx(dbar + q * se))
    # the z form stays available by name
    z = cxkit.brand_gap(own, comp, weights=w, method="wald")
    assert z.method == "paired-linearized"
    assert z.p_value == pytest.approx(2 * stats.norm.sf(abs(t)))
    # independent weighted gap: t on min(n_eff) − 1 df
    wo, wc = rng.lognormal(0, 0.5, n), rng.lognormal(0, 0.5, 45)
    c2 = comp[:45]
    ri = cxkit.brand_gap(own, c2, weights=(wo, wc), paired=False)
    ne = [x.sum() ** 2 / (x ** 2).sum() for x in (wo, wc)]

    def lin(x, ww):
        m = (ww * x).sum() / ww.sum()
        k = len(x)
        return m, math.sqrt(k / (k - 1) * ((ww * (x - m)) ** 2).sum()) / ww.sum()

    (mo, so), (mc, sc) = lin(_nps_value(own), wo), lin(_nps_value(c2), wc)
    ti = (mc - mo) / math.hypot(so, sc)
    assert ri.method == "linearized-t" and ri.df == pytest.approx(min(ne) - 1)
    assert ri.p_value == pytest.approx(2 * stats.t.sf(abs(ti), min(ne) - 1))
