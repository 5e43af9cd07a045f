"""Competitor plots: brand NPS with intervals, category shares and gaps to the own brand.

Each function takes a :class:`cxkit.BrandComparison` (from :func:`cxkit.brand_comparison`) and
returns the matplotlib Axes.  No statistics are computed here: every number drawn is a column
of the result's tables.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..stats.competitors import _CORRECTION_LABEL, _CORRECTIONS

__all__ = ["plot_brand_forest", "plot_brand_shares", "plot_brand_gaps"]

_OWN_COLOR = "#1f5fa8"
_OTHER_COLOR = "#7f7f7f"
_SHARE_COLORS = {"detractors": "#d1495b", "passives": "#c9c9c9", "promoters": "#2e8b57"}


def _check(result, attr):
    table = getattr(result, attr, None)
    if table is None:
        raise TypeError("Pass the result of cxkit.brand_comparison (a BrandComparison).")
    return table


def plot_brand_forest(result, *, ax=None, title=None, sort=True):
    """Forest plot: each brand's NPS with its confidence interval, own brand highlighted.

    Parameters
    ----------
    result : BrandComparison
        Output of :func:`cxkit.brand_comparison`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (a new figure otherwise).
    title : str, optional
        Axes title (default names the interval level and method).
    sort : bool, default True
        Order brands by NPS (highest on top); otherwise keep the table order.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Points are ``result.brands["nps"]``, bars ``ci_low`` … ``ci_high`` (per-brand intervals,
    by default adjusted Wald, Rocks 2016); labels carry ``n``.  Overlap of two brands'
    intervals is *not* a test of their difference — use :func:`plot_brand_gaps` for that.

    References
    ----------
    .. [1] Rocks, B. (2016). Interval estimation for the "net promoter score".
       *The American Statistician* 70(4), 365–372.

    Examples
    --------
    >>> import cxkit
    >>> res = cxkit.brand_comparison({"A": [10, 9, 7, 3], "B": [9, 6, 5, 8]}, n_boot=0)
    >>> plot_brand_forest(res).get_xlabel()
    'NPS (points)'
    """
    b = _check(result, "brands").copy()
    if sort:
        b = b.sort_values("nps", ascending=True)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.6 * len(b) + 1.5))
    y = np.arange(len(b))
    colors = [_OWN_COLOR if own else _OTHER_COLOR for own in b["own"]]
    for yi, (_, row), c in zip(y, b.iterrows(), colors):
        ax.plot([row["ci_low"], row["ci_high"]], [yi, yi], color=c, lw=2.5, solid_capstyle="butt")
        ax.plot(row["nps"], yi, "o", color=c, ms=8)
        ax.annotate(f"{row['nps']:.1f}", (row["nps"], yi), textcoords="offset points",
                    xytext=(0, 7), ha="center", fontsize=9, color=c)
    ax.set_yticks(y)
    ax.set_yticklabels([f"{r.brand}{' (own)' if r.own else ''}\nn = {int(r.n):,}"
                        for r in b.itertuples()])
    ax.axvline(0, color="black", lw=0.6)
    ax.set_ylim(-0.6, len(b) - 0.3)
    ax.set_xlabel("NPS (points)")
    method = b["method"].iloc[0] if len(b) else ""
    ax.set_title(title or f"NPS by brand ({result.conf:.0%} CI, {method}, "
                          f"{'weighted' if result.weighted else 'unweighted'})")
    ax.grid(axis="x", alpha=0.3)
    return ax


def plot_brand_shares(result, *, ax=None, title=None):
    """Stacked horizontal bars of detractor / passive / promoter shares per brand.

    Parameters
    ----------
    result : BrandComparison
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Shares are ``result.brands[["detractors", "passives", "promoters"]]`` in percent of the
    respondents who rate the brand (weighted when the comparison was); NPS = promoters −
    detractors (Reichheld 2003).

    References
    ----------
    .. [1] Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business
       Review* 81(12), 46–54.

    Examples
    --------
    >>> import cxkit
    >>> res = cxkit.brand_comparison({"A": [10, 9, 7, 3], "B": [9, 6, 5, 8]}, n_boot=0)
    >>> plot_brand_shares(res).get_xlabel()
    'share of respondents rating the brand (%)'
    """
    b = _check(result, "brands").iloc[::-1]
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.55 * len(b) + 1.5))
    left = np.zeros(len(b))
    y = np.arange(len(b))
    for col in ("detractors", "passives", "promoters"):
        vals = b[col].to_numpy(float)
        ax.barh(y, vals, left=left, color=_SHARE_COLORS[col], label=col.capitalize(),
                edgecolor="white")
        for yi, l, v in zip(y, left, vals):
            if v >= 6:
                ax.text(l + v / 2, yi, f"{v:.0f}%", ha="center", va="center", fontsize=9)
        left = left + vals
    ax.set_yticks(y)
    ax.set_yticklabels([f"{r.brand}{' (own)' if r.own else ''}" for r in b.itertuples()])
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of respondents rating the brand (%)")
    ax.legend(ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.18), frameon=False)
    ax.set_title(title or f"Detractors, passives and promoters by brand, "
                          f"{'weighted' if result.weighted else 'unweighted'}")
    return ax


def plot_brand_gaps(result, *, ax=None, title=None):
    """Each competitor's NPS gap to the own brand with its interval and significance.

    Parameters
    ----------
    result : BrandComparison
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Points are ``result.gaps["gap"]`` (competitor − own, NPS points) with their unadjusted
    ``conf`` intervals (the title says so); filled markers are significant after the
    multiple-testing correction (``p_adj < alpha``, Holm 1979 by default), hollow grey ones are
    not.  Red: the competitor is significantly ahead of the own brand; green: behind.  Paired gaps (respondents
    rating both brands) are labelled with the number of pairs.

    References
    ----------
    .. [1] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       *Scandinavian Journal of Statistics* 6(2), 65–70.

    Examples
    --------
    >>> import cxkit
    >>> res = cxkit.brand_comparison({"A": [10, 9, 7, 3], "B": [9, 6, 5, 8]}, n_boot=0)
    >>> plot_brand_gaps(res).get_xlabel()
    'gap to A (NPS points, competitor − own)'
    """
    g = _check(result, "gaps").sort_values("gap", ascending=True)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.6 * len(g) + 1.5))
    y = np.arange(len(g))
    for yi, row in zip(y, g.itertuples()):
        # the report's colours: a competitor significantly ahead is bad news for the own brand
        # (red), significantly behind good news (green); grey when not significant
        c = ("#c62828" if row.gap > 0 else "#1a7f37") if row.significant else "#8c8c8c"
        ax.plot([row.ci_low, row.ci_high], [yi, yi], color=c, lw=2.5, solid_capstyle="butt")
        ax.plot(row.gap, yi, "o", ms=9, color=c, markerfacecolor=c if row.significant else "white",
                markeredgewidth=2)
        p = "adjusted p < 0.001" if row.p_adj < 0.001 else f"adjusted p = {row.p_adj:.3f}"
        ax.annotate(f"{row.gap:+.1f} ({p})", (row.gap, yi), textcoords="offset points",
                    xytext=(0, 8), ha="center", fontsize=9)
    labels = []
    for row in g.itertuples():
        basis = f"{row.n_pairs:,} pairs" if row.design == "paired" else "independent"
        labels.append(f"{row.brand}\n{basis}")
    ax.set_yticks(y)
    ax.set_yticklabels(labels)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel(f"gap to {result.own} (NPS points, competitor − own)")
    corr = _CORRECTION_LABEL[_CORRECTIONS[result.correction]]
    ax.set_title(title or f"Gap to {result.own}, {'weighted' if result.weighted else 'unweighted'}: "
                          f"unadjusted {result.conf:.0%} CIs;\nfilled = significant after {corr} adjustment "
                          f"(α = {result.alpha:g}); red = competitor ahead, green = behind", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    lo = min(0.0, float(g["ci_low"].min())) if len(g) else -1
    hi = max(0.0, float(g["ci_high"].max())) if len(g) else 1
    pad = 0.08 * (hi - lo or 1)
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_ylim(-0.6, len(g) - 0.3)
    return ax
