"""Generate notebooks/score_change.ipynb (run: .venv/bin/python notebooks/_build/score_change.py)."""

from _nb import code, md, params, write

cells = [
    md("""
# Did the score really change, and where?

The question every monthly review opens with: *"NPS went from 42 to 38 — is that real, and which
segments drove it?"* This notebook compares the report month with a baseline, overall and for
every segment, with intervals, p-values adjusted for testing many segments, segments flagged where
there are too few responses to tell, each segment against the rest of the month, a
precision-weighted trend over the last months, and a mix/rate decomposition of the overall
change. Every number comes from `cxkit` (`cxkit.score_changes`, `cxkit.trend`,
`cxkit.decompose_change`); this notebook only presents. With the defaults it runs on the bundled
**synthetic** demo survey (which has one planted change: NPS in region South drops in 2026-10).
"""),
    params("""
config: str = "demo"            # survey config YAML, or "demo" for the bundled synthetic survey
month: str = "latest"           # report month: YYYY-MM or "latest" (latest complete month)
metrics: str = ""               # scores to compare, comma-separated; empty means every score of the config
baseline: str = "previous"      # previous | previous-3 (3 months pooled) | same-last-year | YYYY-MM
segments: str = ""              # segment columns, comma-separated; empty means all segments of the config
alpha: float = 0.05             # significance level (applied to adjusted p-values)
correction: str = "holm"        # multiple-testing correction: holm | fdr_bh | bonferroni | none
min_n: int = 30                 # segments with fewer responses on a side are not tested
weighted: bool = False          # use the config's weight column (linearised SEs, z tests)
trend_periods: int = 12         # months in the trend chart and WLS trend (at least 3)
decompose_by: str = ""          # segment column of the mix/rate decomposition; empty means the first segment
redact: bool = True             # accepted for the report runner (no free text is shown here)
summary_path: str = ""          # where the report runner wants the headline numbers (JSON)
"""),
    code("""
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

import cxkit
from cxkit.core.periods import parse_bool, parse_list, resolve_period

responses, load_report = cxkit.load_survey(config)
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
print(f"Report month {first.period} vs baseline {first.baseline} · segments: {', '.join(segment_list)} · "
      f"{'weighted' if is_weighted else 'unweighted'} · {correction} correction, alpha {float(alpha):g}, "
      f"min_n {int(min_n)}")
"""),
    md("## In short"),
    code("""
print(cxkit.describe_changes(list(results.values())))
"""),
    md("""
## Change table
For each metric: the baseline (a) and report-month (b) scores with their intervals, the change
b − a with its interval, the p-value and the multiplicity-adjusted p-value (`p_adj`, across all
segment rows; the overall row is its own test), and `significant` (adjusted p < alpha).
`too_few` rows were not tested. NPS and CSAT in points (CSAT: percentage points), CES in raw
units (1 = very low effort; lower is better).
"""),
    code("""
cols = ["dimension", "level", "value_a", "value_b", "diff", "ci_low", "ci_high", "p_value", "p_adj",
        "significant", "too_few", "n_a", "n_b"]
for m, res in results.items():
    print(f"{m.upper()}: {res.baseline} → {res.period} ({res.overall.method})")
    display(res.table[cols].round({"value_a": 2, "value_b": 2, "diff": 2, "ci_low": 2, "ci_high": 2,
                                   "p_value": 4, "p_adj": 4}))
"""),
    code("""
# NBVAL_IGNORE_OUTPUT
fig, axes = plt.subplots(1, len(results), figsize=(7 * len(results), 0.38 * len(first.table) + 1.6))
for ax, res in zip([axes] if len(results) == 1 else axes, results.values()):
    cxkit.plot_changes_forest(res, ax=ax, title=f"{res.metric.upper()}: change by segment")
fig.tight_layout()
"""),
    md("""
## Trend
Monthly scores with their intervals over the last months, and the trend line fitted by weighted
least squares (weights 1 / SE²), which shows slow drifts that month-to-month tests miss. Rings mark
month-to-month changes that are significant after adjustment within the series.
"""),
    code("""
try:
    trends = {m: cxkit.trend(responses, m, periods=int(trend_periods), end=report_month, weighted=is_weighted,
                             alpha=float(alpha), correction=correction) for m in metric_list}
except ValueError as exc:  # e.g. fewer than 3 periods in the data
    trends = {}
    print(f"No trend: {exc}")
for tr in trends.values():
    print(tr)
"""),
    code("""
# NBVAL_IGNORE_OUTPUT
if trends:
    fig, axes = plt.subplots(len(trends), 1, figsize=(9, 3.4 * len(trends)))
    for ax, tr in zip([axes] if len(trends) == 1 else axes, trends.values()):
        cxkit.plot_change_trend(tr, ax=ax)
    fig.tight_layout()
"""),
    md("""
## Where are we below average this month?
Each segment level against the rest of the report month (difference = segment − rest), adjusted
for multiplicity like the change table. Worth reading even when nothing changed month over month.
"""),
    code("""
for m, res in results.items():
    print(f"{m.upper()} in {res.period}: segment vs rest")
    display(res.vs_rest[["dimension", "level", "value_a", "value_b", "diff", "ci_low", "ci_high",
                         "p_adj", "significant", "n_b"]]
            .rename(columns={"value_a": "rest", "value_b": "segment", "n_b": "n"})
            .round({"rest": 2, "segment": 2, "diff": 2, "ci_low": 2, "ci_high": 2, "p_adj": 4}))
"""),
    code("""
# NBVAL_IGNORE_OUTPUT
res = results[metric_list[0]]
ax = cxkit.plot_changes_forest(res, which="vs_rest")
"""),
    md("""
## What drove the change: customer mix or segment scores?
The overall change splits exactly into a **mix** effect (segments' shares of responses moved), a
**rate** effect (segments' own scores moved) and their interaction. A large mix effect means the
overall score moved because the customer mix moved, not because any segment changed.
"""),
    code("""
by_col = decompose_by or (segment_list[0] if segment_list else "")
decomps = {m: cxkit.decompose_change(responses, m, by=by_col, period=report_month, baseline=baseline,
                                     weighted=is_weighted) for m in metric_list} if by_col else {}
for d in decomps.values():
    print(d)
if decomps:
    display(decomps[metric_list[0]].table.round(2))
else:
    print("No decomposition: the config has no `segments:` to split the change by.")
"""),
    code("""
# NBVAL_IGNORE_OUTPUT
if decomps:
    ax = cxkit.plot_decomposition(decomps[metric_list[0]])
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
    # conclusions that depend on the weights: the same tests with the other weighting
    "weighting_notes": cxkit.report.weighting_notes(results, {
        m: cxkit.score_changes(responses, m, report_month, baseline, by=segment_list, alpha=float(alpha),
                               correction=correction, min_n=int(min_n), weighted=not is_weighted)
        for m in metric_list} if "weight" in responses.columns else {}),
})
print(summary["findings"][0])
"""),
]

if __name__ == "__main__":
    print(write("score_change", cells))
