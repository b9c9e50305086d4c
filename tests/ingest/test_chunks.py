"""Long documents split: chunks within budget, cut at paragraph or sentence ends, overlapping."""

from __future__ import annotations

import itertools

import pytest

from pipeline.ingest.chunks import Chunk, split_in_two, split_text
from tests.conftest import seed_paths


@pytest.fixture(scope="module")
def transcript() -> str:
    return "\n\n".join(path.read_text(encoding="utf-8") for path in seed_paths())


@pytest.mark.parametrize(("max_chars", "overlap"), [
    pytest.param(3000, 400, id="3000-with-overlap"),
    pytest.param(1200, 0, id="1200-no-overlap"),
    pytest.param(700, 200, id="700-small"),
])
def test_chunks_cover_the_text_within_budget_and_overlap(
    transcript: str, max_chars: int, overlap: int
) -> None:
    chunks = split_text(transcript, max_chars=max_chars, overlap_chars=overlap)
    assert len(chunks) > 1
    assert all(transcript[c.start:c.end] == c.text for c in chunks)
    assert all(len(c) <= max_chars for c in chunks)
    assert chunks[0].start == 0 and chunks[-1].end == len(transcript)
    for before, after in itertools.pairwise(chunks):
        assert before.start < after.start <= before.end  # no gap, always progress
        if overlap:
            assert 0 < before.end - after.start <= overlap + 1


def test_a_chunk_ends_where_a_paragraph_or_sentence_ends(transcript: str) -> None:
    for chunk in split_text(transcript, max_chars=2000, overlap_chars=300)[:-1]:
        last = chunk.text.rstrip(" ")
        assert last.endswith("\n") or last.rstrip()[-1] in ".!?…\"'”’)", chunk.text[-60:]


def test_a_text_within_budget_is_one_chunk() -> None:
    assert split_text("Short text.", max_chars=500) == [Chunk(0, 11, "Short text.")]


def test_two_halves_share_an_overlap_and_cover_the_chunk(transcript: str) -> None:
    chunk = split_text(transcript, max_chars=3000, overlap_chars=0)[1]
    first, second = split_in_two(transcript, chunk, overlap_chars=200)
    assert (first.start, second.end) == (chunk.start, chunk.end)
    assert first.end > second.start
    assert max(len(first), len(second)) < len(chunk) * 0.75
    assert transcript[second.start:second.end] == second.text


def test_one_endless_word_is_cut_at_the_budget() -> None:
    chunks = split_text("x" * 2500, max_chars=1000)
    assert [len(c) for c in chunks] == [1000, 1000, 500]
