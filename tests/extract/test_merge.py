"""Merging chunk answers: one actor per name, overlap duplicates once, offsets in the whole text."""

from __future__ import annotations

from pipeline.extract.assemble import assemble
from pipeline.extract.grounding import GroundingIndex, WindowIndex
from pipeline.extract.merge import ChunkAnswer, merge_chunks
from pipeline.ingest.chunks import Chunk
from schemas.extraction import ArticleExtraction
from tests.conftest import SEEDS

TEXT = (SEEDS / "000_e9e0939858eebc6d.txt").read_text(encoding="utf-8")
QUOTE = "Western allies face the challenge of ending Putin's war"
BLINKEN = {"name": "Antony Blinken", "kind": "person", "aliases": ["Blinken"]}


def answer_for(chunk: Chunk, whole: GroundingIndex, quotes: list[str]) -> ChunkAnswer:
    extraction = ArticleExtraction.model_validate({
        "actors": [BLINKEN],
        "quotes": [{"text": q, "speaker": "Blinken", "kind": "indirect"} for q in quotes],
    })
    window = WindowIndex(whole, chunk.start, chunk.end)
    grounded = assemble(extraction, window, article_id="doc", names=whole, every_mention=False)
    return ChunkAnswer(chunk, grounded)


def test_a_quote_found_in_two_overlapping_chunks_is_kept_once_the_longer() -> None:
    whole = GroundingIndex(TEXT)
    at = TEXT.index(QUOTE)
    first = Chunk(0, at + len(QUOTE) - 10, TEXT[: at + len(QUOTE) - 10])  # cuts the quote short
    second = Chunk(at - 50, len(TEXT), TEXT[at - 50:])
    merged = merge_chunks([answer_for(first, whole, [QUOTE[:-10]]),
                           answer_for(second, whole, [QUOTE])], article_id="doc", index=whole)
    assert [q.text for q in merged.quotes] == [QUOTE]
    [quote] = merged.quotes
    assert TEXT[quote.span.start:quote.span.end] == quote.text
    assert quote.quote_id == "doc/q1"


def test_an_actor_named_in_several_chunks_is_one_actor_with_every_mention() -> None:
    whole = GroundingIndex(TEXT)
    middle = len(TEXT) // 2
    chunks = [Chunk(0, middle, TEXT[:middle]), Chunk(middle, len(TEXT), TEXT[middle:])]
    merged = merge_chunks([answer_for(c, whole, []) for c in chunks], article_id="doc",
                          index=whole)
    [actor] = merged.actors
    assert actor.actor_id == "doc/a1"
    everywhere = {(s.start, s.end) for s in whole.locate_all("Blinken")}
    spans = {(m.span.start, m.span.end) for m in actor.mentions}
    # Every printed "Blinken" is a mention, on its own or inside "Antony Blinken".
    assert all(any(a <= s and e <= b for a, b in spans) for s, e in everywhere)
    assert all(TEXT[m.span.start:m.span.end] == m.text for m in actor.mentions)


def test_a_speaker_named_only_in_an_earlier_chunk_keeps_its_quote() -> None:
    whole = GroundingIndex(TEXT)
    at = TEXT.index(QUOTE)
    later = Chunk(at - 20, len(TEXT), TEXT[at - 20:])
    assert "Antony Blinken" not in later.text
    [answer] = [answer_for(later, whole, [QUOTE])]
    assert [q.speaker for q in answer.assembled.quotes] == ["Antony Blinken"]
