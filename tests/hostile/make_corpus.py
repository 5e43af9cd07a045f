"""A hostile input corpus, generated at test time into a temporary folder (issue 16.7).

Each :class:`Case` is one hostile input (a file, or a config) and the promise it checks:

* ``error``: a cxkit error (``SurveyDataError`` / ``ConfigError``) whose message contains the
  listed parts (file or option, rows, the fix), never a traceback from pandas, csv, openpyxl,
  yaml or the OS;
* ``load``: the file loads, with the exact row accounting given (rows read — counted by the
  corpus from what it wrote, not by cxkit — rows kept, exclusions by reason), and an optional
  ``check(responses, report)`` of values (no shift, ids exact, masked values …).

Classes covered (issue 16): field counts (1), dates (1), weights (1), ids (1), Excel merged
cells / formulas / damaged XML (1, 5), UTF-16 (1), PII in quoted values (3), long fields,
line endings, encodings and config types (5), YAML alias bombs (6).  Kill / concurrency cases
of the report runner belong to ``tests/test_runner*.py``; :data:`CASES` is a plain list that
other corpora can extend.

Run ``python tests/hostile/make_corpus.py OUTDIR`` to write the files for inspection.
"""

from __future__ import annotations

import codecs
import datetime as dt
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

HEADER = "id,date,weight,seg,nps,comment"
BASE = {"survey": "hostile", "respondent_id": "id", "date": "date", "period": "month",
        "weight": "weight", "segments": {"seg": "seg"},
        "scores": {"nps": {"column": "nps", "metric": "nps"}}, "text": ["comment"]}
EXCLUDE = {"on_invalid": "exclude"}


@dataclass
class Case:
    """One hostile input and its expected outcome (see the module docstring)."""

    name: str
    cls: str                       # issue class: "16.1 fields", "16.3 pii", …
    files: dict                    # {file name: bytes or callable(path)}
    config: dict = field(default_factory=dict)   # overrides of BASE (None removes a key)
    error: list | None = None      # expected message parts (an error case)
    error_type: str = "SurveyDataError"
    rows: list | None = None       # expected err.rows
    read: int | None = None        # data rows in the file (counted here)
    kept: int | None = None
    excluded: dict = field(default_factory=dict)  # {reason: count}
    notes: list = field(default_factory=list)     # parts expected in report.notes
    check: Callable | None = None  # check(responses, report) -> None (asserts)
    yaml: str | None = None        # a config file's text instead of BASE (config cases)


def csv_bytes(*rows, header=HEADER, eol="\n", end=True) -> bytes:
    text = eol.join([header, *rows]) + (eol if end else "")
    return text.encode("utf-8")


def good(i, *, date="2026-10-05", weight="1", seg="web", nps="9", comment="ok", rid=None):
    return f"{rid if rid is not None else i},{date},{weight},{seg},{nps},{comment}"


GOOD = [good(i) for i in range(1, 6)]


def _nps(values):
    def check(resp, report):
        assert resp["nps"].tolist() == values, resp["nps"].tolist()
    return check


def _ids(values):
    def check(resp, report):
        assert resp["respondent_id"].tolist() == values, resp["respondent_id"].tolist()
    return check


def _masked(*secrets):
    """The excluded values are quoted in the LoadReport, masked, everywhere it shows them."""
    def check(resp, report):
        import json

        shown = [json.dumps(report.to_dict(), ensure_ascii=False), str(report),
                 report._repr_html_(), report.exclusions.to_string(), report.to_frame().to_string()]
        for s in secrets:
            for text in shown:
                assert s not in text, (s, text[:300])
        assert any("[email]" in v or "[number]" in v for vals in report.exclusions["values"]
                   for v in vals), report.exclusions["values"].tolist()
    return check


def _escaped(resp, report):
    html = report._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html, html


# ---------------------------------------------------------------- Excel helpers ------------
def _xlsx(rows, *, merge=None, formula=None):
    def write(path):
        import openpyxl

        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Responses"
        for r in rows:
            ws.append(r)
        if formula:
            ws[formula[0]] = formula[1]
        if merge:
            ws.merge_cells(merge)
        wb.save(path)
    return write


def _damaged_xlsx(path):
    _xlsx([HEADER.split(","), [1, dt.datetime(2026, 10, 5), 1, "web", 9, "ok"]])(path)
    tmp = path.with_suffix(".tmp")
    path.rename(tmp)
    with zipfile.ZipFile(tmp) as zi, zipfile.ZipFile(path, "w") as zo:
        for it in zi.infolist():
            data = zi.read(it)
            if it.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2] + b"<<not xml"
            zo.writestr(it, data)
    tmp.unlink()


def _parquet_dates(path):
    import numpy as np
    import pandas as pd

    d = np.array(["2026-10-05", "9999-12-31", "1500-01-01"], dtype="datetime64[us]")
    pd.DataFrame({"id": ["1", "2", "3"], "date": d, "weight": [1.0] * 3, "seg": ["web"] * 3,
                  "nps": [9, 8, 7], "comment": ["ok"] * 3}).to_parquet(path)


XL_HEADER = HEADER.split(",")
XL_ROW = [dt.datetime(2026, 10, 5), 1, "web", 9, "ok"]

# ---------------------------------------------------------------- the cases ----------------
BIG_UTF16 = [good(i, comment="x" * 60) for i in range(1, 1201)]  # ~ 170 KB in UTF-16
BILLION_LAUGHS = ('a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{c}: &{c} [{','.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    + "survey: *i\nsources: [x.csv]\nscores: {nps: ltr}\n")
MANY_ALIASES = ("sources: [x.csv]\nscores: {nps: &s {column: ltr}}\ntext: ["
                + ", ".join(["*s"] * 150) + "]\n")

CASES = [
    # ---- 16.1 field counts: an error naming the rows, never a shift or silent blanks
    Case("first_row_too_many", "16.1 fields",
         {"f.csv": csv_bytes("1,2026-10-05,1,web,9,great, really", *GOOD[1:])},
         error=["f.csv", "row 2 has 7 fields", "header has 6", "quote values"], rows=[2]),
    Case("middle_row_too_many", "16.1 fields",
         {"f.csv": csv_bytes(*GOOD[:2], "3,2026-10-05,1,web,8,fine, thanks", *GOOD[3:])},
         error=["f.csv", "row 4 has 7 fields", "header has 6"], rows=[4]),
    Case("middle_row_too_few", "16.1 fields",
         {"f.csv": csv_bytes(*GOOD[:2], "3,2026-10-05,1,web", *GOOD[3:])},
         error=["f.csv", "row 4 has 4 fields", "header has 6", "cut or broken"], rows=[4]),
    Case("first_row_too_few", "16.1 fields", {"f.csv": csv_bytes("1,2026-10-05", *GOOD[1:])},
         error=["f.csv", "row 2 has 2 fields"], rows=[2]),
    Case("many_ragged_rows", "16.1 fields",
         {"f.csv": csv_bytes(*[good(i) + ",x" if i % 2 else good(i) for i in range(1, 16)])},
         error=["f.csv", "8 row(s)", "row 2 has 7 fields", "and 3 more rows"],
         rows=[2, 4, 6, 8, 10]),
    Case("header_short_of_a_name", "16.1 fields",
         {"f.csv": csv_bytes(*[g + ",extra" for g in GOOD])},
         error=["f.csv", "header has 6", "lacks a name"]),
    Case("short_row_after_quoted_newlines", "16.1 fields",
         {"f.csv": csv_bytes('1,2026-10-05,1,web,9,"two\nlines, and a comma"',
                             '2,2026-10-05,1,web,8,"a ""quoted"" word"', "3,2026-10-05,1",
                             *GOOD[3:])},
         error=["f.csv", "row 4 has 3 fields"], rows=[4]),
    Case("tsv_short_row", "16.1 fields",
         {"f.tsv": "\n".join([HEADER.replace(",", "\t"),
                              *(g.replace(",", "\t") for g in GOOD[:2]), "3\t2026-10-05",
                              ""]).encode()},
         error=["f.tsv", "row 4 has 2 fields"], rows=[4]),
    Case("quoted_newlines_commas_ok", "16.1 fields",
         {"f.csv": csv_bytes('1,2026-10-05,1,web,9,"one, two\nthree"',
                             '2,2026-10-05,1,web,7,"say ""hi"", ok"', *GOOD[2:])},
         read=5, kept=5, check=_nps([9.0, 7.0, 9.0, 9.0, 9.0])),
    Case("stray_quote_in_unquoted_value", "16.1 fields",
         {"f.csv": csv_bytes('1,2026-10-05,1,web,9,a 5" screen', *GOOD[1:])},
         read=5, kept=5, check=_nps([9.0] * 5)),
    Case("blank_lines_are_empty_rows", "16.1 fields",
         {"f.csv": csv_bytes(GOOD[0], "", GOOD[1], "", "", *GOOD[2:])},
         read=8, kept=5, excluded={"empty row": 3}),
    Case("truncated_last_line", "16.1 fields",
         {"f.csv": csv_bytes(*GOOD, "6,2026-10-05,1,w", end=False)},
         read=6, kept=5, excluded={"truncated row": 1}),
    Case("crlf_with_blank_line", "16.1 fields",
         {"f.csv": csv_bytes(*GOOD[:2], "", *GOOD[2:], eol="\r\n")},
         read=6, kept=5, excluded={"empty row": 1}),
    # ---- 16.1 dates outside the ns range or implausible
    Case("dates_out_of_range_error", "16.1 dates",
         {"f.csv": csv_bytes(good(1), good(2, date="9999-12-31"), good(3, date="1850-03-01"),
                             *GOOD[3:])},
         error=["f.csv", "'date'", "2 dates outside the plausible range", "row 3: '9999-12-31'",
                "row 4: '1850-03-01'", "min:"], rows=[3, 4]),
    Case("dates_out_of_range_excluded", "16.1 dates",
         {"f.csv": csv_bytes(good(1), good(2, date="9999-12-31"), good(3, date="1677-01-01"),
                             good(4, date="2262-04-12"), good(5, date="0024-05-01"),
                             good(6, date="2199-01-01"), good(7))},
         config=EXCLUDE, read=7, kept=2, excluded={"date out of range": 5},
         check=lambda r, rep: (
             r["period"].astype(str).tolist() == ["2026-10"] * 2 or
             (_ for _ in ()).throw(AssertionError(r["period"].tolist())))),
    Case("date_min_widened", "16.1 dates",
         {"f.csv": csv_bytes(good(1, date="1850-03-01"), *GOOD[1:])},
         config={"date": {"column": "date", "min": "1800-01-01"}}, read=5, kept=5),
    Case("excel_serial_and_cell_far_future", "16.1 dates",
         {"f.xlsx": _xlsx([XL_HEADER, [1, *XL_ROW], [2, 150000, 1, "web", 8, "ok"],
                           [3, dt.datetime(9999, 12, 31), 1, "web", 7, "ok"],
                           [4, 45000, 1, "web", 6, "ok"]])},
         config={**EXCLUDE, "date": {"column": "date", "max": "2030-12-31"}}, read=4, kept=2,
         excluded={"date out of range": 2}, check=_nps([9.0, 6.0])),
    Case("parquet_datetimes_beyond_ns", "16.1 dates", {"f.parquet": _parquet_dates},
         config=EXCLUDE, read=3, kept=1, excluded={"date out of range": 2}),
    # ---- 16.1 weights: non-finite or absurd
    Case("weights_non_finite_error", "16.1 weights",
         {"f.csv": csv_bytes(good(1, weight="inf"), *GOOD[1:])},
         error=["f.csv", "'weight'", "not (finite) numbers", "row 2: 'inf'"], rows=[2]),
    Case("weights_absurd_excluded", "16.1 weights",
         {"f.csv": csv_bytes(good(1, weight="inf"), good(2, weight="-inf"),
                             good(3, weight="1e300"), good(4, weight="1e-200"),
                             good(5, weight="NaN"), good(6, weight="2.5"))},
         config=EXCLUDE, read=6, kept=1,
         excluded={"weight not a number": 3, "weight out of range": 2},
         check=lambda r, rep: r["weight"].tolist() == [2.5] or (_ for _ in ()).throw(
             AssertionError(r["weight"].tolist()))),
    Case("weights_1e300_error", "16.1 weights",
         {"f.csv": csv_bytes(good(1, weight="1e300"), *GOOD[1:])},
         error=["f.csv", "weights outside 1e-100", "divide the weights by their mean"],
         rows=[2]),
    # ---- 16.1 ids are text, always
    Case("sixteen_digit_ids_with_a_blank", "16.1 ids",
         {"f.csv": csv_bytes(good(1, rid="9999999999999999"), good(2, rid=""),
                             good(3, rid="9999999999999998"), good(4, rid="0000000000000004"))},
         config=EXCLUDE, read=4, kept=3, excluded={"missing respondent id": 1},
         check=_ids(["9999999999999999", "9999999999999998", "0000000000000004"])),
    Case("zero_padded_id_late_in_file", "16.1 ids",
         {"f.csv": csv_bytes(*[good(i) for i in range(100, 2600)], good(0, rid="0100"))},
         read=2501, kept=2501,
         check=lambda r, rep: r["respondent_id"].iloc[-1] == "0100" or (_ for _ in ()).throw(
             AssertionError(r["respondent_id"].iloc[-1]))),
    # ---- 16.1 / 16.5 Excel
    Case("excel_merged_segment", "16.1 excel",
         {"f.xlsx": _xlsx([XL_HEADER, [1, *XL_ROW], [2, *XL_ROW], [3, *XL_ROW]],
                          merge="D2:D4")},
         error=["f.xlsx", "'seg'", "cells D2:D4 are merged", "rows 3, 4", "Unmerge"],
         rows=[3, 4]),
    Case("excel_merged_comment_note", "16.1 excel",
         {"f.xlsx": _xlsx([XL_HEADER, [1, *XL_ROW], [2, *XL_ROW], [3, *XL_ROW]],
                          merge="F2:F3")},
         read=3, kept=3, notes=["merged cells F2:F3", "Unmerge"]),
    Case("excel_formula_without_value", "16.1 excel",
         {"f.xlsx": _xlsx([XL_HEADER, [1, *XL_ROW], [2, *XL_ROW]], formula=("E3", "=E2-1"))},
         error=["f.xlsx", "'nps'", "formula without a stored result", "rows 3", "save it"],
         rows=[3]),
    Case("excel_formula_elsewhere_note", "16.1 excel",
         {"f.xlsx": _xlsx([XL_HEADER + ["calc"], [1, *XL_ROW, 1], [2, *XL_ROW, 2]],
                          formula=("G3", "=G2+1"))},
         read=2, kept=2, notes=["formula without a stored result", "G3"]),
    Case("excel_damaged_sheet_xml", "16.5 excel", {"f.xlsx": _damaged_xlsx},
         error=["f.xlsx", "damaged", "save it again"]),
    # ---- 16.1 UTF-16 (BE beyond 64 KB decodes to the end)
    Case("utf16_be_large", "16.1 encoding",
         {"f.csv": codecs.BOM_UTF16_BE + csv_bytes(*BIG_UTF16).decode().encode("utf-16-be")},
         read=1200, kept=1200,
         check=lambda r, rep: r["respondent_id"].iloc[-1] == "1200" or (_ for _ in ()).throw(
             AssertionError(r["respondent_id"].iloc[-1]))),
    Case("utf16_le_large", "16.1 encoding",
         {"f.csv": codecs.BOM_UTF16_LE + csv_bytes(*BIG_UTF16).decode().encode("utf-16-le")},
         read=1200, kept=1200),
    Case("utf16_be_truncated", "16.1 encoding",
         {"f.csv": codecs.BOM_UTF16_BE + csv_bytes(*BIG_UTF16, "1201,2026", end=False
                                                   ).decode().encode("utf-16-be")},
         read=1201, kept=1200, excluded={"truncated row": 1}),
    # ---- 16.3 PII in quoted values: masked at the source
    Case("email_in_score_cell", "16.3 pii",
         {"f.csv": csv_bytes(good(1), good(2, nps="jane.doe@example.com"),
                             good(3, nps="иван@пример.рф"), *GOOD[3:])},
         config=EXCLUDE, read=5, kept=3, excluded={"score not a number": 2},
         check=_masked("jane.doe@example.com", "иван@пример.рф", "пример")),
    Case("email_in_score_cell_error", "16.3 pii",
         {"f.csv": csv_bytes(good(1), good(2, nps="李@例子.中国"), *GOOD[2:])},
         error=["f.csv", "'nps'", "row 3: '[email]'"], rows=[3]),
    Case("iban_in_weight_cell", "16.3 pii",
         {"f.csv": csv_bytes(good(1, weight="GB82WEST12345698765432"), *GOOD[1:])},
         config=EXCLUDE, read=5, kept=4, excluded={"weight not a number": 1},
         check=_masked("GB82WEST12345698765432")),
    Case("email_as_duplicate_id", "16.3 pii",
         {"f.csv": csv_bytes(good(1, rid="a.b@example.org"), good(2, rid="a.b@example.org"))},
         error=["f.csv", "duplicate respondent ids", "'[email]'"]),
    Case("html_in_score_cell_escaped", "16.3 escaped",
         {"f.csv": csv_bytes(good(1), good(2, nps="<script>alert(1)</script>"), *GOOD[2:])},
         config=EXCLUDE, read=5, kept=4, excluded={"score not a number": 1}, check=_escaped),
    # ---- 16.5 long fields, line endings, encodings
    Case("field_over_131072_chars", "16.5 text",
         {"f.csv": csv_bytes(good(1, comment="x" * 200_000), *GOOD[1:])},
         read=5, kept=5, check=lambda r, rep: len(r["comment"].iloc[0]) == 200_000 or (
             _ for _ in ()).throw(AssertionError(len(r["comment"].iloc[0])))),
    Case("cr_only_line_endings", "16.5 text", {"f.csv": csv_bytes(*GOOD, eol="\r")},
         read=5, kept=5, notes=["carriage return only"], check=_nps([9.0] * 5)),
    Case("cr_cr_lf_line_endings", "14.2 text", {"f.csv": csv_bytes(*GOOD, eol="\r\r\n")},
         read=5, kept=5, notes=["\\r\\r\\n"], check=_nps([9.0] * 5)),
    Case("cr_cr_lf_qualtrics_header_rows", "14.2 text",
         {"f.csv": csv_bytes(
             '"Please rate us","When","W","S","How likely?","Why?"',
             '"{""ImportId"":""QID0""}","{""ImportId"":""QID1""}","{""ImportId"":""QID2""}",'
             '"{""ImportId"":""QID3""}","{""ImportId"":""QID4""}","{""ImportId"":""QID5""}"',
             *GOOD, header="ResponseId,RecordedDate,weight,seg,nps,comment", eol="\r\r\n")},
         config={"respondent_id": None, "date": None,
                 "source": {"format": "qualtrics"}},
         read=5, kept=5, check=_nps([9.0] * 5)),
    Case("unknown_encoding_in_config", "16.5 config",
         {"f.csv": csv_bytes(*GOOD)}, config={"source": {"encoding": "utf-9"}},
         error=["sources[0].encoding", "utf-9", "not a text encoding"],
         error_type="ConfigError"),
    # ---- 16.5 config values of the wrong type (every section)
    *[Case(f"config_type_{key.replace('.', '_')}", "16.5 config", {"f.csv": csv_bytes(*GOOD)},
           config=cfg, error=[f"`{key}`", "must be", "Write it as"], error_type="ConfigError")
      for key, cfg in [
          ("date.format", {"date": {"column": "date", "format": 5}}),
          ("text", {"text": 5}),
          ("relationship.brands", {"relationship": {"brands": 5}}),
          ("survey", {"survey": ["a", "b"]}),
          ("period", {"period": ["month"]}),
          ("weight", {"weight": {"column": "weight"}}),
          ("respondent_id", {"respondent_id": 7}),
          ("segments.seg", {"segments": {"seg": 5}}),
          ("segments.seg.labels", {"segments": {"seg": {"column": "seg", "labels": [1, 2]}}}),
          ("scores.nps.scale", {"scores": {"nps": {"column": "nps", "scale": "0-10"}}}),
          ("scores.nps.integer", {"scores": {"nps": {"column": "nps", "integer": "yes"}}}),
          ("scores.nps.missing", {"scores": {"nps": {"column": "nps", "missing": {"a": 1}}}}),
          ("scores.nps.top_box", {"scores": {"nps": {"column": "nps", "top_box": "9,10"}}}),
          ("sources[0].rename", {"source": {"rename": ["a", "b"]}}),
          ("sources[0].sheet", {"source": {"sheet": 1.5}}),
          ("sources[0].id_prefix", {"source": {"id_prefix": ["x"]}}),
          ("exclude_no_score", {"exclude_no_score": "no"}),
          ("on_invalid", {"on_invalid": ["exclude"]}),
          ("date.max", {"date": {"column": "date", "max": 2030}}),
      ]],
    # ---- 16.6 YAML resource bombs
    Case("yaml_billion_laughs", "16.6 yaml", {}, yaml=BILLION_LAUGHS,
         error=["aliases", "billion laughs", "Write the values out"], error_type="ConfigError"),
    Case("yaml_many_aliases", "16.6 yaml", {}, yaml=MANY_ALIASES,
         error=["aliases", "more than 100 times"], error_type="ConfigError"),
]


def build(folder) -> dict:
    """Write every case's files under ``folder/<case name>/``; ``{case name: folder}``."""
    folder = Path(folder)
    out = {}
    for case in CASES:
        d = folder / case.name
        d.mkdir(parents=True, exist_ok=True)
        for name, content in case.files.items():
            p = d / name
            if callable(content):
                content(p)
            else:
                p.write_bytes(content)
        if case.yaml is not None:
            (d / "survey.yaml").write_text(case.yaml, encoding="utf-8")
        out[case.name] = d
    return out


def config_for(case: Case, folder: Path) -> dict:
    """The config dict of a file case: BASE with the case's overrides, its first file."""
    over = dict(case.config)
    source = {"path": str(folder / next(iter(case.files))), **over.pop("source", {})}
    cfg = {**BASE, "sources": [source], **over}
    return {k: v for k, v in cfg.items() if v is not None}


if __name__ == "__main__":
    print(build(sys.argv[1] if len(sys.argv) > 1 else "hostile_corpus"))
