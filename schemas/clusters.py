"""What reconciliation gives back: clusters of mentions, each with the merges that built it.

A cluster's ``merges`` form a spanning tree over its ``mentions``: every merge joins two mentions
(by their index in ``mentions``) and says which rule or comparison fired, on what evidence, with
what score. Following the merges from any mention reaches every other, so each member's presence is
explained; ``pipeline.reconcile.explain`` renders that tree.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.extraction import ActorKind
from schemas.mentions import ActorMention, ClaimMention, QuoteMention
from schemas.records import Span

_STORED = ConfigDict(extra="forbid", frozen=True)


class MergeRule(StrEnum):
    """Why two mentions are in one cluster; values are stored."""

    # actors, within one article
    SAME_ACTOR_IN_EXTRACTION = "same_actor_in_extraction"  # the extraction listed both names
    SHORT_FORM = "short_form"  # 'Blinken' where the article names 'Antony Blinken'
    DESCRIPTOR = "descriptor"  # 'the secretary' where the article has one secretary
    CONTEXTUAL_ALIAS = "contextual_alias"  # 'the North' where the article names North Korea
    ACRONYM_IN_ARTICLE = "acronym_in_article"  # 'ICG' where the article names the group
    MISPRINT_IN_ARTICLE = "misprint_in_article"  # 'Manhole Wood' beside 'Robert Wood'
    # actors, across articles
    SAME_NAME = "same_name"  # equal once case, accents, hyphens, dots and titles are set aside
    KNOWN_ALIAS = "known_alias"  # the knowledge file lists it: 'DPRK' for North Korea
    CAPITAL_FOR_STATE = "capital_for_state"  # 'Pyongyang' standing for North Korea
    SEAT_FOR_ORGANISATION = "seat_for_organisation"  # 'Brussels' as an organisation: the EU
    NAME_SIMILARITY = "name_similarity"  # scored by the Splink model (typos, initials, order)
    UNIQUE_PARTIAL_NAME = "unique_partial_name"  # 'Blinken' alone, and one Blinken in the corpus
    # quotes
    SAME_TEXT = "same_text"  # the same words once typography is set aside
    FRAGMENT = "fragment"  # one outlet printed part of the words another printed
    NEAR_TEXT = "near_text"  # the same words but for a typo or a retyped word
    PARAPHRASE = "paraphrase"  # one remark in other words: content words aligned in order
    # claims
    SAME_STATEMENT = "same_statement"  # the same words once case and typography are set aside
    SAME_PROPOSITION = "same_proposition"  # same agent, predicate, other party and object
    SAME_EVENT = "same_event"  # same source, target, PLOVER type and mode, theme, number, time
    # between claim clusters, never inside one (see ClaimRelation)
    DENIES = "denies"  # one cluster denies what another asserts: same proposition, denied


class Evidence(BaseModel):
    """One fact a merge rests on (or that weighed against it)."""

    model_config = _STORED

    what: str = Field(description="What was compared or looked up, e.g. 'surname'.")
    detail: str = Field(description="What was found, in words a reader follows.")
    weight: float | None = Field(
        default=None, description="Its match weight in bits, where a model scored it."
    )


class Merge(BaseModel):
    """One edge of a cluster's spanning tree: ``mentions[mention]`` joined ``mentions[anchor]``
    (and, for copies of one text, each of ``also`` did, for the same reason)."""

    model_config = _STORED

    mention: int = Field(ge=0)
    anchor: int = Field(ge=0)
    rule: MergeRule
    score: float = Field(ge=0.0, le=1.0, description="Confidence that the two are the same.")
    match_weight: float | None = Field(
        default=None, description="Splink's total match weight in bits, for scored comparisons."
    )
    evidence: tuple[Evidence, ...] = ()
    also: tuple[int, ...] = Field(
        default=(),
        description="Other mentions joined to ``anchor`` by this same merge (identical copies of "
        "one text): one explanation for the group, each of them an edge of the tree.",
    )

    @property
    def joined(self) -> tuple[int, ...]:
        """Every mention this merge joined to ``anchor``: ``mention``, then ``also``."""
        return (self.mention, *self.also)


def _check_spanning_tree(size: int, merges: tuple[Merge, ...]) -> None:
    edges = sum(1 + len(merge.also) for merge in merges)
    if edges != size - 1:
        raise ValueError(f"{size} mentions need {size - 1} merges, got {edges}")
    for merge in merges:
        for mention in merge.joined:
            if mention >= size or merge.anchor >= size or mention == merge.anchor:
                raise ValueError(f"merge {mention}->{merge.anchor} is outside 0..{size - 1}")


class ActorCluster(BaseModel):
    """One actor of the corpus: every mention of it, and why each belongs."""

    model_config = _STORED

    actor_id: str = Field(description="Stable id, e.g. 'country/north-korea'.")
    name: str = Field(description="The canonical name.")
    kind: ActorKind
    title: str | None = Field(default=None, description="The title most often given.")
    entity_key: str | None = Field(default=None, description="Key in the knowledge file, if any.")
    mentions: tuple[ActorMention, ...] = Field(min_length=1)
    merges: tuple[Merge, ...] = ()

    @model_validator(mode="after")
    def _merges_span_the_mentions(self) -> Self:
        _check_spanning_tree(len(self.mentions), self.merges)
        return self

    @property
    def names(self) -> list[str]:
        """Each distinct name as printed, in first-seen order."""
        return list(dict.fromkeys(mention.name for mention in self.mentions))

    @property
    def article_ids(self) -> list[str]:
        return sorted({mention.article_id for mention in self.mentions})


class QuoteSource(BaseModel):
    """Where one outlet printed the remark."""

    model_config = _STORED

    article_id: str
    text: str
    span: Span | None = None


class QuoteCluster(BaseModel):
    """One remark, with every outlet that printed it."""

    model_config = _STORED

    quote_id: str
    text: str = Field(description="The fullest printing of the remark.")
    speaker: str = Field(description="Canonical name of the speaker.")
    speaker_id: str | None = Field(default=None, description="actor_id, when actors were given.")
    mentions: tuple[QuoteMention, ...] = Field(min_length=1)
    merges: tuple[Merge, ...] = ()

    @model_validator(mode="after")
    def _merges_span_the_mentions(self) -> Self:
        _check_spanning_tree(len(self.mentions), self.merges)
        return self

    @property
    def sources(self) -> list[QuoteSource]:
        return [
            QuoteSource(article_id=quote.article_id, text=quote.text, span=quote.span)
            for quote in self.mentions
        ]


class ClaimAssertion(BaseModel):
    """Who asserts the proposition in one article, and the passage that says so."""

    model_config = _STORED

    article_id: str
    asserted_by: str | None = Field(description="Canonical name; None when the outlet asserts it.")
    asserted_by_id: str | None = None
    evidence: str | None = None
    span: Span | None = None


class ClaimCluster(BaseModel):
    """One proposition, with every article that reports it and who asserts it there."""

    model_config = _STORED

    claim_id: str
    statement: str = Field(description="The wording closest to all the others.")
    mentions: tuple[ClaimMention, ...] = Field(min_length=1)
    assertions: tuple[ClaimAssertion, ...] = Field(description="One per mention, in order.")
    merges: tuple[Merge, ...] = ()
    denies: str | None = Field(
        default=None, description="claim_id of the claim this denial answers, when it is one."
    )

    @model_validator(mode="after")
    def _merges_span_the_mentions(self) -> Self:
        _check_spanning_tree(len(self.mentions), self.merges)
        if len(self.assertions) != len(self.mentions):
            raise ValueError("every mention needs its assertion")
        return self

    @property
    def asserted_by(self) -> list[str]:
        """Every asserting actor, outlets left out, first-seen order."""
        names = (a.asserted_by for a in self.assertions if a.asserted_by is not None)
        return list(dict.fromkeys(names))


class ClaimRelation(BaseModel):
    """An edge between two claim clusters: ``claim_id`` denies what ``target_id`` asserts.

    Kept apart from the clusters' merges: a denial and the claim it answers are two clusters (a
    claim and its negation are not one proposition), linked so a report can show them together."""

    model_config = _STORED

    rule: MergeRule = Field(description="Always DENIES for now.")
    claim_id: str = Field(description="The cluster that denies (e.g. 'Moscow denies that ...').")
    target_id: str = Field(description="The cluster whose proposition is denied.")
    score: float = Field(ge=0.0, le=1.0)
    evidence: tuple[Evidence, ...] = ()


class Reconciliation(BaseModel):
    """Actors, quotes and claims of a corpus, reconciled."""

    model_config = _STORED

    actors: tuple[ActorCluster, ...] = ()
    quotes: tuple[QuoteCluster, ...] = ()
    claims: tuple[ClaimCluster, ...] = ()
    claim_relations: tuple[ClaimRelation, ...] = ()

    def denials_of(self, claim_id: str) -> list[ClaimRelation]:
        """The clusters that deny ``claim_id``'s proposition."""
        return [r for r in self.claim_relations
                if r.rule is MergeRule.DENIES and r.target_id == claim_id]
