"""summarize(): one tidy table, the same numbers as the per-group engine and as pandas."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

import cxkit
from cxkit.stats.summary import SUMMARY_COLUMNS

from test_tally import make


def test_columns_and_values_match_pandas():
    df = make(3000, seed=2)
    s = cxkit.summarize(df, ["nps", "csat"], by=["period", "region"])
    assert list(s.columns) == ["period", "region"] + SUMMARY_COLUMNS
    nps_rows = s[s.metric == "nps"].set_index(["period", "region"])
    d = df.dropna(subset=["nps"])
    ref = d.groupby(["period", "region"], observed=True)["nps"].agg(
        lambda v: 100 * ((v >= 9).mean() - (v <= 6).mean()))
    np.testing.assert_allclose(nps_rows["value"].sort_index(), ref.sort_index())
    shares = nps_rows[["promoters", "passives", "detractors"]].sum(axis=1)
    np.testing.assert_allclose(shares, 100)
    np.testing.assert_allclose(nps_rows["promoters"] - nps_rows["detractors"], nps_rows["value"])
    assert (s.loc[s.metric == "csat", "units"] == "%").all()
    assert s.loc[s.metric == "csat", "promoters"].isna().all()


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("metric,method", [("nps", None), ("nps", "wald"), ("nps", "score"),
                                           ("csat", None), ("csat", "beta"), (("csat", "ces"), None)])
def test_same_as_estimate_from_histogram(metric, method, weighted):
    df = make(1500, seed=7)
    by = ["channel", "region"]
    s = cxkit.summarize(df, [metric], by=by, weighted=weighted, method=method)
    t = cxkit.tally(df, metric, by=by, weight=True if weighted else None)
    for keys, grp in t.groupby(by, observed=True):
        e = cxkit.estimate_from_histogram(grp["score"], grp["n"], grp.get("w"), grp.get("w2"),
                                          metric=t.attrs["tally"]["metric"], method=method)
        row = s[(s.channel == keys[0]) & (s.region == keys[1])].iloc[0]
        assert (row.value, row.se, row.ci_low, row.ci_high, row.n_eff) == pytest.approx(
            (e.value, e.se, e.ci_low, e.ci_high, e.n_eff))
        assert row.method == e.method and row.weighted == weighted


def test_wilson_vectorised_matches_statsmodels():
    df = make(800, seed=9)
    s = cxkit.summarize(df, "csat", by="region")
    for _, row in s.iterrows():
        v = df.loc[df.region == row.region, "csat"].dropna()
        lo, hi = proportion_confint((v >= 4).sum(), len(v), method="wilson")
        assert (row.ci_low, row.ci_high) == pytest.approx((100 * lo, 100 * hi))


def test_bootstrap_seeded_method_dict_and_errors():
    df = make(600, seed=3)
    a = cxkit.summarize(df, ["nps", "csat"], by="region", method={"nps": "bootstrap"}, seed=1, n_boot=500)
    b = cxkit.summarize(df, ["nps", "csat"], by="region", method={"nps": "bootstrap"}, seed=1, n_boot=500)
    pd.testing.assert_frame_equal(a, b)
    assert set(a.method) == {"bootstrap", "wilson"}
    with pytest.raises(ValueError, match="csat"):
        cxkit.summarize(df, ["nps", "csat"], method="adjusted-wald")


def test_no_groups_and_empty():
    df = make(200)
    s = cxkit.summarize(df, "nps, csat")
    assert len(s) == 2 and list(s.metric) == ["nps", "csat"]
    e = cxkit.summarize(pd.DataFrame({"nps": [np.nan]}), "nps")
    assert len(e) == 1 and np.isnan(e.value[0]) and e.note[0] == "no valid responses"
    assert s.attrs["summary"]["nps"]["missing_score"] == int(df.nps.isna().sum())


def test_plot_trend_bands_and_labels():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    df = make(1500, seed=5)
    s = cxkit.summarize(df, "nps", by=["period", "region"])
    ax = cxkit.plot_trend(s, hue="region", title="NPS")
    assert ax.get_ylabel() == "nps (points)"
    title = ax.get_title(loc="left") + ax.get_title()      # the report's charts title on the left
    assert "score" in title and "95%" in title
    assert len(ax.lines) == s.region.nunique() and len(ax.collections) == s.region.nunique()
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    first = s[s.region == s.region.iloc[0]]
    assert band.min() == pytest.approx(first.ci_low.min()) and band.max() == pytest.approx(first.ci_high.max())
    with pytest.raises(ValueError, match="ci_low"):
        cxkit.plot_trend(s.drop(columns="ci_low"))
    plt.close("all")


def test_demo_survey_weighted_matches_raw_rows():
    """End to end on the bundled demo: configured score names, weight=True, Period groups."""
    responses, _ = cxkit.load_survey("demo")
    s = cxkit.summarize(responses, ["nps", "csat", "ces"], by=["period", "region"], weighted=True)
    assert set(s.metric) == {"nps", "csat", "ces"} and s.weighted.all()
    assert isinstance(s["period"].dtype, pd.PeriodDtype)
    last = s["period"].max()
    for metric, value_of in (("nps", lambda v: np.where(np.isnan(v), np.nan, np.select([v >= 9, v >= 7], [100.0, 0.0], -100.0))), ("csat", lambda v: np.where(np.isnan(v), np.nan, 100.0 * (v >= 4))),
                             ("ces", lambda v: v)):
        row = s[(s.metric == metric) & (s.period == last) & (s.region == "South")].iloc[0]
        d = responses[(responses.period == last) & (responses.region == "South")].dropna(subset=[metric])
        x, w = np.asarray(value_of(d[metric].to_numpy())), d["weight"].to_numpy()
        m = (w * x).sum() / w.sum()
        se = np.sqrt(len(x) / (len(x) - 1) * ((w * (x - m)) ** 2).sum() / w.sum() ** 2)
        assert (row.value, row.se, row.n, row.n_eff) == pytest.approx((m, se, len(x), w.sum() ** 2 / (w ** 2).sum()))
    assert s.attrs["summary"]["nps"]["missing_score"] == int(responses["nps"].isna().sum())
