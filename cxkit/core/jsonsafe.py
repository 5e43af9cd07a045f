"""One conversion to JSON-safe values, used by every ``to_dict()`` and by ``summary.json``."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["json_safe"]


def json_safe(obj, *, digits=None):
    """Convert numpy/pandas scalars, NaN, Periods, dataclasses and frames into JSON-safe values.

    NaN, infinities, ``pd.NA`` and ``NaT`` become ``None``; tuples and arrays become lists; frames
    become lists of records; anything else unknown becomes its ``str``.  With ``digits``, floats
    are rounded to that many significant digits (the report uses 10, so identical inputs give
    byte-identical JSON whatever the last bits of floating-point noise).

    >>> json_safe({"a": np.float64(1.5), "b": float("nan"), "p": pd.Period("2026-10", "M")})
    {'a': 1.5, 'b': None, 'p': '2026-10'}
    >>> json_safe((np.int64(3), 1 / 3), digits=3)
    [3, 0.333]
    """
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if obj is pd.NA or obj is pd.NaT:
        return None
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        x = float(obj)
        if not math.isfinite(x):
            return None
        return float(f"{x:.{digits}g}") if digits else x
    if isinstance(obj, (pd.Period, pd.Timestamp, _dt.date, Path)):
        return str(obj)
    if isinstance(obj, dict):
        return {str(k): json_safe(v, digits=digits) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, np.ndarray, pd.Index)):
        return [json_safe(v, digits=digits) for v in obj]
    if isinstance(obj, pd.Series):
        return {str(k): json_safe(v, digits=digits) for k, v in obj.items()}
    if isinstance(obj, pd.DataFrame):
        return [json_safe(r, digits=digits) for r in obj.to_dict(orient="records")]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return json_safe(obj.to_dict() if hasattr(obj, "to_dict") else dataclasses.asdict(obj), digits=digits)
    if hasattr(obj, "to_dict"):
        return json_safe(obj.to_dict(), digits=digits)
    return str(obj)
