"""What is known of an article beside its text: where and when it was published, by whom.

Metadata comes from a feed's fields or from an HTML page's own metadata; every field is optional,
because a folder of .txt files knows none of it. ``published`` is kept as ISO 8601 text (a date,
or a date and time with its offset) so that it sorts, stores and exports as written.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, JsonValue

_STORED = ConfigDict(extra="forbid", frozen=True)


class ArticleMetadata(BaseModel):
    """Title, outlet, URL, publication date and language, as the source gave them."""

    model_config = _STORED

    title: str | None = None
    outlet: str | None = Field(default=None, description="The publication: site or paper name.")
    url: str | None = None
    published: str | None = Field(
        default=None, description="ISO 8601: '2024-05-01' or '2024-05-01T09:30:00+00:00'."
    )
    language: str | None = Field(default=None, description="As given, e.g. 'en' or 'en-GB'.")
    extra: dict[str, JsonValue] = Field(
        default_factory=dict, description="Fields of the feed this schema does not know, kept."
    )
    html_sha256: str | None = Field(
        default=None, description="sha256 of the original HTML, when the text was extracted."
    )

    @property
    def reference_date(self) -> date | None:
        """The day of publication: what 'yesterday' or 'on Monday' in the text count from."""
        if self.published is None:
            return None
        if "T" in self.published:
            return datetime.fromisoformat(self.published).date()
        return date.fromisoformat(self.published)


class Publication(ArticleMetadata):
    """One input that carried an article's text: its name, file, feed line and metadata.

    The same text can arrive several times (an agency story printed by three outlets): each
    arrival is a publication of one article.
    """

    article_id: str
    path: str | None = None
    line: int | None = Field(default=None, description="Line of the feed, when from a feed.")


class DatedSource(BaseModel):
    """One article that printed a remark or reported a claim: by whom, when, in which words."""

    model_config = _STORED

    article_id: str
    outlet: str | None = None
    published: str | None = Field(default=None, description="ISO 8601, as stored.")
    text: str = Field(description="The quote's words, or the claim's evidence, as printed there.")
    earliest: bool = Field(
        default=False, description="Printed first: no dated source is earlier (ties all marked)."
    )
