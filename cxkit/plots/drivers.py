"""Key-driver plots: the priority matrix (importance × performance) and the pain-map bars."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

__all__ = ["plot_priority_matrix", "plot_pain_map"]

_COLORS = {"fix first": "#c0392b", "keep": "#2e86c1", "monitor": "#7f8c8d",
           "over-invest?": "#d4ac0d"}


def _labels(t):
    return [l if isinstance(l, str) and l else d for l, d in
            zip(t["label"] if "label" in t else t["driver"], t["driver"])]


def plot_priority_matrix(matrix, *, ax=None, title="What to fix first"):
    """Scatter of driver importance (x, percent of explained variance, with the bootstrap
    interval) against performance (y), split into the four quadrants of
    :func:`cxkit.priority_matrix` at its cut points.

    Parameters
    ----------
    matrix : pandas.DataFrame
        :func:`cxkit.priority_matrix` result.
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    if "quadrant" not in matrix.columns:
        raise ValueError("`matrix` must be the result of cxkit.priority_matrix.")
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 5))
    icut, pcut = float(matrix["importance_cut"].iloc[0]), float(matrix["performance_cut"].iloc[0])
    x, y = matrix["importance"].to_numpy(float), matrix["performance"].to_numpy(float)
    if {"ci_low", "ci_high"} <= set(matrix.columns) and np.isfinite(matrix["ci_low"]).all():
        ax.errorbar(x, y, xerr=[x - matrix["ci_low"], matrix["ci_high"] - x], fmt="none",
                    ecolor="#999999", elinewidth=1, capsize=2, zorder=1)
    for q, c in _COLORS.items():
        m = (matrix["quadrant"] == q).to_numpy()
        if m.any():
            ax.scatter(x[m], y[m], s=70, color=c, label=q, zorder=2)
    for xi, yi, lab in zip(x, y, _labels(matrix)):
        ax.annotate(lab, (xi, yi), xytext=(6, 4), textcoords="offset points", fontsize=9)
    ax.axvline(icut, color="#555555", lw=0.8, ls="--")
    ax.axhline(pcut, color="#555555", lw=0.8, ls="--")
    lo, hi = ax.get_xlim()
    ax.set_xlim(0, max(hi, icut * 1.2))
    kind = matrix["performance_kind"].iloc[0] if "performance_kind" in matrix else "mean"
    ax.set_xlabel("importance (% of the explained variance)")
    ax.set_ylabel("performance (mean rating)" if kind == "mean" else "performance (% top box)")
    ax.set_title(title)
    ax.legend(loc="best", fontsize=8, frameon=False)
    return ax


def plot_pain_map(pain, *, ax=None, title=None):
    """Horizontal bars: points the headline score would gain per driver if its low raters
    scored like the rest, with the bootstrap interval (:func:`cxkit.pain_map`).

    Returns
    -------
    matplotlib.axes.Axes
    """
    if "gain" not in pain.columns:
        raise ValueError("`pain` must be the result of cxkit.pain_map.")
    t = pain.sort_values("gain")
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 0.5 * len(t) + 1.2))
    y = np.arange(len(t))
    g = t["gain"].to_numpy(float)
    err = None
    if np.isfinite(t["gain_low"]).all():
        err = [g - t["gain_low"].to_numpy(float), t["gain_high"].to_numpy(float) - g]
    ax.barh(y, g, color="#c0392b", alpha=0.8, xerr=err, ecolor="#555555", capsize=3)
    ax.set_yticks(y, _labels(t))
    right = t["gain_high"].to_numpy(float) if err else g
    for yi, gi, s in zip(y, right, t["weight_share"]):
        ax.annotate(f"{s:.0f}% of the pain", (max(gi, 0), yi), xytext=(6, -3),
                    textcoords="offset points", fontsize=8)
    outcome = str(t["outcome"].iloc[0]).upper() if "outcome" in t else "score"
    ax.set_xlabel(f"{outcome} points gained if the low raters scored like the rest")
    ax.set_title(title or "Pain map: where the points are lost")
    ax.set_xlim(0, max(float(np.nanmax(t["gain_high"])) if err else float(g.max()), 1) * 1.35)
    return ax
