"""Candidate pairs by rare shared features: near-linear in distinct texts, no true pair cut off.

Each distinct text is indexed by its features (runs of words for quotes, object words for claims)
within its block (a speaker, a predicate and agent). A text's candidates are the texts in the
postings of its ``rare`` rarest features (features no other text has do not count). A fragment's
every run of words stands in the fuller printing, so the fuller printing is in every posting of
the fragment, the rarest included: containment is never missed, however popular the remark. A
near copy (a typo, a retyped word) shares every run but the few around the change, so one of the
two finds the other unless each one's rarest run is the other's changed one. Cost is the size of
the rarest postings, never the square of a common one: a phrase a speaker repeats in every remark
('we will continue to') is never the rarest of a remark that has anything of its own.

MinHash/LSH (datasketch) was weighed and left: it estimates Jaccard similarity, and a fragment of
8 words out of 40 has a Jaccard of about 0.15, far below any useful LSH threshold; the rarest
shared feature finds it exactly.

Where one text's candidates would exceed ``max_candidates`` (a generic phrase a speaker repeats in
thousands of remarks), the ones that rank first by ``priority`` are kept, and the cut is counted
and logged: never silent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)


@dataclass
class BlockingStats:
    """What blocking did, for benchmarks and the log."""

    texts: int = 0
    candidate_pairs: int = 0
    capped_texts: int = 0  # texts whose candidates were cut to ``max_candidates``
    verified_pairs: int = 0
    accepted_pairs: int = 0


@dataclass
class RareFeatureIndex:
    """Postings of (block, feature) -> distinct texts, to find each text's candidates."""

    rare: int
    max_candidates: int
    stats: BlockingStats = field(default_factory=BlockingStats)
    _postings: dict[tuple[Hashable, Hashable], list[int]] = field(default_factory=dict)
    _features: list[tuple[Hashable, tuple[Hashable, ...]]] = field(default_factory=list)
    _rarest_of: dict[int, frozenset[Hashable]] = field(default_factory=dict)

    def add(self, block: Hashable, features: Sequence[Hashable]) -> int:
        """Index one text; its number (0, 1, ...)."""
        number = len(self._features)
        unique = tuple(dict.fromkeys(features))
        self._features.append((block, unique))
        for feature in unique:
            self._postings.setdefault((block, feature), []).append(number)
        self.stats.texts += 1
        return number

    def features(self, number: int) -> tuple[Hashable, tuple[Hashable, ...]]:
        """The block and the distinct features text ``number`` was indexed with."""
        return self._features[number]

    def candidates(self, number: int, priority: Callable[[int], tuple[object, ...]]) -> list[int]:
        """Texts sharing one of the ``rare`` rarest features of text ``number`` (shared ones only),
        best ``priority`` first, at most ``max_candidates``."""
        block, features = self._features[number]
        postings = sorted(
            (found for feature in features if len(found := self._postings[(block, feature)]) > 1),
            key=len,
        )
        chosen: set[int] = set()
        for posting in postings[: self.rare]:
            chosen.update(posting)
        chosen.discard(number)
        ranked = sorted(chosen, key=priority)
        if len(ranked) > self.max_candidates:
            self.stats.capped_texts += 1
            logger.info(
                "text %d shares its rarest features with %d others; the first %d by priority are "
                "compared", number, len(ranked), self.max_candidates,
            )
            ranked = ranked[: self.max_candidates]
        self.stats.candidate_pairs += len(ranked)
        return ranked

    def sharing(self, number: int, priority: Callable[[int], tuple[object, ...]]) -> list[int]:
        """Texts sharing any feature of text ``number`` (not only its rarest: every pair the
        rarest features of either text find), best ``priority`` first, at most
        ``max_candidates``."""
        block, features = self._features[number]
        chosen: set[int] = set()
        for feature in features:
            chosen.update(self._postings[(block, feature)])
        chosen.discard(number)
        ranked = sorted(chosen, key=priority)
        if len(ranked) > self.max_candidates:
            self.stats.capped_texts += 1
            logger.info("text %d shares its features with %d others; the first %d by priority are "
                        "compared", number, len(ranked), self.max_candidates)  # fmt: skip
            ranked = ranked[: self.max_candidates]
        self.stats.candidate_pairs += len(ranked)
        return ranked

    def paired(self, number: int, priority: Callable[[int], tuple[object, ...]]) -> list[int]:
        """The texts ``pairs`` pairs with text ``number``, either way: its candidates, and the
        texts that hold one of its features among their ``rare`` rarest shared ones, best
        ``priority`` first. What an incremental run judges of a new text: a full run's pairs,
        never every text that shares a common run with it (those grow with the corpus). The
        other texts' own ``max_candidates`` cut is not applied here."""
        block, features = self._features[number]
        found = dict.fromkeys(self.candidates(number, priority))
        for feature in features:
            for other in self._postings[(block, feature)]:
                if other != number and other not in found and feature in self._rarest(other):
                    found[other] = None
        return sorted(found, key=priority)

    def _rarest(self, number: int) -> frozenset[Hashable]:
        """The ``rare`` rarest shared features of text ``number``, as ``candidates`` picks them."""
        found = self._rarest_of.get(number)
        if found is None:
            block, features = self._features[number]
            shared = sorted((f for f in features if len(self._postings[(block, f)]) > 1),
                            key=lambda f: len(self._postings[(block, f)]))
            found = self._rarest_of[number] = frozenset(shared[: self.rare])
        return found

    def pairs(self, priority: Callable[[int], tuple[object, ...]]) -> Iterator[tuple[int, int]]:
        """(text, candidate) for every text, texts in ``priority`` order."""
        for number in sorted(range(len(self._features)), key=priority):
            for other in self.candidates(number, priority):
                yield number, other

