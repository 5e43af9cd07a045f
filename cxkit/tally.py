"""Score histograms: the one pass over raw responses that every estimate starts from.

Every CX score is the mean of a per-response value that is constant within a score (NPS: +100
/ 0 / −100; top box: 100 / 0; means: the score itself).  So the per-group **score histogram**
— the number of responses per score, plus Σw and Σw² per score when weighted — is a sufficient
statistic for the estimate, its (linearised) variance, multinomial bootstrap and planning.
:func:`tally` computes it in one vectorised pass (factorised group codes combined with the
score code into one integer index, then :func:`numpy.bincount`).  Histograms of different
files or partitions add up to the histogram of their union (:func:`add_tallies`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .estimate import MetricSpec, resolve_metric

__all__ = ["tally", "add_tallies"]

#: Largest dense index (groups × scores) bincount is asked for before compacting group codes.
_DENSE_LIMIT = 50_000_000


@dataclass
class _Tally:
    """Internal array form of a tally (shared with :mod:`cxkit.summary`)."""

    keys: pd.DataFrame          # one row per group with ≥ 1 valid response (group columns)
    gid: np.ndarray             # group id (row of ``keys``) of each histogram row
    score: np.ndarray           # score of each histogram row (float)
    n: np.ndarray               # responses per row (int64)
    w: np.ndarray | None        # Σw per row
    w2: np.ndarray | None       # Σw² per row
    column: str
    spec: MetricSpec
    by: list
    weight: str | None
    info: dict


def _as_list(by) -> list:
    if by is None:
        return []
    if isinstance(by, (str, tuple)) or not hasattr(by, "__iter__"):
        return [by]
    return list(by)


def _weight_column(responses, weight):
    """Resolve ``weight`` (None/False, True, or a column name) to a column name or None."""
    if weight is None or weight is False:
        return None
    if weight is True:
        configured = (getattr(responses, "attrs", {}) or {}).get("cxkit", {}).get("weight")
        name = configured or "weight"
        if name not in responses.columns:
            raise ValueError(
                "`weight=True` uses the configured weight column, but this responses table has no "
                f"{name!r} column; configure `weight:` in the survey YAML or pass the column name."
            )
        return name
    if weight not in responses.columns:
        raise ValueError(f"The responses table has no weight column {weight!r}; columns are "
                         f"{list(responses.columns)}.")
    return weight


def _codes(col: pd.Series):
    """Integer codes (−1 = missing) and the uniques, sorted, of one group column."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes = col.cat.codes.to_numpy()
        # keep only observed categories, in category order
        cats = col.cat.categories
        present = np.bincount(codes[codes >= 0], minlength=len(cats)) > 0
        remap = np.full(len(cats), -1, dtype=np.int64)
        remap[present] = np.arange(int(present.sum()))
        new = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
        uniques = pd.Categorical.from_codes(np.flatnonzero(present), dtype=col.dtype)
        return new, uniques
    codes, uniques = pd.factorize(col, sort=True, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), uniques


def _score_codes(s: np.ndarray):
    """Codes of valid (finite) scores and the score value of each code."""
    if s.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    lo, hi = float(s.min()), float(s.max())
    if hi - lo <= 10_000 and np.array_equal(s, np.floor(s)):
        codes = (s - lo).astype(np.int64)
        return codes, lo + np.arange(int(hi - lo) + 1, dtype=float)
    values, codes = np.unique(s, return_inverse=True)
    return codes.astype(np.int64), values.astype(float)


def _tally_core(responses, score="nps", by=None, weight=None) -> _Tally:
    column, spec = resolve_metric(responses, score)
    by = _as_list(by)
    for b in by:
        if b not in responses.columns:
            raise ValueError(f"The responses table has no group column {b!r}; columns are "
                             f"{list(responses.columns)}.")
    wcol = _weight_column(responses, weight)
    rows = len(responses)
    s = pd.to_numeric(responses[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    ok = np.isfinite(s)
    info = {"rows": rows, "missing_score": int((~ok).sum())}
    wt = None
    if wcol is not None:
        wt = pd.to_numeric(responses[wcol], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        bad_w = ok & ~(np.isfinite(wt) & (wt >= 0))
        info["missing_weight"] = int(bad_w.sum())
        ok &= ~bad_w
    group_codes, uniques = [], []
    missing_group = 0
    for b in by:
        c, u = _codes(responses[b])
        miss = ok & (c < 0)
        missing_group += int(miss.sum())
        ok &= c >= 0
        group_codes.append(c)
        uniques.append(u)
    info["missing_group"] = missing_group
    sel = None if ok.all() else np.flatnonzero(ok)
    sv = s if sel is None else s[sel]
    scode, svalues = _score_codes(sv)
    S = max(len(svalues), 1)
    # combined group code (mixed radix), compacted if the dense index would be too large
    sizes = [len(u) for u in uniques]
    gcode = np.zeros(len(sv), dtype=np.int64)
    for c, k in zip(group_codes, sizes):
        gcode = gcode * k + (c if sel is None else c[sel])
    G = int(np.prod(sizes)) if sizes else 1
    if G * S > _DENSE_LIMIT:
        ug, gcode = np.unique(gcode, return_inverse=True)
        G = len(ug)
    else:
        ug = None
    idx = gcode * S + scode
    n = np.bincount(idx, minlength=G * S)
    keep = np.flatnonzero(n)
    w = w2 = None
    if wt is not None:
        wv = wt if sel is None else wt[sel]
        w = np.bincount(idx, weights=wv, minlength=G * S)[keep]
        w2 = np.bincount(idx, weights=wv * wv, minlength=G * S)[keep]
    n = n[keep].astype(np.int64)
    g_of_row, s_of_row = np.divmod(keep, S)
    ug_rows, gid = np.unique(g_of_row, return_inverse=True)  # observed groups, sorted
    full = ug_rows if ug is None else ug[ug_rows]
    keys = {}
    rem = full
    for b, u, k in reversed(list(zip(by, uniques, sizes))):
        rem, code = np.divmod(rem, k)
        keys[b] = pd.Series(u.take(code))
    keys = pd.DataFrame({b: keys[b] for b in by}) if by else pd.DataFrame(index=range(len(full)))
    info["valid"] = int(n.sum())
    return _Tally(keys.reset_index(drop=True), gid.astype(np.int64),
                  svalues[s_of_row] if len(svalues) else np.zeros(0), n, w, w2,
                  column, spec, by, wcol, info)


def _to_frame(t: _Tally) -> pd.DataFrame:
    out = t.keys.iloc[t.gid].reset_index(drop=True) if t.by else pd.DataFrame(index=range(len(t.n)))
    out["score"] = t.score
    out["n"] = t.n
    if t.w is not None:
        out["w"] = t.w
        out["w2"] = t.w2
    out.attrs["tally"] = {"column": t.column, "metric": t.spec, "by": list(t.by),
                          "weight": t.weight, **t.info}
    return out


def tally(responses, score="nps", by=None, weight=None) -> pd.DataFrame:
    """Score histogram per group: the sufficient statistic of every CX estimate.

    Parameters
    ----------
    responses : pandas.DataFrame
        Responses, one row each (e.g. the canonical table from :func:`cxkit.load_survey`).
    score : str, MetricSpec or (column, kind) tuple, default "nps"
        The score column, resolved with :func:`cxkit.resolve_metric` (a configured score name,
        or ``"nps"``/``"csat"``/``"ces"`` for a column of that name).
    by : str or list of str, optional
        Group columns (segments, ``period`` …).  Categorical columns keep their dtype and only
        observed categories appear; Period columns stay Periods.
    weight : None, False, True or str, default None
        ``True`` uses the configured weight column (``responses.attrs["cxkit"]["weight"]``,
        else ``"weight"``); a string names the column.

    Returns
    -------
    pandas.DataFrame
        Group columns, ``score`` (float), ``n`` (int64, responses with that score) and, when
        weighted, ``w`` (Σw) and ``w2`` (Σw²).  Only bins with n > 0 are listed, sorted by
        group then score.  ``attrs["tally"]`` holds ``column``, ``metric`` (MetricSpec), ``by``,
        ``weight``, ``rows`` (rows read), ``valid`` (responses tallied), ``missing_score``
        (NaN/blank scores excluded), ``missing_weight`` (missing or negative weights excluded)
        and ``missing_group`` (rows with a missing group value excluded).

    Notes
    -----
    One pass: each group column is factorised to integer codes (categorical codes are used
    directly), the codes and the score code are combined into one index
    ``((g1·K2 + g2)·K3 + …)·S + s`` and counted with :func:`numpy.bincount` (with
    ``weights=w`` and ``w²`` for Σw, Σw²).  Because counts and weight sums are additive, the
    histogram of a union of disjoint data sets is the sum of their histograms
    (:func:`add_tallies`).

    References
    ----------
    .. [1] Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, ch. 2
       (totals and means as functions of weighted sums).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"nps": [10, 9, 7, 3, None], "region": ["N", "N", "S", "S", "S"]})
    >>> t = tally(df, "nps", by="region")
    >>> t[["region", "score", "n"]].to_records(index=False).tolist()
    [('N', 9.0, 1), ('N', 10.0, 1), ('S', 3.0, 1), ('S', 7.0, 1)]
    >>> t.attrs["tally"]["missing_score"]
    1
    """
    return _to_frame(_tally_core(responses, score, by, weight))


def add_tallies(*tables) -> pd.DataFrame:
    """Add score histograms of disjoint data sets (files, partitions) into one.

    Parameters
    ----------
    *tables : pandas.DataFrame
        Outputs of :func:`tally` with the same group columns (and all weighted or none).

    Returns
    -------
    pandas.DataFrame
        The histogram of the union: ``n`` (and ``w``, ``w2``) summed per group and score,
        sorted by group and score.

    Notes
    -----
    Counts, Σw and Σw² are sums over responses, so hist(A ∪ B) = hist(A) + hist(B) bin by bin
    (bins aligned on group values and score; a bin missing from one table counts 0).

    References
    ----------
    .. [1] Lumley, T. (2010). *Complex Surveys*. Wiley, ch. 2.

    Examples
    --------
    >>> import pandas as pd
    >>> a = tally(pd.DataFrame({"nps": [10, 3]}))
    >>> b = tally(pd.DataFrame({"nps": [10, 8]}))
    >>> add_tallies(a, b)[["score", "n"]].to_records(index=False).tolist()
    [(3.0, 1), (8.0, 1), (10.0, 2)]
    """
    if not tables:
        raise ValueError("`add_tallies` needs at least one tally table.")
    by = list(tables[0].attrs.get("tally", {}).get("by", [c for c in tables[0].columns
                                                            if c not in ("score", "n", "w", "w2")]))
    cols = [c for c in ("n", "w", "w2") if c in tables[0].columns]
    for t in tables[1:]:
        if [c for c in ("n", "w", "w2") if c in t.columns] != cols:
            raise ValueError("Cannot add weighted and unweighted tallies.")
    allt = pd.concat(tables, ignore_index=True)
    out = allt.groupby(by + ["score"], observed=True, sort=True, dropna=False)[cols].sum().reset_index()
    out["n"] = out["n"].astype(np.int64)
    meta = dict(tables[0].attrs.get("tally", {}))
    for key in ("rows", "valid", "missing_score", "missing_weight", "missing_group"):
        if all(key in t.attrs.get("tally", {}) for t in tables):
            meta[key] = sum(t.attrs["tally"][key] for t in tables)
    out.attrs["tally"] = meta
    return out
