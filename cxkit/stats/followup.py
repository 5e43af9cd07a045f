"""The closed loop: who to call back, and how fast the service team does it.

* :func:`follow_up` — the callback list of a period's low group (by default the detractors):
  respondent id, date, score, segments, the driver ratings that were low and the comment
  **unmasked** (the list is for the service team; the report writes it as ``follow_up.csv``
  beside the pages, never into the HTML), sorted by a documented priority;
* :func:`follow_up_times` — time to first contact and to resolution (median, share within a
  target) when the survey records contact/resolution timestamps;
* :func:`describe_follow_up` — "367 detractors in 2026-10, 26 with comments".

(Named ``followup`` for what it holds: the follow-up, i.e. closed-loop, list and its timings.)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from ..core.checks import check_number
from ..core.errors import SurveyDataError
from ..core.metrics import resolve_metric
from ..core.periods import resolve_period
from ..core.validate import check_columns
from .drivers import _driver_info, _low_high, driver_names

__all__ = ["follow_up", "follow_up_times", "describe_follow_up", "FollowUpTimes",
           "FOLLOW_UP_PRIORITY"]

#: The sort order of :func:`follow_up`, most urgent first.
FOLLOW_UP_PRIORITY = (
    "lowest outcome score first (0 before 6)",
    "then respondents who left a comment (they said what went wrong)",
    "then more driver ratings rated low",
    "then the most recent response first",
)


def _config(responses) -> dict:
    return (getattr(responses, "attrs", {}) or {}).get("cxkit", {}) or {}


def _in_group(y, group):
    if group == "detractors":
        return y <= 6
    if group == "passives":
        return (y >= 7) & (y <= 8)
    check_number("group", group)
    return y <= float(group)


def _group_word(group) -> str:
    return group if isinstance(group, str) else f"responses rating {group:g} or lower"


def follow_up(responses, period=None, *, group="detractors", outcome=None, drivers=None,
              segments=None, text=None, low=None) -> pd.DataFrame:
    """The callback list: the period's low-scoring respondents, most urgent first.

    Parameters
    ----------
    responses : pandas.DataFrame or EngineSurvey
        A responses table from :func:`cxkit.load_survey`, or a lazy engine survey (the
        listed rows are fetched by one filtered query; nothing else is read).
    period : str or pandas.Period, optional
        The reporting period (``"2026-10"``, ``"latest"``); default every period.
    group : "detractors", "passives" or a number
        Who is called back: NPS detractors (0–6), passives (7–8), or everyone whose outcome
        rating is at or below the number.
    outcome : str, default the configured ``drivers.outcome`` or ``"nps"``
        The score whose low raters are listed.
    drivers : list of str, optional
        Driver ratings to check for low answers (default: the configured ``drivers:``).
    segments : list of str, optional
        Segment columns to show (default: the configured segments).
    text : str, optional
        The comment column (default ``comment`` when present, else the first text column).
    low : number, optional
        Driver ratings at or below it count as low (default: each driver's configured ``low``,
        else the bottom 40 % of its scale).

    Returns
    -------
    pandas.DataFrame
        ``respondent_id``, ``date`` (when present), ``period``, ``score`` (the outcome's raw
        rating), the segments, ``low_ratings`` ("Speed of service 1; Value for money 2"),
        ``n_low``, ``comment`` (unmasked, "" when none), ``has_comment`` and, when the config
        declares ``follow_up: {contacted:, resolved:}``, those timestamps; sorted by
        :data:`FOLLOW_UP_PRIORITY` and numbered ``priority`` 1, 2, …

    Notes
    -----
    The comment is **not** redacted: the list exists so the service team can contact the
    customer. Keep it out of pages that are shared more widely (the report writes it to
    ``follow_up.csv`` only).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"respondent_id": ["a", "b", "c"], "nps": [3, 9, 6],
    ...                    "comment": ["", "great", "slow"]})
    >>> follow_up(df)[["priority", "respondent_id", "score"]].to_dict("list")
    {'priority': [1, 2], 'respondent_id': ['a', 'c'], 'score': [3.0, 6.0]}
    """
    from ..engines.sources import EngineSurvey
    if isinstance(responses, EngineSurvey):     # the list's rows are fetched by one filtered query
        rows = _engine_rows(responses, period, group, outcome, drivers, segments, text)
        out = follow_up(rows, None, group=group, outcome=outcome, drivers=drivers,
                        segments=segments, text=text, low=low)
        out.attrs["follow_up"]["period"] = (None if period is None
                                            else str(resolve_period(period, responses)))
        return out
    if not isinstance(responses, pd.DataFrame):
        raise TypeError(f"`responses` must be a pandas DataFrame, got {type(responses).__name__}.")
    meta = _config(responses)
    if outcome is None:
        outcome = (meta.get("drivers") or {}).get("outcome") or "nps"
    ycol, _ = resolve_metric(responses, outcome)
    if "respondent_id" not in responses.columns:
        raise SurveyDataError("The responses table has no `respondent_id` column; configure "
                              "`respondent_id:` so the service team knows whom to call.",
                              column="respondent_id")
    rows = responses
    if period is not None:
        if "period" not in responses.columns:
            raise ValueError("`period=` needs a `period` column (configure `date:` and "
                             "`period:`).")
        p = resolve_period(period, responses)
        rows = responses[responses["period"] == p]
    y = rows[ycol].to_numpy(dtype=float, na_value=np.nan)
    sel = ~np.isnan(y) & _in_group(y, group)
    rows = rows[sel]
    drivers = driver_names(responses) if drivers is None else list(drivers)
    check_columns(responses, drivers, "driver", "drivers")
    segs = list(meta.get("segments") or []) if segments is None else list(segments)
    segs = [s for s in segs if s in rows.columns]
    if text is None:
        text = "comment" if "comment" in rows.columns else None
    else:
        check_columns(rows, [text], "text", "text")

    out = pd.DataFrame({"respondent_id": rows["respondent_id"].astype("str").to_numpy()})
    if "date" in rows.columns:
        out["date"] = rows["date"].to_numpy()
    if "period" in rows.columns:
        out["period"] = rows["period"].astype(str).to_numpy()
    out["score"] = rows[ycol].to_numpy(dtype=float)
    for s in segs:
        out[s] = rows[s].astype("str").where(rows[s].notna(), "").to_numpy()
    lows = [[] for _ in range(len(rows))]
    for d in drivers:
        x = rows[d].to_numpy(dtype=float, na_value=np.nan)
        full = responses[d].to_numpy(dtype=float, na_value=np.nan)
        low_max, _ = _low_high(responses, d, full, low, None)
        label = _driver_info(responses, d).get("label") or d
        for i in np.flatnonzero(x <= low_max):
            lows[i].append(f"{label} {x[i]:g}")
    out["low_ratings"] = ["; ".join(v) for v in lows]
    out["n_low"] = [len(v) for v in lows]
    if text is not None:
        c = rows[text].astype("str").where(rows[text].notna(), "").str.strip().to_numpy()
    else:
        c = np.full(len(rows), "", dtype=object)
    out["comment"] = c
    out["has_comment"] = out["comment"] != ""
    fu = meta.get("follow_up") or {}
    for k in ("contacted", "resolved"):
        col = fu.get(k)
        if col and col in rows.columns:
            out[k] = rows[col].astype("str").where(rows[col].notna(), "").to_numpy()
    keys, asc = ["score", "has_comment", "n_low"], [True, False, False]
    if "date" in out:
        keys.append("date")
        asc.append(False)
    out = out.sort_values(keys, ascending=asc, kind="stable").reset_index(drop=True)
    out.insert(0, "priority", np.arange(1, len(out) + 1))
    out.attrs["follow_up"] = {"group": group, "outcome": ycol,
                              "period": None if period is None else str(
                                  resolve_period(period, responses))}
    return out


def _engine_rows(survey, period, group, outcome, drivers, segments, text) -> pd.DataFrame:
    """The rows :func:`follow_up` lists, fetched from an engine survey: the period's
    respondents in ``group`` (one filtered query; these rows are the output), in the loader's
    row order (source, then source row), as a pandas frame carrying the survey's ``attrs`` —
    with each driver's scale, when none is configured, from its engine-wide min and max (as
    the pandas path takes it from the whole table)."""
    from ..engines.rows import fetch_rows, select_periods

    meta = _config(survey)
    if outcome is None:
        outcome = (meta.get("drivers") or {}).get("outcome") or "nps"
    ycol, _ = resolve_metric(survey, outcome)
    if "respondent_id" not in survey.columns:
        raise SurveyDataError("The responses table has no `respondent_id` column; configure "
                              "`respondent_id:` so the service team knows whom to call.",
                              column="respondent_id")
    if group not in ("detractors", "passives"):
        check_number("group", group)
    drivers = driver_names(survey) if drivers is None else list(drivers)
    check_columns(survey, drivers, "driver", "drivers")
    segs = list(meta.get("segments") or []) if segments is None else list(segments)
    if text is None:
        text = "comment" if "comment" in survey.columns else None
    else:
        check_columns(survey, [text], "text", "text")
    fu = meta.get("follow_up") or {}
    cols = ["respondent_id", "source", "source_row", "date", "period", ycol, *segs, *drivers,
            *([text] if text else []), *[fu.get(k) for k in ("contacted", "resolved") if fu.get(k)]]
    cols = [c for c in dict.fromkeys(cols) if c in survey.columns]
    scales = dict(meta.get("scales") or {})
    need = [d for d in drivers if not _driver_info(survey, d).get("scale") and d not in scales]
    if need:
        t = survey.expression()
        got = survey.run(t.aggregate(**{f"lo_{i}": t[d].cast("float64").min() for i, d in enumerate(need)},
                                     **{f"hi_{i}": t[d].cast("float64").max() for i, d in enumerate(need)}))
        for i, d in enumerate(need):
            scales[d] = (float(got[f"lo_{i}"].iloc[0]), float(got[f"hi_{i}"].iloc[0]))
    rows = select_periods(survey, period, period) if period is not None else survey

    def where(t):
        y = t[ycol].cast("float64")
        ok = y.notnull() & ~y.isnan()
        if group == "detractors":
            return ok & (y <= 6)
        if group == "passives":
            return ok & (y >= 7) & (y <= 8)
        return ok & (y <= float(group))

    frame = fetch_rows(rows, cols, where)
    if "source_row" in frame.columns:
        keys = ["source_row"]
        if "source" in frame.columns:
            order = list((survey.levels or {}).get("source") or [])
            extra = sorted(set(frame["source"].dropna().astype(str)) - set(order))
            frame["_src"] = pd.Categorical(frame["source"].astype(str), categories=order + extra)
            keys = ["_src", "source_row"]
        frame = frame.sort_values(keys, kind="stable").drop(columns=[c for c in ("_src",) if c in frame])
    frame = frame.reset_index(drop=True)
    if "date" in frame.columns:
        frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    frame.attrs["cxkit"] = {**meta, "scales": scales}
    return frame


def describe_follow_up(table: pd.DataFrame, file: str | None = None) -> str:
    """One line for the report index: "367 detractors in 2026-10, 26 with comments".

    >>> import pandas as pd
    >>> t = pd.DataFrame({"has_comment": [True, False]})
    >>> t.attrs["follow_up"] = {"group": "detractors", "period": "2026-10"}
    >>> describe_follow_up(t, "follow_up.csv")
    '2 detractors in 2026-10, 1 with comments: follow_up.csv'
    """
    info = table.attrs.get("follow_up", {})
    n, nc = len(table), int(table["has_comment"].sum()) if len(table) else 0
    where = f" in {info['period']}" if info.get("period") else ""
    text = f"{n:,} {_group_word(info.get('group', 'detractors'))}{where}, {nc:,} with comments"
    return text + (f": {file}" if file else "")


@dataclass(frozen=True)
class FollowUpTimes:
    """Time to first contact and to resolution of a callback list (hours).

    ``n`` responses; ``n_contacted``/``n_resolved`` with a valid timestamp; medians in hours;
    ``within_target`` the percent of the *n* responses contacted within ``target_hours``
    (not contacted counts as not within); ``unparsed`` timestamps that could not be read.
    """

    n: int
    n_contacted: int
    median_hours_to_contact: float
    n_resolved: int
    median_hours_to_resolution: float
    target_hours: float | None
    within_target: float
    unparsed: int

    def to_dict(self) -> dict:
        return {k: (None if isinstance(v, float) and not np.isfinite(v) else v)
                for k, v in asdict(self).items()}


def _parse(col: pd.Series, name: str):
    txt = col.astype("str").where(col.notna(), "").str.strip()
    t = pd.to_datetime(txt.where(txt != ""), format="ISO8601", errors="coerce")
    bad = int(((txt != "") & t.isna()).sum())
    return t, bad


def follow_up_times(table: pd.DataFrame, *, target_hours=None) -> FollowUpTimes:
    """Time to first contact and to resolution, from a :func:`follow_up` list with
    ``contacted``/``resolved`` timestamps (config ``follow_up: {contacted:, resolved:}``).

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`follow_up` result with ``date`` and ``contacted`` (and optionally ``resolved``).
    target_hours : float, optional
        The service target for the first contact (e.g. 48).

    Notes
    -----
    Hours from the response's timestamp to the first contact (resp. resolution); negative
    durations (contact before the response) are data errors and raise. The median is over the
    contacted responses only; ``within_target`` is over all of them, so uncontacted customers
    count against the target.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"date": pd.to_datetime(["2026-10-01 08:00", "2026-10-02 09:00"]),
    ...                   "contacted": ["2026-10-01 20:00", ""]})
    >>> r = follow_up_times(t, target_hours=24)
    >>> (r.median_hours_to_contact, r.within_target)
    (12.0, 50.0)
    """
    if "date" not in table.columns or "contacted" not in table.columns:
        raise ValueError("`table` needs `date` and `contacted` columns: declare "
                         "`follow_up: {contacted: <column>}` in the config.")
    if target_hours is not None:
        check_number("target_hours", target_hours, low=0, low_open=True)
    start = pd.to_datetime(table["date"])
    contacted, bad_c = _parse(table["contacted"], "contacted")
    hc = (contacted - start).dt.total_seconds() / 3600
    if (hc < 0).any():
        i = int(np.flatnonzero((hc < 0).to_numpy())[0])
        raise ValueError(f"Respondent {table['respondent_id'].iloc[i] if 'respondent_id' in table else i!r} "
                         f"was contacted before responding ({table['contacted'].iloc[i]} < "
                         f"{start.iloc[i]}); fix the contact timestamps.")
    bad_r, hr = 0, pd.Series(np.nan, index=table.index)
    if "resolved" in table.columns:
        resolved, bad_r = _parse(table["resolved"], "resolved")
        hr = (resolved - start).dt.total_seconds() / 3600
        if (hr < 0).any():
            raise ValueError("A resolution timestamp is before the response; fix the data.")
    n = len(table)
    within = (float(100 * (hc <= target_hours).sum() / n) if (target_hours and n) else np.nan)
    return FollowUpTimes(
        n=n, n_contacted=int(hc.notna().sum()),
        median_hours_to_contact=float(hc.median()) if hc.notna().any() else np.nan,
        n_resolved=int(hr.notna().sum()),
        median_hours_to_resolution=float(hr.median()) if hr.notna().any() else np.nan,
        target_hours=None if target_hours is None else float(target_hours),
        within_target=within, unparsed=bad_c + bad_r)
