"""Readable tables and sentences for notebooks and the report index."""

import pandas as pd

from cxkit.report.formatting import describe_scores, format_estimates, kpi_records

TABLE = pd.DataFrame({
    "period": ["2026-09", "2026-09", "2026-10", "2026-10"],
    "metric": ["nps", "csat", "nps", "csat"],
    "value": [35.0, 80.123, 31.04, 79.96],
    "se": [2.0, 1.0, 2.1, 1.1],
    "ci_low": [31.1, 78.0, 27.0, 77.8],
    "ci_high": [38.9, 82.1, 35.1, 82.0],
    "n": [2500, 2490, 2412, 2400],
    "n_eff": [2500.0, 2490.0, 2412.0, 2400.0],
    "conf": 0.95,
    "method": ["adjusted-wald", "wilson", "adjusted-wald", "wilson"],
    "weighted": False,
})


def test_format_estimates_pivots_metrics_in_order():
    wide = format_estimates(TABLE)
    assert list(wide.columns) == ["NPS", "CSAT (top-2 box)"]
    assert wide.loc["2026-10", "NPS"] == "31.0 [27.0, 35.1] (n=2,412)"
    assert wide.loc["2026-09", "CSAT (top-2 box)"] == "80.1 [78.0, 82.1] (n=2,490)"


def test_describe_scores_last_period_by_default():
    s = describe_scores(TABLE)
    assert s == [
        "In 2026-10, NPS was 31.0 points (95% CI 27.0 to 35.1, n = 2,412, unweighted, adjusted-wald interval).",
        "In 2026-10, CSAT (top-2 box) was 80.0% (95% CI 77.8 to 82.0, n = 2,400, unweighted, wilson interval).",
    ]


def test_kpi_records_are_json_ready():
    recs = kpi_records(TABLE, "2026-09")
    assert [r["metric"] for r in recs] == ["nps", "csat"]
    assert recs[0]["units"] == "points" and recs[1]["units"] == "%"
    assert recs[0]["n"] == 2500 and isinstance(recs[0]["n"], int)


def test_recent_comments_masks_personal_data_unless_disabled():
    from cxkit.report.formatting import recent_comments

    df = pd.DataFrame({
        "respondent_id": ["a", "b", "c", "d"],
        "date": pd.to_datetime(["2026-10-01", "2026-10-02", "2026-10-03", "2026-09-30"]),
        "period": pd.PeriodIndex(["2026-10", "2026-10", "2026-10", "2026-09"], freq="M"),
        "comment": ["Call me on +1 555 0100", "", "mail x.y@example.com", "old"],
    })
    masked = recent_comments(df, "2026-10")
    assert masked["comment"].tolist() == ["mail [email]", "Call me on [phone]"]  # newest first, blanks dropped
    raw = recent_comments(df, "2026-10", redact=False)
    assert raw["comment"].tolist() == ["mail x.y@example.com", "Call me on +1 555 0100"]
