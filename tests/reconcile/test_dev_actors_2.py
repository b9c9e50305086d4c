"""Reconciliation on the actors' second development set (tests/eval/dev_actors_2.json), pairwise.

Not held out: written by the helper that changes the actor rules, from invented news of regions,
courts, science bodies, sport and companies that the seeds and the first development set do not
cover, with hard negatives (a father and son of one surname, two states' bodies of one name, one
acronym for two bodies, a parent company beside its listed subsidiary), before the matcher was run
on it. Its figures say what the rules reach on the kinds it holds, not what news at large gets.
Precision and recall hold the floors last measured and xfail, with the figure, below the targets.
"""

from __future__ import annotations

import pytest

from tests.reconcile.unseen_sets import actor_mentions, hold_floor_then_target, score_actor_set

DEV = "dev_actors_2.json"
# Measured when the set landed (on 3401060): P 0.934 / R 0.771, then as each rule landed; on
# fad868d (gender, title, suffix and misprint rules) P 0.944 / R 0.774; with legal forms and
# shared company heads P 0.983 / R 0.771; with group words P 0.983 / R 0.796; with the partial-name
# members fix, undecided state bodies and J/Zh transliterations P 0.997 / R 0.801.
PRECISION_FLOOR, RECALL_FLOOR = 0.99, 0.80
PRECISION_TARGET, RECALL_TARGET = 1.0, 0.95


@pytest.fixture(scope="module")
def scores(pytestconfig: pytest.Config) -> tuple[float, float]:
    return score_actor_set(pytestconfig, "dev set 2 (not held out)", DEV)


def test_the_second_development_set_is_as_large_as_the_issue_asks_of_a_set() -> None:
    mentions, gold = actor_mentions(DEV)
    assert len(mentions) >= 100 and len(set(gold)) >= 40


def test_second_development_set_precision(scores: tuple[float, float]) -> None:
    hold_floor_then_target(scores[0], PRECISION_FLOOR, PRECISION_TARGET, name="P")


def test_second_development_set_recall(scores: tuple[float, float]) -> None:
    hold_floor_then_target(scores[1], RECALL_FLOOR, RECALL_TARGET, name="R")
