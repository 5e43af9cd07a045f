"""The survey a report page works on: a pandas table, or a lazy engine survey.

Every report notebook (and the runner) opens its survey with :func:`open_survey`; the pages
use only functions that accept both kinds (:func:`cxkit.select_periods`,
:func:`cxkit.periods_of`, :func:`cxkit.summarize`, :func:`cxkit.score_changes`,
:func:`cxkit.drivers`, :func:`cxkit.recent_comments`, …), so the same notebooks run on a
survey held in memory and on one that stays in DuckDB, Parquet or a warehouse.
"""

from __future__ import annotations

import atexit
import inspect
import shutil
import tempfile

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
    if _loader_has_engine():
        return load_survey(config, engine=engine)
    if engine == "pandas":
        return load_survey(config)
    # Until the engine loader (`load_survey(config, engine="duckdb")`) is merged: the pandas
    # load staged to Parquet and scanned by DuckDB — the same canonical columns and attrs.
    responses, report = load_survey(config)
    from ..engines.staging import stage_survey
    return stage_survey(responses, _staging_dir()), report


def _loader_has_engine() -> bool:
    from ..io.loader import load_survey
    return "engine" in inspect.signature(load_survey).parameters


_DIRS: list = []


def _staging_dir() -> str:
    d = tempfile.mkdtemp(prefix="cxkit-engine-")
    if not _DIRS:
        atexit.register(lambda: [shutil.rmtree(x, ignore_errors=True) for x in _DIRS])
    _DIRS.append(d)
    return d
