"""Did the score really change, and where?  Two-sample comparisons, period-over-period tables,
mix/rate decompositions and precision-weighted trends of CX scores.

Every comparison works on score histograms (counts, and Σw, Σw² per score when weighted; see
:func:`cxkit.tally`) and the moments of the recoded per-response value
(:func:`cxkit.histogram_moments`): NPS +100/0/−100, top box 100/0, means the raw score.  So the
same code compares two raw samples (:func:`compare`), two sets of NPS counts
(:func:`compare_nps_counts`), two periods of a survey overall and per segment
(:func:`score_changes`) and consecutive months of a trend (:func:`trend`).

Conventions (see CONTRIBUTING.md): ``diff`` is always **b − a** (b = the later / report period,
a = the baseline); ``alternative="larger"`` means b > a; NPS and top-box differences are in
points (percentage points), mean differences in raw units.
"""

from __future__ import annotations

import dataclasses
import math
import re
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from ..core.checks import check_alternative, check_argument, check_conf, check_number
from ..core.jsonsafe import json_safe
from ..core.metrics import Estimate, MetricSpec, histogram_moments, metric_spec, resolve_metric
from .estimators import estimate_from_histogram, nps_variance
from ..core.periods import resolve_period
from .tally import _weight_column, tally

__all__ = ["Comparison", "compare", "compare_nps_counts", "compare_nps_paired_counts",
           "ScoreChanges", "score_changes", "Decomposition", "decompose_change", "Trend", "trend",
           "describe_changes", "parse_baseline"]

#: Methods per metric kind; the first is the default.  Top box ``"auto"`` resolves per
#: comparison to ``"barnard"`` (both sides below :data:`EXACT_MAX_N`) or ``"score"``.
METHODS = {
    "nps": ("adjusted-wald", "wald"),
    "top_box": ("auto", "score", "barnard", "wald", "agresti-caffo", "newcomb"),
    "mean": ("welch",),
}
#: Weighted (independent) and paired methods; the first is the default.
WEIGHTED_METHODS = ("linearized-t", "linearized")
PAIRED_METHODS = ("paired-t", "paired-wald")
PAIRED_WEIGHTED_METHODS = ("paired-linearized-t", "paired-linearized")
#: Top box ``method="auto"`` uses Barnard's exact test when both sides have fewer responses.
EXACT_MAX_N = 200
CORRECTIONS = ("holm", "fdr_bh", "bonferroni", "none")
_NPS_VALUES = np.array([-100.0, 0.0, 100.0])


# --------------------------------------------------------------------------------------------
# result type
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Comparison:
    """The difference of a CX score between two samples, b − a, with its test.

    Attributes
    ----------
    metric : str
        Metric name (``"nps"``, ``"csat"``, ``"ces"`` or a configured score name).
    diff : float
        Raw difference of the estimates, value_b − value_a (points for NPS/top box, raw units
        for means).  With ``method="adjusted-wald"`` the *interval* is centred on the adjusted
        difference, but ``diff`` stays the raw one.
    se : float
        Standard error of the difference used by the test (adjusted for "adjusted-wald").
    ci_low, ci_high : float
        Two-sided confidence interval of the difference at level ``conf``.
    statistic : float
        z (or t for Welch / paired t) statistic; positive when b > a.
    p_value : float
        p-value for ``alternative``.
    n_a, n_b : int
        Valid responses in each sample (pairs for paired comparisons).
    n_eff_a, n_eff_b : float
        Kish effective sample sizes (= n unweighted).
    method : str
        Test / interval method actually used, e.g. ``"adjusted-wald"``, ``"barnard"``,
        ``"score"``, ``"welch"``, ``"linearized-t"``, ``"paired-t"``, ``"paired-wald"``.
    value_a, value_b : float
        The two raw estimates.
    conf : float
    alternative : str
    weighted, paired : bool
    n_excluded : int
        Pairs dropped because either side was blank (paired only).
    df : float
        Degrees of freedom of a t statistic (NaN for z tests).
    note : str
        Why a result is NaN (e.g. too few responses); empty otherwise.
    """

    metric: str
    diff: float
    se: float
    ci_low: float
    ci_high: float
    statistic: float
    p_value: float
    n_a: int
    n_b: int
    n_eff_a: float
    n_eff_b: float
    method: str
    value_a: float = math.nan
    value_b: float = math.nan
    conf: float = 0.95
    alternative: str = "two-sided"
    weighted: bool = False
    paired: bool = False
    n_excluded: int = 0
    df: float = math.nan
    note: str = ""
    #: Metric kind ("nps", "top_box", "mean") the comparison was computed as: sets units and
    #: decimals in text (a configured score name such as "ease_find" says nothing about them).
    kind: str = ""

    def to_dict(self) -> dict:
        """The fields as a plain dict of JSON-safe Python scalars."""
        return {k: json_safe(v) for k, v in dataclasses.asdict(self).items()}

    @property
    def units(self) -> str:
        return _units_of(_kind(self))

    def __str__(self) -> str:
        name = _display(self.metric)
        if math.isnan(self.diff):
            return f"{name} change n/a ({self.note or 'no estimate'})"
        dec = _decimals(_kind(self))
        stat = "t" if not math.isnan(self.df) else "z"
        return (f"{name} {_num(self.value_a, dec)} → {_num(self.value_b, dec)}: "
                f"{_signed(self.diff, dec)}{_unit_suffix(_kind(self))} "
                f"({self.conf:.0%} CI {_num(self.ci_low, dec)} to {_num(self.ci_high, dec)}), "
                f"{stat} = {_num(self.statistic, 2)}, {_fmt_p(self.p_value)} "
                f"(n {self.n_a:,} vs {self.n_b:,}{', paired' if self.paired else ''}"
                f"{', weighted' if self.weighted else ''}, {self.method})")


# --------------------------------------------------------------------------------------------
# small formatting helpers
# --------------------------------------------------------------------------------------------
def _kind_of(metric_name: str) -> str:
    """A metric kind, or the kind guessed from a plain metric name ("csat" → "top_box")."""
    if metric_name in ("nps", "top_box", "mean"):
        return metric_name
    return {"csat": "top_box", "ces": "mean"}.get(metric_name, "")


def _kind(result) -> str:
    """The kind a result was computed as; the name-based guess only for results built by hand."""
    return getattr(result, "kind", "") or _kind_of(result.metric)


def _units_of(metric: str) -> str:
    k = _kind_of(metric)
    return {"nps": "points", "top_box": "points"}.get(k, "")


def _decimals(metric) -> int:
    return 2 if _kind_of(metric) == "mean" else 1


def _display(metric: str) -> str:
    return metric.upper() if metric in ("nps", "csat", "ces") else metric


def _unit_suffix(metric) -> str:
    u = _units_of(metric)
    return f" {u}" if u else ""


def _num(x, dec=1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:.{dec}f}".replace("-", "−")


def _signed(x, dec=1) -> str:
    return ("+" if x > 0 else "") + _num(x, dec)


def _fmt_p(p) -> str:
    if p is None or math.isnan(p):
        return "p n/a"
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}" if p < 0.1 else f"p = {p:.2f}"


def _z(conf) -> float:
    return float(stats.norm.ppf(0.5 + conf / 2))


def _p_from_z(z, alternative) -> float:
    if math.isnan(z):
        return math.nan
    if alternative == "two-sided":
        return float(2 * stats.norm.sf(abs(z)))
    if alternative == "larger":
        return float(stats.norm.sf(z))
    return float(stats.norm.cdf(z))


# --------------------------------------------------------------------------------------------
# histograms of recoded values
# --------------------------------------------------------------------------------------------
@dataclass
class _Hist:
    """Histogram of recoded values: value per bin, count, and Σw, Σw² per bin when weighted."""

    values: np.ndarray
    n: np.ndarray
    w: np.ndarray | None = None
    w2: np.ndarray | None = None
    scores: np.ndarray | None = None   # raw score of each bin, when known

    @property
    def total(self) -> int:
        return int(self.n.sum())

    def moments(self):
        return histogram_moments(self.values, self.n, self.w, self.w2)

    def count_where(self, mask_fn) -> float:
        return float(self.n[mask_fn(self.values)].sum())



def _empty_hist(weighted: bool) -> _Hist:
    z = np.zeros(0)
    return _Hist(z, np.zeros(0, dtype=np.int64), z if weighted else None, z if weighted else None)


def _hist_from_values(values, weights=None) -> _Hist:
    """Histogram of already recoded values (NaN dropped)."""
    v = np.asarray(values, dtype=float)
    ok = np.isfinite(v)
    if weights is not None:
        wt = np.asarray(weights, dtype=float)
        if wt.shape != v.shape:
            raise ValueError(f"`weights` has {wt.size} values but the scores have {v.size}.")
        bad = ok & ~(np.isfinite(wt) & (wt >= 0))
        if bad.any():
            raise ValueError(f"`weights` must be finite and >= 0 where the score is valid; "
                             f"{int(bad.sum())} are not (first at position {int(np.flatnonzero(bad)[0])}).")
    u, inv = np.unique(v[ok], return_inverse=True)
    n = np.bincount(inv, minlength=len(u)).astype(np.int64)
    if weights is None:
        return _Hist(u, n)
    wv = wt[ok]
    return _Hist(u, n, np.bincount(inv, weights=wv, minlength=len(u)),
                 np.bincount(inv, weights=wv * wv, minlength=len(u)))


def _hist_from_scores(spec: MetricSpec, scores, weights=None) -> _Hist:
    """Histogram of raw scores (NaN dropped), recoded with ``spec``."""
    h = _hist_from_values(np.asarray(scores, dtype=float), weights)
    return _Hist(spec.values(h.values), h.n, h.w, h.w2, h.values)


def _hists_from_tally(t: pd.DataFrame, spec: MetricSpec, by: list) -> dict:
    """{group key: _Hist} from a tally table (score histogram) grouped by ``by``."""
    out = {}
    weighted = "w" in t.columns
    raw = t["score"].to_numpy(dtype=float)
    vals = spec.values(raw)
    n = t["n"].to_numpy(dtype=np.int64)
    w = t["w"].to_numpy(dtype=float) if weighted else None
    w2 = t["w2"].to_numpy(dtype=float) if weighted else None
    if not by:
        return {(): _Hist(vals, n, w, w2, raw)}
    keys = (pd.MultiIndex.from_frame(t[by].astype(object)) if len(by) > 1
            else pd.Index(t[by[0]].astype(object)))
    codes, uniques = pd.factorize(keys)
    for g, key in enumerate(uniques):
        sel = codes == g
        out[key if len(by) > 1 else (key,)] = _Hist(
            vals[sel], n[sel], None if w is None else w[sel], None if w2 is None else w2[sel],
            raw[sel])
    return out


def _collapse(vals, n, w, w2) -> _Hist:
    """Merge bins with the same recoded value (e.g. NPS scores 0…6 → −100)."""
    u, inv = np.unique(vals, return_inverse=True)
    out_n = np.bincount(inv, weights=n, minlength=len(u)).astype(np.int64)
    if w is None:
        return _Hist(u, out_n)
    return _Hist(u, out_n, np.bincount(inv, weights=w, minlength=len(u)),
                 np.bincount(inv, weights=w2, minlength=len(u)))


def _nps_counts(h: _Hist):
    """(detractors, passives, promoters) counts of an NPS histogram."""
    return (h.count_where(lambda v: v < 0), h.count_where(lambda v: v == 0),
            h.count_where(lambda v: v > 0))


# --------------------------------------------------------------------------------------------
# the comparison engine
# --------------------------------------------------------------------------------------------
def _resolve_method(spec: MetricSpec, method, weighted: bool, paired: bool) -> str:
    if paired:
        if spec.kind == "mean" and not weighted:
            options = ("paired-t",)
        else:
            options = PAIRED_WEIGHTED_METHODS if weighted else PAIRED_METHODS
        if method in (None, "paired"):
            return options[0]
        return check_argument("method", options, method)
    if weighted:
        if method is None:
            return WEIGHTED_METHODS[0]
        if method not in WEIGHTED_METHODS:
            raise ValueError(
                f"Weighted comparisons use the linearised (Taylor) variances: "
                f"method='linearized-t' (default; t on min(n_eff) − 1 df) or 'linearized' (z); "
                f"{method!r} applies to unweighted counts only.")
        return method
    options = METHODS[spec.kind]
    if method is None:
        return options[0]
    return check_argument("method", options, method)


def _nan_comparison(spec, ha, hb, method, conf, alternative, weighted, note, paired=False,
                    n_excluded=0) -> Comparison:
    ma, mb = ha.moments(), hb.moments()
    return Comparison(spec.name, math.nan, math.nan, math.nan, math.nan, math.nan, math.nan,
                      ma.n, mb.n, ma.n_eff, mb.n_eff, method, ma.mean, mb.mean, conf, alternative,
                      weighted, paired, n_excluded, math.nan, note, spec.kind)


def _compare_hists(spec: MetricSpec, ha: _Hist, hb: _Hist, *, method=None, conf=0.95,
                   alternative="two-sided") -> Comparison:
    """Compare two independent histograms of recoded values (b − a)."""
    weighted = ha.w is not None
    method = _resolve_method(spec, method, weighted, False)
    ma, mb = ha.moments(), hb.moments()
    if ma.n == 0 or mb.n == 0:
        return _nan_comparison(spec, ha, hb, method, conf, alternative, weighted,
                               "no valid responses in " + ("a" if ma.n == 0 else "b"))
    diff = mb.mean - ma.mean
    z = _z(conf)
    df = math.nan
    note = ""
    if method in ("linearized", "linearized-t"):
        if ma.n < 2 or mb.n < 2:
            return _nan_comparison(spec, ha, hb, method, conf, alternative, weighted,
                                   "a weighted SE needs at least 2 responses per side")
        se = math.hypot(ma.se, mb.se)
        stat = diff / se if se > 0 else math.nan
        if method == "linearized-t":
            df = _hsu_df(ma.n_eff, mb.n_eff)
            p = _p_from_t(stat, df, alternative)
            q = float(stats.t.ppf(0.5 + conf / 2, df))
        else:
            p, q = _p_from_z(stat, alternative), z
        lo, hi = diff - q * se, diff + q * se
    elif spec.kind == "nps":
        center, se = _nps_diff_arrays(np.array(_nps_counts(ha)), np.array(_nps_counts(hb)),
                                      method == "adjusted-wald")
        center, se = float(center), float(se)
        stat = center / se if se > 0 else math.nan
        p = _p_from_z(stat, alternative)
        lo, hi = center - z * se, center + z * se
        if se == 0:
            note = "zero variance in both samples (all responses in one category)"
    elif spec.kind == "top_box":
        from statsmodels.stats.proportion import (confint_proportions_2indep,
                                                  test_proportions_2indep)
        cb, nb_ = hb.count_where(lambda v: v > 0), mb.n
        ca, na_ = ha.count_where(lambda v: v > 0), ma.n
        if method == "auto":
            method = "barnard" if max(na_, nb_) < EXACT_MAX_N else "score"
        test_method = {"newcomb": "score"}.get(method, method)
        ci_method = {"barnard": "score"}.get(method, method)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            if method == "barnard":
                stat, p = _barnard(cb, nb_, ca, na_, alternative)
            else:
                res = test_proportions_2indep(cb, nb_, ca, na_, method=test_method,
                                              compare="diff", alternative=alternative)
                stat, p = float(res.statistic), float(res.pvalue)
            try:
                ci = confint_proportions_2indep(cb, nb_, ca, na_, method=ci_method,
                                                compare="diff", alpha=1 - conf)
            except ValueError:  # statsmodels' score inversion brackets the root too tightly
                ci = _score_confint_diff(cb, nb_, ca, na_, conf)
        lo, hi = 100 * float(ci[0]), 100 * float(ci[1])
        # SE consistent with the test statistic where it is defined; else the Wald SE
        se = diff / stat if (stat and math.isfinite(stat) and diff != 0) else math.sqrt(
            ma.var / ma.n + mb.var / mb.n)
        # method "newcomb": CI Newcombe hybrid score; test: score (Miettinen–Nurminen)
    else:  # welch
        if ma.n < 2 or mb.n < 2:
            return _nan_comparison(spec, ha, hb, method, conf, alternative, weighted,
                                   "Welch's test needs at least 2 responses per side")
        stat, p, df, se = (float(v) for v in _welch_arrays(ma.mean, ma.var, ma.n, mb.mean,
                                                            mb.var, mb.n, alternative))
        if not se > 0:
            stat, p, df, lo, hi = math.nan, math.nan, math.nan, diff, diff
            note = "zero variance in both samples"
        else:
            tq = float(stats.t.ppf(0.5 + conf / 2, df))
            lo, hi = diff - tq * se, diff + tq * se
    return Comparison(spec.name, float(diff), float(se), float(lo), float(hi), float(stat),
                      float(p), ma.n, mb.n, float(ma.n_eff), float(mb.n_eff), method,
                      float(ma.mean), float(mb.mean), conf, alternative, weighted, False, 0, df,
                      note, spec.kind)


def _hsu_df(n_eff_a, n_eff_b) -> float:
    """Conservative df of a two-sample linearised t: min(n_eff_a, n_eff_b) − 1 (Hsu 1938)."""
    return float(max(min(n_eff_a, n_eff_b) - 1.0, 1.0))


def _p_from_t(t, df, alternative) -> float:
    if math.isnan(t):
        return math.nan
    if alternative == "two-sided":
        return float(2 * stats.t.sf(abs(t), df))
    if alternative == "larger":
        return float(stats.t.sf(t, df))
    return float(stats.t.cdf(t, df))


def _barnard(c1, n1, c2, n2, alternative):
    """Barnard's exact unconditional test of p1 = p2 (sample 1 = b) with the score statistic.

    Returns (T, p): T = (p̂1 − p̂2)/√(p̄(1 − p̄)(1/n1 + 1/n2)) (pooled p̄) and the p-value of
    scipy ``barnard_exact(pooled=True)``, sup over the common p of P(T as or more extreme).
    A table with no successes or no failures at all gives T = 0, p = 1.
    """
    table = [[int(c1), int(c2)], [int(n1 - c1), int(n2 - c2)]]
    alt = {"larger": "greater", "smaller": "less"}.get(alternative, alternative)
    res = stats.barnard_exact(table, alternative=alt, pooled=True)
    stat, p = float(res.statistic), float(res.pvalue)
    if not math.isfinite(stat):
        stat, p = 0.0, 1.0
    return stat, min(max(p, 0.0), 1.0)


def _score_confint_diff(c1, n1, c2, n2, conf):
    """Score (Miettinen–Nurminen) interval of p1 − p2 by inverting statsmodels' score test.

    The same inversion as statsmodels ``confint_proportions_2indep(method="score")``, but with
    a bracket widened step by step until it contains the root: statsmodels' fixed bracket
    (¼ beyond the Wald bound) misses the root when the Wald bound is near 0, e.g.
    264/323 vs 1834/2338 (statsmodels 0.15 raises "f(a) and f(b) must have different signs").
    """
    from scipy import optimize
    from statsmodels.stats.proportion import test_proportions_2indep

    alpha = 1 - conf

    def f(v):
        return test_proportions_2indep(c1, n1, c2, n2, value=v, method="score", compare="diff",
                                       alternative="two-sided").pvalue - alpha

    d = c1 / n1 - c2 / n2
    edge = 1 - 1e-9
    out = []
    for sign in (-1, 1):
        step, prev = 0.01, d
        while True:
            cand = float(np.clip(d + sign * step, -edge, edge))
            if f(cand) < 0 or abs(cand) >= edge:
                break
            prev, step = cand, step * 2
        out.append(optimize.brentq(f, min(prev, cand), max(prev, cand)) if f(cand) < 0 else cand)
    return out[0], out[1]


def _nps_diff_arrays(counts_a, counts_b, adjusted):
    """Centre and SE (points) of NPS_b − NPS_a from (D, Pa, P) counts (arrays of shape (..., 3)).

    Wald: centre = raw difference; SE² = V_a/n_a + V_b/n_b with V = 10⁴[pP + pD − (pP − pD)²].
    Adjusted Wald (Rocks 2016): the same on counts + (¾, 1½, ¾).  Vectorised (benchmarks).
    """
    ca = np.asarray(counts_a, dtype=float)
    cb = np.asarray(counts_b, dtype=float)
    if adjusted:
        add = np.array([0.75, 1.5, 0.75])
        ca, cb = ca + add, cb + add
    out = []
    for c in (ca, cb):
        n = c.sum(axis=-1)
        with np.errstate(all="ignore"):
            pd_, pp = c[..., 0] / n, c[..., 2] / n
        out.append((100 * (pp - pd_), 10_000 * nps_variance(pp, pd_) / n))
    (na_, va), (nb_, vb) = out
    return nb_ - na_, np.sqrt(va + vb)


def _welch_arrays(mean_a, var_a, n_a, mean_b, var_b, n_b, alternative="two-sided"):
    """Welch's t for b − a from plug-in (divisor n) variances; vectorised.

    Returns (t, p, df, se) with SE² = s_a²/n_a + s_b²/n_b (s² = var·n/(n − 1)), the
    Welch–Satterthwaite df, and t, p from scipy ``ttest_ind_from_stats(equal_var=False)``.
    """
    n_a = np.asarray(n_a, dtype=float)
    n_b = np.asarray(n_b, dtype=float)
    with np.errstate(all="ignore"):
        sa2 = np.asarray(var_a, dtype=float) * n_a / (n_a - 1)
        sb2 = np.asarray(var_b, dtype=float) * n_b / (n_b - 1)
        va, vb = sa2 / n_a, sb2 / n_b
        se = np.sqrt(va + vb)
        df = (va + vb) ** 2 / (va * va / (n_a - 1) + vb * vb / (n_b - 1))
        alt = {"larger": "greater", "smaller": "less"}.get(alternative, alternative)
        res = stats.ttest_ind_from_stats(mean_b, np.sqrt(sb2), n_b, mean_a, np.sqrt(sa2), n_a,
                                         equal_var=False, alternative=alt)
    return res.statistic, res.pvalue, df, se


def _compare_paired(spec: MetricSpec, va, vb, weights, *, method, conf, alternative) -> Comparison:
    va = np.asarray(va, dtype=float)
    vb = np.asarray(vb, dtype=float)
    if va.shape != vb.shape:
        raise ValueError(f"Paired comparisons need aligned samples: `a` has {va.size} values, "
                         f"`b` has {vb.size}.")
    ok = np.isfinite(va) & np.isfinite(vb)
    excluded = int((~ok).sum())
    d = vb - va
    d[~ok] = np.nan
    h = _hist_from_values(d, weights)
    weighted = weights is not None
    method = _resolve_method(spec, method, weighted, True)
    ha = _hist_from_values(np.where(ok, va, np.nan), weights)
    hb = _hist_from_values(np.where(ok, vb, np.nan), weights)
    ma, mb, md = ha.moments(), hb.moments(), h.moments()
    if md.n < 2:
        return _nan_comparison(spec, ha, hb, method, conf, alternative, weighted,
                               "fewer than 2 complete pairs", True, excluded)
    return _paired_comparison(spec, ma, mb, md, method=method, conf=conf,
                              alternative=alternative, weighted=weighted, excluded=excluded,
                              d=d[ok])


def _paired_comparison(spec: MetricSpec, ma, mb, md, *, method, conf, alternative,
                       weighted=False, excluded=0, d=None) -> Comparison:
    """Paired result from the moments of a, b and of the differences d = b − a (md).

    ``method`` is "paired-t", "paired-linearized-t" or a paired z method ("paired-wald",
    "paired-linearized").  With the raw differences ``d``, paired-t takes its statistic and
    p-value from scipy's one-sample t test; without them, from diff / SE.
    """
    diff = mb.mean - ma.mean  # = mean of d (same weights)
    df = math.nan
    if method == "paired-t":
        se = math.sqrt(md.var / (md.n - 1))
        df = md.n - 1
        if d is None:
            stat = diff / se if se > 0 else math.nan
            p = _p_from_t(stat, df, alternative)
        elif se > 0:
            alt = {"larger": "greater", "smaller": "less"}.get(alternative, alternative)
            res = stats.ttest_1samp(d, 0.0, alternative=alt)
            stat, p = float(res.statistic), float(res.pvalue)
        else:
            stat, p = math.nan, math.nan
        q = float(stats.t.ppf(0.5 + conf / 2, df))
    elif method == "paired-linearized-t":
        se = md.se  # linearised SE of the weighted mean of d
        df = max(float(md.n_eff) - 1.0, 1.0)
        stat = diff / se if se > 0 else math.nan
        p = _p_from_t(stat, df, alternative)
        q = float(stats.t.ppf(0.5 + conf / 2, df))
    else:
        se = md.se  # plug-in Var(d)/n (exact multinomial covariance), or linearised when weighted
        stat = diff / se if se > 0 else math.nan
        p = _p_from_z(stat, alternative)
        q = _z(conf)
    return Comparison(spec.name, float(diff), float(se), float(diff - q * se),
                      float(diff + q * se), float(stat), float(p), md.n, md.n, float(md.n_eff),
                      float(md.n_eff), method, float(ma.mean), float(mb.mean), conf, alternative,
                      weighted, True, excluded, float(df),
                      "" if se > 0 else "no variation in the paired differences", spec.kind)


# --------------------------------------------------------------------------------------------
# public two-sample API
# --------------------------------------------------------------------------------------------
def compare(a, b, *, metric="nps", weights_a=None, weights_b=None, paired=False, method=None,
            conf=0.95, alternative="two-sided") -> Comparison:
    """Compare a CX score between two samples of raw scores: is the change b − a real?

    Parameters
    ----------
    a, b : array_like
        Raw scores of the baseline (a) and the comparison sample (b), e.g. last month and this
        month; NaN = blank (dropped).  With ``paired=True`` they are aligned ratings of the same
        respondents (e.g. own brand and a competitor) and pairs with a blank on either side are
        dropped and counted in ``n_excluded``.
    metric : {"nps", "csat", "ces", "top_box", "mean"} or MetricSpec, default "nps"
        Parsed with :func:`cxkit.metric_spec` (``"csat"`` = top box 4–5; a MetricSpec gives
        other top boxes).
    weights_a, weights_b : array_like, optional
        Survey weights; when given (both), the linearised variances of
        :func:`cxkit.histogram_moments` are used with a t reference
        (``method="linearized-t"``, default) or a z test (``"linearized"``).  For paired data
        pass the respondents' weights as ``weights_a``.
    paired : bool, default False
        Same respondents on both sides: the test uses the per-respondent differences.
    method : str, optional
        NPS: ``"adjusted-wald"`` (default) or ``"wald"``.  Top box / CSAT: ``"auto"``
        (default: ``"barnard"`` when both sides have fewer than 200 responses, else
        ``"score"``; the result's ``method`` says which), ``"barnard"`` (Barnard's exact
        unconditional test with the score statistic, Miettinen–Nurminen score interval),
        ``"score"`` (Miettinen–Nurminen score test and interval), ``"wald"``,
        ``"agresti-caffo"``, ``"newcomb"`` (Newcombe's hybrid-score interval with the score
        test).  Means / CES: ``"welch"``.  Weighted: ``"linearized-t"`` (default) or
        ``"linearized"`` (z).  Paired: ``"paired-t"`` (default; ``"paired"`` is an alias) or
        ``"paired-wald"`` (NPS, top box; z with the plug-in SE); weighted paired
        ``"paired-linearized-t"`` (default) or ``"paired-linearized"`` (z).
    conf : float, default 0.95
        Level of the two-sided interval of the difference (also reported for one-sided tests).
    alternative : {"two-sided", "larger", "smaller"}, default "two-sided"
        ``"larger"``: b > a.

    Returns
    -------
    Comparison
        ``diff`` (b − a, raw), ``se``, ``ci_low``, ``ci_high``, ``statistic``, ``p_value``,
        ``n_a``, ``n_b``, ``n_eff_a``, ``n_eff_b``, ``method``, ``value_a``, ``value_b`` …

    Notes
    -----
    With recoded values x (NPS ±100/0, top box 100/0, means raw), the per-response plug-in
    variance is V = Σ p_k x_k² − (Σ p_k x_k)²; for NPS V = 10⁴[pP + pD − (pP − pD)²].

    * **NPS, Wald**: z = (NPS_b − NPS_a) / SE, SE² = V_a/n_a + V_b/n_b.
    * **NPS, adjusted Wald** (default): add ¾ promoter, ¾ detractor and 1½ passives to each
      sample (n + 3), recompute NPS and V on the adjusted counts, and use the adjusted
      difference as the centre of the interval and the numerator of z (Rocks 2016; MeasuringU).
      ``diff`` reports the raw difference.  Adding the pseudo-observations keeps the interval
      and the test away from degenerate zero-variance samples and improves coverage at small n.
    * **Top box**: statsmodels ``test_proportions_2indep`` / ``confint_proportions_2indep``
      with ``compare="diff"`` (b is sample 1), in percentage points.  The default ``"auto"``
      uses **Barnard's exact unconditional test** when both sides have fewer than 200
      responses: T = (p̂_b − p̂_a)/√(p̄(1 − p̄)(1/n_a + 1/n_b)) with the pooled share p̄ (the
      score statistic at a zero difference), p = sup over the common share π of
      P_π(|T| ≥ |t_obs|) under two independent binomials (scipy ``barnard_exact``,
      ``pooled=True``), so the size is at most α by construction.  The asymptotic score test
      exceeds α + 0.5 pp on the lattice of two small equal binomials (5.7 % at 50 vs 50);
      Barnard's test does not, and is less conservative than Boschloo's (which doubles a
      one-sided p).  The interval stays the Miettinen–Nurminen score interval, which inverts
      the asymptotic score test: in rare borderline cases it can exclude 0 while Barnard's
      p ≥ α.  ``se`` = diff / T.  From 200 a side the score test is used (its exact size is
      within 5.5 % there, and Barnard's test becomes slow for large unequal samples).
    * **Means**: Welch's t = (x̄_b − x̄_a)/√(s_a²/n_a + s_b²/n_b) with Welch–Satterthwaite df
      (scipy ``ttest_ind_from_stats(equal_var=False)``).
    * **Weighted**: t = diff / √(se_a² + se_b²) with the Taylor-linearised SEs (``svymean``)
      and Student's t on df = min(n_eff,a, n_eff,b) − 1 (Kish effective sizes; Hsu's
      conservative df for unequal variances, Hsu 1938, Scheffé 1970).  The z test
      (``"linearized"``) rejects up to 6 % at n = 50 a side; the Welch–Satterthwaite df on
      n_eff − 1 per side (Satterthwaite 1946) still gave 5.6 % with unequal sides (50 vs 200),
      Hsu's df keeps 5.5 % (``benchmarks/size.py``).
    * **Paired**: d_i = x_b,i − x_a,i; diff = mean(d).  Default ``"paired-t"``: the paired t
      test on the recoded values, SE² = s_d²/n (divisor n − 1), t on n − 1 df (Student 1908;
      scipy ``ttest_rel``).  ``"paired-wald"``: SE² = Var(d)/n with the plug-in variance — for
      NPS the exact multinomial variance of the 3×3 joint table, Var(NPS_b − NPS_a) =
      [V_a + V_b − 2 Cov(x_a, x_b)]/n — and a z test; it rejects up to 6.4 % (NPS) and 7 %
      (top box) at n = 50 pairs.  Weighted paired: the linearised SE of the weighted mean of d
      with t on n_eff − 1 df (``"paired-linearized-t"``) or z (``"paired-linearized"``).

    References
    ----------
    .. [1] Rocks, B. (2016). Interval estimation for the "net promoter score". *The American
       Statistician* 70(4), 365–372.
    .. [2] Sauro, J. (2017). How to compare two Net Promoter Scores. MeasuringU.
    .. [3] Agresti, A., & Caffo, B. (2000). Simple and effective confidence intervals for
       proportions and differences of proportions result from adding two successes and two
       failures. *The American Statistician* 54(4), 280–288.
    .. [4] Newcombe, R. G. (1998). Interval estimation for the difference between independent
       proportions: comparison of eleven methods. *Statistics in Medicine* 17, 873–890.
    .. [5] Miettinen, O., & Nurminen, M. (1985). Comparative analysis of two rates.
       *Statistics in Medicine* 4, 213–226.
    .. [6] Welch, B. L. (1947). The generalization of "Student's" problem when several
       different population variances are involved. *Biometrika* 34, 28–35.
    .. [7] Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, ch. 2.
    .. [8] Barnard, G. A. (1947). Significance tests for 2 × 2 tables. *Biometrika* 34,
       123–138; Suissa, S., & Shuster, J. J. (1985). Exact unconditional sample sizes for the
       2 × 2 binomial trial. *JRSS A* 148, 317–327 (pooled-z ordering); Lydersen, S.,
       Fagerland, M. W., & Laake, P. (2009). Recommended tests for association in 2 × 2
       tables. *Statistics in Medicine* 28, 1159–1175.
    .. [9] Hsu, P. L. (1938). Contributions to the theory of "Student's" t-test as applied to
       the problem of two samples. *Statistical Research Memoirs* 2, 1–24; Scheffé, H.
       (1970). Practical solutions of the Behrens–Fisher problem. *JASA* 65, 1501–1508.
    .. [10] Satterthwaite, F. E. (1946). An approximate distribution of estimates of variance
       components. *Biometrics Bulletin* 2, 110–114.
    .. [11] Kish, L. (1965). *Survey Sampling*. Wiley (effective sample size).
    .. [12] Student (1908). The probable error of a mean. *Biometrika* 6, 1–25.

    Examples
    --------
    >>> import numpy as np
    >>> a = np.repeat([0, 7, 10], [30, 40, 130])      # NPS 50
    >>> b = np.repeat([0, 7, 10], [45, 55, 100])      # NPS 27.5
    >>> r = compare(a, b, method="wald")
    >>> round(r.diff, 1), round(r.se, 3), round(r.statistic, 3), round(r.p_value, 4)
    (-22.5, 7.744, -2.905, 0.0037)
    >>> top_a = np.repeat([2, 5], [30, 20])           # CSAT 40 % (top box 4–5)
    >>> top_b = np.repeat([2, 5], [18, 32])           # CSAT 64 %
    >>> c = compare(top_a, top_b, metric="csat")      # 50 a side: Barnard's exact test
    >>> c.method, round(c.diff, 1), round(c.statistic, 3)
    ('barnard', 24.0, 2.402)
    """
    check_conf(conf)
    check_alternative(alternative)
    spec = metric_spec(metric)
    if paired:
        if weights_b is not None and weights_a is None:
            weights_a = weights_b
        return _compare_paired(spec, spec.values(a), spec.values(b), weights_a, method=method,
                               conf=conf, alternative=alternative)
    if (weights_a is None) != (weights_b is None):
        raise ValueError("Pass weights for both samples (`weights_a` and `weights_b`) or neither.")
    ha = _hist_from_scores(spec, a, weights_a)
    hb = _hist_from_scores(spec, b, weights_b)
    return _compare_hists(spec, ha, hb, method=method, conf=conf, alternative=alternative)


def _counts3(x, name):
    arr = np.asarray(x, dtype=float).ravel()
    if arr.size != 3 or not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"`{name}` must be three non-negative counts (detractors, passives, "
                         f"promoters), but {x!r} was passed.")
    return arr


def compare_nps_counts(a, b, *, method="adjusted-wald", conf=0.95,
                       alternative="two-sided") -> Comparison:
    """Compare two NPS given as (detractors, passives, promoters) counts: NPS_b − NPS_a.

    Parameters
    ----------
    a, b : sequence of 3 numbers
        (detractors, passives, promoters) of the baseline (a) and the comparison sample (b).
    method : {"adjusted-wald", "wald"}, default "adjusted-wald"
    conf : float, default 0.95
    alternative : {"two-sided", "larger", "smaller"}, default "two-sided"

    Returns
    -------
    Comparison

    Notes
    -----
    NPS = 100(P − D)/n; V = 10⁴[pP + pD − (pP − pD)²]; z = ΔNPS/√(V_a/n_a + V_b/n_b).  The
    adjusted-Wald form first adds (¾, 1½, ¾) to (D, Pa, P) of each sample (n + 3) and centres
    the interval and z on the adjusted difference; ``diff`` is the raw difference.  See
    :func:`compare`.

    References
    ----------
    .. [1] Rocks, B. (2016). Interval estimation for the "net promoter score". *The American
       Statistician* 70(4), 365–372.
    .. [2] Sauro, J. (2017). How to compare two Net Promoter Scores. MeasuringU.

    Examples
    --------
    >>> r = compare_nps_counts((30, 40, 130), (45, 55, 100), method="wald")
    >>> round(r.diff, 1), round(r.se, 3), round(r.statistic, 3), round(r.p_value, 4)
    (-22.5, 7.744, -2.905, 0.0037)
    """
    check_conf(conf)
    check_alternative(alternative)
    ca, cb = _counts3(a, "a"), _counts3(b, "b")
    spec = metric_spec("nps")
    ha = _Hist(_NPS_VALUES.copy(), ca)
    hb = _Hist(_NPS_VALUES.copy(), cb)
    return _compare_hists(spec, ha, hb, method=check_argument("method", METHODS["nps"], method),
                          conf=conf, alternative=alternative)


def compare_nps_paired_counts(table, *, method="paired-wald", conf=0.95,
                              alternative="two-sided") -> Comparison:
    """Paired NPS difference from the 3×3 joint table of the same respondents' categories.

    Parameters
    ----------
    table : 3×3 array_like
        Counts with rows = category on side a (detractor, passive, promoter) and columns =
        category on side b, e.g. rows = a competitor, columns = own brand.
    method : {"paired-wald", "paired-t"}, default "paired-wald"
        ``"paired-wald"``: plug-in SE and a z test (the issue's reference form, and the variance
        :func:`cxkit.sample_size` plans with).  ``"paired-t"``: the paired t test on the
        per-respondent differences (SE with divisor n − 1, t on n − 1 df), the default of
        ``compare(..., paired=True)``, which keeps its size at small n (the Wald form rejects
        up to 6.4 % at n = 50 for α = 5 %; ``benchmarks/size.py``).
    conf : float, default 0.95
    alternative : {"two-sided", "larger", "smaller"}, default "two-sided"

    Returns
    -------
    Comparison
        ``diff`` = NPS_b − NPS_a (columns minus rows), ``paired=True``, ``method``.

    Notes
    -----
    Each respondent's difference d = x_b − x_a takes values in {−200, −100, 0, 100, 200}.
    diff = Σ_ij n_ij d_ij / n and SE² = Var(d)/n with Var(d) = Σ_ij n_ij (d_ij − diff)²/n,
    the exact multinomial variance of the difference of two correlated NPS (equivalently
    [V_a + V_b − 2 Cov]/n), and z = diff/SE (``"paired-wald"``).  ``"paired-t"`` uses
    SE² = Var(d)/(n − 1) = s_d²/n and Student's t with n − 1 df (Student 1908), i.e.
    ``scipy.stats.ttest_rel`` on the recoded values.  Treating the two ratings as independent
    samples ignores the positive covariance and overstates the SE.

    References
    ----------
    .. [1] Rocks, B. (2016). Interval estimation for the "net promoter score". *The American
       Statistician* 70(4), 365–372 (variance of NPS as a difference of multinomial
       proportions).
    .. [2] Agresti, A. (2013). *Categorical Data Analysis*, 3rd ed., Wiley, §11.1 (matched
       pairs, difference of dependent proportions).

    Examples
    --------
    >>> r = compare_nps_paired_counts([[20, 8, 2], [10, 25, 5], [15, 35, 80]])
    >>> round(r.value_a, 1), round(r.value_b, 1), round(r.diff, 1), round(r.se, 3)
    (50.0, 21.0, -29.0, 5.224)
    >>> round(r.statistic, 3), r.method
    (-5.551, 'paired-wald')
    """
    check_conf(conf)
    check_alternative(alternative)
    method = check_argument("method", PAIRED_METHODS[::-1], method)
    t = np.asarray(table, dtype=float)
    if t.shape != (3, 3) or not np.all(np.isfinite(t)) or np.any(t < 0):
        raise ValueError("`table` must be a 3×3 table of non-negative counts (rows: a's "
                         f"detractor/passive/promoter, columns: b's), but {table!r} was passed.")
    ia, ib = np.meshgrid(np.arange(3), np.arange(3), indexing="ij")
    # expand to per-cell values with counts as frequency weights of a histogram of d
    d = (_NPS_VALUES[ib] - _NPS_VALUES[ia]).ravel()
    h = _collapse(d, t.ravel(), None, None)
    md = h.moments()
    ha = _Hist(_NPS_VALUES.copy(), t.sum(axis=1))
    hb = _Hist(_NPS_VALUES.copy(), t.sum(axis=0))
    ma, mb = ha.moments(), hb.moments()
    if md.n < 2:
        return _nan_comparison(metric_spec("nps"), ha, hb, method, conf, alternative,
                               False, "fewer than 2 pairs", True)
    # n_eff = n: the collapsed histogram has whole counts
    return _paired_comparison(metric_spec("nps"), ma, mb, md, method=method, conf=conf,
                              alternative=alternative)


# --------------------------------------------------------------------------------------------
# periods, baselines and tallies of a responses table
# --------------------------------------------------------------------------------------------
_PER_YEAR = {"M": 12, "Q": 4, "Y": 1}


def parse_baseline(baseline, period, responses=None) -> list:
    """The baseline periods of a comparison with the report period ``period``.

    Parameters
    ----------
    baseline : str, pandas.Period or list of them
        ``"previous"`` — the period before ``period``; ``"previous-k"`` (e.g. ``"previous-3"``)
        — the k periods before ``period``, pooled into one baseline sample;
        ``"same-last-year"`` — the same month (quarter) one year earlier; an explicit period
        (``"2026-04"``, ``"2017"``, a Period); or a list of periods (pooled).
    period : pandas.Period
        The report period.
    responses : pandas.DataFrame, optional
        Gives the period frequency for explicit periods.

    Returns
    -------
    list of pandas.Period

    Examples
    --------
    >>> import pandas as pd
    >>> [str(p) for p in parse_baseline("previous-3", pd.Period("2026-10", "M"))]
    ['2026-07', '2026-08', '2026-09']
    >>> [str(p) for p in parse_baseline("same-last-year", pd.Period("2026-10", "M"))]
    ['2025-10']
    """
    if isinstance(baseline, (list, tuple)):
        out = [resolve_period(b, responses) for b in baseline]
    elif isinstance(baseline, pd.Period):
        out = [baseline]
    else:
        text = str(baseline).strip().lower()
        m = re.fullmatch(r"previous(?:[-_ ](\d+))?", text)
        if m:
            k = int(m.group(1) or 1)
            if k < 1:
                raise ValueError("`baseline='previous-k'` needs k >= 1.")
            out = [period - j for j in range(k, 0, -1)]
        elif text in ("same-last-year", "last-year", "yoy"):
            out = [period - _PER_YEAR.get(period.freqstr[0], 12)]
        else:
            try:
                out = [resolve_period(baseline, responses)]
            except ValueError as exc:
                raise ValueError(
                    f"Cannot read baseline {baseline!r}: use 'previous', 'previous-3' (the 3 "
                    f"previous periods pooled), 'same-last-year', a period such as '2026-04', or "
                    f"a list of periods.") from exc
    if any(p == period for p in out):
        raise ValueError(f"The baseline {baseline!r} includes the report period {period}.")
    return out


def _label(periods) -> str:
    periods = sorted(periods)
    if len(periods) == 1:
        return str(periods[0])
    consecutive = all(periods[i + 1] == periods[i] + 1 for i in range(len(periods) - 1))
    return f"{periods[0]}..{periods[-1]}" if consecutive else ", ".join(map(str, periods))


def _weight_col(responses, weighted):
    """``weighted`` (falsy, truthy, or a column name) → weight column name or None."""
    if not weighted:
        return None
    return _weight_column(responses, weighted if isinstance(weighted, str) else True)


def _period_column(responses):
    if "period" not in responses.columns:
        raise ValueError("The responses table has no `period` column; configure `date:` and "
                         "`period:` in the survey YAML (cxkit.load_survey adds it).")
    return responses["period"]


def _side_tally(responses, column, spec, wcol, side_of_period: dict, by: list):
    """Tally of the responses in the given periods, grouped by side label and ``by``."""
    per = _period_column(responses)
    side = per.map(side_of_period)
    mask = side.notna().to_numpy()
    cols = [column] + list(by) + ([wcol] if wcol else [])
    sub = responses.loc[mask, cols].copy()
    sub["_side"] = side[mask].astype(str).to_numpy()
    return tally(sub, (column, spec), by=["_side"] + list(by), weight=wcol)


def _side_estimate(spec: MetricSpec, h: _Hist, conf: float) -> Estimate:
    """Estimate (value and interval) of one side, by the core's default method."""
    weighted = h.w is not None
    if h.total == 0:
        return Estimate(spec.name, math.nan, math.nan, math.nan, math.nan, 0, 0.0, conf, "",
                        weighted, "no valid responses")
    return estimate_from_histogram(h.scores, h.n, h.w, h.w2, metric=spec, conf=conf)


def _adjust(p, alpha, correction):
    """Adjusted p-values (NaN kept) with statsmodels ``multipletests``."""
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    if ok.any():
        if correction == "none":
            out[ok] = p[ok]
        else:
            from statsmodels.stats.multitest import multipletests
            out[ok] = multipletests(p[ok], alpha=alpha, method=correction)[1]
    return out


_ROW_FIELDS = ["diff", "se", "ci_low", "ci_high", "statistic", "p_value", "n_a", "n_b",
               "n_eff_a", "n_eff_b", "method"]


def _row(dimension, level, comparison, ea: Estimate, eb: Estimate, c: Comparison | None,
         too_few: bool) -> dict:
    row = {"dimension": dimension, "level": level, "comparison": comparison,
           "value_a": ea.value, "ci_low_a": ea.ci_low, "ci_high_a": ea.ci_high,
           "value_b": eb.value, "ci_low_b": eb.ci_low, "ci_high_b": eb.ci_high}
    if c is None:
        row.update({k: math.nan for k in _ROW_FIELDS})
        row.update({"n_a": ea.n, "n_b": eb.n, "n_eff_a": ea.n_eff, "n_eff_b": eb.n_eff,
                    "method": "", "diff": eb.value - ea.value})
    else:
        row.update({k: getattr(c, k) for k in _ROW_FIELDS})
    row["too_few"] = too_few
    return row


# --------------------------------------------------------------------------------------------
# period-over-period table
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScoreChanges:
    """Result of :func:`score_changes`: is the report period's score different, and where?

    Attributes
    ----------
    metric : str
    period : str
        Report period (sample b).
    baseline : str
        Baseline period(s) (sample a), e.g. ``"2026-09"`` or ``"2026-07..2026-09"`` (pooled).
    overall : Comparison
        The headline test b − a over all responses.
    table : pandas.DataFrame
        Period-over-period rows: first the overall row (``dimension="overall"``, ``level="all"``),
        then one row per segment level.  Columns ``dimension, level, comparison, value_a,
        ci_low_a, ci_high_a, value_b, ci_low_b, ci_high_b, diff, se, ci_low, ci_high, statistic,
        p_value, n_a, n_b, n_eff_a, n_eff_b, method, too_few, p_adj, significant``.  ``p_adj``
        is adjusted for multiplicity across all segment rows (the overall row is its own
        family: ``p_adj = p_value``).
    vs_rest : pandas.DataFrame
        Same columns; each segment level in the report period (b) against the rest of the same
        period (a), so ``diff < 0`` means "below the rest"; adjusted as one family.
    weighted : bool
    conf, alpha : float
    correction : str
    min_n : int
    """

    metric: str
    period: str
    baseline: str
    overall: Comparison
    table: pd.DataFrame = field(repr=False)
    vs_rest: pd.DataFrame = field(repr=False)
    weighted: bool = False
    conf: float = 0.95
    alpha: float = 0.05
    correction: str = "holm"
    min_n: int = 30
    kind: str = ""

    def significant(self, which="table") -> pd.DataFrame:
        """Segment rows flagged significant (``which="table"`` or ``"vs_rest"``)."""
        t = self.table if which == "table" else self.vs_rest
        return t[t["significant"] & (t["dimension"] != "overall")]

    def to_dict(self) -> dict:
        """JSON-safe headline numbers: the overall change and the significant segments."""
        def rows(t):
            return [{k: json_safe(r[k]) for k in ("dimension", "level", "value_a", "value_b",
                                                  "diff", "ci_low", "ci_high", "p_value", "p_adj")}
                    for _, r in t.iterrows()]
        return {"metric": self.metric, "period": self.period, "baseline": self.baseline,
                "weighted": self.weighted, "conf": self.conf, "alpha": self.alpha,
                "correction": self.correction, "overall": self.overall.to_dict(),
                "significant_changes": rows(self.significant("table")),
                "significant_vs_rest": rows(self.significant("vs_rest"))}

    def headline(self) -> dict:
        """The overall change as a JSON-safe dict for report summaries: ``metric, period,
        baseline, value_a, value_b, diff, ci_low, ci_high, p_value, significant, weighted,
        method, n_a, n_b``, plus ``significant_segments`` (list of "dimension level" labels)."""
        c = self.overall
        return {"metric": self.metric, "period": self.period, "baseline": self.baseline,
                "value_a": json_safe(c.value_a), "value_b": json_safe(c.value_b),
                "diff": json_safe(c.diff), "ci_low": json_safe(c.ci_low),
                "ci_high": json_safe(c.ci_high), "p_value": json_safe(c.p_value),
                "significant": bool(c.p_value < self.alpha) if math.isfinite(c.p_value) else False,
                "weighted": self.weighted, "method": c.method, "n_a": c.n_a, "n_b": c.n_b,
                "conf": self.conf,
                "significant_segments": [f"{r.dimension} {r.level}" for r in
                                         self.significant("table").itertuples()]}

    def __str__(self) -> str:
        return describe_changes(self)


def score_changes(responses, metric="nps", period="latest", baseline="previous", by=None,
                  alpha=0.05, correction="holm", min_n=30, weighted=False, conf=None,
                  method=None) -> ScoreChanges:
    """Did the score change from the baseline to the report period — overall and per segment?

    Parameters
    ----------
    responses : pandas.DataFrame
        Canonical responses table (:func:`cxkit.load_survey`) with a ``period`` column.
    metric : str, MetricSpec or (column, kind), default "nps"
        Score to compare, resolved with :func:`cxkit.resolve_metric`.
    period : str or pandas.Period, default "latest"
        Report period (sample b): ``"latest"`` (latest complete period), ``"2026-10"``, ``"2018"``.
    baseline : str, Period or list, default "previous"
        Sample a; see :func:`parse_baseline`: ``"previous"``, ``"previous-3"`` (3 periods
        pooled), ``"same-last-year"``, an explicit period, or a list of periods.
    by : str or list of str, optional
        Segment columns; default: the configured segments (``attrs["cxkit"]["segments"]``).
    alpha : float, default 0.05
        Significance level of the ``significant`` flag (on adjusted p-values).
    correction : {"holm", "fdr_bh", "bonferroni", "none"}, default "holm"
        Multiplicity adjustment across segment rows (statsmodels ``multipletests``).
    min_n : int, default 30
        Rows where either side has fewer valid responses get ``too_few=True`` and no test.
    weighted : bool or str, default False
        Use the survey weights (linearised variances, t on min(n_eff) − 1 df; see
        :func:`compare`).
    conf : float, optional
        Interval level; default ``1 − alpha``.
    method : str, optional
        Test method (see :func:`compare`); default: the metric's default.

    Returns
    -------
    ScoreChanges
        ``.overall`` (Comparison), ``.table`` (period over period), ``.vs_rest`` (each segment
        level against the rest of the report period); ``str()`` is :func:`describe_changes`.

    Notes
    -----
    Works from score histograms (:func:`cxkit.tally` by side and segment), so the raw rows are
    read once per segment dimension.  Each row is a :func:`compare` of the two histograms
    (b − a).  Segment rows are one family of tests: adjusted p-values by Holm's step-down
    method (default; controls the family-wise error rate) or Benjamini–Hochberg (``"fdr_bh"``,
    controls the false discovery rate); ``significant = p_adj < alpha``.  The vs-rest table is
    a second family (it asks a different question: "where are we below average this period?",
    which is worth knowing even when nothing changed).  Segment and rest are disjoint samples,
    so the independent-samples tests apply.

    References
    ----------
    .. [1] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       *Scandinavian Journal of Statistics* 6, 65–70.
    .. [2] Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate.
       *JRSS B* 57, 289–300.
    .. [3] Rocks, B. (2016). Interval estimation for the "net promoter score". *The American
       Statistician* 70(4), 365–372.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> df = pd.DataFrame({
    ...     "period": pd.PeriodIndex(["2026-09"] * 200 + ["2026-10"] * 200, freq="M"),
    ...     "region": ["N", "S"] * 200,
    ...     "nps": np.r_[np.tile([10, 9, 8, 3], 50), np.tile([10, 3, 8, 3, 10, 9, 8, 3], 25)]})
    >>> res = score_changes(df, "nps", "2026-10", by="region")
    >>> print(res.table[["level", "value_a", "value_b", "diff", "p_adj", "significant"]]
    ...       .round(3).to_string(index=False))
    level  value_a  value_b  diff  p_adj  significant
      all     25.0      0.0 -25.0  0.003         True
        N     50.0     50.0   0.0  1.000        False
        S      0.0    -50.0 -50.0  0.000         True
    >>> print(res.overall)
    NPS 25.0 → 0.0: −25.0 points (95% CI −41.1 to −8.2), z = −2.93, p = 0.003 (n 200 vs 200, adjusted-wald)

    On a loaded survey: ``responses, _ = cxkit.load_survey("demo")`` then
    ``score_changes(responses, "nps")`` (latest month vs the previous one, every segment).
    """
    check_number("alpha", alpha, low=0, high=1, low_open=True, high_open=True)
    conf = check_conf(1 - alpha if conf is None else conf)
    check_argument("correction", CORRECTIONS, correction)
    check_number("min_n", min_n, low=0, integer=True)
    column, spec = resolve_metric(responses, metric)
    if by is None:
        by = list((getattr(responses, "attrs", {}) or {}).get("cxkit", {}).get("segments", []))
    elif isinstance(by, str):
        by = [by]
    by = list(by)
    wcol = _weight_col(responses, weighted)
    p = resolve_period(period, responses)
    base = parse_baseline(baseline, p, responses)
    sides = {p: "b", **{q: "a" for q in base}}
    present = set(_period_column(responses).dropna().unique())
    missing = [str(q) for q in [p] + base if q not in present]
    if missing:
        raise ValueError(f"No responses in period(s) {missing}; the data cover "
                         f"{_label(sorted(present)) if present else 'no periods'}.")
    empty = _empty_hist(wcol is not None)

    def test(ha, hb):
        if ha.total < min_n or hb.total < min_n:
            return None, True
        return _compare_hists(spec, ha, hb, method=method, conf=conf), False

    hs = _hists_from_tally(_side_tally(responses, column, spec, wcol, sides, []), spec,
                           ["_side"])
    ha, hb = hs.get(("a",), empty), hs.get(("b",), empty)
    overall = _compare_hists(spec, ha, hb, method=method, conf=conf)
    if ha.total < min_n or hb.total < min_n:
        overall = dataclasses.replace(overall, note="; ".join(
            x for x in (overall.note, f"fewer than min_n={min_n} responses on a side") if x))
    rows = [_row("overall", "all", "period", _side_estimate(spec, ha, conf),
                 _side_estimate(spec, hb, conf), overall, ha.total < min_n or hb.total < min_n)]
    rest_rows = []
    for dim in by:
        t = _side_tally(responses, column, spec, wcol, sides, [dim])
        hd = _hists_from_tally(t, spec, ["_side", dim])
        col = responses[dim]
        levels = list(col.cat.categories) if isinstance(col.dtype, pd.CategoricalDtype) else \
            sorted(pd.unique(col.dropna()), key=str)
        for lev in levels:
            la, lb = hd.get(("a", lev)), hd.get(("b", lev))
            if la is None and lb is None:
                continue
            la, lb = la or empty, lb or empty
            c, few = test(la, lb)
            rows.append(_row(dim, lev, "period", _side_estimate(spec, la, conf),
                             _side_estimate(spec, lb, conf), c, few))
        # this period: level vs rest of the same period
        b_levels = [lev for lev in levels if ("b", lev) in hd]
        for lev in b_levels:
            others = [hd[("b", o)] for o in b_levels if o != lev]
            if not others:
                continue
            rest = _merge(others)
            c, few = test(rest, hd[("b", lev)])
            rest_rows.append(_row(dim, lev, "vs rest", _side_estimate(spec, rest, conf),
                                  _side_estimate(spec, hd[("b", lev)], conf), c, few))
    table = _finish(pd.DataFrame(rows), alpha, correction, skip_first=True)
    vs_rest = _finish(pd.DataFrame(rest_rows, columns=table.columns[:-2]), alpha, correction,
                      skip_first=False)
    return ScoreChanges(spec.name, str(p), _label(base), overall, table, vs_rest,
                        wcol is not None, conf, alpha, correction, int(min_n), spec.kind)


def _merge(hists) -> _Hist:
    return _Hist(np.concatenate([h.values for h in hists]),
                 np.concatenate([h.n for h in hists]),
                 None if hists[0].w is None else np.concatenate([h.w for h in hists]),
                 None if hists[0].w2 is None else np.concatenate([h.w2 for h in hists]),
                 np.concatenate([h.scores for h in hists]))


def _finish(t: pd.DataFrame, alpha, correction, skip_first) -> pd.DataFrame:
    t = t.copy()
    if t.empty:
        t["p_adj"] = pd.Series(dtype=float)
        t["significant"] = pd.Series(dtype=bool)
        return t
    p = t["p_value"].to_numpy(dtype=float)
    adj = np.full(len(t), np.nan)
    start = 1 if skip_first else 0
    adj[start:] = _adjust(p[start:], alpha, correction)
    if skip_first:
        adj[0] = p[0]
    t["p_adj"] = adj
    t["significant"] = (np.nan_to_num(adj, nan=1.0) < alpha) & ~t["too_few"].to_numpy(dtype=bool)
    for c in ("n_a", "n_b"):
        t[c] = t[c].astype(np.int64)
    return t


# --------------------------------------------------------------------------------------------
# mix / rate decomposition
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Decomposition:
    """Result of :func:`decompose_change`: change = mix + rate (+ interaction), exactly.

    Attributes
    ----------
    metric, by, period, baseline : str
    value_a, value_b : float
        Overall score of the baseline and report period (responses with a known segment).
    change : float
        value_b − value_a.
    mix, rate, interaction : float
        Totals of the effects; ``mix + rate + interaction == change`` up to rounding.
    table : pandas.DataFrame
        One row per segment level: ``level, n_a, n_b, share_a, share_b, value_a, value_b,
        mix, rate, interaction, total`` (shares in %, values in metric units; ``value_a`` /
        ``value_b`` NaN when the level is absent from that period).
    method : str
        ``"three-way"`` or ``"symmetric"``.
    weighted : bool
    """

    metric: str
    by: str
    period: str
    baseline: str
    value_a: float
    value_b: float
    change: float
    mix: float
    rate: float
    interaction: float
    table: pd.DataFrame = field(repr=False)
    method: str = "three-way"
    weighted: bool = False
    kind: str = ""

    def to_dict(self) -> dict:
        d = {k: json_safe(getattr(self, k)) for k in ("metric", "by", "period", "baseline",
                                                      "value_a", "value_b", "change", "mix",
                                                      "rate", "interaction", "method",
                                                      "weighted")}
        d["table"] = [{k: json_safe(v) for k, v in r.items()}
                      for r in self.table.to_dict("records")]
        return d

    def __str__(self) -> str:
        dec = _decimals(_kind(self))
        return (f"{_display(self.metric)} {_num(self.value_a, dec)} → {_num(self.value_b, dec)} "
                f"({_signed(self.change, dec)}) by {self.by}: mix {_signed(self.mix, dec)}, "
                f"rate {_signed(self.rate, dec)}, interaction {_signed(self.interaction, dec)}")


def decompose_change(responses, metric="nps", by=None, period="latest", baseline="previous", *,
                     weighted=False, method="three-way") -> Decomposition:
    """Split the change of the overall score into customer-mix and within-segment (rate) effects.

    Parameters
    ----------
    responses : pandas.DataFrame
        Canonical responses table with a ``period`` column.
    metric : str, MetricSpec or (column, kind), default "nps"
    by : str
        One segment column (e.g. ``"channel"``).
    period, baseline
        As in :func:`score_changes` (a pooled window such as ``"previous-3"`` works too).
    weighted : bool, default False
        Shares are Σw shares and segment scores weighted means.
    method : {"three-way", "symmetric"}, default "three-way"
        ``"three-way"``: mix, rate and interaction terms (baseline-weighted);
        ``"symmetric"``: Kitagawa's two-term form with averaged weights (no interaction term).

    Returns
    -------
    Decomposition

    Notes
    -----
    With segment shares s_i and segment scores m_i, the overall score is M = Σ s_i m_i, and
    with Δ = b − a, exactly

    * three-way: ΔM = Σ Δs_i (m_i^a − M^a) + Σ s_i^a Δm_i + Σ Δs_i Δm_i
      (mix + rate + interaction);
    * symmetric: ΔM = Σ Δs_i (m̄_i − M̄) + Σ s̄_i Δm_i, with bars the means of a and b.

    Centring the mix term on the overall score (allowed because Σ Δs_i = 0) makes a segment
    whose share grows count positively only if it scores above average.  A level present in only
    one period has its missing score set to the other period's score, so its whole contribution
    is mix (its rate and interaction terms are 0).  Responses with a missing segment value are
    left out, so ``value_a``/``value_b`` are the scores of responses with a known segment.  The
    decomposition is descriptive: it carries no uncertainty (use :func:`score_changes` for
    tests).

    References
    ----------
    .. [1] Kitagawa, E. M. (1955). Components of a difference between two rates. *Journal of
       the American Statistical Association* 50, 1168–1194.
    .. [2] Das Gupta, P. (1993). *Standardization and Decomposition of Rates: A User's Manual*.
       U.S. Bureau of the Census, P23-186.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"period": pd.PeriodIndex(["2026-09"] * 4 + ["2026-10"] * 4, freq="M"),
    ...                    "seg": ["x", "x", "y", "y", "x", "y", "y", "y"],
    ...                    "nps": [10, 10, 0, 10, 10, 0, 10, 0]})
    >>> d = decompose_change(df, "nps", by="seg", period="2026-10")
    >>> round(d.change, 2), round(d.mix, 2), round(d.rate, 2), round(d.interaction, 2)
    (-50.0, -25.0, -16.67, -8.33)
    """
    check_argument("method", ["three-way", "symmetric"], method)
    if by is None or not isinstance(by, str):
        raise ValueError("`by` must name one segment column, e.g. by='channel'.")
    column, spec = resolve_metric(responses, metric)
    wcol = _weight_col(responses, weighted)
    p = resolve_period(period, responses)
    base = parse_baseline(baseline, p, responses)
    t = _side_tally(responses, column, spec, wcol, {p: "b", **{q: "a" for q in base}}, [by])
    hd = _hists_from_tally(t, spec, ["_side", by])
    col = responses[by]
    levels = list(col.cat.categories) if isinstance(col.dtype, pd.CategoricalDtype) else \
        sorted(pd.unique(col.dropna()), key=str)
    levels = [lv for lv in levels if ("a", lv) in hd or ("b", lv) in hd]
    if not levels:
        raise ValueError(f"No responses in {_label(base)} or {p} with a known {by!r}.")

    def stats_of(side):
        mass, mean, n = [], [], []
        for lv in levels:
            h = hd.get((side, lv))
            if h is None:
                mass.append(0.0), mean.append(math.nan), n.append(0)
                continue
            m = h.moments()
            mass.append(m.sum_w), mean.append(m.mean), n.append(m.n)
        mass = np.array(mass)
        return mass / mass.sum() if mass.sum() > 0 else mass, np.array(mean), np.array(n)

    sa, ma, na = stats_of("a")
    sb, mb, nb = stats_of("b")
    if sa.sum() == 0 or sb.sum() == 0:
        raise ValueError(f"One of the periods ({_label(base)}, {p}) has no responses with a "
                         f"known {by!r}.")
    ma_f = np.where(np.isnan(ma), mb, ma)
    mb_f = np.where(np.isnan(mb), ma, mb)
    Ma, Mb = float((sa * ma_f).sum()), float((sb * mb_f).sum())
    ds, dm = sb - sa, mb_f - ma_f
    if method == "three-way":
        mix = ds * (ma_f - Ma)
        rate = sa * dm
        inter = ds * dm
    else:
        mix = ds * ((ma_f + mb_f) / 2 - (Ma + Mb) / 2)
        rate = (sa + sb) / 2 * dm
        inter = np.zeros(len(levels))
    table = pd.DataFrame({"level": levels, "n_a": na.astype(np.int64), "n_b": nb.astype(np.int64),
                          "share_a": 100 * sa, "share_b": 100 * sb, "value_a": ma,
                          "value_b": mb, "mix": mix, "rate": rate, "interaction": inter,
                          "total": mix + rate + inter})
    return Decomposition(spec.name, by, str(p), _label(base), Ma, Mb, Mb - Ma,
                         float(mix.sum()), float(rate.sum()), float(inter.sum()), table, method,
                         wcol is not None, spec.kind)


# --------------------------------------------------------------------------------------------
# trend
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Trend:
    """Result of :func:`trend`.

    Attributes
    ----------
    metric : str
    points : pandas.DataFrame
        One row per group × period: group columns, ``period``, ``value, se, ci_low, ci_high, n,
        n_eff``, the change from the previous period of the series (``change, change_p,
        change_p_adj, change_significant``; Holm-adjusted within each series) and the fitted
        line ``fitted``.
    slopes : pandas.DataFrame
        One row per group: ``slope`` (units per period), ``se, ci_low, ci_high, statistic,
        p_value, df, n_periods, first, last, method``.
    weighted : bool
    conf, alpha : float
    scale : str
    """

    metric: str
    points: pd.DataFrame = field(repr=False)
    slopes: pd.DataFrame = field(repr=False)
    weighted: bool = False
    conf: float = 0.95
    alpha: float = 0.05
    scale: str = "estimated"
    kind: str = ""

    def to_dict(self) -> dict:
        return {"metric": self.metric, "weighted": self.weighted, "conf": self.conf,
                "scale": self.scale,
                "slopes": [{k: json_safe(v) for k, v in r.items()}
                           for r in self.slopes.to_dict("records")]}

    def __str__(self) -> str:
        dec = _decimals(_kind(self))
        lines = []
        for r in self.slopes.to_dict("records"):
            group = ", ".join(f"{k} {r[k]}" for k in self.slopes.columns[: self.slopes.columns.get_loc("slope")])
            lines.append(f"{_display(self.metric)}{' (' + group + ')' if group else ''} "
                         f"{r['first']}..{r['last']}: {_signed(r['slope'], dec + 1)}"
                         f"{_unit_suffix(_kind(self))} per period ({self.conf:.0%} CI "
                         f"{_num(r['ci_low'], dec + 1)} to {_num(r['ci_high'], dec + 1)}, "
                         f"{_fmt_p(r['p_value'])})")
        return "\n".join(lines)


def trend(responses, metric="nps", *, periods=None, by=None, weighted=False, conf=0.95,
          alpha=0.05, correction="holm", scale="estimated", method=None, end=None) -> Trend:
    """Per-period scores and the precision-weighted linear trend over three or more periods.

    Parameters
    ----------
    responses : pandas.DataFrame
        Canonical responses table with a ``period`` column.
    metric : str, MetricSpec or (column, kind), default "nps"
    periods : None, int or list, optional
        None: every period in the data (up to ``end``); an int k: the last k periods present
        up to ``end``; a list: those periods.
    by : str or list of str, optional
        One trend per group (e.g. ``"region"``).
    weighted : bool, default False
    conf : float, default 0.95
    alpha : float, default 0.05
        Level of the ``change_significant`` flags.
    correction : {"holm", "fdr_bh", "bonferroni", "none"}, default "holm"
        Adjustment of the period-to-period change tests within each series.
    scale : {"estimated", "fixed"}, default "estimated"
        ``"estimated"``: statsmodels WLS as is (residual scale estimated, t with k − 2 df), which
        widens the interval when months vary more than their sampling errors say (season,
        events); ``"fixed"``: the sampling variances taken as known (scale 1, z test).
    method : str, optional
        Method of the period-to-period change tests (see :func:`compare`).
    end : str or pandas.Period, optional
        Last period of the trend (e.g. the report month; ``"latest"`` allowed); default: the last
        period in the data.

    Returns
    -------
    Trend
        ``.points`` and ``.slopes`` (see :class:`Trend`).

    Notes
    -----
    Each period's estimate y_t has sampling SE s_t (Wald / linearised,
    :func:`cxkit.histogram_moments`).  The trend is the weighted least-squares line
    y_t = β₀ + β₁ t with weights 1/s_t² (t = periods since the first, so gaps are respected):
    β̂ = (XᵀWX)⁻¹XᵀWy, Var(β̂) = σ̂²(XᵀWX)⁻¹ with σ̂² = Σ w_t e_t²/(k − 2) (``"estimated"``) or
    σ̂² = 1 (``"fixed"``).  Pooling all periods this way detects a slow drift of a fraction of a
    point per month that no month-to-month test can see.

    References
    ----------
    .. [1] Draper, N. R., & Smith, H. (1998). *Applied Regression Analysis*, 3rd ed., Wiley,
       ch. 9 (generalised and weighted least squares).
    .. [2] statsmodels ``WLS`` (Seabold & Perktold 2010).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> promoters, detractors = [40, 45, 41, 47, 46, 50], [30, 28, 31, 26, 27, 24]
    >>> df = pd.DataFrame({
    ...     "period": np.repeat(pd.period_range("2026-01", periods=6, freq="M"), 100),
    ...     "nps": np.concatenate([np.repeat([10, 8, 3], [p, 100 - p - d, d])
    ...                            for p, d in zip(promoters, detractors)])})
    >>> print(trend(df, "nps"))
    NPS 2026-01..2026-06: +2.78 points per period (95% CI 0.15 to 5.41, p = 0.043)
    """
    import statsmodels.api as sm

    check_conf(conf)
    check_argument("scale", ["estimated", "fixed"], scale)
    check_argument("correction", CORRECTIONS, correction)
    column, spec = resolve_metric(responses, metric)
    by = [] if by is None else ([by] if isinstance(by, str) else list(by))
    wcol = _weight_col(responses, weighted)
    per = _period_column(responses)
    present = sorted(per.dropna().unique())
    if end is not None:
        last = resolve_period(end, responses)
        present = [q for q in present if q <= last]
    if periods is None:
        chosen = present
    elif isinstance(periods, (int, np.integer)) and not isinstance(periods, bool):
        check_number("periods", int(periods), low=1, integer=True)
        chosen = present[-int(periods):]
    else:
        chosen = sorted(resolve_period(q, responses) for q in periods)
    if len(chosen) < 3:
        raise ValueError(f"A trend needs at least 3 periods, but {len(chosen)} were selected.")
    sides = {q: str(q) for q in chosen}
    t = _side_tally(responses, column, spec, wcol, sides, by)
    hd = _hists_from_tally(t, spec, ["_side"] + by)
    groups = sorted({k[1:] for k in hd}, key=lambda k: tuple(map(str, k)))
    q = _z(conf)
    rows, slopes = [], []
    p0 = chosen[0]
    for g in groups:
        series = [(pp, hd[(str(pp),) + g]) for pp in chosen if (str(pp),) + g in hd]
        grow = []
        prev = None
        for pp, h in series:
            est = _side_estimate(spec, h, conf)
            m = h.moments()
            r = dict(zip(by, g))
            r.update({"period": pp, "value": m.mean, "se": m.se, "ci_low": est.ci_low,
                      "ci_high": est.ci_high, "n": m.n, "n_eff": m.n_eff, "change": math.nan,
                      "change_p": math.nan})
            if prev is not None:
                c = _compare_hists(spec, prev, h, method=method, conf=conf)
                r["change"], r["change_p"] = c.diff, c.p_value
            prev = h
            grow.append(r)
        pts = pd.DataFrame(grow)
        pts["change_p_adj"] = _adjust(pts["change_p"], alpha, correction)
        pts["change_significant"] = np.nan_to_num(pts["change_p_adj"], nan=1.0) < alpha
        x = np.array([(pp - p0).n for pp in pts["period"]], dtype=float)
        y = pts["value"].to_numpy(dtype=float)
        se = pts["se"].to_numpy(dtype=float)
        ok = np.isfinite(y) & np.isfinite(se) & (se > 0)
        srow = dict(zip(by, g))
        srow.update({"slope": math.nan, "se": math.nan, "ci_low": math.nan, "ci_high": math.nan,
                     "statistic": math.nan, "p_value": math.nan, "df": math.nan,
                     "n_periods": int(ok.sum()), "first": str(pts["period"].iloc[0]),
                     "last": str(pts["period"].iloc[-1]), "method": f"wls-{scale}"})
        pts["fitted"] = math.nan
        if ok.sum() >= 3:
            X = sm.add_constant(x[ok], has_constant="add")
            fit = sm.WLS(y[ok], X, weights=1.0 / se[ok] ** 2).fit()
            beta = float(fit.params[1])
            if scale == "estimated":
                b_se = float(fit.bse[1])
                dof = float(fit.df_resid)
                crit = float(stats.t.ppf(0.5 + conf / 2, dof))
                stat = beta / b_se if b_se > 0 else math.nan
                pval = float(2 * stats.t.sf(abs(stat), dof)) if b_se > 0 else math.nan
            else:
                b_se = float(math.sqrt(fit.normalized_cov_params[1, 1]))
                dof = math.nan
                crit = q
                stat = beta / b_se
                pval = _p_from_z(stat, "two-sided")
            srow.update({"slope": beta, "se": b_se, "ci_low": beta - crit * b_se,
                         "ci_high": beta + crit * b_se, "statistic": stat, "p_value": pval,
                         "df": dof})
            pts["fitted"] = float(fit.params[0]) + beta * x
        rows.append(pts)
        slopes.append(srow)
    points = pd.concat(rows, ignore_index=True)
    return Trend(spec.name, points, pd.DataFrame(slopes), wcol is not None, conf, alpha, scale, spec.kind)


# --------------------------------------------------------------------------------------------
# plain-language summary
# --------------------------------------------------------------------------------------------
def _verb(diff, significant):
    if not significant:
        return "went from"
    return "rose from" if diff > 0 else "fell from"


def describe_changes(result, *, max_segments=6, as_list=False):
    """Plain-language summary of a :func:`score_changes` result (or a list of them).

    Parameters
    ----------
    result : ScoreChanges, Comparison or list of them
    max_segments : int, default 6
        Segments listed per sentence at most (the largest adjusted effects first).
    as_list : bool, default False
        Return the sentences as a list (e.g. report findings) instead of one paragraph.

    Returns
    -------
    str or list of str
        E.g. "NPS fell from 39.8 in 2026-09 to 31.0 in 2026-10 (−8.9 points, 95% CI −12.7 to
        −5.0, p < 0.001; unweighted, n = 2,601 and 2,661)."  Non-significant changes are said as
        plainly ("no significant change"); segments with too few responses are counted.

    Notes
    -----
    "Significant" means p < α for the overall change and the multiplicity-adjusted p < α for
    segments (see :func:`score_changes`).  The wording never calls a non-significant difference
    a rise or a fall.

    References
    ----------
    .. [1] Wasserstein, R. L., & Lazar, N. A. (2016). The ASA statement on p-values. *The
       American Statistician* 70(2), 129–133 (report the estimate and its interval, not only p).

    Examples
    --------
    >>> describe_changes(compare_nps_counts((30, 40, 130), (45, 55, 100), method="wald"))
    'NPS fell from 50.0 to 27.5 (−22.5 points, 95% CI −37.7 to −7.3, p = 0.004; unweighted, n = 200 and 200).'
    """
    if isinstance(result, (list, tuple)):
        if as_list:
            return [x for r in result for x in describe_changes(r, max_segments=max_segments,
                                                                 as_list=True)]
        return "\n\n".join(describe_changes(r, max_segments=max_segments) for r in result)
    if isinstance(result, Comparison):
        one = _sentence(result, None, None, 1 - result.conf)
        return [one] if as_list else one
    if not isinstance(result, ScoreChanges):
        raise TypeError(f"describe_changes needs a ScoreChanges or Comparison, not "
                        f"{type(result).__name__}.")
    r = result
    parts = [_sentence(r.overall, r.baseline, r.period, r.alpha)]
    if len(r.table) and bool(r.table["too_few"].iloc[0]):
        parts.append(f"(Fewer than {r.min_n} responses on a side: treat the overall test with "
                     f"caution.)")
    dec = _decimals(_kind(r))
    corr = {"holm": "Holm-adjusted", "fdr_bh": "Benjamini–Hochberg-adjusted",
            "bonferroni": "Bonferroni-adjusted", "none": "unadjusted"}[r.correction]
    seg = r.table[r.table["dimension"] != "overall"]
    tested = int((~seg["too_few"]).sum())
    few = int(seg["too_few"].sum())
    few_txt = f"; {few} with fewer than {r.min_n} responses on a side not tested" if few else ""
    sig = seg[seg["significant"]].sort_values("p_adj")
    if len(seg) == 0:
        pass
    elif sig.empty:
        parts.append(f"No segment changed significantly ({tested} segment levels tested, {corr} "
                     f"p < {r.alpha:g}{few_txt}).")
    else:
        items = [f"{s.dimension} {s.level} {_signed(s.diff, dec)}{_unit_suffix(_kind(r))} "
                 f"({_num(s.value_a, dec)} → "
                 f"{_num(s.value_b, dec)}, {r.conf:.0%} CI {_num(s.ci_low, dec)} to "
                 f"{_num(s.ci_high, dec)}, adjusted {_fmt_p(s.p_adj)})"
                 for s in sig.head(max_segments).itertuples()]
        more = f" and {len(sig) - max_segments} more" if len(sig) > max_segments else ""
        parts.append(f"Significant segment changes ({corr} p < {r.alpha:g}, {tested} tested"
                     f"{few_txt}): " + "; ".join(items) + more + ".")
    vr = r.vs_rest
    if len(vr):
        vs = vr[vr["significant"]].sort_values("diff")
        if vs.empty:
            parts.append(f"No segment differs significantly from the rest of {r.period}.")
        else:
            below = vs[vs["diff"] < 0]
            above = vs[vs["diff"] > 0].iloc[::-1]
            for label, part in (("Below", below), ("Above", above)):
                if part.empty:
                    continue
                items = [f"{s.dimension} {s.level} {_num(s.value_b, dec)} ({_signed(s.diff, dec)} "
                         f"vs the rest, adjusted {_fmt_p(s.p_adj)})"
                         for s in part.head(max_segments).itertuples()]
                parts.append(f"{label} the rest of {r.period}: " + "; ".join(items) + ".")
    return parts if as_list else " ".join(parts)


def _sentence(c: Comparison, baseline, period, alpha) -> str:
    name = _display(c.metric)
    dec = _decimals(_kind(c))
    where_a = f" in {baseline}" if baseline else ""
    where_b = f" in {period}" if period else ""
    if math.isnan(c.diff):
        return f"{name}: no comparison possible{where_b} ({c.note})."
    sig = (not math.isnan(c.p_value)) and c.p_value < alpha
    how = "weighted" if c.weighted else "unweighted"
    n_txt = (f"n = {c.n_a:,} and {c.n_b:,}" if not c.weighted
             else f"n = {c.n_a:,} and {c.n_b:,}, effective {c.n_eff_a:,.0f} and {c.n_eff_b:,.0f}")
    core = (f"{name} {_verb(c.diff, sig)} {_num(c.value_a, dec)}{where_a} to "
            f"{_num(c.value_b, dec)}{where_b} ({_signed(c.diff, dec)}{_unit_suffix(_kind(c))}, "
            f"{c.conf:.0%} CI {_num(c.ci_low, dec)} to {_num(c.ci_high, dec)}, {_fmt_p(c.p_value)}; "
            f"{how}, {n_txt})")
    return core + ("." if sig else ": no significant change.")
