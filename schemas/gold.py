"""Gold annotations: what a careful human annotator marks in one seed article.

Stored as ``seeds/gold/<article-stem>.json``, one file per article, and read by
``pipeline.evaluate.load_gold``. Every passage is kept twice on purpose: as ``text``, so a reviewer
reads the file without the article, and as ``start``/``end``, character offsets into the article
(``str`` indices, ``start`` inclusive, ``end`` exclusive), so the scorer never searches. The loader
checks ``article[start:end] == text`` for every span; the models here check what needs no article.
The annotation policies (pronouns, captions, metonyms, quote extents) are in seeds/gold/README.md.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.events import Modality, Polarity
from schemas.extraction import ActorKind, QuoteKind

_GOLD = ConfigDict(extra="forbid", frozen=True)


class GoldSpan(BaseModel):
    """A passage as printed: ``article[start:end] == text``."""

    model_config = _GOLD

    text: str = Field(min_length=1, description="The article's characters at the offsets.")
    start: int = Field(ge=0, description="Offset of the first character (inclusive).")
    end: int = Field(ge=1, description="Offset after the last character (exclusive).")

    @model_validator(mode="after")
    def _ordered_and_as_long_as_its_text(self) -> Self:
        if self.end <= self.start:
            raise ValueError(f"span end {self.end} must be greater than start {self.start}")
        if self.end - self.start != len(self.text):
            raise ValueError(
                f"span {self.start}-{self.end} covers {self.end - self.start} characters but its "
                f"text {self.text!r} has {len(self.text)}; recompute the offsets"
            )
        return self

    def overlaps(self, other: GoldSpan) -> bool:
        return self.start < other.end and other.start < self.end


class GoldActor(BaseModel):
    """A person, organization or country, with every mention the annotator marked."""

    model_config = _GOLD

    actor_id: str = Field(
        pattern=r"^[a-z][a-z0-9_]*$",
        description="A short slug, unique in the file, that quotes and claims refer to.",
    )
    name: str = Field(min_length=1, description="The canonical name, e.g. 'Robert Wood'.")
    kind: ActorKind
    mentions: list[GoldSpan] = Field(
        min_length=1, description="Every mention in the article's content, in article order."
    )
    note: str | None = Field(default=None, description="The annotator's remark, if any.")

    @model_validator(mode="after")
    def _mentions_in_article_order(self) -> Self:
        for before, after in pairwise(self.mentions):
            if after.start < before.end:
                raise ValueError(
                    f"mentions of {self.actor_id!r} must be in article order without overlap: "
                    f"{before.text!r} at {before.start} then {after.text!r} at {after.start}"
                )
        return self


class GoldQuote(BaseModel):
    """A direct or indirect quote and who said it."""

    model_config = _GOLD

    span: GoldSpan = Field(description="The quoted words, quotation marks left out.")
    speaker: str = Field(description="actor_id of the speaker.")
    kind: QuoteKind
    cue: str | None = Field(
        default=None, description="The reporting verb or phrase as printed, e.g. 'told reporters'."
    )
    note: str | None = Field(default=None, description="The annotator's remark, if any.")


class GoldEvent(BaseModel):
    """The claim as an event, coded with the PLOVER codebook file (policies in the README)."""

    model_config = _GOLD

    source: str | None = Field(description="actor_id of who acts; null when no actor is named.")
    target: str | None = Field(description="actor_id of who it is done to; null when none.")
    event_type: str = Field(min_length=1, description="A type of pipeline/knowledge/plover.v2.")
    mode: str | None = Field(default=None, description="A mode of that type, or null.")
    theme: str | None = Field(default=None, description="What is supplied, imposed, as printed.")
    polarity: Polarity = Polarity.AFFIRMED
    modality: Modality = Modality.ASSERTED


class GoldClaim(BaseModel):
    """A checkable proposition, who asserts it, and the passage that states it."""

    model_config = _GOLD

    statement: str = Field(
        min_length=1, description="The proposition in the annotator's words, for readers only."
    )
    asserted_by: str | None = Field(description="actor_id of the asserter; null for the outlet.")
    evidence: GoldSpan
    event: GoldEvent | None = Field(default=None, description="Who did what to whom.")
    note: str | None = Field(default=None, description="The annotator's remark, if any.")


class GoldAnnotation(BaseModel):
    """Everything the annotator marked in one article."""

    model_config = _GOLD

    article: str = Field(
        pattern=r"^[^/\\]+\.(txt|md)$", description="The article's file name in seeds/."
    )
    sha256: str = Field(
        pattern=r"^[0-9a-f]{64}$", description="sha256 of the article's UTF-8 text."
    )
    notes: str = Field(min_length=1, description="The annotator's policies and judgment calls.")
    actors: list[GoldActor]
    quotes: list[GoldQuote]
    claims: list[GoldClaim]

    @property
    def article_id(self) -> str:
        """The article's file name without its suffix, as ``read_article`` names it."""
        return self.article.rsplit(".", 1)[0]

    def actor(self, actor_id: str) -> GoldActor:
        """The actor with this id; KeyError names the ids that exist."""
        for actor in self.actors:
            if actor.actor_id == actor_id:
                return actor
        raise KeyError(f"{actor_id!r} is not among {[a.actor_id for a in self.actors]}")

    def spans(self) -> list[tuple[str, GoldSpan]]:
        """Every span with a label that says where it is in the file, for error messages."""
        labelled = [
            (f"actors[{actor.actor_id}].mentions[{i}]", mention)
            for actor in self.actors
            for i, mention in enumerate(actor.mentions)
        ]
        labelled += [(f"quotes[{i}]", quote.span) for i, quote in enumerate(self.quotes)]
        labelled += [
            (f"claims[{i}].evidence", claim.evidence) for i, claim in enumerate(self.claims)
        ]
        return labelled

    @model_validator(mode="after")
    def _references_resolve(self) -> Self:
        ids = [actor.actor_id for actor in self.actors]
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        if duplicated:
            raise ValueError(f"actor ids must be unique; repeated: {duplicated}")
        known = set(ids)
        unknown = [
            f"quotes[{i}].speaker {quote.speaker!r}"
            for i, quote in enumerate(self.quotes)
            if quote.speaker not in known
        ]
        unknown += [
            f"claims[{i}].asserted_by {claim.asserted_by!r}"
            for i, claim in enumerate(self.claims)
            if claim.asserted_by is not None and claim.asserted_by not in known
        ]
        unknown += [
            f"claims[{i}].event.{role} {actor!r}"
            for i, claim in enumerate(self.claims)
            if claim.event is not None
            for role, actor in (("source", claim.event.source), ("target", claim.event.target))
            if actor is not None and actor not in known
        ]
        if unknown:
            raise ValueError(f"{', '.join(unknown)} name no actor; actors are {sorted(known)}")
        return self

    @model_validator(mode="after")
    def _mentions_of_different_actors_do_not_overlap(self) -> Self:
        # A name inside a longer mention belongs to that mention only ("US" in "the US Secretary
        # of State"), so one character is never a mention of two actors.
        mentions = sorted(
            ((m, a.actor_id) for a in self.actors for m in a.mentions), key=lambda p: p[0].start
        )
        for (before, first), (after, second) in pairwise(mentions):
            if after.overlaps(before):
                raise ValueError(
                    f"mention {after.text!r} of {second!r} at {after.start} overlaps mention "
                    f"{before.text!r} of {first!r} at {before.start}"
                )
        return self

    @model_validator(mode="after")
    def _quotes_and_claims_in_article_order(self) -> Self:
        quotes = [(q.span.start, q.span.end) for q in self.quotes]
        if quotes != sorted(set(quotes)):
            raise ValueError("quotes must be in article order, each passage once")
        evidence = [(c.evidence.start, c.evidence.end) for c in self.claims]
        if evidence != sorted(set(evidence)):
            raise ValueError("claims must be in article order of their evidence, each passage once")
        return self
