"""Reading articles: exact characters, one hash per content, a clear error per bad file."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import (
    ArticleTooLongError,
    BinaryArticleError,
    EmptyArticleError,
    UndecodableArticleError,
)
from pipeline.ingest.articles import Article, content_hash, read_article
from tests.conftest import seed_paths


@pytest.mark.parametrize("path", seed_paths(), ids=lambda p: p.stem)
def test_seed_files_are_read_character_for_character(path: Path) -> None:
    article = read_article(path)
    assert article.article_id == path.stem
    assert article.text.encode("utf-8") == path.read_bytes()


def test_windows_line_endings_are_kept_so_offsets_match_the_file(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"Line one.\r\nLine two.")
    assert read_article(path).text == "Line one.\r\nLine two."


def test_a_leading_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffText.".encode())
    assert read_article(path).text == "Text."


def test_the_same_content_under_two_names_has_one_hash(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Same words.", encoding="utf-8")
    (tmp_path / "b.md").write_text("Same words.", encoding="utf-8")
    a, b = read_article(tmp_path / "a.txt"), read_article(tmp_path / "b.md")
    assert a.content_sha256 == b.content_sha256 == content_hash("Same words.")
    assert a.article_id != b.article_id


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        pytest.param(b"", EmptyArticleError, "empty", id="empty"),
        pytest.param(b" \n\t\n", EmptyArticleError, "empty", id="whitespace-only"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00", BinaryArticleError, "binary", id="binary"),
        pytest.param(
            b"Caf\xe9 au lait\nline two",
            UndecodableArticleError,
            r"byte 3 \(line 1\) is not valid UTF-8",
            id="latin-1-bytes",
        ),
    ],
)
def test_a_bad_file_gets_an_error_naming_it(
    tmp_path: Path, data: bytes, error: type[Exception], message: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(error, match=message) as caught:
        read_article(path)
    assert str(path) in str(caught.value)


def test_an_article_longer_than_the_limit_is_refused_not_truncated() -> None:
    with pytest.raises(ArticleTooLongError, match="5,000 characters, more than the 1,000"):
        Article.from_text("x" * 5000, article_id="long", max_chars=1000)
