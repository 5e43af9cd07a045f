"""Two-sample tests of CX scores: :func:`compare` and its count-table relatives.

Every comparison works on score histograms (counts, and Σw, Σw² per score when weighted; see
:func:`cxkit.tally`) and the moments of the recoded per-response value
(:func:`cxkit.histogram_moments`): NPS +100/0/−100, top box 100/0, means the raw score.  Used by
:mod:`cxkit.stats.changes` (period-over-period tables, trends), :mod:`cxkit.stats.competitors`
(brand gaps) and :mod:`cxkit.stats.planning`.

Conventions (see CONTRIBUTING.md): ``diff`` is always **b − a** (b = the later / report period,
a = the baseline); ``alternative="larger"`` means b > a; NPS and top-box differences are in
points (percentage points), mean differences in raw units.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ..core.checks import check_alternative, check_conf, check_method
from ..core.jsonsafe import json_safe
from ..core.metrics import MetricSpec, histogram_moments, metric_spec
from ..core.validate import check_scores, numeric_scores
from . import twoprop
from .estimators import _equal_weights, _nps_variance_fractions

__all__ = ["Comparison", "compare", "compare_nps_counts", "compare_nps_paired_counts"]

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
CORRECTIONS = ("holm", "fdr-bh", "bonferroni", "none")
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

    def _repr_html_(self) -> str:
        """Designed HTML table in JupyterLab (the report's design); ``repr`` stays plain."""
        from ..report.tables import comparison_html  # lazy: report is a later wing

        return comparison_html(self)

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


def _is_aggregated(x) -> bool:
    """An aggregated responses frame (rows are score bins with a ``count`` column)."""
    return isinstance(x, pd.DataFrame) and bool(
        ((x.attrs or {}).get("cxkit", {}) or {}).get("count"))


def _hist_from_frame(spec: MetricSpec, frame, side) -> _Hist:
    """Histogram of an aggregated responses frame (its ``count`` and ``deff`` columns)."""
    from .tally import tally

    if not _is_aggregated(frame):
        raise ValueError(f"`{side}`: compare two aggregated frames (cxkit.from_aggregates) or "
                         f"two arrays of raw scores, not one of each.")
    names = [c for c in (frame.attrs["cxkit"].get("metrics") or {}) if c in frame.columns]
    col = spec.name if spec.name in frame.columns else (names[0] if len(names) == 1 else None)
    if col is None:
        raise ValueError(f"`{side}`: the aggregated frame has scores {names}; pass "
                         f"`metric=` naming one of them.")
    t = tally(frame, (col, spec))
    return _hists_from_tally(t, spec, [])[()]


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
        return check_method(options, method)
    if weighted:
        if method is None:
            return WEIGHTED_METHODS[0]
        method = check_method(WEIGHTED_METHODS + METHODS[spec.kind], method)
        if method not in WEIGHTED_METHODS:
            raise ValueError(
                f"Weighted comparisons use the linearised (Taylor) variances: "
                f"method='linearized-t' (default; t on min(n_eff) − 1 df) or 'linearized' (z); "
                f"{method!r} applies to unweighted counts only.")
        return method
    options = METHODS[spec.kind]
    if method is None:
        return options[0]
    return check_method(options, method)


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
    if (weighted and method not in WEIGHTED_METHODS and _equal_weights(ha.n, ha.w, ha.w2)
            and _equal_weights(hb.n, hb.w, hb.w2)):
        # equal weights within each sample are no weighting: the unweighted test (issue 11.2)
        res = _compare_hists(spec, _Hist(ha.values, ha.n, None, None, ha.scores),
                             _Hist(hb.values, hb.n, None, None, hb.scores), method=method,
                             conf=conf, alternative=alternative)
        return dataclasses.replace(res, weighted=True)
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
        cb, nb_ = hb.count_where(lambda v: v > 0), mb.n
        ca, na_ = ha.count_where(lambda v: v > 0), ma.n
        if method == "auto":
            method = "barnard" if max(na_, nb_) < EXACT_MAX_N else "score"
        if method == "barnard":
            stat, p = _barnard(cb, nb_, ca, na_, alternative)
        elif method in ("score", "newcomb"):
            stat, p = twoprop.score_test(cb, nb_, ca, na_, alternative)
        if method in ("barnard", "score"):
            ci = _score_confint_diff(cb, nb_, ca, na_, conf)
        else:
            from statsmodels.stats.proportion import (confint_proportions_2indep,
                                                      test_proportions_2indep)
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                if method != "newcomb":
                    res = test_proportions_2indep(cb, nb_, ca, na_, method=method,
                                                  compare="diff", alternative=alternative)
                    stat, p = float(res.statistic), float(res.pvalue)
                ci = confint_proportions_2indep(cb, nb_, ca, na_, method=method,
                                                compare="diff", alpha=1 - conf)
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

    Returns (T, p): T = (p̂1 − p̂2)/√(p̄(1 − p̄)(1/n1 + 1/n2)) (pooled p̄) and
    p = sup over the common share π of P_π(T as or more extreme), the sup found on a fine grid
    with local optimisation and ties kept (:func:`cxkit.stats.twoprop.barnard`; Barnard 1945,
    Mehta & Senchaudhuri 2003).  A table with no successes or no failures gives T = 0, p = 1.
    """
    return twoprop.barnard(c1, n1, c2, n2, alternative)


def _score_confint_diff(c1, n1, c2, n2, conf):
    """Miettinen–Nurminen score interval of p1 − p2 (with the N/(N − 1) variance factor).

    Written from Miettinen & Nurminen (1985) with Farrington & Manning's (1990) closed-form
    restricted MLE (:func:`cxkit.stats.twoprop.score_interval`), not statsmodels (whose
    0.15 restricted-MLE cubic uses ``count0`` for ``nobs0``, statsmodels issue 10269).
    """
    return twoprop.score_interval(c1, n1, c2, n2, conf, correction=True)


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
        out.append((100 * (pp - pd_), 10_000 * _nps_variance_fractions(pp, pd_) / n))
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
    if (weighted and method not in PAIRED_WEIGHTED_METHODS
            and _equal_weights(h.n, h.w, h.w2)):      # equal weights: the unweighted test
        res = _compare_paired(spec, va, vb, None, method=method, conf=conf,
                              alternative=alternative)
        return dataclasses.replace(res, weighted=True)
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
            conf=0.95, alternative="two-sided", design=None) -> Comparison:
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
    design : None, False, True, dict or cxkit.Design
        Survey design (``{"strata": column, "cluster": column, "fpc": …}``), as in
        :func:`cxkit.summarize`, when ``a`` and ``b`` are **DataFrames of respondents** (two
        disjoint row sets of one responses table, e.g. two periods, with the design's columns;
        ``metric`` names the score): the difference, its Taylor-linearised SE (the two sets
        as domains of the design their rows form together), t on PSUs − strata − 1 df and p,
        as ``survey::svyttest`` (:func:`cxkit.design_frames_compare`; ``method`` is
        ``"design-linearized"``).  ``weights_a`` may then name the weight column (True: the
        configured weight column; None or False: equal weights — as without a design and as
        :func:`cxkit.summarize`'s ``weighted=False``, so configuring a design changes the SE,
        not the estimate).  None uses the configured ``design:`` of such frames; False ignores
        it.  Arrays are compared as before; two frames without a design are compared on the
        metric's column (``weights_a``: a weight column name or True).  For a domain of the *whole* survey (PSUs outside
        both sets counted too) use :func:`cxkit.score_changes` or
        :func:`cxkit.design_compare`; for paired brand gaps :func:`cxkit.brand_comparison`.

    Returns
    -------
    Comparison
        ``diff`` (b − a, raw), ``se``, ``ci_low``, ``ci_high``, ``statistic``, ``p_value``,
        ``n_a``, ``n_b``, ``n_eff_a``, ``n_eff_b``, ``method``, ``value_a``, ``value_b`` …

    Raises
    ------
    cxkit.SurveyDataError
        Scores off the metric's scale (NPS: whole numbers 0–10; CSAT 1–5, CES 1–7 or the
        MetricSpec's ``scale``) or text among the scores; the message names the sample (or the
        Series' name), the first positions/labels and values.

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
    * **Top box** (b is sample 1, percentage points).  ``"score"``: the Miettinen–Nurminen
      score test (z at a zero difference with the pooled share and the variance factor
      N/(N − 1)) and the **Miettinen–Nurminen score interval** {δ : |z(δ)| ≤ z_(1−α/2)},
      with Farrington & Manning's closed-form restricted MLE, written from the papers
      (:mod:`cxkit.stats.twoprop`; statsmodels 0.15's score interval uses ``count0`` for
      ``nobs0``, issue 10269, and is not used); it reproduces Newcombe's (1998) Table II.
      ``"wald"``, ``"agresti-caffo"``: statsmodels ``test_proportions_2indep`` /
      ``confint_proportions_2indep`` (``compare="diff"``); ``"newcomb"``: Newcombe's
      hybrid-score interval (statsmodels) with the score test.  The default ``"auto"``
      uses **Barnard's exact unconditional test** when both sides have fewer than 200
      responses: T = (p̂_b − p̂_a)/√(p̄(1 − p̄)(1/n_a + 1/n_b)) with the pooled share p̄,
      p = sup over the common share π of P_π(|T| ≥ |t_obs|) under two independent binomials
      (Barnard 1945; Mehta & Senchaudhuri 2003), the sup taken on a fine logit-spaced grid
      with a local optimisation at every grid maximum and tied statistics kept (scipy's
      ``barnard_exact`` default misses narrow peaks near π ≈ 0 and 1: 34/41 vs 117/176 gives
      0.041 there instead of 0.086), so the size is at most α by construction.  The
      asymptotic score test exceeds α + 0.5 pp on the lattice of two small equal binomials
      (5.7 % at 50 vs 50); Barnard's test does not, and is less conservative than
      Boschloo's (which doubles a one-sided p).  The interval stays the Miettinen–Nurminen
      score interval: in rare borderline cases it can exclude 0 while Barnard's p ≥ α.
      ``se`` = diff / T.  From 200 a side the score test is used (its exact size is within
      5.5 % there).
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
    .. [8] Barnard, G. A. (1945). A new test for 2 × 2 tables. *Nature* 156, 177; Barnard,
       G. A. (1947). Significance tests for 2 × 2 tables. *Biometrika* 34, 123–138; Mehta,
       C. R., & Senchaudhuri, P. (2003). Conditional versus unconditional exact tests for
       comparing two binomials. Cytel; Farrington, C. P., & Manning, G. (1990). Test
       statistics and sample size formulae for comparative binomial trials. *Statistics in
       Medicine* 9, 1447–1454; Suissa, S., & Shuster, J. J. (1985). Exact unconditional sample sizes for the
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
    if design is not None and design is not False or (
            isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame)):
        res = _design_compare(a, b, metric, weights_a, weights_b, paired, method, conf,
                              alternative, design)
        if res is not None:
            return res
    if (isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame)
            and not (_is_aggregated(a) or _is_aggregated(b))):
        a, b, weights_a, weights_b, metric = _frame_columns(a, b, metric, weights_a, weights_b)
    spec = metric_spec(metric)
    if not paired and (_is_aggregated(a) or _is_aggregated(b)):
        # aggregated frames (cxkit.from_aggregates): tally checks their scores
        if weights_a is not None or weights_b is not None:
            raise ValueError("Aggregated frames carry their counts (and deff); pass no weights.")
        ha, hb = _hist_from_frame(spec, a, "a"), _hist_from_frame(spec, b, "b")
        return _compare_hists(spec, ha, hb, method=method, conf=conf, alternative=alternative)
    # the scores are checked against the metric's scale (NPS whole 0–10, CSAT 1–5, CES 1–7,
    # a MetricSpec's declared scale); text is refused (core.validate)
    a, b = _checked(a, "a", spec), _checked(b, "b", spec)
    if paired:
        if weights_b is not None and weights_a is None:
            weights_a = weights_b
        return _compare_paired(spec, spec.values(a), spec.values(b), weights_a, method=method,
                               conf=conf, alternative=alternative)
    if (weights_a is None) != (weights_b is None):
        raise ValueError("Pass weights for both samples (`weights_a` and `weights_b`) or neither.")
    for side, wts in (("a", weights_a), ("b", weights_b)):
        _warn_shares_as_weights(side, wts)
    ha = _hist_from_scores(spec, a, weights_a)
    hb = _hist_from_scores(spec, b, weights_b)
    return _compare_hists(spec, ha, hb, method=method, conf=conf, alternative=alternative)


def _frame_columns(a, b, metric, weights_a, weights_b):
    """Two respondent frames (no design) as the metric's score columns and weight columns."""
    from ..core.metrics import resolve_metric
    from ..core.validate import check_columns
    from .tally import _weight_column

    column, spec = resolve_metric(a, metric)
    check_columns(b, [column], "score", "metric")
    if weights_b is not None and weights_b != weights_a:
        raise ValueError("For two frames pass the weight column once (`weights_a`).")
    if weights_a is not None and weights_a is not False and not isinstance(weights_a, (str, bool)):
        raise ValueError("For two frames `weights_a` names their weight column (or is True for "
                         "the configured one), not an array.")
    wcol = _weight_column(a, weights_a, "weights_a") if weights_a else None
    if wcol is not None:
        check_columns(b, [wcol], "weight", "weights_a")
        return (a[column], b[column], a[wcol].to_numpy(dtype=float, na_value=np.nan),
                b[wcol].to_numpy(dtype=float, na_value=np.nan), spec)
    return a[column], b[column], None, None, spec


def _design_compare(a, b, metric, weights_a, weights_b, paired, method, conf, alternative,
                    design):
    """The design-based :func:`compare` of two respondent frames, or None (no design)."""
    from ..core.errors import SurveyDataError
    from .design import configured_design, design_frames_compare

    frames = isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame)
    if not frames or _is_aggregated(a) or _is_aggregated(b):
        if design is None or design is False:
            return None
        raise SurveyDataError("`design=` needs `a` and `b` as DataFrames of respondents (rows "
                              "of one responses table with the design's columns), not arrays "
                              "or aggregated frames.")
    if design is False or configured_design(a, design) is None:
        return None
    if paired:
        raise SurveyDataError("A design-based paired comparison of two ratings by the same "
                              "respondents is a brand gap: use cxkit.brand_comparison(..., "
                              "design=...) (or pass design=False).")
    if method not in (None, "linearized", "design-linearized"):
        raise ValueError(f"With a survey design the test is design-linearized; method={method!r} "
                         f"cannot be used (pass design=False for it).")
    for wts in (weights_a, weights_b):
        if wts is not None and not isinstance(wts, (str, bool)):
            raise SurveyDataError("With a design, `weights_a` names the weight column of the "
                                  "frames (or is False for equal weights), not an array.")
    if weights_b is not None and weights_b != weights_a:
        raise SurveyDataError("With a design, pass the weight column once (`weights_a`).")
    return design_frames_compare(a, b, metric, design=design,
                                 weights=False if weights_a is None else weights_a, conf=conf,
                                 alternative=alternative)


def _checked(x, name, spec) -> np.ndarray:
    """Raw scores ``x`` as floats, checked against ``spec``'s scale (when it has one); a
    named Series is reported under its column name."""
    if isinstance(x, pd.Series) and x.name is not None:
        name = str(x.name)
    v = numeric_scores(x if isinstance(x, pd.Series) else np.asarray(x), name, spec=spec)
    scale = (0.0, 10.0, True) if spec.kind == "nps" else (
        None if spec.scale is None else (spec.scale[0], spec.scale[1], spec.integer))
    check_scores(v, name, spec, scale, index=x.index if isinstance(x, pd.Series) else None,
                 need_scale=False)
    return v


def _warn_shares_as_weights(side, weights):
    """Warn when a few weights sum to 100 (or 1): published shares used as survey weights,
    which makes n the number of categories ("n 3 vs 3") instead of the responses."""
    if weights is None:
        return
    w = np.asarray(weights, dtype=float).ravel()
    if 0 < w.size <= 11 and np.all(np.isfinite(w)) and (
            abs(w.sum() - 100) < 1e-6 or abs(w.sum() - 1) < 1e-9):
        import warnings

        warnings.warn(f"`weights_{side}`: {w.size} weights summing to {w.sum():g} look like "
                      f"shares of answer categories, not survey weights; the comparison then "
                      f"counts n = {w.size}. For published shares use "
                      f"cxkit.compare_shares(a, b) or cxkit.from_aggregates(…).",
                      UserWarning, stacklevel=3)


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
    return _compare_hists(spec, ha, hb, method=check_method(METHODS["nps"], method),
                          conf=conf, alternative=alternative)


def compare_nps_paired_counts(table, *, method="paired-t", conf=0.95,
                              alternative="two-sided") -> Comparison:
    """Paired NPS difference from the 3×3 joint table of the same respondents' categories.

    Parameters
    ----------
    table : 3×3 array_like
        Counts with rows = category on side a (detractor, passive, promoter) and columns =
        category on side b, e.g. rows = a competitor, columns = own brand.
    method : {"paired-t", "paired-wald"}, default "paired-t"
        ``"paired-t"``: the paired t test on the per-respondent differences (SE with divisor
        n − 1, t on n − 1 df).  It is the default here *and* of ``compare(a, b, paired=True)``,
        so the same respondents give the same answer through either door, and it keeps its
        size at small n (the Wald form rejects up to 6.4 % at n = 50 for α = 5 %;
        ``benchmarks/size.py``).  ``"paired-wald"`` (the default before cxkit 0.2): plug-in SE
        and a z test — the variance :func:`cxkit.sample_size` plans paired designs with; the
        two SEs differ by the factor sqrt(n/(n − 1)) (under 1 % from 50 pairs on), so a plan
        made with the Wald variance holds for the t test.
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
    >>> r = compare_nps_paired_counts([[20, 8, 2], [10, 25, 5], [15, 35, 80]], method="paired-wald")
    >>> round(r.value_a, 1), round(r.value_b, 1), round(r.diff, 1), round(r.se, 3)
    (50.0, 21.0, -29.0, 5.224)
    >>> round(r.statistic, 3), r.method
    (-5.551, 'paired-wald')
    >>> compare_nps_paired_counts([[20, 8, 2], [10, 25, 5], [15, 35, 80]]).method
    'paired-t'
    """
    check_conf(conf)
    check_alternative(alternative)
    method = check_method(PAIRED_METHODS, method)
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
