"""Key drivers and the pain map of an engine survey, from one joint histogram computed in the engine.

:func:`cxkit.drivers` and :func:`cxkit.pain_map` need, per respondent, the outcome and the
driver ratings.  Ratings are discrete, so the *joint histogram* of (outcome, driver 1, …,
driver p) — per distinct combination of answers (NULL an answer of its own) the number of
respondents *n*, Σw and Σw² — is a sufficient statistic for everything both compute: the
correlation sums (Σ w·Z of the per-respondent products Z, :mod:`cxkit.stats.drivers`), each
driver's performance and low/high gap, the pain-map sums, and the mean and covariance of the
bootstrap sums (Σ w²·Z Zᵀ).  The engine computes it with one ``GROUP BY``; only the histogram
(at most one row per combination of answers, e.g. 11 × 6⁵ for a 0–10 outcome and five 1–5
drivers) reaches Python, where the pandas path's formulas run on the bins.

Bootstrap: resampling respondents needs the rows.  Unweighted, the respondents of a bin are
exchangeable, so resampling respondents is the same as drawing multinomial bin counts
(``"multinomial"``: the exact bootstrap, in distribution — the draws differ from the pandas
path's).  Weighted, the weights of a bin's respondents differ, and the engine path uses the
``"normal"`` bootstrap: the resampled sums drawn from the normal distribution with the exact
mean Σ w·Z and covariance Σ w²·Z Zᵀ − (Σ w·Z)(Σ w·Z)ᵀ / n of the multinomial bootstrap sums
(its large-sample form, as the pandas path uses for big surveys).  ``"auto"`` picks the exact
one when the pandas path would (unweighted and n · n_boot ≤ 2·10⁷), else ``"normal"``; the
result's ``bootstrap`` column names the kind used.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from ..core.checks import check_argument
from ..core.errors import SurveyDataError
from .drivers import (_EXACT_BOOT, _BOOT_CHUNK, MAX_SHAPLEY, _corr_complete, _corr_pairwise,
                      _complete_design, _driver_table, _normal_draws, _outcome_and_drivers,
                      _pain_table)
from .tally import _weight_column
from ..engines.histograms import bad_weight

#: engine_drivers / engine_pain_map are reached through cxkit.drivers / cxkit.pain_map
__all__ = ["joint_histogram"]


def _prepare(survey, outcome, drivers_, weighted):
    """Validate the inputs on the engine table; (outcome column, spec, drivers, weight column)."""
    ycol, spec, drivers_ = _outcome_and_drivers(survey, outcome, drivers_)
    t = survey.expression()
    for c in [ycol, *drivers_]:
        if not t[c].type().is_numeric():
            raise SurveyDataError(f"Column {c!r} must hold numeric ratings, got type "
                                  f"{t[c].type()} in the engine table: declare its missing codes "
                                  f"in the config or cast the column.", column=c)
    wcol = _weight_column(survey, True if weighted is True else (weighted or None))
    return ycol, spec, drivers_, wcol


def joint_histogram(survey, ycol, names, wcol=None) -> pd.DataFrame:
    """The joint histogram of (outcome, drivers) of an engine survey: one ``GROUP BY``.

    Columns ``y``, ``x0`` … ``x{p-1}`` (float, NaN = no answer), ``n`` (respondents), ``W``
    (Σw), ``W2`` (Σw²); unweighted ``W = W2 = n``.  A weighted histogram with an unusable
    weight (NULL, NaN, ±inf, ≤ 0) raises :class:`cxkit.SurveyDataError` quoting the first such
    rows (a second query with a ``LIMIT``), as the pandas path refuses them.

    Examples
    --------
    >>> import duckdb, cxkit
    >>> rel = duckdb.sql("select * from (values (9, 5), (9, 5), (3, 1), (3, null)) t(nps, speed)")
    >>> h = joint_histogram(cxkit.scan(rel), "nps", ["speed"])
    >>> h.sort_values(["y", "x0"])[["y", "x0", "n"]].values.tolist()
    [[3.0, 1.0, 1.0], [3.0, nan, 1.0], [9.0, 5.0, 2.0]]
    """
    t = survey.expression()
    cols = {"y": t[ycol].cast("float64")}
    for j, d in enumerate(names):
        cols[f"x{j}"] = t[d].cast("float64")
    keys = list(cols)
    if wcol is not None:
        w = t[wcol].cast("float64")
        cols["w_bad"] = bad_weight(w)
        cols["_w"] = w
    s = t.select(**cols)
    aggs = {"n": s.count()}
    if wcol is not None:
        aggs["W"] = s["_w"].sum()
        aggs["W2"] = (s["_w"] * s["_w"]).sum()
        keys.append("w_bad")
    h = survey.run(s.group_by(keys).aggregate(**aggs))
    if wcol is not None:
        bad = h["w_bad"].fillna(True).astype(bool)
        if bad.any():
            ww = t[wcol].cast("float64")
            show = [c for c in ("respondent_id", "source", "source_row", wcol) if c in t.columns]
            rows = survey.run(t.filter(bad_weight(ww))
                              .select(show).limit(5))
            raise SurveyDataError(
                f"Weight column {wcol!r} has {int(h.loc[bad, 'n'].sum())} missing or "
                f"non-positive weights; first rows:\n{rows.to_string(index=False)}\nfix them or "
                f"pass weighted=False.", column=wcol)
        h = h.drop(columns="w_bad")
    out = pd.DataFrame({k: pd.to_numeric(h[k], errors="coerce").astype(float)
                        for k in ["y", *[f"x{j}" for j in range(len(names))]]})
    out["n"] = h["n"].to_numpy(dtype=float)
    out["W"] = h["W"].to_numpy(dtype=float) if wcol is not None else out["n"].to_numpy()
    out["W2"] = h["W2"].to_numpy(dtype=float) if wcol is not None else out["n"].to_numpy()
    return out


def _bins(survey, ycol, names, wcol):
    h = joint_histogram(survey, ycol, names, wcol)
    y = h["y"].to_numpy()
    X = h[[f"x{j}" for j in range(len(names))]].to_numpy(dtype=float).reshape(len(h), len(names))
    return y, X, h["n"].to_numpy(), h["W"].to_numpy(), h["W2"].to_numpy()


def _pairwise_bins(y, X, n):
    """:func:`cxkit.stats.drivers._pairwise_design` on bins."""
    V = np.column_stack([y, X])
    M = ~np.isnan(V)
    mean = np.where(M, V, 0.0).T @ n / (M.T.astype(float) @ n)
    V = np.where(M, V - mean, 0.0)
    q = V.shape[1]
    pairs = list(combinations(range(q), 2))
    Z = np.empty((V.shape[0], 6 * len(pairs)))
    for k, (a, b) in enumerate(pairs):
        m = (M[:, a] & M[:, b]).astype(float)
        xa, xb = V[:, a] * m, V[:, b] * m
        Z[:, 6 * k:6 * k + 6] = np.column_stack([m, xa, xb, xa * xa, xb * xb, xa * xb])
    return Z, q, pairs


def _bootstrap_sums(Z, n, W, W2, n_boot, rng, bootstrap, weighted):
    """Bootstrap sums of w·Z from the bins; returns (sums, kind) — see the module notes."""
    N = float(n.sum())
    kind = bootstrap
    if kind == "auto":
        kind = "multinomial" if (not weighted and N * n_boot <= _EXACT_BOOT) else "normal"
    if kind == "multinomial":
        if weighted:
            raise ValueError("bootstrap='multinomial' resamples respondents, whose weights an "
                             "engine survey's histogram does not keep: use bootstrap='normal' "
                             "(or 'auto'), or load the survey into pandas.")
        out = np.empty((n_boot, Z.shape[1]))
        p = n / N
        chunk = max(1, min(n_boot, _BOOT_CHUNK // max(len(n), 1)))
        for start in range(0, n_boot, chunk):
            b = min(chunk, n_boot - start)
            counts = rng.multinomial(int(N), p, size=b).astype(float)
            out[start:start + b] = counts @ Z
        return out, kind
    mean = Z.T @ W
    cov = (Z * W2[:, None]).T @ Z - np.outer(mean, mean) / N
    # a column constant over the respondents (unweighted: the 1 of the complete design) has no
    # bootstrap variance; rounding leaves ~1e-13 there, which would rotate the null space
    # eigh returns, so it is set to the exact zero the row-wise covariance has
    d = np.diag(cov)
    zero = d <= 1e-12 * max(float(d.max()), 1e-300)
    cov[zero, :] = 0.0
    cov[:, zero] = 0.0
    return _normal_draws(mean, cov, n_boot, rng), kind


def engine_drivers(survey, outcome=None, drivers=None, *, method="shapley", weighted=False,
                   n_boot=1000, rng=None, conf=0.95, missing="complete", performance="mean",
                   low=None, high=None, bootstrap="auto") -> pd.DataFrame:
    """:func:`cxkit.drivers` of an engine survey (called by it; arguments as there, checked
    there) from :func:`joint_histogram`; the same table, ``bootstrap`` naming the kind used."""
    check_argument("missing", ("complete", "pairwise"), missing)
    ycol, spec, names, wcol = _prepare(survey, outcome, drivers, weighted)
    p = len(names)
    if method == "shapley" and p > MAX_SHAPLEY:
        raise ValueError(f"method='shapley' is exact over all 2^p subsets and accepts up to "
                         f"{MAX_SHAPLEY} drivers ({p} given); use method='johnson' for more.")
    y, X, nb, W, W2 = _bins(survey, ycol, names, wcol)
    has_y = ~np.isnan(y)
    if missing == "complete":
        keep = has_y & ~np.isnan(X).any(axis=1)
        n_model = int(nb[keep].sum())
        if n_model < p + 2:
            raise ValueError(
                f"Only {n_model} respondents answered the outcome {ycol!r} and every driver "
                f"({names}); a driver analysis needs more than {p + 1}. Use missing='pairwise' "
                f"or fewer drivers.")
        Z, q, iu = _complete_design(y[keep], X[keep], nb[keep])
        to_corr = lambda S: _corr_complete(S, q, iu)  # noqa: E731
    else:
        keep = has_y | ~np.isnan(X).all(axis=1)
        Z, q, pairs = _pairwise_bins(y[keep], X[keep], nb[keep])
        to_corr = lambda S: _corr_pairwise(S, q, pairs)  # noqa: E731
        n_pairs = ((Z[:, 0::6] > 0) * nb[keep][:, None]).sum(axis=0)
        n_model = int(n_pairs.min())
        if n_model < 3:
            worst = pairs[int(np.argmin(n_pairs))]
            cols = [ycol, *names]
            raise ValueError(f"Only {n_model} respondents answered both {cols[worst[0]]!r} and "
                             f"{cols[worst[1]]!r}; their correlation cannot be estimated.")
    nk, Wk, W2k = nb[keep], W[keep], W2[keep]
    V = np.column_stack([y, X])[keep]
    M = ~np.isnan(V)
    cnt = M.T.astype(float) @ nk
    mu = np.where(M, V, 0.0).T @ nk / cnt
    var = (np.where(M, (V - mu) ** 2, 0.0).T @ nk) / cnt
    flat = [c for c, s in zip([ycol, *names], np.sqrt(var)) if not s > 0]
    if flat:
        raise ValueError(f"Column(s) {flat} have the same rating for every respondent in the "
                         f"model; a constant explains nothing: drop them.")
    return _driver_table(
        survey, names, y, X, W, nb, spec, Z, Wk, to_corr,
        lambda: _bootstrap_sums(Z, nk, Wk, W2k, int(n_boot), rng, bootstrap, wcol is not None),
        method=method, missing=missing, n_boot=n_boot, conf=conf, performance=performance,
        low=low, high=high, n_model=n_model, ycol=ycol, weighted=wcol is not None)


def engine_pain_map(survey, outcome=None, drivers=None, *, group="detractors", weighted=False,
                    n_boot=1000, rng=None, conf=0.95, low=None,
                    bootstrap="auto") -> pd.DataFrame:
    """:func:`cxkit.pain_map` of an engine survey (called by it) from :func:`joint_histogram`."""
    ycol, spec, names, wcol = _prepare(survey, outcome, drivers, weighted)
    y, X, nb, W, W2 = _bins(survey, ycol, names, wcol)
    return _pain_table(
        survey, names, y, X, W, nb, spec, ycol,
        lambda Zs, sel: _bootstrap_sums(Zs, nb[sel], W[sel], W2[sel], int(n_boot), rng,
                                        bootstrap, wcol is not None),
        group=group, low=low, n_boot=n_boot, conf=conf)
