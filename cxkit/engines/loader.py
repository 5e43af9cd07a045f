"""The survey loader's checks run inside DuckDB: ``load_survey(config, engine="duckdb")``.

The same config, the same exclusion reasons in the same order, the same error messages and
the same :class:`cxkit.LoadReport` as the pandas loader (:mod:`cxkit.io.loader`), but every
check is a SQL expression over the files as DuckDB scans them: one ``CASE`` assigns each
source row its first exclusion reason, duplicate ids are found with a window function, and
one aggregate per file returns the counts per reason together with the first offending rows
and values (DuckDB's ``min(x, n)`` / ``arg_min(arg, val, n)``) and the missing-answer counts
per score.  Only those counts, the quoted first rows and (later) the analyses' histograms
come back to Python; the kept rows stay a DuckDB view, returned as an
:class:`~cxkit.engines.sources.EngineSurvey` with the canonical columns of the pandas path.

Supported sources: plain CSV/TSV (one header row; ``delimiter:``, ``encoding:`` UTF-8,
UTF-16 or Latin-1) and Parquet, any number of files; declared missing codes, score and
segment ``labels:``, derived segments, ``drivers:``, ``text:``, ``rename:``, ``id_prefix:``,
a source's fixed ``period:`` (then the handle's date column is ``_period_date``).
Not on this path (a :class:`cxkit.ConfigError` names the key): vendor layouts (Qualtrics,
SurveyMonkey), Excel, SPSS, other encodings, ``layout: aggregated``, long-form relationship
surveys, ``weighting:``, ``design:``.
"""

from __future__ import annotations

import difflib
import re
import uuid
from pathlib import Path

from ..core.errors import ConfigError, SurveyDataError
from ..core.redact import redact_text

__all__ = ["load_survey_engine"]

_SHOW = 5          # rows/values quoted in messages (as the pandas loader)
_KEEP_ROWS = 10    # rows kept per exclusion record (as the pandas loader)
_ENCODINGS = {"utf-8": "utf-8", "utf8": "utf-8", "utf-8-sig": "utf-8", "utf_8": "utf-8",
              "latin-1": "latin-1", "latin1": "latin-1", "iso-8859-1": "latin-1",
              "iso8859-1": "latin-1", "utf-16": "utf-16", "utf16": "utf-16"}
_NUMERIC_TEXT = r"^([+-]?[0-9]+(?:\.[0-9]+)?)\s*(?:[-\x{2013}\x{2014}=:).(]\s*|\s+)\pL"


# ============================================================ SQL helpers ===================
def _q(name) -> str:
    """A quoted SQL identifier."""
    return '"' + str(name).replace('"', '""') + '"'


def _lit(v) -> str:
    """A SQL literal (text or number)."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return repr(float(v)) if v == v and abs(v) != float("inf") else "NULL"
    return "'" + str(v).replace("'", "''") + "'"


def _fail(cfg, key, message) -> ConfigError:
    where = f"config {cfg.path}" if cfg.path else "survey config"
    return ConfigError(f"{where}: `{key}`: {message}")


def _not_here(cfg, key, what) -> ConfigError:
    return _fail(cfg, key, f"{what} is not supported by the DuckDB loader "
                           f"(`engine: duckdb`). Load this survey with the pandas loader "
                           f"(`engine: pandas`, the default), or see docs/scaling.md, "
                           f"'Loading on the engine', for what the engine path reads.")


class _Column:
    """SQL expressions of one source column, by its DuckDB type."""

    def __init__(self, name, dtype):
        self.ref = _q(name)
        self.type = str(dtype).upper()
        self.text = self.type in ("VARCHAR", "BLOB") or self.type.startswith("VARCHAR")
        self.float = self.type in ("DOUBLE", "FLOAT", "REAL") or self.type.startswith("DECIMAL")
        self.temporal = self.type.startswith(("TIMESTAMP", "DATE"))
        self.bool = self.type == "BOOLEAN"
        self.integer = not (self.text or self.float or self.temporal or self.bool)

    def stripped(self) -> str:
        """Text of the value, surrounding whitespace removed; NULL when missing."""
        if self.text:
            return f"trim({self.ref}, ' \t\r\n')"
        if self.float:
            return (f"CASE WHEN isnan({self.ref}) THEN NULL WHEN {self.ref} = trunc({self.ref}) "
                    f"AND abs({self.ref}) < 1e15 THEN CAST(CAST({self.ref} AS BIGINT) AS VARCHAR)"
                    f" ELSE CAST({self.ref} AS VARCHAR) END")
        if self.bool:
            return f"CASE WHEN {self.ref} THEN 'True' WHEN NOT {self.ref} THEN 'False' END"
        return f"CAST({self.ref} AS VARCHAR)"

    def shown(self) -> str:
        """The value as quoted in a LoadReport (raw text; integral floats without '.0')."""
        if self.text:
            return f"coalesce({self.ref}, '')"
        return f"coalesce({self.stripped()}, '')"

    def missing(self) -> str:
        """The cell is missing (as pandas ``isna``: NULL, an empty text, a float NaN)."""
        if self.text:
            return f"({self.ref} IS NULL OR {self.ref} = '')"
        if self.float:
            return f"({self.ref} IS NULL OR isnan({self.ref}))"
        return f"({self.ref} IS NULL)"

    def blank(self) -> str:
        """Missing or only whitespace (a blank score, weight or date)."""
        if self.text:
            return f"({self.stripped()} IS NULL OR {self.stripped()} = '')"
        return self.missing()

    def number(self) -> str:
        """The value as a DOUBLE, NULL when blank or not a number.  Texts as
        ``pandas.to_numeric``: ``1_000``, hex, ``inf`` and ``nan`` are not numbers; a DOUBLE
        column's ±inf stays ±inf (then refused by the scale or weight checks, as in pandas)."""
        if self.text:
            t = self.stripped()
            return (f"CASE WHEN contains({t}, '_') OR NOT isfinite(TRY_CAST({t} AS DOUBLE)) "
                    f"THEN NULL ELSE TRY_CAST({t} AS DOUBLE) END")
        if self.bool:
            return "CAST(NULL AS DOUBLE)"
        if self.float:
            return f"CASE WHEN isnan({self.ref}) THEN NULL ELSE CAST({self.ref} AS DOUBLE) END"
        return f"CAST({self.ref} AS DOUBLE)"

    def unparsed(self) -> str:
        """Not blank but not a finite number (a text such as ``abc``, ``inf``, ``NaN``)."""
        if self.text:
            return f"(NOT {self.blank()} AND ({self.number()}) IS NULL)"
        if self.bool:
            return f"({self.ref} IS NOT NULL)"
        if self.float:
            return f"({self.ref} IS NOT NULL AND isinf({self.ref}))"
        return "FALSE"


# ============================================================ one source ====================
class _File:
    """One source file scanned by DuckDB: its raw view and its checked view."""

    def __init__(self, con, cfg, src, index):
        self.con, self.cfg, self.src, self.index = con, cfg, src, index
        self.path = Path(src.path)
        self.name = src.name
        self.view = f"cxkit_raw_{index}_{uuid.uuid4().hex[:8]}"
        self.checked = f"cxkit_chk_{index}_{uuid.uuid4().hex[:8]}"
        tag = f"{index}_{uuid.uuid4().hex[:8]}"
        self.base, self.excl, self.kept = (f"cxkit_base_{tag}", f"cxkit_excl_{tag}",
                                           f"cxkit_kept_{tag}")
        self.notes = []
        self.format, self.layout, self.dups, self.numeric = None, "plain", {}, {}

    # ------------------------------------------------------------------ scanning ---------
    def run(self, sql):
        """Run SQL about this file; DuckDB errors become SurveyDataError naming the file."""
        import duckdb

        try:
            return self.con.sql(sql)
        except duckdb.Error as e:
            raise self._engine_error(e) from None

    def fetch(self, sql):
        import duckdb

        try:
            return self.con.sql(sql).fetchall()
        except duckdb.Error as e:
            raise self._engine_error(e) from None

    def _engine_error(self, e):
        if str(e).startswith(("Binder Error", "Parser Error", "Catalog Error")):
            # SQL cxkit wrote that DuckDB refuses: a bug in cxkit, not in the file
            return RuntimeError(f"cxkit bug: the engine loader's SQL for {self.path} was "
                                f"refused by DuckDB ({str(e)[:300]}). Please report it; the "
                                f"pandas loader (`engine: pandas`) reads the file meanwhile.")
        what = "Parquet" if self.format == "parquet" else "CSV"
        m = re.search(r"[Ll]ine:? (\d+)", str(e))
        rows = [int(m.group(1))] if m else None
        fields = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", str(e))
        if rows and fields:
            exp, saw = fields.groups()
            return SurveyDataError(
                f"{self.path}: row {rows[0]} has {saw} fields but the header has {exp} (a ragged "
                f"row: an unquoted delimiter inside a value, or a shifted or truncated line). "
                f"Fix that line in the file (quote values containing the delimiter) and load "
                f"again.", path=self.path, rows=rows)
        if "invalid unicode" in str(e).lower() or "utf-8" in str(e).lower():
            where = f" (row {rows[0]})" if rows else ""
            return SurveyDataError(
                f"{self.path}: the file is not valid UTF-8{where}. It was probably saved in a "
                f"Windows or Mac encoding: set `encoding: latin-1` for this source (the engine "
                f"path reads UTF-8, UTF-16 and Latin-1), or re-save it as UTF-8, or load it "
                f"with the pandas loader (`engine: pandas`), which also reads `cp1252`.",
                path=self.path, rows=rows)
        # DuckDB's message quotes the offending line: personal data masked; only its first
        # sentence (the rest is DuckDB's advice about its own reader options)
        first = " ".join(str(e).split()).split("Possible Solution")[0].strip()
        msg = redact_text(first)[:300]
        hint = ("Check the file, or set `format:` to its real format." if what == "Parquet"
                else "Check the rows named (a ragged row: an unquoted delimiter inside a "
                     "value, a shifted or truncated line), or load it with the pandas "
                     "loader, which names every such row.")
        return SurveyDataError(f"{self.path}: DuckDB cannot read this {what} file ({msg}). "
                               f"{hint}", path=self.path, rows=rows)

    def scan(self):
        """Create the raw view: the file's columns (header names cleaned and renamed as the
        pandas reader does) and ``_row``, the source row (spreadsheet numbering)."""
        from ..io.readers import _unique, detect_format

        p, src = self.path, self.src
        if not p.is_file():
            raise SurveyDataError(f"{p}: file not found. Check `path:` in the config (relative "
                                  f"paths are relative to the config file's folder).", path=p)
        if p.stat().st_size == 0:
            raise SurveyDataError(f"{p}: the file is empty (0 bytes). Export the survey again, "
                                  f"or remove this file from `sources:`.", path=p)
        key = f"sources[{self.index}]"
        if src.format in ("qualtrics", "surveymonkey", "excel", "spss"):
            raise self._vendor(f"{key}.format", f"`format: {src.format}`")
        kind = detect_format(p)
        if kind in ("excel", "spss"):
            raise self._vendor(f"{key}.path", f"an {'Excel workbook' if kind == 'excel' else 'SPSS .sav file'} ({p.name})")
        if src.format == "parquet" and kind != "parquet":
            raise SurveyDataError(f"{p}: declared `format: parquet` but the content is text "
                                  f"(CSV/TSV). Set `format: csv` (or `auto`).", path=p)
        if src.format in ("csv", "tsv") and kind == "parquet":
            raise SurveyDataError(f"{p}: declared `format: {src.format}` but the content is a "
                                  f"parquet file. Set `format: parquet` (or `auto`).", path=p)
        self.format = kind if kind == "parquet" else None
        if kind == "parquet":
            rel = self.run(f"SELECT * FROM read_parquet({_lit(str(p))}, file_row_number=true) "
                           f"LIMIT 0")
            cols = [c for c in rel.columns if c != "file_row_number"]
            names, self.dups = _unique(cols)
            row = "file_row_number + 2"
            source = f"read_parquet({_lit(str(p))}, file_row_number=true)"
        else:
            names, source, row = self._csv_source(kind)
            cols = names
        rename = dict(src.rename)
        clash = [b for a, b in rename.items() if a in names and b in names and a != b]
        if clash:
            raise SurveyDataError(f"{p}: `rename:` maps onto {clash}, which the file already "
                                  f"has. Rename to another name.", path=p, column=clash[0])
        self.columns = [rename.get(n, n) for n in names]
        sel = ", ".join(f"{_q(c)} AS {_q(n)}" for c, n in zip(cols, self.columns))
        self.run(f"CREATE TEMP VIEW {_q(self.view)} AS SELECT {row} AS _row, {sel} "
                 f"FROM {source}")
        types = self.fetch(f"SELECT column_name, column_type FROM (DESCRIBE {_q(self.view)})")
        self.types = {n: _Column(n, t) for n, t in types if n != "_row"}
        self.dups = {rename.get(k, k): v for k, v in self.dups.items()}

    def _vendor(self, key, what):
        return _fail(self.cfg, key, f"{what}: the DuckDB loader (`engine: duckdb`) reads plain "
                                    f"CSV/TSV (one header row) and Parquet files. Use the pandas "
                                    f"loader (`engine: pandas`, the default) for vendor exports, "
                                    f"Excel and SPSS, or convert the file to Parquet first "
                                    f"(e.g. `cxkit.load_survey(...)` then "
                                    f"`responses.to_parquet(...)`).")

    def _csv_source(self, kind):
        import csv
        import io as _io

        from ..io.layouts import split_header
        from ..io.readers import _sniff

        p, src = self.path, self.src
        with open(p, "rb") as f:
            bom = f.read(4)
        default = "utf-16" if bom[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"
        if bom in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):
            default = "utf-32"
        enc = _ENCODINGS.get((src.encoding or default).lower().replace("_", "-"))
        if enc is None:
            raise _fail(self.cfg, f"sources[{self.index}].encoding",
                        f"{src.encoding!r}: the DuckDB loader reads UTF-8, UTF-16 and Latin-1 "
                        f"(ISO-8859-1) text. Convert the file to UTF-8 (or to Parquet), or use "
                        f"the pandas loader (`engine: pandas`), which reads any encoding.")
        with open(p, "rb") as f:
            head = f.read(1 << 18)
        pyenc = {"utf-8": "utf-8-sig", "latin-1": "latin-1", "utf-16": "utf-16"}[enc]
        text = head.decode(pyenc, errors="replace").lstrip("\ufeff")
        if src.delimiter:
            sep = src.delimiter
        elif src.format == "csv":
            sep = ","
        elif src.format == "tsv" or kind == "tsv":
            sep = "\t"
        else:
            sep = _sniff(text.split("\n", 1)[0])
        records = list(_take(csv.reader(_io.StringIO(text, newline=""), delimiter=sep), 8))
        if not [r for r in records if any(c.strip() for c in r)]:
            raise SurveyDataError(f"{p}: the file is empty (no header row). Export the survey "
                                  f"again, or remove this file from `sources:`.", path=p)
        layout, k, names, _labels, dups, _notes, _variant = split_header(records, "auto", p)
        if layout != "plain" or k != 1:
            raise self._vendor(f"sources[{self.index}].path",
                               f"{p.name} has a {layout} header" + (f" ({k} header rows)"
                                                                     if k != 1 else ""))
        self.dups = dups
        self.layout = "plain"
        self.format = "tsv" if sep == "\t" else "csv"
        if b"\n\n" in head or b"\n\r\n" in head:
            self.notes.append("blank lines are skipped by DuckDB's CSV reader: they are not "
                              "counted as rows read, and source rows after them are numbered "
                              "as data records (the pandas loader counts them as 'empty row')")
        # every column read as text, no sniffing: a ragged row is an error naming its line
        opts = (f"header=true, auto_detect=false, delim={_lit(sep)}, quote='\"', escape='\"', "
                f"encoding={_lit(enc)}, strict_mode=true, null_padding=false, "
                f"columns={{{', '.join(_lit(n) + ': ' + _lit('VARCHAR') for n in names)}}}")
        # a plain CSV scan keeps the file's order: the row number is the source row
        return names, f"read_csv({_lit(str(p))}, {opts})", "row_number() OVER () + 1"

    # ------------------------------------------------------------------ checks -----------
    def column(self, col, role):
        if col not in self.types:
            raise self._missing_column(col, role)
        if col in self.dups:
            raise SurveyDataError(
                f"{self.path}: column {col!r} ({role}) appears {len(self.dups[col])} times in "
                f"the header (columns {', '.join(self.dups[col])}); cxkit cannot tell which one "
                f"to use. Rename the copies in the file (they are read as {col!r}, "
                f"{col + ' (2)'!r} …) and point the config at the right one.",
                path=self.path, column=col)
        return self.types[col]

    def _missing_column(self, col, role):
        available = self.columns
        close = difflib.get_close_matches(col, available, n=1, cutoff=0.5)
        if not close:
            low = {a.lower(): a for a in available}
            close = [low[col.lower()]] if col.lower() in low else []
        hint = (f" Closest: {close[0]!r} — if that is it, add `rename: {{{close[0]!r}: {col!r}}}`"
                f" to this source (or change {role})." if close else f" Change {role} or add "
                f"`rename:` to this source.")
        shown = ", ".join(map(repr, available[:40])) + (" …" if len(available) > 40 else "")
        return SurveyDataError(f"{self.path}: column {col!r} ({role}) not found.{hint} "
                               f"Available columns: {shown}.", path=self.path, column=col)


def _take(it, n):
    for i, x in enumerate(it):
        if i >= n:
            return
        yield x


def _date_sql(c: _Column, formats):
    """(parsed TIMESTAMP expression, unparseable condition) of a date column: texts tried
    with each format in turn (``ISO8601``: DuckDB's ISO cast, offsets converted to UTC)."""
    if c.temporal:
        d = (f"CAST(timezone('UTC', {c.ref}) AS TIMESTAMP)" if "TIME ZONE" in c.type
             else f"CAST({c.ref} AS TIMESTAMP)")
        return d, "FALSE"
    if not c.text:
        return "CAST(NULL AS TIMESTAMP)", f"(NOT {c.blank()})"
    t = c.stripped()
    tries = []
    for fmt in formats:
        if fmt == "ISO8601":
            tries.append(f"CAST(timezone('UTC', TRY_CAST({t} AS TIMESTAMPTZ)) AS TIMESTAMP)")
            tries.append(f"CASE WHEN regexp_full_match({t}, '[0-9]{{8}}') THEN "
                         f"try_strptime({t}, '%Y%m%d') END")
        else:
            tries.append(f"CAST(try_strptime({t}, {_lit(fmt)}) AS TIMESTAMP)")
    d = f"coalesce({', '.join(tries)})" if len(tries) > 1 else tries[0]
    return d, f"(NOT {c.blank()} AND ({d}) IS NULL)"


def _checks_sql(f: _File, cfg, rid, date_col):
    """The checks of one file in the pandas loader's order, as SQL over named columns.

    Returns ``(base, items, checks, scores)``: ``base`` the computed columns of the first
    layer (``{name: expression over the file's columns}``: parsed numbers, dates, blank and
    declared flags, the values as quoted), ``items`` the canonical columns, ``checks`` the
    (reason, column, condition, shown value, invalid?, problem, fix) list and ``scores`` the
    missing-answer columns per score — all of the latter over ``base``'s names."""
    import numpy as np

    from ..io.loader import WEIGHT_RANGE, _date_bounds

    base, items, checks = {}, {}, []
    # empty rows: every cell missing
    base["_e"] = " AND ".join(c.missing() for c in f.types.values()) or "FALSE"
    checks.append(("empty row", "", "_e", None, False, None, None))
    if rid is not None:
        c = f.column(rid, "`respondent_id`")
        base["_idb"], base["_ids"] = c.blank(), c.shown()
        checks.append(("missing respondent id", rid, "_idb", "_ids", True,
                       "blank respondent ids", "Fill in the ids, or remove `respondent_id:` "
                       "from the config to number rows instead."))
        ident = c.stripped()
        if f.src.id_prefix:
            ident = f"({_lit(f.src.id_prefix)} || {ident})"
        base["_id"] = ident
    else:
        base["_id"] = f"({_lit(f.src.id_prefix + f.name + ':')} || CAST(_row AS VARCHAR))"
    items["respondent_id"] = "_id"
    checks.append(("duplicate respondent id", rid or "", "_dup > 1", "_id", False, None, None))

    fixed = f.src.period is not None
    if fixed:  # a source's fixed period: its dates (if any) kept as read, never checked
        import pandas as pd

        start = pd.Period(f.src.period, freq=cfg.period_freq).start_time
        base["_pd"] = f"TIMESTAMP {_lit(str(start))}"
        items["_period_date"] = "_pd"
        if cfg.date is not None and date_col in f.types:
            base["_d"] = _date_sql(f.types[date_col], cfg.date.formats)[0]
            items["date"] = "_d"
        elif cfg.date is not None:
            items["date"] = "CAST(NULL AS TIMESTAMP)"
        date_col = None
    if date_col is not None:
        c = f.column(date_col, "`date`")
        formats = cfg.date.formats if cfg.date else ("ISO8601",)
        d, bad = _date_sql(c, formats)
        if f.numeric.get(date_col):  # pandas reads all-number text as numbers: not dates
            d, bad = "CAST(NULL AS TIMESTAMP)", f"(NOT {c.blank()})"
        base["_d"], base["_dbl"], base["_dbad"], base["_ds"] = d, c.blank(), bad, c.shown()
        fmt_hint = ", ".join(repr(x) for x in formats)
        lo, hi = _date_bounds(cfg)
        lo_s, hi_s = str(lo)[:10], str(hi)[:10]
        last = str(hi - np.timedelta64(1, "D"))[:10]
        checks += [
            ("missing date", date_col, "_dbl", "_ds", True, "blank dates",
             "Fill them in, or give this source a fixed `period:`."),
            ("unparseable date", date_col, "_dbad", "_ds", True,
             f"dates not in the accepted format(s) {fmt_hint}",
             f"Set `date: {{column: {date_col}, format: [\"ISO8601\", \"%d/%m/%Y\"]}}` "
             f"listing the formats the file uses (tried in order; day-first vs "
             f"month-first is never guessed)."),
            ("date out of range", date_col,
             f"(_d < TIMESTAMP {_lit(lo_s)} OR _d >= TIMESTAMP {_lit(hi_s)})", "_ds",
             True, f"dates outside the plausible range {lo_s} … {last} (typos such as "
                   f"9999-12-31 or 0024-05-01, Excel serial numbers far in the future, "
                   f"placeholders)",
             "Fix them in the file, or widen the range with `date: {column: "
             f"{date_col}, min: \"1990-01-01\", max: \"2030-12-31\"}}`."),
        ]
        items["date"] = "_d"
        if any(src.period is not None for src in cfg.sources):
            items["_period_date"] = "_d"

    if cfg.weight:
        c = f.column(cfg.weight, "`weight`")
        base["_w"], base["_wbl"], base["_wtx"], base["_ws"] = (c.number(), c.blank(),
                                                              c.unparsed(), c.shown())
        wlo, whi = WEIGHT_RANGE
        checks += [
            ("missing weight", cfg.weight, "_wbl", "_ws", True, "blank weights",
             "Every kept response needs a positive weight: fill them in, or remove "
             "`weight:` from the config."),
            ("weight not a number", cfg.weight, "_wtx", "_ws", True,
             "weights that are not (finite) numbers", "Weights must be positive numbers."),
            ("non-positive weight", cfg.weight, "_w <= 0", "_ws", True,
             "weights that are zero or negative",
             "Weights must be > 0: fix them, or drop those rows from the file."),
            ("weight out of range", cfg.weight, f"(_w > {whi!r} OR (_w > 0 AND _w < {wlo!r}))",
             "_ws", True,
             f"weights outside {wlo:g} … {whi:g} (their sums of squares would overflow "
             f"or underflow float64)", "Only the ratios of weights matter: divide the "
             "weights by their mean (or fix the absurd ones)."),
        ]
        items["weight"] = "_w"

    scores = []   # (name, column, j)
    for j, sc in enumerate((*cfg.scores.values(), *cfg.driver_scores)):
        where = "drivers.ratings" if sc.name not in cfg.scores else "scores"
        c = f.column(sc.column, f"`{where}.{sc.name}.column`")
        codes = [x for x in sc.missing if not (isinstance(x, str) and x == "")]
        numcodes, txtcodes = set(), set()
        for x in codes:
            if isinstance(x, float):
                numcodes.add(x)
            else:
                try:
                    numcodes.add(float(x))
                except ValueError:
                    txtcodes.add(x.casefold())
        num0 = c.number()
        unparsed = c.unparsed()
        dnum = (f"coalesce(({num0}) IN ({', '.join(_lit(x) for x in sorted(numcodes))}), FALSE)"
                if numcodes else "FALSE")
        dtxt = (f"({unparsed} AND lower({c.stripped()}) IN "
                f"({', '.join(_lit(x) for x in sorted(txtcodes))}))" if txtcodes and c.text
                else "FALSE")
        if c.text:  # answer labels, then numeric text ("10 - Extremely likely"): a number
            spaced = f"regexp_replace({c.stripped()}, '\\s+', ' ', 'g')"
            lead = f"TRY_CAST(regexp_extract({spaced}, {_lit(_NUMERIC_TEXT)}, 1) AS DOUBLE)"
            if sc.labels:
                cases = " ".join(f"WHEN {_lit(k)} THEN {float(v)!r}" for k, v in sc.labels.items())
                lead = f"coalesce(CASE lower({spaced}) {cases} END, {lead})"
            num = f"coalesce({num0}, CASE WHEN {unparsed} AND NOT {dtxt} THEN {lead} END)"
        else:
            num = num0
        base.update({f"_n{j}": num, f"_u{j}": unparsed, f"_dn{j}": dnum, f"_dt{j}": dtxt,
                     f"_bl{j}": c.blank(), f"_t{j}": c.stripped(), f"_s{j}": c.shown()})
        valid = f"(_n{j} IS NOT NULL AND NOT _dn{j} AND NOT _dt{j})"
        text = f"(_u{j} AND NOT _dt{j} AND _n{j} IS NULL)"
        lo, hi = sc.scale
        key = f"`{where}.{sc.name}.missing`"
        if sc.labels:
            checks.append(("unmapped score label", sc.column, text, f"_s{j}", True,
                           _unmapped_problem(sc, j),
                           f"Add them to `scores.{sc.name}.labels` (matching ignores case and "
                           f"spaces), or declare them in `scores.{sc.name}.missing` if they "
                           f"mean 'no answer'."))
        checks.append(("score not a number", sc.column, text, f"_s{j}", True,
                       f"values that are not numbers (score `{sc.name}`, scale {lo:g}–{hi:g})",
                       f"If they mean 'no answer', declare them: add them to {key}; if they "
                       f"are answer labels, map them to numbers with `scores.{sc.name}.labels`."))
        whole = f"({valid} AND floor(_n{j}) != _n{j})" if sc.integer and not c.integer \
            else "FALSE"
        if sc.integer and not c.integer:
            checks.append(("score not a whole number", sc.column, whole, f"_s{j}", True,
                           f"scores that are not whole numbers (score `{sc.name}`, scale "
                           f"{lo:g}–{hi:g})", f"Fix the data, or set `{where}.{sc.name}.integer:"
                           f" false` if fractional scores are legitimate."))
        checks.append(("score outside scale", sc.column,
                       f"({valid} AND NOT {whole} AND (_n{j} < {lo!r} OR _n{j} > {hi!r}))",
                       f"_s{j}", True,
                       f"values outside the scale {lo:g}–{hi:g} (score `{sc.name}`)",
                       f"If they are codes for 'no answer' (e.g. 11 = blank), add them to {key};"
                       f" if the scale is wrong, fix `{where}.{sc.name}.scale`."))
        items[sc.name] = f"CASE WHEN {valid} THEN _n{j} END"
        scores.append((sc.name, sc.column, j))
    if cfg.exclude_no_score:
        anyvalid = " OR ".join(f"(_n{j} IS NOT NULL AND NOT _dn{j} AND NOT _dt{j})"
                               for name, _, j in scores if name in cfg.scores) or "FALSE"
        checks.append(("no valid score", "", f"NOT ({anyvalid})", None, False, None, None))
    for g in cfg.segments.values():
        if g.derived:
            base[f"_g_{g.name}"] = _derived_sql(f, cfg, g, date_col)
            items[g.name] = _q(f"_g_{g.name}")
            continue
        c = f.column(g.column, f"`segments.{g.name}`")
        t = f"nullif({c.stripped()}, '')"
        if g.labels:
            cases = " ".join(f"WHEN {_lit(a)} THEN {_lit(b)}" for a, b in g.labels.items())
            t = f"CASE {t} {cases} ELSE {t} END"
        base[f"_g_{g.name}"] = t
        items[g.name] = _q(f"_g_{g.name}")
    for tcol in cfg.text:
        c = f.column(tcol, "`text`")
        base[f"_x_{tcol}"] = c.ref if c.text else c.stripped()
        items[tcol] = _q(f"_x_{tcol}")
    return base, items, checks, scores


def _unmapped_problem(sc, j):
    """The problem text of unmapped answer labels (as the pandas loader words it), computed
    when it is needed: the unmapped texts seen (ten most frequent) and the labels mapped."""
    def problem(f):
        from ..io.labels import normalize_label

        seen = f.fetch(f"SELECT _t{j}, count(*) AS c, min(_row) AS m FROM {_q(f.checked)} "
                       f"WHERE _u{j} AND NOT _dt{j} AND _n{j} IS NULL GROUP BY _t{j} "
                       f"ORDER BY c DESC, m LIMIT 10")
        known = sorted({normalize_label(u) for (u,) in f.fetch(
            f"SELECT DISTINCT _t{j} FROM {_q(f.checked)} WHERE _lh{j}")})
        listed = ", ".join(f"{v!r} ({c}×)" for v, c, _m in seen)
        return (f"answer labels not in `scores.{sc.name}.labels` (labels seen that are not "
                f"mapped: {listed}; mapped: {', '.join(map(repr, known)) or 'none'})")
    return problem


def _derived_sql(f, cfg, g, date_col):
    """A derived segment as SQL: a part of a date (``weekday`` Mon … Sun, ``hour`` "00 h",
    ISO ``week`` "W01", ``month_of_year`` Jan … Dec) or the bin ``a–b`` of a number (bins
    [a, b), the last [a, b]); NULL where there is no date/number or it is outside the bins."""
    from ..io.loader import _MONTHS, _WEEKDAYS

    c = f.column(g.column, f"`segments.{g.name}`")
    if g.part is not None:
        d, _bad = _date_sql(c, cfg.date.formats if cfg.date and g.column == date_col
                            else (cfg.date.formats if cfg.date else ("ISO8601",)))
        if g.part == "weekday":
            return f"[{', '.join(map(_lit, _WEEKDAYS))}][isodow({d})]"
        if g.part == "hour":
            return f"(lpad(CAST(hour({d}) AS VARCHAR), 2, '0') || ' h')"
        if g.part == "week":
            return f"('W' || lpad(CAST(week({d}) AS VARCHAR), 2, '0'))"
        return f"[{', '.join(map(_lit, _MONTHS))}][month({d})]"
    v = f"({c.number()})" if c.text else f"CAST({c.ref} AS DOUBLE)"
    edges = [float(e) for e in g.bins]
    cases = []
    for k, (a, b) in enumerate(zip(edges, edges[1:])):
        upper = "<=" if k == len(edges) - 2 else "<"
        cases.append(f"WHEN {v} >= {a!r} AND {v} {upper} {b!r} THEN {_lit(f'{a:g}–{b:g}')}")
    return f"CASE {' '.join(cases)} END"


def _invalid_error(f, cfg, column, cnt, rows, vals, problem, fix):
    if callable(problem):
        problem = problem(f)
    rows, vals = rows[:_SHOW], vals[:_SHOW]
    shown = ", ".join(f"row {r}: {v!r}" for r, v in zip(rows, vals))
    more = f" (and {cnt - len(rows)} more)" if cnt > len(rows) else ""
    return SurveyDataError(
        f"{f.path}: column {column!r}: {cnt} {problem} — {shown}{more}. {fix} "
        f"Or set `on_invalid: exclude` in the config to exclude such rows (they are then "
        f"counted in the LoadReport).", path=str(f.path), column=column, rows=rows)


def _fmt_code(v) -> str:
    from ..io.loader import _fmt_value

    return _fmt_value(float(v))


def _numeric_columns(f, cfg, date_col):
    """Which quoted CSV columns pandas' parser would read as numbers (every value blank or a
    number): their values are then quoted as numbers (``-1.0`` → ``-1``), and a date column of
    numbers is unparseable, as in the pandas loader.  One aggregate over the file."""
    f.numeric = {}
    if f.format == "parquet":
        return
    cols = [c for c in dict.fromkeys([date_col, cfg.weight, *(sc.column for sc in (
        *cfg.scores.values(), *cfg.driver_scores))]) if c is not None and c in f.types]
    if not cols:
        return
    tests = []
    for c in cols:
        col = f.types[c]
        t = col.stripped()
        tests.append(f"coalesce(bool_and({col.blank()} OR (TRY_CAST({t} AS DOUBLE) IS NOT NULL "
                     f"AND NOT contains({t}, '_') AND NOT isnan(TRY_CAST({t} AS DOUBLE)))), "
                     f"TRUE)")
    (got,) = f.fetch(f"SELECT {', '.join(tests)} FROM {_q(f.view)}")
    f.numeric = dict(zip(cols, (bool(g) for g in got)))


def _as_read(v, numeric) -> str:
    """A quoted value as the pandas loader shows it: a number column's values as numbers."""
    from ..io.loader import _fmt_value

    text = str(v)
    if not numeric or text.strip() == "":
        return text
    try:
        return _fmt_value(float(text))
    except ValueError:
        return text


def _check_file(con, cfg, f: _File):
    """Validate one file in DuckDB; returns (records, missing records, info, the canonical
    column names)."""
    from ..io.loader import _needed

    f.scan()
    rid, date_col, _formats = _needed(cfg, "plain", f.columns)
    if cfg.period and date_col is None and f.src.period is None:
        raise SurveyDataError(f"{f.path}: `period: {cfg.period}` needs a date, but the config "
                              f"has no `date:` and this source no fixed `period:`. Add one.",
                              path=f.path)
    _numeric_columns(f, cfg, date_col)
    base, items, checks, scores = _checks_sql(f, cfg, rid, date_col)
    labelled = [bool(sc.labels) for sc in (*cfg.scores.values(), *cfg.driver_scores)]
    # layer 1: computed columns; layer 2: the first two reasons (they decide which ids take
    # part in the duplicate test) and the duplicate rank; layer 3: the first reason
    cols1 = ", ".join(f"{e} AS {_q(n)}" for n, e in base.items())
    first = " ".join(f"WHEN {cond} THEN {k}" for k, (reason, _, cond, *_r) in
                     enumerate(checks[:2]) if reason != "duplicate respondent id")
    dup = ("row_number() OVER (PARTITION BY _id, _r0 IS NULL ORDER BY _row)"
           if rid is not None else "1")
    reasons = " ".join(f"WHEN {cond} THEN {k}" for k, (reason, _, cond, *_r) in
                       enumerate(checks) if k >= 2 or reason == "duplicate respondent id")
    shown = " ".join(f"WHEN {k} THEN {val}" for k, (_, _, _, val, *_r) in enumerate(checks)
                     if val is not None)
    canon = ", ".join(f"{e} AS {_q(n)}" for n, e in items.items())
    miss = ", ".join(f"(_n{j} IS NOT NULL AND NOT _dn{j} AND NOT _dt{j}) AS _v{j}, "
                     f"(_bl{j} AND NOT _dn{j} AND NOT _dt{j}) AS _b{j}, _dn{j}, _dt{j}, "
                     f"_n{j}, _t{j}, _u{j}, (_u{j} AND NOT _dt{j} AND _n{j} IS NOT NULL) AS _lh{j}"
                     for _, _, j in scores)
    f.run(f"CREATE TEMP VIEW {_q(f.base)} AS SELECT _row, {cols1} FROM {_q(f.view)}")
    layer2 = (f"SELECT *, {dup} AS _dup FROM (SELECT *, CASE {first or 'WHEN FALSE THEN 0'} "
              f"END AS _r0 FROM {_q(f.base)})")
    layer3 = f"SELECT *, coalesce(_r0, CASE {reasons} END) AS _reason FROM ({layer2})"
    sql = (f"CREATE TEMP VIEW {_q(f.checked)} AS SELECT _row, {canon}"
           f"{', ' + miss if miss else ''}, _reason, "
           f"CASE _reason {shown or 'WHEN -1 THEN NULL'} END AS _val FROM ({layer3})")
    f.run(sql)
    # pass 1: the excluded rows (row number, first reason, value as quoted) kept in a DuckDB
    # table — the one pass with the duplicate window; the kept rows are then the file's rows
    # without these (an anti-join), so no later query repeats the checks
    f.run(f"CREATE TEMP TABLE {_q(f.excl)} AS SELECT _row, _reason, _val FROM "
          f"{_q(f.checked)} WHERE _reason IS NOT NULL")
    got = f.fetch(f"SELECT _reason, count(*), min(_row, 10), arg_min(coalesce(_val, ''), _row, "
                  f"10) FROM {_q(f.excl)} GROUP BY _reason ORDER BY _reason")
    by_reason = {r[0]: r for r in got}
    # pass 2: rows read, and the missing answers per score among the kept rows
    aggs = ["count(*)", "count(*) FILTER (WHERE _x._row IS NULL)"]
    for _, _, j in scores:
        kept_only = "_x._row IS NULL"
        aggs += [f"count(*) FILTER (WHERE {kept_only} AND _n{j} IS NOT NULL AND NOT _dn{j} "
                 f"AND NOT _dt{j})",
                 f"count(*) FILTER (WHERE {kept_only} AND _bl{j} AND NOT _dn{j} AND NOT _dt{j})",
                 f"count(*) FILTER (WHERE {kept_only} AND (_dn{j} OR _dt{j}))",
                 f"histogram(_n{j}) FILTER (WHERE {kept_only} AND _dn{j})",
                 f"histogram(_t{j}) FILTER (WHERE {kept_only} AND _dt{j})",
                 f"count(*) FILTER (WHERE _u{j} AND NOT _dt{j} AND _n{j} IS NOT NULL)"]
    (tot,) = f.fetch(f"SELECT {', '.join(aggs)} FROM {_q(f.base)} AS _b LEFT JOIN "
                     f"{_q(f.excl)} AS _x USING (_row)")
    n_read = int(tot[0])
    if n_read == 0:
        raise SurveyDataError(f"{f.path}: the file has a header but no data rows. Export the "
                              f"survey again, or remove this file from `sources:`.", path=f.path)
    f.run(f"CREATE TEMP VIEW {_q(f.kept)} AS SELECT _row, {canon} FROM {_q(f.base)} "
          f"ANTI JOIN {_q(f.excl)} USING (_row)")
    records = []
    for k, (reason, column, _cond, val, invalid, problem, fix) in enumerate(checks):
        if k not in by_reason:
            continue
        r = by_reason[k]
        cnt, rows = int(r[1]), [int(x) for x in r[2]]
        vals = [] if val is None else [redact_text(_as_read(v, f.numeric.get(column)))
                                       for v in r[3]]
        if cfg.on_invalid == "error":
            if invalid:
                raise _invalid_error(f, cfg, column, cnt, rows, vals, problem, fix)
            if reason == "duplicate respondent id":
                raise _duplicate_error(f, rid)
        records.append({"file": f.name, "reason": reason, "column": column or "",
                        "count": cnt, "rows": rows, "values": vals})
    mrecs = []
    for j, (name, column, _) in enumerate(scores):
        off = 2 + 6 * j
        valid, blank, declared = int(tot[off]), int(tot[off + 1]), int(tot[off + 2])
        codes = {}
        for k, v in (tot[off + 3] or {}).items():
            codes[_fmt_code(k)] = codes.get(_fmt_code(k), 0) + int(v)
        for k, v in (tot[off + 4] or {}).items():
            codes[str(k)] = codes.get(str(k), 0) + int(v)
        mrecs.append({"file": f.name, "score": name, "column": column, "valid": valid,
                      "blank": blank, "declared": declared, "codes": dict(sorted(codes.items()))})
    for j, (name, column, _) in enumerate(scores):  # numeric text read as numbers: a note
        n_lab = int(tot[2 + 6 * j + 5])
        if n_lab:
            # the first six distinct unparsed texts (those read as numbers shown), and
            # whether more than six distinct texts were read (as the pandas loader says it)
            first6 = f.fetch(f"SELECT _t{j}, min(_row) AS m, any_value(_n{j}) FROM "
                             f"{_q(f.checked)} WHERE _u{j} AND NOT _dt{j} GROUP BY _t{j} "
                             f"ORDER BY m LIMIT 6")
            (n_ok,), = f.fetch(f"SELECT count(DISTINCT _t{j}) FROM {_q(f.checked)} "
                               f"WHERE _lh{j}")
            shown = ", ".join(f"{u!r} → {g:g}" for u, _m, g in first6 if g is not None)
            kinds = "answer labels and numeric text" if labelled[j] else "numeric text"
            f.notes.append(f"score `{name}` (column {column!r}): {n_lab} text answers "
                           f"({kinds}) read as numbers ({shown}"
                           f"{' …' if n_ok > 6 else ''}).")
    info = {"file": f.name, "path": str(f.path), "format": f.format, "layout": "plain",
            "rows_read": n_read}
    return records, mrecs, info, list(items)


def _duplicate_error(f, rid):
    """The pandas loader's message for duplicate ids within a file (error mode)."""
    from ..io.loader import _shown

    firsts = f.fetch(f"SELECT _id FROM (SELECT respondent_id AS _id, min(_row) AS _m FROM "
                     f"(SELECT respondent_id, _row, row_number() OVER (PARTITION BY respondent_id"
                     f" ORDER BY _row) AS _k FROM {_q(f.checked)} WHERE _reason IS NULL OR "
                     f"_reason >= 2) WHERE _k > 1 GROUP BY _id) ORDER BY _m LIMIT {_SHOW}")
    total = f.fetch(f"SELECT count(*) FROM {_q(f.checked)} WHERE _reason = 2")[0][0]
    parts, first_rows = [], []
    for (v,) in firsts:
        rows = [int(r) for (r,) in f.fetch(
            f"SELECT _row FROM {_q(f.checked)} WHERE respondent_id = {_lit(v)} AND "
            f"(_reason IS NULL OR _reason >= 2) ORDER BY _row LIMIT {_SHOW}")]
        parts.append(f"{_shown(v)!r} on rows {', '.join(map(str, rows))}")
    first_rows = [int(r) for (r,) in f.fetch(
        f"SELECT _row FROM {_q(f.checked)} WHERE _reason = 2 ORDER BY _row LIMIT {_SHOW}")]
    return SurveyDataError(
        f"{f.path}: column {rid!r}: {int(total)} duplicate respondent ids — "
        f"{'; '.join(parts)}. Remove the repeated responses from the file, or set "
        f"`on_invalid: exclude` to keep the first and exclude the repeats (reported).",
        path=f.path, column=rid, rows=first_rows)


def _expand_globs(cfg):
    """The sources with glob patterns (``exports/2026-*.parquet``) expanded into one source
    per matching file, in name order (each file is accounted for on its own).  Engine path
    only: the pandas loader reads the files named."""
    import dataclasses
    import glob

    out = []
    for i, src in enumerate(cfg.sources):
        text = str(src.path)
        if not any(ch in text for ch in "*?["):
            out.append(src)
            continue
        matches = sorted(glob.glob(text, recursive=True))
        matches = [m for m in matches if Path(m).is_file()]
        if not matches:
            raise SurveyDataError(f"{text}: no file matches this pattern. Check `sources[{i}]."
                                  f"path` in the config (relative paths are relative to the "
                                  f"config file's folder).", path=text)
        out += [dataclasses.replace(src, path=Path(m)) for m in matches]
    names = [s.name for s in out]
    clash = sorted({n for n in names if names.count(n) > 1})
    if clash:
        raise _fail(cfg, "sources", f"several files are named {clash[0]!r}; the LoadReport and "
                                    f"the `source` column name files by their name, so each "
                                    f"file needs a distinct one.")
    return out


def _refuse_unsupported(cfg):
    if getattr(cfg, "layout", "respondents") == "aggregated":
        raise _not_here(cfg, "layout", "`layout: aggregated`")
    if cfg.long_form:
        raise _not_here(cfg, "relationship.form", "a long-form relationship survey")
    if cfg.weighting:
        raise _not_here(cfg, "weighting", "raking (`weighting:`)")
    if cfg.design:
        raise _not_here(cfg, "design", "a survey design (`design:`)")


# ============================================================ entry point ===================
def load_survey_engine(cfg, engine="duckdb"):
    """:func:`cxkit.load_survey` with the checks run in DuckDB (see the module docstring).

    Parameters
    ----------
    cfg : SurveyConfig
        A validated config.
    engine : {"duckdb"}

    Returns
    -------
    LoadResult
        ``(responses, report)``: ``responses`` an :class:`~cxkit.engines.sources.EngineSurvey`
        over a DuckDB view of the kept rows (canonical columns ``respondent_id``, ``source``,
        ``source_row``, ``date``, segments, ``weight``, scores, text columns; ``period``
        derived in the engine), ``report`` the same :class:`cxkit.LoadReport` as the pandas
        loader's.

    Examples
    --------
    >>> from cxkit.io.config import read_config
    >>> responses, report = load_survey_engine(read_config("demo"))
    >>> report.rows_kept + report.rows_excluded == report.rows_read
    True
    >>> type(responses).__name__
    'EngineSurvey'
    """
    import duckdb
    import pandas as pd

    from ..io.loader import LoadReport, LoadResult, _shown

    if engine != "duckdb":
        raise _fail(cfg, "engine", f"{engine!r}: load_survey_engine runs the checks in DuckDB "
                                   f"(`engine: duckdb`); `engine: pandas` is cxkit.load_survey.")
    _refuse_unsupported(cfg)
    sources = _expand_globs(cfg)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    try:                    # no progress output; in a Jupyter kernel without ipywidgets DuckDB
        con.execute("SET enable_progress_bar = false")   # refuses to change it (it is off there)
    except duckdb.Error:
        pass
    files, records, mrecs, infos, notes = [], [], [], [], []
    cols = None
    for i, src in enumerate(sources):
        f = _File(con, cfg, src, i)
        rec, mrec, info, names = _check_file(con, cfg, f)
        files.append(f)
        records += rec
        mrecs += mrec
        infos.append(info)
        notes += [f"{f.name}: {redact_text(n)}" for n in f.notes]
        cols = names
    canon = ["respondent_id", "source", "source_row"] + [c for c in cols if c != "respondent_id"]
    order = ["respondent_id", "source", "source_row"] + \
        (["date"] if "date" in cols else []) + \
        (["_period_date"] if "_period_date" in cols else []) + list(cfg.segments) + \
        (["weight"] if "weight" in cols else []) + \
        [*cfg.scores, *(d.name for d in cfg.driver_scores)] + list(cfg.text)
    order = [c for c in dict.fromkeys(order) if c in canon]
    pick = ", ".join(_q(c) for c in order)
    def item(c, f):
        return {"source": f"{_lit(f.name)} AS source",
                "source_row": "_row AS source_row"}.get(c, _q(c))

    union = " UNION ALL ".join(
        f"SELECT {i} AS _file, _row, {', '.join(item(c, f) for c in order)} "
        f"FROM {_q(f.kept)}" for i, f in enumerate(files))
    view = f"cxkit_responses_{uuid.uuid4().hex[:8]}"
    if len(files) > 1:  # duplicate ids across files: one window pass at load, kept in a table
        xdup = f"cxkit_xdup_{uuid.uuid4().hex[:8]}"
        con.execute(f"CREATE TEMP TABLE {_q(xdup)} AS SELECT _file, _row, source_row, "
                    f"respondent_id FROM (SELECT _file, _row, source_row, respondent_id, "
                    f"row_number() OVER (PARTITION BY respondent_id ORDER BY _file, _row) AS _x "
                    f"FROM ({union})) WHERE _x > 1")
        got = con.sql(f"SELECT _file, count(*), min(source_row, 10), arg_min(respondent_id, "
                      f"_row, 10) FROM {_q(xdup)} GROUP BY _file ORDER BY _file").fetchall()
        if got and cfg.on_invalid == "error":
            (first,), = con.sql(f"SELECT respondent_id FROM {_q(xdup)} ORDER BY _file, _row "
                                f"LIMIT 1").fetchall()
            where = con.sql(f"SELECT source, source_row FROM ({union}) WHERE "
                            f"respondent_id = {_lit(first)} ORDER BY _file, _row").fetchall()
            shown = "; ".join(f"{a} row {b}" for a, b in where[:_SHOW])
            total = sum(int(r[1]) for r in got)
            raise SurveyDataError(
                f"respondent id {_shown(first)!r} appears in more than one file ({shown}); "
                f"{total} ids repeat across files. If the files overlap, remove "
                f"the repeats or set `on_invalid: exclude` (keeps the first); if each "
                f"file numbers its own respondents, give each source an `id_prefix:`.",
                path=where[-1][0], column=cfg.respondent_id,
                rows=[int(b) for _, b in where[:_SHOW]])
        for fi, cnt, rows, vals in got:
            records.append({"file": files[fi].name, "reason": "duplicate respondent id",
                            "column": cfg.respondent_id or "", "count": int(cnt),
                            "rows": [int(x) for x in rows],
                            "values": [_shown(v) for v in vals]})
        src = (f"(SELECT * FROM ({union}) ANTI JOIN {_q(xdup)} USING (_file, _row))" if got
               else f"({union})")
    else:
        src = f"({union})"
    con.execute(f"CREATE TEMP VIEW {_q(view)} AS SELECT {pick} FROM {src}")

    fr = pd.DataFrame(infos)
    per_file_excl = {}
    for r in records:
        per_file_excl[r["file"]] = per_file_excl.get(r["file"], 0) + r["count"]
    fr["rows_excluded"] = fr["file"].map(per_file_excl).fillna(0).astype("int64")
    fr["rows_kept"] = (fr["rows_read"] - fr["rows_excluded"]).astype("int64")
    fr = fr[["file", "path", "format", "layout", "rows_read", "rows_kept", "rows_excluded"]]
    fr["responses"] = fr["rows_kept"]
    fr["rows_read"] = fr["rows_read"].astype("int64")
    excl = pd.DataFrame(records, columns=["file", "reason", "column", "count", "rows", "values"])
    excl["count"] = excl["count"].astype("int64")
    missing = pd.DataFrame(mrecs, columns=["file", "score", "column", "valid", "blank",
                                           "declared", "codes"])
    report = LoadReport(survey=cfg.survey, files=fr, exclusions=excl, missing=missing,
                        notes=tuple(notes), weighting=None)
    return LoadResult(_survey(con, cfg, view, order, _levels(con, cfg, view, len(files))), report)


def _levels(con, cfg, view, n_files) -> dict:
    """Each segment's levels in the pandas loader's order: derived segments in their natural
    order (Mon … Sun); with one file, the order of first appearance among the kept rows (the
    pandas loader's categories follow the first appearance in the file, which differs only when
    a level first appears on an excluded row); with several files pandas sorts the levels, as
    the engine does without an order.  One small ``GROUP BY`` per segment."""
    from ..io.loader import derived_levels

    out = {}
    for name, g in cfg.segments.items():
        if g.derived:
            out[name] = tuple(derived_levels(g))
        elif n_files == 1:
            got = con.sql(f"SELECT {_q(name)} FROM {_q(view)} WHERE {_q(name)} IS NOT NULL "
                          f"GROUP BY 1 ORDER BY min(source_row)").fetchall()
            out[name] = tuple(str(v) for (v,) in got)
    return out


def _survey(con, cfg, view, order, levels=None):
    """The EngineSurvey over the kept rows' view (Ibis compiles, DuckDB runs)."""
    import ibis
    from ibis.backends.sql.datatypes import DuckDBType

    from .sources import EngineSurvey

    types = con.sql(f"SELECT column_name, column_type FROM (DESCRIBE {_q(view)})").fetchall()
    table = ibis.table(ibis.schema({n: DuckDBType.from_string(t) for n, t in types}), name=view)

    def run(expr):
        return con.sql(str(ibis.to_sql(expr, dialect="duckdb"))).df()

    rel = None if cfg.relationship is None else dict(cfg.relationship)
    meta = {
        "metrics": cfg.metrics,
        "scales": {k: tuple(s.scale) for k, s in cfg.scores.items()},
        "integer": {k: bool(s.integer) for k, s in cfg.scores.items()},
        "segments": list(cfg.segments),
        "weight": "weight" if cfg.weight else None,
        "weighting": None,
        "design": None,
        "period": cfg.period_freq,
        "survey": cfg.survey,
        "relationship": rel,
        "config_path": None if cfg.path is None else str(cfg.path),
        "labels": {},
        "drivers": None if not cfg.drivers else {
            "outcome": cfg.drivers["outcome"],
            "ratings": {k: d.to_dict() for k, d in cfg.drivers["ratings"].items()}},
        "follow_up": None if not cfg.follow_up else dict(cfg.follow_up),
        "engine": "duckdb",
    }
    date = ("_period_date" if "_period_date" in order else
            "date" if (cfg.period and "date" in order) else None)
    return EngineSurvey(table, run, dict(cfg.metrics),
                        {k: tuple(s.scale) for k, s in cfg.scores.items()}, date,
                        cfg.period_freq or "M", "weight" if cfg.weight else None,
                        tuple(cfg.segments), cfg.survey, meta=meta, levels=levels or {},
                        connection=con)
