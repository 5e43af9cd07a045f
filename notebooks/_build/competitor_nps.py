"""Generate notebooks/competitor_nps.ipynb (run: .venv/bin/python notebooks/_build/competitor_nps.py)."""

from _nb import code, md, params, write

cells = [
    md("""
# Competitor NPS: the balance of power

NPS of the own brand and its competitors from a relationship ("top-down") survey, in which the
**same respondents** rate every brand they know. Gaps to the own brand are therefore tested
**paired** (respondents who rate both brands), which gets their uncertainty right; p-values are
adjusted for testing several competitors. Every number comes from `cxkit`
(`cxkit.brand_comparison`); this notebook only presents.
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
engine: str = ""                    # "" as the config says (pandas by default), or duckdb: a lazy engine survey
summary_path: str = ""              # where the report runner wants the headline numbers (JSON)
"""),
    code("""
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

import cxkit
from cxkit.core.periods import parse_bool, parse_list

responses, load_report = cxkit.report.open_survey(config, engine)
selected = cxkit.relationship_subset(responses, month, segment)
relationship = responses.attrs["cxkit"]["relationship"] or {}
own_brand = own or relationship["own"]
brand_list = [own_brand] + [b for b in (parse_list(competitors) or relationship["brands"]) if b != own_brand]
result = cxkit.brand_comparison(
    selected, own=own_brand, brands=brand_list, conf=float(conf), alpha=float(alpha),
    correction=correction, weighted=parse_bool(weighted), n_boot=int(n_boot), seed=int(seed),
    benchmarks=benchmarks, paired_method=paired_method)
selection = selected.attrs["cxkit"]["selection"]
"""),
    code("""
from IPython.display import HTML, Markdown, display

from cxkit.report.tables import is_demo, brands_html, designed_table, fmt_num, gaps_html, markdown_list, save_table

periods_in = [str(p) for p in cxkit.periods_of(selected)]
pooled = {"periods": len(periods_in), "first": periods_in[0] if periods_in else None,
          "last": periods_in[-1] if periods_in else None}
span = (f"pooled over {pooled['periods']} periods, {pooled['first']} to {pooled['last']}"
        if pooled["periods"] > 1 else f"period {pooled['first'] or selection['period']}")
display(Markdown(
    f"**{load_report.survey}** · {span} · {selection['segment']} · {selection['rows']:,} respondents · "
    f"{'weighted' if result.weighted else 'unweighted'} · own brand **{own_brand}**"
    + (" · the bundled *synthetic demo* survey" if is_demo(config) else "")))
"""),
    md("## In short"),
    code("""
display(Markdown(markdown_list(cxkit.describe_brands(result).splitlines())))
"""),
    md("""
## NPS by brand
NPS with its confidence interval among the respondents who rate the brand; "Rate the brand" is
the share of respondents who know (rate) it; shares are in percent.
"""),
    code("""
display(HTML(brands_html(result)))
save_table(summary_path, "Brands", result.brands[["brand", "nps", "ci_low", "ci_high", "n", "promoters", "passives",
                                                   "detractors", "rated_pct"]].rename(columns={
    "brand": "Brand", "nps": "NPS", "ci_low": "CI low", "ci_high": "CI high", "promoters": "Promoters %",
    "passives": "Passives %", "detractors": "Detractors %", "rated_pct": "Rate the brand %"}),
    title=f"NPS by brand, {span}, {'weighted' if result.weighted else 'unweighted'}")
"""),
    code("""
# NBVAL_IGNORE_OUTPUT
fig, ax = plt.subplots(figsize=(8.5, 0.55 * len(brand_list) + 1.8))
cxkit.plot_brand_forest(result, ax=ax)
plt.show()
fig, ax = plt.subplots(figsize=(8.5, 0.5 * len(brand_list) + 1.8))
cxkit.plot_brand_shares(result, ax=ax)
plt.show()
"""),
    md("""
## Gap to the own brand
Competitor − own, in NPS points. With the default `paired_method` the gap is measured among the
respondents who rate both brands (paired test), so it can differ a little from the difference of
the two NPS above, which use everyone who rates each brand (`paired_method="overlap"` tests that
difference instead). p is adjusted for the number of competitors; intervals are unadjusted.
"""),
    code("""
display(HTML(gaps_html(result)))
save_table(summary_path, "Gaps", result.gaps[["brand", "gap", "ci_low", "ci_high", "p_value", "p_adj", "n_pairs",
                                               "design"]].assign(significant=result.gaps["significant"].map({True: "yes", False: "no"}))
           .rename(columns={"brand": "Competitor", "gap": "Gap (competitor - own)", "ci_low": "CI low", "ci_high": "CI high",
                            "p_value": "p", "p_adj": f"p ({result.correction})", "n_pairs": "Respondents rating both",
                            "design": "Design", "significant": "Significant"}),
           title=f"Gap to {own_brand}, NPS points, {span}", formats={"p": "0.0000", f"p ({result.correction})": "0.0000"})
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
rank_cols = [c for c in result.ranks.columns if c.startswith("rank_")]
ordinal = lambda k: f"{k}{'st' if k == 1 else 'nd' if k == 2 else 'rd' if k == 3 else 'th'}"
ranks_shown = pd.DataFrame({"Brand": result.ranks["brand"],
                            **{ordinal(int(c.split('_')[1])): [f"{100 * v:.0f}%" for v in result.ranks[c]]
                               for c in rank_cols},
                            "Expected rank": [fmt_num(v, 2) for v in result.ranks["expected_rank"]]})
display(HTML(designed_table(ranks_shown, caption=f"Probability of each rank by NPS ({result.n_boot:,} bootstrap "
                                                 f"replicates, seed {result.seed})",
                            numeric=[c for c in ranks_shown.columns if c != "Brand"])))
"""),
    md("""
## Who moves where
Each respondent's category for the own brand (rows) against the same respondent's category
for a competitor (columns); counts of respondents who rate both brands. Percent of the
competitor's promoters who are the own brand's detractors, passives, promoters below.
"""),
    code("""
for competitor in brand_list[1:]:
    xt = cxkit.brand_crosstab(selected, own_brand, competitor, weighted=result.weighted)
    shown_xt = xt.reset_index().rename(columns={xt.index.name or "index": f"{own_brand} ↓ / {competitor} →"})
    shown_xt = shown_xt.astype(object).map(lambda v: f"{v:,.0f}" if isinstance(v, (int, float)) else str(v))
    display(HTML(designed_table(shown_xt, caption=f"{own_brand} (rows) × {competitor} (columns): respondents rating both",
                                numeric=list(shown_xt.columns[1:]))))
"""),
    code("""
moves = result.crosstab
if len(moves):
    pivot = moves[moves["competitor_category"] == "Promoter"].pivot(
        index="own_category", columns="competitor", values="pct_of_competitor_category")
    shown_moves = pivot.reset_index().rename(columns={"own_category": f"Category for {own_brand}"})
    for c in shown_moves.columns[1:]:
        shown_moves[c] = [f"{fmt_num(v, 1)}%" for v in shown_moves[c]]
    shown_moves.columns = [str(c) for c in shown_moves.columns]
    display(HTML(designed_table(shown_moves, caption="Each competitor's promoters: what they think of " + own_brand,
                                numeric=list(shown_moves.columns[1:]))))
"""),
    md("## External benchmarks\nThe own brand against published NPS values (see `docs/competitors.md`)."),
    code("""
if len(result.benchmarks):
    b = result.benchmarks
    shown_b = pd.DataFrame({"Benchmark": b["benchmark"], "Benchmark NPS": [fmt_num(v, 1) for v in b["benchmark_nps"]],
                            own_brand: [fmt_num(v, 1) for v in b["nps"]],
                            "Difference": [fmt_num(v, 1, signed=True) for v in b["diff"]],
                            "95% CI": [f"{fmt_num(lo, 1)} to {fmt_num(hi, 1)}" for lo, hi in zip(b["ci_low"], b["ci_high"])],
                            "p": [cxkit.report.tables.fmt_p(v) for v in b["p_value"]],
                            "Significant": b["significant"].map({True: "yes", False: "no"})})
    display(HTML(designed_table(shown_b, numeric=["Benchmark NPS", own_brand, "Difference", "95% CI", "p"])))
else:
    display(Markdown("No benchmarks given."))
"""),
    code("""
summary = cxkit.report.save_summary(summary_path, {
    "period": selection["period"],
    "segment": selection["segment"],
    "respondents": selection["rows"],
    **result.to_dict(),
    "findings": cxkit.describe_brands(result).splitlines(),
    "pooled": pooled,
})
"""),
]

if __name__ == "__main__":
    print(write("competitor_nps", cells))
