"""The monthly report on a lazy engine survey (issue 15, point 2: "the monthly report runs on
such a survey unchanged").

The engine survey is the demo survey loaded by the pandas loader, written to Parquet without
its derived ``period`` and scanned by DuckDB (:func:`cxkit.stage_survey`): the same canonical
columns and ``attrs`` as ``cxkit.load_survey(config, engine="duckdb")`` gives.  Every function
the report pages call must give on it what it gives on the pandas table — to 1e-9 relative —
except the drivers' bootstrap interval of a *weighted* (or, beyond n · n_boot = 2·10⁷,
unweighted) analysis, for which the engine path has no rows to resample and uses the normal
approximation; that path is asserted equal to the pandas path's own ``bootstrap="normal"``
(same seed, same draws), and the exact unweighted engine bootstrap (multinomial counts over
the joint histogram's bins) is asserted to agree with the pandas exact bootstrap within its
Monte-Carlo error.  The references are the pandas path (itself tested against outside values
in test_summary/test_changes/test_drivers …) and, for the joint histogram, counts computed
here with ``pandas.groupby``.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import cxkit
from cxkit.core.errors import SurveyDataError
from cxkit.core.periods import latest_complete_period, resolve_period

pytest.importorskip("duckdb")
pytest.importorskip("ibis")

RTOL = 1e-9
MONTH = pd.Period("2026-10", "M")


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    responses, _ = cxkit.load_survey("demo")
    survey = cxkit.stage_survey(responses, tmp_path_factory.mktemp("engine"))
    return responses, survey


def frames_agree(a: pd.DataFrame, b: pd.DataFrame, rtol=RTOL, skip=()):
    """Same columns and rows; numbers to ``rtol`` (relative), everything else as text."""
    assert list(a.columns) == list(b.columns)
    assert len(a) == len(b)
    for c in a.columns:
        if c in skip:
            continue
        x, y = a[c], b[c]
        if pd.api.types.is_numeric_dtype(x) and pd.api.types.is_numeric_dtype(y) \
                and not pd.api.types.is_bool_dtype(x):
            np.testing.assert_allclose(y.to_numpy(float), x.to_numpy(float), rtol=rtol, atol=0,
                                       equal_nan=True, err_msg=c)
        else:
            assert x.astype(str).tolist() == y.astype(str).tolist(), c


def test_survey_handle_carries_the_loader_attrs(both):
    responses, survey = both
    a, b = responses.attrs["cxkit"], survey.attrs["cxkit"]
    for key in ("metrics", "segments", "weight", "period", "survey", "drivers", "config_path"):
        assert b[key] == a[key], key
    assert cxkit.score_names(survey) == cxkit.score_names(responses)
    assert cxkit.driver_names(survey) == cxkit.driver_names(responses)
    assert survey.levels["channel"] == tuple(responses["channel"].cat.categories)


def test_periods_and_selections(both):
    responses, survey = both
    assert cxkit.periods_of(survey) == cxkit.periods_of(responses)
    assert latest_complete_period(survey) == latest_complete_period(responses)
    assert resolve_period("latest", survey) == resolve_period("latest", responses)
    for start, end in ((None, MONTH), (MONTH - 5, MONTH), (MONTH, MONTH), (MONTH - 2, None)):
        a = cxkit.select_periods(responses, start, end)
        b = cxkit.select_periods(survey, start, end)
        assert cxkit.row_count(b) == len(a)
        assert cxkit.periods_of(b) == cxkit.periods_of(a)
    # on pandas the selection is the boolean filter the notebooks used before (same rows, index)
    old = responses[responses["period"] <= MONTH]
    pd.testing.assert_frame_equal(cxkit.select_periods(responses, end=MONTH), old)
    # the filter is pushed into the engine: a date range on the base table, not a fetch
    sql = str(__import__("ibis").to_sql(cxkit.select_periods(survey, MONTH, MONTH).table,
                                        dialect="duckdb"))
    assert "WHERE" in sql and "MAKE_TIMESTAMP(2026, 10, 1" in sql and "MAKE_TIMESTAMP(2026, 11, 1" in sql


def test_report_runner_checks(both):
    from cxkit.report.runner import _missing_baseline, check_month

    responses, survey = both
    assert check_month("latest", survey, "M") == check_month("latest", responses, "M")
    assert check_month("2026-10", survey, "M") == MONTH
    with pytest.raises(Exception, match="no responses in 2030-01"):
        check_month("2030-01", survey, "M")
    for base in ("previous", "same-last-year", "2010-01"):
        assert _missing_baseline(survey, MONTH, base) == _missing_baseline(responses, MONTH, base)


@pytest.mark.parametrize("weighted", [False, True])
def test_overview_tables(both, weighted):
    responses, survey = both
    metrics = cxkit.score_names(responses)
    shown = [p for p in cxkit.periods_of(responses) if p <= MONTH][-24:]
    ta = cxkit.summarize(cxkit.select_periods(responses, shown[0], MONTH), metrics=metrics,
                         by=["period"], weighted=weighted)
    tb = cxkit.summarize(cxkit.select_periods(survey, shown[0], MONTH), metrics=metrics,
                         by=["period"], weighted=weighted)
    frames_agree(ta, tb)
    assert cxkit.describe_scores(tb, MONTH) == cxkit.describe_scores(ta, MONTH)
    ka, kb = cxkit.kpi_records(ta, MONTH), cxkit.kpi_records(tb, MONTH)
    assert [k["metric"] for k in ka] == [k["metric"] for k in kb]
    for x, y in zip(ka, kb):
        assert x["value"] == pytest.approx(y["value"], rel=RTOL)


@pytest.mark.parametrize("redact", [True, False])
def test_recent_comments(both, redact):
    responses, survey = both
    a = cxkit.recent_comments(responses, MONTH, redact=redact)
    b = cxkit.recent_comments(survey, MONTH, redact=redact)
    assert len(a) == 8
    frames_agree(a, b)


def test_follow_up_list(both):
    responses, survey = both
    a = cxkit.follow_up(responses, MONTH)
    b = cxkit.follow_up(survey, MONTH)
    assert len(a) > 100
    frames_agree(a, b)
    assert b.attrs["follow_up"] == a.attrs["follow_up"]
    assert cxkit.describe_follow_up(b) == cxkit.describe_follow_up(a)
    c = cxkit.follow_up(survey, MONTH, group=3)
    frames_agree(cxkit.follow_up(responses, MONTH, group=3), c)


@pytest.mark.parametrize("weighted", [False, True])
def test_score_change_page(both, weighted):
    responses, survey = both
    segs = responses.attrs["cxkit"]["segments"]
    for m in ("nps", "ces"):
        a = cxkit.score_changes(responses, m, MONTH, "previous", by=segs, weighted=weighted)
        b = cxkit.score_changes(survey, m, MONTH, "previous", by=segs, weighted=weighted)
        frames_agree(a.table, b.table)
        frames_agree(a.vs_rest, b.vs_rest)
        assert cxkit.describe_changes([b], as_list=True) == cxkit.describe_changes([a], as_list=True)
        ta = cxkit.trend(responses, m, periods=12, end=MONTH, weighted=weighted)
        tb = cxkit.trend(survey, m, periods=12, end=MONTH, weighted=weighted)
        frames_agree(ta.points, tb.points)
        da = cxkit.decompose_change(responses, m, by="channel", period=MONTH, baseline="previous",
                                    weighted=weighted)
        db = cxkit.decompose_change(survey, m, by="channel", period=MONTH, baseline="previous",
                                    weighted=weighted)
        for k in ("change", "mix", "rate", "interaction"):
            assert getattr(db, k) == pytest.approx(getattr(da, k), rel=RTOL, abs=1e-12)


@pytest.mark.parametrize("weighted", [False, True])
def test_sample_size_page(both, weighted):
    responses, survey = both
    segs = responses.attrs["cxkit"]["segments"]
    kw = dict(by=segs, period=MONTH, margin=5.0, difference=5.0, lookback=3, weighted=weighted,
              response_rate=0.15)
    a = cxkit.plan_segments(responses, "nps", **kw)
    b = cxkit.plan_segments(survey, "nps", **kw)
    frames_agree(a, b)
    assert b.attrs["plan"] == a.attrs["plan"]
    assert cxkit.describe_plan(b) == cxkit.describe_plan(a)
    ba, bb = cxkit.row_baseline(a.iloc[0], "nps"), cxkit.row_baseline(b.iloc[0], "nps")
    assert cxkit.sample_size("nps", margin=5.0, baseline=bb).n == \
        cxkit.sample_size("nps", margin=5.0, baseline=ba).n


def test_joint_histogram_counts(both):
    """Independent reference: the engine's joint histogram against pandas.groupby."""
    from cxkit.stats.engine_drivers import joint_histogram

    responses, survey = both
    names = ["q_speed", "q_staff"]
    rows = responses[responses["period"] == MONTH]
    h = joint_histogram(cxkit.select_periods(survey, MONTH, MONTH), "nps", names, "weight")
    ref = (rows.assign(w2=rows["weight"] ** 2)
           .groupby(["nps", *names], dropna=False)
           .agg(n=("weight", "size"), W=("weight", "sum"), W2=("w2", "sum")).reset_index())
    got = h.rename(columns={"y": "nps", "x0": "q_speed", "x1": "q_staff"})
    key = ["nps", *names]
    got = got.sort_values(key, na_position="last").reset_index(drop=True)
    ref = ref.sort_values(key, na_position="last").reset_index(drop=True)
    assert len(got) == len(ref)
    np.testing.assert_allclose(got[["n", "W", "W2"]].to_numpy(float),
                               ref[["n", "W", "W2"]].to_numpy(float), rtol=RTOL)
    np.testing.assert_array_equal(got[key].to_numpy(float), ref[key].to_numpy(float))


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("missing", ["complete", "pairwise"])
@pytest.mark.parametrize("method", ["shapley", "johnson"])
def test_drivers_normal_bootstrap_agrees_exactly(both, weighted, missing, method):
    """With ``bootstrap="normal"`` both paths draw from the same N(mean, cov): the engine's
    mean and covariance come from the joint histogram, the pandas path's from the rows; same
    seed, same draws, the whole table (intervals included) agrees to 1e-9."""
    responses, survey = both
    ra = cxkit.select_periods(responses, MONTH, MONTH)
    sa = cxkit.select_periods(survey, MONTH, MONTH)
    kw = dict(weighted=weighted, missing=missing, method=method, n_boot=300, seed=5,
              bootstrap="normal")
    frames_agree(cxkit.drivers(ra, **kw), cxkit.drivers(sa, **kw))
    if missing == "complete" and method == "shapley":
        pk = dict(weighted=weighted, n_boot=300, seed=5, bootstrap="normal")
        frames_agree(cxkit.pain_map(ra, **pk), cxkit.pain_map(sa, **pk))
        frames_agree(cxkit.pain_map(ra, **pk, group=4), cxkit.pain_map(sa, **pk, group=4))


def test_drivers_performance_kind_and_no_bootstrap(both):
    responses, survey = both
    ra = cxkit.select_periods(responses, MONTH, MONTH)
    sa = cxkit.select_periods(survey, MONTH, MONTH)
    kw = dict(performance="top-box", n_boot=0, weighted=True)
    frames_agree(cxkit.drivers(ra, **kw), cxkit.drivers(sa, **kw))


def test_drivers_auto_bootstrap_on_the_engine(both):
    """``bootstrap="auto"``: unweighted the engine resamples exactly (multinomial counts over
    the histogram bins ≡ resampling respondents), weighted it uses the normal approximation
    and says so; point estimates agree to 1e-9 either way, intervals within Monte-Carlo error
    (15% of the interval's width for 2,000 resamples; observed ≤ 5%)."""
    responses, survey = both
    ra = cxkit.select_periods(responses, MONTH, MONTH)
    sa = cxkit.select_periods(survey, MONTH, MONTH)
    for weighted, kind in ((False, "multinomial"), (True, "normal")):
        a = cxkit.drivers(ra, weighted=weighted, n_boot=2000, seed=1)
        b = cxkit.drivers(sa, weighted=weighted, n_boot=2000, seed=1)
        assert set(a["bootstrap"]) == {"multinomial"}
        assert set(b["bootstrap"]) == {kind}
        frames_agree(a, b, skip=("ci_low", "ci_high", "bootstrap"))
        width = (a["ci_high"] - a["ci_low"]).to_numpy()
        assert np.all(np.abs(b["ci_low"] - a["ci_low"]).to_numpy() < 0.15 * width)
        assert np.all(np.abs(b["ci_high"] - a["ci_high"]).to_numpy() < 0.15 * width)
        pa = cxkit.pain_map(ra, weighted=weighted, n_boot=2000, seed=1)
        pb = cxkit.pain_map(sa, weighted=weighted, n_boot=2000, seed=1)
        frames_agree(pa, pb, skip=("gain_low", "gain_high", "share_low", "share_high",
                                   "bootstrap"))
        gw = (pa["gain_high"] - pa["gain_low"]).to_numpy()
        assert np.all(np.abs(pb["gain_low"] - pa["gain_low"]).to_numpy() < 0.15 * gw)
    with pytest.raises(ValueError, match="bootstrap='normal'"):
        cxkit.drivers(sa, weighted=True, n_boot=10, bootstrap="multinomial")


def test_engine_drivers_refuse_bad_weights(tmp_path):
    df = pd.DataFrame({"respondent_id": [f"r{i}" for i in range(40)],
                       "nps": np.arange(40) % 11, "a": np.arange(40) % 5 + 1,
                       "b": (np.arange(40) * 7) % 5 + 1, "weight": np.r_[np.ones(39), -1.0]})
    df.to_parquet(tmp_path / "x.parquet", index=False)
    s = cxkit.scan(str(tmp_path / "x.parquet"), weight="weight")
    with pytest.raises(SurveyDataError, match=r"(?s)non-positive weights.*r39"):
        cxkit.drivers(s, "nps", ["a", "b"], weighted=True, n_boot=0)
    with pytest.raises(SurveyDataError, match="closest|Did you mean|q_spede|no driver"):
        cxkit.drivers(s, "nps", ["a", "bb"], n_boot=0)


# ------------------------------------------------------------------ the whole report --------
def _numbers(obj, path=""):
    """Flatten a summary section into {path: value}."""
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            out.update(_numbers(v, f"{path}/{k}"))
        return out
    if isinstance(obj, list):
        out = {}
        for i, v in enumerate(obj):
            out.update(_numbers(v, f"{path}[{i}]"))
        return out
    return {path: obj}


#: Numbers the engine run may differ in: the drivers page's weighted bootstrap interval is the
#: normal approximation on the engine (the pandas path resamples respondents exactly).
APPROXIMATE = ("/sections/drivers/drivers[", )


def _no_intervals(text: str) -> str:
    import re
    return re.sub(r"interval [0-9.]+(–| to )[0-9.]+", "interval …", text)


def test_demo_report_on_the_engine_survey(built, tmp_path):
    """The whole demo report on the engine survey: the same summary.json numbers as the pandas
    run, except the drivers' bootstrap intervals (APPROXIMATE) and the competitor page's rank
    probabilities (a bootstrap of response-pattern counts on the engine: other draws)."""
    from cxkit.report import run_report

    _, pandas_run = built
    pages = list(pandas_run.summary["notebooks"])
    assert "competitor_nps" in pages
    res = run_report("demo", pandas_run.month, tmp_path / "out", notebooks=pages,
                     progress="quiet", engine="duckdb")
    a = json.loads(json.dumps(pandas_run.summary))
    b = json.loads(json.dumps(res.summary))
    assert b["notebooks"] == pages
    a = a_flat = {k: v for k, v in _numbers(a).items()
                  if k != "/notebooks" and not k.startswith("/notebooks[")}
    b = b_flat = {k: v for k, v in _numbers(b).items()
                  if k != "/notebooks" and not k.startswith("/notebooks[")}
    assert set(a) == set(b)
    differ = []
    for k, x in a.items():
        y = b[k]
        if isinstance(x, float) and isinstance(y, (int, float)) and not isinstance(y, bool):
            same = y == pytest.approx(x, rel=RTOL, abs=1e-9)
        else:
            same = x == y
        if not same:
            differ.append(k)
    approx = [k for k in differ if k.startswith(APPROXIMATE) and k.endswith(("ci_low", "ci_high"))]
    # rank probabilities: the same bootstrap distribution, other draws (Monte-Carlo error of
    # 2,000 resamples: a rank probability's SE is at most 0.011, an expected rank's ≈ 0.02)
    ranks = [k for k in differ if k.startswith("/sections/competitor_nps/ranks[")]
    for k in ranks:
        assert abs(b_flat[k] - a_flat[k]) < 0.05, (k, a_flat[k], b_flat[k])
    approx += ranks
    # the drivers sentence quotes those intervals (and the pain map's): equal without them
    said = ("/sections/drivers/sentence", "/sections/drivers/findings[0]")
    for k in said:
        if k in differ:
            assert _no_intervals(b_flat[k]) == _no_intervals(a_flat[k])
            approx.append(k)
    assert sorted(set(differ) - set(approx)) == []
    # the approximation is close: within 10% of the pandas interval's width (observed ≤ 4%)
    for i, (x, y) in enumerate(zip(pandas_run.summary["sections"]["drivers"]["drivers"],
                                   res.summary["sections"]["drivers"]["drivers"])):
        assert y["driver"] == x["driver"]
        width = x["ci_high"] - x["ci_low"]
        assert abs(y["ci_low"] - x["ci_low"]) < 0.1 * width
        assert abs(y["ci_high"] - x["ci_high"]) < 0.1 * width
    assert res.summary["sections"]["drivers"]["fix_first"] == \
        pandas_run.summary["sections"]["drivers"]["fix_first"]
    page = (res.path / "overview.html").read_text(encoding="utf-8")
    assert "EngineSurvey" not in page and "ibis" not in page.lower()
