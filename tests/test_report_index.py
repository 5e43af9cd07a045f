"""The index page renderer, on a hand-made summary (no notebooks run)."""

from cxkit.report.index import render_index

SUMMARY = {
    "month": "2026-10", "survey": "Test survey",
    "config": {"path": "survey.yaml", "sha256": "a" * 64},
    "data_files": [{"path": "data.csv", "sha256": "b" * 64}],
    "load_report": {"rows_read": 120, "rows_kept": 110,
                    "exclusions": [{"reason": "duplicate respondent id", "column": "id", "count": 10}],
                    "missing": [{"score": "nps", "column": "ltr", "blank": 3, "declared": 4,
                                 "codes": {"11": 4}, "valid": 103}]},
    "notebooks": ["overview", "score_change"],
    "sections": {
        "overview": {"kpis": [
            {"metric": "nps", "label": "NPS", "value": 31.04, "ci_low": 27.0, "ci_high": 35.1, "n": 2412,
             "conf": 0.95, "method": "adjusted-wald", "units": "points", "better": "higher"},
            {"metric": "csat", "label": "CSAT", "value": 80.0, "ci_low": 78.0, "ci_high": 82.0, "n": 2400,
             "conf": 0.95, "method": "wilson", "units": "%", "better": "higher"},
            {"metric": "ces", "label": "CES", "value": 2.641, "ci_low": 2.59, "ci_high": 2.69, "n": 2300,
             "conf": 0.95, "method": "t", "units": "", "better": "lower"}],
            "findings": ["In 2026-10, NPS was 31.0 points."]},
        "score_change": {"changes": [
            {"metric": "nps", "baseline": "2026-09", "diff": -8.9, "ci_low": -12.7, "ci_high": -5.0,
             "p_value": 0.0001, "significant": True, "significant_segments": ["region South"]},
            {"metric": "csat", "baseline": "2026-09", "diff": -1.2, "ci_low": -3.4, "ci_high": 0.9,
             "p_value": 0.26, "significant": False},
            {"metric": "ces", "baseline": "2026-09", "diff": 0.1, "ci_low": 0.03, "ci_high": 0.17,
             "p_value": 0.004, "significant": True}],
            "findings": ["NPS fell from 39.8 to 31.0 <b>"]},
    },
}
META = {"version": "0.1.0", "run_seconds": 12.3, "generated": "2026-11-23 06:00",
        "titles": {"overview": "Overview", "score_change": "Score change"}}


def test_kpis_arrows_only_for_significant_changes_coloured_by_direction_of_better():
    html = render_index(SUMMARY, META)
    cards = html[html.index('<div class="kpis">'):html.index("What moved")]
    # NPS fell significantly: down arrow, bad, the change in points (not "%")
    assert ('aria-label="down, worse">▼</span> −8.9 points vs 2026-09<div class="detail">significant: '
            'CI −12.7 to −5.0, p &lt; 0.001') in cards
    # CSAT: no arrow, said plainly, in percentage points
    assert "no significant change vs 2026-09 (−1.2 points, p = 0.26)" in cards
    # CES rose significantly, and lower is better: up arrow, bad; two decimals for means, raw units
    assert 'aria-label="up, worse">▲</span> +0.10 vs 2026-09' in cards
    assert "2.64</div>" in cards and "lower is better" in cards
    assert cards.count("▲") + cards.count("▼") == 2
    assert "significant segment change: region South" in cards
    # every card says whether it is weighted
    assert cards.count("· unweighted") == 3


def test_what_moved_ranks_significant_findings_first_and_keeps_five():
    rows = [{"dimension": "region", "level": f"R{i}", "value_a": 40.0, "value_b": 40.0 - i, "diff": -float(i),
             "ci_low": -i - 1.0, "ci_high": -i + 1.0, "p_value": 0.001, "p_adj": 0.01} for i in range(1, 8)]
    summary = {**SUMMARY, "sections": {**SUMMARY["sections"], "score_change": {
        **SUMMARY["sections"]["score_change"], "correction": "holm",
        "significant_segment_changes": {"nps": rows}}}}
    html = render_index(summary, META)
    moved = html[html.index('<ol class="moved">'):html.index("</ol>")]
    items = moved.split("<li")[1:]
    assert len(items) == 5
    # ranked by |change| / SE among the significant ones: R7 (z 13.7) first, CSAT (n.s.) not shown
    assert "region R7" in items[0] and "region R6" in items[1]
    assert "CSAT" not in moved
    assert "40.0 → 33.0 (−7.0 points, Holm-adjusted p = 0.010)" in items[0]


def test_headline_chart_sparklines_weighting_notes_and_pooled_competitors():
    series = [{"period": f"2026-{m:02d}", "value": 30.0 + m, "ci_low": 27.0 + m, "ci_high": 33.0 + m, "n": 500}
              for m in range(1, 11)]
    summary = {**SUMMARY, "weighted": True, "weighting_notes": ["Unweighted, NPS fell significantly; weighted it did not."],
               "sections": {**SUMMARY["sections"],
                            "overview": {**SUMMARY["sections"]["overview"], "series": {"nps": series}},
                            "competitor_nps": {"own": "Acme", "period": "all periods", "weighted": False,
                                               "pooled": {"periods": 12, "first": "2025-11", "last": "2026-10"},
                                               "brands": [{"brand": "Acme", "nps": 25.7, "ci_low": 23.0, "ci_high": 28.4, "n": 2905},
                                                          {"brand": "Corvo", "nps": 22.4, "ci_low": 19.2, "ci_high": 25.5, "n": 2159}],
                                               "gaps": [{"brand": "Corvo", "gap": -3.3, "ci_low": -5.9, "ci_high": 0.7,
                                                         "p_adj": 0.12, "significant": False}]}},
               "notebooks": ["overview", "score_change", "competitor_nps"]}
    summary["sections"]["overview"]["kpis"] = [dict(k, weighted=True, n_eff=2000.4) for k in SUMMARY["sections"]["overview"]["kpis"]]
    html = render_index(summary, META)
    hero = html[html.index('<div class="hero">'):html.index("Headline scores")]
    assert "NPS per month, 2026-01 to 2026-10" in hero and "<polygon" in hero  # the interval band
    assert html.index('<div class="hero">') < html.index("Headline scores") < html.index("What moved")
    # the significant change of the report month is ringed and labelled on the chart
    assert "−8.9 vs 2026-09" in hero and 'stroke="#c62828"' in hero
    assert html.count('class="spark"') == 1  # only NPS has a series
    assert html.count("weighted (n_eff 2,000)") >= 3
    assert "Weighting changes a conclusion" in html and "weighted it did not." in html
    assert "Competitor NPS is <strong>pooled over 12 periods, 2025-11 to 2026-10</strong>" in html
    assert "−3.3 (n.s.)" in html and "own brand" in html


def test_accounting_findings_links_footer_and_escaping():
    html = render_index(SUMMARY, META)
    assert "Rows read</td><td class='num'>120" in html and "<th>Rows</th>" in html
    assert "Excluded: duplicate respondent id (id)</td><td class='num'>10" in html
    # missing answers per score, behind a toggle: blank, declared missing (code: rows), valid
    assert "<summary>Missing answers per score (1 row)" in html and "<td>4 (11: 4)</td>" in html
    assert "href='overview.html'" in html and "href='score_change.html'" in html
    assert "NPS fell from 39.8 to 31.0 &lt;b&gt;" in html  # findings are escaped
    assert "cxkit 0.1.0" in html and "aaaaaaaaaaaa" in html and "bbbbbbbbbbbb" in html
    assert "http://" not in html and "https://" not in html and "<script" not in html


def test_period_wording_and_skipped_analyses():
    html = render_index(SUMMARY, META)
    assert "Monthly CX report for <strong>2026-10</strong>" in html
    yearly = dict(SUMMARY, month="2018", period_type="year",
                  skipped={"sample_size": "segment planning needs monthly periods"})
    html = render_index(yearly, dict(META, titles={**META["titles"], "sample_size": "Sample-size planning"}))
    assert "Yearly CX report for <strong>2018</strong>" in html
    assert "<li>Sample-size planning: not run, because segment planning needs monthly periods.</li>" in html


def test_many_weighting_notes_show_overall_first_and_the_rest_behind_a_toggle():
    notes = [f"NPS region R{i}: weighted -1.0 (p = 0.4, not significant) but unweighted -9.0 (p = 0.01, "
             f"significant); this report uses the weighted figures." for i in range(4)]
    notes.append("CSAT overall: weighted -1.8 (p = 0.121, not significant) but unweighted -3.6 "
                 "(p < 0.001, significant); this report uses the weighted figures.")
    html = render_index({**SUMMARY, "weighting_notes": notes}, META)
    box = html[html.index("Weighting changes a conclusion"):]
    assert "(5 tests:" in box
    assert box.index("CSAT overall") < box.index("region R0")          # overall first
    assert "<summary>2 more</summary>" in box and box.index("region R2") > box.index("2 more")
