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

``SharedFeatureIndex`` finds the same candidates from compact arrays (what quotes use: at 100k
articles their paraphrase features are hundreds a printing); ``FeatureTable`` keeps the features
alone, for claims, whose linkage keeps postings of the texts it has seen itself.
"""

from __future__ import annotations

import logging
from array import array
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

logger = logging.getLogger(__name__)

_CHUNK = 1 << 16  # occurrences handled a slice at a time, not copied whole


@dataclass
class BlockingStats:
    """What blocking did, for benchmarks and the log."""

    texts: int = 0
    candidate_pairs: int = 0
    capped_texts: int = 0  # texts whose candidates were cut to ``max_candidates``
    verified_pairs: int = 0
    accepted_pairs: int = 0


@dataclass
class FeatureTable:
    """Each text's block and distinct features, without postings: for a caller that walks the
    texts in order and keeps postings of the texts seen so far itself (claims' ``_judge_pairs``),
    where ``RareFeatureIndex``'s postings of every text would only be held, never read."""

    max_candidates: int
    stats: BlockingStats = field(default_factory=BlockingStats)
    _features: list[tuple[Hashable, tuple[Hashable, ...]]] = field(default_factory=list)

    def add(self, block: Hashable, features: Sequence[Hashable]) -> int:
        """Record one text; its number (0, 1, ...)."""
        self._features.append((block, tuple(dict.fromkeys(features))))
        self.stats.texts += 1
        return len(self._features) - 1

    def features(self, number: int) -> tuple[Hashable, tuple[Hashable, ...]]:
        """The block and the distinct features text ``number`` was recorded with."""
        return self._features[number]


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


@dataclass
class SharedFeatureIndex:
    """``RareFeatureIndex``'s candidates, held compact: for an index that never needs a text's
    features back (quotes), at 100k articles the postings of the paraphrase sources' features
    (hundreds a printing: each sense of each verb beside its neighbour) took most of the memory.

    Each (block, feature) is kept as its 64-bit hash while texts are added (8 bytes an
    occurrence); on the first query the hashes are counted, those of one text alone dropped
    (no candidate comes from them, so the candidates are the same) and the rest laid out as
    arrays: per text its features' numbers, per feature its texts. Two features of one hash
    would share a posting, adding candidates, never losing one; at 10M features the chance of
    any such pair is about 1 in 300,000."""

    rare: int
    max_candidates: int
    stats: BlockingStats = field(default_factory=BlockingStats)
    _hashes: array[int] = field(default_factory=lambda: array("q"))
    _ends: array[int] = field(default_factory=lambda: array("q"))
    _sealed: tuple[npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.int64],
                   npt.NDArray[np.int32]] | None = None
    _rarest_of: dict[int, frozenset[int]] = field(default_factory=dict)

    def add(self, block: Hashable, features: Sequence[Hashable]) -> int:
        """Index one text; its number (0, 1, ...)."""
        if self._sealed is not None:
            raise ValueError("texts are added before the index is queried")
        number = len(self._ends)
        self._hashes.extend(dict.fromkeys(hash((block, feature)) for feature in features))
        self._ends.append(len(self._hashes))
        self.stats.texts += 1
        return number

    def _seal(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32],
                             npt.NDArray[np.int64], npt.NDArray[np.int32]]:
        """(each text's end in the feature numbers, the feature numbers of every text in turn,
        each feature's end in the postings, the postings' texts), features of one text dropped.

        Features are numbered in the order of their hashes, as ``np.unique`` would, but without
        its copies: the stable sort's permutation is the one array of 8 bytes an occurrence,
        the rest is 4 bytes or less, built a slice at a time where it can be (about 24 bytes an
        occurrence beside the hashes at the peak, instead of 53: at 100k articles the
        cross-speaker pass seals tens of millions of them)."""
        if self._sealed is not None:
            return self._sealed
        ends = np.frombuffer(self._ends, dtype=np.int64)
        hashes = np.frombuffer(self._hashes, dtype=np.int64)
        size = len(hashes)
        # A stable sort keeps the occurrences of each feature in the order they were added.
        order = np.argsort(hashes, kind="stable")
        first = np.ones(size, dtype=bool)  # where a new feature starts, in sorted order
        for start in range(0, max(size - 1, 0), _CHUNK):
            stop = min(start + _CHUNK, size - 1)
            run = hashes[order[start : stop + 1]]
            np.not_equal(run[1:], run[:-1], out=first[start + 1 : stop + 1])
        del hashes
        self._hashes, self._ends = array("q"), array("q")
        starts = np.flatnonzero(first)
        counts = np.diff(starts, append=size)
        shared = counts > 1
        renumber = np.where(shared, np.cumsum(shared) - 1, -1).astype(np.int32)
        count = np.int32 if size < 1 << 31 else np.int64  # what counts occurrences
        group = np.cumsum(first, dtype=count)
        del first, starts
        np.subtract(group, 1, out=group)
        numbered = renumber[group]  # each sorted occurrence's feature number, -1: dropped
        del group, renumber
        feature_of = np.empty(size, dtype=np.int32)
        feature_of[order] = numbered
        kept = numbered >= 0
        del numbered
        # Each kept occurrence's text, in sorted order: the postings, feature after feature.
        postings = np.empty(int(np.count_nonzero(kept)), dtype=np.int32)
        at = 0
        for start in range(0, size, _CHUNK):
            chunk = slice(start, start + _CHUNK)
            found = np.searchsorted(ends, order[chunk][kept[chunk]], side="right")
            postings[at : at + len(found)] = found
            at += len(found)
        del order, kept
        kept = feature_of >= 0
        features = feature_of[kept]
        del feature_of
        before = np.zeros(size + 1, dtype=count)  # kept occurrences before each position
        np.cumsum(kept, out=before[1:])
        text_ends = before[ends].astype(np.int64)
        del before, kept
        posting_ends = np.cumsum(counts[shared])
        self._sealed = (text_ends, features, posting_ends, postings)
        return self._sealed

    def _postings(self, number: int) -> list[npt.NDArray[np.int32]]:
        """The postings (other texts included) of text ``number``'s shared features, in the
        order its features were added."""
        _, _, posting_ends, postings = self._seal()
        return [
            postings[(int(posting_ends[f - 1]) if f else 0) : int(posting_ends[f])]
            for f in self._features_of(number)
        ]

    def _rarest_bounds(self, number: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """(starts, ends) in the postings of text ``number``'s ``rare`` rarest shared features,
        ties in the order they were added (as a stable sort of ``_postings`` by size)."""
        text_ends, features, posting_ends, _ = self._seal()
        own = features[(int(text_ends[number - 1]) if number else 0) : int(text_ends[number])]
        ends = posting_ends[own]
        starts = np.where(own > 0, posting_ends[own - 1], 0)
        rarest = np.argsort(ends - starts, kind="stable")[: self.rare]
        return starts[rarest], ends[rarest]

    def candidates(self, number: int, priority: Callable[[int], tuple[object, ...]]) -> list[int]:
        """Texts sharing one of the ``rare`` rarest features of text ``number`` (shared ones only),
        best ``priority`` first, at most ``max_candidates``."""
        postings = self._seal()[3]
        chosen: set[int] = set()
        for start, end in zip(*self._rarest_bounds(number), strict=True):
            chosen.update(postings[start:end].tolist())
        return self._ranked(number, chosen, priority, "its rarest features")

    def sharing(self, number: int, priority: Callable[[int], tuple[object, ...]]) -> list[int]:
        """Texts sharing any feature of text ``number``, best ``priority`` first, at most
        ``max_candidates`` (``RareFeatureIndex.sharing``)."""
        chosen: set[int] = set()
        for posting in self._postings(number):
            chosen.update(posting.tolist())
        return self._ranked(number, chosen, priority, "its features")

    def paired(self, number: int, priority: Callable[[int], tuple[object, ...]]) -> list[int]:
        """The texts ``pairs`` pairs with text ``number``, either way (``RareFeatureIndex.paired``):
        its candidates, and the texts that hold one of its features among their ``rare`` rarest
        shared ones, best ``priority`` first."""
        found = dict.fromkeys(self.candidates(number, priority))
        _, _, posting_ends, postings = self._seal()
        for feature in self._features_of(number):
            start = int(posting_ends[feature - 1]) if feature else 0
            for other in postings[start : int(posting_ends[feature])].tolist():
                if other != number and other not in found and feature in self._rarest(other):
                    found[other] = None
        return sorted(found, key=priority)

    def _features_of(self, number: int) -> list[int]:
        """The numbers of text ``number``'s shared features, in the order they were added."""
        text_ends, features, _, _ = self._seal()
        start = int(text_ends[number - 1]) if number else 0
        return list(features[start : int(text_ends[number])].tolist())

    def _rarest(self, number: int) -> frozenset[int]:
        """The ``rare`` rarest shared features of text ``number``, as ``candidates`` picks them."""
        found = self._rarest_of.get(number)
        if found is None:
            text_ends, features, posting_ends, _ = self._seal()
            own = features[(int(text_ends[number - 1]) if number else 0) : int(text_ends[number])]
            sizes = posting_ends[own] - np.where(own > 0, posting_ends[own - 1], 0)
            found = self._rarest_of[number] = frozenset(
                own[np.argsort(sizes, kind="stable")[: self.rare]].tolist())
        return found

    def pairs(self, priority: Callable[[int], tuple[object, ...]]) -> Iterator[tuple[int, int]]:
        """(text, candidate) for every text, texts in ``priority`` order."""
        for number in sorted(range(len(self._seal()[0])), key=priority):
            for other in self.candidates(number, priority):
                yield number, other

    def _ranked(self, number: int, chosen: set[int],
                priority: Callable[[int], tuple[object, ...]], what: str) -> list[int]:
        chosen.discard(number)
        ranked = sorted(chosen, key=priority)
        if len(ranked) > self.max_candidates:
            self.stats.capped_texts += 1
            logger.info("text %d shares %s with %d others; the first %d by priority are "
                        "compared", number, what, len(ranked), self.max_candidates)  # fmt: skip
            ranked = ranked[: self.max_candidates]
        self.stats.candidate_pairs += len(ranked)
        return ranked
