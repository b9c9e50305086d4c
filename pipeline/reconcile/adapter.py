"""Turn extraction results into the mentions reconciliation takes."""

from __future__ import annotations

from collections.abc import Iterable

from schemas.mentions import ActorMention, ClaimMention, CorpusMentions, QuoteMention
from schemas.records import ExtractionResult


def mentions_from_results(results: Iterable[ExtractionResult]) -> CorpusMentions:
    """One actor mention per distinct printed name of each actor (at its first occurrence), one
    quote and one claim mention per quote and claim. Names of one extracted actor share its
    ``actor_id`` as ``local_id``, so the extraction's own grouping is kept."""
    actors: list[ActorMention] = []
    quotes: list[QuoteMention] = []
    claims: list[ClaimMention] = []
    for result in results:
        # The earliest publication of the text: when the remark was first printed, and by whom.
        first = result.publications[0] if result.publications else None
        dated = {"outlet": first.outlet if first else None,
                 "published": first.published if first else None}
        for actor in result.actors:
            seen: set[str] = set()
            for mention in actor.mentions:
                if mention.text in seen:
                    continue
                seen.add(mention.text)
                actors.append(
                    ActorMention(
                        article_id=result.article_id,
                        name=mention.text,
                        kind=actor.kind,
                        title=actor.title,
                        local_id=actor.actor_id,
                        span=mention.span,
                    )
                )
        quotes.extend(
            QuoteMention(
                article_id=result.article_id,
                speaker=quote.speaker,
                text=quote.text,
                kind=quote.kind,
                speaker_local_id=quote.speaker_id,
                span=quote.span,
                **dated,
            )
            for quote in result.quotes
        )
        claims.extend(
            ClaimMention(
                article_id=result.article_id,
                asserted_by=claim.asserted_by,
                statement=claim.statement,
                evidence=claim.evidence,
                asserted_by_local_id=claim.asserted_by_id,
                span=claim.span,
                event=claim.event,
                **dated,
            )
            for claim in result.claims
        )
    return CorpusMentions(actors=tuple(actors), quotes=tuple(quotes), claims=tuple(claims))
