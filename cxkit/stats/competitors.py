"""Competitor NPS: brand tables, paired gaps, rank probabilities and benchmarks.

A *relationship* ("top-down") NPS survey asks the **same** respondents how likely they are to
recommend the own brand and each competitor they know.  Two brand scores from such a survey
are not independent samples: a respondent who loves the category tends to rate every brand
high, so the ratings of one respondent are positively correlated.  Comparing the scores as if
they came from independent samples then overstates the standard error of the gap (the test is
too conservative and misses real gaps).  This module keeps the pairing:

* :func:`brand_comparison` — NPS per brand with intervals, every brand's gap to the own brand
  (paired test on the respondents who rate both brands via :func:`cxkit.compare` with
  ``paired=True``; an independent two-sample test when the brands come from separate samples),
  Holm-adjusted p-values, rank probabilities and external benchmarks, in one result;
* :func:`rank_probabilities` — the probability that each brand ranks 1st, 2nd, … from a seeded
  bootstrap over whole respondents (which keeps the pairing);
* :func:`compare_to_benchmark` — our NPS against a published number;
* :func:`brand_crosstab` — who moves where: a respondent's category (detractor / passive /
  promoter) for the own brand against the same respondent's category for a competitor;
* :func:`brands_to_wide` / :func:`brand_samples` — long data to the paired (wide) or the
  independent-samples shape; :func:`describe_brands` — the plain-language summary.

Data shapes accepted by the brand functions: the canonical **wide** table (one row per
respondent, one float 0–10 column per brand, NaN = does not know the brand, as
:func:`cxkit.load_survey` returns it for a config with ``relationship:``), or a **dict** brand →
scores (or brand → ``(scores, weights)``) of independent samples, one per brand.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ..core.jsonsafe import json_safe as _json_safe
from ..core.checks import check_alternative, check_argument, check_conf, check_method, check_number, warn_deprecated
from .twosample import _p_from_t, _p_from_z
from ..core.errors import SurveyDataError
from ..core.metrics import Estimate, histogram_moments, metric_spec, nps_values
from ..core.validate import (check_scores, closest_column, numeric_scores, period_values,
                             usable_weights)
from .estimators import _rng
from .tally import _weight_column
from ..engines.sources import is_engine_input

__all__ = ["brand_comparison", "brand_crosstab", "rank_probabilities", "compare_to_benchmark",
           "brand_gap", "brands_to_wide", "brand_samples", "describe_brands", "parse_benchmarks",
           "relationship_subset", "BrandComparison", "BenchmarkComparison", "CATEGORIES"]

#: NPS categories in scale order, as labelled in cross-tables.
CATEGORIES = ("Detractor", "Passive", "Promoter")

_CORRECTIONS = {"holm": "holm", "bonferroni": "bonferroni", "fdr-bh": "fdr_bh", "bh": "fdr_bh",
                "hommel": "hommel", "none": None}
_CORRECTION_LABEL = {"holm": "Holm", "bonferroni": "Bonferroni", "fdr_bh": "Benjamini–Hochberg",
                     "hommel": "Hommel", None: "unadjusted"}


# ------------------------------------------------------------------------------------------
# data shapes
# ------------------------------------------------------------------------------------------

def brands_to_wide(long_df, respondent="respondent_id", brand="brand", score="score", *,
                   brands=None, keep=None, own=None) -> pd.DataFrame:
    """Turn long relationship data (respondent, brand, score) into the wide canonical shape.

    Parameters
    ----------
    long_df : pandas.DataFrame
        One row per respondent × brand rated.  Rows with a blank score mean "does not know
        the brand" and may be left out altogether.
    respondent, brand, score : str
        Column names of the respondent id, the brand name and the 0–10 score.
    brands : list of str, optional
        Brand columns to create, in this order (default: brands in order of appearance).
        A listed brand nobody rated becomes an all-NaN column.
    keep : list of str, optional
        Respondent-level columns (segments, date, weight …) to carry over; each must be
        constant within a respondent.
    own : str, optional
        The own brand; when given, ``attrs["cxkit"]["relationship"]`` is set to
        ``{"own": own, "brands": [...]}``.

    Returns
    -------
    pandas.DataFrame
        One row per respondent (in order of first appearance): ``respondent`` (string),
        the ``keep`` columns, then one float64 column per brand (NaN = not rated).

    Raises
    ------
    SurveyDataError
        A respondent rated the same brand twice, or a ``keep`` column varies within a
        respondent (the message lists the first rows, spreadsheet numbering).

    Notes
    -----
    Pure reshaping (a pivot).  Keeping one row per respondent is what makes the paired
    analysis possible: the gap between two brands is then a mean of per-respondent
    differences (see :func:`brand_comparison`).

    Examples
    --------
    >>> import pandas as pd
    >>> long = pd.DataFrame({"respondent_id": ["r1", "r1", "r2"],
    ...                      "brand": ["Acme", "Corvo", "Acme"], "score": [9, 6, 10]})
    >>> brands_to_wide(long).to_dict("list")
    {'respondent_id': ['r1', 'r2'], 'Acme': [9.0, 10.0], 'Corvo': [6.0, nan]}
    """
    for col in (respondent, brand, score, *(keep or [])):
        if col not in long_df.columns:
            raise ValueError(f"The long table has no column {col!r}; columns are "
                             f"{list(long_df.columns)}.")
    df = long_df.reset_index(drop=True)
    rid = df[respondent].astype("string")
    bname = df[brand].astype("string")
    dup = pd.DataFrame({"r": rid, "b": bname}).duplicated(keep=False).to_numpy()
    if dup.any():
        rows = (np.flatnonzero(dup)[:5] + 2).tolist()
        raise SurveyDataError(
            f"Respondents rated the same brand more than once (e.g. respondent "
            f"{rid[dup].iloc[0]!r}, brand {bname[dup].iloc[0]!r}); keep one row per respondent "
            f"and brand.", column=brand, rows=rows)
    order = pd.unique(rid.to_numpy())
    if brands is None:
        brands = [b for b in pd.unique(bname.dropna().to_numpy())]
    s = pd.Series(_nps_scores(df[score], score), index=df.index)   # 0–10, text refused
    wide = (pd.DataFrame({"r": rid, "b": bname, "s": s})
            .pivot(index="r", columns="b", values="s"))
    wide = wide.reindex(index=order, columns=list(brands)).astype(float)
    out = pd.DataFrame({respondent: pd.array(order, dtype="string")})
    for col in keep or []:
        g = df.groupby(rid, sort=False)[col]
        varies = g.transform("nunique", dropna=False) > 1
        if varies.any():
            rows = (np.flatnonzero(varies.to_numpy())[:5] + 2).tolist()
            raise SurveyDataError(
                f"Column {col!r} takes different values for the same respondent; `keep` columns "
                f"must be respondent-level (constant per respondent).", column=col, rows=rows)
        out[col] = g.first().reindex(order).to_numpy()
    for b in brands:
        out[str(b)] = wide[b].to_numpy(dtype=float)
    meta = {"relationship": {"own": own, "brands": [str(b) for b in brands]}} if own else {}
    if meta:
        out.attrs["cxkit"] = meta
    return out


def brand_samples(long_df, brand="brand", score="score", weight=None) -> dict:
    """Split a long table of *independent* per-brand samples into ``{brand: scores}``.

    Use this when each brand was rated by a separate panel (no respondent rates two brands),
    e.g. a long frame with a ``sample``/panel column; the result goes straight into
    :func:`brand_comparison`, which then uses independent two-sample tests.

    Parameters
    ----------
    long_df : pandas.DataFrame
        One row per rating.
    brand, score : str
        Column names of the brand and the 0–10 score.
    weight : str, optional
        Weight column; values become ``(scores, weights)`` pairs.

    Returns
    -------
    dict
        Brand → float array of scores (NaN kept), or brand → ``(scores, weights)``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = brand_samples(pd.DataFrame({"brand": ["A", "B", "A"], "score": [9, 3, 7]}))
    >>> {k: v.tolist() for k, v in d.items()}
    {'A': [9.0, 7.0], 'B': [3.0]}
    """
    for col in (brand, score) + ((weight,) if weight else ()):
        if col not in long_df.columns:
            raise ValueError(f"The long table has no column {col!r}; columns are "
                             f"{list(long_df.columns)}.")
    out = {}
    for b, g in long_df.groupby(brand, sort=False, observed=True):
        s = _nps_scores(g[score], score)                      # 0–10, text refused
        if weight:
            out[str(b)] = (s, pd.to_numeric(g[weight], errors="coerce").to_numpy(dtype=float))
        else:
            out[str(b)] = s
    return out


@dataclass
class _Brands:
    """Internal form: per-brand score arrays, paired (same rows) or independent samples."""

    names: list
    scores: dict            # brand -> float array (NaN = not rated)
    weights: dict           # brand -> float array or None
    paired: bool            # True: all arrays share the same respondents (rows)
    own: str | None


def _relationship_meta(responses) -> dict:
    return ((getattr(responses, "attrs", {}) or {}).get("cxkit", {}) or {}).get("relationship") or {}


def _weights_of(responses, weighted):
    if not weighted:
        return None
    name = _weight_column(responses, weighted if isinstance(weighted, str) else True, "weighted")
    return pd.to_numeric(responses[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _as_brands(responses, own=None, brands=None, weighted=False) -> _Brands:
    """Normalise the accepted data shapes into :class:`_Brands`."""
    if isinstance(responses, dict):
        names = [str(b) for b in (brands if brands is not None else responses.keys())]
        scores, weights = {}, {}
        for b in names:
            if b not in responses:
                raise ValueError(f"No sample for brand {b!r}; samples are {list(responses)}.")
            v = responses[b]
            if isinstance(v, tuple) and len(v) == 2:
                s, w = v
                weights[b] = np.asarray(w, dtype=float) if weighted else None
            else:
                s = v
                if weighted:
                    raise ValueError(f"`weighted=True` needs (scores, weights) pairs; brand {b!r} "
                                     "has scores only.")
                weights[b] = None
            scores[b] = _nps_scores(s, b)
        own = own if own is not None else names[0]
        if own not in names:
            names = [own] + names
        return _Brands(names, scores, weights, False, own)
    if not isinstance(responses, pd.DataFrame):
        raise TypeError("`responses` must be a wide DataFrame (one column per brand) or a dict "
                        f"brand -> scores, not {type(responses).__name__}.")
    meta = _relationship_meta(responses)
    own = own if own is not None else meta.get("own")
    if brands is None:
        brands = meta.get("brands")
    if brands is None:
        raise ValueError("Pass `brands=[...]` (the brand score columns): this table has no "
                         "`relationship:` configuration.")
    names = [str(b) for b in brands]
    if own is None:
        own = names[0]
    if own not in names:
        names = [own] + names
    missing = [b for b in names if b not in responses.columns]
    if missing:
        close = closest_column(missing[0], responses.columns)
        raise SurveyDataError(f"The responses table has no brand column(s) {missing}."
                              f"{f' Did you mean {close!r}?' if close else ''} Columns are "
                              f"{list(responses.columns)}.", column=missing[0])
    w = _weights_of(responses, weighted)
    # NPS needs whole numbers 0–10 (core.validate); text is refused, not dropped
    scores = {b: _nps_scores(responses[b], b) for b in names}
    return _Brands(names, scores, {b: w for b in names}, True, own)


def _nps_scores(values, name) -> np.ndarray:
    """0–10 ratings of one brand as floats (NaN = not rated), checked as NPS scores: whole
    numbers 0–10, no text (:mod:`cxkit.core.validate`)."""
    spec = metric_spec("nps")
    if isinstance(values, pd.Series) and values.name is not None:
        name = values.name                  # a column passed as a Series: name the column
    v = numeric_scores(values if isinstance(values, pd.Series) else np.asarray(values),
                       str(name), spec=spec)
    check_scores(v, str(name), spec, (0.0, 10.0, True),
                 index=values.index if isinstance(values, pd.Series) else None)
    return v


def _valid(scores, weights):
    """A valid score with a usable weight (the weight rule: finite and above zero)."""
    ok = np.isfinite(scores)
    if weights is not None:
        ok &= usable_weights(weights)
    return ok


# ------------------------------------------------------------------------------------------
# per-brand estimates and shares
# ------------------------------------------------------------------------------------------

def _brand_row(name, s, w, *, conf, method, is_own, n_rows):
    from .estimators import nps as _nps

    ok = _valid(s, w)
    sv = s[ok]
    wv = None if w is None else w[ok]
    est = _nps(sv, weights=wv, method=method, conf=conf)
    v = nps_values(sv)
    return _brand_record(name, is_own, est, v, np.ones_like(v) if wv is None else wv,
                         int(ok.sum()), n_rows)


def _brand_record(name, is_own, est, v, ww, rated, n_rows):
    """A brands-table row from the brand's estimate, its per-response NPS values ``v`` (or
    histogram bins) with weights ``ww`` (counts for bins), the respondents who rated it and
    all respondents — shared by the pandas and the engine path."""
    tot = ww.sum()
    share = {lab: (100.0 * ww[v == code].sum() / tot if tot > 0 else math.nan)
             for lab, code in (("promoters", 100.0), ("passives", 0.0), ("detractors", -100.0))}
    return {"brand": name, "own": is_own, "nps": est.value, "se": est.se, "ci_low": est.ci_low,
            "ci_high": est.ci_high, "n": est.n, "n_eff": est.n_eff, **share,
            "rated_pct": (100.0 * rated / n_rows) if n_rows else math.nan,
            "method": est.method}


def _brand_table(data: _Brands, *, conf, method):
    rows = []
    for b in data.names:
        s = data.scores[b]
        rows.append(_brand_row(b, s, data.weights[b], conf=conf, method=method,
                               is_own=(b == data.own), n_rows=len(s)))
    out = pd.DataFrame(rows)
    out["n"] = out["n"].astype(np.int64)
    if not data.paired:
        out["rated_pct"] = math.nan
    return out


# ------------------------------------------------------------------------------------------
# rank probabilities (bootstrap over respondents)
# ------------------------------------------------------------------------------------------

def _resample_counts(rng, n, b):
    """(b × n) multinomial resampling counts: how often each unit is drawn in each replicate."""
    idx = rng.integers(0, n, size=(b, n)) + (np.arange(b) * n)[:, None]
    return np.bincount(idx.ravel(), minlength=b * n).reshape(b, n).astype(float)


def _boot_nps(data: _Brands, n_boot, rng, chunk_cells=4_000_000):
    """(n_boot × K) bootstrap NPS per brand; NaN where a replicate has no rating of a brand."""
    K = len(data.names)
    out = np.empty((n_boot, K))
    if data.paired:
        n = len(data.scores[data.names[0]])
        X = np.zeros((n, K))
        R = np.zeros((n, K))
        for j, b in enumerate(data.names):
            s, w = data.scores[b], data.weights[b]
            ok = _valid(s, w)
            wt = np.where(ok, 1.0 if w is None else np.where(ok, w, 0.0), 0.0)
            R[:, j] = wt
            X[:, j] = np.where(ok, nps_values(np.where(ok, s, 0.0)), 0.0) * wt
        step = max(1, min(n_boot, chunk_cells // max(n, 1)))
        for start in range(0, n_boot, step):
            b = min(step, n_boot - start)
            C = _resample_counts(rng, n, b)
            with np.errstate(invalid="ignore", divide="ignore"):
                out[start:start + b] = (C @ X) / (C @ R)
        return out
    for j, b in enumerate(data.names):
        s, w = data.scores[b], data.weights[b]
        ok = _valid(s, w)
        v = nps_values(s[ok])
        wt = np.ones_like(v) if w is None else w[ok]
        n = len(v)
        if n == 0:
            out[:, j] = np.nan
            continue
        step = max(1, min(n_boot, chunk_cells // n))
        for start in range(0, n_boot, step):
            bb = min(step, n_boot - start)
            C = _resample_counts(rng, n, bb)
            with np.errstate(invalid="ignore", divide="ignore"):
                out[start:start + bb, j] = (C @ (v * wt)) / (C @ wt)
    return out


def _rank_table(names, boot):
    """Rank probabilities from bootstrap replicates, ties shared equally between the ranks."""
    B, K = boot.shape
    rated = np.isfinite(boot).any(axis=0)        # brands nobody rates are not ranked
    vals = np.where(np.isfinite(boot), boot, -np.inf)[:, rated]
    names_all, names = list(names), [n for n, r in zip(names, rated) if r]
    K = len(names)
    greater = (vals[:, None, :] > vals[:, :, None]).sum(axis=2)       # B × K: brands ahead
    equal = (vals[:, None, :] == vals[:, :, None]).sum(axis=2) - 1    # B × K: tied others
    probs = np.zeros((K, K))
    for r in range(K):
        hit = (r >= greater) & (r <= greater + equal)
        probs[:, r] = (hit / (equal + 1)).mean(axis=0)
    out = pd.DataFrame({"brand": names})
    for r in range(K):
        out[f"rank_{r + 1}"] = probs[:, r]
    out["expected_rank"] = probs @ np.arange(1, K + 1)
    out["most_likely_rank"] = probs.argmax(axis=1) + 1
    if K < len(names_all):   # unrated brands: listed with NaN probabilities
        out = (out.set_index("brand").reindex(names_all).reset_index())
        out["most_likely_rank"] = out["most_likely_rank"].astype("Int64")
    return out


def rank_probabilities(responses, brands=None, *, weighted=False, n_boot=2000, seed=0):
    """Probability that each brand ranks 1st, 2nd, … by NPS, from a bootstrap over respondents.

    Parameters
    ----------
    responses : pandas.DataFrame, dict or engine source
        Wide relationship table (one 0–10 column per brand, NaN = does not know it), a dict
        brand → scores of independent samples, or an engine source (the response patterns
        are counted in the engine and the bootstrap draws pattern counts from a multinomial:
        the same distribution, other draws; :mod:`cxkit.engines.brands`).
    brands : list of str, optional
        Brands to rank (default: ``responses.attrs["cxkit"]["relationship"]["brands"]`` or
        the dict's keys).
    weighted : bool or str, default False
        Use the survey weights (``True``: the configured weight column; or a column name).
    n_boot : int, default 2000
        Bootstrap replicates.
    seed : int or numpy.random.Generator, default 0
        Seed; the same seed gives the same table.

    Returns
    -------
    pandas.DataFrame
        One row per brand: ``brand``, ``rank_1`` … ``rank_K`` (probabilities, each row and
        each rank column summing to 1), ``expected_rank`` and ``most_likely_rank``.

    Notes
    -----
    Nonparametric bootstrap (Efron & Tibshirani 1993, ch. 6): each replicate draws *n*
    respondents with replacement (multinomial counts :math:`c_{ri}`) and recomputes every
    brand's NPS from the **same** draw,

    .. math:: \\mathrm{NPS}^{*}_{rb} = \\frac{\\sum_i c_{ri}\\, w_i\\, k_{ib}\\, x_{ib}}
              {\\sum_i c_{ri}\\, w_i\\, k_{ib}},

    with :math:`x_{ib}` ∈ {−100, 0, 100} the recoded rating, :math:`k_{ib}` = 1 if respondent
    *i* rates brand *b* (don't-know excluded per brand) and :math:`w_i` the weight (1
    unweighted).  Resampling whole respondents keeps the correlation between a respondent's
    ratings, so the joint uncertainty of the brand scores — and hence of their order — is
    right.  All replicates are computed at once as matrix products ``C @ X``.  Independent
    samples (dict input) are resampled separately per brand.  The rank of a brand in a
    replicate is 1 + the number of brands strictly ahead; ties share the tied ranks equally.
    A brand with no rating in a replicate ranks last; a brand nobody rates is not ranked (NaN
    row).

    References
    ----------
    .. [1] Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*.
       Chapman & Hall/CRC.
    .. [2] Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business Review*
       81(12), 46–54.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"A": [10, 9, 9, 3, 10, 8] * 20, "B": [6, 7, 9, 2, 8, 5] * 20})
    >>> r = rank_probabilities(df, brands=["A", "B"], n_boot=500, seed=1)
    >>> r[["brand", "rank_1"]].round(2).to_dict("list")
    {'brand': ['A', 'B'], 'rank_1': [1.0, 0.0]}
    """
    check_number("n_boot", n_boot, low=1, integer=True)
    if is_engine_input(responses):      # response patterns counted in the engine
        from ..engines.brands import engine_rank_probabilities

        return engine_rank_probabilities(responses, brands, weighted=weighted, n_boot=n_boot,
                                         seed=seed)
    data = _as_brands(responses, brands=brands, weighted=weighted)
    if brands is not None:
        data.names = [str(b) for b in brands]
    boot = _boot_nps(data, int(n_boot), _rng(seed))
    out = _rank_table(data.names, boot)
    out.attrs["n_boot"] = int(n_boot)
    return out


# ------------------------------------------------------------------------------------------
# benchmarks
# ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BenchmarkComparison:
    """Our NPS against an external benchmark; ``diff`` = ours − benchmark (b − a).

    Attributes
    ----------
    diff, se, ci_low, ci_high : float
        Difference in NPS points, its standard error and confidence interval.
    statistic, p_value : float
        z statistic and p-value for ``alternative`` (``"larger"``: ours above the benchmark).
    n_a : int or None
        The benchmark's sample size (None when unknown).
    n_b : int
        Our sample size.
    n_eff_a, n_eff_b : float
        Effective sizes (NaN when unknown).
    method : str
        ``"one-sample z"`` (benchmark a fixed number), ``"two-sample z"`` (benchmark's n and
        shares known) or ``"two-sample z (variance bound)"`` (n known, shares unknown).
    value, benchmark : float
        Our NPS and the benchmark NPS.
    label : str
        Benchmark name.
    conf : float
    alternative : str
    """

    diff: float
    se: float
    ci_low: float
    ci_high: float
    statistic: float
    p_value: float
    n_a: int | None
    n_b: int
    n_eff_a: float
    n_eff_b: float
    method: str
    value: float
    benchmark: float
    label: str = "benchmark"
    conf: float = 0.95
    alternative: str = "two-sided"

    def to_dict(self) -> dict:
        """The fields as a plain dict of JSON-safe Python scalars (NaN becomes None)."""
        return _json_safe(dataclasses.asdict(self))

    def __iter__(self):  # unpacks as (statistic, p_value), like statsmodels' test results
        return iter((self.statistic, self.p_value))


def compare_to_benchmark(estimate_or_scores, benchmark_nps, *, benchmark_n=None,
                         benchmark_shares=None, weights=None, conf=0.95,
                         alternative="two-sided", label="benchmark") -> BenchmarkComparison:
    """Test our NPS against an external benchmark (a published NPS).

    Parameters
    ----------
    estimate_or_scores : Estimate or array_like
        Our NPS as an :class:`cxkit.Estimate` (its ``se`` is used as given), or raw 0–10
        scores (NaN = missing), whose Wald SE (linearised when ``weights`` are given) is used.
    benchmark_nps : float
        The published NPS in points (−100…100).
    benchmark_n : int, optional
        The benchmark's sample size, when published.
    benchmark_shares : (float, float, float) or dict, optional
        The benchmark's shares **in percent**, in cxkit's category order
        ``(detractors, passives, promoters)``, or ``{"detractors": .., "promoters": ..}``; must
        agree with ``benchmark_nps`` (promoters − detractors) within 1.5 points of rounding.
        The cxkit 0.1 pair ``(promoters, detractors)`` still works, with a DeprecationWarning.
    weights : array_like, optional
        Survey weights of ``scores``.
    conf : float, default 0.95
    alternative : {"two-sided", "larger", "smaller"}
        ``"larger"``: our NPS is above the benchmark.
    label : str
        Name of the benchmark, carried into the result.

    Returns
    -------
    BenchmarkComparison

    Notes
    -----
    With :math:`\\hat N` our NPS, :math:`N_0` the benchmark and :math:`d = \\hat N - N_0`:

    * **only the number is known** — a one-sample z test against a fixed value,
      :math:`z = d / \\mathrm{SE}(\\hat N)`, treating the benchmark as exact;
    * **n and shares known** — two independent samples (Wald):
      :math:`\\mathrm{SE}_0 = 100\\sqrt{(p_P + p_D - (p_P - p_D)^2)/n_0}` and
      :math:`z = d / \\sqrt{\\mathrm{SE}(\\hat N)^2 + \\mathrm{SE}_0^2}`
      (the per-response NPS variance of Rocks 2016);
    * **n known, shares unknown** — the benchmark variance is bounded by its maximum for the
      given NPS, :math:`1 - (N_0/100)^2` (no passives), which makes the test conservative.

    The interval is :math:`d \\pm z_{1-(1-conf)/2}\\,\\mathrm{SE}`.  A published benchmark
    from another survey (different wording, sample and fieldwork) is only comparable in a
    loose sense; the test covers sampling error only.

    References
    ----------
    .. [1] Rocks, B. (2016). Interval estimation for the "net promoter score".
       *The American Statistician* 70(4), 365–372.
    .. [2] Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business Review*
       81(12), 46–54.

    Examples
    --------
    >>> from cxkit import Estimate
    >>> est = Estimate("nps", 30.0, 4.0, 22.2, 37.8, 400, 400.0)
    >>> r = compare_to_benchmark(est, 22)
    >>> round(r.diff, 1), round(r.statistic, 2), round(r.p_value, 4)
    (8.0, 2.0, 0.0455)
    """
    conf = check_conf(conf)
    check_alternative(alternative)
    check_number("benchmark_nps", benchmark_nps, low=-100, high=100)
    check_number("benchmark_n", benchmark_n, low=1, allow_none=True)
    if isinstance(estimate_or_scores, Estimate):
        value, se, n, n_eff = (estimate_or_scores.value, estimate_or_scores.se,
                               estimate_or_scores.n, estimate_or_scores.n_eff)
    else:
        s = np.asarray(estimate_or_scores, dtype=float)
        w = None if weights is None else np.asarray(weights, dtype=float)
        ok = _valid(s, w)
        v = nps_values(s[ok])
        if w is None:
            m = histogram_moments(v, np.ones_like(v))
        else:
            m = histogram_moments(v, np.ones_like(v), w[ok], w[ok] ** 2)
        value, se, n, n_eff = m.mean, m.se, m.n, m.n_eff
    diff = float(value - benchmark_nps)
    b = benchmark_nps / 100.0
    if benchmark_shares is not None:
        if benchmark_n is None:
            raise ValueError("`benchmark_shares` need `benchmark_n` (the benchmark's sample size).")
        if isinstance(benchmark_shares, dict):
            pp, pd_ = benchmark_shares["promoters"], benchmark_shares["detractors"]
        elif len(benchmark_shares) == 3:
            pd_, _, pp = benchmark_shares
        elif len(benchmark_shares) == 2:
            pp, pd_ = benchmark_shares
            warn_deprecated(f"benchmark_shares={tuple(benchmark_shares)!r} — (promoters, detractors) — "
                            f"is the old order; pass benchmark_shares=({pd_:g}, {100 - pp - pd_:g}, "
                            f"{pp:g}): (detractors, passives, promoters) in percent, or a dict.")
        else:
            raise ValueError("`benchmark_shares` is (detractors, passives, promoters) in percent or a "
                             f"dict with `detractors` and `promoters`, but {benchmark_shares!r} was passed.")
        check_number("benchmark promoters", pp, low=0, high=100)
        check_number("benchmark detractors", pd_, low=0, high=100)
        if abs((pp - pd_) - benchmark_nps) > 1.5 or pp + pd_ > 100.5:
            raise ValueError(
                f"The benchmark shares (promoters {pp}, detractors {pd_}) do not match its NPS "
                f"{benchmark_nps} (promoters − detractors, in percent); pass shares in percent.")
        pp, pd_ = pp / 100.0, pd_ / 100.0
        var0 = pp + pd_ - (pp - pd_) ** 2
        se0 = 100.0 * math.sqrt(var0 / benchmark_n)
        method = "two-sample z"
    elif benchmark_n is not None:
        se0 = 100.0 * math.sqrt((1.0 - b * b) / benchmark_n)
        method = "two-sample z (variance bound)"
    else:
        se0 = 0.0
        method = "one-sample z"
    tot = math.sqrt(se ** 2 + se0 ** 2)
    z = diff / tot if tot > 0 else math.nan
    q = stats.norm.ppf(0.5 + conf / 2)
    return BenchmarkComparison(
        diff=diff, se=tot, ci_low=diff - q * tot, ci_high=diff + q * tot, statistic=z,
        p_value=_p_from_z(z, alternative) if math.isfinite(z) else math.nan,
        n_a=None if benchmark_n is None else int(benchmark_n), n_b=int(n),
        n_eff_a=float(benchmark_n) if benchmark_n is not None else math.nan, n_eff_b=float(n_eff),
        method=method, value=float(value), benchmark=float(benchmark_nps), label=str(label),
        conf=conf, alternative=alternative)


_BENCH_OPT = re.compile(r"\b(n|promoters|detractors)\s*[=:]?\s*([-+]?\d+(?:\.\d+)?)\s*%?", re.I)


def parse_benchmarks(value) -> dict:
    """Parse benchmark values: ``"Industry average=22"``, several separated by ``;`` (or ``,``).

    Each entry is ``name=NPS`` (or ``name: NPS``) optionally followed by ``n=…``,
    ``promoters=…``, ``detractors=…`` (percent; ``=`` optional, e.g. ``n 800``), e.g.
    ``"Study X=30 n=800 promoters=45 detractors=15"`` or ``"Study X: 30 n 800"``.
    Also accepts a dict name → NPS or name → dict with keys ``nps``, ``n``, ``promoters``,
    ``detractors``; ``""``/``None`` give ``{}``.

    Returns
    -------
    dict
        name → ``{"nps": float, "n": int or None, "promoters": float or None,
        "detractors": float or None}``.

    Examples
    --------
    >>> parse_benchmarks("Industry average=22; Study X=30 n=800")["Study X"]
    {'nps': 30.0, 'n': 800, 'promoters': None, 'detractors': None}
    >>> parse_benchmarks("Industry average: 22")
    {'Industry average': {'nps': 22.0, 'n': None, 'promoters': None, 'detractors': None}}
    """
    if value is None:
        return {}
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if isinstance(v, dict):
                out[str(k)] = {"nps": float(v["nps"]), "n": v.get("n"),
                               "promoters": v.get("promoters"), "detractors": v.get("detractors")}
            else:
                out[str(k)] = {"nps": float(v), "n": None, "promoters": None, "detractors": None}
        return out
    text = str(value).strip()
    if not text:
        return {}
    parts = text.split(";") if ";" in text else text.split(",")
    out = {}
    for part in parts:
        part = part.strip()
        if not part:
            continue
        m = re.match(r"^(.*?)\s*[=:]\s*([-+]?\d+(?:\.\d+)?)(.*)$", part)
        if not m or not m.group(1).strip():
            raise ValueError(f"Cannot read the benchmark {part!r}: write it as name=NPS, e.g. "
                             "'Industry average=22' (optionally 'n=800 promoters=45 "
                             "detractors=15').")
        opts = {k.lower(): float(v) for k, v in _BENCH_OPT.findall(m.group(3))}
        out[m.group(1).strip()] = {
            "nps": float(m.group(2)),
            "n": int(opts["n"]) if "n" in opts else None,
            "promoters": opts.get("promoters"), "detractors": opts.get("detractors")}
    return out


# ------------------------------------------------------------------------------------------
# gaps to the own brand
# ------------------------------------------------------------------------------------------

_PAIRED_METHODS = ("paired-t", "paired-wald", "overlap")
#: cxkit 0.1 names of the paired gap tests (they warn): the names ``compare`` uses replace them
_OLD_PAIRED_METHODS = {"t": "paired-t", "wald": "paired-wald"}


def _paired_gap_method(method, param="method"):
    """The paired gap test's name: ``compare``'s names ("paired-t", "paired-wald") or "overlap";
    the 0.1 names "t" and "wald" work with a DeprecationWarning."""
    if method in _OLD_PAIRED_METHODS:
        new = _OLD_PAIRED_METHODS[method]
        warn_deprecated(f"{param}={method!r} is the old name; pass {param}={new!r} (the name "
                        "cxkit.compare and the result's `method` use).")
        return new
    return check_method(_PAIRED_METHODS, method, param)


def _overlap_gap(o, c, w, *, conf, alternative):
    """Gap of the two brands' NPS over everyone who rates each (partially overlapping samples)."""
    from .twosample import Comparison

    ko, kc = _valid(o, w), _valid(c, w)
    ww = np.ones(len(o)) if w is None else np.where(np.isfinite(w), w, 0.0)
    xo = np.where(ko, nps_values(np.where(ko, o, 0.0)), 0.0)
    xc = np.where(kc, nps_values(np.where(kc, c, 0.0)), 0.0)
    Wo, Wc = float((ww * ko).sum()), float((ww * kc).sum())
    either = ko | kc
    N = int(either.sum())
    n_eff = [float((ww * k).sum() ** 2 / (ww ** 2 * k).sum()) if k.any() else 0.0 for k in (ko, kc)]
    nan = math.nan
    if Wo <= 0 or Wc <= 0 or N < 2:
        return Comparison("nps", nan, nan, nan, nan, nan, nan, int(ko.sum()), int(kc.sum()),
                          n_eff[0], n_eff[1], "overlap-linearized", conf=conf,
                          alternative=alternative, weighted=w is not None, paired=True,
                          n_excluded=int((~either).sum()), note="too few ratings of a brand")
    mo, mc = float((ww * xo).sum() / Wo), float((ww * xc).sum() / Wc)
    z = ww * (kc * (xc - mc) / Wc - ko * (xo - mo) / Wo)
    se = math.sqrt(N / (N - 1) * float((z * z).sum()))
    diff = mc - mo
    stat = diff / se if se > 0 else nan
    df = N - 1
    q = float(stats.t.ppf(0.5 + conf / 2, df))
    p = _p_from_t(stat, df, alternative) if math.isfinite(stat) else nan
    return Comparison("nps", diff, se, diff - q * se, diff + q * se, stat, float(p),
                      int(ko.sum()), int(kc.sum()), n_eff[0], n_eff[1], "overlap-linearized",
                      mo, mc, conf, alternative, w is not None, True, int((~either).sum()),
                      float(df),
                      "" if se > 0 else "no variation")


def brand_gap(own_scores, competitor_scores, *, weights=None, paired=True, method=None,
              conf=0.95, alternative="two-sided"):
    """NPS gap of a competitor to the own brand (competitor − own) with its test.

    Parameters
    ----------
    own_scores, competitor_scores : array_like
        0–10 ratings (NaN = does not know the brand).  ``paired=True``: aligned ratings of the
        same respondents (pairs with a blank on either side are left out).
    weights : array_like, optional
        Respondent weights (paired), or ``(own_weights, competitor_weights)`` (independent).
    paired : bool, default True
        Same respondents rate both brands.
    method : str, optional
        Paired: ``"paired-t"`` (default), ``"paired-wald"`` or ``"overlap"`` (the names of
        :func:`cxkit.compare`; the cxkit 0.1 names ``"t"``/``"wald"`` warn); independent:
        ``"adjusted-wald"`` (default) or ``"wald"``.  Weighted data use linearised
        variances (``"paired-t"``: t on n_eff − 1 df; ``"paired-wald"``: z; ``"overlap"``: t on
        N − 1 df).
    conf : float, default 0.95
    alternative : {"two-sided", "larger", "smaller"}, default "two-sided"
        ``"larger"``: competitor above the own brand.

    Returns
    -------
    cxkit.Comparison
        ``diff`` = NPS(competitor) − NPS(own) in points, ``se``, ``ci_low``, ``ci_high``,
        ``statistic``, ``p_value``, ``n_a``/``n_b`` (pairs when paired), ``method``
        (``"paired-t"``, ``"paired-wald"``, ``"paired-linearized"``, ``"overlap-linearized"``,
        ``"adjusted-wald"``, ``"wald"`` or ``"linearized"``).

    Notes
    -----
    All tests are :func:`cxkit.compare`.  Paired, with recoded values x ∈ {−100, 0, 100} and
    per-respondent differences :math:`d_i = x_{i,comp} - x_{i,own}` on the *n* respondents
    who rate both brands, the gap is :math:`\\bar d` (the difference of the two NPS on the
    pairs) and

    * ``"wald"``: :math:`SE^2 = \\hat\\sigma^2_d / n` with the plug-in variance (divisor
      *n*), which is the exact multinomial variance of the difference of two correlated NPS
      from the 3 × 3 joint table, :math:`[V_{own} + V_{comp} - 2\\,Cov]/n`, and a z test;
    * ``"t"`` (default): the paired t test on :math:`d_i` (:math:`SE^2 = s_d^2/n`, divisor
      *n* − 1, *t* with *n* − 1 df) — ``compare(..., metric="mean", paired=True)`` on the
      recoded values.  Asymptotically the same as Wald; at small *n* the Wald test is
      liberal (size 6–6.4 % at n = 50 for α = 5 % in ``benchmarks/paired.py``) while the t
      form keeps its size.

    * ``"overlap"``: the gap between the two brands' NPS over **everyone** who rates each
      brand (the difference of the two brand-table NPS), for partially overlapping samples
      (some respondents know only one brand).  Taylor linearisation: with
      :math:`k_{ib}` = 1 if respondent *i* rates brand *b*, weights :math:`w_i` (1
      unweighted) and :math:`W_b = \\sum_i w_i k_{ib}`, the influence of respondent *i* is
      :math:`z_i = w_i [k_{ic}(x_{ic} - m_c)/W_c - k_{io}(x_{io} - m_o)/W_o]` and
      :math:`SE^2 = N/(N-1) \\sum_i z_i^2` over the *N* respondents rating either brand, with
      a t reference on *N* − 1 df (Lumley 2010, ch. 2; Derrick et al. 2017 for partially
      overlapping samples).  With full overlap it is exactly the paired t test; with no
      overlap the SE is the two-sample Wald SE times sqrt(N/(N − 1)).  The only method here
      not computed by :func:`cxkit.compare`.

    Independent samples: the two-sample adjusted Wald test of Rocks (2016) via
    :func:`cxkit.compare`.  Ignoring the pairing would use
    :math:`SE^2 = V_{own}/n + V_{comp}/n`, too large when ratings correlate positively.

    References
    ----------
    .. [1] Rocks, B. (2016). Interval estimation for the "net promoter score".
       *The American Statistician* 70(4), 365–372.
    .. [2] Tango, T. (1998). Equivalence test and confidence interval for the difference in
       proportions for the paired-sample design. *Statistics in Medicine* 17(8), 891–908.
    .. [3] Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business Review*
       81(12), 46–54.
    .. [4] Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, ch. 2.
    .. [5] Derrick, B., Toher, D., & White, P. (2017). How to compare the means of two samples
       that include paired observations and independent observations: a companion to
       Derrick, Russ, Toher and White (2017). *The Quantitative Methods for Psychology*
       13(2), 120–126.

    Examples
    --------
    >>> import numpy as np
    >>> own = np.repeat([3, 7, 10], [30, 40, 130])          # NPS 50
    >>> comp = np.repeat([3, 7, 10, 3], [20, 50, 90, 40])   # NPS 15, same respondents
    >>> r = brand_gap(own, comp, method="paired-wald")
    >>> round(r.diff, 1), r.method
    (-35.0, 'paired-wald')
    """
    from .twosample import compare

    check_alternative(alternative)
    o = _nps_scores(own_scores, "own_scores")
    c = _nps_scores(competitor_scores, "competitor_scores")
    if paired:
        method = _paired_gap_method(method or "paired-t")
        w = None if weights is None else np.asarray(weights, dtype=float)
        if method == "overlap":
            if len(o) != len(c) or (w is not None and len(w) != len(o)):
                raise ValueError("Paired comparisons need aligned ratings of the same respondents.")
            return _overlap_gap(o, c, w, conf=check_conf(conf), alternative=alternative)
        both = _valid(o, w) & _valid(c, w)
        o, c = o[both], c[both]
        w = None if w is None else w[both]
        return compare(o, c, metric="nps", weights_a=w, paired=True, conf=conf,
                       alternative=alternative,
                       method=None if method == "paired-t" else ("paired-wald" if w is None
                                                          else "paired-linearized"))
    wo = wc = None
    if weights is not None:
        wo, wc = (np.asarray(x, dtype=float) for x in weights)
    ko, kc = _valid(o, wo), _valid(c, wc)
    return compare(o[ko], c[kc], metric="nps", weights_a=None if wo is None else wo[ko],
                   weights_b=None if wc is None else wc[kc], paired=False, method=method,
                   conf=conf, alternative=alternative)


def _gap_row(data: _Brands, brand, *, conf, alternative, paired_method="paired-t",
             independent_method=None):
    own = data.own
    so, sb = data.scores[own], data.scores[brand]
    wo, wb = data.weights[own], data.weights[brand]
    if data.paired:
        both = _valid(so, wo) & _valid(sb, wb)
        n_pairs = int(both.sum())
    else:
        n_pairs = 0
    if n_pairs >= 1:  # fewer than 2 pairs: compare() returns NaN with a note
        res = brand_gap(so, sb, weights=wo, paired=True, method=paired_method, conf=conf,
                        alternative=alternative)
        design = "paired"
        on = ("everyone rating either brand (overlap)" if paired_method == "overlap"
              else "respondents rating both")
    else:
        res = brand_gap(so, sb, weights=None if wo is None else (wo, wb), paired=False,
                        method=independent_method, conf=conf, alternative=alternative)
        design = "independent"
        on = "separate samples" if not data.paired else "no respondent rates both"
    return {"brand": brand, "own_brand": own, "gap": res.diff, "se": res.se,
            "ci_low": res.ci_low, "ci_high": res.ci_high, "statistic": res.statistic,
            "p_value": res.p_value, "n_own": res.n_a, "n_brand": res.n_b, "n_pairs": n_pairs,
            "design": design, "basis": on, "method": res.method, "note": res.note}


def _adjust(pvals, alpha, correction):
    p = np.asarray(pvals, dtype=float)
    ok = np.isfinite(p)
    adj = np.full_like(p, np.nan)
    if correction is None or not ok.any():
        adj[ok] = p[ok]
    elif correction in ("holm", "bonferroni", "fdr_bh"):   # cxkit's own (cxkit.adjust_pvalues)
        from .multiplicity import adjust_pvalues

        adj[ok] = adjust_pvalues(p[ok], {"fdr_bh": "fdr-bh"}.get(correction, correction))
    else:                                                  # hommel: statsmodels
        from statsmodels.stats.multitest import multipletests

        adj[ok] = multipletests(p[ok], alpha=alpha, method=correction)[1]
    return adj


# ------------------------------------------------------------------------------------------
# the brand table
# ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BrandComparison:
    """Result of :func:`brand_comparison`: tidy tables and the settings that made them.

    Attributes
    ----------
    brands : pandas.DataFrame
        One row per brand: ``brand``, ``own`` (bool), ``nps``, ``se``, ``ci_low``,
        ``ci_high``, ``n`` (respondents rating the brand), ``n_eff``, ``promoters``,
        ``passives``, ``detractors`` (shares in percent), ``rated_pct`` (percent of
        respondents who rate the brand, NaN for independent samples), ``method``.
    gaps : pandas.DataFrame
        One row per competitor: ``brand``, ``own_brand``, ``gap`` (competitor − own, NPS
        points), ``se``, ``ci_low``, ``ci_high`` (unadjusted, level ``conf``), ``statistic``,
        ``p_value``, ``p_adj`` (``correction`` over all competitors), ``significant``
        (``p_adj < alpha``), ``n_own``, ``n_brand``, ``n_pairs`` (respondents rating both),
        ``design`` (``"paired"``/``"independent"``), ``basis`` (in words), ``method``
        (the test of :func:`cxkit.compare`), ``own_nps_pairs``, ``brand_nps_pairs`` (NPS of
        the two brands among the pairs, paired rows only).
    ranks : pandas.DataFrame
        :func:`rank_probabilities` of the brands.
    benchmarks : pandas.DataFrame
        One row per benchmark, the own brand against it (fields of
        :class:`BenchmarkComparison`); empty when no benchmarks were given.
    crosstab : pandas.DataFrame
        Tidy who-moves-where table of own brand × each competitor (:func:`brand_crosstab`);
        empty for independent samples.
    own : str
    conf, alpha : float
    correction : str
        ``"holm"``, ``"bonferroni"``, ``"fdr-bh"``, ``"hommel"`` or ``"none"``.
    weighted : bool
    n_boot : int
    seed : object
    design : str
        ``"paired"`` (one table of respondents) or ``"independent"`` (separate samples).
    n_respondents : int
        Rows of the wide table (sum of sample sizes for independent samples).
    """

    brands: pd.DataFrame
    gaps: pd.DataFrame
    ranks: pd.DataFrame
    benchmarks: pd.DataFrame
    crosstab: pd.DataFrame
    own: str
    conf: float
    alpha: float
    correction: str
    weighted: bool
    n_boot: int
    seed: object = 0
    design: str = "paired"
    n_respondents: int = 0

    def to_dict(self) -> dict:
        """JSON-safe headline numbers: settings, brand NPS with CI, gaps with adjusted p."""
        def rec(df, cols):
            out = []
            for row in df[cols].to_dict("records"):
                out.append({k: _json_safe(v) for k, v in row.items()})
            return out
        return {
            "own": self.own, "conf": self.conf, "alpha": self.alpha,
            "correction": self.correction, "weighted": self.weighted, "design": self.design,
            "n_respondents": int(self.n_respondents), "n_boot": int(self.n_boot),
            "brands": rec(self.brands, ["brand", "nps", "ci_low", "ci_high", "n", "promoters",
                                        "passives", "detractors"]),
            "gaps": rec(self.gaps, ["brand", "gap", "ci_low", "ci_high", "p_value", "p_adj",
                                    "significant", "n_pairs", "design"]),
            "ranks": rec(self.ranks, ["brand", "rank_1", "expected_rank"]),
            "benchmarks": rec(self.benchmarks, list(self.benchmarks.columns))
            if len(self.benchmarks) else [],
        }

    def _repr_html_(self) -> str:
        """Designed HTML tables in JupyterLab (the report's design); ``repr`` stays plain."""
        from ..report.tables import brands_html, gaps_html  # lazy: report is a later wing

        return brands_html(self) + gaps_html(self, style=False)

    def __str__(self) -> str:
        return describe_brands(self)


def brand_comparison(responses, own=None, brands=None, *, conf=0.95, alpha=0.05,
                     correction="holm", weighted=False, n_boot=2000, seed=0, benchmarks=None,
                     method="score", paired_method="paired-t", independent_method=None,
                     alternative="two-sided", design=None) -> BrandComparison:
    """Compare the own brand's NPS with competitors: scores, paired gaps, ranks, benchmarks.

    Parameters
    ----------
    responses : pandas.DataFrame or dict
        The wide relationship table (one row per respondent, one 0–10 column per brand, NaN
        = does not know the brand; e.g. ``cxkit.load_survey("demo-relationship")[0]``), or a
        dict brand → scores (or brand → ``(scores, weights)``) of **independent** samples,
        one per brand (see :func:`brand_samples`).  Or an **engine source** (Parquet/CSV
        paths, a DuckDB relation, an Ibis table, a PySpark DataFrame, a
        :func:`cxkit.scan` survey — wide, or long with ``relationship={"form": "long", ...}``):
        the per-brand and joint (own × competitor) histograms are computed in the engine and
        the same statistics follow from them (:mod:`cxkit.engines.brands`).
    own : str, optional
        The own brand (default ``responses.attrs["cxkit"]["relationship"]["own"]``, else the
        first brand).
    brands : list of str, optional
        Brands to compare, own brand included or not (default: the configured brands, or
        the dict's keys).
    conf : float, default 0.95
        Confidence level of the intervals.
    alpha : float, default 0.05
        Significance level for the ``significant`` column (applied to adjusted p-values).
    correction : {"holm", "bonferroni", "fdr-bh", "bh", "hommel", "none"}, default "holm"
        Multiple-testing adjustment over the competitor gaps (statsmodels
        ``multipletests``).
    weighted : bool or str, default False
        Use survey weights (``True``: the configured weight column).
    n_boot : int, default 2000
        Bootstrap replicates of the rank probabilities (0 skips them).
    seed : int or numpy.random.Generator, default 0
        Seed of the bootstrap.
    benchmarks : str, dict, optional
        External benchmarks for the own brand, e.g. ``"Industry average=22"`` or
        ``{"Industry average": 22}`` (see :func:`parse_benchmarks`).
    method : str, default "score"
        Interval method of the per-brand NPS (:func:`cxkit.nps`).
    paired_method : {"paired-t", "paired-wald", "overlap"}, default "paired-t"
        Test of *paired* gaps (:func:`brand_gap`): paired t on the recoded values, or the
        paired Wald z test (plug-in variance of the 3 × 3 joint table), both on the
        respondents who rate both brands; or ``"overlap"``: the difference of the two brands'
        NPS over everyone who rates each, with a linearised SE that keeps the covariance of
        the overlapping respondents (t on N − 1 df).  Weighted, ``"t"`` is the linearised
        t test (SE of the weighted mean of the differences, t on n_eff − 1 df,
        ``"paired-linearized-t"``) and ``"wald"`` the same SE with a z test
        (``"paired-linearized"``); weighted independent gaps use t on min(n_eff) − 1 df
        (``"linearized-t"``), as every weighted test in cxkit.
    independent_method : {None, "adjusted-wald", "wald"}, optional
        Test of *independent* gaps (:func:`cxkit.compare`; None = adjusted Wald).
    alternative : {"two-sided", "larger", "smaller"}, default "two-sided"
        Alternative of the gap tests (``"larger"``: competitor above own brand).
    design : None, False, True, dict or cxkit.Design
        Survey design of the wide table (``{"strata": column, "cluster": column, "fpc": …}``),
        as in :func:`cxkit.summarize`: each brand's NPS and each gap (paired among
        respondents rating both, or ``"overlap"``) then get Taylor-linearised SEs with strata
        and clusters, t intervals and p on ``df`` = PSUs − strata (a ``df`` column is added;
        ``method`` is ``"design-linearized"``), computed from joint histograms by PSU
        (:func:`cxkit.design_brand_tables`).  Rank probabilities stay the respondent
        bootstrap and benchmarks the weights-only test.  None uses the configured
        ``design:`` when the table has one; False ignores it; without a design the result is
        as before.

    Returns
    -------
    BrandComparison
        ``.brands``, ``.gaps``, ``.ranks``, ``.benchmarks``, ``.crosstab`` (tidy DataFrames)
        and the settings; ``str(result)`` is :func:`describe_brands`.

    Notes
    -----
    *Brand NPS*: :func:`cxkit.nps` on the respondents who rate the brand (adjusted Wald by
    default, Rocks 2016).

    *Gaps* (competitor − own).  When respondents rate both brands the gap is estimated on
    those respondents as the mean of the per-respondent differences
    :math:`d_i = x_{i,b} - x_{i,own}` of recoded values (±100/0), with
    :math:`\\mathrm{SE} = \\sqrt{\\widehat{\\mathrm{Var}}(d)/n}`: the variance of a difference
    of correlated proportions from the 3 × 3 joint table of categories (Tango 1998 for paired
    proportions; :func:`cxkit.compare` with ``paired=True``, see :func:`brand_gap`).  By
    default the variance uses divisor n − 1 with a t reference (paired t), which keeps the
    size at small n; ``paired_method="paired-wald"`` gives the plug-in z test (the names of
    :func:`cxkit.compare`; the cxkit 0.1 names ``"t"``/``"wald"`` work with a DeprecationWarning).  Treating the two brands as
    independent samples would add the two variances and ignore the covariance; with the
    positive correlation of ratings by the same person that overstates the SE (see
    ``benchmarks/paired.py``).  The paired gap is therefore the "head-to-head" gap among
    respondents who know both brands, and may differ from the difference of the two brands'
    NPS in ``.brands`` (computed on everyone who rates each brand); ``own_nps_pairs`` and
    ``brand_nps_pairs`` show the two NPS on the pairs.  ``paired_method="overlap"`` tests
    the difference of the brand-table NPS instead (everyone rating each brand; linearised SE
    for partially overlapping samples, see :func:`brand_gap`).  Brands from separate samples
    (dict input, or no respondent rating both) get an independent two-sample test.

    *Adjustment*: p-values of the K − 1 gaps are adjusted with Holm's step-down method by
    default (Holm 1979), which controls the family-wise error rate; intervals are not
    adjusted.

    *Ranks*: :func:`rank_probabilities` (bootstrap over respondents, Efron & Tibshirani 1993).

    *Benchmarks*: :func:`compare_to_benchmark` of the own brand's Wald/linearised estimate.

    References
    ----------
    .. [1] Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business Review*
       81(12), 46–54.
    .. [2] Rocks, B. (2016). Interval estimation for the "net promoter score".
       *The American Statistician* 70(4), 365–372.
    .. [3] Tango, T. (1998). Equivalence test and confidence interval for the difference in
       proportions for the paired-sample design. *Statistics in Medicine* 17(8), 891–908.
    .. [4] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       *Scandinavian Journal of Statistics* 6(2), 65–70.
    .. [5] Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*.
       Chapman & Hall/CRC.

    Examples
    --------
    >>> import cxkit
    >>> responses, _ = cxkit.load_survey("demo-relationship")
    >>> res = cxkit.brand_comparison(responses, n_boot=200)
    >>> res.gaps[["brand", "design"]].to_dict("list")
    {'brand': ['Brightline', 'Corvo', 'Dunmore'], 'design': ['paired', 'paired', 'paired']}
    """
    conf = check_conf(conf)
    check_number("alpha", alpha, low=0, high=1, low_open=True, high_open=True)
    correction = check_method(list(_CORRECTIONS), correction, "correction")
    check_alternative(alternative)
    check_number("n_boot", n_boot, low=0, integer=True)
    paired_method = _paired_gap_method(paired_method, "paired_method")
    if is_engine_input(responses):      # histograms and joint histograms computed in the engine
        from ..engines.brands import engine_brand_comparison

        if design is not None and design is not False:
            raise ValueError("`design=` (design-based variances) needs the respondent rows: load "
                             "the survey with cxkit.load_survey(config) (pandas) for a design; on "
                             "an engine source leave `design` unset.")
        return engine_brand_comparison(
            responses, own, brands, conf=conf, alpha=alpha, correction=correction,
            weighted=weighted, n_boot=n_boot, seed=seed, benchmarks=benchmarks, method=method,
            paired_method=paired_method, independent_method=independent_method,
            alternative=alternative)
    data = _as_brands(responses, own=own, brands=brands, weighted=weighted)
    if len(data.names) < 2:
        raise ValueError("`brand_comparison` needs the own brand and at least one competitor.")
    table = _brand_table(data, conf=conf, method=method)

    rows = []
    for b in data.names:
        if b == data.own:
            continue
        row = _gap_row(data, b, conf=conf, alternative=alternative, paired_method=paired_method,
                       independent_method=independent_method)
        if row["design"] == "paired":
            so, sb = data.scores[data.own], data.scores[b]
            wo = data.weights[data.own]
            both = _valid(so, wo) & _valid(sb, data.weights[b])
            ww = np.ones(int(both.sum())) if wo is None else wo[both]
            row["own_nps_pairs"] = float((nps_values(so[both]) * ww).sum() / ww.sum())
            row["brand_nps_pairs"] = float((nps_values(sb[both]) * ww).sum() / ww.sum())
        else:
            row["own_nps_pairs"] = row["brand_nps_pairs"] = math.nan
        rows.append(row)
    gaps = pd.DataFrame(rows)
    if design is not None and design is not False or isinstance(responses, pd.DataFrame):
        from .design import configured_design, design_brand_comparison
        if not isinstance(responses, pd.DataFrame):
            raise SurveyDataError("`design=` needs the wide relationship table (one row per "
                                  "respondent with the design's columns), not separate samples.")
        if design is not False and configured_design(responses, design) is not None:
            table, gaps = design_brand_comparison(
                responses, data.own, data.names, table, gaps, design, weighted=weighted,
                conf=conf, alternative=alternative, paired_method=paired_method)
    corr = _CORRECTIONS[correction]
    gaps.insert(gaps.columns.get_loc("p_value") + 1, "p_adj",
                _adjust(gaps["p_value"], alpha, corr))
    gaps.insert(gaps.columns.get_loc("p_adj") + 1, "significant", gaps["p_adj"] < alpha)

    if n_boot:
        ranks = _rank_table(data.names, _boot_nps(data, int(n_boot), _rng(seed)))
    else:
        ranks = pd.DataFrame({"brand": data.names})
    ranks.attrs["n_boot"] = int(n_boot)

    bench = _benchmark_table(data.own, data.scores[data.own], benchmarks,
                             weights=data.weights[data.own],
                             conf=conf, alpha=alpha, alternative=alternative)

    if data.paired:
        xt = _crosstab_tidy(data, [b for b in data.names if b != data.own], weighted=bool(weighted))
        n_resp = len(data.scores[data.own])
    else:
        xt = pd.DataFrame()
        n_resp = int(sum(len(v) for v in data.scores.values()))
    return BrandComparison(
        brands=table, gaps=gaps, ranks=ranks, benchmarks=bench, crosstab=xt, own=data.own,
        conf=conf, alpha=alpha, correction=correction, weighted=bool(weighted),
        n_boot=int(n_boot), seed=seed if isinstance(seed, (int, type(None))) else "generator",
        design="paired" if data.paired else "independent", n_respondents=n_resp)


def _benchmark_table(own, scores, benchmarks, *, weights=None, conf=0.95, alpha=0.05,
                     alternative="two-sided") -> pd.DataFrame:
    """The own brand against published benchmarks: one row per benchmark of
    :func:`compare_to_benchmark` (``scores``: the own brand's 0–10 scores with ``weights``, or
    its :class:`cxkit.Estimate` — the engine path's, from the histogram).  Internal to
    :func:`brand_comparison` and its engine path (:mod:`cxkit.engines.brands`)."""
    rows = []
    for name, spec in parse_benchmarks(benchmarks).items():
        shares = None
        if spec.get("promoters") is not None and spec.get("detractors") is not None:
            shares = {"detractors": spec["detractors"], "promoters": spec["promoters"]}
        r = compare_to_benchmark(scores, spec["nps"], benchmark_n=spec.get("n"),
                                 benchmark_shares=shares, weights=weights, conf=conf,
                                 alternative=alternative, label=name)
        rows.append({"benchmark": name, "benchmark_nps": r.benchmark, "brand": own,
                     "nps": r.value, "diff": r.diff, "se": r.se, "ci_low": r.ci_low,
                     "ci_high": r.ci_high, "statistic": r.statistic,
                     "p_value": r.p_value, "significant": r.p_value < alpha,
                     "benchmark_n": r.n_a, "n": r.n_b, "method": r.method})
    return pd.DataFrame(rows, columns=[
        "benchmark", "benchmark_nps", "brand", "nps", "diff", "se", "ci_low", "ci_high",
        "statistic", "p_value", "significant", "benchmark_n", "n", "method"])


# ------------------------------------------------------------------------------------------
# who moves where
# ------------------------------------------------------------------------------------------

def _category(s):
    v = nps_values(s)
    cat = np.full(v.shape, -1, dtype=np.int64)
    cat[v == -100.0] = 0
    cat[v == 0.0] = 1
    cat[v == 100.0] = 2
    return cat


def _joint(data: _Brands, competitor):
    own = data.own
    so, sc = data.scores[own], data.scores[competitor]
    w = data.weights[own]
    both = _valid(so, w) & _valid(sc, w)
    co, cc = _category(so[both]), _category(sc[both])
    wt = None if w is None else w[both]
    counts = np.bincount(co * 3 + cc, weights=wt, minlength=9).reshape(3, 3)
    return counts, int(both.sum())


def _crosstab_tidy(data, competitors, weighted):
    return _tidy_crosstab(data.own, [(c, *_joint(data, c)) for c in competitors], weighted)


def _tidy_crosstab(own, joints, weighted):
    """The tidy who-moves-where table from ``[(competitor, 3 × 3 counts, pairs), ...]``."""
    rows = []
    for c, counts, n in joints:
        tot = counts.sum()
        rs, cs = counts.sum(axis=1), counts.sum(axis=0)
        for i, oc in enumerate(CATEGORIES):
            for j, cc in enumerate(CATEGORIES):
                x = counts[i, j]
                rows.append({"competitor": c, "own_category": oc, "competitor_category": cc,
                             "count": float(x) if weighted else int(x),
                             "pct_of_pairs": 100 * x / tot if tot else math.nan,
                             "pct_of_own_category": 100 * x / rs[i] if rs[i] else math.nan,
                             "pct_of_competitor_category": 100 * x / cs[j] if cs[j] else math.nan,
                             "n_pairs": n})
    out = pd.DataFrame(rows, columns=["competitor", "own_category", "competitor_category", "count",
                                      "pct_of_pairs", "pct_of_own_category",
                                      "pct_of_competitor_category", "n_pairs"])
    if len(out):
        out["own_category"] = pd.Categorical(out["own_category"], CATEGORIES, ordered=True)
        out["competitor_category"] = pd.Categorical(out["competitor_category"], CATEGORIES,
                                                    ordered=True)
    out.attrs["own"] = own
    return out


def brand_crosstab(responses, own=None, competitor=None, *, normalize=None, weighted=False):
    """Who moves where: own-brand category × competitor category of the same respondents.

    Parameters
    ----------
    responses : pandas.DataFrame or engine source
        Wide relationship table (one row per respondent, one 0–10 column per brand), or an
        engine source (the joint histograms are computed in the engine,
        :mod:`cxkit.engines.brands`).
    own : str, optional
        Own brand (default: the configured one).
    competitor : str or list of str, optional
        One competitor gives a 3 × 3 frame; a list or None (all configured competitors) gives
        the tidy table of all of them.
    normalize : {None, "all", "index", "columns"}, default None
        For the 3 × 3 frame (as :func:`pandas.crosstab`, but in **percent**): counts; percent
        of all pairs; percent within each own-brand category (rows); percent within each
        competitor category (columns).
    weighted : bool or str, default False
        Sum survey weights instead of counting respondents.

    Returns
    -------
    pandas.DataFrame
        *3 × 3*: index ``own_category`` and columns ``competitor_category``, both
        Detractor/Passive/Promoter; ``attrs["n_pairs"]`` = respondents rating both.
        *Tidy*: ``competitor``, ``own_category``, ``competitor_category``, ``count``,
        ``pct_of_pairs``, ``pct_of_own_category``, ``pct_of_competitor_category``,
        ``n_pairs``.  Respondents who do not rate both brands are left out.

    Notes
    -----
    Categories after Reichheld (2003): detractor 0–6, passive 7–8, promoter 9–10.  The
    table is the joint distribution behind the paired gap: the gap (competitor − own) in
    NPS points is 100 × [(P_c − D_c) − (P_o − D_o)] / n from its margins, and its variance
    comes from the same table (Tango 1998).  E.g. ``pct_of_competitor_category`` in row
    Detractor, column Promoter is "the share of the competitor's promoters who are our
    detractors".

    References
    ----------
    .. [1] Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business Review*
       81(12), 46–54.
    .. [2] Tango, T. (1998). *Statistics in Medicine* 17(8), 891–908.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"Acme": [10, 9, 3, 8], "Corvo": [2, 9, 9, None]})
    >>> brand_crosstab(df, "Acme", "Corvo").values.tolist()
    [[0, 0, 1], [0, 0, 0], [1, 0, 1]]
    """
    check_argument("normalize", [None, "all", "index", "columns"], normalize)
    meta = _relationship_meta(responses)
    own = own if own is not None else meta.get("own")
    if competitor is None:
        comps = [b for b in (meta.get("brands") or []) if b != own]
        if not comps:
            raise ValueError("Pass `competitor=` (no `relationship:` brands configured).")
    elif isinstance(competitor, str):
        comps = [competitor]
    else:
        comps = [str(c) for c in competitor]
    if own is None:
        raise ValueError("Pass `own=` (no `relationship:` own brand configured).")
    if is_engine_input(responses):      # joint histograms computed in the engine
        from ..engines.brands import engine_joint_counts

        joints = engine_joint_counts(responses, own, comps, weighted)
        if not isinstance(competitor, str):
            return _tidy_crosstab(own, [(c, *joints[c]) for c in comps], bool(weighted))
        counts, n = joints[competitor]
    else:
        data = _as_brands(responses, own=own, brands=[own] + comps, weighted=weighted)
        if not isinstance(competitor, str):
            return _crosstab_tidy(data, comps, bool(weighted))
        counts, n = _joint(data, competitor)
    if normalize == "all":
        vals = 100 * counts / counts.sum() if counts.sum() else counts * np.nan
    elif normalize == "index":
        with np.errstate(invalid="ignore", divide="ignore"):
            vals = 100 * counts / counts.sum(axis=1, keepdims=True)
    elif normalize == "columns":
        with np.errstate(invalid="ignore", divide="ignore"):
            vals = 100 * counts / counts.sum(axis=0, keepdims=True)
    else:
        vals = counts if weighted else counts.astype(np.int64)
    out = pd.DataFrame(vals, index=pd.Index(CATEGORIES, name=f"{own} (own)"),
                       columns=pd.Index(CATEGORIES, name=str(competitor)))
    out.attrs["n_pairs"] = n
    return out


# ------------------------------------------------------------------------------------------
# notebook helpers: subsetting and the plain-language summary
# ------------------------------------------------------------------------------------------

def relationship_subset(responses, period="all", segment=""):
    """Rows of a relationship table for a period (or window) and a segment filter.

    Parameters
    ----------
    responses : pandas.DataFrame or engine source
        Canonical table with a ``period`` column (when ``period`` is not ``"all"``).  An engine
        source is filtered in the engine and comes back as a :class:`cxkit.EngineSurvey`
        (``attrs["cxkit"]["selection"]`` as here).
    period : str
        ``"all"``; ``"latest"`` (the latest complete period); one period ``"2026-10"``; or a
        window ``"2026-05:2026-10"`` (inclusive).
    segment : str
        ``""`` (everyone) or ``column=value`` (or ``column: value``) filters joined by ``,``
        (``value`` may list alternatives with ``|``), e.g. ``"customer_type=Business"``.

    Returns
    -------
    pandas.DataFrame
        The selected rows (attrs kept); ``attrs["cxkit"]["selection"]`` describes them.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"t": ["a", "b"], "period": pd.period_range("2026-09", periods=2, freq="M")})
    >>> len(relationship_subset(df, "2026-10", "t=b"))
    1
    """
    from ..core.periods import resolve_period

    if is_engine_input(responses):      # filtered in the engine: an EngineSurvey comes back
        from ..engines.brands import engine_relationship_subset

        return engine_relationship_subset(responses, period, segment)
    out = responses
    text = str(period).strip()
    label = "all periods"
    if text.lower() not in ("all", "*"):
        if "period" not in responses.columns:
            raise ValueError("Selecting a period needs a `period` column (configure `date:`).")
        per = period_values(responses)          # a period column of texts is parsed
        if ":" in text:
            lo, hi = (resolve_period(x.strip(), responses) for x in text.split(":", 1))
            mask = (per >= lo) & (per <= hi)
            label = f"{lo} to {hi}"
        else:
            p = resolve_period(text, responses)
            mask = per == p
            label = str(p)
        out = out[mask.to_numpy()]
    seg_label = []
    for col, vals in _segment_filters(segment, responses.columns,
                                     lambda c: responses[c].dropna().astype(str).unique()):
        out = out[out[col].astype(str).isin(vals).to_numpy()]
        seg_label.append(f"{col} = {' or '.join(vals)}")
    out = out.copy()
    meta = dict(responses.attrs.get("cxkit", {}) or {})
    meta["selection"] = {"period": label, "segment": "; ".join(seg_label) or "all respondents",
                         "rows": int(len(out))}
    out.attrs["cxkit"] = meta
    return out



def _segment_filters(segment, columns, values_of):
    """``"col=a|b, col2: c"`` (a :func:`relationship_subset` segment filter) as
    ``[(col, [values])]``, each column checked against ``columns`` and each value against
    ``values_of(col)`` (its values as text) — shared by the pandas and the engine path."""
    out = []
    for part in [p for p in str(segment or "").split(",") if p.strip()]:
        sep = "=" if "=" in part else ":"
        if sep not in part:
            raise ValueError(f"Cannot read the segment filter {part!r}: write column=value, "
                             "e.g. 'customer_type=Business' (or 'customer_type: Business').")
        col, val = (x.strip() for x in part.split(sep, 1))
        if col not in columns:
            raise ValueError(f"No segment column {col!r}; columns are {list(columns)}.")
        vals = [v.strip() for v in val.split("|")]
        known = set(str(v) for v in values_of(col))
        unknown = [v for v in vals if v not in known]
        if unknown:
            raise ValueError(f"Segment {col!r} has no value(s) {unknown}; values are "
                             f"{sorted(known)}.")
        out.append((col, vals))
    return out

def _fmt_p(p):
    if not math.isfinite(p):
        return "n/a"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def describe_brands(result: BrandComparison) -> str:
    """Plain-language summary of a :func:`brand_comparison` result.

    Parameters
    ----------
    result : BrandComparison

    Returns
    -------
    str
        A few sentences: the own brand's NPS with its interval, each competitor's gap with
        its adjusted significance (and whether it is paired), the most likely leader with its
        bootstrap probability, and the benchmark comparisons.

    Notes
    -----
    Text only; every number comes from ``result`` (see :func:`brand_comparison` for the
    formulas).  "Significant" means the adjusted p-value is below ``alpha``.

    References
    ----------
    .. [1] Holm, S. (1979). *Scandinavian Journal of Statistics* 6(2), 65–70.

    Examples
    --------
    >>> import cxkit
    >>> responses, _ = cxkit.load_survey("demo-relationship")
    >>> print(describe_brands(cxkit.brand_comparison(responses, n_boot=200)))  # doctest: +ELLIPSIS
    Acme (own brand): NPS ...
    """
    b = result.brands.set_index("brand")
    own = result.own
    o = b.loc[own]
    lvl = f"{result.conf:.0%}"
    lines = [f"{own} (own brand): NPS {o['nps']:.1f} ({lvl} CI {o['ci_low']:.1f} to "
             f"{o['ci_high']:.1f}, n = {int(o['n']):,})."]
    corr = _CORRECTION_LABEL[_CORRECTIONS[result.correction]]
    for g in result.gaps.itertuples(index=False):
        nb = b.loc[g.brand]
        if int(nb["n"]) == 0:
            lines.append(f"{g.brand}: no respondent rates this brand here; no NPS and no gap.")
            continue
        if not math.isfinite(g.gap):
            lines.append(f"{g.brand}: NPS {nb['nps']:.1f} (n = {int(nb['n']):,}); the gap to {own} "
                         f"cannot be estimated ({g.note or 'too few respondents'}).")
            continue
        where = "ahead of" if g.gap > 0 else "behind"
        if g.design == "paired" and g.method.startswith("overlap"):
            basis = (f"over everyone rating each brand ({g.n_pairs:,} rate both; "
                     f"overlap-aware test)")
        elif g.design == "paired":
            basis = f"among the {g.n_pairs:,} respondents who rate both"
        else:
            basis = "independent samples"
        verdict = ("a significant difference" if g.significant else "not a significant difference")
        lines.append(
            f"{g.brand}: NPS {nb['nps']:.1f} (n = {int(nb['n']):,}); {abs(g.gap):.1f} points "
            f"{where} {own} {basis} ({lvl} CI {g.ci_low:+.1f} to {g.ci_high:+.1f}; "
            f"{corr}-adjusted p {_fmt_p(g.p_adj)}: {verdict} at α = {result.alpha:g}).")
    if "rank_1" in result.ranks.columns:
        r = result.ranks.sort_values("rank_1", ascending=False).iloc[0]
        ro = result.ranks.set_index("brand").loc[own]
        text = (f"Most likely leader: {r['brand']} (ranks first in {r['rank_1']:.0%} of "
                f"{result.n_boot:,} bootstrap resamples over respondents)")
        if r["brand"] != own and not pd.isna(ro["most_likely_rank"]):
            text += (f"; {own} ranks first in {ro['rank_1']:.0%} and is most likely number "
                     f"{int(ro['most_likely_rank'])} ({ro['rank_' + str(int(ro['most_likely_rank']))]:.0%})")
        lines.append(text + ".")
    for x in result.benchmarks.itertuples(index=False):
        where = "above" if x.diff > 0 else "below"
        verdict = "significant" if x.significant else "not significant"
        lines.append(f"Benchmark {x.benchmark} ({x.benchmark_nps:g}): {own} is {abs(x.diff):.1f} "
                     f"points {where} ({x.method}, p {_fmt_p(x.p_value)}, {verdict}).")
    if result.design == "paired" and len(result.crosstab):
        xt = result.crosstab
        lead = result.gaps.sort_values("gap", ascending=False).iloc[0]["brand"]
        cell = xt[(xt["competitor"] == lead) & (xt["competitor_category"] == "Promoter")
                  & (xt["own_category"] == "Detractor")]
        if len(cell) and math.isfinite(cell["pct_of_competitor_category"].iloc[0]):
            lines.append(f"Who moves where: {cell['pct_of_competitor_category'].iloc[0]:.0f}% of "
                         f"{lead}'s promoters are detractors of {own}.")
    return "\n".join(lines)
