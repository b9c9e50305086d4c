"""Stored results out as files: JSON Lines (whole results) or CSV (one row per object)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from typing import Any, TextIO

from schemas.records import ExtractionResult, Span
from schemas.signals import TextSpan, TrustSignals

# The trust signals of a result, for CSV rows beside its objects (None: not computed).
SignalsOf = Callable[[ExtractionResult], TrustSignals | None]


class ExportFormat(StrEnum):
    JSONL = "jsonl"  # one ExtractionResult per line, exactly as stored; rejected items included
    CSV = "csv"  # one row per actor, mention, quote, claim and rejected item


CSV_COLUMNS = (
    "article_id", "type", "object_id", "kind", "text", "statement", "actor_id", "actor", "title",
    "reason", "span_start", "span_end", "match", "model", "prompt_version", "content_sha256",
    "outlet", "published", "url", "article_title",
)


def write_jsonl(results: Iterable[ExtractionResult], out: TextIO) -> int:
    """One result a line, readable back with ``ExtractionResult.model_validate_json``."""
    count = 0
    for result in results:
        out.write(result.model_dump_json())
        out.write("\n")
        count += 1
    return count


def write_csv(results: Iterable[ExtractionResult], out: TextIO, *,
              signals: SignalsOf | None = None) -> int:
    """Rows of ``CSV_COLUMNS``; ``out`` should be opened with ``newline=""``. With ``signals``,
    each result's trust signals follow its objects (types passage, attribution, modality, date)."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for result in results:
        writer.writerows(csv_rows(result))
        found = signals(result) if signals is not None else None
        if found is not None:
            writer.writerows(signal_rows(result, found))
        count += 1
    return count


def _text_span(span: TextSpan | None) -> dict[str, Any]:
    return {"span_start": span.start, "span_end": span.end} if span is not None else {}


def signal_rows(result: ExtractionResult, signals: TrustSignals) -> Iterator[dict[str, Any]]:
    """The trust signals as flat rows: ``kind`` holds the label, ``reason`` the rule or cue."""
    common = {"article_id": result.article_id, "model": result.model,
              "prompt_version": result.prompt.version, "content_sha256": result.content_sha256}
    for passage in signals.audit.passages:
        yield {**common, "type": "passage",
               "kind": "uncovered" if passage.uncovered else passage.kind.value,
               "text": passage.span.text, "reason": passage.rule,
               "object_id": " ".join(passage.quote_ids), **_text_span(passage.span)}
    for item in signals.attributions:
        yield {**common, "type": "attribution", "object_id": item.quote_id,
               "kind": item.status.value, "text": item.cue.text if item.cue else None,
               "actor": item.speaker.text if item.speaker else None,
               "reason": item.reason, **_text_span(item.cue)}
    for modality in signals.modalities:
        cue = modality.cue
        yield {**common, "type": "modality", "object_id": modality.claim_id,
               "kind": modality.modality.value, "text": cue.span.text if cue else None,
               **_text_span(cue.span if cue else None)}
    for date in signals.dates:
        yield {**common, "type": "date", "object_id": date.claim_id,
               "kind": date.value or "unresolved", "text": date.span.text,
               "reason": date.granularity.value if date.granularity else None,
               **_text_span(date.span)}


def _span(span: Span) -> dict[str, Any]:
    return {"span_start": span.start, "span_end": span.end, "match": span.match.value}


def csv_rows(result: ExtractionResult) -> Iterator[dict[str, Any]]:
    """The objects of one result as flat rows; spans are offsets into the article text; outlet,
    date, URL and title are those of the earliest publication of the text."""
    earliest = result.publications[0] if result.publications else None
    common = {"article_id": result.article_id, "model": result.model,
              "prompt_version": result.prompt.version, "content_sha256": result.content_sha256,
              "outlet": earliest.outlet if earliest else None,
              "published": earliest.published if earliest else None,
              "url": earliest.url if earliest else None,
              "article_title": earliest.title if earliest else None}
    for actor in result.actors:
        first = actor.mentions[0].span if actor.mentions else None
        yield {**common, "type": "actor", "object_id": actor.actor_id, "kind": actor.kind.value,
               "text": actor.name, "actor_id": actor.actor_id, "actor": actor.name,
               "title": actor.title, **(_span(first) if first else {})}
        for mention in actor.mentions:
            yield {**common, "type": "mention", "object_id": actor.actor_id,
                   "kind": actor.kind.value, "text": mention.text, "actor_id": actor.actor_id,
                   "actor": actor.name, **_span(mention.span)}
    for quote in result.quotes:
        yield {**common, "type": "quote", "object_id": quote.quote_id, "kind": quote.kind.value,
               "text": quote.text, "actor_id": quote.speaker_id, "actor": quote.speaker,
               **_span(quote.span)}
    for claim in result.claims:
        yield {**common, "type": "claim", "object_id": claim.claim_id, "text": claim.evidence,
               "statement": claim.statement, "actor_id": claim.asserted_by_id,
               "actor": claim.asserted_by, **_span(claim.span)}
    for rejected in result.rejected:
        yield {**common, "type": "rejected", "kind": rejected.kind.value,
               "reason": rejected.reason.value, "text": rejected.detail}
