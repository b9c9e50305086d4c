"""Cut an article into fragments so that overlapping highlights stay readable in HTML.

Spans of names, quotes and claim evidence may overlap without nesting (a claim's evidence that
starts inside a quote and ends after it). HTML elements must nest, so the text is cut at every
span boundary: each fragment is covered by the same set of highlights from its start to its end,
and carries all of them (a quote's colour, a claim's underline and a name's weight at once).
Offsets are ``str`` indices, start inclusive, end exclusive, as everywhere in the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from markupsafe import Markup, escape


class HighlightKind(StrEnum):
    """What a highlight marks; the value is its CSS class and the order it is drawn in."""

    QUOTE = "quote"
    CLAIM = "claim"
    MENTION = "mention"
    CLOSEST = "closest"  # the closest passage to something rejected as not in the article
    UNCOVERED = "uncovered"  # quoted speech that no stored quote covers (the quote audit)


_ORDER = {kind: i for i, kind in enumerate(HighlightKind)}


@dataclass(frozen=True)
class Highlight:
    """One grounded object's place in the text, and how it is drawn."""

    kind: HighlightKind
    start: int
    end: int
    ref: str  # id of the object's card on the page, e.g. 'obj-q3'
    anchor: str  # id links point at, e.g. 'q-120-180' (kind and span: what cluster pages know)
    classes: tuple[str, ...] = ()  # extra CSS classes, e.g. ('speaker-2', 'indirect')


@dataclass(frozen=True)
class Fragment:
    """A run of text covered by the same highlights from its first character to its last."""

    text: str
    start: int
    highlights: tuple[Highlight, ...]
    opens: tuple[Highlight, ...]  # the highlights that begin here: their anchors go before it

    @property
    def classes(self) -> str:
        names: dict[str, None] = {}
        for highlight in self.highlights:
            names[highlight.kind.value] = None
            names.update(dict.fromkeys(highlight.classes))
        return " ".join(names)

    @property
    def refs(self) -> str:
        return " ".join(dict.fromkeys(h.ref for h in self.highlights))

    @property
    def focusable(self) -> bool:
        """Only the first fragment of an object takes a tab stop, so Tab walks objects."""
        return bool(self.opens)


def fragments(text: str, highlights: Sequence[Highlight]) -> list[Fragment]:
    """``text`` cut at every boundary of ``highlights``; joined, the fragments give ``text``
    back. Highlights outside the text are an error: the store's offsets would be wrong."""
    for h in highlights:
        if not 0 <= h.start < h.end <= len(text):
            raise ValueError(f"highlight {h.anchor} [{h.start}, {h.end}) is outside the text "
                             f"of {len(text)} characters")
    ordered = sorted(highlights, key=lambda h: (_ORDER[h.kind], h.start, -h.end, h.anchor))
    cuts = sorted({0, len(text), *(h.start for h in highlights), *(h.end for h in highlights)})
    starting: dict[int, list[Highlight]] = {}
    for h in ordered:
        starting.setdefault(h.start, []).append(h)
    active: list[Highlight] = []
    pieces: list[Fragment] = []
    for start, end in pairwise(cuts):
        active = [h for h in active if h.end > start]
        opened = starting.get(start, [])
        active.extend(opened)
        active.sort(key=lambda h: (_ORDER[h.kind], h.start, -h.end, h.anchor))
        pieces.append(Fragment(text[start:end], start, tuple(active), tuple(opened)))
    return pieces


def fragments_html(pieces: Sequence[Fragment]) -> Markup:
    """The fragments as HTML, every piece of text and attribute escaped.

    Built here rather than in the template: an article is thousands of fragments, and a Jinja
    loop over them was most of the time of a large report."""
    out: list[str] = []
    for piece in pieces:
        for h in piece.opens:
            out.append(f'<span class="anchor" id="{escape(h.anchor)}"></span>')
        if not piece.highlights:
            out.append(escape(piece.text))
            continue
        refs = escape(piece.refs)
        focus = f' tabindex="0" aria-describedby="{refs}"' if piece.focusable else ""
        out.append(f'<span class="hl {escape(piece.classes)}" data-refs="{refs}"{focus}>'
                   f"{escape(piece.text)}</span>")
    return Markup("".join(out))
