"""Keep each extraction's trust signals in the store, beside the result they judge.

``trust_signals`` holds the signals whole (JSON in ``body``), one row per extraction, with the
vocabulary version that computed them; ``signal_items`` lists them flat, one row per quoted
passage, attribution, claim modality and date, for sqlite3 and Datasette:

    trust_signals  extraction_id -> extractions, vocabulary, reference_date, speech_chars,
                   covered_chars, computed_at, body (TrustSignals JSON)
    signal_items   extraction_id, kind (passage|attribution|modality|date), object_id (quote or
                   claim id), label (passage kind, 'uncovered', supported|unsupported, the
                   modality, the resolved date or 'unresolved'), text, span_start, span_end
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import pydantic

from pipeline.errors import StoreError
from pipeline.store.db import Store
from schemas.signals import TextSpan, TrustSignals

Item = tuple[str, str | None, str, TextSpan | None]


def _items(signals: TrustSignals) -> Iterator[Item]:
    for passage in signals.audit.passages:
        label = "uncovered" if passage.uncovered else passage.kind.value
        yield "passage", None, label, passage.span
    for attribution in signals.attributions:
        yield "attribution", attribution.quote_id, attribution.status.value, attribution.cue
    for modality in signals.modalities:
        cue = modality.cue
        yield "modality", modality.claim_id, modality.modality.value, cue.span if cue else None
    for date in signals.dates:
        yield "date", date.claim_id, date.value or "unresolved", date.span


def save_signals(store: Store, extraction_id: int, signals: TrustSignals) -> None:
    """Replace the signals of ``extraction_id``, in one transaction."""
    with store.transaction(f"the trust signals of {signals.article_id}") as db:
        db.execute("DELETE FROM signal_items WHERE extraction_id = ?", (extraction_id,))
        db.execute("DELETE FROM trust_signals WHERE extraction_id = ?", (extraction_id,))
        db.execute(
            """INSERT INTO trust_signals (extraction_id, vocabulary, reference_date,
               speech_chars, covered_chars, computed_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (extraction_id, signals.vocabulary,
             signals.reference_date.isoformat() if signals.reference_date else None,
             signals.audit.speech_chars, signals.audit.covered_chars,
             datetime.now(UTC).isoformat(timespec="milliseconds"), signals.model_dump_json()),
        )
        db.executemany(
            """INSERT INTO signal_items (extraction_id, kind, object_id, label, text,
               span_start, span_end) VALUES (?, ?, ?, ?, ?, ?, ?)""",
            [(extraction_id, kind, object_id, label, span.text if span else None,
              span.start if span else None, span.end if span else None)
             for kind, object_id, label, span in _items(signals)],
        )


def load_signals(store: Store, extraction_id: int) -> TrustSignals | None:
    """The stored signals of ``extraction_id``, or None when none were computed."""
    rows = store.query("SELECT body FROM trust_signals WHERE extraction_id = ?", (extraction_id,))
    if not rows:
        return None
    try:
        return TrustSignals.model_validate_json(rows[0][0])
    except pydantic.ValidationError as exc:
        raise StoreError(
            f"{store.path}: the trust signals of extraction {extraction_id} no longer load "
            f"({exc.error_count()} errors); recompute them with 'newsextract audit --recompute'",
            path=store.path if not isinstance(store.path, str) else None,
        ) from exc


def signal_versions(store: Store, extraction_ids: Sequence[int]) -> dict[int, int]:
    """Vocabulary version of the stored signals, by extraction id; missing ones left out."""
    found: dict[int, int] = {}
    ids = list(extraction_ids)
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        rows = store.query(
            f"""SELECT extraction_id, vocabulary FROM trust_signals
                WHERE extraction_id IN ({', '.join('?' * len(part))})""", part)
        found.update({row[0]: row[1] for row in rows})
    return found


@dataclass(frozen=True)
class SignalSummary:
    """The trust signals of a run's articles, added up: the corpus figures of its summary."""

    articles: int
    speech_chars: int
    covered_chars: int
    uncovered_passages: int
    unsupported_quotes: int

    @property
    def coverage(self) -> float | None:
        return self.covered_chars / self.speech_chars if self.speech_chars else None


def run_signal_summary(store: Store, run_id: int) -> SignalSummary:
    """Figures over every extraction the run stored or reused."""
    members = "SELECT DISTINCT extraction_id FROM run_articles WHERE run_id = ?1"
    head = store.query(
        f"""SELECT count(*), coalesce(sum(speech_chars), 0), coalesce(sum(covered_chars), 0)
            FROM trust_signals WHERE extraction_id IN ({members})""", (run_id,))[0]
    counts: dict[str, int] = {row[0]: row[1] for row in store.query(
        f"""SELECT kind || ':' || label, count(*) FROM signal_items
            WHERE extraction_id IN ({members})
            AND ((kind = 'passage' AND label = 'uncovered')
                 OR (kind = 'attribution' AND label = 'unsupported'))
            GROUP BY kind, label""", (run_id,))}
    return SignalSummary(articles=head[0], speech_chars=head[1], covered_chars=head[2],
                         uncovered_passages=counts.get("passage:uncovered", 0),
                         unsupported_quotes=counts.get("attribution:unsupported", 0))
