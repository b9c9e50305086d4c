"""Every error newsextract raises on purpose, in one tree.

    NewsExtractError
    ├── ConfigurationError       settings that cannot work (no key for a remote endpoint, bad mode)
    ├── ArticleError             an input file or text that cannot be read as an article
    │   ├── EmptyArticleError
    │   ├── BinaryArticleError
    │   ├── UndecodableArticleError
    │   └── ArticleTooLongError
    ├── PromptError              a prompt file that is missing or malformed
    ├── AnnotationError          a seed annotation file that is malformed
    ├── LLMError                 the model could not give a usable answer
    │   ├── TransportError       the endpoint failed and retries were spent
    │   │   └── EndpointDownError  nothing listens at the endpoint (connection refused)
    │   ├── AnswerTooLargeError  an answer over Settings.max_answer_chars, refused unstored
    │   └── ExtractionFailedError  answers kept failing validation after every re-ask
    │       └── OutputTruncatedError  the answer was cut off at max_tokens (finish_reason length)
    ├── StoreError               the SQLite store refused an operation
    ├── ReconcileError           a knowledge or linkage file that is malformed, or no such actor
    ├── AuditError               a trust-signal vocabulary file that is malformed
    └── ReportError              nothing to report yet (no results, not reconciled), bad --out

Dependencies' exceptions (openai, instructor, sqlite3) are translated once, where they are caught,
with ``raise ... from exc``; the CLI prints any ``NewsExtractError`` without a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class NewsExtractError(Exception):
    """Base of every error raised on purpose by newsextract."""


class ConfigurationError(NewsExtractError):
    """Settings that cannot work, with the setting to change."""

    def __init__(self, message: str, *, setting: str | None = None) -> None:
        super().__init__(message)
        self.setting = setting


class ArticleError(NewsExtractError):
    """An input that cannot be read as an article; names the file (and the feed's line)."""

    def __init__(self, message: str, *, path: Path | None = None, article_id: str | None = None,
                 line: int | None = None):
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        else:
            where = f"{article_id}: " if article_id else ""
        super().__init__(f"{where}{message}")
        self.path = path
        self.article_id = article_id
        self.line = line


class EmptyArticleError(ArticleError):
    """The file or text holds no visible characters."""


class BinaryArticleError(ArticleError):
    """The file looks like binary data (NUL bytes), not text."""


class UndecodableArticleError(ArticleError):
    """The bytes are not valid UTF-8."""


class ArticleTooLongError(ArticleError):
    """The article would not fit in the model's context window."""


class PromptError(NewsExtractError):
    """A prompt file that is missing or malformed."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | None = None,
        task: str | None = None,
        prompt_version: int | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.task = task
        self.prompt_version = prompt_version


class AnnotationError(NewsExtractError):
    """A hand-made annotation file that is malformed or does not match its article."""

    def __init__(self, message: str, *, path: Path | None = None) -> None:
        super().__init__(f"{path}: {message}" if path is not None else message)
        self.path = path


class LLMError(NewsExtractError):
    """The model could not give a usable answer; carries what was tried."""

    def __init__(
        self,
        message: str,
        *,
        article_id: str | None = None,
        model: str | None = None,
        prompt_version: int | None = None,
        attempts: int = 0,
        usage: dict[str, int] | None = None,
        last_output: str | None = None,
    ) -> None:
        super().__init__(message)
        self.article_id = article_id
        self.model = model
        self.prompt_version = prompt_version
        self.attempts = attempts
        self.usage = usage or {}
        self.last_output = last_output


class TransportError(LLMError):
    """The endpoint kept failing (connection, timeout, 429, 5xx) until retries were spent."""

    def __init__(self, message: str, *, status_code: int | None = None, **context: Any) -> None:
        super().__init__(message, **context)
        self.status_code = status_code


class EndpointDownError(TransportError):
    """The endpoint refused the connection: no retry, since nothing listens there."""


class AnswerTooLargeError(LLMError):
    """An answer longer than ``Settings.max_answer_chars``: refused, and not stored."""

    def __init__(self, message: str, *, size: int, **context: Any) -> None:
        super().__init__(message, **context)
        self.size = size


class ExtractionFailedError(LLMError):
    """Every answer failed validation, re-asks included."""


class OutputTruncatedError(ExtractionFailedError):
    """The answer stopped at the output limit: the text held more than one answer can list."""


class StoreError(NewsExtractError):
    """The SQLite store refused an operation."""

    def __init__(self, message: str, *, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class ReconcileError(NewsExtractError):
    """Reconciliation cannot run as configured (a malformed data file) or finds no such actor."""

    def __init__(self, message: str, *, path: Path | None = None) -> None:
        super().__init__(f"{path}: {message}" if path is not None else message)
        self.path = path


class AuditError(NewsExtractError):
    """The trust-signal rules cannot run: their vocabulary file is missing or malformed."""

    def __init__(self, message: str, *, path: Path | None = None) -> None:
        super().__init__(f"{path}: {message}" if path is not None else message)
        self.path = path


class ReportError(NewsExtractError):
    """The HTML report cannot be written: nothing to show yet, or an output folder to keep."""

    def __init__(self, message: str, *, path: Path | str | None = None) -> None:
        super().__init__(message)
        self.path = path
