"""What the HTML report shows, read from the store once: articles, canonical actors, clusters,
and the links between them.

Cluster mentions know their article by id and their place by span, and extracted objects know
their actor by the extraction's local id; ``CorpusLinks`` turns both into page addresses, so every
page links to every other without a second pass over the store.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pipeline.errors import ReportError
from pipeline.store.db import Store, StoredExtraction
from schemas.clusters import ActorCluster, ClaimCluster, QuoteCluster, Reconciliation
from schemas.mentions import ActorMention
from schemas.records import Span

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class PageNames:
    """File names from ids: readable, safe on every file system, never two ids on one page."""

    def __init__(self) -> None:
        self._given: dict[str, str] = {}
        self._taken: set[str] = set()

    def __call__(self, identifier: str) -> str:
        if identifier in self._given:
            return self._given[identifier]
        base = _UNSAFE.sub("-", identifier).strip("-.")[:80] or "page"
        name, n = base, 2
        while name.lower() in self._taken:  # case-insensitive file systems
            name, n = f"{base}-{n}", n + 1
        self._taken.add(name.lower())
        self._given[identifier] = name
        return name


def span_anchor(kind: str, span: Span | None) -> str:
    """The id an article page gives an object's first fragment: kind letter and offsets."""
    return f"{kind}-{span.start}-{span.end}" if span is not None else ""


@dataclass(frozen=True)
class RunInfo:
    """Where the results came from, as the store recorded it."""

    models: list[tuple[str, int]]  # (model as recorded, articles)
    prompts: list[tuple[str, int, int]]  # (prompt id, version, articles)
    first_extracted: str
    last_extracted: str
    reconciled_at: str | None
    reconciled_articles: int


@dataclass
class CorpusLinks:
    """Page addresses (relative to the report's root) of every article, actor and cluster."""

    articles: dict[str, str] = field(default_factory=dict)  # article_id -> page
    actors: dict[str, str] = field(default_factory=dict)  # canonical actor id -> page
    quotes: dict[str, str] = field(default_factory=dict)
    claims: dict[str, str] = field(default_factory=dict)
    local_actor: dict[tuple[str, str], str] = field(default_factory=dict)  # (article, local id)
    quote_at: dict[tuple[str, int, int], str] = field(default_factory=dict)  # -> quote cluster
    claim_at: dict[tuple[str, int, int], str] = field(default_factory=dict)

    def at_span(self, article_id: str, kind: str, span: Span | None) -> str | None:
        """The article page at the object's highlight, or None when the article is not shown."""
        page = self.articles.get(article_id)
        if page is None:
            return None
        anchor = span_anchor(kind, span)
        return f"{page}#{anchor}" if anchor else page

    def actor_of(self, article_id: str, local_id: str | None) -> str | None:
        """The canonical actor id of an extraction's actor, if reconciliation placed it."""
        return self.local_actor.get((article_id, local_id)) if local_id else None


def corpus_links(extractions: Sequence[StoredExtraction], reconciliation: Reconciliation
                 ) -> CorpusLinks:
    links = CorpusLinks()
    article_page, actor_page, quote_page, claim_page = (PageNames() for _ in range(4))
    for stored in extractions:
        links.articles.setdefault(stored.article_id,
                                  f"articles/{article_page(stored.article_id)}.html")
    for actor in reconciliation.actors:
        links.actors[actor.actor_id] = f"actors/{actor_page(actor.actor_id)}.html"
        for mention in actor.mentions:
            if mention.local_id:
                links.local_actor[(mention.article_id, mention.local_id)] = actor.actor_id
    for quote in reconciliation.quotes:
        links.quotes[quote.quote_id] = f"quotes/{quote_page(quote.quote_id)}.html"
        for q in quote.mentions:
            if q.span is not None:
                links.quote_at[(q.article_id, q.span.start, q.span.end)] = quote.quote_id
    for claim in reconciliation.claims:
        links.claims[claim.claim_id] = f"claims/{claim_page(claim.claim_id)}.html"
        for c in claim.mentions:
            if c.span is not None:
                links.claim_at[(c.article_id, c.span.start, c.span.end)] = claim.claim_id
    return links


def run_info(store: Store, extractions: Sequence[StoredExtraction]) -> RunInfo:
    models = Counter(e.model for e in extractions)
    prompts: Counter[tuple[str, int]] = Counter()
    ids = [e.extraction_id for e in extractions]
    for chunk in _chunks(ids, 500):
        rows = store.query(
            f"SELECT prompt_id, prompt_version FROM extractions WHERE id IN "
            f"({', '.join('?' * len(chunk))})", chunk)
        prompts.update((row[0], row[1]) for row in rows)
    dates = sorted(e.created_at for e in extractions)
    latest = store.query("SELECT created_at, articles FROM reconciliations ORDER BY id DESC "
                         "LIMIT 1")
    return RunInfo(
        models=models.most_common(),
        prompts=[(p, v, n) for (p, v), n in sorted(prompts.items())],
        first_extracted=dates[0],
        last_extracted=dates[-1],
        reconciled_at=latest[0][0] if latest else None,
        reconciled_articles=latest[0][1] if latest else 0,
    )


def _chunks(items: Sequence[int], size: int) -> Iterable[list[int]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


def load_corpus(store: Store, *, model: str | None = None, prompt_version: int | None = None
                ) -> tuple[list[StoredExtraction], Reconciliation]:
    """The newest extraction of each article and the latest reconciliation, or a ReportError
    that says what to run first."""
    # Here: the reconcile package loads Splink, needed by no other part of the report.
    from pipeline.reconcile.storage import load_reconciliation

    extractions = store.latest_extractions(model=model, prompt_version=prompt_version)
    where = str(store.path)
    if not extractions:
        narrowed = " matching --model/--prompt-version" if model or prompt_version else ""
        raise ReportError(f"{where} holds no extraction results{narrowed}; fill it with "
                          f"'newsextract run PATH --db {where}' first", path=store.path)
    reconciliation = load_reconciliation(store)
    if reconciliation is None:
        raise ReportError(f"{where} is not reconciled yet; run 'newsextract reconcile --db "
                          f"{where}' first, then the report", path=store.path)
    return extractions, reconciliation


def actor_names(actor: ActorCluster) -> list[tuple[str, int]]:
    """Each printed name with the number of articles printing it, commonest first."""
    return Counter(m.name for m in actor.mentions).most_common()


def mentions_by_article(actor: ActorCluster) -> list[tuple[str, list[ActorMention]]]:
    """The actor's mentions grouped by article, articles in id order."""
    found: dict[str, list[ActorMention]] = {}
    for mention in actor.mentions:
        found.setdefault(mention.article_id, []).append(mention)
    return sorted(found.items())


def quotes_by_speaker(quotes: Iterable[QuoteCluster]) -> dict[str, list[QuoteCluster]]:
    found: dict[str, list[QuoteCluster]] = {}
    for quote in quotes:
        if quote.speaker_id:
            found.setdefault(quote.speaker_id, []).append(quote)
    return found


def claims_by_asserter(claims: Iterable[ClaimCluster]) -> dict[str, list[ClaimCluster]]:
    found: dict[str, list[ClaimCluster]] = {}
    for claim in claims:
        for asserter in dict.fromkeys(a.asserted_by_id for a in claim.assertions):
            if asserter:
                found.setdefault(asserter, []).append(claim)
    return found
