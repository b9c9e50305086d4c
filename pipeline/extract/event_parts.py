"""Ground the parts of a claim's event: what the model copied must stand in or near the evidence.

Theme, quantity and when are looked for within ``NEAR_EVIDENCE_CHARS`` of the claim's evidence
(the same sentence or its neighbours): a "60 percent" printed three paragraphs away is another
number. Source and target must be actors that grounding kept. A part that fails is dropped from
the event and kept as ``Rejected`` with its reason; the rest of the event stays.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pipeline.extract.grounding import GroundingIndex
from schemas.events import ExtractedEvent
from schemas.extraction import name_key
from schemas.records import (
    Actor,
    ClaimEvent,
    GroundedPart,
    GroundedQuantity,
    Rejected,
    RejectedKind,
    RejectionReason,
    Span,
)

NEAR_EVIDENCE_CHARS = 300


@dataclass
class EventGrounding:
    """The grounded event of one claim, and what was dropped from it."""

    event: ClaimEvent
    rejected: list[Rejected] = field(default_factory=list)


def ground_event(
    extracted: ExtractedEvent,
    index: GroundingIndex,
    *,
    evidence: Span,
    actor_by_name: Mapping[str, Actor | None],
    codebook: str,
    claim_id: str,
) -> EventGrounding:
    """Locate each part of ``extracted`` near ``evidence``; parties resolve to kept actors."""
    rejected: list[Rejected] = []
    item = extracted.model_dump(mode="json")

    def drop(part: str, reason: RejectionReason, detail: str) -> None:
        rejected.append(
            Rejected(
                kind=RejectedKind.EVENT_PART,
                reason=reason,
                item={"claim_id": claim_id, "part": part, "event": item},
                detail=f"{claim_id} event {part}: {detail}",
            )
        )

    def party(role: str, name: str | None) -> Actor | None:
        if name is None:
            return None
        actor = actor_by_name.get(name_key(name))
        if actor is None:
            drop(role, RejectionReason.PARTY_REJECTED, f"{name!r} is not an actor found in the "
                 "article; the event keeps no " + role)
        return actor

    def near(part: str, text: str | None) -> GroundedPart | None:
        if text is None or not text.strip():
            return None
        spans = index.locate_all(text)
        close = [s for s in spans if _distance(s, evidence) <= NEAR_EVIDENCE_CHARS]
        if close:
            span = min(close, key=lambda s: _distance(s, evidence))
            return GroundedPart(text=index.text[span.start : span.end], span=span)
        if spans:
            drop(part, RejectionReason.NOT_NEAR_EVIDENCE, f"{text!r} is printed, but not within "
                 f"{NEAR_EVIDENCE_CHARS} characters of the evidence")
        else:
            drop(part, RejectionReason.NOT_IN_ARTICLE, f"{text!r} is not in the article")
        return None

    source = party("source", extracted.source)
    target = party("target", extracted.target)
    theme = near("theme", extracted.theme)
    quantity: GroundedQuantity | None = None
    if extracted.quantity is not None:
        printed = near("quantity", extracted.quantity.text)
        if printed is not None:
            quantity = GroundedQuantity(
                text=printed.text,
                span=printed.span,
                value=extracted.quantity.value,
                unit=extracted.quantity.unit,
            )
    when = near("when", extracted.when)
    event = ClaimEvent(
        event_type=extracted.event_type,
        mode=extracted.mode,
        codebook=codebook,
        source_id=source.actor_id if source else None,
        source=source.name if source else None,
        target_id=target.actor_id if target else None,
        target=target.name if target else None,
        theme=theme,
        quantity=quantity,
        polarity=extracted.polarity,
        modality=extracted.modality,
        when=when,
    )
    return EventGrounding(event=event, rejected=rejected)


def _distance(span: Span, evidence: Span) -> int:
    """0 inside the evidence, else characters between the two."""
    if span.end <= evidence.start:
        return evidence.start - span.end
    if span.start >= evidence.end:
        return span.start - evidence.end
    return 0
