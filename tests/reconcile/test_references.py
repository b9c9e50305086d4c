"""A statement's description or seat city as its article's actor (reconcile/references.py)."""

from __future__ import annotations

from pipeline.reconcile.actors import reconcile_actors
from pipeline.reconcile.claims import cluster_claims
from pipeline.reconcile.references import load_actor_nouns
from schemas.extraction import ActorKind
from schemas.mentions import ActorMention, ClaimMention


def _clusters(listed: dict[str, list[tuple[str, ActorKind]]], statements: dict[str, str]
              ) -> list[set[str]]:
    actors = reconcile_actors([
        ActorMention(article_id=a, name=name, kind=kind, local_id=f"{a}/{n}")
        for a, names in listed.items() for n, (name, kind) in enumerate(names)
    ])  # fmt: skip
    claims = [ClaimMention(article_id=a, asserted_by=None, statement=s)
              for a, s in statements.items()]  # fmt: skip
    return [{m.article_id for m in c.mentions} for c in cluster_claims(claims, actors=actors)]


ORG, COUNTRY = ActorKind.ORGANIZATION, ActorKind.COUNTRY


def test_wordnet_says_which_nouns_name_which_kind_of_actor() -> None:
    nouns = load_actor_nouns()
    assert nouns["bloc"] is ORG and nouns["nation"] is COUNTRY
    assert nouns["minister"] is ActorKind.PERSON and "water" not in nouns


def test_a_description_stands_for_the_article_s_one_actor_of_its_kind() -> None:
    listed = {"a1": [("African Union", ORG), ("Sudan", COUNTRY)],
              "a2": [("African Union", ORG), ("Sudan", COUNTRY)],
              "a3": [("African Union", ORG), ("Arab League", ORG), ("Sudan", COUNTRY)]}
    statements = {"a1": "The African Union suspended Sudan's membership.",
                  "a2": "The bloc suspended Sudan's membership.",
                  "a3": "The organisation suspended Sudan's membership."}  # fmt: skip
    clusters = _clusters(listed, statements)
    assert {"a1", "a2"} in clusters
    assert {"a3"} in clusters  # two organisations: the description is not read


def test_a_seat_city_stands_for_the_organisation_its_article_lists_not_for_its_state() -> None:
    listed = {"a1": [("European Union", ORG), ("Belarus", COUNTRY)],
              "a2": [("European Union", ORG), ("Belarus", COUNTRY)],
              "a3": [("Belgium", COUNTRY), ("European Union", ORG), ("Belarus", COUNTRY)]}
    statements = {"a1": "The European Union imposed sanctions on Belarus.",
                  "a2": "Brussels imposed sanctions on Belarus.",
                  "a3": "Brussels imposed new sanctions on Belarus."}  # fmt: skip
    clusters = _clusters(listed, statements)
    assert {"a1", "a2"} in clusters
    assert {"a3"} in clusters
