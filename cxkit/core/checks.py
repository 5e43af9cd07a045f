"""The one place where cxkit checks arguments (after seaborn's ``_check_argument``).

Use these helpers instead of scattered ``if``/``assert`` checks so every message has the
same wording.  They raise ``ValueError``/``TypeError`` (never ``assert``, which vanishes
under ``python -O``).
"""

from __future__ import annotations

import math
import os
import sys
import warnings
from numbers import Real

import numpy as np

__all__ = ["check_argument", "check_method", "check_number", "check_numbers", "check_conf",
           "check_alternative", "warn_deprecated"]

ALTERNATIVES = ("two-sided", "larger", "smaller")


def check_argument(param: str, options, value, *, prefix: bool = False):
    """Raise if ``value`` is not one of ``options``; return ``value`` otherwise.

    >>> check_argument("method", ["wald", "wilson"], "wilson")
    'wilson'
    """
    opts = list(options)
    ok = any(value.startswith(o) for o in opts) if (prefix and isinstance(value, str)) else value in opts
    if not ok:
        raise ValueError(
            f"The value for `{param}` must be one of {opts}, but {value!r} was passed."
        )
    return value


def warn_deprecated(message: str) -> None:
    """Issue a ``DeprecationWarning`` attributed to the first caller outside cxkit.

    The one way cxkit announces an old name or form (CONTRIBUTING.md "Conventions"): the
    message says what to write instead; the old form keeps giving identical numbers.
    """
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    level, frame = 2, sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package + os.sep):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, DeprecationWarning, stacklevel=level)


def check_method(options, value, param: str = "method"):
    """Check a method name against ``options`` (kebab-case, e.g. ``"agresti-coull"``).

    The one place where every ``method=``-like argument of cxkit is read: a spelling with
    underscores (``"agresti_coull"``, the statsmodels style) of a kebab-case option is accepted
    with a ``DeprecationWarning`` naming the kebab-case form, and the kebab-case name is
    returned.  ``None`` passes through (callers substitute their default).

    >>> check_method(["wilson", "agresti-coull"], "agresti-coull")
    'agresti-coull'
    """
    opts = list(options)
    if value is None or value in opts:
        return value
    if isinstance(value, str):
        kebab = value.replace("_", "-")
        if kebab in opts:
            warn_deprecated(f"{param}={value!r} is the old spelling; cxkit names methods in "
                            f"kebab-case: pass {param}={kebab!r}.")
            return kebab
    return check_argument(param, opts, value)


def check_number(param: str, value, *, low=None, high=None, low_open=False, high_open=False,
                 integer=False, allow_none=False):
    """Raise unless ``value`` is a finite real number inside the given bounds; return it.

    ``low_open``/``high_open`` make the bound exclusive.

    >>> check_number("conf", 0.95, low=0, high=1, low_open=True, high_open=True)
    0.95
    """
    if value is None and allow_none:
        return value
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise TypeError(f"The value for `{param}` must be a finite number, but {value!r} was passed.")
    if integer and int(value) != value:
        raise ValueError(f"The value for `{param}` must be a whole number, but {value!r} was passed.")
    if low is not None and (value < low or (low_open and value == low)):
        raise ValueError(
            f"The value for `{param}` must be {'>' if low_open else '>='} {low}, but {value!r} was passed."
        )
    if high is not None and (value > high or (high_open and value == high)):
        raise ValueError(
            f"The value for `{param}` must be {'<' if high_open else '<='} {high}, but {value!r} was passed."
        )
    return value


def check_numbers(param: str, value, *, low=None, low_open=False):
    """Raise unless every element of ``value`` (scalar or array) is finite and above ``low``;
    return it as a float array (the vectorised form of :func:`check_number`).

    >>> check_numbers("n", [10, 20], low=1, low_open=True).tolist()
    [10.0, 20.0]
    """
    arr = np.asarray(value, dtype=float)
    if np.any(~np.isfinite(arr)):
        raise ValueError(f"The value for `{param}` must be finite, but {value!r} was passed.")
    if low is not None and (np.any(arr <= low) if low_open else np.any(arr < low)):
        raise ValueError(
            f"The value for `{param}` must be {'>' if low_open else '>='} {low}, but {value!r} was passed."
        )
    return arr


def check_conf(conf):
    """Check a confidence level strictly between 0 and 1 (e.g. 0.95)."""
    return check_number("conf", conf, low=0, high=1, low_open=True, high_open=True)


def check_alternative(alternative):
    """Check ``alternative`` is one of ``"two-sided"``, ``"larger"``, ``"smaller"``."""
    return check_argument("alternative", ALTERNATIVES, alternative)
