"""Theme nouns' WordNet kin (pipeline/reconcile/themes.py, theme_senses.v3.json)."""

from __future__ import annotations

import pytest

from pipeline.reconcile.themes import NO_KIN, distant_kind, kin_of, kinship


@pytest.mark.parametrize(
    ("left", "right", "how"),
    [
        pytest.param("shelling", "bombardment", "synonyms", id="one-synset"),
        pytest.param("missile", "weapon", "one is a kind or a part of the other", id="a-kind"),
        pytest.param("raid", "attack", "one's verb is a kind of the other's", id="verb-kind"),
        pytest.param("cut", "reduction", "their verbs are one", id="one-verb"),
    ],
)
def test_nouns_wordnet_relates_in_one_step_are_kin(left: str, right: str, how: str) -> None:
    assert kinship(kin_of(left), kin_of(right)) == how
    assert kinship(kin_of(right), kin_of(left)) == how
    assert kin_of(left).features() & kin_of(right).features()


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("wheat", "corn", id="siblings"),
        pytest.param("tank", "vehicle", id="a-grandparent"),
        pytest.param("drone", "missile", id="unrelated"),
    ],
)
def test_siblings_and_distant_kin_are_not_kin(left: str, right: str) -> None:
    assert kinship(kin_of(left), kin_of(right)) is None


def test_a_plural_wordnet_lists_as_a_noun_keeps_that_sense_beside_its_singulars() -> None:
    talks = kin_of("talks", "talk")  # 'talks' are negotiations; 'a talk' is a speech
    assert kin_of("talks").senses < talks.senses and kin_of("talk").senses < talks.senses
    assert kin_of("no-such-noun") is NO_KIN


def test_a_spelling_wordnet_lists_only_beside_another_takes_its_frequent_senses() -> None:
    assert kinship(kin_of("defence"), kin_of("defense")) == "synonyms"
    assert kinship(kin_of("offence"), kin_of("offense")) == "synonyms"


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("car", "vehicle", id="four-steps"),
        pytest.param("rifle", "weapon", id="three-steps"),
        pytest.param("tank", "vehicle", id="two-steps"),
    ],
)
def test_a_kind_a_few_hypernym_steps_up_is_a_distant_kind(left: str, right: str) -> None:
    assert distant_kind(kin_of(left), kin_of(right)) is not None
    assert distant_kind(kin_of(right), kin_of(left)) is not None


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("car", "bicycle", id="siblings-under-one-vehicle"),
        pytest.param("wheat", "corn", id="siblings"),
        pytest.param("car", "artifact", id="too-far-up"),
    ],
)
def test_siblings_and_kinds_far_up_are_no_distant_kinds(left: str, right: str) -> None:
    assert distant_kind(kin_of(left), kin_of(right)) is None
