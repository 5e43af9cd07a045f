"""The report's ``index.html``: the page a manager reads.

Rendered from ``summary.json`` only (so what the page says and what machines read agree):
the month, the data source with its row accounting, headline KPIs with intervals and change
arrows that appear only for significant changes, each analysis's plain-language findings,
links to the detail pages, and a footer with the cxkit version, config and data hashes and the
run time.  Self-contained: inline CSS, no scripts, no external assets; prints sensibly.

Each notebook's summary section may hold ``findings`` (list of sentences) and, for the
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

from .formatting import decimals

__all__ = ["render_index"]

_CSS = """
:root { --ink:#1d2330; --muted:#5b6475; --line:#dde1e8; --up:#1a7f37; --down:#c62828; --bg:#f6f7f9; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0; background: var(--bg); }
main { max-width: 1080px; margin: 0 auto; padding: 1.5rem 2rem 3rem; background: #fff; min-height: 100vh; }
h1 { font-size: 1.7rem; margin: 0 0 .2rem; } h2 { font-size: 1.2rem; margin: 2rem 0 .6rem;
       border-bottom: 1px solid var(--line); padding-bottom: .3rem; }
.sub { color: var(--muted); margin: 0 0 1rem; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 1rem; }
.kpi { border: 1px solid var(--line); border-radius: 8px; padding: .9rem 1rem; }
.kpi .label { color: var(--muted); font-size: .85rem; text-transform: uppercase; letter-spacing: .04em; }
.kpi .value { font-size: 2rem; font-weight: 650; }
.kpi .ci, .kpi .n { color: var(--muted); font-size: .85rem; }
.arrow.good { color: var(--up); } .arrow.bad { color: var(--down); }
.change { font-size: .9rem; margin-top: .3rem; } .change.none { color: var(--muted); }
ul.findings li { margin: .25rem 0; }
table { border-collapse: collapse; font-size: .9rem; } td, th { border-bottom: 1px solid var(--line);
       padding: .3rem .8rem .3rem 0; text-align: left; } td.num { text-align: right; }
.pages a { display: inline-block; margin: 0 1rem .5rem 0; }
footer { margin-top: 3rem; color: var(--muted); font-size: .8rem; border-top: 1px solid var(--line); padding-top: .6rem; }
code { font-size: .8rem; }
@media print { body { background: #fff; } main { padding: 0; } .pages { display: none; }
  .kpi { break-inside: avoid; } }
"""


_CADENCE = {"month": "Monthly CX", "quarter": "Quarterly CX", "year": "Yearly CX"}


def _e(x) -> str:
    return html.escape("" if x is None else str(x))


def _num(x, digits=1):
    return "–" if x is None else f"{x:,.{digits}f}"


def _unit(units) -> str:
    return {"points": "", "%": "%"}.get(units or "", "")


def _kpi_cards(summary) -> str:
    sections = summary.get("sections", {})
    kpis = (sections.get("overview") or {}).get("kpis") or []
    changes = {c.get("metric"): c for c in (sections.get("score_change") or {}).get("changes") or []}
    cards = []
    for k in kpis:
        u, d = _unit(k.get("units")), decimals(k.get("units"))
        ch = changes.get(k.get("metric"))
        lower_better = k.get("better") == "lower"
        if ch and ch.get("significant"):
            up = (ch.get("diff") or 0) > 0
            good = up != lower_better
            word = ("up" if up else "down") + (", better" if good else ", worse")
            arrow = (f'<span class="arrow {"good" if good else "bad"}" role="img" aria-label="{word}">'
                     f'{"▲" if up else "▼"}</span>')
            change = (f'<div class="change">{arrow} {ch["diff"]:+.{d}f}{u} vs {_e(ch.get("baseline", "baseline"))} '
                      f'(CI {_num(ch.get("ci_low"), d)} to {_num(ch.get("ci_high"), d)}, p {_p(ch.get("p_value"))})</div>')
        elif ch:
            change = (f'<div class="change none">no significant change vs {_e(ch.get("baseline", "baseline"))} '
                      f'({(ch.get("diff") or 0):+.{d}f}{u})</div>')
        else:
            change = ""
        segs = (ch or {}).get("significant_segments") or []
        if segs:
            change += f'<div class="change">significant segment change: {_e(", ".join(map(str, segs)))}</div>'
        note = " · lower is better" if lower_better else ""
        cards.append(
            f'<div class="kpi"><div class="label">{_e(k.get("label") or k.get("metric"))}</div>'
            f'<div class="value">{_num(k.get("value"), d)}{u}</div>'
            f'<div class="ci">{int(round((k.get("conf") or 0.95) * 100))}% CI {_num(k.get("ci_low"), d)} to '
            f'{_num(k.get("ci_high"), d)}{u}{" · " + _e(k.get("method")) if k.get("method") else ""}</div>'
            f'<div class="n">n = {k.get("n", 0):,}{" · weighted" if k.get("weighted") else ""}{note}</div>{change}</div>'
        )
    return f'<div class="kpis">{"".join(cards)}</div>' if cards else "<p>No headline scores were produced.</p>"


def _p(p):
    if p is None:
        return "n/a"
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


def _load_table(summary) -> str:
    lr = summary.get("load_report") or {}
    rows = [("Rows read", lr.get("rows_read")), ("Rows kept", lr.get("rows_kept"))]
    excl = lr.get("exclusions") or []
    body = "".join(f"<tr><td>{_e(a)}</td><td class='num'>{b:,}</td></tr>" for a, b in rows if isinstance(b, int))
    for ex in excl:
        body += (f"<tr><td>Excluded: {_e(ex.get('reason'))}{(' (' + _e(ex.get('column')) + ')') if ex.get('column') else ''}"
                 f"</td><td class='num'>{int(ex.get('count', 0)):,}</td></tr>")
    for m in lr.get("missing") or []:
        if isinstance(m, dict) and (m.get("blank") or m.get("declared")):
            codes = ", ".join(f"{k}: {v:,}" for k, v in (m.get("codes") or {}).items())
            body += (f"<tr><td>{_e(m.get('score'))} ({_e(m.get('column'))}): blank {int(m.get('blank') or 0):,}, "
                     f"declared missing {int(m.get('declared') or 0):,}{' (' + _e(codes) + ')' if codes else ''}"
                     f" — rows kept, score not counted</td><td class='num'>{int(m.get('valid') or 0):,} valid</td></tr>")
    files = ", ".join(_e(f.get("path")) for f in summary.get("data_files", []))
    return f"<p class='sub'>Source: {files or 'n/a'}</p><table>{body}</table>"


def _skipped(summary, titles) -> str:
    items = (summary.get("skipped") or {}).items()
    lis = "".join(f"<li>{_e(titles.get(n, n))}: not run, because {_e(why)}.</li>" for n, why in items)
    return f"<h3>Not in this report</h3><ul class='findings'>{lis}</ul>" if lis else ""


def _run_notes(summary) -> str:
    """Under the title: weighted or not, and a user's own notebook folder."""
    if summary.get("weighted") is None:
        return ""
    parts = [f"<p class='sub'>{'Weighted estimates (survey weights; effective sample sizes n_eff on the detail pages).' if summary.get('weighted') else 'Unweighted estimates.'}</p>"]
    if summary.get("notebooks_dir"):
        parts.append(f"<p class='sub'>Computed with your own notebooks from <code>"
                     f"{_e(summary['notebooks_dir'])}</code> (--notebooks-dir), not the ones "
                     f"shipped with cxkit.</p>")
    return "".join(parts)


def _weighting_notes(summary) -> str:
    """Changes whose conclusion depends on the weights (overall changes first)."""
    notes = sorted(summary.get("weighting_notes") or [], key=lambda n: " overall:" not in n)
    if not notes:
        return ""
    lis = "".join(f"<li>{_e(n)}</li>" for n in notes)
    return (f"<h3>Weighting changes a conclusion</h3><p class='sub'>Significant with one weighting "
            f"and not with the other:</p><ul class='findings'>{lis}</ul>")


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
    sections = summary.get("sections", {})
    findings = []
    for name in summary.get("notebooks", []):
        sec = sections.get(name) or {}
        items = sec.get("findings") or sec.get("recommendations") or []
        if items:
            lis = "".join(f"<li>{_e(f)}</li>" for f in items)
            findings.append(f"<h3>{_e(titles.get(name, name))}</h3><ul class='findings'>{lis}</ul>"
                            f"<p><a href='{_e(name)}.html'>Details: {_e(titles.get(name, name))} →</a></p>")
    pages = "".join(f"<a href='{_e(n)}.html'>{_e(titles.get(n, n))}</a>" for n in summary.get("notebooks", []))
    data_hash = "; ".join(f"{_e(f['path'])} <code>{_e(f['sha256'][:12])}</code>" for f in summary.get("data_files", []))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(summary.get('survey'))} — {_e(summary.get('month'))}</title>
<style>{_CSS}</style></head>
<body><main>
<h1>{_e(summary.get('survey'))}</h1>
<p class="sub">{_e(_CADENCE.get(summary.get('period_type', 'month'), 'CX'))} report for <strong>{_e(summary.get('month'))}</strong>. Intervals are 95% confidence intervals;
arrows mark only statistically significant changes.</p>
{_run_notes(summary)}
<nav class="pages">{pages}</nav>
<h2>Headline scores</h2>
{_kpi_cards(summary)}
<h2>Findings</h2>
{''.join(findings) or '<p>No findings were produced.</p>'}
{_weighting_notes(summary)}
{_skipped(summary, titles)}
<h2>Data</h2>
{_load_table(summary)}
<footer>cxkit {_e(meta.get('version'))} · config {_e(summary.get('config', {}).get('path'))}
<code>{_e(summary.get('config', {}).get('sha256', '')[:12])}</code> · data {data_hash} ·
generated {_e(meta.get('generated'))} in {meta.get('run_seconds', 0):.1f} s</footer>
</main></body></html>
"""
