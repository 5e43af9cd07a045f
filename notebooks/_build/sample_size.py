"""Generate notebooks/sample_size.ipynb (run: .venv/bin/python notebooks/_build/sample_size.py)."""

from _nb import code, md, params, write

cells = [
    md("""
# How many responses do we need? Sample-size planning per segment

The questions behind every "can we report this segment?" discussion: *how precise is this
segment's score at its current volume, can we detect a 5-point change month over month, how many
responses (and invitations) would we need, and should we report it monthly, quarterly or not at
all?* Every number comes from `cxkit` (`cxkit.plan_segments`, `cxkit.sample_size`,
`cxkit.describe_plan`, `cxkit.reporting_cadence`), using the same variance formulas as the change
tests of the *Score change* notebook, so a plan and the later test agree.
"""),
    params("""
config: str = "demo"           # survey config YAML, or demo for the bundled synthetic survey
month: str = "latest"          # last month of the look-back window: YYYY-MM or latest
metric: str = "nps"            # score to plan (a score name of the config: nps, csat, ces, ...)
baseline: str = "data"         # data: each segments own distribution over the look-back window
                               # assumed: the shares below, for the what-if plan and the curves
lookback: int = 3              # months pooled for volumes and baselines (ending at `month`)
detractors: float = 20.0       # assumed NPS detractor share in percent, used when baseline is assumed
promoters: float = 50.0        # assumed NPS promoter share in percent (passives: the rest)
share: float = 80.0            # assumed top-box share in percent for CSAT/top-box metrics
sd: float = 1.3                # assumed standard deviation for mean metrics (CES)
margin: float = 5.0            # target margin of error (NPS points / percentage points / raw units)
difference: float = 5.0        # change to detect month over month (same units)
conf: float = 0.95             # confidence level of margins
alpha: float = 0.05            # level of the (two-sided) change test
power: float = 0.8             # power to detect `difference`
response_rate: float = 0.15    # completed responses per invitation (0-1]
segments: str = ""             # segment columns, comma-separated, empty for all configured segments
weighted: bool = False         # use survey weights (design effect from each segment's weights)
redact: bool = True            # accepted for the report runner (no free text is shown here)
engine: str = ""               # "" as the config says (pandas by default), or duckdb: a lazy engine survey
summary_path: str = ""         # where the report runner wants the headline numbers (JSON)
"""),
    code("""
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

import cxkit
from cxkit.core.periods import parse_bool, parse_list, resolve_period

responses, load_report = cxkit.report.open_survey(config, engine)
end_month = resolve_period(month, responses)
segment_list = parse_list(segments) or responses.attrs["cxkit"]["segments"]
is_weighted = parse_bool(weighted)
column, spec = cxkit.resolve_metric(responses, metric)
table = cxkit.plan_segments(responses, metric, by=segment_list, period=end_month, margin=float(margin),
                            difference=float(difference), conf=float(conf), alpha=float(alpha),
                            power=float(power), lookback=int(lookback), weighted=is_weighted,
                            response_rate=float(response_rate))
plan = table.attrs["plan"]
"""),
    code("""
from IPython.display import HTML, Markdown, display

from cxkit.report.tables import is_demo, markdown_list, planning_html, save_table, weight_label

display(Markdown(
    f"**{load_report.survey}** · {spec.name.upper()} · window **{plan['start']} to {plan['period']}** "
    f"({plan['months']} months) · target ±{float(margin):g} and a {float(difference):g} change ({plan['units']}) · "
    f"{float(conf):.0%} confidence, two-sided alpha {float(alpha):g}, power {float(power):.0%} · "
    f"{weight_label(is_weighted)} · response rate {float(response_rate):.0%}"
    + (" · the bundled *synthetic demo* survey" if is_demo(config) else "")))
"""),
    md("""
## Recommendation per segment
For each segment level: its current volume (average per month over the look-back window), the
margin of error that gives, the responses needed per month for the target margin and to detect
the target change month over month, and the verdict: **monthly** if a month's volume meets every
target, **quarterly** if three months do, else **not reportable** at these targets.
"""),
    code("""
display(Markdown(markdown_list(cxkit.describe_plan(table).splitlines())))
"""),
    md("""
## Planning table
Per segment level: its score over the window, responses per month, the margin of error one month
and one quarter of responses give, the smallest change a month-over-month test would detect (at
the target power), the responses needed per month for every target, and the verdict.
"""),
    code("""
display(HTML(planning_html(table)))
save_table(summary_path, "Planning", pd.DataFrame({
    "Segment": table["segment"], "Level": table["level"].astype(str), "Score": table["value"],
    "Responses per month": table["n_month"], "Design effect": table["deff"],
    "Margin one month": table["margin_month"], "Margin one quarter": table["margin_quarter"],
    "Smallest change month": table["mdd_month"], "Smallest change quarter": table["mdd_quarter"],
    "Needed for margin per month": table["needed_margin_month"],
    "Needed for change per month": table["needed_change_month"],
    "Invitations per month": table["invitations_month"], "Verdict": table["verdict"]}),
    title=f"{spec.name} planning, window {plan['start']} to {plan['period']}, {weight_label(is_weighted)}")
"""),
    md("""
## What-if: one plan from a baseline
With `baseline = "data"` this uses the whole survey's distribution over the window; with
`"assumed"` the shares in the parameters. Tests are two-sided; for NPS the change is assumed to
move half into promoters and half out of detractors.
"""),
    code("""
if baseline == "assumed":
    base = cxkit.planning_baseline(spec, {"detractors": float(detractors), "promoters": float(promoters),
                                          "share": float(share), "sd": float(sd)})
else:
    base = cxkit.row_baseline(table.iloc[0], spec.kind)
margin_plan = cxkit.sample_size(spec, margin=float(margin), baseline=base, conf=float(conf))
try:  # e.g. NPS 98 cannot rise by 5 points: say so instead of failing
    change_plan = cxkit.sample_size(spec, difference=float(difference), baseline=base, alpha=float(alpha),
                                    power=float(power))
    no_change_plan = ""
except ValueError as exc:
    change_plan, no_change_plan = None, f"No plan for a {float(difference):g}-point change: {exc}"
daily = float(table.iloc[0]["n_day"])
cadences = [cxkit.reporting_cadence(daily, metric=spec, baseline=base, margin=float(margin), conf=float(conf))]
if change_plan:
    cadences.append(cxkit.reporting_cadence(daily, metric=spec, baseline=base, difference=float(difference),
                                            alpha=float(alpha), power=float(power)))
display(Markdown(markdown_list([str(margin_plan), str(change_plan) if change_plan else no_change_plan,
    f"Invitations at a {float(response_rate):.0%} response rate: "
    f"{cxkit.invitations_needed(margin_plan.n, float(response_rate)):,} for the margin"
    + (f", {cxkit.invitations_needed(change_plan.n, float(response_rate)):,} per period for the change."
       if change_plan else "."),
    *map(str, cadences)])))
"""),
    md("""
## Margin of error and power versus responses
Top: one line per segment (dots: current monthly volume); the dashed line is the target.
"""),
    code("""
# NBVAL_IGNORE_OUTPUT
fig, axes = plt.subplots(2, 1, figsize=(9, 9.2))
if baseline == "assumed":
    cxkit.plot_margin_curve(spec, {"assumed": base}, conf=float(conf), target=float(margin), ax=axes[0])
    cxkit.plot_power_curve(spec, {"assumed": base}, difference=float(difference), alpha=float(alpha),
                           target_power=float(power), ax=axes[1])
else:
    cxkit.plot_margin_curve(table, ax=axes[0])
    cxkit.plot_power_curve(table, ax=axes[1])
fig.tight_layout()
"""),
    md("""
Bottom: the power of the month-over-month change test for the target difference, against the
responses per month (each month needs that many). Where a segment's dot sits below the dashed
line, a real change of that size would usually go unnoticed in a monthly report.
"""),
    md("## Headline numbers for the report"),
    code("""
summary = cxkit.report.save_summary(summary_path, {
    "metric": spec.name,
    "window": [plan["start"], plan["period"]],
    "targets": {"margin": float(margin), "difference": float(difference), "conf": float(conf),
                "alpha": float(alpha), "power": float(power), "units": plan["units"]},
    "verdicts": {("All" if r.segment == "All" else f"{r.segment} {r.level}"): r.verdict
                 for r in table.itertuples()},
    "n_month": {("All" if r.segment == "All" else f"{r.segment} {r.level}"): round(r.n_month, 1)
                for r in table.itertuples()},
    "needed_month": {("All" if r.segment == "All" else f"{r.segment} {r.level}"): r.needed_month
                     for r in table.itertuples()},
    "margin_plan": margin_plan.to_dict(),
    "change_plan": change_plan.to_dict() if change_plan else None,
    "change_plan_note": no_change_plan,
    "weighted": is_weighted,
    "recommendations": cxkit.describe_plan(table).splitlines(),
})
"""),
]

if __name__ == "__main__":
    print(write("sample_size", cells))
