"""One convention everywhere (issue 11.3): every cxkit 0.1 name or form still works, warns with
a DeprecationWarning that names the new one, and gives numbers identical to the new form.

The conventions (CONTRIBUTING.md "Conventions"): NPS categories in the order (detractors,
passives, promoters); shares in percent; ``alternative`` is a test's sidedness only (the
distribution after a change is ``after=``); method names in kebab-case.
"""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

import cxkit
import refs_planning as R


def _same(new, old):
    """Two results (floats, tuples, arrays or plans) carry identical numbers."""
    if hasattr(new, "to_dict"):
        new, old = new.to_dict(), old.to_dict()
        assert new.keys() == old.keys()
        for k in new:
            _same(new[k], old[k])
        return
    if isinstance(new, (tuple, list, np.ndarray)):
        np.testing.assert_allclose(np.asarray(new, float), np.asarray(old, float), rtol=1e-12, atol=1e-12)
        return
    if isinstance(new, float) and math.isnan(new):
        assert math.isnan(old)
        return
    if isinstance(new, (int, float)) and not isinstance(new, bool):
        assert new == pytest.approx(old, rel=1e-12, abs=1e-12)
        return
    assert new == old


def _new(fn, *args, **kw):
    """Call ``fn`` and fail if it warns: the new form is silent."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        return fn(*args, **kw)


def _old(match, fn, *args, **kw):
    with pytest.warns(DeprecationWarning, match=match) as rec:
        out = fn(*args, **kw)
    # the warning points at the caller (this file), not at cxkit's internals
    assert any(r.filename == __file__ for r in rec if issubclass(r.category, DeprecationWarning))
    return out


# --------------------------------------------------------------------------------------------
# method names: kebab-case, underscore spellings warn (core.checks.check_method)
# --------------------------------------------------------------------------------------------
def test_agresti_coull_interval_in_kebab_case_and_old_spelling_warns():
    scores = [5, 5, 4, 2, 1, 5, 4, 3]            # top box (4, 5): 5 of 8
    new = _new(cxkit.csat, scores, method="agresti-coull")
    lo, hi = proportion_confint(5, 8, alpha=0.05, method="agresti_coull")   # outside reference
    assert (new.ci_low, new.ci_high) == pytest.approx((lo * 100, hi * 100))
    assert new.method == "agresti-coull"
    old = _old(r"pass method='agresti-coull'", cxkit.csat, scores, method="agresti_coull")
    _same(new.to_dict(), old.to_dict())
    # the same through the histogram engine (summarize) and the rates
    df = pd.DataFrame({"csat": [float(s) for s in scores]})
    s_new = _new(cxkit.summarize, df, ["csat"], method="agresti-coull")
    s_old = _old("agresti-coull", cxkit.summarize, df, ["csat"], method="agresti_coull")
    pd.testing.assert_frame_equal(s_new, s_old)
    _same(_new(cxkit.churn_rate, 200, 30, method="agresti-coull").to_dict(),
          _old("agresti-coull", cxkit.churn_rate, 200, 30, method="agresti_coull").to_dict())


def test_agresti_caffo_test_accepts_the_underscore_spelling_with_a_warning():
    a = np.r_[np.full(30, 5.0), np.full(20, 2.0)]
    b = np.r_[np.full(38, 5.0), np.full(12, 2.0)]
    new = _new(cxkit.compare, a, b, metric="csat", method="agresti-caffo")
    old = _old(r"pass method='agresti-caffo'", cxkit.compare, a, b, metric="csat", method="agresti_caffo")
    _same(new.to_dict(), old.to_dict())
    assert old.method == "agresti-caffo"


def test_other_method_spellings_warn_everywhere_a_method_is_taken():
    counts_a, counts_b = (30, 40, 130), (45, 55, 100)
    _same(_new(cxkit.compare_nps_counts, counts_a, counts_b, method="adjusted-wald").to_dict(),
          _old("adjusted-wald", cxkit.compare_nps_counts, counts_a, counts_b, method="adjusted_wald").to_dict())
    table = [[20, 8, 2], [10, 25, 5], [15, 35, 80]]
    _same(_new(cxkit.compare_nps_paired_counts, table, method="paired-wald").to_dict(),
          _old("paired-wald", cxkit.compare_nps_paired_counts, table, method="paired_wald").to_dict())
    x = np.array([10, 9, 3, 8, 10, 0, 7, 6, 10, 9], float)
    _same(_new(cxkit.nps, x, method="adjusted-wald").to_dict(),
          _old("adjusted-wald", cxkit.nps, x, method="adjusted_wald").to_dict())
    with pytest.raises(ValueError, match="method"):
        cxkit.csat(x / 2, method="agresti")           # unknown names are still refused


# --------------------------------------------------------------------------------------------
# paired NPS: one default for the same data
# --------------------------------------------------------------------------------------------
def test_paired_counts_and_compare_paired_share_the_default_method():
    table = np.array([[20, 8, 2], [10, 25, 5], [15, 35, 80]])
    i, j = np.meshgrid(np.arange(3), np.arange(3), indexing="ij")
    scores = np.array([2.0, 7.0, 9.0])
    a, b = np.repeat(scores[i.ravel()], table.ravel()), np.repeat(scores[j.ravel()], table.ravel())
    r_counts, r_raw = cxkit.compare_nps_paired_counts(table), cxkit.compare(a, b, paired=True)
    assert r_counts.method == r_raw.method == "paired-t"
    assert (r_counts.diff, r_counts.se, r_counts.p_value) == (
        pytest.approx(r_raw.diff), pytest.approx(r_raw.se), pytest.approx(r_raw.p_value))
    # hand algebra: SE² = Σ n_ij (d_ij − d̄)² / (n (n − 1)) on d ∈ {−200, …, 200}
    d = (np.array([-100, 0, 100])[j] - np.array([-100, 0, 100])[i]).ravel()
    n = table.sum()
    mean = (table.ravel() * d).sum() / n
    se = math.sqrt((table.ravel() * (d - mean) ** 2).sum() / (n * (n - 1)))
    assert r_counts.se == pytest.approx(se)


# --------------------------------------------------------------------------------------------
# planning: shares in percent, (detractors, passives, promoters), after=
# --------------------------------------------------------------------------------------------
NEW, OLD = (20, 30, 50), (0.5, 0.2)      # the same distribution: 20% D, 30% Pa, 50% P


@pytest.mark.parametrize("fn,args,kw", [
    (cxkit.sample_size, ("nps",), dict(difference=5)),
    (cxkit.sample_size, ("nps",), dict(margin=5, deff=1.3)),
    (cxkit.sample_size, ("nps",), dict(difference=5, paired=True, correlation=0.6)),
    (cxkit.power, ("nps", 2000), dict(difference=5)),
    (cxkit.power, ("nps", np.array([500, 2000])), dict(difference=-5, ratio=2)),
    (cxkit.margin_of_error, ("nps", 400), dict(population=2000)),
    (cxkit.minimum_detectable_difference, ("nps", 800), dict(direction="decrease")),
    (cxkit.reporting_cadence, (12,), dict(metric="nps", difference=5)),
])
def test_old_nps_baseline_pair_warns_and_gives_identical_numbers(fn, args, kw):
    new = _new(fn, *args, baseline=NEW, **kw)
    old = _old(r"\(20, 30, 50\).*\(detractors, passives, promoters\) in percent", fn, *args,
               baseline=OLD, **kw)
    _same(new, old)


def test_new_nps_baseline_matches_the_hand_variance():
    b = _new(cxkit.planning_baseline, "nps", NEW)
    assert b.variance == pytest.approx(R.V_A)                 # .5 + .2 − .3² (Rocks 2016)
    assert b.shares == pytest.approx(NEW) and b.value == pytest.approx(30)
    # printed percentages that do not add up to exactly 100 are rescaled, fractions refused
    r = _new(cxkit.planning_baseline, "nps", (19.9, 30.0, 49.9))      # adds up to 99.8
    assert (r.detractors, r.promoters) == pytest.approx((19.9 / 0.998, 49.9 / 0.998))
    with pytest.raises(ValueError, match="percent"):
        cxkit.planning_baseline("nps", (0.2, 0.3, 0.5))
    with pytest.raises(ValueError, match="add up"):
        cxkit.planning_baseline("nps", (20, 30, 60))
    with pytest.raises(ValueError, match=r"\(detractors, passives, promoters\)"):
        cxkit.planning_baseline("nps", (50, 20))               # a percent pair: ambiguous, refused


def test_old_top_box_fraction_warns_and_gives_identical_numbers():
    for fn, args, kw in [(cxkit.sample_size, ("csat",), dict(difference=5)),
                         (cxkit.sample_size, ("csat",), dict(margin=3)),
                         (cxkit.power, ("csat", 500), dict(difference=5)),
                         (cxkit.margin_of_error, ("csat", 1000), {}),
                         (cxkit.minimum_detectable_difference, ("csat", 500), {})]:
        _same(_new(fn, *args, baseline=80, **kw),
              _old(r"pass `baseline=80`", fn, *args, baseline=0.8, **kw))
    assert _new(cxkit.planning_baseline, "csat", {"value": 0.5}).share == 0.5   # ≤ 1 % by name


def test_after_replaces_alternative_for_the_distribution_after_the_change():
    new = _new(cxkit.sample_size, "nps", baseline=NEW, after=(20, 25, 55))
    old = _old(r"`after=`", cxkit.sample_size, "nps", baseline=NEW, alternative=(20, 25, 55))
    _same(new, old)
    assert new.difference == pytest.approx(5)
    assert new.n_exact == pytest.approx(R.NPS_2S_EXPLICIT_EXACT, rel=1e-9)
    _same(_new(cxkit.power, "ces", 64, difference=0.5, baseline=1.0, after=1.2),
          _old("after", cxkit.power, "ces", 64, difference=0.5, baseline=1.0, alternative=1.2))
    _same(_new(cxkit.reporting_cadence, 20, metric="csat", baseline=80, after=85),
          _old("after", cxkit.reporting_cadence, 20, metric="csat", baseline=80, alternative=85))
    # the old pair form of `after` too (two warnings: the keyword and the form)
    with pytest.warns(DeprecationWarning) as rec:
        both_old = cxkit.sample_size("nps", baseline=OLD, alternative=(0.55, 0.20))
    assert len([r for r in rec if issubclass(r.category, DeprecationWarning)]) >= 3
    _same(new, both_old)
    # the result's field is `after`; `.alternative` still reads, with a warning
    assert _old("SampleSizePlan.after", getattr, new, "alternative") == new.after
    assert "after" in new.to_dict() and "alternative" not in new.to_dict()
    with pytest.raises(ValueError, match="both"):
        cxkit.sample_size("nps", baseline=NEW, after=(20, 25, 55), alternative=(20, 25, 55))


def test_nps_after_and_deprecated_nps_alternative():
    d, pa, p = _new(cxkit.nps_after, NEW, 5)
    assert (d, pa, p) == pytest.approx((17.5, 30.0, 52.5))    # half in, half out (hand algebra)
    old = _old(r"cxkit.nps_after", cxkit.nps_alternative, NEW, 5)
    assert old == pytest.approx((p / 100, d / 100), rel=1e-12)  # the 0.1 return form
    with pytest.warns(DeprecationWarning):
        assert cxkit.nps_alternative(OLD, 5) == pytest.approx((0.525, 0.175))


def test_joint_table_in_percent_and_old_probabilities_warn():
    new = _new(cxkit.sample_size, "nps", baseline=None, paired=True, joint=100 * np.asarray(R.JOINT))
    old = _old(r"percent", cxkit.sample_size, "nps", baseline=None, paired=True, joint=R.JOINT)
    _same(new, old)
    assert new.n_exact == pytest.approx(R.NPS_PAIRED_JOINT_EXACT, rel=1e-9)


def test_dict_and_plan_rows_in_percent_old_fractions_warn():
    new = _new(cxkit.planning_baseline, "nps", {"detractors": 20, "passives": 30, "promoters": 50})
    old = _old("percent", cxkit.planning_baseline, "nps", {"promoters": 0.5, "detractors": 0.2})
    assert (new.promoters, new.detractors) == (old.promoters, old.detractors) == (50, 20)
    row = {"detractors": 20.0, "passives": 30.0, "promoters": 50.0}
    assert _new(cxkit.row_baseline, row, "nps").variance == pytest.approx(R.V_A)
    assert _old("percent", cxkit.row_baseline, {"promoters": 0.5, "detractors": 0.2}, "nps").variance == (
        pytest.approx(R.V_A))


def test_plan_segments_reports_shares_in_percent():
    rows = [{"nps": s, "period": pd.Period(m, "M")} for m in ("2026-09", "2026-10")
            for s in [10] * 50 + [8] * 30 + [3] * 20]
    t = _new(cxkit.plan_segments, pd.DataFrame(rows), "nps", by=[], period="2026-10", margin=10)
    r = t.iloc[0]
    assert (r["detractors"], r["passives"], r["promoters"]) == pytest.approx((20, 30, 50))
    assert _new(cxkit.row_baseline, r, "nps").variance == pytest.approx(R.V_A)


# --------------------------------------------------------------------------------------------
# competitors: benchmark shares in the category order
# --------------------------------------------------------------------------------------------
def test_benchmark_shares_in_category_order_and_old_pair_warns():
    s = np.repeat([10.0, 8.0, 3.0], [45, 35, 20])
    new = _new(cxkit.compare_to_benchmark, s, 30, benchmark_n=400, benchmark_shares=(20, 30, 50))
    old = _old(r"\(20, 30, 50\)", cxkit.compare_to_benchmark, s, 30, benchmark_n=400,
               benchmark_shares=(50, 20))
    by_name = _new(cxkit.compare_to_benchmark, s, 30, benchmark_n=400,
                   benchmark_shares={"detractors": 20, "promoters": 50})
    _same(new.to_dict(), old.to_dict())
    _same(new.to_dict(), by_name.to_dict())
    # hand algebra: SE² = SE_ours² + 100² V0 / n0 with V0 = .5 + .2 − .3²
    ours = cxkit.nps(s, method="wald")
    assert new.se == pytest.approx(math.sqrt(ours.se ** 2 + 100 ** 2 * R.V_A / 400))


def test_nps_variance_in_category_order_and_percent_old_pair_warns():
    new = _new(cxkit.nps_variance, 20, 30, 50)
    assert new == pytest.approx(0.5 + 0.2 - 0.3 ** 2)         # hand algebra (Rocks 2016)
    _same(new, _old(r"nps_variance\(detractors, passives, promoters\)", cxkit.nps_variance, 0.5, 0.2))
    _same(new, _old("percent", cxkit.nps_variance, promoters=0.5, detractors=0.2))
    arr = _new(cxkit.nps_variance, np.array([20, 0]), np.array([30, 0]), np.array([50, 100]))
    _same(arr, _old("percent", cxkit.nps_variance, np.array([0.5, 1.0]), np.array([0.2, 0.0])))
    with pytest.raises(ValueError, match=r"add\s+up to 100"):
        cxkit.nps_variance(0.2, 0.3, 0.5)


def test_correction_names_in_kebab_case_old_spelling_warns():
    from statsmodels.stats.multitest import multipletests

    rng = np.random.default_rng(3)
    periods = pd.PeriodIndex(np.repeat(["2026-07", "2026-08", "2026-09", "2026-10"], 300), freq="M")
    df = pd.DataFrame({"nps": rng.integers(0, 11, 1200).astype(float), "period": periods,
                       "region": rng.choice(["N", "S", "E", "W"], 1200)})
    new = _new(cxkit.score_changes, df, "nps", period="2026-10", by=["region"], correction="fdr-bh")
    old = _old(r"pass correction='fdr-bh'", cxkit.score_changes, df, "nps", period="2026-10",
               by=["region"], correction="fdr_bh")
    pd.testing.assert_frame_equal(new.table, old.table)
    assert new.correction == old.correction == "fdr-bh"
    seg = new.table[new.table["dimension"] != "overall"]
    ok = seg["p_value"].notna()
    np.testing.assert_allclose(seg.loc[ok, "p_adj"], multipletests(seg.loc[ok, "p_value"], method="fdr_bh")[1])
    t_new = _new(cxkit.trend, df, "nps", correction="fdr-bh")
    t_old = _old("fdr-bh", cxkit.trend, df, "nps", correction="fdr_bh")
    pd.testing.assert_frame_equal(t_new.points, t_old.points)


def test_paired_gap_methods_take_the_names_compare_uses_old_names_warn():
    own = np.repeat([3.0, 7.0, 10.0], [30, 40, 130])
    comp = np.repeat([3.0, 7.0, 10.0, 3.0], [20, 50, 90, 40])
    for new_name, old_name in (("paired-wald", "wald"), ("paired-t", "t")):
        new = _new(cxkit.brand_gap, own, comp, method=new_name)
        old = _old(rf"pass method='{new_name}'", cxkit.brand_gap, own, comp, method=old_name)
        _same(new.to_dict(), old.to_dict())
        assert new.method == new_name
        # the same test as compare(paired=True) under the same name
        ref = cxkit.compare(own, comp, paired=True, method=new_name)
        assert (new.diff, new.se, new.p_value) == (ref.diff, ref.se, ref.p_value)
    df = pd.DataFrame({"Acme": own, "Corvo": comp})
    g_new = _new(cxkit.brand_comparison, df, own="Acme", brands=["Acme", "Corvo"], n_boot=0,
                 paired_method="paired-wald").gaps
    g_old = _old(r"pass paired_method='paired-wald'", cxkit.brand_comparison, df, own="Acme",
                 brands=["Acme", "Corvo"], n_boot=0,
                 paired_method="wald").gaps
    pd.testing.assert_frame_equal(g_new, g_old)
