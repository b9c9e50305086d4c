"""newsextract: news articles in, validated and source-grounded actors, quotes and claims out.

Every public name is listed in ``__all__`` and imported on first use (PEP 562), so that
``import pipeline`` and the CLI start fast: openai, instructor and Splink load only when needed.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# The one list of public names: where each lives. `__all__` is its keys; the imports under
# TYPE_CHECKING below say the same for type checkers, and tests/test_exported_members.py fails
# when the two differ. No name may be that of a subpackage (the reconcile stage exports
# `reconcile_corpus`, not `reconcile`): loading the subpackage would bind the module over it.
_EXPORTS: dict[str, str] = {
    "AnnotationError": "pipeline.errors",
    "Article": "pipeline.ingest.articles",
    "ArticleError": "pipeline.errors",
    "ArticleOutcome": "pipeline.batch.corpus",
    "ArticleScore": "pipeline.evaluate",
    "ConfigurationError": "pipeline.errors",
    "CorpusReport": "pipeline.batch.corpus",
    "CorpusScore": "pipeline.evaluate",
    "ExtractionFailedError": "pipeline.errors",
    "ExtractionResult": "schemas.records",
    "Extractor": "pipeline.extract.article",
    "GroundingIndex": "pipeline.extract.grounding",
    "LLMClient": "pipeline.extract.llm",
    "LLMError": "pipeline.errors",
    "MatchKind": "schemas.records",
    "NewsExtractError": "pipeline.errors",
    "Outcome": "pipeline.store.db",
    "PromptError": "pipeline.errors",
    "Publication": "schemas.articles",
    "ReconcileError": "pipeline.errors",
    "ReportError": "pipeline.errors",
    "RetryPolicy": "pipeline.extract.llm",
    "Settings": "pipeline.settings",
    "Span": "schemas.records",
    "Store": "pipeline.store.db",
    "StoreError": "pipeline.errors",
    "StructuredMode": "pipeline.settings",
    "TransportError": "pipeline.errors",
    "build_report": "pipeline.report.site",
    "cluster_claims": "pipeline.reconcile",
    "cluster_quotes": "pipeline.reconcile",
    "dated_sources": "pipeline.reconcile.sources",
    "explain_actor": "pipeline.reconcile",
    "extract_article": "pipeline.extract.article",
    "extract_article_async": "pipeline.extract.article",
    "extract_corpus": "pipeline.batch.corpus",
    "extract_corpus_async": "pipeline.batch.corpus",
    "load_gold": "pipeline.evaluate",
    "load_gold_dir": "pipeline.evaluate",
    "load_prompt": "pipeline.extract.prompting",
    "locate": "pipeline.extract.grounding",
    "mentions_from_results": "pipeline.reconcile",
    "read_article": "pipeline.ingest.articles",
    "read_feed": "pipeline.ingest.feeds",
    "reconcile_actors": "pipeline.reconcile",
    "reconcile_corpus": "pipeline.reconcile",
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
    from pipeline.batch.corpus import (
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
        ReportError,
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
    from pipeline.extract.article import Extractor, extract_article, extract_article_async
    from pipeline.extract.grounding import GroundingIndex, locate
    from pipeline.extract.llm import LLMClient, RetryPolicy
    from pipeline.extract.prompting import load_prompt
    from pipeline.ingest.articles import Article, read_article
    from pipeline.ingest.feeds import read_feed
    from pipeline.reconcile import (
        cluster_claims,
        cluster_quotes,
        explain_actor,
        mentions_from_results,
        reconcile_actors,
        reconcile_corpus,
    )
    from pipeline.reconcile.sources import dated_sources
    from pipeline.report.site import build_report
    from pipeline.settings import Settings, StructuredMode
    from pipeline.store.db import Outcome, Store
    from schemas.articles import Publication
    from schemas.records import ExtractionResult, MatchKind, Span
