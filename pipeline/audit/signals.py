"""All four trust signals of one extraction, and keeping them in the store.

``trust_signals`` needs only the article text and the stored result: no model, no network, so
it runs on every result (the batch calls it after each extraction, ``newsextract audit`` for
results stored before it existed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from pipeline.audit.attribution import attribute_quotes
from pipeline.audit.dates import claim_dates
from pipeline.audit.modality import claim_modality
from pipeline.audit.quote_audit import audit_quotes
from pipeline.audit.text import sentences
from pipeline.audit.vocabulary import default_vocabulary
from pipeline.store.db import Store
from pipeline.store.signals import load_signals, save_signals, signal_versions
from schemas.records import ExtractionResult
from schemas.signals import SignalVocabulary, TrustSignals


def trust_signals(text: str, result: ExtractionResult, *, reference_date: dt.date | None = None,
                  vocabulary: SignalVocabulary | None = None) -> TrustSignals:
    """The quotation-mark audit, attribution evidence, claim modality and dates of ``result``.

    ``reference_date`` is what relative dates are resolved against: by default the day the
    article was first published (``result.reference_date``); without one they stay unresolved."""
    vocabulary = vocabulary or default_vocabulary()
    reference_date = reference_date or result.reference_date
    bounds = sentences(text)
    audit = audit_quotes(text, result.quotes, vocabulary.quotes)
    return TrustSignals(
        article_id=result.article_id, content_sha256=result.content_sha256,
        vocabulary=vocabulary.version, reference_date=reference_date, audit=audit,
        attributions=tuple(attribute_quotes(text, result, vocabulary.attribution,
                                            passages=audit.passages, bounds=bounds)),
        modalities=tuple(claim_modality(text, claim, vocabulary.modality, bounds=bounds,
                                        speech_cues=vocabulary.attribution.cues,
                                        quoted=[p.span for p in audit.speech])
                         for claim in result.claims),
        dates=tuple(date for claim in result.claims
                    for date in claim_dates(text, claim, vocabulary.dates,
                                            reference=reference_date)),
    )


ReferenceDates = Callable[[str], dt.date | None]  # content_sha256 -> published date


def published_date(store: Store, content_sha256: str) -> dt.date | None:
    """The day the text was first published, by the store's publications."""
    days = [p.reference_date for p in store.publications(content_sha256)]
    return min((d for d in days if d is not None), default=None)


def ensure_signals(store: Store, extraction_ids: Sequence[int], *,
                   reference_dates: ReferenceDates | None = None, recompute: bool = False,
                   vocabulary: SignalVocabulary | None = None,
                   load: bool = True) -> dict[int, TrustSignals]:
    """The signals of each extraction, computed and stored where missing (or made by another
    vocabulary version, or when ``recompute``), loaded from the store otherwise; with
    ``load=False`` only those computed now are returned. Signals computed against another
    published date than the store now holds (a dated copy arrived later) are computed again.
    ``reference_dates`` defaults to the store's publications."""
    vocabulary = vocabulary or default_vocabulary()
    versions = {} if recompute else signal_versions(store, extraction_ids)
    dates = reference_dates or (lambda sha: published_date(store, sha))
    found: dict[int, TrustSignals] = {}
    for extraction_id in extraction_ids:
        if versions.get(extraction_id) == vocabulary.version:
            stored = load_signals(store, extraction_id)
            if stored is not None and stored.reference_date == dates(stored.content_sha256):
                if load:
                    found[extraction_id] = stored
                continue
        result = store.load_result(extraction_id)
        text = store.article_text(result.content_sha256)
        reference = dates(result.content_sha256)
        signals = trust_signals(text, result, reference_date=reference, vocabulary=vocabulary)
        save_signals(store, extraction_id, signals)
        found[extraction_id] = signals
    return found


def stored_signals(store: Store, result: ExtractionResult) -> TrustSignals | None:
    """The signals of the newest extraction of ``result``'s article, computed if missing."""
    found = store.latest_extractions(content_sha256s=[result.content_sha256],
                                     model=result.model, prompt_version=result.prompt.version)
    if not found:
        return None
    return ensure_signals(store, [found[0].extraction_id])[found[0].extraction_id]
