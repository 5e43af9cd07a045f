"""Same numbers everywhere: the analyses on one small data set through pandas, DuckDB (a
Parquet file, a CSV glob and a relation), Ibis on DuckDB and Spark local mode agree to 1e-9
(relative).  The pandas path is the reference: its histogram is counted by numpy, the engines'
by their own GROUP BY; the exclusion counts are checked against masks computed here."""

import math
import shutil

import numpy as np
import pandas as pd
import pytest

import cxkit

duckdb = pytest.importorskip("duckdb")
ibis = pytest.importorskip("ibis")

RTOL = 1e-9


def _data(n=720, seed=7):
    rng = np.random.default_rng(seed)
    months = pd.period_range("2026-01", periods=6, freq="M")
    month = rng.integers(0, 6, n)
    day = rng.integers(1, 28, n)
    date = pd.to_datetime([f"{months[m]}-{d:02d}" for m, d in zip(month, day)])
    nps = rng.choice(np.arange(11), n, p=np.r_[np.full(7, 0.05), [0.1, 0.15, 0.2, 0.2]]).astype(float)
    nps[rng.random(n) < 0.05] = np.nan
    csat = rng.integers(1, 6, n).astype(float)
    return pd.DataFrame({
        "date": date.astype("datetime64[us]"),
        "region": rng.choice(["North", "South", "West"], n),
        "channel": rng.choice(["app", "web"], n),
        "nps": nps,
        "csat": csat,
        "weight": np.round(rng.uniform(0.3, 3.0, n), 3),
    })


RAW = _data()
SCORES = {"nps": "nps", "csat": "csat"}


def _pandas():
    df = RAW.copy()
    df["period"] = df["date"].dt.to_period("M")
    df.attrs["cxkit"] = {"weight": "weight", "segments": ["region", "channel"]}
    return df


@pytest.fixture(scope="module")
def spark():
    pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (pip install pyspark)")
    if shutil.which("java") is None:
        pytest.skip("Java is not installed (Debian: apt-get install openjdk-17-jre-headless; "
                    "`make test` as root installs it)")
    from pyspark.sql import SparkSession
    s = (SparkSession.builder.master("local[2]").appName("cxkit-tests")
         .config("spark.sql.shuffle.partitions", "2").config("spark.ui.enabled", "false")
         .config("spark.sql.session.timeZone", "UTC").getOrCreate())
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def parquet(tmp_path_factory):
    d = tmp_path_factory.mktemp("engines")
    RAW.to_parquet(d / "responses.parquet", index=False)
    for i, start in enumerate(range(0, len(RAW), 240)):
        part = RAW.iloc[start:start + 240]
        part.to_csv(d / f"part{i}.csv", index=False)
    return d


def _sources(parquet, spark=None):
    kw = {"scores": SCORES, "weight": "weight", "segments": ["region", "channel"]}
    out = {
        "parquet": cxkit.scan(str(parquet / "responses.parquet"), **kw),
        "csv glob": cxkit.scan(str(parquet / "part*.csv"), **kw),
        "relation": cxkit.scan(duckdb.connect().from_df(RAW), **kw),
    }
    con = ibis.duckdb.connect()
    con.con.register("responses", RAW)
    out["ibis-duckdb"] = cxkit.scan(con.table("responses"), **kw)
    if spark is not None:
        out["spark"] = cxkit.scan(spark.createDataFrame(RAW), **kw)
    return out


def _same(a, b, where=""):
    """Recursive agreement: numbers to RTOL, everything else equal."""
    if isinstance(a, pd.DataFrame):
        assert list(a.columns) == list(b.columns), where
        assert len(a) == len(b), where
        for c in a.columns:
            _same(a[c].tolist(), b[c].tolist(), f"{where}.{c}")
    elif isinstance(a, dict):
        assert set(a) == set(b), where
        for k in a:
            _same(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{where}[{i}]")
    elif isinstance(a, (float, np.floating)) and not isinstance(a, bool):
        if math.isnan(a):
            assert isinstance(b, (float, np.floating)) and math.isnan(b), where
        else:
            assert b == pytest.approx(a, rel=RTOL, abs=1e-12), where
    elif isinstance(a, (int, np.integer)) and not isinstance(a, bool):
        assert int(b) == int(a), where
    else:
        assert str(a) == str(b), where


def _plain(df):
    """A result table without dtype details (categories, str vs object)."""
    out = df.copy()
    for c in out.columns:
        if not pd.api.types.is_numeric_dtype(out[c]) or pd.api.types.is_bool_dtype(out[c]):
            out[c] = out[c].astype(str)
    return out.reset_index(drop=True)


def _analyses(responses):
    res = {}
    for weight in (None, True):
        t = cxkit.tally(responses, "nps", by=["period", "region"], weight=weight)
        res[f"tally w={weight}"] = _plain(t)
        res[f"tally attrs w={weight}"] = {k: v for k, v in t.attrs["tally"].items()
                                          if k in ("rows", "valid", "missing_score",
                                                   "missing_weight", "missing_group")}
        s = cxkit.summarize(responses, ["nps", "csat"], by=["period", "region"],
                            weighted=bool(weight))
        res[f"summarize w={weight}"] = _plain(s)
        ch = cxkit.score_changes(responses, "nps", period="2026-06", by=["region"],
                                 weighted=bool(weight))
        res[f"score_changes w={weight}"] = _plain(ch.table)
        tr = cxkit.trend(responses, "nps", weighted=bool(weight))
        res[f"trend w={weight}"] = tr.to_dict()
        dc = cxkit.decompose_change(responses, "nps", by="region", period="2026-06",
                                    weighted=bool(weight))
        res[f"decompose w={weight}"] = dc.to_dict()
        pl = cxkit.plan_segments(responses, "nps", by=["region"], period="2026-06",
                                 margin=10, difference=10, weighted=bool(weight))
        res[f"plan w={weight}"] = _plain(pl)
    return res


@pytest.fixture(scope="module")
def reference():
    return _analyses(_pandas())


def test_duckdb_and_ibis_agree_with_pandas(reference, parquet):
    for name, src in _sources(parquet).items():
        got = _analyses(src)
        for key in reference:
            _same(reference[key], got[key], f"{name}: {key}")


def test_spark_agrees_with_pandas(reference, parquet, spark):
    got = _analyses(_sources(parquet, spark)["spark"])
    for key in reference:
        _same(reference[key], got[key], f"spark: {key}")


def test_exclusions_counted_in_the_engine():
    """NULL and NaN scores, NULL/NaN/zero/negative weights and missing groups are excluded and
    counted in the same query; the counts are the masks computed here."""
    df = pd.DataFrame({"nps": [10, 9, None, float("nan"), 8, 7, 3, 6, 10],
                       "weight": [1.0, None, 1.0, 2.0, 0.0, -1.0, 2.0, float("nan"), 1.5],
                       "region": ["N", "N", "S", "S", "S", None, "S", "N", None]})
    rel = duckdb.connect().from_df(df)
    t = cxkit.tally(rel, "nps", by="region", weight="weight")
    miss_s = df["nps"].isna()
    bad_w = ~miss_s & ~(df["weight"] > 0)
    miss_g = ~miss_s & ~bad_w & df["region"].isna()
    ok = ~(miss_s | bad_w | miss_g)
    info = t.attrs["tally"]
    assert (info["rows"], info["missing_score"], info["missing_weight"], info["missing_group"],
            info["valid"]) == (len(df), miss_s.sum(), bad_w.sum(), miss_g.sum(), ok.sum())
    kept = df[ok]
    exp = kept.groupby(["region", "nps"]).agg(n=("nps", "size"), w=("weight", "sum")).reset_index()
    assert t[["region", "score", "n", "w"]].values.tolist() == exp.values.tolist()


def test_scale_violations_quote_rows_from_the_engine():
    rel = duckdb.connect().from_df(pd.DataFrame({"id": ["a", "b", "c", "d"],
                                                 "nps": [10.0, 11.0, 7.5, 3.0]}))
    with pytest.raises(cxkit.SurveyDataError) as err:
        cxkit.summarize(rel, "nps")
    msg = str(err.value)
    assert "2 NPS scores outside the scale" in msg and "7.5" in msg and "11" in msg
    assert " b " in msg + " " and " c " in msg + " "      # the offending rows are quoted


def test_paths_and_columns_are_checked(tmp_path):
    with pytest.raises(cxkit.SurveyDataError, match="No file matches"):
        cxkit.tally(str(tmp_path / "nothing-*.parquet"), "nps")
    RAW.to_parquet(tmp_path / "r.parquet")
    with pytest.raises(cxkit.SurveyDataError, match="Did you mean 'region'"):
        cxkit.tally(str(tmp_path / "r.parquet"), "nps", by="regoin")


def test_the_aggregate_is_one_ibis_expression_compiled_per_dialect():
    t = ibis.table({"nps": "float64", "region": "string", "weight": "float64"}, name="responses")
    expr = cxkit.histogram_expression(t, "nps", ["region"], "weight")
    for dialect in ("snowflake", "bigquery", "duckdb"):
        sql = str(ibis.to_sql(expr, dialect=dialect))
        assert "GROUP BY" in sql and "responses" in sql


def test_scaling_guide_examples_run():
    import doctest
    from pathlib import Path
    guide = Path(__file__).resolve().parents[1] / "docs" / "scaling.md"
    res = doctest.testfile(str(guide), module_relative=False,
                           optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert res.attempted > 5 and res.failed == 0
