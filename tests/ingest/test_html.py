"""HTML pages: the main text is the article, the page's metadata fills title, outlet, date, URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import EmptyArticleError
from pipeline.ingest.articles import content_hash, read_article
from pipeline.ingest.html import article_from_html
from tests.conftest import SEEDS
from tests.ingest.pages import DEBRIS, page_wrapping

SEED = SEEDS / "003_ecadb2b4344d6cd7.txt"


@pytest.fixture
def page_file(tmp_path: Path) -> Path:
    path = tmp_path / "kirby.html"
    path.write_text(page_wrapping(SEED, slug="kirby"), encoding="utf-8")
    return path


def test_navigation_scripts_share_widgets_and_footer_are_not_article_text(page_file: Path) -> None:
    article = read_article(page_file)
    assert not [debris for debris in DEBRIS if debris in article.text]
    # Every paragraph of the seed is there, as printed.
    seed_lines = [line.strip() for line in SEED.read_text().split("\n")[1:] if line.strip()]
    missing = [line for line in seed_lines if line not in article.text]
    assert len(missing) <= 1, missing  # trafilatura may judge one line of share icons debris


def test_title_outlet_date_url_and_language_come_from_the_page(page_file: Path) -> None:
    article = read_article(page_file)
    assert article.title == SEED.read_text().split("\n")[0].strip()
    assert article.outlet == "The Example Courier"
    assert article.url == "https://courier.example/world/2024/09/19/kirby"
    assert article.published == "2024-09-19"
    assert article.language == "en"
    assert article.article_id == "kirby"


def test_the_page_is_kept_beside_the_text_with_its_hash(page_file: Path) -> None:
    article = read_article(page_file)
    page = page_file.read_text(encoding="utf-8")
    assert article.html == page
    assert article.metadata.html_sha256 == content_hash(page)
    assert article.content_sha256 == content_hash(article.text)  # the text, not the page


def test_metadata_given_by_a_feed_wins_over_the_page() -> None:
    article = article_from_html(page_wrapping(SEED), article_id="x",
                                given={"outlet": "Wire Service", "published": "2024-09-20"})
    assert (article.outlet, article.published) == ("Wire Service", "2024-09-20")
    assert article.url == "https://courier.example/world/2024/09/19/story"


def test_a_page_without_article_text_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "index.html"
    path.write_text("<html><head><script>track()</script></head><body></body></html>")
    with pytest.raises(EmptyArticleError, match=r"index\.html: trafilatura found no article"):
        read_article(path)
