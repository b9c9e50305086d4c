"""Feeds: one article a line of JSON Lines, or a row of a CSV with a header (a spreadsheet export).

Fields: ``id``, ``text`` or ``html``, and optionally ``url``, ``outlet``, ``published``, ``title``,
``language``; the names crawlers use for these (``feed_fields.toml``) are understood too, and every
other field is kept as metadata. A bad line is reported with its file and line number and the feed
goes on: one broken record must not cost the other ten thousand.
"""

from __future__ import annotations

import csv
import json
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.errors import ArticleError
from pipeline.ingest.articles import Article, decode_article_bytes

JSONL_SUFFIXES = (".jsonl", ".ndjson")
CSV_SUFFIXES = (".csv",)
FEED_SUFFIXES = (*JSONL_SUFFIXES, *CSV_SUFFIXES)
KNOWN_FIELDS = ("id", "text", "html", "url", "outlet", "published", "title", "language")
_FIELDS_FILE = Path(__file__).with_name("feed_fields.toml")
_REST = "\0rest"  # where csv puts the cells of a row longer than its header


@dataclass(frozen=True)
class FeedEntry:
    """One line of a feed: its article, or why it could not be read."""

    line: int
    article_id: str | None
    article: Article | None = None
    error: ArticleError | None = None


def is_feed(path: Path) -> bool:
    return path.suffix.lower() in FEED_SUFFIXES


@cache
def field_aliases() -> dict[str, tuple[str, ...]]:
    """Known field -> other names for it, from ``feed_fields.toml``."""
    table = tomllib.loads(_FIELDS_FILE.read_text(encoding="utf-8"))
    return {name: tuple(others) for name, others in table["aliases"].items()}


def read_feed(path: Path, *, max_chars: int | None = None) -> Iterator[FeedEntry]:
    """Every record of the feed, in order; unreadable records as entries with an error."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"cannot read the feed: {exc.strerror}", path=path) from exc
    text = decode_article_bytes(data, path=path)
    records = _csv_records(text, path) if path.suffix.lower() in CSV_SUFFIXES else _jsonl_records(
        text, path
    )
    for line, record in records:
        if isinstance(record, ArticleError):
            yield FeedEntry(line, None, error=record)
            continue
        article_id = _text(record.get("id"))
        try:
            article = article_from_record(record, path=path, line=line, max_chars=max_chars)
        except ArticleError as exc:
            yield FeedEntry(line, article_id, error=exc)
        else:
            yield FeedEntry(line, article.article_id, article=article)


def _jsonl_records(text: str, path: Path) -> Iterator[tuple[int, Mapping[str, Any] | ArticleError]]:
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield line, ArticleError(f"not JSON ({exc.msg} at column {exc.colno})",
                                     path=path, line=line)
            continue
        if not isinstance(record, dict):
            yield line, ArticleError(
                f"a record must be a JSON object, got {type(record).__name__}", path=path, line=line
            )
            continue
        yield line, record


def _csv_records(text: str, path: Path) -> Iterator[tuple[int, Mapping[str, Any] | ArticleError]]:
    reader = csv.DictReader(text.splitlines(keepends=True), restkey=_REST)
    if not reader.fieldnames:
        raise ArticleError("the CSV has no header row (id, text or html, ...)", path=path)
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield line, ArticleError(f"not CSV: {exc}", path=path, line=line)
            line = reader.line_num + 1
            continue
        if _REST in row:
            yield line, ArticleError(
                f"{len(row[_REST])} more cells than the header has columns", path=path, line=line
            )
        else:
            # An empty cell is an absent value, as a spreadsheet means it.
            yield line, {name: value for name, value in row.items() if value not in ("", None)}
        line = reader.line_num + 1


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return str(value).strip() or None
    return None


def article_from_record(
    record: Mapping[str, Any], *, path: Path | None = None, line: int | None = None,
    max_chars: int | None = None,
) -> Article:
    """One feed record as an article; ``html`` goes through trafilatura when there is no text."""
    known: dict[str, Any] = {}
    used: set[str] = set()
    for name in KNOWN_FIELDS:
        for candidate in (name, *field_aliases().get(name, ())):
            if candidate in record and record[candidate] not in (None, ""):
                known[name] = record[candidate]
                used.add(candidate)
                break
    extra = {name: value for name, value in record.items() if name not in used}
    article_id = _text(known.get("id"))
    for name in ("text", "html", "url", "outlet", "published", "title", "language"):
        if name in known and not isinstance(known[name], str):
            raise ArticleError(f"field {name!r} must be a string, got "
                               f"{type(known[name]).__name__}", path=path, line=line,
                               article_id=article_id)
    if "id" in known and article_id is None:
        raise ArticleError("field 'id' must be a string or a number", path=path, line=line)
    if "text" not in known and "html" not in known:
        raise ArticleError("the record has neither 'text' nor 'html'", path=path, line=line,
                           article_id=article_id)
    metadata = {name: known.get(name) for name in ("url", "outlet", "published", "title",
                                                    "language")}
    if "text" in known:
        return Article.from_text(known["text"], article_id=article_id, path=path,
                                 max_chars=max_chars, line=line, extra=extra,
                                 html=known.get("html"), **metadata)
    from pipeline.ingest.html import article_from_html  # loads lxml: only for pages

    return article_from_html(known["html"], article_id=article_id, path=path,
                             max_chars=max_chars, line=line,
                             given={**metadata, "extra": extra})
