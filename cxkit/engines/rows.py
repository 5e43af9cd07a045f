"""Row selections that work on a pandas responses table and on an engine survey alike.

The report notebooks select periods (``the history up to the report month``, ``the report
month``) and list a few rows (recent comments, the callback list).  On a pandas frame these are
boolean filters; on an :class:`~cxkit.engines.sources.EngineSurvey` they become an Ibis
``filter`` on the engine table (pushed down to the Parquet scan or the warehouse), so the same
notebook code serves both and nothing but the selected, ``LIMIT``-ed rows reaches Python.

* :func:`select_periods` — the rows whose period lies in ``[start, end]``;
* :func:`periods_of` — the sorted periods that have responses (``SELECT DISTINCT``);
* :func:`fetch_rows` — a filtered, ordered, ``LIMIT``-ed row set as a pandas frame.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

__all__ = ["select_periods", "periods_of", "fetch_rows", "row_count"]


def _is_survey(obj) -> bool:
    from .sources import EngineSurvey
    return isinstance(obj, EngineSurvey)


def _freq(responses) -> str:
    from ..core.periods import period_freq
    return period_freq(responses)


def _as_period(value, responses):
    from ..core.periods import resolve_period
    return resolve_period(value, responses)


def _period_filter(survey, start, end):
    """The Ibis predicate ``start <= period <= end`` on the survey's base table: a date range
    when ``period`` is derived from the date column (pushes down to Parquet statistics)."""
    t = survey.table
    preds = []
    if survey.date is not None and "period" not in t.columns:
        d = t[survey.date]
        if not d.type().is_temporal():
            d = d.cast("timestamp")
        if start is not None:
            preds.append(d >= start.start_time.to_pydatetime())
        if end is not None:
            preds.append(d < (end + 1).start_time.to_pydatetime())
        if not preds:
            preds.append(d.notnull())
    elif "period" in t.columns:
        p = t["period"].cast("string")
        if start is not None:
            preds.append(p >= str(start))
        if end is not None:
            preds.append(p <= str(end))
        if not preds:
            preds.append(p.notnull())
    else:
        raise ValueError("Selecting periods needs a `period` column or a date column (scan the "
                         "source with date=\"<column>\").")
    return preds


def select_periods(responses, start=None, end=None):
    """The responses whose period lies in ``[start, end]`` (either bound may be None).

    Parameters
    ----------
    responses : pandas.DataFrame or EngineSurvey
        A responses table with a ``period`` column, or a lazy engine survey (from
        :func:`cxkit.scan` or ``cxkit.load_survey(..., engine="duckdb")``).
    start, end : str or pandas.Period, optional
        First and last period kept (``"2026-05"``, a ``Period``); rows without a period are
        dropped.

    Returns
    -------
    The same kind of object: a filtered pandas frame (``attrs`` kept) or an engine survey
    whose table carries the filter (nothing is read).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"nps": [9, 3, 10], "period": pd.PeriodIndex(
    ...     ["2026-08", "2026-09", "2026-10"], freq="M")})
    >>> select_periods(df, end="2026-09")["nps"].tolist()
    [9, 3]
    """
    start = None if start is None else _as_period(start, responses)
    end = None if end is None else _as_period(end, responses)
    if _is_survey(responses):
        t = responses.table.filter(_period_filter(responses, start, end))
        return dataclasses.replace(responses, table=t)
    if "period" not in responses.columns:
        raise ValueError("Selecting periods needs a `period` column (configure `date:` and "
                         "`period:`).")
    p = responses["period"]
    mask = p.notna()
    if start is not None:
        mask &= p >= start
    if end is not None:
        mask &= p <= end
    return responses[mask]


def periods_of(responses) -> list:
    """The periods that have responses, sorted (``pandas.Period`` values).

    On an engine survey one ``SELECT DISTINCT`` on the period (derived from the date in the
    engine) returns them.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"period": pd.PeriodIndex(["2026-10", "2026-08", "2026-10"], freq="M")})
    >>> [str(p) for p in periods_of(df)]
    ['2026-08', '2026-10']
    """
    if _is_survey(responses):
        t = responses.expression()
        if "period" not in t.columns:
            return []
        got = responses.run(t.select("period").filter(t["period"].notnull()).distinct())
        vals = got["period"]
        if responses.date is not None and "period" not in responses.table.columns:
            out = pd.PeriodIndex(pd.to_datetime(vals), freq=responses.period)
        else:
            out = pd.PeriodIndex([pd.Period(str(v), freq=responses.period) for v in vals])
        return sorted(set(out))
    if "period" not in responses.columns:
        return []
    return sorted(pd.Series(responses["period"]).dropna().unique())


def row_count(responses) -> int:
    """Rows of a responses table or engine survey (a ``COUNT(*)`` in the engine)."""
    if _is_survey(responses):
        t = responses.table
        return int(responses.run(t.aggregate(n=t.count()))["n"].iloc[0])
    return len(responses)


def fetch_rows(survey, columns, where=None, order_by=(), limit=None) -> pd.DataFrame:
    """A filtered, ordered, ``LIMIT``-ed row set of an engine survey as a pandas frame.

    ``where``: a function of the engine table (with ``period`` derived) returning an Ibis
    predicate; ``order_by``: ``(column, descending)`` pairs; ``period`` comes back as
    ``pandas.Period`` and dates as timestamps.  Only these rows leave the engine.
    """
    t = survey.expression()
    if where is not None:
        t = t.filter(where(t))
    if order_by:
        t = t.order_by([t[c].desc() if desc else t[c].asc() for c, desc in order_by])
    t = t.select([c for c in columns if c in t.columns])
    if limit is not None:
        t = t.limit(int(limit))
    out = survey.run(t).reset_index(drop=True)
    if "period" in out.columns and survey.date is not None and "period" not in survey.table.columns:
        out["period"] = pd.PeriodIndex(pd.to_datetime(out["period"]), freq=survey.period)
    return out
