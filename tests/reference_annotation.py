"""The format of a reference annotation: ``seeds/reference/<article-stem>.json``.

One file per seed article holds the answers a careful model would give, written by hand, and lists
what was planted in them on purpose (retyped typography that grounding must see through, inventions
that grounding must refuse, an answer that validation must refuse). The reference server replays
these answers; tests check each planted item does what its kind says.

It lives in tests/, not schemas/: only the tests' reference server reads these files, and the
wheel ships schemas/.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, JsonValue, model_validator


class PlantedEffect(StrEnum):
    """What the pipeline must do with a planted item."""

    GROUNDS_NORMALIZED = "grounds_normalized"  # found, but only once typography is set aside
    NOT_IN_ARTICLE = "not_in_article"  # grounding must refuse it
    FAILS_VALIDATION = "fails_validation"  # the schema refuses the answer before any grounding


class PlantedKind(StrEnum):
    STRAIGHT_QUOTES = "straight_quotes"  # "/' typed where the article prints curly marks
    RETYPED_PUNCTUATION = "retyped_punctuation"  # '-' for a dash, '...' for an ellipsis
    RETYPED_SPACING = "retyped_spacing"  # a space the article lost, put back
    JOINED_LINE_BREAK = "joined_line_break"  # a word the page broke across lines, joined
    INVENTED_QUOTE = "invented_quote"
    INVENTED_ACTOR = "invented_actor"
    INVENTED_ALIAS = "invented_alias"  # a real actor, under a name the article never prints
    INVENTED_TITLE = "invented_title"
    ALTERED_EVIDENCE = "altered_evidence"  # a real sentence with a word dropped or changed
    INVALID_FIRST_ANSWER = "invalid_first_answer"

    @property
    def effect(self) -> PlantedEffect:
        if self in _TYPOGRAPHY:
            return PlantedEffect.GROUNDS_NORMALIZED
        if self is PlantedKind.INVALID_FIRST_ANSWER:
            return PlantedEffect.FAILS_VALIDATION
        return PlantedEffect.NOT_IN_ARTICLE


_TYPOGRAPHY = frozenset({
    PlantedKind.STRAIGHT_QUOTES,
    PlantedKind.RETYPED_PUNCTUATION,
    PlantedKind.RETYPED_SPACING,
    PlantedKind.JOINED_LINE_BREAK,
})


class Planted(BaseModel):
    """A deliberate defect; ``text`` is one string field of an answer, copied exactly."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: PlantedKind
    text: str = Field(min_length=1, description="The answer's string exactly as written there.")
    why: str = Field(min_length=1, description="What a real model does that this imitates.")


class ReferenceAnnotation(BaseModel):
    """Hand-made answers for one seed article; attempt k is answered with ``answers[k-1]``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    article: str = Field(pattern=r"^[^/\\]+\.txt$", description="The seed's file name.")
    sha256: str = Field(
        pattern=r"^[0-9a-f]{64}$", description="sha256 of the seed text's UTF-8 bytes."
    )
    notes: str = Field(description="Reading decisions a reviewer should know about.")
    planted: list[Planted] = Field(default_factory=list)
    # JSON objects rather than ArticleExtraction: a planted first answer must be able to fail it.
    answers: list[dict[str, JsonValue]] = Field(
        min_length=1, description="ArticleExtraction JSON objects, one per attempt."
    )

    @model_validator(mode="after")
    def _invalid_first_answer_is_followed_by_a_fix(self) -> Self:
        invalid_first = any(
            item.kind is PlantedKind.INVALID_FIRST_ANSWER for item in self.planted
        )
        if invalid_first and len(self.answers) < 2:
            raise ValueError(
                f"{self.article}: planted an invalid first answer but has only "
                f"{len(self.answers)} answer; add the corrected answer after it"
            )
        return self

    def answer_for_attempt(self, attempt: int) -> dict[str, JsonValue]:
        """Attempt 1 gets the first answer; attempts beyond the list repeat the last one."""
        if attempt < 1:
            raise ValueError(f"attempt must be 1 or more, got {attempt}")
        return self.answers[min(attempt, len(self.answers)) - 1]
