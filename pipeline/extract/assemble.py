"""Turn the model's answer into grounded records, and everything else into rejections with reasons.

Every string the model copied from the article (actor names and aliases, titles, quotes, evidence)
is located in it. What is found is stored as the article prints it, at its offsets; what is not is
kept apart as ``Rejected``, never stored as if it were grounded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from pipeline.extract.event_parts import ground_event
from pipeline.extract.grounding import GroundingIndex
from schemas.events import claim_event
from schemas.extraction import ArticleExtraction, ExtractedActor, name_key
from schemas.records import (
    Actor,
    Claim,
    Mention,
    Quote,
    Rejected,
    RejectedKind,
    RejectionReason,
    Span,
)


@dataclass
class Assembled:
    actors: list[Actor] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


def _shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Words with a letter in them: "1" or "2019-03-28" alone would ground almost anywhere.
_WORD_WITH_A_LETTER = re.compile(r"\w*[^\W\d_]\w*")
MIN_EVIDENCE_WORDS = 3  # a proposition needs at least a subject and a verb and what they do
# Below this, the "closest passage" of a rejection is noise (a short name matches anything half).
CLOSEST_PASSAGE_MIN_SIMILARITY = 70


def too_short(text: str, *, what: RejectedKind) -> str | None:
    """Why ``text`` is too short to stand for a quote or an evidence passage, or None."""
    words = _WORD_WITH_A_LETTER.findall(text)
    if what is RejectedKind.CLAIM and len(words) < MIN_EVIDENCE_WORDS:
        return (
            f"evidence {text!r} is too short to state a claim ({MIN_EVIDENCE_WORDS} words at least)"
        )
    if what is RejectedKind.QUOTE and not (
        len(words) >= 2 or (words and sum(char.isalpha() for char in words[0]) >= 4)
    ):
        return f"quote {text!r} is too short to be a remark (two words, or one of four letters)"
    return None


def not_found_detail(index: GroundingIndex, what: str, snippet: str) -> str:
    """Say what is missing, and the closest passage with its similarity, to help fix prompts."""
    detail = f"{what} {_shorten(snippet)!r} is not in the article"
    searched, _ = index.searched  # a chunk's own text, not the whole document's
    alignment = fuzz.partial_ratio_alignment(snippet, searched, processor=str.casefold)
    if alignment is not None and alignment.score >= CLOSEST_PASSAGE_MIN_SIMILARITY:
        closest = searched[alignment.dest_start : alignment.dest_end]
        detail += f"; closest passage ({alignment.score:.0f}% similar): {_shorten(closest)!r}"
    return detail


class ReaskOnceForUngrounded:
    """The ``GroundingCheck`` the pipeline hands to the validators: one re-ask per article.

    Never on the last attempt: an answer that is valid but for ungrounded text is worth more
    kept (its grounded part stored, the rest rejected with reasons) than failed outright.
    """

    def __init__(
        self,
        index: GroundingIndex,
        *,
        reasks: int = 1,
        is_last_attempt: Callable[[], bool] = lambda: False,
        names: GroundingIndex | None = None,
    ) -> None:
        self.index = index
        self.names = names or index
        self.reasks_left = reasks
        self.is_last_attempt = is_last_attempt

    def problems(self, extraction: ArticleExtraction) -> list[str]:
        found = self.index.locate
        problems = [
            f"actors[{i}].name {actor.name!r} is not in the article"
            for i, actor in enumerate(extraction.actors)
            if self.names.locate(actor.name) is None
        ]
        for i, quote in enumerate(extraction.quotes):
            if (short := too_short(quote.text, what=RejectedKind.QUOTE)) is not None:
                problems.append(f"quotes[{i}]: {short}")
            elif found(quote.text) is None:
                problems.append(f"quotes[{i}].text {_shorten(quote.text)!r} is not in the article")
        for i, claim in enumerate(extraction.claims):
            if (short := too_short(claim.evidence, what=RejectedKind.CLAIM)) is not None:
                problems.append(f"claims[{i}]: {short}; copy the sentence that states it")
            elif found(claim.evidence) is None:
                problems.append(
                    f"claims[{i}].evidence {_shorten(claim.evidence)!r} is not in the article"
                )
        return problems

    def take_reask(self) -> bool:
        if self.reasks_left <= 0 or self.is_last_attempt():
            return False
        self.reasks_left -= 1
        return True


def assemble(
    extraction: ArticleExtraction,
    index: GroundingIndex,
    *,
    article_id: str,
    codebook: str | None = None,
    names: GroundingIndex | None = None,
    every_mention: bool = True,
) -> Assembled:
    """Ground every actor, quote and claim of one answer; ids are '<article_id>/a1', 'q1', 'c1'.

    ``codebook`` names the codebook the claims' events were checked with (prompt v2 and later).
    ``names`` is where actors are looked for when not in ``index``: the whole document, for a
    chunk's answer (the speaker of a chunk's quote may be named only in an earlier chunk).
    ``every_mention=False`` keeps only each name's first occurrence (the merge of chunks looks
    for every occurrence once, for the merged actor).
    """
    out = Assembled()
    actor_by_name: dict[str, Actor | None] = {}  # None: the model named it, grounding refused it
    for extracted in extraction.actors:
        actor = _ground_actor(extracted, names or index, f"{article_id}/a{len(out.actors) + 1}",
                              out, every_mention=every_mention)
        for name in extracted.names():
            actor_by_name.setdefault(name_key(name), actor)
        if actor is not None:
            out.actors.append(actor)

    kept_spans: set[tuple[int, int]] = set()
    for quote in extraction.quotes:
        speaker = actor_by_name.get(name_key(quote.speaker))
        found = _ground_passage(
            index, RejectedKind.QUOTE, quote.model_dump(mode="json"), quote.text,
            described=f"quote attributed to {quote.speaker!r}",
            unattributed=None if speaker is not None else (
                RejectionReason.SPEAKER_REJECTED,
                f"the quote is printed, but its speaker {quote.speaker!r} is not an actor found "
                "in the article",
            ),
            kept=kept_spans,
        )
        if isinstance(found, Rejected):
            out.rejected.append(found)
            continue
        assert speaker is not None  # an unattributed quote is rejected above
        kept_spans.add((found.start, found.end))
        out.quotes.append(
            Quote(
                quote_id=f"{article_id}/q{len(out.quotes) + 1}",
                text=index.text[found.start : found.end],
                span=found,
                speaker_id=speaker.actor_id,
                speaker=speaker.name,
                kind=quote.kind,
                cue=quote.cue,
            )
        )

    for claim in extraction.claims:
        asserter = (
            None if claim.asserted_by is None else actor_by_name.get(name_key(claim.asserted_by))
        )
        found = _ground_passage(
            index, RejectedKind.CLAIM, claim.model_dump(mode="json"), claim.evidence,
            described="evidence",
            unattributed=None if claim.asserted_by is None or asserter is not None else (
                RejectionReason.ASSERTER_REJECTED,
                f"the evidence is printed, but {claim.asserted_by!r}, who asserts it, is not an "
                "actor found in the article",
            ),
        )
        if isinstance(found, Rejected):
            out.rejected.append(found)
            continue
        claim_id = f"{article_id}/c{len(out.claims) + 1}"
        extracted_event = claim_event(claim)
        event = None
        if extracted_event is not None:
            grounding = ground_event(
                extracted_event,
                index,
                evidence=found,
                actor_by_name=actor_by_name,
                codebook=codebook or "unnamed",
                claim_id=claim_id,
            )
            event = grounding.event
            out.rejected.extend(grounding.rejected)
        out.claims.append(
            Claim(
                claim_id=claim_id,
                statement=claim.statement,
                asserted_by_id=asserter.actor_id if asserter else None,
                asserted_by=asserter.name if asserter else None,
                evidence=index.text[found.start : found.end],
                span=found,
                event=event,
            )
        )
    return out


def _ground_passage(
    index: GroundingIndex,
    kind: RejectedKind,
    item: dict[str, object],
    text: str,
    *,
    described: str,
    unattributed: tuple[RejectionReason, str] | None,
    kept: set[tuple[int, int]] | None = None,
) -> Span | Rejected:
    """Where a quote's text or a claim's evidence is printed, or why it is refused, checked in
    one order for both: too short, not in the article, its actor refused, already kept."""
    if (short := too_short(text, what=kind)) is not None:
        return _too_short(kind, item, short)
    span = index.locate(text)
    if span is None:
        return Rejected(kind=kind, reason=RejectionReason.NOT_IN_ARTICLE, item=item,
                        detail=not_found_detail(index, described, text))
    if unattributed is not None:
        reason, detail = unattributed
        return Rejected(kind=kind, reason=reason, item=item, detail=detail)
    if kept is not None and (span.start, span.end) in kept:
        return _duplicate(kind, item, span)
    return span


def _too_short(kind: RejectedKind, item: dict[str, object], detail: str) -> Rejected:
    return Rejected(kind=kind, reason=RejectionReason.TOO_SHORT, item=item, detail=detail)


def _duplicate(kind: RejectedKind, item: dict[str, object], span: Span) -> Rejected:
    return Rejected(
        kind=kind,
        reason=RejectionReason.DUPLICATE,
        item=item,
        detail=f"the same passage ({span.start}-{span.end}) is already kept",
    )


def _ground_actor(
    extracted: ExtractedActor, index: GroundingIndex, actor_id: str, out: Assembled, *,
    every_mention: bool = True,
) -> Actor | None:
    """The actor under its first name found in the article; None when no name of it is there."""
    item = extracted.model_dump(mode="json")
    grounded: list[tuple[str, list[Span]]] = []
    for name in dict.fromkeys(extracted.names()):  # a name listed twice counts once
        spans = index.locate_all(name)
        if spans:
            grounded.append((name, spans))
        elif name != extracted.name:
            out.rejected.append(
                Rejected(
                    kind=RejectedKind.ALIAS,
                    reason=RejectionReason.NOT_IN_ARTICLE,
                    item=item,
                    detail=f"alias {name!r} of {extracted.name!r} is not in the article",
                )
            )
    if not grounded:
        out.rejected.append(
            Rejected(
                kind=RejectedKind.ACTOR,
                reason=RejectionReason.NOT_IN_ARTICLE,
                item=item,
                detail=not_found_detail(index, f"{extracted.kind.value}", extracted.name),
            )
        )
        return None
    if grounded[0][0] != extracted.name:
        out.rejected.append(
            Rejected(
                kind=RejectedKind.ALIAS,
                reason=RejectionReason.NOT_IN_ARTICLE,
                item=item,
                detail=f"name {extracted.name!r} is not in the article; the actor is kept under "
                f"{grounded[0][0]!r}, which is",
            )
        )
    title = extracted.title
    title_span = index.locate(title) if title is not None else None
    if title is not None and title_span is None:
        out.rejected.append(
            Rejected(
                kind=RejectedKind.TITLE,
                reason=RejectionReason.NOT_IN_ARTICLE,
                item=item,
                detail=f"title {title!r} of {extracted.name!r} is not in the article",
            )
        )
    first_span = grounded[0][1][0]
    return Actor(
        actor_id=actor_id,
        name=index.text[first_span.start : first_span.end],
        kind=extracted.kind,
        title=index.text[title_span.start : title_span.end] if title_span else None,
        title_span=title_span,
        mentions=outermost_mentions(
            index, grounded if every_mention else [(name, spans[:1]) for name, spans in grounded]
        ),
    )


def outermost_mentions(
    index: GroundingIndex, grounded: list[tuple[str, list[Span]]]
) -> list[Mention]:
    """Every occurrence of every name, less those inside a longer one ('Antony [Blinken]')."""
    spans = sorted(
        {span for _, found in grounded for span in found}, key=lambda s: (s.start, -s.end)
    )
    kept: list[Span] = []
    for span in spans:
        if kept and span.end <= kept[-1].end:
            continue
        kept.append(span)
    return [Mention(text=index.text[s.start : s.end], span=s) for s in kept]
