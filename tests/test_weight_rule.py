"""One weight rule on every path (issue 15): a response whose weight is NULL, NaN, infinite,
zero or negative is excluded from weighted analyses and counted in ``missing_weight`` — by the
pandas tally exactly as by the engine (DuckDB, Parquet, Spark); unweighted analyses keep it.

The expected histograms and counts are computed here from masks over the raw rows (numpy and
pandas ``groupby``, not cxkit), so every path is checked against an outside reference."""

import shutil

import numpy as np
import pandas as pd
import pytest

import cxkit

duckdb = pytest.importorskip("duckdb")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

NAN, INF = float("nan"), float("inf")
# 16 rows: valid weights, a NULL (None), NaN, +inf, 0.0, -0.0, negative; a NULL and a NaN
# score; a missing group (None) — and combinations of them.
NPS = [10, 9, 8, 3, 10, 7, None, NAN, 6, 0, 9, 10, 5, 9, 2, 8]
WEIGHT = [1.5, 2.0, None, 1.0, 0.0, -1.0, 0.0, 2.0, NAN, INF, -0.0, 0.5, 3.0, 1.0, 0.25, 2.0]
REGION = ["N", "N", "S", "S", "N", "S", "N", "S", "N", "S", "N", None, "S", "S", "N", "N"]


def _arrow():
    return pa.table({"nps": pa.array(NPS, type=pa.float64()),       # None -> NULL, nan -> NaN
                     "weight": pa.array(WEIGHT, type=pa.float64()),
                     "region": pa.array(REGION, type=pa.string())})


def _frame():
    return _arrow().to_pandas()     # NULL -> NaN (pandas has one missing float)


def _expected():
    """Histogram and accounting from masks (precedence: score, then weight, then group)."""
    s = np.array([NAN if v is None else v for v in NPS], dtype=float)
    w = np.array([NAN if v is None else v for v in WEIGHT], dtype=float)
    g = np.array(REGION, dtype=object)
    miss_s = np.isnan(s)
    with np.errstate(invalid="ignore"):
        good_w = np.isfinite(w) & (w > 0)
    bad_w = ~miss_s & ~good_w
    miss_g = ~miss_s & ~bad_w & pd.isna(g)
    ok = ~(miss_s | bad_w | miss_g)
    kept = pd.DataFrame({"region": g[ok], "score": s[ok], "w": w[ok]})
    hist = kept.groupby(["region", "score"]).agg(n=("w", "size"), w=("w", "sum"),
                                                 w2=("w", lambda x: float((x * x).sum())))
    info = {"rows": len(s), "missing_score": int(miss_s.sum()), "missing_weight": int(bad_w.sum()),
            "missing_group": int(miss_g.sum()), "valid": int(ok.sum())}
    # unweighted: the weight plays no part
    uok = ~miss_s & ~pd.isna(g)
    uhist = pd.DataFrame({"region": g[uok], "score": s[uok]}).groupby(["region", "score"]).size()
    uinfo = {"rows": len(s), "missing_score": int(miss_s.sum()),
             "missing_group": int((~miss_s & pd.isna(g)).sum()), "valid": int(uok.sum())}
    return hist.reset_index(), info, uhist.rename("n").reset_index(), uinfo


def test_the_data_hold_every_kind_of_bad_weight():
    hist, info, uhist, uinfo = _expected()
    # by hand: bad weights with a valid score are rows 2 (NULL), 4 (0), 5 (−1), 8 (NaN),
    # 9 (inf), 10 (−0.0): 6; row 6 (0.0) has a NULL score and counts as a missing score
    assert info == {"rows": 16, "missing_score": 2, "missing_weight": 6, "missing_group": 1,
                    "valid": 7}
    assert uinfo == {"rows": 16, "missing_score": 2, "missing_group": 1, "valid": 13}


def _sources(tmp_path):
    path = tmp_path / "weights.parquet"
    pq.write_table(_arrow(), path)
    con = duckdb.connect()
    return {"pandas": _frame(), "parquet": str(path), "duckdb": con.read_parquet(str(path))}


def _check_tally(t, hist, info, weighted=True):
    cols = ["region", "score", "n"] + (["w", "w2"] if weighted else [])
    got = t[cols].astype({"region": str}).reset_index(drop=True)
    exp = hist[cols].reset_index(drop=True)
    assert got["region"].tolist() == exp["region"].tolist()
    assert got["score"].tolist() == exp["score"].tolist()
    assert got["n"].tolist() == exp["n"].tolist()
    if weighted:
        np.testing.assert_allclose(got["w"], exp["w"], rtol=1e-12)
        np.testing.assert_allclose(got["w2"], exp["w2"], rtol=1e-12)
    meta = {k: t.attrs["tally"][k] for k in info}
    assert meta == info


@pytest.mark.parametrize("kind", ["pandas", "parquet", "duckdb"])
def test_every_path_excludes_and_counts_bad_weights(kind, tmp_path):
    hist, info, uhist, uinfo = _expected()
    src = _sources(tmp_path)[kind]
    _check_tally(cxkit.tally(src, "nps", by="region", weight="weight"), hist, info)
    t = cxkit.tally(src, "nps", by="region")                  # unweighted: weights ignored
    _check_tally(t, uhist, uinfo, weighted=False)
    assert "missing_weight" not in t.attrs["tally"]


def _weighted_nps(hist):
    """Weighted NPS per region from the expected histogram (hand algebra)."""
    out = {}
    for r, h in hist.groupby("region"):
        v = np.where(h["score"] >= 9, 100.0, np.where(h["score"] <= 6, -100.0, 0.0))
        out[r] = (float((v * h["w"]).sum() / h["w"].sum()), int(h["n"].sum()))
    return out


def test_pandas_and_engine_summaries_are_equal(tmp_path):
    hist, info, _, _ = _expected()
    srcs = _sources(tmp_path)
    ref = cxkit.summarize(srcs["pandas"], "nps", by="region", weighted="weight")
    exp = _weighted_nps(hist)
    for r, (value, n) in exp.items():
        row = ref.loc[ref["region"].astype(str) == r].iloc[0]
        assert row["n"] == n and row["value"] == pytest.approx(value, rel=1e-12)
    cols = ["n", "value", "se", "ci_low", "ci_high", "n_eff"]
    for kind in ("parquet", "duckdb"):
        got = cxkit.summarize(cxkit.scan(srcs[kind], weight="weight"), "nps", by="region",
                              weighted=True)
        assert got["region"].astype(str).tolist() == ref["region"].astype(str).tolist()
        np.testing.assert_allclose(got[cols].to_numpy(float), ref[cols].to_numpy(float),
                                   rtol=1e-12, atol=0)


def test_all_weights_bad_in_a_group_drops_the_group_and_counts_it():
    df = pd.DataFrame({"nps": [10.0, 3.0, 9.0, 8.0], "weight": [0.0, -2.0, 1.0, 1.0],
                       "region": ["N", "N", "S", "S"]})
    t = cxkit.tally(df, "nps", by="region", weight="weight")
    assert t["region"].tolist() == ["S", "S"] and t.attrs["tally"]["missing_weight"] == 2
    s = cxkit.summarize(df, "nps", by="region", weighted="weight")
    assert s["region"].tolist() == ["S"] and s["n"].tolist() == [2]
    rel = duckdb.connect().from_df(df)
    te = cxkit.tally(rel, "nps", by="region", weight="weight")
    assert te["region"].tolist() == ["S", "S"] and te.attrs["tally"]["missing_weight"] == 2
    # unweighted: every row counts
    assert cxkit.summarize(df, "nps", by="region")["n"].tolist() == [2, 2]


def test_large_frame_threaded_path_follows_the_rule():
    """The chunked, threaded pass (≥ 1M rows, guessed bounds) applies the same rule."""
    rng = np.random.default_rng(3)
    n = 1_200_000
    s = rng.integers(0, 11, n).astype(float)
    w = rng.uniform(0.5, 2.0, n)
    w[rng.random(n) < 0.01] = 0.0
    w[rng.random(n) < 0.01] = -1.0
    w[rng.random(n) < 0.01] = np.nan
    s[rng.random(n) < 0.01] = np.nan
    df = pd.DataFrame({"nps": s, "weight": w})
    t = cxkit.tally(df, "nps", weight="weight")
    miss_s = np.isnan(s)
    with np.errstate(invalid="ignore"):
        bad_w = ~miss_s & ~(w > 0)
    ok = ~miss_s & ~bad_w
    assert t.attrs["tally"]["missing_weight"] == int(bad_w.sum())
    assert t.attrs["tally"]["missing_score"] == int(miss_s.sum())
    assert t["n"].tolist() == np.bincount(s[ok].astype(int), minlength=11).tolist()
    np.testing.assert_allclose(t["w"], np.bincount(s[ok].astype(int), weights=w[ok], minlength=11),
                               rtol=1e-12)
    te = cxkit.tally(duckdb.connect().from_df(df), "nps", weight="weight")
    assert te["n"].tolist() == t["n"].tolist()
    assert {k: te.attrs["tally"][k] for k in ("rows", "missing_score", "missing_weight", "valid")} \
        == {k: t.attrs["tally"][k] for k in ("rows", "missing_score", "missing_weight", "valid")}
    np.testing.assert_allclose(te["w"], t["w"], rtol=1e-12)


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install pyspark)")
    if shutil.which("java") is None:
        pytest.skip("Java is not installed (Debian: apt-get install openjdk-17-jre-headless; "
                    "`make test` as root installs it)")
    from pyspark.sql import SparkSession
    s = (SparkSession.builder.master("local[2]").appName("cxkit-weight-rule")
         .config("spark.sql.shuffle.partitions", "2").config("spark.ui.enabled", "false")
         .config("spark.sql.session.timeZone", "UTC").getOrCreate())
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


def test_spark_follows_the_rule(spark, tmp_path):
    hist, info, uhist, uinfo = _expected()
    path = tmp_path / "weights.parquet"
    pq.write_table(_arrow(), path)
    sdf = spark.read.parquet(str(path))
    _check_tally(cxkit.tally(sdf, "nps", by="region", weight="weight"), hist, info)
    _check_tally(cxkit.tally(sdf, "nps", by="region"), uhist, uinfo, weighted=False)
