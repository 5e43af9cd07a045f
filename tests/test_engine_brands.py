"""Competitor NPS on engines: the same relationship data through pandas, DuckDB (a Parquet file,
a relation), Ibis on DuckDB and Spark local mode agree to 1e-9 (relative) on every number of
:func:`cxkit.brand_comparison` (brand NPS with se/ci/n, paired and independent gaps with
p-values, benchmarks, who-moves-where), unweighted and weighted.  The pandas path is the
reference; outside references: the hand-worked 3 × 3 joint table of ``refs_competitors`` and a
linearised weighted paired SE written out here per respondent."""

import math
import shutil

import numpy as np
import pandas as pd
import pytest

import cxkit
from refs_competitors import JOINT_N, JOINT_PAIRED_SE, JOINT_PAIRED_Z, JOINT_TABLE

duckdb = pytest.importorskip("duckdb")
ibis = pytest.importorskip("ibis")

RTOL = 1e-9
METHODS = ("paired-t", "paired-wald", "overlap")
BENCH = "Industry average=22 n=600; Study X=30 n=800 promoters=45 detractors=15"


# ------------------------------------------------------------------------------------------
# data: the demo relationship survey (wide) and a generated long-form one
# ------------------------------------------------------------------------------------------

def _demo():
    responses, _ = cxkit.load_survey("demo-relationship")
    return responses


DEMO = _demo()
REL = dict(DEMO.attrs["cxkit"]["relationship"])
BRANDS = ["Own", "Bravo", "Cargo", "Delta"]


def _long(n=420, seed=11):
    """One row per respondent × brand rated; some blanks (NaN and absent rows), a respondent
    with a NULL weight (excluded when weighted), a brand nobody rates together with Own."""
    rng = np.random.default_rng(seed)
    rows = []
    for r in range(n):
        base = int(rng.integers(0, 11))
        w = float(np.round(rng.uniform(0.4, 2.6), 3)) if r % 97 else np.nan
        reg = ["North", "South", "West"][r % 3]
        for b in BRANDS[:3]:
            if rng.random() < 0.2:
                continue
            s = float(np.clip(base + rng.integers(-3, 4), 0, 10))
            if rng.random() < 0.04:
                s = np.nan
            rows.append((f"r{r:04d}", b, s, w, reg))
    for r in range(n, n + 60):                 # Delta: a separate panel, never with Own
        rows.append((f"r{r:04d}", "Delta", float(rng.integers(0, 11)), 1.0, "North"))
    return pd.DataFrame(rows, columns=["rid", "brand", "score", "weight", "region"])


LONG = _long()
LONG_REL = {"own": "Own", "brands": BRANDS, "form": "long", "brand_column": "brand",
            "score_column": "score", "respondent_column": "rid"}


def _long_wide():
    wide = cxkit.brands_to_wide(LONG, "rid", "brand", "score", brands=BRANDS,
                                keep=["weight", "region"], own="Own")
    wide.attrs["cxkit"]["weight"] = "weight"
    return wide


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install pyspark)")
    if shutil.which("java") is None:
        pytest.skip("Java is not installed (Debian: apt-get install openjdk-17-jre-headless; "
                    "`make test` as root installs it)")
    from pyspark.sql import SparkSession
    s = (SparkSession.builder.master("local[2]").appName("cxkit-tests-brands")
         .config("spark.sql.shuffle.partitions", "2").config("spark.ui.enabled", "false")
         .config("spark.sql.session.timeZone", "UTC").getOrCreate())
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


def _plain_frame(df):
    out = df.drop(columns=["period"], errors="ignore").copy()
    out.attrs = {}
    for c in out.columns:
        if isinstance(out[c].dtype, pd.CategoricalDtype) or out[c].dtype == object:
            out[c] = out[c].astype(str)
        elif pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].astype(str)
    return out


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("engine_brands")
    _plain_frame(DEMO).to_parquet(d / "relationship.parquet", index=False)
    LONG.to_parquet(d / "long.parquet", index=False)
    return d


def _demo_sources(files, spark=None):
    kw = {"weight": "weight", "date": "date", "relationship": REL,
          "segments": ["region", "customer_type"]}
    frame = _plain_frame(DEMO)
    out = {"parquet": cxkit.scan(str(files / "relationship.parquet"), **kw),
           "relation": cxkit.scan(duckdb.connect().from_df(frame), **kw)}
    con = ibis.duckdb.connect()
    con.con.register("relationship", frame)
    out["ibis-duckdb"] = cxkit.scan(con.table("relationship"), **kw)
    if spark is not None:
        out["spark"] = cxkit.scan(spark.createDataFrame(frame).cache(), **kw)
    return out


def _long_sources(files, spark=None, rel=LONG_REL):
    kw = {"weight": "weight", "relationship": rel}
    out = {"parquet": cxkit.scan(str(files / "long.parquet"), **kw),
           "relation": cxkit.scan(duckdb.connect().from_df(LONG), **kw)}
    con = ibis.duckdb.connect()
    con.con.register("long", LONG)
    out["ibis-duckdb"] = cxkit.scan(con.table("long"), **kw)
    if spark is not None:
        out["spark"] = cxkit.scan(spark.createDataFrame(LONG).cache(), **kw)
    return out


# ------------------------------------------------------------------------------------------
# agreement
# ------------------------------------------------------------------------------------------

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
    elif isinstance(a, (float, np.floating)) and not isinstance(a, (bool, np.bool_)):
        if math.isnan(a):
            assert isinstance(b, (float, np.floating)) and math.isnan(b), where
        else:
            assert b == pytest.approx(a, rel=RTOL, abs=1e-12), where
    elif isinstance(a, (int, np.integer)) and not isinstance(a, (bool, np.bool_)):
        assert int(b) == int(a), where
    else:
        assert str(a) == str(b), where


def _numbers(res, ranks=False):
    """Every table of a BrandComparison (ranks only when asked: a bootstrap)."""
    out = {"brands": res.brands, "gaps": res.gaps, "benchmarks": res.benchmarks,
           "crosstab": res.crosstab.astype({c: str for c in ("own_category",
                                                             "competitor_category")
                                            if c in res.crosstab.columns}),
           "settings": [res.own, res.design, res.n_respondents, res.weighted, res.correction]}
    if ranks:
        out["ranks"] = res.ranks
    return out


def _runs(data, **kw):
    out = {}
    for weighted in (False, True):
        for pm in METHODS:
            out[(weighted, pm)] = cxkit.brand_comparison(
                data, weighted=weighted, paired_method=pm, benchmarks=BENCH, n_boot=0, **kw)
    return out


@pytest.fixture(scope="module")
def demo_reference():
    return _runs(DEMO)


@pytest.fixture(scope="module")
def long_reference():
    return _runs(_long_wide())


def test_demo_survey_agrees_on_duckdb_and_ibis(demo_reference, files):
    assert demo_reference[(False, "paired-t")].gaps["design"].eq("paired").all()
    for name, src in _demo_sources(files).items():
        got = _runs(src)
        for key, ref in demo_reference.items():
            _same(_numbers(ref), _numbers(got[key]), f"{name} {key}")


def test_long_form_agrees_on_duckdb_and_ibis(long_reference, files):
    ref = long_reference[(True, "paired-t")]
    # the generated data exercise both designs and the exclusions
    assert ref.gaps.set_index("brand")["design"].to_dict() == {
        "Bravo": "paired", "Cargo": "paired", "Delta": "independent"}
    for name, src in _long_sources(files).items():
        got = _runs(src)
        for key, r in long_reference.items():
            _same(_numbers(r), _numbers(got[key]), f"{name} {key}")


def test_spark_agrees_with_pandas(demo_reference, long_reference, files, spark):
    """Spark computes the histograms (one query per weighting): they equal DuckDB's, and the
    results of an unweighted and a weighted run agree with pandas (the test methods are
    Python on those histograms, covered for every method on DuckDB above)."""
    for ref, sources in ((demo_reference, _demo_sources(files, spark)),
                         (long_reference, _long_sources(files, spark))):
        for weighted in (False, True):
            h_spark = cxkit.brand_histograms(sources["spark"], weighted=weighted)
            h_duck = cxkit.brand_histograms(sources["relation"], weighted=weighted)
            _same({"b": h_duck.brands, "j": h_duck.joint, "i": h_duck.info, "r": h_duck.rows},
                  {"b": h_spark.brands, "j": h_spark.joint, "i": h_spark.info, "r": h_spark.rows},
                  f"spark histograms weighted={weighted}")
        for key in ((False, "paired-t"), (True, "overlap")):
            got = cxkit.brand_comparison(sources["spark"], weighted=key[0], paired_method=key[1],
                                         benchmarks=BENCH, n_boot=0)
            _same(_numbers(ref[key]), _numbers(got), f"spark {key}")
    srcs = _demo_sources(files, spark)
    a = cxkit.relationship_subset(DEMO, "2026-05:2026-08", "customer_type=Business")
    b = cxkit.relationship_subset(srcs["spark"], "2026-05:2026-08", "customer_type=Business")
    assert a.attrs["cxkit"]["selection"] == b.attrs["cxkit"]["selection"]
    _same(_numbers(cxkit.brand_comparison(a, weighted=True, n_boot=0)),
          _numbers(cxkit.brand_comparison(b, weighted=True, n_boot=0)), "spark subset")
    for weighted in (False, True):       # the same pattern counts, hence the same draws
        a, b = (cxkit.brand_comparison(srcs[k], weighted=weighted, n_boot=500, seed=2).ranks
                for k in ("relation", "spark"))
        _same(a, b, f"spark ranks weighted={weighted}")


def test_independent_samples_from_a_long_table_without_respondents(files):
    rel = dict(LONG_REL, respondent_column=None)
    for weighted in (False, True):
        samples = cxkit.brand_samples(LONG, "brand", "score",
                                      weight="weight" if weighted else None)
        ref = cxkit.brand_comparison(samples, own="Own", brands=BRANDS, weighted=weighted,
                                     benchmarks=BENCH, n_boot=0)
        assert ref.design == "independent"
        for name, src in _long_sources(files, rel=rel).items():
            got = cxkit.brand_comparison(src, weighted=weighted, benchmarks=BENCH, n_boot=0)
            _same(_numbers(ref), _numbers(got), f"{name} weighted={weighted}")
        # ranks: each sample resampled on its own; close to pandas (a bootstrap)
        r_ref = cxkit.rank_probabilities(samples, BRANDS, weighted=weighted, n_boot=1500)
        r_got = cxkit.rank_probabilities(src, weighted=weighted, n_boot=1500)
        cols = [c for c in r_ref.columns if c.startswith("rank_")]
        assert np.abs(r_ref[cols].to_numpy() - r_got[cols].to_numpy()).max() < 0.05


def test_rank_probabilities_same_on_every_engine_and_close_to_pandas(files):
    """The bootstrap draws pattern counts (a multinomial) instead of row positions: the engines
    agree with each other exactly; with pandas within Monte-Carlo error."""
    for weighted in (False, True):
        got = {name: cxkit.brand_comparison(src, weighted=weighted, n_boot=1500, seed=4).ranks
               for name, src in _demo_sources(files).items()}
        first = next(iter(got.values()))
        for name, r in got.items():
            _same(first, r, f"ranks {name} weighted={weighted}")
        ref = cxkit.brand_comparison(DEMO, weighted=weighted, n_boot=1500, seed=4).ranks
        cols = [c for c in ref.columns if c.startswith("rank_")]
        assert np.abs(ref[cols].to_numpy() - first[cols].to_numpy()).max() < 0.05
        assert first["most_likely_rank"].tolist() == ref["most_likely_rank"].tolist()
        np.testing.assert_allclose(first[cols].sum(axis=1), 1.0)
    src = _demo_sources(files)["relation"]
    direct = cxkit.rank_probabilities(src, weighted=True, n_boot=1500, seed=4)
    _same(first, direct, "rank_probabilities")


def test_crosstab_and_subset_on_an_engine(files):
    src = _demo_sources(files)["parquet"]
    for weighted in (False, True):
        for norm in (None, "all", "index", "columns"):
            a = cxkit.brand_crosstab(DEMO, "Acme", "Corvo", normalize=norm, weighted=weighted)
            b = cxkit.brand_crosstab(src, "Acme", "Corvo", normalize=norm, weighted=weighted)
            _same(a.reset_index(drop=True), b.reset_index(drop=True), f"xt {norm} {weighted}")
            assert a.attrs["n_pairs"] == b.attrs["n_pairs"]
        cats = {"own_category": str, "competitor_category": str}
        _same(cxkit.brand_crosstab(DEMO, weighted=weighted).astype(cats),
              cxkit.brand_crosstab(src, weighted=weighted).astype(cats), "tidy")
    for period, segment in (("latest", ""), ("2026-05:2026-08", "customer_type=Business"),
                            ("all", "region=North|South")):
        a = cxkit.relationship_subset(DEMO, period, segment)
        b = cxkit.relationship_subset(src, period, segment)
        assert a.attrs["cxkit"]["selection"] == b.attrs["cxkit"]["selection"]
        ra = cxkit.brand_comparison(a, weighted=True, n_boot=0)
        rb = cxkit.brand_comparison(b, weighted=True, n_boot=0)
        _same(_numbers(ra), _numbers(rb), f"subset {period} {segment}")
        assert cxkit.describe_brands(ra) == cxkit.describe_brands(rb)


# ------------------------------------------------------------------------------------------
# outside references
# ------------------------------------------------------------------------------------------

def test_hand_worked_joint_table_through_duckdb():
    """refs_competitors: the 3 × 3 joint table worked by hand (paired Wald SE 5.2245)."""
    scores = {0: 3.0, 1: 7.0, 2: 10.0}            # detractor, passive, promoter
    own, comp = [], []
    for i in range(3):
        for j in range(3):
            own += [scores[i]] * JOINT_TABLE[i][j]
            comp += [scores[j]] * JOINT_TABLE[i][j]
    rel = duckdb.connect().from_df(pd.DataFrame({"own": own, "comp": comp}))
    res = cxkit.brand_comparison(rel, own="own", brands=["own", "comp"],
                                 paired_method="paired-wald", n_boot=0)
    g = res.gaps.iloc[0]
    assert int(g["n_pairs"]) == JOINT_N
    assert g["gap"] == pytest.approx(-29.0, abs=1e-9)
    assert g["se"] == pytest.approx(JOINT_PAIRED_SE, abs=1e-4)
    assert g["statistic"] == pytest.approx(-JOINT_PAIRED_Z, abs=1e-4)


def test_weighted_paired_se_written_out_per_respondent():
    """Linearised SE of the weighted mean of d_i = x_comp − x_own (Lumley 2010, ch. 2):
    SE² = n/(n − 1) Σ w_i² (d_i − d̄)² / (Σ w_i)², t on n_eff − 1 df — per respondent here,
    from the engine's joint-bin Σw and Σw² in cxkit."""
    from scipy import stats
    wide = _long_wide()
    o, c, w = (wide[k].to_numpy(float) for k in ("Own", "Bravo", "weight"))
    ok = np.isfinite(o) & np.isfinite(c) & np.isfinite(w)
    x = lambda s: np.where(s >= 9, 100.0, np.where(s >= 7, 0.0, -100.0))
    d, ww = x(c[ok]) - x(o[ok]), w[ok]
    n = len(d)
    dbar = (ww * d).sum() / ww.sum()
    se = math.sqrt(n / (n - 1) * (ww ** 2 * (d - dbar) ** 2).sum()) / ww.sum()
    df = ww.sum() ** 2 / (ww ** 2).sum() - 1
    p = 2 * stats.t.sf(abs(dbar / se), df)
    rel = duckdb.connect().from_df(LONG)
    res = cxkit.brand_comparison(cxkit.scan(rel, weight="weight", relationship=LONG_REL),
                                 weighted=True, n_boot=0)
    g = res.gaps.set_index("brand").loc["Bravo"]
    assert g["gap"] == pytest.approx(dbar, rel=RTOL)
    assert g["se"] == pytest.approx(se, rel=RTOL)
    assert g["p_value"] == pytest.approx(p, rel=1e-7)
    assert int(g["n_pairs"]) == n


# ------------------------------------------------------------------------------------------
# accounting and hostile input
# ------------------------------------------------------------------------------------------

def test_exclusions_are_counted_in_the_same_query():
    df = pd.DataFrame({"A": [10, 9, None, float("nan"), 8, 7, 3, 6],
                       "B": [2, None, 9, 9, 8, float("nan"), 10, 7],
                       "weight": [1.0, None, 1.0, 2.0, 0.0, -1.0, 2.0, float("nan")]})
    rel = duckdb.connect().from_df(df)
    h = cxkit.brand_histograms(cxkit.scan(rel, weight="weight"), "A", ["A", "B"],
                                              weighted=True)
    bad_w = ~(df["weight"] > 0)
    assert h.rows == 8 and h.info["missing_weight"] == int(bad_w.sum())
    assert h.info["missing_score:A"] == int((df["A"].isna() & ~bad_w).sum())
    assert h.info["missing_score:B"] == int((df["B"].isna() & ~bad_w).sum())
    assert int(h.brands["A"]["n"].sum()) == int((df["A"].notna() & ~bad_w).sum())
    res = cxkit.brand_comparison(cxkit.scan(rel, weight="weight"), own="A", brands=["A", "B"],
                                 weighted=True, n_boot=0)
    assert res.brands.attrs["engine"]["missing_weight"] == 4
    assert int(res.gaps["n_pairs"].iloc[0]) == int((df["A"].notna() & df["B"].notna()
                                                    & ~bad_w).sum())


def test_missing_brand_columns_are_named():
    rel = duckdb.connect().from_df(pd.DataFrame({"Acme": [9.0], "Corvo": [3.0]}))
    with pytest.raises(cxkit.SurveyDataError, match="no brand column.*'Corv'.*Did you mean 'Corvo'"):
        cxkit.brand_comparison(rel, own="Acme", brands=["Acme", "Corv"], n_boot=0)
    bad = dict(LONG_REL, brand_column="brnd")
    with pytest.raises(cxkit.SurveyDataError, match="no brand column 'brnd'.*did you mean 'brand'"):
        cxkit.brand_comparison(cxkit.scan(duckdb.connect().from_df(LONG), relationship=bad))
    with pytest.raises(ValueError, match="brands="):
        cxkit.brand_comparison(rel, n_boot=0)


def test_out_of_scale_ratings_quote_rows():
    df = pd.DataFrame({"id": ["a", "b", "c", "d"], "Acme": [10.0, 11.0, 7.5, 3.0],
                       "Corvo": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(cxkit.SurveyDataError) as err:
        cxkit.brand_comparison(duckdb.connect().from_df(df), own="Acme", brands=["Acme", "Corvo"],
                               n_boot=0)
    msg = str(err.value)
    assert "'Acme'" in msg and "2 NPS scores outside the scale" in msg and "7.5" in msg
    assert " b " in msg + " " and " c " in msg + " "
    long = LONG.copy()
    long.loc[5, "score"] = 12.0
    with pytest.raises(cxkit.SurveyDataError) as err:
        cxkit.brand_comparison(cxkit.scan(duckdb.connect().from_df(long),
                                          relationship=LONG_REL), n_boot=0)
    assert "12" in str(err.value) and long.loc[5, "rid"] in str(err.value)


def test_text_in_a_rating_column_is_refused_with_rows(tmp_path):
    pd.DataFrame({"id": ["a", "b", "c"], "Acme": ["10", "ten", ""],
                  "Corvo": [3, 4, 5]}).to_csv(tmp_path / "r.csv", index=False)
    with pytest.raises(cxkit.SurveyDataError, match="'Acme'.*not numbers.*'ten'"):
        cxkit.brand_comparison(str(tmp_path / "r.csv"), own="Acme", brands=["Acme", "Corvo"],
                               n_boot=0)
    rel = duckdb.connect().from_df(pd.DataFrame({"Acme": ["10", "9", "", None],
                                                 "Corvo": [3.0, 4, 5, 6]}))
    got = cxkit.brand_comparison(rel, own="Acme", brands=["Acme", "Corvo"], n_boot=0)
    ref = cxkit.brand_comparison(pd.DataFrame({"Acme": [10, 9, None, None], "Corvo": [3, 4, 5, 6]}),
                                 own="Acme", brands=["Acme", "Corvo"], n_boot=0)
    _same(_numbers(ref), _numbers(got), "numbers as text")      # blanks are "not rated"


def test_duplicate_ratings_and_varying_weights_in_long_form():
    long = pd.concat([LONG, LONG.iloc[[3]]], ignore_index=True)
    with pytest.raises(cxkit.SurveyDataError, match="rated .* 2 times"):
        cxkit.brand_comparison(cxkit.scan(duckdb.connect().from_df(long),
                                          relationship=LONG_REL), n_boot=0)
    long = LONG.copy()
    rid = long["rid"].value_counts().index[0]
    long.loc[long["rid"] == rid, "weight"] = np.arange((long["rid"] == rid).sum()) + 1.0
    assert (long["rid"] == rid).sum() > 1
    with pytest.raises(cxkit.SurveyDataError, match="constant per respondent"):
        cxkit.brand_comparison(cxkit.scan(duckdb.connect().from_df(long), weight="weight",
                                          relationship=LONG_REL), weighted=True, n_boot=0)


def test_long_form_rows_without_respondent_are_refused():
    long = LONG.astype({"rid": object})
    long.loc[7, "rid"] = None
    with pytest.raises(cxkit.SurveyDataError, match="without a respondent id"):
        cxkit.brand_comparison(cxkit.scan(duckdb.connect().from_df(long),
                                          relationship=LONG_REL), n_boot=0)


def test_long_form_subset_counts_respondents():
    wide = _long_wide()
    src = cxkit.scan(duckdb.connect().from_df(LONG), weight="weight", relationship=LONG_REL)
    a = cxkit.relationship_subset(wide, "all", "region=North")
    b = cxkit.relationship_subset(src, "all", "region=North")
    assert a.attrs["cxkit"]["selection"] == b.attrs["cxkit"]["selection"]
    _same(_numbers(cxkit.brand_comparison(a, weighted=True, n_boot=0)),
          _numbers(cxkit.brand_comparison(b, weighted=True, n_boot=0)), "long subset")


def test_no_respondent_rates_both_falls_back_like_pandas():
    """No pairs: the gap is an independent two-sample test, as on the pandas path; the
    who-moves-where table is empty of pairs; with no rating of a competitor, NaN with a note."""
    df = pd.DataFrame({"Acme": [9.0, 10, 3, None, None, None],
                       "Corvo": [None, None, None, 7.0, 9, 2], "Dunmore": [np.nan] * 6})
    ref = cxkit.brand_comparison(df, own="Acme", brands=["Acme", "Corvo", "Dunmore"], n_boot=0)
    got = cxkit.brand_comparison(duckdb.connect().from_df(df), own="Acme",
                                 brands=["Acme", "Corvo", "Dunmore"], n_boot=0)
    _same(_numbers(ref), _numbers(got), "no pairs")
    assert got.gaps["basis"].tolist() == ["no respondent rates both"] * 2
    assert got.gaps["n_pairs"].tolist() == [0, 0]


def test_pair_aggregate_is_one_ibis_expression_per_dialect():
    from cxkit.engines.brands import pair_expression
    t = ibis.table({"Acme": "float64", "Corvo": "float64", "Dunmore": "float64",
                    "weight": "float64"}, name="relationship")
    expr = pair_expression(t, "Acme", {"Corvo": "Corvo", "Dunmore": "Dunmore"}, "weight")
    for dialect in ("snowflake", "bigquery", "duckdb"):
        sql = str(ibis.to_sql(expr, dialect=dialect))
        assert sql.count("GROUP BY") == 2 and "UNION ALL" in sql.upper()


def test_what_the_notebook_shows_is_the_same(files):
    """The competitor notebook's tables, summary and charts read the result only: the same
    HTML, text and JSON from an engine source as from the frame."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from cxkit.report.tables import brands_html, gaps_html
    src = _demo_sources(files)["parquet"]
    a = cxkit.brand_comparison(DEMO, weighted=True, benchmarks=BENCH, n_boot=200)
    b = cxkit.brand_comparison(src, weighted=True, benchmarks=BENCH, n_boot=200)
    assert brands_html(a) == brands_html(b) and gaps_html(a) == gaps_html(b)
    text = lambda r: [x for x in cxkit.describe_brands(r).splitlines()
                      if not x.startswith("Most likely leader")]      # a bootstrap line
    assert text(a) == text(b)
    _same({k: v for k, v in a.to_dict().items() if k != "ranks"},
          {k: v for k, v in b.to_dict().items() if k != "ranks"}, "to_dict")
    for plot in (cxkit.plot_brand_forest, cxkit.plot_brand_shares, cxkit.plot_brand_gaps):
        fig, ax = plt.subplots()
        plot(b, ax=ax)
        plt.close(fig)


def test_brand_comparison_follows_the_weight_rule_on_every_path(tmp_path):
    """Zero, negative, NaN and infinite weights exclude the respondent from a weighted brand
    comparison on pandas as on the engine (the weight rule, CONTRIBUTING): the same n, NPS,
    SEs and gaps; the n is the count of usable weights written out here."""
    rng = np.random.default_rng(4)
    n = 200
    df = pd.DataFrame({"rid": [f"r{i}" for i in range(n)],
                       "Own": rng.integers(0, 11, n).astype(float),
                       "Rival": rng.integers(0, 11, n).astype(float),
                       "weight": rng.uniform(0.5, 2.0, n)})
    df.loc[:9, "weight"] = 0.0
    df.loc[10:14, "weight"] = np.nan
    df.loc[15:17, "weight"] = -1.0
    df.loc[18, "weight"] = np.inf
    usable = int((np.isfinite(df["weight"]) & (df["weight"] > 0)).sum())
    assert usable == n - 19
    path = tmp_path / "w.parquet"
    df.to_parquet(path, index=False)
    rel = {"own": "Own", "brands": ["Own", "Rival"], "form": "wide"}
    frame = df.copy()
    frame.attrs["cxkit"] = {"weight": "weight", "relationship": rel}
    a = cxkit.brand_comparison(frame, own="Own", brands=["Own", "Rival"], weighted=True, n_boot=0)
    b = cxkit.brand_comparison(cxkit.scan(path, weight="weight", relationship=rel),
                               own="Own", brands=["Own", "Rival"], weighted=True, n_boot=0)
    assert a.brands["n"].tolist() == [usable, usable]
    assert b.brands["n"].tolist() == [usable, usable]
    for col in ("nps", "se"):
        np.testing.assert_allclose(b.brands[col], a.brands[col], rtol=1e-9)
    for col in ("gap", "se", "p_value"):
        np.testing.assert_allclose(b.gaps[col], a.gaps[col], rtol=1e-9)
