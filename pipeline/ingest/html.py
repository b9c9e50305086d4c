"""HTML pages to articles: trafilatura finds the main text; the page's metadata fills the rest.

The extracted text is the article (offsets point into it, and it is what the store keeps); the
page itself travels with it as ``Article.html`` and is stored beside it with its hash, so that the
extraction can be repeated. Navigation, scripts, footers, share widgets and comments are left out:
that is trafilatura's job, and it is better at it than anything hand-written here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import trafilatura

from pipeline.errors import EmptyArticleError
from pipeline.ingest.articles import Article

logger = logging.getLogger(__name__)

# Only the dates a page declares (meta tags, structured data): a date guessed from the text
# would become the reference date of everything the article says.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)",
                        re.IGNORECASE)


@dataclass(frozen=True)
class ExtractedPage:
    """A page's main text and the metadata it declares (None where it declares nothing)."""

    text: str
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None
    language: str | None


def extract_page(html: str, *, url: str | None = None) -> ExtractedPage | None:
    """The main text of ``html``, or None when trafilatura finds no article in it."""
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        date_extraction_params=_DATE_PARAMS,
    )
    if document is None:
        return None
    if not isinstance(document, dict):
        document = document.as_dict()
    if not document.get("text"):
        return None
    return ExtractedPage(
        text=str(document["text"]),
        title=document.get("title") or None,
        outlet=document.get("sitename") or None,
        url=document.get("url") or url or None,
        published=document.get("date") or None,
        language=document.get("language") or _declared_language(html),
    )


def _declared_language(html: str) -> str | None:
    """``<html lang="...">``: trafilatura detects languages only with an optional package."""
    found = _HTML_LANG.search(html[:4096])
    return found.group(1) if found else None


def article_from_html(
    html: str,
    *,
    article_id: str | None = None,
    path: Path | None = None,
    max_chars: int | None = None,
    line: int | None = None,
    given: Mapping[str, Any] | None = None,
) -> Article:
    """The article a page carries. ``given`` metadata (a feed's fields) wins over the page's."""
    given = given or {}
    page = extract_page(html, url=given.get("url"))
    if page is None:
        raise EmptyArticleError(
            "trafilatura found no article text in the HTML (an index page, a paywall stub, or "
            "markup without paragraphs?)", path=path, article_id=article_id, line=line,
        )
    found = {"title": page.title, "outlet": page.outlet, "url": page.url,
             "published": page.published, "language": page.language}
    metadata = {name: given.get(name) or value for name, value in found.items()}
    return Article.from_text(
        page.text, article_id=article_id, path=path, max_chars=max_chars, html=html,
        line=line, extra=given.get("extra"), **metadata,
    )
