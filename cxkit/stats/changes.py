"""Did the score really change, and where?  Period-over-period tables, mix/rate decompositions
and precision-weighted trends of CX scores, built on the two-sample tests of
:mod:`cxkit.stats.twosample` (:func:`compare` and its relatives, re-exported here).

Everything works on score histograms (:func:`cxkit.tally` by side and segment).  Conventions
(see CONTRIBUTING.md): ``diff`` is always **b − a** (b = the report period, a = the baseline).
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from ..core.checks import check_argument, check_conf, check_method, check_number
from ..core.jsonsafe import json_safe
from ..core.metrics import Estimate, MetricSpec, resolve_metric
from .estimators import estimate_from_histogram
from ..core.periods import resolve_period
from ..core.validate import check_columns, with_periods
from ..engines.histograms import engine_frame
from .multiplicity import adjust_pvalues
from .tally import _count_columns, _tally_core, _to_frame, _weight_column
from .twosample import (  # noqa: F401  (Comparison/compare re-exported for 0.1 imports)
    CORRECTIONS,
    Comparison,
    _Hist,
    _compare_hists,
    _decimals,
    _display,
    _empty_hist,
    _fmt_p,
    _hists_from_tally,
    _kind,
    _num,
    _p_from_z,
    _signed,
    _unit_suffix,
    _z,
    compare,
    compare_nps_counts,
)

__all__ = ["ScoreChanges", "score_changes", "Decomposition", "decompose_change", "Trend", "trend",
           "describe_changes", "parse_baseline"]

# --------------------------------------------------------------------------------------------
# periods, baselines and tallies of a responses table
# --------------------------------------------------------------------------------------------
_PER_YEAR = {"M": 12, "Q": 4, "Y": 1}


def parse_baseline(baseline, period, responses=None) -> list:
    """The baseline periods of a comparison with the report period ``period``.

    Parameters
    ----------
    baseline : str, pandas.Period or list of them
        ``"previous"`` — the period before ``period``; ``"previous-k"`` (e.g. ``"previous-3"``)
        — the k periods before ``period``, pooled into one baseline sample;
        ``"same-last-year"`` — the same month (quarter) one year earlier; an explicit period
        (``"2026-04"``, ``"2017"``, a Period); or a list of periods (pooled).
    period : pandas.Period
        The report period.
    responses : pandas.DataFrame, optional
        Gives the period frequency for explicit periods.

    Returns
    -------
    list of pandas.Period

    Examples
    --------
    >>> import pandas as pd
    >>> [str(p) for p in parse_baseline("previous-3", pd.Period("2026-10", "M"))]
    ['2026-07', '2026-08', '2026-09']
    >>> [str(p) for p in parse_baseline("same-last-year", pd.Period("2026-10", "M"))]
    ['2025-10']
    """
    if isinstance(baseline, (list, tuple)):
        out = [resolve_period(b, responses) for b in baseline]
    elif isinstance(baseline, pd.Period):
        out = [baseline]
    else:
        text = str(baseline).strip().lower()
        m = re.fullmatch(r"previous(?:[-_ ](\d+))?", text)
        if m:
            k = int(m.group(1) or 1)
            if k < 1:
                raise ValueError("`baseline='previous-k'` needs k >= 1.")
            out = [period - j for j in range(k, 0, -1)]
        elif text in ("same-last-year", "last-year", "yoy"):
            out = [period - _PER_YEAR.get(period.freqstr[0], 12)]
        else:
            try:
                out = [resolve_period(baseline, responses)]
            except ValueError as exc:
                raise ValueError(
                    f"Cannot read baseline {baseline!r}: use 'previous', 'previous-3' (the 3 "
                    f"previous periods pooled), 'same-last-year', a period such as '2026-04', or "
                    f"a list of periods.") from exc
    if any(p == period for p in out):
        raise ValueError(f"The baseline {baseline!r} includes the report period {period}.")
    return out


def _label(periods) -> str:
    periods = sorted(periods)
    if len(periods) == 1:
        return str(periods[0])
    consecutive = all(periods[i + 1] == periods[i] + 1 for i in range(len(periods) - 1))
    return f"{periods[0]}..{periods[-1]}" if consecutive else ", ".join(map(str, periods))


def _weight_col(responses, weighted):
    """``weighted`` (falsy, truthy, or a column name) → weight column name or None."""
    if not weighted:
        return None
    return _weight_column(responses, weighted if isinstance(weighted, str) else True, "weighted")


def _period_column(responses):
    if "period" not in responses.columns:
        raise ValueError("The responses table has no `period` column; configure `date:` and "
                         "`period:` in the survey YAML (cxkit.load_survey adds it).")
    return responses["period"]


def _side_tally(responses, column, spec, wcol, side_of_period: dict, by: list):
    """Tally of the responses in the given periods, grouped by side label and ``by``."""
    check_columns(responses, by, "segment", "by")
    per = _period_column(responses)
    side = per.map(side_of_period)
    mask = side.notna().to_numpy()
    cols = [column] + list(by) + ([wcol] if wcol else [])
    cols += [c for c in _count_columns(responses) if c is not None and c not in cols]
    sub = responses.loc[mask, cols].copy()
    sub["_side"] = side[mask].astype(str).to_numpy()
    # an estimate follows: the scores are checked against the metric's scale
    return _to_frame(_tally_core(sub, (column, spec), ["_side"] + list(by), wcol))


def _side_estimate(spec: MetricSpec, h: _Hist, conf: float) -> Estimate:
    """Estimate (value and interval) of one side, by the core's default method."""
    weighted = h.w is not None
    if h.total == 0:
        return Estimate(spec.name, math.nan, math.nan, math.nan, math.nan, 0, 0.0, conf, "",
                        weighted, "no valid responses")
    return estimate_from_histogram(h.scores, h.n, h.w, h.w2, metric=spec, conf=conf)


def _adjust(p, alpha, correction):
    """Adjusted p-values (NaN kept): :func:`cxkit.stats.multiplicity.adjust_pvalues`."""
    return adjust_pvalues(p, correction)


_ROW_FIELDS = ["diff", "se", "ci_low", "ci_high", "statistic", "p_value", "n_a", "n_b",
               "n_eff_a", "n_eff_b", "method"]


def _row(dimension, level, comparison, ea: Estimate, eb: Estimate, c: Comparison | None,
         too_few: bool) -> dict:
    row = {"dimension": dimension, "level": level, "comparison": comparison,
           "value_a": ea.value, "ci_low_a": ea.ci_low, "ci_high_a": ea.ci_high,
           "value_b": eb.value, "ci_low_b": eb.ci_low, "ci_high_b": eb.ci_high}
    if c is None:
        row.update({k: math.nan for k in _ROW_FIELDS})
        row.update({"n_a": ea.n, "n_b": eb.n, "n_eff_a": ea.n_eff, "n_eff_b": eb.n_eff,
                    "method": "", "diff": eb.value - ea.value})
    else:
        row.update({k: getattr(c, k) for k in _ROW_FIELDS})
    row["too_few"] = too_few
    return row


# --------------------------------------------------------------------------------------------
# period-over-period table
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScoreChanges:
    """Result of :func:`score_changes`: is the report period's score different, and where?

    Attributes
    ----------
    metric : str
    period : str
        Report period (sample b).
    baseline : str
        Baseline period(s) (sample a), e.g. ``"2026-09"`` or ``"2026-07..2026-09"`` (pooled).
    overall : Comparison
        The headline test b − a over all responses.
    table : pandas.DataFrame
        Period-over-period rows: first the overall row (``dimension="overall"``, ``level="all"``),
        then one row per segment level.  Columns ``dimension, level, comparison, value_a,
        ci_low_a, ci_high_a, value_b, ci_low_b, ci_high_b, diff, se, ci_low, ci_high, statistic,
        p_value, n_a, n_b, n_eff_a, n_eff_b, method, too_few, p_adj, significant``.  ``p_adj``
        is adjusted for multiplicity across all segment rows (the overall row is its own
        family: ``p_adj = p_value``).
    vs_rest : pandas.DataFrame
        Same columns; each segment level in the report period (b) against the rest of the same
        period (a), so ``diff < 0`` means "below the rest"; adjusted as one family.
    weighted : bool
    conf, alpha : float
    correction : str
    min_n : int
    """

    metric: str
    period: str
    baseline: str
    overall: Comparison
    table: pd.DataFrame = field(repr=False)
    vs_rest: pd.DataFrame = field(repr=False)
    weighted: bool = False
    conf: float = 0.95
    alpha: float = 0.05
    correction: str = "holm"
    min_n: int = 30
    kind: str = ""

    def significant(self, which="table") -> pd.DataFrame:
        """Segment rows flagged significant (``which="table"`` or ``"vs_rest"``)."""
        t = self.table if which == "table" else self.vs_rest
        return t[t["significant"] & (t["dimension"] != "overall")]

    def where(self) -> tuple:
        """``(dimension, reason)``: the segment dimension where the change is — the dimension of
        the most significant segment change (smallest adjusted p), else the one whose tested
        levels moved most (Σ |diff|·n_b over its levels), else the first dimension.  Used to
        choose the split of :func:`decompose_change`; ``(None, reason)`` without segments.

        >>> import cxkit
        >>> r, _ = cxkit.load_survey("demo")                     # doctest: +SKIP
        >>> cxkit.score_changes(r, "nps").where()[0]             # doctest: +SKIP
        'channel'
        """
        sig = self.significant("table")
        if len(sig):
            return str(sig.sort_values("p_adj").iloc[0]["dimension"]), "its most significant segment change"
        seg = self.table[self.table["dimension"] != "overall"]
        if not len(seg):
            return None, "the survey has no segments"
        tested = seg[~seg["too_few"].astype(bool) & seg["diff"].notna()]
        if not len(tested):
            return str(seg["dimension"].iloc[0]), "the first segment dimension (no segment could be tested)"
        moved = (tested["diff"].abs() * tested["n_b"]).groupby(tested["dimension"], sort=False).sum()
        return str(moved.idxmax()), "the dimension whose levels moved most (no segment change is significant)"

    def to_dict(self) -> dict:
        """JSON-safe headline numbers: the overall change and the significant segments."""
        def rows(t):
            return [{k: json_safe(r[k]) for k in ("dimension", "level", "value_a", "value_b",
                                                  "diff", "ci_low", "ci_high", "p_value", "p_adj")}
                    for _, r in t.iterrows()]
        return {"metric": self.metric, "period": self.period, "baseline": self.baseline,
                "weighted": self.weighted, "conf": self.conf, "alpha": self.alpha,
                "correction": self.correction, "overall": self.overall.to_dict(),
                "significant_changes": rows(self.significant("table")),
                "significant_vs_rest": rows(self.significant("vs_rest"))}

    def headline(self) -> dict:
        """The overall change as a JSON-safe dict for report summaries: ``metric, period,
        baseline, value_a, value_b, diff, ci_low, ci_high, p_value, significant, weighted,
        method, n_a, n_b``, plus ``significant_segments`` (list of "dimension level" labels)."""
        c = self.overall
        return {"metric": self.metric, "period": self.period, "baseline": self.baseline,
                "value_a": json_safe(c.value_a), "value_b": json_safe(c.value_b),
                "diff": json_safe(c.diff), "ci_low": json_safe(c.ci_low),
                "ci_high": json_safe(c.ci_high), "p_value": json_safe(c.p_value),
                "significant": bool(c.p_value < self.alpha) if math.isfinite(c.p_value) else False,
                "weighted": self.weighted, "method": c.method, "n_a": c.n_a, "n_b": c.n_b,
                "conf": self.conf,
                "significant_segments": [f"{r.dimension} {r.level}" for r in
                                         self.significant("table").itertuples()]}

    def _repr_html_(self) -> str:
        """Designed HTML table in JupyterLab (the report's design); ``repr`` stays plain."""
        from ..report.tables import changes_html  # lazy: report is a later wing

        return changes_html(self)

    def __str__(self) -> str:
        return describe_changes(self)


def score_changes(responses, metric="nps", period="latest", baseline="previous", by=None,
                  alpha=0.05, correction="holm", min_n=30, weighted=False, conf=None,
                  method=None, design=None) -> ScoreChanges:
    """Did the score change from the baseline to the report period — overall and per segment?

    Parameters
    ----------
    responses : pandas.DataFrame
        Canonical responses table (:func:`cxkit.load_survey`) with a ``period`` column.
    metric : str, MetricSpec or (column, kind), default "nps"
        Score to compare, resolved with :func:`cxkit.resolve_metric`.
    period : str or pandas.Period, default "latest"
        Report period (sample b): ``"latest"`` (latest complete period), ``"2026-10"``, ``"2018"``.
    baseline : str, Period or list, default "previous"
        Sample a; see :func:`parse_baseline`: ``"previous"``, ``"previous-3"`` (3 periods
        pooled), ``"same-last-year"``, an explicit period, or a list of periods.
    by : str or list of str, optional
        Segment columns; default: the configured segments (``attrs["cxkit"]["segments"]``).
    alpha : float, default 0.05
        Significance level of the ``significant`` flag (on adjusted p-values).
    correction : {"holm", "fdr-bh", "bonferroni", "none"}, default "holm"
        Multiplicity adjustment across segment rows (:func:`cxkit.stats.multiplicity.adjust_pvalues`).
    min_n : int, default 30
        Rows where either side has fewer valid responses get ``too_few=True`` and no test.
    weighted : bool or str, default False
        Use the survey weights (linearised variances, t on min(n_eff) − 1 df; see
        :func:`compare`).
    conf : float, optional
        Interval level; default ``1 − alpha``.
    method : str, optional
        Test method (see :func:`compare`); default: the metric's default.
    design : None, False, True, dict or cxkit.Design
        Survey design (strata, clusters, fpc): every row's estimates, difference and test are
        then design-based (:func:`cxkit.design_domain_difference`: Taylor-linearised, t on
        PSUs − strata − 1 df, the periods and segments as domains of the whole design).  None
        uses the configured ``design:`` if any; without a design the result is as before.

    Returns
    -------
    ScoreChanges
        ``.overall`` (Comparison), ``.table`` (period over period), ``.vs_rest`` (each segment
        level against the rest of the report period); ``str()`` is :func:`describe_changes`.

    Notes
    -----
    Works from score histograms (:func:`cxkit.tally` by side and segment), so the raw rows are
    read once per segment dimension.  Each row is a :func:`compare` of the two histograms
    (b − a).  Segment rows are one family of tests: adjusted p-values by Holm's step-down
    method (default; controls the family-wise error rate) or Benjamini–Hochberg (``"fdr-bh"``,
    controls the false discovery rate); ``significant = p_adj < alpha``.  The vs-rest table is
    a second family (it asks a different question: "where are we below average this period?",
    which is worth knowing even when nothing changed).  Segment and rest are disjoint samples,
    so the independent-samples tests apply.

    References
    ----------
    .. [1] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       *Scandinavian Journal of Statistics* 6, 65–70.
    .. [2] Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate.
       *JRSS B* 57, 289–300.
    .. [3] Rocks, B. (2016). Interval estimation for the "net promoter score". *The American
       Statistician* 70(4), 365–372.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> df = pd.DataFrame({
    ...     "period": pd.PeriodIndex(["2026-09"] * 200 + ["2026-10"] * 200, freq="M"),
    ...     "region": ["N", "S"] * 200,
    ...     "nps": np.r_[np.tile([10, 9, 8, 3], 50), np.tile([10, 3, 8, 3, 10, 9, 8, 3], 25)]})
    >>> res = score_changes(df, "nps", "2026-10", by="region")
    >>> print(res.table[["level", "value_a", "value_b", "diff", "p_adj", "significant"]]
    ...       .round(3).to_string(index=False))
    level  value_a  value_b  diff  p_adj  significant
      all     25.0      0.0 -25.0  0.003         True
        N     50.0     50.0   0.0  1.000        False
        S      0.0    -50.0 -50.0  0.000         True
    >>> print(res.overall)
    NPS 25.0 → 0.0: −25.0 points (95% CI −41.1 to −8.2), z = −2.93, p = 0.003 (n 200 vs 200, adjusted-wald)

    On a loaded survey: ``responses, _ = cxkit.load_survey("demo")`` then
    ``score_changes(responses, "nps")`` (latest month vs the previous one, every segment).
    """
    check_number("alpha", alpha, low=0, high=1, low_open=True, high_open=True)
    conf = check_conf(1 - alpha if conf is None else conf)
    correction = check_method(CORRECTIONS, correction, "correction")
    check_number("min_n", min_n, low=0, integer=True)
    responses = engine_frame(responses, metric, by, weighted)   # engine sources: aggregated
    responses = with_periods(responses)     # a period column of texts ("2026-10") is parsed
    column, spec = resolve_metric(responses, metric)
    if by is None:
        by = list((getattr(responses, "attrs", {}) or {}).get("cxkit", {}).get("segments", []))
    elif isinstance(by, str):
        by = [by]
    by = list(by)
    check_columns(responses, by, "segment", "by")
    wcol = _weight_col(responses, weighted)
    p = resolve_period(period, responses)
    base = parse_baseline(baseline, p, responses)
    sides = {p: "b", **{q: "a" for q in base}}
    present = set(_period_column(responses).dropna().unique())
    missing = [str(q) for q in [p] + base if q not in present]
    if missing:
        raise ValueError(f"No responses in period(s) {missing}; the data cover "
                         f"{_label(sorted(present)) if present else 'no periods'}.")
    empty = _empty_hist(wcol is not None)

    def test(ha, hb):
        if ha.total < min_n or hb.total < min_n:
            return None, True
        return _compare_hists(spec, ha, hb, method=method, conf=conf), False

    hs = _hists_from_tally(_side_tally(responses, column, spec, wcol, sides, []), spec,
                           ["_side"])
    ha, hb = hs.get(("a",), empty), hs.get(("b",), empty)
    overall = _compare_hists(spec, ha, hb, method=method, conf=conf)
    if ha.total < min_n or hb.total < min_n:
        overall = dataclasses.replace(overall, note="; ".join(
            x for x in (overall.note, f"fewer than min_n={min_n} responses on a side") if x))
    rows = [_row("overall", "all", "period", _side_estimate(spec, ha, conf),
                 _side_estimate(spec, hb, conf), overall, ha.total < min_n or hb.total < min_n)]
    rest_rows = []
    for dim in by:
        t = _side_tally(responses, column, spec, wcol, sides, [dim])
        hd = _hists_from_tally(t, spec, ["_side", dim])
        col = responses[dim]
        levels = list(col.cat.categories) if isinstance(col.dtype, pd.CategoricalDtype) else \
            sorted(pd.unique(col.dropna()), key=str)
        for lev in levels:
            la, lb = hd.get(("a", lev)), hd.get(("b", lev))
            if la is None and lb is None:
                continue
            la, lb = la or empty, lb or empty
            c, few = test(la, lb)
            rows.append(_row(dim, lev, "period", _side_estimate(spec, la, conf),
                             _side_estimate(spec, lb, conf), c, few))
        # this period: level vs rest of the same period
        b_levels = [lev for lev in levels if ("b", lev) in hd]
        for lev in b_levels:
            others = [hd[("b", o)] for o in b_levels if o != lev]
            if not others:
                continue
            rest = _merge(others)
            c, few = test(rest, hd[("b", lev)])
            rest_rows.append(_row(dim, lev, "vs rest", _side_estimate(spec, rest, conf),
                                  _side_estimate(spec, hd[("b", lev)], conf), c, few))
    from .design import configured_design
    dsg = configured_design(responses, design)
    if dsg is not None:   # design-based rows (issue 17): same rows, design variances
        overall, rows, rest_rows = _design_rows(responses, column, dsg, weighted, conf, sides,
                                                overall, rows, rest_rows)
    table = _finish(pd.DataFrame(rows), alpha, correction, skip_first=True)
    vs_rest = _finish(pd.DataFrame(rest_rows, columns=table.columns[:-2]), alpha, correction,
                      skip_first=False)
    return ScoreChanges(spec.name, str(p), _label(base), overall, table, vs_rest,
                        wcol is not None, conf, alpha, correction, int(min_n), spec.kind)


def _design_rows(responses, column, dsg, weighted, conf, sides, overall, rows, rest_rows):
    """Replace the rows' statistics by design-based ones (periods and segments as domains)."""
    from .design import design_domain_difference
    from .design import _side_labels
    side = pd.Series(_side_labels(_period_column(responses), sides), index=responses.index)
    w = weighted if weighted else False

    def redo(row, a_mask, b_mask):
        dom = np.where(b_mask, "b", np.where(a_mask, "a", ""))
        r = design_domain_difference(responses, column, dsg, dom, weighted=w, conf=conf)
        keep = {k: row[k] for k in ("dimension", "level", "comparison", "too_few")}
        return {**row, **{k: r[k] for k in r if k in row}, **keep}

    new_rows = []
    for row in rows:
        if row["dimension"] == "overall":
            lv = np.ones(len(responses), dtype=bool)
        else:
            lv = (responses[row["dimension"]] == row["level"]).to_numpy(dtype=bool)
        new_rows.append(redo(row, (side == "a").to_numpy() & lv, (side == "b").to_numpy() & lv))
    new_rest = []
    for row in rest_rows:
        lv = (responses[row["dimension"]] == row["level"]).to_numpy(dtype=bool)
        b = (side == "b").to_numpy()
        new_rest.append(redo(row, b & ~lv, b & lv))
    r0 = new_rows[0]
    overall = dataclasses.replace(overall, **{k: r0[k] for k in (
        "diff", "se", "ci_low", "ci_high", "statistic", "p_value", "n_eff_a", "n_eff_b",
        "value_a", "value_b")}, method="design-linearized", conf=conf,
        df=design_domain_difference(responses, column, dsg,
                                    np.where((side == "b").to_numpy(), "b",
                                             np.where((side == "a").to_numpy(), "a", "")),
                                    weighted=w, conf=conf)["df"])
    return overall, new_rows, new_rest


def _merge(hists) -> _Hist:
    return _Hist(np.concatenate([h.values for h in hists]),
                 np.concatenate([h.n for h in hists]),
                 None if hists[0].w is None else np.concatenate([h.w for h in hists]),
                 None if hists[0].w2 is None else np.concatenate([h.w2 for h in hists]),
                 np.concatenate([h.scores for h in hists]))


def _finish(t: pd.DataFrame, alpha, correction, skip_first) -> pd.DataFrame:
    t = t.copy()
    if t.empty:
        t["p_adj"] = pd.Series(dtype=float)
        t["significant"] = pd.Series(dtype=bool)
        return t
    p = t["p_value"].to_numpy(dtype=float)
    adj = np.full(len(t), np.nan)
    start = 1 if skip_first else 0
    adj[start:] = _adjust(p[start:], alpha, correction)
    if skip_first:
        adj[0] = p[0]
    t["p_adj"] = adj
    t["significant"] = (np.nan_to_num(adj, nan=1.0) < alpha) & ~t["too_few"].to_numpy(dtype=bool)
    for c in ("n_a", "n_b"):
        t[c] = t[c].astype(np.int64)
    return t


# --------------------------------------------------------------------------------------------
# mix / rate decomposition
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Decomposition:
    """Result of :func:`decompose_change`: change = mix + rate (+ interaction), exactly.

    Attributes
    ----------
    metric, by, period, baseline : str
    value_a, value_b : float
        Overall score of the baseline and report period (responses with a known segment).
    change : float
        value_b − value_a.
    mix, rate, interaction : float
        Totals of the effects; ``mix + rate + interaction == change`` up to rounding.
    table : pandas.DataFrame
        One row per segment level: ``level, n_a, n_b, share_a, share_b, value_a, value_b,
        mix, rate, interaction, total`` (shares in %, values in metric units; ``value_a`` /
        ``value_b`` NaN when the level is absent from that period).
    method : str
        ``"three-way"`` or ``"symmetric"``.
    weighted : bool
    uncertainty : pandas.DataFrame or None
        With a survey design (``design=``): rows ``change, mix, rate, interaction`` with
        ``term, estimate, se, ci_low, ci_high, statistic, df, p_value`` (design-based,
        :func:`cxkit.design_decomposition`); None without a design.
    design : dict or None
        The survey design used, else None.
    """

    metric: str
    by: str
    period: str
    baseline: str
    value_a: float
    value_b: float
    change: float
    mix: float
    rate: float
    interaction: float
    table: pd.DataFrame = field(repr=False)
    method: str = "three-way"
    weighted: bool = False
    kind: str = ""
    uncertainty: pd.DataFrame | None = field(default=None, repr=False)
    design: dict | None = field(default=None, repr=False)

    def to_dict(self) -> dict:
        d = {k: json_safe(getattr(self, k)) for k in ("metric", "by", "period", "baseline",
                                                      "value_a", "value_b", "change", "mix",
                                                      "rate", "interaction", "method",
                                                      "weighted")}
        d["table"] = [{k: json_safe(v) for k, v in r.items()}
                      for r in self.table.to_dict("records")]
        if self.uncertainty is not None:
            d["uncertainty"] = json_safe(self.uncertainty)
            d["design"] = json_safe(self.design)
        return d

    def _repr_html_(self) -> str:
        """Designed HTML table in JupyterLab (the report's design); ``repr`` stays plain."""
        from ..report.tables import decomposition_html  # lazy: report is a later wing

        return decomposition_html(self)

    def __str__(self) -> str:
        dec = _decimals(_kind(self))
        return (f"{_display(self.metric)} {_num(self.value_a, dec)} → {_num(self.value_b, dec)} "
                f"({_signed(self.change, dec)}) by {self.by}: mix {_signed(self.mix, dec)}, "
                f"rate {_signed(self.rate, dec)}, interaction {_signed(self.interaction, dec)}"
                + ("" if self.uncertainty is None else self._design_text(dec)))

    def _design_text(self, dec) -> str:
        u = self.uncertainty.set_index("term")
        parts = [f"{k} ± {_num(float(u.loc[k, 'se']), dec)}"
                 for k in ("change", "mix", "rate", "interaction")]
        return (f" (design SEs: {', '.join(parts)}; change "
                f"{_fmt_p(float(u.loc['change', 'p_value']))})")


def decompose_change(responses, metric="nps", by=None, period="latest", baseline="previous", *,
                     weighted=False, method="three-way", design=None,
                     conf=0.95) -> Decomposition:
    """Split the change of the overall score into customer-mix and within-segment (rate) effects.

    Parameters
    ----------
    responses : pandas.DataFrame
        Canonical responses table with a ``period`` column.
    metric : str, MetricSpec or (column, kind), default "nps"
    by : str
        One segment column (e.g. ``"channel"``).
    period, baseline
        As in :func:`score_changes` (a pooled window such as ``"previous-3"`` works too).
    weighted : bool, default False
        Shares are Σw shares and segment scores weighted means.
    method : {"three-way", "symmetric"}, default "three-way"
        ``"three-way"``: mix, rate and interaction terms (baseline-weighted);
        ``"symmetric"``: Kitagawa's two-term form with averaged weights (no interaction term).
    design : None, False, True, dict or cxkit.Design
        Survey design (``{"strata": column, "cluster": column, "fpc": …}``), as in
        :func:`cxkit.summarize`: adds ``.uncertainty``, the design-based (Taylor-linearised)
        SE, interval and t test (PSUs − strata − 1 df) of the change and of the mix, rate and
        interaction totals (:func:`cxkit.design_decomposition`).  None uses the configured
        ``design:`` when the table has one; False ignores it.  Without a design the result is
        as before (descriptive, no uncertainty).
    conf : float, default 0.95
        Level of the design-based intervals (used with a design only).

    Returns
    -------
    Decomposition

    Notes
    -----
    With segment shares s_i and segment scores m_i, the overall score is M = Σ s_i m_i, and
    with Δ = b − a, exactly

    * three-way: ΔM = Σ Δs_i (m_i^a − M^a) + Σ s_i^a Δm_i + Σ Δs_i Δm_i
      (mix + rate + interaction);
    * symmetric: ΔM = Σ Δs_i (m̄_i − M̄) + Σ s̄_i Δm_i, with bars the means of a and b.

    Centring the mix term on the overall score (allowed because Σ Δs_i = 0) makes a segment
    whose share grows count positively only if it scores above average.  A level present in only
    one period has its missing score set to the other period's score, so its whole contribution
    is mix (its rate and interaction terms are 0).  Responses with a missing segment value are
    left out, so ``value_a``/``value_b`` are the scores of responses with a known segment.  The
    decomposition is descriptive: it carries no uncertainty (use :func:`score_changes` for
    tests).

    References
    ----------
    .. [1] Kitagawa, E. M. (1955). Components of a difference between two rates. *Journal of
       the American Statistical Association* 50, 1168–1194.
    .. [2] Das Gupta, P. (1993). *Standardization and Decomposition of Rates: A User's Manual*.
       U.S. Bureau of the Census, P23-186.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"period": pd.PeriodIndex(["2026-09"] * 4 + ["2026-10"] * 4, freq="M"),
    ...                    "seg": ["x", "x", "y", "y", "x", "y", "y", "y"],
    ...                    "nps": [10, 10, 0, 10, 10, 0, 10, 0]})
    >>> d = decompose_change(df, "nps", by="seg", period="2026-10")
    >>> round(d.change, 2), round(d.mix, 2), round(d.rate, 2), round(d.interaction, 2)
    (-50.0, -25.0, -16.67, -8.33)
    """
    method = check_method(["three-way", "symmetric"], method)
    if by is None or not isinstance(by, str):
        raise ValueError("`by` must name one segment column, e.g. by='channel'.")
    responses = engine_frame(responses, metric, by, weighted)   # engine sources: aggregated
    responses = with_periods(responses)
    check_columns(responses, [by], "segment", "by")
    column, spec = resolve_metric(responses, metric)
    wcol = _weight_col(responses, weighted)
    p = resolve_period(period, responses)
    base = parse_baseline(baseline, p, responses)
    t = _side_tally(responses, column, spec, wcol, {p: "b", **{q: "a" for q in base}}, [by])
    hd = _hists_from_tally(t, spec, ["_side", by])
    col = responses[by]
    levels = list(col.cat.categories) if isinstance(col.dtype, pd.CategoricalDtype) else \
        sorted(pd.unique(col.dropna()), key=str)
    levels = [lv for lv in levels if ("a", lv) in hd or ("b", lv) in hd]
    if not levels:
        raise ValueError(f"No responses in {_label(base)} or {p} with a known {by!r}.")

    def stats_of(side):
        mass, mean, n = [], [], []
        for lv in levels:
            h = hd.get((side, lv))
            if h is None:
                mass.append(0.0), mean.append(math.nan), n.append(0)
                continue
            m = h.moments()
            mass.append(m.sum_w), mean.append(m.mean), n.append(m.n)
        mass = np.array(mass)
        return mass / mass.sum() if mass.sum() > 0 else mass, np.array(mean), np.array(n)

    sa, ma, na = stats_of("a")
    sb, mb, nb = stats_of("b")
    if sa.sum() == 0 or sb.sum() == 0:
        raise ValueError(f"One of the periods ({_label(base)}, {p}) has no responses with a "
                         f"known {by!r}.")
    ma_f = np.where(np.isnan(ma), mb, ma)
    mb_f = np.where(np.isnan(mb), ma, mb)
    Ma, Mb = float((sa * ma_f).sum()), float((sb * mb_f).sum())
    ds, dm = sb - sa, mb_f - ma_f
    if method == "three-way":
        mix = ds * (ma_f - Ma)
        rate = sa * dm
        inter = ds * dm
    else:
        mix = ds * ((ma_f + mb_f) / 2 - (Ma + Mb) / 2)
        rate = (sa + sb) / 2 * dm
        inter = np.zeros(len(levels))
    table = pd.DataFrame({"level": levels, "n_a": na.astype(np.int64), "n_b": nb.astype(np.int64),
                          "share_a": 100 * sa, "share_b": 100 * sb, "value_a": ma,
                          "value_b": mb, "mix": mix, "rate": rate, "interaction": inter,
                          "total": mix + rate + inter})
    from .design import configured_design
    dsg = configured_design(responses, design)
    extra = {}
    if dsg is not None:   # design-based SEs of the totals (issue 17)
        from .design import design_decomposition
        sides = {p: "b", **{q: "a" for q in base}}
        extra = {"uncertainty": design_decomposition(
            responses, (column, spec), by, sides, levels, dsg,
            weighted=wcol if wcol else False, method=method, conf=check_conf(conf)),
            "design": dsg.to_dict()}
    return Decomposition(spec.name, by, str(p), _label(base), Ma, Mb, Mb - Ma,
                         float(mix.sum()), float(rate.sum()), float(inter.sum()), table, method,
                         wcol is not None, spec.kind, **extra)


# --------------------------------------------------------------------------------------------
# trend
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Trend:
    """Result of :func:`trend`.

    Attributes
    ----------
    metric : str
    points : pandas.DataFrame
        One row per group × period: group columns, ``period``, ``value, se, ci_low, ci_high, n,
        n_eff``, the change from the previous period of the series (``change, change_p,
        change_p_adj, change_significant``; Holm-adjusted within each series) and the fitted
        line ``fitted``.
    slopes : pandas.DataFrame
        One row per group: ``slope`` (units per period), ``se, ci_low, ci_high, statistic,
        p_value, df, n_periods, first, last, method``.
    weighted : bool
    conf, alpha : float
    scale : str
    design : dict or None
        The survey design of design-based points (``design=``), else None.
    """

    metric: str
    points: pd.DataFrame = field(repr=False)
    slopes: pd.DataFrame = field(repr=False)
    weighted: bool = False
    conf: float = 0.95
    alpha: float = 0.05
    scale: str = "estimated"
    kind: str = ""
    #: The survey design (strata, cluster, fpc) of design-based points; None without one.
    design: dict | None = field(default=None, repr=False)

    def to_dict(self) -> dict:
        d = {"metric": self.metric, "weighted": self.weighted, "conf": self.conf,
             "scale": self.scale,
             "slopes": [{k: json_safe(v) for k, v in r.items()}
                        for r in self.slopes.to_dict("records")]}
        if self.design is not None:
            d["design"] = json_safe(self.design)
        return d

    def _repr_html_(self) -> str:
        """Designed HTML table in JupyterLab (the report's design); ``repr`` stays plain."""
        from ..report.tables import trend_html  # lazy: report is a later wing

        return trend_html(self)

    def __str__(self) -> str:
        dec = _decimals(_kind(self))
        lines = []
        for r in self.slopes.to_dict("records"):
            group = ", ".join(f"{k} {r[k]}" for k in self.slopes.columns[: self.slopes.columns.get_loc("slope")])
            lines.append(f"{_display(self.metric)}{' (' + group + ')' if group else ''} "
                         f"{r['first']}..{r['last']}: {_signed(r['slope'], dec + 1)}"
                         f"{_unit_suffix(_kind(self))} per period ({self.conf:.0%} CI "
                         f"{_num(r['ci_low'], dec + 1)} to {_num(r['ci_high'], dec + 1)}, "
                         f"{_fmt_p(r['p_value'])})")
        return "\n".join(lines)


def trend(responses, metric="nps", *, periods=None, by=None, weighted=False, conf=0.95,
          alpha=0.05, correction="holm", scale="estimated", method=None, end=None,
          design=None) -> Trend:
    """Per-period scores and the precision-weighted linear trend over three or more periods.

    Parameters
    ----------
    responses : pandas.DataFrame
        Canonical responses table with a ``period`` column.
    metric : str, MetricSpec or (column, kind), default "nps"
    periods : None, int or list, optional
        None: every period in the data (up to ``end``); an int k: the last k periods present
        up to ``end``; a list: those periods.
    by : str or list of str, optional
        One trend per group (e.g. ``"region"``).
    weighted : bool, default False
    conf : float, default 0.95
    alpha : float, default 0.05
        Level of the ``change_significant`` flags.
    correction : {"holm", "fdr-bh", "bonferroni", "none"}, default "holm"
        Adjustment of the period-to-period change tests within each series.
    scale : {"estimated", "fixed"}, default "estimated"
        ``"estimated"``: statsmodels WLS as is (residual scale estimated, t with k − 2 df), which
        widens the interval when months vary more than their sampling errors say (season,
        events); ``"fixed"``: the sampling variances taken as known (scale 1, z test).
    method : str, optional
        Method of the period-to-period change tests (see :func:`compare`).
    end : str or pandas.Period, optional
        Last period of the trend (e.g. the report month; ``"latest"`` allowed); default: the last
        period in the data.
    design : None, False, True, dict or cxkit.Design
        Survey design (``{"strata": column, "cluster": column, "fpc": …}``), as in
        :func:`cxkit.summarize`: each period's ``value, se, ci_low, ci_high, n_eff`` are then
        design-based (Taylor-linearised, the periods and groups as domains of the whole design,
        t on ``df`` = PSUs − strata, a ``df`` column is added), each ``change`` is the
        contrast of two domains with its linearised SE (their covariance included: periods
        may share PSUs) and ``change_p`` a t test on PSUs − strata − 1 df, as
        :func:`cxkit.score_changes`; the line is fitted with the design SEs, and with
        ``scale="fixed"`` the slope's SE is the design SE of the fitted linear combination of
        the period means (covariances included), t on PSUs − strata − 1 df (``method``
        ``"design-wls-fixed"``; ``"design-wls-estimated"`` keeps the WLS residual scale).
        None uses the configured ``design:`` when the table has one; False ignores it.
        Without a design the result is as before.

    Returns
    -------
    Trend
        ``.points`` and ``.slopes`` (see :class:`Trend`).

    Notes
    -----
    Each period's estimate y_t has sampling SE s_t (Wald / linearised,
    :func:`cxkit.histogram_moments`).  The trend is the weighted least-squares line
    y_t = β₀ + β₁ t with weights 1/s_t² (t = periods since the first, so gaps are respected):
    β̂ = (XᵀWX)⁻¹XᵀWy, Var(β̂) = σ̂²(XᵀWX)⁻¹ with σ̂² = Σ w_t e_t²/(k − 2) (``"estimated"``) or
    σ̂² = 1 (``"fixed"``).  Pooling all periods this way detects a slow drift of a fraction of a
    point per month that no month-to-month test can see.

    References
    ----------
    .. [1] Draper, N. R., & Smith, H. (1998). *Applied Regression Analysis*, 3rd ed., Wiley,
       ch. 9 (generalised and weighted least squares).
    .. [2] statsmodels ``WLS`` (Seabold & Perktold 2010).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> promoters, detractors = [40, 45, 41, 47, 46, 50], [30, 28, 31, 26, 27, 24]
    >>> df = pd.DataFrame({
    ...     "period": np.repeat(pd.period_range("2026-01", periods=6, freq="M"), 100),
    ...     "nps": np.concatenate([np.repeat([10, 8, 3], [p, 100 - p - d, d])
    ...                            for p, d in zip(promoters, detractors)])})
    >>> print(trend(df, "nps"))
    NPS 2026-01..2026-06: +2.78 points per period (95% CI 0.15 to 5.41, p = 0.043)
    """
    import statsmodels.api as sm

    check_conf(conf)
    check_argument("scale", ["estimated", "fixed"], scale)
    correction = check_method(CORRECTIONS, correction, "correction")
    responses = engine_frame(responses, metric, [] if by is None else by, weighted)
    responses = with_periods(responses)
    column, spec = resolve_metric(responses, metric)
    by = [] if by is None else ([by] if isinstance(by, str) else list(by))
    wcol = _weight_col(responses, weighted)
    per = _period_column(responses)
    present = sorted(per.dropna().unique())
    if end is not None:
        last = resolve_period(end, responses)
        present = [q for q in present if q <= last]
    if periods is None:
        chosen = present
    elif isinstance(periods, (int, np.integer)) and not isinstance(periods, bool):
        check_number("periods", int(periods), low=1, integer=True)
        chosen = present[-int(periods):]
    else:
        chosen = sorted(resolve_period(q, responses) for q in periods)
    if len(chosen) < 3:
        raise ValueError(f"A trend needs at least 3 periods, but {len(chosen)} were selected.")
    sides = {q: str(q) for q in chosen}
    t = _side_tally(responses, column, spec, wcol, sides, by)
    hd = _hists_from_tally(t, spec, ["_side"] + by)
    groups = sorted({k[1:] for k in hd}, key=lambda k: tuple(map(str, k)))
    q = _z(conf)
    from .design import configured_design
    dsg = configured_design(responses, design)
    dc = None
    if dsg is not None:   # design-based points and changes (issue 17): one tally by PSU
        from .design import DomainContrasts, _t_p
        if method not in (None, "linearized", "design-linearized"):
            raise ValueError(f"With a survey design the change tests are design-linearized; "
                             f"method={method!r} cannot be used (pass design=False for it).")
        dc = DomainContrasts(responses, (column, spec), by + ["period"], dsg,
                             weighted=wcol if wcol else False)
    rows, slopes = [], []
    p0 = chosen[0]
    for g in groups:
        series = [(pp, hd[(str(pp),) + g]) for pp in chosen if (str(pp),) + g in hd]
        grow = []
        prev = None
        for pp, h in series:
            if dc is not None:
                key = tuple(g) + (pp,)
                e = dc.estimate(key, conf)
                r = dict(zip(by, g))
                r.update({"period": pp, "value": e["value"], "se": e["se"],
                          "ci_low": e["ci_low"], "ci_high": e["ci_high"], "n": e["n"],
                          "n_eff": e["n_eff"], "df": e["df"], "change": math.nan,
                          "change_p": math.nan})
                if prev is not None:
                    diff, dse = dc.contrast({prev: -1.0, key: 1.0})
                    r["change"] = diff
                    r["change_p"] = _t_p(diff / dse if dse > 0 else math.nan, dc.df - 1)
                prev = key
                grow.append(r)
                continue
            est = _side_estimate(spec, h, conf)
            m = h.moments()
            r = dict(zip(by, g))
            r.update({"period": pp, "value": m.mean, "se": m.se, "ci_low": est.ci_low,
                      "ci_high": est.ci_high, "n": m.n, "n_eff": m.n_eff, "change": math.nan,
                      "change_p": math.nan})
            if prev is not None:
                c = _compare_hists(spec, prev, h, method=method, conf=conf)
                r["change"], r["change_p"] = c.diff, c.p_value
            prev = h
            grow.append(r)
        pts = pd.DataFrame(grow)
        pts["change_p_adj"] = _adjust(pts["change_p"], alpha, correction)
        pts["change_significant"] = np.nan_to_num(pts["change_p_adj"], nan=1.0) < alpha
        x = np.array([(pp - p0).n for pp in pts["period"]], dtype=float)
        y = pts["value"].to_numpy(dtype=float)
        se = pts["se"].to_numpy(dtype=float)
        ok = np.isfinite(y) & np.isfinite(se) & (se > 0)
        srow = dict(zip(by, g))
        srow.update({"slope": math.nan, "se": math.nan, "ci_low": math.nan, "ci_high": math.nan,
                     "statistic": math.nan, "p_value": math.nan, "df": math.nan,
                     "n_periods": int(ok.sum()), "first": str(pts["period"].iloc[0]),
                     "last": str(pts["period"].iloc[-1]),
                     "method": f"{'design-' if dc is not None else ''}wls-{scale}"})
        pts["fitted"] = math.nan
        if ok.sum() >= 3:
            X = sm.add_constant(x[ok], has_constant="add")
            fit = sm.WLS(y[ok], X, weights=1.0 / se[ok] ** 2).fit()
            beta = float(fit.params[1])
            if scale == "estimated":
                b_se = float(fit.bse[1])
                dof = float(fit.df_resid)
                crit = float(stats.t.ppf(0.5 + conf / 2, dof))
                stat = beta / b_se if b_se > 0 else math.nan
                pval = float(2 * stats.t.sf(abs(stat), dof)) if b_se > 0 else math.nan
            elif dc is not None:   # the slope is Σ c_t ȳ_t: its design SE, covariances kept
                Xo = X * (1.0 / se[ok] ** 2)[:, None]
                cvec = np.linalg.solve(X.T @ Xo, Xo.T)[1]
                keys = [tuple(g) + (pp,) for pp in pts["period"][ok]]
                _, b_se = dc.contrast(dict(zip(keys, cvec)))
                dof = dc.df - 1
                crit = float(stats.t.ppf(0.5 + conf / 2, dof))
                stat = beta / b_se if b_se > 0 else math.nan
                pval = _t_p(stat, dof)
            else:
                b_se = float(math.sqrt(fit.normalized_cov_params[1, 1]))
                dof = math.nan
                crit = q
                stat = beta / b_se
                pval = _p_from_z(stat, "two-sided")
            srow.update({"slope": beta, "se": b_se, "ci_low": beta - crit * b_se,
                         "ci_high": beta + crit * b_se, "statistic": stat, "p_value": pval,
                         "df": dof})
            pts["fitted"] = float(fit.params[0]) + beta * x
        rows.append(pts)
        slopes.append(srow)
    points = pd.concat(rows, ignore_index=True)
    return Trend(spec.name, points, pd.DataFrame(slopes), wcol is not None, conf, alpha, scale,
                 spec.kind, **({"design": dsg.to_dict()} if dsg is not None else {}))


# --------------------------------------------------------------------------------------------
# plain-language summary
# --------------------------------------------------------------------------------------------
def _verb(diff, significant):
    if not significant:
        return "went from"
    return "rose from" if diff > 0 else "fell from"


def describe_changes(result, *, max_segments=6, as_list=False):
    """Plain-language summary of a :func:`score_changes` result (or a list of them).

    Parameters
    ----------
    result : ScoreChanges, Comparison or list of them
    max_segments : int, default 6
        Segments listed per sentence at most (the largest adjusted effects first).
    as_list : bool, default False
        Return the sentences as a list (e.g. report findings) instead of one paragraph.

    Returns
    -------
    str or list of str
        E.g. "NPS fell from 39.8 in 2026-09 to 31.0 in 2026-10 (−8.9 points, 95% CI −12.7 to
        −5.0, p < 0.001; unweighted, n = 2,601 and 2,661)."  Non-significant changes are said as
        plainly ("no significant change"); segments with too few responses are counted.

    Notes
    -----
    "Significant" means p < α for the overall change and the multiplicity-adjusted p < α for
    segments (see :func:`score_changes`).  The wording never calls a non-significant difference
    a rise or a fall.

    References
    ----------
    .. [1] Wasserstein, R. L., & Lazar, N. A. (2016). The ASA statement on p-values. *The
       American Statistician* 70(2), 129–133 (report the estimate and its interval, not only p).

    Examples
    --------
    >>> describe_changes(compare_nps_counts((30, 40, 130), (45, 55, 100), method="wald"))
    'NPS fell from 50.0 to 27.5 (−22.5 points, 95% CI −37.7 to −7.3, p = 0.004; unweighted, n = 200 and 200).'
    """
    if isinstance(result, (list, tuple)):
        if as_list:
            return [x for r in result for x in describe_changes(r, max_segments=max_segments,
                                                                 as_list=True)]
        return "\n\n".join(describe_changes(r, max_segments=max_segments) for r in result)
    if isinstance(result, Comparison):
        one = _sentence(result, None, None, 1 - result.conf)
        return [one] if as_list else one
    if not isinstance(result, ScoreChanges):
        raise TypeError(f"describe_changes needs a ScoreChanges or Comparison, not "
                        f"{type(result).__name__}.")
    r = result
    parts = [_sentence(r.overall, r.baseline, r.period, r.alpha)]
    if len(r.table) and bool(r.table["too_few"].iloc[0]):
        parts.append(f"(Fewer than {r.min_n} responses on a side: treat the overall test with "
                     f"caution.)")
    dec = _decimals(_kind(r))
    corr = {"holm": "Holm-adjusted", "fdr-bh": "Benjamini–Hochberg-adjusted",
            "bonferroni": "Bonferroni-adjusted", "none": "unadjusted"}[r.correction]
    seg = r.table[r.table["dimension"] != "overall"]
    tested = int((~seg["too_few"]).sum())
    few = int(seg["too_few"].sum())
    few_txt = f"; {few} with fewer than {r.min_n} responses on a side not tested" if few else ""
    sig = seg[seg["significant"]].sort_values("p_adj")
    if len(seg) == 0:
        pass
    elif sig.empty:
        parts.append(f"No segment changed significantly ({tested} segment levels tested, {corr} "
                     f"p < {r.alpha:g}{few_txt}).")
    else:
        items = [f"{str(s.dimension).replace('_', ' ')} {s.level} {_signed(s.diff, dec)}{_unit_suffix(_kind(r))} "
                 f"({_num(s.value_a, dec)} → "
                 f"{_num(s.value_b, dec)}, {r.conf:.0%} CI {_num(s.ci_low, dec)} to "
                 f"{_num(s.ci_high, dec)}, adjusted {_fmt_p(s.p_adj)})"
                 for s in sig.head(max_segments).itertuples()]
        more = f" and {len(sig) - max_segments} more" if len(sig) > max_segments else ""
        parts.append(f"Significant segment changes ({corr} p < {r.alpha:g}, {tested} tested"
                     f"{few_txt}): " + "; ".join(items) + more + ".")
    vr = r.vs_rest
    if len(vr):
        vs = vr[vr["significant"]].sort_values("diff")
        if vs.empty:
            parts.append(f"No segment differs significantly from the rest of {r.period}.")
        else:
            below = vs[vs["diff"] < 0]
            above = vs[vs["diff"] > 0].iloc[::-1]
            for label, part in (("Below", below), ("Above", above)):
                if part.empty:
                    continue
                items = [f"{str(s.dimension).replace('_', ' ')} {s.level} {_num(s.value_b, dec)} ({_signed(s.diff, dec)} "
                         f"vs the rest, adjusted {_fmt_p(s.p_adj)})"
                         for s in part.head(max_segments).itertuples()]
                parts.append(f"{label} the rest of {r.period}: " + "; ".join(items) + ".")
    return parts if as_list else " ".join(parts)


def _sentence(c: Comparison, baseline, period, alpha) -> str:
    name = _display(c.metric)
    dec = _decimals(_kind(c))
    where_a = f" in {baseline}" if baseline else ""
    where_b = f" in {period}" if period else ""
    if math.isnan(c.diff):
        return f"{name}: no comparison possible{where_b} ({c.note})."
    sig = (not math.isnan(c.p_value)) and c.p_value < alpha
    how = "weighted" if c.weighted else "unweighted"
    n_txt = (f"n = {c.n_a:,} and {c.n_b:,}" if not c.weighted
             else f"n = {c.n_a:,} and {c.n_b:,}, effective {c.n_eff_a:,.0f} and {c.n_eff_b:,.0f}")
    core = (f"{name} {_verb(c.diff, sig)} {_num(c.value_a, dec)}{where_a} to "
            f"{_num(c.value_b, dec)}{where_b} ({_signed(c.diff, dec)}{_unit_suffix(_kind(c))}, "
            f"{c.conf:.0%} CI {_num(c.ci_low, dec)} to {_num(c.ci_high, dec)}, {_fmt_p(c.p_value)}; "
            f"{how}, {n_txt})")
    return core + ("." if sig else ": no significant change.")
