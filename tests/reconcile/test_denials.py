"""The denies edge: a denial linked to the claim it answers, never merged into it."""

from __future__ import annotations

from pipeline.audit.vocabulary import default_vocabulary
from pipeline.reconcile.claims import cluster_claims
from pipeline.reconcile.denials import denied_clause, link_denials
from pipeline.reconcile.storage import load_reconciliation, save_reconciliation
from pipeline.store.db import Store
from schemas.clusters import MergeRule, Reconciliation
from schemas.mentions import ClaimMention

WORDS = default_vocabulary().modality


def _claims(*statements: tuple[str, str]) -> list[ClaimMention]:
    return [ClaimMention(article_id=article, asserted_by=None, statement=statement)
            for article, statement in statements]


def test_the_denied_clause_stands_for_the_denier_when_it_opens_with_a_pronoun() -> None:
    assert denied_clause("Chile denies that it sold copper to Peru.", WORDS) == (
        "Chile sold copper to Peru")
    assert denied_clause("The ministry rejected the allegations that troops fired on crowds.",
                         WORDS) == "troops fired on crowds"
    assert denied_clause("Chile sold copper to Peru.", WORDS) is None
    assert denied_clause("Chile did not sell copper to Peru.", WORDS) is None


def test_a_denial_is_linked_to_the_claim_it_answers_and_stays_its_own_cluster() -> None:
    claims = cluster_claims(_claims(
        ("a1", "Venezuela shipped crude oil to Syria last year."),
        ("a2", "Venezuela shipped crude oil to Syria."),
        ("a3", "Venezuela denies that it shipped crude oil to Syria."),
        ("a4", "Venezuela shipped gold to Turkey."),
        ("a5", "Venezuela did not ship crude oil to Syria."),
    ))
    relations = link_denials(claims)
    by_id = {c.claim_id: c for c in claims}
    assert len(relations) == 1
    (relation,) = relations
    assert relation.rule is MergeRule.DENIES
    assert by_id[relation.claim_id].statement.startswith("Venezuela denies")
    target = by_id[relation.target_id]
    assert {m.article_id for m in target.mentions} == {"a1", "a2"}
    assert all("denies" not in m.statement for m in target.mentions)
    assert relation.evidence[0].what == "denial"


def test_a_denial_of_something_else_links_nothing() -> None:
    claims = cluster_claims(_claims(
        ("a1", "Venezuela shipped crude oil to Syria."),
        ("a2", "Cuba denies that it shipped sugar to Syria."),
    ))
    assert link_denials(claims) == []


def test_denies_edges_are_saved_and_loaded_with_the_reconciliation() -> None:
    claims = cluster_claims(_claims(
        ("a1", "Venezuela shipped crude oil to Syria."),
        ("a2", "Venezuela denies that it shipped crude oil to Syria."),
    ))
    reconciliation = Reconciliation(claims=tuple(claims), claim_relations=tuple(
        link_denials(claims)))
    assert len(reconciliation.claim_relations) == 1
    with Store(":memory:") as store:
        save_reconciliation(store, reconciliation)
        save_reconciliation(store, reconciliation)  # replaced, not doubled
        loaded = load_reconciliation(store)
    assert loaded is not None and loaded.claim_relations == reconciliation.claim_relations
    target = reconciliation.claim_relations[0].target_id
    assert loaded.denials_of(target) == list(reconciliation.claim_relations)


def test_the_clusterers_event_link_is_an_edge_too_and_not_doubled() -> None:
    claims = cluster_claims(_claims(
        ("a1", "Venezuela shipped crude oil to Syria."),
        ("a2", "Venezuela denies that it shipped crude oil to Syria."),
    ))
    denial = next(c for c in claims if "denies" in c.statement)
    target = next(c for c in claims if c is not denial)
    marked = [c.model_copy(update={"denies": target.claim_id}) if c is denial else c
              for c in claims]
    (relation,) = link_denials(marked)
    assert (relation.claim_id, relation.target_id) == (denial.claim_id, target.claim_id)
    assert relation.evidence[0].what == "events"
