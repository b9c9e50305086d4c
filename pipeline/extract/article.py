"""One article in, validated and grounded actors, quotes and claims out."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from pipeline.extract.assemble import ReaskOnceForUngrounded, assemble
from pipeline.extract.grounding import GroundingIndex
from pipeline.extract.llm import CallTrace, LLMClient
from pipeline.extract.prompting import Prompt, load_prompt
from pipeline.extract.versions import (
    CODEBOOK_NAME,
    EXTRACT_TASK,
    asks_for_events,
    response_model,
    response_schema_sha256,
)
from pipeline.ingest.articles import Article
from pipeline.settings import Settings
from schemas.extraction import ArticleExtraction, active_grounding_check
from schemas.records import ExtractionResult, LLMCall

logger = logging.getLogger(__name__)


@contextmanager
def _grounding_checked_against(
    index: GroundingIndex, trace: CallTrace, *, max_reasks: int
) -> Iterator[None]:
    """While the model answers, the validators re-ask once for text the article does not print
    (``trace`` counts the answers, so that the last one is never sent back)."""
    check = ReaskOnceForUngrounded(index, is_last_attempt=lambda: len(trace.answers) > max_reasks)
    token = active_grounding_check.set(check)
    try:
        yield
    finally:
        active_grounding_check.reset(token)


@dataclass(frozen=True)
class Extractor:
    """A configured model and prompt, reused across articles (one connection pool, one prompt)."""

    settings: Settings
    client: LLMClient
    prompt: Prompt

    @classmethod
    def from_settings(
        cls, settings: Settings | None = None, *, client: LLMClient | None = None
    ) -> Extractor:
        """Settings default to the environment (OPENAI_BASE_URL, NEWSEXTRACT_MODEL, ...)."""
        settings = settings or Settings()
        prompt = load_prompt(
            EXTRACT_TASK, settings.prompt_version, prompts_dir=settings.prompts_dir
        )
        return cls(settings=settings, client=client or LLMClient(settings), prompt=prompt)

    @property
    def response_model(self) -> type[ArticleExtraction]:
        """The schema this prompt version is answered in."""
        return response_model(self.prompt.ref.version)

    def _prepare(
        self, text: str, article_id: str | None
    ) -> tuple[Article, list[dict[str, str]], GroundingIndex]:
        article = Article.from_text(
            text, article_id=article_id, max_chars=self.settings.max_article_chars
        )
        messages = self.prompt.render(article=article.text, article_id=article.article_id)
        return article, messages, GroundingIndex(article.text)

    def extract(self, text: str, *, article_id: str | None = None) -> ExtractionResult:
        article, messages, index = self._prepare(text, article_id)
        trace = CallTrace()
        with _grounding_checked_against(index, trace, max_reasks=self.settings.max_reasks):
            answer, trace = self.client.structured(messages, self.response_model, trace=trace)
        return self._result(article, messages, index, answer, trace)

    async def aextract(self, text: str, *, article_id: str | None = None) -> ExtractionResult:
        article, messages, index = self._prepare(text, article_id)
        trace = CallTrace()
        with _grounding_checked_against(index, trace, max_reasks=self.settings.max_reasks):
            answer, trace = await self.client.astructured(
                messages, self.response_model, trace=trace
            )
        return self._result(article, messages, index, answer, trace)

    def _result(
        self,
        article: Article,
        messages: list[dict[str, str]],
        index: GroundingIndex,
        answer: ArticleExtraction,
        trace: CallTrace,
    ) -> ExtractionResult:
        codebook = CODEBOOK_NAME if asks_for_events(self.prompt.ref.version) else None
        grounded = assemble(answer, index, article_id=article.article_id, codebook=codebook)
        logger.info(
            "%s: %d actors, %d quotes, %d claims grounded; %d rejected; %d answers",
            article.article_id,
            len(grounded.actors),
            len(grounded.quotes),
            len(grounded.claims),
            len(grounded.rejected),
            len(trace.answers),
        )
        call = LLMCall(
            model=self.settings.model,
            mode=self.settings.mode.value,
            prompt=self.prompt.ref,
            input_sha256=article.content_sha256,
            schema_sha256=response_schema_sha256(self.prompt.ref.version),
            request_messages=messages,
            answers=trace.answers,
            reask_errors=trace.reask_errors,
            transport_retries=trace.transport_retries,
            usage=trace.usage,
            latency_ms=trace.latency_ms,
        )
        return ExtractionResult(
            article_id=article.article_id,
            content_sha256=article.content_sha256,
            model=self.settings.model,
            prompt=self.prompt.ref,
            actors=grounded.actors,
            quotes=grounded.quotes,
            claims=grounded.claims,
            rejected=grounded.rejected,
            call=call,
        )


def extract_article(
    text: str,
    *,
    article_id: str | None = None,
    settings: Settings | None = None,
    extractor: Extractor | None = None,
) -> ExtractionResult:
    """Grounded actors, quotes and claims of one article's text.

    Uses the endpoint configured by ``settings`` (default: the environment). Pass an ``Extractor``
    to reuse one client and prompt across many calls.
    """
    extractor = extractor or Extractor.from_settings(settings)
    return extractor.extract(text, article_id=article_id)


async def extract_article_async(
    text: str,
    *,
    article_id: str | None = None,
    settings: Settings | None = None,
    extractor: Extractor | None = None,
) -> ExtractionResult:
    """``extract_article`` for asyncio code (a running event loop, many articles at once)."""
    extractor = extractor or Extractor.from_settings(settings)
    return await extractor.aextract(text, article_id=article_id)
