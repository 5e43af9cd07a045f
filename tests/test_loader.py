"""load_survey: the canonical responses table, the LoadReport, vendor defaults, multi-file
surveys and the real SFO passenger survey (expected values computed here with plain pandas)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cxkit
from cxkit.io.config import config_from_dict
from cxkit.core.paths import PROJECT_DIR

FIX = Path(__file__).resolve().parent / "fixtures"
#: BASE of make_fixtures.py: nps per row (11 = declared missing), csat (blank on row 7)
BASE_NPS = [10, 9, 7, 3, math.nan, 8]
BASE_CSAT = [5, 4, 3, 2, 4, math.nan]
BASE_W = [1.0, 0.5, 1.5, 1.0, 2.0, 1.0]


def plain_config(file="plain.csv", **kw):
    d = {"survey": "plain", "sources": [str(FIX / file)], "respondent_id": "id",
         "date": "date", "period": "month", "weight": "weight",
         "segments": {"channel": "channel"},
         "scores": {"nps": {"column": "nps", "metric": "nps", "missing": [11]},
                    "csat": {"column": "csat", "metric": "csat"}},
         "text": ["comment"]}
    d.update(kw)
    return config_from_dict({k: v for k, v in d.items() if v is not None})


def same(a, b):
    return all((math.isnan(x) and math.isnan(y)) or x == y for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("file", ["plain.csv", "plain.parquet", "excel_dates.xlsx"])
def test_canonical_table(file):
    result = cxkit.load_survey(plain_config(file))
    responses, report = result
    assert result.responses is responses and result.report is report
    assert list(responses.columns) == ["respondent_id", "source", "source_row", "date",
                                       "period", "channel", "weight", "nps", "csat", "comment"]
    dt = responses.dtypes
    assert dt["respondent_id"] == "str"
    assert isinstance(dt["source"], pd.CategoricalDtype)
    assert dt["source_row"] == "int64"
    assert pd.api.types.is_datetime64_any_dtype(dt["date"])
    assert dt["period"] == pd.PeriodDtype("M")
    assert isinstance(dt["channel"], pd.CategoricalDtype)
    for c in ("weight", "nps", "csat"):
        assert dt[c] == "float64"
    assert responses["respondent_id"].tolist() == ["1", "2", "3", "4", "5", "6"]
    assert responses["source_row"].tolist() == [2, 3, 4, 5, 6, 7]
    assert same(responses["nps"].tolist(), BASE_NPS)
    assert same(responses["csat"].tolist(), BASE_CSAT)
    assert responses["weight"].tolist() == BASE_W
    assert responses["period"].astype(str).tolist() == ["2024-01"] * 3 + ["2024-02"] * 3
    assert sorted(responses["channel"].cat.categories) == ["app", "phone", "web"]
    meta = responses.attrs["cxkit"]
    assert meta["metrics"] == {"nps": cxkit.metric_spec("nps", name="nps"),
                               "csat": cxkit.metric_spec("csat", name="csat")}
    assert meta["scales"] == {"nps": (0.0, 10.0), "csat": (1.0, 5.0)}
    assert meta["segments"] == ["channel"] and meta["weight"] == "weight"
    assert meta["period"] == "M" and meta["survey"] == "plain"
    assert meta["relationship"] is None
    assert report.rows_read == report.rows_kept == 6
    m = report.missing.set_index("score")
    assert m.loc["nps", "declared"] == 1 and m.loc["nps", "codes"] == {"11": 1}
    assert m.loc["csat", "blank"] == 1 and m.loc["csat", "valid"] == 5


def test_excel_serial_and_text_dates():
    responses, _ = cxkit.load_survey(plain_config("excel_dates.xlsx"))
    # a date cell, serial 45297 (= 2024-01-06), text, serial 45324.5, text, datetime cell
    assert responses["date"].dt.strftime("%Y-%m-%d %H:%M").tolist() == [
        "2024-01-05 00:00", "2024-01-06 00:00", "2024-01-20 00:00", "2024-02-02 12:00",
        "2024-02-10 00:00", "2024-02-11 08:15"]


def test_report_views():
    cfg = plain_config("broken/blank_lines.csv")
    _, report = cxkit.load_survey(cfg)
    d = report.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["rows_read"] == 9 and d["rows_kept"] == 6 and d["rows_excluded"] == 3
    assert d["exclusions"] == [{"file": "blank_lines.csv", "reason": "empty row", "column": "",
                                "count": 3, "rows": [4, 7, 10], "values": []}]
    frame = report.to_frame()
    assert frame["status"].tolist() == ["kept", "excluded"]
    assert frame["count"].tolist() == [6, 3]
    text = str(report)
    assert "9 rows read" in text and "6 kept" in text and "empty row (rows 4, 7, 10)" in text
    html = report._repr_html_()
    assert "<table" in html and "empty row" in html
    assert "rows_read=9" in repr(report)
    assert report.excluded("empty row") == 3 and report.excluded("no valid score") == 0


def test_qualtrics_defaults_and_preview_rows():
    cfg = config_from_dict({"sources": [str(FIX / "qualtrics.csv")], "period": "month",
                            "scores": {"nps": {"column": "Q1", "metric": "nps"},
                                       "csat": {"column": "Q2", "metric": "csat"}},
                            "text": ["Q3_TEXT"]})
    responses, report = cxkit.load_survey(cfg)
    # ResponseId and RecordedDate are used when the config names no id/date
    assert responses["respondent_id"].tolist() == ["R_001abc", "R_002abc", "R_003abc",
                                                   "R_005abc", "R_008abc", "R_009abc"]
    assert responses["date"].iloc[0] == pd.Timestamp("2024-03-01 09:34:00")
    assert report.excluded("survey preview/test") == 3
    assert responses.attrs["cxkit"]["labels"]["nps"].startswith("How likely")


def test_surveymonkey_defaults_us_dates():
    cfg = config_from_dict({"sources": [str(FIX / "surveymonkey.csv")], "period": "month",
                            "scores": {"nps": {"column": "How likely is it that you would "
                                               "recommend us to a friend or colleague?",
                                               "metric": "nps"}}})
    responses, report = cxkit.load_survey(cfg)
    assert responses["respondent_id"].tolist()[:2] == ["114000000001", "114000000002"]
    assert responses["date"].tolist()[:3] == [pd.Timestamp("2024-01-05 10:05:13"),
                                              pd.Timestamp("2024-01-06 14:15:00"),
                                              pd.Timestamp("2024-01-31 23:59:59")]
    # rows 6 and 8 have no nps answer
    assert report.exclusions["rows"].tolist() == [[6, 8]]


def test_spss_user_missing_and_value_labels():
    cfg = plain_config("survey.sav", text=None)
    responses, report = cxkit.load_survey(cfg)
    # cases 4 (99, csat blank) and 7 (98, csat blank) have no valid score
    assert report.exclusions["rows"].tolist() == [[4, 7]]
    assert responses["respondent_id"].tolist() == ["A1", "A2", "A3", "A5", "A6"]
    assert same(responses["nps"].tolist(), [10, math.nan, 7, 3, 9])
    assert responses["channel"].tolist() == ["Web", "App", "Web", "App", "Web"]
    m = report.missing.set_index("score")
    assert m.loc["nps", "codes"] == {"98": 1}
    assert responses.attrs["cxkit"]["labels"]["nps"] == \
        "How likely are you to recommend us? (0-10)"


def test_duplicate_ids_across_files():
    two = [str(FIX / "plain.csv"), str(FIX / "plain.parquet")]
    with pytest.raises(cxkit.SurveyDataError, match="more than one file.*id_prefix"):
        cxkit.load_survey(plain_config(sources=two))
    responses, report = cxkit.load_survey(plain_config(sources=two, on_invalid="exclude"))
    assert len(responses) == 6
    assert report.excluded("duplicate respondent id", file="plain.parquet") == 6
    assert report.files["rows_kept"].tolist() == [6, 0]
    pref = [{"path": two[0], "id_prefix": "a-"}, {"path": two[1], "id_prefix": "b-"}]
    responses, report = cxkit.load_survey(plain_config(sources=pref))
    assert len(responses) == 12
    assert responses["respondent_id"].tolist()[5:7] == ["a-6", "b-1"]
    assert responses["source"].cat.categories.tolist() == ["plain.csv", "plain.parquet"]


def test_fixed_period_rename_labels_and_keep_no_score():
    cfg = plain_config(
        sources=[{"path": str(FIX / "broken/missing_column.csv"), "period": "2024",
                  "rename": {"NPS score": "nps"}}],
        date=None, period="year", exclude_no_score=False,
        segments={"channel": {"column": "channel", "labels": {"web": "Web site"}}})
    responses, report = cxkit.load_survey(cfg)
    assert "date" not in responses.columns
    assert responses["period"].astype(str).tolist() == ["2024"] * 6
    assert responses["channel"].tolist()[:2] == ["Web site", "app"]
    assert report.rows_kept == 6


def test_no_respondent_id_numbers_rows():
    responses, _ = cxkit.load_survey(plain_config(respondent_id=None))
    assert responses["respondent_id"].tolist()[:2] == ["plain.csv:2", "plain.csv:3"]


def test_demo_survey_loads_with_every_row_accounted():
    responses, report = cxkit.load_survey("demo")
    raw = pd.read_csv(cxkit.paths.DATA_DIR / "demo" / "transactional.csv")   # counted independently
    assert report.rows_read == len(raw)
    assert report.rows_kept == int(raw[["ltr", "satisfaction", "effort"]].notna().any(axis=1).sum())
    assert report.rows_kept + report.rows_excluded == report.rows_read
    assert report.rows_kept == len(responses)
    assert set(responses.attrs["cxkit"]["metrics"]) >= {"nps"}


LONG = {"sources": [str(FIX / "relationship_long.csv")], "respondent_id": "respondent_id",
        "date": "date", "period": "month", "weight": "weight", "segments": {"region": "region"},
        "relationship": {"form": "long", "brand_column": "brand", "score_column": "ltr",
                         "brands": ["Acme", "Brightline", "Corvo"], "own": "Acme",
                         "metric": "nps", "missing": [11]}}


def test_long_form_relationship_pivots_and_counts_source_rows():
    # row 9 names brand "Zed": an error by default ...
    with pytest.raises(cxkit.SurveyDataError, match="row 9: 'Zed'") as info:
        cxkit.load_survey(config_from_dict(LONG))
    assert info.value.column == "brand" and info.value.rows == [9]
    # ... or an exclusion; R3's only answer (row 7) is 11 = don't know: no valid score
    responses, report = cxkit.load_survey(config_from_dict({**LONG, "on_invalid": "exclude"}))
    assert responses["respondent_id"].tolist() == ["R1", "R2", "R4"]
    assert responses["source_row"].tolist() == [2, 4, 8]      # first row of each respondent
    assert same(responses["Acme"].tolist(), [9, 10, 6])
    assert same(responses["Brightline"].tolist(), [7, math.nan, math.nan])
    assert same(responses["Corvo"].tolist(), [math.nan, 3, math.nan])
    assert responses["weight"].tolist() == [1.0, 0.5, 1.0]
    assert responses["region"].tolist() == ["North", "South", "East"]
    f = report.files.iloc[0]
    # accounting in source rows: 2 (R1) + 3 (R2) + 1 (R4) kept, rows 7 and 9 excluded
    assert (f["rows_read"], f["rows_kept"], f["rows_excluded"], f["responses"]) == (8, 6, 2, 3)
    got = {(e.reason, e.column): e.rows for e in report.exclusions.itertuples()}
    assert got == {("unknown brand", "brand"): [9], ("no valid score", ""): [7]}
    assert responses.attrs["cxkit"]["relationship"]["own"] == "Acme"


def test_long_form_checks(tmp_path):
    p = tmp_path / "long.csv"
    p.write_text("respondent_id,date,region,weight,brand,ltr\n"
                 "R1,2024-05-01,North,1.0,Acme,9\n"
                 "R1,2024-05-01,North,2.0,Corvo,7\n"
                 "R2,2024-05-01,North,1.0,Acme,5\n"
                 "R2,2024-05-01,North,1.0,Acme,6\n", encoding="utf-8")
    cfg = {**LONG, "sources": [str(p)]}
    with pytest.raises(cxkit.SurveyDataError, match="repeated answers") as info:
        cxkit.load_survey(config_from_dict(cfg))
    assert info.value.rows == [5]
    with pytest.raises(cxkit.SurveyDataError, match="different 'weight' values on rows 2") as info:
        cxkit.load_survey(config_from_dict({**cfg, "on_invalid": "exclude"}))
    assert info.value.rows == [2, 3]


# ----------------------------------------------------------------------------- real data
SFO_CONFIG = PROJECT_DIR / "examples" / "sfo" / "sfo.yaml"
#: (score, column, scale, declared codes) as in examples/sfo/sfo.yaml and the data README
SFO_SCORES = [("nps", "NETPRO", (0, 10), {"11"}), ("csat", "Q7ALL", (1, 5), {"0", "6", "blank"}),
              ("ease_find", "Q14FIND", (1, 5), {"0", "6"})]


def _sfo_expected(path):
    """Row accounting of one SFO file computed with plain pandas (not cxkit)."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw.columns = [c.strip() for c in raw.columns]
    valid_any = np.zeros(len(raw), dtype=bool)
    counts = {}
    for name, col, (lo, hi), codes in SFO_SCORES:
        txt = raw[col].str.strip()
        num = pd.to_numeric(txt, errors="coerce")
        declared = txt.str.lower().isin(codes)
        valid = num.between(lo, hi) & ~declared
        # every cell is valid, declared missing or blank: nothing invalid in the real data
        assert (valid | declared | (txt == "")).all(), col
        counts[name] = (valid, declared, txt == "")
        valid_any |= valid.to_numpy()
    return raw, valid_any, counts


def test_sfo_two_years_by_config_alone(realdata):
    responses, report = cxkit.load_survey(SFO_CONFIG)
    folder = realdata / "sfo_customer_survey"
    assert report.files["file"].tolist() == ["2017_SFO_Customer_Survey.csv",
                                             "2018_SFO_Customer_Survey.csv"]
    for year in (2017, 2018):
        file = f"{year}_SFO_Customer_Survey.csv"
        raw, keep, counts = _sfo_expected(folder / file)
        f = report.files.set_index("file").loc[file]
        assert f["rows_read"] == len(raw)                      # 2,831 and 2,809 (README)
        assert f["rows_kept"] == keep.sum()
        assert report.excluded("no valid score", file=file) == (~keep).sum()
        assert f["rows_kept"] + report.excluded(file=file) == f["rows_read"]
        mine = responses[responses["period"] == pd.Period(str(year), freq="Y")]
        assert len(mine) == keep.sum()
        # weights honoured: the same weights, row for row
        assert np.allclose(mine["weight"].to_numpy(), raw["WEIGHT"].astype(float)[keep])
        miss = report.missing[report.missing["file"] == file].set_index("score")
        for name, (valid, declared, blank) in counts.items():
            assert miss.loc[name, "valid"] == (valid & keep).sum() == mine[name].notna().sum()
            assert miss.loc[name, "declared"] == (declared & keep).sum()
            assert miss.loc[name, "blank"] == (blank & keep).sum()
    assert report.rows_read == 2831 + 2809
    assert responses["respondent_id"].is_unique
    assert responses["method"].cat.categories.tolist() == ["At gate", "Mail-in", "Online"]


def test_dates_with_utc_offsets_become_utc(tmp_path):
    p = tmp_path / "tz.csv"
    p.write_text("id,date,nps\n1,2024-01-05T10:00:00+02:00,9\n2,2024-01-31T22:00:00-05:00,7\n"
                 "3,2024-01-06,3\n", encoding="utf-8")
    cfg = config_from_dict({"sources": [str(p)], "respondent_id": "id", "date": "date",
                            "period": "month", "scores": {"nps": "nps"}})
    responses, _ = cxkit.load_survey(cfg)
    # 10:00+02:00 = 08:00 UTC; 22:00-05:00 on Jan 31 = 03:00 UTC on Feb 1 (period 2024-02)
    assert responses["date"].dt.strftime("%Y-%m-%d %H:%M").tolist() == [
        "2024-01-05 08:00", "2024-02-01 03:00", "2024-01-06 00:00"]
    assert responses["period"].astype(str).tolist() == ["2024-01", "2024-02", "2024-01"]


def test_excel_1904_date_system(tmp_path):
    import datetime as dt

    import openpyxl
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.append(["id", "date", "nps"])
    ws.append([1, 43830, 9])          # a serial number typed into a 1904-system workbook
    ws.append([2, dt.datetime(2024, 3, 5), 7])
    p = tmp_path / "mac.xlsx"
    wb.save(p)
    cfg = config_from_dict({"sources": [str(p)], "respondent_id": "id", "date": "date",
                            "scores": {"nps": "nps"}})
    responses, _ = cxkit.load_survey(cfg)
    assert responses["date"].tolist() == [pd.Timestamp(dt.datetime(1904, 1, 1)
                                                       + dt.timedelta(days=43830)),
                                          pd.Timestamp("2024-03-05")]


def test_load_survey_accepts_a_dict_and_reports_compare_by_identity():
    d = {"sources": [str(FIX / "plain.csv")], "respondent_id": "id",
         "scores": {"nps": {"column": "nps", "missing": [11]}}}
    responses, report = cxkit.load_survey(d)
    assert len(responses) == 5 and report.excluded("no valid score") == 1  # row 6: nps 11
    assert report != cxkit.load_survey(d).report
