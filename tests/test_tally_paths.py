"""The tally's fast path (≥ 1M rows: bounds guessed from a sample, each block checked on its
integer codes) gives exactly what the exact two-pass path gives — also when a block breaks the
guess (a score or Period outside it, NaT, ±inf, a non-integer score) — and the histogram
counts equal numpy's own bincount of the rows."""

import functools
import importlib

import numpy as np
import pandas as pd
import pytest

import cxkit

T = importlib.import_module("cxkit.stats.tally")
N = 1_100_000


@functools.lru_cache(maxsize=1)
def _base(seed=4):
    rng = np.random.default_rng(seed)
    per = pd.period_range("2025-01", periods=12, freq="M")
    df = pd.DataFrame({"period": pd.Series(per.take(rng.integers(0, 12, N))),
                       "segment": pd.Categorical.from_codes(rng.integers(0, 5, N),
                                                            categories=list("abcde")),
                       "nps": rng.integers(0, 11, N).astype(float),
                       "csat": rng.integers(1, 6, N).astype(float),
                       "weight": rng.uniform(0.5, 2.0, N)})
    df.loc[rng.random(N) < 0.02, "nps"] = np.nan
    return df


def _frame():
    return _base().copy()


def _edit(kind):
    df = _frame()
    row = 1_000_001                         # far from the sampled rows' neighbourhood
    if kind == "score 11":
        df.loc[row, "nps"] = 11.0
    elif kind == "score -1":
        df.loc[row, "nps"] = -1.0
    elif kind == "score inf":
        df.loc[row, "nps"] = np.inf
    elif kind == "score 7.5":
        df.loc[row, "nps"] = 7.5
    elif kind == "NaT":
        df.loc[row, "period"] = pd.NaT
    elif kind == "period late":
        df.loc[row, "period"] = pd.Period("2031-01", "M")
    elif kind == "period early":
        df.loc[row, "period"] = pd.Period("2019-01", "M")
    return df


def _run(df, score, by, weight):
    try:
        return "ok", cxkit.tally(df, score, by=by, weight=weight)
    except Exception as exc:                # the same error on both paths
        return "error", f"{type(exc).__name__}: {exc}"


KINDS = ["plain", "score 11", "score -1", "score inf", "score 7.5", "NaT", "period late",
         "period early"]


@pytest.mark.parametrize("kind", KINDS)
def test_fast_path_equals_exact_path(kind, monkeypatch):
    df = _edit(kind)
    cases = [("nps", ["period", "segment"], None), ("nps", ["segment", "period"], "weight"),
             ("csat", ["period"], None)]
    fast = [_run(df, *c) for c in cases]
    monkeypatch.setattr(T, "_GUESS_MIN_ROWS", 10 ** 12)     # exact bounds, two passes
    exact = [_run(df, *c) for c in cases]
    for c, (kf, a), (ke, b) in zip(cases, fast, exact):
        assert kf == ke, (kind, c)
        if kf == "error":
            assert a == b
        else:
            pd.testing.assert_frame_equal(a, b, check_exact=True)
            assert a.attrs["tally"] == b.attrs["tally"]


def test_fast_path_counts_equal_numpy():
    df = _frame()
    t = cxkit.tally(df, "nps", by=["period", "segment"])
    s = df["nps"].to_numpy()
    ok = ~np.isnan(s)
    p = df["period"].array.asi8[ok]
    g = df["segment"].array.codes[ok]
    key = ((p - p.min()) * 5 + g) * 11 + s[ok].astype(int)
    expect = np.bincount(key)
    assert t["n"].tolist() == expect[expect > 0].tolist()
    assert t.attrs["tally"]["missing_score"] == int((~ok).sum())
    assert t.attrs["tally"]["valid"] == int(ok.sum())


def test_out_of_scale_score_found_on_the_fast_path_is_named():
    df = _edit("score 11")
    with pytest.raises(cxkit.SurveyDataError, match="11"):
        cxkit.summarize(df, "nps", by=["period", "segment"])
