"""The demo report opened in a real headless browser (Chromium driven by Playwright).

Chromium comes from Debian's packages (`make browser`, run by `make test`); Playwright's own
browser download is not used.  Checks: no console errors, every image loads, every link between
pages resolves; a screenshot of index.html is saved to artifacts/report-index.png.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


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


def _visit(browser, url):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    errors, failed = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(url, wait_until="load")
    return page, errors, failed


def test_every_page_renders_without_errors(built, browser):
    out, result = built
    folder = result.path
    pages = sorted(folder.glob("*.html"))
    assert len(pages) >= 4
    for html in pages:
        page, errors, failed = _visit(browser, html.as_uri())
        assert errors == [], f"{html.name}: console errors {errors}"
        assert failed == [], f"{html.name}: failed requests {failed}"
        broken = page.evaluate("""() => Array.from(document.images)
            .filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 60))""")
        assert broken == [], f"{html.name}: images that did not load {broken}"
        if html.name != "index.html":
            assert page.evaluate("document.images.length") > 0, f"{html.name} shows no charts"
        page.close()


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
