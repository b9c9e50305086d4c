"""The compact index finds exactly the candidates of the plain one."""

from __future__ import annotations

import random
import tracemalloc

import pytest

from pipeline.reconcile.blocking import RareFeatureIndex, SharedFeatureIndex


def _indexes(seed: int) -> tuple[RareFeatureIndex, SharedFeatureIndex, int]:
    """Both indexes over the same random texts: few blocks, features of skewed frequency."""
    chance = random.Random(seed)
    plain = RareFeatureIndex(rare=3, max_candidates=6)
    shared = SharedFeatureIndex(rare=3, max_candidates=6)
    texts = 120
    for _ in range(texts):
        block = chance.choice(("a", "b", "c"))
        features = [("w", int(chance.paretovariate(1.2))) for _ in range(chance.randint(0, 12))]
        assert plain.add(block, features) == shared.add(block, features)
    return plain, shared, texts


@pytest.mark.parametrize("seed", range(5))
def test_shared_index_matches_plain_index(seed: int) -> None:
    plain, shared, texts = _indexes(seed)

    def priority(number: int) -> tuple[int, int]:
        return (number % 7, number)

    assert list(shared.pairs(priority)) == list(plain.pairs(priority))
    for number in range(texts):
        assert shared.candidates(number, priority) == plain.candidates(number, priority)
        assert shared.sharing(number, priority) == plain.sharing(number, priority)
        assert shared.paired(number, priority) == plain.paired(number, priority)
    assert shared.stats == plain.stats


def test_shared_index_takes_no_text_once_queried() -> None:
    shared = SharedFeatureIndex(rare=1, max_candidates=5)
    shared.add("a", ["x"])
    shared.candidates(0, lambda number: (number,))
    with pytest.raises(ValueError, match="before the index is queried"):
        shared.add("a", ["x"])


@pytest.mark.parametrize("features", [[], [[]], [["x"], []], [["x"], ["y"]]],
                         ids=["no-text", "no-feature", "one-text-has-one", "none-shared"])
def test_shared_index_without_shared_features_pairs_nothing(features: list[list[str]]) -> None:
    shared = SharedFeatureIndex(rare=2, max_candidates=5)
    for own in features:
        shared.add("a", own)
    assert list(shared.pairs(lambda number: (number,))) == []
    assert all(shared.paired(number, lambda n: (n,)) == [] for number in range(len(features)))


def test_sealing_the_shared_index_holds_few_bytes_per_feature() -> None:
    """At 100k articles the cross-speaker pass seals ~10^8 occurrences: each byte an occurrence
    counts. ``np.unique`` with its inverse and counts took about 53 bytes an occurrence."""
    chance = random.Random(7)
    shared = SharedFeatureIndex(rare=2, max_candidates=5)
    for _ in range(10_000):
        shared.add("a", [chance.randrange(300_000) for _ in range(100)])
    occurrences = len(shared._hashes)
    tracemalloc.start()
    try:
        shared.candidates(0, lambda number: (number,))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak / occurrences < 30
