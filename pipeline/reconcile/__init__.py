"""Reconciliation: the same actor, remark or proposition across a corpus, every merge explained.

reconcile_corpus(mentions)   actors, then quotes and claims against them  (corpus)
├── reconcile_actors         knowledge + in-article rules + Splink        (actors)
├── cluster_quotes           shared words, fragments, near texts          (quotes)
└── cluster_claims           predicate, agent, parties, objects           (claims)
mentions_from_results        extraction results -> mentions               (adapter)
save_/load_reconciliation    the latest clusters, kept in the SQLite store (storage)
reconcile_store              a store reconciled, only its new articles when it can (incremental)
read_mentions                the store's mentions by SQL, compact                  (reader)
explain_actor, explanation_tree, explanation_text, merge_tree, summary_table (explain)
"""

from pipeline.reconcile.actors import reconcile_actors
from pipeline.reconcile.adapter import mentions_from_results
from pipeline.reconcile.claims import cluster_claims
from pipeline.reconcile.corpus import reconcile_corpus
from pipeline.reconcile.explain import (
    explain_actor,
    explanation_text,
    explanation_tree,
    find_actors,
    merge_tree,
    summary_table,
)
from pipeline.reconcile.ids import id_assignment
from pipeline.reconcile.knowledge import (
    load_claim_vocabulary,
    load_knowledge,
    load_linkage_settings,
)
from pipeline.reconcile.quotes import cluster_quotes
from pipeline.reconcile.storage import load_reconciliation, save_reconciliation

__all__ = [
    "cluster_claims",
    "cluster_quotes",
    "explain_actor",
    "explanation_text",
    "explanation_tree",
    "find_actors",
    "id_assignment",
    "load_claim_vocabulary",
    "load_knowledge",
    "load_linkage_settings",
    "load_reconciliation",
    "mentions_from_results",
    "merge_tree",
    "reconcile_actors",
    "reconcile_corpus",
    "save_reconciliation",
    "summary_table",
]
