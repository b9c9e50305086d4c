"""Fragments: overlapping spans cut so that every highlight stays drawn over its own text."""

from __future__ import annotations

import pytest

from pipeline.report.highlight import Highlight, HighlightKind, fragments, fragments_html

TEXT = "Blinken said that Russia must stop, the secretary added."


def _h(kind: HighlightKind, start: int, end: int, ref: str) -> Highlight:
    return Highlight(kind, start, end, ref, ref)


def covered(pieces: list, ref: str) -> str:
    return "".join(p.text for p in pieces if ref in p.refs.split())


def test_fragments_join_back_into_the_text_and_cover_each_span_exactly() -> None:
    quote = _h(HighlightKind.QUOTE, 13, 35, "q")  # 'that Russia must stop,'
    claim = _h(HighlightKind.CLAIM, 18, 56, "c")  # starts inside the quote, ends after it
    name = _h(HighlightKind.MENTION, 18, 24, "m")  # 'Russia', inside both
    pieces = fragments(TEXT, [claim, name, quote])
    assert "".join(p.text for p in pieces) == TEXT
    for h in (quote, claim, name):
        assert covered(pieces, h.ref) == TEXT[h.start:h.end]
    russia = next(p for p in pieces if p.text == "Russia")
    assert russia.classes.split() == ["quote", "claim", "mention"]


def test_only_the_first_fragment_of_an_object_takes_a_tab_stop() -> None:
    pieces = fragments(TEXT, [_h(HighlightKind.QUOTE, 13, 35, "q"),
                              _h(HighlightKind.CLAIM, 18, 56, "c")])
    starts = [p.text for p in pieces if p.focusable]
    assert starts == ["that ", "Russia must stop,"]
    assert [h.ref for p in pieces for h in p.opens] == ["q", "c"]


def test_a_span_outside_the_text_is_refused() -> None:
    with pytest.raises(ValueError, match="outside the text"):
        fragments(TEXT, [_h(HighlightKind.QUOTE, 50, len(TEXT) + 1, "q")])


def test_text_without_highlights_is_one_plain_fragment() -> None:
    (piece,) = fragments(TEXT, [])
    assert piece.text == TEXT and not piece.highlights


def test_fragments_as_html_escape_the_text_and_keep_one_tab_stop_per_object() -> None:
    text = 'He said "<img src=x onerror=alert(1)>" & left.'
    start = text.index("<img")
    end = text.index('"', start)
    quote = Highlight(HighlightKind.QUOTE, start, end, "obj-q", "q-1", ("speaker-0",))
    html = str(fragments_html(fragments(text, [quote])))
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&amp; left." in html
    assert html.count('tabindex="0"') == 1
    assert '<span class="anchor" id="q-1"></span><span class="hl quote speaker-0"' in html
