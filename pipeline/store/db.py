"""The SQLite store: every run, article, LLM call and grounded object, in plain tables.

The file opens in ``sqlite3``, ``sqlite-utils`` and Datasette as it is: one row per object, foreign
keys declared, JSON kept as TEXT, times as ISO 8601 UTC text, offsets as ``span_start`` (inclusive)
and ``span_end`` (exclusive) character indices into ``articles.text``. WAL mode, so readers (a
Datasette open on the file) never block a run.

    migrations     name, applied_at                      one row per applied migration
    runs           id, status (running|completed|interrupted), started_at, ended_at, model, mode,
                   base_url, prompt_id, prompt_version, prompt_sha256, schema_sha256,
                   concurrency, settings (JSON, no secrets), counts: inputs, extracted, cached,
                   duplicates, failed; pid, host of the process (m007) and process_started,
                   when it started as the system counts it (m010; NULL where unknown). A run
                   killed with -9 stays 'running' until the next run on the file finds its
                   process gone (or its pid held by a process started at another time) and
                   marks it 'interrupted'.
    articles       content_sha256 (PK), article_id, path (first seen), chars, text
    run_articles   what a run did with each input: run_id, path, article_id, content_sha256,
                   outcome (extracted|cached|duplicate|failed), extraction_id; for failures
                   error (class), message, attempts, total_tokens, last_output
    extractions    id, content_sha256 -> articles, article_id, model, prompt_id, prompt_version,
                   prompt_sha256, schema_sha256, run_id -> runs, created_at.
                   UNIQUE (content_sha256, model, prompt_*, schema_sha256): the cache key.
    llm_calls      extraction_id -> extractions (1:1), model, mode, prompt_*, input_sha256,
                   request_messages (JSON), answers (JSON, each as the model wrote it),
                   reask_errors (JSON), attempts, transport_retries, prompt/completion/total
                   tokens, cached_tokens and reasoning_tokens (as billed; m008), latency_ms.
                   The API key is never in a request body; it is not stored.
    actors         id, extraction_id, actor_id ('<article_id>/a<n>'), position, name, kind, title,
                   title_start, title_end, title_match (NULL when no title; m002)
    mentions       id, actor -> actors, position, text, span_start, span_end, span_match
    quotes         id, extraction_id, quote_id, position, speaker_actor -> actors, speaker_id,
                   speaker, kind, cue, text, span_*
    claims         id, extraction_id, claim_id, position, statement, asserted_by_actor -> actors
                   (NULL: the outlet asserts it), asserted_by_id, asserted_by, evidence, span_*
    rejected       id, extraction_id, position, kind, reason, detail, item (JSON)
    publications   every input that carried a text: content_sha256, article_id, path, line (of a
                   feed), title, outlet, url, published (ISO 8601), language, extra (JSON: the
                   feed's other fields), html_sha256 -> pages, seen_at (m006)
    pages          html_sha256, html: the page a text was extracted from, to extract it again
    chunk_calls    the call of one chunk of a long article (LLMCall JSON), under its own cache key
                   (input_sha256 of the chunk, model, prompt_*, schema_sha256); extractions.chunks
                   lists a chunked extraction's chunks (JSON, NULL: one call)
    in_flight      the articles a run is extracting now: cache key, run_id, claimed_at (m007),
                   renewed_at, taken_over (m010). A run claims an article before calling the
                   model, renews its claims while it works and releases each when the result or
                   the failure is stored; another run waits rather than pay twice, until the
                   claim goes a lease without renewal (a hung run, a run on another machine
                   that died) or its run is gone. Then it takes the article over and says so in
                   taken_over, which goes to run_articles.message with the outcome.

One article's extraction, its call, its objects and its ``run_articles`` rows are written in one
transaction: a crash (even ``kill -9``) leaves either all of it or none of it.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pipeline.errors import LLMError, StoreError
from pipeline.extract.parameters import resolved_mode
from pipeline.ingest.articles import Article
from pipeline.settings import Settings
from pipeline.store.migrations import UnknownMigrationsError, migrate
from schemas.articles import Publication
from schemas.records import (
    Actor,
    ChunkRef,
    Claim,
    ClaimEvent,
    ExtractionResult,
    LLMCall,
    Mention,
    PromptRef,
    Quote,
    Rejected,
    Span,
    Usage,
)

logger = logging.getLogger(__name__)

MEMORY = ":memory:"


class Outcome(StrEnum):
    """What a run did with one input."""

    EXTRACTED = "extracted"  # sent to the model, result stored
    CACHED = "cached"  # an earlier run stored a result under the same cache key
    DUPLICATE = "duplicate"  # same content as another input of this run, extracted once
    FAILED = "failed"  # unreadable, refused, or the model gave no usable answer


class ClaimState(StrEnum):
    """What ``Store.claim`` found for one article."""

    CLAIMED = "claimed"  # this run may call the model for it
    STORED = "stored"  # another run stored its result meanwhile: reuse it
    HELD = "held"  # another live run is extracting it now: wait, do not pay twice


def process_started(pid: int) -> str | None:
    """When process ``pid`` of this machine started, in clock ticks since boot (Linux's
    /proc/<pid>/stat, field 22); None where the system does not say or the process is gone.
    A pid is reused once its process is gone: the start time tells the two apart."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()  # the name, in parentheses, may hold spaces
    return fields[19] if len(fields) > 19 else None


def process_alive(pid: int, started: str | None = None) -> bool:
    """Whether a process of this machine still runs (signal 0 checks without sending) and, when
    ``started`` is known, is the one that started then rather than a later one given its pid."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        pass
    if started is None:
        return True
    now = process_started(pid)
    return now is None or now == started


class RunStatus(StrEnum):
    RUNNING = "running"  # also what a run killed with -9 leaves behind
    COMPLETED = "completed"
    INTERRUPTED = "interrupted"  # stopped by an exception or Ctrl-C, ended_at set


@dataclass(frozen=True)
class CacheKey:
    """What decides that an earlier result can be reused; the article's name is not part of it."""

    model: str
    prompt: PromptRef
    schema_sha256: str


@dataclass(frozen=True)
class InputRef:
    """Where an input came from: a file, a feed's line, or a text handed in by code (``path``
    None); with what it says of the article (``publication``) and the page it was extracted from.
    """

    path: Path | None
    article_id: str | None
    line: int | None = None
    publication: Publication | None = field(default=None, compare=False)
    html: str | None = field(default=None, compare=False, repr=False)

    @property
    def label(self) -> str:
        if self.path is not None:
            return f"{self.path}:{self.line}" if self.line is not None else str(self.path)
        return self.article_id or "<text>"


@dataclass(frozen=True)
class StoredExtraction:
    """One extraction row, enough to pick one and load it."""

    extraction_id: int
    article_id: str
    content_sha256: str
    model: str
    prompt_version: int
    created_at: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def redact_url(url: str | None) -> str | None:
    """The URL without a user:password part, the one place a secret could hide in settings."""
    if not url:
        return url
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc))


def public_settings(settings: Settings) -> dict[str, Any]:
    """Settings as stored with a run: everything that shaped the results, no key."""
    values = settings.model_dump(mode="json", exclude={"api_key"})
    values["base_url"] = redact_url(settings.base_url)
    return values


class Store:
    """A newsextract SQLite file, migrated on open. One connection, used from one thread."""

    def __init__(self, path: Path | str = "newsextract.db") -> None:
        self.path = path if path == MEMORY else Path(path)
        try:
            # Autocommit: transactions are explicit (BEGIN IMMEDIATE ... COMMIT), one per article.
            self.db = sqlite3.connect(str(self.path), isolation_level=None)
            self.db.execute("PRAGMA busy_timeout = 10000")
            self.db.execute("PRAGMA foreign_keys = ON")
            if path != MEMORY:
                self.db.execute("PRAGMA journal_mode = WAL")
                # WAL + NORMAL: a killed process loses nothing committed; only power loss could.
                self.db.execute("PRAGMA synchronous = NORMAL")
            migrate(self.db)
        except UnknownMigrationsError as exc:
            raise StoreError(
                f"{self.path} was written by a newer newsextract (migrations {exc}); upgrade",
                path=self._file(),
            ) from exc
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot open the store {self.path}: {exc}; is it a newsextract SQLite file?",
                path=self._file(),
            ) from exc

    def _file(self) -> Path | None:
        return self.path if isinstance(self.path, Path) else None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def transaction(self, what: str) -> Iterator[sqlite3.Connection]:
        """All of ``what`` or none of it; sqlite3's errors leave here as ``StoreError``."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot start writing {what}: {exc}",
                             path=self._file()) from exc
        try:
            yield self.db
            self.db.execute("COMMIT")
        except BaseException as exc:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise StoreError(f"{self.path}: could not store {what}: {exc}",
                                 path=self._file()) from exc
            raise

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        try:
            cursor = self.db.execute(sql, params)
            cursor.row_factory = sqlite3.Row
            return cursor.fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: query failed: {exc}", path=self._file()) from exc

    # Runs

    def start_run(self, settings: Settings, key: CacheKey, *, concurrency: int) -> int:
        """A new run, owned by this process; runs whose process is gone are marked first."""
        with self.transaction("a new run") as db:
            for run_id in self._runs_of_dead_processes(db):
                logger.warning("run %d was killed (its process is gone): marked interrupted",
                               run_id)
                db.execute("UPDATE runs SET status = 'interrupted' WHERE id = ?", (run_id,))
                db.execute("DELETE FROM in_flight WHERE run_id = ?", (run_id,))
            cursor = db.execute(
                """INSERT INTO runs (started_at, model, mode, base_url, prompt_id, prompt_version,
                   prompt_sha256, schema_sha256, concurrency, settings, pid, host,
                   process_started) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (_now(), key.model, resolved_mode(settings).value, redact_url(settings.base_url),
                 key.prompt.id, key.prompt.version, key.prompt.sha256, key.schema_sha256,
                 concurrency, _json(public_settings(settings)), os.getpid(),
                 socket.gethostname(), process_started(os.getpid())),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def _runs_of_dead_processes(self, db: sqlite3.Connection) -> list[int]:
        """Runs left 'running' by a process of this machine that no longer exists (kill -9, a
        crash, power loss; its pid may be another process's now), or by a newsextract too old
        to record its process."""
        host = socket.gethostname()
        return [
            run_id for run_id, pid, run_host, started in db.execute(
                "SELECT id, pid, host, process_started FROM runs WHERE status = 'running'")
            if pid is None or (run_host == host and not process_alive(pid, started))
        ]

    def _run_is_live(self, db: sqlite3.Connection, run_id: int) -> bool:
        """Running, and (on this machine, where it can be told) its process still there."""
        row = db.execute("SELECT status, pid, host, process_started FROM runs WHERE id = ?",
                         (run_id,)).fetchone()
        if row is None or row[0] != RunStatus.RUNNING.value or row[1] is None:
            return False
        return row[2] != socket.gethostname() or process_alive(row[1], row[3])

    def finish_run(self, run_id: int, *, status: RunStatus = RunStatus.COMPLETED) -> None:
        with self.transaction("the end of the run") as db:
            db.execute("UPDATE runs SET status = ?, ended_at = ? WHERE id = ?",
                       (status.value, _now(), run_id))
            db.execute("DELETE FROM in_flight WHERE run_id = ?", (run_id,))

    def claim(
        self, run_id: int, key: CacheKey, content_sha256: str, *, lease: float
    ) -> tuple[ClaimState, int]:
        """Take the article for ``run_id`` before calling the model, in one transaction: STORED
        (with the extraction id) when a result is there already, HELD (with the run holding it)
        when another live run is extracting it, else CLAIMED. A claim is taken over when its
        run ended or its process is gone, or when it went ``lease`` seconds without renewal
        (``renew_claims``): a hung run, or one on another machine, which cannot be asked. Why
        is kept in ``in_flight.taken_over``, and goes to ``run_articles.message``."""
        key_values = (content_sha256, key.model, key.prompt.id, key.prompt.version,
                      key.prompt.sha256, key.schema_sha256)
        with self.transaction("a claim on an article") as db:
            stored = db.execute(
                """SELECT id FROM extractions WHERE content_sha256 = ? AND model = ?
                   AND prompt_id = ? AND prompt_version = ? AND prompt_sha256 = ?
                   AND schema_sha256 = ?""", key_values).fetchone()
            if stored is not None:
                return ClaimState.STORED, int(stored[0])
            holder = db.execute(
                """SELECT run_id, coalesce(renewed_at, claimed_at), taken_over FROM in_flight
                   WHERE content_sha256 = ? AND model = ? AND prompt_id = ? AND prompt_version = ?
                   AND prompt_sha256 = ? AND schema_sha256 = ?""", key_values).fetchone()
            taken_over: str | None = None
            if holder is not None and holder[0] == run_id:
                taken_over = holder[2]
            elif holder is not None:
                silent = (datetime.now(UTC) - datetime.fromisoformat(holder[1])).total_seconds()
                if not self._run_is_live(db, holder[0]):
                    taken_over = f"taken over from run {holder[0]}, which is no longer running"
                elif silent <= lease:
                    return ClaimState.HELD, int(holder[0])
                else:
                    taken_over = (f"taken over from run {holder[0]}, whose claim went "
                                  f"{silent:.0f} s without renewal (lease {lease:g} s)")
                logger.warning("%s: %s", content_sha256[:12], taken_over)
            db.execute(
                """INSERT OR REPLACE INTO in_flight (content_sha256, model, prompt_id,
                   prompt_version, prompt_sha256, schema_sha256, run_id, claimed_at, taken_over)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (*key_values, run_id, _now(), taken_over),
            )
        return ClaimState.CLAIMED, run_id

    def renew_claims(self, run_id: int) -> None:
        """Say that ``run_id`` is still at work on every article it claimed."""
        with self.transaction("the renewal of claims") as db:
            db.execute("UPDATE in_flight SET renewed_at = ? WHERE run_id = ?", (_now(), run_id))

    def _release(self, db: sqlite3.Connection, run_id: int, content_sha256: str) -> None:
        """Drop the claim of ``run_id`` on the article; a takeover is said in its input rows."""
        row = db.execute("SELECT taken_over FROM in_flight WHERE run_id = ? AND content_sha256 = ?",
                         (run_id, content_sha256)).fetchone()
        if row is not None and row[0] is not None:
            db.execute(
                """UPDATE run_articles SET message = coalesce(message || '; ', '') || ?
                   WHERE run_id = ? AND content_sha256 = ? AND outcome != 'duplicate'""",
                (row[0], run_id, content_sha256),
            )
        db.execute("DELETE FROM in_flight WHERE run_id = ? AND content_sha256 = ?",
                   (run_id, content_sha256))

    def run_counts(self, run_id: int) -> dict[str, int]:
        rows = self.query(
            "SELECT inputs, extracted, cached, duplicates, failed FROM runs WHERE id = ?", (run_id,)
        )
        if not rows:
            raise StoreError(f"{self.path}: no run {run_id}", path=self._file())
        return dict(rows[0])

    # Cache

    def cached(self, key: CacheKey) -> dict[str, int]:
        """Ids of the extractions stored under ``key``, by content hash."""
        rows = self.query(
            """SELECT content_sha256, id FROM extractions WHERE model = ? AND prompt_id = ?
               AND prompt_version = ? AND prompt_sha256 = ? AND schema_sha256 = ?""",
            (key.model, key.prompt.id, key.prompt.version, key.prompt.sha256, key.schema_sha256),
        )
        return {row[0]: row[1] for row in rows}

    def chunk_calls(self, key: CacheKey) -> ChunkCalls:
        """The cache of long articles' chunk calls made under ``key``."""
        return ChunkCalls(self, key)

    # Writing

    def record_extraction(
        self,
        run_id: int,
        article: Article,
        result: ExtractionResult,
        key: CacheKey,
        *,
        source: InputRef,
        duplicates: Sequence[InputRef] = (),
    ) -> tuple[int, Outcome]:
        """Store one article's result, its call and the inputs that share its content, at once;
        CACHED when another process stored the same key first."""
        with self.transaction(f"the extraction of {source.label}") as db:
            self._insert_article(db, article, source, duplicates)
            existing = db.execute(
                """SELECT id FROM extractions WHERE content_sha256 = ? AND model = ?
                   AND prompt_id = ? AND prompt_version = ? AND prompt_sha256 = ?
                   AND schema_sha256 = ?""",
                (article.content_sha256, key.model, key.prompt.id, key.prompt.version,
                 key.prompt.sha256, key.schema_sha256),
            ).fetchone()
            if existing is not None:
                # Another process stored it first (its claim was taken over): reuse the stored
                # result, and keep what this call cost beside it, so that every call is counted.
                extraction_id = int(existing[0])
                outcome = Outcome.CACHED
            else:
                extraction_id = _insert_result(db, run_id, result, key)
                outcome = Outcome.EXTRACTED
            self._insert_run_articles(
                db, run_id, [(source, outcome)] + [(d, Outcome.DUPLICATE) for d in duplicates],
                content_sha256=article.content_sha256, extraction_id=extraction_id,
            )
            if existing is not None:
                call = result.call
                db.execute(
                    """UPDATE run_articles SET message = ?, attempts = ?, total_tokens = ?,
                       last_output = ? WHERE run_id = ? AND content_sha256 = ?
                       AND outcome = 'cached'""",
                    ("paid for, but another run stored this article first",
                     len(call.answers), call.usage.total_tokens,
                     call.answers[-1] if call.answers else None,
                     run_id, article.content_sha256),
                )
            self._release(db, run_id, article.content_sha256)
        return extraction_id, outcome

    def record_cached(self, run_id: int, hits: Sequence[tuple[InputRef, str, int]]) -> None:
        """Inputs whose result is already stored: (input, content hash, extraction id)."""
        if not hits:
            return
        now = _now()
        with self.transaction(f"{len(hits)} cached inputs") as db:
            db.executemany(
                """INSERT INTO run_articles (run_id, path, article_id, content_sha256, outcome,
                   extraction_id, recorded_at) VALUES (?, ?, ?, ?, 'cached', ?, ?)""",
                [(run_id, _path(ref), ref.article_id, sha, extraction_id, now)
                 for ref, sha, extraction_id in hits],
            )
            _insert_publications(db, [(ref, sha) for ref, sha, _ in hits])
            _count(db, run_id, inputs=len(hits), cached=len(hits))

    def record_failure(
        self,
        run_id: int,
        error: BaseException,
        *,
        source: InputRef,
        article: Article | None = None,
        duplicates: Sequence[InputRef] = (),
    ) -> None:
        """An input that produced no result, with the error that says why."""
        with self.transaction(f"the failure of {source.label}") as db:
            if article is not None:
                self._insert_article(db, article, source, duplicates)
            llm = error if isinstance(error, LLMError) else None
            for ref in [source, *duplicates]:
                db.execute(
                    """INSERT INTO run_articles (run_id, path, article_id, content_sha256,
                       outcome, error, message, attempts, total_tokens, last_output, recorded_at)
                       VALUES (?, ?, ?, ?, 'failed', ?, ?, ?, ?, ?, ?)""",
                    (run_id, _path(ref), ref.article_id,
                     article.content_sha256 if article else None, type(error).__name__,
                     str(error), llm.attempts if llm else None,
                     llm.usage.get("total_tokens") if llm else None,
                     llm.last_output if llm else None, _now()),
                )
            _count(db, run_id, inputs=1 + len(duplicates), failed=1 + len(duplicates))
            if article is not None:
                self._release(db, run_id, article.content_sha256)

    def _insert_article(self, db: sqlite3.Connection, article: Article, source: InputRef,
                        duplicates: Sequence[InputRef] = ()) -> None:
        db.execute(
            """INSERT OR IGNORE INTO articles (content_sha256, article_id, path, chars, text,
               first_seen_at) VALUES (?, ?, ?, ?, ?, ?)""",
            (article.content_sha256, article.article_id, _path(source), len(article.text),
             article.text, _now()),
        )
        _insert_publications(db, [(ref, article.content_sha256) for ref in [source, *duplicates]])

    def _insert_run_articles(
        self,
        db: sqlite3.Connection,
        run_id: int,
        refs: Sequence[tuple[InputRef, Outcome]],
        *,
        content_sha256: str,
        extraction_id: int,
    ) -> None:
        now = _now()
        db.executemany(
            """INSERT INTO run_articles (run_id, path, article_id, content_sha256, outcome,
               extraction_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)""",
            [(run_id, _path(ref), ref.article_id, content_sha256, outcome.value, extraction_id,
              now) for ref, outcome in refs],
        )
        counts = {"inputs": len(refs)}
        for _, outcome in refs:
            column = {Outcome.DUPLICATE: "duplicates"}.get(outcome, outcome.value)
            counts[column] = counts.get(column, 0) + 1
        _count(db, run_id, **counts)

    # Reading

    def resolve(self, ref: str) -> list[str]:
        """Content hashes of the articles named by ``ref``: an article id, a path as it was
        given to ``run``, or a prefix of at least 8 hex digits of the content hash."""
        hexdigits = ref.lower()
        prefix = hexdigits if len(ref) >= 8 and set(hexdigits) <= set("0123456789abcdef") else None
        rows = self.query(
            """SELECT content_sha256 FROM articles WHERE article_id = ?1 OR path = ?1
               UNION SELECT content_sha256 FROM run_articles
               WHERE (article_id = ?1 OR path = ?1) AND content_sha256 IS NOT NULL
               UNION SELECT content_sha256 FROM articles
               WHERE ?2 IS NOT NULL AND substr(content_sha256, 1, length(?2)) = ?2""",
            (ref, prefix),
        )
        return sorted(row[0] for row in rows)

    def latest_extractions(
        self, *, content_sha256s: Sequence[str] | None = None, model: str | None = None,
        prompt_version: int | None = None,
    ) -> list[StoredExtraction]:
        """The newest extraction of each article (of ``content_sha256s`` when given), ordered by
        article id; ``model`` and ``prompt_version`` narrow the choice."""
        where: list[str] = ["1 = 1"]
        params: list[str | int] = []
        if content_sha256s is not None:
            where.append(f"content_sha256 IN ({', '.join('?' * len(content_sha256s))})")
            params += list(content_sha256s)
        if model is not None:
            where.append("model = ?")
            params.append(model)
        if prompt_version is not None:
            where.append("prompt_version = ?")
            params.append(prompt_version)
        rows = self.query(
            f"""SELECT e.id, e.article_id, e.content_sha256, e.model, e.prompt_version,
                e.created_at FROM extractions e JOIN (SELECT max(id) AS id FROM extractions
                WHERE {' AND '.join(where)} GROUP BY content_sha256) newest ON newest.id = e.id
                ORDER BY e.article_id, e.id""",
            params,
        )
        return [
            StoredExtraction(
                extraction_id=row["id"], article_id=row["article_id"],
                content_sha256=row["content_sha256"], model=row["model"],
                prompt_version=row["prompt_version"], created_at=row["created_at"],
            )
            for row in rows
        ]

    def results(self, *, model: str | None = None, prompt_version: int | None = None
                ) -> Iterator[ExtractionResult]:
        """The newest result of every article, by article id, loaded one at a time."""
        for stored in self.latest_extractions(model=model, prompt_version=prompt_version):
            yield self.load_result(stored.extraction_id)

    def paths(self, content_sha256: str) -> list[str]:
        """Every path this content was read from, in any run."""
        rows = self.query(
            """SELECT path FROM articles WHERE content_sha256 = ?1 AND path IS NOT NULL
               UNION SELECT path FROM run_articles WHERE content_sha256 = ?1 AND path IS NOT NULL
               ORDER BY path""",
            (content_sha256,),
        )
        return [row[0] for row in rows]

    def publications(self, content_sha256: str) -> list[Publication]:
        """Every input that carried this text, earliest publication first (undated last)."""
        rows = self.query(
            """SELECT * FROM publications WHERE content_sha256 = ?
               ORDER BY published IS NULL, published, id""", (content_sha256,),
        )
        return [
            Publication(article_id=row["article_id"], path=row["path"], line=row["line"],
                        title=row["title"], outlet=row["outlet"], url=row["url"],
                        published=row["published"], language=row["language"],
                        extra=json.loads(row["extra"]), html_sha256=row["html_sha256"])
            for row in rows
        ]

    def page(self, html_sha256: str) -> str | None:
        """The HTML page a text was extracted from, as read."""
        rows = self.query("SELECT html FROM pages WHERE html_sha256 = ?", (html_sha256,))
        return str(rows[0][0]) if rows else None

    def article_text(self, content_sha256: str) -> str:
        rows = self.query("SELECT text FROM articles WHERE content_sha256 = ?", (content_sha256,))
        if not rows:
            raise StoreError(f"{self.path}: no article with hash {content_sha256}",
                             path=self._file())
        return str(rows[0][0])

    def load_result(self, extraction_id: int) -> ExtractionResult:
        """The ``ExtractionResult`` exactly as it was stored."""
        head = self.query(
            """SELECT e.*, c.mode, c.input_sha256, c.schema_sha256 AS call_schema_sha256,
               c.request_messages, c.answers, c.reask_errors, c.transport_retries,
               c.prompt_tokens, c.completion_tokens, c.total_tokens, c.cached_tokens,
               c.reasoning_tokens, c.latency_ms
               FROM extractions e JOIN llm_calls c ON c.extraction_id = e.id
               WHERE e.id = ?""",
            (extraction_id,),
        )
        if not head:
            raise StoreError(f"{self.path}: no extraction {extraction_id}", path=self._file())
        e = head[0]
        prompt = PromptRef(id=e["prompt_id"], version=e["prompt_version"],
                           sha256=e["prompt_sha256"])
        mentions: dict[int, list[Mention]] = {}
        for row in self.query(
            """SELECT m.* FROM mentions m JOIN actors a ON a.id = m.actor
               WHERE a.extraction_id = ? ORDER BY m.actor, m.position""", (extraction_id,)
        ):
            mentions.setdefault(row["actor"], []).append(Mention(text=row["text"], span=_span(row)))
        actors = [
            Actor(actor_id=row["actor_id"], name=row["name"], kind=row["kind"],
                  title=row["title"], title_span=_title_span(row),
                  mentions=mentions.get(row["id"], []))
            for row in self.query(
                "SELECT * FROM actors WHERE extraction_id = ? ORDER BY position", (extraction_id,)
            )
        ]
        quotes = [
            Quote(quote_id=row["quote_id"], text=row["text"], span=_span(row),
                  speaker_id=row["speaker_id"], speaker=row["speaker"], kind=row["kind"],
                  cue=row["cue"])
            for row in self.query(
                "SELECT * FROM quotes WHERE extraction_id = ? ORDER BY position", (extraction_id,)
            )
        ]
        claims = [
            Claim(claim_id=row["claim_id"], statement=row["statement"],
                  asserted_by_id=row["asserted_by_id"], asserted_by=row["asserted_by"],
                  evidence=row["evidence"], span=_span(row),
                  event=ClaimEvent.model_validate_json(row["event"]) if row["event"] else None)
            for row in self.query(
                "SELECT * FROM claims WHERE extraction_id = ? ORDER BY position", (extraction_id,)
            )
        ]
        rejected = [
            Rejected(kind=row["kind"], reason=row["reason"], detail=row["detail"],
                     item=json.loads(row["item"]))
            for row in self.query(
                "SELECT * FROM rejected WHERE extraction_id = ? ORDER BY position",
                (extraction_id,),
            )
        ]
        call = LLMCall(
            model=e["model"], mode=e["mode"], prompt=prompt, input_sha256=e["input_sha256"],
            schema_sha256=e["call_schema_sha256"],
            request_messages=json.loads(e["request_messages"]), answers=json.loads(e["answers"]),
            reask_errors=json.loads(e["reask_errors"]), transport_retries=e["transport_retries"],
            usage=Usage(prompt_tokens=e["prompt_tokens"],
                        completion_tokens=e["completion_tokens"], total_tokens=e["total_tokens"],
                        cached_tokens=e["cached_tokens"], reasoning_tokens=e["reasoning_tokens"]),
            latency_ms=e["latency_ms"],
        )
        return ExtractionResult(
            article_id=e["article_id"], content_sha256=e["content_sha256"], model=e["model"],
            prompt=prompt, actors=actors, quotes=quotes, claims=claims, rejected=rejected,
            call=call, publications=self.publications(e["content_sha256"]),
            chunks=[ChunkRef.model_validate(c) for c in json.loads(e["chunks"] or "[]")],
        )


@dataclass(frozen=True)
class ChunkCalls:
    """Chunk calls under one cache key (``pipeline.extract.article.ChunkCache``): each stored as
    soon as it is answered, in its own transaction, so that a run stopped half way through a
    long document finds them."""

    store: Store
    key: CacheKey

    def get(self, input_sha256: str) -> LLMCall | None:
        rows = self.store.query(
            """SELECT call FROM chunk_calls WHERE input_sha256 = ? AND model = ?
               AND prompt_id = ? AND prompt_version = ? AND prompt_sha256 = ?
               AND schema_sha256 = ?""",
            (input_sha256, self.key.model, self.key.prompt.id, self.key.prompt.version,
             self.key.prompt.sha256, self.key.schema_sha256),
        )
        return LLMCall.model_validate_json(rows[0][0]) if rows else None

    def put(self, call: LLMCall) -> None:
        with self.store.transaction(f"the call of chunk {call.input_sha256[:12]}") as db:
            db.execute(
                """INSERT OR IGNORE INTO chunk_calls (input_sha256, model, prompt_id,
                   prompt_version, prompt_sha256, schema_sha256, call, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (call.input_sha256, self.key.model, self.key.prompt.id, self.key.prompt.version,
                 self.key.prompt.sha256, self.key.schema_sha256, call.model_dump_json(), _now()),
            )


def _path(ref: InputRef) -> str | None:
    return str(ref.path) if ref.path is not None else None


def _insert_publications(db: sqlite3.Connection, refs: Sequence[tuple[InputRef, str]]) -> None:
    """One row per arrival (text, id, file, line); an arrival seen again takes its new metadata."""
    now = _now()
    for ref, content_sha256 in refs:
        publication = ref.publication or Publication(
            article_id=ref.article_id or content_sha256[:16], path=_path(ref), line=ref.line
        )
        if ref.html is not None and publication.html_sha256 is not None:
            db.execute("INSERT OR IGNORE INTO pages (html_sha256, html, first_seen_at) "
                       "VALUES (?, ?, ?)", (publication.html_sha256, ref.html, now))
        db.execute(
            """INSERT OR REPLACE INTO publications (content_sha256, article_id, path, line, title,
               outlet, url, published, language, extra, html_sha256, seen_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (content_sha256, publication.article_id, publication.path, publication.line,
             publication.title, publication.outlet, publication.url, publication.published,
             publication.language, _json(publication.extra), publication.html_sha256, now),
        )


def _span(row: sqlite3.Row) -> Span:
    return Span(start=row["span_start"], end=row["span_end"], match=row["span_match"])


def _title_span(row: sqlite3.Row) -> Span | None:
    if row["title_start"] is None:
        return None
    return Span(start=row["title_start"], end=row["title_end"], match=row["title_match"])


def _span_values(span: Span | None) -> tuple[int | None, int | None, str | None]:
    return (span.start, span.end, span.match.value) if span else (None, None, None)


def _count(db: sqlite3.Connection, run_id: int, **increments: int) -> None:
    # Counted in the article's own transaction, so a killed run's counts are still right.
    assignments = ", ".join(f"{column} = {column} + ?" for column in increments)
    db.execute(f"UPDATE runs SET {assignments} WHERE id = ?", (*increments.values(), run_id))


def _insert_result(db: sqlite3.Connection, run_id: int, result: ExtractionResult,
                   key: CacheKey) -> int:
    cursor = db.execute(
        """INSERT INTO extractions (content_sha256, article_id, model, prompt_id, prompt_version,
           prompt_sha256, schema_sha256, run_id, created_at, chunks)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (result.content_sha256, result.article_id, key.model, key.prompt.id, key.prompt.version,
         key.prompt.sha256, key.schema_sha256, run_id, _now(),
         _json([c.model_dump(mode="json") for c in result.chunks]) if result.chunks else None),
    )
    extraction_id = cursor.lastrowid
    assert extraction_id is not None
    call = result.call
    db.execute(
        """INSERT INTO llm_calls (extraction_id, model, mode, prompt_id, prompt_version,
           prompt_sha256, input_sha256, schema_sha256, request_messages, answers, reask_errors,
           attempts, transport_retries, prompt_tokens, completion_tokens, total_tokens,
           cached_tokens, reasoning_tokens, latency_ms)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (extraction_id, call.model, call.mode, call.prompt.id, call.prompt.version,
         call.prompt.sha256, call.input_sha256, call.schema_sha256, _json(call.request_messages),
         _json(call.answers), _json(call.reask_errors), call.attempts, call.transport_retries,
         call.usage.prompt_tokens, call.usage.completion_tokens, call.usage.total_tokens,
         call.usage.cached_tokens, call.usage.reasoning_tokens, call.latency_ms),
    )
    actor_rows: dict[str, int] = {}
    for position, actor in enumerate(result.actors):
        cursor = db.execute(
            """INSERT INTO actors (extraction_id, actor_id, position, name, kind, title,
               title_start, title_end, title_match) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (extraction_id, actor.actor_id, position, actor.name, actor.kind.value, actor.title,
             *_span_values(actor.title_span)),
        )
        assert cursor.lastrowid is not None
        actor_rows[actor.actor_id] = cursor.lastrowid
        db.executemany(
            """INSERT INTO mentions (actor, position, text, span_start, span_end, span_match)
               VALUES (?, ?, ?, ?, ?, ?)""",
            [(cursor.lastrowid, i, m.text, m.span.start, m.span.end, m.span.match.value)
             for i, m in enumerate(actor.mentions)],
        )
    db.executemany(
        """INSERT INTO quotes (extraction_id, quote_id, position, speaker_actor, speaker_id,
           speaker, kind, cue, text, span_start, span_end, span_match)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [(extraction_id, q.quote_id, i, actor_rows.get(q.speaker_id), q.speaker_id, q.speaker,
          q.kind.value, q.cue, q.text, q.span.start, q.span.end, q.span.match.value)
         for i, q in enumerate(result.quotes)],
    )
    db.executemany(
        """INSERT INTO claims (extraction_id, claim_id, position, statement, asserted_by_actor,
           asserted_by_id, asserted_by, evidence, span_start, span_end, span_match, event)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [(extraction_id, c.claim_id, i, c.statement,
          actor_rows.get(c.asserted_by_id) if c.asserted_by_id else None, c.asserted_by_id,
          c.asserted_by, c.evidence, c.span.start, c.span.end, c.span.match.value,
          c.event.model_dump_json() if c.event else None)
         for i, c in enumerate(result.claims)],
    )
    db.executemany(
        """INSERT INTO rejected (extraction_id, position, kind, reason, detail, item)
           VALUES (?, ?, ?, ?, ?, ?)""",
        [(extraction_id, i, r.kind.value, r.reason.value, r.detail, _json(r.item))
         for i, r in enumerate(result.rejected)],
    )
    return extraction_id
