"""Stored results out as files: JSON Lines (whole results) or CSV (one row per object)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import Any, TextIO

from schemas.records import ExtractionResult, Span


class ExportFormat(StrEnum):
    JSONL = "jsonl"  # one ExtractionResult per line, exactly as stored; rejected items included
    CSV = "csv"  # one row per actor, mention, quote, claim and rejected item


CSV_COLUMNS = (
    "article_id", "type", "object_id", "kind", "text", "statement", "actor_id", "actor", "title",
    "reason", "span_start", "span_end", "match", "model", "prompt_version", "content_sha256",
)


def write_jsonl(results: Iterable[ExtractionResult], out: TextIO) -> int:
    """One result a line, readable back with ``ExtractionResult.model_validate_json``."""
    count = 0
    for result in results:
        out.write(result.model_dump_json())
        out.write("\n")
        count += 1
    return count


def write_csv(results: Iterable[ExtractionResult], out: TextIO) -> int:
    """Rows of ``CSV_COLUMNS``; ``out`` should be opened with ``newline=""``."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for result in results:
        writer.writerows(csv_rows(result))
        count += 1
    return count


def _span(span: Span) -> dict[str, Any]:
    return {"span_start": span.start, "span_end": span.end, "match": span.match.value}


def csv_rows(result: ExtractionResult) -> Iterator[dict[str, Any]]:
    """The objects of one result as flat rows; spans are offsets into the article text."""
    common = {"article_id": result.article_id, "model": result.model,
              "prompt_version": result.prompt.version, "content_sha256": result.content_sha256}
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
