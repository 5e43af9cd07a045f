"""End-to-end tests of the monthly report runner on the bundled demo data.

The full report is built once per test session (module fixture) and its output tree,
``summary.json`` (against numbers computed directly with the cxkit API), failure path,
atomicity and repeatability are checked.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

import cxkit
from cxkit.cli import main as cli_main
from cxkit.core.errors import ConfigError, ReportError
from cxkit.report import REPORT_NOTEBOOKS, run_report

MONTH = "2026-10"


def test_latest_month_is_last_complete_month_of_demo(built):
    _, result = built
    assert result.month == MONTH


def test_output_tree(built):
    out, result = built
    target = out / MONTH
    names = [n for n, _ in REPORT_NOTEBOOKS]
    assert (target / "index.html").is_file()
    assert (target / "summary.json").is_file()
    for name in names:
        assert (target / f"{name}.html").is_file(), name
        assert (target / "notebooks" / f"{name}.ipynb").is_file(), name
    # nothing half-written is left beside the report: only the hidden state folder with the lock
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [".cxkit"]
    assert sorted(p.name for p in (out / ".cxkit").iterdir()) == ["lock"]


def test_html_pages_hide_code_and_are_offline(built):
    out, _ = built
    for page in (out / MONTH).glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "https://cdn" not in text and "cdnjs" not in text and "unpkg.com" not in text, page.name
        if page.name != "index.html":  # every notebook's code starts with `import cxkit`
            assert "import cxkit" not in text and "cxkit.load_survey(" not in text, f"{page.name} shows code"


def test_every_analysis_page_has_its_charts(built):
    out, _ = built
    for name in ("overview", "score_change", "sample_size", "competitor_nps", "drivers"):
        text = (out / MONTH / f"{name}.html").read_text(encoding="utf-8")
        assert text.count("src=\"data:image/png;base64,") >= 1, f"{name}.html has no charts"


def test_comments_are_masked_in_the_report(built):
    out, _ = built
    text = (out / MONTH / "overview.html").read_text(encoding="utf-8")
    # the demo's newest comments carry a fake e-mail address and phone number
    assert "[email]" in text and "[phone]" in text
    assert "john.smith@example.com" not in text and "555 0100" not in text


def test_executed_notebooks_got_parameters(built):
    out, _ = built
    nb = nbformat.read(out / MONTH / "notebooks" / "overview.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and f'month = "{MONTH}"' in injected[0].source


def test_summary_kpis_match_the_api(built):
    out, _ = built
    summary = json.loads((out / MONTH / "summary.json").read_text())
    assert summary["month"] == MONTH
    responses, report = cxkit.load_survey("demo")
    assert summary["load_report"]["rows_read"] == report.rows_read
    assert summary["load_report"]["rows_kept"] == report.rows_kept
    month_rows = responses[responses["period"].astype(str) == MONTH]
    # the demo config declares `weight:`, so the report is weighted by default (issue 12.2)
    direct = cxkit.summarize(month_rows, metrics=["nps", "csat", "ces"], weighted=True)
    kpis = {k["metric"]: k for k in summary["sections"]["overview"]["kpis"]}
    for row in direct.itertuples():
        k = kpis[row.metric]
        assert k["weighted"] is True and k["n_eff"] == pytest.approx(row.n_eff, rel=1e-9)
        assert k["value"] == pytest.approx(row.value, abs=1e-6)
        assert k["ci_low"] == pytest.approx(row.ci_low, abs=1e-6)
        assert k["ci_high"] == pytest.approx(row.ci_high, abs=1e-6)
        assert k["n"] == row.n


def test_summary_has_a_section_per_notebook(built):
    out, _ = built
    summary = json.loads((out / MONTH / "summary.json").read_text())
    assert summary["notebooks"] == [n for n, _ in REPORT_NOTEBOOKS]
    for name in summary["notebooks"]:
        assert summary["sections"][name], f"{name} wrote no summary"
    assert len(summary["config"]["sha256"]) == 64
    assert summary["data_files"] and len(summary["data_files"][0]["sha256"]) == 64


def test_index_page_content(built):
    out, _ = built
    text = (out / MONTH / "index.html").read_text(encoding="utf-8")
    assert MONTH in text and "Headline scores" in text
    for name in [n for n, _ in REPORT_NOTEBOOKS]:
        assert f"href='{name}.html'" in text
    assert "cxkit " in text and "sha256" not in text  # footer shows short hashes, not labels


def test_rerun_gives_identical_summary(tmp_path):
    a = run_report("demo", MONTH, tmp_path / "a", notebooks="overview", progress="quiet")
    b = run_report("demo", MONTH, tmp_path / "b", notebooks="overview", progress="quiet")
    assert (a.path / "summary.json").read_bytes() == (b.path / "summary.json").read_bytes()


def _broken_notebooks(tmp_path: Path) -> Path:
    """A copy of the notebooks folder whose overview notebook raises in its third code cell."""
    nb_dir = tmp_path / "nbs"
    shutil.copytree(cxkit.paths.NOTEBOOKS_DIR, nb_dir, ignore=shutil.ignore_patterns("_build"))
    nb = nbformat.read(nb_dir / "overview.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    code[2].source = "raise RuntimeError('planted failure for the test')"
    nbformat.write(nb, nb_dir / "overview.ipynb")
    return nb_dir


def test_failed_notebook_leaves_previous_report_untouched(tmp_path):
    out = tmp_path / "reports"
    good = run_report("demo", MONTH, out, notebooks="overview", progress="quiet")
    before = (good.path / "summary.json").read_bytes()
    with pytest.raises(ReportError) as info:
        run_report("demo", MONTH, out, notebooks="overview", progress="quiet",
                   notebooks_dir=_broken_notebooks(tmp_path))
    msg = str(info.value)
    assert "overview.ipynb" in msg and "cell" in msg and "planted failure for the test" in msg
    assert (good.path / "summary.json").read_bytes() == before
    assert (out / ".failed" / f"{MONTH}-overview.ipynb").is_file()
    assert not [p for p in out.iterdir() if p.name.startswith(".tmp-")]


def test_interrupt_leaves_nothing_half_written(tmp_path, monkeypatch):
    import cxkit.report.runner as rep

    calls = {"n": 0}
    real = rep._execute

    def interrupted(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(rep, "_execute", interrupted)
    out = tmp_path / "reports"
    with pytest.raises(KeyboardInterrupt):
        run_report("demo", MONTH, out, notebooks="overview,sample_size", progress="quiet")
    assert not (out / MONTH).exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".tmp-")]


def test_cli_broken_config_exits_nonzero(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("survey: x\nsources: [{path: nowhere.csv}]\nscores: {nps: {column: q, metric: nps}}\n")
    code = cli_main(["report", "--config", str(bad), "--month", MONTH, "--out", str(tmp_path / "r"), "--quiet"])
    err = capsys.readouterr().err
    assert code != 0
    assert "nowhere.csv" in err
    assert not (tmp_path / "r" / MONTH).exists()


def test_unknown_notebook_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="Unknown notebook"):
        run_report("demo", MONTH, tmp_path, notebooks="overview,nonsense", progress="quiet")


def test_no_redact_shows_comments_unmasked(tmp_path):
    code = cli_main(["report", "--config", "demo", "--month", MONTH, "--out", str(tmp_path),
                     "--notebooks", "overview", "--no-redact", "--quiet"])
    assert code == 0
    text = (tmp_path / MONTH / "overview.html").read_text(encoding="utf-8")
    assert "john.smith@example.com" in text


def test_report_on_real_sfo_data_by_year(realdata, tmp_path):
    """The SFO worked example (two yearly files, weights, messy codes) through the whole report."""
    config = cxkit.paths.PROJECT_DIR / "examples" / "sfo" / "sfo.yaml"
    result = run_report(config, "2018", tmp_path, progress="quiet")
    summary = json.loads((result.path / "summary.json").read_text())
    assert summary["month"] == "2018" and summary["period_type"] == "year"
    assert summary["notebooks"] == ["overview", "score_change", "drivers"]
    assert set(summary["skipped"]) == {"sample_size", "competitor_nps"}
    assert summary["sections"]["drivers"]["n_model"] == 748  # 2018 passengers rating all ten Q7 items
    assert summary["load_report"]["rows_read"] == 5640 and summary["load_report"]["rows_kept"] == 5608
    kpis = {k["metric"]: k for k in summary["sections"]["overview"]["kpis"]}
    assert set(kpis) == {"nps", "csat", "ease_find"}  # every score of the config by default
    # the NPS change worked out with plain pandas from the raw files (11 = blank)
    import pandas as pd

    raw = {y: pd.read_csv(realdata / "sfo_customer_survey" / f"{y}_SFO_Customer_Survey.csv",
                          skipinitialspace=True) for y in (2017, 2018)}
    nps = {}
    for y, df in raw.items():
        df.columns = df.columns.str.strip()
        s = pd.to_numeric(df["NETPRO"], errors="coerce")
        keep = s.between(0, 10)
        s, w = s[keep], pd.to_numeric(df["WEIGHT"], errors="coerce")[keep]
        nps[y] = 100 * (w[s >= 9].sum() - w[s <= 6].sum()) / w.sum()
    # the config declares `weight: WEIGHT`, so the report is weighted by default (issue 12.2)
    assert summary["weighted"] is True
    nps_change = {c["metric"]: c for c in summary["sections"]["score_change"]["changes"]}["nps"]
    assert nps_change["weighted"] is True
    assert nps_change["diff"] == pytest.approx(nps[2018] - nps[2017], abs=1e-6)
    assert nps_change["significant"]
    # CSAT: weighted −1.8 (p = 0.12) but unweighted −3.6 (p < 0.001): the index says so
    top = {}
    for y in (2017, 2018):
        df = pd.read_csv(realdata / "sfo_customer_survey" / f"{y}_SFO_Customer_Survey.csv",
                         skipinitialspace=True, dtype=str)
        df.columns = df.columns.str.strip()
        v = pd.to_numeric(df["Q7ALL"].str.strip(), errors="coerce")
        keep = v.between(1, 5)
        v, w = v[keep], pd.to_numeric(df["WEIGHT"], errors="coerce")[keep]
        top[y] = (100 * (v >= 4).mean(), 100 * w[v >= 4].sum() / w.sum())
    csat_change = {c["metric"]: c for c in summary["sections"]["score_change"]["changes"]}["csat"]
    assert csat_change["diff"] == pytest.approx(top[2018][1] - top[2017][1], abs=1e-6)
    assert round(top[2018][0] - top[2017][0], 1) == -3.6 and round(top[2018][1] - top[2017][1], 1) == -1.8
    csat = [n for n in summary["weighting_notes"] if n.startswith("CSAT overall:")]
    assert len(csat) == 1 and "weighted -1.8 (p = 0.121" in csat[0] and "unweighted -3.6 (p < 0.001" in csat[0]
    html = (result.path / "index.html").read_text(encoding="utf-8")
    assert "Yearly CX report for <strong>2018</strong>" in html and "Not in this report" in html
    assert "Weighting changes a conclusion" in html
