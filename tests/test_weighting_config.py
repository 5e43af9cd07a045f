"""The `weighting:` and `design:` config sections: fpc from the config, rows without a raking or
design variable excluded and counted, target units, targets from a CSV — against R survey
(tests/r/weights_config_refs.R -> tests/refs_weights_config.py) and hand counts."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import cxkit
from cxkit import ConfigError, SurveyDataError
import refs_weights_config as R

GEN = Path(__file__).parent / "r" / "weights_gen.csv"
STRATA = {"S1": 20, "S2": 15, "S3": 30, "S4": 10}   # PSUs in the population (= the fpc column)


def _gen_config(tmp_path, csv="gen.csv", frame=None, **extra):
    """A YAML config beside a copy of weights_gen.csv (paths relative to the config)."""
    sources = []
    frames = frame if isinstance(frame, list) else [frame if frame is not None else
                                                     pd.read_csv(GEN, dtype=str)]
    for i, f in enumerate(frames):
        name = csv if len(frames) == 1 else f"part{i + 1}.csv"
        f.to_csv(tmp_path / name, index=False)
        sources.append({"path": name, "format": "csv"})
    d = {"survey": "generated", "sources": sources, "respondent_id": "respondent_id",
         "weight": "w0",
         "segments": {"stratum": "stratum", "psu": "psu", "fpc": "fpc", "region": "region",
                      "age": "age", "brand": "brand", "quarter": "period"},
         "scores": {"nps": {"column": "nps", "metric": "nps", "scale": [0, 10]},
                    "top": {"column": "csat", "metric": "top_box", "scale": [1, 5],
                            "top_box": [4, 5]},
                    "csat": {"column": "csat", "metric": "mean", "scale": [1, 5]}}}
    d.update(extra)
    p = tmp_path / "survey.yaml"
    p.write_text(yaml.safe_dump(d, sort_keys=False))
    return p


def _gen_fractions():
    g = pd.read_csv(GEN)
    sampled = g.groupby("stratum")["psu"].nunique()
    return {h: float(sampled[h] / n) for h, n in STRATA.items()}


# ------------------------------------------------------------------ fpc from the config
@pytest.mark.parametrize("fpc, name", [
    ("fpc", "COL"),                  # a segment holding N_h (PSUs in the population)
    (STRATA, "COL"),                 # {stratum: N_h}
    ("fractions", "FRAC"),           # {stratum: f_h}, f_h <= 1
])
def test_config_fpc_matches_r_svydesign(tmp_path, fpc, name):
    fpc = _gen_fractions() if fpc == "fractions" else fpc
    resp, rep = cxkit.load_survey(_gen_config(
        tmp_path, design={"strata": "stratum", "cluster": "psu", "fpc": fpc}))
    assert rep.rows_kept == rep.rows_read == 552
    t = cxkit.summarize(resp, ["nps", "top", "csat"], weighted=True).set_index("metric")
    assert set(t["method"]) == {"design-linearized"}
    for metric, key in (("nps", "X"), ("top", "TOP"), ("csat", "CSAT")):
        assert t.loc[metric, "value"] == pytest.approx(getattr(R, f"FPC_{name}_{key}_MEAN"),
                                                       rel=1e-9)
        assert t.loc[metric, "se"] == pytest.approx(getattr(R, f"FPC_{name}_{key}_SE"), rel=1e-9)
    e = cxkit.design_estimate(resp, "nps")
    assert e.se == pytest.approx(R.FPC_COL_X_SE, rel=1e-9)


def test_config_fpc_domains_and_ttest_match_r(tmp_path):
    resp, _ = cxkit.load_survey(_gen_config(
        tmp_path, design={"strata": "stratum", "cluster": "psu", "fpc": "fpc"}))
    t = cxkit.design_summary(resp, "nps", by="brand").set_index("brand")
    assert t.loc[R.FPC_BY_BRAND_LEVELS, "value"].to_numpy() == pytest.approx(R.FPC_BY_BRAND_MEAN)
    assert t.loc[R.FPC_BY_BRAND_LEVELS, "se"].to_numpy() == pytest.approx(R.FPC_BY_BRAND_SE,
                                                                           rel=1e-9)
    assert (t["df"] == R.FPC_COL_DEGF).all()
    c = cxkit.design_compare(resp, "nps", by="quarter", a="2024-Q1", b="2024-Q2")
    assert c.diff == pytest.approx(R.FPC_TTEST_PERIOD_DIFF, rel=1e-9)
    assert c.statistic == pytest.approx(R.FPC_TTEST_PERIOD_T, rel=1e-9)
    assert c.df == R.FPC_TTEST_PERIOD_DF
    assert c.p_value == pytest.approx(R.FPC_TTEST_PERIOD_P, rel=1e-9)


@pytest.mark.parametrize("design, ref", [
    ({"strata": "stratum", "fpc": 400}, "FPC_CONST_X_SE"),          # N_h = 400 in every stratum
    ({"strata": "stratum", "fpc": 0.25}, "FPC_CONST_FRAC_X_SE"),    # f_h = 0.25 in every stratum
    ({"cluster": "psu", "fpc": 100}, "FPC_CLUSTER_CONST_X_SE"),     # no strata: 100 PSUs
])
def test_config_fpc_one_number_matches_r(tmp_path, design, ref):
    resp, _ = cxkit.load_survey(_gen_config(tmp_path, design=design))
    assert resp.attrs["cxkit"]["design"]["fpc"] == float(design["fpc"])
    e = cxkit.design_estimate(resp, "nps")
    assert e.value == pytest.approx(R.FPC_CONST_X_MEAN, rel=1e-9)
    assert e.se == pytest.approx(getattr(R, ref), rel=1e-9)
    # the API takes the same number
    e2 = cxkit.design_estimate(resp, "nps", design=design)
    assert e2.se == e.se


@pytest.mark.parametrize("fpc, match", [
    (0, "positive"), (-3, "positive"), (True, "not a segment|must be"), ("nope", "not a segment"),
    ({"S1": 0}, "positive"),
])
def test_config_fpc_errors(tmp_path, fpc, match):
    with pytest.raises(ConfigError, match=match):
        cxkit.read_config(_gen_config(tmp_path, design={"strata": "stratum", "fpc": fpc}))


def test_config_fpc_smaller_than_sample_is_an_error(tmp_path):
    resp, _ = cxkit.load_survey(_gen_config(tmp_path, design={"strata": "stratum", "fpc": 50}))
    with pytest.raises(SurveyDataError, match="fewer units in the population than sampled"):
        cxkit.design_estimate(resp, "nps")


# ------------------------------------------------------------------ rows without a variable
def _blanked():
    g = pd.read_csv(GEN, dtype=str)
    ids = g["respondent_id"]
    g.loc[ids.isin(R.BLANK_REGION), "region"] = ""
    g.loc[ids == R.BLANK_REGION[-1], "region"] = "   "          # only spaces: blank too
    g.loc[ids.isin(R.BLANK_STRATUM), "stratum"] = ""
    g.loc[ids == R.BLANK_REGION[1], "stratum"] = ""             # both: counted once (raking first)
    g.loc[ids.isin(R.BLANK_PSU), "psu"] = ""
    return g


def _row(rid):
    return int(rid[1:]) + 1    # spreadsheet row: the header is row 1


WEIGHTING = {"targets": {"region": {"North": 0.30, "South": 0.45, "East": 0.25},   # fractions
                         "age": {"18-34": 20, "35-54": 50, "55+": 30}},           # percent
             "tol": 1e-11, "max_iter": 1000}
DESIGN = {"strata": "stratum", "cluster": "psu", "fpc": "fpc"}


def test_missing_raking_and_design_variables_excluded_counted_and_match_r(tmp_path):
    resp, rep = cxkit.load_survey(_gen_config(tmp_path, frame=_blanked(), weighting=WEIGHTING,
                                              design=DESIGN))
    assert len(resp) == rep.rows_kept == R.KEPT_N
    assert rep.rows_kept + rep.rows_excluded == rep.rows_read == 552
    e = rep.exclusions.set_index(["reason", "column"])
    assert e.loc[("missing raking variable", "region"), "count"] == 3
    assert e.loc[("missing raking variable", "region"), "rows"] == [_row(r) for r in R.BLANK_REGION]
    assert e.loc[("missing design variable", "stratum"), "count"] == 2
    assert e.loc[("missing design variable", "stratum"), "rows"] == [_row(r) for r in R.BLANK_STRATUM]
    assert e.loc[("missing design variable", "psu"), "rows"] == [_row(r) for r in R.BLANK_PSU]
    assert rep.excluded("missing raking variable") == 3
    assert rep.excluded("missing design variable") == 3
    assert "missing raking variable [region] (rows 6, 151, 152)" in str(rep)
    assert not set(resp["respondent_id"]) & set(R.BLANK_REGION + R.BLANK_STRATUM + R.BLANK_PSU)
    # the raking of the kept rows is R's (region as fractions, age in percent)
    np.testing.assert_allclose(resp["weight"].to_numpy()[:12], R.KEPT_RAKE_WEIGHTS_FIRST, rtol=1e-6)
    assert resp["weight"].sum() == pytest.approx(R.KEPT_RAKE_SUM, rel=1e-9)
    assert rep.weighting["n_eff"] == pytest.approx(R.KEPT_RAKE_NEFF, rel=1e-6)
    assert rep.weighting["units"] == {"region": "fraction", "age": "percent"}
    assert rep.to_dict()["weighting"]["units"]["region"] == "fraction"
    assert "targets read as fractions (region), percent (age)" in str(rep)
    # and the design-based variance with the fpc, on the raked weights, is R's
    est = cxkit.design_summary(resp, "nps").iloc[0]
    assert est["value"] == pytest.approx(R.KEPT_RAKED_FPC_X_MEAN, rel=1e-8)
    assert est["se"] == pytest.approx(R.KEPT_RAKED_FPC_X_SE, rel=1e-6)
    assert est["df"] == R.KEPT_DEGF
    t = cxkit.design_summary(resp, "nps", by="brand").set_index("brand")
    assert t.loc[["Alpha", "Beta"], "value"].to_numpy() == pytest.approx(R.KEPT_BY_BRAND_MEAN,
                                                                         rel=1e-8)
    assert t.loc[["Alpha", "Beta"], "se"].to_numpy() == pytest.approx(R.KEPT_BY_BRAND_SE, rel=1e-6)


def test_missing_variables_counted_per_file(tmp_path):
    g = _blanked()
    parts = [g.iloc[:300], g.iloc[300:]]
    resp, rep = cxkit.load_survey(_gen_config(tmp_path, frame=parts, weighting=WEIGHTING,
                                              design=DESIGN))
    assert len(resp) == R.KEPT_N
    e = rep.exclusions
    by = e.groupby(["file", "reason"])["count"].sum().to_dict()
    assert by == {("part1.csv", "missing raking variable"): 3,
                  ("part1.csv", "missing design variable"): 2,    # R0010, R0300 (psu)
                  ("part2.csv", "missing design variable"): 1}    # R0420
    # rows are the rows of each file
    p2 = e[(e["file"] == "part2.csv") & (e["column"] == "stratum")]
    assert p2["rows"].iloc[0] == [420 - 300 + 1]
    f = rep.files.set_index("file")
    assert (f["rows_kept"] + f["rows_excluded"] == f["rows_read"]).all()
    np.testing.assert_allclose(resp["weight"].to_numpy()[:12], R.KEPT_RAKE_WEIGHTS_FIRST, rtol=1e-6)


@pytest.mark.parametrize("section, column, rows", [
    ("weighting", "region", "rows 6, 151, 152"),
    ("design", "stratum", "rows 11, 421"),
])
def test_on_missing_error(tmp_path, section, column, rows):
    wt, de = dict(WEIGHTING), dict(DESIGN)
    (wt if section == "weighting" else de)["on_missing"] = "error"
    g = _blanked()
    if section == "design":   # only the stratum blanks
        g["region"] = pd.read_csv(GEN, dtype=str)["region"]
        g["psu"] = pd.read_csv(GEN, dtype=str)["psu"]
        g.loc[g["respondent_id"] == R.BLANK_REGION[1], "stratum"] = "S3"
    p = _gen_config(tmp_path, frame=g, weighting=wt, design=de)
    with pytest.raises(SurveyDataError) as ei:
        cxkit.load_survey(p)
    msg = str(ei.value)
    assert "gen.csv" in msg and f"column {column!r}" in msg and rows in msg
    assert f"remove `on_missing: error` from `{section}:`" in msg
    assert ei.value.column == column


def test_on_missing_bad_value(tmp_path):
    with pytest.raises(ConfigError, match="weighting.on_missing"):
        cxkit.read_config(_gen_config(tmp_path, weighting=dict(WEIGHTING, on_missing="drop")))
    with pytest.raises(ConfigError, match="design.on_missing"):
        cxkit.read_config(_gen_config(tmp_path, design=dict(DESIGN, on_missing=True)))


def test_missing_derived_segment_raking_variable(tmp_path):
    # a binned (derived) segment as raking variable: rows without a number are excluded
    g = pd.read_csv(GEN, dtype=str)
    g["years"] = (20 + np.arange(len(g)) % 50).astype(str)
    g.loc[[4, 9], "years"] = ""
    g.loc[300, "years"] = "jane.doe@example.com"      # not a number: no band; quoted masked
    p = _gen_config(tmp_path, frame=g, weighting={"targets": {
        "age_band": {"20–40": 45, "40–70": 55}}})
    d = yaml.safe_load(p.read_text())
    d["segments"]["age_band"] = {"from": "years", "bins": [20, 40, 70]}
    p.write_text(yaml.safe_dump(d))
    resp, rep = cxkit.load_survey(p)
    e = rep.exclusions.set_index("reason")
    assert e.loc["missing raking variable", "count"] == 3
    assert e.loc["missing raking variable", "rows"] == [6, 11, 302]
    vals = e.loc["missing raking variable", "values"]
    assert vals[:2] == ["", ""] and "jane.doe" not in vals[2] and "example.com" not in str(rep)
    shares = resp.groupby("age_band", observed=True)["weight"].sum() / resp["weight"].sum()
    assert shares.to_dict() == pytest.approx({"20–40": 0.45, "40–70": 0.55}, abs=1e-6)


def test_no_weighting_no_design_keeps_rows_with_blanks(tmp_path):
    resp, rep = cxkit.load_survey(_gen_config(tmp_path, frame=_blanked()))
    assert rep.rows_excluded == 0 and len(resp) == 552
    assert resp["region"].isna().sum() == 3


# ------------------------------------------------------------------ categories: clear errors
def test_category_without_target_and_target_without_responses_are_errors(tmp_path):
    p = _gen_config(tmp_path, weighting={"targets": {"region": {"North": 50, "South": 50}}})
    with pytest.raises(SurveyDataError, match=r"survey.yaml.*region value\(s\) \['East'\] that "
                                              r"the targets do not list"):
        cxkit.load_survey(p)
    p = _gen_config(tmp_path, weighting={"targets": {"region": {
        "North": 30, "South": 40, "East": 20, "West": 10}}})
    with pytest.raises(SurveyDataError, match=r"survey.yaml.*No response has region = \['West'\]"):
        cxkit.load_survey(p)


def test_rake_api_categories_errors():
    df = pd.DataFrame({"r": ["a", "a", "b", "c"]})
    with pytest.raises(SurveyDataError, match=r"\['c'\] that the targets do not list"):
        cxkit.rake(df, {"r": {"a": 50, "b": 50}})
    with pytest.raises(SurveyDataError, match=r"No response has r = \['d'\]"):
        cxkit.rake(df, {"r": {"a": 40, "b": 20, "c": 20, "d": 20}})


# ------------------------------------------------------------------ rake(on_missing=)
def test_rake_on_missing_error_names_column_and_rows():
    df = pd.DataFrame({"r": ["a", None, "b", " ", "a"], "s": ["x", "y", None, "x", "y"],
                       "source_row": [2, 3, 4, 5, 6]})
    with pytest.raises(SurveyDataError) as ei:
        cxkit.rake(df, {"r": {"a": 50, "b": 50}, "s": {"x": 50, "y": 50}})
    msg = str(ei.value)
    assert "2 response(s) have no value for the raking variable 'r' (rows [3, 5])" in msg
    assert "1 response(s) have no value for the raking variable 's' (rows [4])" in msg
    assert "on_missing='exclude'" in msg
    assert ei.value.rows == [3, 4, 5]


def test_rake_on_missing_exclude():
    rng = np.random.default_rng(7)
    df = pd.DataFrame({"r": rng.choice(["a", "b"], 40), "s": rng.choice(["x", "y"], 40),
                       "w": rng.uniform(0.5, 2, 40)}, index=[f"i{k}" for k in range(40)])
    df.loc[["i3", "i17"], "r"] = None
    df.loc["i30", "s"] = ""
    tg = {"r": {"a": 30, "b": 70}, "s": {"x": 60, "y": 40}}
    r = cxkit.rake(df, tg, base_weight="w", on_missing="exclude")
    assert r.excluded == 3 and r.excluded_rows == ("i3", "i17", "i30") and r.n == 37
    assert r.weights.index.equals(df.index)
    assert r.weights[["i3", "i17", "i30"]].isna().all()
    ok = df.drop(["i3", "i17", "i30"])
    ref = cxkit.rake(ok, tg, base_weight="w")
    np.testing.assert_allclose(r.weights.dropna(), ref.weights, rtol=1e-12)
    # an array base weight is aligned with the full table
    r2 = cxkit.rake(df, tg, base_weight=df["w"].to_numpy(), on_missing="exclude")
    np.testing.assert_allclose(r2.weights.dropna(), ref.weights, rtol=1e-12)
    assert r.to_dict()["excluded"] == 3
    assert "3 responses without a raking variable left out" in cxkit.describe_weighting(r)
    with pytest.raises(SurveyDataError, match="on_missing"):
        cxkit.rake(df, tg, on_missing="drop")


# ------------------------------------------------------------------ target units
def test_units_fractions_percent_totals_agree():
    df = pd.DataFrame({"r": list("aaabbc"), "s": list("xyxyxy")})
    pct = {"r": {"a": 30, "b": 45, "c": 25}, "s": {"x": 40, "y": 60}}
    frac = {v: {k: x / 100 for k, x in c.items()} for v, c in pct.items()}
    tot = {v: {k: x * 50 for k, x in c.items()} for v, c in pct.items()}    # population 5000
    rp, rf, rt = cxkit.rake(df, pct), cxkit.rake(df, frac), cxkit.rake(df, tot)
    assert rp.units == {"r": "percent", "s": "percent"}
    assert rf.units == {"r": "fraction", "s": "fraction"}
    assert rt.units == {"r": "total", "s": "total"}
    np.testing.assert_allclose(rf.weights, rp.weights, rtol=1e-12)
    np.testing.assert_allclose(rt.weights, rp.weights * 5000 / 6, rtol=1e-9)
    assert rt.total == pytest.approx(5000)
    # the example: fractions
    assert cxkit.rake(df, {"r": {"a": 0.3, "b": 0.45, "c": 0.25}}).to_dict()["units"] == {
        "r": "fraction"}
    # within rounding: 99.5 is percent, 0.995 fractions (both rescaled)
    assert cxkit.rake(df, {"r": {"a": 30, "b": 44.5, "c": 25}}).units["r"] == "percent"
    assert cxkit.rake(df, {"r": {"a": 0.3, "b": 0.445, "c": 0.25}}).units["r"] == "fraction"
    assert "targets read as population totals" in cxkit.describe_weighting(rt)
    assert "targets read as" not in cxkit.describe_weighting(rp)


@pytest.mark.parametrize("values, unit, match", [
    ([0.3, 0.4, 0.2], "auto", r"sum to 0\.9: neither shares in percent"),
    ([30, 40, 20], "auto", r"sum to 90: neither"),
    ([20, 20, 17], "auto", r"sum to 57: .*unit='total'"),
    ([30, 40, 20], "percent", r"sum to 90, not 100"),
    ([0.3, 0.4, 0.4], "fraction", r"sum to 1\.1, not 1"),
    ([30, 40, 30], "share", "must be 'auto'"),
])
def test_units_that_fit_none_are_errors(values, unit, match):
    df = pd.DataFrame({"r": list("abc")})
    with pytest.raises(SurveyDataError, match=match):
        cxkit.rake(df, {"r": dict(zip("abc", values))}, unit=unit)


def test_unit_total_forced():
    df = pd.DataFrame({"r": list("aabc")})
    r = cxkit.rake(df, {"r": {"a": 20, "b": 20, "c": 17}}, unit="total")
    assert r.units == {"r": "total"} and r.total == pytest.approx(57)


def test_config_unit(tmp_path):
    small = {"region": {"North": 20, "South": 20, "East": 17}}
    with pytest.raises(ConfigError, match=r"weighting.targets.region.*sum to 57.*unit: total"):
        cxkit.read_config(_gen_config(tmp_path, weighting={"targets": small}))
    resp, rep = cxkit.load_survey(_gen_config(tmp_path, weighting={"targets": small,
                                                                    "unit": "total"}))
    assert rep.weighting["units"] == {"region": "total"}
    assert resp["weight"].sum() == pytest.approx(57)
    with pytest.raises(ConfigError, match="weighting.unit"):
        cxkit.read_config(_gen_config(tmp_path, weighting={"targets": small, "unit": "pct"}))


# ------------------------------------------------------------------ targets from a CSV
def test_config_targets_csv_relative_to_config(tmp_path):
    (tmp_path / "targets").mkdir()
    (tmp_path / "targets" / "market.csv").write_text(
        "\ufeffvariable,category,target\n"        # a BOM (Excel's UTF-8 CSV) is fine
        "region,North,0.30\nregion,South,0.45\nregion,East,0.25\n\n"
        "age,18-34,20%\nage,35-54,50%\nage,55+,30%\n")
    resp, rep = cxkit.load_survey(_gen_config(tmp_path, frame=_blanked(), design=DESIGN,
                                              weighting={"targets": "targets/market.csv"}))
    assert rep.weighting["source"] == str((tmp_path / "targets" / "market.csv").resolve())
    np.testing.assert_allclose(resp["weight"].to_numpy()[:12], R.KEPT_RAKE_WEIGHTS_FIRST, rtol=1e-6)


@pytest.mark.parametrize("text, match", [
    ("variable,category,target\nregion,North,30\nregion,South,lots\n",
     r"market.csv' row 3: the target 'lots' for region = 'South' is not a number"),
    ("variable,category,target\nregion,North,30\nregion,South,-70\n",
     r"market.csv' row 3: the target '-70' .* must be a positive number"),
    ("variable,category,target\nregion,North,30\nregion,South,35,35\n",
     r"market.csv' row 3: 4 field\(s\) where the header has 3"),
    ("variable,category,target\nregion,North,30\nregion,,70\n",
     r"market.csv' row 3: the 'category' is blank"),
    ("variable,category,target\nregion,North,30\n\nregion,North,70\n",
     r"market.csv' row 4: region = 'North' is listed twice"),
    ("variable,cat,target\nregion,North,30\n", r"market.csv' has no column\(s\) \['category'\]"),
    ("", r"market.csv' is empty"),
    ("variable,category,target\nregion,North,30\nregion,South,60\nregion,East,0.5\n",
     r"weighting.targets.region.*sum to 90\.5.*market.csv"),
])
def test_config_bad_targets_csv(tmp_path, text, match):
    (tmp_path / "market.csv").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=match):
        cxkit.read_config(_gen_config(tmp_path, weighting={"targets": "market.csv"}))


def test_config_targets_csv_not_utf8_or_missing(tmp_path):
    (tmp_path / "market.csv").write_bytes(b"variable,category,target\nregion,Nord\xe9,30\n")
    with pytest.raises(ConfigError, match=r"market.csv' is not UTF-8"):
        cxkit.read_config(_gen_config(tmp_path, weighting={"targets": "market.csv"}))
    with pytest.raises(ConfigError, match=r"nope.csv' does not exist"):
        cxkit.read_config(_gen_config(tmp_path, weighting={"targets": "nope.csv"}))


def test_read_targets_rows(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text('variable,category,target\nregion,"North, upper",30\nregion,South,70\n')
    assert cxkit.read_targets(p) == {"region": {"North, upper": 30.0, "South": 70.0}}
    p.write_text("variable,category,target\nregion,North,inf\n")
    with pytest.raises(SurveyDataError) as ei:
        cxkit.read_targets(p)
    assert ei.value.rows == [2] and ei.value.path == str(p)


# ------------------------------------------------------------------ SFO 2018 from a config
def test_sfo_config_raked_and_stratified_matches_r(tmp_path, realdata):
    src = realdata / "sfo_customer_survey" / "2018_SFO_Customer_Survey.csv"
    d = {"survey": "SFO 2018", "sources": [{"path": str(src), "format": "csv"}],
         "respondent_id": "RESPNUM", "weight": "WEIGHT",
         "segments": {"boarding_area": "BAREA",
                      "time_of_day": {"column": "STRATA", "labels": {1: "AM", 2: "Midday",
                                                                      3: "PM"}}},
         "scores": {"nps": {"column": "NETPRO", "metric": "nps", "scale": [0, 10],
                            "missing": [11]}},
         "weighting": {"targets": {
             "BAREA": dict(zip("ABCDEFG", [0.25, 0.08, 0.08, 0.17, 0.07, 0.15, 0.20])),
             "time_of_day": {"AM": 30, "Midday": 35, "PM": 35}}, "tol": 1e-11, "max_iter": 1000},
         "design": {"strata": "STRATA"}}
    p = tmp_path / "sfo18.yaml"
    p.write_text(yaml.safe_dump(d))
    resp, rep = cxkit.load_survey(p)
    assert len(resp) == R.SFO18_N
    assert rep.excluded("missing raking variable") == 0
    assert rep.weighting["units"] == {"boarding_area": "fraction", "time_of_day": "percent"}
    np.testing.assert_allclose(resp["weight"].to_numpy()[:10], R.SFO18_CFG_RAKE_FIRST, rtol=1e-6)
    assert rep.weighting["n_eff"] == pytest.approx(R.SFO18_CFG_RAKE_NEFF, rel=1e-6)
    e = cxkit.design_summary(resp, "nps").iloc[0]
    assert e["value"] == pytest.approx(R.SFO18_CFG_X_MEAN, rel=1e-8)
    assert e["se"] == pytest.approx(R.SFO18_CFG_X_SE, rel=1e-6)
    assert e["df"] == R.SFO18_CFG_DEGF
    t = cxkit.design_summary(resp, "nps", by="boarding_area").set_index("boarding_area")
    lv = R.SFO18_CFG_BAREA_LEVELS
    assert t.loc[lv, "value"].to_numpy() == pytest.approx(R.SFO18_CFG_BAREA_MEAN, rel=1e-8)
    assert t.loc[lv, "se"].to_numpy() == pytest.approx(R.SFO18_CFG_BAREA_SE, rel=1e-6)


def test_long_form_missing_raking_variable_counts_source_rows(tmp_path):
    fix = Path(__file__).parent / "fixtures" / "relationship_long.csv"
    g = pd.read_csv(fix, dtype=str)
    g.loc[g["respondent_id"] == "R2", "region"] = ""       # all of R2's rows (rows 4-6)
    g.to_csv(tmp_path / "long.csv", index=False)
    d = {"sources": [str(tmp_path / "long.csv")], "respondent_id": "respondent_id",
         "date": "date", "period": "month", "weight": "weight", "segments": {"region": "region"},
         "relationship": {"form": "long", "brand_column": "brand", "score_column": "ltr",
                          "brands": ["Acme", "Brightline", "Corvo"], "own": "Acme",
                          "metric": "nps", "missing": [11]},
         "on_invalid": "exclude",
         "weighting": {"targets": {"region": {"North": 50, "East": 50}}}}
    resp, rep = cxkit.load_survey(cxkit.config_from_dict(d))
    assert resp["respondent_id"].tolist() == ["R1", "R4"]
    got = {(e.reason, e.column): (e.count, e.rows) for e in rep.exclusions.itertuples()}
    assert got[("missing raking variable", "region")] == (3, [4])   # 3 source rows, first row 4
    f = rep.files.iloc[0]
    assert f["rows_kept"] + f["rows_excluded"] == f["rows_read"] == 8
    # R1 (North, base 1.0) and R4 (East, base 1.0) raked to 50/50 of their base total 2
    assert resp["weight"].tolist() == pytest.approx([1.0, 1.0])


def test_rake_reads_codes_and_categoricals_as_the_loader():
    # numeric codes with a NaN (a float column) match targets named "1", "2"; a categorical
    # with a blank category: blank rows are missing
    df = pd.DataFrame({"r": [1, 2, 2, np.nan],
                       "c": pd.Categorical(["x", " ", "y", "x"], categories=["x", " ", "y"])})
    r = cxkit.rake(df, {"r": {"1": 50, "2": 50}, "c": {"x": 50, "y": 50}}, on_missing="exclude")
    assert r.excluded == 2 and r.excluded_rows == (1, 3)
    # rows 0 (r=1, x) and 2 (r=2, y): both margins met with weight 1 each
    assert r.weights.tolist()[0] == pytest.approx(1) and r.weights.tolist()[2] == pytest.approx(1)
