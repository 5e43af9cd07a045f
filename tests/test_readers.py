"""Raw export readers (cxkit.read_export): layouts, header detection, names, row numbers.

Expected values come from the fixture definitions in tests/fixtures/make_fixtures.py
(Q_FIELDS, Q_TEXT, Q_ROWS, SM_ROW1/SM_ROW2, spss_sav)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

import cxkit
from cxkit.io.readers import detect_format, read_export, source_rows

FIX = Path(__file__).resolve().parent / "fixtures"
Q_FIELDS = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)",
            "Finished", "RecordedDate", "ResponseId", "DistributionChannel", "UserLanguage",
            "Q1", "Q2", "Q3_TEXT"]
Q2_TEXT = "Overall, how satisfied were you?\n(1 = very dissatisfied, 5 = very satisfied)"
Q1_VALUES = [10, 9, 6, 10, None, 0, 5, 8, 7]


def test_plain_csv():
    df = read_export(FIX / "plain.csv")
    assert list(df.columns) == ["id", "date", "channel", "nps", "csat", "weight", "comment"]
    assert len(df) == 6
    assert df.attrs["layout"] == "plain" and df.attrs["format"] == "csv"
    assert df.attrs["first_row"] == 2
    assert source_rows(df).tolist() == [2, 3, 4, 5, 6, 7]
    assert df["comment"].tolist()[2] == "slow, but ok"


@pytest.mark.parametrize("file,fmt,first_row", [
    ("qualtrics.csv", "csv", 4),            # ids, question texts, ImportId JSON
    ("qualtrics_numeric.tsv", "tsv", 4),    # UTF-16 tab-separated, numeric Status codes
    ("qualtrics_resaved.xlsx", "excel", 5),  # Excel re-save gained a blank fourth header row
])
def test_qualtrics_layouts(file, fmt, first_row):
    df = read_export(FIX / file)
    assert df.attrs["layout"] == "qualtrics"
    assert df.attrs["format"] == fmt
    assert df.attrs["first_row"] == first_row
    assert list(df.columns) == Q_FIELDS
    assert len(df) == 9
    labels = df.attrs["labels"]
    assert labels["Q1"] == "How likely are you to recommend us to a friend or colleague?"
    assert labels["Q2"] == Q2_TEXT                    # comma and newline inside the text
    assert labels["ResponseId"] == "Response ID"
    got = [None if np.isnan(v) else int(v) for v in df["Q1"].astype(float)]
    assert got == Q1_VALUES
    assert df["ResponseId"].tolist()[0] == "R_001abc"
    assert df["Q3_TEXT"].tolist()[2] == "Too slow,\nand rude"
    assert df.attrs["notes"] == []


def test_qualtrics_status_codes():
    text = read_export(FIX / "qualtrics.csv")["Status"].tolist()
    codes = read_export(FIX / "qualtrics_numeric.tsv")["Status"].tolist()
    assert text[3] == "Survey Preview" and text[6] == "Survey Test"
    assert codes == [0, 0, 0, 1, 0, 0, 2, 0, 0]


def test_qualtrics_damaged_json_row_is_skipped_with_note():
    df = read_export(FIX / "broken" / "qualtrics_damaged_json.csv")
    assert df.attrs["first_row"] == 4 and len(df) == 9
    (note,) = df.attrs["notes"]
    assert "header row 3" in note and "column(s) L" in note and "M 'ImportId: QID2}'" in note


def test_forced_qualtrics_format_on_plain_file_still_reads():
    df = read_export(FIX / "qualtrics.csv", format="qualtrics")
    assert df.attrs["first_row"] == 4


SM_NAMES = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
            "Email Address", "First Name", "Last Name", "Custom Data 1",
            "How likely is it that you would recommend us to a friend or colleague?",
            "How satisfied are you with our support?",
            "Which features do you use? - Reports", "Which features do you use? - Alerts",
            "Which features do you use? - Other (please specify)", "Any other comments?"]


@pytest.mark.parametrize("file", ["surveymonkey.csv", "surveymonkey.xlsx"])
def test_surveymonkey_names(file):
    df = read_export(FIX / file)
    assert df.attrs["layout"] == "surveymonkey"
    assert list(df.columns) == SM_NAMES
    assert df.attrs["first_row"] == 3 and len(df) == 6
    assert df.attrs["labels"]["Which features do you use? - Alerts"] == \
        "Which features do you use?"
    assert int(df["Respondent ID"].iloc[0]) == 114000000001


def test_surveymonkey_blank_second_row():
    df = read_export(FIX / "broken" / "surveymonkey_blank_header.csv")
    assert list(df.columns)[11:14] == ["Which features do you use?",
                                       "Which features do you use? (2)",
                                       "Which features do you use? (3)"]
    assert df.attrs["duplicate_columns"] == {"Which features do you use?": ["L", "M", "N"]}
    assert "blank" in df.attrs["notes"][0]


def test_spss_labels_and_user_missing():
    df = read_export(FIX / "survey.sav")
    assert df.attrs["layout"] == "spss" and df.attrs["first_row"] == 1
    assert list(df.columns) == ["id", "date", "channel", "nps", "csat", "weight"]
    assert df.attrs["labels"]["nps"] == "How likely are you to recommend us? (0-10)"
    assert df.attrs["value_labels"]["channel"] == {1.0: "Web", 2.0: "App", 3.0: "Phone"}
    ranges = df.attrs["missing_ranges"]["nps"]
    assert sorted(ranges) == [(98.0, 98.0), (99.0, 99.0)]
    # user-missing values are kept as numbers (the loader treats them as declared missing)
    assert df["nps"].tolist() == [10.0, 98.0, 7.0, 99.0, 3.0, 9.0, 98.0]
    assert df["date"].iloc[0] == dt.datetime(2024, 1, 3)


def test_parquet():
    df = read_export(FIX / "plain.parquet")
    assert df.attrs["format"] == "parquet" and df.attrs["first_row"] == 2
    assert df["id"].tolist() == ["1", "2", "3", "4", "5", "6"]


def test_excel_sheet_option():
    path = FIX / "broken" / "data_on_second_sheet.xlsx"
    df = read_export(path, sheet="Responses")
    assert len(df) == 6 and df.attrs["sheet"] == "Responses"
    assert df.attrs["sheets"] == ["Notes", "Responses"]
    assert len(read_export(path, sheet=1)) == 6
    with pytest.raises(cxkit.SurveyDataError, match=r"no sheet 'Data'.*\['Notes', 'Responses'\]"):
        read_export(path, sheet="Data")


def test_detect_format_by_content():
    assert detect_format(FIX / "plain.parquet") == "parquet"
    assert detect_format(FIX / "survey.sav") == "spss"
    assert detect_format(FIX / "surveymonkey.xlsx") == "excel"
    assert detect_format(FIX / "qualtrics_numeric.tsv") == "tsv"
    assert detect_format(FIX / "broken" / "really_csv.sav") == "csv"


def test_format_mismatch_and_missing_file(tmp_path):
    with pytest.raises(cxkit.SurveyDataError, match="content is a parquet file"):
        read_export(FIX / "plain.parquet", format="csv")
    with pytest.raises(cxkit.SurveyDataError, match="file not found"):
        read_export(tmp_path / "nope.csv")
    with pytest.raises(ValueError, match="`format`"):
        read_export(FIX / "plain.csv", format="xls")


def test_leading_zero_ids_kept_as_text(tmp_path):
    p = tmp_path / "ids.csv"
    p.write_text("id,nps\n007,9\n010,3\n123,5\n", encoding="utf-8")
    df = read_export(p, dtype={"id": str})
    assert df["id"].tolist() == ["007", "010", "123"]


def test_zero_padded_ids_found_beyond_the_first_rows(tmp_path):
    p = tmp_path / "ids2.csv"
    p.write_text("id,nps\n" + "".join(f"{i},5\n" for i in range(1, 300)) + "0042,7\n",
                 encoding="utf-8")
    assert read_export(p, dtype={"id": str})["id"].tolist()[-2:] == ["299", "0042"]


def test_blank_header_names_and_duplicates(tmp_path):
    p = tmp_path / "h.csv"
    p.write_text("a,,a, b \n1,2,3,4\n", encoding="utf-8")
    df = read_export(p)
    assert list(df.columns) == ["a", "column B", "a (2)", "b"]
    assert df.attrs["duplicate_columns"] == {"a": ["A", "C"]}
