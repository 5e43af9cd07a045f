"""Competitor NPS on engine sources: brand and joint (paired) histograms computed in the engine.

:func:`cxkit.brand_comparison`, :func:`cxkit.brand_crosstab`, :func:`cxkit.rank_probabilities`
and :func:`cxkit.relationship_subset` accept an engine source (Parquet/CSV paths, a DuckDB
relation, an Ibis table, a PySpark DataFrame or an :class:`~cxkit.engines.sources.EngineSurvey`)
holding a relationship survey in one of the shapes cxkit reads:

* **wide** — one row per respondent, one 0–10 column per brand (NULL/NaN = does not know the
  brand), as :func:`cxkit.load_survey` returns it for a ``relationship:`` config;
* **long** — one row per respondent × brand rated (``relationship={"form": "long",
  "brand_column": ..., "score_column": ..., "respondent_column": ...}`` in :func:`cxkit.scan`);
  the engine pivots it to the wide shape on the respondent id (an Ibis ``GROUP BY`` with one
  conditional ``MAX`` per brand), refusing a respondent who rated a brand twice or whose weight
  differs between rows;
* **long without a respondent column** — independent samples, one per brand (as
  :func:`cxkit.brand_samples` gives them).

What comes back to Python is small and sufficient: for every competitor one **joint histogram**
of (own score, competitor score) — NULL and NaN scores and (weighted) the unusable-weight flag
are bins of their own, so the accounting comes from the same query — with ``n``, Σw and Σw² per
bin (``UNION ALL`` of one ``GROUP BY`` per competitor, :func:`pair_expression`).  Every number
of the pandas path follows from it: the per-brand histograms are its margins; a paired gap's
differences d = x_comp − x_own are constant within a joint bin, so the paired t / Wald /
linearised statistics (whose weighted variance is Σ_bins Σw²·(d − d̄)², cxkit.compare) and the
overlap test's Σz_i² = Σ_bins Σw²·f_bin² need nothing beyond the joint bins' Σw and Σw².  The
same cxkit code then computes the statistics (:func:`cxkit.stats.estimators.estimate_from_histogram`,
the paired and two-sample tests of :mod:`cxkit.stats.twosample`, the corrections, the benchmark
tests).  The rank probabilities' bootstrap over respondents needs the joint pattern of *all*
brands (with the weight value, when weighted): the engine returns the respondents' patterns
with their counts (at most min(respondents, 12^K) rows unweighted), and resampling n
respondents becomes one multinomial draw of pattern counts — the same bootstrap distribution
as the pandas path (which draws respondents by row position; the two agree in distribution, not
draw by draw).  Scores outside 0–10 raise :class:`cxkit.SurveyDataError` quoting the first
offending rows (a ``LIMIT`` query).  NULL, NaN, infinite and non-positive weights exclude the
respondent (counted); note that the pandas path keeps zero weights as rated-with-weight-0.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from ..core.errors import SurveyDataError
from ..core.metrics import Estimate, histogram_moments, metric_spec, nps_values

__all__ = ["pair_expression", "brand_histograms", "BrandHistograms"]

_SCALE = (0.0, 10.0, True)


# ------------------------------------------------------------------------------------------
# the source: a wide (or pivoted) Ibis table, or long independent samples
# ------------------------------------------------------------------------------------------

@dataclasses.dataclass
class _Source:
    survey: object          # EngineSurvey (runs the queries)
    table: object           # wide: one row per respondent; samples: the long table
    names: list             # brands, own first
    own: str
    cols: dict              # brand -> column of `table` (wide)
    weight: str | None      # weight column of `table`
    form: str               # "wide", "long" (pivoted) or "samples"
    long: tuple | None = None   # (long table, brand column, score column) for quoting rows


def _bad_weight(w):
    from .histograms import bad_weight
    return bad_weight(w)


def _numeric(survey, table, column, what):
    """A text column (e.g. a CSV column with 'ten' in it) is refused with its first offending
    rows (a LIMIT query) before any cast could fail inside the engine."""
    col = table[column]
    if col.type().is_numeric() or col.type().is_null():
        return table
    if not col.type().is_string():
        raise SurveyDataError(f"Column {column!r} ({what}) of {survey.name or 'the engine table'} "
                              f"has type {col.type()}, not numbers.", column=column)
    bad = col.notnull() & (col.strip() != "") & col.try_cast("float64").isnull()
    rows = survey.run(table.filter(bad).limit(5))
    if len(rows):
        raise SurveyDataError(
            f"Column {column!r} ({what}) of {survey.name or 'the engine table'} holds values that "
            f"are not numbers, e.g. {str(rows[column].iloc[0])!r}. First offending rows:\n"
            f"{rows.to_string(index=False, max_colwidth=30)}\nText in a score column is never "
            f"dropped silently: filter or recode it in the engine.", column=column)
    return table.mutate(**{column: col.try_cast("float64")})     # numbers as text; blank = NULL


def _meta(survey) -> dict:
    return (survey.attrs.get("cxkit", {}) or {}).get("relationship") or {}


def _resolve(source, own=None, brands=None, weighted=False) -> _Source:
    """The engine source as a wide table (pivoting long data) with the brands to compare."""
    import ibis

    from ..core.validate import check_columns, closest_column
    from .sources import as_survey

    survey = as_survey(source)
    meta = _meta(survey)
    own = own if own is not None else meta.get("own")
    if brands is None:
        brands = meta.get("brands")
    if brands is None:
        raise ValueError("Pass `brands=[...]` (the brand score columns, or the brands of the long "
                         "table): this engine source has no `relationship:` configuration "
                         "(cxkit.scan(source, relationship={...})).")
    names = [str(b) for b in brands]
    if own is None:
        own = names[0]
    own = str(own)
    if own not in names:
        names = [own] + names
    wcol = None
    if weighted:
        wcol = weighted if isinstance(weighted, str) else survey.weight
        if wcol is None:
            raise SurveyDataError("`weighted=True` needs the weight column: scan the source with "
                                  "cxkit.scan(source, weight=\"<column>\") or pass "
                                  "`weighted=\"<column>\"`.", column="weight")
        check_columns(survey, [wcol], "weight", "weighted")
    table = survey.expression()
    cols = list(table.columns)
    form = meta.get("form", "wide")
    if form != "long":
        missing = [b for b in names if b not in cols]
        if missing:
            close = closest_column(missing[0], cols)
            raise SurveyDataError(f"The engine table {survey.name or ''} has no brand column(s) "
                                  f"{missing}.{f' Did you mean {close!r}?' if close else ''} Columns "
                                  f"are {cols[:40]}.", column=missing[0])
        for b in names:
            table = _numeric(survey, table, b, f"ratings of {b}")
        if wcol is not None:
            table = _numeric(survey, table, wcol, "weight")
        return _Source(survey, table, names, own, {b: b for b in names}, wcol, "wide")
    bcol, scol = meta.get("brand_column"), meta.get("score_column")
    rcol = meta.get("respondent_column")
    for role, c in (("brand", bcol), ("score", scol), ("respondent", rcol)):
        if role != "respondent" and not c:
            raise SurveyDataError(f"A long relationship table needs `relationship={{'{role}_column': "
                                  f"...}}` (cxkit.scan).", column=str(role))
        if c is not None and c not in cols:
            close = closest_column(c, cols)
            raise SurveyDataError(f"The engine table {survey.name or ''} has no {role} column {c!r}"
                                  f"{f' (did you mean {close!r}?)' if close else ''}; columns are "
                                  f"{cols[:40]}. Fix `relationship.{role}_column`.", column=c)
    table = _numeric(survey, table, scol, "ratings")
    if wcol is not None:
        table = _numeric(survey, table, wcol, "weight")
    brand = table[bcol].cast("string")
    picked = table.filter(brand.isin(names))
    long = (picked, bcol, scol)
    if rcol is None:
        return _Source(survey, table, names, own, {}, wcol, "samples", long)
    # pivot on the respondent id: one conditional MAX per brand, counts to refuse duplicates
    score = table[scol].cast("float64")
    aggs = {}
    for i, b in enumerate(names):
        is_b = brand == ibis.literal(b)
        aggs[f"b{i}"] = score.max(where=is_b)
        aggs[f"k{i}"] = is_b.cast("int64").sum()
    if wcol is not None:
        w = table[wcol].cast("float64")
        aggs["_w"] = w.max()
        aggs["_w_min"] = w.min()
        aggs["_w_null"] = w.isnull().cast("int64").sum()
        aggs["_rows"] = table.count()
    wide = table.group_by(rcol).aggregate(**aggs)
    bad = wide[rcol].isnull()            # rows without a respondent id cannot be paired
    for i in range(len(names)):
        bad = bad | (wide[f"k{i}"] > 1)
    if wcol is not None:
        varies = ((wide["_w"] != wide["_w_min"])
                  | ((wide["_w_null"] > 0) & (wide["_w_null"] < wide["_rows"])))
        bad = bad | varies.fill_null(False)
    rows = survey.run(wide.filter(bad).limit(5))
    if len(rows):
        r = rows.iloc[0]
        dup = [b for i, b in enumerate(names) if int(r[f"k{i}"]) > 1]
        shown = ", ".join(repr(str(x)) for x in rows[rcol].tolist())
        if pd.isna(r[rcol]):
            raise SurveyDataError(f"The long relationship table {survey.name or ''} has rows "
                                  f"without a respondent id (column {rcol!r} is blank); every "
                                  f"rating needs its respondent to be paired. Fill or drop them.",
                                  column=rcol)
        if dup:
            msg = (f"respondent {r[rcol]!r} rated {dup[0]!r} {int(r[f'k{names.index(dup[0])}'])} "
                   f"times; keep one row per respondent and brand")
        else:
            msg = (f"the weight column {wcol!r} takes different values for respondent "
                   f"{r[rcol]!r}; the weight must be constant per respondent")
        raise SurveyDataError(f"The long relationship table {survey.name or ''}: {msg} (first "
                              f"respondents concerned: {shown}).", column=rcol)
    keep = {rcol: wide[rcol], **{f"b{i}": wide[f"b{i}"] for i in range(len(names))}}
    if wcol is not None:
        keep["_w"] = wide["_w"]
    wide = wide.select(**keep)
    return _Source(survey, wide, names, own, {b: f"b{i}" for i, b in enumerate(names)},
                   "_w" if wcol is not None else None, "long", long)


# ------------------------------------------------------------------------------------------
# the aggregates (Ibis expressions)
# ------------------------------------------------------------------------------------------

def pair_expression(table, own, others, weight=None):
    """The joint histograms of (own score, competitor score), one ``GROUP BY`` per competitor.

    Parameters
    ----------
    table : ibis.Table
        Wide: one row per respondent.
    own : str
        Column of the own brand's score.
    others : dict
        Label → column of each competitor.
    weight : str, optional
        Weight column: the bins are split by whether the weight is unusable (``w_bad``: NULL,
        NaN, ±inf or ≤ 0) and carry Σw (``w``) and Σw² (``w2``).

    Returns
    -------
    ibis.Table
        ``pair``, ``own``, ``other`` (scores as float64; NULL and NaN are bins of their own),
        [``w_bad``], ``n`` [, ``w``, ``w2``]: a ``UNION ALL`` of the per-competitor aggregates.

    Examples
    --------
    >>> import ibis
    >>> t = ibis.table({"Acme": "float64", "Corvo": "float64"}, name="relationship")
    >>> sql = ibis.to_sql(pair_expression(t, "Acme", {"Corvo": "Corvo"}), dialect="duckdb")
    >>> "GROUP BY" in str(sql)
    True
    """
    import ibis

    from .histograms import binned_counts

    parts = []
    for label, col in others.items():
        cols = {"pair": ibis.literal(str(label)), "own": table[own].cast("float64"),
                "other": table[col].cast("float64")}
        parts.append(binned_counts(table, cols, weight))
    out = parts[0]
    for p in parts[1:]:
        out = out.union(p, distinct=False)
    return out


def _samples_expression(src: _Source):
    """Per-brand histograms of independent samples (long table without respondents)."""
    picked, bcol, scol = src.long
    cols = {"brand": picked[bcol].cast("string"), "score": picked[scol].cast("float64")}
    if src.weight is not None:
        w = picked[src.weight].cast("float64")
        cols["w_bad"] = _bad_weight(w)
        cols["_w"] = w
    t = picked.select(**cols)
    aggs = {"n": t.count()}
    if src.weight is not None:
        aggs["w"] = t["_w"].sum()
        aggs["w2"] = (t["_w"] * t["_w"]).sum()
    keys = ["brand", "score"] + (["w_bad"] if src.weight is not None else [])
    return t.group_by(keys).aggregate(**aggs)


def _clean(raw: pd.DataFrame, weighted: bool, score_cols) -> pd.DataFrame:
    """Engine bins as floats: NULL/NaN scores NaN; ``bad`` = unusable weight; w, w2 = n when
    unweighted and 0 in bad bins."""
    raw = raw.reset_index(drop=True).copy()
    for c in score_cols:
        raw[c] = pd.to_numeric(raw[c], errors="coerce").astype(float)
    raw["n"] = pd.to_numeric(raw["n"]).astype(np.int64)
    if weighted:
        raw["bad"] = raw["w_bad"].fillna(True).astype(bool)
        for c in ("w", "w2"):
            raw[c] = np.where(raw["bad"], 0.0, pd.to_numeric(raw[c], errors="coerce").astype(float))
    else:
        raw["bad"] = False
        raw["w"] = raw["n"].astype(float)
        raw["w2"] = raw["n"].astype(float)
    return raw


def _scale_check(src: _Source, brand, scores, counts):
    """Scores outside whole 0–10: the message quotes the first offending rows (LIMIT query)."""
    from .histograms import _check_scale

    hist = pd.DataFrame({"score": np.asarray(scores, dtype=float), "n": np.asarray(counts)})
    hist = hist[np.isfinite(hist["score"]) | np.isinf(hist["score"])]
    if not len(hist):
        return
    spec = metric_spec("nps", name=str(brand))
    if src.long is None:
        _check_scale(src.survey, src.table, src.cols[brand], spec, _SCALE, hist)
    else:
        picked, bcol, scol = src.long
        _check_scale(src.survey, picked.filter(picked[bcol].cast("string") == str(brand)), scol,
                     spec, _SCALE, hist)


@dataclasses.dataclass
class BrandHistograms:
    """What the engine returns for a brand comparison (see :func:`brand_histograms`).

    ``brands``: brand → DataFrame ``score, n, w, w2`` of the valid ratings (usable weight);
    ``joint``: competitor → DataFrame ``own, other, n, w, w2`` of all respondents with a usable
    weight (NaN = not rated), empty for independent samples; ``rows``: respondents (rows of the
    wide table; ratings for independent samples); ``info``: exclusion counts.
    """

    names: list
    own: str
    paired: bool
    weighted: bool
    brands: dict
    joint: dict
    rows: int
    info: dict


def brand_histograms(source, own=None, brands=None, *, weighted=False) -> BrandHistograms:
    """Per-brand and joint (own × competitor) score histograms, computed in the engine.

    Parameters
    ----------
    source : engine source
        Paths, DuckDB relation, Ibis table, PySpark DataFrame or EngineSurvey holding a wide
        or long relationship table (see the module docstring).
    own, brands, weighted
        As in :func:`cxkit.brand_comparison`.

    Returns
    -------
    BrandHistograms

    Examples
    --------
    >>> import duckdb
    >>> rel = duckdb.sql("select 10 as A, 3 as B union all select 9, NULL union all select 7, 8")
    >>> h = brand_histograms(rel, brands=["A", "B"])
    >>> h.joint["B"][["own", "other", "n"]].to_dict("list")
    {'own': [7.0, 9.0, 10.0], 'other': [8.0, nan, 3.0], 'n': [1, 1, 1]}
    """
    src = _resolve(source, own, brands, weighted)
    return _histograms(src)


def _histograms(src: _Source) -> BrandHistograms:
    wtd = src.weight is not None
    if src.form == "samples":
        raw = _clean(src.survey.run(_samples_expression(src)), wtd, ["score"])
        out, info = {}, {"rows": int(raw["n"].sum()),
                         "missing_weight": int(raw.loc[raw["bad"], "n"].sum()) if wtd else 0}
        for b in src.names:
            g = raw[(raw["brand"] == b)]
            _scale_check(src, b, g["score"], g["n"])
            ok = g[g["score"].notna() & ~g["bad"]]
            out[b] = ok.groupby("score", as_index=False)[["n", "w", "w2"]].sum()
            info[f"missing_score:{b}"] = int(g.loc[g["score"].isna(), "n"].sum())
        rows = int(raw["n"].sum())
        return BrandHistograms(src.names, src.own, False, wtd, out, {}, rows, info)
    others = {b: src.cols[b] for b in src.names if b != src.own}
    raw = _clean(src.survey.run(pair_expression(src.table, src.cols[src.own], others, src.weight)),
                 wtd, ["own", "other"])
    joint, hists = {}, {}
    first = next(iter(others))
    rows = int(raw.loc[raw["pair"] == first, "n"].sum())
    info = {"rows": rows}
    if wtd:
        info["missing_weight"] = int(raw.loc[(raw["pair"] == first) & raw["bad"], "n"].sum())
    for b in others:
        g = raw[raw["pair"] == b]
        if b == first:
            _scale_check(src, src.own, g["own"], g["n"])
        _scale_check(src, b, g["other"], g["n"])
        ok = g[~g["bad"]]
        joint[b] = (ok.groupby(["own", "other"], as_index=False, dropna=False)[["n", "w", "w2"]]
                    .sum().sort_values(["own", "other"], kind="stable").reset_index(drop=True))
        v = ok[ok["other"].notna()]
        hists[b] = v.groupby("other", as_index=False)[["n", "w", "w2"]].sum().rename(
            columns={"other": "score"})
        if b == first:
            v = ok[ok["own"].notna()]
            hists[src.own] = v.groupby("own", as_index=False)[["n", "w", "w2"]].sum().rename(
                columns={"own": "score"})
            info[f"missing_score:{src.own}"] = int(ok.loc[ok["own"].isna(), "n"].sum())
        info[f"missing_score:{b}"] = int(ok.loc[ok["other"].isna(), "n"].sum())
    hists = {b: hists[b].sort_values("score").reset_index(drop=True) for b in src.names}
    return BrandHistograms(src.names, src.own, True, wtd, hists, joint, rows, info)


# ------------------------------------------------------------------------------------------
# the statistics, from the histograms (the pandas path's code)
# ------------------------------------------------------------------------------------------

def _wsums(h, weighted):
    return (h["w"].to_numpy(float), h["w2"].to_numpy(float)) if weighted else (None, None)


def _brand_row(name, h, *, weighted, conf, method, is_own, n_rows):
    from ..stats.estimators import estimate_from_histogram

    s = h["score"].to_numpy(float)
    n = h["n"].to_numpy(np.int64)
    w, w2 = _wsums(h, weighted)
    est = estimate_from_histogram(s, n, w, w2, metric="nps", method=method, conf=conf)
    from ..stats.competitors import _brand_record

    return _brand_record(name, is_own, est, nps_values(s),
                         n.astype(float) if w is None else w, int(n.sum()), n_rows)


def _paired_gap(j, weighted, method, *, conf, alternative):
    """:func:`cxkit.stats.competitors.brand_gap` (paired-t / paired-wald) from the joint bins
    of the respondents rating both: ``compare(..., paired=True)``'s code on histograms."""
    from ..stats.estimators import _equal_weights
    from ..stats.twosample import _collapse, _nan_comparison, _paired_comparison, _resolve_method

    spec = metric_spec("nps")
    both = j[j["own"].notna() & j["other"].notna()]
    va, vb = spec.values(both["own"].to_numpy(float)), spec.values(both["other"].to_numpy(float))
    n = both["n"].to_numpy(float)
    w, w2 = _wsums(both, weighted)
    method = None if method == "paired-t" else ("paired-wald" if not weighted else "paired-linearized")
    h = _collapse(vb - va, n, w, w2)
    if weighted and method is None and _equal_weights(h.n, h.w, h.w2):
        res = _paired_gap(j, False, "paired-t", conf=conf, alternative=alternative)
        return dataclasses.replace(res, weighted=True)
    method = _resolve_method(spec, method, weighted, True)
    ha, hb = _collapse(va, n, w, w2), _collapse(vb, n, w, w2)
    ma, mb, md = ha.moments(), hb.moments(), h.moments()
    if md.n < 2:
        return _nan_comparison(spec, ha, hb, method, conf, alternative, weighted,
                               "fewer than 2 complete pairs", True, 0)
    return _paired_comparison(spec, ma, mb, md, method=method, conf=conf,
                              alternative=alternative, weighted=weighted, excluded=0)


def _overlap_gap(j, weighted, rows, *, conf, alternative):
    """:func:`cxkit.stats.competitors._overlap_gap` from the joint bins (NaN = not rated):
    the influence z_i is constant within a bin times w_i, so Σz_i² = Σ_bins f²·Σw²."""
    from scipy import stats as _st

    from ..stats.twosample import Comparison, _p_from_t

    so, sc = j["own"].to_numpy(float), j["other"].to_numpy(float)
    n = j["n"].to_numpy(float)
    w, w2 = (j["w"].to_numpy(float), j["w2"].to_numpy(float)) if weighted else (n, n)
    ko, kc = np.isfinite(so), np.isfinite(sc)
    xo = np.where(ko, nps_values(np.where(ko, so, 0.0)), 0.0)
    xc = np.where(kc, nps_values(np.where(kc, sc, 0.0)), 0.0)
    Wo, Wc = float((w * ko).sum()), float((w * kc).sum())
    either = ko | kc
    N = int(n[either].sum())
    excluded = int(rows - N)        # rating neither brand, or an unusable weight
    n_eff = [float((w * k).sum() ** 2 / (w2 * k).sum()) if k.any() else 0.0 for k in (ko, kc)]
    nan = math.nan
    n_o, n_c = int(n[ko].sum()), int(n[kc].sum())
    if Wo <= 0 or Wc <= 0 or N < 2:
        return Comparison("nps", nan, nan, nan, nan, nan, nan, n_o, n_c, n_eff[0], n_eff[1],
                          "overlap-linearized", conf=conf, alternative=alternative,
                          weighted=weighted, paired=True, n_excluded=excluded,
                          note="too few ratings of a brand")
    mo, mc = float((w * xo).sum() / Wo), float((w * xc).sum() / Wc)
    f = kc * (xc - mc) / Wc - ko * (xo - mo) / Wo
    se = math.sqrt(N / (N - 1) * float((w2 * f * f).sum()))
    diff = mc - mo
    stat = diff / se if se > 0 else nan
    df = N - 1
    q = float(_st.t.ppf(0.5 + conf / 2, df))
    p = _p_from_t(stat, df, alternative) if math.isfinite(stat) else nan
    return Comparison("nps", diff, se, diff - q * se, diff + q * se, stat, float(p), n_o, n_c,
                      n_eff[0], n_eff[1], "overlap-linearized", mo, mc, conf, alternative,
                      weighted, True, excluded, float(df), "" if se > 0 else "no variation")


def _independent_gap(ho, hb, weighted, method, *, conf, alternative):
    """``compare(own, competitor, paired=False)`` from the two brand histograms."""
    from ..stats.twosample import _compare_hists, _Hist

    spec = metric_spec("nps")

    def hist(h):
        s = h["score"].to_numpy(float)
        w, w2 = _wsums(h, weighted)
        return _Hist(spec.values(s), h["n"].to_numpy(np.int64), w, w2, s)

    return _compare_hists(spec, hist(ho), hist(hb), method=method, conf=conf,
                          alternative=alternative)


def _gap_row(H: BrandHistograms, brand, *, conf, alternative, paired_method, independent_method):
    j = H.joint.get(brand)
    n_pairs = int(j.loc[j["own"].notna() & j["other"].notna(), "n"].sum()) if j is not None else 0
    if n_pairs >= 1:
        if paired_method == "overlap":
            res = _overlap_gap(j, H.weighted, H.rows, conf=conf, alternative=alternative)
        else:
            res = _paired_gap(j, H.weighted, paired_method, conf=conf, alternative=alternative)
        design = "paired"
        on = ("everyone rating either brand (overlap)" if paired_method == "overlap"
              else "respondents rating both")
    else:
        res = _independent_gap(H.brands[H.own], H.brands[brand], H.weighted, independent_method,
                               conf=conf, alternative=alternative)
        design = "independent"
        on = "separate samples" if not H.paired else "no respondent rates both"
    row = {"brand": brand, "own_brand": H.own, "gap": res.diff, "se": res.se,
           "ci_low": res.ci_low, "ci_high": res.ci_high, "statistic": res.statistic,
           "p_value": res.p_value, "n_own": res.n_a, "n_brand": res.n_b, "n_pairs": n_pairs,
           "design": design, "basis": on, "method": res.method, "note": res.note}
    if design == "paired":
        both = j[j["own"].notna() & j["other"].notna()]
        ww = both["w"].to_numpy(float)
        row["own_nps_pairs"] = float((nps_values(both["own"].to_numpy(float)) * ww).sum() / ww.sum())
        row["brand_nps_pairs"] = float((nps_values(both["other"].to_numpy(float)) * ww).sum()
                                       / ww.sum())
    else:
        row["own_nps_pairs"] = row["brand_nps_pairs"] = math.nan
    return row


def _joint_counts(H: BrandHistograms, brand):
    """3 × 3 own × competitor category table (Σw when weighted) and the pairs' count."""
    j = H.joint[brand]
    both = j[j["own"].notna() & j["other"].notna()]

    def cat(s):
        v = nps_values(s.to_numpy(float))
        return np.where(v == -100.0, 0, np.where(v == 0.0, 1, 2))

    wt = both["w"].to_numpy(float) if H.weighted else both["n"].to_numpy(float)
    counts = np.bincount(cat(both["own"]) * 3 + cat(both["other"]), weights=wt,
                         minlength=9).reshape(3, 3)
    return counts, int(both["n"].sum())


# ------------------------------------------------------------------------------------------
# rank probabilities: the respondent bootstrap as a multinomial over response patterns
# ------------------------------------------------------------------------------------------

def _patterns(src: _Source):
    """(X, R, counts): per response pattern the weighted recoded ratings, the weights of the
    rated brands and the number of respondents with it (GROUP BY all brand scores [+ weight])."""
    cols = {f"s{i}": src.table[src.cols[b]].cast("float64") for i, b in enumerate(src.names)}
    if src.weight is not None:
        cols["wt"] = src.table[src.weight].cast("float64")
    t = src.table.select(**cols)
    raw = src.survey.run(t.group_by(list(cols)).aggregate(n=t.count()))
    keys = list(cols)
    for k in keys:           # NULL and NaN are one "not rated" (bad weight: 0); then merged
        raw[k] = pd.to_numeric(raw[k], errors="coerce").astype(float)
    raw["n"] = pd.to_numeric(raw["n"]).astype(np.int64)
    for i, b in enumerate(src.names):      # the scale, on the patterns' distinct scores
        _scale_check(src, b, raw[f"s{i}"], raw["n"])
    if src.weight is not None:
        w = raw["wt"].to_numpy(float)
        raw["wt"] = np.where(np.isfinite(w) & (w > 0), w, 0.0)
    # one row per pattern, in a fixed order: the same draws whatever order the engine returns
    raw = (raw.groupby(keys, dropna=False, as_index=False)["n"].sum()
           .sort_values(keys, kind="stable", na_position="last").reset_index(drop=True))
    counts = raw["n"].to_numpy(np.int64)
    K = len(src.names)
    w = raw["wt"].to_numpy(float) if src.weight is not None else np.ones(len(raw))
    X = np.zeros((len(raw), K))
    R = np.zeros((len(raw), K))
    for i in range(K):
        s = pd.to_numeric(raw[f"s{i}"], errors="coerce").to_numpy(float)
        ok = np.isfinite(s) & (w > 0)
        R[:, i] = np.where(ok, w, 0.0)
        X[:, i] = np.where(ok, nps_values(np.where(ok, s, 0.0)), 0.0) * R[:, i]
    return X, R, counts


def _boot_patterns(X, R, counts, n_boot, rng, chunk_cells=4_000_000):
    """(n_boot × K) bootstrap NPS: pattern counts ~ Multinomial(n, counts / n) per replicate —
    the distribution of the pattern counts when n respondents are drawn with replacement."""
    n = int(counts.sum())
    P, K = X.shape
    out = np.empty((n_boot, K))
    if n == 0:
        out[:] = np.nan
        return out
    p = counts / n
    step = max(1, min(n_boot, chunk_cells // max(P, 1)))
    for start in range(0, n_boot, step):
        b = min(step, n_boot - start)
        C = rng.multinomial(n, p, size=b).astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[start:start + b] = (C @ X) / (C @ R)
    return out


def _boot_samples(H: BrandHistograms, n_boot, rng, weights=None, chunk_cells=4_000_000):
    """Independent samples: each brand's histogram resampled on its own (multinomial)."""
    out = np.empty((n_boot, len(H.names)))
    for k, b in enumerate(H.names):
        h = H.brands[b]
        c = h["n"].to_numpy(np.int64)
        n = int(c.sum())
        if n == 0:
            out[:, k] = np.nan
            continue
        v = nps_values(h["score"].to_numpy(float))
        wt = np.ones(len(c))
        if weights is not None:           # bins of (score, weight value): weights differ
            c, v, wt = weights[b]
            n = int(c.sum())
        p = c / n
        step = max(1, min(n_boot, chunk_cells // max(len(c), 1)))
        for start in range(0, n_boot, step):
            bb = min(step, n_boot - start)
            C = rng.multinomial(n, p, size=bb).astype(float)
            with np.errstate(invalid="ignore", divide="ignore"):
                out[start:start + bb, k] = (C @ (v * wt)) / (C @ wt)
    return out


def _sample_weights(src: _Source) -> dict:
    """Independent samples, weighted: brand → (counts, recoded score, weight) per bin of
    (score, weight value) over the valid ratings (GROUP BY brand, score, weight)."""
    picked, bcol, scol = src.long
    w = picked[src.weight].cast("float64")
    s = picked[scol].cast("float64")
    t = picked.select(brand=picked[bcol].cast("string"), score=s, wt=w)
    t = t.filter(t["score"].notnull() & ~t["score"].isnan() & ~_bad_weight(t["wt"]))
    raw = src.survey.run(t.group_by(["brand", "score", "wt"]).aggregate(n=t.count()))
    for k in ("score", "wt"):
        raw[k] = pd.to_numeric(raw[k]).astype(float)
    raw["n"] = pd.to_numeric(raw["n"]).astype(np.int64)
    raw = raw.sort_values(["brand", "score", "wt"], kind="stable").reset_index(drop=True)
    out = {}
    for b in src.names:
        g = raw[raw["brand"] == b]
        out[b] = (g["n"].to_numpy(np.int64), nps_values(g["score"].to_numpy(float)),
                  g["wt"].to_numpy(float))
    return out


def _ranks(src, H, n_boot, seed):
    from ..stats.competitors import _rank_table
    from ..stats.estimators import _rng

    rng = _rng(seed)
    if src.form == "samples":
        boot = _boot_samples(H, int(n_boot), rng,
                             _sample_weights(src) if src.weight is not None else None)
    else:
        X, R, counts = _patterns(src)
        boot = _boot_patterns(X, R, counts, int(n_boot), rng)
    return _rank_table(src.names, boot)


# ------------------------------------------------------------------------------------------
# the public entries behind cxkit's functions
# ------------------------------------------------------------------------------------------

def engine_brand_comparison(source, own=None, brands=None, *, conf=0.95, alpha=0.05,
                            correction="holm", weighted=False, n_boot=2000, seed=0,
                            benchmarks=None, method="score", paired_method="paired-t",
                            independent_method=None, alternative="two-sided"):
    """:func:`cxkit.brand_comparison` of an engine source (arguments checked by the caller)."""
    from ..stats.competitors import (_CORRECTIONS, BrandComparison, _adjust, _benchmark_table,
                                     _tidy_crosstab)

    src = _resolve(source, own, brands, weighted)
    if len(src.names) < 2:
        raise ValueError("`brand_comparison` needs the own brand and at least one competitor.")
    H = _histograms(src)
    n_rows = H.rows if H.paired else None
    rows = []
    for b in H.names:
        n_b = n_rows if n_rows is not None else int(H.brands[b]["n"].sum())
        rows.append(_brand_row(b, H.brands[b], weighted=H.weighted, conf=conf, method=method,
                               is_own=(b == H.own), n_rows=n_b))
    table = pd.DataFrame(rows)
    table["n"] = table["n"].astype(np.int64)
    if not H.paired:
        table["rated_pct"] = math.nan
    table.attrs["engine"] = dict(H.info)

    gaps = pd.DataFrame([_gap_row(H, b, conf=conf, alternative=alternative,
                                  paired_method=paired_method,
                                  independent_method=independent_method)
                         for b in H.names if b != H.own])
    corr = _CORRECTIONS[correction]
    gaps.insert(gaps.columns.get_loc("p_value") + 1, "p_adj",
                _adjust(gaps["p_value"], alpha, corr))
    gaps.insert(gaps.columns.get_loc("p_adj") + 1, "significant", gaps["p_adj"] < alpha)

    if n_boot:
        ranks = _ranks(src, H, n_boot, seed)
    else:
        ranks = pd.DataFrame({"brand": H.names})
    ranks.attrs["n_boot"] = int(n_boot)

    ho = H.brands[H.own]
    w, w2 = _wsums(ho, H.weighted)
    m = histogram_moments(nps_values(ho["score"].to_numpy(float)), ho["n"].to_numpy(float), w, w2)
    est = Estimate("nps", m.mean, m.se, math.nan, math.nan, m.n, m.n_eff)
    bench = _benchmark_table(H.own, est, benchmarks, conf=conf, alpha=alpha,
                            alternative=alternative)

    if H.paired:
        comps = [b for b in H.names if b != H.own]
        xt = _tidy_crosstab(H.own, [(c, *_joint_counts(H, c)) for c in comps], H.weighted)
        n_resp = H.rows
    else:
        xt = pd.DataFrame()
        n_resp = H.rows
    return BrandComparison(
        brands=table, gaps=gaps, ranks=ranks, benchmarks=bench, crosstab=xt, own=H.own,
        conf=conf, alpha=alpha, correction=correction, weighted=bool(weighted),
        n_boot=int(n_boot), seed=seed if isinstance(seed, (int, type(None))) else "generator",
        design="paired" if H.paired else "independent", n_respondents=n_resp)


def engine_joint_counts(source, own, competitors, weighted=False) -> dict:
    """competitor → (3 × 3 own × competitor category table, respondents rating both),
    from the joint histograms computed in the engine (:func:`cxkit.brand_crosstab`)."""
    src = _resolve(source, own, [own] + list(competitors), weighted)
    if src.form == "samples":
        raise SurveyDataError("Who-moves-where tables need the same respondents rating both "
                              "brands; this long table has no respondent column "
                              "(relationship={'respondent_column': ...}).", column="respondent")
    H = _histograms(src)
    return {c: _joint_counts(H, c) for c in competitors}


def engine_rank_probabilities(source, brands=None, *, weighted=False, n_boot=2000, seed=0):
    """:func:`cxkit.rank_probabilities` of an engine source."""
    src = _resolve(source, None, brands, weighted)
    if brands is not None:
        src.names = [str(b) for b in brands]
    H = _histograms(src) if src.form == "samples" else None     # patterns check the scale
    out = _ranks(src, H, n_boot, seed)
    out.attrs["n_boot"] = int(n_boot)
    return out


def engine_relationship_subset(source, period="all", segment=""):
    """:func:`cxkit.relationship_subset` of an engine source: an EngineSurvey whose table is
    filtered in the engine (the period from the date column, segments by value)."""
    from ..core.periods import resolve_period
    from .sources import as_survey

    survey = as_survey(source)
    table = survey.table
    text = str(period).strip()
    label = "all periods"
    if text.lower() not in ("all", "*"):
        if survey.date is None and "period" not in table.columns:
            raise ValueError("Selecting a period needs a date column (cxkit.scan(source, "
                             "date=...)).")
        expr = survey.expression()
        got = survey.run(expr.select("period").distinct())["period"]
        if survey.date is not None and "period" not in table.columns:
            per = pd.PeriodIndex(pd.to_datetime(got.dropna()), freq=survey.period)
        else:
            per = pd.PeriodIndex(got.dropna().astype(str), freq=survey.period)
        ref = pd.DataFrame({"period": pd.Series(per).sort_values().reset_index(drop=True)})
        ref.attrs["cxkit"] = {"period": survey.period}
        if ":" in text:
            lo, hi = (resolve_period(x.strip(), ref) for x in text.split(":", 1))
            keep = [p for p in per if lo <= p <= hi]
            label = f"{lo} to {hi}"
        else:
            p = resolve_period(text, ref)
            keep = [x for x in per if x == p]
            label = str(p)
        if survey.date is not None and "period" not in table.columns:
            d = table[survey.date]
            if not d.type().is_temporal():
                d = d.cast("timestamp")
            key = d.truncate(survey.period)
            vals = [k.start_time.to_pydatetime() for k in keep]
        else:
            key = table["period"].cast("string")
            vals = [str(k) for k in keep]
        table = table.filter(key.isin(vals)) if vals else table.filter(key.isnull() & key.notnull())
    from ..stats.competitors import _segment_filters

    seg_label = []
    for col, vals in _segment_filters(
            segment, table.columns,
            lambda c: survey.run(table.select(v=table[c].cast("string")).distinct())["v"].dropna()):
        table = table.filter(table[col].cast("string").isin(vals))
        seg_label.append(f"{col} = {' or '.join(vals)}")
    rel = _meta(survey)
    rcol = rel.get("respondent_column") if rel.get("form") == "long" else None
    count = table[rcol].nunique() if rcol is not None else table.count()   # respondents
    rows = int(survey.run(table.aggregate(n=count))["n"].iloc[0])
    meta = dict(getattr(survey, "meta", {}) or {})
    meta["selection"] = {"period": label, "segment": "; ".join(seg_label) or "all respondents",
                         "rows": rows}
    return dataclasses.replace(survey, table=table, meta=meta)
