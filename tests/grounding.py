"""What must hold of a stored result whatever the model answered: tests of every recorded model.

Kept apart from the test modules so that the per-article tests (``tests/extract``) and the
quality cases (``tests/test_quality.py``, which read their results back from the store) check the
same thing.
"""

from __future__ import annotations

from pipeline.extract.grounding import locate
from schemas.records import ExtractionResult, Rejected, RejectionReason


def assert_grounded(result: ExtractionResult, text: str) -> None:
    """The invariant of the product: every stored passage is the article's, at its offsets."""
    for actor in result.actors:
        assert actor.mentions, actor
        assert any(actor.name in mention.text for mention in actor.mentions), actor
        if actor.title_span is not None:
            assert text[actor.title_span.start : actor.title_span.end] == actor.title
        for mention in actor.mentions:
            assert text[mention.span.start : mention.span.end] == mention.text
    actor_ids = {actor.actor_id for actor in result.actors}
    for quote in result.quotes:
        assert text[quote.span.start : quote.span.end] == quote.text
        assert quote.speaker_id in actor_ids
    for claim in result.claims:
        assert text[claim.span.start : claim.span.end] == claim.evidence
        assert claim.asserted_by_id is None or claim.asserted_by_id in actor_ids
    for rejected in result.rejected:
        assert rejected.detail and rejected.item


def assert_inventions_unprinted(result: ExtractionResult, text: str) -> list[Rejected]:
    """Every passage refused as not in the article is indeed nowhere in it; the rejections."""
    for rejected in result.rejected:
        copied = rejected.item.get("evidence") or rejected.item.get("text")
        if rejected.reason is RejectionReason.NOT_IN_ARTICLE and isinstance(copied, str):
            assert locate(text, copied) is None, (rejected.kind, copied)
    return list(result.rejected)
