"""cxkit.rake: raking (IPF) with trimming, against R survey::rake + trimWeights
(tests/r/weights_refs.R -> tests/refs_weights.py) and hand algebra."""

from pathlib import Path
import warnings

import numpy as np
import pandas as pd
import pytest

import cxkit
from cxkit import SurveyDataError
import refs_weights as R

GEN = Path(__file__).parent / "r" / "weights_gen.csv"
TARGETS = {"region": {"North": 30, "South": 45, "East": 25},
           "age": {"18-34": 20, "35-54": 50, "55+": 30}}


@pytest.fixture(scope="module")
def gen():
    return pd.read_csv(GEN)


def test_rake_matches_r_rake(gen):
    r = cxkit.rake(gen, TARGETS, base_weight="w0")
    assert r.converged
    np.testing.assert_allclose(r.weights.to_numpy(), R.GEN_RAKE_WEIGHTS, rtol=1e-6)
    assert r.total == pytest.approx(gen["w0"].sum())
    m = r.margins.set_index(["variable", "category"])
    assert m.loc[("region", "South"), "target"] == pytest.approx(45)
    assert m.loc[("region", "South"), "achieved"] == pytest.approx(45, abs=1e-4)
    assert m.loc[("age", "55+"), "n"] == int((gen["age"] == "55+").sum())


def test_rake_fractions_and_no_base_weight_match_r(gen):
    frac = {v: {k: x / 100 for k, x in c.items()} for v, c in TARGETS.items()}
    r = cxkit.rake(gen, frac)
    np.testing.assert_allclose(r.weights.to_numpy(), R.GEN_RAKE_UNWEIGHTED, rtol=1e-6)
    assert r.total == pytest.approx(len(gen))
    # totals give the same weights scaled to the population total
    tot = {v: {k: x * 1000 for k, x in c.items()} for v, c in TARGETS.items()}
    r2 = cxkit.rake(gen, tot)
    np.testing.assert_allclose(r2.weights.to_numpy(), r.weights.to_numpy() * 100_000 / len(gen),
                               rtol=1e-6)


def test_rake_trim_matches_r_trimweights_loop(gen):
    r = cxkit.rake(gen, TARGETS, base_weight="w0", trim=(0.5, 2), max_iter=2000, tol=1e-9)
    assert r.converged
    np.testing.assert_allclose(r.weights.to_numpy(), R.GEN_RAKE_TRIM_WEIGHTS, rtol=1e-6)
    assert r.min_ratio >= 0.5 - 1e-9 and r.max_ratio <= 2 + 1e-9
    assert r.trimmed > 0
    assert r.trim == (0.5, 2.0)


def test_rake_trim_default_iterations_warns_not_converged(gen):
    with pytest.warns(RuntimeWarning, match="did not converge"):
        r = cxkit.rake(gen, TARGETS, base_weight="w0", trim=(0.5, 2))
    assert not r.converged


def test_diagnostics_hand_algebra(gen):
    r = cxkit.rake(gen, TARGETS, base_weight="w0")
    w = np.asarray(R.GEN_RAKE_WEIGHTS)
    ne = w.sum() ** 2 / (w ** 2).sum()
    assert r.n == len(gen)
    assert r.n_eff == pytest.approx(ne, rel=1e-6)
    assert r.efficiency == pytest.approx(100 * ne / len(gen), rel=1e-6)
    assert r.design_effect == pytest.approx(len(gen) / ne, rel=1e-6)
    assert r.max_weight == pytest.approx(w.max(), rel=1e-6)
    assert r.max_ratio == pytest.approx(w.max() / w.mean(), rel=1e-6)
    d = r.to_dict()
    assert d["converged"] is True and len(d["margins"]) == 6


def test_independent_table_closed_form():
    # x and y independent in the sample: IPF is exact after one sweep, by hand
    # x: p (4 rows) 3/4 = 0.75, q (2 rows) 3/2 = 1.5; y: u sums 3 -> 1.5 (x0.5), v 3 -> 4.5 (x1.5)
    df = pd.DataFrame({"x": list("ppppqq"), "y": ["u", "u", "v", "v", "u", "v"]})
    r = cxkit.rake(df, {"x": {"p": 50, "q": 50}, "y": {"u": 25, "v": 75}})
    np.testing.assert_allclose(r.weights, [0.375, 0.375, 1.125, 1.125, 0.75, 2.25])
    assert r.converged and r.iterations <= 2


def test_trim_weights_as_r_hand():
    # R: pw = (1,1,1,5), upper 3: 5 -> 3, trimmings 2 shared by the three others (+2/3 each)
    np.testing.assert_allclose(cxkit.trim_weights([1, 1, 1, 5], upper=3), [5 / 3, 5 / 3, 5 / 3, 3])
    # strict: (1, 1, 4, 6) upper 3.5 -> (1,1,3.5,3.5) + 3/2 each to the first two = 2.5
    np.testing.assert_allclose(cxkit.trim_weights([1, 1, 4, 6], upper=3.5), [2.5, 2.5, 3.5, 3.5])


@pytest.mark.parametrize("targets, match", [
    ({"region": {"North": 50, "South": 50}}, "do not list"),
    ({"region": {"North": 30, "South": 45, "East": 20, "West": 5}}, "No response has region"),
    ({"region": {"North": 30, "South": -5, "East": 75}}, "positive"),
    ({"regio": {"North": 100}}, "not a column"),
    ({"region": {"North": 300, "South": 450, "East": 250},
      "age": {"18-34": 200, "35-54": 500, "55+": 310}}, "disagree"),
])
def test_bad_targets_are_clear_errors(gen, targets, match):
    with pytest.raises(SurveyDataError, match=match):
        cxkit.rake(gen, targets)


def test_impossible_joint_targets_error():
    df = pd.DataFrame({"x": ["p", "p", "q", "q"], "y": ["u", "u", "v", "v"]})  # x == y
    with pytest.raises(SurveyDataError, match="cannot be met together"):
        cxkit.rake(df, {"x": {"p": 50, "q": 50}, "y": {"u": 20, "v": 80}})


def test_missing_values_and_bad_base_weight(gen):
    g = gen.copy()
    g.loc[3, "age"] = None
    with pytest.raises(SurveyDataError, match="no value for the raking variable 'age'"):
        cxkit.rake(g, TARGETS)
    g = gen.copy()
    g.loc[5, "w0"] = 0
    with pytest.raises(SurveyDataError, match="non-positive"):
        cxkit.rake(g, TARGETS, base_weight="w0")
    with pytest.raises(SurveyDataError, match="trim"):
        cxkit.rake(gen, TARGETS, trim="wide")


def test_read_targets(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("variable,category,target\nregion,North,30\nregion,South,45%\nregion,East,25\n")
    assert cxkit.read_targets(p) == {"region": {"North": 30.0, "South": 45.0, "East": 25.0}}
    p.write_text("variable,category,target\nregion,North,lots\n")
    with pytest.raises(SurveyDataError, match="row 2"):
        cxkit.read_targets(p)
    with pytest.raises(SurveyDataError, match="does not exist"):
        cxkit.read_targets(tmp_path / "nope.csv")


def _sfo_2018(realdata):
    d = pd.read_csv(realdata / "sfo_customer_survey" / "2018_SFO_Customer_Survey.csv",
                    skipinitialspace=True)
    d.columns = [c.strip() for c in d.columns]
    d = d[d["NETPRO"].notna() & (d["NETPRO"] != 11)].reset_index(drop=True)
    return d


def test_sfo_rake_trim_matches_r(realdata):
    d = _sfo_2018(realdata)
    assert len(d) == R.SFO_N[1]
    targets = {"BAREA": dict(zip("ABCDEFG", [25, 8, 8, 17, 7, 15, 20])),
               "STRATA": {"1": 30, "2": 35, "3": 35}}
    r = cxkit.rake(d, targets, base_weight="WEIGHT", trim=(0.3, 3), max_iter=2000, tol=1e-9)
    w = r.weights.to_numpy()
    np.testing.assert_allclose(w[:10], R.SFO18_RAKE_FIRST, rtol=1e-5)
    assert w.sum() == pytest.approx(R.SFO18_RAKE_SUM, rel=1e-9)
    assert w.min() == pytest.approx(R.SFO18_RAKE_MIN, rel=1e-6)
    assert w.max() == pytest.approx(R.SFO18_RAKE_MAX, rel=1e-6)
    assert r.n_eff == pytest.approx(R.SFO18_RAKE_NEFF, rel=1e-5)


def _relationship_config(tmp_path, **extra):
    import yaml
    root = Path(__file__).resolve().parents[1]
    d = yaml.safe_load((root / "data" / "demo" / "relationship.yaml").read_text())
    d["sources"][0]["path"] = str(root / "data" / "demo" / "relationship.csv")
    d.update(extra)
    p = tmp_path / "rel.yaml"
    p.write_text(yaml.safe_dump(d))
    return p


def test_config_weighting_applied_at_load(tmp_path):
    (tmp_path / "targets.csv").write_text(
        "variable,category,target\nregion,North,25\nregion,East,25\nregion,South,25\n"
        "region,West,25\ncustomer_type,Consumer,50\ncustomer_type,Business,50\n")
    p = _relationship_config(tmp_path, weighting={"targets": "targets.csv", "trim": [0.3, 3],
                                                  "max_iter": 1000},
                             design={"strata": "region"})
    resp, rep = cxkit.load_survey(p)
    # the same raking done by hand on the loaded responses, from the configured base weight
    by_hand = cxkit.rake(resp, cxkit.read_targets(tmp_path / "targets.csv"),
                         base_weight="base_weight", trim=(0.3, 3), max_iter=1000)
    np.testing.assert_allclose(resp["weight"], by_hand.weights, rtol=1e-12)
    shares = resp.groupby("region", observed=True)["weight"].sum() / resp["weight"].sum()
    assert shares.to_numpy() == pytest.approx([0.25] * 4, abs=1e-5)
    wt = rep.weighting
    assert wt["converged"] and wt["base_weight"] == "base_weight"
    assert wt["source"].endswith("targets.csv")
    assert rep.to_dict()["weighting"]["n_eff"] == pytest.approx(by_hand.n_eff)
    assert resp.attrs["cxkit"]["weighting"] is wt
    assert "Raked to 2 margins (region, customer_type)" in str(rep)
    # the configured design routes summarize to the design-based variance
    t = cxkit.summarize(resp, "Acme", weighted=True)
    assert t["method"].iloc[0] == "design-linearized"
    ref = cxkit.design_summary(resp, "Acme", design={"strata": "region"})
    assert t["se"].iloc[0] == pytest.approx(ref["se"].iloc[0])
    plain = cxkit.summarize(resp, "Acme", weighted=True, design=False)
    assert plain["method"].iloc[0] == "linearized"


def test_config_weighting_errors(tmp_path):
    with pytest.raises(cxkit.ConfigError, match="not a segment"):
        cxkit.read_config(_relationship_config(tmp_path, weighting={"targets": {"age": {"a": 1}}}))
    with pytest.raises(cxkit.ConfigError, match="trim"):
        cxkit.read_config(_relationship_config(
            tmp_path, weighting={"targets": {"region": {"North": 100}}, "trim": [2, 3]}))
    with pytest.raises(cxkit.ConfigError, match="does not exist"):
        cxkit.read_config(_relationship_config(tmp_path, weighting={"targets": "nope.csv"}))
    with pytest.raises(cxkit.ConfigError, match="design"):
        cxkit.read_config(_relationship_config(tmp_path, design={"fpc": 3}))
    p = _relationship_config(tmp_path, weighting={"targets": {"region": {"North": 50, "East": 50}}})
    with pytest.raises(SurveyDataError, match="weighting.*do not list"):
        cxkit.load_survey(p)


def test_no_weighting_no_design_unchanged():
    resp, rep = cxkit.load_survey("demo")
    assert rep.weighting is None and "weighting" not in rep.to_dict()
    assert resp.attrs["cxkit"]["design"] is None
