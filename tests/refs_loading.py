"""Expected outcomes of the broken-file corpus (tests/fixtures/broken/), worked out by hand from
the defects planted by tests/fixtures/make_fixtures.py (see the comments there).

Each case: (case id, file, config overrides, expected).  ``expected`` is either
``{"load": {...}}`` — rows read/kept and the exact exclusions ``{(reason, column): rows}`` — or
``{"error": [message parts], "column": ..., "rows": [...]}`` for a cxkit error.

The base survey (BASE in make_fixtures.py) has 6 data rows on source rows 2-7; row 6 has
nps 11 (a declared missing code), row 7 a blank csat.
"""

QUALTRICS_SCORES = {"nps": {"column": "Q1", "metric": "nps"},
                    "csat": {"column": "Q2", "metric": "csat"}}
SM_NPS = "How likely is it that you would recommend us to a friend or colleague?"
SM_CSAT = "How satisfied are you with our support?"

NO_WEIGHT = {"weight": None}
EXCLUDE = {"on_invalid": "exclude"}

CORPUS = [
    # ---------------------------------------------------------------- files that load
    ("bom_spaces", "bom_spaces.csv", {}, {"load": {"read": 6, "kept": 6, "excluded": {}}}),
    ("truncated_last_line", "truncated_last_line.csv", {},
     {"load": {"read": 6, "kept": 5, "excluded": {("truncated row", ""): [7]}}}),
    ("blank_lines", "blank_lines.csv", {},
     {"load": {"read": 9, "kept": 6, "excluded": {("empty row", ""): [4, 7, 10]}}}),
    ("all_empty_score", "all_empty_score.csv", {},
     # row 6: nps 11 (declared missing) and csat blank -> no valid score
     {"load": {"read": 6, "kept": 5, "excluded": {("no valid score", ""): [6]}}}),
    ("no_valid_score", "no_valid_score.csv", {},
     {"load": {"read": 6, "kept": 4, "excluded": {("no valid score", ""): [3, 6]}}}),
    ("cp1252_declared", "cp1252.csv", {"source": {"encoding": "cp1252"}},
     {"load": {"read": 6, "kept": 6, "excluded": {}}}),
    ("wrong_delimiter_auto", "wrong_delimiter.csv", {"source": {"format": "auto"}},
     {"load": {"read": 6, "kept": 6, "excluded": {}}}),
    ("really_csv_auto", "really_csv.sav", {"source": {"format": "auto"}},
     {"load": {"read": 6, "kept": 6, "excluded": {}}}),
    ("second_sheet_named", "data_on_second_sheet.xlsx", {"source": {"sheet": "Responses"}},
     {"load": {"read": 6, "kept": 6, "excluded": {}}}),
    ("mixed_dates_formats", "mixed_dates.csv",
     {"date": {"column": "date", "format": ["ISO8601", "%d/%m/%Y", "%b %d %Y"]}},
     {"load": {"read": 6, "kept": 6, "excluded": {}}}),
    ("score_text_exclude", "score_text.csv",
     {**EXCLUDE, "scores": {"nps": {"column": "nps", "metric": "nps", "missing": [11, "N/A"]},
                            "csat": {"column": "csat", "metric": "csat"}}},
     # N/A (row 3) is declared missing; "ten" (row 5) and 9.5 (row 6) are excluded
     {"load": {"read": 6, "kept": 4,
               "excluded": {("score not a number", "nps"): [5],
                            ("score not a whole number", "nps"): [6]}}}),
    ("score_out_of_scale_exclude", "score_out_of_scale.csv", EXCLUDE,
     {"load": {"read": 6, "kept": 3,
               "excluded": {("score outside scale", "nps"): [4, 7],
                            ("score outside scale", "csat"): [2]}}}),
    ("duplicate_ids_exclude", "duplicate_ids.csv", EXCLUDE,
     {"load": {"read": 6, "kept": 4,
               "excluded": {("duplicate respondent id", "id"): [5, 7]}}}),
    ("negative_weights_exclude", "negative_weights.csv", EXCLUDE,
     {"load": {"read": 6, "kept": 4,
               "excluded": {("non-positive weight", "weight"): [3, 6]}}}),
    ("missing_weights_exclude", "missing_weights.csv", EXCLUDE,
     {"load": {"read": 6, "kept": 4, "excluded": {("missing weight", "weight"): [4, 5]}}}),
    ("missing_date_and_id_exclude", "missing_date_and_id.csv", EXCLUDE,
     {"load": {"read": 6, "kept": 4,
               "excluded": {("missing respondent id", "id"): [6],
                            ("missing date", "date"): [5]}}}),
    ("qualtrics_damaged_json", "qualtrics_damaged_json.csv",
     {"respondent_id": None, "date": None, "weight": None, "segments": {}, "text": [],
      "scores": QUALTRICS_SCORES},
     # data rows 4-12; Survey Preview row 7, Survey Test row 10, channel "test" row 9
     {"load": {"read": 9, "kept": 6,
               "excluded": {("survey preview/test", "Status"): [7, 10],
                            ("survey preview/test", "DistributionChannel"): [9]}},
      "note": "damaged"}),
    ("surveymonkey_blank_header", "surveymonkey_blank_header.csv",
     {"respondent_id": None, "date": None, "weight": None, "segments": {}, "text": [],
      "scores": {"nps": {"column": SM_NPS, "metric": "nps"},
                 "csat": {"column": SM_CSAT, "metric": "csat"}}},
     # data rows 3-8; row 8 has neither score
     {"load": {"read": 6, "kept": 5, "excluded": {("no valid score", ""): [8]}},
      "note": "blank"}),
    # ---------------------------------------------------------------- files that raise
    ("wrong_delimiter_csv", "wrong_delimiter.csv", {"source": {"format": "csv"}},
     {"error": ["wrong_delimiter.csv", "delimited by ';'", "delimiter"], "rows": []}),
    ("ragged_rows", "ragged_rows.csv", {},
     {"error": ["ragged_rows.csv", "row 4 has 8 fields", "header has 7"], "rows": [4]}),
    ("mixed_encoding", "mixed_encoding.csv", {},
     {"error": ["mixed_encoding.csv", "row 5", "0xe9", "encoding: cp1252"], "rows": [5]}),
    ("cp1252_undeclared", "cp1252.csv", {},
     {"error": ["cp1252.csv", "row 5", "encoding: cp1252"], "rows": [5]}),
    ("duplicate_columns", "duplicate_columns.csv", NO_WEIGHT,
     {"error": ["duplicate_columns.csv", "'nps'", "2 times", "columns D, F"], "column": "nps",
      "rows": []}),
    ("score_text", "score_text.csv", {},
     {"error": ["score_text.csv", "column 'nps'", "row 3: 'N/A'", "row 5: 'ten'",
                "scores.nps.missing", "on_invalid: exclude"], "column": "nps", "rows": [3, 5]}),
    ("score_out_of_scale", "score_out_of_scale.csv", {},
     {"error": ["score_out_of_scale.csv", "column 'nps'", "row 4: '12'", "row 7: '-1'",
                "scale 0–10", "scores.nps.missing"], "column": "nps", "rows": [4, 7]}),
    ("all_empty_file", "empty.csv", {}, {"error": ["empty.csv", "empty"], "rows": []}),
    ("header_only", "header_only.csv", {},
     {"error": ["header_only.csv", "no data rows"], "rows": []}),
    ("mixed_dates", "mixed_dates.csv", {},
     {"error": ["mixed_dates.csv", "column 'date'", "row 4: '03/02/2024'",
                "row 6: 'Feb 10 2024'", "format"], "column": "date", "rows": [4, 6]}),
    ("duplicate_ids", "duplicate_ids.csv", {},
     {"error": ["duplicate_ids.csv", "column 'id'", "'2' on rows 3, 5", "'1' on rows 2, 7",
                "on_invalid: exclude"], "column": "id", "rows": [5, 7]}),
    ("negative_weights", "negative_weights.csv", {},
     {"error": ["negative_weights.csv", "column 'weight'", "row 3: '-1'", "row 6: '0'"],
      "column": "weight", "rows": [3, 6]}),
    ("missing_weights", "missing_weights.csv", {},
     {"error": ["missing_weights.csv", "column 'weight'", "2 blank weights", "row 4: ''",
                "row 5: ''"], "column": "weight", "rows": [4, 5]}),
    ("missing_column", "missing_column.csv", {},
     {"error": ["missing_column.csv", "column 'nps'", "not found", "'NPS score'",
                "rename"], "column": "nps", "rows": []}),
    ("really_csv_as_spss", "really_csv.sav", {"source": {"format": "spss"}},
     {"error": ["really_csv.sav", "not a readable SPSS", "CSV", "format: csv"], "rows": []}),
    ("data_on_second_sheet", "data_on_second_sheet.xlsx", {},
     {"error": ["data_on_second_sheet.xlsx", "'Notes'", "'Responses'", "sheet:"],
      "rows": []}),
    ("unclosed_quote", "unclosed_quote.csv", {},
     {"error": ["unclosed_quote.csv", "row 4", "never closed"], "rows": [4]}),
    ("missing_date_and_id", "missing_date_and_id.csv", {},
     {"error": ["missing_date_and_id.csv", "column 'id'", "row 6"], "column": "id",
      "rows": [6]}),
]

#: Header rows of each corpus file (to count its data rows independently of cxkit).
HEADER_ROWS = {"qualtrics_damaged_json.csv": 3, "surveymonkey_blank_header.csv": 2}
