"""The report's ``index.html``: the page a manager reads in ten seconds.

Rendered from ``summary.json`` only (so what the page says and what machines read agree), in
this order: the headline metric's trend chart (interval band, significant moves marked), KPI
cards (value, interval, sparkline of the last periods, the change in the metric's own units —
points, not "%" — with an arrow only when it is significant, and "weighted (n_eff …)" or
"unweighted"), "What moved" (at most five findings ranked by significance and size), compact
planning and competitor tables, links to the detail pages, the data accounting and a footer
with the cxkit version, config and data hashes and the run time.  Self-contained: inline CSS and
SVG, no scripts, no external assets; a print stylesheet keeps it on A4 and Letter.

Each notebook's summary section may hold ``findings`` (list of sentences) and, for the
headline, ``kpis`` (overview: ``metric, label, value, ci_low, ci_high, units, n, n_eff,
weighted, method``), ``series`` (overview: per metric the periods with ``value, ci_low,
ci_high``), ``changes`` (score change: ``metric, diff, ci_low, ci_high, p_value,
significant``), ``significant_segment_changes`` and ``trend_points`` (score change).  The
top-level keys ``weighted``, ``n_eff`` and ``weighting_notes`` are shown when present.

headline, ``kpis`` (overview: ``metric, label, value, ci_low, ci_high, units, n, method``) and
``changes`` (score change: ``metric, diff, ci_low, ci_high, p_value, significant``, ``n_eff_a``,
``n_eff_b``).

Top-level keys written by the runner (``cxkit.report.runner``) that the page must show:

- ``weighted`` (bool): whether the figures use the config's survey weights (the default when
  the config declares ``weight:``); each KPI in ``kpis`` also carries ``weighted`` and ``n_eff``;
- ``weighting_notes`` (list of sentences): changes whose significance differs between the
  weighted and the unweighted test — the conclusion depends on the weights;
- ``notebooks_dir`` (str or None): the user's own notebook folder (``--notebooks-dir``) when the
  pages were not computed by the notebooks shipped with cxkit;
- ``settings``: the effective report settings (config ``report:`` section and ``-p``);
- ``skipped``: ``{notebook: reason}`` for pages not run.
"""

from __future__ import annotations

import html
import math

from .formatting import decimals
from .tables import TABLE_CSS, designed_table, fmt_num, fmt_p, weight_label

__all__ = ["render_index"]

_CSS = """
:root { --ink:#1d2330; --muted:#5b6475; --line:#dde1e8; --up:#1a7f37; --down:#c62828; --bg:#f6f7f9; --accent:#1f5fa8; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0; background: var(--bg); }
main { max-width: 1080px; margin: 0 auto; padding: 1.5rem 2rem 3rem; background: #fff; min-height: 100vh; }
h1 { font-size: 1.7rem; margin: 0 0 .2rem; line-height: 1.2; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; border-bottom: 1px solid var(--line); padding-bottom: .3rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
.sub { color: var(--muted); margin: 0 0 1rem; }
.hero { border: 1px solid var(--line); border-radius: 8px; padding: .8rem 1rem .4rem; margin: .6rem 0 1rem; }
.hero .title { font-weight: 650; } .hero .cap { color: var(--muted); font-size: .85rem; }
.hero svg { width: 100%; height: auto; display: block; } .hero svg.narrow { display: none; }
@media (max-width: 600px) { .hero svg.wide { display: none; } .hero svg.narrow { display: block; } }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(230px, 1fr)); gap: 1rem; }
.kpi { border: 1px solid var(--line); border-radius: 8px; padding: .9rem 1rem; break-inside: avoid; }
.kpi .label { color: var(--muted); font-size: .85rem; text-transform: uppercase; letter-spacing: .04em; }
.kpi .row { display: flex; flex-wrap: wrap; align-items: flex-end; justify-content: space-between; gap: .5rem; }
.kpi .value { font-size: 2rem; font-weight: 650; line-height: 1.1; }
.kpi .spark { width: 120px; height: 36px; flex: none; }
.kpi .ci, .kpi .n { color: var(--muted); font-size: .85rem; }
.arrow.good, .good { color: var(--up); } .arrow.bad, .bad { color: var(--down); }
.change { font-size: .95rem; margin-top: .35rem; font-weight: 600; } .change.none { color: var(--muted); font-weight: 400; }
.change .detail { font-weight: 400; color: var(--muted); font-size: .85rem; }
ol.moved { padding-left: 1.4rem; } ol.moved li { margin: .35rem 0; } ol.moved .ns { color: var(--muted); }
.note { background: #fff8e1; border-left: 4px solid #e0a800; padding: .5rem .8rem; margin: .8rem 0; font-size: .92rem; }
ul.findings li { margin: .25rem 0; }
table.plain { border-collapse: collapse; font-size: .9rem; } table.plain th { text-align: left; border-bottom: 2px solid #c9ced8;
       padding: .3rem .8rem .3rem 0; } table.plain th.num { text-align: right; } table.plain td { border-bottom: 1px solid var(--line);
       padding: .3rem .8rem .3rem 0; text-align: left; } table.plain td.num { text-align: right; }
.pages { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; margin: .4rem 0 .6rem; }
.links li { margin: .3rem 0; }
footer { margin-top: 3rem; color: var(--muted); font-size: .8rem; border-top: 1px solid var(--line); padding-top: .6rem;
         overflow-wrap: anywhere; }
code { font-size: .8rem; }
@media (max-width: 600px) { main { padding: 1rem; } h1 { font-size: 1.35rem; } .kpi .value { font-size: 1.6rem; } }
@page { size: auto; margin: 14mm 12mm; }
@media print { body { background: #fff; font-size: 10.5pt; } main { padding: 0; max-width: none; } .pages { display: none; }
  .kpis { grid-template-columns: repeat(3, minmax(0, 1fr)); gap: .5rem; } .kpi { padding: .5rem .6rem; }
  .kpi .value { font-size: 1.5rem; } .kpi .spark { width: 84px; height: 28px; } .kpi, .hero, table, li { break-inside: avoid; }
  h2 { break-after: avoid; } a { color: inherit; text-decoration: none; }
  details::details-content { content-visibility: visible; display: contents; } details > summary { display: none; } }
""" + TABLE_CSS

_CADENCE = {"month": "Monthly CX", "quarter": "Quarterly CX", "year": "Yearly CX"}
_CORR = {"holm": "Holm", "fdr_bh": "Benjamini–Hochberg", "bonferroni": "Bonferroni", "hommel": "Hommel"}


def _e(x) -> str:
    return html.escape("" if x is None else str(x))


def _human(name) -> str:
    """A configured score name as a reader sees it: ``ease_find`` → ``ease find``."""
    return str(name).replace("_", " ")


def _ok(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _num(x, digits=1):
    return fmt_num(x, digits) if _ok(x) else "–"


def _unit(units) -> str:
    """Suffix of a level: "%" for shares, nothing for NPS points and means."""
    return {"points": "", "%": "%"}.get(units or "", "")


def _change_unit(units) -> str:
    """Unit of a change in the metric's own units: points for NPS and shares, raw for means."""
    return " points" if units in ("points", "%") else ""


def _p(p):
    """p for running text, HTML-escaped: "&lt; 0.001" or "= 0.012"."""
    if p is None:
        return "n/a"
    return "&lt; 0.001" if p < 0.001 else f"= {fmt_p(p)}"


def _sections(summary):
    return summary.get("sections", {}) or {}


def _word(summary) -> str:
    return summary.get("period_type") or "month"


def _weight_of(summary, rec=None) -> str:
    """The weighting label of a card or table: the record's own, else the summary's keys, else
    what the headline cards say (all weighted, none, or a mix — said as such)."""
    rec = rec or {}
    weighted = rec.get("weighted")
    if weighted is None:
        weighted = summary.get("weighted")
    if weighted is None and not rec:
        flags = {bool(k.get("weighted")) for k in
                 ((_sections(summary).get("overview") or {}).get("kpis") or [])}
        if flags == {True, False}:
            return "weighted and unweighted estimates mixed"
        weighted = flags == {True}
    n_eff = rec.get("n_eff") if rec.get("n_eff") is not None else summary.get("n_eff")
    if isinstance(n_eff, dict):
        n_eff = n_eff.get(rec.get("metric"))
    return weight_label(bool(weighted), n_eff if bool(weighted) else None)


# --------------------------------------------------------------------------- charts (inline SVG)
def _scale(lo, hi, a, b):
    span = (hi - lo) or 1.0
    return lambda v: a + (v - lo) * (b - a) / span


def _trend_svg(points, *, marks=(), units="", label="", width=720, height=250) -> str:
    """Line with an interval band; significant moves ringed and labelled with their change."""
    pts = [p for p in points if _ok(p.get("value"))]
    if not pts:
        return ""
    d = decimals(units)
    lows = [p["ci_low"] if _ok(p.get("ci_low")) else p["value"] for p in pts]
    highs = [p["ci_high"] if _ok(p.get("ci_high")) else p["value"] for p in pts]
    lo, hi = min(lows), max(highs)
    pad = (hi - lo) * 0.12 or 1.0
    lo, hi = lo - pad, hi + pad
    left, right, top, bottom = 58, width - 34, 16, height - 34
    n = len(pts)
    fx = (lambda i: (left + right) / 2) if n == 1 else _scale(0, n - 1, left, right)
    fy = _scale(lo, hi, bottom, top)
    band_top = " ".join(f"{fx(i):.1f},{fy(h):.1f}" for i, h in enumerate(highs))
    band_bot = " ".join(f"{fx(i):.1f},{fy(v):.1f}" for i, v in reversed(list(enumerate(lows))))
    line = " ".join(f"{fx(i):.1f},{fy(p['value']):.1f}" for i, p in enumerate(pts))
    out = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{_e(label)}">']
    # y grid: 4 ticks
    for k in range(5):
        v = lo + (hi - lo) * k / 4
        y = fy(v)
        out.append(f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e6e9ef"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="13" fill="#5b6475">'
                   f'{_e(fmt_num(v, 0 if hi - lo > 8 else d))}</text>')
    out.append(f'<polygon points="{band_top} {band_bot}" fill="#1f5fa8" fill-opacity=".16"/>')
    out.append(f'<polyline points="{line}" fill="none" stroke="#1f5fa8" stroke-width="2.5"/>')
    step = max(1, math.ceil(n / (8 if width > 500 else 4)))
    for i, p in enumerate(pts):
        x, y = fx(i), fy(p["value"])
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#1f5fa8"/>')
        if (i % step == 0 and n - 1 - i >= step) or i == n - 1:
            anchor = "end" if i == n - 1 and n > 1 else "middle"
            out.append(f'<text x="{x:.1f}" y="{height - 12}" text-anchor="{anchor}" font-size="13" '
                       f'fill="#5b6475">{_e(p["period"])}</text>')
    marks = dict(marks)
    for i, p in enumerate(pts):
        m = marks.get(str(p["period"]))
        if m is None:
            continue
        x, y = fx(i), fy(p["value"])
        color = "#1a7f37" if m.get("good") else "#c62828"
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9" fill="none" stroke="{color}" stroke-width="2.5"/>')
        txt = m.get("text", "")
        if txt:
            anchor = "end" if x > (left + right) / 2 else "start"
            dx = -12 if anchor == "end" else 12
            out.append(f'<text x="{x + dx:.1f}" y="{y - 12:.1f}" text-anchor="{anchor}" font-size="14" '
                       f'font-weight="600" fill="{color}">{_e(txt)}</text>')
    last = pts[-1]
    out.append(f'<text x="{fx(n - 1) - 8:.1f}" y="{fy(last["value"]) + 22:.1f}" text-anchor="end" font-size="14" '
               f'font-weight="650" fill="#1d2330">{_e(fmt_num(last["value"], d))}{_e(_unit(units))}</text>')
    out.append("</svg>")
    return "".join(out)


def _sparkline(points, units="", k=12) -> str:
    pts = [p for p in points if _ok(p.get("value"))][-k:]
    if len(pts) < 2:
        return ""
    w, h = 120, 36
    lows = [p["ci_low"] if _ok(p.get("ci_low")) else p["value"] for p in pts]
    highs = [p["ci_high"] if _ok(p.get("ci_high")) else p["value"] for p in pts]
    lo, hi = min(lows), max(highs)
    fx = _scale(0, len(pts) - 1, 3, w - 4)
    fy = _scale(lo, hi, h - 3, 3)
    band = (" ".join(f"{fx(i):.1f},{fy(v):.1f}" for i, v in enumerate(highs)) + " " +
            " ".join(f"{fx(i):.1f},{fy(v):.1f}" for i, v in reversed(list(enumerate(lows)))))
    line = " ".join(f"{fx(i):.1f},{fy(p['value']):.1f}" for i, p in enumerate(pts))
    lx, ly = fx(len(pts) - 1), fy(pts[-1]["value"])
    return (f'<svg class="spark" viewBox="0 0 {w} {h}" role="img" aria-label="last {len(pts)} periods, '
            f'{_e(pts[0]["period"])} to {_e(pts[-1]["period"])}">'
            f'<polygon points="{band}" fill="#1f5fa8" fill-opacity=".15"/>'
            f'<polyline points="{line}" fill="none" stroke="#1f5fa8" stroke-width="1.8"/>'
            f'<circle cx="{lx:.1f}" cy="{ly:.1f}" r="2.8" fill="#1f5fa8"/></svg>')


# --------------------------------------------------------------------------- sections
def _changes(summary) -> dict:
    return {c.get("metric"): c for c in (_sections(summary).get("score_change") or {}).get("changes") or []}


def _series(summary) -> dict:
    return (_sections(summary).get("overview") or {}).get("series") or {}


def _hero(summary) -> str:
    kpis = (_sections(summary).get("overview") or {}).get("kpis") or []
    series = _series(summary)
    if not kpis or not series.get(kpis[0].get("metric")):
        return ""
    k = kpis[0]
    m = k.get("metric")
    d = decimals(k.get("units"))
    lower_better = k.get("better") == "lower"
    marks = {}
    for p in ((_sections(summary).get("score_change") or {}).get("trend_points") or {}).get(m) or []:
        if p.get("significant"):
            marks[str(p["period"])] = {"good": None, "text": ""}
    ch = _changes(summary).get(m)
    pts = series[m]
    by_period = {str(p["period"]): p for p in pts}
    for per in list(marks):
        i = [str(p["period"]) for p in pts].index(per) if per in by_period else -1
        if i > 0:
            diff = pts[i]["value"] - pts[i - 1]["value"]
            marks[per] = {"good": (diff > 0) != lower_better,
                          "text": f"{fmt_num(diff, d, signed=True)}"}
        else:
            marks.pop(per)
    if ch and ch.get("significant") and _ok(ch.get("diff")) and str(ch.get("period", summary.get("month"))) in by_period:
        per = str(ch.get("period", summary.get("month")))
        marks[per] = {"good": (ch["diff"] > 0) != lower_better,
                      "text": f"{fmt_num(ch['diff'], d, signed=True)} vs {ch.get('baseline', 'baseline')}"}
    label = _human(k.get("label") or m)
    svg = (_trend_svg(pts, marks=marks, units=k.get("units"), label=f"{label} per {_word(summary)}")
           .replace("<svg ", '<svg class="wide" ', 1) +
           _trend_svg(pts[-12:], marks=marks, units=k.get("units"), label=f"{label} per {_word(summary)}",
                      width=400, height=230).replace("<svg ", '<svg class="narrow" ', 1))
    conf = int(round((k.get("conf") or 0.95) * 100))
    ringed = "rings mark significant changes" if marks else "no significant change is marked"
    return (f'<div class="hero"><div class="title">{_e(label)} per {_e(_word(summary))}, '
            f'{_e(pts[0]["period"])} to {_e(pts[-1]["period"])}</div>'
            f'<div class="cap">Band: {conf}% confidence interval · {ringed} · {_e(_weight_of(summary, k))}</div>'
            f'{svg}</div>')


def _kpi_cards(summary) -> str:
    kpis = (_sections(summary).get("overview") or {}).get("kpis") or []
    changes = _changes(summary)
    series = _series(summary)
    cards = []
    for k in kpis:
        u, d = _unit(k.get("units")), decimals(k.get("units"))
        cu = _change_unit(k.get("units"))
        ch = changes.get(k.get("metric"))
        lower_better = k.get("better") == "lower"
        base = _e((ch or {}).get("baseline", "baseline"))
        if ch and ch.get("significant") and _ok(ch.get("diff")):
            up = ch["diff"] > 0
            good = up != lower_better
            word = ("up" if up else "down") + (", better" if good else ", worse")
            arrow = (f'<span class="arrow {"good" if good else "bad"}" role="img" aria-label="{word}">'
                     f'{"▲" if up else "▼"}</span>')
            change = (f'<div class="change {"good" if good else "bad"}">{arrow} {fmt_num(ch["diff"], d, signed=True)}{cu} '
                      f'vs {base}<div class="detail">significant: CI {_num(ch.get("ci_low"), d)} to '
                      f'{_num(ch.get("ci_high"), d)}, p {_p(ch.get("p_value"))}</div></div>')
        elif ch and _ok(ch.get("diff")):
            change = (f'<div class="change none">no significant change vs {base} '
                      f'({fmt_num(ch["diff"], d, signed=True)}{cu}, p {_p(ch.get("p_value"))})</div>')
        else:
            change = ""
        segs = (ch or {}).get("significant_segments") or []
        if segs:
            segs = [str(x).replace("_", " ") for x in segs]
            change += (f'<div class="n">significant segment change{"s" if len(segs) > 1 else ""}: '
                       f'{_e(", ".join(segs[:4]))}{" …" if len(segs) > 4 else ""}</div>')
        note = " · lower is better" if lower_better else ""
        spark = _sparkline(series.get(k.get("metric")) or [], k.get("units"))
        n = k.get("n")
        cards.append(
            f'<div class="kpi"><div class="label">{_e(_human(k.get("label") or k.get("metric")))}</div>'
            f'<div class="row"><div class="value">{_num(k.get("value"), d)}{u}</div>{spark}</div>'
            f'<div class="ci">{int(round((k.get("conf") or 0.95) * 100))}% CI {_num(k.get("ci_low"), d)} to '
            f'{_num(k.get("ci_high"), d)}{u}</div>{change}'
            f'<div class="n">n = {n:,} · {_e(_weight_of(summary, k))}{note}</div></div>'
            if isinstance(n, int) else "")
    return f'<div class="kpis">{"".join(cards)}</div>' if cards else "<p>No headline scores were produced.</p>"


def _z(diff, lo, hi) -> float:
    """Size on a common footing: the change over its standard error (from the 95% interval)."""
    if not (_ok(diff) and _ok(lo) and _ok(hi)) or hi <= lo:
        return 0.0
    return abs(diff) / ((hi - lo) / (2 * 1.959964))


def _from_to(rec, d) -> str:
    a, b = rec.get("value_a"), rec.get("value_b")
    return f"{_num(a, d)} → {_num(b, d)} " if _ok(a) and _ok(b) else ""


def _moved(summary) -> list:
    """At most five findings: significant moves first, each group by size (change / SE)."""
    sec = _sections(summary)
    sc = sec.get("score_change") or {}
    kpis = {k.get("metric"): k for k in (sec.get("overview") or {}).get("kpis") or []}
    corr = _CORR.get(sc.get("correction") or "holm", "Holm")
    items = []
    for m, ch in _changes(summary).items():
        k = kpis.get(m, {})
        units = k.get("units") or {"nps": "points", "csat": "%"}.get(m, "")
        d, cu = decimals(units), _change_unit(units)
        lower_better = k.get("better") == "lower" or m in ("ces", "effort")
        label = _human(k.get("label") or m.upper())
        if _ok(ch.get("diff")):
            sig = bool(ch.get("significant"))
            items.append((sig, _z(ch["diff"], ch.get("ci_low"), ch.get("ci_high")), ch["diff"], lower_better,
                          f"{_e(label)} overall: {_from_to(ch, d)}"
                          f"({fmt_num(ch['diff'], d, signed=True)}{cu}, {_e(ch.get('baseline'))} → "
                          f"{_e(ch.get('period', summary.get('month')))}, p {_p(ch.get('p_value'))})"
                          + ("" if sig else " — not a significant change"), 0))
        for r in (sc.get("significant_segment_changes") or {}).get(m) or []:
            if not _ok(r.get("diff")):
                continue
            items.append((True, _z(r["diff"], r.get("ci_low"), r.get("ci_high")), r["diff"], lower_better,
                          f"{_e(label)} in {_e(str(r.get('dimension')).replace('_', ' '))} {_e(r.get('level'))}: "
                          f"{_from_to(r, d)}"
                          f"({fmt_num(r['diff'], d, signed=True)}{cu}, {corr}-adjusted p {_p(r.get('p_adj'))})", 0))
    comp = sec.get("competitor_nps") or {}
    for g in comp.get("gaps") or []:
        if g.get("significant") and _ok(g.get("gap")):
            ahead = g["gap"] > 0
            items.append((True, _z(g["gap"], g.get("ci_low"), g.get("ci_high")), -g["gap"], False,
                          f"{_e(g.get('brand'))} is {fmt_num(abs(g['gap']), 1)} NPS points "
                          f"{'ahead of' if ahead else 'behind'} {_e(comp.get('own'))} "
                          f"(adjusted p {_p(g.get('p_adj'))}{', ' + _e(_pooled_words(comp)) if _pooled_words(comp) else ''})", 1))
    # significant first; score moves before competitor gaps; then by size relative to uncertainty
    items.sort(key=lambda t: (not t[0], t[5], -t[1]))
    return [t[:5] for t in items[:5]]


def _what_moved(summary) -> str:
    items = _moved(summary)
    if not items:
        return "<p>Nothing to compare in this report.</p>"
    lis = []
    for sig, _, diff, lower_better, text in items:
        if sig:
            up = diff > 0
            good = up != lower_better
            arrow = (f'<span class="arrow {"good" if good else "bad"}" role="img" '
                     f'aria-label="{"better" if good else "worse"}">{"▲" if up else "▼"}</span> ')
            lis.append(f"<li>{arrow}{text}</li>")
        else:
            lis.append(f'<li class="ns">{text}</li>')
    legend = ("▲ ▼ significant changes (green better, red worse); grey lines are not significant. "
              "Ranked by significance, then by the size of the change relative to its uncertainty.")
    return f'<ol class="moved">{"".join(lis)}</ol><p class="cx-legend">{_e(legend)}</p>'


def _weighting_notes(summary) -> str:
    notes = list(summary.get("weighting_notes") or [])
    for sec in _sections(summary).values():
        notes += [n for n in (sec or {}).get("weighting_notes") or [] if n not in notes]
    if not notes:
        return ""
    notes = sorted(notes, key=lambda n: " overall:" not in str(n))   # overall changes first
    items = [f"<li>{_e(str(n).replace('_', ' '))}</li>" for n in notes]
    more = (f"<details class='cx-details'><summary>{len(items) - 3} more</summary><ul>"
            f"{''.join(items[3:])}</ul></details>" if len(items) > 3 else "")
    return (f'<div class="note"><strong>Weighting changes a conclusion</strong> '
            f'({len(items)} test{"s" if len(items) != 1 else ""}: significant with one weighting, '
            f'not with the other)<ul>{"".join(items[:3])}</ul>{more}</div>')


def _planning_table(summary) -> str:
    sec = _sections(summary).get("sample_size") or {}
    verdicts = sec.get("verdicts") or {}
    if not verdicts:
        return ""
    import pandas as pd

    n_month = sec.get("n_month") or {}
    needed = sec.get("needed_month") or {}
    rows, cls = [], []
    colour = {"monthly": "sig-good", "not reportable": "sig-bad"}
    for seg, verdict in verdicts.items():
        dim, _, level = str(seg).partition(" ")
        shown = "All responses" if seg == "All" else (f"{dim.replace('_', ' ').capitalize()}: {level}" if level else seg)
        rows.append({"Segment": shown,
                     "Responses / month": _num(n_month.get(seg), 0), "Needed / month": _num(needed.get(seg), 0),
                     "Verdict": verdict})
        cls.append({"Verdict": colour.get(verdict, "")})
    t = sec.get("targets") or {}
    cap = (f"{_e(str(sec.get('metric', '')).upper())}: can we report each segment? Targets ± {t.get('margin', '')} "
           f"and a {t.get('difference', '')}-point change, window {' to '.join(map(str, sec.get('window') or []))}")
    return ("<h3>Sample-size planning</h3>" +
            designed_table(pd.DataFrame(rows), caption=cap, classes=pd.DataFrame(cls),
                           numeric=("Responses / month", "Needed / month"), style=False))


def _pooled_words(comp) -> str:
    pooled = comp.get("pooled") or {}
    if (pooled.get("periods") or 0) > 1:
        return f"pooled over {pooled['periods']} periods, {pooled.get('first')} to {pooled.get('last')}"
    if comp.get("period") == "all periods":
        return "pooled over all periods in the data"
    return ""


def _competitor_table(summary) -> str:
    comp = _sections(summary).get("competitor_nps") or {}
    brands = comp.get("brands") or []
    if not brands:
        return ""
    import pandas as pd

    gaps = {g.get("brand"): g for g in comp.get("gaps") or []}
    own = comp.get("own")
    rows, cls, rcls = [], [], []
    for b in brands:
        g = gaps.get(b.get("brand"))
        if b.get("brand") == own:
            gap, c = "own brand", ""
        elif g and _ok(g.get("gap")):
            sig = bool(g.get("significant"))
            arrow = ("▲ " if g["gap"] > 0 else "▼ ") if sig else ""
            gap = f"{arrow}{fmt_num(g['gap'], 1, signed=True)}" + ("" if sig else " (n.s.)")
            c = ("sig-bad" if g["gap"] > 0 else "sig-good") if sig else "muted"
        else:
            gap, c = "–", ""
        rows.append({"Brand": b.get("brand"), "NPS": _num(b.get("nps"), 1),
                     "95% CI": f"{_num(b.get('ci_low'), 1)} to {_num(b.get('ci_high'), 1)}",
                     f"Gap to {own}": gap, "n": f"{int(b.get('n') or 0):,}"})
        cls.append({f"Gap to {own}": c})
        rcls.append("total" if b.get("brand") == own else "")
    pooled = _pooled_words(comp)
    period = comp.get("period")
    when = pooled or (f"period {period}" if period else "")
    cap = (f"NPS by brand{', ' + when if when else ''} · {weight_label(comp.get('weighted'))} · "
           f"gap = competitor − own; ▲ red: competitor significantly ahead, ▼ green: behind")
    note = (f'<p class="note">Competitor NPS is <strong>{_e(pooled)}</strong>, not the report '
            f'{_e(_word(summary))} alone.</p>' if pooled else "")
    return (f"<h3>Competitors</h3>{note}" +
            designed_table(pd.DataFrame(rows), caption=cap, classes=pd.DataFrame(cls),
                           numeric=("NPS", "95% CI", f"Gap to {own}", "n"), row_classes=rcls, style=False))


def _load_table(summary) -> str:
    """The data accounting: rows read/kept, exclusions per file and reason, and — behind a
    toggle — the missing answers per score and file (declared codes and blanks)."""
    lr = summary.get("load_report") or {}
    multi = len({(x or {}).get("file") for x in (lr.get("exclusions") or []) + (lr.get("missing") or [])
                 if isinstance(x, dict)}) > 1

    def where(x):
        return f" — {_e(x.get('file'))}" if multi and x.get("file") else ""

    rows = [("Rows read", lr.get("rows_read")), ("Rows kept", lr.get("rows_kept"))]
    body = "".join(f"<tr><td>{_e(a)}</td><td class='num'>{b:,}</td></tr>" for a, b in rows if isinstance(b, int))
    for ex in lr.get("exclusions") or []:
        body += (f"<tr><td>Excluded: {_e(ex.get('reason'))}{(' (' + _e(ex.get('column')) + ')') if ex.get('column') else ''}"
                 f"{where(ex)}</td><td class='num'>{int(ex.get('count', 0)):,}</td></tr>")
    miss = ""
    mrows = [m for m in lr.get("missing") or [] if isinstance(m, dict) and (m.get("blank") or m.get("declared"))]
    if mrows:
        mb = ""
        for m in mrows:
            codes = ", ".join(f"{k}: {v:,}" for k, v in (m.get("codes") or {}).items())
            mb += (f"<tr><td>{_e(m.get('score'))} ({_e(m.get('column'))}){where(m)}</td>"
                   f"<td class='num'>{int(m.get('blank') or 0):,}</td>"
                   f"<td>{int(m.get('declared') or 0):,}{' (' + _e(codes) + ')' if codes else ''}</td>"
                   f"<td class='num'>{int(m.get('valid') or 0):,}</td></tr>")
        miss = (f"<details class='cx-details'><summary>Missing answers per score ({len(mrows)} row{'s' if len(mrows) != 1 else ''}): "
                f"rows kept, those scores not counted</summary><table class='plain'><thead><tr>"
                f"<th>Score (column)</th><th class='num'>Blank</th><th>Declared missing (code: rows)</th>"
                f"<th class='num'>Valid</th></tr></thead><tbody>{mb}</tbody></table></details>")
    files = ", ".join(_e(f.get("path")) for f in summary.get("data_files", []))
    wt = ""
    if lr.get("weighting"):   # raked at load (config `weighting:`)
        from ..io.weighting import describe_weighting
        wt = f"<p class='sub'>{_e(describe_weighting(lr['weighting']))}</p>"
    return (f"<p class='sub'>Source: {files or 'n/a'}</p><table class='plain'><thead><tr><th>Rows</th>"
            f"<th class='num'>Count</th></tr></thead><tbody>{body}</tbody></table>{miss}{wt}")


def _skipped(summary, titles) -> str:
    items = (summary.get("skipped") or {}).items()
    lis = "".join(f"<li>{_e(titles.get(n, n))}: not run, because {_e(why)}.</li>" for n, why in items)
    return f"<h3>Not in this report</h3><ul class='findings'>{lis}</ul>" if lis else ""


def _run_notes(summary) -> str:
    """A user's own notebook folder (``--notebooks-dir``); weighting is shown by
    :func:`_weight_of` and :func:`_weighting_notes`."""
    parts = []
    if summary.get("notebooks_dir"):
        parts.append(f"<p class='sub'>Computed with your own notebooks from <code>"
                     f"{_e(summary['notebooks_dir'])}</code> (--notebooks-dir), not the ones "
                     f"shipped with cxkit.</p>")
    return "".join(parts)


def _title(titles, name, word):
    t = titles.get(name, name)
    return t.replace("per month", f"per {word}") if word != "month" else t


def _follow_up_line(summary: dict) -> str:
    """"367 detractors in 2026-10, 26 with comments: follow_up.csv" (a link to the file)."""
    fu = summary.get("follow_up")
    if not fu:
        return ""
    text = _e(fu["sentence"].rsplit(": ", 1)[0])
    times = fu.get("times") or {}
    extra = ""
    if times.get("median_hours_to_contact") is not None:
        extra = f" Median time to first contact {times['median_hours_to_contact']:.0f} h"
        if times.get("within_target") is not None:
            extra += f", {times['within_target']:.0f}% within {times['target_hours']:g} h"
        extra += "."
    return (f"<h2>Follow-up</h2><p class='followup'>{text}: <a href='{_e(fu['file'])}'>"
            f"{_e(fu['file'])}</a> (comments unmasked, for the service team only).{_e(extra)}</p>")


def render_index(summary: dict, meta: dict) -> str:
    """Render ``index.html`` from the report's ``summary.json`` content and run metadata.

    Parameters
    ----------
    summary : dict
        The content of ``summary.json``.
    meta : dict
        ``version``, ``run_seconds``, ``generated``, ``titles`` (notebook → page title).

    Returns
    -------
    str
        A self-contained HTML page.
    """
    titles = meta.get("titles", {})
    sections = _sections(summary)
    word = _word(summary)
    names = summary.get("notebooks", [])
    pages = "".join(f"<a href='{_e(n)}.html'>{_e(_title(titles, n, word))}</a>" for n in names)
    links = []
    for name in names:
        sec = sections.get(name) or {}
        first = (sec.get("findings") or sec.get("recommendations") or [""])[0]
        links.append(f"<li><a href='{_e(name)}.html'>{_e(_title(titles, name, word))} →</a>"
                     f"{'<br><span class=sub>' + _e(first) + '</span>' if first else ''}</li>")
    findings = []
    for name in names:
        sec = sections.get(name) or {}
        items = sec.get("findings") or sec.get("recommendations") or []
        if len(items) > 1:        # a single finding is the one shown above
            lis = "".join(f"<li>{_e(f)}</li>" for f in items)
            findings.append(f"<details class='cx-details'><summary>{_e(_title(titles, name, word))}: "
                            f"all {len(items)} findings</summary><ul class='findings'>{lis}</ul></details>")
    nb_dir = summary.get("notebooks_dir")
    nb_note = (f"<p class='note'>Notebooks run from <code>{_e(nb_dir)}</code> (a customised folder), "
               f"not the notebooks shipped with cxkit.</p>" if nb_dir else "")
    data_hash = "; ".join(f"{_e(f['path'])} <code>{_e(f['sha256'][:12])}</code>" for f in summary.get("data_files", []))
    compact = _planning_table(summary) + _competitor_table(summary)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(summary.get('survey'))} — {_e(summary.get('month'))}</title>
<style>{_CSS}</style></head>
<body><main>
<h1>{_e(summary.get('survey'))}</h1>
<p class="sub">{_e(_CADENCE.get(word, 'CX'))} report for <strong>{_e(summary.get('month'))}</strong> ·
{_e(_weight_of(summary))} · intervals are 95% confidence intervals; arrows mark only statistically significant changes.</p>
{_run_notes(summary)}
<nav class="pages">{pages}</nav>
{nb_note}
{_hero(summary)}
<h2>Headline scores</h2>
{_kpi_cards(summary)}
{_weighting_notes(summary)}
<h2>What moved</h2>
{_what_moved(summary)}
{('<h2>At a glance</h2>' + compact) if compact else ''}
<h2>Details</h2>
<ul class="links">{''.join(links)}</ul>
{''.join(findings)}
{_follow_up_line(summary)}
{_skipped(summary, titles)}
<h2>Data</h2>
{_load_table(summary)}
<footer>cxkit {_e(meta.get('version'))} · config {_e(summary.get('config', {}).get('path'))}
<code>{_e(summary.get('config', {}).get('sha256', '')[:12])}</code> · data {data_hash} ·
generated {_e(meta.get('generated'))} in {meta.get('run_seconds', 0):.1f} s ·
{"tables for Excel: <a href='tables.xlsx'>tables.xlsx</a>" if meta.get("tables_xlsx", True) else ""}</footer>
</main></body></html>
"""
