"""Dates in claim evidence: resolved against the published date, never guessed without one."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.audit.dates import claim_dates
from pipeline.audit.vocabulary import default_vocabulary
from schemas.records import Claim, MatchKind, Span

WORDS = default_vocabulary().dates
PUBLISHED = dt.date(2024, 6, 28)  # a Friday


def _dates(text: str, reference: dt.date | None) -> list[tuple[str, str | None]]:
    claim = Claim(claim_id="c", statement=text, asserted_by_id=None, asserted_by=None,
                  evidence=text, span=Span(start=0, end=len(text), match=MatchKind.EXACT))
    found = claim_dates(text, claim, WORDS, reference=reference)
    for date in found:
        assert text[date.span.start:date.span.end] == date.span.text
    return [(d.span.text, d.value) for d in found]


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("The council voted on Tuesday.", [("Tuesday", "2024-06-25")], id="weekday"),
    pytest.param("Exports fell last month.", [("last month", "2024-05")], id="last-month"),
    pytest.param("The plant closed in September.", [("September", "2023-09")],
                 id="month-in-the-past"),
    pytest.param("The deal was signed three weeks ago.", [("three weeks ago", "2024-W23")],
                 id="weeks-ago"),
    pytest.param("Talks began Feb. 24 in Geneva.", [("Feb. 24", "2024-02-24")],
                 id="day-without-year"),
    pytest.param("Prices may rise, the board said.", [], id="may-the-verb-is-no-month"),
    pytest.param("The strike ended in May.", [("May", "2024-05")], id="may-the-month"),
    pytest.param("The law has applied since 2006.", [("2006", "2006")], id="a-year"),
])
def test_relative_dates_resolve_against_the_published_date(
        text: str, expected: list[tuple[str, str | None]]) -> None:
    assert _dates(text, PUBLISHED) == expected


def test_without_a_published_date_relative_dates_stay_unresolved_absolute_ones_do_not() -> None:
    assert _dates("The council voted on Tuesday, and on January 2, 2023.", None) == [
        ("Tuesday", None), ("January 2, 2023", "2023-01-02")]
