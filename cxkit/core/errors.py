"""Exception types raised by cxkit.

Every problem with a user's *data* or *configuration* is raised as a subclass of
:class:`CxkitError`, with a message that names the file, the column, the source row
numbers (as a spreadsheet shows them: header is row 1) and the offending values, and says
how to fix it.  Programming errors (wrong argument types to a function) stay ``ValueError``
/ ``TypeError`` as usual in the scientific Python stack.
"""

from __future__ import annotations

__all__ = ["CxkitError", "ConfigError", "SurveyDataError", "ReportError"]


class CxkitError(Exception):
    """Base class of every error cxkit raises about user data, config or reports."""


class ConfigError(CxkitError, ValueError):
    """The survey configuration file is missing, unreadable or inconsistent."""


class SurveyDataError(CxkitError, ValueError):
    """A survey export cannot be read or fails validation.

    Attributes
    ----------
    path : str or None
        The file the problem was found in.
    column : str or None
        The column concerned, when there is one.
    rows : list of int
        Up to the first few source row numbers (spreadsheet numbering) concerned.
    """

    def __init__(self, message: str, *, path=None, column=None, rows=None):
        super().__init__(message)
        self.path = None if path is None else str(path)
        self.column = column
        self.rows = list(rows or [])


class ReportError(CxkitError, RuntimeError):
    """A report notebook failed; the message names the notebook, the cell and the error."""
