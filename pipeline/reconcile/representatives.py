"""The few mentions of a cluster that new mentions are matched against in an incremental run.

A cluster of 10,000 copies is matched by what tells it apart, never by its copies:

- an actor by each distinct name it was printed under (identity, Splink and partial names work
  on names);
- a quote by each distinct printing (its words once typography is set aside): blocking and the
  verifiers work on distinct printings;
- a claim by its first ``max_representatives`` distinct statements in word order: exactly the
  members bounded complete linkage checks a newcomer against.

Each representative is a real member (the first printing of its text by mention key), so a merge
found against it is a merge with the cluster.

A claim cluster is also found by its keys (``stored_key``): each of its texts' block and feature,
its words, and the block its denials are sought in. An incremental run reads the keys of the new
claims and loads the representatives of only the clusters that share one, since no other cluster
is ever compared with them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from typing import TypeVar

from schemas.clusters import ActorCluster, ClaimCluster, QuoteCluster
from schemas.mentions import ActorMention, ClaimMention, QuoteMention

M = TypeVar("M", ActorMention, QuoteMention, ClaimMention)
K = TypeVar("K")
ClusterKeys = dict[str, set[int]]
"""Cluster id -> the keys it is found by (``stored_key``)."""


def stored_key(*parts: Hashable) -> int:
    """A stable 64-bit key of ``parts`` (their repr), to store and to index in SQLite."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def representatives_of(
    cluster: ActorCluster | QuoteCluster | ClaimCluster, *, claims: int
) -> list[ActorMention] | list[QuoteMention] | list[ClaimMention]:
    """The cluster's representatives, one per distinct text, first by mention key; of a claim
    cluster, the first ``claims`` (linkage's ``max_representatives``)."""
    # Imported here: quotes and claims import the storage of their clusters' types only.
    from pipeline.reconcile.quotes import printing_key
    from pipeline.reconcile.text import words

    if isinstance(cluster, ActorCluster):
        return _first_by_key(cluster.mentions, lambda m: (m.name, m.kind))
    if isinstance(cluster, QuoteCluster):
        printing = _once(printing_key)
        return _first_by_key(cluster.mentions, lambda m: printing(m.text))
    statement = _once(words)
    chosen = _first_by_key(cluster.mentions, lambda m: statement(m.statement))
    chosen.sort(key=lambda m: statement(m.statement))
    return chosen[:claims]


def _once(function: Callable[[str], K]) -> Callable[[str], K]:
    """``function`` computed once per distinct text: a cluster's copies print the same few."""
    done: dict[str, K] = {}

    def call(text: str) -> K:
        found = done.get(text)
        if found is None:
            found = done[text] = function(text)
        return found

    return call


def _first_by_key(mentions: tuple[M, ...], text: Callable[[M], Hashable]) -> list[M]:
    best: dict[Hashable, M] = {}
    for mention in mentions:
        key = text(mention)
        found = best.get(key)
        if found is None or mention.key < found.key:
            best[key] = mention
    return list(best.values())
