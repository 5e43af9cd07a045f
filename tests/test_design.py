"""Design-based variances (strata, clusters, fpc) against R survey::svymean / svyby / svyttest
(tests/r/weights_refs.R -> tests/refs_weights.py) and hand algebra."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cxkit
from cxkit import SurveyDataError
import refs_weights as R

GEN = Path(__file__).parent / "r" / "weights_gen.csv"
D = {"strata": "stratum", "cluster": "psu"}


@pytest.fixture(scope="module")
def gen():
    return pd.read_csv(GEN)


def test_svymean_stratified_cluster(gen):
    t = cxkit.design_summary(gen, ["nps", ("csat", "mean")], design=D, weighted="w0")
    nps, mean = t.iloc[0], t.iloc[1]
    assert nps["value"] == pytest.approx(R.GEN_X_MEAN, rel=1e-9)
    assert nps["se"] == pytest.approx(R.GEN_X_SE, rel=1e-9)
    assert nps["df"] == R.GEN_DEGF
    assert mean["value"] == pytest.approx(R.GEN_CSAT_MEAN, rel=1e-9)
    assert mean["se"] == pytest.approx(R.GEN_CSAT_SE, rel=1e-9)
    from scipy import stats
    q = stats.t.ppf(0.975, R.GEN_DEGF)
    assert nps["ci_low"] == pytest.approx(R.GEN_X_MEAN - q * R.GEN_X_SE, rel=1e-9)


def test_top_box(gen):
    g = gen.assign(top=gen["csat"])
    e = cxkit.design_summary(g, ("top", "csat"), design=D, weighted="w0").iloc[0]
    assert e["value"] == pytest.approx(R.GEN_TOP_MEAN, rel=1e-9)
    assert e["se"] == pytest.approx(R.GEN_TOP_SE, rel=1e-9)


@pytest.mark.parametrize("design, ref", [
    (dict(D, fpc="fpc"), R.GEN_X_SE_FPC),
    ({"strata": "stratum"}, R.GEN_X_SE_STRATA_ONLY),
    ({"cluster": "psu"}, R.GEN_X_SE_CLUSTER_ONLY),
])
def test_fpc_strata_only_cluster_only(gen, design, ref):
    # a cluster-only design: the psu ids are unique across strata in this file
    e = cxkit.design_estimate(gen, "nps", design=design, weighted="w0")
    assert e.se == pytest.approx(ref, rel=1e-9)


def test_fpc_as_mapping_equals_column(gen):
    fpc = gen.groupby("stratum")["fpc"].first().to_dict()
    a = cxkit.design_estimate(gen, "nps", design=dict(D, fpc=fpc), weighted="w0")
    assert a.se == pytest.approx(R.GEN_X_SE_FPC, rel=1e-9)


def test_svyby_domains(gen):
    t = cxkit.design_summary(gen, "nps", by="brand", design=D, weighted="w0").set_index("brand")
    assert t.loc[R.GEN_BY_BRAND_LEVELS, "value"].to_numpy() == pytest.approx(R.GEN_BY_BRAND_MEAN)
    assert t.loc[R.GEN_BY_BRAND_LEVELS, "se"].to_numpy() == pytest.approx(R.GEN_BY_BRAND_SE,
                                                                            rel=1e-9)


@pytest.mark.parametrize("by, diff, t, df, p", [
    ("brand", R.GEN_TTEST_BRAND_DIFF, R.GEN_TTEST_BRAND_T, R.GEN_TTEST_BRAND_DF,
     R.GEN_TTEST_BRAND_P),
    ("period", R.GEN_TTEST_PERIOD_DIFF, R.GEN_TTEST_PERIOD_T, R.GEN_TTEST_PERIOD_DF,
     R.GEN_TTEST_PERIOD_P),
])
def test_svyttest(gen, by, diff, t, df, p):
    c = cxkit.design_compare(gen, "nps", by=by, design=D, weighted="w0")
    assert c.diff == pytest.approx(diff, rel=1e-9)
    assert c.statistic == pytest.approx(t, rel=1e-9)
    assert c.df == df
    assert c.p_value == pytest.approx(p, rel=1e-9)
    assert c.diff == pytest.approx(c.value_b - c.value_a)


def test_raked_weights_in_design(gen):
    g = gen.assign(wr=R.GEN_RAKE_TRIM_WEIGHTS)
    e = cxkit.design_estimate(g, "nps", design=D, weighted="wr")
    assert e.value == pytest.approx(R.GEN_RAKED_X_MEAN, rel=1e-9)
    assert e.se == pytest.approx(R.GEN_RAKED_X_SE, rel=1e-9)


def test_hand_algebra_two_strata_two_clusters():
    # x = (100, 100, -100, 0 | 100, -100, 0, 100), mean 25, z = (x - 25)/8; PSU totals
    # a: +18.75, -18.75; b: -6.25, +6.25; V = 2·(2·18.75²) + 2·(2·6.25²) = 1562.5
    df = pd.DataFrame({"nps": [10, 9, 3, 8, 10, 0, 7, 9], "h": ["a"] * 4 + ["b"] * 4,
                       "c": [1, 1, 2, 2, 1, 1, 2, 2]})
    e = cxkit.design_estimate(df, design={"strata": "h", "cluster": "c"}, weighted=False)
    assert e.value == 25 and e.se == pytest.approx(np.sqrt(1562.5))


def test_unweighted_without_strata_is_srs_t_se():
    # one stratum, each response its own PSU: V = n/(n-1) Σ z², the sample-variance SE s/√n
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"nps": rng.integers(0, 11, 200), "h": "all"})
    e = cxkit.design_estimate(df, design={"strata": "h"}, weighted=False)
    x = np.where(df["nps"] >= 9, 100, np.where(df["nps"] <= 6, -100, 0))
    assert e.se == pytest.approx(x.std(ddof=1) / np.sqrt(200), rel=1e-12)


def test_errors(gen):
    one = gen[~((gen["stratum"] == "S4") & (gen["psu"] != "S4-C1"))]
    with pytest.raises(SurveyDataError, match="single PSU"):
        cxkit.design_estimate(one, "nps", design=D, weighted="w0")
    g = gen.copy()
    g.loc[2, "psu"] = None
    with pytest.raises(SurveyDataError, match="no cluster value"):
        cxkit.design_estimate(g, "nps", design=D, weighted="w0")
    with pytest.raises(SurveyDataError, match="not in the responses"):
        cxkit.design_estimate(gen, "nps", design={"strata": "stratumm"})
    with pytest.raises(SurveyDataError, match="fewer"):
        cxkit.design_estimate(gen, "nps", design=dict(D, fpc={"S1": 2, "S2": 15, "S3": 30,
                                                                  "S4": 10}))
    with pytest.raises(SurveyDataError, match="needs a design"):
        cxkit.design_summary(gen, "nps")


def _sfo(realdata):
    rows = []
    for y in (2017, 2018):
        d = pd.read_csv(realdata / "sfo_customer_survey" / f"{y}_SFO_Customer_Survey.csv",
                        skipinitialspace=True, low_memory=False)
        d.columns = [c.strip() for c in d.columns]
        d = d[["STRATA", "BAREA", "WEIGHT", "NETPRO"]].copy()
        d["NETPRO"] = pd.to_numeric(d["NETPRO"], errors="coerce")
        d = d[d["NETPRO"].notna() & (d["NETPRO"] != 11)]
        d["year"] = str(y)
        rows.append(d)
    s = pd.concat(rows, ignore_index=True).rename(columns={"NETPRO": "nps"})
    s["yst"] = s["year"] + "." + s["STRATA"].astype(str)
    return s


def test_sfo_stratified(realdata):
    s = _sfo(realdata)
    assert [int((s["year"] == y).sum()) for y in ("2017", "2018")] == R.SFO_N
    s18 = s[s["year"] == "2018"]
    e = cxkit.design_estimate(s18, design={"strata": "STRATA"}, weighted="WEIGHT")
    assert e.value == pytest.approx(R.SFO18_X_MEAN, rel=1e-9)
    assert e.se == pytest.approx(R.SFO18_X_SE, rel=1e-9)
    t = cxkit.design_summary(s18, by="BAREA", design={"strata": "STRATA"}, weighted="WEIGHT")
    t = t.set_index("BAREA").loc[R.SFO18_BY_BAREA_LEVELS]
    assert t["se"].to_numpy() == pytest.approx(R.SFO18_BY_BAREA_SE, rel=1e-9)
    assert (t["df"] == R.SFO18_DEGF).all()
    t = cxkit.design_summary(s, by="year", design={"strata": "yst"}, weighted="WEIGHT")
    assert t["se"].to_numpy() == pytest.approx(R.SFO_BY_YEAR_SE, rel=1e-9)
    c = cxkit.design_compare(s, by="year", design={"strata": "yst"}, weighted="WEIGHT")
    assert c.diff == pytest.approx(R.SFO_TTEST_YEAR_DIFF, rel=1e-9)
    assert c.p_value == pytest.approx(R.SFO_TTEST_YEAR_P, rel=1e-9)
    assert c.df == R.SFO_TTEST_YEAR_DF


def test_sfo_through_the_config(realdata):
    root = Path(__file__).resolve().parents[1]
    resp, _ = cxkit.load_survey(root / "examples" / "sfo" / "sfo.yaml")
    resp["year_time"] = resp["period"].astype(str) + " " + resp["time_of_day"].astype(str)
    t = cxkit.design_summary(resp, "nps", by="period", design={"strata": "year_time"})
    assert t["value"].to_numpy() == pytest.approx(R.SFO_FULL_BY_YEAR_MEAN, rel=1e-9)
    # the loaded survey keeps the blank NETPRO rows: svyby(na.rm = TRUE) on the full design
    assert t["se"].to_numpy() == pytest.approx(R.SFO_FULL_BY_YEAR_SE, rel=1e-9)
    assert t["n"].tolist() == R.SFO_N


def test_without_design_summarize_unchanged(gen):
    a = cxkit.summarize(gen, "nps", weighted="w0")
    b = cxkit.summarize(gen, "nps", weighted="w0", design=False)
    pd.testing.assert_frame_equal(a, b)
    assert a["method"].iloc[0] == "linearized"


def test_score_changes_with_design_overall_is_svyttest(gen):
    g = gen.assign(period=pd.PeriodIndex(gen["period"].str.replace("-", ""), freq="Q"))
    sc = cxkit.score_changes(g, "nps", period="2024Q2", baseline="2024Q1", by=["brand"],
                             weighted="w0", design=D, min_n=10)
    row = sc.table.iloc[0]
    assert row["diff"] == pytest.approx(R.GEN_TTEST_PERIOD_DIFF, rel=1e-9)
    assert row["statistic"] == pytest.approx(R.GEN_TTEST_PERIOD_T, rel=1e-9)
    assert row["p_value"] == pytest.approx(R.GEN_TTEST_PERIOD_P, rel=1e-9)
    assert sc.overall.df == R.GEN_TTEST_PERIOD_DF and sc.overall.method == "design-linearized"
    assert (sc.table["method"] == "design-linearized").all()
    # a segment row is the domain (brand, period) of the whole design, diff = b - a
    alpha = sc.table[sc.table["level"] == "Alpha"].iloc[0]
    est = cxkit.design_summary(g, "nps", by=["period", "brand"], design=D, weighted="w0")
    est = est.set_index(["period", "brand"])["value"]
    assert alpha["diff"] == pytest.approx(est[(pd.Period("2024Q2", "Q"), "Alpha")]
                                          - est[(pd.Period("2024Q1", "Q"), "Alpha")])
    # without a design: unchanged
    plain = cxkit.score_changes(g, "nps", period="2024Q2", baseline="2024Q1", by=["brand"],
                                weighted="w0", min_n=10)
    same = cxkit.score_changes(g, "nps", period="2024Q2", baseline="2024Q1", by=["brand"],
                               weighted="w0", min_n=10, design=False)
    pd.testing.assert_frame_equal(plain.table, same.table)
    assert plain.overall.method != "design-linearized"


def test_sfo_score_changes_with_design(realdata):
    root = Path(__file__).resolve().parents[1]
    resp, _ = cxkit.load_survey(root / "examples" / "sfo" / "sfo.yaml")
    resp["year_time"] = resp["period"].astype(str) + " " + resp["time_of_day"].astype(str)
    sc = cxkit.score_changes(resp, "nps", period="2018", baseline="2017", by=["time_of_day"],
                             weighted=True, design={"strata": "year_time"})
    assert sc.overall.diff == pytest.approx(R.SFO_FULL_TTEST_YEAR_DIFF, rel=1e-9)
    assert sc.overall.p_value == pytest.approx(R.SFO_FULL_TTEST_YEAR_P, rel=1e-9)


def test_brand_gaps_match_r_subset_svymean():
    root = Path(__file__).resolve().parents[1]
    rel = pd.read_csv(root / "data" / "demo" / "relationship.csv")
    t = cxkit.design_brand_gaps(rel, "nps_acme", ["nps_brightline", "nps_corvo", "nps_dunmore"],
                                design={"strata": "region"}, weighted="weight")
    assert t["gap"].to_numpy() == pytest.approx(R.REL_GAP, rel=1e-9)
    assert t["se"].to_numpy() == pytest.approx(R.REL_GAP_SE, rel=1e-9)
    assert (t["df"] == R.REL_DEGF).all()
