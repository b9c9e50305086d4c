"""Read articles: decode bytes exactly (offsets count characters of the file), hash, refuse junk."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import (
    ArticleError,
    ArticleTooLongError,
    BinaryArticleError,
    EmptyArticleError,
    UndecodableArticleError,
)

ARTICLE_SUFFIXES = (".txt", ".md")
_BOM = "\ufeff"


@dataclass(frozen=True)
class Article:
    """One article's text as read, untouched: no cleaning, so offsets point into the file."""

    article_id: str
    text: str
    content_sha256: str
    path: Path | None = None

    @classmethod
    def from_text(
        cls,
        text: str,
        *,
        article_id: str | None = None,
        path: Path | None = None,
        max_chars: int | None = None,
    ) -> Article:
        """Check and hash a text; ``article_id`` defaults to the first 16 hex digits of its hash."""
        digest = content_hash(text)
        article_id = article_id or digest[:16]
        if not text.strip():
            raise EmptyArticleError(
                "the article is empty (no visible characters)", path=path, article_id=article_id
            )
        if max_chars is not None and len(text) > max_chars:
            raise ArticleTooLongError(
                f"the article has {len(text):,} characters, more than the {max_chars:,} allowed; "
                "split it, or raise NEWSEXTRACT_MAX_ARTICLE_CHARS if the model's context holds it",
                path=path,
                article_id=article_id,
            )
        return cls(article_id=article_id, text=text, content_sha256=digest, path=path)


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
    """The article in ``path``, its id the file name without suffix."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"cannot read the file: {exc.strerror}", path=path) from exc
    text = decode_article_bytes(data, path=path)
    return Article.from_text(text, article_id=path.stem, path=path, max_chars=max_chars)
