"""Read the store's mentions straight into compact objects: what reconciliation takes, nothing more.

``mentions_from_results(store.results())`` gives the same mentions, but builds and validates every
extraction result whole first (its LLM call, its publications, every span): at 100k articles that
is minutes of pydantic validation and about 1 KB a mention held. Here three SQL queries (actor
names, quotes, claims of the newest extraction of each article) stream rows in the adapter's
order; the mentions are built without re-validation (the store checked them when it took them:
CHECK constraints, and the pydantic result they were written from), each repeated string and span
held once. ``since`` reads only the extractions a reconciliation has not seen yet (incremental).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any, TypeVar

from pydantic import BaseModel

from pipeline.errors import StoreError
from pipeline.store.db import Store
from schemas.extraction import ActorKind, QuoteKind
from schemas.mentions import ActorMention, ClaimMention, CorpusMentions, QuoteMention
from schemas.records import ClaimEvent, MatchKind, Span

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

# The newest extraction of each article, and the earliest publication of its text (outlet, date).
_NEWEST = """
    WITH newest AS (
        SELECT e.id, e.article_id, e.content_sha256 FROM extractions e
        JOIN (SELECT max(id) AS id FROM extractions WHERE {where} GROUP BY content_sha256) n
        ON n.id = e.id {since}
    ),
    dated AS (
        SELECT n.id, (SELECT p.outlet FROM publications p WHERE p.content_sha256 = n.content_sha256
                      ORDER BY p.published IS NULL, p.published, p.id LIMIT 1) AS outlet,
                     (SELECT p.published FROM publications p
                      WHERE p.content_sha256 = n.content_sha256
                      ORDER BY p.published IS NULL, p.published, p.id LIMIT 1) AS published
        FROM newest n
    )
"""


def newest_extractions(
    store: Store, *, model: str | None = None, prompt_version: int | None = None
) -> list[int]:
    """Ids of the newest extraction of each article (as ``Store.latest_extractions``)."""
    where, params = _filters(model, prompt_version)
    rows = store.query(
        f"SELECT max(id) FROM extractions WHERE {where} GROUP BY content_sha256 ORDER BY 1", params
    )
    return [row[0] for row in rows]


def read_mentions(
    store: Store,
    *,
    model: str | None = None,
    prompt_version: int | None = None,
    since: int | None = None,
) -> CorpusMentions:
    """The mentions of the newest result of every article, as ``mentions_from_results`` gives
    them (same order, same values); with ``since``, only of extractions with a larger id."""
    where, params = _filters(model, prompt_version)
    newest = _NEWEST.format(where=where, since="WHERE e.id > ?" if since is not None else "")
    params = [*params, *([since] if since is not None else [])]
    shared = _Shared()
    actors = tuple(_actors(store, newest, params, shared))
    quotes = tuple(_quotes(store, newest, params, shared))
    claims = tuple(_claims(store, newest, params, shared))
    return CorpusMentions.model_construct(actors=actors, quotes=quotes, claims=claims)


def _filters(model: str | None, prompt_version: int | None) -> tuple[str, list[Any]]:
    where: list[str] = ["1 = 1"]
    params: list[Any] = []
    if model is not None:
        where.append("model = ?")
        params.append(model)
    if prompt_version is not None:
        where.append("prompt_version = ?")
        params.append(prompt_version)
    return " AND ".join(where), params


class _Shared:
    """One object for each repeated value: syndicated copy prints the same strings 1,000 times."""

    def __init__(self) -> None:
        self._values: dict[object, object] = {}
        self._spans: dict[tuple[int, int, str], Span] = {}
        self._parts: dict[BaseModel, BaseModel] = {}
        self._field_sets: dict[frozenset[str], set[str]] = {}

    def value(self, value: T) -> T:
        if value is None:
            return value
        return self._values.setdefault(value, value)  # type: ignore[return-value]

    def span(self, start: int, end: int, match: str) -> Span:
        key = (start, end, match)
        found = self._spans.get(key)
        if found is None:
            found = self._spans[key] = Span.model_construct(
                _SPAN_FIELDS, start=start, end=end, match=MatchKind(match)
            )
        return found

    def event(self, stored: str) -> ClaimEvent:
        """A stored event, validated, then its strings, field sets and equal parts held once:
        validated alone, an event of the syndicated bench holds ~3.3 KB, shared ~1.3 KB (a
        100k corpus has 1.5M claims, each with its event)."""
        return self._shared(ClaimEvent.model_validate_json(stored))

    def _shared(self, model: M) -> M:
        """``model`` (just validated, held by no one else) with its values replaced by equal
        ones held already: its fields are changed in place, as frozen models allow no other way."""
        fields = model.__dict__
        for name, value in fields.items():
            if type(value) is str:
                fields[name] = self._values.setdefault(value, value)
            elif isinstance(value, BaseModel):
                part = self._shared(value)
                fields[name] = self._parts.setdefault(part, part)
        names = model.__pydantic_fields_set__
        object.__setattr__(model, "__pydantic_fields_set__",
                           self._field_sets.setdefault(frozenset(names), names))
        return model


_SPAN_FIELDS = {"start", "end", "match"}
_ACTOR_FIELDS = set(ActorMention.model_fields)
_QUOTE_FIELDS = set(QuoteMention.model_fields)
_CLAIM_FIELDS = set(ClaimMention.model_fields)


def _rows(store: Store, sql: str, params: list[Any]) -> Iterator[tuple[Any, ...]]:
    """Rows as plain tuples, streamed (``Store.query`` lists them all as ``sqlite3.Row``)."""
    try:
        cursor = store.db.execute(sql, params)
    except sqlite3.Error as exc:
        raise StoreError(f"{store.path}: reading mentions failed: {exc}") from exc
    yield from cursor


def _actors(store: Store, newest: str, params: list[Any], shared: _Shared
            ) -> Iterator[ActorMention]:
    """One mention per distinct printed name of each actor, at its first occurrence."""
    sql = newest + """
        SELECT n.article_id, a.id, m.text, a.kind, a.title, a.actor_id, m.span_start, m.span_end,
               m.span_match
        FROM newest n JOIN actors a ON a.extraction_id = n.id JOIN mentions m ON m.actor = a.id
        ORDER BY n.article_id, n.id, a.position, m.position"""
    actor: int | None = None
    seen: set[str] = set()
    kinds = {kind.value: kind for kind in ActorKind}
    for article_id, row_actor, text, kind, title, local_id, start, end, match in _rows(
        store, sql, params
    ):
        if row_actor != actor:
            actor, seen = row_actor, set()
        if text in seen:
            continue
        seen.add(text)
        yield ActorMention.model_construct(
            _ACTOR_FIELDS, article_id=shared.value(article_id), name=shared.value(text),
            kind=kinds[kind], title=shared.value(title), local_id=shared.value(local_id),
            span=shared.span(start, end, match),
        )


def _quotes(store: Store, newest: str, params: list[Any], shared: _Shared
            ) -> Iterator[QuoteMention]:
    sql = newest + """
        SELECT n.article_id, q.speaker, q.text, q.kind, q.speaker_id, q.span_start, q.span_end,
               q.span_match, d.outlet, d.published
        FROM newest n JOIN quotes q ON q.extraction_id = n.id JOIN dated d ON d.id = n.id
        ORDER BY n.article_id, n.id, q.position"""
    kinds = {kind.value: kind for kind in QuoteKind}
    for article_id, speaker, text, kind, speaker_id, start, end, match, outlet, published in (
        _rows(store, sql, params)
    ):
        yield QuoteMention.model_construct(
            _QUOTE_FIELDS, article_id=shared.value(article_id), speaker=shared.value(speaker),
            text=shared.value(text), kind=kinds[kind], speaker_local_id=shared.value(speaker_id),
            span=shared.span(start, end, match), outlet=shared.value(outlet),
            published=shared.value(published),
        )


def _claims(store: Store, newest: str, params: list[Any], shared: _Shared
            ) -> Iterator[ClaimMention]:
    sql = newest + """
        SELECT n.article_id, c.asserted_by, c.statement, c.evidence, c.asserted_by_id,
               c.span_start, c.span_end, c.span_match, c.event, d.outlet, d.published
        FROM newest n JOIN claims c ON c.extraction_id = n.id JOIN dated d ON d.id = n.id
        ORDER BY n.article_id, n.id, c.position"""
    for (article_id, asserted_by, statement, evidence, asserted_by_id, start, end, match, event,
         outlet, published) in _rows(store, sql, params):  # fmt: skip
        yield ClaimMention.model_construct(
            _CLAIM_FIELDS, article_id=shared.value(article_id),
            asserted_by=shared.value(asserted_by), statement=shared.value(statement),
            evidence=shared.value(evidence), asserted_by_local_id=shared.value(asserted_by_id),
            span=shared.span(start, end, match),
            event=shared.event(event) if event else None,
            outlet=shared.value(outlet), published=shared.value(published),
        )
