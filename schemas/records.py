"""What is stored: grounded objects with character offsets, rejections with reasons, call records.

Offsets are character offsets into the article text as read (``str`` indices, not bytes):
``start`` inclusive, ``end`` exclusive, so ``text[span.start:span.end]`` is the passage as printed.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.articles import Publication
from schemas.events import Modality, Polarity
from schemas.extraction import ActorKind, QuoteKind

_STORED = ConfigDict(extra="forbid", frozen=True)


class MatchKind(StrEnum):
    """How a passage was found in the article."""

    EXACT = "exact"  # the model's copy is a substring of the article
    NORMALIZED = "normalized"  # equal once typography, case, spacing and punctuation are set aside


class Span(BaseModel):
    """Where a passage stands in the article: ``text[start:end]``."""

    model_config = _STORED

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    match: MatchKind

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise ValueError(f"span end {self.end} must be greater than start {self.start}")
        return self


class Mention(BaseModel):
    """One name of an actor as printed, at its first occurrence."""

    model_config = _STORED

    text: str = Field(description="The article's characters at the span.")
    span: Span


class Actor(BaseModel):
    model_config = _STORED

    actor_id: str = Field(description="'<article_id>/a<n>', stable within one extraction.")
    name: str = Field(description="The name as printed at its first mention.")
    kind: ActorKind
    title: str | None = Field(default=None, description="As printed at title_span.")
    title_span: Span | None = None
    mentions: list[Mention] = Field(
        description="The name and every grounded alias, first one first."
    )


class Quote(BaseModel):
    model_config = _STORED

    quote_id: str
    text: str = Field(description="The article's characters at the span, not the model's copy.")
    span: Span
    speaker_id: str = Field(description="actor_id of the speaker in the same article.")
    speaker: str = Field(description="The speaker's name, as in its Actor record.")
    kind: QuoteKind
    cue: str | None = None


class GroundedPart(BaseModel):
    """A part of an event (theme, when) as the article prints it, in or near the evidence."""

    model_config = _STORED

    text: str = Field(description="The article's characters at the span.")
    span: Span


class GroundedQuantity(GroundedPart):
    value: float | None = Field(default=None, description="The number, normalised.")
    unit: str | None = Field(default=None, description="The unit, normalised ('%', 'USD').")


class ClaimEvent(BaseModel):
    """A claim as an event, every part grounded; a part that was not is None (and rejected)."""

    model_config = _STORED

    event_type: str = Field(description="PLOVER event type, in the codebook named by codebook.")
    mode: str | None = None
    codebook: str = Field(description="The codebook file the type was checked with: 'plover.v2'.")
    source_id: str | None = Field(default=None, description="actor_id of who acts.")
    source: str | None = None
    target_id: str | None = Field(default=None, description="actor_id of who it is done to.")
    target: str | None = None
    theme: GroundedPart | None = None
    quantity: GroundedQuantity | None = None
    polarity: Polarity = Polarity.AFFIRMED
    modality: Modality = Modality.ASSERTED
    when: GroundedPart | None = None


class Claim(BaseModel):
    model_config = _STORED

    claim_id: str
    statement: str = Field(
        description="The model's self-contained wording; not grounded by design."
    )
    asserted_by_id: str | None = Field(description="actor_id, or None when the outlet asserts it.")
    asserted_by: str | None
    evidence: str = Field(description="The article's characters at the span.")
    span: Span
    event: ClaimEvent | None = Field(
        default=None, description="Who did what to whom, when the prompt version asks for it."
    )


class RejectedKind(StrEnum):
    ACTOR = "actor"
    ALIAS = "alias"
    TITLE = "title"
    QUOTE = "quote"
    CLAIM = "claim"
    EVENT_PART = "event_part"  # a part of a claim's event, dropped from it


class RejectionReason(StrEnum):
    NOT_IN_ARTICLE = "not_in_article"  # no passage of the article matches, even after normalizing
    SPEAKER_REJECTED = "speaker_rejected"  # the quote is printed, but its speaker was not found
    ASSERTER_REJECTED = "asserter_rejected"  # the evidence is printed, but its asserter was not
    DUPLICATE = "duplicate"  # the same passage was already kept
    PARTY_REJECTED = "party_rejected"  # an event's source or target is no grounded actor
    NOT_NEAR_EVIDENCE = "not_near_evidence"  # an event part printed, but far from the evidence
    TOO_SHORT = "too_short"  # a quote or evidence so short it would ground almost anywhere


class Rejected(BaseModel):
    """Something the model returned that is not stored as grounded, and why."""

    model_config = _STORED

    kind: RejectedKind
    reason: RejectionReason
    detail: str = Field(description="A sentence a reader understands without the code.")
    item: dict[str, Any] = Field(description="The model's object, as it returned it.")


class PromptRef(BaseModel):
    """Which prompt produced a result: id, version and a hash of the file's bytes."""

    model_config = _STORED

    id: str
    version: int
    sha256: str


class Usage(BaseModel):
    """Tokens as the endpoint billed them, summed over every answer of a call."""

    model_config = _STORED

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    cached_tokens: int = Field(
        default=0, description="Prompt tokens served from the provider's prompt cache."
    )
    reasoning_tokens: int = Field(
        default=0, description="Completion tokens spent reasoning (included in completion_tokens)."
    )

    def plus(self, other: Usage) -> Usage:
        return Usage(**{name: getattr(self, name) + getattr(other, name)
                        for name in Usage.model_fields})

    def __add__(self, other: Usage) -> Usage:
        return self.plus(other)


class LLMCall(BaseModel):
    """One structured-output request to the model, re-asks and transport retries included."""

    model_config = _STORED

    model: str
    mode: str
    prompt: PromptRef
    input_sha256: str = Field(description="sha256 of the article text sent.")
    schema_sha256: str = Field(description="sha256 of the response schema the model was given.")
    request_messages: list[dict[str, Any]] = Field(description="The first request's messages.")
    answers: list[str] = Field(description="Each answer's JSON as the model wrote it, in order.")
    reask_errors: list[str] = Field(description="The validation errors sent back to the model.")
    transport_retries: int = 0
    usage: Usage
    latency_ms: float

    @property
    def attempts(self) -> int:
        """Answers asked for: the first one plus every re-ask."""
        return len(self.answers)


class ChunkRef(BaseModel):
    """One part of a long article sent as its own call: ``text[start:end]``, hashed."""

    model_config = _STORED

    start: int = Field(ge=0)
    end: int = Field(gt=0)
    input_sha256: str = Field(description="sha256 of the chunk's text: its cache key.")
    cached: bool = Field(default=False, description="Answered from the store, not the model.")


class ExtractionResult(BaseModel):
    """Grounded actors, quotes and claims of one article, and what was rejected.

    ``publications`` says where and when the text was published (filled from the store: every
    input that carried it); ``chunks`` is empty when the article went in one call.
    """

    model_config = _STORED

    article_id: str
    content_sha256: str
    model: str
    prompt: PromptRef
    actors: list[Actor]
    quotes: list[Quote]
    claims: list[Claim]
    rejected: list[Rejected]
    call: LLMCall
    publications: list[Publication] = Field(default_factory=list)
    chunks: list[ChunkRef] = Field(default_factory=list)

    @property
    def reference_date(self) -> date | None:
        """The day the text was first published: what its relative dates count from."""
        dates = [p.reference_date for p in self.publications if p.published is not None]
        return min((d for d in dates if d is not None), default=None)

    def actor(self, actor_id: str) -> Actor:
        """The actor with this id; KeyError names the ids that exist."""
        for actor in self.actors:
            if actor.actor_id == actor_id:
                return actor
        raise KeyError(f"{actor_id!r} is not among {[a.actor_id for a in self.actors]}")
