"""Reconciliation on the second held-out set (tests/eval/*_2.json, see its README), scored pairwise.

Written before the rules of its round changed, so its figures are blind to them. Each test asserts
the floor last measured (a regression fails) and, where the issue's target is not reached, marks
itself xfail with the figure, so the gap stays visible in the run beside the first set's.
"""

from __future__ import annotations

import pytest

from tests.reconcile.unseen_sets import (
    actor_mentions,
    quote_mentions,
    score_actor_set,
    score_quote_set,
)

CORPUS = "unseen news, set 2"

# Floors (precision, recall): the figures measured last, rounded down (see tests/eval/README.md).
# Targets: the issue's, precision 1.00 and recall 0.95 (actors) / 0.85 (quotes).
ACTOR_FLOOR, ACTOR_TARGET = (1.0, 0.95), (1.0, 0.95)
QUOTE_FLOOR, QUOTE_TARGET = (1.0, 0.88), (1.0, 0.85)


def test_the_second_sets_are_as_large_as_the_issue_asks() -> None:
    mentions, gold = actor_mentions("unseen_actors_2.json")
    assert len(mentions) >= 100 and len(set(gold)) >= 40
    quotes, _, remarks = quote_mentions("unseen_quotes_2.json")
    assert len(quotes) >= 30 and len(set(remarks)) < len(remarks)


def _hold_floor_then_target(
    scores: tuple[float, float], floor: tuple[float, float], target: tuple[float, float]
) -> None:
    """Fail below the floor; xfail, with the figures, between the floor and the target."""
    (precision, recall), (least_p, least_r), (want_p, want_r) = scores, floor, target
    assert precision >= least_p and recall >= least_r, scores
    if precision < want_p or recall < want_r:
        pytest.xfail(f"P {precision:.3f} / R {recall:.3f}: the target is P {want_p} / R {want_r}")


def test_second_set_actors_reconcile_as_the_issue_targets(request: pytest.FixtureRequest) -> None:
    scores = score_actor_set(request.config, CORPUS, "unseen_actors_2.json")
    _hold_floor_then_target(scores, ACTOR_FLOOR, ACTOR_TARGET)


def test_second_set_quotes_cluster_as_the_issue_targets(request: pytest.FixtureRequest) -> None:
    scores = score_quote_set(request.config, CORPUS, "unseen_quotes_2.json")
    _hold_floor_then_target(scores, QUOTE_FLOOR, QUOTE_TARGET)
