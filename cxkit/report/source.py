"""The survey a report page works on: a pandas table, or a lazy engine survey.

Every report notebook (and the runner) opens its survey with :func:`open_survey`; the pages
use only functions that accept both kinds (:func:`cxkit.select_periods`,
:func:`cxkit.periods_of`, :func:`cxkit.summarize`, :func:`cxkit.score_changes`,
:func:`cxkit.drivers`, :func:`cxkit.recent_comments`, …), so the same notebooks run on a
survey held in memory and on one that stays in DuckDB, Parquet or a warehouse.
"""

from __future__ import annotations

__all__ = ["open_survey", "REPORT_ENGINES"]

#: Values of the report's ``engine`` setting: "" (as the config says; pandas by default),
#: "pandas", "duckdb" (a lazy engine survey: nothing but aggregates and listed rows in Python).
REPORT_ENGINES = ("", "pandas", "duckdb")


def open_survey(config, engine: str = ""):
    """``(responses, load_report)`` of ``config`` for a report page.

    Parameters
    ----------
    config : str, path or Config
        The survey config (``"demo"`` for the bundled survey).
    engine : {"", "pandas", "duckdb"}
        ``""``: as :func:`cxkit.load_survey` loads the config; ``"pandas"``: in memory;
        ``"duckdb"``: a lazy :class:`cxkit.EngineSurvey`.

    Examples
    --------
    >>> responses, report = open_survey("demo")
    >>> type(responses).__name__
    'DataFrame'
    """
    from ..core.errors import ConfigError
    from ..io.loader import load_survey

    engine = str(engine or "").strip().lower()
    if engine not in REPORT_ENGINES:
        raise ConfigError(f"engine {engine!r}: the report runs on {', '.join(repr(e) for e in REPORT_ENGINES[1:])} "
                          f"(or leave it empty for the config's choice).")
    if engine == "":
        return load_survey(config)               # the config's `engine:` (pandas by default)
    return load_survey(config, engine=engine)
