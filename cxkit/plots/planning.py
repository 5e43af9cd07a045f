"""Plots of sample-size plans: margin of error versus n, and power versus n.

Both functions take either one metric with one (or several labelled) baselines, or a planning
table from :func:`cxkit.plan_segments` (one curve per segment level, a dot at its current
monthly volume).  Every number drawn comes from :func:`cxkit.margin_of_error` and
:func:`cxkit.power`; the functions return the matplotlib Axes.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter
import numpy as np
import pandas as pd

from ..core.metrics import metric_spec
from ..stats.planning import margin_of_error, planning_baseline, power, row_baseline

__all__ = ["plot_margin_curve", "plot_power_curve"]

_PLAIN = FuncFormatter(lambda v, _: f"{v:g}")
_THOUSANDS = FuncFormatter(lambda v, _: f"{v:,.0f}")
_UNITS = {"nps": "NPS points", "top_box": "percentage points", "mean": "score units"}


def _curves(source, baseline):
    """[(label, metric, Baseline, deff, current n or None)] and plan metadata."""
    if isinstance(source, pd.DataFrame):
        meta = source.attrs.get("plan", {})
        kind = meta.get("kind", "nps")
        spec = metric_spec({"nps": "nps", "top_box": "csat", "mean": "mean"}[kind])
        rows = source
        if baseline is not None:  # a list of labels to keep
            keep = set(baseline)
            rows = source[[f"{r.segment} {r.level}" in keep or r.level in keep
                           for r in source.itertuples()]]
        out = []
        for _, r in rows.iterrows():
            if not np.isfinite(r.get("margin_month", np.nan)):
                continue
            label = "All" if r["segment"] == "All" else f"{r['segment']} {r['level']}"
            out.append((label, spec, row_baseline(r, kind), float(r.get("deff", 1.0)), float(r["n_month"])))
        return out, meta, spec
    spec = metric_spec(source)
    if isinstance(baseline, dict) and not {"detractors", "passives", "promoters"} & set(baseline):
        items = list(baseline.items())
    else:
        items = [(None, baseline)]
    return [(label, spec, planning_baseline(spec, b), 1.0, None) for label, b in items], {}, spec


def _colors(k):
    cmap = plt.get_cmap("tab10" if k <= 10 else "tab20")
    return [cmap(i % cmap.N) for i in range(k)]


def _n_grid(n, curves):
    if n is not None:
        return np.asarray(n, dtype=float)
    top = max([c[4] for c in curves if c[4]] + [1000.0])
    return np.geomspace(20, max(5000.0, 4 * top), 200)


def plot_margin_curve(source, baseline=None, *, n=None, conf=0.95, deff=1.0, population=None,
                      target=None, ax=None, title=None):
    """Margin of error (± half-width) against the number of responses.

    Parameters
    ----------
    source : str, MetricSpec or pandas.DataFrame
        A metric (``"nps"``, ``"csat"``, ``"ces"`` …) with ``baseline``, or a planning table
        from :func:`cxkit.plan_segments` (one curve per segment level with a dot at its current
        monthly volume and margin; its design effects and target are used).
    baseline : optional
        With a metric: the baseline (see :func:`cxkit.planning_baseline`) or a dict
        ``{label: baseline}`` for several curves.  With a table: optional list of row labels
        to draw (e.g. ``["All", "region North"]``).
    n : array_like, optional
        Sample sizes of the x axis (default 20 … 4× the largest current volume, log scale).
    conf, deff, population
        As in :func:`cxkit.margin_of_error` (``deff`` for metric input only).
    target : float, optional
        Target margin drawn as a horizontal line (default: the table's target).
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    m(n) = z₁₋α/₂ · sqrt(V · deff / n) (· FPC) — see :func:`cxkit.margin_of_error`; on log–log
    axes each curve is a straight line of slope −½.

    References
    ----------
    .. [1] Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed. Wiley.

    Examples
    --------
    >>> ax = plot_margin_curve("nps", {"NPS 30": (20, 30, 50), "worst case": "worst-case"}, target=5)
    >>> len(ax.lines)
    3
    """
    curves, meta, spec = _curves(source, baseline)
    grid = _n_grid(n, curves)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.2))
    target = meta.get("margin") if target is None else target
    for (label, sp, b, d, cur), color in zip(curves, _colors(len(curves))):
        dd = d if isinstance(source, pd.DataFrame) else deff
        pop = population
        g = grid if pop is None else grid[grid <= pop]
        m = margin_of_error(sp, g, baseline=b, conf=conf if not meta else meta.get("conf", conf),
                            deff=dd, population=pop)
        line, = ax.plot(g, m, label=label or b.describe(), lw=1.6, color=color)
        if cur:
            mc = margin_of_error(sp, cur, baseline=b, conf=meta.get("conf", conf), deff=dd)
            ax.plot([cur], [mc], "o", color=line.get_color(), ms=6)
    if target is not None:
        ax.axhline(target, color="black", ls="--", lw=1, label=f"target ±{target:g}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(_PLAIN)
    ax.yaxis.set_minor_formatter(_PLAIN)
    ax.xaxis.set_major_formatter(_THOUSANDS)
    ax.set_xlabel("responses (dots: current monthly volume)" if meta else "responses")
    ax.set_ylabel(f"margin of error (± {_UNITS[spec.kind]})")
    ax.set_title(title or f"{spec.name.upper()} margin of error at {meta.get('conf', conf):.0%} confidence"
                          + (f", {'weighted (design effects)' if meta.get('weighted') else 'unweighted'}" if meta else ""),
                 fontsize=10)
    ax.grid(True, which="both", alpha=0.25)
    ax.legend(fontsize=9, ncol=2 if len(curves) > 6 else 1)
    return ax


def plot_power_curve(source, baseline=None, *, difference=None, n=None, alpha=0.05, target_power=0.8,
                     deff=1.0, ax=None, title=None):
    """Power of the two-sided change test against the number of responses per group.

    Parameters
    ----------
    source : str, MetricSpec or pandas.DataFrame
        A metric with ``baseline``, or a planning table from :func:`cxkit.plan_segments` (one
        curve per segment level, a dot at its current monthly volume: the month-over-month
        power).
    baseline : optional
        As in :func:`plot_margin_curve`.
    difference : float, optional
        The change to detect (reported units); default: the table's target.
    n : array_like, optional
        Responses per group on the x axis.
    alpha : float, default 0.05
    target_power : float, default 0.8
        Drawn as a horizontal line.
    deff : float, default 1.0
        Design effect (metric input only; tables use each row's).
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Each curve is :func:`cxkit.power` (two-sample design, equal n, the default shift rule for
    the distribution after the change): for NPS Φ(|d|/SE − z₁₋α/₂) + Φ(−|d|/SE − z₁₋α/₂) with
    SE² = deff (V_a + V_b)/n.

    References
    ----------
    .. [1] Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed.
    .. [2] Chow, S.-C., Shao, J. & Wang, H. (2008). *Sample Size Calculations in Clinical
       Research*, 2nd ed.

    Examples
    --------
    >>> ax = plot_power_curve("nps", (20, 30, 50), difference=5)
    >>> len(ax.lines)
    2
    """
    curves, meta, spec = _curves(source, baseline)
    difference = meta.get("difference") if difference is None else difference
    if difference is None:
        raise ValueError("Pass `difference` (the change to detect) for a power curve.")
    alpha = meta.get("alpha", alpha)
    target_power = meta.get("power", target_power)
    grid = _n_grid(n, curves)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.2))
    for (label, sp, b, d, cur), color in zip(curves, _colors(len(curves))):
        dd = d if isinstance(source, pd.DataFrame) else deff
        p = power(sp, grid, difference=difference, baseline=b, alpha=alpha, deff=dd)
        line, = ax.plot(grid, p, label=label or b.describe(), lw=1.6, color=color)
        if cur and cur > 1:
            ax.plot([cur], [power(sp, cur, difference=difference, baseline=b, alpha=alpha, deff=dd)],
                    "o", color=line.get_color(), ms=6)
    ax.axhline(target_power, color="black", ls="--", lw=1, label=f"target power {target_power:.0%}")
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(_THOUSANDS)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("responses per period (dots: current monthly volume)" if meta else "responses per group")
    ax.set_ylabel("power")
    unit = {"nps": "-point", "top_box": "-pp", "mean": ""}[spec.kind]
    ax.set_title(title or f"Power to detect a {difference:g}{unit} change in {spec.name.upper()} "
                          f"(two-sided α = {alpha:g})"
                          + (f", {'weighted (design effects)' if meta.get('weighted') else 'unweighted'}" if meta else ""),
                 fontsize=10)
    ax.grid(True, which="both", alpha=0.25)
    ax.legend(fontsize=9, ncol=2 if len(curves) > 6 else 1)
    return ax
