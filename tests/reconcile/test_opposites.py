"""Verbs of opposite acts, from WordNet's antonyms (pipeline/reconcile/opposites.py)."""

from __future__ import annotations

import pytest

from pipeline.reconcile.claims import ClaimReader, Proposition, cluster_claims, opposite_acts
from pipeline.reconcile.knowledge import (
    default_knowledge_index,
    load_claim_vocabulary,
    load_inflections,
)
from pipeline.reconcile.opposites import opposed
from pipeline.reconcile.predicates import default_lexicon
from schemas.mentions import ClaimMention


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("raise", "cut", id="raise-cut"),
        pytest.param("hike", "lower", id="hike-lower"),
        pytest.param("hike", "cut", id="hike-cut-through-raise"),
        pytest.param("lift", "cut", id="lift-cut"),
        pytest.param("approve", "reject", id="approve-reject"),
        pytest.param("boost", "cut", id="boost-cut"),
    ],
)
def test_verbs_of_opposite_acts_are_opposed(left: str, right: str) -> None:
    assert opposed(left, right) and opposed(right, left)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("supply", "send", id="supply-send"),
        pytest.param("fire", "launch", id="fire-launch"),
        pytest.param("cut", "slash", id="cut-slash"),
        pytest.param("raise", "hike", id="raise-hike"),
        pytest.param("approve", "ratify", id="approve-ratify"),
        pytest.param("block", "veto", id="block-veto"),
        pytest.param("carry_out", "launch", id="carry-out-launch"),
        pytest.param("raise", "raise", id="the-same-verb"),
    ],
)
def test_verbs_of_one_act_are_not_opposed(left: str, right: str) -> None:
    assert not opposed(left, right)


def _claim(article: str, statement: str) -> ClaimMention:
    return ClaimMention(article_id=article, asserted_by="Reuters", statement=statement,
                        evidence=statement)  # fmt: skip


def test_an_output_cut_never_joins_an_output_rise_of_the_same_size() -> None:
    clusters = cluster_claims([
        _claim("a", "Iran raised its oil output by 5 percent."),
        _claim("b", "Iran cut its oil output by 5 percent."),
    ])  # fmt: skip
    assert len(clusters) == 2


def _read(statement: str) -> Proposition:
    reader = ClaimReader(load_claim_vocabulary(), default_knowledge_index(),
                         inflections=load_inflections(), lexicon=default_lexicon())  # fmt: skip
    return reader.read(statement, "a", evidence=statement)


def test_a_refusal_to_ratify_is_no_opposite_of_a_block() -> None:
    blocked = _read("Hungary blocked Sweden's NATO membership.")
    refused = _read("Budapest refused to ratify Sweden's NATO membership.")
    assert opposed("block", "ratify")  # the verbs are opposites; the negation turns one round
    assert not opposite_acts(blocked, refused)
    assert opposite_acts(_read("Iran raised its oil output."), _read("Iran cut its oil output."))
