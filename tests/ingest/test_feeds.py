"""Feeds: one article a JSON line or CSV row, metadata kept, bad lines reported by number."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.errors import ArticleError
from pipeline.ingest.articles import Article
from pipeline.ingest.feeds import read_feed
from tests.conftest import SEEDS
from tests.ingest.pages import page_wrapping


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_jsonl_feed_gives_text_metadata_and_unknown_fields(tmp_path: Path) -> None:
    record = {"id": "a1", "text": "Officials met in Vienna on Monday.", "url": "https://x.example/a1",
              "outlet": "Wire", "published": "2024-05-01T09:30:00Z", "title": "Talks",
              "language": "en", "section": "world", "tags": ["diplomacy"]}
    entries = list(read_feed(write_jsonl(tmp_path / "feed.jsonl", [json.dumps(record)])))
    assert [e.error for e in entries] == [None]
    article = entries[0].article
    assert article is not None
    assert (article.article_id, article.text, article.outlet, article.title) == (
        "a1", "Officials met in Vienna on Monday.", "Wire", "Talks")
    assert article.published == "2024-05-01T09:30:00+00:00"
    assert article.extra == {"section": "world", "tags": ["diplomacy"]}
    assert (article.line, article.path) == (1, tmp_path / "feed.jsonl")


def test_each_bad_line_is_reported_with_file_and_line_and_the_rest_goes_on(
    tmp_path: Path
) -> None:
    lines = [
        json.dumps({"id": "ok1", "text": "First good article."}),
        "{not json",
        json.dumps({"id": "no-text", "title": "Only a title"}),
        "",
        json.dumps({"id": "bad-date", "text": "Text.", "published": "last Tuesday"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "ok2", "text": "Second good article."}),
    ]
    feed = write_jsonl(tmp_path / "feed.jsonl", lines)
    entries = list(read_feed(feed))
    assert [e.article.article_id for e in entries if e.article] == ["ok1", "ok2"]
    errors = {e.line: str(e.error) for e in entries if e.error}
    assert sorted(errors) == [2, 3, 5, 6]
    assert errors[2].startswith(f"{feed}:2: not JSON")
    assert "neither 'text' nor 'html'" in errors[3]
    assert "'last Tuesday' is not a date" in errors[5]
    assert "must be a JSON object" in errors[6]


def test_a_csv_with_a_header_is_a_feed_and_its_line_numbers_count_multiline_cells(
    tmp_path: Path
) -> None:
    feed = tmp_path / "export.csv"
    feed.write_text(
        'id,title,text,outlet,published,desk\n'
        'c1,One,"Para one.\n\nPara two.",Wire,2024-05-01,politics\n'
        'c2,Two,,Wire,2024-05-02,world\n'
        'c3,Three,Third text.,Paper,,world\n',
        encoding="utf-8")
    entries = list(read_feed(feed))
    assert [(e.line, e.article_id, e.article is not None) for e in entries] == [
        (2, "c1", True), (5, "c2", False), (6, "c3", True)]
    first = entries[0].article
    assert first is not None
    assert first.text == "Para one.\n\nPara two."
    assert (first.outlet, first.published, first.extra) == ("Wire", "2024-05-01",
                                                           {"desk": "politics"})
    assert entries[2].article is not None and entries[2].article.published is None


def test_a_crawlers_field_names_are_understood(tmp_path: Path) -> None:
    record = {"id": 7, "maintext": "A crawled article.", "date_publish": "2024-05-03 08:00:00",
              "source_domain": "paper.example", "url": "https://paper.example/7"}
    entry = next(read_feed(write_jsonl(tmp_path / "np.jsonl", [json.dumps(record)])))
    assert entry.article is not None
    assert (entry.article.article_id, entry.article.text, entry.article.outlet) == (
        "7", "A crawled article.", "paper.example")
    assert entry.article.published == "2024-05-03T08:00:00"


def test_html_in_a_feed_is_reduced_to_its_main_text(tmp_path: Path) -> None:
    seed = SEEDS / "000_e9e0939858eebc6d.txt"
    record = {"id": "p1", "html": page_wrapping(seed), "outlet": "Feed Outlet"}
    entry = next(read_feed(write_jsonl(tmp_path / "pages.jsonl", [json.dumps(record)])))
    assert entry.article is not None
    assert "Share on Facebook" not in entry.article.text
    assert seed.read_text().split("\n")[1] in entry.article.text
    assert entry.article.outlet == "Feed Outlet"  # the feed's field wins over the page's
    assert entry.article.published == "2024-09-19"  # the page's, where the feed has none


@pytest.mark.parametrize(("value", "expected"), [
    pytest.param("2024-05-01", "2024-05-01", id="a-day-stays-a-day"),
    pytest.param("2024-05-01T09:30:00Z", "2024-05-01T09:30:00+00:00", id="iso-with-zulu"),
    pytest.param("Wed, 01 May 2024 09:30:00 +0200", "2024-05-01T09:30:00+02:00", id="rfc-2822"),
])
def test_publication_dates_are_stored_as_iso_8601(value: str, expected: str) -> None:
    article = Article.from_text("Text.", published=value)
    assert article.published == expected
    assert article.metadata.reference_date is not None
    assert article.metadata.reference_date.isoformat() == expected[:10]


def test_a_date_that_is_no_date_is_refused_naming_it() -> None:
    with pytest.raises(ArticleError, match="'13/13/2024' is not a date"):
        Article.from_text("Text.", article_id="x", published="13/13/2024")
