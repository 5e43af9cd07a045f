"""Aggregated sources: shares (or counts) and a sample size per group, instead of respondents.

Vendor dashboards, benchmarks and public programmes such as the HCAHPS hospital survey publish
one row per group (state, period, segment …) with the share of each answer category and the
number of responses.  :func:`from_aggregates` turns such a table into an **aggregated
responses frame**: one row per group and score bin, with the bin's score (NPS detractors → 0,
passives → 7, promoters → 10; or the scores given) and a ``count`` column holding the number of
responses in the bin.  ``attrs["cxkit"]["count"] = "count"`` tells :func:`cxkit.tally` to count
each row ``count`` times, so :func:`cxkit.summarize`, :func:`cxkit.score_changes`,
:func:`cxkit.trend` and :func:`cxkit.compare` (given two such frames) work on it unchanged.

A design effect (``deff``, one number or a column) is kept in a ``deff`` column: the tally then
carries Σw = count and Σw² = count·deff per bin, i.e. the variance of a design with Kish
effective size n/deff, so every interval and test is widened by √deff (the estimates are then
reported as ``weighted`` with ``n_eff = n/deff``).

The rounding of published shares is *not* part of these intervals (they are sampling
intervals); use :func:`cxkit.nps_from_shares` / :func:`cxkit.compare_shares` with ``rounding=``
for the envelope that also covers it.  ``attrs["cxkit"]["rounding"]`` records it.

Counts from shares are apportioned by the largest-remainder (Hamilton) method, so they are
whole numbers that sum to n exactly and each differs from share·n/100 by less than one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.errors import SurveyDataError
from ..core.metrics import MetricSpec, metric_spec

__all__ = ["from_aggregates", "apportion", "NPS_BINS"]

#: Representative scores of the NPS categories (any score of the category gives the same NPS).
NPS_BINS = {"detractors": 0.0, "passives": 7.0, "promoters": 10.0}


def apportion(shares, n) -> np.ndarray:
    """Whole counts summing to ``n`` in proportion to ``shares`` (largest remainder).

    >>> apportion([8, 21, 71], 1001).tolist()
    [80, 210, 711]
    """
    s = np.asarray(shares, dtype=float)
    q = s / s.sum() * n
    base = np.floor(q).astype(np.int64)
    left = int(round(n)) - int(base.sum())
    if left > 0:
        order = np.argsort(-(q - base), kind="stable")
        base[order[:left]] += 1
    return base


def _bins(spec_map, metric):
    """[(score value, column)] from a shares/counts mapping (score → column, or the NPS
    category names)."""
    out = []
    for k, col in spec_map.items():
        if isinstance(k, str) and k.strip().lower() in NPS_BINS:
            if metric != "nps":
                raise ValueError(f"bin {k!r} names an NPS category but the metric is {metric!r}; "
                                 f"key the columns by score instead.")
            out.append((NPS_BINS[k.strip().lower()], str(col)))
        else:
            try:
                out.append((float(k), str(col)))
            except (TypeError, ValueError):
                raise ValueError(f"bin {k!r} must be a score (e.g. 0, 7, 10) or one of "
                                 f"{list(NPS_BINS)}.") from None
    if len({v for v, _ in out}) != len(out):
        raise ValueError("two columns map to the same score.")
    return out


def _aggregate(df, *, shares=None, counts=None, n=None, by=(), period=None, period_freq="Y",
               period_format=None, metric="nps", name=None, top_box=None, scale=None,
               deff=None, rounding=None, on_invalid="error", path="table", first_row=2):
    """The engine of :func:`from_aggregates`: (frame, exclusion records, rows kept)."""
    if (shares is None) == (counts is None):
        raise ValueError("Give the bins as `shares` (percent, with `n`) or as `counts`, not both "
                         "or neither.")
    if isinstance(metric, MetricSpec):
        spec = MetricSpec(metric.kind, name or metric.name, metric.top_box)
    else:
        spec = metric_spec(metric, top_box=top_box, name=name or metric)
    bins = _bins(shares if shares is not None else counts, spec.kind)
    by = [by] if isinstance(by, str) else list(by)
    need = [c for _, c in bins] + by + ([n] if isinstance(n, str) else []) + (
        [period] if period else []) + ([deff] if isinstance(deff, str) else [])
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise SurveyDataError(f"{path}: column(s) {missing} not found; the table has "
                              f"{list(df.columns)}. Fix the column names in the aggregated "
                              f"layout.", path=path, column=missing[0])
    rows = first_row + np.arange(len(df))
    records, bad = [], np.zeros(len(df), dtype=bool)

    def flag(reason, column, mask, values, fix):
        nonlocal bad
        mask = mask & ~bad
        if not mask.any():
            return
        idx = np.flatnonzero(mask)
        shown = [f"row {rows[i]}: {values.iloc[i]!r}" for i in idx[:5]]
        if on_invalid == "error":
            raise SurveyDataError(f"{path}: column {column!r}: {len(idx)} {reason} — "
                                  f"{', '.join(shown)}{' …' if len(idx) > 5 else ''}. {fix} Or "
                                  f"set `on_invalid: exclude` to exclude such rows (reported).",
                                  path=path, column=column, rows=[int(rows[i]) for i in idx[:5]])
        records.append({"reason": reason, "column": column, "count": int(len(idx)),
                        "rows": [int(rows[i]) for i in idx[:10]],
                        "values": [str(values.iloc[i]) for i in idx[:10]]})
        bad |= mask

    empty = df.isna().all(axis=1).to_numpy()
    if empty.any():
        records.append({"reason": "empty row", "column": "", "count": int(empty.sum()),
                        "rows": [int(r) for r in rows[empty][:10]], "values": []})
        bad |= empty
    vals = {}
    for v, c in bins:
        x = pd.to_numeric(df[c], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        flag("bin values not numbers", c, np.isnan(x), df[c],
             "Every bin needs a number (0 when no one answered so).")
        hi = 100 if shares is not None else np.inf
        flag("bin values out of range", c, (x < 0) | (x > hi), df[c],
             f"{'Shares are percents (0–100)' if shares is not None else 'Counts are >= 0'}.")
        vals[v] = x
    mat = np.column_stack([vals[v] for v, _ in bins])
    if shares is not None:
        if n is None:
            raise ValueError("Shares need the number of responses: give `n` (a column or a "
                             "number).")
        nn = (pd.to_numeric(df[n], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
              if isinstance(n, str) else np.full(len(df), float(n)))
        nraw = df[n] if isinstance(n, str) else pd.Series(nn)
        flag("sample size not a positive number", n if isinstance(n, str) else "n",
             ~(nn > 0) | ~np.isfinite(nn), nraw,
             "Each group needs its number of responses (e.g. completed surveys).")
        tot = np.nansum(mat, axis=1)
        tol = 1e-6 if not rounding else len(bins) * rounding / 2 + 1e-9
        off = np.abs(tot - 100) > tol
        flag("shares do not sum to 100", ",".join(c for _, c in bins), off,
             pd.Series([f"{t:g}" for t in tot]),
             "Shares must cover every answer" + ("" if rounding else
                                                 "; if they were rounded when published, set "
                                                 "`rounding:` (1 = whole percents)") + ".")
    else:
        nn = np.nansum(mat, axis=1)
        flag("no responses in the group", ",".join(c for _, c in bins), nn <= 0,
             pd.Series([f"{t:g}" for t in nn]), "Drop groups without responses.")
        frac = np.any(mat != np.floor(mat), axis=1)
        flag("counts not whole numbers", ",".join(c for _, c in bins), frac & ~np.isnan(
            mat).any(axis=1), pd.Series([str(r.tolist()) for r in mat]),
             "Counts must be whole numbers; for shares use `shares:`.")
    dv = None
    if deff is not None:
        dv = (pd.to_numeric(df[deff], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
              if isinstance(deff, str) else np.full(len(df), float(deff)))
        flag("design effect not a positive number", deff if isinstance(deff, str) else "deff",
             ~(dv > 0) | ~np.isfinite(dv), df[deff] if isinstance(deff, str) else pd.Series(dv),
             "A design effect is a positive number (1 = simple random sample).")
    per = None
    if period:
        txt = df[period].astype("string").str.strip()
        dates = pd.to_datetime(txt, format=period_format, errors="coerce") if period_format \
            else pd.to_datetime(txt, errors="coerce", format="mixed")
        flag("unparseable period", period, dates.isna().to_numpy(), df[period],
             "Give the period's text format (e.g. `format: '%m_%Y'` for 07_2015).")
        per = dates
    if by or per is not None:  # one row per group and period: a repeat would count twice
        key = pd.DataFrame({**{b: df[b].astype("string").str.strip() for b in by},
                            **({"_period": pd.PeriodIndex(per, freq=period_freq).astype(str)}
                               if per is not None else {})})
        live = ~bad
        dup = np.zeros(len(df), dtype=bool)
        dup[live] = key[live].duplicated(keep="first").to_numpy()
        flag("duplicate group", ",".join(by + ([period] if period else [])), dup,
             pd.Series([" / ".join(map(str, r)) for r in key.itertuples(index=False)]),
             "Each group (and period) must appear once; remove the repeated rows or add the "
             "column that tells them apart to the segments.")
    keep = ~bad
    idx = np.flatnonzero(keep)
    k = len(bins)
    out = {}
    for b in by:
        out[b] = np.repeat(df[b].to_numpy(dtype=object)[idx], k)
    if per is not None:
        out["period"] = pd.PeriodIndex(np.repeat(per.to_numpy()[idx], k), freq=period_freq)
    scores = np.tile(np.array([v for v, _ in bins]), len(idx))
    if shares is not None:
        cnt = np.concatenate([apportion(mat[i], nn[i]) for i in idx]) if len(idx) else \
            np.zeros(0, dtype=np.int64)
    else:
        cnt = mat[idx].ravel().astype(np.int64)
    out[spec.name] = scores
    out["count"] = cnt
    frame = pd.DataFrame(out)
    for b in by:
        frame[b] = frame[b].astype("category")
    has_deff = dv is not None and np.any(dv[idx] != 1)
    if has_deff:
        frame["deff"] = np.repeat(dv[idx], k)
    lo_hi = scale or ((0.0, 10.0) if spec.kind == "nps" else (min(scores, default=0),
                                                             max(scores, default=1)))
    frame.attrs = {"cxkit": {
        "metrics": {spec.name: spec}, "scales": {spec.name: tuple(float(x) for x in lo_hi)},
        "segments": by, "weight": None, "period": period_freq if period else None,
        "survey": str(path), "relationship": None, "config_path": None, "labels": {},
        "count": "count", "deff": "deff" if has_deff else None, "layout": "aggregated",
        "rounding": rounding}}
    return frame, records, int(keep.sum())


def from_aggregates(table, *, shares=None, counts=None, n=None, by=(), period=None,
                    period_freq="Y", period_format=None, metric="nps", name=None, top_box=None,
                    scale=None, deff=None, rounding=None) -> pd.DataFrame:
    """Aggregated responses frame (one row per group and score bin) from shares or counts.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per group (and period).
    shares : mapping, optional
        ``{score: column}`` of shares in percent (0–100) — for NPS also
        ``{"detractors": col, "passives": col, "promoters": col}``.  Needs ``n``.
    counts : mapping, optional
        ``{score: column}`` of response counts (instead of ``shares``).
    n : str or float, optional
        Column (or one number) with the number of responses behind the shares.
    by : str or list of str
        Group columns (segments), kept as categories.
    period : str, optional
        Column with the period (text such as ``"07_2015"`` with ``period_format="%m_%Y"``, or
        dates); becomes a ``period`` column of frequency ``period_freq``.
    period_freq : {"Y", "Q", "M"}, default "Y"
    period_format : str, optional
        ``strptime`` format of the period text.
    metric : {"nps", "top_box", "csat", "ces", "mean"}, default "nps"
    name : str, optional
        Name of the score column (default: the metric).
    top_box : sequence, optional
        Top-box scores (top-box metrics).
    scale : (float, float), optional
        Scale of the score (default 0–10 for NPS, else the range of the bins).
    deff : float or str, optional
        Design effect (a number, or a column per group): intervals use n/deff.
    rounding : float, optional
        Rounding of the published shares (recorded, and used as tolerance for their sum).

    Returns
    -------
    pandas.DataFrame
        Columns: the ``by`` columns, ``period`` (when given), the score column (the bin's
        score), ``count`` (responses in the bin, whole numbers summing to n per group) and
        ``deff`` (when not 1).  ``attrs["cxkit"]`` marks it aggregated (``count``, ``deff``,
        ``rounding``, ``metrics``), so :func:`cxkit.tally` counts each row ``count`` times.

    Raises
    ------
    cxkit.SurveyDataError
        A bin value that is not a number or out of range, shares not summing to 100 (beyond
        the rounding), a missing or non-positive n, an unparseable period.

    Notes
    -----
    Counts are apportioned from share·n/100 by the largest-remainder method.  With ``deff``
    the tally carries Σw = count and Σw² = count·deff per bin, so n_eff = n/deff (Kish 1965)
    and the linearised variance is deff times the multinomial one.

    References
    ----------
    .. [1] Kish, L. (1965). *Survey Sampling*. Wiley.

    Examples
    --------
    >>> t = pd.DataFrame({"state": ["AK", "AL"], "bottom": [8, 7], "middle": [21, 20],
    ...                   "top": [71, 73], "n": [1000, 2000]})
    >>> agg = from_aggregates(t, shares={"detractors": "bottom", "passives": "middle",
    ...                                  "promoters": "top"}, n="n", by="state")
    >>> agg[agg.state == "AK"][["state", "nps", "count"]].values.tolist()
    [['AK', 0.0, 80], ['AK', 7.0, 210], ['AK', 10.0, 710]]
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"`table` must be a pandas DataFrame, got {type(table).__name__}.")
    frame, _, _ = _aggregate(table, shares=shares, counts=counts, n=n, by=by, period=period,
                             period_freq=period_freq, period_format=period_format,
                             metric=metric, name=name, top_box=top_box, scale=scale, deff=deff,
                             rounding=rounding, on_invalid="error", path="table")
    return frame


def load_aggregated(cfg):
    """:func:`cxkit.load_survey` for a config with ``layout: aggregated``.

    Each source row is one group (segments) and period; the ``aggregated:`` section names the
    bin columns (``shares:`` with ``n:``, or ``counts:``), an optional ``deff:`` (number or
    column) and the ``rounding:`` of published shares.  ``date:`` (with ``format:``) names the
    period column when ``period:`` is set; a source's fixed ``period:`` works as for
    respondent data.  Returns ``(responses, report)``: the aggregated responses frame (one row
    per group, period and bin; ``source`` column) and a :class:`cxkit.LoadReport` counting
    source *rows* (groups): every row is kept or excluded with a reason; ``files.responses``
    is the number of responses behind the kept rows.
    """
    from .loader import LoadReport, LoadResult
    from .readers import read_export

    agg = cfg.aggregated
    (name, sc), = cfg.scores.items()
    parts, records, infos, notes = [], [], [], []
    for i, src in enumerate(cfg.sources):
        df = read_export(src.path, format=src.format, sheet=src.sheet, encoding=src.encoding,
                         delimiter=src.delimiter)
        attrs = dict(df.attrs)
        if src.rename:
            df = df.rename(columns=dict(src.rename))
        seg_cols = {g.column: g.name for g in cfg.segments.values()}
        period_col = None
        fmt = None
        if cfg.period and src.period is None:
            if cfg.date is None:
                raise SurveyDataError(f"{src.path}: `period: {cfg.period}` needs the period "
                                      f"column: add `date: {{column: …, format: …}}` (e.g. "
                                      f"format '%m_%Y' for 07_2015), or a fixed `period:` on "
                                      f"the source.", path=src.path)
            period_col = cfg.date.column
            fmt = cfg.date.formats[0] if cfg.date.formats[0] != "ISO8601" else None
        try:
            frame, recs, kept = _aggregate(
                df, shares=agg["shares"], counts=agg["counts"], n=agg["n"],
                by=list(seg_cols), period=period_col, period_freq=cfg.period_freq or "Y",
                period_format=fmt, metric=sc.spec, name=name, scale=sc.scale,
                deff=agg["deff"], rounding=agg["rounding"], on_invalid=cfg.on_invalid,
                path=str(src.path), first_row=int(attrs.get("first_row", 2)))
        except ValueError as e:
            if isinstance(e, SurveyDataError):
                raise
            raise SurveyDataError(f"{src.path}: {e}", path=src.path) from None
        frame = frame.rename(columns=seg_cols)
        for g in cfg.segments.values():
            if g.labels:
                frame[g.name] = frame[g.name].map(
                    lambda x, lab=g.labels: lab.get(str(x).removesuffix(".0"), str(x)))
        meta = frame.attrs["cxkit"]
        if cfg.period and src.period is not None:
            frame.insert(len(seg_cols), "period", pd.PeriodIndex(
                [pd.Period(src.period, freq=cfg.period_freq)] * len(frame)))
        frame.insert(0, "source", src.name)
        frame.attrs = {"cxkit": meta}
        parts.append(frame)
        for r in recs:
            records.append({"file": src.name, **r})
        infos.append({"file": src.name, "path": str(src.path),
                      "format": attrs.get("format", ""), "layout": "aggregated",
                      "rows_read": len(df), "rows_kept": kept,
                      "rows_excluded": len(df) - kept, "responses": int(frame["count"].sum())})
        notes += [f"{src.name}: {x}" for x in attrs.get("notes", [])]
    resp = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    meta = dict(parts[0].attrs["cxkit"])
    if "deff" in resp.columns:
        resp["deff"] = resp["deff"].fillna(1.0)
        meta["deff"] = "deff"
    resp["source"] = pd.Categorical(resp["source"], categories=[s.name for s in cfg.sources])
    for g in cfg.segments:
        resp[g] = resp[g].astype("category")
    if agg["rounding"]:
        notes.append(f"shares are published rounded to {agg['rounding']:g}: intervals from "
                     f"this table cover sampling only; cxkit.nps_from_shares / compare_shares "
                     f"with rounding= give the envelope that also covers the rounding.")
    meta.update({"survey": cfg.survey, "segments": list(cfg.segments),
                 "period": cfg.period_freq, "config_path": None if cfg.path is None
                 else str(cfg.path)})
    resp.attrs = {"cxkit": meta}
    files = pd.DataFrame(infos)
    excl = pd.DataFrame(records, columns=["file", "reason", "column", "count", "rows", "values"])
    excl["count"] = excl["count"].astype("int64")
    bad = files[files["rows_kept"] + files["file"].map(excl.groupby("file")["count"].sum())
                .fillna(0).astype(int) != files["rows_read"]]
    if len(bad):  # an internal invariant; never expected
        raise RuntimeError(f"cxkit bug: row accounting does not add up for {bad.to_dict()}")
    missing = pd.DataFrame(columns=["file", "score", "column", "valid", "blank", "declared",
                                    "codes"])
    report = LoadReport(survey=cfg.survey, files=files, exclusions=excl, missing=missing,
                        notes=tuple(notes))
    return LoadResult(resp, report)
