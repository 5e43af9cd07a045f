"""Designed tables (cxkit.report.tables), the rich HTML reprs of the result classes, and
tables.xlsx.

Expected values are written out by hand from the rules (decimals, p wording, ordering) or read
back from the tables the analysis returned, never from the rendering code itself.
"""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

import cxkit
from cxkit.report.tables import (changes_html, change_rows, designed_table, fmt_num, fmt_p, period_word,
                                 weight_label)
from cxkit.stats.changes import ScoreChanges
from cxkit.stats.twosample import Comparison


def _cells(html):
    return [re.sub(r"<[^>]+>", "", c).replace("&lt;", "<").replace("&amp;", "&").strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", html, flags=re.S)]


def _headers(html):
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th [^>]*col_heading[^>]*>(.*?)</th>", html, re.S)]


def test_number_and_p_rules():
    assert fmt_num(-0.04, 1) == "0.0" and fmt_num(-0.0, 2) == "0.00"  # never "-0.0"
    assert fmt_num(-3.25, 1, signed=True) == "−3.2" and fmt_num(3.26, 1, signed=True) == "+3.3"
    assert fmt_num(0.0, 1, signed=True) == "0.0"
    assert fmt_num(12345.678, 2) == "12,345.68" and fmt_num(float("nan")) == "–"
    assert [fmt_p(p) for p in (0.0009999, 0.001, 0.0499, 0.1, 0.99999, 1.0)] == \
        ["< 0.001", "0.001", "0.050", "0.10", "1.00", "1.00"]
    assert weight_label(True, 2133.6) == "weighted (n_eff 2,134)" and weight_label(False, 9) == "unweighted"
    assert [period_word(p) for p in ("2026-10", "2026Q4", "2026", pd.Period("2026-10", "M"),
                                     pd.Period("2026", "Y"))] == ["month", "quarter", "year", "month", "year"]


def test_designed_table_has_headers_no_index_and_escapes():
    html = designed_table(pd.DataFrame({"Brand": ["<b>A&B</b>"], "NPS": ["31.0"]}), caption="x < y",
                          numeric=("NPS",))
    assert _headers(html) == ["Brand", "NPS"]
    assert "&lt;b&gt;A&amp;B&lt;/b&gt;" in html and "x &lt; y" in html
    assert "row_heading" not in html  # the 0…n index is hidden
    assert 'class="data row0 col1 num"' in html
    # the same table renders to the same HTML (stored notebook outputs are compared)
    assert html == designed_table(pd.DataFrame({"Brand": ["<b>A&B</b>"], "NPS": ["31.0"]}), caption="x < y",
                                  numeric=("NPS",))


def _fake_changes(n_levels=30, sig_levels=(7,), few_levels=(3,)):
    """A ScoreChanges with a hand-made table: level L<i> moves by -i/2 points, SE 1."""
    rows = [{"dimension": "overall", "level": "all", "value_a": 40.0, "value_b": 39.0, "diff": -1.0,
             "ci_low": -2.96, "ci_high": 0.96, "p_value": 0.32, "p_adj": 0.32, "n_a": 1000, "n_b": 1000,
             "significant": False, "too_few": False}]
    for i in range(n_levels, 0, -1):  # stored in reverse label order on purpose
        few = i in few_levels
        rows.append({"dimension": "area", "level": f"L{i}", "value_a": 40.0, "value_b": 40.0 - i / 2,
                     "diff": -i / 2, "ci_low": -i / 2 - 1.96, "ci_high": -i / 2 + 1.96,
                     "p_value": math.nan if few else 0.01, "p_adj": math.nan if few else (0.0004 if i in sig_levels else 0.5),
                     "n_a": 10 if few else 100, "n_b": 10 if few else 100, "significant": i in sig_levels,
                     "too_few": few})
    t = pd.DataFrame(rows)
    overall = Comparison(metric="nps", diff=-1.0, se=1.0, ci_low=-2.96, ci_high=0.96, statistic=-1.0, p_value=0.32,
                         n_a=1000, n_b=1000, n_eff_a=1000.0, n_eff_b=1000.0, method="adjusted-wald",
                         value_a=40.0, value_b=39.0, kind="nps")
    return ScoreChanges(metric="nps", period="2018", baseline="2017", overall=overall, table=t, vs_rest=t,
                        kind="nps")


def test_change_rows_label_order_and_ranking():
    res = _fake_changes()
    t = change_rows(res)
    assert list(t["level"][:4]) == ["all", "L1", "L2", "L3"]  # natural label order, overall first
    ranked = list(t.sort_values("_rank")["level"])
    # overall, the significant level, then tested levels by size (L30, L29, …), too-few last
    assert ranked[:4] == ["all", "L7", "L30", "L29"] and ranked[-1] == "L3"


def test_long_change_table_shows_significant_first_and_full_table_behind_a_toggle():
    html = changes_html(_fake_changes(), top=12)
    head, full = html.split("<details", 1)
    cells = _cells(head)
    assert cells[:7] == ["Overall", "40.0", "39.0", "−1.0", "−3.0 to 1.0", "0.32", "1,000 → 1,000"]
    assert cells[7:14] == ["Area: L7", "40.0", "36.5", "▼ −3.5", "−5.5 to −1.5", "< 0.001", "100 → 100"]
    assert head.count("<tr>") - 1 == 13 and "12 of 30 segment levels; 1 significant" in head
    assert "Full table: all 30 segment levels" in full
    full_cells = _cells(full)
    l3 = full_cells.index("Area: L3")
    assert full_cells[l3:l3 + 7] == ["Area: L3", "40.0", "38.5", "too few (< 30)", "not tested", "–", "10 → 10"]
    assert "nan" not in html.lower() and "True" not in html and "False" not in html and "-0.0" not in html
    assert _headers(head) == ["Segment", "2017", "2018", "Change", "95% CI", "p (Holm)", "n"]
    assert "Intervals are unadjusted 95% CIs" in html and "significant after Holm adjustment" in html


def _demo():
    responses, report = cxkit.load_survey("demo")
    return responses, report


def test_rich_reprs_of_the_result_classes():
    responses, report = _demo()
    res = cxkit.score_changes(responses, "nps", "2026-10", "previous")
    dec = cxkit.decompose_change(responses, "nps", by="region", period="2026-10")
    tr = cxkit.trend(responses, "nps", periods=6, end="2026-10")
    base = cxkit.planning_baseline("nps", {"promoters": 50, "detractors": 20})
    plan = cxkit.sample_size("nps", margin=5, baseline=base)
    cad = cxkit.reporting_cadence(30, metric="nps", baseline=base, margin=5)
    rel, _ = cxkit.load_survey("demo-relationship")
    bc = cxkit.brand_comparison(rel, n_boot=50)
    est = cxkit.nps(responses["nps"].dropna())
    objs = [res, res.overall, dec, tr, plan, cad, bc, report] + ([est] if est is not None else [])
    for obj in objs:
        html = obj._repr_html_()
        name = type(obj).__name__
        assert re.search(r"<table [^>]*class=\"cx-table\"", html), name
        assert _headers(html) and all(_headers(html)), name
        text = " ".join(_cells(html))
        assert "nan" not in text.lower() and "True" not in text and "False" not in text, name
        assert not re.search(r"(?<![\w.])-0\.0+\b", text) and "−0.0 " not in text, name
        assert repr(obj).startswith(name), f"plain repr of {name} changed"
    # the numbers are the result's own, in the metric's decimals
    south = res.table[(res.table["dimension"] == "region") & (res.table["level"] == "South")].iloc[0]
    html = res._repr_html_()
    assert f"▼ {fmt_num(south['diff'], 1, signed=True)}" in html
    assert f"{south['value_a']:.1f}" in html and f"{south['value_b']:.1f}" in html
    assert f"{report.rows_read:,} rows read" in report._repr_html_()
    gap = bc.gaps.iloc[0]
    assert fmt_num(gap["gap"], 1, signed=True) in bc._repr_html_()
    assert f"{plan.n:,}" in plan._repr_html_()


def test_tables_xlsx_beside_the_pages(built):
    openpyxl = pytest.importorskip("openpyxl")
    out, result = built
    path = result.path / "tables.xlsx"
    assert path.is_file()
    wb = openpyxl.load_workbook(path)
    names = wb.sheetnames
    for expected in ("Scores NPS", "Change nps", "Vs rest nps", "Mix-rate nps", "Planning", "Brands", "Gaps",
                     "Key drivers"):
        assert expected in names, names
    # the drivers sheet holds numbers in the page's priority order (summary.json's drivers)
    drv = wb["Key drivers"]
    head = [c.value for c in drv[3]]
    assert head[:4] == ["driver", "priority", "importance %", "importance 95% CI low"]
    first = drv[4]
    top = result.summary["sections"]["drivers"]["drivers"][0]
    assert first[2].value == pytest.approx(top["importance"], abs=1e-6)   # summary.json rounds
    assert first[3].value == pytest.approx(top["ci_low"], abs=1e-6)
    ws = wb["Change nps"]
    assert ws["A1"].value.startswith("nps: 2026-09 → 2026-10")
    header = [c.value for c in ws[3]]
    assert header[:5] == ["Dimension", "Level", "Baseline", "Report period", "Change"]
    assert ws["A3"].font.bold and ws.freeze_panes == "A4"
    # the overall change on the sheet is the one in summary.json, as a number
    change = {c["metric"]: c for c in result.summary["sections"]["score_change"]["changes"]}["nps"]
    assert ws["E4"].value == pytest.approx(change["diff"], abs=1e-9)
    sig = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[header.index("Significant")] == "yes"]
    assert [(r[0], r[1]) for r in sig] == [("region", "South")]
    brands = wb["Brands"]
    assert [c.value for c in brands[3]][:2] == ["Brand", "NPS"]
