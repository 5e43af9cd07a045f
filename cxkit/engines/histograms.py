"""The score histogram per group, computed by the engine in one aggregate (Ibis expression).

One ``GROUP BY`` over (group columns, score, unusable weight): NULL/NaN scores, NULL group
values and bad weights (NULL, NaN, ±inf, ≤ 0) land in bins of their own, so the histogram and
the accounting come back from the same query; each bin is then classified as tallied (0),
missing score (1), unusable weight (2) or missing group value (3).  The scale is
checked on the histogram's distinct scores; only when one is bad does a second query (with a
``LIMIT``) fetch the first offending rows for the message.  Ibis writes the SQL of each
backend (DuckDB, Spark SQL, BigQuery, Snowflake …); no SQL is written here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.errors import SurveyDataError
from ..core.validate import scale_violations

__all__ = ["engine_tally", "aggregate_responses", "histogram_expression", "engine_frame",
           "classify"]

_QUOTE = 5          # offending rows quoted in a message
_DBL_MAX = float(np.finfo(np.float64).max)


def bad_weight(w):
    """The weight rule as an Ibis predicate (float64 column ``w``): NULL, NaN, ±inf, zero or
    negative — the engine twin of :func:`cxkit.core.validate.usable_weights`.

    Not ``isinf()``: Ibis writes it for Spark as ``w = inf``, which did not flag an infinite
    weight read from Parquet there; a comparison with the largest double does."""
    return w.isnull() | w.isnan() | (w <= 0) | (w > _DBL_MAX)


def histogram_expression(table, column, by=(), weight=None):
    """The Ibis expression of the histogram aggregate (before execution).

    ``GROUP BY`` the group columns, the score (cast to float64) and — with a weight — whether
    the weight is unusable (``w_bad``: NULL, NaN, ±inf or ≤ 0); per bin ``n`` (rows) and
    ``w``, ``w2`` (Σw, Σw²).  NULL and NaN scores and NULL group values form their own bins,
    so every excluded row is counted in the same query (see :func:`classify`); no filter runs
    before the grouping, which keeps the query as cheap as a bare ``GROUP BY``.

    Examples
    --------
    >>> import ibis
    >>> t = ibis.table({"nps": "float64", "region": "string"}, name="responses")
    >>> print(ibis.to_sql(histogram_expression(t, "nps", ["region"]), dialect="duckdb"))
    SELECT
      "t1"."region",
      "t1"."score",
      COUNT(*) AS "n"
    FROM (
      SELECT
        "t0"."region",
        "t0"."nps" AS "score"
      FROM "responses" AS "t0"
    ) AS "t1"
    GROUP BY
      1,
      2
    """
    by = list(by)
    cols = {b: table[b] for b in by}
    cols["score"] = table[column].cast("float64")
    return binned_counts(table, cols, weight)


def binned_counts(table, cols, weight=None):
    """``GROUP BY`` the columns ``cols`` (name → Ibis expression of ``table``) with ``n`` rows
    per bin and, with a ``weight`` column, the unusable-weight flag ``w_bad``
    (:func:`bad_weight`) as a further key and ``w``, ``w2`` (Σw, Σw²): the one aggregate
    behind the score histograms and the brands' joint histograms."""
    cols = dict(cols)
    keys = list(cols)
    if weight is not None:
        w = table[weight].cast("float64")
        cols["w_bad"] = bad_weight(w)
        cols["_w"] = w
        keys.append("w_bad")
    t = table.select(**cols)
    aggs = {"n": t.count()}
    if weight is not None:
        aggs["w"] = t["_w"].sum()
        aggs["w2"] = (t["_w"] * t["_w"]).sum()
    return t.group_by(keys).aggregate(**aggs)


def classify(raw: pd.DataFrame, by, weight) -> pd.DataFrame:
    """The engine's bins with a ``flag`` per bin: 0 tallied, 1 missing score (NULL or NaN),
    2 unusable weight, 3 missing group value — in that order of precedence, as the pandas
    tally counts them; keys of flags 2 and 3 are set to missing (they are not reported)."""
    raw = raw.reset_index(drop=True)
    score = pd.to_numeric(raw["score"], errors="coerce").astype(float)
    miss_s = score.isna().to_numpy()
    bad_w = (raw["w_bad"].fillna(True).astype(bool).to_numpy() if weight is not None
             else np.zeros(len(raw), dtype=bool))
    miss_g = np.zeros(len(raw), dtype=bool)
    for b in by:
        miss_g |= raw[b].isna().to_numpy()
    flag = np.where(miss_s, 1, np.where(bad_w, 2, np.where(miss_g, 3, 0)))
    out = raw.drop(columns=[c for c in ("w_bad",) if c in raw.columns]).copy()
    out["score"] = np.where(miss_s, np.nan, score)
    out.insert(0, "flag", flag)
    dropped = flag >= 2
    if dropped.any():
        for b in by:
            out[b] = out[b].where(~dropped)
    if weight is not None:
        out.loc[flag != 0, ["w", "w2"]] = 0.0
    group = ["flag", *by, "score"]
    aggs = ["n"] + (["w", "w2"] if weight is not None else [])
    return out.groupby(group, dropna=False, sort=False)[aggs].sum().reset_index()


def _period_column(values, survey):
    """The ``period`` group values as ``pandas.Period``: truncated dates (derived in the
    engine) or a period column of the table holding texts such as ``"2018"``, ``"2026-10"``."""
    if survey.date is not None and "period" not in survey.table.columns:
        return pd.PeriodIndex(pd.to_datetime(values), freq=survey.period)
    if len(values) and all(isinstance(v, str) for v in values.dropna()):
        return pd.PeriodIndex([pd.Period(v, freq=survey.period) if isinstance(v, str) else pd.NaT
                               for v in values])
    return values


def _ordered_levels(frame, survey, by):
    """Group columns with known level orders (``survey.levels``, e.g. the order of first
    appearance the pandas loader gives) as Categoricals in that order, so groups sort as on
    the pandas path; levels the order does not list follow, sorted.  Nothing is dropped."""
    levels = getattr(survey, "levels", None) or {}
    for b in by:
        if b in levels and b in frame.columns and not isinstance(frame[b].dtype, pd.CategoricalDtype):
            known = [str(v) for v in levels[b]]
            seen = set(known)
            extra = sorted({str(v) for v in frame[b].dropna().unique()} - seen)
            vals = frame[b].where(frame[b].isna(), frame[b].astype(str))
            frame = frame.assign(**{b: pd.Categorical(vals, categories=known + extra)})
    return frame


def _quote_rows(survey, table, column, scale, limit=_QUOTE) -> pd.DataFrame:
    """First rows (engine order) whose score breaks the scale: a LIMIT query."""
    lo, hi, integer = scale
    s = table[column].cast("float64")
    bad = (s < lo) | (s > hi) | (s > _DBL_MAX) | (s < -_DBL_MAX)   # ±inf (not isinf(): Spark)
    if integer:
        bad = bad | (s != s.floor())
    bad = bad & s.notnull() & ~s.isnan()
    return survey.run(table.filter(bad).limit(limit))


def _check_scale(survey, table, column, spec, scale, hist):
    if scale is None:
        return
    lo, hi, integer = scale
    scores = hist["score"].to_numpy(dtype=float)
    whole, outside = scale_violations(scores, lo, hi, integer)
    bad = whole | outside | np.isinf(scores)
    if not bad.any():
        return
    count = int(hist.loc[bad, "n"].sum())
    rows = _quote_rows(survey, table, column, scale)
    values = sorted(set(float(v) for v in scores[bad]))
    shown = ", ".join(f"{v:g}" for v in values[:10])
    quoted = rows.head(_QUOTE).to_string(index=False, max_colwidth=30)
    what = f"{spec.kind.upper()} scores" if spec is not None else "scores"
    rule = f"{'whole numbers ' if integer else ''}{lo:g}–{hi:g}"
    raise SurveyDataError(
        f"Column {column!r} of {survey.name or 'the engine table'} holds {count} {what} outside "
        f"the scale ({rule}): values {shown}. First offending rows:\n{quoted}\n"
        f"Declare such codes as missing (a `missing:` list in the survey config, or filter "
        f"them in the engine), or declare the scale the survey used.", column=column)


def engine_tally(survey, column, spec, scale, by=(), weight=None):
    """(histogram, info) of an :class:`~cxkit.engines.sources.EngineSurvey`.

    ``histogram``: a pandas frame with the group columns, ``score``, ``n`` (and ``w``,
    ``w2``), bins with n > 0, sorted by group and score — the same table as
    :func:`cxkit.tally`'s pandas path.  ``info``: ``rows``, ``missing_score``,
    ``missing_weight`` (with a weight), ``missing_group``, ``valid``.  Scores outside
    ``scale`` raise :class:`cxkit.SurveyDataError` quoting the first offending rows.
    """
    by = list(by)
    table = survey.expression()
    raw = classify(survey.run(histogram_expression(table, column, by, weight)), by, weight)
    raw["n"] = raw["n"].astype(np.int64)
    flags = raw.groupby("flag")["n"].sum()
    info = {"rows": int(raw["n"].sum()), "missing_score": int(flags.get(1, 0))}
    if weight is not None:
        info["missing_weight"] = int(flags.get(2, 0))
    info["missing_group"] = int(flags.get(3, 0))
    hist = raw.loc[raw["flag"] == 0].drop(columns="flag")
    hist = _ordered_levels(hist, survey, by)
    hist = hist.sort_values(by + ["score"], kind="stable").reset_index(drop=True)
    if "period" in by:
        hist["period"] = _period_column(hist["period"], survey)
    hist["score"] = hist["score"].astype(float)
    info["valid"] = int(hist["n"].sum())
    _check_scale(survey, table, column, spec, scale, hist)
    cols = by + ["score", "n"] + (["w", "w2"] if weight is not None else [])
    return hist[cols], info


def aggregate_responses(source, metric="nps", by=(), weighted=False):
    """An aggregated responses frame (one row per group and score) from an engine source.

    The frame is what :func:`cxkit.from_aggregates` produces — ``attrs["cxkit"]["count"]``
    names the count column, and when weighted each row carries ``weight`` = Σw/n and
    ``deff`` = n·Σw²/(Σw)², so that the pandas analyses (:func:`cxkit.score_changes`,
    :func:`cxkit.trend`, :func:`cxkit.decompose_change`, :func:`cxkit.plan_segments`) see the
    same Σw and Σw² per bin as the engine computed.  Rows with a missing score stay as
    NaN-score bins (counted as missing by the analyses); rows excluded for a bad weight or a
    missing group are counted in ``attrs["cxkit"]["engine_tally"]``.
    """
    from ..core.metrics import resolve_metric
    from ..core.validate import check_columns, refuse_unknown_scale, score_scale
    from .sources import as_survey

    survey = as_survey(source)
    column, spec = resolve_metric(survey, metric)
    by = [b for b in dict.fromkeys(by) if b is not None]
    check_columns(survey, by, "group", "by")
    wcol = None
    if weighted:
        wcol = weighted if isinstance(weighted, str) else survey.weight
        if wcol is None:
            raise SurveyDataError("`weighted=True` needs the weight column: scan the source with "
                                  "cxkit.scan(source, weight=\"<column>\") or pass "
                                  "`weighted=\"<column>\"`.", column="weight")
        check_columns(survey, [wcol], "weight", "weighted")
    scale = score_scale(survey, column, spec)
    if scale is None:
        refuse_unknown_scale(column, spec)
    table = survey.expression()
    raw = classify(survey.run(histogram_expression(table, column, by, wcol)), by, wcol)
    raw["n"] = raw["n"].astype(np.int64)
    info = {"rows": int(raw["n"].sum()),
            "missing_weight": int(raw.loc[raw["flag"] == 2, "n"].sum()),
            "missing_group": int(raw.loc[raw["flag"] == 3, "n"].sum())}
    keep = raw.loc[raw["flag"].isin([0, 1])].copy()       # missing scores stay as NaN bins
    if "period" in by:
        keep["period"] = _period_column(keep["period"], survey)
    hist = keep.loc[keep["flag"] == 0]
    _check_scale(survey, table, column, spec, scale, hist)
    keep = _ordered_levels(keep, survey, by)
    keep = keep.sort_values(by + ["score"], kind="stable").reset_index(drop=True)
    out = pd.DataFrame({b: keep[b] for b in by})
    out[column] = keep["score"].astype(float)
    out["count"] = keep["n"].astype(float)
    meta = {"metrics": {column: spec, **survey.metrics}, "scales": dict(survey.scales),
            "segments": list(survey.segments), "weight": None, "count": "count",
            "survey": survey.name, "period": survey.period, "engine_tally": info}
    if wcol is not None:
        n = keep["n"].to_numpy(dtype=float)
        W = keep["w"].to_numpy(dtype=float)
        W2 = keep["w2"].to_numpy(dtype=float)
        miss = keep["flag"].to_numpy() == 1
        with np.errstate(invalid="ignore", divide="ignore"):
            out["weight"] = np.where(miss, 1.0, W / n)
            out["deff"] = np.where(miss, 1.0, W2 * n / (W * W))
        meta["weight"] = "weight"
        meta["deff"] = "deff"
    if spec.kind != "nps" and column not in meta["scales"] and scale is not None:
        meta["scales"][column] = (scale[0], scale[1])
    out.attrs["cxkit"] = meta
    return out


def engine_frame(responses, metric, by=None, weighted=False, *, period=True):
    """``responses`` as an aggregated pandas frame when it is an engine source (else as is):
    the group columns ``by`` (None: the configured segments) and ``period``, for the
    analyses that work on a responses frame (see :func:`aggregate_responses`)."""
    from .sources import as_survey, is_engine_input

    if not is_engine_input(responses):
        return responses
    survey = as_survey(responses)
    if by is None:
        by = list(survey.segments)
    elif isinstance(by, str):
        by = [by]
    by = list(by) + (["period"] if period else [])
    return aggregate_responses(survey, metric, by, weighted)
