"""Canonical ids that stay put when articles are added and reconciliation runs again.

An id is first derived from the canonical form ('country/north-korea', 'person/antony-blinken'),
so a run from scratch over the same corpus gives the same ids. A canonical form can change when new
articles bring a fuller name; given the previous run's assignment (mention key -> id), a cluster
keeps the id most of its earlier mentions had, and a new cluster never takes an id in use.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from schemas.clusters import ActorCluster, ClaimCluster, QuoteCluster


def assign_ids(
    proposed: Sequence[str],
    member_keys: Sequence[Sequence[str]],
    previous: Mapping[str, str] | None = None,
) -> list[str]:
    """One id per cluster: its previous id where it had one, else its proposed id made unique."""
    assigned: list[str | None] = [None] * len(proposed)
    taken: set[str] = set()
    if previous:
        claims: list[tuple[int, int, str]] = []  # (-votes, cluster, old id)
        for cluster, keys in enumerate(member_keys):
            votes = Counter(previous[key] for key in keys if key in previous)
            claims.extend((-count, cluster, old) for old, count in votes.items())
        for _, cluster, old in sorted(claims):
            if assigned[cluster] is None and old not in taken:
                assigned[cluster] = old
                taken.add(old)
        taken |= set(previous.values())  # an id once given is never given to another actor
    order = sorted(
        (i for i in range(len(proposed)) if assigned[i] is None),
        key=lambda i: (proposed[i], min(member_keys[i], default="")),
    )
    for i in order:
        candidate, suffix = proposed[i], 2
        while candidate in taken:
            candidate, suffix = f"{proposed[i]}~{suffix}", suffix + 1
        assigned[i] = candidate
        taken.add(candidate)
    return [actor_id for actor_id in assigned if actor_id is not None]


def id_assignment(clusters: Iterable[ActorCluster | QuoteCluster | ClaimCluster]) -> dict[str, str]:
    """Mention key -> cluster id: the ``previous`` a later run takes to keep these ids."""
    assignment: dict[str, str] = {}
    for cluster in clusters:
        if isinstance(cluster, ActorCluster):
            cluster_id = cluster.actor_id
        elif isinstance(cluster, QuoteCluster):
            cluster_id = cluster.quote_id
        else:
            cluster_id = cluster.claim_id
        for mention in cluster.mentions:
            assignment[mention.key] = cluster_id
    return assignment
