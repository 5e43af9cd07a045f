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
:func:`plan_segments`, :func:`describe_plan`, :func:`nps_after`, :func:`planning_baseline`.

Conventions (see CONTRIBUTING.md "Conventions"): shares are in **percent** (0–100), NPS
categories in the order **(detractors, passives, promoters)** — ``baseline=(20, 30, 50)``;
margins and differences are in the metric's reported units (NPS points, percentage points,
raw units); ``after=`` is the distribution after a change; every change test is
**two-sided** at level ``alpha``.  The cxkit 0.1 forms (``baseline=(pP, pD)`` fractions, a
top-box fraction, ``alternative=`` for the distribution after the change, ``nps_alternative``)
still work with a ``DeprecationWarning`` naming the new form.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, stats

from ..core.jsonsafe import json_safe as _jsonable
from ..core.checks import check_argument, check_conf, check_number, check_numbers, warn_deprecated
from ..core.metrics import Estimate, histogram_moments, metric_spec, resolve_metric
from .estimators import _nps_variance_fractions

__all__ = ["Baseline", "SampleSizePlan", "CadencePlan", "planning_baseline", "nps_after", "nps_alternative",
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
    detractors, promoters : float
        NPS shares in **percent** (0–100; fractions before cxkit 0.2); NaN for other kinds.
        ``passives`` and ``shares`` (the ``(detractors, passives, promoters)`` form planning
        functions take) are derived.
    share : float
        Top-box share in percent (0–100); NaN for other kinds.
    sd : float
        Standard deviation of the score (means); NaN for other kinds.
    source : str
        Where the baseline came from ("shares", "worst-case", "tally", "estimate", ...).
    """

    kind: str
    detractors: float = math.nan
    promoters: float = math.nan
    share: float = math.nan
    sd: float = math.nan
    source: str = ""

    @property
    def passives(self) -> float:
        """Passive share in percent (NPS); NaN for other kinds."""
        return 100.0 - self.promoters - self.detractors if self.kind == "nps" else math.nan

    @property
    def shares(self) -> tuple:
        """NPS ``(detractors, passives, promoters)`` in percent — the form ``baseline=`` takes."""
        return (self.detractors, self.passives, self.promoters)

    # fractions, for the variance formulas
    @property
    def _pP(self) -> float:
        return self.promoters / 100.0

    @property
    def _pD(self) -> float:
        return self.detractors / 100.0

    @property
    def _p(self) -> float:
        return self.share / 100.0

    @property
    def value(self) -> float:
        """The metric in reported units (NPS points, percent); NaN for means (not needed)."""
        if self.kind == "nps":
            return self.promoters - self.detractors
        if self.kind == "top_box":
            return self.share
        return math.nan

    @property
    def variance(self) -> float:
        """Per-response variance in fraction units (NPS, top box) or raw units² (means)."""
        if self.kind == "nps":
            return _nps_variance_fractions(self._pP, self._pD)
        if self.kind == "top_box":
            return self._p * (1.0 - self._p)
        return self.sd ** 2

    def describe(self) -> str:
        if self.kind == "nps":
            tail = " (worst case, V = 1)" if self.source == "worst-case" else ""
            return f"detractors {self.detractors:.1f}%, promoters {self.promoters:.1f}%{tail}"
        if self.kind == "top_box":
            return f"top-box share {self.share:.1f}%"
        return f"sd {self.sd:.3g}"


def _pct(x) -> float:
    """A fraction as percent, rounded so that an old fraction form gives the new form's floats."""
    return round(100.0 * float(x), 12)


def _fmt_shares(d, pa, p) -> str:
    return "(" + ", ".join(f"{v:.12g}" for v in (d, pa, p)) + ")"


def _nps_baseline(detractors, promoters, source, what):
    """Check NPS shares (percent) and build the Baseline."""
    for name, v in (("detractors", detractors), ("promoters", promoters)):
        check_number(f"{what} {name} share (percent)", v, low=0, high=100)
    if promoters + detractors > 100 + 1e-7:
        raise ValueError(f"The {what} promoter and detractor shares add up to "
                         f"{promoters + detractors:g}% > 100%; pass (detractors, passives, "
                         "promoters) in percent, e.g. (20, 30, 50).")
    return Baseline("nps", promoters=float(promoters), detractors=float(detractors), source=source)


def _nps_from_sequence(values, what):
    """NPS shares from ``(detractors, passives, promoters)`` in percent, or the deprecated
    ``(promoter_share, detractor_share)`` fractions of cxkit 0.1."""
    vals = [float(v) for v in values]
    if len(vals) == 2:
        pP, pD = vals
        if pP > 1 or pD > 1:
            raise ValueError(f"An NPS `{what}` is (detractors, passives, promoters) in percent, e.g. "
                             f"(20, 30, 50); a pair is the old (promoter, detractor) fraction form, "
                             f"but {tuple(values)!r} was passed.")
        for name, v in (("promoter", pP), ("detractor", pD)):
            check_number(f"{what} {name} share (old form, fraction)", v, low=0, high=1)
        if pP + pD > 1 + 1e-9:
            raise ValueError(f"The {what} promoter and detractor shares add up to {pP + pD:.3f} > 1.")
        d, p = _pct(pD), _pct(pP)
        warn_deprecated(f"`{what}={tuple(values)!r}` — (promoter, detractor) fractions — is the old "
                        f"form; pass `{what}={_fmt_shares(d, round(100.0 - p - d, 12), p)}`: "
                        "(detractors, passives, promoters) in percent.")
        return _nps_baseline(d, p, "shares", what)
    if len(vals) != 3:
        raise ValueError(f"An NPS `{what}` is (detractors, passives, promoters) in percent, e.g. "
                         f"(20, 30, 50), 'worst-case', a tally, a summarize row or an Estimate; got "
                         f"{values!r}.")
    d, pa, p = vals
    for name, v in (("detractors", d), ("passives", pa), ("promoters", p)):
        check_number(f"{what} {name} share (percent)", v, low=0, high=100)
    total = d + pa + p
    if abs(total - 1.0) <= 1e-6:
        raise ValueError(f"The {what} shares {tuple(values)!r} add up to 1: shares are in percent "
                         f"(0–100); pass {_fmt_shares(_pct(d), _pct(pa), _pct(p))}.")
    if abs(total - 100.0) > 0.5:
        raise ValueError(f"The {what} shares (detractors, passives, promoters) = {tuple(values)!r} add "
                         f"up to {total:g}, not 100 (percent).")
    scale = 100.0 / total   # absorbs rounding of the printed percentages (at most ±0.5)
    return _nps_baseline(d * scale if scale != 1 else d, p * scale if scale != 1 else p, "shares", what)


def _top_box_share(value, what):
    """A top-box share in percent; a number in [0, 1] is the deprecated fraction form."""
    check_number(f"{what} (top-box share, percent)", value, low=0, high=100)
    v = float(value)
    if v <= 1.0:
        warn_deprecated(f"`{what}={value!r}` (a top-box fraction) is the old form; shares are in "
                        f"percent: pass `{what}={_pct(v):.12g}`.  (A share of 1% or less: pass "
                        f"`{what}={{'value': <percent>}}`.)")
        v = _pct(v)
    return v


def _lookup(obj, *names):
    for name in names:
        if isinstance(obj, dict) and name in obj:
            return obj[name]
        if isinstance(obj, pd.Series) and name in obj.index:
            return obj[name]
    return None


def _shares_from_mapping(obj, what):
    """(detractors, promoters) in percent from a dict/Series (a summarize row, a plan row);
    fractions are the deprecated form."""
    pP = _lookup(obj, "promoters", "pP", "promoter_share")
    pD = _lookup(obj, "detractors", "pD", "detractor_share")
    if pP is None or pD is None:
        return None
    pP, pD = float(pP), float(pD)
    pas = _lookup(obj, "passives", "passive_share")
    total = pP + pD + (float(pas) if pas is not None else 0.0)
    fractions = (abs(total - 1.0) <= 1e-6) if pas is not None else (pP <= 1 and pD <= 1 and total <= 1)
    if fractions:
        d, p = _pct(pD), _pct(pP)
        warn_deprecated(f"NPS shares as fractions in `{what}` (promoters={pP:g}, detractors={pD:g}) "
                        "are the old form; shares are in percent: pass detractors="
                        f"{d:.12g}, passives={round(100 - d - p, 12):.12g}, promoters={p:.12g}.")
        return d, p
    return pD, pP


def planning_baseline(metric, baseline, *, what="baseline") -> Baseline:
    """Turn a ``baseline`` argument into a :class:`Baseline` for ``metric``.

    Parameters
    ----------
    metric : {"nps", "csat", "top_box", "ces", "mean"} or MetricSpec
    baseline : see below
        Shares are in **percent** (0–100), NPS categories in the order (detractors, passives,
        promoters) — as everywhere in cxkit (CONTRIBUTING.md "Conventions").

        * NPS: ``(detractors, passives, promoters)`` in percent, e.g. ``(20, 30, 50)``
          (adding up to 100; rounding up to ±0.5 is rescaled away); ``"worst-case"``
          (promoters = detractors = 50 %, V = 1); a dict/Series with ``detractors``/
          ``promoters`` (and optionally ``passives``) in percent, e.g. a :func:`cxkit.summarize`
          row or a :func:`plan_segments` row; a tally DataFrame of one group (``score``, ``n``
          and optionally ``w``) of 0–10 scores; or an NPS :class:`~cxkit.Estimate`.
        * top box / CSAT: the top-box share in percent (e.g. ``80``); ``"worst-case"`` (50 %);
          a dict/Series with ``value`` or ``share`` in percent (a summarize row); a tally
          DataFrame (needs the spec's ``top_box`` scores); an Estimate.
        * means: the standard deviation of the score; a dict/Series with ``sd``, or with
          ``value``, ``se`` and ``n_eff`` (a summarize row); a tally DataFrame; an Estimate.

        Deprecated (cxkit 0.1, still accepted with a ``DeprecationWarning`` naming the new
        form, giving identical numbers): NPS ``(promoter_share, detractor_share)`` as
        fractions, e.g. ``(0.5, 0.2)`` — now ``(20, 30, 50)``; a top-box share as a fraction
        (a number in [0, 1], e.g. ``0.8`` — now ``80``); fractions in a dict.
    what : str, default "baseline"
        The argument's name in messages (``"after"`` for the distribution after a change).

    Notes
    -----
    An NPS Estimate carries the value μ = pP − pD and its SE; with V = se²·n_eff the shares
    follow from pP + pD = V + μ²: pP = (V + μ² + μ)/2, pD = (V + μ² − μ)/2 (exact for the
    Wald SE; close for other interval methods).  For means, sd = se·sqrt(n_eff).  From a
    tally, shares are (weighted, when ``w`` is present) percentages of responses and the sd
    is the sample sd sqrt(N/(N−1)·var).

    Returns
    -------
    Baseline
        Shares in percent.

    References
    ----------
    .. [1] Rocks, B. (2016). Interval estimation for the "net promoter score". *The American
       Statistician*, 70(4), 365–372 (V = pP + pD − (pP − pD)²).

    Examples
    --------
    >>> planning_baseline("nps", (20, 30, 50)).variance
    0.61
    >>> planning_baseline("nps", "worst-case").variance
    1.0
    >>> planning_baseline("csat", 80).share
    80.0
    """
    spec = metric_spec(metric)
    kind = spec.kind
    if isinstance(baseline, Baseline):
        if baseline.kind != kind:
            raise ValueError(f"A {baseline.kind} baseline cannot plan a {kind} metric.")
        return baseline
    if isinstance(baseline, str):
        check_argument(what, ["worst-case"], baseline)
        if kind == "nps":
            return Baseline("nps", promoters=50.0, detractors=50.0, source="worst-case")
        if kind == "top_box":
            return Baseline("top_box", share=50.0, source="worst-case")
        raise ValueError(f"A mean has no worst case; pass the score's standard deviation as `{what}`.")
    if isinstance(baseline, pd.DataFrame):
        if not {"score", "n"} <= set(baseline.columns):
            raise ValueError(f"A `{what}` table must be a one-group tally with `score` and `n` columns "
                             "(see cxkit.tally).")
        if kind == "top_box" and not spec.top_box:
            raise ValueError("A top-box baseline from a tally needs the MetricSpec's top_box scores.")
        w = baseline["w"].to_numpy(float) if "w" in baseline.columns else baseline["n"].to_numpy(float)
        if w.sum() <= 0:
            raise ValueError(f"The `{what}` tally has no responses.")
        vals = spec.values(baseline["score"].to_numpy(float))
        if kind == "nps":
            return Baseline("nps", promoters=_pct(w[vals > 0].sum() / w.sum()),
                            detractors=_pct(w[vals < 0].sum() / w.sum()), source="tally")
        if kind == "top_box":
            return Baseline("top_box", share=_pct(w[vals > 0].sum() / w.sum()), source="tally")
        m = histogram_moments(vals, baseline["n"].to_numpy(float),
                              *( (baseline["w"], baseline["w2"]) if "w" in baseline.columns else ()))
        if m.n < 2:
            raise ValueError(f"A mean `{what}` from a tally needs at least 2 responses.")
        return Baseline("mean", sd=math.sqrt(m.var * m.n / (m.n - 1)), source="tally")
    if isinstance(baseline, Estimate):
        if not (np.isfinite(baseline.se) and baseline.n_eff > 0):
            raise ValueError(f"The `{what}` estimate has no usable SE ({baseline}).")
        if kind == "mean":
            return Baseline("mean", sd=baseline.se * math.sqrt(baseline.n_eff), source="estimate")
        if kind == "top_box":
            check_number(f"{what} (top-box share, percent)", baseline.value, low=0, high=100)
            return Baseline("top_box", share=float(baseline.value), source="estimate")
        mu = baseline.value / 100.0
        V = (baseline.se / 100.0) ** 2 * baseline.n_eff
        pP, pD = (V + mu * mu + mu) / 2, (V + mu * mu - mu) / 2
        pP, pD = min(max(pP, 0.0), 1.0), min(max(pD, 0.0), 1.0)
        return _nps_baseline(_pct(pD), _pct(pP), "estimate", what)
    if isinstance(baseline, (dict, pd.Series)):
        shares = _shares_from_mapping(baseline, what) if kind == "nps" else None
        sd = _lookup(baseline, "sd")
        se, n_eff = _lookup(baseline, "se"), _lookup(baseline, "n_eff", "n")
        if (shares is None and sd is None and kind != "top_box" and se is not None
                and n_eff is not None and _lookup(baseline, "value") is not None):
            # a summarize row: rebuild the estimate (sd = se·sqrt(n_eff); NPS shares from V, μ)
            est = Estimate(str(_lookup(baseline, "metric") or kind), float(_lookup(baseline, "value")),
                           float(se), math.nan, math.nan, int(float(_lookup(baseline, "n") or n_eff)),
                           float(n_eff))
            return planning_baseline(spec, est, what=what)
        if kind == "nps":
            if shares is None:
                raise ValueError(f"An NPS `{what}` dict/Series needs `detractors` and `promoters` "
                                 "shares (percent).")
            return _nps_baseline(shares[0], shares[1], "shares", what)
        if kind == "top_box":
            v = _lookup(baseline, "value", "share")
            if v is None:
                raise ValueError(f"A top-box `{what}` dict/Series needs `value` (percent) or `share`.")
            if _lookup(baseline, "value") is not None:   # a summarize row: percent, never a fraction
                check_number(f"{what} value (top-box share, percent)", float(v), low=0, high=100)
                return Baseline("top_box", share=float(v), source="share")
            return Baseline("top_box", share=_top_box_share(float(v), what), source="share")
        if sd is None:
            raise ValueError(f"A mean `{what}` dict/Series needs `sd`, or `value`, `se` and `n_eff` "
                             "(a cxkit.summarize row).")
        return planning_baseline(spec, float(sd), what=what)
    if kind == "nps":
        if not isinstance(baseline, (tuple, list, np.ndarray)):
            raise ValueError(f"An NPS `{what}` is (detractors, passives, promoters) in percent, e.g. "
                             f"(20, 30, 50), 'worst-case', a tally, a summarize row or an Estimate; "
                             f"got {baseline!r}.")
        return _nps_from_sequence(baseline, what)
    if kind == "top_box":
        return Baseline("top_box", share=_top_box_share(baseline, what), source="share")
    check_number(f"{what} (standard deviation)", baseline, low=0, low_open=True)
    return Baseline("mean", sd=float(baseline), source="sd")


def _shifted(b: Baseline, difference):
    """(detractors, promoters) in percent after a change of ``difference`` NPS points."""
    s = float(difference)
    pP, pD = b.promoters + s / 2, b.detractors - s / 2
    if pD < 0:
        pP, pD = pP - pD, 0.0
    if pP < 0:
        pD, pP = pD - pP, 0.0
    if pP + pD > 100 + 1e-10 or pP > 100 + 1e-10 or pD > 100 + 1e-10:
        raise ValueError(f"A change of {difference:+g} points from NPS {b.value:.1f} is impossible "
                         "(the NPS must stay within −100…100).")
    return min(pD, 100.0), min(pP, 100.0)


def nps_after(baseline, difference):
    """The NPS distribution after a change of ``difference`` points (default shift rule).

    Half of the change moves into promoters and half out of detractors (passives unchanged).
    When the detractors (or, for a fall, the promoters) run out, the rest comes from passives.

    Parameters
    ----------
    baseline : tuple, Baseline or any form :func:`planning_baseline` takes
        ``(detractors, passives, promoters)`` in percent.
    difference : float
        Change in NPS points (may be negative).

    Returns
    -------
    (float, float, float)
        ``(detractors, passives, promoters)`` in percent after the change — the form that
        ``after=`` of :func:`sample_size` and :func:`power` takes.

    Notes
    -----
    With s = difference (points): P' = P + s/2, D' = D − s/2; if D' < 0 then P' = P + s − D,
    D' = 0 (symmetrically for a fall), so P' − D' = P − D + s always.  The variance after
    the change, V_b = pP' + pD' − (pP' − pD')² (fractions), enters the two-sample formula.
    This is an assumption (the split of a change between promoters and detractors is not
    known in advance); pass ``after=(D, Pa, P)`` to plan for another one.

    References
    ----------
    .. [1] Rocks, B. (2016). Interval estimation for the "net promoter score". *The American
       Statistician*, 70(4), 365–372.

    Examples
    --------
    >>> tuple(round(x, 4) for x in nps_after((20, 30, 50), 5))
    (17.5, 30.0, 52.5)
    """
    b = planning_baseline("nps", baseline)
    d, p = _shifted(b, difference)
    return (d, 100.0 - d - p, p)


def nps_alternative(baseline, difference):
    """Deprecated name of :func:`nps_after` (which returns ``(detractors, passives, promoters)``
    in percent).  Returns the cxkit 0.1 form: ``(promoter_share, detractor_share)`` fractions.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     tuple(round(x, 4) for x in nps_alternative((0.5, 0.2), 5))
    (0.525, 0.175)
    """
    warn_deprecated("cxkit.nps_alternative(baseline, difference) is deprecated: use "
                    "cxkit.nps_after(baseline, difference), which takes and returns "
                    "(detractors, passives, promoters) in percent.")
    b = planning_baseline("nps", baseline)
    d, p = _shifted(b, difference)
    return (p / 100.0, d / 100.0)


def _after_arg(after, alternative, func):
    """``after=`` (the distribution after the change); ``alternative=`` is its deprecated name."""
    if alternative is None:
        return after
    if after is not None:
        raise ValueError(f"`{func}` got both `after` and its deprecated name `alternative`; pass `after`.")
    warn_deprecated(f"{func}(alternative=...) is deprecated: the distribution after the change is "
                    f"now `after=` (`alternative` means the test's sidedness everywhere in cxkit).")
    return alternative


def _alt_baseline(base: Baseline, difference, after) -> Baseline:
    """The distribution after the change: explicit ``after`` or the default shift."""
    if base.kind == "nps":
        if after is not None:
            return planning_baseline("nps", after, what="after")
        d, p = _shifted(base, difference)
        return Baseline("nps", promoters=p, detractors=d, source="shifted")
    if base.kind == "top_box":
        if after is not None:
            return planning_baseline(metric_spec("csat"), after, what="after")
        p = base.share + float(difference)
        if not -1e-10 <= p <= 100 + 1e-10:
            raise ValueError(f"A change of {difference:+g} percentage points from {base.share:.1f}% "
                             "leaves 0–100%.")
        return Baseline("top_box", share=min(max(p, 0.0), 100.0), source="shifted")
    if after is not None:   # sd after the change
        return planning_baseline(metric_spec("mean"), after, what="after")
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
    baseline, after : str
        Readable descriptions of the assumed distributions before and after the change
        (``after`` was ``alternative`` before cxkit 0.2; that attribute still reads, with a
        DeprecationWarning).
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
    after: str
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

    @property
    def alternative(self) -> str:
        """Deprecated name of :attr:`after`."""
        warn_deprecated("SampleSizePlan.alternative is deprecated: read SampleSizePlan.after (the "
                        "distribution after the change).")
        return self.after

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
                    f"{self.baseline}{' → ' + self.after if self.after != self.baseline else ''}"
                    f"{tail}")
        group = (f"{self.n:,} per group" if self.ratio == 1 else
                 f"{self.n:,} in group a and {self.n_b:,} in group b")
        return (f"{self.metric.upper()}: {group} (exact {self.n_exact:,.1f}) to detect a change of "
                f"{self.difference:+g}{units} with {self.power:.0%} power (two-sided α = "
                f"{self.alpha:g}); baseline {self.baseline} → {self.after}{tail}")


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
        The assumed distribution (see :func:`planning_baseline`): NPS ``(detractors,
        passives, promoters)`` in percent or ``"worst-case"``, top-box share in percent, or the
        sd of a mean.
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
    >>> round(margin_of_error("nps", 400, baseline=(20, 30, 50)), 2)
    7.65
    >>> round(margin_of_error("csat", 1000, baseline=80), 2)
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


def _joint_table(joint, k=None):
    """The joint table as probabilities: ``joint`` is in percent (summing to 100); a table of
    probabilities summing to 1 is the deprecated cxkit 0.1 form."""
    J = np.asarray(joint, dtype=float)
    if J.ndim != 2 or J.shape[0] != J.shape[1] or not np.all(np.isfinite(J)) or np.any(J < 0):
        raise ValueError("`joint` must be a square table of non-negative shares in percent "
                         f"(summing to 100), but {joint!r} was passed.")
    if k is not None and J.shape != (k, k):
        raise ValueError(f"`joint` must be a {k}×{k} table in percent summing to 100 (rows: period a, "
                         "columns: period b; order detractor, passive, promoter for NPS, not-top, "
                         "top for top box).")
    total = J.sum()
    if abs(total - 100.0) <= 1e-4:
        return J / 100.0
    if abs(total - 1.0) <= 1e-6:
        warn_deprecated("`joint` as probabilities summing to 1 is the old form; shares are in percent: "
                        "pass the table × 100 (summing to 100).")
        return J
    raise ValueError(f"`joint` must be in percent and sum to 100, but it sums to {total:g}.")


def _paired_variance(base: Baseline, alt: Baseline, correlation, joint):
    """Variance of the per-respondent difference X_b − X_a (fraction / raw units²)."""
    if joint is not None:
        levels = _NPS_LEVELS if base.kind == "nps" else np.array([0.0, 1.0]) if base.kind == "top_box" else None
        if levels is None:
            raise ValueError("`joint` is for NPS (3×3) and top-box (2×2) designs; for means pass `correlation`.")
        k = len(levels)
        J = _joint_table(joint, k)
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
    """Baseline (rows) and after (columns) distributions of a joint table."""
    J = _joint_table(joint)
    if base.kind == "nps" and J.shape == (3, 3):
        r, c = J.sum(axis=1), J.sum(axis=0)
        return (Baseline("nps", promoters=_pct(r[2]), detractors=_pct(r[0]), source="joint"),
                Baseline("nps", promoters=_pct(c[2]), detractors=_pct(c[0]), source="joint"))
    if base.kind == "top_box" and J.shape == (2, 2):
        return (Baseline("top_box", share=_pct(J.sum(axis=1)[1]), source="joint"),
                Baseline("top_box", share=_pct(J.sum(axis=0)[1]), source="joint"))
    raise ValueError("`joint` must be 3×3 (NPS) or 2×2 (top box).")


def _setup(metric, baseline, difference, after, paired, correlation, joint):
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
    if difference is None and after is None:
        raise ValueError("Pass `difference` (in the metric's units) or `after` (the distribution "
                         "after the change).")
    alt = _alt_baseline(base, difference if difference is not None else 0.0, after)
    d = _difference_from(base, alt, difference)
    if (difference is not None and after is not None and base.kind != "mean"
            and abs((alt.value - base.value) - d) > 1e-6):
        raise ValueError(f"`difference` ({d:+g}) and `after` ({alt.value - base.value:+g} from the "
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

def sample_size(metric, *, margin=None, difference=None, baseline, after=None, alpha=0.05,
                power=0.8, paired=False, deff=1.0, population=None, ratio=1.0, conf=None,
                correlation=None, joint=None, alternative=None) -> SampleSizePlan:
    """Responses needed to estimate a CX score within a margin, or to detect a change.

    Give exactly one of ``margin`` (precision of one estimate) or ``difference`` /
    ``after`` (a change between two periods or groups).

    Parameters
    ----------
    metric : {"nps", "csat", "top_box", "ces", "mean"} or MetricSpec
    margin : float, optional
        Target ± half-width in reported units (NPS points, percentage points, raw units).
    difference : float, optional
        Change to detect, in reported units (b − a).
    baseline
        Distribution of group/period *a* (see :func:`planning_baseline`): NPS
        ``(detractors, passives, promoters)`` in percent, ``"worst-case"``, a tally, a
        summarize row or an Estimate; top-box share in percent; or the sd of a mean.
    after : optional
        The distribution of group/period *b*, after the change, in the same forms: NPS
        ``(detractors, passives, promoters)`` in percent; top-box share in percent; for means
        the sd of group *b*.  Default for NPS: half the difference moves into promoters and
        half out of detractors (:func:`nps_after`); for top box p + difference; for means the
        same sd.  (Tests are always two-sided.)
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
        ``baseline``/``after``.
    alternative : optional
        Deprecated name of ``after`` (cxkit 0.1); it warns.  In cxkit ``alternative`` means
        the sidedness of a test.

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
      distribution after the change — the unpooled variance of the change test
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
    >>> sample_size("nps", difference=5, baseline=(20, 30, 50)).n
    3729
    >>> sample_size("ces", difference=0.5, baseline=1.0).n
    64
    """
    from statsmodels.stats.power import NormalIndPower, TTestIndPower, TTestPower
    from statsmodels.stats.proportion import proportion_effectsize, samplesize_confint_proportion

    after = _after_arg(after, alternative, "sample_size")
    spec = metric_spec(metric)
    check_number("alpha", alpha, low=0, high=1, low_open=True, high_open=True)
    check_number("power", power, low=0, high=1, low_open=True, high_open=True)
    check_number("deff", deff, low=0, low_open=True)
    check_number("ratio", ratio, low=0, low_open=True)
    is_margin = margin is not None
    if is_margin == (difference is not None or after is not None or joint is not None):
        raise ValueError("Pass either `margin` (precision of one estimate) or `difference`/"
                         "`after` (a change to detect), not both and not neither.")
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
            n0 = _scalar(samplesize_confint_proportion(base._p, m, alpha=1 - conf)) * deff
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
                              after="", variance_a=base.variance, variance_b=math.nan,
                              conf=conf, formula=formula, **common)
    if population is not None:
        raise ValueError("`population` (finite-population correction) applies to margin designs "
                         "only; the change tests do not use it.")
    spec, base, alt, d = _setup(spec, baseline, difference, after, paired, correlation, joint)
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
                              after=alt.describe(), variance_a=base.variance,
                              variance_b=alt.variance, conf=math.nan, formula=formula, **common)
    if spec.kind == "nps":
        n_exact = zsum ** 2 * (base.variance + alt.variance / ratio) * deff / dfrac ** 2
        formula = "n_a = (z₁₋α/₂ + z₁₋β)² (V_a + V_b/ratio) deff / d²"
    elif spec.kind == "top_box":
        h = proportion_effectsize(alt._p, base._p)
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
                          after=alt.describe(), variance_a=base.variance,
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
        h = proportion_effectsize(alt._p, base._p)
        return NormalIndPower().power(effect_size=abs(h), nobs1=n_eff, alpha=alpha, ratio=ratio,
                                      alternative="two-sided")
    sd = math.sqrt((base.variance + alt.variance / ratio) / (1 + 1 / ratio))
    return TTestIndPower().power(effect_size=abs(d) / sd, nobs1=n_eff, alpha=alpha, ratio=ratio,
                                 alternative="two-sided")


def power(metric, n, *, difference=None, baseline, after=None, alpha=0.05, paired=False,
          deff=1.0, ratio=1.0, correlation=None, joint=None, alternative=None):
    """Power of the two-sided change test at sample size ``n`` (per group) — the inverse of
    :func:`sample_size`.

    Parameters
    ----------
    metric, difference, baseline, after, alpha, paired, deff, ratio, correlation, joint
        As in :func:`sample_size` (``alternative`` is the deprecated name of ``after``).
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
    >>> round(power("nps", 3729, difference=5, baseline=(20, 30, 50)), 3)
    0.8
    """
    after = _after_arg(after, alternative, "power")
    spec = metric_spec(metric)
    check_number("alpha", alpha, low=0, high=1, low_open=True, high_open=True)
    check_number("deff", deff, low=0, low_open=True)
    check_number("ratio", ratio, low=0, low_open=True)
    n_arr = check_numbers("n", n, low=1, low_open=True)
    spec, base, alt, d = _setup(spec, baseline, difference, after, paired, correlation, joint)
    p = np.asarray(_power_at(spec, base, alt, d, n_arr, alpha, paired, deff, ratio, correlation, joint),
                   dtype=float)
    return float(p) if p.ndim == 0 else p


def minimum_detectable_difference(metric, n, *, baseline, alpha=0.05, power=0.8, paired=False,
                                  deff=1.0, ratio=1.0, correlation=None, direction="increase"):
    """Smallest change detectable with the given power at sample size ``n`` (per group).

    Parameters
    ----------
    metric, baseline, alpha, power, paired, deff, ratio, correlation
        As in :func:`sample_size` (the distribution after the change follows the default
        shift rule, :func:`nps_after`).
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
            phi = math.asin(math.sqrt(base._p)) + sign * h / 2
            if 0 <= phi <= math.pi / 2:
                out[i] = abs(math.sin(phi) ** 2 - base._p) * 100.0
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
                      conf=0.95, alpha=0.05, power=0.8, deff=1.0, after=None,
                      alternative=None) -> CadencePlan:
    """How many days/weeks/months until a segment's volume reaches the target.

    Parameters
    ----------
    daily_responses : float
        The segment's current completed responses per day.
    metric, baseline, margin, difference, alpha, power, deff, after
        As in :func:`sample_size` (give ``margin`` or ``difference``; ``alternative`` is the
        deprecated name of ``after``).
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
    >>> print(reporting_cadence(50, metric="nps", baseline=(20, 30, 50), margin=5))
    NPS: 938 responses needed for a margin of ±5; at 50.0 a day that takes 18.8 days (2.7 weeks, 0.62 months): report monthly.
    """
    after = _after_arg(after, alternative, "reporting_cadence")
    check_number("daily_responses", daily_responses, low=0, low_open=True)
    baseline = planning_baseline(metric_spec(metric), baseline)   # read (and warn) once
    if margin is not None:
        plan = sample_size(metric, margin=margin, baseline=baseline, conf=conf, deff=deff)
    else:
        plan = sample_size(metric, difference=difference, baseline=baseline, after=after,
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
        share or sd, as text; and as numbers in ``detractors``/``passives``/``promoters``
        (NPS, percent), ``share`` (top box, percent) or ``sd`` (means)), ``months`` (months with data in the
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
    from ..core.validate import check_columns, with_periods
    from .tally import _tally_core, _to_frame, _weight_column

    if margin is None and difference is None:
        raise ValueError("Pass a target: `margin` and/or `difference`.")
    check_number("lookback", lookback, low=1, integer=True)
    check_conf(conf)
    from ..engines.histograms import engine_frame
    responses = engine_frame(responses, metric, by, weighted)   # engine sources: aggregated
    column, spec = resolve_metric(responses, metric)
    if by is None:
        by = list((getattr(responses, "attrs", {}) or {}).get("cxkit", {}).get("segments", []))
    elif isinstance(by, str):
        by = [by]
    by = list(by)
    check_columns(responses, by, "segment", "by")
    if "period" not in responses.columns:
        raise ValueError("`plan_segments` needs a `period` column (load the survey with a date column).")
    responses = with_periods(responses)     # a period column of texts ("2026-10") is parsed
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
    weight = _weight_column(responses, weighted if isinstance(weighted, str) else True,
                            "weighted") if weighted else None
    rows = []
    groups = [("All", None)] + [(b, b) for b in by]
    for seg, col in groups:
        # an estimate follows: the scores are checked against the metric's scale
        t = _to_frame(_tally_core(window, (column, spec), col, weight))
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
        row["detractors"] = base.detractors if base is not None else math.nan
        row["passives"] = base.passives if base is not None else math.nan
        row["promoters"] = base.promoters if base is not None else math.nan
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
    Reads the ``detractors``/``passives``/``promoters``, ``share`` (percent) or ``sd``
    columns, which :func:`plan_segments` fills from the segment's (weighted) score histogram
    (fractions, as in cxkit 0.1 tables, are read with a DeprecationWarning).

    References
    ----------
    .. [1] Rocks, B. (2016). *The American Statistician*, 70(4), 365–372.

    Examples
    --------
    >>> row_baseline({"detractors": 20.0, "passives": 30.0, "promoters": 50.0}, "nps").variance
    0.61
    """
    if kind == "nps":
        shares = _shares_from_mapping(row, "row")
        if shares is None:
            raise ValueError("An NPS planning row needs `detractors` and `promoters` (percent).")
        return _nps_baseline(shares[0], shares[1], "table", "row")
    if kind == "top_box":
        return Baseline("top_box", share=_top_box_share(float(row["share"]), "row share"), source="table")
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
