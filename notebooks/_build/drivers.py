"""Generate notebooks/drivers.ipynb (run: .venv/bin/python notebooks/_build/drivers.py)."""

from _nb import code, md, params, write

cells = [
    md("""
# What to fix first: key drivers and the pain map

*"NPS is down — what do we fix first?"* This page relates the attribute ratings of the survey
(the **drivers**, e.g. speed, staff, ease) to the headline score for the report month: how much
of what the drivers explain each one carries (Shapley/LMG share of R², with a bootstrap
interval), how well it performs, how many points the score would gain if those who rate it low
scored like the rest (the **pain map**), and a priority matrix of importance × performance.
Every number comes from `cxkit` (`cxkit.drivers`, `cxkit.pain_map`, `cxkit.priority_matrix`);
this notebook only presents. Importance is association, not proof of cause.
"""),
    params("""
config: str = "demo"            # survey config YAML (with a `drivers:` section), or "demo"
month: str = "latest"           # report month: YYYY-MM, "latest" (latest complete month) or "all"
outcome: str = ""               # outcome score; empty means the config's drivers.outcome (else nps)
drivers: str = ""               # driver rating columns, comma-separated; empty means the config's drivers
method: str = "shapley"         # shapley (exact LMG) | johnson (relative weights)
missing: str = "complete"       # complete (respondents who answered every driver) | pairwise
weighted: bool = False          # use the config's weight column
n_boot: int = 1000              # bootstrap resamples of respondents for the intervals
seed: int = 13                  # seed of the bootstrap (results are reproducible)
redact: bool = True             # accepted for the report runner (no free text is shown here)
engine: str = ""                # "" as the config says (pandas by default), or duckdb: a lazy engine survey
summary_path: str = ""          # where the report runner wants the headline numbers (JSON)
"""),
    code("""
import matplotlib.pyplot as plt
from IPython.display import Markdown, display

import cxkit
from cxkit.core.periods import parse_bool, parse_list, resolve_period
from cxkit.report.tables import is_demo

responses, load_report = cxkit.report.open_survey(config, engine)
if str(month).strip().lower() == "all":
    rows, where = responses, "all periods"
else:
    report_month = resolve_period(month, responses)
    rows, where = cxkit.select_periods(responses, report_month, report_month), str(report_month)
driver_list = parse_list(drivers) or cxkit.driver_names(responses)
if not driver_list:
    raise ValueError("This survey lists no driver ratings: add a `drivers:` section to the config "
                     "(see docs/drivers.md) or pass drivers=...")
args = dict(outcome=outcome or None, drivers=driver_list, weighted=parse_bool(weighted),
            n_boot=int(n_boot), seed=int(seed))
table = cxkit.drivers(rows, method=method, missing=missing, **args)
pain = cxkit.pain_map(rows, **args)
matrix = cxkit.priority_matrix(table)
first = table.iloc[0]
display(Markdown(
    f"**{where}** · outcome **{str(first['outcome']).upper()}** · {len(driver_list)} drivers · "
    f"{first['n_model']:,} respondents in the model ({first['missing']} cases) · "
    f"R² {first['r2']:.2f} · {method} importance, {int(n_boot):,} bootstrap resamples "
    f"({ {'normal': 'normal approximation'}.get(first['bootstrap'], first['bootstrap'])}) · {'weighted' if first['weighted'] else 'unweighted'}"
    + (" · the bundled *synthetic demo* survey, whose planted driver is *speed of service*"
       if is_demo(config) else "")))
"""),
    md("## In short"),
    code("""
display(Markdown(cxkit.describe_drivers(matrix, pain)))
"""),
    md("""
## Priority matrix
Importance (x: share of what the drivers explain, with its 95% bootstrap interval) against
performance (y: mean rating). Dashed lines: the average importance (100% ÷ number of drivers) and
the drivers' average performance. **Fix first**: important and below average; **keep**: important
and performing; **monitor**: less important and below average; **over-invest?**: performing well
on something that matters less.
"""),
    code("""
# NBVAL_IGNORE_OUTPUT
fig, ax = plt.subplots(figsize=(8, 5.2))
cxkit.plot_priority_matrix(matrix, ax=ax)
fig.tight_layout()
"""),
    md("""
## Pain map
How many points the headline score would gain if the respondents who rate a driver low scored like
everyone else (with a 95% bootstrap interval), and each driver's share of the summed "pain".
Respondents can be low on several drivers, so the gains overlap: read them as a ranking, not as
points that add up.
"""),
    code("""
# NBVAL_IGNORE_OUTPUT
fig, ax = plt.subplots(figsize=(8, 0.55 * len(pain) + 1.4))
cxkit.plot_pain_map(pain, ax=ax)
fig.tight_layout()
"""),
    md("""
## Driver table
In priority order. *Importance*: percent of the explained variance (interval: 95% bootstrap).
*Gap*: the outcome's score among those rating the driver high (4–5) minus those rating it low
(1–2), in points. *Points at stake*: the pain-map gain. *Rate it low*: share of the driver's raters
who rate it low; *detractors rating it low*: the same among the outcome's detractors.
"""),
    code("""
import pandas as pd
from IPython.display import HTML
from cxkit.report.tables import designed_table, save_table

shown = cxkit.driver_table(matrix, pain)
display(HTML(designed_table(
    shown, caption=f"Key drivers of {str(first['outcome']).upper()}, {where}",
    numeric=[c for c in shown.columns if c not in ("driver", "priority")])))
numbers = matrix[["driver", "label", "quadrant", "importance", "ci_low", "ci_high", "performance",
                  "n", "gap"]]
if pain is not None:
    numbers = numbers.merge(pain[["driver", "gain", "gain_low", "gain_high", "low_share",
                                  "group_low_share"]], on="driver", how="left", sort=False)
numbers = numbers.drop(columns="driver").rename(columns={
    "label": "driver", "quadrant": "priority", "importance": "importance %",
    "ci_low": "importance 95% CI low", "ci_high": "importance 95% CI high",
    "gap": "gap high - low (points)", "gain": "points at stake",
    "gain_low": "points at stake 95% CI low", "gain_high": "points at stake 95% CI high",
    "low_share": "rate it low %", "group_low_share": "detractors rating it low %"})
save_table(summary_path, "Key drivers", numbers.reset_index(drop=True),
           title=f"Key drivers of {str(first['outcome']).upper()}, {where} "
                 f"({'weighted' if first['weighted'] else 'unweighted'}; {method} importance)",
           formats={c: "0.0" for c in numbers.columns if c not in ("driver", "priority", "n")})
"""),
    code("""
# NBVAL_IGNORE_OUTPUT
_ = cxkit.report.save_summary(summary_path, {
    "period": where, "outcome": str(first["outcome"]), "method": method,
    "missing": str(first["missing"]), "r2": float(first["r2"]), "n_model": int(first["n_model"]),
    "sentence": cxkit.describe_drivers(matrix, pain),
    "findings": [cxkit.describe_drivers(matrix, pain)],
    "fix_first": [str(d) for d in matrix.loc[matrix["quadrant"] == "fix first", "driver"]],
    "drivers": [{"driver": str(r.driver), "importance": float(r.importance),
                 "ci_low": float(r.ci_low), "ci_high": float(r.ci_high),
                 "performance": float(r.performance), "quadrant": str(r.quadrant)}
                for r in matrix.itertuples()],
})
"""),
]

if __name__ == "__main__":
    print(write("drivers", cells))
