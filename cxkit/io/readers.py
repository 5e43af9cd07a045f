"""Raw readers: one survey export file in, one pandas DataFrame out (before any mapping).

:func:`read_export` reads CSV/TSV, Parquet, Excel (.xlsx), SPSS (.sav) and the vendor layouts
of Qualtrics (three header rows) and SurveyMonkey (two header rows), returning one row per data
row with readable, unique column names.  What the loader needs to cite *source rows* and to
honour vendor metadata is kept in ``df.attrs``:

``attrs["first_row"]``
    Source row number of the first data row, as a spreadsheet shows it (header = row 1, so 2
    for a plain CSV, 4 for a Qualtrics export; SPSS case 1 is row 1).  Data row ``i``
    (0-based) is row ``first_row + i``; see :func:`source_rows`.
``attrs["layout"]``
    ``"plain"``, ``"qualtrics"``, ``"surveymonkey"`` or ``"spss"``.
``attrs["layout_variant"]``
    The form of the header found by :func:`cxkit.io.layouts.split_header` (CSV/TSV/xlsx), e.g.
    ``"qualtrics-v-ids"`` (legacy Qualtrics) or ``"surveymonkey-legacy"``.
``attrs["labels"]``
    ``{column: question text}`` (Qualtrics row 2, SurveyMonkey headings, SPSS variable labels).
``attrs["value_labels"]``, ``attrs["missing_codes"]``, ``attrs["missing_ranges"]``
    SPSS value labels and user-defined missing values per column.
``attrs["duplicate_columns"]``
    ``{name: [column letters]}`` for header names that occur more than once (the copies are
    renamed ``name (2)``, ``name (3)`` …).
``attrs["truncated_rows"]``
    Source rows with fewer fields than the header at the end of a file cut off mid-line.
``attrs["notes"]``
    Things worth telling the user (e.g. a damaged Qualtrics ImportId row).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.checks import check_argument
from ..core.errors import SurveyDataError
from ..core.redact import redact_text
from .textscan import (TextSource, csv_field_counts, field_counts, prepare_text,
                       unquoted_delimiters)
from .layouts import split_header

__all__ = ["read_export", "source_rows", "detect_format", "EXPORT_FORMATS"]

EXPORT_FORMATS = ("auto", "csv", "tsv", "parquet", "excel", "spss", "qualtrics", "surveymonkey")

#: Qualtrics metadata field ids (row 1 of an export); three or more of them mean Qualtrics.
QUALTRICS_FIELDS = frozenset({
    "StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)",
    "Finished", "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName",
    "RecipientEmail", "ExternalReference", "LocationLatitude", "LocationLongitude",
    "DistributionChannel", "UserLanguage"})
#: SurveyMonkey metadata headings (row 1 of an export).
SURVEYMONKEY_FIELDS = frozenset({
    "Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address",
    "First Name", "Last Name", "Custom Data 1"})
_SM_PLAIN = {"", "response", "open-ended response"}

_MAGIC = [(b"PAR1", "parquet"), (b"$FL2", "spss"), (b"$FL3", "spss"), (b"PK\x03\x04", "excel"),
          (b"\xd0\xcf\x11\xe0", "excel-xls")]


def _letter(i: int) -> str:
    """Spreadsheet column letter of 0-based column ``i`` (0 → A, 26 → AA)."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def source_rows(df) -> np.ndarray:
    """Source row numbers (spreadsheet numbering) of the rows of a :func:`read_export` frame.

    >>> df = pd.DataFrame({"a": [1, 2]}); df.attrs["first_row"] = 4
    >>> source_rows(df).tolist()
    [4, 5]
    """
    return int(df.attrs.get("first_row", 2)) + np.arange(len(df), dtype=np.int64)


def detect_format(path) -> str:
    """File format from the content (magic bytes), falling back to the extension.

    Returns one of ``"parquet"``, ``"spss"``, ``"excel"``, ``"tsv"``, ``"csv"``.
    """
    p = Path(path)
    with open(p, "rb") as f:
        head = f.read(8)
    for magic, fmt in _MAGIC:
        if head.startswith(magic):
            if fmt == "excel-xls":
                raise SurveyDataError(
                    f"{p}: this is an old binary Excel .xls workbook, which cxkit does not read. "
                    f"Open it in Excel and save it as .xlsx (or export CSV).", path=p)
            return fmt
    return "tsv" if p.suffix.lower() in (".tsv", ".tab") else "csv"


def _unique(raw):
    """Strip header names, name blanks by column letter, de-duplicate; return names, dups."""
    names, seen, dups = [], {}, {}
    for i, r in enumerate(raw):
        n = "" if r is None or (isinstance(r, float) and np.isnan(r)) else str(r).strip()
        if not n:
            n = f"column {_letter(i)}"
        if n in seen:
            dups.setdefault(n, [_letter(seen[n][0])]).append(_letter(i))
            seen[n].append(i)
            n2 = f"{n} ({len(seen[n])})"
            names.append(n2)
        else:
            seen[n] = [i]
            names.append(n)
    return names, dups


def _cell(x) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return ""
    return str(x).strip()


def _is_jsonish(row) -> bool:
    cells = [_cell(c) for c in row]
    filled = [c for c in cells if c]
    if not filled:
        return False
    hits = sum(c.startswith("{") or "importid" in c.lower() for c in filled)
    return hits >= max(1, len(filled) / 2)


def _layout(records, fmt):
    """Decide the layout and header rows from the first records (lists of cells)."""
    first = [_cell(c) for c in records[0]] if records else []
    second = [_cell(c) for c in records[1]] if len(records) > 1 else []
    if fmt == "qualtrics" or (fmt in ("auto", "excel") and
                              len(QUALTRICS_FIELDS.intersection(first)) >= 3):
        return "qualtrics"
    if fmt == "surveymonkey" or (fmt in ("auto", "excel") and (
            "Respondent ID" in first or "Respondent ID" in second) and len(
            SURVEYMONKEY_FIELDS.intersection(first + second)) >= 2):
        return "surveymonkey"
    return "plain"


def _headers(records, layout, path):
    """Return (n header rows, names, labels, duplicates, notes) for a layout."""
    notes = []
    if not records:
        raise SurveyDataError(f"{path}: the file is empty (no header row). Export the survey "
                              f"again, or remove this file from `sources:`.", path=path)
    if layout == "plain":
        names, dups = _unique(records[0])
        return 1, names, {}, dups, notes
    if layout == "qualtrics":
        if len(records) < 2:
            raise SurveyDataError(
                f"{path}: a Qualtrics export needs a field-id row and a question-text row; only "
                f"one row found. Export again from Qualtrics (Data & Analysis > Export).",
                path=path)
        names, dups = _unique(records[0])
        labels = {n: _cell(t) for n, t in zip(names, records[1]) if _cell(t)}
        k = 2
        while k < min(len(records), 5) and (
                _is_jsonish(records[k]) or not any(_cell(c) for c in records[k])):
            row = records[k]
            if any(_cell(c) for c in row):
                bad = []
                for i, c in enumerate(row):
                    c = _cell(c)
                    if c:
                        try:
                            json.loads(c)
                        except ValueError:
                            bad.append(f"{_letter(i)} {c!r}")
                if bad:
                    notes.append(f"header row {k + 1} (Qualtrics ImportId JSON) is damaged in "
                                 f"column(s) {', '.join(bad[:5])}; it is metadata only and was "
                                 f"skipped.")
            k += 1
        if k == 2:
            notes.append("no ImportId JSON header row (an older Qualtrics export); data start "
                         "at row 3.")
        return k, names, labels, dups, notes
    # SurveyMonkey: row 1 = question headings (first column of each question only),
    # row 2 = "Response", "Open-Ended Response" or the option label.
    if len(records) < 2:
        raise SurveyDataError(f"{path}: a SurveyMonkey export needs two header rows; only one "
                              f"found. Export again (All responses, expanded).", path=path)
    heads, raw, labels, cur = [], [], {}, ""
    r1, r2 = list(records[0]), list(records[1])
    width = max(len(r1), len(r2))
    r1 += [""] * (width - len(r1))
    r2 += [""] * (width - len(r2))
    if not any(_cell(c) for c in r2):
        notes.append("header row 2 (SurveyMonkey answer labels) is blank; column names come "
                     "from row 1 only.")
    for i in range(width):
        h, s = _cell(r1[i]), _cell(r2[i])
        cur = h or cur
        heads.append(cur)
        if s.lower() in _SM_PLAIN:
            raw.append(cur)
        else:
            raw.append(f"{cur} - {s}" if cur else s)
    names, dups = _unique(raw)
    labels = {n: h for n, h in zip(names, heads) if h}
    return 2, names, labels, dups, notes


# ---------------------------------------------------------------- text (CSV/TSV) ------------
def _sniff(line: str, candidates=(",", "\t", ";", "|")) -> str:
    line = re.sub(r'"[^"]*"', "", line)
    counts = {d: line.count(d) for d in candidates}
    best = max(counts, key=counts.get)
    return best if counts[best] > 0 else ","


class _csv_limit:
    """Lift the csv module's 131,072-character field limit while reading (a long comment
    is a value, not an error); restored afterwards."""

    def __enter__(self):
        import sys

        self.old = csv.field_size_limit()
        csv.field_size_limit(sys.maxsize)

    def __exit__(self, *exc):
        csv.field_size_limit(self.old)


def _peek_records(path, encoding, sep, n=8, nbytes=1 << 18):
    """The first ``n`` records of a text file, parsed with the csv module."""
    with (path.open() if isinstance(path, TextSource) else open(path, "rb")) as f:
        while True:
            raw = f.read(nbytes)
            eof = len(raw) < nbytes
            f.seek(0)
            text = raw.decode(encoding, errors="replace")
            if text.startswith("\ufeff"):
                text = text[1:]
            recs = list(itertools.islice(csv.reader(io.StringIO(text, newline=""),
                                                    delimiter=sep), n + 1))
            if eof or len(recs) > n:
                return recs[:n], text
            nbytes *= 4


def _decode_error(path, encoding, err):
    data = Path(path).read_bytes()
    try:
        data.decode(encoding)
        pos = getattr(err, "start", 0)
    except UnicodeDecodeError as e:
        pos = e.start
    line = data[:pos].count(b"\n") + 1
    start = data.rfind(b"\n", 0, pos) + 1
    end = data.find(b"\n", pos)
    snippet = data[start:end if end >= 0 else None][:80]
    return SurveyDataError(
        f"{path}: not valid {encoding.replace('-sig', '')} text at row {line} (byte "
        f"0x{data[pos]:02x} in {redact_text(snippet.decode(encoding, errors='replace'))!r}). "
        f"The file mixes "
        f"encodings (often Windows-1252 bytes in a UTF-8 file). Re-save it as UTF-8, or set "
        f"`encoding: cp1252` on this source if the whole file is Windows-1252.",
        path=path, rows=[line])


def _read_text(path, fmt, encoding, delimiter, dtype):
    p = Path(path)
    size = p.stat().st_size
    if size == 0:
        raise SurveyDataError(f"{p}: the file is empty (0 bytes). Export the survey again, or "
                              f"remove this file from `sources:`.", path=p)
    # encoding checked, UTF-16/32 transcoded, \r\r\n and CR-only line ends normalised
    src = prepare_text(p, encoding)
    enc = src.encoding
    if delimiter:
        sep = delimiter
    elif fmt == "tsv":
        sep = "\t"
    elif fmt in ("csv",):
        sep = ","
    else:
        with src.open() as f:
            first = f.read(1 << 16).decode(enc, errors="replace").lstrip("\ufeff")
        sep = _sniff(first.split("\n", 1)[0])
    with _csv_limit():
        records, text = _peek_records(src, enc, sep)
    records_nonblank = [r for r in records if any(_cell(c) for c in r)]
    if not records_nonblank:
        raise SurveyDataError(f"{p}: the file is empty (no header row). Export the survey "
                              f"again, or remove this file from `sources:`.", path=p)
    layout, k, names, labels, dups, notes, variant = split_header(
        records, "auto" if fmt in ("csv", "tsv") else fmt, p)
    others = [d for d in (",", ";", "\t", "|") if d != sep and d in names[0]]
    if len(names) == 1 and others:
        d = others[0]
        raise SurveyDataError(
            f"{p}: the header has a single column {names[0][:60]!r}: the file is delimited by "
            f"{d!r}, not by {sep!r}. Set `delimiter: {d!r}` (or `format: auto`) on this "
            f"source.", path=p, column=names[0])
    # Only columns whose first values (the first 256 KB) look like zero-padded codes ("007")
    # are read as text: forcing a text dtype makes the C parser several times slower.
    dt = None
    if dtype:
        pos = {n: i for i, n in enumerate(names)}
        dt = {}
        with _csv_limit():
            sample = list(itertools.islice(csv.reader(io.StringIO(text, newline=""),
                                                      delimiter=sep), k, k + 2000))
        if not text.endswith("\n"):  # the sample may end inside a record
            sample = sample[:-1]
        sample = sample or records[k:]
        for n in dtype:
            if n in pos:
                vals = [_cell(r[pos[n]]) for r in sample if len(r) > pos[n]]
                if any(len(v) > 1 and v.startswith("0") and v.isdigit() for v in vals):
                    dt[n] = dtype[n]
    try:
        with warnings.catch_warnings():
            # columns typed differently in different chunks come back as object columns,
            # which the loader parses value by value; the DtypeWarning is noise here
            warnings.simplefilter("ignore", pd.errors.DtypeWarning)
            # a first data row with too many fields: pandas warns and drops a field; the
            # field count check below refuses it, naming the row
            warnings.simplefilter("ignore", pd.errors.ParserWarning)
            # the delimiter count for the field count check runs in a thread meanwhile
            scan = _start_scan(src, sep)
            df = pd.read_csv(src.parser_input, sep=sep, header=None, names=names, skiprows=k,
                             index_col=False, skip_blank_lines=False, keep_default_na=False,
                             na_values=[""], dtype=dt, encoding=enc)
    except UnicodeDecodeError as e:
        raise _decode_error(p, enc, e) from None
    except pd.errors.ParserError as e:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(e))
        if m:  # name every ragged row (source rows, as for short rows), not pandas' first line
            _check_field_counts(src, sep, k, len(names), None)
            exp, line, saw = (int(x) for x in m.groups())
            raise SurveyDataError(
                f"{p}: row {line} has {saw} fields but the header has {exp} (a ragged row: an "
                f"unquoted {sep!r} inside a value, or a shifted line). Fix that line in the "
                f"file (quote values containing {sep!r}) and load again.",
                path=p, rows=[line]) from None
        m = re.search(r"EOF inside string starting at row (\d+)", str(e))
        if m:
            row = int(m.group(1)) + 1
            raise SurveyDataError(
                f"{p}: a quoted value opened on row {row} is never closed (an unmatched '\"'); "
                f"the rest of the file would be read as one value. Fix the quote on that row "
                f"and load again.", path=p, rows=[row]) from None
        raise SurveyDataError(f"{p}: cannot be parsed as {'TSV' if sep == chr(9) else 'CSV'} "
                              f"({e}). Check the file is a text export.", path=p) from None
    except (ValueError, TypeError) as e:  # e.g. a dtype that does not fit
        raise SurveyDataError(f"{p}: cannot be read ({e}).", path=p) from None
    truncated = _check_field_counts(src, sep, k, len(names), len(df), scan, records, df)
    notes = notes + src.notes
    if dtype:  # columns wanted as text (ids) that the parser typed as numbers: re-read as text
        _text_columns(df, src, sep, k, names, [n for n in dtype if n in df.columns])
    df.attrs.update(_attrs(p, "tsv" if sep == "\t" else "csv", layout, k + 1, labels, dups,
                           notes, truncated_rows=truncated, delimiter=sep,
                           layout_variant=variant))
    return df


def _is_text_dtype(col) -> bool:
    return col.dtype == object or pd.api.types.is_string_dtype(col)


def _text_columns(df, src, sep, k, names, cols):
    """Replace, in place, the columns ``cols`` that the parser typed as numbers with their
    text as written.  Ids must stay text: a blank id turns a column of 16-digit ids into
    float64, where distinct ids collapse (9999999999999999 -> 1e16) and a real response is
    then excluded as a duplicate; integers lose leading zeros.  Only numeric columns are
    re-read (forcing a text dtype in the main read makes it several times slower): by
    pyarrow's CSV reader (one column, multithreaded), else by pandas."""
    todo = [c for c in cols if not _is_text_dtype(df[c])]
    if not todo:
        return
    got = None
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        enc = "utf8" if src.encoding.lower().replace("_", "-") in (
            "utf-8", "utf-8-sig", "utf8") else src.encoding
        table = pacsv.read_csv(
            src.parser_input,
            read_options=pacsv.ReadOptions(skip_rows=k, column_names=list(names),
                                           encoding=enc),
            parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True,
                                              ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(include_columns=todo,
                                                 column_types={c: pa.string() for c in todo},
                                                 strings_can_be_null=True,
                                                 null_values=[""]))
        if table.num_rows == len(df):
            got = {c: table.column(c).to_pandas(types_mapper=pd.ArrowDtype).astype("str")
                   for c in todo}
    except Exception:  # noqa: BLE001 — e.g. blank lines (one field): pandas below
        got = None
    if got is None:
        pos = [names.index(c) for c in todo]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pd.errors.ParserWarning)
            t = pd.read_csv(src.parser_input, sep=sep, header=None, names=names, skiprows=k,
                            usecols=pos, index_col=False, skip_blank_lines=False,
                            keep_default_na=False, na_values=[""],
                            dtype={c: "str" for c in todo}, encoding=src.encoding)
        if len(t) != len(df):
            raise SurveyDataError(f"{src.path}: column(s) {todo} could not be re-read as text "
                                  f"({len(t)} rows against {len(df)}). Please report this "
                                  f"file to the cxkit maintainers.", path=src.path)
        got = {c: t[c] for c in todo}
    for c in todo:
        v = got[c]
        v.index = df.index
        df[c] = v.where(v.notna(), np.nan) if v.dtype == object else v


def _start_scan(src, sep):
    """Start :func:`unquoted_delimiters` in a background thread; a Future, or None when the
    delimiter is not one ASCII character (then no byte-level check)."""
    if len(sep) != 1 or ord(sep) > 127:
        return None
    from concurrent.futures import ThreadPoolExecutor

    ex = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cxkit-scan")
    fut = ex.submit(unquoted_delimiters, src, sep)
    ex.shutdown(wait=False)
    return fut


def _no_blank_rows(df) -> bool:
    """True when some column has no missing value (so no row is all blank), known from its
    dtype or arrow's null count without a pass over the rows, else from one pass."""
    for j in range(df.shape[1]):
        a = df.iloc[:, j].array
        pa_arr = getattr(a, "_pa_array", None)
        if pa_arr is not None and pa_arr.null_count == 0:
            return True
        if isinstance(a.dtype, np.dtype) and a.dtype.kind in "iub":
            return True
    return not bool(df.isna().all(axis=1).any())


def _fields_all_match(src, sep, k, width, nrows, scan, records, df) -> bool:
    """The cheap check that every data row has ``width`` fields: the unquoted delimiters add
    up to ``width - 1`` per row.  Sound because pandas raises for a row with too many fields
    after the first data row (checked here from the csv module's records), and a row with
    fewer would leave the sum short; blank lines (no delimiter) are ruled out first."""
    if scan is None:
        return False
    first = [r for r in records[k:] if any(_cell(c) for c in r)]
    if not first or len(first[0]) != width or not _no_blank_rows(df):
        return False
    header = sum(max(len(r) - 1, 0) for r in records[:k])
    try:
        total = scan.result()
    except Exception:  # noqa: BLE001 — the exact count below decides
        return False
    return total - header == (width - 1) * nrows


def _check_field_counts(src, sep, k, width, nrows, scan=None, records=(), df=None):
    """Refuse rows whose field count differs from the header's (pandas pads short rows with
    blanks and, for a long first data row, drops a field and shifts every row of that width);
    returns the truncated last row ([] or [row]) — the one allowed exception: a last line cut
    off mid-row, without its line end, which is excluded as ``truncated row``."""
    if nrows == 0 or len(sep) != 1 or ord(sep) > 127:
        return []
    if nrows is not None and df is not None and _fields_all_match(src, sep, k, width, nrows,
                                                                   scan, records, df):
        return []
    # exact, per record (pandas parsed, so no row after the first has too many fields and
    # blocks whose delimiters add up may skip the per-record count)
    counts, terminated = field_counts(src, sep, width=width if nrows is not None else None)
    rec = counts[k:]
    if nrows is None:  # the parser failed on a ragged row: count them all
        nrows = len(rec)
    if len(rec) != nrows:  # stray quotes inside unquoted values: count as csv does
        counts = csv_field_counts(src, sep)
        rec = counts[k:]
        if len(rec) != nrows:
            return []  # cannot align records with rows; pandas' own checks stand
    # a header with trailing empty names ("a,b,c,") over rows without those fields loses
    # nothing: those rows may stop at the last named column
    head = records[0] if k == 1 and len(records) else []
    trailing = 0
    while trailing < len(head) - 1 and not _cell(head[len(head) - 1 - trailing]):
        trailing += 1
    lo = width - trailing
    bad = ((rec < lo) | (rec > width)) & (rec != 0)
    truncated = []
    if not terminated and bad[-1] and rec[-1] < lo:
        truncated.append(k + nrows)
        bad[-1] = False
    if bad.any():
        exact = csv_field_counts(src, sep)[k:]
        if len(exact) == nrows:
            rec = exact
            bad = ((rec < lo) | (rec > width)) & (rec != 0)
            if truncated:
                bad[-1] = False
    if not bad.any():
        return truncated
    idx = np.flatnonzero(bad)
    rows = [int(k + 1 + i) for i in idx[:5]]
    shown = ", ".join(f"row {r} has {int(rec[i])} field{'' if rec[i] == 1 else 's'}"
                      for r, i in zip(rows, idx[:5]))
    more = f" (and {len(idx) - 5} more rows)" if len(idx) > 5 else ""
    long_ = bool((rec[idx] > width).any())
    short = bool((rec[idx] < width).any())
    why = []
    if long_:
        why.append(f"an unquoted {sep!r} inside a value splits it in two (quote values "
                   f"containing {sep!r}), or the header lacks a name for a column")
    if short:
        why.append("a line was cut or broken in two, or values are missing at the end")
    raise SurveyDataError(
        f"{src.path}: {len(idx)} row(s) with a different number of fields than the header: "
        f"the header has {width}, {shown}{more}. Reading them would shift or blank their values: "
        f"{'; '.join(why)}. Fix those lines in the file and load again.",
        path=src.path, rows=rows)


def _attrs(p, fmt, layout, first_row, labels, dups, notes, **extra):
    d = {"source_path": str(p), "format": fmt, "layout": layout, "first_row": int(first_row),
         "labels": labels, "value_labels": {}, "missing_codes": {}, "missing_ranges": {},
         "duplicate_columns": dups, "truncated_rows": [], "notes": notes}
    d.update(extra)
    return d


# ---------------------------------------------------------------- Excel ---------------------
def _read_excel(path, fmt, sheet):
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException
    import zipfile

    p = Path(path)
    try:
        wb = openpyxl.load_workbook(p, data_only=True, read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as e:
        raise SurveyDataError(f"{p}: not a readable .xlsx workbook ({e}). Re-save it from Excel "
                              f"as .xlsx, or export CSV.", path=p) from None
    except Exception as e:  # noqa: BLE001 — damaged workbook parts (XML syntax errors …)
        raise SurveyDataError(f"{p}: the workbook is damaged ({type(e).__name__}: {e}). Open "
                              f"it in Excel or LibreOffice and save it again as .xlsx, or "
                              f"export CSV.", path=p) from None
    sheets = wb.sheetnames
    epoch = str(getattr(wb, "epoch", "1899-12-30 00:00:00"))  # 1900 or (Mac) 1904 date system
    if sheet is None:
        ws = wb[sheets[0]]
    elif isinstance(sheet, int):
        if not 0 <= sheet < len(sheets):
            raise SurveyDataError(f"{p}: there is no sheet number {sheet} (0-based); the sheets "
                                  f"are {sheets}. Set `sheet:` to one of them.", path=p)
        ws = wb[sheets[sheet]]
    else:
        if sheet not in sheets:
            raise SurveyDataError(f"{p}: there is no sheet {sheet!r}; the sheets are {sheets}. "
                                  f"Set `sheet:` to one of them.", path=p)
        ws = wb[sheet]
    try:
        rows = [list(r) for r in ws.iter_rows(min_row=1, values_only=True)]
        facts = _sheet_facts(p, getattr(ws, "_worksheet_path", None))
    except Exception as e:  # noqa: BLE001 — a damaged sheet XML (lxml / ElementTree errors)
        raise SurveyDataError(
            f"{p}: sheet {ws.title!r} is damaged and cannot be read ({type(e).__name__}: "
            f"{str(e)[:200]}). Open the workbook in Excel or LibreOffice and save it again "
            f"(Excel offers to repair it), or export the sheet as CSV.", path=p) from None
    finally:
        wb.close()
    while rows and not any(_cell(c) for c in rows[-1]):
        rows.pop()
    if not rows:
        raise SurveyDataError(f"{p}: sheet {ws.title!r} is empty; the workbook's sheets are "
                              f"{sheets}. Set `sheet:` to the sheet holding the data.", path=p)
    layout, k, names, labels, dups, notes, variant = split_header(
        rows[:8], "auto" if fmt == "excel" else fmt, p)
    width = len(names)
    data = [r[:width] + [None] * (width - len(r)) for r in rows[k:]]
    df = pd.DataFrame(data, columns=names, dtype=object) if data else pd.DataFrame(
        {n: pd.Series([], dtype=object) for n in names})
    df = df.infer_objects()
    merged, formulas = _describe_sheet_facts(facts, names, k, notes)
    df.attrs.update(_attrs(p, "excel", layout, k + 1, labels, dups, notes, sheet=ws.title,
                           sheets=sheets, excel_epoch=epoch, merged_cells=merged,
                           uncached_formulas=formulas, layout_variant=variant))
    return df


_CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)")


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _sheet_facts(path, member):
    """(merged ranges, cells holding a formula without a stored result) of one sheet, read
    from the sheet's XML in the .xlsx (openpyxl's read-only mode does not report merges; with
    ``data_only`` a formula without a cached value reads as blank)."""
    import zipfile

    if not member:
        return [], []
    merge_re = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+:[A-Z]+\d+)"')
    cell_re = re.compile(rb'<(?:\w+:)?c\s[^>]*?r="([A-Z]+\d+)"[^>]*?(?<!/)>(.*?)</(?:\w+:)?c>',
                         re.S)
    formula_re = re.compile(rb"<(?:\w+:)?f[\s>/]")
    value_re = re.compile(rb"<(?:\w+:)?v>[^<]")
    merged, formulas = [], []

    def scan(piece):
        if b"mergeCell" in piece:
            merged.extend(m.decode() for m in merge_re.findall(piece))
        if b"<f" in piece or b":f" in piece:
            for m in cell_re.finditer(piece):
                body = m.group(2)
                if formula_re.search(body) and not value_re.search(body):
                    formulas.append(m.group(1).decode())

    # streamed in blocks cut after a closing cell tag (a large sheet is never held whole)
    with zipfile.ZipFile(path) as z:
        try:
            f = z.open(member.lstrip("/"))
        except KeyError:
            return [], []
        with f:
            carry = b""
            while True:
                block = f.read(1 << 22)
                if not block:
                    scan(carry)
                    break
                data = carry + block
                cut = max(data.rfind(b"</c>"), data.rfind(b":c>"))
                cut = data.find(b">", cut) + 1 if cut >= 0 else 0
                if cut <= 0:
                    carry = data
                    continue
                scan(data[:cut])
                carry = data[cut:]
    return merged, formulas


def _describe_sheet_facts(facts, names, k, notes):
    """Notes (and attrs) for merged cells and formulas without a stored result: which cells,
    which columns and source rows, and how to fix the workbook."""
    merged_ranges, formula_cells = facts
    merged = []
    for ref in merged_ranges:
        a, b = ref.split(":")
        (c1, r1), (c2, r2) = (_CELL_REF.fullmatch(x).groups() for x in (a, b))
        cols = [names[j] for j in range(_col_index(c1), _col_index(c2) + 1) if j < len(names)]
        merged.append({"range": ref, "columns": cols, "rows": list(range(int(r1), int(r2) + 1))})
    if merged:
        shown = ", ".join(m["range"] for m in merged[:5]) + (" …" if len(merged) > 5 else "")
        notes.append(f"merged cells {shown}: Excel keeps a merged value only in the first cell "
                     f"(top left), so the other cells read as blank. Unmerge them (Home > Merge "
                     f"& Center > Unmerge Cells), fill the value into every row and save again.")
    formulas = {}
    for ref in formula_cells:
        c, r = _CELL_REF.fullmatch(ref).groups()
        j = _col_index(c)
        if int(r) > k and j < len(names):
            formulas.setdefault(names[j], []).append(int(r))
    if formula_cells:
        shown = ", ".join(formula_cells[:5]) + (" …" if len(formula_cells) > 5 else "")
        notes.append(f"{len(formula_cells)} cell(s) hold a formula without a stored result "
                     f"({shown}): the workbook was written by a program that does not compute "
                     f"formulas, and they read as blank. Open it in Excel or LibreOffice and "
                     f"save it (the results are then stored), or paste the values.")
    return merged, formulas


# ---------------------------------------------------------------- SPSS / Parquet ------------
def _read_spss(path):
    import pyreadstat

    p = Path(path)
    try:
        df, meta = pyreadstat.read_sav(str(p), user_missing=True)
    except Exception as e:  # pyreadstat raises its own ReadstatError / PyreadstatError
        with open(p, "rb") as f:
            head = f.read(200)
        looks = "text (probably CSV)" if head and all(b >= 9 for b in head[:100]) else "binary"
        raise SurveyDataError(
            f"{p}: not a readable SPSS .sav file ({type(e).__name__}: {e}); the content looks "
            f"like {looks}. If it is really a CSV export, set `format: csv` (or `auto`) on "
            f"this source.", path=p) from None
    names, dups = _unique(df.columns)
    rename = dict(zip(df.columns, names))
    df.columns = names
    miss_codes = {rename[c]: list(v) for c, v in (meta.missing_user_values or {}).items()}
    miss_ranges = {rename[c]: [(r["lo"], r["hi"]) for r in v]
                   for c, v in (meta.missing_ranges or {}).items()}
    labels = {rename[c]: t for c, t in (meta.column_names_to_labels or {}).items() if t}
    vlabels = {rename[c]: dict(v) for c, v in (meta.variable_value_labels or {}).items()}
    df.attrs.update(_attrs(p, "spss", "spss", 1, labels, dups, [], value_labels=vlabels,
                           missing_codes=miss_codes, missing_ranges=miss_ranges))
    return df


def _read_parquet(path, categories=()):
    p = Path(path)
    try:
        kwargs = {}
        if categories:
            import pyarrow.parquet as pq

            # text columns listed in ``categories`` are read dictionary-encoded (as Parquet
            # stores them): pandas categoricals of the same values, without building a
            # string per row
            schema = pq.read_schema(p)
            names = schema.names
            text = [n for n in dict.fromkeys(categories) if names.count(n) == 1 and _is_text(
                schema.field(n).type)]
            if text:
                kwargs["read_dictionary"] = text
        df = pd.read_parquet(p, **kwargs)
    except Exception as e:  # pyarrow raises ArrowInvalid / OSError
        raise SurveyDataError(f"{p}: not a readable Parquet file ({type(e).__name__}: {e}). "
                              f"Check the file, or set `format:` to its real format.",
                              path=p) from None
    names, dups = _unique(df.columns)
    if list(df.columns) != names:
        df.columns = names
    df.attrs.update(_attrs(p, "parquet", "plain", 2, {}, dups, []))
    return df


def _is_text(t) -> bool:
    import pyarrow as pa

    return pa.types.is_string(t) or pa.types.is_large_string(t)


# ---------------------------------------------------------------- entry point ---------------
def read_export(path, *, format="auto", sheet=None, encoding=None, delimiter=None, dtype=None,
                categories=()):
    """Read one survey export into a DataFrame, before any mapping or validation.

    Parameters
    ----------
    path : path-like
        The export file.
    format : {"auto", "csv", "tsv", "parquet", "excel", "spss", "qualtrics", "surveymonkey"}
        ``"auto"`` detects the file type from its first bytes (Parquet, SPSS, xlsx, else text)
        and the Qualtrics / SurveyMonkey layouts from the header rows.  ``"qualtrics"`` and
        ``"surveymonkey"`` force the layout (of a CSV/TSV or xlsx file).
    sheet : str or int, optional
        Excel sheet name or 0-based index (default: the first sheet).
    encoding : str, optional
        Text encoding of CSV/TSV (default UTF-8 with or without BOM).
    delimiter : str, optional
        CSV field delimiter (default: sniffed for ``"auto"``, ``","`` for ``"csv"``).
    dtype : dict, optional
        ``{column: dtype}`` passed to the CSV parser (e.g. ``{"id": str}`` to keep leading
        zeros).  Names are the cleaned names.
    categories : sequence of str, optional
        Columns wanted as pandas categoricals, read so where the format stores text
        dictionary-encoded (Parquet text columns; much faster than one string per row).  The
        values are the same; other formats and non-text columns ignore it.

    Returns
    -------
    pandas.DataFrame
        One row per data row (blank lines included, as all-NaN rows, so row numbers stay
        true); header names stripped of surrounding spaces and made unique.  See the module
        docstring for ``df.attrs`` (``first_row``, ``layout``, ``labels`` …).

    Raises
    ------
    cxkit.SurveyDataError
        Empty or unreadable file, ragged rows, undecodable bytes, wrong format.

    Notes
    -----
    Header rows are detected from content, not by fixed counts: a Qualtrics export has the
    field ids (row 1), the question texts (row 2) and one or more ImportId JSON rows
    (``{"ImportId":"QID1"}``); every leading JSON-like or blank row after row 2 is a header
    row.  A SurveyMonkey export has the question heading (row 1, only on the first column of
    each question) and ``Response`` / ``Open-Ended Response`` / the option label (row 2);
    columns are named ``heading`` or ``heading - option``.

    Examples
    --------
    >>> from cxkit.core.paths import PROJECT_DIR
    >>> df = read_export(PROJECT_DIR / "tests/fixtures/qualtrics.csv")   # doctest: +SKIP
    >>> df.attrs["first_row"], df.attrs["labels"]["Q1"]                  # doctest: +SKIP
    (4, 'How likely are you to recommend us to a friend or colleague?')
    """
    check_argument("format", EXPORT_FORMATS, format)
    p = Path(path)
    if not p.is_file():
        raise SurveyDataError(f"{p}: file not found. Check `path:` in the config (relative "
                              f"paths are relative to the config file's folder).", path=p)
    if p.stat().st_size == 0:
        raise SurveyDataError(f"{p}: the file is empty (0 bytes). Export the survey again, or "
                              f"remove this file from `sources:`.", path=p)
    kind = detect_format(p)
    if format in ("csv", "tsv", "parquet", "excel", "spss") and format != kind and not (
            format in ("csv", "tsv") and kind in ("csv", "tsv")):
        if format == "spss":
            return _read_spss(p)  # raises with a useful message
        if format in ("csv", "tsv"):
            raise SurveyDataError(f"{p}: declared `format: {format}` but the content is a "
                                  f"{kind} file. Set `format: {kind}` (or `auto`).", path=p)
        raise SurveyDataError(f"{p}: declared `format: {format}` but the content is "
                              f"{'text (CSV/TSV)' if kind in ('csv', 'tsv') else kind}. Set "
                              f"`format: {'csv' if kind in ('csv', 'tsv') else kind}` (or "
                              f"`auto`).", path=p)
    if kind == "parquet":
        return _read_parquet(p, categories)
    if kind == "spss":
        return _read_spss(p)
    if kind == "excel":
        return _read_excel(p, format if format in ("qualtrics", "surveymonkey") else "excel",
                           sheet)
    fmt = format if format != "auto" else ("tsv" if kind == "tsv" and not delimiter else "auto")
    return _read_text(p, fmt, encoding, delimiter, dtype)
