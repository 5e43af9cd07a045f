"""Reporting periods and notebook-parameter parsing.

papermill passes parameters as strings or YAML scalars, so notebooks parse them here rather
than trusting type guessing.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["resolve_period", "latest_complete_period", "parse_list", "parse_bool", "period_freq", "PERIOD_WORDS"]

#: Words for the period frequencies (``"M"`` → ``"month"``); the config's ``period:`` uses them.
PERIOD_WORDS = {"M": "month", "Q": "quarter", "Y": "year"}
_FREQ = {**{w: f for f, w in PERIOD_WORDS.items()}, **{f: f for f in PERIOD_WORDS}, "A": "Y"}


def period_freq(responses) -> str:
    """The period frequency of a responses table (``"M"``, ``"Q"`` or ``"Y"``)."""
    freq = (getattr(responses, "attrs", {}) or {}).get("cxkit", {}).get("period")
    if freq:
        return _FREQ.get(freq, freq)
    if "period" in responses and isinstance(responses["period"].dtype, pd.PeriodDtype):
        return responses["period"].dtype.freq.rule_code[0]
    return "M"


def latest_complete_period(responses, today=None):
    """The last period present in the data that has ended before ``today``.

    A period still running on ``today`` (default: now) is skipped unless it is the only one.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"period": pd.period_range("2026-08", "2026-11", freq="M")})
    >>> str(latest_complete_period(df, today="2026-11-23"))
    '2026-10'
    """
    if not isinstance(responses, pd.DataFrame) and callable(getattr(responses, "periods", None)):
        periods = responses.periods()        # an engine survey: SELECT DISTINCT in the engine
    else:
        periods = pd.Series(responses["period"]).dropna().unique()
    if len(periods) == 0:
        raise ValueError("The responses table has no periods; is the date column configured?")
    periods = sorted(periods)
    today = pd.Timestamp(today) if today is not None else pd.Timestamp.now()
    complete = [p for p in periods if p.end_time < today]
    return complete[-1] if complete else periods[-1]


def resolve_period(value, responses=None):
    """Parse a period parameter: ``"latest"``, ``"2026-10"``, ``"2026Q3"``, ``"2017"``, a Period.

    ``"latest"`` needs ``responses`` and gives :func:`latest_complete_period`.  The frequency
    follows the responses table when given.

    >>> str(resolve_period("2026-10"))
    '2026-10'
    """
    if isinstance(value, pd.Period):
        return value
    text = str(value).strip()
    freq = period_freq(responses) if responses is not None else None
    if text.lower() in ("latest", "last", ""):
        if responses is None:
            raise ValueError("`month='latest'` needs the responses table to find the latest month.")
        return latest_complete_period(responses)
    try:
        if freq:
            return pd.Period(text, freq=freq)
        return pd.Period(text)
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"Cannot read the period {value!r}: write it as YYYY-MM (e.g. 2026-10), YYYYQn or YYYY, "
            f"or 'latest'."
        ) from exc


def parse_list(value) -> list:
    """Parse a list parameter: a list, ``"a, b"``, ``"[a, b]"``, ``""`` / ``None`` (empty).

    >>> parse_list("channel, region")
    ['channel', 'region']
    """
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() if isinstance(v, str) else v for v in value]
    text = str(value).strip().strip("[]")
    return [part.strip().strip("'\"") for part in text.split(",") if part.strip()]


def parse_bool(value) -> bool:
    """Parse a yes/no parameter (``True``, ``"yes"``, ``"false"``, ``1`` …).

    >>> parse_bool("yes"), parse_bool("false")
    (True, False)
    """
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "y", "on", "weighted"):
        return True
    if text in ("0", "false", "no", "n", "off", "", "none", "unweighted"):
        return False
    raise ValueError(f"Cannot read {value!r} as yes/no; write true or false.")
