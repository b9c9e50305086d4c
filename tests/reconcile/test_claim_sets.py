"""The claim clusterer scored pairwise on each claim evaluation set, with events and without.

Every set is claims from news the seeds do not cover, with the issue's hard negatives (reversed
direction, another agent, the opposite act, a denial, a different number, a hedge). How blind
each set is, is said beside it in ``SETS``. Targets: precision 1.00 with and without events,
recall at least 0.90 with events and 0.80 statement-only (the fallback for callers without
events). A target not reached is a strict xfail carrying the figure, so a gain fails the run
until the marker is updated. The scores are printed in the run's reconciliation summary.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from pipeline.extract.versions import load_codebook
from pipeline.reconcile.actors import reconcile_actors
from pipeline.reconcile.claims import cluster_claims
from schemas.clusters import ActorCluster
from schemas.mentions import ClaimMention
from tests.reconcile.claim_sets import DATA, load_evaluation
from tests.reconcile.scores import pairwise_precision_recall, record_score

HARD_NEGATIVES = ("reversed direction", "another agent", "the opposite act", "a denial",
                  "a different number", "a hedge")  # fmt: skip
WITH_EVENTS_TARGET, STATEMENT_ONLY_TARGET = 0.90, 0.80
# Recall floors of the sets whose target is not reached, (set, with events): the figure last
# measured (e6895cc), rounded down, so that a regression fails while the target is still far.
RECALL_FLOORS = {
    ("first", False): 0.72,  # 27/37
    ("heldout-2", False): 0.29,  # 12/40
    ("heldout-3", True): 0.78, ("heldout-3", False): 0.34,  # 36/46, 16/46
    ("heldout-4", True): 0.45, ("heldout-4", False): 0.15,  # 21/46, 7/46
    ("heldout-5", True): 0.37, ("heldout-5", False): 0.10,  # 11/29, 3/29 (94722b6)
    ("dev", True): 0.82, ("dev", False): 0.27,  # 51/62, 17/62
}
# Sets whose statement-only precision is not yet 1.00, with the figure measured.
# (The dev set's statement-only P was 0.818 until an intent stood apart from a possibility.)
PRECISION_NOT_REACHED: dict[tuple[str, bool], str] = {}


@dataclass(frozen=True)
class ClaimSet:
    name: str  # as printed in the summary: 'claims, set 1'
    path: Path
    least_mentions: int
    least_propositions: int


SETS = {
    # Hand-written with the events schema; rules of issue 14's rounds were written while
    # measuring on it, so it is a development set.
    "first": ClaimSet("claims, set 1", DATA, 40, 15),
    # Committed and measured before its round's rules changed; its missed pairs were listed
    # twice in that round and its first round's misses were known to the second: nearly blind.
    "heldout-2": ClaimSet("claims, set 2", DATA.with_name("event_claims_heldout.v2.json"), 40, 15),
    # Written by a helper that read only the formats (no rule, lexicon or knowledge file) and
    # committed before any change of its day was measured on it; rules were never written from
    # it. The lead read its missed pairs once, after the rule writers had stopped.
    "heldout-3": ClaimSet("claims, set 3", DATA.with_name("event_claims_heldout.v3.json"), 50, 18),
    # Written by a helper that read only the formats and the loaders (no rule, lexicon or
    # knowledge file), committed with the figures of the day it landed; nothing tuned to it yet.
    "heldout-4": ClaimSet("claims, set 4", DATA.with_name("event_claims_heldout.v4.json"), 50, 18),
    # Written by the helper blind5b, which read only the formats, the loaders and the codebook
    # (no rule, lexicon or knowledge file, no earlier held-out data), committed with the figures
    # of the day it landed; nothing tuned to it yet.
    "heldout-5": ClaimSet("claims, set 5", DATA.with_name("event_claims_heldout.v5.json"), 45, 20),
    # Written by issue 14's fifth-round helper before the clusterer was run on it, as a model
    # would code each outlet's rendering (neighbouring types, both sides of a joint act); rules
    # are written while measuring on it: a development set.
    "dev": ClaimSet("claims, dev set", DATA.with_name("event_claims_dev.v1.json"), 70, 30),
}


def _target_not_reached(figure: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=f"target not reached: measured {figure}")


@cache
def _loaded(key: str) -> tuple[list[ClaimMention], list[str], tuple[ActorCluster, ...]]:
    actor_mentions, claims, truth = load_evaluation(SETS[key].path)
    return claims, truth, tuple(reconcile_actors(actor_mentions))


@cache
def _scores(key: str, with_events: bool) -> tuple[list[str], list[str]]:
    """(each claim's predicted cluster, its proposition)."""
    claims, truth, actors = _loaded(key)
    if not with_events:
        claims = [c.model_copy(update={"event": None}) for c in claims]
    clusters = cluster_claims(claims, actors=list(actors))
    cluster_of = {m.key: n for n, cluster in enumerate(clusters) for m in cluster.mentions}
    return [str(cluster_of[c.key]) for c in claims], truth


def _recall(key: str, *, with_events: bool) -> float:
    predicted, truth = _scores(key, with_events)
    return pairwise_precision_recall(predicted, truth)[1]


@pytest.mark.parametrize("key", list(SETS))
def test_each_claim_set_is_as_large_and_as_hard_as_promised(key: str) -> None:
    claims, truth, _ = _loaded(key)
    assert len(claims) >= SETS[key].least_mentions
    assert len(set(truth)) >= SETS[key].least_propositions
    assert min(Counter(truth).values()) >= 2
    notes = SETS[key].path.read_text(encoding="utf-8")
    assert all(kind in notes for kind in HARD_NEGATIVES)


@pytest.mark.parametrize("key", list(SETS))
def test_every_event_of_a_claim_set_is_a_pair_the_codebook_allows(key: str) -> None:
    claims, _, _ = _loaded(key)
    codebook = load_codebook()
    for claim in claims:
        assert claim.event is not None, claim.statement
        assert codebook.allows(claim.event.event_type, claim.event.mode), claim.statement
        assert claim.event.source_id is not None, claim.statement
        assert claim.event.target is None or claim.event.target_id is not None, claim.statement


@pytest.mark.parametrize(
    ("key", "with_events"),
    [
        pytest.param(
            key, with_events, id=f"{key}-{'events' if with_events else 'statements'}",
            marks=[_target_not_reached(PRECISION_NOT_REACHED[key, with_events])]
            if (key, with_events) in PRECISION_NOT_REACHED else [],
        )
        for key in SETS
        for with_events in (True, False)
    ],
)  # fmt: skip
def test_claim_clusters_of_each_set_have_pairwise_precision_one(
    pytestconfig: pytest.Config, key: str, with_events: bool
) -> None:
    predicted, truth = _scores(key, with_events)
    corpus = f"{SETS[key].name}, {'events' if with_events else 'statements'}"
    precision, _ = record_score(pytestconfig, corpus, "claims", predicted, truth)
    assert precision == 1.0


@pytest.mark.parametrize(
    ("key", "with_events"),
    list(RECALL_FLOORS),
    ids=[f"{k}-{'events' if e else 'statements'}" for k, e in RECALL_FLOORS],
)
def test_claim_recall_of_a_set_with_a_floor_holds_it(key: str, with_events: bool) -> None:
    assert _recall(key, with_events=with_events) >= RECALL_FLOORS[key, with_events]


@pytest.mark.parametrize(
    "key",
    [
        # R 1.00 (37/37) since 'Brussels' printed as an organisation stands for the EU.
        pytest.param("first", id="first"),
        # R 0.70 (28/40) before issue 14's second round, 0.93 (37/40) after WordNet kin of
        # theme heads; 'peso' / 'currency' WordNet does not relate.
        pytest.param("heldout-2", id="heldout-2"),
        pytest.param(
            "heldout-3",
            id="heldout-3",
            marks=_target_not_reached(
                "R 0.70 (32/46 pairs) when the set landed (e2202b4) and after every rule of its "
                "day, 0.74 since an acronym a knowledge file lists for another body joins the "
                "name the corpus prints (cd2757e), 0.78 (36/46) since mixed-case acronyms join "
                "(905de82); left: actors not joined across articles and theme words WordNet "
                "does not relate"
            ),
        ),
        pytest.param(
            "heldout-4",
            id="heldout-4",
            marks=_target_not_reached("R 0.37 (17/46 pairs) when the set landed on 6954ef4, "
                                      "0.41 (19/46) since mixed-case acronyms join (905de82), "
                                      "0.46 (21/46) with events.v7 (talks, restrictions, organs)"),
        ),
        pytest.param(
            "heldout-5",
            id="heldout-5",
            marks=_target_not_reached("R 0.38 (11/29 pairs) when the set was written (94722b6)"),
        ),
        pytest.param(
            "dev",
            id="dev",
            marks=_target_not_reached("R 0.42 (26/62) when the set was written, 0.52 (32/62) "
                                      "with acts of two parties and run-together words, 0.55 "
                                      "(34/62) with deeds of neighbouring types, 0.65 (40/62) "
                                      "with a commitment to a deed as kin of it and one "
                                      "quantity as the witness of one act, 0.76 (47/62) with talks "
                                      "as an act of both parties, nouns of restricting as no "
                                      "theme and an organ acting for its whole, 0.79 (49/62) "
                                      "with kin words beside one quantity, 0.82 (51/62) with a "
                                      "restriction both print as witness; left: themes WordNet "
                                      "does not relate, 'Houthis' / 'Houthi rebels' not joined"),
        ),
    ],
)
def test_claims_with_events_reach_the_recall_target(key: str) -> None:
    assert _recall(key, with_events=True) >= WITH_EVENTS_TARGET


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(
            "first",
            id="first",
            marks=_target_not_reached(
                "R 0.73 (27/37; 0.51 before this round, 0.14 before the WordNet verb lexicon): "
                "verbs WordNet keeps apart ('approved' / 'ratified' / 'accepted', 'discharging' "
                "/ 'releasing', 'banned' / 'suspended imports'), 'launched' (an attack word) "
                "before 'drills', 'inspectors found' naming no agent"
            ),
        ),
        pytest.param(
            "heldout-2",
            id="heldout-2",
            marks=_target_not_reached("R 0.30 (12/40) on c22c81a, 0.10 before the verb lexicon"),
        ),
        pytest.param(
            "heldout-3",
            id="heldout-3",
            marks=_target_not_reached("R 0.26 (12/46) when the set landed, 0.28 since 74022ee, "
                                      "0.35 (16/46) since mixed-case acronyms join (905de82)"),
        ),
        pytest.param(
            "heldout-4",
            id="heldout-4",
            marks=_target_not_reached("R 0.13 (6/46) when the set landed on 6954ef4, 0.15 (7/46) "
                                      "since mixed-case acronyms join (905de82)"),
        ),
        pytest.param(
            "heldout-5",
            id="heldout-5",
            marks=_target_not_reached("R 0.10 (3/29) when the set was written (94722b6)"),
        ),
        pytest.param(
            "dev",
            id="dev",
            marks=_target_not_reached("R 0.15 (9/62) when the set was written, 0.26 (16/62) "
                                      "with 'will' stating the act and a last clause naming "
                                      "who reports the claim set aside, 0.27 (17/62) with "
                                      "coordinated agents in either order"),
        ),
    ],
)
def test_statement_only_claims_reach_the_recall_target(key: str) -> None:
    assert _recall(key, with_events=False) >= STATEMENT_ONLY_TARGET
