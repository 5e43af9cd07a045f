"""Generate notebooks/overview.ipynb (run: .venv/bin/python notebooks/_build/overview.py)."""

from _nb import code, md, params, write

cells = [
    md("""
# CX overview: scores per month

NPS, CSAT and CES per month with 95% confidence intervals, computed by `cxkit` from the
survey described by `config`. Every number here comes from `cxkit`; this notebook only presents.
Run it top to bottom with the defaults to see the bundled **synthetic** demo survey.
"""),
    params("""
config: str = "demo"           # survey config YAML, or "demo" for the bundled synthetic survey
month: str = "latest"          # reporting month YYYY-MM, or "latest" complete month in the data
metrics: str = ""              # score names from the config, comma-separated; empty means all
weighted: bool = False         # use the config's weight column (linearised SEs)
months_shown: int = 24         # how many months of history in the table and chart
redact: bool = True            # mask e-mails, phone numbers, long digit runs in comments
summary_path: str = ""         # where the report runner wants the headline numbers (JSON)
"""),
    code("""
import matplotlib.pyplot as plt
import pandas as pd

import cxkit
from cxkit.core.periods import parse_bool, parse_list, resolve_period

responses, load_report = cxkit.load_survey(config)
report_month = resolve_period(month, responses)
metric_list = parse_list(metrics) or cxkit.score_names(responses)
use_weights = parse_bool(weighted)
history = responses[responses["period"] <= report_month]
shown = sorted(history["period"].unique())[-int(months_shown):]
history = history[history["period"].isin(shown)]
print(f"Report month: {report_month} · metrics: {', '.join(metric_list)} · "
      f"{'weighted' if use_weights else 'unweighted'} estimates")
"""),
    md("## The data\nEvery source row is accounted for: kept, or excluded with its reason."),
    code("load_report"),
    md("## Scores per month\nValue, 95% interval and number of valid responses."),
    code("""
table = cxkit.summarize(history, metrics=metric_list, by=["period"], weighted=use_weights)
cxkit.format_estimates(table)
"""),
    md("## Trends\nShaded bands are 95% confidence intervals (method named in each chart)."),
    code("""
# NBVAL_IGNORE_OUTPUT
fig, axes = plt.subplots(len(metric_list), 1, figsize=(9, 3.2 * len(metric_list)), sharex=True, squeeze=False)
for ax, metric in zip(axes[:, 0], metric_list):
    cxkit.plot_trend(table[table["metric"] == metric], ax=ax, title=cxkit.METRIC_LABELS.get(metric, metric))
fig.tight_layout()
"""),
    md("## This month"),
    code("""
findings = cxkit.describe_scores(table, report_month)
for sentence in findings:
    print(sentence)
"""),
    md("## What customers wrote this month\nA few recent comments (personal data masked unless `redact` is off)."),
    code("""
comments = cxkit.recent_comments(responses, report_month, redact=parse_bool(redact))
comments
"""),
    code("""
cxkit.report.save_summary(summary_path, {
    "month": str(report_month),
    "weighted": use_weights,
    "kpis": cxkit.kpi_records(table, report_month),
    "findings": findings,
    "load": {"rows_read": load_report.rows_read, "rows_kept": load_report.rows_kept},
})
"""),
]

if __name__ == "__main__":
    print(write("overview", cells))
