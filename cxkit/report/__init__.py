"""cxkit.report — the monthly report: runner (``run_report``, ``save_summary``,
``refresh_notebooks``), the index page, formatting of tables and sentences, redaction."""

from .runner import *  # noqa: F401,F403
from .runner import __all__ as _runner_all, _kernel_name  # noqa: F401

from .source import open_survey, REPORT_ENGINES  # noqa: F401

__all__ = list(_runner_all) + ["open_survey", "REPORT_ENGINES"]
