"""cxkit — honest statistics for customer-experience surveys.

A flat API: ``cxkit.load_survey``, ``cxkit.nps``, ``cxkit.summarize``, ``cxkit.compare``,
``cxkit.score_changes``, ``cxkit.sample_size``, ``cxkit.brand_comparison`` …

The package is laid out as the data flow (see CONTRIBUTING.md):

- ``cxkit.core``   — the base every wing uses: score definitions (``MetricSpec``, ``Estimate``),
  errors, argument checks, periods, paths;
- ``cxkit.io``     — sources: configs, export readers, the loader, the demo data;
- ``cxkit.stats``  — tally and statistics: estimators, two-sample tests, changes, planning,
  competitors;
- ``cxkit.plots``  — charts of the statistics' results;
- ``cxkit.report`` — the monthly report: runner, index page, formatting, redaction.

Names are imported lazily on first use, so ``import cxkit`` stays fast (no scipy, statsmodels or
matplotlib until a function needs them).  Every public name of the wings' ``__all__`` is listed
in ``_EXPORTS`` below (a test keeps the two in step).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings
from importlib.metadata import PackageNotFoundError, version as _version

#: wing module -> the public names it exports flat as ``cxkit.<name>``
_EXPORTS = {
    "core.errors": (
        "CxkitError", "ConfigError", "SurveyDataError", "ReportError",
    ),
    "core.metrics": (
        "Estimate", "MetricSpec", "metric_spec", "Moments", "histogram_moments", "nps_values",
        "METRIC_KINDS", "resolve_metric", "score_names",
    ),
    "core.validate": (
        "default_scale", "score_scale", "scale_violations", "numeric_scores", "check_scores",
        "check_histogram_values", "refuse_unknown_scale", "check_columns", "closest_column",
        "period_values", "with_periods",
    ),
    "core.periods": (
        "resolve_period", "latest_complete_period", "parse_list", "parse_bool", "period_freq",
        "PERIOD_WORDS",
    ),
    "io.config": (
        "SurveyConfig", "SourceSpec", "ScoreSpec", "DateSpec", "SegmentSpec", "read_config",
        "config_from_dict", "FORMATS", "DEFAULT_SCALES", "LAYOUTS", "check_report_settings",
        "REPORT_SETTINGS", "DriverSpec", "DERIVED_PARTS",
    ),
    "io.readers": (
        "read_export", "source_rows", "detect_format", "EXPORT_FORMATS",
    ),
    "io.loader": (
        "load_survey", "LoadReport", "LoadResult", "EXCLUSION_REASONS",
    ),
    "io.frames": (
        "from_frame",
    ),
    "io.layouts": (
        "split_header", "LEGACY_QUALTRICS_FIELDS", "LEGACY_SURVEYMONKEY_FIELDS",
    ),
    "io.weighting": (
        "rake", "RakingResult", "trim_weights", "read_targets", "weight_diagnostics",
        "describe_weighting",
    ),
    "io.aggregated": (
        "from_aggregates", "apportion", "NPS_BINS",
    ),
    "io.labels": (
        "normalize_label", "score_labels", "parse_score_text",
    ),
    "stats.tally": (
        "tally", "add_tallies",
    ),
    "stats.estimators": (
        "estimate_from_histogram", "nps", "nps_from_counts", "csat", "top_box", "ces",
        "mean_score", "nps_variance", "effective_n", "design_effect", "churn_rate",
        "retention_rate", "nps_score_interval", "NPS_METHODS", "PROPORTION_METHODS",
        "MEAN_METHODS", "default_method",
    ),
    "stats.shares": (
        "nps_from_shares", "top_box_from_shares", "compare_shares", "share_box",
    ),
    "stats.design": (
        "Design", "design_summary", "design_estimate", "design_compare", "DesignComparison",
        "configured_design", "design_domain_difference", "design_brand_gaps",
        "DomainContrasts", "design_decomposition", "design_frames_compare", "design_brand_tables",
        "design_brand_comparison",
    ),
    "stats.summary": (
        "summarize", "SUMMARY_COLUMNS",
    ),
    "stats.twosample": (
        "Comparison", "compare", "compare_nps_counts", "compare_nps_paired_counts",
    ),
    "stats.multiplicity": (
        "adjust_pvalues",
    ),
    "stats.changes": (
        "ScoreChanges", "score_changes", "Decomposition", "decompose_change", "Trend",
        "trend", "describe_changes", "parse_baseline",
    ),
    "stats.planning": (
        "Baseline", "SampleSizePlan", "CadencePlan", "planning_baseline", "nps_after", "nps_alternative",
        "margin_of_error", "sample_size", "power", "minimum_detectable_difference",
        "invitations_needed", "reporting_cadence", "plan_segments", "describe_plan",
        "row_baseline",
    ),
    "stats.competitors": (
        "brand_comparison", "brand_crosstab", "rank_probabilities", "compare_to_benchmark",
        "brand_gap", "brands_to_wide", "brand_samples", "describe_brands", "parse_benchmarks",
        "relationship_subset", "BrandComparison", "BenchmarkComparison", "CATEGORIES",
    ),
    "stats.drivers": (
        "drivers", "pain_map", "priority_matrix", "describe_drivers", "driver_names",
        "DRIVER_METHODS", "MISSING_MODES", "QUADRANTS",
    ),
    "stats.followup": (
        "follow_up", "follow_up_times", "describe_follow_up", "FollowUpTimes",
        "FOLLOW_UP_PRIORITY",
    ),
    "plots": (
        "plot_changes_forest", "plot_decomposition", "plot_change_trend", "plot_brand_forest",
        "plot_brand_shares", "plot_brand_gaps", "plot_trend", "plot_margin_curve",
        "plot_power_curve", "plot_priority_matrix", "plot_pain_map",
    ),
    "report.drivertables": (
        "driver_table", "markdown_table",
    ),
    "report.redact": (
        "redact_text", "redact_comments",
    ),
    "engines.sources": ("scan", "EngineSurvey", "is_engine_input"),
    "engines.rows": ("select_periods", "periods_of", "fetch_rows", "row_count"),
    "engines.staging": ("stage_survey",),
    "stats.engine_drivers": ("joint_histogram",),
    "engines.loader": ("load_survey_engine",),
    "engines.histograms": ("engine_tally", "aggregate_responses", "histogram_expression",
                           "engine_frame", "classify"),
    "report.source": ("open_survey", "REPORT_ENGINES"),
    "engines.brands": ("pair_expression", "brand_histograms", "BrandHistograms"),
    "report.formatting": (
        "format_estimates", "describe_scores", "kpi_records", "recent_comments", "decimals",
        "METRIC_LABELS", "LOWER_IS_BETTER",
    ),
    "report.tables": (
        "fmt_num", "fmt_p", "weight_label", "period_word", "designed_table", "changes_html",
        "change_rows", "estimate_html", "comparison_html", "decomposition_html", "trend_html",
        "plan_html", "cadence_html", "brands_html", "gaps_html", "load_report_html",
        "planning_html", "estimates_html", "save_table", "write_tables_xlsx", "TABLE_CSS",
        "markdown_list", "is_demo",
    ),
}

#: module objects reachable as ``cxkit.<name>`` (documented module-level API)
_MODULES = {
    "demo": "cxkit.io.demo",
    "paths": "cxkit.core.paths",
    "periods": "cxkit.core.periods",
    "report": "cxkit.report",
    "plots": "cxkit.plots",
    "core": "cxkit.core",
    "io": "cxkit.io",
    "stats": "cxkit.stats",
    "engines": "cxkit.engines",
}

#: module paths of cxkit 0.1 -> where they live now (importing an old path warns)
_MOVED = {
    "cxkit.errors": "cxkit.core.errors",
    "cxkit._checks": "cxkit.core.checks",
    "cxkit.estimate": "cxkit.core.metrics",
    "cxkit.periods": "cxkit.core.periods",
    "cxkit.paths": "cxkit.core.paths",
    "cxkit._json": "cxkit.core.jsonsafe",
    "cxkit.config": "cxkit.io.config",
    "cxkit.readers": "cxkit.io.readers",
    "cxkit.loader": "cxkit.io.loader",
    "cxkit.demo": "cxkit.io.demo",
    "cxkit.estimators": "cxkit.stats.estimators",
    "cxkit.summary": "cxkit.stats.summary",
    "cxkit.changes": "cxkit.stats.changes",
    "cxkit.planning": "cxkit.stats.planning",
    "cxkit.competitors": "cxkit.stats.competitors",
    "cxkit.report_index": "cxkit.report.index",
    "cxkit.formatting": "cxkit.report.formatting",
    "cxkit.redact": "cxkit.report.redact",
    # cxkit.tally (the 0.1 module) is not aliased: ``cxkit.tally`` is the function.
}

_NAME_TO_MODULE = {name: "cxkit." + mod for mod, names in _EXPORTS.items() for name in names}

__all__ = sorted(_NAME_TO_MODULE)


def __getattr__(name):
    """Import a public name (or documented module) on first use and cache it here."""
    if name in _NAME_TO_MODULE:
        value = getattr(importlib.import_module(_NAME_TO_MODULE[name]), name)
    elif name in _MODULES:
        value = importlib.import_module(_MODULES[name])
    elif name == "__version__":
        try:
            value = _version("cxkit")
        except PackageNotFoundError:  # a source tree without installation
            value = "0.0.0+unknown"
    else:
        raise AttributeError(f"module 'cxkit' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__) | set(_MODULES) | {"__version__"})


class _MovedModuleFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Keep ``import cxkit.<old module>`` working, with a DeprecationWarning naming the new path."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname in _MOVED:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        new = _MOVED[spec.name]
        warnings.warn(f"{spec.name} moved to {new}; import it from there (or use the flat "
                      f"cxkit.<name> API)", DeprecationWarning, stacklevel=4)
        return importlib.import_module(new)

    def exec_module(self, module):  # already executed under its new name
        pass


if not any(isinstance(f, _MovedModuleFinder) for f in sys.meta_path):
    sys.meta_path.append(_MovedModuleFinder())
