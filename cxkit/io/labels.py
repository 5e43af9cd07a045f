"""Text answers to numbers: answer labels (``"Very satisfied"``) and numeric text
(``"10 - Extremely likely"``) in score columns.

Many exports write a rating as its answer label instead of its code: Qualtrics "choice text",
SurveyMonkey, Google Forms, Zendesk CSAT ("Good" / "Bad").  A score's ``labels:`` in the config
maps them to numbers, either as a mapping ``{"Very satisfied": 5, …}`` or as a list in scale
order (the first label is the low end of ``scale``).  Matching ignores case and runs of
whitespace.  Independently of ``labels:``, a text that *starts* with a number followed by a
separator and words (``"10 - Extremely likely"``, ``"0 = Not at all likely"``,
``"5 (Very satisfied)"``) reads as that number.
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["normalize_label", "score_labels", "parse_score_text"]

_NUMERIC_TEXT = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(?:[-\u2013\u2014=:).(]\s*|\s+)(?=[^\W\d_])")


def normalize_label(text) -> str:
    """The matching key of a label: whitespace runs collapsed, case folded.

    >>> normalize_label("  Very   SATISFIED ")
    'very satisfied'
    """
    return " ".join(str(text).split()).casefold()


def score_labels(value, scale, *, where="labels"):
    """Validate a ``labels:`` entry into ``{normalized label: number}``.

    Parameters
    ----------
    value : dict or list
        ``{label: number}``, or labels in scale order (low end first; the scale must be whole
        numbers and the list as long as the scale).
    scale : (float, float)
        The score's scale; every mapped number must lie on it.
    where : str
        Config key, for messages.

    Returns
    -------
    dict
        ``{normalize_label(label): float}``.

    Raises
    ------
    ValueError
        With a message saying what to fix (the config turns it into a ``ConfigError``).

    Examples
    --------
    >>> score_labels(["Bad", "OK", "Good"], (1, 3))
    {'bad': 1.0, 'ok': 2.0, 'good': 3.0}
    """
    lo, hi = float(scale[0]), float(scale[1])
    if isinstance(value, (list, tuple)):
        if not (lo.is_integer() and hi.is_integer()) or len(value) != int(hi - lo) + 1:
            raise ValueError(f"a list of labels is read in scale order ({lo:g}, {lo + 1:g}, … "
                             f"{hi:g}), so it needs {int(hi - lo) + 1} labels; got {len(value)}. "
                             f"Give a mapping {{label: number}} instead for other scales.")
        pairs = [(lab, lo + i) for i, lab in enumerate(value)]
    elif isinstance(value, dict):
        pairs = list(value.items())
    else:
        raise ValueError(f"must map answer labels to numbers ({{'Very satisfied': 5, …}}) or "
                         f"list them in scale order; got {value!r}.")
    out = {}
    for lab, num in pairs:
        if not isinstance(lab, (str, int, float)) or isinstance(lab, bool) or not str(lab).strip():
            raise ValueError(f"label {lab!r} must be a non-empty text.")
        if isinstance(num, bool) or not isinstance(num, (int, float)):
            raise ValueError(f"label {lab!r} maps to {num!r}, which is not a number.")
        if not lo <= float(num) <= hi:
            raise ValueError(f"label {lab!r} maps to {num!r}, outside the scale {lo:g}–{hi:g}.")
        key = normalize_label(lab)
        if key in out and out[key] != float(num):
            raise ValueError(f"label {lab!r} is given twice (ignoring case and spaces) with "
                             f"different numbers ({out[key]:g} and {float(num):g}).")
        out[key] = float(num)
    return out


def parse_score_text(texts, labels=None) -> np.ndarray:
    """Numbers of score texts: the ``labels`` mapping first, then a leading number.

    Parameters
    ----------
    texts : sequence of str
        Texts that did not parse as numbers.
    labels : dict, optional
        ``{normalized label: number}`` from :func:`score_labels`.

    Returns
    -------
    numpy.ndarray
        Float per text; NaN where neither applies.

    Examples
    --------
    >>> parse_score_text(["10 - Extremely likely", "0 = Not at all likely", "Good", "10-12"],
    ...                  {"good": 5.0}).tolist()
    [10.0, 0.0, 5.0, nan]
    """
    labels = labels or {}
    out = np.full(len(texts), np.nan)
    for i, t in enumerate(texts):
        if t is None or (isinstance(t, float) and t != t):
            continue
        key = normalize_label(t)
        if key in labels:
            out[i] = labels[key]
            continue
        m = _NUMERIC_TEXT.match(" ".join(str(t).split()))
        if m:
            out[i] = float(m.group(1))
    return out
