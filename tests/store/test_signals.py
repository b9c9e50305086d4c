"""Trust signals in the store: exact round trip, flat items, replaced not doubled."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.errors import StoreError
from pipeline.ingest.articles import read_article
from pipeline.store.db import InputRef, Store
from pipeline.store.signals import load_signals, save_signals, signal_versions
from schemas.signals import (
    Attribution,
    AttributionStatus,
    ClaimModality,
    Modality,
    ModalityCue,
    PassageKind,
    QuoteAudit,
    QuotedPassage,
    TextSpan,
    TrustSignals,
)
from tests.store.test_db import KEY, SEED, grounded_result, start


def _stored_seed(store: Store) -> tuple[int, str]:
    article = read_article(SEED)
    extraction_id, _ = store.record_extraction(
        start(store), article, grounded_result(article), KEY,
        source=InputRef(SEED, article.article_id))
    return extraction_id, article.article_id


def _signals(extraction_id_article: str) -> TrustSignals:
    return TrustSignals(
        article_id=extraction_id_article, content_sha256="ab" * 32, vocabulary=1,
        reference_date=dt.date(2024, 6, 28),
        audit=QuoteAudit(passages=(
            QuotedPassage(span=TextSpan(start=10, end=14, text="word"),
                          kind=PassageKind.SCARE_QUOTE, opening="“", closing="”",
                          rule="two words or fewer", covered_chars=0),
            QuotedPassage(span=TextSpan(start=30, end=40, text="0123456789"),
                          kind=PassageKind.SPEECH, opening='"', closing=None,
                          rule="speech", covered_chars=2),
        )),
        attributions=(Attribution(quote_id="q1", status=AttributionStatus.UNSUPPORTED,
                                  reason="no speech cue"),),
        modalities=(ClaimModality(claim_id="c1", modality=Modality.DENIED, cues=(
            ModalityCue(modality=Modality.DENIED, span=TextSpan(start=5, end=11, text="denied"),
                        inside_evidence=True),)),),
    )


def test_signals_round_trip_and_list_flat() -> None:
    with Store(":memory:") as store:
        extraction_id, article_id = _stored_seed(store)
        signals = _signals(article_id)
        save_signals(store, extraction_id, signals)
        save_signals(store, extraction_id, signals)  # recomputed: replaced, not doubled
        assert load_signals(store, extraction_id) == signals
        assert signal_versions(store, [extraction_id, 999]) == {extraction_id: 1}
        items = [tuple(row) for row in store.query(
            "SELECT kind, object_id, label, text FROM signal_items ORDER BY id")]
    assert items == [("passage", None, "scare_quote", "word"),
                     ("passage", None, "uncovered", "0123456789"),
                     ("attribution", "q1", "unsupported", None),
                     ("modality", "c1", "denied", "denied")]


def test_missing_signals_load_as_none_and_broken_ones_say_how_to_fix() -> None:
    with Store(":memory:") as store:
        extraction_id, article_id = _stored_seed(store)
        assert load_signals(store, extraction_id) is None
        save_signals(store, extraction_id, _signals(article_id))
        store.db.execute("UPDATE trust_signals SET body = '{\"article_id\": 1}'")
        with pytest.raises(StoreError, match="--recompute"):
            load_signals(store, extraction_id)
