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


def dated_order(cluster: QuoteCluster | ClaimCluster) -> list[tuple[int, bool]]:
    """Indices of the cluster's mentions, earliest publication first (undated last, then by
    outlet), each with whether it is the earliest: the order a reader checks provenance in."""
    mentions: Sequence[QuoteMention | ClaimMention] = cluster.mentions
    dated = [moment(m.published) for m in mentions if m.published is not None]
    first = min(dated, default=None)
    order = sorted(
        range(len(mentions)),
        key=lambda i: (
            mentions[i].published is None,
            moment(p) if (p := mentions[i].published) else first,
            mentions[i].outlet or "",
            mentions[i].article_id,
        ),
    )
    return [
        (i, (p := mentions[i].published) is not None and moment(p) == first) for i in order
    ]


def dated_sources(cluster: QuoteCluster | ClaimCluster) -> list[DatedSource]:
    """Every article of the cluster, earliest first (undated last, then by outlet); the earliest
    publication is marked. For a claim, ``text`` is the evidence (its statement if none)."""
    sources = []
    for index, earliest in dated_order(cluster):
        m = cluster.mentions[index]
        text = m.text if isinstance(m, QuoteMention) else (m.evidence or m.statement)
        sources.append(
            DatedSource(article_id=m.article_id, outlet=m.outlet, published=m.published,
                        text=text, earliest=earliest)
        )
    return sources
