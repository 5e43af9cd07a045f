"""Engine sources: files, DuckDB relations, Ibis tables and PySpark DataFrames as Ibis tables.

:func:`scan` wraps any of them in an :class:`EngineSurvey` — a lazy survey handle that knows
the score metrics, the date column (from which ``period`` is derived *in the engine*) and the
weight column, and exposes ``columns`` and ``attrs`` like a loaded responses table, so that the
analyses resolve metrics and check column names the same way.  Nothing is read into Python.
Ibis, DuckDB and PySpark are imported only when such a source is used.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field

from ..core.errors import SurveyDataError
from ..core.metrics import MetricSpec, metric_spec

__all__ = ["scan", "EngineSurvey", "is_engine_input"]

_REL_KEYS = {"own", "brands", "form", "brand_column", "score_column", "respondent_column"}
_FREQ_UNIT = {"month": "M", "M": "M", "quarter": "Q", "Q": "Q", "year": "Y", "Y": "Y"}


def _kind(obj) -> str | None:
    """Which engine source ``obj`` is ("path", "duckdb", "ibis", "spark", "survey") or None."""
    if isinstance(obj, EngineSurvey):
        return "survey"
    if isinstance(obj, (str, os.PathLike)):
        return "path"
    if isinstance(obj, (list, tuple)) and obj and all(isinstance(p, (str, os.PathLike)) for p in obj):
        return "path"
    mod = type(obj).__module__ or ""
    name = type(obj).__name__
    if name == "DuckDBPyRelation":
        return "duckdb"
    if mod.startswith("ibis.") and name == "Table":
        return "ibis"
    if mod.startswith("pyspark.sql") and name == "DataFrame":
        return "spark"
    return None


def is_engine_input(obj) -> bool:
    """True for inputs :func:`cxkit.tally` hands to an engine instead of pandas.

    >>> import pandas as pd
    >>> is_engine_input(pd.DataFrame()), is_engine_input("data/*.parquet")
    (False, True)
    """
    return _kind(obj) is not None


def _duckdb_relation(paths):
    """A DuckDB relation scanning Parquet/CSV files or globs (DuckDB's own reader API)."""
    import glob as _glob

    import duckdb

    paths = [os.fspath(p) for p in (paths if isinstance(paths, (list, tuple)) else [paths])]
    expanded = [os.path.join(p, "**", "*.parquet") if os.path.isdir(p) else p for p in paths]
    for p in expanded:
        if not _glob.glob(p, recursive=True):
            raise SurveyDataError(f"No file matches {p!r}: pass a Parquet/CSV file, a glob such as "
                                  f"'data/*.parquet' or a folder of Parquet files.", path=p)
    low = [p.lower() for p in expanded]
    con = duckdb.connect()
    arg = expanded if len(expanded) > 1 else expanded[0]
    if all(x.endswith((".csv", ".csv.gz", ".tsv", ".txt")) for x in low):
        return con.read_csv(arg)
    if all(x.endswith(".parquet") for x in low):
        return con.read_parquet(arg, hive_partitioning=True)
    raise SurveyDataError(f"Engine sources are Parquet or CSV files (by extension .parquet, .csv); "
                          f"got {paths}. Read other formats with cxkit.load_survey.", path=paths[0])


def _relation_source(rel):
    """(unbound Ibis table, runner) for a DuckDB relation: Ibis writes DuckDB SQL, the
    relation runs it with itself as the named view (``DuckDBPyRelation.query``).

    Ibis 12's own DuckDB backend calls ``fetch_arrow_table``, which duckdb 2.0 renamed
    (``to_arrow_table``): compiling with Ibis and executing with duckdb's API avoids it."""
    import ibis
    from ibis.backends.sql.datatypes import DuckDBType

    name = f"cxkit_{uuid.uuid4().hex[:12]}"
    schema = ibis.schema({c: DuckDBType.from_string(str(t)) for c, t in zip(rel.columns, rel.types)})
    table = ibis.table(schema, name=name)

    def run(expr):
        return rel.query(name, str(ibis.to_sql(expr, dialect="duckdb"))).df()

    return table, run


def _ibis_source(table):
    """(table, runner) for an Ibis table: its backend executes it; a DuckDB backend's raw
    connection runs the SQL Ibis compiles (see :func:`_relation_source`)."""
    import ibis

    try:
        backend = table.get_backend()
    except Exception:                    # unbound table: nothing can run it
        backend = None
    if backend is not None and getattr(backend, "name", "") == "duckdb":
        raw = backend.con

        def run(expr):
            return raw.sql(str(ibis.to_sql(expr, dialect="duckdb"))).df()

        return table, run
    return table, (lambda expr: expr.to_pandas())


def _source(obj):
    """(Ibis table, runner: expression -> pandas frame) of an engine source."""
    kind = _kind(obj)
    if kind == "survey":
        return obj.table, obj.run
    if kind == "ibis":
        return _ibis_source(obj)
    if kind == "path":
        return _relation_source(_duckdb_relation(obj))
    if kind == "duckdb":
        return _relation_source(obj)
    if kind == "spark":
        import ibis
        con = ibis.pyspark.connect(obj.sparkSession)
        name = f"cxkit_{uuid.uuid4().hex[:12]}"
        obj.createOrReplaceTempView(name)
        return con.table(name), (lambda expr: expr.to_pandas())
    raise TypeError(f"Not an engine source: {type(obj).__name__}.")


@dataclass(frozen=True)
class EngineSurvey:
    """A lazy survey handle: an Ibis table plus what the analyses need to read it.

    ``columns`` lists the table's columns (and ``period`` when a date column is known);
    ``attrs["cxkit"]`` carries ``metrics``, ``scales``, ``weight``, ``segments`` and ``period``
    like a table from :func:`cxkit.load_survey` (and, through ``meta``, the loader's other
    keys when the handle comes from ``load_survey(config, engine="duckdb")``).
    """

    table: object
    run: object = None
    metrics: dict = field(default_factory=dict)
    scales: dict = field(default_factory=dict)
    date: str | None = None
    period: str = "M"
    weight: str | None = None
    segments: tuple = ()
    name: str = ""
    #: further ``attrs["cxkit"]`` keys of the survey (e.g. ``drivers``, ``labels``,
    #: ``relationship``, ``config_path``, ``follow_up``), as :func:`cxkit.load_survey` sets them
    meta: dict = field(default_factory=dict, repr=False, compare=False)
    #: ``{segment: levels}`` in the order the report lists them (the pandas loader's order of
    #: first appearance); segments not listed sort alphabetically
    levels: dict = field(default_factory=dict)
    #: The engine connection that holds the table's views (kept alive with the handle).
    connection: object = field(default=None, repr=False, compare=False)

    @property
    def columns(self) -> list:
        cols = list(self.table.columns)
        if self.date is not None and "period" not in cols:
            cols.append("period")
        return cols

    @property
    def attrs(self) -> dict:
        base = {"metrics": dict(self.metrics), "scales": dict(self.scales),
                "weight": self.weight, "segments": list(self.segments),
                "period": self.period, "survey": self.name}
        base.update(self.meta)
        return {"cxkit": base}

    def periods(self) -> list:
        """The periods with responses, sorted (a ``SELECT DISTINCT`` in the engine)."""
        from .rows import periods_of
        return periods_of(self)

    def expression(self):
        """The Ibis table with ``period`` derived from the date column (truncated in the engine)."""
        t = self.table
        if self.date is not None and "period" not in t.columns:
            d = t[self.date]
            if not d.type().is_temporal():
                d = d.cast("timestamp")
            t = t.mutate(period=d.truncate(self.period))
        return t

    def __repr__(self):
        return (f"EngineSurvey({self.name or 'engine table'}: columns={self.columns}, "
                f"metrics={list(self.metrics)}, date={self.date!r}, weight={self.weight!r})")


def scan(source, *, scores=None, date=None, period="month", weight=None, segments=None,
         name="", relationship=None) -> EngineSurvey:
    """A lazy survey handle on data in an engine (nothing is read into Python).

    Parameters
    ----------
    source : str, path, list of paths, duckdb relation, Ibis table or PySpark DataFrame
        Parquet/CSV files or globs (a folder reads its Parquet files, hive partitions
        ``month=2026-01/`` become columns) are scanned by DuckDB.
    scores : dict, optional
        ``{name: metric kind or MetricSpec}``, e.g. ``{"ltr": "nps", "sat": "csat"}``; columns
        named ``nps``/``csat``/``ces`` need no entry.
    date : str, optional
        Date column; ``period`` is derived from it by truncation in the engine.  Default:
        a column named ``date`` if there is one.
    period : {"month", "quarter", "year"}, default "month"
    weight : str, optional
        The survey weight column (used by ``weighted=True``).
    segments : list of str, optional
        Segment columns (the analyses' default ``by``).
    relationship : dict, optional
        A relationship (competitor) survey for :func:`cxkit.brand_comparison`: ``own`` and
        ``brands`` (wide: brand score columns); for one row per respondent × brand add
        ``form="long"``, ``brand_column``, ``score_column`` and ``respondent_column`` (None:
        the rows are independent samples, one per brand).  See :mod:`cxkit.engines.brands`.

    Returns
    -------
    EngineSurvey

    Examples
    --------
    >>> import pandas as pd, duckdb
    >>> rel = duckdb.sql("select 10 as nps, 'N' as region union all select 3, 'S'")
    >>> s = scan(rel, segments=["region"])
    >>> s.columns
    ['nps', 'region']
    """
    if isinstance(source, EngineSurvey):
        source = source.table if source.run is None else source
    if _FREQ_UNIT.get(period) is None:
        raise ValueError(f"`period` must be 'month', 'quarter' or 'year', not {period!r}.")
    table, run = _source(source)
    cols = list(table.columns)
    if date is None and "date" in cols:
        date = "date"
    for role, c in (("date", date), ("weight", weight), *[("segment", s) for s in (segments or [])]):
        if c is not None and c not in cols:
            raise SurveyDataError(f"The engine table has no {role} column {c!r}. Columns: {cols[:40]}.",
                                  column=c)
    metrics, scales = {}, {}
    for nm, spec in (scores or {}).items():
        if not isinstance(spec, MetricSpec):
            spec = metric_spec(spec, name=nm)
        metrics[nm] = spec
        if spec.scale is not None:
            scales[nm] = tuple(spec.scale)
    meta = {}
    if relationship is not None:
        rel = dict(relationship)
        unknown = sorted(set(rel) - _REL_KEYS)
        if unknown:
            raise ValueError(f"`relationship` keys are {sorted(_REL_KEYS)}; got {unknown}.")
        if rel.get("form", "wide") not in ("wide", "long"):
            raise ValueError(f"`relationship['form']` is 'wide' or 'long', not {rel['form']!r}.")
        meta["relationship"] = rel
    return EngineSurvey(table, run, metrics, scales, date, _FREQ_UNIT[period], weight,
                        tuple(segments or ()), name, meta)


def as_survey(obj) -> EngineSurvey:
    """``obj`` as an :class:`EngineSurvey` (with default settings unless it is one)."""
    return obj if isinstance(obj, EngineSurvey) else scan(obj)
