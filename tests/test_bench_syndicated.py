"""bench/syndicated.py's claims carry events an extraction could have stored: every part grounded
at its span, the parties among the article's actors, the type and mode ones the codebook allows."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import syndicated

from pipeline.extract.versions import load_codebook


def test_every_synthetic_claim_carries_a_grounded_event_the_codebook_allows() -> None:
    codebook = load_codebook()
    types: set[str] = set()
    for copy in syndicated.corpus(60, seed=5):
        text, result = copy.article.text, copy.result
        actor_ids = {actor.actor_id: actor.name for actor in result.actors}
        for claim in result.claims:
            event = claim.event
            assert event is not None, claim.statement
            assert codebook.allows(event.event_type, event.mode), claim.statement
            assert actor_ids[event.source_id or ""] == event.source
            assert event.target is None or actor_ids[event.target_id or ""] == event.target
            for part in (event.theme, event.quantity, event.when):
                if part is not None:
                    assert text[part.span.start : part.span.end] == part.text
                    assert claim.span.start <= part.span.start < claim.span.end
            types.add(event.event_type)
    assert types == {"AID", "COOPERATE", "CONSULT", "ACCUSE"}


def test_the_events_leave_the_texts_as_they_were(monkeypatch: pytest.MonkeyPatch) -> None:
    """The coding draws on its own random stream: the texts are those of a corpus whose events
    take no random draws at all."""
    coded = [copy.article.text for copy in syndicated.corpus(30, seed=5)]
    plain = syndicated._event

    def without_draws(rng: random.Random, *args: Any) -> Any:
        return plain(random.Random(0), *args)

    monkeypatch.setattr(syndicated, "_event", without_draws)
    assert [copy.article.text for copy in syndicated.corpus(30, seed=5)] == coded
