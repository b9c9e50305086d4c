"""The quotes helper's development sets (tests/eval/dev_quotes_1.json, dev_quotes_2.json), scored
pairwise.

Not blind: written from invented news to find the kinds of paraphrase the rules missed (partial
quotes, remarks translated twice, contractions, reordered clauses with synonyms, numbers), and
rules were written after reading its misses. Precision must be 1.00 (its hard negatives: another
remark of the speaker on the subject, a remark and its negation, a partial quote that stands in
two remarks); recall holds the floor measured and xfails, with the figure, below 1.00. The
second set prints speakers as outlets do (a company and a title before the name, a family name
printed first, a bare or misprinted surname, a second surname dropped) beside people of one
surname who said the same words, figures that differ and a denial.
"""

from __future__ import annotations

import pytest

from pipeline.reconcile import cluster_quotes, reconcile_actors
from pipeline.reconcile.knowledge import load_linkage_settings
from pipeline.reconcile.paraphrase import corpus_candidates, corpus_verifiers
from tests.reconcile.scores import record_score
from tests.reconcile.unseen_sets import quote_mentions, score_quote_set

DEV = "dev_quotes_1.json"
RECALL_FLOOR = 0.84  # measured 0.850 with paraphrase v10 (v9 0.800, v8 0.550)
DEV_2 = "dev_quotes_2.json"
# Measured 0.964 with quotes joined across speakers whose names fit (0.357 before, at P 0.769:
# figures and a denial before a fragment were joined), 1.000 since the same words read (numbers
# in digits, contractions spelt out) join across them too.
RECALL_FLOOR_2 = 0.99


@pytest.fixture(scope="module")
def dev_scores(pytestconfig: pytest.Config) -> tuple[float, float]:
    quotes, speakers, gold = quote_mentions(DEV)
    clusters = cluster_quotes(
        quotes,
        actors=reconcile_actors(speakers),
        verifiers=corpus_verifiers((q.text for q in quotes), load_linkage_settings().quotes),
        candidates=corpus_candidates(),
    )
    label = {id(m): c.quote_id for c in clusters for m in c.mentions}
    predicted = [label[id(q)] for q in quotes]
    return record_score(pytestconfig, "dev set (not blind)", "quotes", predicted, gold)


def test_the_dev_set_holds_paraphrases_and_hard_negatives() -> None:
    quotes, _, remarks = quote_mentions(DEV)
    assert len(quotes) >= 30 and len(set(remarks)) < len(remarks)
    speakers = {q.speaker.split()[-1] for q in quotes}
    assert len(set(remarks)) > len(speakers)  # a speaker says another remark beside each


def test_dev_set_quotes_merge_no_two_remarks(dev_scores: tuple[float, float]) -> None:
    assert dev_scores[0] == 1.0


def test_dev_set_quote_recall_holds_its_floor(dev_scores: tuple[float, float]) -> None:
    recall = dev_scores[1]
    assert recall >= RECALL_FLOOR, recall
    if recall < 1.0:
        pytest.xfail(f"R {recall:.3f}: a partial quote in two remarks, 'announced' / 'proclaimed'")


@pytest.fixture(scope="module")
def dev_2_scores(pytestconfig: pytest.Config) -> tuple[float, float]:
    return score_quote_set(pytestconfig, "dev set 2 (not blind)", DEV_2)


def test_the_second_dev_set_prints_speakers_in_several_ways() -> None:
    quotes, _, remarks = quote_mentions(DEV_2)
    assert len(quotes) >= 40 and len(set(remarks)) < len(remarks)
    printed: dict[str, set[str]] = {}
    for quote, remark in zip(quotes, remarks, strict=True):
        printed.setdefault(remark, set()).add(quote.speaker or "")
    assert sum(len(names) > 1 for names in printed.values()) >= 10


def test_second_dev_set_quotes_merge_no_two_remarks(dev_2_scores: tuple[float, float]) -> None:
    assert dev_2_scores[0] == 1.0


def test_second_dev_set_quote_recall_holds_its_floor(dev_2_scores: tuple[float, float]) -> None:
    recall = dev_2_scores[1]
    assert recall >= RECALL_FLOOR_2, recall
    if recall < 1.0:
        pytest.xfail(f"R {recall:.3f}")
