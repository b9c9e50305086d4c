"""One article in, grounded actors, quotes and claims out: replayed from recorded cassettes.

Two kinds of test. Those taking ``profile`` hold for whatever a model answers (every recorded model
runs them): nothing ungrounded is stored, offsets point at the print, every rejection has a reason.
The others replay the reference server (``tests/reference_server.py``, model
``reference-annotations``: hand-made answers, not a model) whose planted defects are listed in
``seeds/reference/*.json``: each must end where its kind says.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import ExtractionFailedError, LLMError
from pipeline.extract.article import Extractor, extract_article
from pipeline.extract.grounding import locate
from pipeline.extract.llm import LLMClient, RetryPolicy
from schemas.records import ExtractionResult, MatchKind, RejectedKind, RejectionReason
from tests.conftest import (
    REFERENCE_MODEL,
    SEEDS,
    ModelProfile,
    recorded_profiles,
    seed_paths,
    settings_for,
)
from tests.grounding import assert_grounded, assert_inventions_unprinted
from tests.reference_annotation import PlantedEffect, PlantedKind, ReferenceAnnotation

REFERENCE = next(p for p in recorded_profiles() if p.name == REFERENCE_MODEL)
SEED_IDS = [path.stem for path in seed_paths()]


def seed_text(article_id: str) -> str:
    return (SEEDS / f"{article_id}.txt").read_bytes().decode("utf-8")


def reference_annotation(article_id: str) -> ReferenceAnnotation:
    path = SEEDS / "reference" / f"{article_id}.json"
    return ReferenceAnnotation.model_validate_json(path.read_text(encoding="utf-8"))


def extract_seed(profile: ModelProfile, article_id: str, **overrides: Any) -> ExtractionResult:
    settings = settings_for(profile, **overrides)
    return extract_article(seed_text(article_id), article_id=article_id, settings=settings)


@pytest.mark.vcr
@pytest.mark.parametrize("article_id", SEED_IDS)
@pytest.mark.parametrize("profile", recorded_profiles(), ids=lambda p: p.name)
def test_every_stored_object_is_grounded_at_its_offsets(
    profile: ModelProfile, article_id: str
) -> None:
    settings = settings_for(profile)
    text = seed_text(article_id)
    try:
        result = extract_article(text, article_id=article_id, settings=settings)
    except ExtractionFailedError as failure:
        # A model that never answers validly stores nothing, and says what it tried.
        assert profile.name != REFERENCE_MODEL, failure
        assert failure.attempts == settings.max_reasks + 1
        assert failure.last_output is not None and failure.usage["total_tokens"] > 0
        assert failure.model == profile.name
        return
    assert_grounded(result, text)
    assert result.prompt.version == 1
    assert result.call.attempts >= 1
    assert result.call.usage.total_tokens > 0
    rejected_quotes = {r.item["text"] for r in result.rejected if r.kind is RejectedKind.QUOTE}
    assert not rejected_quotes & {quote.text for quote in result.quotes}


@pytest.mark.vcr
@pytest.mark.parametrize("article_id", SEED_IDS)
def test_planted_defects_end_where_their_kind_says(article_id: str) -> None:
    result = extract_seed(REFERENCE, article_id)
    annotation = reference_annotation(article_id)
    text = seed_text(article_id)
    rejected_texts = {
        (r.kind, str(value))
        for r in result.rejected
        for value in r.item.values()
        if isinstance(value, str)
    } | {(r.kind, alias) for r in result.rejected for alias in r.item.get("aliases", [])}
    stored_normalized = [
        text[span.start : span.end]
        for span in (
            [m.span for a in result.actors for m in a.mentions]
            + [a.title_span for a in result.actors if a.title_span is not None]
            + [q.span for q in result.quotes]
            + [c.span for c in result.claims]
        )
        if span.match is MatchKind.NORMALIZED
    ]
    # An invented actor's alias or title goes down with the actor itself.
    expected_rejection = {
        PlantedKind.INVENTED_QUOTE: {RejectedKind.QUOTE},
        PlantedKind.INVENTED_ACTOR: {RejectedKind.ACTOR},
        PlantedKind.INVENTED_ALIAS: {RejectedKind.ALIAS, RejectedKind.ACTOR},
        PlantedKind.INVENTED_TITLE: {RejectedKind.TITLE, RejectedKind.ACTOR},
        PlantedKind.ALTERED_EVIDENCE: {RejectedKind.CLAIM},
    }
    for planted in annotation.planted:
        if planted.kind.effect is PlantedEffect.NOT_IN_ARTICLE:
            kinds = expected_rejection[planted.kind]
            assert any((kind, planted.text) in rejected_texts for kind in kinds), planted
        elif planted.kind.effect is PlantedEffect.GROUNDS_NORMALIZED:
            assert planted.text not in text
            assert any(locate_matches(printed, planted.text) for printed in stored_normalized), (
                planted
            )
        else:
            assert result.call.attempts >= 2
            assert planted.text in result.call.reask_errors[0]


def locate_matches(printed: str, retyped: str) -> bool:
    span = locate(printed, retyped)
    return span is not None and span.start == 0 and span.end == len(printed)


@pytest.mark.vcr
def test_blinkens_first_quote_in_000_is_grounded_to_its_exact_characters() -> None:
    result = extract_seed(REFERENCE, "000_e9e0939858eebc6d")
    text = seed_text("000_e9e0939858eebc6d")
    printed = (
        "There are two immediate and interrelated steps that we must take. First, we must address "
        "Russia’s growing cooperation with North Korea and Iran"
    )
    [quote] = [q for q in result.quotes if q.text.startswith("There are two immediate")]
    assert quote.span.start == text.index(printed)
    assert quote.text == printed
    assert quote.speaker == result.actor(quote.speaker_id).name
    assert "Blinken" in quote.speaker


@pytest.mark.vcr
def test_evidence_in_002_is_grounded_across_the_stre_ngthen_break() -> None:
    result = extract_seed(REFERENCE, "002_3978ef90c4778512")
    text = seed_text("002_3978ef90c4778512")
    broken_at = text.index("stre\nngthen")
    crossing = [c for c in result.claims if c.span.start < broken_at < c.span.end] + [
        q for q in result.quotes if q.span.start < broken_at < q.span.end
    ]
    assert crossing
    assert all(
        "stre\nngthen" in getattr(obj, "evidence", getattr(obj, "text", "")) for obj in crossing
    )


@pytest.mark.vcr
def test_the_invented_quote_in_001_is_rejected_with_its_reason() -> None:
    result = extract_seed(REFERENCE, "001_3303a44a3e524015")
    [rejected] = [
        r
        for r in result.rejected
        if r.kind is RejectedKind.QUOTE and r.item["text"].startswith("Iran has become")
    ]
    assert rejected.reason is RejectionReason.NOT_IN_ARTICLE
    assert "is not in the article" in rejected.detail
    assert all(not q.text.startswith("Iran has become") for q in result.quotes)


@pytest.mark.vcr
def test_a_speaker_missing_from_the_actors_in_001_is_reasked_then_fixed() -> None:
    result = extract_seed(REFERENCE, "001_3303a44a3e524015")
    assert result.call.attempts == 3  # invalid speaker, then ungrounded text once, then final
    assert "'Kirby' is not among the actors" in result.call.reask_errors[0]
    assert "was not found in it" in result.call.reask_errors[1]
    kirby = [q for q in result.quotes if "Kirby" in q.speaker]
    assert len(kirby) >= 5


@pytest.mark.vcr
def test_429_and_503_from_the_server_are_retried_honouring_retry_after() -> None:
    settings = settings_for(REFERENCE, retry_max_wait=30.0)
    sleeps: list[float] = []
    retry = RetryPolicy(max_attempts=4, initial_wait=0.01, max_wait=30.0, sleep=sleeps.append)
    # A fresh scope per run, so that recording again needs no server restart.
    faults = f"429,503;scope={uuid.uuid4().hex}"
    client = LLMClient(settings, retry=retry, default_headers={"X-Reference-Faults": faults})
    extractor = Extractor.from_settings(settings, client=client)
    article_id = "003_ecadb2b4344d6cd7"
    result = extractor.extract(seed_text(article_id), article_id=article_id)
    assert result.call.transport_retries >= 2
    assert sleeps[0] == 1.0  # Retry-After: 1 on the 429
    assert_grounded(result, seed_text(article_id))


@pytest.mark.vcr
def test_an_article_the_server_has_no_answer_for_is_a_clear_error() -> None:
    with pytest.raises(LLMError, match="HTTP 400") as caught:
        extract_article(
            "A short article nobody annotated.",
            article_id="unknown",
            settings=settings_for(REFERENCE),
        )
    assert "no reference annotation" in str(caught.value).lower() or "annotat" in str(caught.value)


def test_cassettes_hold_no_secrets() -> None:
    cassettes = Path(__file__).resolve().parent.parent / "cassettes"
    key_like = re.compile(r"Bearer\s+\S+|sk-[A-Za-z0-9_-]{12,}|test-key-not-secret", re.IGNORECASE)
    recorded = list(cassettes.rglob("*.yaml"))
    assert recorded
    for path in recorded:
        content = path.read_text(encoding="utf-8")
        assert not key_like.search(content), path
        assert "authorization:" not in content.lower(), path


SMALL_MODELS = [p for p in recorded_profiles() if p.name.startswith("smollm2")]


@pytest.mark.vcr
@pytest.mark.parametrize("profile", SMALL_MODELS, ids=lambda p: p.name)
def test_a_real_small_models_inventions_are_refused_with_their_reasons(
    profile: ModelProfile,
) -> None:
    """SmolLM2-135M invents: each of its inventions must end rejected, never stored."""
    refused = []
    for article_id in SEED_IDS:
        try:
            result = extract_seed(profile, article_id)
        except ExtractionFailedError:
            continue
        assert_grounded(result, seed_text(article_id))
        refused += assert_inventions_unprinted(result, seed_text(article_id))
    assert refused, "the recording holds no invention: record it again, or pick other seeds"
