"""Plain DataFrames get the loader's checks (issue 11, point 1).

Every analysis that takes responses refuses the issue's examples — a "no answer" code 11 and a
15 in an NPS column, the text "ten", CSAT computed on a 0–10 column — with a SurveyDataError
naming the column, the first rows and the values; misspelt ``by`` columns, period columns of
texts and ``weighted=True`` without a weight column get clear errors (or are parsed).
``from_frame`` equals ``load_survey`` on the same data written to CSV with an equivalent YAML
config.  Expected values are computed here with plain pandas/numpy.
"""

import re

import numpy as np
import pandas as pd
import pytest

import cxkit
from cxkit.core.errors import ConfigError, SurveyDataError

PERIODS = ["2026-08", "2026-09", "2026-10"]
BAD_ROWS = (500, 517)          # rows of the report period 2026-10 (rows 400–599)


def survey_frame(n_per=200, seed=3):
    """A plain (not loaded) responses table: three months, two regions, NPS, CSAT 1–5, brands."""
    rng = np.random.default_rng(seed)
    n = n_per * len(PERIODS)
    df = pd.DataFrame({
        "period": pd.PeriodIndex(np.repeat(PERIODS, n_per), freq="M"),
        "region": np.tile(["North", "South"], n // 2),
        "nps": rng.integers(0, 11, n).astype(float),
        "csat": rng.integers(1, 6, n).astype(float),
        "Acme": rng.integers(0, 11, n).astype(float),
        "Corvo": rng.integers(0, 11, n).astype(float),
    })
    return df


def with_codes(df, column="nps"):
    bad = df.copy()
    bad.loc[BAD_ROWS[0], column] = 11
    bad.loc[BAD_ROWS[1], column] = 15
    return bad


def with_text(df, column="nps"):
    bad = df.copy()
    bad[column] = bad[column].astype(object)
    bad.loc[BAD_ROWS[0], column] = "ten"
    return bad


# every analysis that takes responses, called on a frame with the score column `col`
NPS_CALLS = {
    "tally": lambda df, col="nps": cxkit.tally(df, col, by="region"),
    "summarize": lambda df, col="nps": cxkit.summarize(df, [col], by="region"),
    "score_changes": lambda df, col="nps": cxkit.score_changes(df, col, period="2026-10", by="region"),
    "decompose_change": lambda df, col="nps": cxkit.decompose_change(df, col, by="region",
                                                                     period="2026-10"),
    "trend": lambda df, col="nps": cxkit.trend(df, col),
    "plan_segments": lambda df, col="nps": cxkit.plan_segments(df, col, by="region",
                                                               period="2026-10", margin=10),
}
BRAND_CALLS = {
    "brand_comparison": lambda df, col="Corvo": cxkit.brand_comparison(
        df, own="Acme", brands=["Acme", col], n_boot=0),
    "brand_crosstab": lambda df, col="Corvo": cxkit.brand_crosstab(
        df, own="Acme", competitor=col),
    "rank_probabilities": lambda df, col="Corvo": cxkit.rank_probabilities(
        df, brands=["Acme", col], n_boot=50),
    "brand_gap": lambda df, col="Corvo": cxkit.brand_gap(df["Acme"], df[col]),
}
RAW_CALLS = {
    "compare": lambda df, col="nps", metric="nps": cxkit.compare(
        df.loc[df.period == "2026-09", col], df.loc[df.period == "2026-10", col], metric=metric),
    "compare-paired": lambda df, col="nps", metric="nps": cxkit.compare(
        df["csat" if metric == "csat" and col != "csat" else "Acme"], df[col], metric=metric,
        paired=True),
}


def assert_names(err, column, rows, values):
    msg = str(err.value)
    assert f"column {column!r}" in msg, msg
    for r, v in zip(rows, values):
        assert f"row {r}: {v}" in msg, msg
    assert err.value.column == column
    assert list(err.value.rows)[:len(rows)] == list(rows)


# --- the clean frame works and gives the plain-pandas numbers --------------------------------

def test_clean_plain_frame_gives_pandas_numbers():
    df = survey_frame()
    s = cxkit.summarize(df, ["nps", "csat"], by="region")
    for region, g in df.groupby("region"):
        nps = 100 * ((g.nps >= 9).mean() - (g.nps <= 6).mean())
        csat = 100 * (g.csat >= 4).mean()
        row = s[(s.region == region) & (s.metric == "nps")].iloc[0]
        assert row.value == pytest.approx(nps)
        assert s[(s.region == region) & (s.metric == "csat")].iloc[0].value == pytest.approx(csat)
    for call in list(NPS_CALLS.values()) + list(BRAND_CALLS.values()):
        call(df)
    for call in RAW_CALLS.values():
        call(df)


# --- code 11 and 15 in an NPS column ---------------------------------------------------------

@pytest.mark.parametrize("name", list(NPS_CALLS))
def test_codes_11_and_15_in_an_nps_column_are_refused(name):
    with pytest.raises(SurveyDataError) as err:
        NPS_CALLS[name](with_codes(survey_frame()))
    assert_names(err, "nps", BAD_ROWS, ("11", "15"))
    msg = str(err.value)
    assert "outside 0–10" in msg and "2 values" in msg
    assert "'missing': [11, 15]" in msg and "from_frame" in msg     # the fix


@pytest.mark.parametrize("name", list(BRAND_CALLS))
def test_codes_11_and_15_in_a_brand_column_are_refused(name):
    with pytest.raises(SurveyDataError) as err:
        BRAND_CALLS[name](with_codes(survey_frame(), "Corvo"))
    assert_names(err, "Corvo", BAD_ROWS, ("11", "15"))
    assert "outside 0–10" in str(err.value)


@pytest.mark.parametrize("name", list(RAW_CALLS))
def test_codes_11_and_15_in_raw_compare_are_refused(name):
    with pytest.raises(SurveyDataError) as err:
        RAW_CALLS[name](with_codes(survey_frame()))
    assert_names(err, "nps", BAD_ROWS, ("11", "15"))   # the Series' name and row labels


def test_codes_declared_missing_through_from_frame_are_excluded_and_reported():
    df = with_codes(survey_frame())
    responses, report = cxkit.from_frame(
        df, scores={"nps": {"column": "nps", "missing": [11, 15]}, "csat": "csat"},
        segments=["region"])
    # the two codes are missing (NaN), the rows stay (they have a CSAT answer)
    assert report.rows_kept == len(df) and report.rows_excluded == 0
    m = report.missing.set_index("score").loc["nps"]
    assert m["declared"] == 2 and m["codes"] == {"11": 1, "15": 1}
    s = cxkit.summarize(responses, "nps", by="period").set_index("period")
    g = df[~df.nps.isin([11, 15])]
    ref = g.groupby("period").nps.agg(lambda v: 100 * ((v >= 9).mean() - (v <= 6).mean()))
    np.testing.assert_allclose(s["value"].to_numpy(), ref.to_numpy())
    assert s.loc[pd.Period("2026-10", "M"), "n"] == 198


def test_non_whole_nps_and_infinite_scores_are_refused():
    df = survey_frame()
    df.loc[3, "nps"] = 7.5
    with pytest.raises(SurveyDataError, match=r"1 score that is not a whole number — row 3: 7\.5"):
        cxkit.tally(df, "nps")
    df = survey_frame()
    df.loc[4, "nps"] = np.inf
    with pytest.raises(SurveyDataError, match="row 4: inf"):
        cxkit.summarize(df, "nps")


def test_refusal_on_the_guessed_bounds_path_of_large_tables():
    # >= 1 million rows: tally guesses the bounds from a sample; a late 11 is still found
    n = 1_100_000
    df = pd.DataFrame({"nps": np.tile(np.arange(11.0), n // 11)})
    df.loc[n - 3, "nps"] = 11
    with pytest.raises(SurveyDataError) as err:
        cxkit.tally(df, "nps")
    assert_names(err, "nps", [n - 3], ["11"])


# --- text "ten" ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(NPS_CALLS))
def test_text_in_an_nps_column_is_refused_not_dropped(name):
    with pytest.raises(SurveyDataError) as err:
        NPS_CALLS[name](with_text(survey_frame()))
    assert_names(err, "nps", [BAD_ROWS[0]], ["'ten'"])
    assert "1 value that is not a number" in str(err.value)


@pytest.mark.parametrize("name", list(BRAND_CALLS))
def test_text_in_a_brand_column_is_refused(name):
    with pytest.raises(SurveyDataError) as err:
        BRAND_CALLS[name](with_text(survey_frame(), "Corvo"))
    assert_names(err, "Corvo", [BAD_ROWS[0]], ["'ten'"])


@pytest.mark.parametrize("name", list(RAW_CALLS))
def test_text_in_raw_compare_is_refused(name):
    with pytest.raises(SurveyDataError) as err:
        RAW_CALLS[name](with_text(survey_frame()))
    assert_names(err, "nps", [BAD_ROWS[0]], ["'ten'"])


def test_numeric_texts_and_blanks_are_read_as_the_loader_reads_them():
    df = survey_frame()
    txt = df.copy()
    txt["nps"] = [("" if i % 50 == 0 else f" {int(v)}") for i, v in enumerate(df.nps)]
    t = cxkit.tally(txt, "nps")
    ref = df.nps[np.arange(len(df)) % 50 != 0].value_counts().sort_index()
    assert t["score"].tolist() == ref.index.tolist() and t["n"].tolist() == ref.tolist()
    assert t.attrs["tally"]["missing_score"] == len(df) // 50


# --- CSAT computed on a 0–10 column ----------------------------------------------------------

@pytest.mark.parametrize("name", list(NPS_CALLS))
def test_csat_on_a_0_to_10_column_is_refused(name):
    df = survey_frame()
    df["csat"] = df["nps"]                 # a 0–10 column called csat (CSAT is 1–5)
    with pytest.raises(SurveyDataError) as err:
        NPS_CALLS[name](df, "csat")
    bad = np.flatnonzero(((df.csat < 1) | (df.csat > 5)).to_numpy())
    msg = str(err.value)
    assert "column 'csat'" in msg and "outside 1–5" in msg
    assert err.value.rows[0] in bad and err.value.rows == sorted(err.value.rows)


@pytest.mark.parametrize("name", list(RAW_CALLS))
def test_csat_on_raw_0_to_10_scores_is_refused(name):
    df = survey_frame()
    with pytest.raises(SurveyDataError, match="outside 1–5"):
        RAW_CALLS[name](df, "nps", metric="csat")


def test_declared_scale_makes_a_0_to_10_top_box_legitimate():
    df = survey_frame()
    spec = cxkit.metric_spec("top_box", top_box=(9, 10), name="t2b", scale=(0, 10))
    s = cxkit.summarize(df, [("nps", spec)])
    assert s.value.iloc[0] == pytest.approx(100 * (df.nps >= 9).mean())
    # no scale known: refused for an estimate, but a histogram needs none
    with pytest.raises(SurveyDataError, match="no scale is known"):
        cxkit.summarize(df, [("nps", cxkit.metric_spec("top_box", top_box=(9, 10)))])
    with pytest.raises(SurveyDataError, match="no scale is known"):
        cxkit.score_changes(df, ("nps", "mean"), period="2026-10")
    t = cxkit.tally(df, ("nps", "mean"))
    assert t["n"].sum() == len(df)
    # and through from_frame, the scale as in a config
    responses, _ = cxkit.from_frame(df, scores={"t2b": {"column": "nps", "metric": "top_box",
                                                        "top_box": [9, 10], "scale": [0, 10]}})
    assert cxkit.summarize(responses, "t2b").value.iloc[0] == pytest.approx(s.value.iloc[0])


def test_ces_is_whole_numbers_1_to_7_unless_declared():
    df = pd.DataFrame({"ces": [1.0, 2.5, 7.0, 3.0]})
    with pytest.raises(SurveyDataError, match=r"1 score that is not a whole number — row 1: 2\.5"):
        cxkit.summarize(df, "ces")
    spec = cxkit.metric_spec("ces", integer=False)
    assert cxkit.summarize(df, [("ces", spec)]).value.iloc[0] == pytest.approx(13.5 / 4)


# --- tally counts any numeric column ---------------------------------------------------------

def test_tally_counts_any_numeric_column_without_a_metric():
    df = survey_frame()
    df["ltr"] = df["nps"]
    df.loc[[1, 2, 3], "ltr"] = [11, 11, 99]      # codes are just values in a histogram
    t = cxkit.tally(df, "ltr", by="region")
    assert t.attrs["tally"]["metric"] is None
    ref = df.groupby(["region", "ltr"]).size()
    got = t.set_index(["region", "score"])["n"]
    assert got.to_dict() == {(r, float(s)): int(v) for (r, s), v in ref.items()}
    # an estimate asks for the metric
    with pytest.raises(ValueError, match="ltr"):
        cxkit.summarize(df, ["ltr"])
    # non-numeric columns are a clear error
    df["name"] = "x"
    with pytest.raises(SurveyDataError, match="column 'name'.*not numbers"):
        cxkit.tally(df, "name")
    df["flag"] = df["nps"] > 5
    with pytest.raises(SurveyDataError, match="True/False"):
        cxkit.tally(df, "flag")
    with pytest.raises(SurveyDataError, match="Did you mean 'ltr'"):
        cxkit.tally(df, "lrt")


# --- misspelt by -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(NPS_CALLS))
def test_misspelt_by_names_the_closest_column(name):
    df = survey_frame()
    calls = {
        "tally": lambda: cxkit.tally(df, "nps", by="regoin"),
        "summarize": lambda: cxkit.summarize(df, "nps", by="regoin"),
        "score_changes": lambda: cxkit.score_changes(df, "nps", period="2026-10", by="regoin"),
        "decompose_change": lambda: cxkit.decompose_change(df, "nps", by="regoin", period="2026-10"),
        "trend": lambda: cxkit.trend(df, "nps", by="regoin"),
        "plan_segments": lambda: cxkit.plan_segments(df, "nps", by="regoin", period="2026-10",
                                                     margin=10),
    }
    with pytest.raises(SurveyDataError, match=r"no (group|segment) column 'regoin' \(`by`\)\. "
                                              r"Did you mean 'region'\?"):
        calls[name]()


# --- period columns of texts -----------------------------------------------------------------

def test_string_periods_are_parsed_to_the_same_results():
    df = survey_frame()
    txt = df.assign(period=df["period"].astype(str))
    assert txt["period"].dtype != df["period"].dtype
    a = cxkit.score_changes(df, "nps", period="2026-10", by="region")
    b = cxkit.score_changes(txt, "nps", period="2026-10", by="region")
    pd.testing.assert_frame_equal(a.table, b.table)
    # the overall change by hand (pandas)
    v = {p: g.nps for p, g in df.groupby(df.period.astype(str))}
    score = {p: 100 * ((x >= 9).mean() - (x <= 6).mean()) for p, x in v.items()}
    assert b.overall.diff == pytest.approx(score["2026-10"] - score["2026-09"])
    d1 = cxkit.decompose_change(df, "nps", by="region", period="2026-10")
    d2 = cxkit.decompose_change(txt, "nps", by="region", period="2026-10")
    assert (d1.change, d1.mix, d1.rate) == pytest.approx((d2.change, d2.mix, d2.rate))
    t1, t2 = cxkit.trend(df, "nps"), cxkit.trend(txt, "nps")
    assert t1.slopes["slope"].tolist() == pytest.approx(t2.slopes["slope"].tolist())
    p1 = cxkit.plan_segments(df, "nps", by="region", period="2026-10", margin=10)
    p2 = cxkit.plan_segments(txt, "nps", by="region", period="2026-10", margin=10)
    pd.testing.assert_frame_equal(p1, p2)
    assert p2["n_month"].iloc[0] == pytest.approx(len(df) / 3)


@pytest.mark.parametrize("name", ["score_changes", "decompose_change", "trend", "plan_segments"])
def test_unreadable_period_texts_are_refused_with_the_fix(name):
    df = survey_frame()
    df["period"] = df["period"].astype(str).astype(object)
    df.loc[7, "period"] = "sometime"
    with pytest.raises(SurveyDataError) as err:
        NPS_CALLS[name](df)
    msg = str(err.value)
    assert "column 'period'" in msg and "row 7: 'sometime'" in msg
    assert "pd.PeriodIndex" in msg and "from_frame" in msg


def test_mixed_period_kinds_are_refused():
    df = survey_frame()
    df["period"] = df["period"].astype(str).astype(object)
    df.loc[9, "period"] = "2026Q3"
    with pytest.raises(SurveyDataError, match="mixes period kinds"):
        cxkit.score_changes(df, "nps", period="2026-10")


# --- weighted=True without a weight column ---------------------------------------------------

WEIGHTED_CALLS = {
    "summarize": lambda df: cxkit.summarize(df, "nps", weighted=True),
    "score_changes": lambda df: cxkit.score_changes(df, "nps", period="2026-10", weighted=True),
    "decompose_change": lambda df: cxkit.decompose_change(df, "nps", by="region",
                                                          period="2026-10", weighted=True),
    "trend": lambda df: cxkit.trend(df, "nps", weighted=True),
    "plan_segments": lambda df: cxkit.plan_segments(df, "nps", period="2026-10", margin=10,
                                                    weighted=True),
    "brand_comparison": lambda df: cxkit.brand_comparison(df, own="Acme", brands=["Acme", "Corvo"],
                                                          n_boot=0, weighted=True),
    "brand_crosstab": lambda df: cxkit.brand_crosstab(df, own="Acme", competitor="Corvo",
                                                      weighted=True),
    "rank_probabilities": lambda df: cxkit.rank_probabilities(df, brands=["Acme", "Corvo"],
                                                              n_boot=50, weighted=True),
}


@pytest.mark.parametrize("name", list(WEIGHTED_CALLS))
def test_weighted_without_weight_column_names_weighted(name):
    with pytest.raises(SurveyDataError) as err:
        WEIGHTED_CALLS[name](survey_frame())
    msg = str(err.value)
    assert "`weighted=True`" in msg and "`weight=True`" not in msg
    assert "'weight' column" in msg and "from_frame" in msg


def test_tally_names_its_own_weight_argument():
    with pytest.raises(SurveyDataError, match=r"`weight=True`"):
        cxkit.tally(survey_frame(), "nps", weight=True)
    with pytest.raises(SurveyDataError, match="Did you mean 'weight'"):
        cxkit.tally(survey_frame().assign(weight=1.0), "nps", weight="wieght")


# --- from_frame equals load_survey on the same data as CSV -----------------------------------

def frame_for_loading(seed=11):
    rng = np.random.default_rng(seed)
    n = 400
    df = pd.DataFrame({
        "resp": [f"R{i:04d}" for i in range(n)],
        "when": pd.date_range("2026-07-01", periods=n, freq="7h").strftime("%Y-%m-%d %H:%M"),
        "REG": rng.choice(["North", "South", "East"], n),
        "ltr": rng.integers(0, 11, n).astype(float),
        "sat": rng.integers(1, 6, n).astype(float),
        "w": rng.uniform(0.5, 2.0, n).round(3),
        "comment": rng.choice(["great", "slow", ""], n),
    })
    df["comment"] = df["comment"].replace("", None)    # a blank cell, as a CSV reader gives it
    df.loc[[5, 40, 41], "ltr"] = 11        # declared "no answer"
    df.loc[[6, 90], "ltr"] = np.nan
    df.loc[[6], "sat"] = np.nan            # no valid score at all: excluded
    df.loc[[77], "sat"] = 9                # outside 1–5
    df.loc[[120], "w"] = -1.0              # non-positive weight
    return df


FROM_FRAME_ARGS = dict(
    scores={"nps": {"column": "ltr", "metric": "nps", "missing": [11]}, "csat": "sat"},
    segments={"region": "REG"}, date="when", period="month", weight="w",
    respondent_id="resp", text=["comment"], on_invalid="exclude")
YAML = """\
survey: DataFrame
sources: [data.csv]
respondent_id: resp
date: when
period: month
weight: w
segments: {region: REG}
scores:
  nps: {column: ltr, metric: nps, missing: [11]}
  csat: sat
text: [comment]
on_invalid: exclude
"""


def test_from_frame_equals_load_survey_on_the_same_csv(tmp_path):
    df = frame_for_loading()
    df.to_csv(tmp_path / "data.csv", index=False)
    (tmp_path / "survey.yaml").write_text(YAML)
    a, ra = cxkit.load_survey(tmp_path / "survey.yaml")
    b, rb = cxkit.from_frame(df, **FROM_FRAME_ARGS)
    # the same responses (values), row numbers shifted by the CSV header (row 1) + 1
    cols = ["date", "period", "region", "weight", "nps", "csat", "comment"]
    pd.testing.assert_frame_equal(a[cols], b[cols], check_dtype=False, check_categorical=False)
    assert (a["respondent_id"].tolist(), (a["source_row"] - 2).tolist()) == \
        (b["respondent_id"].tolist(), b["source_row"].tolist())
    # the same accounting
    assert (ra.rows_read, ra.rows_kept, ra.rows_excluded) == (rb.rows_read, rb.rows_kept,
                                                              rb.rows_excluded)
    ea = ra.exclusions[["reason", "column", "count", "values"]].reset_index(drop=True)
    eb = rb.exclusions[["reason", "column", "count", "values"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(ea, eb)
    assert [[r - 2 for r in rows] for rows in ra.exclusions["rows"]] == rb.exclusions["rows"].tolist()
    cols = ["score", "column", "valid", "blank", "declared", "codes"]
    pd.testing.assert_frame_equal(ra.missing[cols], rb.missing[cols])
    # the accounting by hand
    excluded = {"score outside scale": [77], "non-positive weight": [120],
                "no valid score": [6]}
    for reason, rows in excluded.items():
        assert rb.excluded(reason) == len(rows)
        assert rb.exclusions.set_index("reason").loc[reason, "rows"] == rows
    assert rb.rows_kept == len(df) - 3
    nps = rb.missing.set_index("score").loc["nps"]
    assert (nps["declared"], nps["blank"]) == (3, 1)
    assert a.attrs["cxkit"]["metrics"] == b.attrs["cxkit"]["metrics"]
    assert a.attrs["cxkit"]["scales"] == b.attrs["cxkit"]["scales"]
    # and the analyses agree
    pd.testing.assert_frame_equal(cxkit.summarize(a, ["nps", "csat"], by="region", weighted=True),
                                  cxkit.summarize(b, ["nps", "csat"], by="region", weighted=True))


def test_from_frame_score_forms_and_errors():
    df = survey_frame()
    r1, _ = cxkit.from_frame(df, scores=["nps", "csat"])
    r2, _ = cxkit.from_frame(df, scores={"nps": "nps", "csat": "csat"})
    r3, _ = cxkit.from_frame(df, scores={"nps": {"column": "nps", "metric": "nps"},
                                         "csat": {"column": "csat", "metric": "csat"}})
    for r in (r2, r3):
        pd.testing.assert_frame_equal(r1, r)
    assert r1["period"].dtype == df["period"].dtype         # a period column is kept
    r4, _ = cxkit.from_frame(df.assign(period=df.period.astype(str)), scores="nps")
    assert (r4["period"] == df["period"]).all()
    # the loader's errors, naming the frame's rows
    with pytest.raises(SurveyDataError) as err:
        cxkit.from_frame(with_codes(df), scores={"nps": "nps"})
    assert "DataFrame: column 'nps'" in str(err.value) and "row 500: '11'" in str(err.value)
    with pytest.raises(SurveyDataError, match=r"'npss'.*not found.*Closest: 'nps'"):
        cxkit.from_frame(df, scores={"nps": "npss"})
    with pytest.raises(ConfigError, match="metric"):
        cxkit.from_frame(df, scores=["Acme"])            # no metric named Acme
    with pytest.raises(SurveyDataError, match="not numbers"):
        cxkit.from_frame(with_text(df), scores=["nps"])


def test_loaded_tables_keep_working():
    responses, _ = cxkit.load_survey("demo")
    s = cxkit.summarize(responses, ["nps", "csat", "ces"])
    assert set(s.metric) == {"nps", "csat", "ces"}
    assert cxkit.tally(responses, "nps").attrs["tally"]["metric"].scale == (0.0, 10.0)


def test_long_brand_tables_refuse_text_and_codes():
    long = pd.DataFrame({"respondent_id": ["r1", "r1", "r2", "r3"],
                         "brand": ["Acme", "Corvo", "Acme", "Corvo"],
                         "score": [9, "ten", 10, 3]})
    with pytest.raises(SurveyDataError) as err:
        cxkit.brands_to_wide(long)
    assert_names(err, "score", [1], ["'ten'"])
    long["score"] = [9, 11, 10, 3]
    with pytest.raises(SurveyDataError) as err:
        cxkit.brand_samples(long)
    assert "column 'score'" in str(err.value) and ": 11" in str(err.value)
    long["score"] = [9, 6, 10, 3]
    wide = cxkit.brands_to_wide(long)
    assert wide["Acme"].tolist()[:2] == [9.0, 10.0] and wide["Corvo"].tolist()[0] == 6.0


def test_a_loaded_survey_declaring_fractional_nps_keeps_working(tmp_path):
    df = pd.DataFrame({"ltr": [9.5, 3.0, 10.0, 7.5]})
    ok, _ = cxkit.from_frame(df, scores={"nps": {"column": "ltr", "integer": False}})
    assert cxkit.tally(ok, "nps")["n"].sum() == 4
    # (by hand: promoters 9.5, 10; detractor 3; passive 7.5)
    assert cxkit.summarize(ok, "nps").value.iloc[0] == pytest.approx(100 * (2 - 1) / 4)
    with pytest.raises(SurveyDataError, match="not whole numbers"):
        cxkit.from_frame(df, scores={"nps": "ltr"})
    with pytest.raises(SurveyDataError, match="not whole numbers"):
        cxkit.summarize(df.rename(columns={"ltr": "nps"}), "nps")


@pytest.mark.parametrize("name", ["brand_comparison", "brand_crosstab", "rank_probabilities"])
def test_misspelt_brand_column_names_the_closest(name):
    with pytest.raises(SurveyDataError, match=r"no brand column\(s\) \['Corov'\]\. Did you mean 'Corvo'\?"):
        BRAND_CALLS[name](survey_frame(), "Corov")


def test_nps_of_raw_scores_uses_the_shared_check():
    df = with_codes(survey_frame())
    with pytest.raises(SurveyDataError) as err:
        cxkit.nps(df["nps"])
    assert_names(err, "nps", BAD_ROWS, ("11", "15"))
    with pytest.raises(SurveyDataError, match="1 value that is not a number — row 500: 'ten'"):
        cxkit.nps(with_text(survey_frame())["nps"])
    with pytest.raises(SurveyDataError, match="not a whole number"):
        cxkit.nps([9, 7.5, 3])
    good = survey_frame()["nps"]
    assert cxkit.nps(good).value == pytest.approx(100 * ((good >= 9).mean() - (good <= 6).mean()))


# --- raw arrays: csat / top_box / ces / mean_score check their scale too (issue 11.1) -----------
@pytest.mark.parametrize("fn,kwargs,values,bad", [
    (cxkit.csat, {}, [5, 4, 0, 10], [0, 10]),                  # a 0–10 column is not CSAT 1–5
    (cxkit.csat, {}, [5, 4, 4.5], [4.5]),                       # not a whole number
    (cxkit.ces, {}, [1, 7, 8], [8]),                            # CES is 1–7
    (cxkit.top_box, {"scale": (1, 5)}, [5, 6], [6]),
    (cxkit.mean_score, {"scale": (1, 10)}, [3, 11], [11]),
])
def test_raw_score_functions_refuse_values_off_the_scale(fn, kwargs, values, bad):
    with pytest.raises(cxkit.SurveyDataError) as err:
        fn(pd.Series(values, name="rating"), **kwargs)
    msg = str(err.value)
    assert "'rating'" in msg
    for b in bad:
        assert f"{b:g}" in msg


@pytest.mark.parametrize("fn", [cxkit.csat, cxkit.ces, cxkit.top_box, cxkit.mean_score])
def test_raw_score_functions_refuse_text_and_infinity(fn):
    with pytest.raises(cxkit.SurveyDataError, match="not a number"):
        fn(["ten", 4, 5])
    with pytest.raises(cxkit.SurveyDataError, match="finite|outside"):   # outside a known scale
        fn([4, np.inf])


def test_raw_csat_keeps_working_on_its_scale_and_on_a_declared_one():
    x = [5, 4, 3, 5, 2, 4, 4, 1, np.nan]
    assert cxkit.csat(x).value == pytest.approx(100 * 5 / 8)          # hand count: 5 of 8 in 4–5
    # a 0–10 "satisfaction" with its top box 9–10: the top box is off 1–5, so no default range
    assert cxkit.csat([9, 10, 3, 0], top_box=(9, 10)).value == pytest.approx(50.0)
    assert cxkit.csat([9, 10, 3, 0], top_box=(9, 10), scale=(0, 10)).value == pytest.approx(50.0)
    assert cxkit.ces([1, 2, 7]).value == pytest.approx(10 / 3)


def test_drivers_and_follow_up_name_a_misspelt_column_and_the_closest_one():
    df = pd.DataFrame({"nps": [0, 9, 10, 5] * 10, "q_speed": [1, 5, 4, 2] * 10,
                       "q_staff": [2, 4, 5, 1] * 10, "respondent_id": [str(i) for i in range(40)]})
    with pytest.raises(SurveyDataError, match="Did you mean 'q_speed'") as err:
        cxkit.drivers(df, outcome="nps", drivers=["q_sped", "q_staff"], n_boot=10, seed=1)
    assert err.value.column == "q_sped"
    with pytest.raises(SurveyDataError, match="Did you mean 'q_staff'"):
        cxkit.follow_up(df, drivers=["q_stafff"])
    with pytest.raises(SurveyDataError, match="respondent_id"):
        cxkit.follow_up(df.drop(columns="respondent_id"), drivers=[])
