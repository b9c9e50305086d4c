"""Find vocabulary phrases and sentences in an article, at their offsets, without changing it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

# A sentence ends at . ! ? or … (with any closing marks after it) before a space and a capital or
# an opening mark, or at a line break. Abbreviations ("U.S.", "Feb.") stay inside: the next word
# must start with a capital and the word before the dot must not be a single letter or a known
# abbreviation. A line break inside a word ("stre\nngthen") is print debris, not an end.
_END = re.compile(r"[.!?…][\"”’')\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])|\n+(?![a-z])|(?<![A-Za-z])\n+")
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "sen", "rep", "gov", "st", "jr", "sr",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no",
    "vs", "inc", "corp", "co", "ltd", "u.s", "u.k", "u.n", "n.k", "e.g", "i.e", "pres", "amb",
})


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int


@dataclass(frozen=True)
class Match:
    """A phrase of a vocabulary list found in the text, ``text[start:end]``."""

    start: int
    end: int
    phrase: str


def sentences(text: str) -> list[Sentence]:
    """The article cut into sentences; together they cover every non-space character."""
    bounds: list[Sentence] = []
    start = 0
    for found in _END.finditer(text):
        end = found.end() if not found.group().startswith("\n") else found.start()
        if found.group()[0] == ".":
            word = re.search(r"([\w.]+)\.$", text[start : found.start() + 1])
            stem = word.group(1).lower() if word else ""
            if len(stem) == 1 or stem in _ABBREVIATIONS:
                continue
        if text[start:end].strip():
            bounds.append(_trimmed(text, start, end))
        start = found.end()
    if text[start:].strip():
        bounds.append(_trimmed(text, start, len(text)))
    return bounds


def _trimmed(text: str, start: int, end: int) -> Sentence:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Sentence(start, end)


def sentence_index(bounds: list[Sentence], position: int) -> int:
    """Index of the sentence holding ``position`` (or the last one before it)."""
    found = 0
    for k, sentence in enumerate(bounds):
        if sentence.start <= position:
            found = k
        else:
            break
    return found


@lru_cache(maxsize=64)
def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    # Longest first, so "told reporters" wins over "told"; straight and curly apostrophes alike.
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    alternatives = "|".join(
        r"\s+".join(re.escape(word).replace("'", "['’]").replace("’", "['’]")
                    for word in phrase.split())
        for phrase in ordered
    )
    # A possessive 's after the phrase still ends it: "the administration’s claim".
    return re.compile(rf"(?<![\w'’-])(?:{alternatives})(?![\w-])(?!['’](?!s\b))",
                      re.IGNORECASE)


def find_phrases(text: str, phrases: Iterable[str], start: int = 0,
                 end: int | None = None) -> list[Match]:
    """Every phrase of ``phrases`` in ``text[start:end]`` as a whole word, case aside."""
    listed = tuple(phrases)
    if not listed:
        return []
    pattern = _pattern(listed)
    stop = len(text) if end is None else end
    return [
        Match(m.start(), m.end(), m.group().lower())
        for m in pattern.finditer(text, start, stop)
    ]
