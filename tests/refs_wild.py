"""Expected outcomes of the "exports in the wild" fixtures (tests/fixtures/wild/) and reference
values for aggregated data, computed by hand (formulas next to each number)."""

import math

Z95 = 1.959963984540054  # standard normal 97.5 % quantile (tables: 1.95996)

# --- layouts: file -> (layout, variant, first data row, columns (first/last), id column) -----
LEGACY_COLUMNS = ["ResponseID", "ResponseSet", "Name", "ExternalDataReference", "EmailAddress",
                  "IPAddress", "Status", "StartDate", "EndDate", "Finished", "Q1", "Q2"]
CURRENT_COLUMNS = ["StartDate", "EndDate", "Status", "IPAddress", "Progress",
                   "Duration (in seconds)", "Finished", "RecordedDate", "ResponseId",
                   "DistributionChannel", "UserLanguage", "Q1", "Q2"]
Q1_TEXT = "How likely are you to recommend us to a friend or colleague?"
LAYOUTS = {
    # file: (layout, variant, first_row, columns, rows read, kept ids, preview row)
    "qualtrics_legacy_v.csv": ("qualtrics", "qualtrics-v-ids", 3, LEGACY_COLUMNS, 4,
                               ["R_1a", "R_1b", "R_1d"], 5),
    "qualtrics_legacy_v3.csv": ("qualtrics", "qualtrics-v-ids-3row", 4, LEGACY_COLUMNS, 4,
                                ["R_1a", "R_1b", "R_1d"], 6),
    "qualtrics_legacy_noimport.csv": ("qualtrics", "qualtrics-no-importid", 3, LEGACY_COLUMNS,
                                      4, ["R_1a", "R_1b", "R_1d"], 5),
    "qualtrics_2016.csv": ("qualtrics", "qualtrics-2016", 4, CURRENT_COLUMNS, 3,
                           ["R_2a", "R_2c"], 5),
    "qualtrics_excel_columns.csv": ("qualtrics", "qualtrics", 5, CURRENT_COLUMNS, 3,
                                    ["R_2a", "R_2c"], 6),
    "qualtrics_excel_columns.xlsx": ("qualtrics", "qualtrics", 5, CURRENT_COLUMNS, 3,
                                     ["R_2a", "R_2c"], 6),
}
SM_HEAD = "How likely is it that you would recommend us to a friend or colleague?"
SM_OPTIONS = ["Which channels did you use? - Web", "Which channels did you use? - App",
              "Which channels did you use? - Phone"]
SURVEYMONKEY = {
    # file: (first_row, columns, ids)
    "surveymonkey_legacy.csv": (3, ["RespondentID", "CollectorID", "StartDate", "EndDate",
                                    "IP Address", "Email Address", "First Name", "LastName",
                                    "Custom Data", SM_HEAD, *SM_OPTIONS, "Any other comments?"],
                                ["4101", "4102", "4103"]),
    "surveymonkey_noid.csv": (3, [SM_HEAD, *SM_OPTIONS, "Any other comments?"],
                              ["surveymonkey_noid.csv:3", "surveymonkey_noid.csv:4",
                               "surveymonkey_noid.csv:5"]),
}
SM_NPS = [10.0, 4.0, 8.0]

# --- labels.csv --------------------------------------------------------------------------------
# ltr: "10 - Extremely likely" -> 10, "0 = Not at all likely" -> 0, 7, 9, blank
LABELS_LTR = [10.0, 0.0, 7.0, 9.0, float("nan")]
LABELS_CSAT = [1.0, 0.0, 1.0, 1.0, 0.0]            # Good = 1, Bad = 0 (any case / spaces)
LABELS_FOOD = [5.0, 1.0, 3.0, float("nan"), 4.0]   # Horrendous=1 … Michelin star!!=5; Meh unmapped
LABELS_UNMAPPED_ROW = 5                            # id 4 ("Meh") is on source row 5

# --- aggregated --------------------------------------------------------------------------------
# North 2024Q1: shares 20/30/50 of n = 400 -> counts 80/120/200; NPS = 50 - 20 = 30.
AGG_NORTH_Q1 = {"counts": [80, 120, 200], "value": 30.0}
# Σ n_k (x_k - x̄)² with x = -100/0/100, x̄ = 30: 80·130² + 120·30² + 200·70² = 2 440 000
_SS = 80 * 130 ** 2 + 120 * 30 ** 2 + 200 * 70 ** 2
# deff 1.5: linearised SE = sqrt(N/(N-1) · deff · SS) / N  (Σw² = deff·n per bin)
AGG_NORTH_Q1_SE_DEFF = math.sqrt(400 / 399 * 1.5 * _SS) / 400      # 4.78877…
AGG_NORTH_Q1_NEFF_DEFF = 400 / 1.5
AGG_ROWS = {"read": 6, "kept_rounding": 4, "kept_exact": 3}

# nps_from_shares(20, 30, 50, n=100, method="wald"): SE = 100·sqrt((.5 + .2 - .3²)/100)
SHARES_WALD_SE = 100 * math.sqrt((0.5 + 0.2 - 0.09) / 100)          # 7.81025
SHARES_WALD_CI = (30 - Z95 * SHARES_WALD_SE, 30 + Z95 * SHARES_WALD_SE)  # 14.692, 45.308
# deff = 2 -> n_eff = 50
SHARES_WALD_SE_DEFF2 = 100 * math.sqrt((0.5 + 0.2 - 0.09) / 50)     # 11.0454
# top_box_from_shares(80, n=100, wald): SE = 100·sqrt(.8·.2/100) = 4
TOP_WALD_CI = (80 - Z95 * 4.0, 80 + Z95 * 4.0)
# compare_shares((20, 30, 50, 100), (10, 30, 60, 100)): Var = 61 + 45 (points²)
COMPARE_SE = math.sqrt(100 ** 2 * (0.5 + 0.2 - 0.09) / 100 + 100 ** 2 * (0.6 + 0.1 - 0.25) / 100)
