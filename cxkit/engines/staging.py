"""A loaded pandas survey written to Parquet and scanned back as an engine survey.

:func:`stage_survey` is how the tests obtain an :class:`~cxkit.engines.sources.EngineSurvey`
of a survey already loaded in pandas (a survey from a config is loaded on the engine with
``cxkit.load_survey(config, engine="duckdb")``), with the canonical columns and the
``attrs["cxkit"]`` of the pandas loader: the responses are written to Parquet without the
derived ``period`` column (the engine derives it from ``date``) and scanned with the survey's
scores, date, weight and segments.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

__all__ = ["stage_survey"]


def stage_survey(responses, folder, *, name="responses.parquet"):
    """Write ``responses`` (a table from :func:`cxkit.load_survey`) to Parquet in ``folder``
    and return it as an :class:`~cxkit.engines.sources.EngineSurvey` scanned by DuckDB.

    Examples
    --------
    >>> import tempfile, cxkit
    >>> responses, _ = cxkit.load_survey("demo")
    >>> s = stage_survey(responses, tempfile.mkdtemp())
    >>> s.weight, s.segments
    ('weight', ('channel', 'region', 'product'))
    """
    from .sources import scan

    meta = dict((responses.attrs or {}).get("cxkit", {}))
    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if "date" in responses.columns:       # the engine derives `period` from the date
        frame = responses.drop(columns=[c for c in ("period",) if c in responses.columns])
    else:                                 # periods declared per source: kept, as text
        frame = responses.assign(period=responses["period"].astype(str).where(
            responses["period"].notna()))
    frame = frame.copy()
    frame.attrs = {}                     # the metadata travels on the survey handle
    frame.to_parquet(path, index=False)
    survey = scan(str(path), scores=meta.get("metrics") or None,
                  date="date" if "date" in frame.columns else None,
                  period={"M": "month", "Q": "quarter", "Y": "year"}.get(meta.get("period"), "month"),
                  weight=meta.get("weight") if meta.get("weight") in frame.columns else None,
                  segments=[s for s in meta.get("segments") or [] if s in frame.columns],
                  name=str(meta.get("survey") or ""))
    extra = {k: v for k, v in meta.items()
             if k not in ("metrics", "scales", "weight", "segments", "period", "survey")}
    import pandas as pd
    levels = {c: tuple(str(v) for v in frame[c].cat.categories) for c in frame.columns
              if isinstance(frame[c].dtype, pd.CategoricalDtype)}
    return dataclasses.replace(survey, scales={**dict(meta.get("scales") or {}), **survey.scales},
                               meta=extra, levels=levels)
