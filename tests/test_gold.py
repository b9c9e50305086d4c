"""Gold annotations of the seeds: every span printed at its offsets, every reference resolved."""

from __future__ import annotations

import hashlib
from itertools import combinations
from pathlib import Path

import pytest

from pipeline.evaluate import load_gold, load_gold_dir
from pipeline.extract.versions import load_codebook
from schemas.extraction import QuoteKind
from schemas.gold import GoldAnnotation
from tests.conftest import SEEDS, seed_paths

GOLD_PATHS = sorted((SEEDS / "gold").glob("*.json"))
# Words the print ran together ('Iran in', 'ties. Beijing'): the names inside them are marked.
RUN_TOGETHER = {"Iranin", "tiesbeijing"}
QUOTATION_MARKS = "\"'“”‘’"


def _gold(path: Path) -> tuple[GoldAnnotation, str]:
    gold = GoldAnnotation.model_validate_json(path.read_text(encoding="utf-8"))
    return gold, (SEEDS / gold.article).read_text(encoding="utf-8")


def _word_around(text: str, start: int, end: int) -> str:
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return text[start:end]


gold_files = pytest.mark.parametrize("path", GOLD_PATHS, ids=[p.stem for p in GOLD_PATHS])


def test_every_seed_has_one_gold_file() -> None:
    assert [p.stem for p in GOLD_PATHS] == [p.stem for p in seed_paths()]


def test_the_gold_directory_loads_with_every_check_passing() -> None:
    assert sorted(load_gold_dir(SEEDS)) == [p.stem for p in seed_paths()]


@gold_files
def test_sha256_is_that_of_the_article(path: Path) -> None:
    gold, article = _gold(path)
    assert gold.sha256 == hashlib.sha256(article.encode("utf-8")).hexdigest()
    assert load_gold(path) == gold


@gold_files
def test_every_span_text_is_the_article_at_its_offsets(path: Path) -> None:
    gold, article = _gold(path)
    wrong = [
        (label, span.text, article[span.start : span.end])
        for label, span in gold.spans()
        if article[span.start : span.end] != span.text
    ]
    assert wrong == []


@gold_files
def test_speakers_and_asserters_name_gold_actors(path: Path) -> None:
    gold, _ = _gold(path)
    actor_ids = {actor.actor_id for actor in gold.actors}
    assert {quote.speaker for quote in gold.quotes} <= actor_ids
    assert {claim.asserted_by for claim in gold.claims} - {None} <= actor_ids


@gold_files
def test_no_quote_is_marked_twice_or_overlaps_another(path: Path) -> None:
    gold, _ = _gold(path)
    overlapping = [
        (a.span.text, b.span.text)
        for a, b in combinations(gold.quotes, 2)
        if a.span.overlaps(b.span)
    ]
    assert overlapping == []


@gold_files
def test_spans_have_no_surrounding_space_and_direct_quotes_no_quotation_marks(path: Path) -> None:
    gold, _ = _gold(path)
    padded = [label for label, span in gold.spans() if span.text != span.text.strip()]
    marked = [
        quote.span.text
        for quote in gold.quotes
        if quote.kind is QuoteKind.DIRECT
        and (quote.span.text[0] in QUOTATION_MARKS or quote.span.text[-1] in QUOTATION_MARKS)
    ]
    assert (padded, marked) == ([], [])


@gold_files
def test_mentions_are_whole_words_unless_the_print_ran_two_together(path: Path) -> None:
    gold, article = _gold(path)
    partial = [
        (actor.actor_id, mention.text, _word_around(article, mention.start, mention.end))
        for actor in gold.actors
        for mention in actor.mentions
        if _word_around(article, mention.start, mention.end) not in {mention.text, *RUN_TOGETHER}
    ]
    assert partial == []


@pytest.mark.parametrize("path", seed_paths(), ids=lambda p: p.stem)
def test_every_gold_claim_is_coded_as_an_event_the_codebook_allows(path: Path) -> None:
    codebook = load_codebook()
    gold = load_gold(SEEDS / "gold" / f"{path.stem}.json")
    events = [claim.event for claim in gold.claims]
    assert all(event is not None for event in events)
    refused = [(e.event_type, e.mode) for e in events
               if e is not None and not codebook.allows(e.event_type, e.mode)]
    assert not refused, f"not in {codebook.codebook} v{codebook.version}: {refused}"
