"""Dates in a claim's evidence, resolved against the article's published date.

Candidates are found by the vocabulary (weekdays, months, "last month", "three weeks ago",
"Feb. 24", "2006") and resolved by dateparser with the published date as its base, preferring the
past (news reports what has happened). A date that needs a reference ("on Tuesday", "Feb. 24"
without a year) has no value when the article has no published date: it is never guessed from
today's date.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from schemas.records import Claim
from schemas.signals import ClaimDate, DateGranularity, DateWords, TextSpan

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

_PERIODS = {
    "day": DateGranularity.DAY, "part_of_day": DateGranularity.DAY, "time": DateGranularity.DAY,
    "week": DateGranularity.WEEK, "month": DateGranularity.MONTH, "year": DateGranularity.YEAR,
}


@lru_cache(maxsize=8)
def _pattern(words: DateWords) -> re.Pattern[str]:
    def alternatives(items: tuple[str, ...]) -> str:
        return "|".join(re.escape(w).replace(r"\ ", r"\s+")
                        for w in sorted(items, key=lambda w: (-len(w), w)))

    months = alternatives(words.months)
    weekday = alternatives(words.weekdays)
    counts = alternatives(words.ago_counts)
    units = alternatives(words.ago_units)
    relative = alternatives(words.relative_words)
    return re.compile(
        rf"(?<![\w-])(?:"
        rf"(?P<ago>(?:\d+|{counts})\s+(?:{units})\s+ago)"
        rf"|(?P<relative>{relative})"
        rf"|(?P<weekday>(?:{weekday})(?:\s+(?:morning|afternoon|evening|night))?)"
        rf"|(?P<month>(?:{months})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+\d{{4}})?)"
        rf"|(?P<year>(?:1[89]|20)\d{{2}})"
        rf")(?![\w-])",
        re.IGNORECASE,
    )


def claim_dates(text: str, claim: Claim, words: DateWords, *,
                reference: dt.date | None) -> list[ClaimDate]:
    """Every date expression in the claim's evidence, resolved when it can be."""
    found: list[ClaimDate] = []
    for match in _pattern(words).finditer(text, claim.span.start, claim.span.end):
        kind = match.lastgroup
        printed = match.group()
        if kind == "month" and not _is_month(text, match, words):
            continue
        absolute = kind == "year" or (kind == "month" and re.search(r"\d{4}$", printed))
        value, granularity = _resolve(printed, None if absolute else reference)
        found.append(ClaimDate(
            claim_id=claim.claim_id, span=TextSpan.of(text, match.start(), match.end()),
            value=value, granularity=granularity, relative=not absolute,
        ))
    return found


def _is_month(text: str, match: re.Match[str], words: DateWords) -> bool:
    """A month name as printed: capitalized, and for 'May'/'March' after a preposition or
    before a day or year ('in May', 'May 5'), not the verb."""
    printed = match.group()
    if not printed[0].isupper():
        return False
    name = printed.split()[0].lower()
    if name not in words.ambiguous_months or " " in printed.strip():
        return True
    before = re.findall(r"[A-Za-z]+", text[max(0, match.start() - 20) : match.start()])
    return bool(before) and before[-1].lower() in words.date_prepositions


@lru_cache(maxsize=256)
def _parser(reference: dt.date | None) -> DateDataParser:
    # Imported here: dateparser takes a while to load, and only claims with dates need it.
    from dateparser.date import DateDataParser

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True,
                                   "PREFER_DAY_OF_MONTH": "first"}
    if reference is not None:
        settings["RELATIVE_BASE"] = dt.datetime(reference.year, reference.month, reference.day)
    return DateDataParser(languages=["en"], settings=settings)


@lru_cache(maxsize=65536)  # dateparser takes ms a phrase; news repeats "last week" endlessly
def _resolve(printed: str, reference: dt.date | None
             ) -> tuple[str | None, DateGranularity | None]:
    """ISO value and granularity; (None, None) without a base for a relative date."""
    cleaned = " ".join(printed.split())
    if reference is None and not re.search(r"\d{4}", cleaned):
        return None, None
    data = _parser(reference).get_date_data(cleaned)
    if data.date_obj is None:
        return None, None
    granularity = _PERIODS.get(data.period or "day", DateGranularity.DAY)
    if re.fullmatch(r"(?:1[89]|20)\d{2}", cleaned):
        granularity = DateGranularity.YEAR
    elif granularity is DateGranularity.DAY and not re.search(r"\d|day\b|night|morning|after"
                                                             r"noon|evening|yesterday|today|"
                                                             r"tomorrow|tonight", cleaned,
                                                             re.IGNORECASE):
        granularity = DateGranularity.MONTH  # "in September": a month, not its 1st
    return _iso(data.date_obj.date(), granularity), granularity


def _iso(day: dt.date, granularity: DateGranularity) -> str:
    if granularity is DateGranularity.YEAR:
        return f"{day.year:04d}"
    if granularity is DateGranularity.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    if granularity is DateGranularity.WEEK:
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return day.isoformat()
