"""One article as its report page shows it: the text cut into highlighted fragments, and a card
for every object the highlights point at.

Speakers get colours in the order they first speak in the article, so that within one page no two
speakers share a colour until the palette runs out; direct and indirect quotes differ by pattern
as well as by label, never by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from pipeline.extract.assemble import CLOSEST_PASSAGE_MIN_SIMILARITY
from pipeline.report.corpus_view import CorpusLinks, span_anchor
from pipeline.report.highlight import Fragment, Highlight, HighlightKind, fragments
from pipeline.store.db import StoredExtraction
from schemas.articles import Publication
from schemas.extraction import QuoteKind
from schemas.records import ExtractionResult, Rejected, RejectedKind, Span
from schemas.signals import (
    Attribution,
    ClaimDate,
    ClaimModality,
    Modality,
    QuotedPassage,
    TrustSignals,
)

SPEAKER_COLOURS = 8  # speaker-0 .. speaker-7 in report.css


@dataclass(frozen=True)
class MentionCard:
    ref: str
    anchor: str
    text: str
    actor_name: str
    kind: str
    title: str | None
    span: Span
    actor_page: str | None


@dataclass(frozen=True)
class ActorRow:
    local_id: str
    name: str
    kind: str
    title: str | None
    names: list[tuple[str, str]]  # (printed name, anchor of its first mention)
    quotes: int
    actor_page: str | None
    canonical_name: str | None


@dataclass(frozen=True)
class QuoteCard:
    ref: str
    anchor: str
    text: str
    speaker: str
    speaker_colour: str
    kind: QuoteKind
    cue: str | None
    span: Span
    actor_page: str | None
    cluster_page: str | None
    attribution: Attribution | None  # the trust signal: where the text ties it to its speaker


@dataclass(frozen=True)
class ClaimCard:
    ref: str
    anchor: str
    statement: str
    asserted_by: str | None
    evidence: str
    span: Span
    actor_page: str | None
    cluster_page: str | None
    modality: ClaimModality | None  # asserted, attributed, hedged, negated or denied, and why
    dates: list[ClaimDate]


@dataclass(frozen=True)
class UncoveredCard:
    """Quoted speech that no stored quote covers: a quote the run probably missed."""

    ref: str
    anchor: str
    passage: QuotedPassage


@dataclass(frozen=True)
class RejectedCard:
    ref: str
    kind: str
    reason: str
    detail: str
    returned: str  # what the model gave, as it gave it
    closest: str | None  # the closest passage of the article, when it is close enough
    closest_anchor: str | None
    closest_score: float | None


@dataclass(frozen=True)
class ArticleView:
    article_id: str
    stored: StoredExtraction
    result: ExtractionResult
    paths: list[str]
    chars: int
    fragments: list[Fragment]
    actors: list[ActorRow]
    mentions: list[MentionCard]
    quotes: list[QuoteCard]
    claims: list[ClaimCard]
    rejected: list[RejectedCard]
    speakers: list[tuple[str, str]]  # (speaker, colour class), in order of first quote
    signals: TrustSignals | None
    uncovered: list[UncoveredCard]
    publications: list[Publication]

    @property
    def title(self) -> str | None:
        return next((p.title for p in self.publications if p.title), None)

    @property
    def outlets(self) -> str:
        return ", ".join(dict.fromkeys(p.outlet for p in self.publications if p.outlet))

    @property
    def published(self) -> str:
        """The first publication date, as the source wrote it ('' when none is known)."""
        return min((p.published for p in self.publications if p.published), default="")

    @property
    def unsupported(self) -> int:
        return sum(1 for q in self.quotes if q.attribution is not None
                   and q.attribution.status.value == "unsupported")

    @property
    def denied(self) -> int:
        return sum(1 for c in self.claims if c.modality is not None
                   and c.modality.modality in (Modality.DENIED, Modality.NEGATED))


def _returned_text(item: Rejected) -> str:
    for key in ("text", "evidence", "name", "title", "alias", "statement"):
        value = item.item.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def _closest(text: str, snippet: str) -> tuple[Span, float] | None:
    """Where the article comes closest to a rejected passage, as the rejection detail says."""
    if len(snippet) < 4:
        return None
    alignment = fuzz.partial_ratio_alignment(snippet, text, processor=str.casefold)
    if alignment is None or alignment.score < CLOSEST_PASSAGE_MIN_SIMILARITY:
        return None
    if alignment.dest_end <= alignment.dest_start:
        return None
    return Span(start=alignment.dest_start, end=alignment.dest_end, match="normalized"), \
        alignment.score


def article_view(stored: StoredExtraction, result: ExtractionResult, text: str,
                 links: CorpusLinks, *, paths: list[str],
                 signals: TrustSignals | None = None) -> ArticleView:
    """Everything the article page draws, with links into the rest of the report; the trust
    signals, when given, flag unsupported attributions, claim modality and missed quotes."""
    article = result.article_id
    highlights: list[Highlight] = []
    attributions = {a.quote_id: a for a in signals.attributions} if signals else {}
    modalities = {m.claim_id: m for m in signals.modalities} if signals else {}
    dates: dict[str, list[ClaimDate]] = {}
    for date in signals.dates if signals else ():
        dates.setdefault(date.claim_id, []).append(date)
    names_by_id = {actor.actor_id: actor.name for actor in result.actors}

    colours: dict[str, str] = {}
    for quote in result.quotes:
        colours.setdefault(quote.speaker_id, f"speaker-{len(colours) % SPEAKER_COLOURS}")

    def actor_page(local_id: str | None) -> str | None:
        canonical = links.actor_of(article, local_id)
        return links.actors.get(canonical) if canonical else None

    mentions: list[MentionCard] = []
    actors: list[ActorRow] = []
    quote_counts = {a.actor_id: sum(q.speaker_id == a.actor_id for q in result.quotes)
                    for a in result.actors}
    for actor in result.actors:
        page = actor_page(actor.actor_id)
        canonical = links.actor_of(article, actor.actor_id)
        row_names: list[tuple[str, str]] = []
        for mention in actor.mentions:
            ref = f"obj-m-{mention.span.start}-{mention.span.end}"
            anchor = span_anchor("m", mention.span)
            mentions.append(MentionCard(ref, anchor, mention.text, actor.name, actor.kind.value,
                                        actor.title, mention.span, page))
            highlights.append(Highlight(HighlightKind.MENTION, mention.span.start,
                                        mention.span.end, ref, anchor))
            row_names.append((mention.text, anchor))
        actors.append(ActorRow(actor.actor_id, actor.name, actor.kind.value, actor.title,
                               row_names, quote_counts[actor.actor_id], page,
                               canonical))

    quotes: list[QuoteCard] = []
    for quote in result.quotes:
        ref = f"obj-q-{quote.span.start}-{quote.span.end}"
        anchor = span_anchor("q", quote.span)
        colour = colours[quote.speaker_id]
        cluster = links.quote_at.get((article, quote.span.start, quote.span.end))
        attribution = attributions.get(quote.quote_id)
        quotes.append(QuoteCard(ref, anchor, quote.text, quote.speaker, colour, quote.kind,
                                quote.cue, quote.span, actor_page(quote.speaker_id),
                                links.quotes.get(cluster) if cluster else None, attribution))
        flags = ("unsupported",) if attribution and attribution.status.value == "unsupported" \
            else ()
        highlights.append(Highlight(HighlightKind.QUOTE, quote.span.start, quote.span.end, ref,
                                    anchor, (colour, quote.kind.value, *flags)))

    claims: list[ClaimCard] = []
    for claim in result.claims:
        ref = f"obj-c-{claim.span.start}-{claim.span.end}"
        anchor = span_anchor("c", claim.span)
        cluster = links.claim_at.get((article, claim.span.start, claim.span.end))
        modality = modalities.get(claim.claim_id)
        claims.append(ClaimCard(ref, anchor, claim.statement, claim.asserted_by, claim.evidence,
                                claim.span, actor_page(claim.asserted_by_id),
                                links.claims.get(cluster) if cluster else None, modality,
                                dates.get(claim.claim_id, [])))
        highlights.append(Highlight(HighlightKind.CLAIM, claim.span.start, claim.span.end, ref,
                                    anchor, (modality.modality.value,) if modality else ()))

    uncovered: list[UncoveredCard] = []
    for i, passage in enumerate(signals.audit.uncovered if signals else ()):
        ref, anchor = f"obj-u-{i}", f"u-{i}"
        uncovered.append(UncoveredCard(ref, anchor, passage))
        highlights.append(Highlight(HighlightKind.UNCOVERED, passage.span.start,
                                    passage.span.end, ref, anchor))

    rejected: list[RejectedCard] = []
    for i, item in enumerate(result.rejected):
        returned = _returned_text(item)
        near = None
        if item.kind in (RejectedKind.QUOTE, RejectedKind.CLAIM, RejectedKind.ACTOR,
                         RejectedKind.ALIAS) and item.reason.value == "not_in_article":
            near = _closest(text, returned)
        ref = f"obj-x-{i}"
        closest_anchor = f"x-{i}" if near else None
        if near:
            highlights.append(Highlight(HighlightKind.CLOSEST, near[0].start, near[0].end, ref,
                                        closest_anchor or ""))
        rejected.append(RejectedCard(
            ref, item.kind.value, item.reason.value, item.detail, returned,
            text[near[0].start:near[0].end] if near else None, closest_anchor,
            near[1] if near else None))

    # Two objects can share one span (a quote that is also a claim's evidence): anchors are by
    # kind, so they stay unique; a mention listed twice at one span is drawn once.
    unique = list({(h.kind, h.start, h.end, h.ref): h for h in highlights}.values())
    speakers = [(names_by_id.get(sid, sid), colour) for sid, colour in colours.items()]
    return ArticleView(article, stored, result, paths, len(text), fragments(text, unique),
                       actors, mentions, quotes, claims, rejected, speakers, signals, uncovered,
                       list(result.publications))
