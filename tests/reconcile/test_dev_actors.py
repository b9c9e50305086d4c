"""Reconciliation on the actors' development set (tests/eval/dev_actors_1.json), scored pairwise.

Not held out: written by the helper that changes the actor rules, from invented news, to find
kinds of misses (mixed-case acronyms, an acronym expanded in another article, a demonym's
government for its state, titles printed in lower case) before writing general rules for them.
Its figures say what those rules reach on the kinds it holds, not what news at large gets: the
held-out sets do that. Precision must be 1.00; recall holds the floor last measured.
"""

from __future__ import annotations

import pytest

from tests.reconcile.unseen_sets import actor_mentions, score_actor_set

DEV = "dev_actors_1.json"
# Measured 0.852 before the rules it was written for (on 6954ef4), then as each landed.
RECALL_FLOOR = 0.95


def test_the_development_set_is_as_large_as_the_issue_asks_of_a_set() -> None:
    mentions, gold = actor_mentions(DEV)
    assert len(mentions) >= 100 and len(set(gold)) >= 40


def test_development_set_actors_merge_no_two_entities_and_hold_their_recall(
    request: pytest.FixtureRequest,
) -> None:
    precision, recall = score_actor_set(request.config, "dev set (not held out)", DEV)
    assert precision == 1.0
    assert recall >= RECALL_FLOOR, recall
