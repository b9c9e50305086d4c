"""Opt-in, against a real endpoint: what must hold whatever a model says, checked live.

    OPENAI_BASE_URL=http://127.0.0.1:8080/v1 NEWSEXTRACT_MODEL=my-model pytest -m live

Skipped otherwise (the default suite never reads the shell). Nothing is recorded.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from pipeline.extract.article import extract_article
from pipeline.settings import Settings
from tests.conftest import SEEDS, SHELL_ENVIRONMENT

ENDPOINT_HOST = urlparse(SHELL_ENVIRONMENT.get("OPENAI_BASE_URL", "")).hostname or "127.0.0.1"


@pytest.mark.live
@pytest.mark.block_network(allowed_hosts=[ENDPOINT_HOST])
def test_a_live_models_answer_is_stored_only_where_the_article_prints_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in SHELL_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    path = SEEDS / "000_e9e0939858eebc6d.txt"
    text = path.read_bytes().decode("utf-8")
    result = extract_article(text, article_id=path.stem, settings=settings)
    assert result.model == settings.model and result.call.answers
    for actor in result.actors:
        for mention in actor.mentions:
            assert text[mention.span.start : mention.span.end] == mention.text
    for quote in result.quotes:
        assert text[quote.span.start : quote.span.end] == quote.text
    for claim in result.claims:
        assert text[claim.span.start : claim.span.end] == claim.evidence
    for rejected in result.rejected:
        assert rejected.detail, rejected
