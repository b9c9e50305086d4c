"""Reconciliation on news the seeds do not cover (tests/eval/, see its README), scored pairwise.

The scores are printed at the end of the run beside the seeds'. The floors asserted here are the
issue's targets; the sets were written before the rules they measure, and no rule was written
from them.
"""

from __future__ import annotations

import pytest

from pipeline.reconcile import reconcile_actors
from pipeline.reconcile.knowledge import default_knowledge_index
from pipeline.reconcile.text import lookup_key
from schemas.clusters import MergeRule
from schemas.extraction import ActorKind
from schemas.mentions import ActorMention
from tests.reconcile.scores import record_score
from tests.reconcile.unseen_sets import (
    actor_mentions,
    quote_mentions,
    quote_set_labels,
    score_actor_set,
    score_quote_set,
)


def test_the_unseen_actor_set_is_as_large_as_its_readme_says() -> None:
    mentions, gold = actor_mentions("unseen_actors.json")
    assert len(mentions) >= 100
    assert len(set(gold)) >= 40


def test_unseen_actor_mentions_reconcile_with_full_precision_and_high_recall(
    request: pytest.FixtureRequest,
) -> None:
    precision, recall = score_actor_set(request.config, "unseen news", "unseen_actors.json")
    assert precision == 1.0
    # The target; measured 0.954 once organisations came from a list of them and two-word
    # titles from WordNet (issue 9, second round). Not blind: rules changed after this set was
    # measured; the second set (test_unseen_2.py) is.
    assert recall >= 0.95


def test_every_pair_of_states_the_data_lists_as_confusable_stays_apart() -> None:
    """Every [[distinct]] pair of the generated files: all names of both, printed in articles of
    their own, end in two actors (North / South Korea, the Guineas, the UN and its organs)."""
    index = default_knowledge_index()
    mentions: list[ActorMention] = []
    for key in sorted({key for pair in index.distinct for key in pair.keys}):  # each entity once
        entity = index.by_key[key]
        kind = ActorKind.COUNTRY if entity.kind is ActorKind.COUNTRY else entity.kind
        for name in (entity.name, *entity.aliases, *entity.capitals):
            mentions.append(ActorMention(article_id=f"{key}:{name}", name=name, kind=kind))
    assert len(index.distinct) > 100
    clusters = reconcile_actors(mentions)
    cluster_of = {m.article_id.split(":")[0]: c.actor_id for c in clusters for m in c.mentions}
    for pair in index.distinct:
        left, right = pair.keys
        assert cluster_of[left] != cluster_of[right], pair.reason


def test_a_name_several_states_claim_stands_for_the_one_the_data_says_or_none() -> None:
    """'Kingston' (Jamaica, Norfolk Island) stands for the more populous state."""
    index = default_knowledge_index()
    claimed = [a for w in index.world for a in w.ambiguous if "demonym" not in a.reason]
    assert claimed
    for ambiguous in claimed:
        known = index.stands_for(ambiguous.name, ActorKind.COUNTRY)
        if not ambiguous.stands_for:
            assert known is None, ambiguous
        else:
            assert known is not None
            assert known.entity.key == index.renamed.get(ambiguous.stands_for, ambiguous.stands_for)


def test_the_unseen_quote_set_is_as_large_as_its_readme_says() -> None:
    quotes, _, gold = quote_mentions("unseen_quotes.json")
    assert len(quotes) >= 30
    assert len(set(gold)) < len(gold)  # remarks printed more than once


def test_unseen_quotes_with_paraphrases_cluster_with_full_precision(
    request: pytest.FixtureRequest,
) -> None:
    precision, recall = score_quote_set(request.config, "unseen news", "unseen_quotes.json")
    assert precision == 1.0
    # The target; measured 1.00 once a word the corpus prints only among one person's
    # given names ('Tedros', 'Lula') is that person (issue 9, second round; not blind: see
    # test_unseen_2.py for a set that is).
    assert recall >= 0.85


def test_without_the_paraphrase_verifier_the_same_quotes_are_mostly_missed(
    request: pytest.FixtureRequest,
) -> None:
    """The baseline the paraphrase verifier is measured against: same words and fragments only."""
    predicted, gold = quote_set_labels("unseen_quotes.json", paraphrases=False)
    precision, recall = record_score(
        request.config, "unseen news, text only", "quotes", predicted, gold
    )
    assert precision == 1.0
    assert recall < 0.5


def test_a_seat_city_stands_for_its_organisation_only_printed_as_an_organisation() -> None:
    """'Brussels imposed sanctions' is the EU (the seat of most of its bodies, from the data);
    'Brussels' printed as a state is Belgium, its capital; as a person, nobody known."""
    index = default_knowledge_index()
    seated = [(seat, e) for e in index.entities for seat in e.seats]
    assert seated
    for seat, entity in seated:
        as_organisation = index.stands_for(lookup_key(seat), ActorKind.ORGANIZATION)
        assert as_organisation is not None and as_organisation.entity.key == entity.key
        as_state = index.stands_for(lookup_key(seat), ActorKind.COUNTRY)
        assert as_state is None or as_state.entity.kind is ActorKind.COUNTRY
    clusters = reconcile_actors(
        [
            ActorMention(article_id="trade", name="Brussels", kind=ActorKind.ORGANIZATION),
            ActorMention(article_id="trade", name="the EU", kind=ActorKind.ORGANIZATION),
            ActorMention(article_id="coalition", name="Brussels", kind=ActorKind.COUNTRY),
            ActorMention(article_id="coalition", name="Belgium", kind=ActorKind.COUNTRY),
        ]
    )
    groups = sorted(sorted(f"{m.article_id}:{m.name}" for m in c.mentions) for c in clusters)
    assert groups == [
        ["coalition:Belgium", "coalition:Brussels"],
        ["trade:Brussels", "trade:the EU"],
    ]
    eu = next(c for c in clusters if c.entity_key == "european-union")
    assert MergeRule.SEAT_FOR_ORGANISATION in {m.rule for m in eu.merges}
