"""docs/weighting.md worked example 2 runs as written: the demo relationship survey raked to
invented market shares through the shipped `weighting:` config, loaded with load_survey."""

import contextlib
import io
import re
from pathlib import Path

import numpy as np
import pytest
import yaml

import cxkit

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "weighting.md"
CONFIG = ROOT / "examples" / "demo" / "relationship_weighted.yaml"


def _example2():
    text = DOC.read_text(encoding="utf-8")
    part = text[text.index("## Worked example 2"):]
    part = part[:part.index("\n## ", 5)]
    code = re.search(r"```python\n(.*?)```", part, re.S).group(1)
    out = re.search(r"```text\n(.*?)```", part, re.S).group(1)
    conf = re.search(r"```yaml\n(.*?)```", part, re.S).group(1)
    return code, out, conf


def test_docs_worked_example_runs_and_prints_what_the_docs_show(tmp_path, monkeypatch):
    code, shown, _ = _example2()
    assert "cxkit.rake(" not in code        # raked by the config, not in code
    monkeypatch.chdir(tmp_path)             # paths resolve from the project / the config file
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(compile(code, str(DOC), "exec"), {"__name__": "docs_example"})
    got = buf.getvalue()
    assert [ln.rstrip() for ln in got.strip().splitlines()] == \
        [ln.rstrip() for ln in shown.strip().splitlines()]
    # the ranking with its uncertainty, before and after
    assert "Brightline 32.0 (29.1 to 35.0)" in got and "Brightline 31.1 (27.6 to 34.5)" in got
    assert "+6.8 (+3.6 to +9.9)*" in got and "+3.1 (-0.6 to +6.8) " in got


def test_docs_yaml_is_the_shipped_config():
    _, _, conf = _example2()
    shown = yaml.safe_load(conf)["weighting"]
    shipped = yaml.safe_load(CONFIG.read_text())
    assert shipped["weighting"] == shown
    # the rest is the demo relationship survey, its data found from the config's folder
    demo = yaml.safe_load((ROOT / "data" / "demo" / "relationship.yaml").read_text())
    for k in ("respondent_id", "date", "period", "weight", "segments", "scores", "relationship"):
        assert shipped[k] == demo[k]
    assert (CONFIG.parent / shipped["sources"][0]["path"]).resolve() == \
        (ROOT / "data" / "demo" / "relationship.csv").resolve()


def test_shipped_config_rakes_as_the_api(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    resp, rep = cxkit.load_survey(CONFIG)
    base, _ = cxkit.load_survey("demo-relationship")
    r = cxkit.rake(base, cxkit.read_targets(CONFIG.parent / "market_shares.csv"),
                   base_weight="weight", trim=(0.3, 3), max_iter=1000)
    np.testing.assert_allclose(resp["weight"], r.weights, rtol=1e-12)
    np.testing.assert_allclose(resp["base_weight"], base["weight"])
    assert rep.weighting["converged"] and rep.weighting["units"] == {
        "region": "percent", "customer_type": "percent"}
    assert rep.weighting["source"] == str((CONFIG.parent / "market_shares.csv").resolve())
    m = {(x["variable"], x["category"]): x for x in rep.weighting["margins"]}
    assert m[("customer_type", "Business")]["achieved"] == pytest.approx(60, abs=1e-4)
    assert m[("region", "North")]["sample"] == pytest.approx(100 * (base["region"] == "North").mean())
