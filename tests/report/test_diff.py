"""Word-level differences of a printed variant against its cluster's canonical text."""

from __future__ import annotations

import pytest

from pipeline.report.diff import DiffOp, changed_words, word_diff


def _join(canonical: str, variant: str, keep: DiffOp) -> str:
    return "".join(p.text for p in word_diff(canonical, variant) if p.op in (DiffOp.SAME, keep))


@pytest.mark.parametrize(("canonical", "variant"), [
    pytest.param("we must address Russia’s growing cooperation",
                 "we must address Russia's cooperation", id="retyped-and-dropped"),
    pytest.param("There are two steps.", "There are two immediate steps that we take.",
                 id="added-words"),
    pytest.param("the same words", "the same words", id="identical"),
])
def test_the_pieces_join_back_into_both_texts(canonical: str, variant: str) -> None:
    assert _join(canonical, variant, DiffOp.ADDED) == variant
    assert _join(canonical, variant, DiffOp.MISSING) == canonical


def test_a_retyped_apostrophe_and_a_dropped_word_are_the_differences() -> None:
    pieces = word_diff("address Russia’s growing cooperation", "address Russia's cooperation")
    changed = [(p.op, p.text.strip()) for p in pieces if p.op is not DiffOp.SAME]
    assert changed == [(DiffOp.MISSING, "Russia’s growing"), (DiffOp.ADDED, "Russia's")]
    assert changed_words(pieces) == 2  # two words replaced by one


@pytest.mark.parametrize(("canonical", "variant", "changed"), [
    pytest.param("a b c", "a b c", 0, id="same"),
    pytest.param("a b c", "a x c", 1, id="one-replaced"),
    pytest.param("a b c", "a b c d e", 2, id="two-added"),
    pytest.param("a b c d", "a d", 2, id="two-dropped"),
])
def test_changed_words_counts_a_replacement_once(canonical: str, variant: str,
                                                 changed: int) -> None:
    assert changed_words(word_diff(canonical, variant)) == changed
