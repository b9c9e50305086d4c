"""Reconciliation on the held-out sets 3, 4 and 5 (tests/eval/*_N.json, see its README), scored
pairwise, one table for all three.

Each set was written by a helper that never read the matcher's rules, lexicons or knowledge files,
so its figures were blind when it landed (sets 3 and 4 have since been scored often; set 5 is the
blind one). Every set must be well formed and as large as its README says. Precision and recall
each hold their floor (a regression fails) and xfail, with the figure, until the target is
reached: precision 1.00, recall the issue's targets (actors 0.95, quotes 0.85).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tests.reconcile.unseen_sets import (
    actor_mentions,
    hold_floor_then_target,
    load_set,
    quote_mentions,
    score_actor_set,
    score_quote_set,
)

PRECISION_TARGET, ACTOR_RECALL_TARGET, QUOTE_RECALL_TARGET = 1.0, 0.95, 0.85
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclass(frozen=True)
class HeldOutSet:
    """One held-out set: its files, the sizes its README promises and the floors last measured."""

    number: int
    actor_sizes: tuple[int, int, int]  # at least: mentions, entities, articles
    quote_sizes: tuple[int, int]  # at least: quotes, remarks
    actor_floors: tuple[float, float]  # precision, recall
    quote_floors: tuple[float, float]
    names_printed_checked: bool = True  # set 3 was written before that check existed

    @property
    def corpus(self) -> str:
        return f"unseen news, set {self.number}"

    @property
    def actors(self) -> str:
        return f"unseen_actors_{self.number}.json"

    @property
    def quotes(self) -> str:
        return f"unseen_quotes_{self.number}.json"


# Floors: the figures last measured, rounded down (tests/eval/README.md gives each set's history).
# Set 3: actors R 0.589 when it landed, 0.753 since the acronym and government rules; quotes
# 0.771 until they joined across speakers whose names fit, then 0.854, 0.896 on bd410b6. Set 4
# (landed on 6954ef4): actors P 0.901, quotes P 0.922 then 0.930 / R 0.930. Set 5 (measured once
# when written, on 94722b6): actors P 0.987 / R 0.786, quotes P 1.000 / R 0.878; actors P 0.991
# / R 0.791 on bd410b6, 0.991 / 0.786 on f09f1d3 (the next session's actor rules, written without
# opening set 5, lost 0.005 of its recall: a regression, recorded, not tuned away on the blind set).
SETS = (
    HeldOutSet(3, (150, 50, 0), (40, 15), (1.0, 0.75), (1.0, 0.89), names_printed_checked=False),
    HeldOutSet(4, (300, 120, 50), (45, 18), (0.90, 0.67), (0.92, 0.92)),
    HeldOutSet(5, (450, 200, 80), (55, 25), (0.99, 0.78), (1.00, 0.87)),
)
each_set = pytest.mark.parametrize("held_out", SETS, ids=lambda s: f"set{s.number}")
each_set_printed_verbatim = pytest.mark.parametrize(
    "held_out", [s for s in SETS if s.names_printed_checked], ids=lambda s: f"set{s.number}"
)
Scores = Callable[[HeldOutSet, str], tuple[float, float]]


@pytest.fixture(scope="module")
def scores(pytestconfig: pytest.Config) -> Scores:
    """A set's (precision, recall) for 'actors' or 'quotes', scored once per run and recorded."""
    found: dict[tuple[int, str], tuple[float, float]] = {}

    def score(held_out: HeldOutSet, kind: str) -> tuple[float, float]:
        if (held_out.number, kind) not in found:
            if kind == "actors":
                result = score_actor_set(pytestconfig, held_out.corpus, held_out.actors)
            else:
                result = score_quote_set(pytestconfig, held_out.corpus, held_out.quotes)
            found[held_out.number, kind] = result
        return found[held_out.number, kind]

    return score


@each_set
def test_each_set_is_as_large_as_its_readme_says(held_out: HeldOutSet) -> None:
    mentions, gold = actor_mentions(held_out.actors)
    least_mentions, least_entities, least_articles = held_out.actor_sizes
    assert len(mentions) >= least_mentions and len(set(gold)) >= least_entities
    assert len(load_set(held_out.actors)["articles"]) >= least_articles
    quotes, _, remarks = quote_mentions(held_out.quotes)
    least_quotes, least_remarks = held_out.quote_sizes
    assert len(quotes) >= least_quotes and len(set(remarks)) >= least_remarks
    assert len(set(remarks)) < len(remarks)  # some remark is printed more than once


@each_set
def test_every_article_and_gold_label_of_each_set_is_well_formed(held_out: HeldOutSet) -> None:
    articles = load_set(held_out.actors)["articles"]
    ids = [article["id"] for article in articles]
    assert len(ids) == len(set(ids))
    for article in articles:
        printed = [(name, entity) for name, _, entity in article["actors"]]
        assert len(printed) == len(set(printed)), article["id"]
        assert all(SLUG.fullmatch(entity) for _, entity in printed), article["id"]
    for article, speaker, text, remark in load_set(held_out.quotes)["quotes"]:
        assert SLUG.fullmatch(remark) and speaker.strip() and text.strip(), article


@each_set_printed_verbatim
def test_every_mention_of_each_set_is_printed_in_its_article(held_out: HeldOutSet) -> None:
    for article in load_set(held_out.actors)["articles"]:
        missing = [name for name, _, _ in article["actors"] if name not in article["text"]]
        assert not missing, (article["id"], missing)
    quotes = load_set(held_out.quotes)
    for article, speaker, text, _ in quotes["quotes"]:
        assert speaker in quotes["articles"][article], (article, speaker)
        assert text in quotes["articles"][article], (article, text)


@each_set
def test_an_entity_of_each_set_has_one_kind(held_out: HeldOutSet) -> None:
    mentions, gold = actor_mentions(held_out.actors)
    kinds: dict[str, set[str]] = {}
    for mention, entity in zip(mentions, gold, strict=True):
        kinds.setdefault(entity, set()).add(mention.kind)
    assert all(len(found) == 1 for found in kinds.values())


@each_set
def test_actors_hold_their_precision_and_aim_at_merging_no_two_entities(
    held_out: HeldOutSet, scores: Scores
) -> None:
    precision, _ = scores(held_out, "actors")
    hold_floor_then_target(precision, held_out.actor_floors[0], PRECISION_TARGET, name="P")


@each_set
def test_actor_recall_holds_its_floor_and_aims_at_the_target(
    held_out: HeldOutSet, scores: Scores
) -> None:
    _, recall = scores(held_out, "actors")
    hold_floor_then_target(recall, held_out.actor_floors[1], ACTOR_RECALL_TARGET, name="R")


@each_set
def test_quotes_hold_their_precision_and_aim_at_merging_no_two_remarks(
    held_out: HeldOutSet, scores: Scores
) -> None:
    precision, _ = scores(held_out, "quotes")
    hold_floor_then_target(precision, held_out.quote_floors[0], PRECISION_TARGET, name="P")


@each_set
def test_quote_recall_holds_its_floor_and_aims_at_the_target(
    held_out: HeldOutSet, scores: Scores
) -> None:
    _, recall = scores(held_out, "quotes")
    hold_floor_then_target(recall, held_out.quote_floors[1], QUOTE_RECALL_TARGET, name="R")
