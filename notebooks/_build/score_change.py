"""Generate notebooks/score_change.ipynb (run: .venv/bin/python notebooks/_build/score_change.py)."""

from _nb import code, md, params, write

cells = [
    md("""
# Did the score really change, and where?

The question every review opens with: *"NPS went from 42 to 38 — is that real, and which
segments drove it?"* This notebook compares the report period with a baseline, overall and for
every segment, with intervals, p-values adjusted for testing many segments, segments flagged where
there are too few responses to tell, each segment against the rest of the period, a
precision-weighted trend over the last periods, and a mix/rate decomposition of the overall
change. Every number comes from `cxkit` (`cxkit.score_changes`, `cxkit.trend`,
`cxkit.decompose_change`); this notebook only presents.
"""),
    params("""
config: str = "demo"            # survey config YAML, or "demo" for the bundled synthetic survey
month: str = "latest"           # report month: YYYY-MM or "latest" (latest complete month)
metrics: str = ""               # scores to compare, comma-separated; empty means every score of the config
baseline: str = "previous"      # previous | previous-3 (3 months pooled) | same-last-year | YYYY-MM
segments: str = ""              # segment columns, comma-separated; empty means all segments of the config
alpha: float = 0.05             # significance level (applied to adjusted p-values)
correction: str = "holm"        # multiple-testing correction: holm | fdr-bh | bonferroni | none
min_n: int = 30                 # segments with fewer responses on a side are not tested
weighted: bool = False          # use the config's weight column (linearised SEs, z tests)
trend_periods: int = 12         # months in the trend chart and WLS trend (at least 3)
decompose_by: str = ""          # segment column of the mix/rate decomposition; empty: where the change is
redact: bool = True             # accepted for the report runner (no free text is shown here)
engine: str = ""                # "" as the config says (pandas by default), or duckdb: a lazy engine survey
summary_path: str = ""          # where the report runner wants the headline numbers (JSON)
"""),
    code("""
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

import cxkit
from cxkit.core.periods import parse_bool, parse_list, resolve_period

responses, load_report = cxkit.report.open_survey(config, engine)
report_month = resolve_period(month, responses)
metric_list = parse_list(metrics) or cxkit.score_names(responses)
segment_list = parse_list(segments) or responses.attrs["cxkit"]["segments"]
is_weighted = parse_bool(weighted)
results = {
    m: cxkit.score_changes(responses, m, report_month, baseline, by=segment_list, alpha=float(alpha),
                           correction=correction, min_n=int(min_n), weighted=is_weighted)
    for m in metric_list
}
first = results[metric_list[0]]
"""),
    code("""
from IPython.display import HTML, Markdown, display

from cxkit.report.tables import (is_demo, changes_html, decomposition_html, markdown_list, period_word,
                                 save_table, trend_html, weight_label)

word = period_word(first.period)
display(Markdown(
    f"**{load_report.survey}** · {word} **{first.period}** against **{first.baseline}** · segments: "
    f"{', '.join(s.replace('_', ' ') for s in segment_list)} · {weight_label(is_weighted, first.overall.n_eff_b)} · "
    f"{ {'holm': 'Holm', 'fdr-bh': 'Benjamini–Hochberg', 'bonferroni': 'Bonferroni'}.get(correction, correction)} correction, alpha {float(alpha):g}, segments with fewer than {int(min_n)} responses not tested"
    + (" · the bundled *synthetic demo* survey" if is_demo(config) else "")))
"""),
    md("## In short"),
    code("""
display(Markdown(markdown_list(cxkit.describe_changes(list(results.values()), as_list=True))))
"""),
    md("""
## Change table
For each score: the baseline and report-period values, the change with its 95% interval and the
p-value adjusted for testing many segments (the overall row is its own test). An arrow in colour
marks a significant change: green for better, red for worse. Long segment lists show the
significant rows and the largest moves first; the full table in label order is behind the toggle.
NPS and CSAT in points (CSAT: percentage points), CES in raw units (lower is better).
"""),
    code("""
def _table_frame(res, which="table"):
    t = getattr(res, which)
    return pd.DataFrame({
        "Dimension": t["dimension"], "Level": t["level"].astype(str),
        "Baseline" if which == "table" else "Rest": t["value_a"],
        "Report period" if which == "table" else "Segment": t["value_b"],
        "Change": t["diff"], "CI low": t["ci_low"], "CI high": t["ci_high"], "p": t["p_value"],
        f"p ({res.correction})": t["p_adj"], "Significant": t["significant"].map({True: "yes", False: "no"}),
        "Tested": (~t["too_few"].astype(bool)).map({True: "yes", False: f"no (n < {res.min_n})"}),
        "n baseline" if which == "table" else "n rest": t["n_a"], "n report" if which == "table" else "n segment": t["n_b"]})

for m, res in results.items():
    display(HTML(changes_html(res)))
    save_table(summary_path, f"Change {m}"[:31], _table_frame(res),
               title=f"{m}: {res.baseline} → {res.period}, {weight_label(res.weighted, res.overall.n_eff_b)}; "
                     f"p adjusted with {res.correction}; intervals unadjusted",
               formats={"p": "0.0000", f"p ({res.correction})": "0.0000"})
"""),
    code("""
# NBVAL_IGNORE_OUTPUT
for res in results.values():
    cxkit.plot_changes_forest(res, max_rows=25)
    plt.show()
"""),
    md("""
## Trend
Scores per period with their intervals over the last periods, and the trend line fitted by weighted
least squares (weights 1 / SE²), which shows slow drifts that period-to-period tests miss. Rings mark
period-to-period changes that are significant after adjustment within the series.
"""),
    code("""
try:
    trends = {m: cxkit.trend(responses, m, periods=int(trend_periods), end=report_month, weighted=is_weighted,
                             alpha=float(alpha), correction=correction) for m in metric_list}
except ValueError as exc:  # e.g. fewer than 3 periods in the data
    trends = {}
    display(Markdown(f"No trend in this report: {exc}"))
for tr in trends.values():
    display(HTML(trend_html(tr)))
trend_points = {m: [{"period": str(r.period), "value": r.value, "ci_low": r.ci_low, "ci_high": r.ci_high,
                     "significant": bool(r.change_significant)} for r in tr.points.itertuples()]
                for m, tr in trends.items()}
"""),
    code("""
# NBVAL_IGNORE_OUTPUT
for tr in trends.values():
    fig, ax = plt.subplots(figsize=(9, 3.6))
    cxkit.plot_change_trend(tr, ax=ax)
    plt.show()
"""),
    md("""
## Where are we below average?
Each segment level against the rest of the report period (difference = segment − rest), adjusted
for multiplicity like the change table. Worth reading even when nothing changed.
"""),
    code("""
for m, res in results.items():
    display(HTML(changes_html(res, "vs_rest")))
    save_table(summary_path, f"Vs rest {m}"[:31], _table_frame(res, "vs_rest"),
               title=f"{m} in {res.period}: each segment against the rest, {weight_label(res.weighted)}",
               formats={"p": "0.0000", f"p ({res.correction})": "0.0000"})
"""),
    code("""
# NBVAL_IGNORE_OUTPUT
cxkit.plot_changes_forest(results[metric_list[0]], which="vs_rest", max_rows=25)
plt.show()
"""),
    md("""
## What drove the change: customer mix or segment scores?
The overall change splits exactly into a **mix** effect (segments' shares of responses moved), a
**rate** effect (segments' own scores moved) and their interaction. A large mix effect means the
overall score moved because the customer mix moved, not because any segment changed. Unless
`decompose_by` names one, each score is split by the segment dimension where its change is: the
dimension of its most significant segment change, else the one whose levels moved most.
"""),
    code("""
decomps, why = {}, {}
for m, res in (results.items() if (decompose_by or segment_list) else ()):
    by_col, why[m] = (decompose_by, "chosen in the parameters") if decompose_by else res.where()
    if by_col is None:
        continue
    decomps[m] = cxkit.decompose_change(responses, m, by=by_col, period=report_month, baseline=baseline,
                                        weighted=is_weighted)
if not decomps:
    display(Markdown("No decomposition: the config has no `segments:` to split the change by."))
display(Markdown(markdown_list(f"{d} — split by **{d.by.replace('_', ' ')}**, {why[m]}." for m, d in decomps.items())))
for m, d in decomps.items():
    display(HTML(decomposition_html(d)))
    save_table(summary_path, f"Mix-rate {m}"[:31], d.table.rename(columns=lambda c: str(c).replace("_", " ")),
               title=f"{m} {d.baseline} → {d.period} by {d.by}: change {d.change:.3f} = mix {d.mix:.3f} + rate "
                     f"{d.rate:.3f} + interaction {d.interaction:.3f}")
"""),
    code("""
# NBVAL_IGNORE_OUTPUT
if decomps:
    ax = cxkit.plot_decomposition(decomps[metric_list[0]])
    plt.show()
"""),
    md("## Headline numbers for the report"),
    code("""
summary = cxkit.report.save_summary(summary_path, {
    "period": first.period,
    "baseline": first.baseline,
    "weighted": is_weighted,
    "findings": cxkit.describe_changes(list(results.values()), as_list=True),
    "changes": [{**r.headline(), "n_eff_a": r.overall.n_eff_a, "n_eff_b": r.overall.n_eff_b}
                for r in results.values()],
    "significant_segment_changes": {m: r.to_dict()["significant_changes"] for m, r in results.items()},
    "below_rest": {m: [f"{s.dimension} {s.level}" for s in r.significant("vs_rest").itertuples() if s.diff < 0]
                   for m, r in results.items()},
    "trend": {m: tr.to_dict()["slopes"] for m, tr in trends.items()},
    "decomposition": {m: {k: d.to_dict()[k] for k in ("by", "change", "mix", "rate", "interaction")}
                      for m, d in decomps.items()},
    "trend_points": trend_points,
    # conclusions that depend on the weights: the same tests with the other weighting
    "weighting_notes": cxkit.report.weighting_notes(results, {
        m: cxkit.score_changes(responses, m, report_month, baseline, by=segment_list, alpha=float(alpha),
                               correction=correction, min_n=int(min_n), weighted=not is_weighted)
        for m in metric_list} if "weight" in responses.columns else {}),
})
"""),
]

if __name__ == "__main__":
    print(write("score_change", cells))
