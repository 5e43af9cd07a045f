"""Every notebook runs on every valid config (issues 16.2, 12.5): small generated surveys at the
edges — NPS near 100, no ``segments:``, a single period — and a relationship (competitor)
survey config alone.  Degenerate sections say why they are empty; nothing crashes.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cxkit
from cxkit.report import run_report

MONTH = "2026-10"


def make_survey(folder: Path, *, high=False, segments=True, periods=3, n=300, seed=1) -> Path:
    """A small monthly NPS survey: ``high`` makes 98.5 % of answers a 10 (NPS 100)."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for p in pd.period_range(end=MONTH, periods=periods, freq="M"):
        for i in range(n):
            ltr = (10 if rng.random() < 0.985 else 9) if high else int(rng.integers(0, 11))
            rows.append({"id": f"{p}-{i}", "date": f"{p}-{int(rng.integers(1, 28)):02d}", "ltr": ltr,
                         "region": rng.choice(["N", "S"]), "w": round(float(rng.uniform(0.5, 2)), 3)})
    pd.DataFrame(rows).to_csv(folder / "s.csv", index=False)
    lines = ["survey: tiny", "sources: [s.csv]", "respondent_id: id", "date: date", "period: month",
             "weight: w", "scores:", "  nps: {column: ltr, metric: nps}"]
    if segments:
        lines.append("segments: {region: region}")
    (folder / "s.yaml").write_text("\n".join(lines) + "\n")
    return folder / "s.yaml"


def test_nps_near_100_planning_says_why_there_is_no_change_plan(tmp_path):
    cfg = make_survey(tmp_path / "s", high=True)
    assert cxkit.summarize(cxkit.load_survey(cfg)[0], metrics=["nps"])["value"].iloc[0] > 95
    res = run_report(cfg, MONTH, tmp_path / "out", progress="quiet")
    plan = res.summary["sections"]["sample_size"]
    assert res.summary["notebooks"] == ["overview", "score_change", "sample_size"]
    assert plan["change_plan"] is None and "impossible" in plan["change_plan_note"]
    html = (res.path / "sample_size.html").read_text(encoding="utf-8")
    assert "No plan for a 5-point change" in html


def test_no_segments_change_page_runs_and_says_why_no_decomposition(tmp_path):
    cfg = make_survey(tmp_path / "s", segments=False)
    res = run_report(cfg, MONTH, tmp_path / "out", notebooks="score_change,sample_size", progress="quiet")
    sec = res.summary["sections"]["score_change"]
    assert sec["decomposition"] == {} and sec["changes"][0]["metric"] == "nps"
    html = (res.path / "score_change.html").read_text(encoding="utf-8")
    assert "No decomposition: the config has no" in html


def test_single_period_skips_the_change_page_with_the_reason(tmp_path):
    cfg = make_survey(tmp_path / "s", periods=1)
    res = run_report(cfg, MONTH, tmp_path / "out", progress="quiet")
    assert "score_change" not in res.summary["notebooks"]
    assert "no responses in the baseline month 2026-09" in res.summary["skipped"]["score_change"]
    assert res.summary["sections"]["overview"]["kpis"][0]["n"] == 300
    assert "no responses in the baseline month" in (res.path / "index.html").read_text(encoding="utf-8")


def test_relationship_survey_alone_gives_a_report(tmp_path):
    cfg = cxkit.paths.DEMO_RELATIONSHIP_CONFIG
    res = run_report(cfg, "latest", tmp_path / "out", progress="quiet")
    s = res.summary
    assert s["notebooks"] == ["overview", "score_change", "sample_size", "competitor_nps"]
    brands = ["Acme", "Brightline", "Corvo", "Dunmore"]
    assert [k["metric"] for k in s["sections"]["overview"]["kpis"]] == brands  # brand NPS cards
    assert s["sections"]["sample_size"]["metric"] == "Acme"  # planning for the own brand's NPS
    assert s["sections"]["competitor_nps"]["own"] == "Acme"
    assert s["weighted"] is True  # the demo relationship config declares a weight
    direct = cxkit.summarize(cxkit.load_survey(cfg)[0].query("period == @pd.Period('2026-10', 'M')",
                                                             local_dict={"pd": pd}), metrics=["Acme"],
                             weighted=True)
    acme = s["sections"]["overview"]["kpis"][0]
    assert acme["value"] == pytest.approx(direct["value"].iloc[0], abs=1e-6)  # summary: 10 digits
    assert acme["n_eff"] == pytest.approx(direct["n_eff"].iloc[0], abs=1e-6)
