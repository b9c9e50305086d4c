"""A cluster's sources by outlet and date, the earliest publication marked."""

from __future__ import annotations

from pipeline.reconcile.quotes import cluster_quotes
from pipeline.reconcile.sources import dated_sources
from schemas.mentions import QuoteMention

WORDS = "We must address Russia's growing cooperation with North Korea and Iran"


def printing(article_id: str, outlet: str | None, published: str | None,
             text: str = WORDS) -> QuoteMention:
    return QuoteMention(article_id=article_id, speaker="Antony Blinken", text=text,
                        outlet=outlet, published=published)


def test_sources_are_listed_by_date_and_the_earliest_is_marked() -> None:
    [cluster] = cluster_quotes([
        printing("c", "Courier", "2024-09-20T07:00:00+02:00"),
        printing("a", "Agency", "2024-09-20T04:30:00Z"),  # 04:30 UTC: before 05:00 UTC
        printing("u", None, None),
        printing("d", "Daily", "2024-09-21"),
    ])
    sources = dated_sources(cluster)
    assert [s.article_id for s in sources] == ["a", "c", "d", "u"]
    assert [s.earliest for s in sources] == [True, False, False, False]
    assert [s.outlet for s in sources] == ["Agency", "Courier", "Daily", None]


def test_two_outlets_printing_at_the_same_moment_are_both_earliest() -> None:
    [cluster] = cluster_quotes([
        printing("x", "X", "2024-09-20T08:00:00+00:00"),
        printing("y", "Y", "2024-09-20T10:00:00+02:00"),
        printing("z", "Z", "2024-09-20T09:00:00+00:00", text=WORDS + " first"),
    ])
    assert {s.outlet for s in dated_sources(cluster) if s.earliest} == {"X", "Y"}


def test_undated_sources_mark_nothing_earliest() -> None:
    [cluster] = cluster_quotes([printing("a", "A", None), printing("b", "B", None)])
    assert not any(s.earliest for s in dated_sources(cluster))
