"""Load a survey (config + export files) into the canonical tidy responses table.

``responses, report = cxkit.load_survey("survey.yaml")``

Policy (documented for users in ``docs/loading.md``):

* **Errors** (:class:`cxkit.SurveyDataError`): structural problems — file missing, empty,
  header without data rows, unreadable or undecodable, rows with more or fewer fields than the
  header, a configured column missing or duplicated in the header, Excel merged cells or
  formulas without a stored result in a configured column.
* **Invalid values** — score outside its scale, not a number or not a whole number; unparseable
  or missing date, or a date outside ``date.min`` … ``date.max``; missing or duplicate
  respondent id; missing, non-numeric (``inf`` included), non-positive or absurd (outside
  :data:`WEIGHT_RANGE`) weight — are errors by default (naming file, column, rows, values
  and the config key to change).  With ``on_invalid: exclude`` the rows are excluded and reported instead.
* **Exclusions** always reported, never errors: blank rows ("empty row"), a truncated last line
  ("truncated row"), Qualtrics previews/tests ("survey preview/test") and rows without any valid
  score ("no valid score"; turn off with ``exclude_no_score: false``); with ``weighting:`` or
  ``design:``, rows without a raking variable ("missing raking variable") or a stratum,
  cluster or fpc ("missing design variable") — errors instead with ``on_missing: error``.
* **Declared missing codes** (``missing:`` per score, and SPSS user-missing values) become NaN
  and are counted in ``report.missing``; they are never errors.

Offending values quoted in the LoadReport and in errors are masked with
:func:`cxkit.redact_text` at the source.

Every source data row is either kept or excluded with a reason:
``rows_kept + excluded = rows_read`` per file.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..core.jsonsafe import json_safe as _jsonable
from .config import SurveyConfig, config_from_dict, read_config
from ..core.errors import SurveyDataError
from ..core.redact import redact_text
from ..core.validate import scale_violations
from .readers import read_export, source_rows

__all__ = ["load_survey", "LoadReport", "LoadResult", "EXCLUSION_REASONS"]

#: Exclusion reasons in the order they are applied (a row is counted under its first reason).
EXCLUSION_REASONS = (
    "empty row", "truncated row", "survey preview/test",
    "missing respondent id", "unknown brand", "duplicate brand answer",
    "duplicate respondent id",
    "missing date", "unparseable date", "date out of range",
    "missing weight", "weight not a number", "non-positive weight", "weight out of range",
    "unmapped score label", "score not a number", "score not a whole number",
    "score outside scale",
    "no valid score",
    "missing raking variable", "missing design variable",
)
_SHOW = 5          # rows/values quoted in messages
_KEEP_ROWS = 10    # rows kept per exclusion record

_VENDOR_ID = {"qualtrics": ["ResponseId", "ResponseID"],
              "surveymonkey": ["Respondent ID", "RespondentID"]}
_VENDOR_DATE = {"qualtrics": ["RecordedDate", "EndDate"], "surveymonkey": ["End Date", "EndDate"]}
_VENDOR_DATE_FORMATS = {"surveymonkey": ("ISO8601", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S",
                                         "%m/%d/%Y %H:%M", "%m/%d/%Y")}
_PREVIEW_STATUS = {"survey preview", "survey test", "1", "2", "1.0", "2.0"}
_PREVIEW_CHANNEL = {"preview", "test"}


# ============================================================ report ========================
@dataclass(frozen=True, eq=False)
class LoadReport:
    """What :func:`load_survey` read, kept and excluded, file by file.

    Attributes
    ----------
    survey : str
        Survey title.
    files : pandas.DataFrame
        One row per source file: ``file, path, format, layout, rows_read, rows_kept,
        rows_excluded``.
    exclusions : pandas.DataFrame
        One row per (file, reason, column): ``file, reason, column, count, rows, values``
        (``rows``: the first source rows, spreadsheet numbering; ``values``: the first
        offending values as text).
    missing : pandas.DataFrame
        Per file and score, among kept rows: ``file, score, column, valid, blank, declared,
        codes`` (``codes``: ``{code: count}`` of declared missing codes).
    notes : tuple of str
        Remarks from the readers (e.g. a damaged Qualtrics header row).

    Notes
    -----
    Invariant, per file: ``rows_kept + Σ exclusions.count = rows_read``.
    """

    survey: str
    files: pd.DataFrame
    exclusions: pd.DataFrame
    missing: pd.DataFrame
    notes: tuple = ()
    #: Raking diagnostics (:meth:`cxkit.RakingResult.to_dict`) when the config has a
    #: ``weighting:`` section, else None.
    weighting: dict | None = None

    @property
    def rows_read(self) -> int:
        """Data rows read from all files."""
        return int(self.files["rows_read"].sum())

    @property
    def rows_kept(self) -> int:
        """Rows in the responses table."""
        return int(self.files["rows_kept"].sum())

    @property
    def rows_excluded(self) -> int:
        """Rows excluded (all reasons)."""
        return int(self.exclusions["count"].sum())

    def excluded(self, reason=None, file=None) -> int:
        """Number of excluded rows, optionally for one reason and/or file."""
        e = self.exclusions
        if reason is not None:
            e = e[e["reason"] == reason]
        if file is not None:
            e = e[e["file"] == file]
        return int(e["count"].sum())

    def to_frame(self) -> pd.DataFrame:
        """Row accounting as one tidy table: ``file, status, reason, column, count, rows,
        values``; ``status`` is ``"kept"`` or ``"excluded"``, and counts sum to rows read."""
        kept = pd.DataFrame({"file": self.files["file"], "status": "kept", "reason": "",
                             "column": "", "count": self.files["rows_kept"],
                             "rows": [[] for _ in range(len(self.files))],
                             "values": [[] for _ in range(len(self.files))]})
        exc = self.exclusions.assign(status="excluded")[list(kept.columns)]
        out = pd.concat([kept, exc], ignore_index=True) if len(exc) else kept
        order = {f: i for i, f in enumerate(self.files["file"])}
        out["_o"] = out["file"].map(order)
        out["_k"] = out["status"] != "kept"
        return out.sort_values(["_o", "_k"], kind="stable").drop(columns=["_o", "_k"]) \
            .reset_index(drop=True)

    def to_dict(self) -> dict:
        """JSON-safe dict (plain ints, strings and lists)."""
        def recs(df):
            return [{k: _jsonable(v) for k, v in r.items()} for r in df.to_dict("records")]
        return {"survey": self.survey, "rows_read": self.rows_read,
                "rows_kept": self.rows_kept, "rows_excluded": self.rows_excluded,
                "files": recs(self.files), "exclusions": recs(self.exclusions),
                "missing": recs(self.missing), "notes": list(self.notes),
                **({"weighting": self.weighting} if self.weighting else {})}

    def __str__(self) -> str:
        lines = [f"{self.survey}: {self.rows_read:,} rows read from {len(self.files)} "
                 f"file(s), {self.rows_kept:,} kept, {self.rows_excluded:,} excluded"]
        if self.weighting:
            from .weighting import describe_weighting
            lines.append("  " + describe_weighting(self.weighting))
        for f in self.files.itertuples():
            per = (f" ({f.responses:,} responses)" if f.responses != f.rows_kept else "")
            lines.append(f"  {f.file} ({f.layout} {f.format}): {f.rows_read:,} read, "
                         f"{f.rows_kept:,} kept{per}")
            for e in self.exclusions[self.exclusions["file"] == f.file].itertuples():
                col = f" [{e.column}]" if e.column else ""
                rows = ", ".join(map(str, e.rows[:_SHOW])) + (" …" if e.count > _SHOW else "")
                lines.append(f"    excluded {e.count:>7,}  {e.reason}{col} (rows {rows})")
            for m in self.missing[self.missing["file"] == f.file].itertuples():
                if m.blank or m.declared:
                    codes = ", ".join(f"{k}: {v:,}" for k, v in m.codes.items())
                    lines.append(f"    {m.score}: {m.valid:,} valid, {m.blank:,} blank, "
                                 f"{m.declared:,} declared missing"
                                 f"{f' ({codes})' if codes else ''}")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"LoadReport(survey={self.survey!r}, rows_read={self.rows_read}, "
                f"rows_kept={self.rows_kept}, rows_excluded={self.rows_excluded})")

    def _repr_html_(self) -> str:
        """Designed HTML table in JupyterLab (the report's design); ``repr`` stays plain."""
        from ..report.tables import load_report_html  # lazy: report is a later wing

        return load_report_html(self)


class LoadResult(NamedTuple):
    """``(responses, report)`` as returned by :func:`load_survey`."""

    responses: pd.DataFrame
    report: LoadReport


# ============================================================ helpers =======================
def _fmt_value(v) -> str:
    if v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _shown(v) -> str:
    """A value as quoted in a LoadReport or an error: as text, personal data masked
    (an e-mail typed into a score cell must not be published by the accounting)."""
    return redact_text(_fmt_value(v))


def _vals_at(values, idx) -> list:
    """Offending values at positions ``idx`` as text, masked (values: Series, array or None)."""
    if values is None or len(idx) == 0:
        return []
    if isinstance(values, pd.Series):
        got = values.iloc[idx].tolist()
    else:
        got = [values[i] for i in idx]
    return [_shown(v) for v in got]


class _Source:
    """Per-file working state: exclusion mask and records."""

    def __init__(self, cfg, src, df):
        self.cfg, self.src, self.df = cfg, src, df
        self.n = len(df)
        self.rows = source_rows(df)
        self.excl = np.zeros(self.n, dtype=bool)
        self.records = []
        self.file = src.name
        self.path = str(src.path)
        self.mult = None      # long form: source rows behind each (pivoted) row
        self.n_read = self.n  # source data rows

    def count(self, mask) -> int:
        """Source rows behind the rows of ``mask``."""
        return int(mask.sum()) if self.mult is None else int(self.mult[mask].sum())

    def flag(self, reason, column, mask, values=None):
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        new = mask & ~self.excl
        cnt = self.count(new)
        if cnt:
            idx = np.flatnonzero(new)[:_KEEP_ROWS]
            self.records.append({"file": self.file, "reason": reason, "column": column or "",
                                 "count": cnt, "rows": [int(self.rows[i]) for i in idx],
                                 "values": _vals_at(values, idx)})
            self.excl |= new

    def invalid(self, reason, column, mask, values, problem, fix):
        """An invalid value: error (default) or exclusion (``on_invalid: exclude``)."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        live = mask & ~self.excl
        if not live.any():
            return
        if self.cfg.on_invalid == "exclude":
            self.flag(reason, column, live, values)
            return
        cnt = int(live.sum())
        idx = np.flatnonzero(live)[:_SHOW]
        rows, vals = [int(self.rows[i]) for i in idx], _vals_at(values, idx)
        shown = ", ".join(f"row {r}: {v!r}" for r, v in zip(rows, vals))
        more = f" (and {cnt - len(rows)} more)" if cnt > len(rows) else ""
        raise SurveyDataError(
            f"{self.path}: column {column!r}: {cnt} {problem} — {shown}{more}. {fix} "
            f"Or set `on_invalid: exclude` in the config to exclude such rows (they are then "
            f"counted in the LoadReport).", path=self.path, column=column, rows=rows)


def _weighting_design_segments(cfg):
    """``(reason, section, on_missing, segment names)`` of the raking (``weighting:``) and
    design (``design:`` strata, cluster, fpc column) variables."""
    out = []
    if cfg.weighting:
        out.append(("missing raking variable", "weighting",
                    cfg.weighting.get("on_missing", "exclude"), list(cfg.weighting["targets"])))
    if cfg.design:
        d = cfg.design
        names = [d[k] for k in ("strata", "cluster") if d.get(k)]
        if isinstance(d.get("fpc"), str):
            names.append(d["fpc"])
        out.append(("missing design variable", "design", d.get("on_missing", "exclude"),
                    list(dict.fromkeys(names))))
    return out


def _segment_blank(col: pd.Series, fact) -> np.ndarray:
    """Rows whose segment value is missing or blank (as :func:`_categorical` reads them)."""
    codes, uniq = fact
    u = _as_text(pd.Series(uniq, dtype=object if col.dtype == object else col.dtype)).str.strip()
    blank = (u.isna() | (u == "")).to_numpy(dtype=bool)
    return np.append(blank, True)[codes]     # code -1 (missing) reads the last entry


def _missing_variable(s: "_Source", reason, section, mode, name, column, mask, values):
    """Rows without a raking / design variable: excluded and reported (``on_missing:
    exclude``, the default) or an error (``on_missing: error``)."""
    live = np.asarray(mask, dtype=bool) & ~s.excl
    if not live.any():
        return
    if mode == "exclude":
        s.flag(reason, column, live, values)
        return
    role = "raking" if section == "weighting" else "design"
    cnt = s.count(live)
    rows = [int(s.rows[i]) for i in np.flatnonzero(live)[:_SHOW]]
    more = f" (and {cnt - len(rows)} more)" if cnt > len(rows) else ""
    raise SurveyDataError(
        f"{s.path}: column {column!r}: {cnt} row(s) have no value for the {role} variable "
        f"`{name}` — rows {', '.join(map(str, rows))}{more}. Fill them in, or remove "
        f"`on_missing: error` from `{section}:` to exclude such rows (counted in the LoadReport "
        f"as {reason!r}).", path=s.path, column=column, rows=rows)


def _empty_rows(df: pd.DataFrame) -> np.ndarray:
    """Mask of the rows whose every cell is missing.  A column without any missing value
    (known from its dtype or arrow's null count, no pass over the rows) rules them all out."""
    for j in range(df.shape[1]):
        a = df.iloc[:, j].array
        pa_arr = getattr(a, "_pa_array", None)
        if pa_arr is not None:
            nulls = pa_arr.null_count
        elif isinstance(a.dtype, np.dtype) and a.dtype.kind in "iub":
            nulls = 0
        else:
            continue
        if nulls == 0:
            return np.zeros(len(df), dtype=bool)
    return df.isna().all(axis=1).to_numpy()


def _missing_column(s: _Source, col, role, available):
    close = difflib.get_close_matches(col, available, n=1, cutoff=0.5)
    if not close:
        low = {a.lower(): a for a in available}
        close = [low[col.lower()]] if col.lower() in low else []
    hint = (f" Closest: {close[0]!r} — if that is it, add `rename: {{{close[0]!r}: {col!r}}}` "
            f"to this source (or change {role})." if close else f" Change {role} or add "
            f"`rename:` to this source.")
    sheets = s.df.attrs.get("sheets")
    sheet_hint = (f" (read sheet {s.df.attrs.get('sheet')!r}; the workbook's sheets are "
                  f"{sheets} — set `sheet:` on the source if the data are on another)"
                  if sheets and len(sheets) > 1 else "")
    shown = ", ".join(map(repr, available[:40])) + (" …" if len(available) > 40 else "")
    return SurveyDataError(
        f"{s.path}: column {col!r} ({role}) not found{sheet_hint}.{hint} Available columns: "
        f"{shown}.", path=s.path, column=col)


def _as_text(col: pd.Series) -> pd.Series:
    """Text version of a column (NaN stays NaN; integral floats lose their '.0')."""
    if pd.api.types.is_bool_dtype(col):
        return col.astype("str")
    if pd.api.types.is_float_dtype(col):
        v = col.to_numpy(dtype=float, na_value=np.nan)
        fin = np.isfinite(v)
        if np.all(np.floor(v[fin]) == v[fin]):
            return col.astype("Int64").astype("str").where(col.notna(), np.nan)
    if pd.api.types.is_numeric_dtype(col) or pd.api.types.is_datetime64_any_dtype(col):
        return col.astype("str").where(col.notna(), np.nan)
    if col.dtype == object:
        if pd.api.types.infer_dtype(col, skipna=True) in ("string", "empty"):
            return col.astype("str")  # all texts (e.g. ids read as text): no Python loop
        out = col.map(lambda x: x if isinstance(x, str) or x is None else _fmt_value(x),
                      na_action="ignore")
        return out.astype("str")
    return col


def _small_codes(a):
    """Integer codes in the smallest signed dtype that holds them (less memory to move)."""
    hi = int(a.max()) if len(a) else 0
    dt = np.int8 if hi < 127 else np.int16 if hi < 32767 else np.int32 if hi < 2**31 - 1 \
        else np.int64
    return a.astype(dt, copy=False)


def _factorize(col: pd.Series):
    """``pd.factorize(col, use_na_sentinel=True)``: codes numbering the distinct values in
    order of first appearance (-1 = missing) and those values.  Fast for categoricals (Parquet
    text read dictionary-encoded): their codes are renumbered, not hashed again."""
    if isinstance(col.dtype, pd.CategoricalDtype) and 0 < len(col.cat.categories) < 32767:
        c = col.cat.codes.to_numpy()
        k = len(col.cat.categories)
        head = pd.unique(c[:4096])
        first = {int(j): i for i, j in enumerate(head[head >= 0])}
        if k - len(first) <= 16:  # a few categories not seen in the first rows: look for them
            for j in range(k):
                if j not in first:
                    m = c == j
                    if m.any():
                        first[j] = int(np.argmax(m))
            order = np.array(sorted(first, key=first.get), dtype=np.int64)
            uniq = pd.Categorical.from_codes(order, dtype=col.dtype)
            if len(order) == k and np.array_equal(order, np.arange(k)):
                return c.copy(), uniq  # categories already in order of appearance
            remap = np.full(k + 1, -1, dtype=np.int16)  # index -1 (missing) -> -1
            remap[order] = np.arange(len(order))
            return _small_codes(remap[c]), uniq
    return pd.factorize(col, use_na_sentinel=True)


def _arrow_factorize(col: pd.Series):
    """:func:`_factorize` of an arrow-backed text column by arrow's ``dictionary_encode``
    (which releases the GIL, so several columns can be factorised in threads); None when the
    column is not such a column."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = getattr(col.array, "_pa_array", None)
    if arr is None or not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return None
    enc = pc.dictionary_encode(arr, null_encoding="encode")
    chunks = [c for c in getattr(enc, "chunks", [enc]) if len(c)]
    if not chunks:
        return None
    d = chunks[-1].dictionary  # one memo table across chunks: earlier ones hold a prefix
    if not all(c.dictionary.equals(d.slice(0, len(c.dictionary))) for c in chunks[:-1]):
        return None
    idx = np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in chunks])
    isnull = d.is_null().to_numpy(zero_copy_only=False)
    if isnull.any():  # missing values: code -1, the others renumbered without them
        m = (np.cumsum(~isnull) - 1).astype(idx.dtype)
        m[isnull] = -1
        idx = m[idx]
        d = d.filter(pc.invert(d.is_null()))
    return idx, pd.Index(d.to_pylist(), dtype=col.dtype)


def _prefactorize(df: pd.DataFrame, columns) -> dict:
    """Start factorising the large arrow text columns among ``columns`` (segments, date) in
    background threads; ``{column: Future}``.  Hashing a million texts is the costliest step
    of a CSV load; arrow does it without the GIL, so it overlaps with the other checks."""
    cols = [c for c in dict.fromkeys(columns) if c in df.columns and len(df) >= 100_000 and
            not isinstance(df[c].dtype, pd.CategoricalDtype) and
            getattr(df[c].array, "_pa_array", None) is not None]
    if not cols:
        return {}
    from concurrent.futures import ThreadPoolExecutor

    ex = ThreadPoolExecutor(max_workers=min(2, len(cols)), thread_name_prefix="cxkit-load")
    futures = {c: ex.submit(_arrow_factorize, df[c]) for c in cols}
    ex.shutdown(wait=False)
    return futures


def _prefactorized(pre: dict, column):
    """The result of :func:`_prefactorize` for ``column``, or None (then factorise here).
    Handed out once (the caller may change the codes in place); a second use of the same
    column factorises afresh."""
    fut = pre.pop(column, None)
    if fut is None:
        return None
    try:
        return fut.result()
    except Exception:  # noqa: BLE001 — any trouble: the plain path factorises it again
        return None


def _numeric(col: pd.Series):
    """(numbers as float array, blank mask, unparsed-text mask, stripped text or None)."""
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        num = col.to_numpy(dtype=float, na_value=np.nan)
        blank = np.isnan(num)
        return num, blank, np.zeros(len(col), dtype=bool), None
    # text: work on the distinct values only (survey columns repeat a few values)
    codes, uniq = _factorize(col)
    u = _as_text(pd.Series(uniq, dtype=object if col.dtype == object else col.dtype)).str.strip()
    ublank = (u.isna() | (u == "")).to_numpy()
    unum = pd.to_numeric(u.where(~ublank, np.nan), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan)
    unparsed_u = (np.isnan(unum) | ~np.isfinite(unum)) & ~ublank  # "NaN"/"inf" are not scores
    unum = np.where(np.isfinite(unum), unum, np.nan)
    na = codes < 0
    c = np.where(na, 0, codes)
    if len(uniq) == 0:
        n = len(col)
        return np.full(n, np.nan), np.ones(n, dtype=bool), np.zeros(n, dtype=bool), \
            pd.Series([np.nan] * n, dtype="str", index=col.index)
    num = np.where(na, np.nan, unum[c])
    blank = na | ublank[c]
    unparsed = ~na & unparsed_u[c]
    txt = pd.Series(u.to_numpy(dtype=object)[c], index=col.index).where(~na, np.nan)
    return num, blank, unparsed, txt


_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# datetime64[ns] holds 1677-09-21 … 2262-04-11; dates beyond are clipped to these (just inside)
# before the conversion, which would otherwise wrap them silently into other years, and are
# then refused by the plausibility bounds (``date.min`` / ``date.max``, far inside them).
_NS_LO = np.datetime64("1677-09-22T00:00:00", "s")
_NS_HI = np.datetime64("2262-04-10T00:00:00", "s")
#: Bounds of ``weight``: only ratios of weights matter, and within these sums and sums of
#: squares of any number of weights stay finite in float64 (n · 1e200 < 1.8e308 for any n
#: below 1e108) and never underflow to 0.
WEIGHT_RANGE = (1e-100, 1e100)


def _as_ns(a) -> np.ndarray:
    """datetime64 values of any unit as datetime64[ns], values outside the ns range clipped
    to just inside it (instead of wrapping around).  NaT stays NaT."""
    a = np.asarray(a)
    if a.dtype == np.dtype("datetime64[ns]"):
        return a
    if a.dtype.kind != "M":
        a = a.astype("datetime64[us]")
    sec = a.astype("datetime64[s]")
    lo, hi = sec < _NS_LO, sec > _NS_HI  # NaT compares False
    if lo.any() or hi.any():
        a = a.copy()
        a[lo] = _NS_LO
        a[hi] = _NS_HI
    return a.astype("datetime64[ns]")


def _date_bounds(cfg):
    """(earliest, latest) plausible response date as datetime64[ns]: ``date.min`` (default
    1900-01-01) and ``date.max`` (default: today + 366 days)."""
    from .config import DATE_MAX_DAYS_AHEAD, DATE_MIN

    lo = cfg.date.min if cfg.date is not None else DATE_MIN
    hi = cfg.date.max if cfg.date is not None else None
    hi = (pd.Timestamp(hi) + pd.Timedelta(days=1) if hi is not None else
          pd.Timestamp.now().normalize() + pd.Timedelta(days=DATE_MAX_DAYS_AHEAD + 1))
    return (np.datetime64(pd.Timestamp(lo).to_datetime64(), "ns"),
            np.datetime64(hi.to_datetime64(), "ns"))  # hi exclusive (the next midnight)


def _excel_serial(v, epoch=None):
    """Excel serial day numbers → datetime64.  Epoch 1899-12-30 for the 1900 date system
    (serial 1 = 1900-01-01; starting a day early absorbs Excel's fictitious 1900-02-29, so
    serials from 61 on are right), 1904-01-01 for workbooks in the Mac 1904 system (ECMA-376
    Part 1, §18.17.4.1).  Fractions are times of day, rounded to the second."""
    v = np.asarray(v, dtype=float)
    ok = (v > 0) & (v < 2958466)
    base = pd.Timestamp(epoch) if epoch else _EXCEL_EPOCH
    out = np.full(len(v), np.datetime64("NaT"), dtype="datetime64[ns]")
    # in seconds first (no overflow for any serial up to 9999-12-31), then clipped to ns
    sec = base.to_datetime64().astype("datetime64[s]") + \
        np.round(np.where(ok, v, 0) * 86400).astype("timedelta64[s]")
    out[ok] = _as_ns(sec[ok])
    return out, ok


def _parse_text_dates(txt: pd.Series, formats, fact=None):
    """Parse distinct texts with each format in turn; returns (datetime64 array, blank, bad).
    ``fact``: the column's :func:`_factorize` result when already computed."""
    codes, uniq = fact if fact is not None else _factorize(txt)
    u = pd.Series(uniq, dtype=object).map(lambda x: str(x).strip())
    ublank = (u == "").to_numpy()
    parsed = np.full(len(u), np.datetime64("NaT"), dtype="datetime64[ns]")
    todo = ~ublank
    for fmt in formats:
        if not todo.any():
            break
        try:
            # utc=True: texts with (possibly different) UTC offsets become UTC; texts without
            # an offset are taken as they are
            p = pd.to_datetime(u[todo], format=fmt, errors="coerce", utc=True)
        except (ValueError, TypeError):
            continue
        if getattr(p.dt, "tz", None) is not None:
            p = p.dt.tz_convert(None)
        p = _as_ns(p.to_numpy())  # pandas 3 parses into its own unit: no wrap-around
        got = ~np.isnat(p)
        idx = np.flatnonzero(todo)[got]
        parsed[idx] = p[got]
        todo[idx] = False
    n = len(txt)
    if len(u) == 0:
        return np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"), np.ones(n, bool), \
            np.zeros(n, bool), None
    codes = _small_codes(codes)
    na = codes < 0
    anyna = bool(na.any())
    c = np.where(na, 0, codes) if anyna else codes
    dates = parsed[c]
    if anyna:
        dates[na] = np.datetime64("NaT")
    # the usual case (no blank, every date parsed) without row-sized work
    blank = na | ublank[c] if anyna or ublank.any() else np.zeros(n, dtype=bool)
    bad = ~na & todo[c] if todo.any() else np.zeros(n, dtype=bool)
    return dates, blank, bad, (codes, parsed)


def _parse_dates(col: pd.Series, formats, excel):
    """(datetime64[ns] array, blank mask, unparsed mask) of a date column; ``excel`` is the
    workbook epoch for Excel files (serial numbers are dates), else None."""
    n = len(col)
    if pd.api.types.is_datetime64_any_dtype(col):
        out = col.dt.tz_localize(None) if getattr(col.dt, "tz", None) is not None else col
        out = _as_ns(out.to_numpy())
        return out, np.isnat(out), np.zeros(n, dtype=bool)
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        v = col.to_numpy(dtype=float, na_value=np.nan)
        blank = np.isnan(v)
        if excel:
            out, ok = _excel_serial(v, excel)
            return out, blank, ~blank & ~ok
        return np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"), blank, ~blank
    if col.dtype != object:
        return _parse_text_dates(col, formats)[:3]
    # Excel: datetime objects, serial numbers and texts mixed in one column
    kinds = col.map(lambda x: "d" if hasattr(x, "year") else (
        "n" if isinstance(x, (int, float)) and not isinstance(x, bool) else "t"),
        na_action="ignore").to_numpy(dtype=object)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    blank = np.array(col.isna().to_numpy(), dtype=bool)
    bad = np.zeros(n, dtype=bool)
    d = kinds == "d"
    if d.any():
        out[d] = _as_ns(pd.to_datetime(col[d].map(
            lambda x: pd.Timestamp(x).tz_localize(None) if getattr(x, "tzinfo", None) else x)
        ).to_numpy())
    nm = kinds == "n"
    if nm.any():
        if excel:
            o, ok = _excel_serial(col[nm].astype(float).to_numpy(), excel)
            out[nm] = o
            bad[nm] = ~ok
        else:
            bad |= nm
    t = kinds == "t"
    if t.any():
        o, b, u = _parse_text_dates(col[t].astype("str"), formats)[:3]
        out[t], blank[t], bad[t] = o, b, u
    return out, blank, bad


def _all_distinct(values: pd.Series, raw=None) -> bool:
    """Fast check that a text column has no repeated value.  Fixed-width texts (typical ids:
    "T0000001", "R_3kXp…", UUIDs) are looked at as rows of 8-byte words: ids in ascending or
    descending order (the usual order of an export) are distinct when each row differs from
    the next (one vectorised comparison); otherwise ids narrow per byte position get a dense
    key and a bitmap (:func:`_dense_distinct`), and others an exact integer key (width <= 8)
    or a 64-bit hash in a hash table.  Only when this is False does the caller compute
    which ids repeat (the slower pandas ``duplicated``).  ``raw``: the texts' byte matrix
    (:func:`_fixed_width_bytes`) when already at hand."""
    arr = getattr(values.array, "_pa_array", None)
    if arr is None:
        return bool(values.is_unique)
    import pyarrow.compute as pc

    if raw is None:
        raw = _fixed_width_bytes(values)
    if raw is not None:
        words = _words(raw)
        if _strictly_monotonic(words):
            return True
        dense = _dense_distinct(raw)
        if dense is not None:
            return dense
        if words.shape[1] == 1:  # the word is the text itself: an exact check
            return bool(pd.Index(words[:, 0]).is_unique)
        if pd.Index(_mix_words(words)).is_unique:
            return True  # equal texts have equal hashes, so distinct hashes prove distinct ids
    return len(pc.unique(arr)) == len(values)


def _fixed_width_bytes(values: pd.Series):
    """The texts of an arrow-backed text column without missing values whose texts all have
    the same byte length (typical ids), as an ``(n, width)`` uint8 matrix (a view of arrow's
    buffer); None for other columns."""
    chunked = getattr(values.array, "_pa_array", None)
    if chunked is None:
        return None
    import pyarrow as pa

    try:
        arr = chunked.combine_chunks() if hasattr(chunked, "combine_chunks") else chunked
        if arr.null_count or len(arr) < 2 or not (
                pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
            return None
        _, offs_buf, data_buf = arr.buffers()
        odt = np.int64 if pa.types.is_large_string(arr.type) else np.int32
        offs = np.frombuffer(offs_buf, dtype=odt)[arr.offset:arr.offset + len(arr) + 1]
        width = int(offs[1] - offs[0])
        if width == 0 or width > 64 or int(offs[-1] - offs[0]) != width * len(arr):
            return None
        if not np.all(np.diff(offs) == width):
            return None
        return np.frombuffer(data_buf, dtype=np.uint8)[offs[0]:offs[-1]].reshape(len(arr), width)
    except (ValueError, TypeError, AttributeError):  # unusual buffer layout: slow path
        return None


def _plain_edges(raw) -> bool:
    """True when every text of a byte matrix starts and ends with a printable ASCII character
    other than space (so stripping whitespace would change nothing)."""
    return bool(np.all((raw[:, 0] > 0x20) & (raw[:, 0] < 0x7F)) and
                np.all((raw[:, -1] > 0x20) & (raw[:, -1] < 0x7F)))


def _words(raw):
    """Rows of a byte matrix as an ``(n, k)`` uint64 matrix of big-endian 8-byte words
    (zero-padded), so that comparing rows word by word compares the texts byte by byte."""
    n, width = raw.shape
    w8 = -(-width // 8) * 8
    if w8 != width:
        padded = np.zeros((n, w8), dtype=np.uint8)
        padded[:, :width] = raw
        raw = padded
    return np.ascontiguousarray(raw).view(">u8").astype(np.uint64)


def _dense_distinct(raw):
    """Whether the rows of a byte matrix are distinct, decided exactly with a bitmap when each
    byte position varies over a narrow range (ids such as "T0001234", shuffled): the varying
    positions are read as digits of a mixed-radix number, a dense key below ``8 n``; the count
    of distinct keys is the count of set flags.  None when the key range would be too wide."""
    n = len(raw)
    cols = np.ascontiguousarray(raw.T)  # one row per byte position: fast reductions
    lo = cols.min(axis=1).astype(np.int64)
    span = cols.max(axis=1).astype(np.int64) - lo + 1
    total = 1
    for sp in span.tolist():
        total *= sp
    if total > 8 * n or total > 2**31 - 1:
        return None
    key = np.zeros(n, dtype=np.int32)
    for j in np.flatnonzero(span > 1).tolist():
        key *= np.int32(span[j])
        key += cols[j]
        key -= np.int32(lo[j])
    flags = np.zeros(total, dtype=bool)
    flags[key] = True
    return int(np.count_nonzero(flags)) == n


def _strictly_monotonic(words) -> bool:
    """True when the rows of a word matrix are strictly ascending or strictly descending
    (lexicographic), which proves them distinct.  Cheap: stops at the first word that
    shows neither order."""
    for sign in (1, -1):
        a, b = (words[:-1], words[1:]) if sign == 1 else (words[1:], words[:-1])
        if not np.all(b[:, 0] >= a[:, 0]):
            continue
        gt = b[:, 0] > a[:, 0]
        eq = ~gt
        for j in range(1, words.shape[1]):
            if not eq.any():
                break
            gt |= eq & (b[:, j] > a[:, j])
            eq &= b[:, j] == a[:, j]
        if gt.all():
            return True
    return False


def _mix_words(words):
    """64-bit hash of each row of a uint64 word matrix (multiply-xorshift mixing)."""
    h = np.full(len(words), np.uint64(0x9E3779B97F4A7C15))
    with np.errstate(over="ignore"):
        for j in range(words.shape[1]):
            h ^= words[:, j]
            h *= np.uint64(0xBF58476D1CE4E5B9)
            h ^= h >> np.uint64(31)
    return h


def _periods(dates, freq: str, fact=None, keep=None):
    """PeriodArray of datetime64 values (vectorised; NaT stays NaT).  ``fact`` = (codes,
    distinct dates) of the full column, ``keep`` its kept rows (a boolean mask or a
    :class:`_Rows`), when already factorised."""
    if fact is not None:
        codes, uniq = fact
        if keep is not None:
            codes = keep(codes) if callable(keep) else codes[keep]
    else:
        codes, uniq = pd.factorize(np.asarray(dates, dtype="datetime64[ns]"),
                                   use_na_sentinel=True)
    if len(uniq) == 0:
        return pd.arrays.PeriodArray(np.full(len(codes), np.iinfo(np.int64).min),
                                     dtype=pd.PeriodDtype(freq))
    d = np.asarray(uniq, dtype="datetime64[ns]")
    nat = np.isnat(d)
    if freq == "Y":
        ords = d.astype("datetime64[Y]").astype(np.int64)
    else:
        ords = d.astype("datetime64[M]").astype(np.int64)
        if freq == "Q":
            ords = ords // 3
    ords = np.where(nat, np.iinfo(np.int64).min, ords)
    if len(codes) and codes.min() >= 0:
        ords = ords[codes]
    else:
        ords = np.where(codes < 0, np.iinfo(np.int64).min, ords[np.where(codes < 0, 0, codes)])
    return pd.arrays.PeriodArray(ords, dtype=pd.PeriodDtype(freq))


def _categorical(col: pd.Series, labels=None, keep=None, fact=None) -> pd.Categorical:
    """Segment column as a Categorical of text labels (codes mapped through ``labels``), of
    the rows of ``keep`` (a boolean mask or a :class:`_Rows`) when given.  ``fact``: the
    column's :func:`_factorize` result when already computed."""
    codes, uniq = fact if fact is not None else _factorize(col)
    if keep is not None:  # (the codes are ours: compacted in place)
        codes = keep.compact(codes) if isinstance(keep, _Rows) else codes[keep]
    u = _as_text(pd.Series(uniq, dtype=object if col.dtype == object else col.dtype)).str.strip()
    u = u.where(u != "", np.nan)
    if labels:
        u = u.map(lambda x: labels.get(x, x), na_action="ignore")
    lab_codes, lab_uniq = pd.factorize(u, use_na_sentinel=True)
    if not len(u):
        final = np.full(len(codes), -1, dtype=np.int8)
    else:  # one gather through a small table; its last entry serves code -1 (missing)
        final = _small_codes(np.append(lab_codes, -1))[codes]
    return pd.Categorical.from_codes(final, categories=pd.Index(lab_uniq, dtype="str"),
                                     validate=False)


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def derived_levels(g) -> list:
    """The levels of a derived segment in their natural order (Mon … Sun, 00 h … 23 h,
    W01 … W53, Jan … Dec, or the bins ``a–b`` from low to high)."""
    if g.part == "weekday":
        return list(_WEEKDAYS)
    if g.part == "hour":
        return [f"{h:02d} h" for h in range(24)]
    if g.part == "week":
        return [f"W{w:02d}" for w in range(1, 54)]
    if g.part == "month_of_year":
        return list(_MONTHS)
    return [f"{a:g}–{b:g}" for a, b in zip(g.bins, g.bins[1:])]


def _derived_segment(g, df, kept_dates, date_col, formats, excel, sel) -> pd.Categorical:
    """A derived segment of the kept rows: a part of a date column (the configured date when
    ``from:`` names it) or the bin of a numeric column (bins are [a, b), the last [a, b]); rows
    without a date or number, or outside the bins, have no level (missing)."""
    levels = derived_levels(g)
    if g.part is not None:
        if kept_dates is not None and g.column == date_col:
            d = kept_dates
        else:
            d = sel(_parse_dates(df[g.column], formats, excel)[0])
        idx = pd.DatetimeIndex(d)
        if g.part == "weekday":
            codes = idx.day_of_week.to_numpy()
        elif g.part == "hour":
            codes = idx.hour.to_numpy()
        elif g.part == "week":
            codes = idx.isocalendar().week.to_numpy(dtype=float, na_value=np.nan) - 1
        else:
            codes = idx.month.to_numpy() - 1
        codes = np.where(idx.isna(), -1, np.nan_to_num(codes, nan=-1)).astype(np.int64)
    else:
        v = pd.to_numeric(pd.Series(sel(df[g.column].array)), errors="coerce").to_numpy(
            dtype=float, na_value=np.nan)
        edges = np.asarray(g.bins)
        codes = np.searchsorted(edges, v, side="right") - 1
        codes[v == edges[-1]] = len(edges) - 2
        codes[np.isnan(v) | (codes < 0) | (codes > len(edges) - 2)] = -1
    cat = pd.Categorical.from_codes(codes, categories=pd.Index(levels, dtype="str"))
    return cat.remove_unused_categories()


def _owned(a) -> bool:
    """A writable, contiguous 1-d numpy array owning its memory (safe to change in place)."""
    return (isinstance(a, np.ndarray) and a.ndim == 1 and a.flags.owndata and
            a.flags.writeable and a.flags.c_contiguous)


class _Rows:
    """Selects the kept rows (boolean mask ``keep``) of row-aligned arrays.  When only a few
    rows are dropped the kept runs are copied as blocks (text columns: arrow slices, no copy)
    instead of testing the mask row by row."""

    _MAX_RUNS = 64

    def __init__(self, keep):
        self.keep = keep
        self.all = bool(keep.all())
        self.runs = None
        self.drop = drop = np.flatnonzero(~keep)
        if not self.all and len(drop) < self._MAX_RUNS:
            starts = np.concatenate([[0], drop + 1])
            ends = np.concatenate([drop, [len(keep)]])
            ok = ends > starts
            runs = list(zip(starts[ok].tolist(), ends[ok].tolist()))
            self.runs = runs or None

    def __call__(self, a):
        if isinstance(a, pd.Series):
            a = a.array
        if self.all:
            return a
        if self.runs is None:
            return a[self.keep]
        if isinstance(a, np.ndarray):
            return np.concatenate([a[b:e] for b, e in self.runs])
        return type(a)._concat_same_type([a[b:e] for b, e in self.runs])

    def compact(self, a):
        """The kept rows of ``a``, moved to the front of ``a`` itself when it is a writable
        1-d array owning its memory (no new memory to allocate and fault in); a view."""
        if self.runs is None or not _owned(a):
            return self(a)
        o = 0
        for b, e in self.runs:
            if b != o:
                a[o:o + e - b] = a[b:e]  # overlapping: numpy copies through a buffer
            o += e - b
        return a[:o]

    def count(self, mask) -> int:
        """Number of kept rows where ``mask`` is True."""
        if self.all:
            return int(np.count_nonzero(mask))
        if self.runs is not None:
            return int(np.count_nonzero(mask)) - int(np.count_nonzero(mask[self.drop]))
        return int(np.count_nonzero(mask & self.keep))


def _pivot_long(s: _Source, df, cfg, rid, date_col):
    """Long-form relationship survey → one row per respondent and one column per brand.

    Row checks happen on the source rows first (missing id, unknown brand, repeated
    respondent × brand); respondent-level columns must agree across a respondent's rows.
    Returns the wide frame and its working state, whose rows carry the number of source rows
    behind them (so the LoadReport still counts source rows)."""
    rel, src = cfg.relationship, s.src
    bcol, vcol = rel["brand_column"], rel["score_column"]
    ids = _as_text(df[rid]).astype("str").str.strip()
    s.invalid("missing respondent id", rid, (ids.isna() | (ids == "")).to_numpy(), df[rid],
              "blank respondent ids", "Long-form rows are grouped by respondent: fill them in.")
    brand = _as_text(df[bcol]).astype("str").str.strip()
    brands = list(cfg.scores)
    s.invalid("unknown brand", bcol, ~brand.isin(brands).to_numpy(), df[bcol],
              f"brands not in `relationship.brands` ({', '.join(brands)})",
              "Add them to `relationship.brands` (or fix the spelling in the file).")
    live = ~s.excl
    key = ids + "\x1f" + brand
    dup = np.zeros(s.n, dtype=bool)
    dup[live] = key[live].duplicated(keep="first").to_numpy()
    s.invalid("duplicate brand answer", bcol, dup, ids,
              "repeated answers of one respondent for the same brand",
              "Remove the repeated rows.")
    live = ~s.excl
    codes, _ = pd.factorize(ids.where(live, np.nan), use_na_sentinel=True)
    k = int(codes.max()) + 1 if live.any() else 0
    pos = np.flatnonzero(live)
    first = np.full(k, s.n, dtype=np.int64)
    np.minimum.at(first, codes[pos], pos)
    mult = np.bincount(codes[pos], minlength=k)
    person = [c for c in [date_col, cfg.weight, *(g.column for g in cfg.segments.values()),
                          *cfg.text] if c is not None and c in df.columns]
    for col in dict.fromkeys(person):
        t = _as_text(df[col]).astype("str").to_numpy(dtype=object)[pos]
        ref = _as_text(df[col]).astype("str").to_numpy(dtype=object)[first][codes[pos]]
        differ = ~((t == ref) | (pd.isna(t) & pd.isna(ref)))
        if differ.any():
            i = pos[np.flatnonzero(differ)[0]]
            j = first[codes[i]]
            raise SurveyDataError(
                f"{s.path}: respondent {_shown(ids.iloc[i])!r} has different {col!r} values on "
                f"rows {s.rows[j]} ({_shown(df[col].iloc[j])!r}) and {s.rows[i]} "
                f"({_shown(df[col].iloc[i])!r}); in a long-form file every row of a "
                f"respondent must repeat the same respondent-level values. Fix the file.",
                path=s.path, column=col, rows=[int(s.rows[j]), int(s.rows[i])])
    keep_cols = list(dict.fromkeys([rid, *person]))
    wide = df.iloc[first][keep_cols].reset_index(drop=True) if k else df.iloc[:0][keep_cols]
    vals = df[vcol]
    numeric = pd.api.types.is_numeric_dtype(vals) and not pd.api.types.is_bool_dtype(vals)
    raw = vals.to_numpy(dtype=float, na_value=np.nan) if numeric else \
        vals.to_numpy(dtype=object)
    barr = brand.to_numpy(dtype=object)
    for b in brands:
        col = np.full(k, np.nan) if numeric else np.full(k, np.nan, dtype=object)
        m = live & (barr == b)
        col[codes[m]] = raw[m]
        wide[b] = col
    wide.attrs = dict(df.attrs)
    s2 = _Source(cfg, src, wide)
    s2.rows = s.rows[first] if k else np.zeros(0, dtype=np.int64)
    s2.mult = mult
    s2.records = s.records
    s2.n_read = s.n
    return wide, s2


def _score_text(s: _Source, sc, col, num, text, txt):
    """Read the unparsed texts of a score column through ``labels:`` and numeric text; an
    unmapped label (when ``labels:`` is given) is an error listing the labels seen, or an
    exclusion (``on_invalid: exclude``).  Returns (num, still-unparsed mask, note or "")."""
    from .labels import normalize_label, parse_score_text

    codes, uniq = pd.factorize(txt.where(text, np.nan), use_na_sentinel=True)
    got = parse_score_text(list(uniq), dict(sc.labels))
    ok = ~np.isnan(got)
    num = np.array(num, dtype=float, copy=True)
    hit = (codes >= 0) & ok[np.where(codes >= 0, codes, 0)]
    num[hit] = got[codes[hit]]
    text = text & ~hit
    n_lab = int(np.count_nonzero(hit))
    note = ""
    if n_lab:
        kinds = "answer labels and numeric text" if sc.labels else "numeric text"
        shown = ", ".join(f"{u!r} → {g:g}" for u, g in list(zip(uniq, got))[:6]
                          if not np.isnan(g))
        note = (f"score `{sc.name}` (column {sc.column!r}): {n_lab} text answers ({kinds}) "
                f"read as numbers "
                f"({shown}{' …' if ok.sum() > 6 else ''}).")
    if sc.labels and text.any():
        seen = pd.Series(txt[text].to_numpy()).value_counts()
        known = sorted({normalize_label(u) for u, g in zip(uniq, got) if not np.isnan(g)})
        listed = ", ".join(f"{v!r} ({c}×)" for v, c in seen.head(10).items())
        s.invalid("unmapped score label", sc.column, text, col,
                  f"answer labels not in `scores.{sc.name}.labels` (labels seen that are not "
                  f"mapped: {listed}; mapped: {', '.join(map(repr, known)) or 'none'})",
                  f"Add them to `scores.{sc.name}.labels` (matching ignores case and spaces), "
                  f"or declare them in `scores.{sc.name}.missing` if they mean 'no answer'.")
        text = text & ~s.excl
    return num, text, note


# ============================================================ one source ====================
def _needed(cfg: SurveyConfig, layout: str, available):
    """Resolve the config's column roles against a file's columns (vendor defaults)."""
    rid = cfg.respondent_id
    if rid is None:
        rid = next((c for c in _VENDOR_ID.get(layout, []) if c in available), None)
    date, formats = (cfg.date.column, cfg.date.formats) if cfg.date else (None, ("ISO8601",))
    if date is None and cfg.period is not None and any(s.period is None for s in cfg.sources):
        date = next((c for c in _VENDOR_DATE.get(layout, []) if c in available), None)
    if cfg.date is None or cfg.date.formats == ("ISO8601",):
        formats = _VENDOR_DATE_FORMATS.get(layout, formats)
    return rid, date, formats


def _check_sheet_facts(s, attrs, roles, src):
    """Excel: a configured column whose data rows hold merged cells or formulas without a
    stored result would be read with blanks that are not blanks: an error saying what
    happened and how to fix the workbook (notes alone for other columns)."""
    formulas = {src.rename.get(c, c): r for c, r in (attrs.get("uncached_formulas") or {}).items()}
    first = int(attrs.get("first_row", 2))
    for col, role in roles:
        if role == "`text`":
            continue
        if col in formulas:
            rows = formulas[col]
            raise SurveyDataError(
                f"{s.path}: column {col!r} ({role}): {len(rows)} cell(s) hold a formula "
                f"without a stored result (rows {', '.join(map(str, rows[:_SHOW]))}"
                f"{' …' if len(rows) > _SHOW else ''}); their values are unknown, not blank. "
                f"The workbook was written by a program that does not compute formulas: open "
                f"it in Excel or LibreOffice and save it (the results are then stored), or "
                f"paste the values.", path=s.path, column=col, rows=rows[:_SHOW])
        for m in attrs.get("merged_cells") or []:
            cols = [src.rename.get(c, c) for c in m["columns"]]
            rows = [r for r in m["rows"] if r > first]  # cells after the first hold no value
            if col in cols and rows and (len(m["rows"]) > 1):
                raise SurveyDataError(
                    f"{s.path}: column {col!r} ({role}): cells {m['range']} are merged; Excel "
                    f"keeps the value only in the first cell, so rows "
                    f"{', '.join(map(str, rows[:_SHOW]))}{' …' if len(rows) > _SHOW else ''} "
                    f"read as blank. Unmerge them (Home > Merge & Center > Unmerge Cells), fill "
                    f"the value into every row and save again.", path=s.path, column=col,
                    rows=rows[:_SHOW])


def _load_source(cfg: SurveyConfig, src, frame=None):
    """Validate and map one source; ``frame``: an in-memory table (:func:`cxkit.from_frame`)
    checked exactly as a file's rows would be (read from ``src.path`` when None)."""
    inv = {v: k for k, v in src.rename.items()}
    dtype = {}
    if cfg.respondent_id:  # ids stay text (keeps leading zeros and every digit)
        dtype[inv.get(cfg.respondent_id, cfg.respondent_id)] = object
    else:  # the vendor id columns used by default (SurveyMonkey's are numeric)
        for names in _VENDOR_ID.values():
            dtype.update({inv.get(n, n): object for n in names})
    # segments (and a text date) are wanted once per distinct value: Parquet text columns are
    # then read dictionary-encoded, as categoricals
    cats = [inv.get(g.column, g.column) for g in cfg.segments.values()]
    if cfg.date is not None:
        cats.append(inv.get(cfg.date.column, cfg.date.column))
    df = frame if frame is not None else read_export(
        src.path, format=src.format, sheet=src.sheet, encoding=src.encoding,
        delimiter=src.delimiter, dtype=dtype, categories=cats)
    attrs = dict(df.attrs)
    if src.rename:
        clash = [b for a, b in src.rename.items() if a in df.columns and b in df.columns and a != b]
        if clash:
            raise SurveyDataError(f"{src.path}: `rename:` maps onto {clash}, which the file "
                                  f"already has. Rename to another name.", path=src.path,
                                  column=clash[0])
        df = df.rename(columns=dict(src.rename))
        df.attrs = attrs
        attrs["labels"] = {src.rename.get(k, k): v for k, v in attrs.get("labels", {}).items()}
        for key in ("value_labels", "missing_codes", "missing_ranges"):
            attrs[key] = {src.rename.get(k, k): v for k, v in attrs.get(key, {}).items()}
    s = _Source(cfg, src, df)
    layout = attrs.get("layout", "plain")
    if s.n == 0:
        sheets = attrs.get("sheets")
        hint = (f" (read sheet {attrs.get('sheet')!r}; the workbook's sheets are {sheets} — set "
                f"`sheet:` on the source if the data are on another)"
                if sheets and len(sheets) > 1 else "")
        raise SurveyDataError(f"{src.path}: the file has a header but no data rows{hint}. "
                              f"Export the survey again, or remove this file from `sources:`.",
                              path=src.path)
    available = list(df.columns)
    rid, date_col, formats = _needed(cfg, layout, available)

    roles = []
    if cfg.respondent_id:
        roles.append((cfg.respondent_id, "`respondent_id`"))
    if date_col and src.period is None:
        roles.append((date_col, "`date`"))
    if cfg.weight:
        roles.append((cfg.weight, "`weight`"))
    roles += [(g.column, f"`segments.{g.name}`") for g in cfg.segments.values()]
    long_form = cfg.long_form
    if long_form:
        if rid is None:
            raise SurveyDataError(f"{src.path}: a long-form relationship survey (one row per "
                                  f"respondent and brand) needs `respondent_id:` to group the "
                                  f"rows of each respondent.", path=src.path)
        roles += [(cfg.relationship["brand_column"], "`relationship.brand_column`"),
                  (cfg.relationship["score_column"], "`relationship.score_column`")]
    else:
        roles += [(sc.column, f"`scores.{sc.name}.column`") for sc in cfg.scores.values()]
        roles += [(sc.column, f"`drivers.ratings.{sc.name}.column`") for sc in cfg.driver_scores]
    roles += [(t, "`text`") for t in cfg.text]
    if cfg.period and src.period is None and date_col is None:
        raise SurveyDataError(f"{src.path}: `period: {cfg.period}` needs a date, but the config "
                              f"has no `date:` and this source no fixed `period:`. Add one.",
                              path=src.path)
    dups = attrs.get("duplicate_columns", {})
    for col, role in roles:
        if col not in df.columns:
            raise _missing_column(s, col, role, available)
        if col in dups:
            raise SurveyDataError(
                f"{src.path}: column {col!r} ({role}) appears {len(dups[col])} times in the "
                f"header (columns {', '.join(dups[col])}); cxkit cannot tell which one to use. "
                f"Rename the copies in the file (they are read as {col!r}, {col + ' (2)'!r} …) "
                f"and point the config at the right one.", path=src.path, column=col)

    _check_sheet_facts(s, attrs, roles, src)

    # the costliest step of a large CSV, hashing the segment and date texts, starts now in
    # background threads and overlaps with the checks below
    # (the date first: it is needed first)
    pre = {} if long_form else _prefactorize(df, (
        [date_col] if date_col is not None and src.period is None else []) + [
        g.column for g in cfg.segments.values() if not g.derived])

    # --- structural exclusions -------------------------------------------------------------
    s.flag("empty row", "", _empty_rows(df))
    trunc = attrs.get("truncated_rows") or []
    if trunc:
        s.flag("truncated row", "", np.isin(s.rows, trunc))
    if layout == "qualtrics":
        for col, bad in (("Status", _PREVIEW_STATUS), ("DistributionChannel", _PREVIEW_CHANNEL)):
            if col in df.columns:
                t = _as_text(df[col]).str.strip().str.lower()
                s.flag("survey preview/test", col, t.isin(bad).to_numpy(), df[col])
    if long_form:
        df, s = _pivot_long(s, df, cfg, rid, date_col)

    out = {}
    # --- respondent id ---------------------------------------------------------------------
    if rid is not None:
        ids = _as_text(df[rid]).astype("str")
        raw = _fixed_width_bytes(ids)
        if raw is not None and _plain_edges(raw):  # no blank, nothing to strip: skip both
            miss = np.zeros(s.n, dtype=bool)
        else:
            ids, raw = ids.str.strip(), None
            miss = (ids.isna() | (ids == "")).to_numpy()
        s.invalid("missing respondent id", rid, miss, df[rid], "blank respondent ids",
                  "Fill in the ids, or remove `respondent_id:` from the config to number rows "
                  "instead.")
        if src.id_prefix:
            ids, raw = src.id_prefix + ids, None
        live = ~s.excl
        if live.all() and _all_distinct(ids, raw):
            dup = np.zeros(s.n, dtype=bool)
        elif live.all():
            dup = ids.duplicated(keep="first").to_numpy()
        else:
            dup = np.zeros(s.n, dtype=bool)
            dup[live] = ids[live].duplicated(keep="first").to_numpy()
        if dup.any() and cfg.on_invalid == "error":
            first_vals = list(dict.fromkeys(ids[dup].tolist()))[:_SHOW]
            parts = []
            for v in first_vals:
                r = s.rows[((ids == v).to_numpy()) & live][:_SHOW]
                parts.append(f"{_shown(v)!r} on rows {', '.join(map(str, r))}")
            raise SurveyDataError(
                f"{src.path}: column {rid!r}: {int(dup.sum())} duplicate respondent ids — "
                f"{'; '.join(parts)}. Remove the repeated responses from the file, or set "
                f"`on_invalid: exclude` to keep the first and exclude the repeats (reported).",
                path=src.path, column=rid, rows=[int(x) for x in s.rows[dup][:_SHOW]])
        s.flag("duplicate respondent id", rid, dup, ids)
        out["respondent_id"] = ids
    else:
        out["respondent_id"] = pd.Series(src.id_prefix + src.name + ":" + s.rows.astype(str),
                                         index=df.index, dtype="str")

    # --- date --------------------------------------------------------------------------------
    date_fact = None
    if date_col is not None and src.period is None:
        excel = attrs.get("excel_epoch") if attrs.get("format") == "excel" else None
        col = df[date_col]
        if col.dtype != object and not pd.api.types.is_numeric_dtype(col) and not \
                pd.api.types.is_datetime64_any_dtype(col):
            dates, dblank, dbad, date_fact = _parse_text_dates(
                col, formats, _prefactorized(pre, date_col))
        else:
            dates, dblank, dbad = _parse_dates(col, formats, excel)
        fmt_hint = ", ".join(repr(f) for f in formats)
        s.invalid("missing date", date_col, dblank, df[date_col], "blank dates",
                  "Fill them in, or give this source a fixed `period:`.")
        s.invalid("unparseable date", date_col, dbad, df[date_col],
                  f"dates not in the accepted format(s) {fmt_hint}",
                  f"Set `date: {{column: {date_col}, format: [\"ISO8601\", \"%d/%m/%Y\"]}}` "
                  f"listing the formats the file uses (tried in order; day-first vs "
                  f"month-first is never guessed).")
        lo, hi = _date_bounds(cfg)
        ok = ~dblank & ~dbad
        s.invalid("date out of range", date_col, ok & ((dates < lo) | (dates >= hi)),
                  df[date_col], f"dates outside the plausible range {str(lo)[:10]} … "
                  f"{str(hi - np.timedelta64(1, 'D'))[:10]} (typos such as 9999-12-31 or "
                  f"0024-05-01, Excel serial numbers far in the future, placeholders)",
                  "Fix them in the file, or widen the range with `date: {column: "
                  f"{date_col}, min: \"1990-01-01\", max: \"2030-12-31\"}}`.")
        out["date"] = dates
    elif cfg.date is not None and date_col in df.columns:  # fixed period: dates kept as read
        out["date"], _, _ = _parse_dates(df[date_col], formats, attrs.get("excel_epoch")
                                         if attrs.get("format") == "excel" else None)

    # --- weight ------------------------------------------------------------------------------
    if cfg.weight:
        w, wblank, wtext, _ = _numeric(df[cfg.weight])
        raw = df[cfg.weight]
        s.invalid("missing weight", cfg.weight, wblank, raw, "blank weights",
                  "Every kept response needs a positive weight: fill them in, or remove "
                  "`weight:` from the config.")
        s.invalid("weight not a number", cfg.weight, wtext | np.isinf(w), raw,
                  "weights that are not (finite) numbers", "Weights must be positive numbers.")
        s.invalid("non-positive weight", cfg.weight, ~np.isnan(w) & (w <= 0), raw,
                  "weights that are zero or negative",
                  "Weights must be > 0: fix them, or drop those rows from the file.")
        wlo, whi = WEIGHT_RANGE
        s.invalid("weight out of range", cfg.weight, (w > whi) | ((w > 0) & (w < wlo)), raw,
                  f"weights outside {wlo:g} … {whi:g} (their sums of squares would overflow "
                  f"or underflow float64)", "Only the ratios of weights matter: divide the "
                  "weights by their mean (or fix the absurd ones).")
        out["weight"] = w

    # --- scores ------------------------------------------------------------------------------
    miss_info = {}
    for sc in (*cfg.scores.values(), *cfg.driver_scores):
        col = df[sc.column]
        num, blank, text, txt = _numeric(col)
        codes = [c for c in sc.missing if not (isinstance(c, str) and c == "")]
        numcodes = {float(c) for c in codes if isinstance(c, float)}
        txtcodes = set()
        for c in codes:
            if isinstance(c, str):
                try:
                    numcodes.add(float(c))
                except ValueError:
                    txtcodes.add(c.casefold())
        numcodes.update(float(c) for c in attrs.get("missing_codes", {}).get(sc.column, [])
                        if isinstance(c, (int, float)))
        if not numcodes:
            dnum = np.zeros(s.n, dtype=bool)
        elif len(numcodes) <= 8:  # a few codes: comparisons, no sort
            codes_ = sorted(numcodes)
            dnum = num == codes_[0]
            for c in codes_[1:]:
                dnum |= num == c
        else:
            dnum = np.isin(num, list(numcodes))
        for lo, hi in attrs.get("missing_ranges", {}).get(sc.column, []):
            if isinstance(lo, (int, float)) and isinstance(hi, (int, float)):
                dnum |= (num >= lo) & (num <= hi)
        dtxt = np.zeros(s.n, dtype=bool)
        if txtcodes and txt is not None and text.any():
            dtxt = text & txt.str.casefold().isin(txtcodes).to_numpy()
        declared = dnum | dtxt
        text &= ~declared
        if text.any():  # answer labels and numeric text ("10 - Extremely likely")
            num, text, lnote = _score_text(s, sc, col, num, text, txt)
            if lnote:
                attrs["notes"] = list(attrs.get("notes", [])) + [lnote]
        valid = ~np.isnan(num) & ~declared
        lo, hi = sc.scale
        where = "drivers.ratings" if sc.name not in cfg.scores else "scores"
        key = f"`{where}.{sc.name}.missing`"
        s.invalid("score not a number", sc.column, text, col,
                  f"values that are not numbers (score `{sc.name}`, scale {lo:g}–{hi:g})",
                  f"If they mean 'no answer', declare them: add them to {key}; if they are "
                  f"answer labels, map them to numbers with `scores.{sc.name}.labels`.")
        # the same tests the analyses apply to plain frames (core.validate)
        whole, outside = scale_violations(num, lo, hi, sc.integer and not
                                          pd.api.types.is_integer_dtype(col), valid)
        if sc.integer and not pd.api.types.is_integer_dtype(col):  # integers are whole
            s.invalid("score not a whole number", sc.column, whole, col,
                      f"scores that are not whole numbers (score `{sc.name}`, scale "
                      f"{lo:g}–{hi:g})", f"Fix the data, or set `{where}.{sc.name}.integer: "
                      f"false` if fractional scores are legitimate.")
        s.invalid("score outside scale", sc.column, outside, col,
                  f"values outside the scale {lo:g}–{hi:g} (score `{sc.name}`)",
                  f"If they are codes for 'no answer' (e.g. 11 = blank), add them to {key}; "
                  f"if the scale is wrong, fix `{where}.{sc.name}.scale`.")
        out[sc.name] = (num, valid)
        miss_info[sc.name] = (sc.column, blank & ~declared, dnum, dtxt, num, txt)

    if cfg.exclude_no_score:
        anyvalid = np.zeros(s.n, dtype=bool)
        for name in cfg.scores:
            anyvalid |= out[name][1]
        s.flag("no valid score", "", ~anyvalid)

    # --- raking and design variables: a response without one cannot be weighted or placed -----
    facts = {}
    for reason, section, mode, names in _weighting_design_segments(cfg):
        for name in names:
            g = cfg.segments[name]
            if g.derived:
                every = _Rows(np.ones(s.n, dtype=bool))
                miss = np.asarray(_derived_segment(
                    g, df, out.get("date"), date_col, formats, attrs.get("excel_epoch")
                    if attrs.get("format") == "excel" else None, every).codes) < 0
            else:
                if g.column not in facts:
                    facts[g.column] = _prefactorized(pre, g.column) or _factorize(df[g.column])
                miss = _segment_blank(df[g.column], facts[g.column])
            _missing_variable(s, reason, section, mode, name, g.column, miss,
                              df[g.column] if g.column in df.columns else None)

    # --- assemble the kept rows --------------------------------------------------------------
    keep = ~s.excl
    nkeep = int(keep.sum())
    allkept = nkeep == s.n
    sel = _Rows(keep)

    mrecs = []
    for name, (column, blank, dnum, dtxt, num, txt) in miss_info.items():
        codes = {}
        if dnum.any():
            kn = dnum & keep
            if kn.any():
                vc = pd.Series(num[kn]).value_counts()
                codes.update({_fmt_value(float(k)): int(v) for k, v in vc.items()})
        if dtxt.any():
            kt = dtxt & keep
            if kt.any():
                vc = txt[kt].value_counts()
                codes.update({str(k): int(v) for k, v in vc.items()})
        mrecs.append({"file": src.name, "score": name, "column": column,
                      "valid": sel.count(out[name][1]), "blank": sel.count(blank),
                      "declared": sel.count(dnum | dtxt),
                      "codes": dict(sorted(codes.items()))})
    # (row-sized arrays made here and used no more are compacted in place: no new memory)
    frame = {"respondent_id": sel(out["respondent_id"]),
             "source": np.zeros(nkeep, dtype=np.int32),
             "source_row": sel.compact(s.rows)}
    if s.mult is not None:
        frame["_rows"] = sel(s.mult)
    if "date" in out:
        frame["date"] = sel.compact(out["date"])
    if cfg.period:
        freq = cfg.period_freq
        if src.period is not None:
            frame["period"] = pd.PeriodIndex([pd.Period(src.period, freq=freq)]).repeat(
                nkeep).array
        else:
            frame["period"] = _periods(frame["date"], freq, date_fact, sel)
    vlabels = attrs.get("value_labels", {})
    for g in cfg.segments.values():
        if g.derived:
            frame[g.name] = _derived_segment(g, df, frame.get("date"), date_col, formats,
                                             attrs.get("excel_epoch"), sel)
            continue
        labels = g.labels
        if labels is None and g.column in vlabels:
            labels = {_fmt_value(float(k)) if isinstance(k, (int, float)) else str(k): str(v)
                      for k, v in vlabels[g.column].items()}
        frame[g.name] = _categorical(df[g.column], labels, None if allkept else sel,
                                     facts.pop(g.column, None) or _prefactorized(pre, g.column))
    if cfg.weight:
        frame["weight"] = sel.compact(out["weight"])
    for name in (*cfg.scores, *(d.name for d in cfg.driver_scores)):
        num, valid = out[name]
        if _owned(num):
            np.copyto(num, np.nan, where=~valid)
            frame[name] = sel.compact(num)
        elif allkept:
            frame[name] = np.where(valid, num, np.nan)
        else:
            v = sel(num)  # a new array: NaN written in place
            v[~sel(valid)] = np.nan
            frame[name] = v
    for tcol in cfg.text:
        frame[tcol] = sel(_as_text(df[tcol]).astype("str"))
    part = pd.DataFrame(frame, copy=False)

    info = {"file": src.name, "path": str(src.path), "format": attrs.get("format", ""),
            "layout": layout, "rows_read": s.n_read}
    labels = {}
    for g in cfg.segments.values():
        if g.column in attrs.get("labels", {}):
            labels[g.name] = attrs["labels"][g.column]
    for sc in cfg.scores.values():
        if sc.column in attrs.get("labels", {}):
            labels[sc.name] = attrs["labels"][sc.column]
    notes = [f"{src.name}: {redact_text(n)}" for n in attrs.get("notes", [])]
    return part, s.records, mrecs, info, labels, notes


# ============================================================ entry point ===================
def load_survey(config, engine=None) -> LoadResult:
    """Load a survey into the canonical tidy responses table, with a row-accounting report.

    Parameters
    ----------
    config : path-like, ``"demo"``, dict or SurveyConfig
        The survey config YAML (see ``docs/loading.md``), ``"demo"`` for the bundled demo
        survey, the config as a dict (relative paths then relative to the project folder) or
        a :class:`cxkit.SurveyConfig`.
    engine : {"pandas", "duckdb"}, optional
        Where the checks run (default: the config's ``engine:``, else ``"pandas"``).
        ``"duckdb"`` validates plain CSV/Parquet sources inside DuckDB and returns the kept
        rows as a lazy :class:`cxkit.EngineSurvey` (nothing is read into Python) with the same
        :class:`LoadReport` — see ``docs/scaling.md``, "Loading on the engine".

    Returns
    -------
    LoadResult
        A named tuple ``(responses, report)``:

        * ``responses`` — one row per kept response: ``respondent_id`` (str), ``source``
          (category, file name), ``source_row`` (int, spreadsheet row), ``date``
          (datetime64, when configured), ``period`` (Period, when configured), one category
          column per segment, ``weight`` (float, when configured), one float column per score
          (NaN = blank or declared missing) and the text columns.  ``responses.attrs["cxkit"]``
          holds ``metrics`` (score → :class:`cxkit.MetricSpec`), ``scales``, ``segments``,
          ``weight``, ``period``, ``survey``, ``relationship``, ``config_path`` and ``labels``
          (question texts by canonical name, when the export has them).
        * ``report`` — a :class:`LoadReport`.

    Raises
    ------
    cxkit.ConfigError
        The config is invalid.
    cxkit.SurveyDataError
        A file is missing, empty or unreadable, a column is missing, or (unless
        ``on_invalid: exclude``) a value is invalid; the message names file, column, rows and
        values and says what to change.

    Notes
    -----
    Exclusion reasons, applied in this order (a row counts under its first reason):
    ``empty row``, ``truncated row``, ``survey preview/test``, ``missing respondent id``,
    ``unknown brand`` and ``duplicate brand answer`` (long-form relationship surveys),
    ``duplicate respondent id``, ``missing date``, ``unparseable date``, ``date out of range``,
    ``missing weight``, ``weight not a number``, ``non-positive weight``,
    ``weight out of range``, ``score not a number``, ``score not a whole number``, ``score outside scale``, ``no valid score``,
    ``missing raking variable`` (a ``weighting:`` target segment blank) and ``missing design
    variable`` (a ``design:`` stratum, cluster or fpc blank) — these two are excluded by
    default; ``on_missing: error`` in the section makes them errors.
    Validation is vectorised (no per-row Python loops on CSV/Parquet input).

    Examples
    --------
    >>> responses, report = load_survey("demo")                # doctest: +SKIP
    >>> report.rows_kept + report.rows_excluded == report.rows_read   # doctest: +SKIP
    True
    """
    if isinstance(config, dict):
        cfg = config_from_dict(config)
    else:
        cfg = config if isinstance(config, SurveyConfig) else read_config(config)
    engine = getattr(cfg, "engine", "pandas") if engine is None else engine
    if engine != "pandas":
        from .config import ENGINES
        if engine not in ENGINES:
            from ..core.errors import ConfigError
            raise ConfigError(f"load_survey: `engine` must be one of {', '.join(ENGINES)}, "
                              f"not {engine!r}.")
        from ..engines.loader import load_survey_engine  # lazy: io does not import engines

        return load_survey_engine(cfg, engine)
    if getattr(cfg, "layout", "respondents") == "aggregated":
        from .aggregated import load_aggregated

        return load_aggregated(cfg)
    return _load(cfg)


def _load(cfg: SurveyConfig, frames=None) -> LoadResult:
    """The loader's one code path: every source validated, mapped and accounted for.
    ``frames``: ``{source index: DataFrame}`` of in-memory sources (:func:`cxkit.from_frame`)."""
    frames = frames or {}
    parts, records, mrecs, infos, labels, notes = [], [], [], [], {}, []
    for i, src in enumerate(cfg.sources):
        part, rec, mrec, info, lab, nts = _load_source(cfg, src, frames.get(i))
        if i:
            part["source"] = np.int32(i)
        parts.append(part)
        records += rec
        mrecs += mrec
        infos.append(info)
        notes += nts
        for k, v in lab.items():
            labels.setdefault(k, v)
    resp = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    resp["source"] = pd.Categorical.from_codes(resp["source"].to_numpy(),
                                               categories=[i["file"] for i in infos],
                                               validate=False)  # codes are 0 … len(parts)-1

    # duplicate ids across files (within-file duplicates were handled per file)
    if len(parts) > 1:
        dup = resp["respondent_id"].duplicated(keep="first").to_numpy()
        if dup.any():
            first = resp.loc[dup, "respondent_id"].iloc[0]
            where = resp.loc[resp["respondent_id"] == first, ["source", "source_row"]]
            shown = "; ".join(f"{a} row {b}" for a, b in where.head(_SHOW).itertuples(
                index=False))
            if cfg.on_invalid == "error":
                raise SurveyDataError(
                    f"respondent id {_shown(first)!r} appears in more than one file ({shown}); "
                    f"{int(dup.sum())} ids repeat across files. If the files overlap, remove "
                    f"the repeats or set `on_invalid: exclude` (keeps the first); if each "
                    f"file numbers its own respondents, give each source an `id_prefix:`.",
                    path=where["source"].iloc[-1], column=cfg.respondent_id,
                    rows=[int(x) for x in where["source_row"].head(_SHOW)])
            d = resp[dup]
            for f, g in d.groupby("source", sort=False):
                records.append({"file": f, "reason": "duplicate respondent id",
                                "column": cfg.respondent_id or "",
                                "count": int(g["_rows"].sum()) if "_rows" in g else len(g),
                                "rows": [int(x) for x in g["source_row"].head(_KEEP_ROWS)],
                                "values": [_shown(x) for x in g["respondent_id"].head(_KEEP_ROWS)],
                                })
            resp = resp[~dup].reset_index(drop=True)

    if len(parts) > 1:  # concat turns differing categoricals into object/str: re-type
        resp["respondent_id"] = resp["respondent_id"].astype("str")
        for g in cfg.segments:
            resp[g] = resp[g].astype("category")
            if cfg.segments[g].derived:  # keep the natural order of derived levels
                present = set(resp[g].cat.categories)
                resp[g] = resp[g].cat.reorder_categories(
                    [lv for lv in derived_levels(cfg.segments[g]) if lv in present])
        for tcol in cfg.text:
            resp[tcol] = resp[tcol].astype("str")

    if len(parts) == 1:
        responses_per_file = pd.Series([len(resp)], index=[infos[0]["file"]])
    else:
        responses_per_file = resp["source"].value_counts(sort=False)
    if "_rows" in resp:  # long form: several source rows behind each response
        kept = resp.groupby("source", observed=False)["_rows"].sum()
        resp = resp.drop(columns="_rows")
    else:
        kept = responses_per_file
    files = pd.DataFrame(infos)
    files["rows_kept"] = files["file"].map(kept).fillna(0).astype("int64")
    excl = pd.DataFrame(records, columns=["file", "reason", "column", "count", "rows", "values"])
    excl["count"] = excl["count"].astype("int64")
    byfile = excl.groupby("file")["count"].sum()
    files["rows_excluded"] = files["file"].map(byfile).fillna(0).astype("int64")
    files["responses"] = files["file"].map(responses_per_file).fillna(0).astype("int64")
    bad = files[files["rows_kept"] + files["rows_excluded"] != files["rows_read"]]
    if len(bad):  # an internal invariant; never expected
        raise RuntimeError(f"cxkit bug: row accounting does not add up for {bad.to_dict()}")
    missing = pd.DataFrame(mrecs, columns=["file", "score", "column", "valid", "blank",
                                           "declared", "codes"])
    weighting = _apply_weighting(cfg, resp)
    report = LoadReport(survey=cfg.survey, files=files, exclusions=excl, missing=missing,
                        notes=tuple(notes), weighting=weighting)
    rel = None if cfg.relationship is None else dict(cfg.relationship)
    resp.attrs = {"cxkit": {
        "metrics": cfg.metrics,
        "scales": {k: tuple(s.scale) for k, s in cfg.scores.items()},
        "integer": {k: bool(s.integer) for k, s in cfg.scores.items()},
        "segments": list(cfg.segments),
        "weight": "weight" if (cfg.weight or weighting) else None,
        "weighting": weighting,
        "design": None if not cfg.design else {k: v for k, v in cfg.design.items()
                                               if k != "on_missing"},
        "period": cfg.period_freq,
        "survey": cfg.survey,
        "relationship": rel,
        "config_path": None if cfg.path is None else str(cfg.path),
        "labels": labels,
        "drivers": None if not cfg.drivers else {
            "outcome": cfg.drivers["outcome"],
            "ratings": {k: d.to_dict() for k, d in cfg.drivers["ratings"].items()}},
        "follow_up": None if not cfg.follow_up else dict(cfg.follow_up),
    }}
    return LoadResult(resp, report)


def _apply_weighting(cfg, resp):
    """Rake ``resp`` in place to the config's ``weighting:`` targets; return the diagnostics.

    The raked weight becomes the ``weight`` column; a configured weight is kept as
    ``base_weight`` (the raking's starting weight unless ``base_weight: false``).  A long-form
    relationship survey is raked once per respondent (its first row) and the weight copied to
    the respondent's other rows."""
    if not cfg.weighting:
        return None
    from .weighting import rake
    wt = cfg.weighting
    use_base = bool(cfg.weight) and wt["base_weight"]
    frame = resp
    if cfg.long_form and "respondent_id" in resp:
        frame = resp.drop_duplicates("respondent_id")
    try:
        res = rake(frame, wt["targets"], base_weight="weight" if use_base else None,
                   trim=wt["trim"], max_iter=wt["max_iter"], tol=wt["tol"],
                   unit=wt.get("unit", "auto"))
    except SurveyDataError as exc:
        raise SurveyDataError(f"{cfg.survey}: `weighting:` in {cfg.path or 'the config'}: {exc}",
                              path=None if cfg.path is None else str(cfg.path),
                              column=exc.column) from None
    w = res.weights
    if frame is not resp:
        w = resp["respondent_id"].map(pd.Series(w.to_numpy(), index=frame["respondent_id"]))
    if cfg.weight:
        resp["base_weight"] = resp["weight"]
    resp["weight"] = w.to_numpy(dtype=float)
    out = res.to_dict()
    out["base_weight"] = "base_weight" if use_base else None
    out["source"] = wt["source"]
    return out
