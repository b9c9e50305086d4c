"""Batch extraction: the store as cache, resume after a kill, duplicates once, bad files reported.

Model answers come from cassettes recorded against tests/reference_server.py (see conftest.py for
how to re-record); the kill test runs that server for real, since a cassette cannot be killed.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import shutil
import signal
import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx2
import pytest

from pipeline.batch.corpus import (
    DEFAULT_EXCLUDE,
    ArticleOutcome,
    discover,
    extract_corpus,
    extract_corpus_async,
)
from pipeline.errors import (
    ArticleError,
    ArticleTooLongError,
    BinaryArticleError,
    ConfigurationError,
    EmptyArticleError,
    EndpointDownError,
    TransportError,
    UndecodableArticleError,
)
from pipeline.extract.article import Extractor
from pipeline.extract.llm import LLMClient
from pipeline.settings import Settings, StructuredMode
from pipeline.store.db import Outcome, Store
from schemas.records import ExtractionResult
from tests.conftest import REFERENCE_MODEL, SEEDS, ModelProfile, seed_paths, settings_for

REFERENCE = ModelProfile(REFERENCE_MODEL, StructuredMode.TOOLS)
SEED = SEEDS / "000_e9e0939858eebc6d.txt"


def settings(**overrides: Any) -> Settings:
    return settings_for(REFERENCE, **overrides)


def copy_seeds(folder: Path, paths: list[Path] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for path in paths or seed_paths():
        shutil.copy(path, folder / path.name)
    return folder


def offline_extractor(**overrides: Any) -> Extractor:
    """An extractor whose every request fails the test: proof that nothing was sent."""
    def refuse(request: httpx2.Request) -> httpx2.Response:
        pytest.fail(f"an LLM request was sent: {request.url}")

    config = settings(**overrides)
    client = httpx2.AsyncClient(transport=httpx2.MockTransport(refuse))
    return Extractor.from_settings(config, client=LLMClient(config, async_http_client=client))


def assert_grounded(result: ExtractionResult, text: str) -> None:
    for quote in result.quotes:
        assert text[quote.span.start:quote.span.end] == quote.text
    for claim in result.claims:
        assert text[claim.span.start:claim.span.end] == claim.evidence
    for actor in result.actors:
        for mention in actor.mentions:
            assert text[mention.span.start:mention.span.end] == mention.text


@pytest.mark.vcr
def test_every_seed_is_extracted_grounded_and_stored(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path / "corpus")
    report = extract_corpus([corpus], settings=settings(), db=tmp_path / "x.db")
    assert [o.outcome for o in report.outcomes] == [Outcome.EXTRACTED] * 5
    assert [r.article_id for r in report.results] == [p.stem for p in seed_paths()]
    for path, result in zip(seed_paths(), report.results, strict=True):
        assert result.quotes and result.actors
        assert_grounded(result, path.read_text(encoding="utf-8"))
    with Store(tmp_path / "x.db") as store:
        stored = store.latest_extractions()
        assert [store.load_result(s.extraction_id) for s in stored] == report.results
        assert store.run_counts(report.run_id)["extracted"] == 5


@pytest.mark.vcr
def test_an_unchanged_rerun_sends_nothing_and_returns_the_same_results(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path / "corpus", [SEED])
    first = extract_corpus([corpus], settings=settings(), db=tmp_path / "x.db")
    again = extract_corpus([corpus], extractor=offline_extractor(), db=tmp_path / "x.db")
    assert [o.outcome for o in again.outcomes] == [Outcome.CACHED]
    assert again.results == first.results


@pytest.mark.vcr
def test_the_same_content_under_two_names_is_extracted_once(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path / "corpus", [SEED])
    (corpus / "nested").mkdir()
    shutil.copy(SEED, corpus / "nested" / "same-story.md")
    report = extract_corpus([corpus], settings=settings(), db=tmp_path / "x.db")
    by_name = {o.source.article_id: o for o in report.outcomes}
    assert by_name[SEED.stem].outcome is Outcome.EXTRACTED
    duplicate = by_name["same-story"]
    assert duplicate.outcome is Outcome.DUPLICATE and not duplicate.sent_to_model
    assert duplicate.duplicate_of == by_name[SEED.stem].source
    assert duplicate.result == by_name[SEED.stem].result
    with Store(tmp_path / "x.db") as store:
        assert len(store.latest_extractions()) == 1
        sha = report.outcomes[0].content_sha256
        assert sha is not None
        assert store.paths(sha) == sorted([str(corpus / SEED.name),
                                           str(corpus / "nested" / "same-story.md")])
        assert store.run_counts(report.run_id) == {"inputs": 2, "extracted": 1, "cached": 0,
                                                   "duplicates": 1, "failed": 0}


@pytest.mark.vcr
def test_each_bad_file_gets_its_message_and_the_batch_goes_on(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path / "corpus", [SEED])
    (corpus / "empty.txt").write_bytes(b"  \n")
    (corpus / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (corpus / "latin1.md").write_bytes("Caf\xe9 cr\xe8me".encode("latin-1"))
    (corpus / "huge.txt").write_text("word " * 1000, encoding="utf-8")
    (corpus / "notes.csv").write_text("not,an,article", encoding="utf-8")  # not picked up
    report = extract_corpus([corpus], settings=settings(max_article_chars=4500),
                            db=tmp_path / "x.db")
    outcomes = {o.source.article_id: o for o in report.outcomes}
    assert set(outcomes) == {SEED.stem, "empty", "photo", "latin1", "huge"}
    assert outcomes[SEED.stem].outcome is Outcome.EXTRACTED
    expected: dict[str, type[ArticleError]] = {
        "empty": EmptyArticleError, "photo": BinaryArticleError,
        "latin1": UndecodableArticleError, "huge": ArticleTooLongError,
    }
    for name, error in expected.items():
        outcome = outcomes[name]
        assert outcome.outcome is Outcome.FAILED and isinstance(outcome.error, error)
        assert outcome.source.path is not None
        assert str(outcome.source.path) in str(outcome.error)  # the message names the file
    assert "more than the 4,500 allowed" in outcomes["huge"].message
    assert not report.ok and len(report.failures) == 4
    with closing(sqlite3.connect(tmp_path / "x.db")) as db:
        assert sorted(db.execute(
            "SELECT article_id, error FROM run_articles WHERE outcome = 'failed'")) == sorted(
            (name, error.__name__) for name, error in expected.items())


def test_discovery_takes_txt_and_md_recursively_and_skips_hidden_readme_and_excluded(
    tmp_path: Path,
) -> None:
    for name in ("b.txt", "a.MD", "sub/c.txt", "sub/deeper/d.md", ".hidden.txt", ".git/e.txt",
                 "README.md", "sub/readme.txt", "notes.csv", "drafts/f.txt", "other/drafts/g.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = discover([tmp_path, tmp_path / "b.txt", tmp_path / "README.md"],
                     exclude=[*DEFAULT_EXCLUDE, "drafts/*"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.MD", "b.txt", "other/drafts/g.txt", "sub/c.txt", "sub/deeper/d.md",
        "README.md",  # named directly: taken
    ]


@pytest.mark.vcr
def test_texts_given_by_code_are_extracted_under_their_ids(tmp_path: Path) -> None:
    texts = {"blinken-un": SEED.read_text(encoding="utf-8"), "blank": "   "}
    report = extract_corpus(texts, settings=settings(), db=":memory:")
    [result] = report.results
    assert result.article_id == "blinken-un"
    assert result.quotes[0].quote_id.startswith("blinken-un/q")
    [failure] = report.failures
    assert failure.source.article_id == "blank" and isinstance(failure.error, EmptyArticleError)


@pytest.mark.vcr
def test_the_async_variant_gives_the_same_result(tmp_path: Path) -> None:
    texts = {SEED.stem: SEED.read_text(encoding="utf-8")}
    report = asyncio.run(extract_corpus_async(texts, settings=settings(), db=":memory:"))
    assert [o.outcome for o in report.outcomes] == [Outcome.EXTRACTED]
    assert_grounded(report.results[0], texts[SEED.stem])


def test_the_sync_call_inside_an_event_loop_points_to_the_async_one() -> None:
    async def inside() -> None:
        extract_corpus({"a": "text"}, settings=settings(), db=":memory:")

    with pytest.raises(RuntimeError, match="extract_corpus_async"):
        asyncio.run(inside())


def test_a_remote_endpoint_without_a_key_stops_before_any_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    config = Settings(base_url="https://api.example.com/v1", model="m", _env_file=None)
    with pytest.raises(ConfigurationError, match="OPENAI_API_KEY"):
        extract_corpus([copy_seeds(tmp_path / "c", [SEED])], settings=config, db=":memory:")


def test_a_path_that_does_not_exist_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match=r"nowhere: no such file or folder"):
        extract_corpus([tmp_path / "nowhere"], settings=settings(), db=":memory:")


def test_at_most_concurrency_requests_are_in_flight(tmp_path: Path) -> None:
    in_flight, peak = 0, 0
    empty: dict[str, list[Any]] = {"actors": [], "quotes": [], "claims": []}

    async def answer(request: httpx2.Request) -> httpx2.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        for _ in range(10):  # let every other worker reach the server before answering
            await asyncio.sleep(0)
        in_flight -= 1
        return httpx2.Response(200, json=_completion(empty))

    config = settings()
    client = LLMClient(config, async_http_client=httpx2.AsyncClient(
        transport=httpx2.MockTransport(answer)))
    texts = {f"a{i}": f"Article number {i} has no actors at all." for i in range(10)}
    report = extract_corpus(texts, extractor=Extractor.from_settings(config, client=client),
                            db=":memory:", concurrency=3)
    assert report.count(Outcome.EXTRACTED) == 10
    assert peak == 3


def test_an_endpoint_that_keeps_failing_stops_the_batch_instead_of_failing_each_article(
    tmp_path: Path,
) -> None:
    sent: list[str] = []

    def down(request: httpx2.Request) -> httpx2.Response:
        sent.append(str(request.url))
        raise httpx2.ConnectError("connection refused", request=request)

    config = settings(max_transport_attempts=1)
    client = LLMClient(config, async_http_client=httpx2.AsyncClient(
        transport=httpx2.MockTransport(down)))
    texts = {f"a{i}": f"Article number {i} is never answered." for i in range(20)}
    with pytest.raises(TransportError, match=r"stopped the batch: 3 articles in a row") as caught:
        extract_corpus(texts, extractor=Extractor.from_settings(config, client=client),
                       db=tmp_path / "x.db", concurrency=2)
    assert isinstance(caught.value.__cause__, TransportError)
    assert 3 <= len(sent) <= 4  # the workers in flight finish; no new article is started
    with closing(sqlite3.connect(tmp_path / "x.db")) as db:
        assert db.execute("SELECT status, failed FROM runs").fetchall() == [
            ("interrupted", len(sent))]


def _completion(answer: dict[str, Any]) -> dict[str, Any]:
    call = {"id": "call_1", "type": "function",
            "function": {"name": "ArticleExtraction", "arguments": json.dumps(answer)}}
    return {"id": "x", "object": "chat.completion", "created": 0, "model": REFERENCE_MODEL,
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": None,
                                     "tool_calls": [call]}}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}


def test_progress_hears_of_every_input(tmp_path: Path) -> None:
    heard: list[ArticleOutcome] = []
    totals: list[int] = []

    class Listener:
        def started(self, total: int) -> None:
            totals.append(total)

        def finished(self, outcome: ArticleOutcome) -> None:
            heard.append(outcome)

    report = extract_corpus({"a": "", "b": " "}, extractor=offline_extractor(), db=":memory:",
                            progress=Listener())
    assert totals == [2] and heard == report.outcomes


# Resume after kill -9: a real server in this process, the batch in a forked child killed with
# SIGKILL. Forked rather than spawned so the child needs no second second-long import of openai;
# it runs the same extract_corpus -> Store path as `newsextract run`.


def _wait_for(condition: Callable[[], bool], what: str, *, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.01)


def _count(db: Path, sql: str) -> int:
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:  # not created or not migrated yet
        return 0


def _run_batch(corpus: Path, db: Path, base_url: str) -> None:
    extract_corpus([corpus], settings=settings(base_url=base_url), db=db, concurrency=2,
                   collect_results=False)


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_a_run_killed_mid_way_is_finished_by_the_next_one_without_duplicates(
    tmp_path: Path,
) -> None:
    import openai.resources  # noqa: F401  imported before the fork, so the child starts at once

    from tests.reference_server import make_server, serve_in_thread

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for copy in range(2):
        for path in seed_paths():
            text = path.read_text(encoding="utf-8")
            (corpus / f"{path.stem}_copy{copy}.txt").write_text(f"{text}\n\n[copy {copy}]",
                                                                encoding="utf-8")
    total = 10
    db = tmp_path / "x.db"
    # Bound before the fork, served after it: no thread of this process is running at the fork.
    server = make_server(latency_ms=100)
    child = multiprocessing.get_context("fork").Process(
        target=_run_batch, args=(corpus, db, server.base_url), daemon=True)
    child.start()
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    serving.start()
    try:
        _wait_for(lambda: _count(db, "SELECT count(*) FROM extractions") >= 2
                  or not child.is_alive(), "two articles stored")
        os.kill(child.pid or 0, signal.SIGKILL)
    finally:
        child.join(timeout=30)
        server.shutdown()
        server.server_close()
        serving.join()
    assert child.exitcode == -signal.SIGKILL
    done = _count(db, "SELECT count(*) FROM extractions")
    assert 2 <= done < total
    # Whole articles only: every stored extraction has its call, its objects and its input row.
    assert _count(db, "SELECT count(*) FROM llm_calls") == done
    assert _count(db, "SELECT count(*) FROM run_articles WHERE outcome = 'extracted'") == done
    assert _count(db, "SELECT count(*) FROM extractions e WHERE NOT EXISTS "
                      "(SELECT 1 FROM quotes q WHERE q.extraction_id = e.id)") == 0
    assert _count(db, "SELECT extracted FROM runs WHERE id = 1") == done
    assert _count(db, "SELECT count(*) FROM runs WHERE status = 'running'") == 1

    with serve_in_thread() as base_url:
        report = extract_corpus([corpus], settings=settings(base_url=base_url), db=db)
    assert report.count(Outcome.CACHED) == done
    assert report.count(Outcome.EXTRACTED) == total - done
    assert _count(db, "SELECT count(*) FROM extractions") == total
    assert _count(db, "SELECT count(DISTINCT content_sha256) FROM extractions") == total
    assert _count(db, "SELECT count(*) FROM llm_calls") == total
    # The killed run is no longer said to be running: the next run found its process gone.
    assert _count(db, "SELECT count(*) FROM runs WHERE id = 1 AND status = 'interrupted'") == 1
    assert _count(db, "SELECT count(*) FROM runs WHERE status = 'running'") == 0
    assert _count(db, "SELECT count(*) FROM in_flight") == 0


def test_two_runs_on_one_store_never_pay_twice_and_every_call_is_accounted(
    tmp_path: Path,
) -> None:
    sent: list[str] = []
    empty: dict[str, list[Any]] = {"actors": [], "quotes": [], "claims": []}

    async def slow_answer(request: httpx2.Request) -> httpx2.Response:
        sent.append(json.loads(request.content)["messages"][-1]["content"][-60:])
        await asyncio.sleep(0.05)
        return httpx2.Response(200, json=_completion(empty))

    texts = {f"a{i}": f"Article number {i} has no actors at all." for i in range(10)}
    db = tmp_path / "x.db"
    Store(db).close()  # migrated once, before the two runs race
    start = threading.Barrier(2)
    reports: list[Any] = []

    def one_run() -> None:
        config = settings()
        client = LLMClient(config, async_http_client=httpx2.AsyncClient(
            transport=httpx2.MockTransport(slow_answer)))
        start.wait()
        reports.append(extract_corpus(texts, extractor=Extractor.from_settings(config,
                                      client=client), db=db, concurrency=2))

    runs = [threading.Thread(target=one_run) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(timeout=60)
    assert len(reports) == 2 and all(report.ok for report in reports)
    assert len(sent) == 10  # not 20
    assert sum(report.count(Outcome.EXTRACTED) for report in reports) == 10
    for report in reports:
        assert report.count(Outcome.EXTRACTED) + report.count(Outcome.CACHED) == 10
    assert _count(db, "SELECT count(*) FROM llm_calls") == 10
    assert _count(db, "SELECT count(*) FROM in_flight") == 0


def test_a_run_renews_its_claims_while_the_model_answers(tmp_path: Path) -> None:
    """A claim not renewed within its lease is taken over by another run, so a run at work must
    renew it: here the answer waits until the store shows the claim renewed."""
    db = tmp_path / "x.db"
    renewed: list[object] = []
    empty: dict[str, list[Any]] = {"actors": [], "quotes": [], "claims": []}

    async def answer_once_renewed(request: httpx2.Request) -> httpx2.Response:
        deadline = time.monotonic() + 30
        while not renewed and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
            with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
                renewed.extend(r[0] for r in conn.execute(
                    "SELECT renewed_at FROM in_flight WHERE renewed_at IS NOT NULL"))
        return httpx2.Response(200, json=_completion(empty))

    config = settings(claim_lease=0.2)
    client = LLMClient(config, async_http_client=httpx2.AsyncClient(
        transport=httpx2.MockTransport(answer_once_renewed)))
    report = extract_corpus({"a1": "An article with no actors at all."},
                            extractor=Extractor.from_settings(config, client=client), db=db)
    assert report.ok and renewed
    assert _count(db, "SELECT count(*) FROM in_flight") == 0


def test_a_refused_connection_stops_the_batch_at_once_saying_the_endpoint_is_down(
    tmp_path: Path,
) -> None:
    sent: list[str] = []

    def nothing_listens(request: httpx2.Request) -> httpx2.Response:
        sent.append(json.loads(request.content)["messages"][-1]["content"])
        error = httpx2.ConnectError("[Errno 111] Connection refused", request=request)
        raise error from ConnectionRefusedError(111, "Connection refused")

    config = settings()  # five tries per request by default: none is spent on a refusal
    client = LLMClient(config, async_http_client=httpx2.AsyncClient(
        transport=httpx2.MockTransport(nothing_listens)))
    texts = {f"a{i}": f"Article number {i} is never answered." for i in range(20)}
    with pytest.raises(EndpointDownError, match="stopped the batch: the endpoint is down"):
        extract_corpus(texts, extractor=Extractor.from_settings(config, client=client),
                       db=tmp_path / "x.db", concurrency=8)
    # One request per article, never retried; the batch stops at the third refusal whatever the
    # concurrency (the workers already in flight finish theirs), not after 20 articles.
    assert len(set(sent)) == len(sent)
    assert 3 <= len(sent) <= 8 + 3
