"""Find every passage an article prints inside quotation marks, whatever marks it uses.

A tokenizer, not a regex of one style: each mark is read by the characters around it, so straight
marks, curly ones and marks printed the wrong way round ("“...“", a closing ” after a space) all
open and close where a reader sees them open and close. Rules, in order:

- a single mark between two letters (Russia’s, don't), before a digit (’90s) or after an "s" and
  before a space when no single quote is open (countries’ ) is an apostrophe, not a mark;
- a mark after a space (or a line start, a bracket, a dash) and before a word opens; one after a
  word and before a space or punctuation closes; otherwise its glyph decides (“ opens, ” closes),
  and a straight mark closes the quote of its kind that is open, else opens one;
- single marks inside an open double quote are nested quotes: they stay inside its passage;
- a line break ends an open quote: when the next paragraph opens with a mark of the same kind, the
  quote goes on there (the style that reopens each paragraph of a long quote), and the passage
  before the break has no closing mark. A break inside a word ("stre\\nngthen") is print debris
  and does not end the quote.

Each passage is what stands between its marks, without edge spaces or a trailing comma (the gold's
policy: ``"... Iran," Blinken said`` quotes ``... Iran``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from schemas.signals import QuoteMarks


class MarkKind(StrEnum):
    DOUBLE = "double"
    SINGLE = "single"


@dataclass(frozen=True)
class RawPassage:
    """``text[start:end]`` is the quoted words; the marks stand around them."""

    start: int
    end: int
    kind: MarkKind
    opening: str
    closing: str | None


_OPENING_CONTEXT = frozenset("([{—–-/")
_CLOSING_PUNCTUATION = frozenset(".,;:!?)]}—–-…")


@dataclass
class _Open:
    kind: MarkKind
    mark: str
    position: int  # of the mark


class QuoteTokenizer:
    def __init__(self, marks: QuoteMarks) -> None:
        self.double = frozenset(marks.double_open) | frozenset(marks.double_close)
        self.single = frozenset(marks.single_open) | frozenset(marks.single_close)
        # Glyphs that only open or only close; straight marks are both.
        self.openers = (frozenset(marks.double_open) - frozenset(marks.double_close)) | (
            frozenset(marks.single_open) - frozenset(marks.single_close))
        self.closers = (frozenset(marks.double_close) - frozenset(marks.double_open)) | (
            frozenset(marks.single_close) - frozenset(marks.single_open))

    def passages(self, text: str) -> list[RawPassage]:
        """Every quoted passage, in article order; nested quotes stay inside their passage."""
        found: list[RawPassage] = []
        stack: list[_Open] = []
        k = 0
        while k < len(text):
            char = text[k]
            if char == "\n":
                if stack:
                    k = self._line_break(text, k, stack, found)
                    continue
            elif char in self.double or char in self.single:
                kind = MarkKind.DOUBLE if char in self.double else MarkKind.SINGLE
                if kind is MarkKind.SINGLE and self._apostrophe(text, k, stack):
                    k += 1
                    continue
                if self._opens(text, k, kind, stack):
                    if not stack or kind is not stack[-1].kind:
                        stack.append(_Open(kind, char, k))
                else:
                    open_at = next((i for i in range(len(stack) - 1, -1, -1)
                                    if stack[i].kind is kind), None)
                    if open_at is not None:
                        opened = stack[open_at]
                        del stack[open_at:]
                        if not stack:
                            self._add(found, text, opened, k, char)
            k += 1
        for opened in stack[:1]:
            self._add(found, text, opened, len(text), None)
        return found

    def _opens(self, text: str, k: int, kind: MarkKind, stack: list[_Open]) -> bool:
        before = text[k - 1] if k > 0 else " "
        after = text[k + 1] if k + 1 < len(text) else " "
        if (before.isspace() or before in _OPENING_CONTEXT) and not after.isspace():
            return True
        if not before.isspace() and (after.isspace() or after in _CLOSING_PUNCTUATION):
            return False
        char = text[k]
        if char in self.openers:
            return True
        if char in self.closers:
            return False
        return not any(o.kind is kind for o in stack)

    def _apostrophe(self, text: str, k: int, stack: list[_Open]) -> bool:
        before = text[k - 1] if k > 0 else " "
        after = text[k + 1] if k + 1 < len(text) else " "
        if before.isalpha() and after.isalpha():
            return True
        if after.isdigit() and (before.isspace() or k == 0):
            return True  # ’90s
        single_open = any(o.kind is MarkKind.SINGLE for o in stack)
        return before.lower() == "s" and not after.isalnum() and not single_open

    def _line_break(self, text: str, k: int, stack: list[_Open],
                    found: list[RawPassage]) -> int:
        """Handle the line break at ``k`` inside an open quote; the next index to read."""
        before = text[k - 1] if k > 0 else " "
        after = text[k + 1] if k + 1 < len(text) else " "
        if before.isalpha() and after.isalpha() and after.islower():
            return k + 1  # a word broken by the print: the quote goes on
        outer = stack[0]
        self._add(found, text, outer, k, None)
        stack.clear()
        nxt = k
        while nxt < len(text) and text[nxt].isspace():
            nxt += 1
        reopened = nxt < len(text) and (
            (outer.kind is MarkKind.DOUBLE and text[nxt] in self.double)
            or (outer.kind is MarkKind.SINGLE and text[nxt] in self.single))
        if reopened:
            stack.append(_Open(outer.kind, text[nxt], nxt))
            return nxt + 1
        return nxt

    @staticmethod
    def _add(found: list[RawPassage], text: str, opened: _Open, end: int,
             closing: str | None) -> None:
        start = opened.position + 1
        while start < end and text[start].isspace():
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
            end -= 1
        if opened.kind is MarkKind.SINGLE and sum(c.isalnum() for c in text[start:end]) < 2:
            return  # rock ’n’ roll: an elision, not a quote
        if end > start:
            found.append(RawPassage(start, end, opened.kind, opened.mark, closing))
