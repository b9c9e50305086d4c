"""The store's mentions read by SQL are the adapter's, each repeated value held once."""

from __future__ import annotations

import sys
import tracemalloc
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import syndicated

from pipeline.reconcile.adapter import mentions_from_results
from pipeline.reconcile.reader import read_mentions
from pipeline.settings import Settings
from pipeline.store.db import CacheKey, InputRef, Store
from schemas.records import ClaimEvent

_KEY = CacheKey(model=syndicated.MODEL, prompt=syndicated.PROMPT, schema_sha256="cd" * 32)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of 40 syndicated copies: every claim with its event, as a v2 extraction codes."""
    path = tmp_path_factory.mktemp("reader") / "store.db"
    with Store(path) as opened:
        run = opened.start_run(Settings(model=syndicated.MODEL), _KEY, concurrency=1)
        for copy in syndicated.corpus(40, seed=3):
            opened.record_extraction(run, copy.article, copy.result, _KEY,
                                     source=InputRef(path=None, article_id=copy.article.article_id))
    return path


def test_read_mentions_are_the_adapters_with_their_events(store: Path) -> None:
    with Store(store) as opened:
        read = read_mentions(opened)
        adapted = mentions_from_results(opened.results())
    assert read.claims and all(claim.event is not None for claim in read.claims)
    assert read == adapted
    assert read.model_dump_json() == adapted.model_dump_json()


def test_events_hold_their_repeated_strings_and_field_sets_once(store: Path) -> None:
    with Store(store) as opened:
        claims = read_mentions(opened).claims
    events = [claim.event for claim in claims if claim.event is not None]
    assert len({id(event.codebook) for event in events}) == 1
    assert len({id(event.__pydantic_fields_set__) for event in events}) == 1
    by_source: dict[str, set[int]] = {}
    for event in events:
        by_source.setdefault(event.source or "", set()).add(id(event.source))
    assert all(len(ids) == 1 for ids in by_source.values())


def test_events_read_take_a_fraction_of_validated_ones(store: Path) -> None:
    """1.5M claims at 100k articles: a validated event of the bench took ~3.3 KB, ~1.3 KB shared."""
    with Store(store) as opened:
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            claims = read_mentions(opened).claims
            held = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
        plain = [row[0] for row in opened.db.execute("SELECT event FROM claims")]
    tracemalloc.start()
    try:
        validated = [ClaimEvent.model_validate_json(event) for event in plain]
        alone = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(validated) == len(claims)
    assert held < alone * 0.8  # every mention's fields besides the events included
