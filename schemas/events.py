"""Claims as events: who did what to whom, coded with the PLOVER codebook.

The model reads the proposition out of the sentence (source, target, event type and mode, theme,
quantity, polarity, modality, when); the pipeline grounds each part and clusters on them. What the
model is asked for depends on a codebook, a data file the pipeline loads; so the response schema
of a prompt version that asks for events is built from it by ``event_extraction_schema`` (no I/O
here: the codebook is handed in). Validators refuse a type/mode pair the codebook lacks and a
source or target that is not among the actors, so that instructor re-asks the model.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator, model_validator

from schemas.extraction import ArticleExtraction, ExtractedClaim, name_key

_STORED = ConfigDict(extra="forbid", frozen=True)


class Polarity(StrEnum):
    """Whether the act happened: stated, stated as not having happened, or denied by a party."""

    AFFIRMED = "affirmed"
    NEGATED = "negated"
    DENIED = "denied"


class Modality(StrEnum):
    """How sure the article is: stated as fact, hedged (may, reportedly, could), or reported."""

    ASSERTED = "asserted"
    HEDGED = "hedged"
    REPORTED = "reported"


class EventTypeEntry(BaseModel):
    """One PLOVER event type of the codebook file, with its modes."""

    model_config = _STORED

    definition: str = Field(min_length=1)
    modes: dict[str, str] = Field(default_factory=dict)
    note: str | None = None


class Codebook(BaseModel):
    """The format of ``pipeline/knowledge/plover.v<N>.toml``."""

    model_config = _STORED

    version: int = Field(ge=1)
    codebook: str
    codebook_revision: str
    source: str = Field(min_length=1, description="Where the codebook was written from.")
    types: dict[str, EventTypeEntry] = Field(min_length=1)

    def allows(self, event_type: str, mode: str | None) -> bool:
        entry = self.types.get(event_type)
        return entry is not None and (mode is None or mode in entry.modes)

    def type_lines(self) -> str:
        """One line per type, for the field description the model reads."""
        return "; ".join(f"{name}: {entry.definition}" for name, entry in self.types.items())

    def mode_lines(self) -> str:
        return "; ".join(
            f"{name}: {', '.join(entry.modes)}" for name, entry in self.types.items() if entry.modes
        )


class ExtractedQuantity(BaseModel):
    """A number the claim turns on, as printed and normalised."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        description="The number with its unit copied exactly as printed, e.g. '60 percent', "
        "'hundreds of', '$1.5 billion'."
    )
    value: float | None = Field(
        default=None,
        description="The number as a plain decimal: '60 percent' -> 60, '$1.5 billion' -> "
        "1500000000, 'a dozen' -> 12; null when the text gives no exact number ('hundreds').",
    )
    unit: str | None = Field(
        default=None,
        description="The unit, normalised: '%' for percent, 'USD' for dollars, else the counted "
        "noun in the singular ('missile', 'drone'); null when there is none.",
    )

    _not_empty = field_validator("text")(lambda value: _required(value))


class ExtractedEvent(BaseModel):
    """Fields shared by every codebook; event_type and mode are checked by the built schema."""

    model_config = ConfigDict(extra="forbid")

    source: str | None = Field(
        default=None,
        description="Who acts: the name of one of the actors listed in 'actors', exactly as given "
        "there; null when the article names no actor for it.",
    )
    target: str | None = Field(
        default=None,
        description="Who the act is done to or for (the recipient, the sanctioned, the accused): "
        "an actor listed in 'actors', exactly as given there; null when there is none.",
    )
    event_type: str
    mode: str | None = None
    theme: str | None = Field(
        default=None,
        description="What is supplied, imposed, launched or claimed, copied from the article as "
        "printed, e.g. 'combat drones', 'sanctions', 'uranium'; null when there is none.",
    )
    quantity: ExtractedQuantity | None = Field(
        default=None, description="The number the claim states, when it states one."
    )
    polarity: Polarity = Field(
        default=Polarity.AFFIRMED,
        description="affirmed: the act happened or holds; negated: the article says it did not; "
        "denied: a party denies it (then 'source' is still who would have acted).",
    )
    modality: Modality = Field(
        default=Modality.ASSERTED,
        description="asserted: stated as fact; hedged: may, might, could, reportedly, is believed "
        "to; reported: a party says it and the article does not vouch for it.",
    )
    when: str | None = Field(
        default=None,
        description="The time of the act copied as printed, e.g. 'since 2022', 'in September', "
        "'last week'; null when none is printed.",
    )


def _required(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


def event_extraction_schema(codebook: Codebook) -> type[ArticleExtraction]:
    """The response schema of a prompt version that asks for events, taught by ``codebook``.

    Built, not declared, because the event types, the modes and their descriptions come from the
    codebook file; the pipeline builds it once per codebook.
    """
    types: list[JsonValue] = list(codebook.types)
    modes: list[JsonValue] = [
        *sorted({mode for entry in codebook.types.values() for mode in entry.modes})
    ]

    class ClaimEvent(ExtractedEvent):
        """Who did what to whom, as the claim states it."""

        event_type: str = Field(
            description="The PLOVER event type of the act: " + codebook.type_lines() + ".",
            json_schema_extra={"enum": types},
        )
        mode: str | None = Field(
            default=None,
            description="The PLOVER mode of that type, or null; the modes of each type are: "
            + codebook.mode_lines()
            + ".",
            json_schema_extra={"enum": [*modes, None]},
        )

        @model_validator(mode="after")
        def _type_and_mode_are_in_the_codebook(self) -> Self:
            if self.event_type not in codebook.types:
                raise ValueError(
                    f"event_type {self.event_type!r} is not a {codebook.codebook} type; use one "
                    f"of {', '.join(codebook.types)}"
                )
            if not codebook.allows(self.event_type, self.mode):
                allowed = ", ".join(codebook.types[self.event_type].modes) or "none"
                raise ValueError(
                    f"mode {self.mode!r} is not a mode of {self.event_type}; its modes are "
                    f"{allowed}, or null"
                )
            return self

    class EventClaim(ExtractedClaim):
        event: ClaimEvent | None = Field(
            default=None,
            description="The claim as an event: who did what to whom. Null only when the claim "
            "states no act or state of a named party.",
        )

    class ArticleEventExtraction(ArticleExtraction):
        """Every actor, quote and claim of one news article; every claim also as an event."""

        claims: list[EventClaim] = Field(  # type: ignore[assignment]
            default_factory=list,
            description="The factual propositions the article reports, one per claim, each with "
            "its event.",
        )

        @model_validator(mode="after")
        def _sources_and_targets_are_actors(self) -> Self:
            known = {name_key(name) for actor in self.actors for name in actor.names()}
            listed = ", ".join(repr(actor.name) for actor in self.actors) or "none"
            errors = [
                f"claims[{i}].event.{role} {name!r} is not among the actors ({listed}); use the "
                "name of a listed actor, or null"
                for i, claim in enumerate(self.claims)
                if claim.event is not None
                for role, name in (("source", claim.event.source), ("target", claim.event.target))
                if name is not None and name_key(name) not in known
            ]
            if errors:
                raise ValueError("; ".join(errors))
            return self

    return ArticleEventExtraction


def claim_event(claim: ExtractedClaim) -> ExtractedEvent | None:
    """The event a claim of any prompt version carries (v1 claims carry none)."""
    event: Any = getattr(claim, "event", None)
    return event if isinstance(event, ExtractedEvent) else None


class EventVocabulary(BaseModel):
    """The format of ``pipeline/knowledge/events.v<N>.toml``: how events are compared."""

    model_config = _STORED

    version: int = Field(ge=1)
    units: dict[str, list[str]] = Field(description="One spelling per unit, and its variants.")
    theme_fillers: list[str] = Field(description="Theme words that carry no content.")
    theme_prepositions: list[str] = Field(
        default=[],
        description="Words after a theme's head that open what it is of or on ('a ban on "
        "grain imports' is a ban): since version 2.",
    )
    months: list[str] = Field(min_length=12, max_length=12)
    place_prepositions: list[str] = Field(
        default=[],
        description="Prepositions whose name is where a claim happened ('near Kherson'): two "
        "claims in different places are two: since version 4.",
    )
    deed_types: list[str] = Field(
        default=[],
        description="PLOVER's types of deeds, not words: two of them may code one act when the "
        "statements print one act (since version 5).",
    )
    deed_kin_types: list[str] = Field(
        default=[],
        description="Types one deed is coded with too (a commitment to it, a concession of it, "
        "an act of no type), which meet deeds as deeds meet each other: since version 6.",
    )
    cooperation_types: list[str] = Field(
        default=[], description="PLOVER's types of cooperation, in words or deeds: since version 6."
    )
    conflict_types: list[str] = Field(
        default=[], description="PLOVER's types of conflict, in words or deeds; never one act "
        "with a type of cooperation: since version 6.",
    )
    scales: dict[str, float] = Field(
        default={}, description="Words of scale in a unit ('billion'), folded into the value: "
        "since version 3.",
    )
    theme_restrictions: list[str] = Field(
        default=[], description="Nouns of restricting a thing ('controls', 'curbs'), of no content "
        "in a theme: what they restrict is what it is about (since version 7).",
    )
    mutual_types: list[str] = Field(
        default=[], description="Types whose act is of both parties, coded from either side "
        "(talks): since version 7.",
    )
    directed_modes: list[str] = Field(
        default=[], description="Modes of a mutual type that give its act a direction (a visit): "
        "two events that both name one keep their direction (since version 7).",
    )
