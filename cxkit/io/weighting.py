"""Weights that cxkit builds: raking (iterative proportional fitting) with trimming.

:func:`rake` adjusts a sample's weights so that its weighted shares on several variables at
once (region, age, customer type …) match known population shares or totals, optionally
keeping every weight within bounds relative to the mean weight (trimming, then raking again).
The result carries the weight column and its diagnostics: convergence, weighting efficiency,
Kish effective sample size and design effect, the weight range and each margin's achieved
share against its target.

The module lives in :mod:`cxkit.io` because the loader applies a config's ``weighting:``
section while loading (the data flow is one way: io must not import stats).

Why not a library?  weightipy 0.4 (pulls in watchdog, requests, decorator), samplics 0.6 (now
built on polars + pyarrow) and balance 0.23 (scikit-learn, seaborn, plotly, IPython …) were
checked against this project's pandas 3: all add heavy dependencies for what is a 30-line
algorithm, and none reproduces ``survey::trimWeights`` + ``rake`` exactly.  Raking is
implemented here from Deming & Stephan (1940) and tested against R ``survey`` 4.1.1
(``tests/r/weights_refs.R``, values in ``tests/refs_weights.py``).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..core.checks import check_number
from ..core.errors import SurveyDataError

__all__ = ["rake", "RakingResult", "trim_weights", "read_targets", "weight_diagnostics",
           "describe_weighting"]

#: how far a list of shares may sum from 100 (percent) or 1 (fractions) and still be shares
_PERCENT_SLACK = 1.0
_FRACTION_SLACK = 0.01


@dataclass(frozen=True)
class RakingResult:
    """Raked weights and their diagnostics (returned by :func:`rake`).

    Attributes
    ----------
    weights : pandas.Series
        The new weights, indexed like the responses (name ``"weight"``).
    converged : bool
        Every margin within ``tol`` of its target (and every weight within the trimming bounds).
    iterations : int
        Raking sweeps in total (one sweep adjusts every margin once), over all trimming
        rounds.
    n : int
        Responses weighted.
    n_eff : float
        Kish effective sample size (Σw)²/Σw².
    efficiency : float
        Weighting efficiency in percent, 100·n_eff/n.
    design_effect : float
        Kish design effect of the weights, n/n_eff = 1 + CV²(w).
    min_weight, max_weight : float
        Smallest and largest weight.
    min_ratio, max_ratio : float
        The same relative to the mean weight.
    trim : tuple or None
        The (lower, upper) bounds relative to the mean weight, when trimming.
    trimmed : int
        Weights at a trimming bound.
    margins : pandas.DataFrame
        One row per variable and category: ``variable``, ``category``, ``n`` (responses),
        ``sample`` (unweighted share, %), ``base`` (share under the base weights, %),
        ``target`` (%), ``achieved`` (%), ``difference`` (achieved − target, points).
    total : float
        Sum of the weights (the population total, or the base weights' sum for shares).
    units : dict
        How each variable's target values were read: ``"percent"``, ``"fraction"`` or
        ``"total"`` (``unit="auto"`` decides from their sum; see :func:`rake`).
    excluded : int
        Responses left out because a raking variable had no value (``on_missing="exclude"``);
        their weight is NaN.
    excluded_rows : tuple
        The first (up to 10) of them: ``source_row`` of a loaded table, else index labels.
    """

    weights: pd.Series
    converged: bool
    iterations: int
    n: int
    n_eff: float
    efficiency: float
    design_effect: float
    min_weight: float
    max_weight: float
    min_ratio: float
    max_ratio: float
    trim: tuple | None
    trimmed: int
    margins: pd.DataFrame = field(repr=False)
    total: float = 0.0
    units: dict = field(default_factory=dict)
    excluded: int = 0
    excluded_rows: tuple = ()

    def to_dict(self) -> dict:
        """Diagnostics as plain JSON-able values (without the weight column)."""
        out = {k: getattr(self, k) for k in (
            "converged", "iterations", "n", "n_eff", "efficiency", "design_effect",
            "min_weight", "max_weight", "min_ratio", "max_ratio", "trimmed", "total")}
        out = {k: (v if isinstance(v, (bool, int)) else float(v)) for k, v in out.items()}
        out["trim"] = list(self.trim) if self.trim else None
        out["units"] = dict(self.units)
        out["excluded"] = int(self.excluded)
        out["excluded_rows"] = list(self.excluded_rows)
        out["margins"] = [
            {k: (float(v) if isinstance(v, (float, np.floating)) else
                 int(v) if isinstance(v, (np.integer,)) else v) for k, v in row.items()}
            for row in self.margins.to_dict("records")]
        return out


def weight_diagnostics(weights) -> dict:
    """Kish diagnostics of a weight column: n, n_eff, efficiency (%), design effect, range.

    Parameters
    ----------
    weights : array_like
        Positive weights (NaN ignored).

    Returns
    -------
    dict
        ``n``, ``n_eff`` = (Σw)²/Σw², ``efficiency`` = 100·n_eff/n, ``design_effect`` =
        n/n_eff, ``min_weight``, ``max_weight`` and both relative to the mean weight.

    References
    ----------
    .. [1] Kish, L. (1965). *Survey Sampling*. Wiley, §11.7.

    Examples
    --------
    >>> d = weight_diagnostics([1, 1, 2, 2])
    >>> d["n_eff"], round(d["efficiency"], 1), round(d["design_effect"], 4)
    (3.6, 90.0, 1.1111)
    """
    w = np.asarray(weights, dtype=float).ravel()
    w = w[np.isfinite(w)]
    n = int(w.size)
    if n == 0 or np.any(w < 0) or w.sum() <= 0:
        raise SurveyDataError("Weight diagnostics need at least one positive weight and no "
                              "negative ones.")
    s, s2 = float(w.sum()), float((w ** 2).sum())
    ne = s * s / s2
    mean = s / n
    return {"n": n, "n_eff": ne, "efficiency": 100.0 * ne / n, "design_effect": n / ne,
            "min_weight": float(w.min()), "max_weight": float(w.max()),
            "min_ratio": float(w.min() / mean), "max_ratio": float(w.max() / mean)}


def trim_weights(weights, lower=-np.inf, upper=np.inf, *, strict=True, max_rounds=10_000):
    """Trim weights to ``[lower, upper]`` and share the trimmed amount among the others.

    The algorithm of R ``survey::trimWeights``: weights outside the bounds are set to the
    bound, and the total trimmed (positive or negative) is added in equal parts to every
    weight that was inside; with ``strict=True`` this repeats until no weight is outside.
    The sum of the weights is unchanged.

    Parameters
    ----------
    weights : array_like
        Positive weights.
    lower, upper : float
        Absolute bounds (``rake`` passes its relative bounds times the mean weight).
    strict : bool, default True
        Repeat until every weight is within the bounds.
    max_rounds : int, default 10000
        Safety stop for ``strict``.

    Returns
    -------
    numpy.ndarray

    References
    ----------
    .. [1] Lumley, T. (2024). survey: analysis of complex survey samples, R package 4.1,
       ``trimWeights``.
    .. [2] Potter, F. J. (1990). A study of procedures to identify and trim extreme sampling
       weights. *Proceedings of the Survey Research Methods Section, ASA*, 225–230.

    Examples
    --------
    >>> [round(float(x), 4) for x in trim_weights([1, 1, 1, 5], upper=3)]
    [1.6667, 1.6667, 1.6667, 3.0]
    """
    pw = np.array(weights, dtype=float)
    if not (lower < upper) or pw.size * lower > pw.sum() or pw.size * upper < pw.sum():
        raise SurveyDataError(
            f"The trimming bounds [{lower:g}, {upper:g}] cannot hold these weights: their mean "
            f"{pw.mean():g} must lie between the bounds. Widen the bounds.")
    for _ in range(max_rounds):
        outside = (pw < lower) | (pw > upper)
        if not outside.any():
            return pw
        new = np.clip(pw, lower, upper)
        trimmings = float((pw - new).sum())
        new[~outside] += trimmings / int((~outside).sum())
        pw = new
        if not strict:
            return pw
    return pw


#: how ``rake`` reads a variable's target values (``unit=``)
UNITS = ("auto", "percent", "fraction", "total")


def _unit(values, unit, name):
    """The unit of one variable's target values: ``unit`` itself, or (``"auto"``) read from
    their sum — 1 ± 0.01 fractions, 100 ± 1 percent, above 101 population totals; any other
    sum fits none and is an error (a share list that does not add up is more likely a typo or
    a forgotten category than a population of 57)."""
    total = float(sum(values))
    if unit not in UNITS:
        raise SurveyDataError(f"`unit` must be 'auto', 'percent', 'fraction' or 'total', not "
                              f"{unit!r}.")
    if unit != "auto":
        if unit in ("percent", "fraction"):
            want, slack = (100.0, _PERCENT_SLACK) if unit == "percent" else (1.0, _FRACTION_SLACK)
            if abs(total - want) > slack:
                raise SurveyDataError(
                    f"The targets of {name!r} sum to {total:g}, not {want:g}, so they are not "
                    f"shares in {'percent' if unit == 'percent' else 'fractions'} "
                    f"(unit={unit!r}); fix the targets (a category missing?) or use "
                    f"unit='total' if they are population totals.", column=name)
        return unit
    if abs(total - 1.0) <= _FRACTION_SLACK:
        return "fraction"
    if abs(total - 100.0) <= _PERCENT_SLACK:
        return "percent"
    if total > 100.0 + _PERCENT_SLACK:
        return "total"
    raise SurveyDataError(
        f"The targets of {name!r} sum to {total:g}: neither shares in percent (100 ± "
        f"{_PERCENT_SLACK:g}) nor fractions (1 ± {_FRACTION_SLACK:g}), and too small to be read "
        f"as population totals without being told. Fix the shares (is a category missing?) "
        f"or, if these are population totals, say so with unit='total' (config: "
        f"`weighting: {{unit: total}}`).", column=name)


def _base(responses, base_weight):
    n = len(responses)
    if base_weight is None or base_weight is False:
        return np.ones(n), None
    if base_weight is True:
        name = (getattr(responses, "attrs", {}) or {}).get("cxkit", {}).get("weight") or "weight"
        if name not in responses.columns:
            raise SurveyDataError(
                f"`base_weight=True` uses the configured weight column, but the responses have no "
                f"{name!r} column. Pass a column name or leave `base_weight` off.", column=name)
        base_weight = name
    if isinstance(base_weight, str):
        if base_weight not in responses.columns:
            raise SurveyDataError(f"The responses have no base weight column {base_weight!r}.",
                                  column=base_weight)
        w = pd.to_numeric(responses[base_weight], errors="coerce").to_numpy(dtype=float)
        label = base_weight
    else:
        w = np.asarray(base_weight, dtype=float).ravel()
        label = "base_weight"
        if w.size != n:
            raise SurveyDataError(f"`base_weight` has {w.size} values for {n} responses.")
    bad = ~np.isfinite(w) | (w <= 0)
    if bad.any():
        rows = np.flatnonzero(bad)[:10].tolist()
        raise SurveyDataError(
            f"The base weight {label!r} has {int(bad.sum())} missing, non-numeric or non-positive "
            f"value(s) (positions {rows}…). Raking needs a positive base weight for every response;"
            f" exclude those rows first.", column=label if isinstance(base_weight, str) else None)
    return w, label


def _check_trim(trim):
    if trim is None:
        return None
    if isinstance(trim, (int, float)) and not isinstance(trim, bool):
        trim = (None, trim)
    if not isinstance(trim, (tuple, list)) or len(trim) != 2:
        raise SurveyDataError(
            f"`trim` must be the upper bound relative to the mean weight (e.g. 5) or a pair "
            f"(lower, upper) such as (0.2, 5), not {trim!r}.")
    lo, hi = trim
    lo = 0.0 if lo is None else check_number("trim lower bound", lo, low=0)
    hi = math.inf if hi is None else check_number("trim upper bound", hi, low=1, low_open=True)
    if lo >= 1:
        raise SurveyDataError(f"The lower trimming bound {lo} must be below 1 (the mean weight).")
    return (float(lo), float(hi))


def _text(col):
    """A raking variable as stripped text (missing: NaN, blank, or only spaces)."""
    text = col.astype("string").str.strip()
    return text.where(text != "", pd.NA)


def _coded(col):
    """``(codes, texts)``: each row's position in ``texts`` (the stripped distinct values, NA
    for blank), -1 when missing — computed on the categories of a categorical column."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        return col.cat.codes.to_numpy(), _text(pd.Series(col.cat.categories)).to_numpy(
            dtype=object, na_value=None)
    if pd.api.types.is_float_dtype(col):      # codes 1.0, 2.0 (a column with NaN) read as 1, 2
        v = col.to_numpy(dtype=float, na_value=np.nan)
        fin = v[np.isfinite(v)]
        if np.all(np.floor(fin) == fin):
            col = col.astype("Int64")
    codes, uniq = pd.factorize(col.astype("string").str.strip(), use_na_sentinel=True)
    texts = pd.Series(uniq, dtype="string")
    return codes, texts.where(texts != "", pd.NA).to_numpy(dtype=object, na_value=None)


def _blank(col):
    """Rows of ``col`` that are missing, blank or only spaces."""
    codes, texts = _coded(col)
    return np.append(np.array([t is None for t in texts], dtype=bool), True)[codes]


def _missing_rows(responses, variables):
    """Mask of the responses with no value in any of ``variables`` (NaN or blank), and the
    first variable each such response lacks."""
    miss = np.zeros(len(responses), dtype=bool)
    first = {}
    for var in variables:
        if var in responses.columns:
            m = _blank(responses[var])
            if (m & ~miss).any():
                first[var] = m & ~miss
            miss |= m
    return miss, first


def _row_labels(responses, mask, k=10):
    """Spreadsheet rows (``source_row``) of a loaded table, else index labels."""
    lab = responses["source_row"] if "source_row" in responses.columns else responses.index
    return [x.item() if hasattr(x, "item") else x for x in np.asarray(lab)[mask][:k]]


def _margin_codes(responses, var, spec, unit):
    """Codes of ``responses[var]`` against the target categories, and target totals (shares)."""
    if var not in responses.columns:
        raise SurveyDataError(
            f"The raking target {var!r} is not a column of the responses. Columns: "
            f"{list(responses.columns)[:40]}.", column=var)
    if not isinstance(spec, dict) or not spec:
        raise SurveyDataError(f"The targets of {var!r} must be a mapping category -> share or "
                              f"total, not {spec!r}.", column=var)
    cats = [str(k) for k in spec]
    vals = []
    for k, v in spec.items():
        try:
            v = float(v)
        except (TypeError, ValueError):
            v = math.nan
        if not math.isfinite(v) or v <= 0:
            raise SurveyDataError(
                f"The target for {var} = {k!r} is {spec[k]!r}: targets must be positive numbers "
                f"(a category nobody in the population belongs to cannot be weighted — drop it "
                f"from the targets and exclude its responses).", column=var)
        vals.append(v)
    if len(set(cats)) != len(cats):
        raise SurveyDataError(f"The targets of {var!r} name a category twice: {cats}.", column=var)
    u = _unit(vals, unit, var)
    rowcodes, texts = _coded(responses[var])
    codes = np.append(pd.Index(cats, dtype=object).get_indexer(texts), -1)[rowcodes]
    unknown = codes < 0
    if unknown.any():
        extra = sorted({str(texts[c]) for c in np.unique(rowcodes[unknown])})[:10]
        raise SurveyDataError(
            f"The responses have {var} value(s) {extra} that the targets do not list "
            f"(targets: {cats}). Add a target for every category present, or recode them.",
            column=var)
    counts = np.bincount(codes, minlength=len(cats))
    empty = [c for c, k in zip(cats, counts) if k == 0]
    if empty:
        raise SurveyDataError(
            f"No response has {var} = {empty}, so no weight can reach their targets. Merge those "
            f"categories with a neighbour in the targets, or drop them.", column=var)
    return cats, np.asarray(vals), u, codes, counts


def rake(responses, targets, *, base_weight=None, trim=None, max_iter=100, tol=1e-6,
         unit="auto", on_missing="error") -> RakingResult:
    """Rake weights to known margins (iterative proportional fitting), optionally trimmed.

    Parameters
    ----------
    responses : pandas.DataFrame
        One row per response; every targeted variable is a column.
    targets : dict
        ``{variable: {category: value}}``, e.g. ``{"region": {"North": 0.3, "South": 0.7}}``
        or ``{"region": {"North": 30, "South": 70}}``.  With ``unit="auto"`` each variable's
        values are read from their sum: **fractions** when it is 1 ± 0.01, shares in
        **percent** (cxkit's convention) when it is 100 ± 1 (both rescaled to exactly 1 or
        100), population **totals** when it is above 101 (all totalled variables must agree on
        the grand total within 0.1 %); any other sum (e.g. 0.9 or 57) is an error, since it is
        more likely a typo or a forgotten category than a population of 57 — pass
        ``unit="total"`` if it really is one.  The reading is reported in
        :attr:`RakingResult.units`.
    base_weight : None, True, str or array_like
        Starting (design) weights: none (all 1), ``True`` (the configured weight column), a
        column name or an array.
    trim : None, float or (lower, upper)
        Bounds on the weights relative to the mean weight, e.g. ``(0.2, 5)`` or ``5`` (upper
        only).  Raking and trimming alternate (trim as ``survey::trimWeights(strict=TRUE)``,
        then rake again) until the margins are within ``tol`` with every weight in bounds.
    max_iter : int, default 100
        Maximum sweeps of one raking, and (with ``trim``) maximum trim-and-rake-again rounds.
    tol : float, default 1e-6
        Convergence: largest |achieved − target| total over all margins, relative to the
        grand total.
    unit : {"auto", "percent", "fraction", "total"}
        How to read the target values (``"percent"`` and ``"fraction"`` check the sum).
    on_missing : {"error", "exclude"}, default "error"
        Responses with no value (NaN or blank) in a raking variable: an error naming the
        variable and rows (default), or ``"exclude"``: they are left out of the raking, get
        a NaN weight and are counted in ``excluded`` / ``excluded_rows``.  (A config's
        ``weighting:`` section excludes them at load and counts them in the LoadReport.)

    Returns
    -------
    RakingResult
        ``weights`` (Series indexed like ``responses``) and diagnostics; with shares the
        weights sum to the base weights' sum (n without a base weight), with totals to the
        population total.

    Raises
    ------
    cxkit.SurveyDataError
        A targeted column is missing or (``on_missing="error"``) has missing values, a
        category present in the data has no target or a target category no response, a
        target is not positive, a variable's targets sum to neither 1, 100 nor a total,
        totals disagree between variables, bounds cannot hold the mean, or the margins cannot
        be met jointly (raking fails to approach them).

    Notes
    -----
    Iterative proportional fitting (Deming & Stephan 1940): starting from the base weights
    :math:`w_i^{(0)}`, each sweep visits every variable *v* and multiplies the weights in
    category *c* by :math:`T_{vc} / \\sum_{i \\in c} w_i`, so that margin is met exactly; the
    sweeps repeat until all margins are met together.  It converges to the minimiser of the
    raking (multiplicative) distance :math:`\\sum w_i\\log(w_i/w_i^{(0)}) - w_i + w_i^{(0)}`
    subject to the margins, when a solution exists (Ireland & Kullback 1968).  With ``trim``
    the weights are trimmed to ``[lower·w̄, upper·w̄]`` after each full raking and raked
    again (Kolenikov 2014, ``ipfraking``'s trimming loop; R: ``rake`` then ``trimWeights``).
    n_eff = (Σw)²/Σw² (Kish 1965); a raked sample estimates with roughly the precision of a
    simple random sample of n_eff.

    References
    ----------
    .. [1] Deming, W. E., Stephan, F. F. (1940). On a least squares adjustment of a sampled
       frequency table when the expected marginal totals are known. *Annals of Mathematical
       Statistics* 11(4), 427–444.
    .. [2] Kolenikov, S. (2014). Calibrating survey data using iterative proportional fitting
       (raking). *The Stata Journal* 14(1), 22–59.
    .. [3] Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, ch. 7.
    .. [4] Kish, L. (1965). *Survey Sampling*. Wiley.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"region": ["N", "N", "N", "S", "S"],
    ...                    "age": ["y", "o", "o", "y", "o"]})
    >>> r = rake(df, {"region": {"N": 50, "S": 50}, "age": {"y": 40, "o": 60}})
    >>> r.converged, [round(x, 4) for x in r.weights], round(r.efficiency, 1)
    (True, [0.7944, 0.8528, 0.8528, 1.2056, 1.2944], 95.9)

    Fractions (the same targets) are read as such, and say so:

    >>> f = rake(df, {"region": {"N": 0.5, "S": 0.5}, "age": {"y": 0.4, "o": 0.6}})
    >>> f.units, bool(np.allclose(f.weights, r.weights))
    ({'region': 'fraction', 'age': 'fraction'}, True)
    """
    if not isinstance(responses, pd.DataFrame):
        raise SurveyDataError("`responses` must be a pandas DataFrame of responses.")
    if len(responses) == 0:
        raise SurveyDataError("There are no responses to rake.")
    if not isinstance(targets, dict) or not targets:
        raise SurveyDataError(
            "`targets` must be a mapping {variable: {category: share or total}}, e.g. "
            "{'region': {'North': 30, 'South': 70}}.")
    max_iter = int(check_number("max_iter", max_iter, low=1, integer=True))
    tol = float(check_number("tol", tol, low=0, low_open=True))
    bounds = _check_trim(trim)
    if on_missing not in ("error", "exclude"):
        raise SurveyDataError(f"`on_missing` must be 'error' or 'exclude', not {on_missing!r}.")
    full = responses
    miss, first = _missing_rows(responses, [str(v) for v in targets])
    if miss.any():
        if on_missing == "error":
            parts = [f"{int(m.sum())} response(s) have no value for the raking variable "
                     f"{var!r} (rows {_row_labels(responses, m, 5)}{' …' if m.sum() > 5 else ''})"
                     for var, m in first.items()]
            raise SurveyDataError(
                f"{'; '.join(parts)}. Raking puts every response in a category of every "
                f"variable: fill the values in, drop those responses first, or pass "
                f"on_missing='exclude' (they then get no weight — NaN — and are counted in "
                f"the diagnostics' `excluded`).", column=next(iter(first)),
                rows=_row_labels(responses, miss, 10))
        if not isinstance(base_weight, (str, bool)) and base_weight is not None:
            base_weight = np.asarray(base_weight, dtype=float).ravel()
            if base_weight.size != len(responses):
                raise SurveyDataError(f"`base_weight` has {base_weight.size} values for "
                                      f"{len(responses)} responses.")
            base_weight = base_weight[~miss]
        responses = responses[~miss]
        if len(responses) == 0:
            raise SurveyDataError("Every response lacks a value for a raking variable; there "
                                  "is nothing to rake.")
    w0, _ = _base(responses, base_weight)
    margins = []
    for var, spec in targets.items():
        margins.append((str(var),) + _margin_codes(responses, var, spec, unit))
    totals = [vals.sum() for _, _, vals, u, _, _ in margins if u == "total"]
    if totals:
        grand = float(totals[0])
        off = [m[0] for m, t in zip([m for m in margins if m[3] == "total"], totals)
               if abs(t - grand) > 1e-3 * grand]
        if off:
            raise SurveyDataError(
                f"The population totals disagree: {margins[0][0]!r} sums to {grand:g} but "
                f"{off} to {[float(t) for t in totals if abs(t - grand) > 1e-3 * grand]}. "
                f"Every variable's totals must add up to the same population; give shares "
                f"instead if the sources differ.")
    else:
        grand = float(w0.sum())
    tgt = [vals / vals.sum() * grand for _, _, vals, _, _, _ in margins]

    def gap(w):
        return max(float(np.abs(np.bincount(codes, w, minlength=len(t)) - t).max())
                   for (_, _, _, _, codes, _), t in zip(margins, tgt)) / grand

    w = w0 * (grand / w0.sum())
    it = rounds = 0
    trimmed_w = None
    converged = False
    while rounds < (max_iter if bounds is not None else 1):
        rounds += 1
        for _ in range(max_iter):       # one raking: sweeps until the margins hold
            for (_, _, _, _, codes, _), t in zip(margins, tgt):
                sums = np.bincount(codes, w, minlength=len(t))
                w = w * (t / sums)[codes]
            it += 1
            if gap(w) < tol:
                break
        if gap(w) >= tol:
            break
        if bounds is None:
            converged = True
            break
        mean = grand / w.size
        tw = trim_weights(w, bounds[0] * mean, bounds[1] * mean)
        w = trimmed_w = tw
        if gap(tw) < tol:
            converged = True
            break
    if not converged:
        g = gap(w)
        if bounds is not None and trimmed_w is not None:
            mean = grand / w.size
            w = trim_weights(w, bounds[0] * mean, bounds[1] * mean)
            g = gap(w)
        if g > 0.01:
            worst = _margin_table(responses, margins, tgt, w0, w, grand)
            worst = worst.loc[worst["difference"].abs().idxmax()]
            raise SurveyDataError(
                f"The raking targets cannot be met together{' within the trimming bounds' if bounds else ''}"
                f": after {it} sweeps {worst['variable']} = {worst['category']!r} is at "
                f"{worst['achieved']:.2f}% against a target of {worst['target']:.2f}%. Check that "
                f"the targets are consistent with each other and with the sample (a combination "
                f"of categories nobody in the sample has), widen `trim`, or rake on fewer "
                f"variables.")
        warnings.warn(
            f"Raking did not converge within {max_iter} sweeps per raking{' and rounds of trimming' if bounds else ''} (largest margin gap "
            f"{100 * g:.4f}% of the total); raise `max_iter` or loosen `tol`.", RuntimeWarning,
            stacklevel=2)
    diag = weight_diagnostics(w)
    table = _margin_table(responses, margins, tgt, w0, w, grand)
    ntrim = 0
    if bounds is not None:
        mean = grand / w.size
        ntrim = int(np.sum(np.isclose(w, bounds[0] * mean, rtol=1e-6)
                           | np.isclose(w, bounds[1] * mean, rtol=1e-6)))
    weights = pd.Series(w, index=responses.index, name="weight")
    if responses is not full:
        weights = weights.reindex(full.index)
    return RakingResult(
        weights=weights, converged=converged,
        iterations=it, trim=bounds, trimmed=ntrim, margins=table, total=float(w.sum()),
        units={m[0]: m[3] for m in margins}, excluded=int(miss.sum()),
        excluded_rows=tuple(_row_labels(full, miss, 10)), **diag)


def _margin_table(responses, margins, tgt, w0, w, grand):
    rows = []
    for (var, cats, _, _, codes, counts), t in zip(margins, tgt):
        base = np.bincount(codes, w0, minlength=len(cats))
        got = np.bincount(codes, w, minlength=len(cats))
        for j, c in enumerate(cats):
            rows.append({"variable": var, "category": c, "n": int(counts[j]),
                         "sample": 100.0 * counts[j] / len(codes),
                         "base": 100.0 * base[j] / w0.sum(),
                         "target": 100.0 * t[j] / grand, "achieved": 100.0 * got[j] / w.sum(),
                         })
    out = pd.DataFrame(rows)
    out["difference"] = out["achieved"] - out["target"]
    return out


def read_targets(path, *, column_variable="variable", column_category="category",
                 column_value="target") -> dict:
    """Read raking targets from a CSV with columns ``variable, category, target``.

    Blank lines and lines starting with ``#`` (say where the targets come from) are skipped;
    a target may carry a ``%`` sign.  How the values are read (percent, fractions or totals)
    is decided by :func:`rake` from their sum per variable.

    Parameters
    ----------
    path : str or pathlib.Path
        The CSV file (a config resolves it relative to the config file).
    column_variable, column_category, column_value : str
        Header names.

    Returns
    -------
    dict
        ``{variable: {category: value}}`` in file order, for :func:`rake`.

    Raises
    ------
    cxkit.SurveyDataError
        The file is missing, unreadable or not UTF-8, a column is missing, or a row is
        ragged, has a blank variable or category, a target that is not a positive number, or
        repeats a category — naming the file and the row (the header is row 1).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("variable,category,target\\nregion,N,40\\nregion,S,60\\n")
    >>> read_targets(p)
    {'region': {'N': 40.0, 'S': 60.0}}
    """
    import csv
    from pathlib import Path
    p = Path(path)
    where = str(p)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SurveyDataError(f"The raking targets file {where!r} does not exist.",
                              path=where) from None
    except UnicodeDecodeError as exc:
        raise SurveyDataError(f"The raking targets file {where!r} is not UTF-8 text (byte "
                              f"{exc.start}); save it as UTF-8 CSV.", path=where) from None
    except OSError as exc:
        raise SurveyDataError(f"The raking targets file {where!r} cannot be read "
                              f"({exc.strerror or type(exc).__name__}).", path=where) from None
    need = [column_variable, column_category, column_value]
    try:
        reader = csv.reader(text.splitlines(keepends=True))
        header, rows = None, []
        for rec in reader:
            if not any(c.strip() for c in rec) or rec[0].lstrip().startswith("#"):
                continue                     # blank lines and comments (# the source …)
            if header is None:
                header = [c.strip() for c in rec]
            else:
                rows.append((reader.line_num, rec))
    except csv.Error as exc:
        raise SurveyDataError(f"{where!r} row {reader.line_num}: not valid CSV ({exc}).",
                              path=where, rows=[reader.line_num]) from None
    if header is None:
        raise SurveyDataError(f"The raking targets file {where!r} is empty; it needs a header "
                              f"{','.join(need)} and one row per category.", path=where)
    miss = [c for c in need if c not in header]
    if miss:
        raise SurveyDataError(f"The raking targets file {where!r} has no column(s) {miss}; it "
                              f"needs {need} (columns found: {header}).", path=where)
    pos = [header.index(c) for c in need]
    out: dict = {}
    for i, rec in rows:
        if len(rec) != len(header):
            raise SurveyDataError(
                f"{where!r} row {i}: {len(rec)} field(s) where the header has {len(header)} "
                f"({rec!r}); a category or target containing a comma must be quoted.",
                path=where, rows=[i])
        var, cat, val = (rec[j].strip() for j in pos)
        if not var or not cat:
            raise SurveyDataError(
                f"{where!r} row {i}: the {column_variable if not var else column_category!r} "
                f"is blank; every row names a variable and a category.", path=where, rows=[i])
        try:
            v = float(val.rstrip("%").strip())
        except ValueError:
            raise SurveyDataError(f"{where!r} row {i}: the target {val!r} for {var} = {cat!r} "
                                  f"is not a number.", path=where, column=column_value,
                                  rows=[i]) from None
        if not math.isfinite(v) or v <= 0:
            raise SurveyDataError(
                f"{where!r} row {i}: the target {val!r} for {var} = {cat!r} must be a positive "
                f"number (a category nobody in the population belongs to cannot be weighted: "
                f"drop the row and exclude its responses).", path=where, column=column_value,
                rows=[i])
        if cat in out.setdefault(var, {}):
            raise SurveyDataError(f"{where!r} row {i}: {var} = {cat!r} is listed twice.",
                                  path=where, rows=[i])
        out[var][cat] = v
    if not out:
        raise SurveyDataError(f"The raking targets file {where!r} has no targets.", path=where)
    return out


def describe_weighting(diagnostics) -> str:
    """One plain sentence on a raking's diagnostics (:meth:`RakingResult.to_dict`).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"region": ["N", "N", "N", "S", "S"], "age": ["y", "o", "o", "y", "o"]})
    >>> r = rake(df, {"region": {"N": 50, "S": 50}, "age": {"y": 40, "o": 60}})
    >>> describe_weighting(r.to_dict())
    'Raked to 2 margins (region, age): weighting efficiency 96% (n_eff 5 of 5), weights 0.79–1.29 × the mean.'
    >>> r = rake(df, {"region": {"N": 0.5, "S": 0.5}, "age": {"y": 40, "o": 60}})
    >>> describe_weighting(r).split(":")[0]
    'Raked to 2 margins (region, age; targets read as fractions (region), percent (age))'
    """
    d = diagnostics.to_dict() if hasattr(diagnostics, "to_dict") else dict(diagnostics)
    names = list(dict.fromkeys(m["variable"] for m in d.get("margins", [])))
    trim = d.get("trim")
    tr = ""
    if trim:
        lo, hi = trim
        tr = f", trimmed to [{lo:g}, {hi:g}] × the mean ({d.get('trimmed', 0):,} at a bound)"
    warn = "" if d.get("converged", True) else " NOT CONVERGED — the margins are not met."
    words = {"fraction": "fractions", "total": "population totals", "percent": "percent"}
    units = d.get("units") or {}
    read = ""
    if any(u != "percent" for u in units.values()):
        if len(set(units.values())) == 1:
            read = f"; targets read as {words[next(iter(units.values()))]}"
        else:
            read = "; targets read as " + ", ".join(f"{words[u]} ({v})" for v, u in units.items())
    if d.get("excluded"):
        tr += (f"; {d['excluded']:,} response{'s' if d['excluded'] != 1 else ''} without a "
               f"raking variable left out")
    return (f"Raked to {len(names)} margin{'s' if len(names) != 1 else ''} ({', '.join(names)}{read}): "
            f"weighting efficiency {d['efficiency']:.0f}% (n_eff {d['n_eff']:,.0f} of "
            f"{d['n']:,}), weights {d['min_ratio']:.2f}–{d['max_ratio']:.2f} × the mean{tr}."
            f"{warn}")
