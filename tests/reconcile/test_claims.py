"""Claim clustering: one proposition asserted in several articles joins, others stay apart."""

from __future__ import annotations

import pytest

from pipeline.reconcile import (
    cluster_claims,
    load_claim_vocabulary,
    load_linkage_settings,
    reconcile_actors,
)
from pipeline.reconcile.blocking import BlockingStats
from pipeline.reconcile.claims import ClaimReader, ClaimText, ClaimVerdict, stem
from pipeline.reconcile.knowledge import default_knowledge_index, load_inflections
from pipeline.reconcile.speakers import ActorLookup
from schemas.clusters import Evidence, MergeRule
from schemas.extraction import ActorKind
from schemas.mentions import ActorMention, ClaimMention

DRONES = "Iran has been supplying combat drones to Russia since 2022."


def _claim(article: str, statement: str, asserted_by: str | None = None) -> ClaimMention:
    return ClaimMention(
        article_id=article, asserted_by=asserted_by, statement=statement, evidence=statement
    )


@pytest.mark.parametrize(
    "other",
    [
        pytest.param("Iran provides drones to Russia.", id="other-verb"),
        pytest.param("Iran has been supplying Russia with suicide drones and munitions for tanks.",
                     id="supply-someone-with"),
        pytest.param("Russia received drones from Iran.", id="converse"),
        pytest.param("Drones were supplied to Russia by Iran.", id="passive"),
        pytest.param("Tehran sent Shahed-136 drones to the Kremlin.", id="capitals"),
        pytest.param("Iran's provision of drones to Russia.", id="nominal"),
        pytest.param("Iran has given drones to Russia.", id="irregular-participle"),
        pytest.param("Iran supplied Russia with Shahed-136 drones, which Russia used to attack "
                     "Kyiv.", id="with-a-relative-clause"),
    ],
)  # fmt: skip
def test_one_proposition_in_other_words_joins(other: str) -> None:
    clusters = cluster_claims([_claim("a1", DRONES, "Antony Blinken"), _claim("a2", other)])
    assert len(clusters) == 1
    (merge,) = clusters[0].merges
    assert merge.rule is MergeRule.SAME_PROPOSITION
    assert {e.what for e in merge.evidence} >= {"predicate", "agent", "object"}


@pytest.mark.parametrize(
    "other",
    [
        pytest.param("Iran transferred ballistic missiles to Russia.", id="other-object"),
        pytest.param("Russia supplied drones to Iran.", id="reversed"),
        pytest.param("Iran may send drones to Russia.", id="hedged"),
        pytest.param("Iran denies that it supplied drones to Russia.", id="denied"),
        pytest.param("North Korea supplies drones to Russia.", id="other-agent"),
        pytest.param("Iran supplies drones to Venezuela.", id="other-recipient"),
        pytest.param("Iran sent members of the Islamic Revolutionary Guard Corps to Crimea to "
                     "train Russians to use drones.", id="drones-mentioned-not-supplied"),
        pytest.param("Iran attacked Russia with drones.", id="other-predicate"),
    ],
)  # fmt: skip
def test_a_different_proposition_stays_apart(other: str) -> None:
    assert len(cluster_claims([_claim("a1", DRONES), _claim("a2", other)])) == 2


def test_every_asserting_actor_and_evidence_is_kept() -> None:
    claims = [
        _claim("a1", DRONES, "Antony Blinken"),
        _claim("a2", "Iran provides drones to Russia.", "John Kirby"),
        _claim("a3", "Iran supplied drones to Russia.", None),
    ]
    (cluster,) = cluster_claims(claims)
    assert cluster.asserted_by == ["Antony Blinken", "John Kirby"]
    assert [a.article_id for a in cluster.assertions] == ["a1", "a2", "a3"]
    assert [a.evidence for a in cluster.assertions] == [c.statement for c in claims]


def test_a_broad_claim_does_not_chain_two_narrow_ones() -> None:
    """Complete linkage: drones ~ drones-and-munitions ~ munitions, but drones !~ munitions."""
    clusters = cluster_claims(
        [
            _claim("a1", "Iran supplied drones to Russia."),
            _claim("a2", "Iran supplied drones and munitions to Russia."),
            _claim("a3", "Iran supplied munitions to Russia."),
        ]
    )
    statements = [sorted(m.statement for m in c.mentions) for c in clusters]
    assert not any(len(s) == 3 for s in statements)


def test_claims_without_a_known_predicate_need_most_words_in_common() -> None:
    same = cluster_claims(
        [
            _claim("a1", "China officially claims a neutral stance on the war in Ukraine."),
            _claim("a2", "China claims a neutral stance on the war in Ukraine."),
            _claim("a3", "China has shown little interest in helping Russia."),
        ]
    )
    assert sorted(len(c.mentions) for c in same) == [1, 2]


@pytest.mark.parametrize(
    "forms", [("supplying", "supplied", "supplies", "supply"), ("drones", "drone"),
              ("provide", "provides", "provided", "providing")],
)  # fmt: skip
def test_every_form_of_a_word_reaches_one_stem(forms: tuple[str, ...]) -> None:
    assert len({stem(form) for form in forms}) == 1


def test_the_same_claim_word_for_word_from_identical_copies_is_one_cluster() -> None:
    """v1 clustered only claims with a known agent: a claim about no known party stayed one
    cluster per copy, so the clusters grew with the copies."""
    statement = "Prices of grain have doubled at the ports this year."
    claims = [_claim(f"copy{n}", statement) for n in range(400)]
    claims.append(_claim("retyped", statement.upper().replace(".", " !")))
    (cluster,) = cluster_claims(claims)
    assert len(cluster.mentions) == 401
    assert {merge.rule for merge in cluster.merges} == {MergeRule.SAME_STATEMENT}


def test_verification_is_bounded_per_cluster_not_all_pairs_of_a_block() -> None:
    """300 wordings of one proposition, one block: each is judged against a cluster's first few
    members, not against the other 299."""
    verbs = ["supplied", "provided", "sent", "delivered", "shipped", "transferred"]
    objects = ["drones", "attack drones", "Shahed drones", "combat drones", "kamikaze drones"]
    claims = [
        _claim(f"a{n}", f"Iran {verbs[n % 6]} {objects[n % 5]} to Russia through corridor K{n}.")
        for n in range(300)
    ]
    stats = BlockingStats()
    settings = load_linkage_settings()
    clusters = cluster_claims(claims, stats=stats)
    assert len(clusters) == 1
    # Twice: once against a provisional cluster's first members, once when clusters join.
    assert stats.verified_pairs <= 2 * 300 * settings.claims.max_representatives
    assert stats.verified_pairs < 300 * 299 / 2 / 4


# Agreement scores of a made-up verifier: B agrees a little with A, and much with C and D,
# which agree with each other; A agrees with nothing else.
_SCORES = {frozenset("AB"): 0.7, frozenset("BC"): 0.95, frozenset("BD"): 0.95,
           frozenset("CD"): 0.93}  # fmt: skip


def _scored(left: ClaimText, right: ClaimText) -> ClaimVerdict | None:
    score = _SCORES.get(frozenset((left.statement[0], right.statement[0])))
    return None if score is None else (score, (Evidence(what="test", detail="table"),))


@pytest.mark.parametrize("order", ["ABCD", "BADC", "DCBA", "CADB", "ABDC"])
@pytest.mark.parametrize("copies", [1, 3])
def test_a_statement_joins_those_it_agrees_with_most_whatever_the_order_or_copies(
    order: str, copies: int
) -> None:
    """Joining statements one by one in input order put B with A whenever A came first, and
    left C and D to a cluster of their own (the seeds' drone claim split that way once reprinted
    3,000 times). Copies of A, printed more than the others, must not change it either."""
    claims = [_claim(f"{letter}{n}", f"{letter} says something.")
              for letter in order for n in range(copies if letter == "A" else 1)]  # fmt: skip
    clusters = cluster_claims(
        claims, verifiers=[_scored], block=lambda p: "all", features=lambda p: ["all"]
    )
    found = {frozenset(m.statement[0] for m in c.mentions) for c in clusters}
    assert found == {frozenset("BCD"), frozenset("A")}


def test_an_added_verifier_and_block_decide_instead_of_the_proposition() -> None:
    def same_first_word(left: ClaimText, right: ClaimText) -> ClaimVerdict | None:
        first = left.statement.split()[0]
        if first == right.statement.split()[0]:
            return 0.7, (Evidence(what="test", detail=f"both open with {first}"),)
        return None

    claims = [_claim("a1", "Grain prices doubled."), _claim("a2", "Grain exports fell."),
              _claim("a3", "Oil prices doubled.")]  # fmt: skip
    assert len(cluster_claims(claims)) == 3
    clusters = cluster_claims(
        claims, verifiers=[same_first_word], block=lambda p: "all",
        features=lambda p: p.content,
    )
    assert sorted(len(c.mentions) for c in clusters) == [1, 2]


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        pytest.param("Iran sent 1,200 drones to Russia.", "Iran sent 300 drones to Russia.", False,
                     id="other-count"),
        pytest.param("Iran sent 1,200 drones to Russia.",
                     "Iran has sent 1200 drones to Russia near Kursk.", True, id="same-count"),
        pytest.param("Tehran sent Shahed-136 drones to Russia in 2023.",
                     "Iran sent 40 drones to Russia.", True, id="a-name-or-a-year-is-no-count"),
        pytest.param("France held talks with Belarus on grain exports.",
                     "France has held talks with Belarus on grain exports near Minsk.", True,
                     id="a-predicate-without-object-compares-content"),
    ],
)  # fmt: skip
def test_counts_must_agree_where_both_state_one(left: str, right: str, joined: bool) -> None:
    clusters = cluster_claims([_claim("a1", left), _claim("a2", right)])
    assert len(clusters) == (1 if joined else 2)


def test_the_inflections_file_lists_forms_of_vocabulary_words_only() -> None:
    """Generated by scripts/claim_inflections.py: each form inflects a listed word, and none is
    a form the stem already reaches."""
    vocabulary = load_claim_vocabulary()
    listed = {w for p in vocabulary.predicate for w in (*p.words, *p.converse)}
    listed |= set(vocabulary.hedges) | set(vocabulary.intents) | set(vocabulary.negations)
    forms = load_inflections().forms
    assert forms["given"] == "give" and forms["sold"] == "sell"
    assert set(forms.values()) <= listed
    assert all(stem(form) != stem(word) for form, word in forms.items())


def test_a_text_is_judged_against_the_first_earlier_texts_by_words_up_to_the_cap() -> None:
    """Past ``max_candidates``, a statement meets the clusters of the earlier statements (by
    their words) that come first; the rest of a large block is never looked at."""
    judged: list[tuple[str, str]] = []

    def nothing_agrees(left: ClaimText, right: ClaimText) -> ClaimVerdict | None:
        judged.append((left.statement, right.statement))
        return None

    linkage = load_linkage_settings()
    linkage = linkage.model_copy(
        update={"claims": linkage.claims.model_copy(update={"max_candidates": 3})}
    )
    letters = "HCFAJDGBEI"  # not in word order, so that the input order cannot pass for it
    stats = BlockingStats()
    clusters = cluster_claims(
        [_claim(f"a{n}", f"{letter} says something.") for n, letter in enumerate(letters)],
        verifiers=[nothing_agrees], block=lambda p: "all", features=lambda p: ["all"],
        linkage=linkage, stats=stats,
    )
    assert len(clusters) == len(letters)
    ordered = sorted(letters)
    expected = {
        (f"{earlier} says something.", f"{letter} says something.")
        for at, letter in enumerate(ordered)
        for earlier in ordered[: min(at, 3)]
    }
    assert set(judged) == expected and len(judged) == len(expected)
    assert stats.capped_texts == len(letters) - 4


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        pytest.param("Britain accused France of hiding 52,400 rifles.",
                     "Britain accused France of hiding 52,400 helicopters.", False,
                     id="a-thousands-comma-ends-no-clause"),
        pytest.param("North Korea held talks with India about 8,360 tonnes of fuel.",
                     "North Korea held talks with India about 8,360 tonnes of helicopters.", False,
                     id="a-unit-is-no-object"),
        pytest.param("Britain accused France of hiding 900 rifles.",
                     "Britain accused France of hiding 900 helicopters.", False,
                     id="a-verb-with-its-own-object-is-no-object"),
        pytest.param("Kovac said Britain accused France of hiding 900 rifles.",
                     "Britain accused France of hiding 900 helicopters, officials said.", False,
                     id="a-reporting-verb-is-no-act"),
        pytest.param("Kovac said North Korea held talks with India about 900 tonnes of fuel.",
                     "North Korea held talks with India about 900 tonnes of fuel, officials said.",
                     True, id="reported-either-way"),
    ],
)  # fmt: skip
def test_what_a_claim_is_about_is_read_past_units_reporters_and_verbs(
    left: str, right: str, joined: bool
) -> None:
    clusters = cluster_claims([_claim("a1", left), _claim("a2", right)])
    assert len(clusters) == (1 if joined else 2)


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        pytest.param("Oslo pledged $50 million to Kyiv.", "Norway pledged 50 million dollars to "
                     "Ukraine.", True, id="currency-symbol-or-word"),
        pytest.param("Oslo pledged $2.8 billion to Kyiv.", "Norway pledged $2800 million to "
                     "Ukraine.", True, id="scale-words"),
        pytest.param("Oslo pledged $50 million to Kyiv.", "Norway pledged 50 million euros to "
                     "Ukraine.", False, id="another-currency"),
        pytest.param("Oslo pledged $50 million to Kyiv.", "Norway pledged $60 million to "
                     "Ukraine.", False, id="another-sum"),
    ],
)  # fmt: skip
def test_equal_sums_in_other_spellings_are_one_quantity(
    left: str, right: str, joined: bool
) -> None:
    clusters = cluster_claims([_claim("a1", left), _claim("a2", right)])
    assert (len(clusters) == 1) is joined


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("Iran supplied 4,200 rifles to Russia near Port Ellison.",
                     "Iran supplied 4,200 rifles to Russia near Westmore.", id="two-places"),
        pytest.param("Iran supplied drones to Russia in 2022.",
                     "Iran supplied drones to Russia in 2023.", id="two-years"),
        pytest.param("Iran supplied 400 drones to Russia in March.",
                     "Iran supplied 400 drones to Russia in June.", id="two-months"),
    ],
)  # fmt: skip
def test_one_claim_placed_or_dated_apart_is_two_claims(left: str, right: str) -> None:
    assert len(cluster_claims([_claim("a1", left), _claim("a2", right)])) == 2


@pytest.mark.parametrize(
    "other",
    [
        pytest.param("Iran supplied 4,200 rifles to Russia.", id="one-names-no-place"),
        pytest.param("Iran supplied 4,200 rifles to Russia near Port Ellison in 2024.",
                     id="a-date-beside-the-place"),
    ],
)  # fmt: skip
def test_a_place_or_date_only_one_claim_prints_does_not_conflict(other: str) -> None:
    placed = "Iran supplied 4,200 rifles to Russia near Port Ellison."
    clusters = cluster_claims([_claim("a1", placed), _claim("a2", other)])
    assert len(clusters) == 1


def test_a_hedge_spelt_as_a_month_dates_nothing() -> None:
    reader = ClaimReader(load_claim_vocabulary(), default_knowledge_index())
    assert reader.read("Iran may send drones to Russia in June.").months == {"june"}


def test_a_place_the_evidence_does_not_print_places_nothing() -> None:
    """The statement is the model's wording; only a place the article prints counts."""
    left = ClaimMention(article_id="a1", asserted_by=None,
                        statement="Iran supplied 4,200 rifles to Russia near Port Ellison.",
                        evidence="Iran had supplied 4,200 rifles to Russia, officials said.")
    right = _claim("a2", "Iran supplied 4,200 rifles to Russia near Westmore.")
    assert len(cluster_claims([left, right])) == 1


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        pytest.param("Iran will send drones to Russia.", "Iran may send drones to Russia.", False,
                     id="an-intent-is-no-possibility"),
        pytest.param("Iran intends to send drones to Russia.",
                     "Iran plans to send drones to Russia.", True, id="two-intents"),
        pytest.param("Iran will send drones to Russia.", "Iran is sending drones to Russia.",
                     True, id="will-states-the-act"),
        pytest.param("Iran plans to send drones to Russia.", "Iran is sending drones to Russia.",
                     False, id="a-plan-is-no-act"),
        pytest.param("Iran is considering sending drones to Russia.",
                     "Iran could send drones to Russia.", True, id="weighing-is-a-possibility"),
        pytest.param("Iran will likely send drones to Russia.", "Iran will send drones to Russia.",
                     False, id="a-likely-intent-is-a-possibility"),
    ],
)  # fmt: skip
def test_an_intent_and_a_possibility_are_two_stances(left: str, right: str, joined: bool) -> None:
    assert (len(cluster_claims([_claim("a1", left), _claim("a2", right)])) == 1) is joined


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        pytest.param("North Korea fired a ballistic missile, the Joint Chiefs of Staff said.",
                     "North Korea fired a ballistic missile, Japan's government said.", True,
                     id="two-reporters"),
        pytest.param("Iran sent drones to Russia, according to Ukraine.",
                     "Iran sent drones to Russia.", True, id="according-to"),
        pytest.param("Iran sent drones to Russia, Ukraine said.",
                     "Ukraine sent drones to Russia.", False, id="the-reporter-is-no-agent"),
        # A last clause that names no reporter is read with the claim: a thousands comma.
        pytest.param("France accused Russia of hiding 2,550 satellite phones.",
                     "France accused Russia of hiding 611 fuel.", False, id="a-thousands-comma"),
    ],
)  # fmt: skip
def test_a_last_clause_saying_who_reports_the_claim_is_no_party_of_it(
    left: str, right: str, joined: bool
) -> None:
    assert (len(cluster_claims([_claim("a1", left), _claim("a2", right)])) == 1) is joined


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        pytest.param("Saudi Arabia and Iran agreed to restore diplomatic relations.",
                     "Iran and Saudi Arabia have agreed to restore diplomatic relations.", True,
                     id="either-order"),
        pytest.param("Saudi Arabia and Iran agreed to restore diplomatic relations.",
                     "Iraq and Iran agreed to restore diplomatic relations.", False,
                     id="another-partner"),
    ],
)  # fmt: skip
def test_an_act_of_coordinated_agents_is_one_in_either_order(
    left: str, right: str, joined: bool
) -> None:
    assert (len(cluster_claims([_claim("a1", left), _claim("a2", right)])) == 1) is joined


def test_claims_read_their_asserters_through_one_actor_lookup(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One ``ActorLookup`` for the readers and the assertions: at 100k articles each holds every
    actor mention (~0.2 GB), and three were alive at once."""
    actors = reconcile_actors([
        ActorMention(article_id="a1", name="Antony Blinken", kind=ActorKind.PERSON),
        ActorMention(article_id="a2", name="Blinken", kind=ActorKind.PERSON),
    ])
    built: list[ActorLookup] = []
    made = ActorLookup.__post_init__

    def counted(self: ActorLookup) -> None:
        built.append(self)
        made(self)

    monkeypatch.setattr(ActorLookup, "__post_init__", counted)
    (cluster,) = cluster_claims(
        [_claim("a1", DRONES, "Antony Blinken"), _claim("a2", DRONES, "Blinken")], actors=actors)
    assert len(built) == 1
    (actor,) = actors
    assert [(a.asserted_by, a.asserted_by_id) for a in cluster.assertions] == [
        (actor.name, actor.actor_id)] * 2
