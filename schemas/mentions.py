"""What reconciliation takes in: actors, quotes and claims as one article printed them.

A mention knows only its own article. Reconciliation decides which mentions of different articles
(and, for names the extraction left apart, of the same article) are the same actor, remark or
proposition. ``local_id`` carries the extraction's own grouping: mentions of one article that share
it were listed by the model as names of one actor, and are trusted as such.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from schemas.extraction import ActorKind, QuoteKind
from schemas.records import ClaimEvent, Span

_STORED = ConfigDict(extra="forbid", frozen=True)


class ActorMention(BaseModel):
    """One name of an actor as one article prints it."""

    model_config = _STORED

    article_id: str
    name: str = Field(min_length=1, description="The name as printed, title included if printed.")
    kind: ActorKind
    title: str | None = Field(default=None, description="The title the article gives the actor.")
    local_id: str | None = Field(
        default=None,
        description="The extraction's actor_id; mentions of one article sharing it are one actor.",
    )
    span: Span | None = Field(default=None, description="Where the article prints the name.")

    @property
    def key(self) -> str:
        """Identifies the mention across runs, for keeping canonical ids stable."""
        return _mention_key(self.article_id, self.span, self.name)


class QuoteMention(BaseModel):
    """One quote as one article prints it."""

    model_config = _STORED

    article_id: str
    speaker: str = Field(min_length=1, description="The speaker's name as the article gives it.")
    text: str = Field(min_length=1, description="The quoted words as printed.")
    kind: QuoteKind | None = None
    speaker_local_id: str | None = Field(
        default=None, description="The extraction's actor_id of the speaker."
    )
    span: Span | None = None
    outlet: str | None = Field(default=None, description="Who published the article.")
    published: str | None = Field(default=None, description="When, ISO 8601.")

    @property
    def key(self) -> str:
        return _mention_key(self.article_id, self.span, self.text)


class ClaimMention(BaseModel):
    """One proposition one article reports, with who asserts it and the passage that says it."""

    model_config = _STORED

    article_id: str
    asserted_by: str | None = Field(description="Who asserts it; None when the outlet does.")
    statement: str = Field(min_length=1, description="The proposition, self-contained.")
    evidence: str | None = Field(default=None, description="The article's passage stating it.")
    asserted_by_local_id: str | None = Field(
        default=None, description="The extraction's actor_id of the asserter."
    )
    span: Span | None = Field(default=None, description="Where the article prints the evidence.")
    event: ClaimEvent | None = Field(
        default=None, description="Who did what to whom (prompt v2 and later); None: no event."
    )
    outlet: str | None = Field(default=None, description="Who published the article.")
    published: str | None = Field(default=None, description="When, ISO 8601.")

    @property
    def key(self) -> str:
        return _mention_key(self.article_id, self.span, self.statement)


class CorpusMentions(BaseModel):
    """Everything of a corpus that reconciliation works on."""

    model_config = _STORED

    actors: tuple[ActorMention, ...] = ()
    quotes: tuple[QuoteMention, ...] = ()
    claims: tuple[ClaimMention, ...] = ()


def _mention_key(article_id: str, span: Span | None, text: str) -> str:
    where = f"{span.start}-{span.end}" if span is not None else text
    return f"{article_id}@{where}"
