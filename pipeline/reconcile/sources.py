"""Who printed a remark or a claim, and when: a cluster's sources by outlet and date.

Apart from the clustering itself on purpose: it reads only what each mention carries (outlet and
publication date, from the article's earliest publication), so the clusterers need not know it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from schemas.articles import DatedSource
from schemas.clusters import ClaimCluster, QuoteCluster
from schemas.mentions import ClaimMention, QuoteMention


def moment(published: str) -> datetime:
    """An ISO 8601 date or time as an instant to compare; a day counts from its start, UTC, and
    a time without an offset is taken as UTC."""
    parsed = datetime.fromisoformat(published)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def dated_sources(cluster: QuoteCluster | ClaimCluster) -> list[DatedSource]:
    """Every article of the cluster, earliest first (undated last, then by outlet); the earliest
    publication is marked. For a claim, ``text`` is the evidence (its statement if none)."""
    mentions: Sequence[QuoteMention | ClaimMention] = cluster.mentions
    sources = [
        DatedSource(article_id=m.article_id, outlet=m.outlet, published=m.published,
                    text=m.text if isinstance(m, QuoteMention) else (m.evidence or m.statement))
        for m in mentions
    ]
    dated = [moment(s.published) for s in sources if s.published is not None]
    first = min(dated, default=None)
    marked = [
        s.model_copy(update={"earliest": s.published is not None and moment(s.published) == first})
        for s in sources
    ]
    return sorted(marked, key=lambda s: (s.published is None,
                                         moment(s.published) if s.published else first,
                                         s.outlet or "", s.article_id))
