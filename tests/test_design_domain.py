"""Design-based variance with item non-response: domain estimation over the FULL design.

A response without a valid score stays in the design: its PSU (or its part of a PSU) counts in
its stratum's n_h and contributes zero to the domain's linearised totals — R's
``svymean(~x, design, na.rm = TRUE)`` and ``svyby``, which subset the design and keep its PSU
structure.  References from R survey (tests/r/weights_refs.R -> tests/refs_weights.py) on
generated clustered data with blanks (tests/r/design_missing.csv, one PSU blank throughout) and
on the SFO 2018 survey as loaded (139 blank NETPRO among 2,789 kept rows).
"""
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


@pytest.fixture(scope="module")
def dm():
    g = pd.read_csv(ROOT / "tests" / "r" / "design_missing.csv")
    g["period"] = pd.PeriodIndex(g["period"].str.replace("-", ""), freq="Q")
    return g


def _p(t, df):
    return 2 * stats.t.sf(abs(t), df)


def test_blank_answers_stay_in_the_design(dm):
    assert dm["nps"].isna().sum() == 235
    assert dm.loc[(dm["stratum"] == "S2") & (dm["psu"] == "C3"), "nps"].isna().all()
    e = cxkit.design_estimate(dm, "nps", design=D, weighted="w")
    assert e.value == pytest.approx(R.DM_NPS_MEAN, rel=1e-9)
    assert e.se == pytest.approx(R.DM_NPS_SE, rel=1e-9)
    t = cxkit.summarize(dm, "nps", weighted="w", design=D)
    assert t["se"].iloc[0] == pytest.approx(R.DM_NPS_SE, rel=1e-9)
    assert t["df"].iloc[0] == R.DM_DEGF            # PSUs − strata with a valid answer
    assert t["n"].iloc[0] == int(dm["nps"].notna().sum())
    # dropping the blank rows first is another design (fewer PSUs in S2): R agrees there too
    dropped = cxkit.design_estimate(dm[dm["nps"].notna()], "nps", design=D, weighted="w")
    assert dropped.se == pytest.approx(R.DM_NPS_SE_DROPPED, rel=1e-9)
    assert abs(dropped.se - e.se) > 0.1


def test_trend_and_its_changes_with_blanks(dm):
    pts = cxkit.trend(dm, "nps", weighted="w", design=D).points
    assert pts["value"].to_numpy() == pytest.approx(R.DM_TREND_MEAN, rel=1e-9)
    assert pts["se"].to_numpy() == pytest.approx(R.DM_TREND_SE, rel=1e-9)
    assert (pts["df"] == R.DM_DEGF).all()
    assert pts["change"].to_numpy()[1:] == pytest.approx(R.DM_TREND_CHANGE, rel=1e-9)
    t = np.array(R.DM_TREND_CHANGE) / np.array(R.DM_TREND_CHANGE_SE)
    assert pts["change_p"].to_numpy()[1:] == pytest.approx(_p(t, R.DM_DEGF - 1), rel=1e-9)
    assert pts["change_p"].iloc[-1] == pytest.approx(R.DM_TTEST_Q3Q4_P, rel=1e-9)


def test_segments_are_domains_of_the_full_design(dm):
    pts = cxkit.trend(dm, "nps", by="channel", weighted="w", design=D).points
    got = pts.set_index(["channel", pts["period"].astype(str)])
    keys = [(c, p.replace("-", "")) for c, p in R.DM_BY_CHANNEL_KEYS]
    assert got.loc[keys, "value"].to_numpy() == pytest.approx(R.DM_BY_CHANNEL_MEAN, rel=1e-9)
    assert got.loc[keys, "se"].to_numpy() == pytest.approx(R.DM_BY_CHANNEL_SE, rel=1e-9)
    t = cxkit.summarize(dm, "nps", by=["channel", "period"], weighted="w", design=D)
    t = t.set_index(["channel", t["period"].astype(str)])
    assert t.loc[keys, "se"].to_numpy() == pytest.approx(R.DM_BY_CHANNEL_SE, rel=1e-9)


def test_changes_compare_and_decomposition_with_blanks(dm):
    sc = cxkit.score_changes(dm, "nps", period="2025Q4", baseline="2025Q3", weighted="w",
                             design=D, min_n=10)
    assert sc.overall.diff == pytest.approx(R.DM_TTEST_Q3Q4_DIFF, rel=1e-9)
    assert sc.overall.statistic == pytest.approx(R.DM_TTEST_Q3Q4_T, rel=1e-9)
    assert sc.overall.p_value == pytest.approx(R.DM_TTEST_Q3Q4_P, rel=1e-9)
    assert sc.overall.df == R.DM_TTEST_Q3Q4_DF
    q = dm["period"].astype(str)
    c = cxkit.compare(dm[q == "2025Q3"], dm[q == "2025Q4"], design=D, weights_a="w")
    assert c.diff == pytest.approx(R.DM_TTEST_Q3Q4_DIFF, rel=1e-9)
    assert c.se == pytest.approx(R.DM_TREND_CHANGE_SE[-1], rel=1e-9)
    assert c.p_value == pytest.approx(R.DM_TTEST_Q3Q4_P, rel=1e-9) and c.df == R.DM_TTEST_Q3Q4_DF
    dec = cxkit.decompose_change(dm, "nps", by="channel", period="2025Q4", baseline="2025Q3",
                                 weighted="w", design=D)
    u = dec.uncertainty.set_index("term").loc[["change", "mix", "rate", "interaction"]]
    assert u["estimate"].to_numpy() == pytest.approx(R.DM_DECOMP, rel=1e-9)
    assert u["se"].to_numpy() == pytest.approx(R.DM_DECOMP_SE, rel=1e-9)


def test_paired_gap_with_blank_own_ratings(dm):
    bc = cxkit.brand_comparison(dm, own="nps", brands=["nps", "rival_a"], weighted="w",
                                design=D, n_boot=0)
    gp = bc.gaps.set_index("brand")
    assert gp.loc["rival_a", "gap"] == pytest.approx(R.DM_GAP_A, rel=1e-9)
    assert gp.loc["rival_a", "se"] == pytest.approx(R.DM_GAP_A_SE, rel=1e-9)


def test_a_stratum_with_one_answering_psu_is_not_lonely(dm):
    # S4 has three PSUs; blank every answer but C1's: cxkit used to raise "single PSU" here,
    # but the design still has three PSUs in S4 (R: no lonely PSU, zero totals for C2, C3)
    dl = dm.assign(nps=dm["nps"].mask((dm["stratum"] == "S4") & (dm["psu"] != "C1")))
    e = cxkit.design_estimate(dl, "nps", design=D, weighted="w")
    assert e.value == pytest.approx(R.DM_DOMAIN_LONELY_MEAN, rel=1e-9)
    assert e.se == pytest.approx(R.DM_DOMAIN_LONELY_SE, rel=1e-9)


def test_a_single_psu_stratum_fails_or_follows_lonely_psu(dm):
    one = dm[~((dm["stratum"] == "S4") & (dm["psu"] != "C1"))]
    with pytest.raises(SurveyDataError, match=r"(?s)S4.*single PSU.*[Mm]erge.*lonely_psu"):
        cxkit.design_estimate(one, "nps", design=D, weighted="w")
    for lp, se in zip(("adjust", "average", "remove", "certainty"), R.DM_LONELY_SE):
        e = cxkit.design_estimate(one, "nps", design=D | {"lonely_psu": lp}, weighted="w")
        assert e.value == pytest.approx(R.DM_LONELY_MEAN, rel=1e-9)
        assert e.se == pytest.approx(se, rel=1e-9), lp
    d = cxkit.Design("stratum", "psu", lonely_psu="adjust")
    assert cxkit.design_estimate(one, "nps", design=d, weighted="w").se == pytest.approx(
        R.DM_LONELY_SE[0], rel=1e-9)
    with pytest.raises(SurveyDataError, match="lonely_psu must be one of"):
        cxkit.design_estimate(one, "nps", design=D | {"lonely_psu": "drop"}, weighted="w")
    # brand tables follow the same rule
    with pytest.raises(SurveyDataError, match="single PSU"):
        cxkit.brand_comparison(one, own="nps", brands=["nps", "rival_a"], design=D, n_boot=0)
    bc = cxkit.brand_comparison(one, own="nps", brands=["nps", "rival_a"], weighted="w",
                                design=D | {"lonely_psu": "adjust"}, n_boot=0)
    assert bc.brands.set_index("brand").loc["nps", "se"] == pytest.approx(R.DM_LONELY_SE[0],
                                                                          rel=1e-9)


def test_without_a_design_nothing_changes(dm):
    a = cxkit.summarize(dm, "nps", weighted="w")
    b = cxkit.summarize(dm[dm["nps"].notna()], "nps", weighted="w")
    pd.testing.assert_frame_equal(a.drop(columns=[c for c in a if c == "note"]),
                                  b.drop(columns=[c for c in b if c == "note"]))


# ------------------------------------------------------------------------------------ SFO
_LOADED = {}


@pytest.fixture
def sfo(realdata):
    if "sfo" not in _LOADED:      # load once per module (realdata is function-scoped)
        resp, _ = cxkit.load_survey(ROOT / "examples" / "sfo" / "sfo.yaml")
        resp["year_time"] = (resp["period"].astype(str) + " "
                             + resp["time_of_day"].astype(str))
        _LOADED["sfo"] = resp
    return _LOADED["sfo"].copy()


def test_sfo_loaded_survey_is_the_full_design(sfo):
    y = sfo["period"].astype(str)
    assert [int((y == p).sum()) for p in ("2017", "2018")] == R.SFO_KEPT_N
    assert [int(sfo.loc[y == p, "nps"].notna().sum()) for p in ("2017", "2018")] == R.SFO_N
    s18 = sfo[y == "2018"]
    e = cxkit.design_estimate(s18, "nps", design={"strata": "time_of_day"})
    assert e.value == pytest.approx(R.SFO18_FULL_X_MEAN, rel=1e-9)
    assert e.se == pytest.approx(R.SFO18_FULL_X_SE, rel=1e-9)
    t = cxkit.summarize(s18, "nps", by="boarding_area", weighted=True,
                        design={"strata": "time_of_day"})
    t = t.set_index(t["boarding_area"].astype(str)).loc[R.SFO18_FULL_BY_BAREA_LEVELS]
    assert t["value"].to_numpy() == pytest.approx(R.SFO18_FULL_BY_BAREA_MEAN, rel=1e-9)
    assert t["se"].to_numpy() == pytest.approx(R.SFO18_FULL_BY_BAREA_SE, rel=1e-9)
    assert (t["df"] == R.SFO18_FULL_DEGF).all()
    t = cxkit.design_summary(sfo, "nps", by="period", design={"strata": "year_time"})
    assert t["value"].to_numpy() == pytest.approx(R.SFO_FULL_BY_YEAR_MEAN, rel=1e-9)
    assert t["se"].to_numpy() == pytest.approx(R.SFO_FULL_BY_YEAR_SE, rel=1e-9)


def test_sfo_changes_compare_and_decomposition_full_design(sfo):
    d = {"strata": "year_time"}
    sc = cxkit.score_changes(sfo, "nps", period="2018", baseline="2017", weighted=True,
                             design=d)
    assert sc.overall.diff == pytest.approx(R.SFO_FULL_TTEST_YEAR_DIFF, rel=1e-9)
    assert sc.overall.statistic == pytest.approx(R.SFO_FULL_TTEST_YEAR_T, rel=1e-9)
    assert sc.overall.p_value == pytest.approx(R.SFO_FULL_TTEST_YEAR_P, rel=1e-9)
    assert sc.overall.df == R.SFO_FULL_TTEST_YEAR_DF
    y = sfo["period"].astype(str)
    c = cxkit.compare(sfo[y == "2017"], sfo[y == "2018"], design=d, weights_a=True)
    assert c.se == pytest.approx(R.SFO_FULL_CHANGE_SE, rel=1e-9)
    assert c.p_value == pytest.approx(R.SFO_FULL_TTEST_YEAR_P, rel=1e-9)
    dec = cxkit.decompose_change(sfo, "nps", by="boarding_area", period="2018",
                                 baseline="2017", weighted=True, design=d)
    u = dec.uncertainty.set_index("term").loc[["change", "mix", "rate", "interaction"]]
    assert u["estimate"].to_numpy() == pytest.approx(R.SFO_FULL_DECOMP, rel=1e-9)
    assert u["se"].to_numpy() == pytest.approx(R.SFO_FULL_DECOMP_SE, rel=1e-9)


def test_sfo_every_row_of_the_2018_file(realdata):
    d = pd.read_csv(realdata / "sfo_customer_survey" / "2018_SFO_Customer_Survey.csv",
                    skipinitialspace=True, low_memory=False)
    d.columns = [c.strip() for c in d.columns]
    nps = pd.to_numeric(d["NETPRO"], errors="coerce")
    d = pd.DataFrame({"nps": nps.where(nps.between(0, 10)), "STRATA": d["STRATA"],
                      "WEIGHT": d["WEIGHT"]})
    assert len(d) == R.SFO18_ALL_ROWS
    e = cxkit.design_estimate(d, "nps", design={"strata": "STRATA"}, weighted="WEIGHT")
    assert e.value == pytest.approx(R.SFO18_ALL_X_MEAN, rel=1e-9)
    assert e.se == pytest.approx(R.SFO18_ALL_X_SE, rel=1e-9)


def test_lonely_psu_from_the_config(tmp_path, dm):
    import yaml
    from cxkit import ConfigError

    one = dm[~((dm["stratum"] == "S4") & (dm["psu"] != "C1"))].drop(columns="period")
    one = one.assign(q=5)   # an always-answered item: rows with a blank nps are kept
    one.to_csv(tmp_path / "d.csv", index=False)
    cfg = {"survey": "gen", "sources": [{"path": "d.csv", "format": "csv"}],
           "respondent_id": "respondent_id", "weight": "w",
           "segments": {"stratum": "stratum", "psu": "psu"},
           "scores": {"nps": {"column": "nps", "metric": "nps", "scale": [0, 10]},
                      "q": {"column": "q", "metric": "mean", "scale": [1, 5]}},
           "design": {"strata": "stratum", "cluster": "psu", "lonely_psu": "average"}}
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(cfg))
    resp, rep = cxkit.load_survey(tmp_path / "s.yaml")
    assert rep.rows_kept == len(one)
    t = cxkit.summarize(resp, "nps", weighted=True)
    assert t["se"].iloc[0] == pytest.approx(R.DM_LONELY_SE[1], rel=1e-9)
    cfg["design"]["lonely_psu"] = "drop"
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(cfg))
    with pytest.raises(ConfigError, match="design.lonely_psu"):
        cxkit.load_survey(tmp_path / "s.yaml")
