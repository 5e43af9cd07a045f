"""The broken-file corpus: every file either loads with an exact LoadReport or raises a cxkit
error naming file, column, source rows and values and saying what to change.  And nothing is
lost: rows kept + rows excluded = data rows in the file, counted independently of cxkit."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

import cxkit
from cxkit.io.config import config_from_dict
from refs_loading import CORPUS, HEADER_ROWS

BROKEN = Path(__file__).resolve().parent / "fixtures" / "broken"


def corpus_config(file, overrides):
    """The base corpus config (columns of BASE in make_fixtures.py) with ``overrides``
    (a value of None removes the key; ``source`` entries go into the source)."""
    overrides = dict(overrides)
    source = {"path": str(BROKEN / file), **overrides.pop("source", {})}
    d = {"survey": "corpus", "sources": [source], "respondent_id": "id", "date": "date",
         "period": "month", "weight": "weight", "segments": {"channel": "channel"},
         "scores": {"nps": {"column": "nps", "metric": "nps", "missing": [11]},
                    "csat": {"column": "csat", "metric": "csat"}},
         "text": ["comment"]}
    d.update(overrides)
    return config_from_dict({k: v for k, v in d.items() if v is not None})


def data_rows_in_file(path: Path, header_rows: int = 1) -> int:
    """Data rows of a file counted with the csv module / openpyxl (not with cxkit)."""
    if path.suffix == ".xlsx":
        wb = openpyxl.load_workbook(path)
        ws = wb["Responses"] if "Responses" in wb.sheetnames else wb.worksheets[0]
        return ws.max_row - header_rows
    raw = path.read_bytes()
    enc = "cp1252" if path.name == "cp1252.csv" else "utf-8-sig"
    text = raw.decode(enc)
    sep = ";" if path.name == "wrong_delimiter.csv" else ","
    return len(list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))) - header_rows


LOADS = [c for c in CORPUS if "load" in c[3]]
ERRORS = [c for c in CORPUS if "error" in c[3]]


def test_corpus_is_big_enough():
    files = {c[1] for c in CORPUS}
    assert len(files) >= 20
    on_disk = {p.name for p in BROKEN.iterdir()}
    assert files == on_disk, "every fixture has a tested outcome"


@pytest.mark.parametrize("case,file,overrides,expected", LOADS, ids=[c[0] for c in LOADS])
def test_corpus_loads_with_exact_report(case, file, overrides, expected):
    responses, report = cxkit.load_survey(corpus_config(file, overrides))
    exp = expected["load"]
    assert report.rows_read == exp["read"]
    assert report.rows_kept == exp["kept"] == len(responses)
    got = {(e.reason, e.column): e.rows for e in report.exclusions.itertuples()}
    assert got == exp["excluded"]
    # the kept rows are exactly the source rows not excluded
    excluded_rows = {r for rows in exp["excluded"].values() for r in rows}
    first = 1 + HEADER_ROWS.get(file, 1)
    expected_rows = [r for r in range(first, first + exp["read"]) if r not in excluded_rows]
    assert responses["source_row"].tolist() == expected_rows
    if "note" in expected:
        assert any(expected["note"] in n for n in report.notes)
    json.dumps(report.to_dict())  # JSON-safe


@pytest.mark.parametrize("case,file,overrides,expected", ERRORS, ids=[c[0] for c in ERRORS])
def test_corpus_raises_helpful_error(case, file, overrides, expected):
    with pytest.raises(cxkit.SurveyDataError) as info:
        cxkit.load_survey(corpus_config(file, overrides))
    err = info.value
    msg = str(err)
    for part in expected["error"]:
        assert part in msg, f"{part!r} not in message: {msg}"
    assert err.path is not None and Path(err.path).name == file
    assert err.rows == expected["rows"]
    if "column" in expected:
        assert err.column == expected["column"]
    assert "Traceback" not in msg


@pytest.mark.parametrize("case,file,overrides,expected", LOADS, ids=[c[0] for c in LOADS])
def test_nothing_lost(case, file, overrides, expected):
    _, report = cxkit.load_survey(corpus_config(file, overrides))
    n = data_rows_in_file(BROKEN / file, HEADER_ROWS.get(file, 1))
    f = report.files.iloc[0]
    assert f["rows_read"] == n
    assert f["rows_kept"] + report.excluded(file=file) == n
    assert report.to_frame()["count"].sum() == n


def test_loaded_values_of_repaired_files():
    # day-first date parsed with the declared format, "Feb 10 2024" with %b %d %Y
    resp, _ = cxkit.load_survey(corpus_config(
        "mixed_dates.csv", {"date": {"column": "date",
                                     "format": ["ISO8601", "%d/%m/%Y", "%b %d %Y"]}}))
    assert resp["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-01-05", "2024-01-06", "2024-02-03", "2024-02-02", "2024-02-10", "2024-02-11"]
    # Windows-1252 text decoded when declared
    resp, _ = cxkit.load_survey(corpus_config("cp1252.csv", {"source": {"encoding": "cp1252"}}))
    assert resp["comment"].tolist()[3] == "café"
    # BOM and padded header names: columns found, first id intact
    resp, _ = cxkit.load_survey(corpus_config("bom_spaces.csv", {}))
    assert resp["respondent_id"].tolist()[:2] == ["1", "2"]
    # declared text code N/A: blank nps, counted under the missing codes
    _, rep = cxkit.load_survey(corpus_config(
        "score_text.csv", {"on_invalid": "exclude",
                           "scores": {"nps": {"column": "nps", "metric": "nps",
                                              "missing": [11, "N/A"]},
                                      "csat": {"column": "csat", "metric": "csat"}}}))
    m = rep.missing.set_index("score").loc["nps"]
    # kept rows 2, 3 (N/A), 4, 7 (row 6, whose 11 was replaced by 9.5, is excluded)
    assert m["declared"] == 1 and m["codes"] == {"N/A": 1}
