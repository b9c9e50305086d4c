"""Find the model's copy of a passage in the article, at character offsets.

A model retypes what it copies: straight quotes for curly ones, joined words that the page broke
across a line, a dropped comma. Those are typography, and ``locate`` sees through them by
comparing only letters and digits (case-folded, accents set aside). Words are never set aside:
a dropped "not", a changed number, a swapped word or an invented ending leave a sequence of
letters that is not in the article, and ``locate`` returns ``None``.

Numbers keep their decimal separator: "$28 billion" is not "$2.8 billion". A point or a comma
between digits is a decimal separator, compared as one ("2,8" is "2.8"), except a comma followed
by exactly three digits, which groups thousands and is typography ("1,183" is "1183").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from schemas.records import MatchKind, Span

# Typographic variants folded before comparing the punctuation at a span's edges.
_TYPOGRAPHY = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
        "…": "...",
        "\u00a0": " ",
    }
)


# Runs of letters and digits (Unicode), without the underscore that \w would take in.
_WORD = re.compile(r"[^\W_]+")
# A decimal separator: '.' or ',' between digits, but not a comma grouping three digits.
_DECIMAL = r"(?<=\d)(?:\.|,(?!\d{3}(?!\d)))(?=\d)"
_DECIMAL_SEPARATOR = re.compile(_DECIMAL)
_ASCII_KEPT = re.compile(r"[A-Za-z0-9]|" + _DECIMAL)
DECIMAL_MARK = "."
# Words of two or more capitals, possibly dotted: 'UN', 'DPRK', 'U.S.'; not 'I' or 'Mr'.
_ACRONYM = re.compile(r"\b(?:[A-Z]\.?){2,}(?![a-z])")
# Longer words in capitals ('BLINKEN', 'PREDNISONE') are emphasis, not acronyms: case is set aside.
ACRONYM_MAX_LETTERS = 5


@lru_cache(maxsize=4096)
def _fold(char: str) -> str:
    """The letters and digits a character stands for: 'É' -> 'e', 'ß' -> 'ss', ',' -> ''."""
    decomposed = unicodedata.normalize("NFKD", char).casefold()
    return "".join(c for c in decomposed if c.isalnum())


def _fold_typography(text: str) -> str:
    return text.translate(_TYPOGRAPHY)


@dataclass(frozen=True)
class _Folded:
    """Letters and digits of a text, each with the index of the character it came from."""

    chars: str
    origin: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> _Folded:
        # An ASCII snippet is folded by the regex engine; other text word by word, so that only
        # the rare non-ASCII word pays for Unicode folding, character by character.
        if text.isascii():
            kept = list(_ASCII_KEPT.finditer(text))
            folded = "".join(match.group() for match in kept).lower().replace(",", DECIMAL_MARK)
            return cls(folded, tuple(match.start() for match in kept))
        chars: list[str] = []
        origin: list[int] = []
        decimals = {match.start() for match in _DECIMAL_SEPARATOR.finditer(text)}
        for word in _WORD.finditer(text):
            start, end = word.span()
            if start - 1 in decimals:
                chars.append(DECIMAL_MARK)
                origin.append(start - 1)
            if word.group().isascii():
                chars.append(word.group().lower())
                origin.extend(range(start, end))
                continue
            for index in range(start, end):
                for folded in _fold(text[index]):
                    chars.append(folded)
                    origin.append(index)
        return cls("".join(chars), tuple(origin))


@dataclass
class GroundingIndex:
    """An article prepared for many look-ups: fold it once, locate every snippet against it."""

    text: str
    _folded: _Folded = field(init=False, repr=False)
    _found: dict[str, list[Span]] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._folded = _Folded.of(self.text)

    @property
    def searched(self) -> tuple[str, int]:
        """The text look-ups run over, and its offset in ``text`` (a chunk's, for a window)."""
        return self.text, 0

    def locate(self, snippet: str) -> Span | None:
        """The first place the article prints ``snippet``: verbatim if it can, else normalized."""
        if (exact := self._first_verbatim(snippet.strip())) is not None:
            return exact
        return next(iter(self.locate_all(snippet)), None)

    def locate_all(self, snippet: str) -> list[Span]:
        """Every non-overlapping place the article prints ``snippet``, in article order."""
        # The validators and the assembly ask for the same snippets: look each up once.
        if snippet not in self._found:
            self._found[snippet] = self._search(snippet)
        return self._found[snippet]

    def _first_verbatim(self, wanted: str) -> Span | None:
        """The cheap case first: the snippet stands in the article character for character."""
        if not wanted:
            return None
        position = self.text.find(wanted)
        while position >= 0:
            end = position + len(wanted)
            clear_before = not wanted[0].isalnum() or self._starts_clear(position)
            clear_after = not wanted[-1].isalnum() or self._ends_clear(end)
            if clear_before and clear_after and any(char.isalnum() for char in wanted):
                return _span(position, end, MatchKind.EXACT)
            position = self.text.find(wanted, position + 1)
        return None

    def _search(self, snippet: str) -> list[Span]:
        folded_snippet = _Folded.of(snippet)
        needle = folded_snippet.chars
        if not needle:
            return []
        capitals = _acronym_positions(snippet, folded_snippet)
        wanted = snippet.strip()
        spans: list[Span] = []
        position = self._folded.chars.find(needle)
        while position >= 0:
            start = self._folded.origin[position]
            end = self._folded.origin[position + len(needle) - 1] + 1
            if self._is_word_boundary(start, end) and self._prints_capitals(position, capitals):
                start, end = self._widen_to_edge_punctuation(start, end, wanted)
                match = MatchKind.EXACT if self.text[start:end] == wanted else MatchKind.NORMALIZED
                spans.append(_span(start, end, match))
                position = self._folded.chars.find(needle, position + len(needle))
            else:
                position = self._folded.chars.find(needle, position + 1)
        return spans

    def _prints_capitals(self, position: int, capitals: list[int]) -> bool:
        """An acronym stays one: 'UN' is not the 'Un' of 'Kim Jong Un', 'US' is not 'us'."""
        origin = self._folded.origin
        return all(self.text[origin[position + i]].isupper() for i in capitals)

    def _is_word_boundary(self, start: int, end: int) -> bool:
        """A match must not begin or end inside a word or a number: 'Kim' is not in 'Kimberly',
        '8 billion' is not in '2.8 billion', '$2' is not in '$2.8'."""
        return self._starts_clear(start) and self._ends_clear(end)

    def _starts_clear(self, start: int) -> bool:
        text = self.text
        if start == 0:
            return True
        if text[start - 1].isalnum():
            return False
        return not (text[start - 1] in ".," and start >= 2 and text[start - 2].isdigit()
                    and text[start].isdigit())

    def _ends_clear(self, end: int) -> bool:
        text = self.text
        if end >= len(text):
            return True
        if text[end].isalnum():
            return False
        return not (text[end] in ".," and end + 1 < len(text) and text[end + 1].isdigit()
                    and text[end - 1].isdigit())

    def _widen_to_edge_punctuation(self, start: int, end: int, wanted: str) -> tuple[int, int]:
        """Take in the punctuation the snippet has at its edges, where the article has it too."""
        leading, trailing = _edge_punctuation(wanted)
        for width in range(1, len(trailing) + 1):
            if _fold_typography(self.text[end : end + width]) == trailing:
                end += width
                break
        for width in range(1, min(len(leading), start) + 1):
            if _fold_typography(self.text[start - width : start]) == leading:
                start -= width
                break
        return start, end


class WindowIndex(GroundingIndex):
    """One chunk of a long document, searched alone; its spans are offsets into the document.

    ``text`` is the whole document, so that ``text[span.start:span.end]`` holds for every span
    found, whichever chunk found it.
    """

    def __init__(self, whole: GroundingIndex, start: int, end: int) -> None:
        # No GroundingIndex.__init__: the whole document is already folded, in ``whole``.
        self.text = whole.text
        self._found = {}
        self._window = GroundingIndex(whole.text[start:end])
        self._offset = start

    @property
    def searched(self) -> tuple[str, int]:
        return self._window.text, self._offset

    def locate(self, snippet: str) -> Span | None:
        span = self._window.locate(snippet)
        return self._shifted(span) if span is not None else None

    def locate_all(self, snippet: str) -> list[Span]:
        return [self._shifted(span) for span in self._window.locate_all(snippet)]

    def _shifted(self, span: Span) -> Span:
        return _span(span.start + self._offset, span.end + self._offset, span.match)


def _span(start: int, end: int, match: MatchKind) -> Span:
    # From a dict: pydantic's fastest way in (about 2 µs), with the start < end check kept.
    return Span.model_validate({"start": start, "end": end, "match": match})


def _acronym_positions(snippet: str, folded: _Folded) -> list[int]:
    """Indices into the folded snippet of letters that belong to all-capital words ('DPRK').

    A snippet written all in capitals, of several words, is shouting, not acronyms: its case
    is set aside like any other typography.
    """
    if len(snippet.split()) > 1 and not any(char.islower() for char in snippet):
        return []
    in_acronym = {
        i
        for match in _ACRONYM.finditer(snippet)
        if sum(char.isalpha() for char in match.group()) <= ACRONYM_MAX_LETTERS
        for i in range(*match.span())
    }
    return [i for i, origin in enumerate(folded.origin) if origin in in_acronym]


def _edge_punctuation(snippet: str) -> tuple[str, str]:
    """What stands before the first and after the last letter or digit, typography folded."""
    alnum = [index for index, char in enumerate(snippet) if char.isalnum()]
    leading, trailing = snippet[: alnum[0]], snippet[alnum[-1] + 1 :]
    return _fold_typography(leading.strip()), _fold_typography(trailing.strip())


def locate(text: str, snippet: str) -> Span | None:
    """Where ``text`` prints ``snippet``, or ``None`` when its words are not there.

    ``text[span.start:span.end]`` is the passage as printed; ``span.match`` says whether the
    snippet was found character for character ("exact") or once typography was set aside
    ("normalized").
    """
    return GroundingIndex(text).locate(snippet)
