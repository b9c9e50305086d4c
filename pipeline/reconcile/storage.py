"""Keep the latest reconciliation in the store: to explain it later, and to keep its ids.

``clusters`` holds each cluster (its own fields' JSON in ``body``, its mentions, merges and
assertions in ``cluster_parts``: the first part written whole, each later one appended by an
incremental run), so ``explain`` shows exactly what ``reconcile`` decided without running it
again; ``cluster_members`` lists every member flat (one
row per mention, with the rule and score that brought it in), for sqlite3 and Datasette. Only the
latest reconciliation's clusters are kept; ``reconciliations`` logs every run. For the next,
incremental run (``incremental``): ``cluster_representatives`` holds each cluster's few mentions
new ones are matched against, ``reconciled_extractions`` the extractions the clusters hold, and
``reconciliations.fingerprint`` the code and data that computed them, ``stock_phrases`` the
stock phrases learnt from its quotes. ``save_changes`` writes only what an incremental run
changed: a stored cluster that only gained members gets one more part (``Extended``), never
rewritten whole.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pydantic

from pipeline.errors import StoreError
from pipeline.reconcile.knowledge import load_linkage_settings
from pipeline.reconcile.paraphrase import StockPhrases
from pipeline.reconcile.pause import without_cycle_collection
from pipeline.reconcile.representatives import representatives_of
from pipeline.store.db import Store
from schemas.clusters import (
    ActorCluster,
    ClaimAssertion,
    ClaimCluster,
    ClaimRelation,
    Merge,
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
_MENTION_LISTS: dict[str, pydantic.TypeAdapter[tuple[Mention, ...]]] = {
    kind: pydantic.TypeAdapter(tuple[model, ...]) for kind, model in _MENTIONS.items()  # type: ignore[valid-type]
}
_MERGES = pydantic.TypeAdapter(tuple[Merge, ...])
_ASSERTIONS = pydantic.TypeAdapter(tuple[ClaimAssertion, ...])
_LISTS = {"mentions", "merges", "assertions"}  # a cluster's fields kept in its parts


def _json(adapter: pydantic.TypeAdapter[Any], value: object) -> str:
    return adapter.dump_json(value).decode()


@dataclass(frozen=True)
class Extended:
    """New members of a stored cluster, written as one more part of it (the cluster's own
    fields and stored parts stay as they are)."""

    kind: str
    cluster_id: str
    start: int  # how many members it has stored: the new ones' positions follow
    articles: int  # how many articles it holds now
    mentions: tuple[Mention, ...]
    merges: tuple[Merge, ...]  # those that join the new members, positions in the whole cluster
    assertions: tuple[ClaimAssertion, ...]  # a claim cluster's, one per new mention
    rejoined: Mapping[int, Mention]  # stored members a new merge joined: their rows are rewritten
    representatives: Sequence[tuple[int, Mention]]  # (position, mention): the cluster's now


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
    stock: StockPhrases | None = None,
) -> int:
    """Replace the stored clusters with ``reconciliation``'s, in one transaction; its row id.

    ``extractions`` are the extraction ids it was computed from and ``fingerprint`` the code and
    data that computed it: with both, and the claim clusters' lookup ``keys``
    (``reconcile_corpus`` gives them), the next ``reconcile`` can be incremental; ``stock``, the
    stock phrases learnt from its quotes, spares that run learning them again."""
    groups = _groups(reconciliation)
    articles = {m.article_id for _, clusters in groups for c in clusters for m in c.mentions}
    with store.transaction("the reconciliation") as db, _indexes_aside(db, _REWRITTEN):
        for table in _REWRITTEN:
            db.execute(f"DELETE FROM {table}")
        run = _log_run(db, len(articles), [len(clusters) for _, clusters in groups],
                       fingerprint, incremental=False, stock=stock)
        for kind, clusters in groups:
            _insert_clusters(db, run, kind, clusters)
        _insert_relations(db, run, reconciliation.claim_relations)
        _insert_keys(db, "claim", keys or {})
        _mark_reconciled(db, run, extractions if keys is not None else ())
    return run


_REWRITTEN = ("cluster_members", "clusters", "cluster_parts", "cluster_representatives",
              "cluster_keys", "claim_relations", "reconciled_extractions")


@contextmanager
def _indexes_aside(db: sqlite3.Connection, tables: Sequence[str]) -> Iterator[None]:
    """Drop these tables' plain secondary indexes while they are emptied and refilled, and create
    them again, as they were, after: one sort per index instead of a B-tree insert per row at
    random keys (a 100k corpus writes millions of member rows). Unique indexes stay (they
    check each row as it comes); so does every table's own key. Inside the caller's
    transaction: a failure rolls the drops back with the rows."""
    marks = ", ".join("?" * len(tables))
    indexes = db.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND "
        f"tbl_name IN ({marks}) ORDER BY name", tuple(tables)).fetchall()
    plain = [(name, sql) for name, sql in indexes
             if not sql.lstrip().upper().startswith("CREATE UNIQUE")]
    for name, _ in plain:
        db.execute(f'DROP INDEX "{name}"')
    yield
    for _, sql in plain:
        db.execute(sql)


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
    extended: Sequence[Extended] = (),
    stock: StockPhrases | None = None,
) -> int:
    """Write an incremental reconciliation: ``changed`` holds the clusters that are new or
    changed (they replace the stored ones of the same id) and the claim relations found anew;
    ``retired`` (kind -> retired id -> the id it was merged into) the clusters merged into
    others; ``keys`` the claim clusters' lookup keys found anew; ``kept`` (kind -> cluster id
    -> counts) how many first members and merges of a changed cluster are stored under its id
    as they are (the rows of those members stay, unless a later merge joined one). Untouched
    clusters stay as they are, rows and ids; stored relations and keys of a retired id move to
    its new one. ``extended``: stored clusters that only gained members (one more part each).
    ``stock``: the stock phrases known now (the stored ones and the new quotes')."""
    groups = _groups(changed)
    extractions = list(extractions)
    with store.transaction("the reconciliation") as db:
        # Articles with members: the stored count, and those of the new extractions counted
        # before and after (by the members' article index; counting the store's grows with it).
        previous = db.execute("SELECT articles FROM reconciliations ORDER BY id DESC LIMIT 1"
                              ).fetchone()  # fmt: skip
        new_articles = json.dumps(sorted({row[0] for row in db.execute(
            "SELECT article_id FROM extractions WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(extractions),))}))
        counted = _articles_with_members(db, new_articles)
        run = _log_run(db, 0, [0, 0, 0], fingerprint, incremental=True, stock=stock)
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
            db.executemany("DELETE FROM cluster_parts WHERE kind = ? AND cluster_id = ?",
                           [(kind, cluster_id) for cluster_id in gone])
            _insert_clusters(db, run, kind, clusters, kept=stays)
            _extend_clusters(db, run, [e for e in extended if e.kind == kind])
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
        articles = (previous[0] if previous else 0) + _articles_with_members(db, new_articles) \
            - counted
        db.execute(
            """UPDATE reconciliations SET articles = ?, actor_clusters = ?, quote_clusters = ?,
               claim_clusters = ? WHERE id = ?""", (articles, *counts, run))
    return run


def _articles_with_members(db: sqlite3.Connection, article_ids: str) -> int:
    """How many of these articles (a JSON list) some cluster member row is of."""
    row = db.execute("SELECT count(DISTINCT article_id) FROM cluster_members WHERE article_id IN "
                     "(SELECT value FROM json_each(?))", (article_ids,)).fetchone()
    return int(row[0])


def _groups(reconciliation: Reconciliation) -> list[tuple[str, tuple[Cluster, ...]]]:
    return [("actor", reconciliation.actors), ("quote", reconciliation.quotes),
            ("claim", reconciliation.claims)]


def _log_run(db: sqlite3.Connection, articles: int, counts: list[int], fingerprint: str | None,
             *, incremental: bool, stock: StockPhrases | None) -> int:
    phrases = None if stock is None else json.dumps(
        {"width": stock.width, "ngrams": sorted(stock.ngrams)})
    cursor = db.execute(
        """INSERT INTO reconciliations (created_at, articles, actor_clusters, quote_clusters,
           claim_clusters, fingerprint, incremental, stock_phrases)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        (datetime.now(UTC).isoformat(timespec="milliseconds"), articles, *counts, fingerprint,
         int(incremental), phrases),
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
    parts: list[tuple[object, ...]] = []

    def flush() -> None:
        db.executemany(
            """INSERT INTO clusters (reconciliation_id, kind, cluster_id, position, label,
               mentions, articles, body, changed_in) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            batch)
        _write_members(db, members, representatives, parts)
        batch.clear()
        members.clear()
        representatives.clear()
        parts.clear()

    for position, cluster in enumerate(clusters):
        cluster_id, label = _identity(cluster)
        skip, again = kept.get(cluster_id, (0, set())) if kept else (0, set())
        row = (label, len(cluster.mentions), len({m.article_id for m in cluster.mentions}),
               cluster.model_dump_json(exclude=_LISTS & set(type(cluster).model_fields)))
        parts.append((kind, cluster_id, 0, _json(_MENTION_LISTS[kind], cluster.mentions),
                      _json(_MERGES, cluster.merges),
                      _json(_ASSERTIONS, cluster.assertions)
                      if isinstance(cluster, ClaimCluster) else None))
        owner = run  # the run of the row the member rows refer to
        if skip:  # member rows stay, and so does the row they refer to: updated in place
            owner = _update_row(db, run, kind, cluster_id, (position, *row))
        else:
            batch.append((run, kind, cluster_id, position, *row, run))
        mentions: tuple[Mention, ...] = cluster.mentions
        members.extend(_member_rows(owner, kind, cluster_id, cluster.merges,
                                    [(index, mentions[index]) for index in
                                     [*sorted(again), *range(skip, len(mentions))]]))
        speaker = cluster.speaker_id if isinstance(cluster, QuoteCluster) else None
        position_of = {id(mention): index for index, mention in enumerate(mentions)}
        representatives.extend(
            (kind, cluster_id, number, speaker, position_of[id(mention)],
             mention.model_dump_json())
            for number, mention in enumerate(representatives_of(cluster, claims=claim_limit))
        )
        if len(members) >= _BATCH:
            flush()
    flush()


def _update_row(db: sqlite3.Connection, run: int, kind: str, cluster_id: str,
                values: tuple[object, ...]) -> int:
    """Update a stored cluster's row (position, label, mentions, articles, body) as written by
    ``run``; the run of the row, which its member rows refer to."""
    db.execute("UPDATE clusters SET position = ?, label = ?, mentions = ?, articles = ?, "
               "body = ?, changed_in = ? WHERE kind = ? AND cluster_id = ?",
               (*values, run, kind, cluster_id))
    row = db.execute("SELECT reconciliation_id FROM clusters WHERE kind = ? AND cluster_id = ?",
                     (kind, cluster_id)).fetchone()
    return int(row[0])


def _member_rows(run: int, kind: str, cluster_id: str, merges: Iterable[Merge],
                 mentions: Iterable[tuple[int, Mention]]) -> Iterator[tuple[object, ...]]:
    """The ``cluster_members`` rows of these (position, mention), with the rule and score of the
    merge (of ``merges``) that joined each."""
    merged_by = {joined: merge for merge in merges for joined in merge.joined}
    for index, mention in mentions:
        text, span = _printed(mention)
        merge = merged_by.get(index)
        yield (run, kind, cluster_id, index, mention.article_id, text,
               span.start if span else None, span.end if span else None,
               merge.rule.value if merge else None, merge.score if merge else None, mention.key)


def _write_members(db: sqlite3.Connection, members: list[tuple[object, ...]],
                   representatives: list[tuple[object, ...]],
                   parts: list[tuple[object, ...]]) -> None:
    db.executemany(
        """INSERT INTO cluster_members (reconciliation_id, kind, cluster_id, position,
           article_id, text, span_start, span_end, rule, score, mention_key)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", members)
    db.executemany(
        """INSERT INTO cluster_representatives (kind, cluster_id, position, actor_id, member,
           body) VALUES (?, ?, ?, ?, ?, ?)""", representatives)
    db.executemany(
        """INSERT INTO cluster_parts (kind, cluster_id, first, mentions, merges, assertions)
           VALUES (?, ?, ?, ?, ?, ?)""", parts)


def _extend_clusters(db: sqlite3.Connection, run: int, extended: Sequence[Extended]) -> None:
    """One more part for each ``extended`` cluster, the rows of its new members and of the
    stored ones a new merge joined, its representatives anew; its row moves to ``run``."""
    members: list[tuple[object, ...]] = []
    representatives: list[tuple[object, ...]] = []
    parts: list[tuple[object, ...]] = []
    for found in extended:
        kind, cluster_id = found.kind, found.cluster_id
        # The row stays (its members refer to it): its counts change in place, body unread.
        db.execute("UPDATE clusters SET mentions = ?, articles = ?, changed_in = ? WHERE "
                   "kind = ? AND cluster_id = ?",
                   (found.start + len(found.mentions), found.articles, run, kind, cluster_id))
        owner = int(db.execute("SELECT reconciliation_id FROM clusters WHERE kind = ? AND "
                               "cluster_id = ?", (kind, cluster_id)).fetchone()[0])
        db.executemany(
            "DELETE FROM cluster_members WHERE kind = ? AND cluster_id = ? AND position = ?",
            [(kind, cluster_id, position) for position in found.rejoined])
        speaker = db.execute("SELECT actor_id FROM cluster_representatives WHERE kind = ? AND "
                             "cluster_id = ? LIMIT 1", (kind, cluster_id)).fetchone()
        db.execute("DELETE FROM cluster_representatives WHERE kind = ? AND cluster_id = ?",
                   (kind, cluster_id))
        members.extend(_member_rows(owner, kind, cluster_id, found.merges, [
            *sorted(found.rejoined.items()),
            *enumerate(found.mentions, start=found.start)]))
        representatives.extend(
            (kind, cluster_id, number, speaker[0] if speaker else None, position,
             mention.model_dump_json())
            for number, (position, mention) in enumerate(found.representatives))
        parts.append((kind, cluster_id, found.start, _json(_MENTION_LISTS[kind], found.mentions),
                      _json(_MERGES, found.merges),
                      _json(_ASSERTIONS, found.assertions) if kind == "claim" else None))
    _write_members(db, members, representatives, parts)


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


def stored_stock(store: Store) -> StockPhrases | None:
    """The stock phrases the stored reconciliation learnt from its quotes (None if not kept)."""
    rows = store.query("SELECT stock_phrases FROM reconciliations ORDER BY id DESC LIMIT 1")
    if not rows or rows[0][0] is None:
        return None
    found = json.loads(rows[0][0])
    return StockPhrases(frozenset(tuple(run) for run in found["ngrams"]), found["width"])


def load_clusters(store: Store, kind: str, cluster_ids: Collection[str]) -> list[Cluster]:
    """The stored clusters of ``kind`` with these ids (those that exist)."""
    model = _KINDS[kind]
    rows = _whole(store.db, "c.kind = ? AND c.cluster_id IN (SELECT value FROM json_each(?))",
                  (kind, json.dumps(sorted(cluster_ids))), "c.cluster_id")
    return [model.model_validate_json(body) for _, body in rows]


def stored_sizes(store: Store, kind: str,
                 cluster_ids: Collection[str]) -> dict[str, tuple[int, int, int]]:
    """Cluster id -> (members, merges, articles) of the stored clusters of ``kind`` with these
    ids, read without their members."""
    return {row[0]: (row[1], row[2], row[3]) for row in store.db.execute(
        """SELECT c.cluster_id, c.mentions, (SELECT sum(json_array_length(p.merges)) FROM
           cluster_parts p WHERE p.kind = c.kind AND p.cluster_id = c.cluster_id), c.articles
           FROM clusters c WHERE c.kind = ? AND c.cluster_id IN (SELECT value FROM json_each(?))""",
        (kind, json.dumps(sorted(cluster_ids))))}


def _whole(db: sqlite3.Connection, where: str, params: Sequence[object],
           order: str) -> Iterator[tuple[str, str]]:
    """(kind, whole JSON) of the clusters ``where`` selects (on ``clusters c``), in ``order``:
    each one's own fields with the lists of its parts, part after part."""
    rows = db.execute(
        f"""SELECT c.kind, c.cluster_id, c.body, p.mentions, p.merges, p.assertions
            FROM clusters c JOIN cluster_parts p ON p.kind = c.kind AND p.cluster_id = c.cluster_id
            WHERE {where} ORDER BY {order}, p.first""", params)
    for (kind, _), group in itertools.groupby(rows, key=lambda row: (row[0], row[1])):
        parts = list(group)
        head = parts[0][2]
        lists = [("mentions", [p[3] for p in parts]), ("merges", [p[4] for p in parts])]
        if parts[0][5] is not None:
            lists.append(("assertions", [p[5] for p in parts]))
        fields = ",".join(
            f'"{name}":[' + ",".join(piece[1:-1] for piece in pieces if piece != "[]") + "]"
            for name, pieces in lists)
        yield kind, head[:-1] + "," + fields + "}"


def load_representatives(
    store: Store, kind: str, *, clusters: Collection[str] | None = None,
    speakers: Collection[str] | None = None,
) -> Iterator[tuple[str, str | None, int | None, Mention]]:
    """(cluster id, its speaker's actor id for quotes, its position in the cluster,
    representative) of every stored cluster of ``kind``; only of the ``clusters`` given, or
    (quotes) of the ``speakers`` given or of none known."""
    model = _MENTIONS[kind]
    sql = "SELECT cluster_id, actor_id, member, body FROM cluster_representatives WHERE kind = ?"
    params: list[object] = [kind]
    if clusters is not None:
        sql += " AND cluster_id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(sorted(clusters)))
    if speakers is not None:
        sql += " AND (actor_id IS NULL OR actor_id IN (SELECT value FROM json_each(?)))"
        params.append(json.dumps(sorted(speakers)))
    for cluster_id, actor_id, member, body in store.db.execute(
        sql + " ORDER BY cluster_id, position", params
    ):
        yield cluster_id, actor_id, member, model.model_validate_json(body)


def clusters_with_keys(store: Store, kind: str, keys: Collection[int]) -> set[str]:
    """The stored clusters of ``kind`` found by one of ``keys``."""
    return {row[0] for row in store.db.execute(
        "SELECT DISTINCT cluster_id FROM cluster_keys WHERE kind = ? AND key IN "
        "(SELECT value FROM json_each(?))", (kind, json.dumps(sorted(keys))))}


def claim_heads(store: Store, cluster_ids: Collection[str]) -> list[ClaimCluster]:
    """The stored claim clusters with these ids without their members: id, statement and what
    it denies, for denials to be sought (never saved)."""
    return [
        ClaimCluster.model_construct(claim_id=claim_id, statement=head["statement"], mentions=(),
                                     assertions=(), merges=(), denies=head.get("denies"))
        for claim_id, body in store.db.execute(
            "SELECT cluster_id, body FROM clusters WHERE kind = 'claim' AND cluster_id IN "
            "(SELECT value FROM json_each(?)) ORDER BY cluster_id",
            (json.dumps(sorted(cluster_ids)),))
        for head in (json.loads(body),)
    ]


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
        rows = _whole(
            store.db, "c.kind = ?1 AND c.cluster_id IN (SELECT cluster_id FROM clusters WHERE "
            "kind = ?1 ORDER BY mentions DESC, cluster_id LIMIT ?2)", (kind, limit),
            "c.mentions DESC, c.cluster_id")
        loaded[kind] = [model.model_validate_json(body) for _, body in rows]
        counts[kind] = store.query("SELECT count(*) FROM clusters WHERE kind = ?", (kind,))[0][0]
    return Reconciliation(
        actors=tuple(c for c in loaded["actor"] if isinstance(c, ActorCluster)),
        quotes=tuple(c for c in loaded["quote"] if isinstance(c, QuoteCluster)),
        claims=tuple(c for c in loaded["claim"] if isinstance(c, ClaimCluster)),
    ), counts


def load_reconciliation(store: Store) -> Reconciliation | None:
    """The latest saved reconciliation, or None when ``reconcile`` never ran on this store."""
    if not store.query("SELECT 1 FROM clusters LIMIT 1"):
        return None
    loaded: dict[str, list[Cluster]] = {kind: [] for kind in _KINDS}
    try:
        # Largest first, as reconciliation orders them (an incremental save leaves positions).
        for kind, body in _whole(store.db, "1", (), "c.kind, c.mentions DESC, c.cluster_id"):
            loaded[kind].append(_KINDS[kind].model_validate_json(body))
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
