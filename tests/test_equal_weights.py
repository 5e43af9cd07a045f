"""Issue 11.2: weights that are all equal are no weighting — every estimate and test gives the
unweighted result (value, SE, interval, n, n_eff and the default method)."""

import numpy as np
import pandas as pd
import pytest

import cxkit

FIELDS = ("value", "se", "ci_low", "ci_high", "n", "n_eff", "method")
CMP_FIELDS = ("diff", "se", "ci_low", "ci_high", "statistic", "p_value", "n_a", "n_b",
              "n_eff_a", "n_eff_b", "method", "df")


def _same(a, b, fields):
    for f in fields:
        x, y = getattr(a, f), getattr(b, f)
        if isinstance(x, str):
            assert x == y, f
        elif isinstance(x, float) and np.isnan(x):
            assert np.isnan(y), f
        else:
            assert x == pytest.approx(y, rel=1e-12, abs=1e-12), f


@pytest.fixture
def scores():
    rng = np.random.default_rng(5)
    return {"nps": rng.integers(0, 11, 137).astype(float),
            "csat": rng.integers(1, 6, 137).astype(float),
            "ces": rng.integers(1, 8, 137).astype(float)}


@pytest.mark.parametrize("c", [1.0, 2.5, 1e-3])
def test_estimators_with_equal_weights_equal_unweighted(scores, c):
    w = np.full(137, c)
    for fn, key in ((cxkit.nps, "nps"), (cxkit.csat, "csat"), (cxkit.ces, "ces"),
                    (cxkit.top_box, "csat")):
        u, e = fn(scores[key]), fn(scores[key], weights=w)
        _same(e, u, FIELDS)
        assert e.weighted                      # the flag still says weights were given
    # the weighted default with unequal weights is the linearised interval (unchanged)
    w2 = w.copy()
    w2[0] *= 2
    assert cxkit.nps(scores["nps"], weights=w2).method == "linearized"
    # an explicitly requested method is honoured with equal weights too
    _same(cxkit.nps(scores["nps"], weights=w, method="linearized"),
          cxkit.nps(scores["nps"], method="linearized"), FIELDS)


def test_nan_scores_with_equal_weights(scores):
    x = scores["nps"].copy()
    x[:7] = np.nan
    _same(cxkit.nps(x, weights=np.ones(137)), cxkit.nps(x), FIELDS)


def test_zero_weight_is_not_equal_weighting(scores):
    w = np.ones(137)
    w[3] = 0.0
    assert cxkit.nps(scores["nps"], weights=w).method == "linearized"


def test_summarize_with_a_constant_weight_column(scores):
    df = pd.DataFrame({**scores, "region": np.where(np.arange(137) % 3 == 0, "N", "S"),
                       "w": 1.7})
    u = cxkit.summarize(df, ["nps", "csat", "ces"], by="region")
    w = cxkit.summarize(df, ["nps", "csat", "ces"], by="region", weighted="w")
    cols = ["value", "se", "ci_low", "ci_high", "n", "n_eff"]
    pd.testing.assert_frame_equal(w[cols], u[cols], rtol=1e-12)
    assert list(w["method"]) == list(u["method"])
    assert w["weighted"].all()


@pytest.mark.parametrize("metric", ["nps", "csat", "ces"])
def test_compare_with_equal_weights_equals_unweighted(scores, metric):
    a, b = scores[metric][:70], scores[metric][70:]
    u = cxkit.compare(a, b, metric=metric)
    e = cxkit.compare(a, b, metric=metric, weights_a=np.full(70, 2.0), weights_b=np.full(67, 0.5))
    _same(e, u, CMP_FIELDS)
    # paired
    up = cxkit.compare(scores[metric], scores[metric][::-1], metric=metric, paired=True)
    ep = cxkit.compare(scores[metric], scores[metric][::-1], metric=metric, paired=True,
                       weights_a=np.full(137, 3.0))
    _same(ep, up, CMP_FIELDS)
    # explicit weighted methods stay available
    assert cxkit.compare(a, b, metric=metric, weights_a=np.ones(70), weights_b=np.ones(67),
                         method="linearized-t").method == "linearized-t"
