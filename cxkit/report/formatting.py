"""Presentation helpers: readable tables and sentences from tidy estimate tables.

Notebooks stay thin: they call these to show results, so wording and rounding are the same in
every notebook and report, and tested here.
"""

from __future__ import annotations

import math

import pandas as pd

__all__ = ["format_estimates", "describe_scores", "kpi_records", "recent_comments", "decimals", "METRIC_LABELS", "LOWER_IS_BETTER"]

#: Score names for which a lower value is better (effort scores).
from ..core.metrics import LOWER_IS_BETTER  # noqa: E402  (defined in the base, exported here)

#: Display names of the metric kinds.
METRIC_LABELS = {"nps": "NPS", "csat": "CSAT (top-2 box)", "ces": "CES (mean effort)",
                 "top_box": "Top box", "mean": "Mean"}

def _label(metric: str) -> str:
    return METRIC_LABELS.get(metric, metric)


def _fmt(x, digits):
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def _units(row) -> str:
    """Units of a result row: its ``units`` field when present, else from the metric name."""
    u = row.get("units") if isinstance(row, dict) else getattr(row, "units", None)
    if isinstance(u, str):
        return u
    metric = row["metric"] if isinstance(row, dict) else row.metric
    return {"nps": "points", "csat": "%", "top_box": "%"}.get(metric, "")


def decimals(units: str, digits=None) -> int:
    """Decimals shown: ``digits`` if given, else 1 for NPS points and percentages, 2 for means.

    >>> decimals("points"), decimals("%"), decimals("")
    (1, 1, 2)
    """
    return digits if digits is not None else (1 if units in ("points", "%") else 2)


def format_estimates(table: pd.DataFrame, *, index="period", digits=None) -> pd.DataFrame:
    """Pivot a tidy estimate table into "value [low, high] (n)" strings, one column per metric.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`cxkit.summarize` (columns ``metric, value, ci_low, ci_high, n`` plus
        the ``index`` column(s)).
    index : str or list of str
        Group column(s) for the rows.
    digits : int, optional
        Decimals shown; default 1 for NPS points and percentages, 2 for means.

    Returns
    -------
    DataFrame of str

    Examples
    --------
    >>> t = pd.DataFrame({"period": ["2026-10"], "metric": ["nps"], "value": [31.04],
    ...                   "ci_low": [27.0], "ci_high": [35.1], "n": [2412]})
    >>> format_estimates(t).iloc[0, 0]
    '31.0 [27.0, 35.1] (n=2,412)'
    """
    t = table.copy()
    d = [decimals(_units(r), digits) for r in t.to_dict(orient="records")]
    t["shown"] = [f"{_fmt(v, k)} [{_fmt(lo, k)}, {_fmt(hi, k)}] (n={int(n):,})"
                  for v, lo, hi, n, k in zip(t["value"], t["ci_low"], t["ci_high"], t["n"], d)]
    wide = t.pivot(index=index, columns="metric", values="shown")
    order = [m for m in dict.fromkeys(t["metric"]) if m in wide.columns]
    wide = wide[order]
    wide.columns = [_label(m) for m in order]
    wide.columns.name = None
    return wide


def describe_scores(table: pd.DataFrame, period=None, *, period_col="period") -> list[str]:
    """One plain-language sentence per metric for ``period`` (default: the last period).

    Examples
    --------
    >>> t = pd.DataFrame({"period": ["2026-10"], "metric": ["nps"], "value": [31.04],
    ...                   "ci_low": [27.0], "ci_high": [35.1], "n": [2412], "conf": [0.95],
    ...                   "method": ["adjusted-wald"], "weighted": [False]})
    >>> describe_scores(t)[0]
    'In 2026-10, NPS was 31.0 points (95% CI 27.0 to 35.1, n = 2,412, unweighted, adjusted-wald interval).'
    """
    if period is None:
        period = sorted(table[period_col].unique())[-1]
    rows = table[table[period_col].astype(str) == str(period)]
    out = []
    for r in rows.itertuples(index=False):
        units = _units(r)
        unit = {"points": " points", "%": "%"}.get(units, "")
        k = decimals(units, None)
        conf = getattr(r, "conf", 0.95)
        weighted = "weighted" if getattr(r, "weighted", False) else "unweighted"
        method = getattr(r, "method", "")
        out.append(f"In {period}, {_label(r.metric)} was {_fmt(r.value, k)}{unit} ({conf:.0%} CI "
                   f"{_fmt(r.ci_low, k)} to {_fmt(r.ci_high, k)}, n = {int(r.n):,}, {weighted}"
                   f"{', ' + method + ' interval' if method else ''}).")
    return out


def kpi_records(table: pd.DataFrame, period, *, period_col="period") -> list[dict]:
    """Headline numbers of ``period`` as JSON-ready dicts for ``summary.json`` (``kpis``)."""
    rows = table[table[period_col].astype(str) == str(period)]
    recs = []
    for r in rows.to_dict(orient="records"):
        recs.append({"metric": r["metric"], "label": _label(r["metric"]), "value": r["value"],
                     "ci_low": r["ci_low"], "ci_high": r["ci_high"], "se": r.get("se"),
                     "n": int(r["n"]), "n_eff": r.get("n_eff"), "conf": r.get("conf", 0.95),
                     "method": r.get("method", ""), "weighted": bool(r.get("weighted", False)),
                     "units": _units(r), "better": "lower" if r["metric"] in LOWER_IS_BETTER else "higher"})
    return recs


def recent_comments(responses: pd.DataFrame, period, *, column=None, k=8, redact=True) -> pd.DataFrame:
    """The ``k`` most recent non-empty comments of ``period``, masked by default.

    Parameters
    ----------
    responses : DataFrame or EngineSurvey
        Canonical responses table, or a lazy engine survey (one filtered query with a
        ``LIMIT k`` fetches the comments).
    period : Period or str
        Reporting period.
    column : str, optional
        Text column; default the first configured text column, else ``"comment"``.
    k : int
        How many comments.
    redact : bool
        Mask e-mails, phone numbers and long digit runs (:func:`cxkit.redact_text`).

    Returns
    -------
    DataFrame
        ``date`` (when present), segment columns and the comment, newest first; empty when the
        survey has no text column.
    """
    from .redact import redact_comments

    meta = (responses.attrs or {}).get("cxkit", {})
    if column is None:
        text_cols = list(meta.get("text") or [])
        column = text_cols[0] if text_cols else "comment"
    if column not in responses.columns:
        return pd.DataFrame({"comment": pd.Series(dtype="object")})
    from ..engines.sources import EngineSurvey
    if isinstance(responses, EngineSurvey):      # a filtered LIMIT-ed query: only k rows leave
        return _engine_comments(responses, period, column, k, redact, meta)
    rows = responses[(responses["period"].astype(str) == str(period))]
    text = rows[column].astype("object")
    rows = rows[text.notna() & (text.astype(str).str.strip() != "")]
    sort_cols = [c for c in ("date", "respondent_id") if c in rows.columns]
    if sort_cols:
        rows = rows.sort_values(sort_cols, ascending=False)
    keep = [c for c in ["date", *list(meta.get("segments") or [])] if c in rows.columns]
    out = rows[keep].head(k).copy()
    out[column] = redact_comments(rows[column].head(k).astype("object"), enabled=redact).to_numpy()
    return out.reset_index(drop=True)


def _engine_comments(survey, period, column, k, redact, meta) -> pd.DataFrame:
    """:func:`recent_comments` of an engine survey: the period's non-empty comments, newest
    first (date, then respondent id, descending), ``LIMIT k``, as one engine query."""
    from ..core.periods import resolve_period
    from ..engines.rows import fetch_rows, select_periods
    from .redact import redact_comments

    p = resolve_period(period, survey)
    rows = select_periods(survey, p, p)
    cols = rows.columns
    sort_cols = [c for c in ("date", "respondent_id") if c in cols]
    keep = [c for c in ["date", *list(meta.get("segments") or [])] if c in cols]

    def where(t):
        c = t[column].cast("string")
        return c.notnull() & (c.strip() != "")

    got = fetch_rows(rows, list(dict.fromkeys([*keep, *sort_cols, column])), where,
                     [(c, True) for c in sort_cols], k)
    out = got[keep].copy()
    if "date" in out:
        out["date"] = pd.to_datetime(out["date"]).astype("datetime64[ns]")
    out[column] = redact_comments(got[column].astype("object"), enabled=redact).to_numpy()
    return out.reset_index(drop=True)
