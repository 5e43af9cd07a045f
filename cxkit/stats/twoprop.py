"""Two independent proportions: Barnard's exact unconditional test and the score interval.

Private helpers of :func:`cxkit.compare` for top-box (CSAT) changes, written from their
published definitions instead of taken from scipy / statsmodels:

* :func:`barnard` — Barnard's (1945) exact unconditional test with the pooled score
  statistic, p = sup over the common share π of P_π(T as or more extreme than observed)
  (Mehta & Senchaudhuri 2003).  scipy's ``barnard_exact`` with its default 32 sampling points
  misses narrow peaks of P_π near π ≈ 0 and 1 (p too small, e.g. 34/41 vs 117/176: 0.041
  instead of 0.086) and drops tables whose statistic ties the observed one in floating point
  (scipy issue 18798).  Here the sup is taken on a fine logit-spaced grid, every grid maximum
  is refined by a bounded scalar optimisation, and statistics are compared with a tolerance.
* :func:`score_interval` — the Miettinen–Nurminen (1985) score interval of p1 − p2 with the
  closed-form restricted MLE of Farrington & Manning (1990), inverted by root finding.
  statsmodels 0.15 puts ``count0`` where ``nobs0`` belongs in the restricted-MLE cubic
  (statsmodels issue 10269), so its intervals are off by up to 2.5 points.
* :func:`score_test` — the score test of p1 = p2 (the same statistic at δ = 0).

Sample 1 is cxkit's b (the later period), so differences are b − a.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, special, stats

#: Relative tolerance when deciding whether a table's statistic is "as extreme" as the
#: observed one (statistics that tie mathematically differ by a few ulp in floating point).
STAT_RTOL = 1e-9

# logit-spaced grid of the nuisance share π: dense near 0 and 1, where the narrow peaks are
_GRID = special.expit(np.linspace(-18.0, 18.0, 1441))
_LOG_GRID = np.log(_GRID)
_LOG1M_GRID = np.log1p(-_GRID)


def pooled_z(x1, n1, x2, n2):
    """Pooled score statistic T = (p̂1 − p̂2)/√(p̄(1 − p̄)(1/n1 + 1/n2)); 0 where p̄ ∈ {0, 1}.

    Vectorised over x1, x2 (broadcast).
    """
    x1 = np.asarray(x1, float)
    x2 = np.asarray(x2, float)
    N = n1 + n2
    pbar = (x1 + x2) / N
    var = pbar * (1 - pbar) * (1 / n1 + 1 / n2)
    diff = x1 / n1 - x2 / n2
    with np.errstate(all="ignore"):
        t = np.where(var > 0, diff / np.sqrt(np.where(var > 0, var, 1.0)), 0.0)
    return t


def _log_binom(n, x):
    return special.gammaln(n + 1) - special.gammaln(x + 1) - special.gammaln(n - x + 1)


def table_terms(n1, n2):
    """For every table (x1, x2): T, log[C(n1, x1) C(n2, x2)] and s = x1 + x2 (flat arrays)."""
    x1 = np.arange(n1 + 1)[:, None]
    x2 = np.arange(n2 + 1)[None, :]
    t = pooled_z(x1, n1, x2, n2)
    lc = _log_binom(n1, x1) + _log_binom(n2, x2)
    s = np.broadcast_to(x1 + x2, t.shape)
    return t.ravel(), lc.ravel(), s.ravel()


def region_weights(lc, s, mask, N):
    """log w_s = log Σ_{tables in the region with x1 + x2 = s} C(n1, x1) C(n2, x2), s = 0..N.

    P_π(region) = Σ_s w_s π^s (1 − π)^(N − s).  Empty sums give −inf.
    """
    out = np.full(N + 1, -np.inf)
    if not np.any(mask):
        return out
    lcm, sm = lc[mask], s[mask]
    top = np.full(N + 1, -np.inf)
    np.maximum.at(top, sm, lcm)
    acc = np.zeros(N + 1)
    np.add.at(acc, sm, np.exp(lcm - top[sm]))
    ok = acc > 0
    out[ok] = top[ok] + np.log(acc[ok])
    return out


def _log_prob(logw, N, log_pi, log1m_pi):
    """log P_π(region) at each π (vectors of log π and log(1 − π))."""
    s = np.arange(N + 1)
    keep = np.isfinite(logw)
    terms = (logw[keep][None, :] + np.multiply.outer(np.atleast_1d(log_pi), s[keep])
             + np.multiply.outer(np.atleast_1d(log1m_pi), (N - s[keep])))
    top = terms.max(axis=1)
    return top + np.log(np.exp(terms - top[:, None]).sum(axis=1))


def sup_probability(logw, N):
    """sup over π ∈ (0, 1) of P_π(region) = Σ_s w_s π^s (1 − π)^(N − s), and the maximiser.

    A logit-spaced grid of 1,441 shares (1.5e-8 … 1 − 1.5e-8, steps of 0.025 in logit), then every local maximum of the
    grid within a factor 0.9 of the best is refined by a bounded Brent search between its
    neighbouring grid points; the limits π → 0 and π → 1 (w_0, w_N) are included.
    """
    if not np.any(np.isfinite(logw)):
        return 0.0, math.nan
    lp = _log_prob(logw, N, _LOG_GRID, _LOG1M_GRID)
    best_i = int(np.argmax(lp))
    best, arg = float(lp[best_i]), float(_GRID[best_i])
    inner = (lp[1:-1] >= lp[:-2]) & (lp[1:-1] >= lp[2:])
    peaks = np.flatnonzero(inner) + 1
    peaks = peaks[lp[peaks] >= best + math.log(0.9)]
    if peaks.size > 20:
        peaks = peaks[np.argsort(-lp[peaks])[:20]]
    for i in peaks:
        lo, hi = special.logit(_GRID[i - 1]), special.logit(_GRID[i + 1])

        def neg(u):
            return -float(_log_prob(logw, N, -np.logaddexp(0.0, -u), -np.logaddexp(0.0, u))[0])

        res = optimize.minimize_scalar(neg, bounds=(lo, hi), method="bounded",
                                       options={"xatol": 1e-10})
        if -res.fun > best:
            best, arg = -float(res.fun), float(special.expit(res.x))
    for edge, lw in ((0.0, logw[0]), (1.0, logw[N])):   # limits at π → 0, 1
        if lw > best:
            best, arg = float(lw), edge
    return min(math.exp(best), 1.0), arg


def extreme_mask(t, t_obs, alternative):
    """Tables at least as extreme as t_obs (with the tie tolerance :data:`STAT_RTOL`)."""
    tol = STAT_RTOL * max(1.0, abs(t_obs))
    if alternative == "two-sided":
        return np.abs(t) >= abs(t_obs) - tol
    if alternative == "larger":
        return t >= t_obs - tol
    return t <= t_obs + tol


def barnard(c1, n1, c2, n2, alternative="two-sided"):
    """Barnard's exact unconditional test of p1 = p2 with the pooled score statistic.

    Returns ``(T, p)``: T = (p̂1 − p̂2)/√(p̄(1 − p̄)(1/n1 + 1/n2)) and
    p = sup_π P_π(T as or more extreme than the observed value) under two independent
    binomials with the common success share π (``alternative``: "two-sided" |T| ≥ |t|,
    "larger" T ≥ t, "smaller" T ≤ t).  A table without successes or failures gives T = 0,
    p = 1.

    Notes
    -----
    P_π(R) = Σ_{(x1, x2) ∈ R} C(n1, x1) C(n2, x2) π^(x1+x2) (1 − π)^(N − x1 − x2) is a
    polynomial in π; its sup is taken by :func:`sup_probability` (fine grid + local
    optimisation at each grid maximum).  Tables count as "as extreme" when their statistic is
    within a relative 1e-9 of the observed one, so floating-point ties are kept.

    References
    ----------
    .. [1] Barnard, G. A. (1945). A new test for 2 × 2 tables. *Nature* 156, 177.
    .. [2] Mehta, C. R., & Senchaudhuri, P. (2003). Conditional versus unconditional exact
       tests for comparing two binomials. Cytel Software Corporation.

    Examples
    --------
    >>> t, p = barnard(7, 15, 12, 15, "smaller")       # Mehta & Senchaudhuri's vaccine example
    >>> round(t, 3), round(p, 4)
    (-1.894, 0.0341)
    """
    c1, n1, c2, n2 = int(c1), int(n1), int(c2), int(n2)
    t_obs = float(pooled_z(c1, n1, c2, n2))
    if c1 + c2 in (0, n1 + n2):
        return 0.0, 1.0
    t, lc, s = table_terms(n1, n2)
    mask = extreme_mask(t, t_obs, alternative)
    p, _ = sup_probability(region_weights(lc, s, mask, n1 + n2), n1 + n2)
    return t_obs, min(max(p, 0.0), 1.0)


# ---------------------------------------------------------------------------------------------
# Miettinen–Nurminen score test and interval
# ---------------------------------------------------------------------------------------------
def restricted_mle(x1, n1, x2, n2, delta):
    """MLE of (p1, p2) under p1 − p2 = δ: Farrington & Manning's (1990) closed form.

    With θ = n2/n1, a = 1 + θ, b = −(1 + θ + p̂1 + θp̂2 + δ(θ + 2)),
    c = δ² + δ(2p̂1 + θ + 1) + p̂1 + θp̂2, d = −p̂1 δ(1 + δ): v = b³/(3a)³ − bc/(6a²) + d/(2a),
    u = sign(v)√(b²/(3a)² − c/(3a)), w = (π + arccos(v/u³))/3, p̃1 = 2u cos w − b/(3a),
    p̃2 = p̃1 − δ.  (Miettinen & Nurminen 1985, Appendix I, in this parametrisation.)
    """
    p1h, p2h = x1 / n1, x2 / n2
    if delta == 0:
        p = (x1 + x2) / (n1 + n2)
        return p, p
    th = n2 / n1
    a = 1 + th
    b = -(1 + th + p1h + th * p2h + delta * (th + 2))
    c = delta ** 2 + delta * (2 * p1h + th + 1) + p1h + th * p2h
    d = -p1h * delta * (1 + delta)
    v = b ** 3 / (27 * a ** 3) - b * c / (6 * a ** 2) + d / (2 * a)
    u2 = b ** 2 / (9 * a ** 2) - c / (3 * a)
    u = math.copysign(math.sqrt(max(u2, 0.0)), v)
    if u == 0:
        p1 = -b / (3 * a)
    else:
        w = (math.pi + math.acos(min(max(v / u ** 3, -1.0), 1.0))) / 3
        p1 = 2 * u * math.cos(w) - b / (3 * a)
    p1 = min(max(p1, max(delta, 0.0)), min(1.0, 1 + delta))
    return p1, p1 - delta


def score_z(x1, n1, x2, n2, delta, correction=True):
    """Score statistic z(δ) = (p̂1 − p̂2 − δ)/√(Ṽ(δ)) of Miettinen & Nurminen (1985).

    Ṽ(δ) = [p̃1(1 − p̃1)/n1 + p̃2(1 − p̃2)/n2] · N/(N − 1) with the restricted MLE
    (:func:`restricted_mle`); ``correction=False`` drops the factor N/(N − 1) (Mee 1984).
    Returns ±inf where Ṽ = 0 and the numerator is not, 0 where both are.
    """
    N = n1 + n2
    p1, p2 = restricted_mle(x1, n1, x2, n2, delta)
    var = p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2
    if correction:
        var *= N / (N - 1)
    num = x1 / n1 - x2 / n2 - delta
    if var <= 0:
        return 0.0 if abs(num) < 1e-15 else math.copysign(math.inf, num)
    return num / math.sqrt(var)


def score_test(x1, n1, x2, n2, alternative="two-sided", correction=True):
    """Score test of p1 = p2: z(0) of :func:`score_z` with a normal reference; returns (z, p).

    At δ = 0 the restricted MLE is the pooled share, so z = T·√((N − 1)/N) with the pooled
    statistic T of :func:`pooled_z` (Miettinen & Nurminen 1985).  No successes or no failures
    at all: z = 0, p = 1.
    """
    if x1 + x2 in (0, n1 + n2):          # no successes or no failures: no evidence
        return 0.0, 1.0
    z = score_z(x1, n1, x2, n2, 0.0, correction)
    if alternative == "two-sided":
        p = 2 * stats.norm.sf(abs(z))
    elif alternative == "larger":
        p = stats.norm.sf(z)
    else:
        p = stats.norm.cdf(z)
    return float(z), float(min(p, 1.0))


def score_interval(x1, n1, x2, n2, conf=0.95, correction=True):
    """Miettinen–Nurminen score interval of p1 − p2: {δ : |z(δ)| ≤ z_(1−α/2)}.

    ``correction=True`` (default) is Miettinen & Nurminen's (1985) interval with the variance
    factor N/(N − 1) ("Miettinen–Nurminen" in Newcombe 1998, Table II); ``correction=False``
    is Mee's (1984) interval ("Mee" in that table).  Each limit is the root of
    z(δ) = ±z_(1−α/2) (Brent's method between the estimate and ±1); where no root exists
    the limit is the boundary ±1.

    References
    ----------
    .. [1] Miettinen, O., & Nurminen, M. (1985). Comparative analysis of two rates.
       *Statistics in Medicine* 4, 213–226.
    .. [2] Farrington, C. P., & Manning, G. (1990). Test statistics and sample size formulae
       for comparative binomial trials with null hypothesis of non-zero risk difference or
       non-unity relative risk. *Statistics in Medicine* 9, 1447–1454.
    .. [3] Mee, R. W. (1984). Confidence bounds for the difference between two probabilities.
       *Biometrics* 40, 1175–1176.
    .. [4] Newcombe, R. G. (1998). Interval estimation for the difference between independent
       proportions: comparison of eleven methods. *Statistics in Medicine* 17, 873–890.

    Examples
    --------
    >>> lo, hi = score_interval(56, 70, 48, 80)        # Newcombe (1998), Table II, example 1
    >>> round(lo, 4), round(hi, 4)
    (0.0528, 0.3382)
    """
    q = float(stats.norm.ppf(0.5 + conf / 2))
    d = x1 / n1 - x2 / n2
    eps = 1e-12

    def f(delta, target):
        return score_z(x1, n1, x2, n2, delta, correction) - target

    lims = []
    for edge, target in ((-1.0 + eps, q), (1.0 - eps, -q)):
        # z(δ) decreases in δ: z(d) = 0; the lower limit solves z = q on (−1, d)
        if f(edge, target) * (1 if target > 0 else -1) <= 0:
            lims.append(edge if abs(edge) < 1 - 2 * eps else math.copysign(1.0, edge))
            continue
        lo, hi = sorted((edge, d))
        lims.append(optimize.brentq(f, lo, hi, args=(target,), xtol=1e-12, rtol=1e-12))
    lo, hi = lims
    if abs(lo + 1) < 1e-9:
        lo = -1.0
    if abs(hi - 1) < 1e-9:
        hi = 1.0
    return float(lo), float(hi)
