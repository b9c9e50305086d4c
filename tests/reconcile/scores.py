"""Pairwise precision and recall of reconciliation, kept for the summary at the end of the run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import pytest

_SCORES = pytest.StashKey[list["ReconcileScore"]]()


@dataclass(frozen=True)
class ReconcileScore:
    corpus: str  # 'seeds (hand-made)', 'unseen news'
    kind: str  # 'actors', 'quotes'
    mentions: int
    entities: int
    precision: float
    recall: float


def pairwise_precision_recall(predicted: Sequence[str], gold: Sequence[str]) -> tuple[float, float]:
    """Over all pairs of mentions: precision of predicted same-entity pairs, recall of gold ones."""
    true_positive = predicted_pairs = gold_pairs = 0
    for i, j in combinations(range(len(gold)), 2):
        same_predicted, same_gold = predicted[i] == predicted[j], gold[i] == gold[j]
        predicted_pairs += same_predicted
        gold_pairs += same_gold
        true_positive += same_predicted and same_gold
    precision = true_positive / predicted_pairs if predicted_pairs else 1.0
    recall = true_positive / gold_pairs if gold_pairs else 1.0
    return precision, recall


def record_score(
    config: pytest.Config, corpus: str, kind: str, predicted: Sequence[str], gold: Sequence[str]
) -> tuple[float, float]:
    precision, recall = pairwise_precision_recall(predicted, gold)
    if _SCORES not in config.stash:
        config.stash[_SCORES] = []
    config.stash[_SCORES].append(
        ReconcileScore(corpus, kind, len(gold), len(Counter(gold)), precision, recall)
    )
    return precision, recall


def recorded_scores(config: pytest.Config) -> list[ReconcileScore]:
    return list(config.stash.get(_SCORES, []))
