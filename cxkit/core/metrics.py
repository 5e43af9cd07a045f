"""The result type and the shared primitives of every CX score.

Every CX score is the mean of a per-response value (the "recoded value"):

* NPS: +100 for promoters (9–10), 0 for passives (7–8), −100 for detractors (0–6);
* CSAT / top-box: 100 if the score is in the top box, else 0 (so the score is a percent);
* CES and other means: the raw score.

So one family of estimators (value, SE, interval, n, n_eff) serves every metric, and the
per-group **score histogram** (count per score, and Σw, Σw² per score when weighted) is a
sufficient statistic: the recoded value is constant within a score, so means and (linearised)
variances follow from small tables.  This module holds the result type :class:`Estimate`,
the metric specification :class:`MetricSpec` and :func:`histogram_moments`; interval methods
live in :mod:`cxkit.stats.estimators`.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np

from .checks import check_argument

__all__ = ["Estimate", "MetricSpec", "metric_spec", "Moments", "histogram_moments",
           "nps_values", "METRIC_KINDS", "resolve_metric", "score_names"]

#: Metrics where a lower score is better (effort): arrows and colours flip for them.  Exported
#: flat from :mod:`cxkit.report.formatting` (as in cxkit 0.1); defined here so that plots and
#: stats need not import the report wing.
LOWER_IS_BETTER = frozenset({"ces", "effort"})

#: The kinds of metric cxkit knows; ``csat`` is the top-box kind with top box (4, 5).
METRIC_KINDS = ("nps", "csat", "top_box", "ces", "mean")

_UNITS = {"nps": "points", "top_box": "%", "mean": ""}


@dataclass(frozen=True)
class Estimate:
    """One estimated CX score with its uncertainty.

    Attributes
    ----------
    metric : str
        Metric name (``"nps"``, ``"csat"``, ``"top_box"``, ``"ces"``, ``"mean"`` or a
        configured score name).
    value : float
        The point estimate: NPS in points (−100…100), CSAT/top-box in percent (0…100),
        means in raw units.  Always the raw (unadjusted) estimate, whatever the interval method.
    se : float
        Standard error of ``value`` (same units).
    ci_low, ci_high : float
        Confidence interval at level ``conf``.
    n : int
        Number of valid responses used.
    n_eff : float
        Kish effective sample size (Σw)²/Σw²; equals ``n`` when unweighted.
    conf : float
        Confidence level, e.g. 0.95.
    method : str
        Interval method, e.g. ``"adjusted-wald"``, ``"wilson"``, ``"t"``, ``"linearized"``.
    weighted : bool
        Whether survey weights were used.
    note : str
        Why a value is NaN (e.g. ``"no valid responses"``), or other caveats; empty otherwise.
    """

    metric: str
    value: float
    se: float
    ci_low: float
    ci_high: float
    n: int
    n_eff: float
    conf: float = 0.95
    method: str = ""
    weighted: bool = False
    note: str = ""

    def to_dict(self) -> dict:
        """The fields as a plain dict (one row of a tidy table)."""
        return dataclasses.asdict(self)

    def _repr_html_(self) -> str:
        """Designed HTML table in JupyterLab (the report's design); ``repr`` stays plain."""
        from ..report.tables import estimate_html  # lazy: report is a later wing

        return estimate_html(self)

    def __str__(self) -> str:
        if math.isnan(self.value):
            return f"{self.metric.upper()} n/a ({self.note or 'no estimate'})"
        return (f"{self.metric.upper()} {self.value:.1f} ({self.conf:.0%} CI {self.ci_low:.1f} to "
                f"{self.ci_high:.1f}, n={self.n:,}{', weighted' if self.weighted else ''}, {self.method})")


@dataclass(frozen=True)
class MetricSpec:
    """How a score column turns into a CX metric.

    Attributes
    ----------
    kind : {"nps", "top_box", "mean"}
        ``"csat"`` is a top-box metric and ``"ces"`` a mean; see :func:`metric_spec`.
    name : str
        Label used in results (``"nps"``, ``"csat"``, ``"ces"``, or a custom name).
    top_box : tuple of float
        Scores counted as "top box" (top-box kind only).
    scale : (float, float) or None
        The scale the scores must lie on (NPS 0–10, CSAT 1–5, CES 1–7 by default, the declared
        scale of a configured score); None when unknown — analyses then refuse to estimate
        (see :mod:`cxkit.core.validate`).
    integer : bool
        Scores must be whole numbers (default True, as in a survey config).
    """

    kind: str
    name: str
    top_box: tuple = ()
    scale: tuple | None = field(default=None, repr=False)
    integer: bool = field(default=True, repr=False)

    @property
    def units(self) -> str:
        """Reporting units: ``"points"`` (NPS), ``"%"`` (top box) or raw (means)."""
        return _UNITS[self.kind]

    def values(self, scores) -> np.ndarray:
        """Recode raw scores into per-response values whose mean is the metric.

        NaN scores stay NaN.

        >>> metric_spec("nps").values([0, 7, 9, 10]).tolist()
        [-100.0, 0.0, 100.0, 100.0]
        """
        s = np.asarray(scores, dtype=float)
        if self.kind == "nps":
            return nps_values(s)
        if self.kind == "top_box":
            out = np.where(np.isin(s, np.asarray(self.top_box, dtype=float)), 100.0, 0.0)
            out[np.isnan(s)] = np.nan
            return out
        return s.copy()


def nps_values(scores) -> np.ndarray:
    """Recode 0–10 scores as NPS values: +100 (9–10), 0 (7–8), −100 (0–6); NaN stays NaN.

    Source: Reichheld (2003), "The One Number You Need to Grow", Harvard Business Review.

    >>> nps_values([6, 7, 8, 9]).tolist()
    [-100.0, 0.0, 0.0, 100.0]
    """
    s = np.asarray(scores, dtype=float)
    out = np.where(s >= 9, 100.0, np.where(s >= 7, 0.0, -100.0))
    out[np.isnan(s)] = np.nan
    return out


def metric_spec(metric="nps", *, top_box=None, name=None, scale=None, integer=True) -> MetricSpec:
    """Parse a metric argument into a :class:`MetricSpec`.

    Parameters
    ----------
    metric : {"nps", "csat", "top_box", "ces", "mean"} or MetricSpec
        ``"csat"`` means top box (4, 5) of a 1–5 scale unless ``top_box`` is given;
        ``"ces"`` is the mean of the raw score.
    top_box : sequence of numbers, optional
        Scores counted as top box (required for ``"top_box"``).
    name : str, optional
        Label for results; defaults to ``metric``.
    scale : (low, high), optional
        The scale scores must lie on; default 0–10 for NPS, 1–5 for CSAT (when its top box
        lies in it), 1–7 for CES, unknown (None) for ``top_box`` and ``mean``.
    integer : bool, default True
        Scores must be whole numbers (NPS always).

    >>> metric_spec("csat")
    MetricSpec(kind='top_box', name='csat', top_box=(4.0, 5.0))
    """
    if isinstance(metric, MetricSpec):
        return metric if scale is None else dataclasses.replace(metric, scale=_scale_of(scale))
    check_argument("metric", METRIC_KINDS, metric)
    from .validate import default_scale

    name = name or metric
    scale = _scale_of(scale)
    integer = bool(integer)
    if metric == "nps":
        return MetricSpec("nps", name, scale=scale or (0.0, 10.0), integer=True)
    if metric in ("csat", "top_box"):
        if top_box is None:
            if metric == "top_box":
                raise ValueError("The `top_box` metric needs `top_box=` (the scores counted as top box).")
            top_box = (4, 5)
        top = tuple(float(x) for x in np.atleast_1d(top_box))
        if scale is None and metric == "csat":
            scale = default_scale("csat", top)
        return MetricSpec("top_box", name, top, scale=scale, integer=integer)
    if scale is None and metric == "ces":
        scale = default_scale("ces")
    return MetricSpec("mean", name, scale=scale, integer=integer)


def _scale_of(scale):
    """``(low, high)`` as floats (low < high), or None."""
    if scale is None:
        return None
    try:
        lo, hi = (float(x) for x in scale)
    except (TypeError, ValueError):
        raise ValueError(f"`scale` must be (low, high), e.g. (1, 5); got {scale!r}.") from None
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(f"`scale` must be (low, high) with low < high; got {scale!r}.")
    return (lo, hi)


@dataclass(frozen=True)
class Moments:
    """Mean and variance of recoded values computed from a (weighted) histogram.

    Attributes
    ----------
    mean : float
        Σn·x/N unweighted, Σw·x/Σw weighted.
    var : float
        Plug-in (divisor N) variance of the per-response value, Σn(x − x̄)²/N; for NPS this is
        pP + pD − (pP − pD)² (×100²).
    se : float
        Standard error of ``mean``.  Unweighted: sqrt(var/N) (the Wald form).  Weighted: the
        Taylor-linearised SE sqrt(N/(N−1) · Σw²(x − x̄)² / (Σw)²), the form of R's
        ``survey::svymean`` with weights only (Lumley 2010, *Complex Surveys*, ch. 2).
    n : int
        Number of responses N.
    n_eff : float
        Kish effective sample size (Σw)²/Σw² (= N unweighted).
    sum_w : float
        Σw (= N unweighted).
    weighted : bool
    """

    mean: float
    var: float
    se: float
    n: int
    n_eff: float
    sum_w: float
    weighted: bool


def histogram_moments(values, n, w=None, w2=None) -> Moments:
    """Moments of the recoded value from one group's score histogram.

    Parameters
    ----------
    values : array_like
        Recoded value of each histogram bin (e.g. ``MetricSpec.values(scores)``).
    n : array_like of int
        Number of responses in each bin.
    w, w2 : array_like, optional
        Σw and Σw² of the responses in each bin (both or neither).

    Returns
    -------
    Moments
        NaN mean/var/se when N = 0; NaN weighted SE when N = 1.

    Examples
    --------
    >>> m = histogram_moments([-100, 0, 100], [20, 30, 50])
    >>> round(m.mean, 3), round(m.se, 3)
    (30.0, 7.81)
    """
    x = np.asarray(values, dtype=float)
    n = np.asarray(n, dtype=float)
    N = float(n.sum())
    if (w is None) != (w2 is None):
        raise ValueError("Pass both `w` and `w2` (Σw and Σw² per bin), or neither.")
    if N <= 0:
        return Moments(math.nan, math.nan, math.nan, 0, 0.0, 0.0, w is not None)
    if w is None:
        mean = float((n * x).sum() / N)
        var = float((n * (x - mean) ** 2).sum() / N)
        return Moments(mean, var, math.sqrt(var / N), int(N), N, N, False)
    w = np.asarray(w, dtype=float)
    w2 = np.asarray(w2, dtype=float)
    sw = float(w.sum())
    mean = float((w * x).sum() / sw)
    var = float((w * (x - mean) ** 2).sum() / sw)
    n_eff = sw ** 2 / float(w2.sum())
    se = math.sqrt(N / (N - 1) * float((w2 * (x - mean) ** 2).sum()) / sw ** 2) if N > 1 else math.nan
    return Moments(mean, var, se, int(N), n_eff, sw, True)


def resolve_metric(responses, metric):
    """Find the score column and :class:`MetricSpec` for ``metric`` in a responses table.

    Parameters
    ----------
    responses : pandas.DataFrame
        A canonical responses table (``responses.attrs["cxkit"]["metrics"]`` is used when
        present, as :func:`cxkit.load_survey` sets it).
    metric : str, MetricSpec or (column, metric kind) tuple
        A configured score name (``"nps"``, ``"Acme"``), a metric kind whose column has the same
        name (``"nps"``, ``"csat"``, ``"ces"``), a MetricSpec whose ``name`` is the column, or an
        explicit ``(column, kind)`` pair such as ``("overall", "csat")``.

    Returns
    -------
    (str, MetricSpec)
        The column name and its metric specification.

    Examples
    --------
    >>> import pandas as pd
    >>> resolve_metric(pd.DataFrame({"nps": [9, 10]}), "nps")
    ('nps', MetricSpec(kind='nps', name='nps', top_box=()))
    """
    if isinstance(metric, tuple) and len(metric) == 2:
        column, kind = metric
        spec = metric_spec(kind, name=column) if not isinstance(kind, MetricSpec) else kind
    elif isinstance(metric, MetricSpec):
        column, spec = metric.name, metric
    else:
        configured = (getattr(responses, "attrs", {}) or {}).get("cxkit", {}).get("metrics", {})
        if metric in configured:
            column, spec = metric, configured[metric]
        elif metric in METRIC_KINDS:
            column, spec = metric, metric_spec(metric)
        else:
            known = sorted(set(configured) | {c for c in METRIC_KINDS if c in getattr(responses, "columns", [])})
            hint = ""
            if isinstance(metric, str) and metric in getattr(responses, "columns", []):
                hint = (f" Column {metric!r} has no metric: name it, e.g. ({metric!r}, 'nps'), "
                        f"or load the table with cxkit.from_frame(df, scores={{'nps': "
                        f"{metric!r}}}).")
            raise ValueError(
                f"The value for `metric` must be a score name of this survey {known} or one of "
                f"{list(METRIC_KINDS)}, but {metric!r} was passed.{hint}"
            )
    if column not in responses.columns:
        raise ValueError(
            f"The responses table has no score column {column!r} (metric {spec.name!r}); "
            f"columns are {list(responses.columns)}."
        )
    return column, spec


def score_names(responses) -> list:
    """The score columns of a canonical responses table, in config order.

    From ``responses.attrs["cxkit"]["metrics"]`` (set by :func:`cxkit.load_survey`); for a
    table without it, the columns named like a metric kind (``nps``, ``csat``, ``ces`` …).

    >>> import pandas as pd
    >>> score_names(pd.DataFrame({"id": [1], "nps": [9], "ces": [2]}))
    ['nps', 'ces']
    """
    configured = (getattr(responses, "attrs", {}) or {}).get("cxkit", {}).get("metrics", {})
    if configured:
        return [name for name in configured if name in responses.columns]
    return [c for c in responses.columns if c in METRIC_KINDS]
