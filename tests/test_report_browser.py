"""The reports opened in a real headless browser (Chromium driven by Playwright).

Chromium comes from Debian's packages (`make browser`, run by `make test`); Playwright's own
browser download is not used.  Checks, on the demo report and on the real SFO survey (yearly,
weighted), at 1300 px and 400 px: no console errors, every image loads, every link between
pages resolves, no page scrolls horizontally, no ``<pre>`` block holds a raw repr, every table
has headers; printed on A4 and Letter no table is cut.  Screenshots of every page at both widths
are saved to ``artifacts/`` (and a PDF of the index on A4).

One report build per module (the demo report is the session's ``built`` fixture; the SFO one is
built once here), so the browser checks add little to the run time.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PROJECT = Path(__file__).resolve().parents[1]
WIDTHS = (1300, 400)
#: printable width of A4 and Letter at the report's print margins (12 mm a side), CSS px (96/in)
PRINT_WIDTHS = {"A4": round((210 - 24) / 25.4 * 96), "Letter": round((215.9 - 24) / 25.4 * 96)}
#: what a raw Python repr or a pandas dump looks like in a <pre> block
RAW_REPR = re.compile(r"^\s*[{\[]'|dtype:|Name: \w+|\w+\(\w+=|<\w+[\w.]* object at|^\s*\d+\s+\S+.*\n\s*\d+\s+", re.M)


def _chromium():
    exe = os.environ.get("CXKIT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        pytest.skip("Chromium is not installed: run `make browser` (Debian package chromium) to enable this test")
    return exe


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=_chromium(), headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


def _visit(browser, url, width=1366):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors, failed = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(url, wait_until="load")
    return page, errors, failed


_PAGE_FACTS = """() => {
  const doc = document.documentElement;
  const outputs = Array.from(document.querySelectorAll('.jp-OutputArea-output pre, main pre'));
  const tables = Array.from(document.querySelectorAll('table'));
  return {
    scrollWidth: doc.scrollWidth, innerWidth: window.innerWidth,
    pres: outputs.map(p => p.innerText.slice(0, 300)),
    headerless: tables.filter(t => !Array.from(t.querySelectorAll('thead th, tr:first-child th'))
                                     .some(th => th.textContent.trim())).map(t => t.outerHTML.slice(0, 120)),
    tables: tables.length,
    broken: Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 60)),
    images: document.images.length, svgs: document.querySelectorAll('svg').length,
    text: document.body.innerText,
  };
}"""


def _check_pages(browser, folder: Path, tag: str):
    """Every page at every width: the browser-level promises of the report. Returns the facts."""
    pages = sorted(folder.glob("*.html"))
    assert len(pages) >= 3
    ARTIFACTS.mkdir(exist_ok=True)
    facts = {}
    for html in pages:
        for width in WIDTHS:
            page, errors, failed = _visit(browser, html.as_uri(), width)
            f = page.evaluate(_PAGE_FACTS)
            where = f"{tag}/{html.name} at {width} px"
            assert errors == [], f"{where}: console errors {errors}"
            assert failed == [], f"{where}: failed requests {failed}"
            assert f["scrollWidth"] <= f["innerWidth"], f"{where} scrolls horizontally ({f['scrollWidth']} px)"
            assert f["pres"] == [], f"{where}: <pre> output blocks (print or raw repr): {f['pres']}"
            assert f["headerless"] == [], f"{where}: tables without headers {f['headerless']}"
            assert f["broken"] == [], f"{where}: images that did not load {f['broken']}"
            if html.name == "index.html":
                assert f["svgs"] >= 1, f"{where}: no headline chart"
            else:
                assert f["images"] > 0, f"{where} shows no charts"
                assert f["tables"] > 0, f"{where} shows no tables"
            page.screenshot(path=str(ARTIFACTS / f"{tag}-{html.stem}-{width}.png"), full_page=True)
            facts[(html.name, width)] = f
            page.close()
    return facts


def _check_print(browser, folder: Path, tag: str):
    """Printed on A4 and Letter (print media, printable width): no table or chart wider than the paper."""
    for html in sorted(folder.glob("*.html")):
        for paper, width in PRINT_WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": 1100})
            page.goto(html.as_uri(), wait_until="load")
            page.emulate_media(media="print")
            page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
            too_wide = page.evaluate("""(w) => Array.from(document.querySelectorAll('table, img, svg'))
                .filter(e => e.getBoundingClientRect().right > w + 1 && e.getBoundingClientRect().width > 0)
                .map(e => e.tagName + ' ' + Math.round(e.getBoundingClientRect().right) + ' ' +
                          (e.innerText || '').slice(0, 60))""", width)
            assert too_wide == [], f"{tag}/{html.name} printed on {paper}: cut off {too_wide}"
            if html.name == "index.html" and paper == "A4":
                page.pdf(path=str(ARTIFACTS / f"{tag}-index-A4.pdf"), format="A4")
            page.close()


# --------------------------------------------------------------------------- the demo report
def test_every_page_renders_without_errors(built, browser):
    out, result = built
    _check_pages(browser, result.path, "demo")


def test_printing_keeps_tables_on_a4_and_letter(built, browser):
    out, result = built
    _check_print(browser, result.path, "demo")
    assert (ARTIFACTS / "demo-index-A4.pdf").stat().st_size > 10_000


def test_links_between_pages_resolve_and_screenshot(built, browser):
    out, result = built
    page, errors, _ = _visit(browser, (result.path / "index.html").as_uri())
    hrefs = page.evaluate("() => Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
    assert hrefs, "index.html has no links"
    for href in hrefs:
        assert href.startswith("file://"), f"external link {href}"
        target = Path(href[len("file://"):].split("#")[0])
        assert target.is_file(), f"broken link {href}"
    # the detail pages link back to the index
    detail, _, _ = _visit(browser, (result.path / "overview.html").as_uri())
    detail.click("text=Back to the report overview")
    assert detail.url.endswith("/index.html")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-index.png"), full_page=True)
    assert (ARTIFACTS / "report-index.png").stat().st_size > 10_000


def test_demo_change_page_marks_the_significant_segment_in_label_order(built, browser):
    out, result = built
    page, _, _ = _visit(browser, (result.path / "score_change.html").as_uri())
    # the first table (NPS, 11 segment levels: short enough to show whole, in label order):
    # overall first, then channel, region, product levels alphabetically; region South marked worse
    first = page.locator("table.cx-table").first
    labels = first.locator("tbody tr td:first-child").all_inner_texts()
    assert labels[0] == "Overall" and len(labels) == 12
    assert labels[1:5] == ["Channel: App", "Channel: Phone", "Channel: Store", "Channel: Web"]
    assert labels[5:9] == ["Region: East", "Region: North", "Region: South", "Region: West"]
    marked = first.locator("td.sig-bad")
    # the demo declares a weight, so the report is weighted by default: the API's weighted change
    import cxkit
    responses, _ = cxkit.load_survey("demo")
    t = cxkit.score_changes(responses, "nps", result.month, weighted=True).table
    south = float(t[(t["dimension"] == "region") & (t["level"] == "South")]["diff"].iloc[0])
    assert marked.count() == 1 and marked.inner_text().startswith(f"▼ −{abs(south):.1f}")
    assert first.locator("tbody tr").nth(7).locator("td.sig-bad").count() == 1
    assert page.locator("details.cx-details").count() == 0  # nothing hidden behind a toggle
    text = page.evaluate("document.body.innerText")
    assert "synthetic demo" in text  # the demo says it is the demo …
    assert "planted" not in text  # … but not how it was made


# --------------------------------------------------------------------------- the real SFO survey
def _sfo_config(tmp_path) -> Path:
    """examples/sfo/sfo.yaml; when its data are not beside this checkout (e.g. a git worktree),
    a copy pointing at ``$CXKIT_REALDATA``."""
    config = PROJECT / "examples" / "sfo" / "sfo.yaml"
    if (PROJECT.parent / "shared" / "realdata" / "sfo_customer_survey").is_dir():
        return config
    real = os.environ.get("CXKIT_REALDATA")
    if not real or not (Path(real) / "sfo_customer_survey").is_dir():
        pytest.skip("the SFO survey data are not present (beside the checkout or in $CXKIT_REALDATA)")
    copy = tmp_path / "sfo.yaml"
    copy.write_text(config.read_text().replace("../../../shared/realdata", str(Path(real).resolve())))
    return copy


@pytest.fixture(scope="module")
def sfo(tmp_path_factory):
    """The SFO report, yearly and weighted, built once for this module; and the change page
    unweighted (only that notebook)."""
    from cxkit.report import run_report

    tmp = tmp_path_factory.mktemp("sfo")
    config = _sfo_config(tmp)
    weighted = run_report(config, "2018", tmp / "weighted", parameters={"weighted": True}, progress="quiet")
    unweighted = run_report(config, "2018", tmp / "unweighted", notebooks="score_change",
                            parameters={"weighted": False}, progress="quiet")
    return weighted, unweighted


def test_sfo_pages_in_the_browser_yearly_wording(sfo, browser):
    weighted, _ = sfo
    facts = _check_pages(browser, weighted.path, "sfo")
    _check_print(browser, weighted.path, "sfo")
    for (name, width), f in facts.items():
        text = f["text"]
        for phrase in ("this month", "per month", "month over month", "rest of the month", "synthetic", "planted"):
            assert phrase not in text.lower(), f"{name} at {width} px says {phrase!r} in a yearly report of real data"
    index = facts[("index.html", 1300)]["text"]
    assert "Yearly CX report for 2018" in index and "NPS per year" in index
    # every card says weighted (n_eff …); "unweighted" appears only in the sentences saying where
    # the unweighted test would conclude otherwise ("Weighting changes a conclusion")
    cards = "\n".join(l for l in index.splitlines() if "this report uses the weighted figures" not in l)
    assert "weighted (n_eff" in index and "unweighted" not in cards.replace("weighted and unweighted", "")
    assert "Weighting changes a conclusion" in index


def test_sfo_change_tables_show_the_significant_changes_first(sfo, browser):
    weighted, unweighted = sfo
    # weighted: time of day PM and Air Canada are the significant NPS changes, in the visible rows
    page, _, _ = _visit(browser, (weighted.path / "score_change.html").as_uri())
    first = page.locator("table.cx-table").first
    caption = first.locator("caption").inner_text()
    assert "weighted (n_eff" in caption and "2017 → 2018" in caption
    visible = first.locator("tbody tr td:first-child").all_inner_texts()
    assert visible[:3] == ["Overall", "Airline: AIR CANADA", "Time of day: PM"]
    assert first.locator("tbody tr").nth(2).locator("td.sig-bad").inner_text().startswith("▼ −13.6")
    # boarding area A is in the full table (behind the toggle) and not significant once weighted
    full = page.locator("details.cx-details table.cx-table").first
    row = full.locator("tbody tr", has_text="Boarding area: A")
    assert row.count() == 1 and row.locator("td.sig-bad").count() == 0
    # unweighted: the boarding-area A fall is significant and shown among the first rows, marked
    page, _, _ = _visit(browser, (unweighted.path / "score_change.html").as_uri())
    first = page.locator("table.cx-table").first
    assert "unweighted" in first.locator("caption").inner_text()
    row = first.locator("tbody tr", has_text="Boarding area: A")
    assert row.count() == 1
    assert row.locator("td.sig-bad").inner_text().startswith("▼ −20.2")
    text = page.evaluate("document.body.innerText")
    assert "year 2018 against 2017" in text


# ------------------------------------------------- the demo report on the engine (issue 15.2)
def test_engine_report_pages_in_the_browser(built, browser, tmp_path):
    """The same notebooks on `load_survey(config, engine="duckdb")`: every page renders at both
    widths with no engine output (screenshots ``engine-demo-*``), and reads like the pandas
    report: the same headline sentence on the index."""
    from cxkit.report import run_report

    _, pandas_run = built
    res = run_report("demo", pandas_run.month, tmp_path / "out", progress="quiet", engine="duckdb")
    facts = _check_pages(browser, res.path, "engine-demo")
    text = facts[("index.html", WIDTHS[0])]["text"]
    assert "EngineSurvey" not in text and "duckdb" not in text.lower()
    page, _, _ = _visit(browser, (pandas_run.path / "index.html").as_uri())
    first = page.evaluate("() => document.querySelector('h1, h2').innerText")
    assert first in text
