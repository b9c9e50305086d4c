"""Many articles in, results out: bounded concurrent requests, the store as cache, resume by design.

A result is reused when the store holds one under the same key: (article content hash, model,
prompt id + version + file hash, response-schema hash). The article's name is not part of the key,
so the same text under two names is sent once. Each article is stored in its own transaction as
soon as its answer arrives; a run killed half way leaves only whole articles behind, and the next
run finds them in the cache and sends the rest.
"""

from __future__ import annotations

import asyncio
import dataclasses
import fnmatch
import logging
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pipeline.audit.signals import ensure_signals, trust_signals
from pipeline.errors import (
    ArticleError,
    ArticleTooLongError,
    ConfigurationError,
    EndpointDownError,
    LLMError,
    NewsExtractError,
    StoreError,
    TransportError,
)
from pipeline.extract.pacing import SharedPause, pausing_http_client
from pipeline.extract.prompting import load_prompt
from pipeline.extract.versions import EXTRACT_TASK, response_schema_sha256
from pipeline.ingest.articles import ARTICLE_SUFFIXES, Article, read_article
from pipeline.ingest.feeds import is_feed, read_feed
from pipeline.settings import Settings
from pipeline.store.db import CacheKey, ClaimState, InputRef, Outcome, RunStatus, Store
from pipeline.store.signals import SignalSummary, run_signal_summary, save_signals
from schemas.records import ExtractionResult, Usage

if TYPE_CHECKING:  # loaded when a run has articles to send, not for a cached re-run
    import openai

    from pipeline.extract.article import Extractor

logger = logging.getLogger(__name__)

DEFAULT_DB = Path("newsextract.db")
DEFAULT_CONCURRENCY = 8
REFUSALS_BEFORE_STOPPING = 3
# How often a run waiting for an article another run is extracting looks at the store again.
CLAIM_POLL_S = 0.2
# Documentation that sits among articles (seeds/gold/README.md) is not an article.
DEFAULT_EXCLUDE: tuple[str, ...] = ("readme*",)

# Texts by article id, or files, folders and feeds, or ``Article`` objects (with their metadata).
Sources = Mapping[str, str] | Iterable[str | os.PathLike[str] | Article]


@dataclass(frozen=True)
class ArticleOutcome:
    """What became of one input."""

    source: InputRef
    outcome: Outcome
    content_sha256: str | None = None
    extraction_id: int | None = None
    result: ExtractionResult | None = None
    error: Exception | None = None
    duplicate_of: InputRef | None = None
    sent_to_model: bool = False
    usage: Usage | None = None  # as billed, for an input this run sent to the model

    @property
    def message(self) -> str:
        """Why it failed, or whose duplicate it is; without the input's name in front."""
        if self.error is not None:
            return str(self.error).removeprefix(f"{self.source.label}: ")
        if self.duplicate_of is not None:
            return f"same content as {self.duplicate_of.label}"
        return ""


@dataclass
class CorpusReport:
    """A finished run: one outcome per input, in input order."""

    run_id: int
    outcomes: list[ArticleOutcome]
    elapsed_s: float
    rate_limit_pauses: int = 0
    signals: SignalSummary | None = None  # the trust signals of the run's articles, added up

    def count(self, outcome: Outcome) -> int:
        return sum(1 for item in self.outcomes if item.outcome is outcome)

    @property
    def results(self) -> list[ExtractionResult]:
        """Every result, duplicates and cache hits included (when results were collected)."""
        return [item.result for item in self.outcomes if item.result is not None]

    @property
    def failures(self) -> list[ArticleOutcome]:
        return [item for item in self.outcomes if item.outcome is Outcome.FAILED]

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def sent(self) -> int:
        """Articles this run sent to the model (cache hits and duplicates cost nothing)."""
        return sum(1 for item in self.outcomes if item.sent_to_model)

    @property
    def usage(self) -> Usage:
        """Tokens this run was billed, failed articles' attempts included."""
        total = Usage()
        for item in self.outcomes:
            if item.usage is not None:
                total = total.plus(item.usage)
        return total

    def __repr__(self) -> str:
        # Short on purpose: asyncio formats a finished task's result, and 10,000 outcomes is long.
        counts = ", ".join(f"{o.value}={self.count(o)}" for o in Outcome)
        return f"CorpusReport(run_id={self.run_id}, {counts}, elapsed_s={self.elapsed_s:.3f})"


class ProgressListener(Protocol):
    """Told how many inputs there are, then of each one as it is settled."""

    def started(self, total: int) -> None: ...

    def finished(self, outcome: ArticleOutcome) -> None: ...


def discover(paths: Iterable[str | os.PathLike[str]], *,
             exclude: Sequence[str] = DEFAULT_EXCLUDE) -> list[Path]:
    """Files named directly (feeds too), and every .txt/.md/.html/.htm under folders
    (recursively, sorted), each once.

    Under folders, hidden files and folders are skipped, and so are files matching an ``exclude``
    glob (on the file name, or on the path under the folder when the pattern has a '/'); a file
    named directly is always taken. Folders that hold no article at all are an ``ArticleError``.
    """
    found: list[Path] = []
    seen: set[str] = set()
    folders: list[Path] = []
    for given in paths:
        root = Path(given)
        if root.is_dir():
            folders.append(root)
            candidates = sorted(_walk(root, [pattern.lower() for pattern in exclude]))
        elif root.exists():
            candidates = [root]
        else:
            raise ArticleError("no such file or folder", path=root)
        for path in candidates:
            # abspath, not resolve(): no syscall per file; a file reached twice through a link
            # is still sent once, as a duplicate of its content.
            if (key := os.path.abspath(path)) not in seen:
                seen.add(key)
                found.append(path)
    if not found and folders:
        # An empty table and exit status 0 would read as "all done"; nothing was there to do.
        kinds = "/".join(ARTICLE_SUFFIXES)
        raise ArticleError(
            f"no article file ({kinds}) found under it; hidden files and names matching "
            f"{', '.join(exclude) or 'no pattern'} are skipped", path=folders[0])
    return found


def _walk(root: Path, exclude: list[str]) -> Iterator[Path]:
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in files:
            if name.startswith(".") or not name.lower().endswith(ARTICLE_SUFFIXES):
                continue
            path = Path(folder, name)
            relative = path.relative_to(root).as_posix().lower() if exclude else ""
            if not any(fnmatch.fnmatchcase(relative if "/" in pattern else name.lower(), pattern)
                       for pattern in exclude):
                yield path


@dataclass
class _Input:
    index: int
    ref: InputRef
    article: Article | None = None
    error: ArticleError | None = None


@dataclass
class _Job:
    """One content to extract, and the other inputs that share it."""

    primary: _Input
    article: Article
    duplicates: list[_Input] = field(default_factory=list)


def _ref(article: Article, *, path: Path | None) -> InputRef:
    return InputRef(path=path, article_id=article.article_id, line=article.line,
                    publication=article.publication(path=path), html=article.html)


def _read_inputs(sources: Sources, *, max_chars: int, exclude: Sequence[str]) -> list[_Input]:
    """Every input in order, read; a feed is one input a line."""
    inputs: list[_Input] = []

    def add(ref: InputRef, article: Article | None = None,
            error: ArticleError | None = None) -> None:
        inputs.append(_Input(len(inputs), ref, article, error))

    if isinstance(sources, Mapping):
        for article_id, text in sources.items():
            try:
                article = Article.from_text(text, article_id=article_id, max_chars=max_chars)
            except ArticleError as exc:
                add(InputRef(path=None, article_id=article_id), error=exc)
            else:
                add(_ref(article, path=None), article)
        return inputs
    given = list(sources)
    articles = [source for source in given if isinstance(source, Article)]
    paths = [source for source in given if not isinstance(source, Article)]
    for article in articles:
        if max_chars and len(article.text) > max_chars:
            error = ArticleTooLongError(
                f"the article has {len(article.text):,} characters, more than the "
                f"{max_chars:,} allowed", article_id=article.article_id)
            add(InputRef(path=article.path, article_id=article.article_id), error=error)
        else:
            add(_ref(article, path=article.path), article)
    for path in discover(paths, exclude=exclude):
        if is_feed(path):
            try:
                entries = list(read_feed(path, max_chars=max_chars))
            except ArticleError as exc:
                add(InputRef(path=path, article_id=path.stem), error=exc)
                continue
            for entry in entries:
                if entry.article is not None:
                    add(_ref(entry.article, path=path), entry.article)
                else:
                    add(InputRef(path=path, article_id=entry.article_id, line=entry.line),
                        error=entry.error)
            continue
        try:
            article = read_article(path, max_chars=max_chars)
        except ArticleError as exc:
            add(InputRef(path=path, article_id=path.stem), error=exc)
        else:
            add(_ref(article, path=path), article)
    return inputs


class _CorpusRun:
    """The state of one run; ``extract_corpus_async`` is its only user."""

    def __init__(self, store: Store, run_id: int, key: CacheKey, *, collect: bool,
                 progress: ProgressListener | None, give_up_after: int,
                 lease: float) -> None:
        self.store = store
        self.run_id = run_id
        self.key = key
        self.lease = lease
        self.collect = collect
        self.progress = progress
        self.give_up_after = give_up_after
        self.transport_failures_in_a_row = 0
        self.outcomes: dict[int, ArticleOutcome] = {}

    def settle(self, item: _Input, outcome: ArticleOutcome) -> None:
        self.outcomes[item.index] = outcome
        if self.progress is not None:
            self.progress.finished(outcome)

    def plan(self, inputs: list[_Input]) -> list[_Job]:
        """Settle what needs no model (unreadable, cached); group the rest by content."""
        cached = self.store.cached(self.key)
        hits: list[tuple[_Input, str, int]] = []
        jobs: dict[str, _Job] = {}
        for item in inputs:
            if item.article is None:
                assert item.error is not None
                logger.info("%s", item.error)
                self.store.record_failure(self.run_id, item.error, source=item.ref)
                self.settle(item, ArticleOutcome(item.ref, Outcome.FAILED, error=item.error))
            elif (extraction_id := cached.get(item.article.content_sha256)) is not None:
                hits.append((item, item.article.content_sha256, extraction_id))
            elif (job := jobs.get(item.article.content_sha256)) is not None:
                job.duplicates.append(item)
            else:
                jobs[item.article.content_sha256] = _Job(item, item.article)
        self.store.record_cached(self.run_id, [(item.ref, sha, eid) for item, sha, eid in hits])
        # Results stored before the trust signals existed (or by another vocabulary) get them.
        ensure_signals(self.store, sorted({eid for _, _, eid in hits}), load=False)
        loaded: dict[int, ExtractionResult] = {}
        for item, sha, extraction_id in hits:
            result = None
            if self.collect:
                result = loaded.get(extraction_id) or self.store.load_result(extraction_id)
                loaded[extraction_id] = result
            self.settle(item, ArticleOutcome(item.ref, Outcome.CACHED, content_sha256=sha,
                                             extraction_id=extraction_id, result=result))
        return list(jobs.values())

    def sharing(self, extractor: Extractor, concurrency: int) -> Extractor:
        """The extractor with this run's chunk cache, and slots shared by every call: the
        chunks of a long document go out beside the other articles, never beyond
        ``concurrency`` requests in flight."""
        return dataclasses.replace(
            extractor,
            chunk_cache=extractor.chunk_cache or self.store.chunk_calls(self.key),
            slots=extractor.slots or asyncio.Semaphore(concurrency),
        )

    async def work(self, extractor: Extractor, jobs: list[_Job], concurrency: int) -> None:
        queue = deque(jobs)
        waiting: list[_Job] = []  # held by another live run: looked at again once queue is done

        async def worker() -> None:
            while queue or waiting:
                if not queue:
                    await asyncio.sleep(CLAIM_POLL_S)
                    queue.extend(waiting)
                    waiting.clear()
                    continue
                job = queue.popleft()
                state, holder = self.store.claim(self.run_id, self.key, job.article.content_sha256,
                                                 lease=self.lease)
                if state is ClaimState.CLAIMED:
                    await self.extract(extractor, job)
                elif state is ClaimState.STORED:
                    self.settle_stored_elsewhere(job, holder)
                else:
                    if job not in waiting:
                        logger.info("%s: run %d is extracting it; waiting for its result",
                                    job.primary.ref.label, holder)
                        waiting.append(job)

        async def renew() -> None:
            """Four renewals a lease: only a run that stopped renewing (hung) loses its claims."""
            while True:
                await asyncio.sleep(self.lease / 4)
                try:
                    self.store.renew_claims(self.run_id)
                except StoreError as exc:  # a busy store: the claims hold until the next one
                    logger.warning("could not renew run %d's claims: %s", self.run_id, exc)

        # gather, not a TaskGroup: the first fatal error comes out as itself, not in a group.
        workers = [asyncio.create_task(worker()) for _ in range(min(concurrency, len(jobs)))]
        renewing = asyncio.create_task(renew())
        try:
            await asyncio.gather(*workers)
        finally:
            for task in [*workers, renewing]:
                task.cancel()
            await asyncio.gather(*workers, renewing, return_exceptions=True)

    def settle_stored_elsewhere(self, job: _Job, extraction_id: int) -> None:
        """Another run stored this article after the plan was made: reuse it, pay nothing."""
        sha = job.article.content_sha256
        items = [job.primary, *job.duplicates]
        self.store.record_cached(self.run_id, [(item.ref, sha, extraction_id) for item in items])
        result = self.store.load_result(extraction_id) if self.collect else None
        for item in items:
            self.settle(item, ArticleOutcome(item.ref, Outcome.CACHED, content_sha256=sha,
                                             extraction_id=extraction_id, result=result))

    async def extract(self, extractor: Extractor, job: _Job) -> None:
        article, primary = job.article, job.primary
        sha = article.content_sha256
        try:
            result = await extractor.aextract(article.text, article_id=article.article_id)
        except (ConfigurationError, StoreError):
            raise  # the same for every article: stop the batch rather than fail each one
        except Exception as exc:
            if not isinstance(exc, NewsExtractError):
                logger.exception("%s: unexpected error (a bug in newsextract)", primary.ref.label)
            logger.info("%s: %s", primary.ref.label, exc)
            self.store.record_failure(self.run_id, exc, source=primary.ref, article=article,
                                      duplicates=[d.ref for d in job.duplicates])
            usage = _usage_of(exc)
            for item in [primary, *job.duplicates]:
                self.settle(item, ArticleOutcome(item.ref, Outcome.FAILED, content_sha256=sha,
                                                 error=exc, sent_to_model=item is primary,
                                                 usage=usage if item is primary else None))
            self._give_up_if_the_endpoint_is_down(exc)
            return
        self.transport_failures_in_a_row = 0
        extraction_id, outcome = self.store.record_extraction(
            self.run_id, article, result, self.key, source=primary.ref,
            duplicates=[d.ref for d in job.duplicates],
        )
        result = result.model_copy(update={"publications": self.store.publications(sha)})
        if outcome is Outcome.EXTRACTED:
            # Relative dates in the text count from the day it was first published.
            save_signals(self.store, extraction_id, trust_signals(
                article.text, result, reference_date=result.reference_date))
        kept = result if self.collect else None
        self.settle(primary, ArticleOutcome(primary.ref, outcome, content_sha256=sha,
                                            extraction_id=extraction_id, result=kept,
                                            sent_to_model=True, usage=result.call.usage))
        for item in job.duplicates:
            self.settle(item, ArticleOutcome(item.ref, Outcome.DUPLICATE, content_sha256=sha,
                                             extraction_id=extraction_id, result=kept,
                                             duplicate_of=primary.ref))

    def _give_up_if_the_endpoint_is_down(self, exc: Exception) -> None:
        """Every request already retried with backoff; when article after article still fails
        that way the endpoint is down, and going on would only wait out the same retries for
        each remaining article. Stop: the next run resumes."""
        if not isinstance(exc, TransportError):
            self.transport_failures_in_a_row = 0
            return
        self.transport_failures_in_a_row += 1
        # A refused connection is not a fault that passes: a few in a row prove the endpoint down.
        if isinstance(exc, EndpointDownError) and self.transport_failures_in_a_row >= min(
            REFUSALS_BEFORE_STOPPING, self.give_up_after
        ):
            raise EndpointDownError(
                f"stopped the batch: the endpoint is down ({self.transport_failures_in_a_row} "
                f"articles in a row were refused a connection: {exc}). Articles already stored "
                "are kept; run again to resume", model=exc.model,
            ) from exc
        if self.transport_failures_in_a_row >= self.give_up_after:
            raise TransportError(
                f"stopped the batch: {self.transport_failures_in_a_row} articles in a row failed "
                f"at the endpoint, the last with: {exc}. Articles already stored are kept; run "
                "again to resume", status_code=exc.status_code, model=exc.model,
                attempts=exc.attempts,
            ) from exc


def _usage_of(exc: Exception) -> Usage | None:
    """What a failed article's attempts were billed, when the error carries it."""
    if isinstance(exc, LLMError) and exc.usage:
        return Usage.model_validate(exc.usage)
    return None


async def extract_corpus_async(
    sources: Sources,
    *,
    settings: Settings | None = None,
    db: Store | str | os.PathLike[str] = DEFAULT_DB,
    concurrency: int = DEFAULT_CONCURRENCY,
    extractor: Extractor | None = None,
    progress: ProgressListener | None = None,
    collect_results: bool = True,
    exclude: Sequence[str] = DEFAULT_EXCLUDE,
    client: openai.AsyncOpenAI | None = None,
) -> CorpusReport:
    """Every article of ``sources``, extracted with at most ``concurrency`` requests at a time.

    ``sources`` is either paths (files, or folders searched for .txt/.md; see ``discover`` for
    ``exclude``) or a mapping of article id to text. Results go to ``db`` (a path,
    ``":memory:"``, or an open ``Store``), which is also the cache. A bad input is reported in
    its outcome and the batch goes on; settings that cannot work (no key, a refused key), store
    failures, and an endpoint that fails ``max(3, concurrency)`` articles in a row (after
    retries) stop it with the error. Failed articles are not cached: the next run tries again.
    ``collect_results=False`` keeps memory flat on big corpora: outcomes then carry no results.
    ``client``: the caller's own ``openai.AsyncOpenAI``, used as it is (``Extractor.from_client``);
    the shared pause on 429 then applies only as far as our retries see the 429s.
    """
    if extractor is None and client is not None:
        from pipeline.extract.article import Extractor

        extractor = Extractor.from_client(client, settings=settings)
    if concurrency < 1:
        raise ConfigurationError(f"concurrency must be at least 1, not {concurrency}",
                                 setting="--concurrency")
    settings = extractor.settings if extractor else (settings or Settings())
    prompt = extractor.prompt if extractor else load_prompt(
        EXTRACT_TASK, settings.prompt_version, prompts_dir=settings.prompts_dir
    )
    key = CacheKey(
        model=settings.model,
        prompt=prompt.ref,
        schema_sha256=response_schema_sha256(prompt.ref.version),
    )
    started = time.perf_counter()
    # Before the store opens: a path that does not exist leaves no run behind.
    inputs = _read_inputs(sources, max_chars=settings.max_article_chars, exclude=exclude)
    store = db if isinstance(db, Store) else Store(os.fspath(db))
    run_id = store.start_run(settings, key, concurrency=concurrency)
    run = _CorpusRun(store, run_id, key, collect=collect_results, progress=progress,
                     give_up_after=max(3, concurrency), lease=settings.claim_lease)
    pause = SharedPause(default_wait=settings.retry_initial_wait, max_wait=settings.retry_max_wait)
    status = RunStatus.INTERRUPTED
    signals: SignalSummary | None = None
    try:
        if progress is not None:
            progress.started(len(inputs))
        jobs = run.plan(inputs)
        if jobs:
            if extractor is not None:
                await run.work(run.sharing(extractor, concurrency), jobs, concurrency)
            else:
                # No key for a remote endpoint: say it once, not for every article.
                settings.api_key_value()
                # Built only when there is work: an unchanged re-run opens no connection, and
                # does not even load the openai and instructor clients.
                from pipeline.extract.article import Extractor
                from pipeline.extract.llm import LLMClient

                http_client = pausing_http_client(pause)
                try:
                    llm = LLMClient(settings, async_http_client=http_client)
                    await run.work(run.sharing(Extractor(settings, llm, prompt), concurrency),
                                   jobs, concurrency)
                finally:
                    await http_client.aclose()
        status = RunStatus.COMPLETED
        signals = run_signal_summary(store, run_id)
    finally:
        try:
            store.finish_run(run_id, status=status)
        except StoreError as exc:
            logger.error("could not mark run %d as %s: %s", run_id, status.value, exc)
        if store is not db:
            store.close()
    outcomes = [run.outcomes[index] for index in sorted(run.outcomes)]
    return CorpusReport(run_id=run_id, outcomes=outcomes,
                        elapsed_s=time.perf_counter() - started, rate_limit_pauses=pause.pauses,
                        signals=signals)


def extract_corpus(
    sources: Sources,
    *,
    settings: Settings | None = None,
    db: Store | str | os.PathLike[str] = DEFAULT_DB,
    concurrency: int = DEFAULT_CONCURRENCY,
    extractor: Extractor | None = None,
    progress: ProgressListener | None = None,
    collect_results: bool = True,
    exclude: Sequence[str] = DEFAULT_EXCLUDE,
    client: openai.AsyncOpenAI | None = None,
) -> CorpusReport:
    """``extract_corpus_async`` for code without an event loop (scripts, notebooks' threads)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(extract_corpus_async(
            sources, settings=settings, db=db, concurrency=concurrency, extractor=extractor,
            progress=progress, collect_results=collect_results, exclude=exclude, client=client,
        ))
    raise RuntimeError("extract_corpus() was called inside a running event loop; "
                       "use 'await extract_corpus_async(...)' there")
