"""What the model is asked to fill for one article.

These models are the response schema sent to the LLM: their field descriptions are part of the
prompt. Validators here refuse answers that are structurally wrong (empty text, a speaker who is not
among the actors), so that instructor re-asks the model with the error text. Grounding against the
article is not done here (schemas do no I/O and know no article); the pipeline hands a checker in,
see ``GroundingCheck`` and ``active_grounding_check``.
"""

from __future__ import annotations

import unicodedata
from contextvars import ContextVar
from enum import StrEnum
from typing import Protocol, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator


class ActorKind(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    COUNTRY = "country"
    OTHER = "other"


class QuoteKind(StrEnum):
    DIRECT = "direct"
    INDIRECT = "indirect"


def name_key(name: str) -> str:
    """Compare names the way a reader would: case, accents and spacing do not matter."""
    folded = unicodedata.normalize("NFKC", name).casefold().replace("’", "'")
    return " ".join(folded.split())


def _require_text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


class ExtractedActor(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(
        description="The fullest name of the actor exactly as the article writes it, "
        "e.g. 'Antony Blinken' or 'North Korea'. Copy it character for character."
    )
    kind: ActorKind = Field(
        description="person, organization (governments' bodies, companies, agencies, media), "
        "country (a state, also when named by its capital or an abbreviation), or other."
    )
    title: str | None = Field(
        default=None,
        description="The title or role the article gives the actor, copied as written "
        "(e.g. 'US Secretary of State'); null when the article gives none.",
    )
    aliases: list[str] = Field(
        default_factory=list,
        description="Every other name the article uses for this actor, copied as written: "
        "short forms, abbreviations, capitals standing for the state, descriptions such as "
        "'the secretary'. Pronouns are not aliases.",
    )

    _not_empty = field_validator("name")(_require_text)

    @field_validator("aliases")
    @classmethod
    def _aliases_not_empty(cls, aliases: list[str]) -> list[str]:
        return [_require_text(alias) for alias in aliases]

    def names(self) -> list[str]:
        """The name first, then each alias."""
        return [self.name, *self.aliases]


class ExtractedQuote(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        description="The quoted words exactly as printed, without the surrounding quotation "
        "marks. For a direct quote copy the words verbatim; for an indirect quote copy the "
        "reported passage verbatim. Never paraphrase, shorten inside, or complete a quote."
    )
    speaker: str = Field(
        description="Who said it: the name of one of the actors listed in 'actors', exactly as "
        "given there (its name or one of its aliases). Resolve 'he added' or 'the secretary "
        "said' to that actor; never a pronoun."
    )
    kind: QuoteKind = Field(
        description="direct when the article prints the words inside quotation marks, "
        "indirect when it reports the speech without them."
    )
    cue: str | None = Field(
        default=None,
        description="The verb or phrase that introduces the quote, e.g. 'said', 'told reporters'.",
    )

    _not_empty = field_validator("text", "speaker")(_require_text)


class ExtractedClaim(BaseModel):
    model_config = ConfigDict(extra="forbid")

    statement: str = Field(
        description="One proposition, written so that a reader understands it without the "
        "article: pronouns and titles replaced by names, dates and places kept."
    )
    asserted_by: str | None = Field(
        default=None,
        description="Who asserts the proposition: the name of one of the actors listed in "
        "'actors', exactly as given there; null when the outlet itself asserts it.",
    )
    evidence: str = Field(
        description="The passage of the article that states it, copied verbatim: one sentence or "
        "part of one, never stitched from several places."
    )

    _not_empty = field_validator("statement", "evidence")(_require_text)


class GroundingCheck(Protocol):
    """Handed in by the pipeline through ``active_grounding_check`` (or a validation context's
    ``"grounding"`` key, for direct ``model_validate`` calls)."""

    def problems(self, extraction: ArticleExtraction) -> list[str]:
        """Describe every quote, evidence passage and name that is not found in the article."""
        ...

    def take_reask(self) -> bool:
        """True once per article: whether ungrounded text may go back to the model."""
        ...


# Why not instructor's ``context=``: instructor renders every message as a Jinja template whenever
# it is given a context, which would rewrite an article that prints "{{" or crash on one that
# prints "{%". So the pipeline sets this for the duration of one structured call instead; being a
# ContextVar, it is private to each asyncio task.
active_grounding_check: ContextVar[GroundingCheck | None] = ContextVar(
    "active_grounding_check", default=None
)


class ArticleExtraction(BaseModel):
    """Every actor, quote and claim of one news article."""

    model_config = ConfigDict(extra="forbid")

    actors: list[ExtractedActor] = Field(
        default_factory=list,
        description="Every person, organization and country the article mentions, once each.",
    )
    quotes: list[ExtractedQuote] = Field(
        default_factory=list,
        description="Every direct and indirect quote, in article order.",
    )
    claims: list[ExtractedClaim] = Field(
        default_factory=list,
        description="The factual propositions the article reports, one per claim.",
    )

    @model_validator(mode="after")
    def _speakers_and_asserters_are_actors(self) -> Self:
        known = {name_key(name) for actor in self.actors for name in actor.names()}
        listed = ", ".join(repr(actor.name) for actor in self.actors) or "none"
        errors = [
            f"quotes[{i}].speaker {quote.speaker!r} is not among the actors ({listed}); "
            "use the name of a listed actor or add the speaker to 'actors'"
            for i, quote in enumerate(self.quotes)
            if name_key(quote.speaker) not in known
        ]
        errors += [
            f"claims[{i}].asserted_by {claim.asserted_by!r} is not among the actors ({listed}); "
            "use the name of a listed actor, or null when the outlet asserts it"
            for i, claim in enumerate(self.claims)
            if claim.asserted_by is not None and name_key(claim.asserted_by) not in known
        ]
        if errors:
            raise ValueError("; ".join(errors))
        return self

    @model_validator(mode="after")
    def _text_is_found_in_the_article(self, info: ValidationInfo) -> Self:
        check: GroundingCheck | None = (info.context or {}).get("grounding")
        check = check or active_grounding_check.get()
        if check is None:
            return self
        problems = check.problems(self)
        if problems and check.take_reask():
            raise ValueError(
                "Text that must be copied from the article was not found in it. Copy it exactly "
                "as printed, or leave the item out: " + "; ".join(problems)
            )
        return self
