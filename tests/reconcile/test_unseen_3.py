"""Reconciliation on the third held-out set (tests/eval/*_3.json, see its README), scored pairwise.

Written without reading the matcher's rules or the knowledge files, so its figures are blind to
the changes measured on it. Precision must be 1.00 (measured P 0.978 when the set landed, on
e2202b4; 1.000 since Faker's given names, state bodies and the kinds of unknown names keep
twins, two leagues, a club and its city, a company and a forest apart). Recall holds the floor
last measured (a regression fails) and xfails, with the figure, until the target is reached.
"""

from __future__ import annotations

import re

import pytest

from tests.reconcile.unseen_sets import (
    actor_mentions,
    hold_floor_then_target,
    load_set,
    quote_mentions,
    score_actor_set,
    score_quote_set,
)

CORPUS = "unseen news, set 3"
ACTORS, QUOTES = "unseen_actors_3.json", "unseen_quotes_3.json"

# Recall floors: the figures last measured, rounded down (actors 0.589 when the set landed, see
# tests/eval/README.md; 0.753 since the acronym and government rules; quotes 0.771 until they
# joined across speakers whose names fit, 0.854 since). Targets: the issue's.
ACTOR_RECALL_FLOOR, ACTOR_RECALL_TARGET = 0.75, 0.95
QUOTE_RECALL_FLOOR, QUOTE_RECALL_TARGET = 0.85, 0.85
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@pytest.fixture(scope="module")
def actor_scores(pytestconfig: pytest.Config) -> tuple[float, float]:
    return score_actor_set(pytestconfig, CORPUS, ACTORS)


@pytest.fixture(scope="module")
def quote_scores(pytestconfig: pytest.Config) -> tuple[float, float]:
    return score_quote_set(pytestconfig, CORPUS, QUOTES)


def test_the_third_sets_are_as_large_as_the_brief_asks() -> None:
    mentions, gold = actor_mentions(ACTORS)
    assert len(mentions) >= 150 and len(set(gold)) >= 50
    quotes, _, remarks = quote_mentions(QUOTES)
    assert len(quotes) >= 40 and len(set(remarks)) >= 15 and len(set(remarks)) < len(remarks)


def test_every_third_set_article_and_gold_label_is_well_formed() -> None:
    articles = load_set(ACTORS)["articles"]
    ids = [article["id"] for article in articles]
    assert len(ids) == len(set(ids))
    for article in articles:
        printed = [(name, entity) for name, _, entity in article["actors"]]
        assert len(printed) == len(set(printed)), article["id"]
        assert all(SLUG.fullmatch(entity) for _, entity in printed), article["id"]
    for article, speaker, text, remark in load_set(QUOTES)["quotes"]:
        assert SLUG.fullmatch(remark) and speaker.strip() and text.strip(), article


def test_an_entity_of_the_third_set_has_one_kind() -> None:
    mentions, gold = actor_mentions(ACTORS)
    kinds: dict[str, set[str]] = {}
    for mention, entity in zip(mentions, gold, strict=True):
        kinds.setdefault(entity, set()).add(mention.kind)
    assert all(len(found) == 1 for found in kinds.values())


def test_third_set_actors_merge_no_two_entities(actor_scores: tuple[float, float]) -> None:
    precision, _ = actor_scores
    assert precision == 1.0


def test_third_set_actor_recall_holds_its_floor_and_aims_at_the_target(
    actor_scores: tuple[float, float],
) -> None:
    hold_floor_then_target(actor_scores[1], ACTOR_RECALL_FLOOR, ACTOR_RECALL_TARGET, name="R")


def test_third_set_quotes_merge_no_two_remarks(quote_scores: tuple[float, float]) -> None:
    precision, _ = quote_scores
    assert precision == 1.0


def test_third_set_quote_recall_holds_its_floor_and_aims_at_the_target(
    quote_scores: tuple[float, float],
) -> None:
    hold_floor_then_target(quote_scores[1], QUOTE_RECALL_FLOOR, QUOTE_RECALL_TARGET, name="R")
