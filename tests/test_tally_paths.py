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


# --- the compiled kernel (numba, cxkit.stats.kernels) against the numpy path -----------------
K = importlib.import_module("cxkit.stats.kernels")


def _numpy_path(monkeypatch):
    """Make the tally take its numpy path (as without numba)."""
    monkeypatch.setattr(K, "_KERNELS", {"numba": False})


def _kernel_frame(kind):
    df = _edit(kind if kind in KINDS else "plain")
    rng = np.random.default_rng(11)
    n = len(df)
    df["store"] = rng.integers(100, 140, n)                        # integer group column
    df["region"] = pd.Series(np.array(list("NSEW"), dtype=object)[rng.integers(0, 4, n)])
    if kind == "NA groups":
        na = rng.random(n) < 0.01
        df.loc[na, "segment"] = np.nan
        df.loc[rng.random(n) < 0.01, "period"] = pd.NaT
        df.loc[rng.random(n) < 0.01, "region"] = None
    if kind == "bad weights":
        w = df["weight"].to_numpy().copy()
        for value, share in ((np.nan, 0.01), (0.0, 0.005), (-1.0, 0.005), (np.inf, 0.001),
                             (-np.inf, 0.001)):
            w[rng.random(n) < share] = value
        df["weight"] = w
    return df


KERNEL_KINDS = KINDS + ["NA groups", "bad weights"]
KERNEL_CASES = [("nps", ["period", "segment"], None), ("nps", ["period", "segment"], "weight"),
                ("nps", ["segment", "store", "period"], "weight"), ("csat", ["store"], None),
                ("nps", ["region", "segment"], "weight"), ("nps", None, "weight"),
                ("nps", ["period", "segment", "region", "store"], None)]   # 4 columns: numpy


def _assert_same(a, b, what):
    ka, ra = a
    kb, rb = b
    assert ka == kb, what
    if ka == "error":
        assert ra == rb, what
        return
    assert ra.attrs["tally"] == rb.attrs["tally"], what
    pd.testing.assert_frame_equal(ra.drop(columns=[c for c in ("w", "w2") if c in ra]),
                                  rb.drop(columns=[c for c in ("w", "w2") if c in rb]),
                                  check_exact=True)
    for c in ("w", "w2"):
        if c in ra:                              # summation order differs
            np.testing.assert_allclose(ra[c], rb[c], rtol=1e-12, atol=0, err_msg=str(what))


@pytest.mark.parametrize("kind", KERNEL_KINDS)
def test_compiled_kernel_equals_numpy_path(kind, monkeypatch):
    pytest.importorskip("numba")
    df = _kernel_frame(kind)
    used = []
    orig = K.histogram

    def spy(*args, **kw):
        out = orig(*args, **kw)
        used.append(out is not None)
        return out

    monkeypatch.setattr(K, "histogram", spy)
    compiled = [_run(df, *c) for c in KERNEL_CASES]
    if kind not in ("score 7.5", "score inf"):  # (non-integer scores: the general coder)
        assert used and all(used), kind         # the kernel really ran
    for guess in (True, False):
        with monkeypatch.context() as m:
            _numpy_path(m)
            if not guess:
                m.setattr(T, "_GUESS_MIN_ROWS", 10 ** 12)
            ref = [_run(df, *c) for c in KERNEL_CASES]
        if guess:
            for c, a, b in zip(KERNEL_CASES, compiled, ref):
                _assert_same(a, b, (kind, c))
    if kind == "score 11":                      # out of scale: the same SurveyDataError
        with monkeypatch.context() as m:
            _numpy_path(m)
            with pytest.raises(cxkit.SurveyDataError) as e_np:
                cxkit.summarize(df, "nps", by=["period", "segment"])
        with pytest.raises(cxkit.SurveyDataError) as e_k:
            cxkit.summarize(df, "nps", by=["period", "segment"])
        assert str(e_k.value) == str(e_np.value)


def test_compiled_kernel_counts_equal_an_independent_bincount():
    pytest.importorskip("numba")
    df = _kernel_frame("bad weights")
    t = cxkit.tally(df, "nps", by=["store", "segment"], weight="weight")
    s = df["nps"].to_numpy()
    w = df["weight"].to_numpy()
    ok_s = ~np.isnan(s)
    with np.errstate(invalid="ignore"):
        ok_w = np.isfinite(w) & (w > 0)
    ok = ok_s & ok_w
    st = df["store"].to_numpy()[ok] - df["store"].min()
    g = df["segment"].array.codes[ok]
    key = (st * 5 + g) * 11 + s[ok].astype(int)
    expect = np.bincount(key)
    assert t["n"].tolist() == expect[expect > 0].tolist()
    sw = np.bincount(key, weights=w[ok])
    np.testing.assert_allclose(t["w"], sw[expect > 0], rtol=1e-12)
    np.testing.assert_allclose(t["w2"], np.bincount(key, weights=w[ok] ** 2)[expect > 0],
                               rtol=1e-12)
    info = t.attrs["tally"]
    assert info["missing_weight"] == int((ok_s & ~ok_w).sum())
    assert info["missing_score"] == int((~ok_s).sum())


def test_small_tallies_and_import_do_not_load_numba():
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    code = ("import sys, numpy as np, pandas as pd, cxkit\n"
            "df = pd.DataFrame({'nps': np.arange(60_000) % 11 * 1.0, 'g': np.arange(60_000) % 7})\n"
            "cxkit.summarize(df, 'nps', by='g')\n"
            "print('numba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, env={**__import__("os").environ, "PYTHONPATH": str(root)})
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_without_numba_the_numpy_path_runs(monkeypatch):
    import sys
    df = _kernel_frame("NA groups")
    case = ("nps", ["period", "segment"], "weight")
    with_kernel = _run(df, *case)
    monkeypatch.setitem(sys.modules, "numba", None)     # `import numba` raises ImportError
    monkeypatch.setattr(K, "_KERNELS", {})
    used = []
    orig = K.histogram
    monkeypatch.setattr(K, "histogram", lambda *a, **k: used.append(orig(*a, **k)) or used[-1])
    without = _run(df, *case)
    assert used == [None] and K._KERNELS == {"numba": False}
    _assert_same(with_kernel, without, case)
