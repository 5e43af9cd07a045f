"""Survey configuration: one YAML file describes one survey.

:func:`read_config` parses and validates the YAML into a frozen :class:`SurveyConfig`;
:func:`cxkit.load_survey` turns it into the canonical responses table.  The format is the one
in ``CONTRIBUTING.md`` with a few optional extensions (per-source ``rename``, ``period``,
``id_prefix``, ``encoding``, ``delimiter``, ``sheet``; per-score ``integer``; per-segment
``labels``; survey-level ``on_invalid`` and ``exclude_no_score``).  The full reference is in
``docs/loading.md``.

Every problem is a :class:`cxkit.ConfigError` that names the config file, the key, the valid
keys (with the closest match) and how to fix it.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from ..core.periods import PERIOD_WORDS
from ..core.errors import ConfigError
from ..core.metrics import METRIC_KINDS, MetricSpec, metric_spec
from ..core.paths import resolve_path
from ..core.validate import DEFAULT_SCALES  # scale used when a score does not give one
from .schema import check_config_types, safe_load_config

__all__ = ["SurveyConfig", "SourceSpec", "ScoreSpec", "DateSpec", "SegmentSpec", "read_config",
           "config_from_dict", "check_report_settings", "FORMATS", "DEFAULT_SCALES", "LAYOUTS",
           "DriverSpec", "DERIVED_PARTS", "REPORT_SETTINGS"]

#: Formats a source may declare (``auto`` detects vendor layouts from the content).
FORMATS = ("auto", "csv", "tsv", "parquet", "excel", "spss", "qualtrics", "surveymonkey")
PERIODS = {word: freq for freq, word in PERIOD_WORDS.items()}  # {"month": "M", …}
ON_INVALID = ("error", "exclude")
#: ``engine:`` values: where :func:`cxkit.load_survey` runs the loader's checks (``pandas``
#: in memory, the default; ``duckdb``: in DuckDB, the kept rows stay a DuckDB view — see
#: docs/scaling.md).
ENGINES = ("pandas", "duckdb")

_TOP_KEYS = ("survey", "sources", "respondent_id", "date", "period", "weight", "segments",
             "scores", "text", "relationship", "relationship_survey", "on_invalid",
             "exclude_no_score", "layout", "aggregated", "drivers", "follow_up",
             "report", "weighting", "design", "engine")
_WEIGHTING_KEYS = ("targets", "trim", "base_weight", "max_iter", "tol", "unit", "on_missing")
_DESIGN_KEYS = ("strata", "cluster", "fpc", "on_missing", "lonely_psu")
#: ``design.lonely_psu``: a single-PSU stratum, as R's options(survey.lonely.psu=) (the same
#: values as cxkit.stats.design.LONELY_PSU; io does not import stats)
_LONELY_PSU = ("fail", "adjust", "average", "remove", "certainty")
#: ``on_missing:`` of ``weighting:`` / ``design:``: rows without a raking or design variable are
#: excluded and counted in the LoadReport (default), or are an error.
ON_MISSING = ("exclude", "error")
#: ``layout:`` values: respondent rows (default) or aggregated rows (shares/counts and n).
LAYOUTS = ("respondents", "aggregated")
_AGG_KEYS = ("shares", "counts", "n", "deff", "rounding")
_SOURCE_KEYS = ("path", "format", "sheet", "rename", "period", "id_prefix", "encoding",
                "delimiter")
_SCORE_KEYS = ("column", "metric", "scale", "missing", "top_box", "integer", "labels")
_DATE_KEYS = ("column", "format", "min", "max")
#: Earliest response date accepted unless ``date.min`` says otherwise (dates before it are
#: invalid values: typos such as 0024-05-01, or Excel's 1900-01-00 placeholder).
DATE_MIN = "1900-01-01"
#: Latest response date accepted by default: this many days after today (``date.max``).
DATE_MAX_DAYS_AHEAD = 366
_SEGMENT_KEYS = ("column", "labels", "from", "part", "bins")
_DRIVERS_KEYS = ("outcome", "ratings", "scale", "missing", "top_box", "low")
_DRIVER_KEYS = ("column", "scale", "missing", "top_box", "low", "label", "integer")
_FOLLOW_UP_KEYS = ("group", "contacted", "resolved", "target_hours", "ratings_low")
#: Parts of a date a derived segment can take (``segments: {weekday: {from: date, part: weekday}}``).
DERIVED_PARTS = ("weekday", "hour", "week", "month_of_year")
#: Common other names of keys, suggested when difflib finds nothing close.
_ALIASES = {"file": "path", "filename": "path", "files": "sources", "type": "format",
            "columns": "rename", "id": "respondent_id", "weights": "weight", "kind": "metric",
            "range": "scale", "na": "missing", "missing_codes": "missing", "tab": "sheet",
            "worksheet": "sheet", "sep": "delimiter", "separator": "delimiter",
            "title": "survey", "name": "survey", "freq": "period", "comments": "text"}
_REL_KEYS = ("own", "brands", "form", "brand_column", "score_column", "metric", "scale",
             "missing")


@dataclass(frozen=True)
class SourceSpec:
    """One survey export file.

    Attributes
    ----------
    path : Path
        Absolute path (relative paths in the YAML are resolved against the config's folder).
    format : str
        One of :data:`FORMATS`.
    sheet : str or int or None
        Excel sheet name or 0-based index (first sheet when None).
    rename : mapping
        ``{file column: config column}``, for files whose column names differ.
    period : str or None
        Fixed reporting period of every row of this file (e.g. ``"2017"``), for files without
        a usable date.
    id_prefix : str
        Prepended to this file's respondent ids (keeps ids unique across files whose numbering
        restarts).
    encoding : str or None
        Text encoding of CSV/TSV files (default UTF-8, with or without BOM).
    delimiter : str or None
        Field delimiter of CSV files (default: sniffed for ``auto``, ``,`` for ``csv``).
    """

    path: Path
    format: str = "auto"
    sheet: object = None
    rename: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    period: str | None = None
    id_prefix: str = ""
    encoding: str | None = None
    delimiter: str | None = None

    @property
    def name(self) -> str:
        """The file name (the ``source`` value of its rows)."""
        return self.path.name


@dataclass(frozen=True)
class ScoreSpec:
    """One score column: where it is, its metric, scale and declared missing codes."""

    name: str
    column: str
    metric: str = "mean"
    scale: tuple = (1.0, 5.0)
    missing: tuple = ()
    top_box: tuple | None = None
    integer: bool = True
    #: ``{normalized answer label: number}`` (see :mod:`cxkit.io.labels`); empty = none.
    labels: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    @property
    def spec(self) -> MetricSpec:
        """The :class:`cxkit.MetricSpec` of this score (named after the score)."""
        return metric_spec(self.metric, top_box=self.top_box, name=self.name, scale=self.scale,
                           integer=self.integer)


@dataclass(frozen=True)
class DateSpec:
    """The response-date column, the accepted text formats (tried in order) and the range of
    plausible dates (``min``, ``max`` as ``YYYY-MM-DD``; ``max`` None = today + 366 days)."""

    column: str
    formats: tuple = ("ISO8601",)
    min: str = DATE_MIN
    max: str | None = None


@dataclass(frozen=True)
class SegmentSpec:
    """A segment: its source column and optional value labels (code → label).

    A *derived* segment has ``part`` (one of :data:`DERIVED_PARTS`: the weekday, hour, ISO week
    or month of year of the date column ``column``) or ``bins`` (edges cutting the numeric
    column ``column`` into intervals); its levels are ordered naturally (Mon … Sun, 0 … 23).
    """

    name: str
    column: str
    labels: MappingProxyType | None = None
    part: str | None = None
    bins: tuple | None = None

    @property
    def derived(self) -> bool:
        """True when the levels are computed (a date part or bins), not read."""
        return self.part is not None or self.bins is not None


@dataclass(frozen=True)
class DriverSpec:
    """A driver rating (``drivers:`` in the config): an attribute rating such as staff or speed
    whose relative importance for the outcome :func:`cxkit.drivers` estimates.

    ``low``: ratings counted as low (default: the bottom 40 % of the scale, 1–2 on 1–5);
    ``top_box``: ratings counted as high (default: the top 40 %, 4–5 on 1–5).
    """

    name: str
    column: str
    scale: tuple = (1.0, 5.0)
    missing: tuple = ()
    top_box: tuple | None = None
    low: tuple | None = None
    label: str | None = None
    integer: bool = True

    @property
    def score(self) -> ScoreSpec:
        """The rating as a mean-kind :class:`ScoreSpec` (how the loader reads it)."""
        return ScoreSpec(name=self.name, column=self.column, metric="mean", scale=self.scale,
                         missing=self.missing, top_box=None, integer=self.integer)

    def to_dict(self) -> dict:
        return {"column": self.column, "scale": list(self.scale),
                "top_box": None if self.top_box is None else list(self.top_box),
                "low": None if self.low is None else list(self.low), "label": self.label}


@dataclass(frozen=True)
class SurveyConfig:
    """A validated survey configuration (see ``docs/loading.md`` for the YAML reference).

    Build one with :func:`read_config` (from a YAML file) or :func:`config_from_dict`.
    """

    survey: str
    sources: tuple
    scores: MappingProxyType
    respondent_id: str | None = None
    date: DateSpec | None = None
    period: str | None = None
    weight: str | None = None
    segments: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    text: tuple = ()
    relationship: MappingProxyType | None = None
    on_invalid: str = "error"
    exclude_no_score: bool = True
    path: Path | None = None
    #: Companion relationship (competitor) survey config, resolved against this file's folder;
    #: the monthly report adds the competitor NPS page when it is set.
    relationship_survey: Path | None = None
    #: ``"respondents"`` or ``"aggregated"`` (see :mod:`cxkit.io.aggregated`).
    layout: str = "respondents"
    #: The ``aggregated:`` section (shares or counts, n, deff, rounding) of an aggregated layout.
    aggregated: MappingProxyType | None = None
    #: Driver ratings (``drivers:``): ``{"outcome": score name or None, "ratings":
    #: {name: DriverSpec}}``, or None when the config lists none.
    drivers: MappingProxyType | None = None
    #: Closed-loop settings (``follow_up:``): group, contacted/resolved columns, target hours.
    follow_up: MappingProxyType | None = None

    @property
    def driver_scores(self) -> tuple:
        """The driver ratings as :class:`ScoreSpec` (read by the loader like scores)."""
        if not self.drivers:
            return ()
        return tuple(d.score for d in self.drivers["ratings"].values())
    #: Raking (``weighting:``): ``{"targets": {segment: {category: value}}, "trim": (lo, hi)
    #: or None, "base_weight": bool, "max_iter", "tol", "source": CSV path or None, "unit":
    #: "auto"|"percent"|"fraction"|"total", "on_missing": "exclude"|"error"}``.
    weighting: MappingProxyType | None = None
    #: Survey design (``design:``): ``{"strata": segment, "cluster": segment, "fpc": segment,
    #: {stratum: value}, one number for every stratum, or None, "on_missing":
    #: "exclude"|"error"}`` — for design-based variances (:mod:`cxkit.stats.design`).
    design: MappingProxyType | None = None
    #: Validated ``report:`` settings (see :data:`REPORT_SETTINGS`): what ``cxkit report``
    #: injects into the notebooks, so the scheduled job is defined by this one file.
    report: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    #: Where :func:`cxkit.load_survey` runs the checks (``engine:``, one of :data:`ENGINES`).
    engine: str = "pandas"

    @property
    def period_freq(self) -> str | None:
        """pandas Period frequency (``"M"``, ``"Q"``, ``"Y"``) or None."""
        return None if self.period is None else PERIODS[self.period]

    @property
    def long_form(self) -> bool:
        """True for a long-form relationship survey (one row per respondent and brand)."""
        return self.relationship is not None and self.relationship.get("form") == "long"

    @property
    def metrics(self) -> dict:
        """``{score name: MetricSpec}``."""
        return {k: s.spec for k, s in self.scores.items()}


# --------------------------------------------------------------------------------------------
def _where(path) -> str:
    return f"config {path}" if path else "survey config"


def _fail(path, key, message) -> ConfigError:
    return ConfigError(f"{_where(path)}: `{key}`: {message}")


def _check_keys(d, valid, path, where):
    if not isinstance(d, dict):
        raise _fail(path, where, f"must be a mapping (key: value lines), got {type(d).__name__} "
                                 f"{d!r}.")
    for k in d:
        if k not in valid:
            close = difflib.get_close_matches(str(k), valid, n=1)
            alias = _ALIASES.get(str(k).lower())
            if not close and alias in valid:
                close = [alias]
            hint = f" Did you mean `{close[0]}`?" if close else ""
            raise _fail(path, f"{where}.{k}" if where else k,
                        f"unknown key.{hint} Valid keys here: {', '.join(valid)}.")


def _str(v, path, key, *, allow_none=False):
    if v is None and allow_none:
        return None
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(v)
    if not isinstance(v, str) or not v.strip():
        raise _fail(path, key, f"must be a non-empty text (a column name), got {v!r}.")
    return v.strip()


def _scale(v, path, key):
    if (not isinstance(v, (list, tuple)) or len(v) != 2
            or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v)
            or not v[0] < v[1]):
        raise _fail(path, key, f"must be [low, high] with low < high, e.g. [0, 10]; got {v!r}.")
    return (float(v[0]), float(v[1]))


def _missing(v, path, key):
    if v is None:
        return ()
    if not isinstance(v, (list, tuple)):
        v = [v]
    out = []
    for x in v:
        if isinstance(x, bool) or not isinstance(x, (int, float, str)):
            raise _fail(path, key, f"missing codes must be numbers or texts, got {x!r}.")
        out.append(float(x) if isinstance(x, (int, float)) else x.strip())
    return tuple(out)


def _score(name, v, path) -> ScoreSpec:
    key = f"scores.{name}"
    if isinstance(v, str):
        v = {"column": v}
    _check_keys(v, _SCORE_KEYS, path, key)
    if "column" not in v:
        raise _fail(path, key, "needs `column:` (the file column holding this score).")
    metric = v.get("metric", name if name in METRIC_KINDS else None)
    if metric is None:
        raise _fail(path, f"{key}.metric", f"missing; one of {', '.join(METRIC_KINDS)}.")
    if metric not in METRIC_KINDS:
        close = difflib.get_close_matches(str(metric), METRIC_KINDS, n=1)
        raise _fail(path, f"{key}.metric", f"{metric!r} is not a metric"
                    f"{f' (did you mean {close[0]!r}?)' if close else ''}; "
                    f"one of {', '.join(METRIC_KINDS)}.")
    if "scale" in v:
        scale = _scale(v["scale"], path, f"{key}.scale")
    elif metric in DEFAULT_SCALES:
        scale = DEFAULT_SCALES[metric]
    else:
        raise _fail(path, f"{key}.scale", f"metric {metric!r} needs `scale: [low, high]`.")
    top_box = v.get("top_box")
    if top_box is not None:
        if not isinstance(top_box, (list, tuple)):
            top_box = [top_box]
        if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in top_box):
            raise _fail(path, f"{key}.top_box", f"must be a list of scores, got {top_box!r}.")
        top_box = tuple(float(x) for x in top_box)
        bad = [x for x in top_box if not scale[0] <= x <= scale[1]]
        if bad:
            raise _fail(path, f"{key}.top_box", f"{bad} outside the scale {list(scale)}.")
    elif metric == "top_box":
        raise _fail(path, f"{key}.top_box", "metric top_box needs `top_box: [...]` "
                                            "(the scores counted as top box).")
    integer = v.get("integer", True)
    if not isinstance(integer, bool):
        raise _fail(path, f"{key}.integer", f"must be true or false, got {integer!r}.")
    spec = ScoreSpec(name=str(name), column=_str(v["column"], path, f"{key}.column"),
                     metric=metric, scale=scale,
                     missing=_missing(v.get("missing"), path, f"{key}.missing"),
                     top_box=top_box, integer=integer,
                     labels=_labels(v.get("labels"), scale, path, f"{key}.labels"))
    spec.spec  # noqa: B018 - raises early for inconsistent metric/top_box
    return spec


def _date_bound(v, path, key):
    """``date.min`` / ``date.max`` as ``YYYY-MM-DD`` (None when not given)."""
    if v is None:
        return None
    import pandas as pd

    try:
        t = pd.Timestamp(str(v))
    except (ValueError, TypeError, OverflowError):
        t = None
    if t is None or t is pd.NaT or not pd.Timestamp("1678-01-01") <= t <= pd.Timestamp(
            "2261-12-31"):
        raise _fail(path, key, f"{v!r} is not a date; write it as YYYY-MM-DD (e.g. 2015-01-01)"
                               f" between 1678-01-01 and 2261-12-31.")
    return t.strftime("%Y-%m-%d")


def _encoding(v, path, key):
    """A text encoding Python knows (``encoding:``), else a ConfigError naming the option."""
    if v is None:
        return None
    import codecs

    enc = _str(v, path, key)
    try:
        codecs.lookup(enc)
    except LookupError:
        close = difflib.get_close_matches(enc.lower(), ["utf-8", "utf-8-sig", "utf-16",
                                                        "cp1252", "latin-1", "iso-8859-15",
                                                        "cp1251", "shift_jis", "gb18030",
                                                        "mac_roman"], n=1)
        raise _fail(path, key, f"{enc!r} is not a text encoding Python knows"
                               f"{f' (did you mean {close[0]!r}?)' if close else ''}. Use e.g. "
                               f"utf-8, cp1252 (Windows Western European), latin-1, utf-16, or "
                               f"remove the key for UTF-8.") from None
    return enc


def _labels(v, scale, path, key):
    if v is None:
        return MappingProxyType({})
    from .labels import score_labels

    try:
        return MappingProxyType(score_labels(v, scale, where=key))
    except ValueError as e:
        raise _fail(path, key, str(e)) from None


def _source(i, v, base, path) -> SourceSpec:
    key = f"sources[{i}]"
    if isinstance(v, str):
        v = {"path": v}
    _check_keys(v, _SOURCE_KEYS, path, key)
    if "path" not in v:
        raise _fail(path, key, "needs `path:` (the export file, relative to the config folder).")
    fmt = v.get("format", "auto")
    if fmt not in FORMATS:
        close = difflib.get_close_matches(str(fmt), FORMATS, n=1)
        raise _fail(path, f"{key}.format", f"{fmt!r} is not a format"
                    f"{f' (did you mean {close[0]!r}?)' if close else ''}; "
                    f"one of {', '.join(FORMATS)}.")
    rename = v.get("rename") or {}
    if not isinstance(rename, dict):
        raise _fail(path, f"{key}.rename", "must map file column names to config column names, "
                                           "e.g. `rename: {Q9Boarding: Q9BOARDING}`.")
    rename = {str(a).strip(): _str(b, path, f"{key}.rename.{a}") for a, b in rename.items()}
    period = v.get("period")
    sheet = v.get("sheet")
    if sheet is not None and not isinstance(sheet, (str, int)):
        raise _fail(path, f"{key}.sheet", f"must be a sheet name or 0-based index, got {sheet!r}.")
    delim = v.get("delimiter")
    if delim is not None and (not isinstance(delim, str) or len(delim) != 1):
        raise _fail(path, f"{key}.delimiter", f"must be one character such as ';', got {delim!r}.")
    return SourceSpec(path=resolve_path(_str(v["path"], path, f"{key}.path"), base), format=fmt,
                      sheet=sheet, rename=MappingProxyType(rename),
                      period=None if period is None else str(period),
                      id_prefix=str(v.get("id_prefix") or ""),
                      encoding=_encoding(v.get("encoding"), path, f"{key}.encoding"),
                      delimiter=delim)


def _long_scores(rel, given, path) -> dict:
    """Score specs of a long-form relationship survey: one per brand, named after it."""
    _check_keys(rel, _REL_KEYS, path, "relationship")
    if given:
        raise _fail(path, "scores", "with `relationship: {form: long}` the scores are the "
                                    "brands (one per brand, from `score_column`); remove "
                                    "`scores:`.")
    for k in ("brand_column", "score_column", "brands"):
        if not rel.get(k):
            raise _fail(path, f"relationship.{k}", "needed for `form: long` (a brand column, "
                        "a score column and the list of brands).")
    brands = rel["brands"]
    if not isinstance(brands, list) or len({str(b) for b in brands}) != len(brands):
        raise _fail(path, "relationship.brands", f"must be a list of distinct brand names, got "
                                                 f"{brands!r}.")
    spec = {"column": "", "metric": rel.get("metric", "nps")}
    for k in ("scale", "missing"):
        if k in rel:
            spec[k] = rel[k]
    out = {}
    for b in brands:
        sc = _score(str(b), {**spec, "column": str(b)}, path)
        out[str(b)] = sc
    return out


# --------------------------------------------------------------------------- report: section
_BASELINE_WORDS = ("previous", "previous-3", "same-last-year")
_CORRECTIONS = ("holm", "fdr-bh", "bonferroni", "none")
_PAIRED_METHODS = ("paired-t", "paired-wald", "overlap")
#: cxkit 0.1 spellings of the choices, accepted with a DeprecationWarning naming the new one
_OLD_CHOICES = {"correction": {"fdr_bh": "fdr-bh"},
                "paired_method": {"t": "paired-t", "wald": "paired-wald"}}

#: The keys of a config's ``report:`` section: ``{key: (kind, meaning)}``.  ``cxkit report``
#: injects each into the notebooks that declare the parameter of the same name (except
#: ``competitor_window`` → the competitor page's ``month``, ``planning_metric`` → the planning
#: page's ``metric`` and ``notebooks``, the pages to run).  ``-p NAME VALUE`` overrides them.
REPORT_SETTINGS = MappingProxyType({
    "notebooks": ("list", "report pages to run, e.g. [overview, score_change]; default: all that apply"),
    "weighted": ("bool", "use the config's `weight:` column; default: true when `weight:` is set"),
    "metrics": ("list", "score names shown and compared; default: every score of the config"),
    "segments": ("list", "segment columns to scan for changes and to plan; default: all"),
    "baseline": ("baseline", "previous | previous-3 | same-last-year | a period such as 2026-01"),
    "alpha": ("fraction", "significance level of the tests (default 0.05)"),
    "correction": ("choice", "multiple-testing correction: holm | fdr-bh | bonferroni | none"),
    "min_n": ("count", "segments with fewer responses on a side are not tested (default 30)"),
    "trend_periods": ("count", "periods in the trend chart and trend line (at least 3)"),
    "months_shown": ("count", "periods of history on the overview page"),
    "decompose_by": ("text", "segment of the mix/rate decomposition; default: the first segment"),
    "planning_metric": ("text", "score planned on the sample-size page (default nps, or the own brand)"),
    "lookback": ("count", "periods pooled for planning volumes and baselines"),
    "margin": ("positive", "planning: target margin of error (points)"),
    "difference": ("positive", "planning: change to detect (points)"),
    "conf": ("fraction", "confidence level of intervals (default 0.95)"),
    "power": ("fraction", "planning: power to detect `difference` (default 0.8)"),
    "response_rate": ("fraction", "planning: completed responses per invitation"),
    "competitor_window": ("text", "competitor page period: all | latest | 2026-05:2026-10 | 2026-10"),
    "paired_method": ("choice", "competitor gaps: paired-t | paired-wald | overlap"),
    "benchmarks": ("text", "external NPS benchmarks, 'name: value; name: value'"),
    "n_boot": ("count", "bootstrap replicates of the brand ranks"),
    "seed": ("integer", "bootstrap seed"),
})
_CHOICES = {"correction": _CORRECTIONS, "paired_method": _PAIRED_METHODS}


def check_report_settings(settings, *, path=None, scores=(), segments=(), where="report"):
    """Validate ``report:`` settings (or ``-p`` overrides of them) into plain Python values.

    Parameters
    ----------
    settings : mapping
        ``{key: value}`` with keys from :data:`REPORT_SETTINGS`; texts such as ``"true"`` or
        ``"0.1"`` (from the command line) are accepted where a bool or number is expected.
    path : path-like, optional
        Config file named in errors.
    scores, segments : sequence of str, optional
        Score and segment names of the survey; ``metrics``, ``segments``, ``decompose_by`` and
        ``planning_metric`` must name them when given.
    where : str
        Prefix of the key in errors (``"report"`` or ``"-p"``).

    Returns
    -------
    dict
        The validated values: lists as lists of texts, numbers as int/float, bools as bool.

    Raises
    ------
    cxkit.ConfigError
        Unknown key (with the closest valid one) or a value of the wrong kind.

    Examples
    --------
    >>> check_report_settings({"weighted": "false", "alpha": 0.1, "segments": "region, channel"})
    {'weighted': False, 'alpha': 0.1, 'segments': ['region', 'channel']}
    """
    if settings is None:
        return {}

    def _fail(path, key, message):  # "-p alpha: ..." on the command line
        if where == "-p":
            return ConfigError(f"-p {key.split('.', 1)[1]}: {message}")
        return globals()["_fail"](path, key, message)

    _check_keys(settings, tuple(REPORT_SETTINGS), path, where)
    out = {}
    for key, value in settings.items():
        kind = REPORT_SETTINGS[key][0]
        label = f"{where}.{key}"
        if kind == "bool":
            if isinstance(value, str) and value.strip().lower() in ("true", "false", "yes", "no"):
                value = value.strip().lower() in ("true", "yes")
            if not isinstance(value, bool):
                raise _fail(path, label, f"must be true or false, got {value!r}.")
        elif kind == "list":
            if isinstance(value, str):
                value = [v.strip() for v in value.split(",") if v.strip()]
            if (not isinstance(value, (list, tuple))
                    or not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value)):
                raise _fail(path, label, f"must be a list of names, e.g. [a, b], got {value!r}.")
            value = [str(v).strip() for v in value]
        elif kind in ("fraction", "positive", "count", "integer"):
            if isinstance(value, str):
                try:
                    value = float(value) if kind in ("fraction", "positive") else int(value)
                except ValueError:
                    pass
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            if kind in ("count", "integer"):
                ok = ok and float(value) == int(value)
            if ok:
                value = int(value) if kind in ("count", "integer") else float(value)
                import math
                ok = math.isfinite(value) and {
                    "fraction": lambda v: 0 < v < 1 or (key == "response_rate" and v == 1),
                    "positive": lambda v: v > 0, "count": lambda v: v >= 1,
                    "integer": lambda v: True}[kind](value)
            if not ok:
                what = {"fraction": "a number between 0 and 1 (exclusive), e.g. 0.05",
                        "positive": "a number above 0, e.g. 5", "count": "a whole number >= 1",
                        "integer": "a whole number"}[kind]
                raise _fail(path, label, f"must be {what}, got {value!r}.")
            if key == "trend_periods" and value < 3:
                raise _fail(path, label, f"must be at least 3 (a trend needs 3 periods), got {value}.")
        else:  # text, choice, baseline
            if isinstance(value, (int, float)) and not isinstance(value, bool) and kind != "choice":
                value = str(value)
            if not isinstance(value, str) or not value.strip():
                raise _fail(path, label, f"must be a text, got {value!r}.")
            value = value.strip()
            if kind == "choice" and value in _OLD_CHOICES.get(key, {}):
                from ..core.checks import warn_deprecated

                new = _OLD_CHOICES[key][value]
                warn_deprecated(f"{label}: {value!r} is the old name; write {new!r}.")
                value = new
            if kind == "choice" and value not in _CHOICES[key]:
                raise _fail(path, label, f"{value!r}; one of {', '.join(_CHOICES[key])}.")
            if kind == "baseline" and value not in _BASELINE_WORDS:
                import re
                if not re.fullmatch(r"\d{4}(-\d{2}|Q[1-4])?", value):
                    raise _fail(path, label, f"{value!r}; one of {', '.join(_BASELINE_WORDS)} or a "
                                             f"period such as 2026-01.")
        out[key] = value
    for key, known, what in (("metrics", scores, "scores"), ("segments", segments, "segments"),
                             ("decompose_by", segments, "segments"),
                             ("planning_metric", scores, "scores")):
        if key in out and known:
            names = out[key] if isinstance(out[key], list) else [out[key]]
            bad = [n for n in names if n not in known]
            if bad:
                raise _fail(path, f"{where}.{key}", f"{bad} not in the config's {what} "
                                                    f"({', '.join(known)}).")
    return out


def config_from_dict(data: dict, *, base=None, path=None) -> SurveyConfig:
    """Validate a config mapping (the parsed YAML) into a :class:`SurveyConfig`.

    Parameters
    ----------
    data : dict
        The config as a mapping (same keys as the YAML file).
    base : path-like, optional
        Folder relative source paths are resolved against (default: the config file's folder
        when ``path`` is given, else the project folder).
    path : path-like, optional
        The config file, named in error messages.

    Examples
    --------
    >>> cfg = config_from_dict({"sources": ["a.csv"], "scores": {"nps": {"column": "ltr"}}})
    >>> cfg.scores["nps"].scale
    (0.0, 10.0)
    """
    if base is None and path is not None:
        base = Path(path).resolve().parent
    _check_keys(data, _TOP_KEYS, path, "")
    check_config_types(data, path)  # every value's type, in one place (schema.py)
    rel0 = data.get("relationship")
    long_form = isinstance(rel0, dict) and rel0.get("form") == "long"
    layout = data.get("layout", "respondents")
    if layout not in LAYOUTS:
        raise _fail(path, "layout", f"{layout!r}; one of {', '.join(LAYOUTS)}.")
    for k in ("sources",) if long_form else ("sources", "scores"):
        if not data.get(k):
            raise _fail(path, k, "missing or empty; a survey needs at least one source file and "
                                 "one score (see docs/loading.md).")
    srcs = data["sources"]
    if not isinstance(srcs, list):
        srcs = [srcs]
    sources = tuple(_source(i, s, base, path) for i, s in enumerate(srcs))
    if long_form:
        scores = _long_scores(rel0, data.get("scores"), path)
    else:
        if not isinstance(data["scores"], dict):
            raise _fail(path, "scores", "must map score names to specs, e.g. "
                                        "`nps: {column: ltr, metric: nps}`.")
        raw_scores = data["scores"]
        if layout == "aggregated":  # the score is built from the bins: no column needed
            raw_scores = {k: {"column": str(k), **({"metric": v} if isinstance(v, str) else
                                                   (v or {}))} for k, v in raw_scores.items()}
        scores = {str(k): _score(k, v, path) for k, v in raw_scores.items()}
    aggregated = _aggregated(data.get("aggregated"), layout, scores, path, data)

    date = data.get("date")
    if date is not None:
        if isinstance(date, dict):
            _check_keys(date, _DATE_KEYS, path, "date")
            fmts = date.get("format", "ISO8601")
            fmts = (fmts,) if isinstance(fmts, str) else tuple(fmts)
            lo, hi = (_date_bound(date.get(k), path, f"date.{k}") for k in ("min", "max"))
            if lo is not None and hi is not None and lo > hi:
                raise _fail(path, "date.min", f"{lo} is after `date.max` {hi}.")
            date = DateSpec(_str(date.get("column"), path, "date.column"), fmts,
                            DATE_MIN if lo is None else lo, hi)
        else:
            date = DateSpec(_str(date, path, "date"))
    period = data.get("period")
    if period is not None and period not in PERIODS:
        raise _fail(path, "period", f"{period!r} is not a period; one of {', '.join(PERIODS)}.")
    if period is None and any(s.period is not None for s in sources):
        raise _fail(path, "period", "sources give a fixed `period:`, so say which kind it is: "
                                    "`period: year` (or month/quarter).")
    if period is not None:
        import pandas as pd
        for i, s in enumerate(sources):
            if s.period is not None:
                try:
                    pd.Period(s.period, freq=PERIODS[period])
                except (ValueError, TypeError):
                    raise _fail(path, f"sources[{i}].period",
                                f"{s.period!r} is not a {period} (e.g. 2017, 2017Q2, 2017-05)."
                                ) from None

    segs = data.get("segments") or {}
    if isinstance(segs, list):
        segs = {s: s for s in segs}
    if not isinstance(segs, dict):
        raise _fail(path, "segments", "must map canonical segment names to columns.")
    segments = {}
    for k, v in segs.items():
        if isinstance(v, dict):
            _check_keys(v, _SEGMENT_KEYS, path, f"segments.{k}")
            labels = v.get("labels")
            if labels is not None and not isinstance(labels, dict):
                raise _fail(path, f"segments.{k}.labels", "must map codes to labels.")
            if "from" in v or "part" in v or "bins" in v:
                segments[str(k)] = _derived_segment(str(k), v, path)
                continue
            segments[str(k)] = SegmentSpec(
                str(k), _str(v.get("column"), path, f"segments.{k}.column"),
                None if labels is None else MappingProxyType({str(a): str(b)
                                                              for a, b in labels.items()}))
        else:
            segments[str(k)] = SegmentSpec(str(k), _str(v, path, f"segments.{k}"))
    text = data.get("text") or []
    if isinstance(text, str):
        text = [text]
    text = tuple(_str(t, path, "text") for t in text)

    drivers = _drivers(data.get("drivers"), scores, path)
    if drivers and long_form:
        raise _fail(path, "drivers", "driver ratings need one row per respondent; a long-form "
                                     "relationship survey cannot have `drivers:`.")
    follow_up = _follow_up(data.get("follow_up"), path)
    if follow_up:  # timestamps of the closed loop are read as text, parsed by cxkit.follow_up
        text = text + tuple(follow_up[k] for k in ("contacted", "resolved")
                            if k in follow_up and follow_up[k] not in text)
    names = ["respondent_id", "source", "source_row", "date", "period", "weight"]
    for group in (segments, scores, drivers["ratings"] if drivers else {}):
        for k in group:
            if k in names:
                raise _fail(path, k, f"the name {k!r} is already used (canonical columns "
                                     f"{', '.join(names[:6])}, segments and scores must differ).")
            names.append(k)

    rel = data.get("relationship")
    if rel is not None:
        _check_keys(rel, _REL_KEYS, path, "relationship")
        rel = dict(rel)
        brands = rel.get("brands")
        if rel.get("form", "wide") not in ("wide", "long"):
            raise _fail(path, "relationship.form", "one of wide, long.")
        if brands is not None and rel.get("form", "wide") == "wide":
            unknown = [b for b in brands if str(b) not in scores]
            if unknown:
                raise _fail(path, "relationship.brands", f"{unknown} are not score names; each "
                            f"brand is a score entry (scores: {', '.join(scores)}).")
        if rel.get("own") is not None and brands is not None and rel["own"] not in brands:
            raise _fail(path, "relationship.own", f"{rel['own']!r} is not one of the brands "
                                                  f"{brands}.")
        rel = MappingProxyType(rel)

    on_invalid = data.get("on_invalid", "error")
    if on_invalid not in ON_INVALID:
        raise _fail(path, "on_invalid", f"{on_invalid!r}; one of {', '.join(ON_INVALID)}.")
    engine = data.get("engine") or "pandas"
    if engine not in ENGINES:
        close = difflib.get_close_matches(str(engine), ENGINES, n=1)
        raise _fail(path, "engine", f"{engine!r} is not an engine"
                    f"{f' (did you mean {close[0]!r}?)' if close else ''}; one of "
                    f"{', '.join(ENGINES)}.")
    ens = data.get("exclude_no_score", True)
    if not isinstance(ens, bool):
        raise _fail(path, "exclude_no_score", f"must be true or false, got {ens!r}.")
    report = check_report_settings(data.get("report") or {}, path=path, scores=tuple(scores),
                                   segments=tuple(segments))
    return SurveyConfig(
        survey=str(data.get("survey") or (Path(path).stem if path else "survey")),
        sources=sources, scores=MappingProxyType(scores),
        respondent_id=_str(data.get("respondent_id"), path, "respondent_id", allow_none=True),
        date=date, period=period,
        weight=_str(data.get("weight"), path, "weight", allow_none=True),
        segments=MappingProxyType(segments), text=text, relationship=rel,
        on_invalid=on_invalid, exclude_no_score=ens,
        path=None if path is None else Path(path).resolve(),
        relationship_survey=_companion(data.get("relationship_survey"), base, path),
        layout=layout, aggregated=aggregated, drivers=drivers, follow_up=follow_up,
        report=MappingProxyType(report),
        weighting=_weighting(data.get("weighting"), segments, base, path),
        design=_design(data.get("design"), segments, path), engine=engine)


def _segment_name(v, segments, path, key):
    """A segment named by its name or by its source column (the design/raking variables)."""
    v = _str(v, path, key)
    if v in segments:
        return v
    by_col = [k for k, sg in segments.items() if getattr(sg, "column", None) == v]
    if by_col:
        return by_col[0]
    raise _fail(path, key, f"{v!r} is not a segment; raking and design variables are segments "
                           f"(add `{v}: {v}` under `segments:`; segments: "
                           f"{', '.join(segments) or 'none'}).")


def _weighting(v, segments, base, path):
    """Validate the ``weighting:`` section (raking targets, trimming) — see docs/weighting.md."""
    if v is None:
        return None
    _check_keys(v, _WEIGHTING_KEYS, path, "weighting")
    t = v.get("targets")
    source = None
    if isinstance(t, str):
        from .weighting import read_targets
        from ..core.errors import SurveyDataError
        source = (Path(base) / t) if base is not None and not Path(t).is_absolute() else Path(t)
        try:
            t = read_targets(source)
        except SurveyDataError as exc:
            raise _fail(path, "weighting.targets", str(exc)) from None
    if not isinstance(t, dict) or not t:
        raise _fail(path, "weighting.targets", "give the targets inline (`region: {North: 30, "
                                               "South: 70}` per segment, shares in percent or "
                                               "totals) or a CSV file with columns variable, "
                                               "category, target.")
    targets = {}
    for k, cats in t.items():
        name = _segment_name(k, segments, path, f"weighting.targets.{k}")
        if not isinstance(cats, dict) or not cats:
            raise _fail(path, f"weighting.targets.{k}", "must map categories to shares or totals.")
        vals = {}
        for c, x in cats.items():
            if isinstance(x, bool) or not isinstance(x, (int, float)) or not x > 0:
                raise _fail(path, f"weighting.targets.{k}.{c}", f"must be a positive number, got "
                                                               f"{x!r}.")
            vals[str(c)] = float(x)
        targets[name] = vals
    unit = v.get("unit", "auto")
    from .weighting import UNITS, _unit
    if unit not in UNITS:
        raise _fail(path, "weighting.unit", f"one of {', '.join(UNITS)} (how the targets are "
                                            f"read; auto: from their sum), got {unit!r}.")
    from ..core.errors import SurveyDataError
    for name, vals in targets.items():
        try:
            _unit(list(vals.values()), unit, name)
        except SurveyDataError as exc:
            src = f" (from {source})" if source is not None else ""
            raise _fail(path, f"weighting.targets.{name}", f"{exc}{src}") from None
    on_missing = v.get("on_missing", "exclude")
    if on_missing not in ON_MISSING:
        raise _fail(path, "weighting.on_missing", f"one of {', '.join(ON_MISSING)} (rows "
                                                  f"without a raking variable), got "
                                                  f"{on_missing!r}.")
    trim = v.get("trim")
    if trim is not None:
        if isinstance(trim, (int, float)) and not isinstance(trim, bool):
            trim = (None, float(trim))
        elif (isinstance(trim, (list, tuple)) and len(trim) == 2
              and all(x is None or (isinstance(x, (int, float)) and not isinstance(x, bool))
                      for x in trim)):
            trim = tuple(None if x is None else float(x) for x in trim)
        else:
            raise _fail(path, "weighting.trim", f"an upper bound relative to the mean weight (e.g. "
                                                f"5) or [lower, upper] such as [0.3, 3], got {trim!r}.")
        if (trim[0] is not None and not 0 <= trim[0] < 1) or (trim[1] is not None and trim[1] <= 1):
            raise _fail(path, "weighting.trim", f"bounds are relative to the mean weight: lower in "
                                                f"[0, 1), upper above 1; got {list(trim)}.")
    bw = v.get("base_weight", True)
    if not isinstance(bw, bool):
        raise _fail(path, "weighting.base_weight", "true (start from the configured `weight:`) or "
                                                   "false.")
    out = {"targets": targets, "trim": trim, "base_weight": bw,
           "source": None if source is None else str(source), "unit": unit,
           "on_missing": on_missing}
    for k, d, lo in (("max_iter", 100, 1), ("tol", 1e-6, 0)):
        x = v.get(k, d)
        if isinstance(x, bool) or not isinstance(x, (int, float)) or not x > lo:
            raise _fail(path, f"weighting.{k}", f"must be a positive number, got {x!r}.")
        out[k] = int(x) if k == "max_iter" else float(x)
    return MappingProxyType(out)


def _design(v, segments, path):
    """Validate the ``design:`` section (strata, first-stage clusters, fpc)."""
    if v is None:
        return None
    _check_keys(v, _DESIGN_KEYS, path, "design")
    if v.get("strata") is None and v.get("cluster") is None:
        raise _fail(path, "design", "needs `strata:`, `cluster:` or both (segment names).")
    out = {k: (None if v.get(k) is None else _segment_name(v[k], segments, path, f"design.{k}"))
           for k in ("strata", "cluster")}
    fpc = v.get("fpc")
    if isinstance(fpc, (int, float)) and not isinstance(fpc, bool):
        if not (math.isfinite(fpc) and fpc > 0):
            raise _fail(path, "design.fpc", f"a population size (> 1) or sampling fraction (≤ 1) "
                                            f"must be positive, got {fpc!r}.")
        fpc = float(fpc)       # the same N (or f) in every stratum
    elif isinstance(fpc, dict):
        if not all(isinstance(x, (int, float)) and not isinstance(x, bool) and x > 0
                   for x in fpc.values()):
            raise _fail(path, "design.fpc", "values must be positive numbers (population sizes "
                                            "or sampling fractions per stratum).")
        fpc = {str(a): float(b) for a, b in fpc.items()}
    elif fpc is not None:
        fpc = _segment_name(fpc, segments, path, "design.fpc")
    out["fpc"] = fpc
    on_missing = v.get("on_missing", "exclude")
    if on_missing not in ON_MISSING:
        raise _fail(path, "design.on_missing", f"one of {', '.join(ON_MISSING)} (rows without a "
                                               f"stratum, cluster or fpc), got {on_missing!r}.")
    out["on_missing"] = on_missing
    lonely = v.get("lonely_psu")
    if lonely is not None:
        if lonely not in _LONELY_PSU:
            raise _fail(path, "design.lonely_psu", f"one of {', '.join(_LONELY_PSU)} (what a "
                                                   f"stratum with a single PSU contributes, as "
                                                   f"R's survey.lonely.psu), got {lonely!r}.")
        out["lonely_psu"] = lonely
    return MappingProxyType(out)


def _aggregated(v, layout, scores, path, data):
    """Validate the ``aggregated:`` section (only with ``layout: aggregated``)."""
    if layout != "aggregated":
        if v is not None:
            raise _fail(path, "aggregated", "is only read with `layout: aggregated`; add that "
                                            "line or remove the section.")
        return None
    if v is None:
        raise _fail(path, "aggregated", "`layout: aggregated` needs an `aggregated:` section "
                                        "with `shares:` (and `n:`) or `counts:`.")
    _check_keys(v, _AGG_KEYS, path, "aggregated")
    for k in ("respondent_id", "weight", "text", "relationship", "relationship_survey"):
        if data.get(k) is not None:
            raise _fail(path, k, "not used with `layout: aggregated` (rows are groups, not "
                                 "respondents; a design effect goes in `aggregated.deff`); "
                                 "remove it.")
    if len(scores) != 1:
        raise _fail(path, "scores", f"an aggregated layout describes one score (its bins); "
                                    f"got {len(scores)}: {', '.join(scores)}.")
    if ("shares" in v) == ("counts" in v):
        raise _fail(path, "aggregated", "give the bins as `shares:` (percent, with `n:`) or "
                                        "as `counts:`, e.g. `shares: {detractors: bottom_box, "
                                        "passives: middle_box, promoters: top_box}`.")
    bins = v.get("shares", v.get("counts"))
    key = "aggregated." + ("shares" if "shares" in v else "counts")
    if not isinstance(bins, dict) or len(bins) < 2:
        raise _fail(path, key, f"must map at least two scores (or NPS categories) to columns, "
                               f"got {bins!r}.")
    if "shares" in v and v.get("n") is None:
        raise _fail(path, "aggregated.n", "shares need the number of responses: the column "
                                          "(or one number) with n per row.")
    n = v.get("n")
    if n is not None and (isinstance(n, bool) or not isinstance(n, (str, int, float))):
        raise _fail(path, "aggregated.n", f"must be a column name or a number, got {n!r}.")
    deff = v.get("deff")
    if deff is not None and (isinstance(deff, bool) or not isinstance(deff, (str, int, float))
                             or (not isinstance(deff, str) and not deff > 0)):
        raise _fail(path, "aggregated.deff", f"must be a positive number or a column name, "
                                             f"got {deff!r}.")
    r = v.get("rounding")
    if r is not None and (isinstance(r, bool) or not isinstance(r, (int, float)) or r < 0):
        raise _fail(path, "aggregated.rounding", f"must be the rounding step of the shares "
                                                 f"(1 = whole percents), got {r!r}.")
    return MappingProxyType({"shares": None if "shares" not in v else dict(bins),
                             "counts": None if "counts" not in v else dict(bins),
                             "n": n, "deff": deff, "rounding": r})


def _derived_segment(name, v, path) -> SegmentSpec:
    """``{from: column, part: weekday|hour|week|month_of_year}`` or ``{from: column, bins: [...]}``."""
    key = f"segments.{name}"
    col = _str(v.get("from", v.get("column")), path, f"{key}.from")
    part, bins = v.get("part"), v.get("bins")
    if (part is None) == (bins is None):
        raise _fail(path, key, "a derived segment needs exactly one of `part:` (one of "
                               f"{', '.join(DERIVED_PARTS)}) or `bins:` (edges of a numeric "
                               f"column), e.g. `{{from: response_date, part: weekday}}`.")
    if part is not None and part not in DERIVED_PARTS:
        close = difflib.get_close_matches(str(part), DERIVED_PARTS, n=1)
        raise _fail(path, f"{key}.part", f"{part!r} is not a date part"
                    f"{f' (did you mean {close[0]!r}?)' if close else ''}; one of "
                    f"{', '.join(DERIVED_PARTS)}.")
    if bins is not None:
        if (not isinstance(bins, (list, tuple)) or len(bins) < 2
                or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in bins)
                or any(a >= b for a, b in zip(bins, bins[1:]))):
            raise _fail(path, f"{key}.bins", f"must be increasing numbers (at least two edges), "
                                             f"e.g. [0, 30, 60, 120]; got {bins!r}.")
        bins = tuple(float(x) for x in bins)
    if v.get("labels") is not None:
        raise _fail(path, f"{key}.labels", "a derived segment names its own levels; remove "
                                           "`labels:`.")
    return SegmentSpec(name, col, None, part, bins)


def _codes(v, path, key, scale):
    if v is None:
        return None
    if not isinstance(v, (list, tuple)):
        v = [v]
    if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v):
        raise _fail(path, key, f"must be a list of ratings, got {v!r}.")
    bad = [x for x in v if not scale[0] <= x <= scale[1]]
    if bad:
        raise _fail(path, key, f"{bad} outside the scale {list(scale)}.")
    return tuple(float(x) for x in v)


def _drivers(v, scores, path):
    """``drivers:`` — a list of rating columns, or a section ``{outcome:, ratings:, scale:,
    missing:, top_box:, low:}`` whose ratings are a list or a mapping name → column/spec."""
    if v is None:
        return None
    section = {"ratings": v} if isinstance(v, list) else v
    if not isinstance(section, dict):
        raise _fail(path, "drivers", "must be a list of rating columns or a section with "
                                     "`ratings:`, e.g. `drivers: [q_staff, q_speed]`.")
    if "ratings" not in section:
        section = {"ratings": section}
    _check_keys(section, _DRIVERS_KEYS, path, "drivers")
    ratings = section["ratings"]
    if isinstance(ratings, list):
        ratings = {str(r): str(r) for r in ratings}
    if not isinstance(ratings, dict) or not ratings:
        raise _fail(path, "drivers.ratings", "must list at least one rating column.")
    outcome = section.get("outcome")
    if outcome is not None and str(outcome) not in scores:
        raise _fail(path, "drivers.outcome", f"{outcome!r} is not a score; one of "
                                             f"{', '.join(scores)}.")
    default = {k: section[k] for k in ("scale", "missing", "top_box", "low") if k in section}
    out = {}
    for name, spec in ratings.items():
        key = f"drivers.ratings.{name}"
        spec = {"column": spec} if isinstance(spec, str) else spec
        _check_keys(spec, _DRIVER_KEYS, path, key)
        spec = {**default, **spec}
        scale = _scale(spec["scale"], path, f"{key}.scale") if "scale" in spec else (1.0, 5.0)
        integer = spec.get("integer", True)
        if not isinstance(integer, bool):
            raise _fail(path, f"{key}.integer", f"must be true or false, got {integer!r}.")
        label = spec.get("label")
        out[str(name)] = DriverSpec(
            name=str(name), column=_str(spec.get("column", name), path, f"{key}.column"),
            scale=scale, missing=_missing(spec.get("missing"), path, f"{key}.missing"),
            top_box=_codes(spec.get("top_box"), path, f"{key}.top_box", scale),
            low=_codes(spec.get("low"), path, f"{key}.low", scale),
            label=None if label is None else str(label), integer=integer)
    return MappingProxyType({"outcome": None if outcome is None else str(outcome),
                             "ratings": MappingProxyType(out)})


def _follow_up(v, path):
    """``follow_up:`` — the closed loop: ``group`` (detractors or a rating), ``contacted`` and
    ``resolved`` (timestamp columns, kept as text and parsed by cxkit.follow_up),
    ``target_hours`` (the service target for the first contact)."""
    if v is None:
        return None
    _check_keys(v, _FOLLOW_UP_KEYS, path, "follow_up")
    out = dict(v)
    for k in ("contacted", "resolved"):
        if k in out:
            out[k] = _str(out[k], path, f"follow_up.{k}")
    if "target_hours" in out:
        t = out["target_hours"]
        if isinstance(t, bool) or not isinstance(t, (int, float)) or t <= 0:
            raise _fail(path, "follow_up.target_hours", f"must be a positive number of hours, "
                                                        f"got {t!r}.")
    return MappingProxyType(out)


def _companion(value, base, path):
    """Resolve ``relationship_survey:`` (a YAML path relative to this config's folder)."""
    if value is None:
        return None
    rel = Path(_str(value, path, "relationship_survey")).expanduser()
    rel = rel if rel.is_absolute() else Path(base or ".") / rel
    if not rel.is_file():
        raise _fail(path, "relationship_survey", f"file {rel} not found (the path is relative to "
                                                 f"the config file's folder).")
    return rel.resolve()


def read_config(path) -> SurveyConfig:
    """Read and validate a survey config YAML file.

    Parameters
    ----------
    path : path-like or ``"demo"``
        The YAML file; ``"demo"`` is the bundled demo survey (:data:`cxkit.paths.DEMO_CONFIG`),
        ``"demo-relationship"`` the demo relationship survey.  A relative path is taken from
        the working directory when the file is there, else from the project folder; relative
        paths *inside* the file are relative to the file's own folder.

    Returns
    -------
    SurveyConfig

    Raises
    ------
    cxkit.ConfigError
        The file is missing, not YAML, or a key is unknown or invalid (the message names the
        key, lists the valid ones and suggests the closest).

    Examples
    --------
    >>> cfg = read_config("demo")           # doctest: +SKIP
    >>> sorted(cfg.scores)                  # doctest: +SKIP
    ['ces', 'csat', 'nps']
    """
    import yaml

    if isinstance(path, SurveyConfig):
        return path
    p = Path(path).expanduser()
    # a relative path is taken from the working directory when the file is there, else from
    # the project folder (notebooks run from different working directories)
    p = p.resolve() if (not p.is_absolute() and p.is_file()) else resolve_path(path)
    if not p.is_file():
        raise ConfigError(f"Survey config {p} does not exist. Pass the path of a YAML file "
                          f"(or 'demo').")
    try:
        # safe loader (no tags executed) that refuses alias bombs before expanding them
        data = safe_load_config(p.read_text(encoding="utf-8-sig"), p)
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise ConfigError(f"config {p}: not valid YAML: {e}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"config {p}: must be a YAML mapping with keys such as sources:, "
                          f"scores: (see docs/loading.md); got {type(data).__name__}.")
    return config_from_dict(data, path=p)
