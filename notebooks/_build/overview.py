"""Generate notebooks/overview.ipynb (run: .venv/bin/python notebooks/_build/overview.py)."""

from _nb import code, md, params, write

cells = [
    md("""
# CX overview: scores over time

The survey's scores per period with 95% confidence intervals, computed by `cxkit` from the
survey described by `config`. Every number here comes from `cxkit`; this notebook only presents.
"""),
    params("""
config: str = "demo"           # survey config YAML, or "demo" for the bundled synthetic survey
month: str = "latest"          # reporting month YYYY-MM, or "latest" complete month in the data
metrics: str = ""              # score names from the config, comma-separated; empty means all
weighted: bool = False         # use the config's weight column (linearised SEs)
months_shown: int = 24         # how many months of history in the table and chart
redact: bool = True            # mask e-mails, phone numbers, long digit runs in comments
engine: str = ""               # "" as the config says (pandas by default), or duckdb: a lazy engine survey
summary_path: str = ""         # where the report runner wants the headline numbers (JSON)
"""),
    code("""
import matplotlib.pyplot as plt
import pandas as pd

import cxkit
from cxkit.core.periods import parse_bool, parse_list, resolve_period

responses, load_report = cxkit.report.open_survey(config, engine)
report_month = resolve_period(month, responses)
metric_list = parse_list(metrics) or cxkit.score_names(responses)
use_weights = parse_bool(weighted)
shown = [p for p in cxkit.periods_of(responses) if p <= report_month][-int(months_shown):]
history = cxkit.select_periods(responses, start=shown[0], end=report_month)
"""),
    code("""
from IPython.display import HTML, Markdown, display

from cxkit.report.tables import is_demo, estimates_html, markdown_list, period_word, save_table

word = period_word(report_month)
display(Markdown(f"**{load_report.survey}** · report {word} **{report_month}** · "
                 f"{', '.join(cxkit.METRIC_LABELS.get(m, m) for m in metric_list)} · "
                 f"{'weighted' if use_weights else 'unweighted'} estimates"
                 + (" · the bundled *synthetic demo* survey" if is_demo(config) else "")))
"""),
    md("## The data\nEvery source row is accounted for: kept, or excluded with its reason."),
    code("load_report"),
    md("## Scores per period\nValue with its 95% confidence interval, and the number of valid responses."),
    code("""
table = cxkit.summarize(history, metrics=metric_list, by=["period"], weighted=use_weights)
display(HTML(estimates_html(table.sort_values("period", ascending=False, kind="stable"))))
for m in metric_list:
    part = table[table["metric"] == m]
    save_table(summary_path, f"Scores {cxkit.METRIC_LABELS.get(m, m)}"[:31], pd.DataFrame({
        "Period": part["period"].astype(str), "Value": part["value"], "CI low": part["ci_low"],
        "CI high": part["ci_high"], "n": part["n"], "n_eff": part["n_eff"], "Weighted": part["weighted"].map({True: "yes", False: "no"}),
        "Interval method": part["method"]}), title=f"{cxkit.METRIC_LABELS.get(m, m)} per period, 95% CI")
series = {m: [{"period": str(r.period), "value": r.value, "ci_low": r.ci_low, "ci_high": r.ci_high, "n": int(r.n)}
              for r in table[table["metric"] == m].itertuples()] for m in metric_list}
"""),
    md("## Trends\nShaded bands are 95% confidence intervals (method named in each chart)."),
    code("""
# NBVAL_IGNORE_OUTPUT
fig, axes = plt.subplots(len(metric_list), 1, figsize=(9, 3.2 * len(metric_list)), sharex=True, squeeze=False)
for ax, metric in zip(axes[:, 0], metric_list):
    cxkit.plot_trend(table[table["metric"] == metric], ax=ax, title=cxkit.METRIC_LABELS.get(metric, metric))
fig.tight_layout()
"""),
    md("## In short"),
    code("""
findings = cxkit.describe_scores(table, report_month)
display(Markdown(markdown_list(findings)))
"""),
    md("## What customers wrote\nA few recent comments of the report period (personal data masked unless `redact` is off)."),
    code("""
from cxkit.report.tables import designed_table

comments = cxkit.recent_comments(responses, report_month, redact=parse_bool(redact))
if len(comments):
    shown_comments = comments.astype(str).rename(columns=lambda c: str(c).replace("_", " ").capitalize())
    display(HTML(designed_table(shown_comments, caption=f"Most recent comments, {word} {report_month}")))
else:
    display(Markdown(f"No comments in {report_month} (the survey has no free-text column, or nobody wrote one)."))
"""),
    code("""
summary = cxkit.report.save_summary(summary_path, {
    "month": str(report_month),
    "weighted": use_weights,
    "kpis": cxkit.kpi_records(table, report_month),
    "findings": findings,
    "load": {"rows_read": load_report.rows_read, "rows_kept": load_report.rows_kept},
    "series": series,
})
"""),
]

if __name__ == "__main__":
    print(write("overview", cells))
