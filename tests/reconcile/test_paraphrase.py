"""Paraphrased printings of one remark join, with the aligned words; other remarks stay apart."""

from __future__ import annotations

import pytest

from pipeline.reconcile import cluster_quotes
from pipeline.reconcile.knowledge import load_linkage_settings
from pipeline.reconcile.paraphrase import paraphrase_candidates, paraphrase_verifier, read_remark
from pipeline.reconcile.quotes import QuoteText, text_verifier
from schemas.clusters import MergeRule
from schemas.mentions import QuoteMention


def _cluster(texts: list[str], speaker: str = "Lina Haddad") -> list[list[str]]:
    quotes = [
        QuoteMention(article_id=f"a{n}", speaker=speaker, text=text) for n, text in enumerate(texts)
    ]
    clusters = cluster_quotes(
        quotes,
        verifiers=[text_verifier(load_linkage_settings().quotes), paraphrase_verifier],
        candidates=[paraphrase_candidates()],
    )
    return sorted(sorted(m.text for m in c.mentions) for c in clusters)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("We will not allow this to go unanswered",
                     "we won't let this go unanswered", id="the-issue's-example"),
        pytest.param("The harbour will reopen to ships next week once the divers are done",
                     "the harbour will reopen to shipping next week, once divers finish",
                     id="long-shared-run"),
        pytest.param("Farmers cannot plant without water and the canals are empty",
                     "farmers can't plant without water, and the canals are dry",
                     id="contraction-and-a-retyped-word"),
        pytest.param("Grain exports through the northern ports will resume within a month",
                     "within a month, exports of grain will resume through the northern ports",
                     id="clauses-in-another-order"),
    ],
)  # fmt: skip
def test_one_remark_in_other_words_is_one_cluster(left: str, right: str) -> None:
    assert _cluster([left, right]) == [sorted([left, right])]


def test_a_paraphrase_merge_names_the_aligned_words() -> None:
    quotes = [
        QuoteMention(article_id="a1", speaker="Lina Haddad", text="We will not allow this to go "
                     "unanswered"),
        QuoteMention(article_id="a2", speaker="Lina Haddad",
                     text="we won't let this go unanswered"),
    ]  # fmt: skip
    (cluster,) = cluster_quotes(
        quotes,
        verifiers=[text_verifier(load_linkage_settings().quotes), paraphrase_verifier],
        candidates=[paraphrase_candidates()],
    )
    (merge,) = cluster.merges
    assert merge.rule is MergeRule.PARAPHRASE
    detail = " ".join(e.detail for e in merge.evidence)
    assert "unanswer" in detail and "go" in detail


@pytest.mark.parametrize(
    "texts",
    [
        pytest.param(["Load shedding has cost our economy dearly",
                      "We will not allow load shedding to define the future of this country"],
                     id="one-subject-two-remarks"),
        pytest.param(["The talks are at a critical stage and the next pandemic will not wait",
                      "A pandemic treaty is the best chance this generation has"],
                     id="shared-topic-words-only"),
        pytest.param(["Grain exports through the northern ports will resume within a month",
                      "The northern ports lost a month of grain exports to the blockade"],
                     id="one-subject-reordered-topic-words"),
        pytest.param(["At the end of the day, the voters will decide who governs this province",
                      "We have done our part, and at the end of the day the budget has to balance"],
                     id="a-stock-phrase-of-glue-words"),
        pytest.param(["This is not the United States I grew up in, and voters know it",
                      "Believe me, this is not the United States that our allies trust"],
                     id="a-negation-and-a-name-in-a-stock-phrase"),
    ],
)  # fmt: skip
def test_remarks_sharing_only_their_subject_stay_apart(texts: list[str]) -> None:
    assert len(_cluster(texts)) == 2


def test_the_paraphrase_verifier_never_joins_a_remark_and_its_denial() -> None:
    def text(words: str) -> QuoteText:
        return QuoteText(tuple(words.split()), (tuple(words.split()),), "haddad", words, 1)

    assert (
        paraphrase_verifier(
            text("We will allow inspectors back to the site next week"),
            text("We won't allow inspectors back to the site next week"),
        )
        is None
    )
    assert paraphrase_verifier(
        text("We will allow inspectors back to the site next week"),
        text("We will allow the inspectors back to the site next week"),
    )


def test_two_speakers_saying_the_same_in_other_words_stay_apart() -> None:
    quotes = [
        QuoteMention(article_id="a1", speaker="Lina Haddad", text="We will not allow this to go "
                     "unanswered"),
        QuoteMention(article_id="a2", speaker="Omar Nasser",
                     text="we won't let this go unanswered"),
    ]  # fmt: skip
    clusters = cluster_quotes(
        quotes,
        verifiers=[text_verifier(load_linkage_settings().quotes), paraphrase_verifier],
        candidates=[paraphrase_candidates()],
    )
    assert len(clusters) == 2


def test_contractions_are_spelt_out_before_comparing() -> None:
    assert read_remark("we won't").words == read_remark("we will not").words
    assert read_remark("We can’t").words == read_remark("we cannot").words
