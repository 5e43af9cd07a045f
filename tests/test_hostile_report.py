"""PII through the report's other doors (issue 16.3), end to end: an e-mail address typed into a
score cell and excluded (``on_invalid: exclude``) must not appear unmasked anywhere in the
published report — summary.json, the executed notebook, the HTML pages, the index."""

from __future__ import annotations

import pandas as pd
import yaml

import cxkit
from cxkit.report.runner import run_report

SECRET = "jane.doe@example.com"


def test_email_in_a_score_cell_is_masked_in_every_report_file(tmp_path):
    files = cxkit.demo.write_demo_data(tmp_path / "data")
    csv = files["transactional.csv"]
    df = pd.read_csv(csv, dtype=str, keep_default_na=False)
    df.loc[5, "ltr"] = SECRET
    df.to_csv(csv, index=False, lineterminator="\n")
    cfg = yaml.safe_load(files["transactional.yaml"].read_text())
    cfg["on_invalid"] = "exclude"
    cfg.pop("relationship_survey", None)
    cfg_path = tmp_path / "data" / "survey.yaml"
    cfg_path.write_text(yaml.safe_dump(cfg))
    _, report = cxkit.load_survey(cfg_path)
    assert report.excluded("score not a number") == 1
    run_report(cfg_path, "latest", tmp_path / "out", notebooks="overview", progress="quiet")
    texts = {p: p.read_text(encoding="utf-8", errors="replace")
             for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert any(p.name == "summary.json" for p in texts)
    leaked = [str(p) for p, t in texts.items() if SECRET in t or "jane.doe" in t]
    assert not leaked, leaked
    summary = next(t for p, t in texts.items() if p.name == "summary.json")
    assert "[email]" in summary
