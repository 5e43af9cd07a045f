"""Plots of score changes: forest plot of segment changes, mix/rate decomposition, trend.

Each function takes a result of :mod:`cxkit.stats.changes` (:class:`~cxkit.ScoreChanges`,
:class:`~cxkit.Decomposition`, :class:`~cxkit.Trend`) and returns the matplotlib Axes.  No
statistics are computed here: every number drawn is a field or column of the result.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..core.checks import check_argument
from ..stats.twosample import _decimals, _kind
from ..core.metrics import LOWER_IS_BETTER

__all__ = ["plot_changes_forest", "plot_decomposition", "plot_change_trend"]

_SIG_DOWN = "#c0392b"
_SIG_UP = "#2e8b57"
_NOT_SIG = "#8c8c8c"
_EFFECT_COLORS = {"mix": "#7aa6d6", "rate": "#1f5fa8", "interaction": "#c9c9c9"}


def _label(metric):
    return metric.upper() if metric in ("nps", "csat", "ces") else str(metric)


def _unit(result):
    """Axis-label units from the metric kind the result was computed as."""
    return {"nps": " (points)", "top_box": " (percentage points)"}.get(_kind(result), "")


def _weight_note(result):
    if not getattr(result, "weighted", False):
        return "unweighted"
    overall = getattr(result, "overall", None)
    n_eff = getattr(overall, "n_eff_b", None)
    return f"weighted (n_eff {n_eff:,.0f})" if n_eff is not None and np.isfinite(n_eff) else "weighted"


def plot_changes_forest(result, *, which="table", ax=None, title=None, better=None, max_rows=None):
    """Forest plot of segment changes with their intervals, coloured by significance.

    Parameters
    ----------
    result : ScoreChanges
        Output of :func:`cxkit.score_changes`.
    which : {"table", "vs_rest"}, default "table"
        Period-over-period changes, or each segment against the rest of the report period.
    ax : matplotlib.axes.Axes, optional
        Default: a new figure whose height grows with the number of rows drawn.
    title : str, optional
    better : {"higher", "lower"}, optional
        Which direction is good news; default ``"lower"`` for CES (effort) and ``"higher"``
        otherwise.  Significant changes for the worse are red, for the better green.
    max_rows : int, optional
        Draw at most this many segment rows: the overall row, then the significant rows and
        the largest moves (the title says how many of how many are shown).  Default: all.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    One row per segment level (overall first, then in label order): the point is ``diff``
    (b − a), the bar ``ci_low`` … ``ci_high`` — the *unadjusted* interval at ``result.conf``,
    which the chart says in its title.  Red / green: significant change for the worse / better
    after the multiplicity adjustment (``significant``); grey: not significant; hollow markers:
    too few responses (no test).  Because the intervals are unadjusted, a bar may miss 0 while
    the adjusted test is not significant — the colour is the verdict.  Labels are 9 pt or
    larger.

    References
    ----------
    .. [1] Lewis, S., & Clarke, M. (2001). Forest plots: trying to see the wood and the trees.
       *BMJ* 322, 1479–1480.

    Examples
    --------
    >>> import cxkit
    >>> responses, _ = cxkit.load_survey("demo")                          # doctest: +SKIP
    >>> plot_changes_forest(cxkit.score_changes(responses, "nps"))       # doctest: +SKIP
    """
    check_argument("which", ("table", "vs_rest"), which)
    t = getattr(result, which, None)
    if t is None:
        raise TypeError("Pass the result of cxkit.score_changes (a ScoreChanges).")
    if better is None:
        better = "lower" if result.metric in LOWER_IS_BETTER else "higher"
    check_argument("better", ("higher", "lower"), better)
    sign = 1 if better == "higher" else -1
    from ..report.tables import change_rows

    t = change_rows(result, which)
    n_seg = int((t["dimension"] != "overall").sum())
    shown_note = ""
    if max_rows is not None and n_seg > max_rows:
        keep = t.sort_values("_rank").head(max_rows + 1).index
        t = t.loc[sorted(keep)]
        shown_note = f"; {max_rows} of {n_seg} levels shown (significant and largest first)"
    t = t.reset_index(drop=True)
    if ax is None:
        _, ax = plt.subplots(figsize=(8.5, 0.3 * len(t) + 1.9))
    y = np.arange(len(t))[::-1]
    for yi, r in zip(y, t.itertuples()):
        if r.significant:
            color = _SIG_DOWN if sign * r.diff < 0 else _SIG_UP
        else:
            color = _NOT_SIG
        lo, hi = r.ci_low, r.ci_high
        if np.isfinite(lo) and np.isfinite(hi):
            ax.plot([lo, hi], [yi, yi], color=color, lw=2)
        face = "white" if r.too_few else color
        ax.plot([r.diff], [yi], "o", color=color, mfc=face, ms=7)
    labels = ["overall" if d == "overall" else f"{d}: {lv}" for d, lv in
              zip(t["dimension"], t["level"])]
    labels = [f"{lab} (n {na:,} → {nb:,})" for lab, na, nb in zip(labels, t["n_a"], t["n_b"])]
    ax.set_yticks(y, labels, fontsize=9.5)
    ax.tick_params(axis="x", labelsize=9.5)
    ax.set_ylim(-0.7, len(t) - 0.3)
    ax.axvline(0, color="black", lw=0.8)
    name = _label(result.metric)
    corr = {"holm": "Holm", "fdr_bh": "Benjamini–Hochberg", "bonferroni": "Bonferroni",
            "none": "no"}.get(result.correction, result.correction)
    footing = (f"bars: unadjusted {result.conf:.0%} CIs; colour: significant after {corr} adjustment"
               if result.correction != "none" else f"bars: {result.conf:.0%} CIs; colour: p < {result.alpha:g}")
    if which == "table":
        ax.set_xlabel(f"{name} change {result.baseline} → {result.period}{_unit(result)}", fontsize=10)
        default = f"{name}: change by segment, {_weight_note(result)}"
    else:
        ax.set_xlabel(f"{name} segment minus rest of {result.period}{_unit(result)}", fontsize=10)
        default = f"{name} in {result.period}: each segment vs the rest, {_weight_note(result)}"
    ax.set_title(f"{title or default}\n{footing}{shown_note}", fontsize=10)
    from matplotlib.lines import Line2D
    handles = [Line2D([], [], color=c, marker="o", lw=2, label=lab) for c, lab in
               ((_SIG_DOWN, f"significant, worse ({better} is better)"),
                (_SIG_UP, "significant, better"),
                (_NOT_SIG, "not significant"))]
    handles.append(Line2D([], [], color=_NOT_SIG, marker="o", mfc="white", lw=0,
                          label=f"too few (< {result.min_n})"))
    ax.legend(handles=handles, fontsize=9, loc="upper left", bbox_to_anchor=(1.01, 1.0),
              frameon=False)
    ax.grid(axis="x", alpha=0.3)
    return ax


def plot_decomposition(decomposition, *, ax=None, title=None):
    """Bar chart of a mix/rate decomposition: each segment's mix, rate and interaction effect.

    Parameters
    ----------
    decomposition : Decomposition
        Output of :func:`cxkit.decompose_change`.
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Grouped horizontal bars per segment level (``table["mix"]``, ``["rate"]``,
    ``["interaction"]``) and a final "total" group with the sums, whose bars add up to the
    overall change (marked with a black tick): change = mix + rate + interaction.

    References
    ----------
    .. [1] Kitagawa, E. M. (1955). Components of a difference between two rates. *JASA* 50,
       1168–1194.

    Examples
    --------
    >>> import cxkit
    >>> responses, _ = cxkit.load_survey("demo")                                  # doctest: +SKIP
    >>> plot_decomposition(cxkit.decompose_change(responses, "nps", by="channel"))  # doctest: +SKIP
    """
    t = getattr(decomposition, "table", None)
    if t is None or "mix" not in t:
        raise TypeError("Pass the result of cxkit.decompose_change (a Decomposition).")
    effects = ["mix", "rate", "interaction"] if decomposition.method == "three-way" else \
        ["mix", "rate"]
    labels = [str(v) for v in t["level"]] + ["total"]
    values = {e: list(t[e]) + [getattr(decomposition, e)] for e in effects}
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.55 * len(labels) + 1.4))
    y = np.arange(len(labels))[::-1].astype(float)
    h = 0.8 / len(effects)
    for k, e in enumerate(effects):
        ax.barh(y + 0.4 - h * (k + 0.5), values[e], height=h, color=_EFFECT_COLORS[e], label=e)
    ax.plot([decomposition.change] * 2, [y[-1] - 0.45, y[-1] + 0.45], color="black", lw=2.5,
            label=f"overall change {decomposition.change:+.1f}".replace("-", "−"))
    ax.set_yticks(y, labels)
    ax.axvline(0, color="black", lw=0.8)
    name = _label(decomposition.metric)
    ax.set_xlabel(f"contribution to the {name} change{_unit(decomposition)}")
    ax.set_title(title or (f"{name} {decomposition.baseline} → {decomposition.period} by "
                           f"{decomposition.by}: customer mix vs within-segment change, "
                           f"{'weighted' if decomposition.weighted else 'unweighted'}"),
                 fontsize=10)
    ax.tick_params(labelsize=9.5)
    ax.legend(fontsize=9, loc="best")
    ax.grid(axis="x", alpha=0.3)
    return ax


def plot_change_trend(trend, *, ax=None, group=None, title=None, show_fit=True):
    """Trend chart: per-period scores with interval bands, the WLS line and significant changes.

    Parameters
    ----------
    trend : Trend
        Output of :func:`cxkit.trend`.
    ax : matplotlib.axes.Axes, optional
    group : dict, optional
        For a trend ``by`` a column, the group to draw, e.g. ``{"region": "South"}``; default:
        every group as its own line (bands only when there is one).
    title : str, optional
    show_fit : bool, default True
        Draw the precision-weighted linear trend (``points["fitted"]``).

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Points are ``points["value"]`` with the band ``ci_low`` … ``ci_high``; a change from the
    previous period flagged ``change_significant`` (adjusted within the series) is marked with
    a ring.  The legend gives the slope per period with its interval and p from
    ``trend.slopes``.

    References
    ----------
    .. [1] Draper, N. R., & Smith, H. (1998). *Applied Regression Analysis*, 3rd ed., ch. 9.

    Examples
    --------
    >>> import cxkit
    >>> responses, _ = cxkit.load_survey("demo")                     # doctest: +SKIP
    >>> plot_change_trend(cxkit.trend(responses, "nps", periods=12))  # doctest: +SKIP
    """
    pts = getattr(trend, "points", None)
    if pts is None:
        raise TypeError("Pass the result of cxkit.trend (a Trend).")
    slopes = trend.slopes
    group_cols = list(slopes.columns[: slopes.columns.get_loc("slope")])
    if group:
        mask = np.ones(len(pts), dtype=bool)
        smask = np.ones(len(slopes), dtype=bool)
        for k, v in group.items():
            mask &= (pts[k] == v).to_numpy()
            smask &= (slopes[k] == v).to_numpy()
        pts, slopes = pts[mask], slopes[smask]
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    keys = [()] if not group_cols else list(slopes[group_cols].itertuples(index=False, name=None))
    single = len(keys) == 1
    dec = _decimals(_kind(trend))
    for key in keys:
        sel = np.ones(len(pts), dtype=bool)
        for c, v in zip(group_cols, key):
            sel &= (pts[c] == v).to_numpy()
        p = pts[sel]
        s = slopes.iloc[[i for i, r in enumerate(slopes[group_cols].itertuples(index=False,
                                                                              name=None))
                         if r == key][0]] if group_cols else slopes.iloc[0]
        x = p["period"].dt.to_timestamp() if hasattr(p["period"], "dt") else \
            [q.to_timestamp() for q in p["period"]]
        name = ", ".join(map(str, key)) or _label(trend.metric)
        line, = ax.plot(x, p["value"], "o-", ms=4, label=name)
        if single:
            ax.fill_between(x, p["ci_low"], p["ci_high"], color=line.get_color(), alpha=0.2,
                            label=f"{trend.conf:.0%} CI")
        sig = p["change_significant"].to_numpy(dtype=bool)
        if sig.any():
            xs = np.asarray(x)[sig]
            ax.plot(xs, p["value"].to_numpy()[sig], "o", ms=13, mfc="none", mec=_SIG_DOWN,
                    mew=2, label="significant change vs previous" if key == keys[0] else None)
        if show_fit and np.isfinite(s["slope"]):
            txt = (f"trend {s['slope']:+.{dec + 1}f}/period "
                   f"(CI {s['ci_low']:.{dec + 1}f} to {s['ci_high']:.{dec + 1}f}, "
                   f"p {'< 0.001' if s['p_value'] < 0.001 else '= %.3f' % s['p_value']})")
            ax.plot(x, p["fitted"], "--", color=line.get_color(), lw=1.2,
                    label=txt.replace("-", "−"))
    name = _label(trend.metric)
    ax.set_ylabel(f"{name}{' (weighted)' if trend.weighted else ''}")
    ax.set_title(title or f"{name} per period with {trend.conf:.0%} intervals and WLS trend, "
                          f"{'weighted' if trend.weighted else 'unweighted'}", fontsize=10)
    ax.tick_params(labelsize=9.5)
    ax.legend(fontsize=9, loc="best")
    ax.grid(alpha=0.3)
    return ax
