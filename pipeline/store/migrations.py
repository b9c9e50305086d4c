"""Numbered schema migrations for the SQLite store, each applied once and recorded by name.

A migration is a function ``mNNN_<what>(db)`` registered with ``@migration``, in order. ``migrate``
applies those missing from the ``migrations`` table, each in its own transaction together with the
row that records it, so a crash leaves the schema at a migration boundary. A released migration is
never edited: a change is a new function (simonw/llm ``migrations.py``).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

logger = logging.getLogger(__name__)

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = []


def migration(fn: Migration) -> Migration:
    """Register ``fn`` as the next migration; its name is what the ``migrations`` table records."""
    MIGRATIONS.append(fn)
    return fn


class UnknownMigrationsError(Exception):
    """The file has migrations this code does not know: it was written by a newer newsextract."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names


def applied_migrations(db: sqlite3.Connection) -> list[str]:
    db.execute(
        "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    return [row[0] for row in db.execute("SELECT name FROM migrations ORDER BY rowid")]


def migrate(db: sqlite3.Connection) -> list[str]:
    """Apply the missing migrations in order; return their names. ``db`` must be in autocommit."""
    applied = set(applied_migrations(db))
    unknown = sorted(applied - {fn.__name__ for fn in MIGRATIONS})
    if unknown:
        raise UnknownMigrationsError(unknown)
    done: list[str] = []
    for fn in MIGRATIONS:
        if fn.__name__ in applied:
            continue
        # IMMEDIATE: two processes opening a fresh file at once must not both run m001.
        db.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("SELECT 1 FROM migrations WHERE name = ?", (fn.__name__,)).fetchone():
                db.execute("ROLLBACK")
                continue
            fn(db)
            db.execute(
                "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                (fn.__name__, datetime.now(UTC).isoformat(timespec="milliseconds")),
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        logger.info("applied migration %s", fn.__name__)
        done.append(fn.__name__)
    return done


def _run(db: sqlite3.Connection, statements: tuple[str, ...]) -> None:
    # One statement per execute(): executescript() would commit the open transaction first.
    for statement in statements:
        db.execute(statement)


@migration
def m001_initial(db: sqlite3.Connection) -> None:
    _run(db, (
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            status TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'completed', 'interrupted')),
            started_at TEXT NOT NULL,
            ended_at TEXT,
            model TEXT NOT NULL,
            mode TEXT NOT NULL,
            base_url TEXT,
            prompt_id TEXT NOT NULL,
            prompt_version INTEGER NOT NULL,
            prompt_sha256 TEXT NOT NULL,
            schema_sha256 TEXT NOT NULL,
            concurrency INTEGER NOT NULL,
            settings TEXT NOT NULL,
            inputs INTEGER NOT NULL DEFAULT 0,
            extracted INTEGER NOT NULL DEFAULT 0,
            cached INTEGER NOT NULL DEFAULT 0,
            duplicates INTEGER NOT NULL DEFAULT 0,
            failed INTEGER NOT NULL DEFAULT 0
        )
        """,
        """
        CREATE TABLE articles (
            content_sha256 TEXT PRIMARY KEY,
            article_id TEXT NOT NULL,
            path TEXT,
            chars INTEGER NOT NULL,
            text TEXT NOT NULL,
            first_seen_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX articles_article_id ON articles (article_id)",
        """
        CREATE TABLE extractions (
            id INTEGER PRIMARY KEY,
            content_sha256 TEXT NOT NULL REFERENCES articles (content_sha256),
            article_id TEXT NOT NULL,
            model TEXT NOT NULL,
            prompt_id TEXT NOT NULL,
            prompt_version INTEGER NOT NULL,
            prompt_sha256 TEXT NOT NULL,
            schema_sha256 TEXT NOT NULL,
            run_id INTEGER REFERENCES runs (id),
            created_at TEXT NOT NULL,
            UNIQUE (content_sha256, model, prompt_id, prompt_version, prompt_sha256,
                    schema_sha256)
        )
        """,
        "CREATE INDEX extractions_run_id ON extractions (run_id)",
        """
        CREATE TABLE llm_calls (
            id INTEGER PRIMARY KEY,
            extraction_id INTEGER NOT NULL UNIQUE REFERENCES extractions (id),
            model TEXT NOT NULL,
            mode TEXT NOT NULL,
            prompt_id TEXT NOT NULL,
            prompt_version INTEGER NOT NULL,
            prompt_sha256 TEXT NOT NULL,
            input_sha256 TEXT NOT NULL,
            schema_sha256 TEXT NOT NULL,
            request_messages TEXT NOT NULL,
            answers TEXT NOT NULL,
            reask_errors TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            transport_retries INTEGER NOT NULL,
            prompt_tokens INTEGER NOT NULL,
            completion_tokens INTEGER NOT NULL,
            total_tokens INTEGER NOT NULL,
            latency_ms REAL NOT NULL
        )
        """,
        """
        CREATE TABLE actors (
            id INTEGER PRIMARY KEY,
            extraction_id INTEGER NOT NULL REFERENCES extractions (id),
            actor_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            title TEXT,
            UNIQUE (extraction_id, actor_id)
        )
        """,
        """
        CREATE TABLE mentions (
            id INTEGER PRIMARY KEY,
            actor INTEGER NOT NULL REFERENCES actors (id),
            position INTEGER NOT NULL,
            text TEXT NOT NULL,
            span_start INTEGER NOT NULL,
            span_end INTEGER NOT NULL CHECK (span_end > span_start),
            span_match TEXT NOT NULL
        )
        """,
        "CREATE INDEX mentions_actor ON mentions (actor)",
        """
        CREATE TABLE quotes (
            id INTEGER PRIMARY KEY,
            extraction_id INTEGER NOT NULL REFERENCES extractions (id),
            quote_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            speaker_actor INTEGER NOT NULL REFERENCES actors (id),
            speaker_id TEXT NOT NULL,
            speaker TEXT NOT NULL,
            kind TEXT NOT NULL,
            cue TEXT,
            text TEXT NOT NULL,
            span_start INTEGER NOT NULL,
            span_end INTEGER NOT NULL CHECK (span_end > span_start),
            span_match TEXT NOT NULL,
            UNIQUE (extraction_id, quote_id)
        )
        """,
        """
        CREATE TABLE claims (
            id INTEGER PRIMARY KEY,
            extraction_id INTEGER NOT NULL REFERENCES extractions (id),
            claim_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            statement TEXT NOT NULL,
            asserted_by_actor INTEGER REFERENCES actors (id),
            asserted_by_id TEXT,
            asserted_by TEXT,
            evidence TEXT NOT NULL,
            span_start INTEGER NOT NULL,
            span_end INTEGER NOT NULL CHECK (span_end > span_start),
            span_match TEXT NOT NULL,
            UNIQUE (extraction_id, claim_id)
        )
        """,
        """
        CREATE TABLE rejected (
            id INTEGER PRIMARY KEY,
            extraction_id INTEGER NOT NULL REFERENCES extractions (id),
            position INTEGER NOT NULL,
            kind TEXT NOT NULL,
            reason TEXT NOT NULL,
            detail TEXT NOT NULL,
            item TEXT NOT NULL
        )
        """,
        "CREATE INDEX rejected_extraction_id ON rejected (extraction_id)",
        """
        CREATE TABLE run_articles (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs (id),
            path TEXT,
            article_id TEXT,
            content_sha256 TEXT REFERENCES articles (content_sha256),
            outcome TEXT NOT NULL
                CHECK (outcome IN ('extracted', 'cached', 'duplicate', 'failed')),
            extraction_id INTEGER REFERENCES extractions (id),
            error TEXT,
            message TEXT,
            attempts INTEGER,
            total_tokens INTEGER,
            last_output TEXT,
            recorded_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX run_articles_run_id ON run_articles (run_id)",
        "CREATE INDEX run_articles_article_id ON run_articles (article_id)",
        "CREATE INDEX run_articles_content_sha256 ON run_articles (content_sha256)",
    ))


@migration
def m002_actor_title_span(db: sqlite3.Connection) -> None:
    """Where the actor's title is printed; NULL when it has none (or an old row)."""
    _run(db, (
        "ALTER TABLE actors ADD COLUMN title_start INTEGER",
        "ALTER TABLE actors ADD COLUMN title_end INTEGER",
        "ALTER TABLE actors ADD COLUMN title_match TEXT",
    ))


@migration
def m003_reconciliation(db: sqlite3.Connection) -> None:
    """The latest reconciliation: clusters whole (to explain them), members flat (to browse)."""
    _run(db, (
        """
        CREATE TABLE reconciliations (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            articles INTEGER NOT NULL,
            actor_clusters INTEGER NOT NULL,
            quote_clusters INTEGER NOT NULL,
            claim_clusters INTEGER NOT NULL
        )
        """,
        """
        CREATE TABLE clusters (
            reconciliation_id INTEGER NOT NULL REFERENCES reconciliations (id),
            kind TEXT NOT NULL CHECK (kind IN ('actor', 'quote', 'claim')),
            cluster_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            label TEXT NOT NULL,
            mentions INTEGER NOT NULL,
            articles INTEGER NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (reconciliation_id, kind, cluster_id)
        )
        """,
        """
        CREATE TABLE cluster_members (
            id INTEGER PRIMARY KEY,
            reconciliation_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            cluster_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            article_id TEXT NOT NULL,
            text TEXT NOT NULL,
            span_start INTEGER,
            span_end INTEGER,
            rule TEXT,
            score REAL,
            FOREIGN KEY (reconciliation_id, kind, cluster_id)
                REFERENCES clusters (reconciliation_id, kind, cluster_id)
        )
        """,
        """CREATE INDEX cluster_members_cluster
           ON cluster_members (reconciliation_id, kind, cluster_id)""",
        "CREATE INDEX cluster_members_article ON cluster_members (article_id)",
    ))


@migration
def m004_trust_signals(db: sqlite3.Connection) -> None:
    """Trust signals of each extraction: whole (to show and export), items flat (to browse)."""
    _run(db, (
        """
        CREATE TABLE trust_signals (
            extraction_id INTEGER PRIMARY KEY REFERENCES extractions (id),
            vocabulary INTEGER NOT NULL,
            reference_date TEXT,
            speech_chars INTEGER NOT NULL,
            covered_chars INTEGER NOT NULL,
            computed_at TEXT NOT NULL,
            body TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE signal_items (
            id INTEGER PRIMARY KEY,
            extraction_id INTEGER NOT NULL REFERENCES trust_signals (extraction_id),
            kind TEXT NOT NULL
                CHECK (kind IN ('passage', 'attribution', 'modality', 'date')),
            object_id TEXT,
            label TEXT NOT NULL,
            text TEXT,
            span_start INTEGER,
            span_end INTEGER
        )
        """,
        "CREATE INDEX signal_items_extraction ON signal_items (extraction_id)",
        "CREATE INDEX signal_items_label ON signal_items (kind, label)",
    ))


@migration
def m005_claim_events(db: sqlite3.Connection) -> None:
    """A claim's event (prompt v2 and later), as JSON: its parts are read together, never queried
    one by one."""
    db.execute("ALTER TABLE claims ADD COLUMN event TEXT")


@migration
def m006_publications_and_chunks(db: sqlite3.Connection) -> None:
    """Where and when each input was published; the pages texts were extracted from; the calls
    of long articles' chunks, each cached under its own text's hash."""
    _run(db, (
        """
        CREATE TABLE publications (
            id INTEGER PRIMARY KEY,
            content_sha256 TEXT NOT NULL,
            article_id TEXT NOT NULL,
            path TEXT,
            line INTEGER,
            title TEXT,
            outlet TEXT,
            url TEXT,
            published TEXT,
            language TEXT,
            extra TEXT NOT NULL DEFAULT '{}',
            html_sha256 TEXT,
            seen_at TEXT NOT NULL
        )
        """,
        """CREATE UNIQUE INDEX publications_arrival ON publications
           (content_sha256, article_id, ifnull(path, ''), ifnull(line, -1))""",
        "CREATE INDEX publications_outlet ON publications (outlet, published)",
        """
        CREATE TABLE pages (
            html_sha256 TEXT PRIMARY KEY,
            html TEXT NOT NULL,
            first_seen_at TEXT NOT NULL
        )
        """,
        "ALTER TABLE extractions ADD COLUMN chunks TEXT",
        """
        CREATE TABLE chunk_calls (
            input_sha256 TEXT NOT NULL,
            model TEXT NOT NULL,
            prompt_id TEXT NOT NULL,
            prompt_version INTEGER NOT NULL,
            prompt_sha256 TEXT NOT NULL,
            schema_sha256 TEXT NOT NULL,
            call TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (input_sha256, model, prompt_id, prompt_version, prompt_sha256,
                         schema_sha256)
        )
        """,
    ))


@migration
def m007_run_owners_and_claims(db: sqlite3.Connection) -> None:
    """Which process runs each run (so that the next run can tell a killed one), and which run is
    extracting which article right now (so that two runs on one store never pay twice)."""
    _run(db, (
        "ALTER TABLE runs ADD COLUMN pid INTEGER",
        "ALTER TABLE runs ADD COLUMN host TEXT",
        """
        CREATE TABLE in_flight (
            content_sha256 TEXT NOT NULL,
            model TEXT NOT NULL,
            prompt_id TEXT NOT NULL,
            prompt_version INTEGER NOT NULL,
            prompt_sha256 TEXT NOT NULL,
            schema_sha256 TEXT NOT NULL,
            run_id INTEGER NOT NULL REFERENCES runs (id),
            claimed_at TEXT NOT NULL,
            PRIMARY KEY (content_sha256, model, prompt_id, prompt_version, prompt_sha256,
                         schema_sha256)
        )
        """,
        "CREATE INDEX in_flight_run_id ON in_flight (run_id)",
    ))


@migration
def m008_usage_as_billed(db: sqlite3.Connection) -> None:
    """Prompt tokens served from the provider's cache and completion tokens spent reasoning,
    as the answers reported them (0 for older rows and for endpoints that report neither)."""
    _run(db, (
        "ALTER TABLE llm_calls ADD COLUMN cached_tokens INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE llm_calls ADD COLUMN reasoning_tokens INTEGER NOT NULL DEFAULT 0",
    ))


@migration
def m009_claim_relations(db: sqlite3.Connection) -> None:
    """Edges between claim clusters of the latest reconciliation: a denial and what it denies."""
    _run(db, (
        """
        CREATE TABLE claim_relations (
            reconciliation_id INTEGER NOT NULL REFERENCES reconciliations (id),
            rule TEXT NOT NULL,
            claim_id TEXT NOT NULL,
            target_id TEXT NOT NULL,
            score REAL NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (reconciliation_id, rule, claim_id, target_id)
        )
        """,
    ))


@migration
def m010_claim_leases(db: sqlite3.Connection) -> None:
    """When each run's process started, so that a pid the system gave to another process does
    not keep a dead run alive; when a claim was last renewed, so that a claim of a hung run or
    of a run on another machine lapses; and, for a claim taken over, from whom and why."""
    _run(db, (
        "ALTER TABLE runs ADD COLUMN process_started TEXT",
        "ALTER TABLE in_flight ADD COLUMN renewed_at TEXT",
        "ALTER TABLE in_flight ADD COLUMN taken_over TEXT",
    ))


@migration
def m011_incremental_reconciliation(db: sqlite3.Connection) -> None:
    """What an incremental reconcile needs: which extractions the stored clusters hold, under
    which code and data (a fingerprint), each member's key, and each cluster's representatives
    (the mentions new ones are matched against)."""
    _run(db, (
        "ALTER TABLE reconciliations ADD COLUMN fingerprint TEXT",
        "ALTER TABLE reconciliations ADD COLUMN incremental INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE cluster_members ADD COLUMN mention_key TEXT",
        """
        CREATE TABLE reconciled_extractions (
            extraction_id INTEGER PRIMARY KEY REFERENCES extractions (id),
            reconciliation_id INTEGER NOT NULL REFERENCES reconciliations (id)
        )
        """,
        """
        CREATE TABLE cluster_representatives (
            kind TEXT NOT NULL CHECK (kind IN ('actor', 'quote', 'claim')),
            cluster_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            actor_id TEXT,
            body TEXT NOT NULL,
            PRIMARY KEY (kind, cluster_id, position)
        )
        """,
        "CREATE INDEX clusters_kind_cluster ON clusters (kind, cluster_id)",
        "CREATE INDEX cluster_members_kind_cluster ON cluster_members (kind, cluster_id)",
    ))


@migration
def m012_cluster_keys(db: sqlite3.Connection) -> None:
    """The keys a stored claim cluster is found by (``representatives.lookup_key``), so that an
    incremental reconcile loads only the clusters new claims can meet."""
    _run(db, (
        """
        CREATE TABLE cluster_keys (
            kind TEXT NOT NULL CHECK (kind IN ('actor', 'quote', 'claim')),
            key INTEGER NOT NULL,
            cluster_id TEXT NOT NULL,
            PRIMARY KEY (kind, key, cluster_id)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX cluster_keys_cluster ON cluster_keys (kind, cluster_id)",
    ))


@migration
def m013_stock_phrases(db: sqlite3.Connection) -> None:
    """The stock phrases a reconciliation learnt from its quotes, so that an incremental run
    learns them from the new quotes only, not from every stored printing again."""
    _run(db, ("ALTER TABLE reconciliations ADD COLUMN stock_phrases TEXT",))


@migration
def m014_cluster_parts(db: sqlite3.Connection) -> None:
    """A cluster's members apart from its body: ``clusters.body`` keeps the cluster's own fields
    and ``cluster_parts`` its mentions, merges and assertions in parts (the first written
    whole, each later one appended by an incremental run), so that new members extend a
    cluster without reading and writing it whole. A representative row keeps its member's
    position in the cluster."""
    _run(db, (
        """
        CREATE TABLE cluster_parts (
            kind TEXT NOT NULL CHECK (kind IN ('actor', 'quote', 'claim')),
            cluster_id TEXT NOT NULL,
            first INTEGER NOT NULL,
            mentions TEXT NOT NULL,
            merges TEXT NOT NULL,
            assertions TEXT,
            PRIMARY KEY (kind, cluster_id, first)
        )
        """,
        """INSERT INTO cluster_parts (kind, cluster_id, first, mentions, merges, assertions)
           SELECT kind, cluster_id, 0, json_extract(body, '$.mentions'),
                  json_extract(body, '$.merges'), json_extract(body, '$.assertions')
           FROM clusters""",
        "UPDATE clusters SET body = json_remove(body, '$.mentions', '$.merges', '$.assertions')",
        "ALTER TABLE cluster_representatives ADD COLUMN member INTEGER",
    ))


@migration
def m015_cluster_changed_in(db: sqlite3.Connection) -> None:
    """The run that last wrote a cluster (``clusters.changed_in``) apart from the run whose row
    its members refer to (``reconciliation_id``): an incremental run that changes a cluster
    updates its row in place instead of moving it, and every member row with it, to the new
    run (a state's actor cluster holds a row for most articles of the store)."""
    _run(db, (
        "ALTER TABLE clusters ADD COLUMN changed_in INTEGER",
        "UPDATE clusters SET changed_in = reconciliation_id",
    ))
