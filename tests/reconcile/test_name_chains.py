"""How one person's name shortens another's: second surnames, given names, nasab, family names."""

from __future__ import annotations

import pytest

from pipeline.reconcile.name_chains import Shortening, shortening
from pipeline.reconcile.text import words


@pytest.mark.parametrize(
    ("short", "long", "expected"),
    [
        pytest.param("Tomás Herrera", "Tomás Herrera Villalobos", Shortening.TAIL,
                     id="second-surname-left-out"),
        pytest.param("Ruiz Montero", "Ignacio José Ruiz Montero", Shortening.GIVEN,
                     id="given-names-left-out"),
        pytest.param("Faisal bin Khalid", "Faisal bin Khalid Al-Masri", Shortening.TAIL,
                     id="family-name-left-out"),
        pytest.param("Faisal Al Masri", "Faisal bin Khalid Al Masri", Shortening.NASAB,
                     id="fathers-name-left-out"),
        pytest.param("Faisal bin Khalid", "Faisal bin Khalid bin Omar Al Masri", Shortening.NASAB,
                     id="grandfathers-and-family-name-left-out"),
        pytest.param("Farah Osman", "Datin Farah Osman", Shortening.HONORIFIC,
                     id="an-honorific-no-title-list-holds"),
        pytest.param("Ann Smith", "Mary Ann Smith", None,
                     id="a-leading-given-name-is-no-honorific"),
        pytest.param("Khalid bin Faisal", "Faisal bin Khalid Al Masri", None,
                     id="father-and-son-are-no-shortening"),
        pytest.param("Tomás Herrera", "Tomás Quintana Herrera", None,
                     id="a-word-inside-that-is-no-particle"),
        pytest.param("Herrera", "Tomás Herrera Villalobos", None, id="one-word-is-for-other-rules"),
        pytest.param("Tomás Herrera", "Tomás Herrera", None, id="equal-names-are-no-shortening"),
    ],
)  # fmt: skip
def test_a_shorter_printing_of_a_name_is_told_by_what_it_leaves_out(
    short: str, long: str, expected: Shortening | None
) -> None:
    assert shortening(words(short), words(long)) is expected
