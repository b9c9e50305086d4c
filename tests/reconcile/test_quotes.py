"""Quote clustering: one remark printed by several outlets joins; different remarks stay apart."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from pipeline.reconcile import (
    cluster_quotes,
    id_assignment,
    load_linkage_settings,
    reconcile_actors,
)
from pipeline.reconcile.blocking import BlockingStats
from pipeline.reconcile.paraphrase import corpus_candidates, corpus_verifiers
from pipeline.reconcile.quotes import (
    CandidateSource,
    OneRemarkOnly,
    QuoteText,
    QuoteVerdict,
    text_verifier,
)
from schemas.clusters import Evidence, MergeRule
from schemas.extraction import ActorKind
from schemas.mentions import ActorMention, QuoteMention

KIRBY = (
    "“In part because of all these sweeping sanctions and export controls that we’ve imposed… "
    "Russia has had to rely on pariah states like North Korea and Iran to be able to continue "
    "prosecuting this war,”"
)
BLINKEN = (
    "We’ll continue to do everything we can to cut off the support that countries, like Iran "
    "and North Korea, are providing"
)


def _quote(article: str, text: str, speaker: str = "John Kirby") -> QuoteMention:
    return QuoteMention(article_id=article, speaker=speaker, text=text)


@pytest.mark.parametrize(
    ("other", "rule"),
    [
        pytest.param(KIRBY.replace("“", '"').replace("”", '"').replace("’", "'"),
                     MergeRule.SAME_TEXT, id="straight-marks"),
        pytest.param(KIRBY.replace("…", "..."), MergeRule.SAME_TEXT, id="three-dots"),
        pytest.param(KIRBY.removesuffix(",”").removeprefix("“"), MergeRule.SAME_TEXT,
                     id="no-trailing-comma-no-marks"),
        pytest.param("Russia has had to rely on pariah states like North Korea and Iran",
                     MergeRule.FRAGMENT, id="shorter-fragment"),
        pytest.param("all these sweeping sanctions ... Russia has had to rely on pariah states",
                     MergeRule.FRAGMENT, id="fragment-with-ellipsis"),
        pytest.param(KIRBY.replace("prosecuting", "prosecutng"), MergeRule.NEAR_TEXT,
                     id="typo"),
        pytest.param(KIRBY.replace("sweeping", "broad"), MergeRule.NEAR_TEXT,
                     id="one-word-retyped"),
    ],
)  # fmt: skip
def test_one_remark_printed_by_several_outlets_is_one_cluster(other: str, rule: MergeRule) -> None:
    clusters = cluster_quotes([_quote("a1", KIRBY), _quote("a2", other, speaker="Kirby")])
    assert len(clusters) == 1
    (merge,) = clusters[0].merges
    assert merge.rule is rule
    assert {source.article_id for source in clusters[0].sources} == {"a1", "a2"}


def test_every_source_is_kept_and_the_fullest_printing_is_canonical() -> None:
    quotes = [
        _quote("a1", "Russia has had to rely on pariah states like North Korea and Iran"),
        _quote("a2", KIRBY),
        _quote("a3", KIRBY.replace("…", "...")),
    ]
    (cluster,) = cluster_quotes(quotes)
    assert [m.article_id for m in cluster.mentions] == ["a1", "a2", "a3"]
    assert cluster.text == KIRBY
    assert all(m is q for m, q in zip(cluster.mentions, quotes, strict=True))


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("This is not about regime change",
                     "We’re doing this to support Ukraine so they can preserve their independence",
                     id="two-remarks-of-one-speaker"),
        pytest.param("We are very much concerned about this because this is what’s keeping the "
                     "war going", "We are very much concerned about the security of Europe",
                     id="same-opening-words"),
        pytest.param("not insignificant", "We don’t think it will change the tide of the war",
                     id="short-fragment-is-not-evidence"),
        pytest.param("everything", BLINKEN, id="one-word-quote"),
        pytest.param("We will allow this attack to go unanswered by the government",
                     "We will not allow this attack to go unanswered by the government",
                     id="negation-added"),
        pytest.param("We will let this attack go unanswered, the government said",
                     "We won't let this attack go unanswered, the government said",
                     id="negation-contracted"),
        # Letter by letter alike (fuzz ratio above near text's 92), one denial in each, but each
        # denies what the other affirms.
        pytest.param("We will defend our people and we will not back down",
                     "we will not defend our people and we will back down",
                     id="negation-moved-to-the-other-clause"),
    ],
)  # fmt: skip
def test_different_remarks_stay_apart(left: str, right: str) -> None:
    assert len(cluster_quotes([_quote("a1", left), _quote("a2", right)])) == 2


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("We will defend our people and we won't back down",
                     "We will defend our people and we will not back down",
                     id="one-negation-spelt-two-ways"),
        pytest.param("We will defend our peple and we won't back down",
                     "we will defend our people and we will not back down",
                     id="one-negation-spelt-two-ways-and-a-typo"),
    ],
)  # fmt: skip
def test_near_text_with_one_negation_spelt_two_ways_joins(left: str, right: str) -> None:
    (cluster,) = cluster_quotes([_quote("a1", left), _quote("a2", right)])
    assert [merge.rule for merge in cluster.merges] == [MergeRule.NEAR_TEXT]


def test_the_same_words_from_different_speakers_stay_apart() -> None:
    quotes = [
        _quote("a1", KIRBY, speaker="John Kirby"),
        _quote("a2", KIRBY, speaker="Matthew Miller"),
    ]
    assert len(cluster_quotes(quotes)) == 2


def test_with_actors_speakers_are_compared_as_reconciled_actors() -> None:
    actors = reconcile_actors(
        [
            ActorMention(article_id="a1", name="US Secretary of State Antony Blinken",
                         kind=ActorKind.PERSON),
            ActorMention(article_id="a2", name="the secretary", kind=ActorKind.PERSON),
            ActorMention(article_id="a2", name="U.S. Secretary of State Antony Blinken",
                         kind=ActorKind.PERSON),
        ]
    )  # fmt: skip
    quotes = [
        _quote("a1", BLINKEN, speaker="US Secretary of State Antony Blinken"),
        _quote("a2", BLINKEN.replace("’", "'"), speaker="the secretary"),
    ]
    (cluster,) = cluster_quotes(quotes, actors=actors)
    assert cluster.speaker == "Antony Blinken"
    assert cluster.speaker_id == "person/antony-blinken"


def test_quote_ids_are_stable_with_the_previous_assignment() -> None:
    first = cluster_quotes([_quote("a1", "Russia has had to rely on pariah states like Iran")])
    later = cluster_quotes(
        [_quote("a1", "Russia has had to rely on pariah states like Iran"), _quote("a2", KIRBY)],
        previous=id_assignment(first),
    )
    assert len(later) == 1 and later[0].text == KIRBY
    assert later[0].quote_id == first[0].quote_id


def test_a_remark_reprinted_by_hundreds_of_outlets_is_one_cluster_with_every_source() -> None:
    """v1 dropped shingles shared by more than 200 quotes: the most reprinted remark was lost."""
    quotes = [_quote(f"copy{n:04}", KIRBY) for n in range(600)]
    quotes += [_quote("trim", "Russia has had to rely on pariah states like North Korea and Iran"),
               _quote("typo", KIRBY.replace("prosecuting", "prosecutng"))]  # fmt: skip
    stats = BlockingStats()
    (cluster,) = cluster_quotes(quotes, stats=stats)
    assert len(cluster.mentions) == 602
    rules = Counter(merge.rule for merge in cluster.merges for _ in merge.joined)
    assert rules == {MergeRule.SAME_TEXT: 599, MergeRule.FRAGMENT: 1, MergeRule.NEAR_TEXT: 1}
    # The 599 copies are explained once, by one merge that joins them all to the first.
    assert len(cluster.merges) == 3
    copies = next(m for m in cluster.merges if m.rule is MergeRule.SAME_TEXT)
    assert sorted(copies.joined) == sorted(set(range(602)) - {copies.anchor} - {
        m.mention for m in cluster.merges if m is not copies} - {
        i for i, q in enumerate(cluster.mentions) if q.article_id in {"trim", "typo"}})
    assert stats.texts == 3  # the 600 copies are one text to compare
    assert stats.verified_pairs <= 3


def test_a_phrase_a_speaker_repeats_everywhere_joins_nothing_and_hides_no_fragment() -> None:
    """'we will continue to' opens 300 different remarks: it links none of them, and the one
    fragment still finds its remark through its rarer words."""
    vocabulary = ["allies", "partners", "sanctions", "ports", "grain", "oil", "talks", "troops",
                  "border", "ceasefire", "aid", "envoys", "courts", "banks", "rules", "elections",
                  "refugees", "exports", "drones", "jets"]  # fmt: skip
    pick = random.Random(13)
    remarks = [" ".join(["We will continue to", *pick.sample(vocabulary, 8)]) for _ in range(300)]
    quotes = [_quote(f"a{n}", text) for n, text in enumerate(remarks)]
    quotes.append(_quote("frag", " ".join(remarks[17].split()[5:])))
    stats = BlockingStats()
    clusters = cluster_quotes(quotes, stats=stats)
    assert len(clusters) == len(set(remarks))
    joined = next(c for c in clusters if "frag" in {m.article_id for m in c.mentions})
    assert {m.article_id for m in joined.mentions} == {"a17", "frag"}
    assert stats.candidate_pairs < 20 * len(quotes)


def test_an_added_verifier_judges_the_pairs_the_text_verifier_refuses() -> None:
    def same_length(left: QuoteText, right: QuoteText) -> QuoteVerdict | None:
        if len(left.tokens) == len(right.tokens):
            return MergeRule.NEAR_TEXT, 0.5, (Evidence(what="test", detail="same length"),)
        return None

    quotes = [_quote("a1", "we press our partners on sanctions today"),
              _quote("a2", "we press our allies on sanctions now")]  # fmt: skip
    assert len(cluster_quotes(quotes)) == 2
    settings = load_linkage_settings().quotes
    (cluster,) = cluster_quotes(quotes, verifiers=[text_verifier(settings), same_length])
    assert cluster.merges[0].evidence[0].detail == "same length"


def _inside_words(left: QuoteText, right: QuoteText) -> QuoteVerdict | None:
    """Test verifier: the shorter printing's words stand, in a row, in the longer one."""
    short, long = sorted((left, right), key=lambda text: len(text.tokens))
    if f" {' '.join(short.tokens)} " in long.padded and short.tokens != long.tokens:
        return MergeRule.FRAGMENT, 0.8, (Evidence(what="test", detail="inside"),)
    return None


@pytest.mark.parametrize(
    ("texts", "clusters"),
    [
        pytest.param(["the harbour will reopen next week", "harbour reopen"], 2,
                     id="inside-no-one"),
        pytest.param(["the harbour will reopen next week", "will reopen"], 1, id="inside-one"),
        pytest.param(["the harbour will reopen next week", "the bridge will reopen in May",
                      "will reopen"], 3, id="inside-two-remarks-joins-neither"),
        pytest.param(["the harbour will reopen next week", "the harbour will reopen next week!",
                      "will reopen"], 1, id="inside-two-printings-of-one-remark"),
    ],
)  # fmt: skip
def test_a_one_remark_only_verdict_joins_only_where_the_printing_meets_one_remark(
    texts: list[str], clusters: int
) -> None:
    quotes = [_quote(f"a{n}", text) for n, text in enumerate(texts)]
    settings = load_linkage_settings().quotes
    found = cluster_quotes(
        quotes,
        verifiers=[text_verifier(settings), OneRemarkOnly(_inside_words)],
        candidates=[CandidateSource(lambda text: text.tokens, rare=5)],  # every word
    )
    assert len(found) == clusters


PLEDGE = "Martial law will never return to this country while I am president"
CHIPS = "Our chip plants will run at full capacity until the end of next year"


def _clustered(*quotes: tuple[str, str, str]) -> list[set[str]]:
    """The articles of each cluster, quotes (article, speaker, text) clustered as the pipeline
    does, with their speakers reconciled as actors."""
    mentions = [_quote(article, text, speaker=speaker) for article, speaker, text in quotes]
    actors = reconcile_actors([
        ActorMention(article_id=q.article_id, name=q.speaker or "", kind=ActorKind.PERSON)
        for q in mentions])  # fmt: skip
    verifiers = corpus_verifiers([q.text for q in mentions], load_linkage_settings().quotes)
    clusters = cluster_quotes(mentions, actors=actors, verifiers=verifiers,
                              candidates=corpus_candidates())
    return [{m.article_id for m in c.mentions} for c in clusters]


@pytest.mark.parametrize(
    ("fuller", "shorter"),
    [
        pytest.param("Lee Jae-myung", "Mr Lee", id="honorific-and-a-family-name-printed-first"),
        pytest.param("Bill Nelson", "NASA Administrator Bill Nelson", id="agency-and-title"),
        pytest.param("Evaristo Condori Mamani", "Evaristo Condori", id="second-surname-dropped"),
        pytest.param("Dilhani Wickremaratne", "Wickremeratne", id="misprinted-surname"),
        pytest.param("Kim Tae-yang", "Hanbada Heavy Industries chairman Kim Tae-yang",
                     id="company-and-title"),
    ],
)
def test_one_remark_joins_across_speakers_whose_names_fit(fuller: str, shorter: str) -> None:
    found = _clustered(("a1", fuller, PLEDGE), ("a2", shorter, PLEDGE.lower() + ","),
                       ("a3", "Lee Jae-yong", CHIPS))
    assert {"a1", "a2"} in found


def test_a_bare_name_that_fits_two_people_who_said_the_words_joins_neither() -> None:
    found = _clustered(("a1", "Carlos Mendes", PLEDGE), ("a2", "Mariana Mendes", PLEDGE),
                       ("a3", "Mendes", PLEDGE.lower()))
    assert sorted(map(sorted, found)) == [["a1"], ["a2"], ["a3"]]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("Ramon Castellanos Sr.", "Ramon Castellanos Jr.", id="father-and-son"),
        pytest.param("Kaja Kallas", "Siim Kallas", id="other-given-names"),
    ],
)
def test_the_same_words_of_two_people_of_one_surname_stay_apart(left: str, right: str) -> None:
    assert len(_clustered(("a1", left, PLEDGE), ("a2", right, PLEDGE))) == 2


def test_across_speakers_a_paraphrase_alone_joins_nothing() -> None:
    found = _clustered(
        ("a1", "Marek Hudacek", "The trains will stop at midnight unless the ministry signs the "
                                "agreement."),
        ("a2", "Mr Hudacek", "The trains will run at midnight because the ministry signed the "
                             "agreement."),
        ("a3", "Rail union head Marek Hudacek", "trains will stop at midnight unless the ministry "
                                                "signs the agreement"),
    )
    assert sorted(map(sorted, found)) == [["a1", "a3"], ["a2"]]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("We will hire 3,000 welders next year.",
                     "We will hire 2,000 welders next year.", id="another-figure"),
        pytest.param("Every child in the county will be vaccinated against measles by June.",
                     "Not every child in the county will be vaccinated against measles by June.",
                     id="a-negation-before-the-shorter"),
    ],
)
def test_printings_alike_but_for_a_figure_or_a_denial_stay_apart(left: str, right: str) -> None:
    settings = load_linkage_settings().quotes
    verifiers = corpus_verifiers([left, right], settings)
    quotes = [_quote("a1", left), _quote("a2", right)]
    assert len(cluster_quotes(quotes, verifiers=verifiers, candidates=corpus_candidates())) == 2



def test_the_same_words_read_join_across_speakers_whose_names_fit() -> None:
    found = _clustered(
        ("a1", "Hanbada Heavy Industries chairman Kim Tae-yang",
         "We will hire three thousand welders next year."),
        ("a2", "Mr Kim", "we will hire 3,000 welders next year"),
    )
    assert found == [{"a1", "a2"}]


@pytest.mark.parametrize(
    ("names", "readings"),
    [
        pytest.param((("Kaja Kallas", "Kallas"), ("Siim Kallas", "Kallas")), 1,
                     id="namesakes-who-cannot-be-one-person"),
        pytest.param((("Lee Jae-myung",), ("Mr Lee",), ("Lee Jae-yong",)), 2,
                     id="names-that-fit"),
    ],
)
def test_remarks_are_read_across_speakers_only_where_two_speakers_may_be_one_person(
    names: tuple[tuple[str, ...], ...], readings: int
) -> None:
    """Remarks are indexed once per speaker, and again across speakers only under a family
    name two speakers who may be one person share: 'Siim Kallas' is never 'Kaja Kallas' ('Mr
    Lee' may be 'Lee Jae-myung', an actor of his own beside 'Lee Jae-yong')."""
    actors = reconcile_actors([
        ActorMention(article_id=f"a{n}", name=name, kind=ActorKind.PERSON)
        for n, printed in enumerate(names) for name in printed])  # fmt: skip
    read: Counter[str] = Counter()

    def features(text: QuoteText) -> tuple[str, ...]:
        read[text.text] += 1
        return text.tokens

    quotes = [_quote("a0", PLEDGE, speaker=names[0][0]), _quote("a1", CHIPS, speaker=names[1][0])]
    cluster_quotes(quotes, actors=actors, candidates=[CandidateSource(features, rare=3)])
    speakers = {a.actor_id for a in actors for m in a.mentions if m.article_id in {"a0", "a1"}}
    assert len(speakers) == 2
    assert read == {PLEDGE: readings, CHIPS: readings}
