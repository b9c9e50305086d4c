"""The report in a real browser: Debian's Chromium, headless, driven by Playwright.

No browser is downloaded: Playwright drives ``/usr/bin/chromium`` (``apt-get install -y
chromium``), one browser for the module, a fresh profile, pages opened from ``file://`` with
every request recorded, and any request that is not ``file://`` refused.
Set NEWSEXTRACT_REPORT_SCREENSHOTS=docs to write the README's screenshots there.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.report.site import build_report
from pipeline.store.db import Store
from schemas.records import Quote

# Read at import: tests/conftest.py clears NEWSEXTRACT_* variables around each test.
CHROMIUM = os.environ.get("NEWSEXTRACT_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = os.environ.get("NEWSEXTRACT_REPORT_SCREENSHOTS")
if not Path(CHROMIUM).is_file():
    pytest.skip(f"no Chromium at {CHROMIUM}: install it with 'apt-get install -y chromium' "
                "(or set NEWSEXTRACT_CHROMIUM to a Chromium binary)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="install the dev extra: pip install -e '.[dev]'")

SEED_000 = "000_e9e0939858eebc6d"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-default-apps", "--disable-extensions"]


class Browser:
    """One Chromium context for the session, and every URL any page asked for."""

    def __init__(self, context: sync_api.BrowserContext) -> None:
        self.context = context
        self.requests: list[str] = []
        context.route("**/*", self._only_files)

    def _only_files(self, route: sync_api.Route) -> None:
        self.requests.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    def open(self, path: Path, *, width: int = 1280) -> sync_api.Page:
        page = self.context.new_page()
        page.set_default_timeout(5000)
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(path.resolve().as_uri())
        return page


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, seed_store: Path,
            hostile_store: Path) -> Iterator[Browser]:
    # One browser for all the browser tests (they are all in this module), closed after them:
    # Playwright's sync API holds an event loop in this thread while it is open, and
    # extract_corpus (the seed store here, the CLI's tests later) refuses to run inside one.
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM,
            headless=True, args=ARGS, service_workers="block")
        try:
            yield Browser(context)
        finally:
            context.close()


@pytest.fixture(scope="module")
def seed_site(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "report"
    build_report(seed_store, out)
    return out


def seed_quotes(seed_store: Path) -> tuple[str, list[Quote]]:
    with Store(seed_store) as store:
        (stored,) = [s for s in store.latest_extractions() if s.article_id == SEED_000]
        return (store.article_text(stored.content_sha256),
                store.load_result(stored.extraction_id).quotes)


def test_every_quote_of_a_seed_is_highlighted_over_its_grounded_text(
        browser: Browser, seed_site: Path, seed_store: Path) -> None:
    text, quotes = seed_quotes(seed_store)
    page = browser.open(seed_site / "articles" / f"{SEED_000}.html")
    assert page.inner_text("#text").replace("\r", "") == text.replace("\r", "")
    for quote in quotes:
        ref = f"obj-q-{quote.span.start}-{quote.span.end}"
        drawn = page.evaluate(
            "ref => Array.from(document.querySelectorAll('#text .hl[data-refs]'))"
            ".filter(el => el.dataset.refs.split(' ').includes(ref))"
            ".map(el => el.textContent).join('')", ref)
        assert drawn == text[quote.span.start:quote.span.end] == quote.text
    page.close()


def test_hovering_or_focusing_a_quote_shows_its_speaker(browser: Browser, seed_site: Path,
                                                       seed_store: Path) -> None:
    _, quotes = seed_quotes(seed_store)
    quote = quotes[0]
    page = browser.open(seed_site / "articles" / f"{SEED_000}.html")
    ref = f"obj-q-{quote.span.start}-{quote.span.end}"
    first = page.locator(f'.hl[tabindex][data-refs~="{ref}"]').first
    assert page.locator("#tip").is_hidden()
    first.hover()
    tip = page.locator("#tip")
    assert tip.is_visible()
    assert quote.speaker in tip.inner_text()
    assert quote.kind.value + " quote" in tip.inner_text()
    page.mouse.move(1270, 5)
    page.keyboard.press("Escape")
    assert tip.is_hidden()
    first.focus()  # what Tab reaches: the first fragment of each object is a tab stop
    assert tip.is_visible() and quote.speaker in tip.inner_text()
    page.close()


def test_an_article_with_script_and_onerror_shows_them_as_text_and_runs_nothing(
        browser: Browser, hostile_store: Path, tmp_path: Path) -> None:
    build_report(hostile_store, tmp_path / "r")
    # Every page that prints the hostile text or names: the article, its actor, quote, claim.
    pages = [path for path in sorted((tmp_path / "r").rglob("*.html"))
             if "__pwned" in path.read_text(encoding="utf-8")]
    dialogs: list[str] = []
    for path in pages:
        page = browser.open(path)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        if path.parent.name == "articles":
            for highlight in page.locator(".hl[tabindex]").all()[:3]:
                highlight.hover()
        assert page.evaluate("typeof window.__pwned") == "undefined", path.name
        assert page.evaluate(
            "document.querySelectorAll('main script, main img, main svg, main b').length") == 0
        page.close()
    article = browser.open(tmp_path / "r" / "articles" / "hostile-script.html")
    assert "<script>window.__pwned = 'script'</script>" in article.inner_text("#text")
    assert "onerror=" in article.inner_text("#text")
    article.close()
    assert dialogs == []


def test_no_request_leaves_the_folder(browser: Browser, seed_site: Path) -> None:
    before = len(browser.requests)
    for path in [seed_site / "index.html", seed_site / "articles" / f"{SEED_000}.html",
                 next((seed_site / "actors").glob("*.html")),
                 next((seed_site / "quotes").glob("*.html")),
                 next((seed_site / "claims").glob("*.html"))]:
        browser.open(path).close()
    asked = browser.requests[before:]
    assert any(url.endswith("assets/report.css") for url in asked)
    assert [url for url in asked if not url.startswith("file://")] == []


def test_a_table_sorts_by_a_column_with_a_click(browser: Browser, seed_site: Path) -> None:
    page = browser.open(seed_site / "index.html")
    table = page.locator("section[aria-labelledby=articles] table")
    n = [h.strip() for h in table.locator("thead th").all_inner_texts()].index("Quotes") + 1
    table.get_by_role("button", name="Quotes", exact=True).click()
    column = [int(v) for v in table.locator(f"tbody td:nth-child({n})").all_inner_texts()]
    assert column == sorted(column) and len(set(column)) > 1
    table.get_by_role("button", name="Quotes", exact=True).click()
    column = [int(v) for v in table.locator(f"tbody td:nth-child({n})").all_inner_texts()]
    assert column == sorted(column, reverse=True)
    page.close()


def test_an_article_page_fits_a_phone_width(browser: Browser, seed_site: Path) -> None:
    page = browser.open(seed_site / "articles" / f"{SEED_000}.html", width=390)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.close()


def test_screenshots_of_the_index_and_an_article(browser: Browser, seed_site: Path,
                                                 tmp_path: Path) -> None:
    folder = Path(SCREENSHOTS or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    index = browser.open(seed_site / "index.html")
    index.screenshot(path=str(folder / "report-index.png"))
    index.close()
    article = browser.open(seed_site / "articles" / f"{SEED_000}.html")
    article.locator(".hl.quote[tabindex]").nth(1).hover()
    article.screenshot(path=str(folder / "report-article.png"))
    article.close()
    for name in ("report-index.png", "report-article.png"):
        data = (folder / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000, name
    if folder == tmp_path:
        shutil.rmtree(folder, ignore_errors=True)
