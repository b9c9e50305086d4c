"""Keep the latest reconciliation in the store: to explain it later, and to keep its ids.

``clusters`` holds each cluster whole (its JSON in ``body``), so ``explain`` shows exactly what
``reconcile`` decided without running it again; ``cluster_members`` lists every member flat (one
row per mention, with the rule and score that brought it in), for sqlite3 and Datasette. Only the
latest reconciliation's clusters are kept; ``reconciliations`` logs every run. For the next,
incremental run (``incremental``): ``cluster_representatives`` holds each cluster's few mentions
new ones are matched against, ``reconciled_extractions`` the extractions the clusters hold, and
``reconciliations.fingerprint`` the code and data that computed them. ``save_changes`` rewrites
only the clusters an incremental run changed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Mapping
from datetime import UTC, datetime

import pydantic

from pipeline.errors import StoreError
from pipeline.reconcile.knowledge import load_linkage_settings
from pipeline.reconcile.pause import without_cycle_collection
from pipeline.reconcile.representatives import representatives_of
from pipeline.store.db import Store
from schemas.clusters import (
    ActorCluster,
    ClaimCluster,
    ClaimRelation,
    QuoteCluster,
    Reconciliation,
)
from schemas.mentions import ActorMention, ClaimMention, QuoteMention
from schemas.records import Span

Cluster = ActorCluster | QuoteCluster | ClaimCluster
Mention = ActorMention | QuoteMention | ClaimMention
_KINDS: dict[str, type[Cluster]] = {
    "actor": ActorCluster,
    "quote": QuoteCluster,
    "claim": ClaimCluster,
}
_MENTIONS: dict[str, type[Mention]] = {
    "actor": ActorMention,
    "quote": QuoteMention,
    "claim": ClaimMention,
}


def _identity(cluster: Cluster) -> tuple[str, str]:
    """(id, label) of a cluster of any kind."""
    if isinstance(cluster, ActorCluster):
        return cluster.actor_id, cluster.name
    if isinstance(cluster, QuoteCluster):
        return cluster.quote_id, cluster.text
    return cluster.claim_id, cluster.statement


def _printed(mention: Mention) -> tuple[str, Span | None]:
    if isinstance(mention, ActorMention):
        return mention.name, mention.span
    if isinstance(mention, QuoteMention):
        return mention.text, mention.span
    return mention.evidence or mention.statement, mention.span


@without_cycle_collection
def save_reconciliation(
    store: Store,
    reconciliation: Reconciliation,
    *,
    extractions: Iterable[int] = (),
    fingerprint: str | None = None,
    keys: Mapping[str, Collection[int]] | None = None,
) -> int:
    """Replace the stored clusters with ``reconciliation``'s, in one transaction; its row id.

    ``extractions`` are the extraction ids it was computed from and ``fingerprint`` the code and
    data that computed it: with both, and the claim clusters' lookup ``keys``
    (``reconcile_corpus`` gives them), the next ``reconcile`` can be incremental."""
    groups = _groups(reconciliation)
    articles = {m.article_id for _, clusters in groups for c in clusters for m in c.mentions}
    with store.transaction("the reconciliation") as db:
        for table in ("cluster_members", "claim_relations", "clusters", "cluster_representatives",
                      "reconciled_extractions", "cluster_keys"):
            db.execute(f"DELETE FROM {table}")
        run = _log_run(db, len(articles), [len(clusters) for _, clusters in groups],
                       fingerprint, incremental=False)
        for kind, clusters in groups:
            _insert_clusters(db, run, kind, clusters)
        _insert_relations(db, run, reconciliation.claim_relations)
        _insert_keys(db, "claim", keys or {})
        _mark_reconciled(db, run, extractions if keys is not None else ())
    return run


@without_cycle_collection
def save_changes(
    store: Store,
    changed: Reconciliation,
    *,
    retired: Mapping[str, Mapping[str, str]],
    extractions: Iterable[int],
    fingerprint: str,
    keys: Mapping[str, Collection[int]],
    kept: Mapping[str, Mapping[str, tuple[int, int]]],
) -> int:
    """Write an incremental reconciliation: ``changed`` holds the clusters that are new or
    changed (they replace the stored ones of the same id) and the claim relations found anew;
    ``retired`` (kind -> retired id -> the id it was merged into) the clusters merged into
    others; ``keys`` the claim clusters' lookup keys found anew; ``kept`` (kind -> cluster id
    -> counts) how many first members and merges of a changed cluster are stored under its id
    as they are (the rows of those members stay, unless a later merge joined one). Untouched
    clusters stay as they are, rows and ids; stored relations and keys of a retired id move to
    its new one."""
    groups = _groups(changed)
    with store.transaction("the reconciliation") as db:
        run = _log_run(db, 0, [0, 0, 0], fingerprint, incremental=True)
        for kind, clusters in groups:
            stays = {cluster_id: _rows_kept(cluster, kept.get(kind, {}).get(cluster_id))
                     for cluster in clusters for cluster_id in (_identity(cluster)[0],)}
            stays = {cluster_id: rows for cluster_id, rows in stays.items() if rows[0]}
            gone = [*retired.get(kind, {}), *(_identity(c)[0] for c in clusters)]
            db.executemany(
                "DELETE FROM cluster_members WHERE kind = ? AND cluster_id = ? AND position >= ?",
                [(kind, cluster_id, stays[cluster_id][0] if cluster_id in stays else 0)
                 for cluster_id in gone])
            db.executemany(
                "DELETE FROM cluster_members WHERE kind = ? AND cluster_id = ? AND position = ?",
                [(kind, cluster_id, position) for cluster_id, (_, again) in stays.items()
                 for position in again])
            # A cluster some of whose member rows stay keeps its row (they refer to it).
            db.executemany("DELETE FROM clusters WHERE kind = ? AND cluster_id = ?",
                           [(kind, cluster_id) for cluster_id in gone if cluster_id not in stays])
            db.executemany("DELETE FROM cluster_representatives WHERE kind = ? AND cluster_id = ?",
                           [(kind, cluster_id) for cluster_id in gone])
            _insert_clusters(db, run, kind, clusters, kept=stays)
            moves = [(new, kind, old) for old, new in retired.get(kind, {}).items()]
            db.executemany("UPDATE OR IGNORE cluster_keys SET cluster_id = ? WHERE kind = ? AND "
                           "cluster_id = ?", moves)
            db.executemany("DELETE FROM cluster_keys WHERE kind = ? AND cluster_id = ?",
                           [(kind, old) for _, kind, old in moves])
        _insert_keys(db, "claim", keys)
        _move_relations(db, run, retired.get("claim", {}), changed.claim_relations)
        _mark_reconciled(db, run, extractions)
        counts = [db.execute("SELECT count(*) FROM clusters WHERE kind = ?", (kind,)).fetchone()[0]
                  for kind in _KINDS]
        articles = db.execute("SELECT count(DISTINCT article_id) FROM cluster_members").fetchone()
        db.execute(
            """UPDATE reconciliations SET articles = ?, actor_clusters = ?, quote_clusters = ?,
               claim_clusters = ? WHERE id = ?""", (articles[0], *counts, run))
    return run


def _groups(reconciliation: Reconciliation) -> list[tuple[str, tuple[Cluster, ...]]]:
    return [("actor", reconciliation.actors), ("quote", reconciliation.quotes),
            ("claim", reconciliation.claims)]


def _log_run(db: sqlite3.Connection, articles: int, counts: list[int], fingerprint: str | None,
             *, incremental: bool) -> int:
    cursor = db.execute(
        """INSERT INTO reconciliations (created_at, articles, actor_clusters, quote_clusters,
           claim_clusters, fingerprint, incremental) VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (datetime.now(UTC).isoformat(timespec="milliseconds"), articles, *counts, fingerprint,
         int(incremental)),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _rows_kept(cluster: Cluster, kept: tuple[int, int] | None) -> tuple[int, set[int]]:
    """(how many first member rows stay, those of them a later merge joined: rewritten)."""
    members, merges = kept or (0, 0)
    return members, {joined for merge in cluster.merges[merges:] for joined in merge.joined
                     if joined < members}


def _insert_clusters(db: sqlite3.Connection, run: int, kind: str,
                     clusters: Iterable[Cluster], *,
                     kept: Mapping[str, tuple[int, set[int]]] | None = None) -> None:
    """Each cluster whole, its members flat (but the ``kept`` rows, stored already), its
    representatives; in batches (executemany)."""
    claim_limit = load_linkage_settings().claims.max_representatives
    batch: list[tuple[object, ...]] = []
    members: list[tuple[object, ...]] = []
    representatives: list[tuple[object, ...]] = []

    def flush() -> None:
        db.executemany(
            """INSERT INTO clusters (reconciliation_id, kind, cluster_id, position, label,
               mentions, articles, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", batch)
        db.executemany(
            """INSERT INTO cluster_members (reconciliation_id, kind, cluster_id, position,
               article_id, text, span_start, span_end, rule, score, mention_key)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", members)
        db.executemany(
            """INSERT INTO cluster_representatives (kind, cluster_id, position, actor_id, body)
               VALUES (?, ?, ?, ?, ?)""", representatives)
        batch.clear()
        members.clear()
        representatives.clear()

    for position, cluster in enumerate(clusters):
        cluster_id, label = _identity(cluster)
        skip, again = kept.get(cluster_id, (0, set())) if kept else (0, set())
        row = (label, len(cluster.mentions), len({m.article_id for m in cluster.mentions}),
               cluster.model_dump_json())
        if skip:  # member rows stay: they move to the new row before the old one goes
            db.execute(
                """INSERT INTO clusters (reconciliation_id, kind, cluster_id, position, label,
                   mentions, articles, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (run, kind, cluster_id, position, *row))
            db.execute("UPDATE cluster_members SET reconciliation_id = ? WHERE kind = ? AND "
                       "cluster_id = ?", (run, kind, cluster_id))
            db.execute("DELETE FROM clusters WHERE kind = ? AND cluster_id = ? AND "
                       "reconciliation_id != ?", (kind, cluster_id, run))
        else:
            batch.append((run, kind, cluster_id, position, *row))
        merged_by = {joined: merge for merge in cluster.merges for joined in merge.joined}
        mentions: tuple[Mention, ...] = cluster.mentions
        for index in [*sorted(again), *range(skip, len(mentions))]:
            mention = mentions[index]
            text, span = _printed(mention)
            merge = merged_by.get(index)
            members.append((
                run, kind, cluster_id, index, mention.article_id, text,
                span.start if span else None, span.end if span else None,
                merge.rule.value if merge else None, merge.score if merge else None, mention.key,
            ))
        speaker = cluster.speaker_id if isinstance(cluster, QuoteCluster) else None
        representatives.extend(
            (kind, cluster_id, number, speaker, mention.model_dump_json())
            for number, mention in enumerate(representatives_of(cluster, claims=claim_limit))
        )
        if len(members) >= _BATCH:
            flush()
    flush()


_BATCH = 50_000  # member rows held before they are written


def _insert_relations(db: sqlite3.Connection, run: int,
                      relations: Iterable[ClaimRelation]) -> None:
    db.executemany(
        """INSERT INTO claim_relations (reconciliation_id, rule, claim_id, target_id, score,
           body) VALUES (?, ?, ?, ?, ?, ?)""",
        [(run, r.rule.value, r.claim_id, r.target_id, r.score, r.model_dump_json())
         for r in relations],
    )


def _insert_keys(db: sqlite3.Connection, kind: str, keys: Mapping[str, Collection[int]]) -> None:
    db.executemany(
        "INSERT OR IGNORE INTO cluster_keys (kind, key, cluster_id) VALUES (?, ?, ?)",
        ((kind, key, cluster_id) for cluster_id, found in keys.items() for key in found))


def _move_relations(db: sqlite3.Connection, run: int, retired: Mapping[str, str],
                    found: Iterable[ClaimRelation]) -> None:
    """Stored relations under the ids their clusters now have, and the ``found`` ones added
    (a pair stored already keeps its row): an incremental run never changes a stored claim's
    statement, so what it denied it still denies."""
    relations = {(r.rule, r.claim_id, r.target_id): r for r in found}
    if retired:
        rename: dict[str, str] = dict(retired)
        moved = [ClaimRelation.model_validate_json(row[0]) for row in db.execute(
            "SELECT body FROM claim_relations WHERE claim_id IN (SELECT value FROM json_each(?)) "
            "OR target_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(rename)), json.dumps(list(rename))))]
        db.execute("DELETE FROM claim_relations WHERE claim_id IN (SELECT value FROM json_each(?))"
                   " OR target_id IN (SELECT value FROM json_each(?))",
                   (json.dumps(list(rename)), json.dumps(list(rename))))
        for relation in moved:
            claim_id = rename.get(relation.claim_id, relation.claim_id)
            target_id = rename.get(relation.target_id, relation.target_id)
            if claim_id != target_id:
                relations.setdefault((relation.rule, claim_id, target_id), relation.model_copy(
                    update={"claim_id": claim_id, "target_id": target_id}))
    stored = {(row[0], row[1], row[2]) for row in db.execute(
        "SELECT rule, claim_id, target_id FROM claim_relations")}
    _insert_relations(db, run, [r for (rule, claim_id, target_id), r in relations.items()
                                if (rule.value, claim_id, target_id) not in stored])


def _mark_reconciled(db: sqlite3.Connection, run: int, extractions: Iterable[int]) -> None:
    db.executemany(
        "INSERT OR REPLACE INTO reconciled_extractions (extraction_id, reconciliation_id) "
        "VALUES (?, ?)", [(extraction, run) for extraction in extractions])


def stored_ids(store: Store) -> dict[str, dict[str, str]]:
    """Per kind, mention key -> cluster id of the stored reconciliation: the ``previous`` a run
    takes to keep ids, read without loading any cluster."""
    found: dict[str, dict[str, str]] = {kind: {} for kind in _KINDS}
    for kind, key, cluster_id in store.db.execute(
        "SELECT kind, mention_key, cluster_id FROM cluster_members WHERE mention_key IS NOT NULL"
    ):
        found[kind][key] = cluster_id
    return found


def stored_state(store: Store) -> tuple[str | None, set[int]] | None:
    """(fingerprint, extraction ids) of the stored reconciliation; None when there is none or it
    predates incremental runs (no extraction is marked)."""
    rows = store.query("SELECT fingerprint FROM reconciliations ORDER BY id DESC LIMIT 1")
    extractions = {row[0] for row in store.db.execute(
        "SELECT extraction_id FROM reconciled_extractions")}
    if not rows or not extractions:
        return None
    return rows[0][0], extractions


def load_clusters(store: Store, kind: str, cluster_ids: Collection[str]) -> list[Cluster]:
    """The stored clusters of ``kind`` with these ids (those that exist)."""
    model = _KINDS[kind]
    found: list[Cluster] = []
    ids = list(cluster_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = store.query(
            f"SELECT body FROM clusters WHERE kind = ? AND cluster_id IN "
            f"({', '.join('?' * len(chunk))})", (kind, *chunk))
        found.extend(model.model_validate_json(row[0]) for row in rows)
    return found


def load_representatives(
    store: Store, kind: str, *, clusters: Collection[str] | None = None,
    speakers: Collection[str] | None = None,
) -> Iterator[tuple[str, str | None, Mention]]:
    """(cluster id, its speaker's actor id for quotes, representative) of every stored cluster
    of ``kind``; only of the ``clusters`` given, or (quotes) of the ``speakers`` given or of
    none known."""
    model = _MENTIONS[kind]
    sql = "SELECT cluster_id, actor_id, body FROM cluster_representatives WHERE kind = ?"
    params: list[object] = [kind]
    if clusters is not None:
        sql += " AND cluster_id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(sorted(clusters)))
    if speakers is not None:
        sql += " AND (actor_id IS NULL OR actor_id IN (SELECT value FROM json_each(?)))"
        params.append(json.dumps(sorted(speakers)))
    for cluster_id, actor_id, body in store.db.execute(
        sql + " ORDER BY cluster_id, position", params
    ):
        yield cluster_id, actor_id, model.model_validate_json(body)


def clusters_with_keys(store: Store, kind: str, keys: Collection[int]) -> set[str]:
    """The stored clusters of ``kind`` found by one of ``keys``."""
    return {row[0] for row in store.db.execute(
        "SELECT DISTINCT cluster_id FROM cluster_keys WHERE kind = ? AND key IN "
        "(SELECT value FROM json_each(?))", (kind, json.dumps(sorted(keys))))}


def cluster_ids(store: Store, kind: str) -> set[str]:
    """Every stored cluster id of ``kind``: a new cluster never takes one."""
    return {row[0] for row in store.db.execute(
        "SELECT cluster_id FROM clusters WHERE kind = ?", (kind,))}


def cluster_labels(store: Store, kind: str, cluster_ids: Collection[str]) -> dict[str, str]:
    """Cluster id -> label (a claim's statement) of the stored clusters with these ids."""
    return dict(store.db.execute(
        "SELECT cluster_id, label FROM clusters WHERE kind = ? AND cluster_id IN "
        "(SELECT value FROM json_each(?))", (kind, json.dumps(sorted(cluster_ids)))))


def load_largest(store: Store, limit: int) -> tuple[Reconciliation, dict[str, int]]:
    """The ``limit`` largest stored clusters of each kind, and how many there are of each."""
    loaded: dict[str, list[Cluster]] = {}
    counts: dict[str, int] = {}
    for kind, model in _KINDS.items():
        # The ids first: sorting rows with their bodies would read every body of the store.
        rows = store.query(
            "SELECT c.body FROM (SELECT reconciliation_id, cluster_id FROM clusters WHERE kind = ?1"
            " ORDER BY mentions DESC, cluster_id LIMIT ?2) top JOIN clusters c ON c.kind = ?1 AND"
            " c.reconciliation_id = top.reconciliation_id AND c.cluster_id = top.cluster_id"
            " ORDER BY c.mentions DESC, c.cluster_id", (kind, limit))
        loaded[kind] = [model.model_validate_json(row[0]) for row in rows]
        counts[kind] = store.query("SELECT count(*) FROM clusters WHERE kind = ?", (kind,))[0][0]
    return Reconciliation(
        actors=tuple(c for c in loaded["actor"] if isinstance(c, ActorCluster)),
        quotes=tuple(c for c in loaded["quote"] if isinstance(c, QuoteCluster)),
        claims=tuple(c for c in loaded["claim"] if isinstance(c, ClaimCluster)),
    ), counts


def load_reconciliation(store: Store) -> Reconciliation | None:
    """The latest saved reconciliation, or None when ``reconcile`` never ran on this store."""
    rows = store.query(
        # Largest first, as reconciliation orders them (an incremental save leaves positions).
        "SELECT kind, body FROM clusters ORDER BY kind, mentions DESC, cluster_id"
    )
    if not rows:
        return None
    loaded: dict[str, list[Cluster]] = {kind: [] for kind in _KINDS}
    try:
        for row in rows:
            loaded[row["kind"]].append(_KINDS[row["kind"]].model_validate_json(row["body"]))
        relations = tuple(
            ClaimRelation.model_validate_json(row["body"]) for row in store.query(
                "SELECT body FROM claim_relations ORDER BY score DESC, claim_id, target_id"))
    except pydantic.ValidationError as exc:
        raise StoreError(
            f"{store.path}: a stored cluster no longer loads ({exc.error_count()} errors); run "
            "'newsextract reconcile' again to rebuild the clusters",
        ) from exc
    return Reconciliation(
        claim_relations=relations,
        actors=tuple(c for c in loaded["actor"] if isinstance(c, ActorCluster)),
        quotes=tuple(c for c in loaded["quote"] if isinstance(c, QuoteCluster)),
        claims=tuple(c for c in loaded["claim"] if isinstance(c, ClaimCluster)),
    )
