"""Multiplicity adjustments of p-values: Holm, Bonferroni and Benjamini–Hochberg.

Written out here (a few vectorised lines each) rather than taken from statsmodels'
``multipletests``, which runs a full garbage collection on every call — the report adjusts
hundreds of small families, and that alone doubled the change page's run time.
"""

from __future__ import annotations

import numpy as np

__all__ = ["adjust_pvalues"]

_METHODS = ("holm", "bonferroni", "fdr-bh", "none")


def adjust_pvalues(p, method="holm"):
    """Adjusted p-values of one family (NaN entries are kept and not counted).

    Parameters
    ----------
    p : array_like
        Unadjusted p-values.
    method : {"holm", "bonferroni", "fdr-bh", "none"}

    Returns
    -------
    numpy.ndarray
        Adjusted p-values, capped at 1, in the order of ``p``.

    Notes
    -----
    With the m finite p-values sorted, p₍₁₎ ≤ … ≤ p₍ₘ₎:

    - Bonferroni: min(1, m·p);
    - Holm (step-down): p̃₍ᵢ₎ = maxⱼ≤ᵢ min(1, (m − j + 1)·p₍ⱼ₎);
    - Benjamini–Hochberg (step-up): p̃₍ᵢ₎ = minⱼ≥ᵢ min(1, m/j·p₍ⱼ₎).

    References
    ----------
    .. [1] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       *Scandinavian Journal of Statistics* 6, 65–70.
    .. [2] Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate. *JRSS B*
       57, 289–300.

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.04, 0.03], "holm").round(3).tolist()
    [0.03, 0.06, 0.06]
    >>> adjust_pvalues([0.01, 0.04, 0.03], "fdr-bh").round(3).tolist()
    [0.03, 0.04, 0.04]
    """
    from ..core.checks import check_method

    method = check_method(_METHODS, method, "correction")
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    m = int(ok.sum())
    if m == 0:
        return out
    q = p[ok]
    if method == "none":
        out[ok] = q
        return out
    if method == "bonferroni":
        out[ok] = np.minimum(1.0, m * q)
        return out
    order = np.argsort(q, kind="mergesort")
    s = q[order]
    if method == "holm":
        adj = np.maximum.accumulate(np.minimum(1.0, (m - np.arange(m)) * s))
    else:  # fdr-bh
        adj = np.minimum.accumulate((np.minimum(1.0, m / np.arange(1, m + 1) * s))[::-1])[::-1]
    res = np.empty(m)
    res[order] = adj
    out[ok] = res
    return out
