"""Overview plots: score trends with their confidence bands (from :func:`cxkit.summarize`)."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

__all__ = ["plot_trend"]

_UNIT_LABEL = {"points": "NPS (points)", "%": "percent"}


def _to_plot_x(values: pd.Series) -> pd.Series:
    if isinstance(values.dtype, pd.PeriodDtype):
        return values.dt.to_timestamp()
    return values


def plot_trend(table, *, x="period", y="value", hue=None, ax=None, title=None):
    """Line plot of a score over time with a shaded confidence band per hue level.

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`cxkit.summarize` table (or any table with ``x``, ``y``, ``ci_low``,
        ``ci_high``), usually for one metric.  Period columns are drawn at their start
        timestamp.
    x : str, default "period"
        Column on the x axis.
    y : str, default "value"
        Column on the y axis.
    hue : str, optional
        Column whose levels get separate lines and bands (e.g. ``"region"`` or ``"metric"``).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (a new figure otherwise).
    title : str, optional
        Axes title; the interval method and level are appended (e.g. "95% CI, adjusted-wald").

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    The band is ``fill_between(x, ci_low, ci_high)``; the y label gives the metric and its units
    (``units`` column of the summary: NPS points, percent, or raw units).  Rows with a NaN
    value (no responses) break the line instead of being interpolated over.

    References
    ----------
    .. [1] Waskom, M. (2021). seaborn: statistical data visualization. *JOSS* 6(60), 3021.

    Examples
    --------
    >>> import pandas as pd, cxkit
    >>> df = pd.DataFrame({"nps": [10, 9, 3, 8, 10, 6],
    ...                    "period": pd.PeriodIndex(["2026-01"] * 3 + ["2026-02"] * 3, freq="M")})
    >>> ax = plot_trend(cxkit.summarize(df, "nps", by="period"))
    >>> ax.get_ylabel()
    'nps (points)'
    """
    for col in [x, y, "ci_low", "ci_high"] + ([hue] if hue else []):
        if col not in table.columns:
            raise ValueError(f"plot_trend needs a {col!r} column (a cxkit.summarize table); "
                             f"columns are {list(table.columns)}.")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    data = table.copy()
    data["_x"] = _to_plot_x(data[x])
    data = data.sort_values("_x", kind="stable")
    levels = list(pd.unique(data[hue])) if hue else [None]
    palette = sns.color_palette(n_colors=max(len(levels), 1))
    for color, level in zip(palette, levels):
        part = data if level is None else data[data[hue] == level]
        label = None if level is None else str(level)
        ax.plot(part["_x"], part[y], marker="o", color=color, label=label)
        ax.fill_between(part["_x"], part["ci_low"].to_numpy(float), part["ci_high"].to_numpy(float),
                        color=color, alpha=0.2, linewidth=0)
    metrics = list(pd.unique(data["metric"])) if "metric" in data else []
    units = list(pd.unique(data["units"])) if "units" in data else []
    name = ", ".join(map(str, metrics)) if metrics else y
    unit = units[0] if len(units) == 1 else ""
    ax.set_ylabel(f"{name} ({unit})" if unit else str(name))
    ax.set_xlabel(x)
    methods = list(pd.unique(data["method"])) if "method" in data else []
    conf = data["conf"].iloc[0] if "conf" in data and len(data) else None
    band = (f"{conf:.0%} CI" if conf is not None else "CI") + (f", {', '.join(methods)}" if methods else "")
    if "weighted" in data and len(data):
        w = bool(data["weighted"].any())
        n_eff = float(data["n_eff"].iloc[-1]) if w and "n_eff" in data else float("nan")
        band += ", " + (f"weighted (n_eff {n_eff:,.0f} in the last period)" if w and np.isfinite(n_eff)
                        else "weighted" if w else "unweighted")
    ax.set_title(f"{title} (band: {band})" if title else f"band: {band}", fontsize=10)
    if hue:
        ax.legend(title=hue)
    if len(data) and np.issubdtype(data["_x"].dtype, np.datetime64):
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    return ax
