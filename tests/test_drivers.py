"""Tests of cxkit.drivers / pain_map / priority_matrix against values computed outside cxkit:
R (tests/refs_drivers.py), statsmodels OLS on every subset averaged by hand over all orders,
a hand implementation of Johnson's (2000) steps on the data, and hand algebra."""

import math
from itertools import combinations, permutations
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import cxkit
import refs_drivers as R

FIX = Path(__file__).parent / "fixtures"
SWISS_X = ["Agriculture", "Examination", "Education", "Catholic", "Infant.Mortality"]


@pytest.fixture(scope="module")
def swiss():
    return pd.read_csv(FIX / "swiss.csv")


def _survey(n=3000, seed=7, missing=0.0):
    """Synthetic CX table: 4 correlated 1-5 drivers, a 0-10 outcome driven mostly by speed."""
    rng = np.random.default_rng(seed)
    lat = rng.normal(size=n)
    X = {k: np.clip(np.rint(3 + a * lat + rng.normal(0, 1, n)), 1, 5)
         for k, a in (("speed", 0.6), ("staff", 0.5), ("ease", 0.4), ("price", 0.2))}
    y = np.clip(np.rint(6.5 + 0.9 * (X["speed"] - 3) + 0.4 * (X["staff"] - 3)
                        + 0.2 * (X["ease"] - 3) + 0.8 * lat + rng.normal(0, 1.2, n)), 0, 10)
    df = pd.DataFrame({"nps": y, **X, "weight": rng.uniform(0.5, 2, n)})
    if missing:
        for k in X:
            df.loc[rng.random(n) < missing, k] = np.nan
    return df


def _ols_r2(df, y, xs, weights=None):
    if not xs:
        return 0.0
    exog = sm.add_constant(df[list(xs)].to_numpy(float))
    if weights is None:
        return float(sm.OLS(df[y].to_numpy(float), exog).fit().rsquared)
    return float(sm.WLS(df[y].to_numpy(float), exog, weights=weights).fit().rsquared)


def _lmg_by_orders(df, y, xs, weights=None):
    """LMG by hand: R² of every subset by statsmodels OLS, increments averaged over all orders."""
    r2 = {frozenset(s): _ols_r2(df, y, s, weights)
          for k in range(len(xs) + 1) for s in combinations(xs, k)}
    imp = dict.fromkeys(xs, 0.0)
    orders = list(permutations(xs))
    for o in orders:
        for k, x in enumerate(o):
            imp[x] += r2[frozenset(o[:k + 1])] - r2[frozenset(o[:k])]
    return {x: v / len(orders) for x, v in imp.items()}, r2[frozenset(xs)]


def _johnson_by_hand(df, y, xs):
    """Johnson (2000), steps of the paper on the data: standardise, find the orthogonal Z
    closest to X (Z = X V D^-1/2 V'), regress y on Z (beta) and X on Z (Lambda), and
    eps_j = sum_k Lambda_jk² beta_k²."""
    X = df[xs].to_numpy(float)
    X = (X - X.mean(0)) / X.std(0)
    yy = df[y].to_numpy(float)
    yy = (yy - yy.mean()) / yy.std()
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    Z = U @ Vt * math.sqrt(len(X))                      # orthonormal columns scaled to sd 1
    beta = np.linalg.lstsq(Z, yy, rcond=None)[0]
    Lam = np.linalg.lstsq(Z, X, rcond=None)[0]          # Lam[k, j]: X_j on Z_k
    return dict(zip(xs, (Lam ** 2).T @ beta ** 2))


# ------------------------------------------------------------------------------------ swiss
def test_shapley_swiss_matches_r(swiss):
    t = cxkit.drivers(swiss, ("Fertility", "mean"), SWISS_X, n_boot=0).set_index("driver")
    for x, v in R.SWISS_LMG.items():
        assert t.loc[x, "r2_part"] == pytest.approx(v, abs=1e-10)
        assert t.loc[x, "importance"] == pytest.approx(100 * v / R.SWISS_R2, abs=1e-8)
    assert t["r2"].iloc[0] == pytest.approx(R.SWISS_R2, abs=1e-12)
    assert t["importance"].sum() == pytest.approx(100, abs=1e-9)


def test_johnson_swiss_matches_r(swiss):
    t = cxkit.drivers(swiss, ("Fertility", "mean"), SWISS_X, method="johnson",
                      n_boot=0).set_index("driver")
    for x, v in R.SWISS_JOHNSON.items():
        assert t.loc[x, "r2_part"] == pytest.approx(v, abs=1e-10)
    hand = _johnson_by_hand(swiss, "Fertility", SWISS_X)
    for x, v in hand.items():
        assert t.loc[x, "r2_part"] == pytest.approx(v, abs=1e-10)


# ------------------------------------------------------------------------------------ survey
def test_shapley_matches_statsmodels_all_subsets():
    df = _survey()
    xs = ["speed", "staff", "ease", "price"]
    t = cxkit.drivers(df, "nps", xs, n_boot=0).set_index("driver")
    ref, r2 = _lmg_by_orders(df, "nps", xs)
    for x in xs:
        assert t.loc[x, "r2_part"] == pytest.approx(ref[x], abs=1e-10)
    assert t["r2"].iloc[0] == pytest.approx(r2, abs=1e-12)
    # the planted ranking
    assert list(t.index[:2]) == ["speed", "staff"]


def test_weighted_shapley_matches_wls():
    df = _survey(n=1500, seed=3)
    xs = ["speed", "staff", "ease"]
    t = cxkit.drivers(df, "nps", xs, weighted="weight", n_boot=0).set_index("driver")
    ref, _ = _lmg_by_orders(df, "nps", xs, weights=df["weight"].to_numpy())
    for x in xs:
        assert t.loc[x, "r2_part"] == pytest.approx(ref[x], abs=1e-10)
    assert bool(t["weighted"].all())


def test_johnson_matches_hand_on_survey():
    df = _survey()
    xs = ["speed", "staff", "ease", "price"]
    t = cxkit.drivers(df, "nps", xs, method="johnson", n_boot=0).set_index("driver")
    for x, v in _johnson_by_hand(df, "nps", xs).items():
        assert t.loc[x, "r2_part"] == pytest.approx(v, abs=1e-10)


def test_complete_cases_and_pairwise_are_stated_and_correct():
    df = _survey(missing=0.1)
    xs = ["speed", "staff", "ease", "price"]
    t = cxkit.drivers(df, "nps", xs, n_boot=0)
    cc = df.dropna(subset=["nps", *xs])
    ref, _ = _lmg_by_orders(cc, "nps", xs)
    assert (t["missing"] == "complete").all()
    assert t["n_model"].iloc[0] == len(cc)
    for x, v in zip(t["driver"], t["r2_part"]):
        assert v == pytest.approx(ref[x], abs=1e-10)
    # pairwise: R² of the full model from the pandas pairwise correlation matrix, by hand
    tp = cxkit.drivers(df, "nps", xs, n_boot=0, missing="pairwise")
    C = df[["nps", *xs]].corr().to_numpy()      # pandas: pairwise-complete Pearson
    r = C[0, 1:]
    assert tp["r2"].iloc[0] == pytest.approx(float(r @ np.linalg.solve(C[1:, 1:], r)), abs=1e-10)
    assert (tp["missing"] == "pairwise").all()
    # n counts the answers to each driver among respondents with an outcome
    for x, n in zip(tp["driver"], tp["n"]):
        assert n == int((df["nps"].notna() & df[x].notna()).sum())


def test_bootstrap_interval_seeded_and_covers():
    df = _survey(n=1500)
    xs = ["speed", "staff", "ease"]
    a = cxkit.drivers(df, "nps", xs, n_boot=300, seed=5, bootstrap="multinomial")
    b = cxkit.drivers(df, "nps", xs, n_boot=300, seed=5, bootstrap="multinomial")
    pd.testing.assert_frame_equal(a, b)
    assert (a["ci_low"] < a["importance"]).all() and (a["importance"] < a["ci_high"]).all()
    assert (a["bootstrap"] == "multinomial").all()
    # the exact bootstrap by explicit resampling of rows (independent of the cross-product trick)
    rng = np.random.default_rng(11)
    shares = []
    for _ in range(200):
        d = df.iloc[rng.integers(0, len(df), len(df))]
        ref, r2 = _lmg_by_orders(d, "nps", xs)
        shares.append([100 * ref[x] / r2 for x in a["driver"]])
    lo, hi = np.quantile(shares, [0.025, 0.975], axis=0)
    # two bootstraps of 200-300 resamples agree to Monte Carlo error (~ 1/4 of the width)
    width = hi - lo
    assert np.all(np.abs(a["ci_low"].to_numpy() - lo) < 0.3 * width)
    assert np.all(np.abs(a["ci_high"].to_numpy() - hi) < 0.3 * width)
    # the normal form of the same bootstrap gives the same interval to Monte Carlo error
    c = cxkit.drivers(df, "nps", xs, n_boot=300, seed=5, bootstrap="normal")
    assert np.all(np.abs(c["ci_low"].to_numpy() - lo) < 0.3 * width)
    assert np.all(np.abs(c["ci_high"].to_numpy() - hi) < 0.3 * width)


def test_performance_gap_and_counts_by_hand():
    df = _survey()
    t = cxkit.drivers(df, "nps", ["speed", "staff"], n_boot=0).set_index("driver")
    ok = df["speed"].notna()
    assert t.loc["speed", "performance"] == pytest.approx(df.loc[ok, "speed"].mean(), abs=1e-12)
    nps = lambda s: 100 * ((s >= 9).mean() - (s <= 6).mean())  # noqa: E731
    lo, hi = df[df["speed"] <= 2], df[df["speed"] >= 4]
    assert t.loc["speed", "n_low"] == len(lo)
    assert t.loc["speed", "gap"] == pytest.approx(nps(hi["nps"]) - nps(lo["nps"]), abs=1e-9)
    tb = cxkit.drivers(df, "nps", ["speed", "staff"], n_boot=0,
                       performance="top-box").set_index("driver")
    assert tb.loc["staff", "performance"] == pytest.approx(100 * (df["staff"] >= 4).mean())


def test_pain_map_by_hand():
    df = pd.DataFrame({"nps": R.TINY_NPS, "staff": R.TINY_STAFF})
    pm = cxkit.pain_map(df, "nps", ["staff"], n_boot=0)
    r = pm.iloc[0]
    assert r["score_low"] == pytest.approx(R.TINY_SCORE_LOW)
    assert r["score_rest"] == pytest.approx(R.TINY_SCORE_REST)
    assert r["gain"] == pytest.approx(R.TINY_GAIN)
    assert r["group_low_share"] == pytest.approx(R.TINY_GROUP_LOW_SHARE)
    assert r["weight_share"] == pytest.approx(100.0)


def test_pain_map_gain_is_counterfactual_score():
    df = _survey()
    xs = ["speed", "staff", "price"]
    pm = cxkit.pain_map(df, "nps", xs, n_boot=200, seed=2).set_index("driver")
    nps = lambda s: 100 * ((s >= 9).mean() - (s <= 6).mean())  # noqa: E731
    for x in xs:
        low = df[x] <= 2
        # replace the low raters' scores by the rest's score: the headline becomes the rest's
        assert pm.loc[x, "gain"] == pytest.approx(nps(df.loc[~low, "nps"]) - nps(df["nps"]),
                                                  abs=1e-9)
        assert pm.loc[x, "gain_low"] < pm.loc[x, "gain"] < pm.loc[x, "gain_high"]
    assert pm["weight_share"].sum() == pytest.approx(100)
    assert pm.index[0] == "speed"


def test_priority_matrix_and_sentence():
    df = _survey()
    df["speed"] = np.clip(df["speed"] - 1, 1, 5)     # the most important driver performs worst
    t = cxkit.drivers(df, "nps", ["speed", "staff", "ease", "price"], n_boot=100, seed=1)
    m = cxkit.priority_matrix(t)
    assert m.iloc[0]["driver"] == "speed" and m.iloc[0]["quadrant"] == "fix first"
    assert set(m["quadrant"]) <= set(cxkit.QUADRANTS.values())
    text = cxkit.describe_drivers(m, cxkit.pain_map(df, "nps", ["speed", "staff"], n_boot=50,
                                                    seed=1))
    assert text.startswith("Fix speed first: it carries")
    assert "of NPS" in text
    assert "points" in text


@pytest.mark.parametrize("kwargs, match", [
    ({"drivers": ["nope"]}, "no driver column"),
    ({"drivers": ["speed", "speed"]}, "repeats"),
    ({"drivers": ["speed"], "method": "lmg"}, "method"),
    ({"drivers": ["speed"], "missing": "drop"}, "missing"),
    ({"drivers": ["nps"]}, "cannot also be a driver"),
    ({"drivers": [f"d{i}" for i in range(16)]}, "johnson"),
])
def test_argument_errors(kwargs, match):
    df = _survey(n=200)
    for i in range(16):
        df[f"d{i}"] = np.arange(200) % (i + 2)
    with pytest.raises(ValueError, match=match):
        cxkit.drivers(df, "nps", **kwargs)


def test_data_errors():
    df = _survey(n=200)
    df["flat"] = 3.0
    with pytest.raises(ValueError, match="same rating"):
        cxkit.drivers(df, "nps", ["speed", "flat"], n_boot=0)
    df["text"] = "x"
    with pytest.raises(ValueError, match="numeric"):
        cxkit.drivers(df, "nps", ["speed", "text"], n_boot=0)
    few = df.head(3)
    with pytest.raises(ValueError, match="needs more"):
        cxkit.drivers(few, "nps", ["speed", "staff"], n_boot=0)
