"""assemble(): what the article prints is stored at its offsets; the rest is rejected, with why."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.extract.assemble import ReaskOnceForUngrounded, assemble
from pipeline.extract.grounding import GroundingIndex
from schemas.extraction import ArticleExtraction
from schemas.records import RejectedKind, RejectionReason

ARTICLE = (
    "Foreign Minister Anna Berg met Kim Jong Un in Pyongyang on Monday. “We will not back down,” "
    "Berg said. The ministry said 1,200 observers would arrive in May."
)
BERG = {"name": "Anna Berg", "kind": "person", "title": "Foreign Minister", "aliases": ["Berg"]}


def answer(**parts: Any) -> ArticleExtraction:
    return ArticleExtraction.model_validate({"actors": [BERG], "quotes": [], "claims": [], **parts})


def assembled(extraction: ArticleExtraction) -> Any:
    return assemble(extraction, GroundingIndex(ARTICLE), article_id="t")


def reasons(extraction: ArticleExtraction) -> list[tuple[RejectedKind, RejectionReason]]:
    return [(r.kind, r.reason) for r in assembled(extraction).rejected]


def test_an_actor_is_stored_with_every_mention_of_its_names_and_its_title_as_printed() -> None:
    [actor] = assembled(answer()).actors
    assert actor.actor_id == "t/a1"
    assert [m.text for m in actor.mentions] == ["Anna Berg", "Berg"]
    assert actor.title == "Foreign Minister"
    assert actor.title_span is not None
    assert ARTICLE[actor.title_span.start : actor.title_span.end] == "Foreign Minister"


@pytest.mark.parametrize(
    ("actors", "kind"),
    [
        pytest.param(
            [BERG, {"name": "Jake Sullivan", "kind": "person"}],
            RejectedKind.ACTOR,
            id="invented-actor",
        ),
        pytest.param(
            [{**BERG, "aliases": ["Berg", "the minister"]}], RejectedKind.ALIAS, id="invented-alias"
        ),
        pytest.param(
            [{**BERG, "title": "Prime Minister"}], RejectedKind.TITLE, id="invented-title"
        ),
    ],
)
def test_names_and_titles_the_article_does_not_print_are_rejected(
    actors: list[dict[str, Any]], kind: RejectedKind
) -> None:
    assert reasons(answer(actors=actors)) == [(kind, RejectionReason.NOT_IN_ARTICLE)]


def test_an_actor_whose_full_name_is_invented_is_kept_under_the_alias_that_is_printed() -> None:
    result = assembled(answer(actors=[{**BERG, "name": "Anna M. Berg"}]))
    [actor] = result.actors
    assert actor.name == "Berg"
    assert [(r.kind, r.reason) for r in result.rejected] == [
        (RejectedKind.ALIAS, RejectionReason.NOT_IN_ARTICLE)
    ]


@pytest.mark.parametrize(
    ("quote", "reason"),
    [
        pytest.param("We will never back down", RejectionReason.NOT_IN_ARTICLE, id="changed-word"),
        pytest.param("May", RejectionReason.TOO_SHORT, id="one-short-word"),
        pytest.param("1,200", RejectionReason.TOO_SHORT, id="a-number"),
    ],
)
def test_a_quote_that_cannot_stand_for_the_print_is_rejected_with_its_reason(
    quote: str, reason: RejectionReason
) -> None:
    extraction = answer(quotes=[{"text": quote, "speaker": "Berg", "kind": "direct"}])
    result = assembled(extraction)
    assert result.quotes == []
    [rejected] = result.rejected
    assert (rejected.kind, rejected.reason) == (RejectedKind.QUOTE, reason)
    assert quote in rejected.detail


def test_a_printed_quote_of_a_speaker_grounding_refused_is_rejected() -> None:
    extraction = answer(
        actors=[BERG, {"name": "Jake Sullivan", "kind": "person"}],
        quotes=[{"text": "We will not back down", "speaker": "Jake Sullivan", "kind": "direct"}],
    )
    assert reasons(extraction) == [
        (RejectedKind.ACTOR, RejectionReason.NOT_IN_ARTICLE),
        (RejectedKind.QUOTE, RejectionReason.SPEAKER_REJECTED),
    ]


def test_the_same_quote_twice_is_stored_once() -> None:
    quote = {"text": "We will not back down", "speaker": "Berg", "kind": "direct"}
    result = assembled(answer(quotes=[quote, {**quote, "speaker": "Anna Berg"}]))
    assert len(result.quotes) == 1
    assert [(r.kind, r.reason) for r in result.rejected] == [
        (RejectedKind.QUOTE, RejectionReason.DUPLICATE)
    ]


@pytest.mark.parametrize(
    ("evidence", "reason"),
    [
        pytest.param("1,200 observers", RejectionReason.TOO_SHORT, id="two-words"),
        pytest.param("1", RejectionReason.TOO_SHORT, id="a-digit"),
        pytest.param(
            "The ministry said 1,300 observers would arrive",
            RejectionReason.NOT_IN_ARTICLE,
            id="changed-number",
        ),
    ],
)
def test_evidence_that_cannot_stand_for_the_print_is_rejected(
    evidence: str, reason: RejectionReason
) -> None:
    claim = {"statement": "Observers will arrive.", "asserted_by": None, "evidence": evidence}
    assert reasons(answer(claims=[claim])) == [(RejectedKind.CLAIM, reason)]


def test_the_outlet_may_assert_a_claim_and_its_evidence_is_stored_as_printed() -> None:
    claim = {
        "statement": "1,200 observers will arrive in May.",
        "asserted_by": None,
        "evidence": "the ministry said 1200 observers would arrive in May",
    }
    [stored] = assembled(answer(claims=[claim])).claims
    assert stored.asserted_by_id is None
    assert stored.evidence == "The ministry said 1,200 observers would arrive in May"
    assert ARTICLE[stored.span.start : stored.span.end] == stored.evidence


def test_the_reask_lists_every_problem_once_and_only_once() -> None:
    check = ReaskOnceForUngrounded(GroundingIndex(ARTICLE))
    extraction = answer(
        quotes=[{"text": "May", "speaker": "Berg", "kind": "direct"}],
        claims=[{"statement": "s", "asserted_by": None, "evidence": "Observers arrive in June"}],
    )
    problems = check.problems(extraction)
    assert len(problems) == 2
    assert "too short" in problems[0] and "not in the article" in problems[1]
    assert check.take_reask() is True
    assert check.take_reask() is False
