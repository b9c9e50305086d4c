"""The SQLite store: exact round trips, one transaction per article, migrations applied once."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pipeline.errors import ArticleTooLongError, ExtractionFailedError, StoreError
from pipeline.extract.assemble import assemble
from pipeline.extract.grounding import GroundingIndex
from pipeline.ingest.articles import Article, read_article
from pipeline.settings import Settings
from pipeline.store.db import (
    CacheKey,
    ClaimState,
    InputRef,
    Outcome,
    RunStatus,
    Store,
    process_alive,
    process_started,
)
from pipeline.store.migrations import MIGRATIONS, applied_migrations
from schemas.articles import Publication
from schemas.extraction import ArticleExtraction
from schemas.records import ExtractionResult, LLMCall, PromptRef, Usage
from tests.conftest import SEEDS

SEED = SEEDS / "000_e9e0939858eebc6d.txt"
PROMPT = PromptRef(id="extract", version=1, sha256="ab" * 32)
KEY = CacheKey(model="test-model", prompt=PROMPT, schema_sha256="cd" * 32)
TABLES = {"migrations", "runs", "articles", "run_articles", "extractions", "llm_calls", "actors",
          "mentions", "quotes", "claims", "rejected", "reconciliations", "clusters",
          "cluster_members", "trust_signals", "signal_items", "publications", "pages",
          "chunk_calls", "in_flight", "claim_relations", "reconciled_extractions",
          "cluster_representatives", "cluster_keys", "cluster_parts"}

ANSWER = {
    "actors": [
        {"name": "Antony Blinken", "kind": "person", "title": "US Secretary of State",
         "aliases": ["Blinken", "The Secretary of State"]},
        {"name": "Iran", "kind": "country", "title": "the Islamic Republic",
         "aliases": ["Tehran"]},
        {"name": "North Korea", "kind": "country", "aliases": ["Pyongyang", "DPRK"]},
        {"name": "Vassily Nebenzia", "kind": "person", "title": "Russia's UN envoy"},
    ],
    "quotes": [
        {"text": "There are two immediate and interrelated steps that we must take. First, we "
                 "must address Russia's growing cooperation with North Korea and Iran",
         "speaker": "Blinken", "kind": "direct", "cue": "said"},
        {"text": "We will not back down", "speaker": "Blinken", "kind": "direct"},
        {"text": "Support from Tehran and Pyongyang is helping Putin inflict carnage",
         "speaker": "Vassily Nebenzia", "kind": "direct"},
    ],
    "claims": [
        {"statement": "Iran has supplied combat drones to Russia since 2022.",
         "asserted_by": "Antony Blinken",
         "evidence": "Iran has been supplying combat drones to the Kremlin since 2022"},
        {"statement": "China delivered trains loaded with weapons to Russia.",
         "evidence": "China has delivered trains loaded with weapons and ammunition to Russia"},
    ],
}


def grounded_result(article: Article, *, model: str = "test-model") -> ExtractionResult:
    """A real result: a hand-written answer grounded by the pipeline against a seed article."""
    answer = ArticleExtraction.model_validate(ANSWER)
    out = assemble(answer, GroundingIndex(article.text), article_id=article.article_id)
    call = LLMCall(
        model=model, mode="tools", prompt=PROMPT, input_sha256=article.content_sha256,
        schema_sha256=KEY.schema_sha256,
        request_messages=[{"role": "system", "content": "Be careful."},
                          {"role": "user", "content": article.text}],
        answers=['{"actors": []}', answer.model_dump_json()],
        reask_errors=["quotes[1].text 'We will not back down' is not in the article"],
        transport_retries=1, usage=Usage(prompt_tokens=1234, completion_tokens=321,
                                         total_tokens=1555),
        latency_ms=301.25,
    )
    return ExtractionResult(
        article_id=article.article_id, content_sha256=article.content_sha256, model=model,
        prompt=PROMPT, actors=out.actors, quotes=out.quotes, claims=out.claims,
        rejected=out.rejected, call=call,
    )


@pytest.fixture
def article() -> Article:
    return read_article(SEED)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "test.db") as store:
        yield store


def start(store: Store) -> int:
    return store.start_run(Settings(model="test-model", api_key="sk-secret-value"), KEY,
                           concurrency=4)


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    """Read with a separate plain sqlite3 connection, as any other tool would."""
    with closing(sqlite3.connect(path)) as db:
        return db.execute(sql).fetchall()


def test_the_sample_result_has_every_kind_of_object(article: Article) -> None:
    result = grounded_result(article)
    assert len(result.actors) == 3 and len(result.quotes) == 1 and len(result.claims) == 2
    assert {r.kind.value for r in result.rejected} == {"actor", "title", "quote"}
    assert any(c.asserted_by_id is None for c in result.claims)
    assert any(a.title_span is not None for a in result.actors)


def test_a_stored_result_loads_back_equal(store: Store, article: Article) -> None:
    result = grounded_result(article)
    run_id = start(store)
    extraction_id, outcome = store.record_extraction(
        run_id, article, result, KEY, source=InputRef(SEED, article.article_id)
    )
    assert outcome is Outcome.EXTRACTED
    # The input is recorded as a publication of the text, with what it says (nothing, for a file).
    publication = Publication(article_id=article.article_id, path=str(SEED))
    assert store.load_result(extraction_id) == result.model_copy(
        update={"publications": [publication]})


def test_stored_offsets_point_at_the_stored_text(store: Store, article: Article) -> None:
    run_id = start(store)
    store.record_extraction(run_id, article, grounded_result(article), KEY,
                            source=InputRef(SEED, article.article_id))
    assert isinstance(store.path, Path)
    spans = rows(store.path, """
        SELECT a.text, q.span_start, q.span_end, q.text FROM quotes q
          JOIN extractions e ON e.id = q.extraction_id JOIN articles a USING (content_sha256)
        UNION ALL SELECT a.text, c.span_start, c.span_end, c.evidence FROM claims c
          JOIN extractions e ON e.id = c.extraction_id JOIN articles a USING (content_sha256)
        UNION ALL SELECT a.text, m.span_start, m.span_end, m.text FROM mentions m
          JOIN actors r ON r.id = m.actor JOIN extractions e ON e.id = r.extraction_id
          JOIN articles a USING (content_sha256)""")
    assert len(spans) > 5
    for text, start_, end, stored in spans:
        assert isinstance(text, str) and isinstance(start_, int) and isinstance(end, int)
        assert text[start_:end] == stored


def test_foreign_keys_link_quotes_and_claims_to_their_actors(store: Store,
                                                              article: Article) -> None:
    run_id = start(store)
    store.record_extraction(run_id, article, grounded_result(article), KEY,
                            source=InputRef(SEED, article.article_id))
    assert isinstance(store.path, Path)
    assert rows(store.path, "SELECT a.name FROM quotes q JOIN actors a ON a.id = q.speaker_actor"
                ) == [("Antony Blinken",)]
    assert rows(store.path, """SELECT a.name FROM claims c
                LEFT JOIN actors a ON a.id = c.asserted_by_actor ORDER BY c.position""") == [
        ("Antony Blinken",), (None,)]
    assert rows(store.path, "PRAGMA foreign_key_check") == []


def test_a_failure_half_way_through_an_article_stores_nothing_of_it(
    store: Store, article: Article
) -> None:
    run_id = start(store)
    store.db.execute(
        "CREATE TRIGGER fail_on_claims BEFORE INSERT ON claims BEGIN SELECT RAISE(ABORT, 'disk "
        "on fire'); END"
    )
    with pytest.raises(StoreError, match="disk on fire") as caught:
        store.record_extraction(run_id, article, grounded_result(article), KEY,
                                source=InputRef(SEED, article.article_id))
    assert isinstance(caught.value.__cause__, sqlite3.Error)
    assert isinstance(store.path, Path)
    for table in ("articles", "extractions", "llm_calls", "actors", "mentions", "quotes",
                  "claims", "rejected", "run_articles"):
        assert rows(store.path, f"SELECT count(*) FROM {table}") == [(0,)], table
    assert store.run_counts(run_id) == {"inputs": 0, "extracted": 0, "cached": 0,
                                        "duplicates": 0, "failed": 0}


def test_the_same_key_is_stored_once_even_when_written_twice(store: Store,
                                                              article: Article) -> None:
    run_id = start(store)
    source = InputRef(SEED, article.article_id)
    first, _ = store.record_extraction(run_id, article, grounded_result(article), KEY,
                                       source=source)
    second, outcome = store.record_extraction(run_id, article, grounded_result(article), KEY,
                                              source=source)
    assert (second, outcome) == (first, Outcome.CACHED)
    assert isinstance(store.path, Path)
    assert rows(store.path, "SELECT count(*) FROM extractions") == [(1,)]
    assert store.cached(KEY) == {article.content_sha256: first}


def test_a_different_model_or_prompt_is_not_a_cache_hit(store: Store, article: Article) -> None:
    run_id = start(store)
    store.record_extraction(run_id, article, grounded_result(article), KEY,
                            source=InputRef(SEED, article.article_id))
    assert store.cached(CacheKey("other-model", PROMPT, KEY.schema_sha256)) == {}
    changed_prompt = PROMPT.model_copy(update={"sha256": "ef" * 32})
    assert store.cached(CacheKey(KEY.model, changed_prompt, KEY.schema_sha256)) == {}
    assert store.cached(CacheKey(KEY.model, PROMPT, "00" * 32)) == {}


def test_duplicates_and_failures_are_recorded_with_their_paths(store: Store,
                                                                article: Article) -> None:
    run_id = start(store)
    extraction_id, _ = store.record_extraction(
        run_id, article, grounded_result(article), KEY, source=InputRef(SEED, article.article_id),
        duplicates=[InputRef(Path("copy/same.md"), "same")],
    )
    store.record_failure(run_id, ArticleTooLongError("too long", path=Path("big.txt")),
                         source=InputRef(Path("big.txt"), "big"))
    error = ExtractionFailedError("no valid answer", attempts=3, usage={"total_tokens": 99},
                                  last_output='{"actors": 1}')
    other = Article.from_text("Another article, long enough.", article_id="other")
    store.record_failure(run_id, error, source=InputRef(Path("other.txt"), "other"),
                         article=other)
    store.finish_run(run_id)
    assert store.paths(article.content_sha256) == sorted([str(SEED), "copy/same.md"])
    assert store.run_counts(run_id) == {"inputs": 4, "extracted": 1, "cached": 0,
                                        "duplicates": 1, "failed": 2}
    assert isinstance(store.path, Path)
    assert rows(store.path, """SELECT path, outcome, extraction_id, error, attempts, total_tokens,
                last_output FROM run_articles ORDER BY id""") == [
        (str(SEED), "extracted", extraction_id, None, None, None, None),
        ("copy/same.md", "duplicate", extraction_id, None, None, None, None),
        ("big.txt", "failed", None, "ArticleTooLongError", None, None, None),
        ("other.txt", "failed", None, "ExtractionFailedError", 3, 99, '{"actors": 1}'),
    ]
    assert rows(store.path, "SELECT status, ended_at IS NOT NULL FROM runs") == [
        (RunStatus.COMPLETED.value, 1)]


def test_a_run_records_its_settings_without_the_key(store: Store) -> None:
    store.start_run(
        Settings(model="m", api_key="sk-secret-value", base_url="http://user:pw@host:8080/v1"),
        KEY, concurrency=3,
    )
    assert isinstance(store.path, Path)
    [(settings, base_url, concurrency)] = rows(store.path,
                                               "SELECT settings, base_url, concurrency FROM runs")
    assert isinstance(settings, str)
    assert "sk-secret-value" not in settings and "pw" not in settings and "api_key" not in settings
    assert base_url == "http://host:8080/v1" and concurrency == 3


def test_articles_are_found_by_id_path_or_hash_prefix(store: Store, article: Article) -> None:
    run_id = start(store)
    store.record_extraction(run_id, article, grounded_result(article), KEY,
                            source=InputRef(SEED, article.article_id),
                            duplicates=[InputRef(Path("b/copy.txt"), "copy")])
    sha = article.content_sha256
    for ref in (article.article_id, "copy", str(SEED), "b/copy.txt", sha[:8], sha.upper()[:12]):
        assert store.resolve(ref) == [sha], ref
    assert store.resolve("nothing") == []
    assert store.resolve(sha[:4]) == []  # too short to be taken as a hash


def test_latest_extractions_picks_the_newest_per_article(store: Store, article: Article) -> None:
    run_id = start(store)
    source = InputRef(SEED, article.article_id)
    store.record_extraction(run_id, article, grounded_result(article), KEY, source=source)
    newer_key = CacheKey("newer-model", PROMPT, KEY.schema_sha256)
    newer, _ = store.record_extraction(run_id, article, grounded_result(article,
                                       model="newer-model"), newer_key, source=source)
    [latest] = store.latest_extractions()
    assert (latest.extraction_id, latest.model) == (newer, "newer-model")
    [chosen] = store.latest_extractions(model="test-model")
    assert chosen.model == "test-model"
    assert [r.model for r in store.results()] == ["newer-model"]
    assert [r.model for r in store.results(model="test-model")] == ["test-model"]


def test_migrations_are_applied_once(tmp_path: Path) -> None:
    path = tmp_path / "twice.db"
    Store(path).close()
    schema = rows(path, "SELECT sql FROM sqlite_master ORDER BY name")
    Store(path).close()
    assert rows(path, "SELECT sql FROM sqlite_master ORDER BY name") == schema
    assert rows(path, "SELECT name FROM migrations") == [(fn.__name__,) for fn in MIGRATIONS]
    assert {name for (name,) in rows(path, "SELECT name FROM sqlite_master WHERE type='table'")
            } == TABLES


def test_a_store_made_before_a_migration_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        applied_migrations(db)
        db.execute("BEGIN")
        MIGRATIONS[0](db)
        db.execute("INSERT INTO migrations VALUES (?, '2026-01-01')", (MIGRATIONS[0].__name__,))
        db.execute("COMMIT")
    Store(path).close()
    assert rows(path, "SELECT name FROM migrations") == [(fn.__name__,) for fn in MIGRATIONS]
    columns = {row[1] for row in rows(path, "PRAGMA table_info(actors)")}
    assert {"title_start", "title_end", "title_match"} <= columns


def test_the_file_is_in_wal_mode(store: Store) -> None:
    assert isinstance(store.path, Path)
    assert rows(store.path, "PRAGMA journal_mode") == [("wal",)]


def test_a_store_written_by_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    Store(path).close()
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("INSERT INTO migrations VALUES ('m999_future', '2030-01-01')")
    with pytest.raises(StoreError, match=r"newer newsextract.*m999_future"):
        Store(path)


def test_a_file_that_is_not_a_database_gets_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database" * 100)
    with pytest.raises(StoreError, match=r"notes\.db.*newsextract SQLite file"):
        Store(path)


def _age_claims(store: Store, seconds: float) -> None:
    """Make every claim look ``seconds`` old and never renewed, as a hung run leaves it."""
    then = (datetime.now(UTC) - timedelta(seconds=seconds)).isoformat(timespec="milliseconds")
    store.db.execute("UPDATE in_flight SET claimed_at = ?, renewed_at = NULL", (then,))


def test_a_claim_of_a_live_run_that_stopped_renewing_is_taken_over_after_its_lease(
    store: Store, article: Article
) -> None:
    """A hung run (its process alive, its claim never renewed) held its articles forever."""
    hung, other = start(store), start(store)
    sha = article.content_sha256
    assert store.claim(hung, KEY, sha, lease=60) == (ClaimState.CLAIMED, hung)
    _age_claims(store, 30)
    assert store.claim(other, KEY, sha, lease=60) == (ClaimState.HELD, hung)
    _age_claims(store, 90)
    assert store.claim(other, KEY, sha, lease=60) == (ClaimState.CLAIMED, other)
    assert isinstance(store.path, Path)
    [(holder, why)] = rows(store.path, "SELECT run_id, taken_over FROM in_flight")
    assert holder == other and f"from run {hung}" in str(why) and "lease 60 s" in str(why)
    # The outcome says it, and the claim is gone once the result is stored.
    store.record_extraction(other, article, grounded_result(article), KEY,
                            source=InputRef(SEED, article.article_id))
    [(outcome, message)] = rows(store.path, f"SELECT outcome, message FROM run_articles "
                                            f"WHERE run_id = {other}")
    assert outcome == "extracted" and f"taken over from run {hung}" in str(message)
    assert rows(store.path, "SELECT count(*) FROM in_flight") == [(0,)]


def test_a_renewed_claim_holds_however_old_it_is(store: Store, article: Article) -> None:
    working, other = start(store), start(store)
    store.claim(working, KEY, article.content_sha256, lease=60)
    _age_claims(store, 3600)
    store.renew_claims(working)
    assert store.claim(other, KEY, article.content_sha256, lease=60) == (ClaimState.HELD, working)


def test_a_claim_of_a_run_on_another_machine_lapses_with_its_lease(
    store: Store, article: Article
) -> None:
    """Its process cannot be looked at from here: before the lease, it was waited for forever."""
    elsewhere, here = start(store), start(store)
    store.db.execute("UPDATE runs SET host = 'another-machine' WHERE id = ?", (elsewhere,))
    store.claim(elsewhere, KEY, article.content_sha256, lease=60)
    _age_claims(store, 61)
    assert store.claim(here, KEY, article.content_sha256, lease=60) == (ClaimState.CLAIMED, here)
    # Its run is not said to be interrupted: it may yet be running there.
    assert store.query("SELECT status FROM runs WHERE id = ?", (elsewhere,))[0][0] == "running"


@pytest.mark.skipif(process_started(os.getpid()) is None, reason="no /proc: start times unknown")
def test_a_dead_run_whose_pid_was_given_to_another_process_is_not_alive(
    store: Store, article: Article
) -> None:
    """The pid of a killed run may belong to a new process; its start time tells them apart."""
    dead = start(store)
    started = process_started(os.getpid())
    assert started is not None and process_alive(os.getpid(), started)
    store.claim(dead, KEY, article.content_sha256, lease=600)
    store.db.execute("UPDATE runs SET process_started = '1' WHERE id = ?", (dead,))
    assert not process_alive(os.getpid(), "1")
    after = start(store)  # a new run marks the old one interrupted and takes its claims
    assert store.query("SELECT status FROM runs WHERE id = ?", (dead,))[0][0] == "interrupted"
    assert store.claim(after, KEY, article.content_sha256, lease=600) == (ClaimState.CLAIMED,
                                                                          after)
