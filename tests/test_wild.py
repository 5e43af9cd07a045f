"""Exports as they come in the wild (issue 14): legacy Qualtrics, Excel's Column1… row, older
SurveyMonkey, text answers, aggregated data.  Fixtures: tests/fixtures/wild/ (make_wild.py);
expected outcomes and hand-computed reference values: tests/refs_wild.py."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest

import cxkit
from cxkit.core.errors import ConfigError, SurveyDataError
from cxkit.core.paths import PROJECT_DIR

from refs_wild import (AGG_NORTH_Q1, AGG_NORTH_Q1_NEFF_DEFF, AGG_NORTH_Q1_SE_DEFF, AGG_ROWS,
                       COMPARE_SE, LABELS_CSAT, LABELS_FOOD, LABELS_LTR, LABELS_UNMAPPED_ROW,
                       LAYOUTS, Q1_TEXT, SHARES_WALD_CI, SHARES_WALD_SE, SHARES_WALD_SE_DEFF2,
                       SM_NPS, SURVEYMONKEY, TOP_WALD_CI, Z95)

WILD = PROJECT_DIR / "tests" / "fixtures" / "wild"


# ------------------------------------------------------------------ layouts -----------------
@pytest.mark.parametrize("name", sorted(LAYOUTS))
@pytest.mark.parametrize("fmt", ["auto", "qualtrics"])
def test_qualtrics_layouts(name, fmt):
    layout, variant, first_row, columns, nread, ids, preview_row = LAYOUTS[name]
    df = cxkit.read_export(WILD / name, format=fmt)
    assert df.attrs["layout"] == layout
    assert df.attrs["layout_variant"] == variant
    assert df.attrs["first_row"] == first_row
    assert list(df.columns) == columns
    assert len(df) == nread
    assert df.attrs["labels"]["Q1"] == Q1_TEXT
    assert not any("damaged" in n for n in df.attrs["notes"])
    cfg = {"sources": [{"path": str(WILD / name), "format": fmt}],
           "scores": {"nps": "Q1", "csat": {"column": "Q2", "metric": "csat"}}}
    resp, rep = cxkit.load_survey(cfg)
    assert resp["respondent_id"].tolist() == ids          # ResponseID / ResponseId mapped
    assert rep.rows_read == nread and rep.rows_kept == len(ids)
    e = rep.exclusions
    assert e["reason"].tolist() == ["survey preview/test"]
    assert e["rows"].iloc[0] == [preview_row]
    assert resp.attrs["cxkit"]["labels"]["nps"] == Q1_TEXT


def test_python_dict_import_row_is_a_known_layout():
    df = cxkit.read_export(WILD / "qualtrics_2016.csv")
    assert any("known layout" in n for n in df.attrs["notes"])


def test_excel_column_row_noted():
    for ext in ("csv", "xlsx"):
        df = cxkit.read_export(WILD / f"qualtrics_excel_columns.{ext}")
        assert any("Column1" in n for n in df.attrs["notes"])
        assert df["ResponseId"].tolist() == ["R_2a", "R_2b", "R_2c"]


def test_column_row_on_plain_table():
    recs = [["Column1", "Column2"], ["id", "nps"], ["1", "9"]]
    layout, k, names, *_ = cxkit.split_header(recs, "auto", "t.csv")
    assert (layout, k, names) == ("plain", 2, ["id", "nps"])
    # not "Column1, Column2" in order: a real header
    layout, k, names, *_ = cxkit.split_header([["Column2", "Column1"], ["1", "2"]], "auto", "t")
    assert (k, names) == (1, ["Column2", "Column1"])


@pytest.mark.parametrize("name", sorted(SURVEYMONKEY))
def test_old_surveymonkey(name):
    first_row, columns, ids = SURVEYMONKEY[name]
    df = cxkit.read_export(WILD / name)
    assert df.attrs["layout"] == "surveymonkey"
    assert df.attrs["first_row"] == first_row
    assert list(df.columns) == columns
    cfg = {"sources": [str(WILD / name)], "scores": {"nps": columns[-5]}}
    resp, rep = cxkit.load_survey(cfg)
    assert resp["respondent_id"].tolist() == ids
    assert resp["nps"].tolist() == SM_NPS
    assert rep.rows_read == rep.rows_kept == 3


def test_old_surveymonkey_dates():
    cfg = {"sources": [str(WILD / "surveymonkey_legacy.csv")], "period": "month",
           "scores": {"nps": SURVEYMONKEY["surveymonkey_legacy.csv"][1][9]}}
    resp, _ = cxkit.load_survey(cfg)
    assert resp["date"].dt.day.tolist() == [5, 6, 7]          # EndDate, month first
    assert resp["period"].astype(str).tolist() == ["2015-01"] * 3


def test_plain_table_with_v_names_is_not_qualtrics(tmp_path):
    p = tmp_path / "r.csv"          # R's write.csv of an unnamed data frame
    p.write_text('"V1","V2","V3"\n1,2,3\n4,5,6\n')
    df = cxkit.read_export(p)
    assert df.attrs["layout"] == "plain" and list(df.columns) == ["V1", "V2", "V3"]
    assert len(df) == 2


def test_plain_table_with_response_word_is_not_surveymonkey(tmp_path):
    p = tmp_path / "p.csv"
    p.write_text("id,status,nps\n1,Response,9\n2,Response,7\n")
    assert cxkit.read_export(p).attrs["layout"] == "plain"


# ------------------------------------------------------------------ labels ------------------
def _labels_cfg(**extra):
    return {"sources": [str(WILD / "labels.csv")], "respondent_id": "id",
            "scores": {"nps": "ltr",
                       "csat": {"column": "satisfaction", "metric": "top_box", "scale": [0, 1],
                                "top_box": [1], "labels": {"Good": 1, "bad": 0}},
                       "food": {"column": "food", "metric": "mean", "scale": [1, 5],
                                "labels": ["Horrendous", "Bland", "Fine", "Tasty",
                                           "Michelin star!!"]}}, **extra}


def test_unmapped_label_is_an_error_listing_labels_and_rows():
    with pytest.raises(SurveyDataError) as ei:
        cxkit.load_survey(_labels_cfg())
    msg = str(ei.value)
    assert "'Meh'" in msg and f"row {LABELS_UNMAPPED_ROW}" in msg
    assert "scores.food.labels" in msg and "'michelin star!!'" in msg
    assert ei.value.rows == [LABELS_UNMAPPED_ROW]


def test_labels_and_numeric_text():
    cfg = _labels_cfg(on_invalid="exclude", exclude_no_score=False)
    resp, rep = cxkit.load_survey(cfg)
    e = rep.exclusions
    assert e[["reason", "column", "count"]].values.tolist() == [
        ["unmapped score label", "food", 1]]
    assert e["rows"].iloc[0] == [LABELS_UNMAPPED_ROW] and e["values"].iloc[0] == ["Meh"]
    keep = [i for i in range(5) if i != 3]
    np.testing.assert_array_equal(resp["nps"].to_numpy(), np.array(LABELS_LTR)[keep])
    np.testing.assert_array_equal(resp["csat"].to_numpy(), np.array(LABELS_CSAT)[keep])
    np.testing.assert_array_equal(resp["food"].to_numpy(), np.array(LABELS_FOOD)[keep])
    assert rep.rows_kept + rep.rows_excluded == rep.rows_read == 5
    assert any("numeric text" in n for n in rep.notes)


def test_labels_config_errors():
    cfg = _labels_cfg()
    cfg["scores"]["food"]["labels"] = ["a", "b"]
    with pytest.raises(ConfigError, match="needs 5 labels"):
        cxkit.config_from_dict(cfg)
    cfg["scores"]["food"]["labels"] = {"a": 9}
    with pytest.raises(ConfigError, match="outside the scale"):
        cxkit.config_from_dict(cfg)
    cfg["scores"]["food"]["labels"] = {"Good": 1, " good": 2}
    with pytest.raises(ConfigError, match="given twice"):
        cxkit.config_from_dict(cfg)


def test_numeric_text_forms():
    got = cxkit.parse_score_text(["10 - Extremely likely", "0 = Not at all likely",
                                  "5 (Very satisfied)", "7: ok", "10-12", "abc", "3 4"])
    np.testing.assert_array_equal(got, [10, 0, 5, 7, np.nan, np.nan, np.nan])


# ------------------------------------------------------------------ shares ------------------
def test_nps_from_shares_hand_algebra():
    e = cxkit.nps_from_shares(20, 30, 50, 100, method="wald")
    assert e.value == 30 and math.isclose(e.se, SHARES_WALD_SE, rel_tol=1e-12)
    assert math.isclose(e.ci_low, SHARES_WALD_CI[0], rel_tol=1e-9)
    assert math.isclose(e.ci_high, SHARES_WALD_CI[1], rel_tol=1e-9)
    d = cxkit.nps_from_shares(20, 30, 50, 100, deff=2, method="wald")
    assert math.isclose(d.se, SHARES_WALD_SE_DEFF2, rel_tol=1e-12) and d.n == 100
    assert d.n_eff == 50 and "design effect 2" in d.note
    # default adjusted-Wald at the same counts as nps_from_counts
    assert cxkit.nps_from_shares(20, 30, 50, 1000).ci_low == \
        cxkit.nps_from_counts(200, 300, 500).ci_low


def _wald_limits(d, p, n):
    v = 100 * (p - d) / 100
    se = 100 * math.sqrt((p / 100 + d / 100 - ((p - d) / 100) ** 2) / n)
    return 100 * (p - d) / 100 - Z95 * se, v + Z95 * se


@pytest.mark.parametrize("shares,n", [((8, 21, 71), 5000), ((2, 3, 95), 60),
                                      ((40, 10, 50), 300)])
def test_rounding_envelope_against_brute_force(shares, n):
    """Independent implementation: a dense 201 × 201 grid over the rounding box."""
    e = cxkit.nps_from_shares(*shares, n, rounding=1, method="wald")
    d0, m0, p0 = shares
    lo, hi = np.inf, -np.inf
    for d in np.linspace(d0 - 0.5, d0 + 0.5, 201):
        for p in np.linspace(p0 - 0.5, p0 + 0.5, 201):
            if abs(100 - d - p - m0) <= 0.5 + 1e-12 and d >= 0 and 100 - d - p >= 0:
                a, b = _wald_limits(d, p, n)
                lo, hi = min(lo, max(a, -100)), max(hi, min(b, 100))
    assert e.ci_low <= lo + 1e-9 and e.ci_high >= hi - 1e-9     # never narrower
    assert e.ci_low >= lo - 0.01 and e.ci_high <= hi + 0.01     # and not looser than needed
    # the widening is up to ±1 point (NPS moves ±1 when two shares move ±0.5 oppositely)
    w = cxkit.nps_from_shares(*shares, n, method="wald")
    assert 0.5 < w.ci_low - e.ci_low and (n < 1000 or w.ci_low - e.ci_low <= 1.05)
    assert e.ci_high == 100 or 0.5 < e.ci_high - w.ci_high <= 1.05


def test_shares_validation():
    with pytest.raises(ValueError, match="rounding="):
        cxkit.nps_from_shares(8, 20, 71, 100)                 # sum 99, exact shares
    assert cxkit.nps_from_shares(8, 20, 71, 100, rounding=1).value == 63
    with pytest.raises(ValueError, match="proportions"):
        cxkit.nps_from_shares(0.2, 0.3, 0.5, 100)
    with pytest.raises(ValueError):
        cxkit.nps_from_shares(20, 30, 50, 0)
    with pytest.raises(ValueError):
        cxkit.nps_from_shares(20, 30, 50, 100, deff=0)


def test_top_box_from_shares():
    e = cxkit.top_box_from_shares(80, 100, method="wald")
    assert math.isclose(e.ci_low, TOP_WALD_CI[0]) and math.isclose(e.ci_high, TOP_WALD_CI[1])

    def wilson(p, n):  # Wilson (1927), written out
        z = Z95
        c = (p + z * z / (2 * n)) / (1 + z * z / n)
        h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return 100 * (c - h), 100 * (c + h)

    r = cxkit.top_box_from_shares(80, 250, deff=2.5, rounding=1)      # n_eff 100
    assert math.isclose(r.ci_low, wilson(0.795, 100)[0], rel_tol=1e-9)
    assert math.isclose(r.ci_high, wilson(0.805, 100)[1], rel_tol=1e-9)


def test_compare_shares():
    e = cxkit.compare_shares((20, 30, 50, 100), (10, 30, 60, 100))
    assert e.value == 20 and math.isclose(e.se, COMPARE_SE)
    assert math.isclose(e.ci_low, 20 - Z95 * COMPARE_SE)
    r = cxkit.compare_shares((20, 30, 50, 1e6), (10, 30, 60, 1e6), rounding=1)
    # huge n: mostly the rounding is left — the difference is known within ±2 points, plus
    # z·SE = 1.96·0.103 for sampling
    assert 17.75 < r.ci_low < 17.85 and 22.15 < r.ci_high < 22.25


def test_counts_that_look_like_percent_warn():
    with pytest.warns(UserWarning, match="nps_from_shares"):
        cxkit.nps_from_counts(11, 23, 66)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cxkit.nps_from_counts(11, 23, 67)


def test_shares_as_weights_warn():
    with pytest.warns(UserWarning, match="compare_shares"):
        cxkit.compare([0, 7, 10], [0, 7, 10], weights_a=[20, 30, 50], weights_b=[10, 30, 60])


# ------------------------------------------------------------------ aggregated layout -------
def _agg_cfg(**agg):
    return {"survey": "bench", "layout": "aggregated",
            "sources": [str(WILD / "aggregated_shares.csv")],
            "segments": {"region": "region"}, "period": "quarter",
            "date": {"column": "quarter", "format": "%Y-%m-%d"}, "scores": {"nps": "nps"},
            "on_invalid": "exclude",
            "aggregated": {"shares": {"detractors": "det", "passives": "pas",
                                      "promoters": "pro"}, "n": "n", **agg}}


def test_aggregated_layout_accounting():
    resp, rep = cxkit.load_survey(_agg_cfg())
    assert rep.rows_read == AGG_ROWS["read"] and rep.rows_kept == AGG_ROWS["kept_exact"]
    assert rep.exclusions[["reason", "count"]].values.tolist() == [
        ["empty row", 1], ["bin values not numbers", 1], ["shares do not sum to 100", 1]]
    assert rep.exclusions["rows"].tolist() == [[7], [5], [6]]
    resp, rep = cxkit.load_survey(_agg_cfg(rounding=1))
    assert rep.rows_kept == AGG_ROWS["kept_rounding"]
    assert list(resp.columns) == ["source", "region", "period", "nps", "count"]
    north = resp[(resp.region == "North") & (resp.period == pd.Period("2024Q1", "Q"))]
    assert north["count"].tolist() == AGG_NORTH_Q1["counts"]
    assert rep.files["responses"].iloc[0] == 400 + 300 + 420 + 250
    with pytest.raises(SurveyDataError, match="on_invalid"):
        cxkit.load_survey({**_agg_cfg(), "on_invalid": "error"})


def test_aggregated_equals_respondent_rows():
    """summarize / score_changes / compare / trend on the aggregated frame give exactly the
    results of the respondent rows it stands for (an independent path: raw scores)."""
    agg, _ = cxkit.load_survey(_agg_cfg(rounding=1))
    rows = agg.loc[agg.index.repeat(agg["count"]), ["region", "period", "nps"]]
    rows = rows.reset_index(drop=True)
    rows.attrs = {"cxkit": {"metrics": agg.attrs["cxkit"]["metrics"], "period": "Q"}}
    a = cxkit.summarize(agg, "nps", by="region")
    b = cxkit.summarize(rows, "nps", by="region")
    cols = ["region", "value", "se", "ci_low", "ci_high", "n", "n_eff"]
    pd.testing.assert_frame_equal(a[cols], b[cols])
    q1 = agg[agg.period == pd.Period("2024Q1", "Q")]
    q2 = agg[agg.period == pd.Period("2024Q2", "Q")]
    c = cxkit.compare(q1, q2)
    d = cxkit.compare(rows[rows.period == pd.Period("2024Q1", "Q")]["nps"],
                      rows[rows.period == pd.Period("2024Q2", "Q")]["nps"])
    assert (c.diff, c.se, c.p_value) == (d.diff, d.se, d.p_value)
    s1 = cxkit.score_changes(agg, "nps", period="2024Q2", baseline="2024Q1", by="region")
    s2 = cxkit.score_changes(rows, "nps", period="2024Q2", baseline="2024Q1", by="region")
    assert str(s1) == str(s2)


def test_aggregated_trend_and_deff_widens():
    t = pd.DataFrame({"year": ["2021", "2022", "2023"], "d": [10, 12, 15], "m": [30, 30, 30],
                      "p": [60, 58, 55], "n": [500, 400, 450]})
    shares = {"detractors": "d", "passives": "m", "promoters": "p"}
    agg = cxkit.from_aggregates(t, shares=shares, n="n", period="year", period_format="%Y")
    rows = agg.loc[agg.index.repeat(agg["count"]), ["period", "nps"]].reset_index(drop=True)
    rows.attrs = {"cxkit": {"metrics": agg.attrs["cxkit"]["metrics"], "period": "Y"}}
    a, b = cxkit.trend(agg, "nps"), cxkit.trend(rows, "nps")
    assert str(a) == str(b)
    agg2 = cxkit.from_aggregates(t, shares=shares, n="n", period="year", period_format="%Y",
                                 deff=2.0)
    c = cxkit.trend(agg2, "nps")
    pa, pc = a.points.iloc[0], c.points.iloc[0]
    assert pc["value"] == pa["value"]                         # same estimate
    assert math.isclose(pc["se"] ** 2 / pa["se"] ** 2, 2 * 500 / 499, rel_tol=1e-9)


def test_aggregated_deff_hand_algebra():
    agg, _ = cxkit.load_survey(_agg_cfg(rounding=1, deff=1.5))
    s = cxkit.summarize(agg[agg.period == pd.Period("2024Q1", "Q")], "nps", by="region")
    north = s[s.region == "North"].iloc[0]
    assert north["value"] == AGG_NORTH_Q1["value"] and north["n"] == 400
    assert math.isclose(north["se"], AGG_NORTH_Q1_SE_DEFF, rel_tol=1e-12)
    assert math.isclose(north["n_eff"], AGG_NORTH_Q1_NEFF_DEFF, rel_tol=1e-12)
    assert north["method"] == "linearized" and bool(north["weighted"])


def test_aggregated_counts_and_lost_count_column():
    cfg = _agg_cfg()
    cfg["sources"] = [str(WILD / "aggregated_counts.csv")]
    cfg["aggregated"] = {"counts": {0: "det", 7: "pas", 10: "pro"}}
    resp, rep = cxkit.load_survey(cfg)
    assert rep.rows_kept == 3 and rep.files["responses"].iloc[0] == 400 + 300 + 420
    with pytest.raises(ValueError, match="lost its 'count' column"):
        cxkit.summarize(resp[["region", "nps"]], "nps")


def test_aggregated_config_errors():
    cfg = _agg_cfg()
    del cfg["aggregated"]["n"]
    with pytest.raises(ConfigError, match="aggregated.n"):
        cxkit.config_from_dict(cfg)
    with pytest.raises(ConfigError, match="only read with `layout: aggregated`"):
        cxkit.config_from_dict({"sources": ["a.csv"], "scores": {"nps": "x"},
                                "aggregated": {"counts": {0: "a", 10: "b"}}})
    with pytest.raises(ConfigError, match="`weight`: not used with `layout: aggregated`"):
        cxkit.config_from_dict({**_agg_cfg(), "weight": "w"})


def test_aggregated_duplicate_group(tmp_path):
    p = tmp_path / "dup.csv"
    p.write_text("region,quarter,det,pas,pro,n\nNorth,2024-01-01,20,30,50,400\n"
                 "North,2024-01-01,20,30,50,400\nSouth,2024-01-01,10,30,60,300\n")
    cfg = _agg_cfg()
    cfg["sources"] = [str(p)]
    resp, rep = cxkit.load_survey(cfg)
    assert rep.exclusions[["reason", "count", "rows"]].values.tolist() == [
        ["duplicate group", 1, [3]]]
    assert resp["count"].sum() == 700
    with pytest.raises(SurveyDataError, match="duplicate group"):
        cxkit.load_survey({**cfg, "on_invalid": "error"})


# ------------------------------------------------------------------ HCAHPS (README) ---------
def _hcahps_check(folder):
    """The README's HCAHPS numbers, recomputed with the csv module and hand algebra."""
    import csv

    d = folder / "hcahps_state_national"
    n = {}
    with open(d / "responses.csv", newline="") as f:
        for r in csv.DictReader(f):
            if r["completed_surveys"].isdigit():
                key = (r["release_period"], r["state"])
                n[key] = n.get(key, 0) + int(r["completed_surveys"])
                n[(r["release_period"], "US")] = n.get((r["release_period"], "US"), 0) + int(
                    r["completed_surveys"])
    boxes = {}
    for name, st in (("state_results.csv", None), ("national_results.csv", "US")):
        with open(d / name, newline="") as f:
            for r in csv.DictReader(f):
                if r["measure_id"] == "H_HSP_RATING":
                    boxes[(r["release_period"], st or r["State"])] = tuple(
                        int(r[f"{b}_box_percentage"]) for b in ("bottom", "middle", "top"))
    ca23, ca22, us23 = (boxes[k] + (n[k],) for k in (("07_2023", "CA"), ("07_2022", "CA"),
                                                       ("07_2023", "US")))
    assert ca23 == (11, 23, 66, 231579) and us23[3] == 2233570

    def var(b):  # multinomial variance of the NPS (points²) at the published shares
        dd, pp = b[0] / 100, b[2] / 100
        return 100 ** 2 * (pp + dd - (pp - dd) ** 2) / b[3]

    for a, b, diff in ((us23, ca23, -6), (ca22, ca23, -4)):
        e = cxkit.compare_shares(a, b, rounding=1)
        assert e.value == diff
        se = math.sqrt(var(a) + var(b))
        # rounding: the difference moves by up to ±2 (±1 per score); sampling adds z·SE
        assert abs(e.ci_low - (diff - 2 - Z95 * se)) < 0.02
        assert abs(e.ci_high - (diff + 2 + Z95 * se)) < 0.02
    e = cxkit.nps_from_shares(*ca23, rounding=1)
    assert (round(e.ci_low, 1), round(e.ci_high, 1)) == (53.7, 56.3)


def test_hcahps_readme_numbers(realdata):
    _hcahps_check(realdata)
