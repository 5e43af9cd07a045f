"""Header-layout detection: which leading rows of an export are headers or metadata.

:func:`split_header` looks at the first records of a file (lists of cells, as the CSV reader or
openpyxl gives them) and decides the layout and the number of header rows, from the content:

* a leading ``Column1, Column2, …`` row, which Excel's table tools (Format as Table, Power
  Query without "Use first row as headers") put on top of an export, is skipped (noted);
* **legacy Qualtrics** exports (before 2017):

  - ``V1, V2, …`` field ids in row 1 (question columns may carry their ``Q…`` id there), the
    field names (``ResponseID``, ``ResponseSet``, ``StartDate``, …) or, in the two-row form,
    the field labels / question texts in row 2; when row 2 holds field names, row 3 holds the
    question texts;
  - field names / question text without an ImportId row (data from row 3);
  - the 2016–2017 form whose third row is ``{'ImportId': 'QID1'}`` (Python-dict quoting): a
    known layout, skipped as metadata;

* **older SurveyMonkey** exports (``RespondentID``, ``CollectorID``, ``StartDate`` …, or no
  metadata columns at all), recognised from the second row: ``Response``,
  ``Open-Ended Response`` or option labels under blank headings;
* everything else is left to :mod:`cxkit.io.readers` (current Qualtrics and SurveyMonkey
  exports, plain tables).

The layout reported is ``"qualtrics"`` / ``"surveymonkey"`` / ``"plain"`` (so the loader maps
``ResponseID``, ``Status`` … as for current exports); ``variant`` names the form found
(``"qualtrics-v-ids"``, ``"qualtrics-v-ids-3row"``, ``"qualtrics-2016"``,
``"qualtrics-no-importid"``, ``"surveymonkey-legacy"``) and is kept in
``df.attrs["layout_variant"]``.

References
----------
Qualtrics, "Legacy Exporter" and "Data Export Options" support pages (the pre-2017 exporter
wrote ``V1…V10`` metadata ids, a labels row, and from 2016 an ImportId row);
SurveyMonkey Help, "Understanding exported data" (two header rows: question heading, then
``Response`` / ``Open-Ended Response`` / option label; metadata columns ``Respondent ID``,
``Collector ID``, ``Start Date`` … — written ``RespondentID``, ``CollectorID`` … before 2017).
"""

from __future__ import annotations

import ast
import json
import re

__all__ = ["split_header", "LEGACY_QUALTRICS_FIELDS", "LEGACY_SURVEYMONKEY_FIELDS"]

#: Field names of the legacy (pre-2017) Qualtrics exporter (row 1 or row 2).
LEGACY_QUALTRICS_FIELDS = frozenset({
    "ResponseID", "ResponseSet", "Name", "ExternalDataReference", "EmailAddress", "IPAddress",
    "Status", "StartDate", "EndDate", "Finished", "LocationLatitude", "LocationLongitude",
    "LocationAccuracy", "ExternalReference", "RecipientEmail", "RecipientFirstName",
    "RecipientLastName", "DistributionChannel", "Progress", "Duration (in seconds)",
    "RecordedDate", "ResponseId", "UserLanguage"})
#: Metadata headings of older SurveyMonkey exports (no spaces) and current ones.
LEGACY_SURVEYMONKEY_FIELDS = frozenset({
    "RespondentID", "CollectorID", "StartDate", "EndDate", "IP Address", "Email Address",
    "First Name", "FirstName", "LastName", "Last Name", "Custom Data", "CustomData",
    "Respondent ID", "Collector ID", "Start Date", "End Date", "Custom Data 1"})
_SM_PLAIN = {"response", "open-ended response"}
_V_ID = re.compile(r"^V\d+$")
_COLUMN_N = re.compile(r"^Column(\d+)$")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_IDENT = re.compile(r"^[A-Za-z_][\w.\-#]*$")


def _cell(x) -> str:
    if x is None or (isinstance(x, float) and x != x):
        return ""
    return str(x).strip()


def _cells(row) -> list:
    return [_cell(c) for c in row]


def _is_excel_table_row(row) -> bool:
    """``Column1, Column2, …`` in order (blank cells after the last allowed)."""
    cells = _cells(row)
    while cells and not cells[-1]:
        cells.pop()
    if len(cells) < 2:
        return False
    for i, c in enumerate(cells, 1):
        m = _COLUMN_N.match(c)
        if not m or int(m.group(1)) != i:
            return False
    return True


def _v_row(cells) -> bool:
    """Row 1 of a legacy Qualtrics export: starts ``V1, V2, V3`` (ids of the metadata)."""
    filled = [c for c in cells if c]
    return len(filled) >= 3 and cells[:3] == ["V1", "V2", "V3"]


def _identifiers(cells) -> bool:
    """Mostly identifier-like cells (field names, not question texts or data)."""
    filled = [c for c in cells if c]
    if not filled:
        return False
    ident = sum(bool(_IDENT.match(c)) or c in LEGACY_QUALTRICS_FIELDS for c in filled)
    return ident >= 0.95 * len(filled) and len(
        LEGACY_QUALTRICS_FIELDS.intersection(filled)) >= 2


def _import_id_kind(row):
    """``"json"``, ``"python"`` (``{'ImportId': 'QID1'}``), ``"damaged"`` or None (not such a
    row) for a Qualtrics ImportId row."""
    filled = [c for c in _cells(row) if c]
    if not filled:
        return None
    hits = sum(c.startswith("{") or "importid" in c.lower() for c in filled)
    if hits < max(1, len(filled) / 2):
        return None
    kinds = set()
    for c in filled:
        try:
            json.loads(c)
            kinds.add("json")
            continue
        except ValueError:
            pass
        try:
            v = ast.literal_eval(c)
            kinds.add("python" if isinstance(v, dict) else "damaged")
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            kinds.add("damaged")
    if kinds == {"python"}:
        return "python"
    if "damaged" in kinds:
        return "damaged"
    return "json" if kinds == {"json"} else "python"


def _sm_second_row(r1, r2) -> bool:
    """Row 2 of a SurveyMonkey export: ``Response`` / ``Open-Ended Response`` under headings,
    or option labels under the blank headings that continue a multi-column question; the
    metadata columns blank."""
    width = max(len(r1), len(r2))
    r1 = r1 + [""] * (width - len(r1))
    r2 = r2 + [""] * (width - len(r2))
    plain = sum(c.lower() in _SM_PLAIN for c in r2)
    continued = sum(1 for h, s in zip(r1, r2) if not h and s)
    meta_blank = all(not s for h, s in zip(r1, r2) if h in LEGACY_SURVEYMONKEY_FIELDS)
    if not meta_blank or any(_NUMBER.match(c) for c in r2 if c):
        return False                        # data rows hold numbers; SurveyMonkey's row 2 never
    headed = bool(LEGACY_SURVEYMONKEY_FIELDS.intersection(r1)) or continued >= 1 or any(
        h.endswith("?") for h in r1)
    if plain >= 1 and headed:
        return True
    return continued >= 2 and bool(LEGACY_SURVEYMONKEY_FIELDS.intersection(r1))


def split_header(records, fmt, path):
    """Layout and header rows of an export from its first records.

    Parameters
    ----------
    records : list of list
        The first records of the file (cells as read).
    fmt : str
        The declared format (``"auto"``, ``"excel"``, ``"qualtrics"``, ``"surveymonkey"``,
        ``"csv"`` …); ``"csv"``/``"tsv"`` are treated as ``"auto"``.
    path : path-like
        The file, for messages.

    Returns
    -------
    tuple
        ``(layout, k, names, labels, duplicates, notes, variant)``: ``k`` header rows before
        the first data row (a skipped ``Column1…`` row included).

    Examples
    --------
    >>> recs = [["V1", "V2", "V3", "Q1"], ["ResponseID", "ResponseSet", "StartDate",
    ...          "How likely are you to recommend us?"], ["R_1", "Default", "2015-01-02", "9"]]
    >>> layout, k, names, labels, _, notes, variant = split_header(recs, "auto", "x.csv")
    >>> layout, k, names, variant
    ('qualtrics', 2, ['ResponseID', 'ResponseSet', 'StartDate', 'Q1'], 'qualtrics-v-ids')
    """
    from .readers import _layout, _unique

    fmt = "auto" if fmt in ("csv", "tsv") else fmt
    skip, notes = 0, []
    if records and _is_excel_table_row(records[0]) and len(records) > 1:
        skip = 1
        notes.append("row 1 (Column1, Column2, … added by Excel's table tools) is not part of "
                     "the export; it was skipped.")
        records = records[1:]
    first = _cells(records[0]) if records else []
    second = _cells(records[1]) if len(records) > 1 else []
    auto = fmt in ("auto", "excel")

    # --- legacy Qualtrics: V1, V2, … ---------------------------------------------------------
    # (a plain table with generic V1, V2 … names, as R writes them, has data in row 2: it
    # needs Qualtrics field names there, or `format: qualtrics`)
    if _v_row(first) and len(records) >= 2 and (fmt == "qualtrics" or (auto and len(
            LEGACY_QUALTRICS_FIELDS.intersection(second)) >= 2)):
        all_v = all(_V_ID.match(c) for c in first if c)
        if all_v and _identifiers(second):  # V-ids / field names / question text
            if len(records) < 3:
                raise _few(path)
            names, dups = _unique(records[1])
            labels = {n: t for n, t in zip(names, _cells(records[2])) if t}
            k, variant = 3, "qualtrics-v-ids-3row"
            notes.append("legacy Qualtrics export (V1, V2, … ids in row 1, field names in "
                         "row 2, question texts in row 3); data start at row "
                         f"{skip + 4}.")
        else:                               # V-ids (Q ids for questions) / labels
            raw = [s if _V_ID.match(f) or not f else f for f, s in zip(first, second + [""] * (
                len(first) - len(second)))]
            names, dups = _unique(raw)
            labels = {n: s for n, f, s in zip(names, first, second) if s and not _V_ID.match(f)}
            k, variant = 2, "qualtrics-v-ids"
            notes.append("legacy Qualtrics export (V1, V2, … ids in row 1, field names and "
                         f"question texts in row 2); data start at row {skip + 3}.")
        while k < len(records) and _import_id_kind(records[k]):
            k += 1
        return "qualtrics", k + skip, names, labels, dups, notes, variant

    # --- Qualtrics field names without V-row: ImportId rows, python-dict ones ---------------
    legacy_names = len(LEGACY_QUALTRICS_FIELDS.intersection(first)) >= 3 and (
        "ResponseID" in first or "ResponseSet" in first)
    if (fmt == "qualtrics" or (auto and (legacy_names or _layout(records, fmt) == "qualtrics"))
            ) and len(records) >= 2:
        names, dups = _unique(records[0])
        labels = {n: t for n, t in zip(names, second) if t}
        k, kinds = 2, []
        while k < min(len(records), 5):
            kind = _import_id_kind(records[k])
            if kind is None and any(_cells(records[k])):
                break
            kinds.append(kind)
            k += 1
        if "python" in kinds:
            variant = "qualtrics-2016"
            notes.append("Qualtrics 2016–2017 export: row 3 holds ImportIds in Python-dict "
                         "quoting ({'ImportId': 'QID1'}), a known layout; skipped as metadata.")
        elif "damaged" in kinds:
            return _delegate(records, "qualtrics", path, skip, notes)
        elif "json" in kinds:
            variant = "qualtrics"
        else:
            variant = "qualtrics-no-importid"
            notes.append("no ImportId JSON header row (an older Qualtrics export); data start "
                         f"at row {skip + 3}.")
        return "qualtrics", k + skip, names, labels, dups, notes, variant

    # --- older SurveyMonkey -----------------------------------------------------------------
    if auto and len(records) >= 2 and _layout(records, fmt) != "surveymonkey" and (
            _sm_second_row(first, second)):
        out = _delegate(records, "surveymonkey", path, skip, notes)
        return out[:6] + ("surveymonkey-legacy",)

    layout = _layout(records, fmt)
    return _delegate(records, layout, path, skip, notes)


def _delegate(records, layout, path, skip, notes):
    from .readers import _headers

    k, names, labels, dups, more = _headers(records, layout, path)
    return layout, k + skip, names, labels, dups, notes + more, layout


def _few(path):
    from ..core.errors import SurveyDataError

    return SurveyDataError(f"{path}: a legacy Qualtrics export (V1, V2, … row) needs its field "
                           f"name and question text rows; the file ends before them. Export "
                           f"again from Qualtrics.", path=path)
