"""Paraphrased printings of one remark join, with the aligned words; other remarks stay apart."""

from __future__ import annotations

import json
import random

import pytest

from pipeline.reconcile import cluster_quotes
from pipeline.reconcile.knowledge import KNOWLEDGE_DIR, load_linkage_settings
from pipeline.reconcile.paraphrase import (
    StockPhrases,
    corpus_candidates,
    corpus_verifiers,
    load_paraphrase_rules,
    load_synonyms,
    paraphrase_features,
    paraphrase_verifier,
    partial_quote_verifier,
    read_remark,
)
from pipeline.reconcile.quotes import QuoteText, text_verifier
from schemas.clusters import MergeRule
from schemas.mentions import QuoteMention


def _cluster(texts: list[str], speaker: str = "Lina Haddad") -> list[list[str]]:
    quotes = [
        QuoteMention(article_id=f"a{n}", speaker=speaker, text=text) for n, text in enumerate(texts)
    ]
    clusters = cluster_quotes(
        quotes,
        verifiers=corpus_verifiers(texts, load_linkage_settings().quotes),
        candidates=corpus_candidates(),
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
        # Each of these v5 missed: too few content words agree until the verbs do.
        pytest.param("The army will never give up Bakhmut", "the army will not surrender Bakhmut",
                     id="a-phrasal-verb-for-its-synonym-and-never-for-not"),
        pytest.param("Russia took Avdiivka", "Russia has taken Avdiivka",
                     id="two-forms-of-an-irregular-verb"),
        pytest.param("We will never recognise the annexation",
                     "we will not recognise the annexation", id="never-for-not"),
        pytest.param("Nobody was told about the strike", "no one was told about the strike",
                     id="nobody-for-no-one"),
        pytest.param("Ukraine will keep fighting", "Ukraine will continue fighting",
                     id="a-synonym-verb"),
        pytest.param("The council has taken a vital decision for the region",
                     "the council took a critical decision for the region",
                     id="an-irregular-verb-and-a-synonym-adjective"),
        pytest.param("We will not back down, and we will defend our people",
                     "we will defend our people and we won't back down", id="two-clauses-swapped"),
        pytest.param("The reform will cut waiting times, hire more nurses and reopen rural clinics",
                     "it will reopen rural clinics, hire more nurses and cut waiting times",
                     id="three-clauses-in-another-order"),
        pytest.param("We are ready to talk, but only once the shelling stops",
                     "once the shelling stops, we are ready to talk", id="a-condition-put-first"),
        # v6 had no candidate pair for this one: no two content words stand side by side in both.
        pytest.param("Russia must withdraw its troops from our territory immediately",
                     "Russia must immediately pull its troops out of our territory",
                     id="a-word-between-two-content-words"),
        pytest.param("We have asked the court to suspend the decree, and we expect a ruling before "
                     "the end of the month",
                     "We have asked the court to suspend the decree ... we expect a ruling this "
                     "month",
                     id="a-cut-at-an-ellipsis-and-a-retold-end"),
        pytest.param("The harbour will reopen to ships next week once the divers have cleared the "
                     "wreck from the channel",
                     "The harbour will reopen next week once divers have cleared the channel",
                     id="words-left-out-in-the-middle"),
        pytest.param("We won't let this go unanswered ... we will respond at a time of our "
                     "choosing",
                     "We will not allow this to go unanswered, and we will respond at a time and "
                     "place of our choosing", id="an-ellipsis-and-a-synonym"),
        # v8: nouns align with their WordNet synonyms (v7 missed each of these).
        pytest.param("The truce must hold while aid convoys reach the valley",
                     "the ceasefire must hold while aid convoys reach the valley",
                     id="a-synonym-noun"),
        pytest.param("Both sides agreed to resume talks in Doha on the prisoners",
                     "both sides agreed to resume negotiations on the prisoners in Doha",
                     id="a-plural-noun-that-is-a-noun-of-its-own"),
        pytest.param("A truce is the only way to bring the hostages home",
                     "a cease-fire is the only way to bring hostages home",
                     id="a-hyphenated-synonym-noun"),
        pytest.param("I don't think the truce will hold",
                     "I think the ceasefire will not hold", id="a-denial-moved-within-a-thought"),
        # v10: a word and the word it is derived from (v9 missed the first).
        pytest.param("We will respond firmly to any aggression against our sovereignty",
                     "Any aggression against our sovereignty will receive a firm response",
                     id="a-verb-and-its-noun-an-adverb-and-its-adjective"),
        pytest.param("The president has no intention of stepping down before the elections",
                     "The president does not intend to step down before the elections",
                     id="a-noun-and-its-verb"),
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
        candidates=corpus_candidates(),
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
        pytest.param(["We will begin talks with the dockworkers union next month",
                      "They will start building the second bridge next month"],
                     id="synonym-verbs-and-a-date-only"),
        pytest.param(["I will become prime minister", "I will not become prime minister"],
                     id="a-remark-and-its-negation"),
        pytest.param(["We will defend our people and we will not back down",
                      "We will defend our people but we will back down if the talks succeed"],
                     id="a-clause-and-its-negation"),
        pytest.param(["Our hospitals need more nurses, and our schools need more teachers",
                      "our schools have enough teachers, our hospitals have enough beds"],
                     id="reordered-clauses-sharing-topic-words-only"),
        # v8: noun synonyms add to what two printings share, never enough for topic words alone.
        pytest.param(["The truce will not hold unless both armies pull back from the river",
                      "The ceasefire has collapsed because neither army pulled back"],
                     id="synonym-nouns-two-remarks-on-one-truce"),
        pytest.param(["The talks in Doha will resume once the prisoners are exchanged",
                      "The negotiations in Doha failed because the prisoners were not exchanged"],
                     id="synonym-nouns-and-topic-words-one-negated"),
        pytest.param(["The ceasefire talks must include the refugees and the displaced",
                      "A truce without negotiations leaves the refugees and the displaced waiting"],
                     id="synonym-nouns-and-topic-words-in-other-roles"),
        pytest.param(["We will defend our people and we will not back down",
                      "we will not defend our people and we will back down"],
                     id="each-denies-what-the-other-affirms"),
        # v10: derived words add to what two printings share, never enough for topic words alone.
        pytest.param(["We will decide on the border crossings next week",
                      "The decision to close the border crossings was taken by the army"],
                     id="a-verb-and-its-noun-on-one-subject"),
        pytest.param(["The election of a new council will be free and fair",
                      "The people will elect a council that serves them"],
                     id="a-noun-and-its-verb-in-other-roles"),
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


def test_v8_synonyms_hold_nouns_under_the_sense_rule() -> None:
    synonyms = load_synonyms(load_paraphrase_rules().synonyms_file or "")
    assert synonyms.lemma("talks") == "talks"  # a noun of its own, before the plural of 'talk'
    assert synonyms.lemma("ceasefire") == synonyms.lemma("cease-fire".replace("-", " "))
    assert synonyms.alike("truce", "cease fire") and synonyms.alike("talks", "negotiation")
    assert not synonyms.alike("war", "peace") and not synonyms.alike("cease fire", "talks")


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
        candidates=corpus_candidates(),
    )
    assert len(clusters) == 2


def test_contractions_are_spelt_out_before_comparing() -> None:
    assert read_remark("we won't").words == read_remark("we will not").words
    assert read_remark("We can’t").words == read_remark("we cannot").words


# Phrases a speaker strings into many remarks, and a corpus of such remarks: each remark is
# chunks of made-up topic words, some chunks a stock phrase (as bench/syndicated.py writes them).
_STOCK = ("at the end of the day", "i think that", "the united states", "the people of",
          "we will continue to", "it is important that")  # fmt: skip


def _remarks(count: int, *, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    remarks = []
    for _ in range(count):
        chunks = []
        while len(chunks) < rng.randint(4, 8):
            if rng.random() < 0.3:
                chunks.append(rng.choice(_STOCK))
            else:
                chunks.append(" ".join(f"topic{rng.randrange(5000)}" for _ in range(3)))
        remarks.append(" ".join(chunks))
    return remarks


def _quote(words: str) -> QuoteText:
    return QuoteText(tuple(words.split()), (tuple(words.split()),), "haddad", words, 1)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("I think that the United States alpha bravo charlie",
                     "Delta echo i think that the United States foxtrot", id="two-phrases-joined"),
        pytest.param("Alpha bravo the people of, at the end of the day, charlie delta",
                     "echo foxtrot the people of at the end of the day golf",
                     id="a-phrase-and-a-word-beside-another"),
    ],
)  # fmt: skip
def test_two_remarks_strung_from_stock_phrases_stay_apart_in_a_corpus_that_repeats_them(
    left: str, right: str
) -> None:
    assert paraphrase_verifier(_quote(left), _quote(right)) is not None  # without the corpus
    stock = StockPhrases.learn([*_remarks(400), left, right])
    assert paraphrase_verifier(_quote(left), _quote(right), stock=stock) is None


def test_a_remark_retold_still_joins_beside_a_stock_phrase_and_says_what_was_set_aside() -> None:
    left = "The harbour will reopen to ships next week once the divers are done, I think that"
    right = "I think that the harbour will reopen to shipping next week, once divers finish"
    stock = StockPhrases.learn([*_remarks(400), left, right])
    verdict = paraphrase_verifier(_quote(left), _quote(right), stock=stock)
    assert verdict is not None
    detail = verdict[2][-1].detail
    assert "harbour" in detail and "stock phrases set aside: i think that" in detail


def test_printings_of_one_remark_cut_and_misprinted_make_none_of_its_runs_stock() -> None:
    rng = random.Random(3)
    remark = "the harbour will reopen to ships next week once the divers are done with the wreck"
    printings = []
    for _ in range(60):
        chosen = remark.split()[: rng.randint(9, 16)]
        typo = rng.randrange(len(chosen))
        chosen[typo] = chosen[typo][:-1] + "x"
        printings.append(" ".join(chosen))
    stock = StockPhrases.learn([*_remarks(400), *printings])
    assert stock.ngrams  # the corpus's own phrases are found
    assert stock.covered(read_remark(remark).words) == frozenset()


def test_the_glue_negations_of_the_rules_file_are_left_out_of_candidate_features() -> None:
    rules = load_paraphrase_rules()
    assert rules.glue_negation_stems  # read from the file
    for negation in rules.glue_negation_stems:
        features = paraphrase_features(_quote(f"grain {negation} reaches the northern ports"))
        assert all(negation not in pair for pair in features), negation


def test_a_short_printing_made_of_stock_phrases_is_nobodys_fragment_in_a_corpus_of_them() -> None:
    one = "alpha bravo charlie at the end of the day i think that delta echo foxtrot"
    other = "golf hotel at the end of the day i think that india juliet kilo lima"
    stock_only, one_word, two_words = (
        "at the end of the day i think that", "at the end of the day i think that delta",
        "at the end of the day i think that delta echo",
    )  # fmt: skip
    text_rules = text_verifier(load_linkage_settings().quotes)
    guarded = corpus_verifiers(
        [*_remarks(400), one, other, stock_only, one_word, two_words],
        load_linkage_settings().quotes,
    )[0]
    assert text_rules(_quote(stock_only), _quote(other)) is not None  # a fragment, by the words
    assert guarded(_quote(stock_only), _quote(other)) is None
    assert text_rules(_quote(one_word), _quote(one)) is not None
    assert guarded(_quote(one_word), _quote(one)) is None  # one own word is too few
    assert guarded(_quote(two_words), _quote(one)) is not None


def test_a_synonym_merge_names_the_words_it_took_as_one() -> None:
    (cluster,) = cluster_quotes(
        [
            QuoteMention(article_id="a1", speaker="Lina Haddad",
                         text="The rebels gave up the northern town after a week of shelling"),
            QuoteMention(article_id="a2", speaker="Lina Haddad",
                         text="after a week of shelling, the rebels surrendered the northern town"),
        ],
        verifiers=corpus_verifiers([], load_linkage_settings().quotes),
        candidates=corpus_candidates(),
    )  # fmt: skip
    (merge,) = cluster.merges
    assert "synonyms (WordNet): give up = surrender" in merge.evidence[-1].detail


def test_a_phrasal_verb_and_an_irregular_form_are_known_by_their_lemma() -> None:
    gave_up, taken = read_remark("they gave up the town"), read_remark("it was taken")
    assert (gave_up.lemmas[1], gave_up.spans[1]) == ("give up", 2)
    assert taken.lemmas[-1] == "take"
    assert read_remark("it's").words == read_remark("it is").words
    assert read_remark("the summit's").words == ("the", "summit")


def test_v10_synonyms_hold_a_word_and_the_word_it_is_derived_from() -> None:
    synonyms = load_synonyms(load_paraphrase_rules().synonyms_file or "")
    assert synonyms.alike("intend", "intention") and synonyms.alike("firm", "firmly")
    assert synonyms.lemma("responses") == "response"  # a noun v2 lacked, with its plural
    assert not synonyms.alike("win", "loss") and not synonyms.alike("peace", "war")


def test_the_synonyms_file_is_generated_and_each_form_points_to_a_lemma_it_lists() -> None:
    rules = load_paraphrase_rules()
    assert rules.synonyms_file is not None
    data = json.loads((KNOWLEDGE_DIR / rules.synonyms_file).read_text(encoding="utf-8"))
    assert data["generated_by"].startswith("scripts/synonyms_from_wordnet.py")
    assert all(lemma in data["lemmas"] for lemmas in data["forms"].values() for lemma in lemmas)
    synonyms = load_synonyms(rules.synonyms_file)
    assert synonyms.alike("surrender", "give up") and not synonyms.alike("win", "lose")


def test_clauses_in_another_order_are_explained_clause_by_clause() -> None:
    verdict = paraphrase_verifier(
        _quote("We will not back down, and we will defend our people"),
        _quote("we will defend our people and we won't back down"),
    )
    assert verdict is not None and verdict[0] is MergeRule.PARAPHRASE
    detail = verdict[2][-1].detail
    assert "align clause by clause" in detail
    assert "'not back down'" in detail and "'defend peopl'" in detail


def test_clauses_end_at_marks_and_at_the_words_that_open_them() -> None:
    remark = read_remark("Prices rose, and wages fell because the mills cut 3,000 jobs")
    by_clause: dict[int, list[str]] = {}
    for word, clause in zip(remark.words, remark.clauses, strict=True):
        by_clause.setdefault(clause, []).append(word)
    assert [" ".join(c) for c in by_clause.values()] == [
        "pric ros", "and wag fell", "becau the mill cut 3000 job",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("partial", "full"),
    [
        pytest.param("a historic betrayal",
                     "The deal is a historic betrayal of the herders who live on this land.",
                     id="three-words"),
        pytest.param("historic betrayal",
                     "The deal is a historic betrayal of the herders who live on this land.",
                     id="two-words"),
        pytest.param("can't be everywhere at once", "We cannot be everywhere at once, but we try",
                     id="a-contraction-spelt-out"),
        pytest.param("twelve districts affected", "More than 3,000 treated and 12 districts "
                     "affected", id="a-number-word-for-digits"),
    ],
)  # fmt: skip
def test_a_partial_quote_joins_the_one_remark_it_stands_in(partial: str, full: str) -> None:
    other = "The herders will be paid for every hectare the mine takes from their land"
    assert _cluster([full, partial, other]) == sorted([sorted([full, partial]), [other]])


def test_a_partial_quote_standing_in_two_remarks_of_the_speaker_joins_neither() -> None:
    floods = "The monsoon floods have destroyed the Melamchi intake and repairs will take a year."
    rebuilt = "The Melamchi intake will be rebuilt higher, away from the river."
    assert len(_cluster([floods, rebuilt, "the Melamchi intake"])) == 3
    assert len(_cluster([floods, "the Melamchi intake"])) == 1


@pytest.mark.parametrize(
    "partial",
    [pytest.param("still talking", id="one-content-word"),
     pytest.param("not for sale", id="a-negation-and-one-content-word"),
     pytest.param("rich talking", id="words-not-in-a-row")],
)  # fmt: skip
def test_a_partial_quote_with_too_little_of_its_own_joins_nothing(partial: str) -> None:
    full = "The Amazon is not for sale, the fjords empty, and the rich are still talking"
    assert len(_cluster([full, partial])) == 2


def test_a_partial_quote_of_stock_phrases_joins_nothing_in_a_corpus_that_repeats_them() -> None:
    partial, full = "the United States", "alpha bravo the United States charlie delta"
    assert partial_quote_verifier(_quote(partial), _quote(full)) is not None
    stock = StockPhrases.learn([*_remarks(400), partial, full])
    assert partial_quote_verifier(_quote(partial), _quote(full), stock=stock) is None


def test_a_partial_quote_merge_names_its_words_and_the_remark() -> None:
    verdict = partial_quote_verifier(
        _quote("empties our fjords"), _quote("We will not sign a deal that empties our fjords")
    )
    assert verdict is not None and verdict[0] is MergeRule.FRAGMENT
    detail = verdict[2][-1].detail
    assert "a partial quote: 'empties our fjords'" in detail and "empt, fjord" in detail


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("3,000 people", "three thousand people", id="thousands-comma-and-words"),
        pytest.param("twelve districts", "12 districts", id="a-number-word"),
        pytest.param("twenty-five boats", "25 boats", id="tens-and-units"),
        pytest.param("sixty percent", "60%", id="a-percent-sign"),
        pytest.param("60 per cent", "60 percent", id="per-cent-in-two-words"),
        pytest.param("three hundred", "300", id="hundreds"),
    ],
)  # fmt: skip
def test_numbers_are_read_in_digits_one_word_a_number(left: str, right: str) -> None:
    assert read_remark(left).words == read_remark(right).words


def test_a_word_for_one_alone_is_read_as_a_word_and_two_numbers_side_by_side_stay_two() -> None:
    assert read_remark("no one was told").words[:2] == ("no", "one")
    assert read_remark("between 1990 2000").words[-2:] == ("1990", "2000")
    assert read_remark("3,000 and 4,000").words != read_remark("3,000 and 3,000").words
