"""Estimates with uncertainty for NPS, CSAT/top-box, CES/means, churn and retention.

Every estimate is computed from a score histogram (see :mod:`cxkit.tally`): the per-response
value (NPS +100/0/−100, top box 100/0, the raw score for means) is constant within a score,
so the point estimate, its variance — plug-in, or Taylor-linearised with weights — the
multinomial bootstrap and the score interval all follow from a few numbers per bin.
:func:`estimate_from_histogram` is the engine; :func:`nps`, :func:`csat`, :func:`ces`,
:func:`top_box` and :func:`mean_score` tally raw scores and call it; :func:`cxkit.summarize`
applies the same closed forms to arrays of groups at once.

Interval methods
----------------
NPS (points, −100…100):
    ``"score"`` (default, unweighted), ``"adjusted-wald"``, ``"wald"``, ``"bootstrap"``,
    ``"linearized"`` (default, weighted).
CSAT / top box (percent):
    ``"wilson"`` (default), ``"wald"``, ``"agresti-coull"``, ``"beta"`` (Clopper–Pearson)
    — all via :func:`statsmodels.stats.proportion.proportion_confint` — ``"linearized"``,
    ``"bootstrap"``.
Means (CES, raw units):
    ``"t"`` (default), ``"bootstrap"``.

``Estimate.value`` is always the raw estimate and ``Estimate.se`` always its standard error
— the plug-in (Wald/delta) SE unweighted, the linearised SE weighted — whatever the interval
method, so results can be combined (e.g. for differences) consistently.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, stats

from ..core.checks import check_conf, check_method, check_number, warn_deprecated
from ..core.metrics import Estimate, MetricSpec, metric_spec

__all__ = ["estimate_from_histogram", "nps", "nps_from_counts", "csat", "top_box", "ces",
           "mean_score", "nps_variance", "effective_n", "design_effect", "churn_rate",
           "retention_rate", "nps_score_interval", "NPS_METHODS", "PROPORTION_METHODS",
           "MEAN_METHODS", "default_method"]

NPS_METHODS = ("adjusted-wald", "wald", "score", "bootstrap", "linearized")
PROPORTION_METHODS = ("wilson", "wald", "agresti-coull", "beta", "linearized", "bootstrap")
MEAN_METHODS = ("t", "bootstrap")
_METHODS = {"nps": NPS_METHODS, "top_box": PROPORTION_METHODS, "mean": MEAN_METHODS}
_CLIP = {"nps": (-100.0, 100.0), "top_box": (0.0, 100.0), "mean": (-np.inf, np.inf)}
NO_RESPONSES = "no valid responses"
#: statsmodels' names of the Wald and Agresti–Coull intervals
_SM_METHOD = {"wald": "normal", "agresti-coull": "agresti_coull"}


def default_method(metric="nps", weighted=False) -> str:
    """The default interval method of a metric kind.

    Parameters
    ----------
    metric : str or MetricSpec, default "nps"
    weighted : bool, default False

    Returns
    -------
    str
        ``"score"`` for NPS (``"linearized"`` when weighted), ``"wilson"`` for CSAT/top
        box (with Kish effective counts when weighted), ``"t"`` for means.

    Notes
    -----
    The defaults are the methods whose measured coverage is closest to nominal on
    ``benchmarks/coverage.py``'s grid: the score interval for NPS (exact coverage 94.8–96.5 %
    at n ≥ 50 over the grid, including lopsided shares with promoters ≥ 90 % and detractors
    ≤ 2 %, where the adjusted-Wald interval reaches 97.8 %; see benchmarks/README.md), Wilson
    for proportions; the linearised normal interval is the design-based default with weights.

    References
    ----------
    .. [1] Rocks, B. (2016). *The American Statistician* 70(4), 365–372.
    .. [2] Brown, L. D., Cai, T. T., DasGupta, A. (2001). *Statistical Science* 16(2), 101–133.

    Examples
    --------
    >>> default_method("nps"), default_method("nps", weighted=True), default_method("ces")
    ('score', 'linearized', 't')
    """
    kind = metric_spec(metric).kind if not isinstance(metric, MetricSpec) else metric.kind
    if kind == "nps":
        return "linearized" if weighted else "score"
    return "wilson" if kind == "top_box" else "t"


def _z(conf):
    return float(stats.norm.ppf(0.5 + conf / 2))


def _rng(seed):
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


# --------------------------------------------------------------------------------------------
# group moments and closed-form intervals over arrays of groups (shared with cxkit.summary)
# --------------------------------------------------------------------------------------------

def _group_moments(gid, G, x, n, w=None, w2=None) -> dict:
    """Per-group moments of the recoded value ``x`` from histogram rows (vectorised).

    Returns arrays: N, sum_w, mean, var (plug-in), se_plugin = sqrt(var/N) (unweighted) ,
    se_lin (svymean form; unit weights when unweighted), n_eff, and, for NPS/top-box use,
    shares of x == 100 and x == −100 (weighted shares when weighted).
    """
    gid = np.asarray(gid, dtype=np.int64)
    x = np.asarray(x, dtype=float)
    n = np.asarray(n, dtype=float)
    weighted = w is not None
    ww = np.asarray(w, dtype=float) if weighted else n
    ww2 = np.asarray(w2, dtype=float) if weighted else n
    with np.errstate(invalid="ignore", divide="ignore"):
        N = np.bincount(gid, n, minlength=G)
        sw = np.bincount(gid, ww, minlength=G)
        mean = np.bincount(gid, ww * x, minlength=G) / sw
        dev2 = (x - mean[gid]) ** 2
        var = np.bincount(gid, ww * dev2, minlength=G) / sw
        sw2 = np.bincount(gid, ww2, minlength=G)
        n_eff = sw ** 2 / sw2
        se_lin = np.sqrt(N / (N - 1) * np.bincount(gid, ww2 * dev2, minlength=G) / sw ** 2)
        se_lin = np.where(N > 1, se_lin, np.nan)
        se_plugin = np.sqrt(var / N)
        top = np.bincount(gid, ww * (x == 100.0), minlength=G) / sw
        bottom = np.bincount(gid, ww * (x == -100.0), minlength=G) / sw
        zero = np.bincount(gid, ww * (x == 0.0), minlength=G) / sw
    return {"N": N, "sum_w": sw, "mean": mean, "var": var, "se_plugin": se_plugin,
            "se_lin": se_lin, "n_eff": n_eff, "p_top": top, "p_bottom": bottom, "p_zero": zero,
            "weighted": weighted}


def _nps_wald_arrays(P, M, D, conf, adjusted):
    """Wald / adjusted-Wald NPS interval (points) from (possibly effective) counts."""
    P, M, D = (np.asarray(a, dtype=float) for a in (P, M, D))
    if adjusted:
        P, M, D = P + 0.75, M + 1.5, D + 0.75
    n = P + M + D
    with np.errstate(invalid="ignore", divide="ignore"):
        pp, pd_ = P / n, D / n
        est = pp - pd_
        se = np.sqrt(np.maximum(pp + pd_ - est ** 2, 0.0) / n)
    z = _z(conf)
    lo = np.clip(est - z * se, -1, 1) * 100
    hi = np.clip(est + z * se, -1, 1) * 100
    return lo, hi


def _restricted_mle(P, M, D, delta):
    """Restricted multinomial MLE (pP, pD) under pP − pD = delta (Tango 1998 closed form)."""
    if delta < 0:
        pd_, pp = _restricted_mle(D, M, P, -delta)
        return pp, pd_
    N = P + M + D
    B = (P + D) * (1 - delta) - 2 * delta * (D + M)
    d = (B + math.sqrt(max(B * B + 8 * N * D * delta * (1 - delta), 0.0))) / (4 * N)
    return d + delta, d


def _score_stat2(P, M, D, delta):
    """Squared score statistic N(p̂P − p̂D − Δ)² / (p̃P + p̃D − Δ²) for H0: pP − pD = Δ."""
    N = P + M + D
    est = (P - D) / N
    pp, pd_ = _restricted_mle(P, M, D, delta)
    v = pp + pd_ - delta ** 2
    return N * (est - delta) ** 2 / v if v > 0 else math.inf


def _score_stat2_arrays(P, M, D, delta):
    """Vectorised :func:`_score_stat2` (same closed form, capped at 1e12 as in the search)."""
    N = P + M + D
    neg = delta < 0
    a, b = np.where(neg, D, P), np.where(neg, P, D)      # Δ < 0 by symmetry
    dl = np.abs(delta)
    B = (a + b) * (1 - dl) - 2 * dl * (b + M)
    d = (B + np.sqrt(np.maximum(B * B + 8 * N * b * dl * (1 - dl), 0.0))) / (4 * N)
    pa = d + dl
    v = pa + d - dl ** 2
    est = (P - D) / N
    with np.errstate(divide="ignore", invalid="ignore"):
        t2 = np.where(v > 0, N * (est - delta) ** 2 / np.where(v > 0, v, 1.0), np.inf)
    return np.minimum(t2, 1e12)


def _nps_score_arrays(D, M, P, conf):
    """:func:`nps_score_interval` for arrays of groups at once (bisection, 60 steps per end).

    The same search as the scalar function — roots of T(Δ)² = z² on [−1, p̂ − s] and
    [p̂ + s, 1] with s = 1e-9 for zero-variance samples, ends ±1 when p̂ = ∓1 — to about 1e-15
    in Δ; used by :func:`cxkit.summarize` and the group engine.
    """
    D, M, P = (np.asarray(x, dtype=float) for x in (D, M, P))
    N = P + M + D
    z2 = _z(conf) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        est = (P - D) / N
        step = np.where((P + D) / N - est ** 2 > 1e-15, 0.0, 1e-9)

    def solve(a, b):
        # g(a) > 0 > g(b) (lower end) or g(a) < 0 < g(b) (upper end): keep the sign change
        ga = _score_stat2_arrays(P, M, D, a) - z2
        for _ in range(60):
            m = 0.5 * (a + b)
            gm = _score_stat2_arrays(P, M, D, m) - z2
            same = np.sign(gm) == np.sign(ga)
            a, ga = np.where(same, m, a), np.where(same, gm, ga)
            b = np.where(same, b, m)
        return 0.5 * (a + b)

    lo = solve(np.full_like(est, -1 + 1e-13), est - step)
    hi = solve(est + step, np.full_like(est, 1 - 1e-13))
    lo = np.where(est <= -1 + 1e-12, -1.0, lo)
    hi = np.where(est >= 1 - 1e-12, 1.0, hi)
    bad = ~(N > 0) | (np.minimum(np.minimum(D, M), P) < 0)
    return np.where(bad, np.nan, lo * 100), np.where(bad, np.nan, hi * 100)


def nps_score_interval(detractors, passives, promoters, conf=0.95):
    """Score interval for NPS: inverts the score test of pP − pD = Δ (Rocks 2016, Tango 1998).

    Parameters
    ----------
    detractors, passives, promoters : float
        Counts (non-negative; effective counts are allowed).
    conf : float, default 0.95
        Confidence level.

    Returns
    -------
    (float, float)
        Lower and upper limits in NPS points.

    Notes
    -----
    NPS = pP − pD is a difference of two cell probabilities of one multinomial (promoters,
    passives, detractors), like the difference of discordant cells of a paired 2×2 table.  For
    a candidate Δ the restricted MLE (p̃P, p̃D) maximises the multinomial likelihood subject to
    pP − pD = Δ; with Δ ≥ 0 it is the positive root
    p̃D = [B + sqrt(B² + 8·N·D·Δ(1 − Δ))] / (4N), B = (P + D)(1 − Δ) − 2Δ(D + M),
    p̃P = p̃D + Δ (Δ < 0 by symmetry).  The score statistic is
    T(Δ)² = N (p̂P − p̂D − Δ)² / (p̃P + p̃D − Δ²) and the interval is {Δ : T(Δ)² ≤ z²}; each
    end is found with :func:`scipy.optimize.brentq` on [−1, p̂] and [p̂, 1].

    References
    ----------
    .. [1] Tango, T. (1998). Equivalence test and confidence interval for the difference in
       proportions for the paired-sample design. *Statistics in Medicine* 17, 891–908.
    .. [2] Rocks, B. (2016). Interval estimation for the "net promoter score". *The American
       Statistician* 70(4), 365–372.

    Examples
    --------
    >>> lo, hi = nps_score_interval(20, 30, 50)
    >>> round(lo, 1), round(hi, 1)
    (14.0, 44.3)
    """
    D, M, P = float(detractors), float(passives), float(promoters)
    N = P + M + D
    if N <= 0 or min(D, M, P) < 0:
        return math.nan, math.nan
    z2 = _z(conf) ** 2
    est = (P - D) / N

    def g(delta):
        return min(_score_stat2(P, M, D, delta), 1e12) - z2

    # At Δ = p̂ the statistic is 0 unless the variance there is 0 (all responses in one
    # category); then start a hair inside, where the statistic is still tiny.
    step = 0.0 if (P + D) / N - est ** 2 > 1e-15 else 1e-9
    lo = -1.0 if est <= -1 + 1e-12 else optimize.brentq(g, -1 + 1e-13, est - step, xtol=1e-13)
    hi = 1.0 if est >= 1 - 1e-12 else optimize.brentq(g, est + step, 1 - 1e-13, xtol=1e-13)
    return lo * 100, hi * 100


def _proportion_confint(*args, **kwargs):
    """statsmodels' ``proportion_confint``, imported on first use (keeps ``import cxkit`` and
    the estimators light: statsmodels loads only when a proportion interval is computed)."""
    from statsmodels.stats.proportion import proportion_confint as _confint

    return _confint(*args, **kwargs)


def _bootstrap_interval(x, n, conf, rng, n_boot):
    """Percentile bootstrap of the mean of ``x`` by multinomial resampling of the histogram."""
    n = np.asarray(n, dtype=np.int64)
    N = int(n.sum())
    draws = rng.multinomial(N, n / N, size=n_boot)          # (n_boot, bins), one call
    means = draws @ np.asarray(x, dtype=float) / N
    a = (1 - conf) / 2
    lo, hi = np.quantile(means, [a, 1 - a])
    return float(lo), float(hi)


def _check_method(spec, method, weighted):
    if method is None:
        return default_method(spec, weighted)
    method = check_method(_METHODS[spec.kind], method)
    if weighted and method == "bootstrap":
        raise ValueError(
            "The histogram bootstrap resamples responses with equal probability, so it cannot be "
            "used with survey weights; use method='linearized' (or an effective-count method).")
    return method


def _estimate_groups(spec, mom, method, conf, *, rows=None, seed=None, n_boot=10_000):
    """Estimates for G groups at once from :func:`_group_moments` output.

    ``rows`` (list of (x, n) per group) is only needed for the bootstrap.  Returns a dict of
    arrays: value, se, ci_low, ci_high, n, n_eff, note (object array), and the method string.
    """
    weighted = mom["weighted"]
    method = _check_method(spec, method, weighted)
    N, n_eff, mean = mom["N"], mom["n_eff"], mom["mean"]
    G = len(N)
    se = mom["se_lin"] if weighted else mom["se_plugin"]
    lo = np.full(G, np.nan)
    hi = np.full(G, np.nan)
    note = np.full(G, "", dtype=object)
    valid = (N > 0) & (mom["sum_w"] > 0)
    z = _z(conf)
    kind = spec.kind
    # counts used by count-based methods: actual counts, or Kish effective counts when weighted
    m_cnt = n_eff if weighted else N
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "linearized":
            lo, hi = mean - z * se, mean + z * se
        elif kind == "nps":
            P, D = mom["p_top"] * m_cnt, mom["p_bottom"] * m_cnt
            M = m_cnt - P - D
            if method in ("wald", "adjusted-wald"):
                lo, hi = _nps_wald_arrays(P, M, D, conf, method == "adjusted-wald")
            elif method == "score":
                g = np.flatnonzero(valid)
                if g.size:
                    lo[g], hi[g] = _nps_score_arrays(D[g], np.maximum(M[g], 0.0), P[g], conf)
        elif kind == "top_box" and method != "bootstrap":
            count = mom["p_top"] * m_cnt
            ok = valid & (m_cnt > 0)
            if ok.any():
                l, h = _proportion_confint(count[ok], m_cnt[ok], alpha=1 - conf,
                                          method=_SM_METHOD.get(method, method))
                lo[ok], hi[ok] = np.asarray(l) * 100, np.asarray(h) * 100
        elif kind == "mean" and method == "t":
            if not weighted:
                se = np.sqrt(mom["var"] * N / (N - 1) / N)
            se = np.where(N > 1, se, np.nan)
            tq = stats.t.ppf(0.5 + conf / 2, np.maximum(N - 1, 1))
            lo, hi = mean - tq * se, mean + tq * se
        if method == "bootstrap":
            rng = _rng(seed)
            for g in np.flatnonzero(valid):
                x, cnt = rows[g]
                lo[g], hi[g] = _bootstrap_interval(x, cnt, conf, rng, n_boot)
    lo_clip, hi_clip = _CLIP[kind]
    lo = np.clip(np.asarray(lo, dtype=float), lo_clip, hi_clip)
    hi = np.clip(np.asarray(hi, dtype=float), lo_clip, hi_clip)
    note[~valid] = NO_RESPONSES
    note[(N > 0) & ~valid] = "all weights are zero"
    if kind == "mean":
        note[valid & (N == 1)] = "one response: the variance and the interval are undefined"
    elif weighted:
        note[valid & (N == 1)] = "one response: the linearised SE is undefined"
    if kind in ("nps", "top_box") and method == "wald":
        one_cat = valid & (mom["var"] == 0)
        note[one_cat] = "all responses in one category: the Wald interval has zero width"
    if method == "adjusted-wald":
        outside = valid & ((mean < lo - 1e-9) | (mean > hi + 1e-9))
        note[outside] = "the raw NPS lies outside the adjusted-Wald interval (very small n)"
    if weighted and method not in ("linearized", "t"):
        note[valid & (note == "")] = "interval from Kish effective counts"
    return {"value": np.where(valid, mean, np.nan), "se": np.where(valid, se, np.nan),
            "ci_low": lo, "ci_high": hi, "n": N.astype(np.int64),
            "n_eff": np.where(valid, n_eff, 0.0), "note": note, "method": method}


def _equal_weights(n, w, w2) -> bool:
    """True when every response of a histogram carries the same positive weight c.

    Then Σw_k = c·n_k and Σw²_k = c²·n_k in every bin (Σw²_k ≥ (Σw_k)²/n_k with equality only
    when the weights in the bin are equal), checked to a relative 1e-9.  Such weights change
    no estimate, so cxkit computes the unweighted result (value, SE, interval, n, n_eff and
    default method) for them; a zero weight among positive ones is not "equal".
    """
    if w is None or w2 is None:
        return False
    n = np.asarray(n, dtype=float)
    w = np.asarray(w, dtype=float)
    w2 = np.asarray(w2, dtype=float)
    k = n > 0
    if not k.any():
        return False
    c = w[k] / n[k]
    c0 = float(c[0])
    if not (math.isfinite(c0) and c0 > 0):
        return False
    return bool(np.all(np.abs(c - c0) <= 1e-9 * c0)
                and np.all(np.abs(w2[k] - c0 * c0 * n[k]) <= 1e-9 * c0 * c0 * n[k]))


def _one(spec, out, conf, weighted) -> Estimate:
    return Estimate(metric=spec.name, value=float(out["value"][0]), se=float(out["se"][0]),
                    ci_low=float(out["ci_low"][0]), ci_high=float(out["ci_high"][0]),
                    n=int(out["n"][0]), n_eff=float(out["n_eff"][0]), conf=conf,
                    method=out["method"], weighted=weighted, note=str(out["note"][0]))


def estimate_from_histogram(scores, n, w=None, w2=None, *, metric="nps", method=None, conf=0.95,
                            seed=None, n_boot=10_000, top_box=None) -> Estimate:
    """Estimate a CX score with its uncertainty from one score histogram (the engine).

    Parameters
    ----------
    scores : array_like
        The distinct scores (histogram bins), e.g. ``0..10`` for NPS.
    n : array_like of int
        Responses per score.
    w, w2 : array_like, optional
        Σw and Σw² of the responses per score (survey weights); both or neither.
    metric : {"nps", "csat", "top_box", "ces", "mean"} or MetricSpec, default "nps"
        What to estimate; ``"csat"`` is top box (4, 5) unless ``top_box`` is given.
    method : str, optional
        Interval method.  NPS: {"adjusted-wald", "wald", "score", "bootstrap", "linearized"};
        top box: {"wilson", "wald", "agresti-coull", "beta", "linearized", "bootstrap"}; means:
        {"t", "bootstrap"}.  Default :func:`default_method`: adjusted-Wald (NPS; linearized when
        weighted), Wilson (top box), t (means).
    conf : float, default 0.95
        Confidence level.
    seed : int or numpy.random.Generator, optional
        For ``method="bootstrap"`` (reproducible).
    n_boot : int, default 10000
        Bootstrap resamples.
    top_box : sequence of numbers, optional
        Scores counted as top box (top-box metrics).

    Returns
    -------
    Estimate
        ``value`` is the raw estimate (NPS points, percent, or raw units), ``se`` its standard
        error (plug-in unweighted, linearised weighted), ``ci_low``/``ci_high`` from ``method``,
        ``n`` responses, ``n_eff`` Kish effective n.  With no responses every number is NaN,
        ``n = 0`` and ``note = "no valid responses"`` (no exception, so tables of many groups
        stay rectangular).

    Notes
    -----
    With recoded values x_k (NPS +100/0/−100, top box 100/0, means the score), counts n_k and
    N = Σn_k: value x̄ = Σn_k x_k / N, plug-in variance s² = Σn_k (x_k − x̄)²/N, se = s/√N.
    For NPS s² = 100²·(pP + pD − (pP − pD)²) (Wald).

    * ``"wald"``: x̄ ± z·se.
    * ``"adjusted-wald"``: add 3 pseudo-responses — ¾ promoter, ¾ detractor, 1½ passive —
      recompute the shares and the Wald interval with N + 3, centred on the adjusted NPS;
      ``value`` stays the raw NPS; limits clipped to ±100 (Rocks 2016; Sauro, MeasuringU).
    * ``"score"``: :func:`nps_score_interval` (Tango 1998 score interval as adapted by Rocks).
    * ``"bootstrap"``: percentile interval of the means of ``n_boot`` multinomial resamples
      of the histogram (``rng.multinomial(N, n/N, size=n_boot)``, one call).
    * top box: ``statsmodels.stats.proportion.proportion_confint(count, N, method)`` ×100.
    * ``"t"``: x̄ ± t_{N−1}·s'/√N with the sample variance s'² = Σn_k(x_k − x̄)²/(N − 1).

    Weights (Σw_k, Σw²_k per bin): x̄ = Σw_k x_k / Σw_k; linearised (Taylor) SE
    se² = N/(N − 1) · Σ w²_k (x_k − x̄)² / (Σw_k)², the ``survey::svymean`` form with weights
    only (Lumley 2010); n_eff = (Σw)²/Σw² (Kish 1965).  ``"linearized"``: x̄ ± z·se (clipped);
    means use x̄ ± t_{N−1}·se.  Count-based methods (adjusted-Wald, Wald, score, Wilson and the
    other ``proportion_confint`` methods) use **Kish effective counts** n_eff·p̂_w (a design-
    effect approximation, noted in ``note``); ``"bootstrap"`` raises ``ValueError`` with
    weights.

    References
    ----------
    .. [1] Rocks, B. (2016). Interval estimation for the "net promoter score". *The American
       Statistician* 70(4), 365–372.
    .. [2] Sauro, J. (2021). "How to compute confidence intervals for Net Promoter Scores",
       MeasuringU (adjusted-Wald NPS interval).
    .. [3] Tango, T. (1998). *Statistics in Medicine* 17, 891–908.
    .. [4] Wilson, E. B. (1927). Probable inference ... *JASA* 22, 209–212.
    .. [5] Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley.
    .. [6] Kish, L. (1965). *Survey Sampling*. Wiley.
    .. [7] Efron, B. & Tibshirani, R. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.

    Examples
    --------
    >>> e = estimate_from_histogram([0, 7, 9], [20, 30, 50], metric="nps", method="wald")
    >>> round(e.value, 2), round(e.se, 3), round(e.ci_low, 2), round(e.ci_high, 2)
    (30.0, 7.81, 14.69, 45.31)
    >>> e = estimate_from_histogram([0, 7, 9], [20, 30, 50])   # score interval (default)
    >>> round(e.ci_low, 2), round(e.ci_high, 2), e.method
    (13.96, 44.34, 'score')
    """
    check_conf(conf)
    check_number("n_boot", n_boot, low=1, integer=True)
    spec = metric if isinstance(metric, MetricSpec) else metric_spec(metric, top_box=top_box)
    s = np.atleast_1d(np.asarray(scores, dtype=float))
    cnt = np.atleast_1d(np.asarray(n, dtype=float))
    if s.shape != cnt.shape:
        raise ValueError(f"`scores` and `n` must have the same length, got {s.size} and {cnt.size}.")
    if (w is None) != (w2 is None):
        raise ValueError("Pass both `w` and `w2` (Σw and Σw² per score), or neither.")
    if np.any(cnt < 0) or np.any(~np.isfinite(cnt)):
        raise ValueError("Histogram counts `n` must be finite and non-negative.")
    keep = np.isfinite(s) & (cnt > 0)
    x = spec.values(s[keep])
    wk = None if w is None else np.atleast_1d(np.asarray(w, dtype=float))[keep]
    w2k = None if w2 is None else np.atleast_1d(np.asarray(w2, dtype=float))[keep]
    if _equal_weights(cnt[keep], wk, w2k):     # equal weights are no weighting (issue 11.2)
        wk = w2k = None
    mom = _group_moments(np.zeros(x.size, dtype=np.int64), 1, x, cnt[keep], wk, w2k)
    out = _estimate_groups(spec, mom, method, conf, rows=[(x, cnt[keep])], seed=seed,
                           n_boot=int(n_boot))
    return _one(spec, out, conf, w is not None)


def _histogram(scores, weights=None):
    """Histogram (scores, n, w, w2) of raw scores; NaN scores (and NaN weights) dropped."""
    from .tally import _score_coder
    s = np.asarray(scores, dtype=float).ravel()
    wt = None
    if weights is not None:
        wt = np.asarray(weights, dtype=float).ravel()
        if wt.shape != s.shape:
            raise ValueError(f"`weights` must have one value per score: {wt.size} weights for "
                             f"{s.size} scores.")
        okw = np.isfinite(wt)
        if np.any(wt[okw] < 0):
            raise ValueError("`weights` must be non-negative.")
        if np.isinf(wt).any():  # not "missing": an infinite weight would silently drop out
            raise ValueError(f"`weights` must be finite; found {int(np.isinf(wt).sum())} "
                             f"infinite weight(s) (first at position "
                             f"{int(np.flatnonzero(np.isinf(wt))[0])}).")
        big = okw & ((wt > 1e100) | ((wt > 0) & (wt < 1e-100)))
        if big.any():  # sums of squares would overflow / underflow float64
            raise ValueError(f"`weights` must lie within 1e-100 … 1e100 (only their ratios "
                             f"matter: divide them by their mean); found {wt[big][0]:g}.")
        if not okw.all():
            s = np.where(okw, s, np.nan)
            wt = np.where(okw, wt, 0.0)
    coder, vals = _score_coder(s)
    codes = coder(slice(None))
    if codes is None:
        coder, vals = _score_coder(s, True)
        codes = coder(slice(None))
    S = len(vals)
    n = np.bincount(codes, minlength=S + 1)[:S]
    keep = n > 0
    if wt is None:
        return vals[keep], n[keep], None, None
    return (vals[keep], n[keep], np.bincount(codes, wt, minlength=S + 1)[:S][keep],
            np.bincount(codes, wt * wt, minlength=S + 1)[:S][keep])


def _check_scale(scores, lo, hi, name, *, spec=None, integer=True):
    """The shared score check (:mod:`cxkit.core.validate`) of raw scores: text refused, ±inf
    refused, and — when a scale is known (``lo``/``hi`` not None) — whole numbers ``lo``–``hi``
    (``integer``).  Returns the scores as floats."""
    import pandas as pd

    from ..core.validate import check_scores, numeric_scores

    if spec is None:
        spec = metric_spec(name.lower()) if name.lower() in ("nps", "csat", "ces") else None
    x = scores if isinstance(scores, pd.Series) else np.asarray(scores)
    label = str(x.name) if isinstance(x, pd.Series) and x.name is not None else "scores"
    v = numeric_scores(x, label, spec=spec)
    scale = None if lo is None else (float(lo), float(hi), bool(integer))
    check_scores(v, label, spec, scale, index=x.index if isinstance(x, pd.Series) else None,
                 need_scale=False)
    return v


def _raw_scale(scale, default, top_box=None):
    """``scale`` as given (a (low, high) pair), else the metric's default when the top box
    lies on it (:func:`cxkit.core.validate.default_scale`), else None (no range check)."""
    if scale is not None:
        if (not isinstance(scale, (tuple, list)) or len(scale) != 2
                or not all(np.isfinite(float(v)) for v in scale) or scale[0] >= scale[1]):
            raise ValueError(f"`scale` must be (low, high) with low < high, got {scale!r}.")
        return float(scale[0]), float(scale[1])
    if default is None:
        return None
    from ..core.validate import default_scale

    return default_scale(default, top_box)


def nps(scores, *, weights=None, method=None, conf=0.95, seed=None, n_boot=10_000) -> Estimate:
    """Net Promoter Score of 0–10 ratings with a confidence interval.

    Parameters
    ----------
    scores : array_like
        0–10 likelihood-to-recommend ratings; NaN = missing (excluded).
    weights : array_like, optional
        Survey weights, one per score.
    method : {"adjusted-wald", "wald", "score", "bootstrap", "linearized"}, optional
        Interval method; default ``"score"`` unweighted and ``"linearized"`` weighted.
        See :func:`estimate_from_histogram`.
    conf : float, default 0.95
    seed : int or numpy.random.Generator, optional
        Bootstrap seed.
    n_boot : int, default 10000

    Returns
    -------
    Estimate
        NPS in points (−100…100).

    Notes
    -----
    NPS = 100·(pP − pD), promoters 9–10, detractors 0–6, i.e. the mean of +100/0/−100.
    Wald SE = 100·sqrt((pP + pD − (pP − pD)²)/n); adjusted-Wald adds ¾ promoter, ¾ detractor
    and 1½ passive pseudo-responses (Rocks 2016); see :func:`estimate_from_histogram`.

    References
    ----------
    .. [1] Reichheld, F. (2003). The one number you need to grow. *Harvard Business Review*.
    .. [2] Rocks, B. (2016). *The American Statistician* 70(4), 365–372.

    Examples
    --------
    >>> scores = [0] * 20 + [7] * 30 + [10] * 50
    >>> e = nps(scores)
    >>> round(e.value, 1), round(e.ci_low, 2), round(e.ci_high, 2), e.method
    (30.0, 13.96, 44.34, 'score')
    """
    _check_scale(scores, 0, 10, "NPS")
    s, n, w, w2 = _histogram(scores, weights)
    return estimate_from_histogram(s, n, w, w2, metric="nps", method=method, conf=conf, seed=seed,
                                   n_boot=n_boot)


def nps_from_counts(detractors, passives, promoters, *, method="score", conf=0.95,
                    seed=None, n_boot=10_000) -> Estimate:
    """NPS and its interval from the counts of detractors, passives and promoters.

    Parameters
    ----------
    detractors, passives, promoters : int
        Counts (non-negative whole numbers).
    method : {"score", "adjusted-wald", "wald", "bootstrap"}, default "score"
    conf : float, default 0.95
    seed, n_boot : bootstrap options.

    Returns
    -------
    Estimate
        NPS in points; NaN with ``note="no valid responses"`` when all counts are 0.

    Notes
    -----
    n = D + M + P, pP = P/n, pD = D/n, NPS = 100(pP − pD),
    Wald SE = 100·sqrt((pP + pD − (pP − pD)²)/n).  Adjusted-Wald: P' = P + ¾, D' = D + ¾,
    n' = n + 3; NPS' = (P' − D')/n'; interval 100·[NPS' ± z·sqrt((pP' + pD' − NPS'²)/n')],
    clipped to ±100.

    References
    ----------
    .. [1] Rocks, B. (2016). Interval estimation for the "net promoter score". *The American
       Statistician* 70(4), 365–372.
    .. [2] Sauro, J. MeasuringU: confidence intervals for Net Promoter Scores.

    Examples
    --------
    >>> e = nps_from_counts(24, 36, 60, method="wald")
    >>> round(e.value, 1), round(e.se, 3), round(e.ci_low, 2), round(e.ci_high, 2)
    (30.0, 7.13, 16.03, 43.97)
    """
    counts = [check_number(k, v, low=0, integer=True) for k, v in
              (("detractors", detractors), ("passives", passives), ("promoters", promoters))]
    if sum(counts) == 100:
        import warnings

        warnings.warn(
            f"nps_from_counts({', '.join(f'{c:g}' for c in counts)}): the counts sum to exactly "
            f"100, as percentages do. If they are shares in percent, the interval here assumes "
            f"n = 100; use cxkit.nps_from_shares(detractors, passives, promoters, n) with the "
            f"real number of responses instead.", UserWarning, stacklevel=2)
    return estimate_from_histogram([0, 7, 10], counts, metric="nps", method=method, conf=conf,
                                   seed=seed, n_boot=n_boot)


def top_box(scores, *, top_box=(4, 5), weights=None, method="wilson", conf=0.95, seed=None,
            n_boot=10_000, name="top_box", scale=None) -> Estimate:
    """Top-box share (percent of responses whose score is in ``top_box``) with an interval.

    Parameters
    ----------
    scores : array_like
        Ratings; NaN = missing.
    top_box : sequence of numbers, default (4, 5)
        Scores counted as top box.
    weights : array_like, optional
        Survey weights.
    method : {"wilson", "wald", "agresti-coull", "beta", "linearized", "bootstrap"}
        Default Wilson; ``"beta"`` is Clopper–Pearson.
    conf : float, default 0.95
    seed, n_boot : bootstrap options.
    name : str, default "top_box"
        Metric label of the result.
    scale : (low, high), optional
        The rating scale: scores off it, or not whole numbers, are refused
        (:class:`cxkit.SurveyDataError`).  Without it only text and ±inf are refused
        (``csat`` defaults to 1–5).

    Returns
    -------
    Estimate
        Percent (0…100).

    Notes
    -----
    p̂ = k/n (k top-box responses); the interval is
    ``statsmodels.stats.proportion.proportion_confint(k, n, alpha=1 − conf, method)`` ×100.
    Wilson: [p̂ + z²/2n ± z·sqrt(p̂(1 − p̂)/n + z²/4n²)] / (1 + z²/n).  ``se`` is the plug-in
    100·sqrt(p̂(1 − p̂)/n).  Weighted: p̂_w = Σw·[top]/Σw, linearised SE, and the count-based
    methods use Kish effective counts k = n_eff·p̂_w, n = n_eff.

    References
    ----------
    .. [1] Wilson, E. B. (1927). *JASA* 22, 209–212.
    .. [2] Brown, L. D., Cai, T. T., DasGupta, A. (2001). Interval estimation for a binomial
       proportion. *Statistical Science* 16(2), 101–133.

    Examples
    --------
    >>> e = top_box([5, 4, 3, 5, 2, 4, 4, 1], top_box=(4, 5))
    >>> round(e.value, 1), round(e.ci_low, 1), round(e.ci_high, 1)
    (62.5, 30.6, 86.3)
    """
    spec = metric_spec("top_box", top_box=top_box, name=name)
    _check_method(spec, method, weights is not None)          # arguments before data
    rng = _raw_scale(scale, name if name in ("csat",) else None, top_box)
    v = _check_scale(scores, *(rng or (None, None)), name, spec=spec)
    s, n, w, w2 = _histogram(v, weights)
    return estimate_from_histogram(s, n, w, w2, metric=spec, method=method, conf=conf, seed=seed,
                                   n_boot=n_boot)


_top_box = top_box


def csat(scores, *, top_box=(4, 5), weights=None, method="wilson", conf=0.95, seed=None,
         n_boot=10_000, scale=None) -> Estimate:
    """CSAT: percent of satisfied responses (top box, default 4–5 of 1–5) with an interval.

    Parameters
    ----------
    scores : array_like
        1–5 (or other) satisfaction ratings; NaN = missing.
    top_box : sequence of numbers, default (4, 5)
    weights : array_like, optional
    method : {"wilson", "wald", "agresti-coull", "beta", "linearized", "bootstrap"}
    conf : float, default 0.95
    seed, n_boot : bootstrap options.
    scale : (low, high), optional
        Default 1–5 when the top box lies on it (a 0–10 column with the default top box is
        refused, not scored); scores off the scale or not whole are refused.

    Returns
    -------
    Estimate
        Percent (0…100), metric ``"csat"``.

    Notes
    -----
    CSAT = 100·k/n with k the responses in the top box; intervals as in :func:`top_box`
    (Wilson by default, via statsmodels ``proportion_confint``).

    References
    ----------
    .. [1] Wilson, E. B. (1927). *JASA* 22, 209–212.
    .. [2] Brown, Cai & DasGupta (2001). *Statistical Science* 16(2), 101–133.

    Examples
    --------
    >>> e = csat([5, 4, 3, 5, 2, 4, 4, 1])
    >>> round(e.value, 1), e.method
    (62.5, 'wilson')
    """
    return _top_box(scores, top_box=top_box, weights=weights, method=method, conf=conf, seed=seed,
                    n_boot=n_boot, name="csat", scale=scale)


def mean_score(scores, *, weights=None, method="t", conf=0.95, seed=None, n_boot=10_000,
               name="mean", scale=None) -> Estimate:
    """Mean rating with a t interval (or bootstrap).

    Parameters
    ----------
    scores : array_like
        Ratings; NaN = missing.
    weights : array_like, optional
    method : {"t", "bootstrap"}, default "t"
    conf : float, default 0.95
    seed, n_boot : bootstrap options.
    name : str, default "mean"
    scale : (low, high), optional
        The rating scale: scores off it are refused (``ces`` defaults to 1–7).  Without it
        only text and ±inf are refused.

    Returns
    -------
    Estimate
        Raw units.  With one response the SE and interval are NaN (noted).

    Notes
    -----
    x̄ ± t_{n−1, (1+conf)/2} · s/√n with s² = Σ(x − x̄)²/(n − 1).  Weighted: x̄_w = Σwx/Σw,
    linearised se² = n/(n − 1)·Σw²(x − x̄_w)²/(Σw)² (survey::svymean), t with n − 1 df.

    References
    ----------
    .. [1] Student (1908). The probable error of a mean. *Biometrika* 6, 1–25.
    .. [2] Lumley, T. (2010). *Complex Surveys*. Wiley, ch. 2.

    Examples
    --------
    >>> e = mean_score([1, 2, 3, 4, 5])
    >>> round(e.value, 2), round(e.ci_low, 3), round(e.ci_high, 3)
    (3.0, 1.037, 4.963)
    """
    _check_method(metric_spec("mean", name=name), method, weights is not None)   # arguments first
    rng = _raw_scale(scale, name if name == "ces" else None)
    v = _check_scale(scores, *(rng or (None, None)), name, integer=False)
    s, n, w, w2 = _histogram(v, weights)
    return estimate_from_histogram(s, n, w, w2, metric=metric_spec("mean", name=name),
                                   method=method, conf=conf, seed=seed, n_boot=n_boot)


def ces(scores, *, weights=None, conf=0.95, method="t", seed=None, n_boot=10_000,
        scale=None) -> Estimate:
    """Customer Effort Score: the mean 1–7 rating with a t interval.

    Parameters
    ----------
    scores : array_like
        CES ratings (1–7); NaN = missing.
    weights : array_like, optional
    conf : float, default 0.95
    method : {"t", "bootstrap"}, default "t"
    seed, n_boot : bootstrap options.
    scale : (low, high), optional
        Default 1–7; scores off the scale are refused (:class:`cxkit.SurveyDataError`).

    Returns
    -------
    Estimate
        Mean in raw units, metric ``"ces"``.

    Notes
    -----
    As :func:`mean_score`: x̄ ± t_{n−1}·s/√n.

    References
    ----------
    .. [1] Dixon, M., Freeman, K., Toman, N. (2010). Stop trying to delight your customers.
       *Harvard Business Review* (the CES).
    .. [2] Student (1908). *Biometrika* 6, 1–25.

    Examples
    --------
    >>> round(ces([2, 3, 5, 6]).value, 2)
    4.0
    """
    return mean_score(scores, weights=weights, method=method, conf=conf, seed=seed,
                      n_boot=n_boot, name="ces", scale=scale)


def _nps_variance_fractions(pP, pD):
    """pP + pD − (pP − pD)² for promoter/detractor fractions (the formulas' units)."""
    pp = np.asarray(pP, dtype=float)
    pd_ = np.asarray(pD, dtype=float)
    if np.any((pp < 0) | (pp > 1) | (pd_ < 0) | (pd_ > 1) | (pp + pd_ > 1 + 1e-12)):
        raise ValueError("The promoter and detractor shares must lie in 0–100 % with a sum ≤ 100 %.")
    v = pp + pd_ - (pp - pd_) ** 2
    return float(v) if v.ndim == 0 else v


def nps_variance(detractors, passives=None, promoters=None):
    """Per-response variance of NPS (fraction units): pP + pD − (pP − pD)².

    Parameters
    ----------
    detractors, passives, promoters : float or array_like
        Shares **in percent** (0–100, adding up to 100), in cxkit's category order.  The
        cxkit 0.1 form ``nps_variance(promoters, detractors)`` with fractions (two arguments)
        still works, with a DeprecationWarning.

    Returns
    -------
    float or numpy.ndarray
        Variance of the +1/0/−1 value; Var(NPS estimate) = this / n (×100² for points).

    Notes
    -----
    With X = +1/0/−1, E[X] = pP − pD and E[X²] = pP + pD, so Var X = pP + pD − (pP − pD)²
    (pP, pD as fractions).

    References
    ----------
    .. [1] Rocks, B. (2016). *The American Statistician* 70(4), 365–372, eq. (1).

    Examples
    --------
    >>> round(nps_variance(20, 30, 50), 4)
    0.61
    """
    if promoters is None or passives is None:
        if promoters is None and passives is not None:      # old positional (pP, pD)
            pP, pD = detractors, passives
        elif passives is None and promoters is not None:    # old keywords promoters=, detractors=
            pP, pD = promoters, detractors
        else:
            raise TypeError("nps_variance takes (detractors, passives, promoters) in percent.")
        warn_deprecated("nps_variance(promoters, detractors) with fractions is the old form; pass "
                        "nps_variance(detractors, passives, promoters) in percent, e.g. "
                        "nps_variance(20, 30, 50).")
        return _nps_variance_fractions(pP, pD)
    d, pa, p = (np.asarray(x, dtype=float) for x in (detractors, passives, promoters))
    if np.any(np.abs(d + pa + p - 100.0) > 1e-6 * 100):
        raise ValueError("`detractors`, `passives` and `promoters` are shares in percent and must add "
                         f"up to 100, but they add up to {np.asarray(d + pa + p).tolist()}.")
    return _nps_variance_fractions(p / 100.0, d / 100.0)


def effective_n(weights) -> float:
    """Kish effective sample size (Σw)²/Σw².

    Parameters
    ----------
    weights : array_like
        Non-negative survey weights (NaN ignored).

    Returns
    -------
    float

    Notes
    -----
    n_eff = (Σw)² / Σw²; equals n for equal weights.

    References
    ----------
    .. [1] Kish, L. (1965). *Survey Sampling*. Wiley, §11.7.

    Examples
    --------
    >>> effective_n([1, 1, 2, 2])
    3.6
    """
    w = np.asarray(weights, dtype=float).ravel()
    w = w[np.isfinite(w)]
    if np.any(w < 0):
        raise ValueError("`weights` must be non-negative.")
    s2 = float((w ** 2).sum())
    return float(w.sum() ** 2 / s2) if s2 > 0 else 0.0


def design_effect(weights) -> float:
    """Kish design effect of unequal weighting, n/n_eff = n·Σw²/(Σw)².

    Parameters
    ----------
    weights : array_like
        Non-negative survey weights (NaN ignored).

    Returns
    -------
    float
        ≥ 1; 1 for equal weights.

    Notes
    -----
    deff = n / n_eff = 1 + CV²(w) (CV with divisor n).

    References
    ----------
    .. [1] Kish, L. (1965). *Survey Sampling*. Wiley.

    Examples
    --------
    >>> round(design_effect([1, 1, 2, 2]), 4)
    1.1111
    """
    w = np.asarray(weights, dtype=float).ravel()
    w = w[np.isfinite(w)]
    ne = effective_n(w)
    return float(w.size / ne) if ne > 0 else math.nan


def _rate(metric, count, nobs, conf, method, note=""):
    check_conf(conf)
    method = check_method(("wilson", "wald", "agresti-coull", "beta"), method)
    if nobs == 0:
        return Estimate(metric, math.nan, math.nan, math.nan, math.nan, 0, 0.0, conf, method,
                        False, NO_RESPONSES)
    p = count / nobs
    lo, hi = _proportion_confint(count, nobs, alpha=1 - conf, method=_SM_METHOD.get(method, method))
    return Estimate(metric, 100 * p, 100 * math.sqrt(p * (1 - p) / nobs),
                    float(np.clip(lo, 0, 1)) * 100, float(np.clip(hi, 0, 1)) * 100, int(nobs),
                    float(nobs), conf, method, False, note)


def churn_rate(start, lost, *, conf=0.95, method="wilson") -> Estimate:
    """Customer churn rate lost/start (percent) with a binomial interval.

    Parameters
    ----------
    start : int
        Customers at the start of the period (S).
    lost : int
        Of those, customers lost during the period (0 ≤ lost ≤ start).
    conf : float, default 0.95
    method : {"wilson", "wald", "agresti-coull", "beta"}, default "wilson"

    Returns
    -------
    Estimate
        metric ``"churn_rate"``, percent.

    Notes
    -----
    churn = lost/S; the interval treats each starting customer as a Bernoulli trial
    (statsmodels ``proportion_confint``, Wilson by default).

    References
    ----------
    .. [1] Wilson, E. B. (1927). *JASA* 22, 209–212.
    .. [2] Fader, P. & Hardie, B. (2007). How to project customer retention. *Journal of
       Interactive Marketing* 21(1), 76–90.

    Examples
    --------
    >>> e = churn_rate(200, 30)
    >>> round(e.value, 1), round(e.ci_low, 2), round(e.ci_high, 2)
    (15.0, 10.71, 20.61)
    """
    check_number("start", start, low=0, integer=True)
    check_number("lost", lost, low=0, high=start, integer=True)
    return _rate("churn_rate", int(lost), int(start), conf, method)


def retention_rate(start, end, new, *, conf=0.95, method="wilson") -> Estimate:
    """Customer retention rate CRR = (E − N)/S (percent) with a binomial interval.

    Parameters
    ----------
    start : int
        Customers at the start of the period (S).
    end : int
        Customers at the end of the period (E).
    new : int
        Customers acquired during the period (N); E − N must lie in 0…S.
    conf : float, default 0.95
    method : {"wilson", "wald", "agresti-coull", "beta"}, default "wilson"

    Returns
    -------
    Estimate
        metric ``"retention_rate"``, percent.

    Notes
    -----
    CRR = (E − N)/S: the retained starting customers over the starting customers; the interval
    is the binomial interval of E − N successes in S trials.

    References
    ----------
    .. [1] Farris, P. W., Bendle, N. T., Pfeifer, P. E., Reibstein, D. J. (2010). *Marketing
       Metrics*, 2nd ed. Pearson (retention rate).
    .. [2] Wilson, E. B. (1927). *JASA* 22, 209–212.

    Examples
    --------
    >>> e = retention_rate(200, 210, 40)
    >>> round(e.value, 1)
    85.0
    """
    for k, v in (("start", start), ("end", end), ("new", new)):
        check_number(k, v, low=0, integer=True)
    retained = int(end) - int(new)
    if not 0 <= retained <= start:
        raise ValueError(f"Retained customers end − new = {retained} must lie in 0…start ({start}); "
                         "check the counts.")
    return _rate("retention_rate", retained, int(start), conf, method)
