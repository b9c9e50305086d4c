"""Speakers' printed names that can be one person's, for quotes joined across speakers."""

from __future__ import annotations

import pytest

from pipeline.reconcile.speaker_names import speaker_names, speakers_with_namesakes


def _fit(left: str, right: str) -> bool:
    a, b = speaker_names([left]), speaker_names([right])
    assert a is not None and b is not None
    return a.fits(b) and b.fits(a)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("Lee Jae-myung", "Mr Lee", id="family-name-printed-first"),
        pytest.param("Geert Wilders", "Wilders", id="bare-surname"),
        pytest.param("Bill Nelson", "Hanbada Administrator Bill Nelson", id="unread-title-before"),
        pytest.param("Evaristo Condori Mamani", "Evaristo Condori", id="second-surname-dropped"),
        pytest.param("Emmerson Mnangagwa", "Mnangangwa", id="long-surname-misprinted"),
        pytest.param("Luiz Inacio Lula da Silva", "President Lula", id="the-name-one-goes-by"),
        pytest.param("Kim Tae-yang", "Mr Kim", id="common-family-name"),
    ],
)
def test_printed_names_of_one_person_fit(left: str, right: str) -> None:
    assert _fit(left, right)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("Kaja Kallas", "Siim Kallas", id="other-given-names"),
        pytest.param("Ramon Castellanos Sr.", "Ramon Castellanos Jr.", id="father-and-son"),
        pytest.param("Nelson Mandela", "Mr Nelson", id="an-honorific-takes-a-surname"),
        pytest.param("Lee Jae-myung", "Lee Jae-yong", id="namesakes"),
        pytest.param("Wood", "Good", id="short-surnames-a-letter-apart"),
    ],
)
def test_names_of_two_people_do_not_fit(left: str, right: str) -> None:
    assert not _fit(left, right)


def test_a_descriptor_is_no_person_name() -> None:
    assert speaker_names(["the secretary"]) is None


def test_only_speakers_another_may_fit_are_compared_across_speakers() -> None:
    names = {key: speaker_names([key]) for key in
             ("Antony Blinken", "Mr Lee", "Lee Jae-myung", "Kim Jong Un", "Bill Nelson",
              "Hanbada Administrator Bill Nelson")}  # fmt: skip
    assert speakers_with_namesakes(names) == {
        "Mr Lee", "Lee Jae-myung", "Bill Nelson", "Hanbada Administrator Bill Nelson"}


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("Carlos Mendes", "Mrs Mendes", id="a-man-and-a-woman's-honorific"),
        pytest.param("Mr Ortega", "Ms Ortega", id="two-honorifics"),
    ],
)
def test_a_man_and_a_woman_do_not_fit(left: str, right: str) -> None:
    assert not _fit(left, right)
