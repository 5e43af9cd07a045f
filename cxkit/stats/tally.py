"""Score histograms: the one pass over raw responses that every estimate starts from.

Every CX score is the mean of a per-response value that is constant within a score (NPS: +100
/ 0 / −100; top box: 100 / 0; means: the score itself).  So the per-group **score histogram**
— the number of responses per score, plus Σw and Σw² per score when weighted — is a sufficient
statistic for the estimate, its (linearised) variance, multinomial bootstrap and planning.
:func:`tally` computes it in one vectorised pass (factorised group codes combined with the
score code into one integer index, then :func:`numpy.bincount`).  Histograms of different
files or partitions add up to the histogram of their union (:func:`add_tallies`).
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.errors import SurveyDataError
from ..core.metrics import METRIC_KINDS, MetricSpec, resolve_metric
from ..core.validate import (check_columns, check_histogram_values, check_scores,
                             closest_column, numeric_scores, refuse_unknown_scale, score_scale)

__all__ = ["tally", "add_tallies"]

#: Largest dense index (groups × scores) bincount is asked for before compacting group codes.
_DENSE_LIMIT = 50_000_000


@dataclass
class _Tally:
    """Internal array form of a tally (shared with :mod:`cxkit.stats.summary`)."""

    keys: pd.DataFrame          # one row per group with ≥ 1 valid response (group columns)
    gid: np.ndarray             # group id (row of ``keys``) of each histogram row
    score: np.ndarray           # score of each histogram row (float)
    n: np.ndarray               # responses per row (int64)
    w: np.ndarray | None        # Σw per row
    w2: np.ndarray | None       # Σw² per row
    column: str
    spec: MetricSpec
    by: list
    weight: str | None
    info: dict
    bounds: tuple = (np.nan, np.nan)   # (min, max) of the scores the pass saw (may be wider)


def _as_list(by) -> list:
    if by is None:
        return []
    if isinstance(by, (str, tuple)) or not hasattr(by, "__iter__"):
        return [by]
    return list(by)


def _weight_column(responses, weight, param="weight"):
    """Resolve ``weight`` (None/False, True, or a column name) to a column name or None.

    ``param`` is the caller's argument name, quoted in the messages (``weighted`` for the
    analyses, ``weight`` for :func:`tally`)."""
    if weight is None or weight is False:
        return None
    if weight is True:
        configured = (getattr(responses, "attrs", {}) or {}).get("cxkit", {}).get("weight")
        name = configured or "weight"
        if name not in responses.columns:
            raise SurveyDataError(
                f"`{param}=True` uses the configured weight column, but this responses table has "
                f"no {name!r} column. Pass the column name (`{param}=\"<column>\"`), load the "
                f"table with cxkit.from_frame(df, ..., weight=\"<column>\") or configure "
                f"`weight:` in the survey YAML; or leave `{param}` off for unweighted results.",
                column=name)
        return name
    if weight not in responses.columns:
        close = closest_column(weight, responses.columns)
        raise SurveyDataError(
            f"The responses table has no weight column {weight!r} (`{param}`)."
            f"{f' Did you mean {close!r}?' if close else ''} Columns: "
            f"{list(responses.columns)[:40]}.", column=weight)
    return weight


_INT64_NA = np.iinfo(np.int64).min   # NaT / missing Period ordinal
#: Rows per chunk; chunks are tallied in threads (numpy releases the GIL) and added up.
_CHUNK_ROWS = 500_000
#: Rows per block within a chunk: each thread reuses scratch arrays of this many rows, so the
#: intermediates stay in the core's cache and no row-sized array is allocated (page faults).
_BLOCK_ROWS = 262_144


class _Scratch:
    """Reusable scratch arrays of one thread (one per name and dtype)."""

    def __init__(self, size):
        self.size = size
        self.arrays = {}

    def get(self, name, dtype):
        a = self.arrays.get(name)
        if a is None or a.dtype != dtype:
            a = self.arrays[name] = np.empty(self.size, dtype=dtype)
        return a


@dataclass
class _GroupCodes:
    """Codes of one group column: code = raw − offset, and −1 where raw == na (or raw < 0)."""

    raw: np.ndarray
    offset: int
    na: int | None
    uniques: object
    has_na: bool = False

    def chunk(self, sl, dtype=None, out=None):
        """Codes of rows ``sl``: a view when possible, else written into ``out`` (if given)."""
        r = self.raw[sl]
        if self.offset == 0 and self.na is None:
            if out is not None:
                np.copyto(out, r, casting="unsafe")
                return out
            return r if dtype is None else r.astype(dtype)
        if out is not None:
            c = np.subtract(r, self.offset, out=out, casting="unsafe")
        else:
            c = np.subtract(r, self.offset, dtype=dtype or r.dtype, casting="unsafe")
        if self.na is not None:
            c[r == self.na] = -1
        return c


def _period_bounds(ords: np.ndarray):
    """(lowest non-missing ordinal, highest ordinal, has missing) of Period ordinals."""
    if ords.size == 0:
        return None, None, False
    lo, hi = int(ords.min()), int(ords.max())
    has_na = lo == _INT64_NA
    if has_na:
        rest = ords[ords != _INT64_NA]
        lo = int(rest.min()) if rest.size else None
    return lo, hi, has_na


def _combine_bounds(parts):
    los = [p[0] for p in parts if p[0] is not None]
    his = [p[1] for p in parts if p[1] is not None and p[1] != _INT64_NA]
    return (min(los) if los else None, max(his) if his else None, any(p[2] for p in parts))


def _codes(col: pd.Series, bounds=None) -> _GroupCodes:
    """Integer codes of one group column and the value of each code.

    Categoricals use their codes (all categories; unobserved ones simply get no bins), Periods
    their ordinals minus the smallest (dense), anything else :func:`pandas.factorize` (sorted).
    """
    dt = col.dtype
    if isinstance(dt, pd.CategoricalDtype):
        cats = col.cat.categories
        codes = col.cat.codes.to_numpy()
        return _GroupCodes(codes, 0, None, pd.Categorical.from_codes(np.arange(len(cats)), dtype=dt),
                           bool(codes.size and codes.min() < 0))
    if isinstance(dt, pd.PeriodDtype):
        ords = col.array.asi8
        lo, hi, has_na = bounds if bounds is not None else _period_bounds(ords)
        if lo is not None and hi is not None and hi - lo < 1_000_000:
            return _GroupCodes(ords, lo, _INT64_NA if has_na else None,
                               pd.PeriodIndex.from_ordinals(np.arange(lo, hi + 1), freq=dt.freq),
                               has_na)
    codes, uniques = pd.factorize(col, sort=True, use_na_sentinel=True)
    codes = np.asarray(codes)
    return _GroupCodes(codes, 0, None, uniques, bool(codes.size and codes.min() < 0))


def _nan_bounds(x):
    """(min, max) ignoring NaN (NaN, NaN when there is no number)."""
    if x.size == 0:
        return np.nan, np.nan
    with np.errstate(invalid="ignore"):
        return float(np.fmin.reduce(x)), float(np.fmax.reduce(x))


def _score_coder(s: np.ndarray, general_only=False, bounds=None):
    """A function slice -> score codes (missing = S) and the score value of each code.

    Integer-valued scores in a small range map to ``score − min`` without sorting; other
    scores go through :func:`numpy.searchsorted` on their distinct finite values.
    """
    lo, hi = bounds if bounds is not None else _nan_bounds(s)
    if np.isnan(lo):                                     # no finite-or-inf score at all
        return (lambda sl, buf=None: np.zeros(len(s[sl]), dtype=np.int32)), np.zeros(0)
    if not general_only and np.isfinite(lo) and np.isfinite(hi) and hi - lo <= 10_000:
        S = int(hi - lo) + 1
        ilo = np.int32(lo)

        def integer(sl, buf=None):
            x = s[sl]
            m = x.size
            if buf is None:
                codes, exact = np.empty(m, dtype=np.int32), np.empty(m, dtype=bool)
            else:                                        # scratch arrays reused across blocks
                codes, exact = buf.get("scode", np.int32)[:m], buf.get("exact", bool)[:m]
            with np.errstate(invalid="ignore"):
                np.copyto(codes, x, casting="unsafe")
                np.equal(codes, x, out=exact)            # False for NaN, ±inf, non-integers
            n_bad = m - int(np.count_nonzero(exact))
            if n_bad:
                nan = np.isnan(x, out=(np.empty(m, dtype=bool) if buf is None
                                       else buf.get("nan", bool)[:m]))
                if n_bad != int(np.count_nonzero(nan)):
                    return None                          # non-integer scores: general path
            if ilo:
                codes -= ilo
            if n_bad:
                np.copyto(codes, S, where=nan)
            return codes

        probe = integer(slice(0, min(len(s), 100_000)))
        if probe is not None:
            return integer, lo + np.arange(S, dtype=float)
    finite = np.isfinite(s)
    values = np.unique(s[finite]).astype(float)

    def general(sl, buf=None):
        x = s[sl]
        ok = np.isfinite(x)
        codes = np.searchsorted(values, np.where(ok, x, 0.0)).astype(np.int32)
        np.putmask(codes, ~ok, values.size)
        return codes

    return general, values


def _count_columns(responses):
    """(count column, deff column) of an aggregated responses frame (one row per group and
    score bin, see :func:`cxkit.from_aggregates`), from ``attrs["cxkit"]``; (None, None) for
    respondent rows."""
    meta = ((getattr(responses, "attrs", {}) or {}).get("cxkit", {}) or {})
    ccol, dcol = meta.get("count"), meta.get("deff")
    for role, c in (("count", ccol), ("deff", dcol)):
        if c is not None and c not in responses.columns:
            raise ValueError(f"This aggregated table (one row per group and score, "
                             f"attrs['cxkit']['{role}'] = {c!r}) has lost its {c!r} column; "
                             f"keep it when selecting columns, else every row would count as "
                             f"one response.")
    return ccol, dcol


def _resolve_score(responses, score, need_metric):
    """(column, MetricSpec or None): a metric as :func:`resolve_metric` resolves it, or — when
    no metric is needed (a plain histogram) — any column of the table."""
    if not need_metric and isinstance(score, str) and score in getattr(responses, "columns", ()):
        configured = (getattr(responses, "attrs", {}) or {}).get("cxkit", {}).get("metrics", {})
        if score not in configured and score not in METRIC_KINDS:
            return score, None
    try:
        return resolve_metric(responses, score)
    except ValueError as exc:
        if isinstance(score, str) and score not in getattr(responses, "columns", ()):
            close = closest_column(score, responses.columns)
            if close is not None:
                raise SurveyDataError(f"{exc} Did you mean {close!r}?", column=score) from None
        raise


def _tally_core(responses, score="nps", by=None, weight=None, *, need_metric=True,
                param="weight") -> _Tally:
    """The histogram, with the scores checked against their scale (:mod:`cxkit.core.validate`).

    ``need_metric``: an estimate follows, so the score must be a metric with a known scale;
    otherwise (plain :func:`tally`) any numeric column is counted and a metric's scale is
    checked when it is known.  The scale is checked on the histogram's distinct scores (no
    extra pass over the rows); rows are searched only to name the offending ones."""
    from ..engines.sources import is_engine_input
    if is_engine_input(responses):                       # files, DuckDB, Ibis, Spark
        return _engine_core(responses, score, by, weight, need_metric, param)
    column, spec = _resolve_score(responses, score, need_metric)
    by = _as_list(by)
    check_columns(responses, by, "group", "by")
    wcol = _weight_column(responses, weight, param)
    ccol, dcol = _count_columns(responses)
    rows = len(responses)
    col = responses[column]
    if col.dtype == np.float64:
        s = col.to_numpy()
    else:
        s = numeric_scores(col, column, spec=spec)       # text ("ten") is refused, not dropped
    scale = score_scale(responses, column, spec) if spec is not None else None
    if need_metric and scale is None:
        refuse_unknown_scale(column, spec)               # an estimate needs a known scale
    bounds = list(range(0, rows, _CHUNK_ROWS)) + [rows]
    slices = [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:])] or [slice(0, 0)]
    workers = min(len(slices), os.cpu_count() or 1)
    pool = ThreadPoolExecutor(max_workers=workers) if workers > 1 else None
    try:
        t = _tally_pass(responses, column, spec, by, (wcol, ccol, dcol), s, slices, pool)
    finally:
        if pool is not None:
            pool.shutdown()
    if spec is not None:
        if scale is not None and np.isinf(t.bounds).any():  # ±inf (exact bounds only)
            check_scores(s, column, spec, scale, index=responses.index)   # names it, raises
        check_histogram_values(t.score, column, spec, scale, values=s, index=responses.index,
                               need_scale=need_metric)
    return t


def _engine_core(source, score, by, weight, need_metric, param) -> _Tally:
    """:func:`_tally_core` for an engine source: the aggregate runs in the engine
    (:func:`cxkit.engines.histograms.engine_tally`), checks and accounting included."""
    from ..engines.histograms import engine_tally
    from ..engines.sources import as_survey

    survey = as_survey(source)
    column, spec = _resolve_score(survey, score, need_metric)
    by = _as_list(by)
    check_columns(survey, by, "group", "by")
    wcol = _weight_column(survey, weight, param)
    scale = score_scale(survey, column, spec) if spec is not None else None
    if need_metric and scale is None:
        refuse_unknown_scale(column, spec)
    hist, info = engine_tally(survey, column, spec, scale, by, wcol)
    if by:
        gid = hist.groupby(by, sort=False, dropna=False).ngroup().to_numpy(dtype=np.int64)
        keys = hist[by].drop_duplicates().reset_index(drop=True)
    else:
        gid, keys = np.zeros(len(hist), dtype=np.int64), pd.DataFrame(index=range(1))
    w = hist["w"].to_numpy(dtype=float) if wcol else None
    w2 = hist["w2"].to_numpy(dtype=float) if wcol else None
    sc = hist["score"].to_numpy(dtype=float)
    bounds = (float(sc.min()), float(sc.max())) if sc.size else (np.nan, np.nan)
    return _Tally(keys, gid, sc, hist["n"].to_numpy(dtype=np.int64), w, w2, column, spec, by,
                  wcol, info, bounds)


class _OutOfBounds(Exception):
    """A block holds a score or Period outside the guessed bounds: redo with exact bounds."""


#: From this many rows on, score and Period bounds are guessed from a sample and checked block
#: by block during the counting pass (in cache) instead of a separate pass over the columns.
_GUESS_MIN_ROWS = 1_000_000
_GUESS_SAMPLE = 2048


def _guess_bounds(responses, column, spec, s, periods):
    """Bounds (score, {Period column: (lo, hi, False)}) that probably hold every row, or None.

    A strided sample (first and last row included) widened by the known scale (NPS 0–10, the
    configured scale) and, for Periods, by a margin; every block is checked against them.
    """
    rows = len(s)
    step = max(rows // _GUESS_SAMPLE, 1)
    pick = np.r_[np.arange(0, rows, step), rows - 1]
    lo, hi = _nan_bounds(s[pick])
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return None
    scale = ((getattr(responses, "attrs", {}) or {}).get("cxkit", {}) or {}).get("scales", {})
    known = scale.get(column) if isinstance(scale, dict) else None
    if known is None and spec is not None and spec.scale is not None:
        known = spec.scale
    if known is None and spec is not None and spec.kind == "nps":
        known = (0, 10)
    if known is not None:
        try:
            klo, khi = float(known[0]), float(known[1])
        except (TypeError, ValueError, IndexError):
            klo, khi = lo, hi
        if np.isfinite(klo) and np.isfinite(khi) and klo.is_integer() and khi.is_integer():
            lo, hi = min(lo, klo), max(hi, khi)
    if not (float(lo).is_integer() and float(hi).is_integer()):
        return None                             # the integer score coder needs integer bounds
    pb = {}
    for b, o in periods.items():
        plo, phi, has_na = _period_bounds(o[pick])
        if has_na or plo is None:
            return None
        margin = 1 + (phi - plo) // 16
        pb[b] = (plo - margin, phi + margin, False)
    return (lo, hi), pb


def _tally_pass(responses, column, spec, by, wcol, s, slices, pool) -> _Tally:
    """Bounds of scores and Period columns (guessed and checked, else a first pass), then codes
    and bincount."""
    pmap = pool.map if pool is not None else map
    periods = {b: responses[b].array.asi8 for b in by
               if isinstance(responses[b].dtype, pd.PeriodDtype)}
    if len(s) >= _GUESS_MIN_ROWS:
        guess = _guess_bounds(responses, column, spec, s, periods)
        if guess is not None:
            try:
                return _tally_bounded(responses, column, spec, by, wcol, s, slices, pmap, periods,
                                      guess[0], guess[1], True)
            except _OutOfBounds:
                pass

    def phase1(sl):
        return _nan_bounds(s[sl]), {b: _period_bounds(o[sl]) for b, o in periods.items()}

    p1 = list(pmap(phase1, slices))
    los = [p[0][0] for p in p1 if not np.isnan(p[0][0])]
    his = [p[0][1] for p in p1 if not np.isnan(p[0][1])]
    sb = (min(los) if los else np.nan, max(his) if his else np.nan)
    pb = {b: _combine_bounds([p[1][b] for p in p1]) for b in periods}
    return _tally_bounded(responses, column, spec, by, wcol, s, slices, pmap, periods, sb, pb,
                          False)


def _tally_bounded(responses, column, spec, by, wcol, s, slices, pmap, periods, sb, pb,
                   check) -> _Tally:
    """The counting pass, given score bounds ``sb`` and Period bounds ``pb``; with ``check``
    (guessed bounds) every block is checked against them (:class:`_OutOfBounds` if not)."""
    rows = len(responses)
    first = _score_coder(s, bounds=sb)
    S1 = len(first[1]) + 1
    gcodes = [_codes(responses[b], pb[b] if b in periods else None) for b in by]
    uniques = [g.uniques for g in gcodes]
    sizes = [len(u) for u in uniques]
    G = int(np.prod(sizes, dtype=np.float64)) if sizes else 1
    if check and G * S1 > _DENSE_LIMIT:
        raise _OutOfBounds
    pchecks = [(o, pb[b][0], pb[b][1]) for b, o in periods.items()] if check else []
    ug = None
    if G * S1 > _DENSE_LIMIT:                   # sparse groups: compact the combined group code
        g = np.zeros(rows, dtype=np.int64)
        bad = np.zeros(rows, dtype=bool)
        for gc, k in zip(gcodes, sizes):
            c = gc.chunk(slice(None))
            g = g * k + c
            bad |= c < 0
        ug, g = np.unique(np.where(bad, -1, g), return_inverse=True)
        if bad.any():
            ug, g = ug[1:], g - 1
        gcodes, G = [_GroupCodes(g, 0, None, None, bool(bad.any()))], len(ug)
        csizes = [G]
    else:
        csizes = sizes
    wt = None
    wcol, ccol, dcol = wcol if isinstance(wcol, tuple) else (wcol, None, None)
    if wcol is not None:
        wt = pd.to_numeric(responses[wcol], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    cnt = None if ccol is None else responses[ccol].to_numpy(dtype=float, na_value=0.0)
    dff = None if dcol is None else responses[dcol].to_numpy(dtype=float, na_value=1.0)

    local = threading.local()
    # weighted: one block per chunk, so Σw and Σw² are added in the same order as ever
    step = _BLOCK_ROWS if wt is None else max(_CHUNK_ROWS, 1)

    def run(sl, coder, S, itype):
        """Tally rows ``sl`` in cache-sized blocks with this thread's reused scratch arrays."""
        buf = getattr(local, "buf", None)
        if buf is None:
            buf = local.buf = _Scratch(step)
        acc = None
        for a in range(sl.start, max(sl.stop, sl.start + 1), step):
            part = run_block(slice(a, min(a + step, sl.stop)), coder, S, itype, buf)
            if part is None:
                return None
            if acc is None:
                acc = part
            else:
                for key, v in part.items():
                    if isinstance(v, np.ndarray):
                        acc[key] += v
                    else:
                        acc[key] = acc[key] + v
        return acc

    def run_block(sl, coder, S, itype, buf):
        S1, trash = S + 1, G * (S + 1)
        if check:                               # guessed bounds: this block must lie inside
            lo_b, hi_b = _nan_bounds(s[sl])
            if lo_b < sb[0] or hi_b > sb[1]:
                raise _OutOfBounds
            for o, plo, phi in pchecks:
                r = o[sl]
                if r.size and (int(r.min()) < plo or int(r.max()) > phi):
                    raise _OutOfBounds
        scode = coder(sl, buf)
        if scode is None:
            return None
        m = scode.size
        idx = buf.get("idx", itype)[:m]
        bad_group = None
        head = gcodes
        if gcodes and csizes[-1] * S1 < 2 ** 31 - 1:
            # the last group column and the score first, in int32: tail = g_last·S1 + s
            head, last = gcodes[:-1], gcodes[-1]
            tail = buf.get("tail", np.int32)[:m]
            if last.offset == 0 and last.na is None:
                np.multiply(last.raw[sl], S1, out=tail, dtype=np.int32, casting="unsafe")
                c = tail
            else:
                c = last.chunk(sl, out=tail)
                tail *= S1
            if last.has_na:
                bad_group = c < 0
            tail += scode
        first = True
        for gc, k in zip(head, csizes):
            if first:
                c = gc.chunk(sl, itype, out=idx)
                first = False
            else:
                c = gc.chunk(sl)
                idx *= k
                idx += c
            if gc.has_na:
                neg = c < 0
                bad_group = neg if bad_group is None else (bad_group | neg)
        if head is gcodes:                      # no tail: idx = groups·S1 + s
            if first:
                np.copyto(idx, scode)
            else:
                idx *= S1
                idx += scode
        elif first:                             # one group column: idx = tail
            np.copyto(idx, tail)
        else:
            idx *= csizes[-1] * S1
            idx += tail
        out = {"missing_weight": 0, "missing_group": 0}
        w = None
        miss_score = None
        if wt is not None or bad_group is not None:
            miss_score = scode == S
        if wt is not None:
            w = wt[sl]
            with np.errstate(invalid="ignore"):   # NULL/NaN, ±inf, zero, negative
                bad_w = ~(w > 0) | np.isinf(w)
            if bad_w.any():
                bad_w &= ~miss_score
                out["missing_weight"] = int(np.count_nonzero(bad_w))
                idx[bad_w] = trash
                w = np.where(bad_w, 0.0, w)
                miss_score = miss_score | bad_w
        if bad_group is not None:
            idx[bad_group] = trash              # every row without a group value
            out["missing_group"] = int(np.count_nonzero(bad_group & ~miss_score))
        c = None if cnt is None else cnt[sl]
        out["n"] = np.bincount(idx, weights=c, minlength=trash + 1)
        if c is not None:  # aggregated rows: frequency counts (bad-weight rows in the trash)
            out["n"] = np.rint(out["n"]).astype(np.int64)
        if w is not None or dff is not None:
            wv = np.ones(m) if w is None else w
            cv = 1.0 if c is None else c
            dv = 1.0 if dff is None else dff[sl]
            out["w"] = np.bincount(idx, weights=wv * cv, minlength=trash + 1)
            out["w2"] = np.bincount(idx, weights=wv * wv * cv * dv, minlength=trash + 1)
        return out

    passes = (False, True)
    kpart = _kernel_pass(s, sb, check, first, gcodes, csizes, by, periods, pb, wt,
                         ug is None and cnt is None and dff is None, G)
    if kpart == "general":                      # a non-integer score: the general coder
        passes, kpart = (True,), None
    if kpart is not None:                       # compiled single pass (cxkit.stats.kernels)
        svalues = first[1]
        S = len(svalues)
        S1, trash = S + 1, G * (S + 1)
        parts = [kpart]
        passes = ()
    for general_only in passes:
        coder, svalues = _score_coder(s, True) if general_only else first
        S = len(svalues)
        S1 = S + 1                              # code S: missing score (its own bin per group)
        trash = G * S1
        itype = np.intp                         # bincount's own index type: no conversion copy

        def job(sl, coder=coder, S=S, itype=itype):
            return run(sl, coder, S, itype)

        parts = list(pmap(job, slices))
        if all(p is not None for p in parts):   # else: non-integer scores, use the general coder
            break
    info = {"rows": rows if cnt is None else int(round(float(cnt.sum())))}
    for key in ("missing_weight", "missing_group"):
        info[key] = sum(p[key] for p in parts)

    def total(key):
        acc = parts[0][key]
        for p in parts[1:]:
            acc = acc + p[key]
        return acc[:trash].reshape(G, S1)[:, :S].ravel()

    n_full = total("n")
    # missing scores: the per-group bins of code S plus rows with a missing group value whose
    # score is missing too (those went to the trash bin; trash = bad weight/group + these)
    n_all = parts[0]["n"] if len(parts) == 1 else sum(p["n"] for p in parts)
    info["missing_score"] = int(n_all[:trash].reshape(G, S1)[:, S].sum() + n_all[trash]
                                - info["missing_weight"] - info["missing_group"])
    info = {k: info[k] for k in ("rows", "missing_score", "missing_weight", "missing_group")
            if k != "missing_weight" or wcol is not None}
    keep = np.flatnonzero(n_full)
    n = n_full[keep].astype(np.int64)
    w = w2 = None
    if wt is not None or dff is not None:
        w, w2 = total("w")[keep], total("w2")[keep]
    g_of_row, s_of_row = np.divmod(keep, S) if S else (keep, keep)
    ug_rows, gid = np.unique(g_of_row, return_inverse=True)  # observed groups, sorted
    full = ug_rows if ug is None else ug[ug_rows]
    keys = {}
    rem = full
    for b, u, k in reversed(list(zip(by, uniques, sizes))):
        rem, code = np.divmod(rem, k)
        keys[b] = pd.Series(u.take(code))
    keys = pd.DataFrame({b: keys[b] for b in by}) if by else pd.DataFrame(index=range(len(full)))
    info["valid"] = int(n.sum())
    return _Tally(keys.reset_index(drop=True), gid.astype(np.int64),
                  svalues[s_of_row] if S else np.zeros(0), n, w, w2,
                  column, spec, by, wcol, info, (np.nan, np.nan) if check else tuple(sb))


def _kernel_pass(s, sb, check, first, gcodes, csizes, by, periods, pb, wt, plain, G):
    """The histogram from the compiled kernel (:mod:`cxkit.stats.kernels`) as one part dict,
    "general" (a non-integer score: use the general coder), or None (numpy path: small or
    uncommon input, or numba unavailable).  Raises :class:`_OutOfBounds` as the blocks do."""
    from . import kernels
    if (not plain or len(s) < kernels._MIN_ROWS or len(gcodes) > kernels._MAX_GROUPS
            or getattr(first[0], "__name__", "") != "integer" or len(first[1]) == 0
            or s.dtype != np.float64 or (wt is not None and wt.dtype != np.float64)):
        return None
    groups = []
    for b, gc, k in zip(by, gcodes, csizes):
        if gc.raw.dtype.kind not in "iu" or gc.raw.dtype == np.uint64:
            return None
        chk = None
        if check and b in periods:
            o = periods[b]
            if not (gc.raw.shape == o.shape and gc.raw.dtype == o.dtype
                    and gc.raw.__array_interface__["data"][0] == o.__array_interface__["data"][0]):
                return None                     # Period column factorised: numpy path
            chk = (pb[b][0], pb[b][1])
        groups.append((gc.raw, gc.offset, gc.na, k, chk))
    try:
        return kernels.histogram(s, sb[0], sb[1], check, len(first[1]), groups, wt,
                                 G * (len(first[1]) + 1) + 1)
    except kernels.OutOfBounds:
        raise _OutOfBounds from None
    except kernels.NotInteger:
        return "general"
    except Exception:                           # numba failed to compile/run: numpy path
        return None


def _to_frame(t: _Tally) -> pd.DataFrame:
    out = t.keys.iloc[t.gid].reset_index(drop=True) if t.by else pd.DataFrame(index=range(len(t.n)))
    out["score"] = t.score
    out["n"] = t.n
    if t.w is not None:
        out["w"] = t.w
        out["w2"] = t.w2
    out.attrs["tally"] = {"column": t.column, "metric": t.spec, "by": list(t.by),
                          "weight": t.weight, **t.info}
    return out


def tally(responses, score="nps", by=None, weight=None) -> pd.DataFrame:
    """Score histogram per group: the sufficient statistic of every CX estimate.

    Parameters
    ----------
    responses : pandas.DataFrame or an engine source
        Responses, one row each (e.g. the canonical table from :func:`cxkit.load_survey`) —
        or data in an engine, tallied there by one Ibis aggregate (only the histogram comes
        back): Parquet/CSV paths or globs (scanned by DuckDB), a DuckDB relation, an Ibis
        table on any backend, a PySpark DataFrame, or a :func:`cxkit.scan` handle (which
        names the date column for ``period``, the weight and the metrics).  The engine checks
        the scale and counts exclusions in the same query (``rows``, ``missing_score`` for
        NULL and NaN, ``missing_weight`` for NULL, NaN, infinite or **non-positive** weights,
        ``missing_group``).
    score : str, MetricSpec or (column, kind) tuple, default "nps"
        The score column, resolved with :func:`cxkit.resolve_metric` (a configured score name,
        or ``"nps"``/``"csat"``/``"ces"`` for a column of that name) — its scores are then
        checked against the metric's scale (NPS whole numbers 0–10, the declared scale…) — or
        the name of **any numeric column** (a histogram needs no metric; ``attrs["tally"]
        ["metric"]`` is then None).  Text in the column ("ten") is refused, not dropped.
    by : str or list of str, optional
        Group columns (segments, ``period`` …).  Categorical columns keep their dtype and only
        observed categories appear; Period columns stay Periods.
    weight : None, False, True or str, default None
        ``True`` uses the configured weight column (``responses.attrs["cxkit"]["weight"]``,
        else ``"weight"``); a string names the column.  **One rule on every path** (pandas,
        DuckDB, Spark, and the loader): a response whose weight is missing (NULL/NaN),
        infinite, zero or negative is excluded from the weighted histogram — its ``n`` too,
        not only its Σw — and counted in ``missing_weight``.  Unweighted tallies ignore the
        weight column.

    Returns
    -------
    pandas.DataFrame
        Group columns, ``score`` (float), ``n`` (int64, responses with that score) and, when
        weighted, ``w`` (Σw) and ``w2`` (Σw²).  Only bins with n > 0 are listed, sorted by
        group then score.  ``attrs["tally"]`` holds ``column``, ``metric`` (MetricSpec), ``by``,
        ``weight``, ``rows`` (rows read), ``valid`` (responses tallied), ``missing_score``
        (NaN/blank scores excluded), ``missing_weight`` (weighted only: rows with a valid score
        whose weight is missing, NaN, infinite, zero or negative, excluded) and
        ``missing_group`` (rows with a missing group value excluded).

    Raises
    ------
    cxkit.SurveyDataError
        Scores outside the metric's scale or not whole (e.g. a "no answer" code 11 in an NPS
        column), text in the score column, a misspelt ``by`` column (the closest is named) or
        a missing weight column; the message names the column, the first rows and values and
        the fix (see :mod:`cxkit.core.validate`).

    Notes
    -----
    One pass: each group column is factorised to integer codes (categorical codes are used
    directly), the codes and the score code are combined into one index
    ``((g1·K2 + g2)·K3 + …)·S + s`` and counted with :func:`numpy.bincount` (with
    ``weights=w`` and ``w²`` for Σw, Σw²).  Because counts and weight sums are additive, the
    histogram of a union of disjoint data sets is the sum of their histograms
    (:func:`add_tallies`).  From 1 million rows on, when numba is installed (the ``fast``
    extra), the same bins are counted by one compiled pass over the columns
    (:mod:`cxkit.stats.kernels`; identical counts and accounting, Σw and Σw² up to the order
    of the additions); without numba, the numpy pass runs.

    **Aggregated frames** (:func:`cxkit.from_aggregates`, ``layout: aggregated``): when
    ``responses.attrs["cxkit"]["count"]`` names a column, each row stands for that many
    responses (``weights=count`` in the count pass; ``rows`` is then Σcount).  A
    ``attrs["cxkit"]["deff"]`` column adds Σw = count·w and Σw² = count·w²·deff per bin, the
    histogram of a design with Kish effective size n/deff, so the estimates carry the design
    effect (weighted, linearised SE = √deff × the simple-random-sampling SE).

    References
    ----------
    .. [1] Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, ch. 2
       (totals and means as functions of weighted sums).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"nps": [10, 9, 7, 3, None], "region": ["N", "N", "S", "S", "S"]})
    >>> t = tally(df, "nps", by="region")
    >>> t[["region", "score", "n"]].to_records(index=False).tolist()
    [('N', 9.0, 1), ('N', 10.0, 1), ('S', 3.0, 1), ('S', 7.0, 1)]
    >>> t.attrs["tally"]["missing_score"]
    1
    >>> tally(pd.DataFrame({"ltr": [3, 11, 11]}), "ltr")[["score", "n"]].values.tolist()
    [[3.0, 1.0], [11.0, 2.0]]
    """
    return _to_frame(_tally_core(responses, score, by, weight, need_metric=False))


def add_tallies(*tables) -> pd.DataFrame:
    """Add score histograms of disjoint data sets (files, partitions) into one.

    Parameters
    ----------
    *tables : pandas.DataFrame
        Outputs of :func:`tally` with the same group columns (and all weighted or none).

    Returns
    -------
    pandas.DataFrame
        The histogram of the union: ``n`` (and ``w``, ``w2``) summed per group and score,
        sorted by group and score.

    Notes
    -----
    Counts, Σw and Σw² are sums over responses, so hist(A ∪ B) = hist(A) + hist(B) bin by bin
    (bins aligned on group values and score; a bin missing from one table counts 0).

    References
    ----------
    .. [1] Lumley, T. (2010). *Complex Surveys*. Wiley, ch. 2.

    Examples
    --------
    >>> import pandas as pd
    >>> a = tally(pd.DataFrame({"nps": [10, 3]}))
    >>> b = tally(pd.DataFrame({"nps": [10, 8]}))
    >>> add_tallies(a, b)[["score", "n"]].to_records(index=False).tolist()
    [(3.0, 1), (8.0, 1), (10.0, 2)]
    """
    if not tables:
        raise ValueError("`add_tallies` needs at least one tally table.")
    by = list(tables[0].attrs.get("tally", {}).get("by", [c for c in tables[0].columns
                                                            if c not in ("score", "n", "w", "w2")]))
    cols = [c for c in ("n", "w", "w2") if c in tables[0].columns]
    for t in tables[1:]:
        if [c for c in ("n", "w", "w2") if c in t.columns] != cols:
            raise ValueError("Cannot add weighted and unweighted tallies.")
    allt = pd.concat(tables, ignore_index=True)
    out = allt.groupby(by + ["score"], observed=True, sort=True, dropna=False)[cols].sum().reset_index()
    out["n"] = out["n"].astype(np.int64)
    meta = dict(tables[0].attrs.get("tally", {}))
    for key in ("rows", "valid", "missing_score", "missing_weight", "missing_group"):
        if all(key in t.attrs.get("tally", {}) for t in tables):
            meta[key] = sum(t.attrs["tally"][key] for t in tables)
    out.attrs["tally"] = meta
    return out
