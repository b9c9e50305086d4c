"""Find the reconciled actor behind a quote's speaker or a claim's asserter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.reconcile.text import lookup_key, words
from schemas.clusters import ActorCluster


@dataclass
class ActorLookup:
    """Actors by (article, extraction id) and by (article, printed name)."""

    actors: Sequence[ActorCluster] = ()
    _by_local: dict[tuple[str, str], ActorCluster] = field(init=False, default_factory=dict)
    _by_name: dict[tuple[str, str], ActorCluster] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        for cluster in self.actors:
            for mention in cluster.mentions:
                if mention.local_id is not None:
                    self._by_local.setdefault((mention.article_id, mention.local_id), cluster)
                self._by_name.setdefault((mention.article_id, lookup_key(mention.name)), cluster)

    def find(self, article_id: str, name: str | None, local_id: str | None) -> ActorCluster | None:
        if local_id is not None:
            found = self._by_local.get((article_id, local_id))
            if found is not None:
                return found
        if name is None:
            return None
        return self._by_name.get((article_id, lookup_key(name)))


def fallback_speaker_key(name: str) -> str:
    """Without reconciled actors, a speaker is known by the last word of the name: 'Kirby' and
    'John Kirby' agree, 'Kirby' and 'the White House' do not."""
    found = words(name)
    return f"name:{found[-1]}" if found else "name:"
