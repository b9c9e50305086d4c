"""newsextract: news articles in, validated and source-grounded actors, quotes and claims out."""

from pipeline.articles import Article, read_article
from pipeline.errors import (
    ArticleError,
    ConfigurationError,
    ExtractionFailedError,
    LLMError,
    NewsExtractError,
    PromptError,
    TransportError,
)
from pipeline.extract import Extractor, extract_article, extract_article_async
from pipeline.grounding import GroundingIndex, locate
from pipeline.llm import LLMClient, RetryPolicy
from pipeline.prompting import load_prompt
from pipeline.settings import Settings, StructuredMode
from schemas.records import ExtractionResult, MatchKind, Span

__all__ = [
    "Article",
    "ArticleError",
    "ConfigurationError",
    "ExtractionFailedError",
    "ExtractionResult",
    "Extractor",
    "GroundingIndex",
    "LLMClient",
    "LLMError",
    "MatchKind",
    "NewsExtractError",
    "PromptError",
    "RetryPolicy",
    "Settings",
    "Span",
    "StructuredMode",
    "TransportError",
    "extract_article",
    "extract_article_async",
    "load_prompt",
    "locate",
    "read_article",
]
