"""Designed tables: the same readable HTML tables in the report pages and in JupyterLab.

Every result class of cxkit (``Estimate``, ``Comparison``, ``ScoreChanges``, ``Decomposition``,
``Trend``, plans, ``BrandComparison``, ``LoadReport``) shows itself in a notebook through
``_repr_html_``, which calls the functions here, and the report notebooks display the same
objects — so an analyst exploring in JupyterLab sees what the manager sees in the report.

Tables are rendered with pandas' :class:`~pandas.io.formats.style.Styler`: it ships with pandas
(no new dependency), hides the index, takes per-cell CSS classes (significance arrows and
colours) and a caption, and writes plain HTML that nbconvert keeps as it is.  Numbers are
formatted here, before styling, so every table follows one set of rules: the metric's decimals,
p-values as "< 0.001", no "-0.0", too-few rows said in words (never NaN), yes/no instead of
True/False, human headers.

:func:`save_table` (in the notebooks) and :func:`write_tables_xlsx` (in the report runner) give
analysts the key tables as ``tables.xlsx`` beside the pages.
"""

from __future__ import annotations

import html as _html
import math
import re
from pathlib import Path

import pandas as pd

__all__ = ["fmt_num", "fmt_p", "weight_label", "period_word", "designed_table", "changes_html",
           "change_rows", "estimate_html", "comparison_html", "decomposition_html", "trend_html",
           "plan_html", "cadence_html", "brands_html", "gaps_html", "load_report_html",
           "planning_html", "estimates_html", "save_table", "write_tables_xlsx", "TABLE_CSS",
           "markdown_list", "is_demo"]

#: CSS of the designed tables (inlined with each table so JupyterLab shows the same design).
TABLE_CSS = """
.cx-wrap { max-width: 100%; overflow-x: auto; margin: .4rem 0 1rem; }
table.cx-table { border-collapse: collapse; font: 13px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1d2330; margin: 0 !important; table-layout: auto; }
table.cx-table caption { caption-side: top; text-align: left !important; color: #5b6475; font-size: 12px;
  padding: 0 0 .3rem; min-width: 22em; }
table.cx-table th { text-align: left !important; font-weight: 600; border: 0 !important; border-bottom: 2px solid #c9ced8 !important;
  padding: .3rem .7rem .3rem 0 !important; white-space: nowrap; background: none !important; vertical-align: bottom; }
table.cx-table td { text-align: left !important; border: 0 !important; border-bottom: 1px solid #e3e6ec !important;
  padding: .25rem .7rem .25rem 0 !important; vertical-align: top; }
table.cx-table tr, table.cx-table tbody tr:nth-child(odd), table.cx-table tbody tr:hover { background: none !important; }
table.cx-table td.num, table.cx-table th.num { text-align: right !important; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.cx-table td.sig-good { color: #1a7f37; font-weight: 650; }
table.cx-table td.sig-bad { color: #c62828; font-weight: 650; }
table.cx-table td.muted, table.cx-table td.few { color: #6b7385; }
table.cx-table tr.total td, table.cx-table td.total { font-weight: 650; }
.cx-legend { color: #5b6475; font: 12px/1.4 system-ui, sans-serif; margin: -.5rem 0 1rem; max-width: 60em; }
details.cx-details { margin: .2rem 0 1.2rem; } details.cx-details summary { cursor: pointer; color: #1f5fa8;
  font: 13px system-ui, sans-serif; }
@media (max-width: 600px) { table.cx-table { font-size: 12px; } table.cx-table td, table.cx-table th { padding-right: .45rem !important; } }
@media print { .cx-wrap { overflow: visible; } table.cx-table { font-size: 8.5pt; }
  table.cx-table tr { break-inside: avoid; } table.cx-table thead { display: table-header-group; }
  table.cx-table td, table.cx-table th { padding-right: .35rem !important; }
  table.cx-table td.num, table.cx-table th { white-space: normal; } }
"""

_STYLE = f"<style>{TABLE_CSS}</style>"
_MINUS = "\u2212"


# --------------------------------------------------------------------------- numbers and words
def _nan(x) -> bool:
    try:
        return x is None or (isinstance(x, float) and math.isnan(x)) or bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def fmt_num(x, digits=1, *, signed=False, missing="–") -> str:
    """A number with ``digits`` decimals and a thousands separator; never ``-0.0``.

    >>> fmt_num(-0.004, 2), fmt_num(1234.56, 1), fmt_num(-3.52, 1, signed=True), fmt_num(None)
    ('0.00', '1,234.6', '−3.5', '–')
    """
    if _nan(x):
        return missing
    x = float(x)
    r = round(x, digits)
    if r == 0:
        r = 0.0
    s = f"{r:+,.{digits}f}" if signed and r != 0 else f"{r:,.{digits}f}"
    return s.replace("-", _MINUS)


def fmt_p(p, *, missing="–") -> str:
    """A p-value as readers expect it: ``< 0.001``, else three decimals (two from 0.1 up).

    >>> fmt_p(0.00004), fmt_p(0.0123), fmt_p(0.264), fmt_p(1.0), fmt_p(float("nan"))
    ('< 0.001', '0.012', '0.26', '1.00', '–')
    """
    if _nan(p):
        return missing
    p = float(p)
    if p < 0.001:
        return "< 0.001"
    return f"{p:.3f}" if p < 0.1 else f"{p:.2f}"


def weight_label(weighted, n_eff=None) -> str:
    """``"weighted (n_eff 1,234)"`` or ``"unweighted"`` — said on every card, table and chart.

    >>> weight_label(True, 1234.4), weight_label(False, 50), weight_label(True)
    ('weighted (n_eff 1,234)', 'unweighted', 'weighted')
    """
    if not weighted:
        return "unweighted"
    if _nan(n_eff):
        return "weighted"
    return f"weighted (n_eff {float(n_eff):,.0f})"


def period_word(period) -> str:
    """``"month"``, ``"quarter"`` or ``"year"`` for a period label (``2026-10``, ``2026Q3``, ``2018``).

    >>> period_word("2026-10"), period_word("2026Q3"), period_word("2018"), period_word("2026-07..2026-09")
    ('month', 'quarter', 'year', 'period')
    """
    freq = getattr(period, "freqstr", None)
    if freq:
        return {"M": "month", "Q": "quarter", "Y": "year", "A": "year"}.get(freq[0], "period")
    s = str(period)
    if re.fullmatch(r"\d{4}-\d{2}", s):
        return "month"
    if re.fullmatch(r"\d{4}Q[1-4]", s):
        return "quarter"
    if re.fullmatch(r"\d{4}", s):
        return "year"
    return "period"


def _kind(result) -> str:
    k = getattr(result, "kind", "") or ""
    if k:
        return k
    return {"nps": "nps", "csat": "top_box", "ces": "mean"}.get(getattr(result, "metric", ""), "")


def _dec(kind) -> int:
    return 2 if kind == "mean" else 1


def _unit_word(kind) -> str:
    return {"nps": "points", "top_box": "percentage points"}.get(kind, "")


def _name(metric) -> str:
    return metric.upper() if metric in ("nps", "csat", "ces") else str(metric).replace("_", " ")


def _lower_better(metric) -> bool:
    return metric in ("ces", "effort")


def _segment_label(dimension, level) -> str:
    if dimension == "overall":
        return "Overall"
    return f"{str(dimension).replace('_', ' ').capitalize()}: {level}"


def _arrow(diff, significant, lower_better=False):
    """(text, css class) for a change: arrow and colour only when significant."""
    if not significant or _nan(diff):
        return "", "muted"
    up = diff > 0
    good = up != lower_better
    return ("▲" if up else "▼"), ("sig-good" if good else "sig-bad")


def _natural(v):
    """Sort key of a label in natural order: "L2" before "L10", case-insensitive."""
    return tuple((0, int(t), "") if t.isdigit() else (1, 0, t.lower()) for t in re.split(r"(\d+)", str(v)) if t)


def is_demo(config) -> bool:
    """Whether ``config`` is one of the bundled demo configs (``"demo"``, or the path the report
    runner passes): pages say "synthetic demo" only then."""
    from ..core.paths import DEMO_CONFIG, DEMO_RELATIONSHIP_CONFIG, resolve_path

    try:
        path = Path(resolve_path(str(config))).resolve()
    except Exception:  # noqa: BLE001 - any unresolvable config is simply not the demo
        return False
    return path in {Path(DEMO_CONFIG).resolve(), Path(DEMO_RELATIONSHIP_CONFIG).resolve()}


def markdown_list(sentences) -> str:
    """Sentences as a Markdown bullet list (for ``IPython.display.Markdown``)."""
    return "\n".join(f"- {s}" for s in sentences if s)


# --------------------------------------------------------------------------- the table renderer
def designed_table(df: pd.DataFrame, *, caption=None, classes=None, numeric=(), legend=None,
                   row_classes=None, style=True) -> str:
    """Render a table of display strings as designed HTML (pandas ``Styler``, index hidden).

    Parameters
    ----------
    df : DataFrame
        Already formatted cells (strings); its column names are the headers.
    caption : str, optional
    classes : DataFrame, optional
        CSS class per cell (same shape as ``df``), e.g. ``"sig-bad"``.
    numeric : iterable of str
        Columns right-aligned with tabular figures.
    legend : str, optional
        A line under the table explaining arrows and colours.
    row_classes : list of str, optional
        A CSS class per row (e.g. ``"total"``).
    style : bool
        Include the table CSS (off when the page already has it).

    Returns
    -------
    str
        ``<div class="cx-wrap"><table class="cx-table">…</table></div>`` (plus the legend).
    """
    df = df.reset_index(drop=True)
    df.columns = [str(c) for c in df.columns]
    cls = pd.DataFrame("", index=df.index, columns=df.columns)
    for c in numeric:
        if c in cls:
            cls[c] = "num"
    if classes is not None:
        classes = classes.reset_index(drop=True)
        for c in classes.columns:
            if c in cls:
                cls[c] = (cls[c] + " " + classes[c].fillna("").astype(str)).str.strip()
    if row_classes is not None:
        for i, rc in enumerate(row_classes):
            if rc:
                cls.iloc[i] = (cls.iloc[i] + " " + rc).str.strip()
    import hashlib

    from pandas.io.formats.style import Styler

    # a uuid from the content: the same table renders to the same HTML (stored notebook outputs
    # are compared by nbval), and two different tables on one page do not share style ids
    uuid = hashlib.sha1((repr(list(df.columns)) + df.to_csv() + cls.to_csv() + str(caption)).encode()).hexdigest()[:8]
    styler = (Styler(df, uuid=uuid, cell_ids=False).hide(axis="index").set_td_classes(cls)
              .set_table_attributes('class="cx-table"'))
    heads = [{"selector": f"th.col_heading.col{i}", "props": [("text-align", "right !important")]}
             for i, c in enumerate(df.columns) if c in set(numeric)]
    if heads:
        styler = styler.set_table_styles(heads, overwrite=False)
    if caption:
        styler = styler.set_caption(_html.escape(caption))
    body = styler.format(_html.escape).to_html()
    out = f'<div class="cx-wrap">{body}</div>'
    if legend:
        out += f'<p class="cx-legend">{_html.escape(legend)}</p>'
    return (_STYLE if style else "") + out


# --------------------------------------------------------------------------- estimates
def estimate_html(est) -> str:
    """One :class:`~cxkit.Estimate` as a one-row designed table."""
    kind = {"nps": "nps", "csat": "top_box", "ces": "mean"}.get(est.metric, "")
    d = _dec(kind)
    if _nan(est.value):
        df = pd.DataFrame({"Score": [_name(est.metric)], "Value": [f"n/a ({est.note or 'no estimate'})"],
                           "n": [f"{est.n:,}"]})
        return designed_table(df, numeric=("n",))
    df = pd.DataFrame({"Score": [_name(est.metric)], "Value": [fmt_num(est.value, d)],
                       f"{est.conf:.0%} CI": [f"{fmt_num(est.ci_low, d)} to {fmt_num(est.ci_high, d)}"],
                       "n": [f"{int(est.n):,}"], "Interval": [est.method or "–"]})
    return designed_table(df, numeric=("Value", f"{est.conf:.0%} CI", "n"),
                          caption=weight_label(est.weighted, est.n_eff))


def estimates_html(table: pd.DataFrame, *, index="period", caption=None) -> str:
    """A :func:`cxkit.summarize` table as one row per period and a column per metric:
    "value (low to high)" and n, in each metric's decimals."""
    rows = {}
    order = []
    for r in table.to_dict("records"):
        key = str(r[index])
        if key not in rows:
            rows[key] = {index.capitalize(): key}
            order.append(key)
        units = r.get("units") or {"nps": "points", "csat": "%"}.get(r["metric"], "")
        d = 1 if units in ("points", "%") else 2
        label = _name(r["metric"])
        rows[key][label] = (f"{fmt_num(r['value'], d)} ({fmt_num(r['ci_low'], d)} to {fmt_num(r['ci_high'], d)})"
                            if not _nan(r["value"]) else "no responses")
        rows[key][f"n {label}"] = f"{int(r['n']):,}"
    cols = [index.capitalize()]
    for m in dict.fromkeys(table["metric"]):
        cols += [_name(m), f"n {_name(m)}"]
    df = pd.DataFrame([rows[k] for k in order])[cols]
    weighted = bool(table["weighted"].any()) if "weighted" in table else False
    n_eff = None
    if weighted and "n_eff" in table and len(table):
        last = table[table[index].astype(str) == order[-1]]
        n_eff = float(last["n_eff"].min())
    conf = float(table["conf"].iloc[0]) if "conf" in table and len(table) else 0.95
    cap = caption or f"Value ({conf:.0%} CI) and valid responses · {weight_label(weighted, n_eff)}"
    return designed_table(df, caption=cap, numeric=[c for c in df.columns if c != index.capitalize()])


# --------------------------------------------------------------------------- changes
def change_rows(res, which="table") -> pd.DataFrame:
    """The rows of a ScoreChanges table in label order (overall first, dimensions as configured,
    levels in natural order), with a ``_rank`` column: significant rows first, then the tested
    rows with the largest moves, then the rows with too few responses to test."""
    t = getattr(res, which).reset_index(drop=True).copy()
    dims = list(dict.fromkeys(t["dimension"]))
    t["_d"] = t["dimension"].map({d: i for i, d in enumerate(dims)})
    t["_l"] = t["level"].map(lambda v: ((0, float(v), ""),) if isinstance(v, (int, float)) else _natural(v))
    t = t.sort_values(["_d", "_l"], kind="stable").drop(columns=["_d", "_l"]).reset_index(drop=True)
    seg = t["dimension"] != "overall"
    sig = t["significant"].fillna(False).astype(bool)
    size = t["diff"].abs().fillna(-1)
    few = t["too_few"].fillna(False).astype(bool)
    # significant rows first, then tested rows by the size of the move; untested (too few) last
    segs = sorted((i for i in range(len(t)) if seg[i]), key=lambda i: (not sig[i], bool(few[i]), -size[i]))
    order = [i for i in range(len(t)) if not seg[i]] + segs
    rank = [0] * len(t)
    for pos, i in enumerate(order):
        rank[i] = pos
    t["_rank"] = rank
    return t


def _change_display(res, t, which):
    kind = _kind(res)
    d = _dec(kind)
    lb = _lower_better(res.metric)
    if which == "table":
        a_head, b_head = f"{res.baseline}", f"{res.period}"
        change_head = "Change"
    else:
        a_head, b_head = "Rest of the period", "Segment score"
        change_head = "Segment − rest"
    rows, cls = [], []
    corr = _corr_name(res.correction) if res.correction != "none" else "unadjusted"
    for r in t.itertuples():
        few = bool(r.too_few)
        arrow, c = _arrow(r.diff, bool(r.significant) and not few, lb)
        if few:
            change, ci, p = f"too few (< {res.min_n})", "not tested", "–"
            c = "few"
        else:
            change = f"{arrow} {fmt_num(r.diff, d, signed=True)}".strip()
            ci = f"{fmt_num(r.ci_low, d)} to {fmt_num(r.ci_high, d)}"
            p = fmt_p(r.p_adj)
        row = {"Segment": _segment_label(r.dimension, r.level)}
        pair = [(a_head, fmt_num(r.value_a, d)), (b_head, fmt_num(r.value_b, d))]
        row.update(pair if which == "table" else pair[::-1])
        row.update({change_head: change, f"{res.conf:.0%} CI": ci,
               f"p ({corr})": p,
               "n": (f"{int(r.n_a):,} → {int(r.n_b):,}" if which == "table" else f"{int(r.n_b):,}")})
        rows.append(row)
        cls.append({change_head: c, "Segment": "few" if few else ""})
    df = pd.DataFrame(rows)
    classes = pd.DataFrame(cls)
    numeric = [c for c in df.columns if c != "Segment"]
    return df, classes, numeric


def _corr_name(correction) -> str:
    return {"holm": "Holm", "fdr_bh": "BH", "bonferroni": "Bonferroni", "hommel": "Hommel"}.get(correction, correction)


def _changes_legend(res):
    better = "lower" if _lower_better(res.metric) else "higher"
    corr = {"holm": "Holm", "fdr_bh": "Benjamini–Hochberg", "bonferroni": "Bonferroni"}.get(res.correction,
                                                                                           res.correction)
    adj = (f"significant after {corr} adjustment (adjusted p < {res.alpha:g})" if res.correction != "none"
           else f"significant (p < {res.alpha:g})")
    return (f"▲ ▼ in colour: {adj}; green = better, red = worse ({better} is better). "
            f"Grey: no significant change. Intervals are unadjusted {res.conf:.0%} CIs. "
            f"“Too few”: fewer than {res.min_n} responses on a side, not tested.")


def changes_html(res, which="table", *, top=12, style=True) -> str:
    """A :class:`~cxkit.ScoreChanges` table as the report shows it.

    Short tables (≤ ``top`` segment rows) are shown whole, in label order.  Long ones show the
    overall row, the significant rows and the largest moves first (``top`` rows), and the full
    table in label order behind a ``<details>`` toggle.
    """
    t = change_rows(res, which)
    kind = _kind(res)
    unit = _unit_word(kind)
    n_eff = getattr(res.overall, "n_eff_b", None)
    what = (f"{_name(res.metric)} {res.baseline} → {res.period}" if which == "table"
            else f"{_name(res.metric)} in {res.period}: each segment against the rest")
    cap = f"{what}{' (' + unit + ')' if unit else ''} · {weight_label(res.weighted, n_eff)}"
    legend = _changes_legend(res)
    seg_rows = int((t["dimension"] != "overall").sum())
    if seg_rows <= top:
        df, classes, numeric = _change_display(res, t, which)
        return designed_table(df, caption=cap, classes=classes, numeric=numeric, legend=legend, style=style)
    first = t.sort_values("_rank").head(top + 1)
    df, classes, numeric = _change_display(res, first, which)
    n_sig = int((t["significant"].fillna(False).astype(bool) & (t["dimension"] != "overall")).sum())
    head = designed_table(df, caption=f"{cap} · significant rows and the largest moves first "
                                      f"({top} of {seg_rows} segment levels; {n_sig} significant)",
                          classes=classes, numeric=numeric, legend=legend, style=style)
    df, classes, numeric = _change_display(res, t, which)
    full = designed_table(df, caption=f"{cap} · all {seg_rows} segment levels in label order",
                          classes=classes, numeric=numeric, style=False)
    return (f'{head}<details class="cx-details"><summary>Full table: all {seg_rows} segment levels'
            f'</summary>{full}</details>')


def comparison_html(c) -> str:
    """One :class:`~cxkit.Comparison` (b − a) as a one-row designed table."""
    kind = _kind(c)
    d = _dec(kind)
    if _nan(c.diff):
        df = pd.DataFrame({"Score": [_name(c.metric)], "Change": [f"n/a ({c.note or 'no estimate'})"]})
        return designed_table(df)
    sig = not _nan(c.p_value) and c.p_value < (1 - c.conf)
    arrow, cls = _arrow(c.diff, sig, _lower_better(c.metric))
    stat = "t" if not _nan(c.df) else "z"
    df = pd.DataFrame({"Score": [_name(c.metric)], "a": [fmt_num(c.value_a, d)], "b": [fmt_num(c.value_b, d)],
                       "Change b − a": [f"{arrow} {fmt_num(c.diff, d, signed=True)}".strip()],
                       f"{c.conf:.0%} CI": [f"{fmt_num(c.ci_low, d)} to {fmt_num(c.ci_high, d)}"],
                       stat: [fmt_num(c.statistic, 2)], "p": [fmt_p(c.p_value)],
                       "n": [f"{int(c.n_a):,} vs {int(c.n_b):,}{' pairs' if c.paired else ''}"],
                       "Test": [c.method]})
    unit = _unit_word(kind)
    cap = (f"{_name(c.metric)} change{' (' + unit + ')' if unit else ''} · "
           f"{weight_label(c.weighted, min(c.n_eff_a, c.n_eff_b) if c.weighted else None)} · {c.alternative}")
    classes = pd.DataFrame({"Change b − a": [cls]})
    return designed_table(df, caption=cap, classes=classes,
                          numeric=("a", "b", "Change b − a", f"{c.conf:.0%} CI", stat, "p", "n"))


def decomposition_html(dec) -> str:
    """A :class:`~cxkit.Decomposition`: each level's share and score in both periods and its
    mix, rate (and interaction) contribution, with a total row that adds up to the change."""
    kind = _kind(dec)
    d = _dec(kind)
    t = dec.table.reset_index(drop=True)
    effects = ["mix", "rate", "interaction"] if dec.method == "three-way" else ["mix", "rate"]
    rows = []
    share_a = next((c for c in ("share_a", "weight_a") if c in t), None)
    share_b = next((c for c in ("share_b", "weight_b") if c in t), None)
    for r in t.to_dict("records"):
        row = {str(dec.by).replace("_", " ").capitalize(): str(r["level"])}
        if share_a and share_b:
            f = 100 if float(t[share_a].sum()) <= 1.0001 else 1
            row["Share " + dec.baseline] = f"{fmt_num(r[share_a] * f, 1)}%"
            row["Share " + dec.period] = f"{fmt_num(r[share_b] * f, 1)}%"
        for side, col in (("a", dec.baseline), ("b", dec.period)):
            key = f"value_{side}"
            if key in r:
                row["Score " + col] = fmt_num(r[key], d)
        for e in effects:
            row[e.capitalize()] = fmt_num(r[e], d, signed=True)
        rows.append(row)
    total = {k: "" for k in rows[0]} if rows else {}
    first = next(iter(total), "Level")
    total[first] = "Total"
    if "Score " + dec.baseline in total:
        total["Score " + dec.baseline] = fmt_num(dec.value_a, d)
        total["Score " + dec.period] = fmt_num(dec.value_b, d)
    for e in effects:
        total[e.capitalize()] = fmt_num(getattr(dec, e), d, signed=True)
    rows.append(total)
    df = pd.DataFrame(rows)
    unit = _unit_word(kind)
    cap = (f"{_name(dec.metric)} {dec.baseline} → {dec.period}: change {fmt_num(dec.change, d, signed=True)}"
           f"{' ' + unit if unit else ''} = mix + rate{' + interaction' if len(effects) == 3 else ''} · "
           f"by {str(dec.by).replace('_', ' ')} · {weight_label(dec.weighted)}")
    return designed_table(df, caption=cap, numeric=[c for c in df.columns if c != first],
                          row_classes=[""] * (len(rows) - 1) + ["total"])


def trend_html(tr) -> str:
    """A :class:`~cxkit.Trend`: the slope per period with its interval and p, per series."""
    kind = _kind(tr)
    d = _dec(kind) + 1
    s = tr.slopes.reset_index(drop=True)
    group_cols = list(s.columns[: s.columns.get_loc("slope")])
    rows = []
    for r in s.to_dict("records"):
        row = {c.replace("_", " ").capitalize(): str(r[c]) for c in group_cols} or {"Score": _name(tr.metric)}
        sig = not _nan(r.get("p_value")) and r["p_value"] < tr.alpha
        arrow, _ = _arrow(r["slope"], sig, _lower_better(tr.metric))
        row["Trend per period"] = f"{arrow} {fmt_num(r['slope'], d, signed=True)}".strip()
        row[f"{tr.conf:.0%} CI"] = f"{fmt_num(r['ci_low'], d)} to {fmt_num(r['ci_high'], d)}"
        row["p"] = fmt_p(r.get("p_value"))
        rows.append(row)
    df = pd.DataFrame(rows)
    pts = tr.points
    per = f"{pts['period'].min()} to {pts['period'].max()}" if len(pts) else ""
    cap = f"{_name(tr.metric)} weighted least-squares trend {per} · {weight_label(tr.weighted)}"
    return designed_table(df, caption=cap, numeric=("Trend per period", f"{tr.conf:.0%} CI", "p"))


# --------------------------------------------------------------------------- planning
def plan_html(plan) -> str:
    """A :class:`~cxkit.SampleSizePlan` as a small table of what is needed and why."""
    kind = plan.kind or {"nps": "nps", "csat": "top_box", "ces": "mean"}.get(plan.metric, "")
    d = _dec(kind)
    target = (f"± {fmt_num(plan.margin, d)} margin at {plan.conf:.0%}" if plan.design == "margin"
              else f"detect a {fmt_num(plan.difference, d)} change (alpha {plan.alpha:g}, power {plan.power:.0%}, "
                   f"{plan.alternative})")
    df = pd.DataFrame({"Score": [_name(plan.metric)], "Target": [target],
                       "Responses needed": [f"{int(plan.n):,}" + (" per period" if plan.design != "margin" else "")],
                       "Design": [plan.design], "Design effect": [fmt_num(plan.deff, 2)],
                       "Baseline": [plan.baseline]})
    return designed_table(df, caption=str(plan), numeric=("Responses needed", "Design effect"))


def cadence_html(plan) -> str:
    """A :class:`~cxkit.CadencePlan` as a one-row table."""
    df = pd.DataFrame({"Score": [_name(plan.metric)],
                       "Responses per day": [fmt_num(plan.daily_responses, 1)],
                       "Responses needed": [f"{int(plan.n_needed):,}"],
                       "Days to collect": [fmt_num(plan.days, 0)], "Cadence": [plan.cadence]})
    return designed_table(df, caption=str(plan), numeric=("Responses per day", "Responses needed", "Days to collect"))


def planning_html(table: pd.DataFrame, *, top=12, style=True) -> str:
    """A :func:`cxkit.plan_segments` table: one row per segment level with its verdict."""
    plan = table.attrs.get("plan", {})
    units = plan.get("units", "")
    d = 2 if units not in ("points", "percentage points", "%") else 1
    rows, cls = [], []
    verdict_cls = {"monthly": "sig-good", "quarterly": "", "not reportable": "sig-bad"}
    for r in table.to_dict("records"):
        seg = "All responses" if r["segment"] == "All" else _segment_label(r["segment"], r["level"])
        rows.append({"Segment": seg, "Score": fmt_num(r.get("value"), d),
                     "Responses / month": fmt_num(r.get("n_month"), 0),
                     "Margin, one month": "± " + fmt_num(r.get("margin_month"), d),
                     "Margin, one quarter": "± " + fmt_num(r.get("margin_quarter"), d),
                     "Smallest change seen, month": fmt_num(r.get("mdd_month"), d),
                     "Needed / month": fmt_num(r.get("needed_month"), 0),
                     "Verdict": str(r.get("verdict"))})
        cls.append({"Verdict": verdict_cls.get(r.get("verdict"), "")})
    df = pd.DataFrame(rows)
    cap = (f"{_name(plan.get('metric', ''))} window {plan.get('start', '')} to {plan.get('period', '')} · "
           f"targets ± {plan.get('margin', '')} and a {plan.get('difference', '')} change ({units}) · "
           f"{weight_label(plan.get('weighted', False))}")
    numeric = ["Score", "Responses / month", "Margin, one month", "Margin, one quarter",
               "Smallest change seen, month", "Needed / month"]
    legend = ("Verdict: monthly = one month of responses meets every target; quarterly = three months do; "
              "not reportable = not even a quarter does.")
    return designed_table(df, caption=cap, classes=pd.DataFrame(cls), numeric=numeric, legend=legend, style=style)


# --------------------------------------------------------------------------- competitors
def brands_html(bc, *, style=True) -> str:
    """The brands of a :class:`~cxkit.BrandComparison`: NPS with its interval and the shares."""
    rows = []
    for r in bc.brands.to_dict("records"):
        rows.append({"Brand": f"{r['brand']}{' (own)' if r['brand'] == bc.own else ''}",
                     "NPS": fmt_num(r["nps"], 1), f"{bc.conf:.0%} CI": f"{fmt_num(r['ci_low'], 1)} to {fmt_num(r['ci_high'], 1)}",
                     "Promoters": f"{fmt_num(r['promoters'], 1)}%", "Passives": f"{fmt_num(r['passives'], 1)}%",
                     "Detractors": f"{fmt_num(r['detractors'], 1)}%",
                     "Rate the brand": (f"{fmt_num(r.get('rated_pct'), 1)}%" if not _nan(r.get("rated_pct")) else "–"),
                     "n": f"{int(r['n']):,}"})
    df = pd.DataFrame(rows)
    n_eff = float(bc.brands["n_eff"].min()) if bc.weighted and "n_eff" in bc.brands else None
    cap = f"NPS by brand (points; shares in percent) · {weight_label(bc.weighted, n_eff)}"
    return designed_table(df, caption=cap, numeric=[c for c in df.columns if c != "Brand"],
                          row_classes=["total" if r["brand"] == bc.own else "" for r in bc.brands.to_dict("records")],
                          style=style)


def gaps_html(bc, *, style=True) -> str:
    """The gaps of a :class:`~cxkit.BrandComparison`: competitor − own, adjusted p, arrows."""
    rows, cls = [], []
    corr = _corr_name(bc.correction) if bc.correction != "none" else "unadjusted"
    for r in bc.gaps.to_dict("records"):
        sig = bool(r.get("significant"))
        # gap = competitor − own: a positive significant gap is bad news for the own brand
        arrow = ("▲" if r["gap"] > 0 else "▼") if sig else ""
        cls.append({"Gap": ("sig-bad" if r["gap"] > 0 else "sig-good") if sig else "muted"})
        rows.append({"Competitor": r["brand"], "Gap (competitor − own)": "",
                     "Gap": f"{arrow} {fmt_num(r['gap'], 1, signed=True)}".strip(),
                     f"{bc.conf:.0%} CI": f"{fmt_num(r['ci_low'], 1)} to {fmt_num(r['ci_high'], 1)}",
                     f"p ({corr})": fmt_p(r.get("p_adj")),
                     "Respondents rating both": (f"{int(r['n_pairs']):,}" if not _nan(r.get("n_pairs")) else "–"),
                     "Design": str(r.get("design", ""))})
    df = pd.DataFrame(rows).drop(columns=["Gap (competitor − own)"])
    cap = f"Gap to {bc.own}: competitor − own, NPS points · {weight_label(bc.weighted)}"
    legend = (f"▲ red: the competitor is significantly ahead of {bc.own}; ▼ green: significantly behind "
              f"(adjusted p < {bc.alpha:g}). Grey: no significant gap. Intervals are unadjusted.")
    return designed_table(df, caption=cap, classes=pd.DataFrame(cls),
                          numeric=("Gap", f"{bc.conf:.0%} CI", f"p ({corr})", "Respondents rating both"),
                          legend=legend, style=style)


# --------------------------------------------------------------------------- loading
#: Missing-answer rows shown in the load table itself; more go behind a toggle.
_MISSING_SHOWN = 6


def load_report_html(lr) -> str:
    """A :class:`~cxkit.LoadReport`: rows read, kept and excluded per file with the reasons."""
    rows = []
    for f in lr.files.to_dict("records"):
        rows.append({"File": str(f["file"]), "What": "rows read", "Rows": f"{int(f['rows_read']):,}"})
        rows.append({"File": "", "What": "kept", "Rows": f"{int(f['rows_kept']):,}"})
        ex = lr.exclusions[lr.exclusions["file"] == f["file"]] if len(lr.exclusions) else lr.exclusions
        for e in ex.to_dict("records"):
            col = f" ({e['column']})" if e.get("column") else ""
            where = ", ".join(map(str, list(e.get("rows") or [])[:5]))
            vals = ", ".join(map(str, list(e.get("values") or [])[:5]))
            detail = (f" — source rows {where}" if where else "") + (f"; values {vals}" if vals else "")
            rows.append({"File": "", "What": f"excluded: {e['reason']}{col}{detail}", "Rows": f"{int(e['count']):,}"})
    miss = []
    if len(lr.missing):
        for m in lr.missing.to_dict("records"):
            blank, declared = int(m.get("blank") or 0), int(m.get("declared") or 0)
            if blank or declared:
                miss.append({"File": str(m.get("file", "")),
                             "What": f"{m['score']} ({m['column']}): blank {blank:,}, declared missing {declared:,} "
                                     f"— row kept, score not counted",
                             "Rows": f"{int(m.get('valid') or 0):,} valid"})
    cap = (f"{lr.survey}: {lr.rows_read:,} rows read, {lr.rows_kept:,} kept, {lr.rows_excluded:,} excluded "
           f"(every row accounted for)")
    if len(miss) <= _MISSING_SHOWN:           # a few missing-answer rows: in the one table
        out = designed_table(pd.DataFrame(rows + miss), caption=cap, numeric=("Rows",))
    else:                                     # many (e.g. driver ratings): behind a toggle
        out = designed_table(pd.DataFrame(rows), caption=cap, numeric=("Rows",))
        out += (f'<details class="cx-details"><summary>Missing answers per score and file '
                f'({len(miss)} rows: rows kept, those scores not counted)</summary>'
                + designed_table(pd.DataFrame(miss), caption="Blank and declared-missing answers",
                                 numeric=("Rows",)) + "</details>")
    for note in lr.notes or ():
        out += f'<p class="cx-legend">{_html.escape(str(note))}</p>'
    if getattr(lr, "weighting", None):   # raked at load (config `weighting:`)
        from ..io.weighting import describe_weighting
        m = pd.DataFrame(lr.weighting["margins"])
        m = pd.DataFrame({"Variable": m["variable"], "Category": m["category"],
                          "n": m["n"].map("{:,}".format), "Sample %": m["sample"].map("{:.1f}".format),
                          "Target %": m["target"].map("{:.1f}".format),
                          "Weighted %": m["achieved"].map("{:.1f}".format)})
        out += designed_table(m, caption=describe_weighting(lr.weighting),
                              numeric=("n", "Sample %", "Target %", "Weighted %"))
    return out


# --------------------------------------------------------------------------- take-away tables
def _tables_dir(summary_path) -> Path | None:
    if not summary_path:
        return None
    return Path(summary_path).parent / "tables"


def save_table(summary_path, name: str, df: pd.DataFrame, *, title=None, formats=None) -> None:
    """Save one key table of a report notebook for ``tables.xlsx`` (nothing when
    ``summary_path`` is empty, i.e. in interactive use).

    Parameters
    ----------
    summary_path : str
        The notebook's ``summary_path`` parameter; tables go to ``<its folder>/tables/``.
    name : str
        Sheet name (at most 31 characters; Excel's limit).
    df : DataFrame
        Numbers as numbers (not strings); human column names.
    title : str, optional
        A line written above the table on the sheet (what it is, weighted or not).
    formats : dict, optional
        Excel number format per column, e.g. ``{"NPS": "0.0", "p": "0.000"}``.
    """
    folder = _tables_dir(summary_path)
    if folder is None:
        return
    import json

    folder.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[\[\]:*?/\\]", " ", name)[:31]
    existing = sorted(folder.glob("*.pkl"))
    stem = f"{len(existing):02d}"
    df.reset_index(drop=True).to_pickle(folder / f"{stem}.pkl")
    (folder / f"{stem}.json").write_text(json.dumps({"name": safe, "title": title or "",
                                                     "formats": formats or {}}), encoding="utf-8")


def write_tables_xlsx(build_dir) -> Path | None:
    """Collect the tables the notebooks saved (:func:`save_table`) into ``tables.xlsx``.

    One sheet per table, in the order the notebooks saved them: a title line, bold headers,
    frozen header row, number formats in the metric's decimals, columns sized to fit.  Written
    with openpyxl.  Returns the path, or None when no notebook saved a table.
    """
    import json

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    build_dir = Path(build_dir)
    folder = build_dir / "summary" / "tables"
    metas = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not metas:
        return None
    wb = Workbook()
    wb.remove(wb.active)
    used = set()
    for meta_path in metas:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        df = pd.read_pickle(meta_path.with_suffix(".pkl"))
        name = meta["name"] or meta_path.stem
        base, k = name, 2
        while name.lower() in used:
            name = f"{base[:28]} {k}"
            k += 1
        used.add(name.lower())
        ws = wb.create_sheet(name)
        start = 1
        if meta.get("title"):
            ws.cell(row=1, column=1, value=meta["title"]).font = Font(italic=True, color="5B6475")
            start = 3
        fill = PatternFill("solid", fgColor="E9EDF3")
        for j, col in enumerate(df.columns, 1):
            c = ws.cell(row=start, column=j, value=str(col))
            c.font = Font(bold=True)
            c.fill = fill
            c.alignment = Alignment(wrap_text=True, vertical="top")
        formats = meta.get("formats") or {}
        for i, row in enumerate(df.itertuples(index=False), start + 1):
            for j, (col, v) in enumerate(zip(df.columns, row), 1):
                if _nan(v):
                    v = None
                elif hasattr(v, "item"):
                    v = v.item()
                elif not isinstance(v, (int, float, str, bool)):
                    v = str(v)
                cell = ws.cell(row=i, column=j, value=v)
                if col in formats:
                    cell.number_format = formats[col]
                elif isinstance(v, float):
                    cell.number_format = "#,##0.0"
                elif isinstance(v, int) and not isinstance(v, bool):
                    cell.number_format = "#,##0"
        ws.freeze_panes = ws.cell(row=start + 1, column=1)
        for j, col in enumerate(df.columns, 1):
            width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)]) + 2
            ws.column_dimensions[get_column_letter(j)].width = min(max(width, 8), 50)
    out = build_dir / "tables.xlsx"
    wb.save(out)
    return out
