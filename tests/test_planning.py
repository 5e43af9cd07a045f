"""Tests of cxkit.planning against published and hand-computed references (tests/refs_planning.py)."""

import json
import math

import numpy as np
import pandas as pd
import pytest

import cxkit

import refs_planning as R


# --- margins ----------------------------------------------------------------------------------

def test_nps_worst_case_margin_5_points_needs_1537():
    plan = cxkit.sample_size("nps", margin=5, baseline="worst-case")
    assert plan.n == R.NPS_WORST_MARGIN5_N
    assert plan.n_exact == pytest.approx(R.NPS_WORST_MARGIN5_EXACT, rel=1e-9)
    assert plan.design == "margin"
    assert cxkit.margin_of_error("nps", plan.n_exact, baseline="worst-case") == pytest.approx(5)


def test_margin_of_error_nps_fpc_and_deff():
    assert cxkit.margin_of_error("nps", 400, baseline=(20, 30, 50)) == pytest.approx(R.NPS_MARGIN_400)
    assert cxkit.margin_of_error("nps", 400, baseline=(20, 30, 50), population=2000) == pytest.approx(
        R.NPS_MARGIN_400_N2000)
    assert cxkit.margin_of_error("nps", 400, baseline=(20, 30, 50), deff=1.8) == pytest.approx(
        R.NPS_MARGIN_400_DEFF18)


def test_margin_of_error_is_vectorised():
    n = np.array([100, 400, 1600])
    m = cxkit.margin_of_error("nps", n, baseline=(20, 30, 50))
    assert isinstance(m, np.ndarray) and m.shape == (3,)
    assert m[1] == pytest.approx(R.NPS_MARGIN_400)
    assert m[0] == pytest.approx(2 * m[1]) and m[2] == pytest.approx(m[1] / 2)


def test_margin_of_error_mean_and_top_box():
    assert cxkit.margin_of_error("ces", 200, baseline=1.5) == pytest.approx(R.MEAN_MARGIN_SD15_N200)
    plan = cxkit.sample_size("csat", margin=3, baseline=50)
    assert plan.n_exact == pytest.approx(R.TOPBOX_MARGIN3_EXACT, rel=1e-9)
    assert plan.n == math.ceil(R.TOPBOX_MARGIN3_EXACT)


def test_finite_population_correction_matches_krejcie_morgan_table():
    assert cxkit.sample_size("csat", margin=5, baseline=50, population=1000).n == R.KM_N1000
    assert cxkit.sample_size("csat", margin=5, baseline=50, population=10_000).n == R.KM_N10000
    # the same with the NPS machinery: worst-case NPS share p=.5 top box has V=.25 -> same n as
    # an NPS margin of 10 points with V = 1 (m/100 = .1, V/m^2 = 100 vs .25/.05^2 = 100)
    assert cxkit.sample_size("nps", margin=10, baseline="worst-case", population=1000).n == R.KM_N1000


def test_design_effect_multiplies_n():
    a = cxkit.sample_size("nps", margin=5, baseline=(20, 30, 50))
    b = cxkit.sample_size("nps", margin=5, baseline=(20, 30, 50), deff=1.5)
    assert b.n_exact == pytest.approx(1.5 * a.n_exact)


# --- two-sample designs -----------------------------------------------------------------------

def test_cohen_h_03_matches_pwr_2p_test():
    # Cohen's h = 0.3 from p = .5: p_b = sin^2(asin(sqrt(.5)) + .15)
    pb = math.sin(math.asin(math.sqrt(0.5)) + 0.15) ** 2
    plan = cxkit.sample_size("csat", baseline=50, after=100 * pb)
    assert plan.n_exact == pytest.approx(R.PWR_2P_H03_N, abs=0.01)
    assert plan.n == 175


def test_top_box_two_sample_matches_hand_solved_pwr():
    plan = cxkit.sample_size("csat", difference=15, baseline=50)
    assert plan.n_exact == pytest.approx(R.TOPBOX_65_50_EXACT, rel=1e-4)


def test_cohen_d_05_matches_pwr_t_test_and_gpower():
    plan = cxkit.sample_size("ces", difference=0.5, baseline=1.0)
    assert plan.n_exact == pytest.approx(R.PWR_T_D05_N, abs=0.01)
    assert plan.n == R.GPOWER_T_D05_N


def test_paired_mean_matches_pwr_paired():
    # correlation .5 and equal sd: sd of the difference = sd, so d = .5 / 1
    plan = cxkit.sample_size("ces", difference=0.5, baseline=1.0, paired=True, correlation=0.5)
    assert plan.n_exact == pytest.approx(R.PWR_T_PAIRED_D05_N, abs=0.01)
    assert plan.n == 34 and plan.design == "paired"


def test_nps_two_sample_hand_formula():
    plan = cxkit.sample_size("nps", difference=5, baseline=(20, 30, 50))
    assert plan.n_exact == pytest.approx(R.NPS_2S_5PT_EXACT, rel=1e-9)
    assert plan.n == R.NPS_2S_5PT_N
    assert plan.n_b == plan.n and plan.n_total == 2 * plan.n
    assert plan.variance_a == pytest.approx(R.V_A) and plan.variance_b == pytest.approx(R.V_B)


def test_nps_two_sample_ratio_explicit_alternative_and_decrease():
    plan = cxkit.sample_size("nps", difference=5, baseline=(20, 30, 50), ratio=2)
    assert plan.n_exact == pytest.approx(R.NPS_2S_5PT_RATIO2_EXACT, rel=1e-9)
    assert plan.n_b == math.ceil(2 * R.NPS_2S_5PT_RATIO2_EXACT)
    plan = cxkit.sample_size("nps", baseline=(20, 30, 50), after=(20, 25, 55))
    assert plan.difference == pytest.approx(5)
    assert plan.n_exact == pytest.approx(R.NPS_2S_EXPLICIT_EXACT, rel=1e-9)
    plan = cxkit.sample_size("nps", difference=-10, baseline=(20, 30, 50))
    assert plan.n_exact == pytest.approx(R.NPS_2S_MINUS10_EXACT, rel=1e-9)


def test_nps_shift_rule_takes_from_passives_when_detractors_run_out():
    d, pa, p = cxkit.nps_after((2, 28, 70), 10)        # (detractors, passives, promoters) %
    assert (p / 100, d / 100) == pytest.approx(R.NPS_SHIFT_CLIPPED)
    assert d + pa + p == pytest.approx(100)
    with pytest.raises(ValueError, match="impossible"):
        cxkit.nps_after((0, 5, 95), 10)


def test_nps_paired_joint_table_and_correlation():
    plan = cxkit.sample_size("nps", baseline=None, paired=True, joint=100 * np.asarray(R.JOINT))
    assert plan.difference == pytest.approx(R.JOINT_DIFF_POINTS)
    assert plan.n_exact == pytest.approx(R.NPS_PAIRED_JOINT_EXACT, rel=1e-9)
    assert plan.correlation == pytest.approx(R.JOINT_CORRELATION, rel=1e-9)
    plan = cxkit.sample_size("nps", difference=5, baseline=(20, 30, 50), paired=True, correlation=0.6)
    assert plan.n_exact == pytest.approx(R.NPS_PAIRED_RHO06_EXACT, rel=1e-9)
    with pytest.raises(ValueError, match="correlation"):
        cxkit.sample_size("nps", difference=5, baseline=(20, 30, 50), paired=True)


# --- inverse questions ------------------------------------------------------------------------

def test_power_nps_hand_formula_and_vectorised():
    assert cxkit.power("nps", 2000, difference=5, baseline=(20, 30, 50)) == pytest.approx(R.NPS_POWER_2000)
    p = cxkit.power("nps", np.array([500, 2000, 8000]), difference=5, baseline=(20, 30, 50))
    assert p.shape == (3,) and np.all(np.diff(p) > 0)
    assert p[1] == pytest.approx(R.NPS_POWER_2000)


def test_power_and_sample_size_agree():
    for metric, kw in [("nps", dict(difference=5, baseline=(20, 30, 50))),
                       ("csat", dict(difference=5, baseline=80)),
                       ("ces", dict(difference=0.3, baseline=1.4))]:
        plan = cxkit.sample_size(metric, **kw)
        assert cxkit.power(metric, plan.n_exact, **kw) == pytest.approx(0.8, abs=1e-4)
        assert cxkit.power(metric, plan.n, **kw) >= 0.8


def test_minimum_detectable_difference_inverts_power():
    assert cxkit.minimum_detectable_difference("ces", R.PWR_T_D05_N, baseline=1.0) == pytest.approx(0.5, abs=1e-4)
    d = cxkit.minimum_detectable_difference("nps", R.NPS_2S_5PT_EXACT, baseline=(20, 30, 50))
    assert d == pytest.approx(5, abs=1e-4)
    assert cxkit.minimum_detectable_difference("csat", 500, baseline=80) == pytest.approx(
        R.TOPBOX_MDD_500_P08, rel=1e-4)
    arr = cxkit.minimum_detectable_difference("nps", np.array([200, 800]), baseline=(20, 30, 50))
    assert arr[0] == pytest.approx(2 * arr[1], rel=0.05)
    # a decrease from (.5, .2) has a slightly larger V_b, so needs a slightly larger change
    down = cxkit.minimum_detectable_difference("nps", 800, baseline=(20, 30, 50), direction="decrease")
    assert down > arr[1]


def test_invitations_needed():
    assert cxkit.invitations_needed(1537, 0.12) == R.INVITATIONS_1537_AT_12
    assert cxkit.invitations_needed(100, 1.0) == 100
    assert cxkit.invitations_needed(np.array([10, 11]), 0.5).tolist() == [20, 22]
    for bad in (0, -0.1, 1.5):
        with pytest.raises(ValueError):
            cxkit.invitations_needed(100, bad)


def test_reporting_cadence():
    c = cxkit.reporting_cadence(60, metric="nps", baseline="worst-case", margin=5)
    assert c.n_needed == R.NPS_WORST_MARGIN5_N
    assert c.days == pytest.approx(R.NPS_WORST_MARGIN5_N / 60)
    assert c.cadence == "monthly"
    # a month of 60 a day (365.25 / 12 days): margin = z · 100 · sqrt(1 / n), worst case V = 1
    assert c.margin_at_cadence == pytest.approx(R.Z975 * 100 / math.sqrt(60 * 365.25 / 12))
    c = cxkit.reporting_cadence(12, metric="nps", baseline=(20, 30, 50), difference=5)
    assert c.n_needed == R.NPS_2S_5PT_N and c.cadence == "yearly"
    assert cxkit.reporting_cadence(1, metric="nps", baseline=(20, 30, 50), difference=5).cadence == "not reportable"
    json.dumps(c.to_dict())
    assert "report yearly" in str(c)


# --- baselines --------------------------------------------------------------------------------

def test_baseline_from_estimate_series_tally():
    # Wald NPS estimate of 50 promoters, 30 passives, 20 detractors: value 30, se sqrt(.61/100)
    est = cxkit.Estimate("nps", 30.0, math.sqrt(R.V_A / 100) * 100, 0, 0, 100, 100.0)
    b = cxkit.planning_baseline("nps", est)
    assert (b.promoters, b.detractors) == pytest.approx((50, 20))
    b = cxkit.planning_baseline("nps", pd.Series({"promoters": 50.0, "passives": 30.0, "detractors": 20.0}))
    assert (b.promoters, b.detractors) == pytest.approx((50, 20))
    b = cxkit.planning_baseline("nps", {"promoters": 50, "detractors": 20})
    assert b.variance == pytest.approx(R.V_A)
    t = pd.DataFrame({"score": [3.0, 8.0, 10.0], "n": [20, 30, 50]})
    assert cxkit.planning_baseline("nps", t).variance == pytest.approx(R.V_A)
    assert cxkit.planning_baseline("csat", pd.DataFrame({"score": [2.0, 4.0, 5.0], "n": [20, 30, 50]})).share == pytest.approx(80)
    sd = cxkit.planning_baseline("ces", pd.DataFrame({"score": [1.0, 3.0], "n": [2, 2]})).sd
    assert sd == pytest.approx(np.std([1, 1, 3, 3], ddof=1))


def test_argument_errors():
    with pytest.raises(ValueError, match="either `margin`"):
        cxkit.sample_size("nps", baseline="worst-case")
    with pytest.raises(ValueError, match="either `margin`"):
        cxkit.sample_size("nps", margin=5, difference=5, baseline="worst-case")
    with pytest.raises(ValueError, match="add up"):
        cxkit.sample_size("nps", margin=5, baseline=(10, 20, 90))
    with pytest.raises(ValueError, match="population"):
        cxkit.sample_size("nps", difference=5, baseline=(20, 30, 50), population=1000)
    with pytest.raises(ValueError):
        cxkit.margin_of_error("nps", 0, baseline="worst-case")
    with pytest.raises(ValueError, match="disagree"):
        cxkit.sample_size("nps", difference=10, baseline=(20, 30, 50), after=(20, 25, 55))
    with pytest.raises(ValueError, match="worst case"):
        cxkit.sample_size("ces", margin=0.1, baseline="worst-case")


def test_plan_result_to_dict_and_str():
    plan = cxkit.sample_size("nps", difference=5, baseline=(20, 30, 50))
    d = plan.to_dict()
    json.dumps(d)
    assert d["n"] == R.NPS_2S_5PT_N and d["margin"] is None
    assert str(plan).startswith(f"NPS: {R.NPS_2S_5PT_N:,} per group")
    with pytest.raises(Exception):
        plan.n = 1  # frozen


# --- planning from data -----------------------------------------------------------------------

def _frame():
    # Two regions over three months; N: 100/month with 50/30/20 promoters/passives/detractors,
    # S: 20/month all the same mix.  An older month outside the window must be ignored.
    rows = []
    for month in ["2026-07", "2026-08", "2026-09", "2026-10"]:
        for region, k in (("N", 10), ("S", 2)):
            scores = [10] * (5 * k) + [8] * (3 * k) + [3] * (2 * k)
            if month == "2026-07":
                scores = [0] * len(scores)
            rows += [{"nps": s, "region": region, "period": pd.Period(month, "M")} for s in scores]
    return pd.DataFrame(rows)


def test_plan_segments_hand_values():
    df = _frame()
    t = cxkit.plan_segments(df, "nps", by=["region"], period="2026-10", margin=10, difference=10,
                            lookback=3, response_rate=0.2)
    assert t["segment"].tolist() == ["All", "region", "region"]
    assert t["n_month"].tolist() == [120, 100, 20]
    north = t.iloc[1]
    assert north["value"] == pytest.approx(30)
    assert north["margin_month"] == pytest.approx(R.NPS_MARGIN_400 * 2)     # n = 100 = 400/4
    assert north["margin_quarter"] == pytest.approx(R.Z975 * math.sqrt(R.V_A / 300) * 100)
    need_m = math.ceil(R.Z975 ** 2 * R.V_A / 0.1 ** 2)
    v_b10 = 0.55 + 0.15 - 0.4 ** 2
    need_d = math.ceil(R.ZSUM ** 2 * (R.V_A + v_b10) / 0.1 ** 2)
    assert north["needed_margin_month"] == need_m
    assert north["needed_change_month"] == need_d
    assert north["needed_month"] == max(need_m, need_d)
    assert north["invitations_month"] == math.ceil(max(need_m, need_d) / 0.2)
    # 100/month < need; 300/quarter < 1,000ish: not reportable; verdicts follow the rule
    for _, r in t.iterrows():
        expect = ("monthly" if r["n_month"] >= r["needed_month"] else
                  "quarterly" if 3 * r["n_month"] >= r["needed_month"] else "not reportable")
        assert r["verdict"] == expect
    t2 = cxkit.plan_segments(df, "nps", by="region", period="2026-10", margin=10, lookback=3)
    assert t2["verdict"].tolist() == ["quarterly", "quarterly", "not reportable"]
    text = cxkit.describe_plan(t2)
    assert text.splitlines()[1].startswith("region N: 100 responses/month, ±15.3 points; for ±10 points you need")
    assert "report quarterly" in text.splitlines()[1]
    need_s = t2.iloc[2]["needed_month"]
    assert text.splitlines()[2].endswith(f"not reportable at this target: a quarter collects 60 of the "
                                         f"{need_s:,.0f} needed; monthly reporting needs "
                                         f"{need_s / 20:,.1f}× today's volume, or pool it with another segment.")


def test_plan_segments_weighted_design_effect():
    df = _frame()
    df["weight"] = np.where(np.arange(len(df)) % 2 == 0, 1.0, 3.0)
    t = cxkit.plan_segments(df, "nps", by="region", period="2026-10", margin=10, lookback=3, weighted=True)
    w = df.loc[df["period"] >= pd.Period("2026-08", "M"), "weight"].to_numpy()
    assert t.iloc[0]["deff"] == pytest.approx(len(w) * (w ** 2).sum() / w.sum() ** 2)


def test_plan_segments_on_demo_data():
    responses, _ = cxkit.load_survey("demo")
    t = cxkit.plan_segments(responses, "nps", by=["region"], margin=5, difference=5)
    assert set(t["verdict"]) <= {"monthly", "quarterly", "not reportable"}
    # volumes: valid NPS answers over the 3-month look-back ending 2026-10, counted with pandas
    window = responses[responses["period"].astype(str).isin(["2026-08", "2026-09", "2026-10"])]
    valid = window.dropna(subset=["nps"])
    assert t["n_month"].iloc[0] == pytest.approx(len(valid) / 3)
    south = t[(t["segment"] == "region") & (t["level"] == "South")].iloc[0]
    assert south["n_month"] == pytest.approx((valid["region"] == "South").sum() / 3)
    assert len(cxkit.describe_plan(t).splitlines()) == len(t)


# --- plots ------------------------------------------------------------------------------------

def test_plots_return_axes_and_draw_the_planned_numbers():
    import matplotlib.axes

    ax = cxkit.plot_margin_curve("nps", (20, 30, 50), n=[100, 400], target=5)
    assert isinstance(ax, matplotlib.axes.Axes)
    assert ax.lines[0].get_ydata()[1] == pytest.approx(R.NPS_MARGIN_400)
    ax = cxkit.plot_power_curve("nps", (20, 30, 50), difference=5, n=[2000, 4000])
    assert ax.lines[0].get_ydata()[0] == pytest.approx(R.NPS_POWER_2000)
    t = cxkit.plan_segments(_frame(), "nps", by="region", period="2026-10", margin=10, difference=10)
    ax = cxkit.plot_margin_curve(t)
    assert len(ax.lines) == 2 * 3 + 1   # a curve and a dot per row, the target line
    ax = cxkit.plot_power_curve(t)
    assert ax.lines[-1].get_ydata()[0] == pytest.approx(0.8)


# --- agreement with the change tests and the summary table -------------------------------------

def test_plan_variance_is_the_compare_test_variance():
    # samples exactly at the planned distributions: compare's Wald SE is sqrt((V_a + V_b)/n)
    n = 1000
    a = (200, 300, 500)            # detractors, passives, promoters: (.5, .2)
    b = (175, 300, 525)            # + 5 points by the default shift: (.525, .175)
    r = cxkit.compare_nps_counts(a, b, method="wald")
    assert r.se == pytest.approx(100 * math.sqrt((R.V_A + R.V_B) / n))
    # the plan's power is the probability that this z statistic clears z_0.975
    assert cxkit.power("nps", n, difference=5, baseline=(20, 30, 50)) == pytest.approx(
        R.stats_norm_cdf(r.statistic - R.Z975) + R.stats_norm_cdf(-r.statistic - R.Z975))
    # paired: compare_nps_paired_counts on the joint table × n has SE sqrt(Var(D)/n)
    table = np.asarray(R.JOINT) * n
    rp = cxkit.compare_nps_paired_counts(table, method="paired-wald")
    assert rp.se == pytest.approx(100 * math.sqrt(R.JOINT_VAR_D / n))


def test_baseline_from_summarize_rows():
    df = _frame()
    df["csat"] = np.where(df["nps"] >= 9, 5.0, 2.0)
    df["ces"] = df["nps"] / 2                  # halves on 0–5: declared as such (not CES 1–7)
    ces_spec = cxkit.metric_spec("ces", scale=(0, 5), integer=False)
    s = cxkit.summarize(df.loc[df["period"] > pd.Period("2026-07", "M")],
                        ["nps", "csat", ("ces", ces_spec)])
    b = cxkit.planning_baseline("nps", s.loc[s["metric"] == "nps"].iloc[0])
    assert (b.promoters, b.detractors) == pytest.approx((50, 20))
    assert cxkit.planning_baseline("csat", s.loc[s["metric"] == "csat"].iloc[0]).share == pytest.approx(50)
    ces = np.tile([5.0] * 5 + [4.0] * 3 + [1.5] * 2, 36)      # 360 responses in the window
    sd = cxkit.planning_baseline("ces", s.loc[s["metric"] == "ces"].iloc[0]).sd
    assert sd == pytest.approx(np.std(ces, ddof=1), rel=1e-9)


def test_paired_top_box_and_paired_inverse_questions():
    plan = cxkit.sample_size("csat", difference=10, baseline=50, paired=True, correlation=0.3)
    assert plan.n_exact == pytest.approx(R.TOPBOX_PAIRED_EXACT, rel=1e-9)
    # paired mean, sd 1, correlation .5: sd of the difference 1, so pwr's paired n for d = .5
    mdd = cxkit.minimum_detectable_difference("ces", R.PWR_T_PAIRED_D05_N, baseline=1.0, paired=True,
                                              correlation=0.5)
    assert mdd == pytest.approx(0.5, abs=1e-4)
    p = cxkit.power("nps", R.NPS_PAIRED_RHO06_EXACT, difference=5, baseline=(20, 30, 50), paired=True,
                    correlation=0.6)
    assert p == pytest.approx(0.8, abs=1e-4)


def test_minimum_detectable_difference_round_trips_on_a_grid():
    # statsmodels' solve_power returns arrays for some inputs (its fallback solver); every n
    # of a grid must give a scalar MDD at which power() is the target
    grid = np.array([31.5, 297.3, 892.0, 1355.0, 2318.0, 7366.0])
    for metric, base in (("ces", 1.3), ("csat", 80), ("nps", (15, 35, 50))):
        d = cxkit.minimum_detectable_difference(metric, grid, baseline=base)
        for n, dd in zip(grid, d):
            assert cxkit.power(metric, n, difference=dd, baseline=base) == pytest.approx(0.8, abs=1e-4)


def test_plan_segments_refuses_non_monthly_periods():
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(3)
    df = pd.DataFrame({"nps": rng.integers(0, 11, 200), "region": rng.choice(["N", "S"], 200),
                       "period": pd.PeriodIndex(rng.choice(["2017", "2018"], 200), freq="Y")})
    with pytest.raises(ValueError, match="periods are yearly"):
        cxkit.plan_segments(df, "nps", by="region", period="2018", margin=5)


def test_plan_text_units_follow_the_metric_kind_not_the_score_name():
    spec = cxkit.metric_spec("top_box", top_box=(4, 5), name="ease_find")
    plan = cxkit.sample_size(spec, difference=5, baseline=80)
    assert plan.kind == "top_box" and "+5 percentage points" in str(plan)
