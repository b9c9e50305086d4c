"""Trust signals: what rules, not a model, say about one extraction, each tied to the text.

Four signals, computed by ``pipeline.audit`` from the article and its stored result:

- the quotation-mark audit: every passage printed inside quotation marks, what kind it is, and how
  much of it the stored quotes cover (recall without gold);
- attribution evidence: for each quote, where the text names (or refers to) its speaker and prints
  a speech cue, or ``unsupported`` when it does not;
- modality: whether each claim's evidence is asserted, hedged, attributed, negated or denied;
- dates: the relative dates of each claim's evidence, resolved against the published date.

Offsets are ``str`` indices into the article: ``start`` inclusive, ``end`` exclusive, and
``article[start:end] == text`` for every ``TextSpan``.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

_STORED = ConfigDict(extra="forbid", frozen=True)


class TextSpan(BaseModel):
    """A passage a rule found in the article, exactly as printed."""

    model_config = _STORED

    start: int = Field(ge=0)
    end: int = Field(ge=1)
    text: str = Field(min_length=1)

    @model_validator(mode="after")
    def _as_long_as_its_text(self) -> Self:
        if self.end - self.start != len(self.text):
            raise ValueError(f"span {self.start}-{self.end} cannot hold {self.text!r}")
        return self

    @classmethod
    def of(cls, article: str, start: int, end: int) -> TextSpan:
        return cls(start=start, end=end, text=article[start:end])


class PassageKind(StrEnum):
    """What a quoted passage is; stored values."""

    SPEECH = "speech"  # words someone said or wrote: should be a stored quote
    SCARE_QUOTE = "scare_quote"  # one or two words set off: 'everything', 'global'
    TITLE = "title"  # the name of a work: a report, a book, an operation


class QuotedPassage(BaseModel):
    """One passage between quotation marks; ``span`` holds the words, marks left out."""

    model_config = _STORED

    span: TextSpan
    kind: PassageKind
    opening: str = Field(description="The opening mark as printed.")
    closing: str | None = Field(
        description="The closing mark as printed; None when the paragraph ends first (a quote "
        "that goes on in the next paragraph, or a mark the article never closed)."
    )
    rule: str = Field(description="Why it has its kind, e.g. 'two words or fewer'.")
    covered_chars: int = Field(ge=0, description="Characters inside some stored quote's span.")
    quote_ids: tuple[str, ...] = Field(default=(), description="The stored quotes overlapping it.")

    @property
    def coverage(self) -> float:
        return self.covered_chars / len(self.span.text)

    @property
    def uncovered(self) -> bool:
        """Speech that the stored quotes leave (mostly) out: a quote the run probably missed."""
        return self.kind is PassageKind.SPEECH and self.coverage < UNCOVERED_BELOW


UNCOVERED_BELOW = 0.5  # a passage less than half inside stored quotes is reported as uncovered


class QuoteAudit(BaseModel):
    """Every quoted passage of one article, and the share of quoted speech the quotes cover."""

    model_config = _STORED

    passages: tuple[QuotedPassage, ...] = ()

    @property
    def speech(self) -> list[QuotedPassage]:
        return [p for p in self.passages if p.kind is PassageKind.SPEECH]

    @property
    def uncovered(self) -> list[QuotedPassage]:
        return [p for p in self.passages if p.uncovered]

    @property
    def speech_chars(self) -> int:
        return sum(len(p.span.text) for p in self.speech)

    @property
    def covered_chars(self) -> int:
        return sum(p.covered_chars for p in self.speech)

    @property
    def coverage(self) -> float | None:
        """Covered share of quoted speech characters; None when the article quotes no speech."""
        return self.covered_chars / self.speech_chars if self.speech_chars else None


class AttributionStatus(StrEnum):
    SUPPORTED = "supported"  # speaker reference and speech cue in the quote's sentences
    UNSUPPORTED = "unsupported"  # a reviewer should check who said it


class SpeakerReference(StrEnum):
    """How the text refers to the speaker near the quote."""

    NAME = "name"  # a name or alias of the speaker's actor, or a person's surname
    PRONOUN = "pronoun"  # 'he', 'she', 'they' resolved to the last compatible actor
    DESCRIPTION = "description"  # 'the secretary' resolved to the last actor with that title
    CONTINUATION = "continuation"  # a quoted paragraph running on from the speaker's last quote


class Attribution(BaseModel):
    """Where the article ties one quote to its speaker, or why it does not."""

    model_config = _STORED

    quote_id: str
    status: AttributionStatus
    speaker: TextSpan | None = Field(default=None, description="The speaker's reference.")
    reference: SpeakerReference | None = None
    cue: TextSpan | None = Field(default=None, description="The speech cue, e.g. 'told reporters'.")
    reason: str | None = Field(default=None, description="Why unsupported, for a reviewer.")


class Modality(StrEnum):
    """How the article presents a claim; stored values. Listed strongest first."""

    DENIED = "denied"  # someone denies it: 'Moscow and Pyongyang have denied ...'
    NEGATED = "negated"  # stated as not the case: 'had not discovered evidence'
    HEDGED = "hedged"  # a possibility: 'may', 'reportedly', 'is believed to'
    ATTRIBUTED = "attributed"  # stated on someone's word: 'according to', 'said'
    ASSERTED = "asserted"  # stated as fact, with no cue


class ModalityCue(BaseModel):
    model_config = _STORED

    modality: Modality
    span: TextSpan
    inside_evidence: bool = Field(description="Inside the evidence, or in its sentence around it.")


class ClaimModality(BaseModel):
    """The strongest cue decides: a denied hedge is denied."""

    model_config = _STORED

    claim_id: str
    modality: Modality
    cues: tuple[ModalityCue, ...] = ()
    model_modality: Modality | None = Field(
        default=None,
        description="The model's own reading, from the claim's event (prompt v2 and later): both "
        "are kept, and ``disagrees`` flags where they differ.",
    )

    @property
    def cue(self) -> ModalityCue | None:
        return next((c for c in self.cues if c.modality is self.modality), None)

    @property
    def disagrees(self) -> bool:
        """The rule and the model read the claim differently. Attributed and asserted are one
        reading here: the event keeps who asserts it apart from how."""
        if self.model_modality is None:
            return False
        return _reading(self.modality) is not _reading(self.model_modality)


def _reading(modality: Modality) -> Modality:
    return Modality.ASSERTED if modality is Modality.ATTRIBUTED else modality


class DateGranularity(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class ClaimDate(BaseModel):
    """A date expression in a claim's evidence; ``value`` None when there is nothing to resolve
    it against (no published date), never a guess."""

    model_config = _STORED

    claim_id: str
    span: TextSpan
    value: str | None = Field(
        default=None,
        description="ISO 8601 at its granularity: 2024-06-25, 2024-W26, 2024-05, 2023.",
    )
    granularity: DateGranularity | None = None
    relative: bool = Field(description="Needs a reference date ('on Tuesday'), or absolute.")

    @property
    def resolved(self) -> bool:
        return self.value is not None


class TrustSignals(BaseModel):
    """All four signals of one extraction."""

    model_config = _STORED

    article_id: str
    content_sha256: str
    vocabulary: int = Field(description="Version of the vocabulary file the rules used.")
    reference_date: dt.date | None = Field(
        default=None, description="What relative dates were resolved against: the published date."
    )
    audit: QuoteAudit = QuoteAudit()
    attributions: tuple[Attribution, ...] = ()
    modalities: tuple[ClaimModality, ...] = ()
    dates: tuple[ClaimDate, ...] = ()

    @property
    def unsupported(self) -> list[Attribution]:
        return [a for a in self.attributions if a.status is AttributionStatus.UNSUPPORTED]


class _Vocabulary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QuoteMarks(_Vocabulary):
    double_open: tuple[str, ...]
    double_close: tuple[str, ...]
    single_open: tuple[str, ...]
    single_close: tuple[str, ...]
    scare_max_words: int = Field(ge=1)
    title_cues: tuple[str, ...]


class PronounClass(_Vocabulary):
    words: tuple[str, ...] = Field(min_length=1)
    kinds: tuple[str, ...] = Field(min_length=1)


class AttributionWords(_Vocabulary):
    cues: tuple[str, ...] = Field(min_length=1)
    pronoun: tuple[PronounClass, ...]
    description: tuple[PronounClass, ...] = ()  # "the company": nouns, and the kinds they fit


class ModalityWords(_Vocabulary):
    hedges: tuple[str, ...]
    attributions: tuple[str, ...]
    negations: tuple[str, ...]
    denials: tuple[str, ...]
    not_denials: tuple[str, ...]


class DateWords(_Vocabulary):
    relative_words: tuple[str, ...]
    ago_units: tuple[str, ...]
    ago_counts: tuple[str, ...]
    weekdays: tuple[str, ...]
    months: tuple[str, ...]
    ambiguous_months: tuple[str, ...]
    date_prepositions: tuple[str, ...]


class SignalVocabulary(_Vocabulary):
    """``pipeline/knowledge/signals.v<N>.toml``: every word the trust-signal rules look for."""

    version: int = Field(ge=1)
    quotes: QuoteMarks
    attribution: AttributionWords
    modality: ModalityWords
    dates: DateWords
