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
    # NPS fell significantly: down arrow, bad
    assert 'aria-label="down, worse">▼</span> -8.9 vs 2026-09 (CI -12.7 to -5.0, p < 0.001)' in html
    # CSAT: no arrow, said plainly
    assert "no significant change vs 2026-09 (-1.2%)" in html
    # CES rose significantly, and lower is better: up arrow, bad; two decimals for means
    assert 'aria-label="up, worse">▲</span> +0.10 vs 2026-09' in html
    assert "2.64</div>" in html and "lower is better" in html
    assert html.count("▲") + html.count("▼") == 2
    assert "significant segment change: region South" in html


def test_accounting_findings_links_footer_and_escaping():
    html = render_index(SUMMARY, META)
    assert "Rows read</td><td class='num'>120" in html
    assert "Excluded: duplicate respondent id (id)</td><td class='num'>10" in html
    assert "declared missing 4 (11: 4)" in html
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
