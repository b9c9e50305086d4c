"""Explanations: every member of a cluster appears with the reason it joined."""

from __future__ import annotations

import pytest

from pipeline.errors import ReconcileError
from pipeline.reconcile import (
    explain_actor,
    explanation_text,
    find_actors,
    reconcile_corpus,
    summary_table,
)
from pipeline.reconcile.explain import _plain
from schemas.extraction import ActorKind
from schemas.mentions import ActorMention, ClaimMention, CorpusMentions, QuoteMention

P, C = ActorKind.PERSON, ActorKind.COUNTRY


@pytest.fixture(scope="module")
def corpus() -> CorpusMentions:
    actors = [
        ActorMention(article_id="a1", name="US Secretary of State Antony Blinken", kind=P),
        ActorMention(article_id="a1", name="Blinken", kind=P),
        ActorMention(article_id="a2", name="the secretary", kind=P),
        ActorMention(article_id="a2", name="U.S. Secretary of State Antony Blinken", kind=P),
        ActorMention(article_id="a3", name="Anthony Blinken", kind=P),
        ActorMention(article_id="a1", name="DPRK", kind=C),
        ActorMention(article_id="a2", name="Pyongyang", kind=C),
    ]
    quotes = [
        QuoteMention(article_id="a1", speaker="Blinken", text="We will do everything we can"),
        QuoteMention(article_id="a2", speaker="the secretary", text="We will do everything we can"),
    ]
    claims = [
        ClaimMention(
            article_id="a1", asserted_by="Blinken", statement="Iran supplies drones to Russia."
        ),
        ClaimMention(
            article_id="a2", asserted_by=None, statement="Russia received drones from Iran."
        ),
    ]
    return CorpusMentions(actors=tuple(actors), quotes=tuple(quotes), claims=tuple(claims))


def test_the_explanation_names_every_member_and_each_rule(corpus: CorpusMentions) -> None:
    reconciliation = reconcile_corpus(corpus)
    (blinken,) = find_actors(reconciliation.actors, "Blinken")
    text = explanation_text(blinken, width=200)
    for mention in blinken.mentions:
        assert f"'{mention.name}'" in text
    for merge in blinken.merges:
        assert str(merge.rule) in text
    assert "match weight" in text  # the Splink-scored typo shows its weights


def test_explain_finds_an_actor_by_any_printed_name(corpus: CorpusMentions) -> None:
    reconciliation = reconcile_corpus(corpus)
    text = _plain(explain_actor(reconciliation.actors, "Pyongyang"), width=200)
    assert "North Korea" in text and "capital_for_state" in text


def test_explaining_an_unknown_name_suggests_the_closest(corpus: CorpusMentions) -> None:
    reconciliation = reconcile_corpus(corpus)
    with pytest.raises(ReconcileError, match="Blinken"):
        explain_actor(reconciliation.actors, "Blinkin")


def test_quote_and_claim_clusters_explain_too(corpus: CorpusMentions) -> None:
    reconciliation = reconcile_corpus(corpus)
    (quote,) = reconciliation.quotes
    assert quote.speaker == "Antony Blinken"
    assert "same_text" in explanation_text(quote, width=200)
    (claim,) = reconciliation.claims
    text = explanation_text(claim, width=200)
    assert "same_proposition" in text and "asserted by Antony Blinken" in text


def test_the_summary_counts_every_cluster(corpus: CorpusMentions) -> None:
    reconciliation = reconcile_corpus(corpus)
    text = _plain(summary_table(reconciliation), width=200)
    assert "2 actors, 1 quotes, 1 claims" in text
    assert "person/antony-blinken" in text
