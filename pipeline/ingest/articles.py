"""Read articles: decode bytes exactly (offsets count characters of the file), hash, refuse junk.

An article is its text plus what is known of it (title, outlet, URL, publication date, language,
unknown feed fields); ``.html`` pages are read through ``pipeline.ingest.html``, feeds through
``pipeline.ingest.feeds``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from pipeline.errors import (
    ArticleError,
    ArticleTooLongError,
    BinaryArticleError,
    EmptyArticleError,
    UndecodableArticleError,
)
from schemas.articles import ArticleMetadata, Publication

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
# What a folder is searched for; feeds (.jsonl, .csv) are read only when named.
ARTICLE_SUFFIXES = (*TEXT_SUFFIXES, *HTML_SUFFIXES)
_BOM = "\ufeff"


@dataclass(frozen=True)
class Article:
    """One article's text as read, untouched: no cleaning, so offsets point into the file."""

    article_id: str
    text: str
    content_sha256: str
    path: Path | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None  # ISO 8601, see ``parse_published``
    language: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    html: str | None = None  # the page the text was extracted from, kept for reproducibility
    line: int | None = None  # the feed line it came from

    @classmethod
    def from_text(
        cls,
        text: str,
        *,
        article_id: str | None = None,
        path: Path | None = None,
        max_chars: int | None = None,
        title: str | None = None,
        outlet: str | None = None,
        url: str | None = None,
        published: str | date | None = None,
        language: str | None = None,
        extra: Mapping[str, Any] | None = None,
        html: str | None = None,
        line: int | None = None,
    ) -> Article:
        """Check and hash a text; ``article_id`` defaults to the first 16 hex digits of its hash.

        ``published`` takes ISO 8601 ('2024-05-01', '2024-05-01T09:30:00Z'), RFC 2822 (as RSS
        writes it) or a ``date``/``datetime``; anything else is refused, naming the value.
        """
        digest = content_hash(text)
        article_id = article_id or digest[:16]
        if not text.strip():
            raise EmptyArticleError(
                "the article is empty (no visible characters)", path=path, article_id=article_id,
                line=line,
            )
        if max_chars is not None and len(text) > max_chars:
            raise ArticleTooLongError(
                f"the article has {len(text):,} characters, more than the {max_chars:,} allowed; "
                "is it really one article? raise NEWSEXTRACT_MAX_ARTICLE_CHARS if it is (longer "
                "articles are sent in chunks of NEWSEXTRACT_CHUNK_CHARS)",
                path=path,
                article_id=article_id,
                line=line,
            )
        try:
            published_iso = parse_published(published)
        except ValueError as exc:
            raise ArticleError(str(exc), path=path, article_id=article_id, line=line) from exc
        return cls(
            article_id=article_id, text=text, content_sha256=digest, path=path,
            title=_clean(title), outlet=_clean(outlet), url=_clean(url), published=published_iso,
            language=_clean(language), extra=dict(extra or {}), html=html, line=line,
        )

    @property
    def metadata(self) -> ArticleMetadata:
        return ArticleMetadata(
            title=self.title, outlet=self.outlet, url=self.url, published=self.published,
            language=self.language, extra=dict(self.extra),
            html_sha256=content_hash(self.html) if self.html is not None else None,
        )

    def publication(self, *, article_id: str | None = None,
                    path: Path | None = None) -> Publication:
        """This arrival of the text, under the name and file it came with."""
        where = path if path is not None else self.path
        return Publication(
            article_id=article_id or self.article_id,
            path=str(where) if where is not None else None,
            line=self.line,
            **self.metadata.model_dump(),
        )


def _clean(value: str | None) -> str | None:
    """Blank metadata is no metadata."""
    if value is None:
        return None
    value = " ".join(str(value).split())
    return value or None


def parse_published(value: str | date | None) -> str | None:
    """A publication date as ISO 8601 text: a day stays a day, a time keeps its offset."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            raise ValueError(
                f"published {value!r} is not a date; write ISO 8601 (2024-05-01 or "
                "2024-05-01T09:30:00Z) or RFC 2822 (Wed, 01 May 2024 09:30:00 +0000)"
            ) from None
        return parsed.isoformat()
    if len(text) == 10 and parsed.time() == datetime.min.time() and parsed.tzinfo is None:
        return parsed.date().isoformat()
    return parsed.isoformat()


def content_hash(text: str) -> str:
    """sha256 of the text's UTF-8 bytes: the same article under two names hashes the same."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def decode_article_bytes(data: bytes, *, path: Path | None = None) -> str:
    """UTF-8 strictly (a leading BOM dropped); NUL bytes mean binary, bad bytes are named."""
    if b"\x00" in data[:8192]:
        raise BinaryArticleError("looks like a binary file (NUL bytes), not an article", path=path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UndecodableArticleError(
            f"byte {exc.start} (line {line}) is not valid UTF-8 ({data[exc.start : exc.end]!r}); "
            "convert the file to UTF-8",
            path=path,
        ) from exc
    return text.removeprefix(_BOM)


def read_article(path: Path, *, max_chars: int | None = None) -> Article:
    """The article in ``path``, its id the file name without suffix; an .html/.htm page is
    reduced to its main text (``pipeline.ingest.html``), the page kept beside it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"cannot read the file: {exc.strerror}", path=path) from exc
    text = decode_article_bytes(data, path=path)
    if path.suffix.lower() in HTML_SUFFIXES:
        from pipeline.ingest.html import article_from_html  # loads lxml: only for pages

        return article_from_html(text, article_id=path.stem, path=path, max_chars=max_chars)
    return Article.from_text(text, article_id=path.stem, path=path, max_chars=max_chars)
