"""The versioned data files reconciliation reads, as models that refuse a malformed file.

``pipeline/knowledge/aliases.v<N>.toml`` holds what a reader of the news knows and code should not:
abbreviations and full forms, capitals standing for their states, names that stand for an entity
only where the article also names it, titles and roles. ``claims.v<N>.toml`` holds the few words
that decide what a proposition says (predicates, hedges, negations). ``linkage.v<N>.toml`` holds
thresholds and names the Splink settings file. A released version is never edited; a change is a new
version, so that a stored reconciliation names the files that produced it.
"""

from __future__ import annotations

from collections import Counter
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from schemas.extraction import ActorKind

_FILE = ConfigDict(extra="forbid", frozen=True)
_KEY = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def _nonblank(values: list[str]) -> list[str]:
    for value in values:
        if not value.strip():
            raise ValueError("entries must not be blank")
    return values


def _duplicates(values: list[str]) -> list[str]:
    return sorted(value for value, count in Counter(values).items() if count > 1)


class KnownEntity(BaseModel):
    """A state, organization or person with the other names that stand for it."""

    model_config = _FILE

    key: str = Field(pattern=_KEY, description="Stable key, e.g. 'north-korea'; part of its id.")
    name: str = Field(min_length=1, description="The canonical name.")
    kind: ActorKind
    aliases: list[str] = Field(
        default_factory=list, description="Names that stand for it anywhere: 'DPRK', 'N.K.'."
    )
    capitals: list[str] = Field(
        default_factory=list, description="Seats of government standing for it: 'Pyongyang'."
    )
    contextual: list[str] = Field(
        default_factory=list,
        description="Names that stand for it only where the article also names it: 'the North'.",
    )
    demonyms: list[str] = Field(
        default_factory=list, description="Adjectives: 'North Korean'; read in titles and claims."
    )

    _not_blank = field_validator("aliases", "capitals", "contextual", "demonyms")(_nonblank)

    @model_validator(mode="after")
    def _capitals_stand_for_states(self) -> Self:
        if self.capitals and self.kind is not ActorKind.COUNTRY:
            raise ValueError(f"{self.key}: only a country has capitals, this is a {self.kind}")
        return self


class Role(BaseModel):
    """A role a title names, and the noun a descriptor uses for it ('the secretary')."""

    model_config = _FILE

    key: str = Field(pattern=_KEY)
    phrases: list[str] = Field(min_length=1, description="How titles write it, lower case.")
    head: str = Field(min_length=1, description="The noun of 'the <head>' that refers to it.")

    _not_blank = field_validator("phrases")(_nonblank)


class NameRules(BaseModel):
    """Words that decide where a title ends and a name begins."""

    model_config = _FILE

    title_words: list[str] = Field(
        description="Words of titles that are never part of a person's name: 'coordinator'."
    )
    function_words: list[str] = Field(description="'of', 'the': kept out of keys and acronyms.")
    honorifics: list[str] = Field(description="'mr', 'dr': set aside, not a role.")
    role_modifiers: list[str] = Field(description="'deputy', 'acting': part of the role key.")
    family_name_first: list[str] = Field(
        description="Family names written first ('Kim Jong Un'); also too common to show a "
        "misprint on their own."
    )

    _not_blank = field_validator(
        "title_words", "function_words", "honorifics", "role_modifiers", "family_name_first"
    )(_nonblank)


class Knowledge(BaseModel):
    """``aliases.v<N>.toml``: every known entity, role and naming rule."""

    model_config = _FILE

    version: int = Field(ge=1)
    entity: list[KnownEntity] = Field(min_length=1)
    role: list[Role] = Field(min_length=1)
    names: NameRules

    @model_validator(mode="after")
    def _every_name_stands_for_one_entity(self) -> Self:
        """A name listed under two entities is a typo in the file, not an ambiguity to resolve."""
        keys = _duplicates([entity.key for entity in self.entity])
        if keys:
            raise ValueError(f"entity keys listed twice: {keys}")
        names = [
            " ".join(name.casefold().split())
            for entity in self.entity
            for name in (entity.name, *entity.aliases, *entity.capitals)
        ]
        repeated = _duplicates(names)
        if repeated:
            raise ValueError(f"names listed under more than one entity (or twice): {repeated}")
        roles = _duplicates([role.key for role in self.role])
        if roles:
            raise ValueError(f"role keys listed twice: {roles}")
        return self


class PredicateClass(BaseModel):
    """Words that say the same relation: 'supply', 'provide', 'send', 'deliver'."""

    model_config = _FILE

    key: str = Field(pattern=_KEY)
    words: list[str] = Field(min_length=1, description="Plain words, compared by stem: 'supply'.")
    converse: list[str] = Field(
        default_factory=list,
        description="Words that say it from the other party's side: 'receive', 'acquire'.",
    )

    _not_blank = field_validator("words", "converse")(_nonblank)


class ClaimVocabulary(BaseModel):
    """``claims.v<N>.toml``: the words that decide what a proposition says."""

    model_config = _FILE

    version: int = Field(ge=1)
    predicate: list[PredicateClass] = Field(min_length=1)
    hedges: list[str] = Field(description="Words that make it a possibility: 'may', 'seek'.")
    negations: list[str] = Field(description="Words that deny it: 'not', 'deny'.")
    stopwords: list[str] = Field(description="Words that carry no content of their own.")

    _not_blank = field_validator("hedges", "negations", "stopwords")(_nonblank)

    @model_validator(mode="after")
    def _every_word_has_one_predicate(self) -> Self:
        listed = [word for p in self.predicate for word in (*p.words, *p.converse)]
        repeated = _duplicates(listed)
        if repeated:
            raise ValueError(f"words listed under more than one predicate (or twice): {repeated}")
        return self


class Inflections(BaseModel):
    """``inflections.v<N>.toml``: irregular forms of the claims vocabulary's words, generated
    from an inflection table by ``scripts/claim_inflections.py``."""

    model_config = _FILE

    version: int = Field(ge=1)
    source: str = Field(min_length=1, description="The package and version it came from.")
    vocabulary: str = Field(description="The claims vocabulary file it inflects.")
    forms: dict[str, str] = Field(description="Irregular form -> the word it is a form of.")


class ActorLinkage(BaseModel):
    model_config = _FILE

    splink_settings: str = Field(
        pattern=r"^[\w.-]+\.json$", description="Splink model file beside this one."
    )
    threshold_match_probability: float = Field(gt=0.0, lt=1.0)
    misprint_score: float = Field(gt=0.0, le=1.0, description="Base score of a misprint merge.")


class QuoteLinkage(BaseModel):
    model_config = _FILE

    shingle_words: int = Field(ge=2, description="Words per shingle used for blocking.")
    max_shingle_postings: int | None = Field(
        default=None, ge=2, description="v1 only, unused now: a cut-off that lost popular quotes."
    )
    rare_shingles: int = Field(
        default=1, ge=1, description="A text is compared with those sharing its N rarest shingles."
    )
    max_candidates: int = Field(
        default=2000, ge=1, description="Most candidates one text is compared with (cut is logged)."
    )
    min_fragment_words: int = Field(ge=2, description="Shorter fragments are not evidence.")
    near_text_ratio: float = Field(gt=0.0, le=100.0, description="rapidfuzz ratio, 0-100.")


class ClaimLinkage(BaseModel):
    model_config = _FILE

    min_shared_objects: int = Field(ge=1)
    max_representatives: int = Field(
        default=16, ge=1,
        description="A claim joins a cluster when it agrees with up to this many of its members.",
    )
    max_candidates: int = Field(
        default=2000, ge=1, description="Most candidates a claim is compared with (cut is logged)."
    )
    min_unclassified_overlap: float = Field(
        gt=0.0, le=1.0, description="Content-word Jaccard needed when no predicate is known."
    )


class LinkageSettings(BaseModel):
    """``linkage.v<N>.toml``: thresholds of the three reconcilers."""

    model_config = _FILE

    version: int = Field(ge=1)
    actors: ActorLinkage
    quotes: QuoteLinkage
    claims: ClaimLinkage
