"""Scores from published shares: aggregated data (vendor dashboards, benchmarks, HCAHPS).

Many programmes never see respondent rows, only the shares of each answer category and a
sample size.  These functions give the score and an interval that is honest about two things
the shares hide:

* **the design** — a design effect ``deff`` (clustering, weighting, patient-mix adjustment)
  shrinks the information to the Kish effective sample size ``n / deff``; the interval is
  computed on effective counts (``share × n / deff``), so the SE grows by √deff;
* **the rounding of published shares** — shares printed to whole percents (``rounding=1``)
  only say each true share lies within ±0.5 point.  The interval returned is the *envelope*
  (union) of the intervals over every set of true shares consistent with the published ones
  (each within ±rounding/2, summing to 100).

Shares are in **percent** (0–100), in the order (detractors, passives, promoters), low to high.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from ..core.checks import check_conf, check_number
from ..core.metrics import Estimate
from .estimators import estimate_from_histogram

__all__ = ["nps_from_shares", "top_box_from_shares", "compare_shares", "share_box"]


def _z(conf):
    from scipy import stats

    return float(stats.norm.ppf(0.5 + conf / 2))


def _check_common(n, deff, rounding, conf):
    check_number("n", n, low=0, low_open=True)
    check_number("deff", deff, low=0, low_open=True)
    check_number("rounding", rounding, low=0, allow_none=True)
    check_conf(conf)
    return float(n), float(deff), (None if not rounding else float(rounding))


def _check_shares(names, shares, rounding, total=True):
    vals = [float(check_number(k, v, low=0, high=100)) for k, v in zip(names, shares)]
    if total:
        s = sum(vals)
        tol = 1e-6 if rounding is None else len(vals) * rounding / 2 + 1e-9
        if abs(s - 100) > tol:
            hint = (" They look like proportions (0–1): pass percents (multiply by 100)."
                    if abs(s - 1) < 0.05 else
                    " If the shares were rounded when published, pass `rounding=` (e.g. 1 for "
                    "whole percents)." if rounding is None and abs(s - 100) <= 1.5 * len(vals)
                    else " Shares are in percent and must cover every answer (detractors, "
                         "passives, promoters).")
            raise ValueError(f"The shares {', '.join(f'{k}={v:g}' for k, v in zip(names, vals))}"
                             f" sum to {s:g}, not 100 (within rounding {rounding or 0:g}).{hint}")
    return vals


def share_box(shares, rounding):
    """Vertices of the set of true shares consistent with published ``shares``.

    Each true share lies within ±``rounding``/2 of the published one (and in 0…100) and the
    true shares sum to 100.  For two or three categories that set is a segment or a polygon
    (the box cut by the plane Σ = 100); its vertices are returned as rows.  Every quantity
    that is monotone along each edge (a score, an interval limit that varies smoothly over a
    box this small) reaches its extremes there; the callers also evaluate a grid inside.

    Parameters
    ----------
    shares : sequence of float
        Published shares in percent (2 or 3 categories).
    rounding : float
        Rounding step of the published shares (1 = whole percents).

    Returns
    -------
    numpy.ndarray
        ``(k, len(shares))`` array of vertices.

    Examples
    --------
    >>> share_box([8, 21, 71], 1).round(2).tolist()[:2]
    [[7.5, 21.0, 71.5], [7.5, 21.5, 71.0]]
    """
    s = np.asarray(shares, dtype=float)
    h = rounding / 2
    lo, hi = np.maximum(s - h, 0), np.minimum(s + h, 100)
    k = len(s)
    pts = []
    # vertices of {lo <= x <= hi} ∩ {Σx = 100}: fix k-2 coordinates at a bound, solve the
    # last free pair (k=3) or the single coordinate (k=2) from Σ = 100
    if k == 2:
        for x0 in (lo[0], hi[0]):
            x1 = 100 - x0
            if lo[1] - 1e-12 <= x1 <= hi[1] + 1e-12:
                pts.append([x0, x1])
        for x1 in (lo[1], hi[1]):
            x0 = 100 - x1
            if lo[0] - 1e-12 <= x0 <= hi[0] + 1e-12:
                pts.append([x0, x1])
    else:
        for fixed in itertools.combinations(range(k), k - 1):
            free = [i for i in range(k) if i not in fixed][0]
            for bounds in itertools.product(*[(lo[i], hi[i]) for i in fixed]):
                x = np.empty(k)
                x[list(fixed)] = bounds
                x[free] = 100 - sum(bounds)
                if lo[free] - 1e-12 <= x[free] <= hi[free] + 1e-12:
                    pts.append(x.tolist())
    if not pts:
        raise ValueError(f"No shares within ±{h:g} of {s.tolist()} sum to 100; check the "
                         f"shares and `rounding`.")
    out = np.unique(np.round(np.asarray(pts), 12), axis=0)
    # in the (detractors, passives, promoters) order of the input, sorted for determinism
    return out


def _box_points(shares, rounding, grid=9):
    """Vertices plus an interior grid of the consistent set (rows of true shares)."""
    if not rounding:
        return np.asarray([shares], dtype=float)
    v = share_box(shares, rounding)
    s = np.asarray(shares, dtype=float)
    h = rounding / 2
    k = len(s)
    axes = [np.linspace(max(x - h, 0), min(x + h, 100), grid) for x in s[:k - 1]]
    g = np.array(list(itertools.product(*axes)))
    last = 100 - g.sum(axis=1)
    ok = (last >= max(s[-1] - h, 0) - 1e-12) & (last <= min(s[-1] + h, 100) + 1e-12)
    g = np.column_stack([g[ok], last[ok]])
    return np.vstack([v, g]) if len(g) else v


def _nps_at(shares, n_eff, method, conf):
    d, m, p = (x / 100 * n_eff for x in shares)
    return estimate_from_histogram([0, 7, 10], [d, m, p], metric="nps", method=method, conf=conf)


def _top_at(share, n_eff, method, conf, name):
    k = share / 100 * n_eff
    return estimate_from_histogram([0, 1], [n_eff - k, k], metric="top_box", top_box=(1,),
                                   method=method, conf=conf)


def nps_from_shares(detractors, passives, promoters, n, *, deff=1.0, rounding=None,
                    method=None, conf=0.95) -> Estimate:
    """NPS and an honest interval from published shares (percent) and the sample size.

    Parameters
    ----------
    detractors, passives, promoters : float
        Shares in percent (0–100), e.g. HCAHPS bottom / middle / top box of the 0–10 hospital
        rating (0–6 / 7–8 / 9–10).  They must sum to 100 (within the rounding).
    n : float
        Number of responses behind the shares (completed surveys).
    deff : float, default 1.0
        Design effect of the source (clustering, weighting); the interval uses the Kish
        effective sample size ``n / deff``.
    rounding : float, optional
        Rounding step of the published shares: ``1`` for whole percents, ``0.1`` for one
        decimal.  The interval is then the envelope over all true shares consistent with the
        published ones.  None: the shares are exact.
    method : {"score", "adjusted-wald", "wald"}, optional
        Interval at the effective counts (see :func:`cxkit.estimate_from_histogram`); default
        the NPS default of :func:`cxkit.nps_from_counts` (the score interval).
    conf : float, default 0.95

    Returns
    -------
    Estimate
        ``value`` = promoters − detractors as published; ``se`` at the published shares and
        the effective n; ``ci_low``/``ci_high`` the (envelope) interval; ``n`` as given (rounded
        to a whole number), ``n_eff = n / deff``; ``note`` says what was taken into account.

    Notes
    -----
    Effective counts D = d·n/(100·deff), M, P likewise; the interval of ``method`` is computed
    from (D, M, P) as if they were counts of a simple random sample of size n/deff (Kish 1965:
    the design effect is the variance ratio to simple random sampling, so n/deff is the SRS
    size of equal precision).  With ``rounding=r`` the true shares θ lie in
    T = {θ : |θ_i − s_i| ≤ r/2, Σθ_i = 100}.  Whatever θ ∈ T is the truth, the interval CI(θ)
    computed from it covers with probability ``conf``, and CI(θ) ⊂ ∪_{θ' ∈ T} CI(θ'); so the
    union — evaluated at the vertices of T and a 9 × 9 grid inside it — covers with probability
    at least ``conf`` (the construction of confidence sets for partially identified parameters,
    Manski 2003, ch. 1; Imbens & Manski 2004 give a narrower, asymptotically exact
    alternative).  Whole percents move the NPS by up to ±1 point (±0.5 per share, opposite
    signs).

    References
    ----------
    .. [1] Kish, L. (1965). *Survey Sampling*. Wiley (design effect, effective sample size).
    .. [2] Manski, C. F. (2003). *Partial Identification of Probability Distributions*.
       Springer.
    .. [3] Imbens, G. W. & Manski, C. F. (2004). Confidence intervals for partially identified
       parameters. *Econometrica* 72(6), 1845–1857.
    .. [4] Rocks, B. (2016). Interval estimation for the "net promoter score". *The American
       Statistician* 70(4), 365–372.

    Examples
    --------
    >>> e = nps_from_shares(20, 30, 50, 100, method="wald")
    >>> round(e.value, 1), round(e.ci_low, 2), round(e.ci_high, 2)
    (30.0, 14.69, 45.31)
    >>> e = nps_from_shares(8, 21, 71, 10000, deff=2, rounding=1, method="wald")
    >>> round(e.value, 1), round(e.ci_low, 2), round(e.ci_high, 2), e.n_eff
    (63.0, 60.23, 65.71, 5000.0)
    """
    n, deff, rounding = _check_common(n, deff, rounding, conf)
    names = ("detractors", "passives", "promoters")
    shares = _check_shares(names, (detractors, passives, promoters), rounding)
    n_eff = n / deff
    at = _nps_at(shares, n_eff, method, conf)
    lo, hi = at.ci_low, at.ci_high
    for pt in _box_points(shares, rounding):
        e = _nps_at(pt, n_eff, method, conf)
        lo, hi = min(lo, e.ci_low), max(hi, e.ci_high)
    return Estimate(metric="nps", value=shares[2] - shares[0], se=at.se, ci_low=lo, ci_high=hi,
                    n=int(round(n)), n_eff=n_eff, conf=conf, method=at.method, weighted=False,
                    note=_note(deff, rounding, at.note))


def top_box_from_shares(top, n, *, deff=1.0, rounding=None, method="wilson", conf=0.95,
                        name="top_box") -> Estimate:
    """Top-box share and an honest interval from a published share (percent) and n.

    Parameters
    ----------
    top : float
        Top-box share in percent (0–100), e.g. HCAHPS "Always".
    n : float
        Number of responses behind the share.
    deff : float, default 1.0
        Design effect; the interval uses n / deff.
    rounding : float, optional
        Rounding step of the published share (1 = whole percents): the interval is the
        envelope over true shares within ±rounding/2.
    method : {"wilson", "wald", "agresti-coull", "beta"}, default "wilson"
    conf : float, default 0.95
    name : str, default "top_box"
        Metric label of the result.

    Returns
    -------
    Estimate
        Percent; ``n``, ``n_eff = n / deff``, ``note`` as in :func:`nps_from_shares`.

    Notes
    -----
    The interval of ``method`` at the effective count k = top·n/(100·deff) of n/deff
    (``statsmodels`` ``proportion_confint``); with ``rounding`` the union of the intervals
    over true shares in [top − r/2, top + r/2] (see :func:`nps_from_shares` for why the union
    keeps at least the nominal coverage).

    References
    ----------
    .. [1] Kish, L. (1965). *Survey Sampling*. Wiley.
    .. [2] Wilson, E. B. (1927). *JASA* 22, 209–212.
    .. [3] Manski, C. F. (2003). *Partial Identification of Probability Distributions*.

    Examples
    --------
    >>> e = top_box_from_shares(80, 100, method="wald")
    >>> round(e.value, 1), round(e.ci_low, 2), round(e.ci_high, 2)
    (80.0, 72.16, 87.84)
    """
    n, deff, rounding = _check_common(n, deff, rounding, conf)
    (share,) = _check_shares(("top",), (top,), rounding, total=False)
    n_eff = n / deff
    at = _top_at(share, n_eff, method, conf, name)
    lo, hi = at.ci_low, at.ci_high
    if rounding:
        for s in np.linspace(max(share - rounding / 2, 0), min(share + rounding / 2, 100), 11):
            e = _top_at(s, n_eff, method, conf, name)
            lo, hi = min(lo, e.ci_low), max(hi, e.ci_high)
    return Estimate(metric=name, value=share, se=at.se, ci_low=lo, ci_high=hi,
                    n=int(round(n)), n_eff=n_eff, conf=conf, method=at.method, weighted=False,
                    note=_note(deff, rounding, at.note))


def _note(deff, rounding, base):
    parts = [base] if base else []
    if deff != 1:
        parts.append(f"design effect {deff:g}: interval from n/deff effective counts")
    if rounding:
        parts.append(f"shares rounded to {rounding:g}: interval is the envelope over true "
                     f"shares within ±{rounding / 2:g}")
    return "; ".join(parts)


def compare_shares(a, b, *, metric="nps", deff=1.0, rounding=None, conf=0.95) -> Estimate:
    """Difference b − a of two scores given as published shares, with an honest interval.

    Parameters
    ----------
    a, b : sequence
        NPS: ``(detractors, passives, promoters, n)`` in percent; top box:
        ``(top, n)``.  ``a`` is the reference (baseline, benchmark), ``b`` the other.
    metric : {"nps", "top_box"}, default "nps"
    deff : float or (float, float), default 1.0
        Design effect of each side (one number for both).
    rounding : float, optional
        Rounding step of the published shares of both sides.
    conf : float, default 0.95

    Returns
    -------
    Estimate
        ``metric`` ``"<metric> difference"``, ``value`` = b − a (points), ``se`` the Wald SE
        sqrt(se_a² + se_b²) at the effective n of each side, ``ci_low``/``ci_high`` the Wald
        interval — with ``rounding``, its envelope over the true shares of both sides;
        ``n`` = n_a + n_b, ``n_eff`` the sum of the effective n.

    Notes
    -----
    Independent samples: Var(b − a) = Var(a) + Var(b), each the multinomial (NPS:
    (p + d − (p − d)²)/n_eff) or binomial variance at the effective n; interval
    (b − a) ± z·SE (Wald).  When one side contains the other (a state inside the nation), the
    sides are not independent: b − a = (1 − f)(b − rest) with f = n_b/n_a, so the SE is
    (1 − f)·sqrt(Var(b) + Var(rest)); for a state of a few percent of the nation this differs
    from the independent formula by a few percent of the SE (noted, not corrected).

    References
    ----------
    .. [1] Kish, L. (1965). *Survey Sampling*. Wiley.
    .. [2] Manski, C. F. (2003). *Partial Identification of Probability Distributions*.

    Examples
    --------
    >>> e = compare_shares((20, 30, 50, 100), (10, 30, 60, 100))
    >>> round(e.value, 1), round(e.se, 3)
    (20.0, 10.296)
    """
    check_conf(conf)
    if metric not in ("nps", "top_box"):
        raise ValueError(f"The value for `metric` must be one of ['nps', 'top_box'], but "
                         f"{metric!r} was passed.")
    k = 4 if metric == "nps" else 2
    da, db = (deff, deff) if not isinstance(deff, (tuple, list)) else tuple(deff)
    sides = []
    for label, side, d in (("a", a, da), ("b", b, db)):
        if not isinstance(side, (tuple, list)) or len(side) != k:
            raise ValueError(f"`{label}` must be {'(detractors, passives, promoters, n)' if k == 4 else '(top, n)'}"
                             f" in percent, got {side!r}.")
        n, d, r = _check_common(side[-1], d, rounding, conf)
        names = ("detractors", "passives", "promoters") if k == 4 else ("top",)
        sh = _check_shares([f"{label}.{x}" for x in names], side[:-1], r, total=k == 4)
        sides.append((sh, n, n / d))
    z = _z(conf)

    def val_var(sh, ne):
        if k == 4:
            d_, p_ = sh[0] / 100, sh[2] / 100
            return sh[2] - sh[0], 100 ** 2 * (p_ + d_ - (p_ - d_) ** 2) / ne
        p_ = sh[0] / 100
        return sh[0], 100 ** 2 * p_ * (1 - p_) / ne

    (sa, na, nea), (sb, nb, neb) = sides
    va, wa = val_var(sa, nea)
    vb, wb = val_var(sb, neb)
    se = math.sqrt(wa + wb)
    lo, hi = vb - va - z * se, vb - va + z * se
    if rounding:
        pa = _box_points(sa, rounding) if k == 4 else np.linspace(
            max(sa[0] - rounding / 2, 0), min(sa[0] + rounding / 2, 100), 11)[:, None]
        pb = _box_points(sb, rounding) if k == 4 else np.linspace(
            max(sb[0] - rounding / 2, 0), min(sb[0] + rounding / 2, 100), 11)[:, None]
        for x in pa:
            v1, w1 = val_var(list(x), nea)
            for y in pb:
                v2, w2 = val_var(list(y), neb)
                s2 = math.sqrt(w1 + w2)
                lo, hi = min(lo, v2 - v1 - z * s2), max(hi, v2 - v1 + z * s2)
    bound = 200 if k == 4 else 100
    notes = [x for x in (_note(da if da == db else 2, None, ""),) if x]
    if da != 1 or db != 1:
        notes = [f"design effects {da:g} (a), {db:g} (b): variances from n/deff"]
    if rounding:
        notes.append(f"shares rounded to {rounding:g}: interval is the envelope over true "
                     f"shares within ±{rounding / 2:g} on both sides")
    return Estimate(metric=f"{metric} difference", value=vb - va, se=se,
                    ci_low=max(lo, -bound), ci_high=min(hi, bound), n=int(round(na + nb)),
                    n_eff=nea + neb, conf=conf, method="wald", weighted=False,
                    note="; ".join(notes))
