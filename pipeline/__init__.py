"""newsextract: news articles in, validated and source-grounded actors, quotes and claims out.

Every public name is listed in ``__all__`` and imported on first use (PEP 562), so that
``import pipeline`` and the CLI start fast: openai, instructor and Splink load only when needed.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# Where each public name lives; `__all__` is this table's keys.
_EXPORTS: dict[str, str] = {
    "AnnotationError": "pipeline.errors",
    "Article": "pipeline.articles",
    "ArticleError": "pipeline.errors",
    "ArticleOutcome": "pipeline.corpus",
    "ArticleScore": "pipeline.evaluate",
    "ConfigurationError": "pipeline.errors",
    "CorpusReport": "pipeline.corpus",
    "CorpusScore": "pipeline.evaluate",
    "ExtractionFailedError": "pipeline.errors",
    "ExtractionResult": "schemas.records",
    "Extractor": "pipeline.extract",
    "GroundingIndex": "pipeline.grounding",
    "LLMClient": "pipeline.llm",
    "LLMError": "pipeline.errors",
    "MatchKind": "schemas.records",
    "NewsExtractError": "pipeline.errors",
    "Outcome": "pipeline.store",
    "PromptError": "pipeline.errors",
    "ReconcileError": "pipeline.errors",
    "RetryPolicy": "pipeline.llm",
    "Settings": "pipeline.settings",
    "Span": "schemas.records",
    "Store": "pipeline.store",
    "StoreError": "pipeline.errors",
    "StructuredMode": "pipeline.settings",
    "TransportError": "pipeline.errors",
    "cluster_claims": "pipeline.reconcile",
    "cluster_quotes": "pipeline.reconcile",
    "explain_actor": "pipeline.reconcile",
    "extract_article": "pipeline.extract",
    "extract_article_async": "pipeline.extract",
    "extract_corpus": "pipeline.corpus",
    "extract_corpus_async": "pipeline.corpus",
    "load_gold": "pipeline.evaluate",
    "load_gold_dir": "pipeline.evaluate",
    "load_prompt": "pipeline.prompting",
    "locate": "pipeline.grounding",
    "mentions_from_results": "pipeline.reconcile",
    "read_article": "pipeline.articles",
    "reconcile": "pipeline.reconcile",
    "reconcile_actors": "pipeline.reconcile",
    "score_article": "pipeline.evaluate",
    "score_results": "pipeline.evaluate",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:
    from pipeline.articles import Article, read_article
    from pipeline.corpus import (
        ArticleOutcome,
        CorpusReport,
        extract_corpus,
        extract_corpus_async,
    )
    from pipeline.errors import (
        AnnotationError,
        ArticleError,
        ConfigurationError,
        ExtractionFailedError,
        LLMError,
        NewsExtractError,
        PromptError,
        ReconcileError,
        StoreError,
        TransportError,
    )
    from pipeline.evaluate import (
        ArticleScore,
        CorpusScore,
        load_gold,
        load_gold_dir,
        score_article,
        score_results,
    )
    from pipeline.extract import Extractor, extract_article, extract_article_async
    from pipeline.grounding import GroundingIndex, locate
    from pipeline.llm import LLMClient, RetryPolicy
    from pipeline.prompting import load_prompt
    from pipeline.reconcile import (
        cluster_claims,
        cluster_quotes,
        explain_actor,
        mentions_from_results,
        reconcile,
        reconcile_actors,
    )
    from pipeline.settings import Settings, StructuredMode
    from pipeline.store import Outcome, Store
    from schemas.records import ExtractionResult, MatchKind, Span
