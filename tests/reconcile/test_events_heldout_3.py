"""The claim clusterer on a third held-out set, written without reading its rules.

``data/event_claims_heldout.v3.json`` holds 59 claim mentions of 24 propositions from news that
neither the seeds nor the earlier claim sets cover, with the same kinds of hard negatives and a
negation besides. It was written by a helper that read only the format of the second held-out file
and the tests that load it (no rule, lexicon or knowledge file), and committed before any change of
its day was measured on it. The targets are those of the first set: precision 1.00 with and
without events, recall at least 0.90 with events and 0.80 without.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from pipeline.extract.versions import load_codebook
from pipeline.reconcile.actors import reconcile_actors
from pipeline.reconcile.claims import cluster_claims
from schemas.mentions import ClaimMention
from tests.reconcile.test_events import load_evaluation, pairwise
from tests.reconcile.test_events_heldout import KINDS

HELDOUT = Path(__file__).parent / "data" / "event_claims_heldout.v3.json"


@pytest.fixture(scope="module")
def heldout() -> tuple[list[ClaimMention], list[str], list[Any]]:
    actor_mentions, claims, truth = load_evaluation(HELDOUT)
    return claims, truth, reconcile_actors(actor_mentions)


def test_the_third_heldout_set_is_as_large_and_as_hard_as_promised(
    heldout: tuple[list[ClaimMention], list[str], list[Any]],
) -> None:
    claims, truth, _ = heldout
    assert len(claims) >= 50 and len(set(truth)) >= 18
    assert min(Counter(truth).values()) >= 2
    notes = HELDOUT.read_text(encoding="utf-8")
    assert all(kind in notes for kind in KINDS)


def test_every_third_heldout_event_is_a_pair_the_codebook_allows(
    heldout: tuple[list[ClaimMention], list[str], list[Any]],
) -> None:
    claims, _, _ = heldout
    codebook = load_codebook()
    for claim in claims:
        assert claim.event is not None, claim.statement
        assert codebook.allows(claim.event.event_type, claim.event.mode), claim.statement
        assert claim.event.source_id is not None, claim.statement
        assert claim.event.target is None or claim.event.target_id is not None, claim.statement


def test_third_heldout_with_events_pairwise_precision_is_one(
    heldout: tuple[list[ClaimMention], list[str], list[Any]],
) -> None:
    claims, truth, actors = heldout
    precision, recall = pairwise(cluster_claims(claims, actors=actors), claims, truth)
    print(f"held-out 3, with events: pairwise P {precision:.2f} R {recall:.2f}")
    assert precision == 1.0


@pytest.mark.xfail(
    strict=True,
    reason="target not reached: measured R 0.70 (32/46 pairs) on main e2202b4, when the set landed",
)
def test_third_heldout_with_events_pairwise_recall_is_at_least_ninety_percent(
    heldout: tuple[list[ClaimMention], list[str], list[Any]],
) -> None:
    claims, truth, actors = heldout
    _, recall = pairwise(cluster_claims(claims, actors=actors), claims, truth)
    assert recall >= 0.90


def test_third_heldout_statement_only_pairwise_precision_is_one(
    heldout: tuple[list[ClaimMention], list[str], list[Any]],
) -> None:
    claims, truth, actors = heldout
    bare = [c.model_copy(update={"event": None}) for c in claims]
    precision, recall = pairwise(cluster_claims(bare, actors=actors), bare, truth)
    print(f"held-out 3, statement only: pairwise P {precision:.2f} R {recall:.2f}")
    assert precision == 1.0


@pytest.mark.xfail(
    strict=True,
    reason="target not reached: measured R 0.26 (12/46 pairs) on main e2202b4, when the set landed",
)
def test_third_heldout_statement_only_pairwise_recall_is_at_least_eighty_percent(
    heldout: tuple[list[ClaimMention], list[str], list[Any]],
) -> None:
    claims, truth, actors = heldout
    bare = [c.model_copy(update={"event": None}) for c in claims]
    _, recall = pairwise(cluster_claims(bare, actors=actors), bare, truth)
    assert recall >= 0.80
