"""Sample-size planning: how many responses does a CX score need?

Answers the questions CX teams ask before they report a segment — "how precise is this
segment's NPS at its current volume?", "how many responses do we need to detect a 5-point
change?", "how many invitations at our response rate?", "should we report it monthly or
quarterly?" — with the **same variance formulas the change tests use** (:func:`cxkit.compare`),
so that a plan and the later test agree.

Every CX score is the mean of a per-response value (NPS: +1/0/−1 in fraction units; top box:
1/0; means: the score), so every plan rests on the per-response variance V of that value:

* NPS: V = pP + pD − (pP − pD)²  (Rocks 2016), at most 1 ("worst case" pP = pD = ½);
* top box / CSAT: V = p(1 − p);
* means (CES): V = sd².

Public functions: :func:`margin_of_error`, :func:`sample_size`, :func:`power`,
:func:`minimum_detectable_difference`, :func:`invitations_needed`, :func:`reporting_cadence`,
:func:`plan_segments`, :func:`describe_plan`, :func:`nps_alternative`, :func:`planning_baseline`.

Conventions (see CONTRIBUTING.md): shares passed *in* are fractions (0–1); margins and
differences are in the metric's reported units (NPS points, percentage points, raw units);
every change test is **two-sided** at level ``alpha``.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, stats

from ..core.jsonsafe import json_safe as _jsonable
from ..core.checks import check_argument, check_conf, check_number, check_numbers
from ..core.metrics import Estimate, histogram_moments, metric_spec, resolve_metric
from .estimators import nps_variance

__all__ = ["Baseline", "SampleSizePlan", "CadencePlan", "planning_baseline", "nps_alternative",
           "margin_of_error", "sample_size", "power",
           "minimum_detectable_difference", "invitations_needed", "reporting_cadence",
           "plan_segments", "describe_plan", "row_baseline"]

_SCALE = {"nps": 100.0, "top_box": 100.0, "mean": 1.0}
_UNIT_WORD = {"nps": "points", "top_box": "percentage points", "mean": "units"}
_DAYS_PER_MONTH = 365.25 / 12


# ---------------------------------------------------------------------------------------------
# baselines
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Baseline:
    """The assumed distribution of one group, in the form planning needs.

    Attributes
    ----------
    kind : {"nps", "top_box", "mean"}
    promoters, detractors : float
        NPS shares (fractions); NaN for other kinds.
    share : float
        Top-box share (fraction); NaN for other kinds.
    sd : float
        Standard deviation of the score (means); NaN for other kinds.
    source : str
        Where the baseline came from ("shares", "worst-case", "tally", "estimate", ...).
    """

    kind: str
    promoters: float = math.nan
    detractors: float = math.nan
    share: float = math.nan
    sd: float = math.nan
    source: str = ""

    @property
    def value(self) -> float:
        """The metric in reported units (NPS points, percent); NaN for means (not needed)."""
        if self.kind == "nps":
            return 100.0 * (self.promoters - self.detractors)
        if self.kind == "top_box":
            return 100.0 * self.share
        return math.nan

    @property
    def variance(self) -> float:
        """Per-response variance in fraction units (NPS, top box) or raw units² (means)."""
        if self.kind == "nps":
            return nps_variance(self.promoters, self.detractors)
        if self.kind == "top_box":
            return self.share * (1.0 - self.share)
        return self.sd ** 2

    def describe(self) -> str:
        if self.kind == "nps":
            tail = " (worst case, V = 1)" if self.source == "worst-case" else ""
            return f"promoters {self.promoters:.1%}, detractors {self.detractors:.1%}{tail}"
        if self.kind == "top_box":
            return f"top-box share {self.share:.1%}"
        return f"sd {self.sd:.3g}"



def _check_shares(pP, pD, what="baseline"):
    for name, v in (("promoters", pP), ("detractors", pD)):
        check_number(f"{what} {name} share", v, low=0, high=1)
    if pP + pD > 1 + 1e-9:
        raise ValueError(f"The {what} promoter and detractor shares add up to {pP + pD:.3f} > 1; "
                         "pass fractions (0–1), e.g. (0.5, 0.2).")


def _lookup(obj, *names):
    for name in names:
        if isinstance(obj, dict) and name in obj:
            return obj[name]
        if isinstance(obj, pd.Series) and name in obj.index:
            return obj[name]
    return None


def _shares_from_mapping(obj):
    """Promoter/detractor shares from a dict/Series (fractions or percent, e.g. a summarize row)."""
    pP = _lookup(obj, "promoters", "pP", "promoter_share")
    pD = _lookup(obj, "detractors", "pD", "detractor_share")
    if pP is None or pD is None:
        return None
    pP, pD = float(pP), float(pD)
    pas = _lookup(obj, "passives", "passive_share")
    total = pP + pD + (float(pas) if pas is not None else 0.0)
    if pP > 1 or pD > 1 or (pas is not None and total > 1.5):   # percent (summarize reports %)
        pP, pD = pP / 100.0, pD / 100.0
    return pP, pD


def planning_baseline(metric, baseline) -> Baseline:
    """Turn a ``baseline`` argument into a :class:`Baseline` for ``metric``.

    Parameters
    ----------
    metric : {"nps", "csat", "top_box", "ces", "mean"} or MetricSpec
    baseline : see below
        * NPS: ``(promoter_share, detractor_share)`` as fractions; ``"worst-case"`` (pP = pD
          = ½, V = 1); a dict/Series with ``promoters``/``detractors`` (fractions, or percent as
          in a :func:`cxkit.summarize` row); a tally DataFrame of one group (``score``, ``n``
          and optionally ``w``) of 0–10 scores; or an NPS :class:`~cxkit.Estimate`.
        * top box / CSAT: the top-box share (0–1); ``"worst-case"`` (p = ½); a dict/Series
          with ``value`` in percent (a summarize row) or ``share``; a tally DataFrame (needs
          the spec's ``top_box`` scores); an Estimate.
        * means: the standard deviation of the score; a dict/Series with ``sd``, or with
          ``value``, ``se`` and ``n_eff`` (a summarize row); a tally DataFrame; an Estimate.

    Notes
    -----
    An NPS Estimate carries the value μ = pP − pD and its SE; with V = se²·n_eff the shares
    follow from pP + pD = V + μ²: pP = (V + μ² + μ)/2, pD = (V + μ² − μ)/2 (exact for the
    Wald SE; close for other interval methods).  For means, sd = se·sqrt(n_eff).  From a
    tally, shares are (weighted, when ``w`` is present) fractions of responses and the sd is
    the sample sd sqrt(N/(N−1)·var).

    Returns
    -------
    Baseline

    References
    ----------
    .. [1] Rocks, B. (2016). Interval estimation for the "net promoter score". *The American
       Statistician*, 70(4), 365–372 (V = pP + pD − (pP − pD)²).

    Examples
    --------
    >>> planning_baseline("nps", (0.5, 0.2)).variance
    0.61
    >>> planning_baseline("nps", "worst-case").variance
    1.0
    """
    spec = metric_spec(metric)
    kind = spec.kind
    if isinstance(baseline, Baseline):
        if baseline.kind != kind:
            raise ValueError(f"A {baseline.kind} baseline cannot plan a {kind} metric.")
        return baseline
    if isinstance(baseline, str):
        check_argument("baseline", ["worst-case"], baseline)
        if kind == "nps":
            return Baseline("nps", promoters=0.5, detractors=0.5, source="worst-case")
        if kind == "top_box":
            return Baseline("top_box", share=0.5, source="worst-case")
        raise ValueError("A mean has no worst case; pass the score's standard deviation as `baseline`.")
    if isinstance(baseline, pd.DataFrame):
        if not {"score", "n"} <= set(baseline.columns):
            raise ValueError("A baseline table must be a one-group tally with `score` and `n` columns "
                             "(see cxkit.tally).")
        if kind == "top_box" and not spec.top_box:
            raise ValueError("A top-box baseline from a tally needs the MetricSpec's top_box scores.")
        w = baseline["w"].to_numpy(float) if "w" in baseline.columns else baseline["n"].to_numpy(float)
        if w.sum() <= 0:
            raise ValueError("The baseline tally has no responses.")
        vals = spec.values(baseline["score"].to_numpy(float))
        if kind == "nps":
            return Baseline("nps", promoters=float(w[vals > 0].sum() / w.sum()),
                            detractors=float(w[vals < 0].sum() / w.sum()), source="tally")
        if kind == "top_box":
            return Baseline("top_box", share=float(w[vals > 0].sum() / w.sum()), source="tally")
        m = histogram_moments(vals, baseline["n"].to_numpy(float),
                              *( (baseline["w"], baseline["w2"]) if "w" in baseline.columns else ()))
        if m.n < 2:
            raise ValueError("A mean baseline from a tally needs at least 2 responses.")
        return Baseline("mean", sd=math.sqrt(m.var * m.n / (m.n - 1)), source="tally")
    if isinstance(baseline, Estimate):
        if not (np.isfinite(baseline.se) and baseline.n_eff > 0):
            raise ValueError(f"The baseline estimate has no usable SE ({baseline}).")
        if kind == "mean":
            return Baseline("mean", sd=baseline.se * math.sqrt(baseline.n_eff), source="estimate")
        if kind == "top_box":
            return Baseline("top_box", share=baseline.value / 100.0, source="estimate")
        mu = baseline.value / 100.0
        V = (baseline.se / 100.0) ** 2 * baseline.n_eff
        pP, pD = (V + mu * mu + mu) / 2, (V + mu * mu - mu) / 2
        pP, pD = min(max(pP, 0.0), 1.0), min(max(pD, 0.0), 1.0)
        _check_shares(pP, pD)
        return Baseline("nps", promoters=pP, detractors=pD, source="estimate")
    if isinstance(baseline, (dict, pd.Series)):
        shares = _shares_from_mapping(baseline) if kind == "nps" else None
        sd = _lookup(baseline, "sd")
        se, n_eff = _lookup(baseline, "se"), _lookup(baseline, "n_eff", "n")
        if (shares is None and sd is None and kind != "top_box" and se is not None
                and n_eff is not None and _lookup(baseline, "value") is not None):
            # a summarize row: rebuild the estimate (sd = se·sqrt(n_eff); NPS shares from V, μ)
            est = Estimate(str(_lookup(baseline, "metric") or kind), float(_lookup(baseline, "value")),
                           float(se), math.nan, math.nan, int(float(_lookup(baseline, "n") or n_eff)),
                           float(n_eff))
            return planning_baseline(spec, est)
        if kind == "nps":
            if shares is None:
                raise ValueError("An NPS baseline dict/Series needs `promoters` and `detractors` shares.")
            _check_shares(*shares)
            return Baseline("nps", promoters=shares[0], detractors=shares[1], source="shares")
        if kind == "top_box":
            v = _lookup(baseline, "share", "value")
            if v is None:
                raise ValueError("A top-box baseline dict/Series needs `value` (percent) or `share`.")
            v = float(v)
            share = v if _lookup(baseline, "share") is not None else v / 100.0
            return planning_baseline(spec, share)
        if sd is None:
            raise ValueError("A mean baseline dict/Series needs `sd`, or `value`, `se` and `n_eff` "
                             "(a cxkit.summarize row).")
        return planning_baseline(spec, float(sd))
    if kind == "nps":
        if not (isinstance(baseline, (tuple, list, np.ndarray)) and len(baseline) == 2):
            raise ValueError("An NPS baseline is (promoter_share, detractor_share), e.g. (0.5, 0.2), "
                             f"'worst-case', a tally, a summarize row or an Estimate; got {baseline!r}.")
        pP, pD = float(baseline[0]), float(baseline[1])
        _check_shares(pP, pD)
        return Baseline("nps", promoters=pP, detractors=pD, source="shares")
    if kind == "top_box":
        check_number("baseline (top-box share, 0–1)", baseline, low=0, high=1)
        return Baseline("top_box", share=float(baseline), source="share")
    check_number("baseline (standard deviation)", baseline, low=0, low_open=True)
    return Baseline("mean", sd=float(baseline), source="sd")


def nps_alternative(baseline, difference):
    """The NPS distribution after a change of ``difference`` points (default shift rule).

    Half of the change moves into promoters and half out of detractors (passives unchanged).
    When the detractors (or, for a fall, the promoters) run out, the rest comes from passives.

    Parameters
    ----------
    baseline : tuple or Baseline
        (promoter_share, detractor_share).
    difference : float
        Change in NPS points (may be negative).

    Returns
    -------
    (float, float)
        The promoter and detractor shares after the change.

    Notes
    -----
    With s = difference/100: pP' = pP + s/2, pD' = pD − s/2; if pD' < 0 then pP' = pP + s − pD,
    pD' = 0 (symmetrically for a fall), so pP' − pD' = pP − pD + s always.  The variance after
    the change, V_b = pP' + pD' − (pP' − pD')², enters the two-sample formula.  This is an
    assumption (the split of a change between promoters and detractors is not known in
    advance); pass ``alternative=(pP, pD)`` to plan for another one.

    References
    ----------
    .. [1] Rocks, B. (2016). Interval estimation for the "net promoter score". *The American
       Statistician*, 70(4), 365–372.

    Examples
    --------
    >>> tuple(round(x, 4) for x in nps_alternative((0.5, 0.2), 5))
    (0.525, 0.175)
    """
    b = planning_baseline("nps", baseline)
    s = float(difference) / 100.0
    pP, pD = b.promoters + s / 2, b.detractors - s / 2
    if pD < 0:
        pP, pD = pP - pD, 0.0
    if pP < 0:
        pD, pP = pD - pP, 0.0
    if pP + pD > 1 + 1e-12 or pP > 1 + 1e-12 or pD > 1 + 1e-12:
        raise ValueError(f"A change of {difference:+g} points from NPS {b.value:.1f} is impossible "
                         "(the NPS must stay within −100…100).")
    return (min(pP, 1.0), min(pD, 1.0))


def _alt_baseline(base: Baseline, difference, alternative) -> Baseline:
    """The distribution under the alternative: explicit ``alternative`` or the default shift."""
    if base.kind == "nps":
        if alternative is not None:
            return planning_baseline("nps", alternative)
        pP, pD = nps_alternative(base, difference)
        return Baseline("nps", promoters=pP, detractors=pD, source="shifted")
    if base.kind == "top_box":
        if alternative is not None:
            return planning_baseline(metric_spec("csat"), alternative)
        p = base.share + difference / 100.0
        if not 0 <= p <= 1:
            raise ValueError(f"A change of {difference:+g} percentage points from {base.share:.1%} "
                             "leaves 0–100%.")
        return Baseline("top_box", share=p, source="shifted")
    if alternative is not None:   # sd under the alternative
        return planning_baseline(metric_spec("mean"), alternative)
    return base


def _difference_from(base: Baseline, alt: Baseline, difference):
    if difference is not None:
        return float(difference)
    if base.kind == "mean":
        raise ValueError("For a mean, pass `difference` (raw units).")
    return alt.value - base.value


# ---------------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SampleSizePlan:
    """Responses needed for a margin of error or to detect a change.

    Attributes
    ----------
    metric : str
        ``"nps"``, ``"top_box"`` (CSAT) or ``"mean"`` (CES), or a score name.
    design : {"margin", "two-sample", "paired"}
    n : int
        Responses needed, rounded up: in total for ``"margin"``, per group (group *a*) for
        ``"two-sample"``, pairs for ``"paired"``.
    n_exact : float
        The unrounded value of ``n``.
    n_b : int
        Responses needed in group *b* (= ceil(ratio · n_exact)); equals ``n`` for margin and
        paired designs.
    n_total : int
        ``n + n_b`` for two-sample designs, else ``n``.
    margin : float
        Target half-width (reported units), NaN for change designs.
    difference : float
        Change to detect (reported units), NaN for margin designs.
    baseline, alternative : str
        Readable descriptions of the assumed distributions.
    variance_a, variance_b : float
        Per-response variances used (fraction units for NPS/top box, raw units² for means).
    conf, alpha, power : float
        Confidence level (margin designs), test level and power (change designs; tests are
        two-sided).
    deff : float
        Design effect applied (variance × deff).
    population : float or None
        Population size of the finite-population correction (margin designs).
    ratio : float
        n_b / n_a.
    correlation : float or None
        Within-respondent correlation of the recoded values (paired designs).
    formula : str
        The formula used.
    """

    metric: str
    design: str
    n: int
    n_exact: float
    n_b: int
    n_total: int
    margin: float
    difference: float
    baseline: str
    alternative: str
    variance_a: float
    variance_b: float
    conf: float
    alpha: float
    power: float
    deff: float
    population: float | None
    ratio: float
    correlation: float | None
    formula: str
    #: Metric kind the plan was made for ("nps", "top_box", "mean"): sets the units in text.
    kind: str = ""

    def to_dict(self) -> dict:
        """The fields as a JSON-safe dict (NaN → None)."""
        return {k: _jsonable(v) for k, v in dataclasses.asdict(self).items()}

    def _repr_html_(self) -> str:
        """Designed HTML table in JupyterLab (the report's design); ``repr`` stays plain."""
        from ..report.tables import plan_html  # lazy: report is a later wing

        return plan_html(self)

    def __str__(self) -> str:
        units = {"nps": " points", "top_box": " percentage points"}.get(self.kind or _kind_of(self.metric), "")
        extra = []
        if self.deff != 1:
            extra.append(f"design effect {self.deff:.2f}")
        if self.population:
            extra.append(f"population {self.population:,.0f}")
        tail = f"; {', '.join(extra)}" if extra else ""
        if self.design == "margin":
            return (f"{self.metric.upper()}: {self.n:,} responses (exact {self.n_exact:,.1f}) for a margin "
                    f"of ±{self.margin:g}{units} at {self.conf:.0%} confidence; baseline "
                    f"{self.baseline}{tail}")
        if self.design == "paired":
            return (f"{self.metric.upper()}: {self.n:,} respondents answering twice (exact "
                    f"{self.n_exact:,.1f}) to detect a change of {self.difference:+g}{units} with "
                    f"{self.power:.0%} power (two-sided α = {self.alpha:g}); within-respondent "
                    f"correlation {self.correlation:.2f}"
                    f"{' (from the joint table)' if 'joint' in self.formula else ''}; baseline "
                    f"{self.baseline}{' → ' + self.alternative if self.alternative != self.baseline else ''}"
                    f"{tail}")
        group = (f"{self.n:,} per group" if self.ratio == 1 else
                 f"{self.n:,} in group a and {self.n_b:,} in group b")
        return (f"{self.metric.upper()}: {group} (exact {self.n_exact:,.1f}) to detect a change of "
                f"{self.difference:+g}{units} with {self.power:.0%} power (two-sided α = "
                f"{self.alpha:g}); baseline {self.baseline} → {self.alternative}{tail}")


def _kind_of(metric):
    try:
        return metric_spec(metric).kind
    except ValueError:
        return "mean"


# ---------------------------------------------------------------------------------------------
# margins
# ---------------------------------------------------------------------------------------------

def _scalar(x) -> float:
    """statsmodels' solve_power returns a float or a 1-element array depending on its solver."""
    return float(np.asarray(x, dtype=float).ravel()[0])


def _z(conf):
    return stats.norm.ppf(1 - (1 - conf) / 2)


def _fpc(n, population):
    if population is None:
        return 1.0
    N = float(population)
    n = np.asarray(n, dtype=float)
    if np.any(n > N):
        raise ValueError(f"The sample size exceeds the population ({N:,.0f}).")
    return np.sqrt((N - n) / (N - 1)) if N > 1 else np.zeros_like(n)


def margin_of_error(metric, n, *, baseline, conf=0.95, deff=1.0, population=None):
    """Margin of error (± half-width of the normal confidence interval) at sample size ``n``.

    Parameters
    ----------
    metric : {"nps", "csat", "top_box", "ces", "mean"} or MetricSpec
    n : int or array_like
        Number of responses (vectorised: pass an array for a curve).
    baseline
        The assumed distribution (see :func:`planning_baseline`): NPS ``(pP, pD)`` or
        ``"worst-case"``, top-box share (0–1), or the sd of a mean.
    conf : float, default 0.95
    deff : float, default 1.0
        Design effect of weighting (Kish 1965: n / n_eff); the variance is multiplied by it.
    population : float, optional
        Population size N for the finite-population correction sqrt((N − n)/(N − 1)).

    Returns
    -------
    float or numpy.ndarray
        The margin in reported units: NPS points, percentage points, or raw units.

    Notes
    -----
    m = z₁₋α/₂ · sqrt(V · deff / n) · sqrt((N − n)/(N − 1)) × scale, with V the per-response
    variance (NPS: pP + pD − (pP − pD)²; top box: p(1 − p); means: sd²) and scale 100 for NPS
    and percentages.  This is the half-width of the Wald interval (for means the z interval;
    the t interval is wider by t₍n−1₎/z, under 1% above n = 200).

    References
    ----------
    .. [1] Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed. Wiley, §4.4 (sample size
       for proportions, finite-population correction).
    .. [2] Rocks, B. (2016). Interval estimation for the "net promoter score". *The American
       Statistician*, 70(4), 365–372.
    .. [3] Kish, L. (1965). *Survey Sampling*. Wiley, §8.2 (design effect).

    Examples
    --------
    >>> round(margin_of_error("nps", 400, baseline=(0.5, 0.2)), 2)
    7.65
    >>> round(margin_of_error("csat", 1000, baseline=0.8), 2)
    2.48
    """
    spec = metric_spec(metric)
    base = planning_baseline(spec, baseline)
    check_conf(conf)
    check_number("deff", deff, low=0, low_open=True)
    if population is not None:
        check_number("population", population, low=1)
    n_arr = check_numbers("n", n, low=0, low_open=True)
    m = _z(conf) * np.sqrt(base.variance * deff / n_arr) * _fpc(n_arr, population) * _SCALE[base.kind]
    return float(m) if np.ndim(m) == 0 else m


# ---------------------------------------------------------------------------------------------
# variances for change designs
# ---------------------------------------------------------------------------------------------

_NPS_LEVELS = np.array([-1.0, 0.0, 1.0])


def _paired_variance(base: Baseline, alt: Baseline, correlation, joint):
    """Variance of the per-respondent difference X_b − X_a (fraction / raw units²)."""
    if joint is not None:
        J = np.asarray(joint, dtype=float)
        levels = _NPS_LEVELS if base.kind == "nps" else np.array([0.0, 1.0]) if base.kind == "top_box" else None
        if levels is None:
            raise ValueError("`joint` is for NPS (3×3) and top-box (2×2) designs; for means pass `correlation`.")
        k = len(levels)
        if J.shape != (k, k) or np.any(J < 0) or abs(J.sum() - 1) > 1e-6:
            raise ValueError(f"`joint` must be a {k}×{k} table of probabilities summing to 1 (rows: "
                             "period a, columns: period b; order detractor, passive, promoter for NPS, "
                             "not-top, top for top box).")
        D = levels[None, :] - levels[:, None]
        mean = (J * D).sum()
        return float((J * D * D).sum() - mean ** 2), float(mean)
    if correlation is None:
        raise ValueError("A paired design needs `correlation=` (of the recoded values of the same "
                         "respondents in the two periods) or, for NPS/top box, a `joint=` table.")
    check_number("correlation", correlation, low=-1, high=1)
    va, vb = base.variance, alt.variance
    return float(va + vb - 2 * correlation * math.sqrt(va * vb)), None


def _joint_margins(base: Baseline, joint):
    """Baseline (rows) and alternative (columns) distributions of a joint table."""
    J = np.asarray(joint, dtype=float)
    if base.kind == "nps" and J.shape == (3, 3):
        r, c = J.sum(axis=1), J.sum(axis=0)
        return (Baseline("nps", promoters=r[2], detractors=r[0], source="joint"),
                Baseline("nps", promoters=c[2], detractors=c[0], source="joint"))
    if base.kind == "top_box" and J.shape == (2, 2):
        return (Baseline("top_box", share=J.sum(axis=1)[1], source="joint"),
                Baseline("top_box", share=J.sum(axis=0)[1], source="joint"))
    raise ValueError("`joint` must be 3×3 (NPS) or 2×2 (top box).")


def _setup(metric, baseline, difference, alternative, paired, correlation, joint):
    spec = metric_spec(metric)
    if joint is not None and paired:
        if baseline is None:
            base, alt = _joint_margins(metric_spec("nps") if spec.kind == "nps" else spec, joint)
        else:
            base = planning_baseline(spec, baseline)
            base, alt = _joint_margins(base, joint)
        d = _difference_from(base, alt, None) if difference is None else float(difference)
        return spec, base, alt, d
    base = planning_baseline(spec, baseline)
    if difference is None and alternative is None:
        raise ValueError("Pass `difference` (in the metric's units) or `alternative` (the distribution "
                         "after the change).")
    alt = _alt_baseline(base, difference if difference is not None else 0.0, alternative)
    d = _difference_from(base, alt, difference)
    if (difference is not None and alternative is not None and base.kind != "mean"
            and abs((alt.value - base.value) - d) > 1e-6):
        raise ValueError(f"`difference` ({d:+g}) and `alternative` ({alt.value - base.value:+g} from the "
                         "baseline) disagree; pass one of them.")
    if d == 0:
        raise ValueError("The difference to detect must not be 0.")
    return spec, base, alt, d


def _z_power(d_frac, se, alpha):
    """Two-sided power of a z test: Φ(|d|/se − z) + Φ(−|d|/se − z)."""
    z = stats.norm.ppf(1 - alpha / 2)
    t = np.abs(d_frac) / se
    return stats.norm.cdf(t - z) + stats.norm.cdf(-t - z)


# ---------------------------------------------------------------------------------------------
# sample size
# ---------------------------------------------------------------------------------------------

def sample_size(metric, *, margin=None, difference=None, baseline, alternative=None, alpha=0.05,
                power=0.8, paired=False, deff=1.0, population=None, ratio=1.0, conf=None,
                correlation=None, joint=None) -> SampleSizePlan:
    """Responses needed to estimate a CX score within a margin, or to detect a change.

    Give exactly one of ``margin`` (precision of one estimate) or ``difference`` /
    ``alternative`` (a change between two periods or groups).

    Parameters
    ----------
    metric : {"nps", "csat", "top_box", "ces", "mean"} or MetricSpec
    margin : float, optional
        Target ± half-width in reported units (NPS points, percentage points, raw units).
    difference : float, optional
        Change to detect, in reported units (b − a).
    baseline
        Distribution of group/period *a* (see :func:`planning_baseline`): NPS ``(pP, pD)``,
        ``"worst-case"``, a tally, a summarize row or an Estimate; top-box share (0–1); or the
        sd of a mean.
    alternative : optional
        **The distribution after the change** (not the test sidedness — tests are always
        two-sided): NPS ``(pP, pD)``; top-box share; for means the sd of group *b*.  Default
        for NPS: half the difference moves into promoters and half out of detractors
        (:func:`nps_alternative`); for top box p + difference; for means the same sd.
    alpha : float, default 0.05
        Two-sided test level; for margin designs the confidence is ``1 − alpha`` unless
        ``conf`` is given.
    power : float, default 0.8
    paired : bool, default False
        Same respondents measured twice (panel): plan on the per-respondent difference; needs
        ``correlation`` or ``joint``.
    deff : float, default 1.0
        Design effect (Kish): the variance, hence n, is multiplied by it.
    population : float, optional
        Population size for the finite-population correction (margin designs only; the change
        tests do not use one).
    ratio : float, default 1.0
        n_b / n_a for two-sample designs (as in statsmodels).
    conf : float, optional
        Confidence level of margin designs (default ``1 − alpha``).
    correlation : float, optional
        Paired designs: correlation of the recoded values of the same respondent in the two
        periods.
    joint : array_like, optional
        Paired designs: joint distribution of (period a, period b) categories — 3×3 for NPS
        (detractor, passive, promoter; rows a, columns b), 2×2 for top box.  Its margins replace
        ``baseline``/``alternative``.

    Returns
    -------
    SampleSizePlan
        ``.n`` rounded up (per group for two-sample designs), ``.n_exact`` unrounded, plus the
        inputs and assumptions.

    Notes
    -----
    With V the per-response variance (NPS: pP + pD − (pP − pD)², Rocks 2016; top box: p(1 − p);
    means: sd²) in fraction units and d, m in fraction units:

    * margin: n₀ = z₁₋α/₂² · V · deff / m²; with a population N (Cochran 1977, eq. 4.2),
      n = n₀ / (1 + (n₀ − 1)/N).  Top box uses statsmodels ``samplesize_confint_proportion``.
    * two independent samples, NPS: n_a = (z₁₋α/₂ + z₁₋β)² (V_a + V_b/ratio) · deff / d²,
      n_b = ratio · n_a (Chow, Shao & Wang 2008, §4.2), V_a and V_b under the baseline and the
      alternative — the unpooled variance of the change test
      SE² = V_a/n_a + V_b/n_b (:func:`cxkit.compare`, ``method="wald"``).
    * top box: statsmodels ``NormalIndPower`` with Cohen's h = 2 asin √p_b − 2 asin √p_a
      (Cohen 1988, ch. 6; R ``pwr.2p2n.test``), × deff.
    * means: statsmodels ``TTestIndPower`` with d = difference / sd (Cohen 1988, ch. 2;
      R ``pwr.t.test``), × deff.
    * paired: n = (z₁₋α/₂ + z₁₋β)² Var(X_b − X_a) · deff / d² with
      Var(X_b − X_a) = V_a + V_b − 2ρ √(V_a V_b) or computed from the joint table (Chow,
      Shao & Wang 2008, §3.1); paired means use statsmodels ``TTestPower`` on d / sd_diff.

    ``.n`` is the solved n rounded up.  The closed forms ignore the far tail of the two-sided
    test, so the achieved power at ``.n`` is at least ``power``.

    References
    ----------
    .. [1] Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed.
       Erlbaum.
    .. [2] Chow, S.-C., Shao, J. & Wang, H. (2008). *Sample Size Calculations in Clinical
       Research*, 2nd ed. Chapman & Hall/CRC.
    .. [3] Rocks, B. (2016). Interval estimation for the "net promoter score". *The American
       Statistician*, 70(4), 365–372.
    .. [4] Kish, L. (1965). *Survey Sampling*. Wiley.
    .. [5] Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed. Wiley.

    Examples
    --------
    >>> sample_size("nps", margin=5, baseline="worst-case").n
    1537
    >>> sample_size("nps", difference=5, baseline=(0.5, 0.2)).n
    3729
    >>> sample_size("ces", difference=0.5, baseline=1.0).n
    64
    """
    from statsmodels.stats.power import NormalIndPower, TTestIndPower, TTestPower
    from statsmodels.stats.proportion import proportion_effectsize, samplesize_confint_proportion

    spec = metric_spec(metric)
    check_number("alpha", alpha, low=0, high=1, low_open=True, high_open=True)
    check_number("power", power, low=0, high=1, low_open=True, high_open=True)
    check_number("deff", deff, low=0, low_open=True)
    check_number("ratio", ratio, low=0, low_open=True)
    is_margin = margin is not None
    if is_margin == (difference is not None or alternative is not None or joint is not None):
        raise ValueError("Pass either `margin` (precision of one estimate) or `difference`/"
                         "`alternative` (a change to detect), not both and not neither.")
    scale = _SCALE[spec.kind]
    name = spec.name
    common = dict(metric=name, alpha=alpha, power=math.nan, deff=float(deff), population=None,
                  ratio=1.0, correlation=None, kind=spec.kind)
    if is_margin:
        check_number("margin", margin, low=0, low_open=True)
        conf = 1 - alpha if conf is None else check_conf(conf)
        if population is not None:
            check_number("population", population, low=1)
        base = planning_baseline(spec, baseline)
        m = margin / scale
        z = _z(conf)
        if spec.kind == "top_box":
            n0 = _scalar(samplesize_confint_proportion(base.share, m, alpha=1 - conf)) * deff
            formula = "n0 = z² p(1−p) deff / m² (statsmodels samplesize_confint_proportion)"
        else:
            n0 = z * z * base.variance * deff / (m * m)
            formula = "n0 = z² V deff / m²"
        n_exact = n0 if population is None else n0 / (1 + (n0 - 1) / population)
        if population is not None:
            formula += "; n = n0 / (1 + (n0 − 1)/N)"
        n = int(math.ceil(n_exact - 1e-9))
        common.update(population=population)
        return SampleSizePlan(design="margin", n=n, n_exact=n_exact, n_b=n, n_total=n,
                              margin=float(margin), difference=math.nan, baseline=base.describe(),
                              alternative="", variance_a=base.variance, variance_b=math.nan,
                              conf=conf, formula=formula, **common)
    if population is not None:
        raise ValueError("`population` (finite-population correction) applies to margin designs "
                         "only; the change tests do not use it.")
    spec, base, alt, d = _setup(spec, baseline, difference, alternative, paired, correlation, joint)
    dfrac = d / scale
    zsum = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    common.update(power=power)
    if paired:
        var_d, _ = _paired_variance(base, alt, correlation, joint)
        if spec.kind == "mean":
            sd_d = math.sqrt(var_d)
            n_exact = _scalar(TTestPower().solve_power(effect_size=abs(d) / sd_d, alpha=alpha,
                                                     power=power, alternative="two-sided")) * deff
            formula = "statsmodels TTestPower, effect size d / sd_diff, × deff"
        else:
            n_exact = zsum ** 2 * var_d * deff / dfrac ** 2
            formula = "n = (z₁₋α/₂ + z₁₋β)² Var(X_b − X_a) deff / d²"
        n = int(math.ceil(n_exact - 1e-9))
        if joint is not None:   # the correlation the joint table implies: (Va + Vb − Var D) / 2√(Va Vb)
            denom = 2 * math.sqrt(base.variance * alt.variance)
            correlation = (base.variance + alt.variance - var_d) / denom if denom > 0 else math.nan
            formula += " (Var from the joint table)"
        common.update(correlation=None if correlation is None else float(correlation))
        return SampleSizePlan(design="paired", n=n, n_exact=n_exact, n_b=n, n_total=n,
                              margin=math.nan, difference=d, baseline=base.describe(),
                              alternative=alt.describe(), variance_a=base.variance,
                              variance_b=alt.variance, conf=math.nan, formula=formula, **common)
    if spec.kind == "nps":
        n_exact = zsum ** 2 * (base.variance + alt.variance / ratio) * deff / dfrac ** 2
        formula = "n_a = (z₁₋α/₂ + z₁₋β)² (V_a + V_b/ratio) deff / d²"
    elif spec.kind == "top_box":
        h = proportion_effectsize(alt.share, base.share)
        n_exact = _scalar(NormalIndPower().solve_power(effect_size=abs(h), alpha=alpha, power=power,
                                                     ratio=ratio, alternative="two-sided")) * deff
        formula = "statsmodels NormalIndPower with Cohen's h, × deff"
    else:
        sd = math.sqrt((base.variance + alt.variance / ratio) / (1 + 1 / ratio))
        n_exact = _scalar(TTestIndPower().solve_power(effect_size=abs(d) / sd, alpha=alpha, power=power,
                                                    ratio=ratio, alternative="two-sided")) * deff
        formula = "statsmodels TTestIndPower, effect size d / sd, × deff"
    n = int(math.ceil(n_exact - 1e-9))
    n_b = int(math.ceil(ratio * n_exact - 1e-9))
    common.update(ratio=float(ratio))
    return SampleSizePlan(design="two-sample", n=n, n_exact=n_exact, n_b=n_b, n_total=n + n_b,
                          margin=math.nan, difference=d, baseline=base.describe(),
                          alternative=alt.describe(), variance_a=base.variance,
                          variance_b=alt.variance, conf=math.nan, formula=formula, **common)


# ---------------------------------------------------------------------------------------------
# power and minimum detectable difference
# ---------------------------------------------------------------------------------------------

def _power_at(spec, base, alt, d, n, alpha, paired, deff, ratio, correlation, joint):
    """Vectorised power at n (array) for the given distributions."""
    from statsmodels.stats.power import NormalIndPower, TTestIndPower, TTestPower
    from statsmodels.stats.proportion import proportion_effectsize

    n = np.asarray(n, dtype=float)
    n_eff = n / deff
    scale = _SCALE[spec.kind]
    if paired:
        var_d, _ = _paired_variance(base, alt, correlation, joint)
        if spec.kind == "mean":
            return TTestPower().power(effect_size=abs(d) / math.sqrt(var_d), nobs=n_eff, alpha=alpha,
                                      alternative="two-sided")
        return _z_power(d / scale, np.sqrt(var_d / n_eff), alpha)
    if spec.kind == "nps":
        return _z_power(d / scale, np.sqrt(base.variance / n_eff + alt.variance / (ratio * n_eff)), alpha)
    if spec.kind == "top_box":
        h = proportion_effectsize(alt.share, base.share)
        return NormalIndPower().power(effect_size=abs(h), nobs1=n_eff, alpha=alpha, ratio=ratio,
                                      alternative="two-sided")
    sd = math.sqrt((base.variance + alt.variance / ratio) / (1 + 1 / ratio))
    return TTestIndPower().power(effect_size=abs(d) / sd, nobs1=n_eff, alpha=alpha, ratio=ratio,
                                 alternative="two-sided")


def power(metric, n, *, difference=None, baseline, alternative=None, alpha=0.05, paired=False,
          deff=1.0, ratio=1.0, correlation=None, joint=None):
    """Power of the two-sided change test at sample size ``n`` (per group) — the inverse of
    :func:`sample_size`.

    Parameters
    ----------
    metric, difference, baseline, alternative, alpha, paired, deff, ratio, correlation, joint
        As in :func:`sample_size`.
    n : int or array_like
        Responses in group *a* (group *b* has ``ratio · n``), or pairs when ``paired``.
        Vectorised for power curves.

    Returns
    -------
    float or numpy.ndarray

    Notes
    -----
    NPS (and paired top box): power = Φ(|d|/SE − z₁₋α/₂) + Φ(−|d|/SE − z₁₋α/₂) with
    SE² = deff · (V_a/n + V_b/(ratio·n)) (Chow, Shao & Wang 2008, §4.2; Rocks 2016 for V).
    Top box: statsmodels ``NormalIndPower`` with Cohen's h at n/deff; means: ``TTestIndPower``
    (paired: ``TTestPower``) with d/sd at n/deff (Cohen 1988).

    References
    ----------
    .. [1] Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed.
    .. [2] Chow, S.-C., Shao, J. & Wang, H. (2008). *Sample Size Calculations in Clinical
       Research*, 2nd ed.
    .. [3] Rocks, B. (2016). *The American Statistician*, 70(4), 365–372.

    Examples
    --------
    >>> round(power("ces", 64, difference=0.5, baseline=1.0), 3)
    0.801
    >>> round(power("nps", 3729, difference=5, baseline=(0.5, 0.2)), 3)
    0.8
    """
    spec = metric_spec(metric)
    check_number("alpha", alpha, low=0, high=1, low_open=True, high_open=True)
    check_number("deff", deff, low=0, low_open=True)
    check_number("ratio", ratio, low=0, low_open=True)
    n_arr = check_numbers("n", n, low=1, low_open=True)
    spec, base, alt, d = _setup(spec, baseline, difference, alternative, paired, correlation, joint)
    p = np.asarray(_power_at(spec, base, alt, d, n_arr, alpha, paired, deff, ratio, correlation, joint),
                   dtype=float)
    return float(p) if p.ndim == 0 else p


def minimum_detectable_difference(metric, n, *, baseline, alpha=0.05, power=0.8, paired=False,
                                  deff=1.0, ratio=1.0, correlation=None, direction="increase"):
    """Smallest change detectable with the given power at sample size ``n`` (per group).

    Parameters
    ----------
    metric, baseline, alpha, power, paired, deff, ratio, correlation
        As in :func:`sample_size` (the alternative follows the default shift rule).
    n : int or array_like
        Responses per group (pairs when ``paired``).
    direction : {"increase", "decrease"}, default "increase"
        The sign of the change; for NPS and top box the variance after the change, hence the
        answer, depends on it slightly.

    Returns
    -------
    float or numpy.ndarray
        The minimum detectable difference in reported units (positive), NaN when no feasible
        change reaches the power (e.g. an NPS that would leave −100…100).

    Notes
    -----
    Solves power(n, d) = target for d, with the power functions of :func:`power`: for means
    statsmodels ``TTestIndPower.solve_power`` (d = effect size × sd); for top box
    ``NormalIndPower.solve_power`` for Cohen's h, then p_b = sin²(asin √p_a ± h/2); for NPS
    Brent's root finder on the z-test power (V_b depends on d).

    References
    ----------
    .. [1] Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed.
    .. [2] Chow, S.-C., Shao, J. & Wang, H. (2008). *Sample Size Calculations in Clinical
       Research*, 2nd ed.

    Examples
    --------
    >>> round(minimum_detectable_difference("ces", 64, baseline=1.0), 3)
    0.499
    """
    from statsmodels.stats.power import NormalIndPower, TTestIndPower, TTestPower

    spec = metric_spec(metric)
    check_argument("direction", ["increase", "decrease"], direction)
    check_number("power", power, low=0, high=1, low_open=True, high_open=True)
    check_number("alpha", alpha, low=0, high=1, low_open=True, high_open=True)
    check_number("deff", deff, low=0, low_open=True)
    base = planning_baseline(spec, baseline)
    sign = 1.0 if direction == "increase" else -1.0
    n_arr = np.atleast_1d(check_numbers("n", n, low=1, low_open=True))
    out = np.full(n_arr.shape, np.nan)
    for i, ni in enumerate(n_arr):
        ne = ni / deff
        if spec.kind == "mean" and not paired:
            es = TTestIndPower().solve_power(effect_size=None, nobs1=ne, alpha=alpha, power=power,
                                             ratio=ratio, alternative="two-sided")
            out[i] = _scalar(es) * base.sd
            continue
        if spec.kind == "mean":
            if correlation is None:
                raise ValueError("A paired design needs `correlation=`.")
            es = TTestPower().solve_power(effect_size=None, nobs=ne, alpha=alpha, power=power,
                                          alternative="two-sided")
            out[i] = _scalar(es) * base.sd * math.sqrt(2 - 2 * correlation)
            continue
        if spec.kind == "top_box" and not paired:
            h = _scalar(NormalIndPower().solve_power(effect_size=None, nobs1=ne, alpha=alpha,
                                                     power=power, ratio=ratio, alternative="two-sided"))
            phi = math.asin(math.sqrt(base.share)) + sign * h / 2
            if 0 <= phi <= math.pi / 2:
                out[i] = abs(math.sin(phi) ** 2 - base.share) * 100.0
            continue
        dmax = (100.0 - base.value) if sign > 0 else (base.value + 100.0)
        if spec.kind == "top_box":
            dmax = (100.0 - base.value) if sign > 0 else base.value

        def f(dd):
            alt = _alt_baseline(base, sign * dd, None)
            return float(_power_at(spec, base, alt, sign * dd, ni, alpha, paired, deff, ratio,
                                   correlation, None)) - power

        hi = dmax * (1 - 1e-9)
        if hi <= 0 or f(hi) < 0:
            continue
        out[i] = optimize.brentq(f, 1e-9, hi, xtol=1e-9)
    return float(out[0]) if np.ndim(n) == 0 else out


# ---------------------------------------------------------------------------------------------
# invitations and cadence
# ---------------------------------------------------------------------------------------------

def invitations_needed(n, response_rate):
    """Survey invitations needed to collect ``n`` completed responses: ceil(n / rate).

    Parameters
    ----------
    n : int or array_like
        Completed responses needed.
    response_rate : float
        Share of invitations that complete the survey, 0 < rate ≤ 1.

    Returns
    -------
    int or numpy.ndarray of int

    Notes
    -----
    The expected number of completes from k invitations is k · rate, so k = ⌈n / rate⌉
    (Dillman, Smyth & Christian 2014, ch. 1: plan invitations from the expected response
    rate).  Non-response can bias the score; this only sizes the fieldwork.

    References
    ----------
    .. [1] Dillman, D. A., Smyth, J. D. & Christian, L. M. (2014). *Internet, Phone, Mail, and
       Mixed-Mode Surveys: The Tailored Design Method*, 4th ed. Wiley.

    Examples
    --------
    >>> invitations_needed(1537, 0.12)
    12809
    """
    check_number("response_rate", response_rate, low=0, high=1, low_open=True)
    n_arr = check_numbers("n", n, low=0)
    k = np.ceil(n_arr / response_rate - 1e-9).astype(np.int64)
    return int(k) if k.ndim == 0 else k


_CADENCES = (("daily", 1.0), ("weekly", 7.0), ("monthly", _DAYS_PER_MONTH),
             ("quarterly", 3 * _DAYS_PER_MONTH), ("yearly", 12 * _DAYS_PER_MONTH))


@dataclass(frozen=True)
class CadencePlan:
    """How often a segment can report, given its response volume.

    Attributes
    ----------
    metric : str
    daily_responses : float
    n_needed : int
        Responses per reporting period needed (per period for change designs: each of the two
        compared periods needs this many).
    days, weeks, months : float
        Time to collect ``n_needed`` at the current volume (months of 365.25/12 days).
    cadence : str
        The shortest of "daily", "weekly", "monthly", "quarterly", "yearly" that collects
        ``n_needed``, else "not reportable".
    margin_at_cadence : float
        Margin of error reached over one period of that cadence (NaN if not reportable).
    plan : SampleSizePlan
    """

    metric: str
    daily_responses: float
    n_needed: int
    days: float
    weeks: float
    months: float
    cadence: str
    margin_at_cadence: float
    plan: SampleSizePlan

    def to_dict(self) -> dict:
        d = {k: _jsonable(getattr(self, k)) for k in ("metric", "daily_responses", "n_needed", "days",
                                                       "weeks", "months", "cadence", "margin_at_cadence")}
        d["plan"] = self.plan.to_dict()
        return d

    def _repr_html_(self) -> str:
        """Designed HTML table in JupyterLab (the report's design); ``repr`` stays plain."""
        from ..report.tables import cadence_html  # lazy: report is a later wing

        return cadence_html(self)

    def __str__(self) -> str:
        goal = (f"for a margin of ±{self.plan.margin:g}" if self.plan.design == "margin" else
                f"to detect a {self.plan.difference:+g} change period over period")
        if self.cadence == "not reportable":
            return (f"{self.metric.upper()}: {self.n_needed:,} responses needed {goal}; at "
                    f"{self.daily_responses:,.1f} a day that takes {self.days:,.0f} days — not "
                    "reportable within a year.")
        return (f"{self.metric.upper()}: {self.n_needed:,} responses needed {goal}; at "
                f"{self.daily_responses:,.1f} a day that takes {self.days:,.1f} days "
                f"({self.weeks:,.1f} weeks, {self.months:,.2f} months): report {self.cadence}.")


def reporting_cadence(daily_responses, *, metric, baseline, margin=None, difference=None,
                      conf=0.95, alpha=0.05, power=0.8, deff=1.0, alternative=None) -> CadencePlan:
    """How many days/weeks/months until a segment's volume reaches the target.

    Parameters
    ----------
    daily_responses : float
        The segment's current completed responses per day.
    metric, baseline, margin, difference, alpha, power, deff, alternative
        As in :func:`sample_size` (give ``margin`` or ``difference``).
    conf : float, default 0.95
        Confidence of margin designs.

    Returns
    -------
    CadencePlan

    Notes
    -----
    n = :func:`sample_size` (margin: responses per period; difference: responses in each of
    two consecutive periods, the two-sample test of period over period); days = n / daily
    volume; the cadence is the shortest calendar period (1, 7, 30.44, 91.31, 365.25 days) of
    at least that many days.

    References
    ----------
    .. [1] Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed. Wiley.
    .. [2] Chow, S.-C., Shao, J. & Wang, H. (2008). *Sample Size Calculations in Clinical
       Research*, 2nd ed.

    Examples
    --------
    >>> print(reporting_cadence(50, metric="nps", baseline=(0.5, 0.2), margin=5))
    NPS: 938 responses needed for a margin of ±5; at 50.0 a day that takes 18.8 days (2.7 weeks, 0.62 months): report monthly.
    """
    check_number("daily_responses", daily_responses, low=0, low_open=True)
    if margin is not None:
        plan = sample_size(metric, margin=margin, baseline=baseline, conf=conf, deff=deff)
    else:
        plan = sample_size(metric, difference=difference, baseline=baseline, alternative=alternative,
                           alpha=alpha, power=power, deff=deff)
    days = plan.n / daily_responses
    cadence, length = "not reportable", math.nan
    for name, span in _CADENCES:
        if days <= span + 1e-9:
            cadence, length = name, span
            break
    m_at = (margin_of_error(metric, daily_responses * length, baseline=baseline, conf=conf, deff=deff)
            if cadence != "not reportable" else math.nan)
    spec = metric_spec(metric)
    return CadencePlan(spec.name, float(daily_responses), plan.n, days, days / 7, days / _DAYS_PER_MONTH,
                       cadence, m_at, plan)


# ---------------------------------------------------------------------------------------------
# planning from data
# ---------------------------------------------------------------------------------------------



def plan_segments(responses, metric="nps", by=None, period="latest", *, margin=None, difference=None,
                  conf=0.95, alpha=0.05, power=0.8, lookback=3, weighted=False,
                  response_rate=None) -> pd.DataFrame:
    """The planning table: per segment level, its volume, precision, detectable change and
    reporting verdict.

    Parameters
    ----------
    responses : pandas.DataFrame
        Canonical responses table (with a ``period`` column of monthly Periods).
    metric : str, default "nps"
        A score name (resolved with :func:`cxkit.resolve_metric`).
    by : str or list of str, optional
        Segment columns; each column's levels get their own rows (not crossed).  An ``"All"``
        row for the whole survey comes first.  Default: the configured segments.
    period : str or pandas.Period, default "latest"
        Last month of the look-back window (see :func:`cxkit.resolve_period`).
    margin : float, optional
        Target margin of error (reported units).
    difference : float, optional
        Month-over-month change that should be detectable (reported units).
    conf, alpha, power : float
        Confidence of margins; level and power of the change test (two-sided).
    lookback : int, default 3
        Months in the window ending at ``period``: volumes are monthly averages over it, and
        the baseline distribution is the segment's distribution pooled over it.
    weighted : bool, default False
        Use the survey weights: weighted shares and the Kish design effect n·Σw²/(Σw)² of the
        segment multiplies the variance.
    response_rate : float, optional
        When given, adds ``invitations_month`` (invitations per month for the needed n).

    Returns
    -------
    pandas.DataFrame
        One row per segment level: ``segment`` (column name, "All" for the total), ``level``,
        ``value`` (the score over the window), ``baseline`` (promoter/detractor shares, top-box
        share or sd, as text; and as numbers in ``promoters``/``detractors`` (NPS, fractions),
        ``share`` (top box, fraction) or ``sd`` (means)), ``months`` (months with data in the
        window), ``n_month`` (average monthly responses), ``n_day`` (n_month / 30.44, for
        :func:`reporting_cadence`), ``deff``,
        ``margin_month`` and ``margin_quarter`` (± at 1 and 3 months of volume),
        ``mdd_month`` and ``mdd_quarter`` (smallest change detectable month over month /
        quarter over quarter), ``needed_margin_month`` (n for the target margin),
        ``needed_change_month`` (n per period for the target difference), ``needed_month``
        (the larger of the two), ``verdict`` ("monthly", "quarterly" or "not reportable") and
        ``invitations_month`` (with a response rate), ``note`` (why a row could not be
        planned).  ``attrs["plan"]`` records the targets.  Use :func:`row_baseline` to get a
        row's baseline back for further planning or plots.

    Notes
    -----
    For each level: n_month = responses in the window / months in the window; margins from
    :func:`margin_of_error` and detectable changes from :func:`minimum_detectable_difference`
    (two-sample, equal n, the default shift rule) at n_month and 3·n_month; needs from
    :func:`sample_size`.  Verdict: "monthly" if n_month meets every given target, else
    "quarterly" if 3·n_month does, else "not reportable".

    References
    ----------
    .. [1] Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed. Wiley.
    .. [2] Chow, S.-C., Shao, J. & Wang, H. (2008). *Sample Size Calculations in Clinical
       Research*, 2nd ed.
    .. [3] Kish, L. (1965). *Survey Sampling*. Wiley.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> df = pd.DataFrame({"nps": rng.integers(0, 11, 3000), "region": rng.choice(["N", "S"], 3000),
    ...                    "period": pd.PeriodIndex(rng.choice(["2026-08", "2026-09", "2026-10"], 3000), freq="M")})
    >>> t = plan_segments(df, "nps", by="region", period="2026-10", margin=10, difference=10)
    >>> t[["segment", "level", "n_month", "verdict"]].round(1).to_records(index=False).tolist()
    [('All', 'All', 1000.0, 'quarterly'), ('region', 'N', 510.7, 'quarterly'), ('region', 'S', 489.3, 'quarterly')]
    """
    from ..core.periods import period_freq, resolve_period
    from .tally import tally

    if margin is None and difference is None:
        raise ValueError("Pass a target: `margin` and/or `difference`.")
    check_number("lookback", lookback, low=1, integer=True)
    check_conf(conf)
    column, spec = resolve_metric(responses, metric)
    if by is None:
        by = list((getattr(responses, "attrs", {}) or {}).get("cxkit", {}).get("segments", []))
    elif isinstance(by, str):
        by = [by]
    by = list(by)
    if "period" not in responses.columns:
        raise ValueError("`plan_segments` needs a `period` column (load the survey with a date column).")
    freq = period_freq(responses)
    if freq != "M":
        kind = {"Q": "quarterly", "Y": "yearly"}.get(freq, freq)
        raise ValueError(
            f"`plan_segments` plans monthly reporting from monthly volumes, but this survey's periods "
            f"are {kind}. Configure `date:` with `period: month` in the survey config, or plan "
            f"directly with cxkit.sample_size / cxkit.margin_of_error from a baseline.")
    end = resolve_period(period, responses)
    start = end - (int(lookback) - 1)
    per = responses["period"]
    window = responses.loc[(per >= start) & (per <= end)]
    months = int(window["period"].nunique())
    if months == 0:
        raise ValueError(f"No responses in the {lookback} months ending {end}.")
    weight = True if weighted else None
    rows = []
    groups = [("All", None)] + [(b, b) for b in by]
    for seg, col in groups:
        t = tally(window, (column, spec), by=col, weight=weight)
        levels = [("All", t)] if col is None else [
            (str(k), t.loc[t[col] == k].drop(columns=[col])) for k in t[col].drop_duplicates()]
        for level, h in levels:
            rows.append(_plan_row(seg, level, h, spec, months, margin, difference, conf, alpha, power,
                                  weighted, response_rate))
    out = pd.DataFrame(rows)
    out.attrs["plan"] = {"metric": spec.name, "kind": spec.kind, "units": _UNIT_WORD[spec.kind],
                         "period": str(end), "start": str(start), "months": months, "lookback": int(lookback),
                         "margin": margin, "difference": difference, "conf": conf, "alpha": alpha,
                         "power": power, "weighted": bool(weighted), "response_rate": response_rate}
    return out


def _plan_row(seg, level, h, spec, months, margin, difference, conf, alpha, power, weighted,
              response_rate):
    n_total = int(h["n"].sum())
    n_month = n_total / months
    deff = 1.0
    if weighted and "w" in h.columns and h["w"].sum() > 0:
        deff = float(n_total * h["w2"].sum() / h["w"].sum() ** 2)
    row = {"segment": seg, "level": level, "months": months, "n_month": n_month,
           "n_day": n_month / _DAYS_PER_MONTH, "deff": deff}
    try:
        base = planning_baseline(spec, h)
    except ValueError as exc:
        base, row["note"] = None, str(exc)
    row["value"] = base.value if base is not None and spec.kind != "mean" else (
        histogram_moments(h["score"].to_numpy(float), h["n"].to_numpy(float),
                          *((h["w"], h["w2"]) if "w" in h.columns else ())).mean if n_total else math.nan)
    row["baseline"] = base.describe() if base is not None else ""
    if spec.kind == "nps":
        row["promoters"] = base.promoters if base is not None else math.nan
        row["detractors"] = base.detractors if base is not None else math.nan
    elif spec.kind == "top_box":
        row["share"] = base.share if base is not None else math.nan
    else:
        row["sd"] = base.sd if base is not None else math.nan
    nan = math.nan
    ok = base is not None and n_month > 1 and base.variance > 0
    row["margin_month"] = margin_of_error(spec, n_month, baseline=base, conf=conf, deff=deff) if ok else nan
    row["margin_quarter"] = margin_of_error(spec, 3 * n_month, baseline=base, conf=conf, deff=deff) if ok else nan
    kw = dict(baseline=base, alpha=alpha, power=power, deff=deff)
    row["mdd_month"] = minimum_detectable_difference(spec, n_month, **kw) if ok else nan
    row["mdd_quarter"] = minimum_detectable_difference(spec, 3 * n_month, **kw) if ok else nan
    need_m = need_d = nan
    if base is not None and base.variance > 0:
        if margin is not None:
            need_m = sample_size(spec, margin=margin, baseline=base, conf=conf, deff=deff).n
        if difference is not None:
            try:
                need_d = sample_size(spec, difference=difference, baseline=base, alpha=alpha,
                                     power=power, deff=deff).n
            except ValueError:
                need_d = sample_size(spec, difference=-difference, baseline=base, alpha=alpha,
                                     power=power, deff=deff).n
    row["needed_margin_month"] = need_m
    row["needed_change_month"] = need_d
    needs = [x for x in (need_m, need_d) if not math.isnan(x)]
    row["needed_month"] = max(needs) if needs else nan
    if not needs:
        verdict = "not reportable"
    elif n_month >= row["needed_month"]:
        verdict = "monthly"
    elif 3 * n_month >= row["needed_month"]:
        verdict = "quarterly"
    else:
        verdict = "not reportable"
    row["verdict"] = verdict
    if response_rate is not None:
        row["invitations_month"] = (invitations_needed(row["needed_month"], response_rate)
                                    if needs else nan)
    row.setdefault("note", "")
    return row


def row_baseline(row, kind) -> Baseline:
    """The :class:`Baseline` of one row of a :func:`plan_segments` table.

    Parameters
    ----------
    row : pandas.Series or dict
        A row of the planning table.
    kind : {"nps", "top_box", "mean"}
        The metric kind (``table.attrs["plan"]["kind"]``).

    Returns
    -------
    Baseline

    Notes
    -----
    Reads the ``promoters``/``detractors``, ``share`` or ``sd`` columns, which
    :func:`plan_segments` fills from the segment's (weighted) score histogram.

    References
    ----------
    .. [1] Rocks, B. (2016). *The American Statistician*, 70(4), 365–372.

    Examples
    --------
    >>> row_baseline({"promoters": 0.5, "detractors": 0.2}, "nps").variance
    0.61
    """
    if kind == "nps":
        return Baseline("nps", promoters=float(row["promoters"]), detractors=float(row["detractors"]),
                        source="table")
    if kind == "top_box":
        return Baseline("top_box", share=float(row["share"]), source="table")
    return Baseline("mean", sd=float(row["sd"]), source="table")


def describe_plan(table) -> str:
    """Plain-language recommendation per segment of a :func:`plan_segments` table.

    Parameters
    ----------
    table : pandas.DataFrame
        The output of :func:`plan_segments`.

    Returns
    -------
    str
        One line per segment level, e.g. "region North: 410 responses/month, ±7.8 points;
        to detect a 5-point change you need 1,640 per month — report quarterly."

    Notes
    -----
    Wording only; every number comes from the table (see :func:`plan_segments`).

    References
    ----------
    .. [1] Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed. Wiley.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame([{"segment": "region", "level": "North", "n_month": 410.0, "margin_month": 7.8,
    ...     "margin_quarter": 4.5, "mdd_month": 15.2, "mdd_quarter": 8.8, "needed_margin_month": 900,
    ...     "needed_change_month": 1100, "needed_month": 1100, "verdict": "quarterly"}])
    >>> t.attrs["plan"] = {"units": "points", "kind": "nps", "margin": 5, "difference": 10}
    >>> print(describe_plan(t))
    region North: 410 responses/month, ±7.8 points; for ±5 points you need 900 per month; to detect a 10-point change you need 1,100 per month — report quarterly (a quarter collects 1,230: ±4.5 points, detects 8.8 points quarter over quarter).
    """
    meta = table.attrs.get("plan", {})
    units = meta.get("units", "points")
    kind = meta.get("kind", "nps")
    short = {"points": "point", "percentage points": "percentage-point", "units": "unit"}.get(units, units)
    unit_word = {"points": " points", "percentage points": " pp", "units": ""}.get(units, "")
    lines = []
    for r in table.to_dict("records"):
        name = "All responses" if r["segment"] == "All" else f"{r['segment']} {r['level']}"
        if not (isinstance(r.get("margin_month"), float) and math.isfinite(r["margin_month"])):
            lines.append(f"{name}: {r['n_month']:,.0f} responses/month — too few to plan; "
                         f"{r.get('note') or 'no variation in the scores'}.")
            continue
        fmt = ".2f" if kind == "mean" else ".1f"
        head = f"{name}: {r['n_month']:,.0f} responses/month, ±{r['margin_month']:{fmt}}{unit_word}"
        needs = []
        if meta.get("margin") is not None and math.isfinite(r["needed_margin_month"]):
            needs.append(f"for ±{meta['margin']:g}{unit_word} you need {r['needed_margin_month']:,.0f} per month")
        if meta.get("difference") is not None and math.isfinite(r["needed_change_month"]):
            needs.append(f"to detect a {meta['difference']:g}-{short} change you need "
                         f"{r['needed_change_month']:,.0f} per month")
        verdict = r["verdict"]
        if verdict == "monthly":
            tail = f"report monthly (detects {r['mdd_month']:{fmt}}{unit_word} month over month)"
        elif verdict == "quarterly":
            tail = (f"report quarterly (a quarter collects {3 * r['n_month']:,.0f}: "
                    f"±{r['margin_quarter']:{fmt}}{unit_word}, detects {r['mdd_quarter']:{fmt}}{unit_word} "
                    "quarter over quarter)")
        else:
            x = r["needed_month"] / max(r["n_month"], 1e-9)
            tail = (f"not reportable at this target: a quarter collects {3 * r['n_month']:,.0f} of the "
                    f"{r['needed_month']:,.0f} needed; monthly reporting needs {x:,.1f}× today's volume, "
                    "or pool it with another segment")
        lines.append(f"{head}; {'; '.join(needs)} — {tail}.")
    return "\n".join(lines)
