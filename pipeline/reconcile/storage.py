"""Keep the latest reconciliation in the store: to explain it later, and to keep its ids.

``clusters`` holds each cluster whole (its JSON in ``body``), so ``explain`` shows exactly what
``reconcile`` decided without running it again; ``cluster_members`` lists every member flat (one
row per mention, with the rule and score that brought it in), for sqlite3 and Datasette. Only the
latest reconciliation's clusters are kept; ``reconciliations`` logs every run.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pydantic

from pipeline.errors import StoreError
from pipeline.reconcile.pause import without_cycle_collection
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
def save_reconciliation(store: Store, reconciliation: Reconciliation) -> int:
    """Replace the stored clusters with ``reconciliation``'s, in one transaction; its row id."""
    groups: list[tuple[str, tuple[Cluster, ...]]] = [
        ("actor", reconciliation.actors),
        ("quote", reconciliation.quotes),
        ("claim", reconciliation.claims),
    ]
    articles = {m.article_id for _, clusters in groups for c in clusters for m in c.mentions}
    with store.transaction("the reconciliation") as db:
        db.execute("DELETE FROM cluster_members")
        db.execute("DELETE FROM claim_relations")
        db.execute("DELETE FROM clusters")
        cursor = db.execute(
            """INSERT INTO reconciliations (created_at, articles, actor_clusters, quote_clusters,
               claim_clusters) VALUES (?, ?, ?, ?, ?)""",
            (
                datetime.now(UTC).isoformat(timespec="milliseconds"),
                len(articles),
                *(len(clusters) for _, clusters in groups),
            ),
        )
        run = cursor.lastrowid
        for kind, clusters in groups:
            for position, cluster in enumerate(clusters):
                cluster_id, label = _identity(cluster)
                db.execute(
                    """INSERT INTO clusters (reconciliation_id, kind, cluster_id, position, label,
                       mentions, articles, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                    (run, kind, cluster_id, position, label, len(cluster.mentions),
                     len({m.article_id for m in cluster.mentions}), cluster.model_dump_json()),
                )
                merged_by = {merge.mention: merge for merge in cluster.merges}
                members: tuple[Mention, ...] = cluster.mentions
                rows = []
                for index, mention in enumerate(members):
                    text, span = _printed(mention)
                    merge = merged_by.get(index)
                    rows.append((
                        run, kind, cluster_id, index, mention.article_id, text,
                        span.start if span else None, span.end if span else None,
                        merge.rule.value if merge else None, merge.score if merge else None,
                    ))
                db.executemany(
                    """INSERT INTO cluster_members (reconciliation_id, kind, cluster_id, position,
                       article_id, text, span_start, span_end, rule, score)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    rows,
                )
        db.executemany(
            """INSERT INTO claim_relations (reconciliation_id, rule, claim_id, target_id, score,
               body) VALUES (?, ?, ?, ?, ?, ?)""",
            [(run, r.rule.value, r.claim_id, r.target_id, r.score, r.model_dump_json())
             for r in reconciliation.claim_relations],
        )
    assert run is not None
    return run


def load_reconciliation(store: Store) -> Reconciliation | None:
    """The latest saved reconciliation, or None when ``reconcile`` never ran on this store."""
    rows = store.query(
        "SELECT kind, body FROM clusters ORDER BY kind, position"
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
