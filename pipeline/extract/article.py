"""One article in, validated and grounded actors, quotes and claims out.

An article longer than ``Settings.chunk_chars`` goes in chunks (``pipeline.ingest.chunks``), each
one call with its own cache key, all in flight at once within the batch's concurrency, merged by
``pipeline.extract.merge``; an answer cut off at the output limit is asked again as two halves.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import AsyncIterator, Coroutine, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from pipeline.errors import OutputTruncatedError
from pipeline.extract.assemble import Assembled, ReaskOnceForUngrounded, assemble
from pipeline.extract.grounding import GroundingIndex, WindowIndex
from pipeline.extract.llm import CallTrace, LLMClient
from pipeline.extract.merge import ChunkAnswer, merge_chunks
from pipeline.extract.prompting import Prompt, load_prompt
from pipeline.extract.versions import (
    CODEBOOK_NAME,
    EXTRACT_TASK,
    asks_for_events,
    response_model,
    response_schema_sha256,
)
from pipeline.ingest.articles import Article, content_hash
from pipeline.ingest.chunks import Chunk, split_in_two, split_text
from pipeline.settings import Settings
from schemas.extraction import ArticleExtraction, active_grounding_check
from schemas.records import ChunkRef, ExtractionResult, LLMCall, Usage

if TYPE_CHECKING:
    import openai

logger = logging.getLogger(__name__)

# A chunk whose answer still overflows at this size is failed rather than halved again.
MIN_CHUNK_CHARS = 300


@contextmanager
def _grounding_checked_against(
    index: GroundingIndex, trace: CallTrace, *, max_reasks: int,
    names: GroundingIndex | None = None,
) -> Iterator[None]:
    """While the model answers, the validators re-ask once for text the article does not print
    (``trace`` counts the answers, so that the last one is never sent back)."""
    check = ReaskOnceForUngrounded(index, is_last_attempt=lambda: len(trace.answers) > max_reasks,
                                   names=names)
    token = active_grounding_check.set(check)
    try:
        yield
    finally:
        active_grounding_check.reset(token)


class ChunkCache(Protocol):
    """Where the call of each chunk is kept under its own key (the store, in a batch), so that a
    long document stopped half way pays only for the chunks it has not had answered."""

    def get(self, input_sha256: str) -> LLMCall | None: ...

    def put(self, call: LLMCall) -> None: ...


@dataclass(frozen=True)
class _ChunkCall:
    answer: ChunkAnswer
    call: LLMCall
    cached: bool


@dataclass(frozen=True)
class Extractor:
    """A configured model and prompt, reused across articles (one connection pool, one prompt)."""

    settings: Settings
    client: LLMClient
    prompt: Prompt
    chunk_cache: ChunkCache | None = None
    # Shared by every call of a batch, chunks included: at most this many requests in flight.
    slots: asyncio.Semaphore | None = None

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

    @classmethod
    def from_client(
        cls,
        client: openai.OpenAI | openai.AsyncOpenAI,
        *,
        model: str | None = None,
        settings: Settings | None = None,
    ) -> Extractor:
        """An extractor that sends through the caller's own client (an ``AzureOpenAI``, a proxy,
        custom auth, an ``http_client`` with corporate certificates), as it is.

        Its base URL, key and headers are used; its own retries are switched off, ours apply
        (``Settings.max_transport_attempts``), and tracing and grounding are as ever. A sync
        ``OpenAI`` serves ``extract``; an ``AsyncOpenAI`` serves ``aextract`` and
        ``extract_corpus``. Parameters follow the client's endpoint (``model_profiles.v1.toml``).
        """
        base = settings or Settings()
        values = base.model_dump(exclude={"base_url", "api_key"})
        values["base_url"] = str(client.base_url)
        if model is not None:
            values["model"] = model
        # Validated again: the endpoint decides the default mode and parameters.
        resolved = Settings(**values)
        return cls.from_settings(resolved, client=LLMClient(resolved, openai_client=client))

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
        if len(article.text) > self.settings.chunk_chars:
            return _run_sync(self._aextract_in_own_loop(text, article_id))
        trace = CallTrace()
        try:
            with _grounding_checked_against(index, trace, max_reasks=self.settings.max_reasks):
                answer, trace = self.client.structured(messages, self.response_model, trace=trace)
        except OutputTruncatedError:
            logger.info("%s: answer cut off at the output limit; asking again in two halves",
                        article.article_id)
            return _run_sync(self._aextract_in_own_loop(text, article_id))
        return self._result(article, messages, index, answer, trace)

    async def aextract(self, text: str, *, article_id: str | None = None) -> ExtractionResult:
        article, messages, index = self._prepare(text, article_id)
        if len(article.text) > self.settings.chunk_chars:
            chunks = split_text(article.text, max_chars=self.settings.chunk_chars,
                                overlap_chars=self.settings.chunk_overlap_chars)
            return await self._extract_chunks(article, index, chunks)
        trace = CallTrace()
        try:
            async with self._slot():
                with _grounding_checked_against(index, trace, max_reasks=self.settings.max_reasks):
                    answer, trace = await self.client.astructured(
                        messages, self.response_model, trace=trace
                    )
        except OutputTruncatedError:
            logger.info("%s: answer cut off at the output limit; asking again in two halves",
                        article.article_id)
            whole = Chunk(0, len(article.text), article.text)
            halves = split_in_two(article.text, whole,
                                  overlap_chars=self.settings.chunk_overlap_chars)
            return await self._extract_chunks(article, index, halves)
        return self._result(article, messages, index, answer, trace)

    async def _aextract_in_own_loop(self, text: str, article_id: str | None) -> ExtractionResult:
        client = self.client.for_new_event_loop()
        try:
            return await dataclasses.replace(self, client=client, slots=None).aextract(
                text, article_id=article_id)
        finally:
            await client.aclose()

    @asynccontextmanager
    async def _slot(self) -> AsyncIterator[None]:
        if self.slots is None:
            yield
            return
        async with self.slots:
            yield

    async def _extract_chunks(
        self, article: Article, index: GroundingIndex, chunks: list[Chunk]
    ) -> ExtractionResult:
        started = time.perf_counter()
        parts = await asyncio.gather(*(self._chunk_calls(article, index, c) for c in chunks))
        calls = [call for part in parts for call in part]
        merge_started = time.process_time()
        grounded = merge_chunks([c.answer for c in calls], article_id=article.article_id,
                                index=index)
        logger.info("%s: %d chunks (%d cached), merged in %.1f ms CPU", article.article_id,
                    len(calls), sum(c.cached for c in calls),
                    (time.process_time() - merge_started) * 1000)
        sent = [c.call for c in calls if not c.cached]
        first = calls[0].call
        call = LLMCall(
            model=self.settings.model,
            mode=self.client.plan.mode.value,
            prompt=self.prompt.ref,
            input_sha256=article.content_sha256,
            schema_sha256=response_schema_sha256(self.prompt.ref.version),
            request_messages=first.request_messages,  # the first chunk's; each is in chunk_calls
            answers=[answer for c in sent for answer in c.answers],
            reask_errors=[error for c in sent for error in c.reask_errors],
            transport_retries=sum(c.transport_retries for c in sent),
            usage=sum((c.usage for c in sent), start=Usage()),
            latency_ms=(time.perf_counter() - started) * 1000,
        )
        return self._record(article, grounded, call, chunks=[
            ChunkRef(start=c.answer.chunk.start, end=c.answer.chunk.end,
                     input_sha256=c.call.input_sha256, cached=c.cached) for c in calls
        ])

    async def _chunk_calls(
        self, article: Article, whole: GroundingIndex, chunk: Chunk
    ) -> list[_ChunkCall]:
        """One chunk's call (from the cache when it holds it), or its halves' when the answer
        was cut off at the output limit."""
        window = WindowIndex(whole, chunk.start, chunk.end)
        key = content_hash(chunk.text)
        cached = self.chunk_cache.get(key) if self.chunk_cache is not None else None
        if cached is not None and cached.answers:
            answer = self.response_model.model_validate_json(cached.answers[-1])
            return [_ChunkCall(ChunkAnswer(chunk, self._assemble(answer, window, whole, article)),
                               cached, cached=True)]
        messages = self.prompt.render(article=chunk.text, article_id=article.article_id)
        trace = CallTrace()
        try:
            async with self._slot():
                with _grounding_checked_against(window, trace, names=whole,
                                                max_reasks=self.settings.max_reasks):
                    answer, trace = await self.client.astructured(
                        messages, self.response_model, trace=trace
                    )
        except OutputTruncatedError:
            if len(chunk) < 2 * MIN_CHUNK_CHARS:
                raise
            logger.info("%s: the answer for characters %d-%d was cut off; asking in two halves",
                        article.article_id, chunk.start, chunk.end)
            halves = split_in_two(article.text, chunk,
                                  overlap_chars=min(self.settings.chunk_overlap_chars,
                                                    len(chunk) // 8))
            parts = await asyncio.gather(*(self._chunk_calls(article, whole, h) for h in halves))
            return [call for part in parts for call in part]
        call = self._traced_call(key, messages, trace)
        if self.chunk_cache is not None:
            self.chunk_cache.put(call)
        assembled = self._assemble(answer, window, whole, article)
        return [_ChunkCall(ChunkAnswer(chunk, assembled), call, cached=False)]

    def _assemble(self, answer: ArticleExtraction, index: GroundingIndex,
                  names: GroundingIndex | None, article: Article) -> Assembled:
        """``names``: the whole document, for a chunk's answer (whose every mention the merge
        finds once)."""
        codebook = CODEBOOK_NAME if asks_for_events(self.prompt.ref.version) else None
        return assemble(answer, index, article_id=article.article_id, codebook=codebook,
                        names=names, every_mention=names is None)

    def _result(
        self,
        article: Article,
        messages: list[dict[str, str]],
        index: GroundingIndex,
        answer: ArticleExtraction,
        trace: CallTrace,
    ) -> ExtractionResult:
        grounded = self._assemble(answer, index, None, article)
        call = self._traced_call(article.content_sha256, messages, trace)
        return self._record(article, grounded, call)

    def _traced_call(
        self, input_sha256: str, messages: list[dict[str, str]], trace: CallTrace
    ) -> LLMCall:
        """The record of one call (a whole article's or one chunk's) as its trace tells it."""
        return LLMCall(
            model=self.settings.model,
            mode=self.client.plan.mode.value,
            prompt=self.prompt.ref,
            input_sha256=input_sha256,
            schema_sha256=response_schema_sha256(self.prompt.ref.version),
            request_messages=messages,
            answers=trace.answers,
            reask_errors=trace.reask_errors,
            transport_retries=trace.transport_retries,
            usage=trace.usage,
            latency_ms=trace.latency_ms,
        )

    def _record(self, article: Article, grounded: Assembled, call: LLMCall, *,
                chunks: list[ChunkRef] | None = None) -> ExtractionResult:
        logger.info(
            "%s: %d actors, %d quotes, %d claims grounded; %d rejected; %d answers",
            article.article_id,
            len(grounded.actors),
            len(grounded.quotes),
            len(grounded.claims),
            len(grounded.rejected),
            len(call.answers),
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
            chunks=chunks or [],
        )


def _run_sync(work: Coroutine[Any, Any, ExtractionResult]) -> ExtractionResult:
    """Chunks go concurrently, through the async client, also for a synchronous caller."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(work)
    work.close()
    raise RuntimeError("Extractor.extract() of a long article was called inside a running event "
                       "loop; use 'await Extractor.aextract(...)' there")


def extract_article(
    text: str,
    *,
    article_id: str | None = None,
    settings: Settings | None = None,
    extractor: Extractor | None = None,
    client: openai.OpenAI | None = None,
) -> ExtractionResult:
    """Grounded actors, quotes and claims of one article's text.

    Uses the endpoint configured by ``settings`` (default: the environment), or the caller's own
    ``openai.OpenAI`` ``client`` (see ``Extractor.from_client``). Pass an ``Extractor`` to reuse
    one client and prompt across many calls.
    """
    if extractor is None and client is not None:
        extractor = Extractor.from_client(client, settings=settings)
    extractor = extractor or Extractor.from_settings(settings)
    return extractor.extract(text, article_id=article_id)


async def extract_article_async(
    text: str,
    *,
    article_id: str | None = None,
    settings: Settings | None = None,
    extractor: Extractor | None = None,
    client: openai.AsyncOpenAI | None = None,
) -> ExtractionResult:
    """``extract_article`` for asyncio code (a running event loop, many articles at once)."""
    if extractor is None and client is not None:
        extractor = Extractor.from_client(client, settings=settings)
    extractor = extractor or Extractor.from_settings(settings)
    return await extractor.aextract(text, article_id=article_id)
