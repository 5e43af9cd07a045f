"""The survey design in trend, decompose_change, compare and brand_comparison (issue 17, point
3) against R survey (svyby, svycontrast, svyttest, svymean on a subset; tests/r/weights_refs.R
-> tests/refs_weights.py) on generated clustered data (tests/r/design_gen.csv) and the SFO
survey, and without a design: unchanged."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import cxkit
from cxkit import SurveyDataError
import refs_weights as R

ROOT = Path(__file__).resolve().parents[1]
D = {"strata": "stratum", "cluster": "psu"}
Q = [pd.Period(p.replace("-", ""), freq="Q") for p in R.DG_PERIODS]


@pytest.fixture(scope="module")
def gen():
    g = pd.read_csv(ROOT / "tests" / "r" / "design_gen.csv")
    g["period"] = pd.PeriodIndex(g["period"].str.replace("-", ""), freq="Q")
    return g


def _p(t, df):
    return 2 * stats.t.sf(abs(t), df)


# ------------------------------------------------------------------------------------ trend
def test_trend_points_and_changes_are_svyby_and_svycontrast(gen):
    tr = cxkit.trend(gen, "nps", weighted="w", design=D)
    pts = tr.points
    assert pts["period"].tolist() == Q
    assert pts["value"].to_numpy() == pytest.approx(R.DG_TREND_MEAN, rel=1e-9)
    assert pts["se"].to_numpy() == pytest.approx(R.DG_TREND_SE, rel=1e-9)
    assert (pts["df"] == R.DG_DEGF).all()
    q = stats.t.ppf(0.975, R.DG_DEGF)
    assert pts["ci_low"].to_numpy() == pytest.approx(
        np.maximum(-100, np.array(R.DG_TREND_MEAN) - q * np.array(R.DG_TREND_SE)), rel=1e-9)
    # changes: contrasts of svyby with its covariance (the quarters share PSUs)
    assert pts["change"].to_numpy()[1:] == pytest.approx(R.DG_TREND_CHANGE, rel=1e-9)
    t = np.array(R.DG_TREND_CHANGE) / np.array(R.DG_TREND_CHANGE_SE)
    assert pts["change_p"].to_numpy()[1:] == pytest.approx(_p(t, R.DG_DEGF - 1), rel=1e-9)
    # the last change is svyttest on the two quarters
    assert pts["change_p"].iloc[-1] == pytest.approx(R.DG_TTEST_Q3Q4_P, rel=1e-9)
    assert tr.design == D | {"fpc": None}


def test_trend_slope_fixed_is_the_design_se_of_the_wls_contrast(gen):
    tr = cxkit.trend(gen, "nps", weighted="w", design=D, scale="fixed")
    s = tr.slopes.iloc[0]
    assert s["slope"] == pytest.approx(R.DG_SLOPE, rel=1e-9)
    assert s["se"] == pytest.approx(R.DG_SLOPE_SE, rel=1e-9)
    assert s["df"] == R.DG_DEGF - 1 and s["method"] == "design-wls-fixed"
    assert s["p_value"] == pytest.approx(_p(R.DG_SLOPE / R.DG_SLOPE_SE, R.DG_DEGF - 1))
    est = cxkit.trend(gen, "nps", weighted="w", design=D).slopes.iloc[0]
    assert est["slope"] == pytest.approx(R.DG_SLOPE, rel=1e-9)   # same weights 1/se²
    assert est["method"] == "design-wls-estimated" and est["df"] == 2


def test_trend_by_group_are_domains_of_the_whole_design(gen):
    pts = cxkit.trend(gen, "nps", by="channel", weighted="w", design=D).points
    got = pts.set_index(["channel", pts["period"].astype(str)])
    keys = [(c, p.replace("-", "")) for c, p in R.DG_BY_CHANNEL_KEYS]
    assert got.loc[keys, "value"].to_numpy() == pytest.approx(R.DG_BY_CHANNEL_MEAN, rel=1e-9)
    assert got.loc[keys, "se"].to_numpy() == pytest.approx(R.DG_BY_CHANNEL_SE, rel=1e-9)


def test_trend_uses_the_configured_design_and_false_switches_it_off(gen):
    g = gen.copy()
    g.attrs = {"cxkit": {"design": D, "weight": "w"}}
    a = cxkit.trend(g, "nps", weighted=True)
    assert a.points["se"].to_numpy() == pytest.approx(R.DG_TREND_SE, rel=1e-9)
    off = cxkit.trend(g, "nps", weighted=True, design=False)
    plain = cxkit.trend(gen, "nps", weighted="w")
    pd.testing.assert_frame_equal(off.points, plain.points)
    pd.testing.assert_frame_equal(off.slopes, plain.slopes)
    assert "df" not in plain.points.columns and plain.design is None
    assert "design" not in plain.to_dict() and "design" in a.to_dict()


# ---------------------------------------------------------------------------- decomposition
def test_decomposition_ses_are_svycontrast_on_svytotal(gen):
    dec = cxkit.decompose_change(gen, "nps", by="channel", period="2025Q4", baseline="2025Q3",
                                 weighted="w", design=D)
    u = dec.uncertainty.set_index("term").loc[["change", "mix", "rate", "interaction"]]
    assert u["estimate"].to_numpy() == pytest.approx(R.DG_DECOMP, rel=1e-9)
    assert u["se"].to_numpy() == pytest.approx(R.DG_DECOMP_SE, rel=1e-9)
    assert [dec.change, dec.mix, dec.rate, dec.interaction] == pytest.approx(R.DG_DECOMP)
    assert u.loc["change", "p_value"] == pytest.approx(R.DG_TTEST_Q3Q4_P, rel=1e-9)
    assert (u["df"] == R.DG_DEGF - 1).all()
    assert "design SEs" in str(dec) and "uncertainty" in dec.to_dict()
    plain = cxkit.decompose_change(gen, "nps", by="channel", period="2025Q4",
                                   baseline="2025Q3", weighted="w")
    assert plain.uncertainty is None and "uncertainty" not in plain.to_dict()
    pd.testing.assert_frame_equal(plain.table, dec.table)
    assert str(plain) == str(dec).split(" (design SEs")[0]


def test_symmetric_decomposition_ses_against_an_independent_delta_method(gen):
    # per-response linearisation written here: z_i = w_i (g_T + g_X x_i), the gradient by
    # central differences of the symmetric terms, PSU totals and the stratified formula
    dec = cxkit.decompose_change(gen, "nps", by="channel", period="2025Q4", baseline="2025Q3",
                                 weighted="w", design=D, method="symmetric")
    levs = ["phone", "store", "web"]
    x = np.where(gen["nps"] >= 9, 100.0, np.where(gen["nps"] <= 6, -100.0, 0.0))
    w = gen["w"].to_numpy()
    ind = [((gen["period"] == pd.Period(p, "Q")) & (gen["channel"] == lv)).to_numpy()
           for p in ("2025Q3", "2025Q4") for lv in levs]

    def terms(v):
        T, X = v[:6], v[6:]
        sa, sb = T[:3] / T[:3].sum(), T[3:] / T[3:].sum()
        ma, mb = X[:3] / T[:3], X[3:] / T[3:]
        Ma, Mb = sa @ ma, sb @ mb
        return np.array([((sb - sa) * ((ma + mb) / 2 - (Ma + Mb) / 2)).sum(),
                         ((sa + sb) / 2 * (mb - ma)).sum()])

    v0 = np.r_[[w[i].sum() for i in ind], [(w * x)[i].sum() for i in ind]]
    grad = np.array([(terms(v0 + e) - terms(v0 - e)) / (2 * h)
                     for h, e in ((1e-4 * max(abs(v0[k]), 1), np.eye(12)[k]
                                   * 1e-4 * max(abs(v0[k]), 1)) for k in range(12))])
    z = np.zeros((len(gen), 2))
    for k, i in enumerate(ind):
        z[i] += np.outer(w[i], grad[k]) + np.outer(w[i] * x[i], grad[6 + k])
    psu = gen["stratum"] + "/" + gen["psu"]
    zu = pd.DataFrame(z).groupby(psu.to_numpy()).sum()
    st = zu.index.str.split("/").str[0]
    var = np.zeros(2)
    for h, grp in zu.groupby(st):
        n = len(grp)
        var += n / (n - 1) * ((grp - grp.mean()) ** 2).sum().to_numpy()
    u = dec.uncertainty.set_index("term")
    assert u.loc[["mix", "rate"], "estimate"].to_numpy() == pytest.approx(terms(v0))
    assert u.loc[["mix", "rate"], "se"].to_numpy() == pytest.approx(np.sqrt(var), rel=1e-6)
    assert u.loc["interaction", "estimate"] == 0 and u.loc["interaction", "se"] == 0


# ---------------------------------------------------------------------------------- compare
def test_compare_frames_with_a_design_is_svyttest(gen):
    a, b = gen[gen["period"] == Q[2]], gen[gen["period"] == Q[3]]
    c = cxkit.compare(a, b, design=D, weights_a="w")
    assert isinstance(c, cxkit.Comparison) and c.method == "design-linearized"
    assert c.diff == pytest.approx(R.DG_TTEST_Q3Q4_DIFF, rel=1e-9)
    assert c.statistic == pytest.approx(R.DG_TTEST_Q3Q4_T, rel=1e-9)
    assert c.p_value == pytest.approx(R.DG_TTEST_Q3Q4_P, rel=1e-9)
    assert c.df == R.DG_TTEST_Q3Q4_DF and c.weighted
    assert c.se == pytest.approx(R.DG_TREND_CHANGE_SE[-1], rel=1e-9)
    q = stats.t.ppf(0.975, c.df)
    assert (c.ci_low, c.ci_high) == pytest.approx((c.diff - q * c.se, c.diff + q * c.se))
    lg = cxkit.compare(a, b, design=D, weights_a="w", alternative="smaller")
    assert lg.p_value == pytest.approx(R.DG_TTEST_Q3Q4_P / 2, rel=1e-9)
    # configured design and weight from the frames' attrs
    g = gen.copy()
    g.attrs = {"cxkit": {"design": D, "weight": "w"}}
    ga, gb = g[g["period"] == Q[2]], g[g["period"] == Q[3]]
    c2 = cxkit.compare(ga, gb, weights_a=True)
    assert c2.p_value == pytest.approx(R.DG_TTEST_Q3Q4_P, rel=1e-9)
    # weights_a=None: equal weights, as without a design (and summarize(weighted=False)): the
    # configured design changes the SE, not the estimate
    c3, plain = cxkit.compare(ga, gb), cxkit.compare(ga, gb, design=False)
    assert c3.method == "design-linearized" and not c3.weighted
    assert c3.diff == pytest.approx(plain.diff, rel=1e-12) and not plain.weighted


def test_compare_with_a_design_refuses_what_it_cannot_do(gen):
    a, b = gen[gen["period"] == Q[2]], gen[gen["period"] == Q[3]]
    with pytest.raises(SurveyDataError, match="DataFrames of respondents"):
        cxkit.compare(a["nps"].to_numpy(), b["nps"].to_numpy(), design=D)
    with pytest.raises(SurveyDataError, match="disjoint"):
        cxkit.compare(a, a, design=D, weights_a="w")
    with pytest.raises(SurveyDataError, match="brand_comparison"):
        cxkit.compare(a, b, design=D, paired=True)
    with pytest.raises(SurveyDataError, match="names the weight column"):
        cxkit.compare(a, b, design=D, weights_a=a["w"].to_numpy())


def test_compare_without_a_design_is_unchanged():
    rng = np.random.default_rng(3)
    x, y = rng.integers(0, 11, 300), rng.integers(0, 11, 280)
    assert cxkit.compare(x, y) == cxkit.compare(x, y, design=False) == cxkit.compare(
        x, y, design=None)


# ------------------------------------------------------------------------- brand comparison
def test_brand_comparison_with_a_clustered_design(gen):
    kw = dict(own="nps", brands=["nps", "rival_a", "rival_b"], weighted="w", n_boot=0)
    bc = cxkit.brand_comparison(gen, design=D, **kw)
    br = bc.brands.set_index("brand")
    assert br["nps"].to_numpy() == pytest.approx([R.DG_OWN_NPS] + R.DG_BRAND_NPS, rel=1e-9)
    assert br["se"].to_numpy() == pytest.approx([R.DG_OWN_NPS_SE] + R.DG_BRAND_NPS_SE,
                                                rel=1e-9)
    assert (br["df"] == R.DG_DEGF).all() and (br["method"] == "design-linearized").all()
    gp = bc.gaps.set_index("brand")
    assert gp["gap"].to_numpy() == pytest.approx(R.DG_GAP, rel=1e-9)
    assert gp["se"].to_numpy() == pytest.approx(R.DG_GAP_SE, rel=1e-9)
    t = np.array(R.DG_GAP) / np.array(R.DG_GAP_SE)
    assert gp["p_value"].to_numpy() == pytest.approx(_p(t, R.DG_DEGF), rel=1e-9)
    assert (gp["method"] == "design-linearized").all() and (gp["df"] == R.DG_DEGF).all()
    # p_adj and significant follow the design p-values (Holm over two gaps)
    p = np.sort(gp["p_value"].to_numpy())
    assert np.sort(gp["p_adj"].to_numpy()) == pytest.approx([2 * p[0], max(2 * p[0], p[1])])
    plain = cxkit.brand_comparison(gen, **kw)
    for col in ("n", "promoters", "rated_pct"):
        pd.testing.assert_series_equal(plain.brands[col], bc.brands[col])
    for col in ("n_pairs", "own_nps_pairs", "brand_nps_pairs"):
        pd.testing.assert_series_equal(plain.gaps[col], bc.gaps[col])
    ov = cxkit.brand_comparison(gen, design=D, paired_method="overlap", **kw).gaps
    assert ov["gap"].to_numpy() == pytest.approx(R.DG_OVERLAP_GAP, rel=1e-9)
    assert ov["se"].to_numpy() == pytest.approx(R.DG_OVERLAP_GAP_SE, rel=1e-9)


def test_brand_comparison_stratified_demo_is_subset_svymean():
    # the demo CSV as R reads it (the loader sets 2 of its 3007 rows aside)
    rel = pd.read_csv(ROOT / "data" / "demo" / "relationship.csv")
    names = ["nps_acme", "nps_brightline", "nps_corvo", "nps_dunmore"]
    d = {"strata": "region"}
    bc = cxkit.brand_comparison(rel, own="nps_acme", brands=names, weighted="weight",
                                design=d, n_boot=0)
    assert bc.gaps["gap"].to_numpy() == pytest.approx(R.REL_GAP, rel=1e-9)
    assert bc.gaps["se"].to_numpy() == pytest.approx(R.REL_GAP_SE, rel=1e-9)
    assert (bc.gaps["df"] == R.REL_DEGF).all()
    old = cxkit.design_brand_gaps(rel, "nps_acme", names[1:], design=d, weighted="weight")
    assert old["se"].to_numpy() == pytest.approx(bc.gaps["se"].to_numpy(), rel=1e-12)
    # the loaded survey: its configured weight, the same machinery
    loaded, _ = cxkit.load_survey("demo-relationship")
    lb = cxkit.brand_comparison(loaded, weighted=True, design=d, n_boot=0)
    assert lb.gaps["se"].to_numpy() == pytest.approx(R.REL_GAP_SE, rel=1e-4)


def test_brand_nps_with_fpc_equals_design_summary(gen):
    fpc = {"S1": 20, "S2": 9, "S3": 30, "S4": 7}
    dz = dict(D, fpc=fpc)
    b, _ = cxkit.design_brand_tables(gen, "nps", ["nps", "rival_a"], dz, weighted="w")
    s = cxkit.design_summary(gen, "nps", design=dz, weighted="w").iloc[0]
    assert b["se"].iloc[0] == pytest.approx(s["se"], rel=1e-12)
    assert b["se"].iloc[0] < R.DG_OWN_NPS_SE
    assert b["n_eff"].iloc[0] == pytest.approx(s["n_eff"], rel=1e-9)


def test_brand_comparison_without_a_design_is_unchanged():
    rel, _ = cxkit.load_survey("demo-relationship")
    a = cxkit.brand_comparison(rel, weighted=True, n_boot=50)
    b = cxkit.brand_comparison(rel, weighted=True, n_boot=50, design=False)
    for x, y in ((a.brands, b.brands), (a.gaps, b.gaps), (a.ranks, b.ranks)):
        pd.testing.assert_frame_equal(x, y)
    assert "df" not in a.gaps.columns
    with pytest.raises(SurveyDataError, match="wide relationship table"):
        cxkit.brand_comparison({"a": [9, 10, 3], "b": [7, 8, 9]}, design={"strata": "h"})


# ------------------------------------------------------------------------------------ SFO
def _sfo(realdata):
    resp, _ = cxkit.load_survey(ROOT / "examples" / "sfo" / "sfo.yaml")
    resp["year_time"] = resp["period"].astype(str) + " " + resp["time_of_day"].astype(str)
    return resp


def test_sfo_compare_and_decomposition_with_strata(realdata):
    resp = _sfo(realdata)
    d = {"strata": "year_time"}
    y = resp["period"].astype(str)
    c = cxkit.compare(resp[y == "2017"], resp[y == "2018"], design=d, weights_a=True)
    # the loaded survey keeps the blank NETPRO rows: the full design (R na.rm = TRUE)
    assert c.diff == pytest.approx(R.SFO_FULL_TTEST_YEAR_DIFF, rel=1e-9)
    assert c.p_value == pytest.approx(R.SFO_FULL_TTEST_YEAR_P, rel=1e-9)
    assert c.se == pytest.approx(R.SFO_FULL_CHANGE_SE, rel=1e-9)
    assert c.df == R.SFO_FULL_TTEST_YEAR_DF
    dec = cxkit.decompose_change(resp, "nps", by="boarding_area", period="2018",
                                 baseline="2017", weighted=True, design=d)
    assert sorted(map(str, dec.table["level"])) == R.SFO_BAREA_LEVELS
    u = dec.uncertainty.set_index("term").loc[["change", "mix", "rate", "interaction"]]
    assert u["estimate"].to_numpy() == pytest.approx(R.SFO_FULL_DECOMP, rel=1e-9)
    assert u["se"].to_numpy() == pytest.approx(R.SFO_FULL_DECOMP_SE, rel=1e-9)


def test_design_paths_check_their_input(gen):
    with pytest.raises(ValueError, match="design-linearized"):
        cxkit.trend(gen, "nps", design=D, method="wald")
    a, b = gen[gen["period"] == Q[2]], gen[gen["period"] == Q[3]]
    with pytest.raises(ValueError, match="design-linearized"):
        cxkit.compare(a, b, design=D, method="wald")
    bad = gen.assign(rival_a=gen["rival_a"].where(gen.index != 5, 11))
    with pytest.raises(SurveyDataError, match="rival_a"):
        cxkit.design_brand_tables(bad, "nps", ["rival_a"], D)
    with pytest.raises(SurveyDataError, match="rival_c"):
        cxkit.design_brand_tables(gen, "nps", ["rival_c"], D)
    one = gen[~((gen["stratum"] == "S4") & (gen["psu"] != "C1"))]
    with pytest.raises(SurveyDataError, match="single PSU"):
        cxkit.brand_comparison(one, own="nps", brands=["nps", "rival_a"], design=D, n_boot=0)
    with pytest.raises(SurveyDataError, match="single PSU"):
        cxkit.trend(one, "nps", design=D)
    g = gen.copy()
    g.loc[3, "stratum"] = None
    with pytest.raises(SurveyDataError, match="no strata value"):
        cxkit.decompose_change(g, "nps", by="channel", period="2025Q4", baseline="2025Q3",
                               design=D)


def test_configured_design_is_the_default_everywhere(gen):
    g = gen.copy()
    g.attrs = {"cxkit": {"design": D, "weight": "w",
                         "relationship": {"own": "nps", "brands": ["nps", "rival_a", "rival_b"]}}}
    bc = cxkit.brand_comparison(g, weighted=True, n_boot=0)
    assert bc.gaps["se"].to_numpy() == pytest.approx(R.DG_GAP_SE, rel=1e-9)
    off = cxkit.brand_comparison(g, weighted=True, n_boot=0, design=False)
    plain = cxkit.brand_comparison(gen, own="nps", brands=["nps", "rival_a", "rival_b"],
                                   weighted="w", n_boot=0)
    pd.testing.assert_frame_equal(off.gaps, plain.gaps)
    pd.testing.assert_frame_equal(off.brands, plain.brands)
    dec = cxkit.decompose_change(g, "nps", by="channel", period="2025Q4", baseline="2025Q3",
                                 weighted=True)
    assert dec.uncertainty["se"].to_numpy() == pytest.approx(R.DG_DECOMP_SE, rel=1e-9)
    assert cxkit.decompose_change(g, "nps", by="channel", period="2025Q4", baseline="2025Q3",
                                  weighted=True, design=False).uncertainty is None


def test_compare_with_a_design_weight_arguments(gen):
    a, b = gen[gen["period"] == Q[2]], gen[gen["period"] == Q[3]]
    with pytest.raises(SurveyDataError, match="names the weight column"):
        cxkit.compare(a, b, design=D, weights_a="w", weights_b=b["w"].to_numpy())
    with pytest.raises(SurveyDataError, match="once"):
        cxkit.compare(a, b, design=D, weights_a="w", weights_b="nps")
    same = cxkit.compare(a, b, design=D, weights_a="w", weights_b="w")
    assert same.p_value == pytest.approx(R.DG_TTEST_Q3Q4_P, rel=1e-9)
    eq = cxkit.compare(a, b, design=D, weights_a=False)
    assert not eq.weighted and eq.diff != pytest.approx(same.diff)


def test_a_design_on_an_engine_source_is_refused_with_how_to_fix(tmp_path):
    """Design-based variances need the respondent rows: an engine source with `design=` gets a
    cxkit error saying to load with pandas (not a TypeError from inside cxkit)."""
    pytest.importorskip("duckdb")
    df = pd.DataFrame({"nps": [10.0, 9, 3, 7, 8, 0, 6, 10, 9], "h": list("aabbccabc"),
                       "date": pd.to_datetime(["2026-01-05"] * 3 + ["2026-02-05"] * 3
                                              + ["2026-03-05"] * 3)})
    df.to_parquet(tmp_path / "x.parquet", index=False)
    s = cxkit.scan(tmp_path / "x.parquet", segments=["h"])
    for call in (lambda: cxkit.summarize(s, "nps", design={"strata": "h"}),
                 lambda: cxkit.brand_comparison(s, design={"strata": "h"}),
                 lambda: cxkit.trend(s, "nps", design={"strata": "h"})):
        with pytest.raises((SurveyDataError, ValueError), match="respondent rows"):
            call()
    assert cxkit.summarize(s, "nps")["n"].tolist() == [9]          # no design: as before
