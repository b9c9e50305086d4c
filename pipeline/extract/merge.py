"""The answers of a long document's chunks, merged into one extraction of the whole.

Every span is already an offset into the whole document (chunks are grounded through
``WindowIndex``), so ``text[start:end]`` holds for everything merged. What the merge decides:
actors by name across chunks (one actor however many chunks name it, every mention kept);
quotes and claims that two chunks found in their overlap, by their grounded spans (the longer
kept); rejections that two chunks repeated, once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from pipeline.extract.assemble import Assembled, outermost_mentions
from pipeline.extract.grounding import GroundingIndex
from pipeline.ingest.chunks import Chunk
from schemas.extraction import name_key
from schemas.records import Actor, Claim, Mention, Quote, Span

Passage = TypeVar("Passage", Quote, Claim)
# Two chunks find a passage twice only in their overlap: the last few kept are all to compare.
_RECENT = 8


@dataclass(frozen=True)
class ChunkAnswer:
    """One chunk's grounded answer, spans in the whole document's offsets."""

    chunk: Chunk
    assembled: Assembled


def _same_passage(a: Span, b: Span) -> bool:
    """Two spans are one passage found twice: one holds the other, or they share most of it."""
    overlap = min(a.end, b.end) - max(a.start, b.start)
    if overlap <= 0:
        return False
    shorter = min(a.end - a.start, b.end - b.start)
    return overlap >= 0.5 * shorter


class _Actors:
    """Actors of all chunks, one per name: an actor joins another whose name (or a printed
    name of it) is its name, and of the same kind."""

    def __init__(self, article_id: str) -> None:
        self.article_id = article_id
        self.merged: list[Actor] = []
        self._by_key: dict[tuple[str, str], int] = {}

    def add(self, actor: Actor) -> Actor:
        keys = [(actor.kind.value, name_key(actor.name))]
        keys += [(actor.kind.value, name_key(m.text)) for m in actor.mentions]
        found = next((self._by_key[k] for k in keys if k in self._by_key), None)
        if found is None:
            found = len(self.merged)
            self.merged.append(actor.model_copy(
                update={"actor_id": f"{self.article_id}/a{found + 1}"}))
        else:
            self.merged[found] = _joined(self.merged[found], actor)
        for key in keys:
            self._by_key.setdefault(key, found)
        return self.merged[found]


def _joined(kept: Actor, other: Actor) -> Actor:
    spans = {(m.span.start, m.span.end): m for m in [*kept.mentions, *other.mentions]}
    mentions: list[Mention] = []
    for _, mention in sorted(spans.items(), key=lambda item: (item[0][0], -item[0][1])):
        if mentions and mention.span.end <= mentions[-1].span.end:
            continue  # inside a longer name already kept ('Antony [Blinken]')
        mentions.append(mention)
    title, title_span = kept.title, kept.title_span
    if title is None and other.title is not None:
        title, title_span = other.title, other.title_span
    return kept.model_copy(update={"mentions": mentions, "title": title,
                                   "title_span": title_span})


def merge_chunks(answers: Sequence[ChunkAnswer], *, article_id: str,
                 index: GroundingIndex | None = None) -> Assembled:
    """One extraction of the whole document from its chunks' answers, in chunk order.

    With the whole document's ``index``, each merged actor gets every occurrence of each of its
    names, found once for the actor rather than once per chunk.
    """
    actors = _Actors(article_id)
    renamed: list[dict[str, Actor]] = []
    for answer in answers:
        renamed.append({actor.actor_id: actors.add(actor) for actor in answer.assembled.actors})
    quotes: list[Quote] = []
    claims: list[Claim] = []
    for answer, ids in zip(answers, renamed, strict=True):
        for quote in answer.assembled.quotes:
            speaker = ids[quote.speaker_id]
            quotes.append(quote.model_copy(update={"speaker_id": speaker.actor_id,
                                                   "speaker": speaker.name}))
        for claim in answer.assembled.claims:
            asserter = ids.get(claim.asserted_by_id) if claim.asserted_by_id else None
            claims.append(claim.model_copy(update={
                "asserted_by_id": asserter.actor_id if asserter else None,
                "asserted_by": asserter.name if asserter else None,
            }))
    kept_quotes = _deduplicated(quotes, lambda q: q.span)
    kept_claims = _deduplicated(claims, lambda c: c.span)
    merged = actors.merged
    if index is not None:
        merged = [_every_mention(actor, index) for actor in merged]
        by_id = {actor.actor_id: actor for actor in merged}
        quotes = [q.model_copy(update={"speaker": by_id[q.speaker_id].name}) for q in quotes]
    out = Assembled(actors=merged)
    out.quotes = [q.model_copy(update={"quote_id": f"{article_id}/q{i}"})
                  for i, q in enumerate(kept_quotes, start=1)]
    out.claims = [c.model_copy(update={"claim_id": f"{article_id}/c{i}"})
                  for i, c in enumerate(kept_claims, start=1)]
    seen: set[str] = set()
    for answer in answers:
        for rejected in answer.assembled.rejected:
            key = json.dumps([rejected.kind, rejected.reason, rejected.item], sort_keys=True,
                             default=str)
            if key not in seen:
                seen.add(key)
                out.rejected.append(rejected)
    return out


def _every_mention(actor: Actor, index: GroundingIndex) -> Actor:
    names = dict.fromkeys(mention.text for mention in actor.mentions)
    grounded = [(name, spans) for name in names if (spans := index.locate_all(name))]
    if not grounded:
        return actor
    return actor.model_copy(update={"mentions": outermost_mentions(index, grounded)})


def _deduplicated(items: list[Passage], span_of: Callable[[Passage], Span]) -> list[Passage]:
    """In document order; of two that are one passage found twice, the longer."""
    kept: list[Passage] = []
    for item in sorted(items, key=lambda i: (span_of(i).start, -span_of(i).end)):
        span = span_of(item)
        recent = range(len(kept) - 1, max(-1, len(kept) - 1 - _RECENT), -1)
        same = next((k for k in recent if _same_passage(span_of(kept[k]), span)), None)
        if same is None:
            kept.append(item)
        elif span.end - span.start > span_of(kept[same]).end - span_of(kept[same]).start:
            kept[same] = item
    return kept

