"""Reconcile a whole corpus: actors first, then quotes and claims against those actors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from splink.internals.database_api import DatabaseAPI

from pipeline.reconcile.actors import reconcile_actors
from pipeline.reconcile.claims import cluster_claims
from pipeline.reconcile.denials import link_denials
from pipeline.reconcile.ids import id_assignment
from pipeline.reconcile.knowledge import load_linkage_settings
from pipeline.reconcile.paraphrase import StockPhrases, corpus_candidates, stock_verifiers
from pipeline.reconcile.pause import without_cycle_collection
from pipeline.reconcile.quotes import cluster_quotes
from pipeline.reconcile.reader import read_mentions
from pipeline.reconcile.representatives import ClusterKeys
from pipeline.reconcile.storage import stored_ids
from pipeline.store.db import Store
from schemas.clusters import Reconciliation
from schemas.knowledge import ClaimVocabulary, Knowledge, LinkageSettings
from schemas.mentions import CorpusMentions


@without_cycle_collection
def reconcile_corpus(
    source: CorpusMentions | Store,
    *,
    previous: Reconciliation | None = None,
    previous_ids: Mapping[str, Mapping[str, str]] | None = None,
    knowledge: Knowledge | None = None,
    vocabulary: ClaimVocabulary | None = None,
    linkage: LinkageSettings | None = None,
    splink_backend: DatabaseAPI[Any] | None = None,
    keys: ClusterKeys | None = None,
    stock: list[StockPhrases] | None = None,
) -> Reconciliation:
    """Actors, quotes and claims of the corpus, reconciled.

    ``source`` is the mentions (``mentions_from_results`` of extraction results) or a store,
    whose newest result of every article is read (``reader.read_mentions``). Pass the previous
    run's result as ``previous`` to keep its ids for the clusters that carry on; over a store,
    the ids of the reconciliation saved there last are the default. ``previous_ids`` (kind ->
    mention key -> id, as ``storage.stored_ids`` reads them) does the same without clusters.
    ``splink_backend`` scores actor names (in-process DuckDB by default;
    ``pipeline.reconcile.spark.spark_backend()`` for Spark). ``keys``, when given, receives the
    claim clusters' lookup keys (``representatives``), for ``storage`` to keep; ``stock``, the
    stock phrases learnt from the quotes.
    """
    ids: Mapping[str, Mapping[str, str]] = previous_ids or {"actor": {}, "quote": {}, "claim": {}}
    if previous is not None:
        ids = {"actor": id_assignment(previous.actors), "quote": id_assignment(previous.quotes),
               "claim": id_assignment(previous.claims)}
    if isinstance(source, Store):
        if previous is None and previous_ids is None:
            ids = stored_ids(source)
        mentions = read_mentions(source)
    else:
        mentions = source
    linkage = linkage or load_linkage_settings()
    actors = reconcile_actors(
        mentions.actors,
        previous=ids["actor"] or None,
        knowledge=knowledge,
        linkage=linkage,
        splink_backend=splink_backend,
    )
    learnt = StockPhrases.learn(quote.text for quote in mentions.quotes)
    if stock is not None:
        stock.append(learnt)
    quotes = cluster_quotes(
        mentions.quotes,
        actors=actors,
        previous=ids["quote"] or None,
        linkage=linkage,
        # The same words first; one remark in other words where they fail; the corpus's stock
        # phrases set aside.
        verifiers=stock_verifiers(learnt, linkage.quotes),
        candidates=corpus_candidates(),
    )
    claims = cluster_claims(
        mentions.claims,
        actors=actors,
        previous=ids["claim"] or None,
        knowledge=knowledge,
        vocabulary=vocabulary,
        linkage=linkage,
        keys=keys,
    )
    # After clustering, as a step of its own: a denial never joins the cluster it answers.
    denials = link_denials(claims, actors=actors, vocabulary=vocabulary, linkage=linkage,
                           keys=keys)
    return Reconciliation(actors=tuple(actors), quotes=tuple(quotes), claims=tuple(claims),
                          claim_relations=tuple(denials))
