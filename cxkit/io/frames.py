"""In-memory sources: a pandas DataFrame loaded with a config written in code.

``responses, report = cxkit.from_frame(df, scores={"nps": "ltr"}, segments=["region"])``

:func:`from_frame` builds a :class:`cxkit.SurveyConfig` from its arguments and runs the
loader's own code path (:func:`cxkit.load_survey`): the same validation (scores against their
scale, declared missing codes, dates, weights, respondent ids), the same exclusions and the
same :class:`cxkit.LoadReport`.  Rows are cited by their 0-based position in the frame
(``df.iloc[row]``); the source is called ``DataFrame``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.checks import check_argument
from ..core.errors import ConfigError, SurveyDataError
from .config import SourceSpec, config_from_dict
from .loader import LoadResult, _load

__all__ = ["from_frame"]

#: Name of the in-memory source in the LoadReport and in messages.
FRAME_SOURCE = "DataFrame"


def _scores_arg(scores) -> dict:
    """The config's ``scores:`` mapping from the accepted forms."""
    if isinstance(scores, str):
        scores = [scores]
    if isinstance(scores, (list, tuple)):
        out = {}
        for c in scores:
            if not isinstance(c, str):
                raise ConfigError(f"from_frame: `scores` as a list names score columns (their "
                                  f"metric is their name, e.g. ['nps', 'csat']); got {c!r}.")
            out[c] = {"column": c}
        return out
    if isinstance(scores, dict) and scores:
        return {str(k): (dict(v) if isinstance(v, dict) else v) for k, v in scores.items()}
    raise ConfigError("from_frame: `scores` must name the score columns: a list such as "
                      "['nps', 'csat'] (metric = name), {'nps': 'ltr'} (score name: column) or "
                      "{'nps': {'column': 'ltr', 'metric': 'nps', 'missing': [11]}}.")


def _prepared(df: pd.DataFrame) -> pd.DataFrame:
    """A shallow copy with text column names, a 0…n−1 index and the reader attrs the loader
    reads (``first_row`` 0: rows are positions)."""
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"from_frame needs a pandas DataFrame, not {type(df).__name__}.")
    out = df.copy(deep=False)
    out.columns = [str(c).strip() for c in df.columns]
    dup = pd.Index(out.columns)[pd.Index(out.columns).duplicated()].unique().tolist()
    if dup:
        raise SurveyDataError(f"{FRAME_SOURCE}: column name(s) {dup} appear more than once; "
                              f"rename the copies (cxkit cannot tell which one to use).",
                              column=dup[0])
    out = out.reset_index(drop=True)
    out.attrs = {"source_path": FRAME_SOURCE, "format": "frame", "layout": "plain",
                 "first_row": 0, "labels": {}, "value_labels": {}, "missing_codes": {},
                 "missing_ranges": {}, "duplicate_columns": {}, "truncated_rows": [],
                 "notes": []}
    return out


def from_frame(df, *, scores, segments=None, date=None, period="month", weight=None,
               respondent_id=None, text=None, survey=None, on_invalid="error",
               exclude_no_score=True) -> LoadResult:
    """Load an in-memory table with a config written in code: the checks of :func:`load_survey`.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per response, columns as in the export (any names).
    scores : list, str or dict
        The score columns, in the config's forms: ``["nps", "csat"]`` (columns whose metric is
        their name), ``{"nps": "ltr"}`` (score name → column) or the full form
        ``{"nps": {"column": "ltr", "metric": "nps", "missing": [11]}}`` with ``scale``,
        ``top_box``, ``integer`` as in ``docs/loading.md``.
    segments : list or dict, optional
        Segment columns: ``["region"]`` or ``{"region": "REG"}`` /
        ``{"region": {"column": "REG", "labels": {1: "North"}}}``.
    date : str or dict, optional
        Response-date column (``{"column": ..., "format": [...]}`` for text dates in other
        formats).  Dates give the ``period`` column.
    period : {"month", "quarter", "year"}, default "month"
        Reporting period of the dates.  Without ``date``, a ``period`` column of the frame
        (Periods or texts such as ``"2026-10"``) is kept, parsed into Periods.
    weight : str, optional
        Survey-weight column.
    respondent_id : str, optional
        Respondent-id column (blank or duplicate ids are errors, as in a file).
    text : str or list, optional
        Free-text columns to keep.
    survey : str, optional
        Title (default ``"DataFrame"``).
    on_invalid : {"error", "exclude"}, default "error"
        As in the config: invalid values are errors, or excluded and reported.
    exclude_no_score : bool, default True
        Exclude (and report) rows without any valid score.

    Returns
    -------
    LoadResult
        ``(responses, report)`` exactly as :func:`load_survey` returns them; the report's file
        is ``"DataFrame"`` and its rows are 0-based positions in ``df`` (``df.iloc[row]``).

    Raises
    ------
    cxkit.ConfigError
        An argument does not form a valid config (unknown metric, scale …).
    cxkit.SurveyDataError
        A column is missing (the closest is named) or a value is invalid (e.g. a code 11 in an
        NPS column that is not declared ``missing``; the text "ten"): the message names the
        column, rows and values and the fix.

    Notes
    -----
    The arguments become a :class:`cxkit.SurveyConfig` (:func:`cxkit.config_from_dict`) with
    one source, the frame, which then goes through the loader's own code path — nothing is
    checked differently from a CSV export with the equivalent YAML config.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"ltr": [10, 9, 11, 3], "region": ["N", "S", "N", "S"]})
    >>> responses, report = from_frame(df, scores={"nps": {"column": "ltr", "missing": [11]}},
    ...                                segments=["region"])
    >>> responses["nps"].tolist(), report.rows_kept, report.excluded("no valid score")
    ([10.0, 9.0, 3.0], 3, 1)
    """
    check_argument("period", ("month", "quarter", "year"), period)
    frame = _prepared(df)
    keep_period = date is None and "period" in frame.columns
    data = {"survey": survey or FRAME_SOURCE, "sources": [FRAME_SOURCE],
            "scores": _scores_arg(scores), "on_invalid": on_invalid,
            "exclude_no_score": exclude_no_score}
    if segments is not None:
        data["segments"] = [segments] if isinstance(segments, str) else segments
    if date is not None:
        data["date"] = date
        data["period"] = period
    if weight is not None:
        data["weight"] = weight
    if respondent_id is not None:
        data["respondent_id"] = respondent_id
    if text is not None:
        data["text"] = text
    cfg = config_from_dict(data)
    cfg = dataclasses.replace(cfg, sources=(SourceSpec(path=Path(FRAME_SOURCE), format="auto"),))
    if keep_period:
        from ..core.periods import PERIOD_WORDS
        from ..core.validate import period_values

        freq = {w: f for f, w in PERIOD_WORDS.items()}.get(period) if period != "month" else None
        per = period_values(frame, freq)            # texts parsed; bad ones refused, rows named
    responses, report = _load(cfg, {0: frame})
    if keep_period:
        pos = responses["source_row"].to_numpy(dtype=np.int64)
        responses["period"] = per.array[pos]
        responses.attrs["cxkit"]["period"] = per.dtype.freq.rule_code[0] if len(per) else None
    return LoadResult(responses, report)
