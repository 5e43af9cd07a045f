"""Generate notebooks/competitor_nps.ipynb (run: .venv/bin/python notebooks/_build/competitor_nps.py)."""

from _nb import code, md, params, write

cells = [
    md("""
# Competitor NPS: the balance of power

NPS of the own brand and its competitors from a relationship ("top-down") survey, in which the
**same respondents** rate every brand they know. Gaps to the own brand are therefore tested
**paired** (respondents who rate both brands), which gets their uncertainty right; p-values are
adjusted for testing several competitors. Every number comes from `cxkit`
(`cxkit.brand_comparison`); this notebook only presents. With the defaults it runs on the
bundled **synthetic** demo relationship survey.
"""),
    params("""
config: str = "demo-relationship"   # relationship survey config YAML (demo-relationship: the bundled demo)
month: str = "latest"               # period: YYYY-MM, latest (complete month), a window 2026-05:2026-10, or all
own: str = ""                       # own brand; empty: the own brand of the config
competitors: str = ""               # competitors, comma-separated; empty: all brands of the config
segment: str = ""                   # respondent filter, column: value (e.g. customer_type: Business); empty: everyone
weighted: bool = False              # use the config weight column (linearised SEs)
alpha: float = 0.05                 # significance level (applied to adjusted p-values)
correction: str = "holm"            # multiple-testing correction: holm, bonferroni, fdr-bh or none
paired_method: str = "paired-t"     # gap test: paired-t or paired-wald (respondents rating both), overlap (everyone rating each brand)
benchmarks: str = "Industry average: 22"  # external benchmarks, name: NPS, separated by semicolons (see docs/competitors.md)
conf: float = 0.95                  # confidence level of the intervals
n_boot: int = 2000                  # bootstrap replicates for the rank probabilities
seed: int = 0                       # bootstrap seed (same seed, same table)
redact: bool = True                 # accepted for the report runner (no free text is shown here)
summary_path: str = ""              # where the report runner wants the headline numbers (JSON)
"""),
    code("""
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

import cxkit
from cxkit.core.periods import parse_bool, parse_list

responses, load_report = cxkit.load_survey(config)
selected = cxkit.relationship_subset(responses, month, segment)
relationship = responses.attrs["cxkit"]["relationship"] or {}
own_brand = own or relationship["own"]
brand_list = [own_brand] + [b for b in (parse_list(competitors) or relationship["brands"]) if b != own_brand]
result = cxkit.brand_comparison(
    selected, own=own_brand, brands=brand_list, conf=float(conf), alpha=float(alpha),
    correction=correction, weighted=parse_bool(weighted), n_boot=int(n_boot), seed=int(seed),
    benchmarks=benchmarks, paired_method=paired_method)
selection = selected.attrs["cxkit"]["selection"]
print(f"Period: {selection['period']} · {selection['segment']} · {selection['rows']:,} respondents · "
      f"{'weighted' if result.weighted else 'unweighted'} · own brand {own_brand}")
"""),
    md("## In short"),
    code("""
print(cxkit.describe_brands(result))
"""),
    md("""
## NPS by brand
NPS with its confidence interval among the respondents who rate the brand; `rated_pct` is the
share of respondents who know (rate) the brand; shares are in percent.
"""),
    code("""
result.brands[["brand", "nps", "ci_low", "ci_high", "n", "promoters", "passives", "detractors",
               "rated_pct"]].round(1)
"""),
    code("""
# NBVAL_IGNORE_OUTPUT
fig, axes = plt.subplots(1, 2, figsize=(13, 0.6 * len(brand_list) + 2))
cxkit.plot_brand_forest(result, ax=axes[0])
cxkit.plot_brand_shares(result, ax=axes[1])
fig.tight_layout()
"""),
    md("""
## Gap to the own brand
Competitor − own, in NPS points. With the default `paired_method` the gap is measured among the
respondents who rate both brands (paired test), so it can differ a little from the difference of
the two NPS above, which use everyone who rates each brand (`paired_method="overlap"` tests that
difference instead). `p_adj` is adjusted for the number of competitors; intervals are unadjusted.
"""),
    code("""
result.gaps[["brand", "gap", "ci_low", "ci_high", "p_value", "p_adj", "significant", "n_pairs",
             "design"]].round({"gap": 1, "ci_low": 1, "ci_high": 1, "p_value": 4, "p_adj": 4})
"""),
    code("""
# NBVAL_IGNORE_OUTPUT
cxkit.plot_brand_gaps(result);
"""),
    md("""
## Who ranks where
Probability that each brand ranks first, second, … by NPS, from a seeded bootstrap that
resamples whole respondents (keeping each respondent's ratings together).
"""),
    code("""
result.ranks.round(3)
"""),
    md("""
## Who moves where
Each respondent's category for the own brand (rows) against the same respondent's category
for a competitor (columns); counts of respondents who rate both brands. Percent of the
competitor's promoters who are the own brand's detractors, passives, promoters below.
"""),
    code("""
for competitor in brand_list[1:]:
    print(f"{own_brand} (rows) × {competitor} (columns), respondents rating both:")
    display(cxkit.brand_crosstab(selected, own_brand, competitor, weighted=result.weighted))
"""),
    code("""
moves = result.crosstab
moves[moves["competitor_category"] == "Promoter"].pivot(
    index="own_category", columns="competitor", values="pct_of_competitor_category").round(1)
"""),
    md("## External benchmarks\nThe own brand against published NPS values (see `docs/competitors.md`)."),
    code("""
result.benchmarks.round(3) if len(result.benchmarks) else "No benchmarks given."
"""),
    code("""
summary = cxkit.report.save_summary(summary_path, {
    "period": selection["period"],
    "segment": selection["segment"],
    "respondents": selection["rows"],
    **result.to_dict(),
    "findings": cxkit.describe_brands(result).splitlines(),
})
"""),
]

if __name__ == "__main__":
    print(write("competitor_nps", cells))
