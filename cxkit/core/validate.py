"""The one place where cxkit checks *data* handed to it: score columns against their scale,
text in numeric columns, column names and period columns.

The loader (:func:`cxkit.load_survey`, :func:`cxkit.from_frame`) and every analysis that takes
responses use these rules, so a plain DataFrame gets the same checks as a loaded survey:

* **NPS** scores are whole numbers 0–10 (the scale NPS is defined on).
* **CSAT / top box / CES / means**: the declared scale — ``responses.attrs["cxkit"]["scales"]``
  (set by the loader) or the :class:`~cxkit.MetricSpec`'s ``scale`` (``metric_spec("csat")``
  is 1–5 and ``metric_spec("ces")`` 1–7, :data:`DEFAULT_SCALES`); whole numbers unless the
  score was declared ``integer: false``.  When no scale is known an estimate is refused.
* Text in a score column ("ten") is refused, never dropped; blanks ("" or NaN) are missing.

Problems raise :class:`cxkit.SurveyDataError` naming the column, the first rows (index labels
of the DataFrame) with their values, and the fix (declare missing codes, or load the table
through a config / :func:`cxkit.from_frame`).
"""

from __future__ import annotations

import difflib

import numpy as np
import pandas as pd

from .errors import SurveyDataError

# (DEFAULT_SCALES is defined here and exported flat from cxkit.io.config, as before)
__all__ = ["default_scale", "score_scale", "scale_violations", "numeric_scores", "check_scores",
           "check_histogram_values", "refuse_unknown_scale", "check_columns", "closest_column",
           "period_values", "with_periods"]

#: Scale of each named metric when none is declared (also the config's defaults).
DEFAULT_SCALES = {"nps": (0.0, 10.0), "csat": (1.0, 5.0), "ces": (1.0, 7.0)}
_SHOW = 5


def usable_weights(w) -> np.ndarray:
    """The weight rule, as a mask: a weight counts when it is a finite number above zero; NULL,
    NaN, ±inf, zero and negative weights are unusable (excluded from weighted analyses and
    counted as ``missing_weight``).  The engines apply the same rule in their query
    (:func:`cxkit.engines.histograms.bad_weight`).

    >>> usable_weights(np.array([1.0, 0.0, -1.0, np.nan, np.inf, 2.5])).tolist()
    [True, False, False, False, False, True]
    """
    w = np.asarray(w, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.isfinite(w) & (w > 0)


def default_scale(metric: str, top_box=None):
    """The default ``(low, high)`` scale of a metric name, or None when none is known.

    CSAT is 1–5 (when its top box lies in it), CES 1–7, NPS 0–10; ``top_box`` and ``mean``
    have no default scale.

    >>> default_scale("csat"), default_scale("top_box")
    ((1.0, 5.0), None)
    """
    scale = DEFAULT_SCALES.get(metric)
    if scale is not None and top_box is not None and not all(
            scale[0] <= float(x) <= scale[1] for x in np.atleast_1d(top_box)):
        return None
    return scale


def score_scale(responses, column, spec):
    """``(low, high, integer)`` the scores of ``column`` must satisfy, or None if unknown.

    The declared scale of a loaded table (``responses.attrs["cxkit"]["scales"][column]``)
    wins, then the MetricSpec's ``scale``; NPS is always 0–10.

    >>> from cxkit.core.metrics import metric_spec
    >>> score_scale(None, "nps", metric_spec("nps"))
    (0.0, 10.0, True)
    """
    meta = ((getattr(responses, "attrs", None) or {}).get("cxkit") or {})
    declared = (meta.get("scales") or {}).get(column)
    integer = (meta.get("integer") or {}).get(column, getattr(spec, "integer", True))
    if spec is not None and spec.kind == "nps":
        # whole numbers 0–10, unless a loaded survey's config said `integer: false`
        lo, hi = declared if declared is not None else (spec.scale or (0.0, 10.0))
        return float(lo), float(hi), bool((meta.get("integer") or {}).get(column, True))
    if declared is not None:
        return float(declared[0]), float(declared[1]), bool(integer)
    if spec is not None and spec.scale is not None:
        return float(spec.scale[0]), float(spec.scale[1]), bool(spec.integer)
    return None


def scale_violations(num, lo, hi, integer=True, valid=None):
    """Masks ``(not whole, outside the scale)`` of a float array (NaN is neither).

    The loader and the analyses use the same test.

    >>> [m.tolist() for m in scale_violations(np.array([3.0, 7.5, 11.0, np.nan]), 0, 10)]
    [[False, True, False, False], [False, False, True, False]]
    """
    num = np.asarray(num, dtype=float)
    ok = ~np.isnan(num) if valid is None else valid
    with np.errstate(invalid="ignore"):
        whole = (ok & (np.floor(num) != num)) if integer else np.zeros(num.shape, dtype=bool)
        outside = ok & ~whole & ((num < lo) | (num > hi))
    return whole, outside


def _labels(index, pos):
    if index is None:
        return [int(p) for p in pos]
    out = []
    for p in pos:
        v = index[p]
        out.append(int(v) if isinstance(v, (int, np.integer)) else v)
    return out


def _fmt(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return repr(v) if isinstance(v, str) else str(v)


def _what(column, spec, scale) -> str:
    parts = []
    if spec is not None:
        parts.append(f"metric {spec.name!r}" if spec.name != column else f"metric {spec.name}")
    if scale is not None:
        lo, hi, integer = scale
        parts.append(f"{'whole numbers ' if integer else ''}{lo:g}–{hi:g}")
    return f" ({', '.join(parts)})" if parts else ""


def _fix_missing(column, spec, values):
    codes = ", ".join(_fmt(v) for v in dict.fromkeys(values))
    if spec is None:
        metric = "nps"
    else:
        metric = spec.name if spec.name in ("nps", "csat", "ces") else spec.kind
    return (f"If they are codes for 'no answer' (e.g. 11 = blank), declare them: load the table "
            f"with cxkit.from_frame(df, scores={{{column!r}: {{'column': {column!r}, "
            f"'metric': {metric!r}, 'missing': [{codes}]}}}}) (or `missing:` in the survey "
            f"config), or set them to NaN first; if the scale is wrong, declare it "
            f"(`scale: [low, high]`).")


_SINGULAR = (("values that are not finite numbers", "value that is not a finite number"),
             ("values that are not numbers", "value that is not a number"),
             ("scores that are not whole numbers", "score that is not a whole number"),
             ("values that are not periods", "value that is not a period"),
             ("values outside", "value outside"), ("periods of another", "period of another"))


def _raise(column, what, problem, mask, values, index, fix, count=None):
    pos = np.flatnonzero(mask)[:_SHOW]
    cnt = int(np.count_nonzero(mask)) if count is None else count
    if cnt == 1:
        for many, one in _SINGULAR:
            problem = problem.replace(many, one)
    rows = _labels(index, pos)
    shown = ", ".join(f"row {r}: {_fmt(values[p])}" for r, p in zip(rows, pos))
    more = f" (and {cnt - len(pos)} more)" if cnt > len(pos) else ""
    raise SurveyDataError(f"column {column!r}{what}: {cnt} {problem} — {shown}{more}. {fix}",
                          column=column, rows=rows)


def numeric_scores(col, column, *, spec=None, index=None) -> np.ndarray:
    """A score column (Series or array) as a float array; text that is not a number is refused.

    Blank texts and NaN are missing (NaN).  Booleans and other non-numeric columns are refused.

    >>> numeric_scores(pd.Series(["9", " 10", "", None]), "nps").tolist()
    [9.0, 10.0, nan, nan]
    """
    ser = col if isinstance(col, pd.Series) else pd.Series(np.asarray(col, dtype=object)
                                                           if not isinstance(col, np.ndarray)
                                                           or col.dtype.kind in "OUSb"
                                                           else col)
    if index is None and isinstance(col, pd.Series):
        index = col.index
    dt = ser.dtype
    if pd.api.types.is_bool_dtype(dt):
        raise SurveyDataError(
            f"column {column!r}{_what(column, spec, None)} holds True/False values, not scores. "
            f"Convert it (e.g. df[{column!r}].astype(int)) or pick the score column.",
            column=column)
    if pd.api.types.is_numeric_dtype(dt) and not isinstance(dt, pd.CategoricalDtype):
        return ser.to_numpy(dtype=float, na_value=np.nan)
    if isinstance(dt, pd.CategoricalDtype):
        ser = ser.astype(object)
    codes, uniq = pd.factorize(ser, use_na_sentinel=True)
    u = pd.Series(np.asarray(uniq, dtype=object))
    if pd.api.types.infer_dtype(u, skipna=True) == "boolean":
        raise SurveyDataError(
            f"column {column!r}{_what(column, spec, None)} holds True/False values, not scores. "
            f"Convert it (e.g. df[{column!r}].astype(int)) or pick the score column.",
            column=column)
    text = u.map(lambda x: x.strip() if isinstance(x, str) else x)
    blank = text.map(lambda x: isinstance(x, str) and x == "").to_numpy(dtype=bool)
    unum = pd.to_numeric(text.where(~blank, np.nan), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan)
    bad_u = np.isnan(unum) & ~blank
    if bad_u.any():
        codes = np.asarray(codes)
        mask = (codes >= 0) & bad_u[np.where(codes < 0, 0, codes)]
        values = ser.to_numpy(dtype=object)
        _raise(column, _what(column, spec, None), "values that are not numbers", mask, values,
               index, (f"Text in a score column is never dropped silently. If these texts mean "
                       f"'no answer', declare them: cxkit.from_frame(df, scores={{{column!r}: "
                       f"{{'column': {column!r}, 'missing': [...]}}}}) (or `missing:` in the "
                       f"survey config); otherwise fix the values (e.g. 'ten' → 10)."))
    codes = np.asarray(codes)
    return np.where(codes < 0, np.nan, unum[np.where(codes < 0, 0, codes)])


def check_scores(values, column, spec, scale, *, index=None, need_scale=True):
    """Raise :class:`cxkit.SurveyDataError` unless every finite score satisfies ``scale``.

    Parameters
    ----------
    values : numpy.ndarray
        Scores as floats (NaN = missing).
    column : str
        Named in the message.
    spec : MetricSpec or None
    scale : (low, high, integer) or None
        From :func:`score_scale`.  None: refused when ``need_scale`` (an estimate needs a
        known scale), else only ±inf is refused.
    index : pandas.Index, optional
        Row labels quoted in the message (default: positions).

    >>> from cxkit.core.metrics import metric_spec
    >>> check_scores(np.array([0.0, 10.0, np.nan]), "nps", metric_spec("nps"), (0, 10, True))
    """
    v = np.asarray(values, dtype=float)
    if scale is None:
        if need_scale:
            refuse_unknown_scale(column, spec)
        inf = np.isinf(v)
        if inf.any():
            _raise(column, _what(column, spec, None), "values that are not finite numbers", inf,
                   v, index, "Set them to NaN (missing) or fix them.")
        return
    lo, hi, integer = scale
    whole, outside = scale_violations(v, lo, hi, integer)
    outside |= np.isinf(v)
    if whole.any():
        _raise(column, _what(column, spec, scale), "scores that are not whole numbers", whole,
               v, index, "Fix the data, or declare `integer: false` for the score if fractional "
                         "scores are legitimate (cxkit.from_frame(df, scores={...: {'integer': "
                         "False}}) or the survey config).")
    if outside.any():
        _raise(column, _what(column, spec, scale), f"values outside {lo:g}–{hi:g}",
               outside, v, index, _fix_missing(column, spec, v[outside][:_SHOW].tolist()))


def check_histogram_values(scores, column, spec, scale, *, values=None, index=None,
                           need_scale=True):
    """Check the distinct scores of a histogram (e.g. :func:`cxkit.tally`'s bins) — no pass
    over the rows; only when a score is bad are the rows (``values``) searched for the message.
    """
    s = np.asarray(scores, dtype=float)
    if scale is None:
        if need_scale:
            refuse_unknown_scale(column, spec)
        return
    lo, hi, integer = scale
    whole, outside = scale_violations(s, lo, hi, integer)
    if whole.any() or outside.any() or np.isinf(s).any():
        check_scores(values if values is not None else s, column, spec, scale, index=index)


def refuse_unknown_scale(column, spec):
    """Raise: an estimate of ``column`` needs a known scale."""
    kind = getattr(spec, "kind", "mean")
    name = getattr(spec, "name", column)
    raise SurveyDataError(
        f"column {column!r} (metric {name!r}, kind {kind}): no scale is known, so cxkit cannot "
        f"check its scores. Declare it: cxkit.metric_spec({kind!r}, ..., scale=(low, high)), "
        f"cxkit.from_frame(df, scores={{{name!r}: {{'column': {column!r}, 'metric': {kind!r}, "
        f"'scale': [low, high]}}}}), or `scale:` in the survey config.", column=column)


def closest_column(name, columns):
    """The column closest to ``name`` (difflib, then case-insensitive), or None."""
    cols = [str(c) for c in columns]
    close = difflib.get_close_matches(str(name), cols, n=1, cutoff=0.6)
    if close:
        return close[0]
    low = {c.lower(): c for c in cols}
    return low.get(str(name).lower())


def check_columns(responses, names, role, param):
    """Raise :class:`cxkit.SurveyDataError` for a name in ``names`` that is not a column,
    naming the closest column.

    >>> check_columns(pd.DataFrame({"region": [1]}), ["regoin"], "group", "by")
    Traceback (most recent call last):
    ...
    cxkit.core.errors.SurveyDataError: The responses table has no group column 'regoin' (`by`). Did you mean 'region'? Columns: ['region'].
    """
    cols = list(responses.columns)
    for b in names:
        if b not in responses.columns:
            close = closest_column(b, cols)
            hint = f" Did you mean {close!r}?" if close else ""
            shown = cols[:40]
            raise SurveyDataError(
                f"The responses table has no {role} column {b!r} (`{param}`).{hint} "
                f"Columns: {shown}{' …' if len(cols) > 40 else ''}.", column=b)


def period_values(responses, freq=None) -> pd.Series:
    """The ``period`` column as Periods: Period columns as they are; texts such as
    ``"2026-10"``, ``"2026Q3"``, ``"2026"`` and dates are parsed (one frequency for the whole
    column); anything else is refused with the fix.

    >>> str(period_values(pd.DataFrame({"period": ["2026-09", "2026-10"]})).iloc[1])
    '2026-10'
    """
    if "period" not in responses.columns:
        raise SurveyDataError(
            "The responses table has no `period` column; configure `date:` and `period:` in "
            "the survey YAML, or pass `date=` to cxkit.from_frame (cxkit.load_survey adds it).",
            column="period")
    col = responses["period"]
    if isinstance(col.dtype, pd.PeriodDtype):
        return col
    fix = ("Make `period` a pandas Period column (e.g. pd.PeriodIndex(df['period'], "
           "freq='M')), or load the table with cxkit.from_frame(df, ..., date='<date column>', "
           "period='month').")
    if freq is None:
        freq = ((getattr(responses, "attrs", None) or {}).get("cxkit") or {}).get("period")
    if pd.api.types.is_datetime64_any_dtype(col):
        return pd.Series(col.dt.to_period(freq or "M"), index=col.index, name="period")
    codes, uniq = pd.factorize(col, use_na_sentinel=True)
    parsed, freqs, bad = [], set(), []
    for i, u in enumerate(uniq):
        try:
            p = u if isinstance(u, pd.Period) else pd.Period(str(u).strip())
        except (ValueError, TypeError):
            bad.append(i)
            parsed.append(None)
            continue
        freqs.add(p.freqstr[0])
        parsed.append(p)
    codes = np.asarray(codes)
    if bad:
        mask = np.isin(codes, bad)
        _raise("period", "", "values that are not periods (YYYY-MM, YYYYQn or YYYY)", mask,
               col.to_numpy(dtype=object), col.index, fix)
    want = (freq or (freqs.pop() if len(freqs) == 1 else None))
    if want is None:
        raise SurveyDataError(f"column 'period' mixes period kinds ({sorted(freqs)}, e.g. months "
                              f"and quarters). {fix}", column="period")
    want = {"A": "Y"}.get(want[0], want[0])
    wrong = [i for i, p in enumerate(parsed) if p.freqstr[0] != want]
    if wrong:
        _raise("period", "", f"periods of another kind than {want!r}", np.isin(codes, wrong),
               col.to_numpy(dtype=object), col.index, fix)
    ords = np.array([p.ordinal for p in parsed] + [0], dtype=np.int64)
    arr = pd.PeriodIndex.from_ordinals(np.where(codes < 0, 0, ords[np.where(codes < 0, -1, codes)]),
                                       freq=want).array
    out = pd.Series(arr, index=col.index, name="period")
    out[codes < 0] = pd.NaT
    return out


def with_periods(responses):
    """``responses`` itself when its ``period`` column holds Periods, else a shallow copy
    whose ``period`` column is parsed with :func:`period_values` (attrs kept)."""
    if "period" not in responses.columns or isinstance(responses["period"].dtype,
                                                       pd.PeriodDtype):
        return responses
    per = period_values(responses)
    out = responses.copy(deep=False)
    out["period"] = per
    out.attrs = dict(responses.attrs)
    return out
