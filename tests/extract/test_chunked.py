"""Long documents in chunks, through the reference server: one call a chunk, merged whole.

The five seeds concatenated are one long transcript; the reference server answers each chunk
with the annotations whose passages the chunk prints, as it answers each seed alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.batch.corpus import extract_corpus
from pipeline.extract.article import Extractor
from pipeline.settings import Settings, StructuredMode
from pipeline.store.db import Outcome
from schemas.records import ExtractionResult
from tests.conftest import REFERENCE_MODEL, SEEDS, ModelProfile, seed_paths, settings_for

REFERENCE = ModelProfile(REFERENCE_MODEL, StructuredMode.TOOLS)


def settings(**overrides: Any) -> Settings:
    return settings_for(REFERENCE, **overrides)


def transcript() -> str:
    return "\n\n".join(path.read_text(encoding="utf-8") for path in seed_paths())


def assert_every_offset_holds(result: ExtractionResult, text: str) -> None:
    spans = [(q.span, q.text) for q in result.quotes] + [(c.span, c.evidence)
                                                         for c in result.claims]
    spans += [(m.span, m.text) for a in result.actors for m in a.mentions]
    spans += [(a.title_span, a.title) for a in result.actors if a.title_span is not None]
    assert spans
    bad = [(span, printed) for span, printed in spans if text[span.start:span.end] != printed]
    assert not bad


def quote_texts(results: list[ExtractionResult]) -> set[str]:
    return {" ".join(q.text.split()) for result in results for q in result.quotes}


@pytest.mark.vcr
def test_five_seeds_as_one_transcript_in_chunks_find_nine_in_ten_of_their_quotes(
    tmp_path: Path
) -> None:
    separately = extract_corpus(seed_paths(), settings=settings(), db=tmp_path / "a.db")
    (tmp_path / "transcript.txt").write_text(transcript(), encoding="utf-8")
    chunked = settings(chunk_chars=3000, chunk_overlap_chars=400)
    report = extract_corpus([tmp_path / "transcript.txt"], settings=chunked,
                            db=tmp_path / "b.db", concurrency=8)
    [result] = report.results
    assert len(result.chunks) >= 6
    assert all(c.end - c.start <= 3000 for c in result.chunks)
    assert_every_offset_holds(result, transcript())
    expected = quote_texts(separately.results)
    found = quote_texts([result])
    assert len(expected & found) >= 0.9 * len(expected), sorted(expected - found)
    assert len(found) <= len(expected)  # the overlaps' quotes are counted once
    # Actors merged by name across chunks: Blinken is one actor, with every mention of him.
    blinkens = [a for a in result.actors if a.name == "Antony Blinken"]
    assert len(blinkens) == 1 and len(blinkens[0].mentions) >= 3
    assert len({a.actor_id for a in result.actors}) == len(result.actors)


@pytest.mark.vcr
def test_a_longer_version_of_a_document_pays_only_for_its_new_chunks(tmp_path: Path) -> None:
    chunked = settings(chunk_chars=3000, chunk_overlap_chars=400)
    first = extract_corpus({"briefing": transcript()}, settings=chunked, db=tmp_path / "x.db")
    [before] = first.results
    assert not any(c.cached for c in before.chunks)
    longer = transcript() + "\n\nThe briefing ended at noon, officials said."
    second = extract_corpus({"briefing-v2": longer}, settings=chunked, db=tmp_path / "x.db")
    assert [o.outcome for o in second.outcomes] == [Outcome.EXTRACTED]
    [after] = second.results
    assert sum(c.cached for c in after.chunks) >= len(after.chunks) - 1
    assert after.call.attempts < before.call.attempts
    assert_every_offset_holds(after, longer)
    assert quote_texts([after]) == quote_texts([before])


@pytest.mark.vcr
def test_an_answer_cut_off_at_the_output_limit_is_asked_again_in_two_halves() -> None:
    seed = SEEDS / "004_c9f4686ea8b9e3fa.txt"
    text = seed.read_text(encoding="utf-8")
    whole = Extractor.from_settings(settings()).extract(text, article_id=seed.stem)
    assert not whole.chunks
    extractor = Extractor.from_settings(settings(max_tokens=700))
    tight = extractor.extract(text, article_id=seed.stem)
    assert len(tight.chunks) >= 2  # the whole answer does not fit 700 tokens: halves were asked
    assert_every_offset_holds(tight, text)
    expected = quote_texts([whole])
    assert len(expected & quote_texts([tight])) >= 0.8 * len(expected)
    # Synchronous callers may do it again: each run of the halves has its own event loop.
    again = extractor.extract(text, article_id="again")
    assert quote_texts([again]) == quote_texts([tight])
