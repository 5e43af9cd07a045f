"""Masking personal data in free-text comments before they reach a report.

The masking primitive, :func:`redact_text`, lives in :mod:`cxkit.core.redact` (the loader
masks offending values quoted in its LoadReport and errors with it, and io may not import
report); it is re-exported here and as ``cxkit.redact_text``.  :func:`redact_comments` applies
it to a column of comments.
"""

from __future__ import annotations

import pandas as pd

from ..core.redact import redact_text

__all__ = ["redact_text", "redact_comments"]


def redact_comments(comments, *, enabled=True):
    """Apply :func:`redact_text` to a Series (or list) of comments; a no-op when not ``enabled``.

    Examples
    --------
    >>> redact_comments(pd.Series(["ok", "write to a@b.org"])).tolist()
    ['ok', 'write to [email]']
    """
    s = pd.Series(comments, dtype="object") if not isinstance(comments, pd.Series) else comments
    if not enabled:
        return s
    return s.map(redact_text)
