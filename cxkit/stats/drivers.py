"""Key-driver analysis: which attribute ratings move the headline score, and what to fix first.

* :func:`drivers` — relative importance of driver ratings (e.g. staff, speed, ease) for an
  outcome (e.g. the 0–10 recommend score): the Shapley / LMG decomposition of R² (exact over
  all subsets) or Johnson's relative weights, with a seeded respondent bootstrap interval, the
  driver's performance, n and the outcome gap between low and high raters;
* :func:`pain_map` — for each driver, how many points the headline score would gain if those
  who rate the driver low scored like the rest, its share of the total "problem weight" and the
  share of the low outcome group (e.g. detractors) who rate the driver low, with intervals;
* :func:`priority_matrix` — importance × performance quadrants ("fix first", "keep",
  "monitor", "over-invest?");
* :func:`describe_drivers` — one plain-language sentence naming what to fix first and why.

Speed: every subset's R² comes from the correlation matrix (``R²(S) = r_S' R_SS⁻¹ r_S``), never
from refitting a regression, and the bootstrap resamples the *cross-product* matrix (multinomial
resampling counts times the per-response products), so 10 drivers × 100,000 responses × 1,000
resamples take a few seconds (``benchmarks/drivers.py``).
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pandas as pd

from ..core.checks import check_argument, check_conf, check_number
from ..core.errors import SurveyDataError
from ..core.metrics import resolve_metric
from ..core.validate import check_columns
from .estimators import _rng
from .tally import _weight_column

__all__ = ["drivers", "pain_map", "priority_matrix", "describe_drivers", "driver_names",
           "DRIVER_METHODS", "MISSING_MODES", "QUADRANTS"]

#: Importance methods of :func:`drivers`.
DRIVER_METHODS = ("shapley", "johnson")
#: How :func:`drivers` treats missing answers.
MISSING_MODES = ("complete", "pairwise")
#: Priority-matrix quadrants: (importance high?, performance high?) -> label.
QUADRANTS = {(True, False): "fix first", (True, True): "keep", (False, False): "monitor",
             (False, True): "over-invest?"}
#: Most drivers the exact Shapley decomposition accepts (2**15 subsets).
MAX_SHAPLEY = 15
_BOOT_CHUNK = 5_000_000          # resampling counts generated per chunk (elements)
_EXACT_BOOT = 20_000_000         # n · n_boot up to which bootstrap="auto" resamples exactly
BOOTSTRAP_KINDS = ("auto", "multinomial", "normal")


# ============================================================ inputs ========================
def driver_names(responses) -> list:
    """The driver-rating columns configured for a responses table (``drivers:`` in the config).

    From ``responses.attrs["cxkit"]["drivers"]`` (set by :func:`cxkit.load_survey`); an empty
    list when none are configured.

    >>> import pandas as pd
    >>> driver_names(pd.DataFrame({"q": [1]}))
    []
    """
    info = (getattr(responses, "attrs", {}) or {}).get("cxkit", {}).get("drivers") or {}
    return [d for d in info.get("ratings", {}) if d in responses.columns]


def _driver_info(responses, name) -> dict:
    info = (getattr(responses, "attrs", {}) or {}).get("cxkit", {}).get("drivers") or {}
    return dict(info.get("ratings", {}).get(name, {}))


def _default_outcome(responses, outcome):
    if outcome is not None:
        return outcome
    info = (getattr(responses, "attrs", {}) or {}).get("cxkit", {}).get("drivers") or {}
    return info.get("outcome") or "nps"


def _scale_of(responses, name, values):
    info = _driver_info(responses, name)
    if info.get("scale"):
        return tuple(float(x) for x in info["scale"])
    scales = (getattr(responses, "attrs", {}) or {}).get("cxkit", {}).get("scales", {})
    if name in scales:
        return tuple(float(x) for x in scales[name])
    v = values[~np.isnan(values)]
    return (float(v.min()), float(v.max())) if v.size else (np.nan, np.nan)


def _low_high(responses, name, values, low=None, high=None):
    """Ratings counted as low / high for one driver.

    Default: the configured ``low``/``top_box`` of the driver, else the bottom 40 % and top
    40 % of its scale (1–5: 1–2 low, 4–5 high; 0–10: 0–4 low, 6–10 high).
    """
    info = _driver_info(responses, name)
    lo, hi = _scale_of(responses, name, values)
    if low is None:
        low = info.get("low")
    if high is None:
        high = info.get("top_box")
    low_max = (max(low) if isinstance(low, (list, tuple)) else low) if low is not None \
        else lo + 0.4 * (hi - lo)
    high_min = (min(high) if isinstance(high, (list, tuple)) else high) if high is not None \
        else hi - 0.4 * (hi - lo)
    return float(low_max), float(high_min)


def _is_engine(responses) -> bool:
    from ..engines.sources import EngineSurvey
    return isinstance(responses, EngineSurvey)


def _outcome_and_drivers(source, outcome, drivers_):
    """The outcome column and its spec, and the driver columns, checked on ``source`` (a
    responses table or an engine survey): (outcome column, spec, driver list)."""
    outcome = _default_outcome(source, outcome)
    ycol, spec = resolve_metric(source, outcome)
    if drivers_ is None:
        drivers_ = driver_names(source)
        if not drivers_:
            raise ValueError("No driver ratings given: pass `drivers=[...]` (rating columns) or "
                             "configure `drivers:` in the survey YAML.")
    if isinstance(drivers_, str):
        drivers_ = [drivers_]
    drivers_ = list(drivers_)
    if len(drivers_) < 1:
        raise ValueError("The value for `drivers` must name at least one rating column.")
    if len(set(drivers_)) != len(drivers_):
        raise ValueError(f"The value for `drivers` repeats a column: {drivers_}.")
    check_columns(source, drivers_, "driver", "drivers")   # names the closest column
    if ycol in drivers_:
        raise ValueError(f"The outcome {ycol!r} cannot also be a driver.")
    return ycol, spec, drivers_


def _prepare(responses, outcome, drivers_, weighted, missing):
    """Validate the inputs; return (y, X, w, outcome column, spec, driver list, mask info)."""
    if not isinstance(responses, pd.DataFrame):
        raise TypeError(f"`responses` must be a pandas DataFrame (e.g. from cxkit.load_survey), "
                        f"got {type(responses).__name__}.")
    ycol, spec, drivers_ = _outcome_and_drivers(responses, outcome, drivers_)
    check_argument("missing", MISSING_MODES, missing)
    cols = {}
    for c in [ycol, *drivers_]:
        s = responses[c]
        if not (pd.api.types.is_numeric_dtype(s) or isinstance(s.dtype, pd.CategoricalDtype)
                and pd.api.types.is_numeric_dtype(s.cat.categories)):
            raise SurveyDataError(f"Column {c!r} must hold numeric ratings, got dtype {s.dtype}: "
                                  f"load the survey through a config (`drivers:` with their "
                                  f"`missing:` codes) or cxkit.from_frame, or convert the column.",
                                  column=c)
        cols[c] = s.astype("float64").to_numpy(dtype=float, na_value=np.nan)
    y = cols[ycol]
    X = np.column_stack([cols[d] for d in drivers_])
    wcol = _weight_column(responses, True if weighted is True else (weighted or None))
    if wcol is not None:
        w = responses[wcol].to_numpy(dtype=float, na_value=np.nan)
        if np.any(~np.isfinite(w) | (w <= 0)):
            bad = np.flatnonzero(~np.isfinite(w) | (w <= 0))[:5]
            raise SurveyDataError(f"Weight column {wcol!r} has missing or non-positive weights "
                                  f"(rows {bad.tolist()}); fix them or pass weighted=False.",
                                  column=wcol, rows=bad.tolist())
    else:
        w = np.ones(len(y))
    return y, X, w, ycol, spec, drivers_, wcol


# ============================================================ correlation sums ==============
def _complete_design(y, X, n=None):
    """Per-response columns whose (weighted) sums give every mean and cross-product; ``n``:
    respondents per row when the rows are bins (the engine path), else one each."""
    V = np.column_stack([y, X])
    # centre once for numerical stability (by the respondents' mean)
    V = V - (V.mean(axis=0) if n is None else (n[:, None] * V).sum(axis=0) / n.sum())
    q = V.shape[1]
    iu = np.triu_indices(q)
    Z = np.empty((V.shape[0], 1 + q + len(iu[0])))
    Z[:, 0] = 1.0
    Z[:, 1:1 + q] = V
    Z[:, 1 + q:] = V[:, iu[0]] * V[:, iu[1]]
    return Z, q, iu


def _corr_complete(S, q, iu):
    """Correlation matrices (B, q, q) from sums S (B, 1+q+q(q+1)/2) of the complete design."""
    S = np.atleast_2d(S)
    n = S[:, :1]
    m = S[:, 1:1 + q] / n
    P = np.empty((S.shape[0], q, q))
    P[:, iu[0], iu[1]] = S[:, 1 + q:] / n
    P[:, iu[1], iu[0]] = S[:, 1 + q:] / n
    C = P - m[:, :, None] * m[:, None, :]
    d = np.sqrt(np.clip(np.diagonal(C, axis1=1, axis2=2), 1e-300, None))
    return C / d[:, :, None] / d[:, None, :]


def _pairwise_design(y, X):
    """Per-response columns for pairwise-complete correlations: for each pair (a, b), the
    indicator that both are answered and the products of the answered values."""
    V = np.column_stack([y, X])
    M = ~np.isnan(V)
    V = np.where(M, V - np.nanmean(V, axis=0), 0.0)
    q = V.shape[1]
    pairs = list(combinations(range(q), 2))
    Z = np.empty((V.shape[0], 6 * len(pairs)))
    for k, (a, b) in enumerate(pairs):
        m = (M[:, a] & M[:, b]).astype(float)
        xa, xb = V[:, a] * m, V[:, b] * m
        Z[:, 6 * k:6 * k + 6] = np.column_stack([m, xa, xb, xa * xa, xb * xb, xa * xb])
    return Z, q, pairs


def _corr_pairwise(S, q, pairs):
    S = np.atleast_2d(S)
    C = np.repeat(np.eye(q)[None], S.shape[0], axis=0)
    for k, (a, b) in enumerate(pairs):
        n, sa, sb, saa, sbb, sab = (S[:, 6 * k + i] for i in range(6))
        ma, mb = sa / n, sb / n
        cov = sab / n - ma * mb
        va = np.clip(saa / n - ma * ma, 1e-300, None)
        vb = np.clip(sbb / n - mb * mb, 1e-300, None)
        C[:, a, b] = C[:, b, a] = cov / np.sqrt(va * vb)
    return C


def _resampled_sums(Z, w, n_boot, rng, bootstrap="auto"):
    """Sums of w·Z over ``n_boot`` respondent bootstrap resamples; returns (sums, kind).

    ``"multinomial"``: the exact bootstrap — multinomial resampling counts c (each resample
    draws n respondents with replacement) times the rows, S* = Σ cᵢ wᵢ Zᵢ.
    ``"normal"``: S* drawn from the normal distribution with the exact mean (Σ wᵢZᵢ) and
    covariance (n·Σ̂ of the rows wᵢZᵢ) of the multinomial bootstrap sums — the large-sample
    form of the same bootstrap, O(n) once instead of O(n · n_boot).
    ``"auto"``: multinomial when n · n_boot ≤ 2·10⁷, else normal.
    """
    n = Z.shape[0]
    wZ = Z * w[:, None]
    kind = bootstrap
    if kind == "auto":
        kind = "multinomial" if n * n_boot <= _EXACT_BOOT else "normal"
    if kind == "normal":
        mean = wZ.sum(axis=0)
        D = wZ - wZ.mean(axis=0)
        cov = D.T @ D               # n · (plug-in covariance of the rows)
        return _normal_draws(mean, cov, n_boot, rng), kind
    out = np.empty((n_boot, Z.shape[1]))
    chunk = max(1, min(n_boot, _BOOT_CHUNK // max(n, 1)))
    for start in range(0, n_boot, chunk):
        b = min(chunk, n_boot - start)
        idx = rng.integers(0, n, size=(b, n))
        idx += (np.arange(b) * n)[:, None]
        counts = np.bincount(idx.ravel(), minlength=b * n).reshape(b, n).astype(float)
        out[start:start + b] = counts @ wZ
    return out, kind


def _normal_draws(mean, cov, n_boot, rng):
    """``n_boot`` draws of the bootstrap sums from N(mean, cov) (the ``"normal"`` bootstrap)."""
    lam, V = np.linalg.eigh(cov)
    root = V * np.sqrt(np.clip(lam, 0, None))
    return mean + rng.standard_normal((n_boot, len(mean))) @ root.T


# ============================================================ importance ====================
def _subset_r2(C):
    """R² of every subset of predictors (bit masks 0 … 2^p − 1) from correlations (B, q, q)
    whose first row/column is the outcome: ``R²(S) = r_S' R_SS⁻¹ r_S``."""
    B, q = C.shape[0], C.shape[1]
    p = q - 1
    r = C[:, 0, 1:]
    R = C[:, 1:, 1:]
    r2 = np.zeros((B, 1 << p))
    for k in range(1, p + 1):
        subsets = list(combinations(range(p), k))
        per = max(1, 2_000_000 // max(B * k * k, 1))
        for s0 in range(0, len(subsets), per):
            block = np.array(subsets[s0:s0 + per])                  # (m, k)
            A = R[:, block[:, :, None], block[:, None, :]]           # (B, m, k, k)
            b = r[:, block]                                          # (B, m, k)
            try:
                sol = np.linalg.solve(A, b[..., None])[..., 0]
            except np.linalg.LinAlgError:
                sol = (np.linalg.pinv(A) @ b[..., None])[..., 0]
            masks = (1 << block).sum(axis=1)
            r2[:, masks] = np.einsum("bmk,bmk->bm", b, sol)
    return r2


def _shapley(C):
    """LMG / Shapley shares of R² per driver, (B, p), from correlations (B, q, q)."""
    p = C.shape[1] - 1
    r2 = _subset_r2(C)
    masks = np.arange(1 << p)
    size = np.array([bin(m).count("1") for m in masks])
    wts = np.array([math.factorial(s) * math.factorial(p - s - 1) / math.factorial(p)
                    if s < p else 0.0 for s in size])
    out = np.empty((C.shape[0], p))
    for j in range(p):
        without = masks[(masks >> j) & 1 == 0]
        out[:, j] = ((r2[:, without | (1 << j)] - r2[:, without]) * wts[without]).sum(axis=1)
    return out, r2[:, -1]


def _johnson(C):
    """Johnson's (2000) relative weights per driver, (B, p), from correlations (B, q, q)."""
    r = C[:, 1:, :1]
    R = C[:, 1:, 1:]
    lam, V = np.linalg.eigh(R)
    lam = np.clip(lam, 1e-12, None)
    L = (V * np.sqrt(lam)[:, None, :]) @ np.swapaxes(V, 1, 2)          # R^(1/2)
    Linv = (V / np.sqrt(lam)[:, None, :]) @ np.swapaxes(V, 1, 2)       # R^(-1/2)
    beta = (Linv @ r)[..., 0]                                          # y on Z
    eps = (L ** 2) @ (beta ** 2)[..., None]
    eps = eps[..., 0]
    return eps, eps.sum(axis=1)


def drivers(responses, outcome=None, drivers=None, *, method: str = "shapley",
            weighted=False, n_boot: int = 1000, seed=None, conf: float = 0.95,
            missing: str = "complete", performance: str = "mean", low=None,
            high=None, bootstrap: str = "auto") -> pd.DataFrame:
    """Key-driver analysis: the share of the outcome's explained variance carried by each driver.

    Parameters
    ----------
    responses : pandas.DataFrame or EngineSurvey
        A responses table (e.g. ``cxkit.load_survey(...).responses``), one row per respondent,
        or a lazy engine survey (:func:`cxkit.scan`): then one ``GROUP BY`` in the engine
        computes the joint histogram of the ratings and the same formulas run on it
        (:mod:`cxkit.stats.engine_drivers`; the bootstrap there is exact unweighted and the
        normal approximation weighted, named in the ``bootstrap`` column).
    outcome : str, default the configured ``drivers.outcome`` or ``"nps"``
        The outcome score (its raw ratings, e.g. 0–10, are the regression's dependent variable;
        the gap column uses its headline metric, e.g. NPS points).
    drivers : list of str, default the configured ``drivers:`` ratings
        Driver rating columns (numeric; NaN = no answer).
    method : {"shapley", "johnson"}
        ``"shapley"``: exact LMG / Shapley decomposition of R² over all 2^p subsets (up to
        15 drivers); ``"johnson"``: Johnson's relative weights (fast, any number of drivers).
    weighted : bool or str
        Use the survey weight column (``True``) or the named column in the correlations,
        performance and gaps.
    n_boot : int, default 1000
        Bootstrap resamples of respondents for the importance interval (0: no interval).
    seed : int or numpy.random.Generator, optional
        Seed of the bootstrap.
    conf : float, default 0.95
        Level of the percentile bootstrap interval.
    missing : {"complete", "pairwise"}
        ``"complete"``: only respondents who answered the outcome and every driver;
        ``"pairwise"``: each correlation from the respondents who answered both of its items
        (uses more answers, but the correlation matrix may be inconsistent). Stated in the
        result's ``missing`` column.
    performance : {"mean", "top-box"}
        The driver's performance: its mean rating, or the percent of its ratings at or above
        the high threshold (the configured ``top_box``, else the top 40 % of the scale).
    low, high : number or list, optional
        Ratings at or below ``low`` are "low", at or above ``high`` "high" (default: the
        configured ``low``/``top_box`` of the driver, else the bottom/top 40 % of its scale).
    bootstrap : {"auto", "multinomial", "normal"}
        How resamples are drawn: ``"multinomial"`` resamples respondents exactly;
        ``"normal"`` draws the resampled cross-product sums from the normal distribution with
        the exact mean and covariance of the multinomial bootstrap sums (its large-sample
        form; fast for big surveys); ``"auto"`` (default) is exact up to n · n_boot = 2·10⁷.
        The kind used is stated in the ``bootstrap`` column.

    Returns
    -------
    pandas.DataFrame
        One row per driver, sorted by importance: ``driver``, ``importance`` (percent of R²;
        the column sums to 100), ``ci_low``, ``ci_high`` (bootstrap, percent), ``r2_part``
        (the driver's part of R², in R² units), ``performance``, ``performance_kind``, ``n``
        (answers to the driver among the respondents with an outcome), ``n_low``, ``n_high``,
        ``score_low``, ``score_high`` (the outcome's headline score among low / high raters),
        ``gap`` (``score_high − score_low``, points), ``r2`` (of the full model), ``n_model``
        (respondents in the model: complete cases, or the smallest pairwise n), ``method``,
        ``missing``, ``outcome``, ``conf``, ``n_boot``.

    Notes
    -----
    With outcome *y* and drivers *x*₁…*x*ₚ, the R² of a subset *S* of drivers follows from the
    correlation matrix alone: :math:`R^2(S) = r_S^\\top R_{SS}^{-1} r_S` (*r* the correlations
    of *y* with the drivers, *R* the drivers' correlations). The LMG (Lindeman, Merenda & Gold
    1980) share of driver *j* is its R² increase averaged over all orders of entry, which is the
    Shapley value of the R² game:

    .. math:: \\mathrm{LMG}_j = \\sum_{S \\subseteq P \\setminus \\{j\\}}
              \\frac{|S|!\\,(p-|S|-1)!}{p!}\\,[R^2(S \\cup \\{j\\}) - R^2(S)],

    and the shares add up to the full model's R² (Grömping 2006). Johnson's (2000) relative
    weights replace the drivers by their closest orthogonal counterparts
    :math:`Z = X R^{-1/2}`: with :math:`\\Lambda = R^{1/2}` and :math:`\\beta = R^{-1/2} r`,
    :math:`\\varepsilon_j = \\sum_k \\Lambda_{jk}^2 \\beta_k^2`, which also sum to R².
    ``importance`` is :math:`100\\,\\mathrm{LMG}_j / R^2`.

    The interval is the percentile interval of ``n_boot`` respondent resamples (Grömping 2006,
    sec. 4): each resample's means and cross-products are the multinomial resampling counts
    times the per-respondent products, so no data are copied or refitted.

    References
    ----------
    .. [1] Lindeman, R. H., Merenda, P. F., Gold, R. Z. (1980). *Introduction to Bivariate and
       Multivariate Analysis*. Glenview, IL: Scott, Foresman (pp. 119 ff.).
    .. [2] Grömping, U. (2006). Relative importance for linear regression in R: the package
       relaimpo. *Journal of Statistical Software* 17(1), 1–27.
    .. [3] Johnson, J. W. (2000). A heuristic method for estimating the relative weight of
       predictor variables in multiple regression. *Multivariate Behavioral Research* 35(1),
       1–19.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> a, b = rng.integers(1, 6, 500), rng.integers(1, 6, 500)
    >>> df = pd.DataFrame({"nps": np.clip(2 * a + 0.5 * b + rng.normal(0, 1, 500), 0, 10).round(),
    ...                    "staff": a, "price": b})
    >>> t = drivers(df, "nps", ["staff", "price"], n_boot=200, seed=1)
    >>> t["driver"].tolist()
    ['staff', 'price']
    >>> round(float(t["importance"].sum()), 6)
    100.0
    """
    check_argument("method", DRIVER_METHODS, method)
    check_argument("bootstrap", BOOTSTRAP_KINDS, bootstrap)
    check_argument("performance", ("mean", "top-box"), performance)
    check_number("n_boot", n_boot, low=0, integer=True)
    check_conf(conf)
    rng = _rng(seed)
    if _is_engine(responses):
        from .engine_drivers import engine_drivers
        return engine_drivers(responses, outcome, drivers, method=method, weighted=weighted,
                              n_boot=n_boot, rng=rng, conf=conf, missing=missing,
                              performance=performance, low=low, high=high, bootstrap=bootstrap)
    y, X, w, ycol, spec, names, wcol = _prepare(responses, outcome, drivers, weighted, missing)
    p = len(names)
    if method == "shapley" and p > MAX_SHAPLEY:
        raise ValueError(f"method='shapley' is exact over all 2^p subsets and accepts up to "
                         f"{MAX_SHAPLEY} drivers ({p} given); use method='johnson' for more.")
    has_y = ~np.isnan(y)
    if missing == "complete":
        keep = has_y & ~np.isnan(X).any(axis=1)
        n_model = int(keep.sum())
        if n_model < p + 2:
            raise ValueError(
                f"Only {n_model} respondents answered the outcome {ycol!r} and every driver "
                f"({names}); a driver analysis needs more than {p + 1}. Use missing='pairwise' "
                f"or fewer drivers.")
        Z, q, iu = _complete_design(y[keep], X[keep])
        wk = w[keep]
        to_corr = lambda S: _corr_complete(S, q, iu)  # noqa: E731
    else:
        keep = has_y | ~np.isnan(X).all(axis=1)
        Z, q, pairs = _pairwise_design(y[keep], X[keep])
        wk = w[keep]
        to_corr = lambda S: _corr_pairwise(S, q, pairs)  # noqa: E731
        n_pairs = (Z[:, 0::6] > 0).sum(axis=0)
        n_model = int(n_pairs.min())
        if n_model < 3:
            worst = pairs[int(np.argmin(n_pairs))]
            cols = [ycol, *names]
            raise ValueError(f"Only {n_model} respondents answered both {cols[worst[0]]!r} and "
                             f"{cols[worst[1]]!r}; their correlation cannot be estimated.")
    sd = np.sqrt(np.nanvar(np.column_stack([y, X])[keep], axis=0))
    flat = [c for c, s in zip([ycol, *names], sd) if not s > 0]
    if flat:
        raise ValueError(f"Column(s) {flat} have the same rating for every respondent in the "
                         f"model; a constant explains nothing: drop them.")
    return _driver_table(
        responses, names, y, X, w, None, spec, Z, wk, to_corr,
        lambda: _resampled_sums(Z, wk, int(n_boot), rng, bootstrap),
        method=method, missing=missing, n_boot=n_boot, conf=conf, performance=performance,
        low=low, high=high, n_model=n_model, ycol=ycol, weighted=wcol is not None)


def _driver_table(source, names, y, X, w, nb, spec, Z, wk, to_corr, resample, *, method,
                  missing, n_boot, conf, performance, low, high, n_model, ycol, weighted):
    """The driver table from the model's cross-product design ``Z`` (weights ``wk``): the
    importance (Shapley/LMG or Johnson) with its bootstrap percentile interval (``resample()``
    returns the resampled sums and the bootstrap's kind), then per driver the performance, the
    outcome gap between high and low raters and the counts.  Shared by the pandas path (one
    row per respondent, ``nb`` None) and the engine path (:mod:`cxkit.stats.engine_drivers`:
    one row per combination of answers, ``nb`` respondents each, ``w`` their Σw)."""
    p = len(names)
    engine = _shapley if method == "shapley" else _johnson
    C0 = to_corr(Z.T @ wk)
    if missing == "pairwise" and np.linalg.eigvalsh(C0[0, 1:, 1:]).min() <= 1e-10:
        raise ValueError("The pairwise correlation matrix of the drivers is not positive "
                         "definite (too few overlapping answers); use missing='complete'.")
    part, r2 = engine(C0)
    part, r2 = part[0], float(r2[0])
    if n_boot:
        Sb, boot_kind = resample()
        pb, r2b = engine(to_corr(Sb))
        share_b = 100 * pb / r2b[:, None]
        a = (1 - conf) / 2
        lo_, hi_ = np.nanquantile(share_b, [a, 1 - a], axis=0)
    else:
        lo_ = hi_ = np.full(p, np.nan)
        boot_kind = "none"

    count = (lambda m: int(m.sum())) if nb is None else (lambda m: int(nb[m].sum()))
    has_y = ~np.isnan(y)
    values = spec.values(y)
    rows = []
    for j, d in enumerate(names):
        x = X[:, j]
        ok = has_y & ~np.isnan(x)
        low_max, high_min = _low_high(source, d, x, low, high)
        isl, ish = ok & (x <= low_max), ok & (x >= high_min)
        if performance == "mean":
            perf = float(np.average(x[ok], weights=w[ok])) if ok.any() else np.nan
        else:
            perf = float(100 * np.average(x[ok] >= high_min, weights=w[ok])) if ok.any() \
                else np.nan
        s_low = float(np.average(values[isl], weights=w[isl])) if isl.any() else np.nan
        s_high = float(np.average(values[ish], weights=w[ish])) if ish.any() else np.nan
        rows.append({"driver": d, "label": _driver_info(source, d).get("label") or d,
                     "importance": 100 * part[j] / r2, "ci_low": lo_[j], "ci_high": hi_[j],
                     "r2_part": part[j], "performance": perf, "performance_kind": performance,
                     "n": count(ok), "n_low": count(isl), "n_high": count(ish),
                     "score_low": s_low, "score_high": s_high, "gap": s_high - s_low})
    out = pd.DataFrame(rows)
    out["r2"] = r2
    out["n_model"] = n_model
    out["method"] = method
    out["missing"] = missing
    out["outcome"] = ycol
    out["weighted"] = weighted
    out["conf"] = conf
    out["n_boot"] = int(n_boot)
    out["bootstrap"] = boot_kind
    return out.sort_values("importance", ascending=False, kind="stable").reset_index(drop=True)


# ============================================================ pain map ======================
_LOW_GROUPS = {"detractors": lambda v: v < 7}


def pain_map(responses, outcome=None, drivers=None, *, group="detractors", weighted=False,
             n_boot: int = 1000, seed=None, conf: float = 0.95, low=None,
             bootstrap: str = "auto") -> pd.DataFrame:
    """How many points the headline score loses to each driver's low ratings.

    Parameters
    ----------
    responses, outcome, drivers, weighted, low
        As in :func:`drivers`.
    group : "detractors" or a number
        The outcome's low group: ``"detractors"`` (0–6 on the 0–10 scale) or every outcome
        rating at or below the given number.
    n_boot, seed, conf, bootstrap
        Respondent bootstrap for the intervals (percentile), as in :func:`drivers`.

    Returns
    -------
    pandas.DataFrame
        One row per driver, sorted by ``gain``: ``driver``, ``label``, ``n``, ``n_low``,
        ``low_share`` (percent of the driver's raters who rate it low), ``score_low``,
        ``score_rest`` (headline score of the low raters / the rest), ``gain`` (points the
        headline score would gain if the low raters scored like the rest) with ``gain_low``,
        ``gain_high``, ``weight_share`` (percent of the summed gains: the driver's share of the
        total problem weight) with ``share_low``, ``share_high``, ``group_low_share`` (percent
        of the outcome's low group — e.g. detractors — who rate the driver low), ``score``
        (headline score of the driver's raters), ``group``, ``conf``, ``n_boot``.

    Notes
    -----
    Among the *n* respondents who rated both the outcome and driver *j*, let *L* be those who
    rate the driver low (share :math:`\\pi_L`), with headline scores :math:`S_L` and
    :math:`S_R` (the rest). Then :math:`S = \\pi_L S_L + (1-\\pi_L) S_R`, and if the low raters
    scored like the rest the score would be :math:`S_R`, a gain of
    :math:`g_j = \\pi_L\\,(S_R - S_L)` points. Respondents can be low on several drivers, so the
    gains overlap and do not add up to a total; ``weight_share`` is
    :math:`100\\,g_j / \\sum_k \\max(g_k, 0)`, the driver's share of the summed problem weight
    — a ranking, not an additive decomposition. This is an association, not a causal effect.
    Intervals: percentile bootstrap over respondents (Efron & Tibshirani 1993).

    References
    ----------
    .. [1] Efron, B., Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman &
       Hall (ch. 13, percentile intervals).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> df = pd.DataFrame({"nps": [0, 3, 9, 10, 10, 8, 9, 2],
    ...                    "staff": [1, 2, 5, 5, 4, 4, 5, 1]})
    >>> pm = pain_map(df, "nps", ["staff"], n_boot=0)
    >>> float(pm["gain"].iloc[0])   # 3 of 8 low (NPS -100) vs the rest (NPS 80): 3/8 * 180
    67.5
    """
    check_number("n_boot", n_boot, low=0, integer=True)
    check_argument("bootstrap", BOOTSTRAP_KINDS, bootstrap)
    check_conf(conf)
    rng = _rng(seed)
    if _is_engine(responses):
        from .engine_drivers import engine_pain_map
        return engine_pain_map(responses, outcome, drivers, group=group, weighted=weighted,
                               n_boot=n_boot, rng=rng, conf=conf, low=low, bootstrap=bootstrap)
    y, X, w, ycol, spec, names, wcol = _prepare(responses, outcome, drivers, weighted,
                                                "complete")
    return _pain_table(responses, names, y, X, w, None, spec, ycol,
                       lambda Zs, sel: _resampled_sums(Zs, w[sel], int(n_boot), rng, bootstrap),
                       group=group, low=low, n_boot=n_boot, conf=conf)


def _pain_table(source, names, y, X, w, nb, spec, ycol, resample, *, group, low, n_boot,
                conf) -> pd.DataFrame:
    """The pain-map table (see :func:`pain_map`) from per-respondent rows (``nb`` None) or from
    the engine's bins of ``nb`` respondents each with Σw ``w`` (:mod:`cxkit.stats.engine_drivers`);
    ``resample(Zp, sel)`` returns the bootstrap's resampled sums of the indicator design ``Zp``
    (rows ``sel``) and its kind."""
    count = ((lambda M: M.sum(axis=0).astype(int)) if nb is None else
             (lambda M: (M * nb[:, None]).sum(axis=0).astype(int)))
    values = spec.values(y)
    if group == "detractors":
        in_group = y < 7
    else:
        check_number("group", group)
        in_group = y <= float(group)
    has_y = ~np.isnan(y)
    p = len(names)
    # per-driver indicator columns: rated (R), low (L), and value sums
    Rm = np.zeros((len(y), p))
    Lm = np.zeros((len(y), p))
    for j, d in enumerate(names):
        x = X[:, j]
        ok = has_y & ~np.isnan(x)
        low_max, _ = _low_high(source, d, x, low, None)
        Rm[:, j] = ok
        Lm[:, j] = ok & (x <= low_max)
    v0 = np.where(has_y, values, 0.0)
    g0 = (in_group & has_y).astype(float)
    Zp = np.column_stack([Rm, Lm, Rm * v0[:, None], Lm * v0[:, None], Rm * g0[:, None],
                          Lm * g0[:, None]])
    sel = Rm.any(axis=1)
    Zp, wp = Zp[sel], w[sel]

    def stats(S):
        S = np.atleast_2d(S)
        nR, nL, sR, sL, gR, gL = (S[:, k * p:(k + 1) * p] for k in range(6))
        with np.errstate(invalid="ignore", divide="ignore"):
            pi = nL / nR
            score_low = sL / nL
            score_rest = (sR - sL) / (nR - nL)
            gain = np.where(nL > 0, pi * (score_rest - score_low), 0.0)
            tot = np.clip(gain, 0, None).sum(axis=1, keepdims=True)
            share = 100 * np.clip(gain, 0, None) / tot
            gshare = 100 * gL / gR
        return pi, score_low, score_rest, gain, share, gshare, sR / nR

    pi, s_low, s_rest, gain, share, gshare, score = (a[0] for a in stats(Zp.T @ wp))
    if n_boot:
        Sb, boot_kind = resample(Zp, sel)
        bs = stats(Sb)
        a = (1 - conf) / 2
        g_lo, g_hi = np.nanquantile(bs[3], [a, 1 - a], axis=0)
        sh_lo, sh_hi = np.nanquantile(bs[4], [a, 1 - a], axis=0)
    else:
        g_lo = g_hi = sh_lo = sh_hi = np.full(p, np.nan)
        boot_kind = "none"
    out = pd.DataFrame({
        "driver": names, "label": [_driver_info(source, d).get("label") or d for d in names],
        "n": count(Rm), "n_low": count(Lm),
        "low_share": 100 * pi, "score_low": s_low, "score_rest": s_rest, "gain": gain,
        "gain_low": g_lo, "gain_high": g_hi, "weight_share": share, "share_low": sh_lo,
        "share_high": sh_hi, "group_low_share": gshare, "score": score})
    out["group"] = str(group)
    out["outcome"] = ycol
    out["conf"] = conf
    out["n_boot"] = int(n_boot)
    out["bootstrap"] = boot_kind
    return out.sort_values("gain", ascending=False, kind="stable").reset_index(drop=True)


# ============================================================ priority matrix ===============
def priority_matrix(table: pd.DataFrame, *, importance_cut=None,
                    performance_cut=None) -> pd.DataFrame:
    """Place each driver in an importance × performance quadrant.

    Parameters
    ----------
    table : pandas.DataFrame
        The result of :func:`drivers`.
    importance_cut : float, optional
        Importance (percent of R²) above which a driver is "important"; default the average
        share ``100 / p``.
    performance_cut : float, optional
        Performance above which a driver "performs well"; default the mean performance of the
        drivers.

    Returns
    -------
    pandas.DataFrame
        ``table`` with ``quadrant`` ("fix first": important and below-average performance;
        "keep": important and performing; "monitor": less important and below average;
        "over-invest?": less important but performing well), ``importance_cut`` and
        ``performance_cut``; sorted "fix first" first, then by importance.

    Notes
    -----
    The classic importance–performance analysis of Martilla & James (1977), with derived
    (Shapley) importance instead of stated importance and the data-centred cut points.

    References
    ----------
    .. [1] Martilla, J. A., James, J. C. (1977). Importance-performance analysis. *Journal of
       Marketing* 41(1), 77–79.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"driver": ["a", "b"], "importance": [70.0, 30.0],
    ...                   "performance": [3.0, 4.0]})
    >>> priority_matrix(t)["quadrant"].tolist()
    ['fix first', 'over-invest?']
    """
    if not isinstance(table, pd.DataFrame) or not {"driver", "importance",
                                                    "performance"} <= set(table.columns):
        raise ValueError("`table` must be the result of cxkit.drivers (columns driver, "
                         "importance, performance).")
    if len(table) == 0:
        raise ValueError("`table` has no drivers.")
    icut = 100.0 / len(table) if importance_cut is None else check_number(
        "importance_cut", importance_cut)
    pcut = float(table["performance"].mean()) if performance_cut is None else check_number(
        "performance_cut", performance_cut)
    out = table.copy()
    out["quadrant"] = [QUADRANTS[(bool(i > icut), bool(p > pcut))]
                       for i, p in zip(out["importance"], out["performance"])]
    out["importance_cut"] = icut
    out["performance_cut"] = pcut
    order = {"fix first": 0, "keep": 1, "monitor": 2, "over-invest?": 3}
    out["_o"] = out["quadrant"].map(order)
    return (out.sort_values(["_o", "importance"], ascending=[True, False], kind="stable")
            .drop(columns="_o").reset_index(drop=True))


def describe_drivers(table: pd.DataFrame, pain: pd.DataFrame | None = None) -> str:
    """One plain-language sentence naming what to fix first and why.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`drivers` or :func:`priority_matrix` result.
    pain : pandas.DataFrame, optional
        :func:`pain_map` result (adds how many points the fix is worth).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"driver": ["speed", "staff"], "label": ["Speed", "Staff"],
    ...                   "importance": [60.0, 40.0], "ci_low": [50.0, 30.0],
    ...                   "ci_high": [70.0, 50.0], "performance": [3.0, 4.2],
    ...                   "outcome": ["nps"] * 2})
    >>> describe_drivers(t)  # doctest: +NORMALIZE_WHITESPACE
    'Fix Speed first: it carries 60% of what the drivers explain of NPS (95% interval
    50–70%) and performs below the other drivers (3.0 vs average 3.6).'
    """
    m = table if "quadrant" in table.columns else priority_matrix(table)
    fix = m[m["quadrant"] == "fix first"]
    label = lambda r: r.get("label") if isinstance(r.get("label"), str) else r["driver"]  # noqa
    outcome = m["outcome"].iloc[0] if "outcome" in m else "the outcome"
    outcome = outcome.upper() if outcome in ("nps", "csat", "ces") else outcome
    conf = int(round(100 * float(m["conf"].iloc[0]))) if "conf" in m else 95
    if len(fix):
        r = fix.iloc[0]
        ci = ""
        if "ci_low" in r and np.isfinite(r["ci_low"]):
            ci = f" ({conf}% interval {r['ci_low']:.0f}–{r['ci_high']:.0f}%)"
        text = (f"Fix {label(r)} first: it carries {r['importance']:.0f}% of what the drivers "
                f"explain of {outcome}{ci} and performs below the other drivers "
                f"({r['performance']:.1f} vs average {m['performance_cut'].iloc[0]:.1f})")
    else:
        r = m.sort_values("importance", ascending=False).iloc[0]
        text = (f"No important driver performs below average; the most important, "
                f"{label(r)} ({r['importance']:.0f}% of what the drivers explain of "
                f"{outcome}), is the one to protect")
    if pain is not None and len(pain):
        pr = pain[pain["driver"] == r["driver"]]
        if len(pr) and np.isfinite(pr["gain"].iloc[0]):
            q = pr.iloc[0]
            ci = (f", {conf}% interval {q['gain_low']:.1f} to {q['gain_high']:.1f}"
                  if np.isfinite(q["gain_low"]) else "")
            text += (f"; if the {q['low_share']:.0f}% who rate it low scored like the rest, "
                     f"{outcome} would gain {q['gain']:.1f} points{ci}")
    return text + "."
