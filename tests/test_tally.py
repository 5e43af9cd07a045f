"""tally(): the score histogram, checked against plain pandas counting."""

import numpy as np
import pandas as pd
import pytest

import cxkit
from cxkit.core.metrics import MetricSpec


def make(n=2000, seed=0, weighted=True):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "nps": rng.integers(0, 11, n).astype(float),
        "csat": rng.integers(1, 6, n).astype(float),
        "region": pd.Categorical(rng.choice(["North", "South", "East"], n),
                                 categories=["North", "South", "East", "West"]),
        "channel": rng.choice(["web", "phone"], n),
        "period": pd.PeriodIndex(rng.choice(["2026-01", "2026-02", "2026-03"], n), freq="M"),
    })
    df.loc[rng.random(n) < 0.05, "nps"] = np.nan
    if weighted:
        df["weight"] = rng.lognormal(0, 0.4, n)
    return df


def reference(df, by, score="nps", weight=None):
    d = df.dropna(subset=[score]).copy()
    d["w2"] = d[weight] ** 2 if weight else 1.0
    g = d.groupby(by + [score], observed=True)
    out = g.size().rename("n").to_frame()
    if weight:
        out["w"] = g[weight].sum()
        out["w2"] = g["w2"].sum()
    return out


def test_counts_match_pandas_groupby():
    df = make()
    by = ["period", "region", "channel"]
    t = cxkit.tally(df, "nps", by=by, weight=True)
    ref = reference(df, by, weight="weight")
    got = t.set_index(by + ["score"])
    got.index = got.index.set_names(by + ["nps"])
    assert len(got) == len(ref)
    pd.testing.assert_series_equal(got["n"].sort_index(), ref["n"].sort_index(), check_dtype=False,
                                   check_index_type=False)
    np.testing.assert_allclose(got["w"].sort_index(), ref["w"].sort_index())
    np.testing.assert_allclose(got["w2"].sort_index(), ref["w2"].sort_index())


def test_dtypes_order_and_attrs():
    df = make()
    t = cxkit.tally(df, "nps", by=["period", "region"])
    assert list(t.columns) == ["period", "region", "score", "n"]
    assert isinstance(t["period"].dtype, pd.PeriodDtype)
    assert isinstance(t["region"].dtype, pd.CategoricalDtype)
    assert "West" not in set(t["region"])                  # unobserved categories not listed
    assert t["n"].dtype == np.int64
    pd.testing.assert_frame_equal(t, t.sort_values(["period", "region", "score"]).reset_index(drop=True))
    meta = t.attrs["tally"]
    assert meta["missing_score"] == int(df["nps"].isna().sum())
    assert meta["valid"] == int(df["nps"].notna().sum()) == int(t["n"].sum())
    assert meta["rows"] == len(df)
    assert isinstance(meta["metric"], MetricSpec) and meta["metric"].kind == "nps"


def test_union_is_sum_of_parts():
    df = make(3000, seed=4)
    a, b = df.iloc[:1234], df.iloc[1234:]
    by = ["period", "region"]
    whole = cxkit.tally(df, "nps", by=by, weight="weight")
    parts = cxkit.add_tallies(cxkit.tally(a, "nps", by=by, weight="weight"),
                              cxkit.tally(b, "nps", by=by, weight="weight"))
    key = by + ["score"]
    # aligned by hand with an outer merge (independent of add_tallies)
    ta = cxkit.tally(a, "nps", by=by, weight="weight")
    tb = cxkit.tally(b, "nps", by=by, weight="weight")
    m = ta.merge(tb, on=key, how="outer", suffixes=("_a", "_b")).fillna(0)
    m["n"] = m["n_a"] + m["n_b"]
    m = m.sort_values(key).reset_index(drop=True)
    w = whole.sort_values(key).reset_index(drop=True)
    np.testing.assert_array_equal(w["n"], m["n"])
    np.testing.assert_allclose(w["w"], m["w_a"] + m["w_b"])
    np.testing.assert_allclose(w["w2"], m["w2_a"] + m["w2_b"])
    p = parts.sort_values(key).reset_index(drop=True)
    np.testing.assert_array_equal(w["n"], p["n"])
    np.testing.assert_allclose(w["w"], p["w"])
    assert parts.attrs["tally"]["missing_score"] == whole.attrs["tally"]["missing_score"]


def test_score_names_and_weight_true():
    df = make(300)
    df.attrs["cxkit"] = {"metrics": {"satisfaction": cxkit.metric_spec("csat", name="satisfaction")},
                         "weight": "weight"}
    df["satisfaction"] = df["csat"]
    t = cxkit.tally(df, "satisfaction", weight=True)
    assert t.attrs["tally"]["metric"].kind == "top_box" and "w" in t
    assert t["w"].sum() == pytest.approx(df["weight"].sum())
    t2 = cxkit.tally(df, ("csat", "ces"))
    assert t2.attrs["tally"]["metric"].kind == "mean"
    with pytest.raises(ValueError, match="weight"):
        cxkit.tally(df.drop(columns="weight"), "nps", weight=True)
    with pytest.raises(ValueError, match="group column"):
        cxkit.tally(df, "nps", by="nope")


def test_missing_groups_and_weights_excluded_and_counted():
    df = pd.DataFrame({"nps": [10, 9, 3, 5, np.nan], "seg": ["a", None, "b", "b", "a"],
                       "weight": [1.0, 1.0, np.nan, 2.0, 1.0]})
    t = cxkit.tally(df, "nps", by="seg", weight="weight")
    meta = t.attrs["tally"]
    assert (meta["missing_score"], meta["missing_weight"], meta["missing_group"]) == (1, 1, 1)
    assert t["n"].sum() == 2


def test_non_integer_scores_and_empty():
    # a plain numeric column (no metric: any numbers are counted; a metric's column is
    # checked against its scale, see test_validation.py)
    t = cxkit.tally(pd.DataFrame({"x": [1.5, 2.0, 1.5, np.nan]}), "x")
    assert t[["score", "n"]].to_records(index=False).tolist() == [(1.5, 2), (2.0, 1)]
    e = cxkit.tally(pd.DataFrame({"nps": [np.nan, np.nan]}), "nps")
    assert len(e) == 0 and e.attrs["tally"]["missing_score"] == 2


def test_sparse_group_path_matches_dense(monkeypatch):
    import importlib
    T = importlib.import_module("cxkit.stats.tally")   # the module (cxkit.tally is the function)
    df = make(2000, seed=8)
    df.loc[df.index[:7], "channel"] = None
    by = ["period", "region", "channel"]
    dense = cxkit.tally(df, "nps", by=by, weight="weight")
    monkeypatch.setattr(T, "_DENSE_LIMIT", 10)
    sparse = cxkit.tally(df, "nps", by=by, weight="weight")
    pd.testing.assert_frame_equal(dense, sparse)
    assert dense.attrs["tally"] == sparse.attrs["tally"]


def test_odd_scores_and_missing_periods():
    df = pd.DataFrame({"x": [1.5, np.inf, 2.0, np.nan, 1.5],
                       "period": pd.PeriodIndex(["2026-01", "2026-01", None, "2026-03", "2026-03"], freq="M")})
    t = cxkit.tally(df, "x", by="period")     # a plain column: ±inf is counted as missing
    assert t.attrs["tally"]["missing_score"] == 2 and t.attrs["tally"]["missing_group"] == 1
    assert t[["score", "n"]].to_records(index=False).tolist() == [(1.5, 1), (1.5, 1)]
    assert [str(p) for p in t["period"]] == ["2026-01", "2026-03"]
    # integer scores stored as int and text columns
    t2 = cxkit.tally(pd.DataFrame({"nps": pd.array([10, None, 3], dtype="Int64"), "g": ["x", "y", "x"]}), "nps", by="g")
    assert t2[["g", "score", "n"]].to_records(index=False).tolist() == [("x", 3.0, 1), ("x", 10.0, 1)]


def test_chunked_threads_and_late_non_integer_scores(monkeypatch):
    import importlib
    T = importlib.import_module("cxkit.stats.tally")
    df = make(5000, seed=12)
    by = ["period", "region", "channel"]
    whole = cxkit.tally(df, "nps", by=by, weight="weight")
    monkeypatch.setattr(T, "_CHUNK_ROWS", 700)
    chunked = cxkit.tally(df, "nps", by=by, weight="weight")
    pd.testing.assert_frame_equal(whole, chunked)
    assert whole.attrs["tally"] == chunked.attrs["tally"]
    # a non-integer score after the first chunk and after the integer probe: general path
    df2 = pd.DataFrame({"x": np.r_[np.tile([1.0, 2.0, np.nan], 40_000), [2.5, 2.5, 7.0]]})
    t = cxkit.tally(df2, "x")
    assert t[["score", "n"]].to_records(index=False).tolist() == [(1.0, 40_000), (2.0, 40_000), (2.5, 2), (7.0, 1)]
    assert t.attrs["tally"]["missing_score"] == 40_000


def test_rows_missing_both_group_and_score():
    df = pd.DataFrame({"nps": [np.nan, 10, np.nan, 3, 7],
                       "seg": pd.Categorical([None, None, "a", "a", "b"]),
                       "weight": [1.0, 2.0, np.nan, np.nan, 1.0]})
    t = cxkit.tally(df, "nps", by="seg", weight="weight")
    meta = t.attrs["tally"]
    assert (meta["missing_score"], meta["missing_weight"], meta["missing_group"], meta["valid"]) == (2, 1, 1, 1)
    assert t[["seg", "score", "n"]].astype({"seg": str}).to_records(index=False).tolist() == [("b", 7.0, 1)]
